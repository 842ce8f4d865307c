"""Tool-export readers: the Jira issues CSV and the MS Project-style Gantt export."""

from __future__ import annotations

import pandas as pd
import pytest

import itpm_course as pm
from itpm_course.data.exports import (
    gantt_export_to_plan,
    parse_gantt_duration,
    parse_gantt_predecessors,
    read_gantt_export,
    read_jira_csv,
)
from itpm_course.plan import Link

HEADER = "Summary,Issue key,Issue id,Issue Type,Status,Created,Resolved,Sprint,Sprint,Custom field (Story Points)\n"


def test_sample_jira_export_shape_and_types():
    df = read_jira_csv()
    assert len(df) == 86
    assert {"issue_key", "created", "resolved", "sprints", "sprint", "story_points"} <= set(
        df.columns
    )
    assert pd.api.types.is_datetime64_any_dtype(df["created"])
    assert df["story_points"].dtype == "float64"
    assert df["issue_key"].is_unique
    assert (df.loc[df["status"] == "Done", "resolved"].notna()).all()
    assert (df.loc[df["status"] != "Done", "resolved"].isna()).all()
    assert (df["resolved"].dropna() >= df.loc[df["resolved"].notna(), "created"]).all()
    assert sorted(df["sprint"].dropna().unique()) == [f"CRM Sprint {i}" for i in range(1, 7)]
    carried = df[df["sprints"].map(len) == 2]
    assert len(carried) > 0
    assert (carried["sprint"] == carried["sprints"].map(lambda s: s[-1])).all()


def test_jira_dates_use_the_explicit_format(write):
    path = write(
        "j.csv",
        HEADER
        + "Fix login,CRM-1,1,Bug,Done,23/Jan/25 10:15 AM,03/Feb/25 04:05 PM,S1,S2,3\n"
        + "Add export,CRM-2,2,Story,To Do,01/Feb/25 12:00 AM,,,,\n",
    )
    df = read_jira_csv(path)
    assert df.loc[0, "created"] == pd.Timestamp("2025-01-23 10:15")
    assert df.loc[0, "resolved"] == pd.Timestamp("2025-02-03 16:05")
    assert df.loc[1, "created"] == pd.Timestamp("2025-02-01 00:00")
    assert df.loc[0, "sprints"] == ["S1", "S2"] and df.loc[0, "sprint"] == "S2"
    assert df.loc[1, "sprints"] == [] and pd.isna(df.loc[1, "sprint"])
    assert pd.isna(df.loc[1, "story_points"])


def test_bad_jira_date_names_file_row_column_and_value(write):
    path = write("bad.csv", HEADER + "Fix,CRM-7,7,Bug,Done,2025-01-23,,,,\n")
    with pytest.raises(ValueError) as err:
        read_jira_csv(path)
    text = str(err.value)
    for part in ("bad.csv", "row 1", "CRM-7", "'Created'", "'2025-01-23'", "23/Jan/25 10:15 AM"):
        assert part in text


def test_jira_missing_column_and_missing_file(write, tmp_path):
    with pytest.raises(ValueError, match="'Issue key'"):
        read_jira_csv(write("x.csv", "Summary,Status,Created\na,b,c\n"))
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_jira_csv(tmp_path / "absent.csv")


def test_team_managed_story_point_field_is_renamed(write):
    text = "Summary,Issue key,Status,Created,Custom field (Story point estimate)\nA,K-1,Done,01/Jan/25 09:00 AM,5\n"
    assert read_jira_csv(write("t.csv", text)).loc[0, "story_points"] == 5.0


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("5 days", 5),
        ("1 day", 1),
        ("0 days", 0),
        ("2 wks", 10),
        ("4 hrs", 0.5),
        ("3d", 3),
        ("2.5 days?", 2.5),
    ],
)
def test_gantt_durations(text, days):
    assert parse_gantt_duration(text) == days


def test_gantt_predecessors():
    assert parse_gantt_predecessors("3FS+2 days,4SS, 8FF-1 day,5") == [
        Link("3", "FS", 2.0),
        Link("4", "SS", 0.0),
        Link("8", "FF", -1.0),
        Link("5", "FS", 0.0),
    ]
    assert parse_gantt_predecessors("") == []
    with pytest.raises(ValueError, match="3XX"):
        parse_gantt_predecessors("3XX")


def test_sample_gantt_export_and_plan_agree_with_the_tool_dates():
    tasks = read_gantt_export()
    assert len(tasks) == 11
    assert tasks.loc[1, "resources"] == ["Alex Morgan", "Jordan Lee"]
    assert tasks.loc[3, "percent_complete"] == 60.0
    plan = gantt_export_to_plan(tasks)
    result = pm.schedule(plan)
    assert (result.to_frame()["finish_date"].to_numpy() == tasks["finish"].to_numpy()).all()
    assert (result.to_frame()["start_date"].to_numpy() == tasks["start"].to_numpy()).all()
    assert str(result.finish_date) == "2025-02-10"


def test_bad_gantt_rows_are_named(write):
    head = "ID,Task Name,Duration,Start,Finish,Predecessors,Resource Names,% Complete\n"
    with pytest.raises(ValueError, match=r"row 1 \(task 1\), column 'Duration'"):
        read_gantt_export(write("g.csv", head + "1,A,five days,Mon 1/6/25,Mon 1/6/25,,,0%\n"))
    with pytest.raises(ValueError, match=r"row 1 \(task 1\), column 'Start'"):
        read_gantt_export(write("g2.csv", head + "1,A,5 days,2025-01-06,Fri 1/10/25,,,0%\n"))
    with pytest.raises(ValueError, match="start"):
        gantt_export_to_plan(
            write("g3.csv", head + "1,A,5 days,Mon 1/6/25,Fri 1/10/25,,,0%\n"), start="06/01/2025"
        )
