"""The monthly rule (docs/0003): each officer visits each of their enterprises at least once a calendar month.

An assignment counts for a month when it runs at the month's end (today, in the current month), from its start;
``/api/v1/liaison/coverage/?month=YYYY-MM`` answers ``{"month", "assignments", "visited", "missing", …}``.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hitechzone.enterprises.models import Assignment
from hitechzone.enterprises.tests import factories as f
from hitechzone.liaison import queries, services
from hitechzone.liaison.models import Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
COVERAGE = "/api/v1/liaison/coverage/"


def frozen(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


def visit(officer, enterprise, day: date) -> Visit:
    return services.visit_record(officer=officer, enterprise=enterprise, visited_on=day)


@pytest.fixture
def march(zone):
    """March 2026, seen from 10 April. Officer A serves A all month, and C from 15 March (officer B had C before);
    officer B serves B, and served D until 10 March (nobody since)."""
    u = zone.users
    Assignment.objects.update(started_on=date(2024, 1, 1))
    zone.ent_c = f.EnterpriseFactory(name="丙方化工")
    zone.ent_d = f.EnterpriseFactory(name="丁方材料")
    Assignment.objects.create(officer=u.officer_b, enterprise=zone.ent_c, started_on=date(2024, 1, 1))
    zone.d_assignment = Assignment.objects.create(
        officer=u.officer_b, enterprise=zone.ent_d, started_on=date(2024, 1, 1)
    )
    with frozen(date(2026, 4, 10)):
        services.assignment_start(officer=u.officer_a, enterprise=zone.ent_c, started_on=date(2026, 3, 15))
        services.assignment_end(assignment=zone.d_assignment, ended_on=date(2026, 3, 10))
        visit(u.officer_a, zone.ent_a, date(2026, 3, 3))
        visit(u.officer_b, zone.ent_b, date(2026, 3, 31))
        visit(u.officer_b, zone.ent_c, date(2026, 3, 5))  # B's last visit to C, before the hand-over: not A's
        visit(u.officer_b, zone.ent_d, date(2026, 3, 2))
    return zone


def march_coverage(user):
    with frozen(date(2026, 4, 10)):
        return queries.coverage(2026, 3, user)


def pairs(cov) -> set[tuple[str, str]]:
    return {(m["officer"], m["enterprise"]) for m in cov["missing"]}


def test_an_assignment_starting_mid_month_counts_from_its_start(march):
    cov = march_coverage(march.users.leader)
    assert (cov["month"], cov["assignments"], cov["visited"]) == ("2026-03", 3, 2)
    assert pairs(cov) == {("officer_a", "丙方化工")}  # B's visit on 5 March was before A's start


def test_a_visit_before_the_assignment_started_does_not_count_and_one_after_does(march):
    # A visit by officer A to C dated before A's start (as an import could bring in) does not count.
    Visit.objects.create(officer=march.users.officer_a, enterprise=march.ent_c, visited_on=date(2026, 3, 14))
    assert pairs(march_coverage(march.users.leader)) == {("officer_a", "丙方化工")}
    with frozen(date(2026, 4, 10)):
        visit(march.users.officer_a, march.ent_c, date(2026, 3, 15))
    cov = march_coverage(march.users.leader)
    assert (cov["assignments"], cov["visited"], cov["missing"]) == (3, 3, [])


def test_an_assignment_ended_mid_month_is_left_out(march):
    cov = march_coverage(march.users.leader)
    officers = {o["officer"]: o for o in cov["officers"]}
    # Officer B's C (handed over on 15 March) and D (ended on 10 March) do not count in March, visited or not.
    assert (officers["officer_b"]["assignments"], officers["officer_b"]["visited"]) == (1, 1)
    assert "丁方材料" not in {m["enterprise"] for m in cov["missing"]}


def test_the_month_before_still_counts_the_old_assignments(march):
    with frozen(date(2026, 4, 10)):
        cov = queries.coverage(2026, 2, march.users.leader)
    assert cov["assignments"] == 4  # A, B, C (still officer B's) and D
    assert pairs(cov) == {
        ("officer_a", march.ent_a.name),
        ("officer_b", march.ent_b.name),
        ("officer_b", "丙方化工"),
        ("officer_b", "丁方材料"),
    }


def test_the_share_is_given_per_officer_and_for_the_zone(march):
    cov = march_coverage(march.users.leader)
    assert cov["share"] == round(2 / 3, 4)
    officers = {o["officer"]: (o["assignments"], o["visited"], o["share"]) for o in cov["officers"]}
    assert officers == {"officer_a": (2, 1, 0.5), "officer_b": (1, 1, 1.0)}
    assert [o["officer"] for o in cov["officers"]] == ["officer_a", "officer_b"]  # the least covered first


def test_in_the_current_month_an_assignment_counts_if_it_runs_today(march):
    u = march.users
    with frozen(date(2026, 4, 10)):
        later = f.EnterpriseFactory(name="戊方新材")
        services.assignment_start(officer=u.officer_a, enterprise=later, started_on=date(2026, 4, 20))
        visit(u.officer_a, march.ent_a, date(2026, 4, 1))
        cov = queries.coverage(2026, 4, u.leader)
    # A, B and C count (running today); the one starting on 20 April and D (ended) do not yet.
    assert (cov["assignments"], cov["visited"]) == (3, 1)
    assert pairs(cov) == {("officer_a", "丙方化工"), ("officer_b", march.ent_b.name)}


def test_an_officer_sees_only_their_own_coverage_and_other_roles_none(march):
    mine = march_coverage(march.users.officer_a)
    assert (mine["assignments"], mine["visited"]) == (2, 1)
    assert [o["officer"] for o in mine["officers"]] == ["officer_a"]
    for persona in ("dept_a", "expert_a", "ent_a"):
        cov = march_coverage(getattr(march.users, persona))
        assert (cov["assignments"], cov["visited"], cov["missing"], cov["officers"]) == (0, 0, [], []), persona


def test_coverage_is_computed_in_one_query_however_many_assignments(march):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            march_coverage(march.users.leader)
        return len(ctx.captured_queries)

    before = count()
    for _ in range(20):
        Assignment.objects.create(
            officer=march.users.officer_b, enterprise=f.EnterpriseFactory(), started_on=date(2025, 1, 1)
        )
    assert count() == before == 1
    assert march_coverage(march.users.leader)["assignments"] == 23


# --- The API ----------------------------------------------------------------------------------------------------


def test_the_coverage_api_answers_month_assignments_visited_and_the_missing_pairs(march, api_as):
    with frozen(date(2026, 4, 10)):
        response = api_as(march.users.leader).get(COVERAGE, {"month": "2026-03"})
    assert response.status_code == 200
    body = response.json()
    assert {"month", "assignments", "visited", "missing", "share", "officers"} <= set(body)
    assert (body["month"], body["assignments"], body["visited"]) == ("2026-03", 3, 2)
    assert body["missing"] == [
        {"officer": "officer_a", "officer_name": "officer_a", "enterprise": "丙方化工", "enterprise_id": march.ent_c.pk}
    ]
    assert body["officers"][0] == {
        "officer": "officer_a",
        "officer_name": "officer_a",
        "assignments": 2,
        "visited": 1,
        "share": 0.5,
    }


def test_the_coverage_api_scopes_like_the_page(march, api_as):
    with frozen(date(2026, 4, 10)):
        officer = api_as(march.users.officer_b).get(COVERAGE, {"month": "2026-03"}).json()
        ent = api_as(march.users.ent_a).get(COVERAGE, {"month": "2026-03"}).json()
    assert (officer["assignments"], officer["missing"]) == (1, [])
    assert (ent["assignments"], ent["missing"]) == (0, [])


def test_the_coverage_api_defaults_to_this_month(zone, api_as):
    body = api_as(zone.users.admin).get(COVERAGE).json()
    assert body["month"] == f"{timezone.localdate():%Y-%m}"
    assert body["assignments"] == 2


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-3", "202603", "March", "0000-01", "9999-12", ""])
def test_a_bad_month_answers_400(zone, api_as, month):
    response = api_as(zone.users.admin).get(COVERAGE, {"month": month})
    if month == "":
        assert response.status_code == 200  # left empty: this month
    else:
        assert response.status_code == 400
        assert "month" in response.json()
