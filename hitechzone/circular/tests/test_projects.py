"""Circular transformation projects: the rules of the writes, the figures, the scoping and the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from hitechzone.circular import projects
from hitechzone.circular.models import CircularProject
from hitechzone.common.models import AuditEvent
from hitechzone.common.rules import Refused

P = CircularProject
D = Decimal


def _new(user, **fields):
    data = {
        "code": "XH-2017-01",
        "name": "氯化氢回收利用",
        "owner": P.Owner.ENTERPRISE,
        "category": P.Category.BYPRODUCT,
        "batch_year": 2017,
        "total_investment_wan_yuan": D(2000),
        **fields,
    }
    return projects.project_create(by=user, **data)


@pytest.fixture
def three(zone):
    """A government project (1 000 / 500 approved / 200 paid), ent_a's accepted project (2 000 / 800 / 800,
    excellent) and ent_b's planned project (500, no funds)."""
    admin = zone.users.admin
    gov = _new(
        admin,
        code="XH-G-01",
        name="园区公共管廊",
        owner=P.Owner.GOVERNMENT,
        category=P.Category.CHAIN,
        batch_year=2016,
        total_investment_wan_yuan=D(1000),
        central_funds_approved_wan_yuan=D(500),
        central_funds_paid_wan_yuan=D(200),
        status=P.Status.BUILDING,
    )
    a = _new(
        admin,
        code="XH-A-01",
        enterprise=zone.ent_a,
        central_funds_approved_wan_yuan=D(800),
        central_funds_paid_wan_yuan=D(800),
        energy_saved_tce=D("1200.5"),
        status=P.Status.ACCEPTED,
        grade=P.Grade.EXCELLENT,
        started_on=date(2017, 3, 1),
        completed_on=date(2018, 6, 30),
        accepted_on=date(2018, 12, 1),
    )
    b = _new(
        admin,
        code="XH-B-01",
        enterprise=zone.ent_b,
        category=P.Category.ZERO_DISCHARGE,
        total_investment_wan_yuan=D(500),
    )
    return gov, a, b


# --- The rules --------------------------------------------------------------------------------------------------


def test_an_administrator_records_a_project_and_the_trail_keeps_it(zone):
    project = _new(zone.users.admin, enterprise=zone.ent_a)
    assert project.pk
    assert project.status == P.Status.PLANNED
    assert project.central_funds_approved_wan_yuan == 0
    assert AuditEvent.objects.filter(object_id=str(project.pk), action=AuditEvent.Action.CREATE).exists()


def test_department_staff_write_and_the_others_are_refused(zone):
    assert _new(zone.users.dept_a, enterprise=zone.ent_a).pk
    for who in ("leader", "officer_a", "ent_a", "expert_a"):
        with pytest.raises(Refused, match="Only administrators and department staff"):
            _new(getattr(zone.users, who), code=f"X-{who}", enterprise=zone.ent_a)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "names its enterprise"),
        ({"owner": P.Owner.GOVERNMENT, "enterprise": "ent_a"}, "names no enterprise"),
        ({"enterprise": "ent_a", "central_funds_approved_wan_yuan": D(2001)}, "cannot exceed the total investment"),
        (
            {"enterprise": "ent_a", "central_funds_approved_wan_yuan": D(100), "central_funds_paid_wan_yuan": D(101)},
            "paid cannot exceed the central funds approved",
        ),
        ({"enterprise": "ent_a", "status": P.Status.ACCEPTED}, "has an acceptance grade"),
        ({"enterprise": "ent_a", "grade": P.Grade.GOOD}, "Only an accepted project"),
        (
            {"enterprise": "ent_a", "started_on": date(2018, 1, 1), "completed_on": date(2017, 12, 31)},
            "cannot come before",
        ),
        (
            {"enterprise": "ent_a", "started_on": date(2018, 1, 1), "accepted_on": date(2017, 12, 31)},
            "cannot come before",
        ),
        ({"enterprise": "ent_a", "total_investment_wan_yuan": D(-1)}, "cannot be negative"),
        ({"enterprise": "ent_a", "batch_year": 1900}, "pilot batch year"),
        ({"enterprise": "ent_a", "code": "  "}, "project number"),
        ({"enterprise": "ent_a", "category": "other"}, "category"),
    ],
)
def test_a_project_that_breaks_a_rule_is_refused_and_nothing_is_written(zone, fields, message):
    if fields.get("enterprise") == "ent_a":
        fields["enterprise"] = zone.ent_a
    with pytest.raises(Refused, match=message):
        _new(zone.users.admin, **fields)
    assert not P.objects.exists()


