"""The approval clock: due dates in working days with pauses, the lights, and the bulk engine.

The expected dates are written out by hand from the State Council's notices as the chinese_calendar package
has them (checked in ``test_the_holidays_these_cases_rely_on``); each comment shows the count.
"""

from datetime import date, timedelta

import chinese_calendar
import numpy as np
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hitechzone.common import calendar
from hitechzone.common.calendar import ensure_years
from hitechzone.common.deadlines import (
    BulkClock,
    counted_working_days,
    due_date,
    merge_pauses,
    parse_pause,
    remaining_working_days,
    to_dates,
    to_ordinals,
    yellow_from,
)

pytestmark = pytest.mark.django_db

D = date


@pytest.fixture(autouse=True)
def _empty_cache():
    calendar.clear_cache()
    with translation.override("en"):  # the messages are matched in English
        yield
    calendar.clear_cache()


def test_the_holidays_these_cases_rely_on():
    def holidays(first, last):
        return [d for d in chinese_calendar.get_dates(first, last) if d in chinese_calendar.holidays]

    # 2025 Spring Festival: Tue Jan 28 .. Tue Feb 4, make-up Sun Jan 26 and Sat Feb 8.
    assert holidays(D(2025, 1, 20), D(2025, 2, 15)) == chinese_calendar.get_dates(D(2025, 1, 28), D(2025, 2, 4))
    assert [d for d in chinese_calendar.workdays if D(2025, 1, 1) <= d <= D(2025, 2, 28)] == [
        D(2025, 1, 26),
        D(2025, 2, 8),
    ]
    # 2025 National Day (with Mid-autumn): Wed Oct 1 .. Wed Oct 8, make-up Sun Sep 28 and Sat Oct 11.
    assert holidays(D(2025, 9, 20), D(2025, 10, 20)) == chinese_calendar.get_dates(D(2025, 10, 1), D(2025, 10, 8))
    assert [d for d in chinese_calendar.workdays if D(2025, 9, 1) <= d <= D(2025, 10, 31)] == [
        D(2025, 9, 28),
        D(2025, 10, 11),
    ]
    # 2026 Spring Festival: Sun Feb 15 .. Mon Feb 23, make-up Sat Feb 14 and Sat Feb 28.
    assert holidays(D(2026, 2, 1), D(2026, 3, 10)) == chinese_calendar.get_dates(D(2026, 2, 15), D(2026, 2, 23))
    assert [d for d in chinese_calendar.workdays if D(2026, 2, 1) <= d <= D(2026, 3, 31)] == [
        D(2026, 2, 14),
        D(2026, 2, 28),
    ]
    # 2026 Mid-autumn Fri Sep 25 .. Sun Sep 27; National Day Thu Oct 1 .. Wed Oct 7; make-up Sun Sep 20, Sat Oct 10.
    assert holidays(D(2026, 9, 15), D(2026, 10, 20)) == [
        *chinese_calendar.get_dates(D(2026, 9, 25), D(2026, 9, 27)),
        *chinese_calendar.get_dates(D(2026, 10, 1), D(2026, 10, 7)),
    ]
    assert [d for d in chinese_calendar.workdays if D(2026, 9, 1) <= d <= D(2026, 10, 31)] == [
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    # 2026 ends on a working Thursday; the package knows nothing of 2027.
    assert chinese_calendar.is_workday(D(2026, 12, 31))
    assert not calendar.package_knows_year(2027)


# --- merge_pauses ------------------------------------------------------------------------------------------


def test_merge_pauses_sorts_and_merges_overlapping_and_adjacent_pauses():
    assert merge_pauses([]) == []
    assert merge_pauses(
        [
            (D(2025, 3, 20), D(2025, 3, 25)),
            (D(2025, 3, 1), D(2025, 3, 5)),
            (D(2025, 3, 4), D(2025, 3, 10)),  # overlaps the one before
            (D(2025, 3, 11), D(2025, 3, 11)),  # adjacent: starts the day after
            (D(2025, 3, 21), D(2025, 3, 22)),  # inside another
            (D(2025, 3, 27), D(2025, 3, 28)),  # a day apart: stays alone
        ]
    ) == [
        (D(2025, 3, 1), D(2025, 3, 11)),
        (D(2025, 3, 20), D(2025, 3, 25)),
        (D(2025, 3, 27), D(2025, 3, 28)),
    ]


def test_a_pause_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="cannot end"):
        merge_pauses([(D(2025, 3, 10), D(2025, 3, 7))])
    with pytest.raises(ValueError, match="cannot end"):
        due_date(D(2025, 3, 3), 5, [(D(2025, 3, 10), D(2025, 3, 7))])
    with pytest.raises(ValueError, match="cannot end"):
        due_date(D(2025, 3, 3), 0, [(D(2025, 3, 10), D(2025, 3, 7))])
    with pytest.raises(ValueError, match="cannot end"):
        counted_working_days(D(2025, 3, 3), D(2025, 3, 20), [(D(2025, 3, 10), D(2025, 3, 7))])


