"""API permissions: signed in to read what the scoped queryset shows; writes only for the roles a view names."""

from functools import cache

from django.urls import URLResolver, get_resolver
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


@cache
def api_roles() -> frozenset[str]:
    """The roles whose work the API carries: those some API view lets write (a view's ``write_roles``, an
    action's own), leaving out what every role may write (marking its own notifications read). Read from the URL
    resolver once, so it follows the permissions as they change; the user menu offers the API's page to these."""
    from rest_framework.views import APIView  # not at the top: DRF's settings import this module

    found: set[str] = set()
    everyone = frozenset(Role.values)
    for callback in _api_views(get_resolver().url_patterns):
        cls = getattr(callback, "cls", None)
        if cls is None or not issubclass(cls, APIView):
            continue
        roles = (getattr(callback, "initkwargs", None) or {}).get("write_roles") or getattr(
            cls, "write_roles", (Role.ADMIN,)
        )
        if frozenset(roles) != everyone:
            found.update(roles)
    return frozenset(found)


def _api_views(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _api_views(p.url_patterns)
        else:
            yield p.callback
