"""The serializers of the M5 data API: materials (with their element mass fractions), flows, exchanges and yearly
resource data (the viewsets are in ``api.py``).

Reads answer codes for materials and chains, ids and names for enterprises. Writes are checked here for their
types only; every rule is the service's (``services``), whose refusal answers 400 with its message. ``create`` and
``update`` call the services, so a write through the API is the same write as one from a page or the shell.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.common.api import CodeOrIdRelatedField, inline_choice_field
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise, IndustryChain

from . import services
from .chemistry import FormulaError, mass_fractions, molar_mass
from .models import Exchange, Flow, Material, ResourceYear

FRACTION_PLACES = 4


def elements_of(formula: str) -> dict[str, float]:
    """Element → mass fraction rounded to 4 decimals ({} for a blank or unreadable formula)."""
    if not (formula or "").strip():
        return {}
    try:
        return {k: round(v, FRACTION_PLACES) for k, v in mass_fractions(formula).items()}
    except FormulaError:
        return {}


def molar_mass_of(formula: str) -> float | None:
    if not (formula or "").strip():
        return None
    try:
        return round(molar_mass(formula), 3)
    except FormulaError:
        return None


ModeField = inline_choice_field(Exchange.Mode.choices)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ServiceSaveMixin:
    """``save()`` goes through the service ``save_service`` (keyword ``instance_kw`` for the object changed)."""

    save_service: str = ""
    instance_kw: str = ""

    def create(self, validated_data):
        return getattr(services, self.save_service)(by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        return getattr(services, self.save_service)(by=_user(self), **{self.instance_kw: instance}, **validated_data)


# --- Materials ---------------------------------------------------------------------------------------------------


class MaterialSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    save_service, instance_kw = "material_save", "material"

    chains = CodeOrIdRelatedField(
        many=True, required=False, queryset=IndustryChain.objects.all(), help_text=_("industry chain codes")
    )
    molar_mass = serializers.SerializerMethodField(help_text=_("g/mol; null without a formula"))
    elements = serializers.SerializerMethodField(
        help_text=_("element → mass fraction (4 decimals, from the formula with standard atomic weights)")
    )

    class Meta:
        model = Material
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "formula",
            "hazard",
            "hazardous_waste_code",
            "disposal_cost_yuan_per_t",
            "virgin_price_yuan_per_t",
            "transport_cost_yuan_per_t_km",
            "co2_avoided_t_per_t",
            "chains",
            "molar_mass",
            "elements",
        ]
        # The service checks uniqueness with its own message.
        extra_kwargs = {"code": {"validators": []}}

    def get_molar_mass(self, obj) -> float | None:
        return molar_mass_of(obj.formula)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}, "example": {"Cl": 0.41}})
    def get_elements(self, obj) -> dict:
        return elements_of(obj.formula)


# --- Flows, exchanges, resource data -----------------------------------------------------------------------------


class EnterpriseField(serializers.PrimaryKeyRelatedField):
    """An enterprise by id: among those the requesting user sees (``scoped``), or any registered one."""

    def __init__(self, *, scoped: bool = True, **kwargs):
        self.scoped = scoped
        super().__init__(queryset=Enterprise.objects.all(), **kwargs)

    def get_queryset(self):
        if not self.scoped:
            return Enterprise.objects.all()
        return Enterprise.objects.for_user(_user(self.parent) if self.parent else None)


def _year(**kwargs):
    return serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


def _material_field():
    return CodeOrIdRelatedField(queryset=Material.objects.all(), help_text=_("material code or id"))


class FlowSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    save_service, instance_kw = "flow_save", "flow"

    enterprise = EnterpriseField(help_text=_("enterprise id"))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    year = _year()
    material = _material_field()
    material_name = serializers.CharField(source="material.name", read_only=True)

    class Meta:
        model = Flow
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "uscc",
            "year",
            "material",
            "material_name",
            "role",
            "quantity_t",
            "purity",
            "process",
        ]
        validators = []  # the service refuses a second flow of the same key with its own message


class ExchangeSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    save_service, instance_kw = "exchange_save", "exchange"

    year = _year()
    supplier = EnterpriseField(help_text=_("supplier enterprise id"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    receiver = EnterpriseField(scoped=False, help_text=_("receiver enterprise id"))
    receiver_name = serializers.CharField(source="receiver.name", read_only=True)
    material = _material_field()
    material_name = serializers.CharField(source="material.name", read_only=True)
    mode = ModeField(help_text=_("pipeline or truck"))
    distance_km = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("km; when not given, the distance between the centroids of the two enterprises' parcels"),
    )

    class Meta:
        model = Exchange
        fields = [
            "id",
            "year",
            "supplier",
            "supplier_name",
            "receiver",
            "receiver_name",
            "material",
            "material_name",
            "quantity_t",
            "mode",
            "distance_km",
        ]
        validators = []


class ResourceYearSerializer(ServiceSaveMixin, serializers.ModelSerializer):
    save_service, instance_kw = "resource_year_save", "resource_year"

    enterprise = EnterpriseField(help_text=_("enterprise id"))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    year = _year()

    class Meta:
        model = ResourceYear
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "year",
            "fresh_water_t",
            "reused_water_t",
            "solid_waste_generated_t",
            "solid_waste_used_t",
            "solid_waste_stored_t",
            "main_resources_t",
        ]
        validators = []


# --- Balances and the element graph ------------------------------------------------------------------------------


class BalanceQuerySerializer(serializers.Serializer):
    year = _year()
    enterprise = serializers.IntegerField(required=False, min_value=1, help_text=_("an enterprise id"))
    tolerance = serializers.FloatField(
        required=False, default=0.02, min_value=0, max_value=1, help_text=_("gap share above which a gap is flagged")
    )


class ElementGraphQuerySerializer(serializers.Serializer):
    year = _year()
    element = serializers.CharField(max_length=3, help_text=_("an element symbol, e.g. Cl"))
    chain = serializers.CharField(required=False, help_text=_("industry chain code or id"))