def test_parse_pause():
    assert parse_pause(" 2025-01-27:2025-02-07 ") == (D(2025, 1, 27), D(2025, 2, 7))
    assert parse_pause("2025-01-27 : 2025-01-27") == (D(2025, 1, 27), D(2025, 1, 27))
    for bad in [
        "",
        "2025-01-27",
        "2025-01-27:",
        "2025-01-27..2025-02-07",
        "20250127:20250207",
        "2025-02-30:2025-03-01",
    ]:
        with pytest.raises(ValueError, match="YYYY-MM-DD:YYYY-MM-DD"):
            parse_pause(bad)
    with pytest.raises(ValueError, match="cannot end"):
        parse_pause("2025-02-07:2025-01-27")
    with pytest.raises(ValueError, match="1900 to 2100"):
        parse_pause("2125-02-07:2125-02-08")


# --- due_date: hand-checked cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "days", "due"),
    [
        # Accepted Friday 2025-01-24: Sun 1-26 make-up (1), Mon 1-27 (2), [holiday 1-28..2-4], 2-5 (3), 2-6 (4),
        # Fri 2-7 (5).
        (D(2025, 1, 24), 5, D(2025, 2, 7)),
        # Accepted Sat 2025-01-25 (a plain weekend day): Sun 1-26 make-up (1).
        (D(2025, 1, 25), 1, D(2025, 1, 26)),
        # Accepted on a holiday, Thu 2025-01-30: 2-5 (1), 2-6 (2), 2-7 (3), Sat 2-8 make-up (4).
        (D(2025, 1, 30), 3, D(2025, 2, 7)),
        (D(2025, 1, 30), 4, D(2025, 2, 8)),
        # Accepted on the make-up Saturday 2025-02-08 (a working day, but day 0 all the same): Mon 2-10 (1),
        # 2-11 (2), 2-12 (3), 2-13 (4), Fri 2-14 (5).
        (D(2025, 2, 8), 1, D(2025, 2, 10)),
        (D(2025, 2, 8), 5, D(2025, 2, 14)),
        # National Day 2025, accepted Fri 9-26: Sun 9-28 make-up (1), Mon 9-29 (2), Tue 9-30 (3),
        # [holiday 10-1..10-8], Thu 10-9 (4), Fri 10-10 (5), Sat 10-11 make-up (6).
        (D(2025, 9, 26), 3, D(2025, 9, 30)),
        (D(2025, 9, 26), 4, D(2025, 10, 9)),
        (D(2025, 9, 26), 6, D(2025, 10, 11)),
        # Accepted on National Day itself, Fri 2025-10-03: Thu 10-9 (1).
        (D(2025, 10, 3), 1, D(2025, 10, 9)),
        # Spring Festival 2026, accepted Fri 2-13: Sat 2-14 make-up (1), [holiday 2-15..2-23], Tue 2-24 (2),
        # 2-25 (3), 2-26 (4), Fri 2-27 (5), Sat 2-28 make-up (6).
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        (D(2026, 2, 13), 6, D(2026, 2, 28)),
        # Mid-autumn and National Day 2026, accepted Fri 9-18: Sun 9-20 make-up (1), 9-21 (2), 9-22 (3), 9-23 (4),
        # Thu 9-24 (5), [Mid-autumn 9-25..9-27], Mon 9-28 (6), 9-29 (7), 9-30 (8), [holiday 10-1..10-7],
        # Thu 10-8 (9), Fri 10-9 (10), Sat 10-10 make-up (11).
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 18), 5, D(2026, 9, 24)),
        (D(2026, 9, 18), 7, D(2026, 9, 29)),
        (D(2026, 9, 18), 9, D(2026, 10, 8)),
        (D(2026, 9, 18), 11, D(2026, 10, 10)),
    ],
)
def test_due_date_without_pauses(accepted, days, due):
    result = due_date(accepted, days)
    assert result.value == due
    assert not result.provisional
    assert result.unconfirmed_years == ()
    assert counted_working_days(accepted, due).value == days


