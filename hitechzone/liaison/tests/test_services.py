"""docs/0003-liaison-rules.md, rule by rule, on the services: eligibility, one active officer, visits, every
transition of a problem and every refusal, due dates in working days, ratings, escalation and the 20th's reminder.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from hitechzone.common import audit
from hitechzone.common.calendar import add_working_days, is_working_day
from hitechzone.common.models import AuditEvent, Notification, ScheduledRun
from hitechzone.common.schedule import run_due
from hitechzone.enterprises.models import Assignment
from hitechzone.enterprises.tests import factories as f
from hitechzone.liaison import queries, services
from hitechzone.liaison.models import DEFAULT_DUE_WORKING_DAYS, Category, Problem, Rating, Visit
from hitechzone.liaison.services import Refused

SHANGHAI = ZoneInfo("Asia/Shanghai")
S = Problem.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def frozen(day: date, hour: int = 10):
    """The clock stopped at ``hour`` o'clock, Beijing time, on ``day``."""
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def zone24(zone):
    """The persona zone with both assignments running since 2024-01-01 (whatever today is), for frozen clocks."""
    Assignment.objects.update(started_on=date(2024, 1, 1))
    return zone


def raised(zone, **kwargs) -> Problem:
    """A problem enterprise A raises on its own form (submitted)."""
    fields = {"category": Category.LABOUR, "title": "招工难：缺少一线操作工", "description": "三班倒缺 20 人"}
    return services.problem_raise(by=zone.users.ent_a, enterprise=zone.ent_a, **{**fields, **kwargs})


def accepted(zone, **kwargs) -> Problem:
    return services.problem_accept(problem=raised(zone, **kwargs), by=zone.users.officer_a)


def handed_over(zone, **kwargs) -> Problem:
    return services.problem_hand_over(problem=accepted(zone, **kwargs), by=zone.users.officer_a, department=zone.dept_a)


def replied(zone, **kwargs) -> Problem:
    return services.problem_reply(
        problem=handed_over(zone, **kwargs), by=zone.users.dept_a, solution="人社局专场招聘会"
    )


def refused(message: str):
    return pytest.raises(Refused, match=message)


# --- Eligibility -----------------------------------------------------------------------------------------------


def enterprise_with_output(*outputs: tuple[int, str], industrial: bool = True):
    enterprise = f.EnterpriseFactory(is_industrial=industrial)
    for year, output in outputs:
        f.IndicatorFactory(enterprise=enterprise, year=year, gross_output_wan_yuan=Decimal(output))
    return enterprise


def test_an_industrial_enterprise_with_500_wan_yuan_of_output_is_eligible_and_one_with_499_is_not(db):
    at_500 = enterprise_with_output((2025, "500.00"))
    at_499 = enterprise_with_output((2025, "499.00"))
    just_below = enterprise_with_output((2025, "499.99"))
    eligible = set(queries.eligible_enterprises())
    assert at_500 in eligible
    assert at_499 not in eligible
    assert just_below not in eligible


def test_a_non_industrial_enterprise_is_not_eligible_whatever_its_output(db):
    services_firm = enterprise_with_output((2025, "90000.00"), industrial=False)
    assert services_firm not in set(queries.eligible_enterprises())


def test_the_latest_year_decides_eligibility(db):
    shrank = enterprise_with_output((2024, "800.00"), (2025, "400.00"))
    grew = enterprise_with_output((2024, "300.00"), (2025, "600.00"))
    eligible = set(queries.eligible_enterprises())
    assert grew in eligible
    assert shrank not in eligible


def test_an_enterprise_without_figures_is_not_eligible(db):
    assert enterprise_with_output() not in set(queries.eligible_enterprises())


def test_the_eligible_enterprises_without_an_officer_are_listed_until_one_is_assigned(zone):
    newcomer = enterprise_with_output((2025, "1200.00"))
    assert list(queries.unassigned_eligible()) == [newcomer]  # A and B have their officers
    services.assignment_start(officer=zone.users.officer_a, enterprise=newcomer, started_on=timezone.localdate())
    assert not queries.unassigned_eligible().exists()


# --- One active officer -----------------------------------------------------------------------------------------


def test_the_database_refuses_a_second_open_assignment_for_an_enterprise(zone):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=date(2026, 1, 1))


