"""The API of the energy ranking and the differentiated prices.

``energy-rankings``: every M4 role reads the rankings; the entries each user sees are scoped (an officer the
enterprises they serve, an enterprise its own). ``POST {"year": Y}`` ranks the year (administrators; an existing
ranking of the year is replaced). ``price-tiers``: the policy, read by every signed-in user, written by
administrators (``POST price-tiers/defaults/ {"year": Y}`` adds the demo policy's missing tiers).
``GET evaluation/surcharges/?year=Y``: the year's surcharge list (administrators and leaders), marked
``effective: false`` (a preview, nothing to bill) before the zone's third energy ranking.
"""

from __future__ import annotations

import django_filters
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import Pagination, RefusalsAnswer400, ScopedModelViewSet, ScopedViewSetMixin, ids_q
from hitechzone.common.models import MAX_YEAR, MIN_YEAR
from hitechzone.common.params import api_year

from . import energy, prices
from .models import EnergyRanking, EnergyRankingEntry, Klass, PriceTier

# --- Serializers -----------------------------------------------------------------------------------------------


class EnergyEntrySerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    energy_source = serializers.ChoiceField(
        source="source",
        choices=EnergyRankingEntry.Source.choices,
        read_only=True,
        help_text=_("fuels: converted from the enterprise's fuels; reported: its comprehensive energy use"),
    )

    class Meta:
        model = EnergyRankingEntry
        fields = (
            "enterprise",
            "uscc",
            "name",
            "rank",
            "intensity",
            "energy_tce",
            "energy_source",
            "value_added_wan_yuan",
            "industry_code",
            "industry_rank",
            "industry_size",
        )
        read_only_fields = fields


class EnergyRankingSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField()
    rankings_up_to = serializers.SerializerMethodField(help_text=_("Rankings of the zone up to this year."))

    class Meta:
        model = EnergyRanking
        fields = (
            "id",
            "year",
            "electricity_basis",
            "electricity_kgce_per_kwh",
            "ranked",
            "created_by",
            "created_at",
            "rankings_up_to",
        )
        read_only_fields = fields

    def get_rankings_up_to(self, obj) -> int:
        years = self.context.get("ranking_years")
        if years is None:
            return energy.rankings_up_to(obj.year)
        return sum(1 for y in years if y <= obj.year)


class EnergyRankingDetailSerializer(EnergyRankingSerializer):
    entries = serializers.SerializerMethodField(
        help_text=_("The entries this user may see, by rank (for a large zone, page through entries/ instead).")
    )

    class Meta(EnergyRankingSerializer.Meta):
        fields = (*EnergyRankingSerializer.Meta.fields, "entries")
        read_only_fields = fields

    @extend_schema_field(EnergyEntrySerializer(many=True))
    def get_entries(self, obj) -> list[dict]:
        request = self.context["request"]
        entries = EnergyRankingEntry.objects.for_user(request.user).filter(ranking=obj).select_related("enterprise")
        return EnergyEntrySerializer(entries.order_by("rank"), many=True).data


class RankRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


def _class_key(fields: dict) -> dict:
    """The class is answered (and taken) under the key "class", as the results answer it."""
    return {("class" if name == "klass" else name): field for name, field in fields.items()}


class PriceTierSerializer(serializers.ModelSerializer):
    klass = serializers.ChoiceField(source="klass", choices=Klass.choices, help_text=_("evaluation class A–D"))

    class Meta:
        model = PriceTier
        fields = ("id", "year", "klass", "min_years_in_class", "electricity_yuan_per_kwh", "water_yuan_per_t")
        read_only_fields = ("id",)
        validators = []  # the service checks the uniqueness, with a message that says which tier

    def get_fields(self):
        return _class_key(super().get_fields())


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


class SurchargeRowSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    uscc = serializers.CharField()
    name = serializers.CharField()
    klass = serializers.ChoiceField(choices=Klass.choices, help_text=_("evaluation class"))
    years_in_class = serializers.IntegerField(help_text=_("Consecutive years in the class, this year included."))
    tier = serializers.IntegerField(help_text=_("The price tier applied."))
    tier_min_years = serializers.IntegerField()
    electricity_kwh = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True)
    electricity_yuan_per_kwh = serializers.DecimalField(max_digits=6, decimal_places=4)
    electricity_yuan = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    water_t = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True)
    water_yuan_per_t = serializers.DecimalField(max_digits=6, decimal_places=3)
    water_yuan = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    total_yuan = serializers.DecimalField(max_digits=20, decimal_places=2)

    def get_fields(self):
        return _class_key(super().get_fields())


class SurchargeTotalsSerializer(serializers.Serializer):
    enterprises = serializers.IntegerField()
    electricity_kwh = serializers.DecimalField(max_digits=20, decimal_places=1)
    electricity_yuan = serializers.DecimalField(max_digits=20, decimal_places=2)
    water_t = serializers.DecimalField(max_digits=20, decimal_places=1)
    water_yuan = serializers.DecimalField(max_digits=20, decimal_places=2)
    total_yuan = serializers.DecimalField(max_digits=20, decimal_places=2)
    missing_electricity = serializers.IntegerField(help_text=_("Rows without the year's electricity figure."))
    missing_water = serializers.IntegerField(help_text=_("Rows without the year's water figure."))


class SurchargesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    effective = serializers.BooleanField(
        help_text=_("Whether the surcharges are billed; false: the rows are a preview, nothing to bill.")
    )
    rankings_up_to = serializers.IntegerField(help_text=_("Energy rankings of the zone up to the year."))
    rankings_needed = serializers.IntegerField()
    run = serializers.IntegerField(allow_null=True, help_text=_("The published whole-zone evaluation run used."))
    rows = SurchargeRowSerializer(many=True)
    totals = SurchargeTotalsSerializer()


