"""The audit guard: a bulk write to an audited model without its audit records fails the test that made it, naming
the model, the kind of write, the fields and the line; a write that records itself (or states why it does not),
and an update of operational fields only, pass."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from hitechzone.common import audit, audit_guard
from hitechzone.common.models import AuditEvent
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.tests import factories as f
from hitechzone.zone.models import Brand

pytestmark = pytest.mark.django_db

HERE = "hitechzone/enterprises/tests/test_audit_guard.py"


@pytest.fixture(autouse=True)
def watching_this_module():
    """The writes these tests make themselves stand for the code under test: the guard watches them."""
    with audit_guard.watching_tests():
        yield


@pytest.fixture
def operational_sort_order():
    """Brand registered for the test with ``sort_order`` operational (the registration is put back after)."""
    original = audit.AUDITED_MODELS[Brand]
    audit.register(
        Brand,
        enterprise=audit.NO_ENTERPRISE,
        operational={"sort_order": "the order of the menu, set by whoever arranges it"},
    )
    yield
    audit.AUDITED_MODELS[Brand] = original


def caught() -> list[audit_guard.Violation]:
    """What the guard found so far in this test (taken: the test's own check then finds nothing)."""
    return audit_guard.take()


def test_an_update_of_a_recorded_field_without_its_records_fails_naming_model_fields_and_line():
    brand = f.BrandFactory()
    Brand.objects.filter(pk=brand.pk).update(name="改名", sort_order=3)
    [violation] = caught()
    assert violation.model == "zone.Brand"
    assert violation.kind == "update()"
    assert violation.fields == ("name", "sort_order")
    assert violation.site.startswith(f"{HERE}:")
    message = audit_guard.report([violation])
    assert "update() on zone.Brand (name, sort_order) at hitechzone/enterprises/tests/test_audit_guard.py:" in message
    assert "audit.bulk_write" in message


def test_an_update_of_operational_fields_only_passes(operational_sort_order):
    brand = f.BrandFactory()
    Brand.objects.filter(pk=brand.pk).update(sort_order=7)
    assert caught() == []
    Brand.objects.filter(pk=brand.pk).update(sort_order=8, name="改名")
    assert [(v.kind, v.fields) for v in caught()] == [("update()", ("name",))]


def test_an_update_of_fields_the_registration_excludes_passes():
    enterprise = f.EnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(updated_at=enterprise.updated_at)  # excluded: never recorded
    assert caught() == []


def test_a_declared_bulk_write_that_records_its_events_passes():
    brands = [Brand(code=f"b{i}", name=f"品牌{i}", short_name=f"品{i}") for i in range(3)]
    with audit.bulk_write(Brand):
        created = Brand.objects.bulk_create(brands)
        audit.bulk_events(
            model=Brand,
            rows=[(b.pk, str(b), None, "create", audit.diff(None, audit.snapshot(b))) for b in created],
            user=None,
            source="system",
        )
        Brand.objects.filter(code="b0").update(name="新名")
    assert caught() == []
    assert AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Brand)).count() == 3


def test_bulk_create_and_bulk_update_without_a_declaration_fail():
    created = Brand.objects.bulk_create([Brand(code="x1", name="一", short_name="一")])
    created[0].name = "二"
    Brand.objects.bulk_update(created, ["name"])
    assert [(v.kind, v.fields) for v in caught()] == [("bulk_create()", ()), ("bulk_update()", ("name",))]


def test_a_write_declared_unrecorded_with_its_reason_passes():
    with audit.unrecorded(Brand, reason="the test's own set-up"):
        Brand.objects.bulk_create([Brand(code="u1", name="一", short_name="一")])
    assert caught() == []
    with pytest.raises(ValueError, match="reason"):
        audit.unrecorded(Brand, reason=" ")


def test_a_declaration_covers_only_its_models_and_its_block():
    enterprise = f.EnterpriseFactory()
    with audit.bulk_write(Brand):
        Enterprise.objects.filter(pk=enterprise.pk).update(name="另一家")
    Brand.objects.bulk_create([Brand(code="y1", name="一", short_name="一")])
    found = [(v.model, v.kind) for v in caught()]
    assert found == [("enterprises.Enterprise", "update()"), ("zone.Brand", "bulk_create()")]


