"""The 亩均 (per-mu) evaluation kernel: a scheme as data and a vectorised ``evaluate`` (issue 6, M4).

The default scheme follows issue 6, "Schemes" point 2 (Zhejiang county practice, Huangyan's published
formula). The inputs are named after ``EnterpriseIndicator.FIGURES`` (float arrays, NaN = missing) plus
``uscc`` (str), ``above_scale``, ``exempt`` and ``veto`` (bool), all of one length.

Decisions the issue leaves open, taken here (and identically in ``reference.py``):

- Pollution equivalents are missing only when all four pollutants are missing; a blank pollutant next to
  reported ones counts as 0 (as a spreadsheet ``SUM`` over blank cells does). ``Quantity.missing = "any"``
  makes any blank term make the sum missing instead.
- Vetoed firms stay in their group's benchmarks and imputation means (the issue says "not counted" only for
  n of the class rule); they get a score, class D and the last ranks of their group.
- Means (benchmarks, imputed sub-scores) are ``math.fsum`` sums divided by the count: correctly rounded and
  independent of the order of the rows, so a re-run (and the reference implementation) gives the same bits.
- A score is the sum of the sub-scores in the scheme's indicator order.
- A quotient that overflows (a denominator near 0, e.g. a subnormal float) is missing like a 0 denominator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np

ABOVE, BELOW, EXCLUDED = "above", "below", "excluded"
CLASSES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Term:
    """One term of a derived quantity: ``figure × scale ÷ divisor``."""

    figure: str
    scale: float = 1.0
    divisor: float = 1.0


@dataclass(frozen=True)
class Quantity:
    """A derived quantity: the sum of its terms. ``missing``: "all" (missing only if every term is) or "any"."""

    name: str
    terms: tuple[Term, ...]
    missing: str = "all"


@dataclass(frozen=True)
class Indicator:
    """``numerator ÷ denominator`` (names of figures or of the scheme's quantities), weighted."""

    key: str
    label: str
    numerator: str
    denominator: str
    weight: float
    unit: str = ""


@dataclass(frozen=True)
class Group:
    key: str  # "above" (规上) or "below" (规下)
    label: str
    indicators: tuple[Indicator, ...]
    tie_indicator: str = "tax_per_mu"  # ties in score: this value descending (missing last), then USCC


@dataclass(frozen=True)
class ScopeRule:
    """Who is excluded (不参评): exempted firms; no data / land missing or ≤ 0; 规下 with land < the minimum."""

    land_figure: str = "land_mu"
    min_land_below_scale: float = 3.0
    exclude_exempt: bool = True


@dataclass(frozen=True)
class ClassRule:
    """Shares of the counted firms (round half up): the top A; of the rest the bottom D; of the rest the top B."""

    share_a: Decimal = Decimal("0.10")
    share_b: Decimal = Decimal("0.35")
    share_d: Decimal = Decimal("0.08")
    veto_class: str = "D"


@dataclass(frozen=True)
class Scheme:
    name: str
    version: int
    groups: tuple[Group, ...]
    quantities: tuple[Quantity, ...] = ()
    cap: float | None = None  # a sub-score is at most weight × cap
    scope: ScopeRule = field(default_factory=ScopeRule)
    classes: ClassRule = field(default_factory=ClassRule)

    def group(self, key: str) -> Group:
        for g in self.groups:
            if g.key == key:
                return g
        raise KeyError(key)

    def quantity(self, name: str) -> Quantity | None:
        for q in self.quantities:
            if q.name == name:
                return q
        return None

    def figures(self) -> list[str]:
        """The input figures the scheme reads (in a stable order)."""
        names = [self.scope.land_figure]
        for g in self.groups:
            for ind in g.indicators:
                for name in (ind.numerator, ind.denominator):
                    q = self.quantity(name)
                    names.extend([t.figure for t in q.terms] if q else [name])
        return list(dict.fromkeys(names))


TAX_PER_MU = Indicator("tax_per_mu", "亩均税收", "tax_wan_yuan", "land_mu", 30.0, "万元/亩")
DEFAULT_SCHEME = Scheme(
    name="default",
    version=1,
    quantities=(
        # 环境保护税法 pollution equivalent values; the yearly data hold tonnes (× 1000 → kg).
        Quantity(
            "pollution_equivalents",
            (
                Term("cod_t", 1000.0, 1.0),
                Term("ammonia_nitrogen_t", 1000.0, 0.8),
                Term("so2_t", 1000.0, 0.95),
                Term("nox_t", 1000.0, 0.95),
            ),
        ),
    ),
    groups=(
        Group(
            ABOVE,
            "规上",
            (
                TAX_PER_MU,
                Indicator("value_added_per_mu", "亩均增加值", "value_added_wan_yuan", "land_mu", 20.0, "万元/亩"),
                Indicator(
                    "value_added_per_tce", "单位能耗增加值", "value_added_wan_yuan", "energy_tce", 20.0, "万元/tce"
                ),
                Indicator(
                    "value_added_per_pe",
                    "单位排放增加值",
                    "value_added_wan_yuan",
                    "pollution_equivalents",
                    10.0,
                    "万元/污染当量",
                ),
                Indicator(
                    "labour_productivity", "全员劳动生产率", "value_added_wan_yuan", "employees_avg", 10.0, "万元/人"
                ),
                Indicator("rd_share", "R&D占比", "rd_spending_wan_yuan", "revenue_wan_yuan", 10.0),
            ),
        ),
        Group(
            BELOW,
            "规下",
            (
                Indicator("tax_per_mu", "亩均税收", "tax_wan_yuan", "land_mu", 50.0, "万元/亩"),
                Indicator("tax_per_kwh", "单位用电税收", "tax_wan_yuan", "electricity_wan_kwh", 50.0, "万元/万kWh"),
            ),
        ),
    ),
)


def round_half_up(share: Decimal | str | float, n: int) -> int:
    """``round_half_up(share × n)`` exactly (share taken as the decimal it is written as)."""
    f = Fraction(Decimal(str(share))) * n
    return (2 * f.numerator + f.denominator) // (2 * f.denominator)


def class_counts(rule: ClassRule, n: int) -> dict[str, int]:
    """How many counted firms get A, B, C, D (before vetoed firms, who are all D on top)."""
    n_a = min(round_half_up(rule.share_a, n), n)
    n_d = min(round_half_up(rule.share_d, n), n - n_a)
    n_b = min(round_half_up(rule.share_b, n), n - n_a - n_d)
    return {"A": n_a, "B": n_b, "C": n - n_a - n_b - n_d, "D": n_d}


def exact_mean(values: np.ndarray) -> float:
    """The correctly rounded mean (``math.fsum``); NaN for no values."""
    return math.fsum(values.tolist()) / len(values) if len(values) else math.nan


@dataclass
class Result:
    scheme: Scheme
    uscc: np.ndarray
    group: np.ndarray  # "above" / "below" / "excluded"
    values: dict[str, np.ndarray]  # indicator key → value (NaN: missing or not of the firm's group)
    subscores: dict[str, np.ndarray]  # indicator key → sub-score (imputed where the value is missing)
    imputed: dict[str, np.ndarray]  # indicator key → True where the sub-score is the group mean
    benchmarks: dict[str, dict[str, float]]  # group → indicator key → benchmark (NaN: no values)
    score: np.ndarray  # NaN when excluded
    class_: np.ndarray  # "A"–"D", "" when excluded
    rank: np.ndarray  # 1-based within the group, 0 when excluded
    vetoed: np.ndarray
    counts: dict[str, dict[str, int]]  # group → {"n": counted firms, "A": …, "B": …, "C": …, "D": … incl. vetoed}
    class_floor: dict[str, dict[str, float]]  # group → class → score of its lowest counted firm

    def __len__(self) -> int:
        return len(self.score)


def _figure(data: dict[str, np.ndarray], name: str, n: int) -> np.ndarray:
    if name not in data:
        raise KeyError(f"missing input figure {name!r}")
    a = np.asarray(data[name], dtype=np.float64)
    if a.shape != (n,):
        raise ValueError(f"{name!r} has shape {a.shape}, expected ({n},)")
    return a


def _quantity(scheme: Scheme, data: dict[str, np.ndarray], name: str, idx: np.ndarray, n: int) -> np.ndarray:
    q = scheme.quantity(name)
    if q is None:
        return _figure(data, name, n)[idx]
    total = np.zeros(len(idx))
    present = np.zeros(len(idx), dtype=bool)
    absent = np.zeros(len(idx), dtype=bool)
    for t in q.terms:
        x = _figure(data, t.figure, n)[idx]
        ok = ~np.isnan(x)
        present |= ok
        absent |= ~ok
        total = total + np.where(ok, x * t.scale / t.divisor, 0.0)
    total[~present if q.missing == "all" else absent] = np.nan
    return total


def _bool(data: dict[str, np.ndarray], name: str, n: int) -> np.ndarray:
    a = np.asarray(data[name], dtype=bool) if name in data else np.zeros(n, dtype=bool)
    if a.shape != (n,):
        raise ValueError(f"{name!r} has shape {a.shape}, expected ({n},)")
    return a


def scope(data: dict[str, np.ndarray], scheme: Scheme = DEFAULT_SCHEME) -> np.ndarray:
    """The group of each firm: "above", "below" or "excluded"."""
    uscc = np.asarray(data["uscc"])
    n = len(uscc)
    land = _figure(data, scheme.scope.land_figure, n)
    above = _bool(data, "above_scale", n)
    excluded = np.isnan(land) | ~(land > 0)
    excluded |= ~above & (land < scheme.scope.min_land_below_scale)
    if scheme.scope.exclude_exempt:
        excluded |= _bool(data, "exempt", n)
    group = np.where(above, ABOVE, BELOW).astype("<U8")
    group[excluded] = EXCLUDED
    return group


def evaluate(data: dict[str, np.ndarray], scheme: Scheme = DEFAULT_SCHEME) -> Result:
    uscc = np.asarray(data["uscc"])
    n = len(uscc)
    group = scope(data, scheme)
    vetoed = _bool(data, "veto", n) & (group != EXCLUDED)
    keys = list(dict.fromkeys(ind.key for g in scheme.groups for ind in g.indicators))
    values = {k: np.full(n, np.nan) for k in keys}
    subscores = {k: np.full(n, np.nan) for k in keys}
    imputed = {k: np.zeros(n, dtype=bool) for k in keys}
    score = np.full(n, np.nan)
    tie = np.full(n, np.nan)
    benchmarks: dict[str, dict[str, float]] = {}
    group_idx = {}
    for g in scheme.groups:
        idx = np.flatnonzero(group == g.key)
        group_idx[g.key] = idx
        benchmarks[g.key] = {}
        total = np.zeros(len(idx))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for ind in g.indicators:
                num = _quantity(scheme, data, ind.numerator, idx, n)
                den = _quantity(scheme, data, ind.denominator, idx, n)
                v = num / np.where(den > 0, den, np.nan)
                ok = np.isfinite(v)
                v[~ok] = np.nan
                bench = exact_mean(v[ok])
                benchmarks[g.key][ind.key] = bench
                if bench > 0:
                    sub = ind.weight * np.maximum(0.0, v / bench)
                    if scheme.cap is not None:
                        sub = np.minimum(sub, ind.weight * scheme.cap)
                else:
                    sub = np.where(ok, 0.0, np.nan)
                fill = exact_mean(sub[ok])
                sub[~ok] = 0.0 if math.isnan(fill) else fill
                total = total + sub
                values[ind.key][idx] = v
                subscores[ind.key][idx] = sub
                imputed[ind.key][idx] = ~ok
                if ind.key == g.tie_indicator:
                    tie[idx] = v
        score[idx] = total

    rank = np.zeros(n, dtype=np.int64)
    class_ = np.full(n, "", dtype="<U1")
    counts: dict[str, dict[str, int]] = {}
    class_floor: dict[str, dict[str, float]] = {}
    for g in scheme.groups:
        idx = group_idx[g.key]
        order = idx[_order(score[idx], tie[idx], vetoed[idx], uscc[idx])]
        rank[order] = np.arange(1, len(order) + 1)
        counted = order[~vetoed[order]]
        c = class_counts(scheme.classes, len(counted))
        labels = np.repeat(np.array(["A", "B", "C", "D"], dtype="<U1"), [c["A"], c["B"], c["C"], c["D"]])
        class_[counted] = labels
        class_[order[vetoed[order]]] = scheme.classes.veto_class
        floor = {}
        for k in CLASSES:
            members = counted[labels == k]
            if len(members):
                floor[k] = float(score[members[-1]])
        class_floor[g.key] = floor
        n_veto = int(vetoed[idx].sum())
        c = {"n": len(counted), **c}
        c[scheme.classes.veto_class] += n_veto
        counts[g.key] = c

    return Result(
        scheme=scheme,
        uscc=uscc,
        group=group,
        values=values,
        subscores=subscores,
        imputed=imputed,
        benchmarks=benchmarks,
        score=score,
        class_=class_,
        rank=rank,
        vetoed=vetoed,
        counts=counts,
        class_floor=class_floor,
    )


def _order(score: np.ndarray, tie: np.ndarray, vetoed: np.ndarray, uscc: np.ndarray) -> np.ndarray:
    """Positions sorted: not vetoed first, score desc, tie value desc (missing last), USCC asc.

    Sorting a million USCC strings costs more than the rest; they only matter inside runs of equal
    (veto, score, tie value), so only those runs are sorted by USCC.
    """
    neg_score, neg_tie = -score, -tie  # NaN sorts last in numpy
    order = np.lexsort((neg_tie, neg_score, vetoed))
    if len(order) < 2:
        return order
    s, t, v = neg_score[order], neg_tie[order], vetoed[order]
    same = (s[1:] == s[:-1]) & ((t[1:] == t[:-1]) | (np.isnan(t[1:]) & np.isnan(t[:-1]))) & (v[1:] == v[:-1])
    if not same.any():
        return order
    run = np.concatenate(([0], np.cumsum(~same)))  # run id of each sorted position
    in_tie = np.zeros(len(order), dtype=bool)
    in_tie[1:] |= same
    in_tie[:-1] |= same
    pos = np.flatnonzero(in_tie)
    sub = pos[np.lexsort((uscc[order[pos]], run[pos]))]
    order[pos] = order[sub]
    return order


def next_class_gap(result: Result, i: int) -> float | None:
    """How much more 亩均税收 (万元/亩) firm ``i`` needs to reach the score of the lowest firm of the next class up.

    Everything else is held fixed: the firm's other sub-scores, the benchmarks and the other firms' scores
    (the firm's own change moves the benchmark a little; that second-order effect is ignored). 0.0 when the
    firm already has that score (it may still lose the tie). When 亩均税收 is missing, the answer is the value
    to report (from 0), replacing the imputed sub-score. None for A, excluded or vetoed firms, when no class
    above has members, when the benchmark is ≤ 0 or missing, or when the cap makes the score unreachable.
    """
    g = str(result.group[i])
    if g == EXCLUDED or result.vetoed[i] or result.class_[i] not in CLASSES[1:]:
        return None
    group = result.scheme.group(g)
    ind = next((x for x in group.indicators if x.key == group.tie_indicator), None)
    if ind is None:
        return None
    floor = result.class_floor[g]
    above = [k for k in CLASSES[: CLASSES.index(str(result.class_[i]))] if k in floor]
    if not above:
        return None
    target = floor[above[-1]]
    score = float(result.score[i])
    if score >= target:
        return 0.0
    bench = result.benchmarks[g][ind.key]
    if not bench > 0:
        return None
    sub = float(result.subscores[ind.key][i])
    need_sub = target - (score - sub)
    if result.scheme.cap is not None and need_sub > ind.weight * result.scheme.cap:
        return None
    value = float(result.values[ind.key][i])
    need_value = need_sub / ind.weight * bench
    return need_value - (0.0 if math.isnan(value) else value)


def next_class_gaps(result: Result) -> np.ndarray:
    """:func:`next_class_gap` of every firm at once (NaN where it is None); the same arithmetic, so the same bits."""
    n = len(result)
    gaps = np.full(n, np.nan)
    for group in result.scheme.groups:
        ind = next((x for x in group.indicators if x.key == group.tie_indicator), None)
        if ind is None:
            continue
        floor = result.class_floor[group.key]
        bench = result.benchmarks[group.key][ind.key]
        for pos, klass in enumerate(CLASSES[1:], start=1):
            above = [k for k in CLASSES[:pos] if k in floor]
            if not above:
                continue
            target = floor[above[-1]]
            idx = np.flatnonzero((result.group == group.key) & (result.class_ == klass) & ~result.vetoed)
            if not len(idx):
                continue
            score = result.score[idx]
            reached = score >= target
            gap = np.full(len(idx), np.nan)
            gap[reached] = 0.0
            if bench > 0:
                sub = result.subscores[ind.key][idx]
                need_sub = target - (score - sub)
                need_value = need_sub / ind.weight * bench
                value = result.values[ind.key][idx]
                todo = ~reached
                if result.scheme.cap is not None:
                    todo &= ~(need_sub > ind.weight * result.scheme.cap)
                gap[todo] = (need_value - np.where(np.isnan(value), 0.0, value))[todo]
            gaps[idx] = gap
    return gaps
