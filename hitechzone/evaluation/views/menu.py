"""The module's menu, shared by every M4 page: render a page with :func:`render_page`."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from hitechzone.common.views import module_nav
from hitechzone.evaluation.roles import ENTERPRISE, M4_ROLES, OFFICER, ZONE_ROLES

# --- The module's menu (shared with the energy, prices and land pages) --------------------------------------------

# (key, label, url name, roles, icon). An entry whose url does not exist yet (a page still being built) is left out.
NAV = (
    ("home", gettext_lazy("Overview"), "evaluation:home", ZONE_ROLES, "bi-speedometer2"),
    ("runs", gettext_lazy("Runs"), "evaluation:runs", ZONE_ROLES, "bi-list-ol"),
    ("mine", gettext_lazy("My results"), "evaluation:mine", frozenset({OFFICER, ENTERPRISE}), "bi-person-badge"),
    ("schemes", gettext_lazy("Schemes"), "evaluation:schemes", M4_ROLES, "bi-sliders"),
    ("exemptions", gettext_lazy("Exemptions"), "evaluation:exemptions", ZONE_ROLES, "bi-shield-check"),
    ("vetoes", gettext_lazy("Vetoes"), "evaluation:vetoes", ZONE_ROLES, "bi-slash-circle"),
    ("energy", gettext_lazy("Energy ranking"), "evaluation:energy", M4_ROLES, "bi-lightning-charge"),
    ("prices", gettext_lazy("Differentiated prices"), "evaluation:prices", M4_ROLES, "bi-cash-coin"),
    ("exits", gettext_lazy("Land exit"), "evaluation:exits", M4_ROLES, "bi-arrow-left-right"),
)


def nav(request) -> list[dict]:
    """The menu entries of M4 this user may open: ``{"key", "label", "url", "icon", "active"}``."""
    return module_nav(request, NAV, home="evaluation:home")


def render_page(request, template: str, context: dict, status: int = 200):
    """Render an M4 page with the module's menu (``evaluation/_nav.html`` reads ``evaluation_nav``)."""
    return render(request, template, {"evaluation_nav": nav(request), **context}, status=status)
