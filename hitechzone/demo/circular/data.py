"""The demo's M5 data: materials, the cluster's plants and what they make, the projects."""

from __future__ import annotations

from dataclasses import dataclass

from hitechzone.circular.models import CircularProject, Flow, Material

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
