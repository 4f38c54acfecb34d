"""The demo's M4 loaded in order: exemptions and vetoes, energy, the runs, prices, land exit."""

from __future__ import annotations

import random
from datetime import date

from hitechzone.demo.trail import unrecorded
from hitechzone.evaluation import prices, services
from hitechzone.evaluation.models import (
    EvaluationResult,
    EvaluationRun,
)

from .land import load_exits
from .records import load_energy, load_exemptions, load_vetoes
from .world import PRICE_YEARS, YEARS, _world

# --- Loading it all ------------------------------------------------------------------------------------------------


@unrecorded
def load_evaluation(rng: random.Random, report, *, today: date | None = None) -> None:
    """The M4 demo (see the module text); nothing is added when the years' runs exist already."""
    if EvaluationRun.objects.filter(year__in=YEARS).exists():
        return  # loaded already
    w = _world(rng, today)
    if w is None:
        return
    load_exemptions(w, report)
    load_vetoes(w, report)
    load_energy(w, report)
    for year in YEARS:
        run = services.run_evaluation(by=w.admin, year=year, note=f"{year} 年度亩均效益综合评价")
        services.run_publish(by=w.leader, run=run)
    report.add("evaluation runs (published)", len(YEARS))
    for result in EvaluationResult.objects.filter(run__year__in=YEARS, run__published_at__isnull=False).select_related(
        "run"
    ):
        w.classes.setdefault(result.enterprise_id, {})[result.run.year] = result
    for year in PRICE_YEARS:
        report.add("price tiers", len(prices.tiers_load_defaults(by=w.admin, year=year)))
    load_exits(w, report)
