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
from hitechzone.approvals import queries  # noqa: E402
from hitechzone.approvals.models import Application  # noqa: E402

YEAR = 2025
PAGE = 50  # the API's page size


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


def describe(users: dict[str, User]) -> str:
    return f"{Application.objects.count():,} applications; " + "; ".join(
        f"{r} {u.username} sees {Application.objects.for_user(u).count():,} "
        f"({queries.overdue(Application.objects.for_user(u)).count():,} overdue)"
        for r, u in users.items()
    )


if __name__ == "__main__":
    sys.exit(
        main(
            None,
            description=__doc__.split("\n\n")[0],
            roles="admin,leader,dept,officer",
            cases_for=lambda role, user: cases_for(user),
            describe=describe,
        )
    )
