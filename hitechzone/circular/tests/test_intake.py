"""The M5 workbook kinds: a good file writes every row; one bad row writes nothing and is reported."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from hitechzone.circular.intake import ExchangeKind, FlowKind, MaterialKind, ResourceKind
from hitechzone.circular.models import Exchange, Flow, Material, ResourceYear
from hitechzone.common.intake import get_kind, import_workbook, template_bytes
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.spreadsheets import read_first_sheet

YEAR = 2025


def workbook(kind, rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.header for c in kind.columns])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def load(zone, kind, rows, name="f.xlsx"):
    return import_workbook(kind=kind.name, file_name=name, data=workbook(kind, rows), user=zone.users.admin)


def errors_of(batch) -> dict[tuple[str, str], str]:
    return {(e.cell, e.header): e.message for e in batch.validation.errors}


@pytest.mark.parametrize("kind", ["circular-materials", "circular-flows", "circular-exchanges", "circular-resources"])
def test_every_kind_is_registered_and_its_template_has_its_headers(kind):
    k = get_kind(kind)
    sheet = read_first_sheet(template_bytes(k))
    assert sheet.rows[0] == [c.header for c in k.columns]


# --- Materials ----------------------------------------------------------------------------------------------------


def test_a_materials_workbook_writes_every_row_with_hazard_in_chinese(zone):
    rows = [
        ["hcl", "氯化氢", "hydrogen chloride", "HCl", "腐蚀性", "", 800, 600, 0.8, 0.5],
        ["fluorogypsum", "氟石膏", "", "CaSO4·2H2O", "", "", 60, None, 0.6, None],
    ]
    batch = load(zone, MaterialKind, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    hcl = Material.objects.get(code="hcl")
    assert (hcl.hazard, hcl.disposal_cost_yuan_per_t, hcl.transport_cost_yuan_per_t_km) == (
        "corrosive",
        Decimal("800.00"),
        Decimal("0.800"),
    )
    gypsum = Material.objects.get(code="fluorogypsum")
    assert (gypsum.hazard, gypsum.virgin_price_yuan_per_t, gypsum.formula) == ("none", 0, "CaSO4·2H2O")
    assert AuditEvent.objects.filter(batch=batch).count() == 2


def test_a_materials_workbook_with_a_bad_formula_writes_nothing_and_names_the_cell(zone):
    rows = [
        ["hcl", "氯化氢", "", "HCl", "腐蚀性", "", 800, 600, 0.8, 0.5],
        ["bad", "坏的", "", "CaSO4·2Hq2O", "", "", 60, 0, 0.6, 0],
        ["Not A Slug", "名字", "", "", "爆炸性", "", 1, 1, 1, 1],
    ]
    batch = load(zone, MaterialKind, rows)
    assert batch.status == ImportBatch.Status.INVALID
    errors = errors_of(batch)
    assert "CaSO4·2Hq2O" in errors[("D3", "化学式")]
    assert ("A4", "物料代码") in errors
    assert ("E4", "危险类别") in errors
    assert batch.rows_bad == 2
    assert not Material.objects.exists()


# --- Flows --------------------------------------------------------------------------------------------------------


def test_a_flows_workbook_writes_every_row_with_roles_in_chinese_or_english(zone, materials):
    a, b = zone.ent_a, zone.ent_b
    rows = [
        [a.uscc, a.name, YEAR, "hcfc-22", "产品", 1000, 0.999, "HCFC-22"],
        [a.uscc, a.name, YEAR, "HCL", "副产品", 843, 0.31, "HCFC-22"],
        [b.uscc, b.name, YEAR, "氯化氢", "input", 700, None, ""],
    ]
    batch = load(zone, FlowKind, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    stored = {(f.enterprise_id, f.material.code, f.role): (f.quantity_t, f.purity) for f in Flow.objects.all()}
    assert stored == {
        (a.pk, "hcfc-22", "product"): (Decimal("1000.000"), Decimal("0.9990")),
        (a.pk, "hcl", "byproduct"): (Decimal("843.000"), Decimal("0.3100")),
        (b.pk, "hcl", "input"): (Decimal("700.000"), Decimal("1.0000")),
    }
    # Again with one quantity changed: one update, two unchanged.
    rows[1][5] = 850
    again = load(zone, FlowKind, rows, name="g.xlsx")
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 2)


def test_a_flows_workbook_with_one_bad_row_writes_nothing_and_reports_every_problem(zone, materials):
    a = zone.ent_a
    rows = [
        [a.uscc, a.name, YEAR, "hcl", "副产品", 843, 0.31, ""],
        [a.uscc, a.name, YEAR, "unobtainium", "礼物", 5, 1.5, ""],
        [a.uscc, a.name, YEAR, "hcl", "by-product", 1, 1, ""],  # the same key as row 2
    ]
    batch = load(zone, FlowKind, rows)
    assert batch.status == ImportBatch.Status.INVALID
    errors = errors_of(batch)
    assert ("E3", "类别") in errors
    assert ("G3", "纯度") in errors
    assert "row 2" in errors[("A4", "统一社会信用代码")] or "2" in errors[("A4", "统一社会信用代码")]
    assert not Flow.objects.exists()


# --- Exchanges ----------------------------------------------------------------------------------------------------


def test_an_exchanges_workbook_writes_every_row_and_computes_a_missing_distance(zone, materials, make_flow):
    a, b = zone.ent_a, zone.ent_b
    make_flow(a, materials.hcl, "byproduct", 843)
    make_flow(b, materials.ch3cl, "product", 950)
    zone.parcel_a.latitude, zone.parcel_a.longitude = Decimal("30.0"), Decimal("120.0")
    zone.parcel_a.save()
    zone.parcel_b.latitude, zone.parcel_b.longitude = Decimal("30.01"), Decimal("120.0")
    zone.parcel_b.save()
    rows = [
        [YEAR, a.uscc, b.uscc, "hcl", 700, "管道", None],
        [YEAR, b.uscc, a.uscc, "methyl-chloride", 100, "汽运", 12.5],
    ]
    batch = load(zone, ExchangeKind, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    stored = {(x.supplier_id, x.material.code): (x.quantity_t, x.mode, x.distance_km) for x in Exchange.objects.all()}
    assert stored == {
        (a.pk, "hcl"): (Decimal("700.000"), "pipeline", Decimal("1.11")),  # 6371.0088 km × 0.01° in radians
        (b.pk, "methyl-chloride"): (Decimal("100.000"), "truck", Decimal("12.50")),
    }
    assert set(AuditEvent.objects.filter(batch=batch).values_list("enterprise_id", flat=True)) == {a.pk, b.pk}


def test_an_exchanges_workbook_with_one_bad_row_writes_nothing(zone, materials, make_flow):
    a, b = zone.ent_a, zone.ent_b
    make_flow(a, materials.hcl, "byproduct", 843)
    rows = [
        [YEAR, a.uscc, b.uscc, "hcl", 700, "管道", 1.5],
        [YEAR, b.uscc, a.uscc, "hcl", 100, "汽运", 2],  # ent_b puts out no HCl
        [YEAR, a.uscc, a.uscc, "hcl", 1, "飞机", 2],  # to itself, and an unknown mode
    ]
    batch = load(zone, ExchangeKind, rows)
    assert batch.status == ImportBatch.Status.INVALID
    errors = errors_of(batch)
    assert "as a product, by-product or waste" in errors[("D3", "物料代码")]
    assert ("F4", "运输方式") in errors
    assert not Exchange.objects.exists()


# --- Resource data ------------------------------------------------------------------------------------------------


def test_a_resources_workbook_writes_every_row_with_blanks_as_unknown(zone):
    a, b = zone.ent_a, zone.ent_b
    rows = [
        [a.uscc, a.name, YEAR, 820000, 2460000, 36000, 34200, 1800, 120000],
        [b.uscc, b.name, YEAR, 50000, None, 1000, 900, None, None],
    ]
    batch = load(zone, ResourceKind, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    ra = ResourceYear.objects.get(enterprise=a)
    rb = ResourceYear.objects.get(enterprise=b)
    assert (ra.reused_water_t, ra.solid_waste_used_t, ra.main_resources_t) == (2460000, 34200, 120000)
    assert (rb.fresh_water_t, rb.reused_water_t, rb.solid_waste_stored_t) == (50000, None, None)


def test_a_resources_workbook_with_one_bad_row_writes_nothing(zone):
    a, b = zone.ent_a, zone.ent_b
    rows = [
        [a.uscc, a.name, YEAR, 820000, 2460000, 36000, 34200, 1800, 120000],
        [b.uscc, "别的名字", YEAR, -5, None, None, None, None, None],
    ]
    batch = load(zone, ResourceKind, rows)
    assert batch.status == ImportBatch.Status.INVALID
    errors = errors_of(batch)
    assert ("D3", "新鲜水取用量(吨)") in errors
    assert batch.rows_bad == 1
    assert not ResourceYear.objects.exists()


def test_the_export_rows_read_back_as_the_same_file(zone, circular_data):
    kind = FlowKind()
    rows = [list(r) for r in kind.export_rows(Flow.objects.all())]
    Flow.objects.all().delete()
    Exchange.objects.all().delete()
    batch = load(zone, kind, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert Flow.objects.count() == 4
