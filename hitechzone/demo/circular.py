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

import math
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Sum
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.circular.chemistry import molar_mass
from hitechzone.circular.models import CircularProject, Exchange, Flow, Material, ResourceYear
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator, IndustryChain
from hitechzone.evaluation.models import ExitCase
from hitechzone.liaison.models import Assignment
from hitechzone.zone.models import Parcel

from .trail import unrecorded

YEARS = (2023, 2024, 2025)
CLUSTER_CHAINS = ("fluorine", "organosilicon", "inorganic-silicon")
PIPE_KM = 3.0  # HCl, H2 and chlorosilanes go by pipeline between neighbours up to this distance
PIPED = {"hcl", "h2", "ch3cl", "dmdcs", "sihcl3", "sicl4", "cl2"}
IN, P, B, W = Flow.Role.INPUT, Flow.Role.PRODUCT, Flow.Role.BYPRODUCT, Flow.Role.WASTE
H = Material.Hazard
G, E = CircularProject.Owner.GOVERNMENT, CircularProject.Owner.ENTERPRISE
C = CircularProject.Category
S = CircularProject.Status
GR = CircularProject.Grade

# code, name, English name, formula, hazard, HW code, disposal, virgin price (yuan/t), transport (yuan/t·km),
# CO2 avoided (t/t), chains. Prices are round demo values of the 2024 market, not quotations.
MATERIALS = [
    # 261-057-34: waste acid from the production of hydrochloric, sulphuric, hydrofluoric … acids (HW34).
    ("hcl", "氯化氢", "Hydrogen chloride", "HCl", H.CORROSIVE, "261-057-34", 600, 450, "0.80", "0.70", "FOI"),
    ("h2", "氢气", "Hydrogen", "H2", H.FLAMMABLE, "", 200, 20000, "12.00", "10.00", "FOI"),
    ("cl2", "氯气", "Chlorine", "Cl2", H.TOXIC, "", 0, 300, "1.00", "1.00", "F"),
    ("naoh", "氢氧化钠（烧碱）", "Sodium hydroxide", "NaOH", H.CORROSIVE, "", 0, 2800, "0.60", "0", "F"),
    ("nacl", "工业盐", "Sodium chloride", "NaCl", H.NONE, "", 0, 300, "0.40", "0", "F"),
    ("ch3cl", "氯甲烷", "Methyl chloride", "CH3Cl", H.FLAMMABLE, "", 0, 3000, "1.00", "1.50", "O"),
    ("ch3oh", "甲醇", "Methanol", "CH3OH", H.FLAMMABLE, "", 0, 2400, "0.60", "0", "O"),
    ("dmdcs", "二甲基二氯硅烷", "Dimethyldichlorosilane", "(CH3)2SiCl2", H.FLAMMABLE, "", 0, 11000, "1.00", "0", "O"),
    ("d4", "八甲基环四硅氧烷（D4）", "Octamethylcyclotetrasiloxane", "C8H24O4Si4", H.ENVIRONMENT, "", 0, 14000,
     "0.80", "0", "O"),
    ("si", "金属硅", "Silicon metal", "Si", H.NONE, "", 0, 12000, "0.50", "0", "OI"),
    ("sihcl3", "三氯氢硅", "Trichlorosilane", "SiHCl3", H.FLAMMABLE, "", 0, 6500, "1.00", "0", "I"),
    ("sicl4", "四氯化硅", "Silicon tetrachloride", "SiCl4", H.CORROSIVE, "", 2000, 1500, "1.00", "1.00", "I"),
    ("sih4", "硅烷", "Silane", "SiH4", H.FLAMMABLE, "", 0, 300000, "5.00", "0", "I"),
    ("sio2", "气相二氧化硅（白炭黑）", "Fumed silica", "SiO2", H.NONE, "", 0, 18000, "0.50", "0", "I"),
    ("o2", "氧气（空气）", "Oxygen (from air)", "O2", H.OXIDISING, "", 0, 0, "0", "0", ""),
    ("chcl3", "三氯甲烷", "Chloroform", "CHCl3", H.TOXIC, "", 0, 2600, "1.00", "0", "F"),
    ("hf", "无水氟化氢", "Anhydrous hydrogen fluoride", "HF", H.TOXIC, "", 0, 10500, "1.20", "0", "F"),
    ("hcfc-22", "二氟一氯甲烷（HCFC-22）", "Chlorodifluoromethane (HCFC-22)", "CHClF2", H.ENVIRONMENT, "", 0,
     25000, "1.00", "0", "F"),
    ("caf2", "萤石（酸级）", "Fluorspar (acid grade)", "CaF2", H.NONE, "", 0, 3300, "0.40", "0", "F"),
    ("h2so4", "硫酸", "Sulphuric acid", "H2SO4", H.CORROSIVE, "", 0, 400, "0.60", "0.10", "F"),
    ("fluorogypsum", "氟石膏", "Fluorogypsum", "CaSO4", H.NONE, "", 80, 30, "0.40", "0.05", "F"),
    ("h2o", "水", "Water", "H2O", H.NONE, "", 12, 4.5, "0.30", "0", ""),
]  # fmt: skip
CHAIN_LETTERS = {"F": "fluorine", "O": "organosilicon", "I": "inorganic-silicon"}

