"""The expert review of applications to the innovation fund on the shared mechanism (docs/0013): the talent office
draws a panel for a grant applied for — the same pool, draw and conflict rules as the teams' and M3's projects (the
recipient enterprise and its talents' host organisations count as sides); the members score the fund's criteria
sealed; a leader's approval or refusal waits, once a panel exists, until every sitting member has scored; without a
panel it is decided as before. Scoping, audit and query budgets."""

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
from hitechzone.talent.models import Grant, GrantPanel, GrantPanelMember, GrantScore, TeamPanel

pytestmark = pytest.mark.django_db

URL = "/api/v1/talent/grants/"
POINTS = {"innovation": 80, "feasibility": 90, "economic_benefit": 70, "capacity": 60, "chain_fit": 100}


@pytest.fixture
def app(zone, office, fund):
    """Enterprise A's application for a grant, and a pool: five eligible experts with logins (expert A an academician
    of the fluorine chain), and three excluded — one works at the recipient, one worked two years ago at the host of
    the platform where a talent of the recipient works, one of another chain."""
    users = zone.users
    grant = services.grant_apply(
        by=users.ent_a, fund=fund, recipient_enterprise=zone.ent_a, amount_wan_yuan=Decimal(100), purpose="研发"
    )
    platform = services.platform_save(
        by=office, name="氟材料研究院", kind="institute", level="provincial", host="某理工大学"
    )
    services.talent_save(by=office, name="李博士", enterprise=zone.ent_a, platform=platform)
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
        other_chain=Expert.objects.create(name="钱工", specialties=["silicon"]),
    )
    return SimpleNamespace(grant=grant, experts=experts, users=[users.expert_a, users.expert_b, *more])


def _draw(api, app, **body):
    return api.post(f"{URL}{app.grant.pk}/panel/", {"chain": "fluorine", "seed": 7, **body}, format="json")


def _score(api, app, points=POINTS, **more):
    return api.post(f"{URL}{app.grant.pk}/scores/", {"criteria": points, **more}, format="json")


def test_the_talent_office_draws_a_panel_with_the_fund_weights_and_the_recipients_conflicts(zone, office, app, api_as):
    answer = _draw(api_as(office), app)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    e = app.experts
    assert {m["expert"] for m in body["members"]} == {e.a.pk, e.b.pk, e.c.pk, e.d.pk, e.e.pk}
    reasons = {x["expert"]: x["code"] for x in body["excluded"]}
    assert reasons[e.employer.pk] == "affiliation"
    assert reasons[e.host.pk] == "former_affiliation"
    assert reasons[e.other_chain.pk] == "specialty"
    panel = GrantPanel.objects.get()
    assert panel.weights.kind == "fund"
    assert panel.weights.is_demo_default
    assert set(panel.weights.weights) == set(POINTS)
    assert not TeamPanel.objects.exists()  # the grant's own tables, the one mechanism


def test_who_draws_and_reads_and_only_while_applied(zone, office, fund, app, api_as):
    users = zone.users
    url = f"{URL}{app.grant.pk}/panel/"
    assert api_as(users.ent_a).get(url).status_code == 403  # the applicant never learns who reviews it
    assert api_as(users.leader).get(url).status_code == 404  # none drawn yet
    assert _draw(api_as(users.leader), app).status_code == 403
    assert _draw(api_as(users.ent_a), app).status_code == 403
    assert _draw(api_as(users.expert_a), app).status_code in (403, 404)
    assert not GrantPanel.objects.exists()
    decided = services.grant_apply(
        by=office, fund=fund, recipient_enterprise=zone.ent_a, amount_wan_yuan=Decimal(1), purpose="已决"
    )
    services.grant_refuse(by=users.leader, grant=decided, reason="不符")
    answer = api_as(office).post(f"{URL}{decided.pk}/panel/", {"chain": "fluorine"}, format="json")
    assert answer.status_code == 400
    assert not GrantPanel.objects.exists()
    assert _draw(api_as(users.admin), app).status_code == 201
    assert api_as(users.leader).get(url).status_code == 200
    seen = api_as(users.expert_a).get(url).json()
    assert seen["excluded"] == []
    other = f.UserFactory(username="expert_x", role=Role.EXPERT)
    assert api_as(other).get(url).status_code == 404


