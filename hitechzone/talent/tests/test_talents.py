"""Talents through the API and the pages: the ID number checked (GB 11643), stored, masked everywhere but through
the talent office's audited reveal; phones masked in lists; exports masked unless the exporter may reveal."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.talent import services
from hitechzone.talent.models import Disclosure, Talent

from .conftest import GOOD_ID, GOOD_ID_2

URL = "/api/v1/talent/talents/"


def _body(zone, **over):
    return {
        "name": "王博士",
        "programme": "省千人计划",
        "level": "provincial",
        "degree": "phd",
        "field": "氟材料",
        "id_number": GOOD_ID,
        "phone": "13812345678",
        "enterprise": zone.ent_a.pk,
        **over,
    }


def test_the_talent_office_records_a_talent_and_gets_the_number_back_masked(zone, office, api_as):
    answer = api_as(office).post(URL, _body(zone), format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["id_number"] == "110105********002X"
    assert Talent.objects.get().id_number == GOOD_ID


def test_a_number_without_its_check_digit_is_refused_naming_the_field_and_nothing_is_written(zone, office, api_as):
    answer = api_as(office).post(URL, _body(zone, id_number="110105194912310021"), format="json")
    assert answer.status_code == 400
    assert "id_number" in answer.json()
    assert "GB 11643" in answer.json()["id_number"][0]
    assert not Talent.objects.exists()


def test_a_number_without_a_real_birth_date_is_refused_naming_the_field(zone, office, api_as):
    answer = api_as(office).post(URL, _body(zone, id_number="110105194902300020"), format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == ["id_number"]


def test_every_bad_field_is_named_at_once(zone, office, api_as):
    answer = api_as(office).post(URL, _body(zone, id_number="123", level="galactic"), format="json")
    assert answer.status_code == 400
    assert {"level"} <= set(answer.json())


def test_lists_and_details_show_the_number_masked_and_the_list_the_phone_masked(zone, office, api_as):
    talent = services.talent_save(by=office, **_fields(zone))
    client = api_as(zone.users.leader)
    row = client.get(URL).json()["results"][0]
    assert row["id_number"] == "110105********002X"
    assert row["phone"] == "138****5678"
    detail = client.get(f"{URL}{talent.pk}/").json()
    assert detail["id_number"] == "110105********002X"
    assert GOOD_ID not in client.get(f"{URL}{talent.pk}/").content.decode()


def _fields(zone, **over):
    return {
        "name": "王博士",
        "level": "provincial",
        "degree": "phd",
        "enterprise": zone.ent_a,
        "id_number": GOOD_ID,
        "phone": "13812345678",
        **over,
    }


def test_the_talent_office_reveals_a_number_and_the_disclosure_is_audited(zone, office, api_as):
    talent = services.talent_save(by=office, **_fields(zone))
    answer = api_as(office).post(f"{URL}{talent.pk}/reveal/")
    assert answer.status_code == 200
    assert answer.json() == {"id_number": GOOD_ID}
    disclosure = Disclosure.objects.get()
    assert (disclosure.user, disclosure.talent, disclosure.how) == (office, talent, "reveal")
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(Disclosure))
    assert event.user == office
    assert event.changes["talent"] == [None, talent.pk]


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_b"])
def test_nobody_but_the_talent_office_reveals_a_number(zone, office, api_as, persona):
    talent = services.talent_save(by=office, **_fields(zone))
    answer = api_as(getattr(zone.users, persona)).post(f"{URL}{talent.pk}/reveal/")
    assert answer.status_code in (403, 404)
    assert not Disclosure.objects.exists()


def test_the_audit_trail_records_the_number_and_the_phone_masked(zone, office):
    services.talent_save(by=office, **_fields(zone))
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(Talent))
    assert event.changes["id_number"] == [None, "***"]
    assert event.changes["phone"] == [None, "***"]
    assert GOOD_ID not in str(event.changes)


def _sheet(response):
    from openpyxl import load_workbook

    return [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


def test_an_export_carries_masked_numbers(zone, office, client):
    services.talent_save(by=office, **_fields(zone))
    client.force_login(zone.users.leader)
    rows = _sheet(client.get("/talent/talents/?export=xlsx&unmasked=1"))  # a leader has no reveal right
    assert rows[1][7] == "110105********002X"
    assert rows[1][8] == "138****5678"
    assert not Disclosure.objects.exists()


def test_the_talent_office_exports_unmasked_and_each_number_is_recorded_as_disclosed(zone, office, client):
    first = services.talent_save(by=office, **_fields(zone))
    second = services.talent_save(by=office, **_fields(zone, name="李博士", id_number=GOOD_ID_2))
    services.talent_save(by=office, **_fields(zone, name="无证号", id_number=""))
    client.force_login(office)
    rows = _sheet(client.get("/talent/talents/?export=xlsx&unmasked=1"))
    assert {r[7] for r in rows[1:]} == {GOOD_ID, GOOD_ID_2, None}
    assert set(Disclosure.objects.values_list("talent_id", "how")) == {(first.pk, "export"), (second.pk, "export")}
    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Disclosure))
    assert events.count() == 2
    assert {e.user_id for e in events} == {office.pk}


def test_the_reveal_button_shows_the_number_on_the_page_and_records_it(zone, office, client):
    talent = services.talent_save(by=office, **_fields(zone))
    client.force_login(office)
    page = client.get(f"/talent/talents/{talent.pk}/").content.decode()
    assert "110105********002X" in page
    assert GOOD_ID not in page
    revealed = client.post(f"/talent/talents/{talent.pk}/").content.decode()
    assert GOOD_ID in revealed
    assert Disclosure.objects.filter(talent=talent, user=office).count() == 1


def test_the_talent_list_page_and_endpoint_read_a_fixed_number_of_queries(zone, office, client, api_as):
    def count(url, fetch):
        with CaptureQueriesContext(connection) as queries:
            assert fetch(url).status_code == 200
        return len(queries)

    client.force_login(office)
    api = api_as(office)
    services.talent_save(by=office, **_fields(zone))
    page_few, api_few = count("/talent/talents/", client.get), count(URL, api.get)
    for i in range(6):
        services.talent_save(
            by=office, **_fields(zone, name=f"人才{i}", enterprise=zone.ent_b if i % 2 else zone.ent_a)
        )
    assert count("/talent/talents/", client.get) == page_few
    assert count(URL, api.get) == api_few
