"""The serializers of the M2 API (the viewsets are in ``api.py``).

Reads answer codes for the catalogue and the departments (``"330100-A-001"``, ``"dept3"``), ids for the rest.
Writes are request bodies checked here for their types only: every rule is the service's, which answers a
refusal with its own message.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hitechzone.accounts.models import User
from hitechzone.common.api import MAX_ID, CodeOrIdRelatedField
from hitechzone.common.deadlines import MAX_DAYS, BulkClock, to_ordinals
from hitechzone.enterprises.models import Enterprise
from hitechzone.zone.models import Department

from .models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Material,
    Mode,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from .queries import LIGHTS

LIGHT_HELP = _("green, yellow, red, paused (clock stopped), or empty (no clock: not accepted yet, or done)")


def request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def username(user) -> str | None:
    return user.username if user is not None else None


class IdListField(serializers.ListField):
    """A list of ids (of ``Material`` rows, for the materials of an application)."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)


def text(**kwargs) -> serializers.CharField:
    """A free text the service checks (a blank one answers the service's message, e.g. "Give the reason")."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


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


# --- Applications -----------------------------------------------------------------------------------------------


def remaining_working_days(applications, today: date | None = None) -> dict[int, int]:
    """``{pk: working days left}`` for the applications whose clock runs (negative when overdue), in one go.

    As :func:`hitechzone.common.deadlines.remaining_working_days` (the working days after today up to the due
    date), computed for a whole page with one :class:`~hitechzone.common.deadlines.BulkClock`: one calendar
    lookup, not one per row.
    """
    today = today or timezone.localdate()
    running = [a for a in applications if a.state in Application.COUNTING_STATES and a.due_on is not None]
    if not running:
        return {}
    low = [min(a.due_on, today) for a in running]
    high = [max(a.due_on, today) for a in running]
    clock = BulkClock(min(low).year, max(high).year)
    counts, _provisional = clock.counted(to_ordinals(low), to_ordinals(high))
    return {a.pk: int(n) if a.due_on >= today else -int(n) for a, n in zip(running, counts, strict=True)}


class ClockListSerializer(serializers.ListSerializer):
    """Works out the remaining working days of the whole page before its rows are serialized."""

    def to_representation(self, data):
        rows = list(data.all() if isinstance(data, models.Manager | models.QuerySet) else data)
        self.remaining = remaining_working_days(rows)
        return super().to_representation(rows)


class ApplicationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="version.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    item_type = serializers.ChoiceField(choices=ItemType.choices, source="version.item_type", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    applicant = serializers.CharField(source="applicant.username", read_only=True, default=None)
    agent = serializers.CharField(
        source="agent.username", read_only=True, default=None, help_text=_("the officer who filed it as agent (代办)")
    )
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)
    light = serializers.SerializerMethodField(help_text=LIGHT_HELP)
    remaining_working_days = serializers.SerializerMethodField(
        help_text=_("While the clock runs: the working days after today up to the due date (negative: overdue).")
    )

    class Meta:
        model = Application
        list_serializer_class = ClockListSerializer
        fields = [
            "id",
            "number",
            "item",
            "item_name",
            "version",
            "item_type",
            "department",
            "department_name",
            "enterprise",
            "enterprise_name",
            "bundle",
            "title",
            "state",
            "state_label",
            "applicant",
            "agent",
            "assignee",
            "received_on",
            "accepted_on",
            "completed_on",
            "limit_days",
            "due_on",
            "due_provisional",
            "light",
            "remaining_working_days",
            "paused_working_days",
            "working_days_used",
            "on_time",
            "outcome",
            "certificate_no",
            "historical",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[*LIGHTS, ""]))
    def get_light(self, obj) -> str:
        return obj.light()

    def get_remaining_working_days(self, obj) -> int | None:
        remaining = getattr(self.parent, "remaining", None)
        if remaining is None:  # one application, not a page
            remaining = remaining_working_days([obj])
        return remaining.get(obj.pk)


class ApplicationMaterialSerializer(serializers.ModelSerializer):
    material = serializers.IntegerField(
        source="material_id", read_only=True, help_text=_("the id to give in check, supply and pause")
    )
    name = serializers.CharField(source="material.name", read_only=True)
    required = serializers.BooleanField(source="material.required", read_only=True)
    tolerable = serializers.BooleanField(source="material.tolerable", read_only=True)
    original = serializers.BooleanField(source="material.original", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ApplicationMaterial
        fields = [
            "material",
            "name",
            "required",
            "tolerable",
            "original",
            "status",
            "status_label",
            "promised_by",
            "supplied_on",
            "notice",
        ]
        read_only_fields = fields


class ApplicationNoticeSerializer(serializers.ModelSerializer):
    issued_by = serializers.CharField(source="issued_by.username", read_only=True, default=None)
    materials = serializers.SerializerMethodField(help_text=_("the ids of the materials it lists"))

    class Meta:
        model = Notice
        fields = ["id", "issued_on", "issued_by", "text", "after_acceptance", "materials"]
        read_only_fields = fields

    def get_materials(self, obj) -> list[int]:
        return [row.material_id for row in obj.materials.all()]


class ApplicationPauseSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("one of the kinds of the pause request"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Pause
        fields = ["kind", "kind_label", "started_on", "ended_on", "reason"]
        read_only_fields = fields


class ApplicationStepSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True, default=None)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None)

    class Meta:
        model = Step
        fields = ["at", "on", "by", "action", "from_state", "to_state", "assignee", "note"]
        read_only_fields = fields


class RectificationBriefSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code", read_only=True)
    answered_by = serializers.CharField(source="answered_by.username", read_only=True, default=None)

    class Meta:
        model = Rectification
        fields = ["id", "department", "due_on", "is_open", "answer", "answered_on", "answered_by"]
        read_only_fields = fields


def level_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text=_("5 very satisfied (非常满意) … 1 very dissatisfied (非常不满意)"),
        **kwargs,
    )


class ApplicationReviewSerializer(serializers.ModelSerializer):
    level = level_field(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    rated_by = serializers.CharField(source="rated_by.username", read_only=True, default=None)
    rectification = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["level", "level_label", "comment", "rated_on", "rated_by", "rectification"]
        read_only_fields = fields

    @extend_schema_field(RectificationBriefSerializer(allow_null=True))
    def get_rectification(self, obj):
        try:
            return RectificationBriefSerializer(obj.rectification, context=self.context).data
        except ObjectDoesNotExist:
            return None


class ApplicationDetailSerializer(ApplicationSerializer):
    """An application with its materials, notices, pauses, steps, rating and rectification."""

    bundle_name = serializers.CharField(source="bundle.name", read_only=True, default=None)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    materials = ApplicationMaterialSerializer(many=True, read_only=True)
    notices = ApplicationNoticeSerializer(many=True, read_only=True)
    pauses = ApplicationPauseSerializer(many=True, read_only=True)
    steps = ApplicationStepSerializer(many=True, read_only=True)
    review = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "bundle_name",
            "yellow_threshold",
            "yellow_on",
            "outcome_label",
            "reason",
            "created_at",
            "materials",
            "notices",
            "pauses",
            "steps",
            "review",
        ]
        read_only_fields = fields

    @extend_schema_field(ApplicationReviewSerializer(allow_null=True))
    def get_review(self, obj):
        try:
            return ApplicationReviewSerializer(obj.review, context=self.context).data
        except ObjectDoesNotExist:
            return None


class OverdueSerializer(ApplicationSerializer):
    overdue_working_days = serializers.SerializerMethodField(
        help_text=_("The working days after the due date up to today (0 over the weekend after a Friday due date).")
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "overdue_working_days"]
        read_only_fields = fields

    def get_overdue_working_days(self, obj) -> int:
        return max(0, -(self.get_remaining_working_days(obj) or 0))


class ForEnterpriseSerializer(serializers.Serializer):
    """A request body naming an enterprise the user may act for (an enterprise user may leave it out)."""

    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("enterprise id; an enterprise user's own if left out"),
        error_messages={"does_not_exist": _("You cannot file for an enterprise with the id “{pk_value}”.")},
    )

    def get_fields(self):
        fields = super().get_fields()
        fields["enterprise"].queryset = Enterprise.objects.for_user(request_user(self))
        return fields

    def validate(self, attrs):
        if attrs.get("enterprise") is None:
            user = request_user(self)
            if user is None or not user.enterprise_id:
                raise serializers.ValidationError({"enterprise": [_("Choose the enterprise.")]})
            attrs["enterprise"] = user.enterprise
        return attrs


class ApplicationCreateSerializer(ForEnterpriseSerializer):
    """File an application: an enterprise user for its own enterprise, its service officer as approval agent
    (代办), or an administrator."""

    item = CodeOrIdRelatedField(queryset=Item.objects.all(), help_text=_("item code or id"))
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    provided = IdListField(help_text=_("ids of the materials (of the current version) handed in with it"))
    received_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text=_("today if left out; never in the future")
    )


class MaterialPromiseSerializer(serializers.Serializer):
    material = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    by = serializers.DateField(help_text=_("the day the applicant promises to hand it in"))


class ApplicationCheckSerializer(serializers.Serializer):
    """The window's check: every required material provided, or (容缺) promised, accepts; otherwise one notice."""

    provided = IdListField(help_text=_("ids of the materials found in order"))
    promised = MaterialPromiseSerializer(many=True, required=False, default=list)
    note = text()

    def validate(self, attrs):
        attrs["promised"] = {p["material"]: p["by"] for p in attrs["promised"]}
        return attrs


