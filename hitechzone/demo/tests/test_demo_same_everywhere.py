"""The same seed gives the same zone on SQLite and on PostgreSQL (issue 13, 4b).

The demo is loaded here on the test database and, in a subprocess, on the other one (a temporary SQLite file
when the suite runs on PostgreSQL as in CI; when it runs on SQLite, a second SQLite file in a process of its
own: another hash seed, so a set's iteration order would show), both with the clock stopped at the same
instant, and every table's digest (``hitechzone demo_digest``) is compared. What the digest leaves out and why:
``hitechzone.demo.digest``. Loading twice takes about half a minute, so this is the only module that does it.
"""

import json
import os
import subprocess
import sys
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from hitechzone.demo.digest import digest, tables

MOMENT = "2026-12-07T10:00:00+08:00"  # the pinned "now": the demo's today is 2026-12-07
ROOT = Path(__file__).resolve().parents[3]


def _other_database(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONHASHSEED"] = "random"
    return env


@pytest.fixture(scope="module")
def here(django_db_setup, django_db_blocker):
    """The digest of the demo loaded on the test database at MOMENT (rolled back afterwards)."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Each sequence where a fresh database would have it (PostgreSQL's do not go back when the modules
        # before this one roll their demo back): the same inserts then get the same ids, and the numbers
        # made of them (SP…) are the same.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), tables()):
                cursor.execute(sql)
        with time_machine.travel(datetime.fromisoformat(MOMENT), tick=False):
            call_command("seed_calendar", stdout=StringIO())
            out = StringIO()
            call_command("load_demo", seed=42, quiet_logins=True, stdout=out)
        # Loaded here, not found: a database that holds a demo already would compare that one.
        assert "+" in out.getvalue(), f"the demo was not loaded on {connection.settings_dict['NAME']}"
        found = json.loads(json.dumps(digest()))  # as the subprocess hands it over
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def there(tmp_path_factory):
    """The digest of the demo loaded at MOMENT on the other database, by another process."""
    env = _other_database(tmp_path_factory.mktemp("other"))
    done = subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "hitechzone.demo.tests.frozen_load", MOMENT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_other_database_is_loaded_in_another_process(here, there, db):
    assert connection.vendor in {"postgresql", "sqlite"}
    assert there["liaison_visit"][0] > 1000
    assert there["liaison_visit"] == here["liaison_visit"]


def test_every_table_is_the_same_on_both_databases(here, there, db):
    assert set(here) == set(there)
    differ = {table: (here[table], there[table]) for table in here if here[table] != there[table]}
    assert not differ, f"tables that differ (rows, digest) here vs there: {differ}"


def test_the_demo_fills_the_tables(here, db):
    assert here["evaluation_evaluationresult"][0] > 0
    assert here["approvals_application"][0] > 3000
