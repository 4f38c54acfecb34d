"""A scenario's validation: every problem found, one sentence each (:class:`ScenarioError`)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from django.utils.translation import gettext as _

EPS = 1e-9


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
