"""Recomputing every stored clock at once (``recompute.recompute_due_dates``) gives what the services give.

The applications are walked through the services around the 2025 Spring Festival (Tue Jan 28 .. Tue Feb 4, make-up
workdays Sun Jan 26 and Sat Feb 8) and National Day (Wed Oct 1 .. Wed Oct 8, make-up Sun Sep 28 and Sat Oct 11);
more are written directly with random dates, limits and overlapping pauses, some running into 2027 (a year the
calendar does not confirm: provisional).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from hitechzone.approvals import recompute, services
from hitechzone.approvals.models import Application, Pause
from hitechzone.common import calendar
from hitechzone.common.deadlines import counted_working_days
from hitechzone.common.models import AuditEvent

D = date
S = Application.State
CLOCK = ("due_on", "due_provisional", "yellow_on", "paused_working_days", "working_days_used", "on_time")


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def clock_of(application: Application) -> dict:
    application.refresh_from_db()
    return {f: getattr(application, f) for f in CLOCK}


def by_services(application: Application) -> dict:
    """What the services store for the application: recompute_clock, and application_complete's figures."""
    application = Application.objects.get(pk=application.pk)
    services.recompute_clock(application)
    if application.state == S.COMPLETED:
        pauses = [(p.started_on, p.ended_on) for p in application.pauses.all() if p.ended_on is not None]
        application.working_days_used = counted_working_days(
            application.accepted_on, application.completed_on, pauses
        ).value
        application.on_time = application.completed_on <= application.due_on
        application.save(update_fields=["working_days_used", "on_time"])
    return clock_of(application)


def audit_events() -> int:
    return AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Application)).count()


@pytest.fixture
def festival(catalogue, file_application, walk):
    """Six applications walked through the services across the 2025 Spring Festival and National Day."""
    zone = catalogue.zone
    staff_a, staff_b = zone.users.dept_a, zone.users.dept_b
    item_a, item_b, immediate = catalogue.item_a, catalogue.item_b, catalogue.immediate_item
    apps = {}

    # Limit 5, accepted Mon Jan 20, expert review Fri Jan 24 .. Sun Feb 9 (across the festival), done Feb 14.
    app = walk(file_application(item_a, on=D(2025, 1, 20)), to="processing", on=D(2025, 1, 21))
    services.application_pause(
        application=app, by=staff_a, kind=Pause.Kind.EXPERT_REVIEW, reason="评审", on=D(2025, 1, 24)
    )
    services.application_resume(application=app, by=staff_a, on=D(2025, 2, 10))
    app = Application.objects.get(pk=app.pk)
    services.application_complete(
        application=app, by=staff_a, outcome=Application.Outcome.APPROVED, certificate_no="C-1", on=D(2025, 2, 14)
    )
    apps["paused_over_festival"] = app

    # Limit 10, accepted Thu Jan 23, still being processed: its due date runs across the festival.
    apps["running_over_festival"] = walk(file_application(item_b, on=D(2025, 1, 23)), to="processing")

    # Limit 10, a one-day 补正 on Mon Jan 27, then a site survey Wed Feb 5 .. Mon Feb 10 over the make-up Saturday.
    app = walk(file_application(item_b, on=D(2025, 1, 24)), to="processing", on=D(2025, 1, 24))
    first = app.materials.order_by("material__position").first().material_id
    services.application_pause(
        application=app, by=staff_b, kind=Pause.Kind.CORRECTION, reason="补正", missing=[first], on=D(2025, 1, 27)
    )
    services.application_supply(application=app, by=staff_b, materials=[first], on=D(2025, 1, 28))
    services.application_pause(
        application=app, by=staff_b, kind=Pause.Kind.SITE_SURVEY, reason="勘查", on=D(2025, 2, 5)
    )
    services.application_resume(application=app, by=staff_b, on=D(2025, 2, 11))
    apps["two_pauses"] = Application.objects.get(pk=app.pk)

    # An immediate item accepted and done on the make-up Sunday before the festival.
    app = walk(file_application(immediate, on=D(2025, 1, 26)), to="accepted")
    services.application_complete(
        application=app, by=staff_a, outcome=Application.Outcome.APPROVED, certificate_no="C-4", on=D(2025, 1, 26)
    )
    apps["immediate"] = app

    # National Day: one in an open special procedure since Mon Sep 29, one done late on Thu Oct 16.
    app = walk(file_application(item_a, on=D(2025, 9, 26)), to="processing", on=D(2025, 9, 26))
    services.application_pause(application=app, by=staff_a, kind=Pause.Kind.HEARING, reason="听证", on=D(2025, 9, 29))
    apps["open_pause"] = app
    app = walk(file_application(item_a, on=D(2025, 9, 30)), to="processing", on=D(2025, 9, 30))
    services.application_complete(
        application=app, by=staff_a, outcome=Application.Outcome.REFUSED, reason="不符合", on=D(2025, 10, 16)
    )
    apps["national_day"] = app

    # Declined before acceptance: no clock, never touched.
    apps["rejected"] = walk(file_application(item_a, on=D(2025, 1, 20)), to="rejected")
    return apps


