"""The demo zone's one-stop approval centre: the 169 delegated items and a year (2025) of applications.

The article: 24 municipal departments delegated 169 powers to the zone; what took a month or half a year
is now done in as little as 5 working days. So the demo has the catalogue (through ``services.item_create``,
a few items revised in mid-2025, one suspended), about 3,000 applications received in 2025 — spread by
department and month, fewer around the Spring Festival — mostly on time, some paused (补正 after acceptance,
expert review, testing …), some late, a few refused or not accepted (不予受理), parallel approvals
(并联审批) whose fastest projects took 5 working days, agent filings (代办) by the service officers, one-time
notices before acceptance, ratings (好差评) with their rectification tasks. A few 2025 applications are still
open and long overdue.

The year is planned in Python and written in bulk; its clock figures (due date, yellow date, paused and used
working days, on time, bundle totals) are computed with :class:`~hitechzone.common.deadlines.BulkClock`, the
engine that answers exactly as the services' scalar functions. The last weeks before today are played through
the real services (``on=`` dates), so the window has applications to check, the lights show green, yellow and
red today, and the personas have something to do: ``dept1`` (发改委) checks received applications,
``ent1`` rates a completed one and supplies a missing material, ``officer1``/``officer2`` follow their
agent filings.
"""

from __future__ import annotations

import io
import random
import uuid
import zipfile
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from xml.sax.saxutils import escape as xml_escape

import numpy as np
from django.core.files.base import ContentFile
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Level,
    Material,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from hitechzone.common.deadlines import BulkClock, to_ordinals
from hitechzone.enterprises.models import Enterprise
from hitechzone.liaison.models import Assignment
from hitechzone.zone.models import Department

from .catalogue import ITEMS
from .trail import unrecorded

YEAR = 2025
APPLICATIONS = 3000  # received in YEAR (bundles included)
OPEN_OVERDUE = 15  # YEAR's applications still open today: long overdue
OPENED_ON = date(2024, 12, 16)  # the catalogue went on the platform
REVISED_ON = date(2025, 7, 1)
S = Application.State
M = ApplicationMaterial.Status
K = Pause.Kind
APPROVED, REFUSED = Application.Outcome.APPROVED, Application.Outcome.REFUSED

#: What each persona finds to do in the approval centre (for the printed logins).
HINTS = {
    "dept1": gettext_lazy("发改委 window: received applications to check (accept, or one notice of what is missing)"),
    "ent1": gettext_lazy("a completed application to rate, a one-time notice to answer, a parallel approval"),
    "ent2": gettext_lazy("a completed application to rate, a parallel approval under way"),
    "officer1": gettext_lazy("agent filings (代办) for the enterprises served, ent1's project bundle"),
    "officer2": gettext_lazy("agent filings (代办), a parallel approval under way"),
    "leader": gettext_lazy("the red list: overdue applications; the 2025 figures on the dashboard"),
}

# Mid-2025 revisions (by item name): promised limits cut, one list of materials shortened.
LIMIT_CUTS = {
    "政府投资项目初步设计审批": 5,
    "外商投资项目核准": 5,
    "排污许可证核发": 5,
    "工业产品生产许可证核发": 5,
    "危险化学品经营许可证核发": 5,
    "食品经营许可": 1,
}
SHORTER_LIST = "人力资源服务许可"
SUSPENDED = ("升放无人驾驶自由气球或者系留气球活动审批", "上级部门调整审批权限，暂停受理")

# Applications per department (relative) — land, building, environment and market registration lead.
DEPARTMENT_WEIGHTS = {
    "fgw": 8, "jxj": 4, "kjj": 3, "gaj": 3, "mzj": 1, "czj": 1, "rsj": 5, "zrzyj": 13, "sthjj": 9, "zjj": 14,
    "jtysj": 5, "slj": 4, "nyncj": 2, "swj": 2, "wgltj": 2, "wjw": 3, "yjglj": 7, "scjgj": 13, "tjj": 1,
    "zhzfj": 3, "rfb": 3, "xfzd": 4, "swuj": 8, "qxj": 2,
}  # fmt: skip
MONTH_WEIGHTS = {
    1: 0.8,
    2: 0.55,
    3: 1.1,
    4: 1.0,
    5: 0.95,
    6: 1.05,
    7: 1.0,
    8: 0.9,
    9: 1.05,
    10: 0.75,
    11: 1.05,
    12: 1.1,
}
SPRING_FESTIVAL = (date(2025, 1, 20), date(2025, 2, 14))  # the weeks around it are quiet at the window

PAUSE_KINDS = {  # kind: (weight, working days paused, reason)
    K.CORRECTION: (40, (2, 8), "申请材料需补正"),
    K.EXPERT_REVIEW: (25, (5, 15), "组织专家技术评审"),
    K.TESTING: (15, (5, 12), "委托第三方检验检测"),
    K.SITE_SURVEY: (10, (2, 5), "组织现场勘查"),
    K.PUBLIC_NOTICE: (7, (5, 7), "批前公示"),
    K.HEARING: (3, (8, 15), "依申请组织听证"),
}
REJECT_REASONS = [
    "申请事项不属于本中心受理范围，已告知向有权机关申请",
    "申请人不具备申请资格",
    "该事项依法不需要取得行政许可",
    "申请材料存在虚假内容",
]
REFUSE_REASONS = [
    "项目选址不符合园区产业发展规划",
    "现场核查情况与申报内容不一致",
    "专家评审未通过",
    "不符合安全生产相关标准要求",
    "主要污染物排放总量指标无法平衡",
]
PRAISE = ["办事效率高，窗口服务热情", "代办员全程帮办，省心", "材料一次讲清，没有跑冤枉路", "比承诺时限提前办结", ""]
COMPLAINTS = [
    "办理超过承诺时限，也没有主动告知进度",
    "补正要求前后不一致，多跑了一趟",
    "窗口人员解释政策不够清楚",
    "审批结果送达不及时",
]
ANSWERS = [
    "已约谈经办人员，建立办件进度主动告知机制，并向企业致歉。",
    "已统一补正告知口径，实行一次性告知首问负责。",
    "已组织窗口人员业务培训，政策解读材料上墙公示。",
    "已开通结果快递送达，并向企业说明情况。",
]
LEVEL_WEIGHTS = {  # 非常满意 … 非常不满意
    "on_time": (72, 22, 4, 1.5, 0.5),
    "late": (20, 35, 25, 15, 5),
    "refused": (20, 30, 30, 15, 5),
}

