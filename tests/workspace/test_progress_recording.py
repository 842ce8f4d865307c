"""Progress: real ``Exercise.check()`` calls recorded in the workspace, summaries, the widget."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from itpm_course import progress
from itpm_course.exercises import Exercise, Incorrect, core
from itpm_course.exercises.planning import pert_mean
from itpm_course.progress import (
    SKILL_AREAS,
    format_summary,
    install,
    load_records,
    notebook_of,
    progress_path,
    summary,
    uninstall,
)
from itpm_course.workspace import STATE_DIR, sync


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A real workspace (synced from a one-notebook course) and no recorder left behind."""
    src = tmp_path / "course" / "notebooks"
    src.mkdir(parents=True)
    (src / "00_start_here.ipynb").write_text("{}", encoding="utf-8")
    workspace = tmp_path / "ws"
    sync(workspace, {"00_start_here.ipynb": src / "00_start_here.ipynb"}, "0.1.0")
    monkeypatch.delenv("ITPM_COURSE_WORKSPACE", raising=False)
    uninstall()
    yield workspace.resolve()
    uninstall()


def _double(answer):
    if answer != 2:
        raise Incorrect("not two")
    return None


def fresh_exercise(ex_id: str = "05.double") -> Exercise:
    return Exercise(id=ex_id, prompt="Two?", check_fn=_double, hints=["1 + 1", "it is 2"])


def test_real_checks_are_recorded(ws):
    assert install(ws) == ws
    assert pert_mean.check(8).status == "incorrect"  # the plain-average misconception
    assert pert_mean.check(7.0).passed
    ex = fresh_exercise()
    ex.hint()
    ex.hint()
    assert ex.check(2).passed
    records = load_records(ws)
    assert [(r["exercise"], r["passed"]) for r in records] == [
        ("05.pert_mean", False),
        ("05.pert_mean", True),
        ("05.double", True),
    ]
    first = records[0]
    assert set(first) == {
        "time",
        "exercise",
        "notebook",
        "status",
        "passed",
        "score",
        "hints_used",
        "seconds",
        "course_version",
    }
    assert first["notebook"] == 5 and first["status"] == "incorrect" and first["score"] == 0.0
    assert records[1]["score"] == 1.0
    assert records[2]["hints_used"] == 2
    assert all(r["seconds"] >= 0 for r in records)
    # One plain JSON object per line: inspectable with any tool.
    lines = progress_path(ws).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["exercise"] for line in lines] == [r["exercise"] for r in records]


def test_install_is_idempotent_and_opt_in(ws, tmp_path, monkeypatch):
    before = len(core._recorders)
    install(ws)
    install(ws)
    assert len(core._recorders) == before + 1
    uninstall()
    assert len(core._recorders) == before
    # Outside a workspace nothing is registered and nothing is written.
    monkeypatch.chdir(tmp_path)
    assert install() is None
    assert len(core._recorders) == before
    fresh_exercise().check(2)
    assert not progress_path(ws).exists()


def test_workspace_found_from_env_or_current_directory(ws, tmp_path, monkeypatch):
    (ws / "assignments" / "a1").mkdir(parents=True)
    monkeypatch.chdir(ws / "assignments" / "a1")  # the kernel's cwd: the notebook's folder
    assert install() == ws
    uninstall()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ITPM_COURSE_WORKSPACE", str(ws))
    assert install() == ws
    fresh_exercise().check(3)
    assert load_records(ws)[0]["passed"] is False


def test_recording_failure_never_breaks_a_check(ws):
    install(ws)
    state = ws / STATE_DIR
    for child in state.iterdir():
        child.unlink()
    state.rmdir()
    state.write_text("now a file")  # the progress file cannot be opened
    feedback = fresh_exercise().check(2)
    assert feedback.passed


def test_unreadable_lines_are_skipped(ws):
    progress_path(ws).write_text(
        '{"exercise": "05.a", "passed": true}\nnot json\n[1]\n\n{"exercise": "06.b", "passed": false}\n',
        encoding="utf-8",
    )
    assert [r["exercise"] for r in load_records(ws)] == ["05.a", "06.b"]


def test_notebook_of_ids():
    assert notebook_of("05.pert_mean") == 5
    assert notebook_of("11.star_order") == 11
    assert notebook_of("capstone_plan") is None


def test_every_course_exercise_maps_to_a_notebook():
    exercises = progress.course_exercises()
    from itpm_course.course import COURSE

    numbers = {lesson.number for lesson in COURSE}
    assert set(exercises) <= numbers
    assert "05.pert_mean" in exercises[5]
    for area in SKILL_AREAS:
        assert set(area.notebooks) <= numbers


EXERCISES = {5: ["05.a", "05.b"], 6: ["06.a"], 7: ["07.a", "07.b"], 12: ["12.a"], 14: ["14.a"]}


def rec(ex, passed, hints=0, seconds=10.0, status=None):
    return {
        "exercise": ex,
        "notebook": notebook_of(ex),
        "passed": passed,
        "status": status or ("correct" if passed else "incorrect"),
        "hints_used": hints,
        "seconds": seconds,
    }


