"""The working-day calendar: one row per year, one row per day.

The days are seeded from the ``chinese_calendar`` package (public holidays and 调休 make-up workdays as
published in the State Council's annual notice) or, for a year the package does not know yet, filled
Monday–Friday only and flagged as not confirmed. Admins enter a newly published year by hand.

The functions that read these tables live in :mod:`hitechzone.common.calendar`; write to them only through
that module (it keeps ``CalendarYear.revision`` in step with the days, which is what the lookup cache keys on).
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
