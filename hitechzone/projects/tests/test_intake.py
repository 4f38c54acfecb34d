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


# --- The ``projects`` kind (issue 14, item 1) ------------------------------------------------------------------------


def load_projects(zone, rows, user=None):
    from hitechzone.projects.intake import ProjectKind

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([c.header for c in ProjectKind.columns])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return import_workbook(
        kind="projects", file_name="projects.xlsx", data=buffer.getvalue(), user=user or zone.users.admin
    )


def project_row(**changes):
    from hitechzone.projects.intake import ProjectKind

    row = dict(zip([c.field for c in ProjectKind.columns], ProjectKind().example_rows()[0], strict=True))
    row.update(changes)
    return [row[c.field] for c in ProjectKind.columns]


def test_the_projects_kind_is_registered_and_its_template_has_its_headers():
    kind = get_kind("projects")
    assert read_first_sheet(template_bytes(kind)).rows[0] == [c.header for c in kind.columns]


def test_a_projects_workbook_records_the_projects_and_their_new_investors_and_a_second_run_updates(zone):
    from decimal import Decimal

    from hitechzone.enterprises.tests.factories import valid_uscc
    from hitechzone.projects.models import Investor, Project

    uscc = valid_uscc(777)
    rows = [
        project_row(name="甲项目", investor="示例电机集团", investor_uscc=uscc, industry_code="3812",
                    chain=zone.chain.name, officer="officer_a", hazardous_chemicals="是"),
        project_row(name="乙项目", investor="示例电机集团", industry_code="C2614", land_mu="12.5"),
    ]  # fmt: skip
    batch = load_projects(zone, rows)
    assert batch.status == ImportBatch.Status.WRITTEN, [str(e) for e in batch.validation.errors]
    investor = Investor.objects.get()
    assert (investor.name, investor.uscc, investor.parent_group) == ("示例电机集团", uscc, "示例控股")
    first = Project.objects.get(name="甲项目")
    assert (first.industry_code, first.chain, first.officer, first.hazardous_chemicals) == (
        "C3812", zone.chain, zone.users.officer_a, True
    )  # fmt: skip
    assert first.fixed_asset_investment_wan_yuan == Decimal(16000)
    assert Project.objects.get(name="乙项目").land_mu == Decimal("12.5")
    assert AuditEvent.objects.filter(batch=batch).count() == 3  # the investor and the two projects
    rows[1] = project_row(name="乙项目", investor="示例电机集团", industry_code="C2614", land_mu="13")
    again = load_projects(zone, rows)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 1)
    assert Project.objects.get(name="乙项目").land_mu == Decimal(13)


def test_a_bad_projects_row_writes_nothing_and_names_each_cell(zone):
    from hitechzone.projects.models import Investor, Project

    rows = [
        project_row(name="甲项目", investor="示例电机集团"),
        project_row(name="乙项目", investor="示例电机集团", investor_uscc="123", industry_code="X9999",
                    chain="钢铁", land_mu="-1", rd_share="120", officer="expert_a"),
    ]  # fmt: skip
    batch = load_projects(zone, rows)
    assert batch.status == ImportBatch.Status.INVALID
    headers = {e.header for e in batch.validation.errors if e.row == 3}
    assert {"投资方统一社会信用代码", "行业代码", "产业链", "用地（亩）", "研发投入占比（%）",
            "招商引资全程帮办员（登录账号）"} <= headers  # fmt: skip
    assert not Project.objects.exists()
    assert not Investor.objects.exists()
