"""The evaluation pages (M4, 亩产论英雄): overview and runs, a run's results, the explanation of one result,
schemes, exemptions and vetoes. The energy ranking and prices (``energy_views``) and land exit (``land_views``)
share this module's menu: render their pages with :func:`render_page` (or put ``nav(request)`` in the context as
``evaluation_nav``) and include ``evaluation/_nav.html``.

Every page starts from the scoped managers (``for_user``) or ``queries.py``; a role with no business on a page
gets a 404 (deny by default; department staff and experts have none in M4). Every write goes through
``services.py``: a ``Refused`` is shown to the user and nothing is written. Writes answer with a redirect.
"""

from __future__ import annotations

import csv
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.common.models import Job
from hitechzone.common.params import year_from_query
from hitechzone.common.rules import Refused
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import module_nav, paginate
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator, Industry
from hitechzone.zone.models import Brand

from . import kernel, queries, services
from .forms import ExemptionForm, RunForm, SchemeNewForm, SchemeVersionForm, VetoForm, default_year
from .models import EvaluationResult, EvaluationRun, Exemption, Group, Scheme, SchemeVersion, Veto
from .roles import ADMIN, ENTERPRISE, LEADER, M4_ROLES, OFFICER, PUBLISH_ROLES, ZONE_ROLES
from .roles import role as _role

CLASSES = kernel.CLASSES
CLASS_COLOURS = {"A": "#198754", "B": "#0d6efd", "C": "#fd7e14", "D": "#dc3545"}
JOB_KIND = "evaluation.run"
EXPORT_COLUMNS = ("uscc", "name", "group", "score", "class", "rank", "industry_rank")

# --- The module's menu (shared with the energy, prices and land pages) --------------------------------------------

# (key, label, url name, roles, icon). An entry whose url does not exist yet (a page still being built) is left out.
NAV = (
    ("home", gettext_lazy("Overview"), "evaluation:home", ZONE_ROLES, "bi-speedometer2"),
    ("runs", gettext_lazy("Runs"), "evaluation:runs", ZONE_ROLES, "bi-list-ol"),
    ("mine", gettext_lazy("My results"), "evaluation:mine", frozenset({OFFICER, ENTERPRISE}), "bi-person-badge"),
    ("schemes", gettext_lazy("Schemes"), "evaluation:schemes", M4_ROLES, "bi-sliders"),
    ("exemptions", gettext_lazy("Exemptions"), "evaluation:exemptions", ZONE_ROLES, "bi-shield-check"),
    ("vetoes", gettext_lazy("Vetoes"), "evaluation:vetoes", ZONE_ROLES, "bi-slash-circle"),
    ("energy", gettext_lazy("Energy ranking"), "evaluation:energy", M4_ROLES, "bi-lightning-charge"),
    ("prices", gettext_lazy("Differentiated prices"), "evaluation:prices", M4_ROLES, "bi-cash-coin"),
    ("exits", gettext_lazy("Land exit"), "evaluation:exits", M4_ROLES, "bi-arrow-left-right"),
)


def nav(request) -> list[dict]:
    """The menu entries of M4 this user may open: ``{"key", "label", "url", "icon", "active"}``."""
    return module_nav(request, NAV, home="evaluation:home")


def render_page(request, template: str, context: dict, status: int = 200):
    """Render an M4 page with the module's menu (``evaluation/_nav.html`` reads ``evaluation_nav``)."""
    return render(request, template, {"evaluation_nav": nav(request), **context}, status=status)


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
    """A figure for reading: about four significant digits, "—" when missing."""
    x = _finite(x)
    if x is None:
        return "—"
    if places is None:
        a = abs(x)
        places = 2 if a >= 100 else 3 if a >= 1 else 4 if a >= 0.01 else 6
    text = f"{x:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


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
    return render_page(request, "evaluation/mine.html", {"rows": rows, "year": year})


# --- Schemes --------------------------------------------------------------------------------------------------------