def test_a_raw_update_of_an_audited_table_fails():
    brand = f.BrandFactory()
    table = connection.ops.quote_name(Brand._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET name = %s WHERE id = %s", ["改名", brand.pk])  # noqa: S608
        cursor.execute(f"SELECT name FROM {table} WHERE id = %s", [brand.pk])  # noqa: S608 — a read passes
    [violation] = caught()
    assert (violation.model, violation.kind, violation.fields) == ("zone.Brand", "raw SQL UPDATE", ("name",))
    assert violation.site.startswith(f"{HERE}:")


def test_raw_inserts_and_deletes_on_an_audited_table_fail_unless_declared():
    table = connection.ops.quote_name(Brand._meta.db_table)
    brand = f.BrandFactory()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [brand.pk])  # noqa: S608
        with audit.bulk_write(Brand):
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [brand.pk + 1])  # noqa: S608
    assert [v.kind for v in caught()] == ["raw SQL DELETE"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_a_copy_into_an_audited_table_fails():
    table = connection.ops.quote_name(Brand._meta.db_table)
    columns = "code, name, short_name, level, description, sort_order"
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write_row(["c1", "一", "一", "", "", 0])
    assert [(v.model, v.kind) for v in caught()] == [("zone.Brand", "COPY")]


def test_queryset_delete_is_recorded_object_by_object_and_passes():
    brands = [f.BrandFactory(), f.BrandFactory()]
    Brand.objects.filter(pk__in=[b.pk for b in brands]).delete()
    assert caught() == []
    deletes = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Brand), action="delete")
    assert sorted(deletes.values_list("object_id", flat=True)) == sorted(str(b.pk) for b in brands)


def test_many_to_many_changes_through_the_related_manager_pass_and_direct_writes_of_its_table_fail():
    enterprise, chain = f.EnterpriseFactory(), f.ChainFactory()
    enterprise.chains.add(chain)
    enterprise.chains.set([])
    enterprise.chains.add(chain)
    chain.enterprises.clear()
    assert caught() == []
    through = Enterprise.chains.through
    through.objects.bulk_create([through(enterprise_id=enterprise.pk, industrychain_id=chain.pk)])
    through.objects.filter(enterprise_id=enterprise.pk).delete()
    assert [(v.model, v.kind) for v in caught()] == [
        ("enterprises.Enterprise_chains", "bulk_create()"),
        ("enterprises.Enterprise_chains", "delete()"),
    ]
    with audit.bulk_write(Enterprise):  # the registered model's declaration covers its many-to-many tables
        through.objects.bulk_create([through(enterprise_id=enterprise.pk, industrychain_id=chain.pk)])
    assert caught() == []


def test_deleting_an_object_deletes_its_many_to_many_rows_with_it_and_passes():
    enterprise, chain = f.EnterpriseFactory(), f.ChainFactory()
    enterprise.chains.add(chain)
    chain.delete()
    assert caught() == []


def test_a_tests_own_set_up_writes_are_not_watched():
    brand = f.BrandFactory()
    token = audit_guard._tests_too.set(False)
    try:
        Brand.objects.filter(pk=brand.pk).update(name="测试准备")
    finally:
        audit_guard._tests_too.reset(token)
    assert caught() == []
    assert audit_guard.is_test_code("/x/hitechzone/liaison/tests/test_services.py")
    assert audit_guard.is_test_code("/x/conftest.py")
    assert not audit_guard.is_test_code("/x/hitechzone/liaison/services.py")


def test_the_pages_and_the_api_ignore_operational_fields(operational_sort_order, zone, client, api_as):
    brand = zone.brand_a
    content_type = ContentType.objects.get_for_model(Brand)
    event = AuditEvent.objects.create(
        source="system",
        action="update",
        content_type=content_type,
        object_id=str(brand.pk),
        object_repr=str(brand),
        changes={"name": ["旧", "新"], "sort_order": [1, 2]},  # written before sort_order was declared operational
    )
    assert audit.recorded(event) == {"name": ["旧", "新"]}
    assert [c.name for c in audit.describe(event)] == ["name"]
    response = api_as(zone.users.admin).get("/api/v1/audit/", {"content_type": "zone.brand", "object_id": brand.pk})
    [row] = [r for r in response.json()["results"] if r["id"] == event.pk]
    assert row["changes"] == {"name": ["旧", "新"]}
    brand.sort_order = 99
    brand.save()  # an operational field alone: no record
    assert AuditEvent.objects.filter(content_type=content_type, object_id=str(brand.pk)).count() == 2  # create + ours


def test_deleting_an_object_records_the_rows_it_sets_to_null_and_passes():
    enterprise = f.EnterpriseFactory()
    parcel, enterprise_id = f.ParcelFactory(enterprise=enterprise), enterprise.pk
    enterprise.delete()
    assert caught() == []
    parcel.refresh_from_db()
    assert parcel.enterprise_id is None
    [event] = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(parcel)), object_id=str(parcel.pk), action="update"
    )
    assert event.changes == {"enterprise": [enterprise_id, None]}
