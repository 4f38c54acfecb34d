"""The clock of real applications, driven through the services across the State Council's holidays.

Every expected date is counted by hand in the comment beside it (day N = the N-th counted working day after the
acceptance day). The holidays these cases rely on, as the chinese_calendar package has them (checked in
``hitechzone/common/tests/test_deadlines.py``):

* 2025 Spring Festival: Tue Jan 28 – Tue Feb 4 off; make-up workdays Sun Jan 26 and Sat Feb 8.
* 2025 National Day: Wed Oct 1 – Wed Oct 8 off; make-up Sun Sep 28 and Sat Oct 11.
* 2026 Spring Festival: Sun Feb 15 – Mon Feb 23 off; make-up Sat Feb 14 and Sat Feb 28.
* 2026 Mid-autumn Fri Sep 25 – Sun Sep 27 and National Day Thu Oct 1 – Wed Oct 7 off; make-up Sun Sep 20 and
  Sat Oct 10.
* 2027 is not known: weekdays only, not confirmed.

``item_a`` promises 5 working days, ``item_b`` 10 (see conftest.py).
"""

from datetime import date

import pytest

from hitechzone.approvals import services
from hitechzone.approvals.models import Application, Pause
from hitechzone.common.calendar import calendar_year_set_manual

D = date
S = Application.State


@pytest.fixture
def accept(catalogue, file_application, walk, freeze):
    """``accept(item, on, to="accepted")``: filed and accepted on ``on`` ("today" frozen at the end of that year)."""

    def go(item, on: date, to: str = "accepted", later: date | None = None):
        freeze(D(on.year, 12, 31))
        return walk(file_application(item, on=on), to=to, on=later)

    return go


def dept(catalogue, application):
    return (
        catalogue.zone.users.dept_a
        if application.department_id == catalogue.zone.dept_a.pk
        else catalogue.zone.users.dept_b
    )


# --- Acceptance before a holiday ----------------------------------------------------------------------------------


def test_acceptance_before_the_2025_spring_festival(catalogue, accept):
    a = accept(catalogue.item_a, D(2025, 1, 24))  # a Friday
    # 1 Sun Jan 26 (make-up), 2 Mon Jan 27, (Jan 28 – Feb 4 off), 3 Wed Feb 5, 4 Thu Feb 6, 5 Fri Feb 7
    assert (a.due_on, a.due_provisional) == (D(2025, 2, 7), False)
    assert a.yellow_on == D(2025, 2, 6)  # 1 working day left: Fri Feb 7
    b = accept(catalogue.item_b, D(2025, 1, 24))
    # … 5 Fri Feb 7, 6 Sat Feb 8 (make-up), 7 Mon Feb 10, 8 Tue Feb 11, 9 Wed Feb 12, 10 Thu Feb 13
    assert b.due_on == D(2025, 2, 13)


def test_acceptance_before_the_2026_spring_festival(catalogue, accept):
    a = accept(catalogue.item_a, D(2026, 2, 12))  # a Thursday
    # 1 Fri Feb 13, 2 Sat Feb 14 (make-up), (Feb 15 – Feb 23 off), 3 Tue Feb 24, 4 Wed Feb 25, 5 Thu Feb 26
    assert (a.due_on, a.due_provisional) == (D(2026, 2, 26), False)
    b = accept(catalogue.item_b, D(2026, 2, 12))
    # … 5 Thu Feb 26, 6 Fri Feb 27, 7 Sat Feb 28 (make-up), 8 Mon Mar 2, 9 Tue Mar 3, 10 Wed Mar 4
    assert b.due_on == D(2026, 3, 4)


def test_acceptance_before_national_day_2025(catalogue, accept):
    a = accept(catalogue.item_a, D(2025, 9, 26))  # a Friday
    # 1 Sun Sep 28 (make-up), 2 Mon Sep 29, 3 Tue Sep 30, (Oct 1 – Oct 8 off), 4 Thu Oct 9, 5 Fri Oct 10
    assert a.due_on == D(2025, 10, 10)
    b = accept(catalogue.item_b, D(2025, 9, 26))
    # … 5 Fri Oct 10, 6 Sat Oct 11 (make-up), 7 Mon Oct 13, 8 Tue Oct 14, 9 Wed Oct 15, 10 Thu Oct 16
    assert b.due_on == D(2025, 10, 16)


