"""The calendar API: the due date of a time limit in working days, and the working days between two dates.

Any signed-in user may ask (the answers reveal nothing but the public holiday calendar). Bad input answers
400 with one message per field, never 500.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .calendar import working_days_between
from .deadlines import ISO_DATE, MAX_DAYS, check_year, due_date, merge_pauses, parse_pause


def parse_date(value: str | None, *, required: bool = True) -> date | None:
    """A ``YYYY-MM-DD`` date within the calendar's years; :class:`ValueError` with a message otherwise."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError(gettext("This parameter is required (YYYY-MM-DD)."))
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            gettext("“%(value)s” is not a date: give it as YYYY-MM-DD, e.g. 2025-03-14.") % {"value": value}
        ) from None
    check_year(day)
    return day


def parse_days(value: str | None) -> int:
    """A whole number of working days from 0 to :data:`MAX_DAYS`."""
    value = (value or "").strip()
    if not value:
        raise ValueError(gettext("This parameter is required (a number of working days)."))
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdecimal()) or int(value) < 0 or int(value) > MAX_DAYS:
        raise ValueError(
            gettext("Give a whole number of working days from 0 to %(max)s, not “%(value)s”.")
            % {"max": MAX_DAYS, "value": value}
        )
    return int(value)


def parse_pauses(values: list[str]) -> list[tuple[date, date]]:
    """Pauses given as repeated parameters and/or comma-separated ``a:b`` pairs (empty items skipped)."""
    return [parse_pause(item) for value in values for item in value.split(",") if item.strip()]


class DeadlineSerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("The acceptance date (day 0)."))
    days = serializers.IntegerField(help_text=_("The time limit in working days."))
    due_on = serializers.DateField(help_text=_("The date of the last counted working day."))
    provisional = serializers.BooleanField(
        help_text=_("True when the count went through a year whose holidays are not confirmed yet.")
    )
    unconfirmed_years = serializers.ListField(child=serializers.IntegerField())
    pauses = serializers.ListField(
        child=serializers.ListField(child=serializers.DateField(), min_length=2, max_length=2),
        help_text=_("The pauses as counted: sorted, overlapping or adjacent ones merged."),
    )
    paused_working_days = serializers.IntegerField(
        help_text=_("The working days up to the due date left out of the count because of a pause.")
    )


class WorkingDaysSerializer(serializers.Serializer):
    working_days = serializers.IntegerField(
        help_text=_("The working days after `from` up to and including `to` (negative if `to` is before `from`).")
    )
    provisional = serializers.BooleanField()
    unconfirmed_years = serializers.ListField(child=serializers.IntegerField())


def _collect(errors: dict[str, list[str]], field: str, parse, *args, **kwargs):
    try:
        return parse(*args, **kwargs)
    except ValueError as exc:
        errors.setdefault(field, []).append(str(exc))
        return None


class DeadlineView(APIView):
    """The due date of a time limit of ``days`` working days, counted from the day after ``start``.

    Day 1 is the first working day after the acceptance date (受理次日起算); the working days inside a pause
    (补正, 特别程序; both dates inclusive) are not counted; ``days=0`` (an immediate item) is due on ``start``.
    Working days follow the State Council's holidays and make-up workdays; a year not published yet counts
    Monday to Friday and makes the answer provisional.
    """

    @extend_schema(
        summary=_("Due date of a time limit in working days."),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True, description=_("the acceptance date")),
            OpenApiParameter(
                "days", OpenApiTypes.INT, required=True, description=_("the time limit in working days, 0 to 1000")
            ),
            OpenApiParameter(
                "pause",
                OpenApiTypes.STR,
                many=True,
                description=_(
                    "a pause as YYYY-MM-DD:YYYY-MM-DD, both days inclusive; repeat the parameter "
                    "or separate pauses with commas"
                ),
            ),
        ],
        responses=DeadlineSerializer,
    )
    def get(self, request):
        params = request.query_params
        errors: dict[str, list[str]] = {}
        start = _collect(errors, "start", parse_date, params.get("start"))
        days = _collect(errors, "days", parse_days, params.get("days"))
        pauses = _collect(errors, "pause", lambda: merge_pauses(parse_pauses(params.getlist("pause"))))
        if errors:
            raise serializers.ValidationError(errors)
        try:
            result = due_date(start, days, pauses)
        except ValueError as exc:  # the due date would leave the calendar's years
            raise serializers.ValidationError({"days": [str(exc)]}) from None
        paused = working_days_between(start, result.value).value - days if days else 0
        return Response(
            DeadlineSerializer(
                {
                    "start": start,
                    "days": days,
                    "due_on": result.value,
                    "provisional": result.provisional,
                    "unconfirmed_years": list(result.unconfirmed_years),
                    "pauses": [list(pause) for pause in pauses],
                    "paused_working_days": paused,
                }
            ).data
        )


class WorkingDaysView(APIView):
    """The working days after ``from`` up to and including ``to`` (``from`` itself is not counted)."""

    @extend_schema(
        summary=_("Working days between two dates."),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True, description=_("the day before the first")),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True, description=_("the last day counted")),
        ],
        responses=WorkingDaysSerializer,
    )
    def get(self, request):
        params = request.query_params
        errors: dict[str, list[str]] = {}
        first = _collect(errors, "from", parse_date, params.get("from"))
        last = _collect(errors, "to", parse_date, params.get("to"))
        if errors:
            raise serializers.ValidationError(errors)
        result = working_days_between(first, last)
        return Response(
            WorkingDaysSerializer(
                {
                    "working_days": result.value,
                    "provisional": result.provisional,
                    "unconfirmed_years": list(result.unconfirmed_years),
                }
            ).data
        )
