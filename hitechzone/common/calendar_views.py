"""The deadline calculator (``/calendar/deadline/``): window staff type an acceptance date, a time limit and
the pauses, and see the due date with the days counted one by one.

A GET form, so that an answer is a link one can send. Any signed-in user may use it.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .deadlines import MAX_DAYS, check_year, due_date, merge_pauses, parse_pause
from .models import CalendarDay

app_name = "calendar"

#: The day table stops after this many rows (a long pause can make the span years long).
MAX_ROWS = 400

Kind = CalendarDay.Kind


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label=_("Acceptance date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
        help_text=_("Day 0: counting starts the next working day."),
    )
    days = forms.IntegerField(
        label=_("Time limit (working days)"),
        min_value=0,
        max_value=MAX_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        help_text=_("0 for an immediate item: due on the acceptance date."),
    )
    pauses = forms.CharField(
        label=_("Pauses"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "class": "form-control font-monospace",
                "rows": 3,
                "placeholder": "2025-01-27:2025-02-07",
                "spellcheck": "false",
            }
        ),
        help_text=_(
            "Waiting for corrections or a special procedure: one pause per line as YYYY-MM-DD:YYYY-MM-DD, "
            "both days included. Working days inside a pause are not counted."
        ),
    )

    def clean_start(self) -> date:
        start = self.cleaned_data["start"]
        try:
            check_year(start)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return start

    def clean_pauses(self) -> list[tuple[date, date]]:
        pauses, errors = [], []
        for line in self.cleaned_data["pauses"].replace(",", "\n").splitlines():
            if line.strip():
                try:
                    pauses.append(parse_pause(line))
                except ValueError as exc:
                    errors.append(str(exc))
        if errors:
            raise forms.ValidationError(errors)
        return merge_pauses(pauses)


@dataclasses.dataclass(frozen=True)
class DayRow:
    day: date
    label: str
    counted: bool
    count: int | None  # the running count on a counted day
    paused: bool
    working: bool
    is_start: bool = False
    is_due: bool = False


def _label(kind: str, holiday_name: str) -> str:
    label = str(Kind(kind).label)
    return f"{label} · {holiday_name}" if holiday_name else label


def day_rows(start: date, due: date, pauses: list[tuple[date, date]]) -> tuple[list[DayRow], bool]:
    """One row per day from the acceptance date to the due date, and whether the list was cut at MAX_ROWS."""
    days = list(
        CalendarDay.objects.filter(date__gte=start, date__lte=due)
        .order_by("date")
        .values_list("date", "kind", "is_working_day", "holiday_name")[: MAX_ROWS + 1]
    )
    rows, count = [], 0
    for day, kind, working, holiday_name in days[:MAX_ROWS]:
        paused = day != start and any(a <= day <= b for a, b in pauses)
        counted = day != start and working and not paused
        count += counted
        rows.append(
            DayRow(
                day=day,
                label=gettext("Acceptance date") if day == start else _label(kind, holiday_name),
                counted=counted,
                count=count if counted else None,
                paused=paused,
                working=working,
                is_start=day == start,
                is_due=day == due,
            )
        )
    return rows, len(days) > MAX_ROWS


@login_required
def deadline_calculator(request):
    bound = any(key in request.GET for key in ("start", "days", "pauses"))
    form = DeadlineForm(request.GET if bound else None, initial={"start": timezone.localdate(), "days": 20})
    answer = None
    if bound and form.is_valid():
        start, days, pauses = (form.cleaned_data[k] for k in ("start", "days", "pauses"))
        try:
            result = due_date(start, days, pauses)
        except ValueError as exc:  # the due date would leave the calendar's years
            form.add_error("days", str(exc))
        else:
            rows, truncated = day_rows(start, result.value, pauses)
            answer = {
                "start": start,
                "days": days,
                "due_on": result.value,
                "provisional": result.provisional,
                "unconfirmed_years": ", ".join(str(year) for year in result.unconfirmed_years),
                "pauses": pauses,
                "rows": rows,
                "truncated": truncated,
                "max_rows": MAX_ROWS,
            }
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    return render(request, "common/deadline_calculator.html", {"form": form, "answer": answer})


urlpatterns = [path("deadline/", deadline_calculator, name="deadline")]
