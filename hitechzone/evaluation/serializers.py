"""The serializers of the M4 evaluation API (the viewsets are in ``api.py``).

Reads answer names for schemes (``"default"``), codes for brands, USCCs next to enterprise ids. Writes are
request bodies checked here for their types (and a scheme's definition for its shape, with every problem listed);
every rule is the service's, which answers a refusal with its own message.

A result's class is answered under the key ``class`` (the model's field is ``klass``: ``class`` is a keyword).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.common.api import CodeOrIdRelatedField
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise
from hitechzone.zone.models import Brand

from .models import EvaluationResult, EvaluationRun, Exemption, Group, Klass, Scheme, SchemeVersion, Veto

CLASS_HELP = _("A, B, C or D; null when not evaluated")
GROUP_HELP = _("above (规上), below (规下) or excluded (不参评)")


def year_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, **kwargs)


def text(**kwargs) -> serializers.CharField:
    """A free text the service checks (a blank one answers the service's message, e.g. "Give the reason")."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class ForEnterpriseSerializer(serializers.Serializer):
    """A request body naming an enterprise by USCC or id, among those the requesting user sees."""

    enterprise = CodeOrIdRelatedField(
        slug_field="uscc",
        queryset=Enterprise.objects.none(),
        help_text=_("the enterprise's unified social credit code, or its id"),
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        fields["enterprise"].queryset = Enterprise.objects.for_user(getattr(request, "user", None))
        return fields


def username_field(source: str) -> serializers.CharField:
    return serializers.CharField(source=f"{source}.username", read_only=True, default=None)


# --- Schemes ----------------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.OBJECT)
class DefinitionField(serializers.JSONField):
    """A scheme's definition (groups, indicators, weights, cap, scope and class rules), checked by
    ``schemes.scheme_from_dict``: an invalid one answers 400 listing every problem."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Give the definition as a JSON object."))
        from .schemes import scheme_from_dict

        try:
            scheme_from_dict(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from None
        return data


class EvaluationSchemeVersionSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.name", read_only=True)
    created_by = username_field("created_by")
    definition = serializers.JSONField(read_only=True)

    class Meta:
        model = SchemeVersion
        fields = ["id", "scheme", "number", "effective_from", "note", "definition", "created_by", "created_at"]
        read_only_fields = fields


class EvaluationSchemeSerializer(serializers.ModelSerializer):
    brand = serializers.CharField(source="brand.code", read_only=True, default=None, help_text=_("brand code"))
    brand_name = serializers.CharField(source="brand.name", read_only=True, default=None)
    version = serializers.IntegerField(source="current.number", read_only=True, default=None)
    effective_from = serializers.IntegerField(source="current.effective_from", read_only=True, default=None)

    class Meta:
        model = Scheme
        fields = ["id", "name", "title", "brand", "brand_name", "description", "version", "effective_from"]
        read_only_fields = fields


class EvaluationSchemeDetailSerializer(EvaluationSchemeSerializer):
    """A scheme with every version, the newest first (each with its definition)."""

    versions = EvaluationSchemeVersionSerializer(many=True, read_only=True)

    class Meta(EvaluationSchemeSerializer.Meta):
        fields = [*EvaluationSchemeSerializer.Meta.fields, "created_at", "versions"]
        read_only_fields = fields


class EvaluationSchemeCreateSerializer(serializers.Serializer):
    name = serializers.SlugField(max_length=40, help_text=_("a short name, e.g. gaoxin-2025"))
    title = serializers.CharField(max_length=100)
    brand = CodeOrIdRelatedField(
        queryset=Brand.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("brand code or id; leave out for a scheme of the whole zone"),
    )
    description = text()
    definition = DefinitionField()
    effective_from = year_field(help_text=_("the first year the version is used for"))
    note = text(max_length=200)


class EvaluationSchemeReviseSerializer(serializers.Serializer):
    definition = DefinitionField()
    effective_from = year_field(help_text=_("the first year the new version is used for"))
    note = text(max_length=200, help_text=_("what changed"))


# --- Runs -------------------------------------------------------------------------------------------------------


class EvaluationRunCountsSerializer(serializers.Serializer):
    above = serializers.IntegerField(source="n_above", help_text=_("evaluated above designated size (规上)"))
    below = serializers.IntegerField(source="n_below", help_text=_("evaluated below designated size (规下)"))
    excluded = serializers.IntegerField(source="n_excluded", help_text=_("not evaluated (不参评)"))


class EvaluationRunSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme_version.scheme.name", read_only=True)
    scheme_title = serializers.CharField(source="scheme_version.scheme.title", read_only=True)
    scheme_version = serializers.IntegerField(source="scheme_version.number", read_only=True)
    brand = serializers.CharField(source="brand.code", read_only=True, default=None, help_text=_("brand code"))
    status = serializers.CharField(read_only=True, help_text=_("running, done or failed"))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    counts = EvaluationRunCountsSerializer(source="*", read_only=True)
    published = serializers.BooleanField(source="is_published", read_only=True)
    created_by = username_field("created_by")
    published_by = username_field("published_by")

    class Meta:
        model = EvaluationRun
        fields = [
            "id",
            "year",
            "scheme",
            "scheme_title",
            "scheme_version",
            "brand",
            "status",
            "status_label",
            "note",
            "counts",
            "created_by",
            "created_at",
            "finished_at",
            "seconds",
            "published",
            "published_at",
            "published_by",
        ]
        read_only_fields = fields


class EvaluationRunDetailSerializer(EvaluationRunSerializer):
    summary = serializers.JSONField(
        read_only=True,
        help_text=_(
            "benchmarks (group → indicator → value), counts (group → n and A–D), class_floor (group → class → "
            "lowest score) and indicators (group → key, label, weight, unit)"
        ),
    )

    class Meta(EvaluationRunSerializer.Meta):
        fields = [*EvaluationRunSerializer.Meta.fields, "summary"]
        read_only_fields = fields


class EvaluationRunCreateSerializer(serializers.Serializer):
    year = year_field(help_text=_("the year whose figures are evaluated"))
    scheme = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Scheme.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("scheme name; the default scheme if left out"),
    )
    note = text(max_length=200)


# --- Results ----------------------------------------------------------------------------------------------------


class EvaluationResultSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    group = serializers.ChoiceField(choices=Group.choices, read_only=True, help_text=GROUP_HELP)
    klass = serializers.SerializerMethodField(method_name="get_klass", help_text=CLASS_HELP)
    exclusion = serializers.SerializerMethodField(
        help_text=_("why not evaluated: no_data, no_land, small_land or exempt; null when evaluated")
    )

    class Meta:
        model = EvaluationResult
        fields = [
            "id",
            "run",
            "enterprise",
            "uscc",
            "name",
            "group",
            "score",
            "klass",
            "rank",
            "industry_code",
            "industry_rank",
            "industry_size",
            "vetoed",
            "exclusion",
            "next_class_gap",
        ]
        read_only_fields = fields

    def get_fields(self):
        # The class is answered as "class" (the model's "klass": a Python keyword cannot name a field here).
        fields = super().get_fields()
        return {("class" if name == "klass" else name): field for name, field in fields.items()}

    @extend_schema_field(serializers.ChoiceField(choices=Klass.choices, allow_null=True))
    def get_klass(self, result: EvaluationResult) -> str | None:
        return result.klass or None

    @extend_schema_field(serializers.ChoiceField(choices=EvaluationResult.Exclusion.choices, allow_null=True))
    def get_exclusion(self, result: EvaluationResult) -> str | None:
        return result.exclusion or None


class EvaluationResultDetailSerializer(EvaluationResultSerializer):
    """A result with the indicator values and sub-scores (by indicator key; null: missing) and the figures read."""

    year = serializers.IntegerField(source="run.year", read_only=True)
    published = serializers.BooleanField(source="run.is_published", read_only=True)
    values = serializers.JSONField(read_only=True, help_text=_("indicator key → value (null: missing)"))
    subscores = serializers.JSONField(read_only=True, help_text=_("indicator key → sub-score"))
    imputed = serializers.JSONField(
        read_only=True, help_text=_("the indicator keys whose sub-score is the group's mean (value missing)")
    )
    inputs = serializers.JSONField(read_only=True, help_text=_("the yearly figures the run read"))

    class Meta(EvaluationResultSerializer.Meta):
        fields = [
            *EvaluationResultSerializer.Meta.fields,
            "year",
            "published",
            "values",
            "subscores",
            "imputed",
            "inputs",
        ]
        read_only_fields = fields


# --- The explanation (the answer of ``queries.explain``) --------------------------------------------------------


class EvaluationExplainIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    weight = serializers.FloatField()
    value = serializers.FloatField(allow_null=True, help_text=_("null: missing"))
    benchmark = serializers.FloatField(allow_null=True, help_text=_("the group's mean of the values"))
    subscore = serializers.FloatField(allow_null=True)
    share = serializers.FloatField(allow_null=True, help_text=_("the sub-score's share of the score (0..1)"))
    imputed = serializers.BooleanField(help_text=_("the value is missing: the sub-score is the group's mean"))


class EvaluationExplainRadarSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    firm = serializers.FloatField(help_text=_("the firm's sub-score"))
    benchmark = serializers.FloatField(help_text=_("the weight: the sub-score of a firm exactly at the benchmark"))


class EvaluationNextClassGapSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text=_("indicator key, e.g. tax_per_mu"))
    label = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    plus = serializers.FloatField(help_text=_("how much more of the indicator reaches the next class"))
    to_class = serializers.CharField(allow_blank=True, help_text=_("the class it reaches"))


class EvaluationExplainSerializer(serializers.Serializer):
    """What an enterprise is told about its result (``queries.explain``): each indicator's value, the benchmark,
    the sub-score and its share, the ranks in the group and the industry, last year's class and what reaches the
    next class. As in the results, the class is answered under ``class`` (null when not evaluated)."""

    run = serializers.IntegerField()
    year = serializers.IntegerField()
    uscc = serializers.CharField()
    name = serializers.CharField()
    group = serializers.ChoiceField(choices=Group.choices, help_text=GROUP_HELP)
    group_label = serializers.CharField()
    exclusion = serializers.CharField(allow_blank=True, help_text=_("why not evaluated, or empty"))
    exclusion_label = serializers.CharField(allow_blank=True)
    score = serializers.FloatField(allow_null=True)
    klass = serializers.SerializerMethodField(method_name="get_klass", help_text=CLASS_HELP)
    vetoed = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True, help_text=_("rank in the group"))
    n = serializers.IntegerField(help_text=_("firms ranked in the group"))
    industry_code = serializers.CharField(allow_blank=True, help_text=_("industry division (GB/T 4754)"))
    industry_name = serializers.CharField(allow_blank=True)
    industry_rank = serializers.IntegerField(allow_null=True)
    industry_size = serializers.IntegerField(allow_null=True, help_text=_("firms of the industry in the group"))
    indicators = EvaluationExplainIndicatorSerializer(many=True)
    radar = EvaluationExplainRadarSerializer(many=True)
    previous_class = serializers.SerializerMethodField(
        method_name="get_previous_class", help_text=_("the class in last year's published run, or null")
    )
    next_class_gap = EvaluationNextClassGapSerializer(allow_null=True)
    inputs = serializers.JSONField(help_text=_("the yearly figures the run read"))

    def get_fields(self):
        fields = super().get_fields()
        return {("class" if name == "klass" else name): field for name, field in fields.items()}

    @extend_schema_field(serializers.ChoiceField(choices=Klass.choices, allow_null=True))
    def get_klass(self, explained: dict) -> str | None:
        return explained.get("klass") or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_previous_class(self, explained: dict) -> str | None:
        return explained.get("previous_class") or None


# --- Exemptions and vetoes --------------------------------------------------------------------------------------


class EvaluationExemptionSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    reason = serializers.CharField(read_only=True, help_text=_("public_utility, first_year, relocation or other"))
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    created_by = username_field("created_by")

    class Meta:
        model = Exemption
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "uscc",
            "year",
            "reason",
            "reason_label",
            "details",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class EvaluationExemptionCreateSerializer(ForEnterpriseSerializer):
    year = year_field()
    reason = serializers.ChoiceField(choices=Exemption.Reason.choices)
    details = text(max_length=200, help_text=_("why, in a sentence"))


class EvaluationVetoSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=_("safety, environment or other"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    created_by = username_field("created_by")

    class Meta:
        model = Veto
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "uscc",
            "year",
            "kind",
            "kind_label",
            "occurred_on",
            "reason",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class EvaluationVetoCreateSerializer(ForEnterpriseSerializer):
    year = year_field()
    kind = serializers.ChoiceField(choices=Veto.Kind.choices)
    reason = text(max_length=200, help_text=_("the accident or violation"))
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
