"""One result, explained (and an officer's or enterprise's own results)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.evaluation import queries
from hitechzone.evaluation.models import EvaluationResult, Group, klass_meanings
from hitechzone.evaluation.roles import ENTERPRISE, M4_ROLES, PUBLISH_ROLES
from hitechzone.evaluation.roles import role as _role

from .helpers import _finite, fmt, group_labels
from .menu import render_page

# --- One result, explained ------------------------------------------------------------------------------------------


def radar_chart(explained: dict) -> dict:
    """The firm's sub-scores against the weights (a firm exactly at the benchmark scores its weight). Each axis
    is scaled to twice its weight (or the firm's sub-score, if higher), so that the benchmark is a regular shape."""
    points = explained.get("radar") or []
    axes = []
    for p in points:
        weight, firm = _finite(p.get("benchmark")) or 0.0, _finite(p.get("firm")) or 0.0
        axes.append({"name": str(p.get("label")), "max": round(max(2 * weight, firm * 1.05, 1.0), 2)})
    return {
        "type": "radar",
        "indicators": axes,
        "series": [
            {
                "name": _("Benchmark (the weight)"),
                "color": "#6c757d",
                "data": [round(_finite(p.get("benchmark")) or 0.0, 2) for p in points],
            },
            {
                "name": _("This enterprise"),
                "color": "#0d6efd",
                "data": [round(_finite(p.get("firm")) or 0.0, 2) for p in points],
            },
        ],
    }


def _explained_rows(explained: dict) -> list[dict]:
    rows = []
    for i in explained.get("indicators", []):
        share = _finite(i.get("share"))
        rows.append(
            {
                **i,
                "value_text": fmt(i.get("value")),
                "benchmark_text": fmt(i.get("benchmark")),
                "subscore_text": fmt(i.get("subscore"), 2),
                "weight_text": fmt(i.get("weight")),
                "share_percent": None if share is None else fmt(share * 100, 1),
            }
        )
    return rows


@login_required
def result_detail(request, pk: int):
    user = request.user
    _deny_unless(user, M4_ROLES)
    result = get_object_or_404(
        EvaluationResult.objects.for_user(user).select_related(
            "run__scheme_version__scheme", "run__brand", "enterprise"
        ),
        pk=pk,
    )
    explained = queries.explain(result)
    gap = explained.get("next_class_gap") or None
    gap = {**gap, "plus_text": fmt(gap["plus"])} if gap and _finite(gap.get("plus")) is not None else None
    labels = group_labels()
    history = [
        {
            "year": h.run.year,
            "klass": h.klass,
            "group_label": labels.get(h.group, h.group),
            "score": fmt(h.score, 2),
            "pk": h.pk,
            "run": h.run,
        }
        for h in queries.enterprise_history(result.enterprise, user)
    ]
    return render_page(
        request,
        "evaluation/result_detail.html",
        {
            "result": result,
            "run": result.run,
            "x": explained,
            "rows": _explained_rows(explained),
            "score_text": fmt(result.score, 2),
            "gap": gap,
            "radar": radar_chart(explained) if result.group != Group.EXCLUDED else None,
            "history": history,
            "group_label": group_labels().get(result.group, result.group),
            "klass_meanings": klass_meanings(),
        },
    )


@login_required
def mine(request):
    """An enterprise's latest published result; an officer's enterprises in the latest published year."""
    user = request.user
    role = _role(user)
    _deny_unless(user, M4_ROLES)
    if role in PUBLISH_ROLES:
        return redirect("evaluation:home")
    results = EvaluationResult.objects.for_user(user).filter(run__published_at__isnull=False)
    if role == ENTERPRISE:
        # The latest year; of a zone run and a brand's run of the same year, the zone's.
        latest = (
            results.order_by("-run__year", F("run__brand_id").asc(nulls_first=True), "-run__published_at")
            .only("pk")
            .first()
        )
        if latest is not None:
            return redirect("evaluation:result", pk=latest.pk)
        return render_page(request, "evaluation/mine.html", {"rows": [], "year": None})
    year = results.order_by("-run__year").values_list("run__year", flat=True).first()
    rows = (
        list(
            results.filter(run__year=year)
            .select_related("run__brand")
            .only(
                "pk",
                "name",
                "uscc",
                "group",
                "score",
                "klass",
                "rank",
                "industry_rank",
                "industry_size",
                "exclusion",
                "run__year",
                "run__brand__short_name",
                "run__brand__name",
                "run__id",
            )
            .order_by("name", "run_id")
        )
        if year
        else []
    )
    for r in rows:
        r.score_text = fmt(r.score, 2)
    return render_page(
        request, "evaluation/mine.html", {"rows": rows, "year": year, "klass_meanings": klass_meanings()}
    )
