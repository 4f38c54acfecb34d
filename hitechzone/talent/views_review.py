"""M6 pages of the expert review of a team application or of a grant application (docs/0013): the panel section of
the subject's page (:func:`panel_context`, ``talent/_team_panel.html``: draw, members, the excluded and why, the
member's score form and decline, the sealed or opened scores), and its writes (draw, decline, score), each a POST
that returns to the page; one set of views, told the subject (``review.TEAMS`` / ``review.GRANTS``). Reads start
from ``for_user`` (another's application: 404); writes go through ``talent/review.py``; a ``Refused`` is shown as a
message and nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
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


#: Per subject: its reviews, its page, the names of its write URLs, and the section's subject-specific texts.
SUBJECTS = {
    "team": {
        "reviews": review.TEAMS, "page": "talent:team", "draw": "talent:team-panel-draw",
        "decline": "talent:team-panel-decline", "score": "talent:team-score", "after_decline": "talent:teams",
        "no_panel": _lazy("No panel has been drawn for this team application yet."),
        "conflict_note": _lazy(
            "An expert tied to the team's leader, members, enterprise or host organisations is excluded."
        ),
    },
    "grant": {
        "reviews": review.GRANTS, "page": "talent:grant", "draw": "talent:grant-panel-draw",
        "decline": "talent:grant-panel-decline", "score": "talent:grant-score", "after_decline": "talent:grants",
        "no_panel": _lazy("No panel has been drawn for this grant application yet."),
        "conflict_note": _lazy(
            "An expert tied to the applicant enterprise or its talents' host organisations is excluded."
        ),
    },
}  # fmt: skip


def panel_context(user, application, score_form: ScoreForm | None = None, subject: str = "team") -> dict:
    """What ``talent/_team_panel.html`` shows to ``user`` about the panel of ``application`` (a team application, or
    a grant with ``subject="grant"``) ({} for a role the panel is not for: the applicant enterprise, other
    departments)."""
    if not _sees_panel(user):
        return {}
    spec = SUBJECTS[subject]
    reviews = spec["reviews"]
    kind = reviews.kind.criteria
    panel = reviews.panel_of(application)
    can_draw = reviews.can_draw(user, application) and reviews.is_open(application)
    context = {
        "panel_urls": {name: reverse(spec[name], args=[application.pk]) for name in ("draw", "decline", "score")},
        "no_panel_text": spec["no_panel"],
        "conflict_note": spec["conflict_note"],
        "show_panel": panel is not None or can_draw,
        "panel": panel,
        "can_draw": can_draw,
        "sizes": SIZES,
        "default_size": panels.DEFAULT_SIZE,
        "chains": IndustryChain.objects.order_by("code").values_list("code", "name") if can_draw else (),
        "criteria": reviews.criteria,
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
    open_review = reviews.is_open(application)
    if my_seat is not None and not my_scored and open_review and score_form is None:
        score_form = ScoreForm(weights=panel.weights.weights, kind=kind)
    own = next((m.score for m in scores.members if m.expert_id == getattr(my_seat, "expert_id", None)), None)
    weights = panel.weights.weights
    codes = panels.codes_of(kind)
    score_rows = [
        {"name": m.expert.name, "points": [m.score.criteria.get(c) for c in codes], "total": m.score.total,
         "veto": m.score.veto, "veto_reason": m.score.veto_reason, "comment": m.score.comment}
        for m in (scores.members if not scores.sealed else [])
    ]  # fmt: skip
    own_points = [
        {"label": label, "chinese": zh, "weight": weights.get(code), "points": own.criteria.get(code)}
        for code, label, zh in (reviews.criteria if own is not None else ())
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


def _subject(user, subject: str, pk: int):
    model = SUBJECTS[subject]["reviews"].model
    related = "enterprise" if model is TeamApplication else "recipient_enterprise"
    return get_object_or_404(model.objects.for_user(user).select_related(related), pk=pk)


def _back(subject: str, obj) -> str:
    return reverse(SUBJECTS[subject]["page"], args=[obj.pk]) + "#panel"


@login_required
@require_POST
def panel_draw(request, pk: int, subject: str = "team"):
    user = request.user
    reviews = SUBJECTS[subject]["reviews"]
    application = _subject(user, subject, pk)
    if not reviews.can_draw(user, application):
        raise PermissionDenied
    size = request.POST.get("size", "")
    seed = request.POST.get("seed", "").strip()
    try:
        if seed and not (seed.isdecimal() and len(seed) <= 16):
            raise Refused(_("A seed is a whole number from 0 to %(max)d.") % {"max": panels.MAX_SEED})
        reviews.panel_draw(
            by=user,
            subject=application,
            chain=request.POST.get("chain", "")[:32],
            size=int(size) if size.isdecimal() and len(size) < 3 else None,
            seed=int(seed) if seed else None,
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The panel is drawn."))
    return redirect(_back(subject, application))


@login_required
@require_POST
def panel_decline(request, pk: int, subject: str = "team"):
    user = request.user
    reviews = SUBJECTS[subject]["reviews"]
    application = _subject(user, subject, pk)
    if reviews.member_of(user, application) is None:
        raise PermissionDenied
    try:
        reviews.member_decline(by=user, subject=application, reason=request.POST.get("reason", ""))
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(_back(subject, application))
    messages.success(request, _("You have declined your seat on the panel of %(name)s.") % {"name": application})
    return redirect(SUBJECTS[subject]["after_decline"])


@login_required
@require_POST
def score(request, pk: int, subject: str = "team"):
    user = request.user
    reviews = SUBJECTS[subject]["reviews"]
    application = _subject(user, subject, pk)
    seat = reviews.member_of(user, application)
    if seat is None:
        raise PermissionDenied
    form = ScoreForm(request.POST, weights=seat.panel.weights.weights, kind=reviews.kind.criteria)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reviews.score_submit(
                by=user, subject=application, criteria=form.criteria(), comment=data["comment"],
                veto=data["veto"], veto_reason=data["veto_reason"],
            )  # fmt: skip
        except Refused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Your score is submitted. It stays sealed until every member has scored."))
        return redirect(_back(subject, application))
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(_back(subject, application))


GRANT = {"subject": "grant"}

urlpatterns = [
    path("teams/<int:pk>/panel/draw/", panel_draw, name="team-panel-draw"),
    path("teams/<int:pk>/panel/decline/", panel_decline, name="team-panel-decline"),
    path("teams/<int:pk>/score/", score, name="team-score"),
    path("grants/<int:pk>/panel/draw/", panel_draw, GRANT, name="grant-panel-draw"),
    path("grants/<int:pk>/panel/decline/", panel_decline, GRANT, name="grant-panel-decline"),
    # not grants/<pk>/score/: grants/<pk>/<decision>/ (the leader's decision) would answer it
    path("grants/<int:pk>/panel/score/", score, GRANT, name="grant-score"),
]
