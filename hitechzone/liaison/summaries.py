"""Per-month summaries of M1, kept current in the transaction that writes a row (docs/0014-summaries.md).

``VisitMonth``: officer × enterprise × month → the visits and the month's latest visit. A write recomputes the
cells it touches (the old and the new key of a moved visit) from the visits themselves, under a lock on the cell's
row, so two writers of one cell cannot lose a count. Nothing recomputes a closed month on a schedule; only a change
of one of its rows touches it, and ``hitechzone rebuild_summaries`` rebuilds (or, with ``--check``, compares) all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import SERVICE_TARGETS, Problem, ProblemMonth, Visit, VisitMonth

Cell = tuple[int, int, date]  # officer, enterprise, the month's first day


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def _cell_visits(cell: Cell):
    officer_id, enterprise_id, first = cell
    return Visit.objects.filter(
        officer_id=officer_id, enterprise_id=enterprise_id, visited_on__gte=first, visited_on__lt=next_month(first)
    ).aggregate(n=Count("id"), last=Max("visited_on"))


def refresh_visit_cells(cells: Iterable[Cell]) -> None:
    """Recompute these cells from the visits (in the caller's transaction): one row each, or none without visits."""
    for cell in sorted(set(cells)):  # one order, so two writers lock cells in the same order
        officer_id, enterprise_id, first = cell
        key = {"officer_id": officer_id, "enterprise_id": enterprise_id, "month": first}
        with transaction.atomic():
            row = VisitMonth.objects.select_for_update().filter(**key).first()
            figures = _cell_visits(cell)
            if not figures["n"]:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                # Another writer may insert the same cell meanwhile: insert-or-skip, then lock it and count again
                # (a statement after the lock sees what the other writer committed).
                VisitMonth.objects.bulk_create(
                    [VisitMonth(**key, visits=figures["n"], last_on=figures["last"])], ignore_conflicts=True
                )
                row = VisitMonth.objects.select_for_update().get(**key)
                figures = _cell_visits(cell)
            if (row.visits, row.last_on) != (figures["n"], figures["last"]):
                VisitMonth.objects.filter(pk=row.pk).update(visits=figures["n"], last_on=figures["last"])


def _cell(visit) -> Cell:
    return (visit.officer_id, visit.enterprise_id, month_of(visit.visited_on))


@receiver(pre_save, sender=Visit)
def _visit_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = Visit.objects.filter(pk=instance.pk).values_list("officer_id", "enterprise_id", "visited_on").first()
    instance._summary_cell = (old[0], old[1], month_of(old[2])) if old else None


@receiver(post_save, sender=Visit)
def _visit_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    cells = {_cell(instance)}
    old = getattr(instance, "_summary_cell", None)
    if old is not None:
        cells.add(old)
    refresh_visit_cells(cells)


@receiver(post_delete, sender=Visit)
def _visit_deleted(sender, instance, **kwargs):
    refresh_visit_cells([_cell(instance)])


# --- Rebuild and check: the full computation of every cell -----------------------------------------------------


def visit_cells_full():
    """Every cell computed from the visits (the full computation): rows of (officer, enterprise, month, n, last)."""
    return (
        Visit.objects.annotate(first=TruncMonth("visited_on"))
        .values_list("officer_id", "enterprise_id", "first")
        .annotate(n=Count("id"), last=Max("visited_on"))
        .order_by()
    )


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@transaction.atomic
def rebuild_visit_months() -> int:
    """Every ``VisitMonth`` again from the visits, in one INSERT … SELECT; returns the number of cells."""
    VisitMonth.objects.all().delete()
    # In key order: the same rows get the same ids on every database (the demo's digest compares them).
    sql, params = visit_cells_full().order_by("officer_id", "enterprise_id", "first").query.sql_with_params()
    table = connection.ops.quote_name(VisitMonth._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(VisitMonth._meta.get_field(f).column)
        for f in ("officer", "enterprise", "month", "visits", "last_on")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
    return VisitMonth.objects.count()


def visit_month_drift(limit: int = 20) -> tuple[int, list[str]]:
    """Compare every cell with the full computation: (how many cells differ, the first ``limit`` described)."""
    expected = {(o, e, _as_date(m)): (n, last) for o, e, m, n, last in visit_cells_full().iterator()}
    differ = []
    for o, e, m, n, last in VisitMonth.objects.values_list(
        "officer_id", "enterprise_id", "month", "visits", "last_on"
    ).iterator():
        want = expected.pop((o, e, m), None)
        if want != (n, last):
            differ.append(f"visits officer={o} enterprise={e} {m:%Y-%m}: summary {(n, last)}, visits {want}")
    for (o, e, m), want in expected.items():
        differ.append(f"visits officer={o} enterprise={e} {m:%Y-%m}: summary none, visits {want}")
    return len(differ), differ[:limit]


# --- Problems: what each problem adds to the months of its moments ----------------------------------------------

_PROBLEM_FIELDS = (
    "enterprise_id",
    "officer_id",
    "department_id",
    "category",
    "status",
    "rating",
    "reopened_count",
    "solved_directly",
    "target_scores",
    "created_at",
    "handed_over_at",
    "solved_at",
    "rated_at",
)


def _local_month(moment) -> date:
    return month_of(timezone.localtime(moment, timezone.get_default_timezone()).date())


def problem_contributions(p) -> dict[tuple, Counter]:
    """``{cell key: counts}`` this problem adds (``p``: a Problem or a dict of ``_PROBLEM_FIELDS``)."""
    v = p if isinstance(p, dict) else {name: getattr(p, name) for name in _PROBLEM_FIELDS}
    key = (
        v["enterprise_id"],
        v["officer_id"] or 0,
        v["department_id"] or 0,
        v["category"],
        v["status"],
        v["rating"] or 0,
    )
    out: dict[tuple, Counter] = defaultdict(Counter)
    if v["created_at"] is not None:
        c = out[(*key, _local_month(v["created_at"]))]
        c["raised"] += 1
        c["reopened"] += v["reopened_count"] > 0
    if v["handed_over_at"] is not None:
        out[(*key, _local_month(v["handed_over_at"]))]["handed_over"] += 1
    if v["solved_at"] is not None:
        c = out[(*key, _local_month(v["solved_at"]))]
        c["solved"] += 1
        c["solved_directly"] += bool(v["solved_directly"])
    if v["rated_at"] is not None:
        c = out[(*key, _local_month(v["rated_at"]))]
        c["rated"] += 1
        for k, score in (v["target_scores"] or {}).items():
            if k in SERVICE_TARGETS:
                c[f"{k}_sum"] += int(score)
                c[f"{k}_n"] += 1
    return out


def apply_problem_deltas(deltas: dict[tuple, Counter]) -> None:
    """Add these counts to their cells (in the caller's transaction): ``n = n + d`` under the row's lock, so
    concurrent writers of one cell add up; a cell left with nothing is deleted."""
    key_names = ProblemMonth.KEY
    for key in sorted(deltas, key=repr):  # one order, so two writers lock cells in the same order
        delta = {name: d for name, d in deltas[key].items() if d}
        if not delta:
            continue
        where = dict(zip(key_names, key, strict=True))
        with transaction.atomic():
            ProblemMonth.objects.bulk_create([ProblemMonth(**where)], ignore_conflicts=True)
            cell = ProblemMonth.objects.filter(**where)
            cell.update(**{name: F(name) + d for name, d in delta.items()})
            cell.filter(**dict.fromkeys(ProblemMonth.COUNTS, 0)).delete()


def _add(deltas: dict[tuple, Counter], contributions: dict[tuple, Counter], sign: int) -> None:
    for key, counts in contributions.items():
        for name, n in counts.items():
            deltas[key][name] += sign * n


@receiver(pre_save, sender=Problem)
def _problem_before(sender, instance, raw=False, using="default", **kwargs):
    if raw or instance.pk is None:
        return
    old = Problem.objects.filter(pk=instance.pk)
    if transaction.get_connection(using).in_atomic_block:
        old = old.select_for_update()  # the before-image stays true until this save commits
    instance._summary_before = old.values(*_PROBLEM_FIELDS).first()


@receiver(post_save, sender=Problem)
def _problem_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    deltas: dict[tuple, Counter] = defaultdict(Counter)
    _add(deltas, problem_contributions(instance), 1)
    before = getattr(instance, "_summary_before", None)
    if before is not None:
        _add(deltas, problem_contributions(before), -1)
    instance._summary_before = None
    apply_problem_deltas(deltas)


@receiver(pre_delete, sender=Problem)
def _problem_deleting(sender, instance, **kwargs):
    # What the database holds, not the instance (it may be stale): that is what the summaries counted.
    instance._summary_before = Problem.objects.filter(pk=instance.pk).values(*_PROBLEM_FIELDS).first()


@receiver(post_delete, sender=Problem)
def _problem_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_summary_before", None)
    if before is None:
        return
    deltas: dict[tuple, Counter] = defaultdict(Counter)
    _add(deltas, problem_contributions(before), -1)
    instance._summary_before = None
    apply_problem_deltas(deltas)


def problem_cells_full() -> dict[tuple, Counter]:
    """Every cell computed from the problems (the full computation), in Python over one pass of the problems."""
    cells: dict[tuple, Counter] = defaultdict(Counter)
    for row in Problem.objects.values(*_PROBLEM_FIELDS).order_by().iterator(chunk_size=5000):
        _add(cells, problem_contributions(row), 1)
    return {key: Counter({k: n for k, n in c.items() if n}) for key, c in cells.items() if any(c.values())}


@transaction.atomic
def rebuild_problem_months() -> int:
    """Every ``ProblemMonth`` again from the problems; returns the number of cells."""
    ProblemMonth.objects.all().delete()
    rows = [
        ProblemMonth(**dict(zip(ProblemMonth.KEY, key, strict=True)), **counts)
        for key, counts in sorted(problem_cells_full().items())  # in key order: the same ids on every database
    ]
    ProblemMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def problem_month_drift(limit: int = 20) -> tuple[int, list[str]]:
    """Compare every cell with the full computation: (how many cells differ, the first ``limit`` described)."""
    expected = problem_cells_full()
    differ = []
    for row in ProblemMonth.objects.values(*ProblemMonth.KEY, *ProblemMonth.COUNTS).iterator():
        key = tuple(row[k] for k in ProblemMonth.KEY)
        have = Counter({k: row[k] for k in ProblemMonth.COUNTS if row[k]})
        want = expected.pop(key, Counter())
        if have != want:
            differ.append(f"problems {key}: summary {dict(have)}, problems {dict(want)}")
    for key, want in expected.items():
        differ.append(f"problems {key}: summary none, problems {dict(want)}")
    return len(differ), differ[:limit]
