"""M2: the one-stop approval centre (一站式行政服务中心).

The catalogue (事项清单) holds the items municipal departments delegated to the zone. An :class:`Item` is
the stable identity (code, department, status); what it says — name, mode, limits, materials — lives in
numbered :class:`ItemVersion` rows: an edit makes a new version, and an :class:`Application` (办件) keeps
the version it was filed under.

An application runs on a working-day clock (see ``hitechzone.common.deadlines``): day 1 is the first working
day after acceptance; :class:`Pause` rows (补正, 特别程序) stop it. ``due_on``, ``yellow_on`` and, once done,
``working_days_used`` and ``on_time`` are stored, so that lights and statistics are plain grouped queries.
Every write goes through ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hitechzone.common.choices import Rating as Level
from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet
from hitechzone.enterprises.models import officer_enterprise_id_list


class Mode(models.TextChoices):
    """How a municipal department delegated the power to the zone."""

    ENTRUSTED = "entrusted", _("Entrusted authorisation (委托授权)")
    JURISDICTION = "jurisdiction", _("Jurisdiction authorisation (管辖授权)")
    SEAL_FOLLOW = "seal_follow", _("Seal follows seal (见章跟章)")
    AGENCY = "agency", _("Entrusted handling (委托办理)")


class ItemType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate (即办件)")
    COMMITMENT = "commitment", _("Commitment (承诺件)")


# --- The catalogue ------------------------------------------------------------------------------------------


class Item(models.Model):
    """A delegated power (事项): its code, its department, whether it is open for applications."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", pgettext_lazy("approval item status", "Suspended")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("item code"), max_length=40, unique=True)
    department = models.ForeignKey(
        "zone.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="approval_items"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("reason for the status"), max_length=200, blank=True)
    current = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")
        indexes = [models.Index(fields=["department", "status"], name="item_department_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.current.name if self.current_id else ''}".strip()

    @property
    def name(self) -> str:
        return self.current.name if self.current_id else ""


class ItemVersion(models.Model):
    """What an item says, as of one version. Never edited once an application may refer to it."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("item name"), max_length=100)
    mode = models.CharField(_("delegation mode"), max_length=16, choices=Mode.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    item_type = models.CharField(_("item type"), max_length=12, choices=ItemType.choices)
    statutory_limit = models.PositiveSmallIntegerField(_("statutory limit (working days)"))
    promised_limit = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    pre_reform_days = models.PositiveSmallIntegerField(
        _("typical duration before the reform (working days)"), null=True, blank=True
    )
    yellow_threshold = models.PositiveSmallIntegerField(
        _("yellow light threshold (working days)"),
        default=1,
        help_text=_("The light turns yellow when this many working days or fewer remain."),
    )
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number"),
            models.CheckConstraint(
                condition=Q(promised_limit__lte=models.F("statutory_limit")), name="promised_within_statutory"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"


def _upload_path(kind: str, instance, filename: str) -> str:
    return f"approvals/{kind}/{instance.version.item.code}/v{instance.version.number}/{filename}"


def form_upload_to(instance, filename: str) -> str:
    return _upload_path("forms", instance, filename)


def sample_upload_to(instance, filename: str) -> str:
    return _upload_path("samples", instance, filename)


class Material(models.Model):
    """A material an item's version requires (申请材料)."""

    version = models.ForeignKey(
        ItemVersion, verbose_name=_("item version"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("material"), max_length=120)
    required = models.BooleanField(_("required"), default=True)
    tolerable = models.BooleanField(
        _("may be supplied later (容缺)"),
        default=False,
        help_text=_("The window may accept the application while this material is promised for a later date."),
    )
    original = models.BooleanField(_("original (not a copy)"), default=True)
    blank_form = models.FileField(_("blank form"), upload_to=form_upload_to, blank=True)
    sample = models.FileField(_("filled-in sample"), upload_to=sample_upload_to, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")

    def __str__(self) -> str:
        return self.name


# --- Applications -------------------------------------------------------------------------------------------


class ApplicationQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_dept(self, user):
        return self.filter(department_id=user.department_id) if user.department_id else self.none()

    def scope_officer(self, user):
        return self.filter(Q(agent=user) | Q(enterprise_id__in=officer_enterprise_id_list(user)))

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()

    def running(self):
        """Accepted and not done: the clock runs (or is paused)."""
        return self.filter(state__in=Application.CLOCK_STATES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state__in=Application.COUNTING_STATES, due_on__lt=today)


#: What the year's statistics read of an application (``queries._year_rows``).
STATS_COLUMNS = ("version", "state", "outcome", "working_days_used", "on_time", "paused_working_days")


class Application(models.Model):
    """An application (办件) for one item, by one enterprise, under the item's version of the day."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received (已接件)")
        ACCEPTED = "accepted", _("Accepted (已受理)")
        REJECTED = "rejected", _("Not accepted (不予受理)")
        CORRECTING = "correcting", _("Supplying materials (补正中)")
        PROCESSING = "processing", _("Processing (办理中)")
        SPECIAL = "special", _("Special procedure (特别程序)")
        COMPLETED = "completed", _("Completed (已办结)")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    # The clock runs in these states (once accepted); it is paused in CORRECTING (after acceptance) and SPECIAL.
    CLOCK_STATES = (State.ACCEPTED, State.PROCESSING, State.CORRECTING, State.SPECIAL)
    COUNTING_STATES = (State.ACCEPTED, State.PROCESSING)
    DONE_STATES = (State.REJECTED, State.COMPLETED)

    number = models.CharField(_("application number"), max_length=24, unique=True)
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="applications", db_index=False
    )
    version = models.ForeignKey(
        ItemVersion, verbose_name=_("item version"), on_delete=models.PROTECT, related_name="applications"
    )
    department = models.ForeignKey(
        "zone.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="applications",
        db_index=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="approval_applications",
        db_index=False,
    )
    bundle = models.ForeignKey(
        "Bundle",
        verbose_name=_("parallel approval"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    title = models.CharField(_("subject"), max_length=120, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval agent (代办)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agent_applications",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_tasks",
        db_index=False,
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField(_("received on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The clock, stored (recomputed by services and by ``recompute_due_dates``).
    limit_days = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    yellow_threshold = models.PositiveSmallIntegerField(_("yellow light threshold (working days)"), default=1)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    yellow_on = models.DateField(_("yellow from"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("paused working days"), default=0)
    working_days_used = models.PositiveIntegerField(_("working days taken"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    # The outcome.
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    reason = models.TextField(_("reason (refusal or non-acceptance)"), blank=True)
    historical = models.BooleanField(_("imported history"), default=False)
    red_notified = models.BooleanField(_("overdue reported to the leaders"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["state", "due_on"], name="application_state_due"),
            models.Index(fields=["department", "state"], name="application_department_state"),
            models.Index(fields=["enterprise", "-received_on"], name="application_enterprise"),
            # The year's statistics read these columns only: covering indexes (PostgreSQL INCLUDE; elsewhere plain).
            models.Index(fields=["received_on"], include=STATS_COLUMNS, name="application_received"),
            models.Index(fields=["department", "received_on"], include=STATS_COLUMNS, name="application_dept_received"),
            models.Index(fields=["item", "received_on"], name="application_item_received"),
            models.Index(fields=["agent", "state"], name="application_agent_state"),
            models.Index(fields=["assignee", "state"], name="application_assignee_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=models.F("received_on")),
                name="application_accepted_after_received",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("accepted_on")),
                name="application_completed_after_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_agent_filing(self) -> bool:
        return self.agent_id is not None

    @property
    def clock_started(self) -> bool:
        return self.accepted_on is not None

    def light(self, today=None) -> str:
        """``green``, ``yellow``, ``red``, ``paused`` while the clock is stopped, or ``""`` (no clock)."""
        today = today or timezone.localdate()
        if self.state in self.DONE_STATES or self.accepted_on is None:
            return ""
        if self.state in (self.State.CORRECTING, self.State.SPECIAL):
            return "paused"
        if self.due_on is None:
            return ""
        if today > self.due_on:
            return "red"
        if self.yellow_on is not None and today >= self.yellow_on:
            return "yellow"
        return "green"


class ApplicationMaterial(models.Model):
    """One required material of an application, as the window found it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        PROVIDED = "provided", _("Provided")
        MISSING = "missing", _("Missing")
        PROMISED = "promised", _("Promised for later (容缺)")
        SUPPLIED = "supplied", _("Supplied later")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="materials"
    )
    material = models.ForeignKey(Material, verbose_name=_("material"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    promised_by = models.DateField(_("promised by"), null=True, blank=True)
    supplied_on = models.DateField(_("supplied on"), null=True, blank=True)
    notice = models.ForeignKey(
        "Notice",
        verbose_name=_("listed in notice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
    )

    class Meta:
        ordering = ["application", "material__position", "id"]
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        constraints = [
            models.UniqueConstraint(fields=["application", "material"], name="application_material_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.material}"


class Notice(models.Model):
    """A one-time notice (一次性告知书): every missing material, listed once, with what to do."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="notices"
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    text = models.TextField(_("text of the notice"), blank=True)
    after_acceptance = models.BooleanField(_("after acceptance (clock paused)"), default=False)

    class Meta:
        ordering = ["application", "issued_on", "id"]
        verbose_name = _("one-time notice")
        verbose_name_plural = _("one-time notices")

    def __str__(self) -> str:
        return f"{self.application_id} {self.issued_on}"


class Pause(models.Model):
    """A stop of the clock, both days inclusive: 补正 after acceptance, or a special procedure."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Supplying materials (补正)")
        EXPERT_REVIEW = "expert_review", _("Expert review (专家评审)")
        HEARING = "hearing", _("Hearing (听证)")
        TESTING = "testing", _("Testing and inspection (检验检测)")
        SITE_SURVEY = "site_survey", _("Site survey (现场勘查)")
        PUBLIC_NOTICE = "public_notice", _("Public notice (公示)")

    SPECIAL_KINDS = (Kind.EXPERT_REVIEW, Kind.HEARING, Kind.TESTING, Kind.SITE_SURVEY, Kind.PUBLIC_NOTICE)

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="pauses"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to (inclusive)"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["application", "started_on", "id"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="pause_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["application", "started_on"], name="pause_application")]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class Step(models.Model):
    """One step of an application: who did what, when, from which state to which, and to whom it went."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


# --- Parallel approval -----------------------------------------------------------------------------------------


class BundleQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_dept(self, user):
        if not user.department_id:
            return self.none()
        return self.filter(applications__department_id=user.department_id).distinct()

    def scope_officer(self, user):
        return self.filter(Q(created_by=user) | Q(enterprise_id__in=officer_enterprise_id_list(user)))

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Bundle(models.Model):
    """并联审批: an investment project's applications across departments, done when all are done."""

    name = models.CharField(_("project"), max_length=120)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="bundles"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    total_working_days = models.PositiveIntegerField(_("total (working days)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    subject = models.CharField(
        _("for (another module's record)"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("A generic reference such as “projects.project:42” (common.bundles): the record it is opened for."),
    )

    objects = BundleQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("parallel approval")
        verbose_name_plural = _("parallel approvals")

    def __str__(self) -> str:
        return self.name


# --- 好差评 -------------------------------------------------------------------------------------------------------


class Review(models.Model):
    """The applicant's rating (好差评) of a completed application."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="review"
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_on = models.DateField(_("rated on"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-rated_on", "-id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_level_display()}"


class RectificationQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_dept(self, user):
        return self.filter(department_id=user.department_id) if user.department_id else self.none()

    def scope_officer(self, user):
        return self.filter(review__application__in=Application.objects.for_user(user))

    def scope_enterprise(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(review__application__enterprise_id=user.enterprise_id)


class Rectification(models.Model):
    """A rectification task (整改) after a 不满意 or worse rating: the department answers by a due date."""

    review = models.OneToOneField(
        Review, verbose_name=_("rating"), on_delete=models.CASCADE, related_name="rectification"
    )
    department = models.ForeignKey(
        "zone.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="rectifications"
    )
    due_on = models.DateField(_("due on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["answered_on", "due_on", "id"]
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")

    def __str__(self) -> str:
        return f"{self.review.application} · {self.department}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None
