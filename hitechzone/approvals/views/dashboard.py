"""The dashboard: the year's figures, charts and lights, and its spreadsheet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import queries
from hitechzone.approvals.models import (
    Application,
    ItemType,
    Mode,
)
from hitechzone.common.params import year_from_query
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless

from .base import LIGHTS, OVERDUE_ROLES, PAGE_ROLES, _deadline_url, _percent, _render, light_labels, mode_short_labels

# --- Dashboard -----------------------------------------------------------------------------------------------------


def _years_with_data(user) -> list[int]:
    span = Application.objects.for_user(user).aggregate(first=Min("received_on"), last=Max("received_on"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


@login_required
def home(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    today = timezone.localdate()
    year = year_from_query(request, today.year)
    data = queries.year_stats(user=user, year=year, today=today)
    if request.GET.get("export") == "xlsx":
        return _stats_export(data)
    data_years = _years_with_data(user)
    departments = data["by_department"]
    modes = dict(Mode.choices)
    labels = light_labels()
    applications_url = reverse("approvals:applications")
    charts = {
        "department_chart": {
            "type": "bar",
            "unit": _("working days"),
            "categories": [d["short_name"] for d in departments],
            "series": [
                {"name": _("Average now"), "data": [d["average_working_days"] for d in departments]},
                {"name": _("Before the reform"), "data": [d["pre_reform_average_days"] for d in departments]},
            ],
            "links": [f"{applications_url}?department={d['department']}&year={year}" for d in departments],
        },
        "month_chart": {
            "type": "bar",
            "unit": _("applications"),
            "categories": [f"{m['month']:02d}" for m in data["by_month"]],
            "series": [
                {"name": _("Received"), "data": [m["applications"] for m in data["by_month"]]},
                {"name": _("Completed"), "type": "line", "data": [m["completed"] for m in data["by_month"]]},
            ],
        },
        "ontime_chart": {
            "type": "bar",
            "unit": "%",
            "categories": [d["short_name"] for d in departments],
            "series": [{"name": _("On time"), "data": [_percent(d["on_time_rate"]) for d in departments]}],
        },
        "light_chart": {
            "type": "bar",
            "unit": _("applications"),
            "categories": [labels[light] for light in LIGHTS],
            "series": [{"name": _("Running now"), "data": [data["lights"][light] for light in LIGHTS]}],
            "links": [f"{applications_url}?light={light}" for light in LIGHTS],
        },
        "mode_chart": {
            "type": "bar",
            "unit": _("items"),
            "categories": [str(mode_short_labels().get(k, k)) for k in data["by_mode"]],
            "series": [{"name": _("Items"), "data": list(data["by_mode"].values())}],
            "links": [f"{reverse('approvals:items')}?mode={k}" for k in data["by_mode"]],
        },
    }
    for row in departments:
        row["on_time_percent"] = _percent(row["on_time_rate"])
    for row in data["by_item"]:
        row["on_time_percent"] = _percent(row["on_time_rate"])
    return _render(
        request,
        "approvals/home.html",
        {
            "stats": data,
            "year": year,
            "years": sorted({*range(today.year, today.year - 5, -1), *data_years, year}, reverse=True),
            "data_years": [y for y in data_years if y != year],
            "on_time_percent": _percent(data["on_time_rate"]),
            "modes": [(modes.get(k, k), n) for k, n in data["by_mode"].items()],
            "lights": [(light, labels[light], data["lights"][light]) for light in LIGHTS],
            "can_see_overdue": effective_role(user) in OVERDUE_ROLES,
            # A phone scrolls a chart of many departments sideways rather than squeezing its labels.
            "department_chart_rem": 2 * len(departments),
            "deadline_url": _deadline_url(),
            **charts,
        },
    )


def _stats_export(data):
    modes, types = dict(Mode.choices), dict(ItemType.choices)
    comparison, bundles = data["comparison"], data["bundles"]
    summary = [
        [_("Year"), data["year"]],
        [_("Items in the catalogue"), data["items"]],
        [_("Departments"), data["departments"]],
        *([str(modes.get(k, k)), n] for k, n in data["by_mode"].items()),
        [_("Applications received"), data["applications"]],
        [_("Completed"), data["completed"]],
        [_("Approved"), data["approved"]],
        [_("Refused"), data["refused"]],
        [_("Not accepted"), data["rejected"]],
        [_("Immediate items completed"), data["immediate_completed"]],
        [_("Average processing time (working days)"), data["average_working_days"]],
        [_("Fastest (working days)"), data["fastest_working_days"]],
        [_("Slowest (working days)"), data["slowest_working_days"]],
        [_("On time (%)"), _percent(data["on_time_rate"])],
        [_("Paused at least one working day"), data["paused"]],
        *([str(label), data["lights"][light]] for light, label in light_labels().items()),
        [_("Before the reform: shortest (working days)"), comparison["pre_reform_min_days"]],
        [_("Before the reform: longest (working days)"), comparison["pre_reform_max_days"]],
        [_("Before the reform: average, same items (working days)"), comparison["pre_reform_average_days"]],
        [_("Now: average, same items (working days)"), comparison["average_working_days"]],
        [_("Parallel approvals"), bundles["count"]],
        [_("Parallel approvals completed"), bundles["completed"]],
        [_("Parallel approvals: average (working days)"), bundles["average_working_days"]],
        [_("Fastest project (working days)"), bundles["fastest_working_days"]],
    ]
    departments = (
        [
            d["department"],
            d["name"],
            d["items"],
            d["applications"],
            d["completed"],
            d["approved"],
            d["refused"],
            d["rejected"],
            d["average_working_days"],
            d["fastest_working_days"],
            d["slowest_working_days"],
            _percent(d["on_time_rate"]),
            d["pre_reform_average_days"],
        ]
        for d in data["by_department"]
    )
    items = (
        [
            i["code"],
            i["name"],
            i["department_name"],
            str(modes.get(i["mode"], i["mode"])),
            str(types.get(i["item_type"], i["item_type"])),
            i["statutory_limit"],
            i["promised_limit"],
            i["pre_reform_days"],
            i["applications"],
            i["completed"],
            i["average_working_days"],
            i["fastest_working_days"],
            i["slowest_working_days"],
            _percent(i["on_time_rate"]),
        ]
        for i in data["by_item"]
    )
    months = (
        [m["month"], m["applications"], m["completed"], m["average_working_days"], _percent(m["on_time_rate"])]
        for m in data["by_month"]
    )
    average, fastest, on_time = _("Average (working days)"), _("Fastest (working days)"), _("On time (%)")
    return xlsx_response(
        f"审批统计-{data['year']}.xlsx",
        [
            (_("Figures"), [_("Figure"), _("Value")], summary),
            (
                _("Departments"),
                [
                    _("Code"),
                    _("Department"),
                    _("Items"),
                    _("Applications"),
                    _("Completed"),
                    _("Approved"),
                    _("Refused"),
                    _("Not accepted"),
                    average,
                    fastest,
                    _("Slowest (working days)"),
                    on_time,
                    _("Before the reform: average (working days)"),
                ],
                departments,
            ),
            (
                _("Items"),
                [
                    _("Item code"),
                    _("Item"),
                    _("Department"),
                    _("Delegation mode"),
                    _("Item type"),
                    _("Statutory limit"),
                    _("Promised limit"),
                    _("Before the reform (working days)"),
                    _("Applications"),
                    _("Completed"),
                    average,
                    fastest,
                    _("Slowest (working days)"),
                    on_time,
                ],
                items,
            ),
            (_("Months"), [_("Month"), _("Received"), _("Completed"), average, on_time], months),
        ],
        widths={_("Figures"): [48, 14], _("Departments"): [14, 30], _("Items"): [16, 36, 20, 24, 18]},
    )