def test_an_immediate_item_is_due_on_the_acceptance_day_even_a_holiday():
    assert due_date(D(2025, 10, 3), 0).value == D(2025, 10, 3)  # National Day
    assert due_date(D(2025, 10, 3), 0, [(D(2025, 10, 1), D(2025, 10, 31))]).value == D(2025, 10, 3)
    result = due_date(D(2027, 3, 6), 0)  # a Saturday in a year not confirmed: nothing was counted
    assert result.value == D(2027, 3, 6)
    assert not result.provisional


def test_a_negative_limit_is_refused():
    with pytest.raises(ValueError, match="negative"):
        due_date(D(2025, 3, 3), -1)


def test_a_pause_straddling_the_spring_festival_2025():
    # Accepted Mon 1-20; paused Fri 1-24 .. Thu 2-6. Counted: 1-21 (1), 1-22 (2), 1-23 (3); paused: 1-24,
    # Sun 1-26 make-up, 1-27, [holiday], 2-5, 2-6 (5 working days); then Fri 2-7 (4), Sat 2-8 make-up (5),
    # 2-10 (6), 2-11 (7), 2-12 (8), 2-13 (9), Fri 2-14 (10).
    pause = [(D(2025, 1, 24), D(2025, 2, 6))]
    assert due_date(D(2025, 1, 20), 10).value == D(2025, 2, 8)  # without the pause
    result = due_date(D(2025, 1, 20), 10, pause)
    assert result.value == D(2025, 2, 14)
    assert not result.provisional
    assert counted_working_days(D(2025, 1, 20), D(2025, 2, 14), pause).value == 10
    assert counted_working_days(D(2025, 1, 20), D(2025, 2, 7), pause).value == 4
    assert counted_working_days(D(2025, 1, 20), D(2025, 1, 30), pause).value == 3  # inside the pause


def test_a_pause_straddling_national_day_2026():
    # Accepted Mon 9-28; paused Wed 9-30 .. Fri 10-9. Counted: 9-29 (1); paused: 9-30, [holiday], 10-8, 10-9;
    # then Sat 10-10 make-up (2), Mon 10-12 (3), 10-13 (4), Wed 10-14 (5).
    assert due_date(D(2026, 9, 28), 5, [(D(2026, 9, 30), D(2026, 10, 9))]).value == D(2026, 10, 14)


def test_a_pause_entirely_inside_a_holiday_removes_nothing():
    # Spring Festival 2025 is 1-28 .. 2-4; the pause 1-29 .. 2-3 holds no working day: as without it, Fri 2-7.
    assert due_date(D(2025, 1, 24), 5, [(D(2025, 1, 29), D(2025, 2, 3))]).value == D(2025, 2, 7)
    assert counted_working_days(D(2025, 1, 24), D(2025, 2, 7), [(D(2025, 1, 29), D(2025, 2, 3))]).value == 5