# Parallel approvals: what an investment project needs, by item name.
PROJECT_ITEMS = [
    ["企业投资项目备案", "固定资产投资项目节能审查", "建设工程规划许可证核发",
     "建设项目环境影响评价文件审批（报告表）", "建设工程消防设计审查"],
    ["企业投资项目核准", "危险化学品建设项目安全条件审查", "建设项目环境影响评价文件审批（报告书）",
     "建设用地规划许可证核发", "生产建设项目水土保持方案审批"],
    ["建设工程规划许可证核发", "建筑工程施工许可证核发", "人防工程建设审批（结合民用建筑修建防空地下室）",
     "雷电防护装置设计审核", "建设工程消防设计审查"],
    ["企业技术改造投资项目备案", "固定资产投资项目节能审查", "建设项目环境影响评价文件审批（报告表）",
     "排污许可证核发"],
]  # fmt: skip
PROJECTS = {  # chain: invented project names
    "fluorine": ["年产5万吨含氟新材料项目", "年产2万吨含氟聚合物扩建项目"],
    "organosilicon": ["年产3万吨有机硅单体扩建项目", "年产1万吨特种硅橡胶项目"],
    "inorganic-silicon": ["年产30万吨硅微粉项目", "高纯白炭黑技改项目"],
    "fine-chemicals": ["年产8000吨电子化学品项目", "精细化工技改提升项目"],
    "biomedicine": ["生物医药研发中试基地项目", "原料药绿色制造升级项目"],
    "electronics": ["年产1亿片集成电路封装材料项目", "光电材料产业化项目"],
    "equipment": ["高端装备智能制造基地项目", "年产10万套新能源汽车电机项目"],
    "logistics": ["智慧物流仓储中心项目", "冷链物流配送中心项目"],
}
# Bundles of YEAR: (month, project template, target total in working days). The fastest take 5.
BUNDLES = [(2, 3, 9), (3, 0, 5), (4, 1, 10), (5, 2, 5), (6, 0, 6), (7, 3, 8), (8, 1, 10), (9, 2, 5), (10, 0, 7),
           (11, 3, 10)]  # fmt: skip


# --- Working days -------------------------------------------------------------------------------------------


class Days:
    """Working-day arithmetic on the calendar's working days (the same array the clock counts on)."""

    def __init__(self, clock: BulkClock) -> None:
        self.working = [int(o) for o in clock.working]

    def after(self, day: date, n: int = 1) -> date:
        """The ``n``-th working day after ``day`` (``n >= 1``), as ``add_working_days``."""
        return date.fromordinal(self.working[bisect_right(self.working, day.toordinal()) + n - 1])

    def before(self, day: date, n: int = 1) -> date:
        """The ``n``-th working day before ``day`` (``n >= 1``)."""
        return date.fromordinal(self.working[bisect_left(self.working, day.toordinal()) - n])

    def on_or_before(self, day: date) -> date:
        return day if self.is_working(day) else self.before(day)

    def is_working(self, day: date) -> bool:
        i = bisect_left(self.working, day.toordinal())
        return i < len(self.working) and self.working[i] == day.toordinal()

    def between(self, first: date, last: date) -> list[date]:
        lo, hi = bisect_left(self.working, first.toordinal()), bisect_right(self.working, last.toordinal())
        return [date.fromordinal(o) for o in self.working[lo:hi]]

    def counted_day(self, accepted: date, n: int, pauses: list[tuple[date, date]] = ()) -> date:
        """The ``n``-th counted working day after ``accepted`` (pause days left out): where a clock of ``n``
        working days falls due."""
        spans = [(a.toordinal(), b.toordinal()) for a, b in pauses]
        i, count = bisect_right(self.working, accepted.toordinal()), 0
        while True:
            o = self.working[i]
            if not any(a <= o <= b for a, b in spans):
                count += 1
                if count == n:
                    return date.fromordinal(o)
            i += 1


# --- Plans ---------------------------------------------------------------------------------------------------


@dataclass
class PausePlan:
    kind: str
    start: date
    resume: date  # the clock runs again this day (the pause ends the day before)
    reason: str

    @property
    def ended(self) -> date:
        return max(self.start, self.resume - timedelta(days=1))


@dataclass
class NoticePlan:
    issued: date
    after_acceptance: bool
    materials: list[Material]
    text: str


@dataclass
class Case:
    """One application as planned, before it touches the database."""

    item: Item
    version: ItemVersion
    enterprise_id: int
    applicant: User
    agent: User | None
    staff: User
    received: date
    title: str = ""
    bundle: int | None = None
    accepted: date | None = None
    assigned: date | None = None
    completed: date | None = None
    outcome: str = ""
    certificate: str = ""
    reason: str = ""
    rejected: bool = False
    pauses: list[PausePlan] = field(default_factory=list)
    notices: list[NoticePlan] = field(default_factory=list)
    # material id: [status, promised_by, supplied_on, notice index]
    materials: dict[int, list] = field(default_factory=dict)
    events: list[tuple] = field(default_factory=list)  # (date, by, action, new state or None, note, assignee)
    review: tuple | None = None  # (level, comment, rated_on, rectification answer, answered_on)
    # The clock, computed in bulk.
    due: date | None = None
    provisional: bool = False
    yellow: date | None = None
    paused_days: int = 0
    used: int | None = None
    on_time: bool | None = None

    @property
    def limit(self) -> int:
        return self.version.promised_limit

    def event(self, day: date, by: User, action: str, state: str | None, note: str = "", assignee=None) -> None:
        self.events.append((day, by, action, state, note, assignee))


