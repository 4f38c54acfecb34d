"""M6's workbook kinds (issue 15, point 9): platforms, talents, team applications with their members, partners.
Real xlsx files written by openpyxl; every row checked first, all written or none, a report of every bad row (the ID
numbers masked in it), the templates, the audit trail, and only the talent office or an administrator imports them.
"""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from hitechzone.common import jobs
from hitechzone.common.intake import get_kind, import_workbook, importable, registry, template_bytes
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.spreadsheets import read_first_sheet
from hitechzone.talent import intake, services
from hitechzone.talent.models import Partner, Platform, Talent, TeamApplication, TeamMember

from .conftest import GOOD_ID, GOOD_ID_2

pytestmark = pytest.mark.django_db
KINDS = ("talent-platforms", "talents", "team-applications", "talent-partners")
BAD_ID = GOOD_ID[:-1] + "1"  # the wrong check character


def workbook(kind: str, rows, headers=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers or [c.header for c in get_kind(kind).columns])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def load(kind: str, rows, user):
    return import_workbook(kind=kind, file_name=f"{kind}.xlsx", data=workbook(kind, rows), user=user)


def test_the_four_kinds_are_registered_with_their_templates():
    for name in KINDS:
        kind = get_kind(name)
        sheet = read_first_sheet(template_bytes(kind))
        assert sheet.rows[0] == [c.header for c in kind.columns]
        assert len(sheet.rows) > 1  # an example row


def test_only_the_talent_office_and_administrators_may_import_them(zone, office):
    assert set(KINDS) <= set(importable(zone.users.admin))
    assert set(importable(office)) == set(KINDS)  # the office imports M6's kinds, not the registry's
    for persona in ("leader", "dept_b", "officer_a", "expert_a", "ent_a"):
        assert not set(importable(getattr(zone.users, persona))) & set(KINDS), persona
    assert set(registry()) > set(KINDS)


def test_platforms_and_partners_are_written_through_the_services_and_audited(zone, office):
    batch = load(
        "talent-platforms",
        [["示例氟材料国家工程研究中心", "国家工程研究中心", "国家级", "示例研究院", "创新大道1号", "2012-05-01", ""],
         ["示例博士后工作站", "postdoc", "省级", "", "", None, "正常"]],
        office,
    )  # fmt: skip
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    centre = Platform.objects.get(name="示例氟材料国家工程研究中心")
    assert (centre.kind, centre.level, centre.founded_on) == ("engineering_centre", "national", date(2012, 5, 1))
    assert AuditEvent.objects.filter(batch=batch).count() == 2
    batch = load(
        "talent-partners",
        [["示例理工大学", "大学", "杭州", "2020-05-01", "2030-04-30", "联合研发"],
         ["示例药物研究所", "科研院所", "上海", "2019-03-01", None, ""]],
        office,
    )  # fmt: skip
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert dict(Partner.objects.values_list("name", "kind")) == {
        "示例理工大学": "university",
        "示例药物研究所": "institute",
    }
    # The same rows again change nothing; a changed scope updates its one row.
    again = load(
        "talent-partners",
        [["示例理工大学", "大学", "杭州", "2020-05-01", "2030-04-30", "联合研发与人才培养"],
         ["示例药物研究所", "科研院所", "上海", "2019-03-01", None, ""]],
        office,
    )  # fmt: skip
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 1)


def test_talents_with_checked_id_numbers_and_the_importers_enterprises(zone, office):
    platform = services.platform_save(by=office, name="示例院士专家工作站", kind="academician", level="provincial")
    rows = [
        ["张某", "省“千人计划”", "省级", "否", "博士", "生物医药", zone.ent_a.uscc, "", "张某团队", GOOD_ID,
         "13812345678"],
        ["李某", "", "", "是", "博士", "氟硅新材料", "", platform.name, "", GOOD_ID_2.lower(), ""],
        ["王某", "国家“千人计划”", "national", "", "phd", "", "", "", "", "", ""],
    ]  # fmt: skip
    batch = load("talents", rows, office)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    zhang = Talent.objects.get(name="张某")
    assert (zhang.level, zhang.degree, zhang.enterprise, zhang.id_number) == ("provincial", "phd", zone.ent_a, GOOD_ID)
    assert Talent.objects.get(name="李某").platform == platform
    assert Talent.objects.get(name="王某").level == "national"
    # The trail records that the numbers were set, never the numbers.
    trail = " ".join(str(e.changes) for e in AuditEvent.objects.filter(batch=batch))
    assert GOOD_ID not in trail
    assert "13812345678" not in trail
    # A row naming the same ID number again updates that talent.
    rows[0][5] = "医疗器械"
    again = load("talents", rows, office)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 1, 2)
    assert Talent.objects.get(id_number=GOOD_ID).field == "医疗器械"


