"""The demo's investment projects (M3, issue 14 item 13): forty projects in every stage, the expert pool and its
panels (``expert1`` and ``expert2`` with reviews to do, a conflicted expert visibly excluded), the leader's
decisions, and the article's motor project on the parcels of a foundry's land exit.

The whole demo is loaded once for the module (``load_demo --seed 42``, inside a transaction rolled back at the
end); every test reads it inside its own savepoint.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from hitechzone.accounts.models import User
from hitechzone.approvals.models import Application
from hitechzone.common.models import AuditEvent
from hitechzone.demo import generator, reference
from hitechzone.demo import projects as demo_projects
from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.evaluation.models import ExitCase
from hitechzone.projects import links, panel_services, pipeline, services
from hitechzone.projects.models import (
    Expert,
    Investor,
    Panel,
    PanelMember,
    Project,
    ProjectDecision,
    ProjectEnterprise,
    ProjectParcel,
    ProjectStageEvent,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
S = Project.Stage


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        report = generator.load_demo(seed=42)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def zone(demo, db):
    """The loaded demo, inside this test's savepoint."""
    return demo


def article() -> Project:
    return Project.objects.get(name=demo_projects.ARTICLE_NAME)


def todo(username: str) -> list[PanelMember]:
    """The user's sitting seats without a score, on panels where somebody else has scored already."""
    return [
        seat
        for seat in PanelMember.objects.sitting().filter(expert__user__username=username, score__isnull=True)
        if PanelMember.objects.filter(panel=seat.panel, score__isnull=False).exists()
    ]


def test_about_forty_projects_stand_in_every_stage(zone):
    by_stage = Counter(Project.objects.values_list("stage", flat=True))
    expected = Counter(demo_projects.PLANNED_STAGES) + Counter([S.APPROVAL])  # and the article's
    assert by_stage == expected
    assert set(by_stage) == set(S.values)
    assert 38 <= sum(by_stage.values()) <= 45
    for stage in (S.PAUSED, S.TERMINATED):
        for project in Project.objects.filter(stage=stage):
            assert pipeline.last_move(project).reason  # paused or ended with its reason


def test_nothing_is_dated_after_today_and_every_road_runs_forward(zone):
    today = timezone.localdate()
    assert not ProjectStageEvent.objects.filter(on__gt=today).exists()
    assert not ProjectDecision.objects.filter(decided_on__gt=today).exists()
    assert not Project.objects.filter(created_on__gt=today).exists()
    assert not Panel.objects.filter(drawn_on__gt=today).exists()
    for project in Project.objects.exclude(stage=S.LEAD):
        dates = pipeline.stage_dates(project)
        road = [dates[s] for s in demo_projects.ROAD if s in dates]
        assert road == sorted(road), project
        decision = ProjectDecision.objects.filter(project=project).first()
        if decision is not None:
            assert dates[S.REVIEW] <= decision.decided_on
            if S.SIGNED in dates:
                assert decision.decided_on <= dates[S.SIGNED]


def test_the_moves_and_decisions_went_through_the_services_and_are_in_the_trail(zone):
    for model in (Project, ProjectStageEvent, ProjectDecision, Panel, ProjectParcel, ProjectEnterprise):
        kind = ContentType.objects.get_for_model(model)
        created = AuditEvent.objects.filter(content_type=kind, action=AuditEvent.Action.CREATE).count()
        assert created == model.objects.count() > 0, model
    leader = User.objects.get(username="leader")
    assert set(ProjectDecision.objects.values_list("decided_by", flat=True)) == {leader.pk}
    assert not Project.objects.filter(officer__isnull=True).exists()
    assert set(Project.objects.values_list("officer__username", flat=True)) <= {f"officer{n}" for n in range(1, 13)}


