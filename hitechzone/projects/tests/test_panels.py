"""The panel's rules without the database (issue 14 items 6-7): eligibility at its edges, the draw (deterministic,
never a conflicted expert, at least one academician), replacements, and the panel score's arithmetic."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hitechzone.projects import panels
from hitechzone.projects.panels import Candidate, Party

TODAY = dt.date(2026, 12, 7)
PARTY = Party(investor="示例电机集团有限公司", parent_group="Acme Holdings", registrations=("91330100MA2B3C4D5E",))


def excluded_code(candidate, *, chain="fluorine", today=TODAY, party=PARTY):
    found = panels.exclusion(candidate, chain=chain, party=party, today=today)
    return found and found["code"]


def test_a_former_affiliation_that_ended_exactly_three_years_ago_still_excludes():
    three_years_ago = dt.date(2023, 12, 7)
    at = Candidate(id=1, former_affiliations=(("Acme Holdings", three_years_ago),))
    day_earlier = Candidate(id=2, former_affiliations=(("Acme Holdings", three_years_ago - dt.timedelta(days=1)),))
    day_later = Candidate(id=3, former_affiliations=(("Acme Holdings", three_years_ago + dt.timedelta(days=1)),))
    assert excluded_code(at) == panels.FORMER
    assert excluded_code(day_later) == panels.FORMER
    assert excluded_code(day_earlier) is None


def test_three_years_before_the_29th_of_february_is_the_28th():
    assert panels.years_before(dt.date(2028, 2, 29), 3) == dt.date(2025, 2, 28)
    leap = Candidate(id=1, former_affiliations=(("Acme Holdings", dt.date(2025, 2, 28)),))
    assert excluded_code(leap, today=dt.date(2028, 2, 29)) == panels.FORMER
    before = Candidate(id=1, former_affiliations=(("Acme Holdings", dt.date(2025, 2, 27)),))
    assert excluded_code(before, today=dt.date(2028, 2, 29)) is None


def test_a_former_affiliation_elsewhere_does_not_exclude():
    assert excluded_code(Candidate(id=1, former_affiliations=(("浙江大学", TODAY),))) is None


@pytest.mark.parametrize(
    "affiliation",
    ["示例电机集团有限公司", "  示例电机集团有限公司 ", "Acme Holdings", "ACME HOLDINGS", " acme holdings"],
)
def test_an_affiliation_with_the_investor_or_its_parent_group_excludes_whatever_its_case_and_blanks(affiliation):
    found = panels.exclusion(Candidate(id=1, affiliation=affiliation), chain="fluorine", party=PARTY, today=TODAY)
    assert found["code"] == panels.AFFILIATION
    assert found["organisation"] == affiliation


@pytest.mark.parametrize(
    ("named", "side"),
    [("示例电机集团有限公司", "investor"), ("acme holdings ", "parent_group"), ("91330100ma2b3c4d5e", "investor")],
)
def test_a_declared_conflict_names_the_investor_its_group_or_its_uscc(named, side):
    found = panels.exclusion(Candidate(id=1, declared_conflicts=(named,)), chain="", party=PARTY, today=TODAY)
    assert (found["code"], found["side"]) == (panels.DECLARED, side)
    assert named.strip() in panels.reason_text(found) or named in panels.reason_text(found)


def test_an_inactive_expert_and_one_of_another_chain_are_excluded_and_a_general_one_is_not():
    assert excluded_code(Candidate(id=1, active=False)) == panels.INACTIVE
    assert excluded_code(Candidate(id=1, specialties=("silicon",))) == panels.SPECIALTY
    assert excluded_code(Candidate(id=1, specialties=("silicon", "fluorine"))) is None
    assert excluded_code(Candidate(id=1, specialties=("general",))) is None
    # A project without a chain: only the general experts.
    assert excluded_code(Candidate(id=1, specialties=("fluorine",)), chain="") == panels.SPECIALTY
    assert excluded_code(Candidate(id=1, specialties=("general",)), chain="") is None


def test_a_conflict_is_the_reason_given_before_inactivity():
    assert excluded_code(Candidate(id=1, active=False, affiliation="Acme Holdings")) == panels.AFFILIATION


def test_the_reasons_are_worded_once_per_kind_and_each_record_gets_its_own_words():
    records = [
        panels.exclusion(c, chain="fluorine", party=PARTY, today=TODAY)
        for c in (
            Candidate(id=1, affiliation="Acme Holdings"),
            Candidate(id=2, former_affiliations=(("示例电机集团有限公司", dt.date(2025, 1, 1)),)),
            Candidate(id=3, former_affiliations=(("Acme Holdings", dt.date(2025, 1, 2)),)),
            Candidate(id=4, declared_conflicts=("91330100MA2B3C4D5E",)),
            Candidate(id=5, active=False),
            Candidate(id=6, specialties=("silicon",)),
            Candidate(id=7, specialties=("silicon",)),
        )
    ]
    assert all(set(r) - {"expert"} <= set(panels.REASON_KEYS) for r in records)
    texts = panels.reason_texts()
    assert [texts(r) for r in records] == [panels.reason_text(r) for r in records]
    assert len({texts(r) for r in records}) == 6


def pool(n, academicians=1):
    return [(i, i <= academicians) for i in range(1, n + 1)]


def test_the_draw_is_deterministic_per_seed_whatever_the_pool_order():
    eligible = pool(12, academicians=3)
    first = panels.draw(eligible, seed=42, size=5)
    assert panels.draw(list(reversed(eligible)), seed=42, size=5) == first
    assert len(set(first)) == 5
    assert first[0] in (1, 2, 3)  # the academician's seat first
    assert any(panels.draw(eligible, seed=s, size=5) != first for s in range(1, 6))


def test_too_few_eligible_or_no_academician_is_refused_naming_what_is_missing():
    with pytest.raises(panels.Shortfall, match=r"5\D+5\D+4"):  # a panel of 5 needs 5, only 4
        panels.draw(pool(4), seed=1, size=5)
    with pytest.raises(panels.Shortfall, match="院士"):
        panels.draw(pool(9, academicians=0), seed=1, size=5)


@pytest.mark.parametrize(("size", "ok"), [(5, True), (7, True), (15, True), (3, False), (6, False), (17, False)])
def test_a_panel_is_odd_and_at_least_five(size, ok):
    assert (panels.size_problem(size) == "") is ok


def test_a_replacement_is_an_academician_when_the_panel_would_have_none():
    candidates = [(7, False), (8, False), (9, True)]
    assert panels.replacement(candidates, seed=3, academician_needed=True) == 9
    assert panels.replacement(candidates, seed=3, academician_needed=False) in (7, 8, 9)
    with pytest.raises(panels.Shortfall):
        panels.replacement([(7, False)], seed=3, academician_needed=True)


ORGS = ["示例电机集团有限公司", "Acme Holdings", "浙江大学", "中科院", "91330100MA2B3C4D5E", "其他公司"]
DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2027, 12, 31))
CANDIDATE = st.builds(
    lambda academician, active, chains, affiliation, former, declared: (
        academician, active, chains, affiliation, former, declared
    ),
    st.booleans(),
    st.booleans() | st.just(True),
    st.lists(st.sampled_from(["fluorine", "silicon", "general"]), min_size=1, max_size=2),
    st.sampled_from(ORGS).map(lambda s: st.sampled_from([s, f" {s.upper()} ", s.lower()])).flatmap(lambda x: x),
    st.lists(st.tuples(st.sampled_from(ORGS), DAYS), max_size=2),
    st.lists(st.sampled_from([*ORGS, "acme holdings"]), max_size=2),
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(CANDIDATE, min_size=5, max_size=40), st.integers(0, panels.MAX_SEED), st.sampled_from([5, 7, 9]))
def test_a_draw_never_seats_a_conflicted_inactive_or_other_chain_expert(rows, seed, size):
    candidates = [
        Candidate(id=i, academician=a, active=act, specialties=tuple(ch), affiliation=aff,
                  former_affiliations=tuple(fo), declared_conflicts=tuple(de))
        for i, (a, act, ch, aff, fo, de) in enumerate(rows, start=1)
    ]  # fmt: skip
    eligible, excluded = panels.eligibility(candidates, chain="fluorine", party=PARTY, today=TODAY)
    assert len(eligible) + len(excluded) == len(candidates)
    try:
        members = panels.draw([(c.id, c.academician) for c in eligible], seed=seed, size=size)
    except panels.Shortfall:
        assert len(eligible) < size or not any(c.academician for c in eligible)
        return
    by_id = {c.id: c for c in candidates}
    sides = {panels.norm(x) for x in ("示例电机集团有限公司", "Acme Holdings", "91330100MA2B3C4D5E")}
    cutoff = dt.date(2023, 12, 7)
    for member in members:
        c = by_id[member]
        assert c.active
        assert "fluorine" in c.specialties or "general" in c.specialties
        assert panels.norm(c.affiliation) not in sides
        assert not any(panels.norm(o) in sides and until >= cutoff for o, until in c.former_affiliations)
        assert not any(panels.norm(d) in sides for d in c.declared_conflicts)
    assert len(set(members)) == size
    assert any(by_id[m].academician for m in members)
    # Replay: the stored eligible list and seed give the same panel.
    assert panels.draw([(c.id, c.academician) for c in reversed(eligible)], seed=seed, size=size) == members


# --- Scores ---------------------------------------------------------------------------------------------------------

DEMO = {"industry_fit": "20", "investment_intensity": "20", "safety_environment": "20", "industry_linkage": "15",
        "technology": "15", "economic_benefit": "10"}  # fmt: skip


def test_the_weighted_total_is_exact():
    points = {"industry_fit": 90, "investment_intensity": 85, "safety_environment": 70, "industry_linkage": 81,
              "technology": 77, "economic_benefit": 63}  # fmt: skip
    # 18 + 17 + 14 + 12.15 + 11.55 + 6.3
    assert panels.weighted_total(points, DEMO) == Decimal("79.00")
    assert panels.weighted_total(dict.fromkeys(DEMO, 100), DEMO) == 100


def test_the_panel_score_drops_one_highest_and_one_lowest_from_five():
    totals = [Decimal(0), Decimal("79.99"), Decimal(80), Decimal("80.02"), Decimal(100)]
    assert panels.panel_score(totals) == Decimal("80.00")  # (79.99 + 80 + 80.02) / 3 = 80.0033…
    assert panels.recommendation(panels.panel_score(totals), veto=False) == panels.ADMIT


def test_fewer_than_five_scores_are_not_trimmed():
    assert panels.panel_score([Decimal(0), Decimal(90), Decimal(90)]) == Decimal("60.00")


def test_the_panel_score_rounds_half_up_not_to_even():
    assert panels.panel_score([Decimal("80.00"), Decimal("80.01")]) == Decimal("80.01")  # 80.005
    assert panels.panel_score([Decimal("80.02"), Decimal("80.01")]) == Decimal("80.02")  # 80.015
    assert panels.panel_score([Decimal(70), Decimal(70), Decimal("70.01")]) == Decimal("70.00")  # 70.00333…
    assert panels.panel_score([Decimal(70), Decimal("70.01"), Decimal("70.01")]) == Decimal("70.01")  # 70.00666…
    assert panels.panel_score([]) is None


@pytest.mark.parametrize(
    ("score", "veto", "expected"),
    [("95", True, "reject"), ("80.00", False, "admit"), ("79.99", False, "conditional"),
     ("60.00", False, "conditional"), ("59.99", False, "reject")],
)  # fmt: skip
def test_the_recommendation(score, veto, expected):
    assert panels.recommendation(Decimal(score), veto=veto) == expected


def test_the_weights_must_name_the_six_criteria_and_add_up_to_100():
    assert panels.weights_problems(DEMO) == []
    assert panels.weights_problems({**DEMO, "technology": "16"})
    assert panels.weights_problems({k: v for k, v in DEMO.items() if k != "technology"})
    assert panels.weights_problems({**DEMO, "technology": "x"})


def test_points_are_whole_numbers_from_0_to_100():
    good = dict.fromkeys(DEMO, 50)
    assert panels.criteria_problems(good) == {}
    assert set(panels.criteria_problems({**good, "technology": 101, "industry_fit": -1, "extra": 3})) == {
        "technology", "industry_fit", "extra"
    }  # fmt: skip
    assert "economic_benefit" in panels.criteria_problems({k: v for k, v in good.items() if k != "economic_benefit"})