def test_overlapping_pauses_count_their_days_once():
    # Accepted Mon 2025-09-22; paused 9-26 .. 9-30 and 9-29 .. 10-10, i.e. 9-26 .. 10-10. Counted: 9-23 (1),
    # 9-24 (2), 9-25 (3); paused: 9-26, Sun 9-28 make-up, 9-29, 9-30, [holiday 10-1..10-8], 10-9, 10-10; then
    # Sat 10-11 make-up (4), Mon 10-13 (5), 10-14 (6), 10-15 (7), 10-16 (8), Fri 10-17 (9), Mon 10-20 (10).
    pauses = [(D(2025, 9, 29), D(2025, 10, 10)), (D(2025, 9, 26), D(2025, 9, 30))]
    assert due_date(D(2025, 9, 22), 10, pauses).value == D(2025, 10, 20)
    assert due_date(D(2025, 9, 22), 10, [(D(2025, 9, 26), D(2025, 10, 10))]).value == D(2025, 10, 20)
    assert counted_working_days(D(2025, 9, 22), D(2025, 10, 20), pauses).value == 10


def test_the_part_of_a_pause_on_or_before_acceptance_changes_nothing():
    # Accepted Wed 2025-03-05, paused Sat 3-1 .. Thu 3-6: counted Fri 3-7 (1), Mon 3-10 (2), Tue 3-11 (3).
    assert due_date(D(2025, 3, 5), 3, [(D(2025, 3, 1), D(2025, 3, 6))]).value == D(2025, 3, 11)
    # A pause wholly before acceptance, or ending on the acceptance day: 3-6 (1), 3-7 (2), 3-10 (3).
    assert due_date(D(2025, 3, 5), 3, [(D(2025, 2, 1), D(2025, 3, 5))]).value == D(2025, 3, 10)
    # A pause starting the day after acceptance: paused 3-6, 3-7; then 3-10 (1), 3-11 (2), 3-12 (3).
    assert due_date(D(2025, 3, 5), 3, [(D(2025, 3, 6), D(2025, 3, 7))]).value == D(2025, 3, 12)
    # A pause starting the day after the due date changes nothing.
    assert due_date(D(2025, 3, 5), 3, [(D(2025, 3, 11), D(2025, 3, 20))]).value == D(2025, 3, 10)
    # A pause starting on the due date pushes it past the pause: 3-6 (1), 3-7 (2), [3-10 .. 3-12], 3-13 (3).
    assert due_date(D(2025, 3, 5), 3, [(D(2025, 3, 10), D(2025, 3, 12))]).value == D(2025, 3, 13)


def test_a_deadline_running_into_2027_is_provisional_and_counts_weekdays_only():
    # Accepted Thu 2026-12-24: Fri 12-25 (1), Mon 12-28 (2), 12-29 (3), 12-30 (4), Thu 12-31 (5); 2027 is not
    # confirmed, so Fri 2027-01-01 counts as a plain weekday (6); Sat/Sun 1-2, 1-3 off; Mon 1-4 (7), 1-5 (8),
    # 1-6 (9), Thu 1-7 (10).
    result = due_date(D(2026, 12, 24), 10)
    assert result.value == D(2027, 1, 7)
    assert result.provisional
    assert result.unconfirmed_years == (2027,)
    # Five days stay in 2026: confirmed.
    assert due_date(D(2026, 12, 24), 5) == calendar.WorkingDayResult(value=D(2026, 12, 31))
    # A pause across the new year: paused 12-30 .. 1-4 (12-30, 12-31, 1-1, 1-4); 12-25 (1), 12-28 (2), 12-29 (3),
    # 1-5 (4), 1-6 (5), 1-7 (6), 1-8 (7), Mon 1-11 (8), 1-12 (9), 1-13 (10).
    paused = due_date(D(2026, 12, 24), 10, [(D(2026, 12, 30), D(2027, 1, 4))])
    assert paused.value == D(2027, 1, 13)
    assert paused.unconfirmed_years == (2027,)
    assert counted_working_days(D(2026, 12, 24), D(2027, 1, 13), [(D(2026, 12, 30), D(2027, 1, 4))]) == (
        calendar.WorkingDayResult(value=10, provisional=True, unconfirmed_years=(2027,))
    )


