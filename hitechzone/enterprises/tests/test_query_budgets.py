"""No N+1: a list costs the same number of SQL queries with 3 rows as with 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.accounts.models import Role
from hitechzone.enterprises.models import Industry
from hitechzone.enterprises.tests import factories as f

# A list answers in a handful of queries (session, user, count, page, prefetches, the filter menus).
CEILING = 15

URLS = [
    pytest.param("/enterprises/", id="enterprise-page"),
    pytest.param("/enterprises/?brand=gaoxin,lvchan&is_above_scale=true&q=有限公司", id="enterprise-page-filtered"),
    pytest.param("/zone/parcels/", id="parcel-page"),
    pytest.param("/api/v1/enterprises/", id="enterprise-api"),
    pytest.param("/api/v1/enterprises/?chain=fluorine", id="enterprise-api-by-chain"),
    pytest.param("/api/v1/parcels/", id="parcel-api"),
    pytest.param("/api/v1/enterprise-indicators/", id="indicator-api"),
    pytest.param("/api/v1/contacts/", id="contact-api"),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Zone:
    """A zone that grows: every enterprise has an industry, a functional area, a block, two chains, two years of
    indicators, a parcel, a contact and an officer."""

    def __init__(self):
        self.brands = [f.BrandFactory(code="gaoxin"), f.BrandFactory(code="lvchan")]
        self.areas = [f.FunctionalAreaFactory(brand=b) for b in self.brands]
        self.blocks = [f.BlockFactory(brand=b) for b in self.brands]
        self.chains = [f.ChainFactory(code=c) for c in ("fluorine", "organosilicon", "fine-chemicals")]
        self.industries = list(Industry.objects.filter(level="class").order_by("code")[:4])
        self.admin = f.UserFactory(username="admin", role=Role.ADMIN, is_superuser=True, is_staff=True)
        self.officer = f.UserFactory(username="officer", role=Role.OFFICER)
        self.n = 0

    def grow_to(self, total: int) -> None:
        while self.n < total:
            i, self.n = self.n, self.n + 1
            side = i % 2
            enterprise = f.EnterpriseFactory(
                brand=self.brands[side],
                functional_area=self.areas[side],
                block=self.blocks[side],
                industry=self.industries[i % len(self.industries)],
            )
            enterprise.chains.set([self.chains[i % 3], self.chains[(i + 1) % 3]])
            for year in (2024, 2025):
                f.IndicatorFactory(enterprise=enterprise, year=year)
            f.ParcelFactory(
                brand=self.brands[side],
                block=self.blocks[side],
                functional_area=self.areas[side],
                enterprise=enterprise,
            )
            f.ContactFactory(enterprise=enterprise)
            f.AssignmentFactory(officer=self.officer, enterprise=enterprise)


def queries_for(client, url: str) -> int:
    client.get(url, HTTP_ACCEPT="application/json")  # warm up: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_a_list_costs_as_many_queries_with_30_rows_as_with_3(db, client, url, persona):
    zone = Zone()
    client.force_login(getattr(zone, persona))
    zone.grow_to(3)
    small = queries_for(client, url)
    zone.grow_to(30)
    large = queries_for(client, url)
    assert large == small, f"{url} as {persona}: {small} queries with 3 enterprises, {large} with 30"
    assert large <= CEILING, f"{url} as {persona}: {large} queries"


def test_the_rows_are_really_there(db, client):
    zone = Zone()
    zone.grow_to(30)
    client.force_login(zone.officer)
    assert client.get("/api/v1/enterprises/").json()["count"] == 30
    assert client.get("/api/v1/enterprise-indicators/").json()["count"] == 60
    page = client.get("/enterprises/").content.decode()
    assert page.count('class="badge text-bg-light border"') == 2 * 25  # two chains on each of 25 rows
