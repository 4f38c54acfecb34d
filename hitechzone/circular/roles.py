"""Who may do what in M5, in one place: the role sets every page, API endpoint and service of the module uses.

Compared with :func:`hitechzone.accounts.roles.effective_role` (``""`` for nobody).
"""

from __future__ import annotations

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role as effective_role  # re-exported: the one role helper

ADMIN, LEADER, DEPT, OFFICER, ENTERPRISE = Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE

#: Everybody with pages in M5 (experts have nothing in M5).
M5_ROLES = frozenset({ADMIN, LEADER, DEPT, OFFICER, ENTERPRISE})
#: The zone's view: every enterprise (and the park-level indicators).
STAFF_ROLES = frozenset({ADMIN, LEADER, DEPT})
#: Who runs the exchange optimiser (officers for what-if planning; they see their own runs).
OPTIMISE_ROLES = frozenset({ADMIN, LEADER, DEPT, OFFICER})
#: Who writes every M5 record (materials, every enterprise's flows and data, exchanges, projects).
WRITERS = frozenset({ADMIN, DEPT})
#: Who writes flows and yearly resource data through the API (officers and enterprises: their own enterprises').
DATA_WRITERS = frozenset({ADMIN, DEPT, OFFICER, ENTERPRISE})
#: Who may enter an exchange as its supplier's side (their own / served enterprise's).
SUPPLIER_ROLES = frozenset({ENTERPRISE, OFFICER})
#: Who reads the park-level indicators.
INDICATOR_READERS = STAFF_ROLES


def role(user) -> str:
    """The role ``user`` acts in (``""`` for nobody)."""
    return effective_role(user)
