"""The zone registry's API serializers (M0): brands, blocks, functional areas, departments, parcels."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hitechzone.common.api import CodeOrIdRelatedField
from hitechzone.enterprises.models import Enterprise

from .models import Block, Brand, Department, FunctionalArea, Parcel


class BrandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Brand
        fields = ["id", "code", "name", "short_name", "level", "approved_on", "description", "sort_order"]


class BlockSerializer(serializers.ModelSerializer):
    brand = CodeOrIdRelatedField(queryset=Brand.objects.all())

    class Meta:
        model = Block
        fields = ["id", "code", "name", "brand", "description"]


class FunctionalAreaSerializer(serializers.ModelSerializer):
    brand = CodeOrIdRelatedField(queryset=Brand.objects.all(), required=False, allow_null=True)

    class Meta:
        model = FunctionalArea
        fields = ["id", "code", "name", "brand", "description", "is_chemical", "sort_order"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "level", "phone", "sort_order"]


class ParcelSerializer(serializers.ModelSerializer):
    brand = CodeOrIdRelatedField(queryset=Brand.objects.all())
    block = CodeOrIdRelatedField(queryset=Block.objects.all(), required=False, allow_null=True)
    functional_area = CodeOrIdRelatedField(queryset=FunctionalArea.objects.all(), required=False, allow_null=True)
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None)
    area_mu = serializers.DecimalField(max_digits=12, decimal_places=4, required=False)
    area_m2 = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)

    class Meta:
        model = Parcel
        fields = [
            "id",
            "code",
            "name",
            "brand",
            "block",
            "functional_area",
            "enterprise",
            "enterprise_name",
            "land_use",
            "area_mu",
            "area_m2",
            "latitude",
            "longitude",
            "acquired_on",
        ]

    def validate(self, attrs):
        instance = Parcel(**{**({} if self.instance is None else _model_values(self.instance)), **attrs})
        if "area_mu" in attrs and "area_m2" not in attrs:
            instance.area_m2 = None
        elif "area_m2" in attrs and "area_mu" not in attrs:
            instance.area_mu = None
        if instance.area_mu is None and instance.area_m2 is None:
            raise serializers.ValidationError({"area_mu": _("Give the area in mu or in square metres.")})
        try:
            instance.clean()
        except Exception as exc:  # django ValidationError → DRF's
            from django.core.exceptions import ValidationError

            if isinstance(exc, ValidationError):
                raise serializers.ValidationError(exc.message_dict) from exc
            raise
        attrs["area_mu"], attrs["area_m2"] = instance.area_mu, instance.area_m2
        return attrs


def _model_values(instance: Parcel) -> dict:
    return {f.name: getattr(instance, f.name) for f in Parcel._meta.concrete_fields if f.name != "id"}
