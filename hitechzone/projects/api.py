"""M3 over the API (issue 14, "API contract"): investors, projects, and the 标准地 admission checks.

``investors/`` and ``projects/`` list what the user may see (``for_user``: administrators, leaders and officers
all; an enterprise its own investor's; experts none until panels exist; department staff none); administrators
and officers create, an officer changes only the projects he brought (another's: 404). Every related object a
user sets is looked up among those that user may see. ``projects/admission-check/`` checks the fields posted
against the rules in force and stores nothing; ``projects/{id}/admission-checks/`` checks a stored project.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hitechzone.accounts.models import Role, User
from hitechzone.common.api import CodeOrIdRelatedField, RefusalsAnswer400, ScopedModelViewSet, inline_choice_field
from hitechzone.common.rules import Refused
from hitechzone.enterprises.models import Enterprise, IndustryChain
from hitechzone.enterprises.uscc import normalise, validate_uscc
from hitechzone.zone.models import FunctionalArea

from . import admission, services
from .api_links import ProjectLinksMixin
from .api_pipeline import PIPELINE_FIELDS, PREFETCH_RELATED, SELECT_RELATED, PipelineActions, PipelineFields
from .models import Investor, Project
from .roles import CHECK_ROLES, WRITERS

NUMBER = {"coerce_to_string": False}
AMOUNT = {"max_digits": 20, "decimal_places": 6, "min_value": 0, "required": False, "allow_null": True, **NUMBER}
StageField = inline_choice_field(Project.Stage.choices, "ProjectStage")


def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference looked up among the rows the requesting user may see (``for_user``): another's is "not found"."""

    def get_queryset(self):
        return self.queryset.model.objects.for_user(_request_user(self.root))


class OfficerField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(role=Role.OFFICER, is_active=True)


class IndustryCodeField(serializers.CharField):
    default_error_messages = {"unknown": _("No GB/T 4754 industry has the code “%(code)s”.")}

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not text:
            return ""
        code = admission.normalise_industry_code(text)
        if code is None:
            raise serializers.ValidationError(self.error_messages["unknown"] % {"code": text}, code="unknown")
        return code


def _positive_land(value):
    if value is not None and value <= 0:
        raise serializers.ValidationError(_("The land must be more than 0 mu."))
    return value


class AdmissionFieldsMixin(serializers.Serializer):
    """The fields the admission checks read (issue 14 item 4): numbers or decimal strings, each optional."""

    industry_code = IndustryCodeField(
        required=False, allow_blank=True, max_length=5, help_text=_("GB/T 4754, e.g. C2614 or 2614")
    )
    fixed_asset_investment_wan_yuan = serializers.DecimalField(**AMOUNT)
    land_mu = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, allow_null=True, validators=[_positive_land], **NUMBER
    )
    floor_area_m2 = serializers.DecimalField(**AMOUNT, help_text=_("floor area counted for the plot ratio (计容)"))
    footprint_m2 = serializers.DecimalField(**AMOUNT)
    admin_land_m2 = serializers.DecimalField(**AMOUNT)
    green_area_m2 = serializers.DecimalField(**AMOUNT)
    annual_tax_wan_yuan = serializers.DecimalField(**AMOUNT)
    annual_value_added_wan_yuan = serializers.DecimalField(**AMOUNT)
    annual_energy_tce = serializers.DecimalField(**AMOUNT)
    hazardous_chemicals = serializers.BooleanField(allow_null=True, default=None)
    functional_area = CodeOrIdRelatedField(
        queryset=FunctionalArea.objects.all(), required=False, allow_null=True, help_text=_("code or id")
    )


class AdmissionInputSerializer(AdmissionFieldsMixin):
    pass


class CheckSerializer(serializers.Serializer):
    rule = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True, help_text=_("null: the inputs are missing (cannot check)"))
    value = serializers.JSONField(
        allow_null=True, help_text=_("a figure rounded to 2 places; the catalogue's level; the functional area's code")
    )
    threshold = serializers.JSONField(allow_null=True)
    unit = serializers.CharField(allow_blank=True)
    comparison = serializers.CharField(allow_blank=True, help_text=_('">=" or "<=" for the figures'))


class RulesVersionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    is_demo_default = serializers.BooleanField()


class AdmissionResultSerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text=_("true when every check passes"))
    rules = RulesVersionSerializer()
    checks = CheckSerializer(many=True)


def _json_figure(x):
    x = admission.shown(x)
    return float(x) if hasattr(x, "quantize") else x


def admission_answer(rules, checks) -> dict:
    return {
        "passed": admission.passed(checks),
        "rules": {"year": rules.year, "version": rules.version, "is_demo_default": rules.is_demo_default},
        "checks": [
            {
                "rule": c.rule,
                "label": str(c.label),
                "passed": c.passed,
                "value": _json_figure(c.value),
                "threshold": _json_figure(c.threshold),
                "unit": c.unit,
                "comparison": c.comparison,
            }
            for c in checks
        ],
    }


# --- Investors ------------------------------------------------------------------------------------------------------


