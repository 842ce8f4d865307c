"""``itpm-course change``: the JSON contract in a real subprocess; bad files exit 2 cleanly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from itpm_course.cli import main
from itpm_course.data import sample_path

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
PLAN = str(sample_path("server_migration.yaml"))
CHANGE = str(sample_path("change_sso.yaml"))
KEYS = (
    "baseline_duration",
    "new_duration",
    "delta_duration",
    "critical_tasks_before",
    "critical_tasks_after",
    "p80_before",
    "p80_after",
    "cost_before",
    "cost_after",
    "recommendation",
)


def test_json_contract_in_a_subprocess():
    proc = subprocess.run(
        [*COMMAND, "change", PLAN, CHANGE, "--json", "--iterations", "1000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    for key in KEYS:
        assert key in data
    assert (data["baseline_duration"], data["new_duration"], data["delta_duration"]) == (49, 52, 3)
    assert data["cost_after"] - data["cost_before"] == 5400
    assert data["recommendation"] == "approve with conditions"


def test_text_output_and_seed_is_reproducible(capsys):
    assert main(["change", PLAN, CHANGE, "--iterations", "500", "--seed", "3"]) == 0
    first = capsys.readouterr().out
    assert "Recommendation: APPROVE WITH CONDITIONS" in first and "CR-7" in first
    main(["change", PLAN, CHANGE, "--iterations", "500", "--seed", "3"])
    assert capsys.readouterr().out == first


def test_risks_option_attaches_the_register(capsys):
    risks = str(sample_path("risks_server_migration.csv"))
    assert main(["change", PLAN, CHANGE, "--risks", risks, "--json", "--iterations", "500"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["p80_before"] > 59 and data["recommendation"] == "defer"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: CR-1\ntitle: t\ntasks: {NOPE: {duration: 2}}\n", "unknown task 'NOPE'"),
        (
            "id: CR-1\ntitle: t\ntasks: {KICK: {predecessors: DONE}}\n",
            "introduces a dependency cycle",
        ),
        ("id: CR-1\ntitle: t\nremove: [MIG]\n", "predecessor 'MIG' is removed"),
        ("id: CR-1\ntitle: t\ntasks: {BLD: {duration: soon}}\n", "expected a number"),
        ("id: CR-1\ntitle: [\n", "not valid YAML"),
    ],
)
def test_bad_change_files_exit_2_without_traceback(tmp_path, capsys, text, message):
    path = tmp_path / "cr.yaml"
    path.write_text(text)
    assert main(["change", PLAN, str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err and "Traceback" not in err


def test_bad_options_exit_2(capsys):
    assert main(["change", PLAN, CHANGE, "--iterations", "1"]) == 2
    assert "--iterations must be at least 2" in capsys.readouterr().err
    assert main(["change", PLAN, "missing.yaml"]) == 2
    assert "file not found" in capsys.readouterr().err
