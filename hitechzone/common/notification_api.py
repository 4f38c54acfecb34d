"""The in-app inbox over the API: ``/api/v1/notifications/`` lists the signed-in user's own lines only."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hitechzone.accounts.models import Role

from .api import Pagination
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("unread only"))

    class Meta:
        model = Notification
        fields = ["kind"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's inbox (reminders, escalations): nobody sees another user's lines."""

    serializer_class = NotificationSerializer
    pagination_class = Pagination
    filterset_class = NotificationFilter
    write_roles = tuple(Role.values)  # marking one's own lines as read

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.for_user(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsRead", fields={"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"])
    def read_all(self, request):
        marked = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
        return Response({"marked": marked})