def _notice_text(materials: list[Material], note: str = "") -> str:
    """The one-time notice, worded as ``services`` words it."""
    lines = [_("Please supply, all at once, the following materials:")]
    lines += [
        f"{i}. {m.name}（{_('original') if m.original else _('copy')}）" for i, m in enumerate(materials, start=1)
    ]
    if note:
        lines.append(note)
    return "\n".join(lines)


@dataclass
class World:
    """What the planner draws from: the catalogue, the people, the working days."""

    rng: random.Random
    today: date
    clock: BulkClock
    days: Days
    items: list[Item]
    versions: dict[int, list[ItemVersion]]  # item id: versions, oldest first
    materials: dict[int, list[Material]]  # version id: materials in order
    departments: dict[int, Department]
    staff: dict[int, User]  # department id: its first member of staff
    users: dict[int, User]  # enterprise id: its user
    officers: dict[int, User]  # enterprise id: its service officer
    enterprises: list[int]
    enterprise_weights: list[float]
    personas: dict[str, User]  # ent1, ent2, officer1, officer2
    chains: dict[int, str]  # enterprise id: its first chain
    certificates: Counter = field(default_factory=Counter)

    def version_on(self, item: Item, day: date) -> ItemVersion:
        versions = self.versions[item.pk]
        return (
            [v for v in versions if timezone.localdate(v.created_at) <= day][-1] if len(versions) > 1 else versions[0]
        )

    def certificate(self, department_id: int, day: date) -> str:
        department = self.departments[department_id]
        self.certificates[department.pk, day.year] += 1
        serial = self.certificates[department.pk, day.year]
        return f"高新{department.short_name}准字〔{day.year}〕第{serial:04d}号"

    def by_name(self, name: str) -> Item | None:
        return next((i for i in self.items if i.current.name == name), None)


def _moment(day: date, k: int, jitter: int = 0) -> datetime:
    """The time of the ``k``-th step of a day, in office hours."""
    start = datetime.combine(day, time(8, 40), tzinfo=timezone.get_current_timezone())
    return start + timedelta(minutes=17 * k + jitter)


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


# --- The year -----------------------------------------------------------------------------------------------


def _world(rng: random.Random, today: date) -> World | None:
    items = list(Item.objects.filter(code__in=[s["code"] for s in ITEMS]).select_related("current").order_by("code"))
    if not items:
        return None
    versions: dict[int, list[ItemVersion]] = {}
    for version in ItemVersion.objects.filter(item__in=items).order_by("item_id", "number"):
        versions.setdefault(version.item_id, []).append(version)
    materials: dict[int, list[Material]] = {}
    for material in Material.objects.filter(version__item__in=items).order_by("version_id", "position", "id"):
        materials.setdefault(material.version_id, []).append(material)
    staff: dict[int, User] = {}
    for user in User.objects.filter(role=Role.DEPARTMENT, department__isnull=False).order_by("username"):
        staff.setdefault(user.department_id, user)
    officers = {
        a.enterprise_id: a.officer
        for a in Assignment.objects.active(date(YEAR, 1, 1)).select_related("officer").order_by("id")
    }
    users: dict[int, User] = {}
    for user in User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=officers).order_by("-password", "pk"):
        users.setdefault(user.enterprise_id, user)  # a persona (with a password) before a plain account
    personas = {u.username: u for u in User.objects.filter(username__in=["ent1", "ent2", "officer1", "officer2"])}
    enterprises = sorted(users)
    chains = {}
    for enterprise_id, chain in (
        Enterprise.chains.through.objects.filter(enterprise_id__in=enterprises)
        .values_list("enterprise_id", "industrychain__code")
        .order_by("id")
    ):
        chains.setdefault(enterprise_id, chain)
    clock = BulkClock(YEAR - 1, max(YEAR + 1, today.year + 1))
    return World(
        rng=rng,
        today=today,
        clock=clock,
        days=Days(clock),
        items=items,
        versions=versions,
        materials=materials,
        departments={d.pk: d for d in Department.objects.all()},
        staff=staff,
        users=users,
        officers=officers,
        enterprises=enterprises,
        enterprise_weights=[min(8.0, rng.paretovariate(1.5)) for _ in enterprises],
        chains=chains,
        personas=personas,
    )


def _new_case(w: World, item: Item, day: date, *, enterprise_id: int | None = None, agent: bool | None = None) -> Case:
    rng = w.rng
    if enterprise_id is None:
        enterprise_id = rng.choices(w.enterprises, weights=w.enterprise_weights)[0]
    if agent is None:
        agent = rng.random() < 0.14
    officer = w.officers[enterprise_id] if agent else None
    version = w.version_on(item, day)
    case = Case(
        item=item,
        version=version,
        enterprise_id=enterprise_id,
        applicant=officer or w.users[enterprise_id],
        agent=officer,
        staff=w.staff[item.department_id],
        received=day,
    )
    for m in w.materials[version.pk]:
        handed_in = m.required or rng.random() < 0.5
        case.materials[m.pk] = [M.PROVIDED if handed_in else M.PENDING, None, None, None]
    case.event(day, case.applicant, "file", S.RECEIVED, _("Filed by the approval agent (代办)") if agent else "")
    return case


