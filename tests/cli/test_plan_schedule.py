"""``itpm-course plan schedule``: run the real console script in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import FIXTURES

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]

PDM1 = {  # domain-facts §2.1, worked example PDM-1: ES, EF, LS, LF, TF, FF
    "A": (0, 5, 0, 5, 0, 0),
    "B": (5, 9, 5, 9, 0, 0),
    "C": (7, 15, 7, 15, 0, 0),
    "D": (8, 14, 9, 15, 1, 1),
    "E": (10, 13, 15, 18, 5, 5),
    "F": (15, 20, 15, 20, 0, 0),
    "H": (21, 23, 21, 23, 0, 0),
    "I": (18, 21, 20, 23, 2, 2),
}
KEYS = [
    "id",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "critical",
]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, timeout=60, cwd=cwd
    )


def run_json(*args) -> dict:
    proc = run("plan", "schedule", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def test_console_script_is_installed():
    assert _SCRIPT is not None, "the itpm-course console script is not installed in the venv"


def test_json_contract_exactly():
    out = run_json(FIXTURES / "pdm1.csv")
    expected = {
        "project_duration": 23,
        "critical_tasks": ["A", "B", "C", "F", "H"],
        "tasks": [
            dict(zip(KEYS, (tid, *times, times[4] == 0), strict=True))
            for tid, times in PDM1.items()
        ],
    }
    assert out == expected
    assert list(out) == ["project_duration", "critical_tasks", "tasks"]
    assert all(list(task) == KEYS for task in out["tasks"])
    # times are plain integers in working days from day 0, flags are booleans
    assert all(
        type(v) is int for t in out["tasks"] for k, v in t.items() if k not in ("id", "critical")
    )
    assert all(type(t["critical"]) is bool for t in out["tasks"])


def test_json_is_one_line_unless_indented():
    proc = run("plan", "schedule", FIXTURES / "pdm1.csv", "--json")
    assert proc.stdout.count("\n") == 1
    proc = run("plan", "schedule", FIXTURES / "pdm1.csv", "--json", "--indent", "2")
    assert proc.stdout.count("\n") > 50
    assert json.loads(proc.stdout) == run_json(FIXTURES / "pdm1.csv")


@pytest.mark.parametrize(
    ("name", "duration", "critical"),
    [
        ("pdm2.csv", 38, ["A", "D", "H", "M", "N"]),
        ("cpm1_general_foundry.csv", 15, ["A", "C", "E", "G", "H"]),
        ("cpm2_reliable.csv", 44, ["A", "B", "C", "E", "F", "J", "L", "N"]),
        ("pdm1.yaml", 23, ["A", "B", "C", "F", "H"]),
    ],
)
def test_json_for_the_published_examples(name, duration, critical):
    out = run_json(FIXTURES / name)
    assert out["project_duration"] == duration
    assert out["critical_tasks"] == critical


def test_critical_tasks_ordered_by_early_start_then_id(write):
    # Plan order differs from both id order and time order; Z and B tie on ES 0, Y and C on ES 3.
    path = write(
        "order.csv",
        "id,duration,predecessors\nY,2,Z\nZ,3,\nC,2,B\nB,3,\nEND,1,Y; C\nP,1,\n",
    )
    out = run_json(path)
    assert out["critical_tasks"] == ["B", "Z", "C", "Y", "END"]
    assert [t["id"] for t in out["tasks"]] == ["Y", "Z", "C", "B", "END", "P"]  # plan order


def test_fractional_times_in_json(write):
    out = run_json(write("frac.csv", "id,duration,predecessors\nA,1.5,\nB,2.25,A\nC,1,\n"))
    assert out["project_duration"] == 3.75
    b = next(t for t in out["tasks"] if t["id"] == "B")
    assert (b["early_start"], b["early_finish"]) == (1.5, 3.75)


def test_json_from_every_format_agrees(tmp_path):
    from itpm_course.plan import load_plan, save_plan

    plan = load_plan(FIXTURES / "pdm1.yaml")
    outputs = []
    for ext in ("csv", "xlsx", "yaml", "json"):
        save_plan(plan, tmp_path / f"p.{ext}")
        outputs.append(run_json(tmp_path / f"p.{ext}"))
    assert all(o == outputs[0] for o in outputs)


def test_human_table():
    proc = run("plan", "schedule", FIXTURES / "pdm1.csv", "--start", "2025-01-06")
    assert proc.returncode == 0 and proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == "pdm1: 8 tasks, starts 2025-01-06"
    assert lines[1] == "Project duration: 23 working days, finishing 2025-02-05"
    assert lines[2] == "Critical tasks (5): A -> B -> C -> F -> H"
    header = lines[4].split()
    assert header[:9] == ["id", "name", "dur", "ES", "EF", "LS", "LF", "TF", "FF"]
    assert set(lines[5]) == {"-"}
    rows = {line.split()[0]: line for line in lines[6:]}
    assert list(rows) == list(PDM1)
    f = rows["F"]
    assert "Integration test" in f and f.rstrip().endswith("*")
    assert f.split()[-3:] == ["2025-01-27", "2025-01-31", "*"]  # F finishes Fri 01-31
    assert rows["H"].split()[-3] == "2025-02-04"  # H starts Tue 02-04
    d = rows["D"].split()
    assert d[3:11] == ["6", "8", "14", "9", "15", "1", "1", "2025-01-16"]
    assert not rows["D"].rstrip().endswith("*")


def test_human_table_limit(write):
    path = write("l.csv", "id,duration,predecessors\nA,3,\nB,4,A\nC,1,B\n")
    proc = run("plan", "schedule", path, "--limit", "1")
    assert proc.returncode == 0, proc.stderr
    assert "... 2 more tasks" in proc.stdout
    assert "\nA " in proc.stdout and "\nB " not in proc.stdout
    proc = run("plan", "schedule", path, "--limit", "0")
    assert "\nC " in proc.stdout and "more tasks" not in proc.stdout


@pytest.mark.parametrize(
    ("deadline", "verdict"),
    [
        ("2025-01-10", "meets it by 0 working days"),  # finishes Fri 01-10, due Fri 01-10
        ("2025-01-14", "meets it by 2 working days"),
        ("2025-01-08", "misses it by 2 working days"),  # finishes Thu 01-09 .. Fri 01-10
    ],
)
def test_human_table_deadline(write, deadline, verdict):
    path = write(
        "d.yaml",
        f"name: Demo\nstart: 2025-01-06\ndeadline: {deadline}\n"
        "tasks: [{id: A, duration: 2}, {id: B, duration: 3, predecessors: [A]}]\n",
    )
    proc = run("plan", "schedule", path)
    assert proc.returncode == 0, proc.stderr
    assert "finishing 2025-01-10" in proc.stdout
    assert f"Deadline {deadline}: {verdict}" in proc.stdout


def test_output_piped_into_a_reader_that_stops_early(tmp_path):
    from benchmarks.generate import random_plan_rows, write_csv

    write_csv(random_plan_rows(5000, seed=1), tmp_path / "big.csv")
    proc = subprocess.Popen(
        [*COMMAND, "plan", "schedule", str(tmp_path / "big.csv"), "--limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.read(100)  # like `| head -c 100`
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in stderr
    assert stderr == ""


# ------------------------------------------------------------------------------- bad input
BAD = [
    ("dup.csv", "id,duration\nA,1\nA,2\n", "row 3, column 'id': duplicate task id 'A'"),
    (
        "unknown.csv",
        "id,duration,predecessors\nA,1,X\n",
        "column 'predecessors': unknown predecessor 'X'",
    ),
    (
        "link.csv",
        "id,duration,predecessors\nA,1,\nB,1,A SS 2\n",
        "row 3, task 'B', column 'predecessors': cannot read link",
    ),
    ("type.csv", "id,duration,predecessors\nA,1,\nB,1,A XX\n", "link type 'XX' is not one of"),
    ("neg.csv", "id,duration\nA,-3\n", "row 2, task 'A', column 'duration': duration must be"),
    (
        "order.csv",
        "id,duration,optimistic,most_likely,pessimistic\nA,2,5,2,1\n",
        "column 'most_likely': estimates out of order",
    ),
    ("cycle.csv", "id,duration,predecessors\nA,1,B\nB,1,A\n", "dependency cycle: "),
    ("nocol.csv", "id,name\nA,x\n", "row 1: missing required column 'duration'"),
    ("empty.csv", "", "the file is empty"),
    ("header.csv", "id,duration\n", "header but no task rows"),
    (
        "nan.csv",
        "id,duration\nA,soon\n",
        "row 2, task 'A', column 'duration': expected a number, got 'soon'",
    ),
    ("latin1.csv", "id,name,duration\nA,Caf\xe9,1\n".encode("latin-1"), "not UTF-8"),
    ("bad.yaml", "tasks: [\n", "not valid YAML at line"),
    ("bad.json", "{", "not valid JSON at line 1"),
    (
        "date.yaml",
        "start: 2025-13-01\ntasks: [{id: A, duration: 1}]\n",
        "not valid YAML: month must be in 1..12",
    ),
    (
        "date.json",
        '{"start": "01/06/2025", "tasks": [{"id": "A", "duration": 1}]}',
        "start: expected a date",
    ),
    ("field.yaml", "tasks: [{id: A, duraton: 1}]\n", "row 1: unknown field(s) ['duraton']"),
    (
        "top.json",
        '{"tasks": [{"id": "A", "duration": 1}], "owner": "me"}',
        "unknown top-level field(s) ['owner']",
    ),
    ("binary.json", b"\x89PNG\r\n\x1a\n", "not UTF-8"),
    ("broken.xlsx", b"PK not really", "cannot open as an Excel workbook"),
    ("plan.txt", "id,duration\nA,1\n", "unsupported file type '.txt'"),
]


@pytest.mark.parametrize(
    ("name", "content", "fragment", "extra"),
    [(*case, ["--json"] if k % 2 else []) for k, case in enumerate(BAD)],  # both output modes
    ids=[b[0] for b in BAD],
)
def test_bad_file_exits_2_with_message_and_no_traceback(write, name, content, fragment, extra):
    path = write(name, content)
    proc = run("plan", "schedule", path, *extra)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"itpm-course: error: {path}")
    assert fragment in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_exits_2(tmp_path):
    proc = run("plan", "schedule", tmp_path / "missing.csv")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"itpm-course: error: {tmp_path / 'missing.csv'}: file not found\n"


def test_directory_exits_2(tmp_path):
    (tmp_path / "plan.csv").mkdir()
    proc = run("plan", "schedule", tmp_path / "plan.csv")
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreadable_file_exits_2(write):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = write("secret.csv", "id,duration\nA,1\n")
    path.chmod(0)
    proc = run("plan", "schedule", path)
    assert proc.returncode == 2 and "Permission denied" in proc.stderr
    assert "Traceback" not in proc.stderr


# ----------------------------------------------------------------------------- --start misuse
def test_start_shifts_csv_dates():
    proc = run("plan", "schedule", FIXTURES / "pdm1.csv", "--start", "2025-03-03")
    assert proc.returncode == 0
    assert "starts 2025-03-03" in proc.stdout
    assert "finishing 2025-04-02" in proc.stdout
    # times in working days do not depend on the start date
    assert run_json(FIXTURES / "pdm1.csv", "--start", "2025-03-03") == run_json(
        FIXTURES / "pdm1.csv"
    )


@pytest.mark.parametrize("ext", ["yaml", "json", "xlsx"])
def test_start_with_a_whole_plan_file_is_refused(tmp_path, ext):
    from itpm_course.plan import load_plan, save_plan

    path = tmp_path / f"plan.{ext}"
    save_plan(load_plan(FIXTURES / "pdm1.yaml"), path)
    proc = run("plan", "schedule", path, "--start", "2025-01-06")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--start only applies to a CSV task table" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["2025-02-30", "06/01/2025", "next monday"])
def test_start_bad_date(value):
    proc = run("plan", "schedule", FIXTURES / "pdm1.csv", "--start", value)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "start: expected a date like 2025-01-06" in proc.stderr
    assert value in proc.stderr
    assert "Traceback" not in proc.stderr


def test_start_without_value_is_a_usage_error():
    proc = run("plan", "schedule", FIXTURES / "pdm1.csv", "--start")
    assert proc.returncode == 2
    assert "argument --start: expected one argument" in proc.stderr
    assert "usage:" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_errors():
    for args in ([], ["plan"], ["plan", "schedule"], ["plan", "frobnicate", "x.csv"]):
        proc = run(*args)
        assert proc.returncode == 2 and "usage:" in proc.stderr, args
        assert "Traceback" not in proc.stderr


def test_version():
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("itpm-course ")
