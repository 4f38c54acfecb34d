"""The M5 data API: materials with their elements, scoped flows and exchanges, writes through the services, the
balances and the element graph, every role × endpoint, and the query budget of the flows list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.circular.models import Exchange, Flow, Material, ResourceYear
from hitechzone.common.models import AuditEvent
from hitechzone.enterprises.tests import factories as f

YEAR = 2025
BASE = "/api/v1/circular"


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Materials ----------------------------------------------------------------------------------------------------


def test_a_material_answers_its_element_mass_fractions_to_four_decimals(zone, materials, api_as):
    body = api_as(zone.users.expert_a).get(f"{BASE}/materials/{materials.hcfc22.pk}/").json()
    # C 12.011, H 1.008, Cl 35.45, F 2 × 18.998: M = 86.465 g/mol; Cl 35.45 / 86.465 = 0.40999 …
    assert body["elements"] == {"C": 0.1389, "H": 0.0117, "Cl": 0.41, "F": 0.4394}
    assert body["molar_mass"] == 86.465
    listed = {m["code"]: m for m in rows(api_as(zone.users.ent_b).get(f"{BASE}/materials/"))}
    assert listed["hcfc-22"]["elements"]["Cl"] == 0.41
    assert listed["fluorogypsum"]["elements"]["Ca"] == round(40.078 / 172.168, 4)


def test_department_staff_create_a_material_through_the_api_and_the_audit_names_them(zone, api_as):
    body = {"code": "hcl", "name": "氯化氢", "formula": "HCl", "hazard": "corrosive", "chains": ["fluorine"]}
    response = api_as(zone.users.dept_a).post(f"{BASE}/materials/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["elements"] == {"H": 0.0276, "Cl": 0.9724}
    assert response.json()["chains"] == ["fluorine"]
    event = AuditEvent.objects.get(content_type__model="material", action="create")
    assert (event.user, event.source) == (zone.users.dept_a, "api")


def test_an_invalid_formula_answers_400_with_the_parsers_message_and_writes_nothing(zone, api_as):
    response = api_as(zone.users.admin).post(
        f"{BASE}/materials/", {"code": "bad", "name": "坏", "formula": "CH(Cl"}, format="json"
    )
    assert response.status_code == 400
    assert "CH(Cl" in response.json()["detail"]
    assert not Material.objects.exists()


# --- Scoping ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("admin", {"a", "b"}),
        ("leader", {"a", "b"}),
        ("dept_b", {"a", "b"}),
        ("officer_a", {"a"}),
        ("officer_b", {"b"}),
        ("ent_a", {"a"}),
        ("ent_b", {"b"}),
        ("expert_a", set()),
    ],
)
def test_an_enterprise_sees_only_its_own_flows(zone, circular_data, api_as, who, seen):
    names = {zone.ent_a.pk: "a", zone.ent_b.pk: "b"}
    listed = rows(api_as(getattr(zone.users, who)).get(f"{BASE}/flows/"))
    assert {names[r["enterprise"]] for r in listed} == seen
    other = circular_data.b_ch3cl if seen == {"a"} else circular_data.a_hcl
    if seen != {"a", "b"}:
        assert api_as(getattr(zone.users, who)).get(f"{BASE}/flows/{other.pk}/").status_code == 404


@pytest.mark.parametrize("who", ["admin", "dept_a", "leader", "ent_a", "ent_b", "officer_a", "officer_b"])
def test_an_exchange_is_seen_by_both_ends_and_their_officers(zone, circular_data, api_as, who):
    listed = rows(api_as(getattr(zone.users, who)).get(f"{BASE}/exchanges/"))
    assert [r["id"] for r in listed] == [circular_data.exchange.pk]
    assert listed[0]["supplier_name"] == zone.ent_a.name


def test_an_exchange_is_not_seen_by_a_third_enterprise_or_an_expert(zone, circular_data, api_as):
    third = f.EnterpriseFactory(brand=zone.brand_a)
    user = f.UserFactory(username="ent_c", role="enterprise", enterprise=third)
    assert rows(api_as(user).get(f"{BASE}/exchanges/")) == []
    assert rows(api_as(zone.users.expert_a).get(f"{BASE}/exchanges/")) == []


def test_the_flow_filters_year_enterprise_material_role_and_chain(zone, circular_data, make_flow, materials, api_as):
    make_flow(zone.ent_a, materials.hcl, "byproduct", 800, year=YEAR - 1)
    client = api_as(zone.users.admin)

    def ids(query):
        return {r["id"] for r in rows(client.get(f"{BASE}/flows/?{query}"))}

    d = circular_data
    assert ids(f"year={YEAR}") == {d.a_product.pk, d.a_hcl.pk, d.b_hcl.pk, d.b_ch3cl.pk}
    assert ids(f"year={YEAR}&enterprise={zone.ent_b.pk}") == {d.b_hcl.pk, d.b_ch3cl.pk}
    assert ids(f"year={YEAR}&material=hcl") == {d.a_hcl.pk, d.b_hcl.pk}
    assert ids(f"year={YEAR}&role=byproduct,input") == {d.a_hcl.pk, d.b_hcl.pk}
    assert ids(f"year={YEAR}&chain=fluorine") == {d.a_product.pk, d.a_hcl.pk}  # ent_a is of the 氟化工 chain
    assert ids(f"chain={zone.chain.pk}&material=hcl&role=byproduct") == {
        d.a_hcl.pk,
        *Flow.objects.filter(year=YEAR - 1).values_list("pk", flat=True),
    }


# --- Writes -------------------------------------------------------------------------------------------------------


def test_an_enterprise_records_and_deletes_its_own_flow_through_the_api(zone, materials, api_as):
    client = api_as(zone.users.ent_a)
    body = {"enterprise": zone.ent_a.pk, "year": YEAR, "material": "fluorogypsum", "role": "waste", "quantity_t": 3400}
    response = client.post(f"{BASE}/flows/", body, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.patch(f"{BASE}/flows/{pk}/", {"purity": "0.9"}, format="json").json()["purity"] == "0.9000"
    assert client.delete(f"{BASE}/flows/{pk}/").status_code == 204
    assert not Flow.objects.exists()


def test_an_exchange_without_its_suppliers_flow_answers_400_with_the_services_message(zone, materials, api_as):
    body = {
        "year": YEAR,
        "supplier": zone.ent_a.pk,
        "receiver": zone.ent_b.pk,
        "material": "hcl",
        "quantity_t": 10,
        "mode": "truck",
        "distance_km": 2,
    }
    response = api_as(zone.users.ent_a).post(f"{BASE}/exchanges/", body, format="json")
    assert response.status_code == 400
    assert "has no flow of" in response.json()["detail"]
    assert not Exchange.objects.exists()


def test_a_flow_that_an_exchange_relies_on_answers_400_on_delete(zone, circular_data, api_as):
    response = api_as(zone.users.admin).delete(f"{BASE}/flows/{circular_data.a_hcl.pk}/")
    assert response.status_code == 400
    assert "rely on this flow" in response.json()["detail"]


# --- Role × endpoint ----------------------------------------------------------------------------------------------

ROLES = ["admin", "leader", "dept_a", "officer_a", "officer_b", "expert_a", "ent_a", "ent_b"]
LISTS = ["materials", "flows", "exchanges", "resource-years"]


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("endpoint", LISTS)
def test_every_role_lists_every_endpoint_scoped(zone, circular_data, api_as, who, endpoint):
    ResourceYear.objects.create(enterprise=zone.ent_a, year=YEAR, fresh_water_t=Decimal(10))
    ResourceYear.objects.create(enterprise=zone.ent_b, year=YEAR, fresh_water_t=Decimal(20))
    listed = rows(api_as(getattr(zone.users, who)).get(f"{BASE}/{endpoint}/"))
    staff, own = ("admin", "leader", "dept_a"), ("officer_a", "officer_b", "ent_a", "ent_b")
    expected = {
        "materials": dict.fromkeys(ROLES, 6),
        "flows": {**dict.fromkeys(staff, 4), **dict.fromkeys(own, 2)},
        "exchanges": dict.fromkeys((*staff, *own), 1),  # seen from both ends
        "resource-years": {**dict.fromkeys(staff, 2), **dict.fromkeys(own, 1)},
    }[endpoint]
    assert len(listed) == expected.get(who, 0)  # the expert sees no flows, exchanges or resource data


def _write_body(zone, endpoint):
    return {
        "materials": {"code": "h2", "name": "氢气", "formula": "H2"},
        "flows": {"enterprise": zone.ent_a.pk, "year": YEAR, "material": "methanol", "role": "input", "quantity_t": 1},
        "exchanges": {
            "year": YEAR,
            "supplier": zone.ent_a.pk,
            "receiver": zone.ent_b.pk,
            "material": "hcfc-22",
            "quantity_t": 5,
            "mode": "truck",
            "distance_km": 3,
        },
        "resource-years": {"enterprise": zone.ent_a.pk, "year": YEAR, "fresh_water_t": 100},
    }[endpoint]


WRITE_STATUS = {
    # 201 written; 403 the role never writes there; 400 the role writes, but not for ent_a.
    "materials": {"admin": 201, "dept_a": 201},
    "flows": {"admin": 201, "dept_a": 201, "officer_a": 201, "ent_a": 201, "officer_b": 400, "ent_b": 400},
    "exchanges": {"admin": 201, "dept_a": 201, "officer_a": 201, "ent_a": 201, "officer_b": 400, "ent_b": 400},
    "resource-years": {"admin": 201, "dept_a": 201, "officer_a": 201, "ent_a": 201, "officer_b": 400, "ent_b": 400},
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("endpoint", LISTS)
def test_every_role_writes_every_endpoint_as_the_rules_say(zone, circular_data, api_as, who, endpoint):
    model = {"materials": Material, "flows": Flow, "exchanges": Exchange, "resource-years": ResourceYear}[endpoint]
    before = model.objects.count()
    response = api_as(getattr(zone.users, who)).post(f"{BASE}/{endpoint}/", _write_body(zone, endpoint), format="json")
    expected = WRITE_STATUS[endpoint].get(who, 403)
    assert response.status_code == expected, response.content
    assert model.objects.count() == before + (1 if expected == 201 else 0)


@pytest.mark.parametrize("who", ROLES)
def test_every_role_asks_for_the_balances_and_the_element_graph(zone, circular_data, api_as, who):
    client = api_as(getattr(zone.users, who))
    zone_answer = client.get(f"{BASE}/balances/?year={YEAR}")
    graph = client.get(f"{BASE}/element-graph/?year={YEAR}&element=Cl")
    own = client.get(f"{BASE}/balances/?year={YEAR}&enterprise={zone.ent_a.pk}")
    if who == "expert_a":
        assert (zone_answer.status_code, graph.status_code, own.status_code) == (403, 403, 403)
        return
    assert zone_answer.status_code == 200
    assert graph.status_code == 200
    assert "elements" in zone_answer.json()
    assert "nodes" in graph.json()
    assert own.status_code == (404 if who in ("officer_b", "ent_b") else 200)


def test_the_balance_of_an_enterprise_counts_its_chlorine_in_and_out(zone, circular_data, api_as):
    body = api_as(zone.users.ent_b).get(f"{BASE}/balances/?year={YEAR}&enterprise={zone.ent_b.pk}").json()
    cl = next(row for row in body["elements"] if row["element"] == "Cl")
    # in: 700 t × 0.31 × 35.45/36.458; out: 950 t × 35.45/50.485 (CH3Cl: 12.011 + 3 × 1.008 + 35.45).
    assert cl["in"] == pytest.approx(700 * 0.31 * 35.45 / 36.458, rel=1e-6)
    assert cl["out"] == pytest.approx(950 * 35.45 / 50.485, rel=1e-6)


@pytest.mark.parametrize("query", ["element=Cl", "year=2025", "year=2025&element=Xx", "year=2025&element=Cl&level=z"])
def test_the_element_graph_answers_400_without_a_year_or_a_valid_element(zone, api_as, query):
    assert api_as(zone.users.admin).get(f"{BASE}/element-graph/?{query}").status_code == 400


# --- Query budget -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["flows", "exchanges", "materials", "resource-years"])
def test_the_lists_query_count_does_not_grow_with_the_rows(zone, materials, make_flow, api_as, endpoint):
    client = api_as(zone.users.officer_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows(client.get(f"{BASE}/{endpoint}/"))
        return len(ctx.captured_queries)

    def add(year):
        product = make_flow(zone.ent_a, materials.hcl, "byproduct", 10, year=year)
        make_flow(zone.ent_a, materials.methanol, "input", 10, year=year)
        Exchange.objects.create(
            year=year,
            supplier=zone.ent_a,
            receiver=zone.ent_b,
            material=product.material,
            quantity_t=1,
            mode="truck",
            distance_km=1,
        )
        ResourceYear.objects.create(enterprise=zone.ent_a, year=year)

    add(2020)
    few = count()
    for year in range(2010, 2020):
        add(year)
    assert count() == few


def test_the_zone_balance_of_one_chain_holds_only_that_chains_enterprises(zone, circular_data, api_as):
    client = api_as(zone.users.leader)
    body = client.get(f"{BASE}/balances/?year={YEAR}&chain=fluorine").json()
    assert [row["enterprise"]["id"] for row in body["enterprises"]] == [zone.ent_a.pk]
    assert client.get(f"{BASE}/balances/?year={YEAR}&chain=nonexistent").status_code == 400
