"""The M2 API with token auth: the catalogue and its versions, an application's whole life as actions, the 400
messages, agent filing, parallel approvals, rectifications, the year's figures, the overdue list, and query
budgets (a list costs as many queries with 30 rows as with 3).

The fixtures (``catalogue``, ``file_application``, ``walk``, ``freeze``) are described in ``conftest.py``. March
2025 has no public holiday, so its due dates are plain weekday counts.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hitechzone.accounts.models import Role
from hitechzone.approvals import services
from hitechzone.approvals.models import Application, Item, Mode, Notice, Rectification
from hitechzone.common.models import Notification
from hitechzone.enterprises.tests import factories as f

S = Application.State
ITEMS, APPLICATIONS, BUNDLES = "/api/v1/approval-items/", "/api/v1/applications/", "/api/v1/approval-bundles/"
RECTIFICATIONS, STATS, OVERDUE = "/api/v1/rectifications/", "/api/v1/approvals/stats/", "/api/v1/approvals/overdue/"
FORBIDDEN = "You do not have permission to perform this action."


@pytest.fixture
def api(db):
    """``api(user)``: a new token-authenticated client that asks for English messages (one per user: a test
    holds the enterprise's and the window's at once)."""

    def login(user):
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return login


@pytest.fixture
def u(zone):
    return zone.users


@pytest.fixture
def m(catalogue):
    """The ids of the materials of the catalogue's first versions, by name."""
    return {name: material.pk for name, material in catalogue.materials.items()}


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def rows(response) -> list[dict]:
    return ok(response)["results"]


def ids(response) -> set[int]:
    return {row["id"] for row in rows(response)}


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def refusal(response, status: int = 400) -> str:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()["detail"]


def act(client, application, action: str, body=None):
    return post(client, f"{APPLICATIONS}{application.pk}/{action}/", body)


# --- The catalogue ----------------------------------------------------------------------------------------------


def test_every_signed_in_role_reads_the_catalogue_and_nobody_else(catalogue, api, api_client, u):
    for user in (u.admin, u.leader, u.dept_b, u.officer_a, u.expert_a, u.ent_b):
        assert ok(api(user).get(ITEMS))["count"] == 3
    api_client.credentials()
    assert api_client.get(ITEMS).status_code == 401
    assert api_client.get(f"{ITEMS}{catalogue.item_a.pk}/").status_code == 401


def test_the_catalogue_filters_by_department_mode_type_status_and_words(catalogue, api, zone, u):
    client = api(u.ent_a)
    a, b, immediate = catalogue.item_a, catalogue.item_b, catalogue.immediate_item

    def codes(**params):
        return {row["code"] for row in rows(client.get(ITEMS, params))}

    assert codes(department=zone.dept_a.code) == {a.code, immediate.code}
    assert codes(department=str(zone.dept_b.pk)) == {b.code}
    assert codes(mode=Mode.JURISDICTION) == {b.code}
    assert codes(mode="entrusted,seal_follow") == {a.code, immediate.code}
    assert codes(item_type="immediate") == {immediate.code}
    assert codes(q="环境影响") == {b.code}
    assert codes(q="A-002") == {immediate.code}
    services.item_set_status(item=b, by=u.admin, status=Item.Status.SUSPENDED, reason="上级收回")
    assert codes(status="suspended") == {b.code}
    assert codes(status="active") == {a.code, immediate.code}


def test_an_item_shows_its_current_version_its_materials_and_its_versions(catalogue, api, zone, u):
    item = catalogue.item_a
    row = ok(api(u.ent_a).get(f"{ITEMS}{item.pk}/"))
    assert row["code"] == "330100-A-001"
    assert row["department"] == zone.dept_a.code
    assert (row["name"], row["mode"], row["item_type"]) == ("企业投资项目备案", "entrusted", "commitment")
    assert (row["statutory_limit"], row["promised_limit"], row["pre_reform_days"]) == (20, 5, 30)
    assert (row["status"], row["version"]) == ("active", 1)
    assert [(x["name"], x["required"], x["tolerable"], x["original"]) for x in row["materials"]] == [
        ("申请表", True, False, True),
        ("营业执照", True, False, False),
        ("项目可行性研究报告", True, True, True),
        ("授权委托书", False, False, True),
    ]
    assert row["materials"][0]["blank_form"] is None
    assert [(v["number"], v["created_by"]) for v in row["versions"]] == [(1, "dept_a")]


def test_the_department_adds_an_item_to_its_own_catalogue_only(catalogue, api, zone, u):
    body = {
        "code": "330100-A-009",
        "department": zone.dept_a.code,
        "name": "建设项目节能审查",
        "mode": "agency",
        "item_type": "commitment",
        "statutory_limit": 20,
        "promised_limit": 5,
        "materials": [{"name": "节能报告"}, {"name": "项目备案文件", "original": False}],
    }
    row = ok(post(api(u.dept_a), ITEMS, body), 201)
    assert (row["code"], row["version"], row["mode"]) == ("330100-A-009", 1, "agency")
    assert [(x["name"], x["required"], x["original"]) for x in row["materials"]] == [
        ("节能报告", True, True),
        ("项目备案文件", True, False),
    ]
    other = {**body, "code": "330100-B-009", "department": zone.dept_b.code}
    assert refusal(post(api(u.dept_a), ITEMS, other)) == "You may not edit this department's items."
    assert refusal(post(api(u.ent_a), ITEMS, other), 403) == FORBIDDEN
    assert refusal(post(api(u.leader), ITEMS, other), 403) == FORBIDDEN
    taken = post(api(u.admin), ITEMS, {**other, "code": "330100-A-009"})
    assert refusal(taken) == "The item code 330100-A-009 is taken."
    beyond = post(api(u.admin), ITEMS, {**other, "promised_limit": 30})
    assert refusal(beyond) == "The promised limit (30 working days) cannot exceed the statutory limit (20)."
    assert ok(post(api(u.admin), ITEMS, other), 201)["department"] == zone.dept_b.code


