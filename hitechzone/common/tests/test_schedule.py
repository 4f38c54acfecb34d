"""Scheduled tasks: once per due day, retried when they fail, missed days caught up, never waited on."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hitechzone.common import schedule
from hitechzone.common.models import ScheduledRun

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def tasks(monkeypatch):
    """Only the test's own tasks are registered while it runs; ``tasks.add(name, func, when=…)``."""
    registry: dict = {}
    monkeypatch.setattr(schedule, "TASKS", registry)

    class Tasks:
        @staticmethod
        def add(name, func, **options):
            schedule.daily(name, **options)(func)

    return Tasks


def at(day: date, hour: int = 6):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


def run(day: date, hour: int = 6):
    with at(day, hour):
        return schedule.run_due()


def test_the_apps_register_their_tasks_from_their_app_config():
    assert {"liaison.visit_reminders", "liaison.escalate_overdue", "approvals.report_overdue"} <= set(schedule.TASKS)


def test_a_failed_task_is_tried_again_at_the_next_poll_and_then_done(tasks):
    calls = []

    def flaky(day):
        calls.append(day)
        if len(calls) == 1:
            raise RuntimeError("the mail server is down")
        return 3

    tasks.add("test.flaky", flaky)
    today = date(2026, 3, 20)
    assert "test.flaky" not in run(today, 6)
    failed = ScheduledRun.objects.get(name="test.flaky")
    assert (failed.status, failed.attempts) == (ScheduledRun.Status.FAILED, 1)
    assert "the mail server is down" in failed.result["error"]

    assert run(today, 6)["test.flaky"] == 3  # minutes later
    done = ScheduledRun.objects.get(name="test.flaky")
    assert (done.status, done.attempts, done.result) == (ScheduledRun.Status.DONE, 2, {"result": 3})
    assert "test.flaky" not in run(today, 18)
    assert calls == [today, today]


def test_a_task_that_keeps_failing_is_given_up_for_that_day(tasks):
    def broken(day):
        raise RuntimeError("bug")

    tasks.add("test.broken", broken)
    for _ in range(schedule.MAX_ATTEMPTS + 2):
        run(date(2026, 3, 20))
    assert ScheduledRun.objects.get(name="test.broken").attempts == schedule.MAX_ATTEMPTS


def test_days_missed_while_no_worker_ran_are_caught_up_oldest_first_at_most_a_week_back(tasks):
    days = []
    tasks.add("test.daily", days.append)
    run(date(2026, 3, 1))
    run(date(2026, 3, 12))  # the worker was down from the 2nd to the 11th
    assert days == [date(2026, 3, 1)] + [date(2026, 3, d) for d in range(5, 13)]
    run(date(2026, 3, 12), 18)
    assert len(days) == 9  # each day once


def test_a_task_that_never_ran_starts_today(tasks):
    days = []
    tasks.add("test.new", days.append)
    run(date(2026, 3, 12))
    assert days == [date(2026, 3, 12)]


def test_the_20ths_reminder_missed_while_the_worker_was_down_is_sent_when_it_comes_back(tasks):
    days = []
    tasks.add("test.reminder", days.append, when=lambda day: day.day == 20)
    run(date(2026, 2, 20))
    run(date(2026, 3, 23))
    assert days == [date(2026, 2, 20), date(2026, 3, 20)]


def test_a_task_another_worker_is_running_is_passed_over_and_taken_over_once_stale(tasks, settings):
    settings.JOB_STALE_SECONDS = 300
    days = []
    tasks.add("test.busy", days.append)
    today = date(2026, 3, 20)
    with at(today):
        ScheduledRun.objects.create(name="test.busy", day=today, status=ScheduledRun.Status.RUNNING)
    with at(today) as traveller:
        traveller.shift(timedelta(minutes=4))
        assert "test.busy" not in schedule.run_due()  # the other worker is on it: no wait, no second run
        traveller.shift(timedelta(minutes=2))
        assert "test.busy" in schedule.run_due()  # its worker died: taken over
    assert days == [today]
    assert ScheduledRun.objects.get(name="test.busy").attempts == 2
