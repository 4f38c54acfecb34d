"""Reads of M1, scoped by role, computed with grouped queries (never a query per row)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.enterprises.models import Assignment, Enterprise, EnterpriseIndicator
from hitechzone.enterprises.sections import EnterpriseRows, PageAction

from .models import SERVICE_TARGETS, Category, Problem, ProblemMonth, Rating, Visit, VisitMonth
from .services import coverage_assignments

ELIGIBLE_OUTPUT_WAN_YUAN = Decimal(500)


def with_latest_output(qs):
    latest = EnterpriseIndicator.objects.filter(enterprise=OuterRef("pk")).order_by("-year")
    return qs.annotate(
        latest_year=Subquery(latest.values("year")[:1]),
        latest_output=Subquery(latest.values("gross_output_wan_yuan")[:1]),
    )


def eligible_enterprises():
    """Industrial enterprises whose gross output in their latest year is ≥ 500万元: each needs one officer."""
    return with_latest_output(Enterprise.objects.filter(is_industrial=True)).filter(
        latest_output__gte=ELIGIBLE_OUTPUT_WAN_YUAN
    )


def unassigned_eligible():
    return eligible_enterprises().exclude(pk__in=Assignment.objects.active().values("enterprise"))


def officers_with_load():
    return (
        User.objects.filter(role=Role.OFFICER, is_active=True)
        .annotate(
            load=Count(
                "assignments",
                filter=Q(assignments__started_on__lte=timezone.localdate())
                & (Q(assignments__ended_on__isnull=True) | Q(assignments__ended_on__gt=timezone.localdate())),
            )
        )
        .select_related("department")
        .order_by("username")
    )


def suggest_assignments(limit: int | None = None) -> list[tuple[Enterprise, User]]:
    """Balance the load, keeping an industry chain with the officer who already serves most of it.

    Greedy: enterprises in chain order; each goes to the officer with the most enterprises of its chain among
    those whose load is at most the lightest load + 2, else to the lightest officer.
    """
    officers = list(officers_with_load())
    if not officers:
        return []
    load = {o.pk: o.load for o in officers}
    by_pk = {o.pk: o for o in officers}
    chain_count: dict[tuple[int, int], int] = Counter()
    links = Enterprise.chains.through.objects.filter(
        enterprise__in=Assignment.objects.active().values("enterprise")
    ).values_list("industrychain_id", "enterprise__assignments__officer_id")
    for chain_id, officer_id in links:
        if officer_id in load:
            chain_count[(officer_id, chain_id)] += 1
    todo = list(unassigned_eligible().prefetch_related("chains").order_by("functional_area_id", "name")[:limit])
    proposals = []
    for enterprise in todo:
        chains = [c.pk for c in enterprise.chains.all()]
        lightest = min(load.values())
        candidates = [pk for pk, n in load.items() if n <= lightest + 2]
        best = max(candidates, key=lambda pk: (sum(chain_count[(pk, c)] for c in chains), -load[pk], -pk))
        if not any(chain_count[(best, c)] for c in chains):
            best = min(load, key=lambda pk: (load[pk], pk))
        proposals.append((enterprise, by_pk[best]))
        load[best] += 1
        for c in chains:
            chain_count[(best, c)] += 1
    return proposals


def _names(model, ids, *fields: str) -> dict:
    """``{pk: (field, …)}`` for these few ids (officers), in chunks (SQLite takes at most 999 parameters)."""
    ids = list(ids)
    found = {}
    for i in range(0, len(ids), 900):
        for pk, *values in model.objects.filter(pk__in=ids[i : i + 900]).values_list("pk", *fields):
            found[pk] = tuple(values)
    return found


def coverage(year: int, month: int, user, *, today: date | None = None, full: bool = False) -> dict:
    """The monthly rule, per officer and for the zone: assignments, visited, share, the enterprises missing.

    One query (rows as tuples: 90,000 of them zone-wide at province scale); whether an assignment was visited is
    read from the month's visit summary (``full=True``: from the visits, the computation the summary must equal)."""
    qs = coverage_assignments(year, month, today=today, full=full)
    if effective_role(user) == Role.OFFICER:
        qs = qs.filter(officer=user)
    elif not user.sees_everything:
        qs = qs.none()
    rows = list(
        qs.values_list(
            "officer_id", "officer__username", "officer__full_name", "enterprise_id", "enterprise__name", "visited"
        )
    )
    per_officer: dict[int, dict] = {}
    missing = []
    visited_total = 0
    for officer_id, username, full_name, enterprise_id, enterprise_name, visited in rows:
        o = per_officer.get(officer_id)
        if o is None:
            o = per_officer[officer_id] = {
                "officer": username,
                "officer_name": full_name or username,
                "assignments": 0,
                "visited": 0,
            }
        o["assignments"] += 1
        if visited:
            o["visited"] += 1
            visited_total += 1
        else:
            missing.append(
                {
                    "officer": username,
                    "officer_name": full_name or username,
                    "enterprise": enterprise_name,
                    "enterprise_id": enterprise_id,
                }
            )
    for o in per_officer.values():
        o["share"] = round(o["visited"] / o["assignments"], 4) if o["assignments"] else 1.0
    total = len(rows)
    return {
        "month": f"{year:04d}-{month:02d}",
        "assignments": total,
        "visited": visited_total,
        "share": round(visited_total / total, 4) if total else 1.0,
        "officers": sorted(per_officer.values(), key=lambda o: (o["share"], o["officer"])),
        "missing": sorted(missing, key=lambda m: (m["officer"], m["enterprise"])),
    }


