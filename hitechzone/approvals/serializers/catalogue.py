"""Serializers of the catalogue: items, versions, materials."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hitechzone.approvals.models import (
    Item,
    ItemType,
    ItemVersion,
    Material,
    Mode,
)
from hitechzone.common.api import CodeOrIdRelatedField
from hitechzone.common.deadlines import MAX_DAYS
from hitechzone.zone.models import Department

from .base import text

# --- The catalogue ----------------------------------------------------------------------------------------------


class ItemMaterialSerializer(serializers.ModelSerializer):
    """A material; its blank form and sample are downloaded from the signed-in users' page (``*_url``)."""

    blank_form = serializers.SerializerMethodField(help_text=_("the blank form's file name, or null"))
    sample = serializers.SerializerMethodField(help_text=_("the filled-in sample's file name, or null"))
    blank_form_url = serializers.SerializerMethodField(help_text=_("download (signed-in users), or null"))
    sample_url = serializers.SerializerMethodField(help_text=_("download (signed-in users), or null"))

    class Meta:
        model = Material
        fields = [
            "id",
            "position",
            "name",
            "required",
            "tolerable",
            "original",
            "blank_form",
            "blank_form_url",
            "sample",
            "sample_url",
        ]
        read_only_fields = fields

    def get_blank_form(self, material: Material) -> str | None:
        return file_name(material.blank_form)

    def get_sample(self, material: Material) -> str | None:
        return file_name(material.sample)

    def get_blank_form_url(self, material: Material) -> str | None:
        return self._download(material, "form") if material.blank_form else None

    def get_sample_url(self, material: Material) -> str | None:
        return self._download(material, "sample") if material.sample else None

    def _download(self, material: Material, kind: str) -> str:
        url = reverse("approvals:material-file", args=[material.pk, kind])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


def file_name(field) -> str | None:
    return field.name.rsplit("/", 1)[-1] if field else None


class MaterialFilesSerializer(serializers.Serializer):
    """The blank form and the sample of a material: a file attaches (or replaces) it; ``remove_*`` removes it."""

    blank_form = serializers.FileField(required=False, allow_empty_file=True, help_text=_("the blank form"))
    sample = serializers.FileField(required=False, allow_empty_file=True, help_text=_("a filled-in sample"))
    remove_blank_form = serializers.BooleanField(required=False, default=False)
    remove_sample = serializers.BooleanField(required=False, default=False)


class VersionBriefSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

    class Meta:
        model = ItemVersion
        fields = ["number", "created_at", "created_by", "change_note"]
        read_only_fields = fields


class ItemVersionSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    item_type_label = serializers.CharField(source="get_item_type_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    materials = ItemMaterialSerializer(many=True, read_only=True)

    class Meta:
        model = ItemVersion
        fields = [
            "item",
            "number",
            "name",
            "mode",
            "mode_label",
            "legal_basis",
            "item_type",
            "item_type_label",
            "statutory_limit",
            "promised_limit",
            "fees",
            "pre_reform_days",
            "yellow_threshold",
            "change_note",
            "created_at",
            "created_by",
            "materials",
        ]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    """An item with what its current version says."""

    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    # Plain strings in the answers: each choice set is an enum once in the schema, in the request that sets it.
    status = serializers.CharField(read_only=True, help_text=_("active, suspended or cancelled"))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.IntegerField(source="current.number", read_only=True, default=None)
    name = serializers.CharField(source="current.name", read_only=True, default="")
    mode = serializers.ChoiceField(choices=Mode.choices, source="current.mode", read_only=True, default=None)
    mode_label = serializers.CharField(source="current.get_mode_display", read_only=True, default=None)
    item_type = serializers.ChoiceField(
        choices=ItemType.choices, source="current.item_type", read_only=True, default=None
    )
    item_type_label = serializers.CharField(source="current.get_item_type_display", read_only=True, default=None)
    legal_basis = serializers.CharField(source="current.legal_basis", read_only=True, default="")
    statutory_limit = serializers.IntegerField(source="current.statutory_limit", read_only=True, default=None)
    promised_limit = serializers.IntegerField(source="current.promised_limit", read_only=True, default=None)
    fees = serializers.CharField(source="current.fees", read_only=True, default="")
    pre_reform_days = serializers.IntegerField(source="current.pre_reform_days", read_only=True, default=None)
    yellow_threshold = serializers.IntegerField(source="current.yellow_threshold", read_only=True, default=None)

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "department",
            "department_name",
            "status",
            "status_label",
            "status_reason",
            "version",
            "name",
            "mode",
            "mode_label",
            "legal_basis",
            "item_type",
            "item_type_label",
            "statutory_limit",
            "promised_limit",
            "fees",
            "pre_reform_days",
            "yellow_threshold",
            "created_at",
        ]
        read_only_fields = fields


class ItemDetailSerializer(ItemSerializer):
    """An item: its current version with its materials, and the list of its versions (newest first)."""

    materials = ItemMaterialSerializer(source="current.materials", many=True, read_only=True)
    versions = VersionBriefSerializer(many=True, read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "materials", "versions"]
        read_only_fields = fields


class ItemMaterialInputSerializer(serializers.Serializer):
    """A material of the list a version requires. Blank forms and samples carry over to a new version by name."""

    name = serializers.CharField(max_length=120)
    required = serializers.BooleanField(required=False, default=True)
    tolerable = serializers.BooleanField(
        required=False, default=False, help_text=_("May be promised for a later date (容缺); only a required one.")
    )
    original = serializers.BooleanField(required=False, default=True, help_text=_("False: a copy will do."))


def limit(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_DAYS, **kwargs)


class ItemFieldsSerializer(serializers.Serializer):
    """What a version of an item says (the service checks the rules: promised within statutory, …)."""

    name = serializers.CharField(max_length=100)
    mode = serializers.ChoiceField(choices=Mode.choices)
    legal_basis = serializers.CharField(required=False, allow_blank=True)
    item_type = serializers.ChoiceField(choices=ItemType.choices)
    statutory_limit = limit(help_text=_("working days"))
    promised_limit = limit(help_text=_("working days (0 for an immediate item)"))
    fees = serializers.CharField(max_length=200, required=False, allow_blank=True)
    pre_reform_days = limit(required=False, allow_null=True, help_text=_("working days before the reform"))
    yellow_threshold = limit(required=False, help_text=_("yellow when this many working days or fewer remain"))
    materials = ItemMaterialInputSerializer(many=True, required=False)


class ItemCreateSerializer(ItemFieldsSerializer):
    code = serializers.CharField(max_length=40)
    department = CodeOrIdRelatedField(queryset=Department.objects.all())


class ItemReviseSerializer(ItemFieldsSerializer):
    """Only the fields given change; ``materials``, when given, replaces the whole list."""

    department = CodeOrIdRelatedField(queryset=Department.objects.all(), required=False)
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("What changed (shown in the versions).")
    )

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class ItemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Item.Status.choices, help_text=_("suspended or cancelled (with a reason), or active to resume")
    )
    reason = text(max_length=200)
