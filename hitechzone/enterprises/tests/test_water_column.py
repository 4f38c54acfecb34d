"""The optional trailing column 用水量(万吨) of the indicators workbook (issue 6): files with it write the water
figure; files without it (the earlier template) still import and leave the stored water figure alone."""

import io
from decimal import Decimal

import openpyxl

from hitechzone.common.intake import get_kind, import_workbook, template_bytes
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.spreadsheets import read_first_sheet
from hitechzone.enterprises.models import EnterpriseIndicator

HEADERS = [
    "统一社会信用代码", "企业名称", "年度", "是否规上", "用地面积(亩)", "工业总产值(万元)", "营业收入(万元)",
    "税收实际入库(万元)", "工业增加值(万元)", "研发经费支出(万元)", "综合能耗(吨标准煤)", "用电量(万千瓦时)",
    "化学需氧量(吨)", "氨氮(吨)", "二氧化硫(吨)", "氮氧化物(吨)", "年平均职工人数(人)",
]  # fmt: skip
WATER = "用水量(万吨)"


def workbook(rows, headers) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_for(enterprise, *, tax=1200, water=None, with_water=False):
    row = [enterprise.uscc, enterprise.name, 2024, "是", 50, 25000, 24000, tax, 6000, 700, 9000, 3000, 1.5, 0.2, 3, 4]
    row.append(150)
    if with_water:
        row.append(water)
    return row


def run(data, user):
    batch = import_workbook(kind="indicators", file_name="i.xlsx", data=data, user=user)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    return batch


def stored(enterprise) -> EnterpriseIndicator:
    return EnterpriseIndicator.objects.get(enterprise=enterprise, year=2024)


def test_the_template_ends_with_the_water_column(db):
    assert [str(v) for v in read_first_sheet(template_bytes(get_kind("indicators"))).rows[0]][-1] == WATER


def test_a_file_with_the_water_column_writes_the_water_figure(zone):
    run(workbook([row_for(zone.ent_a, water=42.5, with_water=True)], [*HEADERS, WATER]), zone.users.admin)
    assert stored(zone.ent_a).water_wan_t == Decimal("42.500")


def test_a_file_without_the_water_column_imports_and_keeps_the_stored_water_figure(zone):
    run(workbook([row_for(zone.ent_a, water=42.5, with_water=True)], [*HEADERS, WATER]), zone.users.admin)
    batch = run(workbook([row_for(zone.ent_a, tax=1300)], HEADERS), zone.users.admin)
    assert (batch.rows_created, batch.rows_updated) == (0, 1)
    indicator = stored(zone.ent_a)
    assert indicator.tax_wan_yuan == Decimal("1300.00")
    assert indicator.water_wan_t == Decimal("42.500")
    (event,) = AuditEvent.objects.filter(batch=batch)
    assert set(event.changes) == {"tax_wan_yuan"}  # the water figure is not part of the change


def test_a_new_row_from_a_file_without_the_water_column_has_no_water_figure(zone):
    run(workbook([row_for(zone.ent_b)], HEADERS), zone.users.admin)
    assert stored(zone.ent_b).water_wan_t is None


def test_a_blank_water_cell_in_a_file_with_the_column_clears_the_figure(zone):
    run(workbook([row_for(zone.ent_a, water=42.5, with_water=True)], [*HEADERS, WATER]), zone.users.admin)
    run(workbook([row_for(zone.ent_a, water=None, with_water=True)], [*HEADERS, WATER]), zone.users.admin)
    assert stored(zone.ent_a).water_wan_t is None
