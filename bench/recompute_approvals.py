#!/usr/bin/env python
"""Time ``recompute_due_dates`` over the bench's million applications, before and after calendar changes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/recompute_approvals.py

Needs ``bench/make_approvals.py``. The cases, each run ``--repeat`` times (the table gives the median and the
slowest, and the stages of the median run):

1. **compute only** (``dry_run=True``): read every accepted application and its closed pauses, compute the clock,
   count the differences — none, as ``make_approvals.py`` stored what the services would;
2. **compute + write, nothing changed**: the same, writing nothing;
3. **one new holiday**: 2026-10-09 (a Friday) becomes a day off (``calendar_year_set_manual`` for 2026, the package's
   days plus that one), then the full recompute writes the rows it moves (with their audit records); then 2026 is
   re-seeded from the package (``calendar_year_reseed``) and the recompute moves them back (timed too);
4. the same change recomputed only for the applications it can touch (``calendar_year_changed(2026)``, what the
   calendar admin calls), and back;
5. **a whole year changes**: 2025 entered by hand with no holidays and no make-up days (weekdays only), which moves
   most of 2025's applications; then re-seeded and recomputed back.

At the end the calendar is as it was, every clock is recomputed back (a last dry run must find nothing to change),
and the audit records the runs wrote are deleted (``common_auditevent`` rows of the bench's applications and bundles
and of the calendar years, written since the script started), followed by ``VACUUM ANALYZE``. Prints a markdown table
(also ``--out FILE``); exits 1 if a full recompute (compute + write) reaches 10 s.
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from hitechzone.approvals.models import Application, Bundle, Pause  # noqa: E402
from hitechzone.approvals.recompute import calendar_year_changed, recompute_due_dates  # noqa: E402
from hitechzone.common import calendar  # noqa: E402
from hitechzone.common.models import AuditEvent, CalendarYear  # noqa: E402

TARGET_S = 10.0
NEW_HOLIDAY = date(2026, 10, 9)
WHOLE_YEAR = 2025


def wait_idle(limit: float, threshold: float = 0.5) -> None:
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        time.sleep(10)


def set_year(year: int, *, extra_holiday: date | None = None, no_holidays: bool = False) -> None:
    holidays, makeup = calendar.manual_entries(year)
    if no_holidays:
        holidays, makeup = {}, {}
    if extra_holiday is not None:
        holidays = {**holidays, extra_holiday: "基准测试"}
    calendar.calendar_year_set_manual(
        year=year, holidays=holidays, makeup_workdays=makeup, notice="bench/recompute_approvals.py", confirmed=True
    )


def reseed(year: int) -> None:
    calendar.calendar_year_reseed(year=year)


class Case:
    def __init__(self, label: str, run, before=None, target: bool = False) -> None:
        self.label, self.run, self.before, self.target = label, run, before, target
        self.results: list[dict] = []

    def median(self) -> dict:
        ordered = sorted(self.results, key=lambda r: r["seconds"]["total"])
        return ordered[len(ordered) // 2]

    def slowest(self) -> float:
        return max(r["seconds"]["total"] for r in self.results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (default 3)")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS", help="wait for load average < 0.5")
    args = parser.parse_args(argv)
    if connection.vendor != "postgresql":
        print("PostgreSQL only: set DATABASE_URL", file=sys.stderr)
        return 1
    if args.wait_idle:
        wait_idle(args.wait_idle)
    started_at = timezone.now()
    load_before = os.getloadavg()
    db = connection.settings_dict
    print(
        f"database: {connection.vendor} {db.get('NAME')}; {Application.objects.count():,} applications, "
        f"{Pause.objects.count():,} pauses",
        flush=True,
    )
    if not Application.objects.exists():
        print("no applications: run bench/make_approvals.py first", file=sys.stderr)
        return 1
    original = {y: CalendarYear.objects.get(year=y).source for y in (NEW_HOLIDAY.year, WHOLE_YEAR)}
    if any(source != CalendarYear.Source.PACKAGE for source in original.values()):
        print(f"the years {original} should come from the package before the run", file=sys.stderr)
        return 1

    year = NEW_HOLIDAY.year
    cases = [
        Case("compute only (dry run), nothing to change", lambda: recompute_due_dates(dry_run=True)),
        Case("compute + write, nothing to change", recompute_due_dates, target=True),
        Case(
            f"{NEW_HOLIDAY} made a holiday: full recompute",
            recompute_due_dates,
            before=lambda: set_year(year, extra_holiday=NEW_HOLIDAY),
            target=True,
        ),
        Case(f"{year} re-seeded: full recompute (back)", recompute_due_dates, before=lambda: reseed(year), target=True),
        Case(
            f"{NEW_HOLIDAY} made a holiday: calendar_year_changed({year})",
            lambda: calendar_year_changed(year),
            before=lambda: set_year(year, extra_holiday=NEW_HOLIDAY),
        ),
        Case(
            f"{year} re-seeded: calendar_year_changed({year})",
            lambda: calendar_year_changed(year),
            before=lambda: reseed(year),
        ),
        Case(
            f"{WHOLE_YEAR} without holidays: full recompute",
            recompute_due_dates,
            before=lambda: set_year(WHOLE_YEAR, no_holidays=True),
            target=True,
        ),
        Case(
            f"{WHOLE_YEAR} re-seeded: full recompute (back)",
            recompute_due_dates,
            before=lambda: reseed(WHOLE_YEAR),
            target=True,
        ),
    ]
    # Pairs (a change and its way back) are repeated together, so that every run starts from the same state.
    groups = [cases[0:1], cases[1:2], cases[2:4], cases[4:6], cases[6:8]]
    for group in groups:
        for _ in range(args.repeat):
            for case in group:
                if case.before:
                    case.before()
                wall = time.perf_counter()
                result = case.run()
                result["wall"] = time.perf_counter() - wall
                case.results.append(result)
                s = result["seconds"]
                print(
                    f"  {case.label:<58} {result['changed']:>8,} changed, {result['written']:>8,} written  "
                    f"read {s.get('read', 0):5.2f}  compute {s.get('compute', 0):5.2f}  write {s.get('write', 0):5.2f}"
                    f"  total {s['total']:5.2f} s",
                    flush=True,
                )
    final = recompute_due_dates(dry_run=True)
    if final["changed"]:
        print(f"after the run {final['changed']} applications differ from the calendar!", file=sys.stderr)
    load_after = os.getloadavg()
    # The audit records of the runs (the bench's applications, bundles and the calendar years).
    types = [ContentType.objects.get_for_model(m).pk for m in (Application, Bundle, CalendarYear)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(AuditEvent._meta.db_table)} "
            "WHERE content_type_id = ANY(%s) AND at >= %s",
            [types, started_at],
        )
        removed = cursor.rowcount
        for model in (AuditEvent, Application, CalendarYear):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    print(f"deleted the {removed:,} audit records the runs wrote", flush=True)

    lines = [
        "| case | applications | changed | written | read s | compute s | write s | total s (median) | slowest s "
        "| < 10 s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for case in cases:
        r = case.median()
        s = r["seconds"]
        ok = ("yes" if case.slowest() < TARGET_S else "**no**") if case.target else ""
        lines.append(
            f"| {case.label} | {r['applications']:,} | {r['changed']:,} | {r['written']:,} | {s.get('read', 0):.2f} "
            f"| {s.get('compute', 0):.2f} | {s.get('write', 0):.2f} | {s['total']:.2f} | {case.slowest():.2f} | {ok} |"
        )
    text = "\n".join(lines)
    note = (
        f"\n{args.repeat} runs per case. Load average (1, 5, 15 min) before: "
        f"{', '.join(f'{x:.2f}' for x in load_before)}; after: {', '.join(f'{x:.2f}' for x in load_after)} "
        f"({os.cpu_count()} CPUs)"
    )
    print()
    print(text)
    print(note)
    if args.out:
        args.out.write_text(text + "\n" + note + "\n")
    slow = any(case.target and case.slowest() >= TARGET_S for case in cases)
    return 1 if slow or final["changed"] else 0


if __name__ == "__main__":
    sys.exit(main())
