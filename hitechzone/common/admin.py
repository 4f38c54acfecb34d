"""Admin of the working-day calendar.

A year's holidays and make-up workdays are edited as two text areas on the year's page (one line per
holiday period, one per make-up workday), written through :func:`calendar.calendar_year_set_manual`; the
days themselves are read-only here so that they never drift from their year.
"""

import re
from datetime import date, timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit, calendar
from .models import AuditEvent, CalendarDay, CalendarYear

_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_LINE = re.compile(rf"^(?P<first>{_DATE})(?:\s*(?:\.\.|~|～|至)\s*(?P<last>{_DATE}))?(?:\s+(?P<name>.*))?$")
_MAX_RANGE_DAYS = 31


def parse_day_lines(text: str) -> dict[date, str]:
    """``{date: name}`` from lines "2027-02-06..2027-02-13 春节" (a date or a range, then an optional name)."""
    result: dict[date, str] = {}
    errors = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        try:
            if match is None:
                raise ValueError
            first = date(*map(int, match["first"].split("-")))
            last = date(*map(int, match["last"].split("-"))) if match["last"] else first
        except ValueError:
            errors.append(
                ValidationError(
                    _("Line %(line)s (“%(text)s”) is not a date or a range of dates (YYYY-MM-DD..YYYY-MM-DD)."),
                    code="bad_line",
                    params={"line": number, "text": line},
                )
            )
            continue
        if not 0 <= (last - first).days < _MAX_RANGE_DAYS:
            errors.append(
                ValidationError(
                    _("Line %(line)s: a range must run forwards and last at most %(max)s days."),
                    code="bad_range",
                    params={"line": number, "max": _MAX_RANGE_DAYS},
                )
            )
            continue
        name = (match["name"] or "").strip()
        day = first
        while day <= last:
            if day in result and result[day] != name:
                errors.append(
                    ValidationError(
                        _("Line %(line)s: %(date)s is already listed as “%(name)s”."),
                        code="duplicate",
                        params={"line": number, "date": day.isoformat(), "name": result[day]},
                    )
                )
            result[day] = name
            day += timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    return result


