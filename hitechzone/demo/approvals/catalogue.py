"""The demo catalogue: the items, their blank forms and samples, revisions."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from xml.sax.saxutils import escape as xml_escape

from django.core.files.base import ContentFile
from django.utils import timezone

from hitechzone.accounts.models import User
from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Item,
    ItemVersion,
    Material,
)
from hitechzone.demo.catalogue import ITEMS
from hitechzone.zone.models import Department

from .base import LIMIT_CUTS, OPENED_ON, REVISED_ON, SHORTER_LIST, SUSPENDED

# --- The catalogue --------------------------------------------------------------------------------------------

# The lines of a demo blank form, with what the filled-in sample says.
FORM_LINES = (
    ("申请单位", "杭州示例新材料有限公司"),
    ("统一社会信用代码", "91330100MA2EXAMPLE"),
    ("法定代表人", "王某某"),
    ("联系人", "李某某"),
    ("联系电话", "0571-8888 0000"),
    ("项目名称", "年产 5000 吨电子级氟化液项目"),
    ("申请日期", "2025 年 3 月 18 日"),
    ("申请单位（盖章）", "（此处加盖单位公章）"),
)
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def demo_workbook(sheet: str, rows: list[tuple[str, ...]]) -> bytes:
    """A small one-sheet xlsx of text cells, the same bytes for the same rows.

    Written by hand (inline strings, no styles): openpyxl takes some 20 ms a workbook, and the demo's
    ~360 blank forms and samples would add seconds to its load.
    """

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(text)}</t></is></c>'

    lines = "".join(
        f'<row r="{r}">' + "".join(cell(f"{'AB'[c]}{r}", text) for c, text in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    parts = {
        **_XLSX_PARTS,
        "xl/workbook.xml": (
            f'<workbook xmlns="{_SPREADSHEET}" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{xml_escape(sheet[:31], {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_SPREADSHEET}"><cols><col min="1" max="1" width="24" customWidth="1"/>'
            f'<col min="2" max="2" width="48" customWidth="1"/></cols><sheetData>{lines}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 12, 16, 9, 0, 0)), _XML + xml, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _attachments(spec: dict, material: dict) -> dict[str, str]:
    """The blank form and the sample the catalogue marks for a material, stored under ``MEDIA_ROOT``.

    Each goes where an upload to version 1 would go (``approvals/forms/<code>/v1/…``); a file already there with
    the same bytes (an earlier load) is reused, so loading again writes nothing new.
    """
    storage = Material._meta.get_field("blank_form").storage
    title = f"{spec['name']}（{spec['code']}）"
    out = {}
    for key, folder, wanted, sheet, heading, filled in (
        ("blank_form", "forms", material["form"], "空白表", material["name"], False),
        ("sample", "samples", material["sample"], "填写样例", f"{material['name']}（填写样例）", True),
    ):
        if not wanted:
            continue
        rows = [(heading,), ("办理事项", title), ("项目", "填写内容")]
        rows += [(label, example if filled else "") for label, example in FORM_LINES]
        if filled:
            rows.append(("说明", "本样例仅供参考，请按实际情况填写。"))
        data = demo_workbook(sheet, rows)
        stem = storage.get_valid_name(material["name"])[:40]
        path = f"approvals/{folder}/{spec['code']}/v1/{stem}.xlsx"
        if storage.exists(path):
            with storage.open(path, "rb") as existing:
                if existing.read() == data:
                    out[key] = path
                    continue
        out[key] = storage.save(path, ContentFile(data), max_length=100)
    return out


def load_catalogue(report, *, by: User | None) -> None:
    """The 169 items through ``services.item_create``; the mid-2025 revisions and the suspension for new ones."""
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(Item.objects.filter(code__in=[spec["code"] for spec in ITEMS]).values_list("code", flat=True))
    new = [spec for spec in ITEMS if spec["code"] not in existing]
    if not new:
        return
    material_keys = ("name", "required", "tolerable", "original")
    attached = 0
    for spec in new:
        fields = {k: v for k, v in spec.items() if k not in ("code", "department", "materials")}
        materials = []
        for m in spec["materials"]:
            files = _attachments(spec, m)
            attached += len(files)
            materials.append({**{k: m[k] for k in material_keys}, **files})
        services.item_create(
            by=by, code=spec["code"], department=departments[spec["department"]], materials=materials, **fields
        )
    codes = [spec["code"] for spec in new]
    opened = datetime.combine(OPENED_ON, time(9), tzinfo=timezone.get_current_timezone())
    Item.objects.filter(code__in=codes).update(created_at=opened)
    ItemVersion.objects.filter(item__code__in=codes).update(created_at=opened)
    report.add("approval items", len(new))
    report.add("blank forms and samples", attached)

    created = {i.current.name: i for i in Item.objects.filter(code__in=codes).select_related("current")}
    revised = []
    for name, limit in LIMIT_CUTS.items():
        if name in created:
            revised.append(services.item_revise(item=created[name], by=by, note="压缩承诺时限", promised_limit=limit))
    if SHORTER_LIST in created:
        _fields, materials = services.version_snapshot(created[SHORTER_LIST].current)
        optional = [m for m in materials[1:] if not m["required"]] or materials[-1:]
        revised.append(
            services.item_revise(
                item=created[SHORTER_LIST],
                by=by,
                note="精简申请材料",
                materials=[m for m in materials if m is not optional[-1]],
            )
        )
    moment = datetime.combine(REVISED_ON, time(9), tzinfo=timezone.get_current_timezone())
    ItemVersion.objects.filter(pk__in=[v.pk for v in revised]).update(created_at=moment)
    report.add("item versions", len(revised))
    name, reason = SUSPENDED
    if name in created:
        services.item_set_status(item=created[name], by=by, status=Item.Status.SUSPENDED, reason=reason)