class ApplicationRejectSerializer(serializers.Serializer):
    reason = text()


class ApplicationSupplySerializer(serializers.Serializer):
    materials = IdListField(help_text=_("ids of the missing or promised materials handed in"))


class ApplicationAssignSerializer(serializers.Serializer):
    assignee = CodeOrIdRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text=_("username or id of one of the department's staff"),
    )
    note = text()


class ClockPauseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Pause.Kind.choices)
    reason = text(max_length=200)
    missing = IdListField(help_text=_("for a correction (补正): ids of the materials to supply again"))


class ApplicationNoteSerializer(serializers.Serializer):
    note = text()


class ApplicationCompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Application.Outcome.choices)
    certificate_no = text(max_length=60, help_text=_("approved: the certificate or approval document number"))
    reason = text(help_text=_("refused: the reason"))


class ApplicationRateSerializer(serializers.Serializer):
    level = level_field()
    comment = text(help_text=_("required for 2 (不满意) or 1: it goes to the department as a rectification task"))


# --- Parallel approval ------------------------------------------------------------------------------------------


class BundleApplicationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="version.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    done = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField(help_text=LIGHT_HELP)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "item",
            "item_name",
            "department",
            "department_name",
            "state",
            "state_label",
            "done",
            "outcome",
            "accepted_on",
            "due_on",
            "completed_on",
            "working_days_used",
            "light",
        ]
        read_only_fields = fields

    def get_done(self, obj) -> bool:
        return obj.state in Application.DONE_STATES

    @extend_schema_field(serializers.ChoiceField(choices=[*LIGHTS, ""]))
    def get_light(self, obj) -> str:
        return obj.light()


class BundleSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    done = serializers.SerializerMethodField(help_text=_("every application of the bundle is done"))
    applications = BundleApplicationSerializer(many=True, read_only=True)

    class Meta:
        model = Bundle
        fields = [
            "id",
            "name",
            "enterprise",
            "enterprise_name",
            "created_by",
            "started_on",
            "completed_on",
            "done",
            "total_working_days",
            "applications",
        ]
        read_only_fields = fields

    def get_done(self, obj) -> bool:
        return obj.completed_on is not None


class BundleCreateSerializer(ForEnterpriseSerializer):
    """并联审批: one application per item, filed together for one project of the enterprise."""

    name = serializers.CharField(max_length=120, help_text=_("the project"))
    items = CodeOrIdRelatedField(many=True, queryset=Item.objects.all(), help_text=_("item codes or ids"))


# --- Rectifications ---------------------------------------------------------------------------------------------


class RectificationSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="review.application_id", read_only=True)
    application_number = serializers.CharField(source="review.application.number", read_only=True)
    item_name = serializers.CharField(source="review.application.version.name", read_only=True)
    enterprise = serializers.IntegerField(source="review.application.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="review.application.enterprise.name", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    level = level_field(source="review.level", read_only=True)
    level_label = serializers.CharField(source="review.get_level_display", read_only=True)
    comment = serializers.CharField(source="review.comment", read_only=True)
    rated_on = serializers.DateField(source="review.rated_on", read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("unanswered after the due date"))
    answered_by = serializers.CharField(source="answered_by.username", read_only=True, default=None)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "application",
            "application_number",
            "item_name",
            "enterprise",
            "enterprise_name",
            "department",
            "department_name",
            "level",
            "level_label",
            "comment",
            "rated_on",
            "due_on",
            "is_open",
            "overdue",
            "answer",
            "answered_on",
            "answered_by",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.answered_on is None and obj.due_on < timezone.localdate()


class RectificationAnswerSerializer(serializers.Serializer):
    answer = text(help_text=_("what the department put right"))


# --- Figures ----------------------------------------------------------------------------------------------------


class ApprovalTallySerializer(serializers.Serializer):
    """Counts over the applications received in the year; processing times over completed commitment items."""

    applications = serializers.IntegerField()
    completed = serializers.IntegerField()
    approved = serializers.IntegerField()
    refused = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text=_("not accepted (不予受理)"))
    immediate_completed = serializers.IntegerField()
    average_working_days = serializers.FloatField(allow_null=True)
    fastest_working_days = serializers.IntegerField(allow_null=True)
    slowest_working_days = serializers.IntegerField(allow_null=True)
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text=_("0..1 of the completed"))
    paused = serializers.IntegerField(help_text=_("applications whose clock stopped at least one working day"))
    timed = serializers.IntegerField(help_text=_("completed commitment items (the processing times are theirs)"))


