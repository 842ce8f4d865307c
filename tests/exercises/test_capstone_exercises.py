"""Self-checks of notebook 14: right answers pass, each named misconception is recognised."""

from __future__ import annotations

import pytest

from itpm_course.exercises.capstone import (
    MISCONCEPTIONS,
    error_or_warning,
    findings_table,
    fix_overallocation,
    size_contingency,
)


def _misc(feedback):
    return feedback.misconception.id if feedback.misconception else None


def test_error_codes_come_from_the_validator():
    errors = sorted({f.code for f in findings_table() if f.severity == "error"})
    assert errors == ["SCH001", "WBS005"]
    assert error_or_warning.evaluate(errors).passed
    assert error_or_warning.evaluate("sch001, wbs005").passed


@pytest.mark.parametrize(
    ("answer", "status", "misconception"),
    [
        (["SCH001", "WBS005", "STR003"], "incorrect", "warnings-block"),
        (["WBS005"], "incorrect", "errors-only-structure"),
        (["XYZ999"], "incorrect", None),
        (42, "incorrect", None),
        (None, "unanswered", None),
    ],
)
def test_error_or_warning_wrong_answers(answer, status, misconception):
    fb = error_or_warning.evaluate(answer)
    assert fb.status == status and _misc(fb) == misconception


@pytest.mark.parametrize(
    "answer",
    [{"GUIDE": {"predecessors": "IMAGE"}}, {"GUIDE": {"resources": ["Ray"]}}],
)
def test_levelling_fixes_pass(answer):
    fb = fix_overallocation.evaluate(answer)
    assert fb.passed, fb.message


@pytest.mark.parametrize(
    ("answer", "misconception", "text"),
    [
        ({"IMAGE": {"predecessors": "GUIDE"}}, "level-on-critical-path", "deadline"),
        ({"GUIDE": {"duration": 0}}, "cut-the-work", "instead of 3"),
        ({"GUIDE": {"resources": ["Tom"]}}, None, "still over-allocated"),
        ({"NOPE": {"duration": 1}}, None, "the tasks are"),
        ({"GUIDE": {"predecessors": "DONE"}}, None, "not a valid plan"),
        ({"GUIDE": 5}, None, "should be a dict"),
        ({}, None, "empty"),
        ("GUIDE after IMAGE", None, "dict"),
    ],
)
def test_levelling_wrong_answers(answer, misconception, text):
    fb = fix_overallocation.evaluate(answer)
    assert fb.status == "incorrect" and _misc(fb) == misconception
    assert text in fb.message


@pytest.mark.parametrize(
    ("answer", "status", "misconception"),
    [
        (31_800, "correct", None),
        ("31800", "correct", None),
        (271_800, "incorrect", "p80-is-reserve"),
        (12_500, "incorrect", "p50-reserve"),
        (18_000, "incorrect", "emv-only"),
        (43_400, "incorrect", None),
        (7, "incorrect", None),
        ("lots", "incorrect", None),
    ],
)
def test_size_contingency(answer, status, misconception):
    fb = size_contingency.evaluate(answer)
    assert fb.status == status and _misc(fb) == misconception


def test_every_misconception_is_used_and_hints_exist():
    used = {"warnings-block", "errors-only-structure", "cut-the-work", "level-on-critical-path"}
    used |= {"p80-is-reserve", "p50-reserve", "emv-only"}
    assert used == set(MISCONCEPTIONS)
    for ex in (error_or_warning, fix_overallocation, size_contingency):
        assert len(ex.hints) >= 2 and ex.solution_text and ex.var
