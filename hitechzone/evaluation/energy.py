"""Energy: fuels converted to standard coal (GB/T 2589-2020) and the yearly energy ranking (单位工业增加值能耗).

Coefficients
    GB/T 2589-2020《综合能耗计算通则》(General principles for calculation of the comprehensive energy
    consumption), Appendix A, 各种能源折标准煤参考系数: the reference coefficients below, in kilograms of
    coal equivalent (kgce; 1 kgce = 29,307 kJ = 7,000 kcal) per kilogram, cubic metre, kilowatt-hour or
    megajoule of the fuel. The standard gives a range for some gases; we use:

    - natural gas 1.2143 kgce/m³ (8,500 kcal/m³, the value in common use, inside the standard's 1.1000–1.3300);
    - coke-oven gas 0.5929 kgce/m³ (the middle of the standard's 0.5714–0.6143);
    - steam 0.1286 kgce/kg (low-pressure steam, 3,763 MJ/t, the value of the usual reference tables): a firm
      that meters its steam by heat reports it as heat (GJ);
    - heat 0.03412 kgce/MJ (the standard's value for 热力);
    - electricity on the calorific basis (当量值) 0.1229 kgce/kWh (3,600 kJ/kWh). A year may instead use the
      equal-value basis (等价值: the year's coal consumption of power supply, e.g. 0.3 kgce/kWh), set in its
      :class:`~hitechzone.evaluation.models.EnergyYear` row; a year without a row uses the calorific basis.

Units
    Each fuel is reported in one unit, the unit of the statistical form 205-1 (能源购进、消费与库存): solid and
    liquid fuels and steam in tonnes (吨), gases in 10,000 m³ (万立方米), heat in GJ (吉焦, = 百万千焦) and
    electricity in 10,000 kWh (万千瓦时, as the yearly indicators). ``Fuel.kgce_per_unit`` is the coefficient
    per that unit (714.3 kgce per tonne of raw coal).

The ranking
    :func:`rank_energy` ranks, for a year, every enterprise with value added > 0 and energy > 0: its energy is
    the sum of its converted :class:`EnergyUse` rows of the year when it has any (source ``fuels``), else the
    comprehensive energy use of its yearly indicators (``reported``); the intensity is tce per 10,000 yuan of
    industrial value added, lower is better. Ranks in the zone and within the industry division (GB/T 4754 大类,
    the first two digits of the enterprise's industry code); ties go to the lower USCC.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common import formatting
from hitechzone.common.rules import require
from hitechzone.enterprises.models import EnterpriseIndicator

from .models import EnergyRanking, EnergyRankingEntry, EnergyUse, EnergyYear
from .roles import EDITORS, effective_role

Progress = Callable[[int, str], None]

CALORIFIC_KGCE_PER_KWH = Decimal("0.1229")
KG_PER_TCE = Decimal(1000)
ENTRY_BATCH = 2000


@dataclass(frozen=True)
class Unit:
    code: str  # as the API and the docs write it
    name_zh: str  # as the workbook writes it
    per_unit: int  # how many of the coefficient's base unit (kg, m³, kWh, MJ) one reporting unit holds
    aliases: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        key = unit_key(text)
        return key in {unit_key(self.code), unit_key(self.name_zh), *(unit_key(a) for a in self.aliases)}


TONNE = Unit("t", "吨", 1000, ("吨", "公吨", "t", "tonne", "ton"))
WAN_M3 = Unit("10^4 m³", "万立方米", 10_000, ("万m3", "万m³", "万立方", "万方", "10^4m3", "10⁴m³", "10000m3"))
WAN_KWH = Unit("10^4 kWh", "万千瓦时", 10_000, ("万kWh", "万度", "万千瓦小时", "10^4kWh", "10⁴kWh"))
GJ = Unit("GJ", "吉焦", 1000, ("GJ", "吉焦", "百万千焦", "10^6kJ"))


def unit_key(text) -> str:
    """How units and fuel names compare: NFKC (m³ → m3), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).lower()


@dataclass(frozen=True)
class Fuel:
    code: str
    name_zh: str
    label: str  # lazy; English msgid
    unit: Unit
    coefficient: Decimal  # kgce per ``base`` (the standard's reference value)
    base: str  # kg, m³, kWh, MJ
    aliases: tuple[str, ...] = ()

    @property
    def kgce_per_unit(self) -> Decimal:
        """kgce per reporting unit (per tonne, per 10,000 m³ …)."""
        return self.coefficient * self.unit.per_unit

    @property
    def reference(self) -> str:
        """The coefficient as the standard writes it, its unit in the reader's words ("0.1229 千克标准煤/千瓦时")."""
        return formatting.quantity(self.coefficient, KGCE_PER[self.base], -self.coefficient.as_tuple().exponent)

    @property
    def is_electricity(self) -> bool:
        return self.code == ELECTRICITY


ELECTRICITY = "electricity"
#: A coefficient's base unit → the code of "kgce per that unit" in the one formatter's table.
KGCE_PER = {"kg": "kgce_per_kg", "m³": "kgce_per_m3", "kWh": "kgce_per_kwh", "MJ": "kgce_per_mj"}


