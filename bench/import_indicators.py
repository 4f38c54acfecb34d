#!/usr/bin/env python
"""Issue 3's benchmark: a 100,000-row ``indicators`` workbook validated and written on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/import_indicators.py

Needs the bench zone (``bench/make_zone.py``: 100,000 enterprises with USCCs ``91339900…``). Writes four
workbooks (the template's columns in order, openpyxl write-only through
``hitechzone.common.spreadsheets.write_xlsx``) for ``--year`` (default: the current year, which the zone
does not have) into ``--dir`` (default ``var/bench``):

- ``create``: one row per bench enterprise (100,000), figures derived from its 2025 row;
- ``same``: the same rows under another sheet title (another hash, so not refused as a duplicate file);
- ``update``: the same rows with every tax changed;
- ``bad``: ``update`` with a negative tax at Excel row 50,001 (in the middle).

Then each case runs in a fresh subprocess (a clean peak RSS): ``calamine`` (python-calamine
``to_python`` of the create file, nothing else), then ``hitechzone.common.intake.import_workbook`` for
``create``, ``same``, ``update`` and ``bad`` — wall time, rows/s, peak RSS (``ru_maxrss``) and the
time of each stage (read + cell checks, registry checks, write, error report), plus the counts of
``EnterpriseIndicator`` and ``AuditEvent`` rows before and after. Finally the rows of ``--year``, the
import batches, their audit events and their files are deleted again (``--keep`` leaves them), so the
bench database stays as ``make_zone.py`` left it (``VACUUM FULL`` then ``VACUUM ANALYZE`` of the tables written).
``--cprofile CASE`` profiles one case instead (prints the top functions by cumulative and by own time;
run ``--cases create --keep`` first for ``same``,
``update`` or ``bad``). ``--out FILE`` also writes the markdown table.
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

USCC_PREFIX = "91339900"  # bench/make_zone.py
FILE_PREFIX = "bench-indicators-"
CASES = ("calamine", "create", "same", "update", "bad")
TARGET_S = 30.0
TARGET_MB = 1536.0
BAD_ROW = 50_001  # Excel row number (row 1 is the header)


def setup() -> None:
    import django

    django.setup()


def peak_mb() -> float:
    """Peak RSS of this process's own memory (VmHWM): ru_maxrss would include the parent's peak after fork+exec."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def files(directory: Path, year: int) -> dict[str, Path]:
    return {case: directory / f"{FILE_PREFIX}{year}-{case}.xlsx" for case in ("create", "same", "update", "bad")}


# --------------------------------------------------------------------------------------------- generation


def generate(directory: Path, year: int) -> dict:
    """Write the four workbooks; returns the number of rows."""
    from hitechzone.common.intake import get_kind
    from hitechzone.common.spreadsheets import write_xlsx
    from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator

    kind = get_kind("indicators")
    headers = [c.header for c in kind.columns]
    assert len(headers) == 4 + len(EnterpriseIndicator.FIGURES), headers  # USCC, name, year, 规上, the figures
    start = time.perf_counter()
    names = dict(Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("id", "uscc"))
    ents = dict(Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("id", "name"))
    base = (
        EnterpriseIndicator.objects.filter(enterprise_id__in=Enterprise.objects.filter(uscc__startswith=USCC_PREFIX))
        .filter(year=2025)  # the zone's latest year
        .order_by("enterprise__uscc")
        .values_list("enterprise_id", "is_above_scale", *EnterpriseIndicator.FIGURES)
    )
    rows = []
    for eid, above, *figures in base:
        # A year later: ~5 % growth, rounded to the column's places (the template's units); land and staff stay.
        grown = []
        for i, (name, v) in enumerate(zip(EnterpriseIndicator.FIGURES, figures, strict=True)):
            if v is None or name == "employees_avg":
                grown.append(v)
            elif name == "land_mu":
                grown.append(float(v))
            else:
                grown.append(round(float(v) * 1.05, 2 if i < 6 else 3))
        rows.append([names[eid], ents[eid], year, "是" if above else "否", *grown])
    if not rows:
        raise SystemExit("no bench zone: run bench/make_zone.py first")
    tax = headers.index("税收实际入库(万元)")
    updated = [[*r[:tax], round(r[tax] * 1.1 + 0.01, 2), *r[tax + 1 :]] for r in rows]
    bad = [list(r) for r in updated]
    bad[BAD_ROW - 2][tax] = -12.5
    directory.mkdir(parents=True, exist_ok=True)
    paths = files(directory, year)
    sheets = {"create": ("年度指标", rows), "same": ("年度指标 再次", rows), "update": ("年度指标", updated)}
    sheets["bad"] = ("年度指标", bad)
    out = {"rows": len(rows), "plan_s": round(time.perf_counter() - start, 1)}
    for case, (title, data) in sheets.items():
        t = time.perf_counter()
        write_xlsx(str(paths[case]), [(title, headers, data)])
        out[f"{case}_s"] = round(time.perf_counter() - t, 1)
        out[f"{case}_mb"] = round(paths[case].stat().st_size / 2**20, 1)
    return out


