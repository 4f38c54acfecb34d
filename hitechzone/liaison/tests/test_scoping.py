"""Who sees which assignments, visits and problems (docs/0001 and 0003), through the API: every persona lists
exactly its rows, and another's row answers 404, never 403 with data."""

import pytest
from django.utils import timezone

from hitechzone.enterprises.models import Assignment
from hitechzone.liaison import services
from hitechzone.liaison.models import Category, Problem, Rating, Visit

PERSONAS = ["admin", "leader", "dept_a", "dept_b", "officer_a", "officer_b", "expert_a", "expert_b", "ent_a", "ent_b"]
AB, A, B, NONE = frozenset("ab"), frozenset("a"), frozenset("b"), frozenset()

# The rows of the tables in docs/0001 and docs/0003 for the world of the ``world`` fixture: A's problem was handed to
# department A; B's problem is still with officer B.
SEES = {
    "assignments": {
        "admin": AB, "leader": AB, "dept_a": NONE, "dept_b": NONE, "officer_a": A, "officer_b": B,
        "expert_a": NONE, "expert_b": NONE, "ent_a": A, "ent_b": B,
    },
    "visits": {
        "admin": AB, "leader": AB, "dept_a": NONE, "dept_b": NONE, "officer_a": A, "officer_b": B,
        "expert_a": NONE, "expert_b": NONE, "ent_a": A, "ent_b": B,
    },
    "problems": {
        "admin": AB, "leader": AB, "dept_a": A, "dept_b": NONE, "officer_a": A, "officer_b": B,
        "expert_a": NONE, "expert_b": NONE, "ent_a": A, "ent_b": B,
    },
}  # fmt: skip


@pytest.fixture
def world(zone):
    """Enterprise A: a visit, and a problem raised by the enterprise, accepted and handed over to department A.
    Enterprise B: a visit which found a problem, still with officer B."""
    u, today = zone.users, timezone.localdate()
    zone.visit_a = services.visit_record(officer=u.officer_a, enterprise=zone.ent_a, visited_on=today)
    zone.visit_b = services.visit_record(
        officer=u.officer_b,
        enterprise=zone.ent_b,
        visited_on=today,
        problems=[{"category": Category.FINANCE, "title": "融资难"}],
    )
    problem = services.problem_raise(by=u.ent_a, enterprise=zone.ent_a, category=Category.LABOUR, title="招工难")
    problem = services.problem_accept(problem=problem, by=u.officer_a)
    zone.problem_a = services.problem_hand_over(problem=problem, by=u.officer_a, department=zone.dept_a)
    zone.problem_b = zone.visit_b.problems.get()
    zone.assignment_a = Assignment.objects.get(enterprise=zone.ent_a)
    zone.assignment_b = Assignment.objects.get(enterprise=zone.ent_b)
    return zone


def listed(client, endpoint) -> set[int]:
    response = client.get(f"/api/v1/{endpoint}/", {"page_size": 500})
    assert response.status_code == 200, (endpoint, response.status_code)
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_and_opens_exactly_its_assignments_visits_and_problems(world, api_as, persona):
    client = api_as(getattr(world.users, persona))
    singular = {"assignments": "assignment", "visits": "visit", "problems": "problem"}
    wrong = []
    for endpoint, table in SEES.items():
        objects = {key: getattr(world, f"{singular[endpoint]}_{key}") for key in "ab"}
        expected = {objects[key].pk for key in table[persona]}
        got = listed(client, endpoint)
        if got != expected:
            wrong.append(f"{endpoint}: listed {sorted(got)}, expected {sorted(expected)}")
        for key, obj in objects.items():
            status = client.get(f"/api/v1/{endpoint}/{obj.pk}/").status_code
            want = 200 if key in table[persona] else 404
            if status != want:
                wrong.append(f"{endpoint} {key.upper()}: detail answered {status}, expected {want}")
    assert not wrong, f"{persona}:\n  " + "\n  ".join(wrong)


# --- Officers -----------------------------------------------------------------------------------------------------


def test_officer_a_cannot_act_on_officer_bs_problem(world, api_as):
    client = api_as(world.users.officer_a)
    url = f"/api/v1/problems/{world.problem_b.pk}"
    assert client.post(f"{url}/hand_over/", {"department": world.dept_a.code}, format="json").status_code == 404
    assert client.post(f"{url}/solve/", {"solution": "我来"}, format="json").status_code == 404
    assert Problem.objects.get(pk=world.problem_b.pk).status == Problem.Status.ACCEPTED


