"""The monthly visit summaries (docs/0014-summaries.md): kept current as visits are recorded, moved and deleted, and
the figures read from them equal the full computation for random months, years and every role; the
``rebuild_summaries`` command rebuilds them and, with ``--check``, reports drift and exits 1."""

import random
import threading
from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.utils import timezone, translation

from hitechzone.accounts.models import Role, User
from hitechzone.enterprises.models import Assignment
from hitechzone.enterprises.tests import factories as f
from hitechzone.liaison import queries, services
from hitechzone.liaison.models import SERVICE_TARGETS, Category, Problem, ProblemMonth, Visit, VisitMonth

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 7, 15)
FIRST_DAY = date(2024, 1, 1)


def frozen(day: date = TODAY):
    return time_machine.travel(datetime.combine(day, time(10), tzinfo=SHANGHAI), tick=False)


def cells() -> dict:
    return {
        (o, e, m): (n, last)
        for o, e, m, n, last in VisitMonth.objects.values_list(
            "officer_id", "enterprise_id", "month", "visits", "last_on"
        )
    }


def test_recording_a_visit_counts_it_in_its_month(zone):
    u = zone.users
    Assignment.objects.update(started_on=date(2026, 1, 1))
    with frozen():
        services.visit_record(officer=u.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 3))
        services.visit_record(officer=u.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 20))
        services.visit_record(officer=u.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 4, 1))
    assert cells() == {
        (u.officer_a.pk, zone.ent_a.pk, date(2026, 3, 1)): (2, date(2026, 3, 20)),
        (u.officer_a.pk, zone.ent_a.pk, date(2026, 4, 1)): (1, date(2026, 4, 1)),
    }


def test_moving_a_visit_moves_its_count_and_deleting_it_removes_it(zone):
    u = zone.users
    visit = Visit.objects.create(officer=u.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 3))
    other = Visit.objects.create(officer=u.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 9))
    visit.visited_on = date(2026, 5, 30)  # another month
    visit.save()
    assert cells() == {
        (u.officer_a.pk, zone.ent_a.pk, date(2026, 3, 1)): (1, date(2026, 3, 9)),
        (u.officer_a.pk, zone.ent_a.pk, date(2026, 5, 1)): (1, date(2026, 5, 30)),
    }
    other.officer = u.officer_b  # another officer
    other.save()
    assert cells() == {
        (u.officer_b.pk, zone.ent_a.pk, date(2026, 3, 1)): (1, date(2026, 3, 9)),
        (u.officer_a.pk, zone.ent_a.pk, date(2026, 5, 1)): (1, date(2026, 5, 30)),
    }
    visit.delete()
    other.delete()
    assert cells() == {}


def test_deleting_an_enterprise_takes_its_summaries_with_it(zone):
    ent = f.EnterpriseFactory(name="戊方电子")
    Visit.objects.create(officer=zone.users.officer_a, enterprise=ent, visited_on=date(2026, 3, 3))
    assert VisitMonth.objects.filter(enterprise=ent).exists()
    ent.delete()
    assert not VisitMonth.objects.exists()


def _random_zone(zone, rng: random.Random) -> None:
    """Six enterprises, three officers, assignments that start, end and change hands at random days, and visits
    (a few of them moved or deleted afterwards) over two and a half years."""
    u = zone.users
    officer_c = f.UserFactory(username="officer_c", role=Role.OFFICER)
    officers = [u.officer_a, u.officer_b, officer_c]
    enterprises = [zone.ent_a, zone.ent_b] + [f.EnterpriseFactory(name=f"随机企业{i}") for i in range(4)]
    Assignment.objects.all().delete()
    for ent in enterprises:
        day = FIRST_DAY + timedelta(days=rng.randint(0, 200))
        while day < TODAY:
            end = day + timedelta(days=rng.randint(20, 200))
            Assignment.objects.create(
                officer=rng.choice(officers), enterprise=ent, started_on=day, ended_on=end if end < TODAY else None
            )
            day = end + timedelta(days=rng.choice([0, 0, 0, 10]))
    span = (TODAY - FIRST_DAY).days
    visits = [
        Visit.objects.create(
            officer=rng.choice(officers),
            enterprise=rng.choice(enterprises),
            visited_on=FIRST_DAY + timedelta(days=rng.randint(0, span)),
        )
        for _ in range(200)
    ]
    # The edges of the monthly rule: the new officer's visit a few days before or on their start, in that month.
    for a in Assignment.objects.filter(started_on__day__gt=3):
        day = a.started_on - timedelta(days=rng.choice([0, 1, 2]))
        visits.append(Visit.objects.create(officer=a.officer, enterprise=a.enterprise, visited_on=day))
    for visit in rng.sample(visits, 25):
        visit.visited_on = FIRST_DAY + timedelta(days=rng.randint(0, span))
        visit.officer = rng.choice(officers)
        visit.save()
    for visit in rng.sample(visits, 15):
        visit.delete()