def test_reassignment_ends_the_old_assignment_with_a_date_and_keeps_the_history(zone):
    old = Assignment.objects.get(enterprise=zone.ent_a)
    handover = timezone.localdate() - timedelta(days=10)
    new = services.assignment_start(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=handover)
    old.refresh_from_db()
    assert old.ended_on == handover
    assert new.ended_on is None
    assert list(Assignment.objects.filter(enterprise=zone.ent_a).order_by("started_on")) == [old, new]
    # Exactly one officer every day: the old one until the day before, the new one from the hand-over on.
    assert services.officer_of(zone.ent_a, handover - timedelta(days=1)) == zone.users.officer_a
    assert services.officer_of(zone.ent_a, handover) == zone.users.officer_b
    for day in (handover - timedelta(days=1), handover, timezone.localdate()):
        assert Assignment.objects.active(day).filter(enterprise=zone.ent_a).count() == 1


def test_the_old_officer_may_still_record_a_visit_on_the_day_before_the_hand_over(zone):
    handover = timezone.localdate() - timedelta(days=10)
    services.assignment_start(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=handover)
    eve = handover - timedelta(days=1)
    services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=eve)
    with refused("was not assigned to you"):
        services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=handover)
    with refused("was not assigned to you"):
        services.visit_record(officer=zone.users.officer_b, enterprise=zone.ent_a, visited_on=eve)


def test_assigning_the_same_officer_again_is_refused(zone):
    with refused("already serves this enterprise"):
        services.assignment_start(officer=zone.users.officer_a, enterprise=zone.ent_a, started_on=timezone.localdate())


def test_a_reassignment_starting_before_the_current_one_is_refused(zone):
    current = Assignment.objects.get(enterprise=zone.ent_a)
    with refused("must start after the current one"):
        services.assignment_start(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=current.started_on)


def test_only_a_service_officer_can_be_assigned(zone):
    with refused("Only a service officer"):
        services.assignment_start(officer=zone.users.dept_a, enterprise=zone.ent_b, started_on=timezone.localdate())


def test_an_assignment_ending_later_blocks_a_new_one_that_would_overlap_it(zone):
    current = Assignment.objects.get(enterprise=zone.ent_a)
    today = timezone.localdate()
    services.assignment_end(assignment=current, ended_on=today + timedelta(days=30))
    with refused("ends only on"):
        services.assignment_start(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=today)
    services.assignment_start(officer=zone.users.officer_b, enterprise=zone.ent_a, started_on=today + timedelta(30))
    assert Assignment.objects.filter(enterprise=zone.ent_a).count() == 2


def test_an_assignment_ends_once_and_not_before_it_starts(zone):
    current = Assignment.objects.get(enterprise=zone.ent_a)
    with refused("cannot end before it starts"):
        services.assignment_end(assignment=current, ended_on=current.started_on - timedelta(days=1))
    services.assignment_end(assignment=current, ended_on=timezone.localdate())
    with refused("has ended already"):
        services.assignment_end(assignment=current, ended_on=timezone.localdate())
    assert services.officer_of(zone.ent_a) is None


# --- Visits -----------------------------------------------------------------------------------------------------


def test_an_officer_records_a_visit_and_each_problem_found_becomes_an_accepted_problem(zone):
    visit = services.visit_record(
        officer=zone.users.officer_a,
        enterprise=zone.ent_a,
        visited_on=timezone.localdate(),
        form=Visit.Form.PHONE,
        people_met="王总",
        notes="产能扩张",
        problems=[
            {"category": Category.LAND, "title": "扩建缺少用地指标"},
            {"category": Category.TRANSPORT, "title": "夜班公交", "description": "22 点后无公交"},
        ],
    )
    problems = list(visit.problems.order_by("id"))
    assert [p.category for p in problems] == [Category.LAND, Category.TRANSPORT]
    assert {(p.status, p.origin, p.officer, p.raised_by, p.enterprise) for p in problems} == {
        (S.ACCEPTED, Problem.Origin.OFFICER, zone.users.officer_a, zone.users.officer_a, zone.ent_a)
    }
    assert all(p.accepted_at is not None for p in problems)