# Purity (mass fraction) of each material's streams; by-product HCl of HCFC-22 carries a little HF.
PURITY = {"si": 0.99, "caf2": 0.97, "h2so4": 0.98, "nacl": 0.985, "fluorogypsum": 0.95, "hcl": 0.995, "h2": 0.999}
PURITY_OF = {("hcfc22", "hcl"): 0.98}


@dataclass(frozen=True)
class Plant:
    key: str
    chain: str
    words: tuple[str, ...]  # preferred words in the firm's (invented) name
    base_t: float  # 2025 output of the main product, t
    process: str


PLANTS = [
    Plant("monomer", "organosilicon", ("有机硅", "硅材料"), 40000, "有机硅单体（直接法）"),
    Plant("hydrolysis", "organosilicon", ("硅油化学", "有机硅", "硅橡胶"), 0, "二甲基二氯硅烷水解"),
    Plant("methyl_chloride", "organosilicon", ("硅烷科技", "有机硅", "硅材料"), 0, "甲醇氢氯化制氯甲烷"),
    Plant("hcfc22", "fluorine", ("氟材料", "氟化学"), 12000, "HCFC-22（氯仿氟化）"),
    Plant("hf", "fluorine", ("氟化学", "氟材料", "含氟新材料"), 8000, "萤石-硫酸法无水氟化氢"),
    Plant("chlor_alkali", "fluorine", ("氟精细化工", "氟化学", "氟材料", "氟塑料"), 20000, "离子膜烧碱（氯碱）"),
    Plant("trichlorosilane", "inorganic-silicon", ("硅业",), 15000, "三氯氢硅合成"),
    Plant("silane", "inorganic-silicon", ("硅业", "硅微粉", "硅酸盐"), 6000, "三氯氢硅歧化制硅烷"),
    Plant("fumed_silica", "inorganic-silicon", ("白炭黑",), 2200, "四氯化硅气相法白炭黑"),
]

#: key → (material code, role) of its main product, what the yearly index scales.
MAIN = {
    "monomer": "dmdcs",
    "hydrolysis": "d4",
    "methyl_chloride": "ch3cl",
    "hcfc22": "hcfc-22",
    "hf": "hf",
    "chlor_alkali": "cl2",
    "trichlorosilane": "sihcl3",
    "silane": "sih4",
    "fumed_silica": "sio2",
}

