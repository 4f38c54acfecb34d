"""The approval centre's scheduled tasks (run by the worker, see ``hitechzone.common.schedule``)."""

from hitechzone.common.schedule import daily

from .services import report_overdue, warn_yellow


@daily("approvals.report_overdue")
def overdue(today):
    return report_overdue(today=today)


@daily("approvals.warn_yellow")
def yellow(today):
    return warn_yellow(today=today)
