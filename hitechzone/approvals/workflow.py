"""The application workflow as one table: which action may be taken from which state, by whom, through which
service.

Rules as data (UK Data Hub's ``investment/project/validate.py``): :data:`ACTIONS` names each action with the
side that takes it (the window, the applicant side, or either) and its service; :data:`TRANSITIONS` lists the
states each action may be taken from, in the order the application's page offers the forms, and whose turn it
is there (:attr:`From.turn`). The services enforce it (:func:`allows`, with their own message), the pages offer
what it allows (:func:`offered`), the API lets through the roles it names (:attr:`Action.roles`) and the to-do
queue (待办) lists what waits for a side (:func:`waiting_for`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.db.models import Q

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role

from .access import is_applicant_side, is_window
from .models import Application

__all__ = ["ACTIONS", "TRANSITIONS", "Action", "From", "allows", "offered", "side_of", "waiting_for"]

S = Application.State

WINDOW = "window"  # admins and the staff of the item's department
APPLICANT = "applicant"  # the enterprise, or its approval agent (代办)

#: The roles each side is made of (the service then checks which user of the role: its department, its enterprise).
SIDE_ROLES = {WINDOW: (Role.ADMIN, Role.DEPARTMENT), APPLICANT: (Role.ENTERPRISE, Role.OFFICER)}


@dataclass(frozen=True)
class Action:
    """One action on an application: who takes it and the service that does it."""

    name: str
    sides: tuple[str, ...]
    service_name: str

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles that may ask for it at all (the API's ``write_roles``)."""
        return tuple(role for side in self.sides for role in SIDE_ROLES[side])

    @property
    def service(self):
        """The service function (``services.application_<name>``)."""
        return getattr(import_module("hitechzone.approvals.services"), self.service_name)

    def may(self, user, application: Application) -> bool:
        """Whether ``user`` is on a side that takes this action on ``application``."""
        return (WINDOW in self.sides and is_window(user, application)) or (
            APPLICANT in self.sides and is_applicant_side(user, application)
        )


@dataclass(frozen=True)
class From:
    """An action allowed from some states; ``accepted`` narrows them to applications accepted (True) or not yet
    accepted (False). ``turn``: the side the application waits for in these states (the one whose to-do queue
    lists it), or ``None`` when the action is an option there, not what the application waits for."""

    action: str
    states: tuple[str, ...]
    accepted: bool | None = None
    turn: str | None = None

    def matches(self, application: Application) -> bool:
        if application.state not in self.states:
            return False
        return self.accepted is None or (application.accepted_on is not None) == self.accepted

    def q(self) -> Q:
        """The applications this transition matches, as a filter."""
        where = Q(state__in=self.states)
        if self.accepted is not None:
            where &= Q(accepted_on__isnull=not self.accepted)
        if self.action == "rate":  # offered until it is rated (as :func:`offered` says)
            where &= Q(review__isnull=True)
        return where


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("check", (WINDOW,), "application_check"),
        Action("reject", (WINDOW,), "application_reject"),
        Action("supply", (WINDOW, APPLICANT), "application_supply"),
        Action("assign", (WINDOW,), "application_assign"),
        Action("pause", (WINDOW,), "application_pause"),
        Action("resume", (WINDOW,), "application_resume"),
        Action("complete", (WINDOW,), "application_complete"),
        Action("rate", (APPLICANT,), "application_rate"),
    )
}

OPEN_STATES = tuple(state for state in S.values if state not in Application.DONE_STATES)

TRANSITIONS: tuple[From, ...] = (
    From("check", (S.RECEIVED,), turn=WINDOW),
    From("reject", (S.RECEIVED,), turn=WINDOW),
    From("supply", (S.CORRECTING,), turn=APPLICANT),  # the one-time notice waits for its materials
    From("supply", tuple(s for s in OPEN_STATES if s != S.CORRECTING)),  # offered while materials are awaited
    From("reject", (S.CORRECTING,), accepted=False),  # the one-time notice before acceptance
    From("assign", Application.COUNTING_STATES, accepted=True, turn=WINDOW),
    From("pause", Application.COUNTING_STATES, turn=WINDOW),
    From("complete", Application.COUNTING_STATES, turn=WINDOW),
    From("resume", (S.SPECIAL,), turn=WINDOW),  # the special procedure is the window's to end
    From("assign", (S.SPECIAL, S.CORRECTING), accepted=True),
    From("rate", (S.COMPLETED,), turn=APPLICANT),  # offered until it is rated
)


def allows(action: str, application: Application) -> bool:
    """Whether the table allows ``action`` from the application's state."""
    return any(t.action == action and t.matches(application) for t in TRANSITIONS)


def side_of(user) -> str | None:
    """The side ``user``'s role is on (:data:`SIDE_ROLES`), or ``None``."""
    role = effective_role(user)
    return next((side for side, roles in SIDE_ROLES.items() if role in roles), None)


def waiting_for(side: str) -> Q:
    """The applications waiting for ``side`` to act (its to-do queue, 待办): those in a state whose transition
    says it is that side's turn. Combine with ``Application.objects.for_user(user)``: the scope says which of
    them are the user's (the window: its department's; the applicant side: its enterprises')."""
    where = Q(pk__in=[])
    for t in TRANSITIONS:
        if t.turn == side:
            where |= t.q()
    return where


def offered(user, application: Application, *, awaited: bool, rated: bool) -> list[str]:
    """The actions ``user`` may take on ``application`` now, in the page's order (each once).

    ``awaited``: materials are missing or promised (``supply`` has something to record); ``rated``: the
    application has its review (``rate`` is done)."""
    out: list[str] = []
    for t in TRANSITIONS:
        if t.action in out or not t.matches(application) or not ACTIONS[t.action].may(user, application):
            continue
        if (t.action == "supply" and not awaited) or (t.action == "rate" and rated):
            continue
        out.append(t.action)
    return out
