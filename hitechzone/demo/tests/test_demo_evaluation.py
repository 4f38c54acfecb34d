"""The demo's 亩均 evaluation (M4): three published runs, three energy rankings, prices from the third ranking,
D three years running escalated, land exit cases in every state, and logins that have something to show.

The whole demo is loaded once for the module (``load_demo --seed 42``, inside a transaction rolled back at the
end); every test reads it inside its own savepoint.
"""

import hashlib
import random
import statistics
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from hitechzone.accounts.models import Role, User
from hitechzone.demo import evaluation as demo_evaluation
from hitechzone.demo import generator
from hitechzone.enterprises.models import Assignment, Enterprise, EnterpriseIndicator
from hitechzone.evaluation import energy, land, prices, queries
from hitechzone.evaluation.models import (
    EnergyRanking,
    EnergyRankingEntry,
    EnergyUse,
    EnergyYear,
    EvaluationResult,
    EvaluationRun,
    Exemption,
    ExitCase,
    ExitPolicy,
    PriceTier,
    Veto,
)
from hitechzone.projects.models import ProjectEnterprise

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
YEARS = demo_evaluation.YEARS
S = ExitCase.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        report = generator.load_demo(seed=42)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def zone(demo, db):
    """The loaded demo, inside this test's savepoint."""
    return demo


def evaluated() -> int:
    """The enterprises there were when the years were evaluated: not those investment projects brought into the
    registry since (issue 14)."""
    made = ProjectEnterprise.objects.filter(created_enterprise=True).values("enterprise")
    return Enterprise.objects.exclude(pk__in=made).count()


def published(year: int) -> EvaluationRun:
    return EvaluationRun.objects.get(year=year, published_at__isnull=False)


def classes() -> dict[int, dict[int, str]]:
    """enterprise id → year → class in the published runs."""
    found: dict[int, dict[int, str]] = {}
    for enterprise_id, year, klass in EvaluationResult.objects.filter(run__published_at__isnull=False).values_list(
        "enterprise_id", "run__year", "klass"
    ):
        found.setdefault(enterprise_id, {})[year] = klass
    return found


def test_every_yearly_row_has_its_water_and_chemical_firms_use_the_most(zone):
    rows = EnterpriseIndicator.objects.filter(year__in=YEARS)
    assert rows.count() == 3 * evaluated()
    assert not rows.filter(water_wan_t__isnull=True).exists()
    assert not rows.filter(water_wan_t__lte=0).exists()
    chains = dict(Enterprise.chains.through.objects.order_by("-id").values_list("enterprise_id", "industrychain__code"))

    def per_output(codes):
        return statistics.median(
            float(r.water_wan_t) * 10_000 / float(r.gross_output_wan_yuan)  # t per 10k yuan of output
            for r in rows.filter(year=2025)
            if chains.get(r.enterprise_id) in codes
        )

    chemical = per_output(demo_evaluation.CHEMICAL)
    assert 8 <= chemical <= 25
    assert per_output({"electronics", "equipment"}) < chemical / 2
    assert per_output({"logistics"}) < 1.1


# The yearly figures of seed 42 without the water column, as the generator made them without it (a
# sha256 of "uscc figure=value …" lines). The water comes from a random stream of its own so that adding it
# left every other figure of the seed as it was; change this digest only when the figures are meant to change.
FIGURES_SEED_42 = "a420c2930aa08d27c4ca6bdaf7708c65675fc52097fcabf734ffcab56f025c55"  # electricity ÷ 10 (issue 6)


def test_the_water_has_its_own_random_stream_so_the_other_figures_stay_those_of_the_seed(zone):
    rng = random.Random(42)
    plans = generator.plan_enterprises(rng)
    rows = [(p.uscc, row) for p in plans for row in generator.indicator_rows(rng, p)]
    assert all(row["water_wan_t"] is not None for _uscc, row in rows)
    text = "\n".join(
        f"{uscc} " + " ".join(f"{k}={v}" for k, v in sorted(row.items()) if k != "water_wan_t") for uscc, row in rows
    )
    assert hashlib.sha256(text.encode()).hexdigest() == FIGURES_SEED_42
    stored = EnterpriseIndicator.objects.get(enterprise__uscc=rows[0][0], year=YEARS[0])
    assert stored.water_wan_t == rows[0][1]["water_wan_t"]


