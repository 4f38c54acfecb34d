"""The 标准地 admission checks (issue 14 item 3): one engine, :func:`check`, over a project's fields and a year's
:class:`~hitechzone.projects.models.AdmissionRules`.

Exact arithmetic: the inputs are Decimals, every ratio is a :class:`~fractions.Fraction` (land in m² is
亩 × 10000 / 15 exactly, which no Decimal holds), compared unrounded with its threshold — a value equal to its
threshold passes — and only shown rounded to 2 places (half up). A rule whose inputs are missing answers
``passed=None`` ("cannot check").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

M2_PER_MU = Fraction(10000, 15)
SHOWN = Decimal("0.01")

#: The rule codes, in the order the checks are listed (the API's names), with their labels.
RULES = {
    "investment_intensity": _("Investment intensity"),
    "plot_ratio": _("Plot ratio"),
    "building_coverage": _("Building coverage"),
    "admin_land_share": _("Office and living-service land share"),
    "green_ratio": _("Green ratio"),
    "tax_per_mu": _("Tax per mu at full production"),
    "energy_per_value_added": _("Energy per unit of value added"),
    "industry_catalogue": _("Industry guidance catalogue"),
    "hazardous_area": _("Hazardous chemicals in a chemical area"),
}

#: The industry guidance catalogue's levels; restricted and prohibited fail.
LEVELS = {
    "encouraged": _("Encouraged"),
    "allowed": _("Allowed"),
    "restricted": _("Restricted"),
    "prohibited": _("Prohibited"),
}
FAILING_LEVELS = frozenset({"restricted", "prohibited"})


@dataclass(frozen=True)
class Check:
    """One rule's answer: ``passed`` True, False or None (inputs missing); ``value`` and ``threshold`` unrounded
    (a Fraction or Decimal for figures, a word for the catalogue and the area); ``unit`` the figures' unit."""

    rule: str
    passed: bool | None
    value: object = None
    threshold: object = None
    unit: str = ""
    comparison: str = ""  # ">=" or "<=" for figures

    @property
    def label(self):
        return RULES[self.rule]

    @property
    def sign(self) -> str:
        return {">=": "≥", "<=": "≤"}.get(self.comparison, "")

    @property
    def value_label(self):
        """The catalogue's level in words (the industry guidance check)."""
        return LEVELS.get(self.value, self.value) if isinstance(self.value, str) else self.value

    @property
    def shown_value(self):
        return shown(self.value)

    @property
    def shown_threshold(self):
        return shown(self.threshold)


def shown(x):
    """A figure rounded to 2 places (half up) for showing; words and None unchanged."""
    if isinstance(x, Fraction):
        return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(SHOWN, rounding=ROUND_HALF_UP)
    if isinstance(x, Decimal):
        return x.quantize(SHOWN, rounding=ROUND_HALF_UP)
    return x


def _frac(x) -> Fraction | None:
    return None if x is None else Fraction(Decimal(str(x)))


def major_class(industry_code: str) -> str:
    """``C2614`` → ``C26`` (the GB/T 4754 section letter and the two digits of the 大类); "" when not given."""
    return industry_code[:3] if industry_code else ""


def by_class(table: dict, industry_code: str) -> Fraction | None:
    """A threshold that depends on the industry's major class (its ``default`` for every other class)."""
    if not industry_code:
        return None
    return _frac(table.get("by_class", {}).get(major_class(industry_code), table["default"]))


def catalogue_level(catalogue: dict, industry_code: str) -> str:
    """The level of the longest prefix of ``industry_code`` the catalogue names ("" when none matches)."""
    matches = [prefix for prefix in catalogue if industry_code.startswith(prefix)]
    return catalogue[max(matches, key=len)] if matches else ""


def _ratio(rule, numerator, denominator, threshold, unit, *, at_least: bool, scale=1) -> Check:
    num, den, limit = _frac(numerator), denominator, threshold
    if num is None or den is None or limit is None:
        return Check(rule, None, None, limit, unit, ">=" if at_least else "<=")
    if den == 0:  # nothing to divide by (a zero value added): the rule cannot be checked
        return Check(rule, None, None, limit, unit, ">=" if at_least else "<=")
    value = num * scale / den
    passed = value >= limit if at_least else value <= limit
    return Check(rule, passed, value, limit, unit, ">=" if at_least else "<=")


