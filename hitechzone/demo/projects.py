"""The demo zone's investment projects (M3, 项目决策专家咨询制度; issue 14 item 13).

Forty projects on the road from first contact to production (线索 … 投产, 暂停, 终止 with its reason), brought by
the demo's officers for investors with invented names (some ranked in the Fortune Global 500 or China's top 500, as
the zone targets them; never a real company: ``reference.FORBIDDEN_NAME_PARTS``), with figures that pass the 标准地
checks or fail one of them as a real file would; fourteen experts (two academicians, one who declares a conflict
with an investor's group and is visibly excluded from its panel, one retired); a panel for every project past
negotiation, sealed while members still have to score (``expert1`` and ``expert2`` each have one to do, on two
different panels), scored and decided by the leader (admit, admit with conditions, reject) further on.

And the article's project, with invented names: a 1.6亿 (16,000 万元) motor project placed on the parcels a small
machinery works handed back when its foundry (铸造车间) stopped, in the evaluation demo's land exit (its one case
whose land is returned and not yet re-used: ``evaluation.land.FOUNDRY_STORY``), from 洽谈 to 落地 (供地) in 56 days,
then in 审批, its project company in the registry and served by its officer. No parallel approval is filed for it:
the approval centre's demo plays its applications itself (accepted, processed and certified by the departments'
staff on its own serials); one filed here would wait at the window since June.

The panels are drawn with the service's own draw; for the two panels ``expert1`` and ``expert2`` must sit on, the
seed is the first one whose replayed draw (``panels.draw`` over the project's eligible experts) seats him and not
the other.

Everything is written through the M3 services by whom the road names, so the audit trail
is the services' own. What those services stamp with the clock's today (a project's 线索 date, a panel's draw, a
score, the leader's decision, the 投产 link and the officer's assignment) is then set to the story's date in one
update per row, unrecorded like the generator's other bulk writes (``trail.py``): a record would only say "the
generator dated it". Dates run backwards from ``today`` (nothing happens after it), so every stage holds the same
number of projects whatever the day; the article's dates are those of its exit case. Idempotent: nothing is added
once the experts are there.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.approvals import services as approval_services
from hitechzone.approvals.models import Application, Item
from hitechzone.common.calendar import add_working_days
from hitechzone.enterprises.models import Assignment, Enterprise, IndustryChain
from hitechzone.evaluation.models import ExitCase
from hitechzone.projects import links, panel_services, panels, pipeline, services
from hitechzone.projects.models import (
    Expert,
    Investor,
    Panel,
    PanelMember,
    Project,
    ProjectDecision,
    ProjectEnterprise,
    Score,
)
from hitechzone.zone.models import FunctionalArea, Parcel

from . import reference as ref
from .approvals.base import APPROVED, PROJECT_ITEMS
from .trail import unrecorded

S = Project.Stage
O = ProjectDecision.Outcome  # noqa: E741 — as in projects.pipeline
ROAD = (S.LEAD, S.NEGOTIATION, S.REVIEW, S.SIGNED, S.LAND, S.APPROVAL, S.CONSTRUCTION, S.PRODUCTION)
#: Days spent in each stage of the road before the next (low, high).
GAPS = {
    S.LEAD: (8, 40),
    S.NEGOTIATION: (15, 50),
    S.REVIEW: (18, 40),
    S.SIGNED: (20, 60),
    S.LAND: (15, 40),
    S.APPROVAL: (35, 90),
    S.CONSTRUCTION: (150, 320),
}

# --- The experts ----------------------------------------------------------------------------------------------------

CONFLICTED_GROUP = "澄湖新材料集团"  # the group the conflicted expert declares (an investor's parent group below)
FORMER_GROUP = "衡川化工控股集团"  # the group another expert left less than three years ago

# username, name, title, academician, specialties, affiliation, former affiliations, declared conflicts, active
EXPERTS = (
    ("expert1", "钱立衡", "教授级高级工程师", False, ["equipment", "electronics"], "东南机电设计研究院", [], [], True),
    ("expert2", "沈若岚", "研究员", False, ["biomedicine", "fine-chemicals"], "江淮药物研究所", [], [], True),
    ("expert3", "欧阳启明", "中国工程院院士", True, ["general"], "华东理工研究院", [], [], True),
    ("expert4", "司马清远", "中国科学院院士", True, ["general"], "浙西材料科学实验室", [], [], True),
    ("expert5", "顾惟安", "教授", False, ["general"], "钱塘工业大学", [], [CONFLICTED_GROUP], True),
    (
        "expert6",
        "陆守恒",
        "高级经济师",
        False,
        ["general"],
        "衢江产业发展研究中心",
        [{"name": FORMER_GROUP, "until": "2024-08-31"}],
        [],
        True,
    ),
    ("expert7", "韩知微", "注册安全工程师", False, ["general"], "省安全生产科学研究院", [], [], True),
    ("expert8", "周砚秋", "教授级高级工程师", False, ["fluorine", "organosilicon"], "东海氟硅工程中心", [], [], True),
    ("expert9", "林嘉树", "研究员", False, ["fluorine", "inorganic-silicon"], "江南无机材料研究所", [], [], True),
    ("expert10", "许正则", "教授", False, ["fine-chemicals", "fluorine"], "钱塘工业大学化工学院", [], [], True),
    ("expert11", "杜衡芷", "主任药师", False, ["biomedicine"], "浙西医药产业技术研究院", [], [], True),
    ("expert12", "吕思齐", "高级工程师", False, ["electronics", "equipment"], "之江微电子研究所", [], [], True),
    ("expert13", "蒋望舒", "教授级高工", False, ["organosilicon", "fine-chemicals"], "华东有机硅研究所", [], [], True),
    ("expert14", "宋耕石", "教授（已退休）", False, ["equipment"], "衢州职业技术学院", [], [], False),
)

# --- The investors --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backer:
    """An investor as the demo plans it: its trade name, name, group, chain, its place in the rankings (2025)."""

    short: str
    name: str
    group: str
    chain: str
    global500: int | None = None
    china500: int | None = None
    foreign: str = ""  # its registration abroad


BACKERS = (
    Backer("凌岳", "凌岳电机（衢州）有限公司", "凌岳动力集团", "equipment", china500=187),  # the article's motor maker
    Backer("澄湖", "澄湖氟材料（衢州）有限公司", CONFLICTED_GROUP, "fluorine", china500=264),
    Backer("衡川", "衡川有机硅科技有限公司", FORMER_GROUP, "organosilicon", china500=143),
    Backer(
        "瓦尔克雷斯塔",
        "瓦尔克雷斯塔化学（中国）有限公司",
        "Valcresta Chemie AG",
        "fluorine",
        global500=212,
        foreign="HRB 481516",
    ),
    Backer(
        "奎尔蒙特",
        "奎尔蒙特材料（衢州）有限公司",
        "Quillmont Industries plc",
        "organosilicon",
        global500=366,
        foreign="CN 07731924",
    ),
    Backer(
        "欧斯特拉",
        "欧斯特拉电子（浙江）有限公司",
        "Ostrella Elektronik SE",
        "electronics",
        global500=441,
        foreign="HRB 207713",
    ),
    Backer("朔方", "朔方生物医药有限公司", "朔方健康产业集团", "biomedicine", china500=318),
    Backer("璟澜", "璟澜精细化学有限公司", "璟澜控股集团", "fine-chemicals"),
    Backer("曜石", "曜石新能源装备有限公司", "曜石集团", "equipment", china500=96),
    Backer("岚峰", "岚峰微电子有限公司", "岚峰科技集团", "electronics"),
    Backer("朗坤", "朗坤制药（衢州）有限公司", "朗坤医药集团", "biomedicine", china500=405),
    Backer("辰昊", "辰昊氟硅新材料有限公司", "辰昊实业集团", "fluorine"),
    Backer("骁腾", "骁腾智能装备有限公司", "", "equipment"),
    Backer("霁月", "霁月电子材料有限公司", "霁月新材集团", "electronics"),
    Backer("鹏翊", "鹏翊生物科技有限公司", "", "biomedicine"),
    Backer("璞瑞", "璞瑞涂料科技有限公司", "璞瑞化工集团", "fine-chemicals"),
    Backer("祺泰", "祺泰传感技术有限公司", "", "electronics"),
    Backer("霖旭", "霖旭硅材料有限公司", "霖旭集团", "organosilicon", china500=472),
    Backer("烨华", "烨华动力设备有限公司", "烨华机械集团", "equipment"),
    Backer("沐辰", "沐辰医药科技有限公司", "", "biomedicine"),
    Backer("栖云", "栖云农化有限公司", "栖云化工集团", "fine-chemicals"),
    Backer("玄澄", "玄澄光电科技有限公司", "", "electronics"),
    Backer("若谷", "若谷氟化学有限公司", "若谷投资集团", "fluorine"),
    Backer("黎川", "黎川精密机械有限公司", "", "equipment"),
    Backer("苍梧", "苍梧特种化学品有限公司", "苍梧控股集团", "fine-chemicals", china500=351),
    Backer("泊远", "泊远医药中间体有限公司", "", "biomedicine"),
    Backer(
        "塔林斯",
        "塔林斯化工（浙江）有限公司",
        "Tarrins Chemical Corporation",
        "fine-chemicals",
        global500=289,
        foreign="DE 5540217",
    ),
)
PESTICIDE_BACKER = 20  # 栖云农化: its pesticide project is restricted by the catalogue

# Per chain: the industry codes (GB/T 4754) and what the projects make.
CHAIN_PROJECTS = {
    "fluorine": (("C2614", "C2651"), ("年产2万吨含氟精细化学品项目", "含氟聚合物扩能项目", "电子级氢氟酸项目")),
    "organosilicon": (("C2651", "C2614"), ("年产5万吨有机硅单体项目", "高端硅橡胶项目", "功能性硅烷项目")),
    "fine-chemicals": (("C2662", "C2641"), ("电子化学品项目", "水性涂料及助剂项目", "专用化学品项目")),
    "biomedicine": (("C2710", "C2720"), ("原料药绿色制造项目", "制剂产业化项目", "医药中间体项目")),
    "electronics": (("C3985", "C3976"), ("电子专用材料项目", "功率半导体封装项目", "传感器模组项目")),
    "equipment": (("C3812", "C3441"), ("高效节能电机项目", "智能装备制造基地项目", "精密泵阀项目")),
}
RESTRICTED_CODE = "C2631"  # 化学农药制造: restricted by the demo catalogue

# --- The plan: where each project stands today ---------------------------------------------------------------------


@dataclass
class Plan:
    """One project as the demo plans it: its chain, where its road ends, the leader's decision, a check it fails."""

    chain: str
    stage: str  # where it stands today (paused and terminated: ``stopped`` says from where)
    outcome: str = ""  # the leader's decision, for a project past review (or rejected at it)
    fails: str = ""  # the admission check its figures fail ("" none)
    stopped: str = ""  # paused or terminated from this stage
    reason: str = ""  # why it was paused or terminated
    review: str = ""  # at review: "todo1" / "todo2" (expert1 / expert2 still to score), "scored", "drawn", "none"
    backer: int = -1  # index into BACKERS (-1: the next one)
    industry: str = ""  # a given industry code
    dates: dict = field(default_factory=dict)


