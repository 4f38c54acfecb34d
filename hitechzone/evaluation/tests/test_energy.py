"""Energy: GB/T 2589 conversion, the yearly ranking, the energy-use workbook and the pages, on the real database."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from hitechzone.common.intake import get_kind, import_workbook, template_bytes
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.rules import Refused
from hitechzone.common.spreadsheets import read_first_sheet
from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import energy
from hitechzone.evaluation.models import EnergyRanking, EnergyRankingEntry, EnergyUse, EnergyYear

YEAR = 2024


# --- Conversion ---------------------------------------------------------------------------------------------------


def test_a_thousand_tonnes_of_raw_coal_are_714_point_3_tce():
    assert energy.to_tce("raw_coal", 1000) == Decimal("714.3")


def test_a_million_kwh_are_122_point_9_tce_calorific_and_300_tce_at_an_equal_value_factor_of_0_point_3():
    # Electricity is reported in 10^4 kWh: 100 of them are 1,000,000 kWh.
    assert energy.to_tce("electricity", 100) == Decimal("122.9")
    assert energy.to_tce("electricity", 100, electricity_kgce_per_kwh=Decimal("0.3")) == Decimal("300")


@pytest.mark.parametrize(
    ("code", "quantity", "tce"),
    [
        ("coke", 100, "97.14"),  # 0.9714 kgce/kg
        ("crude_oil", 10, "14.286"),
        ("fuel_oil", 10, "14.286"),
        ("gasoline", 10, "14.714"),
        ("kerosene", 10, "14.714"),
        ("diesel", 10, "14.571"),
        ("lpg", 10, "17.143"),
        ("natural_gas", 1, "12.143"),  # 10^4 m³ × 1.2143 kgce/m³
        ("heat", 1000, "34.12"),  # 1,000 GJ × 0.03412 kgce/MJ
        ("washed_coal", 1, "0.9"),
    ],
)
def test_every_fuel_converts_with_its_gb_t_2589_reference_coefficient(code, quantity, tce):
    assert energy.to_tce(code, quantity) == Decimal(tce)


def test_fuels_are_found_by_code_chinese_name_or_other_name_and_water_is_not_energy():
    assert energy.find_fuel("原煤").code == "raw_coal"
    assert energy.find_fuel(" 天然气 ").code == "natural_gas"
    assert energy.find_fuel("LPG").code == "lpg"
    assert energy.find_fuel("电").code == "electricity"
    assert energy.find_fuel("水") is None
    assert energy.FUELS["natural_gas"].unit.matches("万m³")
    assert not energy.FUELS["electricity"].unit.matches("千瓦时")


def test_a_year_without_a_setting_uses_the_calorific_basis_and_a_set_year_its_factor(zone):
    assert energy.electricity_factor(YEAR) == ("calorific", Decimal("0.1229"))
    energy.energy_year_set(
        by=zone.users.admin, year=YEAR, electricity_basis="equal_value", equal_value_kgce_per_kwh=Decimal("0.3")
    )
    assert energy.electricity_factor(YEAR) == ("equal_value", Decimal("0.3"))
    assert energy.electricity_factor(YEAR + 1)[0] == "calorific"


def test_only_administrators_set_a_year_and_the_equal_value_basis_needs_its_factor(zone):
    with pytest.raises(Refused):
        energy.energy_year_set(by=zone.users.leader, year=YEAR, electricity_basis="calorific")
    with pytest.raises(Refused, match="factor"):
        energy.energy_year_set(by=zone.users.admin, year=YEAR, electricity_basis="equal_value")
    assert not EnergyYear.objects.exists()


# --- The ranking ----------------------------------------------------------------------------------------------------


def firm(*, uscc_n, industry="2614", value_added=None, energy_tce=None, year=YEAR, **kwargs):
    enterprise = f.EnterpriseFactory(uscc=f.valid_uscc(uscc_n), industry_id=industry, **kwargs)
    f.IndicatorFactory(
        enterprise=enterprise,
        year=year,
        value_added_wan_yuan=None if value_added is None else Decimal(value_added),
        energy_tce=None if energy_tce is None else Decimal(energy_tce),
    )
    return enterprise


def entry(enterprise, year=YEAR) -> EnergyRankingEntry:
    return EnergyRankingEntry.objects.get(ranking__year=year, enterprise=enterprise)


def test_the_ranking_orders_by_intensity_breaks_ties_by_uscc_and_ranks_within_the_industry_division(zone):
    # Intensities (tce per 10k yuan): a 0.5, b 0.2, c 0.2 (tie with b, higher USCC), d 0.1 (another division).
    a = firm(uscc_n=900001, industry="2614", value_added="1000", energy_tce="500")
    c = firm(uscc_n=900003, industry="2619", value_added="2000", energy_tce="400")
    b = firm(uscc_n=900002, industry="2614", value_added="1000", energy_tce="200")
    d = firm(uscc_n=900004, industry="30", value_added="1000", energy_tce="100")
    firm(uscc_n=900005, value_added="0", energy_tce="100")  # no value added: not ranked
    firm(uscc_n=900006, value_added="1000")  # no energy: not ranked
    ranking = energy.rank_energy(by=zone.users.admin, year=YEAR)
    assert ranking.ranked == 4
    assert [(e.enterprise_id, e.rank) for e in ranking.entries.order_by("rank")] == [
        (d.pk, 1),
        (b.pk, 2),
        (c.pk, 3),
        (a.pk, 4),
    ]
    # Division 26 (2614, 2619): b, c, a; division 30: d alone.
    assert (entry(b).industry_code, entry(b).industry_rank, entry(b).industry_size) == ("26", 1, 3)
    assert (entry(c).industry_rank, entry(a).industry_rank) == (2, 3)
    assert (entry(d).industry_code, entry(d).industry_rank, entry(d).industry_size) == ("30", 1, 1)
    assert entry(a).intensity == pytest.approx(0.5)
    assert entry(a).source == "reported"


def test_energy_comes_from_the_fuels_when_the_enterprise_reported_them_else_as_reported(zone):
    fuels = firm(uscc_n=900011, value_added="1000", energy_tce="9999")
    reported = firm(uscc_n=900012, value_added="1000", energy_tce="500")
    EnergyUse.objects.create(enterprise=fuels, year=YEAR, fuel="raw_coal", quantity=Decimal("1000"))  # 714.3
    EnergyUse.objects.create(enterprise=fuels, year=YEAR, fuel="electricity", quantity=Decimal("100"))  # 122.9
    EnergyUse.objects.create(enterprise=reported, year=YEAR - 1, fuel="raw_coal", quantity=Decimal("5"))  # other year
    energy.rank_energy(by=zone.users.admin, year=YEAR)
    assert entry(fuels).source == "fuels"
    assert entry(fuels).energy_tce == pytest.approx(837.2)
    assert entry(fuels).intensity == pytest.approx(0.8372)
    assert entry(reported).source == "reported"
    assert entry(reported).rank == 1


def test_the_years_equal_value_factor_converts_the_electricity_and_is_kept_on_the_ranking(zone):
    e = firm(uscc_n=900021, value_added="1000")
    EnergyUse.objects.create(enterprise=e, year=YEAR, fuel="electricity", quantity=Decimal("100"))
    energy.energy_year_set(
        by=zone.users.admin, year=YEAR, electricity_basis="equal_value", equal_value_kgce_per_kwh=Decimal("0.3")
    )
    ranking = energy.rank_energy(by=zone.users.admin, year=YEAR)
    assert entry(e).energy_tce == pytest.approx(300)
    assert (ranking.electricity_basis, ranking.electricity_kgce_per_kwh) == ("equal_value", Decimal("0.3000"))


def test_ranking_again_replaces_the_years_entries_and_is_audited(zone):
    a = firm(uscc_n=900031, value_added="1000", energy_tce="500")
    energy.rank_energy(by=zone.users.admin, year=YEAR)
    b = firm(uscc_n=900032, value_added="1000", energy_tce="100")
    ranking = energy.rank_energy(by=zone.users.admin, year=YEAR)
    assert EnergyRanking.objects.count() == 1
    assert ranking.ranked == 2
    assert list(ranking.entries.order_by("rank").values_list("enterprise_id", flat=True)) == [b.pk, a.pk]
    events = AuditEvent.objects.filter(content_type__model="energyranking", object_id=str(ranking.pk))
    assert [e.action for e in events.order_by("at", "id")] == ["create", "update"]
    assert events.order_by("at", "id").last().changes["ranked"] == [1, 2]


@pytest.mark.parametrize("persona", ["leader", "officer_a", "ent_a", "dept_a", "expert_a"])
def test_only_administrators_rank(zone, persona):
    firm(uscc_n=900041, value_added="1000", energy_tce="500")
    with pytest.raises(Refused):
        energy.rank_energy(by=getattr(zone.users, persona), year=YEAR)
    assert not EnergyRanking.objects.exists()


def test_rankings_up_to_counts_the_ranked_years_up_to_the_year(zone):
    for year in (2021, 2022, 2024):
        energy.rank_energy(by=zone.users.admin, year=year)
    assert [energy.rankings_up_to(y) for y in (2020, 2021, 2023, 2024, 2030)] == [0, 1, 2, 3, 3]


def test_entries_are_scoped_an_enterprise_and_its_officer_see_its_entry_only(zone):
    zone.indicator_a.delete()
    zone.indicator_b.delete()
    f.IndicatorFactory(enterprise=zone.ent_a, year=YEAR, value_added_wan_yuan=Decimal(100), energy_tce=Decimal(10))
    f.IndicatorFactory(enterprise=zone.ent_b, year=YEAR, value_added_wan_yuan=Decimal(100), energy_tce=Decimal(20))
    energy.rank_energy(by=zone.users.admin, year=YEAR)
    users = zone.users
    assert EnergyRankingEntry.objects.for_user(users.admin).count() == 2
    assert EnergyRankingEntry.objects.for_user(users.leader).count() == 2
    for user in (users.ent_a, users.officer_a):
        assert list(EnergyRankingEntry.objects.for_user(user).values_list("enterprise_id", flat=True)) == [
            zone.ent_a.pk
        ]
    for user in (users.dept_a, users.expert_a):
        assert not EnergyRankingEntry.objects.for_user(user).exists()


# --- The energy-use workbook ----------------------------------------------------------------------------------------

HEADERS = ["统一社会信用代码", "企业名称", "年度", "能源品种", "消费量", "计量单位"]


def workbook(rows, headers=HEADERS) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_energy_use_template_has_its_columns_and_examples_that_name_known_fuels(db):
    sheet = read_first_sheet(template_bytes(get_kind("energy-use")))
    assert [str(v) for v in sheet.rows[0]] == HEADERS
    for row in sheet.rows[1:]:
        fuel = energy.find_fuel(row[3])
        assert fuel is not None
        assert fuel.unit.matches(row[5])


def test_an_energy_use_workbook_is_written_with_fuel_codes_and_replaces_a_fuels_quantity(zone):
    e = zone.ent_a
    EnergyUse.objects.create(enterprise=e, year=YEAR, fuel="raw_coal", quantity=Decimal("1"))
    EnergyUse.objects.create(enterprise=e, year=YEAR, fuel="diesel", quantity=Decimal("7"))
    data = workbook(
        [
            [e.uscc, e.name, YEAR, "原煤", 1000, "吨"],
            [e.uscc, e.name, YEAR, "天然气", 85.5, "万m³"],
            [e.uscc, e.name, YEAR, "electricity", "3,600", "万千瓦时"],
        ]
    )
    batch = import_workbook(kind="energy-use", file_name="e.xlsx", data=data, user=zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert (batch.rows_created, batch.rows_updated) == (2, 1)
    stored = dict(EnergyUse.objects.filter(enterprise=e, year=YEAR).values_list("fuel", "quantity"))
    assert stored == {
        "raw_coal": Decimal("1000.000"),
        "natural_gas": Decimal("85.500"),
        "electricity": Decimal("3600.000"),
        "diesel": Decimal("7.000"),  # a fuel the file does not name stays as stored
    }
    assert AuditEvent.objects.filter(batch=batch).count() == 3


def test_a_wrong_unit_an_unknown_fuel_and_a_repeated_fuel_are_all_reported_and_nothing_is_written(zone):
    e = zone.ent_a
    data = workbook(
        [
            [e.uscc, e.name, YEAR, "电力", 3600000, "千瓦时"],  # electricity is in 万千瓦时
            [e.uscc, e.name, YEAR, "自来水", 10, "吨"],
            [e.uscc, e.name, YEAR, "原煤", 10, "吨"],
            [e.uscc, e.name, YEAR, "raw_coal", 20, "t"],  # the same fuel again
            [e.uscc, "别的名字", YEAR, "柴油", 1, "吨"],
        ]
    )
    batch = import_workbook(kind="energy-use", file_name="bad.xlsx", data=data, user=zone.users.admin)
    assert batch.status == ImportBatch.Status.INVALID
    errors = {(err.cell, err.header): err.message for err in batch.validation.errors}
    assert "万千瓦时" in errors[("F2", "计量单位")]
    assert ("D3", "能源品种") in errors
    repeated = errors[("A5", "统一社会信用代码")]
    assert "能源品种" in repeated
    assert "4" in repeated
    assert ("B6", "企业名称") in errors
    assert not EnergyUse.objects.exists()


# --- Pages ----------------------------------------------------------------------------------------------------------


def ranked_zone(zone):
    zone.indicator_a.delete()
    zone.indicator_b.delete()
    f.IndicatorFactory(enterprise=zone.ent_a, year=YEAR, value_added_wan_yuan=Decimal(100), energy_tce=Decimal(10))
    f.IndicatorFactory(enterprise=zone.ent_b, year=YEAR, value_added_wan_yuan=Decimal(100), energy_tce=Decimal(20))
    return energy.rank_energy(by=zone.users.admin, year=YEAR)


def test_the_admin_ranks_a_year_from_the_page(zone, client):
    zone.indicator_a.delete()
    f.IndicatorFactory(enterprise=zone.ent_a, year=YEAR, value_added_wan_yuan=Decimal(100), energy_tce=Decimal(10))
    client.force_login(zone.users.admin)
    response = client.post(reverse("evaluation:energy-rank"), {"year": YEAR})
    assert response.status_code == 302
    assert EnergyRanking.objects.get(year=YEAR).ranked == 1
    page = client.get(reverse("evaluation:energy"), {"year": YEAR})
    assert page.status_code == 200
    assert 'data-testid="energy-industry-chart"' in page.content.decode()


def test_a_leader_sees_the_whole_ranking_and_charts_but_cannot_rank(zone, client):
    ranked_zone(zone)
    client.force_login(zone.users.leader)
    page = client.get(reverse("evaluation:energy"), {"year": YEAR}).content.decode()
    assert page.count('data-testid="energy-row"') == 2
    assert 'data-testid="energy-distribution-chart"' in page
    assert 'data-testid="energy-rank-form"' not in page
    client.post(reverse("evaluation:energy-rank"), {"year": YEAR + 1})
    assert not EnergyRanking.objects.filter(year=YEAR + 1).exists()


@pytest.mark.parametrize("persona", ["ent_a", "officer_a"])
def test_an_enterprise_and_its_officer_see_only_its_own_entry_with_its_ranks(zone, client, persona):
    ranked_zone(zone)
    client.force_login(getattr(zone.users, persona))
    page = client.get(reverse("evaluation:energy"), {"year": YEAR}).content.decode()
    assert page.count('data-testid="energy-row"') == 1
    assert f'data-uscc="{zone.ent_a.uscc}" data-rank="1"' in page
    assert zone.ent_b.uscc not in page
    assert 'data-testid="energy-industry-chart"' not in page


@pytest.mark.parametrize("persona", ["dept_a", "expert_a"])
def test_department_staff_and_experts_have_no_energy_pages(zone, client, persona):
    client.force_login(getattr(zone.users, persona))
    assert client.get(reverse("evaluation:energy")).status_code == 403
    assert client.get(reverse("evaluation:energy-years")).status_code == 403


def test_the_energy_years_page_is_the_administrators_and_saves_a_year(zone, client):
    client.force_login(zone.users.leader)
    assert client.get(reverse("evaluation:energy-years")).status_code == 403
    client.force_login(zone.users.admin)
    assert client.get(reverse("evaluation:energy-years")).status_code == 200
    response = client.post(
        reverse("evaluation:energy-years"),
        {"year": YEAR, "electricity_basis": "equal_value", "equal_value_kgce_per_kwh": "0.3"},
    )
    assert response.status_code == 302
    assert energy.electricity_factor(YEAR) == ("equal_value", Decimal("0.3000"))


def test_the_ranking_page_exports_what_it_shows(zone, client):
    ranked_zone(zone)
    client.force_login(zone.users.admin)
    response = client.get(reverse("evaluation:energy"), {"year": YEAR, "export": "xlsx"})
    assert response.status_code == 200
    sheet = read_first_sheet(response.content)
    assert [row[1] for row in sheet.rows[1:]] == [zone.ent_a.uscc, zone.ent_b.uscc]


def test_the_ranking_page_reads_a_constant_number_of_queries(zone, client, django_assert_max_num_queries):
    for n in range(30):
        firm(uscc_n=910000 + n, value_added="1000", energy_tce=str(100 + n))
    energy.rank_energy(by=zone.users.admin, year=YEAR)
    client.force_login(zone.users.leader)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:energy"), {"year": YEAR}).status_code == 200
