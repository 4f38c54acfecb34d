"""The circular-economy pages (M5, 循环化改造): the overview of a year, the materials, and the element balances.
The network and element cycles (``network_views``), the optimiser (``optimize_views``), the indicators and the
projects share this module's menu: render their pages with :func:`render_page` (or put ``nav(request)`` in the
context as ``circular_nav``) and include ``circular/_nav.html``.

Every page starts from the scoped managers (``for_user``) or the module's computations, which take the user; a
role with no business in M5 (experts) gets a 404. The pages only read; writes go through ``services.py``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from hitechzone.common import formatting
from hitechzone.common.params import year_from_query
from hitechzone.common.views import deny_unless, module_nav, url_or_none
from hitechzone.common.views import int_param as _int_param
from hitechzone.enterprises.models import IndustryChain

from .models import Flow, Material
from .queries import chains, exchanges, flows, unmatched_byproducts, years_of
from .roles import M5_ROLES, OPTIMISE_ROLES, STAFF_ROLES
from .roles import role as role_of

# --- The module's menu ----------------------------------------------------------------------------------------------

# (key, label, url name, roles, icon). An entry whose url does not exist yet (a page still being built) is left out.
NAV = (
    ("home", gettext_lazy("Overview"), "circular:home", M5_ROLES, "bi-speedometer2"),
    ("materials", pgettext_lazy("circular", "Materials"), "circular:materials", M5_ROLES, "bi-droplet-half"),
    ("balances", gettext_lazy("Flows and balances"), "circular:balances", M5_ROLES, "bi-arrow-left-right"),
    ("network", gettext_lazy("Exchange network"), "circular:network", M5_ROLES, "bi-diagram-3"),
    ("elements", gettext_lazy("Element cycles"), "circular:elements", M5_ROLES, "bi-arrow-repeat"),
    ("optimize", gettext_lazy("Optimiser"), "circular:optimize", OPTIMISE_ROLES, "bi-cpu"),
    ("indicators", gettext_lazy("Indicators"), "circular:indicators", STAFF_ROLES, "bi-graph-up"),  # park-level
    ("projects", gettext_lazy("Projects"), "circular:projects", M5_ROLES, "bi-kanban"),
)


def nav(request) -> list[dict]:
    """The menu entries of M5 this user may open: ``{"key", "label", "url", "icon", "active"}``."""
    return module_nav(request, NAV, home="circular:home")


def render_page(request, template: str, context: dict, status: int = 200):
    """Render an M5 page with the module's menu (``circular/_nav.html`` reads ``circular_nav``)."""
    return render(request, template, {"circular_nav": nav(request), **context}, status=status)


# --- Helpers shared by the module's pages ---------------------------------------------------------------------------


def fmt(x, places: int | None = None) -> str:
    """A figure for reading: about four significant digits, "—" when missing (through the one formatter)."""
    x = formatting.chart_number(x)
    if x is None:
        return "—"
    if places is None:
        a = abs(x)
        places = 1 if a >= 100 else 2 if a >= 1 else 4
    return formatting.number(x, -places)


def year_param(request, years: list[int]) -> int:
    """The year asked for (``?year=``), else the newest year with data, else last year."""
    return year_from_query(request, years[0] if years else timezone.localdate().year - 1)


def chain_param(request) -> IndustryChain | None:
    chain_id = _int_param(request, "chain")
    return IndustryChain.objects.filter(pk=chain_id).first() if chain_id else None


def filters(request, user) -> dict:
    """The year and chain filter of a page: ``{"year", "years", "chain", "chains"}``."""
    years = years_of(user)
    year = year_param(request, years)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return {"year": year, "years": years, "chain": chain_param(request), "chains": chains()}


# --- Overview -------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    deny_unless(user, M5_ROLES)
    f = filters(request, user)
    year, chain = f["year"], f["chain"]
    year_flows = flows(user, year, chain)
    flow_counts = dict(year_flows.order_by().values_list("role").annotate(n=Count("id")))
    ex = exchanges(user, year, chain)
    ex_total = ex.order_by().aggregate(n=Count("id"), t=Sum("quantity_t"))
    unmatched = unmatched_byproducts(user, year, chain)
    materials = Material.objects.for_user(user)
    if chain is not None:
        materials = materials.filter(chains=chain)
    figures = [
        {
            "key": "materials",
            "label": pgettext("circular", "Materials"),
            "value": materials.count(),
            "url": url_or_none("circular:materials"),
        },
        {"key": "flows", "label": _("Material flows"), "value": sum(flow_counts.values()), "url": None},
        {"key": "exchanges", "label": _("By-product exchanges"), "value": ex_total["n"] or 0, "url": None},
        {"key": "exchanged_t", "label": _("Tonnes exchanged (t/yr)"), "value": fmt(ex_total["t"] or 0), "url": None},
        {"key": "unmatched", "label": _("By-products unmatched"), "value": len(unmatched), "url": None},
    ]
    biggest = list(ex.order_by("-quantity_t")[:10])
    return render_page(
        request,
        "circular/home.html",
        {
            **f,
            "figures": figures,
            "flow_counts": [{"role": label, "n": flow_counts.get(value, 0)} for value, label in Flow.Role.choices],
            "unmatched": unmatched[:10],
            "unmatched_t": fmt(sum((r["left_t"] for r in unmatched), Decimal(0))),
            "biggest": [
                {"exchange": e, "quantity": fmt(e.quantity_t), "distance": fmt(e.distance_km)} for e in biggest
            ],
            "links": [item for item in nav(request) if item["key"] != "home"],
        },
    )


