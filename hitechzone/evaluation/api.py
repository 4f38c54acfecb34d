"""The M4 evaluation API: schemes and their versions, runs and their results (with each result's explanation),
exemptions and vetoes.

Every write calls ``services``; a refusal (``Refused``) answers 400 ``{"detail": message}``, an invalid body 400
with the field errors, and a role that may never write there 403, before anything is looked up. Reads start from
``Model.objects.for_user(user)``: administrators and leaders see every run; officers and enterprise users only
the published ones and, in them, only the results of the enterprises they serve or are. A run or result outside
the user's scope answers 404. Department staff and experts see no run, result, exemption or veto; schemes are
reference data (the published formula) every signed-in user reads.

``POST /evaluation-runs/`` evaluates synchronously and answers the finished run; its results are
``GET /evaluation-runs/{id}/results/`` (ordered by group, then rank) and each result is explained at
``GET /evaluation-results/{id}/explain/``.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from hitechzone.common.api import (
    MAX_ID,
    Pagination,
    RefusalsAnswer400,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ids_q,
)
from hitechzone.zone.models import Brand

from . import queries, services
from . import serializers as s
from .models import EvaluationResult, EvaluationRun, Exemption, Group, Klass, Scheme, SchemeVersion, Veto
from .roles import EDITORS, PUBLISH_ROLES

PUBLISHERS = PUBLISH_ROLES


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """``?group=above,below``: one or more of the choices."""


class Answers400(RefusalsAnswer400):
    """A refusal, or a Django ``ValidationError`` a service raises (e.g. an invalid scheme), answers 400."""

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            exc = ValidationError(as_serializer_error(exc))
        return super().handle_exception(exc)


# --- Schemes ----------------------------------------------------------------------------------------------------


class SchemeViewSet(Answers400, ScopedModelViewSet):
    """Evaluation schemes (the zone's default and any for a brand): every signed-in user reads them, with every
    version's definition in the detail.

    An administrator creates a scheme with its first version (``POST``) and revises it (``POST {id}/versions/``:
    a new version used from ``effective_from`` on; the runs keep the version they used).
    """

    http_method_names = ["get", "post", "head", "options"]
    queryset = Scheme.objects.order_by("name")
    serializer_class = s.EvaluationSchemeSerializer
    select_related = ("brand", "current")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                Prefetch("versions", SchemeVersion.objects.select_related("created_by").order_by("-number"))
            )
        return queryset

    def get_serializer_class(self):
        return s.EvaluationSchemeSerializer if self.action == "list" else s.EvaluationSchemeDetailSerializer

    @extend_schema(request=s.EvaluationSchemeCreateSerializer, responses={201: s.EvaluationSchemeDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = s.EvaluationSchemeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        scheme = services.scheme_create(by=request.user, **body.validated_data)
        fresh = self.get_queryset().get(pk=scheme.pk)
        return Response(s.EvaluationSchemeDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Revise a scheme: a new version, used for the years from effective_from on."),
        request=s.EvaluationSchemeReviseSerializer,
        responses={201: s.EvaluationSchemeVersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        scheme = self.get_object()
        body = s.EvaluationSchemeReviseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = services.scheme_revise(by=request.user, scheme=scheme, **body.validated_data)
        fresh = SchemeVersion.objects.select_related("scheme", "created_by").get(pk=version.pk)
        return Response(s.EvaluationSchemeVersionSerializer(fresh).data, status=status.HTTP_201_CREATED)


# --- Runs -------------------------------------------------------------------------------------------------------


class RunFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("year evaluated"))
    published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("published")
    )
    scheme = django_filters.CharFilter(field_name="scheme_version__scheme__name", label=_("scheme name"))
    status = ChoiceInFilter(choices=EvaluationRun.Status.choices, label=_("status (comma-separated for several)"))

    class Meta:
        model = EvaluationRun
        fields = []


class RunViewSet(Answers400, ScopedModelViewSet):
    """Evaluation runs (亩均评价): administrators and leaders see every run, officers and enterprise users the
    published ones.

    An administrator runs the evaluation of a year (``POST`` with ``year`` and optionally ``scheme``, a scheme
    name; the default scheme's version for the year otherwise): the run is computed at once and answered
    finished, with its counts and summary. A leader or an administrator publishes it (``POST {id}/publish/``);
    only then do enterprises and their officers see it. A newer published run of the same year supersedes the
    older one.
    """

    http_method_names = ["get", "post", "head", "options"]
    write_roles = EDITORS  # runs; publishing: PUBLISHERS
    queryset = EvaluationRun.objects.order_by("-year", "-created_at", "-id")
    serializer_class = s.EvaluationRunSerializer
    filterset_class = RunFilter
    select_related = ("scheme_version__scheme", "brand", "created_by", "published_by")

    def get_serializer_class(self):
        return s.EvaluationRunSerializer if self.action == "list" else s.EvaluationRunDetailSerializer

    def _answer(self, run: EvaluationRun, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=run.pk).first() or run
        return Response(s.EvaluationRunDetailSerializer(fresh).data, status=code)

    @extend_schema(
        summary=_("Evaluate a year (synchronously) and answer the finished run."),
        request=s.EvaluationRunCreateSerializer,
        responses={201: s.EvaluationRunDetailSerializer},
    )
    def create(self, request, *args, **kwargs):
        body = s.EvaluationRunCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.run_evaluation(by=request.user, **body.validated_data)
        return self._answer(run, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Publish a run: enterprises and their officers see its results from now on."),
        request=None,
        responses=s.EvaluationRunDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=PUBLISHERS)
    def publish(self, request, pk=None):
        run = services.run_publish(by=request.user, run=self.get_object())
        return self._answer(run)


# --- Results ----------------------------------------------------------------------------------------------------


class ResultFilter(django_filters.FilterSet):
    """``class`` (the result's class) is added below: it is a Python keyword."""

    group = ChoiceInFilter(choices=Group.choices, label=_("group: above, below or excluded (comma-separated)"))
    brand = django_filters.CharFilter(method="filter_brand", label=_("brand code or id of the enterprise"))
    industry = django_filters.CharFilter(field_name="industry_code", label=_("industry division code"))
    vetoed = django_filters.BooleanFilter(label=_("vetoed (一票否决)"))
    q = django_filters.CharFilter(method="filter_q", label=_("name or USCC contains"))

    class Meta:
        model = EvaluationResult
        fields = []

    def filter_brand(self, queryset, name, value):
        # The brand ids first (one query on the small table), then a plain IN on the enterprises' brand.
        values = [v.strip() for v in value.split(",") if v.strip()]
        codes = [v for v in values if not v.isdecimal()]
        brand_ids = [n for n in (int(v) for v in values if v.isdecimal()) if n <= MAX_ID]
        if codes:
            brand_ids += list(Brand.objects.filter(code__in=codes).values_list("pk", flat=True))
        return queryset.filter(enterprise__brand_id__in=brand_ids)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper())) if value else queryset


ResultFilter.base_filters["class"] = ChoiceInFilter(
    field_name="klass", choices=Klass.choices, label=_("class: A, B, C or D (comma-separated)")
)


class AllResultsFilter(ResultFilter):
    run = django_filters.CharFilter(method="filter_run", label=_("run id"))
    year = django_filters.NumberFilter(field_name="run__year", label=_("year evaluated"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))

    def filter_run(self, queryset, name, value):
        return queryset.filter(ids_q("run", value))

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))


