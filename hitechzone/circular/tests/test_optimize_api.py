"""``POST /api/v1/circular/optimize/`` and ``GET /api/v1/circular/optimizations/``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.circular.models import OptimizationRun
from hitechzone.circular.optimize import run_optimization

URL = "/api/v1/circular/optimize/"
LIST = "/api/v1/circular/optimizations/"
YEAR = 2025
SCENARIO = {
    "materials": [{"code": "hcl", "disposal_cost_per_t": 100, "virgin_price_per_t": 500}],
    "supplies": [{"id": "s1", "material": "hcl", "quantity_t": 10}],
    "demands": [{"id": "d1", "material": "hcl", "quantity_t": 6}],
    "arcs": [{"supply": "s1", "demand": "d1", "cost_per_t": 50}],
}


def test_a_scenario_is_solved_and_stored(zone, api_as):
    response = api_as(zone.users.dept_a).post(URL, {"scenario": SCENARIO, "name": "what-if"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    # 6·50 + 4·100 = 700 against 10·100 + 6·500 = 4,000.
    assert body["result"]["total_cost"] == 700.0
    assert body["result"]["flows"] == [{"supply": "s1", "demand": "d1", "quantity_t": 6.0}]
    assert (body["status"], body["name"], body["created_by"], body["scenario"]) == (
        "optimal",
        "what-if",
        "dept_a",
        SCENARIO,
    )
    run = OptimizationRun.objects.get()
    assert (run.created_by, run.solver, run.status) == (zone.users.dept_a, body["solver"], "optimal")
    assert run.solve_seconds is not None


def test_a_year_builds_the_scenario_from_the_zone(zone, circular_data, api_as):
    response = api_as(zone.users.leader).post(URL, {"year": YEAR}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["year"] == YEAR
    assert body["scenario"]["supplies"][0]["id"] == f"s-{circular_data.a_hcl.pk}"
    assert body["result"]["total_cost"] == pytest.approx(700 * 1.2 + 143 * 800)


def test_an_invalid_scenario_answers_400_with_every_problem_and_stores_nothing(zone, api_as):
    bad = {**SCENARIO, "arcs": [{"supply": "s9", "demand": "d1", "cost_per_t": -1}]}
    response = api_as(zone.users.admin).post(URL, {"scenario": bad}, format="json")
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert any("unknown supply “s9”" in p for p in problems)
    assert any("“cost_per_t” is -1" in p for p in problems)
    assert not OptimizationRun.objects.exists()


def test_a_request_without_scenario_or_year_is_refused(zone, api_as):
    assert api_as(zone.users.admin).post(URL, {"name": "x"}, format="json").status_code == 400
    assert not OptimizationRun.objects.exists()


@pytest.mark.parametrize("persona", ["ent_a", "expert_a"])
def test_enterprises_and_experts_do_not_run_the_optimiser(zone, api_as, persona):
    response = api_as(getattr(zone.users, persona)).post(URL, {"scenario": SCENARIO}, format="json")
    assert response.status_code == 403
    assert not OptimizationRun.objects.exists()


def test_an_officer_sees_their_own_runs_and_the_zones_staff_all(zone, api_as):
    mine = run_optimization(by=zone.users.officer_a, scenario=SCENARIO, name="mine")
    theirs = run_optimization(by=zone.users.officer_b, scenario=SCENARIO, name="theirs")
    ids = {r["id"] for r in api_as(zone.users.officer_a).get(LIST).json()["results"]}
    assert ids == {mine.pk}
    assert api_as(zone.users.officer_a).get(f"{LIST}{theirs.pk}/").status_code == 404
    rows = api_as(zone.users.leader).get(LIST).json()["results"]
    assert {r["id"] for r in rows} == {mine.pk, theirs.pk}
    assert "scenario" not in rows[0]
    detail = api_as(zone.users.leader).get(f"{LIST}{mine.pk}/").json()
    assert detail["scenario"] == SCENARIO
    assert api_as(zone.users.ent_a).get(LIST).json()["results"] == []
    assert api_as(zone.users.expert_a).get(LIST).json()["results"] == []


def test_the_list_filters_by_year(zone, api_as):
    run_optimization(by=zone.users.admin, scenario=SCENARIO, year=YEAR)
    run_optimization(by=zone.users.admin, scenario=SCENARIO)
    client = api_as(zone.users.admin)
    assert len(client.get(LIST, {"year": YEAR}).json()["results"]) == 1
    assert client.get(LIST, {"year": "x"}).json()["results"] == []


def test_the_list_costs_the_same_queries_for_more_runs(zone, api_as):
    client = api_as(zone.users.admin)
    run_optimization(by=zone.users.admin, scenario=SCENARIO)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for user in (zone.users.leader, zone.users.dept_a, zone.users.officer_a):
        run_optimization(by=user, scenario=SCENARIO)
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(LIST).json()["results"]) == 4
    assert len(four) == len(one)


def test_run_optimization_refuses_an_enterprise(zone):
    from hitechzone.common.rules import Refused

    with pytest.raises(Refused):
        run_optimization(by=zone.users.ent_a, scenario=SCENARIO)
    assert not OptimizationRun.objects.exists()
