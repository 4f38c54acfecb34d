"""Reads of M2: lights, statistics, the overdue list. Grouped queries only — never a query per row.

The statistics of a year are those of the applications *received* that year. They are rolled up in Python
from one grouped query (item × month), so a department's, the zone's and a month's figures agree by
construction and the year's rows are scanned once.

"Processing time" is the working days from the day after acceptance to the completion day, pauses
excluded (``Application.working_days_used``), over the completed *commitment* items (承诺件): immediate
items (即办件) are done on the spot and are counted apart, so that "as little as 5 working days" compares
like with like.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from datetime import date

from django.db.models import Case, CharField, Count, F, Max, Min, Q, Sum, Value, When
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.enterprises.sections import EnterpriseRows

from . import workflow
from .models import Application, Bundle, Item, ItemType, ItemVersion, Mode

S = Application.State
LIGHTS = ("green", "yellow", "red", "paused")


# --- The to-do queue (待办) and the list's filters --------------------------------------------------------------


def todo(user, applications=None):
    """The user's to-do queue (待办): the applications of their scope that wait for their side's action, as the
    workflow table's turns say (:func:`~.workflow.waiting_for`); the ones not yet accepted first (the clock has not
    started: check them today), then by due date. ``applications``: a queryset already filtered (default: the
    user's scope). Nothing for a user on no side."""
    applications = Application.objects.for_user(user) if applications is None else applications
    side = workflow.side_of(user)
    if side is None:
        return applications.none()
    return applications.filter(workflow.waiting_for(side)).order_by(
        F("due_on").asc(nulls_first=True), "received_on", "id"
    )


def filter_items(user):
    """The items the applications list offers as a filter: department staff their own department's (the only
    applications they see), everybody else the whole catalogue."""
    items = Item.objects.for_user(user)
    if effective_role(user) == Role.DEPARTMENT:
        return items.filter(department_id=user.department_id) if user.department_id else items.none()
    return items


def light_expression(today: date):
    """The light of an application as a SQL expression (same rules as ``Application.light``)."""
    return Case(
        When(Q(state__in=Application.DONE_STATES) | Q(accepted_on__isnull=True), then=Value("")),
        When(state__in=(S.CORRECTING, S.SPECIAL), then=Value("paused")),
        When(due_on__isnull=True, then=Value("")),
        When(due_on__lt=today, then=Value("red")),
        When(yellow_on__lte=today, then=Value("yellow")),
        default=Value("green"),
        output_field=CharField(),
    )


def with_light(queryset, today: date | None = None):
    return queryset.annotate(light_now=light_expression(today or timezone.localdate()))


def light_filter(light: str, today: date | None = None) -> Q:
    """A filter for one light, usable on an index (state, due_on)."""
    today = today or timezone.localdate()
    counting = Q(state__in=Application.COUNTING_STATES, accepted_on__isnull=False, due_on__isnull=False)
    if light == "red":
        return counting & Q(due_on__lt=today)
    if light == "yellow":
        return counting & Q(due_on__gte=today, yellow_on__lte=today)
    if light == "green":
        return counting & Q(due_on__gte=today) & (Q(yellow_on__gt=today) | Q(yellow_on__isnull=True))
    if light == "paused":
        return Q(state__in=(S.CORRECTING, S.SPECIAL), accepted_on__isnull=False)
    raise ValueError(light)


def light_counts(queryset, today: date | None = None) -> dict[str, int]:
    """How many running applications of ``queryset`` show each light: one query."""
    today = today or timezone.localdate()
    running = queryset.filter(state__in=Application.CLOCK_STATES)  # the (state, due_on) index narrows it first
    return running.aggregate(**{light: Count("pk", filter=light_filter(light, today)) for light in LIGHTS})


# --- Statistics ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Tally:
    """Counts and sums that roll up by addition (the means are computed at the end)."""

    applications: int = 0
    completed: int = 0
    approved: int = 0
    refused: int = 0
    rejected: int = 0
    immediate_completed: int = 0
    timed: int = 0  # completed commitment items (the processing-time figures are theirs)
    days_sum: int = 0
    fastest: int | None = None
    slowest: int | None = None
    on_time: int = 0
    paused: int = 0  # applications whose clock was paused at least one working day

    def add(self, other: Tally) -> None:
        for f in ("applications", "completed", "approved", "refused", "rejected", "immediate_completed", "timed"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.days_sum += other.days_sum
        self.on_time += other.on_time
        self.paused += other.paused
        if other.fastest is not None:
            self.fastest = other.fastest if self.fastest is None else min(self.fastest, other.fastest)
        if other.slowest is not None:
            self.slowest = other.slowest if self.slowest is None else max(self.slowest, other.slowest)

    @property
    def average(self) -> float | None:
        return round(self.days_sum / self.timed, 1) if self.timed else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.completed, 4) if self.completed else None

    def as_dict(self) -> dict:
        return {
            "applications": self.applications,
            "completed": self.completed,
            "approved": self.approved,
            "refused": self.refused,
            "rejected": self.rejected,
            "immediate_completed": self.immediate_completed,
            "average_working_days": self.average,
            "fastest_working_days": self.fastest,
            "slowest_working_days": self.slowest,
            "on_time": self.on_time,
            "on_time_rate": self.on_time_rate,
            "paused": self.paused,
            "timed": self.timed,
        }


def _year_rows(queryset, year: int):
    """One grouped query: per (item version, month) of the year's received applications, the counts and sums.

    Grouped by ``version_id`` with no join, so that PostgreSQL answers from the covering index on
    ``received_on`` (``models.STATS_COLUMNS``); whether a version is an immediate or a commitment item is
    resolved afterwards in Python (:func:`_tally`). Counts are of ``*`` and ``version_id``, never ``id``: the
    id is not in the index.
    """
    completed = Q(state=S.COMPLETED)
    return (
        queryset.filter(received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31))
        .annotate(month=ExtractMonth("received_on"))
        .values("version_id", "month")
        .order_by()
        .annotate(
            applications=Count("*"),
            completed=Count("version", filter=completed),
            approved=Count("version", filter=Q(outcome=Application.Outcome.APPROVED)),
            refused=Count("version", filter=Q(outcome=Application.Outcome.REFUSED)),
            rejected=Count("version", filter=Q(state=S.REJECTED)),
            days_sum=Sum("working_days_used", filter=completed),
            fastest=Min("working_days_used", filter=completed),
            slowest=Max("working_days_used", filter=completed),
            on_time=Count("version", filter=completed & Q(on_time=True)),
            paused=Count("version", filter=Q(paused_working_days__gt=0)),
        )
    )


