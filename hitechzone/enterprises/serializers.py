"""The enterprise registry's API serializers (M0): industries, chains, enterprises, contacts, yearly indicators."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hitechzone.common.api import CodeOrIdRelatedField
from hitechzone.zone.models import Block, Brand, FunctionalArea

from . import services
from .models import Contact, Enterprise, EnterpriseIndicator, Industry, IndustryChain
from .uscc import normalise


class UsccField(serializers.CharField):
    """Accepts the code as people type it (full-width, spaces, lower case) and stores it normalised."""

    def to_internal_value(self, data):
        return normalise(super().to_internal_value(data))


class IndustrySerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Industry
        fields = ["code", "level", "parent", "name_zh", "name_en"]


class IndustryChainSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryChain
        fields = ["id", "code", "name", "name_en", "description", "sort_order"]


class EnterpriseSerializer(serializers.ModelSerializer):
    uscc = UsccField(max_length=18, label=_("unified social credit code"))
    brand = CodeOrIdRelatedField(queryset=Brand.objects.all())
    functional_area = CodeOrIdRelatedField(queryset=FunctionalArea.objects.all(), required=False, allow_null=True)
    block = CodeOrIdRelatedField(queryset=Block.objects.all(), required=False, allow_null=True)
    industry = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), required=False, allow_null=True)
    chains = CodeOrIdRelatedField(queryset=IndustryChain.objects.all(), many=True, required=False)
    brand_name = serializers.CharField(source="brand.name", read_only=True)
    industry_name = serializers.CharField(source="industry.name_zh", read_only=True, default=None)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "legal_representative",
            "brand",
            "brand_name",
            "block",
            "functional_area",
            "industry",
            "industry_name",
            "chains",
            "is_industrial",
            "is_above_scale",
            "size",
            "status",
            "established_on",
            "registered_capital_wan_yuan",
            "address",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_uscc(self, value):
        from .uscc import validate_uscc

        validate_uscc(value)
        clash = Enterprise.objects.filter(uscc=value)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(_("An enterprise with this USCC is already registered."))
        return value

    def create(self, validated_data):
        chains = validated_data.pop("chains", ())
        return services.enterprise_create(by=self.context["request"].user, chains=chains, **validated_data)

    def update(self, instance, validated_data):
        chains = validated_data.pop("chains", None)
        return services.enterprise_update(
            by=self.context["request"].user, enterprise=instance, chains=chains, **validated_data
        )


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "enterprise", "name", "title", "phone", "email", "is_primary"]


class IndicatorSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = EnterpriseIndicator
        fields = ["id", "enterprise", "uscc", "enterprise_name", "year", "is_above_scale", *EnterpriseIndicator.FIGURES]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "enterprise" in fields:
            fields["enterprise"].queryset = Enterprise.objects.for_user(request.user)
        return fields

    def create(self, validated_data):
        return services.indicator_save(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.indicator_save(by=self.context["request"].user, indicator=instance, **validated_data)
