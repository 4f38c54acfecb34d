"""Who may do what in M6, in one place (docs/0012-talent-office.md).

The talent office is not a role of its own: it is the staff (role ``dept``) of the departments listed in
:class:`~hitechzone.talent.models.TalentOffice`. Every page, API endpoint and service of the module asks these
helpers, compared with :func:`hitechzone.accounts.roles.effective_role`.
"""

from __future__ import annotations

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role

ADMIN, LEADER, DEPT, OFFICER, ENTERPRISE = Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE

#: Who has the module in the main menu (what each sees inside is scoped; an expert the team applications of the
#: panels he sits on, docs/0013).
MENU_ROLES = frozenset({ADMIN, LEADER, DEPT, OFFICER, ENTERPRISE, Role.EXPERT})
#: Who reads the zone's public records (platforms, incubators, partners).
PUBLIC_READERS = frozenset({ADMIN, LEADER, DEPT, OFFICER})


def is_talent_office(user) -> bool:
    """Department staff of a department that is the talent office (one query)."""
    if effective_role(user) != DEPT or not user.department_id:
        return False
    from .models import TalentOffice

    return TalentOffice.objects.filter(department_id=user.department_id).exists()


def is_staff(user) -> bool:
    """The module's own staff: administrators, leaders and the talent office (they see every M6 record)."""
    role = effective_role(user)
    return role in (ADMIN, LEADER) or is_talent_office(user)


def may_write(user) -> bool:
    """Who records platforms, incubators, partners, talents, funds and checks team applications."""
    role = effective_role(user)
    return role == ADMIN or is_talent_office(user)


def may_reveal(user) -> bool:
    """The reveal right for ID numbers (and unmasked exports): the talent office only."""
    return is_talent_office(user)


def may_approve_grants(user) -> bool:
    """A grant is approved by a leader."""
    return effective_role(user) == LEADER


def may_decide(user) -> bool:
    """Who records a team application's review outcome and decision: leaders and the talent office (once a panel is
    drawn, after every sitting member has scored: ``review.decision_blocker``, docs/0013)."""
    return effective_role(user) == LEADER or is_talent_office(user)
