"""A straightforward per-row implementation of the same scheme: dicts and loops, no numpy.

The baseline issue 6 wants the kernel benchmarked against, and the oracle the kernel's property test
compares with. ``evaluate(rows, scheme)``: ``rows`` is a list of dicts with ``uscc``, the figures (float,
``None`` or NaN = missing), ``above_scale``, ``exempt`` and ``veto``; returns one dict per row (same order)
with ``group``, ``values``, ``subscores``, ``score`` (None when excluded), ``class`` ("" when excluded) and
``rank`` (0 when excluded). Same decisions as ``kernel.py`` (see its docstring).
"""

from __future__ import annotations

import math

from hitechzone.evaluation.kernel import ABOVE, BELOW, DEFAULT_SCHEME, EXCLUDED, Scheme, class_counts


def _missing(x) -> bool:
    return x is None or x != x


def _get(scheme: Scheme, row: dict, name: str):
    q = scheme.quantity(name)
    if q is None:
        x = row.get(name)
        return None if _missing(x) else float(x)
    total, present, absent = 0.0, False, False
    for t in q.terms:
        x = row.get(t.figure)
        if _missing(x):
            absent = True
        else:
            present = True
            total = total + float(x) * t.scale / t.divisor
    if (q.missing == "all" and not present) or (q.missing == "any" and absent):
        return None
    return total


def _mean(xs: list[float]) -> float | None:
    return math.fsum(xs) / len(xs) if xs else None


def evaluate(rows: list[dict], scheme: Scheme = DEFAULT_SCHEME) -> list[dict]:
    out = []
    for row in rows:
        land = row.get(scheme.scope.land_figure)
        above = bool(row.get("above_scale"))
        excluded = (
            _missing(land)  # no data for the year
            or land <= 0
            or (not above and land < scheme.scope.min_land_below_scale)  # 规下 below 3 亩
            or (scheme.scope.exclude_exempt and bool(row.get("exempt")))
        )
        group = EXCLUDED if excluded else ABOVE if above else BELOW
        vetoed = group != EXCLUDED and bool(row.get("veto"))
        out.append(
            {
                "uscc": row["uscc"],
                "group": group,
                "vetoed": vetoed,
                "values": {},
                "subscores": {},
                "score": None,
                "class": "",
                "rank": 0,
            }
        )

    for g in scheme.groups:
        members = [r for r in out if r["group"] == g.key]
        rows_of = [rows[i] for i, r in enumerate(out) if r["group"] == g.key]
        for ind in g.indicators:
            values = []
            for row, r in zip(rows_of, members, strict=True):
                num = _get(scheme, row, ind.numerator)
                den = _get(scheme, row, ind.denominator)
                value = None if num is None or den is None or den <= 0 else num / den
                if value is not None and not math.isfinite(value):
                    value = None
                r["values"][ind.key] = value
                if value is not None:
                    values.append(value)
            bench = _mean(values)
            subs = []
            for r in members:
                value = r["values"][ind.key]
                if value is None:
                    continue
                if bench is not None and bench > 0:
                    sub = ind.weight * max(0.0, value / bench)
                    if scheme.cap is not None:
                        sub = min(sub, ind.weight * scheme.cap)
                else:
                    sub = 0.0
                r["subscores"][ind.key] = sub
                subs.append(sub)
            fill = _mean(subs)
            for r in members:
                if r["values"][ind.key] is None:
                    r["subscores"][ind.key] = 0.0 if fill is None else fill
        for r in members:
            score = 0.0
            for ind in g.indicators:
                score = score + r["subscores"][ind.key]
            r["score"] = score

        def key(r, tie=g.tie_indicator):
            t = r["values"].get(tie)
            return (r["vetoed"], -r["score"], t is None, 0.0 if t is None else -t, r["uscc"])

        members.sort(key=key)
        counted = [r for r in members if not r["vetoed"]]
        c = class_counts(scheme.classes, len(counted))
        for pos, r in enumerate(members, start=1):
            r["rank"] = pos
        labels = ["A"] * c["A"] + ["B"] * c["B"] + ["C"] * c["C"] + ["D"] * c["D"]
        for r, label in zip(counted, labels, strict=True):
            r["class"] = label
        for r in members:
            if r["vetoed"]:
                r["class"] = scheme.classes.veto_class
    return out
