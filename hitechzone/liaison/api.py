"""The M1 API: assignments, visits, problems and their closed loop, the monthly coverage and the year's figures.

Every write calls ``services``; a ``services.Refused`` answers 400 ``{"detail": message}``. Reads start from
``Model.objects.for_user(user)``, so another role's or another officer's row answers 404.
"""

from __future__ import annotations

import re
from datetime import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.accounts.models import Role
from hitechzone.common.api import RefusalsAnswer400, ScopedModelViewSet, code_or_id_q, ids_q
from hitechzone.common.models import MAX_YEAR, MIN_YEAR
from hitechzone.common.params import api_year, year_or
from hitechzone.enterprises.models import Assignment

from . import queries, services
from .models import Category, Problem, Visit
from .serializers import (
    AssignmentEndSerializer,
    AssignmentSerializer,
    CoverageSerializer,
    HandOverSerializer,
    NoteSerializer,
    ProblemCreateSerializer,
    ProblemSerializer,
    RateSerializer,
    SolutionSerializer,
    StatsSerializer,
    VisitSerializer,
)

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def officer_q(model, value: str) -> Q:
    """``?officer=officer1`` or ``?officer=12``: a username or a user id (comma-separated for several)."""
    return code_or_id_q(model, "officer", value, slug_field="username")


def parse_month(value: str) -> tuple[int, int]:
    match = MONTH.match(value or "")
    if not match or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        raise serializers.ValidationError({"month": [_("Give the month as YYYY-MM, e.g. 2025-03.")]})
    return int(match[1]), int(match[2])


# --- Assignments ------------------------------------------------------------------------------------------------


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
