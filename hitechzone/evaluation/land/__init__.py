"""Land exit (腾笼换鸟): the inefficient enterprises, and the exit cases that free their land.

Reads: :func:`inefficient` lists the candidates of a year — class D in the year's published evaluation, or
idle industrial land (held by an enterprise that is suspended or has exited, or that reported no revenue for
the year) — and :func:`totals` sums the cases per year and status. Both are scoped like the cases: admin and
leaders all; an officer the enterprises they serve; an enterprise its own; department staff and experts nothing.

Writes: every function is keyword-only, runs in one transaction and is audited (the case's saves, its parcels,
and each parcel whose land user changes). A step the rules do not allow raises :class:`Refused` with a message
for the user, and writes nothing. Administrators and leaders open and move cases; administrators set the
yearly reward policy.

A case moves through :data:`FLOW` one step at a time (识别 → 洽谈 → 签约 → 交地 → 再利用 → 结案), each step
dated no earlier than the dated steps before it and never in the future (the start of negotiations has no date
field of its own: it is written into the notes). Handing the land back frees the parcels given up
(their land user is cleared) and, in a swap (协商置换), gives the enterprise the parcels it receives; re-use may
name the new user of the freed parcels. Land freed: the parcels' area, less the parcels received in a swap
(never below 0). Reward: rate × land freed (per mu), or rate × compensation (a share), recomputed whenever one
of them changes.
"""

from __future__ import annotations

from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch land.Refused

from .reads import (
    Candidate,
    candidates_year,
    cases,
    inefficient,
    last_date,
    latest_year,
    next_status,
    published_runs,
    totals,
)
from .rules import (
    CANCELLABLE,
    FLOW,
    FREED,
    MANAGERS,
    MONEY_LIMIT,
    MONEY_PLACES,
    MU_PLACES,
    OPEN_STATUSES,
    RATE_LIMIT,
    READERS,
    STEP_DATE,
    STEP_FIELDS,
    UNSET,
    Reason,
    S,
    can_manage,
    can_set_policy,
    land_freed,
    reward,
)
from .writes import case_advance, case_cancel, case_open, case_update, policy_delete, policy_set

__all__ = [
    "CANCELLABLE",
    "FLOW",
    "FREED",
    "MANAGERS",
    "MONEY_LIMIT",
    "MONEY_PLACES",
    "MU_PLACES",
    "OPEN_STATUSES",
    "RATE_LIMIT",
    "READERS",
    "STEP_DATE",
    "STEP_FIELDS",
    "UNSET",
    "Candidate",
    "Reason",
    "S",
    "can_manage",
    "can_set_policy",
    "candidates_year",
    "case_advance",
    "case_cancel",
    "case_open",
    "case_update",
    "cases",
    "inefficient",
    "land_freed",
    "last_date",
    "latest_year",
    "next_status",
    "policy_delete",
    "policy_set",
    "published_runs",
    "reward",
    "totals",
]