AllResultsFilter.base_filters["class"] = ResultFilter.base_filters["class"]

RESULT_ORDER = ("group", "rank", "uscc")  # above, below, excluded (alphabetical); the excluded have no rank


class RunResultsView(generics.ListAPIView):
    """The results of a run, group by group (above, below, excluded) in rank order.

    The run must be one the user sees (404 otherwise); an officer or an enterprise user gets the rows of the
    enterprises they serve or are, once the run is published. ``class`` is null for the excluded.
    """

    serializer_class = s.EvaluationResultSerializer
    pagination_class = Pagination
    filterset_class = ResultFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvaluationResult.objects.none()
        user = self.request.user
        run = get_object_or_404(EvaluationRun.objects.for_user(user).only("pk"), pk=self.kwargs["run_id"])
        return EvaluationResult.objects.for_user(user).filter(run=run).order_by(*RESULT_ORDER)


class ResultViewSet(ScopedReadOnlyViewSet):
    """Evaluation results across runs (an enterprise's results year by year, for instance), scoped as the runs'
    results are: officers and enterprise users see the published ones of their enterprises.

    ``GET {id}/explain/`` explains one: each indicator's value, the benchmark, the sub-score and its share,
    the ranks in the group and the industry, last year's class and what it takes to reach the next class.
    """

    queryset = EvaluationResult.objects.order_by("-run__year", "-run_id", *RESULT_ORDER)
    serializer_class = s.EvaluationResultSerializer
    filterset_class = AllResultsFilter
    select_related = ("run",)

    def get_serializer_class(self):
        return s.EvaluationResultSerializer if self.action == "list" else s.EvaluationResultDetailSerializer

    @extend_schema(
        summary=_("Explain a result: each indicator against its benchmark, the ranks and the gap to the next class."),
        responses=s.EvaluationExplainSerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def explain(self, request, pk=None):
        return Response(s.EvaluationExplainSerializer(queries.explain(self.get_object())).data)


# --- Exemptions and vetoes --------------------------------------------------------------------------------------


class ExemptionFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))

    class Meta:
        model = Exemption
        fields = []

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))


