"""The job queue's rules, in this process: one transaction per attempt, stale jobs taken back, time limits."""

import threading
import time
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from hitechzone.common import jobs
from hitechzone.common.models import Job, Notification

pytestmark = pytest.mark.django_db

NOON = datetime.fromisoformat("2026-03-02T12:00:00+08:00")


@pytest.fixture
def kind():
    """Register a handler for a test job kind: ``kind(func, time_limit=…)`` returns its name."""
    added = []

    def register(func, **options):
        name = f"test.{func.__name__}"
        jobs.handler(name, **options)(func)
        added.append(name)
        return name

    yield register
    for name in added:
        jobs.HANDLERS.pop(name, None)


def note(job, text="written by the job"):
    return Notification.objects.create(user=job.user, kind="test", text=text)


def test_every_app_registers_its_handlers_from_its_app_config():
    assert {"import.check", "import.write", "import.run", "evaluation.run", "approvals.recompute_due_dates"} <= set(
        jobs.HANDLERS
    )


def test_a_job_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no handler"):
        jobs.enqueue("nobody.handles.this")


def test_a_failing_handler_fails_its_job_and_leaves_none_of_its_writes(kind, django_user_model):
    def fails(job, report):
        note(job)
        raise ValueError("the third row is wrong")

    job = jobs.enqueue(kind(fails), user=django_user_model.objects.create(username="u"))
    job = jobs.run(job)
    assert job.status == Job.Status.FAILED
    assert job.result["error"] == "the third row is wrong"
    assert job.attempts == 1
    assert not Notification.objects.exists()


def test_a_succeeding_handler_commits_its_writes_with_the_jobs_success(kind, django_user_model):
    def writes(job, report):
        report(50, "half")
        report.log("halfway")
        note(job)
        return {"ok": True}

    job = jobs.run(jobs.enqueue(kind(writes), user=django_user_model.objects.create(username="u")))
    assert (job.status, job.progress, job.result, job.attempts) == (Job.Status.SUCCEEDED, 100, {"ok": True}, 1)
    assert "halfway" in job.log
    assert gettext("Finished") in job.log
    assert Notification.objects.count() == 1


def test_a_job_taken_back_while_its_worker_ran_it_commits_nothing_from_that_worker(kind, django_user_model):
    def overtaken(job, report):
        note(job)
        # Meanwhile another worker decided this one was gone and started the next attempt.
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
        return {}

    job = jobs.run(jobs.enqueue(kind(overtaken), user=django_user_model.objects.create(username="u")))
    assert job.status == Job.Status.RUNNING  # the other worker's attempt goes on
    assert not Notification.objects.exists()


def test_a_handler_past_its_time_limit_is_stopped_and_its_writes_undone(kind, django_user_model):
    def endless(job, report):
        note(job)
        while True:
            time.sleep(0.01)

    job = jobs.run(jobs.enqueue(kind(endless, time_limit=0.3), user=django_user_model.objects.create(username="u")))
    assert job.status == Job.Status.FAILED
    assert gettext("Time limit of %(seconds)d s exceeded.").split("%(")[0] in job.log
    assert not Notification.objects.exists()


def test_a_statement_past_the_time_limit_is_cancelled_on_postgresql(kind):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL cancels a running statement; SQLite's statements are not cancelled")

    def sleeps_in_the_database(job, report):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(30)")

    started = time.monotonic()
    job = jobs.run(jobs.enqueue(kind(sleeps_in_the_database, time_limit=0.3)))
    assert job.status == Job.Status.FAILED
    assert time.monotonic() - started < 10


def stale_job(kind_name, attempts):
    with time_machine.travel(NOON - timedelta(minutes=10), tick=False):
        job = jobs.enqueue(kind_name)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, attempts=attempts, started_at=timezone.now(), heartbeat_at=timezone.now()
        )
    return job


def test_a_job_whose_worker_stopped_beating_is_queued_again_and_then_runs(kind, settings):
    settings.JOB_STALE_SECONDS = 300

    def fine(job, report):
        return {"ok": True}

    job = stale_job(kind(fine), attempts=1)
    with time_machine.travel(NOON - timedelta(minutes=6), tick=False):
        assert jobs.reclaim_stale() == 0  # four minutes without a beat: still its worker's
    with time_machine.travel(NOON, tick=False):
        assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2)
    assert "2026-03-02 11:50:00" in job.log  # when it was last heard of


def test_a_job_abandoned_three_times_fails_with_the_reason_in_its_log(kind, settings):
    settings.JOB_STALE_SECONDS = 300

    def fine(job, report):
        return {}

    job = stale_job(kind(fine), attempts=jobs.MAX_ATTEMPTS)
    with time_machine.travel(NOON, tick=False):
        assert jobs.reclaim_stale() == 1
        assert jobs.run_pending() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    reason = gettext("Failed: the worker stopped responding (no heartbeat since %(since)s), %(n)d attempts.")
    assert reason.split("%(")[0] in job.log
    assert job.result["error"] in job.log


def test_run_worker_burst_runs_the_queue_and_the_stale_jobs_then_stops(kind, capsys, settings):
    settings.JOB_STALE_SECONDS = 300

    def fine(job, report):
        return {}

    name = kind(fine)
    stale = stale_job(name, attempts=1)
    queued = jobs.enqueue(name)
    with time_machine.travel(NOON, tick=False):
        call_command("run_worker", "--burst")
    assert capsys.readouterr().out.strip() == gettext("%(n)d jobs run.") % {"n": 2}
    assert set(Job.objects.filter(pk__in=[stale.pk, queued.pk]).values_list("status", flat=True)) == {"succeeded"}


@pytest.mark.django_db(transaction=True)
def test_progress_and_log_lines_are_seen_while_the_handler_runs(kind):
    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the handler's transaction holds the only write lock: progress shows at the end")
    release = threading.Event()

    def waits(job, report):
        report(40, "reading")
        report.log("read 400 rows")
        release.wait(20)
        return {}

    job = jobs.enqueue(kind(waits))

    def worker():
        try:
            jobs.run_pending()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            seen = Job.objects.get(pk=job.pk)
            if seen.progress == 40 and "read 400 rows" in seen.log:
                break
            time.sleep(0.05)
        assert (seen.status, seen.progress, seen.stage) == (Job.Status.RUNNING, 40, "reading")
        assert "read 400 rows" in seen.log
    finally:
        release.set()
        thread.join(20)
    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
