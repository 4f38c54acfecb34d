#!/usr/bin/env python
"""Issue 7's optimiser benchmark: ``hitechzone.circular.optimize.solve`` on a zone-sized scenario and on a
1,000 × 1,000 pure allocation, against networkx's min-cost flow on the same pure scenario.

    .venv/bin/python bench/circular_optimize.py [--n 1000] [--repeat 3] [--nx-repeat 1] [--highs-lp]

Seeded random data, no database:

- *zone*: 6 materials, 30 supplies and 60 demands scattered over a 10 km × 10 km zone (coordinates), arcs for
  the pairs of a material within reach (≈ 300), transport 0.5–2 yuan/t·km, capacities on a third of the arcs,
  fixed costs (a pipeline) on a fifth and minimum flows on a tenth: a MILP (HiGHS). Also its pure variant (no
  fixed cost, no minimum flow; costs in fen, so an LP).
- *pure*: ``--n`` supplies and ``--n`` demands of one material, every pair an arc (1,000,000 arcs), integer
  quantities 10–199 t, integer costs 1–99 yuan/t, disposal 60 and virgin 80 yuan/t: integral data, so OR-Tools'
  min-cost flow.

Times ``solve`` end to end (validation, arrays, solver, result: median of ``--repeat``) and reports its
``solve_seconds`` (the solver alone); times ``networkx.min_cost_flow`` and ``networkx.network_simplex`` on the
pure scenario (graph construction timed apart) and checks that the objectives are equal. ``--highs-lp`` also
times HiGHS' LP simplex on the pure scenario (what a non-integral 1,000 × 1,000 scenario gets).
Targets: zone < 0.2 s, pure 1,000 × 1,000 < 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def zone_scenario(seed: int = 7, pure: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    codes = ["hcl", "h2", "naoh", "fluorogypsum", "ch3cl", "h2so4"]
    materials = [
        {
            "code": c,
            "disposal_cost_per_t": int(rng.integers(50, 900)),
            "virgin_price_per_t": int(rng.integers(300, 3000)),
            "transport_cost_per_t_km": round(float(rng.uniform(0.5, 2.0)), 2),
            "co2_avoided_t_per_t": round(float(rng.uniform(0, 1)), 3),
        }
        for c in codes
    ]

    def party(kind: str, i: int) -> dict:
        return {
            "id": f"{kind}{i}",
            "material": codes[i % len(codes)],
            "quantity_t": int(rng.integers(100, 5000)),
            "lat": round(30.0 + float(rng.uniform(0, 0.09)), 6),
            "lon": round(120.0 + float(rng.uniform(0, 0.1)), 6),
        }

    supplies = [party("s", i) for i in range(30)]
    demands = [party("d", i) for i in range(60)]
    for s in supplies:
        s["purity"] = round(float(rng.uniform(0.9, 1.0)), 3)
    for d in demands:
        d["min_purity"] = round(float(rng.uniform(0.85, 0.97)), 3)
    tc = {m["code"]: m["transport_cost_per_t_km"] for m in materials}
    arcs = []
    for s in supplies:
        for d in demands:
            if s["material"] != d["material"]:
                continue
            arc = {
                "supply": s["id"],
                "demand": d["id"],
                "cost_per_t": round(tc[s["material"]] * float(rng.uniform(1, 12)), 2),
            }
            if not pure:
                r = rng.random()
                if r < 0.33:
                    arc["capacity_t"] = int(rng.integers(200, 3000))
                if r > 0.8:
                    arc["fixed_cost"] = int(rng.integers(10_000, 400_000))
                if r > 0.9:
                    arc["min_flow_t"] = int(rng.integers(50, 150))
            arcs.append(arc)
    return {"materials": materials, "supplies": supplies, "demands": demands, "arcs": arcs}


def pure_arrays(n: int, seed: int = 5):
    rng = np.random.default_rng(seed)
    return rng.integers(10, 200, n), rng.integers(10, 200, n), rng.integers(1, 100, (n, n))


def pure_scenario(q_s, q_d, cost) -> dict:
    n = len(q_s)
    s_ids, d_ids = [f"s{i}" for i in range(n)], [f"d{j}" for j in range(n)]
    rows = cost.tolist()
    return {
        "materials": [{"code": "m", "disposal_cost_per_t": 60, "virgin_price_per_t": 80}],
        "supplies": [{"id": s_ids[i], "material": "m", "quantity_t": int(q_s[i])} for i in range(n)],
        "demands": [{"id": d_ids[j], "material": "m", "quantity_t": int(q_d[j])} for j in range(n)],
        "arcs": [
            {"supply": s_ids[i], "demand": d_ids[j], "cost_per_t": rows[i][j]} for i in range(n) for j in range(n)
        ],
    }


def nx_graph(q_s, q_d, cost):
    import networkx as nx

    n = len(q_s)
    g = nx.DiGraph()
    total_s, total_d = int(q_s.sum()), int(q_d.sum())
    for i in range(n):
        g.add_node(("s", i), demand=-int(q_s[i]))
        g.add_node(("d", i), demand=int(q_d[i]))
    g.add_node("virgin", demand=-total_d)
    g.add_node("disposal", demand=total_s)
    rows = cost.tolist()
    g.add_edges_from(
        (("s", i), ("d", j), {"weight": rows[i][j], "capacity": min(int(q_s[i]), int(q_d[j]))})
        for i in range(n)
        for j in range(n)
    )
    g.add_edges_from((("s", i), "disposal", {"weight": 60, "capacity": int(q_s[i])}) for i in range(n))
    g.add_edges_from(("virgin", ("d", j), {"weight": 80, "capacity": int(q_d[j])}) for j in range(n))
    g.add_edge("virgin", "disposal", weight=0, capacity=min(total_s, total_d))
    return g


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nx-repeat", type=int, default=1)
    parser.add_argument("--highs-lp", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")
    import django

    django.setup()
    import networkx as nx

    from hitechzone.circular import optimize

    print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; CPUs: {os.cpu_count()}")
    rows = []
    for label, sc in (
        ("zone, fixed costs and minimum flows", zone_scenario()),
        ("zone, pure", zone_scenario(pure=True)),
    ):
        optimize.solve(sc)  # warm-up: imports
        med, lo, hi, r = timed(lambda sc=sc: optimize.solve(sc), args.repeat)
        rows.append((label, len(sc["arcs"]), r["solver"], r["solve_seconds"], med, lo, hi, r["total_cost"]))

    q_s, q_d, cost = pure_arrays(args.n)
    t = time.perf_counter()
    sc = pure_scenario(q_s, q_d, cost)
    build_json = time.perf_counter() - t
    med, lo, hi, r = timed(lambda sc=sc: optimize.solve(sc), args.repeat)
    ours = r["total_cost"]
    rows.append((f"pure {args.n:,} × {args.n:,}", len(sc["arcs"]), r["solver"], r["solve_seconds"], med, lo, hi, ours))
    if args.highs_lp:
        model = optimize._Model(sc, optimize._validate(sc)[1])
        t = time.perf_counter()
        x = optimize._solve_highs(model)
        lp_s = time.perf_counter() - t
        shipped_s = np.bincount(model.si, weights=x, minlength=args.n)
        shipped_d = np.bincount(model.di, weights=x, minlength=args.n)
        lp_cost = float(model.cost @ x + 60 * (q_s - shipped_s).sum() + 80 * (q_d - shipped_d).sum())
        rows.append(
            (
                f"pure {args.n:,} × {args.n:,}, HiGHS LP simplex only",
                model.m,
                "highs-lp",
                lp_s,
                None,
                None,
                None,
                lp_cost,
            )
        )
    del sc

    t = time.perf_counter()
    g = nx_graph(q_s, q_d, cost)
    nx_build = time.perf_counter() - t
    med_ns, lo_ns, hi_ns, (ns_cost, _flow) = timed(lambda: nx.network_simplex(g), args.nx_repeat)
    rows.append(
        (
            f"networkx.network_simplex (graph built in {nx_build:.1f} s)",
            g.number_of_edges(),
            "networkx",
            None,
            med_ns,
            lo_ns,
            hi_ns,
            float(ns_cost),
        )
    )
    med_mc, lo_mc, hi_mc, flow = timed(lambda: nx.min_cost_flow(g), args.nx_repeat)
    mc_cost = float(nx.cost_of_flow(g, flow))
    rows.append(("networkx.min_cost_flow", g.number_of_edges(), "networkx", None, med_mc, lo_mc, hi_mc, mc_cost))

    def f(x, digits=3):
        return "" if x is None else f"{x:.{digits}f}"

    print(f"\nscenario JSON of the pure case built in {build_json:.1f} s (not timed)\n")
    print("| scenario | arcs | solver | solver s | solve s (median) | fastest | slowest | objective (yuan) |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for label, m, solver, ss, med, lo, hi, obj in rows:
        print(f"| {label} | {m:,} | {solver} | {f(ss)} | {f(med)} | {f(lo)} | {f(hi)} | {obj:,.2f} |")
    equal = abs(ours - ns_cost) < 1e-6 and abs(ours - mc_cost) < 1e-6
    print(f"\nobjectives equal (ours, network_simplex, min_cost_flow): {equal}")
    print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
