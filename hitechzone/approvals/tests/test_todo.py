"""The window's to-do queue (待办), its item filter and the printable one-time notice (issue 13, item 11).

The queue is the workflow table's: an application waits for the window in a state whose transition gives the
window the turn (check a received one, process and complete an accepted one, end a special procedure), not while
it waits for the applicant (materials to supply, a rating to give) nor once it is done."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hitechzone.approvals import queries, workflow
from hitechzone.approvals.models import Application

pytestmark = pytest.mark.django_db
S = Application.State
FILED_ON = date(2025, 6, 2)  # a Monday
TODAY = date(2025, 6, 20)


@pytest.fixture
def states(freeze, file_application, walk, item_a, item_b):
    """One application of department A in each state of the walk (filed by enterprise A), and one of department B
    waiting for its window."""
    freeze(TODAY)
    out = {}
    for target in ("received", "correcting", "rejected", "accepted", "processing", "special", "paused_correction"):
        provided = "none" if target == "correcting" else "all"
        out[target] = walk(file_application(item_a, on=FILED_ON, provided=provided, title=target), to=target)
    out["completed"] = walk(file_application(item_a, on=FILED_ON, title="completed"), to="completed")
    out["b_received"] = file_application(item_b, on=FILED_ON, title="b")
    return out


def page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("approvals:applications"), params)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str, applications) -> set[str]:
    return {a.number for a in applications if f'data-number="{a.number}"' in html}


def test_the_queue_holds_what_waits_for_the_window_and_nothing_that_waits_for_the_applicant(client, zone, states):
    html = page(client, zone.users.dept_a)
    assert 'data-testid="view-todo"' in html
    assert 'data-testid="view-all"' in html
    expected = {states[k].number for k in ("received", "accepted", "processing", "special")}
    assert shown(html, states.values()) == expected
    assert f'data-testid="todo-count">{len(expected)}<' in html


def test_the_queue_is_read_from_the_workflow_table(zone, states):
    """Each application is in the window's queue exactly when a transition matching it gives the window the turn."""
    queue = set(queries.todo(zone.users.dept_a).values_list("pk", flat=True))
    for application in Application.objects.filter(department=zone.dept_a):
        turn = any(t.turn == workflow.WINDOW and t.matches(application) for t in workflow.TRANSITIONS)
        assert (application.pk in queue) == turn, application.state


def test_another_departments_staff_do_not_see_the_queue_of_this_one(client, zone, states):
    html = page(client, zone.users.dept_b)
    assert shown(html, states.values()) == {states["b_received"].number}
    html = page(client, zone.users.dept_b, view="all")
    assert shown(html, states.values()) == {states["b_received"].number}


def test_the_switch_to_all_and_a_filter_link_show_the_whole_list(client, zone, states):
    department_a = {k: a for k, a in states.items() if k != "b_received"}
    assert shown(page(client, zone.users.dept_a, view="all"), states.values()) == {
        a.number for a in department_a.values()
    }
    # A link with a filter (a dashboard's figure) means the whole list, not the queue.
    assert shown(page(client, zone.users.dept_a, state=S.COMPLETED), states.values()) == {states["completed"].number}
    # The filter form keeps the view it was sent from.
    assert '<input type="hidden" name="view" value="todo">' in page(client, zone.users.dept_a)


def test_other_roles_keep_the_whole_list_without_a_queue(client, zone, states):
    html = page(client, zone.users.leader)
    assert 'data-testid="list-view"' not in html
    assert shown(html, states.values()) == {a.number for a in states.values()}
    html = page(client, zone.users.ent_a)
    assert 'data-testid="list-view"' not in html
    # An administrator is on the window's side: the switch is offered, the whole list is the default.
    html = page(client, zone.users.admin)
    assert 'data-testid="list-view"' in html
    assert shown(html, states.values()) == {a.number for a in states.values()}


def test_the_item_filter_offers_department_staff_their_own_items_only(client, zone, catalogue):
    html = page(client, zone.users.dept_a)
    assert catalogue.item_a.code in html
    assert catalogue.immediate_item.code in html
    assert catalogue.item_b.code not in html
    html = page(client, zone.users.leader)
    assert all(i.code in html for i in catalogue.items)


def test_the_queue_costs_the_same_queries_for_many_rows(client, zone, freeze, file_application, item_a):
    freeze(TODAY)
    file_application(item_a, on=FILED_ON)
    client.force_login(zone.users.dept_a)
    url = reverse("approvals:applications")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        file_application(item_a, on=FILED_ON)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- The printable one-time notice ----------------------------------------------------------------------------


@pytest.fixture
def noticed(states):
    application = states["correcting"]
    return application, application.notices.get()


def test_the_notice_prints_the_zone_the_application_the_missing_materials_the_date_and_the_department(
    client, zone, noticed
):
    application, notice = noticed
    client.force_login(zone.users.dept_a)
    detail = client.get(reverse("approvals:application", args=[application.pk])).content.decode()
    url = reverse("approvals:notice-print", args=[application.pk, notice.pk])
    assert url in detail
    html = client.get(url).content.decode()
    assert 'data-testid="print-notice"' in html
    assert "window.print()" in html
    assert "@media print" in html
    assert application.number in html
    assert application.enterprise.name in html
    assert application.version.name in html
    for name in ("申请表", "营业执照", "项目可行性研究报告"):  # the required materials, none provided
        assert name in html
    assert "授权委托书" not in html.split('data-testid="notice-materials"')[1].split("</div>")[0]  # optional
    assert "2025-06-02" in html  # issued on the day it was checked
    assert zone.dept_a.name in html
    assert 'data-testid="notice-zone">高新区' in html  # the zone's name (the site's, in Chinese)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("leader", 200),
        ("dept_a", 200),
        ("officer_a", 200),
        ("ent_a", 200),
        ("dept_b", 404),
        ("officer_b", 404),
        ("ent_b", 404),
        ("expert_a", 403),  # the role may not open applications at all (403); the others, not this one (404)
    ],
)
def test_the_printable_notice_is_scoped_like_its_application(client, zone, noticed, persona, status):
    application, notice = noticed
    client.force_login(getattr(zone.users, persona))
    url = reverse("approvals:notice-print", args=[application.pk, notice.pk])
    assert client.get(url).status_code == status
    assert client.get(reverse("approvals:application", args=[application.pk])).status_code == status


def test_a_notice_is_printed_only_under_its_own_application(client, zone, states, noticed):
    _application, notice = noticed
    client.force_login(zone.users.dept_a)
    url = reverse("approvals:notice-print", args=[states["received"].pk, notice.pk])
    assert client.get(url).status_code == 404
