"""docs/0001-role-scoping.md as a table: every persona × every endpoint and page, exactly which A/B rows it sees.

One test per persona walks the whole API (lists and details) and the pages, and collects every difference
from the table, so a failure names the persona and lists everything that persona got wrong.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from hitechzone.accounts.models import Role
from hitechzone.enterprises.models import Assignment, Contact, Enterprise, EnterpriseIndicator, Industry, IndustryChain
from hitechzone.enterprises.tests import factories as f
from hitechzone.zone.models import Block, Brand, Department, FunctionalArea, Parcel

PERSONAS = ["admin", "leader", "dept_a", "dept_b", "officer_a", "officer_b", "expert_a", "expert_b", "ent_a", "ent_b"]
AB = frozenset("ab")
A = frozenset("a")
B = frozenset("b")
NONE = frozenset()

# docs/0001-role-scoping.md, per persona: the registry profile (Enterprise, and Parcel which follows its land
# user) and the confidential rows (Contact, EnterpriseIndicator).
REGISTRY = {
    "admin": AB,
    "leader": AB,
    "dept_a": AB,
    "dept_b": AB,
    "officer_a": A,
    "officer_b": B,
    "expert_a": NONE,
    "expert_b": NONE,
    "ent_a": A,
    "ent_b": B,
}
CONFIDENTIAL = {**REGISTRY, "dept_a": NONE, "dept_b": NONE}
REFERENCE = dict.fromkeys(PERSONAS, AB)

# endpoint → (the table row that applies, the attribute names of its A and B objects on the `matrix` fixture)
ENDPOINTS = {
    "brands": (REFERENCE, "brand"),
    "blocks": (REFERENCE, "block"),
    "functional-areas": (REFERENCE, "area"),
    "departments": (REFERENCE, "dept"),
    "industry-chains": (REFERENCE, "chain"),
    "industries": (REFERENCE, "industry"),
    "parcels": (REGISTRY, "parcel"),
    "enterprises": (REGISTRY, "ent"),
    "enterprise-indicators": (CONFIDENTIAL, "indicator"),
    "contacts": (CONFIDENTIAL, "contact"),
}

PAGES = ["/", "/enterprises/", "/zone/parcels/", "/zone/departments/"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def matrix(zone):
    """The conftest zone plus an A and a B of every reference table, and names that are easy to find in a page."""
    zone.block_a = f.BlockFactory(code="gaoxin-core", name="高新核心区", brand=zone.brand_a)
    zone.block_b = f.BlockFactory(code="lvchan-north", name="集聚区北片", brand=zone.brand_b)
    zone.area_a = f.FunctionalAreaFactory(code="biochemical", name="生物化工功能区", brand=zone.brand_a)
    zone.area_b = f.FunctionalAreaFactory(code="fluorosilicon", name="氟硅化工功能区", brand=zone.brand_b)
    zone.chain_a = zone.chain
    zone.chain_b = f.ChainFactory(code="organosilicon", name="有机硅")
    zone.industry_a = Industry.objects.get(code="2614")
    zone.industry_b = Industry.objects.get(code="C")
    zone.parcel_a.code, zone.parcel_b.code = "DK-GAOXIN-甲-01", "DK-LVCHAN-乙-01"
    zone.parcel_a.save()
    zone.parcel_b.save()
    Contact.objects.filter(pk=zone.contact_a.pk).update(name="甲方联络员张三")
    Contact.objects.filter(pk=zone.contact_b.pk).update(name="乙方联络员李四")
    return zone


def object_id(endpoint, obj):
    return obj.code if endpoint == "industries" else obj.id


def listed_ids(api, endpoint) -> tuple[int, set]:
    response = api.get(f"/api/v1/{endpoint}/", {"page_size": 500})
    assert response.status_code == 200, (endpoint, response.status_code)
    body = response.json()
    key = "code" if endpoint == "industries" else "id"
    return body["count"], {row[key] for row in body["results"]}


def all_ids(endpoint) -> set:
    model = {
        "brands": Brand,
        "blocks": Block,
        "functional-areas": FunctionalArea,
        "departments": Department,
        "industry-chains": IndustryChain,
        "industries": Industry,
    }[endpoint]
    return set(model.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_exactly_what_the_scoping_matrix_gives_its_role(matrix, api_as, client, persona):
    user = getattr(matrix.users, persona)
    api = api_as(user)
    wrong: list[str] = []

    # The API: every list, and the detail of the A and the B object.
    for endpoint, (table, attr) in ENDPOINTS.items():
        objects = {"a": getattr(matrix, f"{attr}_a"), "b": getattr(matrix, f"{attr}_b")}
        seen = table[persona]
        count, ids = listed_ids(api, endpoint)
        if table is REFERENCE:
            expected_all = all_ids(endpoint)
            if count != len(expected_all) or (endpoint != "industries" and ids != expected_all):
                wrong.append(f"{endpoint}: listed {count} rows, the table has {len(expected_all)}")
        else:
            expected = {object_id(endpoint, objects[k]) for k in seen}
            if ids != expected:
                wrong.append(f"{endpoint}: listed {sorted(ids)}, expected {sorted(expected)}")
        for key, obj in objects.items():
            status = api.get(f"/api/v1/{endpoint}/{object_id(endpoint, obj)}/").status_code
            want = 200 if key in seen else 404
            if status != want:
                wrong.append(f"{endpoint} {key.upper()}: detail answered {status}, expected {want}")

    # Writes: only an administrator creates an enterprise.
    before = Enterprise.objects.count()
    response = api.post(
        "/api/v1/enterprises/",
        {"uscc": f.valid_uscc(888_001), "name": "浙江新设有限公司", "brand": "gaoxin"},
        format="json",
    )
    want = 201 if persona == "admin" else 403
    if response.status_code != want:
        wrong.append(f"POST enterprises: answered {response.status_code}, expected {want}")
    if Enterprise.objects.count() != before + (1 if persona == "admin" else 0):
        wrong.append("POST enterprises: the row count changed when it should not have (or did not when it should)")

    # The pages.
    client.force_login(user)
    for url in PAGES:
        status = client.get(url).status_code
        if status != 200:
            wrong.append(f"page {url}: answered {status}, expected 200")
    enterprise_list = client.get("/enterprises/").content.decode()
    parcel_list = client.get("/zone/parcels/").content.decode()
    departments = client.get("/zone/departments/").content.decode()
    for key in "ab":
        enterprise = getattr(matrix, f"ent_{key}")
        parcel = getattr(matrix, f"parcel_{key}")
        contact = Contact.objects.get(pk=getattr(matrix, f"contact_{key}").pk)
        visible = key in REGISTRY[persona]
        if (enterprise.name in enterprise_list) != visible:
            wrong.append(f"page /enterprises/: {key.upper()} {'missing' if visible else 'shown'}")
        if (parcel.code in parcel_list) != visible:
            wrong.append(f"page /zone/parcels/: {key.upper()} {'missing' if visible else 'shown'}")
        if getattr(matrix, f"dept_{key}").name not in departments:
            wrong.append(f"page /zone/departments/: department {key.upper()} missing")
        detail = client.get(f"/enterprises/{enterprise.id}/")
        want = 200 if visible else 404
        if detail.status_code != want:
            wrong.append(f"page /enterprises/{key.upper()}/: answered {detail.status_code}, expected {want}")
        elif visible and (contact.name in detail.content.decode()) != (key in CONFIDENTIAL[persona]):
            wrong.append(
                f"page /enterprises/{key.upper()}/: contact {'missing' if key in CONFIDENTIAL[persona] else 'shown'}"
            )

    assert not wrong, f"{persona}:\n  " + "\n  ".join(wrong)


def test_anonymous_visitors_are_sent_to_log_in_and_the_api_refuses_them(matrix, client, api_client):
    pages = [*PAGES, f"/enterprises/{matrix.ent_a.id}/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url
    for endpoint, (_table, attr) in ENDPOINTS.items():
        assert api_client.get(f"/api/v1/{endpoint}/").status_code in (401, 403), endpoint
        obj = getattr(matrix, f"{attr}_a")
        assert api_client.get(f"/api/v1/{endpoint}/{object_id(endpoint, obj)}/").status_code in (401, 403), endpoint
    before = Enterprise.objects.count()
    response = api_client.post(
        "/api/v1/enterprises/",
        {"uscc": f.valid_uscc(888_002), "name": "浙江匿名有限公司", "brand": "gaoxin"},
        format="json",
    )
    assert response.status_code in (401, 403)
    assert Enterprise.objects.count() == before


def test_a_bad_token_is_refused(matrix, api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get("/api/v1/enterprises/").status_code == 401


# --- for_user itself ----------------------------------------------------------------------------------------

SCOPED_MODELS = [Brand, Block, FunctionalArea, Department, Parcel, Industry, IndustryChain, Enterprise,
                 EnterpriseIndicator, Contact, Assignment]  # fmt: skip


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
def test_nobody_and_an_anonymous_user_see_nothing(matrix, model):
    assert model.objects.exists()
    assert not model.objects.for_user(None).exists()
    assert not model.objects.for_user(AnonymousUser()).exists()


@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("persona", ["admin", "leader", "officer_a", "ent_a"])
def test_an_inactive_user_sees_nothing(matrix, model, persona):
    user = getattr(matrix.users, persona)
    assert model.objects.for_user(user).exists()
    user.is_active = False
    user.save()
    assert not model.objects.for_user(user).exists()


def test_an_inactive_user_is_refused_by_the_api_and_the_pages(matrix, api_as, client):
    user = matrix.users.leader
    api = api_as(user)
    user.is_active = False
    user.save()
    assert api.get("/api/v1/enterprises/").status_code in (401, 403)
    client.force_login(user)
    assert client.get("/enterprises/").status_code == 302


def test_a_superuser_acts_as_administrator_whatever_its_role(matrix):
    user = f.UserFactory(username="root", role=Role.ENTERPRISE, is_superuser=True)
    assert set(Enterprise.objects.for_user(user)) == {matrix.ent_a, matrix.ent_b}
    assert Contact.objects.for_user(user).count() == 2


def test_an_enterprise_user_without_an_enterprise_sees_no_enterprise_rows(matrix):
    user = f.UserFactory(username="orphan", role=Role.ENTERPRISE)
    for model in (Enterprise, Parcel, Contact, EnterpriseIndicator, Assignment):
        assert not model.objects.for_user(user).exists(), model.__name__
    assert Brand.objects.for_user(user).count() == 2


def test_a_role_without_a_scope_sees_nothing(matrix):
    # Department staff have no scope on assignments, contacts or indicators; experts none on the registry.
    for model in (Assignment, Contact, EnterpriseIndicator):
        assert not model.objects.for_user(matrix.users.dept_a).exists(), model.__name__
    for model in (Enterprise, Parcel, Contact, EnterpriseIndicator, Assignment):
        assert not model.objects.for_user(matrix.users.expert_a).exists(), model.__name__


def test_assignments_follow_the_matrix(matrix):
    mine = Assignment.objects.get(officer=matrix.users.officer_a)
    assert list(Assignment.objects.for_user(matrix.users.officer_a)) == [mine]
    assert list(Assignment.objects.for_user(matrix.users.ent_a)) == [mine]
    assert Assignment.objects.for_user(matrix.users.leader).count() == 2


def test_an_officer_sees_an_enterprise_only_while_assigned(matrix):
    officer = matrix.users.officer_a
    today = timezone.localdate()
    Assignment.objects.filter(officer=officer).update(started_on=today.replace(year=today.year + 1))
    assert not Enterprise.objects.for_user(officer).exists()  # not started yet
    Assignment.objects.filter(officer=officer).update(started_on=date(2020, 1, 1), ended_on=today)
    assert not Enterprise.objects.for_user(officer).exists()  # ended today
    Assignment.objects.filter(officer=officer).update(ended_on=None)
    assert list(Enterprise.objects.for_user(officer)) == [matrix.ent_a]
    assert list(Parcel.objects.for_user(officer)) == [matrix.parcel_a]
