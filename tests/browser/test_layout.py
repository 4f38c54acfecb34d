"""The finish of the frame (issue 13, items 9 and 10): an empty chart says so, an export shows that it is working,
a module's sub-menu shows that it scrolls, the notification badge stays in the header, the English menu fits one
line at 1366 px, and the login page has a language switch."""

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1366, "height": 768}


def box(locator):
    b = locator.bounding_box()
    assert b is not None, locator
    return b


def inside(inner, outer):
    return (
        inner["x"] >= outer["x"]
        and inner["y"] >= outer["y"]
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    )


@pytest.fixture
def admin(db):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f

    return f.UserFactory(username="admin1", full_name="管理员", role=Role.ADMIN)


def test_a_chart_without_data_for_the_period_says_so_and_a_chart_of_counts_has_whole_ticks(live_server, page, admin):
    from hitechzone.enterprises.tests import factories as f

    f.EnterpriseFactory(brand=f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区"))
    log_in(page, live_server, "admin1")

    # The service officers' dashboard of a year without a visit: words, not bare axes with ticks 0.2, 0.4 …
    page.goto(f"{live_server.url}/liaison/")
    chart = page.locator("[data-testid=month-chart]")
    assert chart.get_attribute("data-empty") == "1"
    assert chart.inner_text().strip() == "本期暂无数据"
    assert "本期暂无数据" in chart.get_attribute("aria-label")
    assert chart.locator("canvas").count() == 0

    # The home page's enterprises per brand: counts, drawn, whole-number ticks, the unit title not clipped.
    page.goto(f"{live_server.url}/")
    brands = page.locator("[data-chart=brand-chart]")
    assert brands.get_attribute("data-rendered") == "1"
    assert brands.get_attribute("data-empty") is None
    assert brands.locator("canvas").count() == 1
    y_axis = page.evaluate(
        "() => echarts.getInstanceByDom(document.querySelector('[data-chart=brand-chart]')).getOption().yAxis[0]"
    )
    assert y_axis["minInterval"] == 1
    assert y_axis["nameTextStyle"]["align"] == "left"  # the title runs inwards from the axis, never off the grid


def test_an_export_shows_that_it_is_working_then_delivers_the_file(live_server, page, admin):
    page.set_viewport_size(DESK)
    log_in(page, live_server, "admin1")
    page.goto(f"{live_server.url}/audit/")
    button = page.locator("[data-testid=export-xlsx]")
    assert "export=xlsx" in button.get_attribute("href")  # the plain link still downloads without JS
    label = button.inner_text()
    # Every state the button goes through, recorded as it happens (no timing).
    page.evaluate(
        """() => {
        const a = document.querySelector('[data-testid=export-xlsx]');
        window.exportStates = [];
        new MutationObserver(() => window.exportStates.push({
            busy: a.getAttribute('aria-busy'), disabled: a.classList.contains('disabled'),
            spinner: !!a.querySelector('.spinner-border'), text: a.textContent.trim()})
        ).observe(a, {attributes: true, childList: true, subtree: true, characterData: true});
    }"""
    )
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as fh:
        assert fh.read(2) == b"PK"  # an xlsx is a zip
    page.wait_for_function("() => !document.querySelector('[data-testid=export-xlsx]').hasAttribute('aria-busy')")
    states = page.evaluate("() => window.exportStates")
    assert {"busy": "true", "disabled": True, "spinner": True, "text": "正在生成……"} in states
    assert button.inner_text() == label  # back to itself, ready again
    assert "disabled" not in button.get_attribute("class")


def test_a_module_sub_menu_on_a_phone_shows_that_it_scrolls_and_opens_on_its_active_tab(live_server, page, admin):
    log_in(page, live_server, "admin1")  # the page fixture is a phone: 390 px
    page.goto(f"{live_server.url}/approvals/")
    nav = page.locator("[data-testid=approvals-nav]")
    assert nav.evaluate("n => n.scrollWidth > n.clientWidth")
    classes = nav.get_attribute("class").split()
    assert "more-after" in classes  # the cue: the right edge fades
    assert "more-before" not in classes
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=approvals-nav]')).maskImage")
        != "none"
    )

    # A tab far to the right: the page opens with it in view, and both edges fade.
    page.goto(f"{live_server.url}/approvals/overdue/")
    nav = page.locator("[data-testid=approvals-nav]")
    assert inside(box(nav.locator("a.active")), box(nav))
    nav.evaluate("n => { n.scrollLeft = n.scrollWidth; n.dispatchEvent(new Event('scroll')); }")
    classes = nav.get_attribute("class").split()
    assert "more-before" in classes
    assert "more-after" not in classes


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, DESK], ids=["phone", "desk"])
def test_a_two_digit_notification_badge_stays_inside_the_header(live_server, page, admin, viewport):
    from hitechzone.common.models import Notification

    for i in range(12):
        Notification.objects.create(user=admin, kind="reminder", text=f"提醒 {i}", key=f"reminder-{i}")
    page.set_viewport_size(viewport)
    log_in(page, live_server, "admin1")
    badge = page.locator("[data-testid=notification-count]")
    assert badge.inner_text() == "12"
    assert inside(box(badge), box(page.locator("nav.navbar")))
    assert inside(box(badge), {"x": 0, "y": 0, **viewport})


