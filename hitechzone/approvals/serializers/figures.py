"""Serializers of parallel approvals, rectifications, the year's figures and the overdue list."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.approvals.models import (
    Application,
    Bundle,
    Item,
    ItemType,
    Mode,
    Rectification,
)
from hitechzone.approvals.queries import LIGHTS
from hitechzone.common.api import CodeOrIdRelatedField

from .applications import ForEnterpriseSerializer, level_field
from .base import LIGHT_HELP, text

# --- Parallel approval ------------------------------------------------------------------------------------------


class BundleApplicationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="version.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    done = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField(help_text=LIGHT_HELP)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "item",
            "item_name",
            "department",
            "department_name",
            "state",
            "state_label",
            "done",
            "outcome",
            "accepted_on",
            "due_on",
            "completed_on",
            "working_days_used",
            "light",
        ]
        read_only_fields = fields

    def get_done(self, obj) -> bool:
        return obj.state in Application.DONE_STATES

    @extend_schema_field(serializers.ChoiceField(choices=[*LIGHTS, ""]))
    def get_light(self, obj) -> str:
        return obj.light()


class BundleSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    done = serializers.SerializerMethodField(help_text=_("every application of the bundle is done"))
    applications = BundleApplicationSerializer(many=True, read_only=True)

    class Meta:
        model = Bundle
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "created_by",
            "started_on",
            "completed_on",
            "done",
            "total_working_days",
            "applications",
        ]
        read_only_fields = fields

    def get_done(self, obj) -> bool:
        return obj.completed_on is not None


class BundleCreateSerializer(ForEnterpriseSerializer):
    """并联审批: one application per item, filed together for one project of the enterprise."""

    name = serializers.CharField(max_length=120, help_text=_("the project"))
    items = CodeOrIdRelatedField(many=True, queryset=Item.objects.all(), help_text=_("item codes or ids"))


# --- Rectifications ---------------------------------------------------------------------------------------------


class RectificationSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="review.application_id", read_only=True)
    application_number = serializers.CharField(source="review.application.number", read_only=True)
    item_name = serializers.CharField(source="review.application.version.name", read_only=True)
    enterprise = serializers.IntegerField(source="review.application.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="review.application.enterprise.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    level = level_field(source="review.level", read_only=True)
    level_label = serializers.CharField(source="review.get_level_display", read_only=True)
    comment = serializers.CharField(source="review.comment", read_only=True)
    rated_on = serializers.DateField(source="review.rated_on", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("unanswered after the due date"))
    answered_by = serializers.CharField(source="answered_by.username", read_only=True, default=None)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "application",
            "application_number",
            "item_name",
            "enterprise",
            "enterprise_name",
            "department",
            "department_name",
            "level",
            "level_label",
            "comment",
            "rated_on",
            "due_on",
            "is_open",
            "overdue",
            "answer",
            "answered_on",
            "answered_by",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.answered_on is None and obj.due_on < timezone.localdate()


class RectificationAnswerSerializer(serializers.Serializer):
    answer = text(help_text=_("what the department put right"))


# --- Figures ----------------------------------------------------------------------------------------------------


class ApprovalTallySerializer(serializers.Serializer):
    """Counts over the applications received in the year; processing times over completed commitment items."""

    applications = serializers.IntegerField()
    completed = serializers.IntegerField()
    approved = serializers.IntegerField()
    refused = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text=_("not accepted (不予受理)"))
    immediate_completed = serializers.IntegerField()
    average_working_days = serializers.FloatField(allow_null=True)
    fastest_working_days = serializers.IntegerField(allow_null=True)
    slowest_working_days = serializers.IntegerField(allow_null=True)
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text=_("0..1 of the completed"))
    paused = serializers.IntegerField(help_text=_("applications whose clock stopped at least one working day"))
    timed = serializers.IntegerField(help_text=_("completed commitment items (the processing times are theirs)"))


class ApprovalLightsSerializer(serializers.Serializer):
    green = serializers.IntegerField()
    yellow = serializers.IntegerField()
    red = serializers.IntegerField()
    paused = serializers.IntegerField()


class ApprovalComparisonSerializer(serializers.Serializer):
    pre_reform_average_days = serializers.FloatField(allow_null=True)
    average_working_days = serializers.FloatField(allow_null=True)
    pre_reform_min_days = serializers.IntegerField(allow_null=True)
    pre_reform_max_days = serializers.IntegerField(allow_null=True)
    fastest_working_days = serializers.IntegerField(allow_null=True)
    fastest_project_working_days = serializers.IntegerField(allow_null=True)


class BundleStatsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    completed = serializers.IntegerField()
    average_working_days = serializers.FloatField(allow_null=True)
    fastest_working_days = serializers.IntegerField(allow_null=True)


class ApprovalDepartmentStatsSerializer(ApprovalTallySerializer):
    department = serializers.CharField(help_text=_("department code"))
    name = serializers.CharField()
    short_name = serializers.CharField()
    items = serializers.IntegerField()
    pre_reform_average_days = serializers.FloatField(allow_null=True)


class ItemStatsSerializer(ApprovalTallySerializer):
    item = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(help_text=_("department code"))
    department_name = serializers.CharField()
    mode = serializers.ChoiceField(choices=Mode.choices)
    item_type = serializers.ChoiceField(choices=ItemType.choices)
    promised_limit = serializers.IntegerField()
    statutory_limit = serializers.IntegerField()
    pre_reform_days = serializers.IntegerField(allow_null=True)


class ApprovalMonthStatsSerializer(ApprovalTallySerializer):
    month = serializers.IntegerField(min_value=1, max_value=12)


@extend_schema_field(
    {
        "type": "object",
        "properties": {mode: {"type": "integer"} for mode in Mode.values},
        "additionalProperties": False,
    }
)
class ByModeField(serializers.DictField):
    child = serializers.IntegerField()


class ApprovalStatsSerializer(ApprovalTallySerializer):
    """The figures of a year over what the user may see."""

    year = serializers.IntegerField()
    items = serializers.IntegerField(help_text=_("items of the catalogue (not cancelled)"))
    departments = serializers.IntegerField(help_text=_("departments with items in the catalogue"))
    by_mode = ByModeField(help_text=_("items per delegation mode"))
    lights = ApprovalLightsSerializer(help_text=_("running applications per light, today"))
    overdue = serializers.IntegerField(help_text=_("running applications past their due date, today"))
    comparison = ApprovalComparisonSerializer()
    bundles = BundleStatsSerializer()
    by_department = ApprovalDepartmentStatsSerializer(many=True)
    by_item = ItemStatsSerializer(many=True)
    by_month = ApprovalMonthStatsSerializer(many=True)
