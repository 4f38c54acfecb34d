"""Element balances and the chlorine loop of the silicone chain (issue 7, point 3).

The cluster, 2025, t/yr, sized on 100,000 t/yr of dimethyldichlorosilane (DMDCS) and the issue's ratios:

- A (zone.ent_a, monomer): Si + 2 CH3Cl → (CH3)2SiCl2. In: silicon 21,980 t at 99 %, CH3Cl 78,240 t (0.7824 t per
  t), a copper catalyst of unknown composition 50 t. Out: DMDCS 100,000 t.
- B (zone.ent_b, hydrolysis): (CH3)2SiCl2 + H2O → (CH3)2SiO + 2 HCl. In: DMDCS 100,000 t, water 13,960 t.
  Out: siloxane (as the cyclic tetramer [(CH3)2SiO]4) 57,460 t, HCl 56,500 t (0.983 t per t siloxane).
- C (methyl chloride): CH3OH + HCl → CH3Cl + H2O. In: HCl 56,502 t (0.722 t per t CH3Cl), methanol 49,660 t.
  Out: CH3Cl 78,240 t, water 27,920 t (waste).
- Exchanges (pipeline): A → B DMDCS 100,000 t; B → C HCl 56,000 t; C → A CH3Cl 78,240 t. B sells its other
  500 t of HCl outside the zone, C buys its other 502 t.

Chlorine fractions, by hand (H 1.008, C 12.011, Cl 35.45, Si 28.085): CH3Cl 35.45/50.485, HCl 35.45/36.458,
DMDCS 70.90/129.055.
"""

from decimal import Decimal

import networkx as nx
import pytest

from hitechzone.circular.balance import (
    element_graph,
    enterprise_balance,
    simple_cycles,
    strongly_connected_components,
    zone_balance,
)
from hitechzone.circular.models import Exchange, Flow, Material
from hitechzone.enterprises.tests import factories as f

YEAR = 2025
CL_CH3CL = 35.45 / 50.485
CL_HCL = 35.45 / 36.458
CL_DMDCS = 70.90 / 129.055
SI_DMDCS = 28.085 / 129.055
SI_SILOXANE = 4 * 28.085 / (4 * 74.154)


def _materials():
    rows = {
        "si": ("工业硅", "Si"),
        "ch3cl": ("一氯甲烷", "CH3Cl"),
        "dmdcs": ("二甲基二氯硅烷", "(CH3)2SiCl2"),
        "water": ("水", "H2O"),
        "siloxane": ("二甲基环硅氧烷", "[(CH3)2SiO]4"),
        "hcl": ("氯化氢", "HCl"),
        "methanol": ("甲醇", "CH3OH"),
        "catalyst": ("铜催化剂", ""),
    }
    return {
        code: Material.objects.create(code=code, name=name, formula=formula) for code, (name, formula) in rows.items()
    }


def _flow(enterprise, material, role, quantity, purity="1"):
    return Flow.objects.create(
        enterprise=enterprise,
        year=YEAR,
        material=material,
        role=role,
        quantity_t=Decimal(quantity),
        purity=Decimal(purity),
    )


def _exchange(supplier, receiver, material, quantity):
    return Exchange.objects.create(
        year=YEAR,
        supplier=supplier,
        receiver=receiver,
        material=material,
        quantity_t=Decimal(quantity),
        mode=Exchange.Mode.PIPELINE,
        distance_km=Decimal("1.5"),
    )


@pytest.fixture
def cluster(zone):
    m = _materials()
    a, b = zone.ent_a, zone.ent_b
    c = f.EnterpriseFactory(name="浙江丙方氯甲烷有限公司", brand=zone.brand_a)
    IN, PRODUCT, BYPRODUCT, WASTE = Flow.Role.INPUT, Flow.Role.PRODUCT, Flow.Role.BYPRODUCT, Flow.Role.WASTE
    _flow(a, m["si"], IN, "21980", "0.99")
    _flow(a, m["ch3cl"], IN, "78240")
    _flow(a, m["catalyst"], IN, "50")
    _flow(a, m["dmdcs"], PRODUCT, "100000")
    _flow(b, m["dmdcs"], IN, "100000")
    _flow(b, m["water"], IN, "13960")
    _flow(b, m["siloxane"], PRODUCT, "57460")
    _flow(b, m["hcl"], BYPRODUCT, "56500")
    _flow(c, m["hcl"], IN, "56502")
    _flow(c, m["methanol"], IN, "49660")
    _flow(c, m["ch3cl"], PRODUCT, "78240")
    _flow(c, m["water"], WASTE, "27920")
    _exchange(a, b, m["dmdcs"], "100000")
    _exchange(b, c, m["hcl"], "56000")
    _exchange(c, a, m["ch3cl"], "78240")
    return {"a": a, "b": b, "c": c, "materials": m}


