"""The M3 pages: the list, a project with its admission checks (green and red, value against threshold, the rules
version, the demo-default label), and the form (an officer's own projects, an administrator's any)."""

from decimal import Decimal

import pytest
from django.test import Client

from hitechzone.projects import services
from hitechzone.projects.models import Investor, Project

pytestmark = pytest.mark.django_db


def client_for(user, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def project(zone):
    investor = Investor.objects.create(name="示例电机集团")
    return Project.objects.create(
        name="年产20万台电机项目",
        investor=investor,
        industry_code="C3812",
        land_mu=Decimal(30),
        fixed_asset_investment_wan_yuan=Decimal(9000),  # 300 万元/亩: exactly the threshold, passes
        annual_tax_wan_yuan=Decimal(600),  # 20 万元/亩 < 30: fails
        officer=zone.users.officer_a,
    )


def test_the_project_page_shows_each_check_green_or_red_with_value_threshold_and_rules(zone, project):
    page = client_for(zone.users.leader).get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="check-investment_intensity" data-passed="true"' in html
    assert 'data-testid="check-tax_per_mu" data-passed="false"' in html
    assert 'data-testid="check-plot_ratio" data-passed="null"' in html
    assert "300.00 ≥ 300.00 万元/亩" in html
    assert "20.00 ≥ 30.00 万元/亩" in html
    assert 'data-testid="demo-default"' in html
    assert "演示默认值" in html
    assert "list-group-item-danger" in html
    assert "list-group-item-success" in html


def test_the_list_filters_by_stage(zone, project):
    Project.objects.create(name="洽谈中的项目", investor=project.investor, stage=Project.Stage.NEGOTIATION)
    client = client_for(zone.users.officer_b)
    html = client.get("/projects/?stage=negotiation").content.decode()
    assert "洽谈中的项目" in html
    assert project.name not in html
    html = client.get("/projects/").content.decode()
    assert "洽谈中的项目" in html
    assert project.name in html


def test_department_staff_are_refused_and_experts_see_no_project(zone, project):
    assert client_for(zone.users.dept_a).get("/projects/").status_code == 403
    expert = client_for(zone.users.expert_a)
    assert project.name not in expert.get("/projects/").content.decode()
    assert expert.get(f"/projects/{project.pk}/").status_code == 404


def test_an_officer_records_a_project_with_a_new_investor_through_the_form(zone):
    client = client_for(zone.users.officer_b)
    response = client.post(
        "/projects/new/",
        {
            "name": "有机硅单体项目",
            "new_investor": "示例硅业集团",
            "industry_code": "2614",
            "land_mu": "50",
            "fixed_asset_investment_wan_yuan": "20000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="有机硅单体项目")
    assert (project.officer, project.investor.name, project.industry_code) == (
        zone.users.officer_b,
        "示例硅业集团",
        "C2614",
    )
    assert response["Location"] == f"/projects/{project.pk}/"


def test_the_form_names_a_bad_industry_code_and_a_land_of_zero(zone):
    response = client_for(zone.users.admin).post(
        "/projects/new/", {"name": "项目", "new_investor": "某集团", "industry_code": "9999", "land_mu": "0"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"industry_code", "land_mu"}
    assert not Project.objects.exists()


def test_an_officer_edits_his_own_project_and_not_anothers(zone, project):
    assert client_for(zone.users.officer_b).get(f"/projects/{project.pk}/edit/").status_code == 404
    assert client_for(zone.users.leader).get(f"/projects/{project.pk}/edit/").status_code == 403
    own = client_for(zone.users.officer_a)
    assert 'data-testid="edit-project"' in own.get(f"/projects/{project.pk}/").content.decode()
    data = {"name": "年产30万台电机项目", "investor": project.investor.pk, "industry_code": "C3812", "land_mu": "30"}
    assert own.post(f"/projects/{project.pk}/edit/", data).status_code == 302
    project.refresh_from_db()
    assert project.name == "年产30万台电机项目"
    assert project.officer == zone.users.officer_a


def test_an_administrator_names_the_officer(zone, project):
    data = {"name": project.name, "investor": project.investor.pk, "officer": zone.users.officer_b.pk}
    assert client_for(zone.users.admin).post(f"/projects/{project.pk}/edit/", data).status_code == 302
    project.refresh_from_db()
    assert project.officer == zone.users.officer_b


def test_the_service_refuses_an_officer_anothers_project(zone, project):
    from hitechzone.common.rules import Refused

    with pytest.raises(Refused):
        services.project_update(by=zone.users.officer_b, project=project, name="x")