def test_summary_per_notebook_and_area():
    records = [
        rec("05.a", False, 0, 30),
        rec("05.a", True, 1, 60),
        rec("05.b", True, 0, 20),
        rec("06.a", False, 2, 50),
        rec("07.a", False, status="unanswered"),
    ]
    data = summary(records=records, exercises=EXERCISES)
    row5 = data.notebooks[5]
    assert (row5.passed, row5.total, row5.done, row5.hints_used, row5.seconds) == (
        ["05.a", "05.b"],
        2,
        True,
        1,
        80.0,
    )
    row6 = data.notebooks[6]
    assert row6.passed == [] and row6.attempted == ["06.a"] and row6.hints_used == 2
    assert data.notebooks[7].attempted == []  # "unanswered" is not an attempt
    assert data.passed == 2 and data.total == 7 and data.attempts == 5
    core_area = next(a for a in data.areas if a.id == "core_competencies")
    assert (core_area.passed, core_area.total) == (2, 5)  # notebooks 05, 06, 12, 14 (13: none)
    technical = next(a for a in data.areas if a.id == "technical")
    assert (technical.passed, technical.total) == (0, 2)
    # Next: notebook 06 was started and is not finished.
    assert data.next["notebook"] == 6 and data.next["exercises"] == ["06.a"]
    as_json = json.loads(json.dumps(data.to_dict()))
    assert as_json["notebooks"][5]["fraction"] == 1.0
    assert {a["id"] for a in as_json["skill_areas"]} == {a.id for a in SKILL_AREAS}
    text = format_summary(data)
    assert "2 of 7 self-checks passed" in text and "Core competencies" in text
    assert "Next: Finish 06_risk_management.ipynb" in text


def test_next_suggestions():
    nothing = summary(records=[], exercises=EXERCISES)
    assert nothing.next["filename"] == "00_start_here.ipynb"
    done5 = summary(records=[rec("05.a", True), rec("05.b", True)], exercises=EXERCISES)
    assert done5.next["notebook"] == 6  # the next in the course map
    everything = [rec(ex, True) for exs in EXERCISES.values() for ex in exs]
    finished = summary(records=everything, exercises=EXERCISES)
    assert finished.next["notebook"] is None and "Well done" in finished.next["reason"]
    skipped = summary(
        records=[rec(ex, True) for ex in ("07.a", "07.b", "12.a")], exercises=EXERCISES
    )
    assert skipped.next["notebook"] == 13  # after the last notebook worked on
    # All passed but the capstone, last worked on 12: notebook 13 is next (it has no self-checks).
    assert summary(records=everything[:-1], exercises=EXERCISES).next["notebook"] == 13


def test_next_skips_notebooks_missing_from_the_workspace(ws):
    data = summary(ws, records=[rec("05.a", True), rec("05.b", True)], exercises=EXERCISES)
    # The workspace has only 00_start_here.ipynb: nothing after 05 is there yet, so go back.
    assert data.next["notebook"] == 6 and "Go back" in data.next["reason"]
    (ws / "07_schedule_risk_monte_carlo.ipynb").write_text("{}")
    data = summary(ws, records=[rec("05.a", True), rec("05.b", True)], exercises=EXERCISES)
    assert data.next["notebook"] == 7


def test_summary_from_workspace_records(ws):
    install(ws)
    pert_mean.check(7.0)
    data = summary(ws)
    assert "05.pert_mean" in data.notebooks[5].passed
    assert data.workspace == str(ws)


# --------------------------------------------------------------------------- the widget


def test_dashboard_with_no_data(tmp_path, monkeypatch):
    from itpm_course.widgets.progress import progress_dashboard

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ITPM_COURSE_WORKSPACE", raising=False)
    dash = progress_dashboard()
    assert dash.summary is not None and dash.summary.workspace is None
    assert "not recorded" in dash.heading.value
    assert len(dash.notebook_rows) == 15 and len(dash.area_rows) == len(SKILL_AREAS)
    assert all(row.children[1].value == 0 for row in dash.notebook_rows)
    assert "00_start_here" not in dash.next_text.value or "Start with" in dash.next_text.value
    assert "Start with the first notebook" in dash.next_text.value


def test_dashboard_shows_records_and_refreshes(ws):
    from itpm_course.widgets.progress import progress_dashboard

    install(ws)
    dash = progress_dashboard(ws)
    assert dash.notebook_rows[5].children[1].value == 0
    pert_mean.check(7.0)
    dash.refresh_button.click()
    bar = dash.notebook_rows[5].children[1]
    assert bar.value == 1 and bar.max == len(progress.course_exercises()[5])
    assert dash.notebook_rows[5].children[2].value.startswith("1/")
    core_row = next(
        row
        for row, area in zip(dash.area_rows, SKILL_AREAS, strict=True)
        if area.id == "core_competencies"
    )
    assert core_row.children[1].value == 1
    assert "Finish 05_planning_and_scheduling.ipynb" in dash.next_text.value
    assert "1 of" in dash.heading.value


# --------------------------------------------------------------------------- a real kernel


@pytest.mark.slow
def test_kernel_started_by_start_records_progress(ws):
    """The environment `itpm-course start` gives JupyterLab makes a real ipykernel record."""
    jupyter_client = pytest.importorskip("jupyter_client")
    from itpm_course.commands.start import _STARTUP_CODE, KERNEL_STARTUP, lab_environment

    (ws / STATE_DIR / KERNEL_STARTUP).write_text(_STARTUP_CODE, encoding="utf-8")
    env = lab_environment(ws)
    km = jupyter_client.KernelManager(kernel_name="python3")
    km.kernel_cmd = None
    km.start_kernel(
        env=env,
        cwd=str(ws),
        extra_arguments=[],
    )
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(
            "from itpm_course.exercises.planning import pert_mean\n"
            "expected_days = 7.0\n"
            "fb = pert_mean.check()\n"
            "assert fb.passed, fb\n"
            "assert '_itpm_course_startup' not in dir()\n",
            timeout=60,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    records = load_records(ws)
    assert [(r["exercise"], r["passed"]) for r in records] == [("05.pert_mean", True)]
    assert Path(sys.executable).exists() and os.environ.get("ITPM_COURSE_WORKSPACE") is None
