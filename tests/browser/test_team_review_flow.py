"""A team applies (an enterprise user), the formal check sends it back once with the list, the team resubmits, the
talent office draws a panel from the one expert pool, the experts score on the application's page (sealed until
the last), and a leader approves it with the panel's result beside the decision (issue 15; docs/0013)."""

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = {"innovation": 80, "team": 90, "market": 70, "feasibility": 60, "chain_fit": 100}  # weighted total 80.50


def test_a_team_applies_is_sent_back_once_resubmits_is_reviewed_by_a_panel_and_approved(
    live_server, page, reference_data
):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.review.models import Expert
    from hitechzone.talent import services
    from hitechzone.talent.models import TeamApplication, TeamPanel, TeamScore
    from hitechzone.zone.models import Department

    admin = f.UserFactory(username="gly", role=Role.ADMIN, is_staff=True, is_superuser=True)
    office_department = Department.objects.create(name="人才办")
    f.UserFactory(username="rcb", role=Role.DEPARTMENT, department=office_department)
    services.talent_office_set(by=admin, department=office_department)
    enterprise = f.EnterpriseFactory(name="示例氟硅科技有限公司")
    f.UserFactory(username="qy1", role=Role.ENTERPRISE, enterprise=enterprise)
    f.UserFactory(username="ld1", role=Role.LEADER)
    experts = []
    for n in range(5):
        user = f.UserFactory(username=f"zj{n}", role=Role.EXPERT)
        Expert.objects.create(name=f"评审专家{n}", academician=n == 0, specialties=["general"], user=user)
        experts.append(user.username)
    Expert.objects.create(name="冲突专家", affiliation="示例氟硅科技有限公司", specialties=["general"])

    # The team applies.
    log_in(page, live_server, "qy1")
    page.goto(f"{live_server.url}/talent/teams/new/")
    page.fill("#id_team_name", "氟硅新材料团队")
    page.fill("#id_leader_name", "张教授")
    page.fill("#id_members", "张教授, phd\n李博士, phd")
    page.fill("#id_project", "含氟电子化学品")
    page.fill("#id_registered_capital_wan_yuan", "500")
    page.fill("#id_planned_investment_wan_yuan", "2000")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=team-status]")
    application = TeamApplication.objects.get()
    url = f"{live_server.url}/talent/teams/{application.pk}/"
    assert page.locator("[data-testid=panel]").count() == 0  # the team never sees who reviews it

    # The formal check sends it back once, with the list of what is missing.
    log_in(page, live_server, "rcb")
    page.goto(url)
    page.fill("#id_note", "营业执照复印件\n团队成员学历证明")
    page.click("[data-testid=step-send_back]")
    page.wait_for_selector("[data-testid=team-steps] li:nth-child(2)")
    log_in(page, live_server, "qy1")
    page.goto(url)
    assert "营业执照复印件" in page.inner_text("[data-testid=missing-items]")
    page.click("[data-testid=step-resubmit]")
    page.wait_for_selector("[data-testid=team-steps] li:nth-child(3)")

    # Accepted, then the talent office draws the panel.
    log_in(page, live_server, "rcb")
    page.goto(url)
    assert page.locator("[data-testid=step-send_back]").count() == 0  # once only
    page.click("[data-testid=step-accept]")
    page.wait_for_selector("[data-testid=panel-draw-form]")
    page.fill("#panel-seed-input", "7")
    page.click("[data-testid=draw-panel]")
    page.wait_for_selector("[data-testid=panel-members]")
    assert page.locator("[data-testid=panel-member]").count() == 5
    assert "冲突专家" in page.inner_text("[data-testid=panel-excluded]")
    assert TeamPanel.objects.get().seed == 7

    # Each expert scores on the application's page; sealed until the last.
    for username in experts:
        log_in(page, live_server, username)
        page.goto(url)
        for code, points in POINTS.items():
            page.fill(f"#id_{code}", str(points))
        page.click("[data-testid=submit-score]")
        page.wait_for_selector("[data-testid=own-score]")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert TeamScore.objects.count() == 5

    # A leader reads the opened scores and approves with reasons.
    log_in(page, live_server, "ld1")
    page.goto(url)
    assert "80.50" in page.inner_text("[data-testid=panel-score]")
    page.fill("#id_note", "专家组推荐通过")
    page.click("[data-testid=step-approve]")
    page.wait_for_selector("[data-testid=team-reasons]")
    application.refresh_from_db()
    assert application.status == "approved"
    assert application.reason == "专家组推荐通过"
