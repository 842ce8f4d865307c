"""Rubric scoring and partial credit, the capstone reference plan, broken plans, over-allocation."""

from __future__ import annotations

import numpy as np
import pytest
from paths import FIXTURES
from validation_helpers import GOOD_RACI, good, plan_of, task

from itpm_course.data import sample_path
from itpm_course.plan import load_plan
from itpm_course.validation import check_plan, load_rubrics, score, validate
from itpm_course.validation.core import Context
from itpm_course.validation.rubrics import parse_rubrics
from itpm_course.validation.rules import resource_load

PLANS = FIXTURES / "plans"
CAPSTONE = PLANS / "capstone_crm_cloud.yaml"


@pytest.fixture(scope="module")
def capstone():
    return load_plan(CAPSTONE)


def test_rubrics_are_data_and_name_known_rules():
    rubrics = load_rubrics()
    assert {"basic", "scheduling", "risk", "capstone"} <= set(rubrics)
    richest = max(rubrics.values(), key=lambda r: len(r.codes))
    assert richest.name == "capstone"
    with pytest.raises(ValueError, match="unknown or missing rule codes"):
        parse_rubrics({"x": {"items": [{"text": "t", "rules": ["NOP001"]}]}})
    with pytest.raises(ValueError, match="unknown rubric"):
        score(plan_of(good()), "nope")


def test_reference_capstone_plan_gets_full_marks(capstone):
    result = score(capstone, "capstone", iterations=1000)
    assert result.score == result.max_score == 72
    assert result.full_marks
    assert len(result.lines) == len(load_rubrics()["capstone"].items)
    assert not [f for f in validate(capstone, iterations=1000) if f.severity != "info"]


def test_reference_plan_full_marks_on_every_rubric(capstone):
    for name in ("basic", "scheduling", "risk"):
        result = score(capstone, name, iterations=1000)
        assert result.score == result.max_score, result.feedback()


def test_reference_plan_shape(capstone):
    assert 25 <= len(capstone.tasks) <= 35
    assert capstone.budget is not None and capstone.deadline is not None
    assert {r.kind for r in capstone.risks} == {"threat", "opportunity"}
    assert all(t.has_estimate for t in capstone.tasks if t.duration > 0)


def test_partial_credit_is_the_share_of_items_passing():
    plan = load_plan(PLANS / "crm_overallocated.yaml")
    result = score(plan, "capstone", iterations=500)
    lines = {line.item.id: line for line in result.lines}
    # 24 work packages, one without an owner
    assert lines["owners"].points == round(3 * 23 / 24, 2)
    assert "MAP" in lines["owners"].feedback
    # resources: RES001 1 of 13 resources over, RES002 1 of 22 activities unassigned
    assert lines["resources"].points == round(5 * ((1 - 1 / 13) + (1 - 1 / 22)) / 2, 2)
    assert result.score == pytest.approx(sum(line.points for line in result.lines))
    assert result.max_score == 72 and not result.full_marks


def test_all_or_nothing_items_and_not_applicable():
    data = good()
    data["deadline"] = "2026-01-08"
    result = score(plan_of(data), "capstone", iterations=300)
    lines = {line.item.id: line for line in result.lines}
    assert lines["deadline"].points == 0
    assert lines["stakeholders"].share is None and lines["stakeholders"].points == 4
    assert "not assessed" in lines["stakeholders"].feedback
    with_raci = score(plan_of(data), "capstone", raci={"T": {"Cy": "R"}}, iterations=300)
    stk = {line.item.id: line for line in with_raci.lines}["stakeholders"]
    assert 0 < stk.points < 4  # STK001 fails, STK002 and STK003 pass
    risk = score(plan_of({k: v for k, v in good().items() if k != "risks"}), "risk")
    by_id = {line.item.id: line for line in risk.lines}
    assert by_id["register"].points == 0 and by_id["owners"].points == 0


def test_rubric_feedback_has_a_line_per_item():
    result = score(plan_of(good()), "scheduling", raci=GOOD_RACI)
    text = result.feedback()
    assert text.splitlines()[0].startswith("Scheduling assignment:")
    assert len(text.splitlines()) == 1 + len(result.lines)
    assert set(result.to_dict()) == {"rubric", "score", "max_score", "items"}


