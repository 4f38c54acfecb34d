"""The inbox count in the page header: one cheap COUNT query, run only when a template shows it."""

from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: Notification.objects.for_user(user).unread().count())}
