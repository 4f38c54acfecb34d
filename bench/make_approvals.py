#!/usr/bin/env python
"""Add the one-stop approval centre (issue 5) at province scale to the bench zone: a million applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/make_approvals.py

Needs the zone of ``bench/make_zone.py`` (100,000 enterprises, ~300 officers and their assignments, the 24
departments, ``bench-dept1``/``bench-dept2`` on the first two). On top of it:

- the demo's **catalogue** of 169 items (``hitechzone.demo.catalogue.ITEMS``: items, version 1, materials), written
  with ``bulk_create`` when the codes are not there yet (reused as they are otherwise);
- **1,000,000 applications** (``--applications N``) received on the working days from 2024-01-01 to today, more
  each year, fewer in the Spring Festival and National Day months, spread over the departments (land, building,
  environment and market registration lead) and, within a department, unevenly over its items; over the
  bench enterprises unevenly too (a few apply often). 2 % are declined (不予受理); one in ten waits for a one-time
  notice before acceptance; 15 % are paused once or twice (补正, expert review, testing,
  site survey, public notice, hearing); 94 % finish on time, the rest 1–10 working days late; 4 % of those
  completed are refused. Those accepted lately are still running (a few thousand: green, yellow, paused), and
  ``--overdue`` (1,500) older ones are stuck past their due date (red, reported to the leaders). 12 % are
  filed by the enterprise's service officer as agent (代办); ``bench-ent``'s enterprise has a few hundred of its
  own; ``bench-dept1``/``bench-dept2`` handle their departments' applications. 2024's are marked as imported
  history.
- **parallel approvals** (``--bundles``, 5,000): 4–5 applications of one project across departments (备案,
  节能, 规划, 环评, 消防 …), received together; complete when all are done, with their total in working days.

Every clock field (due date, provisional, yellow day, paused working days, working days used, on time) is
computed with :func:`hitechzone.approvals.recompute.compute_clock` — the numpy engine ``recompute_due_dates`` uses,
which gives exactly what the services give — so ``recompute_due_dates`` finds nothing to change afterwards.

PostgreSQL only, one transaction. The applications are planned as numpy arrays; they go into a temporary table
with one binary ``COPY`` (numbers only: ids, dates as ordinals, codes) and from there into the application table
with one ``INSERT … SELECT`` that spells the numbers, states and reasons out. For that statement the table's
secondary indexes are dropped and rebuilt afterwards (``CREATE INDEX`` from their own definitions, read from
``pg_indexes``), and ``session_replication_role = replica`` skips the per-row foreign-key triggers — every key is
then checked with one anti-join per foreign key, and the run fails if one points nowhere. Bundles and pauses go in
with text ``COPY`` (explicit ids). Then ``VACUUM ANALYZE``. No steps, materials, notices or ratings are written (the
figures, the overdue list and the recompute do not read them). Bench applications are numbered ``BA…``; ``--reset``
deletes them (and the bench enterprises' bundles and their audit records) first — ``TRUNCATE`` when the approval
tables hold nothing else — and ``--delete`` only deletes them (run it before ``make_zone.py --reset``:
applications PROTECT their enterprises). The catalogue is kept.
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hitechzone.accounts.models import User  # noqa: E402
from hitechzone.approvals.models import (  # noqa: E402
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Material,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from hitechzone.approvals.recompute import compute_clock, typed_columns  # noqa: E402
from hitechzone.common.bulk import copy_arrays  # noqa: E402
from hitechzone.common.deadlines import BulkClock  # noqa: E402
from hitechzone.common.models import AuditEvent  # noqa: E402
from hitechzone.demo.catalogue import ITEMS  # noqa: E402
from hitechzone.enterprises.models import Assignment, Enterprise  # noqa: E402
from hitechzone.zone.models import Department  # noqa: E402

USCC_PREFIX = "91339900"  # bench/make_zone.py
USER_PREFIX = "bench-"
NUMBER_PREFIX = "BA"
FIRST_DAY = date(2024, 1, 1)
TODAY = timezone.localdate()  # the bench's "today" is the machine's (in the project's time zone)
YEAR_GROWTH = {2024: 1.0, 2025: 1.12, 2026: 1.25}
MONTH_WEIGHTS = dict(enumerate([0.8, 0.55, 1.1, 1.0, 0.95, 1.05, 1.0, 0.9, 1.05, 0.75, 1.05, 1.1], start=1))
DEPARTMENT_WEIGHTS = {
    "fgw": 8, "jxj": 4, "kjj": 3, "gaj": 3, "mzj": 1, "czj": 1, "rsj": 5, "zrzyj": 13, "sthjj": 9, "zjj": 14,
    "jtysj": 5, "slj": 4, "nyncj": 2, "swj": 2, "wgltj": 2, "wjw": 3, "yjglj": 7, "scjgj": 13, "tjj": 1,
    "zhzfj": 3, "rfb": 3, "xfzd": 4, "swuj": 8, "qxj": 2,
}  # fmt: skip
PAUSE_KINDS = [  # kind, weight, working days paused (min, max)
    (Pause.Kind.CORRECTION, 40, (1, 8)),
    (Pause.Kind.EXPERT_REVIEW, 25, (5, 15)),
    (Pause.Kind.TESTING, 15, (5, 12)),
    (Pause.Kind.SITE_SURVEY, 10, (2, 5)),
    (Pause.Kind.PUBLIC_NOTICE, 7, (5, 7)),
    (Pause.Kind.HEARING, 3, (8, 15)),
]
PAUSE_REASONS = {
    Pause.Kind.CORRECTION: "申请材料需补正",
    Pause.Kind.EXPERT_REVIEW: "组织专家技术评审",
    Pause.Kind.TESTING: "委托第三方检验检测",
    Pause.Kind.SITE_SURVEY: "组织现场勘查",
    Pause.Kind.PUBLIC_NOTICE: "批前公示",
    Pause.Kind.HEARING: "依申请组织听证",
}
REJECT_REASONS = [
    "申请事项不属于本中心受理范围，已告知向有权机关申请",
    "申请人不具备申请资格",
    "该事项依法不需要取得行政许可",
]
REFUSE_REASONS = [
    "项目选址不符合园区产业发展规划",
    "现场核查情况与申报内容不一致",
    "专家评审未通过",
    "不符合安全生产相关标准要求",
]
# A project's applications across departments (by item name; a name the catalogue lacks is skipped).
PROJECT_ITEMS = [
    [
        "企业投资项目备案",
        "固定资产投资项目节能审查",
        "建设工程规划许可证核发",
        "建设项目环境影响评价文件审批（报告表）",
        "建设工程消防设计审查",
    ],
    [
        "企业投资项目核准",
        "危险化学品建设项目安全条件审查",
        "建设项目环境影响评价文件审批（报告书）",
        "建设用地规划许可证核发",
        "生产建设项目水土保持方案审批",
    ],
    [
        "建设工程规划许可证核发",
        "建筑工程施工许可证核发",
        "人防工程建设审批（结合民用建筑修建防空地下室）",
        "雷电防护装置设计审核",
        "建设工程消防设计审查",
    ],
    [
        "企业技术改造投资项目备案",
        "固定资产投资项目节能审查",
        "建设项目环境影响评价文件审批（报告表）",
        "排污许可证核发",
    ],
]
PROJECT_NAMES = [
    "年产5万吨含氟新材料项目",
    "年产3万吨有机硅单体扩建项目",
    "高端装备智能制造基地项目",
    "精细化工技改提升项目",
    "生物医药研发中试基地项目",
    "年产1亿片集成电路封装材料项目",
    "智慧物流仓储中心项目",
]
S = Application.State
NULL = "\\N"  # COPY's NULL


class Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<60} {now - self.last:7.1f} s   (total {now - self.start:6.1f} s)", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


# --------------------------------------------------------------------------------------------- writing


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def copy_lines(model, columns: list[str], lines, label: str) -> int:
    """COPY text lines (tab-separated, ``\\N`` for NULL, already in the order of ``columns``) into the table."""
    cols = ", ".join(qn(model._meta.get_field(c).column) if c != "id" else "id" for c in columns)
    n = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN") as copy:
        block = []
        for line in lines:
            block.append(line)
            if len(block) == 50_000:
                copy.write("".join(block))
                n += len(block)
                block = []
                if n % 250_000 == 0:
                    print(f"    {label}: {n:,}", flush=True)
        copy.write("".join(block))
        n += len(block)
    return n


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {qn(model._meta.db_table)}")
        return cursor.fetchone()[0]


def move_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {qn(table)}))", [table]
        )


# --------------------------------------------------------------------------------------------- reset


def bench_count() -> int:
    return Application.objects.filter(number__startswith=NUMBER_PREFIX).count()


def delete(clock: Clock) -> bool:
    """Delete the bench applications (and what hangs on them) and the bench enterprises' bundles.

    When the approval tables hold nothing else, TRUNCATE them (no dead rows left behind); returns whether the
    slower DELETE was used instead (then the tables need a VACUUM FULL)."""
    like = NUMBER_PREFIX + "%"
    ents = f"SELECT id FROM {qn(Enterprise._meta.db_table)} WHERE uscc LIKE %s"
    types = [ContentType.objects.get_for_model(m).pk for m in (Application, Bundle)]
    only_bench = (
        not Application.objects.exclude(number__startswith=NUMBER_PREFIX).exists()
        and not Bundle.objects.exclude(enterprise__uscc__startswith=USCC_PREFIX).exists()
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if only_bench:
            tables = [Rectification, Review, Step, ApplicationMaterial, Notice, Pause, Application, Bundle]
            cursor.execute("TRUNCATE " + ", ".join(qn(m._meta.db_table) for m in tables))
        else:
            apps = f"SELECT id FROM {qn(Application._meta.db_table)} WHERE number LIKE %s"
            reviews = f"SELECT id FROM {qn(Review._meta.db_table)} WHERE application_id IN ({apps})"
            cursor.execute(f"DELETE FROM {qn(Rectification._meta.db_table)} WHERE review_id IN ({reviews})", [like])
            for model in (Review, Step, ApplicationMaterial, Pause, Notice):
                cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE application_id IN ({apps})", [like])
            cursor.execute(f"DELETE FROM {qn(Application._meta.db_table)} WHERE number LIKE %s", [like])
            cursor.execute(
                f"DELETE FROM {qn(Bundle._meta.db_table)} WHERE enterprise_id IN ({ents})", [USCC_PREFIX + "%"]
            )
        cursor.execute(
            f"DELETE FROM {qn(AuditEvent._meta.db_table)} "
            f"WHERE content_type_id = ANY(%s) AND enterprise_id IN ({ents})",
            [types, USCC_PREFIX + "%"],
        )
        cursor.execute(
            "DELETE FROM common_notification WHERE user_id IN "
            f"(SELECT id FROM {qn(User._meta.db_table)} WHERE username LIKE %s) AND kind = 'approval'",
            [USER_PREFIX + "%"],
        )
    clock.lap(f"deleted the bench applications, pauses and bundles ({'TRUNCATE' if only_bench else 'DELETE'})")
    return not only_bench


# --------------------------------------------------------------------------------------------- the catalogue


def ensure_catalogue(clock: Clock) -> list[dict]:
    """The 169 items (created with bulk_create when missing); one dict per item with what the plan needs."""
    departments = dict(Department.objects.values_list("code", "id"))
    missing_departments = sorted({i["department"] for i in ITEMS} - set(departments))
    if missing_departments:
        raise SystemExit(f"departments {missing_departments} missing: run bench/make_zone.py first")
    existing = set(Item.objects.filter(code__in=[i["code"] for i in ITEMS]).values_list("code", flat=True))
    new = [i for i in ITEMS if i["code"] not in existing]
    if new:
        items = Item.objects.bulk_create(Item(code=i["code"], department_id=departments[i["department"]]) for i in new)
        versions = ItemVersion.objects.bulk_create(
            ItemVersion(
                item=item,
                number=1,
                change_note="Created",
                **{k: spec[k] for k in ("name", "mode", "legal_basis", "item_type", "statutory_limit")},
                promised_limit=spec["promised_limit"],
                fees=spec["fees"],
                pre_reform_days=spec["pre_reform_days"],
                yellow_threshold=spec["yellow_threshold"],
            )
            for item, spec in zip(items, new, strict=True)
        )
        Material.objects.bulk_create(
            Material(
                version=version,
                position=position,
                name=m["name"],
                required=m["required"],
                tolerable=m["tolerable"],
                original=m["original"],
            )
            for version, spec in zip(versions, new, strict=True)
            for position, m in enumerate(spec["materials"], start=1)
        )
        for item, version in zip(items, versions, strict=True):
            item.current = version
        Item.objects.bulk_update(items, ["current"])
    clock.lap(f"catalogue: {len(ITEMS)} items ({len(new)} created)")
    codes = {d: c for c, d in departments.items()}
    return [
        {
            "id": item.pk,
            "version": item.current_id,
            "department": item.department_id,
            "department_code": codes[item.department_id],
            "name": item.current.name,
            "limit": item.current.promised_limit,
            "threshold": item.current.yellow_threshold,
            "immediate": item.current.item_type == ItemType.IMMEDIATE,
        }
        for item in Item.objects.filter(code__in=[i["code"] for i in ITEMS]).select_related("current").order_by("code")
    ]


# --------------------------------------------------------------------------------------------- the plan


def plan(n: int, n_bundles: int, n_overdue: int, seed: int, catalogue: list[dict], clock: Clock) -> dict:
    rng = np.random.default_rng(seed)
    engine = BulkClock(FIRST_DAY.year - 1, TODAY.year + 1)
    working = engine.working
    today = TODAY.toordinal()
    today_idx = int(np.searchsorted(working, today, side="right")) - 1  # the last working day up to today
    first_idx = int(np.searchsorted(working, FIRST_DAY.toordinal(), side="left"))
    days = np.arange(first_idx, today_idx + 1)  # indexes into `working` of the days the window was open
    day_dates = [date.fromordinal(int(working[i])) for i in days]
    day_weight = np.array([YEAR_GROWTH.get(d.year, 1.25) * MONTH_WEIGHTS[d.month] for d in day_dates])
    day_weight /= day_weight.sum()

    # Items: departments by weight, items within a department unevenly (log-normal popularity).
    item_limit = np.array([i["limit"] for i in catalogue], dtype=np.int64)
    item_threshold = np.array([i["threshold"] for i in catalogue], dtype=np.int64)
    item_immediate = np.array([i["immediate"] for i in catalogue])
    popularity = rng.lognormal(0.0, 1.0, len(catalogue))
    dept_total: dict[str, float] = {}
    for item, p in zip(catalogue, popularity, strict=True):
        dept_total[item["department_code"]] = dept_total.get(item["department_code"], 0.0) + p
    item_weight = np.array(
        [DEPARTMENT_WEIGHTS.get(i["department_code"], 2) * p / dept_total[i["department_code"]] for i, p in
         zip(catalogue, popularity, strict=True)]
    )  # fmt: skip
    item_weight /= item_weight.sum()

    # Enterprises: the bench's, a few applying often; their officers (open assignments) for the agent filings.
    ents = np.array(
        Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).order_by("uscc").values_list("id", flat=True),
        dtype=np.int64,
    )
    if not len(ents):
        raise SystemExit("no bench enterprises: run bench/make_zone.py first")
    officer_of = dict(
        Assignment.objects.filter(enterprise__uscc__startswith=USCC_PREFIX, ended_on__isnull=True).values_list(
            "enterprise_id", "officer_id"
        )
    )
    rng.shuffle(ents)

    # --- parallel approvals: 4–5 applications each, received together -------------------------------------
    by_name = {item["name"]: k for k, item in enumerate(catalogue)}
    templates = [[by_name[name] for name in names if name in by_name] for names in PROJECT_ITEMS]
    templates = [t for t in templates if len(t) >= 2]
    b_template = rng.integers(0, len(templates), n_bundles)
    b_sizes = np.array([len(templates[t]) for t in b_template], dtype=np.int64)
    b_day = rng.choice(days[: max(1, len(days) - 10)], n_bundles, p=None)
    b_enterprise = ents[rng.integers(0, min(len(ents), 20_000), n_bundles)]
    n_bundled = int(b_sizes.sum())
    n_single = n - n_bundled
    if n_single < 0:
        raise SystemExit("more bundle applications than applications")

    # --- every application: item, day received, enterprise --------------------------------------------------
    bundled_items = np.concatenate([templates[t] for t in b_template]) if n_bundles else np.zeros(0, dtype=np.int64)
    item = np.concatenate([rng.choice(len(catalogue), n_single, p=item_weight), bundled_items]).astype(np.int64)
    received_idx = np.concatenate([rng.choice(days, n_single, p=day_weight), np.repeat(b_day, b_sizes)])
    skew = np.floor(len(ents) * rng.random(n_single) ** 1.6).astype(np.int64)  # a few enterprises apply often
    enterprise = np.concatenate([ents[skew], np.repeat(b_enterprise, b_sizes)])
    bundle_of = np.concatenate([np.full(n_single, -1), np.repeat(np.arange(n_bundles), b_sizes)]).astype(np.int64)
    order = np.lexsort((bundle_of, received_idx))  # ids in the order applications came in
    item, received_idx, enterprise, bundle_of = item[order], received_idx[order], enterprise[order], bundle_of[order]
    received = working[received_idx]
    limit, threshold, immediate = item_limit[item], item_threshold[item], item_immediate[item]
    in_bundle = bundle_of >= 0
    clock.lap(f"planned {n:,} applications ({n_bundled:,} in {n_bundles:,} bundles)")

    # --- the window: declined, a notice first, or accepted the same day ----------------------------------------
    u = rng.random(n)
    rejected = (u < 0.02) & ~in_bundle
    noticed = ~rejected & (rng.random(n) < 0.10) & ~immediate
    wait = np.where(noticed, rng.integers(2, 9, n), np.where(rng.random(n) < 0.05, 1, 0))
    accepted_idx = received_idx + np.where(rejected | immediate, 0, wait)
    accepted_ok = ~rejected & (accepted_idx <= today_idx)
    waiting = ~rejected & ~accepted_ok  # still at the window today (received, or waiting after the notice)

    # --- processing: the working days taken, and pauses --------------------------------------------------------
    late = rng.random(n) < 0.06
    share = rng.beta(2.2, 1.6, n)
    used = np.where(
        immediate,
        0,
        np.where(late, limit + rng.geometric(0.3, n).clip(1, 10), np.maximum(1, np.ceil(limit * share))),
    ).astype(np.int64)
    pausing = accepted_ok & ~immediate & (rng.random(n) < 0.21)  # ~15 % of all applications
    twice = pausing & (rng.random(n) < 0.2)
    kinds = [k for k, _w, _r in PAUSE_KINDS]
    kind_p = np.array([w for _k, w, _r in PAUSE_KINDS], dtype=float)
    kind_p /= kind_p.sum()
    lo = np.array([r[0] for _k, _w, r in PAUSE_KINDS])
    hi = np.array([r[1] for _k, _w, r in PAUSE_KINDS])

    def kind_and_length(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        kind = rng.choice(len(kinds), n, p=kind_p)
        return np.where(mask, kind, -1), np.where(mask, rng.integers(lo[kind], hi[kind] + 1), 0)

    def one_to(room: np.ndarray) -> np.ndarray:
        return 1 + np.floor(rng.random(n) * np.maximum(room, 1)).astype(np.int64)

    # First pause: from the k1-th counted working day (1 .. used), covering len1 working days; it ends the day
    # before the clock runs again (index r1). Second: from the k2-th working day counting the one the clock runs
    # again, still not after the completion day. The completion is then the used-th counted working day.
    kind1, len1 = kind_and_length(pausing)
    k1 = one_to(used)
    s1 = np.where(pausing, accepted_idx + k1, 0)
    r1 = np.where(pausing, s1 + len1, 0)
    kind2, len2 = kind_and_length(twice)
    k2 = one_to(used - k1 + 1)
    s2 = np.where(twice, r1 + k2 - 1, 0)
    r2 = np.where(twice, s2 + len2, 0)
    completed_idx = accepted_idx + used + np.where(pausing, len1, 0) + np.where(twice, len2, 0)

    done = accepted_ok & (completed_idx <= today_idx)
    running = accepted_ok & ~done
    # The stuck ones: late applications of the last eight months, still open (so past their due date).
    candidates = np.flatnonzero(
        done & late & ~in_bundle & (completed_idx > today_idx - 170) & (completed_idx < today_idx - 15)
    )
    stuck = np.zeros(n, dtype=bool)
    if n_overdue and len(candidates):
        stuck[rng.choice(candidates, min(n_overdue, len(candidates)), replace=False)] = True
    done &= ~stuck
    running |= stuck

    # Pauses as they stand today: closed, open (it covers today: the state says so), or not begun (dropped).
    def pause_rows(mask, kind, s, r):
        start = working[np.minimum(s, len(working) - 1)]
        end = working[np.minimum(r, len(working) - 1)] - 1  # the day before the clock runs again
        begun = mask & (start <= today)
        closed = begun & (end < today)
        return begun, closed, start, end

    begun1, closed1, start1, end1 = pause_rows(pausing, kind1, s1, r1)
    begun2, closed2, start2, end2 = pause_rows(twice, kind2, s2, r2)
    begun2 &= closed1  # a second pause only after the first closed
    closed2 &= begun2
    open_kind = np.where(begun2 & ~closed2, kind2, np.where(begun1 & ~closed1, kind1, -1))
    open_pause = running & (open_kind >= 0)

    ids = np.arange(next_id(Application), next_id(Application) + n, dtype=np.int64)
    pause_app = np.concatenate([ids[closed1], ids[closed2]])
    pause_start = np.concatenate([start1[closed1], start2[closed2]])
    pause_end = np.concatenate([end1[closed1], end2[closed2]])
    clock.lap(f"processing planned: {int(done.sum()):,} done, {int(running.sum()):,} running, "
              f"{int(rejected.sum()):,} declined, {int(waiting.sum()):,} at the window")  # fmt: skip

    # --- the clock, as the services compute it ------------------------------------------------------------------
    accepted = np.where(accepted_ok, working[np.minimum(accepted_idx, len(working) - 1)], 0)
    completed = np.where(done, working[np.minimum(completed_idx, len(working) - 1)], 0)
    rows = np.flatnonzero(accepted_ok)
    apps = {
        "id": ids[rows],
        "accepted": accepted[rows],
        "limit": limit[rows],
        "threshold": threshold[rows],
        "completed": completed[rows],
        "done": done[rows].astype(np.int64),
        "used": np.full(len(rows), -1, dtype=np.int64),
        "on_time": np.full(len(rows), -1, dtype=np.int64),
    }
    computed = compute_clock(apps, {"app": pause_app, "start": pause_start, "end": pause_end})
    if not (computed["used"][done[rows]] == used[rows][done[rows]]).all():
        raise RuntimeError("the planned working days taken differ from the clock's")
    due = np.zeros(n, dtype=np.int64)
    provisional = np.zeros(n, dtype=np.int64)
    yellow = np.zeros(n, dtype=np.int64)
    paused = np.zeros(n, dtype=np.int64)
    on_time = np.full(n, -1, dtype=np.int64)
    due[rows], provisional[rows], yellow[rows] = computed["due"], computed["provisional"], computed["yellow"]
    paused[rows], on_time[rows] = computed["paused"], computed["on_time"]
    used = np.where(done, used, -1)
    clock.lap("clock computed (compute_clock)")

    # Declined applications close at the window within two working days.
    rejected_on = np.where(rejected, working[np.minimum(received_idx + rng.integers(0, 3, n), today_idx)], 0)
    return {
        "n": n,
        "ids": ids,
        "item": item,
        "enterprise": enterprise,
        "bundle_of": bundle_of,
        "received": received,
        "accepted": accepted,
        "completed": np.where(rejected, rejected_on, completed),
        "limit": limit,
        "threshold": threshold,
        "due": due,
        "provisional": provisional,
        "yellow": yellow,
        "paused": paused,
        "used": used,
        "on_time": on_time,
        "rejected": rejected,
        "noticed": noticed,
        "waiting": waiting,
        "done": done,
        "running": running,
        "stuck": stuck,
        "open_pause": open_pause,
        "open_kind": open_kind,
        "open_start": np.where(begun2 & ~closed2, start2, start1),
        "accepted_today": accepted_ok & (accepted_idx == today_idx),
        "refused": done & (rng.random(n) < 0.04),
        "agent_draw": rng.random(n),
        "reason_draw": rng.integers(0, 1000, n),
        "minute": rng.integers(0, 8 * 60, n),
        "pauses": [
            (ids[closed1], kind1[closed1], start1[closed1], end1[closed1]),
            (ids[closed2], kind2[closed2], start2[closed2], end2[closed2]),
        ],
        "kinds": kinds,
        "officer_of": officer_of,
        "bundles": {
            "template": b_template,
            "enterprise": b_enterprise,
            "day": working[b_day],
        },
        "engine": engine,
    }


# --------------------------------------------------------------------------------------------- writing


def write(p: dict, catalogue: list[dict], clock: Clock) -> dict[str, int]:
    counts: dict[str, int] = {}
    n = p["n"]
    day_text: dict[int, str] = {}

    def day(ordinal: int) -> str:
        if ordinal <= 0:
            return NULL
        text = day_text.get(ordinal)
        if text is None:
            text = day_text[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    dept_users = dict(User.objects.filter(username__startswith=USER_PREFIX + "dept").values_list("department_id", "id"))
    bench_ent = User.objects.filter(username=USER_PREFIX + "ent").values_list("id", "enterprise_id").first()
    officer_of = p["officer_of"]

    # --- bundles ---------------------------------------------------------------------------------------------
    b = p["bundles"]
    n_bundles = len(b["template"])
    bundle_ids = np.arange(next_id(Bundle), next_id(Bundle) + n_bundles, dtype=np.int64)
    bundle_of = p["bundle_of"]
    members = bundle_of >= 0
    # Complete when every application is done (or declined): the total counts from the first acceptance.
    open_member = members & ~(p["done"] | p["rejected"])
    bundle_open = np.zeros(n_bundles, dtype=bool)
    bundle_open[bundle_of[open_member]] = True
    last = np.zeros(n_bundles, dtype=np.int64)
    np.maximum.at(last, bundle_of[members], p["completed"][members])
    first = np.full(n_bundles, np.iinfo(np.int64).max)
    accepted_members = members & (p["accepted"] > 0)
    np.minimum.at(first, bundle_of[accepted_members], p["accepted"][accepted_members])
    complete = ~bundle_open & (last > 0)
    timed = complete & (first < np.iinfo(np.int64).max)
    total = np.full(n_bundles, -1, dtype=np.int64)
    if timed.any():
        total[timed], _ = p["engine"].counted(first[timed], last[timed])

    def bundle_lines():
        for k in range(n_bundles):
            enterprise = int(b["enterprise"][k])
            officer = officer_of.get(enterprise)
            started = int(b["day"][k])
            yield (
                f"{bundle_ids[k]}\t{PROJECT_NAMES[k % len(PROJECT_NAMES)]}\t{enterprise}\t"
                f"{officer if officer else NULL}\t{day(started)}\t{day(int(last[k])) if complete[k] else NULL}\t"
                f"{total[k] if timed[k] else NULL}\t{day(started)} 09:00:00+08\n"
            )

    counts["bundles"] = copy_lines(
        Bundle,
        ["id", "name", "enterprise", "created_by", "started_on", "completed_on", "total_working_days", "created_at"],
        bundle_lines(),
        "bundles",
    )
    clock.lap(f"bundles: {counts['bundles']:,} ({int(complete.sum()):,} complete)")

    # --- applications: numbers into a staging table (binary COPY), then one INSERT … SELECT ------------------------
    ids = p["ids"]
    item = p["item"]
    enterprise = p["enterprise"].copy()
    applicant = np.zeros(n, dtype=np.int64)
    # bench-ent's own enterprise: every 2,500th application, filed by bench-ent.
    if bench_ent:
        own = np.arange(n) % 2500 == 7
        enterprise[own] = bench_ent[1]
        applicant[own] = bench_ent[0]
    officers = np.zeros(int(max(enterprise.max(), max(officer_of, default=0))) + 1, dtype=np.int64)
    officers[list(officer_of)] = list(officer_of.values())
    officer = officers[enterprise]
    agent = np.where((officer > 0) & ((p["agent_draw"] < 0.12) | (bundle_of >= 0)), officer, 0)
    applicant = np.where(agent > 0, agent, applicant)
    states = [S.RECEIVED, S.ACCEPTED, S.REJECTED, S.CORRECTING, S.PROCESSING, S.SPECIAL, S.COMPLETED]
    code = {state: k + 1 for k, state in enumerate(states)}
    kinds, open_kind = p["kinds"], p["open_kind"]
    correction = kinds.index(Pause.Kind.CORRECTION)
    state = np.select(
        [
            p["rejected"],
            p["waiting"] & p["noticed"],
            p["waiting"],
            p["done"],
            p["open_pause"] & (open_kind == correction),
            p["open_pause"],
            p["accepted_today"],
        ],
        [code[S.REJECTED], code[S.CORRECTING], code[S.RECEIVED], code[S.COMPLETED], code[S.CORRECTING],
         code[S.SPECIAL], code[S.ACCEPTED]],
        default=code[S.PROCESSING],
    )  # fmt: skip
    department = np.array([c["department"] for c in catalogue], dtype=np.int64)[item]
    staff = np.zeros(int(department.max()) + 1, dtype=np.int64)
    for department_id, user_id in dept_users.items():
        if department_id is not None and department_id < len(staff):
            staff[department_id] = user_id
    assignee = np.where((p["accepted"] > 0) & (state != code[S.ACCEPTED]), staff[department], 0)
    outcome = np.where(p["done"], np.where(p["refused"], 2, 1), 0)
    reason = np.where(
        p["rejected"],
        p["reason_draw"] % len(REJECT_REASONS),
        np.where(outcome == 2, len(REJECT_REASONS) + p["reason_draw"] % len(REFUSE_REASONS), -1),
    )
    today = TODAY.toordinal()
    red = p["stuck"] | (np.isin(state, [code[S.ACCEPTED], code[S.PROCESSING]]) & (p["due"] > 0) & (p["due"] < today))
    title = np.where(bundle_of >= 0, bundle_of % len(PROJECT_NAMES), -1)
    columns = (
        ("id", True), ("item", False), ("version", False), ("department", False), ("enterprise", True),
        ("bundle", True), ("title", False), ("applicant", True), ("agent", True), ("assignee", True),
        ("state", False), ("received", False), ("accepted", False), ("completed", False), ("lim", False),
        ("threshold", False), ("due", False), ("provisional", False), ("yellow", False), ("paused", False),
        ("used", False), ("on_time", False), ("outcome", False), ("reason", False), ("red", False),
        ("minute", False),
    )  # fmt: skip
    arrays = [
        ids,
        np.array([c["id"] for c in catalogue], dtype=np.int64)[item],
        np.array([c["version"] for c in catalogue], dtype=np.int64)[item],
        department,
        enterprise,
        np.where(bundle_of >= 0, bundle_ids[np.maximum(bundle_of, 0)], 0),
        title,
        applicant,
        agent,
        assignee,
        state,
        p["received"],
        p["accepted"],
        p["completed"],
        p["limit"],
        p["threshold"],
        p["due"],
        p["provisional"],
        p["yellow"],
        p["paused"],
        p["used"],
        p["on_time"],
        outcome,
        reason,
        red.astype(np.int64),
        p["minute"],
    ]
    staging = "bench_application_staging"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ("
            + ", ".join(f"{name} {'int8' if wide else 'int4'} NOT NULL" for name, wide in columns)
            + ") ON COMMIT DROP"
        )
        copy_arrays(cursor, staging, typed_columns(columns, arrays))
    clock.lap(f"staging: {n:,} rows (binary COPY)")

    def d(column: str) -> str:  # an ordinal (0 = NULL) as a date
        return f"(DATE '0001-01-01' + (NULLIF(s.{column}, 0) - 1))"

    def fk(column: str) -> str:
        return f"NULLIF(s.{column}, 0)"

    texts = {
        "states": [str(st) for st in states],
        "outcomes": ["approved", "refused"],
        "reasons": REJECT_REASONS + REFUSE_REASONS,
        "titles": PROJECT_NAMES,
    }
    table = qn(Application._meta.db_table)
    target = [
        "id", "number", "item_id", "version_id", "department_id", "enterprise_id", "bundle_id", "title",
        "applicant_id", "agent_id", "assignee_id", "state", "received_on", "accepted_on", "completed_on",
        "limit_days", "yellow_threshold", "due_on", "due_provisional", "yellow_on", "paused_working_days",
        "working_days_used", "on_time", "outcome", "certificate_no", "reason", "historical", "red_notified",
        "created_at",
    ]  # fmt: skip
    select = [
        "s.id",
        f"'{NUMBER_PREFIX}' || to_char({d('received')}, 'YYYYMMDD') || lpad(s.id::text, 12, '0')",
        "s.item", "s.version", "s.department", "s.enterprise", fk("bundle"),
        "COALESCE((%(titles)s::text[])[s.title + 1], '')",
        fk("applicant"), fk("agent"), fk("assignee"),
        "(%(states)s::text[])[s.state]",
        d("received"), d("accepted"), d("completed"), "s.lim", "s.threshold", d("due"), "s.provisional::boolean",
        d("yellow"), "s.paused", "NULLIF(s.used, -1)", "NULLIF(s.on_time, -1)::boolean",
        "COALESCE((%(outcomes)s::text[])[s.outcome], '')",
        f"CASE WHEN s.outcome = 1 THEN upper(dep.code) || to_char({d('received')}, 'YYYY') || '-' "
        "|| lpad(s.id::text, 8, '0') ELSE '' END",
        "COALESCE((%(reasons)s::text[])[s.reason + 1], '')",
        f"{d('received')} < DATE '2025-01-01'",
        "s.red::boolean",
        f"({d('received')} + TIME '09:00' + s.minute * INTERVAL '1 minute') AT TIME ZONE 'Asia/Shanghai'",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        # The application table's secondary indexes are rebuilt once at the end instead of row by row, and the
        # foreign keys are checked set-wise by verify_foreign_keys() instead of a trigger per row and key.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [Application._meta.db_table, Application._meta.db_table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(target)}) SELECT {', '.join(select)} "
            f"FROM {staging} s JOIN {qn(Department._meta.db_table)} dep ON dep.id = s.department",
            texts,
        )
        counts["applications"] = cursor.rowcount
        cursor.execute("SET LOCAL session_replication_role = origin")
        own_count = int((applicant == bench_ent[0]).sum()) if bench_ent else 0
        clock.lap(f"applications: {counts['applications']:,} (INSERT … SELECT; {own_count} filed by bench-ent)")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"DROP TABLE {staging}")
    clock.lap(f"applications: {len(indexes)} indexes rebuilt")
    values, counted = np.unique(state, return_counts=True)
    print(
        "    states: " + ", ".join(f"{states[v - 1]} {c:,}" for v, c in zip(values, counted, strict=True)), flush=True
    )
    ids = ids.tolist()
    open_kind = open_kind.tolist()

    # --- pauses: the closed ones, and the open one of each application paused today ---------------------------------
    def pause_lines():
        for app_ids, kind, start, end in p["pauses"]:
            for a, k, s, e in zip(app_ids.tolist(), kind.tolist(), start.tolist(), end.tolist(), strict=True):
                yield f"{a}\t{kinds[k]}\t{day(s)}\t{day(e)}\t{PAUSE_REASONS[kinds[k]]}\n"
        for i in np.flatnonzero(p["open_pause"]).tolist():
            kind = kinds[open_kind[i]]
            yield f"{ids[i]}\t{kind}\t{day(int(p['open_start'][i]))}\t{NULL}\t{PAUSE_REASONS[kind]}\n"

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        counts["pauses"] = copy_lines(
            Pause, ["application", "kind", "started_on", "ended_on", "reason"], pause_lines(), "pauses"
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    clock.lap(f"pauses: {counts['pauses']:,} ({int(p['open_pause'].sum()):,} open)")
    verify_foreign_keys(int(p["ids"][0]), clock)
    move_sequence(Application)
    move_sequence(Bundle)
    return counts


def verify_foreign_keys(first_id: int, clock: Clock) -> None:
    """Every foreign key of the rows written (applications from ``first_id``, their pauses, the bundles) points at a
    row: one anti-join per key, instead of the per-row triggers ``session_replication_role = replica`` skipped."""
    checks = []
    for model, where in (
        (Application, f"t.id >= {first_id}"),
        (Pause, f"t.application_id >= {first_id}"),
        (Bundle, f"t.id IN (SELECT bundle_id FROM {qn(Application._meta.db_table)} WHERE id >= {first_id})"),
    ):
        for field in model._meta.concrete_fields:
            if field.is_relation:
                target = field.related_model._meta.db_table
                checks.append(
                    (
                        f"{model._meta.db_table}.{field.column}",
                        f"SELECT count(*) FROM {qn(model._meta.db_table)} t WHERE {where} AND t.{qn(field.column)} "
                        f"IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {qn(target)} r "
                        f"WHERE r.{qn(field.target_field.column)} = t.{qn(field.column)})",
                    )
                )
    with connection.cursor() as cursor:
        for label, sql in checks:
            cursor.execute(sql)
            (missing,) = cursor.fetchone()
            if missing:
                raise RuntimeError(f"{missing} rows of {label} point nowhere")
    clock.lap(f"foreign keys checked ({len(checks)} anti-joins)")


def analyse(clock: Clock, *, full: bool = False) -> None:
    with connection.cursor() as cursor:
        for model in (Application, Pause, Bundle, Item, ItemVersion, Material):
            table = qn(model._meta.db_table)
            if full:
                cursor.execute(f"VACUUM FULL {table}")
            cursor.execute(f"VACUUM ANALYZE {table}")
    clock.lap("VACUUM FULL, VACUUM ANALYZE" if full else "VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000, metavar="N", help="default 1000000")
    parser.add_argument("--bundles", type=int, default=5_000, metavar="K", help="parallel approvals (default 5000)")
    parser.add_argument("--overdue", type=int, default=1_500, metavar="K", help="stuck past their due date (1500)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--reset", action="store_true", help="delete the previous bench applications first")
    parser.add_argument("--delete", action="store_true", help="only delete them (before make_zone.py --reset)")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("PostgreSQL only (COPY): set DATABASE_URL", file=sys.stderr)
        return 1
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db.get('NAME')} ({db.get('HOST') or 'local'}); today {TODAY}", flush=True)
    clock = Clock()
    existing = bench_count()
    if args.delete:
        analyse(clock, full=delete(clock))
        return 0
    deleted = False
    if existing:
        if not args.reset:
            print(f"{existing:,} bench applications already there: run again with --reset", file=sys.stderr)
            return 1
        deleted = delete(clock)
    with transaction.atomic():
        catalogue = ensure_catalogue(clock)
        planned = plan(args.applications, args.bundles, args.overdue, args.seed, catalogue, clock)
        counts = write(planned, catalogue, clock)
    clock.lap("commit")
    analyse(clock, full=deleted)
    print(f"\nwrote {sum(counts.values()):,} rows in {clock.total:.1f} s:")
    for label, count in counts.items():
        print(f"  {label:<22} {count:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
