"""M3's expert panels over the API (issue 14, "API contract"; docs/0009).

- ``experts/``: the pool (administrators, leaders and officers read it, an expert his own entry; administrators
  write).
- ``projects/{id}/panel/``: ``GET`` the panel; ``POST {size, seed}`` (both optional) draws it (an administrator, a
  leader or the project's own officer); a refusal (too few eligible, no academician, scoring started) is a 400
  naming what is missing, with nothing stored. ``projects/{id}/panel/decline/``: a sitting member declines.
- ``projects/{id}/scores/``: ``GET`` sealed until every sitting member has submitted (``members``: the caller's own
  score only); ``POST`` the caller's own score (a sitting member, once).

The project is looked up among those the user may see (another's: 404); the panel and the scores are the
committee's and the experts' business: an enterprise (the investor's own login) is refused them (403).
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

from hitechzone.accounts.models import Role, User
from hitechzone.common.api import RefusalsAnswer400, ScopedModelViewSet

# The panel's answers are the shared review's (docs/0013): one shape for M3's and M6's panels.
from hitechzone.review.api import (  # noqa: F401
    DeclineSerializer,
    DrawSerializer,
    ExcludedSerializer,
    MemberSerializer,
    PanelSerializer,
    panel_answer,
    score_serializers,
    scores_answer,
)

from . import panel_services, panels
from .models import Expert, Panel, Project
from .roles import DRAW_ROLES, PANEL_ROLES, REVIEWERS

# --- The pool -------------------------------------------------------------------------------------------------------


class FormerAffiliationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=128)
    until = serializers.DateField(help_text=_("the last day there"))


class ExpertUserField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(role=Role.EXPERT)


class ExpertSerializer(serializers.ModelSerializer):
    specialties = serializers.ListField(
        child=serializers.CharField(max_length=32), help_text=_('chain codes, or "general"')
    )
    former_affiliations = FormerAffiliationSerializer(many=True, required=False)
    declared_conflicts = serializers.ListField(
        child=serializers.CharField(max_length=128), required=False, help_text=_("organisation names or USCCs")
    )
    user = ExpertUserField(
        required=False, allow_null=True, help_text=_("the expert's login (a user of the role expert)")
    )

    class Meta:
        model = Expert
        fields = ["id", *panel_services.EXPERT_FIELDS, "created_at"]
        read_only_fields = ["id", "created_at"]


class ExpertViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """The expert pool (专家库) panels are drawn from. Administrators add and change experts."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = panel_services.POOL_KEEPERS
    queryset = Expert.objects.order_by("name", "pk")
    serializer_class = ExpertSerializer

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        expert = panel_services.expert_create(by=request.user, **body.validated_data)
        return Response(self.get_serializer(expert).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        expert = self.get_object()
        body = self.get_serializer(expert, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        expert = panel_services.expert_update(by=request.user, expert=expert, **body.validated_data)
        return Response(self.get_serializer(expert).data)

    def update(self, request, *args, **kwargs):  # PATCH only
        return self.partial_update(request, *args, **kwargs)


# --- The panel ------------------------------------------------------------------------------------------------------


def _project(request, pk) -> Project:
    """The project among those the user may see (else 404); 403 for a role the panel is not for."""
    project = get_object_or_404(Project.objects.for_user(request.user).select_related("investor", "chain"), pk=pk)
    if request.user.effective_role not in PANEL_ROLES:
        raise PermissionDenied(_("The review panel is not shown to your role."))
    return project


def _panel(project: Project) -> Panel:
    panel = Panel.objects.filter(project=project).select_related("weights").first()
    if panel is None:
        raise NotFound(_("No panel has been drawn for this project yet."))
    return panel


class PanelView(RefusalsAnswer400, APIView):
    """A project's review panel: ``GET`` shows it; ``POST`` draws it (again, while nobody has scored)."""

    write_roles = DRAW_ROLES

    @extend_schema(summary=_("The project's review panel."), responses=PanelSerializer)
    def get(self, request, pk):
        panel = _panel(_project(request, pk))
        return Response(panel_answer(request.user, panel))

    @extend_schema(
        summary=_("Draw the project's review panel (an administrator, a leader or the project's officer)."),
        request=DrawSerializer,
        responses={201: PanelSerializer},
    )
    def post(self, request, pk):
        project = _project(request, pk)
        if not panel_services.can_draw(request.user, project):
            raise PermissionDenied(_("Only an administrator, a leader or the project's own officer draws its panel."))
        body = DrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        panel = panel_services.panel_draw(by=request.user, project=project, **body.validated_data)
        return Response(panel_answer(request.user, panel), status=status.HTTP_201_CREATED)


class DeclineView(RefusalsAnswer400, APIView):
    """A sitting member declines his seat (before scoring); a replacement is drawn at once."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("Decline your seat on the project's panel."), request=DeclineSerializer, responses=PanelSerializer
    )
    def post(self, request, pk):
        project = _project(request, pk)
        if panel_services.member_of(request.user, project) is None:
            raise PermissionDenied(_("Only a sitting member of the panel declines his seat."))
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        seat = panel_services.member_decline(by=request.user, project=project, **body.validated_data)
        return Response(panel_answer(request.user, seat.panel))


# --- The scores -----------------------------------------------------------------------------------------------------


#: The scores' serializers for M3's criteria (``review.api.score_serializers``; the schema's names unchanged).
_SCORES = score_serializers("", panels.CRITERIA)
CriteriaSerializer = _SCORES.criteria
ScoreInputSerializer = _SCORES.score_input
MemberScoreSerializer = _SCORES.member_score
ScoresSerializer = _SCORES.scores


class ScoresView(RefusalsAnswer400, APIView):
    """The panel's scores, sealed until every sitting member has submitted; a member submits his own."""

    write_roles = REVIEWERS

    @extend_schema(
        summary=_("The panel's scores (sealed until every member has submitted)."), responses=ScoresSerializer
    )
    def get(self, request, pk):
        panel = _panel(_project(request, pk))
        return Response(ScoresSerializer(scores_answer(request.user, panel)).data)

    @extend_schema(
        summary=_("Submit your own score (a sitting member; final)."),
        request=ScoreInputSerializer,
        responses={201: ScoresSerializer},
    )
    def post(self, request, pk):
        project = _project(request, pk)
        if panel_services.member_of(request.user, project) is None:
            raise PermissionDenied(_("Only a sitting member of the panel scores it."))
        body = ScoreInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        score = panel_services.score_submit(by=request.user, project=project, **body.validated_data)
        panel = Panel.objects.select_related("weights").get(pk=score.member.panel_id)
        return Response(ScoresSerializer(scores_answer(request.user, panel)).data, status=status.HTTP_201_CREATED)


ROUTES = [("experts", ExpertViewSet, "expert")]
PATHS = [
    path("projects/<int:pk>/panel/", PanelView.as_view(), name="api-project-panel"),
    path("projects/<int:pk>/panel/decline/", DeclineView.as_view(), name="api-project-panel-decline"),
    path("projects/<int:pk>/scores/", ScoresView.as_view(), name="api-project-scores"),
]
