"""``hitechzone evaluate``: runs as the system, prints a summary, writes the CSV, shows progress on stderr."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from hitechzone.evaluation.models import EvaluationRun


def below(make_firm, *, land, tax, kwh, **kw):
    return make_firm(above=False, land_mu=land, tax_wan_yuan=tax, electricity_wan_kwh=kwh, **kw)


def test_evaluate_writes_the_csv_of_the_run(zone, make_firm, tmp_path):
    f1 = below(make_firm, land=10, tax=100, kwh=100, name="甲有限公司")
    f2 = below(make_firm, land=10, tax=50, kwh=100, name="乙有限公司")
    f3 = below(make_firm, land=10, tax=0, kwh=None, name="丙有限公司")
    up = make_firm(land_mu=8, tax_wan_yuan=10, name='丁, "引号" 公司')
    out = make_firm(land_mu=None, tax_wan_yuan=10, name="戊有限公司")
    path = tmp_path / "results.csv"
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("evaluate", "--year", "2024", "--output", str(path), stdout=stdout, stderr=stderr)

    run = EvaluationRun.objects.get()
    assert run.created_by is None
    assert run.published_at is None
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    assert data.decode("utf-8").splitlines() == [
        "uscc,name,group,score,class,rank",
        f'{up.uscc},"丁, ""引号"" 公司",above,30.0000,C,1',
        f"{f1.uscc},甲有限公司,below,166.6667,B,1",
        f"{f2.uscc},乙有限公司,below,83.3333,C,2",
        f"{f3.uscc},丙有限公司,below,50.0000,C,3",
        f"{out.uscc},戊有限公司,excluded,,,",
    ]
    summary = stdout.getvalue()
    assert f"Evaluation #{run.pk} of 2024" in summary
    assert "1 above and 3 below designated size, 1 not evaluated; A 0, B 1, C 3, D 0" in summary
    assert "6 rows written" not in summary
    assert f"5 rows written to {path}" in summary
    assert "100%" in stderr.getvalue()


def test_evaluate_can_publish(zone):
    call_command("evaluate", "--year", "2025", "--publish", stdout=io.StringIO(), stderr=io.StringIO())
    run = EvaluationRun.objects.get()
    assert run.published_at is not None
    assert run.published_by is None


def test_evaluate_reports_a_refusal_as_a_command_error(zone):
    with pytest.raises(CommandError, match="no evaluation scheme named nope"):
        call_command("evaluate", "--year", "2025", "--scheme", "nope", stdout=io.StringIO(), stderr=io.StringIO())
    assert not EvaluationRun.objects.exists()
