"""The runner of the module benchmarks (``latency_liaison.py``, ``latency_approvals.py``): cases, options, table.

A module's script lists its cases per role (a page or API path to GET, or a query function to call directly) and
calls :func:`main`. Each case runs ``--warmup`` unmeasured times, then ``--requests`` measured times in a row,
in process (``django.test.Client`` with ``force_login`` and the production static storage, through
``latency.run_inprocess``). Prints a markdown table of mean, p50, p95 and max in milliseconds, the number of SQL
queries and their time in one request, and exits 1 if a p95 reaches 500 ms (or the case's own ``target_ms``). A
case marked ``baseline`` (say a trivial request, first among a role's cases) is measured in full, then again
(``--requests`` ÷ 5, at least 20 times) just before each other case, and the table gives each case's p50 and p95
as ratios to that nearest baseline's: they hold better than the absolute figures on a shared machine whose speed
varies 2-3× with the load, even within a run. A path
that answers other than 200 (not there yet, or not this role's) is reported and skipped. ``--explain`` prints
instead, per case, the query log of one request and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest query.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from latency import Result, run_inprocess, wait_idle

from hitechzone.accounts.models import User

TARGET_MS = 500.0

#: The bench zone's persona of each role (``make_zone.py``).
BENCH_USERS = {"admin": "bench-admin", "leader": "bench-leader", "dept": "bench-dept1", "officer": "bench-officer001"}


@dataclass
class Case:
    label: str
    path: str = ""  # a GET, or
    call: Callable[[], object] | None = None  # a function called directly
    extra: bool = False  # beyond the brief's list
    target_ms: float | None = None  # the case's own target (p95 under it), else TARGET_MS
    baseline: bool = False  # the run's baseline: the other cases' p95 is also given as a ratio to its p95

    @property
    def target(self) -> float:
        return self.target_ms or TARGET_MS


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
    """The markdown table; with a baseline (``Result.near``: the baseline measured just before the case), the
    baseline's p50 / p95 and the case's p50 and p95 as ratios to them; each case's own target."""
    baselines = any(getattr(r, "near", None) for r in results)
    own_targets = any(r.case.target_ms for r in results)
    head = "| case | role | n | mean ms | p50 ms | p95 ms | max ms | queries | SQL ms |"
    rule = "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    if baselines:
        head += " baseline just before, p50 / p95 ms | p50 ÷ baseline p50 | p95 ÷ baseline p95 |"
        rule += " ---: | ---: | ---: |"
    head += " p95 < target |" if own_targets else f" p95 < {TARGET_MS:.0f} ms |"
    lines = [head, rule + " --- |"]
    for r in results:
        label = r.case.label + (" *" if r.case.extra else "")
        ok = "yes" if r.stat("p95") < r.case.target else "**no**"
        if own_targets:
            ok += f" ({r.case.target:.0f} ms)"
        line = (
            f"| {label} | {r.role} | {len(r.times)} | {r.stat('mean'):.1f} | {r.stat('p50'):.1f} "
            f"| {r.stat('p95'):.1f} | {r.stat('max'):.1f} | {r.queries} | {r.sql_ms:.1f} |"
        )
        if baselines:
            near = getattr(r, "near", None)
            if near is None:
                line += " (the baseline) | | |" if r.case.baseline else " | | |"
            else:
                b50, b95 = near.stat("p50"), near.stat("p95")
                line += f" {b50:.1f} / {b95:.1f} | {r.stat('p50') / b50:.1f}× | {r.stat('p95') / b95:.1f}× |"
        lines.append(f"{line} {ok} |")
    return "\n".join(lines)


def main(
    argv: list[str] | None,
    *,
    description: str,
    roles: str,
    cases_for: Callable[[str, User], list[Case]],
    describe: Callable[[dict[str, User]], str],
) -> int:
    """Parse the options, measure every case of every role, print (and ``--out``) the table; 1 if a p95 reaches its
    target (500 ms unless the case names its own).

    ``roles``: the default ``--roles`` (comma-separated keys of :data:`BENCH_USERS`); ``describe(users)``: a line
    on what the database holds and what each user sees, printed first.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--requests", type=int, default=100, help="measured requests per case (default 100)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests first (default 3)")
    parser.add_argument("--only", default="", help="only the cases whose label matches this regular expression")
    parser.add_argument("--roles", default=roles, help=f"{roles} (default all)")
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
    users = {role: User.objects.get(username=BENCH_USERS[role]) for role in args.roles.split(",")}
    db = connection.settings_dict
    print(f"database: {connection.vendor} {db.get('NAME')}; {describe(users)}", flush=True)
    results: list[Result] = []
    skipped: list[str] = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        baseline = None
        for case in cases_for(role, user):
            if not case.baseline and not re.search(args.only, case.label):
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
            near = None
            if baseline is not None:  # the baseline again, just before this case: the same moment's machine
                near = run_inprocess(client, baseline, max(20, args.requests // 5), 0, role)
            if case.call:
                r = run_call(case, args.requests, args.warmup, role)
            else:
                r = run_inprocess(client, case, args.requests, args.warmup, role)
            r.near = near
            if case.baseline:
                baseline = case
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
    return 1 if any(r.stat("p95") >= r.case.target for r in results) else 0
