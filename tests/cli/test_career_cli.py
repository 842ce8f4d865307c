"""``itpm-course career``: run the real console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, "career", *args], capture_output=True, text=True, timeout=60)


def test_json_has_stage_next_and_timeline():
    proc = run("--years-it", "3", "--years-pm", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert set(data) == {"stage", "next", "timeline"}
    assert data["stage"]["stage"] == "entry"
    assert data["next"]["next_stage"] == "mid"
    assert "IT Project Manager" in data["next"]["next_titles"]
    assert {"expected_years", "remaining_years", "reached"} <= set(data["timeline"])


def test_title_and_background_reach_the_engine():
    proc = run(
        "--years-it",
        "3",
        "--years-pm",
        "1",
        "--title",
        "IT Project Manager",
        "--background",
        "agile_roles",
        "--json",
    )
    data = json.loads(proc.stdout)
    assert data["stage"]["stage"] == "mid" and data["stage"]["basis"] == "title"


def test_text_report_names_stage_titles_and_steps():
    proc = run("--years-it", "6", "--years-pm", "0")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("Stage: Foundation")
    assert "Next stage: Entry-Level PM" in out
    assert "IT Project Coordinator" in out
    assert "volunteer for project-coordination work" in out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--years-it", "-1", "--years-pm", "0"], "years must be a number >= 0"),
        (["--years-it", "abc", "--years-pm", "0"], "expected a number of years"),
        (["--years-it", "nan", "--years-pm", "0"], "years must be a number >= 0"),
        (["--years-it", "70", "--years-pm", "0"], "more than a working life"),
        (["--years-it", "3", "--years-pm", "1", "--title", " "], "--title must be a job title"),
        (["--years-it", "3", "--years-pm", "1", "--background", "pilot"], "invalid choice"),
        (["--years-pm", "1"], "--years-it"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(args, fragment):
    proc = run(*args)
    assert proc.returncode == 2
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
