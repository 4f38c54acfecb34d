"""The trail reads as people write: names, not ids; choice labels, not codes; local time, not UTC ISO strings;
verbose field names; "—" for nothing — on the audit page, the enterprise history and the xlsx export, with the
related objects read in one query per related model for a whole page of events."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from hitechzone.common import audit
from hitechzone.common.models import AuditEvent, Source
from hitechzone.common.spreadsheets import xlsx_bytes
from hitechzone.enterprises.models import Assignment, Enterprise


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def event(model, obj_id, changes, action=AuditEvent.Action.UPDATE, enterprise_id=None) -> AuditEvent:
    return AuditEvent.objects.create(
        source=Source.UI,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(obj_id),
        object_repr="x",
        changes=changes,
        enterprise_id=enterprise_id,
    )


def rows_of(e: AuditEvent) -> dict:
    return {c.name: (c.label, c.before, c.after) for c in audit.describe(e)}


@pytest.mark.django_db
def test_foreign_keys_show_the_related_objects_name_and_choices_their_label(zone):
    e = event(
        Enterprise,
        zone.ent_a.pk,
        {
            "brand": [zone.brand_a.pk, zone.brand_b.pk],
            "status": ["operating", None],
            "is_above_scale": [False, True],
            "registered_capital_wan_yuan": ["145100.00", ""],
        },
    )
    with translation.override("zh-hans"):
        rows = rows_of(e)
    assert rows["brand"][1:] == ("高新技术产业开发区", "绿色产业集聚区")
    assert rows["status"][1] == str(Enterprise.Status("operating").label) != "operating"
    assert rows["status"][2] == "—"
    assert rows["is_above_scale"][1:] == ("否", "是")
    assert rows["registered_capital_wan_yuan"][1:] == ("145,100.00", "—")
    assert rows["brand"][0] != "brand"


@pytest.mark.django_db
def test_a_user_reads_by_full_name_and_a_deleted_object_says_so(zone):
    zone.users.officer_a.full_name = "张小二"
    zone.users.officer_a.save()
    e = event(Assignment, 1, {"officer": [999_999, zone.users.officer_a.pk], "ended_on": [None, "2026-03-31"]})
    rows = rows_of(e)
    assert rows["officer"][2] == "张小二"
    assert "999999" in rows["officer"][1]
    assert rows["officer"][1] != "999999"
    assert rows["ended_on"][1:] == ("—", "2026-03-31")


@pytest.mark.django_db
def test_a_datetime_reads_in_local_time_in_the_sites_format(zone, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    e = event(Enterprise, zone.ent_a.pk, {"created_at": [None, "2026-12-07T00:25:18.833737+00:00"]})
    assert rows_of(e)["created_at"][2] == "2026-12-07 08:25"


@pytest.mark.django_db
def test_an_empty_value_reads_as_a_dash_not_braces(zone):
    e = event(Enterprise, zone.ent_a.pk, {"name": [{}, []], "brand": [None, ""]})
    rows = rows_of(e)
    assert rows["name"][1:] == ("—", "—")
    assert rows["brand"][1:] == ("—", "—")


@pytest.mark.django_db
def test_a_stored_structure_and_a_code_are_shown_as_data_readable_and_marked_not_to_translate(zone, client):
    # the modules' models by their content type (this layer imports no module)
    scheme_version = ContentType.objects.get_by_natural_key("evaluation", "schemeversion").model_class()
    material_model = ContentType.objects.get_by_natural_key("circular", "material").model_class()
    config = {"groups": {"above": "规上"}, "figures": ["land_mu", "tax_wan_yuan"], "benchmarks": {"above": {}}}
    version = event(scheme_version, 1, {"definition": [None, config], "note": ["", "修订"]})
    material = event(material_model, 1, {"code": [None, "hcl"]})
    rows = {c.name: c for e in (version, material) for c in audit.describe(e)}
    assert rows["definition"].after == "groups: {above: 规上}；figures: [land_mu、tax_wan_yuan]；benchmarks: {above: —}"
    assert rows["definition"].data
    assert rows["code"].data
    assert rows["code"].after == "hcl"
    assert not rows["note"].data  # free words are checked like any other
    client.force_login(zone.users.admin)
    page = client.get("/audit/").content.decode()
    assert '<span class="text-success-emphasis" translate="no">hcl</span>' in page
    assert 'translate="no">groups: {above: 规上}' in page


@pytest.mark.django_db
def test_a_page_of_events_reads_its_names_in_a_constant_number_of_queries(zone):
    def page(n):
        for i in range(n):
            event(Enterprise, zone.ent_a.pk, {"brand": [zone.brand_a.pk, zone.brand_b.pk]})
            event(Assignment, i, {"officer": [zone.users.officer_a.pk, zone.users.officer_b.pk]})
        return list(AuditEvent.objects.select_related("content_type").order_by("-id")[: 2 * n])

    small, large = page(2), page(20)
    with CaptureQueriesContext(connection) as few:
        audit.entries(small)
    with CaptureQueriesContext(connection) as many:
        entries = audit.entries(large)
    assert len(many) == len(few) <= 2  # one per related model (brands, users)
    assert {c.after for entry in entries for c in entry.changes} >= {"绿色产业集聚区", str(zone.users.officer_b)}


@pytest.mark.django_db
def test_the_audit_page_and_its_export_show_names_not_ids(zone, client):
    event(Enterprise, zone.ent_a.pk, {"brand": [zone.brand_a.pk, zone.brand_b.pk], "name": [None, "=HYPERLINK(1)"]})
    client.force_login(zone.users.admin)
    page = client.get("/audit/").content.decode()
    assert "绿色产业集聚区" in page
    response = client.get("/audit/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "绿色产业集聚区" in values
    assert "=HYPERLINK(1)" in values
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_text_that_starts_with_an_equals_sign_is_written_as_text():
    data = xlsx_bytes([("s", ["a"], [["=1+1"], ["plain"]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)] == [("=1+1", "s"), ("plain", "s")]
