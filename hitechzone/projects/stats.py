"""M3's pipeline reads (issue 14 item 12; docs/0010): the year's figures, the funnel and the board, all scoped by
role (``Project.objects.for_user``), each in a fixed number of queries whatever the number of projects.

The figures of a year Y (``pipeline_stats``), exactly:

- ``by_stage``: the projects at each of the ten stages on 31 December of Y (today, for the year under way), among
  the projects recorded or moved by then; a project's stage on a day is the stage of its latest move on or before
  it (线索 before its first move).
- ``reviewed``: decisions the leaders took in Y (any outcome); ``admitted``, ``conditional``, ``rejected``: those
  decisions by outcome (so ``reviewed`` = their sum).
- ``admitted_investment_wan_yuan``: the total investment (万元) of the projects admitted or admitted with conditions
  in Y.
- ``landed``: the projects that reached 供地 (land supplied: they landed, 落地) in Y.
- ``median_days_negotiation_to_landing``: of the projects landed in Y, the median of the days from their 洽谈 date
  to their 供地 date (null when none landed).
- ``target_investor_share``: of the projects recorded in Y (new projects, whose 线索 date is in Y), the share
  (0 to 1, 4 places) whose investor is one of the article's targets — ranked in the Fortune Global 500, or in the
  first 200 of China's top 500 (null when there is no new project).
"""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal

from django.db.models import Count, DateField, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from . import stages
from .models import Project, ProjectDecision, ProjectStageEvent

S = Project.Stage
K = ProjectStageEvent.Kind
O = ProjectDecision.Outcome  # noqa: E741

#: The China top-500 ranks the zone targets (the article: the Fortune Global 500 and China's first 200).
CHINA_TARGET_RANK = 200
#: How many projects a board column shows (the newest moves first); the column's count is every project in it.
BOARD_COLUMN = 20
KEYS = (
    "by_stage",
    "reviewed",
    "admitted",
    "conditional",
    "rejected",
    "admitted_investment_wan_yuan",
    "landed",
    "median_days_negotiation_to_landing",
    "target_investor_share",
)


def as_of(year: int) -> dt.date:
    """The day a year's stage counts are read on: 31 December, or today for the year under way."""
    return min(dt.date(year, 12, 31), timezone.localdate())


def by_stage(projects, day: dt.date) -> dict[str, int]:
    """Every stage (zeros included) → the number of ``projects`` at it on ``day``: the moves in force that day (on
    or before it, the next move after it or none) by the stage they entered, and 线索 for the projects recorded by
    then that had not moved yet. Two queries, read through the moves' indexes."""
    counts = dict.fromkeys(S.values, 0)
    if day >= timezone.localdate():  # today: the stored stage is the answer
        for stage, n in projects.order_by().values_list("stage").annotate(n=Count("pk")):
            counts[stage] = n
        return counts
    in_force = ProjectStageEvent.objects.filter(project__in=projects, on__lte=day).filter(
        Q(until__isnull=True) | Q(until__gt=day)
    )
    for stage, n in in_force.order_by().values_list("to_stage").annotate(n=Count("pk")):
        counts[stage] += n
    moved = ProjectStageEvent.objects.filter(project=OuterRef("pk"), on__lte=day)
    counts[S.LEAD] += projects.filter(created_on__lte=day).exclude(Exists(moved)).count()
    return counts


