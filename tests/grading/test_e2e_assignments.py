"""End to end through nbgrader: every assignment's solution earns full marks, its release zero."""

from __future__ import annotations

import pytest
from nbgrader_course import (
    ASSIGNMENTS,
    autograde,
    cell_scores,
    export_grades,
    feedback_html,
    generate,
    make_course,
    place,
    submission,
)

import itpm_course.grading as grading

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

MANUAL = {"career_and_certification_plan": 5.0}  # points graded by hand, not by autograde


def _max_points(name: str) -> float:
    prefix = name.split("_")[0] + "."
    return sum(p for k, p in grading.all_points().items() if k.startswith(prefix))


def test_solution_full_marks_release_zero(tmp_path):
    api = make_course(tmp_path)
    for name in ASSIGNMENTS:
        generate(api, name)
        place(tmp_path, "sol", name, submission(name))
        place(tmp_path, "blank", name, submission(name, solved=False))
    for name in ASSIGNMENTS:
        for student in ("sol", "blank"):
            autograde(api, name, student)
        full = _max_points(name)
        solved = cell_scores(tmp_path, name, "sol")
        auto = {k: v for k, v in solved.items() if not k.endswith("_written")}
        assert sum(auto.values()) == pytest.approx(full), (name, solved)
        blank = cell_scores(tmp_path, name, "blank")
        assert all(not v for v in blank.values()), (name, blank)
        assert api.get_submission(name, "sol")["max_score"] == full + MANUAL.get(name, 0)

        html = feedback_html(api, tmp_path, name, "sol")
        assert "BEGIN HIDDEN TESTS" not in html and "reload(grading)" not in html
        # Failing tests quote a few lines of their cell in the traceback (IPython's context):
        # at most the hidden call, never an expected answer; the test code itself is cleared.
        html = feedback_html(api, tmp_path, name, "blank")
        assert html.count("BEGIN HIDDEN TESTS") <= html.count("most recent call last")

    rows = export_grades(tmp_path)
    by = {(r["assignment"], r["student_id"]): float(r["raw_score"]) for r in rows}
    for name in ASSIGNMENTS:
        assert by[(name, "sol")] == pytest.approx(_max_points(name))
        assert by[(name, "blank")] == 0