def test_the_services_and_the_bulk_recompute_agree_nothing_is_written(festival):
    stored = {name: clock_of(app) for name, app in festival.items()}
    events = audit_events()

    result = recompute.recompute_due_dates()

    assert result["applications"] == 6  # the declined one has no clock
    assert result["pauses"] == 3  # closed ones: the open hearing does not count yet
    assert (result["changed"], result["written"], result["skipped"]) == (0, 0, 0)
    assert audit_events() == events
    assert {name: clock_of(app) for name, app in festival.items()} == stored
    # The cases are what they claim to be.
    assert stored["paused_over_festival"]["paused_working_days"] == 7  # Jan 24, 26, 27; Feb 5, 6, 7, 8
    assert stored["two_pauses"]["paused_working_days"] == 1 + 5  # Jan 27; Feb 5, 6, 7, 8 (a make-up Saturday), 10
    assert stored["running_over_festival"]["due_on"] == D(2025, 2, 12)  # Jan 24, 26, 27; Feb 5 .. 8, 10 .. 12
    assert stored["national_day"]["due_on"] == D(2025, 10, 14)  # Oct 9, 10, 11 (a make-up Saturday), 13, 14
    assert stored["immediate"] == {
        "due_on": D(2025, 1, 26),
        "due_provisional": False,
        "yellow_on": D(2025, 1, 24),
        "paused_working_days": 0,
        "working_days_used": 0,
        "on_time": True,
    }
    assert stored["national_day"]["on_time"] is False


def test_scrambled_clocks_are_put_back_as_the_services_compute_them(festival):
    expected = {name: by_services(app) for name, app in festival.items()}
    Application.objects.filter(accepted_on__isnull=False).update(
        due_on=D(2030, 1, 1), due_provisional=True, yellow_on=None, paused_working_days=99
    )
    Application.objects.filter(state=S.COMPLETED).update(working_days_used=None, on_time=None)
    events = audit_events()

    result = recompute.recompute_due_dates()

    assert (result["changed"], result["written"]) == (6, 6)
    assert {name: clock_of(app) for name, app in festival.items()} == expected
    assert audit_events() == events + 6
    event = AuditEvent.objects.filter(object_id=str(festival["immediate"].pk)).order_by("-id").first()
    assert event.action == AuditEvent.Action.UPDATE
    assert event.source == "system"
    assert event.enterprise_id == festival["immediate"].enterprise_id
    assert event.object_repr == festival["immediate"].number
    assert event.changes == {
        "due_on": ["2030-01-01", "2025-01-26"],
        "due_provisional": [True, False],
        "yellow_on": [None, "2025-01-24"],
        "paused_working_days": [99, 0],
        "working_days_used": [None, 0],
        "on_time": [None, True],
    }


def test_only_the_changed_rows_are_written_and_recorded(festival):
    target = festival["two_pauses"]
    right = clock_of(target)
    Application.objects.filter(pk=target.pk).update(yellow_on=D(2025, 1, 1))
    events = audit_events()

    result = recompute.recompute_due_dates()

    assert (result["applications"], result["changed"], result["written"]) == (6, 1, 1)
    assert clock_of(target) == right
    assert audit_events() == events + 1
    event = AuditEvent.objects.filter(object_id=str(target.pk)).order_by("-id").first()
    assert event.changes == {"yellow_on": ["2025-01-01", right["yellow_on"].isoformat()]}


