"""Element balances and element graphs of the zone's material flows (issue 7, M5 points 3 and 4).

An element's mass in a flow is ``quantity_t × purity × mass fraction of the element in the material`` (the
fraction from the material's formula, ``chemistry.mass_fractions``). A material without a formula (a mixture),
or with a formula that does not parse, contributes nothing and is listed under ``unknown`` ("unknown
composition"), so a balance that misses it says so instead of silently looking complete.

- :func:`enterprise_balance`: per element, *in* (inputs) against *out* (products, by-products, wastes,
  emissions); ``gap = in − out``, ``gap_share = |gap| / max(in, out)`` (0 when both are 0), ``flagged`` when
  ``gap_share > tolerance``.
- :func:`zone_balance`: the same for the zone as a whole plus one row per enterprise. Exchanges between two of
  the zone's enterprises are internal, so (kept simple, per element)
  ``zone in  = Σ inputs  − Σ exchanged element mass received`` and
  ``zone out = Σ outputs − Σ exchanged element mass supplied``;
  both subtract the same exchanges, so the zone's gap is the sum of the enterprises' gaps and the exchanges only
  shrink what crosses the zone's fence. "The zone" is what the user may see: the enterprises whose flows
  ``Flow.objects.for_user(user)`` returns, and an exchange is internal only when both its ends are among them.
- :func:`element_graph`: where an element goes. At the enterprise level the nodes are enterprises plus "outside
  the zone" as a source and as a sink; links are exchanges (supplier → receiver) carrying the element, inputs
  bought from outside and outputs leaving the zone. At the material level the nodes are materials; an
  enterprise links each input material to each output material that both carry the element (the element mass
  of the input shared out in proportion to the outputs' element masses), so the silicone chain's
  HCl → CH3Cl → (CH3)2SiCl2 → HCl shows as a loop even when one enterprise runs it all. Cycles are found with
  Tarjan's strongly connected components and listed as simple cycles.

An exchange has no purity of its own: it carries the purity of the supplier's output flow of that material
(by-product, then product, waste, emission), else of the receiver's input flow, else 1 (only visible flows
are looked at).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable

from django.utils.translation import gettext as _

from hitechzone.circular.chemistry import FormulaError, mass_fractions
from hitechzone.circular.models import Exchange, Flow

INPUT = Flow.Role.INPUT
OUTPUT_ROLES = (Flow.Role.PRODUCT, Flow.Role.BYPRODUCT, Flow.Role.WASTE, Flow.Role.EMISSION)
SOURCE, SINK = "outside:in", "outside:out"
MAX_CYCLES = 200  # cycles listed at most …
MAX_STEPS = 200_000  # … and search steps taken (a zone's graph is small; this bounds a pathological one)


# --- element masses ------------------------------------------------------------------------------------------


def _fractions(material, cache: dict) -> dict[str, float] | None:
    """The material's element mass fractions, or None (no formula, or one that does not parse)."""
    if material.pk not in cache:
        try:
            cache[material.pk] = mass_fractions(material.formula) if material.formula.strip() else None
        except FormulaError:
            cache[material.pk] = None
    return cache[material.pk]


def _unknown(material, role: str, quantity_t: float, enterprise=None) -> dict:
    row = {
        "material": material.code,
        "name": material.name,
        "formula": material.formula,
        "role": role,
        "quantity_t": quantity_t,
        "reason": _("unknown composition") if not material.formula.strip() else _("formula cannot be read"),
    }
    if enterprise is not None:
        row["enterprise"] = {"id": enterprise.pk, "name": enterprise.name}
    return row


def _flow_elements(flow, cache: dict) -> dict[str, float] | None:
    fractions = _fractions(flow.material, cache)
    if fractions is None:
        return None
    mass = float(flow.quantity_t) * float(flow.purity)
    return {symbol: mass * share for symbol, share in fractions.items()}


