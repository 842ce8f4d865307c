"""Write the instructor notebooks ``solutions/<assignment>/<assignment>.ipynb`` from cell specs.

    .venv/bin/python solutions/build_notebooks.py        # rewrite every solution notebook
    nbgrader generate_assignment NAME                     # then release it into assignments/

The nbgrader cell metadata (schema 3, grade ids, points, locks) is boilerplate: it is made here
so it cannot drift. A test checks that the committed notebooks are what this script writes,
and that every hidden test's points equal ``itpm_course.grading.max_points(key)``.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import nbformat

from itpm_course.notebook_tools import clean_notebook

HERE = Path(__file__).resolve().parent
ASSIGNMENTS = ("career_and_certification_plan", "scheduling", "risk", "performance", "capstone")

HIDDEN_CALL = (
    "### BEGIN HIDDEN TESTS\n"
    "from importlib import reload\n"
    "import itpm_course.grading as grading\n"
    'reload(grading).check("{key}", {expr})\n'
    "### END HIDDEN TESTS"
)


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _src(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


class Notebook:
    """Collects cells; ids are the grade ids so they stay stable across rebuilds."""

    def __init__(self, name: str):
        self.name = name
        self.cells: list = []
        self._n = 0

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}-{self._n:02d}"

    def md(self, text: str) -> None:
        gid = self._id("md")
        cell = nbformat.v4.new_markdown_cell(_src(text), metadata=_meta(gid, locked=True))
        cell["id"] = gid
        self.cells.append(cell)

    def code(self, text: str) -> None:
        gid = self._id("setup")
        cell = nbformat.v4.new_code_cell(_src(text), metadata=_meta(gid, locked=True))
        cell["id"] = gid
        self.cells.append(cell)

    def answer(self, gid: str, given: str, solution: str) -> None:
        """An answer cell: ``given`` lines stay in the release; the solution region is cleared."""
        body = _src(given)
        body = (body + "\n" if body else "") + (
            "### BEGIN SOLUTION\n" + _src(solution) + "\n### END SOLUTION"
        )
        cell = nbformat.v4.new_code_cell(body, metadata=_meta(gid, solution=True))
        cell["id"] = gid
        self.cells.append(cell)

    def test(self, gid: str, key: str, points: float, visible: str, expr: str) -> None:
        """A locked autograded cell: visible checks that teach, then the hidden grading call."""
        body = _src(visible) + "\n" + HIDDEN_CALL.format(key=key, expr=expr)
        cell = nbformat.v4.new_code_cell(
            body, metadata=_meta(gid, grade=True, locked=True, points=points)
        )
        cell["id"] = gid
        self.cells.append(cell)

    def manual(self, gid: str, points: float, solution: str) -> None:
        """A manually graded written answer (Markdown)."""
        body = "### BEGIN SOLUTION\n" + _src(solution) + "\n### END SOLUTION"
        cell = nbformat.v4.new_markdown_cell(
            body, metadata=_meta(gid, grade=True, solution=True, points=points)
        )
        cell["id"] = gid
        self.cells.append(cell)

    def notebook(self) -> nbformat.NotebookNode:
        nb = nbformat.v4.new_notebook(cells=self.cells)
        return clean_notebook(nb)


def build(name: str) -> nbformat.NotebookNode:
    sys.path.insert(0, str(HERE))
    try:
        from notebook_specs import SPECS  # noqa: PLC0415
    finally:
        sys.path.remove(str(HERE))
    nb = Notebook(name)
    SPECS[name](nb)
    return nb.notebook()


def write_all(root: Path = HERE) -> list[Path]:
    paths = []
    for name in ASSIGNMENTS:
        path = root / name / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(build(name), path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_all():
        print(p.relative_to(HERE.parent))
