"""M5's scoped reads: what a user sees of the flows, exchanges and projects (deny by default: each starts from
the model's ``for_user``). The pages and the API read through these; the computations (``balance``,
``indicators``, ``optimize``) take the user and scope the same way."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from hitechzone.enterprises.models import IndustryChain

from .models import CircularProject, Exchange, Flow

TOLERANCE = 1e-6  # tonnes: a by-product left over by less than this is matched


def years_of(user) -> list[int]:
    """The years for which the user sees flows or exchanges, newest first."""
    years = set(Flow.objects.for_user(user).values_list("year", flat=True).distinct())
    years |= set(Exchange.objects.for_user(user).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def chains() -> list[IndustryChain]:
    return list(IndustryChain.objects.all())


def exchanges(user, year: int, chain: IndustryChain | None = None):
    """The year's exchanges the user sees; with a chain, those with an end on it (as ``balance`` does)."""
    qs = Exchange.objects.for_user(user).filter(year=year).select_related("supplier", "receiver", "material")
    if chain is not None:
        qs = qs.filter(Q(supplier__chains=chain) | Q(receiver__chains=chain)).distinct()
    return qs


def flows(user, year: int, chain: IndustryChain | None = None):
    """The year's flows the user sees; with a chain, those of its enterprises."""
    qs = Flow.objects.for_user(user).filter(year=year)
    if chain is not None:
        qs = qs.filter(enterprise__chains=chain).distinct()
    return qs


def unmatched_byproducts(user, year: int, chain: IndustryChain | None = None) -> list[dict]:
    """By-products (and wastes) of the year whose quantity is not all taken by existing exchanges:
    ``{"enterprise", "material", "quantity_t", "exchanged_t", "left_t"}``, largest remainder first. Two queries."""
    produced = (
        flows(user, year, chain)
        .filter(role__in=[Flow.Role.BYPRODUCT, Flow.Role.WASTE])
        .select_related("enterprise", "material")
    )
    taken: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in (
        Exchange.objects.for_user(user)
        .filter(year=year)
        .values("supplier_id", "material_id")
        .annotate(t=Sum("quantity_t"))
    ):
        taken[(row["supplier_id"], row["material_id"])] += row["t"] or Decimal(0)
    seen: dict[tuple[int, int], dict] = {}
    for flow in produced:
        key = (flow.enterprise_id, flow.material_id)
        row = seen.setdefault(
            key,
            {"enterprise": flow.enterprise, "material": flow.material, "quantity_t": Decimal(0), "exchanged_t": None},
        )
        row["quantity_t"] += flow.quantity_t
    rows = []
    for key, row in seen.items():
        row["exchanged_t"] = taken.get(key, Decimal(0))
        row["left_t"] = row["quantity_t"] - row["exchanged_t"]
        if row["left_t"] > TOLERANCE:
            rows.append(row)
    rows.sort(key=lambda r: (-r["left_t"], r["enterprise"].name, r["material"].code))
    return rows


def projects(user):
    """The projects the user may see."""
    return CircularProject.objects.for_user(user)
