"""Who sees which applications, parallel approvals, rectifications, figures and overdue cases, through the API.

Deny by default: every persona lists exactly its rows and opens exactly those; another's row answers 404, never
403 with data; experts see nothing; the anonymous get 401 everywhere. The world: enterprise A's cases all sit
with department A, enterprise B's with department B, so that each persona sees A, B, both or neither.
"""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hitechzone.approvals import services
from hitechzone.approvals.models import Application, ItemType, Mode, Rectification

PERSONAS = ["admin", "leader", "dept_a", "dept_b", "officer_a", "officer_b", "expert_a", "ent_a", "ent_b"]
AB, A, B, NONE = frozenset("ab"), frozenset("a"), frozenset("b"), frozenset()
SEES = {
    "admin": AB, "leader": AB, "dept_a": A, "dept_b": B, "officer_a": A, "officer_b": B, "expert_a": NONE,
    "ent_a": A, "ent_b": B,
}  # fmt: skip
ENDPOINTS = {
    "applications": "/api/v1/applications/",
    "bundles": "/api/v1/approval-bundles/",
    "rectifications": "/api/v1/rectifications/",
    "overdue": "/api/v1/approvals/overdue/",
}
STATS = "/api/v1/approvals/stats/"
TODAY = date(2025, 4, 1)


@pytest.fixture
def client_of(db):
    def login(persona: str, world) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if persona != "anonymous":
            token, _created = Token.objects.get_or_create(user=getattr(world.users, persona))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return login


@pytest.fixture
def world(catalogue, file_application, walk, freeze, zone):
    """On 1 April 2025, for each enterprise X in (A, B), all at department X:

    ``done_x`` completed in March and rated 不满意 or worse (a rectification task); ``late_x`` processing and
    overdue since March; ``bundle_x`` a parallel approval of two items of department X, just received.
    """
    u = zone.users
    freeze(TODAY)
    item_b2 = services.item_create(
        by=u.dept_b,
        code="330100-B-002",
        department=zone.dept_b,
        name="建设项目环境影响登记表备案",
        mode=Mode.AGENCY,
        item_type=ItemType.COMMITMENT,
        statutory_limit=5,
        promised_limit=1,
    )
    sides = {
        "a": (zone.ent_a, u.ent_a, catalogue.item_a, catalogue.immediate_item, 2),
        "b": (zone.ent_b, u.ent_b, catalogue.item_b, item_b2, 1),
    }
    for key, (enterprise, user, item, other, level) in sides.items():
        done = walk(file_application(item, enterprise=enterprise, on=date(2025, 3, 3)), to="completed")
        services.application_rate(application=done, by=user, level=level, comment="办事太慢", on=date(2025, 3, 20))
        late = walk(file_application(item, enterprise=enterprise, on=date(2025, 3, 3)), to="processing")
        assert late.light(TODAY) == "red"
        bundle = services.bundle_create(by=user, enterprise=enterprise, name=f"项目{key}", items=[item, other])
        setattr(zone, f"done_{key}", done)
        setattr(zone, f"late_{key}", late)
        setattr(zone, f"bundle_{key}", bundle)
        setattr(zone, f"rectification_{key}", Rectification.objects.get(review__application=done))
        setattr(
            zone,
            f"applications_{key}",
            set(Application.objects.filter(enterprise=enterprise).values_list("pk", flat=True)),
        )
    assert len(zone.applications_a) == len(zone.applications_b) == 4
    return zone


def expected(world, endpoint: str, sides) -> set[int]:
    rows = {
        "applications": lambda key: getattr(world, f"applications_{key}"),
        "bundles": lambda key: {getattr(world, f"bundle_{key}").pk},
        "rectifications": lambda key: {getattr(world, f"rectification_{key}").pk},
        "overdue": lambda key: {getattr(world, f"late_{key}").pk},
    }[endpoint]
    return set().union(*(rows(key) for key in sides))


def listed(client, url, **params) -> set[int]:
    response = client.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, (url, response.status_code)
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_and_opens_exactly_its_cases(world, client_of, persona):
    client, sides = client_of(persona, world), SEES[persona]
    wrong = []
    for endpoint, url in ENDPOINTS.items():
        want = expected(world, endpoint, sides)
        got = listed(client, url)
        if got != want:
            wrong.append(f"{endpoint}: listed {sorted(got)}, expected {sorted(want)}")
    details = {
        "applications": "done",
        "bundles": "bundle",
        "rectifications": "rectification",
    }
    for endpoint, name in details.items():
        for key in "ab":
            obj = getattr(world, f"{name}_{key}")
            status = client.get(f"{ENDPOINTS[endpoint]}{obj.pk}/").status_code
            if status != (200 if key in sides else 404):
                wrong.append(f"{endpoint} {key.upper()}: detail answered {status}")
    assert not wrong, f"{persona}:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_counts_only_its_cases_in_the_figures(world, client_of, persona):
    response = client_of(persona, world).get(STATS, {"year": 2025})
    assert response.status_code == 200
    stats, sides = response.json(), SEES[persona]
    assert stats["items"] == 4  # the catalogue is reference data: every signed-in role counts it
    assert stats["applications"] == 4 * len(sides)
    assert stats["completed"] == len(sides)
    assert stats["overdue"] == stats["lights"]["red"] == len(sides)
    assert stats["bundles"]["count"] == len(sides)
    assert {row["department"] for row in stats["by_department"] if row["applications"]} == {
        getattr(world, f"dept_{key}").code for key in sides
    }