def test_a_bad_talent_file_writes_nothing_and_its_report_names_every_bad_cell_with_the_numbers_masked(zone, office):
    rows = [
        ["张某", "", "省级", "否", "博士", "", zone.ent_a.uscc, "", "", GOOD_ID, ""],
        ["李某", "", "县级", "否", "博士", "", "91330100MA2B3C4D5X", "", "", BAD_ID, "13812345678"],
        ["王某", "", "", "", "", "", "", "无此平台", "", "11010519491331002X", ""],
        ["赵某", "", "", "", "", "", "", "", "", GOOD_ID, ""],  # the same ID number as row 2
    ]
    batch = load("talents", rows, office)
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.rows_bad == 3
    cells = {(e.cell, e.header) for e in batch.validation.errors}
    assert {("C3", "计划级别"), ("G3", "工作单位统一社会信用代码"), ("J3", "身份证号"), ("H4", "所在平台"),
            ("J4", "身份证号"), ("A5", "姓名")} <= cells  # fmt: skip
    check_digit = next(e for e in batch.validation.errors if e.cell == "J3")
    assert "GB 11643" in check_digit.message
    assert not Talent.objects.exists()
    assert not AuditEvent.objects.filter(batch=batch).exists()
    with batch.report.open("rb") as fh:
        report = fh.read()
    sheet = read_first_sheet(report)
    text = " ".join(str(v) for row in sheet.rows for v in row if v is not None)
    assert GOOD_ID not in text
    assert BAD_ID not in text
    assert "13812345678" not in text
    assert GOOD_ID[:6] + "********" + GOOD_ID[-4:] in text
    assert "138****5678" in text


def test_an_enterprise_the_importer_may_not_see_is_a_bad_row(zone, office):
    from hitechzone.enterprises.models import Enterprise

    batch = load("talents", [["张某", "", "", "", "", "", zone.ent_b.uscc, "", "", "", ""]], office)
    seen = Enterprise.objects.for_user(office).filter(pk=zone.ent_b.pk).exists()
    assert (batch.status == ImportBatch.Status.WRITTEN) == seen


def test_team_applications_with_their_members(zone, office):
    rows = [
        ["王某博士团队", "王某", "王某/博士/国家“千人计划”/国家级；李某/硕士\n陈某/博士/省“千人计划”/省级",
         "创新药物研发及产业化", "生物医药", 500, 2000, "是", "是", "否", "研发场地300平方米", zone.ent_a.uscc],
        ["赵某团队", "赵某", "赵某/博士", "高纯电子特气", "电子化学品", 300, "1200.5", "", "", "", "", ""],
    ]  # fmt: skip
    batch = load("team-applications", rows, office)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    wang = TeamApplication.objects.get(team_name="王某博士团队")
    assert (wang.status, wang.enterprise, wang.submitted_by) == ("submitted", zone.ent_a, office)
    assert (wang.registered_capital_wan_yuan, wang.needs_funds, wang.needs_housing) == (Decimal(500), True, False)
    members = list(TeamMember.objects.filter(application=wang).values_list("name", "degree", "programme_level"))
    assert members == [("王某", "phd", "national"), ("李某", "master", ""), ("陈某", "phd", "provincial")]
    assert wang.steps.get().action == "submit"  # submitted through the workflow, dated and audited
    assert AuditEvent.objects.filter(batch=batch).count() >= 2 + 4 + 2
    # Submitted once: the same team and leader again is a bad row.
    again = load("team-applications", rows[:1], office)
    assert again.status in (ImportBatch.Status.INVALID, ImportBatch.Status.DUPLICATE)
    assert TeamApplication.objects.count() == 2


