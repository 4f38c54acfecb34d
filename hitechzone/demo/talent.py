"""The demo zone's innovation and talent (M6, 创新驱动、招才引智; issue 15), with the article's figures.

``GET /api/v1/talent/stats/`` (this year by default) answers exactly what the article counts: 65 team applications
to the talent entrepreneurship park, 53 PhD holders and 20 national or provincial programme talents among their
members, 31,000 万元 of proposed registered capital and 128,200 万元 of planned investment; in the zone 1 national
and 15 provincial programme talents and 4 academician experts; 100 partner universities and institutes with an
agreement running; a 1,000 万元 innovation fund. "This year" is the year of the demo's ``today``: the 65
applications are submitted in it (from 1 January to ``today``, whatever the day), so the figures hold for the year
the stats default to. A dozen applications of the year before are further on (incubating, graduated, left).

Beside the figures: the platforms of the article's types (invented names), two off-site incubators (a Shanghai pharma
valley, a Hangzhou sci-tech city) with the demo enterprises that moved from them into the zone, the talent office
(科技局, login ``talent1``), the innovation fund's grants (approved by the leader, one refused, one applied for by
``ent1``) paid in instalments, and the team applications spread over every stage of the workflow, each step dated.

Everything is written through the M6 services by whom the workflow names (the talent office, the leader, ``ent1``),
so the audit trail is the services' own; what the services stamp with the clock's today (an application's
submission, a step, a grant's dates) is then set to the story's date in one update per row, unrecorded like the
generator's other bulk writes (``trail.py``). Enterprise names are the demo's invented ones; the real companies the
article names carry no figure. Idempotent: nothing is added once the talent office is there.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.demo.talent_links import load_incubator_projects
from hitechzone.enterprises.models import Enterprise, IndustryChain
from hitechzone.talent import services
from hitechzone.talent.idnumber import check_character
from hitechzone.talent.models import (
    Degree,
    Fund,
    Grant,
    Level,
    Partner,
    Platform,
    TalentOffice,
    TeamApplication,
    TeamStep,
)
from hitechzone.zone.models import Department

from . import reference as ref
from .trail import unrecorded

A = TeamApplication.Status

# --- The article's figures (the stats of the demo's year) ----------------------------------------------------------

TEAM_APPLICATIONS = 65
PHD_HOLDERS = 53
PROGRAMME_MEMBERS = 20  # national or provincial programme talents among the teams' members
NATIONAL_MEMBERS = 6  # of those 20
REGISTERED_CAPITAL = 31000  # 万元 (3.1亿元)
PLANNED_INVESTMENT = 128200  # 万元 (12.82亿元)
NATIONAL_TALENTS, PROVINCIAL_TALENTS, ACADEMICIANS = 1, 15, 4
CITY_TALENTS = 9
PARTNERS = 100
FUND_WAN_YUAN = 1000

OFFICE_DEPARTMENT = "kjj"  # 市科学技术局: the talent office (人才办) of the demo
OFFICE_LOGIN = ("talent1", "人才办 经办人")

# --- Platforms and incubators (invented names, the article's types) ------------------------------------------------

K = Platform.Kind
PLATFORMS = (
    ("浙西氟硅新材料国家工程研究中心", K.ENGINEERING_CENTRE, Level.NATIONAL, "浙西氟硅产业研究院", "2011-09-20"),
    ("浙西大学科技城", K.SCIENCE_CITY, Level.PROVINCIAL, "浙西大学科技城管理办公室", "2013-05-18"),
    ("明川工业设计园", K.DESIGN_PARK, Level.PROVINCIAL, "明川工业设计园运营公司", "2014-03-01"),
    ("浙西氟硅产业研究院", K.INSTITUTE, Level.PROVINCIAL, "高新区管委会", "2010-12-08"),
    ("浙西绿色经济发展研究院", K.INSTITUTE, Level.CITY, "高新区管委会", "2015-06-30"),
    ("钱塘工业大学技术转移中心博士后工作站", K.POSTDOC, Level.PROVINCIAL, "钱塘工业大学", "2012-10-16"),
    ("高新区院士专家工作站", K.ACADEMICIAN, Level.PROVINCIAL, "高新区管委会", "2012-04-25"),
    ("浙西海外高层次人才创业创新基地", K.OVERSEAS_BASE, Level.PROVINCIAL, "高新区管委会", "2013-08-12"),
    ("浙西“千人计划”人才创业园", K.ENTREPRENEURSHIP_PARK, Level.CITY, "高新区管委会", "2014-05-20"),
    ("钱塘工业大学技术转移中心高新区分中心", K.TRANSFER_CENTRE, Level.CITY, "钱塘工业大学", "2016-11-03"),
    ("澄江理工大学技术转移转化中心", K.TRANSFER_CENTRE, Level.CITY, "澄江理工大学", "2018-04-09"),
)
PARK = "浙西“千人计划”人才创业园"

# name, city, location, floor area m², investment 万元, opened, teams incubated there, enterprises moved (chain, n)
#: The fields whose teams the talent office files as incubated at each off-site incubator (by its place in INCUBATORS).
INCUBATED_FIELDS = {"生物医药": 0, "电子化学品": 1}

INCUBATORS = (
    ("高新区上海药谷生物医药孵化器", "上海", "上海某药谷（租用企业办公楼改造）", 8500, 1800, "2014-09-01", 23,
     ("biomedicine", 4)),
    ("浙西海创园（杭州）", "杭州", "杭州某科技城", 60000, 10000, "2015-10-18", 41, ("electronics", 3)),
)  # fmt: skip

# --- People and institutions (invented) -----------------------------------------------------------------------------

PLACES = ("澄江", "明川", "云岭", "临溪", "望海", "清源", "瓯越", "钱塘", "之江", "浙西", "南屏", "栖霞",
          "松阳", "青田", "北山", "东岭", "赤城", "天目", "西泠", "雁荡")  # fmt: skip
UNIVERSITY_KINDS = ("大学", "理工大学", "工业大学", "医科大学", "化工学院", "职业技术学院")
INSTITUTE_KINDS = ("材料研究所", "药物研究所", "化工研究院", "先进制造研究院", "氟化学研究所", "电子信息研究院")
SCOPES = ("氟硅新材料联合研发", "生物医药成果转化", "研究生联合培养与实习基地", "技术转移与专利许可",
          "共建联合实验室", "电子化学品检测与中试")  # fmt: skip
FIELDS = ("生物医药", "氟硅新材料", "电子化学品", "高端装备", "新能源材料", "精细化工")
PROJECTS = {
    "生物医药": ("创新小分子药物研发及产业化", "单克隆抗体药物中试", "高端制剂产业化", "体外诊断试剂研发"),
    "氟硅新材料": ("含氟功能膜材料产业化", "高性能有机硅弹性体", "含氟医药中间体绿色合成"),
    "电子化学品": ("电子级湿化学品纯化", "半导体光刻胶配套材料", "高纯电子特气"),
    "高端装备": ("智能检测装备研发", "高效节能电机控制器", "工业机器人关键部件"),
    "新能源材料": ("锂电池电解质新材料", "固态电池隔膜", "氢燃料电池膜电极"),
    "精细化工": ("绿色催化新工艺", "水性功能涂料", "高端香料中间体"),
}
PROGRAMMES = {Level.NATIONAL: "国家“千人计划”", Level.PROVINCIAL: "省“千人计划”", Level.CITY: "市“南孔精英”计划"}


def _name(rng: random.Random) -> str:
    return rng.choice(ref.SURNAMES) + "".join(rng.choice(ref.GIVEN) for _ in range(rng.choice((1, 2))))


def id_number(rng: random.Random, born: date) -> str:
    """A resident ID number with the GB 11643 check character (an invented person of the demo's division)."""
    first = f"330802{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first + check_character(first)


def split(rng: random.Random, total: int, weights: list[float], unit: int) -> list[int]:
    """``total`` split in multiples of ``unit`` in proportion to ``weights`` (each at least one unit), adding up
    exactly."""
    units = total // unit
    scale = (units - len(weights)) / sum(weights)
    shares = [1 + math.floor(w * scale) for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(weights[i] * scale) % 1, i))
    for i in order[: units - sum(shares)]:
        shares[i] += 1
    assert sum(shares) == units, (sum(shares), units)
    return [s * unit for s in shares]


