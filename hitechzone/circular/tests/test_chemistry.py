"""Formula parsing, molar masses and mass fractions (issue 7, point 1), and the stoichiometry of point 9.

Expected values are computed by hand from IUPAC 2021 conventional atomic weights:
H 1.008, C 12.011, O 15.999, F 18.998, Na 22.990, Si 28.085, S 32.06, Cl 35.45, Ca 40.078.
"""

import math
import re

import pytest

from hitechzone.circular.chemistry import ATOMIC_WEIGHTS, FormulaError, mass_fractions, molar_mass, parse_formula

H, C, O, F, NA, SI, S, CL, CA = 1.008, 12.011, 15.999, 18.998, 22.990, 28.085, 32.06, 35.45, 40.078  # noqa: E741
HCL = H + CL  # 36.458
H2O = 2 * H + O  # 18.015
CH3CL = C + 3 * H + CL  # 50.485
CH3OH = C + 4 * H + O  # 32.042
HCFC22 = C + H + CL + 2 * F  # 86.465
DMDCS = 2 * (C + 3 * H) + SI + 2 * CL  # (CH3)2SiCl2, 129.055
SILOXANE_UNIT = 2 * (C + 3 * H) + SI + O  # (CH3)2SiO, 74.154
SIHCL3 = SI + H + 3 * CL  # 135.443
NAOH = NA + O + H  # 39.997
CL2 = 2 * CL
H2 = 2 * H
CAF2 = CA + 2 * F
HF = H + F
CASO4 = CA + S + 4 * O


def test_the_first_four_periods_and_the_elements_the_zone_uses_have_weights():
    first_four = re.findall(r"[A-Z][a-z]?", "HHeLiBeBCNOFNeNaMgAlSiPSClArKCaScTiVCrMnFeCoNiCuZnGaGeAsSeBrKr")
    assert len(first_four) == 36
    assert set(first_four) <= set(ATOMIC_WEIGHTS)
    assert {"I", "Ag", "Sn", "Ba", "Pt", "Hg", "Pb"} <= set(ATOMIC_WEIGHTS)
    assert ATOMIC_WEIGHTS["Cl"] == 35.45
    assert ATOMIC_WEIGHTS["H"] == 1.008
    assert ATOMIC_WEIGHTS["Ti"] == 47.867


def test_a_simple_formula_counts_each_element():
    assert parse_formula("CHClF2") == {"C": 1, "H": 1, "Cl": 1, "F": 2}
    assert parse_formula("SiHCl3") == {"Si": 1, "H": 1, "Cl": 3}
    assert parse_formula("Co") == {"Co": 1}
    assert parse_formula("CO") == {"C": 1, "O": 1}


def test_parentheses_multiply_their_content():
    assert parse_formula("(CH3)2SiCl2") == {"C": 2, "H": 6, "Si": 1, "Cl": 2}
    assert parse_formula("Ca(OH)2") == {"Ca": 1, "O": 2, "H": 2}


def test_nested_brackets_of_all_kinds_multiply_through():
    assert parse_formula("K4[Fe(CN)6]") == {"K": 4, "Fe": 1, "C": 6, "N": 6}
    assert parse_formula("[(CH3)2SiO]4") == {"C": 8, "H": 24, "Si": 4, "O": 4}
    assert parse_formula("{[(H)2]3}2") == {"H": 12}


@pytest.mark.parametrize("text", ["CaSO4·2H2O", "CaSO4*2H2O", "CaSO4.2H2O", "CaSO4 · 2H2O", "CaSO₄·2H₂O"])
def test_a_hydrate_adds_its_water_whatever_the_dot(text):
    assert parse_formula(text) == {"Ca": 1, "S": 1, "O": 6, "H": 4}


def test_a_hydrate_part_may_have_a_fractional_coefficient_and_there_may_be_several_parts():
    assert parse_formula("CaSO4·0.5H2O") == {"Ca": 1, "S": 1, "O": 4.5, "H": 1}
    assert parse_formula("Na2CO3.10H2O") == {"Na": 2, "C": 1, "O": 13, "H": 20}
    assert parse_formula("MgCl2·KCl·6H2O") == {"Mg": 1, "Cl": 3, "K": 1, "H": 12, "O": 6}


def test_molar_masses_of_the_zone_materials():
    assert molar_mass("HCl") == pytest.approx(36.458)
    assert molar_mass("NaOH") == pytest.approx(39.997)
    assert molar_mass("SiHCl3") == pytest.approx(135.443)
    assert molar_mass("CHClF2") == pytest.approx(86.465)
    assert molar_mass("(CH3)2SiCl2") == pytest.approx(129.055)
    assert round(molar_mass("(CH3)2SiCl2"), 2) == 129.06


def test_gypsum_dihydrate_weighs_172_16_with_the_2021_weights():
    # 40.078 + 32.06 + 4 × 15.999 + 2 × 18.015 = 172.164; handbooks' 172.17 uses the older S 32.065.
    assert molar_mass("CaSO4·2H2O") == pytest.approx(172.164)
    assert molar_mass("CaSO4·2H2O") == pytest.approx(172.17, abs=0.01)


