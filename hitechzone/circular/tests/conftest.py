"""Fixtures of the M5 tests, built on the root ``zone`` personas (ent_a of the 氟化工 chain served by officer_a,
ent_b served by officer_b).

``english`` (autouse)
    Every test of this folder runs under ``translation.override("en")``: messages are matched in English.

``materials``
    Six materials by code, as a namespace: ``hcl`` (HCl), ``hcfc22`` (code "hcfc-22", CHClF2), ``ch3cl``
    (code "methyl-chloride", CH3Cl), ``dmdcs`` ((CH3)2SiCl2), ``methanol`` (CH3OH) and ``fluorogypsum``
    (CaSO4·2H2O). Prices: HCl disposal 800, virgin 600 yuan/t, transport 0.8 yuan/t·km.

``make_flow(enterprise, material, role, quantity_t, *, year=2025, purity=1, process="")``
    One :class:`Flow` (``material``: a Material; numbers as int/str/Decimal), written directly (no service).

``circular_data``
    2025, on top of ``materials``: ent_a makes 1000 t HCFC-22 (product) and 843 t HCl (by-product, purity 0.31);
    ent_b takes 700 t HCl (input) and makes 950 t CH3Cl (product); one exchange ent_a → ent_b of 700 t HCl by
    pipeline over 1.5 km. Namespace: ``a_product``, ``a_hcl``, ``b_hcl``, ``b_ch3cl``, ``exchange``.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

YEAR = 2025


@pytest.fixture(autouse=True)
def english(client, api_client):
    """Every test in English: the code's strings, and the pages and API answers (the language cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def materials(db):
    from hitechzone.circular.models import Material

    def make(code, name, formula, **extra):
        return Material.objects.create(code=code, name=name, formula=formula, **extra)

    return SimpleNamespace(
        hcl=make(
            "hcl",
            "氯化氢",
            "HCl",
            hazard="corrosive",
            disposal_cost_yuan_per_t=Decimal(800),
            virgin_price_yuan_per_t=Decimal(600),
            transport_cost_yuan_per_t_km=Decimal("0.8"),
            co2_avoided_t_per_t=Decimal("0.5"),
        ),
        hcfc22=make("hcfc-22", "二氟一氯甲烷", "CHClF2", virgin_price_yuan_per_t=Decimal(15000)),
        ch3cl=make("methyl-chloride", "一氯甲烷", "CH3Cl"),
        dmdcs=make("dmdcs", "二甲基二氯硅烷", "(CH3)2SiCl2"),
        methanol=make("methanol", "甲醇", "CH3OH"),
        fluorogypsum=make("fluorogypsum", "氟石膏", "CaSO4·2H2O", disposal_cost_yuan_per_t=Decimal(60)),
    )


@pytest.fixture
def make_flow(db):
    from hitechzone.circular.models import Flow

    def make(enterprise, material, role, quantity_t, *, year=YEAR, purity=1, process=""):
        return Flow.objects.create(
            enterprise=enterprise,
            material=material,
            role=role,
            quantity_t=Decimal(str(quantity_t)),
            year=year,
            purity=Decimal(str(purity)),
            process=process,
        )

    return make


@pytest.fixture
def circular_data(zone, materials, make_flow):
    from hitechzone.circular.models import Exchange

    a_product = make_flow(zone.ent_a, materials.hcfc22, "product", 1000, purity="0.999", process="HCFC-22")
    a_hcl = make_flow(zone.ent_a, materials.hcl, "byproduct", 843, purity="0.31", process="HCFC-22")
    b_hcl = make_flow(zone.ent_b, materials.hcl, "input", 700, purity="0.31")
    b_ch3cl = make_flow(zone.ent_b, materials.ch3cl, "product", 950)
    exchange = Exchange.objects.create(
        year=YEAR,
        supplier=zone.ent_a,
        receiver=zone.ent_b,
        material=materials.hcl,
        quantity_t=Decimal(700),
        mode="pipeline",
        distance_km=Decimal("1.5"),
    )
    return SimpleNamespace(a_product=a_product, a_hcl=a_hcl, b_hcl=b_hcl, b_ch3cl=b_ch3cl, exchange=exchange)
