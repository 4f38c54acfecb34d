"""``GET /api/v1/talent/stats/?year=``: exactly the keys of issue 15 point 5, computed from the rows."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from hitechzone.common import audit
from hitechzone.talent import services
from hitechzone.talent.models import TeamApplication
from hitechzone.talent.queries import STAT_KEYS

from .conftest import GOOD_ID


def _team(zone, *, members, capital, investment):
    return services.team_apply(
        by=zone.users.dept_a, team_name="团队", leader_name="带头人", project="项目",
        registered_capital_wan_yuan=Decimal(capital), planned_investment_wan_yuan=Decimal(investment),
        members=members,
    )  # fmt: skip


def test_the_figures_of_a_year_are_computed_from_its_rows(zone, office, api_as):
    phd = {"name": "博士", "degree": "phd", "programme": ""}
    titled = {"name": "人才", "degree": "master", "programme": "省千人计划", "programme_level": "provincial"}
    _team(zone, members=[phd, phd, titled], capital=300, investment=1000)
    _team(zone, members=[{**phd, "programme": "市321计划"}], capital=200, investment=500)
    old = _team(zone, members=[phd], capital=999, investment=999)
    with audit.unrecorded(TeamApplication, reason="a test dates an application in the year before"):
        TeamApplication.objects.filter(pk=old.pk).update(submitted_on=date(timezone.localdate().year - 1, 6, 1))
    services.talent_save(by=office, name="国家级", level="national", id_number=GOOD_ID)
    services.talent_save(by=office, name="省级甲", level="provincial")
    services.talent_save(by=office, name="省级乙", level="provincial", academician=True)
    services.partner_save(by=office, name="某大学", kind="university", agreement_signed_on=date(2020, 1, 1))
    services.partner_save(
        by=office, name="过期研究所", kind="institute", agreement_signed_on=date(2018, 1, 1),
        agreement_ends_on=date(2019, 12, 31),
    )  # fmt: skip
    year = timezone.localdate().year  # the endpoint's default year
    services.fund_save(by=office, name="创新基金", year=year, budget_wan_yuan=Decimal(1000))
    services.fund_save(by=office, name="去年的基金", year=year - 1, budget_wan_yuan=Decimal(700))
    answer = api_as(zone.users.leader).get("/api/v1/talent/stats/")
    assert answer.status_code == 200
    assert answer.json() == {
        "team_applications": 2,
        "phd_holders": 3,
        "programme_talents": 2,
        "registered_capital_wan_yuan": "500.00",
        "planned_investment_wan_yuan": "1500.00",
        "national_programme_talents": 1,
        "provincial_programme_talents": 2,
        "academician_experts": 1,
        "partner_institutions": 1,
        "innovation_fund_wan_yuan": "1000.00",
    }
    assert tuple(answer.json()) == STAT_KEYS


def test_a_bad_year_answers_400_naming_the_parameter(zone, office, api_as):
    answer = api_as(zone.users.leader).get("/api/v1/talent/stats/?year=20x5")
    assert answer.status_code == 400
    assert "year" in answer.json()


def test_the_figures_are_for_the_talent_office_and_leaders_only(zone, office, api_as):
    for persona in ("dept_b", "officer_a", "ent_a", "expert_a"):
        assert api_as(getattr(zone.users, persona)).get("/api/v1/talent/stats/").status_code == 403
    assert api_as(office).get("/api/v1/talent/stats/").status_code == 200
