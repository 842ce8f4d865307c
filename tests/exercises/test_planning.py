"""Notebook 05's self-checks: right answers pass, each typical mistake gets its diagnosis."""

from __future__ import annotations

import pytest

from itpm_course.exercises import planning as ex

RIGHT = {
    "wbs_rollup": 17_500,
    "pert_mean": 7.0,
    "forward_pass": {"A": 0, "B": 3, "D": 3, "C": 8, "G": 9, "E": 12, "F": 14},
    "critical_path": ["A", "B", "C", "E", "F"],
    "floats": (3, 0),
    "link_entry": "C SS+2",
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass(name):
    exercise = getattr(ex, name)
    assert exercise.evaluate(RIGHT[name]).passed


def test_all_exercises_are_listed_and_have_hints_and_solutions():
    assert {e.id.split(".")[1] for e in ex.ALL} == set(RIGHT)
    for exercise in ex.ALL:
        assert exercise.hints and exercise.solution_text and exercise.var
        assert exercise.evaluate(...).status == "unanswered"


def test_solutions_state_the_same_answers_the_checks_accept():
    assert "17,500" in ex.wbs_rollup.solution_text
    assert "A 0, B 3, D 3, C 8, G 9, E 12, F 14" in ex.forward_pass.solution_text


@pytest.mark.parametrize(
    ("name", "answer", "misconception", "fragment"),
    [
        ("wbs_rollup", 20_000, "children-exceed-parent", "more than the parent"),
        ("wbs_rollup", 10_000, "children-exceed-parent", "belong to no work package"),
        ("pert_mean", 8, "triangular-mean", "plain average"),
        ("pert_mean", 6, "most-likely-is-expected", "most likely"),
        ("pert_mean", 9, "midpoint", "halfway"),
        (
            "forward_pass",
            {"A": 0, "B": 3, "D": 3, "C": 8, "G": 9, "E": 9, "F": 14},
            "earliest-predecessor",
            "task E starts on day 9 but its predecessor C finishes on day 12",
        ),
        (
            "forward_pass",
            {"A": 1, "B": 4, "D": 4, "C": 9, "G": 10, "E": 13, "F": 15},
            "one-based-days",
            "one more",
        ),
        (
            "critical_path",
            ["A", "B", "D", "E", "F"],
            "longest-tasks",
            "task D (6 days) has 3 days of total float",
        ),
        ("floats", (3, 3), "free-equals-total", "G starts right when D finishes"),
        ("link_entry", "C FS+2", "fs-for-overlap", "wait for the build to finish"),
        ("link_entry", "C SS-2", "lead-lag-sign", "BEFORE"),
    ],
)
def test_typical_mistakes_get_a_diagnosis(name, answer, misconception, fragment):
    fb = getattr(ex, name).evaluate(answer)
    assert fb.status == "incorrect"
    assert fb.misconception is not None and fb.misconception.id == misconception
    assert fragment in fb.message


@pytest.mark.parametrize(
    ("name", "answer", "fragment"),
    [
        ("forward_pass", [0, 3], "give a dict"),
        ("forward_pass", {"A": 0}, "no early start for task(s) B"),
        ("forward_pass", {**RIGHT["forward_pass"], "Z": 1}, "no task 'Z'"),
        ("forward_pass", {**RIGHT["forward_pass"], "G": 12}, "task G could start on day 9"),
        ("critical_path", ["A", "B", "C", "F"], "task E has zero total float"),
        ("critical_path", ["B", "A", "C", "E", "F"], "in the order they happen"),
        ("critical_path", "A B C E F X", "no task 'X'"),
        ("floats", 3, "give a pair"),
        ("floats", (2, 0), "late start minus its early start"),
        ("link_entry", 5, "as text"),
        ("link_entry", "C XX+2", "not one of FS, SS, FF, SF"),
        ("link_entry", "B SS+2", "should point at C"),
        ("link_entry", "C SS+3", "lag should be 2"),
    ],
)
def test_other_mistakes_get_specific_messages(name, answer, fragment):
    fb = getattr(ex, name).evaluate(answer)
    assert fb.status == "incorrect", fb
    assert fragment in fb.message


def test_critical_path_accepts_text_with_arrows():
    assert ex.critical_path.evaluate("A → B → C → E → F").passed


def test_expected_answers_come_from_the_engine():
    result = ex.mini_schedule()
    assert result.project_duration == 15
    assert result.critical_tasks == RIGHT["critical_path"]
