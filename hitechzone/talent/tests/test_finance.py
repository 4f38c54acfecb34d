"""Technology finance (issue 15, point 7): loans, guarantees and equity investments recorded by the talent office,
the statuses each kind may take, the enterprise checked against what the user sees, the totals per year and kind,
who sees which deal, the page with its chart, and the query budgets of the lists."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.talent import services_finance
from hitechzone.talent.models import FinanceDeal

URL = "/api/v1/talent/finance/"


def _deal(zone, by, **fields):
    values = {
        "kind": "loan", "enterprise": zone.ent_a, "counterparty": "某银行科技支行", "amount_wan_yuan": Decimal(500),
        "signed_on": date(2024, 3, 1), "status": "disbursed",
    }  # fmt: skip
    values.update(fields)
    return services_finance.finance_deal_save(by=by, **values)


def test_the_talent_office_records_a_loan_through_the_api_and_it_is_audited(zone, office, api_as):
    answer = api_as(office).post(
        URL,
        {"kind": "loan", "enterprise": zone.ent_a.pk, "counterparty": "某银行科技支行", "amount_wan_yuan": "300",
         "signed_on": "2024-05-01", "starts_on": "2024-05-10", "ends_on": "2026-05-09", "status": "disbursed"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert answer.json()["enterprise_name"] == zone.ent_a.name
    deal = FinanceDeal.objects.get()
    event = AuditEvent.objects.get(content_type__model="financedeal", object_id=str(deal.pk))
    assert (event.action, event.enterprise_id) == ("create", zone.ent_a.pk)


def test_a_status_the_kind_does_not_take_is_refused_naming_the_field(zone, office, api_as):
    answer = api_as(office).post(
        URL,
        {"kind": "guarantee", "enterprise": zone.ent_a.pk, "counterparty": "某担保公司", "amount_wan_yuan": "100",
         "signed_on": "2024-05-01", "status": "exited"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 400
    assert "status" in answer.json()
    assert not FinanceDeal.objects.exists()


def test_a_signed_deal_needs_its_date_and_dates_run_in_order(zone, office, api_as):
    body = {"kind": "equity", "enterprise": zone.ent_a.pk, "counterparty": "某创投基金", "amount_wan_yuan": "800",
            "status": "disbursed"}  # fmt: skip
    answer = api_as(office).post(URL, body, format="json")
    assert answer.status_code == 400
    assert "signed_on" in answer.json()
    answer = api_as(office).post(
        URL, {**body, "signed_on": "2024-05-01", "starts_on": "2024-06-01", "ends_on": "2024-01-01"}, format="json"
    )
    assert answer.status_code == 400
    assert "ends_on" in answer.json()
    assert not FinanceDeal.objects.exists()


def test_an_applied_deal_needs_no_signing_date(zone, office):
    deal = _deal(zone, office, status="applied", signed_on=None)
    assert deal.pk
    assert deal.signed_on is None


def test_an_enterprise_the_user_may_not_see_is_refused(zone, office):
    from hitechzone.talent.services import Refused

    with pytest.raises(Refused):
        _deal(zone, zone.users.ent_a, enterprise=zone.ent_b)
    assert not FinanceDeal.objects.exists()


def test_another_department_and_officers_cannot_write(zone, office, api_as):
    body = {"kind": "loan", "enterprise": zone.ent_a.pk, "counterparty": "x", "amount_wan_yuan": "1",
            "status": "applied"}  # fmt: skip
    for persona in ("dept_b", "officer_a", "ent_a", "leader"):
        assert api_as(getattr(zone.users, persona)).post(URL, body, format="json").status_code == 403, persona
    assert not FinanceDeal.objects.exists()


def test_an_enterprise_sees_its_own_deals_only_and_others_none(zone, office, api_as):
    mine = _deal(zone, office)
    theirs = _deal(zone, office, enterprise=zone.ent_b)
    ids = {row["id"] for row in api_as(zone.users.ent_a).get(URL).json()["results"]}
    assert ids == {mine.pk}
    assert api_as(zone.users.ent_a).get(f"{URL}{theirs.pk}/").status_code == 404
    assert api_as(zone.users.leader).get(URL).json()["count"] == 2
    assert api_as(zone.users.officer_a).get(URL).json()["count"] == 0
    assert api_as(zone.users.dept_b).get(URL).json()["count"] == 0


def test_the_talent_office_changes_a_deals_status(zone, office, api_as):
    deal = _deal(zone, office)
    answer = api_as(office).patch(f"{URL}{deal.pk}/", {"status": "repaid", "ends_on": "2025-03-01"}, format="json")
    assert answer.status_code == 200, answer.json()
    deal.refresh_from_db()
    assert (deal.status, deal.ends_on) == ("repaid", date(2025, 3, 1))


def test_the_totals_per_year_count_the_signed_deals_by_kind(zone, office, api_as):
    _deal(zone, office, amount_wan_yuan=Decimal(500))
    _deal(zone, office, amount_wan_yuan=Decimal("250.50"), enterprise=zone.ent_b)
    _deal(zone, office, kind="equity", amount_wan_yuan=Decimal(1000), signed_on=date(2025, 1, 2))
    _deal(zone, office, kind="guarantee", status="applied", signed_on=None, amount_wan_yuan=Decimal(99))
    years = api_as(zone.users.leader).get(f"{URL}stats/").json()["years"]
    assert [y["year"] for y in years] == [2024, 2025]
    loans = {k["kind"]: k for k in years[0]["kinds"]}["loan"]
    assert (loans["count"], loans["amount_wan_yuan"]) == (2, "750.50")
    assert (years[1]["count"], years[1]["amount_wan_yuan"]) == (1, "1000.00")
    one = api_as(zone.users.leader).get(f"{URL}stats/?year=2023").json()["years"]
    assert [(y["year"], y["count"]) for y in one] == [(2023, 0)]


def test_the_totals_are_the_staffs_and_a_bad_year_is_a_400(zone, office, api_as):
    assert api_as(office).get(f"{URL}stats/?year=20x4").status_code == 400
    assert "year" in api_as(office).get(f"{URL}stats/?year=20x4").json()
    for persona in ("ent_a", "officer_a", "dept_b", "expert_a"):
        assert api_as(getattr(zone.users, persona)).get(f"{URL}stats/").status_code == 403, persona


def test_the_page_shows_the_chart_and_the_totals_in_chinese_and_english(zone, office, client):
    _deal(zone, office)
    client.force_login(office)
    chinese = client.get("/talent/finance/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="finance-chart"' in chinese
    assert "科技金融" in chinese
    assert "echarts.min.js" in chinese
    assert 'data-testid="finance-year"' in chinese
    client.cookies["django_language"] = "en"
    english = client.get("/talent/finance/").content.decode()
    assert "Technology finance" in english


def test_the_page_form_records_a_deal_and_a_refusal_writes_nothing(zone, office, client):
    client.force_login(office)
    bad = client.post(
        "/talent/finance/new/",
        {"kind": "guarantee", "enterprise": zone.ent_a.pk, "counterparty": "某担保公司", "amount_wan_yuan": "100",
         "status": "exited", "signed_on": "2024-01-01"},
    )  # fmt: skip
    assert bad.status_code == 200
    assert "invalid-feedback" in bad.content.decode()
    assert not FinanceDeal.objects.exists()
    good = client.post(
        "/talent/finance/new/",
        {"kind": "guarantee", "enterprise": zone.ent_a.pk, "counterparty": "某担保公司", "amount_wan_yuan": "100",
         "status": "approved", "signed_on": "2024-01-01"},
    )  # fmt: skip
    assert good.status_code == 302
    deal = FinanceDeal.objects.get()
    page = client.post(
        f"/talent/finance/{deal.pk}/",
        {"kind": "guarantee", "enterprise": zone.ent_a.pk, "counterparty": "某担保公司", "amount_wan_yuan": "100",
         "status": "repaid", "signed_on": "2024-01-01"},
    )  # fmt: skip
    assert page.status_code == 302
    deal.refresh_from_db()
    assert deal.status == "repaid"


def test_the_pages_refuse_who_may_not_see_deals(zone, office, client):
    deal = _deal(zone, office)
    for persona, list_status, detail_status in (
        ("dept_b", 403, 404), ("officer_a", 403, 403), ("ent_b", 200, 404), ("ent_a", 200, 200),
    ):  # fmt: skip
        client.force_login(getattr(zone.users, persona))
        assert client.get("/talent/finance/").status_code == list_status, persona
        assert client.get(f"/talent/finance/{deal.pk}/").status_code == detail_status, persona
    client.force_login(zone.users.ent_a)
    assert client.post(f"/talent/finance/{deal.pk}/", {"status": "repaid"}).status_code == 403


@pytest.mark.parametrize("url", ["/talent/finance/", URL, f"{URL}stats/"])
def test_the_finance_lists_read_a_fixed_number_of_queries(zone, office, client, api_as, url):
    api = api_as(zone.users.leader)
    client.force_login(zone.users.leader)

    def count():
        with CaptureQueriesContext(connection) as queries:
            answer = api.get(url) if url.startswith("/api/") else client.get(url)
            assert answer.status_code == 200
        return len(queries)

    _deal(zone, office)
    few = count()
    for i in range(4):
        _deal(zone, office, kind=("loan", "equity")[i % 2], enterprise=(zone.ent_a, zone.ent_b)[i % 2],
              signed_on=date(2020 + i, 6, 1))  # fmt: skip
    assert count() == few


def test_the_enterprise_page_shows_its_deals_to_its_users_and_links_to_them(zone, office, client):
    deal = _deal(zone, office)
    _deal(zone, office, enterprise=zone.ent_b, counterparty="乙方的银行")
    client.force_login(zone.users.ent_a)
    page = client.get(f"/enterprises/{zone.ent_a.pk}/").content.decode()
    assert 'data-testid="enterprise-deal"' in page
    assert f"/talent/finance/{deal.pk}/" in page
    listed = client.get(f"/talent/finance/?enterprise={zone.ent_a.pk}").content.decode()
    assert listed.count('data-testid="deal-row"') == 1
    assert "乙方的银行" not in listed