def test_three_published_runs_of_the_default_scheme_run_by_the_admin_and_published_by_the_leader(zone):
    runs = EvaluationRun.objects.filter(published_at__isnull=False).order_by("year")
    assert [r.year for r in runs] == list(YEARS)
    for run in runs:
        assert run.status == EvaluationRun.Status.DONE
        assert run.brand is None
        assert run.scheme_version.scheme.name == "default"
        assert run.created_by.username == "admin"
        assert run.published_by.username == "leader"
        assert run.published_by.role == Role.LEADER
        assert run.n_above > 100
        assert run.n_below > 10
        assert run.results.count() == evaluated()


def test_a_few_exemptions_and_one_or_two_vetoes_a_year_each_with_its_reason(zone):
    for year in YEARS:
        exemptions = Exemption.objects.filter(year=year)
        assert 2 <= exemptions.count() <= 4
        assert all(e.details for e in exemptions)
        assert exemptions.filter(reason=Exemption.Reason.PUBLIC_UTILITY).count() == 1
        vetoes = Veto.objects.filter(year=year)
        assert 1 <= vetoes.count() <= 2
        assert all(v.reason and v.occurred_on.year == year for v in vetoes)
        run = published(year)
        for e in exemptions:
            assert run.results.get(enterprise=e.enterprise).exclusion == EvaluationResult.Exclusion.EXEMPT
        for v in vetoes:
            result = run.results.get(enterprise=v.enterprise)
            assert result.vetoed
            assert result.klass == "D"
    assert Exemption.objects.filter(reason=Exemption.Reason.FIRST_YEAR).count() >= 2
    assert Veto.objects.filter(kind=Veto.Kind.SAFETY).count() >= 3
    personas = User.objects.filter(username__in=("ent1", "ent2")).values("enterprise")
    assert not Veto.objects.filter(enterprise__in=personas).exists()
    assert not Exemption.objects.filter(enterprise__in=personas).exists()


def test_some_firms_stay_in_d_two_or_three_years_running(zone):
    history = classes()
    three = [pk for pk, years in history.items() if all(years.get(y) == "D" for y in YEARS)]
    two = [pk for pk, years in history.items() if years.get(2024) == "D" and years.get(2025) == "D"]
    assert len(three) >= 2
    assert len(two) > len(three)


def test_energy_years_fuels_and_three_rankings_so_that_2025_is_the_third(zone):
    assert EnergyYear.objects.get(year=2023).electricity_basis == EnergyYear.Basis.CALORIFIC
    assert EnergyYear.objects.get(year=2024).electricity_basis == EnergyYear.Basis.CALORIFIC
    assert energy.electricity_factor(2025) == (EnergyYear.Basis.EQUAL_VALUE, Decimal("0.2940"))
    assert list(EnergyRanking.objects.order_by("year").values_list("year", flat=True)) == list(YEARS)
    assert EnergyRanking.objects.get(year=2025).electricity_kgce_per_kwh == Decimal("0.2940")
    assert [energy.rankings_up_to(y) for y in (2024, 2025)] == [2, 3]
    # Fuels only for 规上 industrial firms; their electricity is the yearly figure; a few report none.
    uses = EnergyUse.objects.filter(year=2025)
    assert set(uses.values_list("fuel", flat=True)) >= {"raw_coal", "natural_gas", "steam", "electricity"}
    with_fuels = set(uses.values_list("enterprise_id", flat=True))
    above = set(
        EnterpriseIndicator.objects.filter(year=2025, is_above_scale=True, enterprise__is_industrial=True).values_list(
            "enterprise_id", flat=True
        )
    )
    assert with_fuels <= above
    assert 0 < len(above - with_fuels) < len(above) / 4
    for use in uses.filter(fuel="electricity")[:20]:
        indicator = EnterpriseIndicator.objects.get(enterprise_id=use.enterprise_id, year=2025)
        assert use.quantity == indicator.electricity_wan_kwh
    entries = EnergyRankingEntry.objects.filter(ranking__year=2025)
    assert entries.filter(source=EnergyRankingEntry.Source.FUELS).count() == len(with_fuels)
    assert entries.filter(source=EnergyRankingEntry.Source.REPORTED).exists()


