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

from . import panel_services, panels, pool
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


class DrawSerializer(serializers.Serializer):
    size = serializers.IntegerField(required=False, help_text=_("odd, 5 to 15; 5 if left out"))
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=panels.MAX_SEED, help_text=_("drawn at random if left out")
    )


class MemberSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    academician = serializers.BooleanField()
    status = serializers.CharField()
    replaces = serializers.IntegerField(allow_null=True, help_text=_("the expert whose seat this member took"))


class ExcludedSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField(
        help_text=_("affiliation, former_affiliation, declared_conflict, inactive or specialty")
    )
    reason = serializers.CharField()


class PanelSerializer(serializers.Serializer):
    seed = serializers.IntegerField()
    size = serializers.IntegerField()
    chain = serializers.CharField(allow_blank=True)
    drawn_on = serializers.DateField()
    weights_version = serializers.IntegerField()
    members = MemberSerializer(many=True)
    eligible = serializers.ListField(child=serializers.IntegerField(), help_text=_("expert ids, as the draw read them"))
    excluded = ExcludedSerializer(many=True)
    replacements = serializers.ListField(child=serializers.DictField(), help_text=_("each replacement's seed and pool"))


def panel_answer(user, panel: Panel) -> dict:
    """The panel as the API shows it, already in :class:`PanelSerializer`'s shape and types (the views answer it as
    it is: run through the serializer, the ~1,500 exclusions of a draw from 2,000 experts took as long as the draw's
    SQL; bench/README.md, issue 14). An expert sees the members, not who was excluded nor why."""
    seats = list(panel.members.select_related("expert", "replaces").order_by("seat"))
    auditor = user.effective_role != Role.EXPERT
    names = pool.read().names if auditor and panel.excluded else {}
    reasons = panels.reason_texts()
    return {
        "seed": panel.seed,
        "size": panel.size,
        "chain": panel.chain,
        "drawn_on": panel.drawn_on,
        "weights_version": panel.weights.version,
        "members": [
            {
                "expert": s.expert_id,
                "name": s.expert.name,
                "title": s.expert.title,
                "academician": s.expert.academician,
                "status": s.status,
                "replaces": s.replaces.expert_id if s.replaces_id else None,
            }
            for s in seats
        ],
        "eligible": panel.eligible if auditor else [],
        "excluded": [
            {
                "expert": e["expert"],
                "name": names.get(e["expert"], ""),
                "code": e["code"],
                "reason": reasons(e),
            }
            for e in (panel.excluded if auditor else [])
        ],
        "replacements": panel.replacements if auditor else [],
    }


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


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


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


class CriteriaSerializer(serializers.Serializer):
    industry_fit = serializers.IntegerField(min_value=0, max_value=100, help_text="产业导向")
    investment_intensity = serializers.IntegerField(min_value=0, max_value=100, help_text="投资强度")
    safety_environment = serializers.IntegerField(min_value=0, max_value=100, help_text="安全环保")
    industry_linkage = serializers.IntegerField(min_value=0, max_value=100, help_text="产业关联")
    technology = serializers.IntegerField(min_value=0, max_value=100, help_text="技术先进性")
    economic_benefit = serializers.IntegerField(min_value=0, max_value=100, help_text="经济效益")


class ScoreInputSerializer(serializers.Serializer):
    criteria = CriteriaSerializer()
    comment = serializers.CharField(required=False, allow_blank=True)
    veto = serializers.BooleanField(required=False, default=False, help_text=_("a veto (一票否决), e.g. on safety"))
    veto_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, data):
        if data.get("veto") and not (data.get("veto_reason") or "").strip():
            raise serializers.ValidationError({"veto_reason": _("A veto needs its reason.")})
        return data


class MemberScoreSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    criteria = CriteriaSerializer()
    total = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    veto = serializers.BooleanField()
    veto_reason = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)


class ScoresSerializer(serializers.Serializer):
    sealed = serializers.BooleanField(help_text=_("true until every sitting member has submitted"))
    submitted = serializers.ListField(child=serializers.IntegerField(), help_text=_("expert ids"))
    members = MemberScoreSerializer(many=True, help_text=_("while sealed: the caller's own score only"))
    panel_score = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False, allow_null=True)
    recommendation = serializers.ChoiceField(choices=[c for c, _l in panels.RECOMMENDATIONS], allow_null=True)
    weights = serializers.DictField(child=serializers.CharField(), help_text=_("criterion → percent"))


def scores_answer(user, panel: Panel) -> dict:
    view = panel_services.scores_view(user, panel)
    return {
        "sealed": view.sealed,
        "submitted": view.submitted,
        "members": [
            {
                "expert": s.expert_id,
                "name": s.expert.name,
                "criteria": s.score.criteria,
                "total": s.score.total,
                "veto": s.score.veto,
                "veto_reason": s.score.veto_reason,
                "comment": s.score.comment,
            }
            for s in view.members
        ],
        "panel_score": view.panel_score,
        "recommendation": view.recommendation,
        "weights": panel.weights.weights,
    }


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