def _walk(problem, rng: random.Random, day: date, users: dict) -> None:
    """Take the problem through its loop from ``day``, a random step at a time, some days apart; stop anywhere."""
    for _ in range(6):
        day += timedelta(days=rng.randint(0, 40))
        if day >= TODAY or rng.random() < 0.15:
            return
        problem.refresh_from_db()
        S = Problem.Status
        officer, ent_user = problem.officer, users[problem.enterprise_id]
        with frozen(day):
            try:
                if problem.status == S.SUBMITTED and officer is not None:
                    services.problem_accept(problem=problem, by=officer)
                elif problem.status == S.ACCEPTED and officer is not None:
                    if rng.random() < 0.4:
                        services.problem_solve(problem=problem, by=officer, solution="当场解决")
                    else:
                        dept = rng.choice(users["departments"])
                        services.problem_hand_over(problem=problem, by=officer, department=dept.department)
                elif problem.status == S.HANDED_OVER:
                    dept_user = next(u for u in users["departments"] if u.department_id == problem.department_id)
                    services.problem_reply(problem=problem, by=dept_user, solution="已协调")
                elif problem.status == S.REPLIED:
                    if rng.random() < 0.2 and officer is not None:
                        services.problem_close(problem=problem, by=officer)
                    else:
                        scores = {k: rng.randint(1, 5) for k in rng.sample(list(SERVICE_TARGETS), rng.randint(0, 6))}
                        services.problem_rate(
                            problem=problem, by=ent_user, rating=rng.choice([1, 2, 3, 4, 5, 5]), target_scores=scores
                        )
                else:
                    return
            except services.Refused:
                return


def _random_problems(zone, rng: random.Random) -> None:
    """Problems raised by enterprises and officers on random days, walked through their loop at random, an officer
    taking over an enterprise's open problems, and a few corrected by hand (category, moment, department)."""
    enterprises = list({a.enterprise for a in Assignment.objects.select_related("enterprise")})
    users = {
        e.pk: (
            zone.users.ent_a
            if e.pk == zone.ent_a.pk
            else zone.users.ent_b
            if e.pk == zone.ent_b.pk
            else f.UserFactory(username=f"ent_{e.pk}", role=Role.ENTERPRISE, enterprise=e)
        )
        for e in enterprises
    }
    users["departments"] = [zone.users.dept_a, zone.users.dept_b]
    span = (TODAY - FIRST_DAY).days
    problems = []
    for _ in range(60):
        enterprise = rng.choice(enterprises)
        day = FIRST_DAY + timedelta(days=rng.randint(0, span - 1))
        with frozen(day):
            officer = services.officer_of(enterprise)
            by = officer if officer is not None and rng.random() < 0.4 else users[enterprise.pk]
            problem = services.problem_raise(
                by=by, enterprise=enterprise, category=rng.choice(Category.values), title="问题"
            )
        problems.append(problem)
        _walk(problem, rng, day, users)
    with frozen():
        current = services.officer_of(zone.ent_a)
        newcomer = zone.users.officer_a if current == zone.users.officer_b else zone.users.officer_b
        services.assignment_start(officer=newcomer, enterprise=zone.ent_a, started_on=TODAY - timedelta(days=1))
    for problem in rng.sample(problems, 6):
        problem.refresh_from_db()
        problem.category = rng.choice(Category.values)
        problem.created_at -= timedelta(days=rng.randint(0, 60))
        problem.save()
    rng.choice(problems).delete()


def _personas(zone):
    return [
        *(getattr(zone.users, name) for name in vars(zone.users)),
        f.UserFactory(username="officer_none", role=Role.OFFICER),
        *User.objects.filter(role=Role.ENTERPRISE).exclude(pk__in=[zone.users.ent_a.pk, zone.users.ent_b.pk])[:2],
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_figures_from_summaries_equal_the_full_computation_for_every_role(zone, seed):
    rng = random.Random(seed)
    with frozen():
        _random_zone(zone, rng)
        _random_problems(zone, rng)
        months = [*rng.sample([(y, m) for y in (2024, 2025, 2026) for m in range(1, 13)], 8), (2026, 7), (2026, 8)]
        for user in _personas(zone):
            for year, month in months:
                assert queries.coverage(year, month, user) == queries.coverage(year, month, user, full=True), (
                    user.username,
                    year,
                    month,
                )
            for year in (2023, 2024, 2025, 2026):
                assert queries.stats(year, user) == queries.stats(year, user, full=True), (user.username, year)
        # The comparisons compared something: visits, and assignments visited and missed.
        figures = queries.stats(2025, zone.users.leader)
        assert figures["visits"] > 0
        assert figures["problems_solved"] > 0
        assert figures["satisfaction"]["rated"] > 0
        covered = [queries.coverage(y, m, zone.users.leader) for y, m in months]
        assert any(c["visited"] for c in covered)
        assert any(c["missing"] for c in covered)


def test_rebuild_summaries_check_passes_when_nothing_drifted(zone):
    Visit.objects.create(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 3))
    out = StringIO()
    with translation.override("en"):
        call_command("rebuild_summaries", "--check", stdout=out)
    assert "liaison.visits: no drift" in out.getvalue()
    assert "liaison.problems: no drift" in out.getvalue()


