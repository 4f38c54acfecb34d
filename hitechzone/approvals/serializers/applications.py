"""Serializers of applications: rows, details, and the body of each action."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.accounts.models import User
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Item,
    ItemType,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from hitechzone.approvals.queries import LIGHTS
from hitechzone.common.api import MAX_ID, CodeOrIdRelatedField
from hitechzone.common.deadlines import BulkClock, to_ordinals
from hitechzone.enterprises.models import Enterprise

from .base import LIGHT_HELP, IdListField, request_user, text

# --- Applications -----------------------------------------------------------------------------------------------


def remaining_working_days(applications, today: date | None = None) -> dict[int, int]:
    """``{pk: working days left}`` for the applications whose clock runs (negative when overdue), in one go.

    As :func:`hitechzone.common.deadlines.remaining_working_days` (the working days after today up to the due
    date), computed for a whole page with one :class:`~hitechzone.common.deadlines.BulkClock`: one calendar
    lookup, not one per row.
    """
    today = today or timezone.localdate()
    running = [a for a in applications if a.state in Application.COUNTING_STATES and a.due_on is not None]
    if not running:
        return {}
    low = [min(a.due_on, today) for a in running]
    high = [max(a.due_on, today) for a in running]
    clock = BulkClock(min(low).year, max(high).year)
    counts, _provisional = clock.counted(to_ordinals(low), to_ordinals(high))
    return {a.pk: int(n) if a.due_on >= today else -int(n) for a, n in zip(running, counts, strict=True)}


class ClockListSerializer(serializers.ListSerializer):
    """Works out the remaining working days of the whole page before its rows are serialized."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, models.Manager | models.QuerySet) else data)
        self.remaining = remaining_working_days(rows)
        return super().to_representation(rows)


class ApplicationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="version.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    item_type = serializers.ChoiceField(choices=ItemType.choices, source="version.item_type", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    applicant = serializers.CharField(source="applicant.username", read_only=True, default=None)
    agent = serializers.CharField(
        source="agent.username", read_only=True, default=None, help_text=_("the officer who filed it as agent (代办)")
    )
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)
    light = serializers.SerializerMethodField(help_text=LIGHT_HELP)
    remaining_working_days = serializers.SerializerMethodField(
        help_text=_("While the clock runs: the working days after today up to the due date (negative: overdue).")
    )

    class Meta:
        model = Application
        list_serializer_class = ClockListSerializer
        fields = [
            "id",
            "number",
            "item",
            "item_name",
            "version",
            "item_type",
            "department",
            "department_name",
            "enterprise",
            "enterprise_name",
            "bundle",
            "title",
            "state",
            "state_label",
            "applicant",
            "agent",
            "assignee",
            "received_on",
            "accepted_on",
            "completed_on",
            "limit_days",
            "due_on",
            "due_provisional",
            "light",
            "remaining_working_days",
            "paused_working_days",
            "working_days_used",
            "on_time",
            "outcome",
            "certificate_no",
            "historical",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[*LIGHTS, ""]))
    def get_light(self, obj) -> str:
        return obj.light()

    def get_remaining_working_days(self, obj) -> int | None:
        remaining = getattr(self.parent, "remaining", None)
        if remaining is None:  # one application, not a page
            remaining = remaining_working_days([obj])
        return remaining.get(obj.pk)


class ApplicationMaterialSerializer(serializers.ModelSerializer):
    material = serializers.IntegerField(
        source="material_id", read_only=True, help_text=_("the id to give in check, supply and pause")
    )
    name = serializers.CharField(source="material.name", read_only=True)
    required = serializers.BooleanField(source="material.required", read_only=True)
    tolerable = serializers.BooleanField(source="material.tolerable", read_only=True)
    original = serializers.BooleanField(source="material.original", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ApplicationMaterial
        fields = [
            "material",
            "name",
            "required",
            "tolerable",
            "original",
            "status",
            "status_label",
            "promised_by",
            "supplied_on",
            "notice",
        ]
        read_only_fields = fields


class ApplicationNoticeSerializer(serializers.ModelSerializer):
    issued_by = serializers.CharField(source="issued_by.username", read_only=True, default=None)
    materials = serializers.SerializerMethodField(help_text=_("the ids of the materials it lists"))

    class Meta:
        model = Notice
        fields = ["id", "issued_on", "issued_by", "text", "after_acceptance", "materials"]
        read_only_fields = fields

    def get_materials(self, obj) -> list[int]:
        return [row.material_id for row in obj.materials.all()]


class ApplicationPauseSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("one of the kinds of the pause request"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Pause
        fields = ["kind", "kind_label", "started_on", "ended_on", "reason"]
        read_only_fields = fields


class ApplicationStepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default=None)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)

    class Meta:
        model = Step
        fields = ["at", "on", "by", "action", "from_state", "to_state", "assignee", "note"]
        read_only_fields = fields


class RectificationBriefSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)
    answered_by = serializers.CharField(source="answered_by.username", read_only=True, default=None)

    class Meta:
        model = Rectification
        fields = ["id", "department", "due_on", "is_open", "answer", "answered_on", "answered_by"]
        read_only_fields = fields


def level_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text=_("5 very satisfied (非常满意) … 1 very dissatisfied (非常不满意)"),
        **kwargs,
    )


class ApplicationReviewSerializer(serializers.ModelSerializer):
    level = level_field(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    rated_by = serializers.CharField(source="rated_by.username", read_only=True, default=None)
    rectification = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["level", "level_label", "comment", "rated_on", "rated_by", "rectification"]
        read_only_fields = fields

    @extend_schema_field(RectificationBriefSerializer(allow_null=True))
    def get_rectification(self, obj):
        try:
            return RectificationBriefSerializer(obj.rectification, context=self.context).data
        except ObjectDoesNotExist:
            return None


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application with its materials, notices, pauses, steps, rating and rectification."""

    bundle_name = serializers.CharField(source="bundle.name", read_only=True, default=None)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    materials = ApplicationMaterialSerializer(many=True, read_only=True)
    notices = ApplicationNoticeSerializer(many=True, read_only=True)
    pauses = ApplicationPauseSerializer(many=True, read_only=True)
    steps = ApplicationStepSerializer(many=True, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "bundle_name",
            "yellow_threshold",
            "yellow_on",
            "outcome_label",
            "reason",
            "created_at",
            "materials",
            "notices",
            "pauses",
            "steps",
            "review",
        ]
        read_only_fields = fields

    @extend_schema_field(ApplicationReviewSerializer(allow_null=True))
    def get_review(self, obj):
        try:
            return ApplicationReviewSerializer(obj.review, context=self.context).data
        except ObjectDoesNotExist:
            return None


class OverdueSerializer(ApplicationSerializer):
    overdue_working_days = serializers.SerializerMethodField(
        help_text=_("The working days after the due date up to today (0 over the weekend after a Friday due date).")
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "overdue_working_days"]
        read_only_fields = fields

    def get_overdue_working_days(self, obj) -> int:
        return max(0, -(self.get_remaining_working_days(obj) or 0))


class ForEnterpriseSerializer(serializers.Serializer):
    """A request body naming an enterprise the user may act for (an enterprise user may leave it out)."""

    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("enterprise id; an enterprise user's own if left out"),
        error_messages={"does_not_exist": _("You cannot file for an enterprise with the id “{pk_value}”.")},
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["enterprise"].queryset = Enterprise.objects.for_user(request_user(self))
        return fields

    def validate(self, attrs):
        if attrs.get("enterprise") is None:
            user = request_user(self)
            if user is None or not user.enterprise_id:
                raise serializers.ValidationError({"enterprise": [_("Choose the enterprise.")]})
            attrs["enterprise"] = user.enterprise
        return attrs


class ApplicationCreateSerializer(ForEnterpriseSerializer):
    """File an application: an enterprise user for its own enterprise, its service officer as approval agent
    (代办), or an administrator."""

    item = CodeOrIdRelatedField(queryset=Item.objects.all(), help_text=_("item code or id"))
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    provided = IdListField(help_text=_("ids of the materials (of the current version) handed in with it"))
    received_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("today if left out; never in the future")
    )


class MaterialPromiseSerializer(serializers.Serializer):
    material = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    by = serializers.DateField(help_text=_("the day the applicant promises to hand it in"))


class ApplicationCheckSerializer(serializers.Serializer):
    """The window's check: every required material provided, or (容缺) promised, accepts; otherwise one notice."""

    provided = IdListField(help_text=_("ids of the materials found in order"))
    promised = MaterialPromiseSerializer(many=True, required=False, default=list)
    note = text()

    def validate(self, attrs):
        attrs["promised"] = {p["material"]: p["by"] for p in attrs["promised"]}
        return attrs


class ApplicationRejectSerializer(serializers.Serializer):
    reason = text()


class ApplicationSupplySerializer(serializers.Serializer):
    materials = IdListField(help_text=_("ids of the missing or promised materials handed in"))


class ApplicationAssignSerializer(serializers.Serializer):
    assignee = CodeOrIdRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text=_("username or id of one of the department's staff"),
    )
    note = text()


class ClockPauseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Pause.Kind.choices)
    reason = text(max_length=200)
    missing = IdListField(help_text=_("for a correction (补正): ids of the materials to supply again"))


class ApplicationNoteSerializer(serializers.Serializer):
    note = text()


class ApplicationCompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Application.Outcome.choices)
    certificate_no = text(max_length=60, help_text=_("approved: the certificate or approval document number"))
    reason = text(help_text=_("refused: the reason"))


class ApplicationRateSerializer(serializers.Serializer):
    level = level_field()
    comment = text(help_text=_("required for 2 (不满意) or 1: it goes to the department as a rectification task"))
