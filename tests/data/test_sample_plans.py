"""The sample plans shipped in itpm_course/data load, agree with each other and schedule."""

from __future__ import annotations

import datetime as dt

import pytest

import itpm_course
from itpm_course.data import sample_names, sample_path, sample_plan


def test_sample_names_and_paths():
    assert "server_migration" in sample_names()
    assert sample_path().name == "server_migration.yaml"
    assert sample_path("server_migration").suffix == ".yaml"
    csv = sample_path("server_migration.csv")
    assert csv.is_file() and csv.read_text(encoding="utf-8").startswith("id,name,duration")
    with pytest.raises(FileNotFoundError, match="server_migration"):
        sample_path("no_such_plan")


def test_server_migration_yaml_is_a_whole_plan():
    plan = sample_plan()
    assert plan.name == "Server migration to the new data centre"
    assert plan.start == dt.date(2026, 1, 5)
    assert plan.deadline is not None and plan.deadline > plan.start
    assert plan.budget is not None
    assert plan.calendar.holidays  # at least one holiday
    assert 12 <= len(plan) <= 16
    total_cost = sum(t.cost or 0 for t in plan.tasks)
    assert 0 < total_cost <= plan.budget


def test_server_migration_is_realistic_teaching_material():
    plan = sample_plan()
    links = [link for task in plan.tasks for link in task.predecessors]
    types = {link.type for link in links}
    assert {"FS", "SS", "FF"} <= types
    assert any(link.lag < 0 for link in links), "a lead"
    assert any(link.lag > 0 for link in links), "a lag"
    assert any(t.is_milestone for t in plan.tasks)
    for task in plan.tasks:
        assert task.wbs and task.owner, task.id
        if not task.is_milestone:
            assert task.has_estimate and task.cost, task.id
            assert task.optimistic <= task.most_likely == task.duration <= task.pessimistic


def test_csv_and_yaml_hold_the_same_tasks():
    from_yaml = sample_plan()
    from_csv = sample_plan("server_migration.csv", start="2026-01-05")
    assert [t.to_dict() for t in from_csv.tasks] == [t.to_dict() for t in from_yaml.tasks]


def test_server_migration_schedules():
    plan = sample_plan()
    result = itpm_course.schedule(plan)
    assert result.project_duration == 49
    assert result.critical_tasks[0] == "KICK" and result.critical_tasks[-1] == "DONE"
    assert result.total_float.min() == 0 and result.total_float.max() > 0  # some slack to teach
    # The holiday on Mon 16 Feb 2026 pushes the finish one day later than without it.
    finish = result.finish_date.astype(dt.date)
    assert finish == dt.date(2026, 3, 13)
    assert finish <= plan.deadline
    no_holiday = itpm_course.schedule(plan.replace(calendar=type(plan.calendar)()))
    assert no_holiday.finish_date.astype(dt.date) == dt.date(2026, 3, 12)


def test_sample_plan_renders_as_gantt():
    import matplotlib

    matplotlib.use("Agg")
    from itpm_course.charts import gantt_chart

    fig = gantt_chart(itpm_course.schedule(sample_plan()))
    assert fig.axes[0].get_title(loc="left").startswith("Server migration")