# --- The team applications: where each stands today ----------------------------------------------------------------

#: The road to each final status (the actions taken, in order). A "sent back" road passes the formal check once.
ROADS = {
    A.SUBMITTED: (),
    A.SENT_BACK: ("send_back",),
    A.REVIEW: ("accept",),
    A.REJECTED: ("accept", "reject"),
    A.APPROVED: ("accept", "approve"),
    A.AGREEMENT: ("accept", "approve", "sign"),
    A.INCUBATING: ("accept", "approve", "sign", "incubate"),
    A.GRADUATED: ("accept", "approve", "sign", "incubate", "graduate"),
    A.LEFT: ("accept", "approve", "sign", "incubate", "leave"),
}
#: This year's 65, by where they stand (7 of them were sent back once and came back with the missing items).
THIS_YEAR = ((A.SUBMITTED, 6), (A.SENT_BACK, 4), (A.REVIEW, 8), (A.REJECTED, 7), (A.APPROVED, 6), (A.AGREEMENT, 10),
             (A.INCUBATING, 18), (A.GRADUATED, 4), (A.LEFT, 2))  # fmt: skip
RESUBMITTED = 7
#: The year before's: further on.
LAST_YEAR = ((A.REJECTED, 2), (A.INCUBATING, 4), (A.GRADUATED, 5), (A.LEFT, 1))
#: Days between two steps (low, high), before the action.
GAPS = {"send_back": (3, 8), "resubmit": (5, 20), "accept": (4, 12), "approve": (15, 35), "reject": (15, 35),
        "sign": (10, 30), "incubate": (10, 40), "graduate": (60, 180), "leave": (40, 150)}  # fmt: skip
