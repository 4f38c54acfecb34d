"""The serializers of the M6 API (the viewsets are in ``api.py``).

Writes are checked here for their types only; every rule is the service's, whose refusal answers 400 (``Refused``
with ``detail``, ``FieldErrors`` naming each field). ``create`` and ``update`` call the services. An ID number is
answered masked (first 6 and last 4 characters) everywhere; the phone is masked in lists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hitechzone.common.api import inline_choice_field
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise

from . import services
from .models import (
    Degree,
    Fund,
    FundCall,
    Grant,
    Incubator,
    IncubatorEnterprise,
    Instalment,
    Level,
    Partner,
    Platform,
    Talent,
    TeamApplication,
    TeamMember,
    TeamStep,
)


def _user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class ScopedField(serializers.PrimaryKeyRelatedField):
    """A related object by id, among those the requesting user sees (another's answers "does not exist")."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        return self.model.objects.for_user(_user(self.parent) if self.parent else None)


def _enterprise_field(**kwargs):
    return ScopedField(Enterprise, help_text=_("enterprise id"), **kwargs)


class ServiceSave:
    save_service: str = ""
    instance_kw: str = ""

    def create(self, validated_data):
        return getattr(services, self.save_service)(by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        return getattr(services, self.save_service)(by=_user(self), **{self.instance_kw: instance}, **validated_data)


LevelField = inline_choice_field(Level.choices, "TalentLevel")
DegreeField = inline_choice_field(Degree.choices, "TalentDegree")


# --- Platforms, incubators, partners --------------------------------------------------------------------------------


class PlatformSerializer(ServiceSave, serializers.ModelSerializer):
    save_service, instance_kw = "platform_save", "platform"
    kind = inline_choice_field(Platform.Kind.choices, "PlatformKind")()
    level = LevelField()
    status = inline_choice_field(Platform.Status.choices, "PlatformStatus")(required=False)

    class Meta:
        model = Platform
        fields = ["id", "name", "kind", "level", "host", "address", "founded_on", "status"]
        extra_kwargs = {"name": {"validators": []}}


class IncubatorLinkSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = IncubatorEnterprise
        fields = ["id", "enterprise", "enterprise_name", "moved_on", "note"]


class IncubatorSerializer(ServiceSave, serializers.ModelSerializer):
    save_service, instance_kw = "incubator_save", "incubator"

    class Meta:
        model = Incubator
        fields = [
            "id",
            "name",
            "city",
            "location",
            "floor_area_m2",
            "investment_wan_yuan",
            "opened_on",
            "teams_incubated",
        ]
        extra_kwargs = {"name": {"validators": []}}


class IncubatorLinkWriteSerializer(serializers.Serializer):
    enterprise = _enterprise_field()
    moved_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PartnerSerializer(ServiceSave, serializers.ModelSerializer):
    save_service, instance_kw = "partner_save", "partner"
    kind = inline_choice_field(Partner.Kind.choices, "PartnerKind")()

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "city", "agreement_signed_on", "agreement_ends_on", "scope"]
        extra_kwargs = {"name": {"validators": []}}


# --- Talents --------------------------------------------------------------------------------------------------------


class TalentSerializer(ServiceSave, serializers.ModelSerializer):
    """``id_number`` is written in full and always answered masked; ``phone`` is answered masked in lists."""

    save_service, instance_kw = "talent_save", "talent"
    level = LevelField(required=False, allow_blank=True)
    degree = DegreeField(required=False, allow_blank=True)
    enterprise = _enterprise_field(required=False, allow_null=True)
    platform = ScopedField(Platform, required=False, allow_null=True, help_text=_("platform id"))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default="")
    id_number = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=_("18 characters; answered masked")
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)

    class Meta:
        model = Talent
        fields = [
            "id",
            "name",
            "programme",
            "level",
            "academician",
            "degree",
            "field",
            "enterprise",
            "enterprise_name",
            "platform",
            "team",
            "id_number",
            "phone",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["id_number"] = instance.id_number_masked
        if self.context.get("list"):
            data["phone"] = instance.phone_masked
        return data


# --- The innovation fund --------------------------------------------------------------------------------------------


class FundSerializer(ServiceSave, serializers.ModelSerializer):
    save_service, instance_kw = "fund_save", "fund"
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    budget_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    status = inline_choice_field(Fund.Status.choices, "FundStatus")(required=False)
    granted_wan_yuan = serializers.SerializerMethodField()
    paid_wan_yuan = serializers.SerializerMethodField()
    left_wan_yuan = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = [
            "id",
            "name",
            "year",
            "budget_wan_yuan",
            "status",
            "granted_wan_yuan",
            "paid_wan_yuan",
            "left_wan_yuan",
        ]
        validators = []  # the model's check names the clash

    def _figures(self, obj):
        granted = getattr(obj, "granted_wan_yuan", None)
        paid = getattr(obj, "paid_wan_yuan", None)
        if granted is None or paid is None:
            figures = services.fund_figures(obj)
            return figures.granted_wan_yuan, figures.paid_wan_yuan
        return granted, paid

    def get_granted_wan_yuan(self, obj) -> str:
        return f"{self._figures(obj)[0]:.2f}"

    def get_paid_wan_yuan(self, obj) -> str:
        return f"{self._figures(obj)[1]:.2f}"

    def get_left_wan_yuan(self, obj) -> str:
        return f"{obj.budget_wan_yuan - self._figures(obj)[0]:.2f}"


class InstalmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Instalment
        fields = ["id", "milestone", "amount_wan_yuan", "paid_on"]


class GrantSerializer(serializers.ModelSerializer):
    fund = ScopedField(Fund, help_text=_("fund id"))
    recipient_enterprise = _enterprise_field()
    recipient_name = serializers.CharField(source="recipient_enterprise.name", read_only=True)
    amount_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    status = serializers.CharField(read_only=True)
    paid_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, default=None)
    call = ScopedField(FundCall, required=False, allow_null=True, help_text=_("the fund's call applied under"))

    class Meta:
        model = Grant
        fields = [
            "id",
            "fund",
            "call",
            "recipient_enterprise",
            "recipient_name",
            "amount_wan_yuan",
            "purpose",
            "status",
            "applied_on",
            "decided_on",
            "reason",
            "paid_wan_yuan",
        ]
        read_only_fields = ["applied_on", "decided_on", "reason"]

    def create(self, validated_data):
        return services.grant_apply(by=_user(self), **validated_data)


class GrantRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class InstalmentWriteSerializer(serializers.Serializer):
    milestone = serializers.CharField(max_length=200)
    amount_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    paid_on = serializers.DateField()


# --- Team applications ----------------------------------------------------------------------------------------------


class TeamMemberSerializer(serializers.ModelSerializer):
    degree = DegreeField(required=False, allow_blank=True)
    programme_level = LevelField(required=False, allow_blank=True)

    class Meta:
        model = TeamMember
        fields = ["name", "degree", "programme", "programme_level"]


class TeamStepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.__str__", read_only=True)
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = TeamStep
        fields = ["action", "from_status", "to_status", "on", "by", "note"]


class TeamApplicationSerializer(serializers.ModelSerializer):
    members = TeamMemberSerializer(many=True)
    enterprise = _enterprise_field(required=False, allow_null=True)
    incubator = ScopedField(Incubator, help_text=_("off-site incubator id"), required=False, allow_null=True)
    registered_capital_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    planned_investment_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    status = serializers.CharField(read_only=True)
    steps = TeamStepSerializer(many=True, read_only=True)

    class Meta:
        model = TeamApplication
        fields = [
            "id",
            "team_name",
            "leader_name",
            "members",
            "project",
            "field",
            "registered_capital_wan_yuan",
            "planned_investment_wan_yuan",
            "needs_space",
            "needs_funds",
            "needs_housing",
            "support_note",
            "enterprise",
            "incubator",
            "submitted_on",
            "status",
            "missing_items",
            "reason",
            "steps",
        ]
        read_only_fields = ["submitted_on", "missing_items", "reason"]

    def create(self, validated_data):
        members = [dict(m) for m in validated_data.pop("members")]
        return services.team_apply(by=_user(self), members=members, **validated_data)


class TeamStepWriteSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(services.WORKFLOW))
    note = serializers.CharField(required=False, allow_blank=True)
    enterprise = _enterprise_field(required=False, allow_null=True)


class TalentStatsSerializer(serializers.Serializer):
    team_applications = serializers.IntegerField()
    phd_holders = serializers.IntegerField()
    programme_talents = serializers.IntegerField()
    registered_capital_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)
    planned_investment_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)
    national_programme_talents = serializers.IntegerField()
    provincial_programme_talents = serializers.IntegerField()
    academician_experts = serializers.IntegerField()
    partner_institutions = serializers.IntegerField()
    innovation_fund_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)
