"""The working-day calendar: which days people work on in mainland China, and arithmetic on them.

Where the days come from
    Each year has a :class:`~hitechzone.common.models.CalendarYear` row and one
    :class:`~hitechzone.common.models.CalendarDay` per date. A year the ``chinese_calendar`` package knows
    (see :data:`PACKAGE_YEARS`) is seeded from it — public holidays and 调休 make-up workdays as the State
    Council published them — and is *confirmed*. A year the package does not know is filled Monday–Friday
    only and is *not confirmed*: results that depend on it are marked provisional. When the State Council
    publishes a new year's notice (usually in November), an admin enters it by hand
    (:func:`calendar_year_set_manual`, or the Django admin) and marks it confirmed.

Lookups never fail for lack of rows: :func:`ensure_years` seeds missing years lazily.

Cost
    A lookup runs one query for the years it spans (to read ``confirmed`` and ``revision``) and, when the
    in-process cache does not hold those years' current revision, one more query for their working days —
    however long the span. Rewriting a year gives it a new ``revision``, which invalidates the cache in
    every process.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Mapping
from datetime import date, timedelta
from typing import Generic, TypeVar

import chinese_calendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .models import MAX_YEAR, MIN_YEAR, CalendarDay, CalendarYear

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "PACKAGE_YEARS",
    "WorkingDayResult",
    "add_working_days",
    "calendar_year_reseed",
    "calendar_year_set_manual",
    "clear_cache",
    "ensure_years",
    "is_working_day",
    "manual_entries",
    "missing_next_year_warning",
    "package_knows_year",
    "refresh_package_years",
    "validate_manual_entry",
    "working_days_between",
]

Kind = CalendarDay.Kind
Source = CalendarYear.Source

T = TypeVar("T", date, int)


@dataclasses.dataclass(frozen=True, slots=True)
class WorkingDayResult(Generic[T]):
    """The answer of a working-day computation.

    ``value`` is a :class:`~datetime.date` (:func:`add_working_days`) or an ``int``
    (:func:`working_days_between`). ``provisional`` is true when the computation looked at a day of a year
    whose calendar is not confirmed (no State Council notice entered yet); ``unconfirmed_years`` lists those
    years.
    """

    value: T
    provisional: bool = False
    unconfirmed_years: tuple[int, ...] = ()


# --------------------------------------------------------------------------------------------------------
# What the chinese_calendar package knows
# --------------------------------------------------------------------------------------------------------

# The package names holidays in English; its own Chinese names are short forms (清明, 端午, 中秋).
_HOLIDAY_NAMES_ZH = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
}


def _holiday_name_zh(english: str) -> str:
    if english in _HOLIDAY_NAMES_ZH:
        return _HOLIDAY_NAMES_ZH[english]
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


def _years_with(name: str) -> set[int]:
    return {d.year for d, holiday in chinese_calendar.holidays.items() if holiday == name}


#: The years the installed ``chinese_calendar`` has a full State Council notice for (2004–2026 in 1.11.0).
#: A year counts only if it has both a Spring Festival and a National Day, so that a stray early entry
#: for the next year's New Year's Day would not make that year look known.
PACKAGE_YEARS: frozenset[int] = frozenset(
    _years_with(chinese_calendar.Holiday.spring_festival.value)
    & _years_with(chinese_calendar.Holiday.national_day.value)
)


def package_knows_year(year: int) -> bool:
    """Whether the installed ``chinese_calendar`` has the holidays of ``year``."""
    return year in PACKAGE_YEARS


# --------------------------------------------------------------------------------------------------------
# Building a year's days
# --------------------------------------------------------------------------------------------------------


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            gettext("The working-day calendar covers the years %(first)s to %(last)s, not %(year)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR, "year": year}
        )


def _dates_of(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    one = timedelta(days=1)
    while day.year == year:
        yield day
        day += one


def _plain_day(year: int, day: date) -> CalendarDay:
    if day.weekday() >= 5:
        return CalendarDay(date=day, calendar_year_id=year, kind=Kind.WEEKEND, is_working_day=False)
    return CalendarDay(date=day, calendar_year_id=year, kind=Kind.WORKDAY, is_working_day=True)


def _build_days(year: int, holidays: Mapping[date, str], makeup_workdays: Mapping[date, str]) -> list[CalendarDay]:
    days = []
    for day in _dates_of(year):
        if day in makeup_workdays:
            days.append(
                CalendarDay(
                    date=day,
                    calendar_year_id=year,
                    kind=Kind.MAKEUP_WORKDAY,
                    is_working_day=True,
                    holiday_name=makeup_workdays[day],
                )
            )
        elif day in holidays:
            days.append(
                CalendarDay(
                    date=day, calendar_year_id=year, kind=Kind.HOLIDAY, is_working_day=False, holiday_name=holidays[day]
                )
            )
        else:
            days.append(_plain_day(year, day))
    return days


def _package_days(year: int) -> list[CalendarDay]:
    holidays = {d: _holiday_name_zh(name) for d, name in chinese_calendar.holidays.items() if d.year == year}
    makeup = {d: _holiday_name_zh(name) for d, name in chinese_calendar.workdays.items() if d.year == year}
    return _build_days(year, holidays, makeup)


def _weekdays_only_days(year: int) -> list[CalendarDay]:
    return [_plain_day(year, day) for day in _dates_of(year)]


def _seed_days(year: int) -> tuple[list[CalendarDay], dict[str, object]]:
    """The days and the CalendarYear fields of a year seeded automatically."""
    if package_knows_year(year):
        return _package_days(year), {"confirmed": True, "source": Source.PACKAGE, "notice": ""}
    return _weekdays_only_days(year), {"confirmed": False, "source": Source.WEEKDAYS_ONLY, "notice": ""}


def _rewrite_year(year: int, days: list[CalendarDay], fields: Mapping[str, object]) -> CalendarYear:
    """Replace a year's row and days (the caller holds a transaction)."""
    calendar_year, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={**fields, "revision": uuid.uuid4()}
    )
    CalendarDay.objects.filter(calendar_year_id=year).delete()
    CalendarDay.objects.bulk_create(days)
    _cache.pop(year, None)
    return calendar_year


