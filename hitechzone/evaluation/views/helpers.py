"""Small helpers shared by the evaluation pages."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hitechzone.common import formatting
from hitechzone.evaluation import kernel
from hitechzone.evaluation.models import EvaluationRun, Group

CLASSES = kernel.CLASSES
CLASS_COLOURS = {"A": "#198754", "B": "#0d6efd", "C": "#fd7e14", "D": "#dc3545"}
JOB_KIND = "evaluation.run"
EXPORT_COLUMNS = ("uscc", "name", "group", "score", "class", "rank", "industry_rank")


# --- Helpers --------------------------------------------------------------------------------------------------------


def _finite(x) -> float | None:
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def fmt(x, places: int | None = None) -> str:
    """A figure for reading: about four significant digits, "—" when missing (through the one formatter)."""
    x = _finite(x)
    if x is None:
        return "—"
    if places is None:
        a = abs(x)
        places = 2 if a >= 100 else 3 if a >= 1 else 4 if a >= 0.01 else 6
    return formatting.number(x, -places)


def group_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in Group.choices}


def group_short_labels() -> dict[str, str]:
    """The groups in a word, for a phone's narrow table."""
    return {Group.ABOVE: _("Above size"), Group.BELOW: _("Below size"), Group.EXCLUDED: _("Not evaluated")}


def _runs(user):
    return EvaluationRun.objects.for_user(user).select_related(
        "scheme_version__scheme", "brand", "created_by", "published_by"
    )


def _scoped_run(user, pk: int) -> EvaluationRun:
    return get_object_or_404(_runs(user), pk=pk)


def _run_indicators(run: EvaluationRun) -> list[dict]:
    """Per group of the run's scheme: its indicators with weight, unit and the run's benchmark."""
    benchmarks = (run.summary or {}).get("benchmarks", {})
    counts = (run.summary or {}).get("counts", {})
    try:
        scheme = run.scheme_version.kernel()
    except ValidationError:
        return []
    groups = []
    for g in scheme.groups:
        groups.append(
            {
                "key": g.key,
                "label": group_labels().get(g.key, g.label),
                "counts": counts.get(g.key, {}),
                "indicators": [
                    {
                        "key": ind.key,
                        "label": ind.label,
                        "unit": ind.unit,
                        "weight": fmt(ind.weight),
                        "benchmark": fmt(benchmarks.get(g.key, {}).get(ind.key)),
                    }
                    for ind in g.indicators
                ],
            }
        )
    return groups


def _class_count_rows(run: EvaluationRun) -> list[dict]:
    """Counts per class per group (from the run's summary)."""
    counts = (run.summary or {}).get("counts", {})
    labels = group_labels()
    rows = []
    for key in (Group.ABOVE, Group.BELOW):
        c = counts.get(str(key))
        if c is None:
            continue
        rows.append(
            {"key": str(key), "label": labels[str(key)], "n": c.get("n", 0), "classes": [c.get(k, 0) for k in CLASSES]}
        )
    return rows
