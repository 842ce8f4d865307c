"""The change-impact explorer, driven by setting its controls."""

from __future__ import annotations

import pytest

from itpm_course.data import sample_plan
from itpm_course.widgets.change import change_impact_explorer


@pytest.fixture(scope="module")
def explorer():
    return change_impact_explorer(sample_plan("server_migration"), iterations=500)


def test_starts_with_no_change(explorer):
    explorer.restore()
    assert explorer.impact.delta_duration == 0
    assert explorer.impact.recommendation == "approve"
    assert explorer.chart.value[:4] == b"\x89PNG"


def test_extra_days_within_float_and_beyond(explorer):
    explorer.restore()
    explorer.task.value = "NET"  # 9 days of total float
    explorer.extra_days.value = 5
    assert explorer.impact.delta_duration == 0
    explorer.extra_days.value = 12
    assert explorer.impact.delta_duration == 3
    assert "Finish 49 → 52 days (+3)" in explorer.message
    assert explorer.impact.recommendation == "approve with conditions"


def test_added_task_and_cost(explorer):
    explorer.restore()
    explorer.extra_cost.value = 20_000
    assert explorer.impact.recommendation == "reject"  # 149,800 > budget 145,000
    explorer.extra_cost.value = 0
    explorer.add_task.value = True
    explorer.add_duration.value = 3
    explorer.add_after.value = "BLD"
    explorer.add_before.value = "PIL"
    assert explorer.impact.new_duration == 52
    assert "NEW" in explorer.impact.critical_tasks_after


def test_refused_changes_keep_last_analysis(explorer):
    explorer.restore()
    explorer.add_task.value = True
    explorer.add_after.value = "BLD"
    good = explorer.impact
    explorer.add_before.value = "ZZZ"
    assert "unknown task 'ZZZ'" in explorer.error and explorer.impact is good
    explorer.add_before.value = "KICK"  # KICK -> ... -> BLD -> NEW -> KICK
    assert "cycle" in explorer.error
    explorer.restore()
    assert explorer.error is None and explorer.impact.delta_duration == 0
