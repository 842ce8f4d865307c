"""Notebook 09 self-checks: right answers pass, typical wrong ones name their misconception."""

from __future__ import annotations

import pytest

from itpm_course.exercises import agile as ex


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        (ex.velocity_mean, 28),
        (ex.commitment_p85, ex.sponsor_forecast().percentiles["P85"]),
        (ex.littles_law_cycle, 3),
        (ex.lead_time_days, 3),
        (ex.compare_teams, "c"),
    ],
)
def test_right_answers(exercise, answer):
    fb = exercise.evaluate(answer)
    assert fb.passed, fb.message


@pytest.mark.parametrize(
    ("exercise", "answer", "misconception"),
    [
        (ex.velocity_mean, 32, "committed-is-velocity"),
        (ex.commitment_p85, 18, "average-is-safe"),
        (ex.littles_law_cycle, 48, "littles-law-upside-down"),
        (ex.littles_law_cycle, 1 / 3, "littles-law-upside-down"),
        (ex.lead_time_days, 2, "exclusive-days"),
        (ex.compare_teams, "a", "velocity-compares-teams"),
        (ex.compare_teams, "D", "velocity-compares-teams"),
    ],
)
def test_misconceptions(exercise, answer, misconception):
    fb = exercise.evaluate(answer)
    assert fb.status == "incorrect"
    assert fb.misconception is not None and fb.misconception.id == misconception


def test_p85_is_beyond_the_average():
    f = ex.sponsor_forecast()
    naive = ex.BACKLOG / (sum(ex.WEEKLY_THROUGHPUT) / len(ex.WEEKLY_THROUGHPUT))
    assert f.percentiles["P85"] > naive + 2
    assert f.probability_by(f.percentiles["P85"]) >= 0.85


@pytest.mark.parametrize("exercise", ex.ALL)
def test_unanswered_and_broken_answers_never_raise(exercise):
    assert exercise.evaluate(...).status == "unanswered"
    assert exercise.evaluate(object()).status in ("incorrect", "error")
    assert exercise.hint().startswith("**Hint 1")
    assert exercise.solution()


def test_other_wrong_answers_get_specific_feedback():
    assert "all six" in ex.velocity_mean.evaluate(158 / 6).message
    assert "P95" in ex.commitment_p85.evaluate(ex.sponsor_forecast().percentiles["P95"]).message
    assert "days" in ex.littles_law_cycle.evaluate(21).message
    assert "one letter" in ex.compare_teams.evaluate("e").message