# The article's 23 projects: 1 government + 22 enterprise, 145,100 万元 invested, 21,000 万元 central funds.
# name, owner, plant key (or "other:<n>", the n-th other chemical firm), category, batch year, investment,
# central funds approved (10k yuan), status, grade.
PROJECTS = [
    ("园区公共管廊及副产物输送管网工程", G, None, C.CHAIN, 2013, 20000, 4400, S.ACCEPTED, GR.EXCELLENT),
    ("副产氯化氢净化回收及管道输送项目", E, "hcfc22", C.BYPRODUCT, 2013, 9600, 1500, S.ACCEPTED, GR.EXCELLENT),
    ("氯甲烷装置利用副产氯化氢改造项目", E, "methyl_chloride", C.BYPRODUCT, 2013, 7200, 1100, S.ACCEPTED, GR.GOOD),
    ("有机硅水解氯化氢循环回收项目", E, "hydrolysis", C.BYPRODUCT, 2014, 8500, 1300, S.ACCEPTED, GR.EXCELLENT),
    ("有机硅单体高沸物裂解利用项目", E, "monomer", C.CHAIN, 2014, 12600, 1500, S.ACCEPTED, GR.GOOD),
    ("氟石膏综合利用（水泥缓凝剂）项目", E, "hf", C.BYPRODUCT, 2014, 6800, 900, S.ACCEPTED, GR.GOOD),
    ("氯碱副产氢气回收提纯项目", E, "chlor_alkali", C.BYPRODUCT, 2015, 4300, 700, S.ACCEPTED, GR.GOOD),
    ("三氯氢硅尾气氯化氢及氢气回收项目", E, "trichlorosilane", C.CHAIN, 2015, 10400, 1300, S.ACCEPTED, GR.GOOD),
    ("四氯化硅制气相白炭黑项目", E, "fumed_silica", C.CHAIN, 2015, 11900, 1400, S.ACCEPTED, GR.EXCELLENT),
    ("含氟废水深度处理零排放项目", E, "other:0", C.ZERO_DISCHARGE, 2014, 3600, 500, S.ACCEPTED, GR.GOOD),
    ("有机硅废触体回收利用项目", E, "other:1", C.BYPRODUCT, 2016, 5200, 700, S.ACCEPTED, GR.GOOD),
    ("三氟甲烷（HFC-23）焚烧分解项目", E, "hcfc22", C.ZERO_DISCHARGE, 2016, 3900, 500, S.ACCEPTED, GR.GOOD),
    ("废有机溶剂精馏回收利用项目", E, "other:2", C.BYPRODUCT, 2016, 2800, 350, S.ACCEPTED, GR.GOOD),
    ("淡盐水回用及盐泥零排放项目", E, "chlor_alkali", C.ZERO_DISCHARGE, 2016, 4700, 600, S.ACCEPTED, GR.GOOD),
    ("硅微粉生产废水循环利用项目", E, "other:3", C.ZERO_DISCHARGE, 2017, 2100, 250, S.ACCEPTED, GR.FAILED),
    ("氟硅新材料循环经济技术研发中心", E, "other:4", C.RESEARCH, 2015, 6200, 800, S.ACCEPTED, GR.GOOD),
    ("有机硅循环利用中试及孵化基地", E, "other:5", C.RESEARCH, 2017, 4800, 600, S.COMPLETED, ""),
    ("硅氧烷裂解副产物回收项目", E, "other:6", C.CHAIN, 2017, 3300, 400, S.ACCEPTED, GR.GOOD),
    ("含氟聚合物边角料回收再生项目", E, "other:7", C.BYPRODUCT, 2017, 2600, 300, S.ACCEPTED, GR.GOOD),
    ("含氯有机废气焚烧及热能回收项目", E, "other:8", C.ZERO_DISCHARGE, 2016, 3400, 400, S.ACCEPTED, GR.GOOD),
    ("白炭黑生产废酸回收项目", E, "other:9", C.BYPRODUCT, 2016, 2900, 350, S.ACCEPTED, GR.GOOD),
    ("氟化工危险废物焚烧及资源化中心", E, "other:10", C.ZERO_DISCHARGE, 2015, 5700, 800, S.ACCEPTED, GR.GOOD),
    ("无水氟化氢尾气回收制酸项目", E, "hf", C.ZERO_DISCHARGE, 2017, 2600, 350, S.BUILDING, ""),
]  # fmt: skip
PROJECT_TOTAL_WAN_YUAN = 145100
CENTRAL_FUNDS_WAN_YUAN = 21000


def _t(x: float) -> Decimal:
    return Decimal(str(round(x, 3)))


