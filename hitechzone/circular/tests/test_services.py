"""The M5 data services: who writes what, the rules, audit, and nothing written on a refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hitechzone.circular import services
from hitechzone.circular.models import Exchange, Flow, Material, ResourceYear
from hitechzone.common.models import AuditEvent
from hitechzone.common.rules import Refused

YEAR = 2025


# --- Materials ----------------------------------------------------------------------------------------------------


def test_department_staff_create_a_material_with_a_hydrate_formula_and_it_is_audited(zone):
    m = services.material_save(
        by=zone.users.dept_a,
        code="fluorogypsum",
        name="氟石膏",
        formula="CaSO4·2H2O",
        hazard="none",
        disposal_cost_yuan_per_t="60",
        chains=[zone.chain],
    )
    m.refresh_from_db()
    assert (m.formula, m.disposal_cost_yuan_per_t) == ("CaSO4·2H2O", Decimal("60.00"))
    assert list(m.chains.all()) == [zone.chain]
    # Outside a request the audit context is the system's; the API test checks the user of a request's write.
    event = AuditEvent.objects.get(object_id=str(m.pk), action="create", content_type__model="material")
    assert event.changes["formula"] == [None, "CaSO4·2H2O"]


def test_an_invalid_formula_is_refused_with_the_parsers_message_and_nothing_is_written(zone):
    from hitechzone.circular.chemistry import FormulaError, parse_formula

    with pytest.raises(FormulaError) as parser:
        parse_formula("CHClXx2")
    with pytest.raises(Refused) as refused:
        services.material_save(by=zone.users.admin, code="bad", name="坏的", formula="CHClXx2")
    assert "CHClXx2" in str(refused.value)
    assert str(parser.value) in str(refused.value)
    assert not Material.objects.exists()


@pytest.mark.parametrize("who", ["leader", "officer_a", "expert_a", "ent_a"])
def test_only_administrators_and_department_staff_edit_materials(zone, who):
    with pytest.raises(Refused, match="Only administrators and department staff"):
        services.material_save(by=getattr(zone.users, who), code="hcl", name="氯化氢", formula="HCl")
    assert not Material.objects.exists()


def test_a_material_update_changes_only_the_given_fields_and_a_taken_code_is_refused(zone, materials):
    m = services.material_save(by=zone.users.admin, material=materials.hcl, virgin_price_yuan_per_t=Decimal(650))
    m.refresh_from_db()
    assert (m.virgin_price_yuan_per_t, m.formula, m.disposal_cost_yuan_per_t) == (650, "HCl", 800)
    with pytest.raises(Refused, match="code “methanol” exists"):
        services.material_save(by=zone.users.admin, material=materials.hcl, code="methanol")
    assert Material.objects.get(pk=materials.hcl.pk).code == "hcl"


def test_a_negative_price_is_refused_naming_the_field(zone):
    with pytest.raises(Refused, match="virgin price"):
        services.material_save(by=zone.users.admin, code="x", name="X", virgin_price_yuan_per_t=-1)
    assert not Material.objects.exists()


# --- Flows --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "dept_a", "officer_a", "ent_a"])
def test_staff_the_enterprise_itself_and_its_officer_record_its_flows(zone, materials, who):
    flow = services.flow_save(
        by=getattr(zone.users, who),
        enterprise=zone.ent_a,
        year=YEAR,
        material=materials.hcl,
        role="byproduct",
        quantity_t="843",
        purity="0.31",
    )
    assert Flow.objects.get(pk=flow.pk).quantity_t == Decimal("843.000")
    assert AuditEvent.objects.filter(object_id=str(flow.pk), content_type__model="flow", action="create").exists()


@pytest.mark.parametrize("who", ["leader", "officer_b", "expert_a", "ent_b"])
def test_others_may_not_record_an_enterprises_flows(zone, materials, who):
    with pytest.raises(Refused, match="may not edit the flows"):
        services.flow_save(
            by=getattr(zone.users, who),
            enterprise=zone.ent_a,
            year=YEAR,
            material=materials.hcl,
            role="input",
            quantity_t=1,
        )
    assert not Flow.objects.exists()


def test_an_enterprise_may_not_move_its_flow_to_another_enterprise(zone, circular_data):
    with pytest.raises(Refused):
        services.flow_save(by=zone.users.ent_b, flow=circular_data.b_ch3cl, enterprise=zone.ent_a)
    assert Flow.objects.get(pk=circular_data.b_ch3cl.pk).enterprise_id == zone.ent_b.pk


def test_a_second_flow_with_the_same_enterprise_year_material_and_role_is_refused(zone, circular_data, materials):
    with pytest.raises(Refused, match="already has a flow"):
        services.flow_save(
            by=zone.users.admin, enterprise=zone.ent_a, year=YEAR, material=materials.hcl, role="byproduct",
            quantity_t=1,
        )  # fmt: skip
    assert Flow.objects.filter(enterprise=zone.ent_a, material=materials.hcl).count() == 1


@pytest.mark.parametrize(("field", "value"), [("quantity_t", "-1"), ("purity", "1.2"), ("role", "gift")])
def test_a_negative_quantity_a_purity_above_one_and_an_unknown_role_are_refused(zone, materials, field, value):
    fields = {"quantity_t": "5", "purity": "1", "role": "input", field: value}
    with pytest.raises(Refused):
        services.flow_save(by=zone.users.admin, enterprise=zone.ent_a, year=YEAR, material=materials.hcl, **fields)
    assert not Flow.objects.exists()


def test_a_supply_flow_an_exchange_relies_on_cannot_be_deleted_or_turned_into_an_input(zone, circular_data):
    with pytest.raises(Refused, match="rely on this flow"):
        services.flow_delete(by=zone.users.admin, flow=circular_data.a_hcl)
    with pytest.raises(Refused, match="rely on this flow"):
        services.flow_save(by=zone.users.admin, flow=circular_data.a_hcl, role="input")
    assert Flow.objects.get(pk=circular_data.a_hcl.pk).role == "byproduct"
    # By-product to waste still supplies the exchange.
    services.flow_save(by=zone.users.admin, flow=circular_data.a_hcl, role="waste")
    services.exchange_delete(by=zone.users.admin, exchange=circular_data.exchange)
    services.flow_delete(by=zone.users.ent_a, flow=circular_data.a_hcl)
    assert not Flow.objects.filter(pk=circular_data.a_hcl.pk).exists()


# --- Exchanges ----------------------------------------------------------------------------------------------------


def _exchange(zone, materials, user, **overrides):
    fields = {
        "year": YEAR,
        "supplier": zone.ent_a,
        "receiver": zone.ent_b,
        "material": materials.hcl,
        "quantity_t": Decimal(100),
        "mode": "truck",
        "distance_km": Decimal("3.2"),
        **overrides,
    }
    return services.exchange_save(by=user, **fields)


def test_the_supplier_records_an_exchange_of_its_by_product(zone, materials, make_flow):
    make_flow(zone.ent_a, materials.hcl, "byproduct", 843)
    for user in (zone.users.ent_a, zone.users.officer_a, zone.users.dept_b):
        x = _exchange(zone, materials, user)
        assert Exchange.objects.get(pk=x.pk).quantity_t == 100
        services.exchange_delete(by=user, exchange=x)
    assert not Exchange.objects.exists()


@pytest.mark.parametrize("who", ["ent_b", "officer_b", "leader", "expert_a"])
def test_the_receiver_its_officer_leaders_and_experts_do_not_record_exchanges(zone, materials, make_flow, who):
    make_flow(zone.ent_a, materials.hcl, "byproduct", 843)
    with pytest.raises(Refused, match="may not edit the exchanges"):
        _exchange(zone, materials, getattr(zone.users, who))
    assert not Exchange.objects.exists()


def test_an_exchange_with_itself_is_refused(zone, materials, make_flow):
    make_flow(zone.ent_a, materials.hcl, "byproduct", 843)
    with pytest.raises(Refused, match="must be different"):
        _exchange(zone, materials, zone.users.admin, receiver=zone.ent_a)
    assert not Exchange.objects.exists()


def test_an_exchange_is_refused_when_the_supplier_has_no_output_flow_of_the_material_that_year(
    zone, materials, make_flow
):
    make_flow(zone.ent_a, materials.hcl, "input", 843)  # an input does not supply
    make_flow(zone.ent_a, materials.hcl, "byproduct", 843, year=YEAR - 1)  # another year does not either
    with pytest.raises(Refused, match=r"has no flow of .* in 2025 as a product, by-product or waste"):
        _exchange(zone, materials, zone.users.admin)
    assert not Exchange.objects.exists()


def test_without_a_distance_it_is_the_distance_between_the_parcels_centroids(zone, materials, make_flow):
    from hitechzone.enterprises.tests import factories as f

    make_flow(zone.ent_a, materials.hcl, "waste", 843)
    zone.parcel_a.latitude, zone.parcel_a.longitude = Decimal("29.99"), Decimal("120.0")
    zone.parcel_a.save()
    f.ParcelFactory(brand=zone.brand_a, enterprise=zone.ent_a, latitude=Decimal("30.01"), longitude=Decimal("120.0"))
    zone.parcel_b.latitude, zone.parcel_b.longitude = Decimal("30.01"), Decimal("120.0")
    zone.parcel_b.save()
    # ent_a's centroid is (30.00, 120.0); 0.01° of latitude is 6371.0088 km × 0.01 × π / 180 = 1.11195 km.
    x = _exchange(zone, materials, zone.users.admin, distance_km=None)
    assert Exchange.objects.get(pk=x.pk).distance_km == Decimal("1.11")


def test_without_a_distance_and_without_coordinates_the_exchange_is_refused(zone, materials, make_flow):
    make_flow(zone.ent_a, materials.hcl, "byproduct", 843)
    with pytest.raises(Refused, match="Give the distance"):
        _exchange(zone, materials, zone.users.admin, distance_km=None)
    assert not Exchange.objects.exists()


def test_the_same_exchange_twice_is_refused(zone, circular_data, materials):
    with pytest.raises(Refused, match="already recorded"):
        _exchange(zone, materials, zone.users.admin)
    assert Exchange.objects.count() == 1


# --- Resource data ------------------------------------------------------------------------------------------------


def test_an_enterprise_records_its_resource_data_once_a_year_and_not_another_enterprises(zone):
    r = services.resource_year_save(
        by=zone.users.ent_a, enterprise=zone.ent_a, year=YEAR, fresh_water_t="820000", reused_water_t=2460000
    )
    r.refresh_from_db()
    assert (r.fresh_water_t, r.reused_water_t, r.solid_waste_generated_t) == (820000, 2460000, None)
    with pytest.raises(Refused, match="already recorded"):
        services.resource_year_save(by=zone.users.ent_a, enterprise=zone.ent_a, year=YEAR)
    with pytest.raises(Refused, match="may not edit the resource data"):
        services.resource_year_save(by=zone.users.ent_b, enterprise=zone.ent_a, year=YEAR - 1)
    with pytest.raises(Refused, match="may not edit the resource data"):
        services.resource_year_save(by=zone.users.ent_b, resource_year=r, fresh_water_t=1)
    services.resource_year_save(by=zone.users.officer_a, resource_year=r, solid_waste_generated_t=36000)
    assert ResourceYear.objects.get().solid_waste_generated_t == 36000
    assert AuditEvent.objects.filter(content_type__model="resourceyear", action="update").count() == 1
