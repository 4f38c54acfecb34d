"""The working-day calendar: seeding from chinese_calendar, lookups, manual entry, the October warning."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
import time_machine
from django.contrib.admin import site
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hitechzone.common import calendar
from hitechzone.common.admin import CalendarYearAdmin, CalendarYearForm, format_day_lines, parse_day_lines
from hitechzone.common.calendar import (
    WorkingDayResult,
    add_working_days,
    calendar_year_set_manual,
    ensure_years,
    is_working_day,
    missing_next_year_warning,
    working_days_between,
)
from hitechzone.common.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")

# A made-up notice for 2027 (the package does not know 2027): New Year's Day on Friday, a Spring Festival
# week with a make-up Saturday, National Day with a make-up Sunday.
HOLIDAYS_2027 = {
    date(2027, 1, 1): "元旦",
    date(2027, 1, 2): "元旦",
    date(2027, 1, 3): "元旦",
    **{date(2027, 2, 6) + timedelta(days=i): "春节" for i in range(9)},  # Sat Feb 6 .. Sun Feb 14
    **{date(2027, 10, 1) + timedelta(days=i): "国庆节" for i in range(7)},
}
MAKEUP_2027 = {date(2027, 2, 20): "春节", date(2027, 9, 26): "国庆节"}


@pytest.fixture(autouse=True)
def _empty_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def plain_static(settings):
    """The admin pages without the manifest of collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def days_of(first: date, last: date) -> dict[date, CalendarDay]:
    ensure_years(first.year, last.year)
    return {day.date: day for day in CalendarDay.objects.filter(date__gte=first, date__lte=last)}


def naive_add(start: date, n: int) -> date:
    """add_working_days the slow way, straight from chinese_calendar."""
    day, step = start, (1 if n >= 0 else -1)
    if n == 0:
        while not chinese_calendar.is_workday(day):
            day += timedelta(days=1)
        return day
    remaining = abs(n)
    while remaining:
        day += timedelta(days=step)
        remaining -= chinese_calendar.is_workday(day)
    return day


# --- what the package knows ----------------------------------------------------------------------------


def test_chinese_calendar_1_11_knows_the_years_2004_to_2026():
    assert chinese_calendar.__version__ == "1.11.0"
    assert sorted(calendar.PACKAGE_YEARS) == list(range(2004, 2027))
    assert calendar.package_knows_year(2026)
    assert not calendar.package_knows_year(2027)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_a_year_the_package_knows_is_seeded_confirmed_from_the_package():
    assert ensure_years(2025, 2025) == {2025: "created"}
    year = CalendarYear.objects.get(year=2025)
    assert year.confirmed
    assert year.source == CalendarYear.Source.PACKAGE
    assert year.days.count() == 365


def test_a_year_the_package_does_not_know_is_seeded_weekdays_only_and_unconfirmed():
    ensure_years(2027, 2027)
    year = CalendarYear.objects.get(year=2027)
    assert not year.confirmed
    assert year.source == CalendarYear.Source.WEEKDAYS_ONLY
    kinds = set(year.days.values_list("kind", flat=True))
    assert kinds == {CalendarDay.Kind.WORKDAY, CalendarDay.Kind.WEEKEND}
    assert year.days.filter(is_working_day=True).count() == 261  # 2027: 52 weeks and a Friday


def test_seeding_is_idempotent():
    assert ensure_years(2025, 2026) == {2025: "created", 2026: "created"}
    assert ensure_years(2025, 2026) == {}
    assert CalendarDay.objects.count() == 365 * 2


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_a_package_year_matches_chinese_calendar(year):
    days = days_of(date(year, 1, 1), date(year, 12, 31))
    for day, row in days.items():
        assert row.is_working_day == chinese_calendar.is_workday(day), day
        assert row.is_working_day == is_working_day(day), day
        on_holiday, _name = chinese_calendar.get_holiday_detail(day)
        if day in chinese_calendar.workdays:
            assert row.kind == CalendarDay.Kind.MAKEUP_WORKDAY
        elif day in chinese_calendar.holidays:
            assert row.kind == CalendarDay.Kind.HOLIDAY
        else:
            assert row.kind == (CalendarDay.Kind.WEEKEND if on_holiday else CalendarDay.Kind.WORKDAY)


# --- the holidays of 2025 and 2026 ---------------------------------------------------------------------


