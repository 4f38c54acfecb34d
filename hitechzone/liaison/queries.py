"""Reads of M1, scoped by role, computed with grouped queries (never a query per row)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, FloatField, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.enterprises.models import Assignment, Enterprise, EnterpriseIndicator
from hitechzone.enterprises.sections import EnterpriseRows, PageAction

from .models import SERVICE_TARGETS, Category, Problem, Rating, Visit
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


def coverage(year: int, month: int, user, *, today: date | None = None) -> dict:
    """The monthly rule, per officer and for the zone: assignments, visited, share, the enterprises missing.

    One query (rows as tuples: 90,000 of them zone-wide at province scale)."""
    qs = coverage_assignments(year, month, today=today)
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


def stats(year: int, user) -> dict:
    """The article's figures for a year: visits, enterprises served, problems handed over and solved, by category,
    satisfaction; with monthly, per-officer and per-category series for the charts.

    Seven queries, whatever the scale: the visits counted per officer and month in one grouped query (an index-only
    scan of ``(officer, visited_on)``; months from ``COUNT(…) FILTER (WHERE …)``), the enterprises
    served, the problem figures in one pass over the problems grouped by category, status and rating, the
    service-target means, the per-officer problem counts, the overdue problems and the officers' names."""
    visits = Visit.objects.for_user(user).filter(_year_filter("visited_on", year))
    problems = Problem.objects.for_user(user)
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
