"""``itpm-course plan check``: the real console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import FIXTURES

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
CAPSTONE = FIXTURES / "plans" / "capstone_crm_cloud.yaml"
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
    assert out.index("Errors (2):") < out.index("Warnings (1):") < out.index("Info (19):")
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


# ----------------------------------------------------------------- --change and --change-log
def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_change_that_fits_keeps_exit_0_and_full_marks(tmp_path):
    cr = _write(tmp_path, "cr.yaml", "id: CR-1\ntitle: Longer hypercare\ntasks: {HYPER: {duration: 11}}\n")  # fmt: skip
    res = run(CAPSTONE, "--rubric", "capstone", "--json", "--change", cr)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["ok"] is True and data["score"] == data["max_score"] == 72
    codes = {f["code"] for f in data["findings"]}
    assert not codes & {f"CHG{n:03d}" for n in range(1, 10)}  # all ran, none fired


def test_bad_change_exit_1_with_located_findings(tmp_path):
    cr = _write(
        tmp_path,
        "cr.yaml",
        "id: CR-2\ntitle: Broken\ntasks: {NOPE: {duration: 3}}\nremove: [TENANT]\n",
    )
    res = run(CAPSTONE, "--rubric", "capstone", "--json", "--change", cr)
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert data["ok"] is False and data["score"] < 72
    errors = {
        (f["code"], f["location"]["id"]) for f in data["findings"] if f["severity"] == "error"
    }
    assert ("CHG001", "NOPE") in errors
    assert {("CHG002", t) for t in ("SSO", "NETSEC", "CONFIG", "SCRIPT")} <= errors
    assert all(
        f["location"]["file"] == str(cr) for f in data["findings"] if f["severity"] == "error"
    )
    cycle = _write(tmp_path, "cycle.yaml", "id: CR-3\ntitle: Loop\ntasks: {TENANT: {predecessors: 'M1; SSO'}}\n")  # fmt: skip
    res = run(CAPSTONE, "--change", cycle)
    assert res.returncode == 1
    assert "CHG003 error task " in res.stdout and "introduces a dependency cycle" in res.stdout


def test_costly_change_warns_but_exits_0(tmp_path):
    cr = _write(tmp_path, "cr.yaml", "id: CR-4\ntitle: Extra licences\ncost: 15000\n")
    res = run(CAPSTONE, "--rubric", "capstone", "--json", "--change", cr)
    assert res.returncode == 0
    warnings = {f["code"] for f in json.loads(res.stdout)["findings"] if f["severity"] == "warning"}
    # more than a quarter of the reserve, and beyond what the P80 cost leaves of it
    assert warnings == {"CHG007", "CHG008"}


def test_change_log_with_undecided_entries(tmp_path):
    log = _write(
        tmp_path,
        "log.csv",
        "id,title,status,decision,decided_by,decided\n"
        "CR-1,Longer hypercare,implemented,approve,Dana Whitfield,2026-04-01\n"
        "CR-2,Mobile app,approved,,,\n",
    )
    res = run(CAPSTONE, "--change-log", log)
    assert res.returncode == 1
    assert (
        "log.csv:3: CHG010 error change CR-2: is approved but the log does not record" in res.stdout
    )
    assert "log.csv:3: CHG011 warning change CR-2" in res.stdout


@pytest.mark.parametrize(
    ("option", "name", "content"),
    [
        ("--change", "missing.yaml", None),
        ("--change", "bad.yaml", "id: [unclosed"),
        ("--change-log", "missing.csv", None),
        ("--change-log", "log.csv", "no,columns\n1,2\n"),
    ],
)
def test_unreadable_change_or_log_exit_2(tmp_path, option, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    res = run(CAPSTONE, "--json", option, path)
    assert res.returncode == 2 and res.stdout == ""
    assert "Traceback" not in res.stderr and "itpm-course: error:" in res.stderr
