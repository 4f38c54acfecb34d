"""Recompute the stored clock of every accepted application at once (after a calendar year changed).

:func:`recompute_due_dates` gives each application exactly what :func:`services.recompute_clock` gives it —
``due_on``, ``due_provisional``, ``yellow_on``, ``paused_working_days`` — and, for a completed application,
what :func:`services.application_complete` stored: ``working_days_used`` and ``on_time``. It reads the
applications and their closed pauses in bulk, computes with :class:`~hitechzone.common.deadlines.BulkClock`
(numpy) and writes **only the rows that changed**:

- on PostgreSQL the queryset's own query selects each application packed into four ``int8`` (dates as day
  numbers, limits, flags, counts) and the rows come back as one ``bytea`` (``string_agg`` of ``int8send``), decoded
  by numpy at once — no Python object per row; all closed pauses likewise. The changed rows go into a temporary
  table with a binary ``COPY … FROM STDIN`` and are written by one ``UPDATE … FROM``, which also writes their
  audit records (``INSERT … SELECT`` in the same statement). A million applications: about 1.4 s to read and
  compute, plus ~0.15 ms per changed row (``bench/recompute_approvals.py``);
- elsewhere (SQLite: development, tests, the small demo) the rows are read with ``values_list`` in chunks and
  each changed row is written by its own ``UPDATE`` and recorded with :func:`~hitechzone.common.audit.bulk_events`.

**Concurrency.** A row is written only if what the computation read is still there: the same acceptance date,
limit, threshold, completion date and state, and the same stored clock. A row a service changed meanwhile
(it recomputed it itself, under its row lock) is left alone and counted as ``skipped``.

**Audit trail.** Proportionate: one :class:`~hitechzone.common.models.AuditEvent` per *changed* application
(action ``update``, the changed fields with their before and after, as a ``save()`` would record them, on the
enterprise's history), none for the rows that did not change. The user and source are those of the current
audit context (an admin's request), else ``system``; ``batch`` is an import batch to attach them to.

Parallel approvals (:class:`~hitechzone.approvals.models.Bundle`) whose applications are all done keep their total in
working days (:func:`services.bundle_refresh`); those of the recomputed applications are recomputed too.

When a calendar year is entered, corrected or re-seeded, call :func:`calendar_year_changed` (it recomputes the
applications whose clock touches that year: :func:`affected_by_year`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from hitechzone.common import audit, jobs
from hitechzone.common.bulk import copy_arrays
from hitechzone.common.models import Source

from . import clock
from .models import Application, Bundle, Pause

__all__ = ["JOB_KIND", "affected_by_year", "calendar_year_changed", "compute_clock", "recompute_due_dates"]

#: The background job that runs :func:`recompute_due_dates` (params ``{"year": YYYY}`` or ``{}`` for all).
JOB_KIND = "approvals.recompute_due_dates"

NULL = 0  # a missing date as an ordinal (real ordinals start at 1)
NONE = -1  # a missing number or boolean
CHUNK_SIZE = 20_000  # rows per fetch when reading with values_list


def _date_sql(expression: str) -> str:
    """An int4 ordinal (0 = NULL) back to a date (PostgreSQL)."""
    return f"(DATE '0001-01-01' + (NULLIF({expression}, {NULL}) - 1))"


def _to_date(ordinal: int) -> date | None:
    return None if ordinal == NULL else date.fromordinal(ordinal)


# --------------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------------

# The columns read per application (the arrays ``compute_clock`` takes and the stored values it compares with).
_APP_COLUMNS = ("id", "accepted", "limit", "threshold", "completed", "done", "due", "provisional", "yellow", "paused",
                "used", "on_time")  # fmt: skip

# On PostgreSQL they come packed into four int8 values a row (the cost of sending rows is per value: four instead of
# twelve read a million applications about three times faster). A date is its day number from 1899-12-31 (20 bits:
# 1 = 1900-01-01, 0 = NULL; the clock only knows the calendar's years, 1900–2100); limits and thresholds are
# smallints (16 bits); the counts are below 2**31.
_DAY_BITS = 20
_DAY_BASE = date(1899, 12, 31).toordinal()


def _day_sql(column: str) -> str:
    return f"COALESCE({column} - DATE '1899-12-31', 0)::int8"


def _packed_sql(t: str) -> dict[str, str]:
    """The four packed columns of an application; ``t`` is how the query names the application table."""
    day = _day_sql
    completed = Application.State.COMPLETED.value
    return {
        "id": f"{t}.id::int8",
        "dates": f"{day(f'{t}.accepted_on')} | ({day(f'{t}.completed_on')} << 20) | ({day(f'{t}.due_on')} << 40)",
        "flags": (
            f"{day(f'{t}.yellow_on')} | ({t}.limit_days::int8 << 20) | ({t}.yellow_threshold::int8 << 36)"
            f" | (({t}.state = '{completed}')::int::int8 << 52) | ({t}.due_provisional::int::int8 << 53)"
            f" | ((COALESCE({t}.on_time::int, -1) + 1)::int8 << 54)"
        ),
        "counts": f"{t}.paused_working_days::int8 | ((COALESCE({t}.working_days_used, -1) + 1)::int8 << 31)",
    }


_PAUSE_SQL = {
    "app": "p.application_id::int8",
    "days": f"{_day_sql('p.started_on')} | ({_day_sql('p.ended_on')} << 20)",
}


def _unpack_day(packed: np.ndarray, shift: int) -> np.ndarray:
    days = (packed >> shift) & ((1 << _DAY_BITS) - 1)
    return np.where(days > 0, days + _DAY_BASE, NULL)


def _unpack_apps(raw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    order = np.argsort(raw["id"], kind="stable")
    dates, flags, counts = raw["dates"][order], raw["flags"][order], raw["counts"][order]
    return {
        "id": raw["id"][order],
        "accepted": _unpack_day(dates, 0),
        "limit": (flags >> 20) & 0xFFFF,
        "threshold": (flags >> 36) & 0xFFFF,
        "completed": _unpack_day(dates, 20),
        "done": (flags >> 52) & 1,
        "due": _unpack_day(dates, 40),
        "provisional": (flags >> 53) & 1,
        "yellow": _unpack_day(flags, 0),
        "paused": counts & 0x7FFFFFFF,
        "used": ((counts >> 31) & 0x7FFFFFFF) - 1,
        "on_time": ((flags >> 54) & 3) - 1,
    }


def _fetch_packed(query: str, params, names: list[str]) -> dict[str, np.ndarray]:
    """The rows of ``query`` (columns ``names``, each an int8, never NULL) as numpy arrays, in one value.

    The rows come as a single bytea, ``string_agg`` of each row's ``int8send`` values, decoded by numpy at once: no
    Python object per row (a COPY hands its rows over one by one, which costs more than the query).
    """
    columns = ", ".join(f"c{k}" for k in range(len(names)))
    row = " || ".join(f"int8send(q.c{k})" for k in range(len(names)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg({row}, ''::bytea) FROM ({query}) q({columns})", params)  # noqa: S608
        data = cursor.fetchone()[0]
    values = np.frombuffer(bytes(data or b""), dtype=">i8").reshape(-1, len(names)).astype(np.int64)
    return {name: values[:, k] for k, name in enumerate(names)}


def _read_postgresql(queryset) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The applications (sorted by id) and their closed pauses: two queries of packed int8 columns.

    The applications' query is the queryset's own (its conditions as they are, no ``id IN (…)``), selecting the
    packed columns. The pauses are all the closed ones: ``compute_clock`` drops those of other applications, and
    reading them all costs less than finding out which belong to the queryset."""
    base = (queryset if queryset is not None else Application.objects.all()).filter(accepted_on__isnull=False)
    expressions = _packed_sql(connection.ops.quote_name(Application._meta.db_table))
    sql, params = (
        base.order_by()
        .annotate(**{f"_packed_{name}": RawSQL(sql, ()) for name, sql in expressions.items()})  # noqa: S611
        .values_list(*(f"_packed_{name}" for name in expressions))
        .query.sql_with_params()
    )
    raw = _fetch_packed(sql, params, list(expressions))
    pause_table = connection.ops.quote_name(Pause._meta.db_table)
    pause_columns = ", ".join(_PAUSE_SQL.values())
    packed = _fetch_packed(
        f"SELECT {pause_columns} FROM {pause_table} p WHERE p.ended_on IS NOT NULL",  # noqa: S608
        (),
        list(_PAUSE_SQL),
    )
    pauses = {"app": packed["app"], "start": _unpack_day(packed["days"], 0), "end": _unpack_day(packed["days"], 20)}
    return _unpack_apps(raw), pauses


