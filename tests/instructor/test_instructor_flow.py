"""The instructor flow end to end through the CLI, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import csv
import json

import pytest
import sqlalchemy as sa
from instructor_helpers import (
    EXPECTED,
    FIXTURE_SOLUTIONS,
    POINTS,
    grade_row_count,
    grade_table,
    place_submission,
)

from itpm_course.cli import main
from itpm_course.instructor.course import open_course
from itpm_course.instructor.grading import MARKER, grade_assignment

COHORT = {"ana": "right", "ben": "q1_wrong", "cleo": "q2_wrong", "dev": "blank"}


def _roster(path):
    rows = [("id", "first_name", "last_name", "email")]
    rows += [(s, s.title(), "Learner", f"{s}@example.org") for s in COHORT]
    with open(path, "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _run(*args: str) -> None:
    assert main(list(args)) == 0, args


def _flow(tmp_path, name: str, db_url: str | None, workers: int):
    """init -> roster -> release -> (submissions) -> grade -> feedback -> export; the course."""
    root = tmp_path / name
    init = ["instructor", "init", str(root), "--course-id", "itpm-demo"]
    init += ["--solutions", str(FIXTURE_SOLUTIONS)] + (["--db-url", db_url] if db_url else [])
    _run(*init)
    c = ["--course", str(root)]
    _run("instructor", "roster", "import", str(_roster(tmp_path / f"{name}.csv")), *c)
    _run("instructor", "release", "mini", *c)
    for student, kind in COHORT.items():
        place_submission(root, student, kind)
    _run("instructor", "grade", "mini", "--workers", str(workers), "--no-progress", *c)
    _run("instructor", "feedback", "mini", *c)
    _run("instructor", "export", "--to", str(tmp_path / f"{name}-grades.csv"), *c)
    return open_course(root)


def _expected_totals(course) -> dict[str, float]:
    totals: dict[str, float] = {}
    for student, _a, _nb, _cell, score in grade_table(course):
        totals[student] = totals.get(student, 0.0) + score
    return totals


@pytest.mark.slow
def test_full_flow_sqlite_and_postgres_give_identical_grades(
    tmp_path, postgres_url, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)  # nothing may appear in the working directory
    lite = _flow(tmp_path, "lite", None, workers=1)
    pg = _flow(tmp_path, "pg", postgres_url, workers=2)

    assert lite.db_url.startswith("sqlite:///") and pg.db_url.startswith("postgresql+psycopg://")
    # The PostgreSQL course never touched SQLite: no gradebook file anywhere.
    assert not (pg.root / "gradebook.db").exists()
    assert not (tmp_path / "gradebook.db").exists()
    engine = sa.create_engine(pg.db_url)
    try:
        with engine.connect() as conn:
            n_pg = conn.execute(sa.text("SELECT count(*) FROM grade")).scalar()
    finally:
        engine.dispose()
    assert n_pg == len(COHORT) * len(POINTS)

    # Same grades on both databases, and the ones the answers deserve.
    assert grade_table(lite) == grade_table(pg)
    assert _expected_totals(lite) == {s: EXPECTED[k] for s, k in COHORT.items()}

    # Exports agree too (timestamps aside).
    def rows(name):
        with open(tmp_path / f"{name}-grades.csv", newline="") as fh:
            return [
                (r["student"], r["assignment"], r["score"], r["max_score"], r["submitted"])
                for r in csv.DictReader(fh)
            ]

    assert rows("lite") == rows("pg") and len(rows("lite")) == len(COHORT)

    # Feedback for everyone, without the hidden tests.
    for course in (lite, pg):
        for student in COHORT:
            html = (course.root / "feedback" / student / "mini" / "mini.html").read_text()
            assert "add(-1, 1)" not in html and "Mini assignment" in html

    # Parallel regrade (forced) of the serially graded course: identical, no duplicate rows.
    before = grade_table(lite)
    _run("instructor", "grade", "mini", "--workers", "2", "--force", "--no-progress",
         "--course", str(lite.root))  # fmt: skip
    assert grade_table(lite) == before
    assert grade_row_count(lite) == len(COHORT) * len(POINTS)

    # A plain re-run grades nothing again.
    capsys.readouterr()
    _run("instructor", "grade", "mini", "--no-progress", "--course", str(pg.root))
    assert f"0 graded, {len(COHORT)} already graded" in capsys.readouterr().out
    assert grade_table(pg) == before


@pytest.mark.slow
def test_interrupted_run_keeps_what_was_graded_and_a_rerun_finishes(mini_course):
    for student, kind in COHORT.items():
        place_submission(mini_course.root, student, kind)
    merged: list[str] = []

    def stop_after_first(student: str) -> None:
        merged.append(student)
        raise KeyboardInterrupt

    first = grade_assignment(
        mini_course, "mini", workers=2, progress=False, on_merged=stop_after_first
    )
    assert first.interrupted and merged == [first.graded[0].student]
    kept = grade_table(mini_course)
    assert {row[0] for row in kept} >= set(merged)
    done = merged[0]
    assert json.loads((mini_course.path("autograded", done, "mini") / MARKER).read_text())

    second = grade_assignment(mini_course, "mini", workers=2, progress=False)
    assert done in second.skipped
    assert sorted(o.student for o in second.graded) == sorted(set(COHORT) - {done})
    assert second.ok
    totals = _expected_totals(mini_course)
    assert totals == {s: EXPECTED[k] for s, k in COHORT.items()}
    assert grade_row_count(mini_course) == len(COHORT) * len(POINTS)

    # A newer submission is graded again; the others are not.
    place_submission(mini_course.root, "dev", "right", minutes=5)
    third = grade_assignment(mini_course, "mini", workers=2, progress=False)
    assert [o.student for o in third.graded] == ["dev"]
    assert _expected_totals(mini_course)["dev"] == EXPECTED["right"]


@pytest.mark.slow
def test_a_submission_over_the_time_limit_fails_alone(mini_course):
    place_submission(mini_course.root, "ana", "right")
    place_submission(mini_course.root, "sly", "slow")
    summary = grade_assignment(mini_course, "mini", workers=2, timeout=20, progress=False)
    assert [o.student for o in summary.graded] == ["ana"]
    assert [o.student for o in summary.failed] == ["sly"]
    assert "timed out after 20 s" in summary.failed[0].error
    assert _expected_totals(mini_course) == {"ana": EXPECTED["right"]}
