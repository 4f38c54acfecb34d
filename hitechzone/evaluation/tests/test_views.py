"""The evaluation pages: who may open what (else 403; another's object 404), the M4 menu, publishing, running an
evaluation from the page through the job queue, the explanation of a hand-computed result, exports, exemptions and
vetoes, scheme versions, and list pages whose query count does not grow with their rows.

The hand-computed case (year 2024, all below designated size (规下), 10 mu each; default scheme: 亩均税收 50,
单位用电税收 50):

=========  =====  ===========  ==========  ==========  =================  =====  =====  ====
firm       tax    electricity  亩均税收    用电税收    sub-scores         score  rank   class
=========  =====  ===========  ==========  ==========  =================  =====  =====  ====
ent_a      30     100          3.0         0.3         75 + 60            135    1      B
third      20     —            2.0         missing     50 + 50 (imputed)  100    2      C
ent_b      10     50           1.0         0.2         25 + 40            65     3      C
=========  =====  ===========  ==========  ==========  =================  =====  =====  ====

Benchmarks: 亩均税收 (3 + 2 + 1) / 3 = 2.0, 单位用电税收 (0.3 + 0.2) / 2 = 0.25; the missing value gets the mean
sub-score (60 + 40) / 2 = 50. n = 3: A = round(0.3) = 0, D = round(0.24) = 0, B = round(1.05) = 1, C = 2.
The third firm reaches B (135) with 亩均税收 sub-score 85 = 50 × v / 2.0, v = 3.4: +1.4 万元/亩.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from hitechzone.common import jobs
from hitechzone.common.models import Job
from hitechzone.common.spreadsheets import XLSX_MIME
from hitechzone.enterprises.models import Industry
from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import services, views
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun, Exemption, Scheme, SchemeVersion, Veto
from hitechzone.evaluation.roles import M4_ROLES

pytestmark = pytest.mark.django_db
YEAR = 2024
PERSONAS = ["admin", "leader", "dept_a", "officer_a", "officer_b", "expert_a", "ent_a", "ent_b"]


def as_user(client, user):
    """The client signed in as ``user``, reading the pages in English (messages are matched in English)."""
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html(response) -> str:
    return response.content.decode()


def figures(enterprise, *, tax, electricity=None, land=10, year=YEAR, above=False):
    return f.IndicatorFactory(
        enterprise=enterprise,
        year=year,
        is_above_scale=above,
        land_mu=Decimal(land),
        tax_wan_yuan=Decimal(tax),
        electricity_wan_kwh=None if electricity is None else Decimal(electricity),
    )


@pytest.fixture
def case(zone):
    """The hand-computed case of the module's docstring, evaluated (not published)."""
    chemicals, _created = Industry.objects.get_or_create(
        code="26", defaults={"level": Industry.Level.DIVISION, "name_zh": "化学原料和化学制品制造业"}
    )
    third = f.EnterpriseFactory(name="浙江丙方化工有限公司", brand=zone.brand_a, industry=chemicals)
    zone.ent_a.industry = chemicals
    zone.ent_a.save(update_fields=["industry"])
    figures(zone.ent_a, tax=30, electricity=100)
    figures(third, tax=20)
    figures(zone.ent_b, tax=10, electricity=50)
    run = services.run_evaluation(by=zone.users.admin, year=YEAR)
    results = {r.enterprise_id: r for r in EvaluationResult.objects.filter(run=run)}
    zone.third = third
    zone.run = run
    zone.result_a = results[zone.ent_a.pk]
    zone.result_b = results[zone.ent_b.pk]
    zone.result_third = results[third.pk]
    return zone


@pytest.fixture
def published(case):
    services.run_publish(by=case.users.leader, run=case.run)
    case.run.refresh_from_db()
    return case


# --- Who may open which page ----------------------------------------------------------------------------------

ZONE = {"admin", "leader", "officer_a", "officer_b"}
M4 = ZONE | {"ent_a", "ent_b"}

