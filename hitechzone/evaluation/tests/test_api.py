"""The M4 evaluation API with token auth: a run of a hand-computed year and its results, publication, each
result's explanation, schemes and their versions, exemptions and vetoes, the 400 answers (a refusal or an invalid
body writes nothing) and the query budget of the results list (as many queries for 30 rows as for 5).

The hand-computed year (``case``, 2024, default scheme, every firm below designated size, 规下: 亩均税收 = tax ÷
land and 单位用电税收 = tax ÷ electricity, weight 50 each):

=====  ======  ====  =====  ===========  =======  ========  =========================  =====
firm   who     land  tax    electricity  亩均税收   用电税收     sub-scores                 score
=====  ======  ====  =====  ===========  =======  ========  =========================  =====
E1     ent_a   10    120    10           12       12        50·12/6=100 + 50·12/7.5=80  180
E2     ent_b   10    60     10           6        6         50 + 40                     90
E3             5     15     (blank)      3        missing   25 + 50 (mean of 80,40,40,40) 75
E4             5     30     5            6        6         50 + 40                     90
E5             10    30     5            3        6         25 + 40                     65
E6             2     40     1            —        —         规下 with < 3 亩: excluded    —
=====  ======  ====  =====  ===========  =======  ========  =========================  =====

Benchmarks: 亩均税收 (12+6+3+6+3)/5 = 6; 单位用电税收 (12+6+6+6)/4 = 7.5. E2 and E4 tie on score and on 亩均税收,
so the smaller USCC ranks first. n = 5: n_A = round_half_up(0.5) = 1, n_D = round_half_up(0.4) = 0, n_B =
round_half_up(1.75) = 2: E1 A; E2, E4 B; E3, E5 C. The C firms' gap to B (score 90) in 亩均税收: E3 (90−75)/50·6
= 1.8, E5 (90−65)/50·6 = 3.0 万元/亩.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import services
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun, Exemption, Scheme, SchemeVersion, Veto
from hitechzone.evaluation.schemes import DEFAULT_DEFINITION

SCHEMES, RUNS, RESULTS = "/api/v1/evaluation-schemes/", "/api/v1/evaluation-runs/", "/api/v1/evaluation-results/"
EXEMPTIONS, VETOES = "/api/v1/evaluation-exemptions/", "/api/v1/evaluation-vetoes/"
YEAR = 2024
FORBIDDEN = "You do not have permission to perform this action."


@pytest.fixture
def api(db):
    """``api(user)``: a new token-authenticated client that asks for English messages."""

    def login(user):
        token, _created = Token.objects.get_or_create(user=user)
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return login


@pytest.fixture
def u(zone):
    return zone.users


def figures(enterprise, land, tax, electricity, *, year=YEAR, above=False):
    enterprise.is_above_scale = above
    enterprise.save(update_fields=["is_above_scale"])
    return f.IndicatorFactory(
        enterprise=enterprise,
        year=year,
        is_above_scale=above,
        land_mu=Decimal(land),
        tax_wan_yuan=Decimal(tax),
        electricity_wan_kwh=None if electricity is None else Decimal(electricity),
        gross_output_wan_yuan=None,
        revenue_wan_yuan=None,
    )


def build_case(zone) -> SimpleNamespace:
    """The hand-computed year of the module docstring: E1 is enterprise A, E2 enterprise B."""
    e3, e4, e5, e6 = (f.EnterpriseFactory(brand=zone.brand_a, name=f"丙{i}有限公司") for i in (3, 4, 5, 6))
    for enterprise, land, tax, electricity in (
        (zone.ent_a, 10, 120, 10),
        (zone.ent_b, 10, 60, 10),
        (e3, 5, 15, None),
        (e4, 5, 30, 5),
        (e5, 10, 30, 5),
        (e6, 2, 40, 1),
    ):
        figures(enterprise, land, tax, electricity)
    return SimpleNamespace(e1=zone.ent_a, e2=zone.ent_b, e3=e3, e4=e4, e5=e5, e6=e6)


@pytest.fixture
def case(zone):
    return build_case(zone)


def ok(response, status: int = 200):
    assert response.status_code == status, (response.status_code, response.content)
    return response.json() if response.content else None


def rows(response) -> list[dict]:
    return ok(response)["results"]


def post(client, url, body=None):
    return client.post(url, body or {}, format="json")


def refusal(response, status: int = 400) -> str:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()["detail"]


def run_year(client, **body) -> dict:
    return ok(post(client, RUNS, {"year": YEAR, **body}), 201)


def results_of(client, run_id: int, **params) -> list[dict]:
    return rows(client.get(f"{RUNS}{run_id}/results/", {"page_size": 500, **params}))


def by_uscc(rows_: list[dict]) -> dict[str, dict]:
    return {row["uscc"]: row for row in rows_}


def counts() -> tuple[int, ...]:
    return (
        EvaluationRun.objects.count(),
        EvaluationResult.objects.count(),
        Scheme.objects.count(),
        SchemeVersion.objects.count(),
        Exemption.objects.count(),
        Veto.objects.count(),
    )


# --- The acceptance: a run of the hand-computed year ------------------------------------------------------------


def test_an_administrator_runs_a_year_and_reads_the_hand_computed_results(case, api, u):
    admin = api(u.admin)
    run = run_year(admin, note="季度试算")
    assert run["year"] == YEAR
    assert (run["scheme"], run["scheme_version"]) == ("default", 1)
    assert run["status"] == "done"
    assert run["counts"] == {"above": 0, "below": 5, "excluded": 1}
    assert (run["created_by"], run["note"], run["published_at"], run["published"]) == ("admin", "季度试算", None, False)
    assert run["seconds"] is not None
    assert run["seconds"] >= 0
    assert run["summary"]["benchmarks"]["below"]["tax_per_mu"] == pytest.approx(6.0)
    assert run["summary"]["benchmarks"]["below"]["tax_per_kwh"] == pytest.approx(7.5)

    results = results_of(admin, run["id"])
    first, second = sorted([case.e2, case.e4], key=lambda e: e.uscc)
    expected = [
        (case.e1, "below", 180.0, "A", 1),
        (first, "below", 90.0, "B", 2),
        (second, "below", 90.0, "B", 3),
        (case.e3, "below", 75.0, "C", 4),
        (case.e5, "below", 65.0, "C", 5),
        (case.e6, "excluded", None, None, None),
    ]
    assert [(r["uscc"], r["name"], r["group"], r["class"], r["rank"]) for r in results] == [
        (e.uscc, e.name, group, klass, rank) for e, group, _score, klass, rank in expected
    ]
    for row, (_e, _group, score, _klass, _rank) in zip(results, expected, strict=True):
        assert row["score"] == (None if score is None else pytest.approx(score))
    rows_ = by_uscc(results)
    assert rows_[case.e6.uscc]["exclusion"] == "small_land"
    assert rows_[case.e1.uscc]["exclusion"] is None
    assert not any(row["vetoed"] for row in results)
    assert rows_[case.e3.uscc]["next_class_gap"] == pytest.approx(1.8)
    assert rows_[case.e5.uscc]["next_class_gap"] == pytest.approx(3.0)
    assert rows_[case.e1.uscc]["next_class_gap"] is None
    assert {"uscc", "name", "group", "score", "class", "rank", "industry_rank", "vetoed", "exclusion"} <= set(
        results[0]
    )


def test_the_results_filter_by_group_class_brand_and_words(case, api, zone, u):
    admin = api(u.admin)
    run = run_year(admin)

    def usccs(**params):
        return {row["uscc"] for row in results_of(admin, run["id"], **params)}

    assert usccs(group="excluded") == {case.e6.uscc}
    assert usccs(**{"class": "A"}) == {case.e1.uscc}
    assert usccs(**{"class": "B,C"}) == {case.e2.uscc, case.e3.uscc, case.e4.uscc, case.e5.uscc}
    assert usccs(brand=zone.brand_b.code) == {case.e2.uscc}
    assert usccs(brand=str(zone.brand_b.pk)) == {case.e2.uscc}
    assert usccs(brand="nosuchbrand") == set()
    assert usccs(q="丙4") == {case.e4.uscc}
    assert usccs(q=case.e5.uscc[-6:].lower()) == {case.e5.uscc}
    response = admin.get(f"{RUNS}{run['id']}/results/", {"class": "E"})
    assert response.status_code == 400
    assert "class" in response.json()


def test_runs_list_and_filter_by_year_and_publication(case, api, u):
    admin = api(u.admin)
    older = run_year(admin)
    newer = run_year(admin)
    ok(post(api(u.leader), f"{RUNS}{older['id']}/publish/"))
    assert [row["id"] for row in rows(admin.get(RUNS))] == [newer["id"], older["id"]]
    assert [row["id"] for row in rows(admin.get(RUNS, {"published": "true"}))] == [older["id"]]
    assert [row["id"] for row in rows(admin.get(RUNS, {"published": "false"}))] == [newer["id"]]
    assert rows(admin.get(RUNS, {"year": YEAR - 1})) == []
    detail = ok(admin.get(f"{RUNS}{older['id']}/"))
    assert (detail["published"], detail["published_by"]) == (True, "leader")
    assert detail["summary"]["counts"]["below"]["n"] == 5


# --- Publication ------------------------------------------------------------------------------------------------


def test_publication_lets_officers_and_enterprises_see_their_own_results_only(case, api, u):
    run = run_year(api(u.admin))
    run_id = run["id"]
    for user in (u.officer_a, u.officer_b, u.ent_a, u.ent_b):
        client = api(user)
        assert rows(client.get(RUNS)) == []
        assert client.get(f"{RUNS}{run_id}/").status_code == 404
        assert client.get(f"{RUNS}{run_id}/results/").status_code == 404
        assert rows(client.get(RESULTS)) == []
    # The leader sees the unpublished run and all its rows before publishing it.
    ranks = {row["uscc"]: row["rank"] for row in results_of(api(u.leader), run_id)}
    assert len(ranks) == 6
    published = ok(post(api(u.leader), f"{RUNS}{run_id}/publish/"))
    assert published["published"] is True
    assert published["published_at"] is not None

    for user, enterprise in ((u.officer_a, case.e1), (u.ent_a, case.e1), (u.officer_b, case.e2), (u.ent_b, case.e2)):
        client = api(user)
        assert [row["id"] for row in rows(client.get(RUNS))] == [run_id]
        mine = results_of(client, run_id)
        assert [row["uscc"] for row in mine] == [enterprise.uscc]
        # The rank is the one in the whole group, not among the rows the user sees.
        assert mine[0]["rank"] == ranks[enterprise.uscc]
        assert [row["uscc"] for row in rows(client.get(RESULTS))] == [enterprise.uscc]
    other = EvaluationResult.objects.get(run_id=run_id, enterprise=case.e2)
    assert api(u.ent_a).get(f"{RESULTS}{other.pk}/").status_code == 404
    assert api(u.officer_a).get(f"{RESULTS}{other.pk}/explain/").status_code == 404


def test_only_a_leader_or_an_administrator_publishes(case, api, u):
    run = run_year(api(u.admin))
    for user in (u.officer_a, u.ent_a, u.dept_a, u.expert_a):
        assert refusal(post(api(user), f"{RUNS}{run['id']}/publish/"), 403) == FORBIDDEN
    assert EvaluationRun.objects.get(pk=run["id"]).published_at is None
    assert ok(post(api(u.admin), f"{RUNS}{run['id']}/publish/"))["published_by"] == "admin"


# --- The explanation --------------------------------------------------------------------------------------------


def test_an_enterprise_reads_the_explanation_of_its_published_result(case, api, u):
    run = run_year(api(u.admin))
    ok(post(api(u.leader), f"{RUNS}{run['id']}/publish/"))
    result = EvaluationResult.objects.get(run_id=run["id"], enterprise=case.e3)
    # E3 is no persona's: the administrator reads it; enterprise A reads its own (E1).
    explained = ok(api(u.admin).get(f"{RESULTS}{result.pk}/explain/"))
    indicators = {row["key"]: row for row in explained["indicators"]}
    assert set(indicators) == {"tax_per_mu", "tax_per_kwh"}
    tax = indicators["tax_per_mu"]
    assert (tax["value"], tax["benchmark"], tax["subscore"], tax["weight"]) == pytest.approx((3.0, 6.0, 25.0, 50.0))
    assert tax["share"] == pytest.approx(25 / 75)
    assert tax["imputed"] is False
    kwh = indicators["tax_per_kwh"]
    assert kwh["value"] is None
    assert kwh["imputed"] is True
    assert kwh["subscore"] == pytest.approx(50.0)
    assert explained["score"] == pytest.approx(75.0)
    assert explained["next_class_gap"]["indicator"] == "tax_per_mu"
    assert explained["next_class_gap"]["plus"] == pytest.approx(1.8)

    own = EvaluationResult.objects.get(run_id=run["id"], enterprise=case.e1)
    assert ok(api(u.ent_a).get(f"{RESULTS}{own.pk}/explain/"))["score"] == pytest.approx(180.0)
    detail = ok(api(u.ent_a).get(f"{RESULTS}{own.pk}/"))
    assert detail["values"]["tax_per_mu"] == pytest.approx(12.0)
    assert detail["subscores"]["tax_per_kwh"] == pytest.approx(80.0)
    assert (detail["year"], detail["class"], detail["published"]) == (YEAR, "A", True)


# --- Refusals and invalid input write nothing -------------------------------------------------------------------


def test_an_invalid_run_request_answers_the_field_errors_and_writes_nothing(case, api, u):
    admin = api(u.admin)
    before = counts()
    assert "year" in ok(post(admin, RUNS, {}), 400)
    assert "year" in ok(post(admin, RUNS, {"year": "twenty"}), 400)
    assert "year" in ok(post(admin, RUNS, {"year": 1800}), 400)
    assert "scheme" in ok(post(admin, RUNS, {"year": YEAR, "scheme": "no-such-scheme"}), 400)
    assert counts() == before


def test_a_refused_run_answers_the_reason_and_writes_nothing(case, api, u):
    before = counts()
    # No version of the default scheme is in force before it was first used.
    first = SchemeVersion.objects.filter(scheme__name="default").order_by("effective_from").first()
    message = refusal(post(api(u.admin), RUNS, {"year": first.effective_from - 1}))
    assert message
    for user in (u.leader, u.officer_a, u.ent_a, u.dept_a, u.expert_a):
        assert refusal(post(api(user), RUNS, {"year": YEAR}), 403) == FORBIDDEN
    assert counts() == before


def test_the_services_refusals_answer_400_with_their_message_and_write_nothing(case, api, u):
    admin = api(u.admin)
    run = run_year(admin)
    ok(post(admin, f"{RUNS}{run['id']}/publish/"))
    before = counts()
    published_at = EvaluationRun.objects.get(pk=run["id"]).published_at
    assert refusal(post(api(u.leader), f"{RUNS}{run['id']}/publish/")) == "This evaluation is published already."
    assert EvaluationRun.objects.get(pk=run["id"]).published_at == published_at
    body = {"enterprise": case.e5.uscc, "year": YEAR, "reason": "other"}
    assert refusal(post(admin, EXEMPTIONS, body)).startswith("Say why the enterprise is exempted")
    veto = {"enterprise": case.e5.pk, "year": YEAR, "kind": "safety", "reason": "事故", "occurred_on": "2023-12-31"}
    assert refusal(post(admin, VETOES, veto)) == "The accident must have happened in 2024."
    duplicate = {"name": "default", "title": "重复", "definition": DEFAULT_DEFINITION, "effective_from": YEAR}
    assert refusal(post(admin, SCHEMES, duplicate)) == "A scheme named default exists."
    assert counts() == before


# --- Schemes ----------------------------------------------------------------------------------------------------


def test_an_administrator_creates_and_revises_a_scheme_and_runs_it_by_name(case, api, zone, u):
    admin = api(u.admin)
    created = ok(
        post(
            admin,
            SCHEMES,
            {
                "name": "gaoxin",
                "title": "高新区方案",
                "brand": zone.brand_a.code,
                "definition": DEFAULT_DEFINITION,
                "effective_from": 2020,
                "note": "首版",
            },
        ),
        201,
    )
    assert (created["name"], created["brand"], created["version"], created["effective_from"]) == (
        "gaoxin",
        zone.brand_a.code,
        1,
        2020,
    )
    assert [v["number"] for v in created["versions"]] == [1]
    revised = ok(
        post(admin, f"{SCHEMES}{created['id']}/versions/", {"definition": DEFAULT_DEFINITION, "effective_from": 2024}),
        201,
    )
    assert (revised["scheme"], revised["number"], revised["effective_from"]) == ("gaoxin", 2, 2024)
    detail = ok(api(u.ent_a).get(f"{SCHEMES}{created['id']}/"))
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert detail["version"] == 2

    run = run_year(admin, scheme="gaoxin")
    assert (run["scheme"], run["scheme_version"]) == ("gaoxin", 2)


def test_an_invalid_scheme_definition_answers_every_problem_and_writes_nothing(case, api, u):
    admin = api(u.admin)
    before = counts()
    broken = {**DEFAULT_DEFINITION, "groups": "not a list"}
    body = {"name": "broken", "title": "坏方案", "definition": broken, "effective_from": 2024}
    errors = ok(post(admin, SCHEMES, body), 400)
    assert set(errors) == {"definition"}
    assert errors["definition"]
    assert set(ok(post(admin, SCHEMES, {**body, "definition": [1, 2]}), 400)) == {"definition"}
    assert set(ok(post(admin, SCHEMES, {"title": "x"}), 400)) >= {"name", "definition", "effective_from"}
    default = Scheme.objects.get(name="default")
    assert set(ok(post(admin, f"{SCHEMES}{default.pk}/versions/", {"definition": broken, "effective_from": 2024}), 400))
    for user in (u.leader, u.officer_a, u.ent_a):
        assert refusal(post(api(user), SCHEMES, {**body, "definition": DEFAULT_DEFINITION}), 403) == FORBIDDEN
        assert refusal(post(api(user), f"{SCHEMES}{default.pk}/versions/", {}), 403) == FORBIDDEN
    assert counts() == before


# --- Exemptions and vetoes --------------------------------------------------------------------------------------


def test_an_exemption_takes_a_firm_out_of_the_run_and_can_be_removed(case, api, u):
    admin = api(u.admin)
    exemption = ok(
        post(
            admin,
            EXEMPTIONS,
            {"enterprise": case.e5.uscc, "year": YEAR, "reason": "first_year", "details": "2024年首年投产"},
        ),
        201,
    )
    assert (exemption["enterprise"], exemption["year"], exemption["reason"]) == (case.e5.pk, YEAR, "first_year")
    assert exemption["created_by"] == "admin"
    run = run_year(admin)
    row = by_uscc(results_of(admin, run["id"]))[case.e5.uscc]
    assert (row["group"], row["exclusion"], row["class"], row["rank"]) == ("excluded", "exempt", None, None)

    assert refusal(api(u.officer_a).delete(f"{EXEMPTIONS}{exemption['id']}/"), 403) == FORBIDDEN
    assert admin.delete(f"{EXEMPTIONS}{exemption['id']}/").status_code == 204
    assert not Exemption.objects.exists()
    assert by_uscc(results_of(admin, run_year(admin)["id"]))[case.e5.uscc]["group"] == "below"


def test_an_invalid_exemption_answers_the_field_errors_and_writes_nothing(case, api, u):
    admin = api(u.admin)
    before = counts()
    errors = ok(post(admin, EXEMPTIONS, {"enterprise": "91330000XXXXXXXXXX", "year": YEAR, "reason": "why"}), 400)
    assert set(errors) >= {"enterprise", "reason"}
    assert "year" in ok(post(admin, EXEMPTIONS, {"enterprise": case.e5.pk, "reason": "other"}), 400)
    assert counts() == before


def test_a_veto_puts_the_firm_in_d_after_all_others_of_its_group(case, api, u):
    admin = api(u.admin)
    veto = ok(
        post(
            admin,
            VETOES,
            {
                "enterprise": case.e1.pk,
                "year": YEAR,
                "kind": "safety",
                "reason": "较大生产安全事故",
                "occurred_on": "2024-06-03",
            },
        ),
        201,
    )
    assert (veto["uscc"], veto["kind"], veto["occurred_on"]) == (case.e1.uscc, "safety", "2024-06-03")
    run = run_year(admin)
    results = results_of(admin, run["id"], group="below")
    last = results[-1]
    assert (last["uscc"], last["class"], last["rank"], last["vetoed"]) == (case.e1.uscc, "D", 5, True)
    # Four firms counted: n_A = round_half_up(0.4) = 0, n_D = 0, n_B = round_half_up(1.4) = 1.
    assert [row["class"] for row in results] == ["B", "C", "C", "C", "D"]

    assert refusal(api(u.leader).delete(f"{VETOES}{veto['id']}/"), 403) == FORBIDDEN
    assert admin.delete(f"{VETOES}{veto['id']}/").status_code == 204
    assert not Veto.objects.exists()


# --- Query budget -----------------------------------------------------------------------------------------------


def queries_of(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def more_firms(zone, n: int) -> None:
    for i in range(n):
        enterprise = f.EnterpriseFactory(brand=zone.brand_a if i % 2 else zone.brand_b)
        figures(enterprise, 10 + i, 50 + 3 * i, 5 + i)
        f.AssignmentFactory(officer=zone.users.officer_a, enterprise=enterprise)


@pytest.mark.parametrize("persona", ["admin", "officer_a"])
def test_the_results_list_costs_the_same_queries_for_30_rows_as_for_5(
    case, api, zone, u, persona, django_assert_max_num_queries
):
    def measure() -> tuple[int, int]:
        run = run_year(api(u.admin))
        services.run_publish(by=u.leader, run=EvaluationRun.objects.get(pk=run["id"]))
        client = api(getattr(u, persona))
        url = f"{RUNS}{run['id']}/results/"
        n = len(results_of(client, run["id"]))
        return n, queries_of(client, url, {"page_size": 500, "brand": f"{zone.brand_a.code},{zone.brand_b.code}"})

    few_rows, few = measure()
    more_firms(zone, 30)
    many_rows, many = measure()
    assert many_rows >= few_rows + 30
    assert many == few
    client = api(getattr(u, persona))
    run_id = EvaluationRun.objects.order_by("-id").first().pk
    with django_assert_max_num_queries(6):
        client.get(f"{RUNS}{run_id}/results/", {"page_size": 500})
    with django_assert_max_num_queries(6):
        client.get(RESULTS, {"page_size": 500})
    with django_assert_max_num_queries(6):
        client.get(RUNS)
