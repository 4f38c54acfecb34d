"""The liaison module's scheduled tasks (run by the worker, see ``hitechzone.common.schedule``)."""

from hitechzone.common.schedule import daily

from .services import escalate_overdue, send_visit_reminders

REMINDER_DAY = 20


@daily("liaison.visit_reminders", when=lambda day: day.day == REMINDER_DAY)
def visit_reminders(today):
    return send_visit_reminders(today=today)


@daily("liaison.escalate_overdue")
def escalations(today):
    return escalate_overdue(today=today)