NOTES = {
    "send_back": "1. 团队成员学历学位证明\n2. 知识产权证明材料\n3. 项目可行性研究报告（财务测算部分）",
    "approve": "专家评审认为项目技术先进、团队结构合理、市场前景好，同意入驻创业园",
    "reject": "专家评审认为项目技术成熟度不足，产业化路径不清晰，暂不同意入驻",
    "leave": "团队核心成员变动，项目终止孵化，退出创业园",
}


@dataclass
class TeamPlan:
    year: int
    status: str
    resubmitted: bool = False
    by_ent1: bool = False
    field: str = ""
    members: list[dict] | None = None
    capital: int = 0
    investment: int = 0


def _plan_teams(rng: random.Random, year: int, mix, resubmitted: int = 0) -> list[TeamPlan]:
    plans = [TeamPlan(year, status) for status, n in mix for _ in range(n)]
    # The ones that passed the formal check (or are past it) after being sent back once.
    past_check = [p for p in plans if p.status not in (A.SUBMITTED, A.SENT_BACK)]
    for p in rng.sample(past_check, min(resubmitted, len(past_check))):
        p.resubmitted = True
    for p in plans:
        p.field = rng.choice(FIELDS)
        p.members = [{"name": _name(rng), "degree": rng.choice((Degree.MASTER, Degree.MASTER, Degree.BACHELOR))}
                     for _ in range(rng.randint(3, 6))]  # fmt: skip
    return plans


def _figures(rng: random.Random, plans: list[TeamPlan], *, phd: int, programme: int, national: int) -> None:
    """Exactly ``phd`` PhD holders among the members (every leader first), ``programme`` of them programme talents
    (``national`` national); the capital and investment adding up to the article's totals."""
    members = [m for p in plans for m in p.members]
    doctors = rng.sample(members, phd)
    for m in doctors:
        m["degree"] = Degree.PHD
    for k, m in enumerate(rng.sample(doctors, programme)):
        level = Level.NATIONAL if k < national else Level.PROVINCIAL
        m["programme"], m["programme_level"] = PROGRAMMES[level], level
    weights = [rng.lognormvariate(0, 0.6) for _ in plans]
    capitals = split(rng, REGISTERED_CAPITAL, weights, 50)
    investments = split(rng, PLANNED_INVESTMENT, [w * rng.uniform(3.2, 5.0) for w in weights], 100)
    for p, c, i in zip(plans, capitals, investments, strict=True):
        p.capital, p.investment = c, i


def _plain_figures(rng: random.Random, plans: list[TeamPlan]) -> None:
    for p in plans:
        p.members[0]["degree"] = Degree.PHD
        p.capital = rng.randrange(4, 30) * 50
        p.investment = p.capital * rng.randint(3, 5)


@dataclass
class World:
    rng: random.Random
    today: date
    admin: User
    leader: User
    office: User
    ent1: User | None
    counts: dict
    graduated: int = 0
    incubators: dict = dataclass_field(default_factory=dict)  # a team's field → the off-site incubator it works at

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def _day(start: date, today: date, fraction: float) -> date:
    return min(start + timedelta(days=int((today - start).days * fraction)), today)


