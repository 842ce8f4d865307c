"""The self-check framework: statuses, misconceptions, hint ladder, recording, no tracebacks."""

from __future__ import annotations

import pytest

from itpm_course.exercises import (
    Exercise,
    Incorrect,
    Misconception,
    NotAnswered,
    add_recorder,
    remove_recorder,
)
from itpm_course.exercises.core import MISSING, Feedback, as_number

MISC = {"off-by-one": Misconception("off-by-one", "counting from one", "day 0 is the start.")}


def _check(answer):
    value = as_number(answer, "The answer")
    if value == 43:
        raise Incorrect("43 is one too many.", "off-by-one")
    if value == 0:
        raise NotAnswered("zero means you have not tried yet.")
    if value != 42:
        raise Incorrect(f"{value:g} is not it.", score=0.5)
    return "Life, the universe and everything."


def make(**kw) -> Exercise:
    return Exercise(
        id="t.q1",
        prompt="What is the answer?",
        check_fn=_check,
        hints=["Think big.", "It is 6 × 7."],
        solution_text="`answer = 42`",
        var="answer",
        misconceptions=MISC,
        **kw,
    )


def test_correct_without_hints_is_praised():
    fb = make().check(42)
    assert fb.passed and bool(fb) and fb.status == "correct"
    assert "without hints" in fb.message and "universe" in fb.message
    assert fb.score == 1.0


def test_correct_after_hints_says_how_many():
    ex = make()
    ex.hint()
    ex.hint()
    fb = ex.check(42)
    assert fb.passed and "2 hints" in fb.message and fb.hints_used == 2


def test_correct_after_solution_is_not_praised_as_unaided():
    ex = make()
    assert "42" in ex.solution()
    fb = ex.check(42)
    assert fb.passed and "after viewing the solution" in fb.message


def test_incorrect_names_the_misconception():
    fb = make().check(43)
    assert fb.status == "incorrect" and not fb.passed
    assert fb.misconception is MISC["off-by-one"]
    assert "counting from one" in str(fb) and "day 0" in fb._repr_html_()


def test_partial_score_is_carried():
    fb = make().check(40)
    assert fb.status == "incorrect" and fb.score == 0.5 and fb.misconception is None


@pytest.mark.parametrize("answer", [MISSING, None, ...])
def test_unanswered(answer):
    ex = Exercise(id="t.q2", prompt="Say something.", check_fn=_check)
    fb = ex.evaluate(answer)
    assert fb.status == "unanswered" and "Say something." in fb.message


def test_not_answered_raised_by_check():
    fb = make().check(0)
    assert fb.status == "unanswered" and "zero" in fb.message


def test_wrong_type_is_feedback_not_traceback():
    fb = make().check("forty-two")
    assert fb.status == "incorrect" and "should be a number" in fb.message


def test_crashing_check_becomes_error_feedback():
    def boom(answer):
        return answer["key"]

    fb = Exercise(id="t.q3", prompt="p", check_fn=boom).check([1, 2])
    assert fb.status == "error" and "TypeError" in fb.message
    assert "Traceback" not in str(fb)


def test_hint_ladder_stops_at_last_and_can_jump():
    ex = make()
    assert "Hint 1 of 2" in ex.hint() and "again" in ex.hint(1)
    assert "Hint 2 of 2" in ex.hint()
    assert "Hint 2 of 2" in ex.hint()  # stays on the last hint
    assert "again" not in ex.hint(2)
    assert "no hint" in Exercise(id="x", prompt="p", check_fn=_check).hint()


def test_check_reads_the_notebook_variable_from_caller_globals():
    ex = make()
    globals()["answer"] = 42
    try:
        assert ex.check().passed
    finally:
        del globals()["answer"]
    assert ex.check().status == "unanswered"


def test_recorders_get_every_check_and_cannot_break_it():
    seen = []

    def good(exercise_id, feedback, seconds):
        seen.append((exercise_id, feedback.status, seconds >= 0))

    def bad(*args):
        raise RuntimeError("disk full")

    add_recorder(good)
    add_recorder(bad)
    try:
        make().check(42)
        make().check(1)
    finally:
        remove_recorder(good)
        remove_recorder(bad)
    assert seen == [("t.q1", "correct", True), ("t.q1", "incorrect", True)]


def test_feedback_renders_html_escaped():
    fb = Feedback("x", "incorrect", "<script>alert(1)</script>")
    assert "<script>" not in fb._repr_html_() and "&lt;script&gt;" in fb._repr_html_()
