"""The optimiser on hand-solved instances (costs in yuan, quantities in t)."""

import pytest

from hitechzone.circular.optimize import ScenarioError, solve, validate


def scenario(arcs=None, **material):
    m = {"code": "hcl", "disposal_cost_per_t": 100, "virgin_price_per_t": 500, **material}
    data = {
        "materials": [m],
        "supplies": [{"id": "s1", "material": "hcl", "quantity_t": 10}],
        "demands": [{"id": "d1", "material": "hcl", "quantity_t": 6}, {"id": "d2", "material": "hcl", "quantity_t": 8}],
    }
    if arcs is not None:
        data["arcs"] = arcs
    return data


def flows(result):
    return {(f["supply"], f["demand"]): f["quantity_t"] for f in result["flows"]}


def test_a_binding_capacity_sends_the_rest_along_the_dearer_arc():
    # d1 is cheaper (50) but capped at 4; the other 6 t go to d2 at 80. Shipping saves 600 − 50 resp. 600 − 80.
    result = solve(
        scenario(
            [
                {"supply": "s1", "demand": "d1", "cost_per_t": 50, "capacity_t": 4},
                {"supply": "s1", "demand": "d2", "cost_per_t": 80},
            ]
        )
    )
    assert result["status"] == "optimal"
    assert flows(result) == {("s1", "d1"): 4.0, ("s1", "d2"): 6.0}
    assert result["disposed"] == []
    assert result["purchased"] == [{"demand": "d1", "quantity_t": 2.0}, {"demand": "d2", "quantity_t": 2.0}]
    # 4·50 + 6·80 + (2 + 2)·500 = 2,680; baseline 10·100 + 14·500 = 8,000.
    assert result["total_cost"] == 2680.0
    assert result["baseline_cost"] == 8000.0
    assert result["savings"] == 5320.0


def test_an_lp_with_fractional_prices_gives_the_same_flows():
    result = solve(
        scenario(
            [
                {"supply": "s1", "demand": "d1", "cost_per_t": 50.5, "capacity_t": 4},
                {"supply": "s1", "demand": "d2", "cost_per_t": 80},
            ]
        )
    )
    assert result["solver"] == "highs-lp"
    assert flows(result) == {("s1", "d1"): 4.0, ("s1", "d2"): 6.0}
    assert result["total_cost"] == pytest.approx(4 * 50.5 + 6 * 80 + 4 * 500)


def test_a_supply_below_the_demands_purity_is_not_shipped_there():
    data = scenario(
        [
            {"supply": "s1", "demand": "d1", "cost_per_t": 10},
            {"supply": "s1", "demand": "d2", "cost_per_t": 90},
        ]
    )
    data["supplies"][0]["purity"] = 0.95
    data["demands"][0]["min_purity"] = 0.99
    result = solve(data)
    assert flows(result) == {("s1", "d2"): 8.0}
    assert result["disposed"] == [{"supply": "s1", "quantity_t": 2.0}]
    # 8·90 + 2·100 + 6·500 = 3,920.
    assert result["total_cost"] == 3920.0


def test_a_fixed_cost_larger_than_the_saving_keeps_the_arc_empty():
    # Shipping 6 t to d1 saves 6·(100 + 500 − 50) = 3,300: a fixed cost of 4,000 is not worth it.
    result = solve(scenario([{"supply": "s1", "demand": "d1", "cost_per_t": 50, "fixed_cost": 4000}]))
    assert result["solver"] == "highs-mip"
    assert result["flows"] == []
    assert result["total_cost"] == result["baseline_cost"] == 8000.0
    assert result["savings"] == 0.0


def test_a_fixed_cost_smaller_than_the_saving_is_paid():
    result = solve(scenario([{"supply": "s1", "demand": "d1", "cost_per_t": 50, "fixed_cost": 3000}]))
    assert flows(result) == {("s1", "d1"): 6.0}
    # 6·50 + 3,000 + 4·100 + 8·500 = 7,700.
    assert result["total_cost"] == 7700.0
    assert result["savings"] == 300.0


def test_a_minimum_flow_makes_an_arc_all_or_nothing():
    # d1 (cost 50) wants 6 t but the arc must carry at least 7: it carries nothing; d2 (cost 450, saving 150/t)
    # takes the 8 t it can.
    data = scenario(
        [
            {"supply": "s1", "demand": "d1", "cost_per_t": 50, "min_flow_t": 7},
            {"supply": "s1", "demand": "d2", "cost_per_t": 450},
        ]
    )
    result = solve(data)
    assert flows(result) == {("s1", "d2"): 8.0}
    # 8·450 + 2·100 + 6·500 = 6,800.
    assert result["total_cost"] == 6800.0
    data["arcs"][0]["min_flow_t"] = 5
    result = solve(data)
    assert flows(result) == {("s1", "d1"): 6.0, ("s1", "d2"): 4.0}
    assert result["total_cost"] == 6 * 50 + 4 * 450 + 4 * 500