def test_an_edit_makes_a_new_version_and_an_application_keeps_the_version_it_was_filed_under(
    catalogue, api, zone, u, m
):
    item = catalogue.item_a
    enterprise = api(u.ent_a)
    before = ok(post(enterprise, APPLICATIONS, {"item": item.code, "provided": [m["申请表"]]}), 201)
    assert (before["version"], before["limit_days"], len(before["materials"])) == (1, 5, 4)

    change = {
        "name": "企业投资项目备案（告知承诺制）",
        "promised_limit": 3,
        "materials": [{"name": "申请表"}, {"name": "承诺书"}, {"name": "营业执照", "original": False}],
        "note": "承诺时限压缩为3个工作日",
    }
    row = ok(api(u.dept_a).patch(f"{ITEMS}{item.pk}/", change, format="json"))
    assert (row["version"], row["name"], row["promised_limit"]) == (2, "企业投资项目备案（告知承诺制）", 3)
    assert [x["name"] for x in row["materials"]] == ["申请表", "承诺书", "营业执照"]
    assert [(v["number"], v["change_note"]) for v in row["versions"]] == [
        (2, "承诺时限压缩为3个工作日"),
        (1, "Created"),
    ]

    # The application filed before keeps version 1: its name, its limit, its four materials.
    kept = ok(enterprise.get(f"{APPLICATIONS}{before['id']}/"))
    assert (kept["version"], kept["item_name"], kept["limit_days"]) == (1, "企业投资项目备案", 5)
    assert [x["name"] for x in kept["materials"]] == ["申请表", "营业执照", "项目可行性研究报告", "授权委托书"]
    # One filed now is under version 2.
    after = ok(post(enterprise, APPLICATIONS, {"item": item.code}), 201)
    assert (after["version"], after["item_name"], after["limit_days"]) == (2, "企业投资项目备案（告知承诺制）", 3)
    assert [x["name"] for x in after["materials"]] == ["申请表", "承诺书", "营业执照"]

    old = ok(enterprise.get(f"{ITEMS}{item.pk}/versions/1/"))
    assert (old["item"], old["number"], old["name"], old["promised_limit"]) == (item.code, 1, "企业投资项目备案", 5)
    assert [x["id"] for x in old["materials"]] == [
        m["申请表"],
        m["营业执照"],
        m["项目可行性研究报告"],
        m["授权委托书"],
    ]
    assert ok(enterprise.get(f"{ITEMS}{item.pk}/versions/2/"))["change_note"] == "承诺时限压缩为3个工作日"
    assert enterprise.get(f"{ITEMS}{item.pk}/versions/3/").status_code == 404


def test_an_edit_is_refused_when_nothing_changes_or_by_another_department(catalogue, api, u):
    url = f"{ITEMS}{catalogue.item_a.pk}/"
    assert refusal(api(u.dept_a).patch(url, {"promised_limit": 5}, format="json")) == (
        "Nothing changed: no new version was made."
    )
    assert refusal(api(u.dept_b).patch(url, {"promised_limit": 4}, format="json")) == (
        "You may not edit this department's items."
    )
    assert refusal(api(u.officer_a).patch(url, {"promised_limit": 4}, format="json"), 403) == FORBIDDEN
    assert api(u.dept_a).put(url, {"promised_limit": 4}, format="json").status_code == 405
    assert api(u.admin).delete(url).status_code == 405
    assert catalogue.item_a.versions.count() == 1


def test_an_item_is_suspended_resumed_and_cancelled_with_a_reason(catalogue, api, u):
    item, dept = catalogue.item_a, api(u.dept_a)
    url = f"{ITEMS}{item.pk}/status/"
    assert refusal(post(dept, url, {"status": "suspended"})) == "Give the reason for suspending or cancelling the item."
    row = ok(post(dept, url, {"status": "suspended", "reason": "系统升级"}))
    assert (row["status"], row["status_reason"]) == ("suspended", "系统升级")
    refused = post(api(u.ent_a), APPLICATIONS, {"item": item.code})
    assert refusal(refused) == "企业投资项目备案 is Suspended: it takes no applications."
    assert ok(post(dept, url, {"status": "active"}))["status"] == "active"
    assert refusal(post(api(u.dept_b), url, {"status": "cancelled", "reason": "取消"})) == (
        "You may not edit this department's items."
    )
    assert ok(post(dept, url, {"status": "cancelled", "reason": "省政府决定取消"}))["status"] == "cancelled"
    assert refusal(post(dept, url, {"status": "active"})) == "A cancelled item cannot be changed."
    assert refusal(api(u.dept_a).patch(f"{ITEMS}{item.pk}/", {"fees": "不收费"}, format="json")) == (
        "A cancelled item cannot be edited."
    )


# --- The whole life of an application ----------------------------------------------------------------------------