def _figure_label(name: str) -> str:
    try:
        return str(EnterpriseIndicator._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a quantity is shown by its name
        return name


QUANTITY_LABELS = {"pollution_equivalents": gettext_lazy("pollution equivalents (污染当量)")}


def quantity_label(name: str) -> str:
    """A scheme quantity's name for reading (the default scheme's pollution equivalents; else the key)."""
    return str(QUANTITY_LABELS.get(name, name))


def scheme_rules(version: SchemeVersion) -> dict:
    """A version's rules for reading: per group its indicators (formula, weight, unit); quantities, cap, scope,
    class shares."""
    try:
        scheme = version.kernel()
    except ValidationError as error:
        return {"errors": error.messages}
    quantities = {q.name: q for q in scheme.quantities}

    def operand(name: str) -> str:
        return quantity_label(name) if name in quantities else _figure_label(name)

    def _term(t: kernel.Term) -> str:
        text = _figure_label(t.figure)
        if t.scale != 1:
            text += f" × {fmt(t.scale)}"
        if t.divisor != 1:
            text += f" ÷ {fmt(t.divisor)}"
        return text

    return {
        "groups": [
            {
                "key": g.key,
                "label": group_labels().get(g.key, g.label),
                "total": fmt(sum(i.weight for i in g.indicators)),
                "indicators": [
                    {
                        "label": i.label,
                        "formula": f"{operand(i.numerator)} ÷ {operand(i.denominator)}",
                        "weight": fmt(i.weight),
                        "unit": i.unit,
                    }
                    for i in g.indicators
                ],
            }
            for g in scheme.groups
        ],
        "quantities": [
            {"name": q.name, "label": quantity_label(q.name), "formula": " + ".join(_term(t) for t in q.terms)}
            for q in scheme.quantities
        ],
        "cap": None if scheme.cap is None else fmt(scheme.cap),
        "min_land": fmt(scheme.scope.min_land_below_scale),
        "exclude_exempt": scheme.scope.exclude_exempt,
        "shares": {
            "A": fmt(float(scheme.classes.share_a) * 100, 1),
            "B": fmt(float(scheme.classes.share_b) * 100, 1),
            "D": fmt(float(scheme.classes.share_d) * 100, 1),
        },
        "veto_class": scheme.classes.veto_class,
    }


@login_required
def scheme_list(request):
    user = request.user
    _deny_unless(user, M4_ROLES)
    schemes = Scheme.objects.for_user(user).select_related("current", "brand").annotate(n_versions=Count("versions"))
    return render_page(request, "evaluation/schemes.html", {"schemes": schemes, "can_edit": _role(user) == ADMIN})


@login_required
def scheme_new(request):
    """An administrator adds a scheme (e.g. one for a brand), starting from the rules of an existing one."""
    user = request.user
    _deny_unless(user, {ADMIN})
    form = SchemeNewForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.scheme_create(
                by=user,
                name=data["name"],
                title=data["title"],
                brand=data["brand"],
                description=data["description"],
                definition=data["start_from"].current.definition,
                effective_from=data["effective_from"],
                note=_("Copied from %(scheme)s v%(n)d")
                % {"scheme": data["start_from"].name, "n": data["start_from"].current.number},
            )
        except (Refused, ValidationError) as problem:
            for message in getattr(problem, "messages", [str(problem)]):
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Scheme %(name)s created: adjust its rules in a new version.") % {"name": scheme}
            )
            return redirect("evaluation:scheme", pk=scheme.pk)
    return render_page(request, "evaluation/scheme_new.html", {"form": form})


@login_required
def scheme_detail(request, pk: int):
    user = request.user
    _deny_unless(user, M4_ROLES)
    scheme = get_object_or_404(Scheme.objects.for_user(user).select_related("current", "brand"), pk=pk)
    versions = list(scheme.versions.select_related("created_by").order_by("-number"))
    return render_page(
        request,
        "evaluation/scheme_detail.html",
        {
            "scheme": scheme,
            "versions": [
                {"version": v, "rules": scheme_rules(v), "current": v.pk == scheme.current_id} for v in versions
            ],
            "can_edit": _role(user) == ADMIN,
        },
    )


