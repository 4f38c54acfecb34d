"""The park's circular-economy indicators per year (NDRC 《循环经济发展评价指标体系》, the indicator set of the
circular transformation of parks, 园区循环化改造).

Each indicator is a ratio of two zone totals of one year:

==============================  ======================================================  =============
key                             formula                                                 unit
==============================  ======================================================  =============
``resource_productivity``       industrial output ÷ main resources consumed             10k yuan/t
``energy_productivity``         industrial output ÷ comprehensive energy use            10k yuan/tce
``land_productivity``           industrial output ÷ land used                           10k yuan/mu
``water_productivity``          industrial output (yuan) ÷ fresh water taken            yuan/m³
``solid_waste_utilisation``     industrial solid waste used ÷ generated                 %
``water_reuse``                 water reused ÷ (water reused + fresh water taken)       %
``byproduct_utilisation``       by-products exchanged ÷ by-products arising             %
``recovery_<element>``          element mass exchanged ÷ element mass in the            %
                                by-products, wastes and emissions
==============================  ======================================================  =============

Industrial output is ``EnterpriseIndicator.gross_output_wan_yuan``; energy and land come from the same rows
(``energy_tce``, ``land_mu``); main resources, water and solid waste from :class:`~.models.ResourceYear`. A ratio
of an enterprise's figures counts only the enterprises that reported both of them for the year, so the numerator
and the denominator cover the same firms (an enterprise without resource data does not inflate the productivity).
Water is weighed in tonnes and 1 t ≈ 1 m³, so the water productivity is given in yuan per m³ as the NDRC set does.
The solid waste utilisation is simplified to the year's use over the year's generation (waste stored in earlier
years and used this year is not added to the denominator), so it may exceed 100 %.

The by-products exchanged are the year's :class:`~.models.Exchange` rows whose supplier reports that material as a
by-product that year, at most that flow's quantity (a product sold to a neighbour is trade, not a by-product put to
use); the by-products arising are the year's by-product flows. Element recovery counts the same way over
by-products, wastes and emissions. An element's mass in a flow is quantity × purity × mass fraction (from the material's
formula, ``chemistry.mass_fractions``); in an exchange, quantity × the supplier's purity of that material (its
by-product or waste flow of the year; 1 without one) × mass fraction. Materials without a formula (mixtures) carry
no element.

A value is ``None`` when its denominator is 0 or no enterprise reported the figures. The figures are the zone's
totals: the administrators, leaders and department staff read them; anybody else is refused.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from hitechzone.common.rules import require
from hitechzone.enterprises.models import EnterpriseIndicator

from .models import Exchange, Flow, ResourceYear
from .roles import INDICATOR_READERS, effective_role

READERS = INDICATOR_READERS
WAN = Decimal(10_000)
HUNDRED = 100.0
ELEMENT_PREFIX = "recovery_"
RESIDUE_ROLES = (Flow.Role.BYPRODUCT, Flow.Role.WASTE, Flow.Role.EMISSION)


def can_read(user) -> bool:
    """The zone's figures: administrators, leaders and department staff."""
    return effective_role(user) in READERS


def _float(value) -> float | None:
    return None if value is None else float(value)


def _ratio(numerator, denominator, *, scale: float = 1.0) -> float | None:
    if numerator is None or denominator is None or not denominator:
        return None
    return float(numerator) / float(denominator) * scale


def _row(key: str, label: str, unit: str, formula: str, numerator, denominator, *, scale=1.0, enterprises=None):
    return {
        "key": key,
        "label": label,
        "unit": unit,
        "value": _ratio(numerator, denominator, scale=scale),
        "numerator": _float(numerator),
        "denominator": _float(denominator),
        "formula": formula,
        "enterprises": enterprises,
    }


def _paired_sum(rows: dict[int, dict], left: str, right: str, others: dict[int, dict] | None = None):
    """Σ left and Σ right over the enterprises that reported both (``left`` from ``rows``, ``right`` from
    ``others`` or ``rows``); ``(None, None, 0)`` when none did."""
    others = rows if others is None else others
    a = b = Decimal(0)
    n = 0
    for enterprise, row in rows.items():
        other = others.get(enterprise)
        if other is None or row.get(left) is None or other.get(right) is None:
            continue
        a += row[left]
        b += other[right]
        n += 1
    return (a, b, n) if n else (None, None, 0)