def test_an_application_through_its_whole_life_by_the_api(catalogue, api, freeze, zone, u, m):
    enterprise, window = api(u.ent_a), api(u.dept_a)
    freeze(date(2025, 3, 3))  # a Monday
    filed = ok(
        post(
            enterprise,
            APPLICATIONS,
            {"item": "330100-A-001", "title": "年产5万吨氟材料项目", "provided": [m["申请表"], m["营业执照"]]},
        ),
        201,
    )
    url = f"{APPLICATIONS}{filed['id']}/"
    assert (filed["state"], filed["applicant"], filed["agent"], filed["light"]) == ("received", "ent_a", None, "")
    assert filed["number"].startswith("SP20250303")
    assert {x["name"]: x["status"] for x in filed["materials"]}["申请表"] == "provided"

    # The window finds the feasibility study missing: ONE notice lists it; the optional power of attorney is not.
    checked = ok(post(window, f"{url}check/", {"provided": [m["申请表"], m["营业执照"]]}))
    assert (checked["state"], checked["accepted_on"]) == ("correcting", None)
    assert len(checked["notices"]) == 1
    notice = checked["notices"][0]
    assert notice["materials"] == [m["项目可行性研究报告"]]
    assert "项目可行性研究报告" in notice["text"]
    assert "授权委托书" not in notice["text"]
    assert (notice["issued_on"], notice["issued_by"], notice["after_acceptance"]) == ("2025-03-03", "dept_a", False)
    seen = ok(enterprise.get(url))
    assert seen["notices"] == checked["notices"]
    assert {x["name"]: x["status"] for x in seen["materials"]}["项目可行性研究报告"] == "missing"
    assert Notification.objects.filter(user=u.ent_a, text__contains="one-time notice").exists()

    # The enterprise supplies it; the window checks again and accepts: day 1 is the next working day.
    freeze(date(2025, 3, 4))
    supplied = ok(post(enterprise, f"{url}supply/", {"materials": [m["项目可行性研究报告"]]}))
    assert supplied["state"] == "received"
    accepted = ok(post(window, f"{url}check/"))
    assert (accepted["state"], accepted["accepted_on"]) == ("accepted", "2025-03-04")
    assert (accepted["due_on"], accepted["due_provisional"], accepted["light"]) == ("2025-03-11", False, "green")
    assert accepted["remaining_working_days"] == 5
    assert len(accepted["notices"]) == 1

    freeze(date(2025, 3, 5))
    assigned = ok(post(window, f"{url}assign/", {"assignee": "dept_a", "note": "请审核"}))
    assert (assigned["state"], assigned["assignee"]) == ("processing", "dept_a")

    # Expert review stops the clock from Thursday 6 March; it runs again on Wednesday 12 March.
    freeze(date(2025, 3, 6))
    paused = ok(post(window, f"{url}pause/", {"kind": "expert_review", "reason": "组织专家评审"}))
    assert (paused["state"], paused["light"], paused["remaining_working_days"]) == ("special", "paused", None)
    freeze(date(2025, 3, 12))
    resumed = ok(post(window, f"{url}resume/", {"note": "评审通过"}))
    assert resumed["state"] == "processing"
    assert resumed["pauses"] == [
        {
            "kind": "expert_review",
            "kind_label": "Expert review (专家评审)",
            "started_on": "2025-03-06",
            "ended_on": "2025-03-11",
            "reason": "组织专家评审",
        }
    ]
    # Counted: 5 (1), 12 (2), 13 (3), 14 (4), 17 March (5); the 4 working days 6, 7, 10 and 11 are paused.
    assert (resumed["due_on"], resumed["paused_working_days"], resumed["remaining_working_days"]) == (
        "2025-03-17",
        4,
        3,
    )

    freeze(date(2025, 3, 14))
    done = ok(post(window, f"{url}complete/", {"outcome": "approved", "certificate_no": "浙经信备〔2025〕12号"}))
    assert (done["state"], done["outcome"], done["certificate_no"]) == ("completed", "approved", "浙经信备〔2025〕12号")
    assert (done["completed_on"], done["working_days_used"], done["on_time"]) == ("2025-03-14", 4, True)
    assert (done["light"], done["remaining_working_days"]) == ("", None)

    # 不满意: a rectification task for the department, due in 10 working days.
    freeze(date(2025, 3, 17))
    rated = ok(post(enterprise, f"{url}rate/", {"level": 2, "comment": "窗口告知不清楚，跑了两次"}))
    review = rated["review"]
    assert (review["level"], review["level_label"], review["rated_by"]) == (2, "Dissatisfied (不满意)", "ent_a")
    assert review["rectification"]["due_on"] == "2025-03-31"
    assert review["rectification"]["is_open"] is True

    tasks = rows(api(u.dept_a).get(RECTIFICATIONS))
    assert [(t["application"], t["level"], t["comment"]) for t in tasks] == [
        (filed["id"], 2, "窗口告知不清楚，跑了两次")
    ]
    freeze(date(2025, 3, 20))
    answered = ok(post(window, f"{RECTIFICATIONS}{tasks[0]['id']}/answer/", {"answer": "已修订一次性告知模板"}))
    assert (answered["is_open"], answered["answered_on"], answered["answered_by"]) == (False, "2025-03-20", "dept_a")

    # The enterprise sees the answer, on the application and in its tasks.
    final = ok(enterprise.get(url))
    assert final["review"]["rectification"]["answer"] == "已修订一次性告知模板"
    assert rows(enterprise.get(RECTIFICATIONS))[0]["answer"] == "已修订一次性告知模板"
    assert [s["action"] for s in final["steps"]] == [
        "file",
        "notice",
        "supply",
        "accept",
        "assign",
        "pause",
        "resume",
        "complete",
    ]
    assert [(s["from_state"], s["to_state"]) for s in final["steps"]][-1] == ("processing", "completed")


# --- Filing ----------------------------------------------------------------------------------------------------


def test_the_officer_files_as_agent_only_for_an_enterprise_they_serve(catalogue, api, zone, u):
    officer = api(u.officer_a)
    filed = ok(post(officer, APPLICATIONS, {"item": catalogue.item_a.code, "enterprise": zone.ent_a.pk}), 201)
    assert (filed["enterprise"], filed["applicant"], filed["agent"]) == (zone.ent_a.pk, "officer_a", "officer_a")
    assert Application.objects.get(pk=filed["id"]).is_agent_filing
    assert [s["note"] for s in filed["steps"]] == ["Filed by the approval agent (代办)"]
    # Enterprise A sees it, and the officer finds it among those they filed as agent.
    assert filed["id"] in ids(api(u.ent_a).get(APPLICATIONS))
    assert ids(officer.get(APPLICATIONS, {"agent": "me"})) == {filed["id"]}
    assert ids(api(u.officer_b).get(APPLICATIONS, {"agent": "me"})) == set()

    refused = post(officer, APPLICATIONS, {"item": catalogue.item_a.code, "enterprise": zone.ent_b.pk})
    assert refused.status_code == 400
    assert refused.json() == {"enterprise": [f"You cannot file for an enterprise with the id “{zone.ent_b.pk}”."]}
    missing = post(officer, APPLICATIONS, {"item": catalogue.item_a.code})
    assert missing.json() == {"enterprise": ["Choose the enterprise."]}
    assert Application.objects.filter(enterprise=zone.ent_b).count() == 0


