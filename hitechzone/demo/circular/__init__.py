"""The demo zone's circular economy (M5, 循环化改造): materials, the fluorine–silicon cluster's flows and exchanges,
yearly resource data and the article's 23 circular transformation projects.

The article: the zone's fluorine chemistry (氟化工), organic silicon (有机硅) and inorganic silicon (无机硅) are one
cluster, where hydrogen chloride and hydrogen pass between firms. The demo picks nine of its (invented) firms and
gives each a plant whose yearly flows of 2023–2025 follow the reaction's stoichiometry (molar masses from
``circular.chemistry``), so every element balance closes:

- chlor-alkali (氯碱): 2 NaCl + 2 H2O → Cl2 + 2 NaOH + H2 (1.128 t NaOH and 0.028 t H2 per t Cl2);
- anhydrous HF (氢氟酸): CaF2 + H2SO4 → CaSO4 + 2 HF (3.40 t fluorogypsum per t HF);
- HCFC-22 (二氟一氯甲烷): CHCl3 + 2 HF → CHClF2 + 2 HCl (0.843 t HCl per t);
- methyl chloride (氯甲烷): CH3OH + HCl → CH3Cl + H2O (0.722 t HCl per t);
- methylchlorosilane monomer (有机硅单体, direct process): Si + 2 CH3Cl → (CH3)2SiCl2;
- hydrolysis (水解): (CH3)2SiCl2 + H2O → ¼ D4 + 2 HCl (0.983 t HCl per t siloxane);
- trichlorosilane (三氯氢硅): Si + 3 HCl → SiHCl3 + H2 (0.808 t HCl and 0.015 t H2 per t);
- silane (硅烷, disproportionation): 4 SiHCl3 → SiH4 + 3 SiCl4;
- fumed silica (气相白炭黑): SiCl4 + 2 H2 + O2 → SiO2 + 4 HCl.

Hydrolysis returns its HCl to the methyl chloride maker by pipeline, which feeds the monomer maker, which feeds
hydrolysis: the chlorine loop of the silicone chain. Fumed silica returns HCl to the trichlorosilane maker (a
second loop through silane). A quantity is the stream's mass and ``purity`` its mass fraction: the pure mass
(``quantity_t × purity``) follows the stoichiometry. Left for the optimiser: the HCFC-22 maker's HCl that is
neutralised, the hydrogen flared, the HCl the methyl chloride and trichlorosilane makers buy from outside.

Bulk ORM writes (the services validate one row at a time); idempotent through the natural keys.
:func:`hints` says what each persona finds (printed with the logins).
"""

from __future__ import annotations

from hitechzone.common.geo import haversine_km as haversine_km  # re-exported: the digest tests use it

from .cluster import Year, cluster_year, pick_cluster
from .cluster import _centroids as _centroids
from .data import (
    CENTRAL_FUNDS_WAN_YUAN,
    CHAIN_LETTERS,
    CLUSTER_CHAINS,
    GR,
    IN,
    MAIN,
    MATERIALS,
    PIPE_KM,
    PIPED,
    PLANTS,
    PROJECT_TOTAL_WAN_YUAN,
    PROJECTS,
    PURITY,
    PURITY_OF,
    YEARS,
    B,
    C,
    E,
    G,
    H,
    P,
    Plant,
    S,
    W,
)
from .load import hints, load_circular, load_cluster, load_materials, load_projects, load_resources

__all__ = [
    "CENTRAL_FUNDS_WAN_YUAN",
    "CHAIN_LETTERS",
    "CLUSTER_CHAINS",
    "GR",
    "IN",
    "MAIN",
    "MATERIALS",
    "PIPED",
    "PIPE_KM",
    "PLANTS",
    "PROJECTS",
    "PROJECT_TOTAL_WAN_YUAN",
    "PURITY",
    "PURITY_OF",
    "YEARS",
    "B",
    "C",
    "E",
    "G",
    "H",
    "P",
    "Plant",
    "S",
    "W",
    "Year",
    "cluster_year",
    "hints",
    "load_circular",
    "load_cluster",
    "load_materials",
    "load_projects",
    "load_resources",
    "pick_cluster",
]