def pipeline_stats(*, user, year: int) -> dict:
    """The figures of ``year`` over the projects ``user`` sees (definitions: this module's docstring)."""
    projects = Project.objects.for_user(user)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict = {"by_stage": by_stage(projects, as_of(year))}

    decisions = dict.fromkeys(O.values, 0)
    invested = Decimal(0)
    rows = (
        ProjectDecision.objects.filter(project__in=projects, decided_on__range=(start, end))
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("pk"), total=Sum("project__total_investment_wan_yuan"))
    )
    for outcome, n, total in rows:
        decisions[outcome] = n
        if outcome in (O.ADMIT, O.CONDITIONAL):
            invested += total or 0
    out["reviewed"] = sum(decisions.values())
    out["admitted"], out["conditional"], out["rejected"] = (
        decisions[O.ADMIT],
        decisions[O.CONDITIONAL],
        decisions[O.REJECT],
    )
    out["admitted_investment_wan_yuan"] = invested.quantize(Decimal("0.01"))

    negotiation = ProjectStageEvent.objects.filter(
        project=OuterRef("project"), kind=K.ADVANCE, to_stage=stages.NEGOTIATION_STAGE
    ).values("on")[:1]
    landed = list(
        ProjectStageEvent.objects.filter(
            project__in=projects, kind=K.ADVANCE, to_stage=stages.LANDING_STAGE, on__range=(start, end)
        )
        .annotate(negotiated_on=Subquery(negotiation, output_field=DateField()))
        .values_list("on", "negotiated_on")
    )
    out["landed"] = len(landed)
    days = [(land - negotiated).days for land, negotiated in landed if negotiated is not None]
    out["median_days_negotiation_to_landing"] = statistics.median(days) if days else None

    target = Q(investor__fortune_global_500_rank__isnull=False) | Q(investor__china_top500_rank__lte=CHINA_TARGET_RANK)
    new = projects.filter(created_on__range=(start, end)).aggregate(n=Count("pk"), targets=Count("pk", filter=target))
    out["target_investor_share"] = round(new["targets"] / new["n"], 4) if new["n"] else None
    return out


def funnel(*, user, year: int) -> list[tuple[str, int]]:
    """The road's stages in order, each with the number of projects that had reached it by the end of ``year``
    (today, for the year under way): 线索 every project recorded or moved by then, each later stage the projects
    moved into it by then. One stage at a time, so each number is at most the one before."""
    day = as_of(year)
    projects = Project.objects.for_user(user)
    reached = dict(
        ProjectStageEvent.objects.filter(project__in=projects, kind=K.ADVANCE, on__lte=day)
        .order_by()
        .values_list("to_stage")
        .annotate(n=Count("pk"))
    )
    # Recorded by then, or recorded later with moves dated by then (a project entered after the fact).
    moved = ProjectStageEvent.objects.filter(project=OuterRef("pk"), on__lte=day)
    recorded = (
        projects.filter(created_on__lte=day).count() + projects.filter(created_on__gt=day).filter(Exists(moved)).count()
    )
    return [(stage, recorded if stage == S.LEAD else reached.get(stage, 0)) for stage in stages.ROAD]


def board(*, user) -> list[dict]:
    """The board's columns, one per stage (the road, then 暂停 and 终止): each with its number of projects and its
    :data:`BOARD_COLUMN` projects moved most recently, each annotated ``since`` (the date of its latest move, else
    the day it was recorded). Three queries: the counts, the cards' ids, and the cards (the projects joined to their
    move in force, their investor and officer).

    The cards are ranked on narrow rows (id, stage, date) and only the winners' ids are read first, then those rows
    joined: ranking the joined rows sorted every project's full row (at 10,000 projects 5 MB, past ``work_mem``: a
    sort on disk, 45 of the board's 105 ms of SQL), and with the ranking as a subquery the planner, blind to how
    few rows it keeps, still joined all 10,000 (bench/README.md, issue 14)."""
    projects = Project.objects.for_user(user)
    counts = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")))

    def with_since(qs):  # each project's move in force (none for a project still at 线索 unmoved) and its date
        current = FilteredRelation("stage_events", condition=Q(stage_events__until__isnull=True))
        return qs.annotate(current=current).annotate(since=Coalesce(F("current__on"), F("created_on")))

    ranked = (
        with_since(projects)
        .annotate(place=Window(RowNumber(), partition_by=F("stage"), order_by=[F("since").desc(), F("pk").desc()]))
        .filter(place__lte=BOARD_COLUMN)
        .values_list("pk", flat=True)
    )
    rows = with_since(Project.objects.filter(pk__in=list(ranked)).select_related("investor", "officer")).order_by(
        "stage", "-since", "-pk"
    )
    cards: dict[str, list] = {stage: [] for stage in S.values}
    for project in rows:
        cards[project.stage].append(project)
    order = [*stages.ROAD, S.PAUSED, S.TERMINATED]
    return [
        {"stage": stage, "label": S(stage).label, "count": counts.get(stage, 0), "projects": cards[stage]}
        for stage in order
    ]
