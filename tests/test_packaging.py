"""The wheel carries the course: notebooks, content data and the ``itpm-course`` command."""

from __future__ import annotations

import configparser
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # building the wheel takes 5-15 s

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_NOTEBOOKS = "itpm_course/_course/notebooks"
# The graded capstone's full-marks plan: learners install this wheel, so it must not be inside.
REFERENCE_PLAN = ROOT / "tests" / "fixtures" / "plans" / "capstone_crm_cloud.yaml"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # pip fetches hatchling into an isolated build environment, as any user's install would.
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out, ROOT],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"building the wheel failed:\n{proc.stdout}\n{proc.stderr}"
    (path,) = out.glob("itpm_course-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


def test_content_data_files_are_in_the_wheel(wheel):
    names = set(wheel.namelist())
    data = sorted((ROOT / "itpm_course" / "content" / "data").iterdir())
    assert data, "no content data files found in the source tree"
    missing = [p.name for p in data if f"itpm_course/content/data/{p.name}" not in names]
    assert not missing, f"content files missing from the wheel: {missing}"


def test_notebooks_ship_inside_the_package(wheel):
    source = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert source, "notebooks/ holds no notebooks"
    for nb in source:
        shipped = f"{SHIPPED_NOTEBOOKS}/{nb.name}"
        assert shipped in wheel.namelist(), f"{nb.name} is not in the wheel"
        assert wheel.read(shipped) == nb.read_bytes(), f"{shipped} differs from the source"


def test_console_script_is_declared(wheel):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(wheel.read(entry_points).decode())
    assert parser["console_scripts"]["itpm-course"].strip() == "itpm_course.cli:main"


def test_wheel_holds_no_development_debris(wheel):
    debris = [
        n
        for n in wheel.namelist()
        if "__pycache__" in n
        or ".ipynb_checkpoints" in n
        or n.startswith(("tests/", "benchmarks/", ".venv/"))
    ]
    assert not debris, f"unexpected files in the wheel: {debris[:10]}"


def _plan_lines(text: str) -> set[str]:
    """Stripped lines of 20+ characters that are not comments: what a copy of a plan shares."""
    lines = (ln.strip() for ln in text.splitlines())
    return {ln for ln in lines if len(ln) >= 20 and not ln.startswith("#")}


def test_wheel_holds_no_capstone_reference_plan(wheel):
    names = wheel.namelist()
    assert not [n for n in names if REFERENCE_PLAN.stem in n], "the reference plan is in the wheel"
    plan_lines = _plan_lines(REFERENCE_PLAN.read_text(encoding="utf-8"))
    for name in names:
        try:
            text = wheel.read(name).decode("utf-8")
        except UnicodeDecodeError:
            continue
        if name.endswith(".ipynb"):  # the cells' text, not its JSON encoding
            text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
        assert "PLAN_YAML" not in text, f"{name} holds the capstone solution's plan cell"
        shared = plan_lines & _plan_lines(text)
        assert len(shared) < 0.1 * len(plan_lines), f"{name} copies the reference plan"
