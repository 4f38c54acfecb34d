"""The zone's scenario (from its flows, exchanges and parcels) and the stored run."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.common.geo import haversine_km_arrays
from hitechzone.common.rules import Refused, require

from .solver import solve

# --- The zone's scenario ----------------------------------------------------------------------------------------


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal) else value


def scenario_from_zone(*, year: int, user=None, chain=None) -> dict:
    """The zone's scenario of ``year`` (what ``user`` may see; everything for the system): supplies are the
    by-product flows, and the waste flows of a material some enterprise takes as input (id ``s-<flow id>``);
    demands are the input flows of a material on offer (id ``d-<flow id>``, the input's purity as its minimum);
    arcs join each supply to each demand of its material, costed at the material's transport cost × the distance
    between the centroids of the two enterprises' parcels — or, when either has no located parcel, the distance of
    the exchange that exists between them that year; a pair with neither gets no arc. ``chain``: an industry chain
    (or its code) — only its materials."""
    from hitechzone.circular.models import Exchange, Flow
    from hitechzone.zone.models import Parcel

    flows = Flow.objects.for_user(user) if user is not None else Flow.objects.all()
    flows = flows.filter(year=year).select_related("material", "enterprise")
    if chain is not None:
        flows = flows.filter(material__chains__code=getattr(chain, "code", chain))
    flows = list(flows.order_by("material__code", "id"))
    inputs = {f.material_id for f in flows if f.role == Flow.Role.INPUT}
    offered = [
        f for f in flows if f.role == Flow.Role.BYPRODUCT or (f.role == Flow.Role.WASTE and f.material_id in inputs)
    ]
    offered_materials = {f.material_id for f in offered}
    wanted = [f for f in flows if f.role == Flow.Role.INPUT and f.material_id in offered_materials]

    enterprise_ids = {f.enterprise_id for f in offered + wanted}
    centroids: dict[int, tuple[float, float]] = {}
    sums: dict[int, list[float]] = {}
    located = Parcel.objects.filter(
        enterprise_id__in=enterprise_ids, latitude__isnull=False, longitude__isnull=False
    ).values_list("enterprise_id", "latitude", "longitude")
    for eid, lat, lon in located:
        acc = sums.setdefault(eid, [0.0, 0.0, 0])
        acc[0] += float(lat)
        acc[1] += float(lon)
        acc[2] += 1
    for eid, (lat, lon, n) in sums.items():
        centroids[eid] = (lat / n, lon / n)
    known = {
        (e.supplier_id, e.receiver_id, e.material_id): float(e.distance_km)
        for e in Exchange.objects.filter(year=year, material_id__in=offered_materials)
    }

    materials = {}
    for f in offered + wanted:
        m = f.material
        materials.setdefault(
            m.code,
            {
                "code": m.code,
                "name": m.name,
                "disposal_cost_per_t": _number(m.disposal_cost_yuan_per_t),
                "virgin_price_per_t": _number(m.virgin_price_yuan_per_t),
                "transport_cost_per_t_km": _number(m.transport_cost_yuan_per_t_km),
                "co2_avoided_t_per_t": _number(m.co2_avoided_t_per_t),
            },
        )

    def party(f, purity_key: str, prefix: str) -> dict:
        item = {
            "id": f"{prefix}-{f.pk}",
            "material": f.material.code,
            "quantity_t": _number(f.quantity_t),
            purity_key: _number(f.purity),
            "enterprise": f.enterprise.uscc,
            "enterprise_name": f.enterprise.name,
        }
        if f.enterprise_id in centroids:
            item["lat"], item["lon"] = (round(c, 6) for c in centroids[f.enterprise_id])
        return item

    arcs = []
    for s in offered:
        for d in wanted:
            if s.material_id != d.material_id:
                continue
            if s.enterprise_id == d.enterprise_id:
                distance = 0.0
            elif s.enterprise_id in centroids and d.enterprise_id in centroids:
                a, b = centroids[s.enterprise_id], centroids[d.enterprise_id]
                distance = float(haversine_km_arrays(a[0], a[1], b[0], b[1]))
            elif (s.enterprise_id, d.enterprise_id, s.material_id) in known:
                distance = known[(s.enterprise_id, d.enterprise_id, s.material_id)]
            else:
                continue
            tc = materials[s.material.code]["transport_cost_per_t_km"]
            arcs.append(
                {
                    "supply": f"s-{s.pk}",
                    "demand": f"d-{d.pk}",
                    "distance_km": round(distance, 3),
                    "cost_per_t": round(tc * distance, 2),
                }
            )
    return {
        "year": year,
        "materials": list(materials.values()),
        "supplies": [party(f, "purity", "s") for f in offered],
        "demands": [party(f, "min_purity", "d") for f in wanted],
        "arcs": arcs,
    }


# --- The write ---------------------------------------------------------------------------------------------------


def can_run(user) -> bool:
    """Administrators, leaders, department staff and service officers run the optimiser (officers for what-if
    planning; they see their own runs); enterprises and experts do not. ``None`` is the system."""
    from hitechzone.circular.roles import (  # not at the top: the solver's worker processes import this
        OPTIMISE_ROLES,
        effective_role,
    )

    return user is None or effective_role(user) in OPTIMISE_ROLES


def run_optimization(*, by, scenario: dict, name: str = "", year: int | None = None):
    """Validate ``scenario``, solve it and store the run (who, when, input, output, solver and its time). An
    invalid scenario raises :class:`ScenarioError` and stores nothing; a user who may not run the optimiser gets
    :class:`~hitechzone.common.rules.Refused`."""
    from hitechzone.circular.models import OptimizationRun

    require(can_run(by), _("Only the zone's staff and service officers run the exchange optimiser."))
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise Refused(_("The year must be a whole number."))
    result = solve(scenario)
    with transaction.atomic():
        return OptimizationRun.objects.create(
            name=(name or "")[:100],
            year=year,
            scenario=scenario,
            result=result,
            status=result["status"],
            solver=result["solver"],
            solve_seconds=result["solve_seconds"],
            created_by=by,
        )
