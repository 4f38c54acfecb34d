"""What the writes of M2 share: constants, an application's clock, steps and notifications."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.approvals.clock import Clock, clock_of
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Level,
    Step,
)
from hitechzone.common.models import Notification
from hitechzone.common.rules import Refused as Refused
from hitechzone.common.rules import require as _require

S = Application.State
M = ApplicationMaterial.Status

# Working days a department has to answer a rectification task.
RECTIFICATION_WORKING_DAYS = 10
# Levels that create a rectification task (不满意 and 非常不满意).
RECTIFY_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
ONE_DAY = timedelta(days=1)

VERSION_FIELDS = (
    "name",
    "mode",
    "legal_basis",
    "item_type",
    "statutory_limit",
    "promised_limit",
    "fees",
    "pre_reform_days",
    "yellow_threshold",
)
MATERIAL_FIELDS = ("name", "required", "tolerable", "original")
# The blank form and the filled-in sample of a material: the file types the window and applicants open.
ATTACHMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "jpg", "jpeg", "png")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _today() -> date:
    return timezone.localdate()


# --- Applications: helpers ----------------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("version").get(pk=application.pk)


def _day(on: date | None, application: Application | None = None) -> date:
    on = on or _today()
    _require(on <= _today(), _("A step cannot be dated in the future."))
    if application is not None:
        last = application.steps.aggregate(last=Max("on"))["last"] or application.received_on
        _require(
            on >= last,
            _("The date %(on)s is before the application's last step (%(last)s).") % {"on": on, "last": last},
        )
    return on


def _step(application: Application, *, by, action: str, before: str, on: date, note: str = "", assignee=None) -> Step:
    # A step recorded for an earlier day (history, the demo) is timed at noon of that day, not at the load.
    at = timezone.now() if on >= _today() else timezone.make_aware(datetime.combine(on, time(12)))
    return Step.objects.create(
        application=application,
        by=by,
        at=at,
        on=on,
        action=action,
        from_state=before,
        to_state=application.state,
        note=note,
        assignee=assignee,
    )


def _pauses(application: Application) -> list[tuple[date, date]]:
    return [(p.started_on, p.ended_on) for p in application.pauses.all() if p.ended_on is not None]


def recompute_clock(application: Application) -> Application:
    """Store the due date, its provisional flag and the yellow date from acceptance, limit and closed pauses.

    While a pause is open the clock stands still: the stored due date is the one the closed pauses give, and
    it moves when the pause closes. Saves the fields it changes.
    """
    _store_clock(application)
    return application


def _store_clock(application: Application, *, completed_on: date | None = None) -> Clock | None:
    """:func:`recompute_clock`, returning the clock (with the working days used once ``completed_on``)."""
    if application.accepted_on is None:
        return None
    clock = clock_of(
        accepted_on=application.accepted_on,
        limit_days=application.limit_days,
        yellow_threshold=application.yellow_threshold,
        pauses=_pauses(application),
        completed_on=completed_on,
    )
    if clock.due_on != application.due_on:
        application.red_notified = False  # a new due date: if it is missed, the leaders hear of it again
    application.due_on = clock.due_on
    application.due_provisional = clock.due_provisional
    application.yellow_on = clock.yellow_on
    application.paused_working_days = clock.paused_working_days
    application.save(update_fields=["due_on", "due_provisional", "yellow_on", "paused_working_days", "red_notified"])
    return clock


def _notify(users: Iterable[User], *, kind: str, text: str, url: str, key: str) -> None:
    for user in users:
        Notification.objects.get_or_create(user=user, key=key, defaults={"kind": kind, "text": text[:300], "url": url})


def _department_staff(department_id: int):
    return User.objects.filter(role=Role.DEPARTMENT, department_id=department_id, is_active=True).order_by("pk")


def application_url(application: Application) -> str:
    return f"/approvals/applications/{application.pk}/"