def _play_team(w: World, plan: TeamPlan, graduates: list[Enterprise]) -> None:
    """Submit, then take each step of its road (a send-back and resubmission first when planned), dated forwards
    from the submission within the year's window, never after today."""
    rng = w.rng
    start = date(plan.year, 1, 1)
    road = ROADS[plan.status]
    if plan.resubmitted:
        road = ("send_back", "resubmit", *road)
    # Further along, earlier in: the submission falls in the first part of the window the road leaves it.
    span = (w.today - start).days
    scale = min(1.0, max(span, 1) / 330)
    need = sum(GAPS[a][1] for a in road) * scale
    room = max(span - need, 0) if plan.year == w.today.year else min(max(span - need, 0), 330)
    submitted = start + timedelta(days=int(room * rng.random()))
    submitted = min(submitted, w.today)
    project = rng.choice(PROJECTS[plan.field])
    leader = plan.members[0]["name"]
    by = w.ent1 if (plan.by_ent1 and w.ent1 is not None) else w.office
    application = services.team_apply(
        by=by,
        members=plan.members,
        team_name=f"{leader}{'博士' if plan.members[0]['degree'] == Degree.PHD else ''}团队",
        leader_name=leader,
        project=project,
        field=plan.field,
        registered_capital_wan_yuan=Decimal(plan.capital),
        planned_investment_wan_yuan=Decimal(plan.investment),
        needs_space=True,
        needs_funds=rng.random() < 0.7,
        needs_housing=rng.random() < 0.5,
        support_note=rng.choice(("研发场地300平方米", "中试车间及人才公寓", "启动资金与场地租金减免", "")),
        enterprise=w.ent1.enterprise if by == w.ent1 else None,
        incubator=w.incubators.get(plan.field) if by == w.office else None,
    )
    TeamApplication.objects.filter(pk=application.pk).update(submitted_on=submitted)
    TeamStep.objects.filter(application=application).update(on=submitted)
    w.add("team applications")
    on = submitted
    for action in road:
        low, high = GAPS[action]
        on = min(on + timedelta(days=round(rng.randint(low, high) * scale)), w.today)
        actor = {"approve": w.leader, "reject": w.leader, "resubmit": by}.get(action, w.office)
        kwargs = {}
        if action == "graduate":
            kwargs["enterprise"] = graduates[w.graduated % len(graduates)] if graduates else None
            w.graduated += 1
        services.team_step(by=actor, application=application, action=action, note=NOTES.get(action, ""), **kwargs)
        TeamStep.objects.filter(application=application, action=action).update(on=on)
        w.add("team application steps")


def _load_teams(w: World) -> None:
    rng = w.rng
    year = w.today.year
    this_year = _plan_teams(rng, year, THIS_YEAR, RESUBMITTED)
    _figures(rng, this_year, phd=PHD_HOLDERS, programme=PROGRAMME_MEMBERS, national=NATIONAL_MEMBERS)
    last_year = _plan_teams(rng, year - 1, LAST_YEAR)
    _plain_figures(rng, last_year)
    chain = IndustryChain.objects.filter(code="biomedicine").first()
    graduates = list(
        Enterprise.objects.filter(chains=chain).order_by("uscc")[10:20] if chain else Enterprise.objects.none()
    )
    # Recorded in the order they came in, the year before first.
    next(p for p in this_year if p.status == A.SENT_BACK).by_ent1 = True  # ent1's own, to resubmit
    for plan in last_year + this_year:
        _play_team(w, plan, graduates)


# --- The rest of the world ------------------------------------------------------------------------------------------


def _load_platforms(w: World) -> dict[str, Platform]:
    out = {}
    for name, kind, level, host, founded in PLATFORMS:
        out[name] = services.platform_save(
            by=w.office,
            name=name,
            kind=kind,
            level=level,
            host=host,
            address=f"高新区{w.rng.choice(('创新大道', '科创路', '人才路', '研发园路'))}{w.rng.randint(1, 200)}号",
            founded_on=date.fromisoformat(founded),
        )
    w.add("innovation platforms", len(out))
    return out


def _load_incubators(w: World) -> None:
    for name, city, location, area, investment, opened, teams, (chain_code, n) in INCUBATORS:
        incubator = services.incubator_save(
            by=w.office,
            name=name,
            city=city,
            location=location,
            floor_area_m2=Decimal(area),
            investment_wan_yuan=Decimal(investment),
            opened_on=date.fromisoformat(opened),
            teams_incubated=teams,
        )
        w.add("off-site incubators")
        w.incubators.update({f: incubator for f, k in INCUBATED_FIELDS.items() if INCUBATORS[k][0] == name})
        chain = IndustryChain.objects.filter(code=chain_code).first()
        moved = list(Enterprise.objects.filter(chains=chain).order_by("uscc")[:n]) if chain else []
        for k, enterprise in enumerate(moved):
            services.incubator_link(
                by=w.office,
                incubator=incubator,
                enterprise=enterprise,
                moved_on=min(date.fromisoformat(opened) + timedelta(days=420 + 260 * k), w.today),
                note="研发在外地、转化在园区：孵化成功后迁入高新区产业化",
            )
            w.add("enterprises from incubators")


