"""Notebook 08 self-checks: right answers pass, typical wrong ones name the misconception."""

from __future__ import annotations

import pytest

from itpm_course.exercises.evm import ALL, cpi_spi, eac_choice, reading, spi_t_late, tcpi


def test_every_exercise_has_hints_and_solution_and_handles_unanswered():
    assert len(ALL) >= 3
    for ex in ALL:
        assert ex.hints and ex.solution_text and ex.id.startswith("08.")
        assert ex.evaluate(...).status == "unanswered"
        assert ex.evaluate(object()).status in ("incorrect", "error")


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        (cpi_spi, (100_000 / 90_000, 100_000 / 120_000)),
        (cpi_spi, (1.11, 0.83)),
        (reading, "B"),
        (eac_choice, "budget_rate"),
        (eac_choice, 125_000),
        (spi_t_late, 10 / 13),
        (tcpi, 100_000 / 95_000),
    ],
)
def test_right_answers(exercise, answer):
    fb = exercise.evaluate(answer)
    assert fb.passed, fb.message


@pytest.mark.parametrize(
    ("exercise", "answer", "misconception"),
    [
        (cpi_spi, (0.833, 1.111), "swapped-indices"),
        (cpi_spi, (0.9, 0.833), "inverted-ratio"),
        (reading, "a", "spi-is-cost"),
        (eac_choice, "bac_over_cpi", "bac-over-cpi-always"),
        (eac_choice, 150_000, "bac-over-cpi-always"),
        (spi_t_late, 1.0, "spi-recovers"),
        (spi_t_late, 1.3, "inverted-ratio"),
        (tcpi, 0.8, "tcpi-is-cpi"),
    ],
)
def test_misconceptions(exercise, answer, misconception):
    fb = exercise.evaluate(answer)
    assert fb.status == "incorrect"
    assert fb.misconception is not None and fb.misconception.id == misconception


def test_wrong_types_give_feedback():
    assert "pair" in cpi_spi.evaluate(1.1).message
    assert "one letter" in reading.evaluate("z").message
    assert "variants" in eac_choice.evaluate("guess").message
    assert eac_choice.evaluate(1).status == "incorrect"
