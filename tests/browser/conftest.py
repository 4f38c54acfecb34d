"""Browser tests: Playwright for Python driving Debian's chromium (no browser download here).

Without /usr/bin/chromium they are skipped on a developer's machine; in CI (CI=true) a missing
browser is a failure, since `.ci/run` installs it.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def reference_data(db):
    """What the data migrations seed and a transactional test before this one may have flushed: the GB/T 4754
    industry table, this year's demo 标准地 admission rules and the demo review weights. Restored through the
    migrations' own code."""
    import importlib

    from django.apps import apps

    from hitechzone.enterprises.reference import load_industries

    Industry = apps.get_model("enterprises", "Industry")
    if not Industry.objects.exists():
        load_industries(Industry)
    rules = importlib.import_module("hitechzone.projects.migrations.0002_demo_admission_rules")
    rules.create_demo_defaults(apps, None)
    # The review weights moved to the shared review (docs/0013): one row per kind, from the migrations' own values.
    from hitechzone.review.models import ScoringWeights

    project = importlib.import_module("hitechzone.projects.migrations.0003_experts_panels").DEMO_WEIGHTS
    team = importlib.import_module("hitechzone.review.migrations.0002_team_demo_weights").TEAM_DEMO_WEIGHTS
    for kind, values in (("project", project), ("team", team)):
        if not ScoringWeights.objects.filter(kind=kind).exists():
            ScoringWeights.objects.create(
                kind=kind, version=1, weights=values, is_demo_default=True, note=f"{kind} demo defaults"
            )
