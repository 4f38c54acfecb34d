"""The one role helper: which role a user acts in, and the sets of roles the framework itself needs.

Each app keeps its own role sets (who may write what) in one place of its own; they are built from
``Role`` and compared with :func:`effective_role`.
"""

from __future__ import annotations


def signed_in(user) -> bool:
    """A real, active, signed-in user: anybody else sees nothing, whatever the model."""
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def effective_role(user) -> str:
    """The role scoping and permissions use: ``""`` for nobody (None, anonymous, inactive), else
    ``User.effective_role`` (a superuser acts as ``"admin"``)."""
    return user.effective_role if signed_in(user) else ""