def test_spring_festival_2025_runs_from_january_28_to_february_4_with_two_make_up_days():
    days = days_of(date(2025, 1, 20), date(2025, 2, 15))
    festival = [d for d, row in days.items() if row.kind == CalendarDay.Kind.HOLIDAY]
    assert festival == [date(2025, 1, 28) + timedelta(days=i) for i in range(8)]
    assert {days[d].holiday_name for d in festival} == {"春节"}
    assert not any(days[d].is_working_day for d in festival)
    makeup = [d for d, row in days.items() if row.kind == CalendarDay.Kind.MAKEUP_WORKDAY]
    assert makeup == [date(2025, 1, 26), date(2025, 2, 8)]
    assert [d.strftime("%a") for d in makeup] == ["Sun", "Sat"]
    assert is_working_day(date(2025, 1, 26))
    assert is_working_day(date(2025, 2, 8))
    assert is_working_day(date(2025, 1, 27))  # the Monday before
    assert is_working_day(date(2025, 2, 5))  # back to work
    assert not is_working_day(date(2025, 2, 9))  # an ordinary Sunday


def test_national_day_2025_runs_from_october_1_to_8_with_two_make_up_days():
    days = days_of(date(2025, 9, 20), date(2025, 10, 20))
    holidays = {d: row.holiday_name for d, row in days.items() if row.kind == CalendarDay.Kind.HOLIDAY}
    assert sorted(holidays) == [date(2025, 10, 1) + timedelta(days=i) for i in range(8)]
    # Mid-autumn Festival (Oct 6) falls inside the National Day week.
    assert holidays[date(2025, 10, 6)] == "中秋节"
    assert {name for d, name in holidays.items() if d != date(2025, 10, 6)} == {"国庆节"}
    makeup = [d for d, row in days.items() if row.kind == CalendarDay.Kind.MAKEUP_WORKDAY]
    assert makeup == [date(2025, 9, 28), date(2025, 10, 11)]
    assert [d.strftime("%a") for d in makeup] == ["Sun", "Sat"]
    assert days[date(2025, 9, 28)].holiday_name == "国庆节"


def test_spring_festival_2026_runs_nine_days_from_february_15_to_23_with_two_make_up_saturdays():
    days = days_of(date(2026, 2, 1), date(2026, 3, 8))
    festival = [d for d, row in days.items() if row.kind == CalendarDay.Kind.HOLIDAY]
    assert festival == [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert {days[d].holiday_name for d in festival} == {"春节"}
    makeup = [d for d, row in days.items() if row.kind == CalendarDay.Kind.MAKEUP_WORKDAY]
    assert makeup == [date(2026, 2, 14), date(2026, 2, 28)]
    assert [d.strftime("%a") for d in makeup] == ["Sat", "Sat"]
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 24))


def test_national_day_2026_runs_from_october_1_to_7_with_two_make_up_days():
    days = days_of(date(2026, 9, 15), date(2026, 10, 20))
    holidays = {d: row.holiday_name for d, row in days.items() if row.kind == CalendarDay.Kind.HOLIDAY}
    mid_autumn = [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)]
    national_day = [date(2026, 10, 1) + timedelta(days=i) for i in range(7)]
    assert sorted(holidays) == mid_autumn + national_day
    assert {holidays[d] for d in mid_autumn} == {"中秋节"}
    assert {holidays[d] for d in national_day} == {"国庆节"}
    makeup = [d for d, row in days.items() if row.kind == CalendarDay.Kind.MAKEUP_WORKDAY]
    assert makeup == [date(2026, 9, 20), date(2026, 10, 10)]
    assert [d.strftime("%a") for d in makeup] == ["Sun", "Sat"]


def test_new_years_day_2026_takes_three_days_and_the_sunday_after_is_worked():
    assert [is_working_day(date(2026, 1, d)) for d in range(1, 6)] == [False, False, False, True, True]


# --- add_working_days and working_days_between ----------------------------------------------------------


def test_the_result_is_a_small_frozen_value():
    result = add_working_days(date(2025, 3, 3), 1)
    assert result == WorkingDayResult(value=date(2025, 3, 4), provisional=False)
    with pytest.raises(AttributeError):
        result.value = date(2025, 3, 5)