def test_a_due_date_beyond_the_calendar_is_refused():
    with pytest.raises(ValueError, match="1900 to 2100"):
        due_date(D(2100, 12, 1), 60)
    with pytest.raises(ValueError, match="1900 to 2100"):
        due_date(D(2025, 3, 3), 5, [(D(2025, 3, 4), D(2101, 1, 5))])
    # A pause reaching beyond the calendar but after the due date is harmless.
    assert due_date(D(2025, 3, 3), 5, [(D(2025, 3, 20), D(2101, 1, 5))]).value == D(2025, 3, 10)


def test_counted_working_days_of_a_same_day_completion_is_zero():
    assert counted_working_days(D(2025, 10, 3), D(2025, 10, 3)).value == 0
    # Finished the next working day after a Friday acceptance in the National Day week: Thu 10-9 is day 1.
    assert counted_working_days(D(2025, 10, 3), D(2025, 10, 9)).value == 1
    with pytest.raises(ValueError, match="cannot be before"):
        counted_working_days(D(2025, 10, 3), D(2025, 10, 2))


# --- the lights ---------------------------------------------------------------------------------------------


def test_yellow_from_and_remaining_working_days():
    due = D(2025, 2, 7)  # a Friday after the Spring Festival
    # 3 working days before Fri 2-7: Thu 2-6 (1), Wed 2-5 (2), [holiday 1-28..2-4], Mon 1-27 (3).
    assert yellow_from(due, 3) == D(2025, 1, 27)
    assert remaining_working_days(due, D(2025, 1, 27)) == 3  # 2-5, 2-6, 2-7: yellow
    assert remaining_working_days(due, D(2025, 1, 26)) == 4  # 1-27 too: still green
    assert remaining_working_days(due, D(2025, 2, 1)) == 3  # inside the holiday
    assert yellow_from(due, 0) == due
    assert yellow_from(due, 1) == D(2025, 2, 6)
    assert remaining_working_days(due, due) == 0
    # Overdue: Sat 2-8 is a make-up workday (-1), Sun 2-9 is not, Mon 2-10 (-2).
    assert remaining_working_days(due, D(2025, 2, 8)) == -1
    assert remaining_working_days(due, D(2025, 2, 9)) == -1
    assert remaining_working_days(due, D(2025, 2, 10)) == -2
    # Due Thu 2025-10-09 after National Day: 1 working day before is Tue 9-30; 2 before is Mon 9-29.
    assert yellow_from(D(2025, 10, 9), 1) == D(2025, 9, 30)
    assert yellow_from(D(2025, 10, 9), 2) == D(2025, 9, 29)
    with pytest.raises(ValueError, match="negative"):
        yellow_from(due, -1)


# --- the bulk engine ------------------------------------------------------------------------------------------


def test_bulk_clock_loads_its_years_in_at_most_two_queries(django_assert_max_num_queries):
    ensure_years(2024, 2028)
    calendar.clear_cache()
    with django_assert_max_num_queries(2):
        clock = BulkClock(2024, 2028)
    assert clock.confirmed == {2024: True, 2025: True, 2026: True, 2027: False, 2028: False}
    assert clock.first_ordinal == D(2024, 1, 1).toordinal()
    assert clock.last_ordinal == D(2028, 12, 31).toordinal()
    assert to_dates(clock.working[:2]) == [D(2024, 1, 2), D(2024, 1, 3)]  # 2024-01-01 is New Year's Day


