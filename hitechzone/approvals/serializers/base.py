"""What the serializers of M2 share: text fields, id lists, the light's help."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hitechzone.common.api import MAX_ID

LIGHT_HELP = _("green, yellow, red, paused (clock stopped), or empty (no clock: not accepted yet, or done)")


def request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def username(user) -> str | None:
    return user.username if user is not None else None


class IdListField(serializers.ListField):
    """A list of ids (of ``Material`` rows, for the materials of an application)."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)


def text(**kwargs) -> serializers.CharField:
    """A free text the service checks (a blank one answers the service's message, e.g. "Give the reason")."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)