def _element(result, symbol):
    (row,) = [row for row in result["elements"] if row["element"] == symbol]
    return row


def test_each_enterprise_of_the_silicone_cluster_closes_its_chlorine_balance(cluster):
    expected = {
        "a": (78240 * CL_CH3CL, 100000 * CL_DMDCS),
        "b": (100000 * CL_DMDCS, 56500 * CL_HCL),
        "c": (56502 * CL_HCL, 78240 * CL_CH3CL),
    }
    for key, (cl_in, cl_out) in expected.items():
        result = enterprise_balance(enterprise=cluster[key], year=YEAR)
        row = _element(result, "Cl")
        assert row["in"] == pytest.approx(cl_in, abs=1e-5)
        assert row["out"] == pytest.approx(cl_out, abs=1e-5)
        assert row["gap"] == pytest.approx(cl_in - cl_out, abs=1e-5)
        assert row["gap_share"] == pytest.approx(abs(cl_in - cl_out) / max(cl_in, cl_out), abs=1e-6)
        assert row["gap_share"] < 0.001
        assert not row["flagged"]
        assert "Cl" not in result["flagged"]


def test_the_monomer_plant_balance_counts_purity_and_lists_the_catalyst_as_unknown(cluster):
    result = enterprise_balance(enterprise=cluster["a"], year=YEAR)
    si = _element(result, "Si")
    assert si["in"] == pytest.approx(21980 * 0.99, abs=1e-6)  # 21,760.2 t of silicon in
    assert si["out"] == pytest.approx(100000 * SI_DMDCS, abs=1e-5)  # 21,762.1 t out in DMDCS
    assert not si["flagged"]
    assert [(u["material"], u["role"], u["quantity_t"]) for u in result["unknown"]] == [("catalyst", "input", 50.0)]
    assert result["unknown"][0]["reason"] == "unknown composition"
    assert {flow["material"] for flow in result["flows"]} == {"si", "ch3cl", "dmdcs"}
    # carbon and hydrogen come in with CH3Cl only and go out in DMDCS: a plant that closes on all four elements
    assert result["flagged"] == []
    assert result["enterprise"] == {"id": cluster["a"].pk, "name": cluster["a"].name}


def test_an_enterprise_that_leaks_chlorine_is_flagged(cluster, zone):
    leaky = f.EnterpriseFactory(name="浙江丁方有机硅有限公司", brand=zone.brand_b)
    m = cluster["materials"]
    _flow(leaky, m["dmdcs"], Flow.Role.INPUT, "10000")
    _flow(leaky, m["water"], Flow.Role.INPUT, "1396")
    _flow(leaky, m["siloxane"], Flow.Role.PRODUCT, "5746")
    _flow(leaky, m["hcl"], Flow.Role.BYPRODUCT, "4000")  # 5,650 t expected: 1,650 t unreported

    result = enterprise_balance(enterprise=leaky, year=YEAR)

    cl = _element(result, "Cl")
    cl_in, cl_out = 10000 * CL_DMDCS, 4000 * CL_HCL  # 5,493.9 t and 3,889.4 t
    assert cl["gap"] == pytest.approx(cl_in - cl_out, abs=1e-5)
    assert cl["gap_share"] == pytest.approx((cl_in - cl_out) / cl_in, abs=1e-6)  # 29.2 %
    assert cl["flagged"]
    assert "Cl" in result["flagged"]
    si = _element(result, "Si")
    assert si["out"] == pytest.approx(5746 * SI_SILOXANE, abs=1e-5)
    assert not si["flagged"]  # the silicon all comes out in the siloxane
    # a looser tolerance lets it through
    assert not _element(enterprise_balance(enterprise=leaky, year=YEAR, tolerance=0.30), "Cl")["flagged"]
    # the others are unaffected
    assert "Cl" not in enterprise_balance(enterprise=cluster["b"], year=YEAR)["flagged"]