def _tally(row: dict, item_type: str) -> Tally:
    """A grouped row as a :class:`Tally`: the processing-time figures count for commitment items only."""
    timed = item_type == ItemType.COMMITMENT
    return Tally(
        applications=row["applications"],
        completed=row["completed"],
        approved=row["approved"],
        refused=row["refused"],
        rejected=row["rejected"],
        immediate_completed=0 if timed else row["completed"],
        timed=row["completed"] if timed else 0,
        days_sum=(row["days_sum"] or 0) if timed else 0,
        fastest=row["fastest"] if timed else None,
        slowest=row["slowest"] if timed else None,
        on_time=row["on_time"],
        paused=row["paused"],
    )


def year_stats(*, user, year: int, today: date | None = None) -> dict:
    """The figures of ``year`` that ``user`` may see (their scope), for the dashboard, the API and the export.

    Queries: the catalogue (2), the grouped year (1), the lights (1), the overdue count is part of the lights,
    the bundles (1) — five, whatever the number of applications.
    """
    today = today or timezone.localdate()
    scoped = Application.objects.for_user(user)
    catalogue = list(
        Item.objects.exclude(status=Item.Status.CANCELLED)
        .select_related("department", "current")
        .order_by("department__sort_order", "code")
    )
    rows = list(_year_rows(scoped, year))
    versions = {
        version.pk: version
        for version in ItemVersion.objects.select_related("item__department", "item__current").filter(
            pk__in={r["version_id"] for r in rows}
        )
    }
    items = {version.item_id: version.item for version in versions.values()}
    total = Tally()
    per_item: dict[int, Tally] = defaultdict(Tally)
    per_department: dict[int, Tally] = defaultdict(Tally)
    per_month: dict[int, Tally] = defaultdict(Tally)
    for row in rows:
        version = versions[row["version_id"]]
        tally = _tally(row, version.item_type)
        total.add(tally)
        per_item[version.item_id].add(tally)
        per_department[version.item.department_id].add(tally)
        per_month[row["month"]].add(tally)
    lights = light_counts(scoped, today)
    by_mode = dict.fromkeys(Mode.values, 0)
    for item in catalogue:
        by_mode[item.current.mode] = by_mode.get(item.current.mode, 0) + 1

    # Admins and leaders get a row for every department of the catalogue; the others only for the departments
    # of the applications they see (a department also its own), not rows of zeros for figures hidden from them.
    if getattr(user, "sees_everything", False):
        shown = catalogue
    else:
        shown = [item for item in catalogue if item.department_id == getattr(user, "department_id", None)]
    departments = {}
    for item in [*shown, *items.values()]:
        departments.setdefault(item.department_id, item.department)
    pre_reform: dict[int, list[int]] = defaultdict(list)
    for item in catalogue:
        if item.current.pre_reform_days:
            pre_reform[item.department_id].append(item.current.pre_reform_days)

    item_rows = []
    for pk, tally in per_item.items():
        item = items[pk]
        item_rows.append(
            {
                "item": item.pk,
                "code": item.code,
                "name": item.current.name,
                "department": item.department.code,
                "department_name": item.department.short_name or item.department.name,
                "mode": item.current.mode,
                "item_type": item.current.item_type,
                "promised_limit": item.current.promised_limit,
                "statutory_limit": item.current.statutory_limit,
                "pre_reform_days": item.current.pre_reform_days,
                **tally.as_dict(),
            }
        )
    item_rows.sort(key=lambda r: (-r["applications"], r["code"]))
    items_per_department = Counter(item.department_id for item in catalogue)
    department_rows = []
    for pk, department in sorted(departments.items(), key=lambda kv: (kv[1].sort_order, kv[1].code)):
        tally = per_department.get(pk, Tally())
        before = pre_reform.get(pk, [])
        department_rows.append(
            {
                "department": department.code,
                "name": department.name,
                "short_name": department.short_name or department.name,
                "items": items_per_department[pk],
                "pre_reform_average_days": round(sum(before) / len(before), 1) if before else None,
                **tally.as_dict(),
            }
        )
    months = [{"month": m, **per_month.get(m, Tally()).as_dict()} for m in range(1, 13)]
    bundles = bundle_stats(user=user, year=year)
    # The comparison with the time before the reform, over the items that have both figures, each weighted by
    # its completed commitment applications (so that both averages cover the same cases).
    before_sum = now_sum = weight = 0
    for pk, tally in per_item.items():
        days = items[pk].current.pre_reform_days
        if days and tally.timed:
            before_sum += days * tally.timed
            now_sum += tally.days_sum
            weight += tally.timed
    known = [item.current.pre_reform_days for item in catalogue if item.current.pre_reform_days]
    return {
        "year": year,
        "items": len(catalogue),
        "departments": len({item.department_id for item in catalogue}),
        "by_mode": by_mode,
        **total.as_dict(),
        "lights": lights,
        "overdue": lights["red"],
        "comparison": {
            "pre_reform_average_days": round(before_sum / weight, 1) if weight else None,
            "average_working_days": round(now_sum / weight, 1) if weight else None,
            "pre_reform_min_days": min(known, default=None),
            "pre_reform_max_days": max(known, default=None),
            "fastest_working_days": total.fastest,
            "fastest_project_working_days": bundles["fastest_working_days"],
        },
        "bundles": bundles,
        "by_department": department_rows,
        "by_item": item_rows,
        "by_month": months,
    }


