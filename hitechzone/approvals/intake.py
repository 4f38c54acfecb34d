"""Workbook kinds of the approval centre: ``approval-items`` (the catalogue) and ``approval-history`` (办件历史).

Both follow the intake framework (``hitechzone.common.intake``): every row is checked first, every bad row is
reported with its cell, and the rows are written all together in one transaction or not at all. Only
administrators import (the import pages and the API are theirs; a write by anyone else is refused).

The catalogue, one row per item
    事项编码 (key), 实施部门 (code, name or short name), 事项名称, 下放方式 (委托授权 / 管辖授权 / 见章跟章 /
    委托办理, or ``entrusted`` / ``jurisdiction`` / ``seal_follow`` / ``agency``), 设定依据, 办件类型 (即办件 /
    承诺件, or ``immediate`` / ``commitment``), 法定时限 and 承诺时限 (working days), 收费标准, 改革前办理时长
    (working days), 黄灯阈值 (working days, blank → 1), 状态 (正常 / 暂停 / 取消, or ``active`` /
    ``suspended`` / ``cancelled``), 申请材料.

    A new code creates the item (``services.item_create``); a known code whose fields, materials or department
    differ gets a new version (``services.item_revise``, note "Imported"); an identical row changes nothing.
    Text compares as the intake reads it (full-width and half-width forms, runs of spaces), so that an export
    imports back without a single change. The status column is applied with ``services.item_set_status``
    (reason "Imported"). A blank status or materials cell, or a column the workbook leaves out, keeps what is
    stored (a new item: active, no materials).

Materials, all in one cell (:func:`parse_materials`)
    Entries are separated by line breaks or semicolons (``；`` or ``;``). An entry is the material's name
    followed by marks, each after a ``|`` (or ``｜``), in any order::

        项目备案申请表|必需|原件；营业执照|必需|复印件；环评批复|必需|容缺|原件

    Marks (case and width do not matter):
        required   必需 必须 必要 必交 必报 · required mandatory
        optional   可选 非必需 选交 选报 选填 · optional
        容缺        容缺 可容缺 · tolerable deferrable later   (only a required material may be 容缺)
        original   原件 · original
        copy       复印件 复印 副本 复制件 · copy
    A mark left out takes the default: required, not 容缺, original. ``营业执照`` alone is a required original.

History, one row per application (办件历史)
    办件编号 (blank: one is generated, ``LS<received>-<batch>-<n>``), 事项编码, 事项版本 (blank: the version
    in force on the day of receipt — the latest created on or before it — else the current one), 申请企业
    (USCC or exact name), 收件日期, 受理日期 (blank: never accepted), 办结日期, 办理结果 (准予许可 / 不予许可 /
    不予受理, or ``approved`` / ``refused`` / ``rejected``), 证照编号, 原因, 暂停时段, 代办员账号 (a service
    officer's username), 办件标题.

    Pauses, one cell: entries separated by ``,`` ``;`` ``、`` or line breaks, each an optional kind and two
    dates, both inclusive: ``专家评审 2025-03-01:2025-03-10; 2025-04-01:2025-04-03``. The kind is one of 补正
    (the default), 专家评审, 听证, 检验检测, 现场勘查, 公示 (or ``correction``, ``expert_review`` …); the dates
    may also be separated by ``~``, ``至`` or ``到``. An application still running may end with an open pause
    (``专家评审 2025-03-01:``): it is then in that pause.

    Rows are written in bulk (``historical=True``) with the clock computed by
    :class:`hitechzone.common.deadlines.BulkClock` — due date, provisional flag, yellow date, paused working
    days, working days taken, on time — exactly as the services compute it for live applications; one step
    per known date (filed, accepted, completed or declined) and an audit record per application and pause.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from functools import lru_cache, partial

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.common import audit
from hitechzone.common.bulk import bulk_insert
from hitechzone.common.calendar import MAX_YEAR, MIN_YEAR
from hitechzone.common.deadlines import MAX_DAYS, BulkClock, check_year, to_ordinals
from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.models import AuditEvent, ImportBatch, Source
from hitechzone.common.spreadsheets import CellError, clean_text, parse_date, parse_int
from hitechzone.enterprises.intake import name_key
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.uscc import normalise
from hitechzone.zone.models import Department

from . import services
from .models import Application, Item, ItemType, ItemVersion, Mode, Pause, Step

CHUNK = 5000
S = Application.State
Outcome = Application.Outcome
REJECTED = "rejected"  # 不予受理: an outcome in the workbook, a state in the database


def _fold(text: str) -> str:
    """How a choice or a mark is compared: NFKC, no spaces, underscores or hyphens, lower case."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", str(text))).lower()


