"""The audit trail over the API: read-only, for the auditors (administrators and leaders).

``GET /api/v1/audit/`` lists the records, newest first; nobody can write, change or delete one (405).
:class:`AuditFilter` is also the filter of the auditor page, so both read the same parameters.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.accounts.models import Role

from .api import ScopedReadOnlyViewSet
from .audit import recorded
from .models import AuditEvent, Source


class MomentField(forms.CharField):
    """A date (``2026-03-01``, the whole local day) or a date and time (ISO 8601)."""

    default_error_messages = {"invalid": _("Give a date (YYYY-MM-DD) or a date and time (ISO 8601).")}

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            # The date first: Python's fromisoformat (used by parse_datetime) reads "2026-03-01" as midnight.
            moment = parse_date(value) or parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


@extend_schema_field(OpenApiTypes.STR)
class MomentFilter(django_filters.Filter):
    """``since``: from the start of that day (or that moment); ``until``: to the end of that day (or that moment)."""

    field_class = MomentField

    def __init__(self, *args, end: bool = False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if isinstance(value, dt.datetime):
            moment = value if timezone.is_aware(value) else timezone.make_aware(value)
            return qs.filter(**{f"{self.field_name}__{'lte' if self.end else 'gte'}": moment})
        day = value + dt.timedelta(days=1) if self.end else value
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return qs.filter(**{f"{self.field_name}__{'lt' if self.end else 'gte'}": moment})


def audited_content_type(value: str) -> ContentType | None:
    """``"enterprises.enterprise"`` → its content type (cached), or ``None``."""
    app_label, _sep, model = (value or "").strip().lower().partition(".")
    if not app_label or not model:
        return None
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


class AuditFilter(django_filters.FilterSet):
    user = django_filters.NumberFilter(field_name="user_id", label=_("user id"))
    username = django_filters.CharFilter(field_name="username", label=_("username"))
    content_type = django_filters.CharFilter(method="filter_content_type", label=_("object type (app_label.model)"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("object id"))
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", label=_("enterprise id"))
    since = MomentFilter(field_name="at", label=_("from (date or date and time)"))
    until = MomentFilter(field_name="at", end=True, label=_("until (date or date and time)"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("source"))
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices, label=_("action"))
    batch = django_filters.NumberFilter(field_name="batch_id", label=_("import batch id"))

    class Meta:
        model = AuditEvent
        fields = []

    def filter_content_type(self, queryset, name, value):
        content_type = audited_content_type(value)
        return queryset.none() if content_type is None else queryset.filter(content_type=content_type)


class AuditEventSerializer(serializers.ModelSerializer):
    content_type = serializers.SerializerMethodField(help_text=_("app_label.model, e.g. enterprises.enterprise"))
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True, allow_null=True)
    changes = serializers.JSONField(read_only=True, help_text=_("{field: [before, after]}"))

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "user",
            "username",
            "source",
            "action",
            "content_type",
            "object_id",
            "object_repr",
            "changes",
            "enterprise",
            "batch",
        ]
        read_only_fields = fields

    def get_content_type(self, obj: AuditEvent) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def to_representation(self, instance: AuditEvent) -> dict:
        data = super().to_representation(instance)
        data["changes"] = recorded(instance)  # never a field the model's registration states operational
        return data


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """The audit trail: every create, update and delete, newest first. Administrators and leaders only.

    Records are never changed or deleted: ``PUT``, ``PATCH``, ``DELETE`` and ``POST`` answer 405.
    """

    # No write handler exists, so every signed-in role passes the permission check and gets 405, not 403.
    write_roles = tuple(Role.values)
    queryset = AuditEvent.objects.all()
    serializer_class = AuditEventSerializer
    filterset_class = AuditFilter
    select_related = ("content_type",)
