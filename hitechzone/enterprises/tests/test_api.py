"""The enterprise registry API: token login, the list's shape and filters, writes, and scoping by role."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from hitechzone.enterprises.models import Contact, Enterprise, Industry
from hitechzone.enterprises.tests import factories as f

ENTERPRISES = "/api/v1/enterprises/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- token login ------------------------------------------------------------------------------------------


@pytest.fixture
def no_throttle_history():
    cache.clear()  # the login throttle counts in the cache
    yield
    cache.clear()


def test_a_user_logs_in_with_username_and_password_and_gets_a_token(zone, api_client, no_throttle_history):
    response = api_client.post("/api/v1/auth/token/", {"username": "officer_a", "password": f.PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == zone.users.officer_a
    # The token works: officer A sees enterprise A.
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(api_client.get(ENTERPRISES)) == {zone.ent_a.id}
    # Logging in again returns the same token.
    api_client.credentials()
    again = api_client.post("/api/v1/auth/token/", {"username": "officer_a", "password": f.PASSWORD}, format="json")
    assert again.json()["token"] == token


def test_a_bad_password_gets_400_and_no_token(zone, api_client, no_throttle_history):
    response = api_client.post("/api/v1/auth/token/", {"username": "officer_a", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.filter(user=zone.users.officer_a).exists()


# --- the list ----------------------------------------------------------------------------------------------


def test_the_list_has_the_page_number_shape(zone, api_as):
    f.EnterpriseFactory.create_batch(3, brand=zone.brand_a)
    body = api_as(zone.users.admin).get(ENTERPRISES, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    last = api_as(zone.users.admin).get(ENTERPRISES, {"page_size": 2, "page": 3}).json()
    assert last["next"] is None
    assert len(last["results"]) == 1


def test_a_row_answers_brand_and_chains_by_code(zone, api_as):
    row = api_as(zone.users.admin).get(f"{ENTERPRISES}{zone.ent_a.id}/").json()
    assert row["uscc"] == zone.ent_a.uscc
    assert row["brand"] == "gaoxin"
    assert row["brand_name"] == "高新技术产业开发区"
    assert row["chains"] == ["fluorine"]


def test_the_uscc_filter_finds_one_enterprise(zone, api_as):
    api = api_as(zone.users.admin)
    assert ids(api.get(ENTERPRISES, {"uscc": zone.ent_b.uscc})) == {zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"uscc": zone.ent_b.uscc.lower()})) == {zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"uscc": f.valid_uscc(999_999)})) == set()


def test_the_brand_filter_takes_a_code_or_an_id(zone, api_as):
    api = api_as(zone.users.admin)
    assert ids(api.get(ENTERPRISES, {"brand": "gaoxin"})) == {zone.ent_a.id}
    assert ids(api.get(ENTERPRISES, {"brand": str(zone.brand_b.id)})) == {zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"brand": "gaoxin,lvchan"})) == {zone.ent_a.id, zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"brand": "nowhere"})) == set()


def test_the_chain_filter_takes_a_code(zone, api_as):
    api = api_as(zone.users.admin)
    assert ids(api.get(ENTERPRISES, {"chain": "fluorine"})) == {zone.ent_a.id}
    assert ids(api.get(ENTERPRISES, {"chain": str(zone.chain.id)})) == {zone.ent_a.id}


def test_the_search_finds_a_name_part_or_a_full_uscc(zone, api_as):
    api = api_as(zone.users.admin)
    assert ids(api.get(ENTERPRISES, {"q": "甲方"})) == {zone.ent_a.id}
    assert ids(api.get(ENTERPRISES, {"q": "有限公司"})) == {zone.ent_a.id, zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"q": zone.ent_b.uscc})) == {zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"q": f" {zone.ent_b.uscc.lower()} "})) == {zone.ent_b.id}


def test_the_above_scale_filter_splits_the_registry(zone, api_as):
    small = f.EnterpriseFactory(brand=zone.brand_a, is_above_scale=False)
    api = api_as(zone.users.admin)
    assert ids(api.get(ENTERPRISES, {"is_above_scale": "false"})) == {small.id}
    assert ids(api.get(ENTERPRISES, {"is_above_scale": "true"})) == {zone.ent_a.id, zone.ent_b.id}


def test_filters_do_not_widen_the_scope(zone, api_as):
    api = api_as(zone.users.officer_a)
    assert ids(api.get(ENTERPRISES, {"uscc": zone.ent_b.uscc})) == set()
    assert ids(api.get(ENTERPRISES, {"brand": "lvchan"})) == set()
    assert ids(api.get(ENTERPRISES, {"q": "有限公司"})) == {zone.ent_a.id}


# --- writes -----------------------------------------------------------------------------------------------


def test_an_admin_creates_an_enterprise_with_only_uscc_name_and_brand(zone, api_as):
    code = f.valid_uscc(777_001)
    response = api_as(zone.users.admin).post(
        ENTERPRISES, {"uscc": code, "name": "浙江丙方化工有限公司", "brand": "lvchan"}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = Enterprise.objects.get(uscc=code)
    assert response.json()["id"] == created.id
    assert created.brand == zone.brand_b
    assert created.status == Enterprise.Status.OPERATING
    assert list(created.chains.all()) == []


def test_an_admin_sets_chains_by_code(zone, api_as):
    code = f.valid_uscc(777_002)
    response = api_as(zone.users.admin).post(
        ENTERPRISES,
        {"uscc": code, "name": "浙江丙方氟业有限公司", "brand": zone.brand_a.id, "chains": ["fluorine"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert list(Enterprise.objects.get(uscc=code).chains.all()) == [zone.chain]


def test_a_bad_uscc_is_refused_under_uscc_and_nothing_is_written(zone, api_as):
    good = f.valid_uscc(777_003)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = Enterprise.objects.count()
    response = api_as(zone.users.admin).post(
        ENTERPRISES, {"uscc": bad, "name": "浙江错码有限公司", "brand": "gaoxin"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["uscc"]
    assert Enterprise.objects.count() == before


def test_a_duplicate_uscc_is_refused_under_uscc(zone, api_as):
    before = Enterprise.objects.count()
    response = api_as(zone.users.admin).post(
        ENTERPRISES, {"uscc": zone.ent_a.uscc, "name": "另一家有限公司", "brand": "gaoxin"}, format="json"
    )
    assert response.status_code == 400
    assert "uscc" in response.json()
    assert Enterprise.objects.count() == before


def test_changing_an_enterprise_keeps_its_own_uscc(zone, api_as):
    response = api_as(zone.users.admin).patch(
        f"{ENTERPRISES}{zone.ent_a.id}/", {"uscc": zone.ent_a.uscc, "name": "浙江甲方新材料有限公司"}, format="json"
    )
    assert response.status_code == 200, response.json()
    zone.ent_a.refresh_from_db()
    assert zone.ent_a.name == "浙江甲方新材料有限公司"


def test_changing_to_another_enterprises_uscc_is_refused(zone, api_as):
    response = api_as(zone.users.admin).patch(
        f"{ENTERPRISES}{zone.ent_a.id}/", {"uscc": zone.ent_b.uscc}, format="json"
    )
    assert response.status_code == 400
    assert "uscc" in response.json()


@pytest.mark.parametrize("persona", ["leader", "dept_a", "officer_a", "expert_a", "ent_a"])
def test_only_an_admin_may_create_an_enterprise(zone, api_as, persona):
    before = Enterprise.objects.count()
    response = api_as(getattr(zone.users, persona)).post(
        ENTERPRISES, {"uscc": f.valid_uscc(777_004), "name": "浙江越权有限公司", "brand": "gaoxin"}, format="json"
    )
    assert response.status_code == 403
    assert Enterprise.objects.count() == before


@pytest.mark.parametrize("persona", ["leader", "officer_a", "ent_a"])
def test_only_an_admin_may_change_or_delete_an_enterprise(zone, api_as, persona):
    api = api_as(getattr(zone.users, persona))
    assert api.patch(f"{ENTERPRISES}{zone.ent_a.id}/", {"name": "改名有限公司"}, format="json").status_code == 403
    assert api.delete(f"{ENTERPRISES}{zone.ent_a.id}/").status_code == 403
    zone.ent_a.refresh_from_db()
    assert zone.ent_a.name == "浙江甲方氟材料有限公司"


# --- another role's object is 404 --------------------------------------------------------------------------


def test_an_enterprise_user_gets_404_for_another_enterprise(zone, api_as):
    api = api_as(zone.users.ent_a)
    assert api.get(f"{ENTERPRISES}{zone.ent_a.id}/").status_code == 200
    response = api.get(f"{ENTERPRISES}{zone.ent_b.id}/")
    assert response.status_code == 404
    assert zone.ent_b.name not in response.content.decode()


def test_an_officer_gets_404_for_an_enterprise_not_assigned_to_them(zone, api_as):
    api = api_as(zone.users.officer_a)
    assert api.get(f"{ENTERPRISES}{zone.ent_a.id}/").status_code == 200
    assert api.get(f"{ENTERPRISES}{zone.ent_b.id}/").status_code == 404


def test_an_expert_gets_404_for_every_enterprise(zone, api_as):
    api = api_as(zone.users.expert_a)
    assert api.get(f"{ENTERPRISES}{zone.ent_a.id}/").status_code == 404
    assert api.get(f"{ENTERPRISES}{zone.ent_b.id}/").status_code == 404
    assert ids(api.get(ENTERPRISES)) == set()


def test_an_officer_sees_only_assigned_enterprises(zone, api_as):
    assert ids(api_as(zone.users.officer_a).get(ENTERPRISES)) == {zone.ent_a.id}


def test_an_officer_whose_assignment_ended_no_longer_sees_the_enterprise(zone, api_as):
    from datetime import date

    from hitechzone.enterprises.models import Assignment

    Assignment.objects.filter(officer=zone.users.officer_a).update(
        ended_on=date(2020, 1, 1), started_on=date(2019, 1, 1)
    )
    api = api_as(zone.users.officer_a)
    assert ids(api.get(ENTERPRISES)) == set()
    assert api.get(f"{ENTERPRISES}{zone.ent_a.id}/").status_code == 404


# --- indicators and contacts --------------------------------------------------------------------------------


def test_an_enterprise_user_lists_only_its_own_indicators(zone, api_as):
    f.IndicatorFactory(enterprise=zone.ent_a, year=2024)
    f.IndicatorFactory(enterprise=zone.ent_b, year=2024)
    body = api_as(zone.users.ent_a).get("/api/v1/enterprise-indicators/").json()
    assert body["count"] == 2
    assert {row["enterprise"] for row in body["results"]} == {zone.ent_a.id}
    assert {row["uscc"] for row in body["results"]} == {zone.ent_a.uscc}
    assert {row["year"] for row in body["results"]} == {2024, 2025}


def test_the_indicator_filter_by_uscc_cannot_reach_another_enterprise(zone, api_as):
    body = api_as(zone.users.ent_a).get("/api/v1/enterprise-indicators/", {"uscc": zone.ent_b.uscc}).json()
    assert body["count"] == 0


def test_an_enterprise_user_adds_a_contact_to_its_own_enterprise(zone, api_as):
    response = api_as(zone.users.ent_a).post(
        "/api/v1/contacts/", {"enterprise": zone.ent_a.id, "name": "新联系人", "phone": "13800000000"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Contact.objects.filter(enterprise=zone.ent_a, name="新联系人").exists()


def test_an_enterprise_user_cannot_add_a_contact_to_another_enterprise(zone, api_as):
    before = Contact.objects.count()
    response = api_as(zone.users.ent_a).post(
        "/api/v1/contacts/", {"enterprise": zone.ent_b.id, "name": "冒名联系人", "phone": "13800000000"}, format="json"
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()
    assert Contact.objects.count() == before


def test_an_enterprise_user_cannot_move_its_contact_to_another_enterprise(zone, api_as):
    response = api_as(zone.users.ent_a).patch(
        f"/api/v1/contacts/{zone.contact_a.id}/", {"enterprise": zone.ent_b.id}, format="json"
    )
    assert response.status_code == 400
    zone.contact_a.refresh_from_db()
    assert zone.contact_a.enterprise == zone.ent_a


def test_an_enterprise_user_cannot_touch_another_enterprises_contact(zone, api_as):
    api = api_as(zone.users.ent_a)
    assert api.patch(f"/api/v1/contacts/{zone.contact_b.id}/", {"name": "改"}, format="json").status_code == 404
    assert api.delete(f"/api/v1/contacts/{zone.contact_b.id}/").status_code == 404
    assert Contact.objects.filter(pk=zone.contact_b.id).exists()


def test_an_officer_may_read_but_not_write_contacts(zone, api_as):
    api = api_as(zone.users.officer_a)
    assert ids(api.get("/api/v1/contacts/")) == {zone.contact_a.id}
    before = Contact.objects.count()
    response = api.post("/api/v1/contacts/", {"enterprise": zone.ent_a.id, "name": "店小二加的"}, format="json")
    assert response.status_code == 403
    assert Contact.objects.count() == before


# --- industries ---------------------------------------------------------------------------------------------


def test_the_migration_loads_20_sections_and_97_divisions(zone, api_as):
    api = api_as(zone.users.officer_a)
    sections = api.get("/api/v1/industries/", {"level": "section", "page_size": 100}).json()
    assert sections["count"] == 20
    assert [row["code"] for row in sections["results"]] == list("ABCDEFGHIJKLMNOPQRST")
    assert api.get("/api/v1/industries/", {"level": "division"}).json()["count"] == 97
    assert Industry.objects.filter(level="division").count() == 97


def test_the_chemical_groups_261_to_268_are_present(zone, api_as):
    api = api_as(zone.users.ent_a)
    body = api.get("/api/v1/industries/", {"parent": "26", "level": "group"}).json()
    assert [row["code"] for row in body["results"]] == [str(c) for c in range(261, 269)]
    assert {row["parent"] for row in body["results"]} == {"26"}
    detail = api.get("/api/v1/industries/261/").json()
    assert detail["name_zh"] == "基础化学原料制造"
    assert Industry.objects.get(code="26").parent_id == "C"


def test_the_industry_filter_takes_a_section_division_group_or_class(zone, api_as):
    zone.ent_a.industry_id = "2614"  # 有机化学原料制造 (class) → 261 → 26 → C
    zone.ent_a.save()
    zone.ent_b.industry_id = "301"  # 水泥、石灰和石膏制造 (group) → 30 → C
    zone.ent_b.save()
    api = api_as(zone.users.admin)
    assert ids(api.get(ENTERPRISES, {"industry": "2614"})) == {zone.ent_a.id}
    assert ids(api.get(ENTERPRISES, {"industry": "261"})) == {zone.ent_a.id}
    assert ids(api.get(ENTERPRISES, {"industry": "26"})) == {zone.ent_a.id}
    assert ids(api.get(ENTERPRISES, {"industry": "C"})) == {zone.ent_a.id, zone.ent_b.id}
    assert ids(api.get(ENTERPRISES, {"industry": "A"})) == set()


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"brand": "99999999999999999999999"}, id="brand-id-beyond-bigint"),
        pytest.param({"chain": "99999999999999999999999"}, id="chain-id-beyond-bigint"),
        pytest.param({"brand": "²"}, id="brand-superscript-digit"),
        pytest.param({"brand": " , ,"}, id="brand-only-commas"),
    ],
)
def test_an_odd_filter_value_matches_nothing_instead_of_failing(zone, api_as, params):
    assert ids(api_as(zone.users.admin).get(ENTERPRISES, params)) == set()


def test_an_unknown_brand_on_create_names_the_brand(zone, api_as):
    response = api_as(zone.users.admin).post(
        ENTERPRISES, {"uscc": f.valid_uscc(777_005), "name": "浙江无主有限公司", "brand": "nowhere"}, format="json"
    )
    assert response.status_code == 400
    assert "nowhere" in response.json()["brand"][0]
