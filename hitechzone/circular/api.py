"""The M5 data API: materials, flows, exchanges, yearly resource data, element balances and element graphs.

- ``circular/materials/``: reference data every signed-in user reads, each with its molar mass and ``elements``
  (element → mass fraction, 4 decimals); administrators and department staff create and change them.
- ``circular/flows/``, ``circular/exchanges/``, ``circular/resource-years/``: scoped by role (administrators,
  leaders and department staff all; an officer those of the enterprises they serve; an enterprise its own — an
  exchange when it is either end; experts nothing). Filters: ``year``, ``enterprise`` (ids), ``material`` (codes
  or ids), ``role`` (flows), ``chain`` (industry chain code or id of the enterprise — of either end for an
  exchange). Writes go through ``services``: administrators and department staff write everything, an enterprise
  user its own flows, resource data and the exchanges it supplies, an officer those of the enterprises they
  serve; leaders and experts answer 403; a refusal answers 400 ``{"detail": message}``.
- ``circular/balances/?year=Y[&enterprise=ID][&tolerance=0.02][&chain=]``: the zone's element balance (what the
  user sees), or one enterprise's (404 when the user does not see it).
- ``circular/element-graph/?year=Y&element=Cl[&chain=][&level=enterprise|material]``: where the element goes,
  with its cycles.
"""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import RefusalsAnswer400, ScopedModelViewSet, code_or_id_q, ids_q
from hitechzone.enterprises.models import Enterprise, IndustryChain

from . import serializers as s
from . import services
from .chemistry import ATOMIC_WEIGHTS
from .models import Exchange, Flow, Material, ResourceYear
from .roles import DATA_WRITERS, M5_ROLES, effective_role

#: Who reads M5's enterprise data (experts read none of it).
READERS = M5_ROLES
#: Who may send writes to the enterprise data (the service decides for which enterprise).


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """``?role=byproduct,waste``: one or more of the choices."""


def _chains(value: str) -> list[int]:
    """Chain ids from ``?chain=fluorine`` / ``?chain=3`` / ``?chain=a,b``."""
    values = [v.strip() for v in value.split(",") if v.strip()]
    ids = [int(v) for v in values if v.isdecimal() and len(v) < 19]
    codes = [v for v in values if not v.isdecimal()]
    if codes:
        ids += list(IndustryChain.objects.filter(code__in=codes).values_list("pk", flat=True))
    return ids


def _chain_enterprises(value: str):
    return Enterprise.chains.through.objects.filter(industrychain_id__in=_chains(value)).values("enterprise_id")


class EnterpriseYearFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id (comma-separated)"))
    chain = django_filters.CharFilter(method="filter_chain", label=_("industry chain code or id"))

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))

    def filter_chain(self, queryset, name, value):
        return queryset.filter(enterprise_id__in=_chain_enterprises(value))


class FlowFilter(EnterpriseYearFilter):
    material = django_filters.CharFilter(method="filter_material", label=_("material code or id (comma-separated)"))
    role = ChoiceInFilter(choices=Flow.Role.choices, label=_("role (comma-separated for several)"))

    class Meta:
        model = Flow
        fields = []

    def filter_material(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Flow, "material", value))


class ResourceYearFilter(EnterpriseYearFilter):
    class Meta:
        model = ResourceYear
        fields = []


class ExchangeFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("id of either end (comma-separated)"))
    supplier = django_filters.CharFilter(method="filter_supplier", label=_("supplier id"))
    receiver = django_filters.CharFilter(method="filter_receiver", label=_("receiver id"))
    material = django_filters.CharFilter(method="filter_material", label=_("material code or id (comma-separated)"))
    mode = ChoiceInFilter(choices=Exchange.Mode.choices, label=_("pipeline or truck"))
    chain = django_filters.CharFilter(method="filter_chain", label=_("industry chain code or id of either end"))

    class Meta:
        model = Exchange
        fields = []

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("supplier", value) | ids_q("receiver", value))

    def filter_supplier(self, queryset, name, value):
        return queryset.filter(ids_q("supplier", value))

    def filter_receiver(self, queryset, name, value):
        return queryset.filter(ids_q("receiver", value))

    def filter_material(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Exchange, "material", value))

    def filter_chain(self, queryset, name, value):
        inside = _chain_enterprises(value)
        return queryset.filter(supplier_id__in=inside) | queryset.filter(receiver_id__in=inside)


class MaterialFilter(django_filters.FilterSet):
    chain = django_filters.CharFilter(method="filter_chain", label=_("industry chain code or id"))
    hazard = ChoiceInFilter(choices=Material.Hazard.choices, label=_("hazard class (comma-separated)"))
    q = django_filters.CharFilter(method="filter_q", label=_("code, name or formula contains"))

    class Meta:
        model = Material
        fields = []

    def filter_chain(self, queryset, name, value):
        through = Material.chains.through
        return queryset.filter(pk__in=through.objects.filter(industrychain_id__in=_chains(value)).values("material_id"))

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(formula__icontains=value))


class ServiceDeleteMixin:
    delete_service: str = ""
    instance_kw: str = ""

    def perform_destroy(self, instance):
        getattr(services, self.delete_service)(by=self.request.user, **{self.instance_kw: instance})


class MaterialViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Materials (reference data): code, formula, hazard class, hazardous-waste code, costs and prices, CO₂
    avoided, industry chains, and from the formula the molar mass and ``elements`` (mass fractions, 4 decimals).
    Every signed-in user reads them; administrators and department staff create and change them."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    write_roles = services.WRITERS
    queryset = Material.objects.order_by("code")
    serializer_class = s.MaterialSerializer
    filterset_class = MaterialFilter
    prefetch_related = ("chains",)


class FlowViewSet(ServiceDeleteMixin, RefusalsAnswer400, ScopedModelViewSet):
    """Material flows: an enterprise's yearly inputs, products, by-products, wastes and emissions (t/yr, purity)."""

    write_roles = DATA_WRITERS
    queryset = Flow.objects.order_by("-year", "enterprise_id", "role", "material__code", "id")
    serializer_class = s.FlowSerializer
    filterset_class = FlowFilter
    select_related = ("enterprise", "material")
    delete_service, instance_kw = "flow_delete", "flow"


class ExchangeViewSet(ServiceDeleteMixin, RefusalsAnswer400, ScopedModelViewSet):
    """By-product exchanges: supplier → receiver, material, t/yr, pipeline or truck, distance. Both ends (and
    their officers) see an exchange; the supplier's side records it."""

    write_roles = DATA_WRITERS
    queryset = Exchange.objects.order_by("-year", "material__code", "supplier_id", "receiver_id", "id")
    serializer_class = s.ExchangeSerializer
    filterset_class = ExchangeFilter
    select_related = ("supplier", "receiver", "material")
    delete_service, instance_kw = "exchange_delete", "exchange"


class ResourceYearViewSet(ServiceDeleteMixin, RefusalsAnswer400, ScopedModelViewSet):
    """Yearly resource data of an enterprise (fresh and reused water, industrial solid waste generated / used /
    stored, main resources consumed; t), read by the park indicators."""

    write_roles = DATA_WRITERS
    queryset = ResourceYear.objects.order_by("-year", "enterprise_id", "id")
    serializer_class = s.ResourceYearSerializer
    filterset_class = ResourceYearFilter
    select_related = ("enterprise",)
    delete_service, instance_kw = "resource_year_delete", "resource_year"


# --- Balances and graphs ----------------------------------------------------------------------------------------


def _reader(request) -> None:
    if effective_role(request.user) not in READERS:
        raise PermissionDenied(_("Your role does not see the zone's material flows."))


def _chain(value):
    if not value:
        return None
    ids = _chains(value)
    if not ids:
        raise ValidationError({"chain": [_("No industry chain has the code or id “%(v)s”.") % {"v": value}]})
    return IndustryChain.objects.get(pk=ids[0])


class BalanceView(APIView):
    """Element balance: per element, mass in (inputs) against mass out (products, by-products, wastes,
    emissions), the gap and its share, flagged beyond the tolerance. Without ``enterprise``: the zone (what the
    user sees), with one row per enterprise; with it, that enterprise (404 when the user does not see it)."""

    @extend_schema(
        parameters=[
            s.BalanceQuerySerializer,
            OpenApiParameter("chain", str, description=str(_("industry chain code or id (zone balance)"))),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        _reader(request)
        query = s.BalanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, tolerance = query.validated_data["year"], query.validated_data["tolerance"]
        from .balance import enterprise_balance, zone_balance

        enterprise_id = query.validated_data.get("enterprise")
        if enterprise_id is not None:
            enterprise = Enterprise.objects.for_user(request.user).filter(pk=enterprise_id).first()
            if enterprise is None:
                raise Http404
            return Response(enterprise_balance(enterprise=enterprise, year=year, tolerance=tolerance))
        chain = _chain(request.query_params.get("chain", "").strip())
        return Response(zone_balance(year=year, user=request.user, tolerance=tolerance, chain=chain))


class ElementGraphView(APIView):
    """Where an element goes in a year: nodes (enterprises and the outside, or materials with ``level=material``),
    links carrying the element (t/yr) and the cycles (the chlorine loop of the silicone chain shows here)."""

    @extend_schema(
        parameters=[
            s.ElementGraphQuerySerializer,
            OpenApiParameter("level", str, enum=["enterprise", "material"], description=str(_("graph level"))),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        _reader(request)
        query = s.ElementGraphQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        element = query.validated_data["element"]
        if element not in ATOMIC_WEIGHTS:
            raise ValidationError({"element": [_("“%(v)s” is not an element symbol.") % {"v": element}]})
        level = request.query_params.get("level", "enterprise")
        if level not in ("enterprise", "material"):
            raise ValidationError({"level": [_("Use enterprise or material.")]})
        from .balance import element_graph

        chain = _chain(query.validated_data.get("chain", "").strip())
        graph = element_graph(
            year=query.validated_data["year"], element=element, user=request.user, chain=chain, level=level
        )
        return Response(graph, status=status.HTTP_200_OK)


# (prefix, viewset, basename) registered on the v1 router, and plain paths under /api/v1/.
ROUTES = [
    ("circular/materials", MaterialViewSet, "circular-material"),
    ("circular/flows", FlowViewSet, "circular-flow"),
    ("circular/exchanges", ExchangeViewSet, "circular-exchange"),
    ("circular/resource-years", ResourceYearViewSet, "circular-resource-year"),
]
PATHS = [
    path("circular/balances/", BalanceView.as_view(), name="api-circular-balances"),
    path("circular/element-graph/", ElementGraphView.as_view(), name="api-circular-element-graph"),
]