def test_one_working_day_after_the_eve_of_the_spring_festival_is_the_day_work_resumes():
    assert add_working_days(date(2025, 1, 27), 1).value == date(2025, 2, 5)
    assert add_working_days(date(2025, 1, 24), 1).value == date(2025, 1, 26)  # Friday, then the make-up Sunday
    # Feb 5, 6, 7, Saturday Feb 8 (make-up), Monday Feb 10
    assert add_working_days(date(2025, 1, 27), 5).value == date(2025, 2, 10)
    assert add_working_days(date(2025, 1, 30), 1).value == date(2025, 2, 5)  # counted from inside the holiday


def test_zero_working_days_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(date(2025, 1, 27), 0).value == date(2025, 1, 27)
    assert add_working_days(date(2025, 1, 30), 0).value == date(2025, 2, 5)
    assert add_working_days(date(2025, 2, 8), 0).value == date(2025, 2, 8)  # a make-up Saturday


def test_negative_working_days_count_backwards_over_the_holiday():
    assert add_working_days(date(2025, 2, 5), -1).value == date(2025, 1, 27)
    assert add_working_days(date(2025, 2, 10), -5).value == date(2025, 1, 27)
    assert add_working_days(date(2025, 1, 27), -1).value == date(2025, 1, 26)


def test_working_days_between_counts_the_half_open_interval_and_is_signed():
    assert working_days_between(date(2025, 1, 27), date(2025, 2, 5)).value == 1
    assert working_days_between(date(2025, 1, 27), date(2025, 2, 10)).value == 5
    assert working_days_between(date(2025, 2, 10), date(2025, 1, 27)).value == -5
    assert working_days_between(date(2025, 2, 5), date(2025, 2, 5)).value == 0
    assert working_days_between(date(2025, 1, 1), date(2025, 12, 31)).value == 248  # Jan 1 is a holiday


def test_working_days_carry_on_from_december_2025_into_2026():
    # 2026-01-01..03 are New Year's Day, Sunday the 4th is a make-up workday.
    result = add_working_days(date(2025, 12, 31), 1)
    assert result == WorkingDayResult(value=date(2026, 1, 4), provisional=False)
    assert add_working_days(date(2026, 1, 4), -1).value == date(2025, 12, 31)
    # December after the 1st: 22 weekdays; January: 22 weekdays - Jan 1, 2 + Sunday Jan 4
    assert working_days_between(date(2025, 12, 1), date(2026, 1, 31)).value == 22 + 21
    # 2025 has 248 working days, Jan 2 the first of them; 2026 has 248 as well
    assert add_working_days(date(2025, 1, 2), 247 + 248).value == date(2026, 12, 31)


def test_a_span_into_a_year_the_package_does_not_know_is_provisional():
    within_2026 = add_working_days(date(2026, 12, 1), 20)
    assert within_2026 == WorkingDayResult(value=date(2026, 12, 29), provisional=False)

    into_2027 = add_working_days(date(2026, 12, 30), 3)  # Thu Dec 31, Fri Jan 1, Mon Jan 4
    assert into_2027.value == date(2027, 1, 4)
    assert into_2027.provisional
    assert into_2027.unconfirmed_years == (2027,)

    between = working_days_between(date(2026, 12, 1), date(2027, 1, 31))
    assert between.provisional
    assert between.value == 22 + 21
    assert not working_days_between(date(2026, 12, 1), date(2026, 12, 31)).provisional
    # the interval (Dec 31, Dec 31] touches nothing; (Dec 30, Dec 31] stays in 2026
    assert not working_days_between(date(2026, 12, 30), date(2026, 12, 31)).provisional
    assert add_working_days(date(2027, 1, 4), -2).provisional

    assert is_working_day(date(2027, 1, 1))  # weekdays only: no New Year's Day yet
    year = CalendarYear.objects.get(year=2027)
    assert (year.confirmed, year.source) == (False, CalendarYear.Source.WEEKDAYS_ONLY)


def test_lookups_reach_far_years_and_refuse_years_out_of_range():
    assert add_working_days(date(2030, 6, 28), 1).value == date(2030, 7, 1)
    assert add_working_days(date(2030, 6, 28), 1).provisional
    with pytest.raises(ValueError, match="2101"):
        add_working_days(date(2100, 12, 31), 1)
    with pytest.raises(ValueError, match="1899"):
        is_working_day(date(1899, 12, 31))


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=date(2006, 1, 1), max_value=date(2024, 12, 31)),
    n=st.integers(min_value=-400, max_value=400),
)
def test_add_working_days_agrees_with_counting_days_one_by_one_in_chinese_calendar(start, n):
    result = add_working_days(start, n)
    assert result.value == naive_add(start, n)
    assert not result.provisional
    if n >= 1:
        assert working_days_between(start, result.value).value == n


