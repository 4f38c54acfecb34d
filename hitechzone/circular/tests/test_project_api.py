"""The projects API: scoping, filters, the stats and who writes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hitechzone.circular import projects
from hitechzone.circular.models import CircularProject

P = CircularProject
D = Decimal
URL = "/api/v1/circular/projects/"
STATS = "/api/v1/circular/projects/stats/"


@pytest.fixture
def three(zone):
    admin = zone.users.admin

    def new(**fields):
        data = {
            "owner": P.Owner.ENTERPRISE,
            "category": P.Category.BYPRODUCT,
            "batch_year": 2017,
            "name": "项目",
            **fields,
        }
        return projects.project_create(by=admin, **data)

    gov = new(
        code="G-1",
        owner=P.Owner.GOVERNMENT,
        category=P.Category.CHAIN,
        batch_year=2016,
        total_investment_wan_yuan=D("1000.10"),
        central_funds_approved_wan_yuan=D(500),
    )
    a = new(
        code="A-1",
        enterprise=zone.ent_a,
        total_investment_wan_yuan=D("2000.25"),
        central_funds_approved_wan_yuan=D("800.5"),
        status=P.Status.ACCEPTED,
        grade=P.Grade.GOOD,
    )
    b = new(code="B-1", enterprise=zone.ent_b, total_investment_wan_yuan=D(500))
    return gov, a, b


def _codes(response):
    return [row["code"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("who", "codes"),
    [
        ("admin", ["G-1", "A-1", "B-1"]),
        ("leader", ["G-1", "A-1", "B-1"]),
        ("dept_b", ["G-1", "A-1", "B-1"]),
        ("officer_a", ["A-1"]),
        ("officer_b", ["B-1"]),
        ("ent_a", ["A-1"]),
        ("ent_b", ["B-1"]),
        ("expert_a", []),
    ],
)
def test_the_list_is_scoped(three, zone, api_as, who, codes):
    response = api_as(getattr(zone.users, who)).get(URL)
    assert response.status_code == 200
    assert _codes(response) == codes


def test_another_enterprises_project_is_not_found(three, zone, api_as):
    gov, a, b = three
    client = api_as(zone.users.ent_a)
    assert client.get(f"{URL}{a.pk}/").status_code == 200
    assert client.get(f"{URL}{b.pk}/").status_code == 404
    assert client.get(f"{URL}{gov.pk}/").status_code == 404


def test_the_list_filters(three, zone, api_as):
    client = api_as(zone.users.admin)
    assert _codes(client.get(URL, {"owner": "government"})) == ["G-1"]
    assert _codes(client.get(URL, {"category": "byproduct"})) == ["A-1", "B-1"]
    assert _codes(client.get(URL, {"status": "accepted"})) == ["A-1"]
    assert _codes(client.get(URL, {"grade": "good"})) == ["A-1"]
    assert _codes(client.get(URL, {"year": 2016})) == ["G-1"]
    assert _codes(client.get(URL, {"enterprise": zone.ent_b.pk})) == ["B-1"]


def test_the_stats_answer_the_contract_keys_as_numbers(three, zone, api_as):
    data = api_as(zone.users.leader).get(STATS).json()
    assert {
        key: data[key]
        for key in (
            "projects",
            "government_projects",
            "enterprise_projects",
            "total_investment_wan_yuan",
            "central_funds_wan_yuan",
        )
    } == {
        "projects": 3,
        "government_projects": 1,
        "enterprise_projects": 2,
        "total_investment_wan_yuan": 3500.35,
        "central_funds_wan_yuan": 1300.5,
    }
    assert isinstance(data["total_investment_wan_yuan"], float)
    assert [(row["category"], row["projects"]) for row in data["by_category"]] == [("byproduct", 2), ("chain", 1)]
    assert [(row["grade"], row["projects"]) for row in data["by_grade"]] == [("good", 1)]
    assert [row["batch_year"] for row in data["by_batch_year"]] == [2016, 2017]


def test_the_stats_are_scoped_and_filtered(three, zone, api_as):
    data = api_as(zone.users.ent_a).get(STATS).json()
    assert (data["projects"], data["government_projects"], data["total_investment_wan_yuan"]) == (1, 0, 2000.25)
    data = api_as(zone.users.admin).get(STATS, {"owner": "enterprise"}).json()
    assert (data["projects"], data["total_investment_wan_yuan"]) == (2, 2500.25)
    assert api_as(zone.users.expert_a).get(STATS).json()["projects"] == 0


BODY = {
    "code": "N-1",
    "name": "副产氢回收",
    "owner": "enterprise",
    "category": "byproduct",
    "batch_year": 2018,
    "total_investment_wan_yuan": "300",
}


@pytest.mark.parametrize(
    ("who", "code"),
    [("admin", 201), ("dept_a", 201), ("leader", 403), ("officer_a", 403), ("ent_a", 403), ("expert_a", 403)],
)
def test_administrators_and_department_staff_create(zone, api_as, who, code):
    response = api_as(getattr(zone.users, who)).post(URL, {**BODY, "enterprise": zone.ent_a.pk}, format="json")
    assert response.status_code == code
    if code == 201:
        assert response.json()["enterprise_name"] == zone.ent_a.name
        assert response.json()["total_investment_wan_yuan"] == 300.0
    assert P.objects.exists() == (code == 201)


def test_a_rule_broken_answers_400_with_the_reason(zone, api_as):
    response = api_as(zone.users.admin).post(URL, BODY, format="json")
    assert response.status_code == 400
    assert "names its enterprise" in response.json()["detail"]


@pytest.mark.parametrize(
    ("who", "code"),
    [("admin", 200), ("dept_b", 200), ("leader", 403), ("officer_a", 403), ("ent_a", 403), ("expert_a", 403)],
)
def test_administrators_and_department_staff_change(three, zone, api_as, who, code):
    _gov, a, _b = three
    response = api_as(getattr(zone.users, who)).patch(f"{URL}{a.pk}/", {"status": "completed", "grade": ""})
    assert response.status_code == code
    a.refresh_from_db()
    assert a.status == (P.Status.COMPLETED if code == 200 else P.Status.ACCEPTED)


def test_a_change_breaking_a_rule_answers_400(three, zone, api_as):
    gov, _a, _b = three
    response = api_as(zone.users.admin).patch(f"{URL}{gov.pk}/", {"central_funds_paid_wan_yuan": "600"}, format="json")
    assert response.status_code == 400
    assert "paid cannot exceed" in response.json()["detail"]


def test_nobody_deletes_over_the_api(three, zone, api_as):
    _gov, a, _b = three
    assert api_as(zone.users.admin).delete(f"{URL}{a.pk}/").status_code == 405


def test_the_list_costs_the_same_queries_for_more_rows(three, zone, api_as, django_assert_max_num_queries):
    client = api_as(zone.users.admin)
    client.get(URL)
    with django_assert_max_num_queries(6):
        assert len(client.get(URL).json()["results"]) == 3
    for n in range(10):
        projects.project_create(
            by=zone.users.admin,
            code=f"M-{n}",
            name="项目",
            owner="enterprise",
            enterprise=zone.ent_b,
            category="byproduct",
            batch_year=2019,
            total_investment_wan_yuan=D(1),
        )
    with django_assert_max_num_queries(6):
        assert len(client.get(URL).json()["results"]) == 13
