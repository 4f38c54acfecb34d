"""The exchange network and the element cycles (M5).

The network is a layered flow diagram enterprise → material → enterprise. ECharts' sankey refuses cycles (the
chlorine loop of the silicone chain is one: A sends HCl to B, B sends CH3Cl back to A), so every enterprise
appears twice — as a supplier "A (供)" in the first layer and as a receiver "A (收)" in the third — and the
materials sit in between: the diagram is a DAG of three layers whatever the exchanges are.

The element view draws ``balance.element_graph`` as a graph (circular layout) and highlights its cycles.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path

from hitechzone.common.formatting import unit_word

from .models import Material
from .queries import chains, exchanges
from .views import M5_ROLES, deny_unless, filters, fmt, render_page

DEFAULT_ELEMENT = "Cl"
SUPPLIER, MATERIAL, RECEIVER = 0, 1, 2


def supplier_node(enterprise) -> str:
    return f"{enterprise.name} (供)"


def receiver_node(enterprise) -> str:
    return f"{enterprise.name} (收)"


def material_node(material) -> str:
    return str(material)


def sankey(rows) -> dict:
    """The sankey of exchanges: ``{"nodes": [{"name", "depth"}], "links": [{"source", "target", "value"}]}``;
    supplier → material → receiver, link widths in t/yr. Suppliers, materials and receivers are distinct nodes,
    so no node is both a source of one link and a target of another in the same layer pair: no cycle."""
    nodes: dict[str, int] = {}
    links: dict[tuple[str, str], float] = {}

    def node(name: str, depth: int) -> str:
        nodes.setdefault(name, depth)
        return name

    for e in rows:
        q = float(e.quantity_t)
        if q <= 0:
            continue
        s = node(supplier_node(e.supplier), SUPPLIER)
        m = node(material_node(e.material), MATERIAL)
        r = node(receiver_node(e.receiver), RECEIVER)
        links[(s, m)] = links.get((s, m), 0.0) + q
        links[(m, r)] = links.get((m, r), 0.0) + q
    return {
        "nodes": [{"name": name, "depth": depth} for name, depth in nodes.items()],
        "links": [{"source": s, "target": t, "value": round(v, 3)} for (s, t), v in links.items()],
        "unit": unit_word("t_per_year"),
    }


def _network(request):
    user = request.user
    deny_unless(user, M5_ROLES)
    f = filters(request, user)
    rows = list(exchanges(user, f["year"], f["chain"]).order_by("-quantity_t", "pk"))
    return f, rows, sankey(rows)


@login_required
def network(request):
    f, rows, chart = _network(request)
    total = sum(float(e.quantity_t) for e in rows)
    return render_page(
        request,
        "circular/network.html",
        {
            **f,
            "rows": [{"exchange": e, "quantity": fmt(e.quantity_t), "distance": fmt(e.distance_km)} for e in rows],
            "total": fmt(total),
            "chart": chart,
        },
    )


@login_required
def network_data(request):
    """The network page's sankey as JSON (same filters)."""
    _f, _rows, chart = _network(request)
    return JsonResponse(chart)


# --- Element cycles -------------------------------------------------------------------------------------------------


def _elements_in_use() -> list[str]:
    """The elements of the materials' formulas (the element choices), most common first then alphabetically."""
    from . import chemistry

    seen: dict[str, int] = {}
    for formula in Material.objects.exclude(formula="").values_list("formula", flat=True):
        try:
            parsed = chemistry.parse_formula(formula)
        except (ValueError, KeyError):
            continue
        for el in parsed:
            seen[el] = seen.get(el, 0) + 1
    return sorted(seen, key=lambda el: (-seen[el], el))


def _node_id(node) -> str:
    if isinstance(node, dict):
        return str(node.get("id", node.get("name", "")))
    return str(node)


def graph_chart(graph: dict) -> dict:
    """``balance.element_graph`` shaped for an ECharts graph: nodes with their labels, links with their t of the
    element, the links and nodes of any cycle marked ``cycle`` (drawn red)."""
    cycles = []
    for c in graph.get("cycles") or []:
        ids = [_node_id(n) for n in (c.get("nodes", []) if isinstance(c, dict) else c)]
        if ids and ids[0] == ids[-1] and len(ids) > 1:
            ids = ids[:-1]
        if ids:
            cycles.append(ids)
    cycle_nodes = {n for c in cycles for n in c}
    cycle_edges = {(c[i], c[(i + 1) % len(c)]) for c in cycles for i in range(len(c))}
    labels = {}
    nodes = []
    for n in graph.get("nodes") or []:
        nid = _node_id(n)
        label = str(n.get("label") or n.get("name") or nid) if isinstance(n, dict) else nid
        if isinstance(n, dict) and n.get("formula") and n.get("kind") == "material":
            label = f"{label} {n['formula']}"
        kind = str(n.get("kind", n.get("type", ""))) if isinstance(n, dict) else ""
        labels[nid] = label
        nodes.append({"id": nid, "name": label, "kind": kind, "cycle": nid in cycle_nodes})
    links = []
    for link in graph.get("links") or []:
        s, t = _node_id(link.get("source")), _node_id(link.get("target"))
        value = link.get("value", link.get("quantity_t", link.get("t", 0)))
        try:
            value = float(value or 0)
        except (TypeError, ValueError):
            value = 0.0
        links.append(
            {
                "source": s,
                "target": t,
                "value": round(value, 3),
                "label": str(link.get("material_name") or link.get("material") or ""),
                "cycle": (s, t) in cycle_edges or bool(link.get("in_cycle")),
            }
        )
        for end in (s, t):
            if end not in labels:
                labels[end] = end
                nodes.append({"id": end, "name": end, "kind": "", "cycle": end in cycle_nodes})
    return {
        "nodes": nodes,
        "links": links,
        "cycles": [{"ids": c, "labels": [labels.get(n, n) for n in c]} for c in cycles],
    }


@login_required
def elements(request):
    user = request.user
    deny_unless(user, M5_ROLES)
    from . import balance

    f = filters(request, user)
    choices = _elements_in_use()
    element = request.GET.get("element", "").strip()[:3] or DEFAULT_ELEMENT
    if element not in choices:
        element = DEFAULT_ELEMENT
        if choices and element not in choices:
            choices = [element, *choices]
    level = "material" if request.GET.get("level") == "material" else "enterprise"
    graph = balance.element_graph(year=f["year"], element=element, user=user, chain=f["chain"], level=level)
    chart = graph_chart(graph)
    return render_page(
        request,
        "circular/elements.html",
        {
            **f,
            "element": element,
            "element_choices": choices or [DEFAULT_ELEMENT],
            "level": level,
            "chart": chart,
            "chains": chains(),
        },
    )


urlpatterns = [
    path("network/", network, name="network"),
    path("network/data/", network_data, name="network-data"),
    path("elements/", elements, name="elements"),
]