def test_a_visit_in_the_future_is_refused(zone):
    with refused("cannot be recorded in the future"):
        services.visit_record(
            officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=timezone.localdate() + timedelta(days=1)
        )
    assert not Visit.objects.exists()


def test_a_visit_to_another_officers_enterprise_is_refused(zone):
    with refused(f"{zone.ent_b.name} was not assigned to you"):
        services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_b, visited_on=timezone.localdate())


def test_a_visit_before_the_assignment_started_is_refused(zone):
    started = Assignment.objects.get(enterprise=zone.ent_a).started_on
    with refused("was not assigned to you"):
        services.visit_record(
            officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=started - timedelta(days=1)
        )


def test_only_an_officer_records_visits(zone):
    with refused("Only a service officer records visits"):
        services.visit_record(officer=zone.users.admin, enterprise=zone.ent_a, visited_on=timezone.localdate())


def test_a_refused_problem_found_on_a_visit_leaves_no_visit_behind(zone):
    with refused("Give the problem a title"):
        services.visit_record(
            officer=zone.users.officer_a,
            enterprise=zone.ent_a,
            visited_on=timezone.localdate(),
            problems=[{"category": Category.LAND, "title": "  "}],
        )
    assert not Visit.objects.exists()
    assert not Problem.objects.exists()


# --- Raising a problem ------------------------------------------------------------------------------------------


def test_an_enterprise_raises_a_problem_which_waits_for_its_officer(zone):
    problem = raised(zone)
    assert (problem.status, problem.origin) == (S.SUBMITTED, Problem.Origin.ENTERPRISE)
    assert problem.officer == zone.users.officer_a
    assert problem.raised_by == zone.users.ent_a
    assert problem.accepted_at is None
    assert [(s.action, s.user, s.from_status, s.to_status) for s in problem.steps.all()] == [
        ("raise", zone.users.ent_a, "", S.SUBMITTED)
    ]


def test_an_officer_raises_a_problem_without_a_visit_and_it_is_accepted_at_once(zone):
    problem = services.problem_raise(
        by=zone.users.officer_a, enterprise=zone.ent_a, category=Category.FINANCE, title="流动资金贷款"
    )
    assert (problem.status, problem.origin, problem.visit) == (S.ACCEPTED, Problem.Origin.OFFICER, None)


def test_an_enterprise_raising_a_problem_for_another_enterprise_is_refused(zone):
    with refused("only for your own enterprise"):
        services.problem_raise(by=zone.users.ent_a, enterprise=zone.ent_b, category=Category.LAND, title="用地")


def test_an_officer_raising_a_problem_for_an_enterprise_not_theirs_is_refused(zone):
    with refused("not assigned to you"):
        services.problem_raise(by=zone.users.officer_a, enterprise=zone.ent_b, category=Category.LAND, title="用地")


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_a", "expert_a"])
def test_nobody_but_the_enterprise_and_its_officer_raises_a_problem(zone, persona):
    with refused("Only the enterprise or its officer"):
        services.problem_raise(
            by=getattr(zone.users, persona), enterprise=zone.ent_a, category=Category.LAND, title="用地"
        )


def test_a_problem_needs_a_known_category_and_a_title(zone):
    with refused("Choose a category"):
        raised(zone, category="weather")
    with refused("Give the problem a title"):
        raised(zone, title="   ")


# --- The loop ---------------------------------------------------------------------------------------------------


def test_the_officer_accepts_a_submitted_problem_once(zone):
    problem = accepted(zone)
    assert problem.status == S.ACCEPTED
    assert problem.accepted_at is not None
    with refused("Only a submitted problem can be accepted"):
        services.problem_accept(problem=problem, by=zone.users.officer_a)


def test_another_officer_cannot_accept_the_problem(zone):
    with refused("Only the enterprise's officer accepts"):
        services.problem_accept(problem=raised(zone), by=zone.users.officer_b)


def test_hand_over_gives_one_department_and_a_due_date_in_working_days(zone):
    problem = handed_over(zone, category=Category.POLICY)
    today = timezone.localdate()
    assert problem.status == S.HANDED_OVER
    assert problem.department == zone.dept_a
    assert problem.due_on == add_working_days(today, DEFAULT_DUE_WORKING_DAYS[Category.POLICY]).value
    assert problem.handed_over_at is not None
    assert problem.steps.last().action == "hand_over"
    assert problem.steps.last().note == str(zone.dept_a)