def _fractions_of(formula: str, cache: dict) -> dict[str, float]:
    """The element mass fractions of a formula ({} for a blank or unreadable one), computed once per formula."""
    if formula not in cache:
        from . import chemistry

        try:
            cache[formula] = chemistry.mass_fractions(formula) if formula.strip() else {}
        except (chemistry.FormulaError, ValueError):
            cache[formula] = {}
    return cache[formula]


def _exchanged_residues(year: int, roles) -> dict[tuple[int, int], float]:
    """Per (supplier, material): the tonnes exchanged that are the supplier's residues of those ``roles``.

    An exchange counts only when its supplier reports a flow of that material in one of the roles that year, and
    at most that flow's quantity: a product sold to a neighbour (a monomer going to hydrolysis) is trade, not a
    by-product put to use, and an exchange cannot use more of a by-product than arose."""
    arising: dict[tuple[int, int], float] = defaultdict(float)
    for enterprise, material, quantity in Flow.objects.filter(year=year, role__in=roles).values_list(
        "enterprise_id", "material_id", "quantity_t"
    ):
        arising[(enterprise, material)] += float(quantity)
    exchanged: dict[tuple[int, int], float] = defaultdict(float)
    for supplier, material, quantity in Exchange.objects.filter(year=year).values_list(
        "supplier_id", "material_id", "quantity_t"
    ):
        if (supplier, material) in arising:
            exchanged[(supplier, material)] += float(quantity)
    return {key: min(t, arising[key]) for key, t in exchanged.items()}


def element_masses(*, year: int) -> tuple[dict[str, float], dict[str, float]]:
    """``(exchanged, residues)``: per element, its mass (t) in the year's exchanged residues (see
    ``_exchanged_residues``) and in the year's by-products, wastes and emissions."""
    cache: dict[str, dict[str, float]] = {}
    residues: dict[str, float] = defaultdict(float)
    # The supplier's purity of a material it gives away: its by-product flow, else its waste flow.
    purity: dict[tuple[int, int], float] = {}
    formulas: dict[int, str] = {}
    flows = Flow.objects.filter(year=year, role__in=RESIDUE_ROLES).values_list(
        "enterprise_id", "material_id", "material__formula", "role", "quantity_t", "purity"
    )
    for enterprise, material, formula, role, quantity, flow_purity in flows.order_by("role"):
        formulas[material] = formula or ""
        if role == Flow.Role.BYPRODUCT or (enterprise, material) not in purity:
            purity[(enterprise, material)] = float(flow_purity)
        mass = float(quantity) * float(flow_purity)
        for element, share in _fractions_of(formula or "", cache).items():
            residues[element] += mass * share
    exchanged: dict[str, float] = defaultdict(float)
    for (supplier, material), tonnes in _exchanged_residues(year, RESIDUE_ROLES).items():
        mass = tonnes * purity.get((supplier, material), 1.0)
        for element, share in _fractions_of(formulas[material], cache).items():
            exchanged[element] += mass * share
    return dict(exchanged), dict(residues)