def test_a_project_number_is_unique(zone):
    _new(zone.users.admin, enterprise=zone.ent_a)
    with pytest.raises(Refused, match="Another project has the number"):
        _new(zone.users.admin, enterprise=zone.ent_b)


def test_an_update_keeps_the_rules_of_the_whole_project(three, zone):
    gov, a, b = three
    b = projects.project_update(by=zone.users.dept_a, project=b, status=P.Status.BUILDING, description=" 在建 ")
    assert (b.status, b.description) == (P.Status.BUILDING, "在建")
    with pytest.raises(Refused, match="paid cannot exceed"):
        projects.project_update(by=zone.users.admin, project=gov, central_funds_approved_wan_yuan=D(100))
    with pytest.raises(Refused, match="has an acceptance grade"):
        projects.project_update(by=zone.users.admin, project=a, grade="")
    gov.refresh_from_db()
    assert gov.central_funds_approved_wan_yuan == D(500)
    # Turning an enterprise project into a government one drops its enterprise.
    b = projects.project_update(by=zone.users.admin, project=b, owner=P.Owner.GOVERNMENT)
    assert b.enterprise_id is None


# --- The figures and the scope ----------------------------------------------------------------------------------


def test_the_stats_sum_what_the_user_sees(three, zone):
    stats = projects.project_stats(user=zone.users.leader)
    assert (stats["projects"], stats["government_projects"], stats["enterprise_projects"]) == (3, 1, 2)
    assert stats["total_investment_wan_yuan"] == D("3500.00")
    assert stats["central_funds_wan_yuan"] == D("1300.00")
    assert stats["central_funds_paid_wan_yuan"] == D("1000.00")
    assert stats["energy_saved_tce"] == D("1200.5")
    categories = {row["category"]: (row["projects"], row["total_investment_wan_yuan"]) for row in stats["by_category"]}
    assert categories == {"byproduct": (1, D(2000)), "chain": (1, D(1000)), "zero_discharge": (1, D(500))}
    assert [row["category"] for row in stats["by_category"]] == ["byproduct", "chain", "zero_discharge"]
    assert {row["status"]: row["projects"] for row in stats["by_status"]} == {
        "planned": 1,
        "building": 1,
        "accepted": 1,
    }
    assert [(row["grade"], row["projects"]) for row in stats["by_grade"]] == [("excellent", 1)]
    assert [(row["batch_year"], row["projects"]) for row in stats["by_batch_year"]] == [(2016, 1), (2017, 2)]


def test_an_enterprise_sees_its_own_project_only(three, zone):
    _gov, a, b = three
    assert list(projects.projects(zone.users.ent_a)) == [a]
    assert list(projects.projects(zone.users.officer_b)) == [b]
    assert not projects.projects(zone.users.expert_a).exists()
    stats = projects.project_stats(user=zone.users.ent_a)
    assert (stats["projects"], stats["government_projects"], stats["total_investment_wan_yuan"]) == (1, 0, D(2000))


# --- The pages --------------------------------------------------------------------------------------------------