def test_every_project_past_review_was_scored_and_admitted_by_the_leader(zone):
    past = Project.objects.filter(stage__in=(S.SIGNED, S.LAND, S.APPROVAL, S.CONSTRUCTION, S.PRODUCTION))
    assert past.count() >= 15
    for project in past:
        sealed, score, recommendation = panel_services.scores_summary(project)
        assert not sealed
        assert score is not None
        assert project.decision.admits
        assert project.decision.outcome == recommendation
    outcomes = Counter(ProjectDecision.objects.values_list("outcome", flat=True))
    assert set(outcomes) == set(ProjectDecision.Outcome.values)
    for decision in ProjectDecision.objects.filter(outcome=ProjectDecision.Outcome.REJECT):
        assert decision.project.stage == S.TERMINATED
        assert decision.checks_passed is False  # its figures fail a check


def test_the_figures_pass_or_fail_the_admission_checks_as_the_decisions_say(zone):
    for decision in ProjectDecision.objects.select_related("project"):
        failed = [c.rule for c in services.project_checks(decision.project) if c.passed is False]
        if decision.outcome == ProjectDecision.Outcome.ADMIT:
            assert not failed, decision.project
        else:
            assert len(failed) == 1, (decision.project, failed)
    assert ProjectDecision.objects.filter(checks_passed=True).count() > ProjectDecision.objects.count() / 2


def test_the_articles_motor_project_landed_on_the_foundrys_parcels_in_under_60_days(zone):
    project = article()
    assert project.total_investment_wan_yuan == Decimal(16000)  # 1.6亿
    assert project.industry_code == "C3812"  # 电动机制造
    assert project.officer.username == "officer1"
    dates = pipeline.stage_dates(project)
    assert 0 < pipeline.days_negotiation_to_landing(dates) < 60
    assert project.stage == S.APPROVAL
    case = demo_projects.article_case()
    assert case.status == ExitCase.Status.LAND_RETURNED
    assert "铸造" in case.notes
    assert case.returned_on <= dates[S.LAND]
    placed = set(ProjectParcel.objects.filter(project=project).values_list("parcel", flat=True))
    assert placed == set(case.parcels.values_list("pk", flat=True))
    for link in ProjectParcel.objects.filter(project=project).select_related("parcel"):
        assert link.placed_on == dates[S.LAND]
        release = link.parcel.releases.get()
        assert release.former_enterprise_id == case.enterprise_id
        assert release.source == case
    assert all(c.passed for c in services.project_checks(project))
    # 审批: the project company is in the registry, served by the project's officer.
    company = ProjectEnterprise.objects.get(project=project).enterprise
    assert company.name == project.investor.name
    assert Assignment.objects.filter(enterprise=company, officer=project.officer, ended_on__isnull=True).exists()
    # Its approvals filed in parallel by its officer as the company's agent, the day it entered 审批, and shown on it.
    [bundle] = links.project_bundles(project.officer, project)
    assert bundle.started_on == dates[S.APPROVAL]
    applications = Application.objects.filter(bundle_id=bundle.pk)
    assert {a.enterprise_id for a in applications} == {company.pk}
    assert {a.agent_id for a in applications} == {project.officer.pk}
    assert (bundle.total, bundle.done, bundle.overdue) == (5, 5, 0)  # long done by 7 December 2026
    assert [(a.outcome, a.on_time) for a in applications] == [("approved", True)] * 5
    assert bundle.completed_on < dates[S.APPROVAL] + timedelta(days=30)


def test_expert1_and_expert2_have_reviews_to_do_on_different_panels(zone):
    first, second = todo("expert1"), todo("expert2")
    assert first
    assert second
    panels_first = {seat.panel_id for seat in first}
    panels_second = {seat.panel_id for seat in second}
    assert panels_first.isdisjoint(panels_second)
    seats = PanelMember.objects.sitting()
    sitting = {
        username: set(seats.filter(expert__user__username=username).values_list("panel", flat=True))
        for username in ("expert1", "expert2")
    }
    assert any(p not in sitting["expert2"] for p in panels_first)
    assert any(p not in sitting["expert1"] for p in panels_second)
    for username, seats in (("expert1", first), ("expert2", second)):
        user = User.objects.get(username=username)
        seat = seats[0]
        view = panel_services.scores_view(user, seat.panel)
        assert view.sealed
        assert view.submitted
        assert seat.expert_id not in view.submitted
        assert seat.panel.project in Project.objects.for_user(user)
        assert seat.panel.project.stage == S.REVIEW