def bundle_stats(*, user, year: int) -> dict:
    """The parallel approvals started in ``year``: how many, how many complete, their total working days."""
    figures = (
        Bundle.objects.for_user(user)
        .filter(started_on__gte=date(year, 1, 1), started_on__lte=date(year, 12, 31))
        .aggregate(
            count=Count("pk"),
            completed=Count("pk", filter=Q(completed_on__isnull=False)),
            days_sum=Sum("total_working_days"),
            timed=Count("total_working_days"),
            fastest=Min("total_working_days"),
        )
    )
    return {
        "count": figures["count"],
        "completed": figures["completed"],
        "average_working_days": round(figures["days_sum"] / figures["timed"], 1) if figures["timed"] else None,
        "fastest_working_days": figures["fastest"],
    }


def overdue(queryset, today: date | None = None):
    """The red applications of ``queryset``, most overdue first (the leaders' list)."""
    today = today or timezone.localdate()
    return (
        queryset.filter(light_filter("red", today))
        .select_related("version", "department", "enterprise", "assignee")
        .order_by("due_on", "pk")
    )


# --- The enterprise's page: its applications (enterprises.sections) -------------------------------------------------

#: How many rows the section shows (the full list is a link away).
SECTION_ROWS = 5


def enterprise_applications(user, enterprise):
    """The latest applications of ``enterprise`` the user may see, and the application list filtered to it (the
    whole list, not a to-do queue); one query."""
    rows = Application.objects.for_user(user).filter(enterprise=enterprise).select_related("version")
    return EnterpriseRows(
        rows=list(rows[:SECTION_ROWS]),
        more_url=f"{reverse('approvals:applications')}?view=all&enterprise={enterprise.pk}",
    )
