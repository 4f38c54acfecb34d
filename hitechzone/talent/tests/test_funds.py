"""The innovation fund: figures from the rows, grants applied for and approved by a leader, never beyond what is
left (also when two approvals race: the fund's row is locked), and instalments against milestones."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.talent import services
from hitechzone.talent.models import Grant, Instalment


def _apply(zone, fund, amount, enterprise=None):
    return services.grant_apply(
        by=zone.users.dept_a, fund=fund, recipient_enterprise=enterprise or zone.ent_a,
        amount_wan_yuan=Decimal(amount), purpose="研发",
    )  # fmt: skip


def test_the_talent_office_opens_a_fund_and_reads_its_figures(zone, office, api_as):
    client = api_as(office)
    made = client.post("/api/v1/talent/funds/", {"name": "创新基金", "year": 2025, "budget_wan_yuan": "1000"})
    assert made.status_code == 201, made.json()
    figures = client.get(f"/api/v1/talent/funds/{made.json()['id']}/").json()
    assert (figures["budget_wan_yuan"], figures["granted_wan_yuan"], figures["paid_wan_yuan"]) == (
        "1000.00",
        "0.00",
        "0.00",
    )
    assert figures["left_wan_yuan"] == "1000.00"


def test_a_fund_with_a_bad_year_and_budget_is_refused_naming_both_fields(zone, office, api_as):
    answer = api_as(office).post("/api/v1/talent/funds/", {"name": "x", "year": 1800, "budget_wan_yuan": "-1"})
    assert answer.status_code == 400
    assert {"year", "budget_wan_yuan"} <= set(answer.json())


def test_an_enterprise_applies_for_itself_and_a_leader_approves(zone, fund, api_as):
    applied = api_as(zone.users.ent_a).post(
        "/api/v1/talent/grants/",
        {"fund": fund.pk, "recipient_enterprise": zone.ent_a.pk, "amount_wan_yuan": "300", "purpose": "中试线"},
    )
    assert applied.status_code == 201, applied.json()
    approved = api_as(zone.users.leader).post(f"/api/v1/talent/grants/{applied.json()['id']}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    figures = api_as(zone.users.leader).get(f"/api/v1/talent/funds/{fund.pk}/").json()
    assert (figures["granted_wan_yuan"], figures["left_wan_yuan"]) == ("300.00", "700.00")


def test_an_enterprise_cannot_apply_for_another_enterprise(zone, fund, api_as):
    answer = api_as(zone.users.ent_a).post(
        "/api/v1/talent/grants/",
        {"fund": fund.pk, "recipient_enterprise": zone.ent_b.pk, "amount_wan_yuan": "10", "purpose": "x"},
    )
    assert answer.status_code == 400
    assert "recipient_enterprise" in answer.json()
    assert not Grant.objects.exists()


def test_an_approval_beyond_what_is_left_is_refused_stating_what_is_left(zone, fund, api_as):
    services.grant_approve(by=zone.users.leader, grant=_apply(zone, fund, 800))
    second = _apply(zone, fund, 300, zone.ent_b)
    answer = api_as(zone.users.leader).post(f"/api/v1/talent/grants/{second.pk}/approve/")
    assert answer.status_code == 400
    assert "200 万元" in answer.json()["detail"]
    second.refresh_from_db()
    assert second.status == Grant.Status.APPLIED


def test_only_a_leader_approves(zone, fund, api_as):
    grant = _apply(zone, fund, 10)
    for persona in ("admin", "dept_a", "ent_a"):
        assert (
            api_as(getattr(zone.users, persona)).post(f"/api/v1/talent/grants/{grant.pk}/approve/").status_code == 403
        )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.APPLIED


def test_a_refusal_needs_its_reason(zone, fund, api_as):
    grant = _apply(zone, fund, 10)
    client = api_as(zone.users.leader)
    assert client.post(f"/api/v1/talent/grants/{grant.pk}/refuse/", {"reason": ""}).status_code == 400
    refused = client.post(f"/api/v1/talent/grants/{grant.pk}/refuse/", {"reason": "与基金方向不符"})
    assert refused.json()["status"] == "refused"
    assert refused.json()["reason"] == "与基金方向不符"


def test_an_approved_grant_is_paid_in_instalments_never_beyond_its_amount(zone, fund, api_as):
    grant = services.grant_approve(by=zone.users.leader, grant=_apply(zone, fund, 100))
    client = api_as(zone.users.dept_a)
    url = f"/api/v1/talent/grants/{grant.pk}/instalments/"
    first = client.post(url, {"milestone": "样机完成", "amount_wan_yuan": "60", "paid_on": "2025-06-30"})
    assert first.status_code == 201, first.json()
    too_much = client.post(url, {"milestone": "量产", "amount_wan_yuan": "50", "paid_on": "2025-12-31"})
    assert too_much.status_code == 400
    assert "40 万元" in too_much.json()["detail"]
    assert client.post(url, {"milestone": "量产", "amount_wan_yuan": "40", "paid_on": "2025-12-31"}).status_code == 201
    figures = client.get(f"/api/v1/talent/funds/{fund.pk}/").json()
    assert (figures["granted_wan_yuan"], figures["paid_wan_yuan"], figures["left_wan_yuan"]) == (
        "100.00",
        "100.00",
        "900.00",
    )


def test_a_grant_not_yet_approved_is_not_paid(zone, fund):
    grant = _apply(zone, fund, 100)
    with pytest.raises(services.Refused):
        services.instalment_pay(
            by=zone.users.dept_a, grant=grant, milestone="x", amount_wan_yuan=Decimal(1), paid_on=date(2025, 1, 1)
        )
    assert not Instalment.objects.exists()


def test_an_enterprise_sees_its_own_grants_only(zone, fund, api_as):
    mine, theirs = _apply(zone, fund, 10), _apply(zone, fund, 20, zone.ent_b)
    ids = {row["id"] for row in api_as(zone.users.ent_a).get("/api/v1/talent/grants/").json()["results"]}
    assert ids == {mine.pk}
    assert api_as(zone.users.ent_a).get(f"/api/v1/talent/grants/{theirs.pk}/").status_code == 404


def test_a_budget_cannot_fall_below_what_is_granted(zone, fund):
    services.grant_approve(by=zone.users.leader, grant=_apply(zone, fund, 600))
    with pytest.raises(services.FieldErrors) as refused:
        services.fund_save(by=zone.users.dept_a, fund=fund, budget_wan_yuan=Decimal(500))
    assert "budget_wan_yuan" in refused.value.errors


def test_a_leader_approves_on_the_grant_page_and_a_refusal_is_shown(zone, fund, client):
    first, second = _apply(zone, fund, 900), _apply(zone, fund, 200, zone.ent_b)
    client.force_login(zone.users.leader)
    client.post(f"/talent/grants/{first.pk}/approve/")
    page = client.post(f"/talent/grants/{second.pk}/approve/", follow=True).content.decode()
    assert "100 万元" in page
    assert Grant.objects.get(pk=second.pk).status == Grant.Status.APPLIED


def test_the_grant_list_page_and_endpoint_read_a_fixed_number_of_queries(zone, fund, client, api_as):
    def count(url, fetch):
        with CaptureQueriesContext(connection) as queries:
            assert fetch(url).status_code == 200
        return len(queries)

    client.force_login(zone.users.leader)
    api = api_as(zone.users.leader)
    _apply(zone, fund, 1)
    few = [count(u, g) for u, g in (("/talent/grants/", client.get), ("/api/v1/talent/grants/", api.get),
                                   ("/talent/funds/", client.get), ("/api/v1/talent/funds/", api.get))]  # fmt: skip
    for i in range(5):
        grant = _apply(zone, fund, 2 + i, zone.ent_b)
        services.grant_approve(by=zone.users.leader, grant=grant)
    services.fund_save(by=zone.users.dept_a, name="第二期", year=2026, budget_wan_yuan=Decimal(10))
    many = [count(u, g) for u, g in (("/talent/grants/", client.get), ("/api/v1/talent/grants/", api.get),
                                    ("/talent/funds/", client.get), ("/api/v1/talent/funds/", api.get))]  # fmt: skip
    assert many == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)")
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_never_overdraw_the_fund(zone, office):
    """Two leaders approve 600 and 500 of a 1,000 fund at once, on two connections: one is granted, the other
    refused with what is left."""
    fund = services.fund_save(by=office, name="并发基金", year=2025, budget_wan_yuan=Decimal(1000))
    grants = [_apply(zone, fund, 600), _apply(zone, fund, 500, zone.ent_b)]
    leader = zone.users.leader
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(grant):
        try:
            barrier.wait(timeout=10)
            services.grant_approve(by=leader, grant=grant)
            outcomes.append("approved")
        except services.Refused as refusal:
            outcomes.append(str(refusal))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(g,)) for g in grants]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(o == "approved" for o in outcomes) == [False, True]
    refusal = next(o for o in outcomes if o != "approved")
    assert "400 万元" in refusal or "500 万元" in refusal
    figures = services.fund_figures(fund)
    assert figures.granted_wan_yuan <= fund.budget_wan_yuan
    assert Grant.objects.filter(fund=fund, status=Grant.Status.APPROVED).count() == 1
    assert AuditEvent.objects.filter(object_repr__contains="并发基金").exists()
