"""A leader decides on a project at review beside its admission checks; its officer, on a phone, then moves it to
signed (签约), and the board shows it there."""

from decimal import Decimal

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_decides_and_the_officer_moves_the_project_to_signed(live_server, page, reference_data):
    from django.utils import timezone

    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.projects import pipeline
    from hitechzone.projects.models import Investor, Project

    officer = f.UserFactory(username="zs2", full_name="李招商", role=Role.OFFICER)
    f.UserFactory(username="ld1", full_name="张主任", role=Role.LEADER)
    project = Project.objects.create(
        name="年产20万台高效电机项目",
        investor=Investor.objects.create(name="示例电机集团"),
        industry_code="C3812",
        land_mu=Decimal(40),
        fixed_asset_investment_wan_yuan=Decimal(16000),
        officer=officer,
    )
    today = timezone.localdate()
    for stage in (Project.Stage.NEGOTIATION, Project.Stage.REVIEW):
        project.refresh_from_db()
        pipeline.project_move(project=project, to_stage=stage, on=today, by=officer)

    log_in(page, live_server, "ld1")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    assert page.get_attribute("[data-testid=check-investment_intensity]", "data-passed") == "true"
    assert page.locator("[data-testid=move-form]").count() == 0  # leaders decide, officers move
    page.check("input[name=outcome][value=conditional]")
    page.fill("textarea[name=reasons]", "符合产业导向，投资强度达标")
    page.fill("textarea[name=conditions]", "两年内投产")
    page.click("[data-testid=decide]")
    page.wait_for_selector("[data-testid=decision-outcome][data-outcome=conditional]")
    assert "两年内投产" in page.inner_text("[data-testid=decision-conditions]")
    assert page.locator("[data-testid=decision-form]").count() == 0  # final

    log_in(page, live_server, "zs2")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.select_option("[data-testid=move-stage]", "signed")
    page.click("[data-testid=move-submit]")
    page.wait_for_selector("[data-testid=road-signed][data-state=current]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    project.refresh_from_db()
    assert project.stage == Project.Stage.SIGNED

    page.goto(f"{live_server.url}/projects/board/")
    assert "年产20万台高效电机项目" in page.inner_text("[data-testid=column-signed]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the board is a list on a phone
    page.wait_for_selector("[data-testid=funnel-chart][data-rendered='1']")
