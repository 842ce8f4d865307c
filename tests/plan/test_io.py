"""Readers and writers: the CSV contract, lossless round trips, and every bad-input message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import random_plan_rows
from itpm_course.errors import PlanError
from itpm_course.plan import (
    Calendar,
    Link,
    ProjectPlan,
    Task,
    load_plan,
    plan_from_csv_text,
    save_plan,
)
from itpm_course.plan.io import plan_from_frame, task_from_record

START = dt.date(2025, 1, 6)


# ------------------------------------------------------------------------------ CSV contract
def test_csv_contract_basic(pdm1_csv):
    plan = load_plan(pdm1_csv, start="2025-01-06")
    assert plan.name == "pdm1" and plan.start == START and plan.source == str(pdm1_csv)
    assert plan.task_ids == ["A", "B", "C", "D", "E", "F", "H", "I"]
    assert plan.task("F").predecessors == [Link("C"), Link("D"), Link("E", "FF", 2.0)]
    assert plan.task("D").predecessors == [Link("B", "FS", -1.0)]
    assert plan.task("A").name == "Requirements"
    assert plan.task_rows == list(range(2, 10))


def test_csv_duration_defaults_to_most_likely():
    text = (
        "id,optimistic,most_likely,pessimistic\n"  # no duration column at all
        "A,1,2,6\n"
        "B,2,3.5,8\n"
    )
    plan = plan_from_csv_text(text)
    assert [t.duration for t in plan.tasks] == [2.0, 3.5]
    assert plan.task("B").pessimistic == 8.0 and plan.task("B").has_estimate
    # with a duration column: a blank cell defaults, a given value wins
    text = "id,duration,optimistic,most_likely,pessimistic\nA,,1,2,6\nB,4,1,2,6\n"
    plan = plan_from_csv_text(text)
    assert [t.duration for t in plan.tasks] == [2.0, 4.0]


def test_csv_all_optional_columns():
    text = (
        "ID, Name ,Duration,Predecessors,WBS,Owner,Resources,Cost\n"  # case and spaces in header
        'A,"Plan, then build",3,,1.1,Ana,"dev; qa, ops",1500.50\n'
        "B,,0,A SS+1,1.2,,,\n"
        "\n"  # blank lines are skipped
        'C,Close,1,"A, B FF-1",2,,,\n'
    )
    plan = plan_from_csv_text(text, name="rich", start="2025-01-06")
    a, b, c = plan.tasks
    assert a == Task(
        "A", 3.0, "Plan, then build", [], wbs="1.1", owner="Ana",
        resources=["dev", "qa", "ops"], cost=1500.5,
    )  # fmt: skip
    assert b.name == "B" and b.is_milestone and b.predecessors == [Link("A", "SS", 1.0)]
    assert c.predecessors == [Link("A"), Link("B", "FF", -1.0)]
    assert plan.task_rows == [2, 3, 5]


def test_csv_with_bom_and_crlf(write):
    path = write("bom.csv", "\ufeffid,duration\r\nA,1\r\nB,2\r\n".encode())
    assert load_plan(path).task_ids == ["A", "B"]


def test_csv_options_name_start_deadline_budget(write):
    path = write("p.csv", "id,duration\nA,1\n")
    plan = load_plan(path, name="X", start="2025-03-03", deadline="2025-04-01", budget=10)
    assert (plan.name, plan.start, plan.deadline, plan.budget) == (
        "X", dt.date(2025, 3, 3), dt.date(2025, 4, 1), 10.0,
    )  # fmt: skip


def _thorough(text: str) -> list[Task]:
    return [task_from_record(r)[0] for r in csv.DictReader(io.StringIO(text))]


@pytest.mark.parametrize("all_links", [False, True])
def test_fast_csv_path_and_thorough_path_give_identical_tasks(all_links):
    rows = random_plan_rows(800, seed=3, all_links=all_links)
    rows[5]["duration"] = 2.5
    rows[6]["predecessors"] = " T1 ss +1.5 , T2 "
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["id", "name", "duration", "predecessors"])
    writer.writeheader()
    writer.writerows({**r, "name": "" if k % 2 else f" Task {k} "} for k, r in enumerate(rows))
    text = buf.getvalue()
    fast = plan_from_csv_text(text).tasks
    assert fast == _thorough(text)
    assert fast == plan_from_frame(pd.read_csv(io.StringIO(text), dtype=str)).tasks
    assert fast[5].duration == 2.5 and fast[6].predecessors == [Link("T1", "SS", 1.5), Link("T2")]
    assert fast[0].name == "Task 0" and fast[1].name == "T1"


def test_rows_that_leave_the_fast_path_are_still_read():
    # estimates force the thorough path on some rows only; the result is one consistent plan
    text = "id,duration,predecessors,optimistic,most_likely,pessimistic\nA,1,,,,\nB,,A,1,2,3\nC,4,B,,,\n"
    plan = plan_from_csv_text(text)
    assert [t.duration for t in plan.tasks] == [1.0, 2.0, 4.0]
    assert plan.tasks == _thorough(text)


# ------------------------------------------------------------------------------- round trips
def rich_plan() -> ProjectPlan:
    tasks = [
        Task("A", 5.0, "Requirements", [], 3.0, 5.0, 9.0, "1.1", "Ana", ["ba"], 4000.0),
        Task("B", 4.5, "Design, UX", [Link("A")], wbs="1.2", resources=["ux", "dev"]),
        Task("C", 8.0, 'Build "core"', [Link("B", "SS", 2.0)], owner="Bo", cost=12345.67),
        Task("D", 6.0, "UI build", [Link("B", "FS", -1.0), Link("A", "SF", 0.5)]),
        Task("M", 0.0, "=> Go-live", [Link("C"), Link("D", "FF", 2.0)], wbs="2"),
        Task("Z", 0.25, "Ünïcödé ✓", [Link("M", "FS", 1.0)]),
    ]
    return ProjectPlan(
        name="Release 2.0",
        start=START,
        tasks=tasks,
        deadline=dt.date(2025, 3, 31),
        budget=50000.0,
        calendar=Calendar(
            workdays=("Mon", "Tue", "Wed", "Thu"),
            holidays=(dt.date(2025, 1, 20), dt.date(2025, 2, 17)),
        ),
    )


@pytest.mark.parametrize("ext", ["yaml", "yml", "json", "xlsx"])
def test_whole_plan_round_trip(tmp_path, ext):
    plan = rich_plan()
    path = tmp_path / f"plan.{ext}"
    save_plan(plan, path)
    back = load_plan(path)
    assert back.tasks == plan.tasks
    assert back.to_dict() == plan.to_dict()
    save_plan(back, tmp_path / f"again.{ext}")
    if ext != "xlsx":  # the text formats are byte-for-byte stable
        assert (tmp_path / f"again.{ext}").read_bytes() == path.read_bytes()


def test_csv_round_trip_keeps_every_task_field(tmp_path):
    plan = rich_plan()
    save_plan(plan, tmp_path / "plan.csv")
    back = load_plan(tmp_path / "plan.csv", name=plan.name, start=plan.start)
    assert back.tasks == plan.tasks


def test_dataframe_round_trip():
    plan = rich_plan()
    frame = plan.to_frame()
    assert list(frame.columns)[:4] == ["id", "name", "duration", "predecessors"]
    back = ProjectPlan.from_frame(frame, name=plan.name, start=plan.start)
    assert back.tasks == plan.tasks
    # an ``id`` index works as well as an ``id`` column
    assert plan_from_frame(frame.set_index("id"), start=START).tasks == plan.tasks


def test_from_dict_accepts_link_mappings():
    data = {
        "name": "d",
        "start": "2025-01-06",
        "tasks": [
            {"id": "A", "duration": 1},
            {"id": "B", "duration": 2, "predecessors": [{"id": "A", "type": "ss", "lag": "1.5"}]},
            {"id": "C", "duration": 2, "predecessors": "A; B FF-1"},
        ],
    }
    plan = ProjectPlan.from_dict(data)
    assert plan.task("B").predecessors == [Link("A", "SS", 1.5)]
    assert plan.task("C").predecessors == [Link("A"), Link("B", "FF", -1.0)]


names = (
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=12
    )
    .map(str.strip)
    .filter(bool)
)
# durations, lags and costs as an IT plan writes them: quarter days and cents
quarters = st.integers(0, 400).map(lambda k: k / 4)


@st.composite
def plans(draw):
    n = draw(st.integers(1, 8))
    ids = draw(st.lists(st.from_regex(r"[A-Za-z][A-Za-z0-9_.\-]{0,5}", fullmatch=True),
                        min_size=n, max_size=n, unique=True))  # fmt: skip
    tasks = []
    for j, tid in enumerate(ids):
        preds = draw(st.lists(st.sampled_from(ids[:j]), unique=True, max_size=3)) if j else []
        links = [
            Link(p, draw(st.sampled_from(["FS", "SS", "FF", "SF"])), draw(quarters) - 50)
            for p in preds
        ]
        estimate = draw(st.none() | st.lists(quarters, min_size=3, max_size=3).map(sorted))
        a, m, b = estimate or (None, None, None)
        tasks.append(
            Task(
                tid,
                m if m is not None else draw(quarters),
                draw(names),
                links,
                a,
                m,
                b,
                draw(st.none() | st.from_regex(r"[1-9](\.[1-9][0-9]?){0,2}", fullmatch=True)),
                draw(st.none() | names),
                draw(st.lists(names.filter(lambda s: ";" not in s and "," not in s), max_size=2)),
                draw(st.none() | st.integers(0, 10**7).map(lambda c: c / 100)),
            )
        )
    holidays = draw(st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)), unique=True))
    return ProjectPlan(
        name=draw(names),
        start=draw(st.dates(dt.date(2024, 1, 1), dt.date(2026, 1, 1))),
        tasks=tasks,
        deadline=draw(st.none() | st.just(dt.date(2027, 1, 1))),
        budget=draw(st.none() | quarters),
        calendar=Calendar(
            workdays=tuple(
                draw(
                    st.lists(
                        st.sampled_from(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]),
                        min_size=1,
                        unique=True,
                    )
                )
            ),
            holidays=tuple(sorted(holidays)),
        ),  # fmt: skip
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(plan=plans())
def test_property_round_trips_lose_nothing(tmp_path, plan):
    for ext in ("yaml", "json", "xlsx"):
        path = tmp_path / f"p.{ext}"
        save_plan(plan, path)
        back = load_plan(path)
        assert back.tasks == plan.tasks, ext
        assert back.to_dict() == plan.to_dict(), ext
    save_plan(plan, tmp_path / "p.csv")
    assert load_plan(tmp_path / "p.csv").tasks == plan.tasks
    assert ProjectPlan.from_frame(plan.to_frame()).tasks == plan.tasks


def test_save_plan_unsupported_extension(tmp_path):
    with pytest.raises(ValueError, match="unsupported file type '.txt'"):
        save_plan(rich_plan(), tmp_path / "plan.txt")


# ----------------------------------------------------------------------------- bad input
# (file name, content, expected row, column, fragments of the reason)
BAD_CSV = [
    ("duplicate id", "id,duration\nA,1\nB,2\nA,3\n", 4, "id", "duplicate task id 'A'"),
    (
        "unknown predecessor",
        "id,duration,predecessors\nA,1,\nB,2,A; X\n",
        3,
        "predecessors",
        "unknown predecessor 'X'",
    ),
    (
        "unparsable link",
        "id,duration,predecessors\nA,1,\nB,2,A SS 2\n",
        3,
        "predecessors",
        "cannot read link 'A SS 2'",
    ),
    (
        "bad link type",
        "id,duration,predecessors\nA,1,\nB,2,A XF+1\n",
        3,
        "predecessors",
        "link type 'XF' is not one of FS, SS, FF, SF",
    ),
    (
        "negative duration",
        "id,duration\nA,1\nB,-2\n",
        3,
        "duration",
        "duration must be a number of working days >= 0, got -2",
    ),
    (
        "estimates out of order",
        "id,duration,optimistic,most_likely,pessimistic\nA,2,3,2,5\n",
        2,
        "most_likely",
        "estimates out of order",
    ),
    (
        "dependency cycle",
        "id,duration,predecessors\nA,1,C\nB,1,A\nC,1,B\nD,1,\n",
        None,  # the row of whichever task the cycle is reported from
        "predecessors",
        "dependency cycle",
    ),
    (
        "non-numeric duration",
        "id,duration\nA,two\n",
        2,
        "duration",
        "expected a number, got 'two'",
    ),
    (
        "non-numeric cost",
        "id,duration,cost\nA,1,lots\n",
        2,
        "cost",
        "expected a number, got 'lots'",
    ),
    (
        "missing duration",
        "id,duration\nA,\n",
        2,
        "duration",
        "duration is required (or give optimistic, most_likely and pessimistic)",
    ),
    ("bad wbs", "id,duration,wbs\nA,1,x.1\n", 2, "wbs", "WBS code 'x.1'"),
    ("space in id", "id,duration\nA B,1\n", 2, "id", "must be non-empty without spaces"),
    ("self link", "id,duration,predecessors\nA,1,A\n", 2, "predecessors", "its own predecessor"),
]


@pytest.mark.parametrize(
    ("case", "content", "row", "column", "reason"), BAD_CSV, ids=[c[0] for c in BAD_CSV]
)
def test_bad_csv_names_file_row_column_and_reason(write, case, content, row, column, reason):
    path = write("plan.csv", content)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    message = str(info.value)
    (problem,) = info.value.problems
    assert problem.source == str(path) and message.startswith(f"{path}, row ")
    assert problem.column == column and f"column {column!r}" in message
    assert reason in problem.reason
    if row is not None:
        assert problem.row == row and f"row {row}," in message


def test_cycle_message_names_the_tasks_on_the_cycle(write):
    path = write("plan.csv", "id,duration,predecessors\nS,1,\nA,1,S; C\nB,1,A\nC,1,B\nD,1,S\n")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    (problem,) = info.value.problems
    cycle = problem.reason.split("dependency cycle: ")[1].split(";")[0].split(" -> ")
    assert set(cycle) == {"A", "B", "C"} and cycle[0] == cycle[-1]
    assert problem.row == {"A": 3, "B": 4, "C": 5}[problem.task]


def test_every_bad_row_is_reported_at_once(write):
    path = write("plan.csv", "id,duration\nA,-1\nB,x\nC,1\n")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "duration"), (3, "duration")]
    assert str(info.value).startswith("2 problems found:")


# file-level problems: (name, content, fragments expected in the message)
BAD_FILES = [
    ("no-id.csv", "name,duration\nx,1\n", ["no-id.csv, row 1", "missing required column 'id'"]),
    (
        "no-duration.csv",
        "id,name,optimistic\nA,x,1\n",
        ["no-duration.csv, row 1", "missing required column 'duration'"],
    ),
    ("empty.csv", "", ["empty.csv", "the file is empty"]),
    ("blank.csv", "\n  \n", ["blank.csv", "the file is empty"]),
    ("header.csv", "id,duration,predecessors\n", ["header.csv", "header but no task rows"]),
    (
        "extra.csv",
        "id,duration\nA,1,oops\n",
        ["extra.csv, row 2", "3 values but the header has 2 columns"],
    ),
    ("dupcol.csv", "id,duration,id\nA,1,B\n", ["dupcol.csv, row 1", "column 'id' appears more"]),
    (
        "latin1.csv",
        "id,name,duration\nA,Caf\xe9,1\n".encode("latin-1"),
        ["latin1.csv", "not UTF-8"],
    ),
    ("bad.yaml", "name: x\ntasks: [\n", ["bad.yaml", "not valid YAML at line 3"]),
    ("tabs.yaml", "name: x\n\tstart: 1\n", ["tabs.yaml", "not valid YAML"]),
    ("bad.json", '{"name": "x",}', ["bad.json", "not valid JSON at line 1, column 14"]),
    ("empty.json", " \n", ["empty.json", "the file is empty"]),
    ("empty.yaml", "", ["empty.yaml", "the file is empty"]),
    ("binary.json", b"\xff\xfe\x00{", ["binary.json", "not UTF-8"]),
    ("binary.yaml", b"\xff\xfe\x00a", ["binary.yaml", "not UTF-8"]),
    ("list.yaml", "- 1\n- 2\n", ["list.yaml", "expected a mapping"]),
    (
        "top.yaml",
        "name: x\nstart: 2025-01-06\ncolour: red\ntasks: [{id: A, duration: 1}]\n",
        ["top.yaml", "unknown top-level field(s) ['colour']"],
    ),
    (
        "field.json",
        '{"name": "x", "tasks": [{"id": "A", "duration": 1}, {"id": "B", "durration": 1}]}',
        ["field.json, row 2", "unknown field(s) ['durration']"],
    ),
    (
        "linkfield.yaml",
        "tasks: [{id: A, duration: 1}, {id: B, duration: 1, predecessors: [{id: A, kind: SS}]}]\n",
        [
            "linkfield.yaml, row 2, task 'B', column 'predecessors'",
            "unknown link field(s) ['kind']",
        ],
    ),
    (
        "calfield.yaml",
        "calendar: {weekend: [Sat]}\ntasks: [{id: A, duration: 1}]\n",
        ["calfield.yaml", "calendar: unknown field(s) ['weekend']"],
    ),
    ("notasks.yaml", "name: x\n", ["notasks.yaml", "the plan has no tasks"]),
    ("tasklist.yaml", "tasks: {A: 1}\n", ["tasklist.yaml", "'tasks' must be a list"]),
    (
        "baddate.yaml",
        "start: 2025-13-01\ntasks: [{id: A, duration: 1}]\n",
        ["baddate.yaml", "not valid YAML", "month must be in 1..12"],
    ),
    (
        "baddate2.json",
        '{"start": "2025-02-30", "tasks": [{"id": "A", "duration": 1}]}',
        ["baddate2.json", "start: expected a date like 2025-01-06, got '2025-02-30'"],
    ),
    (
        "deadline.yaml",
        "start: 2025-01-06\ndeadline: soon\ntasks: [{id: A, duration: 1}]\n",
        ["deadline.yaml", "deadline: expected a date"],
    ),
    (
        "early.yaml",
        "start: 2025-01-06\ndeadline: 2025-01-01\ntasks: [{id: A, duration: 1}]\n",
        ["early.yaml", "deadline 2025-01-01 is before the start 2025-01-06"],
    ),
    (
        "holiday.yaml",
        "calendar: {holidays: [2025-01-01, someday]}\ntasks: [{id: A, duration: 1}]\n",
        ["holiday.yaml", "calendar.holidays: expected a date", "'someday'"],
    ),
    (
        "weekday.yaml",
        "calendar: {workdays: [Mon, Fun]}\ntasks: [{id: A, duration: 1}]\n",
        ["weekday.yaml", "calendar: unknown weekday 'Fun'"],
    ),
    (
        "budget.yaml",
        "budget: lots\ntasks: [{id: A, duration: 1}]\n",
        ["budget.yaml", "column 'budget'", "expected a number, got 'lots'"],
    ),
    (
        "negbudget.yaml",
        "budget: -5\ntasks: [{id: A, duration: 1}]\n",
        ["negbudget.yaml", "budget must be >= 0"],
    ),
    (
        "yamlnum.yaml",
        "tasks: [{id: A, duration: true}]\n",
        ["yamlnum.yaml, row 1, task 'A', column 'duration'", "expected a number, got True"],
    ),
    (
        "yamllag.yaml",
        "tasks: [{id: A, duration: 1}, {id: B, duration: 1, predecessors: [{id: A, lag: soon}]}]\n",
        ["yamllag.yaml, row 2, task 'B', column 'predecessors'", "link lag 'soon' is not a number"],
    ),
    ("plan.txt", "id,duration\nA,1\n", ["plan.txt", "unsupported file type '.txt'"]),
    ("plan", "id,duration\nA,1\n", ["plan", "unsupported file type ''"]),
    ("broken.xlsx", b"not a zip file", ["broken.xlsx", "cannot open as an Excel workbook"]),
]


@pytest.mark.parametrize(("name", "content", "fragments"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_files_give_specific_messages(write, name, content, fragments):
    path = write(name, content)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(PlanError, match=r"nope\.csv: file not found"):
        load_plan(tmp_path / "nope.csv")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(PlanError, match=r"dir\.yaml: is a directory"):
        load_plan(tmp_path / "dir.yaml")


def test_csv_start_option_bad_date(pdm1_csv):
    with pytest.raises(PlanError, match=r"pdm1\.csv: start: expected a date like 2025-01-06"):
        load_plan(pdm1_csv, start="06/01/2025")


def test_options_only_for_csv(pdm1_yaml):
    with pytest.raises(TypeError, match="only apply to CSV"):
        load_plan(pdm1_yaml, start="2025-01-06")


def _xlsx(path, header, *rows, project=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tasks"
    ws.append(header)
    for r in rows:
        ws.append(r)
    if project:
        meta = wb.create_sheet("project")
        for item in project:
            meta.append(item)
    wb.save(path)
    return path


def test_bad_excel_rows_name_sheet_row_and_column(tmp_path):
    path = _xlsx(tmp_path / "p.xlsx", ["id", "duration"], ["A", 1], ["B", "two"], ["A", 3])
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert str(info.value) == (
        f"{path} [sheet tasks], row 3, task 'B', column 'duration': expected a number, got 'two'"
    )
    path = _xlsx(tmp_path / "q.xlsx", ["id", "duration"], ["A", 1], [None, None], ["A", 3])
    with pytest.raises(PlanError, match=r"\[sheet tasks\], row 4, column 'id': duplicate task id 'A' \(first used at row 2\)"):  # fmt: skip
        load_plan(path)


@pytest.mark.parametrize(
    ("header", "rows", "project", "fragment"),
    [
        (["name", "duration"], [["x", 1]], None, "row 1: missing required column 'id'"),
        ([None, None], [], None, "sheet 'tasks' is empty"),
        (["id", "duration"], [], None, "the sheet has a header but no task rows"),
        (["id", "duration"], [["A", 1]], [["colour", "red"]], "sheet 'project': unknown field(s)"),
        (["id", "duration"], [["A", 1]], [["start", "tomorrow"]], "start: expected a date"),
    ],
)
def test_bad_excel_files(tmp_path, header, rows, project, fragment):
    path = _xlsx(tmp_path / "p.xlsx", header, *rows, project=project)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert str(info.value).startswith(str(path)) and fragment in str(info.value)


def test_bad_dataframe():
    with pytest.raises(TypeError, match="expected a pandas DataFrame"):
        plan_from_frame([{"id": "A", "duration": 1}])
    with pytest.raises(PlanError, match="missing required column 'duration'"):
        plan_from_frame(pd.DataFrame({"id": ["A"]}))
    with pytest.raises(PlanError, match="the table has no task rows"):
        plan_from_frame(pd.DataFrame({"id": [], "duration": []}))
    with pytest.raises(PlanError, match=r"row 3, task 'B', column 'duration': expected a number"):
        plan_from_frame(pd.DataFrame({"id": ["A", "B"], "duration": ["1", "x"]}))


def test_json_written_is_plain_data(tmp_path):
    save_plan(rich_plan(), tmp_path / "p.json")
    data = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert data["tasks"][3]["predecessors"] == ["B FS-1", "A SF+0.5"]
    assert data["calendar"]["workdays"] == ["Mon", "Tue", "Wed", "Thu"]


@pytest.mark.parametrize("name", ["=0", "=SUM(A1:A2)", "+1", "-2", "@x"])
def test_excel_keeps_text_that_looks_like_a_formula(tmp_path, name):
    # found by test_property_round_trips_lose_nothing: openpyxl writes text starting with "="
    # as a formula unless told otherwise (the plan name, resource names)
    from itpm_course.plan.model import Resource

    plan = ProjectPlan(
        name, dt.date(2026, 1, 5), [Task("A", 1.0)], resources=[Resource("R1", name)]
    )
    path = tmp_path / "p.xlsx"
    save_plan(plan, path)
    back = load_plan(path)
    assert back.name == name
    assert back.resources[0].name == name