class InvestorSerializer(serializers.ModelSerializer):
    enterprise = ScopedPrimaryKeyField(
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("the registry enterprise whose users see the investor's projects"),
    )

    class Meta:
        model = Investor
        fields = ["id", *services.INVESTOR_FIELDS, "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_uscc(self, value):
        if value:
            value = normalise(value)
            try:
                validate_uscc(value)
            except Exception as error:  # Django's ValidationError → DRF's, with its messages
                raise serializers.ValidationError(list(getattr(error, "messages", [str(error)]))) from None
        return value


class InvestorViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Investors (投资方) with their Fortune Global 500 and China top-500 ranks. Administrators and officers create."""

    http_method_names = ["get", "post", "head", "options"]
    write_roles = WRITERS
    queryset = Investor.objects.order_by("name", "pk")
    serializer_class = InvestorSerializer

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        investor = services.investor_create(by=request.user, **body.validated_data)
        return Response(self.get_serializer(investor).data, status=status.HTTP_201_CREATED)


# --- Projects -------------------------------------------------------------------------------------------------------


# The amounts the project stores with 2 decimal places (the admission check itself takes any precision).
STORED_AMOUNTS = (
    "fixed_asset_investment_wan_yuan",
    "floor_area_m2",
    "footprint_m2",
    "admin_land_m2",
    "green_area_m2",
    "annual_tax_wan_yuan",
    "annual_value_added_wan_yuan",
    "annual_energy_tce",
)


class ProjectSerializer(PipelineFields, AdmissionFieldsMixin, serializers.ModelSerializer):
    investor = ScopedPrimaryKeyField(queryset=Investor.objects.all())
    chain = CodeOrIdRelatedField(queryset=IndustryChain.objects.all(), required=False, allow_null=True)
    officer = OfficerField(
        required=False, allow_null=True, help_text=_("the investment officer (招商引资全程帮办员); an officer: himself")
    )
    stage = StageField(read_only=True)
    land_mu = serializers.DecimalField(
        max_digits=12, decimal_places=4, required=False, allow_null=True, validators=[_positive_land], **NUMBER
    )
    total_investment_wan_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, **NUMBER
    )
    annual_output_wan_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, **NUMBER
    )
    rd_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True, **NUMBER
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "investor",
            *services.PROJECT_FIELDS[2:-1],
            "officer",
            "stage",
            *PIPELINE_FIELDS,
            "created_on",
            "updated_at",
        ]
        read_only_fields = ["id", "stage", "created_on", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        for name in STORED_AMOUNTS:
            fields[name] = serializers.DecimalField(
                max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, **NUMBER
            )
        fields["hazardous_chemicals"] = serializers.BooleanField(required=False)
        return fields


class ProjectFilter(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(choices=Project.Stage.choices)

    class Meta:
        model = Project
        fields = []


class ProjectViewSet(PipelineActions, ProjectLinksMixin, RefusalsAnswer400, ScopedModelViewSet):
    """Investment projects (招商项目). ``?stage=`` filters (repeat it for several). Administrators and officers
    create; an officer changes only the projects he brought. The decision, the stage moves and the stats:
    api_pipeline.py."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = WRITERS
    queryset = Project.objects.order_by("-created_at", "-pk")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    select_related = ("investor", "chain", "functional_area", *SELECT_RELATED)
    prefetch_related = PREFETCH_RELATED

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_create(by=request.user, **body.validated_data)
        return Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        project = self.get_object()
        if not Project.objects.editable(request.user).filter(pk=project.pk).exists():
            raise NotFound  # another officer's project is not his to change
        body = self.get_serializer(project, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        project = services.project_update(by=request.user, project=project, **body.validated_data)
        return Response(self.get_serializer(project).data)

    def update(self, request, *args, **kwargs):  # PUT is not offered (http_method_names); PATCH only
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary=_("The 标准地 admission checks of the fields posted, against the rules in force; nothing is stored."),
        request=AdmissionInputSerializer,
        responses=AdmissionResultSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="admission-check",
        write_roles=CHECK_ROLES,
        pagination_class=None,
        filterset_class=None,
    )
    def admission_check(self, request):
        body = AdmissionInputSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        rules = services.current_rules()
        if rules is None:
            raise Refused(_("No admission rules have been set for this year."))
        checks = admission.check(body.validated_data, rules)
        return Response(AdmissionResultSerializer(admission_answer(rules, checks)).data)

    @extend_schema(summary=_("The 标准地 admission checks of a stored project."), responses=AdmissionResultSerializer)
    @action(detail=True, methods=["get"], url_path="admission-checks", pagination_class=None, filterset_class=None)
    def admission_checks(self, request, pk=None):
        project = self.get_object()
        rules = services.current_rules()
        if rules is None:
            raise Refused(_("No admission rules have been set for this year."))
        checks = services.project_checks(project, rules)
        return Response(AdmissionResultSerializer(admission_answer(rules, checks)).data)


ROUTES = [("investors", InvestorViewSet, "investor"), ("projects", ProjectViewSet, "project")]
