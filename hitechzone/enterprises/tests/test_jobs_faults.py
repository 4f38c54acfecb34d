"""Background work that survives faults, with real worker processes (issue 12): killed, stopped, cut off from the
database. The workers run ``worker_process.py`` against the test database (a file on SQLite, see conftest.py)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils.translation import gettext

from hitechzone.common import jobs
from hitechzone.common.intake import batch_create
from hitechzone.common.models import AuditEvent, Job
from hitechzone.enterprises.models import EnterpriseIndicator
from hitechzone.enterprises.tests import factories as f
from hitechzone.enterprises.tests.test_intake import row_for, workbook

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]
WORKER = Path(__file__).with_name("worker_process.py")
YEAR = 2024
ROWS = 25


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_worker(tmp_path, settings):
    """Start ``run_worker`` (or another command) in a process of its own; every process is killed at the end."""
    settings.MEDIA_ROOT = tmp_path / "media"  # the upload is where the worker process looks for it
    started = []

    def start(*args, stale_seconds=1):
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": database_url(),
            "HITECHZONE_VAR_DIR": str(tmp_path),
            "JOB_STALE_SECONDS": str(stale_seconds),
            "LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(  # noqa: S603 — our own script, with our own arguments
            [sys.executable, str(WORKER), *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def phrase(msgid: str) -> str:
    """A log line's words before its first placeholder, in the language the worker writes (its LANGUAGE_CODE)."""
    return gettext(msgid).split("%(")[0]


TAKEN_BACK = "Taken back: the worker stopped responding (no heartbeat since %(since)s)."
HANDED_BACK = "Handed back to the queue: the worker is stopping."


def wait_for(condition, timeout=30.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def indicator_import(n=ROWS):
    """An indicators workbook of ``n`` enterprises, uploaded and queued as the API does (``import.run``)."""
    admin = f.UserFactory(username=f"admin{n}", role="admin", is_staff=True, is_superuser=True)
    enterprises = [f.EnterpriseFactory() for _ in range(n)]
    data = workbook([row_for(enterprise, YEAR) for enterprise in enterprises])
    batch = batch_create(kind="indicators", file_name="faults.xlsx", data=data, user=admin)
    return jobs.enqueue("import.run", user=admin, batch=batch)


def test_a_worker_killed_mid_import_leaves_nothing_and_a_second_worker_writes_every_row_once(tmp_path, start_worker):
    job = indicator_import()
    marker = tmp_path / "written"
    first = start_worker("--pause-after-write", str(marker), "run_worker", "--poll", "0.1")
    wait_for(marker.exists, what="the first worker to write the rows")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)
    assert not EnterpriseIndicator.objects.filter(year=YEAR).exists()  # its transaction died with it

    time.sleep(1.1)  # the killed worker's last heartbeat grows older than JOB_STALE_SECONDS (1 s here)
    second = start_worker("run_worker", "--burst")
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert out.strip() == gettext("%(n)d jobs run.") % {"n": 1}

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 2), job.log
    assert phrase(TAKEN_BACK) in job.log
    assert job.result["rows_created"] == ROWS
    assert EnterpriseIndicator.objects.filter(year=YEAR).count() == ROWS
    assert AuditEvent.objects.filter(batch=job.batch).count() == ROWS


def test_a_stopped_worker_hands_its_job_back_and_shows_its_progress_until_then(tmp_path, start_worker):
    job = indicator_import()
    marker = tmp_path / "written"
    worker = start_worker("--pause-after-write", str(marker), "run_worker", "--poll", "0.1", stale_seconds=300)
    wait_for(marker.exists, what="the worker to write the rows")
    if connection.vendor == "postgresql":  # written beside the handler's open transaction (not on SQLite)
        wait_for(lambda: Job.objects.get(pk=job.pk).progress >= 62, what="the progress to show")
        assert gettext("Started") in Job.objects.get(pk=job.pk).log
    worker.send_signal(signal.SIGTERM)
    worker.communicate(timeout=20)
    assert worker.returncode == 0

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.QUEUED, 0)  # a stop is not a failed attempt
    assert phrase(HANDED_BACK) in job.log
    assert not EnterpriseIndicator.objects.filter(year=YEAR).exists()

    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.SUCCEEDED, 1)
    assert EnterpriseIndicator.objects.filter(year=YEAR).count() == ROWS


def test_the_worker_rides_out_a_database_restart(start_worker):
    if connection.vendor != "postgresql":
        pytest.skip("a database restart is a PostgreSQL server's (SQLite has no server to lose)")
    worker = start_worker("run_worker", "--poll", "0.1", stale_seconds=300)
    first = indicator_import(2)
    wait_for(lambda: Job.objects.get(pk=first.pk).done, what="the first job")

    with connection.cursor() as cursor:  # what a restart does to the worker's connections
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    second = indicator_import(3)
    wait_for(lambda: Job.objects.get(pk=second.pk).done, what="the job queued after the restart")
    assert Job.objects.get(pk=second.pk).status == Job.Status.SUCCEEDED

    worker.send_signal(signal.SIGTERM)
    _out, err = worker.communicate(timeout=20)
    assert worker.returncode == 0
    assert "database unavailable" in err
