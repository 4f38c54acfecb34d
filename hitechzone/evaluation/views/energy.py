"""Pages of the energy ranking and the differentiated prices (M4).

``evaluation:energy``: a year's ranking. Administrators and leaders see the whole table (filter by industry
division, Excel export) and two charts — the intensity per industry division and the distribution of the
intensities; officers and enterprises see their own entries with their ranks. Administrators rank a year from
the page (synchronously: a few seconds at most).
``evaluation:energy-years``: how each year converts electricity (administrators).
``evaluation:prices``: a year's price tiers (every M4 role), whether they are in force, and the surcharge list
with its totals (administrators and leaders: every enterprise; officers and enterprises: their own) and the
lists for the power and water companies. Administrators edit the tiers here.

Every write goes through ``energy`` and ``prices``; a ``Refused`` is shown and nothing is written. A role with no
business on a page gets a 404 (department staff and experts have none in M4).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.common.params import year_or
from hitechzone.common.rules import Refused
from hitechzone.common.spreadsheets import XLSX_MIME, xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Industry
from hitechzone.evaluation import energy, prices
from hitechzone.evaluation.models import EnergyRanking, EnergyRankingEntry, EnergyYear, EvaluationRun, Klass, PriceTier
from hitechzone.evaluation.roles import ADMIN, M4_ROLES, WHOLE_ZONE_ROLES
from hitechzone.evaluation.roles import role as _role

from .menu import render_page

ZONE_ROLES = WHOLE_ZONE_ROLES  # the whole ranking and the whole surcharge list
ENTRIES_PER_PAGE = 50
# Edges of the distribution chart, tce per 10,000 yuan of value added.
INTENSITY_EDGES = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)


def _last_year() -> int:
    return timezone.localdate().year - 1


# --- Forms ------------------------------------------------------------------------------------------------------


def _year_field(**kwargs):
    return forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, **kwargs)


class RankForm(forms.Form):
    year = _year_field(
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width: 7rem"})
    )


class EnergyYearForm(forms.Form):
    year = _year_field()
    electricity_basis = forms.ChoiceField(
        label=gettext_lazy("Electricity conversion"), choices=EnergyYear.Basis.choices
    )
    equal_value_kgce_per_kwh = forms.DecimalField(
        label=gettext_lazy("Equal-value factor (kgce/kWh)"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("0.5"),
        decimal_places=4,
        help_text=gettext_lazy("Only for the equal-value basis: the year's coal consumption of power supply."),
    )


class TierForm(forms.Form):
    year = _year_field()
    klass = forms.ChoiceField(label=gettext_lazy("Class"), choices=Klass.choices)
    min_years_in_class = forms.IntegerField(
        label=gettext_lazy("From consecutive years in the class"), min_value=1, max_value=10, initial=1
    )
    electricity_yuan_per_kwh = forms.DecimalField(
        label=gettext_lazy("Electricity surcharge (yuan/kWh)"), min_value=0, max_digits=6, decimal_places=4
    )
    water_yuan_per_t = forms.DecimalField(
        label=gettext_lazy("Water surcharge (yuan/t)"), min_value=0, max_digits=6, decimal_places=3
    )


def _bootstrap(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return form


def _refusal(request, exc: Exception) -> None:
    messages.error(request, str(exc))


def _form_errors(request, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


# --- The energy ranking -----------------------------------------------------------------------------------------


def _division_names(codes) -> dict[str, str]:
    return dict(Industry.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name_zh"))


def industry_chart(ranking: EnergyRanking) -> dict:
    """Intensity per industry division: the division's total energy over its total value added (one query)."""
    rows = list(
        ranking.entries.values("industry_code")
        .annotate(n=Count("id"), tce=Sum("energy_tce"), va=Sum("value_added_wan_yuan"))
        .order_by("industry_code")
    )
    names = _division_names(r["industry_code"] for r in rows)
    rows = [r for r in rows if r["va"]]
    rows.sort(key=lambda r: r["tce"] / r["va"])
    return {
        "type": "bar",
        "unit": _("tce/10k yuan"),
        "categories": [
            f"{r['industry_code']} {names.get(r['industry_code'], '')}".strip()
            if r["industry_code"]
            else _("No industry")
            for r in rows
        ],
        "series": [{"name": _("Energy per value added"), "data": [round(r["tce"] / r["va"], 4) for r in rows]}],
        "rows": [
            {
                "code": r["industry_code"],
                "name": names.get(r["industry_code"], ""),
                "n": r["n"],
                "intensity": r["tce"] / r["va"],
            }
            for r in rows
        ],
    }


