"""``itpm-course agile forecast``: run the real console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT

from itpm_course.engine.agile import forecast_when, read_issues, read_throughput, weekly_throughput

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
THROUGHPUT = ROOT / "itpm_course" / "data" / "agile" / "throughput_history.csv"
JIRA = ROOT / "itpm_course" / "data" / "jira_issues.csv"


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, "agile", "forecast", *map(str, args)], capture_output=True, text=True, timeout=60
    )


def test_json_from_a_throughput_table():
    proc = run(THROUGHPUT, "--items", 60, "--iterations", 5000, "--seed", 3, "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    data = json.loads(proc.stdout)
    assert list(data) == ["items", "iterations", "periods"]
    assert list(data["periods"]) == ["P50", "P85", "P95"]
    expected = forecast_when(read_throughput(), 60, iterations=5000, seed=3).percentiles
    assert data == {"items": 60, "iterations": 5000, "periods": expected}


def test_json_from_an_issue_export_with_dates():
    proc = run(JIRA, "--items", 40, "--seed", 1, "--date", "2025-03-31", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["items", "iterations", "periods", "dates"]
    weekly = weekly_throughput(read_issues(JIRA))
    f = forecast_when(weekly, 40, seed=1, start="2025-03-31")
    assert data["periods"] == f.percentiles and data["dates"] == f.dates
    assert data["iterations"] == 10_000


def test_readable_output():
    proc = run(THROUGHPUT, "--items", 60, "--seed", 1, "--date", "2025-05-26")
    assert proc.returncode == 0
    assert "20 weeks, 77 items" in proc.stdout
    assert "P85:" in proc.stdout and "(by " in proc.stdout and "coin flip" in proc.stdout


def test_short_history_warns_but_works(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("period,throughput\nw1,3\nw2,4\n")
    proc = run(path, "--items", 10, "--seed", 1)
    assert proc.returncode == 0 and "Warning: only 2 periods" in proc.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("period,throughput\nw1,3\nw2,-1\n", "row 3, column 'throughput': -1 is negative"),
        (
            "period,throughput\nw1,3\nw2,many\n",
            "row 3, column 'throughput': 'many' is not a number",
        ),
        ("period,throughput\nw1,0\nw2,0\n", "zero throughput"),
        (
            "key,created,resolved\nA-1,2025-01-02,2025-01-05\nA-2,2025-01-03,05/01/2025\n",
            "row 3, task 'A-2', column 'resolved': cannot read the date '05/01/2025'",
        ),
        ("name,size\nx,1\n", "cannot tell what this file is"),
    ],
)
def test_bad_input_exits_2_without_traceback(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    proc = run(path, "--items", 5)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert str(path) in proc.stderr and message in proc.stderr


def test_bad_arguments_exit_2(tmp_path):
    for args, message in [
        ((THROUGHPUT, "--items", 0), "--items must be at least 1"),
        ((THROUGHPUT, "--items", 5, "--date", "soon"), "--date: 'soon' is not a date"),
        ((tmp_path / "missing.csv", "--items", 5), "no such file"),
    ]:
        proc = run(*args)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
