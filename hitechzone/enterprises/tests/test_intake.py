"""Spreadsheet intake: real workbooks (openpyxl), the real database, every refusal names its cell."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from hitechzone.common import jobs
from hitechzone.common.intake import get_kind, import_workbook, template_bytes
from hitechzone.common.models import AuditEvent, ImportBatch, Job
from hitechzone.common.spreadsheets import UnsafeWorkbook, inspect_xlsx, read_first_sheet
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator
from hitechzone.zone.models import Parcel

HEADERS = [
    "统一社会信用代码", "企业名称", "年度", "是否规上", "用地面积(亩)", "工业总产值(万元)", "营业收入(万元)",
    "税收实际入库(万元)", "工业增加值(万元)", "研发经费支出(万元)", "综合能耗(吨标准煤)", "用电量(万千瓦时)",
    "化学需氧量(吨)", "氨氮(吨)", "二氧化硫(吨)", "氮氧化物(吨)", "年平均职工人数(人)",
]  # fmt: skip
WATER = "用水量(万吨)"  # issue 6: the optional trailing column


def workbook(rows, headers=HEADERS, *, title_row=None, merge_title=False, sheet="指标") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title_row:
        ws.append([title_row])
        if merge_title:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_for(enterprise, year=2025, **changes):
    values = {
        "uscc": enterprise.uscc, "name": enterprise.name, "year": year, "above": "是", "land": 50, "output": 25000,
        "revenue": 24000, "tax": 1200, "va": 6000, "rd": 700, "energy": 9000, "power": 3000, "cod": 1.5,
        "nh3": 0.2, "so2": 3, "nox": 4, "staff": 150,
    }  # fmt: skip
    values.update(changes)
    return list(values.values())


def run(kind, data, user=None, name="data.xlsx"):
    return import_workbook(kind=kind, file_name=name, data=data, user=user)


def counts():
    return (
        Enterprise.objects.count(),
        EnterpriseIndicator.objects.count(),
        Parcel.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_indicator_template_has_exactly_the_issue_columns_in_order(db):
    sheet = read_first_sheet(template_bytes(get_kind("indicators")))
    # Issue 3's columns, then issue 6's optional trailing water column (files without it still import).
    assert [str(v) for v in sheet.rows[0]] == [*HEADERS, WATER]


def test_a_good_indicator_workbook_is_written_in_one_batch_with_an_audit_record_per_row(zone):
    data = workbook([row_for(zone.ent_a, 2024), row_for(zone.ent_b, 2024, tax="1,234.50")])
    batch = run("indicators", data, user=zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (2, 0, 0)
    stored = EnterpriseIndicator.objects.get(enterprise=zone.ent_b, year=2024)
    assert stored.tax_wan_yuan == Decimal("1234.50")
    events = AuditEvent.objects.filter(batch=batch)
    assert events.count() == 2
    event = events.get(object_id=str(stored.pk))
    assert event.source == "import"
    assert event.user == zone.users.admin
    assert event.action == "create"
    assert event.changes["tax_wan_yuan"] == [None, "1234.50"]
    assert event.enterprise_id == zone.ent_b.pk


def test_reimporting_the_same_data_changes_nothing_and_updates_only_what_differs(zone):
    run("indicators", workbook([row_for(zone.ent_a, 2024)]))
    before = counts()
    again = run("indicators", workbook([row_for(zone.ent_a, 2024)], sheet="再次"))  # same data, another file
    assert again.status == ImportBatch.Status.WRITTEN
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
    assert counts() == before
    changed = run("indicators", workbook([row_for(zone.ent_a, 2024, tax=999)], sheet="改"))
    assert (changed.rows_created, changed.rows_updated) == (0, 1)
    event = AuditEvent.objects.get(batch=changed)
    assert event.changes == {"tax_wan_yuan": ["1200.00", "999.00"]}


def test_the_same_file_twice_is_recognised_by_its_hash_and_nothing_is_written(zone):
    data = workbook([row_for(zone.ent_a, 2024)])
    first = run("indicators", data)
    before = counts()
    second = run("indicators", data)
    assert second.status == ImportBatch.Status.DUPLICATE
    assert f"#{first.pk}" in second.message
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "cell", "words"),
    [
        ({"tax": -5}, "H3", "negative"),
        ({"land": "-1"}, "E3", "negative"),
        ({"year": 1999}, "C3", "2000"),
        ({"year": "二〇二五"}, "C3", "二〇二五"),
        ({"output": "很多"}, "F3", "很多"),
        ({"above": "也许"}, "D3", "也许"),
        ({"staff": 12.5}, "Q3", "12.5"),
        ({"uscc": "check-digit"}, "A3", "18"),
        ({"uscc": "91330800MA0000O1X0"}, "A3", "O"),
        ({"name": "另一家公司"}, "B3", "另一家公司"),
        ({"uscc": ""}, "A3", ""),
    ],
)
def test_a_bad_cell_is_refused_with_its_cell_named_and_nothing_written(zone, changes, cell, words):
    from hitechzone.common.intake import batch_check, batch_create

    if changes.get("uscc") == "check-digit":
        last = zone.ent_b.uscc[-1]
        changes = {"uscc": zone.ent_b.uscc[:-1] + ("1" if last != "1" else "2")}
    data = workbook([row_for(zone.ent_a, 2024), row_for(zone.ent_b, **{"year": 2024, **changes})])
    before = counts()
    batch = batch_create(kind="indicators", file_name="bad.xlsx", data=data, user=None)
    batch, validation = batch_check(batch)
    assert batch.status == ImportBatch.Status.INVALID
    assert [e.cell for e in validation.errors] == [cell]
    assert words in validation.errors[0].message
    assert counts() == before
    report = openpyxl.load_workbook(io.BytesIO(batch.report.read()))
    rows = list(report.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3  # header + the two original rows
    assert rows[2][1].startswith(cell)
    assert not rows[1][1]
    assert report.worksheets[2].cell(row=2, column=1).value == cell


def test_an_unregistered_uscc_and_a_duplicate_key_are_both_reported(zone):
    from hitechzone.enterprises.tests.factories import valid_uscc

    stranger = valid_uscc(999_999)
    data = workbook([row_for(zone.ent_a), row_for(zone.ent_a), row_for(zone.ent_b, uscc=stranger)])
    before = counts()
    batch = run("indicators", data)
    assert batch.status == ImportBatch.Status.INVALID
    messages = [str(e) for e in batch.validation.errors]
    assert messages[0].startswith("A3")
    assert "2" in messages[0]  # the same key as row 2
    assert messages[1].startswith("A4")
    assert counts() == before


def test_one_bad_row_among_many_writes_nothing(zone):
    from hitechzone.enterprises.tests import factories as f

    others = [f.EnterpriseFactory(brand=zone.brand_a) for _ in range(30)]
    rows = [row_for(e, 2024) for e in others]
    rows[17][7] = -1
    before = counts()
    batch = run("indicators", workbook(rows))
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.rows_bad == 1
    assert counts() == before


def test_messy_cells_are_taken_as_real_workbooks_carry_them(zone):
    messy = row_for(zone.ent_a, year=" 2024 ", tax="１，２３４．５", output="25,000.00", land=" 50 ", above=" 是 ")
    messy[0] = " " + zone.ent_a.uscc.lower() + " "
    messy[1] = zone.ent_a.name.replace("有限公司", " 有限公司 ")
    headers = [h.replace("(", "（").replace(")", "）") for h in HEADERS]  # full-width brackets in the header
    data = workbook([messy, [None] * 17, [""] * 17], headers, title_row="2024 年度企业指标（税务局）", merge_title=True)
    batch = run("indicators", data)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    stored = EnterpriseIndicator.objects.get(enterprise=zone.ent_a, year=2024)
    assert stored.tax_wan_yuan == Decimal("1234.50")
    assert stored.gross_output_wan_yuan == Decimal("25000.00")
    assert stored.is_above_scale is True


def test_a_missing_required_column_is_refused_before_any_row(zone):
    data = workbook([row_for(zone.ent_a)[1:]], HEADERS[1:])
    batch = run("indicators", data)
    assert batch.status == ImportBatch.Status.INVALID
    assert "统一社会信用代码" in batch.message


# --- Hostile files ---------------------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return buffer.getvalue()


def _with_entries(data: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    entries = {n: source.read(n) for n in source.namelist()}
    entries.update(replace or {})
    entries.update(extra)
    return _zip(entries)


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched on their English words (the default UI language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def good_bytes():
    return workbook([["x"] * 17])


def test_a_file_that_is_not_a_workbook_is_refused(db):
    with pytest.raises(UnsafeWorkbook, match="Excel"):
        inspect_xlsx(b"uscc,name\n1,2\n", file_name="data.csv")
    with pytest.raises(UnsafeWorkbook, match="Excel"):
        inspect_xlsx(_zip({"hello.txt": b"hi"}), file_name="data.xlsx")


def test_an_old_xls_file_is_refused_with_advice(db):
    with pytest.raises(UnsafeWorkbook, match="xls"):
        inspect_xlsx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, file_name="data.xls")


def test_a_workbook_with_macros_is_refused(good_bytes):
    with pytest.raises(UnsafeWorkbook, match="xlsm"):
        inspect_xlsx(good_bytes, file_name="data.xlsm")
    with pytest.raises(UnsafeWorkbook, match="macro"):
        inspect_xlsx(_with_entries(good_bytes, {"xl/vbaProject.bin": b"\0" * 64}), file_name="data.xlsx")


def test_a_zip_bomb_is_refused_before_parsing(good_bytes):
    bomb = _with_entries(good_bytes, {"xl/media/padding.bin": b"\0" * (20 * 2**20)})
    with pytest.raises(UnsafeWorkbook, match="zip"):
        inspect_xlsx(bomb, file_name="bomb.xlsx")
    many = _with_entries(good_bytes, {f"xl/media/{i}.bin": b"x" for i in range(2100)})
    with pytest.raises(UnsafeWorkbook, match="2000"):
        inspect_xlsx(many, file_name="many.xlsx")


def test_an_xml_bomb_is_refused(good_bytes):
    sheet = zipfile.ZipFile(io.BytesIO(good_bytes)).read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    evil = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' + body
    with pytest.raises(UnsafeWorkbook, match="XML"):
        inspect_xlsx(_with_entries(good_bytes, {}, {"xl/worksheets/sheet1.xml": evil}), file_name="evil.xlsx")


def test_a_sheet_over_the_row_limit_is_refused(db):
    data = workbook([[str(i)] * 3 for i in range(40)])
    with pytest.raises(UnsafeWorkbook, match="30"):
        read_first_sheet(data, file_name="big.xlsx", max_rows=30)


def test_a_hostile_upload_is_refused_as_a_batch_and_nothing_is_written(zone):
    before = counts()
    batch = run("indicators", b"MZ\x90\x00 not a workbook", name="virus.xlsx")
    assert batch.status == ImportBatch.Status.REFUSED
    assert counts() == before


# --- Kinds, round trips -----------------------------------------------------------------------------------------


def _export(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_enterprise_export_then_import_round_trips_without_changes(zone, client):
    client.force_login(zone.users.admin)
    data = _export(client, "/enterprises/?export=xlsx")
    batch = run("enterprises", data)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 0, 2)


def test_indicator_export_of_a_year_then_import_round_trips(zone, client):
    client.force_login(zone.users.admin)
    data = _export(client, "/enterprises/indicators/export/?year=2025")
    assert [str(v) for v in read_first_sheet(data).rows[0]] == [*HEADERS, WATER]
    batch = run("indicators", data)
    assert (batch.status, batch.rows_unchanged) == (ImportBatch.Status.WRITTEN, 2)


def test_parcel_export_then_import_round_trips(zone, client):
    client.force_login(zone.users.admin)
    batch = run("parcels", _export(client, "/zone/parcels/?export=xlsx"))
    assert (batch.status, batch.rows_unchanged) == (ImportBatch.Status.WRITTEN, 2), batch.message


def test_the_list_export_applies_the_filters_and_the_role_scope(zone, client):
    client.force_login(zone.users.officer_a)
    rows = read_first_sheet(_export(client, "/enterprises/?export=xlsx")).rows
    assert [r[0] for r in rows[1:]] == [zone.ent_a.uscc]
    client.force_login(zone.users.admin)
    rows = read_first_sheet(_export(client, "/enterprises/?export=xlsx&brand=lvchan")).rows
    assert [r[0] for r in rows[1:]] == [zone.ent_b.uscc]


def test_an_enterprise_workbook_creates_enterprises_with_chains_and_refuses_unknown_references(zone):
    headers = ["统一社会信用代码", "企业名称", "所属园区", "产业链", "行业代码", "成立日期"]
    from hitechzone.enterprises.tests.factories import valid_uscc

    new = valid_uscc(777_001)
    batch = run("enterprises", workbook([[new, "浙江新来材料有限公司", "高新区", "氟化工", "", "2020-05-01"]], headers))
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    created = Enterprise.objects.get(uscc=new)
    assert list(created.chains.values_list("code", flat=True)) == ["fluorine"]
    assert AuditEvent.objects.filter(batch=batch, enterprise_id=created.pk).exists()
    bad = run(
        "enterprises",
        workbook([[valid_uscc(777_002), "浙江另来有限公司", "火星园区", "不存在链", "9999", "昨天"]], headers),
    )
    assert bad.status == ImportBatch.Status.INVALID
    assert sorted(e.cell for e in bad.validation.errors) == ["C2", "D2", "E2", "F2"]


def test_a_parcel_workbook_keeps_mu_and_square_metres_consistent(zone):
    headers = ["地块编号", "所属园区", "面积(亩)", "面积(平方米)"]
    batch = run("parcels", workbook([["DK-NEW-1", "高新区", "1.5", ""], ["DK-NEW-2", "高新区", "", "2000"]], headers))
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert Parcel.objects.get(code="DK-NEW-1").area_m2 == Decimal("1000.00")
    assert Parcel.objects.get(code="DK-NEW-2").area_mu == Decimal("3.0000")
    bad = run("parcels", workbook([["DK-NEW-3", "高新区", "2", "2000"]], headers))
    assert bad.status == ImportBatch.Status.INVALID
    assert bad.validation.errors[0].cell == "D2"


# --- CLI, API, UI --------------------------------------------------------------------------------------------------


def test_the_cli_exits_0_when_written_and_1_with_a_report_when_refused(zone, tmp_path, capsys):
    good, bad, report = tmp_path / "good.xlsx", tmp_path / "bad.xlsx", tmp_path / "report.xlsx"
    good.write_bytes(workbook([row_for(zone.ent_a, 2023)]))
    bad.write_bytes(workbook([row_for(zone.ent_a, 2023, tax=-1)]))
    call_command("import_xlsx", "--kind", "indicators", str(good))
    assert EnterpriseIndicator.objects.filter(enterprise=zone.ent_a, year=2023).exists()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_xlsx", "--kind", "indicators", "--report", str(report), str(bad))
    assert exit_info.value.code == 1
    assert "H2" in capsys.readouterr().out
    assert openpyxl.load_workbook(report).sheetnames[0]


def test_the_cli_writes_each_template(db, tmp_path):
    for kind in ("enterprises", "parcels", "indicators"):
        target = tmp_path / f"{kind}.xlsx"
        call_command("export_template", "--kind", kind, str(target))
        assert read_first_sheet(target.read_bytes()).rows[0][0]


def test_an_api_import_answers_with_a_job_that_a_worker_runs(zone, api_as):
    client = api_as(zone.users.admin)
    upload = io.BytesIO(workbook([row_for(zone.ent_a, 2023)]))
    upload.name = "api.xlsx"
    response = client.post("/api/v1/imports/", {"kind": "indicators", "file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    assert jobs.run_pending() == 1
    polled = client.get(f"/api/v1/jobs/{job_id}/").json()
    assert polled["status"] == "succeeded"
    assert polled["progress"] == 100
    assert polled["result"]["rows_created"] == 1
    batch = client.get(f"/api/v1/imports/{polled['batch']}/").json()
    assert batch["status"] == "written"
    assert batch["source"] == "api"


def test_only_administrators_import_through_the_api(zone, api_as):
    for persona in ("leader", "dept_a", "officer_a", "expert_a", "ent_a"):
        upload = io.BytesIO(workbook([row_for(zone.ent_a, 2023)]))
        upload.name = "x.xlsx"
        response = api_as(getattr(zone.users, persona)).post(
            "/api/v1/imports/", {"kind": "indicators", "file": upload}, format="multipart"
        )
        assert response.status_code == 403, persona
    assert not ImportBatch.objects.exists()


def test_the_template_downloads_from_the_api(zone, api_as):
    response = api_as(zone.users.dept_a).get("/api/v1/imports/templates/indicators/")
    assert response.status_code == 200
    assert [str(v) for v in read_first_sheet(response.content).rows[0]] == [*HEADERS, WATER]


def test_the_ui_uploads_checks_previews_and_writes_after_confirmation(zone, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(zone.users.admin)
    data = workbook([row_for(zone.ent_a, 2023), row_for(zone.ent_b, 2023)])
    response = client.post(
        "/imports/", {"kind": "indicators", "file": SimpleUploadedFile("ui.xlsx", data)}, follow=False
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response.url)
    assert b'data-testid="import-progress"' in page.content  # queued: the progress bar polls
    jobs.run_pending()
    page = client.get(response.url, HTTP_HX_REQUEST="true")
    assert b'data-testid="import-confirm"' in page.content
    assert zone.ent_a.uscc.encode() in page.content
    assert not EnterpriseIndicator.objects.filter(year=2023).exists()
    client.post(f"/imports/{batch.pk}/confirm/")
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.WRITTEN
    assert EnterpriseIndicator.objects.filter(year=2023).count() == 2
    assert Job.objects.filter(batch=batch, status=Job.Status.SUCCEEDED).count() == 2


def test_the_ui_offers_the_report_of_a_refused_workbook(zone, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(zone.users.admin)
    data = workbook([row_for(zone.ent_a, 2023, tax=-1)])
    client.post("/imports/", {"kind": "indicators", "file": SimpleUploadedFile("bad.xlsx", data)})
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    page = client.get(f"/imports/{batch.pk}/")
    assert b"H2" in page.content
    report = client.get(f"/imports/{batch.pk}/report/")
    assert report.status_code == 200


def test_the_import_pages_are_for_administrators_only(zone, client):
    for persona in ("leader", "dept_a", "officer_a", "expert_a", "ent_a"):
        client.force_login(getattr(zone.users, persona))
        assert client.get("/imports/").status_code == 403, persona


def test_the_audit_page_exports_what_it_shows(zone, client):
    from hitechzone.common.intake import import_workbook as run_import

    run_import(kind="indicators", file_name="a.xlsx", data=workbook([row_for(zone.ent_a, 2024)]), user=zone.users.admin)
    client.force_login(zone.users.admin)
    rows = read_first_sheet(_export(client, "/audit/?export=xlsx&source=import")).rows
    assert len(rows) > 1
    assert all(r[2] in ("导入", "Import") for r in rows[1:])
    client.force_login(zone.users.officer_a)
    assert client.get("/audit/?export=xlsx").status_code == 403
