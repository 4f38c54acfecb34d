"""The navigation: one entry per module that is built; a module that is not built is not listed."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from hitechzone.accounts.models import Role

ALL = frozenset(Role.values)

# (module, label, url name, roles that see the entry). A module appears once its url exists.
MODULES = (
    ("M0", _("Enterprises"), "enterprises:list", ALL - {Role.EXPERT}),
    ("M0", _("Parcels"), "zone:parcels", ALL - {Role.EXPERT}),
    ("M0", _("Departments"), "zone:departments", ALL),
    ("M0", _("Audit trail"), "audit:list", {Role.ADMIN, Role.LEADER}),
    ("M0", _("Imports"), "imports:list", frozenset({Role.ADMIN})),
    ("M1", _("Service officers"), "liaison:home", ALL - {Role.EXPERT}),
    ("M2", _("Approval centre"), "approvals:home", ALL - {Role.EXPERT}),
    ("M3", _("Projects"), "projects:home", ALL),
    ("M4", _("Efficiency evaluation"), "evaluation:home", ALL - {Role.DEPARTMENT, Role.EXPERT}),
    ("M5", _("Circular economy"), "circular:home", ALL - {Role.EXPERT}),
    ("M6", _("Innovation and talent"), "talent:home", ALL),
    ("M7", _("Cockpit"), "cockpit:home", ALL),
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    role = user.effective_role
    items = []
    for module, label, url_name, roles in MODULES:
        url = _url(url_name)
        if url and role in roles:
            items.append({"module": module, "label": label, "url": url, "active": request.path.startswith(url)})
    return {"nav_items": items, "user_role_label": Role(role).label}
