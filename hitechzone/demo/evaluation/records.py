"""The demo's exemptions and vetoes, and its energy years, fuels and rankings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hitechzone.evaluation import energy, services
from hitechzone.evaluation.models import (
    EnergyUse,
    Exemption,
    Veto,
)

from .world import ACCIDENTS, CHEMICAL, ENERGY_YEARS, WORKSHOPS, YEARS, World

# --- Exemptions and vetoes -------------------------------------------------------------------------------------


def _candidates(w: World, *, year: int, chemical: bool | None = None, above: bool | None = None) -> list[int]:
    ids = []
    for pk in w.enterprises:
        if pk in w.personas or pk in w.used or (pk, year) not in w.figures:
            continue
        if chemical is not None and (w.chain.get(pk) in CHEMICAL) != chemical:
            continue
        if above is not None and w.above(pk, year) != above:
            continue
        ids.append(pk)
    return ids


def load_exemptions(w: World, report) -> None:
    """A public utility every year, firms in their first year of production, a relocation in 2025."""
    n = 0
    utility = w.rng.choice([pk for pk in _candidates(w, year=YEARS[0]) if not w.enterprises[pk].is_industrial])
    w.used.add(utility)
    for year in YEARS:
        services.exemption_set(
            by=w.admin,
            enterprise=w.enterprises[utility],
            year=year,
            reason=Exemption.Reason.PUBLIC_UTILITY,
            details="园区公共仓储和应急物资储备中心的运营单位，承担公益性保障任务（管委会认定）",
        )
        n += 1
    # The most recently founded firms: the two newest began production in 2024, the next two in 2023.
    newest = sorted(
        (pk for pk in _candidates(w, year=YEARS[0]) if w.enterprises[pk].is_industrial),
        key=lambda pk: (w.enterprises[pk].established_on or date.min, w.enterprises[pk].uscc),
        reverse=True,
    )[:4]
    for i, pk in enumerate(newest):
        year = 2024 if i < 2 else 2023
        founded = w.enterprises[pk].established_on
        services.exemption_set(
            by=w.admin,
            enterprise=w.enterprises[pk],
            year=year,
            reason=Exemption.Reason.FIRST_YEAR,
            details=f"{founded.year} 年设立，{year} 年为投产第一年，产能尚未释放",
        )
        w.used.add(pk)
        n += 1
    # A healthy chemical firm rebuilding its plant elsewhere in the zone in 2025.
    strong = sorted(_candidates(w, year=2025, chemical=True, above=True), key=lambda pk: -w.tax_per_mu(pk, 2025))[:10]
    relocating = w.rng.choice(strong)
    services.exemption_set(
        by=w.admin,
        enterprise=w.enterprises[relocating],
        year=2025,
        reason=Exemption.Reason.RELOCATION,
        details="老厂区整体搬迁至集聚区新址，2025 年停产改建 7 个月",
    )
    w.used.add(relocating)
    report.add("evaluation exemptions", n + 1)


def load_vetoes(w: World, report) -> None:
    """One or two vetoes a year: safety accidents at chemical plants, once an environmental violation."""
    n = 0
    for year in YEARS:
        pool = [
            pk
            for pk in _candidates(w, year=year, chemical=True, above=True)
            if (w.enterprises[pk].established_on or date.min).year < year - 2
        ]
        for k in range(1 if year != 2024 else 2):
            pk = w.rng.choice(pool)
            pool.remove(pk)
            occurred = date(year, w.rng.randint(2, 11), w.rng.randint(1, 28))
            if year == 2024 and k == 1:
                kind = Veto.Kind.ENVIRONMENT
                reason = f"{occurred.month}月{occurred.day}日 高浓度废水通过雨水管网偷排，被生态环境部门立案查处"
            else:
                kind = Veto.Kind.SAFETY
                reason = (
                    f"{occurred.month}月{occurred.day}日 {w.rng.choice(WORKSHOPS)}发生{w.rng.choice(ACCIDENTS)}，"
                    f"造成 1 人死亡（生产安全亡人事故）"
                )
            services.veto_set(
                by=w.admin, enterprise=w.enterprises[pk], year=year, kind=kind, reason=reason, occurred_on=occurred
            )
            w.used.add(pk)
            n += 1
    report.add("evaluation vetoes", n)


# --- Energy ------------------------------------------------------------------------------------------------------


@dataclass
class FuelMix:
    """A firm's fuels other than electricity: their shares of one another, and at least what share of the
    reported energy they make (the rest of it is electricity, on the calorific basis)."""

    shares: dict[str, float]
    at_least: float


def _fuel_mix(w: World, pk: int) -> FuelMix | None:
    """None: the firm reports no fuels (it is ranked on its reported energy)."""
    rng = w.rng
    if rng.random() < 0.1:
        return None
    chain = w.chain.get(pk)
    if chain in CHEMICAL:
        coal = rng.uniform(0.2, 0.5) if rng.random() < 0.35 else 0.0
        steam = (1 - coal) * rng.uniform(0.4, 0.7)
        return FuelMix({"raw_coal": coal, "steam": steam, "natural_gas": 1 - coal - steam}, rng.uniform(0.3, 0.5))
    if chain == "biomedicine":
        steam = rng.uniform(0.5, 0.8)
        return FuelMix({"steam": steam, "natural_gas": 1 - steam}, rng.uniform(0.15, 0.3))
    if rng.random() < 0.6:
        return FuelMix({"natural_gas": 1.0}, rng.uniform(0.05, 0.2))
    return FuelMix({}, 0.0)  # electricity only


def load_energy(w: World, report) -> None:
    """The years' electricity conversion, the 规上 industrial firms' fuels, and a ranking for each year."""
    for year, (basis, factor) in ENERGY_YEARS.items():
        energy.energy_year_set(by=w.admin, year=year, electricity_basis=basis, equal_value_kgce_per_kwh=factor)
    report.add("energy years", len(ENERGY_YEARS))
    per_unit = {code: energy.to_tce(code, 1) for code in ("raw_coal", "steam", "natural_gas")}
    rows = []
    for pk, e in w.enterprises.items():
        if not e.is_industrial or not any(w.above(pk, year) for year in YEARS):
            continue
        mix = _fuel_mix(w, pk)
        if mix is None:
            continue
        for year in YEARS:
            reported = w.figure(pk, year, "energy_tce")
            if not w.above(pk, year) or reported is None:
                continue
            # Electricity is the yearly figure; the fuels make up the rest of the reported energy (or their
            # minimum share, where the electricity alone comes to more than it).
            electricity = w.figures[(pk, year)].electricity_wan_kwh or Decimal(0)
            rest = 1 - float(energy.to_tce(energy.ELECTRICITY, electricity)) / reported if reported > 0 else 0.0
            fuels = reported * max(mix.at_least, rest) * w.rng.uniform(0.95, 1.05)
            for code, share in mix.shares.items():
                if share > 0:
                    quantity = (Decimal(str(fuels * share)) / per_unit[code]).quantize(_MILLI)
                    rows.append(EnergyUse(enterprise_id=pk, year=year, fuel=code, quantity=quantity))
            if electricity:
                rows.append(EnergyUse(enterprise_id=pk, year=year, fuel=energy.ELECTRICITY, quantity=electricity))
    EnergyUse.objects.bulk_create(rows, batch_size=1000)
    report.add("energy use rows", len(rows))
    for year in YEARS:
        energy.rank_energy(by=w.admin, year=year)
    report.add("energy rankings", len(YEARS))


_MILLI = Decimal("0.001")