def test_the_zone_balance_counts_exchanges_as_internal(cluster, zone):
    result = zone_balance(year=YEAR, user=zone.users.admin)

    cl = _element(result, "Cl")
    exchanged = 100000 * CL_DMDCS + 56000 * CL_HCL + 78240 * CL_CH3CL
    assert cl["exchanged"] == pytest.approx(exchanged, abs=1e-5)
    # what crosses the zone's fence: C buys 502 t HCl, B sells 500 t HCl
    assert cl["in"] == pytest.approx(502 * CL_HCL, abs=1e-5)
    assert cl["out"] == pytest.approx(500 * CL_HCL, abs=1e-5)
    assert cl["gap"] == pytest.approx(sum(_element(row, "Cl")["gap"] for row in result["enterprises"]), abs=1e-5)
    assert cl["gap_share"] < 0.02
    assert not cl["flagged"]
    assert result["exchanges"] == 3
    assert [row["enterprise"]["id"] for row in result["enterprises"]] == sorted(
        [cluster["a"].pk, cluster["b"].pk, cluster["c"].pk],
        key=lambda pk: {cluster[k].pk: cluster[k].name for k in "abc"}[pk],
    )
    assert [(u["material"], u["enterprise"]["id"]) for u in result["unknown"]] == [("catalyst", cluster["a"].pk)]


def test_the_zone_balance_of_an_enterprise_user_covers_only_its_own_enterprise(cluster, zone):
    result = zone_balance(year=YEAR, user=zone.users.ent_a)

    assert [row["enterprise"]["id"] for row in result["enterprises"]] == [cluster["a"].pk]
    assert result["exchanges"] == 0  # A's exchanges lead outside what it may see
    cl = _element(result, "Cl")
    assert cl["in"] == pytest.approx(78240 * CL_CH3CL, abs=1e-5)
    assert cl["out"] == pytest.approx(100000 * CL_DMDCS, abs=1e-5)
    assert cl["exchanged"] == 0


def test_the_zone_balance_of_an_officer_covers_the_enterprises_served_and_an_expert_sees_nothing(cluster, zone):
    officer = zone_balance(year=YEAR, user=zone.users.officer_b)
    assert [row["enterprise"]["id"] for row in officer["enterprises"]] == [cluster["b"].pk]
    expert = zone_balance(year=YEAR, user=zone.users.expert_a)
    assert expert["enterprises"] == []
    assert expert["elements"] == []


def test_the_zone_balance_can_be_limited_to_a_chain(cluster, zone):
    # zone.chain (氟化工) holds ent_a only
    result = zone_balance(year=YEAR, user=zone.users.admin, chain=zone.chain)
    assert [row["enterprise"]["id"] for row in result["enterprises"]] == [cluster["a"].pk]


def test_the_chlorine_loop_shows_as_a_cycle_of_enterprises(cluster, zone):
    graph = element_graph(year=YEAR, element="Cl", user=zone.users.admin)

    a, b, c = (f"e:{cluster[k].pk}" for k in "abc")
    assert len(graph["cycles"]) == 1
    cycle = graph["cycles"][0]["nodes"]
    start = cycle.index(a)
    assert cycle[start:] + cycle[:start] == [a, b, c]
    assert graph["cycles"][0]["value"] == pytest.approx(56000 * CL_HCL, abs=1e-5)  # the HCl exchange is the least
    links = {(link["source"], link["target"]): link for link in graph["links"]}
    assert links[(a, b)]["value"] == pytest.approx(100000 * CL_DMDCS, abs=1e-5)
    assert links[(a, b)]["material"] == "dmdcs"
    assert links[(b, c)]["in_cycle"]
    # from and to outside the zone: C's 502 t HCl bought, B's 500 t HCl sold (chlorine content)
    assert links[("outside:in", c)]["value"] == pytest.approx(502 * CL_HCL, abs=1e-5)
    assert links[(b, "outside:out")]["value"] == pytest.approx(500 * CL_HCL, abs=1e-5)
    assert not links[("outside:in", c)]["in_cycle"]
    assert (("outside:in", a)) not in links  # all of A's chlorine comes through the exchange
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert set(nodes) == {a, b, c, "outside:in", "outside:out"}
    assert nodes[a]["in_cycle"]
    assert not nodes["outside:in"]["in_cycle"]


def test_the_chlorine_loop_shows_as_a_cycle_of_materials(cluster, zone):
    graph = element_graph(year=YEAR, element="Cl", user=zone.users.admin, level="material")

    assert len(graph["cycles"]) == 1
    cycle = graph["cycles"][0]["nodes"]
    start = cycle.index("m:hcl")
    assert cycle[start:] + cycle[:start] == ["m:hcl", "m:ch3cl", "m:dmdcs"]
    assert {node["id"] for node in graph["nodes"]} == {"m:hcl", "m:ch3cl", "m:dmdcs"}  # only chlorine carriers
    links = {(link["source"], link["target"]): link for link in graph["links"]}
    assert links[("m:hcl", "m:ch3cl")]["enterprises"] == [cluster["c"].name]
    # C's only chlorinated output is CH3Cl: all the chlorine of its HCl goes there
    assert links[("m:hcl", "m:ch3cl")]["value"] == pytest.approx(56502 * CL_HCL, abs=1e-5)


