"""Scheduled tasks, run by the worker: each task once per day on which it is due (a ``ScheduledRun`` row records it).

Apps register theirs from their ``AppConfig.ready()`` with ``@daily("name", when=lambda day: day.day == 20)``;
the task is ``func(day)``. The worker calls ``run_due()`` every few minutes:

- a day's run is claimed by inserting its row (status running) in a short transaction of its own, then the task
  runs in a second transaction, which also marks the row done: a second worker sees the claim and goes on
  without waiting;
- a failed run is tried again at the next poll (up to ``MAX_ATTEMPTS``); a claim left running for longer than
  ``JOB_STALE_SECONDS`` (its worker died) is taken over;
- days missed while no worker ran are caught up, oldest first, up to ``CATCH_UP_DAYS`` back, each due day once
  (from the day after the task last ran; a task that never ran starts today).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from .jobs import stale_seconds
from .models import ScheduledRun

logger = logging.getLogger(__name__)

CATCH_UP_DAYS = 7
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Task:
    name: str
    when: Callable[[date], bool]
    func: Callable[[date], object]


TASKS: dict[str, Task] = {}


def daily(name: str, *, when: Callable[[date], bool] = lambda day: True):
    def register(func):
        TASKS[name] = Task(name, when, func)
        return func

    return register


def due_days(task: Task, today: date) -> list[date]:
    """The days ``task`` still owes, oldest first: not done, due, within the catch-up window."""
    first = today - timedelta(days=CATCH_UP_DAYS)
    runs = {r.day: r for r in ScheduledRun.objects.filter(name=task.name, day__gte=first, day__lte=today)}
    last = ScheduledRun.objects.filter(name=task.name).aggregate(last=Max("day"))["last"]
    start = today if last is None else max(first, min(last + timedelta(days=1), today))
    days = {day for day, r in runs.items() if r.status != ScheduledRun.Status.DONE}
    days |= {start + timedelta(days=n) for n in range((today - start).days + 1)}
    return sorted(day for day in days if task.when(day))


def _claim(task: Task, day: date, now) -> ScheduledRun | None:
    """Take ``task``'s run of ``day`` for this worker (None: done, given up, or another worker's)."""
    run = ScheduledRun.objects.filter(name=task.name, day=day).first()
    if run is None:
        try:
            with transaction.atomic():
                return ScheduledRun.objects.create(
                    name=task.name, day=day, status=ScheduledRun.Status.RUNNING, attempts=1, started_at=now, at=now
                )
        except IntegrityError:
            return None  # another worker claimed it just now
    if run.status == ScheduledRun.Status.DONE or run.attempts >= MAX_ATTEMPTS:
        return None
    retake = ScheduledRun.objects.filter(pk=run.pk, attempts=run.attempts)
    if run.status == ScheduledRun.Status.RUNNING:
        retake = retake.filter(status=run.status, started_at__lt=now - timedelta(seconds=stale_seconds()))
    else:
        retake = retake.filter(status=ScheduledRun.Status.FAILED)
    if not retake.update(status=ScheduledRun.Status.RUNNING, attempts=F("attempts") + 1, started_at=now):
        return None  # running elsewhere (fresh), or taken by another worker just now
    run.refresh_from_db()
    return run


def _stored(result):
    return result if isinstance(result, int | str | dict | list) else str(result)


def run_due(today: date | None = None) -> dict[str, object]:
    """Run what is due and not done (see the module's docstring); returns each task that ran with its result
    (for a task that caught up several days, the result of the latest)."""
    today = today or timezone.localdate()
    ran: dict[str, object] = {}
    for task in TASKS.values():
        for day in due_days(task, today):
            claim = _claim(task, day, timezone.now())
            if claim is None:
                continue
            mine = ScheduledRun.objects.filter(pk=claim.pk, status=ScheduledRun.Status.RUNNING, attempts=claim.attempts)
            try:
                with transaction.atomic():
                    result = task.func(day)
                    if not mine.update(
                        status=ScheduledRun.Status.DONE, at=timezone.now(), result={"result": _stored(result)}
                    ):
                        raise IntegrityError(f"{task.name} {day} was taken over by another worker")
            except Exception as exc:  # a failing task must not stop the worker; it is tried again at the next poll
                logger.exception("scheduled task %s of %s failed (attempt %d)", task.name, day, claim.attempts)
                try:
                    mine.update(
                        status=ScheduledRun.Status.FAILED,
                        at=timezone.now(),
                        result={"error": str(exc), "traceback": traceback.format_exc()[-4000:]},
                    )
                except DatabaseError:
                    raise exc from None  # the database is gone: the worker's loop waits for it
                continue
            ran[task.name] = result
    return ran
