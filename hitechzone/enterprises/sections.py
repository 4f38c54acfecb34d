"""The sections modules add to an enterprise's page (a registry: M0 names no module).

A module registers, from its ``AppConfig.ready()``, a section — a small template and a function giving its rows
for ``(user, enterprise)``, read through the module's own scoped querysets — and, if it has one, an action the page
offers (a button in the page's header)::

    register_enterprise_section(
        "visits", title=_("Visits"), template="liaison/_enterprise_visits.html", rows=queries.enterprise_visits,
        order=10, action=queries.record_visit_action,
    )

``rows(user, enterprise)`` answers ``EnterpriseRows(rows=[…], more_url="…")`` (the few latest rows and the full
list filtered to the enterprise), or ``None`` when the section is not for this user; ``action(user, enterprise)``
answers a :class:`PageAction` or ``None``. Each costs a bounded number of queries (one, as a rule), whatever the
enterprise's history.

The sections are for those who follow the enterprise (:func:`follows`): admins and leaders, the officer who serves
it now, the enterprise itself. Department staff read the registry's profile only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role

from .models import officer_serves

__all__ = ["EnterpriseRows", "PageAction", "follows", "register_enterprise_section", "sections_for"]


@dataclass(frozen=True)
class EnterpriseRows:
    """What a section shows: its latest rows and the link to all of them (the module's list, filtered)."""

    rows: Sequence[Any]
    more_url: str = ""


@dataclass(frozen=True)
class PageAction:
    """A button the enterprise's page offers (``testid`` names it for the tests)."""

    label: str
    url: str
    icon: str = ""
    testid: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    template: str
    rows: Callable[[Any, Any], EnterpriseRows | None]
    order: int = 100
    action: Callable[[Any, Any], PageAction | None] | None = None


@dataclass
class ShownSection:
    """A section as the page renders it."""

    key: str
    title: Any
    template: str
    rows: Sequence[Any] = field(default_factory=list)
    more_url: str = ""


_SECTIONS: dict[str, Section] = {}


def register_enterprise_section(
    key: str,
    *,
    title,
    template: str,
    rows: Callable[[Any, Any], EnterpriseRows | None],
    order: int = 100,
    action: Callable[[Any, Any], PageAction | None] | None = None,
) -> None:
    """Add (or replace, by ``key``) a section of the enterprise's page."""
    _SECTIONS[key] = Section(key=key, title=title, template=template, rows=rows, order=order, action=action)


def follows(user, enterprise) -> bool:
    """Whether the enterprise's page shows ``user`` the modules' sections: admins and leaders, the officer who
    serves the enterprise now, the enterprise's own users."""
    role = effective_role(user)
    if role in (Role.ADMIN, Role.LEADER):
        return True
    if role == Role.OFFICER:
        return officer_serves(user, enterprise.pk)
    if role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk
    return False


def sections_for(user, enterprise) -> tuple[list[ShownSection], list[PageAction]]:
    """The sections and the actions of ``enterprise``'s page for ``user``, in the registry's order."""
    if not follows(user, enterprise):
        return [], []
    shown: list[ShownSection] = []
    actions: list[PageAction] = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if section.action is not None:
            action = section.action(user, enterprise)
            if action is not None:
                actions.append(action)
        found = section.rows(user, enterprise)
        if found is not None:
            shown.append(
                ShownSection(
                    key=section.key,
                    title=section.title,
                    template=section.template,
                    rows=list(found.rows),
                    more_url=found.more_url,
                )
            )
    return shown, actions
