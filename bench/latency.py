#!/usr/bin/env python
"""Latency of the enterprise pages and API on the bench zone (``bench/make_zone.py``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/latency.py --http

Each case is requested ``--requests`` times one after another (after ``--warmup`` unmeasured ones),
as ``bench-admin`` and as ``bench-officer001``: in process through ``django.test.Client`` (with
``force_login``), and with ``--http`` also over HTTP against gunicorn on 127.0.0.1 (``--workers``
sync workers, keep-alive off: one connection per request, the session cookie of a real login
session). Prints a markdown table of mean, p50, p95 and max in milliseconds and the number of SQL
queries one request makes. ``--explain`` prints, per case, the queries of one request with their
times and ``EXPLAIN ANALYZE`` of the slowest (PostgreSQL only).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hitechzone.accounts.models import User  # noqa: E402
from hitechzone.enterprises.models import Enterprise  # noqa: E402

TARGET_MS = 300.0
COMMON_FRAGMENT = "有机硅"  # a chain word: about one name in ten contains it
PAGE_SIZE = 25  # hitechzone.common.views.PAGE_SIZE
API_PAGE_SIZE = 50


@dataclass
class Case:
    label: str
    path: str
    extra: bool = False  # beyond the brief's list


@dataclass
class Result:
    case: Case
    role: str
    mode: str
    times: list[float] = field(default_factory=list)
    queries: int | None = None
    sql_ms: float | None = None
    bytes: int = 0

    def stat(self, name: str) -> float:
        t = sorted(self.times)
        if name == "mean":
            return statistics.fmean(t)
        if name == "max":
            return t[-1]
        q = statistics.quantiles(t, n=100, method="inclusive")
        return {"p50": q[49], "p95": q[94]}[name]


def cases_for(user: User, sample: Enterprise, fragment: str, deep: int, api_deep: int) -> list[Case]:
    chain = sample.chains.order_by("sort_order").first()
    return [
        Case("list, first page", "/enterprises/"),
        Case(f"list, deep page ({deep})", f"/enterprises/?page={deep}"),
        Case(f"search, name fragment “{fragment}”", f"/enterprises/?q={fragment}"),
        Case(f"search, common fragment “{COMMON_FRAGMENT}”", f"/enterprises/?q={COMMON_FRAGMENT}"),
        Case("search, full USCC", f"/enterprises/?q={sample.uscc}"),
        Case(
            f"filter brand={sample.brand.code} & chain={chain.code}",
            f"/enterprises/?brand={sample.brand.code}&chain={chain.code}",
        ),
        Case("detail", f"/enterprises/{sample.pk}/"),
        Case("API list", "/api/v1/enterprises/"),
        Case(f"API list, deep page ({api_deep})", f"/api/v1/enterprises/?page={api_deep}", extra=True),
        Case(f"API search “{fragment}”", f"/api/v1/enterprises/?q={fragment}"),
        Case("home (brand summary)", "/", extra=True),
        Case("parcels, first page", "/zone/parcels/", extra=True),
    ]


def quote(path: str) -> str:
    from urllib.parse import quote as q

    return q(path, safe="/?=&")


# --------------------------------------------------------------------------------------------- runners


def run_inprocess(client: Client, case: Case, n: int, warmup: int, role: str) -> Result:
    result = Result(case, role, "in-process")
    for _ in range(warmup):
        response = client.get(case.path)
        assert response.status_code == 200, (case.path, response.status_code)
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(case.path)
        result.times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (case.path, response.status_code)
    result.bytes = len(response.content)
    with CaptureQueriesContext(connection) as ctx:
        client.get(case.path)
    result.queries = len(ctx.captured_queries)
    result.sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    reset_queries()
    return result


def http_get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "GET", quote(path), headers={"Cookie": f"sessionid={cookie}", "Accept": "text/html,application/json"}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run_http(port: int, cookie: str, case: Case, n: int, warmup: int, role: str) -> Result:
    result = Result(case, role, "HTTP")
    for _ in range(warmup):
        status, _body = http_get(port, case.path, cookie)
        assert status == 200, (case.path, status)
    for _ in range(n):
        start = time.perf_counter()
        status, body = http_get(port, case.path, cookie)
        result.times.append((time.perf_counter() - start) * 1000)
        assert status == 200, (case.path, status)
    result.bytes = len(body)
    return result


@contextlib.contextmanager
def gunicorn(port: int, workers: int):
    env = dict(os.environ)
    proc = subprocess.Popen(  # noqa: S603 — our own venv's gunicorn on loopback
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "hitechzone.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# --------------------------------------------------------------------------------------------- explain


def explain(client: Client, case: Case, role: str) -> None:
    with CaptureQueriesContext(connection) as ctx:
        client.get(case.path)
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"\n### {case.label} as {role}: {len(queries)} queries, {total:.1f} ms of SQL")
    for q in queries[:5]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    if connection.vendor == "postgresql" and queries and float(queries[0]["time"]) > 0.005:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries[0]["sql"])
            print("\n".join("    " + r[0] for r in cursor.fetchall()))


# --------------------------------------------------------------------------------------------- main


def wait_idle(limit: float, threshold: float = 0.5) -> None:
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        print(f"  waiting for an idle machine: load average {os.getloadavg()[0]:.2f}", flush=True)
        time.sleep(15)


def table(results: list[Result]) -> str:
    lines = [
        "| case | role | mode | n | mean ms | p50 ms | p95 ms | max ms | queries | SQL ms | p95 < 300 ms |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        label = r.case.label + (" *" if r.case.extra else "")
        queries = "" if r.queries is None else str(r.queries)
        sql = "" if r.sql_ms is None else f"{r.sql_ms:.1f}"
        ok = "yes" if r.stat("p95") < TARGET_MS else "**no**"
        lines.append(
            f"| {label} | {r.role} | {r.mode} | {len(r.times)} | {r.stat('mean'):.1f} | {r.stat('p50'):.1f} "
            f"| {r.stat('p95'):.1f} | {r.stat('max'):.1f} | {queries} | {sql} | {ok} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests per case (default 200)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests first (default 5)")
    parser.add_argument("--http", action="store_true", help="also measure over HTTP against gunicorn")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--only", default="", help="only the cases whose label matches this regular expression")
    parser.add_argument("--roles", default="admin,officer", help="admin,officer (default both)")
    parser.add_argument("--explain", action="store_true", help="print the query log and EXPLAIN ANALYZE instead")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for the 1-minute load average to fall below 0.5 (the machine is shared)",
    )
    args = parser.parse_args(argv)
    if args.wait_idle:
        wait_idle(args.wait_idle)
    load_before = os.getloadavg()

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        # Pages are rendered as in production (manifest static storage): collect once, as `make demo` does.
        from django.core.management import call_command

        print(f"collectstatic into {settings.STATIC_ROOT} (no manifest yet)", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
    users = {
        "admin": User.objects.get(username="bench-admin"),
        "officer": User.objects.get(username="bench-officer001"),
    }
    officer_scope = Enterprise.objects.for_user(users["officer"])
    sample = officer_scope.select_related("brand").order_by("uscc").first()
    if sample is None:
        print("no bench zone: run bench/make_zone.py first", file=sys.stderr)
        return 1
    fragment = sample.name[2:4]  # the invented trade name after the place (浙江, 衢州 …)
    db = connection.settings_dict
    total = Enterprise.objects.count()
    print(
        f"database: {connection.vendor} {db.get('NAME')}; {total:,} enterprises; "
        f"officer001 serves {officer_scope.count():,}; sample {sample.pk} {sample.name} {sample.uscc}",
        flush=True,
    )

    results: list[Result] = []
    plan = []
    for role in args.roles.split(","):
        user = users[role]
        count = Enterprise.objects.for_user(user).count()
        deep = min(2000, max(1, -(-count // PAGE_SIZE)))
        api_deep = min(1000, max(1, -(-count // API_PAGE_SIZE)))
        client = Client()
        client.force_login(user)
        cases = [c for c in cases_for(user, sample, fragment, deep, api_deep) if re.search(args.only, c.label)]
        plan.append((role, client, cases))

    if args.explain:
        for role, client, cases in plan:
            for case in cases:
                explain(client, case, role)
        return 0

    for role, client, cases in plan:
        for case in cases:
            r = run_inprocess(client, case, args.requests, args.warmup, role)
            results.append(r)
            print(
                f"  in-process {role:<8} {case.label:<44} p50 {r.stat('p50'):7.1f}  p95 {r.stat('p95'):7.1f} ms"
                f"  {r.queries} queries",
                flush=True,
            )
    if args.http:
        connection.close()
        with gunicorn(args.port, args.workers):
            for role, client, cases in plan:
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
                for case in cases:
                    r = run_http(args.port, cookie, case, args.requests, args.warmup, role)
                    results.append(r)
                    print(
                        f"  HTTP       {role:<8} {case.label:<44} p50 {r.stat('p50'):7.1f}  "
                        f"p95 {r.stat('p95'):7.1f} ms",
                        flush=True,
                    )

    load_after = os.getloadavg()
    results.sort(key=lambda r: (r.mode != "in-process", r.role))
    text = table(results)
    note = (
        "\n* beyond the brief's list of pages\n"
        f"load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)} ({os.cpu_count()} CPUs)"
    )
    print()
    print(text)
    print(note)
    if args.out:
        args.out.write_text(text + "\n" + note + "\n")
    missed = [r for r in results if r.stat("p95") >= TARGET_MS]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
