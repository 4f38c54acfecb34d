"""The energy-ranking, price-tier and surcharge API: scoping, administrators-only writes, query budgets."""

from decimal import Decimal

import pytest

from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import energy, prices
from hitechzone.evaluation.models import EnergyRanking, PriceTier
from hitechzone.evaluation.tests.test_prices import publish, rankings

Y = 2024


@pytest.fixture
def ranked(zone):
    for indicator, tce in ((zone.indicator_a, 10), (zone.indicator_b, 20)):
        indicator.year, indicator.value_added_wan_yuan, indicator.energy_tce = Y, Decimal(100), Decimal(tce)
        indicator.save()
    return energy.rank_energy(by=zone.users.admin, year=Y)


# --- Rankings -------------------------------------------------------------------------------------------------------


def test_an_administrator_ranks_a_year_by_post_and_gets_the_entries(zone, api_as):
    for indicator in (zone.indicator_a, zone.indicator_b):
        indicator.year, indicator.value_added_wan_yuan, indicator.energy_tce = Y, Decimal(100), Decimal(10)
        indicator.save()
    response = api_as(zone.users.admin).post("/api/v1/energy-rankings/", {"year": Y}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["year"], body["ranked"], body["electricity_basis"], body["rankings_up_to"]) == (Y, 2, "calorific", 1)
    assert [e["rank"] for e in body["entries"]] == [1, 2]
    assert {"uscc", "name", "intensity", "energy_source", "industry_rank"} <= set(body["entries"][0])


@pytest.mark.parametrize("persona", ["leader", "officer_a", "ent_a", "dept_a", "expert_a"])
def test_only_administrators_rank_through_the_api(zone, api_as, persona):
    response = api_as(getattr(zone.users, persona)).post("/api/v1/energy-rankings/", {"year": Y}, format="json")
    assert response.status_code == 403
    assert not EnergyRanking.objects.exists()


def test_a_ranking_is_retrieved_with_the_entries_the_user_may_see(zone, api_as, ranked):
    url = f"/api/v1/energy-rankings/{ranked.pk}/"
    assert len(api_as(zone.users.leader).get(url).json()["entries"]) == 2
    for persona in ("ent_a", "officer_a"):
        entries = api_as(getattr(zone.users, persona)).get(url).json()["entries"]
        assert [(e["uscc"], e["rank"]) for e in entries] == [(zone.ent_a.uscc, 1)]
    for persona in ("dept_a", "expert_a"):
        assert api_as(getattr(zone.users, persona)).get(url).status_code == 404
        assert api_as(getattr(zone.users, persona)).get("/api/v1/energy-rankings/").json()["count"] == 0


def test_the_entries_page_through_and_filter_by_industry_division(zone, api_as, ranked):
    zone.ent_a.industry_id = "2614"
    zone.ent_a.save()
    ranking = energy.rank_energy(by=zone.users.admin, year=Y)
    client = api_as(zone.users.admin)
    body = client.get(f"/api/v1/energy-rankings/{ranking.pk}/entries/", {"industry": "26"}).json()
    assert body["count"] == 1
    assert body["results"][0]["uscc"] == zone.ent_a.uscc
    assert body["results"][0]["industry_code"] == "26"
    assert client.get("/api/v1/energy-rankings/", {"year": Y}).json()["count"] == 1


def test_the_ranking_list_reads_a_constant_number_of_queries(zone, api_as, django_assert_max_num_queries):
    for year in range(2015, 2025):
        energy.rank_energy(by=zone.users.admin, year=year)
    client = api_as(zone.users.leader)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/energy-rankings/").json()["count"] == 10


def test_the_entries_read_a_constant_number_of_queries(zone, api_as, django_assert_max_num_queries):
    for n in range(30):
        e = f.EnterpriseFactory(uscc=f.valid_uscc(700_000 + n))
        f.IndicatorFactory(enterprise=e, year=Y, value_added_wan_yuan=Decimal(100), energy_tce=Decimal(10 + n))
    ranking = energy.rank_energy(by=zone.users.admin, year=Y)
    client = api_as(zone.users.admin)
    with django_assert_max_num_queries(8):
        assert client.get(f"/api/v1/energy-rankings/{ranking.pk}/entries/").json()["count"] == 30


