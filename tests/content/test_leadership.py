"""Leadership and stakeholder content: complete models, known references, consistent scenarios."""

from __future__ import annotations

import pytest

from itpm_course.content import people
from itpm_course.plan.stakeholders import CHANNELS, ENGAGEMENT_LEVELS, FREQUENCIES


def test_tuckman_has_five_stages_in_order_with_pm_actions():
    stages = people.load_tuckman_stages()
    assert tuple(stages["id"]) == people.TUCKMAN_STAGES
    assert list(stages["order"]) == [1, 2, 3, 4, 5]
    assert all(len(a) >= 2 for a in stages["pm_does"])
    refs = people.load_leadership_references()
    assert stages.set_index("id").loc["adjourning", "reference"] == "tuckman-jensen-1977"
    assert "1977" in refs["tuckman-jensen-1977"] and "1965" in refs["tuckman-1965"]


def test_thomas_kilmann_axes():
    modes = people.load_conflict_modes().set_index("id")
    assert tuple(modes.index) == people.TK_MODES
    axes = {m: (r.assertiveness, r.cooperativeness) for m, r in modes.iterrows()}
    assert axes == {
        "competing": ("high", "low"),
        "collaborating": ("high", "high"),
        "compromising": ("medium", "medium"),
        "avoiding": ("low", "low"),
        "accommodating": ("low", "high"),
    }
    assert all(len(w) >= 2 for w in modes["when_to_use"])


def test_guide_skills_are_all_there_with_known_references():
    skills = people.load_leadership_skills()
    assert set(skills["id"]) == {
        "team-building",
        "conflict-resolution",
        "motivation",
        "delegation",
        "difficult-conversations",
    }
    refs = set(people.load_leadership_references())
    facts = set(people.load_guide_facts()["id"])
    for skill in skills.itertuples():
        assert set(skill.references) <= refs and skill.guide in facts
    assert {"pmbok7", "thomas-kilmann-1974"} <= refs


def test_every_scenario_covers_every_mode_and_names_a_best_one():
    for scenario in people.load_scenarios():
        assert set(scenario["modes"]) == set(people.TK_MODES), scenario["id"]
        assert set(scenario["best"]) <= set(people.TK_MODES) and scenario["best"]
        for result in scenario["modes"].values():
            assert result["consequence"] and result["advice"]
    assert "avoiding" in people.get_scenario("naming-convention")["best"]
    with pytest.raises(ValueError, match="scenario_id: unknown scenario 'x'"):
        people.get_scenario("x")


def test_stakeholder_tables_match_the_model():
    assert tuple(people.load_engagement_levels()["id"]) == ENGAGEMENT_LEVELS
    assert set(people.load_channels()["id"]) == set(CHANNELS)
    assert tuple(people.load_frequencies()) == FREQUENCIES
    quadrants = people.load_quadrants()
    assert set(quadrants["channel"]) <= set(CHANNELS)
    assert set(quadrants["frequency"]) <= set(FREQUENCIES)
    guide_tools = {"Slack", "Microsoft Teams", "Confluence", "SharePoint"}
    assert guide_tools <= set(CHANNELS)
    sc = people.load_steering_committee()
    assert sc["agenda"][0].startswith("Decisions")


def test_loaders_return_fresh_copies():
    people.load_scenarios()[0]["title"] = "changed"
    assert people.load_scenarios()[0]["title"] != "changed"
    people.load_escalation_path()[0]["who"] = "changed"
    assert people.load_escalation_path()[0]["who"] == "Workstream lead"
