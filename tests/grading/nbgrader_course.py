"""Helpers for the nbgrader tests: a temporary course directory driven through NbGraderAPI."""

from __future__ import annotations

import os
import runpy
import shutil
import sys
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
RELEASED = ROOT / "assignments"
ASSIGNMENTS = ("career_and_certification_plan", "scheduling", "risk", "performance", "capstone")


def notebook_path(base: Path, name: str) -> Path:
    return base / name / f"{name}.ipynb"


def course_config(course: Path, timeout: int | None = None):
    """The repository's nbgrader_config.py, pointed at ``course`` (the API does not read it)."""
    from traitlets.config import Config  # noqa: PLC0415

    namespace = runpy.run_path(
        str(ROOT / "nbgrader_config.py"), init_globals={"get_config": Config}
    )
    config = namespace["c"]
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{course / 'gradebook.db'}"
    if timeout is not None:
        config.Execute.timeout = timeout
    return config


def make_course(tmp: Path, names=ASSIGNMENTS, timeout: int | None = None):
    """A course directory in ``tmp`` holding ``solutions/`` for ``names``; returns the API."""
    from nbgrader.apps import NbGraderAPI  # noqa: PLC0415

    # alembic runs in a subprocess when the gradebook is created: the venv's bin/ must be on PATH.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    shutil.copy(ROOT / "nbgrader_config.py", tmp / "nbgrader_config.py")
    for name in names:
        shutil.copytree(SOLUTIONS / name, tmp / "solutions" / name)
    warnings.filterwarnings("ignore", module="sqlalchemy")
    return NbGraderAPI(config=course_config(tmp, timeout))


def generate(api, name: str) -> None:
    res = api.generate_assignment(name, force=True)
    assert res["success"], res.get("log") or res.get("error")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    from itpm_course.notebook_tools import clean_notebook  # noqa: PLC0415

    return clean_notebook(nb)


def _strip_markers(source: str) -> str:
    lines = [ln for ln in source.splitlines() if "### BEGIN SOLUTION" not in ln]
    return "\n".join(ln for ln in lines if "### END SOLUTION" not in ln)


def submission(name: str, answers: dict[str, str] | None = None, *, solved: bool = True):
    """The released notebook with the answer cells filled in, as a learner hands it in.

    ``solved``: fill every answer cell with the reference solution (else leave the stubs);
    ``answers`` overrides single answer cells by grade id.
    """
    released = nbformat.read(notebook_path(RELEASED, name), as_version=4)
    solution = {c.id: c for c in nbformat.read(notebook_path(SOLUTIONS, name), as_version=4).cells}
    for cell in released.cells:
        meta = cell.metadata.nbgrader
        if not meta["solution"]:
            continue
        if solved:
            cell.source = _strip_markers(solution[cell.id].source)
        if answers and meta["grade_id"] in answers:
            cell.source = answers.pop(meta["grade_id"])
    assert not answers, f"no answer cells {sorted(answers)}"
    return released


def place(course: Path, student: str, name: str, nb) -> None:
    from nbgrader.api import Gradebook  # noqa: PLC0415

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student(student)
    path = notebook_path(course / "submitted" / student, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def autograde(api, name: str, student: str) -> None:
    res = api.autograde(name, student, force=True, create=True)
    assert res["success"], res.get("log") or res.get("error")


def cell_scores(course: Path, name: str, student: str) -> dict[str, float]:
    """Points per graded cell (grade id -> score) from the gradebook."""
    from nbgrader.api import Gradebook  # noqa: PLC0415

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(name, name, student)
        return {g.name: g.score for g in nb.grades}


def feedback_html(api, course: Path, name: str, student: str) -> str:
    res = api.generate_feedback(name, student, force=True)
    assert res["success"], res.get("log") or res.get("error")
    return (
        notebook_path(course / "feedback" / student, name)
        .with_suffix(".html")
        .read_text(encoding="utf-8")
    )


def export_grades(course: Path) -> list[dict[str, str]]:
    """``nbgrader export`` run for real in the course directory; the rows of its CSV."""
    import csv  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    out = course / "grades.csv"
    subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "export", "--to", str(out)],
        cwd=course,
        check=True,
        capture_output=True,
        env=os.environ.copy(),
        timeout=120,
    )
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
