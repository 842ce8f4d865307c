"""Career stage, next-stage gap and timeline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.content import STAGE_IDS
from itpm_course.engine.career import (
    CareerProfile,
    career_report,
    classify_stage,
    estimate_timeline,
    find_title,
    next_stage_gap,
    stage_from_years,
)


@pytest.mark.parametrize(
    ("years", "stage"),
    [
        (0, "foundation"),
        (1.99, "foundation"),
        (2, "entry"),
        (3.9, "entry"),
        (4, "mid"),
        (6.9, "mid"),
        (7, "senior"),
        (30, "senior"),
    ],
)
def test_stage_from_years_uses_guide_bands(years, stage):
    assert stage_from_years(years) == stage


@pytest.mark.parametrize(
    ("years_it", "years_pm", "stage"),
    [
        (1, 0, "foundation"),
        (10, 0, "foundation"),
        (3, 1, "entry"),
        (5, 3, "mid"),
        (10, 3, "mid"),
        (9, 6, "senior"),
        (0, 10, "entry"),
    ],
)
def test_classify_by_experience(years_it, years_pm, stage):
    result = classify_stage(CareerProfile(years_it, years_pm))
    assert result.stage == stage and result.basis == "experience" and result.reasons


def test_title_outranks_years():
    res = classify_stage(CareerProfile(2, 0.5, current_title="scrum master"))
    assert (res.stage, res.basis, res.title_level) == ("mid", "title", "mid")
    assert (
        classify_stage(CareerProfile(12, 10, current_title="Chief Information Officer (CIO)")).stage
        == "senior"
    )
    assert classify_stage(CareerProfile(1, 0, current_title="Developer")).stage == "foundation"
    unknown = classify_stage(CareerProfile(3, 1, current_title="Wizard"))
    assert unknown.basis == "experience" and "not in the guide" in unknown.reasons[-1]


def test_find_title():
    assert find_title("it project manager")["level"] == "mid"
    assert find_title("PMO Lead")["stage"] == "senior"
    assert find_title("Director of IT Strategy and Planning")["level"] == "director"
    assert find_title("astronaut") is None


def test_next_stage_gap_lists_titles_years_and_skills():
    gap = next_stage_gap(CareerProfile(3, 1, skills=["Risk Management", "leadership"]))
    assert gap.next_stage == "mid"
    assert "IT Project Manager" in gap.next_titles
    assert gap.years_to_next == 1.0
    assert "Risk Management" in gap.skills_in_place and "Leadership" in gap.skills_in_place
    assert "Stakeholder engagement" in gap.skills_to_build
    assert gap.actions[0].startswith("gain about 1")


def test_senior_next_titles_are_director_and_executive():
    gap = next_stage_gap(CareerProfile(12, 9))
    assert gap.next_stage is None
    assert "Chief Information Officer (CIO)" in gap.next_titles


def test_timeline_accelerators_and_degree():
    base = estimate_timeline(CareerProfile(0))
    assert (base.expected_years, base.min_years, base.max_years) == (7, 3, 7)
    fast = estimate_timeline(
        CareerProfile(0, relevant_degree=True),
        ["hands_on_it", "volunteer_coordination", "networking"],
    )
    assert fast.expected_years == 3
    assert set(fast.factors_met) == {
        "relevant_degree",
        "skill_development",
        "early_responsibility",
        "networking_mentorship",
    }
    assert estimate_timeline(CareerProfile(6, 4)).reached
    partial = estimate_timeline(CareerProfile(2, 0), ["pm_training"])
    assert partial.expected_years == 6 and partial.remaining_years == 4
    assert len(partial.suggestions) == 5


def test_career_report_is_json_ready():
    import json

    report = career_report(CareerProfile(3, 1))
    assert json.loads(json.dumps(report))["stage"]["stage"] == "entry"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"years_it": -1}, "years_it: must be a finite number"),
        ({"years_it": float("nan")}, "years_it: must be a finite number"),
        ({"years_it": 2, "years_pm": 99}, "years_pm: 99 years is more than a working life"),
        ({"years_it": 2, "background": "pirate"}, "background: must be one of"),
        ({"years_it": 2, "current_title": "  "}, "current_title: must be a job title"),
    ],
)
def test_profile_errors_name_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CareerProfile(**kwargs)


def test_other_errors():
    with pytest.raises(ValueError, match="accelerators: unknown accelerator 'luck'"):
        estimate_timeline(CareerProfile(1), ["luck"])
    with pytest.raises(ValueError, match="years: must be >= 0"):
        stage_from_years(-2)
    with pytest.raises(ValueError, match="profile: expected a CareerProfile"):
        classify_stage({"years_it": 3})


@settings(max_examples=200, deadline=None)
@given(it=st.floats(0, 40), pm=st.floats(0, 40), more=st.floats(0, 10))
def test_more_experience_never_lowers_stage(it, pm, more):
    order = STAGE_IDS.index
    a = classify_stage(CareerProfile(it, pm)).stage
    b = classify_stage(CareerProfile(it + more, pm)).stage
    c = classify_stage(CareerProfile(it, pm + more)).stage
    assert order(b) >= order(a) and order(c) >= order(a)


@settings(max_examples=100, deadline=None)
@given(
    it=st.floats(0, 40),
    pm=st.floats(0, 40),
    acc=st.lists(
        st.sampled_from(
            [
                "hands_on_it",
                "volunteer_coordination",
                "pm_training",
                "early_certification",
                "portfolio",
                "networking",
            ]
        )
    ),
)
def test_timeline_stays_within_guide_range(it, pm, acc):
    t = estimate_timeline(CareerProfile(it, pm), acc)
    assert 3 <= t.expected_years <= 7 and t.remaining_years >= 0
