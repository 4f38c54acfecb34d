"""One formatter for every figure: thousands separators, 万元 → 亿元 from 10,000 万元 (million yuan in English), the
unit words of the reader's language, "—" for a missing figure."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from hitechzone.common import formatting
from hitechzone.common.formatting import chart_number, money, number, quantity, unit_text, unit_word


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (145100, None, "145,100"),
        (Decimal("1234.5"), 2, "1,234.50"),
        (Decimal("1234.500"), -2, "1,234.5"),
        (Decimal("1234.000"), -2, "1,234"),
        ("2000000.126", None, "2,000,000.13"),
        (-1234567, None, "-1,234,567"),
        (Decimal("-0.001"), 2, "0.00"),
        (None, None, "—"),
        ("", 2, "—"),
        ("abc", None, "—"),
        (float("nan"), None, "—"),
    ],
)
def test_number_groups_thousands_and_reads_missing_as_a_dash(value, places, text):
    assert number(value, places) == text


@pytest.mark.parametrize(
    ("wan", "zh", "en"),
    [
        (145100, "14.51 亿元", "1,451 million yuan"),
        (10000, "1.00 亿元", "100 million yuan"),
        (Decimal("9999.5"), "9,999.5 万元", "100 million yuan"),
        (Decimal("12.34"), "12.34 万元", "123,400 yuan"),
        (None, "—", "—"),
    ],
)
def test_money_in_wan_yuan_turns_to_yi_yuan_from_ten_thousand(wan, zh, en):
    with translation.override("zh-hans"):
        assert money(wan) == zh
    with translation.override("en"):
        assert money(wan) == en


def test_unit_words_follow_the_language():
    with translation.override("zh-hans"):
        assert quantity(Decimal("1200.500"), "t_per_year") == "1,200.5 吨/年"
        assert unit_word("km") == "公里"
    with translation.override("en"):
        assert quantity(Decimal("1200.500"), "t_per_year") == "1,200.5 t/yr"
        assert unit_word("km") == "km"
    assert quantity(None, "t") == "—"


def test_energy_units_have_chinese_words_and_a_unit_written_as_text_reads_in_them():
    with translation.override("zh-hans"):
        assert [unit_word(u) for u in ("kwh", "wan_kwh", "tce")] == ["千瓦时", "万千瓦时", "吨标准煤"]
        assert quantity(Decimal("0.1229"), "kgce_per_kwh") == "0.1229 千克标准煤/千瓦时"
        assert quantity(Decimal("0.9000"), "kgce_per_kg", 4) == "0.9000 千克标准煤/千克"
        assert [unit_word(u) for u in ("kgce_per_m3", "kgce_per_mj")] == ["千克标准煤/立方米", "千克标准煤/兆焦"]
        assert unit_text("万元/tce") == "万元/吨标准煤"
        assert unit_text("万元/万kWh") == "万元/万千瓦时"
        assert unit_text("万元/污染当量") == "万元/污染当量"  # a word the table does not know stays as written
        assert unit_text("") == ""
    with translation.override("en"):
        assert unit_text("万元/tce") == "10k yuan/tce"
        assert quantity(Decimal("0.03412"), "kgce_per_mj") == "0.03412 kgce/MJ"


def test_the_template_filters_use_the_same_formatter():
    template = Template(
        '{% load hz_format %}{{ a|number }}|{{ b|money }}|{{ c|unit:"km" }}|{{ c|unit:"km:0" }}|'
        '{% unit_word "t_per_year" %}'
    )
    with translation.override("zh-hans"):
        assert (
            template.render(Context({"a": 1234567, "b": 145100, "c": "12.345"}))
            == "1,234,567|14.51 亿元|12.35 公里|12 公里|吨/年"
        )


decimals = st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=3)


@given(decimals)
def test_number_round_trips_through_its_separators(value):
    assert Decimal(number(value, 3).replace(",", "")) == value


@given(decimals, decimals)
def test_number_keeps_the_order(a, b):
    if a <= b:
        assert Decimal(number(a, 2).replace(",", "")) <= Decimal(number(b, 2).replace(",", ""))


@given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, places=2))
def test_money_in_chinese_never_loses_more_than_half_a_hundredth_of_its_unit(wan):
    with translation.override("zh-hans"):
        text = money(wan)
    figure, unit = text.split(" ")
    shown = Decimal(figure.replace(",", "")) * (10_000 if unit == "亿元" else 1)
    assert unit == ("亿元" if wan >= 10_000 else "万元")
    assert abs(shown - wan) <= (50 if unit == "亿元" else Decimal("0.005"))


def test_chart_numbers_are_floats_or_gaps():
    assert chart_number(Decimal("1.5")) == 1.5
    assert chart_number(None) is None
    assert chart_number("x") is None


def test_the_marks_joining_translated_pieces_are_full_width_in_chinese_and_as_written_in_english():
    with translation.override("zh-hans"):
        assert [formatting.punctuation(m) for m in (", ", "; ", " (", ")", ".")] == ["，", "；", "（", "）", "。"]
    with translation.override("en"):
        assert [formatting.punctuation(m) for m in (", ", "; ", " (", ")", ".")] == [", ", "; ", " (", ")", "."]
