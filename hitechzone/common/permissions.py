"""API permissions: signed in to read what the scoped queryset shows; writes only for the roles a view names."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from hitechzone.accounts.models import Role


class RolePermission(BasePermission):
    """Deny by default.

    Reads need a signed-in, active user; which rows they see is the queryset's ``for_user``.
    Writes need one of the view's ``write_roles`` (administrators only unless a view says more).
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in SAFE_METHODS:
            return True
        write_roles = getattr(view, "write_roles", (Role.ADMIN,))
        return user.effective_role in write_roles