class ApprovalLightsSerializer(serializers.Serializer):
    green = serializers.IntegerField()
    yellow = serializers.IntegerField()
    red = serializers.IntegerField()
    paused = serializers.IntegerField()


class ApprovalComparisonSerializer(serializers.Serializer):
    pre_reform_average_days = serializers.FloatField(allow_null=True)
    average_working_days = serializers.FloatField(allow_null=True)
    pre_reform_min_days = serializers.IntegerField(allow_null=True)
    pre_reform_max_days = serializers.IntegerField(allow_null=True)
    fastest_working_days = serializers.IntegerField(allow_null=True)
    fastest_project_working_days = serializers.IntegerField(allow_null=True)


class BundleStatsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    completed = serializers.IntegerField()
    average_working_days = serializers.FloatField(allow_null=True)
    fastest_working_days = serializers.IntegerField(allow_null=True)


class ApprovalDepartmentStatsSerializer(ApprovalTallySerializer):
    department = serializers.CharField(help_text=_("department code"))
    name = serializers.CharField()
    short_name = serializers.CharField()
    items = serializers.IntegerField()
    pre_reform_average_days = serializers.FloatField(allow_null=True)


class ItemStatsSerializer(ApprovalTallySerializer):
    item = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField(help_text=_("department code"))
    department_name = serializers.CharField()
    mode = serializers.ChoiceField(choices=Mode.choices)
    item_type = serializers.ChoiceField(choices=ItemType.choices)
    promised_limit = serializers.IntegerField()
    statutory_limit = serializers.IntegerField()
    pre_reform_days = serializers.IntegerField(allow_null=True)


class ApprovalMonthStatsSerializer(ApprovalTallySerializer):
    month = serializers.IntegerField(min_value=1, max_value=12)


@extend_schema_field(
    {
        "type": "object",
        "properties": {mode: {"type": "integer"} for mode in Mode.values},
        "additionalProperties": False,
    }
)
class ByModeField(serializers.DictField):
    child = serializers.IntegerField()


class ApprovalStatsSerializer(ApprovalTallySerializer):
    """The figures of a year over what the user may see."""

    year = serializers.IntegerField()
    items = serializers.IntegerField(help_text=_("items of the catalogue (not cancelled)"))
    departments = serializers.IntegerField(help_text=_("departments with items in the catalogue"))
    by_mode = ByModeField(help_text=_("items per delegation mode"))
    lights = ApprovalLightsSerializer(help_text=_("running applications per light, today"))
    overdue = serializers.IntegerField(help_text=_("running applications past their due date, today"))
    comparison = ApprovalComparisonSerializer()
    bundles = BundleStatsSerializer()
    by_department = ApprovalDepartmentStatsSerializer(many=True)
    by_item = ItemStatsSerializer(many=True)
    by_month = ApprovalMonthStatsSerializer(many=True)