def test_an_enterprise_files_for_itself_and_other_roles_do_not_file(catalogue, api, zone, u, m):
    own = ok(post(api(u.ent_b), APPLICATIONS, {"item": str(catalogue.item_b.pk), "title": "环评"}), 201)
    assert (own["enterprise"], own["agent"], own["department"], own["item"]) == (
        zone.ent_b.pk,
        None,
        zone.dept_b.code,
        "330100-B-001",
    )
    other = post(api(u.ent_b), APPLICATIONS, {"item": catalogue.item_b.code, "enterprise": zone.ent_a.pk})
    assert "enterprise" in other.json()
    for user in (u.dept_a, u.leader, u.expert_a):
        assert refusal(post(api(user), APPLICATIONS, {"item": catalogue.item_a.code}), 403) == FORBIDDEN
    unknown = post(api(u.ent_a), APPLICATIONS, {"item": "NO-SUCH-ITEM"})
    assert unknown.json() == {"item": ["No approval item has the code or id “NO-SUCH-ITEM”."]}
    wrong = post(api(u.ent_a), APPLICATIONS, {"item": catalogue.item_a.code, "provided": [m["环境影响报告书"]]})
    assert refusal(wrong) == "Some materials handed in are not materials of this item."
    # The administrator files for any enterprise (not as an agent).
    admin = ok(post(api(u.admin), APPLICATIONS, {"item": catalogue.item_a.code, "enterprise": zone.ent_b.pk}), 201)
    assert (admin["applicant"], admin["agent"]) == ("admin", None)


def test_filing_takes_the_day_received_but_never_a_future_one(catalogue, api, freeze, u):
    freeze(date(2025, 3, 10))
    client = api(u.ent_a)
    row = ok(post(client, APPLICATIONS, {"item": catalogue.item_a.code, "received_on": "2025-03-07"}), 201)
    assert row["received_on"] == "2025-03-07"
    future = post(client, APPLICATIONS, {"item": catalogue.item_a.code, "received_on": "2025-03-11"})
    assert refusal(future) == "A step cannot be dated in the future."


# --- Each action: its happy path and a refusal ------------------------------------------------------------------


def test_check_with_everything_accepts_and_a_second_check_is_refused(catalogue, file_application, api, freeze, u):
    freeze(date(2025, 3, 3))
    application = file_application(catalogue.item_a, provided="none")
    row = ok(
        act(api(u.dept_a), application, "check", {"provided": [m.pk for m in application.version.materials.all()]})
    )
    assert (row["state"], row["accepted_on"], row["due_on"]) == ("accepted", "2025-03-03", "2025-03-10")
    assert {x["status"] for x in row["materials"]} == {"provided"}
    assert refusal(act(api(u.dept_a), application, "check")) == (
        "Only a received application is checked (this one is Accepted (已受理))."
    )


def test_check_accepts_with_a_tolerable_material_promised_and_refuses_to_promise_another(
    catalogue, file_application, api, freeze, u, m
):
    freeze(date(2025, 3, 3))
    application = file_application(catalogue.item_a, provided=["申请表", "营业执照"])
    window = api(u.dept_a)
    body = {"promised": [{"material": m["申请表"], "by": "2025-03-20"}]}
    assert refusal(act(window, application, "check", body)) == (
        "申请表 cannot be promised for later: it is not on the list of tolerable (容缺) materials."
    )
    body = {"promised": [{"material": m["项目可行性研究报告"], "by": "2025-03-20"}]}
    row = ok(act(window, application, "check", body))
    assert row["state"] == "accepted"
    promised = {x["name"]: x for x in row["materials"]}["项目可行性研究报告"]
    assert (promised["status"], promised["promised_by"]) == ("promised", "2025-03-20")
    # Approval waits for the promised material.
    ok(act(window, application, "assign", {"assignee": u.dept_a.pk}))
    freeze(date(2025, 3, 5))
    assert refusal(act(window, application, "complete", {"outcome": "approved", "certificate_no": "X-1"})) == (
        "Promised materials are still awaited: 项目可行性研究报告. Record them as supplied before approving."
    )
    ok(act(api(u.officer_a), application, "supply", {"materials": [m["项目可行性研究报告"]]}))
    assert ok(act(window, application, "complete", {"outcome": "approved", "certificate_no": "X-1"}))["on_time"]


def test_reject_needs_a_reason_and_only_before_acceptance(catalogue, file_application, walk, api, freeze, u):
    freeze(date(2025, 3, 3))
    window = api(u.dept_a)
    application = file_application(catalogue.item_a)
    assert refusal(act(window, application, "reject")) == "Give the reason for not accepting the application."
    row = ok(act(window, application, "reject", {"reason": "不属于开发区受理范围"}))
    assert (row["state"], row["reason"], row["completed_on"], row["light"]) == (
        "rejected",
        "不属于开发区受理范围",
        "2025-03-03",
        "",
    )
    accepted = walk(file_application(catalogue.item_a), to="accepted")
    assert refusal(act(window, accepted, "reject", {"reason": "迟了"})) == (
        "Only an application not yet accepted can be declined (this one is Accepted (已受理))."
    )


def test_supply_is_refused_for_a_material_not_awaited(catalogue, file_application, walk, api, freeze, u, m):
    freeze(date(2025, 3, 3))
    application = walk(file_application(catalogue.item_a, provided=["申请表"]), to="correcting")
    client = api(u.ent_a)
    assert refusal(act(client, application, "supply", {"materials": [m["申请表"]]})) == "申请表 is not awaited."
    assert refusal(act(client, application, "supply")) == "Choose the materials supplied."
    row = ok(act(client, application, "supply", {"materials": [m["营业执照"]]}))
    assert row["state"] == "correcting"  # the feasibility study is still missing
    row = ok(act(client, application, "supply", {"materials": [m["项目可行性研究报告"]]}))
    assert row["state"] == "received"


