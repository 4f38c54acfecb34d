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

from hitechzone.common.geo import EARTH_RADIUS_KM as EARTH_RADIUS_KM  # re-exported

from .solver import BIG, solve
from .solver import _Model as _Model
from .solver import _solve_highs as _solve_highs
from .validate import ARC_OPTIONAL, EPS, NUMBER, ScenarioError, validate
from .validate import _validate as _validate
from .zone import can_run, run_optimization, scenario_from_zone

__all__ = [
    "ARC_OPTIONAL",
    "BIG",
    "EPS",
    "NUMBER",
    "ScenarioError",
    "can_run",
    "run_optimization",
    "scenario_from_zone",
    "solve",
    "validate",
]
