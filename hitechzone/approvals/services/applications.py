"""Writes of an application: filing, the window, supply, processing, parallel approval."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import workflow
from hitechzone.approvals.access import is_applicant_side, is_window, serves
from hitechzone.approvals.clock import bundle_total
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    Notice,
    Pause,
)
from hitechzone.common import audit
from hitechzone.common.rules import Refused as Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Enterprise

from .base import (
    ONE_DAY,
    M,
    S,
    _day,
    _department_staff,
    _lock,
    _notify,
    _step,
    _store_clock,
    application_url,
    recompute_clock,
)

# --- Filing -----------------------------------------------------------------------------------------------------


@transaction.atomic
def application_file(
    *,
    by: User,
    item: Item,
    enterprise: Enterprise,
    title: str = "",
    received_on: date | None = None,
    provided: Iterable[int] = (),
    bundle: Bundle | None = None,
) -> Application:
    """File an application (已接件): by the enterprise, or by its service officer as approval agent (代办).

    ``provided`` are the ids of the materials handed in with it (of the item's current version); the window
    checks them with :func:`application_check`.
    """
    role = effective_role(by)
    received_on = _day(received_on)
    if role == Role.ENTERPRISE:
        _require(by.enterprise_id == enterprise.pk, _("You can file applications only for your own enterprise."))
        agent = None
    elif role == Role.OFFICER:
        _require(
            serves(by, enterprise.pk, received_on),
            _("%(enterprise)s is not assigned to you: only its own officer files as its agent.")
            % {"enterprise": enterprise},
        )
        agent = by
    else:
        _require(role == Role.ADMIN, _("Only the enterprise or its service officer (as agent) files applications."))
        agent = None
    item = Item.objects.select_related("current").get(pk=item.pk)
    _require(
        item.status == Item.Status.ACTIVE,
        _("%(item)s is %(status)s: it takes no applications.")
        % {"item": item.name, "status": item.get_status_display()},
    )
    if bundle is not None:
        _require(bundle.enterprise_id == enterprise.pk, _("The parallel approval belongs to another enterprise."))
        _require(bundle.completed_on is None, _("This parallel approval is complete."))
    version = item.current
    application = Application.objects.create(
        number=uuid.uuid4().hex[:24],
        item=item,
        version=version,
        department_id=item.department_id,
        enterprise=enterprise,
        bundle=bundle,
        title=title.strip()[:120],
        applicant=by,
        agent=agent,
        received_on=received_on,
        limit_days=version.promised_limit,
        yellow_threshold=version.yellow_threshold,
    )
    application.number = application_number(application)
    application.save(update_fields=["number"])
    provided = set(provided)
    valid = set(version.materials.values_list("pk", flat=True))
    _require(provided <= valid, _("Some materials handed in are not materials of this item."))
    with audit.bulk_write(ApplicationMaterial):  # the rows, then one creation record each
        rows = ApplicationMaterial.objects.bulk_create(
            ApplicationMaterial(
                application=application, material=m, status=M.PROVIDED if m.pk in provided else M.PENDING
            )
            for m in version.materials.all()  # the objects: each record's name reads them without a query
        )
        created = audit.AuditEvent.Action.CREATE
        audit.record_bulk(ApplicationMaterial, ((m, created, audit.diff(None, audit.snapshot(m))) for m in rows), by=by)
    note = _("Filed by the approval agent (代办)") if agent else ""
    _step(application, by=by, action="file", before="", on=received_on, note=note)
    _notify(
        _department_staff(application.department_id),
        kind="approval",
        text=_("New application %(number)s: %(item)s") % {"number": application.number, "item": version.name},
        url=application_url(application),
        key=f"approval-received-{application.pk}",
    )
    return application


def application_number(application: Application) -> str:
    return f"SP{application.received_on:%Y%m%d}{application.pk:08d}"


# --- The window: check, notice, accept, reject -------------------------------------------------------------------


@transaction.atomic
def application_check(
    *,
    application: Application,
    by: User,
    provided: Iterable[int] = (),
    promised: Mapping[int, date] | None = None,
    on: date | None = None,
    note: str = "",
) -> Application:
    """The window checks the materials of a received application.

    ``provided``: materials handed in (ids of ``Material``); ``promised``: tolerable (容缺) materials the
    applicant promises by a date. If every required material is provided or promised, the application is
    accepted (已受理) and the clock starts. Otherwise **one** notice (一次性告知) lists every missing material
    and the application waits for them (补正中, clock not started).
    """
    application = _lock(application)
    _require(
        is_window(by, application), _("Only the staff of %(d)s check this application.") % {"d": application.department}
    )
    _require(
        workflow.allows("check", application),
        _("Only a received application is checked (this one is %(state)s).")
        % {"state": application.get_state_display()},
    )
    on = _day(on, application)
    promised = dict(promised or {})
    provided = set(provided)
    rows = {row.material_id: row for row in application.materials.select_related("material")}
    _require(set(provided) | set(promised) <= set(rows), _("Some materials checked are not materials of this item."))
    for pk, by_date in promised.items():
        material = rows[pk].material
        _require(
            material.tolerable,
            _("%(m)s cannot be promised for later: it is not on the list of tolerable (容缺) materials.")
            % {"m": material.name},
        )
        _require(
            by_date is not None and by_date > on,
            _("%(m)s: the promised date must be after today.") % {"m": material.name},
        )
    missing = []
    for pk, row in rows.items():
        if pk in promised:
            row.status, row.promised_by = M.PROMISED, promised[pk]
        elif row.status == M.PROMISED and pk not in provided:
            pass  # promised at an earlier check (before a notice for other materials): the promise stands
        elif pk in provided or row.status in (M.PROVIDED, M.SUPPLIED):
            if row.status not in (M.PROVIDED, M.SUPPLIED):
                row.status = M.PROVIDED
        elif row.material.required:
            row.status = M.MISSING
            missing.append(row)
        else:
            row.status = M.PENDING
        row.save()
    if missing:
        return _issue_notice(application, by=by, on=on, missing=missing, note=note, after_acceptance=False)
    return _accept(application, by=by, on=on, note=note)


def _issue_notice(application, *, by, on, missing: list[ApplicationMaterial], note: str, after_acceptance: bool):
    lines = [_("Please supply, all at once, the following materials:")]
    lines += [
        f"{i}. {row.material.name}（{_('original') if row.material.original else _('copy')}）"
        for i, row in enumerate(missing, start=1)
    ]
    if note.strip():
        lines.append(note.strip())
    notice = Notice.objects.create(
        application=application, issued_on=on, issued_by=by, text="\n".join(lines), after_acceptance=after_acceptance
    )
    for row in missing:
        row.notice = notice
        row.status = M.MISSING
        row.save(update_fields=["notice", "status"])
    before = application.state
    application.state = S.CORRECTING
    application.save(update_fields=["state"])
    if after_acceptance:
        Pause.objects.create(application=application, kind=Pause.Kind.CORRECTION, started_on=on, reason=note[:200])
    _step(application, by=by, action="notice", before=before, on=on, note=notice.text)
    _notify(
        _applicant_side_users(application),
        kind="approval",
        text=_("%(number)s: materials to supply (one-time notice)") % {"number": application.number},
        url=application_url(application),
        key=f"approval-notice-{notice.pk}",
    )
    return application


def _applicant_side_users(application: Application) -> list[User]:
    users = list(
        User.objects.filter(role=Role.ENTERPRISE, enterprise_id=application.enterprise_id, is_active=True).order_by(
            "pk"
        )
    )
    if application.agent_id:
        users.append(application.agent)
    return users


def _accept(application: Application, *, by, on: date, note: str) -> Application:
    before = application.state
    application.state = S.ACCEPTED
    application.accepted_on = on
    application.save(update_fields=["state", "accepted_on"])
    recompute_clock(application)
    _step(application, by=by, action="accept", before=before, on=on, note=note)
    return application


@transaction.atomic
def application_reject(*, application: Application, by: User, reason: str, on: date | None = None) -> Application:
    """不予受理: the window declines a received application, with the reason (e.g. not within the zone's powers)."""
    application = _lock(application)
    _require(
        is_window(by, application),
        _("Only the staff of %(d)s decide on this application.") % {"d": application.department},
    )
    _require(
        workflow.allows("reject", application),
        _("Only an application not yet accepted can be declined (this one is %(state)s).")
        % {"state": application.get_state_display()},
    )
    _require(bool(reason.strip()), _("Give the reason for not accepting the application."))
    on = _day(on, application)
    before = application.state
    application.state, application.reason, application.completed_on = S.REJECTED, reason.strip(), on
    application.save(update_fields=["state", "reason", "completed_on"])
    _step(application, by=by, action="reject", before=before, on=on, note=reason.strip())
    _notify(
        _applicant_side_users(application),
        kind="approval",
        text=_("%(number)s was not accepted: %(reason)s") % {"number": application.number, "reason": reason.strip()},
        url=application_url(application),
        key=f"approval-rejected-{application.pk}",
    )
    if application.bundle_id:
        bundle_refresh(application.bundle)
    return application


# --- The applicant supplies ---------------------------------------------------------------------------------------


@transaction.atomic
def application_supply(
    *, application: Application, by: User, materials: Iterable[int], on: date | None = None
) -> Application:
    """The applicant (or the window on their behalf) supplies missing or promised materials.

    When the last material of a notice arrives: before acceptance the application is received again (the
    window checks it once more); after acceptance the pause ends the day before and processing resumes.
    """
    application = _lock(application)
    _require(
        is_applicant_side(by, application) or is_window(by, application),
        _("Only the applicant, its agent or the window can supply materials."),
    )
    _require(workflow.allows("supply", application), _("The application is closed."))
    on = _day(on, application)
    ids = set(materials)
    _require(bool(ids), _("Choose the materials supplied."))
    rows = list(application.materials.select_related("material").filter(material_id__in=ids))
    _require(len(rows) == len(ids), _("Some materials are not materials of this application."))
    for row in rows:
        _require(
            row.status in (M.MISSING, M.PROMISED),
            _("%(m)s is not awaited.") % {"m": row.material.name},
        )
        row.status, row.supplied_on = M.SUPPLIED, on
        row.save(update_fields=["status", "supplied_on"])
    names = "、".join(row.material.name for row in rows)
    still_missing = application.materials.filter(status=M.MISSING).exists()
    before = application.state
    if application.state == S.CORRECTING and not still_missing:
        if application.accepted_on is None:
            application.state = S.RECEIVED
        else:
            _close_pause(application, on=on)
            application.state = S.PROCESSING if application.assignee_id else S.ACCEPTED
        application.save(update_fields=["state"])
        recompute_clock(application)
    _step(application, by=by, action="supply", before=before, on=on, note=names)
    return application


def _close_pause(application: Application, *, on: date) -> Pause:
    pause = application.pauses.filter(ended_on__isnull=True).order_by("-started_on").first()
    _require(pause is not None, _("The clock is not paused."))
    # The pause covers the days up to the day before the clock runs again (both dates inclusive); a pause
    # closed the day it began covers that day.
    pause.ended_on = max(pause.started_on, on - ONE_DAY)
    pause.save(update_fields=["ended_on"])
    return pause


# --- Processing ----------------------------------------------------------------------------------------------


def _check_assignee(application: Application, assignee: User | None) -> None:
    if assignee is None:
        return
    _require(
        assignee.effective_role == Role.DEPARTMENT and assignee.department_id == application.department_id,
        _("%(user)s is not on the staff of %(d)s.") % {"user": assignee, "d": application.department},
    )


@transaction.atomic
def application_assign(
    *, application: Application, by: User, assignee: User, on: date | None = None, note: str = ""
) -> Application:
    """Give the application's next step to one of the department's staff; an accepted one starts processing."""
    application = _lock(application)
    _require(
        is_window(by, application),
        _("Only the staff of %(d)s assign this application.") % {"d": application.department},
    )
    _require(
        workflow.allows("assign", application),
        _("Only an accepted application can be assigned (this one is %(state)s).")
        % {"state": application.get_state_display()},
    )
    _require(assignee is not None, _("Choose who handles the application."))
    _check_assignee(application, assignee)
    on = _day(on, application)
    before = application.state
    application.assignee = assignee
    if application.state == S.ACCEPTED:
        application.state = S.PROCESSING
    application.save(update_fields=["assignee", "state"])
    _step(application, by=by, action="assign", before=before, on=on, note=note, assignee=assignee)
    _notify(
        [assignee],
        kind="approval",
        text=_("%(number)s is assigned to you: %(item)s")
        % {"number": application.number, "item": application.version.name},
        url=application_url(application),
        key=f"approval-assigned-{application.pk}-{assignee.pk}-{on}",
    )
    return application


@transaction.atomic
def application_pause(
    *,
    application: Application,
    by: User,
    kind: str,
    on: date | None = None,
    reason: str = "",
    missing: Iterable[int] = (),
) -> Application:
    """Stop the clock: a special procedure (专家评审, 听证, 检验检测 …) or 补正 during processing.

    For 补正, ``missing`` lists materials to supply again (one notice for all of them); the pause starts on
    ``on`` and ends the day before the material arrives.
    """
    application = _lock(application)
    _require(
        is_window(by, application), _("Only the staff of %(d)s can stop the clock.") % {"d": application.department}
    )
    _require(
        workflow.allows("pause", application),
        _("Only an application being processed can be paused (this one is %(state)s).")
        % {"state": application.get_state_display()},
    )
    _require(kind in Pause.Kind.values, _("Choose the kind of pause."))
    _require(bool(reason.strip()), _("Give the reason for stopping the clock."))
    on = _day(on, application)
    _require(on > application.accepted_on, _("The clock starts the day after acceptance: a pause starts after it."))
    if kind == Pause.Kind.CORRECTION:
        ids = set(missing)
        _require(bool(ids), _("List the materials to supply."))
        rows = list(application.materials.select_related("material").filter(material_id__in=ids))
        _require(len(rows) == len(ids), _("Some materials are not materials of this application."))
        return _issue_notice(application, by=by, on=on, missing=rows, note=reason, after_acceptance=True)
    before = application.state
    Pause.objects.create(application=application, kind=kind, started_on=on, reason=reason.strip()[:200])
    application.state = S.SPECIAL
    application.save(update_fields=["state"])
    _step(application, by=by, action="pause", before=before, on=on, note=f"{Pause.Kind(kind).label}: {reason.strip()}")
    return application


@transaction.atomic
def application_resume(*, application: Application, by: User, on: date | None = None, note: str = "") -> Application:
    """End a special procedure: the clock runs again from ``on`` (the pause covers the days before it)."""
    application = _lock(application)
    _require(
        is_window(by, application), _("Only the staff of %(d)s can restart the clock.") % {"d": application.department}
    )
    _require(
        workflow.allows("resume", application),
        _(
            "Only an application in a special procedure is resumed this way (this one is %(state)s); "
            "supplied materials restart a 补正."
        )
        % {"state": application.get_state_display()},
    )
    on = _day(on, application)
    _close_pause(application, on=on)
    before = application.state
    application.state = S.PROCESSING if application.assignee_id else S.ACCEPTED
    application.save(update_fields=["state"])
    recompute_clock(application)
    _step(application, by=by, action="resume", before=before, on=on, note=note)
    return application


@transaction.atomic
def application_complete(
    *,
    application: Application,
    by: User,
    outcome: str,
    certificate_no: str = "",
    reason: str = "",
    on: date | None = None,
) -> Application:
    """已办结: approved with a certificate number, or refused with a reason.

    An approval needs every promised (容缺) material supplied. The working days taken are counted from the day
    after acceptance to the completion day, pauses excluded; on time means not after the due date.
    """
    application = _lock(application)
    _require(
        is_window(by, application),
        _("Only the staff of %(d)s decide on this application.") % {"d": application.department},
    )
    _require(
        workflow.allows("complete", application),
        _("Only an accepted application being processed can be completed (this one is %(state)s).")
        % {"state": application.get_state_display()},
    )
    on = _day(on, application)
    if outcome == Application.Outcome.APPROVED:
        _require(bool(certificate_no.strip()), _("Give the number of the certificate or approval document."))
        waiting = list(application.materials.filter(status=M.PROMISED).values_list("material__name", flat=True))
        _require(
            not waiting,
            _("Promised materials are still awaited: %(m)s. Record them as supplied before approving.")
            % {"m": "、".join(waiting)},
        )
    else:
        _require(outcome == Application.Outcome.REFUSED, _("Choose approved or refused."))
        _require(bool(reason.strip()), _("Give the reason for the refusal."))
    before = application.state
    application.state = S.COMPLETED
    application.outcome = outcome
    application.certificate_no = certificate_no.strip() if outcome == Application.Outcome.APPROVED else ""
    application.reason = reason.strip() if outcome == Application.Outcome.REFUSED else ""
    application.completed_on = on
    clock = _store_clock(application, completed_on=on)
    application.working_days_used = clock.working_days_used
    application.on_time = clock.on_time
    application.save()
    _step(
        application,
        by=by,
        action="complete",
        before=before,
        on=on,
        note=application.certificate_no or application.reason,
    )
    _notify(
        _applicant_side_users(application),
        kind="approval",
        text=_("%(number)s is completed: %(outcome)s")
        % {"number": application.number, "outcome": application.get_outcome_display()},
        url=application_url(application),
        key=f"approval-completed-{application.pk}",
    )
    if application.bundle_id:
        bundle_refresh(application.bundle)
    return application


# --- Parallel approval ----------------------------------------------------------------------------------------


@transaction.atomic
def bundle_create(
    *,
    by: User,
    enterprise: Enterprise,
    name: str,
    items: Iterable[Item],
    started_on: date | None = None,
    subject: str = "",
) -> Bundle:
    """并联审批: one project's applications to several departments, filed together. ``subject`` names the record of
    another module it is opened for (``common.bundles.subject_key``, e.g. an investment project)."""
    items = list(items)
    _require(bool(name.strip()), _("Name the project."))
    _require(len(items) >= 2, _("A parallel approval bundles at least two items."))
    _require(len({i.pk for i in items}) == len(items), _("An item is listed twice."))
    started_on = _day(started_on)
    bundle = Bundle.objects.create(
        name=name.strip()[:120], enterprise=enterprise, created_by=by, started_on=started_on, subject=subject[:64]
    )
    for item in items:
        application_file(by=by, item=item, enterprise=enterprise, title=name, received_on=started_on, bundle=bundle)
    return bundle


@transaction.atomic
def bundle_refresh(bundle: Bundle) -> Bundle:
    """A bundle is complete when all its applications are done; its total counts from its first acceptance."""
    # Locked, so that two departments completing the last two applications at once do not each see the other's
    # still open: the second waits for the first to commit, then sees both done.
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    states = set(bundle.applications.values_list("state", flat=True))
    if states and states <= set(Application.DONE_STATES):
        span = bundle.applications.aggregate(first=Min("accepted_on"), last=Max("completed_on"))
        bundle.completed_on = span["last"]
        if span["first"] is not None:
            bundle.total_working_days = bundle_total(span["first"], span["last"])
        bundle.save(update_fields=["completed_on", "total_working_days"])
    return bundle
