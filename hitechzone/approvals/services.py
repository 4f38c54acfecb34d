"""Writes of M2 (the one-stop approval centre). Every rule lives here once.

Each function is keyword-only and runs in one transaction; each transition of an application records a
:class:`~hitechzone.approvals.models.Step` (who, when, from which state to which) — the audit trail records
the field changes. An action the rules do not allow raises :class:`Refused` with a message for the user, and
writes nothing.

Dates: ``on`` is the day the action happened (default today); history imports and the demo pass real dates.
It may not lie in the future, nor before the application's previous step.
"""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.common import audit
from hitechzone.common.calendar import add_working_days
from hitechzone.common.models import Notification, Source
from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch services.Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Enterprise
from hitechzone.zone.models import Department

from . import workflow
from .access import can_edit_catalogue, is_applicant_side, is_window, serves
from .clock import Clock, bundle_total, clock_of
from .models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Level,
    Material,
    Mode,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)

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


# --- The catalogue ----------------------------------------------------------------------------------------------


def _check_version_fields(fields: Mapping[str, object]) -> None:
    _require(bool(str(fields.get("name", "")).strip()), _("Give the item a name."))
    _require(fields.get("mode") in Mode.values, _("Choose one of the four delegation modes."))
    _require(fields.get("item_type") in ItemType.values, _("Choose the item type (immediate or commitment)."))
    statutory, promised = fields.get("statutory_limit"), fields.get("promised_limit")
    _require(
        isinstance(statutory, int) and isinstance(promised, int) and statutory >= 0 and promised >= 0,
        _("The statutory and promised limits are whole numbers of working days."),
    )
    _require(
        promised <= statutory,
        _("The promised limit (%(p)s working days) cannot exceed the statutory limit (%(s)s).")
        % {"p": promised, "s": statutory},
    )
    threshold, before = fields.get("yellow_threshold"), fields.get("pre_reform_days")
    _require(
        isinstance(threshold, int) and threshold >= 0 and (before is None or (isinstance(before, int) and before >= 0)),
        _("The yellow light threshold and the duration before the reform are whole numbers of working days."),
    )
    if fields["item_type"] == ItemType.IMMEDIATE:
        _require(
            promised == 0, _("An immediate item (即办件) is done on the day of acceptance: its promised limit is 0.")
        )
    else:
        _require(promised >= 1, _("A commitment item (承诺件) promises at least 1 working day."))


def _check_materials(materials: Iterable[Mapping[str, object]]) -> list[dict]:
    cleaned = []
    seen = set()
    for m in materials:
        name = str(m.get("name", "")).strip()
        _require(bool(name), _("Every material needs a name."))
        _require(name not in seen, _("The material %(name)s is listed twice.") % {"name": name})
        seen.add(name)
        required = bool(m.get("required", True))
        tolerable = bool(m.get("tolerable", False))
        _require(
            required or not tolerable,
            _("%(name)s: only a required material can be promised for later (容缺).") % {"name": name},
        )
        row = {"name": name, "required": required, "tolerable": tolerable, "original": bool(m.get("original", True))}
        # Files, when given: an upload (checked here) or the name of a file already stored (the demo, a carry-over).
        for key, label in (("blank_form", _("blank form")), ("sample", _("sample"))):
            value = m.get(key)
            if isinstance(value, File):
                _check_attachment(value, material=name, label=label)
            if value:
                row[key] = value
        cleaned.append(row)
    return cleaned


