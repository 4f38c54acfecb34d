"""Circular transformation projects and the park indicators, over the API.

``circular/projects``: the projects the user may see (``CircularProject.objects.for_user``: the zone's staff all,
an officer those of the enterprises they serve, an enterprise its own), filtered by owner, category, status,
grade, pilot batch year and enterprise; administrators and department staff create (``POST``) and change
(``PATCH``) them through ``projects``; a rule they break answers 400 ``{"detail": message}``.
``circular/projects/stats/`` sums the same (filtered) projects.

``circular/indicators/?year=Y``: the park's circular-economy indicators of a year (``indicators``), for the zone's
administrators, leaders and department staff (anybody else: 403).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import RefusalsAnswer400, ScopedModelViewSet, ids_q, inline_choice_field
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise

from . import indicators, projects
from .models import CircularProject
from .roles import WRITERS

P = CircularProject
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
TONNES = {"max_digits": 16, "decimal_places": 3, "min_value": 0}
NUMBER = {"coerce_to_string": False}


OwnerField = inline_choice_field(P.Owner.choices, "CircularProjectOwner")
CategoryField = inline_choice_field(P.Category.choices, "CircularProjectCategory")
StatusField = inline_choice_field(P.Status.choices, "CircularProjectStatus")
GradeField = inline_choice_field([("", "—"), *P.Grade.choices], "CircularProjectGrade")


# --- Serializers ------------------------------------------------------------------------------------------------


class CircularProjectSerializer(serializers.ModelSerializer):
    owner = OwnerField(read_only=True)
    category = CategoryField(read_only=True)
    status = StatusField(read_only=True)
    grade = GradeField(read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None, allow_null=True)
    total_investment_wan_yuan = serializers.DecimalField(**MONEY, **NUMBER, read_only=True)
    central_funds_approved_wan_yuan = serializers.DecimalField(**MONEY, **NUMBER, read_only=True)
    central_funds_paid_wan_yuan = serializers.DecimalField(**MONEY, **NUMBER, read_only=True)
    energy_saved_tce = serializers.DecimalField(**TONNES, **NUMBER, read_only=True, allow_null=True)
    water_saved_t = serializers.DecimalField(**TONNES, **NUMBER, read_only=True, allow_null=True)
    co2_cut_t = serializers.DecimalField(**TONNES, **NUMBER, read_only=True, allow_null=True)
    waste_cut_t = serializers.DecimalField(**TONNES, **NUMBER, read_only=True, allow_null=True)

    class Meta:
        model = P
        fields = [
            "id",
            "code",
            "name",
            "owner",
            "enterprise",
            "enterprise_name",
            "category",
            "batch_year",
            "total_investment_wan_yuan",
            "central_funds_approved_wan_yuan",
            "central_funds_paid_wan_yuan",
            "energy_saved_tce",
            "water_saved_t",
            "co2_cut_t",
            "waste_cut_t",
            "status",
            "started_on",
            "completed_on",
            "accepted_on",
            "grade",
            "description",
            "updated_at",
        ]
        read_only_fields = fields


class CircularProjectWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=128)
    owner = OwnerField()
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(), required=False, allow_null=True, help_text=_("enterprise id")
    )
    category = CategoryField()
    batch_year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    total_investment_wan_yuan = serializers.DecimalField(**MONEY)
    central_funds_approved_wan_yuan = serializers.DecimalField(**MONEY, required=False)
    central_funds_paid_wan_yuan = serializers.DecimalField(**MONEY, required=False)
    energy_saved_tce = serializers.DecimalField(**TONNES, required=False, allow_null=True)
    water_saved_t = serializers.DecimalField(**TONNES, required=False, allow_null=True)
    co2_cut_t = serializers.DecimalField(**TONNES, required=False, allow_null=True)
    waste_cut_t = serializers.DecimalField(**TONNES, required=False, allow_null=True)
    status = StatusField(required=False)
    started_on = serializers.DateField(required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)
    accepted_on = serializers.DateField(required=False, allow_null=True)
    grade = GradeField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class CircularGroupSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    total_investment_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, **NUMBER)
    central_funds_wan_yuan = serializers.DecimalField(
        max_digits=16, decimal_places=2, **NUMBER, help_text=_("central funds approved (10k yuan)")
    )
    central_funds_paid_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, **NUMBER)


class CircularCategoryGroupSerializer(CircularGroupSerializer):
    category = CategoryField()
    label = serializers.CharField()


class CircularStatusGroupSerializer(CircularGroupSerializer):
    status = StatusField()
    label = serializers.CharField()


class CircularGradeGroupSerializer(CircularGroupSerializer):
    grade = GradeField()
    label = serializers.CharField()


class CircularBatchGroupSerializer(CircularGroupSerializer):
    batch_year = serializers.IntegerField()


class CircularProjectStatsSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    government_projects = serializers.IntegerField()
    enterprise_projects = serializers.IntegerField()
    total_investment_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, **NUMBER)
    central_funds_wan_yuan = serializers.DecimalField(
        max_digits=16, decimal_places=2, **NUMBER, help_text=_("central funds approved (10k yuan)")
    )
    central_funds_paid_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, **NUMBER)
    energy_saved_tce = serializers.DecimalField(max_digits=18, decimal_places=3, **NUMBER)
    water_saved_t = serializers.DecimalField(max_digits=18, decimal_places=3, **NUMBER)
    co2_cut_t = serializers.DecimalField(max_digits=18, decimal_places=3, **NUMBER)
    waste_cut_t = serializers.DecimalField(max_digits=18, decimal_places=3, **NUMBER)
    by_category = CircularCategoryGroupSerializer(many=True)
    by_status = CircularStatusGroupSerializer(many=True)
    by_grade = CircularGradeGroupSerializer(many=True)
    by_batch_year = CircularBatchGroupSerializer(many=True)


class CircularIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text=_("null when the denominator is 0 or missing"))
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    formula = serializers.CharField()
    enterprises = serializers.IntegerField(
        allow_null=True, help_text=_("enterprises that reported the figures (null where it does not apply)")
    )


class CircularIndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField(), help_text=_("the years with data"))
    indicators = CircularIndicatorSerializer(many=True)


# --- Projects ---------------------------------------------------------------------------------------------------


class CircularProjectFilter(django_filters.FilterSet):
    owner = django_filters.ChoiceFilter(choices=P.Owner.choices)
    category = django_filters.MultipleChoiceFilter(choices=P.Category.choices)
    status = django_filters.MultipleChoiceFilter(choices=P.Status.choices)
    grade = django_filters.ChoiceFilter(choices=P.Grade.choices)
    year = django_filters.NumberFilter(field_name="batch_year", label=_("pilot batch year"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))
    q = django_filters.CharFilter(method="filter_q", label=_("number, name or enterprise contains"))

    class Meta:
        model = P
        fields = []

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(enterprise__name__icontains=value)
        )


class CircularProjectViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Circular transformation projects (循环化改造项目): government or enterprise, with their investment, central
    funds, expected savings, status and acceptance grade.

    Administrators and department staff create (``POST``) and change (``PATCH``) them. ``stats/`` sums the projects
    listed (same filters)."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = WRITERS
    queryset = P.objects.order_by("batch_year", "code")
    serializer_class = CircularProjectSerializer
    filterset_class = CircularProjectFilter
    select_related = ("enterprise",)

    def _answer(self, project, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=project.pk).first() or project
        return Response(CircularProjectSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=CircularProjectWriteSerializer, responses={201: CircularProjectSerializer})
    def create(self, request, *args, **kwargs):
        body = CircularProjectWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = projects.project_create(by=request.user, **body.validated_data)
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=CircularProjectWriteSerializer, responses=CircularProjectSerializer)
    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        body = CircularProjectWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        project = projects.project_update(by=request.user, project=project, **body.validated_data)
        return self._answer(project)

    def update(self, request, *args, **kwargs):  # PUT is not offered (http_method_names); PATCH only
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary=_("The projects' figures: counts, investment and central funds, per category, status, grade, batch."),
        responses=CircularProjectStatsSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def stats(self, request):
        qs = self.filter_queryset(self.get_queryset())
        stats = projects.project_stats(user=request.user, queryset=qs)
        return Response(CircularProjectStatsSerializer(stats).data)


# --- Indicators -------------------------------------------------------------------------------------------------


def default_year() -> int:
    years = indicators.years_with_data()
    return years[-1] if years else timezone.localdate().year - 1


class CircularIndicatorsView(APIView):
    """The park's circular-economy indicators of a year (NDRC indicator set for circular-economy parks): each with
    its unit, value, numerator, denominator and formula. For administrators, leaders and department staff."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("the latest year with data if left out"))],
        responses=CircularIndicatorsSerializer,
    )
    def get(self, request):
        if not indicators.can_read(request.user):
            raise PermissionDenied(_("The park indicators are for the zone's administrators, leaders and departments."))
        value = request.query_params.get("year", "")
        if value and not (value.isdecimal() and FIRST_YEAR <= int(value) <= LAST_YEAR):
            raise serializers.ValidationError(
                {"year": _("Give a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}}
            )
        year = int(value) if value else default_year()
        rows = indicators.park_indicators(year=year, user=request.user)
        data = {"year": year, "years": indicators.years_with_data(), "indicators": rows}
        return Response(CircularIndicatorsSerializer(data).data)


ROUTES = [("circular/projects", CircularProjectViewSet, "circular-project")]
PATHS = [path("circular/indicators/", CircularIndicatorsView.as_view(), name="api-circular-indicators")]
