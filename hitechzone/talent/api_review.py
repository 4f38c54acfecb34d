"""M6's expert review over the API (docs/0013), the shapes of M3's panel endpoints (``review.api``), for team
applications and, the same, for the innovation fund's applications (``talent/grants/{id}/panel/``, ``…/panel/decline/``,
``…/scores/``; a grant's panel is drawn while it is applied for, its criteria ``panels.FUND_CRITERIA``):

- ``talent/team-applications/{id}/panel/``: ``GET`` the panel; ``POST {size, seed, chain}`` (all optional) draws it
  (an administrator or the talent office, while the application is under review); a refusal (too few eligible, no
  academician, scoring started, not under review) is a 400 naming it, nothing stored.
  ``…/panel/decline/``: a sitting member declines (a replacement is drawn at once).
- ``talent/team-applications/{id}/scores/``: ``GET`` sealed until every sitting member has submitted (``members``:
  the caller's own score only); ``POST`` the caller's own score on the team's criteria (a sitting member, once).

The application is looked up among those the user may see (another's: 404); the panel and the scores are the
committee's and the experts' business: the team's enterprise is refused them (403).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import RefusalsAnswer400
from hitechzone.review import panels
from hitechzone.review.api import (
    DeclineSerializer,
    DrawSerializer,
    PanelSerializer,
    panel_answer,
    score_serializers,
    scores_answer,
)

from . import review, roles

#: Who reads a team's panel: the module's staff (administrators, leaders, the talent office: checked) and experts
#: (the applications of the panels they sit on: scoped).
PANEL_ROLES = frozenset({roles.ADMIN, roles.LEADER, roles.DEPT, roles.Role.EXPERT})
DRAW_ROLES = frozenset({roles.ADMIN, roles.DEPT})
REVIEWERS = frozenset({roles.Role.EXPERT})


class _Subject:
    """What a panel endpoint reviews: ``reviews`` (``talent.review.TEAMS`` / ``GRANTS``) and the 404 without panel."""

    reviews: review.SubjectReview
    no_panel: str = ""

    def subject(self, request, pk):
        """The subject among those the user may see (else 404); 403 for a role the panel is not for."""
        subject = get_object_or_404(self.reviews.model.objects.for_user(request.user), pk=pk)
        role = roles.effective_role(request.user)
        if role not in PANEL_ROLES or (role == roles.DEPT and not roles.is_talent_office(request.user)):
            raise PermissionDenied(_("The review panel is not shown to your role."))
        return subject

    def panel(self, subject):
        panel = self.reviews.panel_of(subject)
        if panel is None:
            raise NotFound(self.no_panel)
        return panel

    def draw(self, request, pk, body_class):
        subject = self.subject(request, pk)
        if not self.reviews.can_draw(request.user, subject):
            raise PermissionDenied(self.reviews.who_draws)
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        panel = self.reviews.panel_draw(by=request.user, subject=subject, **body.validated_data)
        return Response(panel_answer(request.user, panel), status=status.HTTP_201_CREATED)

    def decline(self, request, pk):
        subject = self.subject(request, pk)
        if self.reviews.member_of(request.user, subject) is None:
            raise PermissionDenied(_("Only a sitting member of the panel declines his seat."))
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        seat = self.reviews.member_decline(by=request.user, subject=subject, **body.validated_data)
        return Response(panel_answer(request.user, seat.panel))

    def score(self, request, pk, body_class, answer_class):
        subject = self.subject(request, pk)
        if self.reviews.member_of(request.user, subject) is None:
            raise PermissionDenied(_("Only a sitting member of the panel scores it."))
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        self.reviews.score_submit(by=request.user, subject=subject, **body.validated_data)
        panel = self.reviews.panel_of(subject)
        return Response(answer_class(scores_answer(request.user, panel)).data, status=status.HTTP_201_CREATED)


class _Team(_Subject):
    reviews = review.TEAMS
    no_panel = _("No panel has been drawn for this team application yet.")


class TeamDrawSerializer(DrawSerializer):
    chain = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text=_("the industrial chain of the team's project: its experts and the general ones are eligible"),
    )  # fmt: skip


class TeamPanelView(_Team, RefusalsAnswer400, APIView):
    """A team application's review panel: ``GET`` shows it; ``POST`` draws it (again, while nobody has scored)."""

    write_roles = DRAW_ROLES

    @extend_schema(summary=_("The team application's review panel."), responses=PanelSerializer)
    def get(self, request, pk):
        return Response(panel_answer(request.user, self.panel(self.subject(request, pk))))

    @extend_schema(
        summary=_("Draw the team application's review panel (an administrator or the talent office)."),
        request=TeamDrawSerializer,
        responses={201: PanelSerializer},
    )
    def post(self, request, pk):
        return self.draw(request, pk, TeamDrawSerializer)


