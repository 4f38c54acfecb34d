"""The circular-economy pages: who may open what (else 403) and the M5 menu, the exchange network laid out as a
three-layer DAG, the chlorine loop on the element page, the optimiser run from the zone's data and compared with
today's exchanges, an invalid upload refused with every problem and nothing stored, and list pages whose query
count does not grow with their rows.

The hand-computed case (year 2024): hydrogen chloride and methyl chloride go round between two firms.

=========  =================================  ==========================================
firm       flows (t/yr)                       exchanges today (t/yr)
=========  =================================  ==========================================
ent_a      by-product HCl 100, input CH3Cl 50  ent_a → ent_b HCl 70 (truck, 5 km)
ent_b      input HCl 80, by-product CH3Cl 60   ent_b → ent_a CH3Cl 40 (pipeline, 5 km)
=========  =================================  ==========================================

Transport is free (0 yuan/t·km), so every tonne that can be shipped is: HCl 80 (of 100) and CH3Cl 50 (of 60).
HCl: disposal 500 + virgin 800 yuan/t; CH3Cl: disposal 1,000 + virgin 2,000 yuan/t.
Baseline (nothing exchanged) = 100 × 500 + 80 × 800 + 60 × 1,000 + 50 × 2,000 = 274,000 yuan;
optimum = 20 × 500 (HCl disposed) + 10 × 1,000 (CH3Cl disposed) = 20,000 yuan; savings = 254,000 yuan.
Unmatched today: HCl 100 − 70 = 30 t at ent_a, CH3Cl 60 − 40 = 20 t at ent_b (2 by-products, 110 t exchanged).
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from hitechzone.circular import network_views, optimize
from hitechzone.circular.models import Exchange, Flow, Material, OptimizationRun
from hitechzone.enterprises.tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2024
PERSONAS = ["admin", "leader", "dept_a", "officer_a", "officer_b", "expert_a", "ent_a", "ent_b"]
READERS = {"admin", "leader", "dept_a", "officer_a", "officer_b", "ent_a", "ent_b"}
RUNNERS = {"admin", "leader", "dept_a", "officer_a", "officer_b"}


def as_user(client, user):
    """The client signed in as ``user``, reading the pages in English."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html(response) -> str:
    return response.content.decode()


def material(code, name, formula, *, disposal, virgin, transport="0"):
    return Material.objects.create(
        code=code,
        name=name,
        formula=formula,
        hazard=Material.Hazard.CORROSIVE,
        disposal_cost_yuan_per_t=Decimal(disposal),
        virgin_price_yuan_per_t=Decimal(virgin),
        transport_cost_yuan_per_t_km=Decimal(transport),
        co2_avoided_t_per_t=Decimal("0.5"),
    )


def flow(enterprise, mat, role, t, year=YEAR):
    return Flow.objects.create(enterprise=enterprise, year=year, material=mat, role=role, quantity_t=Decimal(t))


def exchange(supplier, receiver, mat, t, mode=Exchange.Mode.TRUCK, year=YEAR):
    return Exchange.objects.create(
        year=year,
        supplier=supplier,
        receiver=receiver,
        material=mat,
        quantity_t=Decimal(t),
        mode=mode,
        distance_km=Decimal(5),
    )


@pytest.fixture
def case(zone):
    hcl = material("hcl", "氯化氢", "HCl", disposal=500, virgin=800)
    ch3cl = material("ch3cl", "一氯甲烷", "CH3Cl", disposal=1000, virgin=2000)
    hcl.chains.add(zone.chain)
    flow(zone.ent_a, hcl, Flow.Role.BYPRODUCT, 100)
    flow(zone.ent_a, ch3cl, Flow.Role.INPUT, 50)
    flow(zone.ent_b, hcl, Flow.Role.INPUT, 80)
    flow(zone.ent_b, ch3cl, Flow.Role.BYPRODUCT, 60)
    exchange(zone.ent_a, zone.ent_b, hcl, 70)
    exchange(zone.ent_b, zone.ent_a, ch3cl, 40, mode=Exchange.Mode.PIPELINE)
    zone.hcl, zone.ch3cl = hcl, ch3cl
    return zone


def url(name, case, *args):
    return reverse(f"circular:{name}", args=args)


READ_PAGES = ["home", "materials", "material", "balances", "network", "network-data", "elements"]


def page_url(name, case):
    if name == "material":
        return reverse("circular:material", args=["hcl"]) + f"?year={YEAR}"
    return reverse(f"circular:{name}") + f"?year={YEAR}"


