"""The 标准地 admission checks (issue 14 item 3): each at, just below and just above its threshold, exact decimals,
against the demo defaults the data migration stores."""

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hitechzone.projects import admission
from hitechzone.projects.models import AdmissionRules

D = Decimal
EPS = D("0.0001")
CHEMICAL = SimpleNamespace(code="fine-chemicals", is_chemical=True)
PLAIN = SimpleNamespace(code="logistics", is_chemical=False)


@pytest.fixture
def thresholds(db):
    rules = AdmissionRules.objects.get(is_demo_default=True)
    assert rules.version == 1
    return rules.thresholds


def one(checks, rule):
    (found,) = [c for c in checks if c.rule == rule]
    return found


# (rule, industry code, fields that put the value exactly on the threshold, the field to nudge, ≥ or ≤)
# 15 亩 = 10000 m² exactly, which keeps the area-based thresholds readable.
FAI = "fixed_asset_investment_wan_yuan"
AT_THRESHOLD = [
    ("investment_intensity", "C2614", {"land_mu": D(10), FAI: D(3500)}, FAI, ">="),
    ("investment_intensity", "C2710", {"land_mu": D(10), FAI: D(3500)}, FAI, ">="),
    ("investment_intensity", "C3985", {"land_mu": D(10), FAI: D(4000)}, FAI, ">="),
    ("investment_intensity", "C3812", {"land_mu": D(10), FAI: D(3000)}, FAI, ">="),
    ("plot_ratio", "C2614", {"land_mu": D(15), "floor_area_m2": D(6000)}, "floor_area_m2", ">="),
    ("plot_ratio", "C2710", {"land_mu": D(15), "floor_area_m2": D(7000)}, "floor_area_m2", ">="),
    ("plot_ratio", "C3812", {"land_mu": D(15), "floor_area_m2": D(7000)}, "floor_area_m2", ">="),
    ("plot_ratio", "C3985", {"land_mu": D(15), "floor_area_m2": D(10000)}, "floor_area_m2", ">="),
    ("plot_ratio", "C1311", {"land_mu": D(15), "floor_area_m2": D(8000)}, "floor_area_m2", ">="),
    ("building_coverage", "C2614", {"land_mu": D(15), "footprint_m2": D(3000)}, "footprint_m2", ">="),
    ("admin_land_share", "C2614", {"land_mu": D(15), "admin_land_m2": D(700)}, "admin_land_m2", "<="),
    ("green_ratio", "C2614", {"land_mu": D(15), "green_area_m2": D(2000)}, "green_area_m2", "<="),
    ("tax_per_mu", "C2614", {"land_mu": D(10), "annual_tax_wan_yuan": D(300)}, "annual_tax_wan_yuan", ">="),
    ("energy_per_value_added", "C2614", {"annual_value_added_wan_yuan": D(10000), "annual_energy_tce": D(5200)},
     "annual_energy_tce", "<="),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "code", "fields", "nudge", "comparison"), AT_THRESHOLD)
@pytest.mark.parametrize("offset", [D(0), -EPS, EPS], ids=["at", "below", "above"])
def test_each_check_at_just_below_and_just_above_its_threshold(
    thresholds, rule, code, fields, nudge, comparison, offset
):
    given_fields = {**fields, "industry_code": code, nudge: fields[nudge] + offset}
    found = one(admission.check(given_fields, thresholds), rule)
    expected = offset == 0 or (offset > 0) == (comparison == ">=")
    assert found.passed is expected
    assert found.comparison == comparison
    if offset == 0:
        assert found.value == found.threshold  # exactly equal, unrounded: it passes


def test_the_land_in_m2_is_mu_times_10000_over_15_exactly(thresholds):
    # 1 亩 is 666.666… m²: a floor area of exactly 0.8 × 10000/15 × 3 m² on 3 亩 is a plot ratio of exactly 0.8.
    floor = Fraction(8, 10) * Fraction(10000, 15) * 3
    assert floor == Fraction(1600)
    found = one(
        admission.check({"industry_code": "C1311", "land_mu": D(3), "floor_area_m2": D(1600)}, thresholds), "plot_ratio"
    )
    assert found.passed is True
    assert found.value == Fraction(4, 5)
    # One hundredth of a m² less is below, though both would show as 0.80.
    below = one(
        admission.check({"industry_code": "C1311", "land_mu": D(3), "floor_area_m2": D("1599.99")}, thresholds),
        "plot_ratio",
    )
    assert below.passed is False
    assert below.shown_value == D("0.80")


def test_values_are_shown_rounded_to_two_places_half_up(thresholds):
    fields = {"industry_code": "C2614", "land_mu": D(3), FAI: D(1000)}
    found = one(admission.check(fields, thresholds), "investment_intensity")
    assert found.value == Fraction(1000, 3)
    assert found.shown_value == D("333.33")
    assert found.passed is False  # 333.33… < 350 (C26)


