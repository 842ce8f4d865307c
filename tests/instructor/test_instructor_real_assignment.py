"""One of the course's real assignments through init -> release -> grade (solutions/ of the repo)."""

from __future__ import annotations

import nbformat
import pytest

from itpm_course.instructor.course import check_result, init_course
from itpm_course.instructor.grading import grade_assignment
from itpm_course.instructor.report import scores_table

NAME = "scheduling"


def _strip(source: str) -> str:
    return "\n".join(ln for ln in source.splitlines() if "### BEGIN SOLUTION" not in ln
                     and "### END SOLUTION" not in ln)  # fmt: skip


@pytest.mark.slow
def test_reference_answers_earn_full_marks_and_stubs_earn_little(tmp_path):
    course = init_course(tmp_path / "course")  # the course's own solutions/
    assert NAME in course.source_assignments()
    api = course.api()
    check_result(api.generate_assignment(NAME, force=True, create=True), "generate")
    released = nbformat.read(course.root / "release" / NAME / f"{NAME}.ipynb", as_version=4)
    source = nbformat.read(course.root / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    answers = {
        c.metadata.nbgrader["grade_id"]: _strip(c.source)
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    for student, solved in (("ace", True), ("stub", False)):
        nb = nbformat.from_dict(released)
        if solved:
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in answers:
                    cell.source = answers[gid]
        dest = course.root / "submitted" / student / NAME
        dest.mkdir(parents=True)
        nbformat.write(nb, dest / f"{NAME}.ipynb")
        (dest / "timestamp.txt").write_text("2026-09-01 12:00:00.000000 UTC")
    summary = grade_assignment(course, NAME, workers=2, progress=False)
    assert summary.ok, summary.failed
    scores = scores_table(course, NAME).set_index("student")
    assert scores.loc["ace", "score"] == scores.loc["ace", "max_score"] > 0
    assert scores.loc["stub", "score"] < scores.loc["ace", "score"] / 2
