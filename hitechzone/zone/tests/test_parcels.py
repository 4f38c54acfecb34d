"""A parcel's area in 亩 and m²: give one, the other is filled; give both, they must agree."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hitechzone.common.units import M2_PER_MU, areas_agree, m2_to_mu, mu_to_m2
from hitechzone.enterprises.tests import factories as f
from hitechzone.zone.models import Parcel

PARCELS = "/api/v1/parcels/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- units ------------------------------------------------------------------------------------------------


def test_one_mu_is_666_67_square_metres():
    assert mu_to_m2(Decimal(1)) == Decimal("666.67")
    assert mu_to_m2(Decimal("1.5")) == Decimal("1000.00")
    assert mu_to_m2(Decimal(15)) == Decimal("10000.00")  # 15 亩 = 1 公顷
    assert m2_to_mu(Decimal("10000")) == Decimal("15.0000")
    assert m2_to_mu(Decimal("666.67")) == Decimal("1.0000")
    assert M2_PER_MU * 15 == 10000


def test_conversions_round_half_up_to_the_stored_places():
    assert mu_to_m2(Decimal("0.0001")) == Decimal("0.07")  # 0.0666…7
    assert m2_to_mu(Decimal("0.01")) == Decimal("0.0000")  # 0.000015
    assert mu_to_m2(Decimal("0.0001")).as_tuple().exponent == -2
    assert m2_to_mu(Decimal("1")).as_tuple().exponent == -4


mus = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999999.9999"), places=4)
square_metres = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2)


@given(mus)
def test_mu_to_m2_and_back_is_the_same_mu(mu):
    assert m2_to_mu(mu_to_m2(mu)) == mu
    assert areas_agree(area_mu=mu, area_m2=mu_to_m2(mu))


@given(square_metres)
def test_m2_to_mu_and_back_is_within_a_rounding_step(m2):
    back = mu_to_m2(m2_to_mu(m2))
    # 0.00005 mu of rounding is 0.0333 m²
    assert abs(back - m2) <= Decimal("0.04")
    assert areas_agree(area_mu=m2_to_mu(m2), area_m2=m2)


@given(mus)
def test_an_area_a_hundredth_of_a_mu_off_no_longer_agrees(mu):
    m2 = mu_to_m2(mu)
    assert not areas_agree(area_mu=mu + Decimal("0.02"), area_m2=m2)


# --- the model --------------------------------------------------------------------------------------------


def test_saving_with_only_mu_fills_square_metres(db):
    parcel = f.ParcelFactory(area_mu=Decimal("1.5"))
    parcel.refresh_from_db()
    assert parcel.area_m2 == Decimal("1000.00")


def test_cleaning_with_only_square_metres_fills_mu(db):
    parcel = Parcel(code="DK-M2", brand=f.BrandFactory(), area_m2=Decimal("10000"))
    parcel.full_clean()
    parcel.save()
    parcel.refresh_from_db()
    assert parcel.area_mu == Decimal("15.0000")


def test_cleaning_with_only_mu_fills_square_metres(db):
    parcel = Parcel(code="DK-MU", brand=f.BrandFactory(), area_mu=Decimal("1.5"))
    parcel.full_clean()
    assert parcel.area_m2 == Decimal("1000.00")


def test_inconsistent_areas_do_not_clean(db):
    parcel = Parcel(code="DK-BAD", brand=f.BrandFactory(), area_mu=Decimal("1.5"), area_m2=Decimal("2000"))
    with pytest.raises(ValidationError) as excinfo:
        parcel.full_clean()
    assert "area_m2" in excinfo.value.message_dict


def test_a_parcel_without_an_area_does_not_clean(db):
    parcel = Parcel(code="DK-NONE", brand=f.BrandFactory())
    with pytest.raises(ValidationError) as excinfo:
        parcel.full_clean()
    assert "area_mu" in excinfo.value.message_dict


def test_a_block_of_another_brand_does_not_clean(db):
    brand, other = f.BrandFactory(), f.BrandFactory()
    parcel = Parcel(code="DK-BLK", brand=brand, block=f.BlockFactory(brand=other), area_mu=Decimal(1))
    with pytest.raises(ValidationError) as excinfo:
        parcel.full_clean()
    assert "block" in excinfo.value.message_dict


# --- the API ----------------------------------------------------------------------------------------------


def post(api, **fields):
    return api.post(PARCELS, {"code": "DK-NEW-001", "brand": "gaoxin", **fields}, format="json")


def test_creating_a_parcel_with_only_mu_fills_square_metres(zone, api_as):
    response = post(api_as(zone.users.admin), area_mu="1.5")
    assert response.status_code == 201, response.json()
    assert response.json()["area_m2"] == "1000.00"
    parcel = Parcel.objects.get(code="DK-NEW-001")
    assert (parcel.area_mu, parcel.area_m2) == (Decimal("1.5000"), Decimal("1000.00"))


def test_creating_a_parcel_with_only_square_metres_fills_mu(zone, api_as):
    response = post(api_as(zone.users.admin), area_m2="1000")
    assert response.status_code == 201, response.json()
    assert response.json()["area_mu"] == "1.5000"
    assert Parcel.objects.get(code="DK-NEW-001").area_mu == Decimal("1.5000")


def test_creating_a_parcel_with_agreeing_areas_keeps_both(zone, api_as):
    response = post(api_as(zone.users.admin), area_mu="1.5", area_m2="1000.01")
    assert response.status_code == 201, response.json()
    parcel = Parcel.objects.get(code="DK-NEW-001")
    assert (parcel.area_mu, parcel.area_m2) == (Decimal("1.5000"), Decimal("1000.01"))


def test_creating_a_parcel_with_inconsistent_areas_is_a_400(zone, api_as):
    before = Parcel.objects.count()
    response = post(api_as(zone.users.admin), area_mu="1.5", area_m2="2000")
    assert response.status_code == 400
    assert "area_m2" in response.json()
    assert Parcel.objects.count() == before


def test_creating_a_parcel_without_an_area_is_a_400(zone, api_as):
    response = post(api_as(zone.users.admin))
    assert response.status_code == 400
    assert "area_mu" in response.json()
    assert not Parcel.objects.filter(code="DK-NEW-001").exists()


def test_changing_only_the_mu_recomputes_the_square_metres(zone, api_as):
    response = api_as(zone.users.admin).patch(f"{PARCELS}{zone.parcel_a.id}/", {"area_mu": "3"}, format="json")
    assert response.status_code == 200, response.json()
    zone.parcel_a.refresh_from_db()
    assert (zone.parcel_a.area_mu, zone.parcel_a.area_m2) == (Decimal("3.0000"), Decimal("2000.00"))


def test_changing_only_the_square_metres_recomputes_the_mu(zone, api_as):
    response = api_as(zone.users.admin).patch(f"{PARCELS}{zone.parcel_a.id}/", {"area_m2": "1000"}, format="json")
    assert response.status_code == 200, response.json()
    zone.parcel_a.refresh_from_db()
    assert zone.parcel_a.area_mu == Decimal("1.5000")


def test_changing_another_field_keeps_the_areas(zone, api_as):
    response = api_as(zone.users.admin).patch(
        f"{PARCELS}{zone.parcel_a.id}/", {"name": "高新核心区1号地块"}, format="json"
    )
    assert response.status_code == 200, response.json()
    zone.parcel_a.refresh_from_db()
    assert (zone.parcel_a.area_mu, zone.parcel_a.area_m2) == (Decimal("30.0000"), Decimal("20000.00"))


def test_a_parcel_on_a_block_of_another_brand_is_a_400(zone, api_as):
    block = f.BlockFactory(code="lvchan-north", brand=zone.brand_b)
    response = post(api_as(zone.users.admin), area_mu="2", block="lvchan-north")
    assert response.status_code == 400
    assert "block" in response.json()
    assert block.parcels.count() == 0
