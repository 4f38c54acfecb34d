"""Deep pages through a deferred join (``common/paging.py``, issue 16 item 5): every page holds exactly the rows, in
exactly the order, that plain slicing gives — names repeated, joins and prefetches kept —, through the paginator,
the API and the registry's page, in a number of queries that does not grow with the page's depth."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.paging import DEFER_FROM, DeferredJoinPaginator, deferrable, keyset_page
from hitechzone.enterprises.models import Enterprise, IndustryChain
from hitechzone.enterprises.tests.factories import BrandFactory, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(zone):
    """Past the deferred join's threshold: 600 more enterprises, a name every three, every tenth in a chain."""
    brand = BrandFactory(code="deep", name="深页园区", short_name="深页")
    made = Enterprise.objects.bulk_create(
        [
            Enterprise(uscc=valid_uscc(), name=f"深页企业{n // 3:04d}有限公司", brand=brand)
            for n in range(DEFER_FROM + 100)
        ]
    )
    chain = IndustryChain.objects.order_by("pk").first()
    chain.enterprises.add(*made[::10])
    return made


def test_every_page_is_the_plain_slice_with_repeated_names_joins_and_prefetches(registry):
    qs = Enterprise.objects.select_related("brand").prefetch_related("chains").order_by("name", "id")
    plain, deferred = Paginator(qs, 7, orphans=2), DeferredJoinPaginator(qs, 7, orphans=2, defer_from=0)
    assert (deferred.count, deferred.num_pages) == (plain.count, plain.num_pages)
    for number in deferred.page_range:
        page = deferred.page(number)
        expected = list(plain.page(number))
        assert [e.pk for e in page] == [e.pk for e in expected]
        assert [(e.brand.code, [c.code for c in e.chains.all()]) for e in page] == [
            (e.brand.code, [c.code for c in e.chains.all()]) for e in expected
        ]


def test_a_page_in_descending_order_and_a_filtered_one_are_the_plain_slices_too(registry):
    for qs in (
        Enterprise.objects.order_by("-name", "-id"),
        Enterprise.objects.filter(name__contains="企业01").order_by("name", "id"),
    ):
        for number in (1, 2, 3):
            assert [e.pk for e in DeferredJoinPaginator(qs, 5, defer_from=0).page(number)] == [
                e.pk for e in Paginator(qs, 5).page(number)
            ]


def test_what_cannot_be_read_by_its_keys_alone_is_paged_as_it_is(registry):
    assert deferrable(Enterprise.objects.order_by("name", "id"))
    assert not deferrable(Enterprise.objects.all().order_by())  # unordered
    assert not deferrable(Enterprise.objects.order_by("name").values("name"))
    assert not deferrable(Enterprise.objects.order_by("name").distinct())
    assert not deferrable(list(Enterprise.objects.all()))
    names = Enterprise.objects.order_by("name").values_list("name", flat=True).distinct()
    assert list(DeferredJoinPaginator(names, 10, defer_from=0).page(2)) == list(Paginator(names, 10).page(2))


def test_a_deep_api_page_holds_the_plain_slices_rows_in_as_many_queries_as_the_first(zone, registry, api_as):
    api = api_as(zone.users.admin)
    ordered = list(Enterprise.objects.order_by("name", "id").values_list("pk", flat=True))
    size, deep = 50, DEFER_FROM // 50 + 2

    def page(number):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"/api/v1/enterprises/?page={number}&page_size={size}")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]], len(ctx.captured_queries)

    first, first_queries = page(1)
    rows, queries = page(deep)
    assert first == ordered[:size]
    assert rows == ordered[(deep - 1) * size : deep * size]
    assert queries == first_queries + 1  # the page's keys first


def test_a_deep_page_of_the_registry_lists_the_plain_slices_names(zone, registry, client):
    client.force_login(zone.users.admin)
    names = list(Enterprise.objects.order_by("name", "id").values_list("name", flat=True))
    deep = DEFER_FROM // 25 + 3
    response = client.get(f"/enterprises/?page={deep}")
    assert response.status_code == 200
    body = response.content.decode()
    shown = list(dict.fromkeys(names[(deep - 1) * 25 : deep * 25]))
    assert all(name in body for name in shown)
    assert names[0] not in body  # page 1's, repeated only there


# --- The API's cursor -----------------------------------------------------------------------------------------------


def test_walking_the_registry_by_cursor_gives_every_row_once_in_order_at_a_constant_cost(zone, registry, api_as):
    api = api_as(zone.users.admin)
    ordered = list(Enterprise.objects.order_by("name", "id").values_list("pk", flat=True))
    seen, costs = [], set()
    url = "/api/v1/enterprises/?cursor=&page_size=37"
    while url:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"next", "results"}
        seen += [row["id"] for row in body["results"]]
        costs.add(len(ctx.captured_queries))
        url = body["next"]
    assert seen == ordered
    assert len(costs) <= 2  # the last page reads no key for a next cursor


def test_a_descending_or_filtered_walk_by_keys_is_the_plain_order(registry):
    for qs in (
        Enterprise.objects.order_by("-name", "-id"),
        Enterprise.objects.filter(name__contains="企业00").order_by("name"),  # made total with the id
    ):
        walked, cursor = [], ""
        while True:
            rows, cursor = keyset_page(qs, cursor, 11)
            walked += [e.pk for e in rows]
            if cursor is None:
                break
        assert walked == list(qs.order_by(*qs.query.order_by, "pk").values_list("pk", flat=True))


def test_a_foreign_cursor_or_a_list_that_cannot_be_walked_is_a_400_naming_the_cursor(zone, registry, api_as):
    api = api_as(zone.users.admin)
    first = api.get("/api/v1/enterprises/?cursor=&page_size=5").json()
    other = first["next"].split("cursor=")[1].split("&")[0]
    for bad in ("not-a-cursor", "e30", other[:-4]):
        response = api.get(f"/api/v1/enterprises/?cursor={bad}")
        assert response.status_code == 400
        assert "cursor" in response.json()
    # indicators are ordered by their enterprise, i.e. by the enterprise's own ordering: no key of theirs to walk
    response = api.get("/api/v1/enterprise-indicators/?cursor=")
    assert response.status_code == 400
    assert "?page=" in response.json()["cursor"][0]
