"""Deep pages through a deferred join (``common/paging.py``, issue 16 item 5): every page holds exactly the rows, in
exactly the order, that plain slicing gives — names repeated, joins and prefetches kept —, through the paginator,
the API and the registry's page, in a number of queries that does not grow with the page's depth."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.paging import DEFER_FROM, DeferredJoinPaginator, deferrable
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
