"""An officer on a phone opens one of their enterprises, taps "record a visit" there, and finds the visit on the
enterprise's page afterwards (issue 13, item 12)."""

import pytest

from .test_visit_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_visit_from_the_enterprise_page_on_a_phone(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.liaison.models import Visit

    brand = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    first = f.EnterpriseFactory(name="浙江瑞丰氟材料有限公司", brand=brand)
    second = f.EnterpriseFactory(name="浙江瑞丰硅业有限公司", brand=brand)
    officer = f.UserFactory(username="officer1", full_name="张晓明", role=Role.OFFICER)
    f.AssignmentFactory(officer=officer, enterprise=first)
    f.AssignmentFactory(officer=officer, enterprise=second)

    log_in(page, live_server, "officer1")
    page.goto(f"{live_server.url}/enterprises/{second.pk}/")
    visits = page.locator("[data-testid=section-visits]")
    assert visits.is_visible()
    assert "近期走访" in visits.inner_text()
    assert page.locator("[data-testid=enterprise-visit]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    # The action is in view without scrolling, and opens the form with this enterprise (of two) chosen.
    action = page.locator("[data-testid=record-visit]")
    assert action.is_visible()
    assert action.bounding_box()["y"] < 844
    action.click()
    page.wait_for_url(f"**/liaison/visits/new/?enterprise={second.pk}")
    assert page.input_value("#id_enterprise") == str(second.pk)
    page.fill("#id_people_met", "王总")
    page.fill("#id_notes", "新产线试产顺利")
    page.click("[data-testid=save-visit]")
    page.wait_for_url("**/liaison/visits/?highlight=*")
    visit = Visit.objects.get()
    assert (visit.officer_id, visit.enterprise_id) == (officer.pk, second.pk)

    # Back on the enterprise's page: the visit is listed, with the link to the whole log of this enterprise.
    page.goto(f"{live_server.url}/enterprises/{second.pk}/")
    assert page.locator("[data-testid=enterprise-visit]").count() == 1
    assert "新产线试产顺利" in page.locator("[data-testid=section-visits]").inner_text()
    visits.locator("[data-testid=section-more]").click()
    page.wait_for_url(f"**/liaison/visits/?enterprise={second.pk}")
    assert page.locator("[data-testid=visit-row]").count() == 1
