"""The evaluation's overview and its runs (list, start, detail, publish, progress)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.common.models import Job
from hitechzone.common.rules import Refused
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Industry
from hitechzone.evaluation import queries, services
from hitechzone.evaluation.forms import RunForm
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun, Group
from hitechzone.evaluation.roles import ADMIN, ENTERPRISE, LEADER, M4_ROLES, PUBLISH_ROLES, ZONE_ROLES
from hitechzone.evaluation.roles import role as _role
from hitechzone.zone.models import Brand

from .helpers import (
    CLASS_COLOURS,
    CLASSES,
    EXPORT_COLUMNS,
    JOB_KIND,
    _class_count_rows,
    _finite,
    _run_indicators,
    _runs,
    _scoped_run,
    fmt,
    group_short_labels,
)
from .menu import render_page

# --- Overview -------------------------------------------------------------------------------------------------------


def _chart_run(request, user, candidates: list[EvaluationRun]) -> EvaluationRun | None:
    wanted = _int_param(request, "run")
    if wanted:
        run = _runs(user).filter(pk=wanted, status=EvaluationRun.Status.DONE).first()
        if run:
            return run
    return next((r for r in candidates if r.status == EvaluationRun.Status.DONE), None)


def distribution_chart(run: EvaluationRun, by: str) -> dict:
    """A stacked bar chart of the classes per brand, chain or industry (``queries.distribution``)."""
    rows = queries.distribution(run, by=by)
    return {
        "type": "stack",
        "unit": _("enterprises"),
        "categories": [str(r["label"]) for r in rows],
        "series": [{"name": k, "color": CLASS_COLOURS[k], "data": [r.get(k, 0) for r in rows]} for k in CLASSES],
        "rows": [{"label": str(r["label"]), "counts": [r.get(k, 0) for k in CLASSES]} for r in rows],
    }


@login_required
def home(request):
    user = request.user
    role = _role(user)
    _deny_unless(user, M4_ROLES)
    if role == ENTERPRISE:
        return redirect("evaluation:mine")
    published = list(_runs(user).filter(published_at__isnull=False).order_by("-year", "brand__sort_order", "-id"))
    unpublished = []
    if role in PUBLISH_ROLES:
        unpublished = list(_runs(user).filter(published_at__isnull=True).order_by("-created_at", "-id")[:20])
    chart_run = _chart_run(request, user, published + unpublished)
    charts = {}
    if chart_run is not None:
        charts = {by: distribution_chart(chart_run, by) for by in ("brand", "chain", "industry")}
    job = None
    if role == ADMIN and _int_param(request, "job"):
        job = Job.objects.for_user(user).filter(kind=JOB_KIND, pk=_int_param(request, "job")).first()
    form = RunForm(user=user) if role == ADMIN else None
    return render_page(
        request,
        "evaluation/home.html",
        {
            "published": published,
            "unpublished": unpublished,
            "chart_run": chart_run,
            "chart_runs": [r for r in published + unpublished if r.status == EvaluationRun.Status.DONE],
            "class_counts": _class_count_rows(chart_run) if chart_run else [],
            "brand_chart": charts.get("brand"),
            "chain_chart": charts.get("chain"),
            "industry_chart": charts.get("industry"),
            "can_publish": role in PUBLISH_ROLES,
            "run_form": form,
            "job": job,
            "classes": CLASSES,
        },
    )


@login_required
@require_POST
def run_new(request):
    """Enqueue an evaluation (admin); the overview then shows the job's progress bar."""
    user = request.user
    _deny_unless(user, {ADMIN})
    form = RunForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("evaluation:home")
    data = form.cleaned_data
    try:
        job = services.run_enqueue(by=user, year=data["year"], scheme=data["scheme"] or None, note=data["note"])
    except (Refused, ValidationError) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", None) or [str(refused)]))
        return redirect("evaluation:home")
    return redirect(f"{reverse('evaluation:home')}?job={job.pk}#job")


@login_required
def job_status(request, pk: int):
    """The progress of an evaluation job (polled by the overview's progress bar); when done, a link to the run."""
    user = request.user
    _deny_unless(user, {ADMIN})
    job = get_object_or_404(Job.objects.for_user(user).filter(kind=JOB_KIND), pk=pk)
    return render(request, "evaluation/_job.html", {"job": job, "run_id": (job.result or {}).get("run")})


