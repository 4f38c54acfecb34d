"""The approval clock: the promised time limit of an application, counted in working days.

The rules (the one-stop approval centre's, 受理次日起算)
    * Day 1 is the first working day after the day of acceptance.
    * A pause (补正 waiting for the applicant to complete the file, or a 特别程序 special procedure) from date
      ``a`` to date ``b``, both inclusive, removes the working days inside it from the count. Pauses may
      overlap; the part of a pause on or before the acceptance day changes nothing.
    * The due date is the date of the N-th counted working day, N being the promised limit. N == 0 (即办件,
      an immediate item) is due on the acceptance day itself.
    * Working days are those of :mod:`hitechzone.common.calendar`. A due date computed through a day of a
      year whose calendar is not confirmed (no State Council notice yet: weekdays only) is provisional.
    * The traffic lights: yellow when ``threshold`` working days or less remain (:func:`yellow_from`),
      red once the day is after the due date.

Two engines give the same answers: the scalar functions (:func:`due_date`, :func:`counted_working_days`,
:func:`yellow_from`, :func:`remaining_working_days`), built on :func:`~hitechzone.common.calendar.add_working_days`
and :func:`~hitechzone.common.calendar.working_days_between`, for one application at a time; and
:class:`BulkClock`, vectorised with numpy, to recompute every application at once (a million in a fraction of a
second) after a calendar year has been entered or corrected.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

import numpy as np
from django.utils.translation import gettext

from .calendar import MAX_YEAR, MIN_YEAR, WorkingDayResult, _load, add_working_days, working_days_between

__all__ = [
    "ISO_DATE",
    "MAX_DAYS",
    "BulkClock",
    "check_year",
    "counted_working_days",
    "due_date",
    "merge_pauses",
    "parse_pause",
    "remaining_working_days",
    "to_dates",
    "to_ordinals",
    "yellow_from",
]

#: The longest time limit the forms and the API accept (in working days; about four years).
MAX_DAYS = 1000

Pause = tuple[date, date]

_ONE_DAY = timedelta(days=1)

#: YYYY-MM-DD and nothing else (``date.fromisoformat`` also takes 20250127 and 2025-W05-1).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


# --------------------------------------------------------------------------------------------------------
# Pauses
# --------------------------------------------------------------------------------------------------------


def merge_pauses(pauses: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """The pauses sorted by start, overlapping or adjacent ones merged into one.

    Each pause is ``(first day, last day)``, both inclusive; a one-day pause is ``(d, d)``. Two pauses are
    adjacent when the second starts the day after the first ends. Raises :class:`ValueError` if a pause ends
    before it starts.
    """
    checked = []
    for start, end in pauses:
        if end < start:
            raise ValueError(
                gettext("A pause cannot end (%(end)s) before it starts (%(start)s).")
                % {"start": start.isoformat(), "end": end.isoformat()}
            )
        checked.append((start, end))
    merged: list[tuple[date, date]] = []
    for start, end in sorted(checked):
        if merged and (start - merged[-1][1]).days <= 1:  # overlapping or adjacent
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def parse_pause(text: str) -> tuple[date, date]:
    """``"2025-01-27:2025-02-07"`` → ``(date(2025, 1, 27), date(2025, 2, 7))`` (the form and the API's syntax).

    Surrounding spaces are ignored. Raises :class:`ValueError` with a message for the user if ``text`` is not
    two ISO dates separated by a colon, if a date is outside the years the calendar covers, or if the pause
    ends before it starts.
    """
    first, sep, last = text.strip().partition(":")
    first, last = first.strip(), last.strip()
    try:
        if not (sep and ISO_DATE.fullmatch(first) and ISO_DATE.fullmatch(last)):
            raise ValueError
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValueError(
            gettext("“%(pause)s” is not a pause: give it as YYYY-MM-DD:YYYY-MM-DD, e.g. 2025-01-27:2025-02-07.")
            % {"pause": text.strip()}
        ) from None
    for day in (start, end):
        check_year(day)
    merge_pauses([(start, end)])  # refuses an end before the start
    return start, end


def check_year(day: date | int) -> None:
    """Raise :class:`ValueError` (a message for the user) if ``day`` (a date or a year) is outside the years
    the calendar covers."""
    year = day if isinstance(day, int) else day.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            gettext("The working-day calendar covers the years %(first)s to %(last)s, not %(year)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR, "year": year}
        )


def _after_acceptance(accepted_on: date, pauses: Iterable[Pause]) -> list[Pause]:
    """The merged pauses, each cut to the days after ``accepted_on``; those wholly on or before it dropped."""
    first_counted = accepted_on + _ONE_DAY
    return [(max(start, first_counted), end) for start, end in merge_pauses(pauses) if end >= first_counted]


def _unconfirmed_years(first_day: date, last_day: date) -> tuple[int, ...]:
    """The years of ``first_day``..``last_day`` whose calendar is not confirmed (the days are cached by now)."""
    loaded = _load(first_day.year, last_day.year)
    return tuple(year for year in range(first_day.year, last_day.year + 1) if not loaded[year].confirmed)


# --------------------------------------------------------------------------------------------------------
# One application at a time
# --------------------------------------------------------------------------------------------------------


def due_date(accepted_on: date, days: int, pauses: Iterable[tuple[date, date]] = ()) -> WorkingDayResult[date]:
    """The due date of an application accepted on ``accepted_on`` with a limit of ``days`` working days.

    The due date is the ``days``-th working day after ``accepted_on`` that is not inside a pause (see the
    module's rules). ``days == 0`` (an immediate item) is due on ``accepted_on`` itself, whatever the
    calendar says, and is never provisional. Otherwise the result is ``provisional`` when a year of the days
    after ``accepted_on`` up to the due date is not confirmed; ``unconfirmed_years`` names them.

    Raises :class:`ValueError` if ``days`` is negative, a pause ends before it starts, or the due date would
    leave the years the calendar covers.
    """
    if days < 0:
        raise ValueError(gettext("A time limit cannot be negative (%(days)s working days).") % {"days": days})
    check_year(accepted_on)
    if days == 0:
        merge_pauses(pauses)  # still refuse an invalid pause
        return WorkingDayResult(value=accepted_on)
    cursor, remaining = accepted_on, days  # counting resumes after `cursor`
    for start, end in _after_acceptance(accepted_on, pauses):
        due = add_working_days(cursor, remaining).value
        if due < start:
            break  # reached before this pause (and so before every later one)
        # The pause starts on or before that day: the working days before the pause count, none inside it.
        remaining -= working_days_between(cursor, start - _ONE_DAY).value
        cursor = end
    else:
        due = add_working_days(cursor, remaining).value
    unconfirmed = _unconfirmed_years(accepted_on + _ONE_DAY, due)
    return WorkingDayResult(value=due, provisional=bool(unconfirmed), unconfirmed_years=unconfirmed)


def counted_working_days(
    accepted_on: date, until: date, pauses: Iterable[tuple[date, date]] = ()
) -> WorkingDayResult[int]:
    """The counted working days after ``accepted_on`` up to and including ``until``, pause days left out.

    What an application finished on ``until`` took ("used N of its M working days"); ``0`` when it is
    finished on the day it was accepted. ``counted_working_days(a, due_date(a, n, p).value, p).value == n``
    for every ``n >= 1``. Provisional when a year of the days after ``accepted_on`` up to ``until`` is not
    confirmed.

    Raises :class:`ValueError` if ``until`` is before ``accepted_on`` or a pause ends before it starts.
    """
    if until < accepted_on:
        raise ValueError(
            gettext("The end (%(until)s) cannot be before the acceptance (%(accepted)s).")
            % {"until": until.isoformat(), "accepted": accepted_on.isoformat()}
        )
    pauses = _after_acceptance(accepted_on, pauses)
    total = working_days_between(accepted_on, until)
    paused = sum(
        working_days_between(start - _ONE_DAY, min(end, until)).value for start, end in pauses if start <= until
    )
    return WorkingDayResult(
        value=total.value - paused, provisional=total.provisional, unconfirmed_years=total.unconfirmed_years
    )


def yellow_from(due_on: date, threshold: int) -> date:
    """The first day an application due on ``due_on`` shows yellow: ``threshold`` working days or less remain.

    That is the ``threshold``-th working day before ``due_on`` (``threshold == 0``: ``due_on`` itself).
    Red comes the day after ``due_on``. Raises :class:`ValueError` for a negative ``threshold``.
    """
    if threshold < 0:
        raise ValueError(gettext("The warning threshold cannot be negative (%(n)s).") % {"n": threshold})
    if threshold == 0:
        return due_on
    return add_working_days(due_on, -threshold).value


def remaining_working_days(due_on: date, today: date) -> int:
    """The working days after ``today`` up to and including ``due_on``; when overdue, minus those after
    ``due_on`` up to and including ``today``.

    ``0`` on the due date. The light is yellow while this is ``<= threshold`` and red once ``today > due_on``
    (which this number alone does not tell: over a weekend after the due date it is still ``0``).
    """
    return working_days_between(today, due_on).value


# --------------------------------------------------------------------------------------------------------
# Every application at once
# --------------------------------------------------------------------------------------------------------


def to_ordinals(days: Iterable[date]) -> np.ndarray:
    """Dates → an ``int64`` array of their proleptic Gregorian ordinals (:meth:`date.toordinal`)."""
    return np.fromiter((d.toordinal() for d in days), dtype=np.int64)


def to_dates(ordinals: Iterable[int]) -> list[date]:
    """The inverse of :func:`to_ordinals`."""
    return [date.fromordinal(int(o)) for o in ordinals]


class BulkClock:
    """The approval clock for many applications at once, on numpy arrays of date ordinals.

    Built once for a range of years through the calendar's loader (at most two queries once the years are
    seeded: their rows, and their working days unless cached), it answers
    exactly as :func:`due_date`, :func:`counted_working_days` and :func:`yellow_from` do. Dates are
    ``int64`` ordinals (:func:`to_ordinals`). The pauses of all applications come as three parallel arrays:
    ``pause_app[k]`` is the index (into ``accepted``) of the application the ``k``-th pause belongs to, from
    ``pause_start[k]`` to ``pause_end[k]`` inclusive; in any order, overlapping or not.

    Every acceptance date and every answer must lie within the loaded years; otherwise :class:`ValueError`
    (build a clock over more years). Pauses may reach outside them.

    How it counts: the working days of the loaded years are a sorted array ``working``; a day's position in it
    comes from :func:`numpy.searchsorted`. Without pauses the due date is ``working[after + N - 1]``, ``after``
    being the position of the first working day after acceptance. The merged pauses are then taken in
    ascending order, one round per rank (first pause of every application, second pause, ...): a pause whose
    first working day comes at or before the current due position pushes it back by its number of working days.
    """

    def __init__(self, first_year: int, last_year: int) -> None:
        if first_year > last_year:
            first_year, last_year = last_year, first_year
        check_year(first_year)
        check_year(last_year)
        loaded = _load(first_year, last_year)
        years = range(first_year, last_year + 1)
        self.first_year = first_year
        self.last_year = last_year
        #: ``{year: confirmed}`` for the loaded years.
        self.confirmed: dict[int, bool] = {year: loaded[year].confirmed for year in years}
        #: The ordinals of the working days of the loaded years, ascending.
        self.working: np.ndarray = np.fromiter(
            itertools.chain.from_iterable(loaded[year].working for year in years), dtype=np.int64
        )
        # The first day of each year, and of the year after the last: a day's year is a searchsorted away.
        self._year_starts = np.array([date(year, 1, 1).toordinal() for year in years] + [0], dtype=np.int64)
        self._year_starts[-1] = self._year_starts[-2] + (date(last_year, 12, 31) - date(last_year, 1, 1)).days + 1
        # _unconfirmed_before[i]: how many of the first i loaded years are not confirmed.
        self._unconfirmed_before = np.concatenate(
            [[0], np.cumsum([not self.confirmed[year] for year in years], dtype=np.int64)]
        )
        self.first_ordinal = int(self._year_starts[0])
        self.last_ordinal = int(self._year_starts[-1]) - 1

    # --- the three answers ------------------------------------------------------------------------------

    def due_dates(
        self,
        accepted: np.ndarray,
        days: np.ndarray,
        pause_app: np.ndarray | Sequence[int] = (),
        pause_start: np.ndarray | Sequence[int] = (),
        pause_end: np.ndarray | Sequence[int] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        """The due dates (ordinals) of the applications and whether each is provisional (as :func:`due_date`)."""
        accepted = self._ordinals(accepted, "accepted")
        days = np.asarray(days, dtype=np.int64)
        if days.shape != accepted.shape:
            raise ValueError(gettext("accepted and days must have the same length."))
        if (days < 0).any():
            raise ValueError(gettext("A time limit cannot be negative."))
        self._check_inside(accepted)
        pause_app, pause_start, pause_end = self._pauses(len(accepted), pause_app, pause_start, pause_end)
        working = self.working
        after = np.searchsorted(working, accepted, side="right")  # the first working day after acceptance
        due_idx = after + days - 1
        if len(pause_app):
            first = np.searchsorted(working, np.maximum(pause_start, accepted[pause_app] + 1), side="left")
            stop = np.searchsorted(working, pause_end, side="right")  # the pause's working days: [first, stop)
            covered = np.zeros(len(accepted), dtype=np.int64)  # the working days before this are paused already
            for rows in self._rounds(pause_app, first):
                app = pause_app[rows]
                start = np.maximum(first[rows], covered[app])
                count = stop[rows] - start
                hit = (count > 0) & (start <= due_idx[app])
                due_idx[app[hit]] += count[hit]
                covered[app] = np.maximum(covered[app], stop[rows])
        immediate = days == 0
        if (due_idx[~immediate] >= len(working)).any():
            raise ValueError(
                gettext("A due date falls after %(last)s: build the clock over more years.") % {"last": self.last_year}
            )
        due = np.where(immediate, accepted, working[np.clip(due_idx, 0, len(working) - 1)])
        provisional = ~immediate & self._any_unconfirmed(accepted + 1, due)
        return due, provisional

    def counted(
        self,
        accepted: np.ndarray,
        until: np.ndarray,
        pause_app: np.ndarray | Sequence[int] = (),
        pause_start: np.ndarray | Sequence[int] = (),
        pause_end: np.ndarray | Sequence[int] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        """The counted working days in ``(accepted, until]`` and whether each count is provisional
        (as :func:`counted_working_days`)."""
        accepted = self._ordinals(accepted, "accepted")
        until = self._ordinals(until, "until")
        if until.shape != accepted.shape:
            raise ValueError(gettext("accepted and until must have the same length."))
        if (until < accepted).any():
            raise ValueError(gettext("An end cannot be before its acceptance."))
        self._check_inside(accepted)
        self._check_inside(until)
        pause_app, pause_start, pause_end = self._pauses(len(accepted), pause_app, pause_start, pause_end)
        working = self.working
        count = np.searchsorted(working, until, side="right") - np.searchsorted(working, accepted, side="right")
        if len(pause_app):
            first = np.searchsorted(working, np.maximum(pause_start, accepted[pause_app] + 1), side="left")
            stop = np.searchsorted(working, np.minimum(pause_end, until[pause_app]), side="right")
            covered = np.zeros(len(accepted), dtype=np.int64)
            for rows in self._rounds(pause_app, first):
                app = pause_app[rows]
                count[app] -= np.maximum(stop[rows] - np.maximum(first[rows], covered[app]), 0)
                covered[app] = np.maximum(covered[app], stop[rows])
        provisional = (until > accepted) & self._any_unconfirmed(accepted + 1, np.maximum(until, accepted + 1))
        return count, provisional

    def yellow_from(self, due: np.ndarray, threshold: np.ndarray | int) -> np.ndarray:
        """The first yellow day of each application (ordinals), as :func:`yellow_from`."""
        due = self._ordinals(due, "due")
        threshold = np.broadcast_to(np.asarray(threshold, dtype=np.int64), due.shape)
        if (threshold < 0).any():
            raise ValueError(gettext("The warning threshold cannot be negative."))
        self._check_inside(due)
        idx = np.searchsorted(self.working, due, side="left") - threshold  # bisect_left, as add_working_days
        if (idx[threshold > 0] < 0).any():
            raise ValueError(
                gettext("A yellow day falls before %(first)s: build the clock over more years.")
                % {"first": self.first_year}
            )
        return np.where(threshold == 0, due, self.working[np.clip(idx, 0, len(self.working) - 1)])

    # --- helpers --------------------------------------------------------------------------------------------

    @staticmethod
    def _ordinals(values: np.ndarray | Sequence[int], name: str) -> np.ndarray:
        array = np.asarray(values, dtype=np.int64)
        if array.ndim != 1:
            raise ValueError(gettext("%(name)s must be a one-dimensional array.") % {"name": name})
        return array

    def _check_inside(self, ordinals: np.ndarray) -> None:
        if len(ordinals) and (ordinals.min() < self.first_ordinal or ordinals.max() > self.last_ordinal):
            raise ValueError(
                gettext("A date is outside the years %(first)s to %(last)s this clock was built for.")
                % {"first": self.first_year, "last": self.last_year}
            )

    def _pauses(self, n_apps: int, pause_app, pause_start, pause_end) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        app = np.asarray(pause_app, dtype=np.int64).reshape(-1)
        start = np.asarray(pause_start, dtype=np.int64).reshape(-1)
        end = np.asarray(pause_end, dtype=np.int64).reshape(-1)
        if not len(app) == len(start) == len(end):
            raise ValueError(gettext("pause_app, pause_start and pause_end must have the same length."))
        if len(app) and (app.min() < 0 or app.max() >= n_apps):
            raise ValueError(gettext("pause_app must index the applications."))
        if (end < start).any():
            raise ValueError(gettext("A pause cannot end before it starts."))
        return app, start, end

    @staticmethod
    def _rounds(app: np.ndarray, key: np.ndarray) -> Iterator[np.ndarray]:
        """The pauses' row numbers in rounds: each application's first pause by ``key``, then its second, ...

        Within a round an application appears at most once (so ``x[app[rows]] += ...`` is safe).
        """
        order = np.lexsort((key, app))  # by application, then by key
        app_sorted = app[order]
        rank = np.arange(len(order)) - np.searchsorted(app_sorted, app_sorted, side="left")
        by_rank = np.argsort(rank, kind="stable")
        bounds = np.searchsorted(rank[by_rank], np.arange(int(rank.max()) + 2), side="left")
        rows = order[by_rank]
        for k in range(len(bounds) - 1):
            yield rows[bounds[k] : bounds[k + 1]]

    def _any_unconfirmed(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Whether a year of the days ``first``..``last`` (ordinals, within the loaded years) is unconfirmed."""
        year_first = np.searchsorted(self._year_starts, np.clip(first, self.first_ordinal, self.last_ordinal), "right")
        year_last = np.searchsorted(self._year_starts, np.clip(last, self.first_ordinal, self.last_ordinal), "right")
        # searchsorted "right" gives year index + 1
        return self._unconfirmed_before[year_last] - self._unconfirmed_before[year_first - 1] > 0
