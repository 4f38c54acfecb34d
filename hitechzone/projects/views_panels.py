"""M3 pages of the expert panels (docs/0009): the pool (``experts/``, the investment side), an expert's reviews
(``reviews/``), the panel section of a project's page (:func:`panel_context`, ``_panel.html``: draw, members, the
excluded and why, decline, the sealed scores) and the scoring page (``<pk>/score/``, made for a phone).

Reads start from ``for_user`` (another's project: 404; a page not for the role: 403). Writes go through
``panel_services``; a ``Refused`` is shown as a message and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless, paginate
from hitechzone.enterprises.models import IndustryChain

from . import admission, panel_services, panels, pool, services
from .models import Expert, Panel, PanelMember, Project
from .nav import render_page as _render
from .roles import PANEL_ROLES, POOL_READERS, REVIEWERS

SIZES = tuple(range(panels.MIN_SIZE, panels.MAX_SIZE + 1, 2))


def _chain_names() -> dict[str, str]:
    return {**dict(IndustryChain.objects.values_list("code", "name")), panels.GENERAL: _("General")}


# --- The panel section of a project's page --------------------------------------------------------------------------


def panel_context(user, project: Project) -> dict:
    """What ``projects/_panel.html`` shows to ``user`` ({} for a role the panel is not for)."""
    role = effective_role(user)
    if role not in PANEL_ROLES:
        return {}
    panel = Panel.objects.filter(project=project).select_related("weights", "drawn_by").first()
    context = {
        "show_panel": True,
        "panel": panel,
        "can_draw": panel_services.can_draw(user, project),
        "sizes": SIZES,
        "default_size": panels.DEFAULT_SIZE,
        "criteria": panels.CRITERIA,
    }
    if panel is None:
        return context
    seats = list(panel.members.select_related("expert", "replaces__expert").order_by("seat"))
    scores = panel_services.scores_view(user, panel)
    submitted = set(scores.submitted)
    for seat in seats:
        seat.submitted = seat.status == PanelMember.Status.SITTING and seat.expert_id in submitted
    auditor = role != Role.EXPERT
    excluded = []
    if auditor and panel.excluded:
        names = pool.read().names
        conflicts_first = sorted(panel.excluded, key=lambda e: (e["code"] not in panels.CONFLICTS, e["expert"]))
        excluded = [
            {"name": names.get(e["expert"], "—"), "code": e["code"], "conflict": e["code"] in panels.CONFLICTS,
             "reason": panels.reason_text(e)}
            for e in conflicts_first
        ]  # fmt: skip
    my_seat = next((s for s in seats if s.status == s.Status.SITTING and s.expert.user_id == user.pk), None)
    context.update(
        {
            "seats": seats,
            "excluded": excluded,
            "auditor": auditor,
            "scores": scores,
            "score_rows": _score_rows(scores.members, panel.weights.weights) if not scores.sealed else [],
            "recommendation_label": panels.recommendation_label(scores.recommendation),
            "my_seat": my_seat,
            "my_seat_scored": my_seat is not None and my_seat.expert_id in submitted,
            "scoring_started": bool(submitted),
            "sitting_count": sum(1 for s in seats if s.status == s.Status.SITTING),
            "scores_template": "projects/_decision_scores.html",  # the panel's result beside the decision
        }
    )
    return context


def _score_rows(members, weights) -> list[dict]:
    return [
        {
            "name": m.expert.name,
            "points": [m.score.criteria.get(code) for code in panels.CRITERION_CODES],
            "total": m.score.total,
            "veto": m.score.veto,
            "veto_reason": m.score.veto_reason,
            "comment": m.score.comment,
        }
        for m in members
    ]


def _project(user, pk: int) -> Project:
    qs = Project.objects.for_user(user).select_related("investor", "chain", "functional_area", "officer")
    return get_object_or_404(qs, pk=pk)


@login_required
@require_POST
def panel_draw(request, pk: int):
    user = request.user
    deny_unless(user, PANEL_ROLES)
    project = _project(user, pk)
    if not panel_services.can_draw(user, project):
        raise PermissionDenied
    size = request.POST.get("size", "")
    seed = request.POST.get("seed", "").strip()
    try:
        if seed and not (seed.isdecimal() and len(seed) <= 16):
            raise Refused(_("A seed is a whole number from 0 to %(max)d.") % {"max": panels.MAX_SEED})
        panel_services.panel_draw(
            by=user,
            project=project,
            size=int(size) if size.isdecimal() and len(size) < 3 else None,
            seed=int(seed) if seed else None,
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The panel is drawn."))
    return redirect(reverse("projects:detail", args=[project.pk]) + "#panel")


@login_required
@require_POST
def panel_decline(request, pk: int):
    user = request.user
    deny_unless(user, REVIEWERS)
    project = _project(user, pk)
    if panel_services.member_of(user, project) is None:
        raise PermissionDenied
    try:
        panel_services.member_decline(by=user, project=project, reason=request.POST.get("reason", ""))
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("projects:detail", args=[project.pk]) + "#panel")
    messages.success(request, _("You have declined your seat on the panel of %(name)s.") % {"name": project.name})
    return redirect("projects:reviews")


# --- The scoring page -----------------------------------------------------------------------------------------------


def _points(label):
    return forms.IntegerField(
        label=label,
        min_value=panels.MIN_POINTS,
        max_value=panels.MAX_POINTS,
        widget=forms.NumberInput(
            attrs={
                "class": "form-control form-control-lg",
                "min": "0",
                "max": "100",
                "step": "1",
                "inputmode": "numeric",
            },
        ),
    )


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    veto = forms.BooleanField(
        label=gettext_lazy("Veto (一票否决)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    veto_reason = forms.CharField(
        label=gettext_lazy("Reason for the veto"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, weights: dict, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = {}
        for code, label, chinese in panels.CRITERIA:
            field = _points(label)
            field.chinese, field.weight = chinese, weights.get(code)
            criteria[code] = field
        self.fields = {**criteria, **self.fields}

    def criteria_fields(self):
        return [self[code] for code in panels.CRITERION_CODES]

    def clean(self):
        data = super().clean()
        if data.get("veto") and not (data.get("veto_reason") or "").strip():
            self.add_error("veto_reason", _("A veto needs its reason."))
        return data


@login_required
def score_page(request, pk: int):
    user = request.user
    deny_unless(user, REVIEWERS)
    project = _project(user, pk)
    seat = panel_services.member_of(user, project)
    if seat is None:
        raise PermissionDenied
    panel = Panel.objects.select_related("weights").get(pk=seat.panel_id)
    weights = panel.weights.weights
    view = panel_services.scores_view(user, panel)
    own = next((m.score for m in view.members if m.expert_id == seat.expert_id), None)
    form = None
    if own is None:
        form = ScoreForm(request.POST or None, weights=weights)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                panel_services.score_submit(
                    by=user,
                    project=project,
                    criteria={code: data[code] for code in panels.CRITERION_CODES},
                    comment=data["comment"],
                    veto=data["veto"],
                    veto_reason=data["veto_reason"],
                )
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Your score is submitted. It stays sealed until every member has scored."))
                return redirect("projects:score", pk=project.pk)
    rules = services.current_rules()
    checks = services.project_checks(project, rules) if rules else []
    own_points = []
    if own is not None:
        own_points = [
            {"label": label, "chinese": chinese, "weight": weights.get(code), "points": own.criteria.get(code)}
            for code, label, chinese in panels.CRITERIA
        ]
    return _render(
        request,
        "projects/score.html",
        {
            "project": project,
            "panel": panel,
            "form": form,
            "own": own,
            "own_points": own_points,
            "scores": view,
            "sitting_count": len(view.seats),
            "rules": rules,
            "checks": checks,
            "passed": admission.passed(checks) if checks else None,
        },
    )


# --- Lists ----------------------------------------------------------------------------------------------------------


@login_required
def expert_list(request):
    user = request.user
    deny_unless(user, POOL_READERS)
    qs = Expert.objects.for_user(user).select_related("user").order_by("-academician", "name", "pk")
    page, query = paginate(request, qs)
    chains = _chain_names()
    for expert in page:
        expert.specialty_names = [chains.get(code, code) for code in expert.specialties]
    return _render(request, "projects/experts.html", {"page": page, "query": query})


@login_required
def review_list(request):
    user = request.user
    deny_unless(user, REVIEWERS)
    seats = list(
        PanelMember.objects.sitting()
        .filter(expert__user=user)
        .select_related("panel__project__investor", "score")
        .order_by("-panel__drawn_at", "-pk")
    )
    for seat in seats:
        seat.has_score = hasattr(seat, "score")
    return _render(request, "projects/reviews.html", {"seats": seats})


urlpatterns = [
    path("experts/", expert_list, name="experts"),
    path("reviews/", review_list, name="reviews"),
    path("<int:pk>/panel/draw/", panel_draw, name="panel-draw"),
    path("<int:pk>/panel/decline/", panel_decline, name="panel-decline"),
    path("<int:pk>/score/", score_page, name="score"),
]
