"""Importing the catalogue and the history of applications: real workbooks (openpyxl), the real database."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.approvals import services
from hitechzone.approvals.intake import HistoryKind, ItemKind, parse_materials, parse_pauses
from hitechzone.approvals.models import Application, Item, ItemVersion, Pause, Step
from hitechzone.approvals.queries import year_stats
from hitechzone.common.calendar import ensure_years
from hitechzone.common.intake import import_workbook
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.spreadsheets import CellError, read_first_sheet

ITEM_HEADERS = [c.header for c in ItemKind.columns]
HISTORY_HEADERS = [c.header for c in HistoryKind.columns]


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched on their English words (the default UI language is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def write_workbook(path, headers, rows, *, sheet="Sheet"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(kind, path, user=None):
    return import_workbook(kind=kind, file_name=path.name, data=path.read_bytes(), user=user)


def item_row(code="T-001", department=None, **changes):
    values = {
        "code": code,
        "department": department,
        "name": "企业投资项目备案（技术改造）",
        "mode": "委托授权",
        "legal_basis": "《企业投资项目核准和备案管理条例》第十三条",
        "item_type": "承诺件",
        "statutory": 20,
        "promised": 5,
        "fees": "不收费",
        "pre_reform": 60,
        "yellow": 1,
        "status": "正常",
        "materials": "项目备案申请表|必需|原件；营业执照|必需|复印件；环评批复|必需|容缺|原件",
    }
    values.update(changes)
    return list(values.values())


# --- The materials grammar ----------------------------------------------------------------------------------


def test_the_materials_cell_reads_chinese_and_english_marks_in_any_order_with_defaults():
    cell = (
        "项目备案申请表|必需|原件；营业执照｜复印件\n"
        "环评批复 | 容缺 | Required|ORIGINAL; 授权委托书|optional|copy;；\n可研报告"
    )
    assert parse_materials(cell) == [
        {"name": "项目备案申请表", "required": True, "tolerable": False, "original": True},
        {"name": "营业执照", "required": True, "tolerable": False, "original": False},
        {"name": "环评批复", "required": True, "tolerable": True, "original": True},
        {"name": "授权委托书", "required": False, "tolerable": False, "original": False},
        {"name": "可研报告", "required": True, "tolerable": False, "original": True},
    ]
    assert parse_materials("  ") is None
    assert parse_materials(None) is None


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("营业执照|必需|盖章", "盖章"),
        ("营业执照|可选|容缺", "only a required material"),
        ("营业执照|必需|可选", "contradicts"),
        ("营业执照|原件；营业执照|复印件", "listed twice"),
        ("|必需|原件", "no name"),
    ],
)
def test_a_bad_material_entry_is_refused_with_the_reason(cell, words):
    with pytest.raises(CellError, match=words):
        parse_materials(cell)


def test_the_pauses_cell_reads_kinds_separators_and_an_open_pause():
    cell = "专家评审 2025-03-01:2025-03-10，2025/04/01～2025/04/03；test 2025-05-06 至 2025-05-07\n听证 2025-06-02:"
    assert parse_pauses(cell) == [
        ("expert_review", date(2025, 3, 1), date(2025, 3, 10)),
        ("correction", date(2025, 4, 1), date(2025, 4, 3)),
        ("testing", date(2025, 5, 6), date(2025, 5, 7)),
        ("hearing", date(2025, 6, 2), None),
    ]
    with pytest.raises(CellError, match="before it starts"):
        parse_pauses("2025-03-10:2025-03-01")
    with pytest.raises(CellError, match="not a pause"):
        parse_pauses("三月初到三月中")
    with pytest.raises(CellError, match="kind of pause"):
        parse_pauses("喝茶 2025-03-01:2025-03-02")


# --- The catalogue ------------------------------------------------------------------------------------------


def test_a_good_catalogue_workbook_creates_the_items_with_their_materials_and_status(zone, tmp_path):
    zone.dept_b.short_name = "生态环境局"
    zone.dept_b.save()
    path = write_workbook(
        tmp_path / "catalogue.xlsx",
        ITEM_HEADERS,
        [
            item_row("T-001", zone.dept_a.name),
            item_row(
                "T-002",
                zone.dept_b.code,
                name="排污许可证核发",
                mode="jurisdiction",
                item_type="immediate",
                statutory=0,
                promised=0,
                status="",
                materials="排污许可申请表|required|original",
            ),
            item_row("T-003", "生态环境局", mode="见章跟章", status="暂停", materials=""),
        ],
    )
    batch = run("approval-items", path, user=zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (3, 0, 0)
    first = Item.objects.get(code="T-001")
    assert first.department == zone.dept_a
    assert first.current.number == 1
    assert first.current.name == "企业投资项目备案（技术改造）"  # full-width brackets kept as given
    assert (first.current.mode, first.current.item_type, first.current.promised_limit) == ("entrusted", "commitment", 5)
    assert [(m.name, m.required, m.tolerable, m.original) for m in first.current.materials.all()] == [
        ("项目备案申请表", True, False, True),
        ("营业执照", True, False, False),
        ("环评批复", True, True, True),
    ]
    second = Item.objects.get(code="T-002")
    assert (second.department, second.current.mode, second.current.item_type) == (
        zone.dept_b,
        "jurisdiction",
        "immediate",
    )
    assert second.status == Item.Status.ACTIVE
    third = Item.objects.get(code="T-003")
    assert (third.department, third.status, third.status_reason) == (zone.dept_b, "suspended", "Imported")
    assert not third.current.materials.exists()
    events = AuditEvent.objects.filter(batch=batch)
    assert events.filter(content_type__model="item", action="create").count() == 3
    assert events.filter(content_type__model="material").count() == 4


def test_every_bad_catalogue_row_is_reported_and_nothing_is_written(zone, tmp_path):
    services.item_create(
        by=None, code="OLD-1", department=zone.dept_a, name="旧事项", mode="agency", item_type="commitment",
        statutory_limit=10, promised_limit=5,
    )  # fmt: skip
    services.item_set_status(item=Item.objects.get(code="OLD-1"), by=None, status="cancelled", reason="合并")
    before = (Item.objects.count(), ItemVersion.objects.count(), AuditEvent.objects.count())
    path = write_workbook(
        tmp_path / "bad.xlsx",
        ITEM_HEADERS,
        [
            item_row("B-01", zone.dept_a.name),  # good
            item_row("B-02", "市火星局"),  # unknown department
            item_row("B-03", zone.dept_a.name, mode="口头授权"),  # bad mode
            item_row("B-04", zone.dept_a.name, promised=30),  # promised > statutory
            item_row("B-05", zone.dept_a.name, item_type="即办件", promised=3),  # immediate with a limit
            item_row("B-01", zone.dept_a.name),  # duplicate code in the file
            item_row("B-07", zone.dept_a.name, materials="营业执照|必需|盖章"),  # bad material mark
            item_row("B-08", zone.dept_a.name, name=""),  # no name
            item_row("OLD-1", zone.dept_a.name, name="旧事项改名", status="取消"),  # cancelled: no more changes
            item_row("B-10", zone.dept_a.name, status="作废"),  # bad status
        ],
    )
    batch = run("approval-items", path, user=zone.users.admin)
    assert batch.status == ImportBatch.Status.INVALID
    errors = {e.cell: e.message for e in batch.validation.errors}
    assert sorted(errors, key=lambda c: int(c.lstrip("ABCDEFGHIJKLMNrow "))) == [
        "B3", "D4", "H5", "H6", "A7", "M8", "C9", "row 10", "L11",
    ]  # fmt: skip
    assert "市火星局" in errors["B3"]
    assert "委托授权" in errors["D4"]
    assert "exceeds the statutory limit" in errors["H5"]
    assert "immediate" in errors["H6"]
    assert "row 2" in errors["A7"]
    assert "盖章" in errors["M8"]
    assert "required" in errors["C9"]
    assert "cancelled" in errors["row 10"]
    assert batch.rows_bad == 9
    assert (Item.objects.count(), ItemVersion.objects.count(), AuditEvent.objects.count()) == before
    report = openpyxl.load_workbook(io.BytesIO(batch.report.read()))
    rows = list(report.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 11
    assert not rows[1][1]  # the good row has no error
    assert all(row[1] for row in rows[2:])


def test_a_changed_promised_limit_makes_a_new_version_and_filed_applications_keep_theirs(zone, tmp_path):
    run("approval-items", write_workbook(tmp_path / "v1.xlsx", ITEM_HEADERS, [item_row("V-1", zone.dept_a.name)]))
    item = Item.objects.get(code="V-1")
    application = services.application_file(
        by=zone.users.ent_a, item=item, enterprise=zone.ent_a, received_on=date(2025, 3, 3)
    )
    changed = write_workbook(
        tmp_path / "v2.xlsx", ITEM_HEADERS, [item_row("V-1", zone.dept_a.name, promised=3, status="暂停")]
    )
    batch = run("approval-items", changed, user=zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 1, 0)
    item.refresh_from_db()
    assert item.current.number == 2
    assert item.current.promised_limit == 3
    assert item.current.change_note == "Imported"
    assert item.current.created_by == zone.users.admin
    assert [m.name for m in item.current.materials.all()] == ["项目备案申请表", "营业执照", "环评批复"]
    assert (item.status, item.status_reason) == ("suspended", "Imported")
    application.refresh_from_db()
    assert (application.version.number, application.limit_days) == (1, 5)
    # The same rows again (another file): nothing changes, no third version.
    again = run(
        "approval-items",
        write_workbook(
            tmp_path / "v2-again.xlsx",
            ITEM_HEADERS,
            [item_row("V-1", zone.dept_a.name, promised=3, status="暂停")],
            sheet="again",
        ),
    )
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
    assert item.versions.count() == 2
    # A different materials list, or a move to another department, is a new version too.
    moved = run(
        "approval-items",
        write_workbook(
            tmp_path / "v3.xlsx",
            ITEM_HEADERS,
            [item_row("V-1", zone.dept_b.name, promised=3, status="暂停", materials="营业执照|必需|复印件")],
        ),
    )
    assert moved.rows_updated == 1
    item.refresh_from_db()
    assert (item.current.number, item.department) == (3, zone.dept_b)
    assert [m.name for m in item.current.materials.all()] == ["营业执照"]


def test_a_workbook_without_the_optional_columns_keeps_what_is_stored(zone, tmp_path):
    run("approval-items", write_workbook(tmp_path / "full.xlsx", ITEM_HEADERS, [item_row("K-1", zone.dept_a.name)]))
    headers = ["事项编码", "实施部门", "事项名称", "下放方式", "办件类型", "法定时限(工作日)", "承诺时限(工作日)"]
    short = write_workbook(
        tmp_path / "short.xlsx",
        headers,
        [["K-1", zone.dept_a.code, "企业投资项目备案(技术改造)", "委托授权", "承诺件", 20, 5]],
    )
    batch = run("approval-items", short)
    assert (batch.status, batch.rows_unchanged) == (ImportBatch.Status.WRITTEN, 1), batch.message
    item = Item.objects.get(code="K-1")
    assert item.current.number == 1
    assert item.current.materials.count() == 3
    assert item.current.legal_basis.startswith("《企业投资项目")


def test_only_an_administrator_writes_the_catalogue(zone, tmp_path):
    path = write_workbook(tmp_path / "dept.xlsx", ITEM_HEADERS, [item_row("P-1", zone.dept_a.name)])
    with pytest.raises(PermissionDenied):
        run("approval-items", path, user=zone.users.dept_a)
    assert not Item.objects.exists()


def test_the_commands_write_the_templates_and_import_both_kinds(zone, tmp_path):
    for kind, headers in (("approval-items", ITEM_HEADERS), ("approval-history", HISTORY_HEADERS)):
        target = tmp_path / f"{kind}.xlsx"
        call_command("export_template", "--kind", kind, str(target))
        assert [str(v) for v in read_first_sheet(target.read_bytes()).rows[0]] == headers
    catalogue = write_workbook(tmp_path / "cli-items.xlsx", ITEM_HEADERS, [item_row("CLI-1", zone.dept_a.name)])
    call_command("import_xlsx", "--kind", "approval-items", "--user", "admin", str(catalogue))
    history = write_workbook(
        tmp_path / "cli-history.xlsx",
        HISTORY_HEADERS,
        [["", "CLI-1", None, zone.ent_a.uscc, "2025-03-03", "2025-03-03", "2025-03-07", "准予", "C-1", "", "", "", ""]],
    )
    call_command("import_xlsx", "--kind", "approval-history", str(history))
    assert Application.objects.get().item.code == "CLI-1"


# --- History ------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(zone):
    """A commitment item (5 of 20 working days) and an immediate item, both of department A."""
    commitment = services.item_create(
        by=zone.users.admin, code="C-5", department=zone.dept_a, name="建设工程规划许可证", mode="entrusted",
        item_type="commitment", statutory_limit=20, promised_limit=5, pre_reform_days=40,
    )  # fmt: skip
    immediate = services.item_create(
        by=zone.users.admin, code="I-0", department=zone.dept_a, name="特种设备使用登记", mode="agency",
        item_type="immediate", statutory_limit=0, promised_limit=0,
    )  # fmt: skip
    ensure_years(2023, 2027)
    return commitment, immediate


def history_row(enterprise, **changes):
    values = {
        "number": "",
        "item": "C-5",
        "version": None,
        "enterprise": getattr(enterprise, "uscc", enterprise),  # an enterprise, or the text of the cell
        "received": "2025-03-03",
        "accepted": "2025-03-03",
        "completed": "2025-03-07",
        "outcome": "准予许可",
        "certificate": "建规字第 1 号",
        "reason": "",
        "pauses": "",
        "agent": "",
        "title": "",
    }
    values.update(changes)
    return list(values.values())


def test_history_feeds_the_year_statistics_with_hand_computed_figures(zone, catalogue, tmp_path):
    """March 2025 has no holidays: the working days are Monday to Friday."""
    a, b = zone.ent_a, zone.ent_b
    rows = [
        # 1. accepted Mon 3 Mar, done Fri 7 Mar: 4 working days, due Mon 10 Mar → on time.
        history_row(a, number="H-1"),
        # 2. accepted Tue 4 Mar, done Fri 14 Mar: 8 working days, due Tue 11 Mar → late. Filed by the agent.
        history_row(a, number="H-2", accepted="2025-03-04", completed="2025-03-14", agent="officer_a"),
        # 3. accepted Mon 10 Mar, expert review Wed 12–Thu 13, refused Tue 18: 4 working days, due Wed 19 → on time.
        history_row(
            zone.ent_b.name, number="H-3", received="2025-03-10", accepted="2025-03-10", completed="2025-03-18",
            outcome="不予许可", certificate="", reason="不符合规划条件", pauses="专家评审 2025-03-12:2025-03-13",
        ),
        # 4. declined (不予受理) the day after receipt.
        history_row(
            b, number="H-4", received="2025-03-20", accepted="", completed="2025-03-21", outcome="不予受理",
            certificate="", reason="不属于本级权限",
        ),
        # 5. accepted Mon 24 Mar, never completed: due Mon 31 Mar, red ever since.
        history_row(
            b, number="H-5", received="2025-03-24", accepted="2025-03-24", completed="", outcome="", certificate="",
        ),
        # 6. an immediate item, done on the day of acceptance.
        history_row(a, number="H-6", item="I-0", received="2025-03-05", accepted="2025-03-05", completed="2025-03-05"),
        # 7. received in 2024, done in 2025: a figure of 2024.
        history_row(a, number="H-7", received="2024-12-30", accepted="2024-12-31", completed="2025-01-08"),
    ]  # fmt: skip
    batch = run("approval-history", write_workbook(tmp_path / "history.xlsx", HISTORY_HEADERS, rows), zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert batch.rows_created == 7
    got = {a.number: a for a in Application.objects.all()}
    assert all(a.historical for a in got.values())
    assert (got["H-1"].due_on, got["H-1"].working_days_used, got["H-1"].on_time) == (date(2025, 3, 10), 4, True)
    assert (got["H-2"].due_on, got["H-2"].working_days_used, got["H-2"].on_time) == (date(2025, 3, 11), 8, False)
    assert got["H-2"].agent == zone.users.officer_a
    h3 = got["H-3"]
    assert (h3.due_on, h3.working_days_used, h3.paused_working_days, h3.on_time) == (date(2025, 3, 19), 4, 2, True)
    assert (h3.state, h3.outcome, h3.reason, h3.enterprise) == ("completed", "refused", "不符合规划条件", zone.ent_b)
    assert list(h3.pauses.values_list("kind", "started_on", "ended_on")) == [
        ("expert_review", date(2025, 3, 12), date(2025, 3, 13))
    ]
    assert (got["H-4"].state, got["H-4"].completed_on, got["H-4"].due_on) == ("rejected", date(2025, 3, 21), None)
    assert (got["H-5"].state, got["H-5"].due_on, got["H-5"].yellow_on) == (
        "accepted",
        date(2025, 3, 31),
        date(2025, 3, 28),
    )
    assert (got["H-6"].due_on, got["H-6"].working_days_used, got["H-6"].on_time) == (date(2025, 3, 5), 0, True)
    assert got["H-7"].working_days_used == 5  # after 31 Dec: 1 Jan is New Year's Day; 2, 3, 6, 7, 8 Jan
    assert [s.action for s in Step.objects.filter(application=h3)] == ["file", "accept", "complete"]
    assert [s.action for s in Step.objects.filter(application=got["H-4"])] == ["file", "reject"]
    assert AuditEvent.objects.filter(batch=batch, content_type__model="application").count() == 7
    assert AuditEvent.objects.filter(batch=batch, content_type__model="pause").count() == 1

    stats = year_stats(user=zone.users.admin, year=2025)
    assert stats["applications"] == 6
    assert stats["completed"] == 4  # H-1, H-2, H-3, H-6
    assert (stats["approved"], stats["refused"], stats["rejected"]) == (3, 1, 1)
    assert stats["immediate_completed"] == 1
    assert stats["average_working_days"] == round((4 + 8 + 4) / 3, 1)  # commitment items only
    assert stats["fastest_working_days"] == 4
    assert stats["on_time_rate"] == 0.75  # H-1, H-3, H-6 of the four
    assert stats["paused"] == 1
    assert stats["overdue"] == 1
    assert year_stats(user=zone.users.admin, year=2024)["applications"] == 1


def test_every_bad_history_row_is_reported_and_nothing_is_written(zone, catalogue, tmp_path):
    services.item_revise(item=catalogue[0], by=None, promised_limit=4)  # versions 1 and 2
    a = zone.ent_a
    existing = run(
        "approval-history", write_workbook(tmp_path / "one.xlsx", HISTORY_HEADERS, [history_row(a, number="TAKEN")])
    )
    assert existing.status == ImportBatch.Status.WRITTEN, existing.message
    before = (Application.objects.count(), Step.objects.count(), Pause.objects.count(), AuditEvent.objects.count())
    rows = [
        history_row(a, number="OK-1"),  # 2: good
        history_row(a, item="NOPE"),  # 3: unknown item
        history_row("浙江不存在有限公司"),  # 4: unknown enterprise
        history_row(a, accepted="2025-03-01"),  # 5: accepted before received
        history_row(a, outcome=""),  # 6: completed without outcome (and a certificate without approval)
        history_row(a, certificate=""),  # 7: approved without certificate
        history_row(a, outcome="不予受理", certificate="", reason="材料不全"),  # 8: declined but accepted
        history_row(a, pauses="2025-03-03:2025-03-04"),  # 9: a pause on the day of acceptance
        history_row(a, pauses="2025-03-05:2025-03-10"),  # 10: a pause after the completion
        history_row(a, received="2099-01-02", accepted="", completed="", outcome="", certificate=""),  # 11: future
        history_row(a, number="OK-1"),  # 12: the same number as row 2
        history_row(a, number="TAKEN"),  # 13: a number already stored
        history_row(a, agent="dept_a"),  # 14: not an officer
        history_row(a, version=9),  # 15: no such version
        history_row(a, accepted="", completed="", outcome="", certificate="", pauses="2025-03-04:2025-03-05"),  # 16
        history_row(a, outcome="不予许可", certificate="", reason=""),  # 17: refused without a reason
        history_row(a, received="昨天"),  # 18: not a date
    ]
    batch = run("approval-history", write_workbook(tmp_path / "bad.xlsx", HISTORY_HEADERS, rows), zone.users.admin)
    assert batch.status == ImportBatch.Status.INVALID
    by_row: dict[int, list[str]] = {}
    for e in batch.validation.errors:
        by_row.setdefault(e.row, []).append(e.cell)
    assert by_row == {
        3: ["B3"],
        4: ["D4"],
        5: ["F5"],
        6: ["H6", "I6"],
        7: ["I7"],
        8: ["F8"],
        9: ["K9"],
        10: ["K10"],
        11: ["E11"],
        12: ["A12"],
        13: ["A13"],
        14: ["L14"],
        15: ["C15"],
        16: ["K16"],
        17: ["J17"],
        18: ["E18"],
    }
    assert batch.rows_bad == 16
    messages = {e.cell: e.message for e in batch.validation.errors}
    assert "NOPE" in messages["B3"]
    assert "before the receipt" in messages["F5"]
    assert "row 2" in messages["A12"]
    assert "exists already" in messages["A13"]
    assert "service officer" in messages["L14"]
    assert "1 to 2" in messages["C15"]
    assert "in the future" in messages["E11"]
    assert (
        Application.objects.count(),
        Step.objects.count(),
        Pause.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_blank_numbers_are_generated_unique_and_the_version_in_force_is_chosen(zone, catalogue, tmp_path):
    item = catalogue[0]
    services.item_revise(item=item, by=None, promised_limit=3)
    v1, v2 = ItemVersion.objects.filter(item=item).order_by("number")
    ItemVersion.objects.filter(pk=v1.pk).update(created_at=v1.created_at.replace(year=2024, month=1, day=1))
    ItemVersion.objects.filter(pk=v2.pk).update(created_at=v2.created_at.replace(year=2025, month=6, day=1))
    a = zone.ent_a
    rows = [
        history_row(a, received="2025-03-03", accepted="", completed="", outcome="", certificate=""),  # v1 in force
        history_row(a, received="2025-07-01", accepted="", completed="", outcome="", certificate=""),  # v2 in force
        history_row(a, received="2023-05-04", accepted="", completed="", outcome="", certificate=""),  # none: current
        history_row(a, version=1, received="2025-08-01", accepted="", completed="", outcome="", certificate=""),
        history_row(a.name, received="2025-08-02", accepted="", completed="", outcome="", certificate=""),
    ]
    batch = run("approval-history", write_workbook(tmp_path / "versions.xlsx", HISTORY_HEADERS, rows))
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    got = list(Application.objects.order_by("id").values_list("number", "version__number", "limit_days", "state"))
    assert [g[1:] for g in got] == [
        (1, 5, "received"), (2, 3, "received"), (2, 3, "received"), (1, 5, "received"), (2, 3, "received"),
    ]  # fmt: skip
    numbers = [g[0] for g in got]
    assert len(set(numbers)) == 5
    assert numbers[0] == f"LS20250303-{batch.pk}-1"
    assert all(len(n) <= 24 for n in numbers)


def test_an_open_pause_leaves_a_running_application_in_that_pause(zone, catalogue, tmp_path):
    rows = [
        history_row(
            zone.ent_a, number="P-1", received="2025-03-10", accepted="2025-03-10", completed="", outcome="",
            certificate="", pauses="补正 2025-03-11:2025-03-11; 听证 2025-03-17:",
        ),
    ]  # fmt: skip
    batch = run("approval-history", write_workbook(tmp_path / "open.xlsx", HISTORY_HEADERS, rows))
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    application = Application.objects.get()
    assert application.state == Application.State.SPECIAL
    assert application.light() == "paused"
    assert application.paused_working_days == 1  # the closed pause only, as the services count it
    assert application.due_on == date(2025, 3, 18)  # 11 Mar paused: 12, 13, 14, 17, 18
    assert [s.action for s in application.steps.all()] == ["file", "accept", "pause"]


def test_the_history_import_runs_a_fixed_number_of_queries_whatever_the_number_of_rows(
    zone, catalogue, tmp_path, django_assert_max_num_queries
):
    """Every table is written with one statement (COPY, or one executemany); only the look-up of the new ids goes
    5,000 numbers a query."""

    def rows(n, first):
        out = []
        for i in range(n):
            day = f"2025-03-{3 + i % 20:02d}"
            out.append(
                history_row(
                    zone.ent_a if i % 2 else zone.ent_b.name, number=f"Q-{first + i}", received=day, accepted=day,
                    completed="2025-03-31", pauses="专家评审 2025-03-24:2025-03-25" if i % 3 == 0 else "",
                    agent="officer_a" if i % 4 == 0 else "",
                )
            )  # fmt: skip
        return out

    counts = []
    for n, first in ((1, 0), (3, 10), (25, 100)):  # the first loads the calendar into the process's cache
        path = write_workbook(tmp_path / f"q{n}.xlsx", HISTORY_HEADERS, rows(n, first))
        data = path.read_bytes()
        with CaptureQueriesContext(connection) as captured:
            batch = import_workbook(kind="approval-history", file_name=path.name, data=data, user=zone.users.admin)
        assert batch.status == ImportBatch.Status.WRITTEN, batch.message
        counts.append(len(captured))
    assert counts[1] == counts[2], counts
    path = write_workbook(tmp_path / "budget.xlsx", HISTORY_HEADERS, rows(25, 200))
    with django_assert_max_num_queries(20):
        import_workbook(kind="approval-history", file_name=path.name, data=path.read_bytes(), user=zone.users.admin)


def test_the_import_page_checks_then_writes_a_history_workbook_after_confirmation(zone, catalogue, tmp_path, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hitechzone.common import jobs

    path = write_workbook(tmp_path / "ui.xlsx", HISTORY_HEADERS, [history_row(zone.ent_a, number="UI-1")])
    client.force_login(zone.users.admin)
    response = client.post(
        "/imports/", {"kind": "approval-history", "file": SimpleUploadedFile("ui.xlsx", path.read_bytes())}
    )
    assert response.status_code == 302
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.VALID, batch.message
    assert not Application.objects.exists()
    client.post(f"/imports/{batch.pk}/confirm/")
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert Application.objects.get().number == "UI-1"


def test_both_templates_download_from_the_page_and_the_api(zone, client, api_as):
    client.force_login(zone.users.dept_a)
    for kind, headers in (("approval-items", ITEM_HEADERS), ("approval-history", HISTORY_HEADERS)):
        page = client.get(f"/imports/templates/{kind}/")
        assert page.status_code == 200
        assert [str(v) for v in read_first_sheet(page.content).rows[0]] == headers
        api = api_as(zone.users.admin).get(f"/api/v1/imports/templates/{kind}/")
        assert api.status_code == 200
        assert [str(v) for v in read_first_sheet(api.content).rows[0]] == headers
