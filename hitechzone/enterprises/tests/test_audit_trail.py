"""The audit trail: every write path leaves a record (who, when, from where, each field before and after),
nobody can change or delete one, auditors filter them, an enterprise page shows its own history, and the
prune command keeps at least 180 days."""

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hitechzone.accounts.models import Role
from hitechzone.common import audit
from hitechzone.common.middleware import source_for_path
from hitechzone.common.models import AuditEvent, CalendarYear, ImportBatch, Source
from hitechzone.enterprises.models import Contact, Enterprise, EnterpriseIndicator
from hitechzone.enterprises.tests import factories as f
from hitechzone.zone.models import Brand

AUDIT_API = "/api/v1/audit/"
NOT_AUDITORS = ["dept_a", "officer_a", "expert_a", "ent_a"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def events_of(obj, pk=None) -> list[AuditEvent]:
    """The object's events, oldest first (give ``pk`` for a deleted object)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    object_id = str(obj.pk if pk is None else pk)
    return list(AuditEvent.objects.filter(content_type=content_type, object_id=object_id).order_by("at", "id"))


def last_event_of(obj, pk=None) -> AuditEvent:
    return events_of(obj, pk)[-1]


# --- The admin ---------------------------------------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """What the browser would post back from an admin change form, as rendered."""
    data = {}

    def add(form):
        for name, bound in form._bound_items():
            value = bound.value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_a_change_in_the_admin_records_source_admin_the_user_and_the_field_before_and_after(zone, client):
    client.force_login(zone.users.admin)
    url = f"/admin/enterprises/enterprise/{zone.ent_a.pk}/change/"
    data = admin_form_data(client.get(url))
    data["legal_representative"] = "王五"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    event = last_event_of(zone.ent_a)
    assert event.source == Source.ADMIN
    assert event.user == zone.users.admin
    assert event.username == "admin"
    assert event.action == AuditEvent.Action.UPDATE
    assert event.changes == {"legal_representative": ["", "王五"]}
    assert event.enterprise_id == zone.ent_a.pk
    assert event.object_repr == zone.ent_a.name


def test_saving_an_unchanged_form_in_the_admin_records_nothing(zone, client):
    client.force_login(zone.users.admin)
    url = f"/admin/enterprises/enterprise/{zone.ent_a.pk}/change/"
    before = AuditEvent.objects.count()
    assert client.post(url, admin_form_data(client.get(url))).status_code == 302
    assert AuditEvent.objects.count() == before


def test_the_calendar_admin_actions_are_audited(db, client):
    admin = f.UserFactory(username="root", role=Role.ADMIN, is_superuser=True, is_staff=True)
    year = CalendarYear.objects.create(year=2031)
    client.force_login(admin)
    client.post("/admin/common/calendaryear/", {"action": "mark_confirmed", "_selected_action": ["2031"]})
    event = last_event_of(year)
    assert (event.source, event.user, event.changes) == (Source.ADMIN, admin, {"confirmed": [False, True]})


# --- The API -----------------------------------------------------------------------------------------------------


def test_the_api_records_create_update_and_delete_of_an_enterprise_with_the_token_user(zone, api_as):
    api = api_as(zone.users.admin)
    payload = {"uscc": f.valid_uscc(), "name": "浙江丙方新材料有限公司", "brand": "gaoxin", "chains": ["fluorine"]}
    created = api.post("/api/v1/enterprises/", payload, format="json")
    assert created.status_code == 201, created.content
    enterprise = Enterprise.objects.get(pk=created.json()["id"])

    (create,) = events_of(enterprise)
    assert (create.source, create.user, create.action) == (Source.API, zone.users.admin, "create")
    assert create.changes["name"] == [None, "浙江丙方新材料有限公司"]
    assert create.changes["brand"] == [None, zone.brand_a.pk]  # a foreign key is its raw id
    assert create.changes["chains"] == [None, ["fluorine"]]  # the chains join the creation's record
    assert "updated_at" not in create.changes
    assert create.enterprise_id == enterprise.pk

    response = api.patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"registered_capital_wan_yuan": "1500.5", "status": "suspended"},
        format="json",
    )
    assert response.status_code == 200, response.content
    update = last_event_of(enterprise)
    assert update.action == "update"
    assert update.source == Source.API
    assert update.user == zone.users.admin
    assert update.changes == {
        "registered_capital_wan_yuan": [None, "1500.50"],
        "status": ["operating", "suspended"],
    }

    assert api.delete(f"/api/v1/enterprises/{enterprise.pk}/").status_code == 204
    delete = last_event_of(enterprise)  # the API deleted a copy: this instance keeps its pk
    assert delete.action == "delete"
    assert delete.user == zone.users.admin
    assert delete.changes["name"] == ["浙江丙方新材料有限公司", None]
    assert delete.changes["registered_capital_wan_yuan"] == ["1500.50", None]
    assert delete.changes["status"] == ["suspended", None]
    assert delete.enterprise_id == enterprise.pk


def test_a_chains_change_through_the_api_is_one_record_of_the_codes_before_and_after(zone, api_as):
    f.ChainFactory(code="silicon", name="有机硅")
    f.ChainFactory(code="biochem", name="生物化工")
    api = api_as(zone.users.admin)
    response = api.patch(f"/api/v1/enterprises/{zone.ent_a.pk}/", {"chains": ["silicon", "biochem"]}, format="json")
    assert response.status_code == 200, response.content

    event = last_event_of(zone.ent_a)
    assert event.source == Source.API
    assert event.user == zone.users.admin
    # set() removes then adds: one record from the first state to the last.
    assert event.changes == {"chains": [["fluorine"], ["biochem", "silicon"]]}
    assert AuditEvent.objects.filter(object_id=str(zone.ent_a.pk), changes__has_key="chains", source="api").count() == 1


def test_a_chain_linked_from_the_chain_side_is_recorded_on_the_enterprise(zone):
    zone.chain.enterprises.add(zone.ent_b)
    event = last_event_of(zone.ent_b)
    assert event.changes == {"chains": [[], ["fluorine"]]}
    zone.chain.enterprises.clear()
    assert last_event_of(zone.ent_a).changes == {"chains": [["fluorine"], []]}
    assert last_event_of(zone.ent_b).changes == {"chains": [["fluorine"], []]}


def test_an_enterprise_user_writing_its_contacts_through_the_api_is_recorded(zone, api_as):
    api = api_as(zone.users.ent_a)
    response = api.post("/api/v1/contacts/", {"enterprise": zone.ent_a.pk, "name": "赵六", "phone": "13800000000"})
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    event = last_event_of(contact)
    assert (event.source, event.user, event.action) == (Source.API, zone.users.ent_a, "create")
    assert event.enterprise_id == zone.ent_a.pk
    assert event.changes["enterprise"] == [None, zone.ent_a.pk]

    api.patch(f"/api/v1/contacts/{contact.pk}/", {"phone": "13811111111"}, format="json")
    assert last_event_of(contact).changes == {"phone": ["13800000000", "13811111111"]}


def test_an_indicator_update_records_decimal_figures_as_text(zone, api_as):
    api = api_as(zone.users.admin)
    response = api.patch(
        f"/api/v1/enterprise-indicators/{zone.indicator_a.pk}/", {"tax_wan_yuan": "650.25"}, format="json"
    )
    assert response.status_code == 200, response.content
    event = last_event_of(zone.indicator_a)
    assert event.changes == {"tax_wan_yuan": ["600.00", "650.25"]}
    assert event.enterprise_id == zone.ent_a.pk


def test_a_parcel_written_through_the_api_is_recorded(zone, api_as):
    api = api_as(zone.users.admin)
    response = api.post("/api/v1/parcels/", {"code": "DK-A-9", "brand": "gaoxin", "area_mu": "3"}, format="json")
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.get(object_id=str(response.json()["id"]), content_type__model="parcel")
    assert event.changes["area_m2"] == [None, "2000.00"]
    assert event.source == Source.API


# --- Deletes, system writes, users ------------------------------------------------------------------------------


def test_a_delete_records_the_values_before_and_its_cascade(zone):
    enterprise = f.EnterpriseFactory(name="注销企业有限公司", brand=zone.brand_a, address="经五路1号")
    contact = f.ContactFactory(enterprise=enterprise, name="钱七")
    enterprise_id, contact_id = enterprise.pk, contact.pk
    enterprise.delete()

    event = last_event_of(enterprise, enterprise_id)
    assert event.action == "delete"
    assert event.changes["name"] == ["注销企业有限公司", None]
    assert event.changes["address"] == ["经五路1号", None]
    cascaded = last_event_of(contact, contact_id)
    assert cascaded.action == "delete"
    assert cascaded.changes["name"] == ["钱七", None]
    assert cascaded.enterprise_id == enterprise_id


def test_a_write_outside_any_request_is_recorded_as_system_with_no_user(db):
    brand = Brand.objects.create(code="xinqu", name="新区", short_name="新区")
    event = last_event_of(brand)
    assert (event.source, event.user, event.username) == (Source.SYSTEM, None, "")
    assert event.changes["code"] == [None, "xinqu"]
    assert event.enterprise_id is None


def test_an_audit_context_names_the_source_the_user_and_the_batch(zone):
    batch = ImportBatch.objects.create(kind="enterprises", file_name="企业.xlsx", sha256="0" * 64)
    with audit.audit_context(user=zone.users.leader, source=Source.IMPORT, batch=batch):
        assert audit.current().source == Source.IMPORT
        zone.ent_b.address = "纬三路8号"
        zone.ent_b.save()
    assert audit.current() is None
    event = last_event_of(zone.ent_b)
    assert (event.source, event.user, event.batch) == (Source.IMPORT, zone.users.leader, batch)


def test_a_password_change_is_recorded_without_the_hash(zone):
    user = zone.users.officer_a
    user.set_password("another-Secret-2027")
    user.save()
    event = last_event_of(user)
    assert event.changes == {"password": ["***", "***"]}
    assert user.password not in str(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("changes"))


def test_logging_in_records_nothing(zone, client):
    before = AuditEvent.objects.count()
    assert client.post("/login/", {"username": "leader", "password": f.PASSWORD}).status_code == 302
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("path", "source"),
    [("/api/v1/enterprises/", "api"), ("/admin/", "admin"), ("/enterprises/", "ui"), ("/imports/", "ui")],
)
def test_the_source_of_a_request_follows_its_path(path, source):
    assert source_for_path(path) == source


# --- Nobody changes or deletes a record ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "leader", "officer_a"])
def test_audit_records_cannot_be_written_changed_or_deleted_through_the_api(zone, api_as, persona):
    event = last_event_of(zone.ent_a)
    api = api_as(getattr(zone.users, persona))
    url = f"{AUDIT_API}{event.pk}/"
    assert api.put(url, {"changes": {}}, format="json").status_code == 405
    assert api.patch(url, {"changes": {}}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    assert api.post(AUDIT_API, {"changes": {}}, format="json").status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).changes == event.changes


def test_the_admin_shows_audit_records_but_cannot_add_change_or_delete_them(zone, client):
    event = last_event_of(zone.ent_a)
    client.force_login(zone.users.admin)
    assert client.get("/admin/common/auditevent/").status_code == 200
    page = client.get(f"/admin/common/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # a read-only view
    assert client.post(f"/admin/common/auditevent/{event.pk}/change/", {"object_repr": "x"}).status_code == 403
    assert client.post(f"/admin/common/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/common/auditevent/add/", {}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, object_repr=event.object_repr).exists()


def test_an_audit_record_refuses_save_and_delete_once_written(zone):
    event = last_event_of(zone.ent_a)
    event.object_repr = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == zone.ent_a.name


# --- The audit API --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_AUDITORS)
def test_the_audit_api_is_empty_for_non_auditors_and_a_record_is_404(zone, api_as, persona):
    api = api_as(getattr(zone.users, persona))
    assert api.get(AUDIT_API).json()["count"] == 0
    assert api.get(f"{AUDIT_API}{last_event_of(zone.ent_a).pk}/").status_code == 404


def test_the_audit_api_filters_by_object_type_object_user_source_and_date(zone, api_as):
    api_as(zone.users.admin).patch(f"/api/v1/enterprises/{zone.ent_b.pk}/", {"address": "园区大道9号"}, format="json")
    api = api_as(zone.users.leader)

    body = api.get(AUDIT_API, {"content_type": "enterprises.enterprise", "object_id": zone.ent_b.pk}).json()
    assert {r["object_id"] for r in body["results"]} == {str(zone.ent_b.pk)}
    row = body["results"][0]  # newest first
    assert row["changes"] == {"address": ["", "园区大道9号"]}
    assert (row["content_type"], row["username"], row["source"], row["enterprise"]) == (
        "enterprises.enterprise",
        "admin",
        "api",
        zone.ent_b.pk,
    )
    by_user = api.get(AUDIT_API, {"user": zone.users.admin.pk}).json()
    assert by_user["count"] == 1
    assert api.get(AUDIT_API, {"username": "admin", "source": "api"}).json()["count"] == 1
    assert api.get(AUDIT_API, {"enterprise": zone.ent_b.pk}).json()["count"] > 1
    today = timezone.localdate()
    assert api.get(AUDIT_API, {"since": today.isoformat(), "source": "api"}).json()["count"] == 1
    assert api.get(AUDIT_API, {"until": (today - timedelta(days=1)).isoformat()}).json()["count"] == 0
    assert api.get(AUDIT_API, {"content_type": "nosuch.model"}).json()["count"] == 0
    assert api.get(AUDIT_API, {"since": "yesterday"}).status_code == 400


def test_the_audit_api_costs_as_many_queries_for_many_records_as_for_few(zone, api_as):
    api = api_as(zone.users.leader)

    def queries() -> int:
        api.get(AUDIT_API)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(AUDIT_API).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    f.EnterpriseFactory.create_batch(30, brand=zone.brand_a)
    assert queries() == few


# --- The auditor page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_AUDITORS)
def test_the_auditor_page_is_refused_to_non_auditors(zone, client, persona):
    client.force_login(getattr(zone.users, persona))
    assert client.get("/audit/").status_code == 403


def test_the_auditor_page_needs_a_login(client):
    assert client.get("/audit/").status_code == 302


@pytest.mark.parametrize("persona", ["admin", "leader"])
def test_the_auditor_page_is_in_the_navigation_of_auditors_only(zone, client, persona):
    client.force_login(getattr(zone.users, persona))
    assert b'href="/audit/"' in client.get("/enterprises/").content
    client.force_login(zone.users.officer_a)
    assert b'href="/audit/"' not in client.get("/enterprises/").content


def test_the_auditor_page_filters_by_user_object_type_object_and_date(zone, client, api_as):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        api_as(zone.users.admin).patch(f"/api/v1/enterprises/{zone.ent_a.pk}/", {"address": "旧地址1号"}, format="json")
    api_as(zone.users.admin).patch(f"/api/v1/enterprises/{zone.ent_b.pk}/", {"address": "新地址2号"}, format="json")
    client.force_login(zone.users.leader)

    def shown(**params) -> str:
        response = client.get("/audit/", params)
        assert response.status_code == 200
        return response.content.decode()

    everything = shown(source="api")
    assert "旧地址1号" in everything
    assert "新地址2号" in everything
    by_user = shown(username="admin")
    assert "旧地址1号" in by_user
    assert "新地址2号" in by_user
    assert zone.contact_a.name not in by_user
    by_type = shown(content_type="enterprises.contact")
    assert zone.contact_a.name in by_type
    assert "新地址2号" not in by_type
    by_object = shown(content_type="enterprises.enterprise", object_id=zone.ent_b.pk)
    assert "新地址2号" in by_object
    assert "旧地址1号" not in by_object
    by_date = shown(since="2026-03-01", until="2026-03-02")
    assert "旧地址1号" in by_date
    assert "新地址2号" not in by_date
    assert "旧地址1号" not in shown(source="admin")


def test_the_auditor_page_links_an_imported_record_to_its_batch(zone, client):
    batch = ImportBatch.objects.create(
        kind="indicators", file_name="2025年指标.xlsx", sha256="a" * 64, user=zone.users.admin, rows_total=1
    )
    audit.bulk_events(
        model=EnterpriseIndicator,
        rows=[(str(zone.indicator_b.pk), str(zone.indicator_b), zone.ent_b.pk, "update", {"tax_wan_yuan": ["1", "2"]})],
        user=zone.users.admin,
        source=Source.IMPORT,
        batch=batch,
    )
    client.force_login(zone.users.admin)
    page = client.get("/audit/").content.decode()
    assert f'href="?batch={batch.pk}"' in page
    assert "2025年指标.xlsx" in page
    filtered = client.get("/audit/", {"batch": batch.pk}).content.decode()
    assert 'data-testid="audit-batch"' in filtered
    assert filtered.count('data-testid="audit-row"') == 1


def test_the_auditor_page_costs_as_many_queries_for_many_records_as_for_few(zone, client):
    client.force_login(zone.users.admin)

    def queries() -> int:
        client.get("/audit/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/audit/").status_code == 200
        return len(ctx.captured_queries)

    batch = ImportBatch.objects.create(kind="enterprises", file_name="x.xlsx", sha256="b" * 64)
    with audit.audit_context(user=zone.users.leader, source=Source.IMPORT, batch=batch):
        f.EnterpriseFactory.create_batch(2, brand=zone.brand_a)
    # the records name related objects: one query per related model on the page, whatever the number of records
    few = queries()
    with audit.audit_context(user=zone.users.leader, source=Source.IMPORT, batch=batch):
        f.EnterpriseFactory.create_batch(30, brand=zone.brand_a)
    assert queries() <= few  # the page now holds only enterprises: fewer related models than the fixture's mix


# --- An enterprise's history ---------------------------------------------------------------------------------------


def history(client, enterprise) -> str:
    response = client.get(f"/enterprises/{enterprise.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    start = content.index('data-testid="enterprise-history"')
    return content[start : content.index("</div></div>", start)]


def test_an_enterprise_page_shows_its_own_history_and_not_another_enterprises(zone, client, api_as):
    api = api_as(zone.users.admin)
    api.patch(f"/api/v1/enterprises/{zone.ent_a.pk}/", {"address": "甲方路1号"}, format="json")
    api.patch(f"/api/v1/enterprises/{zone.ent_b.pk}/", {"address": "乙方路2号"}, format="json")
    client.force_login(zone.users.officer_a)
    shown = history(client, zone.ent_a)
    assert "甲方路1号" in shown
    assert "乙方路2号" not in shown
    assert zone.contact_a.name in shown  # its officer sees the contacts' history
    assert zone.contact_b.name not in shown


def test_an_enterprise_history_hides_contacts_and_figures_from_department_staff(zone, client, api_as):
    api_as(zone.users.admin).patch(
        f"/api/v1/enterprise-indicators/{zone.indicator_a.pk}/", {"tax_wan_yuan": "777.00"}, format="json"
    )
    client.force_login(zone.users.ent_a)
    assert "777.00" in history(client, zone.ent_a)
    client.force_login(zone.users.dept_a)
    shown = history(client, zone.ent_a)
    assert "777.00" not in shown
    assert zone.contact_a.name not in shown
    assert 'data-object="enterprise"' in shown
    assert 'data-object="enterpriseindicator"' not in shown


def test_an_enterprise_history_shows_the_latest_twenty_events(zone, client):
    for n in range(25):
        zone.ent_a.address = f"第{n}号"
        zone.ent_a.save()
    client.force_login(zone.users.admin)
    shown = history(client, zone.ent_a)
    assert shown.count('data-testid="history-event"') == 20
    assert "第24号" in shown


def test_the_enterprise_page_costs_one_query_for_its_history_however_long(zone, client):
    client.force_login(zone.users.officer_a)

    def queries() -> int:
        client.get(f"/enterprises/{zone.ent_a.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/enterprises/{zone.ent_a.pk}/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(10):
        f.ContactFactory(enterprise=zone.ent_a, name=f"联系人甲{n}")
    zone.ent_a.address = "变更后地址"
    zone.ent_a.save()
    assert queries() == few


# --- Snapshots, diffs and bulk records ----------------------------------------------------------------------------


def test_a_snapshot_is_json_safe_and_a_diff_lists_only_what_changed(zone):
    before = audit.snapshot(zone.indicator_a)
    assert before["land_mu"] == "50.0000"
    assert before["enterprise"] == zone.ent_a.pk
    assert "updated_at" not in before
    zone.indicator_a.tax_wan_yuan = Decimal("601")
    after = audit.snapshot(zone.indicator_a)
    assert audit.diff(before, after) == {"tax_wan_yuan": ["600.00", "601.00"]}
    assert audit.diff(None, {"a": 1}) == {"a": [None, 1]}
    assert audit.diff({"a": 1}, None) == {"a": [1, None]}


def test_bulk_events_writes_many_records_in_few_queries(zone):
    rows = [(str(n), f"企业{n}", None, "create", {"name": [None, f"企业{n}"]}) for n in range(4500)]
    ContentType.objects.get_for_model(Enterprise)  # cached, as in a running process
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    per_query = min(audit.BULK_BATCH_SIZE, connection.ops.bulk_batch_size(fields, rows) or audit.BULK_BATCH_SIZE)
    batch = ImportBatch.objects.create(kind="enterprises", file_name="企业.xlsx", sha256="c" * 64)
    with CaptureQueriesContext(connection) as ctx:
        written = audit.bulk_events(model=Enterprise, rows=rows, user=zone.users.admin, source="import", batch=batch)
    assert written == 4500
    assert len(ctx.captured_queries) <= math.ceil(4500 / audit.BULK_BATCH_SIZE) * math.ceil(
        audit.BULK_BATCH_SIZE / per_query
    )
    assert AuditEvent.objects.filter(batch=batch, user=zone.users.admin, source="import").count() == 4500


# --- Pruning -------------------------------------------------------------------------------------------------------


def test_prune_refuses_a_window_shorter_than_180_days(db):
    with pytest.raises(CommandError, match="180"):
        call_command("prune_audit", days=179)


def test_prune_exits_with_an_error_code_when_refused(db, capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["hitechzone", "prune_audit", "--days", "179"]).execute()
    assert exit_info.value.code != 0
    assert "180" in capsys.readouterr().err


def test_prune_deletes_only_the_records_older_than_the_window(db, capsys):
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=181), tick=False):
        old = Brand.objects.create(code="old", name="旧园区", short_name="旧")
    with time_machine.travel(now - timedelta(days=179), tick=False):
        recent = Brand.objects.create(code="recent", name="近园区", short_name="近")
    call_command("prune_audit", days=180)
    assert events_of(old) == []
    assert len(events_of(recent)) == 1
    assert "1" in capsys.readouterr().out
