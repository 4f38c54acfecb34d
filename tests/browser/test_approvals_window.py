"""The window on a phone: a received application, only some materials ticked, one notice listing exactly the
missing ones; the enterprise supplies them; the window checks again, accepts, and sees the due date."""

import re

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MATERIALS = ["特种设备使用登记表", "营业执照", "安装监督检验证书", "使用单位安全管理承诺书"]


def check_box(page, name: str):
    """The checkbox of a material in the window's check form, by the material's name."""
    return page.locator("[data-testid=check-material]").filter(has_text=name).locator("input[type=checkbox]")


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_window_issues_one_notice_for_the_missing_materials_and_accepts_once_they_are_supplied(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.approvals import services
    from hitechzone.approvals.models import Application, ItemType, Mode, Notice
    from hitechzone.enterprises.tests import factories as f

    bureau = f.DepartmentFactory(name="市市场监督管理局", short_name="市场监管局")
    f.UserFactory(username="window1", full_name="陈静", role=Role.DEPARTMENT, department=bureau)
    enterprise = f.EnterpriseFactory(name="浙江瑞丰氟材料有限公司")
    applicant = f.UserFactory(username="ruifeng", full_name="王总", role=Role.ENTERPRISE, enterprise=enterprise)
    item = services.item_create(
        by=None,
        code="330100-SCJG-017",
        department=bureau,
        name="特种设备使用登记",
        mode=Mode.ENTRUSTED,
        item_type=ItemType.COMMITMENT,
        statutory_limit=15,
        promised_limit=5,
        pre_reform_days=20,
        materials=[
            {"name": MATERIALS[0]},
            {"name": MATERIALS[1], "original": False},
            {"name": MATERIALS[2]},
            {"name": MATERIALS[3], "tolerable": True},
        ],
    )
    application = services.application_file(by=applicant, item=item, enterprise=enterprise, title="3号车间压力容器")
    url = f"{live_server.url}/approvals/applications/{application.pk}/"

    # The window, on a phone: its list, the received application, two of the four materials ticked.
    log_in(page, live_server, "window1")
    page.goto(f"{live_server.url}/approvals/applications/")
    rows = page.locator("[data-testid=application-row]")
    assert rows.count() == 1
    assert rows.first.locator("[data-testid=state]").get_attribute("data-state") == "received"
    rows.first.locator("a").first.click()
    page.wait_for_url(url)
    assert page.locator("[data-testid=check-material]").count() == 4
    check_box(page, MATERIALS[0]).check()
    check_box(page, MATERIALS[1]).check()
    assert fits_a_phone(page)
    page.click("[data-testid=check]")
    page.wait_for_url(url)

    # One notice, listing exactly the two missing materials; the application waits for them (补正中).
    assert page.locator("[data-testid=state]").first.get_attribute("data-state") == "correcting"
    notices = page.locator("[data-testid=notice]")
    assert notices.count() == 1
    listed = re.findall(r"^\d+\.\s*(.+?)（", notices.first.locator("[data-testid=notice-text]").inner_text(), re.M)
    assert listed == [MATERIALS[2], MATERIALS[3]]
    assert page.locator("[data-testid=action-check]").count() == 0
    application.refresh_from_db()
    assert (application.state, application.accepted_on) == (Application.State.CORRECTING, None)
    assert Notice.objects.filter(application=application).count() == 1
    assert fits_a_phone(page)

    # The enterprise, on its phone, supplies both (they come ticked: what the notice asks for).
    log_in(page, live_server, "ruifeng")
    page.goto(url)
    supply = page.locator("[data-testid=action-supply]")
    assert supply.locator("input[type=checkbox]:checked").count() == 2
    page.click("[data-testid=supply]")
    page.wait_for_url(url)
    assert page.locator("[data-testid=state]").first.get_attribute("data-state") == "received"
    supplied = page.locator("[data-testid=application-material] [data-status=supplied]")
    assert supplied.count() == 2

    # The window checks again: every material is ticked now; it accepts, and the clock starts.
    log_in(page, live_server, "window1")
    page.goto(url)
    for name in MATERIALS:
        assert check_box(page, name).is_checked()
    page.click("[data-testid=check]")
    page.wait_for_url(url)
    assert page.locator("[data-testid=state]").first.get_attribute("data-state") == "accepted"
    assert page.locator("[data-testid=light]").get_attribute("data-light") in ("green", "yellow")
    application.refresh_from_db()
    assert application.state == Application.State.ACCEPTED
    assert application.due_on is not None
    assert page.locator("[data-testid=due-on]").inner_text().strip() == application.due_on.isoformat()
    assert page.locator("[data-testid=remaining]").is_visible()
    steps = page.locator("[data-testid=step]")
    assert [steps.nth(i).get_attribute("data-action") for i in range(steps.count())] == [
        "file",
        "notice",
        "supply",
        "accept",
    ]
    assert fits_a_phone(page)