# --- Price tiers ----------------------------------------------------------------------------------------------------


def test_an_administrator_writes_tiers_and_every_signed_in_user_reads_them(zone, api_as):
    admin = api_as(zone.users.admin)
    body = {
        "year": Y,
        "class": "D",
        "min_years_in_class": 1,
        "electricity_yuan_per_kwh": "0.3",
        "water_yuan_per_t": "1",
    }
    response = admin.post("/api/v1/price-tiers/", body, format="json")
    assert response.status_code == 201, response.content
    tier = response.json()
    assert (tier["class"], tier["electricity_yuan_per_kwh"]) == ("D", "0.3000")
    assert admin.post("/api/v1/price-tiers/", body, format="json").status_code == 400  # the same tier twice
    response = admin.patch(f"/api/v1/price-tiers/{tier['id']}/", {"electricity_yuan_per_kwh": "0.35"}, format="json")
    assert response.status_code == 200, response.content
    assert PriceTier.objects.get().electricity_yuan_per_kwh == Decimal("0.3500")
    for persona in ("leader", "officer_a", "ent_a", "dept_a", "expert_a"):
        assert api_as(getattr(zone.users, persona)).get("/api/v1/price-tiers/", {"year": Y}).json()["count"] == 1
    assert api_as(zone.users.admin).delete(f"/api/v1/price-tiers/{tier['id']}/").status_code == 204
    assert not PriceTier.objects.exists()


def test_the_demo_tiers_load_through_the_api(zone, api_as):
    response = api_as(zone.users.admin).post("/api/v1/price-tiers/defaults/", {"year": Y}, format="json")
    assert response.status_code == 201
    assert sorted((t["class"], t["min_years_in_class"]) for t in response.json()) == [("C", 1), ("D", 1), ("D", 3)]


@pytest.mark.parametrize("persona", ["leader", "officer_a", "ent_a"])
def test_only_administrators_write_tiers_through_the_api(zone, api_as, persona):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    tier = PriceTier.objects.first()
    client = api_as(getattr(zone.users, persona))
    body = {"year": Y, "class": "C", "min_years_in_class": 2, "electricity_yuan_per_kwh": "1", "water_yuan_per_t": "1"}
    assert client.post("/api/v1/price-tiers/", body, format="json").status_code == 403
    assert client.patch(f"/api/v1/price-tiers/{tier.pk}/", {"water_yuan_per_t": "9"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/price-tiers/{tier.pk}/").status_code == 403
    assert client.post("/api/v1/price-tiers/defaults/", {"year": Y + 1}, format="json").status_code == 403
    assert PriceTier.objects.count() == 3


# --- Surcharges -----------------------------------------------------------------------------------------------------


def test_the_surcharge_list_says_whether_it_is_in_force(zone, api_as):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    zone.indicator_a.year, zone.indicator_a.electricity_wan_kwh = Y, Decimal(10)
    zone.indicator_a.save()
    run = publish(Y, {zone.ent_a: "D", zone.ent_b: "A"})
    client = api_as(zone.users.leader)
    body = client.get("/api/v1/evaluation/surcharges/", {"year": Y}).json()
    assert (body["effective"], body["rankings_up_to"], body["rankings_needed"], body["run"]) == (False, 0, 3, run.pk)
    (row,) = body["rows"]
    assert (row["uscc"], row["class"], row["years_in_class"], row["electricity_yuan"]) == (
        zone.ent_a.uscc,
        "D",
        1,
        "30000.00",
    )
    assert body["totals"]["electricity_yuan"] == "30000.00"
    rankings(Y - 2, Y - 1, Y)
    assert client.get("/api/v1/evaluation/surcharges/", {"year": Y}).json()["effective"] is True


@pytest.mark.parametrize("persona", ["officer_a", "ent_a", "dept_a", "expert_a"])
def test_the_surcharge_list_is_for_administrators_and_leaders(zone, api_as, persona):
    response = api_as(getattr(zone.users, persona)).get("/api/v1/evaluation/surcharges/", {"year": Y})
    assert response.status_code == 403


def test_a_bad_year_is_a_400(zone, api_as):
    assert api_as(zone.users.admin).get("/api/v1/evaluation/surcharges/", {"year": "20x4"}).status_code == 400