def test_assign_goes_to_the_departments_own_staff_only(catalogue, file_application, walk, api, freeze, zone, u):
    freeze(date(2025, 3, 3))
    colleague = f.UserFactory(username="dept_a2", role=Role.DEPARTMENT, department=zone.dept_a)
    application = walk(file_application(catalogue.item_a), to="accepted")
    window = api(u.dept_a)
    assert refusal(act(window, application, "assign", {"assignee": "dept_b"})) == (
        f"dept_b is not on the staff of {zone.dept_a}."
    )
    assert act(window, application, "assign", {"assignee": "nobody"}).json() == {
        "assignee": ["No user has the code or id “nobody”."]
    }
    row = ok(act(window, application, "assign", {"assignee": "dept_a2"}))
    assert (row["state"], row["assignee"]) == ("processing", "dept_a2")
    assert row["steps"][-1]["assignee"] == "dept_a2"
    assert ids(api(colleague).get(APPLICATIONS, {"assignee": "me"})) == {application.pk}


def test_pause_needs_a_reason_and_for_a_correction_the_materials(catalogue, file_application, walk, api, freeze, u, m):
    freeze(date(2025, 3, 5))
    application = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="processing")
    window = api(u.dept_a)
    assert refusal(act(window, application, "pause", {"kind": "hearing"})) == "Give the reason for stopping the clock."
    assert refusal(act(window, application, "pause", {"kind": "correction", "reason": "补正"})) == (
        "List the materials to supply."
    )
    assert act(window, application, "pause", {"kind": "holiday", "reason": "x"}).status_code == 400
    row = ok(act(window, application, "pause", {"kind": "correction", "reason": "盖章不清", "missing": [m["申请表"]]}))
    assert (row["state"], row["light"]) == ("correcting", "paused")
    assert row["notices"][-1]["after_acceptance"] is True
    assert row["pauses"][0]["kind"] == "correction"
    assert refusal(act(window, application, "pause", {"kind": "hearing", "reason": "听证"})) == (
        "Only an application being processed can be paused (this one is Supplying materials (补正中))."
    )
    freeze(date(2025, 3, 7))
    row = ok(act(api(u.ent_a), application, "supply", {"materials": [m["申请表"]]}))
    assert (row["state"], row["pauses"][0]["ended_on"]) == ("processing", "2025-03-06")


def test_resume_only_ends_a_special_procedure(catalogue, file_application, walk, api, freeze, u):
    freeze(date(2025, 3, 10))
    application = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="processing")
    window = api(u.dept_a)
    assert refusal(act(window, application, "resume")).startswith(
        "Only an application in a special procedure is resumed this way"
    )
    ok(act(window, application, "pause", {"kind": "testing", "reason": "送检"}))
    assert ok(act(window, application, "resume"))["state"] == "processing"


def test_complete_approves_with_a_certificate_or_refuses_with_a_reason(
    catalogue, file_application, walk, api, freeze, u
):
    freeze(date(2025, 3, 5))
    window = api(u.dept_a)
    first = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="processing")
    assert refusal(act(window, first, "complete", {"outcome": "approved"})) == (
        "Give the number of the certificate or approval document."
    )
    assert refusal(act(window, first, "complete", {"outcome": "refused"})) == "Give the reason for the refusal."
    row = ok(act(window, first, "complete", {"outcome": "refused", "reason": "不符合产业政策"}))
    assert (row["state"], row["outcome"], row["reason"], row["certificate_no"]) == (
        "completed",
        "refused",
        "不符合产业政策",
        "",
    )
    assert refusal(act(window, first, "complete", {"outcome": "approved", "certificate_no": "A"})) == (
        "Only an accepted application being processed can be completed (this one is Completed (已办结))."
    )
    received = file_application(catalogue.item_a)
    assert refusal(act(window, received, "complete", {"outcome": "approved", "certificate_no": "A"})).startswith(
        "Only an accepted application being processed can be completed"
    )


def test_rate_only_a_completed_application_once_by_the_applicant_side(
    catalogue, file_application, walk, api, freeze, u
):
    freeze(date(2025, 3, 10))
    running = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="processing")
    assert refusal(act(api(u.ent_a), running, "rate", {"level": 5})) == "Only a completed application can be rated."
    done = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="completed")
    assert refusal(act(api(u.dept_a), done, "rate", {"level": 5}), 403) == FORBIDDEN
    assert refusal(act(api(u.ent_a), done, "rate", {"level": 1})) == (
        "Tell the department what went wrong, so that it can put it right."
    )
    assert act(api(u.ent_a), done, "rate", {"level": 6}).status_code == 400
    row = ok(act(api(u.officer_a), done, "rate", {"level": 5, "comment": "很快"}))
    assert (row["review"]["level"], row["review"]["rated_by"], row["review"]["rectification"]) == (5, "officer_a", None)
    assert refusal(act(api(u.ent_a), done, "rate", {"level": 4})) == "This application has been rated already."
    assert not Rectification.objects.exists()


def test_a_role_that_sees_an_application_but_may_not_act_gets_403_and_one_outside_its_scope_404(
    catalogue, file_application, api, freeze, u
):
    freeze(date(2025, 3, 3))
    application = file_application(catalogue.item_a)
    for user in (u.leader, u.officer_a, u.ent_a):
        assert refusal(act(api(user), application, "check"), 403) == FORBIDDEN
        assert refusal(act(api(user), application, "assign", {"assignee": "dept_a"}), 403) == FORBIDDEN
    # Department B may act on applications, but not on department A's: it does not see them.
    assert act(api(u.dept_b), application, "check").status_code == 404
    assert act(api(u.ent_b), application, "supply", {"materials": [1]}).status_code == 404
    assert act(api(u.officer_b), application, "rate", {"level": 5}).status_code == 404
    assert Application.objects.get(pk=application.pk).state == S.RECEIVED


# --- Lists and filters -------------------------------------------------------------------------------------------


