"""The demo year written in bulk."""

from __future__ import annotations

import uuid
from collections import Counter

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad

from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from hitechzone.common.deadlines import to_ordinals

from .base import Case, World, _moment
from .year import _rate, compute_clock

# --- Writing ------------------------------------------------------------------------------------------------


def _trail(case: Case) -> tuple[list[tuple], str]:
    """The case's steps in date order, each with its from and to state, and the state it ends in."""
    steps, state = [], ""
    for day, by, action, new, note, assignee in sorted(case.events, key=lambda e: e[0]):  # stable within a day
        steps.append((day, by, action, state, new or state, note, assignee))
        state = new or state
    return steps, state


def _number(applications: list[Application]) -> None:
    """``services.application_number`` (SP + date received + id), set by one UPDATE once the ids are known."""

    def padded(expression, width: int):
        return LPad(Cast(expression, CharField()), width, Value("0"))

    received = "received_on"
    number = Concat(
        Value("SP"),
        padded(ExtractYear(received), 4),
        padded(ExtractMonth(received), 2),
        padded(ExtractDay(received), 2),
        padded(F("pk"), 8),
        output_field=CharField(),
    )
    for k in range(0, len(applications), 2000):
        Application.objects.filter(pk__in=[a.pk for a in applications[k : k + 2000]]).update(number=number)
    for application in applications:
        application.number = services.application_number(application)


def write(w: World, cases: list[Case], bundles: list[dict], report) -> None:
    """Everything planned, in bulk: bundles, applications, notices, materials, pauses, steps, ratings."""
    rng = w.rng
    compute_clock(cases)
    for case in cases:
        _rate(w, case)
    rows = []
    for b in bundles:
        members = [c for c in cases if c.bundle == len(rows)]
        first = min(c.accepted for c in members)
        last = total = None  # one of its applications still under way today
        if all(c.completed for c in members):
            last = max(c.completed for c in members)
            total = int(w.clock.counted(to_ordinals([first]), to_ordinals([last]))[0][0])
        rows.append(
            Bundle(
                name=b["name"],
                enterprise_id=b["enterprise_id"],
                created_by=b["officer"],
                started_on=b["started"],
                completed_on=last,
                total_working_days=total,
                created_at=_moment(b["started"], 0),
            )
        )
    Bundle.objects.bulk_create(rows)
    report.add("parallel approvals", len(rows))

    cases.sort(key=lambda c: (c.received, c.bundle is None, c.item.code))
    trails = [_trail(c) for c in cases]
    applications = [
        Application(
            number=uuid.uuid4().hex[:24],
            item=c.item,
            version=c.version,
            department_id=c.item.department_id,
            enterprise_id=c.enterprise_id,
            bundle=rows[c.bundle] if c.bundle is not None else None,
            title=c.title,
            applicant=c.applicant,
            agent=c.agent,
            assignee=c.staff if c.assigned else None,
            state=state,
            received_on=c.received,
            accepted_on=c.accepted,
            completed_on=c.completed,
            limit_days=c.limit,
            yellow_threshold=c.version.yellow_threshold,
            due_on=c.due,
            due_provisional=c.provisional,
            yellow_on=c.yellow,
            paused_working_days=c.paused_days,
            working_days_used=c.used,
            on_time=c.on_time,
            outcome=c.outcome,
            certificate_no=c.certificate,
            reason=c.reason,
            created_at=_moment(c.received, 0),
        )
        for c, (_steps, state) in zip(cases, trails, strict=True)
    ]
    Application.objects.bulk_create(applications, batch_size=1000)
    _number(applications)
    report.add("applications", len(applications))

    notices = [
        [
            Notice(
                application=application,
                issued_on=n.issued,
                issued_by=case.staff,
                text=n.text,
                after_acceptance=n.after_acceptance,
            )
            for n in case.notices
        ]
        for case, application in zip(cases, applications, strict=True)
    ]
    Notice.objects.bulk_create([n for ns in notices for n in ns], batch_size=1000)
    ApplicationMaterial.objects.bulk_create(
        [
            ApplicationMaterial(
                application=application,
                material_id=pk,
                status=status,
                promised_by=promised_by,
                supplied_on=supplied_on,
                notice=ns[index] if index is not None else None,
            )
            for case, application, ns in zip(cases, applications, notices, strict=True)
            for pk, (status, promised_by, supplied_on, index) in case.materials.items()
        ],
        batch_size=2000,
    )
    Pause.objects.bulk_create(
        [
            Pause(application=application, kind=p.kind, started_on=p.start, ended_on=p.ended, reason=p.reason)
            for case, application in zip(cases, applications, strict=True)
            for p in case.pauses
        ],
        batch_size=2000,
    )
    steps = []
    for application, (trail, _state) in zip(applications, trails, strict=True):
        nth: Counter = Counter()
        for day, by, action, before, after, note, assignee in trail:
            steps.append(
                Step(
                    application=application,
                    at=_moment(day, nth[day], rng.randrange(10)),
                    on=day,
                    by=by,
                    action=action,
                    from_state=before,
                    to_state=after,
                    assignee=assignee,
                    note=note,
                )
            )
            nth[day] += 1
    Step.objects.bulk_create(steps, batch_size=2000)

    reviews, rectifications = [], []
    for case, application in zip(cases, applications, strict=True):
        if case.review is None:
            continue
        level, comment, rated, answer, answered = case.review
        review = Review(
            application=application, level=level, comment=comment, rated_on=rated, rated_by=w.users[case.enterprise_id]
        )
        reviews.append(review)
        if level in services.RECTIFY_LEVELS:
            rectifications.append(
                Rectification(
                    review=review,
                    department_id=case.item.department_id,
                    due_on=w.days.after(rated, services.RECTIFICATION_WORKING_DAYS),
                    answer=answer or "",
                    answered_on=answered,
                    answered_by=case.staff if answered else None,
                )
            )
    Review.objects.bulk_create(reviews, batch_size=2000)
    Rectification.objects.bulk_create(rectifications)
    report.add("ratings", len(reviews))