def _fuel(code, name_zh, label, unit, coefficient, base, *aliases) -> Fuel:
    return Fuel(code, name_zh, label, unit, Decimal(coefficient), base, aliases)


FUELS: dict[str, Fuel] = {
    f.code: f
    for f in (
        _fuel("raw_coal", "原煤", gettext_lazy("Raw coal"), TONNE, "0.7143", "kg", "煤", "煤炭"),
        _fuel("washed_coal", "洗精煤", gettext_lazy("Washed coal"), TONNE, "0.9000", "kg", "精煤"),
        _fuel("coke", "焦炭", gettext_lazy("Coke"), TONNE, "0.9714", "kg"),
        _fuel("crude_oil", "原油", gettext_lazy("Crude oil"), TONNE, "1.4286", "kg"),
        _fuel("fuel_oil", "燃料油", gettext_lazy("Fuel oil"), TONNE, "1.4286", "kg", "重油"),
        _fuel("gasoline", "汽油", gettext_lazy("Gasoline"), TONNE, "1.4714", "kg"),
        _fuel("kerosene", "煤油", gettext_lazy("Kerosene"), TONNE, "1.4714", "kg"),
        _fuel("diesel", "柴油", gettext_lazy("Diesel"), TONNE, "1.4571", "kg"),
        _fuel("lpg", "液化石油气", gettext_lazy("Liquefied petroleum gas"), TONNE, "1.7143", "kg", "LPG"),
        _fuel("refinery_gas", "炼厂干气", gettext_lazy("Refinery gas"), TONNE, "1.5714", "kg"),
        _fuel("natural_gas", "天然气", gettext_lazy("Natural gas"), WAN_M3, "1.2143", "m³"),
        _fuel("coke_oven_gas", "焦炉煤气", gettext_lazy("Coke-oven gas"), WAN_M3, "0.5929", "m³"),
        _fuel("steam", "蒸汽", gettext_lazy("Steam"), TONNE, "0.1286", "kg"),
        _fuel("heat", "热力", gettext_lazy("Heat"), GJ, "0.03412", "MJ", "热"),
        _fuel(ELECTRICITY, "电力", gettext_lazy("Electricity"), WAN_KWH, "0.1229", "kWh", "电", "用电"),
    )
}


def find_fuel(text) -> Fuel | None:
    """A fuel by its code, Chinese name or a common other name (``原煤``, ``raw_coal``, ``LPG``)."""
    key = unit_key(text)
    if not key:
        return None
    for fuel in FUELS.values():
        if key in {fuel.code, unit_key(fuel.name_zh), *(unit_key(a) for a in fuel.aliases)}:
            return fuel
    return None


def to_tce(fuel: Fuel | str, quantity, *, electricity_kgce_per_kwh: Decimal = CALORIFIC_KGCE_PER_KWH) -> Decimal:
    """Tonnes of coal equivalent of ``quantity`` of ``fuel`` in the fuel's reporting unit (exact, not rounded).

    >>> to_tce("raw_coal", 1000)                # 1,000 t of raw coal
    Decimal('714.3000')
    >>> to_tce("electricity", 100)              # 1,000,000 kWh on the calorific basis
    Decimal('122.9000')
    """
    if isinstance(fuel, str):
        fuel = FUELS[fuel]
    coefficient = Decimal(electricity_kgce_per_kwh) if fuel.is_electricity else fuel.coefficient
    return Decimal(quantity) * coefficient * fuel.unit.per_unit / KG_PER_TCE


def electricity_factor(year: int) -> tuple[str, Decimal]:
    """The year's electricity basis and factor (kgce/kWh): its EnergyYear row, else calorific 0.1229."""
    setting = EnergyYear.objects.filter(year=year).first()
    if (
        setting is not None
        and setting.electricity_basis == EnergyYear.Basis.EQUAL_VALUE
        and setting.equal_value_kgce_per_kwh is not None
    ):
        return EnergyYear.Basis.EQUAL_VALUE, setting.equal_value_kgce_per_kwh
    return EnergyYear.Basis.CALORIFIC, CALORIFIC_KGCE_PER_KWH


def rankings_up_to(year: int) -> int:
    """How many years up to and including ``year`` have an energy ranking."""
    return EnergyRanking.objects.filter(year__lte=year).count()


def _is_admin(user) -> bool:
    return effective_role(user) in EDITORS


# --- Settings of a year ----------------------------------------------------------------------------------------


@transaction.atomic
def energy_year_set(
    *, by, year: int, electricity_basis: str, equal_value_kgce_per_kwh: Decimal | None = None
) -> EnergyYear:
    """Set how a year's electricity is converted (administrators). The equal-value basis needs its factor."""
    from django.core.exceptions import ValidationError

    require(_is_admin(by), _("Only administrators set the energy conversion of a year."))
    require(
        electricity_basis in EnergyYear.Basis.values,
        _("Choose the calorific or the equal-value basis."),
    )
    if electricity_basis == EnergyYear.Basis.CALORIFIC:
        equal_value_kgce_per_kwh = None
    setting = EnergyYear.objects.filter(year=year).first() or EnergyYear(year=year)
    setting.electricity_basis = electricity_basis
    setting.equal_value_kgce_per_kwh = equal_value_kgce_per_kwh
    try:
        setting.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise _refused(exc) from None
    setting.save()
    return setting


