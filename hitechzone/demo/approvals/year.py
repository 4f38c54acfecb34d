"""The demo year planned case by case, and its clock computed in bulk."""

from __future__ import annotations

import random
from bisect import bisect_left
from datetime import date, timedelta

import numpy as np
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.approvals import services
from hitechzone.approvals.clock import bulk as clock_bulk
from hitechzone.approvals.models import (
    Item,
    ItemType,
    ItemVersion,
    Material,
)
from hitechzone.common.deadlines import BulkClock, to_ordinals
from hitechzone.demo.catalogue import ITEMS
from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.zone.models import Department

from .base import (
    ANSWERS,
    APPLICATIONS,
    APPROVED,
    BUNDLES,
    COMPLAINTS,
    DEPARTMENT_WEIGHTS,
    LEVEL_WEIGHTS,
    MONTH_WEIGHTS,
    OPEN_OVERDUE,
    PAUSE_KINDS,
    PRAISE,
    PROJECT_ITEMS,
    PROJECTS,
    REFUSE_REASONS,
    REFUSED,
    REJECT_REASONS,
    SPRING_FESTIVALS,
    YEAR,
    Case,
    Days,
    K,
    M,
    NoticePlan,
    PausePlan,
    S,
    World,
    _notice_text,
)

OVERDUE_BY = 45  # working days: an application of the year under way left open was received at least this long ago

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
    # A persona (with a password) before a plain account. Not ``order_by("-password")``: a salted hash sorts at
    # random, and PostgreSQL's collation ignores the "!" of an unusable password where SQLite compares bytes.
    accounts = User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=officers).order_by("pk")
    for user in sorted(accounts, key=lambda u: not u.has_usable_password()):
        users.setdefault(user.enterprise_id, user)
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
    """The window: perhaps one notice first (and the supply), perhaps 不予受理; else accepted. False if rejected,
    or if it is not accepted by today (nothing happens after ``w.today``)."""
    rng, days = w.rng, w.days
    day = case.received
    candidates = _missing_candidates(w, case)
    if candidates and rng.random() < notice:
        issued = day if rng.random() < 0.7 else days.after(day)
        missing = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2))))
        _notice(w, case, issued, missing, after_acceptance=False)
        case.event(issued, case.staff, "notice", S.CORRECTING, case.notices[-1].text)
        day = days.after(issued, rng.randint(1, 6))
        if day > w.today:  # the materials are not in yet
            return False
        if rng.random() < reject * 4:  # the materials never came right: not accepted
            return _reject(w, case, day)
        _supply(case, day, missing, S.RECEIVED)
    elif rng.random() < reject:
        return _reject(w, case, day if rng.random() < 0.6 else days.after(day))
    if not same_day and rng.random() < 0.3:
        day = days.after(day)
    if day > w.today:  # received, still to be checked
        return False
    case.accepted = day
    case.event(day, case.staff, "accept", S.ACCEPTED)
    return True


