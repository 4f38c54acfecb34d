"""An expert on a phone opens the project of his panel from the module's menu, reads its figures and admission
checks, and scores it; his score stays sealed until every member has scored."""

import re
from decimal import Decimal

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POINTS = {
    "industry_fit": 90,
    "investment_intensity": 85,
    "safety_environment": 70,
    "industry_linkage": 81,
    "technology": 77,
    "economic_benefit": 63,
}  # fmt: skip  — weighted total 79.00


def test_an_expert_scores_his_panels_project_on_a_phone(live_server, page, reference_data):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.projects import panel_services
    from hitechzone.projects.models import Expert, Investor, Project, Score

    chain = f.ChainFactory(code="motors", name="电机")
    officer = f.UserFactory(username="zs1", role=Role.OFFICER)
    expert_user = f.UserFactory(username="zj1", full_name="张院士", role=Role.EXPERT)
    investor = Investor.objects.create(name="示例电机集团", parent_group="示例控股")
    project = Project.objects.create(
        name="年产20万台高效电机项目", investor=investor, chain=chain, officer=officer, industry_code="C3812",
        land_mu=Decimal(40), fixed_asset_investment_wan_yuan=Decimal(16000), annual_tax_wan_yuan=Decimal(1000),
    )  # fmt: skip
    Expert.objects.create(name="张院士", academician=True, specialties=["motors"], user=expert_user)
    for n in range(4):
        Expert.objects.create(name=f"评审专家{n}", specialties=["general"])
    Expert.objects.create(name="王工", affiliation="示例控股", specialties=["general"])  # conflicted: excluded
    panel_services.panel_draw(by=officer, project=project, seed=7)

    log_in(page, live_server, "zj1")
    page.goto(f"{live_server.url}/projects/")
    page.click("[data-testid=projects-nav] [data-nav=reviews]")
    page.wait_for_url("**/projects/reviews/")
    page.click("[data-testid=review]")
    page.wait_for_url(f"**/projects/{project.pk}/score/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert "示例电机集团" in page.inner_text("[data-testid=score-facts]")
    assert page.get_attribute("[data-testid=check-tax_per_mu]", "data-testid") == "check-tax_per_mu"
    assert page.is_visible("[data-testid=score-checks]")  # a failing check: open
    for code, points in POINTS.items():
        page.fill(f"#id_{code}", str(points))
    page.fill("#id_comment", "技术路线成熟，亩均税收偏低")
    page.click("[data-testid=submit-score]")
    page.wait_for_selector("[data-testid=own-score]")

    score = Score.objects.get()
    assert (score.total, score.comment, score.member.expert.user_id) == (Decimal("79.00"), "技术路线成熟，亩均税收偏低",
                                                                         expert_user.pk)  # fmt: skip
    assert "79.00" in page.inner_text("[data-testid=own-total]")
    assert re.search(r"1\s*/\s*5", page.inner_text("[data-testid=scores-sealed]"))  # sealed: 1 of 5 submitted
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The project's page shows the panel: he sits on it, and the button reads as his score now.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert page.is_visible("[data-testid=panel]")
    assert page.locator("[data-testid=panel-member]").count() == 5
    assert page.is_visible("[data-testid=scores-sealed]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