def _mm(formula: str) -> float:
    return molar_mass(formula)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _centroids(enterprise_ids) -> dict[int, tuple[float, float]]:
    """Enterprise id → (latitude, longitude) of its parcels' centroid (parcels without coordinates left out)."""
    rows = (
        Parcel.objects.filter(enterprise_id__in=enterprise_ids, latitude__isnull=False, longitude__isnull=False)
        .values("enterprise_id")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    return {r["enterprise_id"]: (float(r["lat"]), float(r["lon"])) for r in rows}


def pick_cluster() -> dict[str, Enterprise]:
    """The cluster's firms: the monomer maker is the largest organic-silicon firm (output 2025), each next plant
    the nearest above-scale firm of its chain, preferring firms whose name fits the plant; no firm leaving the
    zone (land exit case)."""
    leaving = set(ExitCase.objects.values_list("enterprise_id", flat=True))
    output = dict(
        EnterpriseIndicator.objects.filter(year=YEARS[-1]).values_list("enterprise_id", "gross_output_wan_yuan")
    )
    by_chain: dict[str, list[Enterprise]] = {}
    firms = Enterprise.objects.filter(
        chains__code__in=CLUSTER_CHAINS, is_industrial=True, is_above_scale=True
    ).prefetch_related("chains")
    for firm in firms.distinct().order_by("pk"):
        if firm.pk in leaving:
            continue
        for chain in firm.chains.all():
            by_chain.setdefault(chain.code, []).append(firm)
    where = _centroids([f.pk for fs in by_chain.values() for f in fs])
    chosen: dict[str, Enterprise] = {}
    for plant in PLANTS:
        pool = [f for f in by_chain.get(plant.chain, []) if f.pk in where and f not in chosen.values()]
        fitting = [f for f in pool if any(w in f.name for w in plant.words)] or pool
        if not fitting:
            return {}
        if not chosen:
            firm = max(fitting, key=lambda f: (output.get(f.pk, 0), -f.pk))
        else:
            lat = sum(where[f.pk][0] for f in chosen.values()) / len(chosen)
            lon = sum(where[f.pk][1] for f in chosen.values()) / len(chosen)
            firm = min(fitting, key=lambda f: (round(haversine_km(where[f.pk], (lat, lon)), 6), f.pk))
        chosen[plant.key] = firm
    return chosen


class Year:
    """One year's flows and exchanges of the cluster, in pure tonnes (``quantity_t × purity``)."""

    def __init__(self):
        self.flows: dict[tuple[str, str, str], float] = {}  # (plant, material, role) → pure t
        self.exchanges: dict[tuple[str, str, str], float] = {}  # (supplier plant, receiver plant, material) → pure t

    def flow(self, plant: str, material: str, role: str, pure_t: float) -> None:
        self.flows[(plant, material, role)] = self.flows.get((plant, material, role), 0.0) + pure_t

    def ship(self, supplier: str, receiver: str, material: str, pure_t: float) -> None:
        if pure_t > 0:
            self.exchanges[(supplier, receiver, material)] = pure_t

    def get(self, plant: str, material: str, role: str) -> float:
        return self.flows.get((plant, material, role), 0.0)


def cluster_year(scale: dict[str, float]) -> Year:
    """The cluster's flows and exchanges for one year; ``scale`` is each plant's main output (t) where it is set
    by its own capacity (the silicone loop's hydrolysis and methyl chloride follow the monomer maker)."""
    mm = {row[0]: _mm(row[3]) for row in MATERIALS}
    y = Year()

    # Monomer: Si + 2 CH3Cl → (CH3)2SiCl2; nine tenths go to hydrolysis, the rest is sold.
    dmdcs = scale["monomer"]
    y.flow("monomer", "si", IN, dmdcs * mm["si"] / mm["dmdcs"])
    y.flow("monomer", "ch3cl", IN, dmdcs * 2 * mm["ch3cl"] / mm["dmdcs"])
    y.flow("monomer", "dmdcs", P, dmdcs)
    # Hydrolysis: (CH3)2SiCl2 + H2O → ¼ (CH3)8Si4O4 + 2 HCl.
    hydrolysed = 0.9 * dmdcs
    y.ship("monomer", "hydrolysis", "dmdcs", hydrolysed)
    y.flow("hydrolysis", "dmdcs", IN, hydrolysed)
    y.flow("hydrolysis", "h2o", IN, hydrolysed * mm["h2o"] / mm["dmdcs"])
    y.flow("hydrolysis", "d4", P, hydrolysed * mm["d4"] / 4 / mm["dmdcs"])
    hcl_hydrolysis = hydrolysed * 2 * mm["hcl"] / mm["dmdcs"]
    y.flow("hydrolysis", "hcl", B, hcl_hydrolysis)
    # Methyl chloride: CH3OH + HCl → CH3Cl + H2O; all the monomer maker needs, plus 8 % sold.
    for_monomer = y.get("monomer", "ch3cl", IN)
    ch3cl = for_monomer * 1.08
    y.ship("methyl_chloride", "monomer", "ch3cl", for_monomer)
    y.flow("methyl_chloride", "ch3oh", IN, ch3cl * mm["ch3oh"] / mm["ch3cl"])
    hcl_needed = ch3cl * mm["hcl"] / mm["ch3cl"]
    y.flow("methyl_chloride", "hcl", IN, hcl_needed)
    y.flow("methyl_chloride", "ch3cl", P, ch3cl)
    y.flow("methyl_chloride", "h2o", W, ch3cl * mm["h2o"] / mm["ch3cl"])

    # HF: CaF2 + H2SO4 → CaSO4 + 2 HF.
    hf = scale["hf"]
    y.flow("hf", "caf2", IN, hf * mm["caf2"] / 2 / mm["hf"])
    y.flow("hf", "h2so4", IN, hf * mm["h2so4"] / 2 / mm["hf"])
    y.flow("hf", "hf", P, hf)
    y.flow("hf", "fluorogypsum", W, hf * mm["fluorogypsum"] / 2 / mm["hf"])
    # HCFC-22: CHCl3 + 2 HF → CHClF2 + 2 HCl; HF from the neighbour (up to 90 % of its output), the rest bought.
    r22 = scale["hcfc22"]
    hf_needed = r22 * 2 * mm["hf"] / mm["hcfc-22"]
    y.ship("hf", "hcfc22", "hf", min(hf_needed, 0.9 * hf))
    y.flow("hcfc22", "chcl3", IN, r22 * mm["chcl3"] / mm["hcfc-22"])
    y.flow("hcfc22", "hf", IN, hf_needed)
    y.flow("hcfc22", "hcfc-22", P, r22)
    hcl_r22 = r22 * 2 * mm["hcl"] / mm["hcfc-22"]
    y.flow("hcfc22", "hcl", B, hcl_r22)

    # Chlor-alkali: 2 NaCl + 2 H2O → Cl2 + 2 NaOH + H2.
    cl2 = scale["chlor_alkali"]
    y.flow("chlor_alkali", "nacl", IN, cl2 * 2 * mm["nacl"] / mm["cl2"])
    y.flow("chlor_alkali", "h2o", IN, cl2 * 2 * mm["h2o"] / mm["cl2"])
    y.flow("chlor_alkali", "cl2", P, cl2)
    y.flow("chlor_alkali", "naoh", P, cl2 * 2 * mm["naoh"] / mm["cl2"])
    h2_alkali = cl2 * mm["h2"] / mm["cl2"]
    y.flow("chlor_alkali", "h2", B, h2_alkali)

    # Trichlorosilane: Si + 3 HCl → SiHCl3 + H2 (the H2 is flared: a surplus).
    tcs = scale["trichlorosilane"]
    y.flow("trichlorosilane", "si", IN, tcs * mm["si"] / mm["sihcl3"])
    tcs_hcl = tcs * 3 * mm["hcl"] / mm["sihcl3"]
    y.flow("trichlorosilane", "hcl", IN, tcs_hcl)
    y.flow("trichlorosilane", "sihcl3", P, tcs)
    y.flow("trichlorosilane", "h2", B, tcs * mm["h2"] / mm["sihcl3"])
    # Silane: 4 SiHCl3 → SiH4 + 3 SiCl4; its trichlorosilane from the neighbour (at most 60 % of its output).
    silane_tcs = min(scale["silane"], 0.6 * tcs)
    y.ship("trichlorosilane", "silane", "sihcl3", silane_tcs)
    y.flow("silane", "sihcl3", IN, silane_tcs)
    y.flow("silane", "sih4", P, silane_tcs * mm["sih4"] / 4 / mm["sihcl3"])
    sicl4 = silane_tcs * 3 * mm["sicl4"] / 4 / mm["sihcl3"]
    y.flow("silane", "sicl4", B, sicl4)
    # Fumed silica: SiCl4 + 2 H2 + O2 → SiO2 + 4 HCl; SiCl4 from the silane maker, H2 from chlor-alkali.
    sio2 = scale["fumed_silica"]
    sicl4_needed = sio2 * mm["sicl4"] / mm["sio2"]
    h2_needed = sio2 * 2 * mm["h2"] / mm["sio2"]
    y.ship("silane", "fumed_silica", "sicl4", min(sicl4, sicl4_needed))
    y.ship("chlor_alkali", "fumed_silica", "h2", min(h2_alkali, h2_needed))
    y.flow("fumed_silica", "sicl4", IN, sicl4_needed)
    y.flow("fumed_silica", "h2", IN, h2_needed)
    y.flow("fumed_silica", "o2", IN, sio2 * mm["o2"] / mm["sio2"])
    y.flow("fumed_silica", "sio2", P, sio2)
    hcl_silica = sio2 * 4 * mm["hcl"] / mm["sio2"]
    y.flow("fumed_silica", "hcl", B, hcl_silica)

    # Hydrogen chloride: hydrolysis → methyl chloride (pipeline), fumed silica → trichlorosilane; the HCFC-22
    # maker sells a fifth to each, neutralises the rest; both buyers still buy some from outside.
    from_hydrolysis = min(hcl_hydrolysis, hcl_needed)
    y.ship("hydrolysis", "methyl_chloride", "hcl", from_hydrolysis)
    y.ship("hcfc22", "methyl_chloride", "hcl", min(0.2 * hcl_r22, hcl_needed - from_hydrolysis))
    from_silica = min(hcl_silica, tcs_hcl)
    y.ship("fumed_silica", "trichlorosilane", "hcl", from_silica)
    y.ship("hcfc22", "trichlorosilane", "hcl", min(0.2 * hcl_r22, tcs_hcl - from_silica))
    return y


def _purity(plant: str, material: str) -> float:
    return PURITY_OF.get((plant, material), PURITY.get(material, 0.995 if material not in ("h2o", "o2") else 1.0))


def _scales(rng: random.Random, cluster: dict[str, Enterprise]) -> dict[int, dict[str, float]]:
    """Year → plant → main output (t): the 2025 capacity (±10 % by seed), earlier years following the firm's
    gross output (within 60–130 % of 2025's)."""
    outputs: dict[tuple[int, int], float] = {
        (e, y): float(v)
        for e, y, v in EnterpriseIndicator.objects.filter(enterprise__in=cluster.values(), year__in=YEARS).values_list(
            "enterprise_id", "year", "gross_output_wan_yuan"
        )
    }
    base = {p.key: p.base_t * rng.uniform(0.9, 1.1) for p in PLANTS}
    scales: dict[int, dict[str, float]] = {}
    for year in YEARS:
        scales[year] = {}
        for key, firm in cluster.items():
            last = outputs.get((firm.pk, YEARS[-1])) or 1.0
            index = min(1.3, max(0.6, outputs.get((firm.pk, year), last) / last))
            scales[year][key] = base[key] * index
    return scales


def load_materials(report) -> dict[str, Material]:
    objs = [
        Material(
            code=code,
            name=name,
            name_en=name_en,
            formula=formula,
            hazard=hazard,
            hazardous_waste_code=hw,
            disposal_cost_yuan_per_t=Decimal(str(disposal)),
            virgin_price_yuan_per_t=Decimal(str(price)),
            transport_cost_yuan_per_t_km=Decimal(transport),
            co2_avoided_t_per_t=Decimal(co2),
        )
        for code, name, name_en, formula, hazard, hw, disposal, price, transport, co2, _chains in MATERIALS
    ]
    existing = set(Material.objects.filter(code__in=[m.code for m in objs]).values_list("code", flat=True))
    Material.objects.bulk_create([m for m in objs if m.code not in existing])
    report.add("materials", len(objs) - len(existing))
    materials = {m.code: m for m in Material.objects.filter(code__in=[m.code for m in objs])}
    chains = {c.code: c.pk for c in IndustryChain.objects.filter(code__in=CLUSTER_CHAINS)}
    through = Material.chains.through
    links = [
        through(material_id=materials[row[0]].pk, industrychain_id=chains[CHAIN_LETTERS[letter]])
        for row in MATERIALS
        for letter in row[-1]
        if CHAIN_LETTERS[letter] in chains
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    return materials


def load_cluster(rng: random.Random, report, materials: dict[str, Material]) -> dict[str, Enterprise]:
    cluster = pick_cluster()
    if not cluster:
        return {}
    scales = _scales(rng, cluster)
    where = _centroids([e.pk for e in cluster.values()])
    process = {p.key: p.process for p in PLANTS}
    flows, exchanges = [], []
    for year in YEARS:
        plan = cluster_year(scales[year])
        for (key, code, role), pure in plan.flows.items():
            purity = _purity(key, code)
            flows.append(
                Flow(
                    enterprise=cluster[key],
                    year=year,
                    material=materials[code],
                    role=role,
                    quantity_t=_t(pure / purity),
                    purity=Decimal(str(purity)),
                    process=process[key],
                )
            )
        for (supplier, receiver, code), pure in plan.exchanges.items():
            km = haversine_km(where[cluster[supplier].pk], where[cluster[receiver].pk])
            piped = code in PIPED and km <= PIPE_KM
            exchanges.append(
                Exchange(
                    year=year,
                    supplier=cluster[supplier],
                    receiver=cluster[receiver],
                    material=materials[code],
                    quantity_t=_t(pure / _purity(supplier, code)),
                    mode=Exchange.Mode.PIPELINE if piped else Exchange.Mode.TRUCK,
                    distance_km=Decimal(str(round(km, 2))),
                )
            )
    before = Flow.objects.count()
    Flow.objects.bulk_create(flows, ignore_conflicts=True, batch_size=500)
    report.add("material flows", Flow.objects.count() - before)
    before = Exchange.objects.count()
    Exchange.objects.bulk_create(exchanges, ignore_conflicts=True, batch_size=500)
    report.add("by-product exchanges", Exchange.objects.count() - before)
    return cluster


def load_resources(rng: random.Random, report, cluster: dict[str, Enterprise]) -> None:
    """Yearly resource data of the zone's industrial firms: water from their yearly figures, a reuse share
    (chemical firms reuse the most), solid waste and main resources from output (the cluster's from its flows)."""
    chemical = set(
        Enterprise.chains.through.objects.filter(
            industrychain__code__in=(*CLUSTER_CHAINS, "fine-chemicals")
        ).values_list("enterprise_id", flat=True)
    )
    inputs: dict[tuple[int, int], float] = {}
    wastes: dict[tuple[int, int], float] = {}
    solid = ("fluorogypsum",)
    for ent, year, code, role, q in Flow.objects.filter(enterprise__in=cluster.values()).values_list(
        "enterprise_id", "year", "material__code", "role", "quantity_t"
    ):
        if role == IN and code not in ("h2o", "o2"):
            inputs[(ent, year)] = inputs.get((ent, year), 0.0) + float(q)
        if role == W and code in solid:
            wastes[(ent, year)] = wastes.get((ent, year), 0.0) + float(q)
    rows = []
    indicators = EnterpriseIndicator.objects.filter(enterprise__is_industrial=True, year__in=YEARS).order_by(
        "enterprise_id", "year"
    )
    for ind in indicators.values_list("enterprise_id", "year", "water_wan_t", "gross_output_wan_yuan",
                                      "value_added_wan_yuan"):  # fmt: skip
        ent, year, water, output, value_added = ind
        chem = ent in chemical
        fresh = float(water or 0) * 10000
        reuse = rng.uniform(0.88, 0.96) if chem else rng.uniform(0.45, 0.85)  # share of all water used
        generated = wastes.get((ent, year)) or float(output) * (
            rng.uniform(0.08, 0.4) if chem else rng.uniform(0.005, 0.05)
        )
        used = generated * (rng.uniform(0.8, 0.97) if (ent, year) in wastes else rng.uniform(0.6, 0.98))
        stored = (generated - used) * rng.uniform(0.2, 0.6)
        main = inputs.get((ent, year)) or float(value_added) * 10000 / rng.uniform(4000, 15000)
        rows.append(
            ResourceYear(
                enterprise_id=ent,
                year=year,
                fresh_water_t=_t(fresh),
                reused_water_t=_t(fresh * reuse / (1 - reuse)),
                solid_waste_generated_t=_t(generated),
                solid_waste_used_t=_t(used),
                solid_waste_stored_t=_t(stored),
                main_resources_t=_t(main),
            )
        )
    before = ResourceYear.objects.count()
    ResourceYear.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    report.add("resource years", ResourceYear.objects.count() - before)


def _other_firms(cluster: dict[str, Enterprise]) -> list[Enterprise]:
    """The chemical firms outside the cluster with projects, by output 2025 (largest first)."""
    leaving = set(ExitCase.objects.values_list("enterprise_id", flat=True))
    taken = {e.pk for e in cluster.values()} | leaving
    firms = (
        Enterprise.objects.filter(
            chains__code__in=(*CLUSTER_CHAINS, "fine-chemicals"),
            is_industrial=True,
            is_above_scale=True,
            indicators__year=YEARS[-1],
        )
        .exclude(pk__in=taken)
        .annotate(output=Sum("indicators__gross_output_wan_yuan"))
        .order_by("-output", "pk")
        .distinct()
    )
    return list(firms)


def load_projects(rng: random.Random, report, cluster: dict[str, Enterprise]) -> None:
    others = _other_firms(cluster)
    objs = []
    for n, (name, owner, key, category, batch, invest, central, status, grade) in enumerate(PROJECTS, start=1):
        if owner == G:
            enterprise = None
        elif key.startswith("other:"):
            enterprise = others[int(key.split(":")[1]) % len(others)] if others else None
        else:
            enterprise = cluster.get(key) or (others[n % len(others)] if others else None)
        if owner == E and enterprise is None:
            continue
        started = date(batch, rng.randint(3, 10), 1)
        completed = date(batch + rng.randint(1, 3), rng.randint(1, 12), 1) if status != S.BUILDING else None
        if status == S.COMPLETED:
            completed = date(2025, rng.randint(3, 9), 1)
        accepted = date(max(completed.year + 1, 2019), rng.randint(3, 11), 15) if status == S.ACCEPTED else None
        paid = {S.ACCEPTED: 1.0, S.COMPLETED: 0.7, S.BUILDING: 0.4}[status]
        if grade == GR.FAILED:
            paid = 0.6  # the rest withheld when it failed acceptance
        scale = invest / 1000
        objs.append(
            CircularProject(
                code=f"XHH-{batch}-{n:02d}",
                name=name,
                owner=owner,
                enterprise=enterprise,
                category=category,
                batch_year=batch,
                total_investment_wan_yuan=Decimal(invest),
                central_funds_approved_wan_yuan=Decimal(central),
                central_funds_paid_wan_yuan=Decimal(round(central * paid)),
                energy_saved_tce=_t(scale * rng.uniform(300, 1200)),
                water_saved_t=_t(scale * rng.uniform(2000, 30000) * (3 if category == C.ZERO_DISCHARGE else 1)),
                co2_cut_t=_t(scale * rng.uniform(800, 3000)),
                waste_cut_t=_t(scale * rng.uniform(300, 2500) * (2 if category == C.BYPRODUCT else 1)),
                status=status,
                started_on=started,
                completed_on=completed,
                accepted_on=accepted,
                grade=grade,
                description=_project_description(category, batch),
            )
        )
    existing = set(CircularProject.objects.filter(code__in=[o.code for o in objs]).values_list("code", flat=True))
    CircularProject.objects.bulk_create([o for o in objs if o.code not in existing])
    report.add("circular projects", len(objs) - len(existing))


def _project_description(category: str, batch: int) -> str:
    what = {
        C.BYPRODUCT: "副产物就近交换利用，减少外购原料和危废处置",
        C.CHAIN: "链接上下游装置，延伸循环产业链",
        C.ZERO_DISCHARGE: "污染物收集处理回用，实现近零排放",
        C.RESEARCH: "循环经济关键技术研发、中试和成果孵化",
    }[category]
    return f"国家园区循环化改造示范试点 {batch} 年度项目：{what}。"


@unrecorded
def load_circular(rng: random.Random, report) -> None:
    """Materials, the cluster's flows and exchanges, resource data and the 23 projects (idempotent)."""
    materials = load_materials(report)
    cluster = load_cluster(rng, report, materials)
    load_resources(rng, report, cluster)
    load_projects(rng, report, cluster)


def hints() -> dict[str, str]:
    """What each persona finds in the circular economy module, from what is loaded (for the printed logins)."""
    year = YEARS[-1]
    projects = CircularProject.objects.count()
    if not projects and not Flow.objects.exists():
        return {}
    found: dict[str, str] = {}
    figures = CircularProject.objects.aggregate(
        invest=Sum("total_investment_wan_yuan"), central=Sum("central_funds_approved_wan_yuan")
    )
    found["leader"] = _(
        "circular economy (循环化改造): the park indicators, %(n)d transformation projects (%(invest)s 10k yuan "
        "invested, %(central)s 10k yuan central funds), what-if optimisations"
    ) % {"n": projects, "invest": f"{figures['invest'] or 0:,.0f}", "central": f"{figures['central'] or 0:,.0f}"}
    found["admin"] = _("circular economy (循环化改造): materials, flows, exchanges, resource data, projects")
    hcl = Material.objects.filter(code="hcl").first()
    if hcl is not None:
        made = Flow.objects.filter(year=year, material=hcl, role=B).aggregate(t=Sum("quantity_t"))["t"] or 0
        shipped = Exchange.objects.filter(year=year, material=hcl).aggregate(t=Sum("quantity_t"))["t"] or 0
        text = _(
            "circular economy (循环化改造): the %(year)d exchange network and its chlorine loop, the exchange "
            "optimiser (%(left)s t of by-product HCl not exchanged yet)"
        ) % {"year": year, "left": f"{max(made - shipped, 0):,.0f}"}
        found["dept1"] = found["dept2"] = text
    ids = set(Flow.objects.filter(year=year).values_list("enterprise_id", flat=True))
    for user in User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=ids, username__in=("ent1", "ent2")):
        found[user.username] = _("circular economy (循环化改造): its flows, exchanges and element balance")
    served: dict[str, int] = {}
    for username in (
        Assignment.objects.active().filter(enterprise_id__in=ids).values_list("officer__username", flat=True)
    ):
        served[username] = served.get(username, 0) + 1
    for username in ("officer1", "officer2"):
        if served.get(username):
            found[username] = _("circular economy (循环化改造): %(n)d firms served in the HCl/H2 cluster") % {
                "n": served[username]
            }
    if served and not any(served.get(u) for u in ("officer1", "officer2")):
        # The officer serving most of the cluster (same password), printed after the personas.
        username = max(sorted(served), key=served.get)
        found[username] = _(
            "(same password) circular economy (循环化改造): serves %(n)d firms of the HCl/H2 cluster"
        ) % {"n": served[username]}
    return found