def test_a_typed_due_date_on_a_working_day_is_kept(zone24):
    with frozen(date(2026, 9, 15)):
        problem = services.problem_hand_over(
            problem=accepted(zone24), by=zone24.users.officer_a, department=zone24.dept_b, due_on=date(2026, 9, 30)
        )
    assert problem.due_on == date(2026, 9, 30)


def test_handing_over_a_problem_not_yet_accepted_is_refused(zone):
    with refused("Only an accepted problem can be handed over"):
        services.problem_hand_over(problem=raised(zone), by=zone.users.officer_a, department=zone.dept_a)


def test_handing_over_a_closed_problem_is_refused_naming_its_state(zone):
    problem = services.problem_rate(problem=replied(zone), by=zone.users.ent_a, rating=Rating.SATISFIED)
    with refused("Only an accepted problem can be handed over .this one is “Closed”."):
        services.problem_hand_over(problem=problem, by=zone.users.officer_a, department=zone.dept_b)


def test_another_officer_cannot_hand_the_problem_over(zone):
    with refused("Only the enterprise's officer hands"):
        services.problem_hand_over(problem=accepted(zone), by=zone.users.officer_b, department=zone.dept_a)


def test_a_typed_due_date_on_a_saturday_is_refused_with_a_clear_message(zone24):
    with frozen(date(2026, 9, 15)):
        problem = accepted(zone24)
        saturday = date(2026, 9, 19)
        assert saturday.weekday() == 5
        with refused("2026-09-19 is not a working day .a weekend or a public holiday.: choose a working day"):
            services.problem_hand_over(
                problem=problem, by=zone24.users.officer_a, department=zone24.dept_a, due_on=saturday
            )
    problem.refresh_from_db()
    assert problem.status == S.ACCEPTED
    assert problem.due_on is None


def test_a_typed_due_date_on_national_day_is_refused(zone24):
    with frozen(date(2026, 9, 15)):
        problem = accepted(zone24)
        assert not is_working_day(date(2026, 10, 1))
        with refused("2026-10-01 is not a working day"):
            services.problem_hand_over(
                problem=problem, by=zone24.users.officer_a, department=zone24.dept_a, due_on=date(2026, 10, 1)
            )


def test_a_typed_due_date_today_or_before_is_refused(zone):
    problem = accepted(zone)
    for day in (timezone.localdate(), timezone.localdate() - timedelta(days=7)):
        with refused("The due date must be after today"):
            services.problem_hand_over(problem=problem, by=zone.users.officer_a, department=zone.dept_a, due_on=day)


def test_the_default_due_date_skips_the_spring_festival(zone24):
    # Thursday 2026-02-12, just before the Spring Festival (15–23 February off, Saturdays 14 and 28 worked).
    with frozen(date(2026, 2, 12)):
        problem = handed_over(zone24, category=Category.LABOUR)
    expected = add_working_days(date(2026, 2, 12), DEFAULT_DUE_WORKING_DAYS[Category.LABOUR]).value
    assert problem.due_on == expected
    assert problem.due_on > date(2026, 2, 23)
    assert problem.due_on == date(2026, 3, 4)  # ten weekdays would have given 26 February
    assert not any(is_working_day(date(2026, 2, d)) for d in range(15, 24))


def test_the_department_it_was_handed_to_replies_and_the_problem_counts_as_solved(zone):
    problem = replied(zone)
    assert problem.status == S.REPLIED
    assert problem.solution == "人社局专场招聘会"
    assert problem.solved_at is not None
    assert not problem.solved_directly


def test_a_reply_by_another_department_is_refused(zone):
    with refused("Only the department the problem was handed to can reply"):
        services.problem_reply(problem=handed_over(zone), by=zone.users.dept_b, solution="不归我们管")


def test_a_reply_before_the_hand_over_is_refused(zone):
    with refused("Only the department the problem was handed to"):
        services.problem_reply(problem=accepted(zone), by=zone.users.dept_a, solution="先回复")


def test_a_reply_must_say_how_the_problem_was_handled(zone):
    with refused("Say how the problem was handled"):
        services.problem_reply(problem=handed_over(zone), by=zone.users.dept_a, solution="  ")