def _require_admin(batch: ImportBatch) -> None:
    user = batch.user
    if user is not None and user.effective_role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators import into the approval centre."))


# --- Cells ------------------------------------------------------------------------------------------------------


class Choices:
    """A closed list of values, read from its key, its Chinese name or an English word; written in Chinese."""

    def __init__(self, what, names: dict[str, str], words: dict[str, Iterable[str]] | None = None):
        self.what = what
        self.names = names  # value → the Chinese name the export writes
        self.table: dict[str, str] = {}
        for value, name in names.items():
            self.table[_fold(value)] = value
            self.table[_fold(name)] = value
        for value, others in (words or {}).items():
            for word in others:
                self.table[_fold(word)] = value

    def parse(self, cell) -> str | None:
        text = clean_text(cell)
        if not text:
            return None
        found = self.table.get(_fold(text))
        if found is not None:
            return found
        # A label such as "Entrusted authorisation (委托授权)": the one Chinese name it contains.
        inside = {value for value, name in self.names.items() if name in text}
        if len(inside) == 1:
            return inside.pop()
        raise CellError(
            _("“%(v)s” is not a %(what)s: write one of %(choices)s.")
            % {"v": text, "what": self.what, "choices": "、".join(self.names.values())}
        )

    def name(self, value: str) -> str:
        return self.names.get(value, value)


MODES = Choices(
    gettext_lazy("delegation mode"),
    {
        Mode.ENTRUSTED: "委托授权",
        Mode.JURISDICTION: "管辖授权",
        Mode.SEAL_FOLLOW: "见章跟章",
        Mode.AGENCY: "委托办理",
    },
    {
        Mode.ENTRUSTED: ("entrusted authorisation", "entrusted authorization"),
        Mode.JURISDICTION: ("jurisdiction authorisation", "jurisdiction authorization"),
        Mode.SEAL_FOLLOW: ("seal follows seal", "seal follow"),
        Mode.AGENCY: ("entrusted handling",),
    },
)
ITEM_TYPES = Choices(
    gettext_lazy("item type"),
    {ItemType.IMMEDIATE: "即办件", ItemType.COMMITMENT: "承诺件"},
    {ItemType.IMMEDIATE: ("即办",), ItemType.COMMITMENT: ("承诺",)},
)
STATUSES = Choices(
    gettext_lazy("status"),
    {Item.Status.ACTIVE: "正常", Item.Status.SUSPENDED: "暂停", Item.Status.CANCELLED: "取消"},
    {
        Item.Status.ACTIVE: ("在用", "有效", "启用", "恢复"),
        Item.Status.SUSPENDED: ("已暂停", "暂停办理"),
        Item.Status.CANCELLED: ("已取消", "注销", "canceled"),
    },
)
OUTCOMES = Choices(
    gettext_lazy("outcome"),
    {Outcome.APPROVED: "准予许可", Outcome.REFUSED: "不予许可", REJECTED: "不予受理"},
    {
        Outcome.APPROVED: ("准予", "批准", "同意", "通过", "approve"),
        Outcome.REFUSED: ("不予批准", "不批准", "不同意", "refuse", "denied"),
        REJECTED: ("not accepted", "reject", "declined"),
    },
)
PAUSE_KINDS = Choices(
    gettext_lazy("kind of pause"),
    {
        Pause.Kind.CORRECTION: "补正",
        Pause.Kind.EXPERT_REVIEW: "专家评审",
        Pause.Kind.HEARING: "听证",
        Pause.Kind.TESTING: "检验检测",
        Pause.Kind.SITE_SURVEY: "现场勘查",
        Pause.Kind.PUBLIC_NOTICE: "公示",
    },
    {
        Pause.Kind.CORRECTION: ("补正材料", "补齐补正"),
        Pause.Kind.EXPERT_REVIEW: ("评审", "专家论证", "expert review"),
        Pause.Kind.TESTING: ("检测", "检验", "检验检疫", "test", "inspection"),
        Pause.Kind.SITE_SURVEY: ("勘查", "现场勘察", "现场核查", "site survey"),
        Pause.Kind.PUBLIC_NOTICE: ("公告", "public notice"),
    },
)