def _year_filter(field: str, year: int) -> Q:
    return Q(**{f"{field}__gte": date(year, 1, 1), f"{field}__lt": date(year + 1, 1, 1)})


def _aware_year(field: str, year: int) -> Q:
    tz = timezone.get_current_timezone()
    from datetime import datetime

    return Q(
        **{
            f"{field}__gte": datetime(year, 1, 1, tzinfo=tz),
            f"{field}__lt": datetime(year + 1, 1, 1, tzinfo=tz),
        }
    )


def _month_starts(year: int, aware: bool) -> list:
    """The first moment of each month of the year and of the next year (13 bounds), as dates or aware datetimes."""
    from datetime import datetime

    tz = timezone.get_current_timezone()
    days = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    return [datetime(d.year, d.month, d.day, tzinfo=tz) for d in days] if aware else days


def _visit_figures(year: int, user) -> tuple[list[dict], int]:
    """The year's visits per officer and month (``officer_id``, ``m1`` … ``m12``) and the enterprises served, from
    the monthly summaries the user may see (the same scoping as the visits): two grouped queries over 12 months."""
    months = VisitMonth.objects.for_user(user).filter(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))
    per_officer: dict[int, dict] = {}
    for officer_id, first, n in months.values_list("officer_id", "month").annotate(n=Sum("visits")).order_by():
        row = per_officer.setdefault(officer_id, {"officer_id": officer_id, **{f"m{m}": 0 for m in range(1, 13)}})
        row[f"m{first.month}"] += n
    if user.sees_everything:
        served = Enterprise.objects.filter(pk__in=months.values("enterprise_id")).count()
    else:
        served = months.values("enterprise_id").distinct().count()
    return list(per_officer.values()), served


def _visit_figures_full(year: int, user) -> tuple[list[dict], int]:
    """What ``_visit_figures`` answers, counted from the visits themselves (the full computation)."""
    visits = Visit.objects.for_user(user).filter(_year_filter("visited_on", year))
    months = list(range(1, 13))
    # Months are differences of cumulative counts (visits before the 1st of each month: one comparison a row and
    # month). COUNT(officer_id), not COUNT(id): the index on (officer, visited_on) then answers alone.
    days = _month_starts(year, aware=False)
    visit_rows = list(
        visits.values("officer_id")
        .annotate(
            before_13=Count("officer"),
            **{f"before_{m}": Count("officer", filter=Q(visited_on__lt=days[m - 1])) for m in months[1:]},
        )
        .order_by()
    )
    for r in visit_rows:
        r["before_1"] = 0
        for m in months:
            r[f"m{m}"] = r[f"before_{m + 1}"] - r[f"before_{m}"]
    if user.sees_everything:
        # Zone-wide, a semi-join from the enterprises (one index probe each) beats de-duplicating a million visits.
        served = Enterprise.objects.filter(pk__in=visits.values("enterprise_id")).count()
    else:
        served = visits.values("enterprise_id").distinct().count()
    return visit_rows, served


