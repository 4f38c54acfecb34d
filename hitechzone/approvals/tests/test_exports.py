"""Exports in the columns of the imports: the catalogue and the applications go out and come back unchanged."""

from datetime import date

import pytest

from hitechzone.approvals import services
from hitechzone.approvals.exports import applications_xlsx, catalogue_response, catalogue_xlsx
from hitechzone.approvals.intake import HistoryKind, ItemKind
from hitechzone.approvals.models import Application, Item, ItemVersion, Material, Pause
from hitechzone.approvals.queries import year_stats
from hitechzone.common.calendar import ensure_years
from hitechzone.common.intake import import_workbook
from hitechzone.common.models import AuditEvent, ImportBatch
from hitechzone.common.spreadsheets import read_first_sheet
from hitechzone.enterprises.models import Assignment


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def run(kind, path, user=None):
    return import_workbook(kind=kind, file_name=path.name, data=path.read_bytes(), user=user)


def rows_of(data: bytes) -> list[list]:
    return read_first_sheet(data).rows


# --- The catalogue --------------------------------------------------------------------------------------------


@pytest.fixture
def items(zone):
    """Items as the pages make them: full-width brackets, a legal basis over several lines, every kind of material."""
    admin = zone.users.admin
    first = services.item_create(
        by=admin,
        code="FGW-001",
        department=zone.dept_a,
        name="企业投资项目备案（含技术改造）",
        mode="entrusted",
        item_type="commitment",
        statutory_limit=20,
        promised_limit=5,
        legal_basis="《企业投资项目核准和备案管理条例》第十三条\n《浙江省企业投资项目备案办法》  第八条",
        fees="不收费",
        pre_reform_days=60,
        yellow_threshold=2,
        materials=[
            {"name": "项目备案申请表", "required": True, "original": True},
            {"name": "营业执照（副本）", "required": True, "original": False},
            {"name": "环评批复", "required": True, "tolerable": True},
            {"name": "授权委托书", "required": False, "original": False},
        ],
    )
    services.item_revise(item=first, by=admin, note="改承诺时限", promised_limit=4)
    services.item_create(
        by=admin, code="SCJ-009", department=zone.dept_b, name="特种设备使用登记", mode="agency",
        item_type="immediate", statutory_limit=15, promised_limit=0,
    )  # fmt: skip
    suspended = services.item_create(
        by=admin, code="HB-002", department=zone.dept_b, name="建设项目环境影响评价文件审批", mode="seal_follow",
        item_type="commitment", statutory_limit=60, promised_limit=10, materials=[{"name": "环评报告书"}],
    )  # fmt: skip
    services.item_set_status(item=suspended, by=admin, status="suspended", reason="机构调整")
    cancelled = services.item_create(
        by=admin, code="OLD-1", department=zone.dept_a, name="已取消事项", mode="jurisdiction",
        item_type="commitment", statutory_limit=10, promised_limit=3,
    )  # fmt: skip
    services.item_set_status(item=cancelled, by=admin, status="cancelled", reason="已取消")
    return Item.objects.all()


def test_the_catalogue_export_has_exactly_the_import_columns(items):
    rows = rows_of(catalogue_xlsx(items))
    assert [str(v) for v in rows[0]] == [c.header for c in ItemKind.columns]
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {"FGW-001", "SCJ-009", "HB-002", "OLD-1"}
    first = by_code["FGW-001"]
    assert first[2:4] == ["企业投资项目备案（含技术改造）", "委托授权"]
    assert first[7] == 4  # the current version
    assert (
        first[12]
        == "项目备案申请表|必需|原件；营业执照（副本）|必需|复印件；环评批复|必需|容缺|原件；授权委托书|可选|复印件"
    )
    assert [by_code[c][11] for c in ("FGW-001", "HB-002", "OLD-1")] == ["正常", "暂停", "取消"]


def test_the_catalogue_export_imports_back_without_a_single_change(items, zone, tmp_path):
    versions, materials = ItemVersion.objects.count(), Material.objects.count()
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(catalogue_xlsx(items))
    batch = run("approval-items", path, zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 0, 4)
    assert (ItemVersion.objects.count(), Material.objects.count()) == (versions, materials)
    assert not AuditEvent.objects.filter(batch=batch).exists()


def test_the_catalogue_export_loads_an_empty_database_with_the_same_items(items, zone, tmp_path):
    data = catalogue_xlsx(items.exclude(status="cancelled"))
    before = rows_of(data)
    Material.objects.all().delete()
    Item.objects.update(current=None)
    ItemVersion.objects.all().delete()
    Item.objects.all().delete()
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(data)
    batch = run("approval-items", path, zone.users.admin)
    assert (batch.status, batch.rows_created) == (ImportBatch.Status.WRITTEN, 3), batch.message
    assert rows_of(catalogue_xlsx(Item.objects.all()))[1:] == before[1:]


def test_the_catalogue_download_is_an_xlsx_attachment(items):
    response = catalogue_response(items)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert len(rows_of(response.content)) == 5


# --- Applications --------------------------------------------------------------------------------------------


