"""Workbook kinds of the approval centre: ``approval-items`` (the catalogue) and ``approval-history`` (办件历史).

Both follow the intake framework (``hitechzone.common.intake``): every row is checked first, every bad row is
reported with its cell, and the rows are written all together in one transaction or not at all. Only
administrators import (the import pages and the API are theirs; a write by anyone else is refused).

The catalogue, one row per item
    事项编码 (key), 实施部门 (code, name or short name), 事项名称, 下放方式 (委托授权 / 管辖授权 / 见章跟章 /
    委托办理, or ``entrusted`` / ``jurisdiction`` / ``seal_follow`` / ``agency``), 设定依据, 办件类型 (即办件 /
    承诺件, or ``immediate`` / ``commitment``), 法定时限 and 承诺时限 (working days), 收费标准, 改革前办理时长
    (working days), 黄灯阈值 (working days, blank → 1), 状态 (正常 / 暂停 / 取消, or ``active`` /
    ``suspended`` / ``cancelled``), 申请材料.

    A new code creates the item (``services.item_create``); a known code whose fields, materials or department
    differ gets a new version (``services.item_revise``, note "Imported"); an identical row changes nothing.
    Text compares as the intake reads it (full-width and half-width forms, runs of spaces), so that an export
    imports back without a single change. The status column is applied with ``services.item_set_status``
    (reason "Imported"). A blank status or materials cell, or a column the workbook leaves out, keeps what is
    stored (a new item: active, no materials).

Materials, all in one cell (:func:`parse_materials`)
    Entries are separated by line breaks or semicolons (``；`` or ``;``). An entry is the material's name
    followed by marks, each after a ``|`` (or ``｜``), in any order::

        项目备案申请表|必需|原件；营业执照|必需|复印件；环评批复|必需|容缺|原件

    Marks (case and width do not matter):
        required   必需 必须 必要 必交 必报 · required mandatory
        optional   可选 非必需 选交 选报 选填 · optional
        容缺        容缺 可容缺 · tolerable deferrable later   (only a required material may be 容缺)
        original   原件 · original
        copy       复印件 复印 副本 复制件 · copy
    A mark left out takes the default: required, not 容缺, original. ``营业执照`` alone is a required original.

History, one row per application (办件历史)
    办件编号 (blank: one is generated, ``LS<received>-<batch>-<n>``), 事项编码, 事项版本 (blank: the version
    in force on the day of receipt — the latest created on or before it — else the current one), 申请企业
    (USCC or exact name), 收件日期, 受理日期 (blank: never accepted), 办结日期, 办理结果 (准予许可 / 不予许可 /
    不予受理, or ``approved`` / ``refused`` / ``rejected``), 证照编号, 原因, 暂停时段, 代办员账号 (a service
    officer's username), 办件标题.

    Pauses, one cell: entries separated by ``,`` ``;`` ``、`` or line breaks, each an optional kind and two
    dates, both inclusive: ``专家评审 2025-03-01:2025-03-10; 2025-04-01:2025-04-03``. The kind is one of 补正
    (the default), 专家评审, 听证, 检验检测, 现场勘查, 公示 (or ``correction``, ``expert_review`` …); the dates
    may also be separated by ``~``, ``至`` or ``到``. An application still running may end with an open pause
    (``专家评审 2025-03-01:``): it is then in that pause.

    Rows are written in bulk (``historical=True``) with the clock computed by
    :func:`hitechzone.approvals.clock.bulk` — due date, provisional flag, yellow date, paused working
    days, working days taken, on time — exactly as the services compute it for live applications; one step
    per known date (filed, accepted, completed or declined) and an audit record per application and pause.
"""

from __future__ import annotations

from .base import (
    CHUNK,
    ITEM_TYPES,
    MARKS_HELP,
    MATERIAL_NAME_MAX,
    MODES,
    OUTCOMES,
    PAUSE_KINDS,
    REJECTED,
    STATUSES,
    Choices,
    Outcome,
    S,
    materials_text,
    one_line,
    parse_materials,
    parse_pauses,
    pauses_text,
    same_text,
    text_block,
)
from .catalogue import (
    DAYS,
    FIELD_DEFAULTS,
    IMPORTED,
    TEXT_FIELDS,
    ItemKind,
)
from .history import (
    CERTIFICATE_MAX,
    NUMBER_MAX,
    TITLE_MAX,
    HistoryKind,
    audit_rows,
)

__all__ = [
    "CERTIFICATE_MAX",
    "CHUNK",
    "DAYS",
    "FIELD_DEFAULTS",
    "IMPORTED",
    "ITEM_TYPES",
    "MARKS_HELP",
    "MATERIAL_NAME_MAX",
    "MODES",
    "NUMBER_MAX",
    "OUTCOMES",
    "PAUSE_KINDS",
    "REJECTED",
    "STATUSES",
    "TEXT_FIELDS",
    "TITLE_MAX",
    "Choices",
    "HistoryKind",
    "ItemKind",
    "Outcome",
    "S",
    "audit_rows",
    "materials_text",
    "one_line",
    "parse_materials",
    "parse_pauses",
    "pauses_text",
    "same_text",
    "text_block",
]