def _read_orm(queryset, chunk_size: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    base = Application.objects.filter(accepted_on__isnull=False)
    if queryset is not None:
        base = base.filter(pk__in=queryset.order_by().values("pk"))

    def ordinal(d: date | None) -> int:
        return NULL if d is None else d.toordinal()

    def number(x) -> int:
        return NONE if x is None else int(x)

    rows = [
        (
            pk,
            accepted.toordinal(),
            limit,
            threshold,
            ordinal(completed),
            int(state == Application.State.COMPLETED),
            ordinal(due),
            int(provisional),
            ordinal(yellow),
            paused,
            number(used),
            number(on_time),
        )
        for pk, accepted, limit, threshold, completed, state, due, provisional, yellow, paused, used, on_time in (
            base.order_by("pk")
            .values_list(
                "pk",
                "accepted_on",
                "limit_days",
                "yellow_threshold",
                "completed_on",
                "state",
                "due_on",
                "due_provisional",
                "yellow_on",
                "paused_working_days",
                "working_days_used",
                "on_time",
            )
            .iterator(chunk_size=chunk_size)
        )
    ]
    array = np.array(rows, dtype=np.int64).reshape(-1, len(_APP_COLUMNS))
    apps = {name: array[:, k].copy() for k, name in enumerate(_APP_COLUMNS)}
    pause_rows = [
        (app, start.toordinal(), end.toordinal())
        for app, start, end in Pause.objects.filter(ended_on__isnull=False, application__in=base)
        .order_by()
        .values_list("application_id", "started_on", "ended_on")
        .iterator(chunk_size=chunk_size)
    ]
    pause_array = np.array(pause_rows, dtype=np.int64).reshape(-1, 3)
    pauses = {name: pause_array[:, k].copy() for k, name in enumerate(("app", "start", "end"))}
    return apps, pauses


# --------------------------------------------------------------------------------------------------------
# Computing
# --------------------------------------------------------------------------------------------------------


def compute_clock(apps: dict[str, np.ndarray], pauses: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The clock of every application, as :func:`services.recompute_clock` and ``application_complete`` give it.

    ``apps``: int64 arrays of the same length, sorted by ``id``: ``id``, ``accepted`` (date ordinals), ``limit``,
    ``threshold``, ``completed`` (ordinal, 0 when not completed), ``done`` (1 for a completed application), and the
    stored ``used`` and ``on_time`` (-1 for none; kept for applications not completed). ``pauses``: the closed
    pauses, ``app`` (application id), ``start`` and ``end`` (ordinals, both inclusive), in any order.
    Returns arrays ``due``, ``provisional`` (0/1), ``yellow``, ``paused``, ``used`` and ``on_time`` (0/1, -1):
    those of :func:`hitechzone.approvals.clock.bulk`. ``bench/make_approvals.py`` uses it to write a million
    applications with their clock.
    """
    ids = apps["id"]
    done = apps["done"] == 1
    n = len(ids)
    # The pauses of the applications read (a pause of another application is dropped), as indexes into them.
    index = np.searchsorted(ids, pauses["app"])
    known = index < n
    known[known] = ids[index[known]] == pauses["app"][known]
    new = clock.bulk(
        apps["accepted"],
        apps["limit"],
        apps["threshold"],
        index[known],
        pauses["start"][known],
        pauses["end"][known],
        completed=apps["completed"],
        done=done,
    )
    new["used"] = np.where(done, new["used"], apps["used"])
    new["on_time"] = np.where(done, new["on_time"], apps["on_time"])
    return new


_PAIRS = (  # (old column, new column, field)
    ("due", "due", "due_on"),
    ("provisional", "provisional", "due_provisional"),
    ("yellow", "yellow", "yellow_on"),
    ("paused", "paused", "paused_working_days"),
    ("used", "used", "working_days_used"),
    ("on_time", "on_time", "on_time"),
)


def _changed(apps: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> np.ndarray:
    mask = np.zeros(len(apps["id"]), dtype=bool)
    for old, fresh, _field in _PAIRS:
        mask |= apps[old] != new[fresh]
    return mask


# --------------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------------


def _who(user, source) -> tuple[object | None, str]:
    """The acting user and source of the audit records: as given, else the current audit context's, else system."""
    context = audit.current()
    if user is None and context is not None:
        user = context.resolve_user()
    if source is None:
        source = context.source if context is not None else Source.SYSTEM
    return user, str(source)


# The temporary table's columns (all int4 but the id): what was read (to check it is still there), and the result.
_TEMP_COLUMNS = (
    ("id", True),
    ("accepted", False),
    ("lim", False),
    ("threshold", False),
    ("completed", False),
    ("done", False),
    *((f"old_{name}", False) for name in ("due", "provisional", "yellow", "paused", "used", "on_time")),
    *((f"new_{name}", False) for name in ("due", "provisional", "yellow", "paused", "used", "on_time")),
)
_TEMP = "approvals_recompute_tmp"


def typed_columns(columns: tuple[tuple[str, bool], ...], arrays: list[np.ndarray]) -> list[tuple[str, str, np.ndarray]]:
    """``(name, wide)`` columns and their arrays as :func:`~hitechzone.common.bulk.copy_arrays` takes them: an
    ``int8`` where ``wide``, else an ``int4``. Also used by ``bench/make_approvals.py``."""
    return [(name, "int8" if wide else "int4", values) for (name, wide), values in zip(columns, arrays, strict=True)]


@audit.bulk_write(Application)  # one UPDATE … FROM writes the rows and their audit records
def _write_postgresql(apps, new, rows: np.ndarray, *, user, source, batch) -> int:
    """Write the changed rows and their audit records in one statement; returns how many were written."""
    arrays = [
        apps["id"][rows],
        apps["accepted"][rows],
        apps["limit"][rows],
        apps["threshold"][rows],
        apps["completed"][rows],
        apps["done"][rows],
        *(apps[name][rows] for name in ("due", "provisional", "yellow", "paused", "used", "on_time")),
        *(new[name][rows] for name in ("due", "provisional", "yellow", "paused", "used", "on_time")),
    ]
    columns = ", ".join(f"{name} {'int8' if wide else 'int4'} NOT NULL" for name, wide in _TEMP_COLUMNS)
    table = connection.ops.quote_name(Application._meta.db_table)
    events = connection.ops.quote_name(audit.AuditEvent._meta.db_table)

    def d(column: str) -> str:
        return _date_sql(f"t.{column}")

    def n(column: str) -> str:
        return f"NULLIF(t.{column}, {NONE})"

    def b(column: str) -> str:
        return f"NULLIF(t.{column}, {NONE})::boolean"

    def change(field: str, name: str, cast: Callable[[str], str], *, done_only: bool = False) -> str:
        test = f"t.old_{name} <> t.new_{name}" + (" AND t.done = 1" if done_only else "")
        pair = f"jsonb_build_array({cast('old_' + name)}, {cast('new_' + name)})"
        return f"CASE WHEN {test} THEN jsonb_build_object('{field}', {pair}) ELSE '{{}}'::jsonb END"

    changes = " || ".join(
        [
            change("due_on", "due", d),
            change("due_provisional", "provisional", b),
            change("yellow_on", "yellow", d),
            change("paused_working_days", "paused", n),
            change("working_days_used", "used", n, done_only=True),
            change("on_time", "on_time", b, done_only=True),
        ]
    )
    completed = Application.State.COMPLETED.value
    user, source = _who(user, source)
    user_id = getattr(user, "pk", None)
    username = user.get_username()[:150] if user is not None else ""
    content_type = ContentType.objects.get_for_model(Application).pk
    statement = f"""
        WITH written AS (
            UPDATE {table} a SET
                due_on = {d("new_due")},
                due_provisional = {b("new_provisional")},
                yellow_on = {d("new_yellow")},
                paused_working_days = t.new_paused,
                working_days_used = CASE WHEN t.done = 1 THEN {n("new_used")} ELSE a.working_days_used END,
                on_time = CASE WHEN t.done = 1 THEN {b("new_on_time")} ELSE a.on_time END,
                red_notified = CASE WHEN t.old_due <> t.new_due THEN false ELSE a.red_notified END
            FROM {_TEMP} t
            WHERE a.id = t.id
                AND a.accepted_on = {d("accepted")}
                AND a.limit_days = t.lim
                AND a.yellow_threshold = t.threshold
                AND a.completed_on IS NOT DISTINCT FROM {d("completed")}
                AND (a.state = '{completed}') = (t.done = 1)
                AND a.due_on IS NOT DISTINCT FROM {d("old_due")}
                AND a.due_provisional = {b("old_provisional")}
                AND a.yellow_on IS NOT DISTINCT FROM {d("old_yellow")}
                AND a.paused_working_days = t.old_paused
                AND a.working_days_used IS NOT DISTINCT FROM {n("old_used")}
                AND a.on_time IS NOT DISTINCT FROM {b("old_on_time")}
            RETURNING a.id, a.number, a.enterprise_id
        )
        INSERT INTO {events} (at, user_id, username, source, action, content_type_id, object_id, object_repr,
                              changes, enterprise_id, batch_id)
        SELECT %s, %s, %s, %s, %s, %s, w.id::text, left(w.number, 200), {changes}, w.enterprise_id, %s
        FROM written w JOIN {_TEMP} t ON t.id = w.id
    """  # noqa: S608 — table and column names only; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_TEMP}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_TEMP} ({columns}) ON COMMIT DROP")
        copy_arrays(cursor, _TEMP, typed_columns(_TEMP_COLUMNS, arrays))
        cursor.execute(f"ANALYZE {_TEMP}")
        cursor.execute(
            statement,
            [
                timezone.now(),
                user_id,
                username,
                source,
                audit.AuditEvent.Action.UPDATE.value,
                content_type,
                getattr(batch, "pk", batch),
            ],
        )
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {_TEMP}")
    return written


def _json(value):
    """A clock field's value as the audit trail records it (dates ISO 8601; booleans and numbers as they are)."""
    return value.isoformat() if isinstance(value, date) else value


@audit.bulk_write(Application)  # the UPDATEs, then their records by bulk_events
def _write_orm(apps, new, rows: np.ndarray, *, user, source, batch) -> int:
    """Each changed row by its own conditional UPDATE (SQLite and other backends), then bulk audit records."""
    records = []
    for i in rows:
        done = apps["done"][i] == 1
        old = {
            "due_on": _to_date(int(apps["due"][i])),
            "due_provisional": bool(apps["provisional"][i]),
            "yellow_on": _to_date(int(apps["yellow"][i])),
            "paused_working_days": int(apps["paused"][i]),
            "working_days_used": None if apps["used"][i] == NONE else int(apps["used"][i]),
            "on_time": None if apps["on_time"][i] == NONE else bool(apps["on_time"][i]),
        }
        fresh = {
            "due_on": _to_date(int(new["due"][i])),
            "due_provisional": bool(new["provisional"][i]),
            "yellow_on": _to_date(int(new["yellow"][i])),
            "paused_working_days": int(new["paused"][i]),
        }
        if done:
            fresh["working_days_used"] = int(new["used"][i])
            fresh["on_time"] = bool(new["on_time"][i])
        state = Q(state=Application.State.COMPLETED) if done else ~Q(state=Application.State.COMPLETED)
        updated = (
            Application.objects.filter(
                state,
                pk=int(apps["id"][i]),
                accepted_on=date.fromordinal(int(apps["accepted"][i])),
                limit_days=int(apps["limit"][i]),
                yellow_threshold=int(apps["threshold"][i]),
                completed_on=_to_date(int(apps["completed"][i])),
                **old,
            )
            .order_by()
            .update(**fresh, **({"red_notified": False} if fresh["due_on"] != old["due_on"] else {}))
        )
        if updated:
            changes = {
                field: [_json(old[field]), _json(value)] for field, value in fresh.items() if old[field] != value
            }
            records.append((int(apps["id"][i]), changes))
    if records:
        labels = {
            pk: (number, enterprise_id)
            for pk, number, enterprise_id in Application.objects.filter(pk__in=[pk for pk, _c in records]).values_list(
                "pk", "number", "enterprise_id"
            )
        }
        who, source = _who(user, source)
        audit.bulk_events(
            model=Application,
            rows=((pk, *labels[pk], audit.AuditEvent.Action.UPDATE, changes) for pk, changes in records),
            user=who,
            source=source,
            batch=batch,
        )
    return len(records)


# --------------------------------------------------------------------------------------------------------
# Bundles
# --------------------------------------------------------------------------------------------------------


@audit.bulk_write(Bundle)  # the UPDATEs, then their records by bulk_events
def _recompute_bundles(queryset, *, user, source, batch) -> int:
    """The totals of the complete parallel approvals of the recomputed applications (as ``bundle_refresh``)."""
    bundles = Bundle.objects.filter(completed_on__isnull=False, total_working_days__isnull=False)
    if queryset is not None:
        bundles = bundles.filter(pk__in=queryset.order_by().filter(bundle__isnull=False).values("bundle_id"))
    rows = list(
        bundles.order_by("pk")
        .annotate(first_accepted=Min("applications__accepted_on"))
        .values_list("pk", "first_accepted", "completed_on", "total_working_days", "name", "enterprise_id")
    )
    rows = [r for r in rows if r[1] is not None and r[2] >= r[1]]
    if not rows:
        return 0
    first = np.array([r[1].toordinal() for r in rows], dtype=np.int64)
    last = np.array([r[2].toordinal() for r in rows], dtype=np.int64)
    totals = clock.bundle_totals(first, last)
    changed = [(row, int(total)) for row, total in zip(rows, totals, strict=True) if row[3] != total]
    written = []
    for (pk, _first, _last, old, name, enterprise_id), total in changed:
        if Bundle.objects.filter(pk=pk, total_working_days=old).update(total_working_days=total):
            changes = {"total_working_days": [old, total]}
            written.append((pk, name, enterprise_id, audit.AuditEvent.Action.UPDATE, changes))
    if written:
        who, source = _who(user, source)
        audit.bulk_events(model=Bundle, rows=written, user=who, source=source, batch=batch)
    return len(written)


# --------------------------------------------------------------------------------------------------------
# The entry points
# --------------------------------------------------------------------------------------------------------


def recompute_due_dates(
    queryset=None,
    *,
    batch=None,
    user=None,
    source: str | None = None,
    dry_run: bool = False,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int, str], None] | None = None,
) -> dict:
    """Recompute the stored clock of the accepted applications of ``queryset`` (default: all of them).

    Writes only the rows whose stored values differ from the computed ones, with one audit record each (see the
    module's docstring); ``batch`` is the :class:`~hitechzone.common.models.ImportBatch` the records belong to,
    if any; ``user`` and ``source`` default to the current audit context's (else ``system``). ``dry_run``
    computes and counts without writing. ``chunk_size`` is the rows per fetch where rows are read with
    ``values_list``. ``progress(percent, stage)`` is called between the stages (a job's reporter).

    Returns ``{"applications", "pauses", "changed", "written", "skipped", "bundles", "years", "seconds":
    {"read", "compute", "write", "total"}}`` — ``changed`` rows differed, ``written`` were written (the others,
    ``skipped``, had been changed meanwhile by a service, which recomputed them itself).
    """
    report = progress or (lambda percent, stage: None)
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    with transaction.atomic():
        report(0, "read")
        if connection.vendor == "postgresql":
            apps, pauses = _read_postgresql(queryset)
        else:
            apps, pauses = _read_orm(queryset, chunk_size)
        seconds["read"] = time.perf_counter() - started
        # The closed pauses of the applications read (on PostgreSQL all closed pauses are read).
        index = np.minimum(np.searchsorted(apps["id"], pauses["app"]), max(len(apps["id"]) - 1, 0))
        own = int((apps["id"][index] == pauses["app"]).sum()) if len(apps["id"]) else 0
        result = {"applications": len(apps["id"]), "pauses": own, "changed": 0, "written": 0}
        result.update(skipped=0, bundles=0, years=None)
        if len(apps["id"]):
            report(30, "compute")
            mark = time.perf_counter()
            new = compute_clock(apps, pauses)
            rows = np.flatnonzero(_changed(apps, new))
            seconds["compute"] = time.perf_counter() - mark
            result["changed"] = len(rows)
            result["years"] = [
                clock.year_of(int(apps["accepted"].min())),
                clock.year_of(int(new["due"].max())),
            ]
            if not dry_run:
                report(60, "write")
                mark = time.perf_counter()
                if len(rows):
                    write = _write_postgresql if connection.vendor == "postgresql" else _write_orm
                    result["written"] = write(apps, new, rows, user=user, source=source, batch=batch)
                    result["skipped"] = result["changed"] - result["written"]
                result["bundles"] = _recompute_bundles(queryset, user=user, source=source, batch=batch)
                seconds["write"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    result["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    report(100, "done")
    return result


def affected_by_year(year: int):
    """The accepted applications whose stored clock may depend on the working days of ``year``.

    Those accepted by the end of the year whose counting reaches into it: due (or completed) on or after its
    first day, not computed yet, or with a closed pause that ends in it or later (the paused working days).
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    pause_reaches = Pause.objects.filter(application=OuterRef("pk"), ended_on__gte=first)
    return Application.objects.filter(accepted_on__isnull=False, accepted_on__lte=last).filter(
        Q(due_on__isnull=True) | Q(due_on__gte=first) | Q(completed_on__gte=first) | Exists(pause_reaches)
    )


def calendar_year_changed(year: int, *, user=None, source: str | None = None) -> dict:
    """Recompute the applications a change to the working days of ``year`` may move (call it after
    ``calendar_year_set_manual`` or ``calendar_year_reseed`` of that year, once the change is saved)."""
    return recompute_due_dates(affected_by_year(year), user=user, source=source)


@jobs.handler(JOB_KIND)
def recompute_job(job, reporter) -> dict:
    """The background job: ``params["year"]`` recomputes the applications that year touches, none all of them.

    ``jobs.enqueue(JOB_KIND, user=admin, params={"year": 2027})`` after a calendar change, when the zone is too big to
    recompute within the request (registered by ``ApprovalsConfig.ready()``)."""
    year = job.params.get("year")
    queryset = affected_by_year(int(year)) if year else None
    with audit.audit_context(user=job.user, source=Source.SYSTEM):
        result = recompute_due_dates(queryset, progress=reporter)
    reporter.log(
        f"{result['applications']} applications: {result['changed']} changed, {result['written']} written, "
        f"{result['skipped']} skipped, {result['bundles']} bundles ({result['seconds']['total']:.1f} s)"
    )
    return result