def one_line(cell) -> str:
    """Text as given (no width folding: stored names keep their full-width brackets), spaces trimmed and folded."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def text_block(cell) -> str:
    """Text over several lines (a legal basis, a reason) as given; each line's ends and blank edges trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    lines = [line.strip() for line in str(cell).splitlines()]
    return "\n".join(lines).strip("\n")


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same once read as the intake reads cells (width, spaces, line breaks)."""
    return clean_text(a or "") == clean_text(b or "")


_MATERIAL_ENTRIES = re.compile(r"[\r\n;；]+")
_MATERIAL_PARTS = re.compile(r"[|｜]")
_MARKS: dict[str, tuple[str, bool]] = {}
for _words, _attr, _value in (
    (("必需", "必须", "必要", "必交", "必报", "必备", "required", "mandatory", "req"), "required", True),
    (("可选", "非必需", "选交", "选报", "选填", "optional", "opt"), "required", False),
    (("容缺", "可容缺", "容缺受理", "tolerable", "deferrable", "later"), "tolerable", True),
    (("原件", "original", "orig"), "original", True),
    (("复印件", "复印", "副本", "复制件", "copy"), "original", False),
):
    for _word in _words:
        _MARKS[_fold(_word)] = (_attr, _value)
MARKS_HELP = "必需/可选、容缺、原件/复印件 (required/optional, tolerable, original/copy)"
MATERIAL_NAME_MAX = 120


def parse_materials(cell) -> list[dict] | None:
    """The materials cell → ``[{name, required, tolerable, original}]`` in order; ``None`` for a blank cell."""
    if cell is None or not str(cell).strip():
        return None
    materials: list[dict] = []
    problems: list[str] = []
    seen: set[str] = set()
    entries = [e for e in _MATERIAL_ENTRIES.split(str(cell)) if e.strip()]
    for n, entry in enumerate(entries, start=1):
        name, *marks = (one_line(part) for part in _MATERIAL_PARTS.split(entry))
        where = _("material %(n)d “%(entry)s”") % {"n": n, "entry": one_line(entry)}
        if not name:
            problems.append(_("%(where)s has no name before its marks") % {"where": where})
            continue
        material = {"name": name, "required": True, "tolerable": False, "original": True}
        given: dict[str, bool] = {}
        for mark in marks:
            if not mark:
                continue
            found = _MARKS.get(_fold(mark))
            if found is None:
                problems.append(
                    _("%(where)s: “%(mark)s” is not a mark (use %(marks)s)")
                    % {"where": where, "mark": mark, "marks": MARKS_HELP}
                )
                continue
            attr, value = found
            if given.get(attr, value) != value:
                problems.append(_("%(where)s: “%(mark)s” contradicts an earlier mark") % {"where": where, "mark": mark})
                continue
            given[attr] = material[attr] = value
        if material["tolerable"] and not material["required"]:
            problems.append(_("%(where)s: only a required material can be 容缺") % {"where": where})
        if len(name) > MATERIAL_NAME_MAX:
            problems.append(
                _("%(where)s: the name is longer than %(n)d characters") % {"where": where, "n": MATERIAL_NAME_MAX}
            )
        key = clean_text(name)
        if key in seen:
            problems.append(_("%(where)s is listed twice") % {"where": where})
        seen.add(key)
        materials.append(material)
    if problems:
        raise CellError("；".join(problems))
    return materials


def materials_text(materials: Iterable) -> str:
    """The materials cell for a list of materials (objects or dicts), in the grammar :func:`parse_materials` reads."""
    entries = []
    for m in materials:
        get = m.get if isinstance(m, dict) else partial(getattr, m)
        marks = ["必需" if get("required") else "可选"]
        if get("tolerable"):
            marks.append("容缺")
        marks.append("原件" if get("original") else "复印件")
        entries.append("|".join([get("name"), *marks]))
    return "；".join(entries)


def _material_keys(materials: Iterable[dict]) -> list[tuple]:
    return [(clean_text(m["name"]), m["required"], m["tolerable"], m["original"]) for m in materials]


_PAUSE_ENTRIES = re.compile(r"[\r\n,;、]+")
_DATE = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
_PAUSE = re.compile(rf"^(?P<kind>.*?)\s*(?P<start>{_DATE})\s*(?:[:~至到—–]|-)\s*(?P<end>{_DATE})?$")


def parse_pauses(cell) -> list[tuple[str, date, date | None]]:
    """The pauses cell → ``[(kind, first day, last day or None)]`` sorted by first day; ``[]`` for a blank cell."""
    if cell is None or not str(cell).strip():
        return []
    text = unicodedata.normalize("NFKC", str(cell))
    pauses = []
    problems = []
    for entry in (e.strip() for e in _PAUSE_ENTRIES.split(text)):
        if not entry:
            continue
        match = _PAUSE.match(entry)
        if match is None:
            problems.append(
                _("“%(entry)s” is not a pause: write [kind] YYYY-MM-DD:YYYY-MM-DD, e.g. 专家评审 2025-03-01:2025-03-10")
                % {"entry": entry}
            )
            continue
        kind_text = match["kind"].strip(" :")
        try:
            kind = PAUSE_KINDS.parse(kind_text) if kind_text else Pause.Kind.CORRECTION
            start = parse_date(match["start"])
            end = parse_date(match["end"]) if match["end"] else None
            for day in (start, end):
                if day is not None:
                    check_year(day)
        except (CellError, ValueError) as exc:
            problems.append(f"{entry}: {exc}")
            continue
        if end is not None and end < start:
            problems.append(
                _("%(entry)s: a pause cannot end (%(end)s) before it starts (%(start)s)")
                % {"entry": entry, "start": start, "end": end}
            )
            continue
        pauses.append((kind, start, end))
    if problems:
        raise CellError("；".join(problems))
    return sorted(pauses, key=lambda p: (p[1], p[2] or date.max))


def pauses_text(pauses: Iterable[Pause]) -> str:
    return "; ".join(
        f"{PAUSE_KINDS.name(p.kind)} {p.started_on.isoformat()}:{p.ended_on.isoformat() if p.ended_on else ''}"
        for p in sorted(pauses, key=lambda p: (p.started_on, p.pk or 0))
    )


def _chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


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


# --- History ----------------------------------------------------------------------------------------------------

NUMBER_MAX = 24
TITLE_MAX = 120
CERTIFICATE_MAX = 60


class HistoryKind(Kind):
    name = "approval-history"
    label = gettext_lazy("application history")
    key = ("number_key",)  # blank numbers are generated: each blank is its own key
    key_columns = ("number",)
    columns = (
        Column("办件编号", "number", clean_text, aliases=("申请编号", "application number", "number"), width=24),
        Column("事项编码", "item_code", clean_text, required=True, aliases=("事项代码", "item code"), width=16),
        Column("事项版本", "version_number", partial(parse_int, minimum=1), aliases=("版本", "version"), width=8),
        Column(
            "申请企业",
            "enterprise",
            one_line,
            required=True,
            aliases=("企业", "申请单位", "统一社会信用代码", "企业名称", "enterprise"),
            width=30,
        ),
        Column("收件日期", "received_on", parse_date, required=True, aliases=("接件日期", "申请日期", "received on")),
        Column("受理日期", "accepted_on", parse_date, aliases=("accepted on",)),
        Column("办结日期", "completed_on", parse_date, aliases=("completed on",)),
        Column("办理结果", "outcome", OUTCOMES.parse, aliases=("结果", "outcome"), width=10),
        Column("证照编号", "certificate_no", clean_text, aliases=("证书编号", "批文编号", "certificate"), width=22),
        Column("原因", "reason", text_block, aliases=("理由", "不予许可原因", "不予受理原因", "reason"), width=30),
        Column("暂停时段", "pauses", parse_pauses, aliases=("暂停", "pauses"), width=36),
        Column("代办员账号", "agent", clean_text, aliases=("代办员", "代办", "agent"), width=12),
        Column("办件标题", "title", one_line, aliases=("标题", "项目名称", "title"), width=30),
    )

    def prepare(self, rows):
        self.today = timezone.localdate()
        codes = {r["item_code"] for r in rows}
        self.items: dict[str, tuple[int, int, int]] = {}  # code → (id, department id, current version id)
        self.versions: dict[int, list[tuple]] = defaultdict(list)  # item id → [(number, id, created, limit, yellow)]
        for chunk in _chunks(codes):
            for pk, code, department_id, current_id in Item.objects.filter(code__in=chunk).values_list(
                "id", "code", "department_id", "current_id"
            ):
                self.items[code] = (pk, department_id, current_id)
            for item_id, pk, number, created_at, limit, yellow in (
                ItemVersion.objects.filter(item__code__in=chunk)
                .order_by("item_id", "number")
                .values_list("item_id", "id", "number", "created_at", "promised_limit", "yellow_threshold")
            ):
                self.versions[item_id].append((number, pk, timezone.localdate(created_at), limit, yellow))
        texts = {r["enterprise"] for r in rows}
        codes = {normalise(t) for t in texts}
        self.by_uscc: dict[str, int] = {}
        for chunk in _chunks(codes):
            self.by_uscc.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
        names = {variant for t in texts for variant in (t, clean_text(t), t.replace("(", "（").replace(")", "）"))}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for chunk in _chunks(names):
            for pk, name in Enterprise.objects.filter(name__in=chunk).values_list("id", "name"):
                self.by_name[name_key(name)].add(pk)
        usernames = {r["agent"] for r in rows if r.get("agent")}
        self.agents = {
            username: (pk, role, superuser)
            for username, pk, role, superuser in User.objects.filter(username__in=usernames).values_list(
                "username", "id", "role", "is_superuser"
            )
        }
        self.numbers: set[str] = set()
        for chunk in _chunks({r["number"] for r in rows if r.get("number")}):
            self.numbers.update(Application.objects.filter(number__in=chunk).values_list("number", flat=True))

    def check_row(self, values, error):
        number = values.get("number") or ""
        values["number_key"] = number or object()
        if len(number) > NUMBER_MAX:
            error("number", _("An application number has at most %(n)d characters.") % {"n": NUMBER_MAX})
        elif number in self.numbers:
            error("number", _("Application %(n)s exists already.") % {"n": number})
        self._check_item(values, error)
        self._check_enterprise(values, error)
        self._check_dates(values, error)
        agent = values.get("agent")
        values["agent_id"] = None
        if agent:
            found = self.agents.get(agent)
            if found is None:
                error("agent", _("No user is called “%(u)s”.") % {"u": agent})
            elif found[1] != Role.OFFICER or found[2]:
                error(
                    "agent", _("%(u)s is not a service officer: only an officer acts as agent (代办).") % {"u": agent}
                )
            else:
                values["agent_id"] = found[0]
        for f, limit in (("title", TITLE_MAX), ("certificate_no", CERTIFICATE_MAX)):
            if len(values.get(f) or "") > limit:
                error(f, _("At most %(n)d characters.") % {"n": limit})

    def _check_item(self, values, error) -> None:
        item = self.items.get(values["item_code"])
        if item is None:
            error("item_code", _("No item has the code “%(code)s”.") % {"code": values["item_code"]})
            return
        item_id, department_id, current_id = item
        versions = self.versions[item_id]
        wanted = values.get("version_number")
        if wanted:
            chosen = next((v for v in versions if v[0] == wanted), None)
            if chosen is None:
                error(
                    "version_number",
                    _("Item %(code)s has no version %(n)d (it has versions 1 to %(last)d).")
                    % {"code": values["item_code"], "n": wanted, "last": versions[-1][0] if versions else 0},
                )
                return
        elif not versions:
            error("item_code", _("Item %(code)s has no version yet.") % {"code": values["item_code"]})
            return
        else:
            in_force = [v for v in versions if v[2] <= values["received_on"]]
            current = [v for v in versions if v[1] == current_id] or versions[-1:]
            chosen = in_force[-1] if in_force else current[0]
        values["item_id"], values["department_id"] = item_id, department_id
        values["version_id"], values["limit_days"], values["yellow_threshold"] = chosen[1], chosen[3], chosen[4]

    def _check_enterprise(self, values, error) -> None:
        text = values["enterprise"]
        values["enterprise_id"] = self.by_uscc.get(normalise(text))
        if values["enterprise_id"] is not None:
            return
        found = self.by_name.get(name_key(text), set())
        if len(found) == 1:
            values["enterprise_id"] = next(iter(found))
        elif found:
            error("enterprise", _("Several enterprises are called “%(v)s”: give the USCC.") % {"v": text})
        else:
            error("enterprise", _("No enterprise has the USCC or the name “%(v)s”.") % {"v": text})

    def _check_dates(self, values, error) -> None:
        received, accepted, completed = values["received_on"], values.get("accepted_on"), values.get("completed_on")
        outcome, pauses = values.get("outcome"), values.get("pauses") or []
        bad = False
        for f in ("received_on", "accepted_on", "completed_on"):
            day = values.get(f)
            if day is None:
                continue
            try:
                check_year(day)
            except ValueError as exc:
                error(f, str(exc))
                bad = True
                continue
            if day > self.today:
                error(f, _("%(d)s is in the future.") % {"d": day})
                bad = True
        if accepted and accepted < received:
            error(
                "accepted_on",
                _("The acceptance (%(a)s) comes before the receipt (%(r)s).") % {"a": accepted, "r": received},
            )
            bad = True
        if outcome == REJECTED:
            if accepted:
                error("accepted_on", _("An application not accepted (不予受理) has no acceptance date."))
            if completed is None:
                error("completed_on", _("Give the day it was declined (不予受理) as its completion date."))
            elif completed < received:
                error(
                    "completed_on",
                    _("It was declined (%(c)s) before it was received (%(r)s).") % {"c": completed, "r": received},
                )
            if not values.get("reason"):
                error("reason", _("Give the reason for not accepting it."))
        elif outcome:
            if accepted is None:
                error("accepted_on", _("A decided application was accepted first: give the acceptance date."))
            if completed is None:
                error("completed_on", _("A decided application has a completion date."))
            elif accepted and completed < accepted:
                error(
                    "completed_on",
                    _("The completion (%(c)s) comes before the acceptance (%(a)s).") % {"c": completed, "a": accepted},
                )
                bad = True
            if outcome == Outcome.APPROVED and not values.get("certificate_no"):
                error("certificate_no", _("An approval has the number of its certificate or approval document."))
            if outcome == Outcome.REFUSED and not values.get("reason"):
                error("reason", _("Give the reason for the refusal."))
        elif completed:
            error("outcome", _("A completed application has its outcome: 准予许可, 不予许可 or 不予受理."))
        if values.get("certificate_no") and outcome != Outcome.APPROVED:
            error("certificate_no", _("Only an approved application has a certificate number."))
        if values.get("reason") and outcome == Outcome.APPROVED:
            error("reason", _("An approved application has no reason for a refusal."))
        if not pauses or bad:
            return
        if accepted is None:
            error("pauses", _("The clock stops only after acceptance: give the acceptance date or remove the pauses."))
            return
        for position, (_kind, start, end) in enumerate(pauses):
            span = f"{start}:{end or ''}"
            if start <= accepted:
                error(
                    "pauses",
                    _("The pause %(p)s starts on or before the acceptance (%(a)s): the clock runs from the day after.")
                    % {"p": span, "a": accepted},
                )
            elif max(start, end or start) > self.today:
                error("pauses", _("The pause %(p)s lies in the future.") % {"p": span})
            elif completed and (end or start) > completed:
                error("pauses", _("The pause %(p)s ends after the completion (%(c)s).") % {"p": span, "c": completed})
            elif end is None and (completed or outcome):
                error("pauses", _("The pause %(p)s has no last day, but the application is done.") % {"p": span})
            elif end is None and position != len(pauses) - 1:
                error("pauses", _("Only the last pause may be open (without a last day): %(p)s.") % {"p": span})

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        _require_admin(batch)
        if not rows:
            return Counts()
        with _collector_paused():
            return self._write(rows, batch=batch, progress=progress)

    # The applications and their pauses go in by COPY; their audit records too (bulk_insert of AuditEvent rows).
    @audit.bulk_write(Application, Pause)
    def _write(self, rows, *, batch, progress: Progress) -> Counts:
        progress(63, _("Computing the clock"))
        clock = self._clock(rows)
        now = timezone.now()
        given = {r["number"] for r in rows if r.get("number")}
        generated = 0
        applications = []
        for i, row in enumerate(rows):
            number = row.get("number")
            while not number or (number in given and not row.get("number")):
                generated += 1  # unique by the batch's id; a number the file gives is skipped
                number = f"LS{row['received_on']:%Y%m%d}-{batch.pk}-{generated}"
            outcome = row.get("outcome")
            applications.append(
                {
                    "number": number,
                    "item_id": row["item_id"],
                    "version_id": row["version_id"],
                    "department_id": row["department_id"],
                    "enterprise_id": row["enterprise_id"],
                    "bundle_id": None,
                    "title": row.get("title") or "",
                    "applicant_id": row["agent_id"],
                    "agent_id": row["agent_id"],
                    "assignee_id": None,
                    "state": _state(row),
                    "received_on": row["received_on"],
                    "accepted_on": row.get("accepted_on"),
                    "completed_on": row.get("completed_on"),
                    "limit_days": row["limit_days"],
                    "yellow_threshold": row["yellow_threshold"],
                    "due_on": None,
                    "due_provisional": False,
                    "yellow_on": None,
                    "paused_working_days": 0,
                    "working_days_used": None,
                    "on_time": None,
                    "outcome": outcome if outcome in (Outcome.APPROVED, Outcome.REFUSED) else "",
                    "certificate_no": row.get("certificate_no") or "",
                    "reason": row.get("reason") or "",
                    "historical": True,
                    "red_notified": False,
                    "created_at": now,
                    **clock.get(i, {}),
                }
            )
        progress(70, _("Writing the applications"))
        bulk_insert(Application, applications)
        ids = {}
        for chunk in _chunks(a["number"] for a in applications):
            ids.update(Application.objects.filter(number__in=chunk).values_list("number", "id"))
        for a in applications:
            a["id"] = ids[a["number"]]
        progress(78, _("Writing the pauses and the steps"))
        pauses = [
            {"application_id": a["id"], "kind": kind, "started_on": start, "ended_on": end, "reason": ""}
            for a, row in zip(applications, rows, strict=True)
            for kind, start, end in row.get("pauses") or []
        ]
        bulk_insert(Pause, pauses)
        steps = [step for a, row in zip(applications, rows, strict=True) for step in _steps(a, row)]
        bulk_insert(Step, steps)
        progress(86, _("Recording the audit trail"))
        enterprise_of = {a["id"]: a["enterprise_id"] for a in applications}
        events = [(a["id"], a["number"], a["enterprise_id"], a) for a in applications]
        paused_ids = sorted({p["application_id"] for p in pauses})
        for chunk in _chunks(paused_ids):
            for pause in Pause.objects.filter(application_id__in=chunk).values():
                label = f"{pause['application_id']} {pause['kind']} {pause['started_on']}–{pause['ended_on'] or ''}"
                events.append((pause["id"], label, enterprise_of[pause["application_id"]], pause))
        bulk_insert(AuditEvent, audit_rows(events, batch=batch, applications=len(applications)))
        progress(95, "")
        return Counts(created=len(applications))

    @staticmethod
    def _clock(rows: list[dict]) -> dict[int, dict]:
        """The stored clock fields of every accepted row, by row index: one vectorised pass over all of them."""
        accepted = [i for i, r in enumerate(rows) if r.get("accepted_on")]
        if not accepted:
            return {}
        position = {row_index: k for k, row_index in enumerate(accepted)}
        acc = to_ordinals(rows[i]["accepted_on"] for i in accepted)
        limits = np.array([rows[i]["limit_days"] for i in accepted], dtype=np.int64)
        thresholds = np.array([rows[i]["yellow_threshold"] for i in accepted], dtype=np.int64)
        done = np.array(
            [(rows[i].get("completed_on") or rows[i]["accepted_on"]).toordinal() for i in accepted], dtype=np.int64
        )
        pause_app, pause_start, pause_end = [], [], []
        for i in accepted:
            for _kind, start, end in rows[i].get("pauses") or []:
                if end is not None:  # an open pause does not move the stored due date until it closes
                    pause_app.append(position[i])
                    pause_start.append(start.toordinal())
                    pause_end.append(end.toordinal())
        pause_app = np.array(pause_app, dtype=np.int64)
        pause_start = np.array(pause_start, dtype=np.int64)
        pause_end = np.array(pause_end, dtype=np.int64)
        last_pause = acc.copy()
        if len(pause_app):
            np.maximum.at(last_pause, pause_app, pause_end)
        # The due date lies at most `limit` working days after the acceptance or the last pause: a calendar
        # twice as long, plus the longest holidays, is enough.
        reach = int((np.maximum(last_pause, done) + 2 * limits + 60).max())
        first_year = max(MIN_YEAR, date.fromordinal(int(acc.min())).year - 1)
        last_year = min(MAX_YEAR, max(date.fromordinal(reach).year, timezone.localdate().year))
        clock = BulkClock(first_year, last_year)
        due, provisional = clock.due_dates(acc, limits, pause_app, pause_start, pause_end)
        yellow = clock.yellow_from(due, thresholds)
        paused = (
            clock.counted(acc, last_pause)[0] - clock.counted(acc, last_pause, pause_app, pause_start, pause_end)[0]
        )
        used = clock.counted(acc, done, pause_app, pause_start, pause_end)[0]
        out = {}
        for k, i in enumerate(accepted):
            fields = {
                "due_on": date.fromordinal(int(due[k])),
                "due_provisional": bool(provisional[k]),
                "yellow_on": date.fromordinal(int(yellow[k])),
                "paused_working_days": int(paused[k]),
            }
            if rows[i].get("outcome") in (Outcome.APPROVED, Outcome.REFUSED):
                fields["working_days_used"] = int(used[k])
                fields["on_time"] = bool(done[k] <= due[k])
            out[i] = fields
        return out

    def example_rows(self):
        return [
            [
                "",
                "330800-FGW-001",
                None,
                "91330800MA28F1PT0X",
                date(2024, 3, 4),
                date(2024, 3, 5),
                date(2024, 3, 14),
                "准予许可",
                "浙发改备〔2024〕12号",
                "",
                "专家评审 2024-03-07:2024-03-08",
                "",
                "年产 5 万吨氟材料项目备案",
            ]
        ]

    def export_rows(self, queryset) -> Iterator[list]:
        """Rows in the columns above, for the application list export: the export imports back as history."""
        queryset = queryset.select_related("item", "version", "enterprise", "agent").prefetch_related(
            Prefetch("pauses", queryset=Pause.objects.order_by("started_on", "id"))
        )
        for a in queryset.iterator(chunk_size=2000):
            if a.state == S.REJECTED:
                outcome = OUTCOMES.name(REJECTED)
            else:
                outcome = OUTCOMES.name(a.outcome) if a.outcome else ""
            yield [
                a.number,
                a.item.code,
                a.version.number,
                a.enterprise.uscc,
                a.received_on,
                a.accepted_on,
                a.completed_on if a.state in Application.DONE_STATES else None,
                outcome,
                a.certificate_no,
                a.reason,
                pauses_text(a.pauses.all()),
                a.agent.username if a.agent_id else "",
                a.title,
            ]


def _state(row: dict) -> str:
    outcome, pauses = row.get("outcome"), row.get("pauses") or []
    if outcome == REJECTED:
        return S.REJECTED
    if outcome:
        return S.COMPLETED
    if pauses and pauses[-1][2] is None:  # in its last pause still
        return S.CORRECTING if pauses[-1][0] == Pause.Kind.CORRECTION else S.SPECIAL
    return S.ACCEPTED if row.get("accepted_on") else S.RECEIVED


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector: the write builds a dozen small objects per cell and no cycles,
    and the collector would scan the growing heap again and again (a third of the write's time at 20,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=4096)
def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _steps(application: dict, row: dict) -> list[dict]:
    """One step per known date: filed, accepted, (in its pause,) completed or declined."""
    note = str(_("Imported history"))
    steps = []

    def step(on: date, action: str, before: str, after: str, by=None, text: str = note) -> None:
        steps.append(
            {
                "application_id": application["id"],
                "at": _noon(on),
                "on": on,
                "by_id": by,
                "action": action,
                "from_state": before,
                "to_state": after,
                "assignee_id": None,
                "note": text,
            }
        )

    state = application["state"]
    agent = application["agent_id"]
    step(
        application["received_on"],
        "file",
        "",
        S.RECEIVED,
        by=agent,
        text=f"{note}. {_('Filed by the approval agent (代办)')}" if agent else note,
    )
    if state == S.REJECTED:
        step(application["completed_on"], "reject", S.RECEIVED, S.REJECTED, text=application["reason"])
    elif application["accepted_on"] is not None:
        step(application["accepted_on"], "accept", S.RECEIVED, S.ACCEPTED)
        if state in (S.CORRECTING, S.SPECIAL):
            kind, start, _end = row["pauses"][-1]
            step(start, "pause", S.ACCEPTED, state, text=str(Pause.Kind(kind).label))
        elif state == S.COMPLETED:
            text = application["certificate_no"] or application["reason"]
            step(application["completed_on"], "complete", S.ACCEPTED, S.COMPLETED, text=text)
    return steps


def audit_rows(events: list[tuple], *, batch, applications: int) -> Iterator[dict]:
    """The audit records of new rows, as :func:`hitechzone.common.audit.bulk_events` writes them.

    ``events``: ``(id, text, enterprise id, {attname: value})``; the first ``applications`` are applications, the
    rest pauses. Each record lists the fields set, ``[None, value]``, by field name (dates in ISO 8601).
    """
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(Application, Pause)
    fields = {
        model: [
            (f.attname, f.name)
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("created_at", "red_notified")
        ]
        for model in (Application, Pause)
    }
    common = {
        "at": timezone.now(),
        "user_id": getattr(batch.user, "pk", None),
        "username": batch.user.get_username()[:150] if batch.user is not None else "",
        "source": str(Source.IMPORT),
        "action": str(AuditEvent.Action.CREATE),
        "batch_id": batch.pk,
    }
    for n, (pk, text, enterprise_id, values) in enumerate(events):
        model = Application if n < applications else Pause
        changes = {
            name: [None, value.isoformat() if value.__class__ is date else value]
            for attname, name in fields[model]
            if (value := values.get(attname)) is not None and value != ""
        }
        yield {
            **common,
            "content_type_id": types[model].pk,
            "object_id": str(pk),
            "object_repr": str(text)[:200],
            "changes": changes,
            "enterprise_id": enterprise_id,
        }


