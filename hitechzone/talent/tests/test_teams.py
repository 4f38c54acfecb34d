"""Team applications: submitted through the API per the contract, then the workflow — formal check (sent back once
with the missing items), the review outcome, approval or rejection with reasons, agreement, incubation, graduation
— every step dated, by whom, and audited."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.talent import services
from hitechzone.talent.models import TeamApplication, TeamMember, TeamStep

URL = "/api/v1/talent/team-applications/"
BODY = {
    "team_name": "氟硅新材料团队",
    "leader_name": "张教授",
    "members": [
        {"name": "张教授", "degree": "phd", "programme": "省千人计划"},
        {"name": "李博士", "degree": "phd", "programme": ""},
        {"name": "王工", "degree": "master", "programme": ""},
    ],
    "project": "含氟电子化学品",
    "field": "新材料",
    "registered_capital_wan_yuan": "500",
    "planned_investment_wan_yuan": "2000",
}


def _submit(zone):
    return services.team_apply(
        by=zone.users.ent_a,
        members=[dict(m) for m in BODY["members"]],
        enterprise=zone.ent_a,
        **{k: v for k, v in BODY.items() if k != "members"},
    )


def test_an_enterprise_submits_a_team_application_per_the_contract(zone, office, api_as):
    answer = api_as(zone.users.ent_a).post(URL, BODY, format="json")
    assert answer.status_code == 201, answer.json()
    application = TeamApplication.objects.get()
    assert application.status == "submitted"
    assert [m.name for m in application.members.all()] == ["张教授", "李博士", "王工"]
    assert answer.json()["steps"][0]["to_status"] == "submitted"


def test_a_bad_application_is_refused_naming_every_bad_field_and_nothing_is_written(zone, office, api_as):
    body = {**BODY, "registered_capital_wan_yuan": "-5", "members": [{"name": "", "degree": "doctor"}]}
    answer = api_as(zone.users.ent_a).post(URL, body, format="json")
    assert answer.status_code == 400
    assert {"registered_capital_wan_yuan", "members"} <= set(answer.json())
    assert not TeamApplication.objects.exists()
    assert not TeamMember.objects.exists()


def _step(api, application, action, **body):
    return api.post(f"{URL}{application.pk}/step/", {"action": action, **body}, format="json")


def test_the_formal_check_sends_an_application_back_once_with_the_missing_items(zone, office, api_as):
    application = _submit(zone)
    desk, team = api_as(office), None
    sent = _step(desk, application, "send_back", note="营业执照复印件\n博士学位证书")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "sent_back"
    assert sent.json()["missing_items"] == "营业执照复印件\n博士学位证书"
    team = api_as(zone.users.ent_a)
    assert _step(team, application, "resubmit").json()["status"] == "submitted"
    again = _step(api_as(office), application, "send_back", note="又缺材料")
    assert again.status_code == 400
    assert "一次" in again.json()["detail"]  # Chinese first: "once only"


def test_a_send_back_needs_the_list_of_missing_items(zone, office, api_as):
    answer = _step(api_as(office), _submit(zone), "send_back", note="")
    assert answer.status_code == 400
    assert "note" in answer.json()


def test_the_whole_road_to_graduation_is_dated_and_audited(zone, office, api_as):
    application = _submit(zone)
    desk, leader = api_as(office), None
    assert _step(desk, application, "accept").json()["status"] == "review"
    leader = api_as(zone.users.leader)
    assert _step(leader, application, "approve", note="专家评审通过").json()["status"] == "approved"
    desk = api_as(office)
    for action, status in (("sign", "agreement"), ("incubate", "incubating")):
        assert _step(desk, application, action).json()["status"] == status
    assert _step(desk, application, "graduate").status_code == 400  # names no enterprise
    done = _step(desk, application, "graduate", enterprise=zone.ent_a.pk).json()
    assert done["status"] == "graduated"
    steps = list(TeamStep.objects.filter(application=application).values_list("action", "to_status"))
    assert [a for a, _s in steps] == ["submit", "accept", "approve", "sign", "incubate", "graduate"]
    assert all(step.on for step in TeamStep.objects.filter(application=application))
    audited = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(TeamStep))
    assert audited.count() == len(steps)
    assert TeamApplication.objects.get().reason == "专家评审通过"


def test_a_rejection_states_its_reasons(zone, office, api_as):
    application = _submit(zone)
    _step(api_as(office), application, "accept")
    leader = api_as(zone.users.leader)
    assert _step(leader, application, "reject").status_code == 400
    rejected = _step(leader, application, "reject", note="市场前景不明")
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["reason"] == "市场前景不明"


@pytest.mark.parametrize("persona", ["ent_a", "dept_b"])
def test_an_applicant_or_another_department_cannot_pass_the_formal_check(zone, office, api_as, persona):
    application = _submit(zone)
    answer = _step(api_as(getattr(zone.users, persona)), application, "accept")
    assert answer.status_code in (400, 403)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_an_enterprise_sees_its_own_applications_only(zone, office, api_as):
    _submit(zone)
    assert api_as(zone.users.ent_b).get(URL).json()["count"] == 0
    assert api_as(zone.users.ent_a).get(URL).json()["count"] == 1


def test_the_page_flow_sends_back_and_the_team_sees_the_missing_items(zone, office, client):
    application = _submit(zone)
    client.force_login(office)
    client.post(f"/talent/teams/{application.pk}/", {"action": "send_back", "note": "身份证明材料"})
    client.force_login(zone.users.ent_a)
    page = client.get(f"/talent/teams/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "身份证明材料" in page
    assert 'data-testid="step-resubmit"' in page


def test_a_team_applies_on_the_page_with_its_members_one_a_line(zone, office, client):
    client.force_login(zone.users.ent_a)
    answer = client.post(
        "/talent/teams/new/",
        {
            "team_name": "光电团队",
            "leader_name": "赵博士",
            "members": "赵博士, PhD, 国家级人才计划\n钱工, Master's",
            "project": "激光器",
            "registered_capital_wan_yuan": "300",
            "planned_investment_wan_yuan": "1200",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 302, answer.context["form"].errors
    application = TeamApplication.objects.get()
    assert application.enterprise == zone.ent_a
    assert list(application.members.values_list("degree", flat=True)) == ["phd", "master"]


def test_the_team_list_page_and_endpoint_read_a_fixed_number_of_queries(zone, office, client, api_as):
    def count(url, fetch):
        with CaptureQueriesContext(connection) as queries:
            assert fetch(url).status_code == 200
        return len(queries)

    client.force_login(office)
    api = api_as(office)
    _submit(zone)
    few = (count("/talent/teams/", client.get), count(URL, api.get))
    for _i in range(4):
        _submit(zone)
    assert (count("/talent/teams/", client.get), count(URL, api.get)) == few


def test_the_money_is_kept_as_decimals(zone, office):
    application = _submit(zone)
    assert application.registered_capital_wan_yuan == Decimal("500")


def test_a_team_incubated_off_site_shows_on_its_incubator_to_those_who_see_it(zone, office, api_as, client):
    incubator = services.incubator_save(
        by=office, name="上海张江药谷孵化器", city="上海", location="张江药谷", floor_area_m2=Decimal(3000),
        investment_wan_yuan=Decimal(2000),
    )  # fmt: skip
    services.incubator_link(by=office, incubator=incubator, enterprise=zone.ent_a)  # ent_a came from there
    refused = api_as(zone.users.ent_b).post(URL, {**BODY, "incubator": incubator.pk}, format="json")
    assert refused.status_code == 400  # ent_b does not see this incubator: refused naming the field
    assert "incubator" in refused.json()
    answer = api_as(zone.users.ent_a).post(URL, {**BODY, "incubator": incubator.pk}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["incubator"] == incubator.pk
    application = TeamApplication.objects.get()
    assert application.incubator == incubator
    for user, shown in ((zone.users.ent_a, True), (office, True), (zone.users.officer_a, False)):
        client.force_login(user)
        page = client.get(f"/talent/incubators/{incubator.pk}/").content.decode()
        assert ('data-testid="incubator-team"' in page) is shown, user
    client.force_login(zone.users.ent_a)
    assert incubator.name in client.get(f"/talent/teams/{application.pk}/").content.decode()