def _reject(w: World, case: Case, day: date) -> bool:
    if day > w.today:  # still to be checked
        return False
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
    days) instead of ``pauses`` random ones. Nothing happens after ``w.today``: a case that would be done later is
    still being processed today, or paused if its pause is not over."""
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
        if start > w.today:
            break
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
        if pause.resume > w.today:  # still paused today
            pause.resume = None
        if kind == K.CORRECTION:
            missing = rng.sample(candidates, 1)
            _notice(w, case, start, missing, after_acceptance=True, note=reason)
            case.event(start, case.staff, "notice", S.CORRECTING, case.notices[-1].text)
            if pause.resume is not None:
                _supply(case, pause.resume, missing, S.PROCESSING)
        else:
            case.event(start, case.staff, "pause", S.SPECIAL, f"{K(kind).label}: {reason}")
            if pause.resume is not None:
                case.event(pause.resume, case.staff, "resume", S.PROCESSING)
        case.pauses.append(pause)
        if pause.resume is None:
            return
        spans.append((pause.start, pause.ended))
    if open_:
        return
    if late:
        done = days.after(days.counted_day(accepted, case.limit, spans), late)
    else:
        done = days.counted_day(accepted, used, spans)
    if done > w.today:  # still being processed today
        return
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


def _year_days(
    w: World, year: int = YEAR, last: date | None = None, thin: tuple[date, float] | None = None
) -> tuple[list[date], list[float]]:
    """The working days of ``year`` (up to ``last``) and how busy the window is on each (relative). ``thin``: from
    that day on, the bulk plan draws only that share of them (the services play the rest)."""
    days = w.days.between(date(year, 1, 1), min(last or date(year, 12, 31), date(year, 12, 31)))
    quiet = SPRING_FESTIVALS.get(year, (None, None))
    weights = [MONTH_WEIGHTS[d.month] * (0.5 if quiet[0] and quiet[0] <= d <= quiet[1] else 1.0) for d in days]
    if thin is not None:
        weights = [weight * (thin[1] if d >= thin[0] else 1.0) for d, weight in zip(days, weights, strict=True)]
    return days, weights


def applications_until(w: World, last: date) -> int:
    """How many applications the year of ``last`` has received by ``last``: as many a day as in ``YEAR``
    (``APPLICATIONS`` in all), counting each day by how busy the window is."""
    _days, whole = _year_days(w)
    _days, so_far = _year_days(w, last.year, last)
    return round(APPLICATIONS * sum(so_far) / sum(whole))


def room_for(w: World, last: date, count: int, start: date, played: int) -> tuple[int, tuple[date, float]]:
    """The bulk plan of ``count`` applications up to ``last`` when the services play ``played`` more from ``start``
    on: ``count - played`` of them, drawn that much more thinly from ``start`` on, so the weeks the services play
    read at the same density as the rest of the year."""
    days, weights = _year_days(w, last.year, last)
    in_window = count * sum(wt for d, wt in zip(days, weights, strict=True) if d >= start) / sum(weights)
    share = max(0.0, 1.0 - played / in_window) if in_window else 1.0
    return max(0, count - played), (start, share)


def _plan_bundles(w: World, cases: list[Case], year: int = YEAR, last: date | None = None) -> list[dict]:
    """The year's parallel approvals, filed by the service officers as agents; the fastest take 5 days. Up to
    ``last``: only those of the months before its own."""
    rng, days = w.rng, w.days
    plan = [b for b in BUNDLES if last is None or b[0] < last.month]
    bundles = []
    # Enterprises with a chain and an officer; ent1's enterprise first (officer1 files its project).
    first = w.personas["ent1"].enterprise_id if "ent1" in w.personas else None
    candidates = [e for e in w.enterprises if e in w.chains and e != first]
    chosen = ([first] if first in w.chains else []) + rng.sample(candidates, min(len(candidates), len(plan)))
    for (month, template, target), enterprise_id in zip(plan, chosen, strict=False):
        items = [i for i in (w.by_name(n) for n in PROJECT_ITEMS[template]) if i is not None]
        if len(items) < 2:
            continue
        started = rng.choice(days.between(date(year, month, 3), date(year, month, 25)))
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


def plan_year(
    w: World,
    count: int = APPLICATIONS,
    *,
    year: int = YEAR,
    last: date | None = None,
    open_overdue: int = OPEN_OVERDUE,
    thin: tuple[date, float] | None = None,
) -> tuple[list[Case], list[dict]]:
    """The applications received in ``year`` (up to ``last``): ``count`` of them, bundles included, as each
    stands on ``w.today``. ``open_overdue`` of the later ones are left open. A later year has no application
    of the item suspended at the end of ``YEAR``. ``thin``: fewer of them from that day on (:func:`_year_days`)."""
    rng = w.rng
    cases: list[Case] = []
    bundles = _plan_bundles(w, cases, year, last)
    by_department: dict[str, list[Item]] = {}
    for item in w.items if year == YEAR else [i for i in w.items if i.status == Item.Status.ACTIVE]:
        by_department.setdefault(w.departments[item.department_id].code, []).append(item)
    codes = [c for c in DEPARTMENT_WEIGHTS if c in by_department]
    item_weights = {
        i.pk: rng.uniform(0.4, 2.5) * (1.3 if i.current.item_type == ItemType.IMMEDIATE else 1.0) for i in w.items
    }
    year_days, day_weights = _year_days(w, year, last, thin)
    received = sorted(rng.choices(year_days, weights=day_weights, k=max(0, count - len(cases))))
    # The open ones among the later applications, but (a year under way) received long enough before ``last`` to be
    # overdue by then; ``YEAR``'s draw as it always was.
    stop = len(received) if last is None else bisect_left(received, w.days.before(last, OVERDUE_BY))
    late_ones = range(min(int(len(received) * 0.7), stop), stop)
    overdue_days = set(rng.sample(late_ones, min(open_overdue, len(late_ones))))
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
            if _accept(w, case, notice=0.2):
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


def compute_clock(cases: list[Case]) -> None:
    """Due date, provisional flag, yellow date, paused and used working days and on time, for every case
    (:func:`hitechzone.approvals.clock.bulk`)."""
    accepted = [c for c in cases if c.accepted is not None]
    if not accepted:
        return
    pause_app, pause_start, pause_end = [], [], []
    for i, case in enumerate(accepted):
        for p in case.pauses:
            if p.resume is None:  # an open pause: the clock stands still, its due date moves when it ends
                continue
            pause_app.append(i)
            pause_start.append(p.start.toordinal())
            pause_end.append(p.ended.toordinal())
    new = clock_bulk(
        to_ordinals(c.accepted for c in accepted),
        np.array([c.limit for c in accepted], dtype=np.int64),
        np.array([c.version.yellow_threshold for c in accepted], dtype=np.int64),
        np.array(pause_app, dtype=np.int64),
        np.array(pause_start, dtype=np.int64),
        np.array(pause_end, dtype=np.int64),
        completed=np.array([c.completed.toordinal() if c.completed else 0 for c in accepted], dtype=np.int64),
    )
    for i, case in enumerate(accepted):
        case.due, case.provisional = date.fromordinal(int(new["due"][i])), bool(new["provisional"][i])
        case.yellow, case.paused_days = date.fromordinal(int(new["yellow"][i])), int(new["paused"][i])
        if case.completed is not None:
            case.used, case.on_time = int(new["used"][i]), bool(new["on_time"][i])
