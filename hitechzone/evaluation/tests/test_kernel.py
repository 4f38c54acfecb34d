"""The default scheme (issue 6, Schemes point 2) on small hand-computed cases, and kernel ≡ reference.

Plain pytest, no database. Figures a case leaves out are missing (NaN).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hitechzone.evaluation import reference
from hitechzone.evaluation.kernel import (
    DEFAULT_SCHEME,
    class_counts,
    evaluate,
    next_class_gap,
    round_half_up,
)

FIGURES = (
    "land_mu",
    "tax_wan_yuan",
    "value_added_wan_yuan",
    "revenue_wan_yuan",
    "rd_spending_wan_yuan",
    "energy_tce",
    "electricity_wan_kwh",
    "cod_t",
    "ammonia_nitrogen_t",
    "so2_t",
    "nox_t",
    "employees_avg",
)


def columns(rows: list[dict]) -> dict[str, np.ndarray]:
    data = {f: np.array([float(r.get(f, math.nan)) for r in rows]) for f in FIGURES}
    data["uscc"] = np.array([r["uscc"] for r in rows])
    for flag in ("above_scale", "exempt", "veto"):
        data[flag] = np.array([bool(r.get(flag, False)) for r in rows])
    return data


def below(uscc: str, tax=math.nan, land=10.0, kwh=math.nan, **kw) -> dict:
    return {"uscc": uscc, "tax_wan_yuan": tax, "land_mu": land, "electricity_wan_kwh": kwh, **kw}


def run(rows, scheme=DEFAULT_SCHEME):
    return evaluate(columns(rows), scheme)


# ---- scope ------------------------------------------------------------------------------------------------


def test_scope_rules():
    rows = [
        below("01", land=math.nan, above_scale=True, tax=5),  # no data for Y (no land) → excluded
        below("02", land=0.0, above_scale=True, tax=5),  # land ≤ 0 → excluded
        below("03", land=-1.0, tax=5),  # land < 0 → excluded
        below("04", land=2.9999, tax=5),  # 规下 with land < 3 亩 → excluded
        below("05", land=3.0, tax=6),  # 规下 with exactly 3 亩 → evaluated
        below("06", land=1.0, above_scale=True, tax=5),  # 规上 with < 3 亩 → evaluated
        below("07", land=50.0, tax=5, exempt=True),  # exempted → excluded
        below("08", land=50.0, tax=5, exempt=True, veto=True),  # exempted and vetoed → still excluded
    ]
    r = run(rows)
    assert list(r.group) == ["excluded"] * 4 + ["below", "above", "excluded", "excluded"]
    excluded = r.group == "excluded"
    assert np.isnan(r.score[excluded]).all()
    assert list(r.class_[excluded]) == [""] * 6
    assert list(r.rank[excluded]) == [0] * 6
    assert not r.vetoed.any()
    # 05 alone in 规下: 亩均税收 6/3 = 2 = the benchmark → 50; 单位用电税收 missing, no values → 0. Score 50.
    assert r.score[4] == 50.0
    assert r.rank[4] == 1
    assert r.class_[4] == "C"  # n = 1: A = round(0.1) = 0, D = round(0.08) = 0, B = round(0.35) = 0


# ---- the 规下 formula, missing values, denominator ≤ 0, next class gap -------------------------------------


BELOW_CASE = [
    below("F1", tax=30, land=10, kwh=10),  # 亩均税收 3, 单位用电税收 3
    below("F2", tax=10, land=10, kwh=5),  # 1, 2
    below("F3", tax=20, land=10, kwh=0),  # 2, electricity 0 → denominator ≤ 0 → missing
]


def test_below_scale_formula_and_denominator_zero():
    r = run(BELOW_CASE)
    # benchmarks: 亩均税收 (3 + 1 + 2) / 3 = 2; 单位用电税收 (3 + 2) / 2 = 2.5 (F3 missing)
    assert r.benchmarks["below"] == {"tax_per_mu": 2.0, "tax_per_kwh": 2.5}
    assert np.isnan(r.values["tax_per_kwh"][2])
    # 亩均税收 sub-scores 50 × 3/2 = 75, 50 × 1/2 = 25, 50 × 2/2 = 50
    assert list(r.subscores["tax_per_mu"]) == [75.0, 25.0, 50.0]
    # 单位用电税收 50 × 3/2.5 = 60, 50 × 2/2.5 = 40; F3 gets their mean (60 + 40) / 2 = 50
    assert list(r.subscores["tax_per_kwh"]) == [60.0, 40.0, 50.0]
    assert list(r.imputed["tax_per_kwh"]) == [False, False, True]
    # scores 135, 65, 100 → ranks 1, 3, 2
    assert list(r.score) == [135.0, 65.0, 100.0]
    assert list(r.rank) == [1, 3, 2]
    # n = 3: A = round(0.3) = 0, D = round(0.24) = 0, B = round(1.05) = 1 → F1 B, the others C
    assert list(r.class_) == ["B", "C", "C"]
    assert r.counts["below"] == {"n": 3, "A": 0, "B": 1, "C": 2, "D": 0}


def test_next_class_gap():
    r = run(BELOW_CASE)
    # F2 (C, 65) → the lowest B is F1 at 135: its 亩均税收 sub-score must become 135 − (65 − 25) = 95,
    # i.e. 亩均税收 95 / 50 × 2 = 3.8 万元/亩, 2.8 more than its 1.
    assert next_class_gap(r, 1) == pytest.approx(2.8)
    # F3 (C, 100): 135 − (100 − 50) = 85 → 3.4 万元/亩, 1.4 more than its 2.
    assert next_class_gap(r, 2) == pytest.approx(1.4)
    # F1 is B but the A class is empty (n_A = 0): nothing to reach.
    assert next_class_gap(r, 0) is None


def test_next_class_gap_none_for_a_excluded_and_vetoed():
    rows = [below(f"{i:02d}", tax=10 * (i + 1), kwh=10) for i in range(5)]  # n = 5: one A
    rows.append(below("99", tax=100, kwh=10, veto=True))
    rows.append(below("98", tax=100, land=1, kwh=10))  # excluded
    r = run(rows)
    top = int(np.flatnonzero(r.class_ == "A")[0])
    assert next_class_gap(r, top) is None
    assert next_class_gap(r, 5) is None
    assert next_class_gap(r, 6) is None
    b = np.flatnonzero(r.class_ == "B")
    assert next_class_gap(r, int(b[0])) > 0


# ---- the 规上 formula, missing value added and emissions, pollution equivalents ----------------------------


def test_above_scale_missing_value_added_and_emissions():
    a1 = {
        "uscc": "A1",
        "above_scale": True,
        "land_mu": 10,
        "tax_wan_yuan": 100,
        "value_added_wan_yuan": 200,
        "energy_tce": 100,
        "cod_t": 1,  # the other pollutants blank: 1 t COD = 1000 kg ÷ 1 = 1000 equivalents
        "employees_avg": 100,
        "rd_spending_wan_yuan": 5,
        "revenue_wan_yuan": 100,
    }
    # A2: no value added, no emission data, no R&D
    a2 = {"uscc": "A2", "above_scale": True, "land_mu": 20, "tax_wan_yuan": 100, "energy_tce": 50}
    a2 |= {"employees_avg": 50, "revenue_wan_yuan": 100}
    r = run([a1, a2])
    # 亩均税收 10 and 5, benchmark 7.5 → 30 × 10/7.5 = 40, 30 × 5/7.5 = 20
    assert r.subscores["tax_per_mu"] == pytest.approx([40, 20])
    # A1 alone has the value-added indicators, each equal to its benchmark → the full weight;
    # A2 gets the mean of the group's sub-scores, i.e. the same.
    assert r.values["value_added_per_mu"][0] == 20.0
    assert r.values["value_added_per_tce"][0] == 2.0
    assert r.values["value_added_per_pe"][0] == 0.2  # 200 / 1000
    assert r.values["labour_productivity"][0] == 2.0
    assert r.values["rd_share"][0] == 0.05
    for key, weight in [
        ("value_added_per_mu", 20),
        ("value_added_per_tce", 20),
        ("value_added_per_pe", 10),
        ("labour_productivity", 10),
        ("rd_share", 10),
    ]:
        assert list(r.subscores[key]) == [weight, weight]
        assert list(r.imputed[key]) == [False, True]
        assert np.isnan(r.values[key][1])
    # scores 40 + 20 + 20 + 10 + 10 + 10 = 110 and 20 + 70 = 90
    assert r.score == pytest.approx([110, 90])
    assert list(r.class_) == ["B", "C"]  # n = 2: A 0, D round(0.16) = 0, B round(0.7) = 1


@pytest.mark.parametrize(
    ("emissions", "expected"),
    [
        # 0.8 t COD = 800 kg ÷ 1 = 800; 0.4 t NH3-N = 400 ÷ 0.8 = 500; 0.95 t SO2 = 950 ÷ 0.95 = 1000;
        # 1.9 t NOx = 1900 ÷ 0.95 = 2000 → 4300 equivalents; value added 43 → 0.01 万元 per equivalent
        ({"cod_t": 0.8, "ammonia_nitrogen_t": 0.4, "so2_t": 0.95, "nox_t": 1.9}, 0.01),
        ({"so2_t": 0.0095}, 43 / 10),  # 9.5 kg ÷ 0.95 = 10 equivalents; the blank others count as 0
        ({"ammonia_nitrogen_t": 0.008}, 43 / 10),  # 8 kg ÷ 0.8 = 10
        ({}, math.nan),  # no emission data → missing
        ({"cod_t": 0, "ammonia_nitrogen_t": 0, "so2_t": 0, "nox_t": 0}, math.nan),  # 0 equivalents → missing
    ],
)
def test_pollution_equivalents(emissions, expected):
    row = {"uscc": "X", "above_scale": True, "land_mu": 10, "tax_wan_yuan": 1, "value_added_wan_yuan": 43}
    r = run([row | emissions])
    got = r.values["value_added_per_pe"][0]
    if math.isnan(expected):
        assert math.isnan(got)
        assert r.imputed["value_added_per_pe"][0]
    else:
        assert got == pytest.approx(expected, rel=1e-12)


def test_pollution_equivalents_any_rule():
    """A scheme may instead treat a blank pollutant as making the sum missing."""
    q = DEFAULT_SCHEME.quantities[0]
    scheme = replace(DEFAULT_SCHEME, quantities=(replace(q, missing="any"),))
    row = {"uscc": "X", "above_scale": True, "land_mu": 10, "tax_wan_yuan": 1, "value_added_wan_yuan": 43}
    assert np.isnan(run([row | {"so2_t": 0.0095}], scheme).values["value_added_per_pe"][0])


# ---- benchmark ≤ 0, cap ---------------------------------------------------------------------------------


def test_benchmark_not_positive_gives_zero_and_ties_by_tax_missing_last():
    rows = [
        below("3", tax=0, kwh=10),  # 亩均税收 0, 单位用电税收 0
        below("2", tax=0, kwh=5),
        below("1", tax=math.nan, kwh=5),  # both missing
    ]
    r = run(rows)
    # benchmarks 0 and 0 → every sub-score 0; the missing ones get the mean 0
    assert r.benchmarks["below"] == {"tax_per_mu": 0.0, "tax_per_kwh": 0.0}
    assert list(r.score) == [0.0, 0.0, 0.0]
    # all tied at 0: 亩均税收 0 = 0 → USCC "2" before "3"; "1" has no 亩均税收 → last despite its USCC
    assert list(r.rank) == [2, 1, 3]


def test_cap():
    rows = [below("a", tax=100, kwh=10), below("b", tax=10, kwh=10), below("c", tax=10, kwh=10)]
    # 亩均税收 10, 1, 1 → benchmark 4 → 50 × 10/4 = 125, 12.5, 12.5
    assert list(run(rows).subscores["tax_per_mu"]) == [125.0, 12.5, 12.5]
    # cap 1.5 → at most 50 × 1.5 = 75
    capped = run(rows, replace(DEFAULT_SCHEME, cap=1.5))
    assert list(capped.subscores["tax_per_mu"]) == [75.0, 12.5, 12.5]
    # 单位用电税收 10, 1, 1 → the same → scores 150, 25, 25
    assert list(capped.score) == [150.0, 25.0, 25.0]


# ---- veto -----------------------------------------------------------------------------------------------


def test_veto_is_d_ranked_last_and_not_counted():
    rows = [below(f"{i}", tax=10 * i, kwh=10) for i in range(1, 6)]  # 亩均税收 1 … 5
    rows[4]["veto"] = True  # the best firm
    rows[3]["veto"] = True  # the second best
    r = run(rows)
    # vetoed firms stay in the benchmark: (1+2+3+4+5)/5 = 3
    assert r.benchmarks["below"]["tax_per_mu"] == 3.0
    # both vetoed are D, ranked after the others, among themselves by score
    assert list(r.class_[3:]) == ["D", "D"]
    assert list(r.rank) == [3, 2, 1, 5, 4]
    # n = 3 counted: A = round(0.3) = 0, D = round(0.24) = 0, B = round(1.05) = 1
    assert list(r.class_[:3]) == ["C", "C", "B"]
    assert r.counts["below"] == {"n": 3, "A": 0, "B": 1, "C": 2, "D": 2}


# ---- ties -----------------------------------------------------------------------------------------------


def test_ties_by_tax_per_mu_then_uscc():
    rows = [
        below("B", tax=10, kwh=5),  # 亩均税收 1, 单位用电税收 2
        below("A", tax=20, kwh=20),  # 亩均税收 2, 单位用电税收 1
        below("D", tax=15, kwh=10),  # 1.5, 1.5
        below("C", tax=15, kwh=10),  # 1.5, 1.5
    ]
    r = run(rows)
    # benchmarks (1 + 2 + 1.5 + 1.5) / 4 = 1.5 for both indicators
    # B: 50×(1/1.5) + 50×(2/1.5); A: 50×(2/1.5) + 50×(1/1.5) — the same two terms, so bit-equal
    # (99.99999999999999 in floats); C and D: 50 + 50 = 100 exactly.
    assert r.score[0] == r.score[1] == pytest.approx(100)
    assert r.score[2] == r.score[3] == 100.0
    # C, D tied on score and on 亩均税收 (1.5) → USCC "C" < "D"; then A before B: 亩均税收 2 > 1.
    assert dict(zip(r.uscc, r.rank, strict=True)) == {"C": 1, "D": 2, "A": 3, "B": 4}


def test_ties_all_equal_by_uscc():
    rows = [below(u, tax=10, kwh=10) for u in ("913", "911", "912")]
    assert list(run(rows).rank) == [3, 1, 2]


# ---- class counts, small n ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "a", "b", "d"),
    [
        (1, 0, 0, 0),  # 0.1, 0.35, 0.08 → 0
        (5, 1, 2, 0),  # 0.10×5 = 0.5 → 1 (banker's: 0); 0.35×5 = 1.75 → 2; 0.08×5 = 0.4 → 0
        (15, 2, 5, 1),  # 1.5 → 2 (banker's: 2); 5.25 → 5; 1.2 → 1
        (25, 3, 9, 2),  # 2.5 → 3 (banker's: 2); 8.75 → 9; 2.0 → 2
        (30, 3, 11, 2),  # 3.0; 0.35×30 = 10.5 → 11 (banker's: 10; and 0.35*30 in floats is 10.499999…); 2.4 → 2
        (50, 5, 18, 4),  # 17.5 → 18
    ],
)
def test_class_counts_round_half_up(n, a, b, d):
    assert round_half_up("0.10", n) == a
    assert round_half_up("0.35", n) == b
    assert round_half_up("0.08", n) == d
    assert class_counts(DEFAULT_SCHEME.classes, n) == {"A": a, "B": b, "C": n - a - b - d, "D": d}


def test_half_up_differs_from_bankers():
    assert round(0.10 * 5) == 0
    assert round(2.5) == 2
    assert round_half_up("0.10", 5) == 1
    assert round_half_up("0.10", 25) == 3


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "C"),
        (5, "ABBCC"),  # A 1, D 0, B 2
        (15, "AABBBBBCCCCCCCD"),  # A 2, D 1, B 5, C 7
        (25, "AAABBBBBBBBBCCCCCCCCCCCDD"),  # A 3, D 2, B 9, C 11
    ],
)
def test_classes_small_n(n, expected):
    rows = [below(f"{i:03d}", tax=float(n - i), kwh=1.0) for i in range(n)]  # best first
    r = run(rows)
    assert "".join(r.class_) == expected
    assert list(r.rank) == list(range(1, n + 1))


def test_groups_are_ranked_separately():
    rows = [below("b1", tax=10, kwh=10), below("b2", tax=5, kwh=10)]
    rows.append({"uscc": "a1", "above_scale": True, "land_mu": 10, "tax_wan_yuan": 1})
    r = run(rows)
    assert list(r.group) == ["below", "below", "above"]
    assert list(r.rank) == [1, 2, 1]
    assert r.counts["above"]["n"] == 1


# ---- kernel ≡ reference ---------------------------------------------------------------------------------

NAN = math.nan
small = st.sampled_from([NAN, 0.0, 1.0, 2.0, 3.0, 5.0, 10.0])
value = st.one_of(small, st.floats(min_value=0, max_value=1e6, allow_nan=False), st.just(-1.0))
land = st.one_of(st.sampled_from([NAN, -1.0, 0.0, 1.0, 2.9999, 3.0, 10.0]), st.floats(0.01, 1e4))


@st.composite
def firms(draw):
    n = draw(st.integers(min_value=0, max_value=40))
    usccs = draw(st.lists(st.text("0123456789AB", min_size=1, max_size=4), min_size=n, max_size=n, unique=True))
    rows = []
    for u in usccs:
        row = {"uscc": u, "land_mu": draw(land)}
        for f in FIGURES[1:]:
            row[f] = draw(value)
        row["above_scale"] = draw(st.booleans())
        row["exempt"] = draw(st.sampled_from([False] * 9 + [True]))
        row["veto"] = draw(st.sampled_from([False] * 7 + [True]))
        rows.append(row)
    cap = draw(st.sampled_from([None, None, 1.5, 3.0]))
    return rows, cap


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(firms())
def test_kernel_agrees_with_reference(case):
    rows, cap = case
    scheme = replace(DEFAULT_SCHEME, cap=cap)
    r = evaluate(columns(rows), scheme)
    ref = reference.evaluate(rows, scheme)
    assert list(r.group) == [x["group"] for x in ref]
    assert list(r.class_) == [x["class"] for x in ref]
    assert list(r.rank) == [x["rank"] for x in ref]
    for i, x in enumerate(ref):
        if x["score"] is None:
            assert math.isnan(r.score[i])
            continue
        assert r.score[i] == pytest.approx(x["score"], rel=1e-9, abs=1e-9)
        for key, sub in x["subscores"].items():
            assert r.subscores[key][i] == pytest.approx(sub, rel=1e-9, abs=1e-9)
