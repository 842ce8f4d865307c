"""Helpers for the instructor tests: a fixture course, learners' submissions, a PostgreSQL server."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
FIXTURE_SOLUTIONS = HERE / "fixtures" / "solutions"
MINI = "mini"

#: The mini assignment's answer cells for each kind of learner (grade id -> source).
ANSWERS = {
    "right": {"q1_answer": "def add(a, b):\n    return a + b", "q2_answer": "finish_day = 42"},
    "q1_wrong": {"q1_answer": "def add(a, b):\n    return a - b", "q2_answer": "finish_day = 42"},
    "q2_wrong": {"q1_answer": "def add(a, b):\n    return a + b", "q2_answer": "finish_day = 40"},
    "half": {
        "q1_answer": "def add(a, b):\n    return abs(a) + b",
        "q2_answer": "finish_day = 41.5",
    },
    "blank": {},
    "slow": {"q1_answer": "import time\ntime.sleep(120)", "q2_answer": "finish_day = 42"},
}
#: Points of each test cell of the mini assignment, and the expected score per kind.
POINTS = {"q1_test": 2.0, "q2_test": 3.0, "q3_test": 1.0}
EXPECTED = {"right": 6.0, "q1_wrong": 4.0, "q2_wrong": 3.0, "half": 0.0, "blank": 0.0}


def released_notebook(course_root: Path, name: str = MINI) -> nbformat.NotebookNode:
    return nbformat.read(course_root / "release" / name / f"{name}.ipynb", as_version=4)


def fill(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the released notebook with the answer cells replaced."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def place_submission(
    course_root: Path, student: str, kind: str, name: str = MINI, minutes: int = 0
) -> None:
    """Put a learner's submission straight into submitted/ (as collect would)."""
    dest = course_root / "submitted" / student / name
    dest.mkdir(parents=True, exist_ok=True)
    nb = fill(released_notebook(course_root, name), ANSWERS[kind])
    nbformat.write(nb, dest / f"{name}.ipynb")
    stamp = dt.datetime(2026, 9, 1, 12, 0, 0) + dt.timedelta(minutes=minutes)
    (dest / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))


def grade_table(course) -> list[tuple]:
    """Every grade of the gradebook as sorted (student, assignment, notebook, cell, score)."""
    from itpm_course.instructor.report import grade_rows  # noqa: PLC0415

    df = grade_rows(course)
    return sorted(
        (r.student, r.assignment, r.notebook, r.cell, round(float(r.score), 6))
        for r in df.itertuples()
    )


def grade_row_count(course) -> int:
    """Grade rows in the gradebook (a duplicate would show here)."""
    from nbgrader.api import Grade  # noqa: PLC0415

    with course.gradebook() as gb:
        return gb.db.query(Grade).count()


# ------------------------------------------------------------------------- PostgreSQL
def pg_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), or None."""
    base = Path("/usr/lib/postgresql")
    found = sorted(
        (p / "bin" for p in base.glob("*") if (p / "bin" / "initdb").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres_user() -> list[str]:
    """A prefix that runs a command as an unprivileged user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root needs runuser (util-linux) to start PostgreSQL")
    return [runuser, "-u", os.environ.get("ITPM_PG_USER", "nobody"), "--"]


@contextlib.contextmanager
def postgres_server(bindir: Path) -> Iterator[str]:
    """Start a throwaway PostgreSQL server; yields the base URL ``postgresql://postgres@host:port``.

    initdb in a temporary directory, trust auth on 127.0.0.1 only, fsync off (tests only).
    As root, the server runs as ``nobody`` (or $ITPM_PG_USER) through runuser.
    """
    prefix = _as_postgres_user()
    tmp = Path(tempfile.mkdtemp(prefix="itpm-pg-"))
    data = tmp / "data"
    if prefix:
        shutil.chown(tmp, user=prefix[2])
    tmp.chmod(0o755)
    port = _free_port()

    def run(*args: str) -> None:
        proc = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False)
        if proc.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {proc.stderr or proc.stdout}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--no-sync")  # fmt: skip
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(tmp / "log"), "-w", "start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, check=False)  # fmt: skip
        shutil.rmtree(tmp, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """A new empty database on the server; returns its URL (plain ``postgresql://``)."""
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return f"{base_url}/{name}"


def wait_for(predicate, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
