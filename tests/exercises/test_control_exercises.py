"""Lesson 13 self-checks: right answers pass, each misconception is named, nothing raises."""

from __future__ import annotations

import pytest

from itpm_course.exercises.control import (
    ALL,
    escape_rate,
    float_impact,
    myths,
    qa_vs_qc,
    recommendation,
)

RIGHT = {"a": "QC", "b": "QA", "c": "QA", "d": "QC", "e": "QA"}


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        (float_impact, 2),
        (qa_vs_qc, RIGHT),
        (escape_rate, 0.08),
        (escape_rate, 8),  # a percentage
        (recommendation, "Approve with conditions"),
        (myths, {"a": False, "b": False, "c": False, "d": True}),
    ],
)
def test_right_answers(exercise, answer):
    assert exercise.evaluate(answer).passed


@pytest.mark.parametrize(
    ("exercise", "answer", "misconception"),
    [
        (float_impact, 5, "every-change-moves-finish"),
        (float_impact, 0, "float-absorbs-everything"),
        (qa_vs_qc, dict.fromkeys(RIGHT, "QA"), "qa-equals-qc"),
        (qa_vs_qc, {**RIGHT, "b": "QC"}, "qa-equals-qc"),
        (escape_rate, 4 / 46, "escape-wrong-denominator"),
        (recommendation, "approve", "small-changes-free"),
        (recommendation, "reject", "any-delay-rejects"),
        (myths, {"a": True, "b": False, "c": False, "d": True}, "small-changes-free"),
        (myths, {"a": False, "b": True, "c": False, "d": True}, "qa-equals-qc"),
        (myths, {"a": False, "b": False, "c": True, "d": True}, "lessons-at-the-end"),
    ],
)
def test_misconceptions_are_named(exercise, answer, misconception):
    feedback = exercise.evaluate(answer)
    assert feedback.status == "incorrect"
    assert feedback.misconception is not None and feedback.misconception.id == misconception


@pytest.mark.parametrize("exercise", ALL)
def test_unanswered_and_broken_answers_never_raise(exercise):
    assert exercise.evaluate(...).status == "unanswered"
    assert exercise.evaluate(object()).status in ("incorrect", "error")
    assert exercise.hint() and exercise.solution()
