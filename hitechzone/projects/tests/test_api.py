"""The M3 API (issue 14, "API contract"): the admission check (200 shape, 400 naming each bad field, null for
missing inputs), investors and projects, and their scoping per role."""

from decimal import Decimal

import pytest

from hitechzone.projects.models import Investor, Project

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/projects/admission-check/"
RULES = [
    "investment_intensity",
    "plot_ratio",
    "building_coverage",
    "admin_land_share",
    "green_ratio",
    "tax_per_mu",
    "energy_per_value_added",
    "industry_catalogue",
    "hazardous_area",
]
PASSING = {
    "industry_code": "C2614",
    "fixed_asset_investment_wan_yuan": "16000",
    "land_mu": 40,
    "floor_area_m2": 20000,
    "footprint_m2": "12000.5",
    "admin_land_m2": 1000,
    "green_area_m2": 3000,
    "annual_tax_wan_yuan": 1500,
    "annual_value_added_wan_yuan": 20000,
    "annual_energy_tce": 5000,
    "hazardous_chemicals": True,
    "functional_area": "fine-chemicals",
}


@pytest.fixture
def chemical_area(zone):
    from hitechzone.enterprises.tests import factories as f

    return f.FunctionalAreaFactory(code="fine-chemicals", name="精细化工功能区", is_chemical=True)


