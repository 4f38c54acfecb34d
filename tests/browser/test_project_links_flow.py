"""An investment officer on a phone finds freed land on offer, places his project on it, links the project to its
new enterprise (投产), and reads the chain old occupant → exit case → project on the parcel's page (issue 14, items
10-11). Nothing is wider than the phone."""

import re
from datetime import date
from decimal import Decimal

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_places_his_project_on_freed_land_and_links_its_enterprise_on_a_phone(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.models import Assignment
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.projects import services
    from hitechzone.projects.models import ProjectEnterprise
    from hitechzone.zone.services import parcels_release

    brand = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    foundry = f.EnterpriseFactory(name="示例铸造有限公司", brand=brand)
    parcel = f.ParcelFactory(brand=brand, enterprise=None, code="GX-2025-017", area_mu=Decimal(30))
    parcels_release(parcels=[parcel], former_enterprise=foundry, released_on=date(2026, 4, 28), reference="TL-2025-004")
    officer = f.UserFactory(username="zs1", full_name="王招商", role=Role.OFFICER)
    investor = services.investor_create(by=officer, name="示例电机有限公司", uscc=f.valid_uscc(9001))
    project = services.project_create(by=officer, name="年产20万台高效电机项目", investor=investor, land_mu=Decimal(30))

    log_in(page, live_server, "zs1")
    page.goto(f"{live_server.url}/projects/land/")
    assert "GX-2025-017" in page.inner_text("[data-testid=available-land]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.click("[data-testid=place-project]")
    page.wait_for_url(f"**/projects/{project.pk}/parcels/")
    page.check(f"input[value='{parcel.pk}']")
    page.click("[data-testid=submit-link]")
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    assert "示例铸造有限公司" in page.inner_text("[data-testid=project-land]")

    page.click("[data-testid=link-enterprise]")
    page.wait_for_url(f"**/projects/{project.pk}/enterprise/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-testid=submit-link]")
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    link = ProjectEnterprise.objects.get(project=project)
    assert Assignment.objects.get(enterprise=link.enterprise).officer == officer
    assert "示例电机有限公司" in page.inner_text("[data-testid=linked-enterprise]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/zone/parcels/{parcel.pk}/")
    chain = page.inner_text("[data-testid=land-chain]")
    assert all(
        name in chain for name in ("示例铸造有限公司", "TL-2025-004", "年产20万台高效电机项目", "示例电机有限公司")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
