"""The entry point: the demo approval centre, catalogue, year and last weeks."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Application,
)
from hitechzone.demo.trail import unrecorded

from .base import APPLICATIONS, YEAR
from .catalogue import load_catalogue
from .recent import load_recent
from .writing import write
from .year import _world, plan_year

# --- Entry point ---------------------------------------------------------------------------------------------


@unrecorded
def load_approvals(rng: random.Random, report, *, applications: int = APPLICATIONS, today: date | None = None) -> None:
    """The catalogue, the year ``YEAR`` of applications and the last weeks; idempotent (a second run adds nothing)."""
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
    load_recent(w, report)
    services.report_overdue(today=today)
    services.warn_yellow(today=today)