@login_required
@require_POST
def run_publish(request, pk: int):
    user = request.user
    _deny_unless(user, PUBLISH_ROLES)
    run = _scoped_run(user, pk)
    try:
        services.run_publish(by=user, run=run)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("%(run)s is published: enterprises and their officers now see their results.") % {"run": run}
        )
    return redirect("evaluation:run", pk=run.pk)


# --- Runs -----------------------------------------------------------------------------------------------------------


@login_required
def run_list(request):
    user = request.user
    _deny_unless(user, ZONE_ROLES)
    runs = _runs(user)
    year = _int_param(request, "year")
    if year:
        runs = runs.filter(year=year)
    if request.GET.get("published") == "1":
        runs = runs.filter(published_at__isnull=False)
    elif request.GET.get("published") == "0":
        runs = runs.filter(published_at__isnull=True)
    page, query = paginate(request, runs)
    years = EvaluationRun.objects.for_user(user).order_by("-year").values_list("year", flat=True).distinct()
    return render_page(
        request,
        "evaluation/runs.html",
        {"page": page, "query": query, "years": years, "can_publish": _role(user) in PUBLISH_ROLES},
    )


def _result_filters(request, results):
    group = request.GET.get("group", "")
    if group in Group.values:
        results = results.filter(group=group)
    klass = request.GET.get("class", "")
    if klass in CLASSES:
        results = results.filter(klass=klass)
    brand = _int_param(request, "brand")
    if brand:
        results = results.filter(enterprise__brand_id=brand)
    q = request.GET.get("q", "").strip()
    if q:
        results = results.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper()))
    return results


def _export_rows(results):
    for r in results.values_list("uscc", "name", "group", "score", "klass", "rank", "industry_rank").iterator():
        uscc, name, group, score, klass, rank, industry_rank = r
        yield [
            uscc,
            name,
            group,
            None if _finite(score) is None else round(score, 4),
            klass or None,
            rank,
            industry_rank,
        ]


def _export(run: EvaluationRun, results, kind: str):
    stem = f"亩均评价-{run.year}-{run.pk}"
    if kind == "xlsx":
        return xlsx_response(f"{stem}.xlsx", [(_("Results"), list(EXPORT_COLUMNS), _export_rows(results))])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(stem)}.csv"
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for row in _export_rows(results):
        writer.writerow(["" if v is None else v for v in row])
    return response


@login_required
def run_detail(request, pk: int):
    user = request.user
    _deny_unless(user, M4_ROLES)
    run = _scoped_run(user, pk)
    results = _result_filters(request, EvaluationResult.objects.for_user(user).filter(run=run))
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx"):
        return _export(run, results.order_by("group", "rank", "uscc"), export)
    results = results.only(
        "pk",
        "name",
        "uscc",
        "group",
        "exclusion",
        "score",
        "klass",
        "rank",
        "industry_rank",
        "industry_size",
        "industry_code",
        "vetoed",
        "run_id",
    ).order_by("group", "rank", "uscc")
    page, query = paginate(request, results)
    rows = list(page)
    codes = {r.industry_code for r in rows if r.industry_code}
    industries = dict(Industry.objects.filter(code__in=codes).values_list("code", "name_zh")) if codes else {}
    short = group_short_labels()
    for r in rows:
        r.score_text = fmt(r.score, 2)
        r.group_short = short.get(r.group, r.group)
        r.industry_name = industries.get(r.industry_code, r.industry_code)
    role = _role(user)
    return render_page(
        request,
        "evaluation/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "page": page,
            "query": query,
            "groups": _run_indicators(run),
            "class_counts": _class_count_rows(run),
            "group_choices": Group.choices,
            "classes": CLASSES,
            "brands": Brand.objects.for_user(user) if role in (ADMIN, LEADER) else None,
            "can_publish": role in PUBLISH_ROLES and not run.is_published and run.status == EvaluationRun.Status.DONE,
            "sees_all": role in (ADMIN, LEADER),
        },
    )
