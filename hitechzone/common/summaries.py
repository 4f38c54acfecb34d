"""The registry of per-month summaries (docs/0014-summaries.md): the modules register how to rebuild theirs and how
to find their drift from the full computation; ``hitechzone rebuild_summaries [--check]`` walks the registry.

``common`` names no module: each fills the registry from its ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    name: str  # e.g. "liaison.visits"
    rebuild: Callable[[], int]  # rebuild every row from the full computation; returns how many rows
    drift: Callable[[], tuple[int, list[str]]]  # (how many rows differ from the full computation, a few described)


_registry: dict[str, Summary] = {}


def register_summary(name: str, *, rebuild: Callable[[], int], drift: Callable[[], tuple[int, list[str]]]) -> None:
    _registry[name] = Summary(name, rebuild, drift)


def registered() -> list[Summary]:
    return [_registry[name] for name in sorted(_registry)]
