"""统一社会信用代码 (GB 32100-2015): generated codes pass, every single-character change fails, and each
failure names the check it failed."""

import string

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hitechzone.enterprises import uscc
from hitechzone.enterprises.models import Enterprise

GB32100_EXAMPLE = "91350100M000100Y43"  # the standard's own example
REAL_FORMAT_EXAMPLES = [GB32100_EXAMPLE, "91110000600037341L"]

# Characters a USCC never contains: the five excluded letters, lower case, punctuation, a full-width digit.
OUTSIDE_ALPHABET = ["I", "O", "Z", "S", "V", "a", "m", "x", "-", "*", " ", "０", "中"]

AUTHORITY_CATEGORY_PAIRS = [(a, c) for a, cats in uscc.CATEGORIES.items() for c in cats]


@st.composite
def valid_usccs(draw):
    authority, category = draw(st.sampled_from(AUTHORITY_CATEGORY_PAIRS))
    division = draw(st.text(alphabet=string.digits, min_size=6, max_size=6))
    org_body = draw(st.text(alphabet=uscc.ALPHABET, min_size=8, max_size=8))
    return uscc.make(authority + category + division + org_body)


def with_check_char(first17: str) -> str:
    """Recompute only the final check character, so that exactly one earlier check can fail."""
    return first17 + uscc.check_char(first17)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(valid_usccs())
def test_every_generated_code_is_valid(code):
    assert len(code) == 18
    assert uscc.problems(code) == []
    assert uscc.is_valid(code)
    uscc.validate_uscc(code)  # does not raise


@hypothesis_settings(deadline=None)  # ~700 mutants per example: no per-example deadline on a busy machine
@given(valid_usccs())
def test_every_single_character_change_is_caught(code):
    for position in range(18):
        for replacement in [*uscc.ALPHABET, *OUTSIDE_ALPHABET]:
            if replacement == code[position]:
                continue
            mutant = code[:position] + replacement + code[position + 1 :]
            assert not uscc.is_valid(mutant), f"{mutant} (position {position + 1} → {replacement!r}) passed"


@given(valid_usccs(), st.data())
def test_full_width_lower_case_and_spaced_codes_normalise_to_the_code(code, data):
    typed = full_width(code) if data.draw(st.booleans()) else code
    typed = typed.lower() if data.draw(st.booleans()) else typed
    cut = data.draw(st.integers(min_value=0, max_value=18))
    typed = " " + typed[:cut] + " \u3000" + typed[cut:] + "  "
    assert uscc.normalise(typed) == code
    uscc.validate_uscc(typed)  # the validator normalises first


@pytest.mark.parametrize("code", REAL_FORMAT_EXAMPLES)
def test_real_format_examples_pass(code):
    assert uscc.problems(code) == []
    uscc.validate_uscc(code)


def test_make_completes_the_gb32100_example():
    assert uscc.make(GB32100_EXAMPLE[:16]) == GB32100_EXAMPLE


# (code, the check that fails, what the English message says, the position every translation names)
BROKEN = [
    pytest.param(GB32100_EXAMPLE[:17], "length", "18", "18", id="too-short"),
    pytest.param(GB32100_EXAMPLE + "1", "length", "18", "18", id="too-long"),
    pytest.param(GB32100_EXAMPLE[:8] + "I" + GB32100_EXAMPLE[9:], "alphabet", "I", "I", id="contains-I"),
    pytest.param(GB32100_EXAMPLE[:8] + "O" + GB32100_EXAMPLE[9:], "alphabet", "O", "O", id="contains-O"),
    pytest.param(with_check_char("B" + GB32100_EXAMPLE[1:17]), "authority", "1st", "1", id="authority-B"),
    pytest.param(with_check_char("94" + GB32100_EXAMPLE[2:17]), "category", "2nd", "2", id="category-4-of-9"),
    pytest.param(with_check_char("913501A0" + GB32100_EXAMPLE[8:17]), "division", "3–8", "3–8", id="division"),
    pytest.param(with_check_char(GB32100_EXAMPLE[:16] + "5"), "organisation_check", "17th", "17", id="org-check"),
    pytest.param(GB32100_EXAMPLE[:17] + "4", "check_digit", "18th", "18", id="check-digit"),
]


@pytest.mark.parametrize(("code", "check", "english", "position"), BROKEN)
def test_each_failure_names_its_check_and_position(code, check, english, position):
    found = uscc.problems(code)
    assert [p.check for p in found] == [check]
    assert not uscc.is_valid(code)
    with pytest.raises(ValidationError) as excinfo:
        uscc.validate_uscc(code)
    [error] = excinfo.value.error_list
    assert error.code == f"uscc_{check}"
    assert position in error.message  # in the default language (Chinese)
    with translation.override("en"):
        assert english in str(uscc.problems(code)[0].message)
        with pytest.raises(ValidationError) as excinfo:
            uscc.validate_uscc(code)
        assert english in excinfo.value.messages[0]


def test_the_check_digit_message_says_what_it_should_be():
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        uscc.validate_uscc(GB32100_EXAMPLE[:17] + "4")
    assert "should be 3, not 4" in excinfo.value.messages[0]


def test_a_code_failing_several_checks_reports_each_in_order():
    code = "0A" + "35A100" + GB32100_EXAMPLE[8:16] + "5" + "0"
    checks = [p.check for p in uscc.problems(code)]
    assert checks == ["authority", "division", "organisation_check", "check_digit"]


# --- through the API: people type codes in full width, lower case, with spaces ---------------------------


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(full_width(GB32100_EXAMPLE), id="full-width"),
        pytest.param(GB32100_EXAMPLE.lower(), id="lower-case"),
        pytest.param("9135 0100 M000 100Y 43", id="spaces"),
        pytest.param(" ９１３５０１００ｍ０００１００ｙ４３ ", id="full-width-lower-padded"),
    ],
)
def test_the_api_accepts_a_typed_code_and_stores_it_normalised(zone, api_as, typed):
    api = api_as(zone.users.admin)
    response = api.post(
        "/api/v1/enterprises/", {"uscc": typed, "name": "浙江丙方化工有限公司", "brand": "gaoxin"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["uscc"] == GB32100_EXAMPLE
    assert Enterprise.objects.get(pk=response.json()["id"]).uscc == GB32100_EXAMPLE
    # The same code typed differently is the same enterprise: a duplicate.
    again = api.post(
        "/api/v1/enterprises/", {"uscc": GB32100_EXAMPLE, "name": "重复企业有限公司", "brand": "gaoxin"}, format="json"
    )
    assert again.status_code == 400
    assert "uscc" in again.json()


def test_the_api_names_the_failed_check_of_a_typed_code(zone, api_as):
    api = api_as(zone.users.admin)
    before = Enterprise.objects.count()
    with translation.override("en"):
        response = api.post(
            "/api/v1/enterprises/",
            {"uscc": full_width(GB32100_EXAMPLE[:17]) + "４", "name": "浙江丁方化工有限公司", "brand": "gaoxin"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert any("18th" in message for message in response.json()["uscc"])
    assert Enterprise.objects.count() == before


def test_the_model_stores_the_code_normalised(zone):
    enterprise = Enterprise(uscc=GB32100_EXAMPLE.lower(), name="浙江戊方化工有限公司", brand=zone.brand_a)
    enterprise.full_clean()
    enterprise.save()
    enterprise.refresh_from_db()
    assert enterprise.uscc == GB32100_EXAMPLE