def _load_talents(w: World, platforms: dict[str, Platform]) -> None:
    rng = w.rng
    employers = list(Enterprise.objects.filter(is_industrial=True).order_by("uscc")[:60])
    kinds = [(Level.NATIONAL, False)] * NATIONAL_TALENTS + [(Level.PROVINCIAL, False)] * PROVINCIAL_TALENTS
    kinds += [("", True)] * ACADEMICIANS + [(Level.CITY, False)] * CITY_TALENTS
    academy = platforms.get("高新区院士专家工作站")
    for k, (level, academician) in enumerate(kinds):
        born = date(rng.randint(1955 if academician else 1968, 1962 if academician else 1990), rng.randint(1, 12),
                    rng.randint(1, 28))  # fmt: skip
        services.talent_save(
            by=w.office,
            name=_name(rng),
            programme=PROGRAMMES[level] if level else "",
            level=level,
            academician=academician,
            degree=Degree.PHD,
            field=rng.choice(FIELDS),
            enterprise=None if academician else employers[rng.randrange(len(employers))] if employers else None,
            platform=academy if academician else None,
            team="",
            id_number=id_number(rng, born) if k % 3 != 2 else "",
            phone=f"13{rng.randint(5, 9)}{rng.randrange(10**8):08d}",
        )
    w.add("talents", len(kinds))


def _load_partners(w: World) -> None:
    rng = w.rng
    names = [f"{p}{kind}" for p in PLACES for kind in UNIVERSITY_KINDS]
    institutes = [f"{p}{kind}" for p in PLACES for kind in INSTITUTE_KINDS]
    chosen = [(n, Partner.Kind.UNIVERSITY) for n in rng.sample(names, 60)]
    chosen += [(n, Partner.Kind.INSTITUTE) for n in rng.sample(institutes, PARTNERS - 60)]
    first = date(2012, 1, 1)
    for name, kind in chosen:
        signed = min(first + timedelta(days=rng.randrange((w.today - first).days + 1)), w.today)
        ends = date(w.today.year + rng.randint(1, 5), 12, 31) if rng.random() < 0.4 else None
        services.partner_save(
            by=w.office,
            name=name,
            kind=kind,
            city=rng.choice(("杭州", "上海", "南京", "北京", "合肥", "武汉", "宁波", "衢州")),
            agreement_signed_on=signed,
            agreement_ends_on=ends,
            scope=rng.choice(SCOPES),
        )
    w.add("partner institutions", len(chosen))


MILESTONES = ("项目启动，研发团队到位", "完成中试，形成样品", "通过验收，实现产业化")


def _load_fund(w: World, year: int, budget: int, approved: list[int], closed: bool) -> None:
    rng = w.rng
    fund = services.fund_save(by=w.office, name="创新驱动发展专项资金", year=year, budget_wan_yuan=Decimal(budget))
    w.add("innovation funds")
    recipients = list(Enterprise.objects.filter(is_industrial=True).order_by("uscc")[60 : 60 + len(approved) + 2])
    start = date(year, 1, 1)
    for k, amount in enumerate(approved):
        if k >= len(recipients):
            break
        applied = _day(start, w.today, 0.05 + 0.5 * k / max(len(approved), 1))
        grant = services.grant_apply(
            by=w.office,
            fund=fund,
            recipient_enterprise=recipients[k],
            amount_wan_yuan=Decimal(amount),
            purpose=rng.choice(("关键技术攻关", "研发平台建设", "成果转化与中试", "高层次人才团队项目")),
        )
        decided = min(applied + timedelta(days=rng.randint(10, 30)), w.today)
        if k == len(approved) - 1 and not closed:
            services.grant_refuse(by=w.leader, grant=grant, reason="项目与专项资金支持方向不符")
        elif k == len(approved) - 2 and not closed:
            pass  # still to decide: the leader's to approve
        else:
            services.grant_approve(by=w.leader, grant=grant)
            paid_on = decided
            for m, share in enumerate((Decimal("0.4"), Decimal("0.3"), Decimal("0.3"))):
                paid_on = paid_on + timedelta(days=rng.randint(20, 120))
                if paid_on > w.today:
                    break
                services.instalment_pay(
                    by=w.office,
                    grant=grant,
                    milestone=MILESTONES[m],
                    amount_wan_yuan=(Decimal(amount) * share).quantize(Decimal("0.01")),
                    paid_on=paid_on,
                )
                w.add("grant instalments")
        Grant.objects.filter(pk=grant.pk).update(
            applied_on=applied, decided_on=decided if grant.status != Grant.Status.APPLIED else None
        )
        w.add("grants")
    if w.ent1 is not None and w.ent1.enterprise_id and not closed:
        own = services.grant_apply(
            by=w.ent1,
            fund=fund,
            recipient_enterprise=w.ent1.enterprise,
            amount_wan_yuan=Decimal(80),
            purpose="企业研发中心能力提升",
        )
        Grant.objects.filter(pk=own.pk).update(applied_on=_day(start, w.today, 0.8))
        w.add("grants")
    if closed:
        services.fund_save(by=w.office, fund=fund, status=Fund.Status.CLOSED)


