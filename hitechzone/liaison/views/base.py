"""What every liaison page shares: who may open which page, the module's menu, small formatters."""

from __future__ import annotations

from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role
from hitechzone.common.views import module_nav
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


# --- The module's menu ----------------------------------------------------------------------------------------------

# (key, label, url name, roles, icon): the pages of M1 in menu order, each for the roles that may open it.
NAV = (
    ("home", gettext_lazy("Dashboard"), "liaison:home", HOME_ROLES, "bi-bar-chart"),
    ("visit-new", gettext_lazy("Record a visit"), "liaison:visit-new", frozenset({Role.OFFICER}), "bi-plus-circle"),
    ("problem-new", gettext_lazy("Raise a problem"), "liaison:problem-new", RAISE_ROLES, "bi-exclamation-circle"),
    ("visits", gettext_lazy("Visit log"), "liaison:visits", VISIT_ROLES, "bi-journal-text"),
    ("coverage", gettext_lazy("Monthly coverage"), "liaison:coverage", COVERAGE_ROLES, "bi-calendar-check"),
    ("problems", gettext_lazy("Problems"), "liaison:problems", PROBLEM_ROLES, "bi-list-check"),
    ("escalated", gettext_lazy("Escalated problems"), "liaison:escalated", ESCALATED_ROLES, "bi-alarm"),
    ("assignments", gettext_lazy("Assignments"), "liaison:assignments", ASSIGNMENT_ROLES, "bi-people"),
)


def _render(request, template: str, context: dict, status: int = 200):
    """Render a liaison page with the module's own menu (the pages this user may open)."""
    nav = module_nav(request, NAV, home="liaison:home")
    return render(request, template, {"liaison_nav": nav, **context}, status=status)
