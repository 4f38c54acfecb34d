"""The name search (issue 16 item 4): on PostgreSQL a two-character (or longer) fragment is found through the bigram
index of migration 0008, and the search returns exactly what ``icontains`` returns — a property over fragments of
one to four characters, Chinese and Latin, upper and lower case, on names that share most of their characters."""

import random

import pytest
from django.db import connection
from django.db.models import Q
from hypothesis import given, settings
from hypothesis import strategies as st

from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.tests.factories import BrandFactory, valid_uscc
from hitechzone.enterprises.uscc import normalise

pytestmark = pytest.mark.django_db

ALPHABET = "衡图衡聚科技化工Ab b%_"


def plain(q: str):
    """The search as it was: ``icontains`` on the name, or the USCC's beginning."""
    q = q.strip()
    return Enterprise.objects.filter(Q(name__icontains=q) | Q(uscc__startswith=normalise(q)))


@pytest.fixture
def names(db):
    rng = random.Random(16)
    brand = BrandFactory(code="bigram", name="二元园区", short_name="二元")
    Enterprise.objects.bulk_create(
        [
            Enterprise(uscc=valid_uscc(), name="".join(rng.choices(ALPHABET, k=rng.randint(1, 9))), brand=brand)
            for _ in range(300)
        ]
    )


def test_the_search_returns_exactly_what_icontains_returns(names):
    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet=ALPHABET, min_size=1, max_size=4))
    def same(q):
        if not q.strip():
            return
        assert set(Enterprise.objects.search(q).values_list("pk", flat=True)) == set(
            plain(q).values_list("pk", flat=True)
        )

    same()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_a_two_character_fragment_is_looked_up_in_the_bigram_index(names):
    sql, params = Enterprise.objects.search("衡图").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny: ask whether the index can serve
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "enterprise_name_bigrams" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the function is PostgreSQL's")
def test_the_bigrams_of_a_name_are_its_distinct_two_character_substrings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT hz_bigrams(%s), hz_bigrams(%s), hz_bigrams(%s)", ["衡图衡图", "衡", ""])
        assert cursor.fetchone() == (["图衡", "衡图"], [], [])
