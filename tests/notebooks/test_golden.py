"""Golden outputs of the cells marked ``# NBVAL_CHECK_OUTPUT`` stay in step with the notebooks.

nbval compares those cells against the golden outputs (``make test`` runs it on copies made by
``notebook_tools apply``); these tests make sure no checked cell goes unchecked.
"""

import json
from pathlib import Path

import nbformat
import pytest

from itpm_course.notebook_tools import GOLDEN_DIR, apply_golden, checked_cells

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_checked_cell_has_a_golden_output(path):
    nb = nbformat.read(path, as_version=4)
    ids = {c.id for c in checked_cells(nb)}
    assert ids, f"{path.name} marks no cell with # NBVAL_CHECK_OUTPUT"
    golden = json.loads((GOLDEN_DIR / f"{path.stem}.json").read_text(encoding="utf-8"))
    assert set(golden) == ids, "run: python -m itpm_course.notebook_tools record " + str(path)
    assert all(golden[i] for i in ids), "a checked cell whose golden output is empty checks nothing"


def test_apply_puts_outputs_on_checked_cells_only(tmp_path):
    path = ROOT / "notebooks" / "05_planning_and_scheduling.ipynb"
    copy, missing = apply_golden(path, tmp_path)
    assert missing == []
    nb = nbformat.read(copy, as_version=4)
    checked = {c.id for c in checked_cells(nb)}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.id in checked:
            assert cell.outputs and cell.execution_count
        else:
            assert not cell.outputs


def test_apply_reports_a_checked_cell_without_golden(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)")
    nb.cells = [cell]
    source = tmp_path / "src" / "99_new.ipynb"
    source.parent.mkdir()
    nbformat.write(nb, source)
    _, missing = apply_golden(source, tmp_path / "out", golden_dir=tmp_path / "golden")
    assert missing == [cell.id]


def test_golden_joins_consecutive_pieces_of_a_stream():
    from itpm_course.notebook_tools import _golden_outputs

    pieces = [
        {"output_type": "stream", "name": "stdout", "text": "P80 "},
        {"output_type": "stream", "name": "stdout", "text": "53.8\n"},
        {"output_type": "stream", "name": "stderr", "text": "warning\n"},
        {"output_type": "execute_result", "data": {"text/plain": "42"}, "execution_count": 3},
        {"output_type": "stream", "name": "stdout", "text": "done\n"},
    ]
    assert _golden_outputs(pieces) == [
        {"output_type": "stream", "name": "stdout", "text": "P80 53.8\n"},
        {"output_type": "stream", "name": "stderr", "text": "warning\n"},
        {"output_type": "execute_result", "data": {"text/plain": "42"}, "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "done\n"},
    ]
    # one piece or several: the same record
    whole = [{"output_type": "stream", "name": "stdout", "text": "P80 53.8\n"}]
    assert _golden_outputs(whole) == _golden_outputs(pieces[:2])
