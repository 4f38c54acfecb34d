"""The approval centre's pages (M2, 一站式行政服务中心): dashboard, catalogue, applications and their window,
parallel approvals, the leaders' overdue list, rectification tasks.

Every page starts from the scoped managers (``for_user``) or ``queries.py``; a role that has no business on a
page gets a 404 (deny by default; experts have none here). Every write goes through ``services.py``: a
``Refused`` is shown to the user and nothing is written. Writes answer with a redirect (POST-redirect-GET).
"""

from __future__ import annotations

from .applications import (
    ACTIONS,
    application_act,
    application_detail,
    application_list,
    application_new,
    filing_materials,
    notice_print,
)
from .base import (
    FILE_ROLES,
    LIGHTS,
    OVERDUE_ROLES,
    PAGE_ROLES,
    RECTIFICATION_ROLES,
    M,
    S,
    light_labels,
    mode_short_labels,
    step_labels,
    working_days_after,
)
from .bundles import (
    bundle_detail,
    bundle_list,
    bundle_new,
)
from .catalogue import (
    item_detail,
    item_edit,
    item_list,
    item_new,
    item_status,
    material_file,
    material_files,
    version_changes,
)
from .dashboard import (
    home,
)
from .overdue import (
    overdue,
    rectification_answer,
    rectification_list,
)

__all__ = [
    "ACTIONS",
    "FILE_ROLES",
    "LIGHTS",
    "OVERDUE_ROLES",
    "PAGE_ROLES",
    "RECTIFICATION_ROLES",
    "M",
    "S",
    "application_act",
    "application_detail",
    "application_list",
    "application_new",
    "bundle_detail",
    "bundle_list",
    "bundle_new",
    "filing_materials",
    "home",
    "item_detail",
    "item_edit",
    "item_list",
    "item_new",
    "item_status",
    "light_labels",
    "material_file",
    "material_files",
    "mode_short_labels",
    "notice_print",
    "overdue",
    "rectification_answer",
    "rectification_list",
    "step_labels",
    "version_changes",
    "working_days_after",
]