def _missing_candidates(w: World, case: Case, *, first: bool = False) -> list[Material]:
    """Required materials still as handed in (not the application form unless ``first``)."""
    mats = w.materials[case.version.pk]
    return [m for m in mats[0 if first else 1 :] if m.required and case.materials[m.pk][0] == M.PROVIDED]


def _notice(w: World, case: Case, day: date, missing: list[Material], *, after_acceptance: bool, note: str = "") -> int:
    case.notices.append(NoticePlan(day, after_acceptance, missing, _notice_text(missing, note)))
    index = len(case.notices) - 1
    for m in missing:
        case.materials[m.pk][0] = M.MISSING
        case.materials[m.pk][3] = index
    return index


def _supply(case: Case, day: date, materials: list[Material], state: str | None) -> None:
    for m in materials:
        case.materials[m.pk][0] = M.SUPPLIED
        case.materials[m.pk][2] = day
    case.event(day, case.applicant, "supply", state, "、".join(m.name for m in materials))


def _accept(w: World, case: Case, *, notice: float = 0.12, reject: float = 0.0, same_day: bool = False) -> bool:
    """The window: perhaps one notice first (and the supply), perhaps 不予受理; else accepted. False if rejected."""
    rng, days = w.rng, w.days
    day = case.received
    candidates = _missing_candidates(w, case)
    if candidates and rng.random() < notice:
        issued = day if rng.random() < 0.7 else days.after(day)
        missing = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2))))
        _notice(w, case, issued, missing, after_acceptance=False)
        case.event(issued, case.staff, "notice", S.CORRECTING, case.notices[-1].text)
        day = days.after(issued, rng.randint(1, 6))
        if rng.random() < reject * 4:  # the materials never came right: not accepted
            return _reject(w, case, day)
        _supply(case, day, missing, S.RECEIVED)
    elif rng.random() < reject:
        return _reject(w, case, day if rng.random() < 0.6 else days.after(day))
    if not same_day and rng.random() < 0.3:
        day = days.after(day)
    case.accepted = day
    case.event(day, case.staff, "accept", S.ACCEPTED)
    return True


def _reject(w: World, case: Case, day: date) -> bool:
    case.rejected, case.reason, case.completed = True, w.rng.choice(REJECT_REASONS), day
    case.event(day, case.staff, "reject", S.REJECTED, case.reason)
    return False


def _used_days(rng: random.Random, limit: int) -> int:
    """Working days an application on time takes: mostly well inside its limit."""
    return 1 + int((limit - 1) * rng.betavariate(2.0, 1.7) + 0.5) if limit > 1 else 1


def _process(
    w: World,
    case: Case,
    *,
    used: int | None = None,
    pauses: int = 0,
    late: int = 0,
    refused: bool = False,
    open_: bool = False,
    promised: float = 0.2,
    special: tuple[str, int] | None = None,
) -> None:
    """After acceptance: assigned, perhaps paused, done (on time after ``used`` counted days, or ``late`` working
    days after the due date), or left open (``open_``). ``special``: one pause of that kind and length (working
    days) instead of ``pauses`` random ones."""
    rng, days = w.rng, w.days
    accepted = case.accepted
    if case.limit == 0:  # 即办件: done on the spot
        _complete(w, case, accepted, refused=refused)
        return
    case.assigned = accepted
    case.event(accepted, case.staff, "assign", S.PROCESSING, assignee=case.staff)
    used = used or _used_days(rng, case.limit)
    if special:
        pauses = 1
    if pauses:
        used = max(used, min(case.limit, pauses))
    # The pauses start on what would be counted days j+1 (j ascending, below `used`).
    starts = sorted(rng.sample(range(used), min(pauses, used)))
    spans: list[tuple[date, date]] = []
    for j in starts:
        start = days.counted_day(accepted, j + 1, spans)
        kind = (
            special[0] if special else rng.choices(list(PAUSE_KINDS), weights=[v[0] for v in PAUSE_KINDS.values()])[0]
        )
        _weight, (low, high), reason = PAUSE_KINDS[kind]
        length = special[1] if special else rng.randint(low, high)
        pause = PausePlan(kind, start, days.after(start, length), reason)
        if kind == K.CORRECTION:
            candidates = _missing_candidates(w, case, first=True)
            if not candidates:
                kind = pause.kind = K.EXPERT_REVIEW
                pause.reason = PAUSE_KINDS[kind][2]
        if kind == K.CORRECTION:
            missing = rng.sample(candidates, 1)
            _notice(w, case, start, missing, after_acceptance=True, note=reason)
            case.event(start, case.staff, "notice", S.CORRECTING, case.notices[-1].text)
            _supply(case, pause.resume, missing, S.PROCESSING)
        else:
            case.event(start, case.staff, "pause", S.SPECIAL, f"{K(kind).label}: {reason}")
            case.event(pause.resume, case.staff, "resume", S.PROCESSING)
        case.pauses.append(pause)
        spans.append((pause.start, pause.ended))
    if open_:
        return
    if late:
        done = days.after(days.counted_day(accepted, case.limit, spans), late)
    else:
        done = days.counted_day(accepted, used, spans)
    # 容缺: a tolerable material promised at acceptance, supplied before the decision.
    tolerable = [m for m in w.materials[case.version.pk] if m.tolerable and case.materials[m.pk][0] == M.PROVIDED]
    window = [
        d
        for d in days.between(accepted + timedelta(days=1), done - timedelta(days=1))
        if not any(p.start <= d <= p.resume for p in case.pauses)
    ]
    if tolerable and window and rng.random() < promised:
        m = rng.choice(tolerable)
        supplied = rng.choice(window)
        case.materials[m.pk] = [M.PROMISED, days.after(accepted, rng.randint(3, 5)), None, None]
        case.materials[m.pk][1] = max(case.materials[m.pk][1], supplied)
        _supply(case, supplied, [m], None)
    _complete(w, case, done, refused=refused)


