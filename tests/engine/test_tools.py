"""Tool recommender: 2-3 complementary core tools."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.content import load_tools
from itpm_course.engine.tools import BUDGETS, METHODOLOGIES, NEEDS, recommend_tools


def test_agile_team_gets_jira_first():
    picks = recommend_tools("agile", 8, "free", ["agile_boards", "documentation"])
    assert picks[0].name == "Atlassian Jira"
    assert 2 <= len(picks) <= 3
    assert picks[0].reasons and "agile boards" in picks[0].reasons[0]


def test_predictive_scheduling_gets_microsoft_project():
    picks = recommend_tools("waterfall", 40, "high", ["scheduling", "resource_management", "risk"])
    assert picks[0].name == "Microsoft Project"
    assert any("risk" in p.covers for p in picks)


def test_budget_is_respected():
    costs = load_tools().set_index("id")["cost_tier"]
    for budget in BUDGETS:
        for p in recommend_tools("hybrid", 10, budget, list(NEEDS)):
            assert costs[p.id] <= BUDGETS.index(budget)


def test_picks_are_distinct_and_at_most_three():
    picks = recommend_tools("hybrid", 12, "high", list(NEEDS), max_tools=3)
    assert len(picks) == 3 and len({p.id for p in picks}) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("lean-six", 5, "free", ["risk"]), "methodology: must be one of"),
        (("agile", 0, "free", ["risk"]), "team_size: must be a whole number"),
        (("agile", 5.5, "free", ["risk"]), "team_size: must be a whole number"),
        (("agile", 5, "cheap", ["risk"]), "budget: must be one of"),
        (("agile", 5, "free", []), "needs: name at least one"),
        (("agile", 5, "free", ["coffee"]), "needs: unknown need 'coffee'"),
    ],
)
def test_errors_name_the_field(args, message):
    with pytest.raises(ValueError, match=message):
        recommend_tools(*args)


def test_max_tools_follows_the_guide():
    with pytest.raises(ValueError, match="max_tools: must be 2 or 3"):
        recommend_tools("agile", 5, "free", ["risk"], max_tools=5)


@settings(max_examples=100, deadline=None)
@given(
    method=st.sampled_from(METHODOLOGIES),
    team=st.integers(1, 3000),
    budget=st.sampled_from(BUDGETS),
    needs=st.lists(st.sampled_from(NEEDS), min_size=1, unique=True),
)
def test_always_two_or_three_tools(method, team, budget, needs):
    picks = recommend_tools(method, team, budget, needs)
    assert 2 <= len(picks) <= 3
    assert len({p.id for p in picks}) == len(picks)
