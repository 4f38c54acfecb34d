"""The entry point: the demo approval centre, catalogue, year and last weeks."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Application,
)
from hitechzone.demo.trail import unrecorded

from .base import APPLICATIONS, OPEN_OVERDUE_UNDER_WAY, RECENT_WORKING_DAYS, YEAR
from .catalogue import load_catalogue
from .recent import PLAYED, load_recent
from .writing import write
from .year import _world, applications_until, plan_year, room_for

# --- Entry point ---------------------------------------------------------------------------------------------


@unrecorded
def load_approvals(
    rng: random.Random,
    report,
    *,
    applications: int = APPLICATIONS,
    today: date | None = None,
    current: random.Random | None = None,
) -> None:
    """The catalogue, the year ``YEAR`` of applications, the year under way up to the last weeks, and the last
    weeks; idempotent (a second run adds nothing).

    The year under way is planned like ``YEAR``, as many applications a day, from ``current`` (a stream of its
    own: ``YEAR`` and its figures stay as ``rng`` made them), from 1 January up to the last weeks, which the
    services play; what would happen after today has not happened yet."""
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    load_catalogue(report, by=admin)
    if Application.objects.filter(received_on__year=YEAR).exists():
        return  # loaded already
    today = today or timezone.localdate()
    w = _world(rng, today)
    if w is None:
        return
    cases, bundles = plan_year(w, applications)
    write(w, cases, bundles, report)
    # The year under way, up to today (the certificates' serials go on from one counter), leaving room in the last
    # weeks for the applications the services play there.
    last = w.days.on_or_before(today)
    # What depends on today draws from the year under way's stream, never from ``rng``: the modules loaded after this
    # one draw their reference year from it.
    under_way = replace(w, rng=current or random.Random(f"apps-{today.year}"))
    if today.year > YEAR and last.year == today.year:
        count = applications_until(w, last) * applications // APPLICATIONS
        count, thin = room_for(w, last, count, w.days.before(last, RECENT_WORKING_DAYS), PLAYED)
        cases, bundles = plan_year(
            under_way, count, year=today.year, last=last, open_overdue=OPEN_OVERDUE_UNDER_WAY, thin=thin
        )
        write(under_way, cases, bundles, report)
    load_recent(under_way, report)
    services.report_overdue(today=today)
    services.warn_yellow(today=today)
