"""``itpm-course plan simulate``: run the real console script in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_course.data import sample_path

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
PLAN = sample_path("server_migration")
TASKS = ["KICK", "INV", "DES", "PROC", "BLD", "NET", "BAK", "PIL", "PTST", "MIG", "DAT", "CUT",
         "UAT", "DEC", "DOC", "DONE"]  # fmt: skip


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, "plan", "simulate", *map(str, args)], capture_output=True, text=True, timeout=60
    )


def run_json(*args) -> dict:
    proc = run(PLAN, "--json", *args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_json_contract():
    out = run_json("--iterations", "3000", "--seed", "7", "--deadline", "52")
    for key in ("iterations", "seed", "deterministic_duration", "mean", "std", "percentiles",
                "probability_on_time", "criticality", "sensitivity"):  # fmt: skip
        assert key in out, key
    assert out["iterations"] == 3000 and out["seed"] == 7
    assert out["deterministic_duration"] == 49
    assert {"P10", "P50", "P80", "P90", "P95"} <= set(out["percentiles"])
    p = out["percentiles"]
    assert p["P10"] <= p["P50"] <= p["P80"] <= p["P90"] <= p["P95"]
    assert p["P10"] < out["mean"] < p["P90"] and out["std"] > 0
    assert 0 < out["probability_on_time"] < 1
    assert list(out["criticality"]) == TASKS == list(out["sensitivity"])
    assert all(0 <= v <= 1 for v in out["criticality"].values())
    assert all(-1 <= v <= 1 for v in out["sensitivity"].values())
    assert out["criticality"]["PROC"] == 1.0 and out["criticality"]["NET"] == 0.0


def test_same_seed_twice_gives_identical_json():
    args = ("--iterations", "2000", "--seed", "123", "--deadline", "55", "--correlation", "0.3")
    one, two = run(PLAN, "--json", *args), run(PLAN, "--json", *args)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout


def test_triangular_and_correlation_options_change_the_answer():
    base = run_json("-n", "4000", "--seed", "1")
    tri = run_json("-n", "4000", "--seed", "1", "--distribution", "triangular")
    corr = run_json("-n", "4000", "--seed", "1", "--correlation", "0.8")
    assert tri["distribution"] == "triangular" and tri["mean"] > base["mean"]
    assert corr["std"] > 1.5 * base["std"]


def test_without_deadline_option_uses_the_plans_deadline():
    out = run_json("-n", "500", "--seed", "1")
    assert out["deadline"] == 59  # the sample plan's deadline in working days
    assert "probability_on_time" in out


def test_table_output():
    proc = run(PLAN, "-n", "2000", "--seed", "3", "--deadline", "52")
    assert proc.returncode == 0, proc.stderr
    assert "Percentiles: P10" in proc.stdout
    assert "Probability of finishing within 52 working days" in proc.stdout
    assert "Most critical tasks" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--iterations", "1"), "--iterations must be at least 2"),
        (("--correlation", "1.5"), "--correlation must be between -1 and 1"),
        (("--correlation", "-0.9"), "not positive semi-definite"),
        (("--seed", "-4"), "seed must be a whole number >= 0"),
        (("--distribution", "normal"), "invalid choice: 'normal'"),
        (("--iterations", "many"), "invalid int value: 'many'"),
    ],
)
def test_bad_options_exit_2_without_traceback(args, message):
    proc = run(PLAN, *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_bad_plan_files_exit_2_without_traceback(tmp_path):
    missing = run(tmp_path / "nope.csv")
    assert missing.returncode == 2 and "file not found" in missing.stderr
    cyclic = tmp_path / "cycle.csv"
    cyclic.write_text("id,duration,predecessors\nA,2,B\nB,3,A\n", encoding="utf-8")
    proc = run(cyclic, "--json")
    assert proc.returncode == 2
    assert "dependency cycle" in proc.stderr
    bad = tmp_path / "estimates.csv"
    bad.write_text("id,duration,optimistic,most_likely,pessimistic\nA,2,5,2,1\n", encoding="utf-8")
    proc = run(bad)
    assert proc.returncode == 2 and "estimates out of order" in proc.stderr
    for p in (missing, proc):
        assert "Traceback" not in p.stderr


def test_bad_itpm_threads_exits_2_without_traceback():
    proc = subprocess.run(
        [*COMMAND, "plan", "simulate", str(PLAN), "--json"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "ITPM_THREADS": "many"},
    )  # fmt: skip
    assert proc.returncode == 2
    assert "ITPM_THREADS must be a whole number >= 1, got 'many'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_thread_count_does_not_change_the_json():
    # 16 tasks x 20,000 iterations: enough samples for simulate to use its threads
    args = [
        *COMMAND,
        "plan",
        "simulate",
        str(PLAN),
        "--json",
        "--seed",
        "3",
        "--iterations",
        "20000",
    ]
    outputs = [
        subprocess.run(
            args, capture_output=True, text=True, timeout=60, env={**os.environ, "ITPM_THREADS": n}
        ).stdout
        for n in ("1", "2")
    ]
    assert outputs[0] == outputs[1] != ""
