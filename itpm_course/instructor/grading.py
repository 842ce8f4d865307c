"""Parallel autograding, sharded by student, with one writer to the gradebook.

nbgrader autogrades one submission after another (nbgrader#174). Here worker processes take
students one at a time from the parent and run nbgrader's own ``autograde`` on them, each into
a **scratch SQLite gradebook** of its own that holds a copy of the assignment's structure
(notebooks and cells, same ids). A worker sends the grades back as plain data and the parent
alone writes them into the real gradebook, one transaction per submission. So:

* workers never contend for the real gradebook (SQLite's single writer, PostgreSQL alike);
* a grade is recorded once per (student, cell) by nbgrader's own unique rows — re-running
  updates them, it does not add rows;
* an interrupted run keeps every submission already merged: the merge commits per student and
  then leaves a marker (``autograded/<student>/<assignment>/.itpm-graded.json`` with the
  submission's timestamp). A re-run skips a student whose marker matches the submission in
  ``submitted/`` and the gradebook, and grades the rest (``force`` regrades everyone);
* a submission that runs longer than ``timeout`` seconds has its worker killed (with its
  kernel: each worker leads its own process group), is reported as failed, and a fresh worker
  takes over.

The autograded notebooks are written by the workers straight into ``autograded/`` (one folder
per student, so no two workers write the same files).

Start-up is kept short, since it is paid before any grading: the workers are started first and
import nbgrader while the parent reads the gradebook and builds the scratch template (they wait
for a go); jsonschema's IRI grammar, which no notebook schema uses, is compiled only if used
(:func:`defer_iri_grammar`); the parent keeps one gradebook connection for all its merges, and
a worker whose queue is empty exits at once instead of at the end of the run.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from itpm_course.instructor.course import Course, InstructorError, nbgrader_error

MARKER = ".itpm-graded.json"
# Tables copied into a worker's scratch gradebook, parents before children.
_STRUCTURE = (
    "course",
    "assignment",
    "notebook",
    "base_cell",
    "grade_cells",
    "solution_cells",
    "task_cells",
    "source_cell",
)


@dataclass
class Outcome:
    """One submission's autograding: ``ok``, seconds taken, and nbgrader's error if any."""

    student: str
    ok: bool
    seconds: float
    error: str | None = None


@dataclass
class GradeSummary:
    """What a ``grade`` run did for one assignment."""

    assignment: str
    workers: int
    graded: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


# ------------------------------------------------------------------------- start-up cost
_IRI_MODULE = "rfc3987_syntax"


def defer_iri_grammar() -> None:
    """Make importing ``jsonschema`` cheap in this process, without changing what it checks.

    nbgrader imports nbformat, which imports jsonschema, which imports ``rfc3987_syntax`` for
    its ``iri`` format checks; that module compiles an Earley grammar when imported (over a
    second of CPU, in the parent and again in every worker). No notebook or nbgrader schema
    uses the ``iri`` formats, so the real module is put off until one is checked: a stand-in
    in ``sys.modules`` loads it on first use (``is_valid_syntax`` or any other attribute).
    Does nothing once jsonschema or the module is imported, or when it is not installed.
    """
    if _IRI_MODULE in sys.modules or "jsonschema" in sys.modules:
        return
    try:
        if importlib.util.find_spec(_IRI_MODULE) is None:
            return
    except (ImportError, ValueError):
        return
    stub = types.ModuleType(_IRI_MODULE, "deferred by itpm_course.instructor.grading")

    def real() -> Any:
        if sys.modules.get(_IRI_MODULE) is stub:
            del sys.modules[_IRI_MODULE]
        return importlib.import_module(_IRI_MODULE)

    def is_valid_syntax(*args: Any, **kwargs: Any) -> Any:
        return real().is_valid_syntax(*args, **kwargs)

    def __getattr__(name: str) -> Any:  # noqa: N807 - a module's __getattr__ (PEP 562)
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(real(), name)

    stub.is_valid_syntax = is_valid_syntax
    stub.__getattr__ = __getattr__
    sys.modules[_IRI_MODULE] = stub


def _scratch_sqlite_unsynced() -> None:
    """In a worker: SQLite connections skip fsync (``synchronous=OFF``, journal in memory).

    A worker only ever opens its scratch gradebook, which is thrown away after the run (and
    rebuilt from the template if the worker dies), so durability buys nothing there; nbgrader
    commits some thirty times per submission. The real gradebook is written by the parent
    alone, with the database's normal durability.
    """
    from sqlalchemy import event  # noqa: PLC0415
    from sqlalchemy.engine import Engine  # noqa: PLC0415

    @event.listens_for(Engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        if type(dbapi_connection).__module__.startswith("sqlite3"):
            cur = dbapi_connection.cursor()
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA journal_mode=MEMORY")
            cur.close()


# ------------------------------------------------------------------------- scratch gradebooks
def _build_template(gb: Any, course: Course, assignment: str, path: Path) -> None:
    """A fresh SQLite gradebook at ``path`` holding ``assignment``'s structure from ``gb``."""
    import sqlalchemy as sa  # noqa: PLC0415
    from nbgrader.api import Base, MissingEntry  # noqa: PLC0415

    try:
        a = gb.find_assignment(assignment)
    except MissingEntry:
        raise InstructorError(
            f"assignment {assignment!r} is not in the gradebook: run "
            f"'itpm-course instructor release {assignment}' first"
        ) from None
    t = Base.metadata.tables
    conn = gb.db.connection()
    nb_ids = [
        r.id
        for r in conn.execute(
            sa.select(t["notebook"].c.id).where(t["notebook"].c.assignment_id == a.id)
        )
    ]
    cell_ids = [
        r.id
        for r in conn.execute(
            sa.select(t["base_cell"].c.id).where(t["base_cell"].c.notebook_id.in_(nb_ids))
        )
    ]
    where = {
        "course": t["course"].c.id == course.course_id,
        "assignment": t["assignment"].c.id == a.id,
        "notebook": t["notebook"].c.id.in_(nb_ids),
        "base_cell": t["base_cell"].c.id.in_(cell_ids),
        "grade_cells": t["grade_cells"].c.id.in_(cell_ids),
        "solution_cells": t["solution_cells"].c.id.in_(cell_ids),
        "task_cells": t["task_cells"].c.id.in_(cell_ids),
        "source_cell": t["source_cell"].c.notebook_id.in_(nb_ids),
    }
    rows = {
        name: [dict(r._mapping) for r in conn.execute(sa.select(t[name]).where(where[name]))]
        for name in _STRUCTURE
    }
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as out:
            for name in _STRUCTURE:
                if rows[name]:
                    out.execute(t[name].insert(), rows[name])
    finally:
        engine.dispose()


