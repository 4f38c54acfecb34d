"""The land exit API with token auth: the role × endpoint matrix, a case's whole life through the actions, the 400
messages of refused steps, the reward policy, the inefficient enterprises, and the list's query budget.

The ``land_zone`` fixture is described in ``test_land.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import land
from hitechzone.evaluation.models import ExitCase, ExitPolicy
from hitechzone.evaluation.tests.test_land import build_land_zone, open_case

CASES, POLICIES, INEFFICIENT = "/api/v1/exit-cases/", "/api/v1/exit-policies/", "/api/v1/evaluation/inefficient/"
S = ExitCase.Status


@pytest.fixture
def land_zone(zone):
    return build_land_zone(zone)


@pytest.fixture
def api(db):
    def login(user):
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return login


def ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def refusal(response) -> str:
    assert response.status_code == 400, (response.status_code, response.content)
    return response.json()["detail"]


def open_body(lz, **extra) -> dict:
    return {
        "enterprise": lz.zone.ent_a.pk,
        "mode": "agreed_exit",
        "trigger": "class_d",
        "parcels": [lz.parcel_a.code, lz.parcel_a2.pk],
        "identified_on": "2026-03-02",
        **extra,
    }


def test_every_role_on_every_exit_endpoint(api, land_zone):
    lz = land_zone
    u = lz.users
    case = open_case(lz)
    detail = f"{CASES}{case.pk}/"
    seeing = {u.admin, u.leader, u.officer_a, u.ent_a}
    for user in (u.admin, u.leader, u.officer_a, u.officer_b, u.ent_a, u.ent_b, u.dept_a, u.expert_a):
        client = api(user)
        rows = ok(client.get(CASES))["results"]
        assert [r["id"] for r in rows] == ([case.pk] if user in seeing else []), user.username
        assert client.get(detail).status_code == (200 if user in seeing else 404), user.username
        if user in (u.admin, u.leader):
            continue  # their writes: the walk and cancel tests below
        writes = (
            client.post(CASES, open_body(lz), format="json"),
            client.patch(detail, {"notes": "x"}, format="json"),
            client.post(f"{detail}advance/", {"to": "negotiating"}, format="json"),
            client.post(f"{detail}cancel/", {"reason": "x"}, format="json"),
        )
        assert [w.status_code for w in writes] == [403] * 4, user.username
        assert client.put(detail, {}, format="json").status_code in (403, 405)
    assert ExitCase.objects.count() == 1
    case.refresh_from_db()
    assert (case.status, case.notes) == (S.IDENTIFIED, "")


def test_a_case_walks_through_the_api(api, land_zone):
    lz = land_zone
    client = api(lz.users.leader)
    body = ok(client.post(CASES, open_body(lz, mode="swap", swap_parcels=[lz.free_parcel.code]), format="json"), 201)
    assert body["code"] == "TL-2026-001"
    assert body["parcels"] == sorted([lz.parcel_a.code, lz.parcel_a2.code])
    assert body["swap_parcels"] == [lz.free_parcel.code]
    assert body["land_freed_mu"] == "34.5000"
    assert (body["reward_basis"], body["reward_rate"], body["reward_wan_yuan"]) == ("per_mu", "2.5000", "86.25")
    assert body["evaluation_result"] == lz.result_a.pk
    assert body["next_status"] == "negotiating"
    url = f"{CASES}{body['id']}/"

    assert "the next step is Negotiating" in refusal(client.post(f"{url}advance/", {"to": "agreed"}, format="json"))
    ok(client.post(f"{url}advance/", {"to": "negotiating", "on": "2026-03-05"}, format="json"))
    assert "dates cannot go backwards" in refusal(
        client.post(
            f"{url}advance/", {"to": "agreed", "on": "2026-03-01", "compensation_wan_yuan": "10"}, format="json"
        )
    )
    body = ok(client.patch(url, {"reward_basis": "share", "reward_rate": "0.1", "compensation_wan_yuan": "800"}))
    assert body["reward_wan_yuan"] == "80.00"
    body = ok(client.post(f"{url}advance/", {"to": "agreed", "on": "2026-03-06"}, format="json"))
    assert (body["status"], body["agreed_on"]) == ("agreed", "2026-03-06")
    body = ok(client.post(f"{url}advance/", {"to": "returned", "on": "2026-04-01"}, format="json"))
    lz.parcel_a.refresh_from_db()
    lz.free_parcel.refresh_from_db()
    assert lz.parcel_a.enterprise is None
    assert lz.free_parcel.enterprise == lz.zone.ent_a
    assert "Say what is placed" in refusal(client.post(f"{url}advance/", {"to": "reused"}, format="json"))
    newcomer = f.EnterpriseFactory(brand=lz.zone.brand_a)
    body = ok(
        client.post(
            f"{url}advance/",
            {"to": "reused", "on": "2026-05-01", "reuse": "智能装备产业园", "successor": newcomer.pk},
            format="json",
        )
    )
    assert (body["successor"], body["successor_name"], body["reuse"]) == (newcomer.pk, newcomer.name, "智能装备产业园")
    lz.parcel_a2.refresh_from_db()
    assert lz.parcel_a2.enterprise == newcomer
    body = ok(client.post(f"{url}advance/", {"to": "closed", "on": "2026-05-02", "note": "结案"}, format="json"))
    assert (body["status"], body["closed_on"], body["next_status"]) == ("closed", "2026-05-02", None)
    assert body["notes"].endswith("2026-05-02 结案")
    assert "can no longer be changed" in refusal(client.patch(url, {"notes": "x"}, format="json"))


def test_cancel_through_the_api(api, land_zone):
    lz = land_zone
    client = api(lz.users.admin)
    body = ok(client.post(CASES, open_body(lz), format="json"), 201)
    url = f"{CASES}{body['id']}/"
    assert "reason" in ok(client.post(f"{url}cancel/", {}, format="json"), 400)
    body = ok(client.post(f"{url}cancel/", {"reason": "企业技改后达标", "on": "2026-03-03"}, format="json"))
    assert (body["status"], body["closed_on"]) == ("cancelled", "2026-03-03")


def test_opening_refusals_answer_400_with_the_reason(api, land_zone):
    lz = land_zone
    client = api(lz.users.admin)
    assert "is not used by" in refusal(
        client.post(CASES, open_body(lz, parcels=[lz.zone.parcel_b.code]), format="json")
    )
    assert "No reward policy for 2025" in refusal(
        client.post(CASES, open_body(lz, identified_on="2025-06-01"), format="json")
    )
    assert "parcels" in ok(client.post(CASES, open_body(lz, parcels=["NO-SUCH"]), format="json"), 400)
    assert not ExitCase.objects.exists()


def test_the_list_filters(api, land_zone):
    lz = land_zone
    a = open_case(lz)
    b = open_case(lz, enterprise=lz.silent, parcels=[lz.silent_parcel], trigger="idle_land", on=date(2026, 1, 5))
    land.case_cancel(by=lz.users.admin, case=b, reason="x", on=date(2026, 1, 6))
    client = api(lz.users.admin)

    def ids(query):
        return [r["id"] for r in ok(client.get(CASES + query))["results"]]

    assert ids("?status=cancelled") == [b.pk]
    assert ids("?status=identified&status=cancelled") == [a.pk, b.pk]
    assert ids(f"?enterprise={lz.silent.pk}") == [b.pk]
    assert ids("?q=零收入") == [b.pk]
    assert ids("?year=2025") == []
    assert ids("?mode=swap") == []


def test_the_reward_policy_is_read_by_everybody_and_written_by_administrators(api, land_zone):
    lz = land_zone
    for user in (lz.users.leader, lz.users.officer_a, lz.users.ent_a, lz.users.dept_a, lz.users.expert_a):
        assert [p["year"] for p in ok(api(user).get(POLICIES))] == [2026]
        assert api(user).post(POLICIES, {"year": 2027, "reward_basis": "per_mu", "reward_rate": "1"}).status_code == 403
        assert api(user).patch(f"{POLICIES}2026/", {"reward_rate": "9"}).status_code == 403
        assert api(user).delete(f"{POLICIES}2026/").status_code == 403
    admin = api(lz.users.admin)
    body = ok(admin.post(POLICIES, {"year": 2027, "reward_basis": "share", "reward_rate": "0.1"}), 201)
    assert body == {"id": body["id"], "year": 2027, "reward_basis": "share", "reward_rate": "0.1000"}
    assert "already has a reward policy" in refusal(
        admin.post(POLICIES, {"year": 2027, "reward_basis": "share", "reward_rate": "0.2"})
    )
    assert "at most 1" in refusal(admin.patch(f"{POLICIES}2027/", {"reward_rate": "2"}))
    assert (
        ok(admin.patch(f"{POLICIES}2027/", {"reward_basis": "per_mu", "reward_rate": "2"}))["reward_rate"] == "2.0000"
    )
    assert admin.delete(f"{POLICIES}2027/").status_code == 204
    assert list(ExitPolicy.objects.values_list("year", flat=True)) == [2026]


def test_the_inefficient_enterprises_endpoint(api, land_zone):
    lz = land_zone
    case = open_case(lz)
    body = ok(api(lz.users.admin).get(INEFFICIENT))
    assert body["year"] == 2025
    rows = {r["enterprise"]: r for r in body["results"]}
    assert set(rows) == {lz.zone.ent_a.pk, lz.suspended.pk, lz.silent.pk}
    a = rows[lz.zone.ent_a.pk]
    assert (a["reasons"], a["klass"], a["score"], a["tax_per_mu"]) == (["class_d"], "D", 41.5, 2.0)
    assert (a["total_mu"], a["open_case"], a["open_case_code"]) == ("42.5000", case.pk, case.code)
    assert a["evaluation_result"] == lz.result_a.pk
    assert rows[lz.suspended.pk]["reasons"] == ["suspended"]
    assert rows[lz.suspended.pk]["trigger"] == "idle_land"
    assert rows[lz.suspended.pk]["open_case"] is None
    assert [r["enterprise"] for r in ok(api(lz.users.officer_a).get(INEFFICIENT))["results"]] == [lz.zone.ent_a.pk]
    assert ok(api(lz.users.ent_b).get(INEFFICIENT))["results"] == []
    for user in (lz.users.dept_a, lz.users.expert_a):
        assert ok(api(user).get(INEFFICIENT))["results"] == []
    assert [r["enterprise"] for r in ok(api(lz.users.admin).get(f"{INEFFICIENT}?year=2024"))["results"]] == [
        lz.suspended.pk
    ]


def _count(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), len(response.json()["results"])


def test_the_case_list_costs_as_many_queries_with_many_rows_as_with_few(api, land_zone):
    lz = land_zone
    client = api(lz.users.officer_a)
    open_case(lz, parcels=[lz.parcel_a], swap_parcels=[lz.free_parcel], mode="swap")
    few, n = _count(client, CASES)
    assert n == 1
    for _i in range(12):
        parcel = f.ParcelFactory(brand=lz.zone.brand_a, enterprise=lz.zone.ent_a, area_mu=Decimal(2))
        case = open_case(lz, parcels=[parcel])
        if _i % 2:
            land.case_advance(by=lz.users.admin, case=case, to=S.NEGOTIATING, on=date(2026, 3, 2))
    many, n = _count(client, CASES)
    assert n == 13
    assert many <= few
    inefficient_few, _n = _count(api(lz.users.admin), INEFFICIENT)
    for _i in range(10):
        e = f.EnterpriseFactory(brand=lz.zone.brand_a, status=Enterprise.Status.EXITED)
        f.ParcelFactory(brand=lz.zone.brand_a, enterprise=e)
    inefficient_many, n = _count(api(lz.users.admin), INEFFICIENT)
    assert n == 13
    assert inefficient_many <= inefficient_few
