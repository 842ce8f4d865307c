"""The parallel grader's start-up and shutdown: deferred imports, early workers, no leftovers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import psutil
import pytest
from instructor_helpers import EXPECTED, place_submission

from itpm_course.instructor import grading
from itpm_course.instructor.grading import grade_assignment

_IRI_PROBE = """
import json, sys
{setup}
import jsonschema
lark_at_import = "lark" in sys.modules
check = jsonschema.FormatChecker()
values = ["http://example.org/caf\\u00e9", "http://exa mple.org/", "urn:isbn:123", "::", ""]
print(json.dumps({{
    "lark_at_import": lark_at_import,
    "iri": [check.conforms(v, "iri") for v in values],
    "iri_reference": [check.conforms(v, "iri-reference") for v in values],
    "lark_after_use": "lark" in sys.modules,
}}))
"""


def _probe(setup: str) -> dict:
    code = _IRI_PROBE.format(setup=setup)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_deferred_iri_grammar_checks_the_same_and_loads_only_when_used():
    plain = _probe("")
    deferred = _probe(
        "from itpm_course.instructor.grading import defer_iri_grammar; defer_iri_grammar()"
    )
    # Without the deferral, importing jsonschema compiles rfc3987_syntax's Earley grammar.
    assert plain["lark_at_import"] is True
    assert deferred["lark_at_import"] is False
    # The iri formats still check exactly as before, with the real module loaded on first use.
    assert deferred["iri"] == plain["iri"] and deferred["iri_reference"] == plain["iri_reference"]
    assert plain["iri"][:2] == [True, False]
    assert deferred["lark_after_use"] is True


def test_deferral_is_a_no_op_once_jsonschema_is_imported():
    import jsonschema  # noqa: F401, PLC0415

    before = sys.modules.get("rfc3987_syntax")
    grading.defer_iri_grammar()
    assert sys.modules.get("rfc3987_syntax") is before


def _children() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True) if p.is_running()]


@pytest.mark.slow
def test_no_worker_is_left_behind_and_a_no_op_rerun_is_quick(mini_course):
    for student, kind in (("ana", "right"), ("ben", "q1_wrong"), ("cleo", "blank")):
        place_submission(mini_course.root, student, kind)
    before = {p.pid for p in _children()}
    first = grade_assignment(mini_course, "mini", workers=2, progress=False)
    assert first.ok and len(first.graded) == 3
    assert {p.pid for p in _children()} - before == set()

    # Everything is graded: the workers started early are stopped without grading anything.
    t0 = time.perf_counter()
    again = grade_assignment(mini_course, "mini", workers=2, progress=False)
    assert again.graded == [] and sorted(again.skipped) == ["ana", "ben", "cleo"]
    assert time.perf_counter() - t0 < 10
    assert {p.pid for p in _children()} - before == set()


@pytest.mark.slow
def test_more_workers_than_submissions_and_grades_as_expected(mini_course):
    place_submission(mini_course.root, "ana", "right")
    summary = grade_assignment(mini_course, "mini", workers=3, progress=False)
    assert summary.ok and summary.workers == 1
    assert [o.student for o in summary.graded] == ["ana"]
    from instructor_helpers import grade_table  # noqa: PLC0415

    assert sum(row[-1] for row in grade_table(mini_course)) == EXPECTED["right"]


def test_worker_scratch_connections_skip_fsync(tmp_path):
    """In a worker, SQLite connections (only ever the scratch gradebook) are unsynced."""
    code = (
        "import sqlalchemy as sa\n"
        "from itpm_course.instructor.grading import _scratch_sqlite_unsynced\n"
        "_scratch_sqlite_unsynced()\n"
        f"e = sa.create_engine('sqlite:///{tmp_path / 'scratch.db'}')\n"
        "with e.connect() as c:\n"
        "    print(c.exec_driver_sql('PRAGMA synchronous').scalar(),"
        " c.exec_driver_sql('PRAGMA journal_mode').scalar())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.split() == ["0", "memory"]
    # This process (the parent's side) keeps SQLite's defaults.
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'real.db'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() != 0
    finally:
        engine.dispose()
    assert os.path.exists(tmp_path / "real.db")
