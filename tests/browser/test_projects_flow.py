"""An investment officer on a phone records a project with a new investor and reads its 标准地 admission checks,
green and red, value against threshold, under the rules' demo-default label."""

import re

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_project_on_a_phone_and_reads_its_admission_checks(live_server, page, reference_data):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.projects.models import Project

    f.FunctionalAreaFactory(code="fine-chemicals", name="精细化工功能区", is_chemical=True)
    officer = f.UserFactory(username="zs1", full_name="王招商", role=Role.OFFICER)

    log_in(page, live_server, "zs1")
    page.goto(f"{live_server.url}/projects/")
    page.click("[data-testid=new-project]")
    page.wait_for_url("**/projects/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.fill("#id_name", "年产20万台高效电机项目")
    page.fill("#id_new_investor", "示例电机集团")
    page.fill("#id_industry_code", "3812")
    page.fill("#id_land_mu", "40")
    page.fill("#id_fixed_asset_investment_wan_yuan", "16000")  # 400 万元/亩 ≥ 300
    page.fill("#id_annual_tax_wan_yuan", "1000")  # 25 万元/亩 < 30
    page.click("[data-testid=save-project]")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))  # the saved project's page ("*" would match new/ itself)

    project = Project.objects.get()
    assert (project.officer_id, project.industry_code) == (officer.pk, "C3812")
    assert page.get_attribute("[data-testid=check-investment_intensity]", "data-passed") == "true"
    assert page.get_attribute("[data-testid=check-tax_per_mu]", "data-passed") == "false"
    assert "400.00 ≥ 300.00" in page.inner_text("[data-testid=check-investment_intensity]")
    assert "25.00 ≥ 30.00" in page.inner_text("[data-testid=check-tax_per_mu]")
    assert page.is_visible("[data-testid=demo-default]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
