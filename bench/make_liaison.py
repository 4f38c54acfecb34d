#!/usr/bin/env python
"""Add a year of service-officer work (issue 4) to the bench zone, in bulk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/make_liaison.py

Needs the zone of ``bench/make_zone.py`` (100,000 enterprises, ~300 officers, ~102,000 assignments of
which ~92,700 run through 2025): the assignments are reused as they are. On top of them:

- **visits** in 2025, about one per running assignment per calendar month (~1.2 million): most
  assignments get one visit a month, some two, and some months none (each officer has a diligence
  of their own, from lax to perfect, so the coverage pages have gaps to show);
- **problems** (200,000 by default) across the nine categories, raised in 2025 (a few in 2026, up to
  today) by the officers — half of them during a visit — and, for the enterprise of ``bench-ent``, by
  the enterprise itself; accepted, handed over (交办) to the department of their category with a
  due date counted in working days (``chinese_calendar``; weekdays for a year it does not know),
  replied to (some late), solved directly by the officer, rated on the five levels (most with the
  six service-target scores), closed, reopened after a bad rating, overdue and escalated;
- **problem steps**, one per transition (raise, accept, hand_over, reply/solve, rate_close/close,
  rate_reopen …), about 4 per problem.

On PostgreSQL the rows go in with ``COPY … FROM STDIN`` (explicit ids taken from the tables'
sequences, so that steps and problems can point at rows not yet read back), in one transaction, then
``VACUUM ANALYZE`` (after a delete, ``VACUUM FULL`` first). Options: ``--problems N``, ``--seed S``,
``--reset`` (delete the liaison rows of the bench zone first), ``--delete`` (only delete them: run it
before ``make_zone.py --reset``, whose ORM delete of enterprises is refused while problems point at them).
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from hitechzone.accounts.models import User  # noqa: E402
from hitechzone.enterprises.models import Assignment, Enterprise  # noqa: E402
from hitechzone.liaison import summaries  # noqa: E402
from hitechzone.liaison.models import (  # noqa: E402
    DEFAULT_DUE_WORKING_DAYS,
    SERVICE_TARGETS,
    Problem,
    ProblemMonth,
    ProblemStep,
    Visit,
    VisitMonth,
)
from hitechzone.zone.models import Department  # noqa: E402

USCC_PREFIX = "91339900"  # bench/make_zone.py
USER_PREFIX = "bench-"
YEAR = 2025
TZ = ZoneInfo(settings.TIME_ZONE)
TODAY = date.today()  # the bench's "today" is the machine's

# Category → weight, and the departments (by a part of their name) problems of it are handed to.
CATEGORIES = {
    "labour": (20, ["人力资源"]),
    "land": (9, ["自然资源"]),
    "technology": (12, ["科学技术", "经济和信息化"]),
    "living": (8, ["住房和城乡建设", "民政"]),
    "transport": (6, ["交通运输"]),
    "approval": (15, ["发展和改革", "市场监督", "生态环境"]),
    "finance": (12, ["财政", "发展和改革", "税务"]),
    "policy": (12, ["经济和信息化", "商务"]),
    "other": (6, ["综合行政执法", "应急管理", "经济和信息化"]),
}
TITLES = {
    "labour": ["招工难，一线操作工缺口较大", "技术工人流失，需要技能培训支持", "新员工社保转移手续咨询"],
    "land": ["扩产用地指标申请", "厂区边角地块能否调整", "土地证办理进度"],
    "technology": ["工艺废气治理技术难题", "产线自动化改造寻求合作院所", "新产品检测认证渠道"],
    "living": ["员工宿舍紧张", "厂区周边缺少食堂和便利店", "员工子女入学咨询"],
    "transport": ["上下班公交班次太少", "园区道路货车通行限制", "公交站点离厂区太远"],
    "approval": ["技改项目备案", "环评审批进度", "消防验收预约", "施工许可办理"],
    "finance": ["流动资金贷款对接", "技改补助资金申报", "出口退税进度"],
    "policy": ["亩均评价政策解读", "高新技术企业认定咨询", "研发费用加计扣除政策"],
    "other": ["厂区门口积水", "周边噪声投诉处理", "企业名称变更后的证照更新"],
}
FORMS = ["on_site"] * 7 + ["phone"] * 2 + ["online"]
NOTES = ["生产经营正常，了解订单情况", "走访了解用工情况", "宣讲惠企政策", "了解技改项目进展", "回访诉求办理情况", ""]
PEOPLE = ["总经理", "办公室主任", "财务负责人", "生产副总", "行政主管"]


def aware(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


class Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<52} {now - self.last:7.1f} s   (total {now - self.start:6.1f} s)", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


# --------------------------------------------------------------------------------------------- working days

_workday_cache: dict[date, bool] = {}


def is_workday(d: date) -> bool:
    found = _workday_cache.get(d)
    if found is None:
        try:
            import chinese_calendar

            found = chinese_calendar.is_workday(d)
        except (ImportError, NotImplementedError):
            found = d.weekday() < 5
        _workday_cache[d] = found
    return found


def add_working_days(start: date, n: int) -> date:
    d = start
    while n > 0:
        d += timedelta(days=1)
        if is_workday(d):
            n -= 1
    return d


# --------------------------------------------------------------------------------------------- writing


def copy_rows(model, columns: list[str], rows, label: str) -> int:
    """COPY rows (tuples in the order of ``columns``, attnames) into the model's table."""
    qn = connection.ops.quote_name
    cols = ", ".join(qn(model._meta.get_field(c).column) if c != "id" else "id" for c in columns)
    n = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
            if n % 200_000 == 0:
                print(f"    {label}: {n:,}", flush=True)
    return n


