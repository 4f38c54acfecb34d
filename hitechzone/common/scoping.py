"""Role scoping, deny by default (NetBox's ``RestrictedQuerySet.restrict()``).

Every domain model's manager is built from :class:`ScopedQuerySet`. A subclass says, per role,
which rows a user of that role may see by defining ``scope_<role>(self, user)``; a role without
such a method sees nothing. Views, viewsets and exports start from ``Model.objects.for_user(user)``
and never from ``.objects.all()``.
"""

from __future__ import annotations

from django.db import models

from hitechzone.accounts.roles import effective_role, signed_in

__all__ = ["ReferenceQuerySet", "ScopedQuerySet", "effective_role", "signed_in"]


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> ScopedQuerySet:
        role = effective_role(user)
        if not role:
            return self.none()
        scope = getattr(self, f"scope_{role}", None)
        if scope is None:
            return self.none()
        return scope(user)

    # Helpers for the common cases.
    def everything(self, user) -> ScopedQuerySet:
        return self.all()


class ReferenceQuerySet(ScopedQuerySet):
    """Reference data (brands, departments, industry codes …): every signed-in role may read it."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_officer = scope_expert = scope_enterprise = scope_admin
