"""The park indicators on hand-computed data (2024; the zone's own indicator rows are of 2025).

ent_a: output 10 000 (10k yuan), energy 2 000 tce, land 40 mu; fresh water 50 000 t, reused 150 000 t, solid waste
1 000 t generated / 800 t used, main resources 5 000 t.
ent_b: output 6 000, energy 1 000 tce, land 20 mu; fresh water 30 000 t, reused 10 000 t, solid waste 500 / 100 t,
no main resources reported.
ent_c: output 4 000, land 10 mu, no energy, no resource data.
Flows: ent_a by-product HCl 1 000 t (purity 0.9) and a mixture 500 t (no formula); ent_b emits HCl 100 t.
Exchange: ent_a → ent_b, HCl 600 t.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hitechzone.circular import indicators
from hitechzone.circular.models import Exchange, Flow, Material, ResourceYear
from hitechzone.common.rules import Refused
from hitechzone.enterprises.tests import factories as f

YEAR = 2024
D = Decimal


@pytest.fixture
def park(zone):
    ent_c = f.EnterpriseFactory(brand=zone.brand_a)
    f.IndicatorFactory(
        enterprise=zone.ent_a, year=YEAR, gross_output_wan_yuan=D(10000), energy_tce=D(2000), land_mu=D(40)
    )
    f.IndicatorFactory(
        enterprise=zone.ent_b, year=YEAR, gross_output_wan_yuan=D(6000), energy_tce=D(1000), land_mu=D(20)
    )
    f.IndicatorFactory(enterprise=ent_c, year=YEAR, gross_output_wan_yuan=D(4000), energy_tce=None, land_mu=D(10))
    ResourceYear.objects.create(
        enterprise=zone.ent_a,
        year=YEAR,
        fresh_water_t=D(50000),
        reused_water_t=D(150000),
        solid_waste_generated_t=D(1000),
        solid_waste_used_t=D(800),
        main_resources_t=D(5000),
    )
    ResourceYear.objects.create(
        enterprise=zone.ent_b,
        year=YEAR,
        fresh_water_t=D(30000),
        reused_water_t=D(10000),
        solid_waste_generated_t=D(500),
        solid_waste_used_t=D(100),
    )
    hcl = Material.objects.create(code="hcl", name="氯化氢", formula="HCl")
    mix = Material.objects.create(code="tar", name="焦油", formula="")
    Flow.objects.create(
        enterprise=zone.ent_a, year=YEAR, material=hcl, role=Flow.Role.BYPRODUCT, quantity_t=D(1000), purity=D("0.9")
    )
    Flow.objects.create(enterprise=zone.ent_a, year=YEAR, material=mix, role=Flow.Role.BYPRODUCT, quantity_t=D(500))
    Flow.objects.create(enterprise=zone.ent_b, year=YEAR, material=hcl, role=Flow.Role.EMISSION, quantity_t=D(100))
    Flow.objects.create(enterprise=zone.ent_b, year=YEAR, material=hcl, role=Flow.Role.INPUT, quantity_t=D(600))
    Exchange.objects.create(
        year=YEAR,
        supplier=zone.ent_a,
        receiver=zone.ent_b,
        material=hcl,
        quantity_t=D(600),
        mode=Exchange.Mode.PIPELINE,
        distance_km=D("1.5"),
    )
    return zone


def _by_key(rows):
    return {row["key"]: row for row in rows}


def test_the_productivities_count_only_the_enterprises_that_reported_both_figures(park):
    rows = _by_key(indicators.park_indicators(year=YEAR))
    resource = rows["resource_productivity"]
    assert (resource["numerator"], resource["denominator"], resource["enterprises"]) == (10000, 5000, 1)
    assert resource["value"] == pytest.approx(2.0)
    assert resource["unit"] == "10k yuan/t"
    assert rows["energy_productivity"]["value"] == pytest.approx(16000 / 3000)
    assert rows["energy_productivity"]["enterprises"] == 2
    assert rows["land_productivity"]["value"] == pytest.approx(20000 / 70)
    assert rows["land_productivity"]["enterprises"] == 3


def test_water_productivity_is_in_yuan_per_cubic_metre(park):
    water = _by_key(indicators.park_indicators(year=YEAR))["water_productivity"]
    assert water["unit"] == "yuan/m³"
    assert water["numerator"] == pytest.approx(16000 * 10000)
    assert water["denominator"] == pytest.approx(80000)
    assert water["value"] == pytest.approx(2000)


def test_the_rates_are_percentages_of_the_hand_computed_totals(park):
    rows = _by_key(indicators.park_indicators(year=YEAR))
    assert rows["solid_waste_utilisation"]["value"] == pytest.approx(900 / 1500 * 100)
    assert rows["water_reuse"]["value"] == pytest.approx(160000 / 240000 * 100)
    assert rows["water_reuse"]["denominator"] == pytest.approx(240000)
    by_product = rows["byproduct_utilisation"]
    assert (by_product["numerator"], by_product["denominator"]) == (600, 1500)
    assert by_product["value"] == pytest.approx(40.0)
    assert all(row["formula"] for row in rows.values())


def test_a_product_sold_to_a_neighbour_and_more_than_arose_do_not_count_as_by_products_used(park):
    product = Material.objects.create(code="dmdcs", name="二甲基二氯硅烷", formula="(CH3)2SiCl2")
    Flow.objects.create(enterprise=park.ent_b, year=YEAR, material=product, role=Flow.Role.PRODUCT, quantity_t=D(900))
    exchange = {"year": YEAR, "receiver": park.ent_a, "mode": Exchange.Mode.PIPELINE, "distance_km": D(1)}
    Exchange.objects.create(supplier=park.ent_b, material=product, quantity_t=D(900), **exchange)  # trade
    hcl = Material.objects.get(code="hcl")
    Exchange.objects.create(supplier=park.ent_b, material=hcl, quantity_t=D(300), **exchange)  # 100 t emitted
    rows = _by_key(indicators.park_indicators(year=YEAR))
    assert rows["byproduct_utilisation"]["numerator"] == 600  # ent_b's HCl is an emission, not a by-product
    # Chlorine: ent_a's 540 t as before, plus at most the 100 t ent_b reports as an emission (purity 1).
    assert rows["recovery_Cl"]["value"] == pytest.approx(64.0)
    assert "recovery_Si" not in rows


def test_an_elements_recovery_weighs_purity_and_mass_fraction(park):
    from hitechzone.circular.chemistry import mass_fractions

    rows = _by_key(indicators.park_indicators(year=YEAR))
    chlorine = rows["recovery_Cl"]
    share = mass_fractions("HCl")["Cl"]
    # Exchanged: 600 t at the supplier's purity 0.9; residues: 1 000 × 0.9 + 100 × 1 (the input does not count).
    assert chlorine["numerator"] == pytest.approx(540 * share)
    assert chlorine["denominator"] == pytest.approx(1000 * share)
    assert chlorine["value"] == pytest.approx(54.0)
    assert rows["recovery_H"]["value"] == pytest.approx(54.0)
    assert [k for k in rows if k.startswith("recovery_")] == ["recovery_Cl", "recovery_H"]


def test_every_value_is_none_without_data_or_with_a_zero_denominator(park):
    rows = indicators.park_indicators(year=2023)
    assert rows
    assert all(row["value"] is None for row in rows)
    assert not any(row["key"].startswith("recovery_") for row in rows)
    ResourceYear.objects.filter(enterprise=park.ent_a).update(main_resources_t=D(0))
    resource = _by_key(indicators.park_indicators(year=YEAR))["resource_productivity"]
    assert resource["denominator"] == 0
    assert resource["value"] is None


def test_the_series_follows_the_years_given(park):
    series = indicators.indicator_series(years=[2023, YEAR])
    assert series["resource_productivity"] == [None, pytest.approx(2.0)]
    assert series["recovery_Cl"] == [None, pytest.approx(54.0)]
    assert indicators.years_with_data() == [YEAR]


@pytest.mark.parametrize("who", ["officer_a", "ent_a", "expert_a"])
def test_the_figures_are_refused_outside_the_zone_staff(park, who):
    with pytest.raises(Refused):
        indicators.park_indicators(year=YEAR, user=getattr(park.users, who))


@pytest.mark.parametrize(
    ("who", "code"),
    [("admin", 200), ("leader", 200), ("dept_a", 200), ("officer_a", 403), ("ent_a", 403), ("expert_a", 403)],
)
def test_the_page_is_for_the_zone_staff(park, client, who, code):
    client.force_login(getattr(park.users, who))
    response = client.get(reverse("circular:indicators"), {"year": YEAR})
    assert response.status_code == code
    if code == 200:
        html = response.content.decode()
        assert 'data-testid="value-byproduct_utilisation">40<' in html
        assert 'data-testid="value-recovery_Cl">54<' in html
        assert "trend-rates" in html


@pytest.mark.parametrize(
    ("who", "code"),
    [("admin", 200), ("leader", 200), ("dept_b", 200), ("officer_a", 403), ("ent_a", 403), ("expert_a", 403)],
)
def test_the_api_answers_the_zone_staff(park, api_as, who, code):
    response = api_as(getattr(park.users, who)).get("/api/v1/circular/indicators/", {"year": YEAR})
    assert response.status_code == code
    if code == 200:
        data = response.json()
        assert data["year"] == YEAR
        assert data["years"] == [YEAR]
        rows = _by_key(data["indicators"])
        assert rows["land_productivity"]["value"] == pytest.approx(20000 / 70)
        assert set(rows["land_productivity"]) >= {"key", "label", "unit", "value", "numerator", "denominator"}


def test_the_api_refuses_a_year_out_of_range(park, api_as):
    assert api_as(park.users.admin).get("/api/v1/circular/indicators/", {"year": "1800"}).status_code == 400


def test_the_api_defaults_to_the_latest_year_with_data(park, api_as):
    assert api_as(park.users.admin).get("/api/v1/circular/indicators/").json()["year"] == YEAR
