"""Background work is a row (NetBox's Job and JobRunner): ``enqueue`` writes it, a worker runs it.

``hitechzone run_worker`` polls the table and runs each queued job; ``make demo`` starts one next to the
web server. A job's handler reports progress through ``JobReporter``; the UI polls the row.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[Job, JobReporter], dict]] = {}


def handler(kind: str):
    def register(func):
        HANDLERS[kind] = func
        return func

    return register


class JobReporter:
    """Progress and log lines, written to the job's row at most every half second (and always at 100 %)."""

    def __init__(self, job: Job):
        self.job = job
        self._last_write = 0.0

    def __call__(self, percent: int, stage: str = "") -> None:
        self.job.progress = max(0, min(100, int(percent)))
        if stage:
            self.job.stage = stage[:200]
        now = time.monotonic()
        if now - self._last_write >= 0.5 or percent >= 100:
            self._last_write = now
            Job.objects.filter(pk=self.job.pk).update(progress=self.job.progress, stage=self.job.stage)

    def log(self, line: str) -> None:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        self.job.log += f"[{stamp}] {line}\n"
        Job.objects.filter(pk=self.job.pk).update(log=self.job.log)


def enqueue(kind: str, *, user=None, params: dict | None = None, batch=None) -> Job:
    if kind not in HANDLERS:
        _load_handlers()
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    return Job.objects.create(kind=kind, user=user, params=params or {}, batch=batch)


def claim_next() -> Job | None:
    """Take the oldest queued job; two workers never take the same one."""
    with transaction.atomic():
        qs = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "id")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        job = qs.first()
        if job is None:
            return None
        claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=timezone.now()
        )
        if not claimed:
            return None
    job.refresh_from_db()
    return job


def run(job: Job) -> Job:
    _load_handlers()
    reporter = JobReporter(job)
    if job.status == Job.Status.QUEUED:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    reporter.log(_("Started"))
    try:
        result = HANDLERS[job.kind](job, reporter) or {}
    except Exception as exc:  # a failed job records why; the worker goes on with the next one
        logger.exception("job %s failed", job.pk)
        reporter.log(_("Failed: %(error)s") % {"error": exc})
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            result={"error": str(exc), "traceback": traceback.format_exc()[-4000:]},
        )
    else:
        reporter(100)
        reporter.log(_("Finished"))
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED, finished_at=timezone.now(), progress=100, result=result
        )
    job.refresh_from_db()
    return job


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs in this process (the worker's loop body; also what tests call)."""
    done = 0
    while limit is None or done < limit:
        job = claim_next()
        if job is None:
            break
        run(job)
        done += 1
    return done


def work_forever(*, poll_seconds: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
    """Run queued jobs as they come, and the scheduled tasks once per day they are due."""
    from .schedule import run_due

    checked_day = None
    while not stop():
        today = timezone.localdate()
        if today != checked_day:
            run_due(today)
            checked_day = today
        if not run_pending(limit=1):
            time.sleep(poll_seconds)


def _load_handlers() -> None:
    from hitechzone.approvals import recompute  # noqa: F401 — registers the due-date recomputation
    from hitechzone.evaluation import services as evaluation_services  # noqa: F401 — registers evaluation.run

    from . import intake_jobs  # noqa: F401 — registers the import handlers
