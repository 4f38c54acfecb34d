"""The demo zone's one-stop approval centre: the 169 delegated items and a year (2025) of applications.

The article: 24 municipal departments delegated 169 powers to the zone; what took a month or half a year
is now done in as little as 5 working days. So the demo has the catalogue (through ``services.item_create``,
a few items revised in mid-2025, one suspended), about 3,000 applications received in 2025 — spread by
department and month, fewer around the Spring Festival — mostly on time, some paused (补正 after acceptance,
expert review, testing …), some late, a few refused or not accepted (不予受理), parallel approvals
(并联审批) whose fastest projects took 5 working days, agent filings (代办) by the service officers, one-time
notices before acceptance, ratings (好差评) with their rectification tasks. A few 2025 applications are still
open and long overdue. The year under way is planned by the same code, as many applications a day, from a stream
of its own (2025 stays as the seed made it), from 1 January to today, thinner in the last weeks by as many as the
services play there; nothing in it happens after today, so what would end later is still open (received, being
corrected, processed or paused; a few of them overdue).

The year is planned in Python and written in bulk; its clock figures (due date, yellow date, paused and used
working days, on time, bundle totals) are computed with :class:`~hitechzone.common.deadlines.BulkClock`, the
engine that answers exactly as the services' scalar functions. The last weeks before today are played through
the real services (``on=`` dates), so the window has applications to check, the lights show green, yellow and
red today, and the personas have something to do: ``dept1`` (发改委) checks received applications,
``ent1`` rates a completed one and supplies a missing material, ``officer1``/``officer2`` follow their
agent filings.
"""

from __future__ import annotations

from .base import (
    ANSWERS,
    APPLICATIONS,
    APPROVED,
    BUNDLES,
    COMPLAINTS,
    DEPARTMENT_WEIGHTS,
    HINTS,
    LEVEL_WEIGHTS,
    LIMIT_CUTS,
    MONTH_WEIGHTS,
    OPEN_OVERDUE,
    OPEN_OVERDUE_UNDER_WAY,
    OPENED_ON,
    PAUSE_KINDS,
    PRAISE,
    PROJECT_ITEMS,
    PROJECTS,
    RECENT_WORKING_DAYS,
    REFUSE_REASONS,
    REFUSED,
    REJECT_REASONS,
    REVISED_ON,
    SHORTER_LIST,
    SPRING_FESTIVAL,
    SPRING_FESTIVALS,
    SUSPENDED,
    YEAR,
    Case,
    Days,
    K,
    M,
    NoticePlan,
    PausePlan,
    S,
    World,
)
from .catalogue import (
    FORM_LINES,
    _attachments,
    demo_workbook,
    load_catalogue,
)
from .load import (
    load_approvals,
)
from .recent import (
    Recent,
    load_recent,
)
from .writing import (
    write,
)
from .year import (
    _world,
    applications_until,
    compute_clock,
    plan_year,
)

__all__ = [
    "ANSWERS",
    "APPLICATIONS",
    "APPROVED",
    "BUNDLES",
    "COMPLAINTS",
    "DEPARTMENT_WEIGHTS",
    "FORM_LINES",
    "HINTS",
    "LEVEL_WEIGHTS",
    "LIMIT_CUTS",
    "MONTH_WEIGHTS",
    "OPENED_ON",
    "OPEN_OVERDUE",
    "OPEN_OVERDUE_UNDER_WAY",
    "PAUSE_KINDS",
    "PRAISE",
    "PROJECTS",
    "PROJECT_ITEMS",
    "RECENT_WORKING_DAYS",
    "REFUSED",
    "REFUSE_REASONS",
    "REJECT_REASONS",
    "REVISED_ON",
    "SHORTER_LIST",
    "SPRING_FESTIVAL",
    "SPRING_FESTIVALS",
    "SUSPENDED",
    "YEAR",
    "Case",
    "Days",
    "K",
    "M",
    "NoticePlan",
    "PausePlan",
    "Recent",
    "S",
    "World",
    "_attachments",
    "_world",
    "applications_until",
    "compute_clock",
    "demo_workbook",
    "load_approvals",
    "load_catalogue",
    "load_recent",
    "plan_year",
    "write",
]
