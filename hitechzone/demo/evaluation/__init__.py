"""The demo zone's 亩均 evaluation (M4, 亩产论英雄): three years evaluated, ranked for energy, priced, land freed.

The article: the zone ranks its enterprises by output per mu every year, "等到第三年排名出来以后 … 出台差别化的
水、电等政策", and frees the land of the weakest (腾笼换鸟). So, on top of the zone's yearly figures of
2023–2025 (their water use comes with them, see ``generator.indicator_rows``), the demo has:

- a few exemptions a year (a public utility, firms in their first year of production, one relocation) and one
  or two vetoes (a safety accident, once an environmental one), each with its reason;
- the energy years (2023 and 2024 on the calorific basis, 2025 on the equal-value basis), the fuels of the
  规上 industrial firms (coal, natural gas, steam, electricity; a few report none and are ranked on their
  reported energy) and an energy ranking for each year, so that 2025 is the third ranking;
- the default scheme run for 2023, 2024 and 2025 by the administrator and published by the leader: the weakest
  firms stay weak, so some are in D two or three years running;
- the price tiers of 2025 and 2026 (C +0.10, D +0.30, D the third year running +0.40 元/kWh; water C +0.5,
  D +1.0 元/t), in force from 2025, the year of the third ranking;
- the exit reward policies of 2024–2026 and seven land exit cases, one in each state, both modes.

Everything is written through the M4 services (the fuels, bulk data like the yearly figures, excepted), as the
demo's ``admin``; the leader publishes. Idempotent: nothing is added when the runs are there already.
:func:`hints` says, from what was loaded, what each persona finds (printed with the logins).
"""

from __future__ import annotations

from .land import IDLE_STORY, STORIES, Story, load_exits
from .load import load_evaluation
from .personas import hints
from .records import FuelMix, load_energy, load_exemptions, load_vetoes
from .world import (
    ACCIDENTS,
    CHEMICAL,
    ENERGY_YEARS,
    EXIT_POLICIES,
    PRICE_YEARS,
    REUSE,
    WORKSHOPS,
    YEARS,
    M,
    S,
    T,
    World,
)

__all__ = [
    "ACCIDENTS",
    "CHEMICAL",
    "ENERGY_YEARS",
    "EXIT_POLICIES",
    "IDLE_STORY",
    "PRICE_YEARS",
    "REUSE",
    "STORIES",
    "WORKSHOPS",
    "YEARS",
    "FuelMix",
    "M",
    "S",
    "Story",
    "T",
    "World",
    "hints",
    "load_energy",
    "load_evaluation",
    "load_exemptions",
    "load_exits",
    "load_vetoes",
]
