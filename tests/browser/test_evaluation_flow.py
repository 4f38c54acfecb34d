"""The year's evaluation on a phone: the administrator runs it from the page and follows the progress bar to the
run; a leader publishes it; the enterprise logs in and sees its class, with the radar of its sub-scores drawn."""

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def default_scheme():
    """The default scheme of migration 0002 (a transactional test before this one may have flushed it)."""
    from hitechzone.evaluation import schemes, services
    from hitechzone.evaluation.models import Scheme

    if not Scheme.objects.filter(name="default").exists():
        services.scheme_create(
            by=None,
            name="default",
            title="亩均效益综合评价（默认）",
            definition=schemes.DEFAULT_DEFINITION,
            effective_from=2000,
        )


def test_an_evaluation_is_run_from_the_page_published_by_a_leader_and_explained_to_the_enterprise(live_server, page):
    from decimal import Decimal

    from hitechzone.accounts.models import Role
    from hitechzone.common import jobs
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.evaluation.models import EvaluationResult, EvaluationRun

    default_scheme()
    brand = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    firms = {}
    for name, tax, electricity in (
        ("浙江瑞丰氟材料有限公司", "30", "100"),
        ("浙江丙方化工有限公司", "20", None),
        ("浙江乙方硅业有限公司", "10", "50"),
    ):
        firms[name] = f.EnterpriseFactory(name=name, brand=brand)
        f.IndicatorFactory(
            enterprise=firms[name],
            year=YEAR,
            is_above_scale=False,
            land_mu=Decimal(10),
            tax_wan_yuan=Decimal(tax),
            electricity_wan_kwh=None if electricity is None else Decimal(electricity),
        )
    f.UserFactory(username="admin1", role=Role.ADMIN, full_name="管理员")
    f.UserFactory(username="leader1", role=Role.LEADER, full_name="李主任")
    f.UserFactory(username="ruifeng", role=Role.ENTERPRISE, enterprise=firms["浙江瑞丰氟材料有限公司"])

    # The administrator, on a phone: the year, evaluate; the progress bar waits for the worker.
    log_in(page, live_server, "admin1")
    page.goto(f"{live_server.url}/evaluation/")
    page.fill("[data-testid=run-form] input[name=year]", str(YEAR))
    page.click("[data-testid=run-submit]")
    page.wait_for_selector("[data-testid=job-progress]")
    assert page.locator("[data-testid=job]").get_attribute("data-status") == "queued"
    assert fits_a_phone(page)

    # The worker runs the job; the polling bar reaches the end and links to the run.
    assert jobs.run_pending() == 1
    link = page.locator("[data-testid=job-run-link]")
    link.wait_for()
    run = EvaluationRun.objects.get()
    assert (run.year, run.n_below, run.published_at) == (YEAR, 3, None)
    link.click()
    page.wait_for_url(f"{live_server.url}/evaluation/runs/{run.pk}/")
    assert page.locator("[data-testid=run-state]").get_attribute("data-published") == "0"
    assert page.locator("[data-testid=result-row]").count() == 3
    assert fits_a_phone(page)

    # A leader publishes it from the overview.
    log_in(page, live_server, "leader1")
    page.goto(f"{live_server.url}/evaluation/")
    page.locator(f"[data-testid=unpublished-run][data-run='{run.pk}'] [data-testid=publish]").click()
    page.wait_for_url(f"{live_server.url}/evaluation/runs/{run.pk}/")
    assert page.locator("[data-testid=run-state]").get_attribute("data-published") == "1"
    run.refresh_from_db()
    assert run.published_at is not None

    # The enterprise: the module takes it to its own result — class B, score 135, and the radar drawn.
    log_in(page, live_server, "ruifeng")
    page.goto(f"{live_server.url}/evaluation/")
    result = EvaluationResult.objects.get(run=run, enterprise=firms["浙江瑞丰氟材料有限公司"])
    page.wait_for_url(f"{live_server.url}/evaluation/results/{result.pk}/")
    assert page.locator("[data-testid=result-class]").get_attribute("data-class") == "B"
    assert page.locator("[data-testid=score]").inner_text().strip() == "135"
    assert page.locator("[data-testid=indicator-row]").count() == 2
    page.wait_for_selector("[data-testid=radar-chart] canvas")
    assert page.locator("[data-testid=radar-chart]").get_attribute("data-rendered") == "1"
    assert fits_a_phone(page)
