"""The demo's chemical cluster: which enterprises, where, and the mass balance of a year."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg

from hitechzone.circular.chemistry import molar_mass
from hitechzone.common.geo import haversine_km
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator
from hitechzone.evaluation.models import ExitCase
from hitechzone.zone.models import Parcel

from .data import CLUSTER_CHAINS, IN, MATERIALS, PLANTS, YEARS, B, P, W

# --- The cluster and its years -------------------------------------------------------------------------------------


def _t(x: float) -> Decimal:
    return Decimal(str(round(x, 3)))


def _mm(formula: str) -> float:
    return molar_mass(formula)


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