@login_required
def scheme_revise(request, pk: int):
    user = request.user
    _deny_unless(user, {ADMIN})
    scheme = get_object_or_404(Scheme.objects.for_user(user).select_related("current"), pk=pk)
    version = scheme.current or scheme.versions.order_by("-number").first()
    if version is None:
        raise Http404
    form = SchemeVersionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.scheme_revise(
                by=user,
                scheme=scheme,
                definition=data["definition_dict"],
                effective_from=data["effective_from"],
                note=data["note"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Version %(n)d saved; runs made earlier keep the version they used.") % {"n": new.number},
            )
            return redirect("evaluation:scheme", pk=scheme.pk)
    return render_page(request, "evaluation/scheme_form.html", {"scheme": scheme, "version": version, "form": form})


# --- Exemptions and vetoes ------------------------------------------------------------------------------------------


class _Register:
    """Exemptions and vetoes share their pages: a year's list, an add form (admin), remove after a confirmation."""

    def __init__(self, model, form_class, url_name: str, *, title, add, remove, done_add, done_remove):
        self.model, self.form_class, self.url_name = model, form_class, url_name
        self.title, self.add, self.remove, self.done_add, self.done_remove = title, add, remove, done_add, done_remove

    def rows(self, user, year: int):
        return self.model.objects.for_user(user).filter(year=year).select_related("enterprise", "created_by")

    def set(self, user, data):
        if self.model is Exemption:
            return services.exemption_set(
                by=user,
                enterprise=data["enterprise"],
                year=data["year"],
                reason=data["reason"],
                details=data["details"],
            )
        return services.veto_set(
            by=user,
            enterprise=data["enterprise"],
            year=data["year"],
            kind=data["kind"],
            reason=data["reason"],
            occurred_on=data.get("occurred_on"),
        )

    def delete(self, user, obj):
        if self.model is Exemption:
            return services.exemption_remove(by=user, exemption=obj)
        return services.veto_remove(by=user, veto=obj)


EXEMPTIONS = _Register(
    Exemption,
    ExemptionForm,
    "evaluation:exemptions",
    title=gettext_lazy("Exemptions (免评)"),
    add=gettext_lazy("Exempt an enterprise"),
    remove=gettext_lazy("Remove the exemption"),
    done_add=gettext_lazy("%(enterprise)s is exempted from the evaluation of %(year)d."),
    done_remove=gettext_lazy("The exemption of %(enterprise)s for %(year)d is removed."),
)
VETOES = _Register(
    Veto,
    VetoForm,
    "evaluation:vetoes",
    title=gettext_lazy("Vetoes (一票否决)"),
    add=gettext_lazy("Enter a veto"),
    remove=gettext_lazy("Remove the veto"),
    done_add=gettext_lazy("The veto of %(enterprise)s for %(year)d is entered: it is class D in that year's runs."),
    done_remove=gettext_lazy("The veto of %(enterprise)s for %(year)d is removed."),
)


def _register_page(request, register: _Register):
    user = request.user
    _deny_unless(user, ZONE_ROLES)
    year = year_from_query(request, default_year())
    is_admin = _role(user) == ADMIN
    form = None
    if is_admin:
        form = register.form_class(request.POST or None, user=user, year=year)
        if request.method == "POST" and form.is_valid():
            try:
                obj = register.set(user, form.cleaned_data)
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, register.done_add % {"enterprise": obj.enterprise.name, "year": obj.year})
                return redirect(f"{reverse(register.url_name)}?year={obj.year}")
    elif request.method == "POST":
        raise Http404
    rows = list(register.rows(user, year))
    this_year = timezone.localdate().year
    return render_page(
        request,
        "evaluation/register.html",
        {
            "register": register,
            "kind": "exemption" if register.model is Exemption else "veto",
            "rows": rows,
            "year": year,
            "years": list(range(this_year + 1, this_year - 7, -1)),
            "form": form,
        },
    )


def _register_remove(request, register: _Register, pk: int):
    user = request.user
    _deny_unless(user, {ADMIN})
    obj = get_object_or_404(register.model.objects.for_user(user).select_related("enterprise"), pk=pk)
    back = f"{reverse(register.url_name)}?year={obj.year}"
    if request.method == "POST":
        name, year = obj.enterprise.name, obj.year
        try:
            register.delete(user, obj)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, register.done_remove % {"enterprise": name, "year": year})
        return redirect(back)
    return render_page(
        request,
        "evaluation/register_remove.html",
        {
            "register": register,
            "obj": obj,
            "back": back,
            "kind": "exemption" if register.model is Exemption else "veto",
        },
    )


@login_required
def exemption_list(request):
    return _register_page(request, EXEMPTIONS)


@login_required
def exemption_remove(request, pk: int):
    return _register_remove(request, EXEMPTIONS, pk)


@login_required
def veto_list(request):
    return _register_page(request, VETOES)


@login_required
def veto_remove(request, pk: int):
    return _register_remove(request, VETOES, pk)


@login_required
def enterprise_options(request):
    """The picker's suggestions (``<option>``s of a ``<datalist>``): USCC as the value, the name as the label."""
    user = request.user
    _deny_unless(user, {ADMIN})
    q = request.GET.get("enterprise", "") or request.GET.get("q", "")
    found = Enterprise.objects.for_user(user).search(q).only("uscc", "name")[:20] if len(q.strip()) >= 2 else []
    return render(request, "evaluation/_enterprise_options.html", {"enterprises": found})


urlpatterns = [
    path("", home, name="home"),
    path("runs/", run_list, name="runs"),
    path("runs/new/", run_new, name="run-new"),
    path("runs/<int:pk>/", run_detail, name="run"),
    path("runs/<int:pk>/publish/", run_publish, name="run-publish"),
    path("jobs/<int:pk>/", job_status, name="job"),
    path("results/<int:pk>/", result_detail, name="result"),
    path("mine/", mine, name="mine"),
    path("schemes/", scheme_list, name="schemes"),
    path("schemes/new/", scheme_new, name="scheme-new"),
    path("schemes/<int:pk>/", scheme_detail, name="scheme"),
    path("schemes/<int:pk>/revise/", scheme_revise, name="scheme-revise"),
    path("exemptions/", exemption_list, name="exemptions"),
    path("exemptions/<int:pk>/remove/", exemption_remove, name="exemption-remove"),
    path("vetoes/", veto_list, name="vetoes"),
    path("vetoes/<int:pk>/remove/", veto_remove, name="veto-remove"),
    path("enterprises/", enterprise_options, name="enterprise-options"),
]