# --- Views -----------------------------------------------------------------------------------------------------


class RankingFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()

    class Meta:
        model = EnergyRanking
        fields = []


class EnergyRankingViewSet(
    RefusalsAnswer400,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The yearly energy rankings (单位工业增加值能耗, tce per 10,000 yuan of value added; lower is better).

    ``POST {"year": Y}`` ranks the year (administrators): every enterprise with value added and energy, energy
    from its fuels (GB/T 2589) when it has any, else as reported; an earlier ranking of the year is replaced.
    """

    http_method_names = ["get", "post", "head", "options"]
    queryset = EnergyRanking.objects.order_by("-year")
    serializer_class = EnergyRankingSerializer
    filterset_class = RankingFilter
    select_related = ("created_by",)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return EnergyRankingDetailSerializer
        if self.action == "entries":
            return EnergyEntrySerializer
        return EnergyRankingSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            context["ranking_years"] = list(EnergyRanking.objects.values_list("year", flat=True))
        return context

    @extend_schema(
        summary=_("Rank a year (replaces the year's ranking)."),
        request=RankRequestSerializer,
        responses={201: EnergyRankingDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = RankRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ranking = energy.rank_energy(by=request.user, year=body.validated_data["year"])
        fresh = self.get_queryset().get(pk=ranking.pk)
        data = EnergyRankingDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("The entries of a ranking this user may see, by rank, a page at a time."),
        parameters=[
            OpenApiParameter("industry", OpenApiTypes.STR, description=_("industry division (two digits)")),
            OpenApiParameter("enterprise", OpenApiTypes.INT, description=_("enterprise id")),
        ],
        responses=EnergyEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=Pagination)
    def entries(self, request, pk=None):
        ranking = self.get_object()
        entries = (
            EnergyRankingEntry.objects.for_user(request.user)
            .filter(ranking=ranking)
            .select_related("enterprise")
            .order_by("rank")
        )
        industry = (request.query_params.get("industry") or "").strip()
        if industry:
            entries = entries.filter(industry_code=industry)
        enterprise = (request.query_params.get("enterprise") or "").strip()
        if enterprise:
            entries = entries.filter(ids_q("enterprise", enterprise))
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(EnergyEntrySerializer(page, many=True).data)


class TierFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    klass = django_filters.ChoiceFilter(choices=Klass.choices, label=_("class"))

    class Meta:
        model = PriceTier
        fields = []


class PriceTierViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """The differentiated price policy (差别化电价、水价): per year and class, the surcharge per kWh and per tonne
    of water, applying from ``min_years_in_class`` consecutive years in the class (the highest reached applies).

    Every signed-in user reads it; administrators write it. ``POST defaults/ {"year": Y}`` adds the demo policy's
    tiers the year lacks (C +0.10, D +0.30, D the third year running +0.40 yuan/kWh; water C +0.5, D +1.0 yuan/t).
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    queryset = PriceTier.objects.order_by("-year", "klass", "min_years_in_class")
    serializer_class = PriceTierSerializer
    filterset_class = TierFilter

    def perform_create(self, serializer):
        serializer.instance = prices.tier_save(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        tier = serializer.instance
        fields = {f: getattr(tier, f) for f in prices.TIER_FIELDS}
        fields.update(serializer.validated_data)
        serializer.instance = prices.tier_save(by=self.request.user, tier=tier, **fields)

    def perform_destroy(self, instance):
        prices.tier_delete(by=self.request.user, tier=instance)

    @extend_schema(
        summary=_("Add the demo policy's tiers that a year lacks."),
        request=YearSerializer,
        responses={201: PriceTierSerializer(many=True)},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def defaults(self, request):
        body = YearSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        prices.tiers_load_defaults(by=request.user, year=body.validated_data["year"])
        tiers = self.get_queryset().filter(year=body.validated_data["year"])
        return Response(PriceTierSerializer(tiers, many=True).data, status=status.HTTP_201_CREATED)


class SurchargesView(RefusalsAnswer400, APIView):
    """A year's surcharge list (administrators and leaders): the enterprises of the year's published whole-zone
    evaluation whose class has a tier, their consecutive years in the class, the tier applied and the amounts
    (electricity kWh × yuan/kWh, water t × yuan/t). ``effective`` is false before the zone's third energy
    ranking: the rows are then a preview, nothing is billed."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("last year if left out"))],
        responses=SurchargesSerializer,
    )
    def get(self, request):
        if not prices.can_read(request.user):
            raise PermissionDenied(_("Only administrators and leaders see the surcharges."))
        year = api_year(request, timezone.localdate().year - 1, first=MIN_YEAR, last=MAX_YEAR)
        rows = prices.surcharges(year=year, user=request.user)
        data = {
            "year": year,
            "effective": prices.effective(year),
            "rankings_up_to": energy.rankings_up_to(year),
            "rankings_needed": prices.RANKINGS_NEEDED,
            "run": prices.published_whole_zone_runs(year=year).get(year),
            "rows": [r.as_dict() for r in rows],
            "totals": prices.totals(rows),
        }
        return Response(SurchargesSerializer(data).data)


# (prefix, viewset, basename) registered on the v1 router, and plain paths under /api/v1/.
ROUTES = [
    ("energy-rankings", EnergyRankingViewSet, "energy-ranking"),
    ("price-tiers", PriceTierViewSet, "price-tier"),
]
PATHS = [path("evaluation/surcharges/", SurchargesView.as_view(), name="api-evaluation-surcharges")]
