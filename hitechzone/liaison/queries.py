"""Reads of M1, scoped by role, computed with grouped queries (never a query per row)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator

from .models import SERVICE_TARGETS, Assignment, Category, Problem, Rating, Visit
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


def coverage(year: int, month: int, user, *, today: date | None = None) -> dict:
    """The monthly rule, per officer and for the zone: assignments, visited, share, the enterprises missing."""
    qs = coverage_assignments(year, month, today=today)
    if user.effective_role == Role.OFFICER:
        qs = qs.filter(officer=user)
    elif not user.sees_everything:
        qs = qs.none()
    rows = list(
        qs.values(
            "officer_id", "officer__username", "officer__full_name", "enterprise_id", "enterprise__name", "visited"
        )
    )
    per_officer: dict[int, dict] = {}
    missing = []
    for r in rows:
        o = per_officer.setdefault(
            r["officer_id"],
            {
                "officer": r["officer__username"],
                "officer_name": r["officer__full_name"] or r["officer__username"],
                "assignments": 0,
                "visited": 0,
            },
        )
        o["assignments"] += 1
        if r["visited"]:
            o["visited"] += 1
        else:
            missing.append(
                {
                    "officer": r["officer__username"],
                    "officer_name": r["officer__full_name"] or r["officer__username"],
                    "enterprise": r["enterprise__name"],
                    "enterprise_id": r["enterprise_id"],
                }
            )
    for o in per_officer.values():
        o["share"] = round(o["visited"] / o["assignments"], 4) if o["assignments"] else 1.0
    total, visited = len(rows), sum(1 for r in rows if r["visited"])
    return {
        "month": f"{year:04d}-{month:02d}",
        "assignments": total,
        "visited": visited,
        "share": round(visited / total, 4) if total else 1.0,
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


def stats(year: int, user) -> dict:
    """The article's figures for a year: visits, enterprises served, problems handed over and solved, by category,
    satisfaction; with monthly, per-officer and per-category series for the charts."""
    visits = Visit.objects.for_user(user).filter(_year_filter("visited_on", year))
    problems = Problem.objects.for_user(user)
    visit_totals = visits.aggregate(n=Count("id"), served=Count("enterprise", distinct=True))
    handed = problems.filter(_aware_year("handed_over_at", year))
    solved = problems.filter(_aware_year("solved_at", year))
    raised = problems.filter(_aware_year("created_at", year))
    rated = problems.filter(_aware_year("rated_at", year))

    months = list(range(1, 13))
    series = defaultdict(lambda: [0] * 12)
    for name, qs, field in (
        ("visits", visits, "visited_on"),
        ("raised", raised, "created_at"),
        ("handed_over", handed, "handed_over_at"),
        ("solved", solved, "solved_at"),
    ):
        for row in qs.annotate(m=ExtractMonth(field)).values("m").annotate(n=Count("id")).order_by():
            series[name][row["m"] - 1] = row["n"]

    by_category = {c.value: {"label": str(c.label), "raised": 0, "handed_over": 0, "solved": 0} for c in Category}
    for key, qs in (("raised", raised), ("handed_over", handed), ("solved", solved)):
        for row in qs.values("category").annotate(n=Count("id")).order_by():
            by_category[row["category"]][key] = row["n"]

    per_officer: dict[str, dict] = {}
    for row in visits.values("officer__username", "officer__full_name").annotate(n=Count("id")).order_by():
        per_officer.setdefault(
            row["officer__username"], {"name": row["officer__full_name"] or row["officer__username"]}
        )["visits"] = row["n"]
    for key, qs in (("handed_over", handed), ("solved", solved)):
        for row in qs.values("officer__username", "officer__full_name").annotate(n=Count("id")).order_by():
            if row["officer__username"]:
                per_officer.setdefault(
                    row["officer__username"], {"name": row["officer__full_name"] or row["officer__username"]}
                )[key] = row["n"]

    ratings = Counter(dict(rated.values_list("rating").annotate(n=Count("id")).order_by()))
    rated_total = sum(ratings.values())
    satisfied = sum(n for r, n in ratings.items() if r and r >= Rating.BASICALLY_SATISFIED)
    target_rows = rated.exclude(target_scores={}).values_list("target_scores", flat=True)
    target_sum, target_n = Counter(), Counter()
    for scores in target_rows:
        for k, v in scores.items():
            target_sum[k] += v
            target_n[k] += 1
    status_counts = dict(problems.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "year": year,
        "visits": visit_totals["n"],
        "enterprises_served": visit_totals["served"],
        "problems_raised": sum(series["raised"]),
        "problems_handed_over": handed.count(),
        "problems_solved": solved.count(),
        "problems_solved_directly": solved.filter(solved_directly=True).count(),
        "problems_overdue": problems.overdue().count(),
        "problems_reopened": raised.filter(reopened_count__gt=0).count(),
        "problems_open": sum(n for s, n in status_counts.items() if s != Problem.Status.CLOSED),
        "by_category": by_category,
        "satisfaction": {
            "rated": rated_total,
            "satisfied_share": round(satisfied / rated_total, 4) if rated_total else None,
            "by_rating": {str(Rating(r).label): ratings.get(r, 0) for r in sorted(Rating.values, reverse=True)},
            "targets": {k: round(target_sum[k] / target_n[k], 2) if target_n[k] else None for k in SERVICE_TARGETS},
        },
        "months": [f"{year}-{m:02d}" for m in months],
        "series": dict(series),
        "per_officer": per_officer,
    }
