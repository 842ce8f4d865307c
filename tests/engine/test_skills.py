"""Skills self-assessment and development plan."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.engine.skills import assess_skills, development_plan, skill_ids


def test_assessment_gaps_and_priorities():
    df = assess_skills({"risk_management": 1, "leadership": 4, "communication": 5}, "mid")
    row = df.set_index("skill_id")
    assert (
        row.loc["risk_management", "gap"] == 3 and row.loc["risk_management", "priority"] == "high"
    )
    assert row.loc["leadership", "gap"] == 0 and row.loc["leadership", "priority"] == "none"
    assert row.loc["communication", "gap"] == 0  # never negative
    assert bool(row.loc["risk_management", "stage_focus"])
    assert list(df["priority"]) == sorted(
        df["priority"], key=["high", "medium", "low", "none"].index
    )
    assert len(df) == len(skill_ids())


def test_unrated_skills_count_as_zero():
    df = assess_skills({}, "entry").set_index("skill_id")
    assert df.loc["planning_execution", "rating"] == 0 and df.loc["planning_execution", "gap"] == 3


def test_development_plan_takes_top_gaps():
    plan = development_plan(assess_skills({}, "senior"), max_items=3)
    assert len(plan) == 3
    assert all(item["priority"] == "high" and item["action"] for item in plan)
    assert {item["goal_kind"] for item in plan} <= {
        "technical",
        "delivery",
        "leadership",
        "network",
        "personal",
    }
    full = {s: 5 for s in skill_ids()}
    assert development_plan(assess_skills(full, "senior")) == []


@pytest.mark.parametrize(
    ("ratings", "stage", "message"),
    [
        ({"juggling": 3}, "mid", "ratings: unknown skill 'juggling'"),
        ({"leadership": 6}, "mid", "ratings: 'leadership' must be a number from 0 to 5"),
        ({"leadership": -1}, "mid", "must be a number from 0 to 5"),
        ({"leadership": "high"}, "mid", "must be a number from 0 to 5"),
        ({}, "guru", "target_stage: must be one of"),
        ([("leadership", 3)], "mid", "ratings: expected a mapping"),
    ],
)
def test_errors_name_the_field(ratings, stage, message):
    with pytest.raises(ValueError, match=message):
        assess_skills(ratings, stage)


def test_plan_errors():
    with pytest.raises(ValueError, match="max_items: must be a positive integer"):
        development_plan(assess_skills({}, "mid"), max_items=0)
    with pytest.raises(ValueError, match="assessment: expected the DataFrame"):
        development_plan({"gap": 1})


@settings(max_examples=100, deadline=None)
@given(
    ratings=st.dictionaries(st.sampled_from(skill_ids()), st.integers(0, 5)),
    stage=st.sampled_from(["foundation", "entry", "mid", "senior"]),
    skill=st.sampled_from(skill_ids()),
)
def test_raising_a_rating_never_widens_its_gap(ratings, stage, skill):
    before = assess_skills(ratings, stage).set_index("skill_id").loc[skill, "gap"]
    better = {**ratings, skill: 5}
    after = assess_skills(better, stage).set_index("skill_id").loc[skill, "gap"]
    assert 0 <= after <= before
