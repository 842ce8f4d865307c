"""The assignment notebooks: lint, hidden tests that are only calls, the release, regeneration."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path

import nbformat
import pytest
import yaml
from nbgrader_course import (
    ASSIGNMENTS,
    RELEASED,
    ROOT,
    SOLUTIONS,
    clean,
    generate,
    make_course,
    notebook_path,
)

import itpm_course.grading as grading
from itpm_course.data import sample_path

HIDDEN = re.compile(
    r"### BEGIN HIDDEN TESTS\n"
    r"from importlib import reload\n"
    r"import itpm_course\.grading as grading\n"
    r'reload\(grading\)\.check\("(?P<key>[a-z0-9_.]+)", .+\)\n'
    r"### END HIDDEN TESTS$"
)

# The capstone's full-marks plan: a test fixture, never package data (learners install the wheel).
REFERENCE_PLAN = ROOT / "tests" / "fixtures" / "plans" / "capstone_crm_cloud.yaml"


def _plan_lines(text: str) -> set[str]:
    """Stripped lines of 20+ characters that are not comments: what a copy of a plan shares."""
    lines = (ln.strip() for ln in text.splitlines())
    return {ln for ln in lines if len(ln) >= 20 and not ln.startswith("#")}


def _cells(base: Path, name: str):
    return nbformat.read(notebook_path(base, name), as_version=4).cells


@pytest.mark.parametrize("base", [SOLUTIONS, RELEASED], ids=["solutions", "assignments"])
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_lint(base, name):
    nb = nbformat.read(notebook_path(base, name), as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata.kernelspec.name == "python3"
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids)), "cell ids are unique"
    grade_ids = [c.metadata.nbgrader.grade_id for c in nb.cells if "nbgrader" in c.metadata]
    assert len(grade_ids) == len(set(grade_ids)), "grade_ids are unique"
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        assert meta is not None, f"{cell.id}: every cell carries nbgrader metadata"
        assert meta["schema_version"] == 3
        if meta["grade"]:
            assert meta["points"] > 0
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "committed without outputs"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_hidden_tests_are_calls_worth_the_cell_points(name):
    keys = []
    for cell in _cells(SOLUTIONS, name):
        meta = cell.metadata.nbgrader
        if not (meta["grade"] and cell.cell_type == "code"):
            continue
        hidden = cell.source[cell.source.index("### BEGIN HIDDEN TESTS") :]
        match = HIDDEN.match(hidden)
        assert match, f"{meta['grade_id']}: the hidden part is one call into itpm_course.grading"
        assert grading.max_points(match["key"]) == meta["points"], meta["grade_id"]
        keys.append(match["key"])
    prefix = name.split("_")[0]
    assert keys == [k for k in grading.all_points() if k.startswith(prefix + ".")]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_holds_no_solution_and_no_hidden_test(name):
    for cell in _cells(RELEASED, name):
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "reload(grading)"):
            assert marker not in cell.source, f"{cell.id}: {marker!r} in the release"
        meta = cell.metadata.nbgrader
        if meta["solution"] and cell.cell_type == "code":
            assert "raise NotImplementedError()" in cell.source
    # Every autograded test depends on an answer the release leaves out.
    solution = {c.id: c for c in _cells(SOLUTIONS, name)}
    for cell in _cells(RELEASED, name):
        if cell.metadata.nbgrader["grade"] and cell.cell_type == "code":
            assert cell.source in solution[cell.id].source


def test_solutions_are_what_the_builder_writes(tmp_path):
    builder = runpy.run_path(str(SOLUTIONS / "build_notebooks.py"))
    builder["write_all"](tmp_path)
    for name in ASSIGNMENTS:
        built = notebook_path(tmp_path, name).read_text(encoding="utf-8")
        assert built == notebook_path(SOLUTIONS, name).read_text(encoding="utf-8"), name


@pytest.mark.slow
def test_regenerating_the_release_gives_what_is_committed(tmp_path):
    api = make_course(tmp_path)
    for name in ASSIGNMENTS:
        generate(api, name)
        made = clean(nbformat.read(notebook_path(tmp_path / "assignments", name), as_version=4))
        committed = nbformat.read(notebook_path(RELEASED, name), as_version=4)
        assert json.dumps(made, sort_keys=True) == json.dumps(committed, sort_keys=True), name
        released = sorted(p.name for p in (tmp_path / "assignments" / name).iterdir())
        assert released == [f"{name}.ipynb"], "only the notebook is released"


def test_only_the_capstone_solution_holds_the_reference_plan():
    reference = REFERENCE_PLAN.read_text(encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        sample_path(REFERENCE_PLAN.name)  # not loadable from the installed package
    (answer,) = [c for c in _cells(SOLUTIONS, "capstone") if c.id == "plan_answer"]
    inline = re.search(r'^PLAN_YAML = """\n(.*?)^"""$', answer.source, re.M | re.S)
    assert inline, "the capstone solution inlines the reference plan as PLAN_YAML"
    assert yaml.safe_load(inline[1]) == yaml.safe_load(reference), "rebuild solutions/"
    released = "\n".join(c.source for c in _cells(RELEASED, "capstone"))
    assert "PLAN_YAML" not in released and REFERENCE_PLAN.stem not in released
    plan_lines = _plan_lines(reference)
    shared = plan_lines & _plan_lines(released)
    assert len(shared) < 0.1 * len(plan_lines), f"the release copies the plan: {sorted(shared)[:5]}"
