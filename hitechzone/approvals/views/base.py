"""What the pages of M2 share: the role sets, labels, rendering, working days past due."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Mode,
)
from hitechzone.common.deadlines import BulkClock, to_ordinals

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


def _render(request, template: str, context: dict, status: int = 200):
    """Render a page of the approval centre with the module's own menu (the pages this user may open)."""
    return render(
        request,
        template,
        {"approvals_links": _links(request.user), "light_labels": light_labels(), **context},
        status=status,
    )


def _links(user) -> list[tuple[str, str, str]]:
    """(url, label, icon) of the approval centre's pages this user may open (the dashboard comes first)."""
    role = effective_role(user)
    links = [
        (reverse("approvals:applications"), _("Applications"), "bi-folder2-open"),
        (reverse("approvals:items"), _("Catalogue"), "bi-journal-text"),
        (reverse("approvals:bundles"), _("Parallel approvals"), "bi-diagram-3"),
    ]
    if role in FILE_ROLES:
        links.insert(1, (reverse("approvals:application-new"), _("New application"), "bi-plus-circle"))
    if role in OVERDUE_ROLES:
        links.append((reverse("approvals:overdue"), _("Overdue"), "bi-alarm"))
    if role in RECTIFICATION_ROLES:
        links.append((reverse("approvals:rectifications"), _("Rectifications"), "bi-tools"))
    deadline = _deadline_url()
    if deadline and role in (Role.ADMIN, Role.DEPARTMENT):
        links.append((deadline, _("Deadline calculator"), "bi-calculator"))
    return links


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
