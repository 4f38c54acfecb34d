"""The import of the catalogue (事项清单)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.approvals import services
from hitechzone.approvals.models import Item, ItemType
from hitechzone.common.deadlines import MAX_DAYS
from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.spreadsheets import clean_text, parse_int
from hitechzone.zone.models import Department

from .base import (
    ITEM_TYPES,
    MODES,
    STATUSES,
    _chunks,
    _fold,
    _material_keys,
    _require_admin,
    materials_text,
    one_line,
    parse_materials,
    same_text,
    text_block,
)

# --- The catalogue ----------------------------------------------------------------------------------------------

DAYS = partial(parse_int, minimum=0, maximum=MAX_DAYS)
FIELD_DEFAULTS = {"legal_basis": "", "fees": "", "pre_reform_days": None, "yellow_threshold": 1}
TEXT_FIELDS = ("name", "legal_basis", "fees")
IMPORTED = gettext_lazy("Imported")


class ItemKind(Kind):
    name = "approval-items"
    label = gettext_lazy("approval items")
    key = ("code",)
    columns = (
        Column("事项编码", "code", clean_text, required=True, aliases=("事项代码", "item code", "code"), width=16),
        Column("实施部门", "department", clean_text, required=True, aliases=("部门", "department"), width=20),
        Column("事项名称", "name", one_line, required=True, aliases=("item name", "name"), width=32),
        Column("下放方式", "mode", MODES.parse, required=True, aliases=("委托方式", "delegation mode", "mode")),
        Column("设定依据", "legal_basis", text_block, aliases=("法律依据", "legal basis"), width=36),
        Column("办件类型", "item_type", ITEM_TYPES.parse, required=True, aliases=("事项类型", "item type"), width=10),
        Column("法定时限(工作日)", "statutory_limit", DAYS, required=True, aliases=("法定时限", "statutory limit")),
        Column("承诺时限(工作日)", "promised_limit", DAYS, required=True, aliases=("承诺时限", "promised limit")),
        Column("收费标准", "fees", one_line, aliases=("收费", "fees"), width=16),
        Column(
            "改革前办理时长(工作日)",
            "pre_reform_days",
            DAYS,
            aliases=("改革前时长", "pre-reform duration", "pre-reform days"),
            width=20,
        ),
        Column("黄灯阈值(工作日)", "yellow_threshold", DAYS, aliases=("黄灯阈值", "yellow threshold"), width=16),
        Column("状态", "status", STATUSES.parse, aliases=("事项状态", "status"), width=8),
        Column("申请材料", "materials", parse_materials, aliases=("材料", "materials"), width=60),
    )

    def prepare(self, rows):
        self.departments: dict[str, Department] = {}
        departments = list(Department.objects.all())
        for attr in ("short_name", "name", "code"):  # a code, then a full name, wins over a short name
            for department in departments:
                if getattr(department, attr):
                    self.departments[_fold(getattr(department, attr))] = department
        self.items: dict[str, Item] = {}
        for chunk in _chunks({r["code"] for r in rows}):
            for item in (
                Item.objects.filter(code__in=chunk).select_related("current").prefetch_related("current__materials")
            ):
                self.items[item.code] = item

    def check_row(self, values, error):
        department = self.departments.get(_fold(values["department"]))
        if department is None:
            error("department", _("No department has the name or code “%(v)s”.") % {"v": values["department"]})
        if len(values["code"]) > 40:
            error("code", _("An item code has at most 40 characters."))
        item = self.items.get(values["code"])
        stored, stored_materials = services.version_snapshot(item.current) if item else ({}, [])
        fields = {}
        for f in services.VERSION_FIELDS:
            if f in values:
                fields[f] = values[f]
            elif item is not None:
                fields[f] = stored[f]
            else:
                fields[f] = FIELD_DEFAULTS.get(f)
        if fields["yellow_threshold"] is None:
            fields["yellow_threshold"] = FIELD_DEFAULTS["yellow_threshold"]
        if len(fields["name"]) > 100:
            error("name", _("An item name has at most 100 characters."))
        if len(fields["fees"] or "") > 200:
            error("fees", _("The fees have at most 200 characters."))
        statutory, promised = fields["statutory_limit"], fields["promised_limit"]
        if promised > statutory:
            error(
                "promised_limit",
                _("The promised limit (%(p)d working days) exceeds the statutory limit (%(s)d).")
                % {"p": promised, "s": statutory},
            )
        elif fields["item_type"] == ItemType.IMMEDIATE and promised != 0:
            error(
                "promised_limit",
                _("An immediate item (即办件) is done on the day of acceptance: its promised limit is 0, not %(p)d.")
                % {"p": promised},
            )
        elif fields["item_type"] == ItemType.COMMITMENT and promised < 1:
            error("promised_limit", _("A commitment item (承诺件) promises at least 1 working day."))
        materials = values.get("materials")
        status = values.get("status")
        if department is None:
            return
        if item is None:
            values["plan"] = {
                "action": "create",
                "department": department,
                "fields": fields,
                "materials": materials or [],
                "status": status if status and status != Item.Status.ACTIVE else None,
            }
            return
        changes = {}
        for f in services.VERSION_FIELDS:
            before, after = stored[f], fields[f]
            if f in TEXT_FIELDS and same_text(before, after):
                continue
            if before != after:
                changes[f] = after
        if materials is not None and _material_keys(materials) == _material_keys(stored_materials):
            materials = None
        moved = department.pk != item.department_id
        status = status if status and status != item.status else None
        if item.status == Item.Status.CANCELLED and (changes or materials is not None or moved or status):
            error(
                "status" if status else "",
                _("Item %(code)s is cancelled: it cannot be changed any more.") % {"code": item.code},
            )
            return
        values["plan"] = {
            "action": "revise" if changes or materials is not None or moved else "",
            "item": item,
            "department": department if moved else None,
            "changes": changes,
            "materials": materials,
            "status": status,
        }

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        _require_admin(batch)
        by = batch.user
        note = str(IMPORTED)
        counts = Counts()
        total = max(len(rows), 1)
        for i, row in enumerate(rows):
            plan = row["plan"]
            if plan["action"] == "create":
                item = services.item_create(
                    by=by,
                    code=row["code"],
                    department=plan["department"],
                    materials=plan["materials"],
                    **plan["fields"],
                )
                counts.created += 1
            else:
                item = plan["item"]
                if plan["action"] == "revise":
                    services.item_revise(
                        item=item,
                        by=by,
                        note=note,
                        department=plan["department"],
                        materials=plan["materials"],
                        **plan["changes"],
                    )
                if plan["action"] or plan["status"]:
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            if plan["status"]:
                services.item_set_status(item=item, by=by, status=plan["status"], reason=note)
            if i % 50 == 0:
                progress(62 + int(33 * i / total), "")
        return counts

    def example_rows(self):
        return [
            [
                "330800-FGW-001",
                "市发展和改革委员会",
                "企业投资项目备案",
                "委托授权",
                "《企业投资项目核准和备案管理条例》第十三条",
                "承诺件",
                20,
                5,
                "不收费",
                60,
                1,
                "正常",
                "项目备案申请表|必需|原件；营业执照|必需|复印件；环评批复|必需|容缺|原件",
            ]
        ]

    def export_rows(self, queryset) -> Iterator[list]:
        """Rows in the columns above: an export imports back without a change."""
        for item in (
            queryset.select_related("department", "current")
            .prefetch_related("current__materials")
            .order_by("department__sort_order", "department__code", "code")
        ):
            v = item.current
            yield [
                item.code,
                item.department.name,
                v.name,
                MODES.name(v.mode),
                v.legal_basis,
                ITEM_TYPES.name(v.item_type),
                v.statutory_limit,
                v.promised_limit,
                v.fees,
                v.pre_reform_days,
                v.yellow_threshold,
                STATUSES.name(item.status),
                materials_text(v.materials.all()),
            ]
