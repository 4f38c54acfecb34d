"""Differentiated prices: the third-ranking rule, escalation, amounts, exports, tiers and pages (real database)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from hitechzone.common.rules import Refused
from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import prices
from hitechzone.evaluation.models import (
    EnergyRanking,
    EvaluationResult,
    EvaluationRun,
    PriceTier,
    Scheme,
    SchemeVersion,
)

Y = 2025


def publish(year, classes, *, brand=None, published=True):
    """A done run of ``year`` with one result per (enterprise, class); published unless told otherwise."""
    scheme, _ = Scheme.objects.get_or_create(name="prices-test", defaults={"title": "prices test"})
    version, _ = SchemeVersion.objects.get_or_create(
        scheme=scheme, number=1, defaults={"effective_from": 2000, "definition": {}}
    )
    run = EvaluationRun.objects.create(
        year=year,
        scheme_version=version,
        brand=brand,
        status=EvaluationRun.Status.DONE,
        published_at=timezone.now() if published else None,
    )
    EvaluationResult.objects.bulk_create(
        EvaluationResult(
            run=run, enterprise=e, group="above", klass=k, score=50.0, rank=i + 1, name=e.name, uscc=e.uscc
        )
        for i, (e, k) in enumerate(classes.items())
    )
    return run


def rankings(*years):
    for year in years:
        EnergyRanking.objects.create(year=year, electricity_basis="calorific", electricity_kgce_per_kwh="0.1229")


def consumer(n, *, wan_kwh="100", wan_t="2", year=Y):
    enterprise = f.EnterpriseFactory(uscc=f.valid_uscc(800_000 + n))
    f.IndicatorFactory(
        enterprise=enterprise,
        year=year,
        electricity_wan_kwh=None if wan_kwh is None else Decimal(wan_kwh),
        water_wan_t=None if wan_t is None else Decimal(wan_t),
    )
    return enterprise


@pytest.fixture
def policy(zone):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    return zone


# --- When ---------------------------------------------------------------------------------------------------------


def test_prices_take_effect_from_the_year_of_the_zones_third_energy_ranking(db):
    rankings(2022, 2023)
    assert not prices.effective(2023)
    assert not prices.effective(2024)
    rankings(2026)  # a later ranking does not count for an earlier year
    assert not prices.effective(2025)
    rankings(2025)
    assert prices.effective(2025)
    assert prices.effective(2030)


# --- Who pays what --------------------------------------------------------------------------------------------------


def test_c_d_and_d_for_the_third_year_running_pay_their_tiers_and_a_firm_that_left_d_starts_again(policy):
    zone = policy
    c = consumer(1)
    d_once = consumer(2)
    d_twice = consumer(3)
    d_thrice = consumer(4)
    left = consumer(5)
    a = consumer(6)
    publish(Y - 3, {left: "D"})
    publish(Y - 2, {d_thrice: "D", left: "D", c: "D"})
    publish(Y - 1, {d_thrice: "D", d_twice: "D", left: "B", c: "C"})
    publish(Y, {c: "C", d_once: "D", d_twice: "D", d_thrice: "D", left: "D", a: "A"})
    rows = {r.enterprise_id: r for r in prices.surcharges(year=Y, user=zone.users.admin)}
    assert set(rows) == {c.pk, d_once.pk, d_twice.pk, d_thrice.pk, left.pk}
    seen = {
        e: (rows[e.pk].klass, rows[e.pk].years_in_class, rows[e.pk].electricity_yuan_per_kwh) for e in rows_of(rows)
    }
    assert seen == {
        c: ("C", 2, Decimal("0.10")),
        d_once: ("D", 1, Decimal("0.30")),
        d_twice: ("D", 2, Decimal("0.30")),
        d_thrice: ("D", 3, Decimal("0.40")),
        left: ("D", 1, Decimal("0.30")),
    }
    # 100 × 10^4 kWh × 0.40 = 400,000 yuan; 2 × 10^4 t × 1.0 = 20,000 yuan.
    row = rows[d_thrice.pk]
    assert (row.electricity_kwh, row.electricity_yuan) == (Decimal("1000000"), Decimal("400000.00"))
    assert (row.water_t, row.water_yuan_per_t, row.water_yuan) == (
        Decimal("20000"),
        Decimal("1.0"),
        Decimal("20000.00"),
    )
    assert row.total_yuan == Decimal("420000.00")
    assert rows[c.pk].water_yuan == Decimal("10000.00")


def rows_of(rows):
    from hitechzone.enterprises.models import Enterprise

    return Enterprise.objects.filter(pk__in=list(rows))


def test_a_year_without_a_published_run_breaks_the_streak(policy):
    e = consumer(1)
    publish(Y - 3, {e: "D"})
    publish(Y - 2, {e: "D"})
    publish(Y - 1, {e: "D"}, published=False)  # never published: does not count
    publish(Y, {e: "D"})
    (row,) = prices.surcharges(year=Y, user=policy.users.admin)
    assert (row.years_in_class, row.electricity_yuan_per_kwh) == (1, Decimal("0.30"))


def test_only_the_latest_published_whole_zone_run_counts_not_a_brands_run(policy):
    e = consumer(1)
    publish(Y, {e: "A"})
    publish(Y, {e: "D"}, brand=policy.brand_a)
    assert prices.surcharges(year=Y, user=policy.users.admin) == []
    publish(Y, {e: "C"})  # a later whole-zone run
    (row,) = prices.surcharges(year=Y, user=policy.users.admin)
    assert row.klass == "C"


def test_a_firm_without_the_years_figures_is_listed_with_nothing_computed_and_totals_skip_it(policy):
    e = consumer(1, wan_kwh=None, wan_t=None)
    g = consumer(2, wan_kwh="10", wan_t="1")
    publish(Y, {e: "D", g: "D"})
    rows = prices.surcharges(year=Y, user=policy.users.admin)
    by_id = {r.enterprise_id: r for r in rows}
    assert (by_id[e.pk].electricity_yuan, by_id[e.pk].water_yuan, by_id[e.pk].total_yuan) == (None, None, 0)
    totals = prices.totals(rows)
    assert totals["electricity_yuan"] == Decimal("30000.00")  # 100,000 kWh × 0.30
    assert totals["water_yuan"] == Decimal("10000.00")
    assert (totals["missing_electricity"], totals["missing_water"], totals["enterprises"]) == (1, 1, 2)


def test_no_tier_no_surcharge(zone):
    e = consumer(1)
    publish(Y, {e: "D"})
    assert prices.surcharges(year=Y, user=zone.users.admin) == []


def test_surcharges_are_scoped_by_role(policy):
    zone = policy
    for indicator, wan in ((zone.indicator_a, "10"), (zone.indicator_b, "20")):
        indicator.year, indicator.electricity_wan_kwh = Y, Decimal(wan)
        indicator.save()
    publish(Y, {zone.ent_a: "D", zone.ent_b: "C"})
    users = zone.users
    assert len(prices.surcharges(year=Y, user=users.admin)) == 2
    assert len(prices.surcharges(year=Y, user=users.leader)) == 2
    for user in (users.ent_a, users.officer_a):
        assert [r.enterprise_id for r in prices.surcharges(year=Y, user=user)] == [zone.ent_a.pk]
    for user in (users.dept_a, users.expert_a):
        with pytest.raises(Refused):
            prices.surcharges(year=Y, user=user)


# --- Exports --------------------------------------------------------------------------------------------------------


def read_sheets(data: bytes) -> list[list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]


def billed_zone(zone):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    rankings(Y - 2, Y - 1, Y)
    d = consumer(1, wan_kwh="100", wan_t="2")
    c = consumer(2, wan_kwh="50", wan_t=None)
    publish(Y - 2, {d: "D"})
    publish(Y - 1, {d: "D"})
    publish(Y, {d: "D", c: "C"})
    return d, c


def test_the_power_company_list_has_each_payer_with_kwh_rate_and_amount(zone):
    d, c = billed_zone(zone)
    name, data = prices.surcharge_xlsx(year=Y, user=zone.users.admin, company="electricity")
    assert name == f"差别化电价-{Y}.xlsx"
    sheet, summary = read_sheets(data)
    assert sheet[0] == list(prices.ELECTRICITY_HEADERS)
    assert sheet[1:] == [
        [d.uscc, d.name, "D", 3.0, 1_000_000.0, 0.4, 400_000.0],
        [c.uscc, c.name, "C", 1.0, 500_000.0, 0.1, 50_000.0],
    ]
    assert ["加价金额合计(元)", 450_000.0] in summary


def test_the_water_company_list_leaves_out_a_firm_without_water_figures(zone):
    d, _c = billed_zone(zone)
    name, data = prices.surcharge_xlsx(year=Y, user=zone.users.leader, company="water")
    assert name == f"差别化水价-{Y}.xlsx"
    sheet, _summary = read_sheets(data)
    assert sheet[0] == list(prices.WATER_HEADERS)
    assert sheet[1:] == [[d.uscc, d.name, "D", 3.0, 20_000.0, 1.0, 20_000.0]]


def test_before_the_third_ranking_the_lists_are_not_exported(zone):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    rankings(Y - 1, Y)
    publish(Y, {consumer(1): "D"})
    assert len(prices.surcharges(year=Y, user=zone.users.admin)) == 1  # the preview
    with pytest.raises(Refused, match="preview"):
        prices.surcharge_xlsx(year=Y, user=zone.users.admin, company="electricity")


@pytest.mark.parametrize("persona", ["officer_a", "ent_a"])
def test_only_administrators_and_leaders_export_the_lists(zone, persona):
    billed_zone(zone)
    with pytest.raises(Refused):
        prices.surcharge_xlsx(year=Y, user=getattr(zone.users, persona), company="electricity")


# --- Tiers ----------------------------------------------------------------------------------------------------------


def test_the_demo_policy_loads_once_and_keeps_a_changed_tier(zone):
    admin = zone.users.admin
    added = prices.tiers_load_defaults(by=admin, year=Y)
    assert sorted((t.klass, t.min_years_in_class, t.electricity_yuan_per_kwh, t.water_yuan_per_t) for t in added) == [
        ("C", 1, Decimal("0.10"), Decimal("0.5")),
        ("D", 1, Decimal("0.30"), Decimal("1.0")),
        ("D", 3, Decimal("0.40"), Decimal("1.0")),
    ]
    tier = PriceTier.objects.get(year=Y, klass="C")
    prices.tier_save(
        by=admin, tier=tier, year=Y, klass="C", electricity_yuan_per_kwh=Decimal("0.15"), water_yuan_per_t=Decimal(1)
    )
    assert prices.tiers_load_defaults(by=admin, year=Y) == []
    assert PriceTier.objects.get(year=Y, klass="C").electricity_yuan_per_kwh == Decimal("0.1500")


def test_a_second_tier_for_the_same_class_and_years_is_refused(zone):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    with pytest.raises(Refused, match="already"):
        prices.tier_save(
            by=zone.users.admin, year=Y, klass="D", electricity_yuan_per_kwh=Decimal(1), water_yuan_per_t=Decimal(1)
        )


@pytest.mark.parametrize("persona", ["leader", "officer_a", "ent_a", "dept_a", "expert_a"])
def test_only_administrators_write_tiers(zone, persona):
    user = getattr(zone.users, persona)
    with pytest.raises(Refused):
        prices.tiers_load_defaults(by=user, year=Y)
    with pytest.raises(Refused):
        prices.tier_save(by=user, year=Y, klass="D", electricity_yuan_per_kwh=Decimal(1), water_yuan_per_t=Decimal(1))
    assert not PriceTier.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------------------------


def test_the_prices_page_marks_a_preview_and_offers_no_export_before_the_third_ranking(zone, client):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    publish(Y, {consumer(1): "D"})
    client.force_login(zone.users.admin)
    page = client.get(reverse("evaluation:prices"), {"year": Y}).content.decode()
    assert 'data-effective="0"' in page
    assert page.count('data-testid="surcharge-row"') == 1
    assert 'data-testid="export-electricity"' not in page
    response = client.get(reverse("evaluation:prices"), {"year": Y, "export": "electricity"})
    assert response.status_code == 302


def test_the_prices_page_lists_totals_and_downloads_both_lists_once_in_force(zone, client):
    billed_zone(zone)
    client.force_login(zone.users.leader)
    page = client.get(reverse("evaluation:prices"), {"year": Y}).content.decode()
    assert 'data-effective="1"' in page
    assert page.count('data-testid="surcharge-row"') == 2
    assert 'data-testid="total-yuan">470,000.00<' in page  # 400,000 + 20,000 (D) + 50,000 (C, no water figure)
    assert 'data-testid="tier-form"' not in page  # leaders read the policy, administrators write it
    for company, amount in (("electricity", 400_000.0), ("water", 20_000.0)):
        response = client.get(reverse("evaluation:prices"), {"year": Y, "export": company})
        assert response.status_code == 200
        assert read_sheets(response.content)[0][1][6] == amount


def test_an_enterprise_sees_the_tiers_and_only_its_own_surcharge(zone, client):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    zone.indicator_a.year = zone.indicator_b.year = Y
    zone.indicator_a.save()
    zone.indicator_b.save()
    publish(Y, {zone.ent_a: "D", zone.ent_b: "D"})
    client.force_login(zone.users.ent_a)
    page = client.get(reverse("evaluation:prices"), {"year": Y}).content.decode()
    assert page.count('data-testid="tier-row"') == 3
    assert page.count('data-testid="surcharge-row"') == 1
    assert zone.ent_b.uscc not in page
    assert client.get(reverse("evaluation:prices"), {"year": Y, "export": "electricity"}).status_code == 403


def test_the_admin_adds_and_deletes_a_tier_from_the_page(zone, client):
    client.force_login(zone.users.admin)
    response = client.post(
        reverse("evaluation:price-tier-new"),
        {"year": Y, "klass": "D", "min_years_in_class": 2, "electricity_yuan_per_kwh": "0.35", "water_yuan_per_t": "1"},
    )
    assert response.status_code == 302
    tier = PriceTier.objects.get(year=Y, klass="D", min_years_in_class=2)
    client.post(reverse("evaluation:price-tier-delete", args=[tier.pk]))
    assert not PriceTier.objects.exists()
    client.post(reverse("evaluation:price-tiers-defaults"), {"year": Y})
    assert PriceTier.objects.filter(year=Y).count() == 3


def test_a_leader_cannot_write_tiers_from_the_page(zone, client):
    client.force_login(zone.users.leader)
    client.post(reverse("evaluation:price-tiers-defaults"), {"year": Y})
    assert not PriceTier.objects.exists()


@pytest.mark.parametrize("persona", ["dept_a", "expert_a"])
def test_department_staff_and_experts_have_no_prices_page(zone, client, persona):
    client.force_login(getattr(zone.users, persona))
    assert client.get(reverse("evaluation:prices")).status_code == 403


def test_the_prices_page_reads_a_constant_number_of_queries(zone, client, django_assert_max_num_queries):
    prices.tiers_load_defaults(by=zone.users.admin, year=Y)
    publish(Y, {consumer(100 + n): "D" for n in range(40)})
    client.force_login(zone.users.admin)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("evaluation:prices"), {"year": Y}).status_code == 200
