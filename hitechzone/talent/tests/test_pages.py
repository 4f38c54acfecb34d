"""The M6 pages: Chinese first and complete in English, the module's menu for the roles that may open it, the
incubator ↔ enterprise links on both sides, and the query budgets of the list pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.talent import services

PAGES = ("/talent/", "/talent/platforms/", "/talent/incubators/", "/talent/partners/", "/talent/talents/",
         "/talent/funds/", "/talent/grants/", "/talent/teams/", "/talent/talents/new/", "/talent/teams/new/",
         "/talent/platforms/new/", "/talent/incubators/new/", "/talent/partners/new/",
         "/talent/grants/new/")  # fmt: skip


@pytest.fixture
def records(zone, office):
    incubator = services.incubator_save(
        by=office, name="杭州未来科技城孵化器", city="杭州", location="未来科技城", floor_area_m2=Decimal(2000),
        investment_wan_yuan=Decimal(1500), teams_incubated=4,
    )  # fmt: skip
    services.incubator_link(by=office, incubator=incubator, enterprise=zone.ent_a)
    services.platform_save(by=office, name="博士后工作站", kind="postdoc", level="provincial")
    services.partner_save(by=office, name="某理工大学", kind="university", agreement_signed_on="2021-03-01")
    fund = services.fund_save(by=office, name="创新基金", year=2025, budget_wan_yuan=Decimal(1000))
    services.grant_apply(
        by=office, fund=fund, recipient_enterprise=zone.ent_a, amount_wan_yuan=Decimal(50), purpose="研发"
    )
    return incubator


@pytest.mark.parametrize("url", PAGES)
def test_every_page_of_the_talent_office_opens_in_chinese_and_in_english(zone, records, client, url):
    client.force_login(zone.users.dept_a)
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 200
    assert 'lang="zh-hans"' in chinese.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_the_overview_is_in_chinese_first(zone, records, client):
    client.force_login(zone.users.leader)
    page = client.get("/talent/").content.decode()
    assert "创新驱动" in page or "人才" in page
    assert "Innovation and talent" not in page


def test_the_menu_offers_the_module_to_its_roles_and_to_experts_for_their_reviews(zone, office, client):
    for persona, shown in (("leader", True), ("ent_a", True), ("officer_a", True), ("expert_a", True)):
        client.force_login(getattr(zone.users, persona))
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()
        assert ('href="/talent/"' in page) is shown, persona


def test_another_department_does_not_see_the_office_pages_in_its_module_menu(zone, office, client):
    client.force_login(zone.users.dept_b)
    page = client.get("/talent/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-nav="platforms"' in page
    assert 'data-nav="talents"' not in page
    assert client.get("/talent/talents/").status_code == 403


def test_an_incubator_link_shows_on_the_incubator_and_on_the_enterprise(zone, records, client):
    client.force_login(zone.users.ent_a)
    enterprise_page = client.get(f"/enterprises/{zone.ent_a.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "杭州未来科技城孵化器" in enterprise_page
    assert 'data-testid="enterprise-grant"' in enterprise_page
    incubator_page = client.get(f"/talent/incubators/{records.pk}/").content.decode()
    assert zone.ent_a.name in incubator_page


def test_the_talent_office_links_an_enterprise_on_the_incubator_page(zone, records, client):
    client.force_login(zone.users.dept_a)
    answer = client.post(f"/talent/incubators/{records.pk}/", {"enterprise": zone.ent_b.pk, "moved_on": "2025-04-01"})
    assert answer.status_code == 302
    assert records.enterprise_links.count() == 2
    again = client.post(f"/talent/incubators/{records.pk}/", {"enterprise": zone.ent_b.pk})
    assert again.status_code == 200
    assert 'data-testid="form-error"' in again.content.decode()


def test_an_officer_sees_only_his_enterprises_among_an_incubators_links(zone, records, client):
    client.force_login(zone.users.officer_b)
    page = client.get(f"/talent/incubators/{records.pk}/").content.decode()
    assert zone.ent_a.name not in page


def test_a_platform_form_with_a_missing_name_writes_nothing_and_says_so(zone, office, client):
    from hitechzone.talent.models import Platform

    client.force_login(office)
    answer = client.post("/talent/platforms/new/", {"kind": "postdoc", "level": "city", "status": "active"})
    assert answer.status_code == 200
    assert "invalid-feedback" in answer.content.decode()
    assert not Platform.objects.exists()


@pytest.mark.parametrize("url", ["/talent/platforms/", "/talent/incubators/", "/talent/partners/", "/talent/"])
def test_a_list_page_reads_a_fixed_number_of_queries(zone, records, client, url):
    client.force_login(zone.users.leader)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    office = zone.users.dept_a
    for i in range(4):
        incubator = services.incubator_save(
            by=office, name=f"孵化器{i}", city="上海", location="张江", floor_area_m2=Decimal(1),
            investment_wan_yuan=Decimal(1), teams_incubated=1,
        )  # fmt: skip
        services.incubator_link(by=office, incubator=incubator, enterprise=zone.ent_b)
        services.platform_save(by=office, name=f"平台{i}", kind="institute", level="city")
        services.partner_save(by=office, name=f"院校{i}", kind="institute", agreement_signed_on="2022-01-01")
    assert count() == few
