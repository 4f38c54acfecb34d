"""The dashboard: the year's figures and charts, and their spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.params import year_from_query
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.liaison import queries
from hitechzone.liaison.models import SERVICE_TARGETS

from .base import HOME_ROLES, OFFICERS_CHARTED, _percent, _render


@login_required
def home(request):
    user = request.user
    _deny_unless(user, HOME_ROLES)
    year = year_from_query(request, timezone.localdate().year)
    data = queries.stats(year, user)
    if request.GET.get("export") == "xlsx":
        return _stats_export(data)
    series = data["series"]
    months = [f"{m:02d}" for m in range(1, 13)]
    officers = sorted(data["per_officer"].items(), key=lambda kv: (-kv[1].get("visits", 0), kv[0]))
    shown = officers[:OFFICERS_CHARTED]
    categories = list(data["by_category"].values())
    charts = {
        "month_chart": {
            "type": "bar",
            "unit": _("visits"),
            "unit2": _("problems"),
            "categories": months,
            "series": [
                {"name": _("Visits"), "data": series.get("visits", [0] * 12)},
                {"name": _("Handed over"), "type": "line", "axis": 1, "data": series.get("handed_over", [0] * 12)},
                {"name": _("Solved"), "type": "line", "axis": 1, "data": series.get("solved", [0] * 12)},
            ],
        },
        "officer_chart": {
            "type": "bar",
            "unit": _("visits"),
            "unit2": _("problems"),
            "categories": [o["name"] for _u, o in shown],
            "series": [
                {"name": _("Visits"), "data": [o.get("visits", 0) for _u, o in shown]},
                {"name": _("Solved"), "type": "line", "axis": 1, "data": [o.get("solved", 0) for _u, o in shown]},
            ],
        },
        "category_chart": {
            "type": "bar",
            "unit": _("problems"),
            "categories": [c["label"] for c in categories],
            "series": [
                {"name": _("Raised"), "data": [c["raised"] for c in categories]},
                {"name": _("Handed over"), "data": [c["handed_over"] for c in categories]},
                {"name": _("Solved"), "data": [c["solved"] for c in categories]},
            ],
            "links": [f"{reverse('liaison:problems')}?category={key}" for key in data["by_category"]],
        },
    }
    today = timezone.localdate()
    return _render(
        request,
        "liaison/home.html",
        {
            "stats": data,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "satisfied_percent": _percent(data["satisfaction"]["satisfied_share"]),
            "targets": [(SERVICE_TARGETS[k], v) for k, v in data["satisfaction"]["targets"].items()],
            "officers_charted": len(shown),
            "officers_total": len(officers),
            **charts,
        },
    )


def _stats_export(data):
    series = data["series"]
    month_rows = (
        [
            month,
            series.get("visits", [0] * 12)[i],
            series.get("raised", [0] * 12)[i],
            series.get("handed_over", [0] * 12)[i],
            series.get("solved", [0] * 12)[i],
        ]
        for i, month in enumerate(data["months"])
    )
    officer_rows = (
        [username, o["name"], o.get("visits", 0), o.get("handed_over", 0), o.get("solved", 0)]
        for username, o in sorted(data["per_officer"].items())
    )
    category_rows = ([c["label"], c["raised"], c["handed_over"], c["solved"]] for c in data["by_category"].values())
    satisfaction = data["satisfaction"]
    summary = [
        [_("Year"), data["year"]],
        [_("Visits"), data["visits"]],
        [_("Enterprises served"), data["enterprises_served"]],
        [_("Problems raised"), data["problems_raised"]],
        [_("Problems handed over"), data["problems_handed_over"]],
        [_("Problems solved"), data["problems_solved"]],
        [_("Solved directly by the officer"), data["problems_solved_directly"]],
        [_("Overdue now"), data["problems_overdue"]],
        [_("Reopened"), data["problems_reopened"]],
        [_("Rated"), satisfaction["rated"]],
        [_("Satisfied share (%)"), _percent(satisfaction["satisfied_share"])],
        *([label, n] for label, n in satisfaction["by_rating"].items()),
        *([str(SERVICE_TARGETS[k]), v] for k, v in satisfaction["targets"].items()),
    ]
    return xlsx_response(
        f"店小二统计-{data['year']}.xlsx",
        [
            (_("Figures"), [_("Figure"), _("Value")], summary),
            (_("Per month"), [_("Month"), _("Visits"), _("Raised"), _("Handed over"), _("Solved")], month_rows),
            (
                _("Per officer"),
                [_("Username"), _("Officer"), _("Visits"), _("Handed over"), _("Solved")],
                officer_rows,
            ),
            (_("Per category"), [_("Category"), _("Raised"), _("Handed over"), _("Solved")], category_rows),
        ],
        widths={_("Figures"): [36, 14]},
    )