def test_bulk_clock_answers_the_hand_checked_cases():
    clock = BulkClock(2025, 2027)
    accepted = to_ordinals([D(2025, 1, 24), D(2025, 1, 20), D(2025, 9, 22), D(2026, 12, 24), D(2025, 10, 3)])
    days = np.array([5, 10, 10, 10, 0])
    pause_app = np.array([0, 1, 2, 2])
    pause_start = to_ordinals([D(2025, 1, 29), D(2025, 1, 24), D(2025, 9, 29), D(2025, 9, 26)])
    pause_end = to_ordinals([D(2025, 2, 3), D(2025, 2, 6), D(2025, 10, 10), D(2025, 9, 30)])
    due, provisional = clock.due_dates(accepted, days, pause_app, pause_start, pause_end)
    assert to_dates(due) == [D(2025, 2, 7), D(2025, 2, 14), D(2025, 10, 20), D(2027, 1, 7), D(2025, 10, 3)]
    assert provisional.tolist() == [False, False, False, True, False]
    counted, counted_provisional = clock.counted(accepted, due, pause_app, pause_start, pause_end)
    assert counted.tolist() == days.tolist()
    assert counted_provisional.tolist() == [False, False, False, True, False]
    assert to_dates(clock.yellow_from(due[:3], np.array([3, 0, 1]))) == [
        D(2025, 1, 27),
        D(2025, 2, 14),
        D(2025, 10, 17),
    ]


def test_bulk_clock_refuses_what_it_cannot_answer():
    clock = BulkClock(2025, 2025)
    with pytest.raises(ValueError, match="more years"):
        clock.due_dates(to_ordinals([D(2025, 12, 20)]), np.array([10]))
    with pytest.raises(ValueError, match="outside the years"):
        clock.due_dates(to_ordinals([D(2024, 12, 20)]), np.array([1]))
    with pytest.raises(ValueError, match="cannot end before"):
        clock.due_dates(to_ordinals([D(2025, 3, 3)]), np.array([5]), [0], to_ordinals([D(2025, 3, 7)]), [0])
    with pytest.raises(ValueError, match="index the applications"):
        clock.due_dates(to_ordinals([D(2025, 3, 3)]), np.array([5]), [1], [0], [0])
    with pytest.raises(ValueError, match="negative"):
        clock.due_dates(to_ordinals([D(2025, 3, 3)]), np.array([-1]))
    with pytest.raises(ValueError, match="more years"):
        clock.yellow_from(to_ordinals([D(2025, 1, 3)]), 5)
    # A pause running past the loaded years pushes the due date out of them: refused, not wrong.
    with pytest.raises(ValueError, match="more years"):
        clock.due_dates(to_ordinals([D(2025, 12, 1)]), np.array([5]), [0], to_ordinals([D(2025, 12, 2)]), [800000])
    with pytest.raises(ValueError, match="1900 to 2100"):
        BulkClock(2099, 2101)
    # An immediate item accepted on the last loaded day needs nothing after it.
    due, provisional = clock.due_dates(to_ordinals([D(2025, 12, 31)]), np.array([0]))
    assert to_dates(due) == [D(2025, 12, 31)]
    assert not provisional[0]


# --- bulk == scalar == one day at a time ----------------------------------------------------------------------


@pytest.fixture
def naive():
    """The clock counted one day at a time with calendar.is_working_day (memoised per test)."""
    memo: dict[date, bool] = {}

    def working(day: date) -> bool:
        if day not in memo:
            memo[day] = calendar.is_working_day(day)
        return memo[day]

    def paused(day, pauses):
        return any(a <= day <= b for a, b in pauses)

    def due(accepted, n, pauses):
        if n == 0:
            return accepted, False
        day, count, years = accepted, 0, set()
        while count < n:
            day += timedelta(days=1)
            years.add(day.year)
            count += working(day) and not paused(day, pauses)
        return day, any(not calendar.package_knows_year(year) for year in years)

    def counted(accepted, until, pauses):
        days = [accepted + timedelta(days=i) for i in range(1, (until - accepted).days + 1)]
        return sum(working(d) and not paused(d, pauses) for d in days)

    return due, counted


