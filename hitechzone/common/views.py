"""View helpers shared by every module's pages."""

from django.core.paginator import Paginator
from django.http import Http404, QueryDict

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of a queryset plus the query string without ``page`` (for the pager links)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def deny_unless(user, roles) -> None:
    """A page that is not for the user's role does not exist for them (404, deny by default)."""
    if user.effective_role not in roles:
        raise Http404


def int_param(request, name: str) -> int | None:
    """A positive integer query parameter (an id, a year), or None for anything else."""
    value = request.GET.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 10 else None