def check(fields: dict, rules) -> list[Check]:
    """Every admission check of a project's ``fields`` (the API names: ``industry_code`` normalised as ``C2614``,
    amounts as Decimals or None, ``hazardous_chemicals`` bool or None, ``functional_area`` an object with
    ``is_chemical`` and ``code`` or None) against ``rules``: an ``AdmissionRules`` version or its thresholds."""
    thresholds = getattr(rules, "thresholds", rules)
    code = fields.get("industry_code") or ""
    land_mu = _frac(fields.get("land_mu"))
    land_m2 = None if land_mu is None else land_mu * M2_PER_MU
    t = thresholds
    out = [
        _ratio(
            "investment_intensity",
            fields.get("fixed_asset_investment_wan_yuan"),
            land_mu,
            by_class(t["investment_intensity"], code),
            "万元/亩",
            at_least=True,
        ),
        _ratio("plot_ratio", fields.get("floor_area_m2"), land_m2, by_class(t["plot_ratio"], code), "", at_least=True),
        _ratio(
            "building_coverage",
            fields.get("footprint_m2"),
            land_m2,
            _frac(t["building_coverage"]),
            "%",
            at_least=True,
            scale=100,
        ),
        _ratio(
            "admin_land_share",
            fields.get("admin_land_m2"),
            land_m2,
            _frac(t["admin_land_share"]),
            "%",
            at_least=False,
            scale=100,
        ),
        _ratio(
            "green_ratio", fields.get("green_area_m2"), land_m2, _frac(t["green_ratio"]), "%", at_least=False, scale=100
        ),
        _ratio(
            "tax_per_mu", fields.get("annual_tax_wan_yuan"), land_mu, _frac(t["tax_per_mu"]), "万元/亩", at_least=True
        ),
        _ratio(
            "energy_per_value_added",
            fields.get("annual_energy_tce"),
            _frac(fields.get("annual_value_added_wan_yuan")),
            _frac(t["energy_per_value_added"]),
            "tce/万元",
            at_least=False,
        ),
    ]
    if code:
        level = catalogue_level(t.get("catalogue", {}), code) or "allowed"
        out.append(Check("industry_catalogue", level not in FAILING_LEVELS, level, "allowed"))
    else:
        out.append(Check("industry_catalogue", None, None, "allowed"))
    hazardous, area = fields.get("hazardous_chemicals"), fields.get("functional_area")
    if hazardous is False:
        out.append(Check("hazardous_area", True, area.code if area else None, "chemical"))
    elif hazardous is None or area is None:
        out.append(Check("hazardous_area", None, area.code if area else None, "chemical"))
    else:
        out.append(Check("hazardous_area", bool(area.is_chemical), area.code, "chemical"))
    return out


def thresholds_problems(thresholds) -> list[str]:
    """What is wrong with a rules version's thresholds (empty when the engine can read them): every figure a
    non-negative decimal, every catalogue level one of :data:`LEVELS`."""
    problems = []

    def figure(where, value):
        try:
            ok = Decimal(str(value)) >= 0
        except (ArithmeticError, ValueError):
            ok = False
        if not ok:
            problems.append(f"{where}: {value!r}")

    if not isinstance(thresholds, dict):
        return ["thresholds"]
    for rule in ("investment_intensity", "plot_ratio"):
        table = thresholds.get(rule)
        if not isinstance(table, dict) or "default" not in table:
            problems.append(f"{rule}.default")
            continue
        figure(f"{rule}.default", table["default"])
        for key, value in (table.get("by_class") or {}).items():
            figure(f"{rule}.by_class.{key}", value)
    for rule in ("building_coverage", "admin_land_share", "green_ratio", "tax_per_mu", "energy_per_value_added"):
        figure(rule, thresholds.get(rule))
    catalogue = thresholds.get("catalogue", {})
    if not isinstance(catalogue, dict):
        problems.append("catalogue")
    else:
        problems += [f"catalogue.{prefix}: {level!r}" for prefix, level in catalogue.items() if level not in LEVELS]
    return problems


def passed(checks: list[Check]) -> bool:
    """The project passes when every check passes: one that fails, or that cannot be made, holds it back."""
    return all(c.passed is True for c in checks)


def normalise_industry_code(text) -> str | None:
    """A GB/T 4754 code as given (``C2614``, ``c2614`` or ``2614``; a 大类 ``C26`` or a 中类 ``C261`` too) as
    ``C2614``: the section letter and the digits; None for a code that does not exist.

    The industry table (enterprises' GB/T 4754 data) lists every 门类 and 大类 but details only some 中类 and 小类:
    a code is known when it is listed, or when the longest listed code it starts with has no listed subdivisions
    (the table does not detail that branch); a code under a branch the table details but does not list is unknown.
    """
    from hitechzone.enterprises.models import Industry

    text = str(text or "").strip().upper()
    letter, digits = (text[0], text[1:]) if text[:1].isalpha() else ("", text)
    if not (digits.isascii() and digits.isdecimal() and 2 <= len(digits) <= 4):
        return None
    prefixes = [digits[:n] for n in range(2, len(digits) + 1)]
    listed = dict(Industry.objects.filter(code__in=prefixes).values_list("code", "parent_id"))
    if digits[:2] not in listed:
        return None
    section = listed[digits[:2]]
    if letter and letter != section:
        return None
    if digits not in listed:
        deepest = max((p for p in prefixes if p in listed), key=len)
        if Industry.objects.filter(parent_id=deepest).exists():
            return None
    return section + digits
