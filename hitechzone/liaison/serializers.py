"""The M1 API's serializers: what the assignment, visit and problem endpoints read and write, and the shapes of
the coverage and the year's figures. Writes go through ``services`` (``create`` calls the service).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.accounts.models import User
from hitechzone.common.api import CodeOrIdRelatedField
from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.zone.models import Department

from . import services
from .models import SERVICE_TARGETS, Category, Problem, ProblemStep, Rating, Visit

# The officer is at once these three (the article's 三员合一); every assignment carries all of them.
DUTIES = (
    ("investment_helper", _("Investment helper (招商引资全程帮办员)")),
    ("approval_agent", _("Approval agent (投资项目审批代办员)")),
    ("liaison", _("Liaison (企业常态服务联络员)")),
)


def person_name(user) -> str | None:
    return (user.full_name or user.username) if user is not None else None


def request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def scoped_enterprises(serializer):
    """The enterprises the signed-in user may see (none while the schema is generated without a user)."""
    return Enterprise.objects.for_user(request_user(serializer))


# --- Assignments ------------------------------------------------------------------------------------------------


def assignment_is_active(assignment: Assignment, today: date) -> bool:
    """As ``Assignment.objects.active()``: started, and ``ended_on`` (the first day without it) not reached."""
    return assignment.started_on <= today and (assignment.ended_on is None or assignment.ended_on > today)


class AssignmentSerializer(serializers.ModelSerializer):
    officer = CodeOrIdRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    officer_name = serializers.SerializerMethodField()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.none())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    active = serializers.SerializerMethodField()
    duties = serializers.SerializerMethodField()
    duty_labels = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "officer",
            "officer_name",
            "enterprise",
            "enterprise_name",
            "started_on",
            "ended_on",
            "active",
            "duties",
            "duty_labels",
        ]
        read_only_fields = ["ended_on"]

    def get_fields(self):
        fields = super().get_fields()
        fields["enterprise"].queryset = scoped_enterprises(self)
        return fields

    def get_officer_name(self, obj) -> str:
        return person_name(obj.officer)

    def get_active(self, obj) -> bool:
        return assignment_is_active(obj, timezone.localdate())

    def get_duties(self, obj) -> list[str]:
        return [code for code, _label in DUTIES]

    def get_duty_labels(self, obj) -> list[str]:
        return [str(label) for _code, label in DUTIES]

    def create(self, validated_data):
        return services.assignment_start(by=request_user(self), **validated_data)


class AssignmentEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text=_("The first day the officer no longer serves the enterprise."))


# --- Visits -----------------------------------------------------------------------------------------------------


class FoundProblemSerializer(serializers.Serializer):
    """A problem found during a visit (it becomes a Problem, accepted by the officer)."""

    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ProblemBriefSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)  # a plain string here: the enum is described once, on Problem

    class Meta:
        model = Problem
        fields = ["id", "category", "title", "status"]


class VisitSerializer(serializers.ModelSerializer):
    officer = serializers.CharField(source="officer.username", read_only=True)
    officer_name = serializers.SerializerMethodField()
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(),
        error_messages={"does_not_exist": _("You serve no enterprise with the id “{pk_value}”.")},
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    problems = FoundProblemSerializer(many=True, write_only=True, required=False)
    problems_found = ProblemBriefSerializer(source="problems", many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "officer",
            "officer_name",
            "enterprise",
            "enterprise_name",
            "visited_on",
            "form",
            "people_met",
            "notes",
            "created_at",
            "problems",
            "problems_found",
        ]
        read_only_fields = ["created_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["enterprise"].queryset = scoped_enterprises(self)
        return fields

    def get_officer_name(self, obj) -> str:
        return person_name(obj.officer)

    def create(self, validated_data):
        return services.visit_record(officer=request_user(self), **validated_data)


# --- Problems ---------------------------------------------------------------------------------------------------


class ProblemStepSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = ProblemStep
        fields = ["at", "user", "user_name", "action", "from_status", "to_status", "note"]

    def get_user_name(self, obj) -> str | None:
        return person_name(obj.user)


class ProblemSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    officer = serializers.CharField(source="officer.username", read_only=True, default=None)
    officer_name = serializers.SerializerMethodField()
    raised_by = serializers.CharField(source="raised_by.username", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True, default=None)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    rating_label = serializers.CharField(source="get_rating_display", read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True)
    steps = ProblemStepSerializer(many=True, read_only=True)

    class Meta:
        model = Problem
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "officer",
            "officer_name",
            "origin",
            "raised_by",
            "visit",
            "category",
            "category_label",
            "title",
            "description",
            "status",
            "status_label",
            "department",
            "department_name",
            "due_on",
            "is_overdue",
            "solved_directly",
            "solution",
            "rating",
            "rating_label",
            "target_scores",
            "rating_comment",
            "reopened_count",
            "escalated_at",
            "created_at",
            "accepted_at",
            "handed_over_at",
            "solved_at",
            "rated_at",
            "closed_at",
            "steps",
        ]
        read_only_fields = fields

    def get_officer_name(self, obj) -> str | None:
        return person_name(obj.officer)


class ProblemCreateSerializer(serializers.Serializer):
    """An enterprise user raises a problem for its own enterprise (``enterprise`` may be left out); an officer for
    one of theirs."""

    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False)
    category = serializers.ChoiceField(choices=Category.choices)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        user = request_user(self)
        if "enterprise" not in attrs:
            if user is None or not user.enterprise_id:
                raise serializers.ValidationError({"enterprise": [_("Choose the enterprise.")]})
            attrs["enterprise"] = user.enterprise
        return attrs


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HandOverSerializer(serializers.Serializer):
    department = CodeOrIdRelatedField(queryset=Department.objects.all())
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A future working day; left out, the category's default number of working days from today."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SolutionSerializer(serializers.Serializer):
    solution = serializers.CharField(allow_blank=True)


@extend_schema_field(
    {
        "type": "object",
        "properties": {key: {"type": "integer", "minimum": 1, "maximum": 5} for key in SERVICE_TARGETS},
        "additionalProperties": False,
    }
)
class TargetScoresField(serializers.DictField):
    child = serializers.IntegerField(min_value=1, max_value=5)


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(
        choices=Rating.choices, help_text=_("5 very satisfied (非常满意) … 1 very dissatisfied (非常不满意)")
    )
    target_scores = TargetScoresField(required=False, default=dict)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("When the rating reopens the problem: the new due date (a future working day)."),
    )


# --- Coverage and the year's figures ----------------------------------------------------------------------------


class CoverageOfficerSerializer(serializers.Serializer):
    officer = serializers.CharField()
    officer_name = serializers.CharField()
    assignments = serializers.IntegerField()
    visited = serializers.IntegerField()
    share = serializers.FloatField()


class CoverageMissingSerializer(serializers.Serializer):
    officer = serializers.CharField(help_text=_("username"))
    officer_name = serializers.CharField()
    enterprise = serializers.CharField(help_text=_("enterprise name"))
    enterprise_id = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    month = serializers.CharField()
    assignments = serializers.IntegerField()
    visited = serializers.IntegerField()
    share = serializers.FloatField()
    officers = CoverageOfficerSerializer(many=True)
    missing = CoverageMissingSerializer(many=True)


class StatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    visits = serializers.IntegerField()
    enterprises_served = serializers.IntegerField()
    problems_raised = serializers.IntegerField()
    problems_handed_over = serializers.IntegerField()
    problems_solved = serializers.IntegerField()
    problems_solved_directly = serializers.IntegerField()
    problems_overdue = serializers.IntegerField()
    problems_reopened = serializers.IntegerField()
    problems_open = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.DictField())
    satisfaction = serializers.DictField()
    months = serializers.ListField(child=serializers.CharField())
    series = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    per_officer = serializers.DictField(child=serializers.DictField())
