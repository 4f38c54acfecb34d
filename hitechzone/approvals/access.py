"""Who may act on what in M2: the window (a department's staff), the applicant side (the enterprise, or its
approval agent) and the catalogue's editors. The workflow table (:mod:`.workflow`) and the services ask here."""

from __future__ import annotations

from datetime import date

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.enterprises.models import officer_serves

from .models import Application

__all__ = ["can_edit_catalogue", "is_applicant_side", "is_window", "serves"]


def can_edit_catalogue(user, department_id: int | None = None) -> bool:
    """Admins edit the whole catalogue; department staff edit their own department's items."""
    role = effective_role(user)
    return role == Role.ADMIN or (
        role == Role.DEPARTMENT and user.department_id is not None and user.department_id == department_id
    )


def is_window(user, application: Application) -> bool:
    """Window and processing staff of an application: admins and the staff of the item's department."""
    role = effective_role(user)
    return role == Role.ADMIN or (role == Role.DEPARTMENT and user.department_id == application.department_id)


def serves(officer, enterprise_id: int, on: date | None = None) -> bool:
    """Whether the officer serves the enterprise now (:func:`~hitechzone.enterprises.models.officer_serves`), or
    on the day ``on`` (an application filed for an earlier day: history, the demo)."""
    return officer_serves(officer, enterprise_id, on=on)


def is_applicant_side(user, application: Application) -> bool:
    """The enterprise itself, or its approval agent (the officer who filed it, or who serves it now)."""
    role = effective_role(user)
    if role == Role.ENTERPRISE:
        return user.enterprise_id == application.enterprise_id
    if role == Role.OFFICER:
        return application.agent_id == user.pk or serves(user, application.enterprise_id)
    return False