def distribution_chart(ranking: EnergyRanking) -> dict:
    """How many enterprises fall in each band of intensity (one query)."""
    edges = (0.0, *INTENSITY_EDGES)
    bands = {}
    for i, low in enumerate(edges):
        high = edges[i + 1] if i + 1 < len(edges) else None
        condition = Q(intensity__gte=low) & (Q(intensity__lt=high) if high is not None else Q())
        bands[f"b{i}"] = Count("id", filter=condition)
    counts = ranking.entries.aggregate(**bands)
    labels = [f"{low:g}–{edges[i + 1]:g}" if i + 1 < len(edges) else f"≥ {low:g}" for i, low in enumerate(edges)]
    return {
        "type": "bar",
        "unit": _("enterprises"),
        "categories": labels,
        "series": [{"name": _("Enterprises"), "data": [counts[f"b{i}"] for i in range(len(edges))]}],
    }


def _entries(user, ranking: EnergyRanking):
    return (
        EnergyRankingEntry.objects.for_user(user).filter(ranking=ranking).select_related("enterprise").order_by("rank")
    )


def _ranking_export(ranking: EnergyRanking, entries):
    headers = [
        _("Rank"),
        _("USCC"),
        _("Enterprise"),
        _("Industry division"),
        _("Rank in industry"),
        _("Firms of the industry"),
        _("Energy (tce)"),
        _("Energy source"),
        _("Value added (10k yuan)"),
        _("Energy per value added (tce/10k yuan)"),
    ]
    sources = dict(EnergyRankingEntry.Source.choices)
    rows = (
        [
            e.rank,
            e.enterprise.uscc,
            e.enterprise.name,
            e.industry_code,
            e.industry_rank,
            e.industry_size,
            e.energy_tce,
            str(sources.get(e.source, e.source)),
            e.value_added_wan_yuan,
            e.intensity,
        ]
        for e in entries.iterator(chunk_size=5000)
    )
    title = _("Energy ranking")
    return xlsx_response(
        f"energy-ranking-{ranking.year}.xlsx",
        [(title, headers, rows)],
        widths={title: [8, 22, 32, 10, 10, 10, 14, 16, 16, 18]},
    )


@login_required
def energy_ranking(request):
    user = request.user
    role = _role(user)
    _deny_unless(user, M4_ROLES)
    years = list(EnergyRanking.objects.for_user(user).values_list("year", flat=True).order_by("-year"))
    year = year_or(request.GET.get("year"), years[0] if years else _last_year())
    ranking = EnergyRanking.objects.for_user(user).filter(year=year).select_related("created_by").first()
    context = {
        "year": year,
        "years": sorted({*years, year, _last_year()}, reverse=True),
        "ranking": ranking,
        "whole_zone": role in ZONE_ROLES,
        "can_rank": role == ADMIN,
        "rank_form": _bootstrap(RankForm(initial={"year": year})) if role == ADMIN else None,
        "rankings_up_to": energy.rankings_up_to(year),
        "rankings_needed": prices.RANKINGS_NEEDED,
        "basis_labels": dict(EnergyYear.Basis.choices),
        "fuels": energy.FUELS.values() if role in ZONE_ROLES else (),
    }
    if ranking is not None:
        entries = _entries(user, ranking)
        industry = (request.GET.get("industry") or "").strip()
        if role in ZONE_ROLES:
            if request.GET.get("export") == "xlsx":
                return _ranking_export(ranking, entries.filter(industry_code=industry) if industry else entries)
            chart = industry_chart(ranking)
            context["industry_chart"] = chart
            context["industry_rows"] = chart["rows"]
            context["distribution_chart"] = distribution_chart(ranking)
            context["industry"] = industry
            if industry:
                entries = entries.filter(industry_code=industry)
            page, query = paginate(request, entries, ENTRIES_PER_PAGE)
            context.update(page=page, query=query, entries=list(page.object_list))
        else:
            context["entries"] = list(entries)
        names = _division_names({e.industry_code for e in context["entries"]})
        for e in context["entries"]:
            e.division_name = names.get(e.industry_code, "")
    return render_page(request, "evaluation/energy.html", context)