def test_the_admission_check_answers_every_rule_and_stores_nothing(zone, chemical_area, api_as):
    response = api_as(zone.users.officer_a).post(CHECK, PASSING, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [c["rule"] for c in body["checks"]] == RULES
    assert body["passed"] is True
    assert body["rules"]["is_demo_default"] is True
    intensity = body["checks"][0]
    assert intensity == {**intensity, "passed": True, "value": 400.0, "threshold": 350.0, "unit": "万元/亩"}
    assert set(intensity) == {"rule", "label", "passed", "value", "threshold", "unit", "comparison"}
    assert not Project.objects.exists()


def test_a_failing_check_makes_the_answer_fail(zone, chemical_area, api_as):
    response = api_as(zone.users.leader).post(CHECK, {**PASSING, "green_area_m2": 6000}, format="json")
    body = response.json()
    green = next(c for c in body["checks"] if c["rule"] == "green_ratio")
    assert (green["passed"], green["value"], green["threshold"]) == (False, 22.5, 20.0)
    assert body["passed"] is False


def test_missing_inputs_answer_null(zone, api_as):
    response = api_as(zone.users.admin).post(CHECK, {"land_mu": "10", "annual_tax_wan_yuan": "300"}, format="json")
    assert response.status_code == 200
    checks = {c["rule"]: c["passed"] for c in response.json()["checks"]}
    assert checks["tax_per_mu"] is True
    assert checks["investment_intensity"] is None
    assert checks["energy_per_value_added"] is None
    assert response.json()["passed"] is False


def test_bad_input_is_a_400_naming_every_bad_field(zone, api_as):
    body = {"land_mu": 0, "fixed_asset_investment_wan_yuan": -1, "green_area_m2": "-0.5", "industry_code": "Z9999",
            "annual_tax_wan_yuan": "lots", "functional_area": "nowhere"}  # fmt: skip
    response = api_as(zone.users.officer_a).post(CHECK, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(body)


def test_a_negative_land_is_a_400(zone, api_as):
    response = api_as(zone.users.officer_a).post(CHECK, {"land_mu": "-3"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"land_mu"}


@pytest.mark.parametrize("persona", ["dept_a", "expert_a"])
def test_department_staff_and_experts_may_not_run_the_check(zone, api_as, persona):
    assert api_as(getattr(zone.users, persona)).post(CHECK, PASSING, format="json").status_code == 403


def test_an_enterprise_may_run_the_check(zone, api_as):
    assert api_as(zone.users.ent_b).post(CHECK, {"land_mu": 10}, format="json").status_code == 200


def _investor(zone, **fields):
    return Investor.objects.create(name="甲方投资集团", parent_group="甲方控股", **fields)


def test_an_officer_creates_an_investor_and_a_project_of_his_own(zone, chemical_area, api_as):
    api = api_as(zone.users.officer_a)
    response = api.post(
        "/api/v1/investors/",
        {
            "name": "示例电机集团",
            "parent_group": "示例控股",
            "uscc": "",
            "fortune_global_500_rank": 120,
            "china_top500_rank": 45,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    investor = response.json()["id"]
    response = api.post(
        "/api/v1/projects/", {"name": "年产20万台电机项目", "investor": investor, "chain": "fluorine", **PASSING},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert project.officer == zone.users.officer_a
    assert project.stage == Project.Stage.LEAD
    assert project.land_mu == Decimal(40)
    checks = api.get(f"/api/v1/projects/{project.pk}/admission-checks/").json()
    assert checks["passed"] is True
    assert [c["rule"] for c in checks["checks"]] == RULES


def test_an_officer_edits_only_the_projects_he_brought(zone, api_as):
    project = Project.objects.create(name="甲方项目", investor=_investor(zone), officer=zone.users.officer_a)
    url = f"/api/v1/projects/{project.pk}/"
    assert api_as(zone.users.officer_b).get(url).status_code == 200  # officers see every project
    assert api_as(zone.users.officer_b).patch(url, {"name": "改名"}, format="json").status_code == 404
    response = api_as(zone.users.officer_a).patch(url, {"name": "改名", "land_mu": "12.5"}, format="json")
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.name, project.land_mu) == ("改名", Decimal("12.5"))


def test_an_officer_may_not_name_another_officer(zone, api_as):
    investor = _investor(zone)
    body = {"name": "乙方的项目", "investor": investor.pk, "officer": zone.users.officer_b.pk}
    response = api_as(zone.users.officer_a).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_the_stage_filter(zone, api_as):
    investor = _investor(zone)
    Project.objects.create(name="线索", investor=investor)
    Project.objects.create(name="洽谈", investor=investor, stage=Project.Stage.NEGOTIATION)
    api = api_as(zone.users.leader)
    names = [p["name"] for p in api.get("/api/v1/projects/?stage=negotiation").json()["results"]]
    assert names == ["洽谈"]
    assert api.get("/api/v1/projects/?stage=nonsense").status_code == 400


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("admin", True), ("leader", True), ("officer_a", True), ("officer_b", True), ("ent_a", True),
     ("ent_b", False), ("dept_a", False), ("expert_a", False)],
)  # fmt: skip
def test_who_sees_a_project(zone, api_as, persona, sees):
    project = Project.objects.create(name="甲方项目", investor=_investor(zone, enterprise=zone.ent_a))
    api = api_as(getattr(zone.users, persona))
    listed = [p["id"] for p in api.get("/api/v1/projects/").json()["results"]]
    assert (project.pk in listed) is sees
    assert api.get(f"/api/v1/projects/{project.pk}/").status_code == (200 if sees else 404)
    assert api.get(f"/api/v1/projects/{project.pk}/admission-checks/").status_code == (200 if sees else 404)


def test_a_project_names_only_an_investor_its_author_may_see(zone, api_as):
    hidden = _investor(zone)
    body = {"name": "项目", "investor": hidden.pk}
    response = api_as(zone.users.ent_a).post("/api/v1/projects/", body, format="json")
    assert response.status_code == 403  # enterprises do not write here at all
    # An administrator's project on a stored investor goes through.
    assert api_as(zone.users.admin).post("/api/v1/projects/", body, format="json").status_code == 201


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_list_endpoint_and_page_read_in_a_number_of_queries_that_does_not_grow(zone, api_as):
    from django.test import Client

    investor = _investor(zone, enterprise=zone.ent_a)
    api = api_as(zone.users.leader)
    page = Client()
    page.force_login(zone.users.leader)

    def counts():
        return (
            _queries(lambda: api.get("/api/v1/projects/").status_code),
            _queries(lambda: api.get("/api/v1/investors/").status_code),
            _queries(lambda: page.get("/projects/").status_code),
        )

    Project.objects.create(name="一", investor=investor, officer=zone.users.officer_a)
    few = counts()
    for n in range(8):
        other = Investor.objects.create(name=f"投资方{n}")
        Project.objects.create(name=f"项目{n}", investor=other, officer=zone.users.officer_b)
    assert counts() == few