def test_the_pool_has_academicians_and_every_panel_one(zone):
    assert Expert.objects.count() >= 12
    assert Expert.objects.filter(academician=True).count() >= 2
    assert not Expert.objects.filter(user__isnull=True).exists()
    assert {"expert1", "expert2"} <= set(Expert.objects.values_list("user__username", flat=True))
    for panel in Panel.objects.all():
        members = PanelMember.objects.sitting().filter(panel=panel)
        assert members.count() == panel.size == 5
        assert members.filter(expert__academician=True).exists()
    scored = [p for p in Panel.objects.all() if not panel_services.scores_view(User(pk=0), p).sealed]
    assert len(scored) >= 20
    assert all(panel_services.scores_view(User(pk=0), p).recommendation for p in scored)


def test_a_drawn_panel_visibly_excludes_the_conflicted_experts(zone):
    (conflicted,) = [e for e in Expert.objects.all() if demo_projects.CONFLICTED_GROUP in e.declared_conflicts]
    found = []
    for panel in Panel.objects.select_related("project__investor"):
        reasons = {e["expert"]: e for e in panel.excluded}
        if conflicted.pk in reasons:
            assert reasons[conflicted.pk]["code"] == "declared_conflict"
            assert panel.project.investor.parent_group == demo_projects.CONFLICTED_GROUP
            assert not panel.members.filter(expert=conflicted).exists()
            found.append(panel)
        else:
            assert conflicted.pk in panel.eligible or "general" not in conflicted.specialties
    assert found
    former = [e for p in Panel.objects.all() for e in p.excluded if e["code"] == "former_affiliation"]
    assert former
    assert former[0]["organisation"] == demo_projects.FORMER_GROUP


def test_the_investors_have_invented_names_and_some_are_ranked_targets(zone):
    names = list(Investor.objects.values_list("name", "parent_group"))
    names += [(n, "") for n in Project.objects.values_list("name", flat=True)]
    names += [(n, "") for n in Expert.objects.values_list("affiliation", flat=True)]
    assert not [n for pair in names for n in pair if any(part in n for part in reference.FORBIDDEN_NAME_PARTS)]
    assert Investor.objects.filter(fortune_global_500_rank__isnull=False).count() >= 3
    assert Investor.objects.filter(china_top500_rank__lte=200).count() >= 3
    enterprise_names = list(Enterprise.objects.values_list("name", flat=True))
    assert len(enterprise_names) == len(set(enterprise_names))


def test_the_projects_in_production_became_enterprises_served_by_their_officers(zone):
    for project in Project.objects.filter(stage=S.PRODUCTION):
        link = ProjectEnterprise.objects.get(project=project)
        assert link.linked_on == pipeline.stage_dates(project)[S.PRODUCTION]
        assignment = Assignment.objects.get(enterprise=link.enterprise, officer=project.officer, ended_on=None)
        assert assignment.started_on == link.linked_on


def test_a_second_load_adds_no_projects(zone):
    models = (Expert, Investor, Project, Panel, PanelMember, ProjectDecision, ProjectStageEvent, User)
    counts = {m: m.objects.count() for m in models}
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        report = generator.load_demo(seed=42)
    assert report.total == 0, report.created
    assert {m: m.objects.count() for m in models} == counts


def test_the_printed_logins_send_expert1_and_expert2_to_their_reviews(zone):
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", seed=42, stdout=out)
    found = demo_projects.hints()
    assert {"expert1", "expert2", "officer1"} <= set(found)
    for username, hint in found.items():
        assert hint in out.getvalue(), username
    assert demo_projects.ARTICLE_NAME in found["officer1"]