def test_the_english_menu_stays_on_one_line_at_1366_px(live_server, page, admin):
    page.set_viewport_size(DESK)
    log_in(page, live_server, "admin1")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/approvals/")
    assert page.locator("html").get_attribute("lang") == "en"
    header = box(page.locator("nav.navbar"))
    assert header["height"] < 64  # one line (two were 115 px)
    tops = {round(box(a)["y"]) for a in page.locator("#mainnav > .navbar-nav > li > a").all()}
    assert len(tops) == 1
    assert page.locator("nav.navbar > .container-fluid").evaluate("c => c.scrollWidth <= c.clientWidth")
    assert inside(box(page.locator("[data-testid=notification-bell]")), header)
    # What did not fit is one click away, in menu order.
    more = page.locator("[data-testid=menu-more]")
    assert more.locator("a.dropdown-toggle").inner_text().strip() == "More"
    more.locator("a.dropdown-toggle").click()
    assert more.locator(".dropdown-menu").is_visible()
    assert more.locator(".dropdown-menu a").count() >= 1
    assert "Approval centre" in page.locator("#mainnav > .navbar-nav > li > a.active").inner_text()

    # In Chinese everything fits: no "more".
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    page.goto(f"{live_server.url}/approvals/")
    assert page.locator("[data-testid=menu-more]").count() == 0
    assert len({round(box(a)["y"]) for a in page.locator("#mainnav > .navbar-nav > li > a").all()}) == 1


def test_the_login_page_switches_to_english_and_back(live_server, page):
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "登录园区平台"
    switch = page.locator("[data-testid=language-switch] select")
    with page.expect_navigation():
        switch.select_option("en")
    assert page.url.startswith(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Log in to the zone platform"
    with page.expect_navigation():
        page.locator("[data-testid=language-switch] select").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "登录园区平台"


def test_an_export_from_a_menu_shows_its_working_state_on_the_menu_button(live_server, page, admin):
    from hitechzone.enterprises.tests import factories as f

    f.IndicatorFactory(enterprise=f.EnterpriseFactory(), year=2025)
    page.set_viewport_size(DESK)
    log_in(page, live_server, "admin1")
    page.goto(f"{live_server.url}/enterprises/")
    toggle = page.locator("button.dropdown-toggle", has_text="导出年度指标")
    toggle.evaluate(
        """b => {
        window.menuStates = [];
        new MutationObserver(() => window.menuStates.push({disabled: b.disabled, text: b.textContent.trim()}))
            .observe(b, {attributes: true, childList: true, subtree: true});
    }"""
    )
    toggle.click()
    with page.expect_download() as download_info:
        page.locator("a[data-export]", has_text="2025").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
    page.wait_for_function("() => !document.querySelector('a[data-export]').hasAttribute('aria-busy')")
    assert {"disabled": True, "text": "正在生成……"} in page.evaluate("() => window.menuStates")
    assert toggle.is_enabled()