def test_the_application_list_filters(catalogue, file_application, walk, api, freeze, zone, u):
    freeze(date(2025, 4, 1))
    red = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="processing")  # due 10 March
    green = walk(file_application(catalogue.item_b, on=date(2025, 3, 31), enterprise=zone.ent_b), to="accepted")
    paused = walk(file_application(catalogue.item_a, on=date(2025, 3, 31)), to="special", on=date(2025, 4, 1))
    received = file_application(catalogue.item_a, on=date(2025, 3, 20), by=u.officer_a, title="新厂房")
    bundle = services.bundle_create(
        by=u.ent_b, enterprise=zone.ent_b, name="硅材料项目", items=[catalogue.item_b, catalogue.item_a]
    )
    bundled = set(bundle.applications.values_list("pk", flat=True))
    client = api(u.admin)
    assert ids(client.get(APPLICATIONS, {"light": "red"})) == {red.pk}
    assert ids(client.get(APPLICATIONS, {"light": "green"})) == {green.pk}
    assert ids(client.get(APPLICATIONS, {"light": "paused"})) == {paused.pk}
    assert ids(client.get(APPLICATIONS, {"state": "received"})) == {received.pk, *bundled}
    assert ids(client.get(APPLICATIONS, {"state": "special,processing"})) == {paused.pk, red.pk}
    assert ids(client.get(APPLICATIONS, {"department": zone.dept_b.code})) == {green.pk} | set(
        bundle.applications.filter(department=zone.dept_b).values_list("pk", flat=True)
    )
    assert ids(client.get(APPLICATIONS, {"item": catalogue.item_b.code, "enterprise": zone.ent_b.pk})) == {
        green.pk,
        *bundle.applications.filter(item=catalogue.item_b).values_list("pk", flat=True),
    }
    assert ids(client.get(APPLICATIONS, {"bundle": bundle.pk})) == bundled
    window = {"received_after": "2025-03-20", "received_before": "2025-03-31"}
    assert ids(client.get(APPLICATIONS, window)) == {green.pk, paused.pk, received.pk}
    assert ids(client.get(APPLICATIONS, {"agent": "officer_a"})) == {received.pk}
    assert ids(client.get(APPLICATIONS, {"q": "新厂房"})) == {received.pk}
    assert client.get(APPLICATIONS, {"light": "blue"}).status_code == 400
    # A filter never reaches beyond the scope.
    assert ids(api(u.ent_a).get(APPLICATIONS, {"enterprise": zone.ent_b.pk})) == set()
    listed = {row["id"]: row for row in rows(client.get(APPLICATIONS))}
    assert (listed[red.pk]["light"], listed[red.pk]["remaining_working_days"]) == ("red", -16)
    assert (listed[green.pk]["light"], listed[green.pk]["remaining_working_days"]) == ("green", 9)
    assert listed[paused.pk]["remaining_working_days"] is None


def test_a_deadline_running_into_an_unconfirmed_year_is_provisional(catalogue, file_application, api, freeze, u):
    freeze(date(2026, 12, 21))  # a Monday; 2027 has no State Council notice yet
    application = file_application(catalogue.item_b, enterprise=catalogue.zone.ent_b)
    row = ok(act(api(u.dept_b), application, "check"))
    # 22–25 Dec (4), 28–31 Dec (8), Friday 1 Jan 2027 counted as a weekday (9), Monday 4 Jan (10).
    assert (row["accepted_on"], row["due_on"], row["due_provisional"]) == ("2026-12-21", "2027-01-04", True)
    assert row["remaining_working_days"] == 10
    short = file_application(catalogue.item_a, enterprise=catalogue.zone.ent_a)
    row = ok(act(api(u.dept_a), short, "check"))
    assert (row["due_on"], row["due_provisional"]) == ("2026-12-28", False)


# --- Parallel approval ------------------------------------------------------------------------------------------


def test_a_parallel_approval_is_done_when_all_its_applications_are_and_reports_its_total(
    catalogue, api, freeze, zone, u
):
    freeze(date(2025, 3, 3))
    body = {"name": "年产5万吨氟材料项目", "items": [catalogue.item_a.code, catalogue.item_b.code]}
    bundle = ok(post(api(u.ent_a), BUNDLES, body), 201)
    assert (bundle["enterprise"], bundle["created_by"], bundle["started_on"]) == (zone.ent_a.pk, "ent_a", "2025-03-03")
    assert (bundle["done"], bundle["total_working_days"]) == (False, None)
    assert {(a["item"], a["department"], a["state"]) for a in bundle["applications"]} == {
        (catalogue.item_a.code, zone.dept_a.code, "received"),
        (catalogue.item_b.code, zone.dept_b.code, "received"),
    }
    by_item = {a["item"]: a["id"] for a in bundle["applications"]}
    a, b = (Application.objects.get(pk=by_item[i.code]) for i in (catalogue.item_a, catalogue.item_b))
    for application, staff in ((a, u.dept_a), (b, u.dept_b)):
        every = [m.pk for m in application.version.materials.all()]
        ok(act(api(staff), application, "check", {"provided": every}))
        ok(act(api(staff), application, "assign", {"assignee": staff.username}))
    freeze(date(2025, 3, 7))
    ok(act(api(u.dept_a), a, "complete", {"outcome": "approved", "certificate_no": "备-1"}))
    half = ok(api(u.ent_a).get(f"{BUNDLES}{bundle['id']}/"))
    assert half["done"] is False
    assert {x["item"]: x["done"] for x in half["applications"]} == {
        catalogue.item_a.code: True,
        catalogue.item_b.code: False,
    }
    freeze(date(2025, 3, 12))
    ok(act(api(u.dept_b), b, "complete", {"outcome": "approved", "certificate_no": "环评-1"}))
    done = ok(api(u.ent_a).get(f"{BUNDLES}{bundle['id']}/"))
    # From the first acceptance (3 March) to the last completion (12 March): 4, 5, 6, 7, 10, 11, 12.
    assert (done["done"], done["completed_on"], done["total_working_days"]) == (True, "2025-03-12", 7)
    assert ids(api(u.ent_a).get(BUNDLES, {"done": "true"})) == {bundle["id"]}
    assert ids(api(u.ent_a).get(BUNDLES, {"done": "false"})) == set()