def format_day_lines(days: dict[date, str]) -> str:
    """The inverse of :func:`parse_day_lines`: consecutive days of the same name become one range."""
    lines = []
    run: list[date] = []
    ordered = sorted(days.items())
    for index, (day, name) in enumerate(ordered):
        run.append(day)
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if following is None or following[0] != day + timedelta(days=1) or following[1] != name:
            span = run[0].isoformat() if len(run) == 1 else f"{run[0].isoformat()}..{run[-1].isoformat()}"
            lines.append(f"{span} {name}".rstrip())
            run = []
    return "\n".join(lines)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model the admin only shows: its writes go through the app's services (their rules, their audit)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CalendarYearForm(forms.ModelForm):
    holidays = forms.CharField(
        label=_("Public holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 48}),
        help_text=_(
            "One line per holiday period: a date or a range “first..last”, then the holiday's name, "
            "e.g. “2027-02-06..2027-02-13 春节”. Include the weekends inside the period."
        ),
    )
    makeup_workdays = forms.CharField(
        label=_("Make-up workdays (调休)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 48}),
        help_text=_(
            "One line per Saturday or Sunday worked instead, optionally followed by the holiday it makes up for, "
            "e.g. “2027-02-20 春节”."
        ),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "confirmed", "notice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            holidays, makeup = calendar.manual_entries(self.instance.pk)
            self.initial.setdefault("holidays", format_day_lines(holidays))
            self.initial.setdefault("makeup_workdays", format_day_lines(makeup))

    def clean_holidays(self) -> dict[date, str]:
        return parse_day_lines(self.cleaned_data.get("holidays", ""))

    def clean_makeup_workdays(self) -> dict[date, str]:
        return parse_day_lines(self.cleaned_data.get("makeup_workdays", ""))

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year", self.instance.pk)
        if year is not None and "holidays" in cleaned and "makeup_workdays" in cleaned:
            try:
                calendar.validate_manual_entry(
                    year=year, holidays=cleaned["holidays"], makeup_workdays=cleaned["makeup_workdays"]
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class CalendarDayInline(admin.TabularInline):
    """The year's holidays and make-up workdays, read-only (edit them with the text areas above)."""

    model = CalendarDay
    fields = ["date", "weekday", "kind", "holiday_name"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name = _("holiday or make-up workday")
    verbose_name_plural = _("holidays and make-up workdays")

    def get_queryset(self, request):
        kinds = [CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.MAKEUP_WORKDAY]
        return super().get_queryset(request).filter(kind__in=kinds)

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return formats.date_format(obj.date, "l")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _set_confirmed(queryset, confirmed: bool) -> int:
    """Flag the years one save at a time (a queryset update would bypass the audit trail)."""
    years = list(queryset)
    for calendar_year in years:
        calendar_year.confirmed = confirmed
        calendar_year.save(update_fields=["confirmed", "updated_at"])
    return len(years)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    form = CalendarYearForm
    inlines = [CalendarDayInline]
    list_display = ["year", "confirmed", "source", "notice", "holiday_count", "makeup_count", "updated_at"]
    list_filter = ["confirmed", "source"]
    search_fields = ["notice"]
    actions = ["mark_confirmed", "mark_unconfirmed", "reseed"]
    fieldsets = [
        (None, {"fields": ["year", "confirmed", "notice", "source", "updated_at"]}),
        (_("State Council notice"), {"fields": ["holidays", "makeup_workdays"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["year", "source", "updated_at"] if obj is not None else ["source", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _holiday_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
                _makeup_count=Count("days", filter=Q(days__kind=CalendarDay.Kind.MAKEUP_WORKDAY)),
            )
        )

    @admin.display(description=_("holidays"), ordering="_holiday_count")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj._holiday_count

    @admin.display(description=_("make-up workdays"), ordering="_makeup_count")
    def makeup_count(self, obj: CalendarYear) -> int:
        return obj._makeup_count

    def save_model(self, request, obj: CalendarYear, form: CalendarYearForm, change: bool) -> None:
        holidays = form.cleaned_data["holidays"]
        makeup = form.cleaned_data["makeup_workdays"]
        if change and (holidays, makeup) == calendar.manual_entries(obj.pk):
            obj.save()  # only the flag or the notice changed: the days (and their source) stay as they are
            return
        calendar.calendar_year_set_manual(
            year=obj.year, holidays=holidays, makeup_workdays=makeup, notice=obj.notice, confirmed=obj.confirmed
        )
        obj.refresh_from_db()

    @admin.action(description=_("Mark the selected years as confirmed"), permissions=["change"])
    def mark_confirmed(self, request, queryset) -> None:
        count = _set_confirmed(queryset, True)
        self.message_user(
            request,
            ngettext("%(count)d year marked as confirmed.", "%(count)d years marked as confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected years as not confirmed"), permissions=["change"])
    def mark_unconfirmed(self, request, queryset) -> None:
        count = _set_confirmed(queryset, False)
        self.message_user(
            request,
            ngettext("%(count)d year marked as not confirmed.", "%(count)d years marked as not confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Seed the selected years again from chinese_calendar (weekdays only if it does not know them)"),
        permissions=["change"],
    )
    def reseed(self, request, queryset) -> None:
        years = list(queryset.values_list("year", flat=True))
        for year in years:
            calendar.calendar_year_reseed(year=year)
        self.message_user(
            request,
            ngettext("%(count)d year seeded again.", "%(count)d years seeded again.", len(years))
            % {"count": len(years)},
            messages.SUCCESS,
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Read-only list of days; a year's holidays are edited on the year's page."""

    list_display = ["date", "weekday", "kind", "is_working_day", "holiday_name", "calendar_year"]
    list_filter = ["kind", "is_working_day", "calendar_year__confirmed", "calendar_year"]
    search_fields = ["holiday_name"]
    date_hierarchy = "date"
    list_select_related = ["calendar_year"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return formats.date_format(obj.date, "l")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- The audit trail: read-only ---------------------------------------------------------------------------------


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Audit records can be read here, never added, changed or deleted."""

    list_display = ["at", "username", "source", "action", "content_type", "object_repr", "batch"]
    list_filter = ["source", "action", "content_type"]
    search_fields = ["object_repr", "username"]
    date_hierarchy = "at"
    list_select_related = ["content_type", "batch"]
    fields = [
        "at",
        "username",
        "user",
        "source",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "enterprise_id",
        "batch",
        "change_list",
    ]
    readonly_fields = fields
    actions = None

    @admin.display(description=_("changes"))
    def change_list(self, obj: AuditEvent) -> str:
        rows = [(c.label, c.before, c.after) for c in audit.describe(obj)]
        if not rows:
            return "—"
        return format_html(
            "<ul class='audit-changes'>{}</ul>",
            format_html_join("", "<li>{}: {} → {}</li>", rows),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
