"""An officer on a phone records a visit with one problem and hands it over; the department hands it back."""

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_visit_on_a_phone_and_the_department_hands_the_problem_back(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f
    from hitechzone.liaison.models import Problem, Visit

    brand = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    mine = f.EnterpriseFactory(name="浙江瑞丰氟材料有限公司", brand=brand)
    f.IndicatorFactory(enterprise=mine)
    other = f.EnterpriseFactory(name="浙江瑞丰硅业有限公司", brand=brand)
    labour_bureau = f.DepartmentFactory(name="市人力资源和社会保障局", short_name="人社局")
    f.DepartmentFactory(name="市自然资源和规划局", short_name="资规局")
    officer = f.UserFactory(username="officer1", full_name="张晓明", role=Role.OFFICER)
    f.UserFactory(username="rsj1", full_name="李华", role=Role.DEPARTMENT, department=labour_bureau)
    f.AssignmentFactory(officer=officer, enterprise=mine)
    f.AssignmentFactory(officer=f.UserFactory(username="officer2", role=Role.OFFICER), enterprise=other)

    # The officer, on a phone: the dashboard, then "record a visit".
    log_in(page, live_server, "officer1")
    page.goto(f"{live_server.url}/liaison/")
    page.click("[data-testid=liaison-nav] a[href='/liaison/visits/new/']")
    page.wait_for_url("**/liaison/visits/new/")
    options = page.locator("#id_enterprise option").all_inner_texts()
    assert "浙江瑞丰氟材料有限公司" in options
    assert "浙江瑞丰硅业有限公司" not in options  # another officer's
    assert page.input_value("#id_enterprise") == str(mine.pk)  # the only one: already chosen
    page.click("label[for=id_form_1]")  # by phone: a big button
    page.fill("#id_people_met", "王总")
    page.fill("#id_notes", "生产正常，旺季招工困难")
    page.select_option("#id_problems-0-category", "labour")
    page.fill("#id_problems-0-title", "一线操作工招工难")
    page.click("[data-testid=add-problem]")  # a second row appears, left empty
    assert page.locator("[data-testid=problem-row]").count() == 2
    assert page.input_value("#id_problems-TOTAL_FORMS") == "2"
    page.click("[data-testid=save-visit]")
    page.wait_for_url("**/liaison/visits/?highlight=*")

    visit = Visit.objects.get()
    assert (visit.officer_id, visit.enterprise_id, visit.form) == (officer.pk, mine.pk, "phone")
    problem = Problem.objects.get()
    assert (problem.visit_id, problem.status) == (visit.pk, Problem.Status.ACCEPTED)

    # From the visit to its problem, and hand it over to the labour bureau with the proposed due date.
    page.click("[data-testid=visit-problem]")
    page.wait_for_url(f"**/liaison/problems/{problem.pk}/")
    assert page.locator("[data-testid=problem-status]").get_attribute("data-status") == "accepted"
    page.select_option("#id_hand-over-department", str(labour_bureau.pk))
    assert page.input_value("#id_hand-over-due_on")  # the category's default, already filled in
    page.click("[data-testid=hand-over]")
    page.wait_for_url(f"**/liaison/problems/{problem.pk}/")
    assert page.locator("[data-testid=problem-status]").get_attribute("data-status") == "handed_over"
    assert "市人力资源和社会保障局" in page.locator("[data-testid=problem-department]").inner_text()
    problem.refresh_from_db()
    assert (problem.status, problem.department_id) == (Problem.Status.HANDED_OVER, labour_bureau.pk)

    # The department's staff, on a phone: its list, the problem, the reply.
    log_in(page, live_server, "rsj1")
    page.goto(f"{live_server.url}/liaison/problems/")
    rows = page.locator("[data-testid=problem-row]")
    assert rows.count() == 1
    rows.first.locator("a").first.click()
    page.wait_for_url(f"**/liaison/problems/{problem.pk}/")
    page.fill("#id_reply-solution", "已组织专场招聘会，企业已补足用工。")
    page.click("[data-testid=reply]")
    page.wait_for_url(f"**/liaison/problems/{problem.pk}/")
    assert page.locator("[data-testid=problem-status]").get_attribute("data-status") == "replied"
    assert "已组织专场招聘会" in page.locator("[data-testid=problem-solution]").inner_text()
    assert page.locator("[data-testid=action-reply]").count() == 0  # nothing left for the department to do
    steps = page.locator("[data-testid=problem-step]")
    assert [steps.nth(i).get_attribute("data-action") for i in range(steps.count())] == ["raise", "hand_over", "reply"]

    problem.refresh_from_db()
    assert problem.status == Problem.Status.REPLIED
    assert problem.solved_at is not None
    # The page fits a phone: nothing wider than the 390 px viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
