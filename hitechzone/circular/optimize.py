"""The by-product exchange optimiser: how much of each by-product goes where.

A *scenario* (built from the zone's data by :func:`scenario_from_zone`, or uploaded as JSON for what-if planning)::

    {"materials": [{"code", "disposal_cost_per_t", "virgin_price_per_t",
                    "transport_cost_per_t_km"?, "co2_avoided_t_per_t"?}],
     "supplies":  [{"id", "material", "quantity_t", "purity"?, "enterprise"?, "lat"?, "lon"?}],
     "demands":   [{"id", "material", "quantity_t", "min_purity"?, "enterprise"?, "lat"?, "lon"?}],
     "arcs":      [{"supply", "demand", "cost_per_t" | "distance_km", "capacity_t"?, "fixed_cost"?,
                    "min_flow_t"?}]}

Other keys are ignored (``name``, ``year``, an enterprise's name …). An arc gives its ``cost_per_t`` or, instead,
its ``distance_km`` (cost = the material's transport cost per t·km × distance). When ``arcs`` is absent, an arc is
generated for every supply–demand pair of the same material, at the haversine distance between the two parties'
``lat``/``lon``; a pair whose distance is unknown (a party without coordinates) gets no arc, unless its material
costs nothing to transport. An arc whose supply's purity (default 1) is below its demand's ``min_purity``
(default 0) carries nothing.

The model, with x the tonnes on an arc, y whether it carries anything, d the tonnes of a supply disposed of and p
the tonnes of a demand bought new::

    minimise  Σ cost·x + Σ fixed·y + Σ disposal·d + Σ virgin·p
    supply s: Σ x + d_s = q_s        demand t: Σ x + p_t = q_t
    0 ≤ x ≤ U·y  (U = capacity, or min(q_s, q_t) without one)        x ≥ min_flow·y

Disposal and purchase make every scenario feasible. Without fixed costs and minimum flows it is a transportation
problem: a large one (≥ ``BIG`` arcs) whose quantities are whole kilograms and prices whole fen goes to OR-Tools'
min-cost flow (exact on the integers), other ones to HiGHS' LP simplex; with fixed costs or minimum flows it is a
MILP solved by HiGHS (relative gap 0). The matrices are built with numpy, never with a Python loop over the arcs,
and the arcs are checked and read in one pass: 1,000 × 1,000 pairs solve in about 2 s
(``bench/circular_optimize.py``). The result's ``solver`` says which one answered.

OR-Tools and highspy each bundle a ``libhighs.so.1`` of a different HiGHS version and the dynamic loader keeps the
first one loaded, so they cannot share a process: the min-cost flow runs in a spawned worker process.

:func:`run_optimization` is the write: it checks the rules, validates, solves and stores an
:class:`~hitechzone.circular.models.OptimizationRun`. An invalid scenario raises :class:`ScenarioError` (every
problem listed) and stores nothing: a run is the record of an optimum, and the problems are answered to whoever
sent the scenario (400 in the API, exit 1 in the CLI).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.common.geo import EARTH_RADIUS_KM as EARTH_RADIUS_KM  # re-exported
from hitechzone.common.geo import haversine_km_arrays
from hitechzone.common.rules import Refused, require

EPS = 1e-9
BIG = 50_000  # arcs: from here, pure problems in whole kg and fen go to OR-Tools' min-cost flow


class ScenarioError(ValueError):
    """A scenario the optimiser cannot take; ``problems`` lists every problem found (one sentence each)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- Validation -------------------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        self.problems.append(message)

    def number(self, item: dict, key: str, where: str, *, required=True, low=0.0, high=None, nullable=False):
        """The number at ``item[key]`` (None when absent or wrong, with the problem recorded)."""
        if key not in item or (nullable and item[key] is None):
            if required:
                self.add(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
            return None
        value = item[key]
        if not _is_number(value):
            self.add(_("%(where)s: “%(key)s” must be a number.") % {"where": where, "key": key})
            return None
        if value < low or (high is not None and value > high):
            if high is None:
                self.add(
                    _("%(where)s: “%(key)s” is %(value)s; it cannot be negative.")
                    % {"where": where, "key": key, "value": value}
                )
            else:
                self.add(
                    _("%(where)s: “%(key)s” is %(value)s; it must lie between %(low)s and %(high)s.")
                    % {"where": where, "key": key, "value": value, "low": low, "high": high}
                )
            return None
        return value

    def ident(self, item: dict, key: str, where: str):
        value = item.get(key)
        if key not in item:
            self.add(_("%(where)s: “%(key)s” is missing.") % {"where": where, "key": key})
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(_("%(where)s: “%(key)s” must be a non-empty text.") % {"where": where, "key": key})
            return None
        return value

    def items(self, scenario: dict, key: str, *, required=True) -> list:
        if key not in scenario:
            if required:
                self.add(_("The scenario has no “%(key)s” list.") % {"key": key})
            return []
        value = scenario[key]
        if not isinstance(value, list):
            self.add(_("“%(key)s” must be a list.") % {"key": key})
            return []
        good = []
        for i, item in enumerate(value, 1):
            if isinstance(item, dict):
                good.append((i, item))
            else:
                self.add(_("%(key)s #%(i)d must be an object.") % {"key": key, "i": i})
        return good


def _check_parties(check: _Checker, scenario: dict, key: str, label: str, purity_key: str, codes: set) -> dict:
    """Validate supplies or demands; answer {id: material code} of the well-formed ones."""
    seen: dict = {}
    counts = Counter()
    for i, item in check.items(scenario, key):
        where = _("%(label)s #%(i)d") % {"label": label, "i": i}
        ident = check.ident(item, "id", where)
        if ident is not None:
            where = _("%(label)s “%(id)s”") % {"label": label, "id": ident}
            counts[ident] += 1
        material = check.ident(item, "material", where)
        if material is not None and material not in codes:
            check.add(_("%(where)s: unknown material “%(code)s”.") % {"where": where, "code": material})
            material = None
        check.number(item, "quantity_t", where)
        check.number(item, purity_key, where, required=False, high=1.0)
        has_lat, has_lon = "lat" in item and item["lat"] is not None, "lon" in item and item["lon"] is not None
        if has_lat != has_lon:
            check.add(_("%(where)s: give both “lat” and “lon”, or neither.") % {"where": where})
        elif has_lat:
            check.number(item, "lat", where, low=-90.0, high=90.0)
            check.number(item, "lon", where, low=-180.0, high=180.0)
        if ident is not None and ident not in seen:
            seen[ident] = material
    for ident, n in counts.items():
        if n > 1:
            check.add(_("%(label)s id “%(id)s” is used %(n)d times.") % {"label": label, "id": ident, "n": n})
    return seen


ARC_OPTIONAL = ("capacity_t", "fixed_cost", "min_flow_t")
NUMBER = (int, float)


def _optional_ok(arc: dict) -> bool:
    """An arc's optional numbers are well-formed (checked without building any message)."""
    for key in ARC_OPTIONAL:
        value = arc.get(key)
        if value is not None and (type(value) not in NUMBER or not 0 <= value < math.inf):
            return False
    low, cap = arc.get("min_flow_t"), arc.get("capacity_t")
    return low is None or cap is None or low <= cap


def _check_arc(check: _Checker, i: int, arc: dict, supplies: dict, demands: dict):
    """Record every problem of an arc; answer its (supply, demand) when both are texts."""
    where = _("arc #%(i)d") % {"i": i}
    s, d = check.ident(arc, "supply", where), check.ident(arc, "demand", where)
    if s is not None and d is not None:
        where = _("arc %(supply)s → %(demand)s") % {"supply": s, "demand": d}
    if s is not None and s not in supplies:
        check.add(_("%(where)s: unknown supply “%(id)s”.") % {"where": where, "id": s})
    if d is not None and d not in demands:
        check.add(_("%(where)s: unknown demand “%(id)s”.") % {"where": where, "id": d})
    ms, md = supplies.get(s), demands.get(d)
    if ms is not None and md is not None and ms != md:
        check.add(
            _("%(where)s: the supply is %(supply)s but the demand is %(demand)s (an arc joins one material).")
            % {"where": where, "supply": ms, "demand": md}
        )
    if "cost_per_t" in arc:
        check.number(arc, "cost_per_t", where)
    elif "distance_km" in arc:
        check.number(arc, "distance_km", where)
    else:
        check.add(_("%(where)s: give “cost_per_t” or “distance_km”.") % {"where": where})
    cap = check.number(arc, "capacity_t", where, required=False, nullable=True)
    check.number(arc, "fixed_cost", where, required=False, nullable=True)
    low = check.number(arc, "min_flow_t", where, required=False, nullable=True)
    if cap is not None and low is not None and low > cap:
        check.add(
            _("%(where)s: the minimum flow %(low)s t exceeds the capacity %(cap)s t.")
            % {"where": where, "low": low, "cap": cap}
        )
    return (s, d) if s is not None and d is not None else None


def _validate(scenario) -> tuple[list[str], dict | None]:
    """The problems of ``scenario``, and its arcs read into arrays (when it has arcs)."""
    check = _Checker()
    if not isinstance(scenario, dict):
        return [_("The scenario must be a JSON object with materials, supplies, demands and (optionally) arcs.")], None
    codes: set = set()
    counts = Counter()
    for i, item in check.items(scenario, "materials"):
        code = check.ident(item, "code", _("material #%(i)d") % {"i": i})
        where = _("material “%(code)s”") % {"code": code} if code else _("material #%(i)d") % {"i": i}
        if code is not None:
            codes.add(code)
            counts[code] += 1
        check.number(item, "disposal_cost_per_t", where)
        check.number(item, "virgin_price_per_t", where)
        check.number(item, "transport_cost_per_t_km", where, required=False)
        check.number(item, "co2_avoided_t_per_t", where, required=False)
    for code, n in counts.items():
        if n > 1:
            check.add(_("material “%(code)s” is listed %(n)d times.") % {"code": code, "n": n})
    supplies = _check_parties(check, scenario, "supplies", _("supply"), "purity", codes)
    demands = _check_parties(check, scenario, "demands", _("demand"), "min_purity", codes)

    arcs = None
    if "arcs" in scenario:
        if isinstance(scenario["arcs"], list):
            listed = scenario.get("materials") if isinstance(scenario.get("materials"), list) else []
            tc = {m.get("code"): m.get("transport_cost_per_t_km") for m in listed if isinstance(m, dict)}
            arcs = _read_arcs(check, scenario["arcs"], supplies, demands, tc)
        else:
            check.add(_("“%(key)s” must be a list.") % {"key": "arcs"})
    return check.problems, arcs


def validate(scenario) -> list[str]:
    """Every problem of ``scenario`` (empty when the optimiser can take it), one sentence each."""
    return _validate(scenario)[0]


def _read_arcs(check: _Checker, arcs: list, supplies: dict, demands: dict, tc: dict) -> dict:
    """Check the arcs and read them into arrays in one pass. A million well-formed arcs take the fast path: a
    few dict look-ups each, no message built; any other arc is checked key by key (:func:`_check_arc`)."""
    s_ids, s_mat = list(supplies), list(supplies.values())
    d_ids, d_mat = list(demands), list(demands.values())
    s_index = {ident: i for i, ident in enumerate(s_ids)}
    d_index = {ident: j for j, ident in enumerate(d_ids)}
    si: list[int] = []
    di: list[int] = []
    cost: list[float] = []
    extra: list[tuple[int, dict]] = []
    inf = math.inf
    for n, arc in enumerate(arcs, 1):
        try:
            i, j, c = s_index[arc["supply"]], d_index[arc["demand"]], arc["cost_per_t"]
        except (KeyError, TypeError):
            i = j = c = None
        if (
            i is not None
            and s_mat[i] is not None
            and s_mat[i] == d_mat[j]
            and (type(c) is int or type(c) is float)
            and 0 <= c < inf
            and (len(arc) == 3 or _optional_ok(arc))
        ):
            if len(arc) > 3:
                extra.append((len(si), arc))
            si.append(i)
            di.append(j)
            cost.append(c)
            continue
        if not isinstance(arc, dict):
            check.add(_("%(key)s #%(i)d must be an object.") % {"key": "arcs", "i": n})
            continue
        before = len(check.problems)
        _check_arc(check, n, arc, supplies, demands)
        if len(check.problems) == before:  # a well-formed arc that gives its distance
            i, j = s_index[arc["supply"]], d_index[arc["demand"]]
            extra.append((len(si), arc))
            si.append(i)
            di.append(j)
            cost.append(arc["cost_per_t"] if "cost_per_t" in arc else (tc.get(s_mat[i]) or 0) * arc["distance_km"])
    si_a, di_a = np.array(si, dtype=np.int64), np.array(di, dtype=np.int64)
    if len(si_a):
        keys, counts = np.unique(si_a * len(d_ids) + di_a, return_counts=True)
        for key, count in zip(keys[counts > 1].tolist(), counts[counts > 1].tolist(), strict=True):
            s, d = s_ids[key // len(d_ids)], d_ids[key % len(d_ids)]
            check.add(_("arc %(supply)s → %(demand)s is listed %(n)d times.") % {"supply": s, "demand": d, "n": count})
    m = len(si)
    cap, fixed, low = np.full(m, np.inf), np.zeros(m), np.zeros(m)
    for k, arc in extra:
        if arc.get("capacity_t") is not None:
            cap[k] = arc["capacity_t"]
        fixed[k] = arc.get("fixed_cost") or 0.0
        low[k] = arc.get("min_flow_t") or 0.0
    return {"si": si_a, "di": di_a, "cost": np.array(cost, dtype=float), "cap": cap, "fixed": fixed, "low": low}


# --- The model --------------------------------------------------------------------------------------------------


def _coords(parties: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    lat = np.array([p["lat"] if p.get("lat") is not None else np.nan for p in parties], dtype=float)
    lon = np.array([p["lon"] if p.get("lon") is not None else np.nan for p in parties], dtype=float)
    return lat, lon


class _Model:
    """The scenario as arrays: supplies, demands and the arcs that may carry something."""

    def __init__(self, scenario: dict, arcs: dict | None):
        materials = {m["code"]: m for m in scenario["materials"]}
        self.materials = materials
        supplies, demands = scenario["supplies"], scenario["demands"]
        self.supply_ids = [s["id"] for s in supplies]
        self.demand_ids = [d["id"] for d in demands]
        self.s_material = [s["material"] for s in supplies]
        self.d_material = [d["material"] for d in demands]
        self.q_s = np.array([s["quantity_t"] for s in supplies], dtype=float)
        self.q_d = np.array([d["quantity_t"] for d in demands], dtype=float)
        self.disposal = np.array([materials[m]["disposal_cost_per_t"] for m in self.s_material], dtype=float)
        self.virgin = np.array([materials[m]["virgin_price_per_t"] for m in self.d_material], dtype=float)
        purity = np.array([s.get("purity", 1.0) if s.get("purity") is not None else 1.0 for s in supplies])
        min_purity = np.array([d.get("min_purity") or 0.0 for d in demands], dtype=float)
        tc = {code: float(m.get("transport_cost_per_t_km") or 0.0) for code, m in materials.items()}
        if arcs is not None:
            for name, values in arcs.items():
                setattr(self, name, values)
        else:
            self._generated_arcs(supplies, demands, tc)
        keep = purity[self.si] >= min_purity[self.di] - EPS
        keep &= self.cap > EPS
        # An arc whose minimum flow exceeds what either end holds can never carry anything.
        keep &= self.low <= np.minimum(self.q_s[self.si], self.q_d[self.di]) + EPS
        for name in ("si", "di", "cost", "cap", "fixed", "low"):
            setattr(self, name, getattr(self, name)[keep])
        self.m = len(self.si)
        self.pure = not (np.any(self.fixed > 0) or np.any(self.low > 0))
        self.scale = self._integer_scale()

    def _integer_scale(self) -> tuple[int, int] | None:
        """(tonnes, yuan) factors that make every quantity and price an integer — 1 or 1000 (kg), 1 or 100 (fen) —
        within int64 for the min-cost flow; None when there are none (then the data are left to the LP)."""
        quantities = np.concatenate([self.q_s, self.q_d, self.cap[np.isfinite(self.cap)]])
        prices = np.concatenate([self.cost, self.disposal, self.virgin])

        def factor(values: np.ndarray, options: tuple[int, ...]) -> int | None:
            for f in options:
                scaled = values * f
                if np.all(np.abs(scaled - np.round(scaled)) <= 1e-6 * np.maximum(1.0, np.abs(scaled))):
                    return f
            return None

        fq, fp = factor(quantities, (1, 1000)), factor(prices, (1, 100))
        if fq is None or fp is None:
            return None
        most_flow = (self.q_s.sum() + self.q_d.sum()) * fq
        dearest = float(prices.max(initial=0.0)) * fp
        return (fq, fp) if most_flow * max(dearest, 1.0) < 2.0**62 else None

    def _generated_arcs(self, supplies: list[dict], demands: list[dict], tc: dict) -> None:
        s_lat, s_lon = _coords(supplies)
        d_lat, d_lon = _coords(demands)
        s_mat, d_mat = np.array(self.s_material, dtype=object), np.array(self.d_material, dtype=object)
        parts = []
        for code in set(self.s_material) & set(self.d_material):
            si = np.flatnonzero(s_mat == code)
            di = np.flatnonzero(d_mat == code)
            si, di = np.repeat(si, len(di)), np.tile(di, len(si))
            distance = haversine_km_arrays(s_lat[si], s_lon[si], d_lat[di], d_lon[di])
            if tc[code] == 0:
                cost = np.zeros(len(si))
            else:
                known = ~np.isnan(distance)
                si, di, cost = si[known], di[known], tc[code] * distance[known]
            parts.append((si, di, cost))
        if parts:
            self.si = np.concatenate([p[0] for p in parts])
            self.di = np.concatenate([p[1] for p in parts])
            self.cost = np.concatenate([p[2] for p in parts])
        else:
            self.si = self.di = np.zeros(0, dtype=np.int64)
            self.cost = np.zeros(0)
        # Round generated costs to the fen: the data then stay integral when the inputs are.
        self.cost = np.round(self.cost, 2)
        self.cap = np.full(len(self.si), np.inf)
        self.fixed = np.zeros(len(self.si))
        self.low = np.zeros(len(self.si))

    def upper(self) -> np.ndarray:
        """Each arc's upper bound: its capacity, or what its two ends hold."""
        return np.minimum(self.cap, np.minimum(self.q_s[self.si], self.q_d[self.di]))


def _min_cost_flow(tails, heads, caps, costs, supplies, m) -> np.ndarray | None:
    """OR-Tools' min-cost flow on integer arrays; the flows of the first ``m`` arcs (None unless optimal)."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    return flow.flows(np.arange(m, dtype=np.int32)).astype(float)


def _solve_min_cost_flow(model: _Model) -> np.ndarray | None:
    """Integer data: OR-Tools' min-cost flow. Nodes: supplies, demands, a virgin source and a disposal sink.

    OR-Tools and highspy each ship a ``libhighs.so.1`` of a different HiGHS version; the dynamic loader keeps
    the first one loaded, so the two cannot live in one process. The flow runs in a fresh (spawned) process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    fq, fp = model.scale
    ns, nd = len(model.q_s), len(model.q_d)
    virgin_node, disposal_node = ns + nd, ns + nd + 1
    q_s, q_d = np.round(model.q_s * fq), np.round(model.q_d * fq)
    total_s, total_d = int(q_s.sum()), int(q_d.sum())
    tails = np.concatenate([model.si, np.arange(ns), np.full(nd, virgin_node), [virgin_node]])
    heads = np.concatenate([ns + model.di, np.full(ns, disposal_node), ns + np.arange(nd), [disposal_node]])
    caps = np.concatenate([np.round(model.upper() * fq), q_s, q_d, [min(total_s, total_d)]])
    costs = np.round(np.concatenate([model.cost, model.disposal, model.virgin, [0]]) * fp)
    supplies = np.concatenate([q_s, -q_d, [total_d, -total_s]]).astype(np.int64)
    args = (tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs.astype(np.int64))
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        x = pool.submit(_min_cost_flow, *args, supplies, model.m).result()
    return None if x is None else x / fq


def _solve_highs(model: _Model) -> np.ndarray | None:
    """HiGHS: the LP of the transportation problem, or the MILP with on/off variables for the arcs that have a
    fixed cost or a minimum flow. Columns: x (m arcs), d (supplies), p (demands), y (k flagged arcs)."""
    import highspy

    m, ns, nd = model.m, len(model.q_s), len(model.q_d)
    flagged = np.flatnonzero((model.fixed > 0) | (model.low > 0))
    k = len(flagged)
    upper = model.upper()
    n_col = m + ns + nd + k
    cost = np.concatenate([model.cost, model.disposal, model.virgin, model.fixed[flagged]])
    col_lower = np.zeros(n_col)
    col_upper = np.concatenate([upper, np.full(ns + nd, np.inf), np.ones(k)])
    # Rows: supplies, demands (equalities), then per flagged arc x − U·y ≤ 0 and x − L·y ≥ 0.
    n_row = ns + nd + 2 * k
    row_lower = np.concatenate([model.q_s, model.q_d, np.full(k, -np.inf), np.zeros(k)])
    row_upper = np.concatenate([model.q_s, model.q_d, np.zeros(k), np.full(k, np.inf)])
    # Column-wise: x_j has 2 entries (its supply row, its demand row) plus 2 for a flagged arc; d, p one; y two.
    per_x = np.full(m, 2, dtype=np.int64)
    per_x[flagged] += 2
    lengths = np.concatenate([per_x, np.ones(ns + nd, dtype=np.int64), np.full(k, 2, dtype=np.int64)])
    start = np.concatenate([[0], np.cumsum(lengths)])
    nnz = int(start[-1])
    index = np.empty(nnz, dtype=np.int32)
    value = np.ones(nnz)
    xs = start[:m]
    index[xs] = model.si
    index[xs + 1] = ns + model.di
    rows_le, rows_ge = ns + nd + np.arange(k), ns + nd + k + np.arange(k)
    index[xs[flagged] + 2] = rows_le
    index[xs[flagged] + 3] = rows_ge
    index[start[m : m + ns + nd]] = np.arange(ns + nd)
    ys = start[m + ns + nd : n_col]
    index[ys], value[ys] = rows_le, -upper[flagged]
    index[ys + 1], value[ys + 1] = rows_ge, -model.low[flagged]
    integrality = np.concatenate([np.zeros(m + ns + nd), np.ones(k)]).astype(np.int32)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    col_upper[np.isinf(col_upper)] = inf
    row_lower[np.isinf(row_lower)] = -inf
    row_upper[np.isinf(row_upper)] = inf
    h.passModel(
        n_col,
        n_row,
        nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        cost,
        col_lower,
        col_upper,
        row_lower,
        row_upper,
        start[:-1].astype(np.int32),
        index,
        value,
        integrality,  # always n_col long: HiGHS reads that many values even for an LP
    )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x = np.asarray(h.getSolution().col_value[:m], dtype=float)
    return np.clip(x, 0.0, None)


def solve(scenario: dict) -> dict:
    """Solve ``scenario`` (raises :class:`ScenarioError` when it is invalid); see the module's docstring."""
    problems, arcs = _validate(scenario)
    if problems:
        raise ScenarioError(problems)
    started = time.perf_counter()
    model = _Model(scenario, arcs)
    if model.m == 0:
        solver, x = "none", np.zeros(0)
    elif model.pure and model.scale is not None and model.m >= BIG:
        solver, x = "ortools-min-cost-flow", _solve_min_cost_flow(model)
        if x is None:  # not expected (the data are checked to fit): let the LP answer
            solver, x = "highs-lp", _solve_highs(model)
    elif model.pure:
        solver, x = "highs-lp", _solve_highs(model)
    else:
        solver, x = "highs-mip", _solve_highs(model)
    seconds = time.perf_counter() - started
    baseline = float(model.q_s @ model.disposal + model.q_d @ model.virgin)
    if x is None:
        return {
            "status": "infeasible",
            "total_cost": None,
            "baseline_cost": round(baseline, 6),
            "savings": None,
            "flows": [],
            "disposed": [],
            "purchased": [],
            "co2_avoided_t": 0.0,
            "solver": solver,
            "solve_seconds": round(seconds, 6),
        }
    x[x <= EPS] = 0.0
    shipped_s = np.bincount(model.si, weights=x, minlength=len(model.q_s))
    shipped_d = np.bincount(model.di, weights=x, minlength=len(model.q_d))
    disposed = np.clip(model.q_s - shipped_s, 0.0, None)
    purchased = np.clip(model.q_d - shipped_d, 0.0, None)
    used = x > EPS
    total = float(model.cost @ x + model.fixed[used].sum() + model.disposal @ disposed + model.virgin @ purchased)
    co2 = {code: float(m.get("co2_avoided_t_per_t") or 0.0) for code, m in model.materials.items()}
    co2_per_t = np.array([co2[model.s_material[i]] for i in range(len(model.q_s))])
    co2_avoided = float(shipped_s @ co2_per_t) if len(model.q_s) else 0.0
    order = np.flatnonzero(used)
    flows = [
        {
            "supply": model.supply_ids[model.si[j]],
            "demand": model.demand_ids[model.di[j]],
            "quantity_t": round(float(x[j]), 6),
        }
        for j in order
    ]
    return {
        "status": "optimal",
        "total_cost": round(total, 6),
        "baseline_cost": round(baseline, 6),
        "savings": round(baseline - total, 6),
        "flows": flows,
        "disposed": [
            {"supply": model.supply_ids[i], "quantity_t": round(float(disposed[i]), 6)}
            for i in np.flatnonzero(disposed > EPS)
        ],
        "purchased": [
            {"demand": model.demand_ids[i], "quantity_t": round(float(purchased[i]), 6)}
            for i in np.flatnonzero(purchased > EPS)
        ],
        "co2_avoided_t": round(co2_avoided, 6),
        "solver": solver,
        "solve_seconds": round(seconds, 6),
    }


# --- The zone's scenario ----------------------------------------------------------------------------------------


def _number(value) -> float:
    return float(value) if isinstance(value, Decimal) else value


def scenario_from_zone(*, year: int, user=None, chain=None) -> dict:
    """The zone's scenario of ``year`` (what ``user`` may see; everything for the system): supplies are the
    by-product flows, and the waste flows of a material some enterprise takes as input (id ``s-<flow id>``);
    demands are the input flows of a material on offer (id ``d-<flow id>``, the input's purity as its minimum);
    arcs join each supply to each demand of its material, costed at the material's transport cost × the distance
    between the centroids of the two enterprises' parcels — or, when either has no located parcel, the distance of
    the exchange that exists between them that year; a pair with neither gets no arc. ``chain``: an industry chain
    (or its code) — only its materials."""
    from hitechzone.zone.models import Parcel

    from .models import Exchange, Flow

    flows = Flow.objects.for_user(user) if user is not None else Flow.objects.all()
    flows = flows.filter(year=year).select_related("material", "enterprise")
    if chain is not None:
        flows = flows.filter(material__chains__code=getattr(chain, "code", chain))
    flows = list(flows.order_by("material__code", "id"))
    inputs = {f.material_id for f in flows if f.role == Flow.Role.INPUT}
    offered = [
        f for f in flows if f.role == Flow.Role.BYPRODUCT or (f.role == Flow.Role.WASTE and f.material_id in inputs)
    ]
    offered_materials = {f.material_id for f in offered}
    wanted = [f for f in flows if f.role == Flow.Role.INPUT and f.material_id in offered_materials]

    enterprise_ids = {f.enterprise_id for f in offered + wanted}
    centroids: dict[int, tuple[float, float]] = {}
    sums: dict[int, list[float]] = {}
    located = Parcel.objects.filter(
        enterprise_id__in=enterprise_ids, latitude__isnull=False, longitude__isnull=False
    ).values_list("enterprise_id", "latitude", "longitude")
    for eid, lat, lon in located:
        acc = sums.setdefault(eid, [0.0, 0.0, 0])
        acc[0] += float(lat)
        acc[1] += float(lon)
        acc[2] += 1
    for eid, (lat, lon, n) in sums.items():
        centroids[eid] = (lat / n, lon / n)
    known = {
        (e.supplier_id, e.receiver_id, e.material_id): float(e.distance_km)
        for e in Exchange.objects.filter(year=year, material_id__in=offered_materials)
    }

    materials = {}
    for f in offered + wanted:
        m = f.material
        materials.setdefault(
            m.code,
            {
                "code": m.code,
                "name": m.name,
                "disposal_cost_per_t": _number(m.disposal_cost_yuan_per_t),
                "virgin_price_per_t": _number(m.virgin_price_yuan_per_t),
                "transport_cost_per_t_km": _number(m.transport_cost_yuan_per_t_km),
                "co2_avoided_t_per_t": _number(m.co2_avoided_t_per_t),
            },
        )

    def party(f, purity_key: str, prefix: str) -> dict:
        item = {
            "id": f"{prefix}-{f.pk}",
            "material": f.material.code,
            "quantity_t": _number(f.quantity_t),
            purity_key: _number(f.purity),
            "enterprise": f.enterprise.uscc,
            "enterprise_name": f.enterprise.name,
        }
        if f.enterprise_id in centroids:
            item["lat"], item["lon"] = (round(c, 6) for c in centroids[f.enterprise_id])
        return item

    arcs = []
    for s in offered:
        for d in wanted:
            if s.material_id != d.material_id:
                continue
            if s.enterprise_id == d.enterprise_id:
                distance = 0.0
            elif s.enterprise_id in centroids and d.enterprise_id in centroids:
                a, b = centroids[s.enterprise_id], centroids[d.enterprise_id]
                distance = float(haversine_km_arrays(a[0], a[1], b[0], b[1]))
            elif (s.enterprise_id, d.enterprise_id, s.material_id) in known:
                distance = known[(s.enterprise_id, d.enterprise_id, s.material_id)]
            else:
                continue
            tc = materials[s.material.code]["transport_cost_per_t_km"]
            arcs.append(
                {
                    "supply": f"s-{s.pk}",
                    "demand": f"d-{d.pk}",
                    "distance_km": round(distance, 3),
                    "cost_per_t": round(tc * distance, 2),
                }
            )
    return {
        "year": year,
        "materials": list(materials.values()),
        "supplies": [party(f, "purity", "s") for f in offered],
        "demands": [party(f, "min_purity", "d") for f in wanted],
        "arcs": arcs,
    }


# --- The write ---------------------------------------------------------------------------------------------------


def can_run(user) -> bool:
    """Administrators, leaders, department staff and service officers run the optimiser (officers for what-if
    planning; they see their own runs); enterprises and experts do not. ``None`` is the system."""
    from .roles import OPTIMISE_ROLES, effective_role  # not at the top: the solver's worker processes import this

    return user is None or effective_role(user) in OPTIMISE_ROLES


def run_optimization(*, by, scenario: dict, name: str = "", year: int | None = None):
    """Validate ``scenario``, solve it and store the run (who, when, input, output, solver and its time). An
    invalid scenario raises :class:`ScenarioError` and stores nothing; a user who may not run the optimiser gets
    :class:`~hitechzone.common.rules.Refused`."""
    from .models import OptimizationRun

    require(can_run(by), _("Only the zone's staff and service officers run the exchange optimiser."))
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise Refused(_("The year must be a whole number."))
    result = solve(scenario)
    with transaction.atomic():
        return OptimizationRun.objects.create(
            name=(name or "")[:100],
            year=year,
            scenario=scenario,
            result=result,
            status=result["status"],
            solver=result["solver"],
            solve_seconds=result["solve_seconds"],
            created_by=by,
        )
