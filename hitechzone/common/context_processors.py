"""The navigation: one entry per module, registered by the module itself (``register_menu`` from its
``AppConfig.ready()``); an entry whose page does not exist is not listed, nor one the user's role may not open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.permissions import api_roles

#: Every role (for entries that everybody signed in may open).
ALL = frozenset(Role.values)


@dataclass(frozen=True)
class MenuEntry:
    module: str  # "M0" … "M7", shown as a badge
    label: str
    url_name: str
    roles: frozenset[str]
    order: int


_MENU: dict[str, MenuEntry] = {}


def register_menu(module: str, label, url_name: str, roles, *, order: int) -> None:
    """Put a page in the main menu for ``roles`` (a module's home, usually). ``order`` places it (lower first)."""
    _MENU[url_name] = MenuEntry(module=module, label=label, url_name=url_name, roles=frozenset(roles), order=order)


def menu_entries() -> list[MenuEntry]:
    return sorted(_MENU.values(), key=lambda entry: (entry.order, entry.url_name))


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    role = effective_role(user)
    if not role:
        return {"nav_items": []}
    items = []
    for entry in menu_entries():
        url = _url(entry.url_name) if role in entry.roles else None
        if url:
            items.append(
                {"module": entry.module, "label": entry.label, "url": url, "active": request.path.startswith(url)}
            )
    # The API's page is no module: it sits in the user menu, for the roles whose work the API carries.
    api_docs_url = _url("api-docs") if role in api_roles() else None
    return {"nav_items": items, "user_role_label": Role(role).label, "api_docs_url": api_docs_url}