def test_a_bad_team_file_writes_nothing(zone, office):
    rows = [
        ["好团队", "钱某", "钱某/博士", "项目甲", "", 100, 400, "", "", "", "", ""],
        ["坏团队", "孙某", "孙某/教授/x/y/z；周某/博士后", "项目乙", "", -5, "很多", "也许", "", "", "", "123"],
    ]
    batch = load("team-applications", rows, office)
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.rows_bad == 1
    cells = {e.cell for e in batch.validation.errors}
    assert {"C3", "F3", "G3", "H3"} <= cells
    assert not TeamApplication.objects.exists()
    assert not TeamMember.objects.exists()


def test_another_departments_staff_cannot_import_and_nothing_is_written(zone, office, client, api_as):
    rows = [["示例理工大学", "大学", "", "2020-05-01", None, ""]]
    batch = load("talent-partners", rows, zone.users.dept_b)
    assert batch.status == ImportBatch.Status.INVALID
    assert "talent office" in batch.validation.errors[0].message or "人才办" in batch.validation.errors[0].message
    assert not Partner.objects.exists()
    upload = io.BytesIO(workbook("talent-partners", rows))
    upload.name = "partners.xlsx"
    response = api_as(zone.users.dept_b).post(
        "/api/v1/imports/", {"kind": "talent-partners", "file": upload}, format="multipart"
    )
    assert response.status_code == 403
    client.force_login(zone.users.dept_b)
    assert client.get("/imports/").status_code == 403


def test_the_talent_office_imports_over_the_api_and_the_page_offers_it_only_its_kinds(zone, office, client, api_as):
    upload = io.BytesIO(workbook("talent-partners", [["示例理工大学", "大学", "", "2020-05-01", None, ""]]))
    upload.name = "partners.xlsx"
    api = api_as(office)
    response = api.post("/api/v1/imports/", {"kind": "talent-partners", "file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    assert jobs.run_pending() == 1
    assert Partner.objects.filter(name="示例理工大学").exists()
    assert [b["kind"] for b in api.get("/api/v1/imports/").json()["results"]] == ["talent-partners"]
    other = io.BytesIO(b"x")
    other.name = "x.xlsx"
    response = api.post("/api/v1/imports/", {"kind": "enterprises", "file": other}, format="multipart")
    assert response.status_code == 400  # not a kind the office imports
    client.force_login(office)
    page = client.get("/imports/")
    assert page.status_code == 200
    choices = [value for value, _label in page.context["form"].fields["kind"].choices]
    assert choices == [k.name for k in intake.KINDS]
    assert client.get("/imports/templates/talents/").status_code == 200


def test_the_talent_export_stays_masked_after_an_import(zone, office, client):
    load("talents", [["张某", "", "", "", "", "", "", "", "", GOOD_ID, "13812345678"]], office)
    client.force_login(zone.users.admin)
    response = client.get("/talent/talents/?export=xlsx")
    assert response.status_code == 200
    text = " ".join(str(v) for row in read_first_sheet(response.content).rows for v in row if v is not None)
    assert GOOD_ID not in text
    assert GOOD_ID[:6] + "********" + GOOD_ID[-4:] in text


def test_the_office_imports_on_the_pages_and_the_preview_masks_the_numbers(zone, office, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = workbook("talents", [["张某", "", "", "", "", "", "", "", "", GOOD_ID, "13812345678"]])
    client.force_login(office)
    response = client.post("/imports/", {"kind": "talents", "file": SimpleUploadedFile("talents.xlsx", data)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    jobs.run_pending()
    page = client.get(response.url, HTTP_HX_REQUEST="true")
    assert b'data-testid="import-confirm"' in page.content
    assert GOOD_ID.encode() not in page.content
    assert b"13812345678" not in page.content
    assert (GOOD_ID[:6] + "********" + GOOD_ID[-4:]).encode() in page.content
    assert GOOD_ID not in str(batch.jobs.get().result)
    assert not Talent.objects.exists()
    client.post(f"/imports/{batch.pk}/confirm/")
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.WRITTEN
    assert Talent.objects.get().id_number == GOOD_ID
    # Another department's staff do not reach the office's batch.
    client.force_login(zone.users.dept_b)
    assert client.get(f"/imports/{batch.pk}/").status_code in (403, 404)
