"""M3's writes for the leader's decision and the pipeline (issue 14, items 8-9; docs/0010), and the reads of one
project's road (its stage dates, the stage it was paused from, its days from 洽谈 to 落地).

Services as in ``services.py``: keyword-only, the acting user as ``by=``, one transaction, ``Refused`` for a rule
broken (nothing written); the audit trail records the decision and every move (``audit.register`` in apps.py).
The rules of the road are data in ``stages.py``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.roles import effective_role
from hitechzone.common.rules import Refused, require

from . import admission, links, stages
from .models import Project, ProjectDecision, ProjectStageEvent
from .roles import DECIDERS, MOVERS
from .services import current_rules, project_checks

S = Project.Stage
K = ProjectStageEvent.Kind
O = ProjectDecision.Outcome  # noqa: E741


# --- The leader's decision ------------------------------------------------------------------------------------------


def checks_seen(checks: list[admission.Check]) -> list[dict]:
    """The check results as the decision stores them: figures as decimal strings rounded as shown."""

    def text(x):
        x = admission.shown(x)
        return None if x is None else str(x)

    return [
        {
            "rule": c.rule,
            "passed": c.passed,
            "value": text(c.value),
            "threshold": text(c.threshold),
            "unit": c.unit,
            "comparison": c.comparison,
        }
        for c in checks
    ]


def decision_of(project: Project) -> ProjectDecision | None:
    try:
        return project.decision
    except ProjectDecision.DoesNotExist:
        return None


def may_decide(user, project: Project) -> bool:
    """Whether ``user`` may take the decision on ``project`` now (the page offers the form)."""
    return effective_role(user) in DECIDERS and project.stage == stages.DECISION_STAGE and not decision_of(project)


@transaction.atomic
def project_decide(*, project: Project, outcome: str, reasons: str, by, conditions: str = "") -> ProjectDecision:
    """The leader admits, admits with conditions or rejects a project at the review stage, with his reasons (and
    the conditions, for a conditional admission). Final: a second decision is refused. The decision stores the
    rules version and the admission checks the leader saw."""
    require(effective_role(by) in DECIDERS, _("Only a leader decides on a project's admission."))
    require(Project.objects.for_user(by).filter(pk=project.pk).exists(), _("That project is not one you may see."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(
        not ProjectDecision.objects.filter(project=project).exists(),
        _("This project has been decided already; the decision is final."),
    )
    require(
        project.stage == stages.DECISION_STAGE,
        _("A project is decided at the review stage; this one is at “%(stage)s”.")
        % {"stage": project.get_stage_display()},
    )
    require(outcome in O.values, _("Choose admit, admit with conditions or reject."))
    reasons, conditions = (reasons or "").strip(), (conditions or "").strip()
    require(bool(reasons), _("Give the reasons for the decision."))
    if outcome == O.CONDITIONAL:
        require(bool(conditions), _("An admission with conditions needs its conditions."))
    else:
        require(not conditions, _("Conditions go with an admission with conditions only."))
    rules = current_rules()
    checks = project_checks(project, rules) if rules else []
    return ProjectDecision.objects.create(
        project=project,
        outcome=outcome,
        reasons=reasons,
        conditions=conditions,
        decided_by=by,
        decided_on=timezone.localdate(),
        rules=rules,
        checks=checks_seen(checks),
        checks_passed=admission.passed(checks) if checks else None,
    )


# --- The road -------------------------------------------------------------------------------------------------------


def last_move(project: Project) -> ProjectStageEvent | None:
    return ProjectStageEvent.objects.filter(project=project).order_by("-pk").first()


def paused_from(project: Project, last: ProjectStageEvent | None = None) -> str | None:
    """The stage a paused project was paused from (None when it is not paused)."""
    if project.stage != S.PAUSED:
        return None
    last = last if last is not None else last_move(project)
    return last.from_stage if last is not None and last.kind == K.PAUSE else None


def may_move(user, project: Project) -> bool:
    """Whether ``user`` may move ``project`` at all: its own officer and administrators."""
    return effective_role(user) in MOVERS and Project.objects.editable(user).filter(pk=project.pk).exists()


@transaction.atomic
def project_move(*, project: Project, to_stage: str, on: dt.date, by, reason: str = "") -> ProjectStageEvent:
    """Move ``project`` to ``to_stage`` on the date ``on``, by the rules of ``stages.py``: forward one stage at a
    time, pause, resume into the stage it was paused from, terminate with a reason; signed only once admitted.
    ``on`` is not in the future and not before the project's previous move. Into 投产, the project is linked to its
    enterprise (``links.project_link_enterprise``)."""
    require(effective_role(by) in MOVERS, _("Only the project's officer or an administrator moves its stage."))
    require(
        Project.objects.editable(by).filter(pk=project.pk).exists(),
        _("Only the project's own officer or an administrator moves its stage."),
    )
    project = Project.objects.select_for_update().get(pk=project.pk)
    last = last_move(project)
    move = stages.move_to(project.stage, to_stage, paused_from(project, last))
    if move is None:
        allowed = [str(S(to).label) for _move, to in stages.offered(project.stage, paused_from(project, last))]
        raise Refused(
            _("A project at “%(stage)s” cannot move to “%(to)s”; it may move to: %(allowed)s.")
            % {
                "stage": project.get_stage_display(),
                "to": S(to_stage).label if to_stage in S.values else to_stage,
                "allowed": "、".join(allowed) or _("nowhere (the road has ended)"),
            }
        )
    reason = (reason or "").strip()
    require(not move.needs_reason or bool(reason), _("Give the reason the project ends."))
    require(on <= timezone.localdate(), _("A move cannot be dated in the future."))
    require(
        last is None or on >= last.on,
        _("A move cannot be dated before the project's previous move (%(date)s).") % {"date": last and last.on},
    )
    if move.kind == K.ADVANCE:
        refusal = stages.gate_refusal(to_stage, ProjectDecision.objects.filter(project=project).first())
        if refusal:
            raise Refused(refusal)
        if to_stage == S.PRODUCTION:
            # 投产 (issue 14, item 11): the project becomes, or stays linked to, its enterprise in the registry and its
            # officer its 店小二; a refused link (no USCC, no land yet …) refuses the move with its reason.
            links.project_link_enterprise(project=project, by=by)
    if last is not None:
        last.until = on
        last.save(update_fields=["until"])
    event = ProjectStageEvent.objects.create(
        project=project, kind=move.kind, from_stage=project.stage, to_stage=to_stage, on=on, reason=reason, by=by
    )
    project.stage = to_stage
    project.save(update_fields=["stage", "updated_at"])
    return event


# --- One project's road, read ---------------------------------------------------------------------------------------


def stage_dates(project: Project, events=None) -> dict[str, dt.date]:
    """Each stage's date: 线索 the day the project was recorded, every other stage the date of the move into it
    (a stage of the road: the advance; 暂停 and 终止: the latest pause, the termination)."""
    events = list(events if events is not None else ProjectStageEvent.objects.filter(project=project))
    dates: dict[str, dt.date] = {S.LEAD: project.created_on}
    for e in sorted(events, key=lambda e: (e.on, e.pk)):
        if e.kind == K.ADVANCE or e.kind in (K.PAUSE, K.TERMINATE):
            dates[e.to_stage] = e.on
    return dates


def days_between(dates: dict[str, dt.date], first: str, then: str) -> int | None:
    if first in dates and then in dates:
        return (dates[then] - dates[first]).days
    return None


def days_negotiation_to_landing(dates: dict[str, dt.date]) -> int | None:
    """Days from the 洽谈 date to the 落地 (供地) date; None until both are known."""
    return days_between(dates, stages.NEGOTIATION_STAGE, stages.LANDING_STAGE)
