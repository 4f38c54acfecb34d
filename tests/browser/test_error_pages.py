"""A role opening a page that is not for it meets a Chinese page inside the site's frame, with its own menu and the
way home, answered 403; an unknown address gets the same frame with 404 (issue 13, defect 2)."""

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (username, role, a page the role may not open): the cases the issue names.
REFUSED = [
    ("expert1", "expert", "/liaison/"),
    ("dept1", "dept", "/evaluation/"),
    ("dept1", "dept", "/imports/"),
    ("dept1", "dept", "/audit/"),
]


@pytest.mark.parametrize(("username", "role", "url"), REFUSED)
def test_a_page_not_for_the_role_is_a_framed_chinese_403_with_the_way_home(live_server, page, username, role, url):
    from hitechzone.enterprises.tests import factories as f

    department = f.DepartmentFactory(name="市经济和信息化局") if role == "dept" else None
    f.UserFactory(username=username, role=role, department=department)
    log_in(page, live_server, username)

    response = page.goto(f"{live_server.url}{url}")
    assert response.status == 403
    error = page.locator("[data-testid=error-page]")
    assert "您无权打开此页面" in error.inner_text()
    assert "Forbidden" not in page.content()
    assert "Not Found" not in page.content()
    assert page.locator("nav.navbar [data-testid=notification-bell]").count() == 1  # the frame of a signed-in user
    page.click("[data-testid=error-home]")
    page.wait_for_url(f"{live_server.url}/")


def test_an_unknown_address_is_a_framed_chinese_404(live_server, page):
    from hitechzone.enterprises.tests import factories as f

    f.UserFactory(username="leader1", role="leader")
    log_in(page, live_server, "leader1")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    assert "页面不存在" in page.locator("[data-testid=error-page]").inner_text()
    assert page.locator("[data-testid=error-home]").get_attribute("href") == "/"
