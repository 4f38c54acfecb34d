"""The working-day calendar: one row per year, one row per day.

The days are seeded from the ``chinese_calendar`` package (public holidays and 调休 make-up workdays as
published in the State Council's annual notice) or, for a year the package does not know yet, filled
Monday–Friday only and flagged as not confirmed. Admins enter a newly published year by hand.

The functions that read these tables live in :mod:`hitechzone.common.calendar`; write to them only through
that module (it keeps ``CalendarYear.revision`` in step with the days, which is what the lookup cache keys on).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import signed_in

#: The years the calendar accepts (the range ``chinese_calendar`` computes solar terms for).
MIN_YEAR = 1900
MAX_YEAR = 2100


class CalendarYear(models.Model):
    """One calendar year and where its holidays came from."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese_calendar package")
        MANUAL = "manual", _("Entered by hand")
        WEEKDAYS_ONLY = "weekdays_only", _("Weekdays only (no holiday data)")

    year = models.PositiveSmallIntegerField(
        _("year"),
        primary_key=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("The holidays and make-up workdays match the State Council's notice for this year."),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.WEEKDAYS_ONLY)
    notice = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("Reference of the State Council's notice, e.g. 国办发明电〔2025〕7号."),
    )
    # A new value every time the year's days are rewritten: the in-process lookup cache compares it.
    revision = models.UUIDField(_("revision"), default=uuid.uuid4, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day: whether people work on it, and why (weekend, public holiday, 调休 make-up workday)."""

    class Kind(models.TextChoices):
        WORKDAY = "workday", _("Workday")
        WEEKEND = "weekend", _("Weekend")
        HOLIDAY = "holiday", _("Public holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up workday")

    WORKING_KINDS = frozenset({Kind.WORKDAY, Kind.MAKEUP_WORKDAY})

    date = models.DateField(_("date"), primary_key=True)
    calendar_year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("calendar year"),
        db_index=False,  # covered by the composite index below
    )
    is_working_day = models.BooleanField(_("working day"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    holiday_name = models.CharField(
        _("holiday name"),
        max_length=64,
        blank=True,
        help_text=_("For a public holiday its name (e.g. 春节); for a make-up workday the holiday it makes up for."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        indexes = [
            # The lookups load "the working days of these years" (index-only scan).
            models.Index(fields=["calendar_year", "is_working_day", "date"], name="common_day_year_working_idx"),
            # The admin lists a year's holidays and make-up workdays.
            models.Index(fields=["calendar_year", "kind"], name="common_day_year_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["workday", "makeup_workday"], is_working_day=True)
                    | models.Q(kind__in=["weekend", "holiday"], is_working_day=False)
                ),
                name="common_day_kind_matches_working",
            ),
        ]

    def __str__(self) -> str:
        label = self.holiday_name or self.get_kind_display()
        return f"{self.date.isoformat()} {label}"


# --- The audit trail -------------------------------------------------------------------------------------------


class Source(models.TextChoices):
    UI = "ui", _("Web UI")
    API = "api", _("API")
    ADMIN = "admin", _("Administration")
    IMPORT = "import", _("Import")
    SYSTEM = "system", _("System")


class AuditQuerySet(models.QuerySet):
    def for_user(self, user):
        """Auditors are the administrators and the leaders; nobody else reads the whole trail."""
        if not signed_in(user):
            return self.none()
        return self.all() if user.sees_everything else self.none()


class AuditEvent(models.Model):
    """One create, update or delete: who, when, from where, which object, each field before and after.

    Written by the audit machinery (``hitechzone.common.audit``) only; never edited or deleted, except by
    the prune command for records older than the retention window.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, verbose_name=_("object type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    enterprise_id = models.BigIntegerField(_("enterprise"), null=True, blank=True)
    batch = models.ForeignKey(
        "common.ImportBatch",
        verbose_name=_("import batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit trail")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_at"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
            models.Index(fields=["enterprise_id", "-at"], name="audit_enterprise_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise PermissionError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit records cannot be deleted")


# --- Imports and background jobs ---------------------------------------------------------------------------------


class ImportBatch(models.Model):
    """One workbook taken in (or refused): what, by whom, its hash, and what it did to the data."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be checked")
        VALID = "valid", _("Checked, waiting for confirmation")
        INVALID = "invalid", _("Refused: bad rows")
        REFUSED = "refused", _("Refused: not a safe workbook")
        WRITTEN = "written", _("Written")
        DUPLICATE = "duplicate", _("Already imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.UI)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(_("message"), blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_bad = models.PositiveIntegerField(_("bad rows"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    upload = models.FileField(_("uploaded file"), upload_to="imports/%Y/%m/", blank=True)
    report = models.FileField(_("error report"), upload_to="imports/reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["kind", "sha256", "status"], name="import_batch_hash")]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.file_name} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        """The kind as people call it (its label in the import registry), never its code."""
        from .intake import kind_label  # the registry imports this module

        return kind_label(self.kind)


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        if not signed_in(user):
            return self.none()
        return self.all() if user.is_admin_role else self.filter(user=user)


class Job(models.Model):
    """Background work is a row (NetBox's Job): status, progress, log, who started it, result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    log = models.TextField(_("log"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import batch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The worker running the job beats every second or so; a stale beat means the worker is gone (jobs.py).
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker = models.CharField(_("worker"), max_length=100, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="job_queue")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


# --- Inbox -------------------------------------------------------------------------------------------------------


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if not signed_in(user):
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A line in a user's in-app inbox (reminders, escalations). ``key`` makes a scheduled reminder idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(_("key"), max_length=120)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text


class ScheduledRun(models.Model):
    """A scheduled task for a day: claimed (running), then done or failed; done once per due day (schedule.py)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("task"), max_length=64)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DONE)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    at = models.DateTimeField(_("ran at"), default=timezone.now)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-day", "name"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="scheduled_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