def test_acceptance_before_national_day_2026(catalogue, accept):
    a = accept(catalogue.item_a, D(2026, 9, 29))  # a Tuesday
    # 1 Wed Sep 30, (Oct 1 – Oct 7 off), 2 Thu Oct 8, 3 Fri Oct 9, 4 Sat Oct 10 (make-up), 5 Mon Oct 12
    assert (a.due_on, a.due_provisional) == (D(2026, 10, 12), False)
    b = accept(catalogue.item_a, D(2026, 9, 24))  # a Thursday, before Mid-autumn
    # (Sep 25 – Sep 27 off), 1 Mon Sep 28, 2 Tue Sep 29, 3 Wed Sep 30, (Oct 1 – Oct 7 off), 4 Thu Oct 8, 5 Fri Oct 9
    assert b.due_on == D(2026, 10, 9)
    c = accept(catalogue.item_a, D(2026, 9, 18))  # a Friday
    # 1 Sun Sep 20 (make-up), 2 Mon Sep 21, 3 Tue Sep 22, 4 Wed Sep 23, 5 Thu Sep 24
    assert c.due_on == D(2026, 9, 24)


def test_acceptance_on_a_make_up_saturday_counts_from_the_next_working_day(catalogue, accept):
    a = accept(catalogue.item_a, D(2025, 2, 8))  # make-up Saturday
    # 1 Mon Feb 10, 2 Tue Feb 11, 3 Wed Feb 12, 4 Thu Feb 13, 5 Fri Feb 14
    assert a.due_on == D(2025, 2, 14)
    b = accept(catalogue.item_a, D(2025, 10, 11))  # make-up Saturday
    # 1 Mon Oct 13, 2 Tue Oct 14, 3 Wed Oct 15, 4 Thu Oct 16, 5 Fri Oct 17
    assert b.due_on == D(2025, 10, 17)
    c = accept(catalogue.item_a, D(2026, 2, 28))  # make-up Saturday
    # 1 Mon Mar 2, 2 Tue Mar 3, 3 Wed Mar 4, 4 Thu Mar 5, 5 Fri Mar 6
    assert c.due_on == D(2026, 3, 6)


def test_acceptance_on_a_make_up_sunday_can_fall_due_on_a_make_up_saturday(catalogue, accept):
    a = accept(catalogue.item_a, D(2025, 1, 26))  # make-up Sunday
    # 1 Mon Jan 27, (Jan 28 – Feb 4 off), 2 Wed Feb 5, 3 Thu Feb 6, 4 Fri Feb 7, 5 Sat Feb 8 (make-up)
    assert a.due_on == D(2025, 2, 8)
    assert a.yellow_on == D(2025, 2, 7)


# --- Pauses ---------------------------------------------------------------------------------------------------------


def test_a_special_procedure_straddling_the_2025_spring_festival(catalogue, accept):
    application = accept(catalogue.item_b, D(2025, 1, 20), to="processing")  # a Monday, assigned Tue Jan 21
    # Without a pause: 1 Jan 21, 2 Jan 22, 3 Jan 23, 4 Jan 24, 5 Sun Jan 26, 6 Jan 27, 7 Feb 5, 8 Feb 6, 9 Feb 7,
    # 10 Sat Feb 8
    assert application.due_on == D(2025, 2, 8)
    by = dept(catalogue, application)
    application = services.application_pause(
        application=application, by=by, kind=Pause.Kind.EXPERT_REVIEW, reason="专家评审", on=D(2025, 1, 23)
    )
    assert application.light(D(2025, 2, 20)) == "paused"
    application = services.application_resume(application=application, by=by, on=D(2025, 2, 6))
    # Paused Thu Jan 23 – Wed Feb 5: working days Jan 23, Jan 24, Sun Jan 26, Jan 27, Feb 5 = 5.
    # 1 Tue Jan 21, 2 Wed Jan 22, 3 Thu Feb 6, 4 Fri Feb 7, 5 Sat Feb 8 (make-up), 6 Mon Feb 10, 7 Tue Feb 11,
    # 8 Wed Feb 12, 9 Thu Feb 13, 10 Fri Feb 14
    assert (application.due_on, application.paused_working_days) == (D(2025, 2, 14), 5)
    assert application.pauses.get().ended_on == D(2025, 2, 5)
    done = services.application_complete(
        application=application, by=by, outcome="approved", certificate_no="环审〔2025〕1号", on=D(2025, 2, 14)
    )
    assert (done.working_days_used, done.on_time) == (10, True)


