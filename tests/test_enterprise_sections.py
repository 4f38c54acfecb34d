"""The enterprise's page as its officer sees it (issue 13, item 12): "record a visit", and the enterprise's latest
visits, problems and applications, brought by the modules through enterprises.sections (M0 names no module).

Officer A serves enterprise A; officer B serves B and cannot open A's page; department staff read A's profile
without the modules' sections."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hitechzone.approvals import services as approvals
from hitechzone.approvals.models import Application, ItemType, Mode
from hitechzone.enterprises.models import Assignment
from hitechzone.enterprises.sections import sections_for
from hitechzone.liaison import services as liaison
from hitechzone.liaison.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(zone):
    """Enterprise A with a visit and a problem from officer A and an application; B with its own."""
    Assignment.objects.update(started_on=date(2020, 1, 1))
    item = approvals.item_create(
        by=zone.users.dept_a,
        code="330100-A-001",
        department=zone.dept_a,
        name="企业投资项目备案",
        mode=Mode.ENTRUSTED,
        item_type=ItemType.COMMITMENT,
        statutory_limit=20,
        promised_limit=5,
        materials=[{"name": "申请表", "required": True}],
    )
    item.refresh_from_db()

    def add(officer, enterprise, user, n: int = 1, label: str = "甲"):
        today = timezone.localdate()
        for i in range(n):
            liaison.visit_record(
                officer=officer, enterprise=enterprise, visited_on=today - timedelta(days=i), notes=f"{label}走访{i}"
            )
            liaison.problem_raise(
                by=officer, enterprise=enterprise, category=Category.values[0], title=f"{label}问题{i}"
            )
            approvals.application_file(by=user, item=item, enterprise=enterprise, title=f"{label}申请{i}")

    add(zone.users.officer_a, zone.ent_a, zone.users.ent_a)
    add(zone.users.officer_b, zone.ent_b, zone.users.ent_b, label="乙")
    zone.add = add
    return zone


def page(client, user, enterprise):
    client.force_login(user)
    return client.get(reverse("enterprises:detail", args=[enterprise.pk]))


def test_the_officer_of_the_enterprise_gets_record_a_visit_with_it_chosen(client, history):
    html = page(client, history.users.officer_a, history.ent_a).content.decode()
    url = f"{reverse('liaison:visit-new')}?enterprise={history.ent_a.pk}"
    assert f'href="{url}" data-testid="record-visit"' in html
    form = client.get(url).content.decode()
    assert f'<option value="{history.ent_a.pk}" selected' in form


def test_the_officer_sees_the_enterprises_visits_problems_and_applications_with_links_to_all(client, history):
    html = page(client, history.users.officer_a, history.ent_a).content.decode()
    for text in ("甲走访0", "甲问题0", "甲申请0"):
        assert text in html
    for text in ("乙走访0", "乙问题0", "乙申请0"):
        assert text not in html
    pk = history.ent_a.pk
    assert f'href="{reverse("liaison:visits")}?enterprise={pk}"' in html
    assert f'href="{reverse("liaison:problems")}?enterprise={pk}"' in html
    assert f'href="{reverse("approvals:applications")}?view=all&amp;enterprise={pk}"' in html


def test_the_application_list_filters_to_one_enterprise(client, history):
    client.force_login(history.users.leader)
    html = client.get(reverse("approvals:applications"), {"enterprise": history.ent_b.pk}).content.decode()
    for application in Application.objects.all():
        assert (f'data-number="{application.number}"' in html) is (application.enterprise_id == history.ent_b.pk)


def test_the_officer_of_another_enterprise_gets_no_action_and_no_sections(client, history):
    assert page(client, history.users.officer_b, history.ent_a).status_code == 404
    html = page(client, history.users.officer_b, history.ent_b).content.decode()
    assert f"?enterprise={history.ent_b.pk}" in html  # B's own page: B's action and sections
    assert "甲走访0" not in html
    # Were A's page open to them (no longer serving it, say), the registry still gives them nothing.
    assert sections_for(history.users.officer_b, history.ent_a) == ([], [])


@pytest.mark.parametrize(
    ("persona", "sections", "action"),
    [
        ("admin", True, False),
        ("leader", True, False),
        ("officer_a", True, True),
        ("ent_a", True, False),
        ("dept_a", False, False),
    ],
)
def test_who_gets_the_sections_and_the_action(client, history, persona, sections, action):
    html = page(client, getattr(history.users, persona), history.ent_a).content.decode()
    assert ('data-testid="enterprise-sections"' in html) is sections
    assert ('data-testid="record-visit"' in html) is action


def test_the_page_costs_the_same_queries_with_many_visits_problems_and_applications(
    client, history, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(history.users.officer_a)
    url = reverse("enterprises:detail", args=[history.ent_a.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    history.add(history.users.officer_a, history.ent_a, history.users.ent_a, n=8, label="多")
    with django_assert_max_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert html.count('data-testid="enterprise-visit"') == 5
    assert html.count('data-testid="enterprise-problem"') == 5
    assert html.count('data-testid="enterprise-application"') == 5