def _row(element: str, mass_in: float, mass_out: float, tolerance: float, **extra) -> dict:
    gap = mass_in - mass_out
    largest = max(mass_in, mass_out)
    share = abs(gap) / largest if largest > 0 else 0.0
    return {
        "element": element,
        "in": round(mass_in, 6),
        "out": round(mass_out, 6),
        "gap": round(gap, 6),
        "gap_share": round(share, 6),
        "flagged": share > tolerance,
        **extra,
    }


def _rows(mass_in: dict, mass_out: dict, tolerance: float, extra: dict | None = None) -> list[dict]:
    """One row per element, the elements carrying the most mass first (then by symbol)."""
    elements = sorted(set(mass_in) | set(mass_out), key=lambda e: (-max(mass_in.get(e, 0), mass_out.get(e, 0)), e))
    return [_row(e, mass_in.get(e, 0.0), mass_out.get(e, 0.0), tolerance, **(extra or {}).get(e, {})) for e in elements]


class _Ledger:
    """Per enterprise: element masses in and out, per flow, and the materials of unknown composition."""

    def __init__(self, flows: Iterable[Flow]):
        self.cache: dict = {}
        self.enterprises: dict[int, object] = {}
        self.mass_in: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.mass_out: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.flows: dict[int, list[dict]] = defaultdict(list)
        self.unknown: dict[int, list[dict]] = defaultdict(list)
        # (enterprise, material) → purity of its flows by role, for the exchanges
        self.purity: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
        for flow in flows:
            self.add(flow)

    def add(self, flow: Flow) -> None:
        ent = flow.enterprise_id
        self.enterprises[ent] = flow.enterprise
        self.purity[(ent, flow.material_id)][flow.role] = float(flow.purity)
        masses = _flow_elements(flow, self.cache)
        quantity = float(flow.quantity_t)
        if masses is None:
            self.unknown[ent].append(_unknown(flow.material, flow.role, quantity))
            return
        side = self.mass_in if flow.role == INPUT else self.mass_out
        for symbol, mass in masses.items():
            side[ent][symbol] += mass
        self.flows[ent].append(
            {
                "material": flow.material.code,
                "name": flow.material.name,
                "formula": flow.material.formula,
                "role": flow.role,
                "quantity_t": quantity,
                "purity": float(flow.purity),
                "elements": {symbol: round(mass, 6) for symbol, mass in masses.items()},
            }
        )

    def exchange_purity(self, exchange: Exchange) -> float:
        supplied = self.purity.get((exchange.supplier_id, exchange.material_id), {})
        for role in (Flow.Role.BYPRODUCT, Flow.Role.PRODUCT, Flow.Role.WASTE, Flow.Role.EMISSION):
            if role in supplied:
                return supplied[role]
        received = self.purity.get((exchange.receiver_id, exchange.material_id), {})
        return received.get(INPUT, 1.0)

    def exchange_elements(self, exchange: Exchange) -> dict[str, float] | None:
        fractions = _fractions(exchange.material, self.cache)
        if fractions is None:
            return None
        mass = float(exchange.quantity_t) * self.exchange_purity(exchange)
        return {symbol: mass * share for symbol, share in fractions.items()}


def _enterprise_payload(enterprise) -> dict:
    return {"id": enterprise.pk, "name": enterprise.name}


def _enterprise_result(ledger: _Ledger, enterprise, tolerance: float) -> dict:
    ent = enterprise.pk
    rows = _rows(ledger.mass_in.get(ent, {}), ledger.mass_out.get(ent, {}), tolerance)
    return {
        "enterprise": _enterprise_payload(enterprise),
        "elements": rows,
        "flagged": [row["element"] for row in rows if row["flagged"]],
        "flows": ledger.flows.get(ent, []),
        "unknown": ledger.unknown.get(ent, []),
    }


def _flows(queryset, year: int):
    return queryset.filter(year=year).select_related("material", "enterprise").order_by("enterprise_id", "pk")


def _in_chain(queryset, chain, *fields: str):
    """Rows of which one of ``fields`` (enterprise foreign keys) is an enterprise of ``chain`` (object or pk)."""
    if chain is None:
        return queryset
    from django.db.models import Q

    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__chains": chain})
    return queryset.filter(condition).distinct()


