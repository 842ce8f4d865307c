"""The plan model: links, tasks, calendar, plan construction and its checks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.errors import PlanError, Problem
from itpm_course.plan import Calendar, Link, ProjectPlan, Task, parse_links
from itpm_course.plan.model import check_task, format_links

START = dt.date(2025, 1, 6)


def plan(*tasks: Task, **kw) -> ProjectPlan:
    return ProjectPlan(name="p", start=START, tasks=list(tasks), **kw)


# ------------------------------------------------------------------------------------ links
def test_parse_links_mixed_separators_types_and_lags():
    assert parse_links("A; B SS+2, C FF-1") == [
        Link("A", "FS", 0.0),
        Link("B", "SS", 2.0),
        Link("C", "FF", -1.0),
    ]


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("A", Link("A", "FS", 0.0)),
        ("A FS", Link("A", "FS", 0.0)),
        ("A SF", Link("A", "SF", 0.0)),
        ("B FS-1", Link("B", "FS", -1.0)),  # a lead
        ("B SS+2.5", Link("B", "SS", 2.5)),
        ("C FF-0.25", Link("C", "FF", -0.25)),
        ("C ff +3", Link("C", "FF", 3.0)),  # lower case, space before the lag
        ("C SS + 3", Link("C", "SS", 3.0)),
        ("C SS+3d", Link("C", "SS", 3.0)),  # a 'd' (days) suffix
        ("  D   FS+0  ", Link("D", "FS", 0.0)),
        ("T-1 SS+2", Link("T-1", "SS", 2.0)),
        ("1.2.3 FS+1", Link("1.2.3", "FS", 1.0)),
        ("A SS+1e-05", Link("A", "SS", 1e-05)),  # what str() writes for tiny lags
    ],
)
def test_link_parse(text, link):
    assert Link.parse(text) == link
    assert parse_links(text) == [link]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A XX", "link type 'XX' is not one of FS, SS, FF, SF"),
        ("A XX+1", "link type 'XX' is not one of FS, SS, FF, SF"),
        ("A SS 2", "write ID, 'ID TYPE' or 'ID TYPE+LAG'"),  # lag without sign
        ("A SS+x", "write ID, 'ID TYPE' or 'ID TYPE+LAG'"),
        ("A B C", "write ID, 'ID TYPE' or 'ID TYPE+LAG'"),
        ("A FSS+1", "write ID, 'ID TYPE' or 'ID TYPE+LAG'"),
        ("A SS+", "write ID, 'ID TYPE' or 'ID TYPE+LAG'"),
    ],
)
def test_link_parse_errors(text, reason):
    with pytest.raises(ValueError, match="cannot read link") as info:
        parse_links(f"Z; {text}")
    assert reason in str(info.value)
    assert repr(text) in str(info.value)


def test_parse_links_ignores_empty_items():
    assert parse_links(" ; A;; , B ,") == [Link("A"), Link("B")]
    assert parse_links("") == []


def test_link_str_and_format_links():
    assert str(Link("A")) == "A"
    assert str(Link("A", "SS")) == "A SS"
    assert str(Link("A", "SS", 2.0)) == "A SS+2"
    assert str(Link("A", "FF", -1.5)) == "A FF-1.5"
    assert str(Link("A", "FS", -1.0)) == "A FS-1"
    assert format_links([Link("A"), Link("B", "SS", 2.0), Link("C", "FF", -1.0)]) == (
        "A; B SS+2; C FF-1"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"[A-Za-z0-9_.\-]{1,8}", fullmatch=True),
    st.sampled_from(["FS", "SS", "FF", "SF"]),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
def test_link_text_round_trip(pid, kind, lag):
    link = Link(pid, kind, lag)
    assert Link.parse(str(link)) == link
    assert parse_links(format_links([link, link])) == [link, link]


# ------------------------------------------------------------------------------------ tasks
def test_task_basics_and_to_dict():
    t = Task(
        "T1",
        3.0,
        "Build",
        [Link("A"), Link("B", "SS", 2.0)],
        optimistic=2.0,
        most_likely=3.0,
        pessimistic=7.5,
        wbs="1.2",
        owner="Ana",
        resources=["dev", "qa"],
        cost=1200.0,
    )
    assert not t.is_milestone and t.has_estimate
    assert Task("M", 0.0).is_milestone
    assert t.to_dict() == {
        "id": "T1",
        "name": "Build",
        "duration": 3,
        "optimistic": 2,
        "most_likely": 3,
        "pessimistic": 7.5,
        "predecessors": ["A", "B SS+2"],
        "wbs": "1.2",
        "owner": "Ana",
        "resources": ["dev", "qa"],
        "cost": 1200,
    }
    assert Task("X", 1.5).to_dict() == {"id": "X", "name": "X", "duration": 1.5}
    assert check_task(t) == []


@pytest.mark.parametrize(
    ("task", "column", "reason"),
    [
        (Task("A", -1.0), "duration", "duration must be a number of working days >= 0, got -1"),
        (Task("A", float("inf")), "duration", ">= 0"),
        (Task("A", float("nan")), "duration", ">= 0"),
        (Task("A B", 1.0), "id", "must be non-empty without spaces"),
        (Task("", 1.0), "id", "must be non-empty"),
        (Task("A;B", 1.0), "id", "without spaces, ';' or ','"),
        (
            Task("A", 3.0, optimistic=3.0, most_likely=2.0, pessimistic=4.0),
            "most_likely",
            "estimates out of order: need optimistic <= most_likely <= pessimistic, got 3 / 2 / 4",
        ),
        (
            Task("A", 3.0, optimistic=1.0, most_likely=5.0, pessimistic=4.0),
            "pessimistic",
            "estimates out of order",
        ),
        (
            Task("A", 3.0, optimistic=-1.0, most_likely=2.0, pessimistic=4.0),
            "optimistic",
            "estimates must be >= 0",
        ),
        (Task("A", 3.0, optimistic=1.0), "most_likely", "missing most_likely, pessimistic"),
        (Task("A", 1.0, wbs="1.a"), "wbs", "WBS code '1.a' must look like 1, 1.2 or 1.2.3"),
        (Task("A", 1.0, cost=-5.0), "cost", "cost must be a number >= 0"),
        (Task("A", 1.0, predecessors=[Link("A")]), "predecessors", "cannot be its own predecessor"),
        (Task("A", 1.0, predecessors=[Link("B", "XY")]), "predecessors", "'XY' is not one of"),
    ],
)
def test_check_task_problems(task, column, reason):
    problems = check_task(task, source="plan.csv", row=7)
    assert len(problems) == 1
    p = problems[0]
    assert (p.source, p.row, p.column) == ("plan.csv", 7, column)
    assert reason in p.reason
    assert str(p).startswith("plan.csv, row 7")
    assert f"column {column!r}" in str(p)
    with pytest.raises(PlanError, match="must|out of order|missing|cannot|not one of"):
        plan(task)


def test_check_task_reports_every_problem():
    problems = check_task(Task("A", -1.0, wbs="x", cost=-1.0))
    assert [p.column for p in problems] == ["duration", "wbs", "cost"]


# ------------------------------------------------------------------------------------- plan
def test_duplicate_id():
    with pytest.raises(PlanError) as info:
        plan(Task("A", 1.0), Task("B", 1.0), Task("A", 2.0), source="p.csv", task_rows=[2, 3, 4])
    (p,) = info.value.problems
    assert (p.source, p.row, p.column) == ("p.csv", 4, "id")
    assert (
        str(info.value) == "p.csv, row 4, column 'id': duplicate task id 'A' (first used at row 2)"
    )


def test_duplicate_id_without_rows_names_the_position():
    with pytest.raises(PlanError, match=r"duplicate task id 'A' \(first used at position 1\)"):
        plan(Task("A", 1.0), Task("A", 2.0))


def test_unknown_predecessor():
    with pytest.raises(PlanError) as info:
        plan(
            Task("A", 1.0),
            Task("B", 1.0, predecessors=[Link("X")]),
            source="p.csv",
            task_rows=[2, 3],
        )
    (p,) = info.value.problems
    assert (p.source, p.row, p.column, p.task) == ("p.csv", 3, "predecessors", "B")
    assert "unknown predecessor 'X'" in str(info.value)


def test_cycle_names_the_tasks_on_it():
    tasks = [
        Task("S", 1.0),
        Task("A", 1.0, predecessors=[Link("S"), Link("C")]),
        Task("B", 1.0, predecessors=[Link("A", "SS", 1.0)]),
        Task("C", 1.0, predecessors=[Link("B", "FF")]),
        Task("Z", 1.0, predecessors=[Link("C")]),
    ]
    with pytest.raises(PlanError) as info:
        plan(*tasks, source="p.csv", task_rows=[2, 3, 4, 5, 6])
    (p,) = info.value.problems
    message = str(info.value)
    assert "dependency cycle" in message and p.column == "predecessors"
    cycle = message.split("dependency cycle: ")[1].split(";")[0].split(" -> ")
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"A", "B", "C"}  # S and Z are not on the cycle
    # in link order: every task on it is a predecessor of the next one
    preds = {t.id: {ln.predecessor for ln in t.predecessors} for t in tasks}
    assert all(a in preds[b] for a, b in zip(cycle, cycle[1:], strict=False))
    assert p.row == {"A": 3, "B": 4, "C": 5}[p.task]


def test_two_task_cycle_and_long_cycle():
    with pytest.raises(PlanError, match="dependency cycle: (A -> B -> A|B -> A -> B)"):
        plan(Task("A", 1.0, predecessors=[Link("B")]), Task("B", 1.0, predecessors=[Link("A")]))
    n = 3000  # longer than the vectorised ordering handles: the Python fallback finds it
    tasks = [Task(f"T{k}", 1.0, predecessors=[Link(f"T{(k - 1) % n}")]) for k in range(n)]
    with pytest.raises(PlanError, match="dependency cycle: T"):
        plan(*tasks)


def test_empty_plan():
    with pytest.raises(PlanError, match="the plan has no tasks"):
        plan()


def test_plan_access_and_derived_plans():
    p = plan(Task("A", 2.0), Task("B", 3.0, predecessors=[Link("A")]))
    assert p.task_ids == ["A", "B"] and len(p) == 2
    assert p.task("B").duration == 3.0
    with pytest.raises(KeyError, match="no task 'X'"):
        p.task("X")
    q = p.with_task("B", duration=5.0, predecessors="A SS+1")
    assert q.task("B").predecessors == [Link("A", "SS", 1.0)]
    assert p.task("B").duration == 3.0  # the original is unchanged
    with pytest.raises(PlanError, match="duration must be"):
        p.with_task("B", duration=-2.0)
    with pytest.raises(PlanError, match="unknown predecessor"):
        p.with_task("B", predecessors="Q")
    with pytest.raises(KeyError):
        p.with_task("X", duration=1.0)
    assert p.replace(name="other").name == "other"
    assert "tasks=2" in repr(p)


def test_plan_to_dict():
    p = plan(
        Task("A", 2.0, "Analyse"),
        deadline=dt.date(2025, 2, 1),
        budget=5000.0,
        calendar=Calendar(holidays=(dt.date(2025, 1, 20),)),
    )
    assert p.to_dict() == {
        "name": "p",
        "start": "2025-01-06",
        "deadline": "2025-02-01",
        "budget": 5000,
        "calendar": {"workdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": ["2025-01-20"]},
        "tasks": [{"id": "A", "name": "Analyse", "duration": 2}],
    }


# --------------------------------------------------------------------------------- calendar
def test_calendar_working_days():
    cal = Calendar(holidays=(dt.date(2025, 1, 8),))
    assert cal.weekmask == "1111100"
    assert cal.first_workday(dt.date(2025, 1, 4)) == np.datetime64("2025-01-06")
    got = cal.add_workdays(START, [0, 1, 2, 2.9, 5])
    assert got.tolist() == [
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 7),
        dt.date(2025, 1, 9),  # skips the holiday on the 8th
        dt.date(2025, 1, 9),  # fractions floor to the day
        dt.date(2025, 1, 14),
    ]
    assert cal.workdays_between(START, dt.date(2025, 1, 13)) == 4


def test_calendar_rejects_bad_weekdays():
    with pytest.raises(PlanError, match="unknown weekday 'Mo'"):
        Calendar(workdays=("Mo",))
    with pytest.raises(PlanError, match="at least one weekday"):
        Calendar(workdays=())


# ----------------------------------------------------------------------------------- errors
def test_problem_and_plan_error_messages():
    p = Problem("bad", source="f.csv", row=3, column="duration", task="A")
    assert str(p) == "f.csv, row 3, task 'A', column 'duration': bad"
    assert str(Problem("bad")) == "bad"
    many = PlanError([Problem(f"p{k}", row=k) for k in range(25)])
    text = str(many)
    assert text.startswith("25 problems found:")
    assert "row 19: p19" in text and "row 20" not in text
    assert "... and 5 more problems" in text
    assert str(PlanError("plain", source="x.yaml")) == "x.yaml: plain"
    assert isinstance(many, ValueError)