def test_chlorodifluoromethane_is_41_percent_chlorine():
    fractions = mass_fractions("CHClF2")
    assert round(fractions["Cl"], 4) == 0.4100
    assert fractions["F"] == pytest.approx(2 * F / HCFC22)
    assert math.fsum(fractions.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("text", ["(CH3)2SiCl2", "CaSO4·2H2O", "K4[Fe(CN)6]", "H2O"])
def test_mass_fractions_sum_to_one(text):
    assert math.fsum(mass_fractions(text).values()) == pytest.approx(1.0, abs=1e-12)


def test_hcfc22_gives_0_843_t_hcl_per_tonne():
    # CHCl3 + 2 HF → CHClF2 + 2 HCl
    assert round(2 * molar_mass("HCl") / molar_mass("CHClF2"), 3) == 0.843 == round(2 * HCL / HCFC22, 3)


def test_methyl_chloride_takes_0_722_t_hcl_per_tonne():
    # CH3OH + HCl → CH3Cl + H2O
    assert round(molar_mass("HCl") / molar_mass("CH3Cl"), 3) == 0.722 == round(HCL / CH3CL, 3)
    assert molar_mass("CH3OH") + molar_mass("HCl") == pytest.approx(molar_mass("CH3Cl") + molar_mass("H2O"))


def test_siloxane_from_hydrolysis_gives_0_983_t_hcl_per_tonne():
    # (CH3)2SiCl2 + H2O → 1/n [(CH3)2SiO]n + 2 HCl
    assert round(2 * molar_mass("HCl") / molar_mass("(CH3)2SiO"), 3) == 0.983 == round(2 * HCL / SILOXANE_UNIT, 3)
    # the cyclic tetramer D4 has the same ratio per tonne
    assert 8 * molar_mass("HCl") / molar_mass("[(CH3)2SiO]4") == pytest.approx(2 * HCL / SILOXANE_UNIT)


def test_trichlorosilane_takes_0_808_t_hcl_and_gives_0_015_t_hydrogen_per_tonne():
    # Si + 3 HCl → SiHCl3 + H2
    assert round(3 * molar_mass("HCl") / molar_mass("SiHCl3"), 3) == 0.808 == round(3 * HCL / SIHCL3, 3)
    assert round(molar_mass("H2") / molar_mass("SiHCl3"), 3) == 0.015 == round(H2 / SIHCL3, 3)


def test_chlor_alkali_gives_1_128_t_caustic_soda_and_0_028_t_hydrogen_per_tonne_of_chlorine():
    # 2 NaCl + 2 H2O → Cl2 + H2 + 2 NaOH
    assert round(2 * molar_mass("NaOH") / molar_mass("Cl2"), 3) == 1.128 == round(2 * NAOH / CL2, 3)
    assert round(molar_mass("H2") / molar_mass("Cl2"), 3) == 0.028 == round(H2 / CL2, 3)


def test_hf_from_fluorspar_leaves_at_least_3_4_t_fluorogypsum_per_tonne():
    # CaF2 + H2SO4 → CaSO4 + 2 HF
    ratio = molar_mass("CaSO4") / (2 * molar_mass("HF"))
    assert ratio == pytest.approx(CASO4 / (2 * HF))
    assert ratio >= 3.4
    assert molar_mass("CaF2") + molar_mass("H2SO4") == pytest.approx(molar_mass("CaSO4") + 2 * molar_mass("HF"))
    assert molar_mass("CaF2") == pytest.approx(CAF2)


def test_direct_synthesis_of_dimethyldichlorosilane_conserves_mass():
    # Si + 2 CH3Cl → (CH3)2SiCl2
    assert molar_mass("Si") + 2 * molar_mass("CH3Cl") == pytest.approx(molar_mass("(CH3)2SiCl2"))
    assert molar_mass("(CH3)2SiCl2") == pytest.approx(DMDCS)
    assert molar_mass("CH3OH") == pytest.approx(CH3OH)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Xx2", "Unknown element “Xx”"),
        ("CH3Xy", "Unknown element “Xy”"),
        ("h2o", "Unknown element “h”"),
        ("(CH3", "Unbalanced parentheses: “)” is missing"),
        ("CH3)2", "Unbalanced parentheses: “)” closes nothing"),
        ("(CH3]2", "Unbalanced parentheses: “]” where “)” was expected"),
        ("K4[Fe(CN)6", "Unbalanced parentheses: “]” is missing"),
        ("", "The formula is empty"),
        ("   ", "The formula is empty"),
        ("()2", "Empty parentheses"),
        ("H0", "A count must be at least 1"),
        ("H2O·", "A hydrate part is empty"),
        ("·H2O", "A hydrate part is empty"),
        ("2", "A coefficient must be followed by a formula"),
        ("NaCl+", "Unexpected character “+”"),
        ("水", "Unexpected character “水”"),
    ],
)
def test_an_unreadable_formula_says_what_is_wrong(text, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        parse_formula(text)


def test_the_error_points_at_the_character_in_the_text_as_written():
    with pytest.raises(FormulaError, match=re.escape("Unknown element “Xx” (at character 10 of “CaSO4 · 2Xx”)")):
        parse_formula("CaSO4 · 2Xx")


def test_a_formula_error_is_a_value_error_and_molar_mass_raises_it_too():
    assert issubclass(FormulaError, ValueError)
    with pytest.raises(FormulaError):
        molar_mass("Qq")
    with pytest.raises(FormulaError):
        mass_fractions("(")


def test_parse_formula_returns_a_fresh_dict_each_time():
    first = parse_formula("H2O")
    first["H"] = 99
    assert parse_formula("H2O") == {"H": 2, "O": 1}