@transaction.atomic
def energy_year_remove(*, by, setting: EnergyYear) -> None:
    """Remove a year's setting: the year goes back to the calorific basis (administrators)."""
    require(_is_admin(by), _("Only administrators set the energy conversion of a year."))
    setting.delete()


def _refused(exc):
    from hitechzone.common.rules import Refused

    messages = [str(m) for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms]
    return Refused(" ".join(messages))


# --- The ranking -----------------------------------------------------------------------------------------------


def division(industry_code: str | None) -> str:
    """The GB/T 4754 division (大类, two digits) of an industry code; "" for none or a section letter."""
    code = industry_code or ""
    return code[:2] if len(code) >= 2 and code[:2].isdigit() else ""


def _no_progress(percent: int, stage: str) -> None:
    return None


def fuel_energy(year: int, *, electricity_kgce_per_kwh: Decimal) -> dict[int, Decimal]:
    """Enterprise id → tce of its EnergyUse rows of the year (only enterprises that have rows)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    # In key order: a Decimal sum rounds at its context's precision, so the order must not be the database's.
    rows = EnergyUse.objects.filter(year=year).values_list("enterprise_id", "fuel", "quantity").order_by("pk")
    for enterprise_id, code, quantity in rows.iterator(chunk_size=10_000):
        fuel = FUELS.get(code)
        totals[enterprise_id] += (
            to_tce(fuel, quantity, electricity_kgce_per_kwh=electricity_kgce_per_kwh) if fuel else Decimal(0)
        )
    return totals


def rank_energy(*, by, year: int, progress: Progress | None = None) -> EnergyRanking:
    """Rank the year (administrators): replaces the year's entries, in one transaction; see the module text."""
    progress = progress or _no_progress
    require(_is_admin(by), _("Only administrators run the energy ranking."))
    basis, factor = electricity_factor(year)
    progress(5, _("Converting the fuels"))
    from_fuels = fuel_energy(year, electricity_kgce_per_kwh=factor)
    progress(30, _("Reading the yearly figures"))
    indicators = (
        EnterpriseIndicator.objects.filter(year=year, value_added_wan_yuan__gt=0)
        .values_list(
            "enterprise_id", "enterprise__uscc", "enterprise__industry_id", "value_added_wan_yuan", "energy_tce"
        )
        .order_by()
    )
    ranked = []  # (intensity, uscc, enterprise_id, tce, source, value_added, division)
    for enterprise_id, uscc, industry, value_added, reported in indicators.iterator(chunk_size=10_000):
        if enterprise_id in from_fuels:
            tce, source = from_fuels[enterprise_id], EnergyRankingEntry.Source.FUELS
        else:
            tce, source = reported, EnergyRankingEntry.Source.REPORTED
        if tce is None or tce <= 0:
            continue
        ranked.append((tce / value_added, uscc, enterprise_id, tce, source, value_added, division(industry)))
    progress(55, _("Ranking"))
    ranked.sort(key=lambda r: (r[0], r[1]))
    by_division: dict[str, int] = defaultdict(int)
    for row in ranked:
        if row[6]:
            by_division[row[6]] += 1
    seen: dict[str, int] = defaultdict(int)
    with transaction.atomic():
        ranking = EnergyRanking.objects.select_for_update().filter(year=year).first() or EnergyRanking(year=year)
        ranking.electricity_basis = basis
        ranking.electricity_kgce_per_kwh = factor
        ranking.ranked = len(ranked)
        ranking.created_by = by
        ranking.save()  # audited (signals)
        EnergyRankingEntry.objects.filter(ranking=ranking).delete()
        progress(65, _("Writing the entries"))
        entries = []
        for rank, (intensity, _uscc, enterprise_id, tce, source, value_added, code) in enumerate(ranked, start=1):
            industry_rank = None
            if code:
                seen[code] += 1
                industry_rank = seen[code]
            entries.append(
                EnergyRankingEntry(
                    ranking=ranking,
                    enterprise_id=enterprise_id,
                    energy_tce=float(tce),
                    source=source,
                    value_added_wan_yuan=float(value_added),
                    intensity=float(intensity),
                    rank=rank,
                    industry_code=code,
                    industry_rank=industry_rank,
                    industry_size=by_division[code] if code else None,
                )
            )
        for i in range(0, len(entries), ENTRY_BATCH):
            EnergyRankingEntry.objects.bulk_create(entries[i : i + ENTRY_BATCH])
            progress(65 + int(30 * (i + ENTRY_BATCH) / max(len(entries), 1)), "")
    progress(100, _("Done"))
    return ranking
