"""Land exit's reads: the candidates of a year and the cases (scoped like the cases)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator
from hitechzone.evaluation.models import ZERO, EvaluationResult, EvaluationRun, ExitCase, Klass
from hitechzone.zone.models import Parcel

from .rules import FLOW, FREED, OPEN_STATUSES, STEP_DATE, Reason, S, _enterprise_scope, _today

# --- The candidates -------------------------------------------------------------------------------------------


def published_runs(year: int):
    """The year's published runs (at most one per brand, the zone's own with no brand), newest first."""
    return EvaluationRun.objects.filter(year=year, published_at__isnull=False).order_by("-published_at", "-id")


def latest_year() -> int | None:
    """The latest year with a published evaluation."""
    return (
        EvaluationRun.objects.filter(published_at__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def candidates_year(year: int | None = None) -> int:
    """The year the candidates are listed for: the one given, the latest evaluated and published, or else the
    latest year with yearly figures (last year when there are none)."""
    if year:
        return int(year)
    found = latest_year()
    if found is None:
        found = EnterpriseIndicator.objects.order_by("-year").values_list("year", flat=True).first()
    return found or _today().year - 1


@dataclass
class Candidate:
    enterprise: Enterprise
    reasons: list[str] = field(default_factory=list)
    parcels: list[Parcel] = field(default_factory=list)
    total_mu: Decimal = ZERO
    klass: str = ""
    score: float | None = None
    tax_per_mu: float | None = None
    result: EvaluationResult | None = None
    open_case: ExitCase | None = None

    @property
    def reason_labels(self) -> list[str]:
        labels = Reason.labels()
        return [labels[r] for r in self.reasons]

    @property
    def trigger(self) -> str:
        """The trigger a case opened from this row starts with."""
        return ExitCase.Trigger.CLASS_D if Reason.CLASS_D in self.reasons else ExitCase.Trigger.IDLE_LAND


def inefficient(*, user, year: int | None = None) -> list[Candidate]:
    """The candidates for land exit of ``year`` (see :func:`candidates_year`) the user may see: class D in the
    year's published evaluation, or holding idle industrial land. A fixed number of queries, whatever the rows.

    Each row: the enterprise, the reasons, its industrial parcels and their area, its class, score and 亩均税收
    in the year's published evaluation (亩均税收 from the yearly figures when it was not evaluated), and the
    exit case it has open, if any. Sorted: class D first, then by 亩均税收 ascending.
    """
    scope = _enterprise_scope(user)
    if scope is False:
        return []
    year = candidates_year(year)
    where = scope if scope is not None else Q()
    runs = list(published_runs(year).values_list("pk", flat=True))
    # The results of the year, the most recently published first (an enterprise in a brand's run and the zone's
    # keeps the newer).
    order = {run: i for i, run in enumerate(runs)}
    results: dict[int, EvaluationResult] = {}
    d_class: set[int] = set()
    if runs:
        for result in (
            EvaluationResult.objects.filter(where, run_id__in=runs, klass=Klass.D)
            .only("pk", "run_id", "enterprise_id", "klass", "score", "values")
            .order_by()
        ):
            d_class.add(result.enterprise_id)
    industrial = Parcel.objects.filter(where, land_use=Parcel.LandUse.INDUSTRIAL, enterprise__isnull=False)
    suspended = set(
        industrial.filter(enterprise__status__in=(Enterprise.Status.SUSPENDED, Enterprise.Status.EXITED))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    no_revenue = set(
        EnterpriseIndicator.objects.filter(where, year=year)
        .filter(Q(revenue_wan_yuan__isnull=True) | Q(revenue_wan_yuan=0))
        .filter(enterprise_id__in=industrial.values("enterprise_id"))
        .values_list("enterprise_id", flat=True)
    )
    ids = d_class | suspended | no_revenue
    if not ids:
        return []
    if runs:
        for result in (
            EvaluationResult.objects.filter(run_id__in=runs, enterprise_id__in=ids)
            .only("pk", "run_id", "enterprise_id", "klass", "score", "values")
            .order_by()
        ):
            known = results.get(result.enterprise_id)
            if known is None or order[result.run_id] < order[known.run_id]:
                results[result.enterprise_id] = result
    figures = {
        row["enterprise_id"]: row
        for row in EnterpriseIndicator.objects.filter(year=year, enterprise_id__in=ids).values(
            "enterprise_id", "tax_wan_yuan", "land_mu"
        )
    }
    rows = {
        e.pk: Candidate(enterprise=e)
        for e in Enterprise.objects.filter(pk__in=ids).select_related("brand").order_by("name", "pk")
    }
    for parcel in Parcel.objects.filter(enterprise_id__in=ids, land_use=Parcel.LandUse.INDUSTRIAL).order_by("code"):
        row = rows[parcel.enterprise_id]
        row.parcels.append(parcel)
        row.total_mu += parcel.area_mu
    for case in (
        ExitCase.objects.filter(enterprise_id__in=ids, status__in=OPEN_STATUSES)
        .only("pk", "code", "status", "enterprise_id", "identified_on")
        .order_by("identified_on", "pk")
    ):
        rows[case.enterprise_id].open_case = case
    for pk, row in rows.items():
        if pk in d_class:
            row.reasons.append(Reason.CLASS_D)
        if pk in suspended:
            row.reasons.append(Reason.SUSPENDED)
        if pk in no_revenue:
            row.reasons.append(Reason.NO_REVENUE)
        result = results.get(pk)
        if result is not None:
            row.result, row.klass, row.score = result, result.klass, result.score
            row.tax_per_mu = (result.values or {}).get("tax_per_mu")
        if row.tax_per_mu is None:
            figure = figures.get(pk)
            if figure and figure["tax_wan_yuan"] is not None and figure["land_mu"]:
                row.tax_per_mu = float(figure["tax_wan_yuan"] / figure["land_mu"])
    return sorted(
        rows.values(),
        key=lambda r: (Reason.CLASS_D not in r.reasons, r.tax_per_mu is None, r.tax_per_mu or 0, r.enterprise.name),
    )


# --- Reads of the cases ---------------------------------------------------------------------------------------


def cases(user):
    """The exit cases the user may see."""
    return ExitCase.objects.for_user(user)


def totals(*, user, cases_qs=None) -> dict:
    """Sums over the user's cases (or over ``cases_qs``, already scoped): per year (identified) and status the
    cases, land freed, compensation and reward; the land actually freed per year it was handed back; and the
    whole. Three queries."""
    qs = cases(user) if cases_qs is None else cases_qs
    sums = {
        "cases": Count("pk"),
        "land_freed_mu": Sum("land_freed_mu"),
        "compensation_wan_yuan": Sum("compensation_wan_yuan"),
        "reward_wan_yuan": Sum("reward_wan_yuan"),
    }
    by_year_status = [
        {**row, **{k: row[k] or ZERO for k in ("land_freed_mu", "compensation_wan_yuan", "reward_wan_yuan")}}
        for row in qs.annotate(year=ExtractYear("identified_on"))
        .order_by()
        .values("year", "status")
        .annotate(**sums)
        .order_by("year", "status")
    ]
    freed_by_year = [
        {"year": row["year"], "cases": row["cases"], "land_freed_mu": row["land_freed_mu"] or ZERO}
        for row in qs.filter(status__in=FREED, returned_on__isnull=False)
        .annotate(year=ExtractYear("returned_on"))
        .order_by()
        .values("year")
        .annotate(cases=Count("pk"), land_freed_mu=Sum("land_freed_mu"))
        .order_by("year")
    ]
    whole = qs.order_by().aggregate(**sums)
    freed = qs.filter(status__in=FREED).order_by().aggregate(mu=Sum("land_freed_mu"))["mu"] or ZERO
    by_status = defaultdict(int)
    for row in by_year_status:
        by_status[row["status"]] += row["cases"]
    return {
        "by_year_status": by_year_status,
        "freed_by_year": freed_by_year,
        "by_status": [{"status": s, "cases": by_status.get(s, 0)} for s in (*FLOW, S.CANCELLED)],
        "cases": whole["cases"],
        "land_freed_mu": freed,
        "land_planned_mu": whole["land_freed_mu"] or ZERO,
        "compensation_wan_yuan": whole["compensation_wan_yuan"] or ZERO,
        "reward_wan_yuan": whole["reward_wan_yuan"] or ZERO,
    }


def next_status(case: ExitCase) -> str | None:
    """The step after the case's status, ``None`` at the end (closed or cancelled)."""
    if case.status not in FLOW:
        return None
    i = FLOW.index(case.status)
    return FLOW[i + 1] if i + 1 < len(FLOW) else None


def last_date(case: ExitCase) -> date:
    """The latest date of the case's steps so far (a new step may not be dated before it)."""
    dates = [getattr(case, f) for f in dict.fromkeys(STEP_DATE.values()) if getattr(case, f) is not None]
    return max(dates)