# --------------------------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------------------------


def ensure_years(first: int, last: int) -> dict[int, str]:
    """Make sure every year from ``first`` to ``last`` (inclusive) has its rows; idempotent.

    A missing year is seeded from ``chinese_calendar`` (confirmed) if the package knows it, else filled
    Monday–Friday only (not confirmed). A year filled weekdays-only that the installed package has since
    learnt is re-seeded from the package. Years entered by hand are never touched.

    Returns ``{year: "created" | "upgraded"}`` for the years it wrote (empty when there was nothing to do).
    Safe against a concurrent seeder: a year another process created meanwhile is left alone.
    """
    if first > last:
        first, last = last, first
    _check_year(first)
    _check_year(last)
    existing = dict(
        CalendarYear.objects.filter(year__gte=first, year__lte=last).values_list("year", "source").order_by()
    )
    missing = [year for year in range(first, last + 1) if year not in existing]
    upgradable = [
        year for year, source in existing.items() if source == Source.WEEKDAYS_ONLY and package_knows_year(year)
    ]
    done: dict[int, str] = {}
    if not missing and not upgradable:
        return done
    with transaction.atomic():
        new_days: list[CalendarDay] = []
        for year in missing:
            days, fields = _seed_days(year)
            _calendar_year, created = CalendarYear.objects.get_or_create(year=year, defaults=fields)
            if created:  # else another process seeded it meanwhile, days included (same transaction)
                new_days.extend(days)
                done[year] = "created"
        CalendarDay.objects.bulk_create(new_days)
        for calendar_year in CalendarYear.objects.select_for_update().filter(
            year__in=upgradable, source=Source.WEEKDAYS_ONLY
        ):
            days, fields = _seed_days(calendar_year.year)
            _rewrite_year(calendar_year.year, days, fields)
            done[calendar_year.year] = "upgraded"
    for year in done:
        _cache.pop(year, None)
    return done


def refresh_package_years(first: int, last: int) -> dict[int, str]:
    """Seed ``first``..``last`` (see :func:`ensure_years`), then re-sync the years taken from the package.

    A year whose source is the package and whose stored days differ from what the installed package says
    (the package was upgraded with a correction) is rewritten. Years entered by hand are never touched.
    Returns ``{year: status}`` for every year of the range, status being one of ``created``, ``upgraded``,
    ``refreshed``, ``unchanged`` or ``manual``. Used by the ``seed_calendar`` command.
    """
    if first > last:
        first, last = last, first
    report: dict[int, str] = dict.fromkeys(range(first, last + 1), "unchanged")
    report.update(ensure_years(first, last))
    sources = dict(CalendarYear.objects.filter(year__gte=first, year__lte=last).values_list("year", "source"))
    for year, source in sources.items():
        if source == Source.MANUAL:
            report[year] = "manual"
        elif source == Source.PACKAGE and report[year] == "unchanged":
            wanted = [(d.date, d.kind, d.holiday_name) for d in _package_days(year)]
            stored = list(
                CalendarDay.objects.filter(calendar_year_id=year)
                .order_by("date")
                .values_list("date", "kind", "holiday_name")
            )
            if stored != wanted:
                with transaction.atomic():
                    locked = CalendarYear.objects.select_for_update().filter(year=year, source=Source.PACKAGE)
                    if locked.exists():
                        days, fields = _seed_days(year)
                        _rewrite_year(year, days, fields)
                        report[year] = "refreshed"
    return report


