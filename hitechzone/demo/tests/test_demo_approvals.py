"""The demo's approval centre: the 169 items, the year 2025 of applications, the last weeks, the personas' tasks.

The whole demo is loaded once for the module (``load_demo --seed 42``, inside a transaction rolled back at the
end); every test reads it inside its own savepoint. "Today" is the real date, as in the demo.
"""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.test.utils import override_settings
from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.approvals import queries, services
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemVersion,
    Mode,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from hitechzone.common.calendar import add_working_days, is_working_day
from hitechzone.common.deadlines import counted_working_days, due_date, merge_pauses, yellow_from
from hitechzone.demo import approvals as demo_approvals
from hitechzone.demo import generator, reference
from hitechzone.demo.catalogue import ITEMS
from hitechzone.enterprises.models import Assignment

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
S = Application.State
YEAR = demo_approvals.YEAR


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


def of_year(queryset=None):
    return (queryset or Application.objects.all()).filter(received_on__year=YEAR)


def admin() -> User:
    return User.objects.get(username="admin")


# --- The catalogue ---------------------------------------------------------------------------------------------


def test_the_catalogue_has_169_items_of_the_24_departments_in_all_four_modes(zone):
    assert Item.objects.count() == len(ITEMS) == 169
    assert Item.objects.values("department").distinct().count() == 24
    modes = Counter(Item.objects.values_list("current__mode", flat=True))
    assert set(modes) == set(Mode.values)
    assert all(n >= 10 for n in modes.values()), modes
    names = set(Item.objects.values_list("current__name", flat=True))
    assert {
        "企业投资项目备案",
        "建设用地规划许可证核发",
        "建筑工程施工许可证核发",
        "危险化学品建设项目安全条件审查",
    } <= names
    stats = queries.year_stats(user=admin(), year=YEAR)
    assert (stats["items"], stats["departments"]) == (169, 24)
    assert sum(stats["by_mode"].values()) == 169


def test_every_item_has_its_materials_as_the_catalogue_lists_them(zone):
    specs = {spec["code"]: spec for spec in ITEMS}
    for item in Item.objects.select_related("current").prefetch_related("versions__materials"):
        first = min(item.versions.all(), key=lambda v: v.number)
        spec = specs[item.code]
        assert first.name == spec["name"]
        assert first.promised_limit == spec["promised_limit"]
        assert [m.name for m in first.materials.all()] == [m["name"] for m in spec["materials"]]
        assert [m.tolerable for m in first.materials.all()] == [m["tolerable"] for m in spec["materials"]]


def test_a_few_items_were_revised_in_mid_2025_and_applications_keep_their_version(zone):
    revised = ItemVersion.objects.filter(number=2).select_related("item")
    assert revised.count() >= 5
    assert revised.filter(change_note="压缩承诺时限").count() >= 5
    for version in revised.filter(change_note="压缩承诺时限"):
        first = version.item.versions.get(number=1)
        assert version.promised_limit < first.promised_limit
        assert version.item.current_id == version.pk
        before = of_year().filter(item=version.item, received_on__lt=demo_approvals.REVISED_ON)
        after = of_year().filter(item=version.item, received_on__gte=demo_approvals.REVISED_ON)
        assert not before.exclude(version=first).exists()
        assert not after.exclude(version=version).exists()
        assert not before.exclude(limit_days=first.promised_limit).exists()
        assert not after.exclude(limit_days=version.promised_limit).exists()
    assert of_year().filter(version__in=revised).exists()
    assert of_year().filter(item__in=[v.item for v in revised], version__number=1).exists()


def test_one_item_is_suspended_and_still_counted_in_the_catalogue(zone):
    suspended = Item.objects.get(status=Item.Status.SUSPENDED)
    assert suspended.status_reason
    assert not Item.objects.filter(status=Item.Status.CANCELLED).exists()
    assert queries.year_stats(user=admin(), year=YEAR)["items"] == 169
    assert not Application.objects.filter(item=suspended, received_on__gt=date(YEAR, 12, 31)).exists()


# --- The year ------------------------------------------------------------------------------------------------