def test_a_parallel_approval_is_refused_with_fewer_than_two_items_or_for_another_enterprise(catalogue, api, zone, u):
    one = post(api(u.ent_a), BUNDLES, {"name": "单项", "items": [catalogue.item_a.code]})
    assert refusal(one) == "A parallel approval bundles at least two items."
    other = post(api(u.officer_a), BUNDLES, {"name": "x", "enterprise": zone.ent_b.pk, "items": ["330100-A-001"]})
    assert "enterprise" in other.json()
    assert refusal(post(api(u.dept_a), BUNDLES, {"name": "x", "items": []}), 403) == FORBIDDEN
    assert not Application.objects.exists()


# --- Rectifications ---------------------------------------------------------------------------------------------


def test_a_rectification_is_answered_once_by_its_department(catalogue, file_application, walk, api, freeze, u):
    freeze(date(2025, 3, 10))
    done = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="completed")
    services.application_rate(application=done, by=u.ent_a, level=1, comment="一直没人接电话")
    task = Rectification.objects.get()
    url = f"{RECTIFICATIONS}{task.pk}/answer/"
    assert post(api(u.dept_b), url, {"answer": "x"}).status_code == 404
    assert refusal(post(api(u.ent_a), url, {"answer": "x"}), 403) == FORBIDDEN
    assert refusal(post(api(u.dept_a), url)) == "Write the answer."
    row = ok(post(api(u.dept_a), url, {"answer": "已增设咨询专线"}))
    assert (row["answer"], row["is_open"], row["level"]) == ("已增设咨询专线", False, 1)
    assert refusal(post(api(u.admin), url, {"answer": "再答"})) == "This rectification task has been answered already."
    assert ids(api(u.dept_a).get(RECTIFICATIONS, {"open": "true"})) == set()
    assert ids(api(u.dept_a).get(RECTIFICATIONS, {"open": "false"})) == {task.pk}


def test_an_unanswered_rectification_past_its_due_date_shows_overdue(catalogue, file_application, walk, api, freeze, u):
    freeze(date(2025, 3, 10))
    done = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="completed")
    services.application_rate(application=done, by=u.ent_a, level=2, comment="慢")
    row = rows(api(u.leader).get(RECTIFICATIONS))[0]
    assert (row["due_on"], row["overdue"]) == ("2025-03-24", False)
    freeze(date(2025, 3, 25))
    assert rows(api(u.leader).get(RECTIFICATIONS))[0]["overdue"] is True


# --- The year's figures and the overdue list --------------------------------------------------------------------


@pytest.fixture
def year_2025(catalogue, file_application, walk, freeze, zone):
    """March 2025: one on time (4 working days), one late (15), one not accepted, one running and red; a 2024 one."""
    freeze(date(2025, 4, 1))
    walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="completed", on=date(2025, 3, 7))
    walk(
        file_application(catalogue.item_b, on=date(2025, 3, 3), enterprise=zone.ent_b),
        to="completed",
        on=date(2025, 3, 24),
    )
    walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="rejected")
    red = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="processing")
    walk(file_application(catalogue.item_a, on=date(2024, 12, 2)), to="completed", on=date(2024, 12, 3))
    return red