def test_a_correction_straddling_the_2026_spring_festival(catalogue, accept):
    application = accept(catalogue.item_a, D(2026, 2, 10), to="processing")  # a Tuesday, assigned Wed Feb 11
    by = dept(catalogue, application)
    licence = catalogue.materials["营业执照"].pk
    services.application_pause(
        application=application,
        by=by,
        kind=Pause.Kind.CORRECTION,
        reason="证照过期",
        missing=[licence],
        on=D(2026, 2, 12),
    )
    application = services.application_supply(
        application=application, by=catalogue.zone.users.ent_a, materials=[licence], on=D(2026, 2, 25)
    )
    assert application.state == S.PROCESSING
    # Paused Thu Feb 12 – Tue Feb 24: working days Feb 12, Feb 13, Sat Feb 14 (make-up), Feb 24 = 4.
    # 1 Wed Feb 11, 2 Wed Feb 25, 3 Thu Feb 26, 4 Fri Feb 27, 5 Sat Feb 28 (make-up)
    assert (application.due_on, application.paused_working_days) == (D(2026, 2, 28), 4)


def test_a_pause_entirely_inside_a_holiday_changes_nothing(catalogue, accept):
    application = accept(catalogue.item_b, D(2025, 1, 20), to="processing")
    by = dept(catalogue, application)
    services.application_pause(
        application=application, by=by, kind=Pause.Kind.HEARING, reason="听证", on=D(2025, 1, 28)
    )
    application = services.application_resume(application=application, by=by, on=D(2025, 2, 5))
    assert application.pauses.get().ended_on == D(2025, 2, 4)  # Tue Jan 28 – Tue Feb 4: the holiday itself
    # 1 Jan 21, 2 Jan 22, 3 Jan 23, 4 Jan 24, 5 Sun Jan 26, 6 Jan 27, 7 Feb 5, 8 Feb 6, 9 Feb 7, 10 Sat Feb 8
    assert (application.due_on, application.paused_working_days) == (D(2025, 2, 8), 0)
    done = services.application_complete(
        application=application, by=by, outcome="refused", reason="x", on=D(2025, 2, 7)
    )
    assert (done.working_days_used, done.on_time) == (9, True)


def test_two_pauses_and_the_working_days_taken(catalogue, accept):
    application = accept(catalogue.item_a, D(2025, 3, 3), to="processing")  # a Monday, assigned Tue Mar 4
    by = dept(catalogue, application)
    services.application_pause(application=application, by=by, kind=Pause.Kind.TESTING, reason="检测", on=D(2025, 3, 5))
    services.application_resume(application=application, by=by, on=D(2025, 3, 10))
    licence = catalogue.materials["营业执照"].pk
    services.application_pause(
        application=application, by=by, kind=Pause.Kind.CORRECTION, reason="补正", missing=[licence], on=D(2025, 3, 12)
    )
    application = services.application_supply(application=application, by=by, materials=[licence], on=D(2025, 3, 14))
    assert [(p.started_on, p.ended_on) for p in application.pauses.all()] == [
        (D(2025, 3, 5), D(2025, 3, 9)),
        (D(2025, 3, 12), D(2025, 3, 13)),
    ]
    # Paused Wed 5, Thu 6, Fri 7 and Wed 12, Thu 13 = 5 working days.
    # 1 Tue Mar 4, 2 Mon Mar 10, 3 Tue Mar 11, 4 Fri Mar 14, 5 Mon Mar 17
    assert (application.due_on, application.paused_working_days) == (D(2025, 3, 17), 5)
    assert application.yellow_on == D(2025, 3, 14)
    late = services.application_complete(
        application=application, by=by, outcome="approved", certificate_no="备案-7", on=D(2025, 3, 18)
    )
    assert (late.working_days_used, late.on_time) == (6, False)  # … 5 Mon Mar 17, 6 Tue Mar 18


def test_completion_on_the_due_date_is_on_time(catalogue, accept):
    application = accept(catalogue.item_a, D(2025, 9, 26), to="processing")
    done = services.application_complete(
        application=application,
        by=dept(catalogue, application),
        outcome="approved",
        certificate_no="备案-9",
        on=D(2025, 10, 10),
    )
    # 1 Sun Sep 28, 2 Mon Sep 29, 3 Tue Sep 30, 4 Thu Oct 9, 5 Fri Oct 10
    assert (done.due_on, done.working_days_used, done.on_time) == (D(2025, 10, 10), 5, True)


# --- Into an unconfirmed year -----------------------------------------------------------------------------------------