def test_the_leaders_decision_waits_for_every_score_then_goes_as_before(zone, office, app, api_as):
    assert _draw(api_as(office), app).status_code == 201
    refused = api_as(zone.users.leader).post(f"{URL}{app.grant.pk}/approve/", {}, format="json")
    assert refused.status_code == 400, refused.json()
    assert "scor" in refused.json()["detail"] or "评分" in refused.json()["detail"]
    assert (
        api_as(zone.users.leader).post(f"{URL}{app.grant.pk}/refuse/", {"reason": "否"}, format="json").status_code
        == 400
    )
    app.grant.refresh_from_db()
    assert app.grant.status == Grant.Status.APPLIED
    assert app.grant.decided_by is None
    assert _score(api_as(app.users[0]), app, comment="很好").status_code == 201
    sealed = api_as(zone.users.leader).get(f"{URL}{app.grant.pk}/scores/").json()
    assert sealed["sealed"]
    assert sealed["members"] == []
    bad = _score(api_as(app.users[1]), app, points={**POINTS, "capacity": 101, "team": 5})
    assert bad.status_code == 400
    assert "capacity" in bad.json()["criteria"]
    assert _score(api_as(zone.users.ent_a), app).status_code == 403
    for user in app.users[1:]:
        assert _score(api_as(user), app).status_code == 201
    opened = api_as(zone.users.leader).get(f"{URL}{app.grant.pk}/scores/").json()
    # 80×25% + 90×20% + 70×25% + 60×15% + 100×15% = 79.5 for each of the five
    assert not opened["sealed"]
    assert opened["panel_score"] == 79.5
    assert opened["recommendation"] == "conditional"
    approved = api_as(zone.users.leader).post(f"{URL}{app.grant.pk}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    assert _score(api_as(app.users[0]), app).status_code in (400, 403)  # the review is over


def test_an_expert_sees_the_grants_he_reviews_and_not_after_declining(zone, office, app, api_as):
    _draw(api_as(office), app)
    expert = api_as(zone.users.expert_b)
    rows = expert.get(URL).json()
    assert [r["id"] for r in rows.get("results", rows)] == [app.grant.pk]
    assert expert.get(f"{URL}{app.grant.pk}/").status_code == 200
    Expert.objects.create(name="新专家", specialties=["general"], user=f.UserFactory(username="ex_f", role=Role.EXPERT))
    answer = expert.post(f"{URL}{app.grant.pk}/panel/decline/", {"reason": "出差"}, format="json")
    assert answer.status_code == 200, answer.json()
    assert GrantPanelMember.objects.get(expert=app.experts.b).status == "declined"
    assert expert.get(f"{URL}{app.grant.pk}/").status_code == 404


def test_the_score_is_audited_masked_and_a_redraw_refused_once_scoring_started(zone, office, app, api_as):
    _draw(api_as(office), app)
    _score(api_as(app.users[0]), app, comment="机密")
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(GrantScore))
    assert "innovation" not in str(event.changes)
    assert "机密" not in str(event.changes)
    assert AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(GrantPanel)).count() == 1
    with pytest.raises(Refused):
        review.GRANTS.panel_draw(by=office, subject=app.grant, chain="fluorine", seed=8)
    assert GrantPanel.objects.get().seed == 7
    assert ScoringWeights.current("fund").kind == "fund"


@pytest.mark.parametrize("extra", [0, 4])
def test_the_panel_and_scores_cost_the_same_queries_whatever_the_pool(zone, office, app, api_as, extra):
    for n in range(extra):
        Expert.objects.create(name=f"补充{n}", specialties=["general"])
    _draw(api_as(office), app)
    counts = []
    for url in (f"{URL}{app.grant.pk}/panel/", f"{URL}{app.grant.pk}/scores/", URL):
        client = api_as(zone.users.leader)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] <= 8
    assert counts[1] <= 8
    assert counts[2] <= 12, counts


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_the_grant_page_draws_the_panel_and_the_experts_score_on_it(zone, office, app, client):
    page = f"/talent/grants/{app.grant.pk}/"
    client.force_login(office)
    assert 'data-testid="panel-draw-form"' in client.get(page).content.decode()
    assert client.post(f"{page}panel/draw/", {"chain": "fluorine", "size": "5", "seed": "7"}).status_code == 302
    assert GrantPanel.objects.get().seed == 7
    shown = client.get(page).content.decode()
    assert shown.count('data-testid="panel-member"') == 5
    assert 'data-testid="panel-excluded"' in shown
    client.force_login(zone.users.ent_a)
    assert 'data-testid="panel"' not in client.get(page).content.decode()
    client.force_login(zone.users.leader)
    shown = client.get(page).content.decode()
    assert 'data-testid="decision-waits"' in shown
    client.post(f"{page}approve/")
    assert Grant.objects.get(pk=app.grant.pk).status == Grant.Status.APPLIED
    client.force_login(app.users[0])
    shown = client.get(page).content.decode()
    assert 'data-testid="score-form"' in shown
    assert 'data-testid="panel-excluded"' not in shown
    client.post(f"{page}panel/score/", {**POINTS, "innovation": "101"})
    assert not GrantScore.objects.exists()
    for user in app.users:
        client.force_login(user)
        assert client.post(f"{page}panel/score/", {**POINTS, "comment": "好"}).status_code == 302
    assert GrantScore.objects.count() == 5
    client.force_login(zone.users.leader)
    shown = client.get(page).content.decode()
    assert 'data-testid="score-table"' in shown
    assert 'data-testid="decision-waits"' not in shown
    client.post(f"{page}approve/")
    assert Grant.objects.get(pk=app.grant.pk).status == Grant.Status.APPROVED


def test_an_expert_lists_his_grant_reviews_with_a_bounded_number_of_queries(zone, office, app, client):
    review.GRANTS.panel_draw(by=office, subject=app.grant, chain="fluorine", seed=7)
    client.force_login(zone.users.expert_a)
    with CaptureQueriesContext(connection) as ctx:
        shown = client.get("/talent/grants/").content.decode()
    assert f"/talent/grants/{app.grant.pk}/" in shown
    assert len(ctx.captured_queries) <= 15, len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        shown = client.get(f"/talent/grants/{app.grant.pk}/").content.decode()
    assert 'data-testid="score-form"' in shown
    assert len(ctx.captured_queries) <= 30, len(ctx.captured_queries)
