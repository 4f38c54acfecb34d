"""Reads of M6's technology finance and partnerships, scoped by role: the totals per year and kind (computed from
the rows, one query each) and their charts."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from hitechzone.enterprises.sections import EnterpriseRows

from .models import ZERO, Cooperation, FinanceDeal, FundCall, Grant
from .queries import MONEY, SECTION_ROWS

CENT = Decimal("0.01")


def _per_year(qs, *, kinds, amount: str, year: int | None) -> list[dict]:
    """``qs``'s rows per year of ``signed_on`` and ``kind``: ``[{"year", "count", "amount_wan_yuan", "kinds":
    [{"kind", "label", "count", "amount_wan_yuan"}, …]}]`` with every kind in each year (zeros included), oldest year
    first. ``year``: that year only (listed even when empty)."""
    qs = qs.filter(signed_on__isnull=False)
    if year is not None:
        qs = qs.filter(signed_on__year=year)
    rows = (
        qs.annotate(y=ExtractYear("signed_on"))
        .order_by()
        .values("y", "kind")
        .annotate(n=Count("pk"), amount=Sum(amount))
    )
    cells = {(row["y"], row["kind"]): row for row in rows}
    years = sorted({y for y, _kind in cells} | ({year} if year is not None else set()))
    out = []
    for y in years:
        per_kind = []
        for kind, label in kinds:
            row = cells.get((y, kind), {})
            per_kind.append(
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
                "count": sum(k["count"] for k in per_kind),
                "amount_wan_yuan": sum((k["amount_wan_yuan"] for k in per_kind), ZERO).quantize(CENT),
                "kinds": per_kind,
            }
        )
    return out


def _chart(years: list[dict], kinds) -> dict:
    """The bar chart of the amounts per year, one series per kind (common/charts.js's spec)."""
    return {
        "type": "bar",
        "categories": [str(y["year"]) for y in years],
        "series": [
            {"name": str(label), "data": [float(y["kinds"][i]["amount_wan_yuan"]) for y in years]}
            for i, (_kind, label) in enumerate(kinds)
        ],
        "unit": _("10k yuan"),
    }


def finance_years(user, *, year: int | None = None) -> list[dict]:
    """The deals ``user`` sees that were signed (every status but “applied”), per year of signing and kind."""
    qs = FinanceDeal.objects.for_user(user).exclude(status=FinanceDeal.Status.APPLIED)
    return _per_year(qs, kinds=FinanceDeal.Kind.choices, amount="amount_wan_yuan", year=year)


def finance_chart(years: list[dict]) -> dict:
    return _chart(years, FinanceDeal.Kind.choices)


def cooperation_years(user, *, year: int | None = None) -> list[dict]:
    """The transfers, licences and cooperation projects ``user`` sees, per year of signing and kind: how many and
    their contract value (万元)."""
    qs = Cooperation.objects.for_user(user)
    return _per_year(qs, kinds=Cooperation.Kind.choices, amount="contract_value_wan_yuan", year=year)


def cooperation_chart(years: list[dict]) -> dict:
    return _chart(years, Cooperation.Kind.choices)


def calls_with_figures(user):
    """The fund calls ``user`` sees, each with ``applications`` (the grants applied for under it) and
    ``granted_wan_yuan`` (those approved), as two subqueries: one query for any number of calls."""
    under = Grant.objects.filter(call=OuterRef("pk")).order_by().values("call")
    applications = under.annotate(n=Count("pk")).values("n")
    granted = under.filter(status=Grant.Status.APPROVED).annotate(s=Sum("amount_wan_yuan")).values("s")
    return (
        FundCall.objects.for_user(user)
        .select_related("fund")
        .annotate(
            applications=Coalesce(Subquery(applications, output_field=IntegerField()), Value(0)),
            granted_wan_yuan=Coalesce(Subquery(granted, output_field=MONEY), Value(ZERO), output_field=MONEY),
        )
    )


# --- The enterprise page's sections --------------------------------------------------------------------------------


def enterprise_finance(user, enterprise):
    """The enterprise's latest loans, guarantees and equity investments (one query)."""
    rows = list(
        FinanceDeal.objects.for_user(user).filter(enterprise=enterprise).order_by("-signed_on", "-pk")[:SECTION_ROWS]
    )
    if not rows:
        return None
    return EnterpriseRows(rows=rows, more_url=f"{reverse('talent:finance')}?enterprise={enterprise.pk}")


def enterprise_cooperations(user, enterprise):
    """The enterprise's latest technology transfers, licences and cooperation projects (one query)."""
    rows = list(
        Cooperation.objects.for_user(user)
        .filter(enterprise=enterprise)
        .select_related("partner")
        .order_by("-signed_on", "-pk")[:SECTION_ROWS]
    )
    if not rows:
        return None
    return EnterpriseRows(rows=rows, more_url=f"{reverse('talent:partnerships')}?enterprise={enterprise.pk}")
