"""What the pages of M2 share: the role sets, labels, rendering, working days past due."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Mode,
)
from hitechzone.common.deadlines import BulkClock, to_ordinals
from hitechzone.common.views import module_nav

S = Application.State
M = ApplicationMaterial.Status

# Who may open which page; everybody else gets a 404.
PAGE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE})
FILE_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.ENTERPRISE})  # file applications and parallel approvals
OVERDUE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT})
RECTIFICATION_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT})

LIGHTS = ("green", "yellow", "red", "paused")


def light_labels() -> dict[str, str]:
    return {"green": _("On track"), "yellow": _("Due soon"), "red": _("Overdue"), "paused": _("Clock stopped")}


def mode_short_labels() -> dict[str, str]:
    """The delegation modes in a word or two, for a chart's axis on a phone."""
    return {
        Mode.ENTRUSTED: _("Entrusted"),
        Mode.JURISDICTION: _("Jurisdiction"),
        Mode.SEAL_FOLLOW: _("Seal follows seal"),
        Mode.AGENCY: _("Handling on behalf"),
    }


def step_labels() -> dict[str, str]:
    return {
        "file": _("Filed"),
        "notice": _("One-time notice issued"),
        "accept": _("Accepted"),
        "reject": _("Not accepted"),
        "supply": _("Materials supplied"),
        "assign": _("Assigned"),
        "pause": _("Clock stopped"),
        "resume": _("Clock restarted"),
        "complete": _("Completed"),
    }


def _percent(share) -> float | None:
    return None if share is None else round(share * 100, 1)


def _person(user) -> str:
    return (user.full_name or user.username) if user else ""


def _deadline_url() -> str | None:
    try:
        return reverse("calendar:deadline")
    except NoReverseMatch:
        return None


# --- The module's menu ----------------------------------------------------------------------------------------------

# (key, label, url name, roles, icon): the pages of M2 in menu order, each for the roles that may open it.
NAV = (
    ("home", gettext_lazy("Dashboard"), "approvals:home", PAGE_ROLES, "bi-bar-chart"),
    ("applications", gettext_lazy("Applications"), "approvals:applications", PAGE_ROLES, "bi-folder2-open"),
    ("new", gettext_lazy("New application"), "approvals:application-new", FILE_ROLES, "bi-plus-circle"),
    ("items", gettext_lazy("Catalogue"), "approvals:items", PAGE_ROLES, "bi-journal-text"),
    ("bundles", gettext_lazy("Parallel approvals"), "approvals:bundles", PAGE_ROLES, "bi-diagram-3"),
    ("overdue", gettext_lazy("Overdue"), "approvals:overdue", OVERDUE_ROLES, "bi-alarm"),
    ("rectifications", gettext_lazy("Rectifications"), "approvals:rectifications", RECTIFICATION_ROLES, "bi-tools"),
    (
        "deadline",
        gettext_lazy("Deadline calculator"),
        "calendar:deadline",
        frozenset({Role.ADMIN, Role.DEPARTMENT}),
        "bi-calculator",
    ),
)


def _render(request, template: str, context: dict, status: int = 200):
    """Render a page of the approval centre with the module's own menu (the pages this user may open)."""
    nav = module_nav(request, NAV, home="approvals:home")
    return render(request, template, {"approvals_nav": nav, "light_labels": light_labels(), **context}, status=status)


def working_days_after(pairs: list[tuple[date, date]]) -> list[int | None]:
    """The working days after ``a`` up to and including ``b`` for each ``(a, b)``, ``a <= b``: one calendar load
    for the lot (never a query per row)."""
    if not pairs:
        return []
    years = [d.year for pair in pairs for d in pair]
    try:
        clock = BulkClock(min(years), max(years))
        counted, _provisional = clock.counted(to_ordinals(a for a, _b in pairs), to_ordinals(b for _a, b in pairs))
    except ValueError:  # a date outside the calendar's years
        return [None] * len(pairs)
    return [int(n) for n in counted]
