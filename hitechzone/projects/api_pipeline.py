"""M3's decision, pipeline and stats over the API (issue 14, items 8, 9, 12; docs/0010).

``ProjectViewSet`` (api.py) takes :class:`PipelineActions` and its serializer :class:`PipelineFields`:

- ``POST projects/{id}/decision/`` ``{outcome: "admit"|"conditional"|"reject", reasons, conditions}``: a leader
  decides, once (a second decision is a 400); answers the project, its ``decision`` included.
- ``POST projects/{id}/stage/`` ``{stage, on, reason}``: the project's officer or an administrator moves it
  (``on`` defaults to today); answers the project.
- ``GET projects/stats/?year=``: the year's figures (``stats.py`` defines each).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hitechzone.common.api import inline_choice_field
from hitechzone.common.params import api_year

from . import pipeline, stats
from .models import Project, ProjectDecision
from .roles import DECIDERS, MOVERS

NUMBER = {"coerce_to_string": False}
OutcomeField = inline_choice_field(ProjectDecision.Outcome.choices, "ProjectDecisionOutcome")
MoveStageField = inline_choice_field(Project.Stage.choices, "ProjectMoveStage")


class DecisionRulesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    version = serializers.IntegerField()


class DecisionCheckSerializer(serializers.Serializer):
    rule = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    value = serializers.CharField(allow_null=True, help_text=_("as shown: rounded to 2 places, or a word"))
    threshold = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_blank=True)
    comparison = serializers.CharField(allow_blank=True, help_text=_('">=" or "<=" for the figures'))


class DecisionSerializer(serializers.ModelSerializer):
    outcome = OutcomeField(read_only=True)
    rules = DecisionRulesSerializer(read_only=True, allow_null=True, help_text=_("the rules version the checks used"))
    checks = DecisionCheckSerializer(many=True, read_only=True, help_text=_("the admission checks the leader saw"))

    class Meta:
        model = ProjectDecision
        fields = ["outcome", "reasons", "conditions", "decided_by", "decided_on", "rules", "checks", "checks_passed"]
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer):
    outcome = OutcomeField(help_text=_("admit, conditional (admit with conditions) or reject"))
    reasons = serializers.CharField(help_text=_("why"))
    conditions = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("required for conditional, empty otherwise")
    )


class StageMoveSerializer(serializers.Serializer):
    stage = MoveStageField(
        help_text=_(
            "the next stage of the road (one at a time), paused, the stage a paused project was paused from "
            "(resume), or terminated (with a reason)"
        )
    )
    on = serializers.DateField(required=False, help_text=_("the move's date; today if left out"))
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("required to terminate"))


@extend_schema_field(
    {
        "type": "object",
        "description": "stage → the date of the move into it (lead: the day the project was recorded)",
        "additionalProperties": {"type": "string", "format": "date"},
    }
)
class StageDatesField(serializers.Field):
    def to_representation(self, project):
        return {stage: on.isoformat() for stage, on in _dates(project).items()}


def _dates(project):
    cached = getattr(project, "_stage_dates", None)
    if cached is None:
        cached = project._stage_dates = pipeline.stage_dates(project, project.stage_events.all())
    return cached


class PipelineFields(serializers.Serializer):
    """The project's decision and road, for ``ProjectSerializer`` (read only)."""

    decision = DecisionSerializer(
        read_only=True, allow_null=True, help_text=_("the leader's decision; null until he decides")
    )
    stage_dates = StageDatesField(source="*", read_only=True)
    days_negotiation_to_landing = serializers.SerializerMethodField(
        help_text=_("days from the 洽谈 date to the 供地 (landing, 落地) date; null until both are known")
    )

    @extend_schema_field(OpenApiTypes.INT)
    def get_days_negotiation_to_landing(self, project):
        return pipeline.days_negotiation_to_landing(_dates(project))


#: ``ProjectSerializer``'s fields from :class:`PipelineFields`.
PIPELINE_FIELDS = ["decision", "stage_dates", "days_negotiation_to_landing"]
#: What ``ProjectViewSet`` joins and prefetches for them.
SELECT_RELATED = ("decision", "decision__rules")
PREFETCH_RELATED = ("stage_events",)


#: One count per stage, each named (the schema lists the ten keys).
StageCountsSerializer = type(
    "ProjectStageCountsSerializer",
    (serializers.Serializer,),
    {stage.value: serializers.IntegerField(help_text=stage.label) for stage in Project.Stage},
)


class PipelineStatsSerializer(serializers.Serializer):
    by_stage = StageCountsSerializer(
        help_text=_(
            "projects at each stage on 31 December of the year (today for the year under way), among those recorded "
            "or moved by then"
        )
    )
    reviewed = serializers.IntegerField(help_text=_("decisions the leaders took in the year, any outcome"))
    admitted = serializers.IntegerField(help_text=_("of those, to admit"))
    conditional = serializers.IntegerField(help_text=_("of those, to admit with conditions"))
    rejected = serializers.IntegerField(help_text=_("of those, to reject"))
    admitted_investment_wan_yuan = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        **NUMBER,
        help_text=_("total investment (10k yuan) of the projects admitted or admitted with conditions in the year"),
    )
    landed = serializers.IntegerField(
        help_text=_("projects that reached 供地 (land supplied: landed, 落地) in the year")
    )
    median_days_negotiation_to_landing = serializers.FloatField(
        allow_null=True,
        help_text=_("of the projects landed in the year, the median days from their 洽谈 date to their 供地 date"),
    )
    target_investor_share = serializers.FloatField(
        allow_null=True,
        help_text=_(
            "of the projects recorded in the year, the share (0 to 1) whose investor ranks in the Fortune Global 500 "
            "or in the first 200 of China's top 500 (the zone's targets); null without new projects"
        ),
    )


class PipelineActions:
    """The decision, the stage moves and the stats, as actions of ``ProjectViewSet``."""

    def _project_answer(self, project):
        fresh = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        summary=_("A leader decides on the project's admission (final); answers the project with its decision."),
        request=DecisionInputSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=DECIDERS, pagination_class=None, filterset_class=None)
    def decision(self, request, pk=None):
        project = self.get_object()
        body = DecisionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pipeline.project_decide(project=project, by=request.user, **body.validated_data)
        return self._project_answer(project)

    @extend_schema(
        summary=_("The project's officer or an administrator moves it along the pipeline."),
        request=StageMoveSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=MOVERS, pagination_class=None, filterset_class=None)
    def stage(self, request, pk=None):
        project = self.get_object()
        if not Project.objects.editable(request.user).filter(pk=project.pk).exists():
            raise NotFound  # another officer's project is not his to move
        body = StageMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        pipeline.project_move(
            project=project,
            to_stage=data["stage"],
            on=data.get("on") or timezone.localdate(),
            by=request.user,
            reason=data.get("reason", ""),
        )
        return self._project_answer(project)

    @extend_schema(
        summary=_("The pipeline's figures of a year, over the projects the caller sees."),
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("this year if left out"))],
        responses=PipelineStatsSerializer,
    )
    @action(detail=False, methods=["get"], url_path="stats", pagination_class=None, filterset_class=None)
    def stats(self, request):
        year = api_year(request, timezone.localdate().year)
        return Response(PipelineStatsSerializer(stats.pipeline_stats(user=request.user, year=year)).data)
