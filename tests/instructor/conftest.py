"""Fixtures of the instructor tests: a real PostgreSQL server and a fresh course directory."""

from __future__ import annotations

import itertools
import os
import warnings

import pytest
from instructor_helpers import FIXTURE_SOLUTIONS, create_database, pg_bindir, postgres_server

_db_names = itertools.count()


@pytest.fixture(autouse=True)
def _quiet_sqlalchemy():
    # nbgrader's models make SQLAlchemy emit harmless SAWarnings on every autograde.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="sqlalchemy")
        warnings.filterwarnings("ignore", module="nbgrader")
        yield


@pytest.fixture(scope="session")
def postgres_base_url():
    """A PostgreSQL server started from the installed binaries for this test session.

    Never skipped in CI (CI=true): missing binaries fail the test. Locally they skip it.
    """
    bindir = pg_bindir()
    if bindir is None:
        message = (
            "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb): "
            "apt-get install postgresql, or run .ci/run"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    with postgres_server(bindir) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_base_url):
    """A new, empty database on the session's server (a plain postgresql:// URL)."""
    return create_database(postgres_base_url, f"gradebook_{os.getpid()}_{next(_db_names)}")


@pytest.fixture
def mini_course(tmp_path):
    """A course directory with the mini fixture assignment released (SQLite gradebook)."""
    from itpm_course.instructor.course import check_result, init_course  # noqa: PLC0415

    course = init_course(tmp_path / "course", course_id="mini-course", solutions=FIXTURE_SOLUTIONS)
    api = course.api()
    check_result(api.generate_assignment("mini", force=True, create=True), "generate")
    return course
