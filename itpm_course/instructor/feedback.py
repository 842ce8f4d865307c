"""Feedback preprocessing: a failing test shows its error, never the test's source."""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class ShortTracebacks(Preprocessor):
    """Cut every error output of a graded cell to ``Name: message``.

    IPython's traceback quotes the lines around the failing one, so a visible assert that fails
    just above ``### BEGIN HIDDEN TESTS`` would show the hidden tests in the feedback even after
    ``ClearHiddenTests`` removed them from the cell's source.
    """

    enabled = Bool(True)  # nbconvert preprocessors are off unless enabled

    def preprocess_cell(self, cell: Any, resources: dict, index: int) -> tuple[Any, dict]:
        if cell.get("cell_type") == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