# --- balances ------------------------------------------------------------------------------------------------


def enterprise_balance(*, enterprise, year: int, tolerance: float = 0.02) -> dict:
    """The element balance of one enterprise in one year (the caller has checked the user may see it).

    ``{"enterprise": {"id", "name"}, "year", "tolerance", "elements": [{"element", "in", "out", "gap",
    "gap_share", "flagged"}], "flagged": [symbols], "flows": [...with "elements"], "unknown": [...]}``; masses
    in t/yr.
    """
    ledger = _Ledger(_flows(Flow.objects.filter(enterprise=enterprise), year))
    return {"year": year, "tolerance": tolerance, **_enterprise_result(ledger, enterprise, tolerance)}


def zone_balance(*, year: int, user, tolerance: float = 0.02, chain=None) -> dict:
    """The zone's element balance (what ``user`` may see; optionally one industry chain's enterprises).

    ``{"year", "tolerance", "elements": [{"element", "in", "out", "gap", "gap_share", "flagged", "exchanged"}],
    "flagged": [symbols], "enterprises": [enterprise_balance-like rows], "unknown": [...],
    "exchanges": number of internal exchanges}``; ``exchanged`` is the element mass passed between the zone's
    enterprises (t/yr).
    """
    ledger = _Ledger(_in_chain(_flows(Flow.objects.for_user(user), year), chain, "enterprise"))
    inside = set(ledger.enterprises)
    zone_in: dict[str, float] = defaultdict(float)
    zone_out: dict[str, float] = defaultdict(float)
    for ent in inside:
        for symbol, mass in ledger.mass_in.get(ent, {}).items():
            zone_in[symbol] += mass
        for symbol, mass in ledger.mass_out.get(ent, {}).items():
            zone_out[symbol] += mass

    exchanged: dict[str, float] = defaultdict(float)
    internal = 0
    exchanges = Exchange.objects.for_user(user).filter(year=year, supplier__in=inside, receiver__in=inside)
    for exchange in exchanges.select_related("material"):
        masses = ledger.exchange_elements(exchange)
        internal += 1
        for symbol, mass in (masses or {}).items():
            exchanged[symbol] += mass
            zone_in[symbol] -= mass
            zone_out[symbol] -= mass

    enterprises = sorted(ledger.enterprises.values(), key=lambda e: (e.name, e.pk))
    rows = _rows(zone_in, zone_out, tolerance, {e: {"exchanged": round(m, 6)} for e, m in exchanged.items()})
    for row in rows:
        row.setdefault("exchanged", 0.0)
    unknown = []
    for enterprise in enterprises:
        for item in ledger.unknown.get(enterprise.pk, []):
            unknown.append({**item, "enterprise": _enterprise_payload(enterprise)})
    return {
        "year": year,
        "tolerance": tolerance,
        "elements": rows,
        "flagged": [row["element"] for row in rows if row["flagged"]],
        "enterprises": [_enterprise_result(ledger, enterprise, tolerance) for enterprise in enterprises],
        "unknown": unknown,
        "exchanges": internal,
    }


# --- graphs and cycles ---------------------------------------------------------------------------------------


