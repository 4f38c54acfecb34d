"""好差评 (the applicant rates the service), rectifications, and the daily reminders."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import workflow
from hitechzone.approvals.access import is_applicant_side
from hitechzone.approvals.models import (
    Application,
    Level,
    Rectification,
    Review,
)
from hitechzone.common.calendar import add_working_days
from hitechzone.common.rules import Refused as Refused
from hitechzone.common.rules import require as _require

from .applications import _applicant_side_users
from .base import (
    RECTIFICATION_WORKING_DAYS,
    RECTIFY_LEVELS,
    _day,
    _department_staff,
    _lock,
    _notify,
    _today,
    application_url,
)

# --- 好差评 -----------------------------------------------------------------------------------------------------


@transaction.atomic
def application_rate(
    *, application: Application, by: User, level: int, comment: str = "", on: date | None = None
) -> Review:
    """The applicant rates a completed application; 不满意 or worse gives the department a rectification task."""
    application = _lock(application)
    _require(is_applicant_side(by, application), _("Only the applicant or its agent rates the service."))
    _require(workflow.allows("rate", application), _("Only a completed application can be rated."))
    _require(not Review.objects.filter(application=application).exists(), _("This application has been rated already."))
    _require(level in Level.values, _("Choose one of the five levels."))
    if level in RECTIFY_LEVELS:
        _require(bool(comment.strip()), _("Tell the department what went wrong, so that it can put it right."))
    on = _day(on)
    _require(on >= application.completed_on, _("A rating comes after completion."))
    review = Review.objects.create(
        application=application, level=level, comment=comment.strip(), rated_on=on, rated_by=by
    )
    if level in RECTIFY_LEVELS:
        rectification = Rectification.objects.create(
            review=review,
            department_id=application.department_id,
            due_on=add_working_days(on, RECTIFICATION_WORKING_DAYS).value,
        )
        _notify(
            _department_staff(application.department_id),
            kind="approval",
            text=_("Rectification due %(due)s: %(number)s was rated %(level)s")
            % {"due": rectification.due_on, "number": application.number, "level": Level(level).label},
            url=application_url(application),
            key=f"approval-rectify-{rectification.pk}",
        )
    return review


@transaction.atomic
def rectification_answer(
    *, rectification: Rectification, by: User, answer: str, on: date | None = None
) -> Rectification:
    """The department says what it put right; the applicant sees the answer."""
    rectification = (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("review__application")
        .get(pk=rectification.pk)
    )
    role = effective_role(by)
    _require(
        role == Role.ADMIN or (role == Role.DEPARTMENT and by.department_id == rectification.department_id),
        _("Only the department concerned answers this rectification task."),
    )
    _require(rectification.answered_on is None, _("This rectification task has been answered already."))
    _require(bool(answer.strip()), _("Write the answer."))
    on = _day(on)
    _require(
        on >= rectification.review.rated_on,
        _("The answer cannot be dated before the rating (%(d)s).") % {"d": rectification.review.rated_on},
    )
    rectification.answer, rectification.answered_on, rectification.answered_by = answer.strip(), on, by
    rectification.save(update_fields=["answer", "answered_on", "answered_by"])
    application = rectification.review.application
    _notify(
        _applicant_side_users(application),
        kind="approval",
        text=_("%(d)s answered your rating of %(number)s")
        % {"d": application.department, "number": application.number},
        url=application_url(application),
        key=f"approval-rectified-{rectification.pk}",
    )
    return rectification


# --- The leaders' list ------------------------------------------------------------------------------------------


def report_overdue(*, today: date | None = None) -> int:
    """Tell the leaders (and the handler) about every application that turned red; each once. Daily."""
    today = today or _today()
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk"))
    reported = []
    for application in (
        Application.objects.overdue(today)
        .filter(red_notified=False)
        .select_related("version", "department", "assignee")
    ):
        users = leaders + ([application.assignee] if application.assignee_id else [])
        _notify(
            users,
            kind="approval_overdue",
            text=_("Overdue: %(number)s %(item)s (%(d)s), due %(due)s")
            % {
                "number": application.number,
                "item": application.version.name,
                "d": application.department.short_name or application.department.name,
                "due": application.due_on,
            },
            url=application_url(application),
            key=f"approval-overdue-{application.pk}-{application.due_on}",
        )
        reported.append(application.pk)
    Application.objects.filter(pk__in=reported).update(red_notified=True)
    return len(reported)


def warn_yellow(*, today: date | None = None) -> int:
    """Warn the handler (or the department's staff) of every application whose light turned yellow. Daily."""
    today = today or _today()
    count = 0
    staff: dict[int, list[User]] = {}  # each department's staff, read once
    for application in Application.objects.filter(
        state__in=Application.COUNTING_STATES, yellow_on__lte=today, due_on__gte=today
    ).select_related("version", "assignee"):
        if application.assignee_id:
            users = [application.assignee]
        else:
            department = application.department_id
            users = staff.setdefault(department, list(_department_staff(department)))
        _notify(
            users,
            kind="approval_due",
            text=_("Due %(due)s: %(number)s %(item)s")
            % {"due": application.due_on, "number": application.number, "item": application.version.name},
            url=application_url(application),
            key=f"approval-yellow-{application.pk}-{application.due_on}",
        )
        count += 1
    return count