BROKEN = {
    "crm_late_over_budget.yaml": {"SCH001", "BUD001", "BUD002"},
    "crm_overallocated.yaml": {"RES001", "WBS005", "RES002"},
    "crm_untested_risky.yaml": {"QUA001", "RSK002", "RSK003", "RSK004", "RSK005", "RSK006"},
    "crm_bad_logic.yaml": {
        "SCH002", "SCH003", "STR002", "STR004", "STR005", "STR006", "STR007", "STR011",
        "STR012", "WBS001", "WBS002", "WBS006",
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_plans_get_their_specific_findings(name):
    report = check_plan(load_plan(PLANS / name), "capstone", iterations=500)
    found = {f.code for f in report.findings if not f.message.startswith("not checked")}
    assert BROKEN[name] <= found
    assert not report.ok
    assert report.result.score < report.result.max_score


def test_broken_plan_details():
    findings = validate(load_plan(PLANS / "crm_overallocated.yaml"), rules=["RES001"])
    (f,) = findings
    assert f.location.kind == "resource" and f.location.id == "Architect"
    assert "6 working days (days 20-25" in f.message and "peak load 2" in f.message
    assert "capacity of 1" in f.message
    qua = validate(load_plan(PLANS / "crm_untested_risky.yaml"), rules=["QUA001"])
    assert {f.location.id for f in qua} == {"M4", "CUT", "LIVE"}
    sch = validate(load_plan(PLANS / "crm_bad_logic.yaml"), rules=["SCH002"])
    assert [f.location.id for f in sch] == ["TRIAL"]


def test_over_allocation_numbers_on_a_hand_computed_case():
    # R (capacity 1): A days 0-2, B days 0-1, C days 2-5 (after B) -> load 2,2,2,1,1,1
    # W (capacity 2): same tasks -> never over
    data = {
        "name": "Load",
        "start": "2026-01-05",
        "resources": [{"id": "R", "capacity": 1}, {"id": "W", "capacity": 2}],
        "tasks": [
            {"id": "S", "name": "Start approved", "duration": 0},
            {"id": "A", "duration": 3, "predecessors": ["S"], "resources": ["R", "W"]},
            {"id": "B", "duration": 2, "predecessors": ["S"], "resources": ["R", "W"]},
            {"id": "C", "duration": 4, "predecessors": ["B"], "resources": ["R"]},
            {"id": "F", "name": "Finish done", "duration": 0, "predecessors": ["A", "C"]},
        ],
    }
    plan = plan_of(data)
    ids, load = resource_load(Context(plan))
    assert ids == ["R", "W"]
    np.testing.assert_array_equal(load, [[2, 2, 2, 1, 1, 1], [2, 2, 1, 0, 0, 0]])
    (f,) = validate(plan, rules=["RES001"])
    assert f.location.id == "R"
    assert f.message.startswith(
        "is over-allocated on 3 working days (days 0-2, 2026-01-05 to 2026-01-07)"
    )
    assert "peak load 2 on day 0 against a capacity of 1" in f.message


def test_sample_server_migration_findings():
    # the course's first sample plan is a teaching case: over-allocation and FF/SS criticality
    findings = validate(load_plan(sample_path()), iterations=500)
    codes = {f.code for f in findings if f.severity == "error"}
    assert {"RES001", "SCH002", "RSK001"} <= codes
    dba = next(f for f in findings if f.code == "RES001" and f.location.id == "DBA")
    assert "5 working days" in dba.message


def test_summary_task_cost_not_double_counted_in_monte_carlo():
    data = good()
    task(data, "S")["wbs"] = "0"
    for t in data["tasks"][1:]:
        t["wbs"] = "1" + t["wbs"][1:]
    data["tasks"].insert(
        3,
        {"id": "P", "name": "Delivery complete (milestone)", "duration": 0,
         "predecessors": ["T"], "wbs": "1", "owner": "Ann", "cost": 3700},
    )  # fmt: skip
    task(data, "G")["predecessors"] = ["P"]
    ctx = Context(plan_of(data), iterations=300)
    assert ctx.base_cost == 3700
    assert ctx.simulation.base_cost == 3700