def test_the_query_count_does_not_grow_with_the_span():
    ensure_years(2019, 2032)

    def queries(func, *args) -> int:
        calendar.clear_cache()
        with CaptureQueriesContext(connection) as captured:
            func(*args)
        return len(captured)

    short = queries(add_working_days, date(2020, 3, 2), 3)
    long = queries(add_working_days, date(2020, 3, 2), 2500)  # about ten years, into unconfirmed ones
    backwards = queries(add_working_days, date(2030, 3, 1), -2500)
    between = queries(working_days_between, date(2020, 1, 1), date(2030, 12, 31))
    assert short == long == backwards == between == 2  # the years, then their working days


def test_a_warm_cache_needs_a_single_query(django_assert_num_queries):
    add_working_days(date(2020, 3, 2), 2500)
    with django_assert_num_queries(1):
        result = add_working_days(date(2020, 3, 2), 2500)
    assert result.provisional


# --- entering a year by hand --------------------------------------------------------------------------


def test_entering_a_year_by_hand_confirms_it_and_changes_the_results():
    before = add_working_days(date(2026, 12, 31), 1)
    assert before == WorkingDayResult(value=date(2027, 1, 1), provisional=True, unconfirmed_years=(2027,))
    assert working_days_between(date(2027, 2, 1), date(2027, 2, 28)).value == 19  # weekdays after Monday Feb 1

    year = calendar_year_set_manual(
        year=2027,
        holidays=HOLIDAYS_2027,
        makeup_workdays=MAKEUP_2027,
        notice="国办发明电〔2026〕1号",
        confirmed=True,
    )
    assert (year.confirmed, year.source, year.notice) == (True, CalendarYear.Source.MANUAL, "国办发明电〔2026〕1号")
    assert year.days.count() == 365

    # the cache of the previous lookups is not used any more
    assert add_working_days(date(2026, 12, 31), 1) == WorkingDayResult(value=date(2027, 1, 4), provisional=False)
    assert working_days_between(date(2027, 2, 1), date(2027, 2, 28)).value == 19 - 5 + 1  # Feb 8-12 off, Sat 20 on
    assert is_working_day(date(2027, 2, 20))
    assert not is_working_day(date(2027, 2, 8))
    makeup = CalendarDay.objects.get(date=date(2027, 2, 20))
    assert (makeup.kind, makeup.holiday_name) == (CalendarDay.Kind.MAKEUP_WORKDAY, "春节")


def test_entering_a_year_again_replaces_its_days():
    calendar_year_set_manual(year=2027, holidays=HOLIDAYS_2027, makeup_workdays=MAKEUP_2027, notice="", confirmed=False)
    assert not is_working_day(date(2027, 1, 1))
    assert add_working_days(date(2026, 12, 31), 1).provisional  # entered, but not confirmed yet
    calendar_year_set_manual(
        year=2027, holidays={date(2027, 1, 1): "元旦"}, makeup_workdays=[date(2027, 1, 2)], notice="", confirmed=True
    )
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 1, 2))
    assert is_working_day(date(2027, 2, 8))  # the Spring Festival of the first entry is gone
    assert CalendarDay.objects.get(date=date(2027, 1, 2)).holiday_name == ""
    assert CalendarDay.objects.filter(calendar_year=2027, kind=CalendarDay.Kind.HOLIDAY).count() == 1


def test_an_inconsistent_notice_is_refused_and_nothing_is_written():
    ensure_years(2027, 2027)
    with pytest.raises(ValidationError) as caught:
        calendar_year_set_manual(
            year=2027,
            holidays={date(2027, 1, 1): "元旦", date(2028, 1, 1): "元旦", date(2027, 1, 2): "元旦"},
            makeup_workdays=[date(2027, 1, 4), date(2027, 1, 2)],
            notice="",
            confirmed=True,
        )
    codes = [error.code for error in caught.value.error_list]
    assert codes == ["wrong_year", "holiday_and_makeup", "makeup_not_weekend"]
    year = CalendarYear.objects.get(year=2027)
    assert (year.confirmed, year.source) == (False, CalendarYear.Source.WEEKDAYS_ONLY)
    assert is_working_day(date(2027, 1, 1))


