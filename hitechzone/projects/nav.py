"""The module's menu and the one render every M3 page goes through (views, views_panels, views_pipeline and
views_links all import it; none imports another for it)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from hitechzone.common.views import module_nav

from .roles import LAND_ROLES, PAGE_ROLES, POOL_READERS, REVIEWERS, WRITERS

NAV = (
    ("list", gettext_lazy("Projects"), "projects:list", PAGE_ROLES, "bi-briefcase"),
    ("board", gettext_lazy("Pipeline board"), "projects:board", PAGE_ROLES, "bi-kanban"),
    ("new", gettext_lazy("New project"), "projects:new", WRITERS, "bi-plus-circle"),
    ("reviews", gettext_lazy("My reviews"), "projects:reviews", REVIEWERS, "bi-clipboard-check"),
    ("experts", gettext_lazy("Experts"), "projects:experts", POOL_READERS, "bi-person-badge"),
    ("land", gettext_lazy("Available land"), "projects:land", LAND_ROLES, "bi-geo-alt"),
)


def render_page(request, template: str, context: dict):
    """``template`` with the module's menu."""
    return render(request, template, {"projects_nav": module_nav(request, NAV, home="projects:list"), **context})
