"""The user's inbox (``/notifications/``): reminders and escalations, mark read one by one or all at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification
from .views import paginate


@login_required
def inbox(request):
    notes = Notification.objects.for_user(request.user)
    if request.GET.get("unread"):
        notes = notes.unread()
    page, query = paginate(request, notes)
    return render(request, "common/notifications.html", {"page": page, "query": query})


@login_required
@require_POST
def mark_read(request, pk: int):
    note = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    n = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("%(n)d notifications marked as read.") % {"n": n})
    return redirect(_back(request))


@login_required
@require_POST
def open_note(request, pk: int):
    """Mark the notification read and follow its link (a link inside the site only)."""
    note = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    safe = note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(note.url if safe else "notifications:inbox")


def _back(request) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=False):
        return nxt
    return "notifications:inbox"


app_name = "notifications"
urlpatterns = [
    path("", inbox, name="inbox"),
    path("<int:pk>/read/", mark_read, name="read"),
    path("<int:pk>/open/", open_note, name="open"),
    path("read-all/", mark_all_read, name="read-all"),
]
