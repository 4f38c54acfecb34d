"""Writes of M2 (the one-stop approval centre). Every rule lives here once.

Each function is keyword-only and runs in one transaction; each transition of an application records a
:class:`~hitechzone.approvals.models.Step` (who, when, from which state to which) — the audit trail records
the field changes. An action the rules do not allow raises :class:`Refused` with a message for the user, and
writes nothing.

Dates: ``on`` is the day the action happened (default today); history imports and the demo pass real dates.
It may not lie in the future, nor before the application's previous step.
"""

from __future__ import annotations

from hitechzone.approvals.access import can_edit_catalogue, is_applicant_side, is_window, serves
from hitechzone.common.rules import Refused

from .applications import (
    application_assign,
    application_check,
    application_complete,
    application_file,
    application_number,
    application_pause,
    application_reject,
    application_resume,
    application_supply,
    bundle_create,
    bundle_refresh,
)
from .base import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    MATERIAL_FIELDS,
    ONE_DAY,
    RECTIFICATION_WORKING_DAYS,
    RECTIFY_LEVELS,
    VERSION_FIELDS,
    M,
    S,
    application_url,
    recompute_clock,
)
from .catalogue import (
    item_create,
    item_revise,
    item_set_status,
    material_attach,
    version_snapshot,
)
from .reviews import (
    application_rate,
    rectification_answer,
    report_overdue,
    warn_yellow,
)

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_MAX_BYTES",
    "MATERIAL_FIELDS",
    "ONE_DAY",
    "RECTIFICATION_WORKING_DAYS",
    "RECTIFY_LEVELS",
    "VERSION_FIELDS",
    "M",
    "Refused",
    "S",
    "application_assign",
    "application_check",
    "application_complete",
    "application_file",
    "application_number",
    "application_pause",
    "application_rate",
    "application_reject",
    "application_resume",
    "application_supply",
    "application_url",
    "bundle_create",
    "bundle_refresh",
    "can_edit_catalogue",
    "is_applicant_side",
    "is_window",
    "item_create",
    "item_revise",
    "item_set_status",
    "material_attach",
    "recompute_clock",
    "rectification_answer",
    "report_overdue",
    "serves",
    "version_snapshot",
    "warn_yellow",
]