def test_a_department_cannot_reply_twice(zone):
    with refused("Only a handed-over problem can be answered"):
        services.problem_reply(problem=replied(zone), by=zone.users.dept_a, solution="再答一次")


def test_the_officer_solves_a_problem_directly_and_records_how(zone):
    problem = services.problem_solve(problem=raised(zone), by=zone.users.officer_a, solution="协调人才市场")
    assert (problem.status, problem.solved_directly, problem.solution) == (S.REPLIED, True, "协调人才市场")
    assert problem.accepted_at is not None
    assert problem.solved_at is not None


def test_a_handed_over_problem_cannot_be_solved_directly(zone):
    with refused("Only a problem not handed over can be solved directly"):
        services.problem_solve(problem=handed_over(zone), by=zone.users.officer_a, solution="自己办了")


@pytest.mark.parametrize("stage", [raised, accepted, handed_over])
def test_rating_a_problem_not_yet_solved_is_refused(zone, stage):
    with refused("can be rated only once it has been solved"):
        services.problem_rate(problem=stage(zone), by=zone.users.ent_a, rating=Rating.SATISFIED)


@pytest.mark.parametrize("persona", ["ent_b", "officer_a", "dept_a", "admin"])
def test_only_the_enterprise_that_raised_the_problem_rates_it(zone, persona):
    with refused("Only the enterprise that raised the problem rates it"):
        services.problem_rate(problem=replied(zone), by=getattr(zone.users, persona), rating=Rating.SATISFIED)