def test_a_year_the_package_learns_later_is_upgraded_from_weekdays_only(monkeypatch):
    monkeypatch.setattr(calendar, "PACKAGE_YEARS", frozenset(range(2004, 2026)))
    assert add_working_days(date(2026, 9, 30), 1) == WorkingDayResult(
        value=date(2026, 10, 1), provisional=True, unconfirmed_years=(2026,)
    )
    monkeypatch.undo()
    assert add_working_days(date(2026, 9, 30), 1) == WorkingDayResult(value=date(2026, 10, 8), provisional=False)
    assert CalendarYear.objects.get(year=2026).source == CalendarYear.Source.PACKAGE


# --- the seed_calendar command --------------------------------------------------------------------------


def test_seed_calendar_seeds_the_range_and_can_run_again():
    out = StringIO()
    call_command("seed_calendar", "--from", "2024", "--to", "2027", stdout=out)
    assert list(CalendarYear.objects.values_list("year", "confirmed", "source")) == [
        (2024, True, "package"),
        (2025, True, "package"),
        (2026, True, "package"),
        (2027, False, "weekdays_only"),
    ]
    assert CalendarDay.objects.count() == 366 + 365 + 365 + 365
    assert "2027" in out.getvalue()

    calendar_year_set_manual(year=2027, holidays=HOLIDAYS_2027, makeup_workdays=MAKEUP_2027, notice="", confirmed=True)
    revisions = dict(CalendarYear.objects.values_list("year", "revision"))
    call_command("seed_calendar", "--from", "2024", "--to", "2027", stdout=StringIO())
    assert dict(CalendarYear.objects.values_list("year", "revision")) == revisions
    assert CalendarYear.objects.get(year=2027).source == CalendarYear.Source.MANUAL
    assert CalendarDay.objects.count() == 366 + 365 + 365 + 365


def test_seed_calendar_restores_a_package_year_that_drifted_from_the_package():
    ensure_years(2025, 2025)
    CalendarDay.objects.filter(date=date(2025, 10, 8)).update(kind=CalendarDay.Kind.WORKDAY, is_working_day=True)
    assert calendar.refresh_package_years(2025, 2025) == {2025: "refreshed"}
    assert not is_working_day(date(2025, 10, 8))
    assert calendar.refresh_package_years(2025, 2025) == {2025: "unchanged"}


# --- the October warning -------------------------------------------------------------------------------


def test_there_is_no_warning_before_october():
    assert missing_next_year_warning(date(2026, 9, 30)) is None
    assert not CalendarYear.objects.exists()


def test_from_october_on_an_unconfirmed_next_year_gives_a_warning():
    with translation.override("en"):
        warning = missing_next_year_warning(date(2026, 10, 1))
    assert warning == (
        "The working-day calendar for 2027 has not been confirmed yet: enter the State Council's holiday notice."
    )
    assert missing_next_year_warning(date(2026, 12, 31)) is not None


def test_a_next_year_the_package_knows_gives_no_warning():
    assert missing_next_year_warning(date(2025, 10, 1)) is None
    assert CalendarYear.objects.get(year=2026).confirmed


