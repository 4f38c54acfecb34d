"""The leader's decision and the pipeline's rules (issue 14, items 8-9; docs/0010): who decides and who moves,
one stage at a time, signed only once admitted, terminated only with a reason, the decision final and audited."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from hitechzone.common.models import AuditEvent
from hitechzone.common.rules import Refused
from hitechzone.projects import pipeline, stages
from hitechzone.projects.models import Investor, Project, ProjectDecision, ProjectStageEvent

pytestmark = pytest.mark.django_db

S = Project.Stage
TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today_in_english():
    """A frozen day; the services' refusals read in English (the pages and the API answer in the request's
    language)."""
    from django.utils import translation

    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False), translation.override("en"):
        yield


@pytest.fixture
def project(zone):
    investor = Investor.objects.create(name="示例电机集团")
    return Project.objects.create(
        name="年产20万台电机项目",
        investor=investor,
        industry_code="C3812",
        land_mu=Decimal(30),
        fixed_asset_investment_wan_yuan=Decimal(9000),
        total_investment_wan_yuan=Decimal(16000),
        officer=zone.users.officer_a,
    )


def move(project, to, on=TODAY, by=None, reason=""):
    project.refresh_from_db()
    return pipeline.project_move(project=project, to_stage=to, on=on, by=by, reason=reason)


def to_review(project, zone):
    move(project, S.NEGOTIATION, on=dt.date(2026, 3, 1), by=zone.users.officer_a)
    move(project, S.REVIEW, on=dt.date(2026, 4, 1), by=zone.users.officer_a)
    project.refresh_from_db()


def decide(project, zone, outcome="admit", conditions=""):
    return pipeline.project_decide(
        project=project, outcome=outcome, reasons="符合产业导向", conditions=conditions, by=zone.users.leader
    )


# --- The rules as data ----------------------------------------------------------------------------------------------


def test_the_table_offers_the_next_stage_a_pause_and_termination_on_the_road():
    offered = [(m.kind, to) for m, to in stages.offered(S.NEGOTIATION, None)]
    assert offered == [("advance", S.REVIEW), ("pause", S.PAUSED), ("terminate", S.TERMINATED)]
    assert [(m.kind, to) for m, to in stages.offered(S.PAUSED, S.SIGNED)] == [
        ("resume", S.SIGNED),
        ("terminate", S.TERMINATED),
    ]
    assert stages.offered(S.PRODUCTION, None) == []
    assert stages.offered(S.TERMINATED, None) == []


# --- Moves ----------------------------------------------------------------------------------------------------------


def test_a_project_moves_forward_one_stage_at_a_time(zone, project):
    officer = zone.users.officer_a
    with pytest.raises(Refused, match="cannot move"):
        move(project, S.REVIEW, by=officer)  # lead → review skips negotiation
    event = move(project, S.NEGOTIATION, on=dt.date(2026, 3, 1), by=officer)
    assert (event.kind, event.from_stage, event.to_stage, event.on) == ("advance", S.LEAD, S.NEGOTIATION, event.on)
    with pytest.raises(Refused):
        move(project, S.LEAD, by=officer)  # no going back
    project.refresh_from_db()
    assert project.stage == S.NEGOTIATION


def test_a_project_cannot_be_signed_before_it_is_admitted(zone, project):
    to_review(project, zone)
    with pytest.raises(Refused, match="before the leader has admitted it"):
        move(project, S.SIGNED, by=zone.users.officer_a)
    decide(project, zone, "conditional", conditions="三年内达产")
    move(project, S.SIGNED, by=zone.users.officer_a)
    project.refresh_from_db()
    assert project.stage == S.SIGNED


def test_a_rejected_project_cannot_go_past_review_but_may_be_terminated(zone, project):
    to_review(project, zone)
    decide(project, zone, "reject")
    with pytest.raises(Refused, match="rejected project cannot go past review"):
        move(project, S.SIGNED, by=zone.users.officer_a)
    move(project, S.TERMINATED, by=zone.users.officer_a, reason="未通过评审")
    project.refresh_from_db()
    assert project.stage == S.TERMINATED


def test_terminating_needs_a_reason_and_is_final(zone, project):
    with pytest.raises(Refused, match="reason"):
        move(project, S.TERMINATED, by=zone.users.officer_a, reason="  ")
    move(project, S.TERMINATED, by=zone.users.officer_a, reason="投资方撤回")
    with pytest.raises(Refused):
        move(project, S.NEGOTIATION, by=zone.users.officer_a)
    assert ProjectStageEvent.objects.get(project=project).reason == "投资方撤回"


def test_a_paused_project_resumes_only_where_it_was_paused(zone, project):
    officer = zone.users.officer_a
    move(project, S.NEGOTIATION, on=dt.date(2026, 3, 1), by=officer)
    move(project, S.PAUSED, on=dt.date(2026, 3, 5), by=officer, reason="投资方内部调整")
    with pytest.raises(Refused):
        move(project, S.REVIEW, by=officer)
    event = move(project, S.NEGOTIATION, on=dt.date(2026, 4, 1), by=officer)
    assert event.kind == "resume"
    # Each move closes the one before it: where the project stood from when until when.
    spans = list(ProjectStageEvent.objects.filter(project=project).values_list("to_stage", "on", "until"))
    assert spans == [
        (S.NEGOTIATION, dt.date(2026, 3, 1), dt.date(2026, 3, 5)),
        (S.PAUSED, dt.date(2026, 3, 5), dt.date(2026, 4, 1)),
        (S.NEGOTIATION, dt.date(2026, 4, 1), None),
    ]
    # The stage's date stays the date it was first entered: a resume is no new advance.
    assert pipeline.stage_dates(project)[S.NEGOTIATION] == dt.date(2026, 3, 1)


def test_a_move_is_dated_neither_in_the_future_nor_before_the_previous_move(zone, project):
    officer = zone.users.officer_a
    with pytest.raises(Refused, match="future"):
        move(project, S.NEGOTIATION, on=TODAY + dt.timedelta(days=1), by=officer)
    move(project, S.NEGOTIATION, on=dt.date(2026, 3, 1), by=officer)
    with pytest.raises(Refused, match="previous move"):
        move(project, S.REVIEW, on=dt.date(2026, 2, 28), by=officer)


def test_only_the_projects_own_officer_and_administrators_move_it(zone, project):
    for user in (zone.users.officer_b, zone.users.leader, zone.users.ent_a, zone.users.expert_a):
        with pytest.raises(Refused):
            move(project, S.NEGOTIATION, by=user)
    move(project, S.NEGOTIATION, on=dt.date(2026, 3, 1), by=zone.users.admin)
    move(project, S.REVIEW, by=zone.users.officer_a)


def test_every_move_is_audited(zone, project):
    move(project, S.NEGOTIATION, by=zone.users.officer_a)
    event = ProjectStageEvent.objects.get(project=project)
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="create").exists()


# --- The decision ---------------------------------------------------------------------------------------------------


def test_only_a_leader_decides(zone, project):
    to_review(project, zone)
    for user in (zone.users.admin, zone.users.officer_a, zone.users.expert_a, zone.users.ent_a):
        with pytest.raises(Refused, match="Only a leader"):
            pipeline.project_decide(project=project, outcome="admit", reasons="好", by=user)
    assert not ProjectDecision.objects.exists()


def test_the_decision_is_final_and_stores_what_the_leader_saw(zone, project):
    from hitechzone.projects.models import AdmissionRules

    to_review(project, zone)
    decision = decide(project, zone)
    rules = AdmissionRules.current(2026)
    assert (decision.outcome, decision.decided_on, decision.decided_by) == ("admit", TODAY, zone.users.leader)
    assert decision.rules == rules
    intensity = next(c for c in decision.checks if c["rule"] == "investment_intensity")
    assert intensity == {**intensity, "passed": True, "value": "300.00", "threshold": "300.00", "unit": "万元/亩"}
    with pytest.raises(Refused, match="final"):
        decide(project, zone, "reject")
    assert ProjectDecision.objects.get().outcome == "admit"
    decisions = AuditEvent.objects.filter(content_type__app_label="projects", content_type__model="projectdecision")
    assert decisions.filter(object_id=str(decision.pk), action="create").count() == 1  # other tables have a row 1 too


def test_a_decision_is_taken_at_the_review_stage_with_reasons_and_conditions_only_when_conditional(zone, project):
    with pytest.raises(Refused, match="review stage"):
        decide(project, zone)
    to_review(project, zone)
    with pytest.raises(Refused, match="reasons"):
        pipeline.project_decide(project=project, outcome="admit", reasons=" ", by=zone.users.leader)
    with pytest.raises(Refused, match="needs its conditions"):
        decide(project, zone, "conditional")
    with pytest.raises(Refused, match="Conditions go with"):
        decide(project, zone, "admit", conditions="三年内达产")
    assert not ProjectDecision.objects.exists()


# --- The API --------------------------------------------------------------------------------------------------------


def test_the_api_decides_moves_and_answers_the_decision_in_the_projects_json(zone, project, api_as):
    to_review(project, zone)
    url = f"/api/v1/projects/{project.pk}/"
    assert api_as(zone.users.admin).post(url + "decision/", {"outcome": "admit", "reasons": "好"}).status_code == 403
    body = {"outcome": "conditional", "reasons": "产业链配套", "conditions": "两年内投产"}
    response = api_as(zone.users.leader).post(url + "decision/", body, format="json")
    assert response.status_code == 200, response.content
    decision = response.json()["decision"]
    assert decision == {**decision, "outcome": "conditional", "conditions": "两年内投产", "decided_on": "2026-06-15"}
    assert decision["rules"]["version"] >= 1
    assert decision["checks"]
    again = api_as(zone.users.leader).post(url + "decision/", {"outcome": "reject", "reasons": "x"}, format="json")
    assert again.status_code == 400
    assert "不可更改" in again.content.decode()

    officer = api_as(zone.users.officer_a)
    moved = officer.post(url + "stage/", {"stage": "signed", "on": "2026-05-10"}, format="json")
    assert moved.status_code == 200, moved.content
    data = moved.json()
    assert data["stage"] == "signed"
    assert data["stage_dates"] == {
        "lead": str(project.created_on),
        "negotiation": "2026-03-01",
        "review": "2026-04-01",
        "signed": "2026-05-10",
    }
    land = officer.post(url + "stage/", {"stage": "land", "on": "2026-05-20"}, format="json").json()
    assert land["days_negotiation_to_landing"] == 80
    skip = officer.post(url + "stage/", {"stage": "production"}, format="json")
    assert skip.status_code == 400
    assert officer.get("/api/v1/projects/?stage=land").json()["count"] == 1
    assert officer.get("/api/v1/projects/?stage=lead").json()["count"] == 0
    assert officer.get("/api/v1/projects/?stage=nowhere").status_code == 400


def test_another_officer_cannot_move_the_project_and_a_leader_is_refused(zone, project, api_as):
    url = f"/api/v1/projects/{project.pk}/stage/"
    assert api_as(zone.users.officer_b).post(url, {"stage": "negotiation"}, format="json").status_code == 404
    assert api_as(zone.users.leader).post(url, {"stage": "negotiation"}, format="json").status_code == 403
    bad = api_as(zone.users.officer_a).post(url, {"stage": "terminated"}, format="json")
    assert bad.status_code == 400
    assert "终止的原因" in bad.content.decode()


# --- The pages ------------------------------------------------------------------------------------------------------


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_leader_decides_on_the_page_and_the_officer_moves_it_on(zone, project):
    to_review(project, zone)
    leader = client_for(zone.users.leader)
    html = leader.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="decision-form"' in html
    assert 'data-testid="move-form"' not in html  # leaders decide; they do not move stages
    assert 'data-testid="decision-checks"' in html
    post = leader.post(f"/projects/{project.pk}/decision/", {"outcome": "admit", "reasons": "符合导向"})
    assert post.status_code == 302
    officer = client_for(zone.users.officer_a)
    html = officer.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-outcome="admit"' in html
    assert 'data-testid="decision-form"' not in html
    assert 'data-testid="move-form"' in html
    officer.post(f"/projects/{project.pk}/stage/", {"stage": "signed", "on": "2026-05-01"})
    officer.post(f"/projects/{project.pk}/stage/", {"stage": "land", "on": "2026-05-20"})
    html = officer.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-days="80"' in html
    assert "80 天" in html
    assert 'data-testid="road-land" data-state="current"' in html


def test_a_refused_move_on_the_page_says_why_and_writes_nothing(zone, project):
    to_review(project, zone)
    response = client_for(zone.users.officer_a).post(
        f"/projects/{project.pk}/stage/", {"stage": "signed", "on": "2026-05-01"}, follow=True
    )
    assert "领导" in response.content.decode()  # “… before the leader has admitted it”, in Chinese
    project.refresh_from_db()
    assert project.stage == S.REVIEW