@pytest.mark.parametrize(
    ("code", "level", "passed"),
    [
        ("C2614", "encouraged", True),  # the longest prefix wins over "" (allowed)
        ("C2619", "allowed", True),
        ("C2631", "restricted", False),
        ("C3110", "restricted", False),  # C31 as a prefix
        ("C2211", "prohibited", False),
    ],
)
def test_the_industry_catalogue_longest_prefix_wins_and_restricted_or_prohibited_fail(thresholds, code, level, passed):
    found = one(admission.check({"industry_code": code}, thresholds), "industry_catalogue")
    assert (found.value, found.passed) == (level, passed)


def test_the_longest_prefix_wins_over_a_shorter_one():
    catalogue = {"": "allowed", "C26": "restricted", "C2614": "encouraged"}
    assert admission.catalogue_level(catalogue, "C2614") == "encouraged"
    assert admission.catalogue_level(catalogue, "C2613") == "restricted"
    assert admission.catalogue_level(catalogue, "C3812") == "allowed"


@pytest.mark.parametrize(
    ("hazardous", "area", "passed"),
    [(True, CHEMICAL, True), (True, PLAIN, False), (True, None, None), (False, PLAIN, True), (None, CHEMICAL, None)],
)
def test_hazardous_chemicals_need_a_chemical_area(thresholds, hazardous, area, passed):
    found = one(
        admission.check({"hazardous_chemicals": hazardous, "functional_area": area}, thresholds), "hazardous_area"
    )
    assert found.passed is passed


def test_a_rule_with_missing_inputs_cannot_be_checked(thresholds):
    checks = admission.check({}, thresholds)
    assert [c.rule for c in checks] == list(admission.RULES)
    assert all(c.passed is None for c in checks)
    assert admission.passed(checks) is False  # not every check passes: the project is not admitted on nothing


def test_a_zero_value_added_cannot_be_checked(thresholds):
    fields = {"annual_value_added_wan_yuan": D(0), "annual_energy_tce": D(10)}
    assert one(admission.check(fields, thresholds), "energy_per_value_added").passed is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "code"), [("C2614", "C2614"), ("2614", "C2614"), ("c26", "C26"), (" 3812 ", "C3812"), ("3110", "C3110")]
)
def test_industry_codes_are_normalised(given, code):
    assert admission.normalise_industry_code(given) == code


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["9999", "A2614", "X", "", "C", "26141", "²６", "2618", "C269"])
def test_unknown_industry_codes_are_none(given):
    assert admission.normalise_industry_code(given) is None


amounts = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2, allow_nan=False, allow_infinity=False)
lands = st.decimals(min_value=D("0.0001"), max_value=D("1e5"), places=4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(land=lands, threshold=amounts)
def test_a_value_exactly_on_its_threshold_passes_property(land, threshold):
    """Whatever the land and the threshold, an investment of exactly threshold × land passes (equal passes), and
    the value is the exact quotient, never a rounded one."""
    thresholds = {
        "investment_intensity": {"default": str(threshold)},
        "plot_ratio": {"default": "0.8"},
        "building_coverage": "30",
        "admin_land_share": "7",
        "green_ratio": "20",
        "tax_per_mu": str(threshold),
        "energy_per_value_added": "0.52",
        "catalogue": {},
    }
    fields = {"industry_code": "C1311", "land_mu": land, "fixed_asset_investment_wan_yuan": threshold * land,
              "annual_tax_wan_yuan": threshold * land - D("1e-6")}  # fmt: skip
    checks = admission.check(fields, thresholds)
    intensity = one(checks, "investment_intensity")
    assert intensity.passed is True
    assert intensity.value == Fraction(threshold)
    assert one(checks, "tax_per_mu").passed is False  # a millionth below is below


def test_the_demo_thresholds_are_readable_and_a_broken_version_is_refused(thresholds):
    from django.core.exceptions import ValidationError

    assert admission.thresholds_problems(thresholds) == []
    broken = {**thresholds, "green_ratio": "twenty", "catalogue": {"C26": "maybe"}}
    assert admission.thresholds_problems(broken) == ["green_ratio: 'twenty'", "catalogue.C26: 'maybe'"]
    with pytest.raises(ValidationError) as error:
        AdmissionRules(year=2030, version=1, thresholds=broken).full_clean()
    assert "green_ratio" in str(error.value)


def test_check_takes_a_rules_version_or_its_thresholds(thresholds):
    rules = AdmissionRules.objects.get(is_demo_default=True)
    fields = {"industry_code": "C2614", "land_mu": D(10), FAI: D(3500)}
    assert admission.check(fields, rules) == admission.check(fields, thresholds)