def test_a_year_of_applications_across_the_catalogue_fewer_at_the_spring_festival(zone):
    year = of_year()
    assert year.count() == demo_approvals.APPLICATIONS
    assert year.values("department").distinct().count() == 24
    assert year.values("item").distinct().count() >= 150
    per_month = dict(Counter(d.month for d in year.values_list("received_on", flat=True)))
    assert set(per_month) == set(range(1, 13))
    assert per_month[2] < per_month[1] < per_month[3]
    assert per_month[2] < min(per_month[m] for m in range(3, 13))
    # Nothing was received on the Spring Festival holidays (28 January – 4 February 2025).
    assert not year.filter(received_on__range=(date(2025, 1, 28), date(2025, 2, 4))).exists()


def test_the_year_has_every_kind_of_case(zone):
    year = of_year()
    completed = year.filter(state=S.COMPLETED)
    assert completed.filter(outcome=Application.Outcome.APPROVED).exclude(certificate_no="").count() > 2500
    assert 20 <= completed.filter(outcome=Application.Outcome.REFUSED).exclude(reason="").count() <= 120
    assert 20 <= year.filter(state=S.REJECTED).exclude(reason="").count() <= 120
    late = completed.filter(on_time=False)
    assert 50 <= late.count() <= 300
    assert not late.filter(completed_on__lte=F("due_on")).exists()
    paused = year.filter(paused_working_days__gt=0)
    assert paused.count() >= 150
    kinds = set(Pause.objects.filter(application__in=year).values_list("kind", flat=True))
    assert {Pause.Kind.CORRECTION, Pause.Kind.EXPERT_REVIEW, Pause.Kind.TESTING} <= kinds
    assert not Pause.objects.filter(application__in=year, ended_on__isnull=True).exists()  # all closed
    assert year.filter(version__item_type="immediate", state=S.COMPLETED, working_days_used=0).count() > 300


def test_a_few_of_the_years_applications_are_still_open_and_long_overdue(zone):
    today = timezone.localdate()
    open_ = of_year().exclude(state__in=Application.DONE_STATES)
    assert 10 <= open_.count() <= 20
    assert set(open_.values_list("state", flat=True)) == {S.PROCESSING}
    assert not open_.filter(due_on__gte=today).exists()
    red = queries.overdue(Application.objects.all(), today)
    assert set(open_) <= set(red)
    assert not open_.filter(red_notified=False).exists()  # on the leaders' list


def test_the_figures_of_2025_tell_the_articles_story(zone):
    stats = queries.year_stats(user=admin(), year=YEAR)
    assert stats["applications"] == demo_approvals.APPLICATIONS
    assert stats["fastest_working_days"] <= 5
    assert 0.85 <= stats["on_time_rate"] <= 0.99
    assert stats["refused"] > 0
    assert stats["rejected"] > 0
    assert stats["paused"] > 0
    comparison = stats["comparison"]
    assert comparison["average_working_days"] < comparison["pre_reform_average_days"] / 4
    assert comparison["fastest_project_working_days"] == 5
    assert stats["bundles"]["count"] >= 8
    assert stats["bundles"]["fastest_working_days"] == 5
    assert len(stats["by_department"]) == 24


def test_parallel_approvals_span_departments_and_the_fastest_take_5_working_days(zone):
    bundles = Bundle.objects.filter(started_on__year=YEAR).annotate(
        departments=Count("applications__department", distinct=True),
        first=Min("applications__accepted_on"),
        last=Max("applications__completed_on"),
    )
    assert bundles.count() >= 8
    for bundle in bundles:
        assert bundle.departments >= 2, bundle
        assert bundle.completed_on == bundle.last
        assert bundle.total_working_days == counted_working_days(bundle.first, bundle.last).value
        assert not bundle.applications.exclude(state=S.COMPLETED).exists()
        assert not bundle.applications.exclude(received_on=bundle.started_on).exists()
        assert (
            Assignment.objects.active(bundle.started_on)
            .filter(officer=bundle.created_by, enterprise=bundle.enterprise)
            .exists()
        )
        assert not bundle.applications.exclude(agent=bundle.created_by).exists()
    totals = sorted(bundles.values_list("total_working_days", flat=True))
    assert totals[0] == 5
    assert totals[-1] > 5
    assert Bundle.objects.filter(completed_on__isnull=True).exists()  # one under way today


