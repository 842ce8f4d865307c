"""Notebook 06's self-checks: right answers pass, each typical mistake gets its diagnosis."""

from __future__ import annotations

import pytest

from itpm_course.exercises import risk as ex

RIGHT = {
    "pi_score": (0.28, "high"),
    "grid_rounding": 0.04,
    "prioritise": ["B", "C", "A"],
    "emv_signs": (-10_000, 6_000),
    "decision_tree": ("upgrade", 46),
    "response_strategy": {
        "a": "avoid",
        "b": "transfer",
        "c": "mitigate",
        "d": "exploit",
        "e": "share",
        "f": "accept",
    },
    "contingency": 19_900,
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass(name):
    assert getattr(ex, name).evaluate(RIGHT[name]).passed


def test_all_exercises_are_listed_and_have_hints_and_solutions():
    assert {e.id.split(".")[1] for e in ex.ALL} == set(RIGHT)
    for exercise in ex.ALL:
        assert exercise.id.startswith("06.")
        assert exercise.hints and exercise.solution_text and exercise.var
        assert exercise.evaluate(...).status == "unanswered"
        assert exercise.evaluate(None).status == "unanswered"


def test_forgiving_spellings_pass():
    assert ex.pi_score.evaluate([0.28, " High "]).passed
    assert ex.prioritise.evaluate("b, c, a").passed
    assert ex.decision_tree.evaluate(("Upgrade", 46.0)).passed
    assert ex.response_strategy.evaluate(
        {k.upper(): v.title() for k, v in RIGHT["response_strategy"].items()}
    ).passed


def test_solutions_state_the_answers_the_checks_accept():
    assert "0.28" in ex.pi_score.solution_text and "high" in ex.pi_score.solution_text
    assert "0.04" in ex.grid_rounding.solution_text
    assert "['B', 'C', 'A']" in ex.prioritise.solution_text
    assert "-10_000, 6_000" in ex.emv_signs.solution_text
    assert "('upgrade', 46)" in ex.decision_tree.solution_text
    assert "19_900" in ex.contingency.solution_text


def test_every_response_case_uses_a_strategy_of_its_kind():
    from itpm_course.plan.risks import STRATEGIES

    for kind, _text, strategy in ex.RESPONSE_CASES.values():
        assert strategy in STRATEGIES[kind]
    assert set(ex.response_cases()) == set(RIGHT["response_strategy"])


def _responses(**changes):
    return {**RIGHT["response_strategy"], **changes}


@pytest.mark.parametrize(
    ("name", "answer", "misconception", "fragment"),
    [
        ("pi_score", (1.1, "high"), "pi-add", "probability + impact"),
        ("pi_score", (16, "high"), "ordinal-on-pmbok", "rating × rating"),
        ("grid_rounding", 0.03, "python-round", "round(0.7 * 0.05, 2)"),
        ("prioritise", ["A", "B", "C"], "high-probability-first", "A is the most likely risk"),
        ("emv_signs", (-10_000, -6_000), "opportunity-negative", "-6,000"),
        ("emv_signs", (10_000, 6_000), "threat-positive", "+10,000"),
        ("emv_signs", (-40_000, 15_000), "emv-without-probability", "leaves out the probability"),
        ("decision_tree", ("build", 156), "decision-ignores-investment", "investment of 120"),
        ("decision_tree", ("upgrade", 96), "decision-ignores-investment", "investment of 50"),
        ("decision_tree", ("build", 36), "decision-best-case", "best single outcome"),
        ("response_strategy", _responses(d="avoid"), "mirror-strategy", "its mirror is 'exploit'"),
        ("response_strategy", _responses(e="transfer"), "mirror-strategy", "its mirror is 'share'"),
        ("response_strategy", _responses(c="enhance"), "mirror-strategy", "its mirror is 'mitigate'"),
        ("response_strategy", _responses(d="enhance"), "exploit-vs-enhance", "(d) is not 'enhance'"),
        ("contingency", 18_700, "accept-no-reserve", "accepted"),
        ("contingency", 16_500, "opportunities-offset", "subtracts the opportunities"),
        ("contingency", 20_200, "closed-risks-count", "R11"),
        ("contingency", 86_400, "emv-without-probability", "sum of the impacts"),
    ],
)  # fmt: skip
def test_each_misconception_fires(name, answer, misconception, fragment):
    feedback = getattr(ex, name).evaluate(answer)
    assert feedback.status == "incorrect"
    assert feedback.misconception is not None and feedback.misconception.id == misconception
    assert fragment in feedback.message
    assert feedback.misconception.name in str(feedback)


def test_every_named_misconception_is_reachable():
    # each misconception in the table is used by at least one case above
    import inspect

    source = inspect.getsource(ex)
    for mid in ex.MISCONCEPTIONS:
        assert source.count(f'"{mid}"') >= 2, mid


@pytest.mark.parametrize(
    ("name", "answer", "fragment"),
    [
        ("pi_score", (0.28, "medium"), "is not 'medium'"),
        ("pi_score", 0.28, "give a pair"),
        ("pi_score", (0.3, "high"), "not 0.7 × 0.4"),
        ("grid_rounding", 0.035, "exact product"),
        ("grid_rounding", "0.04x", "should be a number"),
        ("prioritise", ["B", "C"], "rank exactly the three"),
        ("prioritise", ["C", "B", "A"], "compare the scores"),
        ("emv_signs", 5, "give a pair"),
        ("decision_tree", ("renovate", 46), "choose one of"),
        ("decision_tree", ("upgrade", 40), "'upgrade' is right"),
        ("response_strategy", ["avoid"], "give a dict"),
        ("response_strategy", {"a": "avoid"}, "no strategy for b, c, d, e, f"),
        ("response_strategy", _responses(a="ignore"), "not one of"),
        ("contingency", -19_900, "positive number"),
        ("contingency", 5_825, "after the responses"),
        ("contingency", 12_345, "not the sum"),
    ],
)  # fmt: skip
def test_other_wrong_answers_get_specific_feedback(name, answer, fragment):
    feedback = getattr(ex, name).evaluate(answer)
    assert feedback.status == "incorrect"
    assert fragment in feedback.message


def test_expected_answers_come_from_the_engine():
    from itpm_course.engine.risk import DEFAULT_MATRIX, best_decision

    assert float(DEFAULT_MATRIX.cell_score(ex.SCORE_P, ex.SCORE_I)) == 0.28
    assert float(DEFAULT_MATRIX.cell_score(ex.ROUND_P, ex.ROUND_I)) == 0.04
    assert best_decision(ex.DECISION) == ("upgrade", {"build": 36.0, "upgrade": 46.0})
