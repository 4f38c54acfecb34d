"""Background work is a row (NetBox's Job and JobRunner): ``enqueue`` writes it, a worker runs it.

``hitechzone run_worker`` polls the table and runs each queued job; ``make demo`` starts one next to the
web server. Apps register their handlers from their ``AppConfig.ready()`` with ``@handler(kind)``; a handler
is a plain function ``(job, report) -> dict`` and reports progress through ``JobReporter``; the UI polls the row.

What survives faults (docs/0008-background-jobs.md):

- one attempt = one transaction: the handler's writes and the job's "succeeded" commit together, or not at all;
- a running job has a heartbeat, written by a thread of the worker on its own connection (with the progress
  and the log, so they are visible while the handler's transaction is open); a job whose heartbeat is older
  than ``JOB_STALE_SECONDS`` is taken back by any worker and queued again, up to ``MAX_ATTEMPTS`` attempts;
- each kind has a time limit; a worker told to stop (SIGTERM) hands its job back to the queue;
- the worker survives a database restart: it logs, waits (with backoff) and goes on.
"""

from __future__ import annotations

import ctypes
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
DEFAULT_TIME_LIMIT = 3600  # seconds; ``@handler(kind, time_limit=...)`` sets a kind's own
HARD_LIMIT_GRACE = 30  # seconds past the time limit after which a handler that ignores it stops beating


def stale_seconds() -> float:
    return float(getattr(settings, "JOB_STALE_SECONDS", 300))


@dataclass(frozen=True)
class Handler:
    kind: str
    func: Callable[[Job, JobReporter], dict]
    time_limit: float = DEFAULT_TIME_LIMIT

    def __call__(self, job: Job, report: JobReporter) -> dict:
        return self.func(job, report)


HANDLERS: dict[str, Handler] = {}


def handler(kind: str, *, time_limit: float = DEFAULT_TIME_LIMIT):
    """Register ``func(job, report) -> dict`` as the handler of ``kind`` (from the app's ``ready()``)."""

    def register(func):
        HANDLERS[kind] = Handler(kind, func, time_limit)
        return func

    return register


class JobTimeLimit(BaseException):
    """The handler ran past its kind's time limit (raised into the handler's thread by the heartbeat)."""


class WorkerStopping(BaseException):
    """The worker was told to stop (SIGTERM) while a handler ran: its job goes back to the queue."""


class _Lost(Exception):
    """This attempt's job was taken back by another worker meanwhile: its work is not committed."""


# --- Progress ------------------------------------------------------------------------------------------------------


class JobReporter:
    """Progress and log lines. Kept in memory, written by the job's heartbeat thread (on its own connection, so
    they are visible while the handler's transaction is open), and with the job's final state."""

    def __init__(self, job: Job):
        self.job = job
        self._lock = threading.Lock()
        self._dirty = False

    def __call__(self, percent: int, stage: str = "") -> None:
        with self._lock:
            self.job.progress = max(0, min(100, int(percent)))
            if stage:
                self.job.stage = stage[:200]
            self._dirty = True

    def log(self, line: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        with self._lock:
            self.job.log += f"[{stamp}] {line}\n"
            self._dirty = True

    def snapshot(self) -> dict | None:
        """What changed since the last snapshot (None: nothing)."""
        with self._lock:
            if not self._dirty:
                return None
            self._dirty = False
            return {"progress": self.job.progress, "stage": self.job.stage, "log": self.job.log}


class _Beat(threading.Thread):
    """One attempt's companion: heartbeat, progress and log on its own connection; the time limit.

    On SQLite the handler's transaction holds the database's only write lock, so nothing can be written beside
    it: the beat writes nothing there (the progress is seen when the job ends; the lock itself shows that the
    worker is alive, see docs/0008-background-jobs.md).
    """

    def __init__(self, job: Job, reporter: JobReporter, time_limit: float):
        super().__init__(name=f"job-{job.pk}-beat", daemon=True)
        self.job, self.reporter = job, reporter
        self.interval = max(0.05, min(1.0, stale_seconds() / 4))
        self.deadline = time.monotonic() + time_limit
        self.hard_deadline = self.deadline + HARD_LIMIT_GRACE
        self.target = threading.get_ident()
        self.writes = connection.vendor != "sqlite"
        connection.ensure_connection()
        self.raw = connection.connection  # the handler's connection: its query is cancelled at the time limit
        self.timed_out = False
        self.handler_running = True
        self._lock = threading.Lock()
        self._halt = threading.Event()

    def run(self) -> None:
        try:
            while not self._halt.wait(self.interval):
                now = time.monotonic()
                if now >= self.deadline and not self.timed_out:
                    self._time_out()
                if now >= self.hard_deadline:
                    logger.error(
                        "job %s ignores its time limit: no more heartbeats, another worker takes it back", self.job.pk
                    )
                    return
                self.flush()
        finally:
            connection.close()

    def flush(self) -> None:
        if not self.writes:
            return
        fields = self.reporter.snapshot() or {}
        try:
            Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING, attempts=self.job.attempts).update(
                heartbeat_at=timezone.now(), **fields
            )
        except DatabaseError as exc:  # the worker's main loop deals with the database; a beat is skipped
            logger.warning("job %s: heartbeat not written (%s)", self.job.pk, exc)
            connection.close()

    def _time_out(self) -> None:
        # The cancel is sent under the lock: the handler's thread, once the exception reaches it, waits in
        # handler_finished() until the cancel has gone out, so a late cancel can never hit the statement that records
        # the job's end (it did under load: the end's UPDATE was cancelled and the connection dropped).
        with self._lock:
            if not self.handler_running:
                return
            self.timed_out = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), ctypes.py_object(JobTimeLimit))
            cancel = getattr(self.raw, "cancel_safe", None) or getattr(self.raw, "cancel", None)
            if cancel is not None and connection.vendor == "postgresql":
                try:  # a handler waiting on a long statement: PostgreSQL stops the statement
                    cancel()
                except Exception:
                    logger.warning("job %s: the running statement could not be cancelled", self.job.pk)

    def handler_finished(self) -> None:
        """The handler returned or raised: from now on no time-limit exception reaches its thread."""
        with self._lock:
            self.handler_running = False
            if self.timed_out:  # raised but maybe not delivered yet: withdraw it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), None)

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive() and self is not threading.current_thread():
            self.join(timeout=5)


