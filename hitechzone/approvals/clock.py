"""The stored clock of an application, derived in one place.

An accepted application stores what its promised time limit gives it: ``due_on``, ``due_provisional``,
``yellow_on`` and ``paused_working_days`` (from acceptance, limit, warning threshold and the closed pauses);
once completed, also ``working_days_used`` and ``on_time``. A parallel approval (bundle) stores its
``total_working_days``. The counting rules are those of :mod:`hitechzone.common.deadlines`; this module only
says which of them make which field, for

- **one application**, :func:`clock_of` (the services, on every transition), with the scalar functions;
- **many at once**, :func:`bulk` (the recomputation after a calendar change, the history import, the demo and
  the benchmarks' generator), vectorised on a :class:`~hitechzone.common.deadlines.BulkClock`, which
  :func:`bulk_clock` builds over the years the computation needs (:func:`years_needed`: the one
  calendar-reach rule, the calendar's own — a year has at least 240 working days and no holiday lasts a
  month).

Both give the same answers (``tests/test_recompute.py`` and the demo's tests compare them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from hitechzone.common.calendar import MAX_YEAR, MIN_YEAR, working_days_between
from hitechzone.common.deadlines import BulkClock, counted_working_days, due_date, merge_pauses, yellow_from

__all__ = ["Clock", "bulk", "bulk_clock", "bundle_total", "bundle_totals", "clock_of", "year_of", "years_needed"]

ONE_DAY = timedelta(days=1)

#: The fields the clock stores on an accepted application, and those it adds once it is completed.
FIELDS = ("due_on", "due_provisional", "yellow_on", "paused_working_days")
COMPLETED_FIELDS = ("working_days_used", "on_time")

NONE = -1  # a missing number or boolean in the bulk results


# --------------------------------------------------------------------------------------------------------
# One application
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """The clock of one application (``working_days_used`` and ``on_time`` only once it is completed)."""

    due_on: date
    due_provisional: bool
    yellow_on: date
    paused_working_days: int
    working_days_used: int | None = None
    on_time: bool | None = None


def clock_of(
    *,
    accepted_on: date,
    limit_days: int,
    yellow_threshold: int,
    pauses: Iterable[tuple[date, date]] = (),
    completed_on: date | None = None,
) -> Clock:
    """The clock of an application accepted on ``accepted_on``, its closed ``pauses`` (first and last day,
    both inclusive) left out; with ``completed_on``, also the working days it took and whether it was on time."""
    pauses = list(pauses)
    result = due_date(accepted_on, limit_days, pauses)
    first_counted = accepted_on + ONE_DAY
    paused = sum(
        working_days_between(max(a, first_counted) - ONE_DAY, b).value
        for a, b in merge_pauses(pauses)
        if b >= first_counted
    )
    used = on_time = None
    if completed_on is not None:
        used = counted_working_days(accepted_on, completed_on, pauses).value
        on_time = completed_on <= result.value
    return Clock(
        due_on=result.value,
        due_provisional=result.provisional,
        yellow_on=yellow_from(result.value, yellow_threshold),
        paused_working_days=paused,
        working_days_used=used,
        on_time=on_time,
    )


def bundle_total(first_accepted: date, last_completed: date) -> int:
    """The working days a parallel approval took: after its first acceptance up to its last completion."""
    return counted_working_days(first_accepted, last_completed).value


# --------------------------------------------------------------------------------------------------------
# Many at once
# --------------------------------------------------------------------------------------------------------


_FIRST_ORDINAL = date(MIN_YEAR, 1, 1).toordinal()
_LAST_ORDINAL = date(MAX_YEAR, 12, 31).toordinal()


def _calendar_days(working_days: np.ndarray | int) -> np.ndarray:
    """At least the calendar days ``working_days`` working days span (the calendar's reach rule)."""
    return np.ceil(np.asarray(working_days, dtype=np.int64) * 366 / 240).astype(np.int64) + 31


def year_of(ordinal: int) -> int:
    """The year of a date ordinal, kept within the years the calendar covers."""
    return date.fromordinal(min(max(int(ordinal), _FIRST_ORDINAL), _LAST_ORDINAL)).year


def years_needed(
    accepted: np.ndarray, limit: np.ndarray, threshold: np.ndarray | int, last_day: np.ndarray
) -> tuple[int, int]:
    """The calendar years a bulk computation needs, as ``(first, last)``: from the earliest possible yellow day
    (``threshold`` working days before a due date, itself after the acceptance) to the latest possible due date
    (``limit`` working days after ``last_day``: the later of the acceptance, the last pause's end and the
    completion)."""
    latest = int((np.asarray(last_day, dtype=np.int64) + _calendar_days(limit)).max())
    earliest = int(np.asarray(accepted, dtype=np.int64).min() - _calendar_days(np.max(threshold)))
    return year_of(earliest), year_of(latest)


def bulk_clock(accepted: np.ndarray, limit: np.ndarray, threshold: np.ndarray | int, last_day: np.ndarray) -> BulkClock:
    """A :class:`BulkClock` over the years :func:`years_needed` gives."""
    return BulkClock(*years_needed(accepted, limit, threshold, last_day))


def bulk(
    accepted: np.ndarray,
    limit: np.ndarray,
    threshold: np.ndarray,
    pause_app: np.ndarray | None = None,
    pause_start: np.ndarray | None = None,
    pause_end: np.ndarray | None = None,
    *,
    completed: np.ndarray | None = None,
    done: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """The clock of many applications at once, exactly as :func:`clock_of` gives each.

    Arrays of the same length (``int64``; dates as ordinals, :func:`~hitechzone.common.deadlines.to_ordinals`):
    ``accepted``, ``limit``, ``threshold`` and ``completed`` (0 for an application not completed). ``done``
    (booleans) says which are completed; by default those with a ``completed`` day. The closed pauses come as
    three parallel arrays: ``pause_app[k]`` is the index of the application the ``k``-th pause belongs to, from
    ``pause_start[k]`` to ``pause_end[k]`` (ordinals, both inclusive), in any order.

    Returns arrays ``due``, ``provisional`` (0/1), ``yellow``, ``paused``, and, -1 for the applications not
    completed, ``used`` and ``on_time`` (0/1).
    """
    accepted = np.asarray(accepted, dtype=np.int64)
    limit = np.asarray(limit, dtype=np.int64)
    threshold = np.asarray(threshold, dtype=np.int64)
    n = len(accepted)
    empty = np.zeros(0, dtype=np.int64)
    p_app = empty if pause_app is None else np.asarray(pause_app, dtype=np.int64)
    p_start = empty if pause_start is None else np.asarray(pause_start, dtype=np.int64)
    p_end = empty if pause_end is None else np.asarray(pause_end, dtype=np.int64)
    completed = np.zeros(n, dtype=np.int64) if completed is None else np.asarray(completed, dtype=np.int64)
    done = completed > 0 if done is None else np.asarray(done, dtype=bool)
    until = np.where(done, completed, accepted)  # the completion, or the acceptance for those not completed

    last_pause_end = accepted.copy()
    np.maximum.at(last_pause_end, p_app, p_end)
    clock = bulk_clock(accepted, limit, threshold, np.maximum(last_pause_end, until))

    due, provisional = clock.due_dates(accepted, limit, p_app, p_start, p_end)
    yellow = clock.yellow_from(due, threshold)
    # Working days from acceptance to completion, without pauses: the same two lookups BulkClock.counted makes.
    used = np.searchsorted(clock.working, until, side="right") - np.searchsorted(clock.working, accepted, side="right")
    paused = np.zeros(n, dtype=np.int64)
    if len(p_app):
        # Only the applications with pauses go through the pause rounds (a seventh of them or so).
        paused_apps = np.unique(p_app)
        sub = np.searchsorted(paused_apps, p_app)
        sub_accepted = accepted[paused_apps]
        # Paused working days, as clock_of sums them: the working days after acceptance inside the (merged)
        # pauses = the count up to the last pause's end without the pauses, less the count with them.
        last = last_pause_end[paused_apps]
        plain, _ = clock.counted(sub_accepted, last)
        counted, _ = clock.counted(sub_accepted, last, sub, p_start, p_end)
        paused[paused_apps] = plain - counted
        # The working days taken by those completed, pauses excluded.
        counted, _ = clock.counted(sub_accepted, until[paused_apps], sub, p_start, p_end)
        used[paused_apps] = counted
    return {
        "due": due,
        "provisional": provisional.astype(np.int64),
        "yellow": yellow,
        "paused": paused,
        "used": np.where(done, used, NONE),
        "on_time": np.where(done, (completed <= due).astype(np.int64), NONE),
    }


def bundle_totals(first_accepted: np.ndarray, last_completed: np.ndarray) -> np.ndarray:
    """:func:`bundle_total` of many parallel approvals at once (ordinals)."""
    first = np.asarray(first_accepted, dtype=np.int64)
    last = np.asarray(last_completed, dtype=np.int64)
    clock = BulkClock(year_of(int(first.min())), year_of(int(last.max())))
    totals, _ = clock.counted(first, last)
    return totals