# --------------------------------------------------------------------------------------------- one case


def counts(year: int) -> dict:
    from hitechzone.common.models import AuditEvent
    from hitechzone.enterprises.models import EnterpriseIndicator

    return {
        "indicators": EnterpriseIndicator.objects.count(),
        "indicators_year": EnterpriseIndicator.objects.filter(year=year).count(),
        "audit_events": AuditEvent.objects.count(),
    }


def run_case(case: str, directory: Path, year: int) -> dict:
    """Runs in its own process; prints one JSON line."""
    base_mb = peak_mb()
    if case == "calamine":
        from python_calamine import CalamineWorkbook

        path = files(directory, year)["create"]
        data = path.read_bytes()
        base_mb = peak_mb()
        start = time.perf_counter()
        import io

        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
        wall = time.perf_counter() - start
        return {"case": case, "rows": len(rows) - 1, "wall_s": wall, "peak_mb": peak_mb(), "base_mb": base_mb}

    setup()
    from django.db import connection

    from hitechzone.common.intake import import_workbook

    path = files(directory, year)[case]
    data = path.read_bytes()
    before = counts(year)
    connection.close()  # the import opens its own connection, as a worker would
    base_mb = peak_mb()
    stages: list[tuple[float, int, str]] = []
    start = time.perf_counter()

    def progress(percent: int, stage: str) -> None:
        stages.append((time.perf_counter() - start, percent, stage))

    batch = import_workbook(
        kind="indicators", file_name=path.name, data=data, user=None, source="import", progress=progress
    )
    wall = time.perf_counter() - start
    peak = peak_mb()
    after = counts(year)

    def at(threshold: int) -> float | None:
        return next((t for t, p, _s in stages if p >= threshold), None)

    checked, written = at(60), at(100)
    report = at(80) if batch.status == "invalid" else None
    split = {
        "read_cells_s": at(45),  # read (inspect + calamine) and parse every cell
        "registry_s": (checked - at(45)) if checked and at(45) else None,  # prepare + check_row + duplicate keys
        "write_s": (written - at(62)) if written and at(62) else None,
        "report_s": (wall - report) if report else None,
    }
    validation = getattr(batch, "validation", None)
    return {
        "case": case,
        "file": path.name,
        "file_mb": round(len(data) / 2**20, 1),
        "status": batch.status,
        "message": batch.message,
        "rows": batch.rows_total,
        "created": batch.rows_created,
        "updated": batch.rows_updated,
        "unchanged": batch.rows_unchanged,
        "bad": batch.rows_bad,
        "errors": [str(e) for e in (validation.errors[:3] if validation else [])],
        "report_kb": round(batch.report.size / 1024) if batch.report else None,
        "wall_s": wall,
        "peak_mb": peak,
        "base_mb": base_mb,
        "before": before,
        "after": after,
        **split,
    }


def profile_case(case: str, directory: Path, year: int) -> None:
    import cProfile
    import pstats

    setup()
    from hitechzone.common.intake import import_workbook

    path = files(directory, year)[case]
    data = path.read_bytes()
    profiler = cProfile.Profile()
    profiler.enable()
    batch = import_workbook(kind="indicators", file_name=path.name, data=data, user=None, source="import")
    profiler.disable()
    print(batch.status, batch.message)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


# --------------------------------------------------------------------------------------------- clean-up


def cleanup(year: int) -> dict:
    """Delete the year's indicator rows of the bench enterprises, the bench import batches, their events and files."""
    from django.db import connection, transaction

    from hitechzone.common.models import AuditEvent, ImportBatch
    from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator

    qn = connection.ops.quote_name
    batches = list(ImportBatch.objects.filter(file_name__startswith=FILE_PREFIX))
    ids = [b.pk for b in batches]
    out = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if ids:
            # Audit records refuse deletion through the ORM; these are the benchmark's own, so plain SQL.
            cursor.execute(f"DELETE FROM {qn(AuditEvent._meta.db_table)} WHERE batch_id = ANY(%s)", [ids])
            out["audit_events"] = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {qn(EnterpriseIndicator._meta.db_table)} WHERE year = %s AND enterprise_id IN "
            f"(SELECT id FROM {qn(Enterprise._meta.db_table)} WHERE uscc LIKE %s)",
            [year, USCC_PREFIX + "%"],
        )
        out["indicators"] = cursor.rowcount
        for b in batches:
            for f in (b.upload, b.report):
                if f:
                    f.delete(save=False)
        out["batches"] = ImportBatch.objects.filter(pk__in=ids).delete()[0]
    with connection.cursor() as cursor:
        # FULL: otherwise the dead rows stay in the files and every later sequential scan reads them.
        # Then VACUUM: FULL leaves the visibility map empty, and index-only scans would visit the heap.
        for model in (EnterpriseIndicator, AuditEvent, ImportBatch):
            cursor.execute(f"VACUUM FULL {qn(model._meta.db_table)}")
            cursor.execute(f"VACUUM ANALYZE {qn(model._meta.db_table)}")
    return out