# --- Queue --------------------------------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def enqueue(kind: str, *, user=None, params: dict | None = None, batch=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    return Job.objects.create(kind=kind, user=user, params=params or {}, batch=batch)


def _skip_locked(qs):
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True)
    return qs


def _claim(job_pk: int, *, worker: str, only_queued: bool = True) -> bool:
    now = timezone.now()
    qs = Job.objects.filter(pk=job_pk, status=Job.Status.QUEUED) if only_queued else Job.objects.filter(pk=job_pk)
    return bool(
        qs.update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            worker=worker,
        )
    )


def claim_next(*, worker: str | None = None) -> Job | None:
    """Take the oldest queued job; two workers never take the same one."""
    with transaction.atomic():
        job = _skip_locked(Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "id")).first()
        if job is None or not _claim(job.pk, worker=worker or worker_name()):
            return None
    job.refresh_from_db()
    return job


def reclaim_stale(*, now=None) -> int:
    """Take back the running jobs whose worker stopped beating: queued again, or failed after ``MAX_ATTEMPTS``."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_seconds())
    stale = Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    if not stale.exists():  # the common case, without taking a lock
        return 0
    taken = 0
    with transaction.atomic():
        for job in _skip_locked(stale):
            since = timezone.localtime(job.heartbeat_at or job.started_at).strftime("%Y-%m-%d %H:%M:%S")
            stamp = timezone.localtime(now).strftime("%H:%M:%S")
            if job.attempts >= MAX_ATTEMPTS:
                line = _("Failed: the worker stopped responding (no heartbeat since %(since)s), %(n)d attempts.") % {
                    "since": since,
                    "n": job.attempts,
                }
                fields = {"status": Job.Status.FAILED, "finished_at": now, "result": {"error": line}}
            else:
                line = _("Taken back: the worker stopped responding (no heartbeat since %(since)s).") % {"since": since}
                fields = {"status": Job.Status.QUEUED}
            Job.objects.filter(pk=job.pk).update(log=f"{job.log}[{stamp}] {line}\n", **fields)
            logger.warning("job %s (%s, worker %s): %s", job.pk, job.kind, job.worker, line)
            taken += 1
    return taken


# --- One attempt --------------------------------------------------------------------------------------------------


def run(job: Job, *, worker: str | None = None, on_start: Callable[[_Beat | None], None] | None = None) -> Job:
    """Run one attempt of ``job`` in this thread (a queued job is claimed first); returns the job as it ends.

    The handler's writes and the job's success are one transaction. A handler that raises fails the job (its
    writes roll back); a lost database connection queues it again (up to ``MAX_ATTEMPTS``); ``WorkerStopping``
    queues it again without counting the attempt, and is raised on.
    """
    if job.status == Job.Status.QUEUED:
        _claim(job.pk, worker=worker or worker_name())
        job.refresh_from_db()
    spec = HANDLERS[job.kind]
    reporter = JobReporter(job)
    reporter.log(_("Started"))
    beat = _Beat(job, reporter, spec.time_limit)
    try:
        if on_start is not None:
            on_start(beat)
        beat.start()
        with transaction.atomic():
            try:
                result = spec(job, reporter) or {}
            finally:
                beat.handler_finished()
            beat.stop()
            reporter(100)
            reporter.log(_("Finished"))
            done = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts).update(
                status=Job.Status.SUCCEEDED,
                finished_at=timezone.now(),
                progress=100,
                stage=job.stage,
                log=job.log,
                result=result,
            )
            if not done:
                raise _Lost
    except _Lost:
        logger.warning("job %s was taken back while this worker ran it: its work is not committed", job.pk)
    except JobTimeLimit:
        _fail(job, reporter, _("Time limit of %(seconds)d s exceeded.") % {"seconds": spec.time_limit})
    except WorkerStopping:
        _end(
            job,
            reporter,
            _("Handed back to the queue: the worker is stopping."),
            status=Job.Status.QUEUED,
            attempts=max(0, job.attempts - 1),
        )
        raise
    except (OperationalError, InterfaceError) as exc:
        if beat.timed_out:  # the statement cancelled at the time limit
            _fail(job, reporter, _("Time limit of %(seconds)d s exceeded.") % {"seconds": spec.time_limit})
        elif job.attempts < MAX_ATTEMPTS:
            logger.warning("job %s: database error (%s), queued again", job.pk, exc)
            _end(
                job, reporter, _("Database error (%(error)s): queued again.") % {"error": exc}, status=Job.Status.QUEUED
            )
        else:
            _fail(job, reporter, _("Failed: %(error)s") % {"error": exc}, exc=exc)
    except Exception as exc:  # a failed job records why; the worker goes on with the next one
        logger.exception("job %s failed", job.pk)
        _fail(job, reporter, _("Failed: %(error)s") % {"error": exc}, exc=exc)
    finally:
        beat.stop()
    job.refresh_from_db()
    return job


def _fail(job: Job, reporter: JobReporter, line: str, exc: BaseException | None = None) -> None:
    result = {"error": str(exc) if exc is not None else line}
    if exc is not None:
        result["traceback"] = traceback.format_exc()[-4000:]
    _end(job, reporter, line, status=Job.Status.FAILED, finished_at=timezone.now(), result=result)


def _end(job: Job, reporter: JobReporter, line: str, **fields) -> None:
    """Record how this attempt ended (after its transaction rolled back), on a connection that works."""
    reporter.log(line)
    for attempt in (1, 2):
        try:
            Job.objects.filter(pk=job.pk, attempts=job.attempts).exclude(status=Job.Status.SUCCEEDED).update(
                progress=job.progress, stage=job.stage, log=job.log, **fields
            )
            return
        except DatabaseError:
            connection.close()  # a dropped connection: try once more on a new one, else the job goes stale
            if attempt == 2:
                logger.exception("job %s: its end could not be recorded; it will be taken back", job.pk)


# --- The worker ---------------------------------------------------------------------------------------------------


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs in this process (what tests call); stale jobs are taken back first."""
    done = 0
    reclaim_stale()
    while limit is None or done < limit:
        job = claim_next()
        if job is None:
            break
        run(job)
        done += 1
    return done