def _pause(accepted: date, offset: int, length: int) -> tuple[date, date]:
    start = accepted + timedelta(days=offset)
    return start, start + timedelta(days=length)


applications = st.tuples(
    st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    st.integers(min_value=0, max_value=60),
    st.lists(st.tuples(st.integers(-20, 90), st.integers(0, 30)), max_size=3),
)


@hypothesis_settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(apps=st.lists(applications, min_size=1, max_size=8))
def test_bulk_scalar_and_naive_agree(apps, naive):
    naive_due, naive_counted = naive
    clock = BulkClock(2023, 2029)
    accepted = [a for a, _n, _p in apps]
    pauses = [[_pause(a, offset, length) for offset, length in p] for a, _n, p in apps]
    pause_app = [i for i, p in enumerate(pauses) for _pause_ in p]
    due, provisional = clock.due_dates(
        to_ordinals(accepted),
        np.array([n for _a, n, _p in apps]),
        np.array(pause_app, dtype=np.int64),
        to_ordinals(a for p in pauses for a, _b in p),
        to_ordinals(b for p in pauses for _a, b in p),
    )
    until = [d + timedelta(days=7) for d in to_dates(due)]  # a completion a week after the due date
    counted, _ = clock.counted(
        to_ordinals(accepted),
        to_ordinals(until),
        np.array(pause_app, dtype=np.int64),
        to_ordinals(a for p in pauses for a, _b in p),
        to_ordinals(b for p in pauses for _a, b in p),
    )
    yellow = clock.yellow_from(due, np.array([0, 1, 3, 5, 0, 1, 3, 5][: len(apps)]))
    for i, (a, n, _p) in enumerate(apps):
        expected_due, expected_provisional = naive_due(a, n, pauses[i])
        scalar = due_date(a, n, pauses[i])
        assert scalar.value == expected_due == date.fromordinal(int(due[i])), (a, n, pauses[i])
        assert scalar.provisional == expected_provisional == bool(provisional[i]), (a, n, pauses[i])
        expected_counted = naive_counted(a, until[i], pauses[i])
        assert counted_working_days(a, until[i], pauses[i]).value == expected_counted == int(counted[i])
        threshold = [0, 1, 3, 5][i % 4]
        assert yellow_from(expected_due, threshold) == date.fromordinal(int(yellow[i]))
        if n:
            assert counted_working_days(a, expected_due, pauses[i]).value == n


def test_bulk_agrees_with_scalar_on_many_random_applications():
    rng = np.random.default_rng(20250128)
    n = 400
    first, last = D(2024, 1, 1).toordinal(), D(2027, 12, 31).toordinal()
    accepted = rng.integers(first, last + 1, n)
    days = rng.integers(0, 61, n)
    pause_app = rng.integers(0, n, n)  # some applications get several pauses, some none
    pause_start = accepted[pause_app] + rng.integers(-20, 90, n)
    pause_end = pause_start + rng.integers(0, 30, n)
    clock = BulkClock(2023, 2029)
    due, provisional = clock.due_dates(accepted, days, pause_app, pause_start, pause_end)
    until = due + rng.integers(0, 30, n)
    counted, counted_provisional = clock.counted(accepted, until, pause_app, pause_start, pause_end)
    for i in range(n):
        a = date.fromordinal(int(accepted[i]))
        pauses = [
            (date.fromordinal(int(s)), date.fromordinal(int(e)))
            for s, e in zip(pause_start[pause_app == i], pause_end[pause_app == i], strict=True)
        ]
        scalar = due_date(a, int(days[i]), pauses)
        assert (scalar.value, scalar.provisional) == (date.fromordinal(int(due[i])), bool(provisional[i]))
        scalar_counted = counted_working_days(a, date.fromordinal(int(until[i])), pauses)
        assert (scalar_counted.value, scalar_counted.provisional) == (int(counted[i]), bool(counted_provisional[i]))