def test_the_list_shows_the_totals_of_the_stats(three, zone, client):
    client.force_login(zone.users.dept_a)
    response = client.get(reverse("circular:projects"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="project-row"') == 3
    assert 'data-testid="total-projects">3<' in html
    assert 'data-testid="total-investment">35 million yuan<' in html
    assert 'data-testid="total-central-funds">13 million yuan<' in html
    assert 'id="investment-chart"' in html
    assert 'data-testid="new-project"' in html


def test_the_list_filters_and_its_totals_follow(three, zone, client):
    client.force_login(zone.users.admin)
    html = client.get(reverse("circular:projects"), {"owner": "government"}).content.decode()
    assert html.count('data-testid="project-row"') == 1
    assert 'data-testid="total-investment">10 million yuan<' in html


def test_an_enterprise_lists_its_own_project_and_cannot_open_another(three, zone, client):
    gov, a, b = three
    client.force_login(zone.users.ent_a)
    html = client.get(reverse("circular:projects")).content.decode()
    assert "XH-A-01" in html
    assert "XH-B-01" not in html
    assert "XH-G-01" not in html
    assert 'data-testid="new-project"' not in html
    assert client.get(reverse("circular:project", args=[a.pk])).status_code == 200
    assert client.get(reverse("circular:project", args=[b.pk])).status_code == 404
    assert client.get(reverse("circular:project", args=[gov.pk])).status_code == 404
    assert client.get(reverse("circular:project-edit", args=[a.pk])).status_code == 403  # not the role's page
    assert client.get(reverse("circular:project-new")).status_code == 403


def test_an_expert_has_no_project_pages(three, zone, client):
    client.force_login(zone.users.expert_a)
    assert client.get(reverse("circular:projects")).status_code == 403


def test_the_form_records_a_project_and_shows_a_refusal(zone, client):
    client.force_login(zone.users.dept_a)
    post = {
        "code": "XH-N-01",
        "name": "含氟废水零排放",
        "owner": "enterprise",
        "enterprise": zone.ent_b.uscc,
        "category": "zero_discharge",
        "batch_year": "2017",
        "total_investment_wan_yuan": "800",
        "central_funds_approved_wan_yuan": "900",
        "status": "planned",
    }
    response = client.post(reverse("circular:project-new"), post)
    assert response.status_code == 200
    assert "cannot exceed the total investment" in response.content.decode()
    assert not P.objects.exists()
    response = client.post(reverse("circular:project-new"), {**post, "central_funds_approved_wan_yuan": "300"})
    project = P.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("circular:project", args=[project.pk])
    assert (project.enterprise, project.central_funds_approved_wan_yuan) == (zone.ent_b, D(300))
    detail = client.get(response.url).content.decode()
    assert "含氟废水零排放" in detail
    assert 'data-testid="edit-project"' in detail


def test_the_edit_form_changes_a_project(three, zone, client):
    _gov, _a, b = three
    client.force_login(zone.users.admin)
    form = client.get(reverse("circular:project-edit", args=[b.pk]))
    assert form.status_code == 200
    assert zone.ent_b.uscc in form.content.decode()
    post = {**form.context["form"].initial, "status": "building", "started_on": "2018-03-01"}
    post = {k: ("" if v is None else v) for k, v in post.items()}
    response = client.post(reverse("circular:project-edit", args=[b.pk]), post)
    assert response.status_code == 302
    b.refresh_from_db()
    assert (b.status, b.started_on) == (P.Status.BUILDING, date(2018, 3, 1))


def test_the_chinese_dashboard_reads_large_money_in_yi_yuan_and_tonnes_per_year(zone, client):
    """Issue 13, item 6: 145,100 万元 reads 14.51 亿元; the tonnage column reads 吨/年, not t/yr."""
    _new(
        zone.users.admin,
        enterprise=zone.ent_a,
        total_investment_wan_yuan=D(145_100),
        central_funds_approved_wan_yuan=D(9_999),
    )
    client.cookies["django_language"] = "zh-hans"
    client.force_login(zone.users.admin)
    html = client.get(reverse("circular:projects")).content.decode()
    assert 'data-testid="total-investment">14.51 亿元<' in html
    assert 'data-testid="total-central-funds">9,999 万元<' in html
    home = client.get(reverse("circular:home")).content.decode()
    assert "吨/年" in home
    assert "t/yr" not in home