# --------------------------------------------------------------------------------------------------------
# Manual entry
# --------------------------------------------------------------------------------------------------------


def _normalise_manual(
    holidays: Mapping[date, str], makeup_workdays: Collection[date] | Mapping[date, str]
) -> tuple[dict[date, str], dict[date, str]]:
    if isinstance(makeup_workdays, Mapping):
        makeup = {d: str(name).strip() for d, name in makeup_workdays.items()}
    else:
        makeup = dict.fromkeys(makeup_workdays, "")
    return {d: str(name).strip() for d, name in holidays.items()}, makeup


def validate_manual_entry(
    *, year: int, holidays: Mapping[date, str], makeup_workdays: Collection[date] | Mapping[date, str]
) -> None:
    """Check a hand-entered year as :func:`calendar_year_set_manual` does, without writing anything.

    Raises :class:`~django.core.exceptions.ValidationError` listing every problem: the year outside
    :data:`MIN_YEAR`–:data:`MAX_YEAR`, a date outside ``year``, a date both a holiday and a make-up workday,
    a make-up workday that is not a Saturday or Sunday, a name too long.
    """
    try:
        _check_year(year)
    except ValueError as exc:
        raise ValidationError(str(exc), code="year_out_of_range") from exc
    holiday_names, makeup = _normalise_manual(holidays, makeup_workdays)
    errors = []
    for day in sorted({*holiday_names, *makeup}):
        if day.year != year:
            errors.append(
                ValidationError(
                    gettext("%(date)s is not in %(year)s."),
                    code="wrong_year",
                    params={"date": day.isoformat(), "year": year},
                )
            )
    errors.extend(
        ValidationError(
            gettext("%(date)s cannot be both a holiday and a make-up workday."),
            code="holiday_and_makeup",
            params={"date": day.isoformat()},
        )
        for day in sorted(holiday_names.keys() & makeup.keys())
    )
    errors.extend(
        ValidationError(
            gettext("The make-up workday %(date)s is not a Saturday or a Sunday."),
            code="makeup_not_weekend",
            params={"date": day.isoformat()},
        )
        for day in sorted(makeup)
        if day.weekday() < 5
    )
    max_name = CalendarDay._meta.get_field("holiday_name").max_length
    errors.extend(
        ValidationError(
            gettext("The holiday name of %(date)s is longer than %(max)s characters."),
            code="name_too_long",
            params={"date": day.isoformat(), "max": max_name},
        )
        for day, name in sorted({**makeup, **holiday_names}.items())
        if len(name) > max_name
    )
    if errors:
        raise ValidationError(errors)


def calendar_year_set_manual(
    *,
    year: int,
    holidays: Mapping[date, str],
    makeup_workdays: Collection[date] | Mapping[date, str],
    notice: str,
    confirmed: bool,
) -> CalendarYear:
    """Rewrite all the days of ``year`` from the State Council's notice, in one transaction.

    ``holidays`` maps each day off (weekends inside a holiday period included, as the notice counts them)
    to the holiday's Chinese name, e.g. ``{date(2027, 10, 1): "国庆节", ...}``. ``makeup_workdays`` are the
    调休 Saturdays/Sundays worked instead; pass a mapping to record which holiday each one makes up for,
    a plain collection leaves that name blank. Every other day is a workday Monday–Friday and a weekend
    otherwise. The year's source becomes ``manual``; ``notice`` and ``confirmed`` are stored as given.
    Creates the year if it has no row yet. Lookups see the new days at once, in every process.

    Raises :class:`~django.core.exceptions.ValidationError`, writing nothing, for the problems
    :func:`validate_manual_entry` lists.
    """
    validate_manual_entry(year=year, holidays=holidays, makeup_workdays=makeup_workdays)
    holiday_names, makeup = _normalise_manual(holidays, makeup_workdays)
    days = _build_days(year, holiday_names, makeup)
    fields = {"confirmed": confirmed, "source": Source.MANUAL, "notice": notice.strip()}
    with transaction.atomic():
        return _rewrite_year(year, days, fields)


def calendar_year_reseed(*, year: int) -> CalendarYear:
    """Throw away the days of ``year`` (hand-entered ones included) and seed it again automatically.

    From ``chinese_calendar`` (confirmed) if the package knows the year, else weekdays only (not confirmed).
    """
    _check_year(year)
    days, fields = _seed_days(year)
    with transaction.atomic():
        return _rewrite_year(year, days, fields)