def test_agent_filings_are_by_the_enterprises_own_officer(zone):
    filed = Application.objects.filter(agent__isnull=False).select_related("agent")
    assert of_year(filed).count() >= 200
    assert not filed.exclude(applicant=F("agent")).exists()
    assert {a.agent.role for a in filed} == {Role.OFFICER}
    served = set(Assignment.objects.values_list("officer_id", "enterprise_id"))
    assert {(a.agent_id, a.enterprise_id) for a in filed} <= served
    assert Step.objects.filter(application__in=filed, action="file").exclude(note="").count() == filed.count()


def test_one_time_notices_before_acceptance_list_the_missing_materials_once(zone):
    notices = Notice.objects.filter(application__in=of_year(), after_acceptance=False)
    assert notices.count() >= 150
    assert not notices.values("application").annotate(n=Count("pk")).filter(n__gt=1).exists()  # one each
    for notice in notices.prefetch_related("materials__material").select_related("application")[:200]:
        listed = list(notice.materials.all())
        assert listed
        for row in listed:
            assert row.material.name in notice.text
            if notice.application.state != S.REJECTED:
                assert row.status == ApplicationMaterial.Status.SUPPLIED
                assert notice.issued_on <= row.supplied_on <= notice.application.accepted_on
    after = Notice.objects.filter(application__in=of_year(), after_acceptance=True)
    assert after.count() == Pause.objects.filter(application__in=of_year(), kind=Pause.Kind.CORRECTION).count()


def test_approved_applications_have_every_promised_material_supplied(zone):
    approved = Application.objects.filter(outcome=Application.Outcome.APPROVED)
    statuses = ApplicationMaterial.objects.filter(application__in=approved).values_list("status", flat=True)
    assert ApplicationMaterial.Status.PROMISED not in set(statuses)
    promised = ApplicationMaterial.objects.filter(application__in=approved, promised_by__isnull=False)
    assert promised.count() >= 50  # 容缺: accepted with a material promised, supplied before the decision
    for row in promised.select_related("application")[:100]:
        assert row.application.accepted_on < row.supplied_on < row.application.completed_on


def test_ratings_are_mostly_very_satisfied_and_the_poor_ones_are_rectified(zone):
    reviews = Review.objects.filter(application__received_on__year=YEAR)
    completed = of_year().filter(state=S.COMPLETED).count()
    assert 0.5 * completed <= reviews.count() <= 0.9 * completed
    levels = Counter(reviews.values_list("level", flat=True))
    assert (levels[5] + levels[4]) / reviews.count() >= 0.85
    poor = reviews.filter(level__in=services.RECTIFY_LEVELS)
    assert poor.count() >= 10
    assert not poor.filter(rectification__isnull=True).exists()
    assert not reviews.exclude(level__in=services.RECTIFY_LEVELS).filter(rectification__isnull=False).exists()
    assert not poor.filter(comment="").exists()
    for review in poor.select_related("rectification", "application"):
        rectification = review.rectification
        assert rectification.department_id == review.application.department_id
        assert rectification.due_on == add_working_days(review.rated_on, services.RECTIFICATION_WORKING_DAYS).value
        assert review.rated_on >= review.application.completed_on
    answered = Rectification.objects.filter(review__in=poor, answered_on__isnull=False)
    assert answered.count() >= poor.count() * 0.8
    assert not answered.filter(answer="").exists()


def test_the_stored_clock_figures_are_what_the_services_compute(zone):
    """A sample recomputed with the scalar functions, and with ``services.recompute_clock`` itself."""
    accepted = list(Application.objects.filter(accepted_on__isnull=False).prefetch_related("pauses").order_by("pk"))
    rng = random.Random(5)
    paused = [a for a in accepted if a.paused_working_days]
    sample = rng.sample(accepted, 300) + rng.sample(paused, min(200, len(paused)))
    sample += [a for a in accepted if a.on_time is False][:50]
    for a in sample:
        pauses = [(p.started_on, p.ended_on) for p in a.pauses.all() if p.ended_on is not None]
        due = due_date(a.accepted_on, a.limit_days, pauses)
        assert (a.due_on, a.due_provisional) == (due.value, due.provisional), a
        assert a.yellow_on == yellow_from(due.value, a.yellow_threshold), a
        first = date.fromordinal(a.accepted_on.toordinal() + 1)
        paused_days = sum(
            counted_working_days(a.accepted_on, b).value - counted_working_days(a.accepted_on, b, [(s, b)]).value
            for s, b in merge_pauses(pauses)
            if b >= first
        )
        assert a.paused_working_days == paused_days, a
        if a.state == S.COMPLETED:
            assert a.working_days_used == counted_working_days(a.accepted_on, a.completed_on, pauses).value, a
            assert a.on_time == (a.completed_on <= a.due_on), a
        else:
            assert a.working_days_used is None
            assert a.on_time is None
        stored = (a.due_on, a.due_provisional, a.yellow_on, a.paused_working_days)
        services.recompute_clock(a)
        assert (a.due_on, a.due_provisional, a.yellow_on, a.paused_working_days) == stored, a