def test_a_due_date_in_2027_is_provisional_until_the_year_is_confirmed(catalogue, accept):
    short = accept(catalogue.item_a, D(2026, 12, 24))  # a Thursday
    # 1 Fri Dec 25, 2 Mon Dec 28, 3 Tue Dec 29, 4 Wed Dec 30, 5 Thu Dec 31
    assert (short.due_on, short.due_provisional) == (D(2026, 12, 31), False)
    long = accept(catalogue.item_b, D(2026, 12, 24))
    # … 5 Thu Dec 31, 6 Fri Jan 1 2027 (weekdays only: no New Year yet), 7 Mon Jan 4, 8 Tue Jan 5, 9 Wed Jan 6,
    # 10 Thu Jan 7
    assert (long.due_on, long.due_provisional) == (D(2027, 1, 7), True)
    # The State Council's notice arrives: Jan 1 2027 is off (元旦). The next recomputation moves the date.
    calendar_year_set_manual(
        year=2027, holidays={D(2027, 1, 1): "元旦"}, makeup_workdays=(), notice="国办发明电〔2026〕X号", confirmed=True
    )
    long = services.recompute_clock(Application.objects.get(pk=long.pk))
    # … 5 Thu Dec 31, 6 Mon Jan 4, 7 Tue Jan 5, 8 Wed Jan 6, 9 Thu Jan 7, 10 Fri Jan 8
    assert (long.due_on, long.due_provisional) == (D(2027, 1, 8), False)


# --- Lights -----------------------------------------------------------------------------------------------------------


def test_the_lights_of_an_application_day_by_day(catalogue, accept):
    application = accept(catalogue.item_a, D(2025, 3, 3), to="processing")  # due Mon Mar 10, yellow from Fri Mar 7
    assert (application.due_on, application.yellow_on) == (D(2025, 3, 10), D(2025, 3, 7))
    lights = {day: application.light(D(2025, 3, day)) for day in (4, 6, 7, 8, 9, 10, 11, 12)}
    assert lights == {
        4: "green",
        6: "green",  # 2 working days left (Fri 7, Mon 10)
        7: "yellow",  # 1 left: the threshold
        8: "yellow",
        9: "yellow",
        10: "yellow",  # due today
        11: "red",  # the day after the due date
        12: "red",
    }
    by = dept(catalogue, application)
    services.application_pause(application=application, by=by, kind=Pause.Kind.HEARING, reason="听证", on=D(2025, 3, 5))
    application.refresh_from_db()
    assert application.light(D(2025, 3, 11)) == "paused"
    application = services.application_resume(application=application, by=by, on=D(2025, 3, 12))
    # Paused Wed 5 – Tue 11 (5 working days): 1 Tue 4, 2 Wed 12, 3 Thu 13, 4 Fri 14, 5 Mon 17
    assert (application.due_on, application.light(D(2025, 3, 12)), application.light(D(2025, 3, 14))) == (
        D(2025, 3, 17),
        "green",
        "yellow",
    )


def test_the_yellow_light_across_a_holiday(catalogue, accept, freeze):
    application = accept(catalogue.item_a, D(2025, 1, 24))  # due Fri Feb 7
    assert application.light(D(2025, 1, 27)) == "green"  # 4 working days left
    assert application.light(D(2025, 2, 4)) == "green"  # still 3 left (Feb 5, 6, 7) on the last day off
    assert application.light(D(2025, 2, 6)) == "yellow"


def test_a_yellow_threshold_of_2_on_an_item(catalogue, accept, freeze):
    freeze(D(2025, 12, 31))
    services.item_revise(item=catalogue.item_a, by=catalogue.zone.users.dept_a, yellow_threshold=2)
    application = accept(catalogue.item_a, D(2025, 3, 3))  # due Mon Mar 10
    assert (application.yellow_threshold, application.yellow_on) == (2, D(2025, 3, 6))  # 2 left: Fri 7, Mon 10
    assert (application.light(D(2025, 3, 5)), application.light(D(2025, 3, 6))) == ("green", "yellow")
    services.item_revise(item=catalogue.item_a, by=catalogue.zone.users.dept_a, yellow_threshold=3)
    before_holiday = accept(catalogue.item_a, D(2025, 1, 24))  # due Fri Feb 7
    # 3 working days before Fri Feb 7: Thu Feb 6, Wed Feb 5, then back over the holiday to Mon Jan 27
    assert before_holiday.yellow_on == D(2025, 1, 27)
    assert before_holiday.light(D(2025, 1, 26)) == "green"
    assert before_holiday.light(D(2025, 1, 30)) == "yellow"


def test_an_immediate_application_is_yellow_on_the_day_and_red_the_next(catalogue, accept):
    application = accept(catalogue.immediate_item, D(2025, 3, 4))
    assert (application.due_on, application.yellow_on) == (D(2025, 3, 4), D(2025, 3, 3))
    assert (application.light(D(2025, 3, 4)), application.light(D(2025, 3, 5))) == ("yellow", "red")