def strongly_connected_components(nodes: Iterable[Hashable], edges: Iterable[tuple]) -> list[list]:
    """Tarjan's algorithm, iterative (no recursion limit). Components in reverse topological order; each
    component's nodes in the order they were first reached."""
    nodes = list(dict.fromkeys(nodes))
    successors: dict = {node: [] for node in nodes}
    for a, b in edges:
        successors.setdefault(a, [])
        successors.setdefault(b, [])
        if b not in successors[a]:
            successors[a].append(b)
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    components: list[list] = []
    counter = 0
    for root in successors:
        if root in index:
            continue
        work = [(root, iter(successors[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component, key=index.__getitem__))
    return components


def simple_cycles(nodes: Iterable[Hashable], edges: Iterable[tuple], limit: int = MAX_CYCLES) -> list[list]:
    """The simple cycles (each once, as a node list starting at its earliest node in ``nodes`` order), at most
    ``limit`` of them (and ``MAX_STEPS`` search steps). Searches only inside strongly connected components; a
    self-loop is a cycle of one."""
    order = {node: i for i, node in enumerate(dict.fromkeys(nodes))}
    edges = list(edges)
    for a, b in edges:
        for node in (a, b):
            order.setdefault(node, len(order))
    successors: dict = defaultdict(list)
    for a, b in edges:
        if b not in successors[a]:
            successors[a].append(b)
    cycles: list[list] = []
    steps = 0
    for component in strongly_connected_components(order, edges):
        members = set(component)
        if len(component) == 1:
            (node,) = component
            if node in successors[node]:
                cycles.append([node])
            continue
        for start in sorted(component, key=order.__getitem__):
            # cycles whose earliest node is ``start``: only nodes after it, each cycle found exactly once
            allowed = {n for n in members if order[n] > order[start]}
            path = [start]
            on_path = {start}
            work = [iter(sorted(successors[start], key=order.__getitem__))]
            while work:
                steps += 1
                if len(cycles) >= limit or steps > MAX_STEPS:
                    return cycles
                child = next(work[-1], None)
                if child is None:
                    work.pop()
                    on_path.discard(path.pop())
                    continue
                if child == start:
                    cycles.append(list(path))
                elif child in allowed and child not in on_path:
                    path.append(child)
                    on_path.add(child)
                    work.append(iter(sorted(successors[child], key=order.__getitem__)))
    return cycles


def _cycles_payload(nodes: list[dict], links: list[dict]) -> list[dict]:
    """Cycles of the graph (links with a value > 0), each with its bottleneck (the least link total on it)."""
    totals: dict[tuple, float] = defaultdict(float)
    for link in links:
        if link["value"] > 0:
            totals[(link["source"], link["target"])] += link["value"]
    names = {node["id"]: node["name"] for node in nodes}
    cycles = simple_cycles([node["id"] for node in nodes], totals)
    payload = []
    for cycle in cycles:
        steps = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        payload.append(
            {
                "nodes": cycle,
                "names": [names.get(node, str(node)) for node in cycle],
                "value": round(min(totals[step] for step in steps), 6),
            }
        )
    on_cycle = {node for cycle in cycles for node in cycle}
    steps_on_cycle = {step for cycle in cycles for step in zip(cycle, cycle[1:] + cycle[:1], strict=True)}
    for node in nodes:
        node["in_cycle"] = node["id"] in on_cycle
    for link in links:
        link["in_cycle"] = (link["source"], link["target"]) in steps_on_cycle
    return payload


def element_graph(*, year: int, element: str, user, chain=None, level: str = "enterprise") -> dict:
    """Where ``element`` goes in the zone (what ``user`` may see; optionally one chain's enterprises).

    ``level="enterprise"``: nodes ``{"id": "e:<pk>", "name", "kind": "enterprise", "enterprise", "in", "out"}``
    plus ``outside:in`` / ``outside:out`` (kind "source" / "sink"); links ``{"source", "target", "value" (t/yr
    of the element), "kind": "exchange" | "external", "material"?}``. ``level="material"``: nodes
    ``{"id": "m:<code>", "name", "kind": "material", "formula"}``; links ``{"source", "target", "value",
    "kind": "process", "enterprises": [names]}``. Both: ``"cycles": [{"nodes", "names", "value"}]`` (value: the
    least element mass on the cycle's links) and ``in_cycle`` on every node and link.
    """
    if level not in ("enterprise", "material"):
        raise ValueError(f"unknown graph level {level!r}")
    ledger = _Ledger(_in_chain(_flows(Flow.objects.for_user(user), year), chain, "enterprise"))
    if level == "material":
        nodes, links = _material_graph(ledger, element, year)
    else:
        nodes, links = _enterprise_graph(ledger, element, year, user, chain)
    cycles = _cycles_payload(nodes, links)
    return {"year": year, "element": element, "level": level, "nodes": nodes, "links": links, "cycles": cycles}


def _enterprise_graph(ledger: _Ledger, element: str, year: int, user, chain) -> tuple[list[dict], list[dict]]:
    exchanges = _in_chain(Exchange.objects.for_user(user).filter(year=year), chain, "supplier", "receiver")
    exchanges = exchanges.select_related("material", "supplier", "receiver").order_by("pk")
    enterprises = dict(ledger.enterprises)
    received: dict[int, float] = defaultdict(float)
    supplied: dict[int, float] = defaultdict(float)
    links: list[dict] = []
    for exchange in exchanges:
        mass = (ledger.exchange_elements(exchange) or {}).get(element, 0.0)
        if mass <= 0:
            continue
        enterprises.setdefault(exchange.supplier_id, exchange.supplier)
        enterprises.setdefault(exchange.receiver_id, exchange.receiver)
        received[exchange.receiver_id] += mass
        supplied[exchange.supplier_id] += mass
        links.append(
            {
                "source": f"e:{exchange.supplier_id}",
                "target": f"e:{exchange.receiver_id}",
                "value": round(mass, 6),
                "kind": "exchange",
                "material": exchange.material.code,
                "material_name": exchange.material.name,
            }
        )
    nodes: list[dict] = []
    outside_in = outside_out = False
    for ent, enterprise in sorted(enterprises.items(), key=lambda item: (item[1].name, item[0])):
        mass_in = ledger.mass_in.get(ent, {}).get(element, 0.0)
        mass_out = ledger.mass_out.get(ent, {}).get(element, 0.0)
        if mass_in <= 0 and mass_out <= 0 and not received.get(ent) and not supplied.get(ent):
            continue
        nodes.append(
            {
                "id": f"e:{ent}",
                "name": enterprise.name,
                "kind": "enterprise",
                "enterprise": ent,
                "in": round(mass_in, 6),
                "out": round(mass_out, 6),
                # an enterprise at the other end of an exchange whose flows the user may not see
                "flows_visible": ent in ledger.enterprises,
            }
        )
        if ent not in ledger.enterprises:
            continue
        bought = mass_in - received.get(ent, 0.0)
        if bought > 1e-9:
            outside_in = True
            links.append({"source": SOURCE, "target": f"e:{ent}", "value": round(bought, 6), "kind": "external"})
        leaving = mass_out - supplied.get(ent, 0.0)
        if leaving > 1e-9:
            outside_out = True
            links.append({"source": f"e:{ent}", "target": SINK, "value": round(leaving, 6), "kind": "external"})
    if outside_in:
        nodes.insert(0, {"id": SOURCE, "name": _("Outside the zone (source)"), "kind": "source"})
    if outside_out:
        nodes.append({"id": SINK, "name": _("Outside the zone (sink)"), "kind": "sink"})
    return nodes, links


def _material_graph(ledger: _Ledger, element: str, year: int) -> tuple[list[dict], list[dict]]:
    materials: dict[str, dict] = {}
    totals: dict[tuple[str, str], float] = defaultdict(float)
    by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ent, enterprise in sorted(ledger.enterprises.items(), key=lambda item: (item[1].name, item[0])):
        inputs, outputs = [], []
        for flow in ledger.flows.get(ent, []):
            mass = flow["elements"].get(element, 0.0)
            if mass <= 0:
                continue
            materials.setdefault(
                flow["material"],
                {"id": f"m:{flow['material']}", "name": flow["name"], "kind": "material", "formula": flow["formula"]},
            )
            (inputs if flow["role"] == INPUT else outputs).append((flow["material"], mass))
        out_total = math.fsum(mass for _code, mass in outputs)
        for source, mass_in in inputs:
            for target, mass_out in outputs:
                if source == target:
                    continue  # passes through: no conversion
                key = (f"m:{source}", f"m:{target}")
                totals[key] += mass_in * mass_out / out_total
                if enterprise.name not in by[key]:
                    by[key].append(enterprise.name)
    nodes = sorted(materials.values(), key=lambda node: node["id"])
    links = [
        {"source": a, "target": b, "value": round(value, 6), "kind": "process", "enterprises": by[(a, b)]}
        for (a, b), value in totals.items()
    ]
    return nodes, links