# --- Who may open what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", READ_PAGES)
def test_the_pages_open_for_every_role_but_experts(client, case, persona, name):
    response = as_user(client, getattr(case.users, persona)).get(page_url(name, case))
    assert response.status_code == (200 if persona in READERS else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_optimiser_opens_for_the_zones_staff_and_officers_only(client, case, persona):
    response = as_user(client, getattr(case.users, persona)).get(reverse("circular:optimize"))
    assert response.status_code == (200 if persona in RUNNERS else 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_m5_entry_of_the_main_menu_is_hidden_from_experts(client, case, persona):
    page = html(as_user(client, getattr(case.users, persona)).get(reverse("home"), follow=True))
    assert (f'href="{reverse("circular:home")}"' in page) == (persona in READERS)


def test_the_module_menu_lists_what_the_role_may_open(client, case):
    admin_page = html(as_user(client, case.users.admin).get(reverse("circular:home")))
    for key in ("home", "materials", "balances", "network", "elements", "optimize"):
        assert f'data-nav="{key}"' in admin_page
    ent_page = html(as_user(client, case.users.ent_a).get(reverse("circular:home")))
    assert 'data-nav="network"' in ent_page
    assert 'data-nav="optimize"' not in ent_page


def test_a_material_that_does_not_exist_is_a_404(client, case):
    assert as_user(client, case.users.admin).get(reverse("circular:material", args=["nope"])).status_code == 404


# --- Overview and materials ------------------------------------------------------------------------------------------


def test_the_overview_gives_the_years_figures(client, case):
    page = html(as_user(client, case.users.admin).get(reverse("circular:home") + f"?year={YEAR}"))
    assert '<div class="value" data-testid="figure-materials"><a class="text-decoration-none"' in page
    assert 'data-testid="figure-flows">4<' in page
    assert 'data-testid="figure-exchanges">2<' in page
    assert 'data-testid="figure-exchanged_t">110<' in page
    assert 'data-testid="figure-unmatched">2<' in page
    assert page.count('data-testid="unmatched-row"') == 2


def test_the_chain_filter_keeps_the_exchanges_with_an_end_on_the_chain(client, case):
    third = f.EnterpriseFactory(name="浙江丙方化工有限公司")
    exchange(third, case.ent_b, case.hcl, 5)
    c = as_user(client, case.users.admin)
    everything = html(c.get(reverse("circular:home") + f"?year={YEAR}"))
    assert 'data-testid="figure-exchanges">3<' in everything
    chained = html(c.get(reverse("circular:home") + f"?year={YEAR}&chain={case.chain.pk}"))
    assert 'data-testid="figure-exchanges">2<' in chained  # both of ent_a's, not the third firm's


def test_an_enterprise_sees_only_its_own_exchanges(client, case):
    third = f.EnterpriseFactory(name="浙江丙方化工有限公司")
    exchange(third, case.ent_b, case.hcl, 5)
    page = html(as_user(client, case.users.ent_a).get(reverse("circular:home") + f"?year={YEAR}"))
    assert 'data-testid="figure-exchanges">2<' in page
    assert 'data-testid="figure-flows">2<' in page


def test_a_material_shows_its_element_fractions_and_where_it_flows(client, case):
    page = html(as_user(client, case.users.admin).get(reverse("circular:material", args=["hcl"]) + f"?year={YEAR}"))
    # HCl: Cl 35.45 / 36.458 = 0.97235, H 1.008 / 36.458 = 0.02765
    assert 'data-element="Cl"' in page
    assert "0.9724" in page
    assert "0.0276" in page
    assert case.ent_a.name in page
    assert case.ent_b.name in page
    assert 'data-testid="material-exchanges"' in page


def test_the_materials_list_searches_by_formula(client, case):
    page = html(as_user(client, case.users.ent_b).get(reverse("circular:materials") + "?q=CH3"))
    assert 'data-code="ch3cl"' in page
    assert 'data-code="hcl"' not in page


# --- Balances -------------------------------------------------------------------------------------------------------


def test_the_balances_flag_the_chlorine_gaps(client, case):
    page = html(as_user(client, case.users.admin).get(reverse("circular:balances") + f"?year={YEAR}"))
    assert 'data-testid="zone-balance"' in page
    assert page.count('data-testid="enterprise-balance"') == 2
    # ent_a: Cl in 50 × 0.7022 = 35.1 t, out 100 × 0.9723 = 97.2 t; a gap far beyond 2 %
    assert 'data-element="Cl" data-flagged="1"' in page
    assert "table-danger" in page


def test_an_enterprise_user_sees_its_own_balance_only(client, case):
    page = html(as_user(client, case.users.ent_a).get(reverse("circular:balances") + f"?year={YEAR}"))
    assert f'data-enterprise="{case.ent_a.pk}"' in page
    assert f'data-enterprise="{case.ent_b.pk}"' not in page
    assert 'data-testid="zone-balance"' not in page


# --- The network ----------------------------------------------------------------------------------------------------


def test_the_network_is_a_three_layer_dag_even_with_the_chlorine_loop(client, case):
    data = as_user(client, case.users.admin).get(reverse("circular:network-data") + f"?year={YEAR}").json()
    names = {n["name"]: n["depth"] for n in data["nodes"]}
    sources = {link["source"] for link in data["links"]}
    targets = {link["target"] for link in data["links"]}
    supplier_a, receiver_a = f"{case.ent_a.name} (供)", f"{case.ent_a.name} (收)"
    assert names[supplier_a] == 0
    assert names[receiver_a] == 2
    # no enterprise node is both a source and a target; every link goes one layer to the right
    for name, depth in names.items():
        if depth != 1:
            assert not (name in sources and name in targets), name
    for link in data["links"]:
        assert names[link["target"]] == names[link["source"]] + 1
    # and therefore no cycle: a topological order exists
    remaining = {link["source"] for link in data["links"]} | targets
    edges = {(link["source"], link["target"]) for link in data["links"]}
    while remaining:
        free = {n for n in remaining if not any(t == n and s in remaining for s, t in edges)}
        assert free, "the sankey has a cycle"
        remaining -= free
    widths = {(link["source"], link["target"]): link["value"] for link in data["links"]}
    assert widths[(supplier_a, str(case.hcl))] == 70
    assert widths[(str(case.ch3cl), receiver_a)] == 40


def test_the_sankey_of_no_exchange_is_empty():
    assert network_views.sankey([]) == {"nodes": [], "links": [], "unit": "t/yr"}


def test_the_network_page_embeds_the_chart_and_lists_the_exchanges(client, case):
    page = html(as_user(client, case.users.officer_b).get(reverse("circular:network") + f"?year={YEAR}"))
    assert 'data-testid="network-chart"' in page
    assert page.count('data-testid="exchange-row"') == 2  # both exchanges have ent_b at one end


# --- Element cycles -------------------------------------------------------------------------------------------------


def test_the_element_page_shows_the_chlorine_loop(client, case):
    page = html(as_user(client, case.users.admin).get(reverse("circular:elements") + f"?year={YEAR}"))
    assert 'data-testid="element-chart"' in page
    assert page.count('data-testid="cycle"') == 1
    cycle = page.split('data-testid="cycle">')[1].split("</li>")[0]
    assert case.ent_a.name in cycle
    assert case.ent_b.name in cycle


def test_an_element_without_a_loop_lists_no_cycle(client, case):
    page = html(as_user(client, case.users.admin).get(reverse("circular:elements") + f"?year={YEAR}&element=C"))
    assert 'data-testid="no-cycle"' in page


# --- The optimiser --------------------------------------------------------------------------------------------------


def test_the_optimiser_runs_on_the_zones_data_stores_the_run_and_shows_the_savings(client, case):
    c = as_user(client, case.users.admin)
    response = c.post(reverse("circular:optimize-zone"), {"year": YEAR, "name": ""})
    run = OptimizationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("circular:optimize-run", args=[run.pk])
    assert (run.year, run.status, run.created_by) == (YEAR, "optimal", case.users.admin)
    assert run.result["savings"] == pytest.approx(254000)
    page = html(c.get(response["Location"]))
    assert 'data-testid="result-savings">254,000<' in page
    assert 'data-testid="result-baseline_cost">274,000<' in page
    # today 70 → optimal 80 t HCl, today 40 → optimal 50 t CH3Cl; 20 t HCl and 10 t CH3Cl left unmatched
    rows = page.split('data-testid="comparison"')[1].split("</table>")[0]
    assert rows.count('data-change="up"') == 2
    assert ">70<" in rows
    assert ">80<" in rows
    assert ">40<" in rows
    assert ">50<" in rows
    unmatched = page.split('data-testid="unmatched"')[1].split("</table>")[0]
    assert unmatched.count('data-testid="unmatched-row"') == 2
    assert ">20<" in unmatched
    assert ">10<" in unmatched
    listing = html(c.get(reverse("circular:optimize")))
    assert f'data-run="{run.pk}"' in listing


def test_the_zones_scenario_downloads_as_json(client, case):
    response = as_user(client, case.users.leader).get(reverse("circular:optimize-scenario") + f"?year={YEAR}")
    assert response["Content-Disposition"] == f'attachment; filename="scenario-{YEAR}.json"'
    scenario = json.loads(response.content)
    assert len(scenario["supplies"]) == 2
    assert len(scenario["demands"]) == 2
    assert optimize.validate(scenario) == []


def test_an_uploaded_scenario_is_run(client, case):
    scenario = {
        "materials": [{"code": "hcl", "disposal_cost_per_t": 500, "virgin_price_per_t": 800}],
        "supplies": [{"id": "s1", "material": "hcl", "quantity_t": 10}],
        "demands": [{"id": "d1", "material": "hcl", "quantity_t": 4}],
        "arcs": [{"supply": "s1", "demand": "d1", "cost_per_t": 100}],
    }
    upload = io.BytesIO(json.dumps(scenario).encode())
    upload.name = "what-if.json"
    response = as_user(client, case.users.officer_a).post(
        reverse("circular:optimize-upload"), {"file": upload, "name": "HCl what-if"}
    )
    run = OptimizationRun.objects.get()
    assert response.status_code == 302
    assert (run.name, run.year, run.created_by) == ("HCl what-if", None, case.users.officer_a)
    # 4 t shipped at 100 instead of 500 disposal + 800 virgin: 4 × 1,200 = 4,800 saved
    assert run.result["savings"] == pytest.approx(4800)


def test_an_invalid_upload_shows_every_problem_and_stores_nothing(client, case):
    scenario = {
        "materials": [{"code": "hcl", "disposal_cost_per_t": 500, "virgin_price_per_t": 800}],
        "supplies": [{"id": "s1", "material": "hcl", "quantity_t": -10}],
        "demands": [{"id": "d1", "material": "ch3cl", "quantity_t": 4}],
        "arcs": [{"supply": "s1", "demand": "d9", "cost_per_t": 100}],
    }
    problems = optimize.validate(scenario)
    assert len(problems) >= 3  # a negative quantity, an unknown material, an unknown demand
    upload = io.BytesIO(json.dumps(scenario).encode())
    upload.name = "bad.json"
    response = as_user(client, case.users.admin).post(reverse("circular:optimize-upload"), {"file": upload})
    assert response.status_code == 400
    page = html(response)
    assert page.count('data-testid="scenario-problem"') == len(problems)
    for problem in problems:
        assert escape(problem) in page
    assert not OptimizationRun.objects.exists()


def test_a_file_that_is_not_json_is_refused(client, case):
    upload = io.BytesIO(b'{"supplies": [')
    upload.name = "broken.json"
    response = as_user(client, case.users.admin).post(reverse("circular:optimize-upload"), {"file": upload})
    assert response.status_code == 400
    assert "not valid JSON" in html(response)
    assert not OptimizationRun.objects.exists()


def test_an_enterprise_cannot_run_the_optimiser(client, case):
    response = as_user(client, case.users.ent_a).post(reverse("circular:optimize-zone"), {"year": YEAR})
    assert response.status_code == 403
    assert not OptimizationRun.objects.exists()


def test_an_officer_sees_their_own_runs_only(client, case):
    run = optimize.run_optimization(by=case.users.officer_a, scenario=optimize.scenario_from_zone(year=YEAR), year=YEAR)
    page_url_ = reverse("circular:optimize-run", args=[run.pk])
    assert as_user(client, case.users.officer_a).get(page_url_).status_code == 200
    assert as_user(client, case.users.officer_b).get(page_url_).status_code == 404
    assert as_user(client, case.users.leader).get(page_url_).status_code == 200
    assert f'data-run="{run.pk}"' not in html(as_user(client, case.users.officer_b).get(reverse("circular:optimize")))


# --- Query budgets --------------------------------------------------------------------------------------------------


def more_rows(case, n):
    """``n`` more firm pairs exchanging HCl, with their flows."""
    for _ in range(n):
        a, b = f.EnterpriseFactory(), f.EnterpriseFactory()
        a.chains.add(case.chain)
        flow(a, case.hcl, Flow.Role.BYPRODUCT, 10)
        flow(b, case.hcl, Flow.Role.INPUT, 10)
        exchange(a, b, case.hcl, 5)
        m = Material.objects.create(code=f"m{a.pk}", name=f"物料{a.pk}", formula="NaCl")
        m.chains.add(case.chain)


def queries(client, url_):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url_).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["home", "materials", "balances", "network", "network-data", "elements", "optimize"])
def test_the_pages_query_count_does_not_grow_with_the_rows(client, case, name):
    c = as_user(client, case.users.admin)
    optimize.run_optimization(by=case.users.admin, scenario=optimize.scenario_from_zone(year=YEAR), year=YEAR)
    target = page_url(name, case)
    before = queries(c, target)
    more_rows(case, 4)
    optimize.run_optimization(by=case.users.admin, scenario=optimize.scenario_from_zone(year=YEAR), year=YEAR)
    assert queries(c, target) == before
