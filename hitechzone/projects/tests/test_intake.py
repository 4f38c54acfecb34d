"""The ``experts`` workbook kind: a good file writes the pool (specialties by chain code or name, former
affiliations with their end dates, declared conflicts, the login); one bad row writes nothing and is reported."""

import io

import openpyxl
import pytest

from hitechzone.common.intake import get_kind, import_workbook, template_bytes
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.spreadsheets import read_first_sheet
from hitechzone.projects.intake import ExpertKind
from hitechzone.projects.models import Expert

pytestmark = pytest.mark.django_db


def load(zone, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.header for c in ExpertKind.columns])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return import_workbook(kind="experts", file_name="experts.xlsx", data=buffer.getvalue(), user=zone.users.admin)


def test_the_kind_is_registered_and_its_template_has_its_headers():
    kind = get_kind("experts")
    assert read_first_sheet(template_bytes(kind)).rows[0] == [c.header for c in kind.columns]


def test_a_pool_workbook_writes_every_expert(zone):
    rows = [
        ["张院士", "中国工程院院士", "是", "氟化工、通用", "浙江大学",
         "示例控股（至2024-06-30）；某研究院(至2019-01-01)", "示例电机集团、91330100MA2B3C4D5E", "", "expert_a"],
        ["李教授", "教授", "否", "fluorine", "", "", "", "否", ""],
    ]  # fmt: skip
    batch = load(zone, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    zhang = Expert.objects.get(name="张院士")
    assert (zhang.academician, zhang.specialties, zhang.user, zhang.active) == (
        True, ["fluorine", "general"], zone.users.expert_a, True
    )  # fmt: skip
    assert zhang.former_affiliations == [
        {"name": "示例控股", "until": "2024-06-30"},
        {"name": "某研究院", "until": "2019-01-01"},
    ]
    assert zhang.declared_conflicts == ["示例电机集团", "91330100MA2B3C4D5E"]
    assert Expert.objects.get(name="李教授").active is False
    assert AuditEvent.objects.filter(batch=batch).count() == 2
    # The same file again changes nothing; a changed title updates the one row.
    rows[1][1] = "教授级高工"
    again = load(zone, rows)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 1)
    assert Expert.objects.count() == 2


def test_a_bad_row_writes_nothing_and_names_each_cell(zone):
    rows = [
        ["张院士", "", "是", "氟化工", "浙江大学", "", "", "", ""],
        ["王工", "", "也许", "钢铁", "", "示例控股 2024", "", "", "officer_a"],
    ]
    batch = load(zone, rows)
    assert batch.status == ImportBatch.Status.INVALID
    cells = {(e.cell, e.header) for e in batch.validation.errors}
    assert {("C3", "院士"), ("D3", "专业领域"), ("F3", "原工作单位"), ("I3", "登录账号")} <= cells
    assert not Expert.objects.exists()
