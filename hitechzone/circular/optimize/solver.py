"""The model and its solvers: HiGHS (LP or MIP), OR-Tools' min-cost flow for large pure problems."""

from __future__ import annotations

import time

import numpy as np

from hitechzone.common.geo import haversine_km_arrays

from .validate import EPS, ScenarioError, _validate

BIG = 50_000  # arcs: from here, pure problems in whole kg and fen go to OR-Tools' min-cost flow

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
