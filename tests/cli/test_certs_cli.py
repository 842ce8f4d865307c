"""``itpm-course certs``: the JSON contract, boundaries and friendly bad-input errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

IDS = {
    "pmp",
    "capm",
    "pmi-acp",
    "pgmp",
    "csm",
    "psm-i",
    "prince2-foundation",
    "prince2-practitioner",
    "itil4-foundation",
    "comptia-project-plus",
    "google-pm",
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "itpm_course.cli", "certs", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def certs_json(*args: str) -> dict:
    proc = run(*args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_json_contract():
    data = certs_json(
        "--experience-months", "30", "--education", "bachelor", "--goal", "traditional"
    )
    assert set(data) == {"eligible", "not_yet", "recommended_path"}
    for item in data["eligible"]:
        assert {"id", "name"} <= set(item)
    for item in data["not_yet"]:
        assert {"id", "name", "missing"} <= set(item) and item["missing"]
    for step in data["recommended_path"]:
        assert isinstance(step["id"], str) and isinstance(step["when_months"], int)
    ids = {c["id"] for c in data["eligible"] + data["not_yet"]}
    assert IDS <= ids
    pmp = next(c for c in data["not_yet"] if c["id"] == "pmp")
    assert any("36 months" in m and "you have 30" in m for m in pmp["missing"])


@pytest.mark.parametrize(
    ("months", "education", "hours", "eligible"),
    [
        ("36", "bachelor", "35", True),
        ("35", "bachelor", "35", False),
        ("36", "bachelor", "34", False),
        ("59", "secondary", "35", False),
        ("60", "associate", "35", True),
    ],
)
def test_pmp_boundaries(months, education, hours, eligible):
    data = certs_json(
        "--experience-months", months, "--education", education, "--training-hours", hours
    )
    assert ("pmp" in {c["id"] for c in data["eligible"]}) is eligible


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["--experience-months", "-1", "--education", "bachelor"],
            "--experience-months must be >= 0",
        ),
        (["--experience-months", "ten", "--education", "bachelor"], "--experience-months"),
        (["--experience-months", "12", "--education", "phd"], "invalid choice: 'phd'"),
        (["--experience-months", "12", "--education", "bachelor", "--goal", "fun"], "--goal"),
        (
            ["--experience-months", "12", "--education", "bachelor", "--training-hours", "nan"],
            "--training-hours",
        ),
        (["--education", "bachelor"], "--experience-months"),
    ],
)
def test_bad_input_exits_2_without_traceback(args, needle):
    proc = run(*args)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr


def test_text_output():
    proc = run("--experience-months", "12", "--education", "master", "--training-hours", "23")
    assert proc.returncode == 0
    assert (
        "Eligible now:" in proc.stdout
        and "capm" in proc.stdout
        and "Recommended path:" in proc.stdout
    )
