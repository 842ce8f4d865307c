"""Plan vs actual by phase, the lessons-learned register and the post-project review."""

from __future__ import annotations

import pandas as pd
import pytest

from itpm_course.data import sample_path, sample_plan
from itpm_course.engine.closure import (
    Lesson,
    LessonsRegister,
    plan_vs_actual,
    post_project_review,
    read_actuals,
    review_template,
)
from itpm_course.errors import PlanError
from itpm_course.plan import plan_from_csv_text

PHASES = {"1": "Initiation and design", "2": "Infrastructure", "3": "Migration", "4": "Closure"}
SMALL = """\
id,duration,predecessors,wbs,cost
A,2,,1.1,100
B,3,A,1.2,300
C,4,B,2.1,400
"""


def test_hand_worked_plan_vs_actual():
    plan = plan_from_csv_text(SMALL, start="2026-01-05")
    actuals = [
        {"task": "A", "actual_duration": 3, "actual_cost": 150},
        {"task": "B", "actual_duration": 3, "actual_cost": 300},
        {"task": "C", "actual_duration": 2, "actual_cost": 500},
    ]
    table = plan_vs_actual(plan, actuals, phases={"1": "Design"})
    phase1, phase2, total = table.loc["1"], table.loc["2"], table.loc["total"]
    assert phase1["name"] == "Design" and phase2["name"] == "WBS 2"
    assert (phase1["planned_days"], phase1["actual_days"], phase1["schedule_variance"]) == (
        5,
        6,
        -1,
    )
    # phase 2 is shorter (2 vs 4 days) but starts a day late: finishes a day early overall
    assert (phase2["schedule_variance"], phase2["finish_variance"]) == (2, 1)
    assert (phase1["cost_variance"], phase2["cost_variance"]) == (-50, -100)
    assert (total["planned_days"], total["actual_days"], total["cost_variance"]) == (9, 8, -150)
    assert total["cost_variance_pct"] == pytest.approx(-150 / 800)


def test_sample_plan_vs_actual():
    table = plan_vs_actual(
        sample_plan("server_migration"), sample_path("actuals_server_migration.csv"), phases=PHASES
    )
    assert list(table.index) == ["1", "2", "3", "4", "total"]
    assert table.loc["total", "planned_cost"] == 129_800
    assert table.loc["total", "actual_days"] == 54


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"task": "A", "actual_duration": 1, "actual_cost": 1}], "no actual for task 'B'"),
        ([{"task": "Z", "actual_duration": 1, "actual_cost": 1}], "unknown task 'Z'"),
        ([{"task": "A", "actual_duration": -1, "actual_cost": 1}], "actual_duration must be"),
        ([{"task": "A", "actual_cost": 1}], "missing column"),
    ],
)
def test_actuals_errors(rows, message):
    plan = plan_from_csv_text(SMALL, start="2026-01-05")
    with pytest.raises(ValueError, match=message):
        plan_vs_actual(plan, rows)


def test_read_actuals_rejects_duplicates():
    with pytest.raises(ValueError, match="appears twice"):
        read_actuals(
            pd.DataFrame({"task": ["A", "A"], "actual_duration": [1, 1], "actual_cost": [1, 1]})
        )


def test_lessons_register_round_trip(tmp_path):
    register = LessonsRegister.load(sample_path("lessons_server_migration.csv"))
    assert len(register) == 6
    assert register.counts().loc["schedule", "improve"] == 2
    path = tmp_path / "lessons.csv"
    register.save(path)
    assert LessonsRegister.load(path).to_frame().equals(register.to_frame())
    md = register.to_markdown()
    assert "### What went well" in md and "**Next time:**" in md


def test_lessons_register_errors():
    ok = {"id": "L1", "title": "t", "category": "risk", "kind": "improve", "recommendation": "r"}
    with pytest.raises(PlanError, match="unknown category 'weather'"):
        LessonsRegister.from_records([{**ok, "category": "weather"}])
    with pytest.raises(PlanError, match="kind must be one of"):
        LessonsRegister.from_records([{**ok, "kind": "bad"}])
    with pytest.raises(PlanError, match="only a story"):
        LessonsRegister([Lesson("L1", "t", "risk", "improve", recommendation="")])
    with pytest.raises(PlanError, match="duplicate lesson id"):
        LessonsRegister.from_records([ok, ok])
    with pytest.raises(PlanError, match="expected a date"):
        LessonsRegister.from_records([{**ok, "recorded": "yesterday"}])


def test_review_template_and_filled_review():
    template = review_template()
    assert template.count("\n## ") == 10 and "## Sign-off" in template
    plan = sample_plan("server_migration")
    review = post_project_review(
        plan,
        actuals=sample_path("actuals_server_migration.csv"),
        lessons=LessonsRegister.load(sample_path("lessons_server_migration.csv")),
        phases=PHASES,
        quality={"Defect escape rate": "8%"},
    )
    assert "took 54 working days and cost 141,800" in review
    assert "| 3 Migration | 18 | 20 | -2 |" in review
    assert "- Defect escape rate: 8%" in review
    assert "_Sponsor and key stakeholders accept the closure._" in review
