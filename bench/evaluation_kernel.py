#!/usr/bin/env python
"""Issue 6's kernel benchmark: the 亩均 evaluation compute kernel alone, against the per-row reference.

    .venv/bin/python bench/evaluation_kernel.py [--firms 1000000] [--reference-firms 100000] [--repeat 3]

Random province-like yearly data (seeded; no database): a quarter of the firms 规上, lognormal land, tax,
value added, energy, electricity, emissions and employees; 规下 firms mostly without value added, R&D or
emissions, many firms without some figure, ~2 % without land, some 规下 below 3 亩, 1 % exempted, 0.5 %
vetoed. Times ``hitechzone.evaluation.kernel.evaluate`` (default scheme) on ``--firms`` (best and median of
``--repeat`` runs) and ``hitechzone.evaluation.reference.evaluate`` (dicts and loops) on the first
``--reference-firms`` of the same data, checks that both agree there (classes and ranks identical, scores
to 1e-9), and prints a markdown table with the per-firm ratio. Target: ≤ 2 s for the kernel on 1,000,000.
Input conversion (arrays → row dicts) is not timed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hitechzone.evaluation import reference
from hitechzone.evaluation.kernel import evaluate

TARGET_S = 2.0


def make_data(n: int, seed: int = 6) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    above = rng.random(n) < 0.25

    def logn(mean_above: float, mean_below: float, sigma: float = 1.0) -> np.ndarray:
        return np.where(above, mean_above, mean_below) * rng.lognormal(0.0, sigma, n)

    def blank(a: np.ndarray, p_above: float, p_below: float) -> np.ndarray:
        a = a.copy()
        a[rng.random(n) < np.where(above, p_above, p_below)] = np.nan
        return a

    land = np.round(logn(40.0, 8.0, 0.9), 4)
    land[rng.random(n) < 0.02] = np.nan  # no data for the year
    land[rng.random(n) < 0.002] = 0.0
    revenue = logn(20_000.0, 800.0, 1.2)
    data = {
        "land_mu": land,
        "tax_wan_yuan": blank(np.round(revenue * rng.uniform(0.01, 0.08, n), 2), 0.01, 0.05),
        "value_added_wan_yuan": blank(np.round(revenue * rng.uniform(0.15, 0.35, n), 2), 0.02, 0.85),
        "revenue_wan_yuan": blank(np.round(revenue, 2), 0.01, 0.3),
        "rd_spending_wan_yuan": blank(np.round(revenue * rng.uniform(0.0, 0.06, n), 2), 0.1, 0.9),
        "energy_tce": blank(np.round(revenue * rng.uniform(0.02, 0.5, n), 3), 0.03, 0.6),
        "electricity_wan_kwh": blank(np.round(revenue * rng.uniform(0.01, 0.2, n), 3), 0.02, 0.1),
        "cod_t": blank(np.round(logn(5.0, 0.3, 1.5), 3), 0.4, 0.9),
        "ammonia_nitrogen_t": blank(np.round(logn(0.5, 0.03, 1.5), 3), 0.5, 0.95),
        "so2_t": blank(np.round(logn(8.0, 0.2, 1.5), 3), 0.4, 0.9),
        "nox_t": blank(np.round(logn(10.0, 0.3, 1.5), 3), 0.4, 0.9),
        "employees_avg": blank(np.round(logn(300.0, 25.0, 1.0)), 0.02, 0.3),
        "above_scale": above,
        "exempt": rng.random(n) < 0.01,
        "veto": rng.random(n) < 0.005,
    }
    # USCC-like codes, unique: the made-up division 339900 and a shuffled serial
    serial = rng.permutation(n)
    data["uscc"] = np.char.add("91339900", np.char.zfill(serial.astype("U10"), 10))
    return data


def rows_of(data: dict[str, np.ndarray], m: int) -> list[dict]:
    cols = {k: v[:m].tolist() for k, v in data.items()}
    return [dict(zip(cols, vals, strict=True)) for vals in zip(*cols.values(), strict=True)]


def timed(fn, *args):
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--reference-firms", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()

    data = make_data(args.firms, args.seed)
    kernel_times = []
    for _ in range(args.repeat):
        t, result = timed(evaluate, data)
        kernel_times.append(t)
    m = min(args.reference_firms, args.firms)
    small = {k: v[:m] for k, v in data.items()}
    small_times = [timed(evaluate, small)[0] for _ in range(args.repeat)]
    small_result = evaluate(small)
    rows = rows_of(data, m)
    ref_time, ref = timed(reference.evaluate, rows)

    # agreement on the reference's firms
    assert list(small_result.class_) == [r["class"] for r in ref]
    assert list(small_result.rank) == [r["rank"] for r in ref]
    ref_score = np.array([np.nan if r["score"] is None else r["score"] for r in ref])
    assert np.allclose(small_result.score, ref_score, rtol=1e-9, atol=1e-9, equal_nan=True)

    best, median = min(kernel_times), statistics.median(kernel_times)
    small_best = min(small_times)
    per_kernel = best / args.firms * 1e6
    per_ref = ref_time / m * 1e6
    groups = {g: int((result.group == g).sum()) for g in ("above", "below", "excluded")}
    print(f"firms: {args.firms:,} ({', '.join(f'{g} {c:,}' for g, c in groups.items())}); seed {args.seed}\n")
    print("| implementation | firms | time (s) | µs / firm |")
    print("|---|---:|---:|---:|")
    cells = f"{args.firms:,} | {best:.3f} (median {median:.3f}) | {per_kernel:.3f}"
    print(f"| kernel (numpy), best of {args.repeat} | {cells} |")
    print(f"| kernel (numpy), best of {args.repeat} | {m:,} | {small_best:.3f} | {small_best / m * 1e6:.3f} |")
    print(f"| reference (per-row Python) | {m:,} | {ref_time:.3f} | {per_ref:.3f} |")
    print(f"\nper-firm ratio reference / kernel (1M): {per_ref / per_kernel:.0f}×; kernel and reference agree on {m:,}")
    ok = best <= TARGET_S
    print(f"target ≤ {TARGET_S} s for {args.firms:,}: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
