"""Records one module lets another link to, and the sections other modules add to their pages (a registry:
``common`` names no app).

The modules never import each other (``.importlinter``). When one of them keeps a link to another's record — an
off-site incubator (M6) and the investment projects (M3) that moved from it into the zone, issue 15 — it stores the
record's *subject key* (``"projects.project:42"``, :func:`hitechzone.common.bundles.subject_key`) and asks this
registry, which the owning module fills from its ``AppConfig.ready()``::

    register_subject_kind("projects.project", title=_("Investment project"), search=…, describe=…)

- ``search(user, text, limit)`` → ``[Subject]``: the records of that kind ``user`` may see whose label contains
  ``text`` (all of them for ``""``), at most ``limit``, in one query;
- ``describe(user, keys)`` → ``{key: Subject}``: the label and the URL of those of ``keys`` that ``user`` may see
  (a key he may not see, or of a record that is gone, is simply absent), in one query whatever their number.

The other side of the link is shown on the owning module's page through :func:`register_subject_section`: the page
of a record renders :func:`subject_sections_for` for its kind and names no module (docs/0016-subjects.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .bundles import subject_key

__all__ = [
    "Subject",
    "parse_key",
    "register_subject_kind",
    "register_subject_section",
    "subject_key",
    "subject_kind",
    "subject_search",
    "subject_sections_for",
    "subject_visible",
    "subjects_describe",
]


@dataclass(frozen=True)
class Subject:
    """A record of another module as a linking module shows it."""

    key: str
    label: str
    url: str = ""


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    title: Any
    search: Callable[[Any, str, int], Sequence[Subject]]
    describe: Callable[[Any, Sequence[str]], dict[str, Subject]]


_KINDS: dict[str, SubjectKind] = {}


def register_subject_kind(kind: str, *, title, search, describe) -> None:
    """The owning module offers its records of ``kind`` (``"<app_label>.<model>"``) as subjects (registering again
    replaces)."""
    _KINDS[kind] = SubjectKind(kind=kind, title=title, search=search, describe=describe)


def subject_kind(kind: str) -> SubjectKind | None:
    """The registered kind, or ``None`` when its module is not installed (callers then offer nothing)."""
    return _KINDS.get(kind)


def parse_key(key: str) -> tuple[str, int] | None:
    """``"projects.project:42"`` → ``("projects.project", 42)``; ``None`` for anything else."""
    kind, sep, pk = str(key).partition(":")
    if not sep or not kind or not pk.isdigit() or len(pk) > 18:
        return None
    return kind, int(pk)


def subject_search(user, kind: str, text: str = "", limit: int = 200) -> list[Subject]:
    """The records of ``kind`` that ``user`` may see (label containing ``text``), at most ``limit``."""
    found = _KINDS.get(kind)
    return list(found.search(user, text, limit)) if found else []


def subjects_describe(user, keys: Iterable[str]) -> dict[str, Subject]:
    """Those of ``keys`` that ``user`` may see, each with its label and URL (one call per kind)."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for key in dict.fromkeys(keys):
        parsed = parse_key(key)
        if parsed and parsed[0] in _KINDS:
            by_kind[parsed[0]].append(key)
    out: dict[str, Subject] = {}
    for kind, kind_keys in by_kind.items():
        out.update(_KINDS[kind].describe(user, kind_keys))
    return out


def subject_visible(user, key: str) -> Subject | None:
    """The subject ``key`` if ``user`` may see it, else ``None``."""
    return subjects_describe(user, [key]).get(key)


# --- The sections other modules add to a record's page ---------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    kind: str
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


_SECTIONS: dict[tuple[str, str], Section] = {}


def register_subject_section(kind: str, key: str, *, title, template: str, rows, order: int = 100) -> None:
    """Add (or replace, by ``key``) a section of the page of a record of ``kind``. ``rows(user, obj)`` answers the
    rows (the viewer already sees ``obj``: the page is scoped), or ``None`` when there is nothing to show; a bounded
    number of queries."""
    _SECTIONS[(kind, key)] = Section(kind=kind, key=key, title=title, template=template, rows=rows, order=order)


def subject_sections_for(user, obj) -> list[ShownSection]:
    """The sections registered for ``obj``'s kind, for ``user`` (who may see ``obj``), in the registry's order."""
    kind = obj._meta.label_lower
    shown = []
    for section in sorted((s for s in _SECTIONS.values() if s.kind == kind), key=lambda s: (s.order, s.key)):
        found = section.rows(user, obj)
        if found is not None:
            shown.append(ShownSection(key=section.key, title=section.title, template=section.template, rows=found))
    return shown