def test_the_stats_answer_the_keys_the_issue_names_with_their_values(year_2025, api, zone, u):
    stats = ok(api(u.admin).get(STATS, {"year": 2025}))
    expected = {
        "items": 3,
        "departments": 2,
        "by_mode": {"entrusted": 1, "jurisdiction": 1, "seal_follow": 1, "agency": 0},
        "applications": 4,
        "completed": 2,
        "average_working_days": 9.5,
        "fastest_working_days": 4,
        "on_time_rate": 0.5,
    }
    assert {key: stats[key] for key in expected} == expected
    assert (stats["year"], stats["rejected"], stats["slowest_working_days"], stats["overdue"]) == (2025, 1, 15, 1)
    assert stats["lights"] == {"green": 0, "yellow": 0, "red": 1, "paused": 0}
    departments = {row["department"]: row for row in stats["by_department"]}
    assert (departments[zone.dept_a.code]["applications"], departments[zone.dept_a.code]["on_time_rate"]) == (3, 1.0)
    assert departments[zone.dept_b.code]["average_working_days"] == 15.0
    assert [row["applications"] for row in stats["by_month"]] == [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert {row["code"]: row["fastest_working_days"] for row in stats["by_item"]} == {
        "330100-A-001": 4,
        "330100-B-001": 15,
    }
    assert stats["comparison"]["pre_reform_average_days"] == 45.0  # (30 + 60) / 2, weighted by the timed cases
    assert set(stats) >= {"by_department", "by_item", "by_month", "comparison", "lights", "bundles"}
    assert ok(api(u.admin).get(STATS, {"year": 2024}))["applications"] == 1


def test_the_stats_count_only_what_the_user_sees_and_refuse_a_bad_year(year_2025, api, freeze, u):
    assert ok(api(u.ent_b).get(STATS, {"year": 2025}))["applications"] == 1
    assert ok(api(u.dept_a).get(STATS, {"year": "2025"}))["applications"] == 3
    expert = ok(api(u.expert_a).get(STATS, {"year": 2025}))
    assert (expert["items"], expert["applications"], expert["overdue"]) == (3, 0, 0)
    assert ok(api(u.admin).get(STATS))["year"] == 2025  # the clock stands on 1 April 2025
    for bad in ("25", "year", "1899", "2101", "２０２５", "-2025"):
        assert api(u.admin).get(STATS, {"year": bad}).status_code == 400, bad
    assert "year" in api(u.admin).get(STATS, {"year": "x"}).json()


def test_the_overdue_list_shows_the_red_applications_with_the_working_days_past_due(
    year_2025, catalogue, file_application, walk, api, freeze, zone, u
):
    later = walk(file_application(catalogue.item_b, on=date(2025, 3, 24), enterprise=zone.ent_b), to="processing")
    # item B: 10 working days from 24 March, over 清明 (Friday 4 April): 8 April, not yet due on 1 April.
    assert later.due_on == date(2025, 4, 8)
    listed = rows(api(u.leader).get(OVERDUE))
    # Due 10 March (3 March + 5); 11 March … 1 April are 16 working days.
    assert [(r["id"], r["due_on"], r["overdue_working_days"], r["light"]) for r in listed] == [
        (year_2025.pk, "2025-03-10", 16, "red")
    ]
    assert rows(api(u.dept_b).get(OVERDUE)) == []
    assert rows(api(u.expert_a).get(OVERDUE)) == []
    freeze(date(2025, 4, 9))
    listed = rows(api(u.admin).get(OVERDUE))
    assert [(r["id"], r["overdue_working_days"]) for r in listed] == [(year_2025.pk, 21), (later.pk, 1)]
    assert [r["id"] for r in rows(api(u.admin).get(OVERDUE, {"department": zone.dept_b.code}))] == [later.pk]


# --- Query budgets ----------------------------------------------------------------------------------------------


def queries_of(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


@pytest.fixture
def many(catalogue, file_application, walk, freeze, zone, u):
    """``many(n)``: n applications in several states, with bundles, ratings and rectifications among them."""
    freeze(date(2025, 4, 1))

    def make(n: int) -> None:
        for i in range(n):
            enterprise = zone.ent_a if i % 2 else zone.ent_b
            item = catalogue.item_a if i % 2 else catalogue.item_b
            application = file_application(item, enterprise=enterprise, on=date(2025, 3, 3), by=None)
            to = ("completed", "received", "accepted", "processing", "special")[i % 5]
            application = walk(application, to=to)
            if to == "completed":
                by = u.ent_a if enterprise == zone.ent_a else u.ent_b
                services.application_rate(application=application, by=by, level=2, comment="慢")
        for _ in range(max(1, n // 10)):
            services.bundle_create(
                by=u.ent_a, enterprise=zone.ent_a, name="项目", items=[catalogue.item_a, catalogue.item_b]
            )

    return make


ENDPOINTS = [ITEMS, APPLICATIONS, BUNDLES, RECTIFICATIONS, OVERDUE, STATS]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_costs_as_many_queries_with_30_rows_as_with_3(many, api, u, endpoint):
    client = api(u.admin)
    many(3)
    client.get(endpoint)  # warm the calendar's cache
    few = queries_of(client, endpoint)
    many(27)
    assert queries_of(client, endpoint) == few


def test_the_list_of_30_applications_stays_within_its_budget(many, api, u, django_assert_max_num_queries):
    many(30)
    client = api(u.leader)
    with django_assert_max_num_queries(10):
        response = client.get(APPLICATIONS, {"page_size": 100})
    assert response.json()["count"] >= 30
    with django_assert_max_num_queries(10):
        client.get(OVERDUE)
    with django_assert_max_num_queries(10):
        client.get(BUNDLES)
    with django_assert_max_num_queries(10):
        client.get(RECTIFICATIONS)


def test_a_detail_costs_a_fixed_number_of_queries(catalogue, file_application, walk, api, freeze, u):
    freeze(date(2025, 3, 20))
    application = walk(file_application(catalogue.item_a, on=date(2025, 3, 3)), to="completed")
    services.application_rate(application=application, by=u.ent_a, level=2, comment="慢")
    client = api(u.ent_a)
    client.get(f"{APPLICATIONS}{application.pk}/")
    # The token, the application (with its item, version, department, enterprise, people, rating and
    # rectification), then one each: materials, notices, their materials (when there is a notice), pauses, steps.
    assert queries_of(client, f"{APPLICATIONS}{application.pk}/") <= 7
    # The token, the item with its current version, its materials, its versions.
    assert queries_of(client, f"{ITEMS}{catalogue.item_a.pk}/") == 4


def test_notices_are_one_per_check_however_many_materials_are_missing(catalogue, file_application, api, freeze, u):
    freeze(date(2025, 3, 3))
    application = file_application(catalogue.item_a, provided="none")
    row = ok(act(api(u.dept_a), application, "check"))
    assert Notice.objects.filter(application=application).count() == 1
    assert sorted(row["notices"][0]["materials"]) == sorted(
        m.pk for m in application.version.materials.all() if m.required
    )


# --- The schema -------------------------------------------------------------------------------------------------


def test_the_stats_answer_has_exactly_the_documented_shape(year_2025, api, u):
    from hitechzone.approvals.serializers import ApprovalStatsSerializer

    stats = ok(api(u.admin).get(STATS, {"year": 2025}))
    documented = ApprovalStatsSerializer().fields
    assert set(stats) == set(documented)
    for key in ("by_department", "by_item", "by_month"):
        assert set(stats[key][0]) == set(documented[key].child.fields), key
    for key in ("lights", "comparison", "bundles"):
        assert set(stats[key]) == set(documented[key].fields), key


def test_the_schema_documents_the_approval_endpoints(catalogue, api, u):
    paths = ok(api(u.admin).get("/api/v1/schema/", {"format": "json"}))["paths"]
    for path, method in [
        ("/api/v1/approval-items/", "post"),
        ("/api/v1/approval-items/{id}/", "patch"),
        ("/api/v1/approval-items/{id}/status/", "post"),
        ("/api/v1/approval-items/{id}/versions/{number}/", "get"),
        ("/api/v1/applications/", "post"),
        ("/api/v1/applications/{id}/check/", "post"),
        ("/api/v1/applications/{id}/rate/", "post"),
        ("/api/v1/approval-bundles/", "post"),
        ("/api/v1/rectifications/{id}/answer/", "post"),
        ("/api/v1/approvals/stats/", "get"),
        ("/api/v1/approvals/overdue/", "get"),
    ]:
        assert method in paths[path], path
    filters = {p["name"] for p in paths["/api/v1/applications/"]["get"]["parameters"]}
    assert filters >= {"state", "light", "department", "item", "enterprise", "bundle", "agent", "received_after"}
