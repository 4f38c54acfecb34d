"""Writes of the catalogue: items, their versions and materials, blank forms and samples."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.approvals.access import can_edit_catalogue
from hitechzone.approvals.models import (
    Item,
    ItemType,
    ItemVersion,
    Material,
    Mode,
)
from hitechzone.common.rules import Refused as Refused
from hitechzone.common.rules import require as _require
from hitechzone.zone.models import Department

from .base import ATTACHMENT_EXTENSIONS, ATTACHMENT_MAX_BYTES, MATERIAL_FIELDS, VERSION_FIELDS

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
