"""The evaluation pages (M4, 亩产论英雄): overview and runs, a run's results, the explanation of one result,
schemes, exemptions and vetoes (one module each). The energy ranking and prices (``energy``) and land exit
(``land``) share the module's menu (``menu``): render their pages with :func:`render_page` (or put
``nav(request)`` in the context as ``evaluation_nav``) and include ``evaluation/_nav.html``.

Every page starts from the scoped managers (``for_user``) or ``queries.py``; a role with no business on a page
gets a 404 (deny by default; department staff and experts have none in M4). Every write goes through
``services.py``: a ``Refused`` is shown to the user and nothing is written. Writes answer with a redirect.
"""

from __future__ import annotations

from django.urls import path

from .exemptions import EXEMPTIONS, VETOES, enterprise_options, exemption_list, exemption_remove, veto_list, veto_remove
from .helpers import CLASS_COLOURS, CLASSES, EXPORT_COLUMNS, JOB_KIND, fmt, group_labels, group_short_labels
from .menu import NAV, nav, render_page
from .results import mine, radar_chart, result_detail
from .runs import distribution_chart, home, job_status, run_detail, run_list, run_new, run_publish
from .schemes import (
    QUANTITY_LABELS,
    quantity_label,
    scheme_detail,
    scheme_list,
    scheme_new,
    scheme_revise,
    scheme_rules,
)

__all__ = [
    "CLASSES",
    "CLASS_COLOURS",
    "EXEMPTIONS",
    "EXPORT_COLUMNS",
    "JOB_KIND",
    "NAV",
    "QUANTITY_LABELS",
    "VETOES",
    "distribution_chart",
    "enterprise_options",
    "exemption_list",
    "exemption_remove",
    "fmt",
    "group_labels",
    "group_short_labels",
    "home",
    "job_status",
    "mine",
    "nav",
    "quantity_label",
    "radar_chart",
    "render_page",
    "result_detail",
    "run_detail",
    "run_list",
    "run_new",
    "run_publish",
    "scheme_detail",
    "scheme_list",
    "scheme_new",
    "scheme_revise",
    "scheme_rules",
    "veto_list",
    "veto_remove",
]


urlpatterns = [
    path("", home, name="home"),
    path("runs/", run_list, name="runs"),
    path("runs/new/", run_new, name="run-new"),
    path("runs/<int:pk>/", run_detail, name="run"),
    path("runs/<int:pk>/publish/", run_publish, name="run-publish"),
    path("jobs/<int:pk>/", job_status, name="job"),
    path("results/<int:pk>/", result_detail, name="result"),
    path("mine/", mine, name="mine"),
    path("schemes/", scheme_list, name="schemes"),
    path("schemes/new/", scheme_new, name="scheme-new"),
    path("schemes/<int:pk>/", scheme_detail, name="scheme"),
    path("schemes/<int:pk>/revise/", scheme_revise, name="scheme-revise"),
    path("exemptions/", exemption_list, name="exemptions"),
    path("exemptions/<int:pk>/remove/", exemption_remove, name="exemption-remove"),
    path("vetoes/", veto_list, name="vetoes"),
    path("vetoes/<int:pk>/remove/", veto_remove, name="veto-remove"),
    path("enterprises/", enterprise_options, name="enterprise-options"),
]
