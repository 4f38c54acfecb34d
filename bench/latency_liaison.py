#!/usr/bin/env python
"""Latency of the service-officer figures (issue 4) on the bench zone with a year of liaison work.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/latency_liaison.py

Needs ``bench/make_zone.py`` then ``bench/make_liaison.py``. Each case runs ``--warmup`` unmeasured times,
then ``--requests`` measured times in a row, in process: the query functions called directly
(``hitechzone.liaison.queries.coverage`` and ``stats``) and the pages and API through
``django.test.Client`` with ``force_login``, as ``bench-leader``, as ``bench-officer001`` and (problem
lists) as ``bench-dept1``. Prints a markdown table of mean, p50, p95 and max in milliseconds, the
number of SQL queries and their time in one request, and exits 1 if a p95 reaches 500 ms. A page that
does not exist (yet) is reported as such and skipped. ``--explain`` prints instead, per case, the
query log of one request and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest query.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import latency  # noqa: E402, F401 — sets Django up
from module_latency import Case, main  # noqa: E402

from hitechzone.accounts.models import User  # noqa: E402
from hitechzone.liaison import queries  # noqa: E402
from hitechzone.liaison.models import Problem, Visit  # noqa: E402

MONTH = (2025, 6)
YEAR = 2025


def cases_for(role: str, user: User) -> list[Case]:
    y, m = MONTH
    month = f"{y:04d}-{m:02d}"
    out = []
    if role in ("leader", "officer"):
        out += [
            Case(f"coverage {month}: queries.coverage()", call=lambda: queries.coverage(y, m, user)),
            Case(f"coverage {month}: page", f"/liaison/coverage/?month={month}"),
            Case(f"coverage {month}: API", f"/api/v1/liaison/coverage/?month={month}"),
            Case(f"stats {YEAR}: queries.stats()", call=lambda: queries.stats(YEAR, user)),
            Case(f"stats {YEAR}: API", f"/api/v1/liaison/stats/?year={YEAR}"),
        ]
    out += [
        Case("problems: page", "/liaison/problems/"),
        Case("problems: API", "/api/v1/problems/"),
        Case("liaison home (dashboard)", "/liaison/", extra=True),
    ]
    if role == "leader":
        out.append(Case("escalated problems: page", "/liaison/escalated/", extra=True))
    return out


def describe(users: dict[str, User]) -> str:
    return f"{Visit.objects.count():,} visits, {Problem.objects.count():,} problems; " + "; ".join(
        f"{r} {u.username} sees {Problem.objects.for_user(u).count():,} problems" for r, u in users.items()
    )


if __name__ == "__main__":
    sys.exit(
        main(
            None,
            description=__doc__.split("\n\n")[0],
            roles="leader,officer,dept",
            cases_for=cases_for,
            describe=describe,
        )
    )
