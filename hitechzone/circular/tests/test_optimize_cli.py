"""``hitechzone optimize_exchanges``: a scenario file in, a result file out; exit 1 on an invalid scenario."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hitechzone.circular.models import OptimizationRun

SCENARIO = {
    "materials": [{"code": "hcl", "disposal_cost_per_t": 100, "virgin_price_per_t": 500}],
    "supplies": [{"id": "s1", "material": "hcl", "quantity_t": 10}],
    "demands": [{"id": "d1", "material": "hcl", "quantity_t": 6}],
    "arcs": [{"supply": "s1", "demand": "d1", "cost_per_t": 50}],
}


@pytest.mark.django_db
def test_a_scenario_is_solved_into_the_output_file_and_no_run_is_stored(tmp_path):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(SCENARIO))
    call_command("optimize_exchanges", scenario=str(src), output=str(out))
    result = json.loads(out.read_text())
    # 6·50 + 4·100 = 700 against 10·100 + 6·500 = 4,000.
    assert result["total_cost"] == 700.0
    assert result["savings"] == 3300.0
    assert not OptimizationRun.objects.exists()


@pytest.mark.django_db
def test_store_keeps_the_run_as_the_system(tmp_path):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(SCENARIO))
    call_command("optimize_exchanges", scenario=str(src), output=str(out), store=True, name="what-if")
    run = OptimizationRun.objects.get()
    assert (run.name, run.created_by, run.status, run.result["total_cost"]) == ("what-if", None, "optimal", 700.0)


@pytest.mark.django_db
def test_an_invalid_scenario_lists_every_problem_and_writes_nothing(tmp_path):
    bad = {**SCENARIO, "arcs": [{"supply": "s9", "demand": "d1", "cost_per_t": -1}]}
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(bad))
    with pytest.raises(CommandError) as caught:
        call_command("optimize_exchanges", scenario=str(src), output=str(out))
    assert "unknown supply “s9”" in str(caught.value)
    assert "“cost_per_t” is -1" in str(caught.value)
    assert not out.exists()
    assert not OptimizationRun.objects.exists()


def test_the_command_exits_0_when_solved_and_1_for_an_invalid_scenario(tmp_path):
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps(SCENARIO))
    command = [sys.executable, "-m", "hitechzone", "optimize_exchanges", "--scenario", str(src), "--output", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text())["status"] == "optimal"
    src.write_text(json.dumps({**SCENARIO, "supplies": [{"id": "s1", "material": "zz", "quantity_t": 1}]}))
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ, check=False)  # noqa: S603
    assert done.returncode == 1
    assert "zz" in done.stderr


def test_from_zone_builds_the_scenario_of_a_year(circular_data, tmp_path):
    out = tmp_path / "out.json"
    call_command("optimize_exchanges", from_zone=2025, output=str(out))
    result = json.loads(out.read_text())
    # The exchange's 1.5 km at 0.8 yuan/t·km: 700 t shipped at 1.2, 143 t disposed at 800.
    assert result["total_cost"] == pytest.approx(700 * 1.2 + 143 * 800)
    assert result["flows"] == [
        {"supply": f"s-{circular_data.a_hcl.pk}", "demand": f"d-{circular_data.b_hcl.pk}", "quantity_t": 700.0}
    ]
