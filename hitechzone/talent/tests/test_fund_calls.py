"""The innovation fund's calls (issue 15, point 6): the talent office opens a call (within the fund's budget, closing
after it opens); a grant application may name its call — of the same fund and open on the day of the application —
and is otherwise refused naming the field with nothing written; who sees which call; the list's query budget."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.talent import services, services_finance
from hitechzone.talent.models import FundCall, Grant

CALLS = "/api/v1/talent/fund-calls/"
TODAY = date(2025, 6, 16)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def _call(office, fund, **fields):
    values = {"fund": fund, "title": "2025年度申报", "opens_on": date(2025, 6, 1), "closes_on": date(2025, 6, 30),
              "offered_wan_yuan": Decimal(400)}  # fmt: skip
    values.update(fields)
    return services_finance.fund_call_save(by=office, **values)


def _apply(zone, fund, call):
    """The body of A's application for a grant under ``call``."""
    return {"fund": fund.pk, "recipient_enterprise": zone.ent_a.pk, "amount_wan_yuan": "50", "purpose": "研发",
            "call": call.pk}  # fmt: skip


def test_the_talent_office_opens_a_call_and_it_is_audited(zone, office, fund, api_as):
    answer = api_as(office).post(
        CALLS,
        {"fund": fund.pk, "title": "2025年度申报", "opens_on": "2025-06-01", "closes_on": "2025-06-30",
         "offered_wan_yuan": "400"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["status"], body["applications"], body["granted_wan_yuan"]) == ("open", 0, "0.00")
    assert AuditEvent.objects.filter(content_type__model="fundcall").count() == 1


def test_a_call_offering_more_than_the_budget_or_closing_before_it_opens_is_refused(zone, office, fund, api_as):
    answer = api_as(office).post(
        CALLS,
        {"fund": fund.pk, "title": "x", "opens_on": "2025-06-30", "closes_on": "2025-06-01",
         "offered_wan_yuan": "5000"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 400
    assert {"closes_on", "offered_wan_yuan"} <= set(answer.json())
    assert not FundCall.objects.exists()


def test_an_enterprise_applies_under_an_open_call_and_the_call_counts_it(zone, office, fund, api_as):
    call = _call(office, fund)
    body = _apply(zone, fund, call)
    answer = api_as(zone.users.ent_a).post("/api/v1/talent/grants/", body, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["call"] == call.pk
    services.grant_approve(by=zone.users.leader, grant=Grant.objects.get())
    row = api_as(office).get(f"{CALLS}{call.pk}/").json()
    assert (row["applications"], row["granted_wan_yuan"]) == (1, "50.00")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"opens_on": date(2025, 6, 20)}, "不在申报期内"),
        ({"closes_on": date(2025, 6, 15)}, "不在申报期内"),
        ({"status": "closed"}, "不在申报期内"),
    ],
)
def test_a_call_not_open_on_the_application_date_is_refused_naming_the_call(zone, office, fund, api_as, change, why):
    call = _call(office, fund, **change)
    body = _apply(zone, fund, call)
    answer = api_as(office).post("/api/v1/talent/grants/", body, format="json")
    assert answer.status_code == 400
    assert why in " ".join(answer.json()["call"])
    assert not Grant.objects.exists()


def test_a_call_of_another_fund_is_refused(zone, office, fund, api_as):
    other = services.fund_save(by=office, name="人才基金", year=2025, budget_wan_yuan=Decimal(200))
    call = _call(office, other, offered_wan_yuan=Decimal(100))
    body = _apply(zone, fund, call)
    answer = api_as(office).post("/api/v1/talent/grants/", body, format="json")
    assert answer.status_code == 400
    assert "另一基金" in " ".join(answer.json()["call"])
    assert not Grant.objects.exists()


def test_a_grant_without_a_call_is_still_accepted(zone, office, fund, api_as):
    answer = api_as(zone.users.ent_a).post(
        "/api/v1/talent/grants/",
        {"fund": fund.pk, "recipient_enterprise": zone.ent_a.pk, "amount_wan_yuan": "10", "purpose": "x"},
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["call"] is None


def test_enterprises_see_the_open_calls_and_those_they_applied_under(zone, office, fund, api_as):
    open_call = _call(office, fund)
    planned = _call(office, fund, title="下半年申报", status="planned", opens_on=date(2025, 9, 1),
                    closes_on=date(2025, 9, 30))  # fmt: skip
    ids = {r["id"] for r in api_as(zone.users.ent_b).get(CALLS).json()["results"]}
    assert ids == {open_call.pk}
    assert api_as(zone.users.ent_b).get(f"{CALLS}{planned.pk}/").status_code == 404
    for persona in ("officer_a", "dept_b", "expert_a"):
        assert api_as(getattr(zone.users, persona)).get(CALLS).json()["count"] == 0, persona
    assert api_as(zone.users.leader).get(CALLS).json()["count"] == 2


def test_only_the_talent_office_and_administrators_open_calls(zone, office, fund, api_as):
    body = {"fund": fund.pk, "title": "x", "opens_on": "2025-06-01", "closes_on": "2025-06-30",
            "offered_wan_yuan": "1"}  # fmt: skip
    for persona in ("leader", "dept_b", "ent_a"):
        assert api_as(getattr(zone.users, persona)).post(CALLS, body, format="json").status_code == 403, persona
    assert not FundCall.objects.exists()


def test_the_calls_page_opens_a_call_and_the_grant_form_names_it(zone, office, fund, client):
    client.force_login(office)
    answer = client.post(
        "/talent/calls/",
        {"fund": fund.pk, "title": "2025年度申报", "opens_on": "2025-06-01", "closes_on": "2025-06-30",
         "offered_wan_yuan": "400", "status": "open"},
    )  # fmt: skip
    assert answer.status_code == 302
    call = FundCall.objects.get()
    client.force_login(zone.users.ent_a)
    page = client.get("/talent/calls/").content.decode()
    assert "2025年度申报" in page
    assert 'data-testid="apply-under-call"' in page
    made = client.post(
        "/talent/grants/new/",
        {"fund": fund.pk, "recipient_enterprise": zone.ent_a.pk, "amount_wan_yuan": "20", "purpose": "研发",
         "call": call.pk},
    )  # fmt: skip
    assert made.status_code == 302
    grant = Grant.objects.get()
    assert grant.call == call
    assert 'data-testid="grant-call"' in client.get(f"/talent/grants/{grant.pk}/").content.decode()


def test_the_calls_list_reads_a_fixed_number_of_queries(zone, office, fund, client, api_as):
    api = api_as(zone.users.leader)
    client.force_login(zone.users.leader)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            answer = api.get(url) if url.startswith("/api/") else client.get(url)
            assert answer.status_code == 200
        return len(queries)

    _call(office, fund)
    few = {url: count(url) for url in (CALLS, "/talent/calls/")}
    for i in range(4):
        call = _call(office, fund, title=f"申报{i}", opens_on=TODAY - timedelta(days=i), offered_wan_yuan=Decimal(10))
        services.grant_apply(by=office, fund=fund, recipient_enterprise=zone.ent_b, amount_wan_yuan=Decimal(1),
                             purpose="x", call=call)  # fmt: skip
    assert {url: count(url) for url in few} == few