SCHEDULE_POLL_SECONDS = 300.0


class Worker:
    """The loop of ``hitechzone run_worker``: jobs as they come, the schedule every few minutes.

    ``burst``: stop when the queue is empty (stale jobs taken back first). ``stop()`` (SIGTERM) ends the loop;
    called while a handler runs, it hands the job back to the queue (``WorkerStopping``).
    """

    def __init__(
        self,
        *,
        poll_seconds: float = 1.0,
        schedule_seconds: float = SCHEDULE_POLL_SECONDS,
        burst: bool = False,
        schedule: bool = True,
        max_backoff: float = 30.0,
    ):
        self.poll_seconds, self.schedule_seconds = poll_seconds, schedule_seconds
        self.burst, self.schedule, self.max_backoff = burst, schedule, max_backoff
        self.name = worker_name()
        self.stopping = False
        self.jobs_run = 0
        self._beat: _Beat | None = None
        self._wake = threading.Event()

    def stop(self, *_args) -> None:
        """Signal handler: stop after this job; inside a handler, hand the job back now."""
        already = self.stopping
        self.stopping = True
        self._wake.set()
        beat = self._beat
        if not already and beat is not None and beat.handler_running:
            raise WorkerStopping

    def work(self) -> int:
        backoff = 0.0
        next_schedule = 0.0
        while not self.stopping:
            try:
                if self.schedule and not self.burst and time.monotonic() >= next_schedule:
                    from .schedule import run_due  # the schedule module imports this one

                    next_schedule = time.monotonic() + self.schedule_seconds
                    try:
                        run_due()
                    except (OperationalError, InterfaceError):
                        next_schedule = 0.0  # when the database is back
                        raise
                    except Exception:  # a broken task must not stop the jobs; each task logs its own failure
                        logger.exception("worker %s: the schedule failed", self.name)
                reclaim_stale()
                job = claim_next(worker=self.name)
                if backoff:
                    logger.warning("worker %s: the database is back", self.name)
                    backoff = 0.0
                if job is not None:
                    try:
                        run(job, worker=self.name, on_start=self._started)
                    finally:
                        self._beat = None
                    self.jobs_run += 1
                    continue
                if self.burst:
                    break
                self._wake.wait(self.poll_seconds)
            except WorkerStopping:
                break
            except (OperationalError, InterfaceError) as exc:
                backoff = min(self.max_backoff, backoff * 2 or self.poll_seconds)
                logger.warning("worker %s: database unavailable (%s); retrying in %.1f s", self.name, exc, backoff)
                connections.close_all()
                self._wake.wait(backoff)
        return self.jobs_run

    def _started(self, beat: _Beat | None) -> None:
        self._beat = beat
