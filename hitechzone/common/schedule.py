"""Scheduled tasks, run by the worker: each task at most once per day on which it is due (a row records it).

Register with ``@daily("name", when=lambda day: day.day == 20)``. ``run_due(today)`` is idempotent: a
restarted worker, or two workers, never run a task twice for the same day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

logger = logging.getLogger(__name__)
TASKS: dict[str, tuple[Callable[[date], bool], Callable[[date], object]]] = {}


def daily(name: str, *, when: Callable[[date], bool] = lambda day: True):
    def register(func):
        TASKS[name] = (when, func)
        return func

    return register


def _load_tasks() -> None:
    from hitechzone.approvals import scheduled as _approvals  # noqa: F401 — registers the approval centre's tasks
    from hitechzone.liaison import scheduled  # noqa: F401 — registers the liaison tasks


def run_due(today: date | None = None) -> dict[str, object]:
    """Run every task due today that has not run today; returns what ran and its result."""
    _load_tasks()
    today = today or timezone.localdate()
    ran: dict[str, object] = {}
    for name, (when, func) in TASKS.items():
        if not when(today) or ScheduledRun.objects.filter(name=name, day=today).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=name, day=today)
                result = func(today)
                run.result = {"result": result if isinstance(result, int | str | dict | list) else str(result)}
                run.save(update_fields=["result"])
        except IntegrityError:
            continue  # another worker took it
        except Exception:  # a failing task must not stop the worker; it is tried again on the next poll
            logger.exception("scheduled task %s failed", name)
            continue
        ran[name] = result
    return ran