def _office_user(report) -> User | None:
    from .generator import PASSWORD, _insert_missing

    department = Department.objects.filter(code=OFFICE_DEPARTMENT).first()
    if department is None:
        return None
    username, full_name = OFFICE_LOGIN
    user = User(
        username=username, role=Role.DEPARTMENT, full_name=full_name, department=department,
        password=make_password(PASSWORD),
    )  # fmt: skip
    _insert_missing(User, [user], "username", report, "users")
    return User.objects.get(username=username)


@unrecorded
def load_talent(rng: random.Random, report, *, today: date) -> None:
    """The M6 demo (see the module text); nothing is added once the talent office is named."""
    office = _office_user(report)
    admin = User.objects.filter(username="admin", role=Role.ADMIN).first()
    leader = User.objects.filter(username="leader", role=Role.LEADER).first()
    if office is None or admin is None or leader is None or TalentOffice.objects.exists():
        return
    services.talent_office_set(by=admin, department=office.department)
    TalentOffice.objects.filter(department=office.department).update(since=date(2014, 5, 1))
    report.add("talent offices", 1)
    ent1 = User.objects.filter(username="ent1", role=Role.ENTERPRISE, enterprise__isnull=False).first()
    w = World(rng=rng, today=today, admin=admin, leader=leader, office=office, ent1=ent1, counts={})
    platforms = _load_platforms(w)
    _load_incubators(w)
    w.add("investment projects from incubators", load_incubator_projects(admin=admin, today=today))
    _load_talents(w, platforms)
    _load_partners(w)
    _load_fund(w, today.year - 1, 800, [120, 90, 150, 60, 200], closed=True)
    _load_fund(w, today.year, FUND_WAN_YUAN, [150, 120, 100, 80, 60, 90, 50, 70], closed=False)
    _load_teams(w)
    for name, n in w.counts.items():
        report.add(name, n)


def hints() -> dict[str, str]:
    """What the personas find in M6, from what is loaded (for the printed logins)."""
    office = TalentOffice.objects.select_related("department").first()
    if office is None:
        return {}
    found: dict[str, str] = {}
    year = max(TeamApplication.objects.dates("submitted_on", "year"), default=None)
    counts = TeamApplication.objects.aggregate(
        checks=Count("pk", filter=Q(status=A.SUBMITTED)), reviews=Count("pk", filter=Q(status=A.REVIEW))
    )
    user = User.objects.filter(username=OFFICE_LOGIN[0], department=office.department_id).first()
    if user is not None:
        found[user.username] = _(
            "talent office (人才办, %(department)s staff): innovation and talent — %(checks)d team applications to "
            "check, the stats of %(year)s, talents' ID numbers revealed on request (audited)"
        ) % {"department": office.department.short_name, "checks": counts["checks"], "year": year.year if year else ""}
    pending = Grant.objects.filter(status=Grant.Status.APPLIED).count()
    found["leader"] = _(
        "innovation and talent: %(reviews)d team applications to decide, %(pending)d innovation fund grants to approve"
    ) % {"reviews": counts["reviews"], "pending": pending}
    if TeamApplication.objects.filter(submitted_by__username="ent1", status=A.SENT_BACK).exists():
        found["ent1"] = _("innovation and talent: a team application sent back for missing items, a grant applied for")
    return found