def next_id(model) -> int:
    """The next id of the table (explicit ids are written; the sequence is moved past them afterwards)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(model._meta.db_table)}")
        return cursor.fetchone()[0]


def move_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))", [table]
        )


# --------------------------------------------------------------------------------------------- reset


def bench_counts() -> dict[str, int]:
    ents = Enterprise.objects.filter(uscc__startswith=USCC_PREFIX)
    return {
        "visits": Visit.objects.filter(enterprise__in=ents).count(),
        "problems": Problem.objects.filter(enterprise__in=ents).count(),
    }


def delete(clock: Clock) -> None:
    qn = connection.ops.quote_name
    ents = f"SELECT id FROM {qn(Enterprise._meta.db_table)} WHERE uscc LIKE %s"
    problems = f"SELECT id FROM {qn(Problem._meta.db_table)} WHERE enterprise_id IN ({ents})"
    like = USCC_PREFIX + "%"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {qn(ProblemStep._meta.db_table)} WHERE problem_id IN ({problems})", [like])
        cursor.execute(f"DELETE FROM {qn(Problem._meta.db_table)} WHERE enterprise_id IN ({ents})", [like])
        cursor.execute(f"DELETE FROM {qn(Visit._meta.db_table)} WHERE enterprise_id IN ({ents})", [like])
        # Inbox lines of the bench users (reminders and escalations a scheduled run may have made).
        cursor.execute(
            "DELETE FROM common_notification WHERE user_id IN "
            f"(SELECT id FROM {qn(User._meta.db_table)} WHERE username LIKE %s)",
            [USER_PREFIX + "%"],
        )
    clock.lap("deleted the bench zone's visits, problems and steps")
    summaries.rebuild_visit_months()  # raw SQL sends no signal: the monthly summaries again from what is left
    summaries.rebuild_problem_months()
    clock.lap("rebuilt the monthly summaries")


# --------------------------------------------------------------------------------------------- load


def load(n_problems: int, seed: int, clock: Clock) -> dict[str, int]:
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    ents = Enterprise.objects.filter(uscc__startswith=USCC_PREFIX)
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
    # Assignments running at some point of the year, in a stable order.
    assignments = list(
        Assignment.objects.filter(enterprise__in=ents, started_on__lte=last)
        .exclude(ended_on__lte=first)
        .order_by("id")
        .values_list("id", "officer_id", "enterprise_id", "started_on", "ended_on")
    )
    if not assignments:
        raise SystemExit("no bench assignments: run bench/make_zone.py first")
    officers = sorted({a[1] for a in assignments})
    # Each officer's diligence: the chance of at least one visit to an enterprise in a month.
    diligence = {o: rng.choice([0.99, 0.97, 0.95, 0.93, 0.9, 0.85, 0.75]) for o in officers}
    bench_ent = User.objects.filter(username="bench-ent").values_list("id", "enterprise_id").first()
    departments = list(Department.objects.order_by("sort_order").values_list("id", "name"))
    dept_users = dict(
        User.objects.filter(username__startswith=USER_PREFIX, department__isnull=False).values_list(
            "department_id", "id"
        )
    )

    def depts_for(parts: list[str]) -> list[int]:
        found = [pk for pk, name in departments if any(p in name for p in parts)]
        return found or [departments[0][0]]

    category_depts = {c: depts_for(parts) for c, (_w, parts) in CATEGORIES.items()}
    clock.lap(f"read {len(assignments):,} assignments of {len(officers)} officers")

    # --- visits: month by month, per assignment ---------------------------------------------------------------
    visit_id = next_id(Visit)
    visits_by_pair: dict[tuple[int, int], list[tuple[int, date]]] = defaultdict(list)

    def visit_rows():
        nonlocal visit_id
        for _aid, officer, enterprise, started, ended in assignments:
            p = diligence[officer]
            for month in range(1, 13):
                m_first = date(YEAR, month, 1)
                m_last = date(YEAR + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
                lo = max(m_first, started)
                hi = min(m_last, ended - timedelta(days=1)) if ended else m_last
                if lo > hi or rng.random() > p:
                    continue
                k = 2 if rng.random() < 0.2 else 1
                span = (hi - lo).days
                for day in sorted(rng.randint(0, span) for _ in range(k)):
                    on = lo + timedelta(days=day)
                    visits_by_pair[(officer, enterprise)].append((visit_id, on))
                    yield (
                        visit_id,
                        officer,
                        enterprise,
                        on,
                        rng.choice(FORMS),
                        rng.choice(PEOPLE),
                        rng.choice(NOTES),
                        aware(on, rng.randint(9, 17), rng.randint(0, 59)) + timedelta(hours=rng.choice((0, 0, 1, 30))),
                    )
                    visit_id += 1

    counts["visits"] = copy_rows(
        Visit,
        ["id", "officer", "enterprise", "visited_on", "form", "people_met", "notes", "created_at"],
        visit_rows(),
        "visits",
    )
    clock.lap(f"visits: {counts['visits']:,}")

    # --- problems and their steps -------------------------------------------------------------------------------
    problem_id = next_id(Problem)
    cats = list(CATEGORIES)
    weights = [CATEGORIES[c][0] for c in cats]
    open_assignments = [a for a in assignments if a[4] is None]
    bench_ent_officer = next((a[1] for a in open_assignments if bench_ent and a[2] == bench_ent[1]), None)
    steps: list[tuple] = []
    year_seconds = (date(YEAR + 1, 1, 1) - first).days * 86400
    recent_days = max(1, (TODAY - date(YEAR + 1, 1, 1)).days)

    def step(pid, at, user, action, before, after, note=""):
        steps.append((pid, at, user, action, before, after, note))

    def problem_rows():
        nonlocal problem_id
        for i in range(n_problems):
            _aid, officer, enterprise, _started, _ended = rng.choice(open_assignments)
            category = rng.choices(cats, weights)[0]
            # 97 % raised in the bench year, the rest in the months since (still open, mostly).
            if rng.random() < 0.97:
                created = aware(first, 8) + timedelta(seconds=rng.randrange(year_seconds - 86400))
            else:
                created = aware(date(YEAR + 1, 1, 1), 8) + timedelta(seconds=rng.randrange(recent_days * 86400))
            recent = created.date() > last
            pid = problem_id
            problem_id += 1
            visit = None
            origin, raised_by = "officer", officer
            if bench_ent_officer and i % 500 == 0:  # the enterprise user's own problems, served by its officer
                enterprise, officer, origin, raised_by = bench_ent[1], bench_ent_officer, "enterprise", bench_ent[0]
            elif not recent and rng.random() < 0.5:
                candidates = [v for v in visits_by_pair.get((officer, enterprise), ()) if v[1] <= created.date()]
                if candidates:
                    visit, on = candidates[-1]
                    created = aware(on, 18)
            row = {
                "status": "accepted" if origin == "officer" else "submitted",
                "department": None,
                "due_on": None,
                "solved_directly": False,
                "solution": "",
                "rating": None,
                "target_scores": {},
                "rating_comment": "",
                "reopened_count": 0,
                "escalated_at": None,
                "accepted_at": created if origin == "officer" else None,
                "handed_over_at": None,
                "solved_at": None,
                "rated_at": None,
                "closed_at": None,
            }
            step(pid, created, raised_by, "raise", "", row["status"])
            t = created
            fate = rng.random()
            if recent:  # raised lately: mostly still under way
                fate = rng.random() * 0.6
            if origin == "enterprise" or fate < 0.03:
                if fate < 0.03:  # not accepted yet
                    row["status"], row["accepted_at"] = "submitted", None
                    yield pid, officer, enterprise, origin, raised_by, visit, category, created, row
                    continue
                t += timedelta(hours=rng.randint(2, 48))
                row["status"], row["accepted_at"] = "accepted", t
                step(pid, t, officer, "accept", "submitted", "accepted")
            if fate < 0.08:  # accepted, waiting for the officer
                yield pid, officer, enterprise, origin, raised_by, visit, category, created, row
                continue
            handed = fate < 0.63  # 55 % handed over, 37 % solved directly
            reopen = rng.random() < 0.05
            for round_ in range(2 if reopen else 1):
                if handed:
                    if round_ == 0:
                        t += timedelta(hours=rng.randint(1, 72))
                        dept = rng.choice(category_depts[category])
                        due = add_working_days(t.date(), DEFAULT_DUE_WORKING_DAYS[category])
                        row.update(status="handed_over", department=dept, due_on=due, handed_over_at=t)
                        step(pid, t, officer, "hand_over", "accepted", "handed_over", str(dept))
                    late = rng.random() < 0.12
                    days = (row["due_on"] - t.date()).days
                    reply_at = t + timedelta(days=rng.randint(1, max(1, days)) + (rng.randint(1, 20) if late else 0))
                    if (recent and rng.random() < 0.6) or reply_at.date() >= TODAY or fate < 0.16:
                        # Still with the department: overdue when the due date has passed.
                        if row["due_on"] < TODAY and rng.random() < 0.8:
                            row["escalated_at"] = aware(row["due_on"] + timedelta(days=1), 7)
                        break
                    t = reply_at
                    row.update(status="replied", solution="已协调解决", solved_at=t)
                    step(pid, t, dept_users.get(row["department"]), "reply", "handed_over", "replied", "已协调解决")
                else:
                    t += timedelta(hours=rng.randint(2, 240))
                    row.update(status="replied", solution="店小二现场协调解决", solved_directly=True, solved_at=t)
                    step(pid, t, officer, "solve", "accepted", "replied", "店小二现场协调解决")
                # The rating (or the officer closes it unrated).
                if fate > 0.98 or (recent and rng.random() < 0.5):
                    break  # replied, waiting for the rating
                t += timedelta(hours=rng.randint(4, 200))
                rater = bench_ent[0] if origin == "enterprise" else None
                if reopen and round_ == 0:
                    rating = rng.choice((1, 2))
                    row.update(rating=rating, rated_at=t, rating_comment="问题没有真正解决", reopened_count=1)
                    row.update(solved_at=None, escalated_at=None)
                    new_due = add_working_days(t.date(), DEFAULT_DUE_WORKING_DAYS[category])
                    if row["solved_directly"]:
                        row.update(status="accepted", solved_directly=False, due_on=new_due)
                        step(pid, t, rater, "rate_reopen", "replied", "accepted", "问题没有真正解决")
                    else:
                        row.update(status="handed_over", due_on=new_due)
                        step(pid, t, rater, "rate_reopen", "replied", "handed_over", "问题没有真正解决")
                    continue
                if rng.random() < 0.85:
                    rating = rng.choices((5, 4, 3), (55, 30, 15))[0]
                    scores = (
                        {k: max(1, min(5, rating + rng.choice((-1, 0, 0, 1)))) for k in SERVICE_TARGETS}
                        if rng.random() < 0.6
                        else {}
                    )
                    row.update(rating=rating, target_scores=scores, rated_at=t, status="closed", closed_at=t)
                    step(pid, t, rater, "rate_close", "replied", "closed")
                else:
                    row.update(status="closed", closed_at=t)
                    step(pid, t, officer, "close", "replied", "closed")
            yield pid, officer, enterprise, origin, raised_by, visit, category, created, row

    def problem_out():
        for pid, officer, enterprise, origin, raised_by, visit, category, created, r in problem_rows():
            title = rng.choice(TITLES[category])
            yield (
                pid,
                enterprise,
                officer,
                origin,
                raised_by,
                visit,
                category,
                title,
                "",
                r["status"],
                r["department"],
                r["due_on"],
                r["solved_directly"],
                r["solution"],
                r["rating"],
                Jsonb(r["target_scores"]),
                r["rating_comment"],
                r["reopened_count"],
                r["escalated_at"],
                created,
                r["accepted_at"],
                r["handed_over_at"],
                r["solved_at"],
                r["rated_at"],
                r["closed_at"],
            )

    counts["problems"] = copy_rows(
        Problem,
        [
            "id",
            "enterprise",
            "officer",
            "origin",
            "raised_by",
            "visit",
            "category",
            "title",
            "description",
            "status",
            "department",
            "due_on",
            "solved_directly",
            "solution",
            "rating",
            "target_scores",
            "rating_comment",
            "reopened_count",
            "escalated_at",
            "created_at",
            "accepted_at",
            "handed_over_at",
            "solved_at",
            "rated_at",
            "closed_at",
        ],
        problem_out(),
        "problems",
    )
    clock.lap(f"problems: {counts['problems']:,}")
    counts["problem steps"] = copy_rows(
        ProblemStep, ["problem", "at", "user", "action", "from_status", "to_status", "note"], steps, "steps"
    )
    clock.lap(f"problem steps: {counts['problem steps']:,}")
    move_sequence(Visit)
    move_sequence(Problem)
    return counts


def analyse(clock: Clock, *, full: bool = False) -> None:
    """VACUUM ANALYZE; after a delete, VACUUM FULL first: the new rows went in after the dead ones, and a sequential
    scan would read both (the latency figures would depend on how many resets came before)."""
    with connection.cursor() as cursor:
        for model in (Visit, VisitMonth, Problem, ProblemMonth, ProblemStep, Assignment):
            table = connection.ops.quote_name(model._meta.db_table)
            if full:
                cursor.execute(f"VACUUM FULL {table}")
            # Also after FULL, which leaves the visibility map empty: index-only scans would visit the heap.
            cursor.execute(f"VACUUM ANALYZE {table}")
    clock.lap("VACUUM FULL, VACUUM ANALYZE" if full else "VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--problems", type=int, default=200_000, metavar="N", help="problems (default 200000)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--reset", action="store_true", help="delete the previous liaison rows of the bench zone")
    parser.add_argument("--delete", action="store_true", help="only delete them (before make_zone.py --reset)")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("PostgreSQL only (COPY): set DATABASE_URL", file=sys.stderr)
        return 1
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db.get('NAME')} ({db.get('HOST') or 'local'})", flush=True)
    clock = Clock()
    existing = bench_counts()
    if args.delete:
        delete(clock)
        analyse(clock, full=True)
        return 0
    deleted = any(existing.values())
    if deleted:
        if not args.reset:
            print(f"liaison rows already there {existing}: run again with --reset", file=sys.stderr)
            return 1
        delete(clock)
    with transaction.atomic():
        counts = load(args.problems, args.seed, clock)
        counts["visit summaries"] = summaries.rebuild_visit_months()  # COPY sends no signal
        clock.lap(f"visit summaries: {counts['visit summaries']:,}")
        counts["problem summaries"] = summaries.rebuild_problem_months()
        clock.lap(f"problem summaries: {counts['problem summaries']:,}")
    clock.lap("commit")
    analyse(clock, full=deleted)
    print(f"\nwrote {sum(counts.values()):,} rows in {clock.total:.1f} s:")
    for label, count in counts.items():
        print(f"  {label:<22} {count:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
