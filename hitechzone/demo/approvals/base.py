"""What the demo approval centre shares: its constants, working-day arithmetic and the plan of a case."""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import User
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Item,
    ItemVersion,
    Material,
    Pause,
)
from hitechzone.common.deadlines import BulkClock
from hitechzone.zone.models import Department

YEAR = 2025
APPLICATIONS = 3000  # received in YEAR (bundles included)
OPEN_OVERDUE = 15  # YEAR's applications still open today: long overdue
OPEN_OVERDUE_UNDER_WAY = 5  # the year under way's applications left open, overdue by today (besides the tail)
RECENT_WORKING_DAYS = 18  # the last working days before today, played through the services (recent.py)
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
SPRING_FESTIVALS = {  # year: its quiet weeks (the festival: 29 January 2025, 17 February 2026, 6 February 2027)
    YEAR: SPRING_FESTIVAL,
    2026: (date(2026, 2, 8), date(2026, 3, 5)),
    2027: (date(2027, 1, 28), date(2027, 2, 22)),
}

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
    resume: date | None  # the clock runs again this day (the pause ends the day before); None: still paused today
    reason: str

    @property
    def ended(self) -> date | None:
        return None if self.resume is None else max(self.start, self.resume - timedelta(days=1))


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
