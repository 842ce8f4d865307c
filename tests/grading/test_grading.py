"""grading.check in-process: points, partial credit, messages, and tampering that must not pay."""

from __future__ import annotations

import sys
from importlib import reload

import pytest

import itpm_course.grading as grading
from itpm_course.grading import performance as perf

RIGHT = {"sv": -5000.0, "cv": -11500.0, "spi": 61000 / 66000, "cpi": 61000 / 72500}


def test_full_marks_return_the_points(capsys):
    assert grading.check("performance.indices", RIGHT) == 4.0
    assert "Full marks: 4 / 4" in capsys.readouterr().out


def test_partial_credit_returns_points_and_says_what_is_wrong(capsys):
    assert grading.check("performance.indices", {**RIGHT, "cpi": 0.8}) == 3.0
    out = capsys.readouterr().out
    assert "Partial credit: 3 / 4" in out and "cpi = EV / AC" in out
    assert "0.84" not in out  # the expected value is not given away


def test_no_credit_raises_a_learner_message():
    with pytest.raises(AssertionError, match="TCPI"):
        grading.check("performance.tcpi", 1.0)
    with pytest.raises(AssertionError, match="Not answered yet"):
        grading.check("performance.tcpi", None)
    with pytest.raises(AssertionError, match="could not be read"):
        grading.check("performance.tcpi", object())


def test_named_misconception():
    with pytest.raises(AssertionError, match="1 / CPI"):
        grading.check("performance.tcpi", 72500 / 61000)


def test_patched_engine_and_checkers_do_not_change_the_grade(monkeypatch):
    import itpm_course.engine.evm as evm
    import itpm_course.grading.questions as questions

    monkeypatch.setattr(evm, "evm_metrics", lambda *a, **k: None)
    monkeypatch.setattr(perf, "metrics", lambda: None)
    monkeypatch.setattr(questions, "grade", lambda key, answer: (2.0, 2.0, "ok"))
    before = {k: v for k, v in sys.modules.items() if k.startswith("itpm_course")}
    with pytest.raises(AssertionError):
        grading.check("performance.tcpi", 5.0)
    assert grading.check("performance.tcpi", (120000 - 61000) / (120000 - 72500)) == 2.0
    # The notebook's own (patched) modules are back in place afterwards.
    after = {k: v for k, v in sys.modules.items() if k.startswith("itpm_course")}
    assert after == before and evm.evm_metrics(1, 1, 1, 1) is None


def test_reload_restores_a_replaced_entry_point(monkeypatch):
    monkeypatch.setattr(grading, "check", lambda key, answer: 2.0)
    with pytest.raises(AssertionError):
        reload(grading).check("performance.tcpi", 5.0)


def test_an_answer_that_equals_anything_is_just_its_value():
    class Anything(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    with pytest.raises(AssertionError):
        grading.check("performance.tcpi", Anything(5.0))
    with pytest.raises(AssertionError):
        grading.check("risk.top3", [Anything(1.0)] * 3)


def test_plans_are_graded_as_data():
    from paths import FIXTURES

    from itpm_course.plan.io import load_plan

    plan = load_plan(FIXTURES / "plans" / "capstone_crm_cloud.yaml")
    raci = {str(k): {"A. Person": "A", "R. Person": "R"} for k in range(1, 6)}
    assert grading.check("capstone.risks", {"plan": plan, "raci": raci}) == 10.0
    # The case fixes the budget: raising it earns nothing, whatever else is right.
    data = plan.to_dict()
    data["budget"] = 900_000
    with pytest.raises(AssertionError, match="budget"):
        grading.check("capstone.risks", {"plan": data, "raci": raci})


def test_every_question_is_listed_with_points():
    points = grading.all_points()
    assert len(points) == 30 and all(p > 0 for p in points.values())
    assert grading.max_points("capstone.schedule") == 27