def _complete(w: World, case: Case, day: date, *, refused: bool = False) -> None:
    case.completed = day
    if refused:
        case.outcome, case.reason = REFUSED, w.rng.choice(REFUSE_REASONS)
    else:
        case.outcome, case.certificate = APPROVED, w.certificate(case.item.department_id, day)
    case.event(day, case.staff, "complete", S.COMPLETED, case.certificate or case.reason)


def _rate(w: World, case: Case, *, chance: float = 0.7) -> None:
    rng, days = w.rng, w.days
    if case.completed is None or case.rejected or rng.random() > chance:
        return
    rated = case.completed + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 5)))
    if rated > w.today:
        return
    kind = "refused" if case.outcome == REFUSED else "late" if case.on_time is False else "on_time"
    level = rng.choices([5, 4, 3, 2, 1], weights=LEVEL_WEIGHTS[kind])[0]
    answer = answered = None
    if level in services.RECTIFY_LEVELS:
        comment = rng.choice(COMPLAINTS)
        answered = days.after(rated, rng.randint(2, 9))
        if answered > w.today:
            answered = None
        else:
            answer = rng.choice(ANSWERS)
    else:
        comment = rng.choice(PRAISE) if rng.random() < 0.3 else ""
    case.review = (level, comment, rated, answer, answered)


def _year_days(w: World) -> tuple[list[date], list[float]]:
    days = w.days.between(date(YEAR, 1, 1), date(YEAR, 12, 31))
    weights = [MONTH_WEIGHTS[d.month] * (0.5 if SPRING_FESTIVAL[0] <= d <= SPRING_FESTIVAL[1] else 1.0) for d in days]
    return days, weights


def _plan_bundles(w: World, cases: list[Case]) -> list[dict]:
    """The year's parallel approvals, filed by the service officers as agents; the fastest take 5 days."""
    rng, days = w.rng, w.days
    bundles = []
    # Enterprises with a chain and an officer; ent1's enterprise first (officer1 files its project).
    first = w.personas["ent1"].enterprise_id if "ent1" in w.personas else None
    candidates = [e for e in w.enterprises if e in w.chains and e != first]
    chosen = ([first] if first in w.chains else []) + rng.sample(candidates, min(len(candidates), len(BUNDLES)))
    for (month, template, target), enterprise_id in zip(BUNDLES, chosen, strict=False):
        items = [i for i in (w.by_name(n) for n in PROJECT_ITEMS[template]) if i is not None]
        if len(items) < 2:
            continue
        started = rng.choice(days.between(date(YEAR, month, 3), date(YEAR, month, 25)))
        name = rng.choice(PROJECTS.get(w.chains[enterprise_id], PROJECTS["equipment"]))
        index = len(bundles)
        bundles.append({"name": name, "enterprise_id": enterprise_id, "started": started, "officer": None})
        members = []
        for item in items:
            case = _new_case(w, item, started, enterprise_id=enterprise_id, agent=True)
            case.title, case.bundle = name, index
            case.accepted = started
            case.event(started, case.staff, "accept", S.ACCEPTED)
            members.append(case)
        bundles[-1]["officer"] = members[0].agent
        # The slowest member sets the total: its whole limit, and a site survey or expert review beyond it.
        longest = max((c for c in members if c.limit > 0), key=lambda c: c.limit)
        used = min(target, longest.limit)
        for case in members:
            if case.limit == 0:
                _process(w, case)
            elif case is longest and target > used:
                kind = K.SITE_SURVEY if target - used <= 3 else K.EXPERT_REVIEW
                _process(w, case, used=used, promised=0, special=(kind, target - used))
            elif case is longest:
                _process(w, case, used=used, promised=0)
            else:
                _process(w, case, used=rng.randint(max(1, min(case.limit, used) - 3), min(case.limit, used)))
        cases.extend(members)
    return bundles


def plan_year(w: World, count: int = APPLICATIONS) -> tuple[list[Case], list[dict]]:
    """The applications received in ``YEAR``: ``count`` of them, bundles included."""
    rng = w.rng
    cases: list[Case] = []
    bundles = _plan_bundles(w, cases)
    by_department: dict[str, list[Item]] = {}
    for item in w.items:
        by_department.setdefault(w.departments[item.department_id].code, []).append(item)
    codes = [c for c in DEPARTMENT_WEIGHTS if c in by_department]
    item_weights = {
        i.pk: rng.uniform(0.4, 2.5) * (1.3 if i.current.item_type == ItemType.IMMEDIATE else 1.0) for i in w.items
    }
    year_days, day_weights = _year_days(w)
    received = sorted(rng.choices(year_days, weights=day_weights, k=max(0, count - len(cases))))
    overdue_days = set(rng.sample(range(int(len(received) * 0.7), len(received)), min(OPEN_OVERDUE, len(received))))
    owed = 0  # open ones still to place (an immediate item is never left open)
    for n, day in enumerate(received):
        code = rng.choices(codes, weights=[DEPARTMENT_WEIGHTS[c] for c in codes])[0]
        pool = by_department[code]
        item = rng.choices(pool, weights=[item_weights[i.pk] for i in pool])[0]
        case = _new_case(w, item, day)
        cases.append(case)
        owed += n in overdue_days
        if owed and case.limit > 0:  # still open today: long overdue
            owed -= 1
            _accept(w, case, notice=0.2)
            _process(w, case, pauses=int(rng.random() < 0.3), open_=True)
            continue
        if not _accept(w, case, reject=0.012, same_day=case.limit == 0):
            continue
        r = rng.random()
        pauses = (1 + (rng.random() < 0.2)) if case.limit > 0 and r < 0.14 else 0
        late = rng.choices([1, 2, 3, 5, 8], weights=(40, 25, 15, 12, 8))[0] if 0.14 <= r < 0.19 else 0
        refused = 0.19 <= r < 0.21
        _process(w, case, pauses=pauses, late=late if case.limit > 0 else 0, refused=refused)
    return cases, bundles


