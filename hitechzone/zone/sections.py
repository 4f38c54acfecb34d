"""The sections modules add to a parcel's page (a registry, like ``enterprises.sections``: M0 names no module).

A module registers, from its ``AppConfig.ready()``, a section — a small template and a function giving its rows for
``(user, parcel)``, read through the module's own scoped querysets::

    register_parcel_section("projects", title=_("Project on this parcel"), template="projects/_parcel_projects.html",
                            rows=sections.parcel_projects, order=20)

``rows(user, parcel)`` answers a list of rows, or ``None`` when the section is not for this user (or has nothing to
show on this parcel). Each costs a bounded number of queries, whatever the parcel's history. The page itself is
scoped (``Parcel.objects.for_user``): a section is shown only to who may see the parcel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["parcel_sections_for", "register_parcel_section"]


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    template: str
    rows: Callable[[Any, Any], Sequence[Any] | None]
    order: int = 100


@dataclass
class ShownSection:
    key: str
    title: Any
    template: str
    rows: Sequence[Any] = field(default_factory=list)


_SECTIONS: dict[str, Section] = {}


def register_parcel_section(
    key: str, *, title, template: str, rows: Callable[[Any, Any], Sequence[Any] | None], order: int = 100
) -> None:
    """Add (or replace, by ``key``) a section of the parcel's page."""
    _SECTIONS[key] = Section(key=key, title=title, template=template, rows=rows, order=order)


def parcel_sections_for(user, parcel) -> list[ShownSection]:
    """The sections of ``parcel``'s page for ``user`` (who may see the parcel), in the registry's order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        found = section.rows(user, parcel)
        if found is not None:
            shown.append(
                ShownSection(key=section.key, title=section.title, template=section.template, rows=list(found))
            )
    return shown