def test_a_row_a_service_changed_meanwhile_is_left_to_the_service(festival):
    target = festival["running_over_festival"]
    Application.objects.filter(pk=target.pk).update(due_on=D(2025, 1, 1))

    def meanwhile(percent, stage):
        if stage == "write":  # between the read and the write, a service writes the row
            Application.objects.filter(pk=target.pk).update(due_on=D(2025, 3, 3))

    result = recompute.recompute_due_dates(progress=meanwhile)

    assert (result["changed"], result["written"], result["skipped"]) == (1, 0, 1)
    assert clock_of(target)["due_on"] == D(2025, 3, 3)


def test_a_dry_run_counts_without_writing(festival):
    Application.objects.filter(pk=festival["national_day"].pk).update(on_time=True)
    result = recompute.recompute_due_dates(dry_run=True)
    assert (result["changed"], result["written"]) == (1, 0)
    assert clock_of(festival["national_day"])["on_time"] is True


def test_a_new_holiday_moves_the_due_dates_that_run_over_it(festival, zone):
    before = {name: clock_of(app) for name, app in festival.items()}
    holidays, makeup = calendar.manual_entries(2025)
    calendar.calendar_year_set_manual(
        year=2025,
        holidays={**holidays, D(2025, 2, 10): "春节（延长）"},  # Mon Feb 10 off too
        makeup_workdays=makeup,
        notice="国办发明电〔2024〕12号（测试）",
        confirmed=True,
    )

    result = recompute.calendar_year_changed(2025, user=zone.users.admin)

    after = {name: clock_of(app) for name, app in festival.items()}
    assert after == {name: by_services(app) for name, app in festival.items()}
    # Due dates past Feb 10 move one working day later; the paused day Feb 10 is no longer a working day.
    assert after["running_over_festival"]["due_on"] == D(2025, 2, 13)
    assert after["paused_over_festival"]["due_on"] == before["paused_over_festival"]["due_on"] + timedelta(days=1)
    assert after["paused_over_festival"]["working_days_used"] == before["paused_over_festival"]["working_days_used"] - 1
    assert after["two_pauses"]["paused_working_days"] == before["two_pauses"]["paused_working_days"] - 1
    # Autumn and the immediate item are not touched.
    for name in ("immediate", "open_pause", "national_day"):
        assert after[name] == before[name]
    changed = {name for name in festival if after[name] != before[name]}
    assert changed == {"running_over_festival", "paused_over_festival", "two_pauses"}
    assert result["written"] == 3
    assert set(
        AuditEvent.objects.filter(
            username="admin", content_type=ContentType.objects.get_for_model(Application)
        ).values_list("object_id", flat=True)
    ) == {str(festival[name].pk) for name in changed}


def test_the_applications_a_year_touches(catalogue):
    zone, item = catalogue.zone, catalogue.item_a

    def app(number, accepted, due, completed=None, pause=None):
        application = Application.objects.create(
            number=number,
            item=item,
            version=item.current,
            department=zone.dept_a,
            enterprise=zone.ent_a,
            received_on=accepted or D(2024, 1, 2),
            accepted_on=accepted,
            due_on=due,
            completed_on=completed,
            state=S.COMPLETED if completed else S.PROCESSING if accepted else S.RECEIVED,
            limit_days=5,
        )
        if pause:
            Pause.objects.create(
                application=application, kind=Pause.Kind.TESTING, started_on=pause[0], ended_on=pause[1]
            )
        return number

    touched = {
        app("due-in-2025", D(2024, 12, 20), D(2025, 1, 6)),
        app("done-in-2025", D(2024, 11, 1), D(2024, 11, 8), completed=D(2025, 1, 3)),
        app("paused-into-2025", D(2024, 11, 1), D(2024, 11, 8), pause=(D(2024, 11, 20), D(2025, 1, 2))),
        app("not-computed", D(2024, 6, 3), None),
        app("due-later", D(2025, 12, 30), D(2026, 1, 7)),
    }
    app("all-in-2024", D(2024, 3, 1), D(2024, 3, 8), completed=D(2024, 3, 8), pause=(D(2024, 3, 4), D(2024, 3, 4)))
    app("accepted-in-2026", D(2026, 1, 5), D(2026, 1, 12))
    app("not-accepted", None, None)

    assert set(recompute.affected_by_year(2025).values_list("number", flat=True)) == touched