def test_the_anonymous_see_nothing(world, client_of):
    client = client_of("anonymous", world)
    urls = [*ENDPOINTS.values(), STATS, "/api/v1/approval-items/", f"/api/v1/applications/{world.done_a.pk}/"]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 401)
    assert client.post("/api/v1/applications/", {"item": "330100-A-001"}, format="json").status_code == 401


def test_an_expert_reads_the_catalogue_but_no_case(world, client_of):
    client = client_of("expert_a", world)
    assert client.get("/api/v1/approval-items/").json()["count"] == 4
    assert client.get(f"/api/v1/applications/{world.late_a.pk}/").status_code == 404
    assert client.get("/api/v1/applications/", {"enterprise": world.ent_a.pk}).json()["count"] == 0


def test_a_filter_never_reaches_beyond_the_scope(world, client_of):
    client = client_of("ent_a", world)
    assert listed(client, ENDPOINTS["applications"], enterprise=world.ent_b.pk) == set()
    assert listed(client, ENDPOINTS["applications"], department=world.dept_b.code) == set()
    assert listed(client, ENDPOINTS["applications"], department=world.dept_a.code) == world.applications_a
    assert listed(client, ENDPOINTS["bundles"], enterprise=world.ent_b.pk) == set()
    assert listed(client_of("dept_a", world), ENDPOINTS["overdue"], department=world.dept_b.code) == set()


# Who may check a received application of enterprise A at department A: the window only; a role that sees it but
# may not act is told so (403); a role that may act elsewhere but does not see this one gets 404.
CHECK = {
    "admin": 200, "leader": 403, "dept_a": 200, "dept_b": 404, "officer_a": 403, "officer_b": 403,
    "expert_a": 403, "ent_a": 403, "ent_b": 403, "anonymous": 401,
}  # fmt: skip


@pytest.mark.parametrize("persona", CHECK)
def test_who_may_check_an_application(world, file_application, client_of, persona):
    application = file_application(world.done_a.item, enterprise=world.ent_a)
    response = client_of(persona, world).post(f"/api/v1/applications/{application.pk}/check/", {}, format="json")
    assert response.status_code == CHECK[persona], response.content
    application.refresh_from_db()
    assert application.state == ("accepted" if CHECK[persona] == 200 else "received")


# Who may supply a material of enterprise A's application: its side and the window; others do not see it.
SUPPLY = {
    "admin": 200, "leader": 403, "dept_a": 200, "dept_b": 404, "officer_a": 200, "officer_b": 404,
    "expert_a": 403, "ent_a": 200, "ent_b": 404, "anonymous": 401,
}  # fmt: skip


@pytest.mark.parametrize("persona", SUPPLY)
def test_who_may_supply_a_material(world, file_application, walk, client_of, persona):
    application = walk(
        file_application(world.done_a.item, enterprise=world.ent_a, provided=["申请表"]), to="correcting"
    )
    missing = list(application.materials.filter(status="missing").values_list("material_id", flat=True))[:1]
    response = client_of(persona, world).post(
        f"/api/v1/applications/{application.pk}/supply/", {"materials": missing}, format="json"
    )
    assert response.status_code == SUPPLY[persona], response.content


# Who may answer department A's rectification task.
ANSWER = {
    "admin": 200, "leader": 403, "dept_a": 200, "dept_b": 404, "officer_a": 403, "officer_b": 403,
    "expert_a": 403, "ent_a": 403, "ent_b": 403, "anonymous": 401,
}  # fmt: skip


@pytest.mark.parametrize("persona", ANSWER)
def test_who_may_answer_a_rectification(world, client_of, persona):
    url = f"/api/v1/rectifications/{world.rectification_a.pk}/answer/"
    response = client_of(persona, world).post(url, {"answer": "已整改"}, format="json")
    assert response.status_code == ANSWER[persona], response.content


# Who may edit department A's item: the administrators and department A (a new version); department B is told it
# may not (400, the service's message); the roles that never edit the catalogue get 403.
EDIT = {
    "admin": 200, "leader": 403, "dept_a": 200, "dept_b": 400, "officer_a": 403, "officer_b": 403,
    "expert_a": 403, "ent_a": 403, "ent_b": 403, "anonymous": 401,
}  # fmt: skip


@pytest.mark.parametrize("persona", EDIT)
def test_who_may_edit_an_item(world, catalogue, client_of, persona):
    url = f"/api/v1/approval-items/{catalogue.item_a.pk}/"
    response = client_of(persona, world).patch(url, {"fees": "不收费"}, format="json")
    assert response.status_code == EDIT[persona], response.content
    assert catalogue.item_a.versions.count() == (2 if EDIT[persona] == 200 else 1)