@pytest.fixture
def live(zone):
    """Applications made the live way, through the services, with real dates in 2024 and 2025."""
    ensure_years(2023, 2027)
    Assignment.objects.filter(officer=zone.users.officer_a).update(started_on=date(2024, 1, 1))
    admin, window = zone.users.admin, zone.users.dept_a
    plan = services.item_create(
        by=admin, code="GH-001", department=zone.dept_a, name="建设工程规划许可证", mode="entrusted",
        item_type="commitment", statutory_limit=20, promised_limit=5, pre_reform_days=40,
    )  # fmt: skip
    spot = services.item_create(
        by=admin, code="TS-001", department=zone.dept_a, name="特种设备使用登记", mode="agency",
        item_type="immediate", statutory_limit=0, promised_limit=0,
    )  # fmt: skip

    def accepted(item, enterprise, by, received, accepted_on, title=""):
        application = services.application_file(
            by=by, item=item, enterprise=enterprise, received_on=received, title=title
        )
        return services.application_check(application=application, by=window, on=accepted_on)

    def complete(application, on, outcome="approved"):
        if outcome == "approved":
            return services.application_complete(
                application=application, by=window, outcome=outcome, certificate_no=f"证-{application.pk}", on=on
            )
        return services.application_complete(
            application=application, by=window, outcome=outcome, reason="不符合", on=on
        )

    ent_a, ent_b = zone.users.ent_a, zone.users.ent_b
    a1 = accepted(plan, zone.ent_a, ent_a, date(2025, 3, 3), date(2025, 3, 3), title="一号项目")
    complete(a1, date(2025, 3, 7))
    a2 = accepted(plan, zone.ent_a, zone.users.officer_a, date(2025, 3, 3), date(2025, 3, 4))  # 代办
    services.application_assign(application=a2, by=window, assignee=window, on=date(2025, 3, 5))
    complete(a2, date(2025, 3, 14))
    a3 = accepted(plan, zone.ent_b, ent_b, date(2025, 3, 10), date(2025, 3, 10))
    services.application_assign(application=a3, by=window, assignee=window, on=date(2025, 3, 11))
    services.application_pause(application=a3, by=window, kind="expert_review", reason="专家评审", on=date(2025, 3, 12))
    services.application_resume(application=a3, by=window, on=date(2025, 3, 14))
    complete(a3, date(2025, 3, 18), outcome="refused")
    a4 = services.application_file(by=ent_b, item=plan, enterprise=zone.ent_b, received_on=date(2025, 3, 20))
    services.application_reject(application=a4, by=window, reason="不属于本级权限", on=date(2025, 3, 21))
    accepted(plan, zone.ent_b, ent_b, date(2025, 3, 24), date(2025, 3, 24))  # running, red since April
    a6 = accepted(spot, zone.ent_a, ent_a, date(2025, 3, 5), date(2025, 3, 5))
    complete(a6, date(2025, 3, 5))
    a7 = accepted(plan, zone.ent_a, ent_a, date(2025, 3, 25), date(2025, 3, 25))
    services.application_pause(application=a7, by=window, kind="testing", reason="检测", on=date(2025, 3, 27))
    a8 = accepted(plan, zone.ent_a, ent_a, date(2025, 9, 26), date(2025, 9, 29))  # across National Day
    services.application_pause(application=a8, by=window, kind="hearing", reason="听证", on=date(2025, 9, 30))
    services.application_resume(application=a8, by=window, on=date(2025, 10, 10))
    complete(a8, date(2025, 10, 20))
    a9 = accepted(plan, zone.ent_b, ent_b, date(2024, 12, 30), date(2024, 12, 31))
    complete(a9, date(2025, 1, 8))
    return Application.objects.all()


CLOCK = (
    "number", "item_id", "version_id", "department_id", "enterprise_id", "agent_id", "title", "state", "received_on",
    "accepted_on", "completed_on", "limit_days", "yellow_threshold", "due_on", "due_provisional", "yellow_on",
    "paused_working_days", "working_days_used", "on_time", "outcome", "certificate_no", "reason",
)  # fmt: skip


def test_the_application_export_has_exactly_the_history_columns(live):
    rows = rows_of(applications_xlsx(live))
    assert [str(v) for v in rows[0]] == [c.header for c in HistoryKind.columns]
    assert len(rows) == 10
    refused = next(r for r in rows[1:] if r[7] == "不予许可")
    assert refused[10] == "专家评审 2025-03-12:2025-03-13"
    assert next(r for r in rows[1:] if r[7] == "不予受理")[6] is not None
    assert any(r[11] == "officer_a" for r in rows[1:])
    assert any(str(r[10]).endswith("2025-03-27:") for r in rows[1:])  # still in its pause


def test_exported_applications_imported_into_an_empty_database_give_the_same_figures(live, zone, tmp_path):
    stats = {year: year_stats(user=zone.users.admin, year=year) for year in (2024, 2025)}
    stored = {row[0]: row for row in live.values_list(*CLOCK)}
    pauses = sorted(Pause.objects.values_list("application__number", "kind", "started_on", "ended_on"))
    data = applications_xlsx(live)
    Application.objects.all().delete()
    path = tmp_path / "applications.xlsx"
    path.write_bytes(data)
    batch = run("approval-history", path, zone.users.admin)
    assert batch.status == ImportBatch.Status.WRITTEN, batch.message
    assert batch.rows_created == 9
    assert {year: year_stats(user=zone.users.admin, year=year) for year in (2024, 2025)} == stats
    assert {row[0]: row for row in Application.objects.values_list(*CLOCK)} == stored
    assert sorted(Pause.objects.values_list("application__number", "kind", "started_on", "ended_on")) == pauses
    assert Application.objects.filter(historical=True).count() == 9
    assert sorted(rows_of(applications_xlsx(Application.objects.all()))[1:], key=str) == sorted(
        rows_of(data)[1:], key=str
    )
    assert Application.objects.for_user(zone.users.officer_a).filter(agent=zone.users.officer_a).count() == 1