class TeamDeclineView(_Team, RefusalsAnswer400, APIView):
    """A sitting member declines his seat (before scoring); a replacement is drawn at once."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("Decline your seat on the team application's panel."),
        request=DeclineSerializer,
        responses=PanelSerializer,
    )
    def post(self, request, pk):
        return self.decline(request, pk)


#: The scores' serializers of each subject's criteria (``review.api.score_serializers``, one copy for every module).
_TEAM = score_serializers("Team", panels.TEAM_CRITERIA)
TeamCriteriaSerializer, TeamScoreInputSerializer = _TEAM.criteria, _TEAM.score_input
TeamMemberScoreSerializer, TeamScoresSerializer = _TEAM.member_score, _TEAM.scores


class TeamScoresView(_Team, RefusalsAnswer400, APIView):
    """The panel's scores, sealed until every sitting member has submitted; a member submits his own."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("The team panel's scores (sealed until every member has submitted)."),
        responses=TeamScoresSerializer,
    )
    def get(self, request, pk):
        panel = self.panel(self.subject(request, pk))
        return Response(TeamScoresSerializer(scores_answer(request.user, panel)).data)

    @extend_schema(
        summary=_("Submit your own score on the team application (a sitting member; final)."),
        request=TeamScoreInputSerializer,
        responses={201: TeamScoresSerializer},
    )
    def post(self, request, pk):
        return self.score(request, pk, TeamScoreInputSerializer, TeamScoresSerializer)


# --- Applications to the innovation fund (grants) -------------------------------------------------------------------


class _Grant(_Subject):
    reviews = review.GRANTS
    no_panel = _("No panel has been drawn for this grant application yet.")


class GrantDrawSerializer(DrawSerializer):
    chain = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text=_("the industrial chain of the application: its experts and the general ones are eligible"),
    )  # fmt: skip


class GrantPanelView(_Grant, RefusalsAnswer400, APIView):
    """A grant application's review panel: ``GET`` shows it; ``POST`` draws it (again, while nobody has scored)."""

    write_roles = DRAW_ROLES

    @extend_schema(summary=_("The grant application's review panel."), responses=PanelSerializer)
    def get(self, request, pk):
        return Response(panel_answer(request.user, self.panel(self.subject(request, pk))))

    @extend_schema(
        summary=_("Draw the grant application's review panel (an administrator or the talent office)."),
        request=GrantDrawSerializer,
        responses={201: PanelSerializer},
    )
    def post(self, request, pk):
        return self.draw(request, pk, GrantDrawSerializer)


class GrantDeclineView(_Grant, RefusalsAnswer400, APIView):
    """A sitting member declines his seat (before scoring); a replacement is drawn at once."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("Decline your seat on the grant application's panel."),
        request=DeclineSerializer,
        responses=PanelSerializer,
    )
    def post(self, request, pk):
        return self.decline(request, pk)


_GRANT = score_serializers("Grant", panels.FUND_CRITERIA)
GrantCriteriaSerializer, GrantScoreInputSerializer = _GRANT.criteria, _GRANT.score_input
GrantMemberScoreSerializer, GrantScoresSerializer = _GRANT.member_score, _GRANT.scores


class GrantScoresView(_Grant, RefusalsAnswer400, APIView):
    """The panel's scores, sealed until every sitting member has submitted; a member submits his own."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("The grant panel's scores (sealed until every member has submitted)."),
        responses=GrantScoresSerializer,
    )
    def get(self, request, pk):
        panel = self.panel(self.subject(request, pk))
        return Response(GrantScoresSerializer(scores_answer(request.user, panel)).data)

    @extend_schema(
        summary=_("Submit your own score on the grant application (a sitting member; final)."),
        request=GrantScoreInputSerializer,
        responses={201: GrantScoresSerializer},
    )
    def post(self, request, pk):
        return self.score(request, pk, GrantScoreInputSerializer, GrantScoresSerializer)


PATHS = [
    path("talent/team-applications/<int:pk>/panel/", TeamPanelView.as_view(), name="api-team-panel"),
    path("talent/team-applications/<int:pk>/panel/decline/", TeamDeclineView.as_view(), name="api-team-panel-decline"),
    path("talent/team-applications/<int:pk>/scores/", TeamScoresView.as_view(), name="api-team-scores"),
    path("talent/grants/<int:pk>/panel/", GrantPanelView.as_view(), name="api-grant-panel"),
    path("talent/grants/<int:pk>/panel/decline/", GrantDeclineView.as_view(), name="api-grant-panel-decline"),
    path("talent/grants/<int:pk>/scores/", GrantScoresView.as_view(), name="api-grant-scores"),
]
