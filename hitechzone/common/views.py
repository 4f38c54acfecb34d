"""View helpers shared by every module's pages."""

from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from hitechzone.accounts.roles import effective_role

from .paging import DeferredJoinPaginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of a queryset plus the query string without ``page`` (for the pager links)."""
    page = DeferredJoinPaginator(queryset, per_page).get_page(request.GET.get("page"))
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def deny_unless(user, roles) -> None:
    """A page that is not for the user's role is refused (403, deny by default): the page says so inside the site's
    frame (common/error_views.py). An object outside the user's scope stays 404 (docs/0001)."""
    if user.effective_role not in roles:
        raise PermissionDenied


def int_param(request, name: str) -> int | None:
    """A positive integer query parameter (an id, a year), or None for anything else."""
    value = request.GET.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 10 else None


def url_or_none(name: str) -> str | None:
    """The URL of a named route, or None while that page does not exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def module_nav(request, entries, *, home: str) -> list[dict]:
    """A module's own menu, the one builder every module uses: of ``entries`` (key, label, url name, roles, icon),
    those the user's role may open and whose page exists, as ``{"key", "label", "url", "icon", "active"}``. One
    entry is active: the page itself, else the deepest entry the page lies under (never the home for a subpage)."""
    role = effective_role(request.user)
    home_url = url_or_none(home)
    items = []
    for key, label, url_name, roles, icon in entries:
        url = url_or_none(url_name) if role in roles else None
        if url:
            items.append({"key": key, "label": label, "url": url, "icon": icon, "active": False})
    path = request.path
    exact = [item for item in items if item["url"] == path]
    under = [item for item in items if item["url"] != home_url and path.startswith(item["url"])]
    chosen = exact or sorted(under, key=lambda item: len(item["url"]), reverse=True)[:1]
    for item in chosen[:1]:
        item["active"] = True
    return items


FAVICON = Path(__file__).resolve().parent / "static" / "common" / "favicon.ico"


@cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    """/favicon.ico, which every browser asks for whatever the page's <link rel=icon>: served to anyone."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