# ------------------------------------------------------------------------- the worker
def _worker_main() -> None:
    """Worker process (``python -c``): autograde each student sent on stdin into its scratch.

    Protocol: JSON lines. The worker imports what grading needs, then waits for a first line
    (``{"go": true}``: its scratch gradebook is in place) and answers ``{"ready": true}``. Then
    in: ``{"student": ..., "extension": seconds}``, or EOF to stop; out: ``{"student", "ok",
    "detail", "seconds"}``. The worker's file descriptor 1 is pointed at stderr so nothing
    nbgrader or a kernel prints can corrupt the protocol.
    """
    import warnings  # noqa: PLC0415

    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    warnings.filterwarnings("ignore")
    defer_iri_grammar()
    root, db_url, scratch, assignment = sys.argv[1:5]
    from itpm_course.instructor.course import open_course  # noqa: PLC0415

    _scratch_sqlite_unsynced()
    course = open_course(root, db_url=db_url)
    _preload()  # while the parent reads the gradebook and builds the scratch template
    if not sys.stdin.readline().strip():  # the parent's go: the scratch gradebook is ready
        return
    scratch_url = f"sqlite:///{scratch}"
    api = course.api(db_url=scratch_url)
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        task = json.loads(line)
        student, extension = task["student"], task.get("extension") or 0.0
        t0 = time.perf_counter()
        try:
            with course.gradebook(scratch_url) as gb:  # the instructor's extension, if any
                gb.update_or_create_student(student)
                gb.update_or_create_submission(
                    assignment,
                    student,
                    extension=timedelta(seconds=extension) if extension else None,
                )
            res = api.autograde(assignment, student, force=True, create=True)
            if res.get("success"):
                ok, detail = True, _read_submission(course, scratch_url, assignment, student)
            else:
                ok, detail = False, nbgrader_error(res)
        except Exception as exc:  # noqa: BLE001 - reported per submission, never fatal
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        reply = {"student": student, "ok": ok, "detail": detail,
                 "seconds": time.perf_counter() - t0}  # fmt: skip
        out.write(json.dumps(reply) + "\n")
        out.flush()


