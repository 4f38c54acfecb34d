"""View helpers shared by every module's pages."""

from django.core.paginator import Paginator
from django.http import QueryDict

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of a queryset plus the query string without ``page`` (for the pager links)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
