"""M3 pages for the decision and the pipeline (issue 14, items 8, 9, 12; docs/0010): the decision form and the
stage moves on the project's page (``_decision.html``, ``_pipeline.html``, their context from
:func:`detail_context`), their POST handlers, and the pipeline board with the year's figures and the funnel.

Reads start from ``Project.objects.for_user``; writes go through ``pipeline.py``; a ``Refused`` is shown as a
message on the project's page and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.common.params import year_from_query
from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless

from . import admission, pipeline, stages, stats
from .models import Project, ProjectDecision, ProjectStageEvent
from .nav import render_page as _render
from .roles import DECIDERS, MOVERS, PAGE_ROLES

S = Project.Stage
K = ProjectStageEvent.Kind


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=ProjectDecision.Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions"),
        required=False,
        help_text=gettext_lazy("For an admission with conditions."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Move to"), choices=S.choices)
    on = forms.DateField(label=gettext_lazy("On"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        help_text=gettext_lazy("Required to terminate."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


MOVE_WORDS = {
    K.ADVANCE: gettext_lazy("Advance to %(stage)s"),
    K.PAUSE: gettext_lazy("Pause"),
    K.RESUME: gettext_lazy("Resume at %(stage)s"),
    K.TERMINATE: gettext_lazy("Terminate"),
}


def detail_context(user, project: Project) -> dict:
    """What ``_decision.html`` and ``_pipeline.html`` show on the project's page (two queries)."""
    events = list(ProjectStageEvent.objects.filter(project=project).select_related("by").order_by("pk"))
    decision = ProjectDecision.objects.filter(project=project).select_related("decided_by", "rules").first()
    dates = pipeline.stage_dates(project, events)
    last = events[-1] if events else None
    paused_from = pipeline.paused_from(project, last)
    can_move = pipeline.may_move(user, project)
    moves = [
        {"stage": to, "kind": move.kind, "label": MOVE_WORDS[move.kind] % {"stage": S(to).label}}
        for move, to in stages.offered(project.stage, paused_from)
    ]
    road = []
    reached = True
    for stage in stages.ROAD:
        if stage == project.stage:
            state = "current"
        elif stage in dates and reached:
            state = "done"
        else:
            state, reached = "ahead", False
        road.append({"stage": stage, "label": S(stage).label, "on": dates.get(stage), "state": state})
    seen = []
    if decision is not None:
        for c in decision.checks:
            sign = {">=": "≥", "<=": "≤"}.get(c.get("comparison", ""), "")
            seen.append({**c, "label": admission.RULES.get(c["rule"], c["rule"]), "sign": sign})
    return {
        "decision": decision,
        "decision_checks": seen,
        "can_decide": pipeline.may_decide(user, project) and decision is None,
        "decision_form": DecisionForm(),
        "decide_at_stage": S(stages.DECISION_STAGE).label,
        "road": road,
        "moves": moves if can_move else [],
        "move_form": MoveForm(initial={"on": timezone.localdate()}),
        "events": events,
        "paused_from": paused_from and S(paused_from).label,
        "days_negotiation_to_landing": pipeline.days_negotiation_to_landing(dates),
        "negotiation_on": dates.get(stages.NEGOTIATION_STAGE),
        "landed_on": dates.get(stages.LANDING_STAGE),
    }


def _back(project_pk: int):
    return redirect(reverse("projects:detail", args=[project_pk]) + "#pipeline")


@login_required
@require_POST
def project_decide(request, pk: int):
    user = request.user
    deny_unless(user, DECIDERS)
    project = get_object_or_404(Project.objects.for_user(user), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the decision and give its reasons."))
        return _back(project.pk)
    try:
        decision = pipeline.project_decide(project=project, by=user, **form.cleaned_data)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Decision recorded: %(outcome)s.") % {"outcome": decision.get_outcome_display()})
    return _back(project.pk)


@login_required
@require_POST
def project_move(request, pk: int):
    user = request.user
    deny_unless(user, MOVERS)
    project = get_object_or_404(Project.objects.editable(user), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the stage and its date."))
        return _back(project.pk)
    try:
        event = pipeline.project_move(project=project, by=user, to_stage=form.cleaned_data["stage"],
                                      on=form.cleaned_data["on"], reason=form.cleaned_data["reason"])  # fmt: skip
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Moved to %(stage)s.") % {"stage": event.get_to_stage_display()})
    return _back(project.pk)


FIGURES = (
    ("reviewed", gettext_lazy("Reviewed"), gettext_lazy("Decisions the leaders took in the year, any outcome.")),
    ("admitted", gettext_lazy("Admitted"), gettext_lazy("Decisions to admit.")),
    ("conditional", gettext_lazy("Admitted with conditions"), gettext_lazy("Decisions to admit with conditions.")),
    ("rejected", gettext_lazy("Rejected"), gettext_lazy("Decisions to reject.")),
    (
        "admitted_investment_wan_yuan",
        gettext_lazy("Investment admitted"),
        gettext_lazy("Total investment of the projects admitted, with or without conditions, in the year."),
    ),
    ("landed", gettext_lazy("Landed"), gettext_lazy("Projects that reached land supplied (供地, 落地) in the year.")),
    (
        "median_days_negotiation_to_landing",
        gettext_lazy("Median days 洽谈 → 落地"),
        gettext_lazy("Of the projects landed in the year: the median of the days from negotiation to land supplied."),
    ),
    (
        "target_investor_share",
        gettext_lazy("Target investors"),
        gettext_lazy(
            "Of the projects recorded in the year: the share whose investor ranks in the Fortune Global 500 or in "
            "the first 200 of China's top 500."
        ),
    ),
)


def _shown(key: str, value):
    """A figure as the page shows it: the target investors' share in per cent."""
    if key == "target_investor_share" and value is not None:
        return round(value * 100, 1)
    return value


@login_required
def project_board(request):
    """The pipeline board: the year's figures, the funnel, and the stages as columns (a list on a phone)."""
    user = request.user
    deny_unless(user, PAGE_ROLES)
    this_year = timezone.localdate().year
    year = year_from_query(request, this_year)
    figures = stats.pipeline_stats(user=user, year=year)
    funnel = stats.funnel(user=user, year=year)
    chart = {
        "type": "funnel",
        "categories": [str(S(stage).label) for stage, _n in funnel],
        "series": [{"name": str(_("Projects")), "data": [n for _stage, n in funnel]}],
        "links": [reverse("projects:list") + f"?stage={stage}" for stage, _n in funnel],
    }
    return _render(
        request,
        "projects/board.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "figures": [(key, label, help, _shown(key, figures[key])) for key, label, help in FIGURES],
            "by_stage_day": stats.as_of(year),
            "funnel_chart": chart,
            "columns": stats.board(user=user),
            "column_size": stats.BOARD_COLUMN,
        },
    )


urlpatterns = [
    path("board/", project_board, name="board"),
    path("<int:pk>/decision/", project_decide, name="decide"),
    path("<int:pk>/stage/", project_move, name="move"),
]
