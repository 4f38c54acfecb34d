"""Land exit API (腾笼换鸟): exit cases and their steps, the yearly reward policy, the inefficient enterprises.

Reads are scoped like the pages (``land``): admin and leaders everything, an officer the enterprises they serve, an
enterprise its own; department staff and experts see no case and no candidate. Every write calls ``land``; a
``Refused`` answers 400 ``{"detail": message}``. Administrators and leaders open and move cases; administrators
write the reward policy, which every signed-in user reads.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import (
    CodeOrIdRelatedField,
    RefusalsAnswer400,
    ScopedModelViewSet,
    ids_q,
    inline_choice_field,
)
from hitechzone.common.rules import Refused
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise
from hitechzone.zone.models import Parcel

from . import land
from .models import EvaluationResult, ExitCase, ExitPolicy, RewardBasis
from .roles import EXIT_MANAGERS

MANAGERS = EXIT_MANAGERS
S = ExitCase.Status
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}
RATE = {"max_digits": 10, "decimal_places": 4, "min_value": 0}

# --- Serializers ------------------------------------------------------------------------------------------------


ModeField = inline_choice_field(ExitCase.Mode.choices, "ExitMode")
TriggerField = inline_choice_field(ExitCase.Trigger.choices, "ExitTrigger")
StatusField = inline_choice_field(S.choices, "ExitStatus")
StepField = inline_choice_field([(s, label) for s, label in S.choices if s in land.FLOW[1:]], "ExitStep")
BasisField = inline_choice_field(RewardBasis.choices, "RewardBasis")


class ExitCaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    parcels = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    swap_parcels = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    successor_name = serializers.CharField(source="successor.name", read_only=True, default=None, allow_null=True)
    mode = ModeField(read_only=True)
    trigger = TriggerField(read_only=True)
    status = StatusField(read_only=True)
    reward_basis = BasisField(read_only=True)
    next_status = serializers.SerializerMethodField()

    class Meta:
        model = ExitCase
        fields = [
            "id",
            "code",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "mode",
            "trigger",
            "status",
            "next_status",
            "evaluation_result",
            "parcels",
            "swap_parcels",
            "land_freed_mu",
            "compensation_wan_yuan",
            "reward_basis",
            "reward_rate",
            "reward_wan_yuan",
            "identified_on",
            "negotiating_on",
            "agreed_on",
            "returned_on",
            "reused_on",
            "closed_on",
            "successor",
            "successor_name",
            "reuse",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"allOf": [{"type": "string"}, {"enum": list(land.FLOW)}], "nullable": True})
    def get_next_status(self, case) -> str | None:
        return land.next_status(case)


class ExitCaseOpenSerializer(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), help_text=_("enterprise id"))
    mode = ModeField()
    trigger = TriggerField()
    parcels = CodeOrIdRelatedField(many=True, queryset=Parcel.objects.all(), help_text=_("parcel codes or ids"))
    swap_parcels = CodeOrIdRelatedField(many=True, queryset=Parcel.objects.all(), required=False)
    identified_on = serializers.DateField(required=False, help_text=_("today if left out"))
    compensation_wan_yuan = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    reward_basis = BasisField(required=False, allow_null=True, help_text=_("the year's policy if left out"))
    reward_rate = serializers.DecimalField(
        **RATE, required=False, allow_null=True, help_text=_("the year's policy if left out")
    )
    evaluation_result = serializers.PrimaryKeyRelatedField(
        queryset=EvaluationResult.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("the latest published class D of the enterprise if left out and the trigger is class D"),
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class ExitCaseUpdateSerializer(serializers.Serializer):
    compensation_wan_yuan = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    reward_basis = BasisField(required=False)
    reward_rate = serializers.DecimalField(**RATE, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    swap_parcels = CodeOrIdRelatedField(many=True, queryset=Parcel.objects.all(), required=False)


class ExitCaseAdvanceSerializer(serializers.Serializer):
    to = StepField(help_text=_("the next status"))
    on = serializers.DateField(required=False, help_text=_("the day of the step; today if left out"))
    compensation_wan_yuan = serializers.DecimalField(
        **MONEY, required=False, help_text=_("agreed: the assessed compensation, if not on the case yet")
    )
    reuse = serializers.CharField(
        required=False, max_length=200, help_text=_("reused: what is placed on the land (required)")
    )
    successor = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.all(),
        required=False,
        help_text=_("reused: the enterprise id of the freed parcels' new land user"),
    )
    note = serializers.CharField(required=False, allow_blank=True, help_text=_("added to the notes"))


class ExitCaseCancelSerializer(serializers.Serializer):
    reason = serializers.CharField()
    on = serializers.DateField(required=False, help_text=_("today if left out"))


class ExitPolicySerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    reward_basis = BasisField()
    reward_rate = serializers.DecimalField(**RATE)

    class Meta:
        model = ExitPolicy
        fields = ["id", "year", "reward_basis", "reward_rate"]
        read_only_fields = ["id"]


class CandidateParcelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    area_mu = serializers.DecimalField(max_digits=12, decimal_places=4)


class CandidateSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise.pk")
    enterprise_name = serializers.CharField(source="enterprise.name")
    enterprise_uscc = serializers.CharField(source="enterprise.uscc")
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=[land.Reason.CLASS_D, land.Reason.SUSPENDED, land.Reason.NO_REVENUE])
    )
    parcels = CandidateParcelSerializer(many=True)
    total_mu = serializers.DecimalField(max_digits=14, decimal_places=4)
    klass = serializers.CharField(allow_blank=True, help_text=_("class in the year's published evaluation"))
    score = serializers.FloatField(allow_null=True)
    tax_per_mu = serializers.FloatField(allow_null=True, help_text=_("亩均税收 (10k yuan/mu)"))
    evaluation_result = serializers.IntegerField(source="result.pk", allow_null=True, default=None)
    trigger = TriggerField()
    open_case = serializers.IntegerField(source="open_case.pk", allow_null=True, default=None)
    open_case_code = serializers.CharField(source="open_case.code", allow_null=True, default=None)


class CandidatesSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    results = CandidateSerializer(many=True)


# --- Exit cases ---------------------------------------------------------------------------------------------------


class ExitCaseFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=S.choices)
    mode = django_filters.ChoiceFilter(choices=ExitCase.Mode.choices)
    year = django_filters.NumberFilter(field_name="identified_on", lookup_expr="year", label=_("year identified"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))
    q = django_filters.CharFilter(method="filter_q", label=_("case number or enterprise name contains"))

    class Meta:
        model = ExitCase
        fields = []

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(enterprise__name__icontains=value)) if value else queryset


class ExitCaseViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Land exit cases (腾笼换鸟): an inefficient enterprise leaving (协议退出) or swapping (协商置换) its land.

    Administrators and leaders open a case (``POST``), change its compensation, reward terms, notes or the parcels
    received in a swap (``PATCH``), move it one step on (``POST {id}/advance/``: negotiating → agreed → returned →
    reused → closed) or cancel it before the land is handed back (``POST {id}/cancel/``). Handing back frees the
    parcels given up and gives the enterprise those it receives; re-use may name the parcels' new land user.
    """

    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = MANAGERS
    queryset = ExitCase.objects.order_by("-identified_on", "-id")
    serializer_class = ExitCaseSerializer
    filterset_class = ExitCaseFilter
    select_related = ("enterprise", "successor")
    prefetch_related = (
        Prefetch("parcels", Parcel.objects.only("pk", "code").order_by("code")),
        Prefetch("swap_parcels", Parcel.objects.only("pk", "code").order_by("code")),
    )

    def _answer(self, case: ExitCase, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=case.pk).first() or case
        return Response(ExitCaseSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _body(self, request, serializer_class, *, partial: bool = False):
        # partial: a form-encoded PATCH that leaves a list out leaves it alone (instead of emptying it).
        body = serializer_class(data=request.data, partial=partial, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(
        summary=_("Open an exit case (the reward terms default to the year's policy)."),
        request=ExitCaseOpenSerializer,
        responses={201: ExitCaseSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self._body(request, ExitCaseOpenSerializer)
        case = land.case_open(by=request.user, **data)
        return self._answer(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Change the compensation, the reward terms, the notes or the parcels received in a swap."),
        request=ExitCaseUpdateSerializer,
        responses=ExitCaseSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        data = self._body(request, ExitCaseUpdateSerializer, partial=True)
        case = land.case_update(by=request.user, case=case, **data)
        return self._answer(case)

    def update(self, request, *args, **kwargs):  # PUT is not offered (http_method_names); PATCH only
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary=_("Move the case one step on, dated (never before its previous step, never in the future)."),
        request=ExitCaseAdvanceSerializer,
        responses=ExitCaseSerializer,
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        case = self.get_object()
        data = dict(self._body(request, ExitCaseAdvanceSerializer))
        to, on, note = data.pop("to"), data.pop("on", None), data.pop("note", "")
        case = land.case_advance(by=request.user, case=case, to=to, on=on, note=note, **data)
        return self._answer(case)

    @extend_schema(
        summary=_("Cancel the case before the land is handed back, with the reason."),
        request=ExitCaseCancelSerializer,
        responses=ExitCaseSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        case = self.get_object()
        data = self._body(request, ExitCaseCancelSerializer)
        case = land.case_cancel(by=request.user, case=case, **data)
        return self._answer(case)


# --- The reward policy --------------------------------------------------------------------------------------------


class ExitPolicyViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """The reward a year's exit cases start from (per mu freed, or a share of the compensation), by year.

    Every signed-in user reads it; administrators create (``POST``), change (``PATCH``) and remove it."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = ExitPolicy.objects.order_by("-year")
    serializer_class = ExitPolicySerializer
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"
    pagination_class = None

    def create(self, request, *args, **kwargs):
        body = ExitPolicySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        year = body.validated_data["year"]
        if ExitPolicy.objects.filter(year=year).exists():
            raise Refused(_("%(year)d already has a reward policy: change it instead.") % {"year": year})
        policy = land.policy_set(by=request.user, **body.validated_data)
        return Response(ExitPolicySerializer(policy).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        policy = self.get_object()
        body = ExitPolicySerializer(policy, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = {"reward_basis": policy.reward_basis, "reward_rate": policy.reward_rate, **body.validated_data}
        data.pop("year", None)
        policy = land.policy_set(by=request.user, year=policy.year, **data)
        return Response(ExitPolicySerializer(policy).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        land.policy_delete(by=self.request.user, policy=instance)


# --- The candidates -----------------------------------------------------------------------------------------------


class InefficientView(APIView):
    """The inefficient enterprises of a year (candidates for land exit) the user may see: class D in the year's
    published evaluation, or industrial land held by an enterprise that is suspended or has exited or that reported
    no revenue. Class D first, then by 亩均税收 ascending. Department staff and experts get an empty list."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year", OpenApiTypes.INT, description=_("the latest year with a published evaluation if left out")
            )
        ],
        responses=CandidatesSerializer,
    )
    def get(self, request):
        value = request.query_params.get("year", "")
        year = int(value) if value.isdecimal() and FIRST_YEAR <= int(value) <= LAST_YEAR else None
        year = land.candidates_year(year)
        rows = land.inefficient(user=request.user, year=year)
        return Response(CandidatesSerializer({"year": year, "results": rows}).data)


ROUTES = [
    ("exit-cases", ExitCaseViewSet, "exit-case"),
    ("exit-policies", ExitPolicyViewSet, "exit-policy"),
]
PATHS = [path("evaluation/inefficient/", InefficientView.as_view(), name="api-evaluation-inefficient")]
