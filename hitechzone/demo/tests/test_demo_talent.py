"""The demo's innovation and talent (M6, issue 15): the stats answer the article's figures exactly for the year
they default to, the talent office's login works, and the world behind the figures is there (platforms of the
article's types, off-site incubators with the enterprises that moved into the zone, grants paid in instalments,
team applications in every stage of their workflow, dated and audited).

The whole demo is loaded once for the module (``load_demo --seed 42``, inside a transaction rolled back at the
end); every test reads it inside its own savepoint.
"""

import random
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from hitechzone.accounts.models import Role, User
from hitechzone.common.models import AuditEvent
from hitechzone.demo import generator, reference
from hitechzone.demo import talent as demo_talent
from hitechzone.demo.trail import unrecorded
from hitechzone.talent import models as talent_models
from hitechzone.talent import queries, roles, services
from hitechzone.talent.idnumber import check_id_number
from hitechzone.talent.models import (
    Fund,
    Grant,
    Incubator,
    IncubatorEnterprise,
    Instalment,
    Partner,
    Platform,
    Talent,
    TeamApplication,
    TeamStep,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
A = TeamApplication.Status
ARTICLE = {
    "team_applications": 65,
    "phd_holders": 53,
    "programme_talents": 20,
    "registered_capital_wan_yuan": "31000.00",
    "planned_investment_wan_yuan": "128200.00",
    "national_programme_talents": 1,
    "provincial_programme_talents": 15,
    "academician_experts": 4,
    "partner_institutions": 100,
    "innovation_fund_wan_yuan": "1000.00",
}


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


def client_of(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=generator.PASSWORD)
    return client


@pytest.mark.parametrize("username", ["talent1", "leader", "admin"])
def test_the_stats_answer_the_articles_figures_for_the_year_they_default_to(zone, username):
    response = client_of(username).get("/api/v1/talent/stats/")
    assert response.status_code == 200
    assert response.json() == ARTICLE
    year = timezone.localdate().year
    assert client_of(username).get(f"/api/v1/talent/stats/?year={year}").json() == ARTICLE


def test_the_talent_office_login_works_and_is_the_talent_office(zone):
    user = User.objects.get(username=demo_talent.OFFICE_LOGIN[0])
    assert user.role == Role.DEPARTMENT
    assert user.department.code == demo_talent.OFFICE_DEPARTMENT
    assert roles.is_talent_office(user)
    assert roles.may_reveal(user)
    client = client_of(user.username)
    talent = Talent.objects.exclude(id_number="").order_by("pk").first()
    answer = client.post(f"/api/v1/talent/talents/{talent.pk}/reveal/")
    assert answer.status_code == 200, answer.content
    assert talent.id_number in answer.content.decode()
    # The other departments' staff are not the office.
    for username in ("dept1", "dept2"):
        assert not roles.is_talent_office(User.objects.get(username=username))
        assert client_of(username).get("/api/v1/talent/stats/").status_code == 403


def test_the_printed_logins_list_the_talent_office(zone):
    out = StringIO()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", seed=42, stdout=out)
    printed = out.getvalue()
    line = next(line for line in printed.splitlines() if line.strip().startswith("talent1 "))
    assert "科技局" in line
    assert "talent offices: +" not in printed  # a second run adds nothing


def test_platforms_of_every_type_the_article_names_and_two_off_site_incubators(zone):
    kinds = set(Platform.objects.values_list("kind", flat=True))
    assert kinds == set(Platform.Kind.values)
    assert Platform.objects.filter(kind=Platform.Kind.ENGINEERING_CENTRE, level="national").exists()
    cities = dict(Incubator.objects.values_list("city", "name"))
    assert {"上海", "杭州"} <= set(cities)
    for incubator in Incubator.objects.all():
        links = IncubatorEnterprise.objects.filter(incubator=incubator)
        assert links.count() >= 2
        assert all(link.moved_on and link.moved_on <= timezone.localdate() for link in links)
        assert incubator.teams.exists()  # the teams incubated there, each application naming it
    hangzhou = Incubator.objects.get(city="杭州")
    assert hangzhou.floor_area_m2 == 60000
    assert hangzhou.investment_wan_yuan == 10000


def test_the_pharma_incubator_links_a_demo_project_shown_on_both_sides(zone, client):
    from hitechzone.talent.models import IncubatorProject

    link = IncubatorProject.objects.get()  # made through the registry (common.subjects), docs/0016
    assert link.incubator.city == "上海"
    pk = int(link.project.rpartition(":")[2])
    client.force_login(User.objects.get(username="admin"))
    assert link.project_name in client.get(f"/talent/incubators/{link.incubator_id}/").content.decode()
    assert link.incubator.name in client.get(f"/projects/{pk}/").content.decode()


def test_about_a_hundred_partners_with_invented_names(zone):
    assert Partner.objects.count() == 100
    real = ("浙江大学", "清华", "中国科学院", "兵器", "衢州学院", "衢州职业技术学院", "解放军")
    names = list(Partner.objects.values_list("name", flat=True)) + list(Platform.objects.values_list("name", flat=True))
    names += list(Incubator.objects.values_list("name", flat=True))
    assert not [n for n in names if any(part in n for part in real + tuple(reference.FORBIDDEN_NAME_PARTS))]


def test_the_talents_id_numbers_are_valid_and_their_employers_invented(zone):
    today = timezone.localdate()
    for talent in Talent.objects.select_related("enterprise"):
        if talent.id_number:
            assert check_id_number(talent.id_number, today=today) == talent.id_number
        if talent.enterprise is not None:
            assert not any(part in talent.enterprise.name for part in reference.FORBIDDEN_NAME_PARTS)


def test_the_innovation_fund_is_never_overdrawn_and_grants_are_paid_in_instalments(zone):
    fund = Fund.objects.get(year=timezone.localdate().year)
    figures = services.fund_figures(fund)
    assert figures.budget_wan_yuan == Decimal(1000)
    assert Decimal(0) < figures.granted_wan_yuan <= figures.budget_wan_yuan
    assert figures.paid_wan_yuan <= figures.granted_wan_yuan
    statuses = set(Grant.objects.filter(fund=fund).values_list("status", flat=True))
    assert statuses == set(Grant.Status.values)  # approved, refused, and some still to approve
    assert Instalment.objects.values("grant").distinct().count() >= 3
    for instalment in Instalment.objects.select_related("grant"):
        assert instalment.grant.status == Grant.Status.APPROVED
        assert instalment.paid_on <= timezone.localdate()
    ent1 = User.objects.get(username="ent1")
    assert Grant.objects.for_user(ent1).filter(status=Grant.Status.APPLIED).exists()


def test_team_applications_stand_in_every_stage_each_step_dated_and_audited(zone):
    today = timezone.localdate()
    assert set(TeamApplication.objects.values_list("status", flat=True)) == set(A.values)
    this_year = TeamApplication.objects.filter(submitted_on__year=today.year)
    assert this_year.count() == 65
    assert set(this_year.values_list("status", flat=True)) == set(A.values)
    step_type = ContentType.objects.get_for_model(TeamStep)
    audited = set(AuditEvent.objects.filter(content_type=step_type).values_list("object_id", flat=True))
    for application in TeamApplication.objects.prefetch_related("steps"):
        steps = list(application.steps.all())
        assert steps[0].action == "submit"
        assert steps[0].on == application.submitted_on
        assert steps[-1].to_status == application.status
        days = [s.on for s in steps]
        assert days == sorted(days)
        assert days[-1] <= today
        assert {str(s.pk) for s in steps} <= {str(pk) for pk in audited}
    resubmitted = TeamStep.objects.filter(action="resubmit").values("application").distinct().count()
    assert resubmitted >= 5
    assert TeamApplication.objects.filter(status=A.GRADUATED, enterprise__isnull=True).count() == 0
    ent1 = User.objects.get(username="ent1")
    mine = TeamApplication.objects.for_user(ent1)
    assert mine.count() == 1
    assert mine.get().status == A.SENT_BACK
    assert [t.action for t in services.available(ent1, mine.get())] == ["resubmit"]


@unrecorded
def _forget_m6() -> None:
    """The demo's M6 rows gone (this test's savepoint only), to load them again on another day."""
    m = talent_models
    for model in (m.Instalment, m.Grant, m.Fund, m.TeamStep, m.TeamMember, m.TeamApplication, m.Disclosure, m.Talent,
                  m.IncubatorProject, m.IncubatorEnterprise, m.Incubator, m.Partner, m.Platform,
                  m.TalentOffice):  # fmt: skip
        model.objects.all().delete()


def test_the_figures_hold_on_new_years_day_too(zone):
    """Loaded on 1 January, the 65 applications and every step of theirs fall on that one day of the year."""
    _forget_m6()
    today = date(timezone.localdate().year, 1, 1)
    report = generator.Report()
    demo_talent.load_talent(random.Random("42-talent"), report, today=today)
    assert report.total > 0
    figures = queries.stats(user=User.objects.get(username="talent1"), year=today.year)
    assert {k: str(v) if isinstance(v, Decimal) else v for k, v in figures.items()} == ARTICLE
    assert not TeamStep.objects.filter(on__gt=today).exists()
    assert not Instalment.objects.filter(paid_on__gt=today).exists()
    assert not Partner.objects.filter(agreement_signed_on__gt=today).exists()