def _plans() -> list[Plan]:
    return [
        # 投产: chemical and pharmaceutical projects in their functional areas (the new firm takes its brand).
        Plan("fluorine", S.PRODUCTION, O.ADMIT, backer=1),  # the conflicted expert's group: he is excluded
        Plan("organosilicon", S.PRODUCTION, O.ADMIT, backer=2),  # the expert who left that group within 3 years
        Plan("fine-chemicals", S.PRODUCTION, O.CONDITIONAL, "green_ratio"),
        Plan("biomedicine", S.PRODUCTION, O.ADMIT),
        # 开工
        Plan("fluorine", S.CONSTRUCTION, O.ADMIT, backer=3),
        Plan("biomedicine", S.CONSTRUCTION, O.ADMIT),
        Plan("electronics", S.CONSTRUCTION, O.CONDITIONAL, "tax_per_mu"),
        # 审批 (and the article's project, played apart)
        Plan("organosilicon", S.APPROVAL, O.ADMIT),
        Plan("equipment", S.APPROVAL, O.ADMIT),
        # 供地
        Plan("fine-chemicals", S.LAND, O.ADMIT),
        Plan("electronics", S.LAND, O.ADMIT, backer=5),
        Plan("equipment", S.LAND, O.CONDITIONAL, "investment_intensity"),
        Plan("fluorine", S.LAND, O.ADMIT),
        # 签约
        Plan("organosilicon", S.SIGNED, O.ADMIT, backer=4),
        Plan("biomedicine", S.SIGNED, O.CONDITIONAL, "energy_per_value_added"),
        Plan("electronics", S.SIGNED, O.ADMIT),
        Plan("equipment", S.SIGNED, O.ADMIT),
        # 评审: expert1 and expert2 each have a review to do, on different panels; two wait for the decision.
        Plan("equipment", S.REVIEW, review="todo1"),
        Plan("biomedicine", S.REVIEW, review="todo2"),
        Plan("fine-chemicals", S.REVIEW, review="scored"),
        Plan("fluorine", S.REVIEW, review="scored", fails="plot_ratio"),
        Plan("electronics", S.REVIEW, review="drawn"),
        Plan("organosilicon", S.REVIEW, review="none"),
        # 洽谈 and 线索
        Plan("fluorine", S.NEGOTIATION),
        Plan("equipment", S.NEGOTIATION),
        Plan("biomedicine", S.NEGOTIATION),
        Plan("electronics", S.NEGOTIATION),
        Plan("fine-chemicals", S.NEGOTIATION, backer=26),
        Plan("organosilicon", S.LEAD),
        Plan("equipment", S.LEAD),
        Plan("electronics", S.LEAD),
        Plan("biomedicine", S.LEAD),
        Plan("fluorine", S.LEAD),
        # 暂停
        Plan("equipment", S.PAUSED, stopped=S.NEGOTIATION, reason="投资方集团内部调整投资计划，洽谈暂缓"),
        Plan(
            "fine-chemicals",
            S.PAUSED,
            O.ADMIT,
            stopped=S.SIGNED,
            reason="项目环评区域削减替代指标待落实，暂缓供地",
        ),
        Plan("electronics", S.PAUSED, stopped=S.LEAD, reason="投资方融资未到位，暂停跟进"),
        # 终止
        Plan(
            "fine-chemicals",
            S.TERMINATED,
            O.REJECT,
            "industry_catalogue",
            stopped=S.REVIEW,
            reason="产业导向不符（化学农药制造属限制类），评审未通过，项目终止",
            industry=RESTRICTED_CODE,
            backer=PESTICIDE_BACKER,
        ),
        Plan(
            "fluorine",
            S.TERMINATED,
            O.REJECT,
            "energy_per_value_added",
            stopped=S.REVIEW,
            reason="单位增加值能耗超标且安全环保一票否决，评审未通过，项目终止",
        ),
        Plan("equipment", S.TERMINATED, stopped=S.NEGOTIATION, reason="投资方选址外省，项目终止"),
    ]


