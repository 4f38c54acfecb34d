"""``{% load hz_format %}``: the figures of every page through :mod:`hitechzone.common.formatting`.

{{ x|number }}  {{ x|number:2 }}  {{ x|number:"-3" }}   145100 → 145,100; "—" when missing
{{ x|money }}                                         万元 in, 14.51 亿元 out from 10,000 万元
{{ x|unit:"t_per_year" }}                             1,200.5 吨/年 (the unit's places)
{% unit_word "t_per_year" %}                          吨/年
{{ text|unit_text }}                                  a unit written as text: "万元/tce" → 万元/吨标准煤
{% punct "," %}                                        the mark joining two translated pieces: "，" in Chinese
"""

from django import template

from hitechzone.common import formatting

register = template.Library()


def _places(arg) -> int | None:
    if arg in (None, ""):
        return None
    return int(str(arg).rstrip("g"))


@register.filter
def number(value, places=None) -> str:
    return formatting.number(value, _places(places))


@register.filter
def money(value, places=-2) -> str:
    return formatting.money(value, _places(places))


@register.filter
def unit(value, code: str) -> str:
    code, _sep, places = str(code).partition(":")
    return formatting.quantity(value, code, _places(places))


@register.simple_tag
def unit_word(code: str) -> str:
    return formatting.unit_word(code)


@register.filter
def unit_text(text) -> str:
    return formatting.unit_text(text)


@register.simple_tag
def punct(mark: str) -> str:
    return formatting.punctuation(mark)
