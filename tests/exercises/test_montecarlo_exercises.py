"""Notebook 07's self-checks: right answers pass, typical mistakes get their diagnosis."""

from __future__ import annotations

import numpy as np
import pytest

from itpm_course.exercises import montecarlo as ex


@pytest.fixture(scope="module")
def result():
    return ex.exercise_result()


def test_exercises_have_hints_solutions_and_variables():
    assert len(ex.EXERCISES) == 3
    for exercise in ex.EXERCISES:
        assert exercise.id.startswith("07.")
        assert exercise.hints and exercise.solution_text and exercise.var
        assert exercise.evaluate(...).status == "unanswered"


def test_read_p80(result):
    p80 = round(result.percentile(80), 1)
    assert ex.read_p80.evaluate(p80).passed
    fb = ex.read_p80.evaluate(round(result.percentile(50), 1))
    assert fb.misconception.id == "p50-commitment"
    assert ex.read_p80.evaluate(0.8).misconception.id == "percentile-as-probability"
    fb = ex.read_p80.evaluate(result.deterministic_duration)
    assert fb.misconception.id == "most-likely-plan"
    assert "not P80" in ex.read_p80.evaluate(p80 + 5).message
    assert "should be a number" in ex.read_p80.evaluate("eighty").message


def test_attack_first(result):
    best = result.ids[int(np.abs(result.sensitivity).argmax())]
    assert ex.attack_first.evaluate(best).passed
    assert ex.attack_first.evaluate(best.lower()).passed
    assert "no task" in ex.attack_first.evaluate("NOPE").message
    assert "as a string" in ex.attack_first.evaluate(3).message
    quiet = [
        t
        for k, t in enumerate(result.ids)
        if result.criticality[k] < 0.5 and abs(result.sensitivity[k]) < 0.1
    ]
    if quiet:
        assert ex.attack_first.evaluate(quiet[0]).misconception.id == "off-critical-path"


def test_merge_bias():
    assert ex.merge_bias.evaluate("b").passed
    assert ex.merge_bias.evaluate(" B ").passed
    assert ex.merge_bias.evaluate("a").misconception.id == "sampling-noise"
    assert ex.merge_bias.evaluate("d").misconception.id == "pert-sum-exact"
    assert "exactly the mean" in ex.merge_bias.evaluate("c").message
    assert "one letter" in ex.merge_bias.evaluate("z").message


def test_simulated_mean_is_above_the_pert_path_sum(result):
    # the fact exercise 07.3 teaches, on the exercise's own data
    assert result.mean > result.expected_path_duration
