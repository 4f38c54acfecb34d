"""The demo's circular economy (M5): the article's 23 projects, the fluorine–silicon cluster whose flows follow
the reactions' stoichiometry (every element balance closes), the silicone chain's chlorine loop in the
exchanges, surpluses and shortfalls for the optimiser.

The whole demo is loaded once for the module (``load_demo --seed 42``, inside a transaction rolled back at the
end); every test reads it inside its own savepoint.
"""

import random
from decimal import Decimal

import pytest
from django.db import transaction
from django.test.utils import override_settings

from hitechzone.accounts.models import User
from hitechzone.circular import balance
from hitechzone.circular.models import CircularProject, Exchange, Flow, Material, ResourceYear
from hitechzone.demo import circular as demo_circular
from hitechzone.demo import generator
from hitechzone.demo.reference import FORBIDDEN_NAME_PARTS

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
YEARS = demo_circular.YEARS
R = Flow.Role


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        report = generator.load_demo(seed=42)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def zone(demo, db):
    """The loaded demo, inside this test's savepoint."""
    return demo


@pytest.fixture
def cluster(zone):
    return demo_circular.pick_cluster()


def pure(enterprise, year, code, role) -> float:
    """Pure tonnes (quantity × purity) of one flow."""
    flow = Flow.objects.get(enterprise=enterprise, year=year, material__code=code, role=role)
    return float(flow.quantity_t * flow.purity)


def shipped(supplier, receiver, year, code) -> Exchange:
    return Exchange.objects.get(supplier=supplier, receiver=receiver, year=year, material__code=code)


def test_the_article_s_23_projects_one_by_the_government_with_its_totals(zone):
    projects = CircularProject.objects.all()
    assert projects.count() == 23
    assert projects.filter(owner="government", enterprise__isnull=True).count() == 1
    assert projects.filter(owner="enterprise", enterprise__isnull=False).count() == 22
    assert sum(p.total_investment_wan_yuan for p in projects) == Decimal(145100)
    assert sum(p.central_funds_approved_wan_yuan for p in projects) == Decimal(21000)
    assert {p.batch_year for p in projects} == {2013, 2014, 2015, 2016, 2017}
    assert {p.category for p in projects} == set(CircularProject.Category.values)
    for p in projects:
        assert p.central_funds_paid_wan_yuan <= p.central_funds_approved_wan_yuan
        assert bool(p.grade) == (p.status == "accepted"), p.code  # only accepted projects have a grade
        assert p.started_on.year == p.batch_year
        assert not any(part in p.name for part in FORBIDDEN_NAME_PARTS)
    accepted = projects.filter(status="accepted")
    assert accepted.filter(grade="good").count() > accepted.filter(grade="excellent").count() > 1
    assert accepted.filter(grade="failed").count() == 1


def test_the_cluster_has_nine_distinct_firms_of_the_three_chains(cluster):
    assert list(cluster) == [p.key for p in demo_circular.PLANTS]
    assert len({e.pk for e in cluster.values()}) == 9
    for plant in demo_circular.PLANTS:
        assert plant.chain in set(cluster[plant.key].chains.values_list("code", flat=True))


@pytest.mark.parametrize("year", YEARS)
def test_every_cluster_firm_s_element_balances_close_within_2_percent(cluster, year):
    for key, enterprise in cluster.items():
        result = balance.enterprise_balance(enterprise=enterprise, year=year, tolerance=0.02)
        assert not result["unknown"], key
        assert not result["flagged"], (key, result["flagged"])
        elements = {row["element"]: row for row in result["elements"]}
        if key not in ("hf",):
            assert elements["Cl"]["in"] > 0, key
        for row in elements.values():
            assert row["out"] == pytest.approx(row["in"], rel=0.02), (key, row)


def test_chlorine_balance_by_hand_for_the_hcfc_22_maker(cluster):
    """CHCl3 in, CHClF2 and HCl out: Cl mass fractions 3×35.45/119.369 and 35.45/86.465, 35.45/36.458."""
    firm = cluster["hcfc22"]
    cl_in = pure(firm, 2025, "chcl3", R.INPUT) * 3 * 35.45 / 119.369
    cl_out = pure(firm, 2025, "hcfc-22", R.PRODUCT) * 35.45 / 86.465 + pure(firm, 2025, "hcl", R.BYPRODUCT) * (
        35.45 / 36.458
    )
    assert cl_out == pytest.approx(cl_in, rel=0.001)


@pytest.mark.parametrize("year", YEARS)
def test_the_silicone_chain_s_chlorine_loop_is_in_the_exchanges(cluster, year):
    # HCl → methyl chloride maker → monomer maker → hydrolysis → HCl back to the methyl chloride maker
    mc, mono, hyd = cluster["methyl_chloride"], cluster["monomer"], cluster["hydrolysis"]
    assert shipped(hyd, mc, year, "hcl").quantity_t > 0
    assert shipped(mc, mono, year, "ch3cl").quantity_t > 0
    assert shipped(mono, hyd, year, "dmdcs").quantity_t > 0


def test_the_element_graph_shows_the_chlorine_loop(cluster):
    admin = User.objects.get(username="admin")
    graph = balance.element_graph(year=2025, element="Cl", user=admin)
    loop = {f"e:{cluster[k].pk}" for k in ("methyl_chloride", "monomer", "hydrolysis")}
    assert any(loop <= set(cycle["nodes"]) for cycle in graph["cycles"])


