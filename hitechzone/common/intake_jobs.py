"""The import steps as background jobs: check (preview) and write (after the user confirms)."""

from django.utils.translation import gettext as _

from .intake import batch_check, batch_write, shown_rows
from .jobs import handler
from .models import ImportBatch
from .spreadsheets import clean_text


def _summary(batch: ImportBatch) -> dict:
    return {
        "batch": batch.pk,
        "status": batch.status,
        "message": batch.message,
        "rows_total": batch.rows_total,
        "rows_bad": batch.rows_bad,
        "rows_created": batch.rows_created,
        "rows_updated": batch.rows_updated,
        "rows_unchanged": batch.rows_unchanged,
    }


PREVIEW_ROWS = 20
IMPORT_TIME_LIMIT = 1800  # seconds: a province-sized workbook writes in well under a minute
LISTED_ERRORS = 50


def _details(batch: ImportBatch, validation) -> dict:
    """What the preview page shows: the first rows as the workbook has them, or the first errors."""
    if validation is None:
        return {}
    shown = shown_rows(validation.kind, validation, validation.raw[:PREVIEW_ROWS]) if validation.kind else []
    preview = [[row, *[clean_text(v) for v in raw]] for row, raw in shown]
    return {
        "preview_headers": validation.headers,
        "preview": preview if validation.ok else [],
        "errors": [str(e) for e in validation.errors[:LISTED_ERRORS]],
    }


@handler("import.check", time_limit=IMPORT_TIME_LIMIT)
def check(job, report):
    batch, validation = batch_check(job.batch, progress=report)
    report.log(batch.message)
    return {**_summary(batch), **_details(batch, validation)}


@handler("import.write", time_limit=IMPORT_TIME_LIMIT)
def write(job, report):
    batch = job.batch
    if batch.status != ImportBatch.Status.VALID:
        raise ValueError(_("Only a checked, valid batch can be written."))
    batch = batch_write(batch, progress=report)
    report.log(batch.message)
    return _summary(batch)


@handler("import.run", time_limit=IMPORT_TIME_LIMIT)
def check_and_write(job, report):
    """Check, and write when every row is good (the API's one-step import)."""
    batch, validation = batch_check(job.batch, progress=report)
    if batch.status == ImportBatch.Status.VALID:
        batch = batch_write(batch, progress=report, validation=validation)
    report.log(batch.message)
    details = _details(batch, validation)
    return {**_summary(batch), "errors": details.get("errors", [])}
