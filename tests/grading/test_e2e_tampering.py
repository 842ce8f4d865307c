"""End to end through nbgrader on the performance assignment: every kind of submission.

Points per cell: q1 3, q2 4, q3 3, q4 2, q5 3, q6 4 (19 in all).
"""

from __future__ import annotations

import time

import pytest
from nbgrader_course import (
    autograde,
    cell_scores,
    export_grades,
    feedback_html,
    generate,
    make_course,
    place,
    submission,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
    pytest.mark.filterwarnings("ignore::nbformat.warnings.MissingIDFieldWarning"),
]

NAME = "performance"
TIMEOUT = 8  # seconds per cell in this course; every honest cell here takes well under 1 s

MONKEYPATCH = """
import sys, types
import itpm_course
import itpm_course.engine.evm as evm
import itpm_course.grading as grading
import itpm_course.grading.performance as gp
import itpm_course.grading.questions as gq
grading.check = lambda key, answer: 2.0           # the entry point
gq.grade = lambda key, answer: (2.0, 2.0, "ok")   # the registry
gp.metrics = lambda: types.SimpleNamespace(tcpi_bac=5.0, cpi=1.0)
evm.evm_metrics = lambda *a, **k: None            # the engine
class Anything(float):
    def __eq__(self, other):
        return True
tcpi = Anything(5.0)
"""


def _without(nb, grade_id):
    nb.cells = [c for c in nb.cells if c.metadata.nbgrader["grade_id"] != grade_id]
    return nb


def _edit(nb, grade_id, source):
    for cell in nb.cells:
        if cell.metadata.nbgrader["grade_id"] == grade_id:
            cell.source = source
    return nb


CASES = {
    # student: (submission, expected points per test cell)
    "solution": (lambda: submission(NAME), [3, 4, 3, 2, 3, 4]),
    "untouched": (lambda: submission(NAME, solved=False), [0, 0, 0, 0, 0, 0]),
    "partial": (
        lambda: submission(
            NAME,
            {
                # CPI rounded to one decimal: 3 of the 4 indices are right.
                "q2_answer": 'indices = {"sv": ev - PV, "cv": ev - ac, "spi": ev / PV,'
                ' "cpi": round(ev / ac, 1)}',
                # VAC with the wrong sign: 2 of 3.
                "q3_answer": "eac = BAC / (ev / ac)\n"
                'forecast = {"eac": eac, "etc": eac - ac, "vac": eac - BAC}',
            },
        ),
        [3, 3, 2, 2, 3, 4],
    ),
    # The TCPI cell raises; its test and the report (which quotes the TCPI) get nothing.
    "raises": (lambda: submission(NAME, {"q4_answer": "tcpi = 1 / 0"}), [3, 4, 3, 0, 3, 0]),
    "infinite_loop": (
        lambda: submission(NAME, {"q4_answer": "while True:\n    pass"}),
        [3, 4, 3, 0, 3, 0],
    ),
    # Deletes the TCPI test, disables the RAG test: both are restored and graded.
    "tampered_cells": (
        lambda: _edit(
            _without(
                submission(
                    NAME,
                    {
                        "q4_answer": "tcpi = 1.0",
                        "q5_answer": 'rag = dict(cost="green", schedule="green", overall="green")',
                    },
                ),
                "q4_test",
            ),
            "q5_test",
            "pass",
        ),
        [3, 4, 3, 0, 0, 3.5],
    ),  # fmt: skip
    # Patches the grading entry point, the registry, the checker and the engine, and answers
    # with an object that equals anything: still graded as the wrong answer it is.
    "monkeypatch": (lambda: submission(NAME, {"q4_answer": MONKEYPATCH}), [3, 4, 3, 0, 3, 4]),
}


def test_every_kind_of_submission(tmp_path):
    api = make_course(tmp_path, names=[NAME], timeout=TIMEOUT)
    generate(api, NAME)
    for student, (make, _) in CASES.items():
        place(tmp_path, student, NAME, make())

    seconds = {}
    for student in CASES:
        start = time.perf_counter()
        autograde(api, NAME, student)
        seconds[student] = time.perf_counter() - start

    tests = ["q1_test", "q2_test", "q3_test", "q4_test", "q5_test", "q6_test"]
    for student, (_, expected) in CASES.items():
        scores = cell_scores(tmp_path, NAME, student)
        assert [scores[t] for t in tests] == pytest.approx(expected), student
        assert api.get_submission(NAME, student)["score"] == pytest.approx(sum(expected))
    # The loop was stopped by the per-cell timeout, not left to hang the grader.
    assert TIMEOUT <= seconds["infinite_loop"] < TIMEOUT + 60

    html = feedback_html(api, tmp_path, NAME, "solution")
    assert "BEGIN HIDDEN TESTS" not in html and "grading.check" not in html
    html = feedback_html(api, tmp_path, NAME, "partial")
    assert "Partial credit: 3 / 4" in html  # the learner sees what was right and what was not
    assert "cpi = EV / AC" in html
    assert "0.8414" not in html and "0.84" not in html.split("Partial credit: 3 / 4")[1][:300]

    grades = {r["student_id"]: float(r["raw_score"]) for r in export_grades(tmp_path)}
    assert grades == pytest.approx({s: sum(e) for s, (_, e) in CASES.items()})