def test_arcs_are_generated_from_the_coordinates_when_absent():
    # One degree of latitude is 111.195 km (mean Earth radius 6371.0088 km); transport 2 yuan/t·km.
    data = scenario(transport_cost_per_t_km=2, co2_avoided_t_per_t=0.5)
    data["supplies"][0].update(lat=30.0, lon=120.0)
    data["demands"][0].update(lat=31.0, lon=120.0)
    data["demands"][1].update(lat=33.0, lon=120.0)  # 333.6 km: 667 yuan/t, dearer than 600 saved
    result = solve(data)
    assert flows(result) == {("s1", "d1"): 6.0}
    cost_per_t = round(2 * 111.19508, 2)
    assert result["total_cost"] == pytest.approx(6 * cost_per_t + 4 * 100 + 8 * 500)
    assert result["co2_avoided_t"] == 3.0


def test_a_pair_without_coordinates_gets_no_arc_unless_transport_is_free():
    data = scenario(transport_cost_per_t_km=2)
    assert solve(data)["flows"] == []
    data["materials"][0]["transport_cost_per_t_km"] = 0
    result = solve(data)
    assert sum(f["quantity_t"] for f in result["flows"]) == 10.0
    assert result["total_cost"] == 4 * 500


def test_an_arc_may_give_its_distance_instead_of_its_cost():
    data = scenario([{"supply": "s1", "demand": "d1", "distance_km": 25}], transport_cost_per_t_km=2)
    assert solve(data)["total_cost"] == 6 * 50 + 4 * 100 + 8 * 500


def test_co2_is_zero_without_a_factor_and_only_other_materials_do_not_mix():
    data = scenario([{"supply": "s1", "demand": "d1", "cost_per_t": 0}])
    assert solve(data)["co2_avoided_t"] == 0.0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["arcs"].append({"supply": "nope", "demand": "d1", "cost_per_t": 1}), "unknown supply “nope”"),
        (lambda d: d["arcs"].append({"supply": "s1", "demand": "nope", "cost_per_t": 1}), "unknown demand “nope”"),
        (lambda d: d["demands"].append(dict(d["demands"][0])), "demand id “d1” is used 2 times"),
        (lambda d: d["supplies"][0].update(quantity_t=-1), "“quantity_t” is -1; it cannot be negative"),
        (lambda d: d["arcs"][0].update(cost_per_t=-5), "“cost_per_t” is -5; it cannot be negative"),
        (lambda d: d["supplies"][0].update(purity=1.5), "“purity” is 1.5; it must lie between"),
        (lambda d: d["supplies"][0].update(material="h2"), "unknown material “h2”"),
        (lambda d: d["arcs"][0].update(capacity_t=2, min_flow_t=3), "the minimum flow 3 t exceeds the capacity 2 t"),
        (lambda d: d["supplies"][0].pop("quantity_t"), "“quantity_t” is missing"),
        (lambda d: d["supplies"][0].update(quantity_t="10"), "“quantity_t” must be a number"),
        (lambda d: d["arcs"].append(dict(d["arcs"][0])), "arc s1 → d1 is listed 2 times"),
        (lambda d: d.pop("demands"), "no “demands” list"),
    ],
)
def test_every_problem_of_an_invalid_scenario_is_named(change, expected):
    data = scenario([{"supply": "s1", "demand": "d1", "cost_per_t": 50}])
    change(data)
    problems = validate(data)
    assert any(expected in p for p in problems), problems
    with pytest.raises(ScenarioError) as caught:
        solve(data)
    assert caught.value.problems == problems


def test_a_material_mismatch_on_an_arc_is_a_problem():
    data = scenario([{"supply": "s1", "demand": "h", "cost_per_t": 1}])
    data["materials"].append({"code": "h2", "disposal_cost_per_t": 0, "virgin_price_per_t": 20000})
    data["demands"].append({"id": "h", "material": "h2", "quantity_t": 1})
    assert validate(data) == ["arc s1 → h: the supply is hcl but the demand is h2 (an arc joins one material)."]


def test_several_problems_are_all_listed():
    data = scenario([{"supply": "x", "demand": "y", "cost_per_t": -1}])
    data["supplies"][0]["quantity_t"] = -2
    assert len(validate(data)) == 4


# --- The zone's scenario ----------------------------------------------------------------------------------------

YEAR = 2025


