"""The service officers' pages: who may open what (else 403; another's object 404), the visit form, the problem loop's
forms per role, refusals shown and nothing written, the exports, the inbox, and list pages whose query count does not
grow."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hitechzone.common.calendar import is_working_day
from hitechzone.common.models import Notification
from hitechzone.common.spreadsheets import XLSX_MIME
from hitechzone.enterprises.models import Assignment
from hitechzone.enterprises.tests import factories as f
from hitechzone.liaison import services
from hitechzone.liaison.models import Category, Problem, ProblemStep, Visit

pytestmark = pytest.mark.django_db
S = Problem.Status
PERSONAS = ["admin", "leader", "dept_a", "officer_a", "expert_a", "ent_a"]


def as_user(client, user):
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def raise_problem(zone, *, title="招工难", category=Category.LABOUR, by=None):
    return services.problem_raise(by=by or zone.users.officer_a, enterprise=zone.ent_a, category=category, title=title)


def handed_over(zone, **kwargs):
    problem = raise_problem(zone, **kwargs)
    return services.problem_hand_over(problem=problem, by=zone.users.officer_a, department=zone.dept_a)


def replied(zone, **kwargs):
    problem = handed_over(zone, **kwargs)
    return services.problem_reply(problem=problem, by=zone.users.dept_a, solution="已协调解决")


def next_non_working_day(start: date) -> date:
    day = start + timedelta(days=1)
    while is_working_day(day):
        day += timedelta(days=1)
    return day


# --- Who may open which page ----------------------------------------------------------------------------------


PAGES = [
    ("liaison:home", {"admin", "leader", "dept_a", "officer_a", "ent_a"}),
    ("liaison:assignments", {"admin", "leader"}),
    ("liaison:visits", {"admin", "leader", "officer_a", "ent_a"}),
    ("liaison:visit-new", {"officer_a"}),
    ("liaison:coverage", {"admin", "leader", "officer_a"}),
    ("liaison:problems", {"admin", "leader", "dept_a", "officer_a", "ent_a"}),
    ("liaison:problem-new", {"officer_a", "ent_a"}),
    ("liaison:escalated", {"admin", "leader"}),
    ("notifications:inbox", set(PERSONAS)),
]


@pytest.mark.parametrize(("url_name", "allowed"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_renders_for_its_roles_and_403s_for_the_others(client, zone, url_name, allowed, persona):
    response = as_user(client, getattr(zone.users, persona)).get(reverse(url_name))
    assert response.status_code == (200 if persona in allowed else 403)


@pytest.mark.parametrize("url_name", [p[0] for p in PAGES])
def test_anonymous_users_are_sent_to_the_login_page(client, zone, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


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
        ("expert_a", 403),  # not the role's page (403); another's problem is 404
    ],
)
def test_a_problem_is_shown_only_to_those_in_its_scope(client, zone, persona, status):
    problem = handed_over(zone)
    response = as_user(client, getattr(zone.users, persona)).get(reverse("liaison:problem", args=[problem.pk]))
    assert response.status_code == status
    if status == 200:
        assert problem.title in html(response)


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("leader", 200), ("officer_a", 403), ("ent_a", 403)])
def test_the_assignment_history_of_an_enterprise_is_for_admin_and_leader(client, zone, persona, status):
    url = reverse("liaison:enterprise-assignments", args=[zone.ent_a.pk])
    response = as_user(client, getattr(zone.users, persona)).get(url)
    assert response.status_code == status
    if status == 200:
        page = html(response)
        assert "招商引资全程帮办员" in page
        assert "投资项目审批代办员" in page
        assert "企业常态服务联络员" in page


def test_the_navigation_lists_the_module_for_everyone_but_experts(client, zone):
    assert reverse("liaison:home") in html(as_user(client, zone.users.officer_a).get("/"))
    assert reverse("liaison:home") not in html(as_user(client, zone.users.expert_a).get("/"))


# --- Dashboard ------------------------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_year_figures_and_charts(client, zone):
    today = timezone.localdate()
    services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=today)
    replied(zone)
    response = as_user(client, zone.users.leader).get(reverse("liaison:home"), {"year": today.year})
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="stat-visits">1<' in page
    assert 'data-testid="stat-handed-over">1<' in page
    assert 'data-testid="stat-solved">1<' in page
    for chart in ("month-chart", "category-chart", "officer-chart"):
        assert f'data-chart="{chart}"' in page
        assert f'id="{chart}"' in page  # the json_script block


def test_the_dashboard_exports_its_figures_to_excel(client, zone):
    from openpyxl import load_workbook

    services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=timezone.localdate())
    client.cookies["django_language"] = "en"
    response = as_user(client, zone.users.admin).get(reverse("liaison:home"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Figures", "Per month", "Per officer", "Per category"]
    months = list(book["Per month"].iter_rows(values_only=True))
    assert len(months) == 13
    assert sum(row[1] for row in months[1:]) == 1


# --- Visits ---------------------------------------------------------------------------------------------------------


def visit_post(zone, **overrides):
    data = {
        "enterprise": zone.ent_a.pk,
        "visited_on": timezone.localdate().isoformat(),
        "form": "on_site",
        "people_met": "王总",
        "notes": "生产正常",
        "problems-TOTAL_FORMS": "2",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "10",
        "problems-0-category": "labour",
        "problems-0-title": "一线操作工招工难",
        "problems-0-description": "旺季缺口约 50 人",
        "problems-1-category": "",
        "problems-1-title": "",
        "problems-1-description": "",
    }
    data.update(overrides)
    return data


def test_the_visit_form_lists_only_the_officers_own_enterprises_and_preselects_one(client, zone):
    response = as_user(client, zone.users.officer_a).get(reverse("liaison:visit-new"), {"enterprise": zone.ent_a.pk})
    page = html(response)
    assert zone.ent_a.name in page
    assert zone.ent_b.name not in page
    assert f'value="{zone.ent_a.pk}" selected' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # today by default


def test_recording_a_visit_creates_the_visit_and_its_problems(client, zone):
    response = as_user(client, zone.users.officer_a).post(reverse("liaison:visit-new"), visit_post(zone))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.officer, visit.enterprise, visit.people_met) == (zone.users.officer_a, zone.ent_a, "王总")
    problem = Problem.objects.get()
    assert (problem.visit, problem.status, problem.category) == (visit, S.ACCEPTED, "labour")
    assert problem.description == "旺季缺口约 50 人"
    listing = html(client.get(response["Location"]))
    assert "一线操作工招工难" in listing
    assert reverse("liaison:problem", args=[problem.pk]) in listing


def test_a_visit_in_the_future_is_refused_with_the_message_and_nothing_is_written(client, zone):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    client.cookies["django_language"] = "en"
    response = as_user(client, zone.users.officer_a).post(
        reverse("liaison:visit-new"), visit_post(zone, visited_on=tomorrow)
    )
    assert response.status_code == 200
    assert "A visit cannot be recorded in the future." in html(response)
    assert not Visit.objects.exists()
    assert not Problem.objects.exists()


def test_a_visit_before_the_assignment_started_is_refused_and_nothing_is_written(client, zone):
    started = Assignment.objects.get(officer=zone.users.officer_a).started_on
    response = as_user(client, zone.users.officer_a).post(
        reverse("liaison:visit-new"), visit_post(zone, visited_on=(started - timedelta(days=3)).isoformat())
    )
    assert response.status_code == 200
    assert 'data-testid="form-error"' in html(response)
    assert not Visit.objects.exists()
    assert not Problem.objects.exists()


def test_an_enterprise_of_another_officer_cannot_be_chosen(client, zone):
    response = as_user(client, zone.users.officer_a).post(
        reverse("liaison:visit-new"), visit_post(zone, enterprise=zone.ent_b.pk)
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_a_problem_row_without_a_category_is_sent_back(client, zone):
    response = as_user(client, zone.users.officer_a).post(
        reverse("liaison:visit-new"), visit_post(zone, **{"problems-0-category": ""})
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_the_visit_list_filters_by_month_and_exports(client, zone):
    from openpyxl import load_workbook

    today = timezone.localdate()
    services.visit_record(officer=zone.users.officer_a, enterprise=zone.ent_a, visited_on=today, notes="本月")
    client = as_user(client, zone.users.officer_a)
    assert (
        html(client.get(reverse("liaison:visits"), {"month": f"{today:%Y-%m}"})).count('data-testid="visit-row"') == 1
    )
    assert 'data-testid="visit-row"' not in html(client.get(reverse("liaison:visits"), {"month": "2001-01"}))
    response = client.get(reverse("liaison:visits"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_MIME
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == zone.ent_a.name
    # Another officer's visits are not theirs to see.
    assert 'data-testid="visit-row"' not in html(as_user(client, zone.users.ent_b).get(reverse("liaison:visits")))


# --- Coverage -------------------------------------------------------------------------------------------------------


def test_the_coverage_page_shows_the_share_and_the_enterprises_not_visited(client, zone):
    services.visit_record(officer=zone.users.officer_b, enterprise=zone.ent_b, visited_on=timezone.localdate())
    page = html(as_user(client, zone.users.leader).get(reverse("liaison:coverage")))
    assert 'data-testid="zone-share">50.0%<' in page
    assert zone.ent_a.name in page  # not visited yet
    assert page.count('data-testid="coverage-row"') == 2
    officer_page = html(as_user(client, zone.users.officer_a).get(reverse("liaison:coverage")))
    assert f"{reverse('liaison:visit-new')}?enterprise={zone.ent_a.pk}" in officer_page
    assert zone.ent_b.name not in officer_page


def test_the_coverage_page_takes_a_month_and_exports(client, zone):
    client = as_user(client, zone.users.admin)
    assert "2025-03" in html(client.get(reverse("liaison:coverage"), {"month": "2025-03"}))
    assert client.get(reverse("liaison:coverage"), {"month": "nonsense"}).status_code == 200
    response = client.get(reverse("liaison:coverage"), {"month": "2025-03", "export": "xlsx"})
    assert response["Content-Type"] == XLSX_MIME


# --- The problem loop through the pages -------------------------------------------------------------------------


def act(client, problem, action, data):
    return client.post(reverse("liaison:problem-act", args=[problem.pk, action]), data)


def test_the_officer_sees_the_forms_of_the_state_and_hands_over_with_the_default_due_date(client, zone):
    problem = raise_problem(zone)
    client = as_user(client, zone.users.officer_a)
    page = html(client.get(reverse("liaison:problem", args=[problem.pk])))
    assert 'data-testid="action-hand-over"' in page
    assert 'data-testid="action-solve"' in page
    assert 'data-testid="action-reply"' not in page
    assert 'data-testid="action-rate"' not in page
    due = services.default_due_on(problem.category)
    assert f'value="{due.isoformat()}"' in page
    response = act(client, problem, "hand-over", {"hand-over-department": zone.dept_a.pk, "hand-over-due_on": due})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.department, problem.due_on) == (S.HANDED_OVER, zone.dept_a, due)
    assert ProblemStep.objects.filter(problem=problem, action="hand_over", user=zone.users.officer_a).exists()


def test_a_due_date_on_a_non_working_day_is_refused_and_nothing_is_written(client, zone):
    problem = raise_problem(zone)
    holiday = next_non_working_day(timezone.localdate() + timedelta(days=3))
    client.cookies["django_language"] = "en"
    response = act(
        as_user(client, zone.users.officer_a),
        problem,
        "hand-over",
        {"hand-over-department": zone.dept_a.pk, "hand-over-due_on": holiday.isoformat()},
    )
    assert response.status_code == 400
    assert "is not a working day" in html(response)
    problem.refresh_from_db()
    assert (problem.status, problem.department, problem.due_on) == (S.ACCEPTED, None, None)
    assert list(problem.steps.values_list("action", flat=True)) == ["raise"]


def test_the_department_replies_and_only_that_department(client, zone):
    problem = handed_over(zone)
    url = reverse("liaison:problem", args=[problem.pk])
    page = html(as_user(client, zone.users.dept_a).get(url))
    assert 'data-testid="action-reply"' in page
    assert as_user(client, zone.users.dept_b).get(url).status_code == 404
    assert act(client, problem, "reply", {"reply-solution": "x"}).status_code == 404  # dept_b: not in its scope
    client.force_login(zone.users.dept_a)
    response = act(client, problem, "reply", {"reply-solution": "已组织专场招聘会"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.solution) == (S.REPLIED, "已组织专场招聘会")
    assert problem.solved_at is not None


def test_a_reply_without_a_solution_is_sent_back(client, zone):
    problem = handed_over(zone)
    response = act(as_user(client, zone.users.dept_a), problem, "reply", {"reply-solution": ""})
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.status == S.HANDED_OVER


def test_the_enterprise_rates_and_the_problem_closes(client, zone):
    problem = replied(zone)
    client = as_user(client, zone.users.ent_a)
    page = html(client.get(reverse("liaison:problem", args=[problem.pk])))
    assert 'data-testid="action-rate"' in page
    response = act(client, problem, "rate", {"rate-rating": 5, "rate-target_attitude": 5, "rate-comment": "很好"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.rating, problem.target_scores) == (S.CLOSED, 5, {"attitude": 5})


def test_a_dissatisfied_rating_reopens_the_problem(client, zone):
    problem = replied(zone)
    act(as_user(client, zone.users.ent_a), problem, "rate", {"rate-rating": 2})
    problem.refresh_from_db()
    assert (problem.status, problem.reopened_count) == (S.HANDED_OVER, 1)


def test_rating_a_problem_not_yet_solved_is_refused_with_the_message(client, zone):
    problem = handed_over(zone)
    client.cookies["django_language"] = "en"
    response = act(as_user(client, zone.users.ent_a), problem, "rate", {"rate-rating": 5})
    assert response.status_code == 400
    assert "A problem can be rated only once it has been solved." in html(response)
    problem.refresh_from_db()
    assert (problem.status, problem.rating) == (S.HANDED_OVER, None)


@pytest.mark.parametrize(
    ("persona", "action"),
    [("ent_a", "hand-over"), ("dept_a", "rate"), ("officer_a", "reply"), ("leader", "accept"), ("admin", "solve")],
)
def test_an_action_outside_the_role_is_a_404(client, zone, persona, action):
    problem = handed_over(zone)
    response = act(as_user(client, getattr(zone.users, persona)), problem, action, {})
    assert response.status_code == 404


def test_the_officer_solves_directly_and_closes_unrated(client, zone):
    problem = raise_problem(zone)
    client = as_user(client, zone.users.officer_a)
    act(client, problem, "solve", {"solve-solution": "已现场协调"})
    problem.refresh_from_db()
    assert (problem.status, problem.solved_directly) == (S.REPLIED, True)
    assert 'data-testid="action-close"' in html(client.get(reverse("liaison:problem", args=[problem.pk])))
    act(client, problem, "close", {"close-note": ""})
    problem.refresh_from_db()
    assert problem.status == S.CLOSED


def test_the_officer_accepts_a_problem_the_enterprise_raised(client, zone):
    problem = raise_problem(zone, by=zone.users.ent_a)
    assert problem.status == S.SUBMITTED
    act(as_user(client, zone.users.officer_a), problem, "accept", {"accept-note": "收到"})
    problem.refresh_from_db()
    assert problem.status == S.ACCEPTED


def test_the_enterprise_raises_a_problem_for_itself(client, zone):
    response = as_user(client, zone.users.ent_a).post(
        reverse("liaison:problem-new"), {"category": "land", "title": "扩产需新增用地", "description": ""}
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.enterprise, problem.status, problem.origin) == (zone.ent_a, S.SUBMITTED, "enterprise")


def test_the_officer_raises_a_problem_for_one_of_theirs_only(client, zone):
    client = as_user(client, zone.users.officer_a)
    refused = client.post(
        reverse("liaison:problem-new"), {"enterprise": zone.ent_b.pk, "category": "land", "title": "x"}
    )
    assert refused.status_code == 200
    assert not Problem.objects.exists()
    response = client.post(
        reverse("liaison:problem-new"), {"enterprise": zone.ent_a.pk, "category": "land", "title": "x"}
    )
    assert response.status_code == 302
    assert Problem.objects.get().status == S.ACCEPTED


# --- Lists ----------------------------------------------------------------------------------------------------------


def test_the_problem_list_is_scoped_filtered_and_overdue_rows_are_red(client, zone):
    late = handed_over(zone, title="逾期的诉求")
    Problem.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    raise_problem(zone, title="新的诉求", category=Category.LAND)
    services.problem_raise(by=zone.users.officer_b, enterprise=zone.ent_b, category="land", title="乙方的诉求")

    page = html(as_user(client, zone.users.officer_a).get(reverse("liaison:problems")))
    assert page.count('data-testid="problem-row"') == 2
    assert "乙方的诉求" not in page
    assert page.count("table-danger") == 1
    overdue = html(client.get(reverse("liaison:problems"), {"overdue": "1"}))
    assert "逾期的诉求" in overdue
    assert "新的诉求" not in overdue
    by_category = html(client.get(reverse("liaison:problems"), {"category": "land"}))
    assert "新的诉求" in by_category
    assert "逾期的诉求" not in by_category
    by_department = html(client.get(reverse("liaison:problems"), {"department": zone.dept_a.pk}))
    assert "逾期的诉求" in by_department
    assert "新的诉求" not in by_department
    dept_page = html(as_user(client, zone.users.dept_a).get(reverse("liaison:problems")))
    assert dept_page.count('data-testid="problem-row"') == 1
    response = client.get(reverse("liaison:problems"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_MIME


def test_the_escalated_list_has_the_overdue_and_escalated_open_problems(client, zone):
    late = handed_over(zone, title="逾期的诉求")
    Problem.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    handed_over(zone, title="按期的诉求")
    services.escalate_overdue()
    page = html(as_user(client, zone.users.leader).get(reverse("liaison:escalated")))
    assert "逾期的诉求" in page
    assert "按期的诉求" not in page
    assert client.get(reverse("liaison:escalated"), {"export": "xlsx"})["Content-Type"] == XLSX_MIME


# --- Assignments ----------------------------------------------------------------------------------------------------


@pytest.fixture
def unassigned(zone):
    enterprise = f.EnterpriseFactory(name="浙江丙方新材料有限公司")
    f.IndicatorFactory(enterprise=enterprise, gross_output_wan_yuan="800.00")
    return enterprise


def test_the_assignments_page_lists_the_unassigned_eligible_and_the_loads(client, zone, unassigned):
    page = html(as_user(client, zone.users.leader).get(reverse("liaison:assignments")))
    assert unassigned.name in page
    assert 'data-testid="unassigned-count">1<' in page
    assert "officer_a" in page
    assert 'data-testid="suggest"' not in page  # the leader reads only
    admin_page = html(as_user(client, zone.users.admin).get(reverse("liaison:assignments")))
    assert 'data-testid="suggest"' in admin_page


def test_suggest_then_confirm_creates_the_checked_assignments(client, zone, unassigned):
    client = as_user(client, zone.users.admin)
    page = html(client.get(reverse("liaison:assignments"), {"suggest": "1"}))
    assert 'data-testid="proposals"' in page
    assert f'value="{unassigned.pk}:' in page
    officer = Assignment.objects.filter(enterprise=zone.ent_a).get().officer  # any officer will do
    response = client.post(reverse("liaison:assignments-confirm"), {"pair": [f"{unassigned.pk}:{officer.pk}"]})
    assert response.status_code == 302
    assignment = Assignment.objects.active().get(enterprise=unassigned)
    assert (assignment.officer, assignment.started_on) == (officer, timezone.localdate())
    assert 'data-testid="unassigned-count">0<' in html(client.get(reverse("liaison:assignments")))


def test_the_leader_cannot_confirm_or_reassign(client, zone, unassigned):
    client = as_user(client, zone.users.leader)
    pair = f"{unassigned.pk}:{zone.users.officer_a.pk}"
    assert client.post(reverse("liaison:assignments-confirm"), {"pair": [pair]}).status_code == 403
    url = reverse("liaison:enterprise-assignments", args=[zone.ent_a.pk])
    today = timezone.localdate().isoformat()
    assert client.post(url, {"officer": zone.users.officer_b.pk, "started_on": today}).status_code == 404
    assert not Assignment.objects.filter(enterprise=unassigned).exists()


def test_reassigning_keeps_the_history(client, zone):
    client = as_user(client, zone.users.admin)
    url = reverse("liaison:enterprise-assignments", args=[zone.ent_a.pk])
    today = timezone.localdate()
    response = client.post(url, {"officer": zone.users.officer_b.pk, "started_on": today.isoformat()})
    assert response.status_code == 302
    history = list(Assignment.objects.filter(enterprise=zone.ent_a).order_by("started_on"))
    assert [a.officer for a in history] == [zone.users.officer_a, zone.users.officer_b]
    assert history[0].ended_on is not None
    page = html(client.get(url))
    assert page.count("<tr") >= 3  # header + two rows of history


def test_reassigning_to_the_same_officer_is_refused_with_the_message(client, zone):
    client.cookies["django_language"] = "en"
    url = reverse("liaison:enterprise-assignments", args=[zone.ent_a.pk])
    response = as_user(client, zone.users.admin).post(
        url, {"officer": zone.users.officer_a.pk, "started_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert "already serves this enterprise" in html(response)
    assert Assignment.objects.filter(enterprise=zone.ent_a).count() == 1


def test_the_active_assignments_export(client, zone):
    from openpyxl import load_workbook

    response = as_user(client, zone.users.admin).get(reverse("liaison:assignments"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX_MIME
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert "招商引资全程帮办员" in rows[1][-1]


# --- The inbox ------------------------------------------------------------------------------------------------------


def note(user, key, **kwargs):
    return Notification.objects.create(user=user, kind="visit_reminder", key=key, text=f"提醒 {key}", **kwargs)


def test_the_bell_shows_the_unread_count_and_the_inbox_marks_read(client, zone):
    mine = [note(zone.users.officer_a, f"k{i}", url="/liaison/visits/new/") for i in range(3)]
    note(zone.users.officer_b, "other")
    client = as_user(client, zone.users.officer_a)
    page = html(client.get(reverse("liaison:home")))
    assert 'data-testid="notification-count">3<' in page
    inbox = html(client.get(reverse("notifications:inbox")))
    assert inbox.count('data-testid="notification"') == 3
    assert "提醒 other" not in inbox

    client.post(reverse("notifications:read", args=[mine[0].pk]))
    assert 'data-testid="notification-count">2<' in html(client.get(reverse("liaison:home")))
    response = client.post(reverse("notifications:open", args=[mine[1].pk]))
    assert response["Location"] == "/liaison/visits/new/"
    client.post(reverse("notifications:read-all"))
    assert Notification.objects.filter(user=zone.users.officer_a, read_at__isnull=True).count() == 0
    assert 'data-testid="notification-count"' not in html(client.get(reverse("liaison:home")))
    assert Notification.objects.filter(user=zone.users.officer_b, read_at__isnull=True).count() == 1


def test_another_users_notification_is_a_404_and_outside_links_are_not_followed(client, zone):
    theirs = note(zone.users.officer_b, "theirs")
    client = as_user(client, zone.users.officer_a)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    evil = note(zone.users.officer_a, "evil", url="https://evil.example/")
    assert client.post(reverse("notifications:open", args=[evil.pk]))["Location"] == reverse("notifications:inbox")


def test_the_bell_costs_one_query(client, zone):
    client = as_user(client, zone.users.dept_a)
    client.get(reverse("notifications:inbox"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("notifications:inbox"))
    counts = [q["sql"] for q in ctx.captured_queries if "common_notification" in q["sql"] and "COUNT" in q["sql"]]
    # the page's own pager counts once, the bell once
    assert len(counts) == 2


# --- Query counts do not grow with the rows --------------------------------------------------------------------------


def grow(zone, n: int) -> None:
    """n enterprises served by officer_a, each with a visit and a problem handed over to a department."""
    today = timezone.localdate()
    have = Assignment.objects.filter(officer=zone.users.officer_a).count()
    for _i in range(have, n):
        enterprise = f.EnterpriseFactory()
        f.AssignmentFactory(officer=zone.users.officer_a, enterprise=enterprise)
        visit = services.visit_record(
            officer=zone.users.officer_a,
            enterprise=enterprise,
            visited_on=today,
            problems=[{"category": "labour", "title": "招工难"}],
        )
        services.problem_hand_over(problem=visit.problems.get(), by=zone.users.officer_a, department=zone.dept_a)


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


LISTS = [
    ("liaison:problems", "admin"),
    ("liaison:problems", "officer_a"),
    ("liaison:problems", "dept_a"),
    ("liaison:visits", "admin"),
    ("liaison:visits", "officer_a"),
    ("liaison:escalated", "leader"),
]


@pytest.mark.parametrize(("url_name", "persona"), LISTS, ids=[f"{u}-{p}" for u, p in LISTS])
def test_a_list_costs_as_many_queries_with_30_rows_as_with_3(client, zone, url_name, persona):
    user = getattr(zone.users, persona)
    client = as_user(client, user)
    url = reverse(url_name)
    grow(zone, 3)
    Problem.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    few = queries_for(client, url)
    grow(zone, 30)
    Problem.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert queries_for(client, url) == few
    assert few <= 15
