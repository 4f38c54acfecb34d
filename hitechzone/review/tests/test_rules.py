"""The shared review's rules for any subject (docs/0013): named conflict sides (a team's leader, members, enterprise
and host organisations) go through the same exclusion as a project's investor, and each kind of review has its own
criteria and weights, checked and totalled by the same code."""

import datetime as dt
from decimal import Decimal

from hitechzone.review import panels

TODAY = dt.date(2026, 12, 7)
SIDES = panels.Sides(
    named=(
        ("示例氟硅科技有限公司", "employer"),
        ("某理工大学", "host"),
        ("李博士", "team_member"),
        ("张教授", "team_leader"),
    )
)


def test_named_sides_exclude_by_affiliation_former_affiliation_and_declared_conflict():
    works = panels.Candidate(id=1, affiliation=" 示例氟硅科技有限公司 ")
    former = panels.Candidate(id=2, former_affiliations=(("某理工大学", dt.date(2023, 12, 7)),))
    long_ago = panels.Candidate(id=3, former_affiliations=(("某理工大学", dt.date(2023, 12, 6)),))
    declared = panels.Candidate(id=4, declared_conflicts=("张教授",))
    eligible, excluded = panels.eligibility([works, former, long_ago, declared], chain="", party=SIDES, today=TODAY)
    assert [c.id for c in eligible] == [3]  # ended one day more than 3 years ago
    assert [(e["expert"], e["code"], e["side"]) for e in excluded] == [
        (1, "affiliation", "employer"),
        (2, "former_affiliation", "host"),
        (4, "declared_conflict", "team_leader"),
    ]
    assert "团队" in panels.reason_text(excluded[2]) or "team" in panels.reason_text(excluded[2])


def test_each_kind_has_its_criteria_and_the_same_checks_and_totals():
    team = {"innovation": "25", "team": "25", "market": "20", "feasibility": "15", "chain_fit": "15"}
    assert panels.weights_problems(team, kind=panels.TEAM) == []
    assert panels.weights_problems(team, kind=panels.PROJECT)  # the project's criteria are others
    assert panels.weights_problems({**team, "market": "21"}, kind=panels.TEAM)  # 101 %
    points = {"innovation": 80, "team": 90, "market": 70, "feasibility": 60, "chain_fit": 100}
    assert panels.criteria_problems(points, kind=panels.TEAM) == {}
    assert set(panels.criteria_problems({**points, "technology": 5}, kind=panels.TEAM)) == {"technology"}
    assert panels.weighted_total(points, team) == Decimal("80.5")
    assert panels.codes_of(panels.PROJECT) == panels.CRITERION_CODES
