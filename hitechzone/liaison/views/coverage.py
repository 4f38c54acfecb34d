"""The monthly coverage: each officer visits each of their enterprises once a calendar month."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.liaison import queries

from .base import COVERAGE_ROLES, MISSING_SHOWN, _parse_month, _percent, _render, _shift_month


@login_required
def coverage(request):
    user = request.user
    _deny_unless(user, COVERAGE_ROLES)
    today = timezone.localdate()
    year, month = _parse_month(request.GET.get("month")) or (today.year, today.month)
    data = queries.coverage(year, month, user)
    if request.GET.get("export") == "xlsx":
        return _coverage_export(data)
    missing_by_officer = defaultdict(list)
    for m in data["missing"][:MISSING_SHOWN]:
        missing_by_officer[m["officer"]].append(m)
    for o in data["officers"]:
        o["percent"] = _percent(o["share"])
        o["missing"] = missing_by_officer.get(o["officer"], [])
        o["missing_count"] = o["assignments"] - o["visited"]
    return _render(
        request,
        "liaison/coverage.html",
        {
            "data": data,
            "month": f"{year:04d}-{month:02d}",
            "previous_month": _shift_month(year, month, -1),
            "next_month": _shift_month(year, month, 1) if (year, month) < (today.year, today.month) else None,
            "percent": _percent(data["share"]),
            "missing_truncated": len(data["missing"]) > MISSING_SHOWN,
            "missing_shown": MISSING_SHOWN,
            "is_officer": effective_role(user) == Role.OFFICER,
        },
    )


def _coverage_export(data):
    officers = (
        [o["officer"], o["officer_name"], o["assignments"], o["visited"], _percent(o["share"])]
        for o in data["officers"]
    )
    missing = ([m["officer"], m["officer_name"], m["enterprise"]] for m in data["missing"])
    return xlsx_response(
        f"走访覆盖-{data['month']}.xlsx",
        [
            (
                _("Per officer"),
                [_("Username"), _("Service officer"), _("Enterprises"), _("Visited"), _("Share (%)")],
                officers,
            ),
            (_("Not visited"), [_("Username"), _("Service officer"), _("Enterprise")], missing),
        ],
    )