def _problem_figures_full(year: int, problems) -> tuple[list[dict], dict, list[dict]]:
    """The year's problem figures counted from the problems themselves (the full computation ``_problem_figures``
    must equal): the groups by category, status and rating, the service-target means, the per-officer counts."""
    months = list(range(1, 13))
    # Problems: one pass, grouped by category, status and rating (at most 9 × 5 × 6 groups), with cumulative counts
    # by month for the three flows (as for the visits); the yearly figures are sums of these groups.
    bounds = _month_starts(year, aware=True)
    flows = (("raised", "created_at"), ("handed_over", "handed_over_at"), ("solved", "solved_at"))
    rated = _aware_year("rated_at", year)
    aggregates = {
        "n": Count("id"),
        "solved_directly": Count("id", filter=_aware_year("solved_at", year) & Q(solved_directly=True)),
        "reopened": Count("id", filter=_aware_year("created_at", year) & Q(reopened_count__gt=0)),
        "rated": Count("id", filter=rated),
    }
    for name, f in flows:
        for m in range(1, 14):  # before the 1st of each month of the year and of the next year
            aggregates[f"{name}_before_{m}"] = Count("id", filter=Q(**{f"{f}__lt": bounds[m - 1]}))
    groups = list(problems.values("category", "status", "rating").annotate(**aggregates).order_by())
    for g in groups:
        for name, _f in flows:
            for m in months:
                g[f"{name}_m{m}"] = g[f"{name}_before_{m + 1}"] - g[f"{name}_before_{m}"]
    # The six service-target scores: their means over the year's ratings that scored them (a float mean of small
    # integers is the exact quotient the sum over the count gives).
    targets = (
        problems.filter(rated)
        .exclude(target_scores={})
        .aggregate(**{k: Avg(Cast(KT(f"target_scores__{k}"), FloatField())) for k in SERVICE_TARGETS})
    )
    in_year = {f: _aware_year(f, year) for f in ("handed_over_at", "solved_at")}
    officer_rows = list(
        problems.filter(in_year["handed_over_at"] | in_year["solved_at"], officer__isnull=False)
        .values("officer_id")
        .annotate(
            handed_over=Count("id", filter=in_year["handed_over_at"]), solved=Count("id", filter=in_year["solved_at"])
        )
        .order_by()
    )

    return groups, targets, officer_rows


def _problem_figures(year: int, user) -> tuple[list[dict], dict, list[dict]]:
    """What ``_problem_figures_full`` answers, read from the monthly problem summaries the user may see (scoped as
    the problems): the year's 12 months of cells in two grouped queries, and the open problems' cells (the
    open count is over every year)."""
    cells = ProblemMonth.objects.for_user(user)
    year_cells = cells.filter(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))
    counts = ProblemMonth.COUNTS
    groups: dict[tuple, dict] = {}

    def group(category, status, rating) -> dict:
        key = (category, status, rating or None)
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"category": key[0], "status": key[1], "rating": key[2], "n": 0}
            g.update(dict.fromkeys(("solved_directly", "reopened", "rated"), 0))
            for name in ("raised", "handed_over", "solved"):
                g.update({f"{name}_m{m}": 0 for m in range(1, 13)})
        return g

    target_sums = dict.fromkeys(counts, 0)
    rows = year_cells.values("category", "status", "rating", "month").annotate(**{f"t_{c}": Sum(c) for c in counts})
    for r in rows.order_by():
        g = group(r["category"], r["status"], r["rating"])
        for name in ("solved_directly", "reopened", "rated"):
            g[name] += r[f"t_{name}"]
        for name in ("raised", "handed_over", "solved"):
            g[f"{name}_m{r['month'].month}"] += r[f"t_{name}"]
        for c in counts:
            target_sums[c] += r[f"t_{c}"]
    for r in (
        cells.exclude(status=Problem.Status.CLOSED)
        .values("category", "status", "rating")
        .annotate(n=Sum("raised"))
        .order_by()
    ):
        group(r["category"], r["status"], r["rating"])["n"] += r["n"]
    targets = {
        k: target_sums[f"{k}_sum"] / target_sums[f"{k}_n"] if target_sums[f"{k}_n"] else None for k in SERVICE_TARGETS
    }
    officer_rows = [
        {"officer_id": r["officer_key"], "handed_over": r["handed_over"], "solved": r["solved"]}
        for r in year_cells.exclude(officer_key=0)
        .values("officer_key")
        .annotate(handed_over=Sum("handed_over"), solved=Sum("solved"))
        .order_by()
        if r["handed_over"] or r["solved"]
    ]
    return list(groups.values()), targets, officer_rows


