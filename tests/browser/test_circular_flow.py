"""The circular economy on a phone: the administrator opens the exchange network (the sankey is drawn) and the
chlorine cycle (the graph is drawn, the loop listed), then runs the optimiser on the zone's data and reads the
savings.

Two firms pass hydrogen chloride and methyl chloride back and forth (transport free): the optimum ships 80 t HCl
and 50 t CH3Cl; baseline 274,000 yuan, optimum 20,000 yuan, savings 254,000 yuan (see
hitechzone/circular/tests/test_views.py for the working).
"""

from decimal import Decimal

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_administrator_sees_the_network_and_the_chlorine_loop_and_optimises_the_exchanges(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.circular.models import Exchange, Flow, Material, OptimizationRun
    from hitechzone.enterprises.tests import factories as f

    a = f.EnterpriseFactory(name="浙江甲方氟材料有限公司")
    b = f.EnterpriseFactory(name="浙江乙方硅业有限公司")
    hcl = Material.objects.create(
        code="hcl", name="氯化氢", formula="HCl", disposal_cost_yuan_per_t=500, virgin_price_yuan_per_t=800
    )
    ch3cl = Material.objects.create(
        code="ch3cl", name="一氯甲烷", formula="CH3Cl", disposal_cost_yuan_per_t=1000, virgin_price_yuan_per_t=2000
    )
    for ent, mat, role, t in (
        (a, hcl, Flow.Role.BYPRODUCT, 100),
        (a, ch3cl, Flow.Role.INPUT, 50),
        (b, hcl, Flow.Role.INPUT, 80),
        (b, ch3cl, Flow.Role.BYPRODUCT, 60),
    ):
        Flow.objects.create(enterprise=ent, year=YEAR, material=mat, role=role, quantity_t=Decimal(t))
    for supplier, receiver, mat, t in ((a, b, hcl, 70), (b, a, ch3cl, 40)):
        Exchange.objects.create(
            year=YEAR,
            supplier=supplier,
            receiver=receiver,
            material=mat,
            quantity_t=Decimal(t),
            mode=Exchange.Mode.PIPELINE,
            distance_km=Decimal(5),
        )
    f.UserFactory(username="admin1", role=Role.ADMIN, full_name="管理员")

    log_in(page, live_server, "admin1")

    # The network: the sankey is drawn on a canvas, supplier and receiver layers apart.
    page.goto(f"{live_server.url}/circular/network/?year={YEAR}")
    page.wait_for_selector("[data-testid=network-chart] canvas")
    assert page.locator("[data-testid=network-chart]").get_attribute("data-rendered") == "1"
    assert page.locator("[data-testid=exchange-row]").count() == 2
    assert fits_a_phone(page)

    # The chlorine cycle: a graph, and the loop listed.
    page.goto(f"{live_server.url}/circular/elements/?year={YEAR}&element=Cl")
    page.wait_for_selector("[data-testid=element-chart] canvas")
    assert page.locator("[data-testid=element-chart]").get_attribute("data-rendered") == "1"
    assert page.locator("[data-testid=cycle]").count() == 1
    assert "浙江甲方氟材料有限公司" in page.locator("[data-testid=cycle]").inner_text()
    assert fits_a_phone(page)

    # The optimiser on the zone's data of the year: the run is stored and the savings shown.
    page.goto(f"{live_server.url}/circular/optimize/?year={YEAR}")
    page.fill("[data-testid=zone-form] input[name=year]", str(YEAR))
    page.click("[data-testid=zone-submit]")
    page.wait_for_selector("[data-testid=result-savings]")
    run = OptimizationRun.objects.get()
    assert page.url == f"{live_server.url}/circular/optimize/runs/{run.pk}/"
    assert page.locator("[data-testid=result-savings]").inner_text().strip() == "254,000"
    assert page.locator("[data-testid=unmatched-row]").count() == 2
    assert fits_a_phone(page)