def test_rebuild_summaries_check_reports_drift_and_fails_and_a_rebuild_repairs_it(zone):
    u = zone.users
    Visit.objects.create(officer=u.officer_a, enterprise=zone.ent_a, visited_on=date(2026, 3, 3))
    Visit.objects.create(officer=u.officer_b, enterprise=zone.ent_b, visited_on=date(2026, 4, 3))
    VisitMonth.objects.filter(officer=u.officer_a).update(visits=7)  # drift: a wrong count …
    VisitMonth.objects.filter(officer=u.officer_b).delete()  # … and a missing cell
    before = cells()
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="2 summary rows drifted"):
        call_command("rebuild_summaries", "--check", stdout=out)
    assert "liaison.visits: 2 rows differ" in out.getvalue()
    assert cells() == before  # --check writes nothing

    call_command("rebuild_summaries", stdout=StringIO())
    assert cells() == {
        (u.officer_a.pk, zone.ent_a.pk, date(2026, 3, 1)): (1, date(2026, 3, 3)),
        (u.officer_b.pk, zone.ent_b.pk, date(2026, 4, 1)): (1, date(2026, 4, 3)),
    }
    call_command("rebuild_summaries", "--check", stdout=StringIO())


def test_a_problem_counts_in_the_months_of_its_moments_under_its_current_status(zone):
    u = zone.users
    with frozen(date(2026, 3, 30)):
        problem = services.problem_raise(by=u.ent_a, enterprise=zone.ent_a, category=Category.LAND, title="用地")
        services.problem_accept(problem=problem, by=u.officer_a)
    with frozen(date(2026, 4, 2)):
        services.problem_hand_over(problem=problem, by=u.officer_a, department=zone.dept_a)
    rows = {
        (r.month, r.status, r.department_key): (r.raised, r.handed_over, r.solved)
        for r in ProblemMonth.objects.filter(enterprise=zone.ent_a)
    }
    assert rows == {
        (date(2026, 3, 1), Problem.Status.HANDED_OVER, zone.dept_a.pk): (1, 0, 0),
        (date(2026, 4, 1), Problem.Status.HANDED_OVER, zone.dept_a.pk): (0, 1, 0),
    }
    problem.delete()
    assert not ProblemMonth.objects.exists()


def test_rebuild_summaries_check_finds_a_problem_cell_that_drifted(zone):
    with frozen(date(2026, 3, 30)):
        services.problem_raise(by=zone.users.ent_a, enterprise=zone.ent_a, category=Category.LAND, title="用地")
    ProblemMonth.objects.update(raised=2)
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 summary rows drifted"):
        call_command("rebuild_summaries", "--check", stdout=out)
    assert "liaison.problems: 1 rows differ" in out.getvalue()
    call_command("rebuild_summaries", stdout=StringIO())
    assert ProblemMonth.objects.get().raised == 1


def _at_once(*calls) -> list:
    """Run the calls at the same moment, each on a connection of its own; their errors, if any."""
    barrier = threading.Barrier(len(calls))
    errors: list = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_cell_at_the_same_moment_both_count(zone):
    u, today = zone.users, timezone.localdate()
    errors = _at_once(
        lambda: services.visit_record(officer=u.officer_a, enterprise=zone.ent_a, visited_on=today),
        lambda: services.visit_record(officer=u.officer_a, enterprise=zone.ent_a, visited_on=today),
        lambda: services.problem_raise(by=u.ent_a, enterprise=zone.ent_a, category=Category.LAND, title="一"),
        lambda: services.problem_raise(by=u.ent_a, enterprise=zone.ent_a, category=Category.LAND, title="二"),
    )
    assert errors == []
    assert VisitMonth.objects.get().visits == 2
    assert ProblemMonth.objects.get().raised == 2
    with translation.override("en"):
        call_command("rebuild_summaries", "--check", stdout=StringIO())
