"""The project list as a workbook (``/projects/?export=xlsx``, the list's filters applied): one row per project with
its stage dates, the leader's decision and its days from 洽谈 to 落地. Written by ``common.spreadsheets`` (user text
stays text: a name that starts with "=" is never a formula). The caller scopes and filters the queryset."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.spreadsheets import xlsx_response

from . import pipeline, stages
from .models import Project, ProjectStageEvent

S = Project.Stage


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _rows(queryset):
    qs = queryset.select_related("investor", "chain", "officer", "decision").prefetch_related(
        Prefetch("stage_events", queryset=ProjectStageEvent.objects.order_by("pk"))
    )
    for p in qs.iterator(chunk_size=2000):
        dates = pipeline.stage_dates(p, p.stage_events.all())
        decision = pipeline.decision_of(p)
        yield [
            p.name,
            p.investor.name,
            p.investor.parent_group,
            p.industry_code,
            p.chain.name if p.chain else "",
            p.total_investment_wan_yuan,
            p.fixed_asset_investment_wan_yuan,
            p.land_mu,
            p.get_stage_display(),
            *(dates.get(stage) for stage in stages.ROAD),
            decision.get_outcome_display() if decision else "",
            decision.decided_on if decision else None,
            decision.conditions if decision else "",
            pipeline.days_negotiation_to_landing(dates),
            _person(p.officer),
        ]


def projects_response(queryset):
    headers = [
        _("Project"),
        _("Investor"),
        _("Parent group"),
        _("Industry code"),
        _("Industry chain"),
        _("Total investment (10k yuan)"),
        _("Fixed-asset investment (10k yuan)"),
        _("Land (mu)"),
        _("Stage"),
        *(_("%(stage)s on") % {"stage": S(stage).label} for stage in stages.ROAD),
        _("Admission decision"),
        _("Decided on"),
        _("Conditions"),
        _("Days from negotiation to landing"),
        _("Investment officer"),
    ]
    title = _("Investment projects")
    widths = [36, 28, 20, 10, 12, 14, 14, 10, 10, *(12 for _s in stages.ROAD), 14, 12, 30, 12, 12]
    return xlsx_response(
        f"招商项目-{timezone.localdate():%Y%m%d}.xlsx", [(title, headers, _rows(queryset))], widths={title: widths}
    )