def test_every_application_tells_its_story_step_by_step(zone):
    steps: dict[int, list[Step]] = {}
    for step in Step.objects.order_by("application_id", "at", "pk"):
        steps.setdefault(step.application_id, []).append(step)
    applications = list(Application.objects.all())
    assert len(steps) == len(applications)
    for a in applications:
        trail = steps[a.pk]
        assert trail[0].action == "file"
        assert trail[0].on == a.received_on
        assert [s.on for s in trail] == sorted(s.on for s in trail), a
        state = ""
        for step in trail:
            assert step.from_state == state, (a, step.action)
            state = step.to_state
        assert state == a.state, a
        assert a.number == services.application_number(a)
        if a.accepted_on:
            assert [s.on for s in trail if s.action == "accept"] == [a.accepted_on]
        if a.completed_on and a.state == S.COMPLETED:
            assert trail[-1].action == "complete"
            assert trail[-1].on == a.completed_on


def test_the_lights_show_today(zone):
    today = timezone.localdate()
    lights = queries.light_counts(Application.objects.all(), today)
    assert lights["green"] >= 5
    assert lights["yellow"] >= 2
    assert lights["red"] >= 12
    assert lights["paused"] >= 3
    assert lights["red"] <= 40  # a handful overdue, not hundreds: the year under way runs to today, mostly on time
    recent = Application.objects.filter(received_on__gt=date(YEAR, 12, 31))
    counts = queries.light_counts(recent, today)
    assert counts["green"]
    assert counts["yellow"]
    assert counts["red"]
    assert counts["paused"]
    assert recent.filter(state=S.COMPLETED).exists()
    assert recent.filter(state=S.REJECTED).exists()


# --- The personas' tasks ---------------------------------------------------------------------------------------


def test_the_fgw_window_dept1_has_received_applications_with_materials_missing(zone):
    dept1 = User.objects.get(username="dept1")
    assert dept1.department.code == "fgw"
    waiting = Application.objects.for_user(dept1).filter(state=S.RECEIVED)
    missing = waiting.filter(
        materials__status=ApplicationMaterial.Status.PENDING, materials__material__required=True
    ).distinct()
    assert missing.count() >= 2
    assert waiting.count() > missing.count()  # and one complete, to accept
    application = missing.first()
    result = services.application_check(application=application, by=dept1)
    assert result.state == S.CORRECTING
    assert result.notices.count() == 1


def test_ent1_has_a_completed_application_to_rate_and_a_notice_to_answer(zone):
    ent1 = User.objects.get(username="ent1")
    mine = Application.objects.for_user(ent1)
    to_rate = mine.filter(state=S.COMPLETED, review__isnull=True, received_on__gt=date(YEAR, 12, 31))
    assert to_rate.exists()
    review = services.application_rate(application=to_rate.first(), by=ent1, level=5)
    assert review.level == 5
    correcting = mine.filter(state=S.CORRECTING, accepted_on__isnull=True)
    assert correcting.exists()
    assert of_year(mine).filter(state=S.COMPLETED).count() >= 3
    assert Bundle.objects.for_user(ent1).exists()


def test_the_officers_see_their_agent_filings(zone):
    for username in ("officer1", "officer2"):
        officer = User.objects.get(username=username)
        assert Application.objects.for_user(officer).filter(agent=officer).exists(), username


def test_the_leader_was_told_of_every_red_application(zone):
    today = timezone.localdate()
    red = queries.overdue(Application.objects.all(), today)
    assert red.exists()
    assert not red.filter(red_notified=False).exists()
    leader = User.objects.get(username="leader")
    assert leader.notifications.filter(kind="approval_overdue").count() == red.count()


