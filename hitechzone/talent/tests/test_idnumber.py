from datetime import date

import pytest

from hitechzone.talent.idnumber import IdNumberError, check_id_number, mask_id_number, mask_phone

TODAY = date(2026, 12, 7)


def test_a_number_with_its_check_digit_and_a_real_birth_date_passes_upper_cased():
    assert check_id_number(" 11010519491231002x ", today=TODAY) == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "check_digit"),  # the right one is X
        ("110105194902300028", "birth_date"),  # 30 February
        ("110105203001010010", "birth_date"),  # born after today
        ("11010519491231002", "length"),
        ("1101051949123100XX", "length"),
        ("11010519491231002Y", "length"),
    ],
)
def test_a_wrong_number_is_refused_with_the_reason(number, code):
    with pytest.raises(IdNumberError) as refused:
        check_id_number(number, today=TODAY)
    assert refused.value.code == code


def test_a_number_is_masked_to_its_first_six_and_last_four_characters():
    masked = mask_id_number("11010519491231002X")
    assert masked == "110105********002X"
    assert len(masked) == 18


def test_a_phone_is_masked_but_for_its_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("1234") == "****"
    assert mask_phone("") == ""
