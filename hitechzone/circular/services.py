"""Writes of M5's data: materials, flows, exchanges and yearly resource data.

Every function is keyword-only, runs in one transaction and is audited (the models are registered in
``apps.py``). An action the rules do not allow raises :class:`Refused` with a message for the user and writes
nothing. ``by=None`` is the system (a management command, the demo): it may do all of it.

Who writes:

- materials (reference data): administrators and department staff;
- flows and yearly resource data: administrators and department staff for every enterprise; an enterprise user
  for its own enterprise; a service officer for the enterprises they serve (代办);
- exchanges: administrators and department staff; the supplier's enterprise user and the supplier's officer
  (the enterprise that hands its by-product over declares where it goes, as it starts a transfer manifest).

Rules:

- a material's formula must parse (``chemistry.parse_formula``; blank for a mixture); the parser's message says
  what is wrong;
- one flow per enterprise, year, material and role; one resource row per enterprise and year;
- an exchange joins two different enterprises, and its supplier must have a flow of the material in that year as
  a product, by-product or waste (an exchange is refused, not merely warned about, when the supplier has no such
  flow: the balances and the optimiser read the flows, and an exchange of something the supplier does not
  put out would make the supplier's element balance wrong). The quantity is not compared with the flow's;
- a flow whose removal (or change) would leave an exchange of that year without its supplier's flow is refused.
- an exchange's distance, when not given, is the great-circle distance between the centroids of the two
  enterprises' parcels (refused when either has no parcel with coordinates).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.common.geo import EARTH_RADIUS_KM as EARTH_RADIUS_KM  # re-exported
from hitechzone.common.geo import haversine_km as haversine_km  # re-exported: intake computes distances
from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch services.Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import officer_serves

from .models import Exchange, Flow, Material, ResourceYear
from .roles import SUPPLIER_ROLES, WRITERS
from .roles import role as _role

#: The roles that write every M5 record: ``roles.WRITERS``.
#: The flow roles that may supply an exchange.
SUPPLY_ROLES = (Flow.Role.PRODUCT, Flow.Role.BYPRODUCT, Flow.Role.WASTE)

MATERIAL_FIELDS = (
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
)
FLOW_FIELDS = ("enterprise", "year", "material", "role", "quantity_t", "purity", "process")
EXCHANGE_FIELDS = ("year", "supplier", "receiver", "material", "quantity_t", "mode", "distance_km")
RESOURCE_FIELDS = (
    "enterprise",
    "year",
    "fresh_water_t",
    "reused_water_t",
    "solid_waste_generated_t",
    "solid_waste_used_t",
    "solid_waste_stored_t",
    "main_resources_t",
)


# --- Who ----------------------------------------------------------------------------------------------------------


def is_writer(user) -> bool:
    """The system (``None``), an administrator or department staff."""
    return user is None or _role(user) in WRITERS


def may_write_for(user, enterprise_id: int | None) -> bool:
    """May ``user`` write the flows and resource data of the enterprise ``enterprise_id``?"""
    if is_writer(user):
        return True
    role = _role(user)
    if role == Role.ENTERPRISE:
        return enterprise_id is not None and user.enterprise_id == enterprise_id
    if role == Role.OFFICER:
        return officer_serves(user, enterprise_id)
    return False


# --- Checks shared with the intake kinds ------------------------------------------------------------------------


def formula_problem(formula: str) -> str | None:
    """Why ``formula`` is not a valid chemical formula (the parser's message), or None (blank: a mixture)."""
    text = (formula or "").strip()
    if not text:
        return None
    from .chemistry import FormulaError, parse_formula

    try:
        parse_formula(text)
    except FormulaError as exc:
        return _("The formula “%(formula)s” is not valid: %(reason)s") % {"formula": text, "reason": exc}
    return None


def supplier_has_flow(*, supplier_id: int, year: int, material_id: int) -> bool:
    return Flow.objects.filter(
        enterprise_id=supplier_id, year=year, material_id=material_id, role__in=SUPPLY_ROLES
    ).exists()


def no_supply_message(*, supplier, year, material) -> str:
    return _(
        "%(supplier)s has no flow of %(material)s in %(year)s as a product, by-product or waste: "
        "record that flow first."
    ) % {"supplier": supplier, "material": material, "year": year}


def enterprise_location(enterprise_id: int) -> tuple[float, float] | None:
    """The centroid (mean latitude and longitude) of the enterprise's parcels with coordinates, or None."""
    from django.db.models import Avg

    from hitechzone.zone.models import Parcel

    found = Parcel.objects.filter(
        enterprise_id=enterprise_id, latitude__isnull=False, longitude__isnull=False
    ).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
    if found["lat"] is None:
        return None
    return float(found["lat"]), float(found["lon"])


# --- Helpers ------------------------------------------------------------------------------------------------------


def _apply(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(obj, name, value)


def _clean(obj, *, exclude=()) -> None:
    """The model's own checks (required, lengths, choices, ranges, digits): refused with every message, each
    naming its field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        messages = []
        for name, errors in exc.message_dict.items():
            label = obj._meta.get_field(name).verbose_name if name != "__all__" else ""
            messages += [f"{label}: {m}" if label else m for m in errors]
        raise Refused(" ".join(messages)) from None


def _orphaned_exchanges(*, enterprise_id: int, year: int, material_id: int, without_flow: int):
    """The exchanges of that supplier, year and material that no supply flow but ``without_flow`` covers."""
    others = (
        Flow.objects.filter(enterprise_id=enterprise_id, year=year, material_id=material_id, role__in=SUPPLY_ROLES)
        .exclude(pk=without_flow)
        .exists()
    )
    if others:
        return Exchange.objects.none()
    return Exchange.objects.filter(supplier_id=enterprise_id, year=year, material_id=material_id)


def _refuse_orphans(flow: Flow) -> None:
    orphans = _orphaned_exchanges(
        enterprise_id=flow.enterprise_id, year=flow.year, material_id=flow.material_id, without_flow=flow.pk
    )
    count = orphans.count()
    _require(
        count == 0,
        _(
            "%(n)d exchange(s) of %(material)s from this enterprise in %(year)s rely on this flow: "
            "delete or change them first."
        )
        % {"n": count, "material": flow.material, "year": flow.year},
    )


# --- Materials ----------------------------------------------------------------------------------------------------


@transaction.atomic
def material_save(*, by, material: Material | None = None, chains=None, **fields) -> Material:
    """Create a material (``material=None``) or change the given fields of one. ``chains``: industry chains (or
    None to leave them as they are)."""
    _require(is_writer(by), _("Only administrators and department staff edit materials."))
    material = Material() if material is None else Material.objects.select_for_update().get(pk=material.pk)
    _apply(material, fields, MATERIAL_FIELDS)
    _require(bool(material.code), _("Give the material a code, e.g. “hcl”."))
    _require(bool(material.name), _("Give the material a name."))
    problem = formula_problem(material.formula)
    _require(problem is None, problem or "")
    _clean(material)
    clash = Material.objects.filter(code=material.code).exclude(pk=material.pk).exists()
    _require(not clash, _("A material with the code “%(code)s” exists.") % {"code": material.code})
    material.save()
    if chains is not None:
        material.chains.set(chains)
    return material


# --- Flows --------------------------------------------------------------------------------------------------------


@transaction.atomic
def flow_save(*, by, flow: Flow | None = None, **fields) -> Flow:
    """Create a flow (give enterprise, year, material, role, quantity_t; purity 1 and no process by default) or
    change the given fields of one."""
    before = None
    if flow is None:
        flow = Flow()
    else:
        flow = Flow.objects.select_for_update().get(pk=flow.pk)
        _require(may_write_for(by, flow.enterprise_id), _("You may not edit the flows of this enterprise."))
        before = Flow(pk=flow.pk, enterprise_id=flow.enterprise_id, year=flow.year, material_id=flow.material_id)
        before.role = flow.role
    _apply(flow, fields, FLOW_FIELDS)
    _require(
        flow.enterprise_id is not None and flow.material_id is not None,
        _("Give the flow's enterprise and material."),
    )
    _require(may_write_for(by, flow.enterprise_id), _("You may not edit the flows of this enterprise."))
    _clean(flow, exclude=("enterprise", "material"))
    clash = (
        Flow.objects.filter(enterprise_id=flow.enterprise_id, year=flow.year, material_id=flow.material_id)
        .filter(role=flow.role)
        .exclude(pk=flow.pk)
        .exists()
    )
    _require(
        not clash,
        _("%(enterprise)s already has a flow of %(material)s as %(role)s in %(year)s: change that one.")
        % {
            "enterprise": flow.enterprise,
            "material": flow.material,
            "role": flow.get_role_display(),
            "year": flow.year,
        },
    )
    if before is not None and before.role in SUPPLY_ROLES:
        same_supply = (flow.enterprise_id, flow.year, flow.material_id) == (
            before.enterprise_id,
            before.year,
            before.material_id,
        ) and flow.role in SUPPLY_ROLES
        if not same_supply:
            _refuse_orphans(before)
    flow.save()
    return flow


@transaction.atomic
def flow_delete(*, by, flow: Flow) -> None:
    _require(may_write_for(by, flow.enterprise_id), _("You may not edit the flows of this enterprise."))
    if flow.role in SUPPLY_ROLES:
        _refuse_orphans(flow)
    flow.delete()


# --- Exchanges ----------------------------------------------------------------------------------------------------


def _may_write_exchange(user, exchange: Exchange) -> bool:
    if is_writer(user):
        return True
    return _role(user) in SUPPLIER_ROLES and may_write_for(user, exchange.supplier_id)


@transaction.atomic
def exchange_save(*, by, exchange: Exchange | None = None, **fields) -> Exchange:
    """Create an exchange (year, supplier, receiver, material, quantity_t, mode; ``distance_km`` computed from
    the parcels when not given) or change the given fields of one."""
    denied = _(
        "You may not edit the exchanges of this enterprise: its own users, its officer, department staff "
        "and administrators do."
    )
    if exchange is None:
        exchange = Exchange()
    else:
        exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
        _require(_may_write_exchange(by, exchange), denied)
    _apply(exchange, fields, EXCHANGE_FIELDS)
    _require(
        None not in (exchange.supplier_id, exchange.receiver_id, exchange.material_id),
        _("Give the exchange's supplier, receiver and material."),
    )
    _require(_may_write_exchange(by, exchange), denied)
    _require(exchange.supplier_id != exchange.receiver_id, _("The supplier and the receiver must be different."))
    if exchange.distance_km is None:
        a, b = enterprise_location(exchange.supplier_id), enterprise_location(exchange.receiver_id)
        _require(
            a is not None and b is not None,
            _("Give the distance: the supplier or the receiver has no parcel with coordinates."),
        )
        exchange.distance_km = Decimal(str(round(haversine_km(a, b), 2)))
    _clean(exchange, exclude=("supplier", "receiver", "material"))
    _require(
        supplier_has_flow(supplier_id=exchange.supplier_id, year=exchange.year, material_id=exchange.material_id),
        no_supply_message(supplier=exchange.supplier, year=exchange.year, material=exchange.material),
    )
    clash = (
        Exchange.objects.filter(
            year=exchange.year,
            supplier_id=exchange.supplier_id,
            receiver_id=exchange.receiver_id,
            material_id=exchange.material_id,
        )
        .exclude(pk=exchange.pk)
        .exists()
    )
    _require(
        not clash,
        _("This exchange (%(supplier)s → %(receiver)s, %(material)s, %(year)s) is already recorded: change that one.")
        % {
            "supplier": exchange.supplier,
            "receiver": exchange.receiver,
            "material": exchange.material,
            "year": exchange.year,
        },
    )
    exchange.save()
    return exchange


@transaction.atomic
def exchange_delete(*, by, exchange: Exchange) -> None:
    _require(
        _may_write_exchange(by, exchange),
        _(
            "You may not edit the exchanges of this enterprise: its own users, its officer, department staff "
            "and administrators do."
        ),
    )
    exchange.delete()


# --- Yearly resource data -----------------------------------------------------------------------------------------


@transaction.atomic
def resource_year_save(*, by, resource_year: ResourceYear | None = None, **fields) -> ResourceYear:
    """Create an enterprise's resource figures of a year (blank figures: not known) or change the given fields."""
    denied = _("You may not edit the resource data of this enterprise.")
    if resource_year is None:
        resource_year = ResourceYear()
    else:
        resource_year = ResourceYear.objects.select_for_update().get(pk=resource_year.pk)
        _require(may_write_for(by, resource_year.enterprise_id), denied)
    _apply(resource_year, fields, RESOURCE_FIELDS)
    _require(resource_year.enterprise_id is not None, _("Give the enterprise."))
    _require(may_write_for(by, resource_year.enterprise_id), denied)
    _clean(resource_year, exclude=("enterprise",))
    clash = (
        ResourceYear.objects.filter(enterprise_id=resource_year.enterprise_id, year=resource_year.year)
        .exclude(pk=resource_year.pk)
        .exists()
    )
    _require(
        not clash,
        _("The resource data of %(enterprise)s for %(year)s are already recorded: change them.")
        % {"enterprise": resource_year.enterprise, "year": resource_year.year},
    )
    resource_year.save()
    return resource_year


@transaction.atomic
def resource_year_delete(*, by, resource_year: ResourceYear) -> None:
    _require(
        may_write_for(by, resource_year.enterprise_id), _("You may not edit the resource data of this enterprise.")
    )
    resource_year.delete()
