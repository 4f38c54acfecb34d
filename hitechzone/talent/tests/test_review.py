"""The expert review of team applications on the shared mechanism (docs/0013): the talent office draws a panel for
an application under review — the same pool, draw and conflict rules as M3's projects (the team's leader, members,
enterprise and its talents' employers count as sides); the members score the team's criteria sealed; the outcome
is recorded only once every sitting member has scored. Scoping, audit and query budgets."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.accounts.models import Role
from hitechzone.common.models import AuditEvent
from hitechzone.common.rules import Refused
from hitechzone.enterprises.tests import factories as f
from hitechzone.review.models import Expert, ScoringWeights
from hitechzone.talent import review, services
from hitechzone.talent.models import Talent, TeamPanel, TeamPanelMember, TeamScore

pytestmark = pytest.mark.django_db

URL = "/api/v1/talent/team-applications/"
POINTS = {"innovation": 80, "team": 90, "market": 70, "feasibility": 60, "chain_fit": 100}


@pytest.fixture
def team(zone, office):
    """An application of enterprise A's team, accepted by the formal check (under review), and a pool: five eligible
    experts with logins (expert A an academician of the fluorine chain), and four excluded — one works at the team's
    enterprise, one worked at a member's host platform two years ago, one declared a conflict with a member, one of
    another chain."""
    users = zone.users
    application = services.team_apply(
        by=users.ent_a, team_name="氟硅新材料团队", leader_name="张教授", project="含氟电子化学品",
        enterprise=zone.ent_a, registered_capital_wan_yuan=Decimal(500), planned_investment_wan_yuan=Decimal(2000),
        members=[{"name": "张教授", "degree": "phd"}, {"name": "李博士", "degree": "phd"}],
    )  # fmt: skip
    services.team_step(by=office, application=application, action="accept")
    platform = services.platform_save(
        by=office, name="氟材料研究院", kind="institute", level="provincial", host="某理工大学"
    )
    services.talent_save(by=office, name="李博士", team="氟硅新材料团队", platform=platform)
    more = [f.UserFactory(username=f"expert_{c}", role=Role.EXPERT) for c in "cde"]
    two_years_ago = (date.today() - timedelta(days=730)).isoformat()
    experts = SimpleNamespace(
        a=Expert.objects.create(name="张院士", academician=True, specialties=["fluorine"], user=users.expert_a),
        b=Expert.objects.create(name="李教授", specialties=["general"], user=users.expert_b),
        c=Expert.objects.create(name="陈高工", specialties=["fluorine"], user=more[0]),
        d=Expert.objects.create(name="刘研究员", specialties=["general"], user=more[1]),
        e=Expert.objects.create(name="周教授", specialties=["general"], user=more[2]),
        employer=Expert.objects.create(name="王工", affiliation=zone.ent_a.name, specialties=["general"]),
        host=Expert.objects.create(
            name="孙教授",
            specialties=["general"],
            academician=True,
            former_affiliations=[{"name": "某理工大学", "until": two_years_ago}],
        ),
        declared=Expert.objects.create(name="赵工", specialties=["general"], declared_conflicts=["李博士"]),
        other_chain=Expert.objects.create(name="钱工", specialties=["silicon"]),
    )
    return SimpleNamespace(application=application, experts=experts, users=[users.expert_a, users.expert_b, *more])


def _draw(api, team, **body):
    return api.post(f"{URL}{team.application.pk}/panel/", {"chain": "fluorine", "seed": 7, **body}, format="json")


def test_the_talent_office_draws_a_panel_with_the_same_rules_as_the_projects(zone, office, team, api_as):
    answer = _draw(api_as(office), team)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    e = team.experts
    assert {m["expert"] for m in body["members"]} == {e.a.pk, e.b.pk, e.c.pk, e.d.pk, e.e.pk}
    assert body["members"][0]["expert"] == e.a.pk  # the academician's seat first
    reasons = {x["expert"]: (x["code"], x["reason"]) for x in body["excluded"]}
    assert reasons[e.employer.pk][0] == "affiliation"
    assert "团队" in reasons[e.employer.pk][1] or "team" in reasons[e.employer.pk][1]
    assert reasons[e.host.pk][0] == "former_affiliation"
    assert reasons[e.declared.pk][0] == "declared_conflict"
    assert reasons[e.other_chain.pk][0] == "specialty"
    panel = TeamPanel.objects.get()
    assert panel.weights.kind == "team"
    assert panel.weights.is_demo_default
    assert panel.chain == "fluorine"
    assert panel.seed == 7
    # The draw replays from what is stored, with the one rule code (hitechzone.review.panels).
    from hitechzone.review import panels

    academicians = set(Expert.objects.filter(academician=True).values_list("pk", flat=True))
    replay = panels.draw([(i, i in academicians) for i in panel.eligible], seed=panel.seed, size=panel.size)
    assert replay == list(panel.members.order_by("seat").values_list("expert_id", flat=True))


def test_without_a_chain_only_general_experts_are_eligible_and_a_shortfall_is_refused(zone, office, team, api_as):
    answer = api_as(office).post(f"{URL}{team.application.pk}/panel/", {}, format="json")
    assert answer.status_code == 400
    assert "academician" in answer.json()["detail"] or "院士" in answer.json()["detail"]
    assert not TeamPanel.objects.exists()


def test_who_draws_and_who_reads_the_panel(zone, office, team, api_as):
    users = zone.users
    url = f"{URL}{team.application.pk}/panel/"
    assert api_as(users.ent_a).get(url).status_code == 403  # the team never learns who reviews it
    assert api_as(users.leader).get(url).status_code == 404  # none drawn yet
    assert _draw(api_as(users.leader), team).status_code == 403
    assert _draw(api_as(users.ent_a), team).status_code == 403
    assert _draw(api_as(users.dept_b), team).status_code in (403, 404)
    assert _draw(api_as(users.expert_a), team).status_code in (403, 404)
    assert not TeamPanel.objects.exists()
    assert _draw(api_as(users.admin), team).status_code == 201
    assert api_as(users.leader).get(url).status_code == 200
    seen = api_as(users.expert_a).get(url).json()
    assert seen["excluded"] == []  # an expert sees the members, not who was excluded
    assert seen["eligible"] == []
    other = f.UserFactory(username="expert_x", role=Role.EXPERT)
    assert api_as(other).get(url).status_code == 404


def test_a_panel_is_drawn_under_review_only(zone, office, team, api_as):
    application = services.team_apply(
        by=zone.users.ent_a, team_name="新团队", leader_name="某", project="某", members=[],
        registered_capital_wan_yuan=Decimal(1), planned_investment_wan_yuan=Decimal(1),
    )  # fmt: skip
    answer = api_as(office).post(f"{URL}{application.pk}/panel/", {"chain": "fluorine"}, format="json")
    assert (answer.status_code == 400 and "review" in answer.json()["detail"].lower()) or "评审" in answer.json()[
        "detail"
    ]
    assert not TeamPanel.objects.exists()


def _score(api, team, points=POINTS, **more):
    return api.post(f"{URL}{team.application.pk}/scores/", {"criteria": points, **more}, format="json")


def test_sealed_scores_then_the_outcome_after_every_member(zone, office, team, api_as):
    assert _draw(api_as(office), team).status_code == 201
    application = team.application
    step = api_as(zone.users.leader).post(
        f"{URL}{application.pk}/step/", {"action": "approve", "note": "好"}, format="json"
    )
    assert step.status_code == 400  # the panel's scores first
    assert "approve" not in {t.action for t in services.available(zone.users.leader, application)}
    first = _score(api_as(team.users[0]), team, comment="很好")
    assert first.status_code == 201, first.json()
    sealed = api_as(zone.users.leader).get(f"{URL}{application.pk}/scores/").json()
    assert sealed["sealed"]
    assert sealed["members"] == []
    assert sealed["panel_score"] is None
    own = api_as(team.users[0]).get(f"{URL}{application.pk}/scores/").json()
    assert [m["name"] for m in own["members"]] == ["张院士"]
    assert _score(api_as(team.users[0]), team).status_code == 400  # final
    bad = _score(api_as(team.users[1]), team, points={**POINTS, "innovation": 101, "industry_fit": 5})
    assert bad.status_code == 400
    assert "innovation" in bad.json()["criteria"]
    assert _score(api_as(zone.users.ent_a), team).status_code == 403
    for user in team.users[1:]:
        assert _score(api_as(user), team).status_code == 201
    opened = api_as(zone.users.leader).get(f"{URL}{application.pk}/scores/").json()
    # 80×25% + 90×25% + 70×20% + 60×15% + 100×15% = 80.5 for each of the five
    assert not opened["sealed"]
    assert opened["panel_score"] == 80.5
    assert opened["recommendation"] == "admit"
    assert len(opened["members"]) == 5
    step = api_as(zone.users.leader).post(
        f"{URL}{application.pk}/step/", {"action": "approve", "note": "专家组推荐"}, format="json"
    )
    assert step.status_code == 200, step.json()
    application.refresh_from_db()
    assert application.status == "approved"
    assert _score(api_as(team.users[0]), team).status_code in (400, 403)  # the review is over


def test_an_expert_sees_the_applications_he_sits_on_and_not_after_declining(zone, office, team, api_as):
    _draw(api_as(office), team)
    expert = api_as(zone.users.expert_b)  # the one client, as expert B throughout
    listed = expert.get(URL).json()
    rows = listed.get("results", listed)
    assert [r["id"] for r in rows] == [team.application.pk]
    assert expert.get(f"{URL}{team.application.pk}/").status_code == 200
    # A replacement needs another eligible expert: add one.
    Expert.objects.create(name="新专家", specialties=["general"], user=f.UserFactory(username="ex_f", role=Role.EXPERT))
    answer = expert.post(f"{URL}{team.application.pk}/panel/decline/", {"reason": "出差"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert TeamPanelMember.objects.get(expert=team.experts.b).status == "declined"
    assert TeamPanel.objects.get().replacements[0]["declined"] == team.experts.b.pk
    assert expert.get(f"{URL}{team.application.pk}/").status_code == 404


def test_the_score_is_audited_masked_and_the_panel_off_the_enterprise_history(zone, office, team, api_as):
    _draw(api_as(office), team)
    _score(api_as(team.users[0]), team, comment="机密")
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(TeamScore))
    assert "innovation" not in str(event.changes)  # the criteria and their points masked
    assert "机密" not in str(event.changes)
    panel_events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(TeamPanel))
    assert panel_events.count() == 1
    assert panel_events.get().enterprise_id is None


def test_the_one_pool_serves_both_modules(zone, office, team):
    assert Expert._meta.db_table == "projects_expert"  # M3's table, kept: one pool (docs/0013)
    assert TeamPanelMember._meta.get_field("expert").related_model is Expert
    assert ScoringWeights.current("project").kind == "project"
    assert ScoringWeights.current("team").kind == "team"


def test_the_service_refuses_a_redraw_once_scoring_started(zone, office, team, api_as):
    _draw(api_as(office), team)
    _score(api_as(team.users[0]), team)
    with pytest.raises(Refused):
        review.panel_draw(by=office, application=team.application, chain="fluorine", seed=8)
    assert TeamPanel.objects.get().seed == 7


@pytest.mark.parametrize("extra", [0, 4])
def test_the_panel_and_scores_cost_the_same_queries_whatever_the_pool(zone, office, team, api_as, extra):
    for n in range(extra):
        Expert.objects.create(name=f"补充{n}", specialties=["general"])
    Talent.objects.all()
    _draw(api_as(office), team)
    counts = []
    for url in (f"{URL}{team.application.pk}/panel/", f"{URL}{team.application.pk}/scores/", URL):
        client = api_as(zone.users.leader)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] <= 8
    assert counts[1] <= 8
    assert counts[2] <= 12, counts


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_the_page_draws_the_panel_and_the_expert_scores_on_it(zone, office, team, client):
    application = team.application
    page = f"/talent/teams/{application.pk}/"
    client.force_login(office)
    shown = client.get(page).content.decode()
    assert 'data-testid="panel-draw-form"' in shown
    answer = client.post(f"{page}panel/draw/", {"chain": "fluorine", "size": "5", "seed": "7"})
    assert answer.status_code == 302
    assert TeamPanel.objects.get().seed == 7
    shown = client.get(page).content.decode()
    assert shown.count('data-testid="panel-member"') == 5
    assert 'data-testid="panel-excluded"' in shown
    # The team's enterprise sees no panel on its page.
    client.force_login(zone.users.ent_a)
    assert 'data-testid="panel"' not in client.get(page).content.decode()
    # Each member scores on the application's page (a bad form writes nothing).
    client.force_login(team.users[0])
    shown = client.get(page).content.decode()
    assert 'data-testid="score-form"' in shown
    assert 'data-testid="panel-excluded"' not in shown
    client.post(f"{page}score/", {**POINTS, "innovation": "101"})
    assert not TeamScore.objects.exists()
    for user in team.users:
        client.force_login(user)
        assert client.post(f"{page}score/", {**POINTS, "comment": "好"}).status_code == 302
    assert TeamScore.objects.count() == 5
    client.force_login(zone.users.leader)
    shown = client.get(page).content.decode()
    assert 'data-testid="score-table"' in shown
    assert 'data-testid="step-approve"' in shown


def test_the_page_keeps_the_seal_and_hides_the_decision_until_every_member_has_scored(zone, office, team, client):
    review.panel_draw(by=office, application=team.application, chain="fluorine", seed=7)
    review.score_submit(by=team.users[0], application=team.application, criteria=POINTS, comment="机密意见")
    client.force_login(zone.users.leader)
    shown = client.get(f"/talent/teams/{team.application.pk}/").content.decode()
    assert 'data-testid="scores-sealed"' in shown
    assert "机密意见" not in shown
    assert 'data-testid="step-approve"' not in shown


def test_an_expert_lists_his_reviews_with_a_bounded_number_of_queries(zone, office, team, client):
    review.panel_draw(by=office, application=team.application, chain="fluorine", seed=7)
    client.force_login(zone.users.expert_a)
    with CaptureQueriesContext(connection) as ctx:
        shown = client.get("/talent/teams/").content.decode()
    assert team.application.team_name in shown
    assert len(ctx.captured_queries) <= 15, len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/talent/teams/{team.application.pk}/").status_code == 200
    assert len(ctx.captured_queries) <= 30, len(ctx.captured_queries)
