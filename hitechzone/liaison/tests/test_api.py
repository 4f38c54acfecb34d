"""The M1 API with token auth: assignments, visits, the problem loop as actions, the 400 messages, stats, the inbox,
and query budgets (a list costs as many queries with 30 rows as with 3)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hitechzone.common.calendar import add_working_days
from hitechzone.common.models import Notification
from hitechzone.enterprises.models import Assignment
from hitechzone.enterprises.tests import factories as f
from hitechzone.liaison import services
from hitechzone.liaison.models import DEFAULT_DUE_WORKING_DAYS, Category, Problem, Rating, Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = Problem.Status
ASSIGNMENTS, VISITS, PROBLEMS = "/api/v1/assignments/", "/api/v1/visits/", "/api/v1/problems/"


@pytest.fixture
def api(api_as):
    """``api(user)``: a token-authenticated client that asks for English messages."""

    def login(user):
        client = api_as(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


def frozen(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in rows(response)}


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def refusal(response, status: int = 400) -> str:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()["detail"]


def raised(zone, **kwargs) -> Problem:
    fields = {"category": Category.LABOUR, "title": "招工难"}
    return services.problem_raise(by=zone.users.ent_a, enterprise=zone.ent_a, **{**fields, **kwargs})


def handed_over(zone, **kwargs) -> Problem:
    problem = services.problem_accept(problem=raised(zone, **kwargs), by=zone.users.officer_a)
    return services.problem_hand_over(problem=problem, by=zone.users.officer_a, department=zone.dept_a)


# --- Assignments ------------------------------------------------------------------------------------------------


def test_an_assignment_shows_the_officer_the_enterprise_its_dates_and_the_three_duties(zone, api):
    zone.users.officer_a.full_name = "张晓明"
    zone.users.officer_a.save()
    assignment = Assignment.objects.get(enterprise=zone.ent_a)
    row = api(zone.users.admin).get(f"{ASSIGNMENTS}{assignment.pk}/").json()
    assert row == {
        "id": assignment.pk,
        "officer": "officer_a",
        "officer_name": "张晓明",
        "enterprise": zone.ent_a.pk,
        "enterprise_name": zone.ent_a.name,
        "started_on": assignment.started_on.isoformat(),
        "ended_on": None,
        "active": True,
        "duties": ["investment_helper", "approval_agent", "liaison"],
        "duty_labels": [
            "Investment helper (招商引资全程帮办员)",
            "Approval agent (投资项目审批代办员)",
            "Liaison (企业常态服务联络员)",
        ],
    }


def test_assignments_filter_by_active_officer_and_enterprise(zone, api):
    old = Assignment.objects.get(enterprise=zone.ent_a)
    today = timezone.localdate()
    new = services.assignment_start(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=today)
    b = Assignment.objects.get(enterprise=zone.ent_b)
    client = api(zone.users.admin)
    assert ids(client.get(ASSIGNMENTS)) == {old.pk, new.pk, b.pk}
    assert ids(client.get(ASSIGNMENTS, {"active": "true"})) == {new.pk, b.pk}
    assert ids(client.get(ASSIGNMENTS, {"active": "false"})) == {old.pk}
    assert ids(client.get(ASSIGNMENTS, {"officer": "officer_b"})) == {new.pk, b.pk}
    assert ids(client.get(ASSIGNMENTS, {"officer": str(zone.users.officer_a.pk)})) == {old.pk}
    assert ids(client.get(ASSIGNMENTS, {"enterprise": zone.ent_a.pk})) == {old.pk, new.pk}
    assert ids(client.get(ASSIGNMENTS, {"enterprise": zone.ent_a.pk, "active": "true"})) == {new.pk}
    assert ids(client.get(ASSIGNMENTS, {"enterprise": "not-an-id"})) == set()
    history = {r["id"]: r for r in rows(client.get(ASSIGNMENTS, {"enterprise": zone.ent_a.pk}))}
    assert (history[old.pk]["ended_on"], history[old.pk]["active"]) == (today.isoformat(), False)


def test_an_administrator_reassigns_an_enterprise_and_the_old_assignment_ends_that_day(zone, api):
    today = timezone.localdate()
    response = post(
        api(zone.users.admin),
        ASSIGNMENTS,
        {"officer": "officer_b", "enterprise": zone.ent_a.pk, "started_on": today.isoformat()},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["officer"], response.json()["active"]) == ("officer_b", True)
    old = Assignment.objects.get(enterprise=zone.ent_a, officer=zone.users.officer_a)
    assert old.ended_on == today
    assert services.officer_of(zone.ent_a) == zone.users.officer_b


def test_an_officer_may_be_given_by_id_too(zone, api):
    enterprise = f.EnterpriseFactory()
    response = post(
        api(zone.users.admin),
        ASSIGNMENTS,
        {"officer": zone.users.officer_a.pk, "enterprise": enterprise.pk, "started_on": "2026-01-05"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["officer"] == "officer_a"


def test_a_refused_assignment_answers_400_with_the_reason(zone, api):
    client = api(zone.users.admin)
    same = post(client, ASSIGNMENTS, {"officer": "officer_a", "enterprise": zone.ent_a.pk, "started_on": "2026-11-01"})
    assert refusal(same) == "officer_a already serves this enterprise."
    not_officer = post(
        client, ASSIGNMENTS, {"officer": "dept_a", "enterprise": zone.ent_a.pk, "started_on": "2026-11-01"}
    )
    assert refusal(not_officer) == "Only a service officer can be assigned to an enterprise."
    nobody = post(client, ASSIGNMENTS, {"officer": "ghost", "enterprise": zone.ent_a.pk, "started_on": "2026-11-01"})
    assert nobody.status_code == 400
    assert "officer" in nobody.json()
    assert Assignment.objects.count() == 2


@pytest.mark.parametrize("persona", ["leader", "officer_a", "dept_a", "ent_a", "expert_a"])
def test_only_an_administrator_creates_or_ends_assignments(zone, api, persona):
    client = api(getattr(zone.users, persona))
    assignment = Assignment.objects.get(enterprise=zone.ent_a)
    body = {"officer": "officer_b", "enterprise": zone.ent_a.pk, "started_on": "2026-11-01"}
    assert post(client, ASSIGNMENTS, body).status_code == 403
    assert post(client, f"{ASSIGNMENTS}{assignment.pk}/end/", {"ended_on": "2026-11-01"}).status_code == 403
    assert Assignment.objects.count() == 2
    assert Assignment.objects.get(pk=assignment.pk).ended_on is None


def test_an_administrator_ends_an_assignment_once(zone, api):
    client = api(zone.users.admin)
    assignment = Assignment.objects.get(enterprise=zone.ent_a)
    today = timezone.localdate().isoformat()
    response = post(client, f"{ASSIGNMENTS}{assignment.pk}/end/", {"ended_on": today})
    assert response.status_code == 200, response.content
    assert (response.json()["ended_on"], response.json()["active"]) == (today, False)
    again = post(client, f"{ASSIGNMENTS}{assignment.pk}/end/", {"ended_on": today})
    assert refusal(again) == "This assignment has ended already."
    assert post(client, f"{ASSIGNMENTS}{assignment.pk}/end/", {}).status_code == 400


def test_assignments_are_history_not_edited_or_deleted(zone, api):
    client = api(zone.users.admin)
    assignment = Assignment.objects.get(enterprise=zone.ent_a)
    url = f"{ASSIGNMENTS}{assignment.pk}/"
    assert client.patch(url, {"started_on": "2020-01-01"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Assignment.objects.get(pk=assignment.pk).started_on == assignment.started_on


# --- Visits -----------------------------------------------------------------------------------------------------


def test_an_officer_records_a_visit_with_the_problems_found(zone, api):
    today = timezone.localdate().isoformat()
    response = post(
        api(zone.users.officer_a),
        VISITS,
        {
            "enterprise": zone.ent_a.pk,
            "visited_on": today,
            "form": "phone",
            "people_met": "王总",
            "notes": "扩产",
            "problems": [{"category": "land", "title": "缺少用地指标", "description": "二期 30 亩"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["officer"], body["enterprise"], body["visited_on"], body["form"]) == (
        "officer_a",
        zone.ent_a.pk,
        today,
        "phone",
    )
    problem = Problem.objects.get()
    assert body["problems_found"] == [
        {"id": problem.pk, "category": "land", "title": "缺少用地指标", "status": "accepted"}
    ]
    assert (problem.visit_id, problem.description, problem.status) == (body["id"], "二期 30 亩", S.ACCEPTED)


def test_a_visit_to_an_enterprise_the_officer_does_not_serve_answers_400(zone, api):
    response = post(
        api(zone.users.officer_a),
        VISITS,
        {"enterprise": zone.ent_b.pk, "visited_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert response.json() == {"enterprise": [f"You serve no enterprise with the id “{zone.ent_b.pk}”."]}
    assert not Visit.objects.exists()


def test_a_visit_refused_by_the_rules_answers_400_with_the_reason(zone, api):
    client = api(zone.users.officer_a)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = post(client, VISITS, {"enterprise": zone.ent_a.pk, "visited_on": tomorrow})
    assert refusal(future) == "A visit cannot be recorded in the future."
    before = Assignment.objects.get(enterprise=zone.ent_a).started_on - timedelta(days=1)
    early = post(client, VISITS, {"enterprise": zone.ent_a.pk, "visited_on": before.isoformat()})
    assert refusal(early) == f"{zone.ent_a.name} was not assigned to you on {before.isoformat()}."
    bad_problem = post(
        client,
        VISITS,
        {
            "enterprise": zone.ent_a.pk,
            "visited_on": timezone.localdate().isoformat(),
            "problems": [{"category": "weather", "title": "下雨"}],
        },
    )
    assert bad_problem.status_code == 400
    assert "problems" in bad_problem.json()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_a", "ent_a", "expert_a"])
def test_only_officers_record_visits(zone, api, persona):
    response = post(
        api(getattr(zone.users, persona)),
        VISITS,
        {"enterprise": zone.ent_a.pk, "visited_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_visits_filter_by_month_dates_officer_and_enterprise(zone, api):
    Assignment.objects.update(started_on=date(2024, 1, 1))
    with frozen(date(2026, 4, 30)):
        record = services.visit_record
        march = record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 31))
        april = record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 4, 1))
        b = record(officer=zone.users.officer_b, enterprise=zone.ent_b, visited_on=date(2026, 4, 15))
    client = api(zone.users.leader)
    assert ids(client.get(VISITS)) == {march.pk, april.pk, b.pk}
    assert ids(client.get(VISITS, {"month": "2026-03"})) == {march.pk}
    assert ids(client.get(VISITS, {"month": "2026-04"})) == {april.pk, b.pk}
    assert ids(client.get(VISITS, {"since": "2026-04-01", "until": "2026-04-14"})) == {april.pk}
    assert ids(client.get(VISITS, {"officer": "officer_b"})) == {b.pk}
    assert ids(client.get(VISITS, {"officer": "officer_a,officer_b", "month": "2026-04"})) == {april.pk, b.pk}
    assert ids(client.get(VISITS, {"enterprise": zone.ent_a.pk})) == {march.pk, april.pk}
    assert [r["id"] for r in rows(client.get(VISITS))] == [b.pk, april.pk, march.pk]  # newest first
    for bad in ("2026-13", "2026-4", "April", "0000-01"):
        assert client.get(VISITS, {"month": bad}).status_code == 400, bad
    assert client.get(VISITS, {"since": "yesterday"}).status_code == 400


# --- Problems: the loop through the API ------------------------------------------------------------------------


def test_the_whole_loop_through_the_api(zone, api):
    # One client underneath: ``api(user)`` signs it in as that user, so each step signs in again.
    enterprise = api(zone.users.ent_a)
    response = post(enterprise, PROBLEMS, {"category": "labour", "title": "招工难", "description": "缺 20 人"})
    assert response.status_code == 201, response.content
    problem = response.json()
    assert (problem["enterprise"], problem["status"], problem["officer"]) == (zone.ent_a.pk, "submitted", "officer_a")
    url = f"{PROBLEMS}{problem['id']}"

    officer = api(zone.users.officer_a)
    assert post(officer, f"{url}/accept/").json()["status"] == "accepted"
    handed = post(officer, f"{url}/hand_over/", {"department": zone.dept_a.code, "note": "请人社局对接"}).json()
    today = timezone.localdate()
    assert (handed["status"], handed["department"], handed["department_name"]) == (
        "handed_over",
        zone.dept_a.code,
        zone.dept_a.name,
    )
    assert handed["due_on"] == add_working_days(today, DEFAULT_DUE_WORKING_DAYS[Category.LABOUR]).value.isoformat()
    assert handed["is_overdue"] is False

    department = api(zone.users.dept_a)
    replied = post(department, f"{url}/reply/", {"solution": "专场招聘会"}).json()
    assert (replied["status"], replied["solution"]) == ("replied", "专场招聘会")

    enterprise = api(zone.users.ent_a)
    reopened = post(enterprise, f"{url}/rate/", {"rating": 2, "comment": "人还是不够"}).json()
    assert (reopened["status"], reopened["reopened_count"], reopened["rating_label"]) == (
        "handed_over",
        1,
        str(Rating.DISSATISFIED.label),
    )

    department = api(zone.users.dept_a)
    assert post(department, f"{url}/reply/", {"solution": "第二场招聘会"}).json()["status"] == "replied"
    enterprise = api(zone.users.ent_a)
    closed = post(enterprise, f"{url}/rate/", {"rating": 5, "target_scores": {"attitude": 5, "timeliness": 4}}).json()
    assert (closed["status"], closed["rating"], closed["target_scores"]) == (
        "closed",
        5,
        {"attitude": 5, "timeliness": 4},
    )
    steps = [(s["user"], s["action"], s["to_status"]) for s in closed["steps"]]
    assert steps == [
        ("ent_a", "raise", "submitted"),
        ("officer_a", "accept", "accepted"),
        ("officer_a", "hand_over", "handed_over"),
        ("dept_a", "reply", "replied"),
        ("ent_a", "rate_reopen", "handed_over"),
        ("dept_a", "reply", "replied"),
        ("ent_a", "rate_close", "closed"),
    ]
    assert all(s["at"] for s in closed["steps"])
    assert closed["steps"][2]["note"] == "请人社局对接"
    detail = api(zone.users.ent_a).get(f"{url}/").json()
    assert detail["steps"] == closed["steps"]


def test_the_officer_solves_directly_and_closes_an_unrated_problem(zone, api):
    problem = raised(zone)
    officer = api(zone.users.officer_a)
    solved = post(officer, f"{PROBLEMS}{problem.pk}/solve/", {"solution": "电话解释了政策"}).json()
    assert (solved["status"], solved["solved_directly"]) == ("replied", True)
    closed = post(officer, f"{PROBLEMS}{problem.pk}/close/", {"note": "企业未评价"}).json()
    assert (closed["status"], closed["rating"]) == ("closed", None)


def test_an_officer_raises_a_problem_for_one_of_their_enterprises(zone, api):
    client = api(zone.users.officer_a)
    response = post(client, PROBLEMS, {"enterprise": zone.ent_a.pk, "category": "finance", "title": "贷款"})
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["origin"]) == ("accepted", "officer")
    assert response.json()["steps"][0]["action"] == "raise"
    missing = post(client, PROBLEMS, {"category": "finance", "title": "贷款"})
    assert missing.json() == {"enterprise": ["Choose the enterprise."]}


def test_raising_a_problem_for_someone_else_answers_400_with_the_reason(zone, api):
    ent = post(api(zone.users.ent_a), PROBLEMS, {"enterprise": zone.ent_b.pk, "category": "land", "title": "用地"})
    assert refusal(ent) == "You can raise problems only for your own enterprise."
    officer = post(api(zone.users.officer_a), PROBLEMS, {"enterprise": zone.ent_b.pk, "category": "land", "title": "x"})
    assert refusal(officer) == "This enterprise is not assigned to you."
    assert not Problem.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_a", "expert_a"])
def test_only_enterprises_and_officers_raise_problems(zone, api, persona):
    response = post(
        api(getattr(zone.users, persona)), PROBLEMS, {"enterprise": zone.ent_a.pk, "category": "land", "title": "x"}
    )
    assert response.status_code == 403
    assert not Problem.objects.exists()


def test_transitions_the_rules_refuse_answer_400_with_the_reason(zone, api):
    Assignment.objects.update(started_on=date(2024, 1, 1))

    def as_(persona, action, body=None):
        return post(api(getattr(zone.users, persona)), f"{PROBLEMS}{problem.pk}/{action}/", body)

    with frozen(date(2026, 9, 15)):
        problem = raised(zone)
        assert refusal(as_("ent_a", "rate", {"rating": 4})) == "A problem can be rated only once it has been solved."
        assert refusal(as_("officer_a", "hand_over", {"department": zone.dept_a.code})) == (
            "Only an accepted problem can be handed over (this one is “Submitted”)."
        )
        assert as_("officer_a", "accept").status_code == 200
        assert refusal(as_("officer_a", "accept")) == "Only a submitted problem can be accepted."
        saturday = as_("officer_a", "hand_over", {"department": zone.dept_a.code, "due_on": "2026-09-19"})
        assert refusal(saturday) == (
            "2026-09-19 is not a working day (a weekend or a public holiday): choose a working day."
        )
        national_day = as_("officer_a", "hand_over", {"department": zone.dept_a.pk, "due_on": "2026-10-01"})
        assert refusal(national_day).startswith("2026-10-01 is not a working day")
        past = as_("officer_a", "hand_over", {"department": zone.dept_a.pk, "due_on": "2026-09-14"})
        assert refusal(past) == "The due date must be after today."
        typed = as_("officer_a", "hand_over", {"department": zone.dept_a.pk, "due_on": "2026-10-09"})
        assert typed.json()["due_on"] == "2026-10-09"
        assert refusal(as_("officer_a", "solve", {"solution": "自己办"})) == (
            "Only a problem not handed over can be solved directly."
        )
        assert refusal(as_("dept_a", "reply", {"solution": " "})) == "Say how the problem was handled."
        assert refusal(as_("officer_a", "close")) == "Only a solved problem can be closed."
        assert as_("dept_a", "reply", {"solution": "已办"}).status_code == 200
        scores = as_("ent_a", "rate", {"rating": 4, "target_scores": {"kindness": 5}})
        assert refusal(scores) == "Score each service target from 1 to 5."
        holiday = as_("ent_a", "rate", {"rating": 1, "due_on": "2026-10-01"})
        assert refusal(holiday).startswith("2026-10-01 is not a working day")
        handover_closed = as_("ent_a", "rate", {"rating": 3})
        assert handover_closed.json()["status"] == "closed"
        assert refusal(as_("officer_a", "hand_over", {"department": zone.dept_b.code})) == (
            "Only an accepted problem can be handed over (this one is “Closed”)."
        )
    problem.refresh_from_db()
    assert (problem.status, problem.rating, problem.due_on) == (S.CLOSED, 3, date(2026, 10, 9))


def test_a_bad_body_answers_400_naming_the_field(zone, api):
    problem = services.problem_accept(problem=raised(zone), by=zone.users.officer_a)
    officer = api(zone.users.officer_a)
    url = f"{PROBLEMS}{problem.pk}"
    unknown = post(officer, f"{url}/hand_over/", {"department": "no-such-department"})
    assert unknown.status_code == 400
    assert "department" in unknown.json()
    assert post(officer, f"{url}/hand_over/", {"department": zone.dept_a.code, "due_on": "soon"}).status_code == 400
    assert post(officer, f"{url}/solve/", {}).json() == {"solution": ["This field is required."]}
    problem = services.problem_solve(problem=problem, by=zone.users.officer_a, solution="已办")
    for rating in (0, 6, "great"):
        assert post(api(zone.users.ent_a), f"{url}/rate/", {"rating": rating}).status_code == 400
    too_high = post(api(zone.users.ent_a), f"{url}/rate/", {"rating": 4, "target_scores": {"attitude": 6}})
    assert "target_scores" in too_high.json()


@pytest.mark.parametrize(
    ("action", "persona"),
    [
        ("accept", "ent_a"),
        ("accept", "dept_a"),
        ("accept", "leader"),
        ("accept", "admin"),
        ("hand_over", "ent_a"),
        ("reply", "officer_a"),
        ("reply", "ent_a"),
        ("solve", "dept_a"),
        ("rate", "officer_a"),
        ("rate", "leader"),
        ("close", "ent_a"),
        ("close", "dept_a"),
    ],
)
def test_a_role_that_never_takes_an_action_is_forbidden_it(zone, api, action, persona):
    problem = handed_over(zone)
    response = post(api(getattr(zone.users, persona)), f"{PROBLEMS}{problem.pk}/{action}/", {"solution": "x"})
    assert response.status_code == 403
    assert Problem.objects.get(pk=problem.pk).status == S.HANDED_OVER


def test_no_update_or_delete_of_a_problem_outside_the_loop(zone, api):
    problem = raised(zone)
    client = api(zone.users.ent_a)
    assert client.patch(f"{PROBLEMS}{problem.pk}/", {"status": "closed"}, format="json").status_code == 405
    assert client.delete(f"{PROBLEMS}{problem.pk}/").status_code == 405
    assert Problem.objects.get(pk=problem.pk).status == S.SUBMITTED


def test_problems_filter_by_status_category_department_enterprise_overdue_escalated_and_year(zone, api):
    Assignment.objects.update(started_on=date(2024, 1, 1))
    with frozen(date(2025, 6, 2)):
        old = handed_over(zone, category=Category.LAND, title="去年的用地")
    with frozen(date(2026, 3, 2)):
        submitted = raised(zone, category=Category.POLICY)
        late = handed_over(zone, title="逾期")
        Problem.objects.filter(pk=late.pk).update(due_on=date(2026, 3, 1), escalated_at=timezone.now())
        elsewhere = services.problem_raise(
            by=zone.users.officer_b, enterprise=zone.ent_b, category=Category.FINANCE, title="融资"
        )
        elsewhere = services.problem_hand_over(problem=elsewhere, by=zone.users.officer_b, department=zone.dept_b)
        client = api(zone.users.leader)
        assert ids(client.get(PROBLEMS)) == {old.pk, submitted.pk, late.pk, elsewhere.pk}
        assert ids(client.get(PROBLEMS, {"status": "submitted"})) == {submitted.pk}
        assert ids(client.get(PROBLEMS, {"status": "submitted,handed_over"})) == {
            old.pk,
            submitted.pk,
            late.pk,
            elsewhere.pk,
        }
        assert client.get(PROBLEMS, {"status": "lost"}).status_code == 400
        assert ids(client.get(PROBLEMS, {"category": "land,policy"})) == {old.pk, submitted.pk}
        assert ids(client.get(PROBLEMS, {"department": zone.dept_b.code})) == {elsewhere.pk}
        assert ids(client.get(PROBLEMS, {"department": str(zone.dept_a.pk)})) == {old.pk, late.pk}
        assert ids(client.get(PROBLEMS, {"enterprise": zone.ent_b.pk})) == {elsewhere.pk}
        assert ids(client.get(PROBLEMS, {"officer": "officer_b"})) == {elsewhere.pk}
        # Last year's problem was due long ago: overdue too, but never escalated (the job did not run here).
        assert ids(client.get(PROBLEMS, {"overdue": "true"})) == {old.pk, late.pk}
        assert ids(client.get(PROBLEMS, {"overdue": "false"})) == {submitted.pk, elsewhere.pk}
        assert ids(client.get(PROBLEMS, {"escalated": "true"})) == {late.pk}
        assert ids(client.get(PROBLEMS, {"year": 2025})) == {old.pk}
        assert ids(client.get(PROBLEMS, {"year": 2026})) == {submitted.pk, late.pk, elsewhere.pk}
        assert ids(client.get(PROBLEMS, {"year": 3000})) == set()
        flagged = {r["id"]: r["is_overdue"] for r in rows(client.get(PROBLEMS))}
        assert flagged == {old.pk: True, submitted.pk: False, late.pk: True, elsewhere.pk: False}


def test_a_closed_escalated_problem_leaves_the_leaders_list(zone, api):
    problem = handed_over(zone)
    Problem.objects.filter(pk=problem.pk).update(escalated_at=timezone.now())
    client = api(zone.users.leader)
    assert ids(client.get(PROBLEMS, {"escalated": "true"})) == {problem.pk}
    problem = services.problem_reply(problem=problem, by=zone.users.dept_a, solution="已办")
    services.problem_rate(problem=problem, by=zone.users.ent_a, rating=Rating.SATISFIED)
    assert ids(client.get(PROBLEMS, {"escalated": "true"})) == set()


# --- Stats ------------------------------------------------------------------------------------------------------

STATS = "/api/v1/liaison/stats/"


@pytest.fixture
def year_of_work(zone):
    Assignment.objects.update(started_on=date(2024, 1, 1))
    with frozen(date(2026, 5, 11)):
        services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 5, 8))
        services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 5, 11))
        services.visit_record(officer=zone.users.officer_b, enterprise=zone.ent_b, visited_on=date(2026, 5, 11))
        problem = handed_over(zone)
        problem = services.problem_reply(problem=problem, by=zone.users.dept_a, solution="已办")
        services.problem_rate(problem=problem, by=zone.users.ent_a, rating=Rating.VERY_SATISFIED)
        other = services.problem_raise(
            by=zone.users.officer_b, enterprise=zone.ent_b, category=Category.POLICY, title="政策"
        )
        services.problem_solve(problem=other, by=zone.users.officer_b, solution="已答复")
    return zone


def test_the_stats_answer_the_articles_figures_for_the_year(year_of_work, api):
    body = api(year_of_work.users.leader).get(STATS, {"year": 2026}).json()
    assert {"year", "visits", "enterprises_served", "problems_handed_over", "problems_solved"} <= set(body)
    assert {"by_category", "satisfaction"} <= set(body)
    assert (body["year"], body["visits"], body["enterprises_served"]) == (2026, 3, 2)
    assert (body["problems_handed_over"], body["problems_solved"], body["problems_solved_directly"]) == (1, 2, 1)
    assert body["by_category"]["labour"]["handed_over"] == 1
    assert body["by_category"]["policy"]["solved"] == 1
    assert body["satisfaction"]["rated"] == 1
    assert body["satisfaction"]["satisfied_share"] == 1.0
    assert body["series"]["visits"][4] == 3  # May
    assert api(year_of_work.users.leader).get(STATS, {"year": 2025}).json()["visits"] == 0


def test_an_officer_gets_their_own_figures_and_an_expert_zeros(year_of_work, api):
    mine = api(year_of_work.users.officer_a).get(STATS, {"year": 2026}).json()
    assert (mine["visits"], mine["problems_solved"], set(mine["per_officer"])) == (2, 1, {"officer_a"})
    expert = api(year_of_work.users.expert_a).get(STATS, {"year": 2026})
    assert expert.status_code == 200
    body = expert.json()
    assert (body["visits"], body["problems_handed_over"], body["problems_solved"], body["per_officer"]) == (0, 0, 0, {})
    department = api(year_of_work.users.dept_a).get(STATS, {"year": 2026}).json()
    assert (department["visits"], department["problems_handed_over"]) == (0, 1)


def test_the_stats_year_defaults_to_this_year_and_must_be_a_year(zone, api):
    client = api(zone.users.leader)
    assert client.get(STATS).json()["year"] == timezone.localdate().year
    for bad in ("twenty", "99999", "-1", "2025.5"):
        assert client.get(STATS, {"year": bad}).status_code == 400, bad


def test_anonymous_callers_get_no_figures(zone, api_client):
    assert api_client.get(STATS).status_code in (401, 403)
    assert api_client.get("/api/v1/liaison/coverage/").status_code in (401, 403)
    assert api_client.get(PROBLEMS).status_code in (401, 403)


# --- The inbox --------------------------------------------------------------------------------------------------

NOTIFICATIONS = "/api/v1/notifications/"


def note(user, key, **kwargs) -> Notification:
    return Notification.objects.create(user=user, kind="visit_reminder", key=key, text=f"提醒 {key}", **kwargs)


def test_the_inbox_lists_only_ones_own_lines_and_marks_them_read(zone, api):
    first, second = note(zone.users.officer_a, "a1"), note(zone.users.officer_a, "a2")
    theirs = note(zone.users.officer_b, "b1")
    client = api(zone.users.officer_a)
    assert ids(client.get(NOTIFICATIONS)) == {first.pk, second.pk}
    assert client.get(f"{NOTIFICATIONS}{theirs.pk}/").status_code == 404
    assert post(client, f"{NOTIFICATIONS}{theirs.pk}/read/").status_code == 404
    read = post(client, f"{NOTIFICATIONS}{first.pk}/read/").json()
    assert (read["unread"], read["read_at"] is not None) == (False, True)
    assert ids(client.get(NOTIFICATIONS, {"unread": "true"})) == {second.pk}
    assert ids(client.get(NOTIFICATIONS, {"unread": "false"})) == {first.pk}
    assert post(client, f"{NOTIFICATIONS}read_all/").json() == {"marked": 1}
    assert ids(client.get(NOTIFICATIONS, {"unread": "true"})) == set()
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_reading_a_line_twice_keeps_the_first_time(zone, api):
    line = note(zone.users.leader, "l1")
    client = api(zone.users.leader)
    first = post(client, f"{NOTIFICATIONS}{line.pk}/read/").json()["read_at"]
    assert post(client, f"{NOTIFICATIONS}{line.pk}/read/").json()["read_at"] == first


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_a", "officer_a", "expert_a", "ent_a"])
def test_every_role_has_an_inbox(zone, api, persona):
    user = getattr(zone.users, persona)
    line = note(user, "x")
    client = api(user)
    assert ids(client.get(NOTIFICATIONS)) == {line.pk}
    assert post(client, f"{NOTIFICATIONS}read_all/").json() == {"marked": 1}


def test_the_inbox_refuses_anonymous_callers(zone, api_client):
    assert api_client.get(NOTIFICATIONS).status_code in (401, 403)
    assert api_client.post(f"{NOTIFICATIONS}read_all/").status_code in (401, 403)


# --- Query budgets ----------------------------------------------------------------------------------------------

CEILING = 12


class Growing:
    """Officer A's zone growing one enterprise at a time, each with its assignment, a visit and a problem that went
    through hand-over and reply (so every row has steps and a department)."""

    def __init__(self, zone):
        self.zone = zone
        self.n = 0
        Assignment.objects.update(started_on=date(2024, 1, 1))

    def grow_to(self, total: int) -> None:
        zone = self.zone
        while self.n < total:
            self.n += 1
            enterprise = f.EnterpriseFactory()
            Assignment.objects.create(officer=zone.users.officer_a, enterprise=enterprise, started_on=date(2024, 1, 1))
            visit = services.visit_record(
                officer=zone.users.officer_a,
                enterprise=enterprise,
                visited_on=timezone.localdate(),
                problems=[{"category": Category.LAND, "title": f"问题{self.n}"}],
            )
            problem = visit.problems.get()
            problem = services.problem_hand_over(problem=problem, by=zone.users.officer_a, department=zone.dept_a)
            services.problem_reply(problem=problem, by=zone.users.dept_a, solution="已办")


def queries_for(client, url: str) -> tuple[int, int]:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize(
    "url",
    [
        PROBLEMS,
        f"{PROBLEMS}?status=replied&department=dept-a-code&overdue=false",
        VISITS,
        f"{VISITS}?month=this-month",
        ASSIGNMENTS,
        f"{ASSIGNMENTS}?active=true&officer=officer_a",
    ],
    ids=["problems", "problems-filtered", "visits", "visits-by-month", "assignments", "assignments-filtered"],
)
@pytest.mark.parametrize("persona", ["admin", "officer_a", "dept_a"])
def test_a_list_costs_as_many_queries_with_30_rows_as_with_3(zone, api, url, persona):
    url = url.replace("dept-a-code", zone.dept_a.code).replace("this-month", f"{timezone.localdate():%Y-%m}")
    growing = Growing(zone)
    client = api(getattr(zone.users, persona))
    growing.grow_to(3)
    small, small_count = queries_for(client, url)
    growing.grow_to(30)
    large, large_count = queries_for(client, url)
    assert large == small, f"{url} as {persona}: {small} queries with {small_count} rows, {large} with {large_count}"
    assert large <= CEILING, f"{url} as {persona}: {large} queries"
    if persona != "dept_a" or url.startswith(PROBLEMS):
        assert large_count >= 30, f"{url} as {persona}: the rows are not really there ({large_count})"