@pytest.mark.parametrize("rating", [Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
def test_basically_satisfied_or_better_closes_the_problem(zone, rating):
    problem = services.problem_rate(
        problem=replied(zone),
        by=zone.users.ent_a,
        rating=rating,
        target_scores={"attitude": 5, "timeliness": "4"},
        comment="及时",
    )
    assert (problem.status, problem.rating, problem.reopened_count) == (S.CLOSED, rating, 0)
    assert problem.target_scores == {"attitude": 5, "timeliness": 4}
    assert problem.closed_at is not None
    assert problem.rated_at is not None
    assert problem.steps.last().action == "rate_close"


def test_a_dissatisfied_rating_sends_a_handed_over_problem_back_to_its_department_with_a_new_due_date(zone24):
    with frozen(date(2026, 5, 6)):
        problem = replied(zone24, category=Category.APPROVAL)
    with frozen(date(2026, 5, 20)):
        problem = services.problem_rate(problem=problem, by=zone24.users.ent_a, rating=Rating.DISSATISFIED)
    assert problem.status == S.HANDED_OVER
    assert problem.department == zone24.dept_a
    assert problem.reopened_count == 1
    assert problem.solved_at is None
    assert problem.due_on == add_working_days(date(2026, 5, 20), DEFAULT_DUE_WORKING_DAYS[Category.APPROVAL]).value
    assert problem.rating == Rating.DISSATISFIED
    assert problem.steps.last().action == "rate_reopen"
    # The department answers again; the second rating closes it; it still counts as reopened once.
    with frozen(date(2026, 5, 25)):
        problem = services.problem_reply(problem=problem, by=zone24.users.dept_a, solution="已整改")
        problem = services.problem_rate(problem=problem, by=zone24.users.ent_a, rating=Rating.VERY_SATISFIED)
    assert (problem.status, problem.reopened_count) == (S.CLOSED, 1)
    assert queries.stats(2026, zone24.users.admin)["problems_reopened"] == 1


def test_a_very_dissatisfied_rating_sends_a_directly_solved_problem_back_to_the_officer(zone):
    problem = services.problem_solve(problem=accepted(zone), by=zone.users.officer_a, solution="电话解释政策")
    problem = services.problem_rate(problem=problem, by=zone.users.ent_a, rating=Rating.VERY_DISSATISFIED)
    assert (problem.status, problem.solved_directly, problem.reopened_count) == (S.ACCEPTED, False, 1)
    assert problem.due_on == services.default_due_on(problem.category)
    assert problem.department is None


def test_a_rectification_due_date_typed_on_a_holiday_is_refused_and_nothing_changes(zone24):
    with frozen(date(2026, 9, 15)):
        problem = replied(zone24)
        with refused("2026-10-01 is not a working day"):
            services.problem_rate(
                problem=problem, by=zone24.users.ent_a, rating=Rating.DISSATISFIED, due_on=date(2026, 10, 1)
            )
        problem.refresh_from_db()
        assert (problem.status, problem.reopened_count, problem.rating) == (S.REPLIED, 0, None)
        problem = services.problem_rate(
            problem=problem, by=zone24.users.ent_a, rating=Rating.DISSATISFIED, due_on=date(2026, 10, 9)
        )
    assert problem.due_on == date(2026, 10, 9)


@pytest.mark.parametrize(
    "scores", [{"attitude": 6}, {"attitude": 0}, {"kindness": 5}], ids=["too-high", "too-low", "unknown-target"]
)
def test_each_service_target_is_scored_from_1_to_5(zone, scores):
    with refused("Score each service target from 1 to 5"):
        services.problem_rate(problem=replied(zone), by=zone.users.ent_a, rating=Rating.SATISFIED, target_scores=scores)


def test_a_rating_outside_the_five_levels_is_refused(zone):
    with refused("Choose one of the five ratings"):
        services.problem_rate(problem=replied(zone), by=zone.users.ent_a, rating=6)


def test_the_officer_closes_a_solved_problem_left_unrated(zone):
    problem = services.problem_close(problem=replied(zone), by=zone.users.officer_a, note="企业未评价")
    assert (problem.status, problem.rating) == (S.CLOSED, None)
    assert problem.closed_at is not None


def test_closing_a_problem_not_yet_solved_is_refused(zone):
    with refused("Only a solved problem can be closed"):
        services.problem_close(problem=handed_over(zone), by=zone.users.officer_a)


def test_every_step_records_who_did_what_and_when(zone24):
    with frozen(date(2026, 4, 1)):
        problem = raised(zone24)
    with frozen(date(2026, 4, 2)):
        problem = services.problem_accept(problem=problem, by=zone24.users.officer_a)
    with frozen(date(2026, 4, 3)):
        problem = services.problem_hand_over(problem=problem, by=zone24.users.officer_a, department=zone24.dept_a)
    with frozen(date(2026, 4, 8)):
        problem = services.problem_reply(problem=problem, by=zone24.users.dept_a, solution="已办")
    with frozen(date(2026, 4, 9)):
        problem = services.problem_rate(problem=problem, by=zone24.users.ent_a, rating=Rating.SATISFIED)
    steps = [(s.at.astimezone(SHANGHAI).date(), s.user.username, s.action, s.to_status) for s in problem.steps.all()]
    assert steps == [
        (date(2026, 4, 1), "ent_a", "raise", S.SUBMITTED),
        (date(2026, 4, 2), "officer_a", "accept", S.ACCEPTED),
        (date(2026, 4, 3), "officer_a", "hand_over", S.HANDED_OVER),
        (date(2026, 4, 8), "dept_a", "reply", S.REPLIED),
        (date(2026, 4, 9), "ent_a", "rate_close", S.CLOSED),
    ]


# --- What counts as solved --------------------------------------------------------------------------------------


def test_problems_solved_by_the_officer_count_as_solved_beside_those_a_department_answered(zone24):
    with frozen(date(2026, 6, 10)):
        replied(zone24)
        services.problem_solve(problem=raised(zone24, title="政策咨询"), by=zone24.users.officer_a, solution="已答复")
        handed_over(zone24, title="还在办")
        figures = queries.stats(2026, zone24.users.admin)
    assert figures["problems_solved"] == 2
    assert figures["problems_solved_directly"] == 1
    assert figures["problems_handed_over"] == 2
    assert figures["by_category"][Category.LABOUR]["solved"] == 2


def test_a_reopened_problem_counts_as_solved_once_solved_again(zone24):
    with frozen(date(2026, 6, 10)):
        problem = replied(zone24)
        problem = services.problem_rate(problem=problem, by=zone24.users.ent_a, rating=Rating.DISSATISFIED)
        assert queries.stats(2026, zone24.users.admin)["problems_solved"] == 0
        services.problem_reply(problem=problem, by=zone24.users.dept_a, solution="整改完成")
        assert queries.stats(2026, zone24.users.admin)["problems_solved"] == 1


# --- Escalation -------------------------------------------------------------------------------------------------


def test_an_overdue_problem_is_escalated_and_every_leader_told_once_however_often_the_job_runs(zone):
    problem = handed_over(zone)
    on_time = handed_over(zone, title="尚未到期")
    day_after = problem.due_on + timedelta(days=1)
    Problem.objects.filter(pk=on_time.pk).update(due_on=day_after + timedelta(days=5))
    assert services.escalate_overdue(today=problem.due_on) == 0  # due today: not late yet
    assert services.escalate_overdue(today=day_after) == 1
    assert services.escalate_overdue(today=day_after) == 0
    assert services.escalate_overdue(today=day_after + timedelta(days=1)) == 0
    problem.refresh_from_db()
    assert problem.escalated_at is not None
    told = Notification.objects.filter(kind="escalation")
    # The leader and the administrator (a superuser) are told, once each; nobody else.
    assert sorted(told.values_list("user__username", flat=True)) == ["admin", "leader"]
    assert all(problem.title in n.text for n in told)
    assert Problem.objects.get(pk=on_time.pk).escalated_at is None


def test_an_escalation_is_in_the_problems_audit_trail(zone):
    problem = handed_over(zone)
    assert services.escalate_overdue(today=problem.due_on + timedelta(days=1)) == 1
    problem.refresh_from_db()
    event = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Problem), object_id=str(problem.pk)
    ).latest("id")
    assert (event.action, event.source, event.user_id) == ("update", "system", None)
    assert event.enterprise_id == zone.ent_a.pk
    assert event.changes == {"escalated_at": [None, audit.snapshot(problem)["escalated_at"]]}