PAGES = [
    # (name, url of the zone, {persona: status}; personas not listed get a 403 when their role is not the page's,
    # a 404 when the page is their role's but the object is another's)
    ("home", lambda z: reverse("evaluation:home"), {**dict.fromkeys(ZONE, 200), "ent_a": 302, "ent_b": 302}),
    ("runs", lambda z: reverse("evaluation:runs"), dict.fromkeys(ZONE, 200)),
    ("run", lambda z: reverse("evaluation:run", args=[z.run.pk]), dict.fromkeys(M4, 200)),
    (
        "result of A",
        lambda z: reverse("evaluation:result", args=[z.result_a.pk]),
        dict.fromkeys({"admin", "leader", "officer_a", "ent_a"}, 200),
    ),
    (
        "mine",
        lambda z: reverse("evaluation:mine"),
        {"admin": 302, "leader": 302, "officer_a": 200, "officer_b": 200, "ent_a": 302, "ent_b": 302},
    ),
    ("schemes", lambda z: reverse("evaluation:schemes"), dict.fromkeys(M4, 200)),
    (
        "scheme",
        lambda z: reverse("evaluation:scheme", args=[Scheme.objects.get(name="default").pk]),
        dict.fromkeys(M4, 200),
    ),
    (
        "scheme-revise",
        lambda z: reverse("evaluation:scheme-revise", args=[Scheme.objects.get(name="default").pk]),
        {"admin": 200},
    ),
    ("scheme-new", lambda z: reverse("evaluation:scheme-new"), {"admin": 200}),
    ("exemptions", lambda z: reverse("evaluation:exemptions"), dict.fromkeys(ZONE, 200)),
    ("vetoes", lambda z: reverse("evaluation:vetoes"), dict.fromkeys(ZONE, 200)),
    ("enterprise-options", lambda z: reverse("evaluation:enterprise-options") + "?q=浙江", {"admin": 200}),
]


