"""The exchange optimiser's pages (M5): run it from the zone's data of a year (and chain) or from an uploaded
scenario, download the scenario built from the zone, read a run's result next to today's exchanges, and the list
of past runs (scoped: the zone's staff see every run, officers their own).

Runs go through ``optimize.run_optimization`` (which stores them); an invalid upload is refused by the form with
every problem listed and nothing stored.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.common.rules import Refused
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Enterprise

from .forms import ScenarioUploadForm, ZoneScenarioForm
from .models import Exchange, Material, OptimizationRun
from .queries import years_of
from .views import OPTIMISE_ROLES, chain_param, deny_unless, filters, fmt, render_page

EPS = 1e-6


def _runs(user):
    return OptimizationRun.objects.for_user(user).select_related("created_by")


def _page(request, *, zone_form=None, upload_form=None, status=200):
    user = request.user
    f = filters(request, user)
    zone_form = zone_form or ZoneScenarioForm(initial={"year": f["year"], "chain": f["chain"]})
    upload_form = upload_form or ScenarioUploadForm()
    runs, query = paginate(request, _runs(user).defer("scenario"), per_page=20)
    return render_page(
        request,
        "circular/optimize.html",
        {
            **f,
            "zone_form": zone_form,
            "upload_form": upload_form,
            "runs": runs,
            "query": query,
            "run_rows": [{"run": r, "savings": fmt((r.result or {}).get("savings"))} for r in runs],
        },
        status=status,
    )


@login_required
def optimize(request):
    deny_unless(request.user, OPTIMISE_ROLES)
    return _page(request)


def _store(request, *, scenario: dict, name: str, year: int | None):
    from . import optimize as optimiser

    try:
        run = optimiser.run_optimization(by=request.user, scenario=scenario, name=name, year=year)
    except Refused as exc:
        messages.error(request, str(exc))
        return None
    except optimiser.ScenarioError as exc:
        messages.error(request, "; ".join(str(p) for p in exc.problems) or str(exc))
        return None
    return run


@login_required
@require_POST
def optimize_zone(request):
    """Optimise the zone's exchanges of a year (and chain): build the scenario, solve, store, show the run."""
    deny_unless(request.user, OPTIMISE_ROLES)
    form = ZoneScenarioForm(request.POST)
    if not form.is_valid():
        return _page(request, zone_form=form, status=400)
    from . import optimize as optimiser

    year, chain = form.cleaned_data["year"], form.cleaned_data["chain"]
    scenario = optimiser.scenario_from_zone(year=year, user=request.user, chain=chain)
    name = form.cleaned_data["name"] or (
        _("Zone %(year)s, %(chain)s") % {"year": year, "chain": chain} if chain else _("Zone %(year)s") % {"year": year}
    )
    run = _store(request, scenario=scenario, name=name, year=year)
    if run is None:
        return _page(request, zone_form=form, status=400)
    return redirect("circular:optimize-run", pk=run.pk)


@login_required
@require_POST
def optimize_upload(request):
    """Optimise an uploaded scenario: an invalid one is shown with every problem and nothing is stored."""
    deny_unless(request.user, OPTIMISE_ROLES)
    form = ScenarioUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    name = form.cleaned_data["name"] or form.cleaned_data["file"].name[:100]
    run = _store(request, scenario=form.scenario, name=name, year=None)
    if run is None:
        return _page(request, upload_form=form, status=400)
    return redirect("circular:optimize-run", pk=run.pk)


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def scenario_download(request):
    """The scenario built from the zone's data of ``?year=`` (and ``?chain=``), as a JSON file to edit."""
    user = request.user
    deny_unless(user, OPTIMISE_ROLES)
    from . import optimize as optimiser

    f = filters(request, user)
    chain = chain_param(request)
    scenario = optimiser.scenario_from_zone(year=f["year"], user=user, chain=chain)
    suffix = f"-{chain.code}" if chain else ""
    return _json_download(scenario, f"scenario-{f['year']}{suffix}.json")


@login_required
def run_scenario(request, pk: int):
    deny_unless(request.user, OPTIMISE_ROLES)
    run = get_object_or_404(_runs(request.user), pk=pk)
    return _json_download(run.scenario, f"scenario-run-{run.pk}.json")


# --- A run's result -------------------------------------------------------------------------------------------------


