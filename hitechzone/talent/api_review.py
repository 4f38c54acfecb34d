"""M6's expert review over the API (docs/0013), the shapes of M3's panel endpoints (``review.api``):

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
from hitechzone.review.api import DeclineSerializer, DrawSerializer, PanelSerializer, panel_answer, scores_answer

from . import review, roles
from .models import TeamApplication

#: Who reads a team's panel: the module's staff (administrators, leaders, the talent office: checked) and experts
#: (the applications of the panels they sit on: scoped).
PANEL_ROLES = frozenset({roles.ADMIN, roles.LEADER, roles.DEPT, roles.Role.EXPERT})
DRAW_ROLES = frozenset({roles.ADMIN, roles.DEPT})
REVIEWERS = frozenset({roles.Role.EXPERT})


def _application(request, pk) -> TeamApplication:
    """The application among those the user may see (else 404); 403 for a role the panel is not for."""
    application = get_object_or_404(TeamApplication.objects.for_user(request.user), pk=pk)
    role = roles.effective_role(request.user)
    if role not in PANEL_ROLES or (role == roles.DEPT and not roles.is_talent_office(request.user)):
        raise PermissionDenied(_("The review panel is not shown to your role."))
    return application


def _panel(application: TeamApplication):
    panel = review.panel_of(application)
    if panel is None:
        raise NotFound(_("No panel has been drawn for this team application yet."))
    return panel


class TeamDrawSerializer(DrawSerializer):
    chain = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text=_("the industrial chain of the team's project: its experts and the general ones are eligible"),
    )  # fmt: skip


class TeamPanelView(RefusalsAnswer400, APIView):
    """A team application's review panel: ``GET`` shows it; ``POST`` draws it (again, while nobody has scored)."""

    write_roles = DRAW_ROLES

    @extend_schema(summary=_("The team application's review panel."), responses=PanelSerializer)
    def get(self, request, pk):
        return Response(panel_answer(request.user, _panel(_application(request, pk))))

    @extend_schema(
        summary=_("Draw the team application's review panel (an administrator or the talent office)."),
        request=TeamDrawSerializer,
        responses={201: PanelSerializer},
    )
    def post(self, request, pk):
        application = _application(request, pk)
        if not review.can_draw(request.user, application):
            raise PermissionDenied(_("Only an administrator or the talent office draws a team's panel."))
        body = TeamDrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        panel = review.panel_draw(by=request.user, application=application, **body.validated_data)
        return Response(panel_answer(request.user, panel), status=status.HTTP_201_CREATED)


class TeamDeclineView(RefusalsAnswer400, APIView):
    """A sitting member declines his seat (before scoring); a replacement is drawn at once."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("Decline your seat on the team application's panel."),
        request=DeclineSerializer,
        responses=PanelSerializer,
    )
    def post(self, request, pk):
        application = _application(request, pk)
        if review.member_of(request.user, application) is None:
            raise PermissionDenied(_("Only a sitting member of the panel declines his seat."))
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        seat = review.member_decline(by=request.user, application=application, **body.validated_data)
        return Response(panel_answer(request.user, seat.panel))


def _points(chinese: str):
    return serializers.IntegerField(min_value=panels.MIN_POINTS, max_value=panels.MAX_POINTS, help_text=chinese)


class TeamCriteriaSerializer(serializers.Serializer):
    innovation = _points("创新性")
    team = _points("团队实力")
    market = _points("市场前景")
    feasibility = _points("可行性")
    chain_fit = _points("产业链契合度")


class TeamScoreInputSerializer(serializers.Serializer):
    criteria = TeamCriteriaSerializer()
    comment = serializers.CharField(required=False, allow_blank=True)
    veto = serializers.BooleanField(required=False, default=False, help_text=_("a veto (一票否决), e.g. on safety"))
    veto_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, data):
        if data.get("veto") and not (data.get("veto_reason") or "").strip():
            raise serializers.ValidationError({"veto_reason": _("A veto needs its reason.")})
        return data


class TeamMemberScoreSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    criteria = TeamCriteriaSerializer()
    total = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    veto = serializers.BooleanField()
    veto_reason = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)


class TeamScoresSerializer(serializers.Serializer):
    sealed = serializers.BooleanField(help_text=_("true until every sitting member has submitted"))
    submitted = serializers.ListField(child=serializers.IntegerField(), help_text=_("expert ids"))
    members = TeamMemberScoreSerializer(many=True, help_text=_("while sealed: the caller's own score only"))
    panel_score = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False, allow_null=True)
    recommendation = serializers.ChoiceField(choices=[c for c, _l in panels.RECOMMENDATIONS], allow_null=True)
    weights = serializers.DictField(child=serializers.CharField(), help_text=_("criterion → percent"))


class TeamScoresView(RefusalsAnswer400, APIView):
    """The panel's scores, sealed until every sitting member has submitted; a member submits his own."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("The team panel's scores (sealed until every member has submitted)."),
        responses=TeamScoresSerializer,
    )
    def get(self, request, pk):
        panel = _panel(_application(request, pk))
        return Response(TeamScoresSerializer(scores_answer(request.user, panel)).data)

    @extend_schema(
        summary=_("Submit your own score on the team application (a sitting member; final)."),
        request=TeamScoreInputSerializer,
        responses={201: TeamScoresSerializer},
    )
    def post(self, request, pk):
        application = _application(request, pk)
        if review.member_of(request.user, application) is None:
            raise PermissionDenied(_("Only a sitting member of the panel scores it."))
        body = TeamScoreInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review.score_submit(by=request.user, application=application, **body.validated_data)
        panel = review.panel_of(application)
        return Response(TeamScoresSerializer(scores_answer(request.user, panel)).data, status=status.HTTP_201_CREATED)


PATHS = [
    path("talent/team-applications/<int:pk>/panel/", TeamPanelView.as_view(), name="api-team-panel"),
    path("talent/team-applications/<int:pk>/panel/decline/", TeamDeclineView.as_view(), name="api-team-panel-decline"),
    path("talent/team-applications/<int:pk>/scores/", TeamScoresView.as_view(), name="api-team-scores"),
]
