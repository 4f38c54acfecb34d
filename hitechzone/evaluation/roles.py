"""Who may do what in M4, in one place: the role sets every page, API endpoint and service of the module uses.

Compared with :func:`hitechzone.accounts.roles.effective_role` (``""`` for nobody).
"""

from __future__ import annotations

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role as effective_role  # re-exported: the one role helper

ADMIN, LEADER, OFFICER, ENTERPRISE = Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ENTERPRISE

#: Everybody with pages in M4 (department staff and experts have none).
M4_ROLES = frozenset({ADMIN, LEADER, OFFICER, ENTERPRISE})
#: The evaluation's overview, its runs, exemptions and vetoes.
ZONE_ROLES = frozenset({ADMIN, LEADER, OFFICER})
#: Who publishes a run (and reads every result of the zone).
PUBLISH_ROLES = frozenset({ADMIN, LEADER})
#: Who edits schemes, exemptions and vetoes, runs evaluations, sets the energy settings and the price tiers.
EDITORS = frozenset({ADMIN})
#: The whole energy ranking and the whole surcharge list (others: their enterprises' rows).
WHOLE_ZONE_ROLES = frozenset({ADMIN, LEADER})
#: Officers and enterprises: the rows of the enterprises they serve / their own.
OWN_ROLES = frozenset({OFFICER, ENTERPRISE})
#: Land exit: who opens and moves cases (and reads every case), who reads cases at all.
EXIT_MANAGERS = frozenset({ADMIN, LEADER})
EXIT_READERS = frozenset({ADMIN, LEADER, OFFICER, ENTERPRISE})
#: Land exit: who reads the reward policy (administrators edit it).
POLICY_ROLES = frozenset({ADMIN, LEADER})


def role(user) -> str:
    """The role ``user`` acts in (``""`` for nobody)."""
    return effective_role(user)
