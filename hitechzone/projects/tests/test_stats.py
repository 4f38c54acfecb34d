"""The pipeline's figures on a hand-made set (issue 14 item 12; docs/0010), each key checked; the funnel; the board
scoped by role; the export (user text stays text); query budgets of the stats, the board and the export."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from hitechzone.projects import stats
from hitechzone.projects.models import Investor, Project, ProjectDecision, ProjectStageEvent

pytestmark = pytest.mark.django_db

S = Project.Stage
D = dt.date


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _project(name, *, created, moves=(), decision=None, investor=None, total=None, by=None):
    """A project recorded on ``created`` with its moves ``[(to_stage, on, kind)]`` and its decision
    ``(outcome, on)``."""
    investor = investor or Investor.objects.create(name=f"{name}的投资方")
    project = Project.objects.create(name=name, investor=investor, total_investment_wan_yuan=total, officer=by)
    Project.objects.filter(pk=project.pk).update(created_on=created)
    stage = S.LEAD
    for i, (to, on, *kind) in enumerate(moves):
        until = moves[i + 1][1] if i + 1 < len(moves) else None
        ProjectStageEvent.objects.create(
            project=project, kind=kind[0] if kind else "advance", from_stage=stage, to_stage=to, on=on, until=until
        )
        stage = to
    Project.objects.filter(pk=project.pk).update(stage=stage)
    if decision:
        outcome, on = decision
        ProjectDecision.objects.create(project=project, outcome=outcome, reasons="理由", decided_by=by, decided_on=on)
    project.refresh_from_db()
    return project


def _road(*dates):
    return list(zip((S.NEGOTIATION, S.REVIEW, S.SIGNED, S.LAND, S.APPROVAL), dates, strict=False))


@pytest.fixture
def world(zone):
    leader = zone.users.leader
    fg500 = Investor.objects.create(name="世界五百强集团", fortune_global_500_rank=100, fortune_global_500_year=2025)
    cn150 = Investor.objects.create(name="中国一百五十强集团", china_top500_rank=150, enterprise=zone.ent_a)
    cn300 = Investor.objects.create(name="中国三百强集团", china_top500_rank=300)
    out = {
        # Landed in 2025 after 58 days (moved on to approval in 2026); admitted in 2025.
        "p1": _project("一号项目", created=D(2025, 1, 10), investor=fg500, total=Decimal(16000), by=leader,
                       moves=_road(D(2025, 2, 1), D(2025, 3, 1), D(2025, 3, 15), D(2025, 3, 31), D(2026, 2, 1)),
                       decision=("admit", D(2025, 3, 10))),
        # Landed in 2025 after 120 days; admitted with conditions in 2025.
        "p2": _project("二号项目", created=D(2025, 2, 1), investor=cn150, total=Decimal(5000), by=leader,
                       moves=_road(D(2025, 2, 10), D(2025, 4, 1), D(2025, 5, 1), D(2025, 6, 10)),
                       decision=("conditional", D(2025, 4, 5))),
        # Rejected in 2025, then terminated.
        "p3": _project("三号项目", created=D(2025, 3, 1), investor=cn300, total=Decimal(999), by=leader,
                       moves=[*_road(D(2025, 3, 5), D(2025, 5, 1)), (S.TERMINATED, D(2025, 6, 1), "terminate")],
                       decision=("reject", D(2025, 5, 10))),
        # Recorded and admitted in 2024, landed in 2025 after 41 days.
        "p4": _project("四号项目", created=D(2024, 12, 1), total=Decimal(7000), by=leader,
                       moves=_road(D(2024, 12, 10), D(2024, 12, 20), D(2025, 1, 5), D(2025, 1, 20)),
                       decision=("admit", D(2024, 12, 28))),
        # A new lead of 2025 with a target investor.
        "p5": _project("五号项目", created=D(2025, 7, 1), investor=fg500),
        # Next year's project: not in 2025's figures at all.
        "p6": _project("六号项目", created=D(2026, 1, 5), moves=_road(D(2026, 2, 1))),
    }  # fmt: skip
    return out


def test_the_years_figures_on_a_hand_made_set(zone, world):
    figures = stats.pipeline_stats(user=zone.users.leader, year=2025)
    assert list(figures) == list(stats.KEYS)
    assert figures["by_stage"] == {**dict.fromkeys(S.values, 0), "land": 3, "terminated": 1, "lead": 1}
    assert (figures["reviewed"], figures["admitted"], figures["conditional"], figures["rejected"]) == (3, 1, 1, 1)
    assert figures["admitted_investment_wan_yuan"] == Decimal("21000.00")  # 16000 + 5000; the rejected 999 not
    assert figures["landed"] == 3
    assert figures["median_days_negotiation_to_landing"] == 58  # median of 58, 120 and 41
    assert figures["target_investor_share"] == 0.75  # p1, p2, p5 of p1, p2, p3, p5


def test_the_year_under_way_counts_todays_stages(zone, world):
    figures = stats.pipeline_stats(user=zone.users.leader, year=2026)
    assert figures["by_stage"] == {
        **dict.fromkeys(S.values, 0),
        "approval": 1,
        "land": 2,
        "terminated": 1,
        "lead": 1,
        "negotiation": 1,
    }
    assert (figures["reviewed"], figures["landed"], figures["median_days_negotiation_to_landing"]) == (0, 0, None)
    assert figures["target_investor_share"] == 0.0  # p6's investor is no target
    assert stats.pipeline_stats(user=zone.users.leader, year=2020)["target_investor_share"] is None


def test_the_funnel_counts_the_projects_that_reached_each_stage(zone, world):
    funnel = dict(stats.funnel(user=zone.users.leader, year=2025))
    assert funnel == {"lead": 5, "negotiation": 4, "review": 4, "signed": 3, "land": 3, "approval": 0,
                      "construction": 0, "production": 0}  # fmt: skip


def test_the_figures_are_scoped_by_role(zone, world):
    own = stats.pipeline_stats(user=zone.users.ent_a, year=2025)  # only p2, whose investor is enterprise A's login
    assert (own["reviewed"], own["conditional"], own["landed"], own["target_investor_share"]) == (1, 1, 1, 1.0)
    nothing = stats.pipeline_stats(user=zone.users.dept_a, year=2025)
    assert (nothing["reviewed"], sum(nothing["by_stage"].values()), nothing["target_investor_share"]) == (0, 0, None)


def test_the_stats_endpoint_answers_exactly_the_keys_and_refuses_a_bad_year(zone, world, api_as):
    api = api_as(zone.users.leader)
    body = api.get("/api/v1/projects/stats/?year=2025").json()
    assert list(body) == list(stats.KEYS)
    assert body["admitted_investment_wan_yuan"] == 21000.0
    assert body["by_stage"]["land"] == 3
    assert api.get("/api/v1/projects/stats/?year=twenty").status_code == 400
    assert api.get("/api/v1/projects/stats/").json()["by_stage"]["approval"] == 1  # this year by default


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_the_board_shows_each_stage_as_a_column_scoped_by_role(zone, world):
    html = client_for(zone.users.leader).get("/projects/board/?year=2025").content.decode()
    assert 'data-testid="column-land"' in html
    assert 'data-testid="column-terminated"' in html
    assert 'data-testid="count-land">2<' in html  # today: p2 and p4 (p1 has moved on to approval)
    assert 'data-testid="figure-median_days_negotiation_to_landing">58' in html
    assert 'data-testid="figure-target_investor_share">75.0 %' in html
    assert 'data-chart="funnel-chart"' in html
    assert '"type": "funnel"' in html
    own = client_for(zone.users.ent_a).get("/projects/board/").content.decode()
    assert "二号项目" in own
    assert "一号项目" not in own
    assert client_for(zone.users.dept_a).get("/projects/board/").status_code == 403


def test_the_export_writes_user_text_as_text_never_a_formula(zone, world):
    from openpyxl import load_workbook

    _project('=HYPERLINK("http://example.com","点我")', created=D(2025, 5, 1))
    response = client_for(zone.users.leader).get("/projects/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    cell = next(row[0] for row in rows if str(row[0].value).startswith("="))
    assert cell.data_type == "s"
    p1 = next(row for row in rows if row[0].value == "一号项目")
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert p1[header.index("供地日期")].value.date() == D(2025, 3, 31)
    assert p1[header.index("洽谈至落地天数")].value == 58
    only_land = client_for(zone.users.leader).get("/projects/?stage=land&export=xlsx")
    assert len(list(load_workbook(io.BytesIO(only_land.content)).active.iter_rows(min_row=2))) == 2


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert fn() == 200
    return len(ctx.captured_queries)


def test_the_stats_the_board_and_the_export_read_in_a_number_of_queries_that_does_not_grow(zone, world, api_as):
    api = api_as(zone.users.leader)
    page = client_for(zone.users.leader)

    def counts():
        return (
            _queries(lambda: api.get("/api/v1/projects/stats/?year=2025").status_code),
            _queries(lambda: api.get("/api/v1/projects/").status_code),
            _queries(lambda: page.get("/projects/board/?year=2025").status_code),
            _queries(lambda: page.get("/projects/?export=xlsx").status_code),
            _queries(lambda: page.get(f"/projects/{world['p1'].pk}/").status_code),
        )

    few = counts()
    for n in range(8):
        _project(f"项目{n}", created=D(2025, 4, 1), total=Decimal(100), by=zone.users.leader,
                 moves=_road(D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4), D(2025, 4, 5)),
                 decision=("admit", D(2025, 4, 3)))  # fmt: skip
    assert counts() == few
