"""What every liaison page shares: who may open which page, the module's menu, small formatters."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.liaison import services
from hitechzone.liaison.models import Problem

S = Problem.Status

# Who may open which page; everybody else gets a 404.
HOME_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE})
ASSIGNMENT_ROLES = frozenset({Role.ADMIN, Role.LEADER})  # the leader reads, the administrator also writes
VISIT_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ENTERPRISE})
COVERAGE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
PROBLEM_ROLES = HOME_ROLES
RAISE_ROLES = services.RAISE_ROLES
ESCALATED_ROLES = frozenset({Role.ADMIN, Role.LEADER})

UNASSIGNED_SHOWN = 50
SUGGEST_LIMIT = 200
OFFICERS_CHARTED = 30
MISSING_SHOWN = 300


def duties() -> list[str]:
    """The three duties every assignment carries (the officer is at once all three), in the current language."""
    return [
        _("Investment helper (招商引资全程帮办员)"),
        _("Approval agent (投资项目审批代办员)"),
        _("Liaison (企业常态服务联络员)"),
    ]


def _parse_month(value) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in str(value).split("-"))
        date(year, month, 1)
    except (TypeError, ValueError):
        return None
    return (year, month) if 2000 <= year <= 2100 else None


def _shift_month(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _percent(share) -> float | None:
    return None if share is None else round(share * 100, 1)


def _person(user) -> str:
    return (user.full_name or user.username) if user else ""


def _render(request, template: str, context: dict, status: int = 200):
    """Render a liaison page with the module's own menu (the pages this user may open)."""
    return render(request, template, {"liaison_links": _links(request.user), **context}, status=status)


def _links(user) -> list[tuple[str, str, str]]:
    """(url, label, icon) of the other liaison pages this user may open."""
    role = effective_role(user)
    links = []
    if role == Role.OFFICER:
        links.append((reverse("liaison:visit-new"), _("Record a visit"), "bi-plus-circle"))
    if role in RAISE_ROLES:
        links.append((reverse("liaison:problem-new"), _("Raise a problem"), "bi-exclamation-circle"))
    if role in VISIT_ROLES:
        links.append((reverse("liaison:visits"), _("Visit log"), "bi-journal-text"))
    if role in COVERAGE_ROLES:
        links.append((reverse("liaison:coverage"), _("Monthly coverage"), "bi-calendar-check"))
    links.append((reverse("liaison:problems"), _("Problems"), "bi-list-check"))
    if role in ESCALATED_ROLES:
        links.append((reverse("liaison:escalated"), _("Escalated problems"), "bi-alarm"))
    if role in ASSIGNMENT_ROLES:
        links.append((reverse("liaison:assignments"), _("Assignments"), "bi-people"))
    return links
