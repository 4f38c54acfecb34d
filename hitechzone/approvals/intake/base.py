"""What both imports of M2 share: the cells of their spreadsheets and their parsers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role
from hitechzone.approvals.models import Application, Item, ItemType, Mode, Pause
from hitechzone.common.deadlines import check_year
from hitechzone.common.models import ImportBatch
from hitechzone.common.spreadsheets import CellError, clean_text, parse_date

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
