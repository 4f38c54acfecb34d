#!/usr/bin/env python
"""Latency of the investment module (issue 14): the panel draw, the pipeline's stats, board and list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/latency_projects.py

Needs ``bench/make_zone.py`` then ``bench/make_projects.py`` (10,000 projects, 2,000 experts). Each case runs
``--warmup`` unmeasured times, then ``--requests`` measured times in a row, in process, as ``bench-leader`` (every
project) and as ``bench-officer001`` (every project too; it draws the panels of the projects it brought):

- the panel draw: ``POST /api/v1/projects/{id}/panel/`` (``{"seed": …}``, a new seed each time) on a project at
  评审 whose panel nobody has scored yet — each draw replaces the panel, as drawing again does —, the service
  ``panel_services.panel_draw`` called directly on the same project, and the rules alone (``panels.eligibility``
  + ``panels.draw`` on the pool as the service reads it, no database); target 100 ms;
- ``GET /api/v1/projects/stats/?year=`` (this year and last) and ``stats.pipeline_stats`` called directly;
- the board page ``/projects/board/`` (this year's figures, the funnel and the columns);
- ``GET /api/v1/projects/?stage=`` (the first page) for 评审 and for 投产;
- the baseline, measured in the same run: ``GET /api/v1/investors/{id}/`` (one row through the same middleware,
  session, authentication and DRF), in full first, then 20 times just before each case. The table gives each case's
  p50 and p95 as ratios to that nearest baseline's: the shared machine's speed varies 2-3× with the load, the
  ratios much less.

Target: p95 < 100 ms for the draws, < 300 ms for the rest; exits 1 if one is missed. ``--explain`` prints instead,
per case, the query log of one request and ``EXPLAIN (ANALYZE, BUFFERS)`` of its slowest query. A draw case's
query log is that of one draw (every draw writes: members deleted and created, their audit records).
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import latency  # noqa: E402, F401 — sets Django up
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from module_latency import Case, main  # noqa: E402

from hitechzone.accounts.models import User  # noqa: E402
from hitechzone.projects import panel_services, panels, pool, stats  # noqa: E402
from hitechzone.projects.models import Expert, Panel, Project, Score  # noqa: E402

DRAW_MS = 100.0
PAGE_MS = 300.0
INVESTOR_USCC_PREFIX = "91339901"  # make_projects.py


def draw_project(user: User) -> Project:
    """A bench project at 评审 with a panel nobody has scored yet (the leader's: the first; the officer's: the first
    of those he brought, so that he may draw it)."""
    scored = Score.objects.values("member__panel__project")
    projects = (
        Project.objects.filter(investor__uscc__startswith=INVESTOR_USCC_PREFIX, stage=Project.Stage.REVIEW)
        .filter(panel__isnull=False)
        .exclude(pk__in=scored)
        .order_by("pk")
    )
    if user.effective_role != "leader":
        projects = projects.filter(officer=user)
    return projects.select_related("investor", "chain").first()


def cases_for(role: str, user: User) -> list[Case]:
    year = timezone.localdate().year
    project = draw_project(user)
    seeds = itertools.count(1)
    client = Client()
    client.force_login(user)

    def post_draw():
        response = client.post(
            f"/api/v1/projects/{project.pk}/panel/", {"seed": next(seeds)}, content_type="application/json"
        )
        assert response.status_code in (200, 201), (response.status_code, response.content[:300])

    def service_draw():
        panel_services.panel_draw(by=user, project=project, seed=next(seeds))

    candidates = pool.read().candidates
    party = panel_services._party(project)
    chain = project.chain.code if project.chain_id else ""

    def rules_draw():
        eligible, _excluded = panels.eligibility(candidates, chain=chain, party=party, today=timezone.localdate())
        panels.draw([(c.id, c.academician) for c in eligible], seed=next(seeds))

    investor = project.investor_id
    return [
        Case("baseline: GET /api/v1/investors/{id}/", f"/api/v1/investors/{investor}/", baseline=True),
        Case(f"panel draw: POST /api/v1/projects/{{id}}/panel/ (#{project.pk})", call=post_draw, target_ms=DRAW_MS),
        Case("panel draw: panel_services.panel_draw()", call=service_draw, target_ms=DRAW_MS),
        Case("panel draw: panels.eligibility() + draw() (no database)", call=rules_draw, target_ms=DRAW_MS, extra=True),
        Case(f"stats {year}: API", f"/api/v1/projects/stats/?year={year}", target_ms=PAGE_MS),
        Case(f"stats {year - 1}: API", f"/api/v1/projects/stats/?year={year - 1}", target_ms=PAGE_MS),
        Case(
            f"stats {year - 1}: stats.pipeline_stats()",
            call=lambda: stats.pipeline_stats(user=user, year=year - 1),
            target_ms=PAGE_MS,
        ),
        Case("board: page /projects/board/", "/projects/board/", target_ms=PAGE_MS),
        Case("list: API ?stage=review", "/api/v1/projects/?stage=review", target_ms=PAGE_MS),
        Case("list: API ?stage=production", "/api/v1/projects/?stage=production", target_ms=PAGE_MS),
    ]


def describe(users: dict[str, User]) -> str:
    return (
        f"{Project.objects.count():,} projects, {Expert.objects.count():,} experts, {Panel.objects.count():,} panels; "
        + "; ".join(f"{r} {u.username} sees {Project.objects.for_user(u).count():,}" for r, u in users.items())
    )


if __name__ == "__main__":
    sys.exit(
        main(
            None,
            description=__doc__.split("\n\n")[0],
            roles="leader,officer",
            cases_for=cases_for,
            describe=describe,
        )
    )
