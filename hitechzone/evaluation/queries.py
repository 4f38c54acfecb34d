"""Reads of M4's evaluation: published runs, the explanation of one result, class distributions, an enterprise's
history. Grouped queries only — never a query per row.

Who sees what is the models' scoping (``EvaluationRun.objects.for_user``, ``EvaluationResult.objects.for_user``):
administrators and leaders every run, officers and enterprises the published results of the enterprises they
serve / their own, department staff and experts nothing. :func:`explain` and :func:`distribution` take a result
or a run the caller has already read through that scoping.
"""

from __future__ import annotations

import math

from django.db.models import Count, OuterRef, Subquery

from hitechzone.enterprises.models import Industry

from . import kernel
from .models import EvaluationResult, EvaluationRun

CLASSES = kernel.CLASSES
DISTRIBUTION_BY = ("brand", "chain", "industry")


def published_runs(user):
    """The published runs ``user`` may see, newest year first."""
    return EvaluationRun.objects.for_user(user).published().select_related("scheme_version__scheme", "brand")


def latest_published_run(*, year: int | None = None, brand=None) -> EvaluationRun | None:
    """The run published for ``year`` (the latest year with one when ``None``) of ``brand`` (``None``: the runs
    of the whole zone), or ``None``."""
    runs = EvaluationRun.objects.published().filter(brand=brand)
    if year is not None:
        runs = runs.filter(year=year)
    return runs.select_related("scheme_version__scheme").order_by("-year", "-published_at", "-id").first()


def _number(x) -> float | None:
    return x if isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) else None


def previous_class(result: EvaluationResult) -> str:
    """The enterprise's class in the latest published run of the year before ("" when none, or excluded)."""
    klass = (
        EvaluationResult.objects.filter(
            enterprise_id=result.enterprise_id, run__year=result.run.year - 1, run__published_at__isnull=False
        )
        .order_by("-run__published_at", "-run_id")
        .values_list("klass", flat=True)
        .first()
    )
    return klass or ""


def explain(result: EvaluationResult) -> dict:
    """Everything an enterprise is told about its result (two queries at most: the previous year's class and the
    industry's name; the run is ``result.run``, select it with the result).

    ``indicators``: per indicator of the group, ``key``, ``label``, ``unit``, ``weight``, ``value`` (None:
    missing), ``benchmark`` (the group's mean), ``subscore``, ``share`` (of the score, 0–1) and ``imputed``
    (the sub-score is the group's mean because the value is missing). ``radar``: per indicator the firm's
    sub-score against the weight (what a firm exactly at the benchmark gets). ``next_class_gap``: the 亩均税收
    more it needs for the next class up, everything else unchanged (``None`` for A, excluded or vetoed firms).
    """
    run = result.run
    summary = run.summary or {}
    group = result.group
    indicators = []
    score = _number(result.score)
    if group != kernel.EXCLUDED:
        benchmarks = summary.get("benchmarks", {}).get(group, {})
        imputed = set(result.imputed or [])
        for ind in summary.get("indicators", {}).get(group, []):
            key = ind["key"]
            sub = _number((result.subscores or {}).get(key))
            indicators.append(
                {
                    "key": key,
                    "label": ind["label"],
                    "unit": ind.get("unit", ""),
                    "weight": ind["weight"],
                    "value": _number((result.values or {}).get(key)),
                    "benchmark": _number(benchmarks.get(key)),
                    "subscore": sub,
                    "share": (sub / score) if sub is not None and score else None,
                    "imputed": key in imputed,
                }
            )
    counts = summary.get("counts", {}).get(group, {})
    in_group = sum(counts.get(k, 0) for k in CLASSES)

    gap = None
    if result.next_class_gap is not None and group != kernel.EXCLUDED:
        tie = summary.get("tie_indicator", {}).get(group, "tax_per_mu")
        ind = next((i for i in summary.get("indicators", {}).get(group, []) if i["key"] == tie), None)
        floors = summary.get("class_floor", {}).get(group, {})
        current = CLASSES.index(result.klass) if result.klass in CLASSES else 0
        above = [k for k in CLASSES[:current] if k in floors]
        gap = {
            "indicator": tie,
            "label": ind["label"] if ind else tie,
            "unit": ind.get("unit", "") if ind else "",
            "plus": result.next_class_gap,
            "to_class": above[-1] if above else "",
        }

    industry_name = ""
    if result.industry_code:
        industry_name = (
            Industry.objects.filter(code=result.industry_code).values_list("name_zh", flat=True).first() or ""
        )
    return {
        "run": run.pk,
        "year": run.year,
        "uscc": result.uscc,
        "name": result.name,
        "group": group,
        "group_label": summary.get("groups", {}).get(group, "") or result.get_group_display(),
        "exclusion": result.exclusion,
        "exclusion_label": result.get_exclusion_display() if result.exclusion else "",
        "score": score,
        "klass": result.klass,
        "vetoed": result.vetoed,
        "rank": result.rank,
        "n": in_group,
        "industry_code": result.industry_code,
        "industry_name": industry_name,
        "industry_rank": result.industry_rank,
        "industry_size": result.industry_size,
        "indicators": indicators,
        "radar": [
            {"key": i["key"], "label": i["label"], "firm": i["subscore"] or 0.0, "benchmark": i["weight"]}
            for i in indicators
        ],
        "previous_class": previous_class(result),
        "next_class_gap": gap,
        "inputs": result.inputs,
    }


def distribution(run: EvaluationRun, *, by: str) -> list[dict]:
    """Classes of ``run`` per brand, industry chain or industry division: one grouped query.

    A list of ``{"key", "label", "A", "B", "C", "D", "n"}`` (evaluated enterprises only), by key (brand code, chain
    code, industry division). An enterprise on two chains counts for both; enterprises without a chain or an
    industry are left out of those views.
    """
    if by not in DISTRIBUTION_BY:
        raise ValueError(f"by must be one of {DISTRIBUTION_BY}")
    rows = EvaluationResult.objects.filter(run=run).exclude(klass="").order_by()
    if by == "brand":
        fields = ("enterprise__brand__code", "enterprise__brand__short_name")
    elif by == "chain":
        rows = rows.filter(enterprise__chains__isnull=False)
        fields = ("enterprise__chains__code", "enterprise__chains__name")
    else:
        rows = rows.exclude(industry_code="").annotate(
            industry_name=Subquery(Industry.objects.filter(code=OuterRef("industry_code")).values("name_zh")[:1])
        )
        fields = ("industry_code", "industry_name")
    table: dict = {}
    for row in rows.values(*fields, "klass").annotate(n=Count("id")):
        key, label = row[fields[0]], row[fields[1]] or row[fields[0]]
        entry = table.setdefault(key, {"key": key, "label": label, **dict.fromkeys(CLASSES, 0), "n": 0})
        entry[row["klass"]] += row["n"]
        entry["n"] += row["n"]
    return sorted(table.values(), key=lambda e: str(e["key"]))


def enterprise_history(enterprise, user):
    """The results of ``enterprise`` in published runs that ``user`` may see, newest year first (with the run)."""
    return (
        EvaluationResult.objects.for_user(user)
        .filter(enterprise=enterprise, run__published_at__isnull=False)
        .select_related("run", "run__scheme_version__scheme")
        .order_by("-run__year", "-run__published_at")
    )
