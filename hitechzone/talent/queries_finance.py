"""Reads of M6's technology finance, scoped by role: the deals' totals per year and kind (computed from the rows)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from .models import ZERO, FinanceDeal

CENT = Decimal("0.01")


def finance_years(user, *, year: int | None = None) -> list[dict]:
    """The deals ``user`` sees that were signed (every status but “applied”), per year of signing and kind, in one
    query: ``[{"year", "count", "amount_wan_yuan", "kinds": [{"kind", "label", "count", "amount_wan_yuan"}, …]}]``
    with every kind in each year (zeros included), oldest year first. ``year``: that year only (listed even when
    empty)."""
    qs = FinanceDeal.objects.for_user(user).exclude(status=FinanceDeal.Status.APPLIED).filter(signed_on__isnull=False)
    if year is not None:
        qs = qs.filter(signed_on__year=year)
    rows = (
        qs.annotate(y=ExtractYear("signed_on"))
        .order_by()
        .values("y", "kind")
        .annotate(n=Count("pk"), amount=Sum("amount_wan_yuan"))
    )
    cells = {(row["y"], row["kind"]): row for row in rows}
    years = sorted({y for y, _kind in cells} | ({year} if year is not None else set()))
    out = []
    for y in years:
        kinds = []
        for kind, label in FinanceDeal.Kind.choices:
            row = cells.get((y, kind), {})
            kinds.append(
                {
                    "kind": kind,
                    "label": str(label),
                    "count": row.get("n", 0),
                    "amount_wan_yuan": (row.get("amount") or ZERO).quantize(CENT),
                }
            )
        out.append(
            {
                "year": y,
                "count": sum(k["count"] for k in kinds),
                "amount_wan_yuan": sum((k["amount_wan_yuan"] for k in kinds), ZERO).quantize(CENT),
                "kinds": kinds,
            }
        )
    return out


def finance_chart(years: list[dict]) -> dict:
    """The bar chart of the amounts per year, one series per kind (common/charts.js's spec)."""
    return {
        "type": "bar",
        "categories": [str(y["year"]) for y in years],
        "series": [
            {"name": str(label), "data": [float(y["kinds"][i]["amount_wan_yuan"]) for y in years]}
            for i, (_kind, label) in enumerate(FinanceDeal.Kind.choices)
        ],
        "unit": _("10k yuan"),
    }