def test_a_reopened_problem_late_again_is_escalated_again(zone):
    problem = replied(zone)
    Problem.objects.filter(pk=problem.pk).update(escalated_at=timezone.now())
    problem = services.problem_rate(problem=problem, by=zone.users.ent_a, rating=Rating.DISSATISFIED)
    assert problem.escalated_at is None
    assert services.escalate_overdue(today=problem.due_on + timedelta(days=1)) == 1
    assert Notification.objects.filter(kind="escalation", user=zone.users.leader).count() == 1


def test_the_daily_escalation_runs_once_a_day_through_the_scheduler(zone24):
    with frozen(date(2026, 3, 2)):
        problem = handed_over(zone24)
    late = problem.due_on + timedelta(days=1)
    with frozen(late):
        assert run_due(timezone.localdate())["liaison.escalate_overdue"] == 1
        assert "liaison.escalate_overdue" not in run_due(timezone.localdate())
    assert Notification.objects.filter(kind="escalation", user=zone24.users.leader).count() == 1


# --- The 20th's reminder ----------------------------------------------------------------------------------------


@pytest.fixture
def march(zone24):
    """Officer A serves A and C, officer B serves B. In March 2026 officer B visits B; A and C wait (C was visited
    in February only)."""
    zone24.ent_c = f.EnterpriseFactory(name="浙江丙方化工有限公司")
    Assignment.objects.create(officer=zone24.users.officer_a, enterprise=zone24.ent_c, started_on=date(2025, 6, 1))
    with frozen(date(2026, 3, 19)):
        services.visit_record(officer=zone24.users.officer_b, enterprise=zone24.ent_b, visited_on=date(2026, 3, 5))
        services.visit_record(officer=zone24.users.officer_a, enterprise=zone24.ent_c, visited_on=date(2026, 2, 26))
    return zone24


def reminders():
    return Notification.objects.filter(kind="visit_reminder")


def test_on_the_20th_each_officer_is_reminded_of_each_enterprise_not_yet_visited_that_month(march):
    with frozen(date(2026, 3, 20), hour=6):
        ran = run_due(timezone.localdate())
    assert ran["liaison.visit_reminders"] == 2
    assert {(n.user.username, n.text) for n in reminders()} == {
        ("officer_a", f"Not visited yet in 2026-03: {march.ent_a.name}"),
        ("officer_a", f"Not visited yet in 2026-03: {march.ent_c.name}"),
    }
    assert not reminders().filter(user=march.users.officer_b).exists()
    assert {n.url for n in reminders()} == {
        f"/liaison/visits/new/?enterprise={march.ent_a.pk}",
        f"/liaison/visits/new/?enterprise={march.ent_c.pk}",
    }


