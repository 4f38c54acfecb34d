"""Reads: the explanation of a result (with the radar and last year's class), class distributions, published runs
and an enterprise's history, by role."""

from __future__ import annotations

import pytest

from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import queries, services
from hitechzone.evaluation.models import EvaluationResult


def below(make_firm, *, land, tax, kwh, **kw):
    return make_firm(above=False, land_mu=land, tax_wan_yuan=tax, electricity_wan_kwh=kwh, **kw)


@pytest.fixture
def three(zone, make_firm):
    """The three firms of the hand-computed case in test_services (2024): scores 500/3 (B), 250/3 (C), 50 (C)."""
    firms = [
        below(make_firm, land=10, tax=100, kwh=100, industry="2614"),
        below(make_firm, land=10, tax=50, kwh=100, industry="2614"),
        below(make_firm, land=10, tax=0, kwh=None),
    ]
    run = services.run_publish(by=zone.users.leader, run=services.run_evaluation(by=zone.users.admin, year=2024))
    return run, firms


def _result(run, firm):
    return EvaluationResult.objects.select_related("run").get(run=run, enterprise=firm)


def test_explain_gives_each_indicator_its_value_benchmark_subscore_and_share(
    zone, three, django_assert_max_num_queries
):
    run, (f1, f2, f3) = three
    result = _result(run, f2)
    with django_assert_max_num_queries(2):
        e = queries.explain(result)
    assert (e["year"], e["group"], e["group_label"], e["klass"], e["rank"], e["n"]) == (
        2024,
        "below",
        "规下",
        "C",
        2,
        3,
    )
    assert e["score"] == pytest.approx(250 / 3)
    assert e["indicators"] == [
        {
            "key": "tax_per_mu", "label": "亩均税收", "unit": "万元/亩", "weight": 50.0, "value": 5.0,
            "benchmark": 5.0, "subscore": pytest.approx(50.0), "share": pytest.approx(0.6), "imputed": False,
        },
        {
            "key": "tax_per_kwh", "label": "单位用电税收", "unit": "万元/万kWh", "weight": 50.0, "value": 0.5,
            "benchmark": pytest.approx(0.75), "subscore": pytest.approx(100 / 3), "share": pytest.approx(0.4),
            "imputed": False,
        },
    ]  # fmt: skip
    assert e["radar"] == [
        {"key": "tax_per_mu", "label": "亩均税收", "firm": pytest.approx(50.0), "benchmark": 50.0},
        {"key": "tax_per_kwh", "label": "单位用电税收", "firm": pytest.approx(100 / 3), "benchmark": 50.0},
    ]
    assert e["next_class_gap"] == {
        "indicator": "tax_per_mu",
        "label": "亩均税收",
        "unit": "万元/亩",
        "plus": pytest.approx(25 / 3),
        "to_class": "B",
    }
    assert (e["industry_code"], e["industry_name"], e["industry_rank"], e["industry_size"]) == (
        "26",
        "化学原料和化学制品制造业",
        2,
        2,
    )
    assert e["previous_class"] == ""
    imputed = queries.explain(_result(run, f3))
    assert imputed["indicators"][1]["value"] is None
    assert imputed["indicators"][1]["imputed"] is True
    assert imputed["industry_rank"] is None
    assert queries.explain(_result(run, f1))["next_class_gap"] is None


def test_explain_an_excluded_result_says_why(zone, make_firm):
    firm = make_firm(land_mu=0, tax_wan_yuan=10)
    run = services.run_evaluation(by=zone.users.admin, year=2024)
    e = queries.explain(_result(run, firm))
    assert (e["group"], e["exclusion"], e["exclusion_label"], e["klass"], e["score"]) == (
        "excluded",
        "no_land",
        "No land",
        "",
        None,
    )
    assert e["indicators"] == []
    assert e["radar"] == []
    assert e["next_class_gap"] is None


