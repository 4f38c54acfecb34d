"""The park indicators page (园区循环经济指标): a year's indicators with their units, values and formulas, and
their trends over the years with data.

The figures are the zone's totals (``indicators``): administrators, leaders and department staff read them;
anybody else gets a 404 (deny by default).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext as _

from hitechzone.common.views import deny_unless

from . import indicators
from .views import fmt, render_page, year_param

TREND_YEARS = 10  # the trend charts show the last ten years with data
PRODUCTIVITY = ("resource_productivity", "energy_productivity", "land_productivity", "water_productivity")
RATES = ("solid_waste_utilisation", "water_reuse", "byproduct_utilisation")


def _rounded(value: float | None) -> float | None:
    if value is None:
        return None
    a = abs(value)
    return round(value, 1 if a >= 100 else 2 if a >= 1 else 4)


def trend_charts(years: list[int], rows: list[dict]) -> list[dict]:
    """The trend charts over ``years``: one per productivity (units differ), the rates together, the element
    recovery rates together. Each ``{"id", "title", "spec"}`` (``spec`` for ``common/charts.js``)."""
    if not years:
        return []
    series = indicators.indicator_series(years=years)
    label = {row["key"]: (row["label"], row["unit"]) for row in rows}
    categories = [str(y) for y in years]

    def line(keys, unit):
        return {
            "type": "line",
            "unit": unit,
            "categories": categories,
            "series": [
                {"name": str(label.get(key, (key, ""))[0]), "data": [_rounded(v) for v in series[key]]}
                for key in keys
                if key in series
            ],
        }

    charts = [
        {"id": f"trend-{key}", "title": label[key][0], "spec": line([key], label[key][1])}
        for key in PRODUCTIVITY
        if key in label
    ]
    charts.append({"id": "trend-rates", "title": _("Utilisation and reuse rates"), "spec": line(RATES, "%")})
    elements = [key for key in series if key.startswith(indicators.ELEMENT_PREFIX)]
    if elements:
        label.update({key: (key.removeprefix(indicators.ELEMENT_PREFIX), "%") for key in elements if key not in label})
        charts.append({"id": "trend-elements", "title": _("Element recovery rates"), "spec": line(elements, "%")})
    return charts


@login_required
def indicator_page(request):
    user = request.user
    deny_unless(user, indicators.READERS)
    with_data = indicators.years_with_data()
    year = year_param(request, sorted(with_data, reverse=True))
    rows = indicators.park_indicators(year=year, user=user)
    for row in rows:
        row["shown"] = fmt(row["value"])
        row["numerator_shown"] = fmt(row["numerator"])
        row["denominator_shown"] = fmt(row["denominator"])
        row["element"] = row["key"].startswith(indicators.ELEMENT_PREFIX)
    trend_years = with_data[-TREND_YEARS:]
    return render_page(
        request,
        "circular/indicators.html",
        {
            "year": year,
            "years": sorted({*with_data, year}, reverse=True),
            "rows": [row for row in rows if not row["element"]],
            "element_rows": [row for row in rows if row["element"]],
            "charts": trend_charts(trend_years, rows),
            "trend_years": trend_years,
        },
    )


urlpatterns = [path("indicators/", indicator_page, name="indicators")]