def test_no_real_company_is_named(zone):
    texts = list(Bundle.objects.values_list("name", flat=True))
    texts += list(Application.objects.values_list("title", flat=True).distinct())
    texts += list(Application.objects.values_list("enterprise__name", flat=True).distinct())
    texts += list(Review.objects.values_list("comment", flat=True).distinct())
    offending = [t for t in texts if any(part in t for part in reference.FORBIDDEN_NAME_PARTS)]
    assert not offending


def test_the_same_seed_plans_the_same_year(zone):
    def plan(seed: int) -> list[tuple]:
        world = demo_approvals._world(random.Random(seed), timezone.localdate())
        cases, bundles = demo_approvals.plan_year(world, 300)
        return [b["name"] for b in bundles] + [
            (c.item.code, c.enterprise_id, c.received, c.accepted, c.completed, c.outcome,
             [(p.kind, p.start, p.resume) for p in c.pauses])
            for c in cases
        ]  # fmt: skip

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)


def test_every_persona_hint_names_a_persona(zone):
    usernames = {username for username, _role, _name in generator.PERSONAS}
    assert set(demo_approvals.HINTS) <= usernames


def test_a_second_run_adds_nothing(zone):
    before = (Item.objects.count(), ItemVersion.objects.count(), Application.objects.count(), Bundle.objects.count())
    report = generator.Report()
    demo_approvals.load_approvals(random.Random(42), report)
    assert report.total == 0, report.created
    after = (Item.objects.count(), ItemVersion.objects.count(), Application.objects.count(), Bundle.objects.count())
    assert after == before


# --- The year under way ------------------------------------------------------------------------------------------


def of_year_under_way(queryset=None):
    return (queryset or Application.objects.all()).filter(received_on__year=timezone.localdate().year)


def window_start() -> date:
    """The first of the last weeks before today, which the services play on top of the bulk plan (which runs to
    today, thinner in those weeks by as many as the services play)."""
    today = timezone.localdate()
    last = today if is_working_day(today) else add_working_days(today, -1).value
    return add_working_days(last, -demo_approvals.RECENT_WORKING_DAYS).value


def test_the_reference_years_figures_are_as_the_seed_made_them(zone):
    """The year under way draws from a stream of its own: 2025's figures for seed 42 stay exactly as they were,
    whatever the day the demo is loaded on (they moved with the day until the liaison's visits of the month under way
    and the approvals' last weeks stopped drawing from the reference stream)."""
    stats = queries.year_stats(user=admin(), year=YEAR)
    figures = {k: stats[k] for k in ("applications", "completed", "approved", "refused", "rejected", "on_time")}
    assert figures == {
        "applications": 3000,
        "completed": 2941,
        "approved": 2884,
        "refused": 57,
        "rejected": 44,
        "on_time": 2842,
    }
    assert (stats["on_time_rate"], stats["average_working_days"], stats["paused"]) == (0.9663, 4.1, 303)
    assert (stats["bundles"]["count"], stats["bundles"]["average_working_days"]) == (10, 7.5)
    assert Review.objects.filter(application__received_on__year=YEAR).count() == 2031


def test_the_year_under_way_has_as_many_applications_a_day_as_the_reference_year(zone):
    today = timezone.localdate()
    assert today.year > YEAR
    start = window_start()
    assert start.year == today.year

    def per_working_day(first: date, last: date) -> float:
        count = Application.objects.filter(received_on__range=(first, last)).count()
        return count / sum(is_working_day(first + timedelta(days=n)) for n in range((last - first).days + 1))

    # January to the end of the last whole month before today (the services' weeks included): the same months of
    # both years, within 10 %; and that last month alone (November on 7 December) within 15 % of the same month
    # of the reference year: the bulk plan and the services' cases together read at the year's density.
    month_end = date(today.year, today.month, 1) - timedelta(days=1)
    under_way = per_working_day(date(today.year, 1, 1), month_end)
    reference = per_working_day(date(YEAR, 1, 1), month_end.replace(year=YEAR))
    assert 0.9 * reference <= under_way <= 1.1 * reference, (under_way, reference)
    month_start = month_end.replace(day=1)
    under_way = per_working_day(month_start, month_end)
    reference = per_working_day(month_start.replace(year=YEAR), month_end.replace(year=YEAR))
    assert 0.85 * reference <= under_way <= 1.15 * reference, (month_end.month, under_way, reference)
    year = of_year_under_way()
    assert year.filter(received_on__lt=start).count() >= 0.75 * demo_approvals.APPLICATIONS * (start.month - 1) / 12
    assert year.values("department").distinct().count() == 24
    per_month = Counter(d.month for d in year.values_list("received_on", flat=True))
    assert set(range(1, start.month)) <= set(per_month)
    suspended = Item.objects.get(status=Item.Status.SUSPENDED)
    assert not year.filter(item=suspended).exists()


