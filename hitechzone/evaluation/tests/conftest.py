"""Fixtures of the evaluation tests, built on the root ``zone`` personas.

``english`` (autouse)
    Every test of this folder runs under ``translation.override("en")``: messages are matched in English.

``make_firm(*, above=True, year=2024, brand=None, industry=None, name=None, **figures)``
    An enterprise (of ``zone.brand_a`` unless ``brand``) with one row of yearly indicators for ``year``
    holding exactly ``figures`` (``EnterpriseIndicator.FIGURES`` names; numbers, the others blank) and
    ``is_above_scale=above``. ``year=None`` makes no row. ``industry``: a GB/T 4754 code (e.g. "2614").
    Firms made later have larger USCCs. Year 2024 by default: the zone's two enterprises have rows for 2025
    only, so a 2024 run holds exactly the firms a test made.

``published_run``
    A run of 2025 over the zone (ent_a and ent_b: both below designated size, 50 亩, tax 600) by the admin,
    published by the leader.

``run_year(year=2024, scheme=None)``
    Runs the evaluation of ``year`` as the admin and returns ``(run, {uscc: result})``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(client):
    """Every test in English: the code's strings, and the pages the test client asks for (the language cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def make_firm(zone):
    from hitechzone.enterprises.models import EnterpriseIndicator
    from hitechzone.enterprises.tests import factories as f

    def make(*, above=True, year=2024, brand=None, industry=None, name=None, **figures):
        unknown = set(figures) - set(EnterpriseIndicator.FIGURES)
        assert not unknown, f"not figures: {unknown}"
        extra = {"name": name} if name else {}
        firm = f.EnterpriseFactory(brand=brand or zone.brand_a, industry_id=industry, is_above_scale=above, **extra)
        if year is not None:
            values = {k: (None if v is None else Decimal(str(v))) for k, v in figures.items()}
            if values.get("employees_avg") is not None:
                values["employees_avg"] = int(values["employees_avg"])
            EnterpriseIndicator.objects.create(enterprise=firm, year=year, is_above_scale=above, **values)
        return firm

    return make


@pytest.fixture
def run_year(zone):
    from hitechzone.evaluation import services
    from hitechzone.evaluation.models import EvaluationResult

    def run(year=2024, scheme=None):
        r = services.run_evaluation(by=zone.users.admin, year=year, scheme=scheme)
        return r, {x.uscc: x for x in EvaluationResult.objects.filter(run=r)}

    return run


@pytest.fixture
def published_run(zone):
    from hitechzone.evaluation import services

    run = services.run_evaluation(by=zone.users.admin, year=2025)
    return services.run_publish(by=zone.users.leader, run=run)
