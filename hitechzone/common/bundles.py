"""Parallel approvals (并联审批) opened for another module's record (a registry: ``common`` names no app).

The approval centre (M2) owns bundles; a module above the framework (an investment project, M3) needs to open one
for its record and show its progress, without importing M2 (the modules are independent, docs/architecture.md).
M2 registers its provider from ``AppConfig.ready()``::

    register_bundle_provider(BundleProvider(items=…, open=…, progress=…))

and the other module calls it by this name, with a *subject*: a generic reference to its record
(:func:`subject_key`, ``"projects.project:42"``) that the bundle stores. docs/0011-project-links.md.

- ``items(user)`` → ``[(id, label)]``: the items a parallel approval may bundle (the catalogue's active items);
- ``open(by=, subject=, enterprise=, name=, items=[ids], started_on=None)`` → :class:`BundleProgress`: files the
  bundle (the provider's own rules: an officer files as the enterprise's agent, 代办), or raises ``Refused``;
- ``progress(user=, subjects=[…])`` → ``{subject: [BundleProgress, …]}``: the bundles of those subjects the user may
  see (the provider's scope), in a bounded number of queries whatever their number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["BundleProgress", "BundleProvider", "bundle_provider", "register_bundle_provider", "subject_key"]


@dataclass(frozen=True)
class BundleProgress:
    """One parallel approval as another module shows it: its applications done out of all, and the lights."""

    pk: int
    name: str
    url: str
    started_on: date
    completed_on: date | None
    total: int
    done: int
    overdue: int
    lights: dict[str, int] = field(default_factory=dict)  # green, yellow, red, paused → count of applications

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class BundleProvider:
    items: Callable[[Any], Sequence[tuple[int, str]]]
    open: Callable[..., BundleProgress]
    progress: Callable[..., dict[str, list[BundleProgress]]]


_PROVIDER: list[BundleProvider] = []


def register_bundle_provider(provider: BundleProvider) -> None:
    """The approval centre registers how bundles are opened and read (one provider; registering again replaces)."""
    _PROVIDER[:] = [provider]


def bundle_provider() -> BundleProvider | None:
    """The registered provider, or ``None`` when no approval module is installed (callers then offer nothing)."""
    return _PROVIDER[0] if _PROVIDER else None


def subject_key(obj) -> str:
    """A record's generic reference: ``"<app_label>.<model>:<pk>"``."""
    return f"{obj._meta.label_lower}:{obj.pk}"
