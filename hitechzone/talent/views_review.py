"""M6 pages of a team application's expert review (docs/0013): the panel section of the application's page
(:func:`panel_context`, ``talent/_team_panel.html``: draw, members, the excluded and why, the member's score form
and decline, the sealed or opened scores), and its writes (draw, decline, score), each a POST that returns to the
page. Reads start from ``for_user`` (another's application: 404); writes go through ``talent/review.py``; a
``Refused`` is shown as a message and nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.common.rules import Refused
from hitechzone.enterprises.models import IndustryChain
from hitechzone.review import panels, pool
from hitechzone.review.forms import ScoreForm

from . import review, roles
from .models import TeamApplication

SIZES = tuple(range(panels.MIN_SIZE, panels.MAX_SIZE + 1, 2))


def _sees_panel(user) -> bool:
    role = roles.effective_role(user)
    return role in (roles.ADMIN, roles.LEADER, roles.Role.EXPERT) or roles.is_talent_office(user)


def panel_context(user, application: TeamApplication, score_form: ScoreForm | None = None) -> dict:
    """What ``talent/_team_panel.html`` shows to ``user`` ({} for a role the panel is not for: the team's enterprise,
    other departments)."""
    if not _sees_panel(user):
        return {}
    panel = review.panel_of(application)
    can_draw = review.can_draw(user, application) and application.status == TeamApplication.Status.REVIEW
    context = {
        "show_panel": panel is not None or can_draw,
        "panel": panel,
        "can_draw": can_draw,
        "sizes": SIZES,
        "default_size": panels.DEFAULT_SIZE,
        "chains": IndustryChain.objects.order_by("code").values_list("code", "name") if can_draw else (),
        "criteria": panels.TEAM_CRITERIA,
    }
    if panel is None:
        return context
    seats = list(panel.members.select_related("expert", "replaces__expert").order_by("seat"))
    scores = review.scores_view(user, panel)
    submitted = set(scores.submitted)
    for seat in seats:
        seat.submitted = seat.status == seat.Status.SITTING and seat.expert_id in submitted
    auditor = roles.effective_role(user) != roles.Role.EXPERT
    excluded = []
    if auditor and panel.excluded:
        names = pool.read().names
        reasons = panels.reason_texts()
        conflicts_first = sorted(panel.excluded, key=lambda e: (e["code"] not in panels.CONFLICTS, e["expert"]))
        excluded = [
            {"name": names.get(e["expert"], "—"), "code": e["code"], "conflict": e["code"] in panels.CONFLICTS,
             "reason": reasons(e)}
            for e in conflicts_first
        ]  # fmt: skip
    my_seat = next((s for s in seats if s.status == s.Status.SITTING and s.expert.user_id == user.pk), None)
    my_scored = my_seat is not None and my_seat.expert_id in submitted
    open_review = application.status == TeamApplication.Status.REVIEW
    if my_seat is not None and not my_scored and open_review and score_form is None:
        score_form = ScoreForm(weights=panel.weights.weights, kind=panels.TEAM)
    own = next((m.score for m in scores.members if m.expert_id == getattr(my_seat, "expert_id", None)), None)
    weights = panel.weights.weights
    codes = panels.codes_of(panels.TEAM)
    score_rows = [
        {"name": m.expert.name, "points": [m.score.criteria.get(c) for c in codes], "total": m.score.total,
         "veto": m.score.veto, "veto_reason": m.score.veto_reason, "comment": m.score.comment}
        for m in (scores.members if not scores.sealed else [])
    ]  # fmt: skip
    own_points = [
        {"label": label, "chinese": zh, "weight": weights.get(code), "points": own.criteria.get(code)}
        for code, label, zh in (panels.TEAM_CRITERIA if own is not None else ())
    ]
    context.update(
        {
            "seats": seats,
            "excluded": excluded,
            "auditor": auditor,
            "scores": scores,
            "score_rows": score_rows,
            "own_points": own_points,
            "own": own,
            "recommendation_label": panels.recommendation_label(scores.recommendation),
            "my_seat": my_seat if open_review else None,
            "my_seat_scored": my_scored,
            "score_form": score_form if my_seat is not None and not my_scored and open_review else None,
            "scoring_started": bool(submitted),
            "sitting_count": sum(1 for s in seats if s.status == s.Status.SITTING),
        }
    )
    return context


def _application(user, pk: int) -> TeamApplication:
    return get_object_or_404(TeamApplication.objects.for_user(user).select_related("enterprise"), pk=pk)


def _back(application) -> str:
    return reverse("talent:team", args=[application.pk]) + "#panel"


@login_required
@require_POST
def panel_draw(request, pk: int):
    user = request.user
    application = _application(user, pk)
    if not review.can_draw(user, application):
        raise PermissionDenied
    size = request.POST.get("size", "")
    seed = request.POST.get("seed", "").strip()
    try:
        if seed and not (seed.isdecimal() and len(seed) <= 16):
            raise Refused(_("A seed is a whole number from 0 to %(max)d.") % {"max": panels.MAX_SEED})
        review.panel_draw(
            by=user,
            application=application,
            chain=request.POST.get("chain", "")[:32],
            size=int(size) if size.isdecimal() and len(size) < 3 else None,
            seed=int(seed) if seed else None,
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The panel is drawn."))
    return redirect(_back(application))


@login_required
@require_POST
def panel_decline(request, pk: int):
    user = request.user
    application = _application(user, pk)
    if review.member_of(user, application) is None:
        raise PermissionDenied
    try:
        review.member_decline(by=user, application=application, reason=request.POST.get("reason", ""))
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(_back(application))
    messages.success(request, _("You have declined your seat on the panel of %(name)s.") % {"name": application})
    return redirect("talent:teams")


@login_required
@require_POST
def score(request, pk: int):
    user = request.user
    application = _application(user, pk)
    seat = review.member_of(user, application)
    if seat is None:
        raise PermissionDenied
    form = ScoreForm(request.POST, weights=seat.panel.weights.weights, kind=panels.TEAM)
    if form.is_valid():
        data = form.cleaned_data
        try:
            review.score_submit(
                by=user, application=application, criteria=form.criteria(), comment=data["comment"],
                veto=data["veto"], veto_reason=data["veto_reason"],
            )  # fmt: skip
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Your score is submitted. It stays sealed until every member has scored."))
        return redirect(_back(application))
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(_back(application))


urlpatterns = [
    path("teams/<int:pk>/panel/draw/", panel_draw, name="team-panel-draw"),
    path("teams/<int:pk>/panel/decline/", panel_decline, name="team-panel-decline"),
    path("teams/<int:pk>/score/", score, name="team-score"),
]