def manual_entries(year: int) -> tuple[dict[date, str], dict[date, str]]:
    """The stored holidays and make-up workdays of ``year``, each ``{date: holiday name}`` (for forms)."""
    holidays: dict[date, str] = {}
    makeup: dict[date, str] = {}
    for day, kind, name in (
        CalendarDay.objects.filter(calendar_year_id=year, kind__in=[Kind.HOLIDAY, Kind.MAKEUP_WORKDAY])
        .order_by("date")
        .values_list("date", "kind", "holiday_name")
    ):
        (holidays if kind == Kind.HOLIDAY else makeup)[day] = name
    return holidays, makeup


# --------------------------------------------------------------------------------------------------------
# Lookups
# --------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _YearDays:
    revision: uuid.UUID
    working: tuple[int, ...]  # the ordinals of the year's working days, ascending


# year -> its working days at a revision. Entries are checked against CalendarYear.revision on every lookup.
_cache: dict[int, _YearDays] = {}


def clear_cache() -> None:
    """Forget the cached days (they are re-read on the next lookup). Tests use it; code need not."""
    _cache.clear()


@dataclasses.dataclass(frozen=True, slots=True)
class _Year:
    confirmed: bool
    working: tuple[int, ...]


def _load(first: int, last: int) -> dict[int, _Year]:
    """The years ``first``..``last`` (seeded if need be): one query, plus one for the years not cached."""
    first, last = max(first, MIN_YEAR), min(last, MAX_YEAR)

    def year_rows() -> list[tuple[int, bool, str, uuid.UUID]]:
        return list(
            CalendarYear.objects.filter(year__gte=first, year__lte=last)
            .order_by()
            .values_list("year", "confirmed", "source", "revision")
        )

    rows = year_rows()
    if len(rows) != last - first + 1 or any(
        source == Source.WEEKDAYS_ONLY and package_knows_year(year) for year, _c, source, _r in rows
    ):
        ensure_years(first, last)
        rows = year_rows()
    entries: dict[int, _YearDays] = {}
    stale: dict[int, uuid.UUID] = {}
    for year, _c, _s, revision in rows:
        cached = _cache.get(year)
        if cached is not None and cached.revision == revision:
            entries[year] = cached
        else:
            stale[year] = revision
    if stale:
        fetched: dict[int, list[int]] = {year: [] for year in stale}
        for year, day in (
            CalendarDay.objects.filter(calendar_year_id__in=list(stale), is_working_day=True)
            .order_by("date")
            .values_list("calendar_year_id", "date")
        ):
            fetched[year].append(day.toordinal())
        for year, revision in stale.items():
            entries[year] = _cache[year] = _YearDays(revision=revision, working=tuple(fetched[year]))
    return {year: _Year(confirmed=confirmed, working=entries[year].working) for year, confirmed, _s, _r in rows}


def _result(value: T, loaded: Mapping[int, _Year], first_day: date, last_day: date) -> WorkingDayResult[T]:
    """Wrap ``value``; provisional if a year of the days ``first_day``..``last_day`` is unconfirmed."""
    unconfirmed = tuple(year for year in range(first_day.year, last_day.year + 1) if not loaded[year].confirmed)
    return WorkingDayResult(value=value, provisional=bool(unconfirmed), unconfirmed_years=unconfirmed)


_FIRST_ORDINAL = date(MIN_YEAR, 1, 1).toordinal()
_LAST_ORDINAL = date(MAX_YEAR, 12, 31).toordinal()


def _reach(ordinal: int, n: int) -> int:
    """The year ``n`` working days from the day ``ordinal`` probably falls in (backwards if ``n < 0``).

    Generous — a year has at least 240 working days and no holiday lasts a month — so that one load
    nearly always suffices; the callers load more if it does not.
    """
    days = math.ceil(abs(n) * 366 / 240) + 31
    target = ordinal + days if n >= 0 else ordinal - days
    return date.fromordinal(min(max(target, _FIRST_ORDINAL), _LAST_ORDINAL)).year


def is_working_day(d: date) -> bool:
    """Whether people work on ``d`` (a weekday that is not a public holiday, or a 调休 make-up workday).

    For a year not confirmed yet this is simply "Monday to Friday".
    """
    _check_year(d.year)
    return _contains(_load(d.year, d.year)[d.year].working, d.toordinal())


def _contains(working: tuple[int, ...], ordinal: int) -> bool:
    i = bisect_left(working, ordinal)
    return i < len(working) and working[i] == ordinal


