"""Partnerships (issue 15, point 8): agreements with partner institutions, technology transfers, licences and
cooperation projects (partner, enterprise, contract value, optional technology-transfer centre), their figures per
year and kind, who sees which, the page with its chart, and the query budgets of the lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.talent import services, services_finance
from hitechzone.talent.models import Cooperation, PartnerAgreement

COOPERATIONS = "/api/v1/talent/cooperations/"
AGREEMENTS = "/api/v1/talent/agreements/"


@pytest.fixture
def partner(office):
    return services.partner_save(by=office, name="某理工大学", kind="university", agreement_signed_on="2020-01-01")


def _cooperation(zone, office, partner, **fields):
    values = {
        "kind": "transfer", "title": "专利转让", "partner": partner, "enterprise": zone.ent_a,
        "contract_value_wan_yuan": Decimal(100), "signed_on": date(2024, 6, 1),
    }  # fmt: skip
    values.update(fields)
    return services_finance.cooperation_save(by=office, **values)


def test_the_talent_office_records_an_agreement_and_it_is_audited(zone, office, partner, api_as):
    answer = api_as(office).post(
        AGREEMENTS,
        {"partner": partner.pk, "title": "框架协议", "signed_on": "2024-01-05", "valid_from": "2024-02-01",
         "valid_until": "2029-01-31", "scope": "联合实验室、人才培养"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["partner_name"], answer.json()["status"]) == ("某理工大学", "in_force")
    agreement = PartnerAgreement.objects.get()
    assert AuditEvent.objects.filter(content_type__model="partneragreement", object_id=str(agreement.pk)).exists()


def test_an_agreement_ending_before_it_is_in_force_is_refused(zone, office, partner, api_as):
    answer = api_as(office).post(
        AGREEMENTS,
        {"partner": partner.pk, "title": "x", "signed_on": "2024-01-05", "valid_until": "2023-12-31"},
        format="json",
    )
    assert answer.status_code == 400
    assert "valid_until" in answer.json()
    assert not PartnerAgreement.objects.exists()


def test_a_cooperation_project_through_a_transfer_centre_is_recorded(zone, office, partner, api_as):
    centre = services.platform_save(by=office, name="技术转移中心", kind="transfer_centre", level="city")
    answer = api_as(office).post(
        COOPERATIONS,
        {"kind": "licence", "title": "专利许可", "partner": partner.pk, "enterprise": zone.ent_b.pk,
         "contract_value_wan_yuan": "80.5", "signed_on": "2025-02-01", "platform": centre.pk},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    event = AuditEvent.objects.get(content_type__model="cooperation")
    assert event.enterprise_id == zone.ent_b.pk


def test_a_platform_that_is_no_transfer_centre_is_refused_naming_the_field(zone, office, partner, api_as):
    other = services.platform_save(by=office, name="博士后工作站", kind="postdoc", level="city")
    answer = api_as(office).post(
        COOPERATIONS,
        {"kind": "transfer", "title": "x", "partner": partner.pk, "enterprise": zone.ent_a.pk,
         "contract_value_wan_yuan": "1", "signed_on": "2025-02-01", "platform": other.pk},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 400
    assert "platform" in answer.json()
    assert not Cooperation.objects.exists()


def test_a_missing_partner_or_enterprise_is_named_and_nothing_written(zone, office, api_as):
    answer = api_as(office).post(
        COOPERATIONS,
        {"kind": "transfer", "title": "x", "partner": 999999, "enterprise": 999999, "contract_value_wan_yuan": "1",
         "signed_on": "2025-02-01"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 400
    assert {"partner", "enterprise"} <= set(answer.json())
    assert not Cooperation.objects.exists()


def test_only_the_talent_office_and_administrators_write(zone, office, partner, api_as):
    body = {"partner": partner.pk, "title": "x", "signed_on": "2024-01-05"}
    for persona in ("dept_b", "leader", "officer_a", "ent_a"):
        assert api_as(getattr(zone.users, persona)).post(AGREEMENTS, body, format="json").status_code == 403, persona
    assert api_as(zone.users.admin).post(AGREEMENTS, body, format="json").status_code == 201


def test_an_enterprise_and_an_officer_see_their_own_projects_only(zone, office, partner, api_as):
    mine = _cooperation(zone, office, partner)
    theirs = _cooperation(zone, office, partner, enterprise=zone.ent_b)
    assert {r["id"] for r in api_as(zone.users.ent_a).get(COOPERATIONS).json()["results"]} == {mine.pk}
    assert {r["id"] for r in api_as(zone.users.officer_b).get(COOPERATIONS).json()["results"]} == {theirs.pk}
    assert api_as(zone.users.ent_a).get(f"{COOPERATIONS}{theirs.pk}/").status_code == 404
    assert api_as(zone.users.dept_b).get(COOPERATIONS).json()["count"] == 2


def test_the_figures_per_year_count_the_projects_and_their_value_by_kind(zone, office, partner, api_as):
    _cooperation(zone, office, partner)
    _cooperation(zone, office, partner, contract_value_wan_yuan=Decimal("50.25"), enterprise=zone.ent_b)
    _cooperation(zone, office, partner, kind="cooperation", signed_on=date(2025, 1, 1))
    years = api_as(zone.users.leader).get(f"{COOPERATIONS}stats/").json()["years"]
    assert [y["year"] for y in years] == [2024, 2025]
    transfers = {k["kind"]: k for k in years[0]["kinds"]}["transfer"]
    assert (transfers["count"], transfers["amount_wan_yuan"]) == (2, "150.25")
    one = api_as(zone.users.leader).get(f"{COOPERATIONS}stats/?year=2025").json()["years"]
    assert [(y["year"], y["count"], y["amount_wan_yuan"]) for y in one] == [(2025, 1, "100.00")]
    assert api_as(zone.users.leader).get(f"{COOPERATIONS}stats/?year=abc").status_code == 400
    assert api_as(zone.users.ent_a).get(f"{COOPERATIONS}stats/").status_code == 403


def test_the_page_shows_the_chart_and_the_year_totals(zone, office, partner, client):
    _cooperation(zone, office, partner)
    client.force_login(zone.users.officer_a)
    page = client.get("/talent/partnerships/").content.decode()
    assert 'data-testid="cooperation-chart"' in page
    assert "产学研合作" in page
    assert 'data-testid="cooperation-year"' in page
    assert "专利转让" in page
    client.cookies["django_language"] = "en"
    assert "Partnerships" in client.get("/talent/partnerships/").content.decode()


def test_the_page_forms_record_an_agreement_and_a_project(zone, office, partner, client):
    client.force_login(office)
    answer = client.post(
        "/talent/agreements/new/",
        {"partner": partner.pk, "title": "框架协议", "signed_on": "2024-01-05", "status": "in_force"},
    )
    assert answer.status_code == 302
    assert "框架协议" in client.get("/talent/agreements/").content.decode()
    bad = client.post("/talent/partnerships/new/", {"kind": "transfer", "partner": partner.pk})
    assert bad.status_code == 200
    assert not Cooperation.objects.exists()
    good = client.post(
        "/talent/partnerships/new/",
        {"kind": "transfer", "title": "专利转让", "partner": partner.pk, "enterprise": zone.ent_a.pk,
         "contract_value_wan_yuan": "10", "signed_on": "2024-03-03"},
    )  # fmt: skip
    assert good.status_code == 302
    assert Cooperation.objects.count() == 1


@pytest.mark.parametrize(
    "url", ["/talent/partnerships/", "/talent/agreements/", COOPERATIONS, AGREEMENTS, f"{COOPERATIONS}stats/"]
)
def test_the_partnership_lists_read_a_fixed_number_of_queries(zone, office, partner, client, api_as, url):
    api = api_as(zone.users.leader)
    client.force_login(zone.users.leader)

    def count():
        with CaptureQueriesContext(connection) as queries:
            answer = api.get(url) if url.startswith("/api/") else client.get(url)
            assert answer.status_code == 200
        return len(queries)

    _cooperation(zone, office, partner)
    services_finance.agreement_save(by=office, partner=partner, title="协议", signed_on=date(2020, 1, 1))
    few = count()
    for i in range(4):
        other = services.partner_save(by=office, name=f"院校{i}", kind="institute", agreement_signed_on="2020-01-01")
        _cooperation(zone, office, other, kind=("licence", "cooperation")[i % 2], signed_on=date(2020 + i, 1, 1),
                     enterprise=(zone.ent_a, zone.ent_b)[i % 2])  # fmt: skip
        services_finance.agreement_save(by=office, partner=other, title=f"协议{i}", signed_on=date(2021, 1, 1))
    assert count() == few


def test_the_enterprise_page_shows_its_projects_and_the_list_filters_by_enterprise(zone, office, partner, client):
    _cooperation(zone, office, partner, title="甲方专利转让")
    _cooperation(zone, office, partner, title="乙方合作项目", enterprise=zone.ent_b)
    client.force_login(zone.users.leader)
    page = client.get(f"/enterprises/{zone.ent_a.pk}/").content.decode()
    assert 'data-testid="enterprise-cooperation"' in page
    assert "甲方专利转让" in page
    listed = client.get(f"/talent/partnerships/?enterprise={zone.ent_a.pk}").content.decode()
    assert "甲方专利转让" in listed
    assert "乙方合作项目" not in listed