def test_the_zones_scenario_uses_the_existing_exchanges_distance_without_coordinates(circular_data):
    from hitechzone.circular.optimize import scenario_from_zone

    data = scenario_from_zone(year=YEAR)
    a_hcl, b_hcl = circular_data.a_hcl, circular_data.b_hcl
    assert [s["id"] for s in data["supplies"]] == [f"s-{a_hcl.pk}"]
    assert data["supplies"][0]["purity"] == 0.31
    assert data["supplies"][0]["enterprise"] == a_hcl.enterprise.uscc
    assert [d["id"] for d in data["demands"]] == [f"d-{b_hcl.pk}"]
    assert data["demands"][0]["min_purity"] == 0.31
    # The exchange's 1.5 km at 0.8 yuan/t·km.
    assert data["arcs"] == [
        {"supply": f"s-{a_hcl.pk}", "demand": f"d-{b_hcl.pk}", "distance_km": 1.5, "cost_per_t": 1.2}
    ]
    assert validate(data) == []
    result = solve(data)
    # 700 t shipped at 1.2; 143 t disposed at 800. Baseline 843·800 + 700·600 = 1,094,400.
    assert result["total_cost"] == pytest.approx(700 * 1.2 + 143 * 800)
    assert result["baseline_cost"] == 1094400.0
    assert result["co2_avoided_t"] == 350.0


def test_the_zones_scenario_measures_between_parcel_centroids(zone, circular_data):
    from hitechzone.circular.optimize import scenario_from_zone

    zone.parcel_a.latitude, zone.parcel_a.longitude = 30, 120
    zone.parcel_a.save()
    zone.parcel_b.latitude, zone.parcel_b.longitude = "30.1", 120
    zone.parcel_b.save()
    (arc,) = scenario_from_zone(year=YEAR)["arcs"]
    # 0.1° of latitude: 11.1195 km; at 0.8 yuan/t·km 8.90 yuan/t.
    assert arc["distance_km"] == 11.12
    assert arc["cost_per_t"] == 8.9


def test_a_pair_with_neither_coordinates_nor_an_exchange_gets_no_arc(circular_data):
    from hitechzone.circular.optimize import scenario_from_zone

    circular_data.exchange.delete()
    data = scenario_from_zone(year=YEAR)
    assert data["arcs"] == []
    assert len(data["supplies"]) == len(data["demands"]) == 1


def test_the_zones_scenario_shows_only_what_the_user_sees(zone, circular_data):
    from hitechzone.circular.optimize import scenario_from_zone

    data = scenario_from_zone(year=YEAR, user=zone.users.officer_b)  # serves ent_b, the taker
    assert data["supplies"] == []
    assert data["arcs"] == []
    # ent_b's input of HCl is no demand when no by-product of HCl is on offer to this user.
    assert data["demands"] == []
    assert scenario_from_zone(year=YEAR, chain="nope")["supplies"] == []


def test_large_integral_problems_go_to_the_min_cost_flow_with_the_same_optimum(monkeypatch):
    from hitechzone.circular import optimize

    data = scenario(
        [
            {"supply": "s1", "demand": "d1", "cost_per_t": 50, "capacity_t": 4},
            {"supply": "s1", "demand": "d2", "cost_per_t": 80},
        ]
    )
    assert solve(data)["solver"] == "highs-lp"
    monkeypatch.setattr(optimize.solver, "BIG", 1)  # the threshold in arcs, lowered for a small instance
    result = solve(data)
    assert result["solver"] == "ortools-min-cost-flow"
    assert flows(result) == {("s1", "d1"): 4.0, ("s1", "d2"): 6.0}
    assert result["total_cost"] == 2680.0


def test_the_min_cost_flow_takes_kilograms_and_fen_exactly(monkeypatch):
    from hitechzone.circular import optimize

    data = scenario(
        [
            {"supply": "s1", "demand": "d1", "cost_per_t": 50.25, "capacity_t": 4.125},
            {"supply": "s1", "demand": "d2", "cost_per_t": 80},
        ]
    )
    data["supplies"][0]["quantity_t"] = 10.5
    lp = solve(data)
    monkeypatch.setattr(optimize.solver, "BIG", 1)
    flow = solve(data)
    assert (lp["solver"], flow["solver"]) == ("highs-lp", "ortools-min-cost-flow")
    assert flows(flow) == flows(lp) == {("s1", "d1"): 4.125, ("s1", "d2"): 6.375}
    # 4.125·50.25 + 6.375·80 + (1.875 + 1.625)·500
    assert flow["total_cost"] == lp["total_cost"] == pytest.approx(207.28125 + 510 + 1750)