def _check_attachment(upload: File, *, material: str, label: str) -> None:
    """An attachment's type (by its extension), and its size: not empty, at most 10 MB."""
    filename = posixpath.basename(str(upload.name or "").replace("\\", "/"))
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    names = {"material": material, "label": label, "file": filename}
    _require(
        extension in ATTACHMENT_EXTENSIONS,
        _("%(material)s, %(label)s: %(file)s is not one of the accepted file types (%(types)s).")
        % {**names, "types": ", ".join(ATTACHMENT_EXTENSIONS)},
    )
    size = upload.size or 0
    _require(size > 0, _("%(material)s, %(label)s: %(file)s is empty.") % names)
    _require(
        size <= ATTACHMENT_MAX_BYTES,
        _("%(material)s, %(label)s: %(file)s is larger than %(mb)d MB.")
        % {**names, "mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
    )


def _new_version(item: Item, *, number: int, fields: Mapping[str, object], materials: list[dict], by, note: str):
    version = ItemVersion.objects.create(
        item=item, number=number, created_by=by, change_note=note, **{f: fields[f] for f in VERSION_FIELDS}
    )
    for position, m in enumerate(materials, start=1):
        Material.objects.create(
            version=version,
            position=position,
            name=m["name"],
            required=m["required"],
            tolerable=m["tolerable"],
            original=m["original"],
            blank_form=m.get("blank_form") or "",
            sample=m.get("sample") or "",
        )
    item.current = version
    item.save(update_fields=["current"])
    return version


def _version_defaults(fields: Mapping[str, object]) -> dict[str, object]:
    out = {"legal_basis": "", "fees": "", "pre_reform_days": None, "yellow_threshold": 1, **fields}
    out["name"] = str(out.get("name", "")).strip()
    return out


@transaction.atomic
def item_create(
    *, by, code: str, department: Department, materials: Iterable[Mapping[str, object]] = (), **fields
) -> Item:
    """Add an item to the catalogue, with its version 1."""
    _require(by is None or can_edit_catalogue(by, department.pk), _("You may not edit this department's items."))
    code = code.strip()
    _require(bool(code), _("Give the item a code."))
    _require(not Item.objects.filter(code=code).exists(), _("The item code %(code)s is taken.") % {"code": code})
    fields = _version_defaults(fields)
    _check_version_fields(fields)
    cleaned = _check_materials(materials)
    item = Item.objects.create(code=code, department=department)
    _new_version(item, number=1, fields=fields, materials=cleaned, by=by, note=_("Created"))
    return item


def version_snapshot(version: ItemVersion) -> tuple[dict, list[dict]]:
    fields = {f: getattr(version, f) for f in VERSION_FIELDS}
    materials = [
        {
            **{f: getattr(m, f) for f in MATERIAL_FIELDS},
            "blank_form": m.blank_form.name,
            "sample": m.sample.name,
        }
        for m in version.materials.all()
    ]
    return fields, materials


@transaction.atomic
def item_revise(
    *,
    item: Item,
    by,
    note: str = "",
    department: Department | None = None,
    materials: Iterable[Mapping[str, object]] | None = None,
    **changes,
) -> ItemVersion:
    """Edit an item: a new version with the changes; applications keep the version they were filed under.

    ``materials`` replaces the list (files carried over by name); ``None`` keeps the current list.
    Refused when nothing changes, or when the item is cancelled.
    """
    item = Item.objects.select_for_update(of=("self",)).select_related("current").get(pk=item.pk)
    _require(by is None or can_edit_catalogue(by, item.department_id), _("You may not edit this department's items."))
    _require(item.status != Item.Status.CANCELLED, _("A cancelled item cannot be edited."))
    unknown = set(changes) - set(VERSION_FIELDS)
    _require(not unknown, _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    fields, old_materials = version_snapshot(item.current)
    new_fields = _version_defaults({**fields, **changes})
    _check_version_fields(new_fields)
    if materials is None:
        new_materials = old_materials
    else:
        files = {m["name"]: m for m in old_materials}
        new_materials = []
        for m in _check_materials(materials):
            old = files.get(m["name"], {})
            new_materials.append({"blank_form": old.get("blank_form", ""), "sample": old.get("sample", ""), **m})
    moved = department is not None and department.pk != item.department_id
    if moved:
        _require(by is None or can_edit_catalogue(by, department.pk), _("You may not move items to that department."))
        item.department = department
        item.save(update_fields=["department"])
    _require(
        moved or new_fields != fields or _material_keys(new_materials) != _material_keys(old_materials),
        _("Nothing changed: no new version was made."),
    )
    return _new_version(
        item, number=item.current.number + 1, fields=new_fields, materials=new_materials, by=by, note=note.strip()
    )


def _material_keys(materials: list[dict]) -> list[tuple]:
    return [tuple(m[f] for f in MATERIAL_FIELDS) for m in materials]


@transaction.atomic
def material_attach(
    *,
    material: Material,
    by,
    blank_form: File | None = None,
    sample: File | None = None,
    remove_blank_form: bool = False,
    remove_sample: bool = False,
) -> Material:
    """Attach, replace or remove the blank form and the filled-in sample of a material of an item's current version.

    No new version is made: the material's content (what the applicant hands in) has not changed, only the help
    that comes with it; the audit trail records each file's name before and after. Only the materials of the
    current version take files: an earlier version's attachments are history. A file keeps its name (the storage
    adds a suffix when the name is taken); a replaced or removed file stays stored, since an earlier version may
    still point at it. Refused for a cancelled item, and for a file of another type, empty or over 10 MB.
    """
    found = Material.objects.filter(pk=material.pk).values_list("version__item_id", flat=True).first()
    _require(found is not None, _("This material does not exist."))
    item = Item.objects.select_for_update().get(pk=found)
    material = Material.objects.select_related("version").get(pk=material.pk)
    _require(by is None or can_edit_catalogue(by, item.department_id), _("You may not edit this department's items."))
    _require(item.status != Item.Status.CANCELLED, _("A cancelled item cannot be edited."))
    _require(
        material.version_id == item.current_id,
        _(
            "%(material)s belongs to version %(n)d, which is no longer current: the files of an earlier version "
            "are kept as they were. Attach the files to the current version."
        )
        % {"material": material.name, "n": material.version.number},
    )
    changes = (
        ("blank_form", blank_form, remove_blank_form, _("blank form")),
        ("sample", sample, remove_sample, _("sample")),
    )
    _require(
        any(upload is not None or remove for _field, upload, remove, _label in changes),
        _("Choose a file to attach, or a file to remove."),
    )
    for field, upload, remove, label in changes:
        names = {"material": material.name, "label": label}
        _require(
            not (upload is not None and remove),
            _("%(material)s, %(label)s: either attach a new file or remove the file, not both.") % names,
        )
        if remove:
            _require(bool(getattr(material, field)), _("%(material)s has no %(label)s to remove.") % names)
        if upload is not None:
            _check_attachment(upload, material=material.name, label=label)
    for field, upload, remove, _label in changes:
        if remove:
            setattr(material, field, "")
        elif upload is not None:
            filename = posixpath.basename(str(upload.name).replace("\\", "/"))
            getattr(material, field).save(filename, upload, save=False)
    material.save(update_fields=["blank_form", "sample"])
    return material


@transaction.atomic
def item_set_status(*, item: Item, by, status: str, reason: str = "") -> Item:
    """Suspend, resume or cancel an item. A cancelled item stays cancelled; open applications run on."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    _require(by is None or can_edit_catalogue(by, item.department_id), _("You may not edit this department's items."))
    _require(status in Item.Status.values, _("Unknown status."))
    _require(item.status != Item.Status.CANCELLED, _("A cancelled item cannot be changed."))
    _require(item.status != status, _("The item is %(status)s already.") % {"status": item.get_status_display()})
    if status != Item.Status.ACTIVE:
        _require(bool(reason.strip()), _("Give the reason for suspending or cancelling the item."))
    item.status, item.status_reason = status, reason.strip()
    item.save(update_fields=["status", "status_reason"])
    return item


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


def _created_in_bulk(model, objects: list, *, by, enterprise_id: int | None) -> None:
    """The audit records of objects written with ``bulk_create`` (which sends no signal): one creation each, with
    the fields a ``save()`` records, by the audit context's user (else ``by``), in the caller's transaction."""
    context = audit.current()
    user = (context.resolve_user() if context is not None else None) or by
    audit.bulk_events(
        model=model,
        rows=[
            (obj.pk, str(obj), enterprise_id, audit.AuditEvent.Action.CREATE, audit.diff(None, audit.snapshot(obj)))
            for obj in objects
        ],
        user=user,
        source=context.source if context is not None else Source.SYSTEM,
        batch=context.batch if context is not None else None,
    )


def _notify(users: Iterable[User], *, kind: str, text: str, url: str, key: str) -> None:
    for user in users:
        Notification.objects.get_or_create(user=user, key=key, defaults={"kind": kind, "text": text[:300], "url": url})


def _department_staff(department_id: int):
    return User.objects.filter(role=Role.DEPARTMENT, department_id=department_id, is_active=True)


def application_url(application: Application) -> str:
    return f"/approvals/applications/{application.pk}/"


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
    rows = ApplicationMaterial.objects.bulk_create(
        ApplicationMaterial(application=application, material_id=pk, status=M.PROVIDED if pk in provided else M.PENDING)
        for pk in version.materials.values_list("pk", flat=True)
    )
    _created_in_bulk(ApplicationMaterial, rows, by=by, enterprise_id=application.enterprise_id)
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
    users = list(User.objects.filter(role=Role.ENTERPRISE, enterprise_id=application.enterprise_id, is_active=True))
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
) -> Bundle:
    """并联审批: one project's applications to several departments, filed together."""
    items = list(items)
    _require(bool(name.strip()), _("Name the project."))
    _require(len(items) >= 2, _("A parallel approval bundles at least two items."))
    _require(len({i.pk for i in items}) == len(items), _("An item is listed twice."))
    started_on = _day(started_on)
    bundle = Bundle.objects.create(name=name.strip()[:120], enterprise=enterprise, created_by=by, started_on=started_on)
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
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True))
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
