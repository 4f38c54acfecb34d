"""A project's links inside M3 (issue 14, items 10-11): the freed land on offer (page and API, scoped, in a number of
queries that does not grow), and the pages that place a project, open its parallel approval and link its enterprise.

The land is freed here through the zone's own service (``zone.services.parcels_release``), as M4's exit case does
when the land is handed back: M3's tests import no other module (tests/test_project_links.py drives the real M4
and M2 services end to end)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.enterprises.tests.factories import ParcelFactory, valid_uscc
from hitechzone.projects import links, services
from hitechzone.projects.models import ProjectEnterprise, ProjectParcel
from hitechzone.zone.services import parcels_release

pytestmark = pytest.mark.django_db
LAND_API = "/api/v1/projects/available-land/"


def _free(zone, n=1, *, former=None):
    parcels = [ParcelFactory(brand=zone.brand_a, enterprise=None) for _ in range(n)]
    parcels_release(
        parcels=parcels, former_enterprise=former or zone.ent_a, released_on=timezone.localdate(), reference="TL-1"
    )
    return parcels


@pytest.fixture
def project(zone):
    investor = services.investor_create(by=zone.users.officer_b, name="新动力电机有限公司", uscc=valid_uscc(4242))
    return services.project_create(
        by=zone.users.officer_b, name="电机项目", investor=investor, land_mu=Decimal(30), industry_code="C3812"
    )


def test_the_freed_land_is_listed_for_the_investment_side_only(zone, client, api_as):
    [parcel] = _free(zone)
    for user in (zone.users.admin, zone.users.leader, zone.users.officer_a, zone.users.officer_b):
        client.force_login(user)
        page = client.get(reverse("projects:land"))
        assert page.status_code == 200, user
        assert parcel.code in page.content.decode(), user
        assert [p["code"] for p in api_as(user).get(LAND_API).json()["results"]] == [parcel.code]
    for user in (zone.users.dept_a, zone.users.expert_a, zone.users.ent_a):
        client.force_login(user)
        assert client.get(reverse("projects:land")).status_code == 403, user
        assert api_as(user).get(LAND_API).status_code == 403, user


def test_the_land_page_and_api_read_in_a_number_of_queries_that_does_not_grow(zone, client, api_as):
    _free(zone)
    client.force_login(zone.users.officer_a)
    api = api_as(zone.users.officer_a)

    def count(fn):
        with CaptureQueriesContext(connection) as ctx:
            assert fn().status_code == 200
        return len(ctx.captured_queries)

    page_one, api_one = count(lambda: client.get(reverse("projects:land"))), count(lambda: api.get(LAND_API))
    _free(zone, 6, former=zone.ent_b)
    assert count(lambda: client.get(reverse("projects:land"))) == page_one
    assert count(lambda: api.get(LAND_API)) == api_one


def test_the_officer_places_his_project_on_the_page_and_another_officer_gets_404(zone, client, project):
    parcels = _free(zone, 2)
    client.force_login(zone.users.officer_a)
    assert client.get(reverse("projects:parcels", args=[project.pk])).status_code == 404
    client.force_login(zone.users.officer_b)
    url = reverse("projects:parcels", args=[project.pk])
    assert parcels[0].code in client.get(url).content.decode()
    response = client.post(url, {"parcels": [parcels[0].pk]})
    assert response.status_code == 302
    assert list(project.parcel_links.values_list("parcel", flat=True)) == [parcels[0].pk]
    # The detail page shows where it stands and what freed it.
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="project-parcel"' in page
    assert parcels[0].code in page
    assert zone.ent_a.name in page


def test_a_parcel_the_officer_cannot_see_is_not_offered_on_the_form_and_refused_by_the_api(zone, api_as, project):
    [parcel] = _free(zone)
    api = api_as(zone.users.officer_b)
    url = f"/api/v1/projects/{project.pk}/parcels/"
    refused = api.post(url, {"parcels": [zone.parcel_a.code]}, format="json")  # A's occupied land
    assert refused.status_code == 400
    assert zone.parcel_a.code in str(refused.json())
    assert not ProjectParcel.objects.exists()
    placed = api.post(url, {"parcels": [parcel.code]}, format="json")
    assert placed.status_code == 200
    assert [p["code"] for p in placed.json()] == [parcel.code]
    assert placed.json()[0]["releases"][0]["former_enterprise"] == zone.ent_a.pk


def test_the_enterprise_page_links_the_project_and_assigns_its_officer(zone, client, project):
    [parcel] = _free(zone)
    links.project_place(by=zone.users.officer_b, project=project, parcels=[parcel])
    client.force_login(zone.users.officer_b)
    response = client.post(reverse("projects:enterprise", args=[project.pk]), {"enterprise": ""})
    assert response.status_code == 302
    link = ProjectEnterprise.objects.get(project=project)
    assert link.created_enterprise
    assert link.enterprise.name == project.investor.name
    assert Assignment.objects.get(enterprise=link.enterprise).officer == zone.users.officer_b
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="linked-enterprise"' in page
    assert link.enterprise.name in page


def test_a_refused_link_is_shown_on_the_form_and_nothing_is_written(zone, client, project):
    client.force_login(zone.users.officer_b)
    response = client.post(reverse("projects:enterprise", args=[project.pk]), {"enterprise": ""})
    assert response.status_code == 200
    assert 'data-testid="form-error"' in response.content.decode()
    assert not ProjectEnterprise.objects.exists()
    assert not Enterprise.objects.filter(name=project.investor.name).exists()


def test_the_bundle_page_asks_for_the_enterprise_first(zone, client, project):
    client.force_login(zone.users.officer_b)
    page = client.get(reverse("projects:bundle", args=[project.pk])).content.decode()
    assert 'data-testid="needs-enterprise"' in page