# --------------------------------------------------------------------------------------------- report


def table(results: list[dict]) -> str:
    labels = {
        "calamine": "calamine alone: read the file (`to_python`)",
        "create": "(1) 100k new rows (creates)",
        "same": "(2) the same rows again, another file (all unchanged)",
        "update": "(3) 100k updates (every tax changed)",
        "bad": "(4) one bad row at row 50,001: refused",
    }
    lines = [
        "| case | result | wall s | rows/s | peak MB | read + cells s | registry s | write s | report s "
        "| indicators before → after | audit events before → after | ≤ 30 s, ≤ 1.5 GB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]

    def f(v):
        return "" if v is None else f"{v:.1f}"

    for r in results:
        if r["case"] == "calamine":
            result, before_after = f"{r['rows']:,} rows", ("", "")
        else:
            result = (
                f"{r['status']}: {r['created']:,} created, {r['updated']:,} updated, {r['unchanged']:,} unchanged"
                if r["status"] == "written"
                else f"{r['status']}: {r['bad']} bad row of {r['rows']:,}; report {r['report_kb']} KB"
            )
            b, a = r["before"], r["after"]
            before_after = (
                f"{b['indicators']:,} → {a['indicators']:,}",
                f"{b['audit_events']:,} → {a['audit_events']:,}",
            )
        ok = "yes" if r["wall_s"] <= TARGET_S and r["peak_mb"] <= TARGET_MB else "**no**"
        lines.append(
            f"| {labels[r['case']]} | {result} | {r['wall_s']:.1f} | {r['rows'] / r['wall_s']:,.0f} "
            f"| {r['peak_mb']:.0f} | {f(r.get('read_cells_s'))} | {f(r.get('registry_s'))} | {f(r.get('write_s'))} "
            f"| {f(r.get('report_s'))} | {before_after[0]} | {before_after[1]} | {ok} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from datetime import date

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=date.today().year, help="the year imported (default: this year)")
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "bench", help="where the workbooks go")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {','.join(CASES)}")
    parser.add_argument("--no-generate", action="store_true", help="reuse the workbooks already in --dir")
    parser.add_argument("--keep", action="store_true", help="leave the imported rows and batches in the database")
    parser.add_argument("--cleanup", action="store_true", help="only delete what an earlier run left")
    parser.add_argument("--cprofile", choices=CASES[1:], help="profile one case in this process instead")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case, print JSON
    args = parser.parse_args(argv)

    if args.case:
        print(json.dumps(run_case(args.case, args.dir, args.year)))
        return 0
    if args.cprofile:
        profile_case(args.cprofile, args.dir, args.year)
        return 0
    setup()
    from django.db import connection

    from hitechzone.enterprises.models import EnterpriseIndicator

    if args.cleanup:
        print("clean-up:", cleanup(args.year))
        return 0
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db.get('NAME')}; year {args.year}", flush=True)
    if connection.vendor != "postgresql":
        print("(not PostgreSQL: the figures are not the issue's)", file=sys.stderr)
    cases = [c for c in args.cases.split(",") if c]
    if "create" in cases and EnterpriseIndicator.objects.filter(year=args.year).exists():
        print(f"rows of {args.year} already there: cleaning up first: {cleanup(args.year)}", flush=True)
    if not args.no_generate:
        print("generating workbooks:", generate(args.dir, args.year), flush=True)
    connection.close()

    load_before = os.getloadavg()
    results = []
    for case in cases:
        proc = subprocess.run(  # noqa: S603 — this very script, one case
            [sys.executable, __file__, "--case", case, "--dir", str(args.dir), "--year", str(args.year)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode:
            print(proc.stdout, proc.stderr, file=sys.stderr)
            return 2
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(r)
        detail = {k: r.get(k) for k in ("read_cells_s", "registry_s", "write_s", "report_s", "message", "errors")}
        print(
            f"  {case:<9} {r.get('status', ''):<8} {r['wall_s']:6.1f} s  peak {r['peak_mb']:6.0f} MB "
            f"(base {r['base_mb']:.0f})  {json.dumps(detail, ensure_ascii=False)}",
            flush=True,
        )
    load_after = os.getloadavg()
    if not args.keep:
        print("clean-up:", cleanup(args.year), flush=True)
    text = table(results)
    note = (
        f"load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} CPUs)"
    )
    print()
    print(text)
    print(note)
    if args.out:
        args.out.write_text(text + "\n" + note + "\n")
    bad = next((r for r in results if r["case"] == "bad"), None)
    refused_clean = bad is None or (bad["status"] == "invalid" and bad["before"] == bad["after"])
    missed = [r for r in results if r["wall_s"] > TARGET_S or r["peak_mb"] > TARGET_MB]
    return 0 if refused_clean and not missed else 1


if __name__ == "__main__":
    sys.exit(main())