# --- The clock, in bulk ------------------------------------------------------------------------------------------


def compute_clock(clock: BulkClock, cases: list[Case]) -> None:
    """Due date, provisional flag, yellow date, paused and used working days and on time, for every case."""
    accepted = [c for c in cases if c.accepted is not None]
    if not accepted:
        return
    a = to_ordinals(c.accepted for c in accepted)
    limits = np.array([c.limit for c in accepted], dtype=np.int64)
    thresholds = np.array([c.version.yellow_threshold for c in accepted], dtype=np.int64)
    pause_app, pause_start, pause_end = [], [], []
    for i, case in enumerate(accepted):
        for p in case.pauses:
            pause_app.append(i)
            pause_start.append(p.start.toordinal())
            pause_end.append(p.ended.toordinal())
    pauses = (np.array(pause_app, dtype=np.int64), np.array(pause_start, dtype=np.int64), pause_end)
    due, provisional = clock.due_dates(a, limits, *pauses)
    yellow = clock.yellow_from(due, thresholds)
    until = to_ordinals(c.completed or c.accepted for c in accepted)
    used, _p = clock.counted(a, until, *pauses)
    last_pause = np.array([max([p.ended for p in c.pauses], default=c.accepted).toordinal() for c in accepted])
    paused = clock.counted(a, last_pause)[0] - clock.counted(a, last_pause, *pauses)[0]
    for i, case in enumerate(accepted):
        case.due, case.provisional = date.fromordinal(int(due[i])), bool(provisional[i])
        case.yellow, case.paused_days = date.fromordinal(int(yellow[i])), int(paused[i])
        if case.completed is not None:
            case.used, case.on_time = int(used[i]), case.completed <= case.due


# --- Writing ------------------------------------------------------------------------------------------------


def _trail(case: Case) -> tuple[list[tuple], str]:
    """The case's steps in date order, each with its from and to state, and the state it ends in."""
    steps, state = [], ""
    for day, by, action, new, note, assignee in sorted(case.events, key=lambda e: e[0]):  # stable within a day
        steps.append((day, by, action, state, new or state, note, assignee))
        state = new or state
    return steps, state


def _number(applications: list[Application]) -> None:
    """``services.application_number`` (SP + date received + id), set by one UPDATE once the ids are known."""

    def padded(expression, width: int):
        return LPad(Cast(expression, CharField()), width, Value("0"))

    received = "received_on"
    number = Concat(
        Value("SP"),
        padded(ExtractYear(received), 4),
        padded(ExtractMonth(received), 2),
        padded(ExtractDay(received), 2),
        padded(F("pk"), 8),
        output_field=CharField(),
    )
    for k in range(0, len(applications), 2000):
        Application.objects.filter(pk__in=[a.pk for a in applications[k : k + 2000]]).update(number=number)
    for application in applications:
        application.number = services.application_number(application)


def write(w: World, cases: list[Case], bundles: list[dict], report) -> None:
    """Everything planned, in bulk: bundles, applications, notices, materials, pauses, steps, ratings."""
    rng = w.rng
    compute_clock(w.clock, cases)
    for case in cases:
        _rate(w, case)
    rows = []
    for b in bundles:
        members = [c for c in cases if c.bundle == len(rows)]
        first = min(c.accepted for c in members)
        last = max(c.completed for c in members)
        total = int(w.clock.counted(to_ordinals([first]), to_ordinals([last]))[0][0])
        rows.append(
            Bundle(
                name=b["name"],
                enterprise_id=b["enterprise_id"],
                created_by=b["officer"],
                started_on=b["started"],
                completed_on=last,
                total_working_days=total,
                created_at=_moment(b["started"], 0),
            )
        )
    Bundle.objects.bulk_create(rows)
    report.add("parallel approvals", len(rows))

    cases.sort(key=lambda c: (c.received, c.bundle is None, c.item.code))
    trails = [_trail(c) for c in cases]
    applications = [
        Application(
            number=uuid.uuid4().hex[:24],
            item=c.item,
            version=c.version,
            department_id=c.item.department_id,
            enterprise_id=c.enterprise_id,
            bundle=rows[c.bundle] if c.bundle is not None else None,
            title=c.title,
            applicant=c.applicant,
            agent=c.agent,
            assignee=c.staff if c.assigned else None,
            state=state,
            received_on=c.received,
            accepted_on=c.accepted,
            completed_on=c.completed,
            limit_days=c.limit,
            yellow_threshold=c.version.yellow_threshold,
            due_on=c.due,
            due_provisional=c.provisional,
            yellow_on=c.yellow,
            paused_working_days=c.paused_days,
            working_days_used=c.used,
            on_time=c.on_time,
            outcome=c.outcome,
            certificate_no=c.certificate,
            reason=c.reason,
            created_at=_moment(c.received, 0),
        )
        for c, (_steps, state) in zip(cases, trails, strict=True)
    ]
    Application.objects.bulk_create(applications, batch_size=1000)
    _number(applications)
    report.add("applications", len(applications))

    notices = [
        [
            Notice(
                application=application,
                issued_on=n.issued,
                issued_by=case.staff,
                text=n.text,
                after_acceptance=n.after_acceptance,
            )
            for n in case.notices
        ]
        for case, application in zip(cases, applications, strict=True)
    ]
    Notice.objects.bulk_create([n for ns in notices for n in ns], batch_size=1000)
    ApplicationMaterial.objects.bulk_create(
        [
            ApplicationMaterial(
                application=application,
                material_id=pk,
                status=status,
                promised_by=promised_by,
                supplied_on=supplied_on,
                notice=ns[index] if index is not None else None,
            )
            for case, application, ns in zip(cases, applications, notices, strict=True)
            for pk, (status, promised_by, supplied_on, index) in case.materials.items()
        ],
        batch_size=2000,
    )
    Pause.objects.bulk_create(
        [
            Pause(application=application, kind=p.kind, started_on=p.start, ended_on=p.ended, reason=p.reason)
            for case, application in zip(cases, applications, strict=True)
            for p in case.pauses
        ],
        batch_size=2000,
    )
    steps = []
    for application, (trail, _state) in zip(applications, trails, strict=True):
        nth: Counter = Counter()
        for day, by, action, before, after, note, assignee in trail:
            steps.append(
                Step(
                    application=application,
                    at=_moment(day, nth[day], rng.randrange(10)),
                    on=day,
                    by=by,
                    action=action,
                    from_state=before,
                    to_state=after,
                    assignee=assignee,
                    note=note,
                )
            )
            nth[day] += 1
    Step.objects.bulk_create(steps, batch_size=2000)

    reviews, rectifications = [], []
    for case, application in zip(cases, applications, strict=True):
        if case.review is None:
            continue
        level, comment, rated, answer, answered = case.review
        review = Review(
            application=application, level=level, comment=comment, rated_on=rated, rated_by=w.users[case.enterprise_id]
        )
        reviews.append(review)
        if level in services.RECTIFY_LEVELS:
            rectifications.append(
                Rectification(
                    review=review,
                    department_id=case.item.department_id,
                    due_on=w.days.after(rated, services.RECTIFICATION_WORKING_DAYS),
                    answer=answer or "",
                    answered_on=answered,
                    answered_by=case.staff if answered else None,
                )
            )
    Review.objects.bulk_create(reviews, batch_size=2000)
    Rectification.objects.bulk_create(rectifications)
    report.add("ratings", len(reviews))


