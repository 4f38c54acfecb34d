"""The demo zone's year of service: visits (the monthly rule kept), problems through their whole loop.

Shaped like the article's figures: 1,800+ visits, 300+ problems handed over one-to-one, 500+ solved (both
paths), most rated, some reopened, a few overdue. Written in bulk but step by step as the rules allow:
every problem's dates follow its loop and every step has who and when.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.common.calendar import add_working_days
from hitechzone.enterprises.models import Assignment
from hitechzone.liaison import summaries
from hitechzone.liaison.models import DEFAULT_DUE_WORKING_DAYS, Category, Problem, ProblemStep, Rating, Visit
from hitechzone.zone.models import Department

from .trail import unrecorded

YEAR = 2025
PROBLEMS_A_YEAR = 640
S = Problem.Status
CATEGORY_WEIGHTS = {
    Category.LABOUR: 25, Category.LAND: 14, Category.TECHNOLOGY: 12, Category.LIVING: 10, Category.TRANSPORT: 8,
    Category.APPROVAL: 10, Category.FINANCE: 9, Category.POLICY: 8, Category.OTHER: 4,
}  # fmt: skip
DEPARTMENT_FOR = {
    Category.LABOUR: "rsj", Category.LAND: "zrzyj", Category.TECHNOLOGY: "kjj", Category.LIVING: "zjj",
    Category.TRANSPORT: "jtysj", Category.APPROVAL: "fgw", Category.FINANCE: "czj", Category.POLICY: "jxj",
    Category.OTHER: "jxj",
}  # fmt: skip
TITLES = {
    Category.LABOUR: ["一线操作工招工难", "技术工人流失率高", "旺季用工缺口约 50 人", "外地员工社保转移"],
    Category.LAND: ["扩产项目需新增用地", "地块红线调整", "厂区闲置用地盘活", "土地证办理进度"],
    Category.TECHNOLOGY: ["副产氯化氢提纯工艺", "含氟废气处理技术", "有机硅单体收率偏低", "检测设备校准"],
    Category.LIVING: ["员工宿舍不足", "园区食堂就餐不便", "职工子女入学", "周边缺少超市"],
    Category.TRANSPORT: ["上下班公交班次少", "园区公交线路延伸", "夜班员工通勤困难"],
    Category.APPROVAL: ["技改项目备案", "环评批复进度", "施工许可办理", "安全设施设计审查"],
    Category.FINANCE: ["流动资金贷款", "技改贴息申请", "应收账款融资"],
    Category.POLICY: ["高新技术企业认定政策", "研发费用加计扣除", "亩均评价结果解读"],
    Category.OTHER: ["厂区道路维修", "供水压力不足", "雨污管网接驳"],
}
SOLUTIONS = [
    "已协调相关部门现场办公，问题已解决。",
    "已组织专场招聘会，企业已补足用工。",
    "已帮助企业完成申报材料并获批。",
    "已对接高校专家团队，技术方案已落地。",
    "已调整公交线路并增开班次。",
    "已纳入年度计划并完成整改。",
]


def _moment(rng: random.Random, day: date) -> datetime:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)


def _after(rng, day: date, low: int, high: int) -> date:
    return add_working_days(day, rng.randint(low, high)).value


def _month_days(year: int, month: int, until: date) -> list[date]:
    first = date(year, month, 1)
    days = [first + timedelta(days=i) for i in range(31) if (first + timedelta(days=i)).month == month]
    return [d for d in days if d <= until]


@unrecorded
def load_liaison(rng: random.Random, report, *, today: date, current: random.Random | None = None) -> None:
    """The reference year ``YEAR`` (from ``rng``, as the article tells it) and the current year up to ``today``
    with the same density (from ``current``, a stream of its own, so the reference year stays as it was)."""
    enterprise_ids = list(Assignment.objects.values_list("enterprise_id", flat=True))
    if Visit.objects.filter(enterprise_id__in=enterprise_ids, visited_on__year=YEAR).exists():
        return  # loaded already
    assignments = list(Assignment.objects.filter(ended_on__isnull=True).select_related("enterprise").order_by("id"))
    users = _enterprise_users(assignments, report)
    visits = _visits(rng, assignments, today, under_way=current or rng)
    Visit.objects.bulk_create(visits, batch_size=2000)
    summaries.rebuild_visit_months()  # bulk_create sends no signal: the monthly summaries from the visits
    report.add("visits", len(visits))
    _department_users(report)
    departments = {d.code: d for d in Department.objects.all()}
    _problems(rng, assignments, visits, users, departments, today, report, year=YEAR)
    if today.year > YEAR:  # the year under way: as many problems a day as in the reference year
        share = min(1.0, (today - date(today.year, 1, 1)).days / 365)
        count = round(PROBLEMS_A_YEAR * share)
        _problems(current or rng, assignments, visits, users, departments, today, report, year=today.year, count=count)
    overdue = Problem.objects.overdue(today).filter(escalated_at__isnull=True)
    overdue.update(escalated_at=timezone.now())


def _enterprise_users(assignments, report) -> dict[int, User]:
    """Every served enterprise has a user account for its own forms (no password until an admin sets one)."""
    existing = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE)}
    new = []
    for a in assignments:
        if a.enterprise_id not in existing:
            user = User(
                username=f"ent-{a.enterprise.uscc[-8:].lower()}",
                role=Role.ENTERPRISE,
                enterprise_id=a.enterprise_id,
                full_name=f"{a.enterprise.name} 联络人",
            )
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new, ignore_conflicts=True)
    report.add("enterprise users", len(new))
    return {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE)}


def _department_users(report) -> None:
    """Every department has at least one member of staff on the platform to reply to what is handed over."""
    staffed = set(User.objects.filter(role=Role.DEPARTMENT).values_list("department_id", flat=True))
    new = []
    for d in Department.objects.exclude(pk__in=staffed):
        user = User(username=f"dept-{d.code}", role=Role.DEPARTMENT, department=d, full_name=f"{d.short_name} 经办人")
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new, ignore_conflicts=True)
    report.add("department users", len(new))


def _visits(reference, assignments, today: date, *, under_way) -> list[Visit]:
    """The visits of ``YEAR`` from ``reference``, those of the year under way from ``under_way``: how many days the
    month under way has so far must not move the reference stream (the later modules' reference year draws on it)."""
    visits = []
    notes = ["走访了解生产经营情况", "宣讲惠企政策", "了解项目进度", "协调用工需求", "节前安全生产检查"]
    for year in (YEAR, YEAR + 1):
        rng = reference if year == YEAR else under_way
        for month in range(1, 13):
            days = _month_days(year, month, today)
            if not days:
                continue
            current = (year, month) == (today.year, today.month)
            for a in assignments:
                if current and rng.random() < 0.45:
                    continue  # this month is not over: some enterprises are still to be visited
                for _ in range(1 + (rng.random() < 0.12)):
                    visits.append(
                        Visit(
                            officer_id=a.officer_id,
                            enterprise_id=a.enterprise_id,
                            visited_on=rng.choice(days),
                            form=rng.choices(list(Visit.Form.values), weights=(75, 18, 7))[0],
                            people_met=rng.choice(["总经理", "办公室主任", "生产副总", "人事经理", "财务总监"]),
                            notes=rng.choice(notes),
                            created_at=_moment(rng, days[-1]),
                        )
                    )
    return visits


def _problems(rng, assignments, visits, users, departments, today, report, *, year, count=None) -> None:
    by_enterprise = {a.enterprise_id: a for a in assignments}
    staff = {}
    for user in User.objects.filter(role=Role.DEPARTMENT).order_by("username"):
        staff.setdefault(user.department_id, user)
    year_visits = [v for v in visits if v.visited_on.year == year]
    last = min(today, date(year, 12, 31))
    raise_days = min(350, (last - date(year, 1, 1)).days + 1)  # raised by mid-December, or by today
    categories, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    plans = []
    for _ in range(PROBLEMS_A_YEAR if count is None else count):
        category = rng.choices(categories, weights=weights)[0]
        if rng.random() < 0.6:
            visit = rng.choice(year_visits)
            origin, raised_on, enterprise_id = Problem.Origin.OFFICER, visit.visited_on, visit.enterprise_id
        else:
            visit, origin = None, Problem.Origin.ENTERPRISE
            enterprise_id = rng.choice(assignments).enterprise_id
            raised_on = date(year, 1, 1) + timedelta(days=rng.randrange(0, raise_days))
        plans.append((category, visit, origin, raised_on, enterprise_id))
    problems, steps = [], []
    for category, visit, origin, raised_on, enterprise_id in sorted(plans, key=lambda p: p[3]):
        a = by_enterprise[enterprise_id]
        officer_id = a.officer_id
        ent_user = users.get(enterprise_id)
        raised_by = officer_id if origin == Problem.Origin.OFFICER else ent_user.pk
        p = Problem(
            enterprise_id=enterprise_id, officer_id=officer_id, origin=origin, raised_by_id=raised_by, visit=visit,
            category=category, title=rng.choice(TITLES[category]), description="", created_at=_moment(rng, raised_on),
        )  # fmt: skip
        trail = [
            (p.created_at, raised_by, "raise", "", S.ACCEPTED if origin == Problem.Origin.OFFICER else S.SUBMITTED, "")
        ]
        accepted_on = raised_on if origin == Problem.Origin.OFFICER else _after(rng, raised_on, 0, 2)
        p.accepted_at = _moment(rng, accepted_on)
        if origin == Problem.Origin.ENTERPRISE:
            trail.append((p.accepted_at, officer_id, "accept", S.SUBMITTED, S.ACCEPTED, ""))
        state = S.ACCEPTED
        if rng.random() < 0.56:  # handed over one-to-one to the responsible department
            dept = departments[DEPARTMENT_FOR[category]]
            handed_on = _after(rng, accepted_on, 0, 3)
            p.department, p.handed_over_at = dept, _moment(rng, handed_on)
            p.due_on = add_working_days(handed_on, DEFAULT_DUE_WORKING_DAYS[category]).value
            trail.append((p.handed_over_at, officer_id, "hand_over", state, S.HANDED_OVER, dept.name))
            state = S.HANDED_OVER
            late = rng.random() < 0.1
            replied_on = (
                _after(rng, p.due_on, 1, 8) if late else _after(rng, handed_on, 2, DEFAULT_DUE_WORKING_DAYS[category])
            )
            solver = dept.staff.first()
        else:
            replied_on = _after(rng, accepted_on, 0, 6)
            solver = None
            p.solved_directly = True
        if replied_on > last or rng.random() < 0.02:
            p.status = state  # still open: some are overdue
            problems.append(p)
            steps.append(trail)
            continue
        solver_id = solver.pk if solver else officer_id
        p.solution = rng.choice(SOLUTIONS)
        p.solved_at = _moment(rng, replied_on)
        trail.append((p.solved_at, solver_id, "solve" if p.solved_directly else "reply",
                      state, S.REPLIED, p.solution))  # fmt: skip
        state = S.REPLIED
        if rng.random() < 0.88 and ent_user is not None:  # most are rated
            rating = rng.choices([5, 4, 3, 2, 1], weights=(52, 30, 11, 5, 2))[0]
            rated_on = _after(rng, replied_on, 0, 4)
            if rated_on > today:  # replied these last days: the enterprise has not rated it yet
                p.status = S.REPLIED
                problems.append(p)
                steps.append(trail)
                continue
            if rating <= Rating.DISSATISFIED:  # rectification, then rated again
                p.reopened_count = 1
                trail.append((_moment(rng, rated_on), ent_user.pk, "rate_reopen", state,
                              S.ACCEPTED if p.solved_directly else S.HANDED_OVER, "整改不到位"))  # fmt: skip
                # Still being rectified (or rated too near today to be done): the dissatisfied rating stands.
                if rng.random() < 0.3 or add_working_days(rated_on, 11).value > today:
                    p.rating, p.rated_at, p.solved_at = rating, _moment(rng, rated_on), None
                    p.status = S.ACCEPTED if p.solved_directly else S.HANDED_OVER
                    p.solved_directly = False if p.status == S.ACCEPTED else p.solved_directly
                    p.due_on = add_working_days(rated_on, DEFAULT_DUE_WORKING_DAYS[category]).value
                    problems.append(p)
                    steps.append(trail)
                    continue
                again = _after(rng, rated_on, 2, 8)
                p.solved_at = _moment(rng, again)
                back = S.ACCEPTED if p.solved_directly else S.HANDED_OVER
                trail.append((p.solved_at, solver_id, "solve" if p.solved_directly else "reply", back, S.REPLIED,
                              "已按企业意见整改"))  # fmt: skip
                rated_on = _after(rng, again, 0, 3)
                rating = rng.choice([3, 4, 5])
            p.rating = rating
            p.target_scores = {k: max(1, min(5, rating + rng.choice((-1, 0, 0, 0, 1)))) for k in
                               ("attitude", "path", "timeliness", "credit", "cost", "style")}  # fmt: skip
            p.rated_at = p.closed_at = _moment(rng, rated_on)
            trail.append((p.rated_at, ent_user.pk, "rate_close", S.REPLIED, S.CLOSED, ""))
            p.status = S.CLOSED
        elif rng.random() < 0.5 and add_working_days(replied_on, 10).value <= today:
            p.closed_at = _moment(rng, _after(rng, replied_on, 5, 10))
            trail.append((p.closed_at, officer_id, "close", S.REPLIED, S.CLOSED, "企业未评价，联系确认已解决"))
            p.status = S.CLOSED
        else:
            p.status = S.REPLIED
        problems.append(p)
        steps.append(trail)
    Problem.objects.bulk_create(problems, batch_size=1000)
    summaries.rebuild_problem_months()  # bulk_create sends no signal: the monthly summaries from the problems
    ProblemStep.objects.bulk_create(
        [
            ProblemStep(problem=p, at=at, user_id=user_id, action=action, from_status=a, to_status=b, note=note)
            for p, trail in zip(problems, steps, strict=True)
            for at, user_id, action, a, b, note in trail
        ],
        batch_size=2000,
    )
    report.add("problems", len(problems))