def test_the_warning_goes_away_once_next_year_is_entered_and_confirmed():
    with time_machine.travel(datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert missing_next_year_warning() is not None
        calendar_year_set_manual(
            year=2027, holidays=HOLIDAYS_2027, makeup_workdays=MAKEUP_2027, notice="", confirmed=False
        )
        assert missing_next_year_warning() is not None
        CalendarYear.objects.filter(year=2027).update(confirmed=True)
        assert missing_next_year_warning() is None


def test_the_warning_uses_the_local_date_in_shanghai():
    # 2026-09-30 17:00 UTC is already October 1 in Shanghai
    with time_machine.travel(datetime(2026, 9, 30, 17, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        assert missing_next_year_warning() is not None


# --- the admin ----------------------------------------------------------------------------------------


def test_holiday_lines_parse_ranges_and_format_back():
    text = "2027-02-06..2027-02-14 春节\n\n2027-01-01~2027-01-03 元旦\n2027-10-01 国庆节"
    days = parse_day_lines(text)
    assert len(days) == 9 + 3 + 1
    assert days[date(2027, 2, 10)] == "春节"
    assert format_day_lines(days) == "2027-01-01..2027-01-03 元旦\n2027-02-06..2027-02-14 春节\n2027-10-01 国庆节"
    with pytest.raises(ValidationError):
        parse_day_lines("2027-02-30 春节")
    with pytest.raises(ValidationError):
        parse_day_lines("2027-02-14..2027-02-06 春节")


def test_the_admin_form_enters_a_year_by_hand():
    ensure_years(2027, 2027)
    year = CalendarYear.objects.get(year=2027)
    model_admin = CalendarYearAdmin(CalendarYear, site)
    form = model_admin.get_form(None, year, change=True)(
        instance=year,
        data={
            "confirmed": "on",
            "notice": "国办发明电〔2026〕1号",
            "holidays": format_day_lines(HOLIDAYS_2027).replace("\n", "\r\n"),
            "makeup_workdays": "2027-02-20 春节\r\n2027-09-26 国庆节",
        },
    )
    assert form.is_valid(), form.errors
    obj = form.save(commit=False)
    model_admin.save_model(None, obj, form, change=True)
    assert (obj.confirmed, obj.source) == (True, CalendarYear.Source.MANUAL)
    assert calendar.manual_entries(2027) == (HOLIDAYS_2027, MAKEUP_2027)
    assert add_working_days(date(2026, 12, 31), 1) == WorkingDayResult(value=date(2027, 1, 4), provisional=False)


def test_confirming_a_year_in_the_admin_keeps_its_days_and_source():
    ensure_years(2026, 2026)
    year = CalendarYear.objects.get(year=2026)
    year.confirmed = False
    year.save()
    model_admin = CalendarYearAdmin(CalendarYear, site)
    form_class = model_admin.get_form(None, year, change=True)
    unbound = form_class(instance=year)
    data = {
        "confirmed": "on",
        "notice": "国办发明电〔2025〕7号",
        "holidays": unbound.initial["holidays"],
        "makeup_workdays": unbound.initial["makeup_workdays"],
    }
    form = form_class(instance=year, data=data)
    assert form.is_valid(), form.errors
    revision = year.revision
    model_admin.save_model(None, form.save(commit=False), form, change=True)
    year.refresh_from_db()
    assert (year.confirmed, year.source, year.revision) == (True, CalendarYear.Source.PACKAGE, revision)
    assert year.notice == "国办发明电〔2025〕7号"


def test_the_admin_form_refuses_a_make_up_day_on_a_weekday():
    form = CalendarYearForm(
        data={
            "year": "2028",
            "confirmed": "on",
            "notice": "",
            "holidays": "2028-01-01 元旦",
            "makeup_workdays": "2028-01-04",
        },
    )
    assert not form.is_valid()
    assert "2028-01-04" in str(form.non_field_errors())
    assert not CalendarYear.objects.filter(year=2028).exists()


@pytest.mark.usefixtures("plain_static")
def test_the_admin_pages_of_the_calendar_render(admin_client):
    ensure_years(2025, 2025)
    assert admin_client.get("/admin/common/calendaryear/").status_code == 200
    page = admin_client.get("/admin/common/calendaryear/2025/change/")
    assert page.status_code == 200
    assert "2025-01-28..2025-02-04 春节" in page.content.decode()
    assert admin_client.get("/admin/common/calendarday/?kind=holiday").status_code == 200
    assert admin_client.get("/admin/common/calendaryear/add/").status_code == 200


@pytest.mark.usefixtures("plain_static")
def test_an_admin_adds_a_newly_published_year_through_the_admin(admin_client):
    response = admin_client.post(
        "/admin/common/calendaryear/add/",
        {
            "year": "2027",
            "confirmed": "on",
            "notice": "国办发明电〔2026〕1号",
            "holidays": format_day_lines(HOLIDAYS_2027),
            "makeup_workdays": "2027-02-20 春节\n2027-09-26 国庆节",
            "days-TOTAL_FORMS": "0",
            "days-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    year = CalendarYear.objects.get(year=2027)
    assert (year.confirmed, year.source) == (True, CalendarYear.Source.MANUAL)
    assert add_working_days(date(2026, 12, 31), 1) == WorkingDayResult(value=date(2027, 1, 4), provisional=False)


@pytest.mark.usefixtures("plain_static")
def test_an_admin_confirms_years_with_the_list_action(admin_client):
    ensure_years(2027, 2028)
    response = admin_client.post(
        "/admin/common/calendaryear/",
        {"action": "mark_confirmed", "_selected_action": ["2027", "2028"]},
    )
    assert response.status_code == 302
    assert set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)) == {2027, 2028}
    assert missing_next_year_warning(date(2026, 10, 1)) is None