def _preload() -> None:
    """Import what the first autograde would import (nbgrader's apps, the kernel client)."""
    for name in (
        "nbgrader.apps",
        "nbgrader.converters.autograde",
        "nbclient",
        "jupyter_client.manager",
        "jupyter_client.provisioning",
        "ipykernel.kernelspec",
        "IPython.display",
        "psutil",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _read_submission(course: Course, url: str, assignment: str, student: str) -> dict:
    """A graded submission in ``url`` as plain data (timestamp, per notebook grades/comments)."""
    with course.gradebook(url) as gb:
        sub = gb.find_submission(assignment, student)
        return {
            "timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
            "notebooks": {
                nb.name: {
                    "late_submission_penalty": nb.late_submission_penalty,
                    "grades": {g.name: g.auto_score for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
                for nb in sub.notebooks
            },
        }


# ------------------------------------------------------------------------- the single writer
def merge_submission(gb: Any, assignment: str, student: str, payload: dict) -> None:
    """Write one autograded submission into the gradebook in one transaction.

    As nbgrader's SaveAutoGrades: the auto score is set, a grader's manual score is kept (and
    then the cell is flagged for review).
    """
    from datetime import datetime  # noqa: PLC0415

    from nbgrader.api import MissingEntry  # noqa: PLC0415

    try:
        gb.find_student(student)
    except MissingEntry:
        gb.add_student(student)
    stamp = payload["timestamp"]
    kwargs = {"timestamp": datetime.fromisoformat(stamp)} if stamp else {}
    gb.update_or_create_submission(assignment, student, **kwargs)
    for nb_name, nb in payload["notebooks"].items():
        sub_nb = gb.find_submission_notebook(nb_name, assignment, student)
        sub_nb.late_submission_penalty = nb["late_submission_penalty"]
        for name, auto in nb["grades"].items():
            grade = gb.find_grade(name, nb_name, assignment, student)
            grade.auto_score = auto
            grade.needs_manual_grade = grade.manual_score is not None or auto is None
        for name, text in nb["comments"].items():
            gb.find_comment(name, nb_name, assignment, student).auto_comment = text
    gb.db.commit()


def _submitted_timestamp(course: Course, student: str, assignment: str) -> str:
    path = course.path("submitted", student, assignment) / "timestamp.txt"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""


def _already_graded(course: Course, gb: Any, assignment: str, student: str) -> bool:
    marker = course.path("autograded", student, assignment) / MARKER
    try:
        done = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if done.get("submitted") != _submitted_timestamp(course, student, assignment):
        return False  # a newer submission was collected since
    from nbgrader.api import MissingEntry  # noqa: PLC0415

    try:
        sub = gb.find_submission(assignment, student)
    except MissingEntry:
        return False  # the gradebook was reset or is another database
    stamp = sub.timestamp.isoformat() if sub.timestamp else None
    return stamp == done.get("gradebook_timestamp")


# ------------------------------------------------------------------------- progress
class Progress:
    """A progress bar on stderr (tqdm when installed), or nothing when ``enabled`` is false."""

    def __init__(self, total: int, enabled: bool = True, label: str = "grading") -> None:
        self.total, self.done, self.failed, self.enabled, self.label = total, 0, 0, enabled, label
        self._bar = None
        if enabled and total:
            try:
                from tqdm import tqdm  # noqa: PLC0415

                self._bar = tqdm(total=total, desc=label, unit="submission", file=sys.stderr)
            except ImportError:
                self._draw()

    def update(self, ok: bool) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix(failed=self.failed)
        else:
            self._draw()

    def _draw(self) -> None:
        width = 30
        filled = width * self.done // max(self.total, 1)
        line = f"{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        if self.failed:
            line += f", {self.failed} failed"
        tty = sys.stderr.isatty()
        if tty or self.done == self.total or self.done == 0:
            end = "\n" if self.done == self.total or not tty else ""
            sys.stderr.write(("\r" if tty else "") + line + end)
            sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


# ------------------------------------------------------------------------- the run
def grade_assignment(
    course: Course,
    assignment: str,
    workers: int = 2,
    timeout: float = 600.0,
    force: bool = False,
    students: list[str] | None = None,
    progress: bool = True,
    on_merged: Callable[[str], None] | None = None,
) -> GradeSummary:
    """Autograde every submission of ``assignment`` with ``workers`` processes.

    ``timeout`` bounds one submission in seconds (cells also have nbgrader's own
    ``Execute.timeout``). Already graded, unchanged submissions are skipped unless ``force``.
    ``on_merged(student)`` is called after each submission is committed (tests use it).
    """
    if workers < 1:
        raise InstructorError("--workers must be at least 1")
    if timeout <= 0:
        raise InstructorError("--timeout must be a positive number of seconds")
    defer_iri_grammar()
    everyone = course.submitted_students(assignment)
    if students is not None:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise InstructorError(f"no submission of {assignment!r} from {', '.join(unknown)}")
        everyone = [s for s in everyone if s in set(students)]
    summary = GradeSummary(assignment, workers)
    if not everyone:
        raise InstructorError(
            f"no submissions of {assignment!r} in {course.path('submitted')}: "
            f"run 'itpm-course instructor collect {assignment}' first"
        )
    t_start = time.perf_counter()
    scratch_dir = Path(tempfile.mkdtemp(prefix="itpm-grade-"))
    pool = _Pool(course, assignment, scratch_dir)
    writer = _GradebookWriter(course, assignment)
    bar: Progress | None = None
    try:
        # The workers start first: their imports (a second or two of CPU each) overlap with
        # the parent's reading of the gradebook; they wait for the scratch template.
        pool.spawn(min(workers, len(everyone)))
        gb = writer.gradebook()
        todo = [s for s in everyone if force or not _already_graded(course, gb, assignment, s)]
        summary.skipped = [s for s in everyone if s not in todo]
        extensions = {}
        for s in todo:
            try:
                ext = gb.find_submission(assignment, s).extension
            except Exception:  # noqa: BLE001 - no submission row yet
                ext = None
            extensions[s] = ext.total_seconds() if ext else 0.0
        if todo:
            summary.workers = n = min(workers, len(todo))
            pool.keep(n)
            _build_template(gb, course, assignment, scratch_dir / "template.db")
            gb.db.rollback()  # end the read transaction: no lock held while workers grade
            bar = Progress(len(todo), enabled=progress, label=f"grading {assignment}")
            pool.run(todo, extensions, timeout, writer, summary, bar, on_merged)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        try:
            pool.shutdown()
        finally:
            writer.close()
            if bar is not None:
                bar.close()
            shutil.rmtree(scratch_dir, ignore_errors=True)
    summary.seconds = time.perf_counter() - t_start
    return summary


class _GradebookWriter:
    """The parent's single connection to the real gradebook, kept open for the whole run.

    One transaction per submission (committed before its marker is written); a busy or
    dropped database is retried a few times on a fresh connection.
    """

    def __init__(self, course: Course, assignment: str) -> None:
        self.course, self.assignment = course, assignment
        self._gb: Any = None

    def gradebook(self) -> Any:
        if self._gb is None:
            self._gb = self.course.gradebook()
        return self._gb

    def close(self) -> None:
        gb, self._gb = self._gb, None
        if gb is not None:
            with contextlib.suppress(Exception):
                gb.db.rollback()
            with contextlib.suppress(Exception):
                gb.close()

    def merge(self, student: str, payload: dict) -> None:
        """Record ``payload`` for ``student`` and leave the submission's marker."""
        from sqlalchemy.exc import OperationalError  # noqa: PLC0415

        for attempt in range(5):
            try:
                gb = self.gradebook()
                merge_submission(gb, self.assignment, student, payload)
                sub = gb.find_submission(self.assignment, student)
                stamp = sub.timestamp.isoformat() if sub.timestamp else None
                gb.db.rollback()  # nothing pending: ends the read transaction
                break
            except OperationalError:
                self.close()  # a fresh connection for the retry
                if attempt == 4:
                    raise
                time.sleep(0.2 * 2**attempt)
            except BaseException:
                if self._gb is not None:
                    with contextlib.suppress(Exception):
                        self._gb.db.rollback()
                raise
        course, assignment = self.course, self.assignment
        marker = course.path("autograded", student, assignment) / MARKER
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(
            json.dumps(
                {
                    "submitted": _submitted_timestamp(course, student, assignment),
                    "gradebook_timestamp": stamp,
                }
            ),
            encoding="utf-8",
        )


class _Pool:
    """The worker processes of one run: started, fed one student at a time, stopped.

    Workers are fresh interpreters (not forks): no inherited database connections or kernel
    sockets, and nothing depends on how the parent was started. Each leads its own process
    group, so killing it (a timeout) kills its kernel too.
    """

    def __init__(self, course: Course, assignment: str, scratch_dir: Path) -> None:
        self.course, self.assignment, self.scratch_dir = course, assignment, scratch_dir
        self.waiting: list[Any] = []  # spawned, not yet told to go (no template yet)
        self.starting: list[Any] = []  # told to go, not yet ready
        self.idle: list[Any] = []
        self.busy: dict[Any, tuple[str, float]] = {}  # worker -> (student, started)
        self.retired: list[Any] = []  # stdin closed: exiting on their own
        self._serial = 0

    # -- processes
    def _start(self) -> Any:
        self._serial += 1
        scratch = self.scratch_dir / f"worker-{self._serial}.db"
        log_path = self.scratch_dir / f"worker-{self._serial}.log"
        code = "from itpm_course.instructor.grading import _worker_main; _worker_main()"
        args = [str(self.course.root), self.course.db_url, str(scratch), self.assignment]
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-c", code, *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,  # its own process group: a timeout kills its kernels
                cwd=str(self.course.root),
            )
        proc.log_path = log_path
        proc.scratch = scratch
        return proc

    def spawn(self, n: int) -> None:
        """Start ``n`` workers now; they import and then wait for :meth:`keep`'s go."""
        self.waiting.extend(self._start() for _ in range(n))

    def keep(self, n: int) -> None:
        """Keep ``n`` of the spawned workers (killing the others) for the run."""
        while len(self.waiting) > n:
            self._kill(self.waiting.pop())

    def _go(self, proc: Any) -> None:
        shutil.copyfile(self.scratch_dir / "template.db", proc.scratch)
        self.starting.append(proc)
        self._write(proc, {"go": True})

    @staticmethod
    def _write(proc: Any, message: dict) -> None:
        try:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
        except OSError:
            pass  # a dead worker: its stdout ends, and that is handled there

    @staticmethod
    def _kill(proc: Any) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)

    def _retire(self, proc: Any) -> None:
        with contextlib.suppress(OSError):
            proc.stdin.close()
        self.retired.append(proc)

    @staticmethod
    def why_dead(proc: Any) -> str:
        try:
            tail = proc.log_path.read_text(errors="replace").strip().splitlines()[-1:]
        except OSError:
            tail = []
        return "the grading worker died" + (f": {tail[0]}" if tail else "")

    def shutdown(self) -> None:
        """Kill workers still starting or grading; let idle ones finish; reap everyone."""
        for proc in self.idle:
            self._retire(proc)
        self.idle = []
        for proc in [*self.waiting, *self.starting, *self.busy]:
            self._kill(proc)
        self.waiting, self.starting, self.busy = [], [], {}
        for proc in self.retired:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                self._kill(proc)
        self.retired = []

    # -- the run
    def run(
        self,
        todo: list[str],
        extensions: dict[str, float],
        timeout: float,
        writer: _GradebookWriter,
        summary: GradeSummary,
        bar: Progress,
        on_merged: Callable[[str], None] | None,
    ) -> None:
        queue = list(reversed(todo))
        busy, idle = self.busy, self.idle

        def finish(student: str, ok: bool, detail: Any, seconds: float) -> None:
            if ok:
                try:
                    writer.merge(student, detail)
                except Exception as exc:  # noqa: BLE001 - reported as this submission's failure
                    ok, detail = False, f"could not record the grades: {exc}"
            outcome = Outcome(student, ok, seconds, None if ok else str(detail))
            (summary.graded if ok else summary.failed).append(outcome)
            bar.update(ok)
            if ok and on_merged is not None:
                on_merged(student)

        def replace() -> None:
            if queue:
                self._go(self._start())

        while self.waiting:
            self._go(self.waiting.pop(0))
        while queue or busy:
            while queue and idle:
                proc, student = idle.pop(), queue.pop()
                busy[proc] = (student, time.monotonic())
                self._write(proc, {"student": student, "extension": extensions.get(student)})
            if not queue:  # nothing left to hand out: idle workers can exit now
                while idle:
                    self._retire(idle.pop())
            if not busy and not self.starting:
                if queue:  # every worker died at start-up (reported above when it happened)
                    raise InstructorError("grading workers cannot start")
                break
            streams = {p.stdout: p for p in [*busy, *self.starting]}
            deadlines = [started + timeout for _, started in busy.values()]
            pause = max(0.05, min(deadlines) - time.monotonic()) if deadlines else 5.0
            for stream in wait(list(streams), timeout=pause):
                proc = streams[stream]
                line = stream.readline()
                if proc in self.starting:
                    self.starting.remove(proc)
                    if line.strip():
                        idle.append(proc)
                        continue
                    self._kill(proc)
                    if not busy and not self.starting and not idle:
                        raise InstructorError(
                            f"grading workers cannot start: {self.why_dead(proc)}"
                        )
                    continue
                student, started = busy.pop(proc)
                if not line.strip():  # EOF: the worker died mid-submission
                    self._kill(proc)
                    finish(student, False, self.why_dead(proc), time.monotonic() - started)
                    replace()
                    continue
                reply = json.loads(line)
                idle.append(proc)
                finish(reply["student"], reply["ok"], reply["detail"], reply["seconds"])
            now = time.monotonic()
            for proc, (student, started) in list(busy.items()):
                if now - started > timeout:
                    busy.pop(proc)
                    self._kill(proc)
                    finish(student, False, f"timed out after {timeout:g} s", now - started)
                    replace()
