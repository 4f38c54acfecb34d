"""A calendar year entered or confirmed by hand moves the stored due dates it touches (by a background job)."""

from datetime import date

import pytest

from hitechzone.approvals.models import Application
from hitechzone.approvals.recompute import JOB_KIND
from hitechzone.common import calendar, jobs
from hitechzone.common.models import Job

pytestmark = pytest.mark.django_db


def test_entering_next_years_holidays_moves_provisional_due_dates(
    catalogue, file_application, walk, freeze, django_capture_on_commit_callbacks
):
    freeze(date(2026, 12, 28))
    # item B promises 10 working days: accepted Mon 2026-12-28, counted Tue 29, Wed 30, Thu 31 (3), then 2027.
    application = walk(
        file_application(catalogue.item_b, on=date(2026, 12, 28)), to="processing", on=date(2026, 12, 28)
    )
    # 2027 is not known yet: weekdays only, so Fri 1 January counts (4) … Mon 11 January is the 10th.
    assert (application.due_on, application.due_provisional) == (date(2027, 1, 11), True)
    assert not Job.objects.filter(kind=JOB_KIND).exists()

    # The State Council's notice: 1–3 January 2027 off (元旦), confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        calendar.calendar_year_set_manual(
            year=2027,
            holidays={date(2027, 1, 1): "元旦", date(2027, 1, 2): "元旦", date(2027, 1, 3): "元旦"},
            makeup_workdays={},
            notice="国办发明电〔2026〕x号",
            confirmed=True,
        )
    job = Job.objects.get(kind=JOB_KIND)
    assert job.params == {"year": 2027}
    assert jobs.run_pending() == 1

    application.refresh_from_db()
    # Friday 1 January is a holiday now: the 10th counted working day is Tue 12 January, and it is final.
    assert (application.due_on, application.due_provisional) == (date(2027, 1, 12), False)
    assert Application.objects.get(pk=application.pk).yellow_on == date(2027, 1, 11)


def test_a_new_year_seeded_for_the_first_time_queues_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calendar.ensure_years(2031, 2031)
    assert not Job.objects.filter(kind=JOB_KIND).exists()