def add_working_days(start: date, n: int) -> WorkingDayResult[date]:
    """The ``n``-th working day after ``start``.

    ``start`` itself is not counted: ``add_working_days(friday, 1)`` is the next Monday (if it is a working
    day), whether or not Friday is one. ``n == 0`` returns ``start`` if it is a working day, else the next
    working day. A negative ``n`` counts backwards: ``add_working_days(d, -1)`` is the last working day
    before ``d``.

    Working days are those of :func:`is_working_day`, across years. The result is ``provisional`` when a day
    looked at (between ``start`` and the answer, ``start`` included only when ``n == 0``) falls in a year
    whose calendar is not confirmed. Raises :class:`ValueError` if the answer would leave the years the
    calendar covers (:data:`MIN_YEAR`–:data:`MAX_YEAR`).
    """
    _check_year(start.year)
    ordinal = start.toordinal()
    if n >= 0:
        return _add_forward(start, ordinal, n)
    return _add_backward(start, ordinal, -n)


def _add_forward(start: date, ordinal: int, n: int) -> WorkingDayResult[date]:
    loaded = _load(start.year, _reach(ordinal, n))
    remaining = max(n, 1)
    year = start.year
    # index of the first candidate in the start year: start itself counts only when n == 0
    index = (bisect_left if n == 0 else bisect_right)(loaded[year].working, ordinal)
    while True:
        working = loaded[year].working
        if len(working) - index >= remaining:
            found = date.fromordinal(working[index + remaining - 1])
            first_looked = start if n == 0 else start + timedelta(days=1)
            return _result(found, loaded, first_looked, found)
        remaining -= len(working) - index
        year, index = year + 1, 0
        if year not in loaded:
            _check_year(year)
            loaded.update(_load(year, _reach(date(year, 1, 1).toordinal(), remaining)))


def _add_backward(start: date, ordinal: int, n: int) -> WorkingDayResult[date]:
    loaded = _load(_reach(ordinal, -n), start.year)
    remaining = n
    year = start.year
    index = bisect_left(loaded[year].working, ordinal)  # working days strictly before start
    while True:
        working = loaded[year].working
        if index >= remaining:
            found = date.fromordinal(working[index - remaining])
            return _result(found, loaded, found, start - timedelta(days=1))
        remaining -= index
        year -= 1
        if year not in loaded:
            _check_year(year)
            loaded.update(_load(_reach(date(year, 12, 31).toordinal(), -remaining), year))
        index = len(loaded[year].working)


def working_days_between(a: date, b: date) -> WorkingDayResult[int]:
    """The number of working days in the half-open interval ``(a, b]``: after ``a``, up to and including ``b``.

    So ``working_days_between(d, add_working_days(d, n).value) == n`` for ``n >= 1``, and
    ``working_days_between(d, d) == 0``. If ``b < a`` the count is that of ``(b, a]``, negated.
    The result is ``provisional`` when a day of the interval falls in a year whose calendar is not confirmed.
    """
    if a == b:
        return WorkingDayResult(value=0)
    low, high, sign = (a, b, 1) if a < b else (b, a, -1)
    after_low = low + timedelta(days=1)
    _check_year(after_low.year)
    _check_year(high.year)
    loaded = _load(after_low.year, high.year)
    low_ordinal, high_ordinal = low.toordinal(), high.toordinal()
    count = 0
    for year in range(after_low.year, high.year + 1):
        working = loaded[year].working
        count += bisect_right(working, high_ordinal) - bisect_right(working, low_ordinal)
    return _result(sign * count, loaded, after_low, high)


# --------------------------------------------------------------------------------------------------------
# The yearly reminder
# --------------------------------------------------------------------------------------------------------


def missing_next_year_warning(today: date | None = None) -> str | None:
    """From October 1 on, a warning if next year's calendar is missing or not confirmed; else ``None``.

    The State Council usually publishes next year's holidays in November; until an admin enters them,
    deadlines computed into next year are provisional. ``today`` defaults to the local date. Seeds next
    year if it has no rows yet (so a year ``chinese_calendar`` knows is confirmed and gives no warning).
    """
    if today is None:
        today = timezone.localdate()
    if today.month < 10:
        return None
    next_year = today.year + 1
    if next_year > MAX_YEAR:
        return None
    ensure_years(next_year, next_year)  # a year the package knows needs no warning, seeded or not yet
    if CalendarYear.objects.filter(year=next_year, confirmed=True).exists():
        return None
    return gettext(
        "The working-day calendar for %(year)s has not been confirmed yet: enter the State Council's holiday notice."
    ) % {"year": next_year}
