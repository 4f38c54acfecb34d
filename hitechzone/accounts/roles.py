"""The one role helper: which role a user acts in, and the sets of roles the framework itself needs.

Each app keeps its own role sets (who may write what) in one place of its own; they are built from
``Role`` and compared with :func:`effective_role`.
"""

from __future__ import annotations

from .models import Role


def signed_in(user) -> bool:
    """A real, active, signed-in user: anybody else sees nothing, whatever the model."""
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def effective_role(user) -> str:
    """The role scoping and permissions use: ``""`` for nobody (None, anonymous, inactive), ``"admin"`` for a
    superuser, else the user's role."""
    if not signed_in(user):
        return ""
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def has_role(user, roles) -> bool:
    """``effective_role(user) in roles`` (never true for nobody)."""
    role = effective_role(user)
    return bool(role) and role in roles


#: Roles that read every row of every module (what the cockpit and the audit pages are for).
SEES_EVERYTHING = frozenset({Role.ADMIN, Role.LEADER})