# --- Materials ------------------------------------------------------------------------------------------------------


def _fractions(material: Material) -> list[dict]:
    """The material's elements by mass fraction, largest first (empty for mixtures or an unreadable formula)."""
    if not material.formula:
        return []
    from . import chemistry

    try:
        fractions = chemistry.mass_fractions(material.formula)
    except (ValueError, KeyError):
        return []
    return [
        {"element": el, "fraction": fmt(share, 4), "percent": f"{share * 100:.1f}", "width": round(share * 100, 1)}
        for el, share in sorted(fractions.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


@login_required
def materials(request):
    user = request.user
    deny_unless(user, M5_ROLES)
    chain = chain_param(request)
    q = request.GET.get("q", "").strip()[:60]
    qs = Material.objects.for_user(user).prefetch_related("chains")
    if chain is not None:
        qs = qs.filter(chains=chain)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_en__icontains=q) | Q(formula__icontains=q))
    rows = [{"material": m, "elements": _fractions(m)[:4]} for m in qs]
    return render_page(
        request,
        "circular/materials.html",
        {"rows": rows, "chain": chain, "chains": chains(), "q": q},
    )


@login_required
def material(request, code: str):
    user = request.user
    deny_unless(user, M5_ROLES)
    m = get_object_or_404(Material.objects.for_user(user).prefetch_related("chains"), code=code)
    years = years_of(user)
    year = year_param(request, years)
    where = list(
        Flow.objects.for_user(user)
        .filter(material=m, year=year)
        .select_related("enterprise")
        .order_by("role", "-quantity_t", "enterprise__name")
    )
    totals = defaultdict(Decimal)
    for flow in where:
        totals[flow.role] += flow.quantity_t
    ex = list(exchanges(user, year).filter(material=m).order_by("-quantity_t"))
    return render_page(
        request,
        "circular/material.html",
        {
            "material": m,
            "elements": _fractions(m),
            "year": year,
            "years": years if year in years else sorted({*years, year}, reverse=True),
            "flows": where,
            "totals": [
                {"role": label, "t": fmt(totals[value])} for value, label in Flow.Role.choices if value in totals
            ],
            "exchanges": ex,
        },
    )


# --- Flows and balances ---------------------------------------------------------------------------------------------


def _num(x) -> float:
    try:
        return float(x or 0)
    except (TypeError, ValueError):
        return 0.0


def _element_rows(elements) -> list[dict]:
    """Rows of a balance: ``{"element", "in", "out", "gap", "share", "flagged"}`` from ``balance``'s per-element
    figures (a dict element → figures, or a list of figures with an ``element`` key)."""
    if isinstance(elements, dict):
        items = [{"element": k, **(v or {})} for k, v in elements.items()]
    else:
        items = list(elements or [])
    rows = []
    for e in items:
        inflow, outflow = _num(e.get("in", e.get("in_t"))), _num(e.get("out", e.get("out_t")))
        gap = e.get("gap", e.get("gap_t"))
        gap = inflow - outflow if gap is None else _num(gap)
        share = e.get("gap_share")
        rows.append(
            {
                "element": e.get("element", ""),
                "in": fmt(inflow),
                "out": fmt(outflow),
                "gap": fmt(gap),
                "share": "—" if share is None else f"{_num(share) * 100:.1f}%",
                "flagged": bool(e.get("flagged")),
            }
        )
    rows.sort(key=lambda r: (not r["flagged"], r["element"]))
    return rows


def _enterprise_rows(enterprises) -> list[dict]:
    """Per enterprise of ``zone_balance``: ``{"id", "name", "rows", "flagged"}`` (a dict or a list)."""
    if isinstance(enterprises, dict):
        items = [{"enterprise": k, **(v or {})} for k, v in enterprises.items()]
    else:
        items = list(enterprises or [])
    out = []
    for e in items:
        ent = e.get("enterprise")
        if isinstance(ent, dict):
            ent_id, name = ent.get("id"), ent.get("name", "")
        else:
            ent_id = getattr(ent, "pk", ent if isinstance(ent, int) else None)
            name = e.get("name") or getattr(ent, "name", None) or str(ent)
        rows = _element_rows(e.get("elements", []))
        out.append({"id": ent_id, "name": name, "rows": rows, "flagged": any(r["flagged"] for r in rows)})
    out.sort(key=lambda e: (not e["flagged"], e["name"]))
    return out


@login_required
def balances(request):
    user = request.user
    deny_unless(user, M5_ROLES)
    from . import balance

    f = filters(request, user)
    year = f["year"]
    result = balance.zone_balance(year=year, user=user, chain=f["chain"])
    zone_rows = _element_rows(result.get("elements", []))
    enterprise_rows = _enterprise_rows(result.get("enterprises", []))
    wanted = _int_param(request, "enterprise")
    if wanted:
        enterprise_rows = [e for e in enterprise_rows if e["id"] == wanted]
    year_flows = list(
        flows(user, year, f["chain"])
        .select_related("enterprise", "material")
        .order_by("enterprise__name", "role", "material__code")
    )
    return render_page(
        request,
        "circular/balances.html",
        {
            **f,
            "zone_view": role_of(user) in STAFF_ROLES,
            "zone_rows": zone_rows,
            "enterprises": enterprise_rows,
            "flows": year_flows,
            "tolerance": f"{_num(result.get('tolerance', 0.02)) * 100:g}%",
        },
    )


urlpatterns = [
    path("", home, name="home"),
    path("materials/", materials, name="materials"),
    path("materials/<slug:code>/", material, name="material"),
    path("balances/", balances, name="balances"),
]
