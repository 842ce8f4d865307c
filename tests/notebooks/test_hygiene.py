"""Notebooks are committed clean, and teaching notebooks have the lesson's frame."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from itpm_course import notebook_tools as nt

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIRS = [ROOT / "notebooks", ROOT / "solutions", ROOT / "assignments"]
NOTEBOOKS = nt.find_notebooks(NOTEBOOK_DIRS)
TEACHING = [p for p in NOTEBOOKS if nt.is_teaching_notebook(p)]
# Stored as .json, not .ipynb: it is data (a notebook saved dirty), not a notebook of the course.
FIXTURE = Path(__file__).parent / "fixtures" / "dirty_notebook.json"


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_notebooks_are_found():
    # An empty parametrisation passes silently; this makes a broken search fail loudly.
    assert ROOT / "notebooks" / "00_start_here.ipynb" in NOTEBOOKS
    assert ROOT / "notebooks" / "00_start_here.ipynb" in TEACHING


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_notebook_is_committed_clean(path):
    problems = nt.check_file(path)
    assert not problems, (
        f"{_name(path)} is not clean (run 'make clean-notebooks'):\n  " + "\n  ".join(problems)
    )


@pytest.mark.parametrize("path", TEACHING, ids=_name)
def test_teaching_notebook_has_title_objectives_and_summary(path):
    problems = nt.structure_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{_name(path)}:\n  " + "\n  ".join(problems)


# -- the tools themselves, on a notebook saved dirty from a running JupyterLab ----------------


@pytest.fixture
def dirty(tmp_path) -> Path:
    path = tmp_path / "dirty.ipynb"
    shutil.copy(FIXTURE, path)
    return path


def test_check_reports_each_kind_of_violation(dirty):
    text = "\n".join(nt.check_file(dirty))
    for expected in (
        "nbformat is 4.4",
        "extra keys: toc-autonumbering, widgets",
        "cell 1 (markdown): no cell id",
        "cell 1 (markdown): stray cell metadata collapsed",
        "cell 2 (code): stray cell metadata execution, scrolled",
        "cell 2 (code): has 2 output(s)",
        "cell 2 (code): execution count 7",
        "cell 3 (code): stray cell metadata jupyter",
        "cell 4 (raw): stray cell metadata format",
    ):
        assert expected in text


def test_clean_strips_outputs_and_metadata_but_keeps_content(dirty):
    before = nbformat.read(dirty, as_version=4)
    assert nt.clean_file(dirty) is True
    assert nt.check_file(dirty) == []
    after = nbformat.read(dirty, as_version=nbformat.NO_CONVERT)

    assert (after.nbformat, after.nbformat_minor) == (4, 5)
    assert after.metadata == {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    assert [c.source for c in after.cells] == [c.source for c in before.cells]
    assert [c.cell_type for c in after.cells] == ["markdown", "code", "code", "raw"]
    code = [c for c in after.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    # Meaningful metadata survives: tags, nbgrader's grading info and lock flags.
    assert after.cells[0].metadata == {"tags": ["intro"]}
    assert after.cells[1].metadata["nbgrader"]["grade_id"] == "setup"
    assert after.cells[1].metadata["editable"] is False
    assert after.cells[1].metadata["deletable"] is False
    assert after.cells[2].metadata == {} and after.cells[3].metadata == {}
    ids = [c.id for c in after.cells]
    assert len(set(ids)) == len(ids)
    nbformat.validate(after)


def test_clean_is_idempotent_and_keeps_ids(dirty):
    nt.clean_file(dirty)
    first = dirty.read_text()
    assert nt.clean_file(dirty) is False
    assert dirty.read_text() == first
    assert first.endswith("}\n") and first.startswith('{\n "cells": [\n  {')


def test_clean_replaces_duplicate_and_invalid_ids():
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("1"), nbformat.v4.new_code_cell("2")]
    )
    nb.cells[0].id = nb.cells[1].id = "same"
    problems = nt.check_notebook(nb)
    assert any("duplicate cell id 'same'" in p for p in problems)
    nb.cells[1].id = "has space"
    assert any("invalid cell id 'has space'" in p for p in nt.check_notebook(nb))
    cleaned = nt.clean_notebook(nb)
    assert cleaned.cells[0].id == "same"
    assert cleaned.cells[1].id not in ("same", "has space")
    assert nb.cells[1].id == "has space"  # the input is left alone


def test_check_reports_unreadable_and_unformatted_files(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert nt.check_file(broken)[0].startswith("not a readable notebook")

    clean = nt.clean_notebook(nbformat.read(FIXTURE, as_version=4))
    squashed = tmp_path / "squashed.ipynb"
    squashed.write_text(nbformat.writes(clean).replace("\n", " ").strip())
    assert nt.check_file(squashed) == [
        "not written in nbformat's layout (indent 1, sorted keys, final newline)"
    ]


def test_structure_problems_name_what_is_missing():
    md = nbformat.v4.new_markdown_cell
    good = nbformat.v4.new_notebook(
        cells=[
            md("# 05 Planning\n\nIntro."),
            md("## Learning objectives\n\n- CPM"),
            nbformat.v4.new_code_cell("x = 1"),
            md("## Summary\n\nDone."),
        ]
    )
    assert nt.structure_problems(good) == []
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"), md("Summary")])
    assert nt.structure_problems(bad) == [
        "the first cell is not a markdown cell",
        "no 'Learning objectives' heading",
        "no 'Summary' heading",
    ]


def test_cli_check_and_clean(dirty, capsys):
    assert nt.main(["check", str(dirty.parent)]) == 1
    assert "need attention" in capsys.readouterr().out
    assert nt.main(["clean", str(dirty)]) == 0
    assert f"cleaned {dirty}" in capsys.readouterr().out
    assert nt.main(["check", str(dirty)]) == 0
    assert "1 notebook(s) clean" in capsys.readouterr().out


def test_teaching_notebooks_are_recognised_by_name():
    assert nt.is_teaching_notebook("notebooks/05_planning_and_scheduling.ipynb")
    assert not nt.is_teaching_notebook("notebooks/scratch.ipynb")
    assert not nt.is_teaching_notebook("solutions/hw1/05_planning.ipynb")
