"""The zone registry API: reference data every role reads, parcels scoped like their land users."""

import pytest

from hitechzone.enterprises.tests import factories as f
from hitechzone.zone.models import Brand, Department, FunctionalArea, Parcel

ALL_PERSONAS = ["admin", "leader", "dept_a", "dept_b", "officer_a", "officer_b", "expert_a", "expert_b",
                "ent_a", "ent_b"]  # fmt: skip


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def areas(zone):
    return (
        f.FunctionalAreaFactory(code="fluorosilicon", name="氟硅化工功能区", brand=zone.brand_b),
        f.FunctionalAreaFactory(code="biochemical", name="生物化工功能区", brand=zone.brand_a),
    )


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_every_role_reads_brands_functional_areas_and_departments(zone, api_as, areas, persona):
    api = api_as(getattr(zone.users, persona))
    assert {r["code"] for r in results(api.get("/api/v1/brands/"))} == {"gaoxin", "lvchan"}
    assert {r["id"] for r in results(api.get("/api/v1/functional-areas/"))} == {a.id for a in areas}
    assert {r["id"] for r in results(api.get("/api/v1/departments/"))} == {zone.dept_a.id, zone.dept_b.id}
    assert api.get(f"/api/v1/brands/{zone.brand_b.id}/").json()["code"] == "lvchan"


def test_a_functional_area_answers_its_brand_by_code(zone, api_as, areas):
    body = api_as(zone.users.leader).get(f"/api/v1/functional-areas/{areas[0].id}/").json()
    assert body["brand"] == "lvchan"
    assert body["name"] == "氟硅化工功能区"


@pytest.mark.parametrize("persona", ["leader", "dept_a", "officer_a", "expert_a", "ent_a"])
def test_only_an_admin_writes_reference_data(zone, api_as, persona):
    api = api_as(getattr(zone.users, persona))
    counts = (Brand.objects.count(), FunctionalArea.objects.count(), Department.objects.count())
    assert api.post("/api/v1/brands/", {"code": "x", "name": "X", "short_name": "X"}, format="json").status_code == 403
    assert api.post("/api/v1/functional-areas/", {"code": "x", "name": "X"}, format="json").status_code == 403
    assert api.post("/api/v1/departments/", {"code": "x", "name": "X"}, format="json").status_code == 403
    assert api.patch(f"/api/v1/brands/{zone.brand_a.id}/", {"name": "改"}, format="json").status_code == 403
    assert (Brand.objects.count(), FunctionalArea.objects.count(), Department.objects.count()) == counts


def test_an_admin_adds_a_functional_area_to_a_brand_by_code(zone, api_as):
    response = api_as(zone.users.admin).post(
        "/api/v1/functional-areas/",
        {"code": "fine-chemicals", "name": "精细化工功能区", "brand": "lvchan"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert FunctionalArea.objects.get(code="fine-chemicals").brand == zone.brand_b


def test_an_unknown_brand_code_is_a_400_that_names_it(zone, api_as):
    response = api_as(zone.users.admin).post(
        "/api/v1/functional-areas/", {"code": "x", "name": "X", "brand": "nowhere"}, format="json"
    )
    assert response.status_code == 400
    assert "nowhere" in response.json()["brand"][0]


def test_the_department_level_filter(zone, api_as):
    committee = f.DepartmentFactory(name="管委会经济发展局", level=Department.Level.COMMITTEE)
    rows = results(api_as(zone.users.dept_a).get("/api/v1/departments/", {"level": "committee"}))
    assert [r["id"] for r in rows] == [committee.id]


# Parcels follow their land user: everyone who reads the registry (admin, leader, departments), the officer of
# the enterprise, and the enterprise itself; experts see none.
PARCELS_SEEN = {
    "admin": {"a", "b"},
    "leader": {"a", "b"},
    "dept_a": {"a", "b"},
    "dept_b": {"a", "b"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "expert_a": set(),
    "expert_b": set(),
    "ent_a": {"a"},
    "ent_b": {"b"},
}


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_parcels_are_readable_per_the_scoping_matrix(zone, api_as, persona):
    api = api_as(getattr(zone.users, persona))
    parcels = {"a": zone.parcel_a, "b": zone.parcel_b}
    expected = {parcels[k].id for k in PARCELS_SEEN[persona]}
    assert {r["id"] for r in results(api.get("/api/v1/parcels/"))} == expected
    for key, parcel in parcels.items():
        status = api.get(f"/api/v1/parcels/{parcel.id}/").status_code
        assert status == (200 if key in PARCELS_SEEN[persona] else 404), (persona, key, status)


def test_reserve_land_without_a_land_user_is_seen_by_readers_of_the_registry_only(zone, api_as):
    reserve = f.ParcelFactory(brand=zone.brand_a, enterprise=None, land_use=Parcel.LandUse.RESERVE)
    ids = {r["id"] for r in results(api_as(zone.users.dept_a).get("/api/v1/parcels/"))}
    assert reserve.id in ids
    for persona in ("officer_a", "ent_a", "expert_a"):
        ids = {r["id"] for r in results(api_as(getattr(zone.users, persona)).get("/api/v1/parcels/"))}
        assert reserve.id not in ids, persona


def test_the_parcel_filters_by_brand_code_and_land_user_name(zone, api_as):
    api = api_as(zone.users.leader)
    assert [r["id"] for r in results(api.get("/api/v1/parcels/", {"brand": "lvchan"}))] == [zone.parcel_b.id]
    assert [r["id"] for r in results(api.get("/api/v1/parcels/", {"q": "甲方"}))] == [zone.parcel_a.id]
    assert [r["id"] for r in results(api.get("/api/v1/parcels/", {"enterprise": zone.ent_b.id}))] == [zone.parcel_b.id]


def test_a_parcel_row_names_its_land_user(zone, api_as):
    body = api_as(zone.users.ent_a).get(f"/api/v1/parcels/{zone.parcel_a.id}/").json()
    assert body["enterprise"] == zone.ent_a.id
    assert body["enterprise_name"] == zone.ent_a.name
    assert body["brand"] == "gaoxin"
    assert body["area_mu"] == "30.0000"
    assert body["area_m2"] == "20000.00"


@pytest.mark.parametrize("persona", ["leader", "dept_a", "officer_a", "ent_a"])
def test_only_an_admin_writes_parcels(zone, api_as, persona):
    api = api_as(getattr(zone.users, persona))
    before = Parcel.objects.count()
    response = api.post("/api/v1/parcels/", {"code": "DK-X", "brand": "gaoxin", "area_mu": "1"}, format="json")
    assert response.status_code == 403
    assert api.patch(f"/api/v1/parcels/{zone.parcel_a.id}/", {"area_mu": "1"}, format="json").status_code == 403
    assert Parcel.objects.count() == before
