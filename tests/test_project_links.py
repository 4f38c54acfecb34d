"""A project's links across the modules (issue 14, items 10-11; docs/0011-project-links.md), end to end through the
real services of M4 (land exit), M2 (parallel approval) and M3 — which never import each other.

The story (the article's): enterprise A (officer A's) hands its parcel back through an exit case; officer B brings a
motor project, finds the parcel among the available land, places the project on it, links it to its new enterprise
(created from the investor; officer B becomes its 店小二), opens the parallel approval as its agent, and the chain
old occupant → exit case → new project shows on the parcel's page and on both enterprises' pages.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from hitechzone.approvals import services as approvals
from hitechzone.approvals.models import Application, Bundle, ItemType, Mode
from hitechzone.common.models import AuditEvent
from hitechzone.common.rules import Refused
from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.enterprises.tests.factories import ParcelFactory, valid_uscc
from hitechzone.evaluation import land
from hitechzone.evaluation.models import ExitCase
from hitechzone.projects import links
from hitechzone.projects import services as projects
from hitechzone.zone.models import Parcel, ParcelRelease

pytestmark = pytest.mark.django_db
S = ExitCase.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _case(zone, *, to=S.LAND_RETURNED, parcels=None):
    today = timezone.localdate()
    case = land.case_open(
        by=zone.users.admin,
        enterprise=zone.ent_a,
        mode=ExitCase.Mode.AGREED_EXIT,
        trigger=ExitCase.Trigger.IDLE_LAND,
        parcels=parcels or [zone.parcel_a],
        identified_on=today - timedelta(days=20),
        reward_basis="share",
        reward_rate=Decimal("0.10"),
    )
    steps = [(S.NEGOTIATING, 15, {}), (S.AGREED, 10, {"compensation_wan_yuan": Decimal(900)}), (S.LAND_RETURNED, 5, {})]
    for status, days, fields in steps:
        if S.values.index(status) <= S.values.index(to):
            case = land.case_advance(
                by=zone.users.admin, case=case, to=status, on=today - timedelta(days=days), **fields
            )
    return case


@pytest.fixture
def story(zone):
    z = zone
    z.case = _case(z)
    z.investor = projects.investor_create(by=z.users.officer_b, name="浙江新动力电机有限公司", uscc=valid_uscc(777))
    z.project = projects.project_create(
        by=z.users.officer_b,
        name="新动力1.6亿电机项目",
        investor=z.investor,
        industry_code="C3812",
        land_mu=Decimal(30),
    )
    return z


def _items(zone, n=2):
    out = []
    for i in range(n):
        item = approvals.item_create(
            by=zone.users.admin,
            code=f"330100-P-00{i}",
            department=(zone.dept_a, zone.dept_b)[i % 2],
            name=f"项目审批事项{i}",
            mode=Mode.ENTRUSTED,
            item_type=ItemType.COMMITMENT,
            statutory_limit=20,
            promised_limit=5,
            materials=[{"name": "申请表", "required": True}],
        )
        out.append(item)
    return out


# --- Item 10: land ----------------------------------------------------------------------------------------------


def test_a_parcel_is_on_offer_only_once_its_exit_case_has_handed_the_land_back(zone):
    case = _case(zone, to=S.AGREED)
    assert not Parcel.objects.freed().exists()
    assert list(links.available_parcels(zone.users.officer_b)) == []

    case = land.case_advance(by=zone.users.admin, case=case, to=S.LAND_RETURNED, on=timezone.localdate())
    release = ParcelRelease.objects.get()
    assert (release.parcel, release.former_enterprise, release.reference) == (zone.parcel_a, zone.ent_a, case.code)
    assert release.source == case  # the generic reference: M4 published it, zone names no module
    assert list(Parcel.objects.freed()) == [zone.parcel_a]
    # Every investment officer sees the freed land on offer, not only the old occupant's.
    assert list(links.available_parcels(zone.users.officer_b)) == [zone.parcel_a]
    assert list(links.available_parcels(zone.users.officer_a)) == [zone.parcel_a]


def test_a_cancelled_case_frees_nothing_and_unused_land_never_handed_back_is_not_on_offer(zone):
    ParcelFactory(brand=zone.brand_a, enterprise=None)  # reserve land: nobody handed it back
    case = _case(zone, to=S.NEGOTIATING)
    land.case_cancel(by=zone.users.admin, case=case, reason="企业完成技改")
    assert not Parcel.objects.freed().exists()


def test_placing_a_project_on_a_parcel_the_officer_cannot_see_is_refused(story):
    z = story
    with pytest.raises(Refused, match=z.parcel_b.code):  # an administrator sees it, but it is B's land, not on offer
        links.project_place(by=z.users.admin, project=z.project, parcels=[z.parcel_b])
    project_a = projects.project_create(by=z.users.officer_a, name="甲方项目", investor=z.investor)
    with pytest.raises(Refused, match="not ones you may see"):
        links.project_place(by=z.users.officer_a, project=project_a, parcels=[z.parcel_b])
    assert not z.project.parcel_links.exists()
    assert not project_a.parcel_links.exists()


def test_an_occupied_parcel_the_officer_sees_is_still_not_on_offer(story):
    z = story
    project_a = projects.project_create(by=z.users.officer_a, name="甲方扩建", investor=z.investor)
    occupied = ParcelFactory(brand=z.brand_a, enterprise=z.ent_a)
    with pytest.raises(Refused, match="not freed land on offer"):
        links.project_place(by=z.users.officer_a, project=project_a, parcels=[occupied])


def test_only_the_projects_own_officer_places_it_and_a_parcel_carries_one_project(story):
    z = story
    with pytest.raises(Refused):
        links.project_place(by=z.users.officer_a, project=z.project, parcels=[z.parcel_a])
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    other = projects.project_create(by=z.users.officer_a, name="另一个项目", investor=z.investor)
    with pytest.raises(Refused, match="already carry another project"):
        links.project_place(by=z.users.officer_a, project=other, parcels=[z.parcel_a])
    assert list(links.available_parcels(z.users.officer_a)) == []  # taken: no longer on offer


def test_the_chain_shows_on_the_parcel_page_and_on_both_enterprises_pages(story, client):
    z = story
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    link = links.project_link_enterprise(project=z.project, by=z.users.officer_b)
    new = link.enterprise

    client.force_login(z.users.officer_b)
    page = client.get(reverse("zone:parcel", args=[z.parcel_a.pk])).content.decode()
    assert z.ent_a.name in page
    assert z.case.code in page
    assert z.project.name in page
    assert new.name in page
    assert reverse("evaluation:exit", args=[z.case.pk]) in page  # the exit case is linked
    assert 'data-testid="land-chain"' in page

    # The old occupant's page, as its officer (A) and as a leader: "its former land now carries project X".
    for user in (z.users.officer_a, z.users.leader):
        client.force_login(user)
        page = client.get(reverse("enterprises:detail", args=[z.ent_a.pk])).content.decode()
        assert 'data-testid="section-former_land"' in page, user
        assert z.project.name in page
        assert z.parcel_a.code in page
        assert z.case.code in page

    # The new enterprise's page, as its new 店小二: the project it came from and the land's former user.
    client.force_login(z.users.officer_b)
    page = client.get(reverse("enterprises:detail", args=[new.pk])).content.decode()
    assert 'data-testid="section-project_origin"' in page
    assert z.project.name in page
    assert z.ent_a.name in page
    assert z.case.code in page

    # Enterprise A's own user sees no M3 project (not the investor's login): the section is not shown.
    client.force_login(z.users.ent_a)
    page = client.get(reverse("enterprises:detail", args=[z.ent_a.pk])).content.decode()
    assert 'data-testid="section-former_land"' not in page


def test_the_parcel_page_is_scoped_and_its_sections_cost_a_bounded_number_of_queries(story, client):
    z = story
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    client.force_login(z.users.officer_a)
    assert client.get(reverse("zone:parcel", args=[z.parcel_b.pk])).status_code == 404  # B's land
    client.force_login(z.users.expert_a)
    assert client.get(reverse("zone:parcel", args=[z.parcel_a.pk])).status_code == 404
    client.force_login(z.users.leader)
    url = reverse("zone:parcel", args=[z.parcel_a.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(4):  # more history on the same parcel: the same queries
        other = ParcelFactory(brand=z.brand_a, enterprise=None)
        ParcelRelease.objects.create(
            parcel=z.parcel_a, former_enterprise=z.ent_b, released_on=timezone.localdate(), reference=f"X-{i}"
        )
        ParcelRelease.objects.create(
            parcel=other, former_enterprise=z.ent_b, released_on=timezone.localdate(), reference=f"Y-{i}"
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


# --- Item 11: approvals and 投产 -------------------------------------------------------------------------------------


def test_production_creates_the_enterprise_from_the_investor_and_makes_the_officer_its_service_officer(story, api_as):
    z = story
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    response = api_as(z.users.officer_b).post(f"/api/v1/projects/{z.project.pk}/enterprise/", {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    new = Enterprise.objects.get(pk=body["enterprise"])
    assert (new.name, new.uscc, new.brand) == (z.investor.name, z.investor.uscc, z.parcel_a.brand)
    assert body["created_enterprise"] is True
    assignment = Assignment.objects.get(enterprise=new, ended_on__isnull=True)
    assert assignment.officer == z.users.officer_b
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Assignment), object_id=str(assignment.pk)
    )
    assert (event.action, event.user) == ("create", z.users.officer_b)  # audited, by the officer
    z.investor.refresh_from_db()
    assert z.investor.enterprise == new  # the investor's own login now sees its projects

    again = api_as(z.users.officer_b).post(f"/api/v1/projects/{z.project.pk}/enterprise/", {}, format="json")
    assert again.status_code == 201
    assert again.json()["enterprise"] == new.pk
    assert Enterprise.objects.filter(uscc=z.investor.uscc).count() == 1
    got = api_as(z.users.leader).get(f"/api/v1/projects/{z.project.pk}/enterprise/").json()
    assert got["enterprise_name"] == new.name


def test_production_links_an_existing_enterprise_the_officer_serves_and_refuses_one_he_does_not(story, api_as):
    z = story
    project_a = projects.project_create(by=z.users.officer_a, name="甲方技改项目", investor=z.investor)
    url = f"/api/v1/projects/{project_a.pk}/enterprise/"
    refused = api_as(z.users.officer_a).post(url, {"enterprise": z.ent_b.pk}, format="json")
    assert refused.status_code == 400
    assert "enterprise" in refused.json()
    with translation.override("en"), pytest.raises(Refused, match="not one you may see"):  # after a request
        links.project_link_enterprise(project=project_a, enterprise=z.ent_b, by=z.users.officer_a)
    ok = api_as(z.users.officer_a).post(url, {"enterprise": z.ent_a.pk}, format="json")
    assert ok.status_code == 201
    assert ok.json() == {**ok.json(), "enterprise": z.ent_a.pk, "created_enterprise": False}
    assert Assignment.objects.filter(enterprise=z.ent_a, ended_on__isnull=True).count() == 1  # he served it already
    # Another officer's project: 404; an administrator linking B's enterprise to officer A's project is refused
    # (B's officer serves it: the hand-over is M1's).
    assert api_as(z.users.officer_b).post(url, {}, format="json").status_code == 404
    project_a2 = projects.project_create(by=z.users.officer_a, name="甲方二期", investor=z.investor)
    with translation.override("en"), pytest.raises(Refused, match="hand it over"):
        links.project_link_enterprise(project=project_a2, enterprise=z.ent_b, by=z.users.admin)


def test_a_project_without_land_or_usccs_cannot_become_an_enterprise_and_nothing_is_written(story):
    z = story
    with pytest.raises(Refused, match="Place the project"):
        links.project_link_enterprise(project=z.project, by=z.users.officer_b)
    bare = projects.investor_create(by=z.users.officer_b, name="境外投资方")
    project = projects.project_create(by=z.users.officer_b, name="境外项目", investor=bare)
    with pytest.raises(Refused, match="no USCC"):
        links.project_link_enterprise(project=project, by=z.users.officer_b)
    assert not Enterprise.objects.filter(name__in=[z.investor.name, bare.name]).exists()


def test_the_officer_opens_the_parallel_approval_as_agent_and_its_progress_shows_on_the_project(story, client, api_as):
    z = story
    items = _items(z)
    url = f"/api/v1/projects/{z.project.pk}/bundle/"
    first = api_as(z.users.officer_b).post(url, {"items": [i.pk for i in items]}, format="json")
    assert first.status_code == 400  # the project company first (the enterprise link)
    assert not Bundle.objects.exists()
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    links.project_link_enterprise(project=z.project, by=z.users.officer_b)

    opened = api_as(z.users.officer_b).post(url, {"items": [i.pk for i in items]}, format="json")
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert (body["name"], body["total"], body["done"], body["overdue"]) == (z.project.name, 2, 0, 0)
    bundle = Bundle.objects.get(pk=body["id"])
    assert bundle.subject == f"projects.project:{z.project.pk}"
    assert set(bundle.applications.values_list("agent", flat=True)) == {z.users.officer_b.pk}  # 代办

    # One department declines its application: one done of two.
    application = Application.objects.get(bundle=bundle, department=z.dept_a)
    approvals.application_reject(application=application, by=z.users.dept_a, reason="材料不全")
    progress = api_as(z.users.leader).get(url).json()
    assert [(p["done"], p["total"]) for p in progress] == [(1, 2)]

    client.force_login(z.users.officer_b)
    page = client.get(reverse("projects:detail", args=[z.project.pk])).content.decode()
    assert 'data-testid="project-bundle"' in page
    assert 'data-done="1" data-total="2"' in page
    # Another officer neither opens one for the project (404) nor sees officer B's bundle (M2's scope).
    assert api_as(z.users.officer_a).post(url, {"items": [i.pk for i in items]}, format="json").status_code == 404
    assert api_as(z.users.officer_a).get(url).json() == []


def test_an_overdue_application_of_the_bundle_shows_red_on_the_project(story, api_as):
    z = story
    items = _items(z)
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    link = links.project_link_enterprise(project=z.project, by=z.users.officer_b)
    started = timezone.localdate() - timedelta(days=40)
    assignment = Assignment.objects.get(enterprise=link.enterprise)
    assignment.started_on = started  # the project company was registered, and served, before its approvals
    assignment.save()
    opened = links.project_open_bundle(
        by=z.users.officer_b, project=z.project, items=[i.pk for i in items], started_on=started
    )
    application = Application.objects.filter(bundle_id=opened.pk, department=z.dept_a).get()
    material = application.version.materials.get()
    approvals.application_check(application=application, by=z.users.dept_a, provided=[material.pk], on=started)
    [progress] = links.project_bundles(z.users.officer_b, z.project)
    assert (progress.overdue, progress.lights["red"], progress.done, progress.total) == (1, 1, 0, 2)


def test_the_projects_page_reads_its_links_in_a_bounded_number_of_queries(story, client):
    z = story
    items = _items(z, 4)
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    links.project_link_enterprise(project=z.project, by=z.users.officer_b)
    links.project_open_bundle(by=z.users.officer_b, project=z.project, items=[i.pk for i in items[:2]])
    client.force_login(z.users.officer_b)
    url = reverse("projects:detail", args=[z.project.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    more = [ParcelFactory(brand=z.brand_a, enterprise=z.ent_a) for _ in range(3)]
    _case(z, parcels=more)
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a, *more])
    links.project_open_bundle(by=z.users.officer_b, project=z.project, items=[i.pk for i in items[2:]])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


# --- 投产 through the pipeline (items 9 and 11 together) -------------------------------------------------------------


def _to_construction(z):
    from hitechzone.projects import pipeline
    from hitechzone.projects.models import Project

    P = Project.Stage
    today = timezone.localdate()
    road = [P.NEGOTIATION, P.REVIEW, P.SIGNED, P.LAND, P.APPROVAL, P.CONSTRUCTION]
    for n, stage in enumerate(road):
        if stage == P.SIGNED:
            pipeline.project_decide(project=z.project, outcome="admit", reasons="符合产业导向", by=z.users.leader)
        pipeline.project_move(
            project=z.project, to_stage=stage, on=today - timedelta(days=10 - n), by=z.users.officer_b
        )
    return pipeline, P


def test_moving_into_production_links_the_enterprise_and_makes_the_officer_its_service_officer(story):
    z = story
    links.project_place(by=z.users.officer_b, project=z.project, parcels=[z.parcel_a])
    pipeline, P = _to_construction(z)
    pipeline.project_move(project=z.project, to_stage=P.PRODUCTION, on=timezone.localdate(), by=z.users.officer_b)
    z.project.refresh_from_db()
    new = Enterprise.objects.get(uscc=z.investor.uscc)
    assert z.project.stage == P.PRODUCTION
    assert z.project.enterprise_link.enterprise == new
    assert Assignment.objects.get(enterprise=new, ended_on__isnull=True).officer == z.users.officer_b


def test_a_project_without_land_cannot_move_into_production_and_stays_where_it_was(story):
    z = story
    pipeline, P = _to_construction(z)
    with pytest.raises(Refused, match="Place the project"):
        pipeline.project_move(project=z.project, to_stage=P.PRODUCTION, on=timezone.localdate(), by=z.users.officer_b)
    z.project.refresh_from_db()
    assert z.project.stage == P.CONSTRUCTION
    assert not Enterprise.objects.filter(uscc=z.investor.uscc).exists()