@login_required
@require_POST
def energy_rank(request):
    """Rank a year (administrators), synchronously; back to the year's ranking."""
    user = request.user
    _deny_unless(user, M4_ROLES)
    form = RankForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("evaluation:energy")
    year = form.cleaned_data["year"]
    try:
        ranking = energy.rank_energy(by=user, year=year)
    except Refused as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request,
            _("%(year)d ranked: %(n)d enterprises.") % {"year": ranking.year, "n": ranking.ranked},
        )
    return redirect(f"{reverse('evaluation:energy')}?year={year}")


# --- Energy conversion of the years -----------------------------------------------------------------------------


@login_required
def energy_years(request):
    user = request.user
    _deny_unless(user, {ADMIN})
    if request.method == "POST":
        form = EnergyYearForm(request.POST)
        if form.is_valid():
            try:
                setting = energy.energy_year_set(by=user, **form.cleaned_data)
            except Refused as exc:
                _refusal(request, exc)
            else:
                messages.success(request, _("The energy conversion of %(year)d is saved.") % {"year": setting.year})
                return redirect("evaluation:energy-years")
    else:
        form = EnergyYearForm(initial={"year": _last_year(), "electricity_basis": EnergyYear.Basis.CALORIFIC})
    settings = list(EnergyYear.objects.for_user(user).order_by("-year"))
    return render_page(
        request,
        "evaluation/energy_years.html",
        {
            "form": _bootstrap(form),
            "settings": settings,
            "calorific": energy.CALORIFIC_KGCE_PER_KWH,
            "ranked_years": set(EnergyRanking.objects.values_list("year", flat=True)),
        },
    )


@login_required
@require_POST
def energy_year_delete(request, pk: int):
    user = request.user
    _deny_unless(user, {ADMIN})
    setting = get_object_or_404(EnergyYear.objects.for_user(user), pk=pk)
    try:
        energy.energy_year_remove(by=user, setting=setting)
    except Refused as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(year)d goes back to the calorific basis.") % {"year": setting.year})
    return redirect("evaluation:energy-years")


# --- Differentiated prices --------------------------------------------------------------------------------------