# --- Figures --------------------------------------------------------------------------------------------------------

INTENSITY = {"C26": 350, "C27": 350, "C39": 400}  # 万元/亩 by major class, else 300 (the demo rules)
PLOT_RATIO = {"C26": 0.6, "C27": 0.7, "C38": 0.7, "C39": 1.0}  # else 0.8


def _q(x: float, places: str = "0.01") -> Decimal:
    return Decimal(str(x)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def figures(rng: random.Random, code: str, land_mu: Decimal, fails: str = "") -> dict:
    """A project's figures on ``land_mu``: every 标准地 check passes with some room, except ``fails``."""
    mu = float(land_mu)
    area = mu * 10000 / 15
    intensity = INTENSITY.get(code[:3], 300) * (rng.uniform(0.72, 0.9) if fails == "investment_intensity" else 1)
    fixed = mu * intensity * (1 if fails == "investment_intensity" else rng.uniform(1.08, 1.7))
    plot = PLOT_RATIO.get(code[:3], 0.8) * (rng.uniform(0.7, 0.9) if fails == "plot_ratio" else rng.uniform(1.1, 1.7))
    tax_per_mu = rng.uniform(20, 27) if fails == "tax_per_mu" else rng.uniform(33, 75)
    tax = mu * tax_per_mu
    value_added = tax * rng.uniform(2.6, 4.2)
    energy_rate = rng.uniform(0.58, 0.8) if fails == "energy_per_value_added" else rng.uniform(0.06, 0.45)
    green = rng.uniform(0.21, 0.25) if fails == "green_ratio" else rng.uniform(0.08, 0.18)
    return {
        "total_investment_wan_yuan": _q(fixed * rng.uniform(1.12, 1.35), "1"),
        "fixed_asset_investment_wan_yuan": _q(fixed, "1"),
        "land_mu": land_mu,
        "floor_area_m2": _q(area * plot),
        "footprint_m2": _q(area * rng.uniform(0.36, 0.58)),
        "admin_land_m2": _q(area * rng.uniform(0.03, 0.065)),
        "green_area_m2": _q(area * green),
        "annual_output_wan_yuan": _q(value_added * rng.uniform(3.2, 4.8), "1"),
        "annual_tax_wan_yuan": _q(tax),
        "annual_value_added_wan_yuan": _q(value_added),
        "annual_energy_tce": _q(value_added * energy_rate),
        "jobs": int(mu * rng.uniform(1.5, 4)),
        "rd_share": _q(rng.uniform(2.5, 8)),
    }


# --- The road, dated -----------------------------------------------------------------------------------------------


def _road_to(plan: Plan) -> tuple[str, ...]:
    """The stages of the road the project entered (线索 first)."""
    last = plan.stopped or plan.stage
    return ROAD[: ROAD.index(last) + 1]


def _date_road(rng: random.Random, plan: Plan, today: date) -> None:
    """Each stage's date, backwards from the last move (a few days to two months before today)."""
    stages = _road_to(plan)
    last = today - timedelta(days=rng.randint(3, 55))
    if plan.stage in (S.PAUSED, S.TERMINATED):
        plan.dates[plan.stage] = last
        last -= timedelta(days=rng.randint(10, 60))
    on = last
    for stage in reversed(stages):
        plan.dates[stage] = on
        before = ROAD.index(stage) - 1
        if before >= 0:
            low, high = GAPS[ROAD[before]]
            on -= timedelta(days=rng.randint(low, high))


def _moment(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


# --- The world the loader reads -------------------------------------------------------------------------------------


@dataclass
class World:
    rng: random.Random
    today: date
    admin: User
    leader: User
    officers: list[User]
    experts: dict[str, Expert]  # by username
    chains: dict[str, IndustryChain]
    areas: dict[str, FunctionalArea]
    investors: list[Investor] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    turns: dict[str, int] = field(default_factory=dict)  # per chain: the next investor's turn

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _expert_users(report) -> None:
    """The experts' logins beyond the personas (``expert1`` and ``expert2`` are the generator's), with the demo
    password (one hash for all: it is the published password)."""
    from .generator import PASSWORD, _insert_missing

    password = make_password(PASSWORD)
    users = [
        User(username=username, role=Role.EXPERT, full_name=f"{name}（{title}）", password=password)
        for username, name, title, *_rest in EXPERTS
        if username not in ("expert1", "expert2")
    ]
    _insert_missing(User, users, "username", report, "users")


def _load_experts(admin: User) -> dict[str, Expert]:
    users = {u.username: u for u in User.objects.filter(username__in=[e[0] for e in EXPERTS], role=Role.EXPERT)}
    out = {}
    for username, name, title, academician, specialties, affiliation, former, declared, active in EXPERTS:
        out[username] = panel_services.expert_create(
            by=admin,
            name=name,
            title=title,
            academician=academician,
            specialties=specialties,
            affiliation=affiliation,
            former_affiliations=former,
            declared_conflicts=declared,
            active=active,
            user=users.get(username),
        )
    return out


def _new_uscc(rng: random.Random, serial: int, taken: set[str]) -> str:
    from .generator import make_uscc

    while True:
        found = make_uscc(rng, serial)
        if found not in taken:
            taken.add(found)
            return found


def _load_investors(w: World) -> None:
    taken = set(Enterprise.objects.values_list("uscc", flat=True))
    for n, b in enumerate(BACKERS, start=900):
        assert not any(part in b.name + b.group for part in ref.FORBIDDEN_NAME_PARTS), b.name
        w.investors.append(
            services.investor_create(
                by=w.admin,
                name=b.name,
                uscc=_new_uscc(w.rng, n, taken),
                foreign_registration=b.foreign,
                parent_group=b.group,
                fortune_global_500_rank=b.global500,
                fortune_global_500_year=2025 if b.global500 else None,
                china_top500_rank=b.china500,
                china_top500_year=2025 if b.china500 else None,
            )
        )
    w.add("investors", len(w.investors))


def _world(rng: random.Random, today: date) -> World | None:
    admin = User.objects.filter(username="admin", role=Role.ADMIN).first()
    leader = User.objects.filter(username="leader", role=Role.LEADER).first()
    officers = list(User.objects.filter(role=Role.OFFICER, username__startswith="officer").order_by("pk"))
    if admin is None or leader is None or len(officers) < 4:
        return None
    officers.sort(key=lambda u: int(u.username.removeprefix("officer") or 0))
    return World(
        rng=rng,
        today=today,
        admin=admin,
        leader=leader,
        officers=officers[:6],  # officer1 … officer6 bring projects (officer1 the article's)
        experts={},
        chains={c.code: c for c in IndustryChain.objects.order_by("code")},
        areas={a.code: a for a in FunctionalArea.objects.order_by("code")},
    )


# --- Playing one project --------------------------------------------------------------------------------------------

REASONS = {
    O.ADMIT: "符合园区产业导向，标准地各项指标达标，专家评审建议准入",
    O.CONDITIONAL: "产业导向符合，专家评审建议有条件准入；{check}未达标准地要求，须在签约前落实整改",
    O.REJECT: "专家评审建议不予准入：{check}不符合准入要求",
}
CONDITIONS = "签约前提交{check}整改方案，达产后按标准地承诺考核，未达标按协议收回用地"
CHECK_NAMES = {
    "investment_intensity": "投资强度",
    "plot_ratio": "容积率",
    "green_ratio": "绿地率",
    "tax_per_mu": "亩均税收",
    "energy_per_value_added": "单位增加值能耗",
    "industry_catalogue": "产业导向",
}
QUALITY = {O.ADMIT: 86, O.CONDITIONAL: 71, O.REJECT: 50, "": 78}
COMMENTS = {
    O.ADMIT: ("技术路线成熟，与园区产业链关联度高", "投资强度和亩均效益预期较好，建议准入", "安全环保措施到位"),
    O.CONDITIONAL: ("总体可行，个别标准地指标需整改", "建议附条件准入，签约前落实整改", "产业关联度一般"),
    O.REJECT: ("不符合园区产业导向", "能耗和安全环保风险较大", "亩均效益预期偏低，不建议准入"),
    "": ("项目材料完整，总体可行", "建议关注安全环保投入", "与园区主导产业配套"),
}


def _criteria(rng: random.Random, quality: int) -> dict[str, int]:
    return {code: max(0, min(100, round(rng.gauss(quality, 4)))) for code in panels.CRITERION_CODES}


def _seed_with(project: Project, want: Expert, avoid: Expert, start: int) -> int:
    """The first seed from ``start`` whose draw seats ``want`` and not ``avoid`` (the draw is replayable:
    ``panels.draw`` over the eligible experts gives the members the service will store)."""
    _chain, eligible, _excluded = panel_services._eligibility(project, timezone.localdate())
    pairs = [(c.id, c.academician) for c in eligible]
    for seed in range(start, start + 500):
        members = panels.draw(pairs, seed=seed, size=panels.DEFAULT_SIZE)
        if want.pk in members and avoid.pk not in members:
            return seed
    raise RuntimeError(f"no seed seats {want} on the panel of {project}")


class Player:
    """Plays one project's road through the services, then dates what the services dated today."""

    def __init__(self, w: World, project: Project, plan: Plan) -> None:
        self.w, self.project, self.plan = w, project, plan
        self.officer = project.officer

    def move(self, stage: str, on: date, reason: str = "") -> None:
        pipeline.project_move(project=self.project, to_stage=stage, on=on, by=self.officer, reason=reason)
        self.project.refresh_from_db()
        self.w.add("stage moves")

    def review(self, on: date, mode: str) -> None:
        """The panel: drawn the day after the project entered review, scored within ten days (all, some or none)."""
        w, rng, plan = self.w, self.w.rng, self.plan
        if mode == "none":
            return
        seed = rng.randrange(2**31)
        if mode in ("todo1", "todo2"):
            want, avoid = (w.experts["expert1"], w.experts["expert2"])[:: 1 if mode == "todo1" else -1]
            seed = _seed_with(self.project, want, avoid, seed)
        panel = panel_services.panel_draw(by=self.officer, project=self.project, seed=seed)
        drawn = min(on + timedelta(days=1), w.today)
        Panel.objects.filter(pk=panel.pk).update(drawn_on=drawn, drawn_at=_moment(drawn, 9, 30))
        w.add("expert panels")
        if mode == "drawn":
            return
        seats = list(PanelMember.objects.filter(panel=panel).select_related("expert__user").order_by("seat"))
        if mode == "todo1":
            seats = [s for s in seats if s.expert_id != w.experts["expert1"].pk][:2]
        elif mode == "todo2":
            seats = [s for s in seats if s.expert_id != w.experts["expert2"].pk][:3]
        quality = QUALITY[plan.outcome]
        comments = COMMENTS[plan.outcome]
        for k, seat in enumerate(seats):
            veto = plan.outcome == O.REJECT and plan.fails == "energy_per_value_added" and k == 0
            score = panel_services.score_submit(
                by=seat.expert.user,
                project=self.project,
                criteria=_criteria(rng, quality),
                comment=comments[k % len(comments)],
                veto=veto,
                veto_reason="单位增加值能耗远超准入值，安全环保风险不可控" if veto else "",
            )
            day = min(drawn + timedelta(days=2 + k * 2), w.today)
            Score.objects.filter(pk=score.pk).update(submitted_at=_moment(day, 15, 10 * k))
            w.add("panel scores")

    def decide(self, on: date) -> None:
        check = CHECK_NAMES.get(self.plan.fails, "")
        outcome = self.plan.outcome
        decision = pipeline.project_decide(
            project=self.project,
            outcome=outcome,
            reasons=REASONS[outcome].format(check=check),
            conditions=CONDITIONS.format(check=check) if outcome == O.CONDITIONAL else "",
            by=self.w.leader,
        )
        ProjectDecision.objects.filter(pk=decision.pk).update(decided_on=on)
        self.w.add("project decisions")

    def play(self) -> None:
        """The road up to where the plan ends: each stage on its date; review scored and decided in the days
        before the project is signed (or ended)."""
        plan, dates = self.plan, self.plan.dates
        Project.objects.filter(pk=self.project.pk).update(created_on=dates[S.LEAD])
        road = _road_to(plan)
        for stage in road[1:]:
            if stage == S.SIGNED:
                self.decide(dates[S.SIGNED] - timedelta(days=self.w.rng.randint(2, 6)))
            self.move(stage, dates[stage])
            if stage == S.REVIEW:
                self.review(dates[S.REVIEW], plan.review or "scored")
        if plan.stage == S.TERMINATED and plan.outcome == O.REJECT:
            self.decide(dates[S.TERMINATED] - timedelta(days=self.w.rng.randint(1, 5)))
        if plan.stage in (S.PAUSED, S.TERMINATED):
            self.move(plan.stage, dates[plan.stage], plan.reason)
        if plan.stage == S.PRODUCTION:
            self.date_link(dates[S.PRODUCTION])

    def date_link(self, on: date) -> None:
        """The 投产 link and the officer's assignment as of ``on`` (the services dated them today)."""
        link = ProjectEnterprise.objects.get(project=self.project)
        ProjectEnterprise.objects.filter(pk=link.pk).update(linked_on=on)
        Assignment.objects.filter(enterprise_id=link.enterprise_id, officer=self.officer, ended_on__isnull=True).update(
            started_on=on
        )
        self.w.add("enterprises from projects")


def _next_investor(w: World, chain: str) -> Investor:
    """The chain's investors in turn (those the plan does not name: index 6 on)."""
    pool = [w.investors[n] for n, b in enumerate(BACKERS) if n >= 6 and b.chain == chain and n != PESTICIDE_BACKER]
    turn = w.turns.get(chain, 0)
    w.turns[chain] = turn + 1
    return pool[turn % len(pool)]


def _create(w: World, plan: Plan, k: int, land_mu: Decimal | None = None, name: str = "") -> Project:
    rng = w.rng
    codes, names = CHAIN_PROJECTS[plan.chain]
    code = plan.industry or rng.choice(codes)
    investor = w.investors[plan.backer] if plan.backer >= 0 else _next_investor(w, plan.chain)
    land_mu = land_mu or _q(rng.uniform(25, 160), "0.0001")
    area_code = {"fluorine": "fluorosilicon", "organosilicon": "fluorosilicon", "fine-chemicals": "fine-chemicals"}
    area_code["biomedicine"] = "biochemical"
    area = w.areas.get(area_code.get(plan.chain, ""))
    short = BACKERS[w.investors.index(investor)].short
    project = services.project_create(
        by=w.officers[k % len(w.officers)] if not name else w.officers[0],
        name=name or f"{short}{rng.choice(names)}",
        investor=investor,
        industry_code=code,
        chain=w.chains.get(plan.chain),
        functional_area=area,
        hazardous_chemicals=plan.chain in ("fluorine", "organosilicon", "fine-chemicals"),
        pollutants="废气（VOCs）、废水（COD、氨氮）" if area else "少量废气、生活污水",
        **figures(rng, code, land_mu, plan.fails),
    )
    w.add("investment projects")
    return project


# --- The article's project ------------------------------------------------------------------------------------------

ARTICLE_NAME = "凌岳电机年产300万台高效节能电机项目"
ARTICLE_INVESTMENT = Decimal(16000)  # 万元: 1.6亿


def article_case() -> ExitCase | None:
    """The exit case whose land is handed back and on offer: the idle firm that stopped production (evaluation
    demo's ``IDLE_STORY``), its parcels freed and not re-used."""
    for case in ExitCase.objects.filter(status=ExitCase.Status.LAND_RETURNED, returned_on__isnull=False).order_by(
        "returned_on", "pk"
    ):
        if Parcel.objects.freed().filter(pk__in=case.parcels.values("pk")).exists():
            return case
    return None


def _article(w: World) -> None:
    """洽谈 two weeks before the land came back, 供地 56 days after 洽谈, then 审批."""
    case = article_case()
    if case is None:
        return
    returned = case.returned_on
    dates = {
        S.LEAD: returned - timedelta(days=34),
        S.NEGOTIATION: returned - timedelta(days=18),
        S.REVIEW: returned - timedelta(days=4),
        S.SIGNED: returned + timedelta(days=17),
        S.LAND: returned + timedelta(days=38),
        S.APPROVAL: returned + timedelta(days=48),
    }
    if dates[S.APPROVAL] > w.today:
        return  # the story has not happened yet
    parcels = list(Parcel.objects.freed().filter(pk__in=case.parcels.values("pk")).order_by("code"))
    land_mu = sum((p.area_mu for p in parcels), Decimal(0))
    plan = Plan("equipment", S.APPROVAL, O.ADMIT, backer=0, industry="C3812", dates=dates)
    project = _create(w, plan, 0, land_mu=land_mu, name=ARTICLE_NAME)
    fixed = (ARTICLE_INVESTMENT * Decimal("0.85")).quantize(Decimal(1))
    project = services.project_update(
        by=project.officer,
        project=project,
        total_investment_wan_yuan=ARTICLE_INVESTMENT,
        fixed_asset_investment_wan_yuan=fixed,
    )
    player = Player(w, project, plan)
    Project.objects.filter(pk=project.pk).update(created_on=dates[S.LEAD])
    for stage in (S.NEGOTIATION, S.REVIEW, S.SIGNED, S.LAND):
        if stage == S.SIGNED:
            player.decide(dates[S.SIGNED] - timedelta(days=3))
        if stage == S.LAND:
            links.project_place(by=player.officer, project=project, parcels=parcels, on=dates[S.LAND])
        player.move(stage, dates[stage])
        if stage == S.REVIEW:
            player.review(dates[S.REVIEW], "scored")
    player.move(S.APPROVAL, dates[S.APPROVAL])
    # 审批: the project company enters the registry, its officer its 店小二 (and, in the approval centre, its agent).
    links.project_link_enterprise(project=project, by=player.officer)
    player.date_link(dates[S.APPROVAL])
    _article_bundle(w, project, dates[S.APPROVAL])
    w.add("parallel approvals")


def _certificate(department, day: date) -> str:
    """The department's next certificate number of the year, in the approvals demo's form."""
    serial = Application.objects.filter(
        department=department, certificate_no__startswith=f"高新{department.short_name}准字〔{day.year}〕"
    ).count()
    while True:
        serial += 1
        number = f"高新{department.short_name}准字〔{day.year}〕第{serial:04d}号"
        if not Application.objects.filter(certificate_no=number).exists():
            return number


def _article_bundle(w: World, project: Project, opened: date) -> None:
    """Its officer files the approvals in parallel as the company's agent (代办) the day the project enters 审批: the
    approvals demo's first project bundle, every material handed in, each application accepted the next working
    day and approved within its limit — as far as today reaches."""
    by_name = {i.current.name: i for i in Item.objects.filter(status=Item.Status.ACTIVE).select_related("current")}
    items = [by_name[n] for n in PROJECT_ITEMS[0] if n in by_name]
    if len(items) < 2:
        return  # no approval centre loaded
    bundle = links.project_open_bundle(
        by=project.officer, project=project, items=[i.pk for i in items], started_on=opened
    )
    staff = {}
    for user in User.objects.filter(role=Role.DEPARTMENT, is_active=True).order_by("pk"):
        staff.setdefault(user.department_id, user)
    accepted = add_working_days(opened, 1).value
    if accepted > w.today:
        return
    applications = Application.objects.filter(bundle_id=bundle.pk).select_related("department").order_by("pk")
    for k, application in enumerate(applications):
        clerk = staff[application.department_id]
        provided = list(application.version.materials.values_list("pk", flat=True))
        approval_services.application_check(application=application, by=clerk, provided=provided, on=accepted)
        application = approval_services.application_assign(
            application=application, by=clerk, assignee=clerk, on=accepted
        )
        days = 2 + 2 * k if application.limit_days is None else min(application.limit_days, 2 + 2 * k)
        done = add_working_days(accepted, days).value  # 即办 (a limit of 0): the day it is accepted
        if done <= w.today:
            approval_services.application_complete(
                application=application,
                by=clerk,
                outcome=APPROVED,
                certificate_no=_certificate(application.department, done),
                on=done,
            )


# --- Loading it all -------------------------------------------------------------------------------------------------


@unrecorded
def load_projects(rng: random.Random, report, *, today: date) -> None:
    """The M3 demo (see the module text); nothing is added when the demo's experts are there already."""
    _expert_users(report)
    if Expert.objects.filter(user__username="expert1").exists():
        return  # loaded already
    w = _world(rng, today)
    if w is None:
        return
    w.experts = _load_experts(w.admin)
    w.add("experts", len(w.experts))
    _load_investors(w)
    _article(w)
    plans = _plans()
    for plan in plans:
        _date_road(rng, plan, today)
    # Recorded in the order they came in (线索 date), as the officers would have.
    for k, plan in sorted(enumerate(plans), key=lambda kp: (kp[1].dates[S.LEAD], kp[0])):
        project = _create(w, plan, k)
        Player(w, project, plan).play()
    for name, n in w.counts.items():
        report.add(name, n)


#: The stage of each planned project today, for the tests (the article's project is in 审批 besides).
PLANNED_STAGES = [p.stage for p in _plans()]


def hints() -> dict[str, str]:
    """What the personas find in the investment module, from what is loaded (for the printed logins)."""
    from django.utils.translation import gettext as _

    found: dict[str, str] = {}
    for username in ("expert1", "expert2"):
        seat = (
            PanelMember.objects.sitting()
            .filter(expert__user__username=username, score__isnull=True, panel__project__stage=S.REVIEW)
            .select_related("panel__project")
            .order_by("panel__project__name", "pk")
            .first()
        )
        if seat is not None:
            found[username] = _("investment projects: a review to score for %(project)s") % {
                "project": seat.panel.project.name
            }
    project = Project.objects.filter(name=ARTICLE_NAME).first()
    if project is not None:
        days = pipeline.days_negotiation_to_landing(pipeline.stage_dates(project))
        found["officer1"] = _("investment projects: %(project)s, from negotiation to land in %(days)s days") % {
            "project": project.name,
            "days": days,
        }
    return found