def test_prices_take_effect_in_2025_with_the_demo_tiers(zone):
    assert not prices.effective(2024)
    assert prices.effective(2025)
    for year in (2025, 2026):
        tiers = {
            (t.klass, t.min_years_in_class): (t.electricity_yuan_per_kwh, t.water_yuan_per_t)
            for t in PriceTier.objects.filter(year=year)
        }
        assert tiers == {
            ("C", 1): (Decimal("0.10"), Decimal("0.5")),
            ("D", 1): (Decimal("0.30"), Decimal("1.0")),
            ("D", 3): (Decimal("0.40"), Decimal("1.0")),
        }


def test_the_escalation_shows_for_firms_in_d_the_third_year_running(zone):
    admin = User.objects.get(username="admin")
    rows = prices.surcharges(year=2025, user=admin)
    escalated = [r for r in rows if r.klass == "D" and r.years_in_class >= 3]
    assert escalated
    for row in escalated:
        assert row.electricity_yuan_per_kwh == Decimal("0.40")
        assert row.electricity_yuan == (row.electricity_kwh * Decimal("0.40")).quantize(Decimal("0.01"))
        assert row.water_yuan is not None
        assert row.water_yuan > 0
    assert any(r.klass == "D" and r.years_in_class < 3 and r.electricity_yuan_per_kwh == Decimal("0.30") for r in rows)
    assert any(r.klass == "C" and r.electricity_yuan_per_kwh == Decimal("0.10") for r in rows)


def test_exit_policies_and_cases_in_every_state_both_modes(zone):
    assert dict(ExitPolicy.objects.values_list("year", "reward_basis")) == {
        2024: "per_mu",
        2025: "share",
        2026: "per_mu",
    }
    cases = list(ExitCase.objects.select_related("enterprise", "successor"))
    assert 6 <= len(cases) <= 8
    assert {c.status for c in cases} == set(S.values)
    assert {c.mode for c in cases} == set(ExitCase.Mode.values)
    assert {c.reward_basis for c in cases} == {"per_mu", "share"}
    history = classes()
    for case in cases:
        assert case.parcels.exists()
        if case.trigger == ExitCase.Trigger.CLASS_D:
            assert "D" in history[case.enterprise_id].values()
            assert case.evaluation_result.klass == "D"
        else:
            assert case.enterprise.status == Enterprise.Status.EXITED  # stopped, then left
        if case.mode == ExitCase.Mode.NEGOTIATED_SWAP:
            assert case.swap_parcels.count() == 1
            assert 0 < case.land_freed_mu < sum(p.area_mu for p in case.parcels.all())
        if case.status in (S.LAND_RETURNED, S.REUSED, S.CLOSED):
            assert case.returned_on
            assert case.compensation_wan_yuan
            assert case.reward_wan_yuan > 0
            assert not case.parcels.filter(enterprise=case.enterprise).exists()
        if case.status in (S.REUSED, S.CLOSED):
            assert case.successor
            assert case.reuse
            assert set(case.parcels.values_list("enterprise_id", flat=True)) == {case.successor_id}
        if case.status == S.CANCELLED:
            assert case.closed_on
            assert "暂缓退出" in case.notes
    personas = User.objects.filter(username__in=("ent1", "ent2")).values("enterprise")
    assert not ExitCase.objects.filter(enterprise__in=personas).exists()