def test_nothing_happens_after_today(zone):
    today = timezone.localdate()
    applications = Application.objects.all()
    for field in ("received_on", "accepted_on", "completed_on"):
        assert not applications.filter(**{f"{field}__gt": today}).exists(), field
    assert not Step.objects.filter(on__gt=today).exists()
    assert not Notice.objects.filter(issued_on__gt=today).exists()
    assert not Pause.objects.filter(started_on__gt=today).exists()
    assert not Pause.objects.filter(ended_on__gte=today).exists()  # a pause not over today is still open
    assert not Review.objects.filter(rated_on__gt=today).exists()
    assert not Rectification.objects.filter(answered_on__gt=today).exists()
    assert not ApplicationMaterial.objects.filter(supplied_on__gt=today).exists()
    assert not Bundle.objects.filter(completed_on__gt=today).exists()


def test_the_year_under_way_is_at_work_today(zone):
    today, start = timezone.localdate(), window_start()
    year = of_year_under_way()
    planned = year.filter(received_on__lt=start)  # planned in bulk, not played by the services
    completed = planned.filter(state=S.COMPLETED)
    assert completed.count() >= 0.9 * planned.count()
    assert 0.85 <= completed.filter(on_time=True).count() / completed.count() <= 0.99
    assert planned.filter(state=S.REJECTED).exists()
    assert completed.filter(outcome=Application.Outcome.REFUSED).exists()
    # Still open today: a few of them, and some of those overdue (the leaders were told).
    open_ = planned.exclude(state__in=Application.DONE_STATES)
    assert 3 <= open_.count() <= 40
    red = queries.overdue(planned, today)
    assert red.count() >= 3
    assert not red.filter(red_notified=False).exists()
    # The whole year's lights read like a working zone: every light on.
    lights = queries.light_counts(year, today)
    assert all(lights[light] for light in ("green", "yellow", "red", "paused")), lights
    # Rated as the reference year is, none after today; poor ratings rectified.
    reviews = Review.objects.filter(application__in=planned)
    assert 0.5 * completed.count() <= reviews.count() <= 0.9 * completed.count()
    poor = reviews.filter(level__in=services.RECTIFY_LEVELS)
    assert poor.exists()
    assert not poor.filter(rectification__isnull=True).exists()
    # Parallel approvals in the year under way too: the ones planned in bulk done, the fastest in 5 days.
    bundles = Bundle.objects.filter(started_on__year=today.year, started_on__lt=start)
    assert bundles.count() >= 5
    assert not bundles.filter(completed_on__isnull=True).exists()
    assert min(bundles.values_list("total_working_days", flat=True)) == 5
    stats = queries.year_stats(user=admin(), year=today.year)
    assert stats["applications"] == year.count()
    assert stats["bundles"]["count"] == Bundle.objects.filter(started_on__year=today.year).count()


def test_a_case_not_done_by_today_stands_as_it_is_today(zone):
    """Planned to end after today, a case is still open: received, being corrected, processed or paused."""
    today = timezone.localdate()
    world = demo_approvals._world(random.Random(3), today)
    last = add_working_days(today, -4).value
    cases, bundles = demo_approvals.plan_year(world, 400, year=today.year, last=last, open_overdue=0)
    assert not bundles or all(b["started"] <= last for b in bundles)
    assert all(c.received <= last for c in cases)
    done = [c for c in cases if c.completed is not None]
    open_ = [c for c in cases if c.completed is None]
    assert open_
    assert not [c for c in done if c.completed > today]
    assert not [c for c in cases if any(e[0] > today for e in c.events)]
    paused = [p for c in open_ for p in c.pauses if p.resume is None]
    assert all(p.start <= today for p in paused)
    assert not [c for c in done if any(p.resume is None for p in c.pauses)]
    demo_approvals.compute_clock(cases)
    assert all(c.on_time is None and c.used is None for c in open_)