def test_an_officer_takes_over_the_open_problems_of_an_enterprise_raised_before_they_took_it_over(world, api_as):
    services.assignment_start(officer=world.users.officer_b, enterprise=world.ent_a, started_on=timezone.localdate())
    client = api_as(world.users.officer_b)
    assert listed(client, "problems") == {world.problem_a.pk, world.problem_b.pk}
    # The visits and assignments stay with the officer who made them.
    assert listed(client, "visits") == {world.visit_b.pk}
    # The open problem moved to officer B with the enterprise; officer A no longer sees it nor the new ones.
    assert Problem.objects.get(pk=world.problem_a.pk).officer == world.users.officer_b
    later = services.problem_raise(by=world.users.ent_a, enterprise=world.ent_a, category=Category.LAND, title="用地")
    assert later.pk not in listed(api_as(world.users.officer_a), "problems")
    assert world.problem_a.pk not in listed(api_as(world.users.officer_a), "problems")


def test_the_assignment_filter_cannot_reach_another_officers_rows(world, api_as):
    client = api_as(world.users.officer_a)
    response = client.get("/api/v1/assignments/", {"officer": "officer_b"})
    assert response.json()["count"] == 0
    response = client.get("/api/v1/visits/", {"enterprise": world.ent_b.pk})
    assert response.json()["count"] == 0


# --- Departments ----------------------------------------------------------------------------------------------


def test_a_department_sees_a_problem_only_once_it_is_handed_over_to_it(world, api_as):
    problem = services.problem_raise(
        by=world.users.ent_a, enterprise=world.ent_a, category=Category.APPROVAL, title="环评审批"
    )
    client = api_as(world.users.dept_b)
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
    problem = services.problem_accept(problem=problem, by=world.users.officer_a)
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
    services.problem_hand_over(problem=problem, by=world.users.officer_a, department=world.dept_b)
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 200
    assert listed(client, "problems") == {problem.pk}
    assert world.problem_a.pk not in listed(client, "problems")


def test_another_department_cannot_reply_for_the_one_it_was_handed_to(world, api_as):
    response = api_as(world.users.dept_b).post(
        f"/api/v1/problems/{world.problem_a.pk}/reply/", {"solution": "我们来答"}, format="json"
    )
    assert response.status_code == 404
    assert Problem.objects.get(pk=world.problem_a.pk).status == Problem.Status.HANDED_OVER


def test_a_department_sees_no_visit_and_no_assignment(world, api_as):
    client = api_as(world.users.dept_a)
    assert listed(client, "visits") == set()
    assert listed(client, "assignments") == set()


# --- Enterprises ----------------------------------------------------------------------------------------------


def test_an_enterprise_follows_the_state_of_its_own_problems_only(world, api_as):
    client = api_as(world.users.ent_a)
    detail = client.get(f"/api/v1/problems/{world.problem_a.pk}/").json()
    assert (detail["status"], detail["department"]) == ("handed_over", world.dept_a.code)
    assert [s["action"] for s in detail["steps"]] == ["raise", "accept", "hand_over"]
    assert client.get(f"/api/v1/problems/{world.problem_b.pk}/").status_code == 404
    assert client.get("/api/v1/problems/", {"enterprise": world.ent_b.pk}).json()["count"] == 0


def test_enterprise_b_rating_enterprise_as_problem_gets_404(world, api_as):
    problem = services.problem_reply(problem=world.problem_a, by=world.users.dept_a, solution="已办")
    response = api_as(world.users.ent_b).post(
        f"/api/v1/problems/{problem.pk}/rate/", {"rating": Rating.VERY_DISSATISFIED}, format="json"
    )
    assert response.status_code == 404
    assert Problem.objects.get(pk=problem.pk).rating is None


# --- Experts and the rest -------------------------------------------------------------------------------------


def test_an_expert_sees_nothing_of_the_liaison_module(world, api_as):
    client = api_as(world.users.expert_a)
    for endpoint in ("assignments", "visits", "problems"):
        assert listed(client, endpoint) == set(), endpoint
    coverage = client.get("/api/v1/liaison/coverage/").json()
    assert (coverage["assignments"], coverage["missing"]) == (0, [])
    stats = client.get("/api/v1/liaison/stats/").json()
    assert (stats["visits"], stats["problems_raised"], stats["problems_open"]) == (0, 0, 0)


@pytest.mark.parametrize("model", [Assignment, Visit, Problem], ids=lambda m: m.__name__)
def test_an_inactive_user_sees_nothing(world, model):
    officer = world.users.officer_a
    assert model.objects.for_user(officer).exists()
    officer.is_active = False
    officer.save()
    assert not model.objects.for_user(officer).exists()


def test_anonymous_callers_are_refused_everywhere(world, api_client):
    for endpoint in ("assignments", "visits", "problems", "notifications"):
        assert api_client.get(f"/api/v1/{endpoint}/").status_code in (401, 403), endpoint
    url = f"/api/v1/problems/{world.problem_a.pk}/accept/"
    assert api_client.post(url).status_code in (401, 403)