def park_indicators(*, year: int, user=None) -> list[dict]:
    """The indicators of ``year``: ``{"key", "label", "unit", "value", "numerator", "denominator", "formula",
    "enterprises"}`` each (``enterprises``: how many reported the figures; ``None`` where it does not apply),
    the element recovery rates last, by element symbol."""
    if user is not None:
        require(can_read(user), _("The park indicators are for the zone's administrators, leaders and departments."))
    economy = {
        row["enterprise_id"]: row
        for row in EnterpriseIndicator.objects.filter(year=year).values(
            "enterprise_id", "gross_output_wan_yuan", "energy_tce", "land_mu"
        )
    }
    resources = {
        row["enterprise_id"]: row
        for row in ResourceYear.objects.filter(year=year).values(
            "enterprise_id",
            "fresh_water_t",
            "reused_water_t",
            "solid_waste_generated_t",
            "solid_waste_used_t",
            "main_resources_t",
        )
    }
    output = "gross_output_wan_yuan"
    rows = []

    num, den, n = _paired_sum(economy, output, "main_resources_t", resources)
    rows.append(
        _row(
            "resource_productivity",
            _("Resource productivity (资源产出率)"),
            _("10k yuan/t"),
            _("gross industrial output (10k yuan) ÷ main resources consumed (t)"),
            num,
            den,
            enterprises=n,
        )
    )
    num, den, n = _paired_sum(economy, output, "energy_tce")
    rows.append(
        _row(
            "energy_productivity",
            _("Energy productivity (能源产出率)"),
            _("10k yuan/tce"),
            _("gross industrial output (10k yuan) ÷ comprehensive energy use (tce)"),
            num,
            den,
            enterprises=n,
        )
    )
    num, den, n = _paired_sum(economy, output, "land_mu")
    rows.append(
        _row(
            "land_productivity",
            _("Land productivity (土地产出率)"),
            _("10k yuan/mu"),
            _("gross industrial output (10k yuan) ÷ land used (mu)"),
            num,
            den,
            enterprises=n,
        )
    )
    num, den, n = _paired_sum(economy, output, "fresh_water_t", resources)
    rows.append(
        _row(
            "water_productivity",
            _("Water productivity (水资源产出率)"),
            _("yuan/m³"),
            _("gross industrial output (yuan) ÷ fresh water taken (t ≈ m³)"),
            None if num is None else num * WAN,
            den,
            enterprises=n,
        )
    )
    num, den, n = _paired_sum(resources, "solid_waste_used_t", "solid_waste_generated_t")
    rows.append(
        _row(
            "solid_waste_utilisation",
            _("Industrial solid waste utilisation rate (工业固体废物综合利用率)"),
            "%",
            _("industrial solid waste used (t) ÷ industrial solid waste generated (t) × 100"),
            num,
            den,
            scale=HUNDRED,
            enterprises=n,
        )
    )
    reused, fresh, n = _paired_sum(resources, "reused_water_t", "fresh_water_t")
    rows.append(
        _row(
            "water_reuse",
            _("Industrial water reuse rate (工业用水重复利用率)"),
            "%",
            _("water reused (t) ÷ (water reused + fresh water taken) (t) × 100"),
            reused,
            None if reused is None else reused + fresh,
            scale=HUNDRED,
            enterprises=n,
        )
    )
    arising = Flow.objects.filter(year=year, role=Flow.Role.BYPRODUCT).values_list("quantity_t", flat=True)
    arising_t = sum(arising, Decimal(0))
    exchanged_t = Decimal(str(round(sum(_exchanged_residues(year, (Flow.Role.BYPRODUCT,)).values()), 3)))
    rows.append(
        _row(
            "byproduct_utilisation",
            _("By-product utilisation rate (副产物利用率)"),
            "%",
            _("by-products exchanged between enterprises (t) ÷ by-products arising (t) × 100"),
            exchanged_t,
            arising_t,
            scale=HUNDRED,
        )
    )
    in_exchanges, in_residues = element_masses(year=year)
    for element in sorted(set(in_exchanges) | set(in_residues)):
        rows.append(
            _row(
                f"{ELEMENT_PREFIX}{element}",
                _("%(element)s recovery rate") % {"element": element},
                "%",
                _(
                    "%(element)s in the exchanged materials (t) ÷ %(element)s in the by-products, wastes and "
                    "emissions (t) × 100"
                )
                % {"element": element},
                in_exchanges.get(element, 0.0),
                in_residues.get(element, 0.0),
                scale=HUNDRED,
            )
        )
    return rows


def years_with_data() -> list[int]:
    """The years for which the zone holds resource data, flows or exchanges, ascending."""
    years: set[int] = set()
    for model in (ResourceYear, Flow, Exchange):
        years.update(model.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years)


def indicator_series(*, years, user=None) -> dict[str, list[float | None]]:
    """``{key: [value of each year]}`` over ``years`` (in the order given): every key of any of the years, ``None``
    where a year has no value."""
    years = list(years)
    per_year = [{row["key"]: row["value"] for row in park_indicators(year=y, user=user)} for y in years]
    keys: list[str] = []
    for values in per_year:
        keys += [key for key in values if key not in keys]
    return {key: [values.get(key) for values in per_year] for key in keys}