def test_the_reminder_runs_once_a_day_however_often_the_worker_polls(march):
    with frozen(date(2026, 3, 20), hour=6):
        run_due(timezone.localdate())
    with frozen(date(2026, 3, 20), hour=18):
        assert "liaison.visit_reminders" not in run_due(timezone.localdate())
        # Even a direct second run adds nothing: one line per enterprise and month.
        assert services.send_visit_reminders(today=timezone.localdate()) == 0
    assert reminders().count() == 2
    assert ScheduledRun.objects.filter(name="liaison.visit_reminders").count() == 1


@pytest.mark.parametrize("day", [19, 21])
def test_there_is_no_reminder_on_other_days(march, day):
    with frozen(date(2026, 3, day)):
        ran = run_due(timezone.localdate())
    assert "liaison.visit_reminders" not in ran
    assert "liaison.escalate_overdue" in ran  # the daily task still runs
    assert not reminders().exists()


def test_an_enterprise_visited_before_the_20th_gets_no_reminder(march):
    with frozen(date(2026, 3, 20), hour=6):
        services.visit_record(officer=march.users.officer_a, enterprise=march.ent_a, visited_on=date(2026, 3, 20))
        run_due(timezone.localdate())
    assert [n.text for n in reminders()] == [f"Not visited yet in 2026-03: {march.ent_c.name}"]


def test_the_next_month_reminds_again(march):
    with frozen(date(2026, 3, 20)):
        run_due(timezone.localdate())
    with frozen(date(2026, 4, 20)):
        assert run_due(timezone.localdate())["liaison.visit_reminders"] == 3
    assert reminders().filter(user=march.users.officer_b).count() == 1


def test_a_problem_raised_while_the_enterprise_had_no_officer_goes_to_its_first_officer(db):
    from django.utils import timezone as tz

    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.liaison import services as svc
    from hitechzone.liaison.models import Category as C
    from hitechzone.liaison.models import Problem as P

    enterprise = f.EnterpriseFactory()
    user = f.UserFactory(username="lonely", role=Role.ENTERPRISE, enterprise=enterprise)
    problem = svc.problem_raise(by=user, enterprise=enterprise, category=C.LABOUR, title="招工难")
    assert problem.officer is None
    officer = f.UserFactory(username="newcomer", role=Role.OFFICER)
    svc.assignment_start(officer=officer, enterprise=enterprise, started_on=tz.localdate())
    problem = svc.problem_accept(problem=P.objects.get(pk=problem.pk), by=officer)
    assert problem.status == P.Status.ACCEPTED


# --- The loop as data ------------------------------------------------------------------------------------------


def test_the_loop_table_offers_each_party_exactly_its_steps_in_each_state():
    from hitechzone.accounts.models import Role, User

    officer = User(pk=1, role=Role.OFFICER)
    other_officer = User(pk=2, role=Role.OFFICER)
    department = User(pk=3, role=Role.DEPARTMENT, department_id=7)
    enterprise = User(pk=4, role=Role.ENTERPRISE, enterprise_id=9)
    leader = User(pk=5, role=Role.LEADER)
    expected = {
        S.SUBMITTED: {"officer": ["accept", "solve"]},
        S.ACCEPTED: {"officer": ["hand_over", "solve"]},
        S.HANDED_OVER: {"department": ["reply"]},
        S.REPLIED: {"officer": ["close"], "enterprise": ["rate"]},
        S.CLOSED: {},
    }
    users = {"officer": officer, "other_officer": other_officer, "department": department}
    users |= {"enterprise": enterprise, "leader": leader}
    for status, offered in expected.items():
        problem = Problem(status=status, officer_id=1, department_id=7, enterprise_id=9)
        for name, user in users.items():
            steps = [t.action for t in services.available(user, problem)]
            assert steps == offered.get(name, []), (status, name)
    assert all({*t.from_states, *t.to_states} <= set(S.values) for t in services.LOOP.values())
    assert {t.slug for t in services.LOOP.values()} == {"accept", "hand-over", "solve", "close", "reply", "rate"}
    assert services.transition("hand-over") is services.LOOP["hand_over"]
    assert services.transition("hand_over") is None
