"""The M1 API: assignments, visits, problems and their closed loop, the monthly coverage and the year's figures.

Every write calls ``services``; a ``services.Refused`` answers 400 ``{"detail": message}``. Reads start from
``Model.objects.for_user(user)``, so another role's or another officer's row answers 404.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.accounts.models import Role, User
from hitechzone.common.api import (
    CodeOrIdRelatedField,
    RefusalsAnswer400,
    ScopedModelViewSet,
    code_or_id_q,
    ids_q,
)
from hitechzone.common.models import MAX_YEAR, MIN_YEAR
from hitechzone.common.params import api_year, year_or
from hitechzone.enterprises.models import Enterprise
from hitechzone.zone.models import Department

from . import queries, services
from .models import SERVICE_TARGETS, Assignment, Category, Problem, ProblemStep, Rating, Visit

# The officer is at once these three (the article's 三员合一); every assignment carries all of them.
DUTIES = (
    ("investment_helper", _("Investment helper (招商引资全程帮办员)")),
    ("approval_agent", _("Approval agent (投资项目审批代办员)")),
    ("liaison", _("Liaison (企业常态服务联络员)")),
)

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def officer_q(model, value: str) -> Q:
    """``?officer=officer1`` or ``?officer=12``: a username or a user id (comma-separated for several)."""
    return code_or_id_q(model, "officer", value, slug_field="username")


def person_name(user) -> str | None:
    return (user.full_name or user.username) if user is not None else None


def request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def scoped_enterprises(serializer):
    """The enterprises the signed-in user may see (none while the schema is generated without a user)."""
    return Enterprise.objects.for_user(request_user(serializer))


def parse_month(value: str) -> tuple[int, int]:
    match = MONTH.match(value or "")
    if not match or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        raise serializers.ValidationError({"month": [_("Give the month as YYYY-MM, e.g. 2025-03.")]})
    return int(match[1]), int(match[2])


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


class AssignmentFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(method="filter_active", label=_("active today"))
    officer = django_filters.CharFilter(method="filter_officer", label=_("officer username or id"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))

    class Meta:
        model = Assignment
        fields = []

    def filter_active(self, queryset, name, value):
        running = Assignment.objects.active().values("pk")
        return queryset.filter(pk__in=running) if value else queryset.exclude(pk__in=running)

    def filter_officer(self, queryset, name, value):
        return queryset.filter(officer_q(queryset.model, value))

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))


class AssignmentViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Officer assignments (admin, leader: all; officer: their own; enterprise: its own; others: none).

    Administrators create one (``POST``; it ends the enterprise's current assignment the day the new one starts)
    and end one (``POST {id}/end/``). No update or delete: the history is kept as it happened.
    """

    http_method_names = ["get", "post", "head", "options"]
    queryset = Assignment.objects.order_by("-started_on", "-id")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    select_related = ("officer", "enterprise")

    @extend_schema(
        summary=_("End an assignment (administrators)."),
        request=AssignmentEndSerializer,
        responses=AssignmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = self.get_object()
        body = AssignmentEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = services.assignment_end(assignment=assignment, by=request.user, **body.validated_data)
        return Response(self.get_serializer(assignment).data)


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


class VisitFilter(django_filters.FilterSet):
    officer = django_filters.CharFilter(method="filter_officer", label=_("officer username or id"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))
    month = django_filters.CharFilter(method="filter_month", label=_("month (YYYY-MM)"))
    since = django_filters.DateFilter(field_name="visited_on", lookup_expr="gte", label=_("visited on or after"))
    until = django_filters.DateFilter(field_name="visited_on", lookup_expr="lte", label=_("visited on or before"))

    class Meta:
        model = Visit
        fields = ["form"]

    def filter_officer(self, queryset, name, value):
        return queryset.filter(officer_q(queryset.model, value))

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))

    def filter_month(self, queryset, name, value):
        first, last = services.month_bounds(*parse_month(value))
        return queryset.filter(visited_on__gte=first, visited_on__lte=last)


class VisitViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Visits (admin, leader: all; officer: their own; enterprise: those to it; others: none).

    An officer records a visit to one of their own enterprises, with the problems found on the way.
    """

    http_method_names = ["get", "post", "head", "options"]
    write_roles = (Role.OFFICER,)
    queryset = Visit.objects.order_by("-visited_on", "-id")
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    select_related = ("officer", "enterprise")
    prefetch_related = ("problems",)


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


STATUS_VALUES = [value for value, _label in Problem.Status.choices]


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """``?status=accepted,handed_over``: one or more of the choices."""


class ProblemFilter(django_filters.FilterSet):
    status = ChoiceInFilter(choices=Problem.Status.choices, label=_("status (comma-separated for several)"))
    category = ChoiceInFilter(choices=Category.choices, label=_("category (comma-separated for several)"))
    department = django_filters.CharFilter(method="filter_department", label=_("department code or id"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))
    officer = django_filters.CharFilter(method="filter_officer", label=_("officer username or id"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue (past the due date, unsolved)"))
    escalated = django_filters.BooleanFilter(
        method="filter_escalated", label=_("escalated and not closed (the leaders' list)")
    )
    year = django_filters.NumberFilter(method="filter_year", label=_("raised in the year"))

    class Meta:
        model = Problem
        fields = ["origin", "solved_directly"]

    def filter_department(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Problem, "department", value))

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))

    def filter_officer(self, queryset, name, value):
        return queryset.filter(officer_q(queryset.model, value))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=Problem.WAITING_ON_HANDLER, due_on__lt=timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)

    def filter_escalated(self, queryset, name, value):
        escalated = Q(escalated_at__isnull=False) & ~Q(status=Problem.Status.CLOSED)
        return queryset.filter(escalated if value else ~escalated)

    def filter_year(self, queryset, name, value):
        year = year_or(int(value), None, first=MIN_YEAR, last=MAX_YEAR)
        if year is None:
            return queryset.none()
        tz = timezone.get_current_timezone()
        return queryset.filter(
            created_at__gte=datetime(year, 1, 1, tzinfo=tz), created_at__lt=datetime(year + 1, 1, 1, tzinfo=tz)
        )


LOOP = services.LOOP


class ProblemViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Problems (诉求) and their closed loop.

    Who sees which: admin and leader all; an officer the problems of their enterprises and those they raised;
    department staff the problems handed over to their department; an enterprise its own; experts none.
    An enterprise user (for its own enterprise) or an officer (for one of theirs) raises a problem (``POST``).
    Each transition is an action answering the problem: ``accept``, ``hand_over``, ``solve`` and ``close``
    (the officer), ``reply`` (the department it was handed to), ``rate`` (the enterprise). A transition the rules
    do not allow answers 400 with the reason.
    """

    http_method_names = ["get", "post", "head", "options"]
    write_roles = tuple(sorted(services.RAISE_ROLES))
    queryset = Problem.objects.order_by("-created_at", "-id")
    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    select_related = ("enterprise", "officer", "raised_by", "department")
    prefetch_related = ("steps__user",)

    def _answer(self, problem: Problem, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=problem.pk).first() or problem
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=ProblemCreateSerializer, responses={201: ProblemSerializer})
    def create(self, request, *args, **kwargs):
        body = ProblemCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        problem = services.problem_raise(by=request.user, **body.validated_data)
        return self._answer(problem, status.HTTP_201_CREATED)

    def _transition(self, request, action: str, body_class):
        problem = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(LOOP[action].service(problem=problem, by=request.user, **body.validated_data))

    @extend_schema(
        summary=_("The officer accepts a submitted problem."), request=NoteSerializer, responses=ProblemSerializer
    )
    @action(detail=True, methods=["post"], write_roles=LOOP["accept"].roles)
    def accept(self, request, pk=None):
        return self._transition(request, "accept", NoteSerializer)

    @extend_schema(
        summary=_(
            "The officer hands an accepted problem over to one department (交办), with a due date in working days."
        ),
        request=HandOverSerializer,
        responses=ProblemSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=LOOP["hand_over"].roles)
    def hand_over(self, request, pk=None):
        return self._transition(request, "hand_over", HandOverSerializer)

    @extend_schema(
        summary=_("The department it was handed to says how it solved the problem."),
        request=SolutionSerializer,
        responses=ProblemSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=LOOP["reply"].roles)
    def reply(self, request, pk=None):
        return self._transition(request, "reply", SolutionSerializer)

    @extend_schema(
        summary=_("The officer solves a problem not handed over, and says how."),
        request=SolutionSerializer,
        responses=ProblemSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=LOOP["solve"].roles)
    def solve(self, request, pk=None):
        return self._transition(request, "solve", SolutionSerializer)

    @extend_schema(
        summary=_("The enterprise rates the solution: 3 (基本满意) or better closes it, 2 or 1 reopens it."),
        request=RateSerializer,
        responses=ProblemSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=LOOP["rate"].roles)
    def rate(self, request, pk=None):
        return self._transition(request, "rate", RateSerializer)

    @extend_schema(
        summary=_("The officer closes a solved problem the enterprise left unrated."),
        request=NoteSerializer,
        responses=ProblemSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=LOOP["close"].roles)
    def close(self, request, pk=None):
        return self._transition(request, "close", NoteSerializer)


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


class CoverageView(APIView):
    """The monthly rule: each officer visits each of their enterprises at least once a calendar month.

    An assignment counts for a month when it runs at the month's end (today, in the current month), from its
    start. Admin and leader see the whole zone, an officer their own enterprises, other roles nothing.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description=_("YYYY-MM; the current month if left out"))
        ],
        responses=CoverageSerializer,
    )
    def get(self, request):
        month = request.query_params.get("month")
        year, number = parse_month(month) if month else (timezone.localdate().year, timezone.localdate().month)
        return Response(queries.coverage(year, number, request.user))


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


class StatsView(APIView):
    """The year's figures (visits, enterprises served, problems handed over and solved, by category, satisfaction).

    Every figure is counted over what the user may see (``Visit``/``Problem.objects.for_user``): admin and
    leader the whole zone, an officer their own work, department staff the problems handed to their department
    (no visits), an enterprise its own. Experts see no visit and no problem, so they get zeros (200, not 404:
    the answer reveals nothing and keeps one shape for every role).
    """

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("the current year if left out"))],
        responses=StatsSerializer,
    )
    def get(self, request):
        year = api_year(request, timezone.localdate().year, first=MIN_YEAR, last=MAX_YEAR)
        return Response(queries.stats(year, request.user))