# --- The last weeks, through the services ------------------------------------------------------------------------


def _light(w: World, accepted: date, limit: int, threshold: int) -> str:
    """The light today of an application accepted on ``accepted`` (no pause)."""
    due = w.days.counted_day(accepted, limit)
    if w.today > due:
        return "red"
    return "yellow" if w.today >= (w.days.before(due, threshold) if threshold else due) else "green"


class Recent:
    """Plays applications of the last weeks through the services, as the enterprises and the windows would."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.count = 0
        self.last = w.days.on_or_before(w.today)  # the last working day up to today
        self.active = [i for i in w.items if i.status == Item.Status.ACTIVE]
        self.timed = [i for i in self.active if i.current.item_type == ItemType.COMMITMENT]
        self.by_code: dict[str, list[Item]] = {}
        for item in self.active:
            self.by_code.setdefault(w.departments[item.department_id].code, []).append(item)
        self.enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in=w.enterprises)}

    def persona_enterprise(self, username: str) -> int | None:
        user = self.w.personas.get(username)
        return user.enterprise_id if user is not None and user.enterprise_id in self.w.officers else None

    def staff(self, application: Application) -> User:
        return self.w.staff[application.department_id]

    def handed_in(self, version_id: int, *, leave_out: int = 0) -> list[int]:
        """Every required material but ``leave_out`` of them (never the application form), some optional ones."""
        materials = self.w.materials[version_id]
        required = [m for m in materials[1:] if m.required]
        out = self.w.rng.sample(required, min(leave_out, len(required)))
        return [m.pk for m in materials if m not in out and (m.required or self.w.rng.random() < 0.5)]

    def file(self, item: Item, day: date, *, enterprise_id=None, agent=False, leave_out=0) -> Application:
        w = self.w
        enterprise_id = enterprise_id or w.rng.choices(w.enterprises, weights=w.enterprise_weights)[0]
        by = w.officers[enterprise_id] if agent else w.users[enterprise_id]
        self.count += 1
        return services.application_file(
            by=by,
            item=item,
            enterprise=self.enterprises[enterprise_id],
            received_on=day,
            provided=self.handed_in(item.current_id, leave_out=leave_out),
        )

    def accept(self, application: Application, day: date) -> Application:
        staff = self.staff(application)
        provided = self.handed_in(application.version_id)
        services.application_check(application=application, by=staff, provided=provided, on=day)
        return services.application_assign(application=application, by=staff, assignee=staff, on=day)

    def complete(self, application: Application, day: date, *, refused: bool = False) -> Application:
        w = self.w
        return services.application_complete(
            application=application,
            by=self.staff(application),
            outcome=REFUSED if refused else APPROVED,
            certificate_no="" if refused else w.certificate(application.department_id, day),
            reason=w.rng.choice(REFUSE_REASONS) if refused else "",
            on=day,
        )

    def at_the_window(self) -> None:
        """Received, some materials still to hand in: the window's check to do (dept1 is 发改委's window)."""
        w, ent1 = self.w, self.persona_enterprise("ent1")
        for code, n in (("fgw", 3), ("jxj", 2), ("zrzyj", 2), ("zjj", 2), ("sthjj", 1), ("scjgj", 2)):
            pool = [i for i in self.by_code[code] if sum(m.required for m in w.materials[i.current_id][1:]) >= 1]
            for k in range(n):
                day = self.last if k == 0 else w.days.before(self.last, w.rng.randint(0, 3))
                self.file(
                    w.rng.choice(pool),
                    day,
                    enterprise_id=ent1 if (code, k) == ("fgw", 0) else None,
                    agent=k == 2,  # filed complete by the officer as agent
                    leave_out=0 if k == 2 else 1,
                )

    def noticed(self) -> None:
        """One-time notices out before acceptance, waiting for the applicant (ent1 has one to supply)."""
        w, ent1 = self.w, self.persona_enterprise("ent1")
        pool = [i for i in self.timed if sum(m.required for m in w.materials[i.current_id][1:]) >= 1]
        for k in range(4):
            day = w.days.before(self.last, w.rng.randint(1, 6))
            application = self.file(w.rng.choice(pool), day, enterprise_id=ent1 if k == 0 else None, leave_out=1)
            services.application_check(application=application, by=self.staff(application), on=day)

    def running(self) -> None:
        """Being processed, with a light today: green, yellow and red."""
        w, ent2 = self.w, self.persona_enterprise("ent2")
        for light, n in (("green", 10), ("yellow", 4), ("red", 4)):
            made = 0
            for item in w.rng.sample(self.timed, len(self.timed)):
                limit, threshold = item.current.promised_limit, item.current.yellow_threshold
                ks = [k for k in range(1, 16) if _light(w, w.days.before(self.last, k), limit, threshold) == light]
                if not ks:
                    continue
                accepted = w.days.before(self.last, w.rng.choice(ks))
                received = accepted if w.rng.random() < 0.7 else w.days.before(accepted)
                enterprise_id = ent2 if (light, made) == ("green", 0) else None
                self.accept(
                    self.file(item, received, enterprise_id=enterprise_id, agent=w.rng.random() < 0.2), accepted
                )
                made += 1
                if made == n:
                    break

    def paused(self) -> None:
        """The clock stopped now: special procedures, and 补正 after acceptance."""
        w = self.w
        pool = [i for i in self.timed if i.current.promised_limit >= 5]
        for kind in (K.EXPERT_REVIEW, K.TESTING, K.SITE_SURVEY, K.CORRECTION, K.CORRECTION):
            item = w.rng.choice(pool)
            accepted = w.days.before(self.last, w.rng.randint(3, 8))
            application = self.accept(self.file(item, accepted), accepted)
            missing = [w.rng.choice(w.materials[item.current_id]).pk] if kind == K.CORRECTION else []
            services.application_pause(
                application=application,
                by=self.staff(application),
                kind=kind,
                on=w.days.after(accepted, w.rng.randint(1, 2)),
                reason=PAUSE_KINDS[kind][2],
                missing=missing,
            )

    def done(self) -> None:
        """Done in the last weeks: ent1 and ent2 each have one to rate; some rated (one 不满意, not answered)."""
        w, ent1, ent2 = self.w, self.persona_enterprise("ent1"), self.persona_enterprise("ent2")
        for k in range(12):
            item = w.rng.choice(self.timed)
            accepted = w.days.before(self.last, w.rng.randint(6, 18))
            enterprise_id = {0: ent1, 1: ent1, 2: ent2}.get(k)
            application = self.accept(self.file(item, accepted, enterprise_id=enterprise_id), accepted)
            day = min(w.days.after(accepted, _used_days(w.rng, item.current.promised_limit)), self.last)
            application = self.complete(application, day, refused=k == 7)
            if k in (0, 2) or k > 7:
                continue  # waiting for the applicant's rating
            dissatisfied = k == 6
            services.application_rate(
                application=application,
                by=w.users[application.enterprise_id],
                level=Level.DISSATISFIED if dissatisfied else w.rng.choice((Level.VERY_SATISFIED, Level.SATISFIED)),
                comment=COMPLAINTS[0] if dissatisfied else "",
                on=min(w.today, day + timedelta(days=1)),
            )

    def rejected(self) -> None:
        w = self.w
        application = self.file(w.rng.choice(self.active), w.days.before(self.last, 4))
        services.application_reject(
            application=application,
            by=self.staff(application),
            reason=REJECT_REASONS[0],
            on=w.days.before(self.last, 3),
        )

    def bundle(self, report) -> None:
        """A parallel approval under way, filed by officer2 for ent2's enterprise: half its items done."""
        w, ent2 = self.w, self.persona_enterprise("ent2")
        items = [
            i for i in (w.by_name(n) for n in PROJECT_ITEMS[0]) if i is not None and i.status == Item.Status.ACTIVE
        ]
        if len(items) < 2 or ent2 is None:
            return
        started = w.days.before(self.last, 3)
        bundle = services.bundle_create(
            by=w.officers[ent2],
            enterprise=self.enterprises[ent2],
            name=PROJECTS.get(w.chains.get(ent2, ""), PROJECTS["equipment"])[1],
            items=items,
            started_on=started,
        )
        for k, application in enumerate(bundle.applications.order_by("pk")):
            application = self.accept(application, started)
            if k % 2 == 0:
                limit = application.limit_days
                self.complete(application, w.days.after(started, min(limit, 2)) if limit else started)
        self.count += len(items)
        report.add("parallel approvals", 1)


def load_recent(w: World, report) -> None:
    """Applications of the last weeks before today, through the real services: every state and light shows."""
    recent = Recent(w)
    recent.at_the_window()
    recent.noticed()
    recent.running()
    recent.paused()
    recent.done()
    recent.rejected()
    recent.bundle(report)
    report.add("applications", recent.count)


# --- Entry point ---------------------------------------------------------------------------------------------


@unrecorded
def load_approvals(rng: random.Random, report, *, applications: int = APPLICATIONS, today: date | None = None) -> None:
    """The catalogue, the year ``YEAR`` of applications and the last weeks; idempotent (a second run adds nothing)."""
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    load_catalogue(report, by=admin)
    if Application.objects.filter(received_on__year=YEAR).exists():
        return  # loaded already
    today = today or timezone.localdate()
    w = _world(rng, today)
    if w is None:
        return
    cases, bundles = plan_year(w, applications)
    write(w, cases, bundles, report)
    load_recent(w, report)
    services.report_overdue(today=today)
    services.warn_yellow(today=today)