def test_silicon_does_not_loop(cluster, zone):
    graph = element_graph(year=YEAR, element="Si", user=zone.users.admin)
    assert graph["cycles"] == []
    assert all(not link["in_cycle"] for link in graph["links"])


def test_an_enterprise_user_sees_no_loop_it_cannot_see_all_of(cluster, zone):
    graph = element_graph(year=YEAR, element="Cl", user=zone.users.ent_a)

    a, b, c = (f"e:{cluster[k].pk}" for k in "abc")
    assert graph["cycles"] == []
    nodes = {node["id"]: node for node in graph["nodes"]}
    assert set(nodes) == {a, b, c}  # the other ends of A's own exchanges, without their flows
    assert nodes[a]["flows_visible"]
    assert not nodes[b]["flows_visible"]
    assert {(link["source"], link["target"]) for link in graph["links"]} == {(a, b), (c, a)}


def test_one_enterprise_running_the_whole_loop_shows_it_as_a_cycle_of_materials(zone):
    m = _materials()
    ent = zone.ent_a
    for material, role, quantity in [
        ("si", Flow.Role.INPUT, "21762"),
        ("methanol", Flow.Role.INPUT, "49660"),
        ("water", Flow.Role.INPUT, "13960"),
        ("hcl", Flow.Role.INPUT, "56500"),
        ("ch3cl", Flow.Role.INPUT, "78240"),
        ("dmdcs", Flow.Role.INPUT, "100000"),
        ("ch3cl", Flow.Role.PRODUCT, "78240"),
        ("dmdcs", Flow.Role.PRODUCT, "100000"),
        ("hcl", Flow.Role.BYPRODUCT, "56500"),
        ("siloxane", Flow.Role.PRODUCT, "57460"),
    ]:
        _flow(ent, m[material], role, quantity)

    graph = element_graph(year=YEAR, element="Cl", user=zone.users.admin, level="material")

    cycles = {tuple(cycle["nodes"]) for cycle in graph["cycles"]}
    assert ("m:ch3cl", "m:dmdcs", "m:hcl") in cycles
    assert element_graph(year=YEAR, element="Cl", user=zone.users.admin)["cycles"] == []  # one node, no exchange


def test_strongly_connected_components_of_a_small_graph():
    edges = [(1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (5, 4), (6, 6)]
    components = strongly_connected_components([1, 2, 3, 4, 5, 6, 7], edges)
    assert sorted(sorted(c) for c in components) == [[1, 2, 3], [4, 5], [6], [7]]
    assert components.index([4, 5]) < components.index([1, 2, 3])  # reverse topological order


def test_simple_cycles_lists_each_cycle_once():
    edges = [("a", "b"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "c")]
    assert sorted(simple_cycles("abc", edges)) == [["a", "b"], ["a", "b", "c"], ["c"]]
    assert simple_cycles("abc", [("a", "b"), ("b", "c")]) == []


@pytest.mark.parametrize("seed", range(12))
def test_components_and_cycles_agree_with_networkx(seed):
    graph = nx.gnp_random_graph(9, 0.25, seed=seed, directed=True)
    graph.add_edges_from([(seed % 9, seed % 9)])
    nodes, edges = list(graph.nodes), list(graph.edges)

    ours = {frozenset(c) for c in strongly_connected_components(nodes, edges)}
    assert ours == {frozenset(c) for c in nx.strongly_connected_components(graph)}

    def canonical(cycle):
        start = cycle.index(min(cycle))
        return tuple(cycle[start:] + cycle[:start])

    found = [canonical(c) for c in simple_cycles(nodes, edges, limit=10_000)]
    assert len(found) == len(set(found))
    assert set(found) == {canonical(c) for c in nx.simple_cycles(graph)}


def test_balances_and_graphs_read_in_a_fixed_number_of_queries(cluster, zone, django_assert_num_queries):
    with django_assert_num_queries(1):
        enterprise_balance(enterprise=cluster["a"], year=YEAR)
    with django_assert_num_queries(2):  # flows, exchanges
        zone_balance(year=YEAR, user=zone.users.admin)
    with django_assert_num_queries(2):
        element_graph(year=YEAR, element="Cl", user=zone.users.officer_a)
    with django_assert_num_queries(1):
        element_graph(year=YEAR, element="Cl", user=zone.users.admin, level="material")