@pytest.fixture
def random_applications(catalogue):
    """80 applications written directly: random acceptance (Dec 2024 .. Jan 2027), limit, threshold, state and
    up to three pauses that overlap, touch or lie before the acceptance; some still open."""
    zone = catalogue.zone
    item = catalogue.item_a
    rng = random.Random(20250128)
    apps = []
    for i in range(80):
        accepted = D(2024, 12, 1) + timedelta(days=rng.randrange(0, 790))
        state = rng.choice([S.ACCEPTED, S.PROCESSING, S.SPECIAL, S.CORRECTING, S.COMPLETED, S.COMPLETED])
        limit = rng.choice([0, 1, 3, 5, 10, 20, 60])
        completed = accepted + timedelta(days=rng.randrange(0, 90)) if state == S.COMPLETED else None
        app = Application.objects.create(
            number=f"RND{i:05d}",
            item=item,
            version=item.current,
            department=zone.dept_a,
            enterprise=zone.ent_a,
            received_on=accepted - timedelta(days=rng.randrange(0, 5)),
            accepted_on=accepted,
            completed_on=completed,
            state=state,
            limit_days=limit,
            yellow_threshold=rng.choice([0, 1, 2, 3]),
        )
        start = accepted - timedelta(days=3)
        for k in range(rng.choice([0, 0, 1, 2, 3])):
            start += timedelta(days=rng.randrange(-2, 15))
            end = start + timedelta(days=rng.randrange(0, 20))
            is_open = state in (S.SPECIAL, S.CORRECTING) and k == 2
            Pause.objects.create(
                application=app, kind=Pause.Kind.TESTING, started_on=start, ended_on=None if is_open else end
            )
        apps.append(app)
    return apps


def test_random_applications_agree_with_the_services(random_applications):
    result = recompute.recompute_due_dates()

    assert result["written"] == 80  # nothing was stored before
    stored = {app.pk: clock_of(app) for app in random_applications}
    expected = {app.pk: by_services(app) for app in random_applications}
    assert stored == expected
    assert any(clock["due_provisional"] for clock in stored.values())  # due in 2027
    assert any(clock["paused_working_days"] for clock in stored.values())
    assert recompute.recompute_due_dates()["changed"] == 0


def test_a_queryset_limits_the_recompute(random_applications):
    some = Application.objects.filter(number__in=["RND00001", "RND00002", "RND00003"])
    result = recompute.recompute_due_dates(some)
    assert (result["applications"], result["written"]) == (3, 3)
    assert Application.objects.filter(due_on__isnull=False).count() == 3


def test_the_command_prints_the_counts(festival):
    Application.objects.filter(pk=festival["paused_over_festival"].pk).update(due_on=None)
    out = StringIO()
    call_command("recompute_due_dates", "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "6 applications" in text
    assert "1 changed" in text
    assert "1 written" in text

    out = StringIO()
    call_command("recompute_due_dates", "--dry-run", stdout=out)
    assert "0 changed" in out.getvalue()


def test_bundle_totals_follow_the_calendar(catalogue, file_application, walk, zone):
    bundle = services.bundle_create(
        by=zone.users.ent_a,
        enterprise=zone.ent_a,
        name="年产5万吨氟材料项目",
        items=[catalogue.item_a, catalogue.item_b],
        started_on=D(2025, 1, 20),
    )
    for app in bundle.applications.all():
        walk(app, to="completed", accepted_on=D(2025, 1, 20), on=D(2025, 2, 12))
    bundle.refresh_from_db()
    assert bundle.total_working_days == 13  # Jan 21 .. 24, 26 (a make-up Sunday), 27; Feb 5 .. 8, 10 .. 12
    holidays, makeup = calendar.manual_entries(2025)
    calendar.calendar_year_set_manual(
        year=2025, holidays={**holidays, D(2025, 2, 10): "春节"}, makeup_workdays=makeup, notice="", confirmed=True
    )

    result = recompute.calendar_year_changed(2025)

    bundle.refresh_from_db()
    assert bundle.total_working_days == 12
    assert result["bundles"] == 1


def test_the_background_job_recomputes_a_year(festival, zone):
    from hitechzone.common import jobs

    Application.objects.filter(pk=festival["two_pauses"].pk).update(due_on=None)
    job = jobs.enqueue(recompute.JOB_KIND, user=zone.users.admin, params={"year": 2025})

    job = jobs.run(job)

    assert job.status == job.Status.SUCCEEDED
    assert (job.result["applications"], job.result["written"]) == (6, 1)
    assert clock_of(festival["two_pauses"])["due_on"] is not None
    event = AuditEvent.objects.filter(object_id=str(festival["two_pauses"].pk)).order_by("-id").first()
    assert (event.username, event.source) == ("admin", "system")