@pytest.mark.parametrize(("name", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_of_a_published_run_answers_each_persona_as_the_scoping_says(
    client, published, name, url, allowed, persona
):
    response = as_user(client, getattr(published.users, persona)).get(url(published))
    role = persona.rsplit("_", 1)[0]
    refused = 404 if any(p.rsplit("_", 1)[0] == role for p in allowed) else 403
    assert response.status_code == allowed.get(persona, refused)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_unpublished_run_and_its_results_are_seen_by_administrators_and_leaders_only(client, case, persona):
    client = as_user(client, getattr(case.users, persona))
    expected = 200 if persona in ("admin", "leader") else 403 if persona.startswith(("dept", "expert")) else 404
    assert client.get(reverse("evaluation:run", args=[case.run.pk])).status_code == expected
    assert client.get(reverse("evaluation:result", args=[case.result_a.pk])).status_code == expected


def test_anonymous_users_are_sent_to_the_login_page(client, case):
    for url in (reverse("evaluation:home"), reverse("evaluation:run", args=[case.run.pk]), reverse("evaluation:mine")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["admin", "leader", "officer_a"])
def test_the_pages_render_before_any_evaluation_was_run(client, zone, persona):
    client = as_user(client, getattr(zone.users, persona))
    for name in ("evaluation:home", "evaluation:runs", "evaluation:schemes", "evaluation:exemptions"):
        assert client.get(reverse(name)).status_code == 200
    assert "No evaluation has been published yet." in html(client.get(reverse("evaluation:home")))


def test_an_enterprise_is_sent_from_the_overview_to_its_own_result(client, published):
    client = as_user(client, published.users.ent_a)
    response = client.get(reverse("evaluation:home"))
    assert response["Location"] == reverse("evaluation:mine")
    response = client.get(reverse("evaluation:mine"))
    assert response["Location"] == reverse("evaluation:result", args=[published.result_a.pk])


def test_an_enterprise_without_a_published_result_is_told_so(client, case):
    response = as_user(client, case.users.ent_a).get(reverse("evaluation:mine"))
    assert response.status_code == 200
    assert 'data-testid="no-result"' in html(response)


def test_an_officer_sees_only_the_enterprises_they_serve_in_a_run_and_in_their_results(client, published):
    client = as_user(client, published.users.officer_a)
    page = html(client.get(reverse("evaluation:run", args=[published.run.pk])))
    assert published.ent_a.uscc in page
    assert published.ent_b.uscc not in page
    assert published.third.uscc not in page
    mine = html(client.get(reverse("evaluation:mine")))
    assert reverse("evaluation:result", args=[published.result_a.pk]) in mine
    assert reverse("evaluation:result", args=[published.result_b.pk]) not in mine


# --- The menus ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_main_navigation_lists_the_evaluation_for_every_role_but_department_staff_and_experts(
    client, zone, persona
):
    page = html(as_user(client, getattr(zone.users, persona)).get("/"))
    shown = f'href="{reverse("evaluation:home")}"' in page
    assert shown == (persona not in ("dept_a", "expert_a"))


def _resolves(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_the_module_menu_lists_what_the_role_may_open_and_only_pages_that_exist(client, published):
    admin = html(as_user(client, published.users.admin).get(reverse("evaluation:home")))
    for key in ("home", "runs", "schemes", "exemptions", "vetoes"):
        assert f'data-nav="{key}"' in admin
    assert 'data-nav="mine"' not in admin
    for key, url_name in (
        ("energy", "evaluation:energy"),
        ("prices", "evaluation:prices"),
        ("exits", "evaluation:exits"),
    ):
        assert (f'data-nav="{key}"' in admin) == _resolves(url_name)

    ent = html(as_user(client, published.users.ent_a).get(reverse("evaluation:result", args=[published.result_a.pk])))
    assert 'data-nav="mine"' in ent
    assert 'data-nav="schemes"' in ent
    for key in ("home", "runs", "exemptions", "vetoes"):
        assert f'data-nav="{key}"' not in ent


def test_the_menu_leaves_out_an_entry_whose_page_does_not_exist_yet(rf, zone, monkeypatch):
    monkeypatch.setattr(
        views.menu, "NAV", (*views.NAV, ("later", "Later", "evaluation:not-built", M4_ROLES, "bi-question"))
    )
    request = rf.get(reverse("evaluation:home"))
    request.user = zone.users.admin
    keys = [item["key"] for item in views.nav(request)]
    assert "later" not in keys
    assert keys[:2] == ["home", "runs"]


# --- Publishing -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "leader", "officer_a"])
def test_the_publish_button_is_shown_to_leaders_and_administrators_only(client, case, persona):
    page = html(as_user(client, getattr(case.users, persona)).get(reverse("evaluation:home")))
    assert ('data-testid="publish"' in page) == (persona in ("admin", "leader"))


def test_a_leader_publishes_a_run_and_its_enterprise_then_sees_its_result(client, case):
    client = as_user(client, case.users.leader)
    response = client.post(reverse("evaluation:run-publish", args=[case.run.pk]))
    assert response.status_code == 302
    case.run.refresh_from_db()
    assert case.run.is_published
    assert case.run.published_by == case.users.leader
    page = html(as_user(client, case.users.ent_a).get(reverse("evaluation:result", args=[case.result_a.pk])))
    assert 'data-testid="result-class" data-class="B"' in page
    assert 'data-testid="publish"' not in html(
        as_user(client, case.users.leader).get(reverse("evaluation:run", args=[case.run.pk]))
    )


@pytest.mark.parametrize("persona", ["officer_a", "ent_a", "dept_a"])
def test_nobody_else_can_publish(client, case, persona):
    response = as_user(client, getattr(case.users, persona)).post(reverse("evaluation:run-publish", args=[case.run.pk]))
    assert response.status_code == 403
    case.run.refresh_from_db()
    assert not case.run.is_published


def test_publishing_twice_is_refused_with_a_message(client, published):
    response = as_user(client, published.users.admin).post(
        reverse("evaluation:run-publish", args=[published.run.pk]), follow=True
    )
    assert "published already" in html(response)


# --- Running an evaluation from the page ----------------------------------------------------------------------


def test_the_run_form_enqueues_a_job_whose_run_produces_the_run_and_links_to_it(client, zone):
    figures(zone.ent_a, tax=30, electricity=100)
    figures(zone.ent_b, tax=10, electricity=50)
    client = as_user(client, zone.users.admin)
    assert 'data-testid="run-form"' in html(client.get(reverse("evaluation:home")))

    response = client.post(reverse("evaluation:run-new"), {"year": YEAR, "scheme": "", "note": "页面测试"})
    job = Job.objects.get(kind="evaluation.run")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('evaluation:home')}?job={job.pk}#job"
    assert job.status == Job.Status.QUEUED
    waiting = html(client.get(f"{reverse('evaluation:home')}?job={job.pk}"))
    assert 'data-testid="job-progress"' in waiting
    assert f'hx-get="{reverse("evaluation:job", args=[job.pk])}"' in waiting
    assert not EvaluationRun.objects.exists()

    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    run = EvaluationRun.objects.get()
    assert (run.year, run.note, run.job_id, run.n_below) == (YEAR, "页面测试", job.pk, 2)
    assert job.result == {"run": run.pk}
    done = html(client.get(reverse("evaluation:job", args=[job.pk]), HTTP_HX_REQUEST="true"))
    assert f'href="{reverse("evaluation:run", args=[run.pk])}" data-testid="job-run-link"' in done
    assert "hx-get" not in done


def test_a_refused_run_is_not_enqueued_and_the_reason_is_shown(client, zone):
    # A scheme whose only version starts after the year: the service refuses before anything is queued.
    services.scheme_create(
        by=zone.users.admin,
        name="later",
        title="2026 起的方案",
        definition=Scheme.objects.get(name="default").current.definition,
        effective_from=2026,
    )
    client = as_user(client, zone.users.admin)
    response = client.post(reverse("evaluation:run-new"), {"year": YEAR, "scheme": "later", "note": ""}, follow=True)
    assert "No version of the scheme" in html(response)
    assert 'data-testid="run-form"' in html(response)
    # A year the form does not accept.
    response = client.post(reverse("evaluation:run-new"), {"year": 1990, "scheme": "", "note": ""}, follow=True)
    assert "greater than or equal to 2000" in html(response)
    assert not Job.objects.filter(kind="evaluation.run").exists()


@pytest.mark.parametrize("persona", ["leader", "officer_a"])
def test_only_an_administrator_may_start_a_run(client, zone, persona):
    response = as_user(client, getattr(zone.users, persona)).post(
        reverse("evaluation:run-new"), {"year": YEAR, "scheme": ""}
    )
    assert response.status_code == 403
    assert not Job.objects.filter(kind="evaluation.run").exists()
    assert 'data-testid="run-form"' not in html(client.get(reverse("evaluation:home")))


# --- The run's page and its exports ---------------------------------------------------------------------------


def test_the_run_page_shows_the_scheme_the_benchmarks_and_the_counts(client, case):
    page = html(as_user(client, case.users.admin).get(reverse("evaluation:run", args=[case.run.pk])))
    version = SchemeVersion.objects.get(scheme__name="default", number=1)
    assert f"{version.scheme} v1" in page or f"</a> v{version.number}" in page
    assert '<tr data-key="tax_per_mu"><td>亩均税收' in page
    assert '<td class="num" data-testid="benchmark">2</td>' in page  # 亩均税收 (3 + 2 + 1) / 3
    assert '<td class="num" data-testid="benchmark">0.25</td>' in page  # 单位用电税收 (0.3 + 0.2) / 2
    assert (
        '<tr data-group="below"><td>Below designated size (规下)</td><td class="num">0</td><td class="num">1</td>'
        in page
    )
    rows = [line for line in page.splitlines() if 'data-testid="result-row"' in line]
    assert [r.split('data-uscc="')[1][:18] for r in rows] == [case.ent_a.uscc, case.third.uscc, case.ent_b.uscc]


def test_the_results_can_be_filtered_by_class_group_brand_and_search(client, case):
    client = as_user(client, case.users.admin)
    url = reverse("evaluation:run", args=[case.run.pk])

    def usccs(query):
        page = html(client.get(url, query))
        return {line.split('data-uscc="')[1][:18] for line in page.splitlines() if 'data-testid="result-row"' in line}

    assert usccs({"class": "B"}) == {case.ent_a.uscc}
    assert usccs({"class": "C"}) == {case.ent_b.uscc, case.third.uscc}
    assert usccs({"brand": case.brand_b.pk}) == {case.ent_b.uscc}
    assert usccs({"q": "丙方"}) == {case.third.uscc}
    assert usccs({"group": "above"}) == set()


def test_the_csv_export_has_the_columns_of_the_command_line_plus_the_industry_rank(client, case):
    response = as_user(client, case.users.admin).get(reverse("evaluation:run", args=[case.run.pk]), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["uscc", "name", "group", "score", "class", "rank", "industry_rank"]
    assert rows[1] == [case.ent_a.uscc, case.ent_a.name, "below", "135.0", "B", "1", "1"]
    assert rows[3] == [case.ent_b.uscc, case.ent_b.name, "below", "65.0", "C", "3", ""]  # no industry
    assert [r[0] for r in rows[1:]] == [case.ent_a.uscc, case.third.uscc, case.ent_b.uscc]


def test_the_xlsx_export_holds_what_the_page_shows(client, case):
    from openpyxl import load_workbook

    response = as_user(client, case.users.admin).get(
        reverse("evaluation:run", args=[case.run.pk]), {"export": "xlsx", "class": "C"}
    )
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("uscc", "name", "group", "score", "class", "rank", "industry_rank")
    assert [(r[0], r[4], r[5], r[6]) for r in rows[1:]] == [
        (case.third.uscc, "C", 2, 2),
        (case.ent_b.uscc, "C", 3, None),
    ]


def test_an_enterprise_exports_only_its_own_row(client, published):
    response = as_user(client, published.users.ent_a).get(
        reverse("evaluation:run", args=[published.run.pk]), {"export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [published.ent_a.uscc]


# --- One result, explained ------------------------------------------------------------------------------------


def _cells(page: str, key: str) -> dict[str, str]:
    """The cells of one indicator's row of the explanation, by their data-testid."""
    row = page.split(f'data-testid="indicator-row" data-key="{key}"')[1].split("</tr>")[0]
    cells = {}
    for name in ("value", "benchmark", "subscore", "share"):
        cells[name] = row.split(f'data-testid="{name}">')[1].split("</span>")[0].strip()
    cells["imputed"] = 'data-testid="imputed"' in row
    return cells


def test_the_explanation_shows_the_numbers_of_the_hand_computed_case(client, published):
    page = html(as_user(client, published.users.ent_a).get(reverse("evaluation:result", args=[published.result_a.pk])))
    assert 'data-testid="result-class" data-class="B"' in page
    assert '<div class="value" data-testid="score">135</div>' in page
    assert 'data-testid="rank">1<small class="fs-6 text-muted">/3</small>' in page
    assert f"1 of 2 in {Industry.objects.get(code='26').name_zh}" in page
    assert _cells(page, "tax_per_mu") == {
        "value": "3",
        "benchmark": "2",
        "subscore": "75",
        "share": "55.6%",
        "imputed": False,
    }
    assert _cells(page, "tax_per_kwh") == {
        "value": "0.3",
        "benchmark": "0.25",
        "subscore": "60",
        "share": "44.4%",
        "imputed": False,
    }
    assert 'data-testid="radar-chart"' in page
    assert '<script id="radar-chart" type="application/json">' in page
    # B is the top class that has members: nothing above to reach.
    assert "To reach class" not in page


def test_the_explanation_marks_an_imputed_value_and_gives_the_gap_to_the_next_class(client, published):
    page = html(
        as_user(client, published.users.admin).get(reverse("evaluation:result", args=[published.result_third.pk]))
    )
    assert 'data-testid="result-class" data-class="C"' in page
    assert _cells(page, "tax_per_kwh") == {
        "value": "—",
        "benchmark": "0.25",
        "subscore": "50",
        "share": "50%",
        "imputed": True,
    }
    assert "To reach class B: 亩均税收 +1.4 万元/亩" in page


def test_the_explanation_gives_last_years_class_and_the_history_of_published_years(client, published):
    figures(published.ent_a, tax=5, electricity=100, year=YEAR - 1)
    figures(published.ent_b, tax=50, electricity=100, year=YEAR - 1)
    earlier = services.run_evaluation(by=published.users.admin, year=YEAR - 1)
    services.run_publish(by=published.users.leader, run=earlier)
    page = html(as_user(client, published.users.ent_a).get(reverse("evaluation:result", args=[published.result_a.pk])))
    previous = EvaluationResult.objects.get(run=earlier, enterprise=published.ent_a)
    assert f'data-class="{previous.klass}"' in page.split('data-testid="previous-class"')[1].split("</div>")[0]
    history = page.split('data-testid="history"')[1]
    assert [int(part[:4]) for part in history.split('data-year="')[1:]] == [YEAR, YEAR - 1]


def test_an_excluded_enterprise_is_told_why(client, case):
    tiny = f.EnterpriseFactory(name="小微企业", brand=case.brand_a)
    figures(tiny, tax=1, land=2)
    run = services.run_evaluation(by=case.users.admin, year=YEAR)
    result = EvaluationResult.objects.get(run=run, enterprise=tiny)
    page = html(as_user(client, case.users.admin).get(reverse("evaluation:result", args=[result.pk])))
    assert 'data-testid="excluded"' in page
    assert 'data-testid="radar-chart"' not in page


# --- The overview ---------------------------------------------------------------------------------------------


def test_the_overview_draws_the_class_distribution_per_brand_chain_and_industry(client, published):
    page = html(as_user(client, published.users.leader).get(reverse("evaluation:home")))
    for chart in ("brand-chart", "chain-chart", "industry-chart"):
        assert f'data-eval-chart="{chart}"' in page
        assert f'<script id="{chart}" type="application/json">' in page
    brand_table = page.split('data-testid="brand-table"')[1].split("</table>")[0]
    assert brand_table.count('data-testid="distribution-row"') == 2  # 高新区 (A and the third firm), 绿色集聚区
    industry_table = page.split('data-testid="industry-table"')[1].split("</table>")[0]
    # 26: ent_a B, the third firm C; ent_b has no industry and is left out.
    assert (
        '<td>化学原料和化学制品制造业</td><td class="num">0</td><td class="num">1</td><td class="num">1</td>'
        in industry_table
    )
    assert f'data-run="{published.run.pk}"' in page.split('data-testid="published-runs"')[1]


# --- Schemes --------------------------------------------------------------------------------------------------


def test_a_scheme_shows_each_versions_rules_as_a_table(client, zone):
    scheme = Scheme.objects.get(name="default")
    page = html(as_user(client, zone.users.ent_a).get(reverse("evaluation:scheme", args=[scheme.pk])))
    below = page.split('data-testid="rules" data-group="below"')[1].split("</table>")[0]
    assert "单位用电税收" in below
    assert below.count('data-testid="rule"') == 2
    assert '<td class="num" data-testid="weight">50</td>' in below
    assert "10k yuan/mu" in below  # the scheme's 万元/亩 in the reader's unit words
    above = page.split('data-testid="rules" data-group="above"')[1].split("</table>")[0]
    assert "÷ pollution equivalents (污染当量)" in above
    quantity = page.split('data-testid="quantity">')[1].split("</li>")[0]
    assert quantity.startswith("pollution equivalents (污染当量) = ")
    assert "× 1,000 ÷ 0.8" in quantity  # NH3-N: tonnes to kg, over its equivalent value


def _revise_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = value
    return data


def test_an_administrator_saves_a_new_version_from_the_weights_table(client, zone):
    from hitechzone.evaluation.forms import SchemeVersionForm

    scheme = Scheme.objects.get(name="default")
    data = _revise_data(SchemeVersionForm(version=scheme.current))
    data.update({"note": "规下税收权重 60/40", "weight__below__tax_per_mu": "60", "weight__below__tax_per_kwh": "40"})
    data["effective_from"] = "2025"
    response = as_user(client, zone.users.admin).post(reverse("evaluation:scheme-revise", args=[scheme.pk]), data)
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.current.number == 2
    assert scheme.current.effective_from == 2025
    below = scheme.current.kernel().group("below")
    assert [i.weight for i in below.indicators] == [60.0, 40.0]
    assert scheme.current.kernel().group("above") == SchemeVersion.objects.get(scheme=scheme, number=1).kernel().group(
        "above"
    )


def test_an_administrator_adds_a_brand_scheme_that_evaluates_only_that_brands_enterprises(client, zone, make_firm):
    from hitechzone.evaluation import services

    default = Scheme.objects.get(name="default")
    data = {
        "name": "gaoxin-2025",
        "title": "高新区亩均评价",
        "brand": zone.brand_a.pk,
        "start_from": default.pk,
        "description": "",
        "effective_from": "2024",
    }
    response = as_user(client, zone.users.admin).post(reverse("evaluation:scheme-new"), data)
    assert response.status_code == 302
    scheme = Scheme.objects.get(name="gaoxin-2025")
    assert (scheme.brand, scheme.current.number, scheme.current.effective_from) == (zone.brand_a, 1, 2024)
    assert scheme.current.definition == default.current.definition
    # The same name again is refused, and nothing is written.
    again = as_user(client, zone.users.admin).post(reverse("evaluation:scheme-new"), data)
    assert again.status_code == 200
    assert Scheme.objects.count() == 2
    make_firm(brand=zone.brand_a, land_mu=10, tax_wan_yuan=100, electricity_wan_kwh=50)
    make_firm(brand=zone.brand_b, land_mu=10, tax_wan_yuan=200, electricity_wan_kwh=50)
    run = services.run_evaluation(by=zone.users.admin, year=YEAR, scheme="gaoxin-2025")
    assert run.brand == zone.brand_a
    assert {r.enterprise.brand_id for r in run.results.select_related("enterprise")} == {zone.brand_a.pk}


def test_a_json_definition_with_problems_lists_each_problem_and_saves_nothing(client, zone):
    from hitechzone.evaluation.forms import SchemeVersionForm

    scheme = Scheme.objects.get(name="default")
    data = _revise_data(SchemeVersionForm(version=scheme.current))
    definition = data["definition"].replace('"weight": 50.0', '"weight": -5').replace('"land_mu"', '"land_hectares"', 1)
    data.update({"note": "坏的", "use_json": "on", "definition": definition})
    response = as_user(client, zone.users.admin).post(reverse("evaluation:scheme-revise", args=[scheme.pk]), data)
    assert response.status_code == 200
    errors = html(response).split('data-testid="definition-errors"')[1].split("</ul>")[0]
    assert errors.count("<li>") >= 3  # two negative weights and an unknown figure, each its own line
    assert "land_hectares" in errors
    assert SchemeVersion.objects.filter(scheme=scheme).count() == 1


def test_invalid_json_is_reported_on_the_field(client, zone):
    from hitechzone.evaluation.forms import SchemeVersionForm

    scheme = Scheme.objects.get(name="default")
    data = _revise_data(SchemeVersionForm(version=scheme.current))
    data.update({"note": "x", "use_json": "on", "definition": "{not json"})
    response = as_user(client, zone.users.admin).post(reverse("evaluation:scheme-revise", args=[scheme.pk]), data)
    assert "This is not valid JSON" in html(response)
    assert SchemeVersion.objects.filter(scheme=scheme).count() == 1


# --- Exemptions and vetoes ------------------------------------------------------------------------------------


def test_an_administrator_exempts_an_enterprise_picked_by_name_and_removes_it_after_confirming(client, zone):
    client = as_user(client, zone.users.admin)
    url = reverse("evaluation:exemptions")
    response = client.post(
        f"{url}?year={YEAR}",
        {"enterprise": "乙方硅业", "year": YEAR, "reason": Exemption.Reason.FIRST_YEAR, "details": "2024年投产"},
    )
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert (exemption.enterprise, exemption.year, exemption.created_by) == (zone.ent_b, YEAR, zone.users.admin)
    page = html(client.get(url, {"year": YEAR}))
    assert f'data-testid="register-row" data-uscc="{zone.ent_b.uscc}"' in page

    remove = reverse("evaluation:exemption-remove", args=[exemption.pk])
    confirm = client.get(remove)
    assert 'data-testid="confirm-remove"' in html(confirm)
    assert Exemption.objects.exists()
    assert client.post(remove).status_code == 302
    assert not Exemption.objects.exists()


def test_an_ambiguous_or_unknown_enterprise_is_refused_on_the_form(client, zone):
    client = as_user(client, zone.users.admin)
    url = reverse("evaluation:exemptions")
    data = {"year": YEAR, "reason": Exemption.Reason.OTHER, "details": "x"}
    ambiguous = html(client.post(url, {**data, "enterprise": "浙江"}))
    assert "Several enterprises match" in ambiguous
    unknown = html(client.post(url, {**data, "enterprise": "不存在的公司"}))
    assert "No enterprise matches" in unknown
    assert not Exemption.objects.exists()


def test_an_administrator_enters_a_veto_by_uscc_and_the_next_run_puts_the_firm_in_d(client, zone):
    figures(zone.ent_a, tax=30, electricity=100)
    figures(zone.ent_b, tax=10, electricity=50)
    response = as_user(client, zone.users.admin).post(
        reverse("evaluation:vetoes"),
        {
            "enterprise": zone.ent_a.uscc,
            "year": YEAR,
            "kind": Veto.Kind.SAFETY,
            "occurred_on": f"{YEAR}-05-01",
            "reason": "较大生产安全事故",
        },
    )
    assert response.status_code == 302
    assert Veto.objects.get().enterprise == zone.ent_a
    run = services.run_evaluation(by=zone.users.admin, year=YEAR)
    assert EvaluationResult.objects.get(run=run, enterprise=zone.ent_a).klass == "D"


def test_a_refused_veto_shows_the_reason_on_the_form(client, zone):
    response = as_user(client, zone.users.admin).post(
        reverse("evaluation:vetoes"),
        {
            "enterprise": zone.ent_a.uscc,
            "year": YEAR,
            "kind": Veto.Kind.SAFETY,
            "occurred_on": "2020-05-01",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="form-error"' in html(response)
    assert not Veto.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "officer_a"])
def test_leaders_and_officers_read_the_lists_but_cannot_change_them(client, zone, persona):
    exemption = services.exemption_set(
        by=zone.users.admin, enterprise=zone.ent_a, year=YEAR, reason=Exemption.Reason.OTHER, details="x"
    )
    client = as_user(client, getattr(zone.users, persona))
    page = html(client.get(reverse("evaluation:exemptions"), {"year": YEAR}))
    assert zone.ent_a.uscc in page
    assert 'data-testid="register-form"' not in page
    assert client.post(reverse("evaluation:exemptions"), {"enterprise": zone.ent_b.uscc}).status_code == 404
    assert client.post(reverse("evaluation:exemption-remove", args=[exemption.pk])).status_code == 403
    assert Exemption.objects.count() == 1


def test_an_officer_sees_the_exemptions_of_their_enterprises_only(client, zone):
    for enterprise in (zone.ent_a, zone.ent_b):
        services.exemption_set(
            by=zone.users.admin, enterprise=enterprise, year=YEAR, reason=Exemption.Reason.OTHER, details="x"
        )
    page = html(as_user(client, zone.users.officer_a).get(reverse("evaluation:exemptions"), {"year": YEAR}))
    assert zone.ent_a.uscc in page
    assert zone.ent_b.uscc not in page


def test_the_picker_suggests_enterprises_by_name(client, zone):
    page = html(as_user(client, zone.users.admin).get(reverse("evaluation:enterprise-options"), {"enterprise": "甲方"}))
    assert f'<option value="{zone.ent_a.uscc}">{zone.ent_a.name}</option>' in page
    assert zone.ent_b.uscc not in page


# --- Query budgets --------------------------------------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


def _more_firms(zone, n: int, year: int = YEAR):
    for i in range(n):
        enterprise = f.EnterpriseFactory(brand=zone.brand_a if i % 2 else zone.brand_b)
        figures(enterprise, tax=5 + i, electricity=40 + i, year=year)


@pytest.mark.parametrize("persona", ["admin", "officer_a"])
def test_the_run_page_costs_the_same_queries_whatever_the_number_of_results(client, case, persona):
    services.run_publish(by=case.users.leader, run=case.run)
    client = as_user(client, getattr(case.users, persona))
    few = _queries(client, reverse("evaluation:run", args=[case.run.pk]))
    _more_firms(case, 30)
    big = services.run_evaluation(by=case.users.admin, year=YEAR)
    services.run_publish(by=case.users.leader, run=big)
    many = _queries(client, reverse("evaluation:run", args=[big.pk]))
    assert many == few


def test_the_overview_and_the_runs_list_cost_the_same_queries_whatever_the_number_of_runs(client, case):
    client = as_user(client, case.users.admin)
    few_home = _queries(client, reverse("evaluation:home"))
    few_runs = _queries(client, reverse("evaluation:runs"))
    _more_firms(case, 10)
    for _i in range(4):
        services.run_evaluation(by=case.users.admin, year=YEAR)
    _more_firms(case, 3, year=YEAR - 1)
    services.run_publish(by=case.users.leader, run=services.run_evaluation(by=case.users.admin, year=YEAR - 1))
    assert _queries(client, reverse("evaluation:home")) == few_home
    assert _queries(client, reverse("evaluation:runs")) == few_runs


def test_the_lists_of_exemptions_and_vetoes_cost_the_same_queries_whatever_their_length(client, zone):
    client = as_user(client, zone.users.admin)
    few = {
        name: _queries(client, reverse(name), {"year": YEAR}) for name in ("evaluation:exemptions", "evaluation:vetoes")
    }
    for i in range(8):
        enterprise = f.EnterpriseFactory()
        services.exemption_set(
            by=zone.users.admin, enterprise=enterprise, year=YEAR, reason=Exemption.Reason.OTHER, details=f"第{i}家"
        )
        services.veto_set(by=zone.users.admin, enterprise=enterprise, year=YEAR, kind=Veto.Kind.OTHER, reason="x")
    for name, n in few.items():
        assert _queries(client, reverse(name), {"year": YEAR}) == n