def test_previous_class_comes_from_the_latest_published_run_of_the_year_before(zone, make_firm):
    admin, leader = zone.users.admin, zone.users.leader
    firms = [below(make_firm, land=10, tax=t, kwh=10, year=2023) for t in range(10, 0, -1)]
    for firm, t in zip(firms, range(10, 0, -1), strict=True):
        below_row = firm.indicators.get(year=2023)
        firm.indicators.create(year=2024, land_mu=below_row.land_mu, tax_wan_yuan=t, electricity_wan_kwh=10)
    unpublished_2023 = services.run_evaluation(by=admin, year=2023)  # noqa: F841 — not published: not used
    run_2024 = services.run_evaluation(by=admin, year=2024)
    top = _result(run_2024, firms[0])
    assert queries.explain(top)["previous_class"] == ""
    services.run_publish(by=leader, run=services.run_evaluation(by=admin, year=2023))
    assert queries.explain(top)["previous_class"] == "A"
    assert queries.explain(_result(run_2024, firms[-1]))["previous_class"] == "D"


def test_distribution_by_brand_chain_and_industry_is_one_query(zone, make_firm, django_assert_num_queries):
    firms = [
        below(make_firm, land=10, tax=t, kwh=10, brand=zone.brand_a if t % 2 else zone.brand_b, industry="2614")
        for t in range(1, 21)
    ]
    for firm in firms[:5]:
        firm.chains.add(zone.chain)
    other_chain = f.ChainFactory(code="silicon", name="有机硅")
    firms[0].chains.add(other_chain)
    run = services.run_evaluation(by=zone.users.admin, year=2024)
    klass = dict(EvaluationResult.objects.filter(run=run).values_list("enterprise_id", "klass"))

    def expected(members):
        counts = dict.fromkeys("ABCD", 0)
        for m in members:
            counts[klass[m.pk]] += 1
        return counts

    with django_assert_num_queries(1):
        by_brand = queries.distribution(run, by="brand")
    assert [(d["key"], d["label"], d["n"]) for d in by_brand] == [
        ("gaoxin", "高新区", 10),
        ("lvchan", "绿色集聚区", 10),
    ]
    assert {k: by_brand[0][k] for k in "ABCD"} == expected([x for x in firms if x.brand == zone.brand_a])
    with django_assert_num_queries(1):
        by_chain = queries.distribution(run, by="chain")
    assert [(d["key"], d["label"], d["n"]) for d in by_chain] == [("fluorine", "氟化工", 5), ("silicon", "有机硅", 1)]
    assert {k: by_chain[0][k] for k in "ABCD"} == expected(firms[:5])
    with django_assert_num_queries(1):
        by_industry = queries.distribution(run, by="industry")
    assert by_industry == [{"key": "26", "label": "化学原料和化学制品制造业", "A": 2, "B": 7, "C": 9, "D": 2, "n": 20}]
    with pytest.raises(ValueError, match="by must be one of"):
        queries.distribution(run, by="block")


def test_published_runs_and_the_latest_by_role(zone, published_run):
    admin = zone.users.admin
    draft = services.run_evaluation(by=admin, year=2025)
    older = services.run_publish(by=zone.users.leader, run=services.run_evaluation(by=admin, year=2024))
    assert list(queries.published_runs(admin)) == [published_run, older]
    assert list(queries.published_runs(zone.users.ent_a)) == [published_run, older]
    assert list(queries.published_runs(zone.users.dept_a)) == []
    assert list(queries.published_runs(zone.users.expert_a)) == []
    assert draft not in queries.published_runs(admin)
    assert queries.latest_published_run() == published_run
    assert queries.latest_published_run(year=2024) == older
    assert queries.latest_published_run(year=2023) is None
    assert queries.latest_published_run(brand=zone.brand_a) is None


def test_an_enterprise_history_shows_its_published_results_to_those_who_may_see_them(zone, published_run):
    u = zone.users
    services.run_evaluation(by=u.admin, year=2025)  # unpublished: nobody's history
    older = services.run_publish(by=u.leader, run=services.run_evaluation(by=u.admin, year=2024))
    assert [r.run for r in queries.enterprise_history(zone.ent_a, u.ent_a)] == [published_run]  # no 2024 figures
    assert older.results.count() == 0
    assert [r.run for r in queries.enterprise_history(zone.ent_a, u.officer_a)] == [published_run]
    assert [r.run for r in queries.enterprise_history(zone.ent_a, u.leader)] == [published_run]
    for persona in ("ent_b", "officer_b", "dept_a", "expert_a"):
        assert list(queries.enterprise_history(zone.ent_a, getattr(u, persona))) == [], persona
