"""Technology finance and partnerships on a phone: the talent office records a loan through the form, and the
finance page draws its bar chart per year by kind; the partnerships page draws its chart of contract values. Both
pages fit a phone's width."""

from datetime import date
from decimal import Decimal

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_talent_office_records_a_loan_and_reads_the_charts(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.talent import services, services_finance
    from hitechzone.talent.models import FinanceDeal

    enterprise = f.EnterpriseFactory(name="浙江甲方氟材料有限公司")
    department = f.DepartmentFactory(name="人才办")
    admin = f.UserFactory(username="admin1", role=Role.ADMIN)
    f.UserFactory(username="office1", role=Role.DEPARTMENT, department=department)
    services.talent_office_set(by=admin, department=department)
    services_finance.finance_deal_save(
        by=admin, kind="equity", enterprise=enterprise, counterparty="某创投基金", amount_wan_yuan=Decimal(800),
        signed_on=date(2024, 9, 1), status="disbursed",
    )  # fmt: skip
    partner = services.partner_save(by=admin, name="某理工大学", kind="university", agreement_signed_on="2020-01-01")
    services_finance.cooperation_save(
        by=admin, kind="transfer", title="专利转让", partner=partner, enterprise=enterprise,
        contract_value_wan_yuan=Decimal(120), signed_on=date(2025, 4, 1),
    )  # fmt: skip

    log_in(page, live_server, "office1")
    page.goto(f"{live_server.url}/talent/finance/new/")
    page.select_option("#id_kind", "loan")
    page.select_option("#id_enterprise", str(enterprise.pk))
    page.fill("#id_counterparty", "某银行科技支行")
    page.fill("#id_amount_wan_yuan", "500")
    page.select_option("#id_status", "disbursed")
    page.fill("#id_signed_on", "2025-03-01")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=deal-status]")
    assert FinanceDeal.objects.filter(counterparty="某银行科技支行", status="disbursed").exists()

    page.goto(f"{live_server.url}/talent/finance/")
    page.wait_for_selector("[data-testid=finance-chart] canvas")
    assert page.locator("[data-testid=finance-year]").count() == 2
    assert fits_a_phone(page)

    page.goto(f"{live_server.url}/talent/partnerships/")
    page.wait_for_selector("[data-testid=cooperation-chart] canvas")
    assert "专利转让" in page.content()
    assert fits_a_phone(page)
