#!/usr/bin/env python
"""Issue 6's end-to-end benchmark: one year's 亩均 evaluation of the bench zone, read from PostgreSQL, computed and
stored, against the per-row reference on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench \\
        .venv/bin/python bench/evaluation_end_to_end.py [--year 2025] [--repeat 3] [--wait-idle 600] [--out FILE]

Needs the zone of ``bench/make_zone.py`` (100,000 enterprises; see bench/README.md). Times
``hitechzone.evaluation.services.run_evaluation(user=None, year=…)`` — the path of the UI, the API's job and the
CLI — ``--repeat`` times, with its stages from the progress callback: read (the year's figures, exemptions and
vetoes into arrays), compute (the numpy kernel, exclusion reasons, industry ranks, next-class gaps) and store (the
run, one result per enterprise, commit). Then reads the same data once more and runs
``hitechzone.evaluation.reference.evaluate`` (dicts and loops) on it, checks that it agrees with what the last run
stored (groups, classes and ranks identical, scores to 1e-9), and prints a markdown table. Finally deletes the
runs it made (their results and audit records). Exits 1 if the median end-to-end run needs 10 s or more.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402

from hitechzone.common.models import AuditEvent  # noqa: E402
from hitechzone.enterprises.models import Enterprise  # noqa: E402
from hitechzone.evaluation import reference, services  # noqa: E402
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun  # noqa: E402

TARGET_S = 10.0
MIN_ENTERPRISES = 100_000


def wait_idle(limit: float, threshold: float = 0.5) -> None:
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        time.sleep(10)


class Stages:
    """Wall-clock time of each stage, from the progress callback (read 0–30 %, compute 30–45 %, store 45–100 %)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, percent: int, stage: str) -> None:
        now = time.perf_counter() - self.start
        if percent >= 30 and "read" not in self.marks:
            self.marks["read"] = now
        if percent >= 45 and "compute" not in self.marks:
            self.marks["compute"] = now

    def split(self, total: float) -> tuple[float, float, float]:
        read = self.marks.get("read", 0.0)
        compute = self.marks.get("compute", read) - read
        return read, compute, total - read - compute


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--keep", action="store_true", help="keep the runs made (default: delete them)")
    parser.add_argument("--out", default=None, help="also write the table to this file")
    args = parser.parse_args(argv)

    if connection.vendor != "postgresql":
        print("run it against PostgreSQL (DATABASE_URL=postgres://…/hitechzone_bench)", file=sys.stderr)
        return 2
    enterprises = Enterprise.objects.count()
    if enterprises < MIN_ENTERPRISES:
        print(f"{enterprises:,} enterprises: make the bench zone first (bench/make_zone.py)", file=sys.stderr)
        return 2
    print(f"database: {connection.settings_dict.get('NAME')}; {enterprises:,} enterprises", flush=True)
    if args.wait_idle:
        wait_idle(args.wait_idle)
    load_before = os.getloadavg()

    made: list[int] = []
    timings = []
    for i in range(args.repeat):
        stages = Stages()
        t0 = time.perf_counter()
        run = services.run_evaluation(by=None, year=args.year, note="bench/evaluation_end_to_end.py", progress=stages)
        total = time.perf_counter() - t0
        made.append(run.pk)
        read, compute, store = stages.split(total)
        timings.append((total, read, compute, store))
        n = run.n_above + run.n_below + run.n_excluded
        print(
            f"  run {i + 1}: {n:,} results ({run.n_above:,} above, {run.n_below:,} below, {run.n_excluded:,} "
            f"excluded) in {total:.2f} s (read {read:.2f}, compute {compute:.2f}, store {store:.2f})",
            flush=True,
        )

    # The per-row reference on the same data (read again: the read is the same code, timed apart).
    t0 = time.perf_counter()
    version = run.scheme_version
    scheme = version.kernel()
    inp = services._Input(args.year, scheme, version.scheme.brand_id)
    read_s = time.perf_counter() - t0
    cols = {k: v.tolist() for k, v in inp.data.items()}
    rows = [dict(zip(cols, vals, strict=True)) for vals in zip(*cols.values(), strict=True)]
    t0 = time.perf_counter()
    expected = reference.evaluate(rows, scheme)
    reference_s = time.perf_counter() - t0
    stored = {
        uscc: (group, score, klass, rank)
        for uscc, group, score, klass, rank in EvaluationResult.objects.filter(run=run).values_list(
            "uscc", "group", "score", "klass", "rank"
        )
    }
    bad = 0
    for row in expected:
        group, score, klass, rank = stored[row["uscc"]]
        same = (group, klass, rank or 0) == (row["group"], row["class"], row["rank"])
        if row["score"] is None:
            same = same and score is None
        else:
            same = same and score is not None and math.isclose(score, row["score"], rel_tol=1e-9, abs_tol=1e-9)
        bad += not same
    print(f"  reference: read {read_s:.2f} s, per-row evaluation {reference_s:.2f} s; disagreements: {bad}")
    load_after = os.getloadavg()

    totals = [t[0] for t in timings]
    median = statistics.median(totals)
    n = len(expected)
    mid = sorted(timings)[len(timings) // 2]
    lines = [
        "| case | enterprises | read s | compute s | store s | total s | µs / enterprise |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| run_evaluation, median of {len(timings)} | {n:,} | {mid[1]:.2f} | {mid[2]:.2f} | {mid[3]:.2f} "
        f"| **{median:.2f}** | {median / n * 1e6:.1f} |",
        f"| run_evaluation, fastest | {n:,} | {min(timings)[1]:.2f} | {min(timings)[2]:.2f} | {min(timings)[3]:.2f} "
        f"| {min(totals):.2f} | {min(totals) / n * 1e6:.1f} |",
        f"| run_evaluation, slowest | {n:,} | {max(timings)[1]:.2f} | {max(timings)[2]:.2f} | {max(timings)[3]:.2f} "
        f"| {max(totals):.2f} | {max(totals) / n * 1e6:.1f} |",
        f"| reference (per-row Python) on the same data | {n:,} | {read_s:.2f} | {reference_s:.2f} | | | "
        f"{reference_s / n * 1e6:.1f} |",
        "",
        f"Compute, per-row reference ÷ run_evaluation's compute stage: **{reference_s / mid[2]:.1f}×**; the reference "
        f"agrees with the stored results ({bad} disagreements). Load average (1, 5, 15 min) before: "
        f"{', '.join(f'{x:.2f}' for x in load_before)}; after: {', '.join(f'{x:.2f}' for x in load_after)} "
        f"({os.cpu_count()} CPUs)",
    ]
    table = "\n".join(lines)
    print()
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")

    if not args.keep:
        EvaluationResult.objects.filter(run_id__in=made).delete()
        run_type = ContentType.objects.get_for_model(EvaluationRun)
        AuditEvent.objects.filter(content_type=run_type, object_id__in=[str(pk) for pk in made]).delete()
        EvaluationRun.objects.filter(pk__in=made).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {EvaluationResult._meta.db_table}")
    return 1 if median >= TARGET_S or bad else 0


if __name__ == "__main__":
    sys.exit(main())
