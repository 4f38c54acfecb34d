"""Figures for reading, in one place: thousands separators, money in 万元 or 亿元, unit words per language.

Pages use the template filters of ``{% load hz_format %}`` (``number``, ``money``, ``unit``, ``unit_word``);
charts, exports and API text call the functions here. A missing figure reads "—".

    number(value, places=None) -> str      # 145100 → "145,100"; places=2 → "1,234.50"; places=-2 → at most 2
    money(wan_yuan, places=-2) -> str      # 9,999 万元; ≥ 10,000 万元 → 14.51 亿元 (en: million yuan, or yuan)
    quantity(value, unit, places=None)     # "1,200.5 吨/年" / "1,200.5 t/yr"; the unit's own places by default
    unit_word(unit) -> str                 # "吨/年" / "t/yr"
    unit_text(text) -> str                 # a unit written as text (a scheme's "万元/tce") in the reader's words
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language, gettext, gettext_lazy

EMPTY = "—"

#: Unit code → (the unit's words, its default places: negative = at most that many, trailing zeros dropped).
UNITS = {
    "wan_yuan": (gettext_lazy("10k yuan"), -2),
    "yi_yuan": (gettext_lazy("100M yuan"), 2),
    "million_yuan": (gettext_lazy("million yuan"), -2),
    "yuan": (gettext_lazy("yuan"), 2),
    "mu": (gettext_lazy("mu"), -2),
    "m2": (gettext_lazy("m²"), -2),
    "t": (gettext_lazy("t"), -3),
    "t_per_year": (gettext_lazy("t/yr"), -3),
    "tce": (gettext_lazy("tce"), -1),
    "kwh": (gettext_lazy("kWh"), 0),
    "wan_kwh": (gettext_lazy("10k kWh"), -1),
    "kgce_per_kg": (gettext_lazy("kgce/kg"), -5),
    "kgce_per_m3": (gettext_lazy("kgce/m³"), -5),
    "kgce_per_kwh": (gettext_lazy("kgce/kWh"), -5),
    "kgce_per_mj": (gettext_lazy("kgce/MJ"), -5),
    "km": (gettext_lazy("km"), -2),
    "percent": ("%", -1),
}

#: 1 亿元 = 10,000 万元; 1 million yuan = 100 万元; 1 万元 = 10,000 yuan.
WAN_PER_YI = Decimal(10_000)
WAN_PER_MILLION = Decimal(100)
YUAN_PER_WAN = Decimal(10_000)


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _places(value: Decimal, places: int | None) -> int:
    if places is not None:
        return places
    return 0 if value == value.to_integral_value() else -2


def number(value, places: int | None = None) -> str:
    """``value`` with thousands separators; "—" when it is missing or not a number.

    ``places``: ``n`` ≥ 0 exactly n decimals; ``-n`` at most n (trailing zeros dropped); ``None`` an integer as
    it is, anything else at most 2 decimals.
    """
    figure = _decimal(value)
    if figure is None:
        return EMPTY
    places = _places(figure, places)
    rounded = figure.quantize(Decimal(1).scaleb(-abs(places)), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.00"
    text = f"{rounded:,.{abs(places)}f}"
    if places < 0 and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _chinese() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def money(wan_yuan, places: int | None = -2) -> str:
    """An amount given in 万元, as a reader expects it: up to 9,999.99 万元 in 万元, from 10,000 万元 in 亿元 with two
    decimals (145,100 万元 → "14.51 亿元"); in English in million yuan from 100 万元 ("1,451 million yuan"), in yuan
    below ("123,400 yuan")."""
    figure = _decimal(wan_yuan)
    if figure is None:
        return EMPTY
    if _chinese():
        if abs(figure) >= WAN_PER_YI:
            return quantity(figure / WAN_PER_YI, "yi_yuan")
        return quantity(figure, "wan_yuan", places)
    if abs(figure) >= WAN_PER_MILLION:
        return quantity(figure / WAN_PER_MILLION, "million_yuan")
    return quantity(figure * YUAN_PER_WAN, "yuan", 0)


def unit_word(unit: str) -> str:
    """The unit's words in the current language ("吨/年" / "t/yr"); an unknown code as it is."""
    if unit not in UNITS:
        return unit
    return str(UNITS[unit][0])


#: How a unit may be written as text (a scheme's unit, typed by its author) → its code in :data:`UNITS`.
SPELLINGS = {
    "万元": "wan_yuan",
    "亿元": "yi_yuan",
    "元": "yuan",
    "亩": "mu",
    "m²": "m2",
    "m2": "m2",
    "t": "t",
    "吨": "t",
    "tce": "tce",
    "吨标准煤": "tce",
    "kWh": "kwh",
    "千瓦时": "kwh",
    "万kWh": "wan_kwh",
    "万千瓦时": "wan_kwh",
    "km": "km",
    "公里": "km",
}


def unit_text(text: str) -> str:
    """A unit written as text, its parts ("万元/tce": 万元 per tce) in the reader's words ("万元/吨标准煤" /
    "10k yuan/tce"); a part the table does not know stays as written ("万元/污染当量")."""
    if not text:
        return text or ""
    return "/".join(
        unit_word(SPELLINGS[part.strip()]) if part.strip() in SPELLINGS else part for part in text.split("/")
    )


def quantity(value, unit: str, places: int | None = None) -> str:
    """``value`` with thousands separators and the unit's words ("1,200.5 吨/年"); "—" alone when missing."""
    text = number(value, UNITS[unit][1] if places is None and unit in UNITS else places)
    if text == EMPTY:
        return EMPTY
    word = unit_word(unit)
    return f"{text}{word}" if word == "%" else f"{text} {word}"


def chart_number(value) -> float | None:
    """A figure for a chart's data: a float, ``None`` when missing (the chart leaves a gap)."""
    figure = _decimal(value)
    if figure is None:
        return None
    result = float(figure)
    return result if math.isfinite(result) else None


# The marks that join translated pieces of one sentence: full-width in a Chinese sentence, as written in English.
FULL_WIDTH = {",": "，", ";": "；", ":": "：", ".": "。", "(": "（", ")": "）", "?": "？", "!": "！"}


def punctuation(mark: str) -> str:
    """A sentence mark in the reader's language: ", " → "，" on the Chinese UI (and " (" → "（" …: a full-width
    mark carries its own space)."""
    return "".join(FULL_WIDTH.get(c, c) for c in mark if c != " ") if _chinese() else mark


def yes_no(value) -> str:
    return gettext("Yes") if value else gettext("No")