def test_the_idle_land_list_has_a_suspended_firm_and_d_firms(zone):
    leader = User.objects.get(username="leader")
    rows = land.inefficient(user=leader, year=2025)
    reasons = {reason for row in rows for reason in row.reasons}
    assert reasons >= {land.Reason.CLASS_D, land.Reason.SUSPENDED}
    assert Enterprise.objects.filter(status=Enterprise.Status.SUSPENDED).exists()


def test_an_enterprise_login_has_a_next_class_gap_to_show(zone, client):
    run = published(2025)
    gaps = []
    for username in ("ent1", "ent2"):
        user = User.objects.get(username=username)
        result = EvaluationResult.objects.for_user(user).select_related("run").get(run=run)
        explained = queries.explain(result)
        if explained["next_class_gap"]:
            gaps.append(username)
            assert explained["next_class_gap"]["plus"] > 0
            client.force_login(user)
            assert client.get(reverse("evaluation:result", args=[result.pk])).status_code == 200
    assert gaps


def test_the_firm_in_d_three_years_running_has_a_login_with_the_demo_password(zone):
    found = demo_evaluation.hints()
    extra = [u for u in found if u.startswith("ent-")]
    assert len(extra) == 1
    user = User.objects.get(username=extra[0])
    assert user.check_password(generator.PASSWORD)
    results = EvaluationResult.objects.for_user(user).filter(run__published_at__isnull=False)
    assert sorted(results.values_list("run__year", "klass")) == [(y, "D") for y in YEARS]
    assert ExitCase.objects.for_user(user).get().status == S.NEGOTIATING
    # Its officer (named in the hints) sees it too.
    officer = Assignment.objects.active().get(enterprise=user.enterprise).officer
    assert officer.username in found
    assert EvaluationResult.objects.for_user(officer).filter(enterprise=user.enterprise).count() == 3


def test_the_d_firms_explain_page_opens_for_its_user(zone, client):
    user = User.objects.get(username=next(u for u in demo_evaluation.hints() if u.startswith("ent-")))
    result = EvaluationResult.objects.get(enterprise=user.enterprise, run=published(2025))
    client.force_login(user)
    response = client.get(reverse("evaluation:result", args=[result.pk]))
    assert response.status_code == 200


def test_officer1_and_officer2_serve_firms_with_results(zone):
    run = published(2025)
    for username in ("officer1", "officer2"):
        officer = User.objects.get(username=username)
        assert EvaluationResult.objects.for_user(officer).filter(run=run).exclude(klass="").count() >= 5


def test_the_printed_logins_say_what_each_persona_finds(zone):
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", seed=42, stdout=out)
    text = out.getvalue()
    found = demo_evaluation.hints()
    for username in ("admin", "leader", "officer1", "officer2"):
        assert found[username] in text
    assert any(username in found for username in ("ent1", "ent2"))
    assert sum(1 for u in found if u.startswith("ent-")) == 1
    for username, hint in found.items():
        assert username in text
        assert hint in text


def test_a_second_load_adds_no_evaluation_data(zone):
    counts = {m: m.objects.count() for m in (EvaluationRun, EnergyUse, ExitCase, PriceTier, Exemption, Veto)}
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        report = generator.load_demo(seed=42)
    assert report.total == 0, report.created
    assert {m: m.objects.count() for m in counts} == counts


def test_no_figures_for_the_real_companies_the_article_names(zone):
    from hitechzone.demo import reference

    names = set(EvaluationResult.objects.values_list("name", flat=True))
    names |= set(ExitCase.objects.values_list("enterprise__name", flat=True))
    names |= set(ExitCase.objects.exclude(successor=None).values_list("successor__name", flat=True))
    assert names
    assert not [n for n in names if any(part in n for part in reference.FORBIDDEN_NAME_PARTS)]
    assert not [
        c for c in ExitCase.objects.all() if any(p in c.reuse + c.notes for p in reference.FORBIDDEN_NAME_PARTS)
    ]
