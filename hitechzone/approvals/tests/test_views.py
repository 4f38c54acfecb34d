"""The approval centre's pages: who may open what (else 403; another's object 404), scoping of every list and detail,
the catalogue's forms, the window's actions through their services (refusals shown, nothing written), the exports,
and list pages whose query count does not grow with their rows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hitechzone.accounts.models import Role
from hitechzone.approvals import services
from hitechzone.approvals.forms import parse_materials
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    Level,
    Mode,
    Notice,
    Pause,
    Rectification,
    Review,
)
from hitechzone.common.spreadsheets import XLSX_MIME
from hitechzone.enterprises.tests import factories as f

pytestmark = pytest.mark.django_db
S = Application.State
M = ApplicationMaterial.Status
PERSONAS = ["admin", "leader", "dept_a", "officer_a", "expert_a", "ent_a"]
MATERIALS = [
    {"name": "备案申请表", "required": True},
    {"name": "营业执照", "required": True, "original": False},
    {"name": "项目选址意见", "required": True, "tolerable": True},
    {"name": "委托书", "required": False},
]


def as_user(client, user):
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def make_item(zone, *, code="330100-001", department=None, name="企业投资项目备案", promised=5, **fields):
    return services.item_create(
        by=None,
        code=code,
        department=department or zone.dept_a,
        name=name,
        mode=fields.pop("mode", Mode.ENTRUSTED),
        item_type=ItemType.COMMITMENT,
        statutory_limit=fields.pop("statutory", 20),
        promised_limit=promised,
        pre_reform_days=fields.pop("pre_reform_days", 30),
        materials=fields.pop("materials", MATERIALS),
        **fields,
    )


def material_ids(item) -> list[int]:
    return list(item.current.materials.order_by("position").values_list("pk", flat=True))


def filed(zone, item=None, *, by=None, enterprise=None, received_on=None, title=""):
    item = item or make_item(zone)
    return services.application_file(
        by=by or zone.users.ent_a, item=item, enterprise=enterprise or zone.ent_a, received_on=received_on, title=title
    )


def accepted(zone, item=None, *, on=None, **kwargs):
    application = filed(zone, item, received_on=on, **kwargs)
    ids = material_ids(application.item)
    return services.application_check(application=application, by=zone.users.admin, provided=ids, on=on)


def overdue_application(zone, item=None, *, days_ago=60, **kwargs):
    """Filed and accepted ``days_ago`` days ago with a 5-day limit: overdue today, for real."""
    return accepted(zone, item, on=timezone.localdate() - timedelta(days=days_ago), **kwargs)


def completed(zone, item=None, **kwargs):
    application = accepted(zone, item, **kwargs)
    return services.application_complete(
        application=application, by=zone.users.admin, outcome=Application.Outcome.APPROVED, certificate_no="ZS-1"
    )


def act(client, application, action: str, data: dict):
    return client.post(
        reverse("approvals:application-act", args=[application.pk, action]),
        {f"{action}-{k}": v for k, v in data.items()},
    )


# --- Who may open which page ----------------------------------------------------------------------------------


PAGES = [
    ("approvals:home", {"admin", "leader", "dept_a", "officer_a", "ent_a"}),
    ("approvals:items", {"admin", "leader", "dept_a", "officer_a", "ent_a"}),
    ("approvals:item-new", {"admin"}),
    ("approvals:applications", {"admin", "leader", "dept_a", "officer_a", "ent_a"}),
    ("approvals:application-new", {"admin", "officer_a", "ent_a"}),
    ("approvals:bundles", {"admin", "leader", "dept_a", "officer_a", "ent_a"}),
    ("approvals:bundle-new", {"admin", "officer_a", "ent_a"}),
    ("approvals:overdue", {"admin", "leader", "dept_a"}),
    ("approvals:rectifications", {"admin", "leader", "dept_a"}),
]


@pytest.mark.parametrize(("url_name", "allowed"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_renders_for_its_roles_and_403s_for_the_others(client, zone, url_name, allowed, persona):
    make_item(zone)
    response = as_user(client, getattr(zone.users, persona)).get(reverse(url_name))
    assert response.status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize("url_name", [p[0] for p in PAGES])
def test_anonymous_users_are_sent_to_the_login_page(client, zone, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_navigation_lists_the_approval_centre_for_everyone_but_experts(client, zone):
    assert reverse("approvals:home") in html(as_user(client, zone.users.dept_a).get("/"))
    assert reverse("approvals:home") not in html(as_user(client, zone.users.expert_a).get("/"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("dept_a", 200),
        ("officer_a", 200),
        ("ent_a", 200),
        ("dept_b", 404),
        ("officer_b", 404),
        ("ent_b", 404),
        ("expert_a", 403),  # not the role's page (403); another's application is 404
    ],
)
def test_an_application_is_shown_only_to_those_in_its_scope(client, zone, persona, status):
    application = filed(zone, title="年产5万吨氟材料项目")
    response = as_user(client, getattr(zone.users, persona)).get(
        reverse("approvals:application", args=[application.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert "年产5万吨氟材料项目" in html(response)


@pytest.mark.parametrize("persona", ["expert_a", "expert_b"])
def test_an_expert_opens_nothing_of_the_approval_centre(client, zone, persona):
    application = filed(zone)
    bundle = services.bundle_create(
        by=zone.users.ent_a,
        enterprise=zone.ent_a,
        name="年产5万吨氟材料项目",
        items=[application.item, make_item(zone, code="B-1", department=zone.dept_b)],
    )
    client = as_user(client, getattr(zone.users, persona))
    for url in (
        reverse("approvals:application", args=[application.pk]),
        reverse("approvals:item", args=[application.item_id]),
        reverse("approvals:bundle", args=[bundle.pk]),
        reverse("approvals:filing-materials"),
    ):
        assert client.get(url).status_code == 403, url
    response = act(client, application, "reject", {"reason": "x"})
    assert response.status_code == 403


def test_the_application_list_shows_a_department_its_own_and_an_enterprise_its_own(client, zone):
    mine = filed(zone, make_item(zone, code="A-1", name="建设用地规划许可证"))
    theirs = filed(
        zone,
        make_item(zone, code="B-1", name="建设项目环境影响评价文件审批", department=zone.dept_b),
        by=zone.users.ent_b,
        enterprise=zone.ent_b,
    )
    url = reverse("approvals:applications")
    page = html(as_user(client, zone.users.dept_a).get(url))
    assert mine.number in page
    assert theirs.number not in page
    page = html(as_user(client, zone.users.ent_b).get(url))
    assert theirs.number in page
    assert mine.number not in page
    page = html(as_user(client, zone.users.officer_a).get(url))
    assert mine.number in page
    assert theirs.number not in page
    page = html(as_user(client, zone.users.leader).get(url))
    assert mine.number in page
    assert theirs.number in page


def test_the_application_list_filters_by_state_light_department_item_and_year(client, zone):
    item_a = make_item(zone, code="A-1")
    item_b = make_item(zone, code="B-1", department=zone.dept_b)
    waiting = filed(zone, item_a)
    running = accepted(zone, item_b)
    late = overdue_application(zone, item_a)
    client = as_user(client, zone.users.leader)
    url = reverse("approvals:applications")

    def numbers(**params):
        page = html(client.get(url, params))
        return {a.number for a in (waiting, running, late) if a.number in page}

    assert numbers(state=S.RECEIVED) == {waiting.number}
    assert numbers(light="red") == {late.number}
    assert numbers(light="green") == {running.number}
    assert numbers(department=zone.dept_b.pk) == {running.number}
    assert numbers(department=zone.dept_b.code) == {running.number}
    assert numbers(item=item_a.pk) == {waiting.number, late.number}
    assert numbers(year=timezone.localdate().year) >= {waiting.number, running.number}
    assert numbers(year=2001) == set()


def test_a_light_is_shown_with_an_icon_and_words_not_colour_alone(client, zone):
    overdue_application(zone)
    client.cookies["django_language"] = "en"
    page = html(as_user(client, zone.users.leader).get(reverse("approvals:applications")))
    assert 'data-light="red"' in page
    assert '<i class="bi bi-alarm-fill" aria-hidden="true"></i> Overdue</span>' in page


# --- Dashboard ------------------------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_figures_the_comparison_and_the_charts(client, zone):
    completed(zone)
    overdue_application(zone, make_item(zone, code="B-1", department=zone.dept_b))
    client.cookies["django_language"] = "en"
    response = as_user(client, zone.users.leader).get(reverse("approvals:home"))
    assert response.status_code == 200
    page = html(response)
    stats = response.context["stats"]
    assert stats["items"] == 2
    assert stats["departments"] == 2
    assert 'data-testid="stat-items"><a class="text-decoration-none" href="/approvals/items/">2<' in page
    assert "of 2 departments" in page
    assert 'data-testid="stat-fastest">0<' in page
    assert "Before the reform:" in page
    assert 'data-testid="before-range">30–30 working days<' in page
    assert reverse("approvals:overdue") in page  # the leaders' list, one click away
    for chart in ("department-chart", "month-chart", "ontime-chart", "light-chart", "mode-chart"):
        assert f'data-chart="{chart}"' in page
        assert f'id="{chart}"' in page  # the json_script block
    assert len(response.context["department_chart"]["series"]) == 2  # now and before the reform


def test_the_dashboard_points_to_the_years_that_have_data(client, zone):
    last_year = timezone.localdate().replace(month=3, day=3) - timedelta(days=365)
    filed(zone, received_on=last_year)
    page = html(as_user(client, zone.users.leader).get(reverse("approvals:home")))
    assert 'data-testid="other-years"' in page
    assert f'href="?year={last_year.year}"' in page
    response = as_user(client, zone.users.leader).get(reverse("approvals:home"), {"year": last_year.year})
    assert response.context["stats"]["applications"] == 1


def test_the_dashboard_of_a_department_counts_its_own_applications(client, zone):
    filed(zone)
    filed(zone, make_item(zone, code="B-1", department=zone.dept_b), by=zone.users.ent_b, enterprise=zone.ent_b)
    response = as_user(client, zone.users.dept_b).get(reverse("approvals:home"))
    assert response.context["stats"]["applications"] == 1
    assert response.context["stats"]["items"] == 2  # the catalogue is everybody's


def test_the_dashboard_exports_departments_and_items_to_excel(client, zone):
    from openpyxl import load_workbook

    completed(zone)
    client.cookies["django_language"] = "en"
    response = as_user(client, zone.users.admin).get(reverse("approvals:home"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Figures", "Departments", "Items", "Months"]
    figures = {
        row[0]: row[1] if len(row) > 1 else None for row in book["Figures"].iter_rows(min_row=2, values_only=True)
    }
    assert figures["Items in the catalogue"] == 1
    assert figures["Applications received"] == 1
    assert figures["Completed"] == 1
    departments = list(book["Departments"].iter_rows(values_only=True))
    assert departments[0][:4] == ("Code", "Department", "Items", "Applications")
    assert departments[1][:5] == (zone.dept_a.code, zone.dept_a.name, 1, 1, 1)
    items = list(book["Items"].iter_rows(values_only=True))
    assert items[1][:3] == ("330100-001", "企业投资项目备案", zone.dept_a.name)
    assert items[1][8] == 1  # applications
    assert len(list(book["Months"].iter_rows(values_only=True))) == 13


def test_the_dashboard_links_to_the_deadline_calculator_when_it_exists(client, zone):
    page = html(as_user(client, zone.users.dept_a).get(reverse("approvals:home")))
    try:
        url = reverse("calendar:deadline")
    except NoReverseMatch:  # built by another module; the link is simply absent without it
        assert 'data-testid="deadline-link"' not in page
    else:
        assert f'href="{url}"' in page


# --- The catalogue -------------------------------------------------------------------------------------------------


def test_the_catalogue_filters_by_department_mode_type_status_and_text(client, zone):
    make_item(zone, code="A-1", name="建设用地规划许可证", mode=Mode.JURISDICTION)
    b = make_item(zone, code="B-1", name="特种设备使用登记", department=zone.dept_b, mode=Mode.SEAL_FOLLOW)
    services.item_set_status(item=b, by=None, status=Item.Status.SUSPENDED, reason="系统升级")
    client = as_user(client, zone.users.ent_a)
    url = reverse("approvals:items")

    def names(**params):
        page = html(client.get(url, params))
        return {n for n in ("建设用地规划许可证", "特种设备使用登记") if n in page}

    assert names() == {"建设用地规划许可证", "特种设备使用登记"}
    assert names(department=zone.dept_b.pk) == {"特种设备使用登记"}
    assert names(mode=Mode.JURISDICTION) == {"建设用地规划许可证"}
    assert names(type=ItemType.IMMEDIATE) == set()
    assert names(status=Item.Status.SUSPENDED) == {"特种设备使用登记"}
    assert names(q="规划") == {"建设用地规划许可证"}
    assert names(q="B-1") == {"特种设备使用登记"}


def test_an_item_shows_its_fields_materials_and_what_each_version_changed(client, zone):
    item = make_item(zone, legal_basis="《企业投资项目核准和备案管理条例》")
    services.item_revise(
        item=item,
        by=zone.users.dept_a,
        note="压缩时限",
        promised_limit=3,
        materials=[*MATERIALS[:3], {"name": "承诺书", "required": True}],
    )
    client.cookies["django_language"] = "en"
    response = as_user(client, zone.users.ent_a).get(reverse("approvals:item", args=[item.pk]))
    page = html(response)
    assert "《企业投资项目核准和备案管理条例》" in page
    assert 'data-testid="promised-limit">3 working days<' in page
    assert page.count('data-testid="item-material"') == 4
    assert "容缺" in page
    history = response.context["history"]
    assert [h["version"].number for h in history] == [2, 1]
    changes = " ".join(history[0]["changes"])
    assert "Promised limit (working days): 5 → 3" in changes
    assert "Material added: 承诺书" in changes
    assert "Material removed: 委托书" in changes
    assert "压缩时限" in page
    # an earlier version, as an application filed under it shows it
    old = html(as_user(client, zone.users.ent_a).get(reverse("approvals:item", args=[item.pk]), {"version": 1}))
    assert 'data-testid="promised-limit">5 working days<' in old
    assert "委托书" in old


def test_the_materials_box_reads_one_material_per_line_in_the_grammar_of_the_import():
    materials = parse_materials(
        "申请表 | required | original\n营业执照 | 必需 | 复印件\n\n选址意见｜必需｜容缺\n委托书 | 可选"
    )
    assert materials == [
        {"name": "申请表", "required": True, "tolerable": False, "original": True},
        {"name": "营业执照", "required": True, "tolerable": False, "original": False},
        {"name": "选址意见", "required": True, "tolerable": True, "original": True},
        {"name": "委托书", "required": False, "tolerable": False, "original": True},
    ]


def test_the_materials_box_names_the_material_whose_mark_it_does_not_know():
    from django import forms

    with pytest.raises(forms.ValidationError) as error:
        parse_materials("申请表 | required\n营业执照 | maybe")
    assert "营业执照" in str(error.value)
    assert "maybe" in str(error.value)


def test_the_edit_form_shows_the_materials_in_the_lines_it_reads_back(client, zone):
    item = make_item(zone)
    form = as_user(client, zone.users.dept_a).get(reverse("approvals:item-edit", args=[item.pk])).context["form"]
    text = form["materials"].value()
    assert text.splitlines()[1] == "营业执照 | 必需 | 复印件"
    assert parse_materials(text) == [
        {k: m.get(k, d) for k, d in (("name", ""), ("required", True), ("tolerable", False), ("original", True))}
        for m in MATERIALS
    ]


def test_the_catalogue_exports_in_the_columns_of_its_import(client, zone):
    from openpyxl import load_workbook

    make_item(zone, code="A-1", name="建设用地规划许可证")
    make_item(zone, code="B-1", name="特种设备使用登记", department=zone.dept_b)
    response = as_user(client, zone.users.ent_a).get(
        reverse("approvals:items"), {"department": zone.dept_b.pk, "export": "xlsx"}
    )
    assert response["Content-Type"] == XLSX_MIME
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["B-1"]  # the filter applies


def test_the_application_list_exports_what_it_shows_in_the_columns_of_the_history_import(client, zone):
    from openpyxl import load_workbook

    mine = filed(zone)
    filed(zone, make_item(zone, code="B-1", department=zone.dept_b), by=zone.users.ent_b, enterprise=zone.ent_b)
    response = as_user(client, zone.users.dept_a).get(reverse("approvals:applications"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [mine.number]  # the department's own only


def item_post(**overrides):
    data = {
        "name": "企业投资项目备案",
        "mode": Mode.ENTRUSTED,
        "item_type": ItemType.COMMITMENT,
        "statutory_limit": "20",
        "promised_limit": "3",
        "pre_reform_days": "30",
        "yellow_threshold": "1",
        "fees": "不收费",
        "legal_basis": "",
        "materials": "备案申请表 | 必需\n营业执照 | required | copy\n项目选址意见 | 必需 | 容缺",
        "note": "压缩到3个工作日",
    }
    data.update(overrides)
    return data


def test_the_departments_own_staff_edit_an_item_into_a_new_version(client, zone):
    item = make_item(zone)
    old_version = item.current
    application = filed(zone, item)
    response = as_user(client, zone.users.dept_a).post(reverse("approvals:item-edit", args=[item.pk]), item_post())
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.current.number == 2
    assert item.current.promised_limit == 3
    assert item.current.change_note == "压缩到3个工作日"
    assert [(m.name, m.original, m.tolerable) for m in item.current.materials.all()] == [
        ("备案申请表", True, False),
        ("营业执照", False, False),
        ("项目选址意见", True, True),
    ]
    application.refresh_from_db()
    assert application.version == old_version  # filed earlier: keeps its version


@pytest.mark.parametrize("persona", ["dept_b", "officer_a", "ent_a", "leader"])
def test_nobody_else_may_edit_a_departments_item(client, zone, persona):
    item = make_item(zone)
    client = as_user(client, getattr(zone.users, persona))
    assert client.get(reverse("approvals:item-edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("approvals:item-edit", args=[item.pk]), item_post()).status_code == 404
    assert item.versions.count() == 1


def test_an_edit_that_changes_nothing_is_refused_and_makes_no_version(client, zone):
    item = make_item(zone)
    client = as_user(client, zone.users.admin)
    form = client.get(reverse("approvals:item-edit", args=[item.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else v for k, v in data.items()}
    data["department"] = zone.dept_a.pk
    response = client.post(reverse("approvals:item-edit", args=[item.pk]), data)
    assert response.status_code == 200
    assert 'data-testid="form-error"' in html(response)
    assert item.versions.count() == 1


def test_an_administrator_adds_an_item_and_a_taken_code_is_refused(client, zone):
    client = as_user(client, zone.users.admin)
    data = item_post(code="330100-009", department=zone.dept_b.pk)
    response = client.post(reverse("approvals:item-new"), data)
    assert response.status_code == 302
    item = Item.objects.get(code="330100-009")
    assert (item.department, item.current.number, item.current.materials.count()) == (zone.dept_b, 1, 3)
    response = client.post(reverse("approvals:item-new"), data)
    assert response.status_code == 200
    assert 'data-testid="form-error"' in html(response)
    assert Item.objects.filter(code="330100-009").count() == 1


def test_an_item_is_suspended_with_a_reason_and_a_missing_reason_is_refused(client, zone):
    item = make_item(zone)
    client = as_user(client, zone.users.dept_a)
    url = reverse("approvals:item-status", args=[item.pk])
    response = client.post(url, {"status": Item.Status.SUSPENDED, "reason": ""}, follow=True)
    item.refresh_from_db()
    assert item.status == Item.Status.ACTIVE
    assert "alert-error" in html(response) or "alert-danger" in html(response)
    client.post(url, {"status": Item.Status.SUSPENDED, "reason": "上级部门调整办理流程"})
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (Item.Status.SUSPENDED, "上级部门调整办理流程")
    client.post(url, {"status": Item.Status.ACTIVE})
    item.refresh_from_db()
    assert item.status == Item.Status.ACTIVE
    assert as_user(client, zone.users.dept_b).post(url, {"status": "cancelled", "reason": "x"}).status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.ACTIVE  # refused by the service: not dept_b's item


def test_a_materials_blank_form_is_downloaded_and_a_missing_file_is_404(client, zone, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    item = make_item(zone)
    material = item.current.materials.first()
    material.blank_form.save("申请表.docx", ContentFile(b"blank"), save=True)
    client = as_user(client, zone.users.ent_a)
    response = client.get(reverse("approvals:material-file", args=[material.pk, "form"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"blank"
    assert client.get(reverse("approvals:material-file", args=[material.pk, "sample"])).status_code == 404
    page = html(client.get(reverse("approvals:item", args=[item.pk])))
    assert reverse("approvals:material-file", args=[material.pk, "form"]) in page


# --- Filing ---------------------------------------------------------------------------------------------------------


def test_an_enterprise_files_an_application_with_the_materials_it_hands_in(client, zone):
    item = make_item(zone)
    ids = material_ids(item)
    client = as_user(client, zone.users.ent_a)
    response = client.get(reverse("approvals:application-new"), {"item": item.pk})
    assert "备案申请表" in html(response)  # the item's materials, as checkboxes
    response = client.post(
        reverse("approvals:application-new"), {"item": item.pk, "title": "年产5万吨项目", "provided": [ids[0], ids[1]]}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.enterprise, application.applicant, application.agent) == (zone.ent_a, zone.users.ent_a, None)
    assert application.state == S.RECEIVED
    statuses = dict(application.materials.values_list("material_id", "status"))
    assert statuses == {ids[0]: M.PROVIDED, ids[1]: M.PROVIDED, ids[2]: M.PENDING, ids[3]: M.PENDING}


def test_the_materials_of_the_chosen_item_come_by_htmx(client, zone):
    item = make_item(zone)
    response = as_user(client, zone.users.officer_a).get(reverse("approvals:filing-materials"), {"item": item.pk})
    page = html(response)
    assert 'id="filing-materials"' in page
    assert page.count('name="provided"') == 4
    assert "<html" not in page


def test_an_officer_files_as_agent_only_for_the_enterprises_assigned_to_them(client, zone):
    item = make_item(zone)
    client = as_user(client, zone.users.officer_a)
    page = html(client.get(reverse("approvals:application-new")))
    assert zone.ent_a.name in page
    assert zone.ent_b.name not in page
    assert 'data-testid="agent-note"' in page
    response = client.post(reverse("approvals:application-new"), {"enterprise": zone.ent_b.pk, "item": item.pk})
    assert response.status_code == 200
    assert not Application.objects.exists()
    response = client.post(reverse("approvals:application-new"), {"enterprise": zone.ent_a.pk, "item": item.pk})
    application = Application.objects.get()
    assert response["Location"] == reverse("approvals:application", args=[application.pk])
    assert application.agent == zone.users.officer_a
    page = html(client.get(response["Location"]))
    assert 'data-testid="agent-mark"' in page
    assert 'data-testid="agent"' in page


def test_filing_for_a_suspended_item_is_refused_with_the_services_message(client, zone):
    item = make_item(zone)
    services.item_set_status(item=item, by=None, status=Item.Status.SUSPENDED, reason="暂停")
    # a suspended item is not offered; a forged post is refused by the form
    response = as_user(client, zone.users.ent_a).post(reverse("approvals:application-new"), {"item": item.pk})
    assert response.status_code == 200
    assert not Application.objects.exists()


# --- The window ----------------------------------------------------------------------------------------------------


def test_the_window_ticks_some_materials_and_one_notice_lists_exactly_the_missing_ones(client, zone):
    application = filed(zone)
    ids = material_ids(application.item)
    client = as_user(client, zone.users.dept_a)
    page = html(client.get(reverse("approvals:application", args=[application.pk])))
    assert 'data-testid="action-check"' in page
    assert page.count('data-testid="check-material"') == 4
    response = act(client, application, "check", {f"m{ids[0]}": "on", "note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.CORRECTING
    assert application.accepted_on is None
    notice = Notice.objects.get(application=application)
    assert "营业执照" in notice.text
    assert "项目选址意见" in notice.text
    assert "备案申请表" not in notice.text
    assert "委托书" not in notice.text  # optional
    page = html(client.get(reverse("approvals:application", args=[application.pk])))
    assert 'data-testid="notice"' in page
    assert 'data-state="correcting"' in page
    assert 'data-testid="action-supply"' in page


def test_the_window_accepts_with_a_promised_tolerable_material_and_shows_the_due_date(client, zone):
    application = filed(zone)
    ids = material_ids(application.item)
    promised_by = timezone.localdate() + timedelta(days=10)
    client = as_user(client, zone.users.dept_a)
    response = act(
        client, application, "check", {f"m{ids[0]}": "on", f"m{ids[1]}": "on", f"p{ids[2]}": promised_by.isoformat()}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.ACCEPTED
    assert application.due_on is not None
    row = application.materials.get(material_id=ids[2])
    assert (row.status, row.promised_by) == (M.PROMISED, promised_by)
    page = html(client.get(response["Location"]))
    assert f'data-testid="due-on">{application.due_on:%Y-%m-%d}<' in page
    assert 'data-testid="remaining"' in page
    for action in ("assign", "pause", "complete", "supply"):
        assert f'data-testid="action-{action}"' in page


def test_ticking_and_promising_the_same_material_is_an_error_and_nothing_is_written(client, zone):
    application = filed(zone)
    ids = material_ids(application.item)
    later = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = act(as_user(client, zone.users.dept_a), application, "check", {f"m{ids[2]}": "on", f"p{ids[2]}": later})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == S.RECEIVED


@pytest.mark.parametrize("persona", ["ent_a", "officer_a", "leader"])
def test_the_check_by_anyone_but_the_window_is_refused_with_a_message_and_nothing_is_written(client, zone, persona):
    application = filed(zone)
    ids = material_ids(application.item)
    client = as_user(client, getattr(zone.users, persona))
    page = html(client.get(reverse("approvals:application", args=[application.pk])))
    assert 'data-testid="action-check"' not in page
    response = act(client, application, "check", {f"m{pk}": "on" for pk in ids})
    assert response.status_code == 400
    assert "alert-error" in html(response) or "alert-danger" in html(response)
    application.refresh_from_db()
    assert application.state == S.RECEIVED
    assert application.steps.count() == 1


def test_another_departments_window_cannot_even_see_the_application(client, zone):
    application = filed(zone)
    response = act(as_user(client, zone.users.dept_b), application, "reject", {"reason": "不属于本区权限"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == S.RECEIVED


def test_an_invalid_transition_is_refused_with_the_services_message(client, zone):
    application = filed(zone)
    client.cookies["django_language"] = "en"
    response = act(
        as_user(client, zone.users.dept_a), application, "complete", {"outcome": "approved", "certificate_no": "1"}
    )
    assert response.status_code == 400
    assert "Only an accepted application being processed can be completed" in html(response)
    application.refresh_from_db()
    assert application.state == S.RECEIVED


def test_the_window_rejects_with_a_reason(client, zone):
    application = filed(zone)
    client = as_user(client, zone.users.dept_a)
    assert act(client, application, "reject", {"reason": ""}).status_code == 400  # the form asks for it
    response = act(client, application, "reject", {"reason": "不属于本区委托权限"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.reason) == (S.REJECTED, "不属于本区委托权限")
    assert "不属于本区委托权限" in html(client.get(response["Location"]))


def test_the_enterprise_supplies_the_missing_materials_and_the_window_checks_again(client, zone):
    application = filed(zone)
    ids = material_ids(application.item)
    services.application_check(application=application, by=zone.users.dept_a, provided=[ids[0]])
    client = as_user(client, zone.users.ent_a)
    page = html(client.get(reverse("approvals:application", args=[application.pk])))
    assert 'data-testid="action-supply"' in page
    response = act(client, application, "supply", {"materials": [ids[1], ids[2]]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.RECEIVED
    client = as_user(client, zone.users.dept_a)
    response = act(client, application, "check", {f"m{ids[0]}": "on", f"m{ids[1]}": "on", f"m{ids[2]}": "on"})
    application.refresh_from_db()
    assert application.state == S.ACCEPTED


def test_assign_pause_resume_and_complete_through_the_forms(client, zone):
    application = accepted(zone)
    staff = f.UserFactory(username="dept_a2", full_name="王芳", role=Role.DEPARTMENT, department=zone.dept_a)
    client = as_user(client, zone.users.dept_a)
    page = html(client.get(reverse("approvals:application", args=[application.pk])))
    assert "王芳" in page  # the department's staff to choose from
    assert act(client, application, "assign", {"assignee": staff.pk}).status_code == 302
    application.refresh_from_db()
    assert (application.state, application.assignee) == (S.PROCESSING, staff)
    # another department's staff is not offered, and a forged choice is refused by the form
    assert act(client, application, "assign", {"assignee": zone.users.dept_b.pk}).status_code == 400
    # a pause the day of acceptance is refused: the clock starts the day after
    response = act(client, application, "pause", {"kind": Pause.Kind.EXPERT_REVIEW, "reason": "专家评审"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == S.PROCESSING
    assert not application.pauses.exists()
    # completing without a certificate number is refused by the service, with its message
    response = act(client, application, "complete", {"outcome": "approved", "certificate_no": ""})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == S.PROCESSING
    response = act(client, application, "complete", {"outcome": "approved", "certificate_no": "330100-2025-0001"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.certificate_no, application.on_time) == (
        S.COMPLETED,
        "330100-2025-0001",
        True,
    )
    page = html(client.get(response["Location"]))
    assert 'data-testid="certificate">330100-2025-0001<' in page
    assert [s.action for s in application.steps.all()] == ["file", "accept", "assign", "complete"]


def test_a_special_procedure_stops_and_restarts_the_clock(client, zone):
    application = overdue_application(zone, days_ago=3)
    ids = material_ids(application.item)
    client = as_user(client, zone.users.dept_a)
    response = act(client, application, "pause", {"kind": Pause.Kind.CORRECTION, "reason": "补正"})
    assert response.status_code == 400  # 补正 lists the materials to supply
    response = act(client, application, "pause", {"kind": Pause.Kind.TESTING, "reason": "送检"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SPECIAL
    page = html(client.get(response["Location"]))
    assert 'data-light="paused"' in page
    assert 'data-testid="action-resume"' in page
    response = act(client, application, "resume", {"note": "检测完成"})
    application.refresh_from_db()
    assert application.state in Application.COUNTING_STATES  # the clock runs again
    response = act(
        client, application, "pause", {"kind": Pause.Kind.CORRECTION, "reason": "图纸不清", "missing": ids[1]}
    )
    application.refresh_from_db()
    assert application.state == S.CORRECTING
    assert application.notices.get().after_acceptance


def test_the_applicant_rates_and_a_dissatisfied_rating_gives_the_department_a_task_it_answers(client, zone):
    application = completed(zone)
    client = as_user(client, zone.users.ent_a)
    page = html(client.get(reverse("approvals:application", args=[application.pk])))
    assert 'data-testid="action-rate"' in page
    response = act(client, application, "rate", {"level": Level.DISSATISFIED, "comment": ""})
    assert response.status_code == 400  # the service wants to know what went wrong
    assert not Review.objects.exists()
    response = act(client, application, "rate", {"level": Level.DISSATISFIED, "comment": "窗口多次让我跑腿"})
    assert response.status_code == 302
    rectification = Rectification.objects.get()
    assert rectification.department == zone.dept_a
    # the department's list, with the answer form
    client = as_user(client, zone.users.dept_a)
    page = html(client.get(reverse("approvals:rectifications")))
    assert "窗口多次让我跑腿" in page
    assert 'data-testid="answer"' in page
    assert (
        html(as_user(client, zone.users.dept_b).get(reverse("approvals:rectifications"))).count(
            'data-testid="rectification-row"'
        )
        == 0
    )
    response = as_user(client, zone.users.dept_a).post(
        reverse("approvals:rectification-answer", args=[rectification.pk]),
        {"prefix": f"answer-{rectification.pk}", f"answer-{rectification.pk}-answer": "已开展窗口作风整改"},
    )
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.answer == "已开展窗口作风整改"
    # the applicant sees the answer
    page = html(as_user(client, zone.users.ent_a).get(reverse("approvals:application", args=[application.pk])))
    assert 'data-testid="rectification-answer"' in page
    assert "已开展窗口作风整改" in page
    assert 'data-testid="action-rate"' not in page  # rated once


def test_a_leader_cannot_answer_a_rectification(client, zone):
    application = completed(zone)
    services.application_rate(application=application, by=zone.users.ent_a, level=Level.VERY_DISSATISFIED, comment="慢")
    rectification = Rectification.objects.get()
    client = as_user(client, zone.users.leader)
    assert 'data-testid="answer"' not in html(client.get(reverse("approvals:rectifications")))
    response = client.post(
        reverse("approvals:rectification-answer", args=[rectification.pk]), {"answer-answer": "整改"}, follow=True
    )
    assert response.status_code == 200
    rectification.refresh_from_db()
    assert rectification.answered_on is None


def test_the_detail_links_to_the_deadline_calculator_with_the_acceptance_and_the_limit(client, zone):
    application = accepted(zone)
    page = html(as_user(client, zone.users.dept_a).get(reverse("approvals:application", args=[application.pk])))
    try:
        url = reverse("calendar:deadline")
    except NoReverseMatch:  # built by another module
        return
    assert f"{url}?start={application.accepted_on.isoformat()}&amp;days=5" in page


# --- Parallel approvals ----------------------------------------------------------------------------------------------


def test_an_enterprise_files_a_parallel_approval_and_each_department_sees_it(client, zone):
    item_a = make_item(zone, code="A-1", name="建设用地规划许可证")
    item_b = make_item(zone, code="B-1", name="建设项目环境影响评价文件审批", department=zone.dept_b)
    client = as_user(client, zone.users.ent_a)
    response = client.post(reverse("approvals:bundle-new"), {"name": "年产5万吨氟材料项目", "items": [item_a.pk]})
    assert response.status_code == 200  # at least two items
    assert not Bundle.objects.exists()
    response = client.post(
        reverse("approvals:bundle-new"), {"name": "年产5万吨氟材料项目", "items": [item_a.pk, item_b.pk]}
    )
    assert response.status_code == 302
    bundle = Bundle.objects.get()
    assert bundle.applications.count() == 2
    page = html(client.get(response["Location"]))
    assert "建设用地规划许可证" in page
    assert "建设项目环境影响评价文件审批" in page
    # department B sees the bundle, with a link to its own application only
    response = as_user(client, zone.users.dept_b).get(reverse("approvals:bundle", args=[bundle.pk]))
    mine = bundle.applications.get(department=zone.dept_b)
    theirs = bundle.applications.get(department=zone.dept_a)
    assert reverse("approvals:application", args=[mine.pk]) in html(response)
    assert reverse("approvals:application", args=[theirs.pk]) not in html(response)
    assert "年产5万吨氟材料项目" in html(as_user(client, zone.users.dept_b).get(reverse("approvals:bundles")))
    assert as_user(client, zone.users.ent_b).get(reverse("approvals:bundle", args=[bundle.pk])).status_code == 404


# --- The leaders' list ------------------------------------------------------------------------------------------------


def test_the_overdue_list_shows_red_applications_with_the_working_days_overdue(client, zone):
    late = overdue_application(zone)
    on_time = accepted(zone, make_item(zone, code="A-2"))
    other = overdue_application(
        zone, make_item(zone, code="B-1", department=zone.dept_b), by=zone.users.ent_b, enterprise=zone.ent_b
    )
    response = as_user(client, zone.users.leader).get(reverse("approvals:overdue"))
    page = html(response)
    assert late.number in page
    assert other.number in page
    assert on_time.number not in page
    rows = response.context["rows"]
    assert all(a.overdue_days and a.overdue_days > 20 for a in rows)
    page = html(as_user(client, zone.users.dept_a).get(reverse("approvals:overdue")))
    assert late.number in page
    assert other.number not in page


def test_the_overdue_list_exports_to_excel(client, zone):
    from openpyxl import load_workbook

    late = overdue_application(zone)
    response = as_user(client, zone.users.leader).get(reverse("approvals:overdue"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[1][0] == late.number
    assert rows[1][7] > 20


# --- Query counts do not grow with the rows --------------------------------------------------------------------------


def grow(zone, n: int) -> None:
    """n items, each with an overdue application, a completed one rated 不满意 (a rectification task) and a
    parallel approval with a shared partner item."""
    partner = Item.objects.filter(code="G-PARTNER").first() or make_item(zone, code="G-PARTNER", department=zone.dept_b)
    have = Item.objects.filter(code__startswith="G-0").count()
    for i in range(have, n):
        item = make_item(zone, code=f"G-{i:03d}", department=zone.dept_a if i % 2 else zone.dept_b)
        overdue_application(zone, item)
        done = completed(zone, item)
        services.application_rate(application=done, by=zone.users.ent_a, level=Level.DISSATISFIED, comment="慢")
        services.bundle_create(by=zone.users.ent_a, enterprise=zone.ent_a, name=f"项目{i}", items=[item, partner])


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


LISTS = ["applications", "items", "bundles", "home"]
LISTS_BY_PERSONA = {
    "admin": [*LISTS, "overdue", "rectifications"],
    "leader": [*LISTS, "overdue", "rectifications"],
    "dept_a": [*LISTS, "overdue", "rectifications"],
    "officer_a": LISTS,
    "ent_a": LISTS,
}


@pytest.mark.parametrize("persona", LISTS_BY_PERSONA)
def test_every_list_costs_as_many_queries_with_many_rows_as_with_few(client, zone, persona):
    """2 items (8 applications, 2 bundles, 2 rectifications), then 8 items (32 applications: a second page)."""
    client = as_user(client, getattr(zone.users, persona))
    urls = [reverse(f"approvals:{name}") for name in LISTS_BY_PERSONA[persona]]
    grow(zone, 2)
    few = {url: queries_for(client, url) for url in urls}
    grow(zone, 8)
    assert {url: queries_for(client, url) for url in urls} == few
    assert max(few.values()) <= 16


def test_the_application_list_stays_within_its_query_budget(client, zone, django_assert_max_num_queries):
    grow(zone, 8)
    client = as_user(client, zone.users.leader)
    client.get(reverse("approvals:applications"))
    with django_assert_max_num_queries(12):
        client.get(reverse("approvals:applications"))
