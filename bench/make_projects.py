#!/usr/bin/env python
"""Add the investment pipeline (issue 14, M3) to the bench zone, in bulk: 10,000 projects and 2,000 experts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/make_projects.py

Needs the zone of ``bench/make_zone.py`` (its officers, chains and functional areas are reused as they are; any
``--enterprises`` will do: nothing here reads the enterprises) and the migrations of ``hitechzone.projects`` (the
demo admission rules and scoring weights they seed). Writes, deterministically per ``--seed``:

- **investors** (one per ~2.5 projects): invented names, USCCs in the made-up division 339901 (``91339901…``, valid,
  unique), a fifth with a parent group (60 groups), ~4 % ranked in the Fortune Global 500, ~12 % in China's top 500;
- **projects** (10,000 by default, ``--projects N``): a chain and a functional area of the zone, figures around the
  标准地 thresholds (most pass, some fail), one of the bench officers as their 全程帮办员, and a stage: 线索 15 %,
  洽谈 14 %, 评审 10 %, 签约 7 %, 供地 7 %, 审批 7 %, 开工 10 %, 投产 20 %, 暂停 5 %, 终止 5 %;
- **stage moves**, one per move along the road (forward one stage at a time, 5–60 days apart, the latest on or
  before today, the first from 2021), a pause or a termination (with its reason) last for the paused and the
  terminated ones; each move's ``until`` is the next move's date, as ``pipeline.project_move`` writes it;
- **decisions** by ``bench-leader``: every project past 评审 was admitted (85 %) or admitted with conditions, a few
  days before its signing; about half of those still at 评审 have one (a third of them rejections), and so do the
  projects terminated after 评审 or rejected there;
- **experts** (2,000 by default, ``--experts N``): 8 % academicians, 1–3 chain specialties (10 % ``general``),
  5 % inactive, affiliations among 61 universities, institutes and firms — a few of them investors' parent groups —,
  a third with a former affiliation (some of them an investor's), 5 % declaring a conflict with an investor;
- **panels** for every project with a decision and for half of those at 评审 without one: drawn by
  ``panels.eligibility`` + ``panels.draw`` on the generated pool (conflicts excluded as the service excludes them),
  with the current scoring weights; the decided ones fully scored (one veto in ~30), the others not yet scored.

The rows go in through ``hitechzone.common.bulk.bulk_insert`` (PostgreSQL ``COPY``, no signals): as in the other
generators, no audit records are written for them. ``--reset`` deletes the previous bench projects, investors,
experts and what hangs on them (and the audit records the latency script's draws left) first; without it a second
run stops and says so. One transaction, then ``VACUUM ANALYZE``.
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from make_liaison import Clock, aware  # noqa: E402  (the bench scripts' shared timer and aware datetimes)

from hitechzone.accounts.models import Role, User  # noqa: E402
from hitechzone.common.bulk import bulk_insert  # noqa: E402
from hitechzone.common.models import AuditEvent  # noqa: E402
from hitechzone.demo import reference as ref  # noqa: E402
from hitechzone.enterprises import uscc  # noqa: E402
from hitechzone.enterprises.models import IndustryChain  # noqa: E402
from hitechzone.projects import panels, stages  # noqa: E402
from hitechzone.projects.models import (  # noqa: E402
    AdmissionRules,
    Expert,
    Investor,
    Panel,
    PanelMember,
    Project,
    ProjectDecision,
    ProjectStageEvent,
    Score,
    ScoringWeights,
)
from hitechzone.zone.models import FunctionalArea  # noqa: E402

S = Project.Stage
K = ProjectStageEvent.Kind
O = ProjectDecision.Outcome  # noqa: E741
TZ = ZoneInfo(settings.TIME_ZONE)
TODAY = date.today()  # the bench's "today" is the machine's (make_liaison.py does the same)
FIRST_DAY = date(2021, 1, 1)
INVESTOR_USCC_PREFIX = "91339901"  # a made-up division of its own: make_zone.py's enterprises are 91339900…
EXPERT_MARK = "（bench）"  # the end of every bench expert's title
USER_PREFIX = "bench-"

STAGE_WEIGHTS = {
    S.LEAD: 15, S.NEGOTIATION: 14, S.REVIEW: 10, S.SIGNED: 7, S.LAND: 7, S.APPROVAL: 7, S.CONSTRUCTION: 10,
    S.PRODUCTION: 20, S.PAUSED: 5, S.TERMINATED: 5,
}  # fmt: skip
# Industry codes (GB/T 4754 class) per chain word, and the 标准地 classes the rules name.
INDUSTRY_CODES = ["C2614", "C2631", "C2661", "C2710", "C2720", "C3825", "C3911", "C3984", "C3432", "C2922", "C3130"]
PROJECT_WORDS = ["年产5万吨", "年产10万吨", "年产2000万件", "智能制造", "新材料", "研发及产业化", "扩建", "技改"]
PRODUCTS = ["电子化学品", "高端氟材料", "锂电池隔膜", "电机", "特种纸", "生物医药中间体", "氢能装备", "光伏胶膜"]
INVESTOR_PLACES = ["浙江", "江苏", "上海", "广东", "福建", "山东"]
INVESTOR_WORDS = ["新材料", "化工", "电气", "科技", "生物", "能源"]
GROUP_PLACES = ["浙江", "江苏", "上海", "广东", "山东", "中国"]
GROUP_WORDS = ["控股集团有限公司", "实业集团有限公司", "集团股份有限公司", "投资集团有限公司"]
FOREIGN = ["株式会社", "GmbH", "Inc.", "S.A.", "Ltd."]
UNIVERSITIES = ["浙江大学", "清华大学", "上海交通大学", "华东理工大学", "中国科学院宁波材料技术与工程研究所",
                "中国科学院上海有机化学研究所", "浙江工业大学", "北京化工大学", "天津大学", "大连理工大学",
                "中国化工学会", "浙江省化工研究院", "中国电器科学研究院", "南京工业大学", "四川大学"]  # fmt: skip
TITLES = ["教授", "研究员", "教授级高工", "高级工程师", "副教授", "副研究员", "高级经济师"]
TERMINATE_REASONS = ["投资方战略调整，项目取消", "用地条件无法满足", "环评不予通过", "投资方资金链紧张", "迁往他地"]
PAUSE_REASONS = ["投资方内部审批中", "等待用地指标", "市场行情变化，投资方暂缓", "环评补充材料"]


def investor_uscc(serial: int) -> str:
    value = (serial * 1_000_003 + 1_234_567) % 31**8  # a bijection, as make_zone.make_uscc
    org = []
    for _ in range(8):
        value, digit = divmod(value, 31)
        org.append(uscc.ALPHABET[digit])
    return uscc.make(INVESTOR_USCC_PREFIX + "".join(org))


def ids_in_order(queryset) -> list[int]:
    """The ids of the rows just written, in the order written (one COPY: the ids rise with the rows)."""
    return list(queryset.order_by("pk").values_list("pk", flat=True))


# --------------------------------------------------------------------------------------------- reset


def bench_projects():
    return Project.objects.filter(investor__uscc__startswith=INVESTOR_USCC_PREFIX)


def bench_counts() -> dict[str, int]:
    return {
        "investors": Investor.objects.filter(uscc__startswith=INVESTOR_USCC_PREFIX).count(),
        "projects": bench_projects().count(),
        "experts": Expert.objects.filter(title__endswith=EXPERT_MARK).count(),
    }


def delete(clock: Clock) -> None:
    qn = connection.ops.quote_name
    projects = f"SELECT p.id FROM {qn(Project._meta.db_table)} p JOIN {qn(Investor._meta.db_table)} i "
    projects += "ON i.id = p.investor_id WHERE i.uscc LIKE %s"
    like = [INVESTOR_USCC_PREFIX + "%"]
    panels_sql = f"SELECT id FROM {qn(Panel._meta.db_table)} WHERE project_id IN ({projects})"
    members_sql = f"SELECT id FROM {qn(PanelMember._meta.db_table)} WHERE panel_id IN ({panels_sql})"
    with connection.cursor() as cursor:
        # The audit records of what the latency script's draws wrote (also of seats removed since): they name the
        # project, whose bench name ends with its serial (…项目（B00025）).
        cursor.execute(
            f"DELETE FROM {qn(AuditEvent._meta.db_table)} WHERE content_type_id = ANY(%s) AND object_repr LIKE %s",
            [[ContentType.objects.get_for_model(m).pk for m in (Panel, PanelMember, Project)], "%项目（B_____）%"],
        )
        cursor.execute(f"DELETE FROM {qn(Score._meta.db_table)} WHERE member_id IN ({members_sql})", like)
        cursor.execute(f"UPDATE {qn(PanelMember._meta.db_table)} SET replaces_id = NULL WHERE id IN ({members_sql})",
                       like)  # fmt: skip
        cursor.execute(f"DELETE FROM {qn(PanelMember._meta.db_table)} WHERE id IN ({members_sql})", like)
        cursor.execute(f"DELETE FROM {qn(Panel._meta.db_table)} WHERE id IN ({panels_sql})", like)
        for model in (ProjectDecision, ProjectStageEvent):
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE project_id IN ({projects})", like)
        cursor.execute(f"DELETE FROM {qn(Project._meta.db_table)} WHERE id IN ({projects})", like)
        cursor.execute(f"DELETE FROM {qn(Investor._meta.db_table)} WHERE uscc LIKE %s", like)
        cursor.execute(f"DELETE FROM {qn(Expert._meta.db_table)} WHERE title LIKE %s", ["%" + EXPERT_MARK])
    clock.lap("deleted the previous bench projects, investors and experts")


# --------------------------------------------------------------------------------------------- planning


def plan_investors(rng: random.Random, n: int) -> list[dict]:
    trades = [
        a + b
        for a in "瑞恒晟华岳博远鼎泰联创嘉禾宏图永正天衡汇川泓源"
        for b in "晨曦明德凯越盛邦聚能新峰澜云帆金璟"
        if a != b
    ]
    groups = [f"{rng.choice(GROUP_PLACES)}{t}{rng.choice(GROUP_WORDS)}" for t in rng.sample(trades, 60)]
    used, rows = set(), []
    fortune = iter(rng.sample(range(1, 501), 500))
    china = iter(rng.sample(range(1, 501), 500))
    for i in range(n):
        while True:
            name = f"{rng.choice(INVESTOR_PLACES)}{rng.choice(trades)}"
            name += f"{rng.choice(INVESTOR_WORDS)}{rng.choice(['有限公司', '股份有限公司'])}"
            if rng.random() < 0.05:
                name = f"{rng.choice(trades)}{rng.choice(FOREIGN)}（{i}）"
            if name not in used:
                used.add(name)
                break
        r = rng.random()
        rows.append(
            {
                "name": name,
                "uscc": investor_uscc(i + 1),
                "foreign_registration": "",
                "parent_group": rng.choice(groups) if rng.random() < 0.2 else "",
                "fortune_global_500_rank": next(fortune, None) if r < 0.04 else None,
                "fortune_global_500_year": 2025 if r < 0.04 else None,
                "china_top500_rank": next(china, None) if 0.04 <= r < 0.16 else None,
                "china_top500_year": 2025 if 0.04 <= r < 0.16 else None,
                "enterprise_id": None,
                "created_at": aware(FIRST_DAY, 9),
            }
        )
    return rows


def plan_experts(rng: random.Random, n: int, chains: list[str], investors: list[dict]) -> list[dict]:
    firms = [inv["parent_group"] for inv in investors if inv["parent_group"]]
    firms = list(dict.fromkeys(firms))[:20]
    affiliations = (
        UNIVERSITIES + [f"{u}{d}" for u in UNIVERSITIES[:7] for d in ("化学系", "材料学院", "机械学院")] + firms
    )
    affiliations += [f"{t}设计院有限公司" for t in ("中化", "华东", "浙江", "江南", "东方")] * 2
    rows = []
    for _ in range(n):
        k = rng.random()
        specialties = ["general"] if k < 0.1 else rng.sample(chains, rng.choice((1, 1, 2, 3)))
        formers = []
        if rng.random() < 0.33:
            org = rng.choice(firms) if rng.random() < 0.3 else rng.choice(affiliations)
            until = TODAY - timedelta(days=rng.randint(30, 2500))
            formers.append({"name": org, "until": until.isoformat()})
        conflicts = []
        if rng.random() < 0.05:
            inv = rng.choice(investors)
            conflicts.append(inv["name"] if rng.random() < 0.5 else inv["uscc"])
        rows.append(
            {
                "name": rng.choice(ref.SURNAMES) + "".join(rng.choice(ref.GIVEN) for _ in range(rng.choice((1, 2)))),
                "title": rng.choice(TITLES) + EXPERT_MARK,
                "academician": rng.random() < 0.08,
                "specialties": specialties,
                "affiliation": rng.choice(affiliations),
                "former_affiliations": formers,
                "declared_conflicts": conflicts,
                "active": rng.random() >= 0.05,
                "user_id": None,
                "created_at": aware(FIRST_DAY, 9),
                "updated_at": aware(FIRST_DAY, 9),
            }
        )
    return rows


def money(x: float) -> str:
    return str(Decimal(x).quantize(Decimal("0.01")))


def plan_project(rng: random.Random, i: int) -> dict:
    """One project: its figures and its road (the stages it passed, with their dates)."""
    land = rng.choice([20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 300])
    land_m2 = land * 10000 / 15
    intensity = rng.uniform(250, 700)
    fixed = land * intensity
    value_added = land * rng.uniform(40, 200)
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    if stage in (S.PAUSED, S.TERMINATED):
        stopped_at = rng.choice(stages.UNDER_WAY)
        road = stages.ROAD[: stages.ROAD.index(stopped_at) + 1]
    else:
        road = stages.ROAD[: stages.ROAD.index(stage) + 1]
    gaps = [rng.randint(5, 60) for _ in range(len(road) - 1)] + (
        [rng.randint(5, 90)] if stage in (S.PAUSED, S.TERMINATED) else []
    )
    last = TODAY - timedelta(days=int(rng.random() ** 1.5 * ((TODAY - FIRST_DAY).days - sum(gaps))))
    day = last - timedelta(days=sum(gaps))
    dates = [day]
    for gap in gaps:
        day += timedelta(days=gap)
        dates.append(day)
    return {
        "i": i,
        "stage": stage,
        "road": road,
        "dates": dates,  # the road's dates, then the pause's / termination's
        "fields": {
            "name": f"{rng.choice(PROJECT_WORDS)}{rng.choice(PRODUCTS)}项目（B{i:05d}）",
            "industry_code": rng.choice(INDUSTRY_CODES),
            "total_investment_wan_yuan": money(fixed * rng.uniform(1.1, 1.4)),
            "fixed_asset_investment_wan_yuan": money(fixed),
            "land_mu": str(land),
            "floor_area_m2": money(land_m2 * rng.uniform(0.6, 1.6)),
            "footprint_m2": money(land_m2 * rng.uniform(0.28, 0.6)),
            "admin_land_m2": money(land_m2 * rng.uniform(0.02, 0.08)),
            "green_area_m2": money(land_m2 * rng.uniform(0.1, 0.21)),
            "annual_output_wan_yuan": money(value_added * rng.uniform(3, 5)),
            "annual_tax_wan_yuan": money(land * rng.uniform(20, 80)),
            "annual_value_added_wan_yuan": money(value_added),
            "annual_energy_tce": money(value_added * rng.uniform(0.1, 0.6)),
            "pollutants": "",
            "jobs": rng.randint(30, 1500),
            "rd_share": money(rng.uniform(1, 8)),
            "hazardous_chemicals": rng.random() < 0.08,
            "stage": stage,
            "created_on": dates[0],
            "created_at": aware(dates[0], 9),
            "updated_at": aware(dates[-1], 17),
        },
    }


# --------------------------------------------------------------------------------------------- loading


def load(n_projects: int, n_experts: int, seed: int, clock: Clock) -> dict[str, int]:
    rng = random.Random(seed)  # a reproducible bench
    counts: dict[str, int] = {}
    officers = list(User.objects.filter(username__startswith=USER_PREFIX + "officer").order_by("username")
                    .values_list("pk", flat=True))  # fmt: skip
    leader = User.objects.get(username=USER_PREFIX + "leader")
    chains = dict(IndustryChain.objects.values_list("code", "pk"))
    chain_codes = sorted(chains)
    areas = list(FunctionalArea.objects.order_by("pk").values_list("pk", flat=True))
    weights = ScoringWeights.current()
    rules = AdmissionRules.current(TODAY.year)
    if not officers or not chains or weights is None:
        raise SystemExit("run bench/make_zone.py (officers, chains) and migrate (scoring weights) first")

    investors = plan_investors(rng, max(1, n_projects * 2 // 5))
    experts = plan_experts(rng, n_experts, chain_codes, investors)
    plans = [plan_project(rng, i + 1) for i in range(n_projects)]
    clock.lap(f"planned {n_projects:,} projects, {len(investors):,} investors, {n_experts:,} experts")

    counts["investors"] = bulk_insert(Investor, investors)
    investor_ids = ids_in_order(Investor.objects.filter(uscc__startswith=INVESTOR_USCC_PREFIX))
    counts["experts"] = bulk_insert(Expert, experts)
    expert_ids = ids_in_order(Expert.objects.filter(title__endswith=EXPERT_MARK))
    clock.lap(f"investors {counts['investors']:,}, experts {counts['experts']:,}")

    owner = []  # per project: its investor's row index
    rows = []
    for p in plans:
        k = rng.randrange(len(investors))
        owner.append(k)
        rows.append(
            {
                **p["fields"],
                "investor_id": investor_ids[k],
                "chain_id": chains[rng.choice(chain_codes)],
                "functional_area_id": rng.choice(areas) if areas else None,
                "officer_id": rng.choice(officers),
            }
        )
    counts["projects"] = bulk_insert(Project, rows)
    project_ids = ids_in_order(bench_projects())
    clock.lap(f"projects {counts['projects']:,}")

    events, decisions, decided = [], [], {}
    for p, pid in zip(plans, project_ids, strict=True):
        road, dates, stage = p["road"], p["dates"], p["stage"]
        moves = []
        for j in range(1, len(road)):
            moves.append((K.ADVANCE, road[j - 1], road[j], dates[j], ""))
        if stage == S.PAUSED:
            moves.append((K.PAUSE, road[-1], S.PAUSED, dates[-1], rng.choice(PAUSE_REASONS)))
        elif stage == S.TERMINATED:
            moves.append((K.TERMINATE, road[-1], S.TERMINATED, dates[-1], rng.choice(TERMINATE_REASONS)))
        for j, (kind, frm, to, on, reason) in enumerate(moves):
            until = moves[j + 1][3] if j + 1 < len(moves) else None
            events.append({"project_id": pid, "kind": kind, "from_stage": frm, "to_stage": to, "on": on,
                           "until": until, "reason": reason, "by_id": None, "created_at": aware(on, 10)})  # fmt: skip
        # The decision: before signing for every signed project; for some of those stopped at 评审.
        passed_review = S.SIGNED in road
        at_review = road[-1] == S.REVIEW
        outcome = None
        if passed_review:
            outcome = O.ADMIT if rng.random() < 0.85 else O.CONDITIONAL
            on = dates[road.index(S.SIGNED)] - timedelta(days=rng.randint(0, 3))
            on = max(on, dates[road.index(S.REVIEW)])
        elif at_review and (stage == S.TERMINATED or rng.random() < 0.5):
            outcome = rng.choice([O.ADMIT, O.CONDITIONAL, O.REJECT])
            if stage == S.TERMINATED:
                outcome = O.REJECT
            on = min(dates[road.index(S.REVIEW)] + timedelta(days=rng.randint(3, 20)), dates[-1] if stage in
                     (S.PAUSED, S.TERMINATED) else TODAY)  # fmt: skip
        if outcome is not None:
            decided[pid] = on
            decisions.append({"project_id": pid, "outcome": outcome, "reasons": "专家评审意见及准入核查结果",
                              "conditions": "按期完成环评批复" if outcome == O.CONDITIONAL else "",
                              "decided_by_id": leader.pk, "decided_on": on, "rules_id": rules.pk if rules else None,
                              "checks": [], "checks_passed": None, "created_at": aware(on, 15)})  # fmt: skip
        elif at_review and rng.random() < 0.5:
            decided[pid] = None  # a panel drawn, not yet scored
    counts["stage moves"] = bulk_insert(ProjectStageEvent, events)
    counts["decisions"] = bulk_insert(ProjectDecision, decisions)
    clock.lap(f"stage moves {counts['stage moves']:,}, decisions {counts['decisions']:,}")

    # Panels: drawn by the rules of panels.py on the generated pool.
    pool = []
    for eid, e in zip(expert_ids, experts, strict=True):
        pool.append(panels.Candidate(
            id=eid, academician=e["academician"], active=e["active"], specialties=tuple(e["specialties"]),
            affiliation=e["affiliation"],
            former_affiliations=tuple((f["name"], date.fromisoformat(f["until"])) for f in e["former_affiliations"]),
            declared_conflicts=tuple(e["declared_conflicts"]),
        ))  # fmt: skip
    chain_of = {pid: r["chain_id"] for pid, r in zip(project_ids, rows, strict=True)}
    code_of = {v: k for k, v in chains.items()}
    investor_of = dict(zip(project_ids, owner, strict=True))
    panel_rows, drawn = [], []
    for pid, on in decided.items():
        inv = investors[investor_of[pid]]
        party = panels.Party(investor=inv["name"], parent_group=inv["parent_group"], registrations=(inv["uscc"],))
        chain = code_of[chain_of[pid]]
        day = on or TODAY
        eligible, excluded = panels.eligibility(pool, chain=chain, party=party, today=day)
        seed_ = rng.randrange(2**31)
        members = panels.draw([(c.id, c.academician) for c in eligible], seed=seed_, size=panels.DEFAULT_SIZE)
        drawn_on = day - timedelta(days=rng.randint(1, 3))
        panel_rows.append({"project_id": pid, "size": panels.DEFAULT_SIZE, "seed": seed_, "chain": chain,
                           "eligible": [c.id for c in eligible], "excluded": excluded, "replacements": [],
                           "weights_id": weights.pk, "drawn_on": drawn_on, "drawn_by_id": leader.pk,
                           "drawn_at": aware(drawn_on, 11)})  # fmt: skip
        drawn.append((pid, members, on))
    counts["panels"] = bulk_insert(Panel, panel_rows)
    panel_of = dict(Panel.objects.filter(project_id__in=list(decided)).values_list("project_id", "pk"))
    member_rows = [
        {"panel_id": panel_of[pid], "expert_id": eid, "seat": seat, "status": PanelMember.Status.SITTING,
         "replaces_id": None, "declined_at": None, "decline_reason": ""}
        for pid, members, _on in drawn for seat, eid in enumerate(members, start=1)
    ]  # fmt: skip
    counts["panel members"] = bulk_insert(PanelMember, member_rows)
    member_of = {
        (panel, seat): pk
        for pk, panel, seat in PanelMember.objects.filter(panel_id__in=list(panel_of.values())).values_list(
            "pk", "panel_id", "seat"
        )
    }
    score_rows = []
    for pid, members, on in drawn:
        if on is None:
            continue
        for seat in range(1, len(members) + 1):
            criteria = {code: rng.randint(55, 98) for code in panels.CRITERION_CODES}
            veto = rng.random() < 1 / 150
            score_rows.append({"member_id": member_of[(panel_of[pid], seat)], "criteria": criteria,
                               "total": str(panels.weighted_total(criteria, weights.weights)),
                               "comment": "项目符合园区产业导向" if not veto else "安全环保风险不可控",
                               "veto": veto, "veto_reason": "危化品储存方案不满足要求" if veto else "",
                               "submitted_at": aware(on, 10)})  # fmt: skip
    counts["scores"] = bulk_insert(Score, score_rows)
    clock.lap(f"panels {counts['panels']:,}, members {counts['panel members']:,}, scores {counts['scores']:,}")
    return counts


def analyse(clock: Clock) -> None:
    with connection.cursor() as cursor:
        for model in (Investor, Project, ProjectStageEvent, ProjectDecision, Expert, Panel, PanelMember, Score):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    clock.lap("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, metavar="N", help="projects (default 10000)")
    parser.add_argument("--experts", type=int, default=2_000, metavar="N", help="experts (default 2000)")
    parser.add_argument("--seed", type=int, default=14, help="random seed (default 14)")
    parser.add_argument("--reset", action="store_true", help="delete the previous bench projects and experts first")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("PostgreSQL only (COPY through common/bulk.py): set DATABASE_URL", file=sys.stderr)
        return 1
    if not User.objects.filter(username=USER_PREFIX + "leader", role=Role.LEADER).exists():
        print("no bench zone: run bench/make_zone.py first", file=sys.stderr)
        return 1
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db.get('NAME')} ({db.get('HOST') or 'local'})", flush=True)
    clock = Clock()
    existing = bench_counts()
    if any(existing.values()) and not args.reset:
        print(f"bench projects already there {existing}: run again with --reset", file=sys.stderr)
        return 1
    with transaction.atomic():
        if any(existing.values()):
            delete(clock)
        counts = load(args.projects, args.experts, args.seed, clock)
    clock.lap("commit")
    analyse(clock)
    print(f"\nwrote {sum(counts.values()):,} rows in {clock.total:.1f} s:")
    for label, count in counts.items():
        print(f"  {label:<22} {count:>10,}")
    by_stage = dict(bench_projects().order_by().values_list("stage").annotate(n=django.db.models.Count("pk")))
    print("  by stage: " + ", ".join(f"{s} {by_stage.get(s, 0):,}" for s in S.values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
