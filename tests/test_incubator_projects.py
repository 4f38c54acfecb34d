"""Issue 15, point 2: the investment projects (M3) that moved from an off-site incubator (M6) into the zone, each link
shown on both sides — through the registry ``common.subjects``: M6 and M3 never import each other
(docs/0016-subjects.md).

Project A's investor is enterprise A's, project B's enterprise B's; enterprise A came from the incubator (so its
users see the incubator), enterprise B did not.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.common.models import AuditEvent
from hitechzone.common.subjects import subject_key, subject_search, subject_visible
from hitechzone.projects import services as projects
from hitechzone.talent import links
from hitechzone.talent import services as talent
from hitechzone.talent.models import IncubatorProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(zone):
    admin = zone.users.admin
    talent.talent_office_set(by=admin, department=zone.dept_a)
    incubator = talent.incubator_save(
        by=admin, name="上海张江飞地孵化器", city="上海", location="张江药谷", floor_area_m2=Decimal(3000),
        investment_wan_yuan=Decimal(2000), teams_incubated=6,
    )  # fmt: skip
    talent.incubator_link(by=admin, incubator=incubator, enterprise=zone.ent_a)
    out = {"incubator": incubator}
    for side, enterprise in (("a", zone.ent_a), ("b", zone.ent_b)):
        investor = projects.investor_create(by=admin, name=f"投资方{side}", enterprise=enterprise)
        out[f"project_{side}"] = projects.project_create(
            by=admin, name=f"创新药项目{side}", investor=investor, officer=zone.users.officer_a,
            land_mu=Decimal(20), industry_code="C2710",
        )  # fmt: skip
    return out


def _link(zone, world, side, **fields):
    return links.incubator_project_link(
        by=zone.users.admin, incubator=world["incubator"], project=subject_key(world[f"project_{side}"]), **fields
    )


# --- The registry ---------------------------------------------------------------------------------------------------


def test_the_project_module_offers_only_the_projects_the_user_sees(zone, world):
    key_a, key_b = subject_key(world["project_a"]), subject_key(world["project_b"])
    assert {s.key for s in subject_search(zone.users.admin, "projects.project")} == {key_a, key_b}
    assert [s.key for s in subject_search(zone.users.ent_a, "projects.project")] == [key_a]
    assert subject_search(zone.users.dept_a, "projects.project") == []
    assert subject_visible(zone.users.ent_a, key_a).url == f"/projects/{world['project_a'].pk}/"
    assert subject_visible(zone.users.ent_a, key_b) is None
    assert subject_visible(zone.users.admin, "projects.project:999999") is None
    assert subject_visible(zone.users.admin, "nonsense") is None


# --- The service ----------------------------------------------------------------------------------------------------


def test_an_administrator_links_a_project_once_and_the_link_is_audited(zone, world):
    link = _link(zone, world, "a", moved_on="2025-03-01", note="中试后落地")
    assert link.project == subject_key(world["project_a"])
    assert AuditEvent.objects.filter(object_id=str(link.pk), action="create").exists()
    with pytest.raises(links.Refused, match=r"创新药项目a"):
        _link(zone, world, "a")
    assert IncubatorProject.objects.count() == 1


@pytest.mark.parametrize("persona", ["dept_a", "officer_a", "leader", "ent_a"])
def test_whoever_may_not_write_or_may_not_see_the_project_is_refused_and_nothing_is_written(zone, world, persona):
    with pytest.raises(links.Refused):
        links.incubator_project_link(
            by=getattr(zone.users, persona), incubator=world["incubator"], project=subject_key(world["project_a"])
        )
    assert not IncubatorProject.objects.exists()


def test_the_talent_office_is_told_it_may_not_name_a_project_it_does_not_see(zone, world):
    with pytest.raises(talent.FieldErrors) as refused:
        links.incubator_project_link(
            by=zone.users.dept_a, incubator=world["incubator"], project=subject_key(world["project_a"])
        )
    assert "project" in refused.value.errors


@pytest.mark.parametrize("key", ["", "projects.project:", "projects.project:abc", "talent.incubator:1", "x" * 80])
def test_a_key_that_names_no_project_is_refused(zone, world, key):
    with pytest.raises(talent.FieldErrors):
        links.incubator_project_link(by=zone.users.admin, incubator=world["incubator"], project=key)
    assert not IncubatorProject.objects.exists()


def test_unlinking_removes_the_link_and_is_audited(zone, world):
    link = _link(zone, world, "a")
    links.incubator_project_unlink(by=zone.users.admin, link=link)
    assert not IncubatorProject.objects.exists()
    assert AuditEvent.objects.filter(object_id=str(link.pk), action="delete").exists()


# --- Both sides -----------------------------------------------------------------------------------------------------


def test_the_incubator_page_shows_each_viewer_only_the_projects_he_sees(zone, world, client):
    _link(zone, world, "a")
    _link(zone, world, "b")
    url = f"/talent/incubators/{world['incubator'].pk}/"
    client.force_login(zone.users.admin)
    page = client.get(url).content.decode()
    assert "创新药项目a" in page
    assert "创新药项目b" in page
    assert 'data-testid="incubator-project-form"' in page
    client.force_login(zone.users.ent_a)
    page = client.get(url).content.decode()
    assert "创新药项目a" in page
    assert "创新药项目b" not in page
    assert 'data-testid="incubator-project-form"' not in page
    client.force_login(zone.users.dept_b)  # department staff see the incubator, no project
    page = client.get(url).content.decode()
    assert "创新药项目" not in page


def test_the_project_page_shows_the_incubator_it_came_from(zone, world, client):
    _link(zone, world, "a", moved_on="2025-03-01")
    _link(zone, world, "b")
    client.force_login(zone.users.ent_a)
    page = client.get(f"/projects/{world['project_a'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="project-section-talent_incubators"' in page
    assert "上海张江飞地孵化器" in page
    assert "2025-03-01" in page
    assert "来自飞地孵化器" in page
    client.force_login(zone.users.ent_b)  # enterprise B does not see the incubator: no section
    page = client.get(f"/projects/{world['project_b'].pk}/").content.decode()
    assert 'data-testid="project-section-talent_incubators"' not in page
    assert "上海张江飞地孵化器" not in page


def test_a_project_without_incubator_shows_no_section(zone, world, client):
    client.force_login(zone.users.admin)
    page = client.get(f"/projects/{world['project_a'].pk}/").content.decode()
    assert 'data-testid="project-section-talent_incubators"' not in page


# --- The page's forms -----------------------------------------------------------------------------------------------


def test_the_administrator_links_and_removes_a_project_on_the_incubator_page(zone, world, client):
    incubator = world["incubator"]
    client.force_login(zone.users.admin)
    key = subject_key(world["project_a"])
    answer = client.post(f"/talent/incubators/{incubator.pk}/projects/", {"project": key, "moved_on": "2025-05-01"})
    assert answer.status_code == 302
    link = IncubatorProject.objects.get()
    assert link.project == key
    again = client.post(f"/talent/incubators/{incubator.pk}/projects/", {"project": key}, follow=True)
    assert "已关联到" in again.content.decode()
    assert IncubatorProject.objects.count() == 1
    answer = client.post(f"/talent/incubators/{incubator.pk}/projects/{link.pk}/remove/")
    assert answer.status_code == 302
    assert not IncubatorProject.objects.exists()


def test_a_project_not_offered_on_the_form_is_refused_with_a_message(zone, world, client):
    client.force_login(zone.users.admin)
    url = f"/talent/incubators/{world['incubator'].pk}/projects/"
    page = client.post(url, {"project": "projects.project:999999"}, follow=True).content.decode()
    assert "不在可用的选项中" in page  # the form offers only the projects the user sees
    assert not IncubatorProject.objects.exists()


def test_the_talent_office_sees_no_project_to_link_and_may_not_post_one(zone, world, client):
    client.force_login(zone.users.dept_a)
    page = client.get(f"/talent/incubators/{world['incubator'].pk}/").content.decode()
    assert 'data-testid="no-project-choices"' in page
    client.post(f"/talent/incubators/{world['incubator'].pk}/projects/", {"project": subject_key(world["project_a"])})
    assert not IncubatorProject.objects.exists()


# --- The API --------------------------------------------------------------------------------------------------------


def test_the_api_lists_links_and_writes_them_with_a_400_for_a_project_not_seen(zone, world, api_as):
    url = f"/api/v1/talent/incubators/{world['incubator'].pk}/projects/"
    key_a, key_b = subject_key(world["project_a"]), subject_key(world["project_b"])
    admin = api_as(zone.users.admin)
    created = admin.post(url, {"project": key_a, "moved_on": "2025-03-01"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["project_name"] == "创新药项目a"
    assert admin.post(url, {"project": key_b}, format="json").status_code == 201
    assert admin.post(url, {"project": key_b}, format="json").status_code == 400
    ent = api_as(zone.users.ent_a)
    assert [row["project"] for row in ent.get(url).json()] == [key_a]
    office = api_as(zone.users.dept_a)
    refused = office.post(url, {"project": key_a}, format="json")
    assert refused.status_code == 400
    assert "project" in refused.json()
    link = IncubatorProject.objects.get(project=key_b)
    assert api_as(zone.users.admin).delete(f"{url}{link.pk}/").status_code == 204
    assert IncubatorProject.objects.count() == 1


# --- Query budgets --------------------------------------------------------------------------------------------------


def test_both_pages_read_a_number_of_queries_that_does_not_grow_with_the_links(zone, world, client):
    admin = zone.users.admin
    client.force_login(admin)
    _link(zone, world, "a")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    incubator_url = f"/talent/incubators/{world['incubator'].pk}/"
    project_url = f"/projects/{world['project_a'].pk}/"
    few = count(incubator_url), count(project_url)
    _link(zone, world, "b")
    for i in range(3):
        investor = projects.investor_create(by=admin, name=f"其他投资方{i}")
        other = projects.project_create(
            by=admin, name=f"其他项目{i}", investor=investor, officer=zone.users.officer_a, land_mu=Decimal(5),
            industry_code="C2710",
        )  # fmt: skip
        links.incubator_project_link(by=admin, incubator=world["incubator"], project=subject_key(other))
        incubator = talent.incubator_save(
            by=admin, name=f"飞地{i}", city="杭州", location="未来科技城", floor_area_m2=Decimal(1),
            investment_wan_yuan=Decimal(1), teams_incubated=1,
        )  # fmt: skip
        links.incubator_project_link(by=admin, incubator=incubator, project=subject_key(world["project_a"]))
    assert (count(incubator_url), count(project_url)) == few
