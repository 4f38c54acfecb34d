import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_in_on_a_phone_searches_an_enterprise_and_opens_it(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f

    brand = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    mine = f.EnterpriseFactory(name="浙江瑞丰氟材料有限公司", brand=brand)
    f.EnterpriseFactory(name="浙江瑞丰硅业有限公司", brand=brand)  # same words, not assigned: must not show
    for year, tax in ((2023, "500.00"), (2024, "560.00"), (2025, "610.00")):
        f.IndicatorFactory(enterprise=mine, year=year, tax_wan_yuan=tax)
    officer = f.UserFactory(username="officer1", role=Role.OFFICER)
    f.AssignmentFactory(officer=officer, enterprise=mine)

    log_in(page, live_server, "officer1")

    page.goto(f"{live_server.url}/enterprises/")
    page.fill("input[name=q]", "瑞丰")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/enterprises/?q=*")
    rows = page.locator("[data-testid=enterprise-table] tbody tr")
    assert rows.count() == 1
    assert "浙江瑞丰氟材料有限公司" in rows.first.inner_text()

    page.click("text=浙江瑞丰氟材料有限公司")
    page.wait_for_url(f"**/enterprises/{mine.pk}/")
    assert page.locator("[data-testid=enterprise-name]").inner_text().startswith("浙江瑞丰氟材料有限公司")
    assert page.locator("[data-testid=indicator-table] tbody tr").count() == 3
    # The chart is drawn by the vendored ECharts (offline): a canvas appears in the chart box.
    page.wait_for_selector("[data-testid=indicator-chart] canvas")
    assert page.locator("[data-testid=indicator-chart]").get_attribute("data-rendered") == "1"