def stats(year: int, user, *, full: bool = False) -> dict:
    """The article's figures for a year: visits, enterprises served, problems handed over and solved, by category,
    satisfaction; with monthly, per-officer and per-category series for the charts.

    Eight queries, whatever the scale or the years of history, over the monthly summaries (docs/0014-summaries.md):
    the visits per officer and month and the enterprises served (``VisitMonth``), the problems' monthly flows by
    category, status and rating with the service-target sums, the open problems and the per-officer counts
    (``ProblemMonth``); the overdue problems (an index range over the problems waiting on their handler: it
    depends on today, not on a month) and the officers' names. ``full=True`` counts the visits and problems
    themselves: the full computation the summaries must equal (the exactness test, ``rebuild_summaries --check``)."""
    problems = Problem.objects.for_user(user)
    months = list(range(1, 13))

    visit_rows, served = (_visit_figures_full if full else _visit_figures)(year, user)

    if full:
        groups, targets, officer_rows = _problem_figures_full(year, problems)
    else:
        groups, targets, officer_rows = _problem_figures(year, user)
    flows = (("raised", "created_at"), ("handed_over", "handed_over_at"), ("solved", "solved_at"))

    def total(column: str, *, where=lambda g: True) -> int:
        return sum(g[column] for g in groups if where(g))

    series = defaultdict(lambda: [0] * 12)
    counts = {"visits": [sum(r[f"m{m}"] for r in visit_rows) for m in months]}
    counts.update({name: [total(f"{name}_m{m}") for m in months] for name, _f in flows})
    for name, values in counts.items():
        if any(values):
            series[name] = values

    by_category = {c.value: {"label": str(c.label), "raised": 0, "handed_over": 0, "solved": 0} for c in Category}
    for g in groups:
        if g["category"] in by_category:
            for name, _f in flows:
                by_category[g["category"]][name] += sum(g[f"{name}_m{m}"] for m in months)

    people = _names(
        User, {r["officer_id"] for r in visit_rows} | {r["officer_id"] for r in officer_rows}, "username", "full_name"
    )
    per_officer: dict[str, dict] = {}

    def officer(pk: int) -> dict:
        username, full_name = people[pk]
        return per_officer.setdefault(username, {"name": full_name or username})

    for r in sorted(visit_rows, key=lambda r: people[r["officer_id"]][0]):
        officer(r["officer_id"])["visits"] = sum(r[f"m{m}"] for m in months)
    officer_rows.sort(key=lambda r: people[r["officer_id"]][0])
    for key in ("handed_over", "solved"):
        for r in officer_rows:
            if r[key]:
                officer(r["officer_id"])[key] = r[key]

    rated_total = total("rated")
    satisfied = total("rated", where=lambda g: g["rating"] and g["rating"] >= Rating.BASICALLY_SATISFIED)
    return {
        "year": year,
        "visits": sum(counts["visits"]),
        "enterprises_served": served,
        "problems_raised": sum(series["raised"]),
        "problems_handed_over": sum(counts["handed_over"]),
        "problems_solved": sum(counts["solved"]),
        "problems_solved_directly": total("solved_directly"),
        "problems_overdue": problems.overdue().count(),
        "problems_reopened": total("reopened"),
        "problems_open": total("n", where=lambda g: g["status"] != Problem.Status.CLOSED),
        "by_category": by_category,
        "satisfaction": {
            "rated": rated_total,
            "satisfied_share": round(satisfied / rated_total, 4) if rated_total else None,
            "by_rating": {
                str(Rating(r).label): total("rated", where=lambda g, r=r: g["rating"] == r)
                for r in sorted(Rating.values, reverse=True)
            },
            "targets": {k: None if targets[k] is None else round(targets[k], 2) for k in SERVICE_TARGETS},
        },
        "months": [f"{year}-{m:02d}" for m in months],
        "series": dict(series),
        "per_officer": per_officer,
    }


# --- The enterprise's page: its visits and problems (enterprises.sections) ------------------------------------------

#: How many rows a section of the enterprise's page shows (the full list is a link away).
SECTION_ROWS = 5


def enterprise_visits(user, enterprise):
    """The latest visits to ``enterprise`` the user may see (an officer: their own), and the visit log filtered
    to it; one query."""
    rows = Visit.objects.for_user(user).filter(enterprise=enterprise).select_related("officer")[:SECTION_ROWS]
    return EnterpriseRows(rows=list(rows), more_url=f"{reverse('liaison:visits')}?enterprise={enterprise.pk}")


def enterprise_problems(user, enterprise):
    """The latest problems of ``enterprise`` the user may see, and the problem list filtered to it; one query."""
    rows = Problem.objects.for_user(user).filter(enterprise=enterprise).select_related("department")
    return EnterpriseRows(
        rows=list(rows[:SECTION_ROWS]), more_url=f"{reverse('liaison:problems')}?enterprise={enterprise.pk}"
    )


def record_visit_action(user, enterprise):
    """ "Record a visit" for the officer who serves ``enterprise`` (the page shows sections only to followers, so
    an officer here serves it): the visit form with the enterprise chosen."""
    if effective_role(user) != Role.OFFICER:
        return None
    return PageAction(
        label=_("Record a visit"),
        url=f"{reverse('liaison:visit-new')}?enterprise={enterprise.pk}",
        icon="bi-journal-plus",
        testid="record-visit",
    )
