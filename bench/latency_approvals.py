#!/usr/bin/env python
"""Latency of the approval centre's figures (issue 5) on the bench's million applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/latency_approvals.py

Needs ``bench/make_zone.py`` then ``bench/make_approvals.py``. Each case runs ``--warmup`` unmeasured times, then
``--requests`` measured times in a row, in process, as ``bench-admin``, ``bench-leader``, ``bench-dept1`` (the
applications of 发改委) and ``bench-officer001`` (the applications of its ~300 enterprises and its agent filings):

- ``GET /api/v1/approvals/stats/?year=2025`` and ``queries.year_stats(user=…, year=2025)`` called directly;
- ``GET /api/v1/approvals/overdue/`` (the first page) and ``queries.overdue`` called directly (the first 50 rows
  and the count, what the page needs);
- the dashboard page ``/approvals/?year=2025`` and the overdue page ``/approvals/overdue/`` (beyond the brief).

Through ``django.test.Client`` with ``force_login`` and the production static storage, as ``bench/latency.py``
(whose runner it reuses). Prints a markdown table of mean, p50, p95 and max in milliseconds, the number of SQL
queries and their time in one request, and exits 1 if a p95 reaches 500 ms. A page or endpoint that does not exist
(404) or that a role may not see (403) is reported and skipped. ``--explain`` prints instead, per case, the query
log of one request and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest query.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from latency import Result, run_inprocess, wait_idle  # noqa: E402 — sets Django up

from hitechzone.accounts.models import User  # noqa: E402
from hitechzone.approvals import queries  # noqa: E402
from hitechzone.approvals.models import Application  # noqa: E402

TARGET_MS = 500.0
YEAR = 2025
PAGE = 50  # the API's page size


@dataclass
class Case:
    label: str
    path: str = ""  # a GET, or
    call: Callable[[], object] | None = None  # a function called directly
    extra: bool = False  # beyond the brief's list


def overdue_page(user: User) -> tuple[list, int]:
    scoped = queries.overdue(Application.objects.for_user(user))
    return list(scoped[:PAGE]), scoped.count()


def cases_for(user: User) -> list[Case]:
    return [
        Case(f"stats {YEAR}: queries.year_stats()", call=lambda: queries.year_stats(user=user, year=YEAR)),
        Case(f"stats {YEAR}: API", f"/api/v1/approvals/stats/?year={YEAR}"),
        Case("overdue: queries.overdue(), first page + count", call=lambda: overdue_page(user)),
        Case("overdue: API, first page", "/api/v1/approvals/overdue/"),
        Case(f"dashboard {YEAR}: page", f"/approvals/?year={YEAR}", extra=True),
        Case("overdue: page", "/approvals/overdue/", extra=True),
    ]


def run_call(case: Case, n: int, warmup: int, role: str) -> Result:
    result = Result(case, role, "direct")
    for _ in range(warmup):
        case.call()
    for _ in range(n):
        start = time.perf_counter()
        case.call()
        result.times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        case.call()
    result.queries = len(ctx.captured_queries)
    result.sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    reset_queries()
    return result


def explain(client: Client, case: Case, role: str) -> None:
    with CaptureQueriesContext(connection) as ctx:
        case.call() if case.call else client.get(case.path)
    found = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in found) * 1000
    print(f"\n### {case.label} as {role}: {len(found)} queries, {total:.1f} ms of SQL")
    for q in found[:8]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:600]}")
    if found and float(found[0]["time"]) > 0.005:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + found[0]["sql"])
            print("\n".join("    " + r[0] for r in cursor.fetchall()))


def table(results: list[Result]) -> str:
    lines = [
        "| case | role | n | mean ms | p50 ms | p95 ms | max ms | queries | SQL ms | p95 < 500 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        label = r.case.label + (" *" if r.case.extra else "")
        ok = "yes" if r.stat("p95") < TARGET_MS else "**no**"
        lines.append(
            f"| {label} | {r.role} | {len(r.times)} | {r.stat('mean'):.1f} | {r.stat('p50'):.1f} "
            f"| {r.stat('p95'):.1f} | {r.stat('max'):.1f} | {r.queries} | {r.sql_ms:.1f} | {ok} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100, help="measured requests per case (default 100)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first (default 3)")
    parser.add_argument("--only", default="", help="only the cases whose label matches this regular expression")
    parser.add_argument("--roles", default="admin,leader,dept,officer", help="admin,leader,dept,officer (default all)")
    parser.add_argument("--explain", action="store_true", help="print the query log and EXPLAIN ANALYZE instead")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--wait-idle", type=float, default=0, metavar="SECONDS", help="wait for load average < 0.5")
    args = parser.parse_args(argv)
    if args.wait_idle:
        wait_idle(args.wait_idle)
    load_before = os.getloadavg()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    names = {"admin": "bench-admin", "leader": "bench-leader", "dept": "bench-dept1", "officer": "bench-officer001"}
    users = {role: User.objects.get(username=names[role]) for role in args.roles.split(",")}
    db = connection.settings_dict
    print(
        f"database: {connection.vendor} {db.get('NAME')}; {Application.objects.count():,} applications; "
        + "; ".join(
            f"{r} {u.username} sees {Application.objects.for_user(u).count():,} "
            f"({queries.overdue(Application.objects.for_user(u)).count():,} overdue)"
            for r, u in users.items()
        ),
        flush=True,
    )
    results: list[Result] = []
    skipped: list[str] = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for case in cases_for(user):
            if not re.search(args.only, case.label):
                continue
            if case.path:
                status = client.get(case.path).status_code
                if status != 200:
                    what = "not there" if status == 404 else f"answers {status}"
                    print(f"  {role:<8} {case.label:<48} {what}: skipped", flush=True)
                    skipped.append(f"{case.label} as {role}: {status}")
                    continue
            if args.explain:
                explain(client, case, role)
                continue
            if case.call:
                r = run_call(case, args.requests, args.warmup, role)
            else:
                r = run_inprocess(client, case, args.requests, args.warmup, role)
            results.append(r)
            print(
                f"  {role:<8} {case.label:<48} p50 {r.stat('p50'):7.1f}  p95 {r.stat('p95'):7.1f} ms"
                f"  {r.queries} queries, {r.sql_ms:.0f} ms SQL",
                flush=True,
            )
    if args.explain:
        return 0
    load_after = os.getloadavg()
    text = table(results)
    note = (
        "\n\\* beyond the brief's list"
        + (f"; skipped: {'; '.join(skipped)}" if skipped else "")
        + f"\nload average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} CPUs)"
    )
    print()
    print(text)
    print(note)
    if args.out:
        args.out.write_text(text + "\n" + note + "\n")
    return 1 if any(r.stat("p95") >= TARGET_MS for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