def comparison(run: OptimizationRun, user) -> dict:
    """The optimum next to today's exchanges, per supplier → receiver and material: ``{"rows": [{"supplier",
    "receiver", "material", "today_t", "optimal_t", "change_t", "change"}], "unmatched": [{"id", "enterprise",
    "material", "quantity_t"}], "purchased": [...]}``. A scenario's ``enterprise`` is a USCC (an id or a name are
    read too). Today's exchanges are those of the run's year that the user sees (none for an uploaded scenario
    without a year). Four queries."""
    scenario, result = run.scenario or {}, run.result or {}
    supplies = {str(s.get("id")): s for s in scenario.get("supplies") or [] if isinstance(s, dict)}
    demands = {str(d.get("id")): d for d in scenario.get("demands") or [] if isinstance(d, dict)}
    parties = [*supplies.values(), *demands.values()]
    keys = {str(x.get("enterprise")) for x in parties if x.get("enterprise") not in (None, "")}
    by_key = {}
    if keys:
        ids = [int(k) for k in keys if k.isdecimal() and len(k) < 10]
        for e in Enterprise.objects.filter(Q(uscc__in=keys) | Q(name__in=keys) | Q(pk__in=ids)).only(
            "id", "name", "uscc"
        ):
            for key in (e.uscc, e.name, str(e.pk)):
                by_key.setdefault(key, e)
    codes = {str(x.get("material")) for x in parties}
    materials = {m.code: m for m in Material.objects.filter(code__in=codes)}

    def ent(x):
        key = x.get("enterprise")
        e = by_key.get(str(key)) if key not in (None, "") else None
        if e is not None:
            return e.pk, e.name
        name = x.get("enterprise_name") or key
        return (f"?{key}" if key else None), (str(name) if name else "—")

    def mat(code):
        m = materials.get(str(code))
        return str(m) if m else str(code)

    names = {}
    optimal = defaultdict(float)
    for flow in result.get("flows") or []:
        s, d = supplies.get(str(flow.get("supply"))), demands.get(str(flow.get("demand")))
        if s is None or d is None:
            continue
        (sid, sname), (did, dname) = ent(s), ent(d)
        key = (sid, did, str(s.get("material")))
        names[key] = (sname, dname)
        optimal[key] += float(flow.get("quantity_t") or 0)
    today = defaultdict(float)
    if run.year:
        for e in (
            Exchange.objects.for_user(user).filter(year=run.year).select_related("supplier", "receiver", "material")
        ):
            key = (e.supplier_id, e.receiver_id, e.material.code)
            names.setdefault(key, (e.supplier.name, e.receiver.name))
            today[key] += float(e.quantity_t)
    rows = []
    for key in set(optimal) | set(today):
        t, o = today.get(key, 0.0), optimal.get(key, 0.0)
        if t <= EPS and o <= EPS:
            continue
        sname, dname = names[key]
        rows.append(
            {
                "supplier": sname,
                "receiver": dname,
                "material": mat(key[2]),
                "today_t": fmt(t),
                "optimal_t": fmt(o),
                "change_t": fmt(o - t),
                "change": "up" if o - t > EPS else "down" if t - o > EPS else "same",
            }
        )
    rows.sort(key=lambda r: (r["material"], r["supplier"], r["receiver"]))

    def leftovers(items, lookup, id_key):
        out = []
        for item in items or []:
            q = float(item.get("quantity_t") or 0)
            x = lookup.get(str(item.get(id_key)))
            if q <= EPS or x is None:
                continue
            out.append({"id": item.get(id_key), "enterprise": ent(x)[1], "material": mat(x.get("material")), "t": q})
        out.sort(key=lambda r: -r["t"])
        return [{**r, "quantity_t": fmt(r["t"])} for r in out]

    return {
        "rows": rows,
        "unmatched": leftovers(result.get("disposed"), supplies, "supply"),
        "purchased": leftovers(result.get("purchased"), demands, "demand"),
    }


@login_required
def run_detail(request, pk: int):
    user = request.user
    deny_unless(user, OPTIMISE_ROLES)
    run = get_object_or_404(_runs(user), pk=pk)
    result = run.result or {}
    compared = comparison(run, user)
    figures = [
        {"key": "total_cost", "label": _("Total cost (yuan/yr)"), "value": fmt(result.get("total_cost"))},
        {"key": "baseline_cost", "label": _("Without exchange (yuan/yr)"), "value": fmt(result.get("baseline_cost"))},
        {"key": "savings", "label": _("Savings (yuan/yr)"), "value": fmt(result.get("savings"))},
        {"key": "co2", "label": _("CO₂ avoided (t/yr)"), "value": fmt(result.get("co2_avoided_t"))},
    ]
    scenario = run.scenario or {}
    return render_page(
        request,
        "circular/optimize_run.html",
        {
            "run": run,
            "result": result,
            "figures": figures,
            "compared": compared,
            "sizes": {k: len(scenario.get(k) or []) for k in ("materials", "supplies", "demands", "arcs")},
            "flows": [{**flow, "quantity": fmt(flow.get("quantity_t"))} for flow in result.get("flows") or []],
            "back": reverse("circular:optimize"),
            "years": years_of(user),
        },
    )


urlpatterns = [
    path("optimize/", optimize, name="optimize"),
    path("optimize/zone/", optimize_zone, name="optimize-zone"),
    path("optimize/upload/", optimize_upload, name="optimize-upload"),
    path("optimize/scenario.json", scenario_download, name="optimize-scenario"),
    path("optimize/runs/<int:pk>/", run_detail, name="optimize-run"),
    path("optimize/runs/<int:pk>/scenario.json", run_scenario, name="optimize-run-scenario"),
]
