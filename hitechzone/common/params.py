"""The one parser of query parameters that name a year (and other small integers).

Pages ignore a bad value and fall back to their default; the API answers 400 naming the parameter. Years are
accepted from ``FIRST_YEAR`` to next year unless a caller says otherwise.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

FIRST_YEAR = 2000


def _last_year() -> int:
    return timezone.localdate().year + 1


def year_or(raw, default, *, first: int = FIRST_YEAR, last: int | None = None):
    """``raw`` as a year within ``first``…``last`` (default: next year), else ``default``."""
    last = _last_year() if last is None else last
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdecimal() and len(text) <= 4):
        return default
    year = int(text)
    return year if first <= year <= last else default


def year_from_query(request, default, *, name: str = "year", first: int = FIRST_YEAR, last: int | None = None):
    """A page's ``?year=``: a bad or missing value gives ``default``."""
    return year_or(request.GET.get(name), default, first=first, last=last)


def api_year(request, default, *, name: str = "year", first: int = FIRST_YEAR, last: int | None = None):
    """An API's ``?year=``: missing gives ``default``; a bad value is a 400 naming the parameter."""
    from rest_framework.exceptions import ValidationError

    params = getattr(request, "query_params", request.GET)
    raw = params.get(name)
    if raw is None or not raw.strip():
        return default
    year = year_or(raw, None, first=first, last=last)
    if year is None:
        last = _last_year() if last is None else last
        raise ValidationError(
            {name: [_("Give a year from %(first)s to %(last)s, e.g. 2025.") % {"first": first, "last": last}]}
        )
    return year