@pytest.mark.parametrize("year", YEARS)
def test_the_issue_s_ratios_hold_in_the_flows(cluster, year):
    c = cluster
    ratio = pytest.approx
    f = pure(c["hcfc22"], year, "hcl", R.BYPRODUCT) / pure(c["hcfc22"], year, "hcfc-22", R.PRODUCT)
    assert f == ratio(0.843, rel=0.002)
    f = pure(c["methyl_chloride"], year, "hcl", R.INPUT) / pure(c["methyl_chloride"], year, "ch3cl", R.PRODUCT)
    assert f == ratio(0.722, rel=0.002)
    assert pure(c["hydrolysis"], year, "hcl", R.BYPRODUCT) / pure(c["hydrolysis"], year, "d4", R.PRODUCT) == ratio(
        0.983, rel=0.002
    )
    tcs = pure(c["trichlorosilane"], year, "sihcl3", R.PRODUCT)
    assert pure(c["trichlorosilane"], year, "hcl", R.INPUT) / tcs == ratio(0.808, rel=0.002)
    assert pure(c["trichlorosilane"], year, "h2", R.BYPRODUCT) / tcs == ratio(0.0149, rel=0.01)
    cl2 = pure(c["chlor_alkali"], year, "cl2", R.PRODUCT)
    assert pure(c["chlor_alkali"], year, "naoh", R.PRODUCT) / cl2 == ratio(1.128, rel=0.002)
    assert pure(c["chlor_alkali"], year, "h2", R.BYPRODUCT) / cl2 == ratio(0.0284, rel=0.01)
    hf = c["hf"]
    assert pure(hf, year, "fluorogypsum", R.WASTE) / pure(hf, year, "hf", R.PRODUCT) >= 3.4


def test_surpluses_and_shortfalls_are_left_for_the_optimiser(cluster):
    c = cluster
    year = 2025

    def out(firm, code):
        return sum(e.quantity_t for e in Exchange.objects.filter(year=year, supplier=firm, material__code=code))

    def received(firm, code):
        return sum(e.quantity_t for e in Exchange.objects.filter(year=year, receiver=firm, material__code=code))

    hcfc22_hcl = Flow.objects.get(enterprise=c["hcfc22"], year=year, material__code="hcl", role=R.BYPRODUCT)
    assert out(c["hcfc22"], "hcl") < hcfc22_hcl.quantity_t / 2  # more than half is neutralised
    for key in ("chlor_alkali", "trichlorosilane"):  # hydrogen flared
        made = Flow.objects.get(enterprise=c[key], year=year, material__code="h2", role=R.BYPRODUCT).quantity_t
        assert out(c[key], "h2") < made
    for key in ("methyl_chloride", "trichlorosilane"):  # HCl bought from outside
        needed = Flow.objects.get(enterprise=c[key], year=year, material__code="hcl", role=R.INPUT).quantity_t
        assert 0 < received(c[key], "hcl") < needed


def test_exchange_distances_come_from_the_parcels_and_pipelines_join_neighbours(cluster):
    where = demo_circular._centroids([e.pk for e in cluster.values()])
    exchanges = Exchange.objects.all()
    assert exchanges.count() == 10 * len(YEARS)
    for e in exchanges:
        km = demo_circular.haversine_km(where[e.supplier_id], where[e.receiver_id])
        assert float(e.distance_km) == pytest.approx(km, abs=0.006)
        if e.mode == Exchange.Mode.PIPELINE:
            assert float(e.distance_km) <= demo_circular.PIPE_KM
    assert exchanges.filter(mode="pipeline").exists()
    assert exchanges.filter(mode="truck").exists()


def test_materials_carry_formulas_economics_and_chains(zone):
    hcl = Material.objects.get(code="hcl")
    assert hcl.formula == "HCl"
    assert hcl.hazardous_waste_code == "261-057-34"
    assert hcl.disposal_cost_yuan_per_t > 0
    assert set(hcl.chains.values_list("code", flat=True)) == {"fluorine", "organosilicon", "inorganic-silicon"}
    assert Material.objects.get(code="dmdcs").formula == "(CH3)2SiCl2"
    assert Material.objects.get(code="hcfc-22").formula == "CHClF2"
    assert not Material.objects.filter(formula="").exists()


def test_resource_years_for_the_industrial_firms_are_consistent(zone, cluster):
    rows = ResourceYear.objects.all()
    assert rows.filter(enterprise__in=cluster.values()).count() == 9 * len(YEARS)
    assert not rows.filter(enterprise__is_industrial=False).exists()
    for row in rows:
        assert row.solid_waste_used_t + row.solid_waste_stored_t <= row.solid_waste_generated_t
        assert row.fresh_water_t > 0
        assert row.reused_water_t > 0
    hf = rows.get(enterprise=cluster["hf"], year=2025)
    gypsum = Flow.objects.get(enterprise=cluster["hf"], year=2025, material__code="fluorogypsum").quantity_t
    assert hf.solid_waste_generated_t == gypsum


def test_a_second_load_adds_nothing(zone):
    report = generator.Report()
    demo_circular.load_circular(random.Random(42), report)
    assert report.total == 0


def test_hints_name_existing_logins_and_the_project_figures(zone):
    hints = demo_circular.hints()
    assert set(hints) <= set(User.objects.values_list("username", flat=True))
    assert "145,100" in hints["leader"]
    assert "21,000" in hints["leader"]
    assert "dept1" in hints