class VetoFilter(ExemptionFilter):
    kind = ChoiceInFilter(choices=Veto.Kind.choices, label=_("kind (comma-separated for several)"))

    class Meta:
        model = Veto
        fields = []


class ExemptionViewSet(Answers400, ScopedModelViewSet):
    """Exemptions (免评): enterprises an administrator takes out of a year's evaluation, with the reason. Seen by
    administrators and leaders, an enterprise's officer and the enterprise itself."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Exemption.objects.order_by("-year", "enterprise__name", "id")
    serializer_class = s.EvaluationExemptionSerializer
    filterset_class = ExemptionFilter
    select_related = ("enterprise", "created_by")

    @extend_schema(request=s.EvaluationExemptionCreateSerializer, responses={201: s.EvaluationExemptionSerializer})
    def create(self, request, *args, **kwargs):
        body = s.EvaluationExemptionCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        exemption = services.exemption_set(by=request.user, **body.validated_data)
        fresh = self.get_queryset().get(pk=exemption.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.exemption_remove(by=request.user, exemption=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class VetoViewSet(Answers400, ScopedModelViewSet):
    """Vetoes (一票否决): a major safety or environmental accident in the year puts the enterprise in D. Seen by
    administrators and leaders, an enterprise's officer and the enterprise itself."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = Veto.objects.order_by("-year", "enterprise__name", "id")
    serializer_class = s.EvaluationVetoSerializer
    filterset_class = VetoFilter
    select_related = ("enterprise", "created_by")

    @extend_schema(request=s.EvaluationVetoCreateSerializer, responses={201: s.EvaluationVetoSerializer})
    def create(self, request, *args, **kwargs):
        body = s.EvaluationVetoCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        veto = services.veto_set(by=request.user, **body.validated_data)
        fresh = self.get_queryset().get(pk=veto.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.veto_remove(by=request.user, veto=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# (prefix, viewset, basename) registered on the v1 router, and plain paths under /api/v1/.
ROUTES = [
    ("evaluation-schemes", SchemeViewSet, "evaluation-scheme"),
    ("evaluation-runs", RunViewSet, "evaluation-run"),
    ("evaluation-results", ResultViewSet, "evaluation-result"),
    ("evaluation-exemptions", ExemptionViewSet, "evaluation-exemption"),
    ("evaluation-vetoes", VetoViewSet, "evaluation-veto"),
]
PATHS = [
    path("evaluation-runs/<int:run_id>/results/", RunResultsView.as_view(), name="api-evaluation-run-results"),
]
