"""Expert panels through the API and the pages (issue 14 items 5-7): the pool, the draw (stored for replay, refused
with nothing stored), who draws, the expert's scope, declining, and sealed scoring per role (expert A and B, the
leader, the officer, the administrator) with the panel score once every member has submitted."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from hitechzone.common.models import AuditEvent
from hitechzone.projects import panel_services, panels
from hitechzone.projects.models import Expert, Investor, Panel, PanelMember, Project, Score

pytestmark = pytest.mark.django_db

POINTS = {
    "industry_fit": 90,
    "investment_intensity": 85,
    "safety_environment": 70,
    "industry_linkage": 81,
    "technology": 77,
    "economic_benefit": 63,
}  # fmt: skip  — weighted total 79.00


def client_for(user, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def review(zone):
    """A fluorine project of officer A, and a pool of 5 eligible experts (expert A, an academician, and expert B
    among them, each with his login), one conflicted with the investor's parent group, one inactive, one of another
    chain."""
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f

    users = zone.users
    investor = Investor.objects.create(name="示例电机集团", parent_group="示例控股", uscc="91330100MA2B3C4D5E")
    project = Project.objects.create(
        name="年产20万台电机项目", investor=investor, chain=zone.chain, officer=users.officer_a, industry_code="C3812",
        land_mu=Decimal(30), fixed_asset_investment_wan_yuan=Decimal(9000),
    )  # fmt: skip
    more = [f.UserFactory(username=f"expert_{c}", role=Role.EXPERT) for c in "cde"]
    experts = SimpleNamespace(
        a=Expert.objects.create(
            name="张院士", title="院士", academician=True, specialties=["fluorine"], user=users.expert_a
        ),
        b=Expert.objects.create(name="李教授", title="教授", specialties=["general"], user=users.expert_b),
        c=Expert.objects.create(name="陈高工", specialties=["fluorine"], user=more[0]),
        d=Expert.objects.create(name="刘研究员", specialties=["general"], user=more[1]),
        e=Expert.objects.create(name="周教授", specialties=["fluorine", "silicon"], user=more[2]),
        conflicted=Expert.objects.create(
            name="王工", affiliation=" 示例控股 ", specialties=["fluorine"], academician=True
        ),
        inactive=Expert.objects.create(name="赵工", specialties=["general"], active=False),
        other_chain=Expert.objects.create(name="钱工", specialties=["silicon"]),
    )
    return SimpleNamespace(
        project=project, investor=investor, experts=experts, users=[users.expert_a, users.expert_b, *more]
    )


def panel_url(review):
    return f"/api/v1/projects/{review.project.pk}/panel/"


def scores_url(review):
    return f"/api/v1/projects/{review.project.pk}/scores/"


def draw(zone, review, **body):
    return panel_services.panel_draw(by=zone.users.admin, project=review.project, **body)


# --- The pool -------------------------------------------------------------------------------------------------------


def test_an_administrator_adds_an_expert_with_the_contracts_fields(zone, api_as):
    body = {
        "name": "孙院士", "title": "中国工程院院士", "affiliation": "浙江大学", "academician": True,
        "specialties": ["fluorine", "general"], "former_affiliations": [{"name": "示例控股", "until": "2024-06-30"}],
        "declared_conflicts": ["91330100MA2B3C4D5E"], "active": True, "user": zone.users.expert_a.pk,
    }  # fmt: skip
    response = api_as(zone.users.admin).post("/api/v1/experts/", body, format="json")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert {k: answer[k] for k in body} == body
    expert = Expert.objects.get(pk=answer["id"])
    assert expert.former_affiliations == [{"name": "示例控股", "until": "2024-06-30"}]
    assert api_as(zone.users.expert_a).get("/api/v1/experts/").json()["results"][0]["id"] == expert.pk


def test_an_unknown_chain_or_a_non_expert_login_is_refused(zone, api_as):
    api = api_as(zone.users.admin)
    response = api.post("/api/v1/experts/", {"name": "某", "specialties": ["nowhere"]}, format="json")
    assert response.status_code == 400
    assert "nowhere" in response.content.decode()
    body = {"name": "某", "specialties": ["general"], "user": zone.users.officer_a.pk}
    assert api.post("/api/v1/experts/", body, format="json").status_code == 400
    assert not Expert.objects.exists()


@pytest.mark.parametrize(
    ("persona", "count"), [("leader", 8), ("officer_b", 8), ("expert_a", 1), ("ent_a", 0), ("dept_a", 0)]
)
def test_who_reads_the_pool(zone, review, api_as, persona, count):
    assert api_as(getattr(zone.users, persona)).get("/api/v1/experts/").json()["count"] == count
    assert (
        api_as(getattr(zone.users, persona)).post("/api/v1/experts/", {"name": "x"}, format="json").status_code == 403
    )


# --- The draw -------------------------------------------------------------------------------------------------------


def test_the_projects_officer_draws_a_panel_that_is_stored_for_replay(zone, review, api_as):
    api = api_as(zone.users.officer_a)
    response = api.post(panel_url(review), {"seed": 20261207}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    e = review.experts
    assert body["seed"] == 20261207
    assert {m["expert"] for m in body["members"]} == {e.a.pk, e.b.pk, e.c.pk, e.d.pk, e.e.pk}
    assert body["members"][0] == {**body["members"][0], "expert": e.a.pk, "name": "张院士", "academician": True}
    reasons = {x["expert"]: (x["code"], x["reason"]) for x in body["excluded"]}
    assert reasons[e.conflicted.pk][0] == "affiliation"
    assert "示例控股" in reasons[e.conflicted.pk][1]
    assert reasons[e.inactive.pk][0] == "inactive"
    assert reasons[e.other_chain.pk][0] == "specialty"
    panel = Panel.objects.get(project=review.project)
    assert panel.eligible == sorted([e.a.pk, e.b.pk, e.c.pk, e.d.pk, e.e.pk])
    assert api.get(panel_url(review)).json() == body
    # The auditor's replay: the stored eligible list, seed and size give the same members in the same seats.
    academicians = dict(Expert.objects.values_list("pk", "academician"))
    replay = panels.draw([(i, academicians[i]) for i in panel.eligible], seed=panel.seed, size=panel.size)
    assert replay == [m.expert_id for m in panel.members.order_by("seat")]


def test_a_draw_from_a_bigger_pool_replays_from_its_seed(zone, review):
    for n in range(10):
        Expert.objects.create(name=f"专家{n}", specialties=["general"], academician=n % 4 == 0)
    panel = draw(zone, review, size=7, seed=99)
    members = list(panel.members.order_by("seat").values_list("expert_id", flat=True))
    assert len(members) == 7
    assert review.experts.conflicted.pk not in members
    academicians = dict(Expert.objects.values_list("pk", "academician"))
    assert panels.draw([(i, academicians[i]) for i in panel.eligible], seed=99, size=7) == members


def test_too_few_eligible_experts_is_a_400_naming_what_is_missing_and_nothing_is_stored(zone, review, api_as):
    review.experts.e.active = False
    review.experts.e.save()
    response = api_as(zone.users.leader).post(panel_url(review), {}, format="json")
    assert response.status_code == 400
    text = response.content.decode()
    assert "5" in text
    assert "4" in text
    assert not Panel.objects.exists()
    assert not PanelMember.objects.exists()


def test_no_eligible_academician_is_refused(zone, review, api_as):
    Expert.objects.filter(pk=review.experts.a.pk).update(academician=False)
    Expert.objects.create(name="补充专家", specialties=["general"])
    response = api_as(zone.users.admin).post(panel_url(review), {"size": 5}, format="json")
    assert response.status_code == 400
    assert "院士" in response.content.decode()
    assert not Panel.objects.exists()


@pytest.mark.parametrize(("until", "excluded"), [("2023-12-07", True), ("2023-12-06", False)])
def test_a_stored_draw_excludes_a_former_employee_of_the_group_up_to_three_years_to_the_day(
    zone, review, until, excluded
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    former = Expert.objects.create(
        name="孙工", specialties=["general"], former_affiliations=[{"name": "示例控股", "until": until}]
    )
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        panel = draw(zone, review, size=5, seed=3)
    codes = {e["expert"]: e["code"] for e in panel.excluded}
    assert (codes.get(former.pk) == "former_affiliation") is excluded
    assert (former.pk in panel.eligible) is not excluded


@pytest.mark.parametrize("size", [3, 4, 6, 17])
def test_a_panel_size_that_is_not_odd_and_at_least_five_is_refused(zone, review, api_as, size):
    assert api_as(zone.users.admin).post(panel_url(review), {"size": size}, format="json").status_code == 400
    assert not Panel.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("leader", 201), ("officer_a", 201), ("officer_b", 403), ("expert_a", 403), ("ent_a", 403),
     ("dept_a", 403)],
)  # fmt: skip
def test_who_draws(zone, review, api_as, persona, status):
    review.investor.enterprise = zone.ent_a
    review.investor.save()
    assert api_as(getattr(zone.users, persona)).post(panel_url(review), {}, format="json").status_code == status


def test_drawing_again_replaces_the_panel_until_scoring_starts(zone, review, api_as):
    Expert.objects.create(name="补充专家", specialties=["general"])
    api = api_as(zone.users.leader)
    assert api.post(panel_url(review), {"seed": 1}, format="json").status_code == 201
    assert api.post(panel_url(review), {"seed": 2}, format="json").status_code == 201
    panel = Panel.objects.get()
    assert (panel.seed, panel.members.count()) == (2, 5)
    member = panel.members.filter(expert__user__isnull=False).select_related("expert__user").first()
    panel_services.score_submit(by=member.expert.user, project=review.project, criteria=POINTS)
    response = api.post(panel_url(review), {"seed": 3}, format="json")
    assert response.status_code == 400
    assert Panel.objects.get().seed == 2


# --- Scope and declining --------------------------------------------------------------------------------------------


def test_an_expert_sees_only_the_projects_of_his_panels(zone, review, api_as):
    other = Project.objects.create(name="别的项目", investor=review.investor)
    api = api_as(zone.users.expert_a)
    assert api.get(f"/api/v1/projects/{review.project.pk}/").status_code == 404  # no panel yet
    draw(zone, review)
    listed = [p["id"] for p in api.get("/api/v1/projects/").json()["results"]]
    assert listed == [review.project.pk]
    assert api.get(f"/api/v1/projects/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/investors/{review.investor.pk}/").status_code == 200
    assert client_for(zone.users.expert_a).get(f"/projects/{other.pk}/").status_code == 404
    assert client_for(zone.users.expert_a).get(f"/projects/{review.project.pk}/").status_code == 200
    # An expert sees the members, not who was excluded nor why.
    body = api.get(panel_url(review)).json()
    assert len(body["members"]) == 5
    assert body["excluded"] == []
    assert body["eligible"] == []


def test_a_member_who_declines_is_replaced_by_an_academician_and_loses_the_project(zone, review, api_as):
    panel = draw(zone, review, seed=5)
    spare = Expert.objects.create(name="备选专家", specialties=["general"])  # joined the pool after the draw
    spare_academician = Expert.objects.create(name="备选院士", specialties=["fluorine"], academician=True)
    api = api_as(zone.users.expert_a)
    response = api.post(f"{panel_url(review)}decline/", {"reason": "出差"}, format="json")
    assert response.status_code == 200, response.content
    panel.refresh_from_db()
    seats = {m.expert_id: m for m in panel.members.all()}
    assert seats[review.experts.a.pk].status == PanelMember.Status.DECLINED
    assert spare_academician.pk in seats  # the only academician left: his replacement must be one
    assert spare.pk not in seats
    assert seats[spare_academician.pk].replaces_id == seats[review.experts.a.pk].pk
    (replacement,) = panel.replacements
    assert replacement == {**replacement, "declined": review.experts.a.pk, "seed": panel.seed + 1,
                           "drawn": spare_academician.pk, "academician_needed": True}  # fmt: skip
    assert panels.replacement([(spare.pk, False), (spare_academician.pk, True)], seed=panel.seed + 1,
                              academician_needed=True) == spare_academician.pk  # fmt: skip
    assert api.get(f"/api/v1/projects/{review.project.pk}/").status_code == 404


def test_a_panel_with_a_replacement_is_drawn_again_while_nobody_has_scored(zone, review):
    draw(zone, review)
    Expert.objects.create(name="备选专家", specialties=["general"])
    panel_services.member_decline(by=zone.users.expert_b, project=review.project, reason="出差")
    panel = draw(zone, review, seed=11)
    assert (panel.seed, panel.replacements) == (11, [])
    assert panel.members.count() == 5
    assert not panel.members.filter(status=PanelMember.Status.DECLINED).exists()


def test_a_decline_with_nobody_to_take_the_seat_is_refused(zone, review, api_as):
    draw(zone, review)
    response = api_as(zone.users.expert_b).post(f"{panel_url(review)}decline/", {}, format="json")
    assert response.status_code == 400
    assert not PanelMember.objects.filter(status=PanelMember.Status.DECLINED).exists()


def test_the_decline_button_on_the_page(zone, review):
    draw(zone, review)
    Expert.objects.create(name="备选专家", specialties=["general"])  # joins the pool after the draw
    client = client_for(zone.users.expert_b)
    html = client.get(f"/projects/{review.project.pk}/").content.decode()
    assert 'data-testid="decline-seat"' in html
    assert 'data-testid="panel-excluded"' not in html
    response = client.post(f"/projects/{review.project.pk}/panel/decline/", {"reason": "利益冲突"})
    assert response.status_code == 302
    assert PanelMember.objects.get(expert=review.experts.b).decline_reason == "利益冲突"


# --- Sealed scoring -------------------------------------------------------------------------------------------------


def submit(review, user, **points):
    panel_services.score_submit(
        by=user, project=review.project, criteria={**POINTS, **points}, comment=f"{user.username} 的意见"
    )


def test_scores_are_sealed_for_every_role_until_every_member_has_submitted(zone, review, api_as):
    draw(zone, review)
    response = api_as(zone.users.expert_a).post(
        scores_url(review), {"criteria": POINTS, "comment": "甲专家的意见"}, format="json"
    )
    assert response.status_code == 201, response.content
    a = review.experts.a.pk
    for persona in ("expert_a", "expert_b", "leader", "officer_a", "officer_b", "admin"):
        body = api_as(getattr(zone.users, persona)).get(scores_url(review)).json()
        assert body["sealed"] is True, persona
        assert body["submitted"] == [a], persona
        assert body["panel_score"] is None
        assert body["recommendation"] is None
        own = [m["expert"] for m in body["members"]]
        assert own == ([a] if persona == "expert_a" else []), persona
    own = api_as(zone.users.expert_a).get(scores_url(review)).json()["members"][0]
    assert (own["total"], own["comment"], own["criteria"]) == (79.0, "甲专家的意见", POINTS)
    # The pages: only the author reads the comment.
    for persona in ("expert_b", "leader", "officer_a", "admin"):
        html = client_for(getattr(zone.users, persona)).get(f"/projects/{review.project.pk}/").content.decode()
        assert "甲专家的意见" not in html, persona
        assert 'data-testid="scores-sealed"' in html, persona
        assert html.count('data-testid="member-submitted"') == 1
    html = client_for(zone.users.expert_b).get(f"/projects/{review.project.pk}/score/").content.decode()
    assert "甲专家的意见" not in html
    assert 'data-testid="score-form"' in html
    html = client_for(zone.users.expert_a).get(f"/projects/{review.project.pk}/score/").content.decode()
    assert "甲专家的意见" in html
    assert "79.00" in html
    # Nor does the audit trail show a score's values.
    events = AuditEvent.objects.filter(content_type__model="score")
    assert events.exists()
    assert all("甲专家的意见" not in str(event.changes) for event in events)


def test_the_enterprise_and_department_see_no_scores(zone, review, api_as):
    review.investor.enterprise = zone.ent_a
    review.investor.save()
    draw(zone, review)
    assert api_as(zone.users.ent_a).get(scores_url(review)).status_code == 403
    assert api_as(zone.users.ent_a).get(panel_url(review)).status_code == 403
    assert api_as(zone.users.dept_a).get(scores_url(review)).status_code == 404
    assert (
        'data-testid="panel"'
        not in client_for(zone.users.ent_a).get(f"/projects/{review.project.pk}/").content.decode()
    )


def test_once_every_member_has_submitted_everybody_reads_the_scores_and_the_panel_score(zone, review, api_as):
    draw(zone, review)
    totals = {"expert_a": 100, "expert_b": 0, "expert_c": 80, "expert_d": 80, "expert_e": 81}
    for user in review.users:
        submit(review, user, **dict.fromkeys(POINTS, totals[user.username]))
    body = api_as(zone.users.leader).get(scores_url(review)).json()
    assert body["sealed"] is False
    assert len(body["members"]) == 5
    assert body["panel_score"] == 80.33  # (80 + 80 + 81) / 3 = 80.333…
    assert body["recommendation"] == "admit"
    assert panel_services.scores_summary(review.project) == (False, Decimal("80.33"), "admit")
    html = client_for(zone.users.officer_b).get(f"/projects/{review.project.pk}/").content.decode()
    assert 'data-testid="panel-score">80.33<' in html
    assert 'data-code="admit"' in html
    assert "expert_b 的意见" in html


def test_a_veto_rejects_whatever_the_score(zone, review):
    draw(zone, review)
    for user in review.users[1:]:
        submit(review, user, **dict.fromkeys(POINTS, 95))
    panel_services.score_submit(
        by=review.users[0], project=review.project, criteria=dict.fromkeys(POINTS, 95), veto=True, veto_reason="环评"
    )
    assert panel_services.scores_summary(review.project) == (False, Decimal("95.00"), "reject")


def test_a_score_is_final_and_a_veto_needs_its_reason(zone, review, api_as):
    draw(zone, review)
    api = api_as(zone.users.expert_a)
    assert api.post(scores_url(review), {"criteria": POINTS, "veto": True}, format="json").status_code == 400
    bad = {**POINTS, "technology": 101}
    assert api.post(scores_url(review), {"criteria": bad}, format="json").status_code == 400
    assert api.post(scores_url(review), {"criteria": POINTS}, format="json").status_code == 201
    assert api.post(scores_url(review), {"criteria": POINTS}, format="json").status_code == 400
    assert Score.objects.count() == 1


@pytest.mark.parametrize("persona", ["leader", "officer_a", "admin", "ent_a"])
def test_only_a_member_scores(zone, review, api_as, persona):
    review.investor.enterprise = zone.ent_a
    review.investor.save()
    draw(zone, review)
    assert (
        api_as(getattr(zone.users, persona)).post(scores_url(review), {"criteria": POINTS}, format="json").status_code
        == 403
    )
    assert client_for(getattr(zone.users, persona)).get(f"/projects/{review.project.pk}/score/").status_code == 403


def test_an_expert_scores_through_the_page(zone, review):
    draw(zone, review)
    client = client_for(zone.users.expert_a)
    assert 'data-testid="review"' in client.get("/projects/reviews/").content.decode()
    response = client.post(f"/projects/{review.project.pk}/score/", {**POINTS, "comment": "好项目"})
    assert response.status_code == 302
    score = Score.objects.get()
    assert (score.total, score.comment, score.member.expert) == (Decimal("79.00"), "好项目", review.experts.a)
    response = client.post(f"/projects/{review.project.pk}/score/", {**POINTS, "veto": "on"})
    assert Score.objects.count() == 1


def test_the_scoring_page_names_a_missing_veto_reason(zone, review):
    draw(zone, review)
    response = client_for(zone.users.expert_a).post(f"/projects/{review.project.pk}/score/", {**POINTS, "veto": "on"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"veto_reason"}
    assert not Score.objects.exists()


def test_the_page_draws_and_shows_the_excluded_and_why(zone, review):
    client = client_for(zone.users.officer_a)
    html = client.get(f"/projects/{review.project.pk}/").content.decode()
    assert 'data-testid="draw-panel"' in html
    assert client.post(f"/projects/{review.project.pk}/panel/draw/", {"size": "5", "seed": "7"}).status_code == 302
    assert Panel.objects.get().seed == 7
    html = client.get(f"/projects/{review.project.pk}/").content.decode()
    assert html.count('data-testid="panel-member"') == 5
    assert 'data-code="affiliation"' in html
    assert "示例控股" in html
    assert (
        'data-testid="draw-panel"'
        not in client_for(zone.users.officer_b).get(f"/projects/{review.project.pk}/").content.decode()
    )
    assert client_for(zone.users.officer_b).post(f"/projects/{review.project.pk}/panel/draw/").status_code == 403


def test_a_refused_draw_on_the_page_says_why(zone, review):
    Expert.objects.filter(pk=review.experts.e.pk).update(active=False)
    response = client_for(zone.users.leader).post(f"/projects/{review.project.pk}/panel/draw/", follow=True)
    assert "只有 4" in response.content.decode() or "only 4" in response.content.decode()
    assert not Panel.objects.exists()


# --- Query budgets --------------------------------------------------------------------------------------------------


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert fn() == 200
    return len(ctx.captured_queries)


def test_the_pool_list_the_panel_and_the_scores_read_in_a_number_of_queries_that_does_not_grow(zone, review, api_as):
    api = api_as(zone.users.leader)
    page = client_for(zone.users.leader)
    expert = client_for(zone.users.expert_a)

    def counts(project):
        return (
            _queries(lambda: api.get("/api/v1/experts/").status_code),
            _queries(lambda: page.get("/projects/experts/").status_code),
            _queries(lambda: api.get(f"/api/v1/projects/{project.pk}/panel/").status_code),
            _queries(lambda: api.get(f"/api/v1/projects/{project.pk}/scores/").status_code),
            _queries(lambda: page.get(f"/projects/{project.pk}/").status_code),
            _queries(lambda: expert.get("/projects/reviews/").status_code),
            _queries(lambda: expert.get(f"/projects/{project.pk}/score/").status_code),
        )

    draw(zone, review, size=5)
    submit(review, zone.users.expert_a)
    few = counts(review.project)
    for n in range(8):
        Expert.objects.create(name=f"专家{n}", specialties=["general"], academician=n == 0, affiliation=f"单位{n}")
    bigger = SimpleNamespace(
        project=Project.objects.create(name="第二个项目", investor=review.investor, chain=zone.chain)
    )
    for seed in range(100):  # a panel of 9 on which expert A sits
        panel = panel_services.panel_draw(by=zone.users.admin, project=bigger.project, size=9, seed=seed)
        if panel.members.filter(expert=review.experts.a).exists():
            break
    submit(bigger, zone.users.expert_a)
    assert counts(bigger.project) == few


def test_the_leader_reads_the_panels_result_beside_his_decision_sealed_until_every_member_has_scored(zone, review):
    draw(zone, review)
    leader = client_for(zone.users.leader)
    url = f"/projects/{review.project.pk}/"
    assert 'data-testid="decision-scores-sealed"' in leader.get(url).content.decode()
    for user in review.users:
        submit(review, user, **dict.fromkeys(POINTS, 80))
    html = leader.get(url).content.decode()
    decision_card = html[html.index('data-testid="decision-card"') :]
    assert 'data-testid="decision-scores"' in decision_card
    assert "80.00" in decision_card
    assert 'data-code="admit"' in decision_card


def test_a_draw_reads_the_experts_twice_whatever_the_panels_size(zone, review):
    """The pool once, the members once: each seat's audit record names its expert without a query of its own, on
    the seats a new draw removes as on those it creates (an N+1 the issue 14 bench found)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(6):
        Expert.objects.create(name=f"专家{n}", specialties=["general"], affiliation=f"单位{n}")

    def expert_reads(size, seed):
        with CaptureQueriesContext(connection) as ctx:
            panel_services.panel_draw(by=zone.users.admin, project=review.project, size=size, seed=seed)
        return sum('FROM "projects_expert"' in q["sql"] for q in ctx.captured_queries)

    expert_reads(5, 1)
    assert expert_reads(5, 2) == 2  # 5 seats removed, 5 created
    assert expert_reads(9, 3) == 2  # 5 removed, 9 created
    assert expert_reads(9, 4) == 2  # 9 removed, 9 created
    events = AuditEvent.objects.filter(content_type__model="panelmember", action="delete").order_by("-pk")
    assert review.project.name in events.first().object_repr
