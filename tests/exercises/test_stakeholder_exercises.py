"""Notebook 12's self-checks: right answers pass, each typical mistake gets its diagnosis."""

from __future__ import annotations

import pytest

from itpm_course.exercises import stakeholders as ex

RIGHT = {
    "grid_quadrant": "keep satisfied",
    "raci_fix": {"PM": "I", "Sponsor": "I", "QA": "R", "App owners": "A", "Business users": "R"},
    "conflict_modes": {
        "a": "competing",
        "b": "avoiding",
        "c": "collaborating",
        "d": "accommodating",
        "e": "compromising",
    },
    "cfo_comms": "c",
    "escalation_level": 3,
    "team_stage": {
        "a": "forming",
        "b": "storming",
        "c": "norming",
        "d": "performing",
        "e": "adjourning",
    },
    "biggest_gap": "Business users",
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass(name):
    assert getattr(ex, name).evaluate(RIGHT[name]).passed


def test_all_listed_with_hints_solutions_and_unanswered():
    assert {e.id.split(".")[1] for e in ex.ALL} == set(RIGHT)
    for exercise in ex.ALL:
        assert exercise.id.startswith("12.") and exercise.hints and exercise.solution_text
        assert exercise.evaluate(...).status == "unanswered"


@pytest.mark.parametrize(
    ("name", "answer", "misconception"),
    [
        ("grid_quadrant", "monitor", "ignore-high-power"),
        ("grid_quadrant", "keep informed", "axes-swapped"),
        ("raci_fix", ex.UAT_ROW, "shared-accountability"),
        ("raci_fix", {"QA": "C", "App owners": "A"}, "a-without-r"),
        (
            "conflict_modes",
            {**RIGHT["conflict_modes"], "b": "collaborating"},
            "avoiding-always-wrong",
        ),
        ("cfo_comms", "a", "more-communication-better"),
        ("cfo_comms", "b", "more-communication-better"),
        ("cfo_comms", "d", "ignore-high-power"),
        ("escalation_level", 2, "one-threshold"),
        ("escalation_level", "Steering committee", "escalate-everything"),
        ("team_stage", {**RIGHT["team_stage"], "b": "failing"}, "storming-is-failure"),
        ("biggest_gap", "CISO", "attitude-is-gap"),
    ],
)
def test_misconceptions_are_named(name, answer, misconception):
    feedback = getattr(ex, name).evaluate(answer)
    assert feedback.status == "incorrect"
    assert feedback.misconception is not None and feedback.misconception.id == misconception


@pytest.mark.parametrize(
    ("name", "answer"),
    [
        ("grid_quadrant", "top left"),
        ("raci_fix", "A"),
        ("raci_fix", {"Boss": "A"}),
        ("raci_fix", {"QA": "CI"}),
        ("raci_fix", {"QA": "R"}),
        ("conflict_modes", {"a": "competing"}),
        ("conflict_modes", {**RIGHT["conflict_modes"], "a": "shouting"}),
        ("cfo_comms", "z"),
        ("escalation_level", "the CEO"),
        ("escalation_level", 1),
        ("team_stage", [1]),
        ("biggest_gap", "Nobody"),
        ("biggest_gap", "CFO"),
    ],
)
def test_other_wrong_answers_get_specific_feedback(name, answer):
    feedback = getattr(ex, name).evaluate(answer)
    assert feedback.status == "incorrect" and feedback.message


def test_forgiving_spellings():
    assert ex.grid_quadrant.evaluate(" Keep_Satisfied ").passed
    assert ex.escalation_level.evaluate("project sponsor").passed
    assert ex.escalation_level.evaluate("Sponsor").passed
    assert ex.raci_fix.evaluate({"QA": "A/R", "App owners": "c"}).passed
    assert ex.biggest_gap.evaluate("key business users").passed
