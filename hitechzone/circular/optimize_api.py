"""The exchange optimiser's API.

``POST /api/v1/circular/optimize/`` with ``{"scenario": {...}}`` (a what-if scenario) or ``{"year": Y, "chain"?}``
(the zone's data of that year, as the caller may see it) solves and stores a run and answers 201 with it; an
invalid scenario answers 400 ``{"detail", "problems": [...]}`` and stores nothing. Administrators, leaders,
department staff and service officers run the optimiser; enterprises and experts are refused (403).
``GET /api/v1/circular/optimizations/`` lists the runs the caller may see (``RunQuerySet``: the zone's staff all,
an officer their own); the list leaves out each run's scenario, the detail has it.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import ScopedReadOnlyViewSet
from hitechzone.common.rules import Refused
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR

from . import optimize
from .models import OptimizationRun
from .roles import OPTIMISE_ROLES

RUN_STATUSES = [value for value, _label in OptimizationRun.Status.choices]


@extend_schema_field({"allOf": [{"type": "string"}, {"enum": RUN_STATUSES}]})
class RunStatusField(serializers.CharField):
    """Inline enum: a named "status" enum would collide with other modules' (``--fail-on-warn``)."""


class OptimizationRunSerializer(serializers.ModelSerializer):
    status = RunStatusField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = OptimizationRun
        fields = ["id", "name", "year", "status", "solver", "solve_seconds", "created_by", "created_at", "result"]
        read_only_fields = fields


class OptimizationRunDetailSerializer(OptimizationRunSerializer):
    class Meta(OptimizationRunSerializer.Meta):
        fields = [*OptimizationRunSerializer.Meta.fields, "scenario"]
        read_only_fields = fields


class OptimizeRequestSerializer(serializers.Serializer):
    scenario = serializers.JSONField(
        required=False, help_text=_("A scenario: materials, supplies, demands and (optionally) arcs.")
    )
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("Without a scenario: build it from the zone's data of this year."),
    )
    chain = serializers.CharField(
        required=False, help_text=_("With a year and no scenario: only this industry chain's materials (code).")
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate(self, attrs):
        if "scenario" not in attrs and "year" not in attrs:
            raise serializers.ValidationError(_("Give a scenario or a year."))
        return attrs


class ProblemsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())


class OptimizeView(APIView):
    write_roles = OPTIMISE_ROLES

    @extend_schema(
        request=OptimizeRequestSerializer,
        responses={201: OptimizationRunDetailSerializer, 400: ProblemsSerializer},
        summary="Solve and store an exchange optimisation",
    )
    def post(self, request):
        body = OptimizeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        year = data.get("year")
        if "scenario" in data:
            scenario = data["scenario"]
        else:
            scenario = optimize.scenario_from_zone(year=year, user=request.user, chain=data.get("chain"))
        name = data.get("name", "")
        try:
            run = optimize.run_optimization(by=request.user, scenario=scenario, name=name, year=year)
        except optimize.ScenarioError as exc:
            detail = _("The scenario is invalid.")
            return Response({"detail": detail, "problems": exc.problems}, status=status.HTTP_400_BAD_REQUEST)
        except Refused as exc:
            return Response({"detail": str(exc), "problems": []}, status=status.HTTP_400_BAD_REQUEST)
        return Response(OptimizationRunDetailSerializer(run).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("year", int, description=_("Only the runs built from this year."))])
class OptimizationRunViewSet(ScopedReadOnlyViewSet):
    queryset = OptimizationRun.objects.all()
    select_related = ("created_by",)

    def get_serializer_class(self):
        return OptimizationRunDetailSerializer if self.action == "retrieve" else OptimizationRunSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            qs = qs.defer("scenario")
            year = self.request.query_params.get("year", "")
            if year:
                qs = qs.filter(year=int(year)) if year.isdecimal() and len(year) <= 4 else qs.none()
        return qs


# (prefix, viewset, basename) registered on the v1 router, and plain paths under /api/v1/.
ROUTES = [("circular/optimizations", OptimizationRunViewSet, "circular-optimization")]
PATHS = [path("circular/optimize/", OptimizeView.as_view(), name="api-circular-optimize")]
