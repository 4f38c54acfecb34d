"""The evaluation services through the database: every rule of the default scheme on small hand-computed cases,
runs (immutable, repeatable, audited), publication, exemptions and vetoes, the background job."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from hitechzone.common import jobs
from hitechzone.common.models import AuditEvent, Job
from hitechzone.enterprises.models import EnterpriseIndicator
from hitechzone.evaluation import services
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun, Exemption, SchemeVersion, Veto
from hitechzone.evaluation.services import Refused


def below(make_firm, *, land, tax, kwh, **kw):
    return make_firm(above=False, land_mu=land, tax_wan_yuan=tax, electricity_wan_kwh=kwh, **kw)


# --- Scope ---------------------------------------------------------------------------------------------------


def test_scope_excludes_no_land_small_land_and_exempt_and_leaves_out_firms_without_a_row(zone, make_firm, run_year):
    admin = zone.users.admin
    evaluated_above = make_firm(land_mu=10, tax_wan_yuan=100)
    small_above = make_firm(land_mu=1, tax_wan_yuan=10)  # 规上 firms are evaluated on any land > 0
    no_land = make_firm(land_mu=None, tax_wan_yuan=100)
    zero_land = make_firm(land_mu=0, tax_wan_yuan=100)
    small_below = below(make_firm, land=2.5, tax=10, kwh=5)
    just_enough = below(make_firm, land=3, tax=10, kwh=5)
    exempt = make_firm(land_mu=20, tax_wan_yuan=100)
    exempt_without_row = make_firm(year=None)
    without_row = make_firm(year=None)
    exempt_other_year = make_firm(land_mu=20, tax_wan_yuan=100)
    services.exemption_set(by=admin, enterprise=exempt, year=2024, reason="first_year", details="投产首年")
    services.exemption_set(by=admin, enterprise=exempt_without_row, year=2024, reason="relocation", details="搬迁")
    services.exemption_set(by=admin, enterprise=exempt_other_year, year=2023, reason="other", details="2023")

    run, by = run_year()

    assert {u: (r.group, r.exclusion) for u, r in by.items()} == {
        evaluated_above.uscc: ("above", ""),
        small_above.uscc: ("above", ""),
        no_land.uscc: ("excluded", "no_land"),
        zero_land.uscc: ("excluded", "no_land"),
        small_below.uscc: ("excluded", "small_land"),
        just_enough.uscc: ("below", ""),
        exempt.uscc: ("excluded", "exempt"),
        exempt_without_row.uscc: ("excluded", "exempt"),
        exempt_other_year.uscc: ("above", ""),
    }
    assert without_row.uscc not in by
    assert (run.n_above, run.n_below, run.n_excluded) == (3, 1, 5)
    assert run.summary["exclusions"] == {"no_land": 2, "small_land": 1, "exempt": 2}
    for r in by.values():
        if r.group == "excluded":
            assert (r.score, r.klass, r.rank, r.values, r.subscores) == (None, "", None, {}, {})
    assert by[exempt_without_row.uscc].inputs["land_mu"] is None
    assert by[zero_land.uscc].inputs["land_mu"] == 0.0


# --- Scores, benchmarks, missing values --------------------------------------------------------------------------


def test_below_scale_scores_benchmarks_and_imputed_missing_values_by_hand(zone, make_firm, run_year):
    f1 = below(make_firm, land=10, tax=100, kwh=100)  # 亩均税收 10, 单位用电税收 1
    f2 = below(make_firm, land=10, tax=50, kwh=100)  # 5, 0.5
    f3 = below(make_firm, land=10, tax=0, kwh=None)  # 0, missing

    run, by = run_year()

    assert run.summary["benchmarks"]["below"] == {"tax_per_mu": 5.0, "tax_per_kwh": pytest.approx(0.75)}
    r1, r2, r3 = by[f1.uscc], by[f2.uscc], by[f3.uscc]
    assert r1.subscores == {"tax_per_mu": pytest.approx(100.0), "tax_per_kwh": pytest.approx(200 / 3)}
    assert r2.subscores == {"tax_per_mu": pytest.approx(50.0), "tax_per_kwh": pytest.approx(100 / 3)}
    # The missing value gets the mean of the group's sub-scores of that indicator: (200/3 + 100/3) / 2 = 50.
    assert r3.values == {"tax_per_mu": 0.0, "tax_per_kwh": None}
    assert r3.subscores == {"tax_per_mu": 0.0, "tax_per_kwh": pytest.approx(50.0)}
    assert r3.imputed == ["tax_per_kwh"]
    assert r1.imputed == []
    assert [r.score for r in (r1, r2, r3)] == [pytest.approx(500 / 3), pytest.approx(250 / 3), pytest.approx(50.0)]
    assert [r.rank for r in (r1, r2, r3)] == [1, 2, 3]
    # n = 3: A = round(0.3) = 0, D = round(0.24) = 0, B = round(1.05) = 1, C = 2.
    assert [r.klass for r in (r1, r2, r3)] == ["B", "C", "C"]
    assert run.summary["counts"]["below"] == {"n": 3, "A": 0, "B": 1, "C": 2, "D": 0}
    # Next class (B, whose lowest score is f1's 500/3), by 亩均税收 with everything else fixed:
    # f2 needs a sub-score of 500/3 - 100/3 = 400/3, i.e. 400/3 / 50 × 5 = 40/3 万元/亩, 25/3 more than its 5.
    assert r2.next_class_gap == pytest.approx(25 / 3)
    assert r3.next_class_gap == pytest.approx((500 / 3 - 50) / 50 * 5)
    assert r1.next_class_gap is None  # nobody is in A
    assert r3.inputs == {"land_mu": 10.0, "tax_wan_yuan": 0.0, "electricity_wan_kwh": None} | {
        k: None for k in r3.inputs if k not in ("land_mu", "tax_wan_yuan", "electricity_wan_kwh", "above_scale")
    } | {"above_scale": False}


def test_above_scale_indicators_with_pollution_equivalents_by_hand(zone, make_firm, run_year):
    g1 = make_firm(
        land_mu=10,
        tax_wan_yuan=100,
        value_added_wan_yuan=1000,
        energy_tce=500,
        cod_t=1,  # 1,000 kg ÷ 1
        ammonia_nitrogen_t=0.8,  # 800 kg ÷ 0.8
        so2_t=0.95,  # 950 kg ÷ 0.95; NOx blank counts as 0: 3,000 equivalents
        employees_avg=100,
        rd_spending_wan_yuan=50,
        revenue_wan_yuan=1000,
    )
    g2 = make_firm(land_mu=20, tax_wan_yuan=100, value_added_wan_yuan=1000, employees_avg=50, revenue_wan_yuan=500)

    run, by = run_year()

    r1, r2 = by[g1.uscc], by[g2.uscc]
    assert r1.values == {
        "tax_per_mu": 10.0,
        "value_added_per_mu": 100.0,
        "value_added_per_tce": 2.0,
        "value_added_per_pe": pytest.approx(1 / 3),
        "labour_productivity": 10.0,
        "rd_share": 0.05,
    }
    assert r2.values == {
        "tax_per_mu": 5.0,
        "value_added_per_mu": 50.0,
        "value_added_per_tce": None,
        "value_added_per_pe": None,  # every pollutant blank
        "labour_productivity": 20.0,
        "rd_share": None,
    }
    assert r1.subscores == pytest.approx(
        {
            "tax_per_mu": 40.0,  # 30 × 10 / 7.5
            "value_added_per_mu": 80 / 3,  # 20 × 100 / 75
            "value_added_per_tce": 20.0,
            "value_added_per_pe": 10.0,
            "labour_productivity": 20 / 3,  # 10 × 10 / 15
            "rd_share": 10.0,
        }
    )
    assert r2.subscores == pytest.approx(
        {
            "tax_per_mu": 20.0,
            "value_added_per_mu": 40 / 3,
            "value_added_per_tce": 20.0,  # imputed: the mean of g1's alone
            "value_added_per_pe": 10.0,
            "labour_productivity": 40 / 3,
            "rd_share": 10.0,
        }
    )
    assert sorted(r2.imputed) == ["rd_share", "value_added_per_pe", "value_added_per_tce"]
    assert r1.score == pytest.approx(340 / 3)
    assert r2.score == pytest.approx(260 / 3)
    assert [i["key"] for i in run.summary["indicators"]["above"]] == [
        "tax_per_mu",
        "value_added_per_mu",
        "value_added_per_tce",
        "value_added_per_pe",
        "labour_productivity",
        "rd_share",
    ]
    assert run.summary["indicators"]["above"][0] == {
        "key": "tax_per_mu",
        "label": "亩均税收",
        "weight": 30.0,
        "unit": "万元/亩",
    }


def test_a_benchmark_of_zero_gives_everybody_zero(zone, make_firm, run_year):
    firms = [below(make_firm, land=10, tax=0, kwh=10) for _ in range(3)]
    run, by = run_year()
    assert run.summary["benchmarks"]["below"] == {"tax_per_mu": 0.0, "tax_per_kwh": 0.0}
    assert [by[f.uscc].score for f in firms] == [0.0, 0.0, 0.0]
    assert [by[f.uscc].rank for f in firms] == [1, 2, 3]  # all tied: USCC ascending


# --- Veto, ties, class counts ------------------------------------------------------------------------------------


def test_a_vetoed_firm_is_d_ranked_last_and_not_counted(zone, make_firm, run_year):
    best = below(make_firm, land=10, tax=100, kwh=10)
    others = [below(make_firm, land=10, tax=t, kwh=10) for t in (60, 50, 40)]
    services.veto_set(by=zone.users.admin, enterprise=best, year=2024, kind="safety", reason="重大安全事故")

    run, by = run_year()

    vetoed = by[best.uscc]
    assert (vetoed.klass, vetoed.rank, vetoed.vetoed, vetoed.next_class_gap) == ("D", 4, True, None)
    assert vetoed.score > max(by[f.uscc].score for f in others)  # scored, and in the benchmarks
    assert run.summary["benchmarks"]["below"]["tax_per_mu"] == pytest.approx(6.25)
    assert [by[f.uscc].rank for f in others] == [1, 2, 3]
    # n = 3 counted: B 1, C 2; the vetoed firm adds one D.
    assert [by[f.uscc].klass for f in others] == ["B", "C", "C"]
    assert run.summary["counts"]["below"] == {"n": 3, "A": 0, "B": 1, "C": 2, "D": 1}


def test_equal_scores_rank_by_tax_per_mu_then_uscc(zone, make_firm, run_year):
    # Symmetric figures give equal scores (50 × 2/3 + 50 × 4/3 either way round): the higher 亩均税收 goes first,
    # though its USCC is the larger one.
    low_tax = below(make_firm, land=10, tax=20, kwh=5)  # 亩均税收 2, 单位用电税收 4
    high_tax = below(make_firm, land=10, tax=40, kwh=20)  # 4, 2
    same_1 = below(make_firm, land=10, tax=30, kwh=10)  # 3, 3 (identical figures: USCC decides)
    same_2 = below(make_firm, land=10, tax=30, kwh=10)
    assert low_tax.uscc < high_tax.uscc
    assert same_1.uscc < same_2.uscc

    _run, by = run_year()

    assert by[low_tax.uscc].score == by[high_tax.uscc].score
    assert by[same_1.uscc].score == by[same_2.uscc].score
    order = sorted(by.values(), key=lambda r: r.rank)
    pairs = [(r.uscc, r.rank) for r in order]
    assert pairs.index((high_tax.uscc, by[high_tax.uscc].rank)) < pairs.index((low_tax.uscc, by[low_tax.uscc].rank))
    assert by[high_tax.uscc].rank + 1 == by[low_tax.uscc].rank
    assert by[same_1.uscc].rank + 1 == by[same_2.uscc].rank


def test_class_counts_round_half_up_exactly_for_thirty_firms(zone, make_firm, run_year):
    # 0.35 × 30 = 10.5 → 11 B (a float product, 10.499…, would round to 10); 0.10 × 30 = 3 A; 0.08 × 30 = 2.4 → 2 D.
    firms = [below(make_firm, land=10, tax=t, kwh=10) for t in range(30, 0, -1)]
    run, by = run_year()
    classes = "".join(by[f.uscc].klass for f in firms)
    assert classes == "A" * 3 + "B" * 11 + "C" * 14 + "D" * 2
    assert [by[f.uscc].rank for f in firms] == list(range(1, 31))
    assert run.summary["counts"]["below"] == {"n": 30, "A": 3, "B": 11, "C": 14, "D": 2}
    assert run.summary["class_floor"]["below"]["A"] == by[firms[2].uscc].score


def test_industry_ranks_are_within_the_group_and_the_division(zone, make_firm, run_year):
    chem_1 = make_firm(land_mu=10, tax_wan_yuan=90, industry="2614")
    pharma = make_firm(land_mu=10, tax_wan_yuan=80, industry="271")
    chem_2 = make_firm(land_mu=10, tax_wan_yuan=70, industry="261")
    section_only = make_firm(land_mu=10, tax_wan_yuan=60, industry="C")
    none = make_firm(land_mu=10, tax_wan_yuan=50)
    chem_below = below(make_firm, land=10, tax=10, kwh=1, industry="26")

    _run, by = run_year()

    got = {f.uscc: (by[f.uscc].industry_code, by[f.uscc].industry_rank, by[f.uscc].industry_size) for f in
           (chem_1, pharma, chem_2, section_only, none, chem_below)}  # fmt: skip
    assert got == {
        chem_1.uscc: ("26", 1, 2),
        pharma.uscc: ("27", 1, 1),
        chem_2.uscc: ("26", 2, 2),
        section_only.uscc: ("", None, None),
        none.uscc: ("", None, None),
        chem_below.uscc: ("26", 1, 1),
    }
    assert [by[f.uscc].rank for f in (chem_1, pharma, chem_2, section_only, none)] == [1, 2, 3, 4, 5]


# --- Runs: repeatable, immutable, audited, refused ---------------------------------------------------------------


def _numbers(run):
    return list(
        EvaluationResult.objects.filter(run=run)
        .order_by("uscc")
        .values_list(
            "uscc", "group", "exclusion", "score", "klass", "rank", "industry_rank", "values", "subscores", "imputed",
            "next_class_gap", "vetoed", "inputs",
        )
    )  # fmt: skip


def _mixed_year(make_firm, admin):
    firms = [
        make_firm(
            land_mu=5 + i,
            tax_wan_yuan=None if i % 7 == 0 else 10 * i,
            value_added_wan_yuan=100 + 13 * i,
            energy_tce=None if i % 3 == 0 else 20 + i,
            cod_t=0.1 * i if i % 2 else None,
            employees_avg=10 + i,
            industry="2614" if i % 2 else "271",
        )
        for i in range(1, 25)
    ]
    firms += [below(make_firm, land=3 + i, tax=i % 5, kwh=None if i % 4 == 0 else i) for i in range(1, 20)]
    services.veto_set(by=admin, enterprise=firms[3], year=2024, kind="environment", reason="环境事故")
    return firms


def test_a_rerun_gives_a_new_run_with_identical_numbers(zone, make_firm, run_year):
    _mixed_year(make_firm, zone.users.admin)
    first, _ = run_year()
    second, _ = run_year()
    assert first.pk != second.pk
    assert first.scheme_version_id == second.scheme_version_id
    assert first.summary == second.summary
    assert _numbers(first) == _numbers(second)
    assert len(_numbers(first)) == 43


def test_runs_are_immutable_a_later_change_of_the_data_makes_a_new_run(zone, make_firm, run_year):
    firms = _mixed_year(make_firm, zone.users.admin)
    first, _ = run_year()
    before = _numbers(first)
    EnterpriseIndicator.objects.filter(enterprise=firms[1], year=2024).update(tax_wan_yuan=99_999)
    second, _ = run_year()
    assert _numbers(first) == before
    assert _numbers(second) != before
    first.refresh_from_db()
    assert first.status == EvaluationRun.Status.DONE
    assert first.finished_at is not None
    assert first.seconds >= 0


def test_a_run_records_its_scheme_version_and_one_audit_event(zone, make_firm, run_year):
    below(make_firm, land=10, tax=10, kwh=10)
    run_type = ContentType.objects.get_for_model(EvaluationRun)
    run, _ = run_year()
    assert run.scheme_version == SchemeVersion.objects.get(scheme__name="default", number=1)
    assert run.created_by == zone.users.admin
    assert run.brand is None
    events = AuditEvent.objects.filter(content_type=run_type, object_id=str(run.pk))
    assert [e.action for e in events] == ["create"]


@pytest.mark.parametrize("persona", ["leader", "dept_a", "officer_a", "expert_a", "ent_a"])
def test_only_an_administrator_runs_an_evaluation_and_a_refusal_writes_nothing(zone, make_firm, persona):
    below(make_firm, land=10, tax=10, kwh=10)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused, match="Only an administrator runs an evaluation"):
        services.run_evaluation(by=getattr(zone.users, persona), year=2024)
    with pytest.raises(Refused, match="Only an administrator runs an evaluation"):
        services.run_enqueue(by=getattr(zone.users, persona), year=2024)
    assert EvaluationRun.objects.count() == 0
    assert EvaluationResult.objects.count() == 0
    assert Job.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_year_without_a_scheme_version_or_an_unknown_scheme_is_refused(zone):
    with pytest.raises(Refused, match="No version of the scheme"):
        services.run_evaluation(by=zone.users.admin, year=1999)
    with pytest.raises(Refused, match="no evaluation scheme named nope"):
        services.run_evaluation(by=zone.users.admin, year=2024, scheme="nope")
    assert EvaluationRun.objects.count() == 0


def test_the_system_may_run_an_evaluation(zone, make_firm):
    below(make_firm, land=10, tax=10, kwh=10)
    run = services.run_evaluation(by=None, year=2024, note="CLI")
    assert (run.created_by, run.note, run.n_below) == (None, "CLI", 1)


def test_a_year_with_no_data_gives_an_empty_run(zone):
    run = services.run_evaluation(by=zone.users.admin, year=2020)
    assert (run.n_above, run.n_below, run.n_excluded) == (0, 0, 0)
    assert run.results.count() == 0
    assert run.summary["counts"]["above"] == {"n": 0, "A": 0, "B": 0, "C": 0, "D": 0}


def test_progress_goes_from_reading_to_storing_to_done(zone, make_firm):
    below(make_firm, land=10, tax=10, kwh=10)
    seen = []
    services.run_evaluation(by=zone.users.admin, year=2024, progress=lambda p, s: seen.append((p, s)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents)
    assert percents[0] == 0
    assert percents[-1] == 100
    stages = " | ".join(s for _, s in seen)
    assert "Reading" in stages
    assert "Scoring" in stages
    assert "Storing" in stages


def test_a_brand_scheme_evaluates_only_the_brands_enterprises(zone, make_firm):
    from hitechzone.evaluation.schemes import DEFAULT_DEFINITION

    in_b = below(make_firm, land=10, tax=10, kwh=10, brand=zone.brand_b)
    below(make_firm, land=10, tax=10, kwh=10, brand=zone.brand_a)
    scheme = services.scheme_create(
        by=zone.users.admin,
        name="lvchan",
        title="绿色集聚区亩均评价",
        definition=DEFAULT_DEFINITION,
        effective_from=2020,
        brand=zone.brand_b,
    )
    run = services.run_evaluation(by=zone.users.admin, year=2024, scheme="lvchan")
    assert run.brand == zone.brand_b
    assert run.scheme_version.scheme == scheme
    assert list(run.results.values_list("uscc", flat=True)) == [in_b.uscc]


# --- Publication -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "admin"])
def test_a_leader_or_an_administrator_publishes(zone, persona):
    run = services.run_evaluation(by=zone.users.admin, year=2025)
    published = services.run_publish(by=getattr(zone.users, persona), run=run)
    assert published.published_at is not None
    assert published.published_by == getattr(zone.users, persona)


@pytest.mark.parametrize("persona", ["dept_a", "officer_a", "expert_a", "ent_a"])
def test_nobody_else_publishes_and_a_refusal_writes_nothing(zone, persona):
    run = services.run_evaluation(by=zone.users.admin, year=2025)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused, match="Only a leader or an administrator publishes"):
        services.run_publish(by=getattr(zone.users, persona), run=run)
    run.refresh_from_db()
    assert run.published_at is None
    assert AuditEvent.objects.count() == events


def test_publishing_a_newer_run_of_the_year_supersedes_the_older(zone):
    leader = zone.users.leader
    old = services.run_publish(by=leader, run=services.run_evaluation(by=zone.users.admin, year=2025))
    other_year = services.run_publish(by=leader, run=services.run_evaluation(by=zone.users.admin, year=2024))
    new = services.run_publish(by=leader, run=services.run_evaluation(by=zone.users.admin, year=2025))
    old.refresh_from_db()
    other_year.refresh_from_db()
    assert old.published_at is None
    assert new.published_at is not None
    assert other_year.published_at is not None
    with pytest.raises(Refused, match="published already"):
        services.run_publish(by=leader, run=new)


def test_publishing_tells_each_enterprise_its_class_and_each_officer_how_many_they_serve(zone, make_firm):
    from hitechzone.common.models import Notification

    EnterpriseIndicator.objects.filter(enterprise=zone.ent_b).delete()
    EnterpriseIndicator.objects.update_or_create(
        enterprise=zone.ent_a,
        year=2023,
        defaults={"is_above_scale": False, "land_mu": 10, "tax_wan_yuan": 50, "electricity_wan_kwh": 20},
    )
    make_firm(above=False, year=2023, land_mu=10, tax_wan_yuan=100, electricity_wan_kwh=20)
    run = services.run_evaluation(by=zone.users.admin, year=2023)
    assert not Notification.objects.filter(kind="evaluation_published").exists()  # a draft tells nobody
    services.run_publish(by=zone.users.leader, run=run)
    result = run.results.get(enterprise=zone.ent_a)
    note = Notification.objects.get(user=zone.users.ent_a, kind="evaluation_published")
    assert note.url == f"/evaluation/results/{result.pk}/"
    assert f"class {result.klass}." in note.text
    officer = Notification.objects.get(user=zone.users.officer_a, kind="evaluation_published")
    assert "1 of the enterprises you serve" in officer.text
    assert not Notification.objects.filter(user__in=[zone.users.ent_b, zone.users.officer_b]).exists()


def _visible(user):
    return sorted(EvaluationResult.objects.for_user(user).values_list("uscc", flat=True))


def test_results_are_seen_by_role_and_by_enterprises_only_once_published(zone):
    u = zone.users
    a, b = zone.ent_a.uscc, zone.ent_b.uscc
    run = services.run_evaluation(by=u.admin, year=2025)
    assert _visible(u.admin) == _visible(u.leader) == sorted([a, b])
    for persona in ("officer_a", "officer_b", "ent_a", "ent_b", "dept_a", "expert_a"):
        assert _visible(getattr(u, persona)) == [], persona
    services.run_publish(by=u.leader, run=run)
    assert _visible(u.officer_a) == _visible(u.ent_a) == [a]
    assert _visible(u.officer_b) == _visible(u.ent_b) == [b]
    for persona in ("dept_a", "dept_b", "expert_a", "expert_b"):
        assert _visible(getattr(u, persona)) == [], persona
    assert EvaluationRun.objects.for_user(u.ent_a).get() == run
    assert not EvaluationRun.objects.for_user(u.dept_a).exists()


# --- Exemptions and vetoes ------------------------------------------------------------------------------------------


def test_exemptions_and_vetoes_are_set_changed_and_removed_by_an_administrator(zone):
    admin = zone.users.admin
    e = services.exemption_set(by=admin, enterprise=zone.ent_a, year=2025, reason="first_year", details="投产首年")
    e2 = services.exemption_set(by=admin, enterprise=zone.ent_a, year=2025, reason="public_utility", details="公用")
    assert e2.pk == e.pk
    assert (e2.reason, e2.details, e2.created_by) == ("public_utility", "公用", admin)
    v = services.veto_set(by=admin, enterprise=zone.ent_b, year=2025, kind="environment", reason="超标排放")
    assert Veto.objects.get().kind == "environment"
    services.exemption_remove(by=admin, exemption=e2)
    services.veto_remove(by=admin, veto=v)
    assert not Exemption.objects.exists()
    assert not Veto.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "officer_a", "ent_a", "dept_a", "expert_a"])
def test_only_an_administrator_exempts_or_vetoes(zone, persona):
    user = getattr(zone.users, persona)
    with pytest.raises(Refused, match="Only an administrator"):
        services.exemption_set(by=user, enterprise=zone.ent_a, year=2025, reason="other", details="x")
    with pytest.raises(Refused, match="Only an administrator"):
        services.veto_set(by=user, enterprise=zone.ent_a, year=2025, kind="other", reason="x")
    assert not Exemption.objects.exists()
    assert not Veto.objects.exists()


def test_exemptions_and_vetoes_need_a_reason(zone):
    from datetime import date

    admin = zone.users.admin
    with pytest.raises(Refused, match="Choose the reason"):
        services.exemption_set(by=admin, enterprise=zone.ent_a, year=2025, reason="bored", details="x")
    with pytest.raises(Refused, match="Say why"):
        services.exemption_set(by=admin, enterprise=zone.ent_a, year=2025, reason="other", details="  ")
    with pytest.raises(Refused, match="Describe"):
        services.veto_set(by=admin, enterprise=zone.ent_a, year=2025, kind="safety", reason="")
    with pytest.raises(Refused, match="happened in 2025"):
        services.veto_set(
            by=admin, enterprise=zone.ent_a, year=2025, kind="safety", reason="x", occurred_on=date(2024, 5, 1)
        )


# --- The background job ---------------------------------------------------------------------------------------------


def test_a_queued_run_is_run_by_the_worker_and_linked_to_its_job(zone, make_firm):
    f = below(make_firm, land=10, tax=10, kwh=10)
    job = services.run_enqueue(by=zone.users.admin, year=2024, note="queued")
    assert job.kind == "evaluation.run"
    assert job.status == Job.Status.QUEUED
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.result
    run = EvaluationRun.objects.get(pk=job.result["run"])
    assert job.result == {"run": run.pk}
    assert (run.job, run.note, run.created_by) == (job, "queued", zone.users.admin)
    assert list(run.results.values_list("uscc", flat=True)) == [f.uscc]
    assert job.progress == 100
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(EvaluationRun))
    assert event.user == zone.users.admin


@pytest.mark.parametrize("cap", [None, 1.2])
def test_the_vectorised_next_class_gaps_are_the_scalar_ones_bit_for_bit(cap):
    import dataclasses
    import math
    import sys
    from pathlib import Path

    from hitechzone.evaluation import kernel

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from evaluation_kernel import make_data

    result = kernel.evaluate(make_data(5000, seed=11), dataclasses.replace(kernel.DEFAULT_SCHEME, cap=cap))
    gaps = kernel.next_class_gaps(result).tolist()
    for i, gap in enumerate(gaps):
        scalar = kernel.next_class_gap(result, i)
        assert (scalar is None and math.isnan(gap)) or scalar == gap, i
    assert sum(not math.isnan(g) for g in gaps) > 1000