@login_required
def price_list(request):
    user = request.user
    role = _role(user)
    _deny_unless(user, M4_ROLES)
    tier_years = list(PriceTier.objects.for_user(user).values_list("year", flat=True).distinct().order_by("-year"))
    # Default: the latest year with both tiers and a published whole-zone evaluation (a list to show).
    evaluated = set(
        EvaluationRun.objects.filter(published_at__isnull=False, brand__isnull=True).values_list("year", flat=True)
    )
    listed = [y for y in tier_years if y in evaluated]
    year = year_or(request.GET.get("year"), (listed or tier_years or [_last_year()])[0])
    export = request.GET.get("export")
    if export in prices.COMPANIES:
        _deny_unless(user, ZONE_ROLES)
        try:
            file_name, data = prices.surcharge_xlsx(year=year, user=user, company=export)
        except Refused as exc:
            _refusal(request, exc)
            return redirect(f"{reverse('evaluation:prices')}?year={year}")
        response = HttpResponse(data, content_type=XLSX_MIME)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
        return response
    tiers = list(PriceTier.objects.for_user(user).filter(year=year).order_by("klass", "min_years_in_class"))
    rows = prices.surcharges(year=year, user=user)
    context = {
        "year": year,
        "years": sorted({*tier_years, year, _last_year()}, reverse=True),
        "tiers": tiers,
        "effective": prices.effective(year),
        "rankings_up_to": energy.rankings_up_to(year),
        "rankings_needed": prices.RANKINGS_NEEDED,
        "run_id": prices.published_whole_zone_runs(year=year).get(year),
        "whole_zone": role in ZONE_ROLES,
        "totals": prices.totals(rows),
        "can_edit": role == ADMIN,
    }
    if role in ZONE_ROLES:
        page, query = paginate(request, rows, ENTRIES_PER_PAGE)
        context.update(page=page, query=query, rows=page.object_list)
    else:
        context["rows"] = rows
    if role == ADMIN:
        editing = None
        edit_pk = request.GET.get("edit", "")
        if edit_pk.isdigit():
            editing = next((t for t in tiers if t.pk == int(edit_pk)), None)
        initial = (
            {f: getattr(editing, f) for f in prices.TIER_FIELDS}
            if editing
            else {"year": year, "klass": Klass.D, "min_years_in_class": 1}
        )
        context.update(tier_form=_bootstrap(TierForm(initial=initial)), editing=editing)
    return render_page(request, "evaluation/prices.html", context)


@login_required
@require_POST
def price_tier_save(request, pk: int | None = None):
    """Add a tier, or change tier ``pk`` (administrators)."""
    user = request.user
    _deny_unless(user, M4_ROLES)
    tier = get_object_or_404(PriceTier.objects.for_user(user), pk=pk) if pk else None
    form = TierForm(request.POST)
    year = year_or(request.POST.get("year"), _last_year())
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            tier = prices.tier_save(by=user, tier=tier, **form.cleaned_data)
        except Refused as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("The price tier is saved."))
            year = tier.year
    return redirect(f"{reverse('evaluation:prices')}?year={year}")


@login_required
@require_POST
def price_tier_delete(request, pk: int):
    user = request.user
    _deny_unless(user, M4_ROLES)
    tier = get_object_or_404(PriceTier.objects.for_user(user), pk=pk)
    year = tier.year
    try:
        prices.tier_delete(by=user, tier=tier)
    except Refused as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The price tier is deleted."))
    return redirect(f"{reverse('evaluation:prices')}?year={year}")


@login_required
@require_POST
def price_tiers_defaults(request):
    """Add the demo policy's tiers a year lacks (administrators)."""
    user = request.user
    _deny_unless(user, M4_ROLES)
    year = year_or(request.POST.get("year"), _last_year())
    try:
        added = prices.tiers_load_defaults(by=user, year=year)
    except Refused as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("%(n)d tiers added to %(year)d.") % {"n": len(added), "year": year})
    return redirect(f"{reverse('evaluation:prices')}?year={year}")


urlpatterns = [
    path("energy/", energy_ranking, name="energy"),
    path("energy/rank/", energy_rank, name="energy-rank"),
    path("energy/years/", energy_years, name="energy-years"),
    path("energy/years/<int:pk>/delete/", energy_year_delete, name="energy-year-delete"),
    path("prices/", price_list, name="prices"),
    path("prices/tiers/", price_tier_save, name="price-tier-new"),
    path("prices/tiers/<int:pk>/", price_tier_save, name="price-tier"),
    path("prices/tiers/<int:pk>/delete/", price_tier_delete, name="price-tier-delete"),
    path("prices/tiers/defaults/", price_tiers_defaults, name="price-tiers-defaults"),
]
