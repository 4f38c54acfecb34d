"""The error pages (403, 404, 500), wired as ``handler403/404/500`` in ``hitechzone/urls.py``.

403 and 404 render inside the site's frame (base.html: the menu when signed in, the way home). Which one a user
meets is decided where the rule lives: a page that is not for the user's role answers 403 (``deny_unless``), an
object outside the user's scope 404 (docs/0001: another's row is never admitted to exist).

The 500 page tries the frame too; when that fails as well (the database is down, a context processor raises), it
falls back to a page rendered without the request's context: no menu, no database, still Chinese first.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def _page(request, status: int, title: str, message: str):
    return render(request, "common/error.html", {"status": status, "title": title, "message": message}, status=status)


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("You may not open this page"),
        _("This page is not for your role. Use the menu to go to the pages you work with."),
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Page not found"),
        _("The page does not exist, or what it shows is not in your view of the zone."),
    )


def server_error(request):
    title, message = _("Something went wrong"), _("The error has been recorded. Please try again in a moment.")
    try:
        return _page(request, 500, title, message)
    except Exception:  # the frame itself failed (database, context processors): the page that needs nothing
        log.exception("the framed 500 page failed; answering the minimal one")
        try:
            content = loader.get_template("common/error_minimal.html").render({"title": title, "message": message})
        except Exception:  # even the static files' manifest is missing: the words alone, in the site's language
            log.exception("the minimal 500 page failed; answering its words alone")
            content = (
                f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title><h1>{escape(title)}</h1>"
                f'<p>{escape(message)}</p><p><a href="/">{escape(_("Back to the home page"))}</a></p>'
            )
        return HttpResponseServerError(content)
