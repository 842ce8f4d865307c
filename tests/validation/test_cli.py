"""``itpm-course plan check``: the real console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from itpm_course.data import sample_path

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
CAPSTONE = sample_path("capstone_crm_cloud.yaml")
BROKEN = FIXTURES / "plans" / "crm_overallocated.yaml"


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, "plan", "check", *map(str, args), "--iterations", "500"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_reference_plan_json_exit_0_full_marks():
    res = run(CAPSTONE, "--rubric", "capstone", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert set(data) == {"ok", "score", "max_score", "findings"}
    assert data["ok"] is True and data["score"] == data["max_score"] == 72
    for f in data["findings"]:
        assert set(f) == {"code", "severity", "message", "location", "hint"}
        assert f["severity"] == "info"


def test_broken_plan_exit_1_with_specific_findings():
    res = run(BROKEN, "--rubric", "capstone", "--json")
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert data["ok"] is False and data["score"] < data["max_score"]
    errors = {
        (f["code"], f["location"]["id"]) for f in data["findings"] if f["severity"] == "error"
    }
    assert errors == {("RES001", "Architect"), ("WBS005", "MAP")}
    wbs = next(f for f in data["findings"] if f["code"] == "WBS005")
    assert wbs["location"]["row"] == 12 and wbs["location"]["file"].endswith(
        "crm_overallocated.yaml"
    )


def test_human_output_is_grouped_like_a_linter():
    res = run(BROKEN, "--rubric", "capstone")
    assert res.returncode == 1
    out = res.stdout
    assert out.index("Errors (2):") < out.index("Warnings (1):") < out.index("Info (3):")
    assert "crm_overallocated.yaml:12: WBS005 error task MAP: has no owner" in out
    assert "hint: " in out
    assert "Capstone project plan: " in out and "/ 72" in out


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (None, "missing.yaml"),
        ("tasks: [unclosed", "bad.yaml"),
        ("name: x\ntasks: []\n", "empty.yaml"),
    ],
)
def test_unreadable_file_exit_2_without_traceback(tmp_path, content, name):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    res = run(path, "--json")
    assert res.returncode == 2
    assert res.stdout == ""
    assert "Traceback" not in res.stderr and "itpm-course: error:" in res.stderr


def test_unknown_rubric_exit_2():
    res = run(CAPSTONE, "--rubric", "nope")
    assert res.returncode == 2 and "unknown rubric" in res.stderr and "Traceback" not in res.stderr
