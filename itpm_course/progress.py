"""Progress: every self-check result recorded in the workspace, and summaries of it.

Each ``exercise.check()`` made inside a workspace appends one line of JSON to
``.itpm-course/progress.jsonl``::

    {"time": "2026-11-26T09:30:00+00:00", "exercise": "05.pert_mean", "notebook": 5,
     "status": "correct", "passed": true, "score": 1.0, "hints_used": 1, "seconds": 84.2,
     "course_version": "0.1.0"}

A plain file: open it, grep it, delete it to start over. Recording is opt-in and cheap — it
happens only inside a workspace (``$ITPM_COURSE_WORKSPACE``, set by ``itpm-course start``, or a
directory at or above the current one with ``.itpm-course/manifest.json``) — and it can never
break a notebook: any failure to record is swallowed.

:func:`install` registers the recorder with :func:`itpm_course.exercises.core.add_recorder`;
``itpm-course start`` makes the kernels it starts call it (through ``PYTHONSTARTUP``).

Summaries: :func:`summary` gives progress per notebook (exercise ids start with the notebook
number, ``05.pert_mean``) and per skill area of the guide (:data:`SKILL_AREAS`, data), and
:func:`suggest_next` what to do next. ``itpm-course progress`` and
:func:`itpm_course.widgets.progress.progress_dashboard` show them.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import json
import os
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from itpm_course import __version__
from itpm_course.workspace import STATE_DIR, find_workspace

PROGRESS_FILE = "progress.jsonl"

# Exercise ids look like "05.pert_mean": the notebook number, a dot, a name. Every exercise
# module follows this today; an id without the prefix can be mapped here.
EXERCISE_NOTEBOOK_OVERRIDES: dict[str, int] = {}

_ID_PREFIX = re.compile(r"^(\d{1,2})\.")


@dataclass(frozen=True)
class SkillArea:
    """A skill area of the career guide and the notebooks that practise it."""

    id: str
    name: str
    covers: str
    notebooks: tuple[int, ...]


# The guide's skill areas ("IT Project Manager Skills": technical skills, core competencies,
# soft skills; see itpm_course/content/data/skills.yaml) plus its career sections. A notebook
# may serve more than one area. Edit this table, not the code, to change the mapping.
SKILL_AREAS: tuple[SkillArea, ...] = (
    SkillArea(
        "technical",
        "Technical skills",
        "PM tools, Agile and Waterfall methods, risk frameworks and Monte Carlo, "
        "data analytics and performance metrics",
        (4, 7, 8, 9),
    ),
    SkillArea(
        "core_competencies",
        "Core competencies",
        "Planning & execution, risk management, quality assurance, communication, leadership",
        (5, 6, 12, 13, 14),
    ),
    SkillArea(
        "soft_skills",
        "Soft skills",
        "Communication and presentation, conflict and negotiation, listening, prioritisation",
        (11, 12),
    ),
    SkillArea(
        "career",
        "Role and career",
        "The role, the career path, skills by stage, certifications, the job search",
        (1, 2, 3, 10, 11),
    ),
)


# --------------------------------------------------------------------------- recording


def notebook_of(exercise_id: str) -> int | None:
    """The notebook number of an exercise id (``"05.pert_mean"`` -> 5), or None."""
    if exercise_id in EXERCISE_NOTEBOOK_OVERRIDES:
        return EXERCISE_NOTEBOOK_OVERRIDES[exercise_id]
    match = _ID_PREFIX.match(exercise_id)
    return int(match.group(1)) if match else None


def progress_path(workspace: Path) -> Path:
    return Path(workspace) / STATE_DIR / PROGRESS_FILE


def record(workspace: Path, exercise_id: str, feedback: Any, seconds: float) -> dict:
    """Append one result to the workspace's progress file and return the record.

    ``feedback`` is an :class:`~itpm_course.exercises.core.Feedback` (anything with
    ``status``, ``score`` and ``hints_used``). One ``write`` of one line on a file opened for
    appending, so concurrent kernels do not interleave records.
    """
    status = str(getattr(feedback, "status", "error"))
    entry = {
        "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "exercise": exercise_id,
        "notebook": notebook_of(exercise_id),
        "status": status,
        "passed": status == "correct",
        "score": float(getattr(feedback, "score", 0.0) or 0.0),
        "hints_used": int(getattr(feedback, "hints_used", 0) or 0),
        "seconds": round(float(seconds), 1),
        "course_version": __version__,
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    path = progress_path(workspace)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)
    return entry


class _Recorder:
    """The callback given to ``add_recorder``: records into one workspace, never raises."""

    def __init__(self, workspace: Path):
        self.workspace = Path(workspace)

    def __call__(self, exercise_id: str, feedback: Any, seconds: float) -> None:
        try:
            record(self.workspace, exercise_id, feedback, seconds)
        except Exception:  # noqa: BLE001, S110 - recording must never break a lesson
            pass

    def __repr__(self) -> str:
        return f"<progress recorder for {self.workspace}>"


_installed: _Recorder | None = None


def install(workspace: Path | str | None = None) -> Path | None:
    """Record self-check results in ``workspace`` (default: :func:`find_workspace`).

    Idempotent; returns the workspace, or None when there is none (nothing is registered: a
    notebook opened outside a workspace records nothing). Never raises.
    """
    global _installed
    try:
        found = Path(workspace).resolve() if workspace else find_workspace()
        if found is None:
            return None
        from itpm_course.exercises import core  # noqa: PLC0415 - stdlib-only, cheap

        if _installed is not None:
            if _installed.workspace == found:
                return found
            core.remove_recorder(_installed)
        _installed = _Recorder(found)
        core.add_recorder(_installed)
        return found
    except Exception:  # noqa: BLE001 - never break the kernel that calls this
        return None


def uninstall() -> None:
    """Stop recording (tests, or a learner who wants to)."""
    global _installed
    if _installed is not None:
        from itpm_course.exercises import core  # noqa: PLC0415

        core.remove_recorder(_installed)
        _installed = None


# --------------------------------------------------------------------------- reading


def load_records(workspace: Path | str | None = None) -> list[dict]:
    """Every recorded result, oldest first; unreadable lines are skipped."""
    ws = Path(workspace) if workspace else find_workspace()
    if ws is None:
        return []
    try:
        text = progress_path(ws).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    records = []
    for line in text.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and isinstance(item.get("exercise"), str):
            records.append(item)
    return records


def course_exercises() -> dict[int, list[str]]:
    """Every exercise the course has, by notebook number (imports the exercise modules)."""
    from itpm_course import exercises  # noqa: PLC0415
    from itpm_course.exercises.core import Exercise  # noqa: PLC0415

    by_notebook: dict[int, list[str]] = {}
    for module in pkgutil.iter_modules(exercises.__path__):
        if module.name == "core":
            continue
        try:
            mod = importlib.import_module(f"{exercises.__name__}.{module.name}")
        except Exception:  # noqa: BLE001 - one broken module must not hide the others
            continue
        for value in vars(mod).values():
            if isinstance(value, Exercise):
                number = notebook_of(value.id)
                if number is not None and value.id not in by_notebook.get(number, []):
                    by_notebook.setdefault(number, []).append(value.id)
    return {k: sorted(v) for k, v in sorted(by_notebook.items())}


@dataclass
class NotebookProgress:
    number: int
    title: str
    filename: str
    exercises: list[str]
    passed: list[str] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)  # tried, not passed yet
    hints_used: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return len(self.exercises)

    @property
    def fraction(self) -> float:
        return len(self.passed) / self.total if self.total else 0.0

    @property
    def done(self) -> bool:
        return self.total > 0 and len(self.passed) == self.total

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(total=self.total, fraction=round(self.fraction, 4), done=self.done)
        return data


@dataclass
class AreaProgress:
    id: str
    name: str
    covers: str
    notebooks: list[int]
    passed: int
    total: int

    @property
    def fraction(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["fraction"] = round(self.fraction, 4)
        return data


@dataclass
class Summary:
    workspace: str | None
    notebooks: list[NotebookProgress]
    areas: list[AreaProgress]
    next: dict
    attempts: int
    passed: int
    total: int

    def to_dict(self) -> dict:
        return {
            "workspace": self.workspace,
            "attempts": self.attempts,
            "passed": self.passed,
            "total": self.total,
            "notebooks": [n.to_dict() for n in self.notebooks],
            "skill_areas": [a.to_dict() for a in self.areas],
            "next": self.next,
        }


def summary(
    workspace: Path | str | None = None,
    records: Iterable[dict] | None = None,
    exercises: dict[int, list[str]] | None = None,
) -> Summary:
    """Progress per notebook and per skill area, and what to do next.

    An exercise counts as passed once any check of it passed. ``records`` and ``exercises``
    default to the workspace's file and the course's exercises (tests pass their own).
    """
    from itpm_course.course import COURSE  # noqa: PLC0415

    ws = Path(workspace) if workspace else find_workspace()
    records = list(load_records(ws) if records is None else records)
    exercises = course_exercises() if exercises is None else exercises
    rows: dict[int, NotebookProgress] = {
        lesson.number: NotebookProgress(
            lesson.number, lesson.title, lesson.filename, list(exercises.get(lesson.number, []))
        )
        for lesson in COURSE
    }
    for rec in records:
        number = rec.get("notebook")
        if not isinstance(number, int):
            number = notebook_of(rec["exercise"])
        row = rows.get(number) if number is not None else None
        if row is None:
            continue
        ex = rec["exercise"]
        if ex not in row.exercises:  # an exercise of an older or newer version of the course
            row.exercises.append(ex)
        if rec.get("passed") and ex not in row.passed:
            row.passed.append(ex)
            if ex in row.attempted:
                row.attempted.remove(ex)
        elif not rec.get("passed") and ex not in row.passed and ex not in row.attempted:
            if rec.get("status") != "unanswered":
                row.attempted.append(ex)
    # Hints and time: per exercise the most any check reported (both accumulate per exercise).
    hints: dict[str, int] = {}
    seconds: dict[str, float] = {}
    for rec in records:
        ex = rec["exercise"]
        try:
            hints[ex] = max(hints.get(ex, 0), int(rec.get("hints_used") or 0))
            seconds[ex] = max(seconds.get(ex, 0.0), float(rec.get("seconds") or 0.0))
        except (TypeError, ValueError):
            continue
    for row in rows.values():
        row.hints_used = sum(hints.get(ex, 0) for ex in row.exercises)
        row.seconds = round(sum(seconds.get(ex, 0.0) for ex in row.exercises), 1)
    notebooks = [rows[lesson.number] for lesson in COURSE]
    areas = [
        AreaProgress(
            area.id,
            area.name,
            area.covers,
            list(area.notebooks),
            sum(len(rows[n].passed) for n in area.notebooks if n in rows),
            sum(rows[n].total for n in area.notebooks if n in rows),
        )
        for area in SKILL_AREAS
    ]
    return Summary(
        str(ws) if ws else None,
        notebooks,
        areas,
        suggest_next(notebooks, records, ws),
        len(records),
        sum(len(n.passed) for n in notebooks),
        sum(n.total for n in notebooks),
    )


def suggest_next(
    notebooks: list[NotebookProgress], records: list[dict], workspace: Path | None = None
) -> dict:
    """What to do next: carry on where the exercises are unfinished, else the next notebook.

    * nothing recorded yet: the first notebook (``00_start_here``);
    * otherwise the first notebook, in course order, that was started (an exercise tried) and
      has exercises not passed yet — finish what you started;
    * otherwise the notebook after the last one worked on, skipping those without exercises
      only if they are not available in the workspace;
    * everything passed: the capstone, or well done.
    """
    available = _available(workspace)
    by_number = {n.number: n for n in notebooks}
    if not records:
        first = notebooks[0]
        return _suggestion(first, "Start with the first notebook: it shows how the course works.")
    for row in notebooks:
        if (row.passed or row.attempted) and not row.done and row.total:
            left = [ex for ex in row.exercises if ex not in row.passed]
            return _suggestion(
                row,
                f"Finish {row.filename}: {len(left)} exercise(s) not passed yet "
                f"({', '.join(left[:4])}{'…' if len(left) > 4 else ''}).",
                left,
            )
    touched = [
        n
        for n in (rec.get("notebook") or _safe_notebook(rec) for rec in records)
        if isinstance(n, int)
    ]
    last = max(touched) if touched else -1
    for row in notebooks:
        if row.number > last and (available is None or row.filename in available):
            return _suggestion(row, f"Next in the course: {row.filename} — {row.title}.")
    if all(n.done or not n.total for n in notebooks):
        return {
            "notebook": None,
            "title": None,
            "filename": None,
            "reason": "Every self-check is passed. Well done — revisit the capstone with your own plan.",
            "exercises": [],
        }
    for row in notebooks:  # something earlier was skipped
        if row.total and not row.done:
            return _suggestion(row, f"Go back to {row.filename}: its exercises are not all passed.")
    return _suggestion(by_number[max(by_number)], "Carry on with the course.")


def _safe_notebook(rec: dict) -> int | None:
    try:
        return notebook_of(str(rec.get("exercise", "")))
    except Exception:  # noqa: BLE001
        return None


def _available(workspace: Path | None) -> set[str] | None:
    if workspace is None:
        return None
    try:
        return {p.name for p in Path(workspace).glob("*.ipynb")}
    except OSError:
        return None


def _suggestion(row: NotebookProgress, reason: str, exercises: list[str] | None = None) -> dict:
    return {
        "notebook": row.number,
        "title": row.title,
        "filename": row.filename,
        "reason": reason,
        "exercises": exercises or [],
    }


def format_summary(data: Summary, width: int = 20) -> str:
    """The summary as text for a terminal: bars per notebook and skill area, then the next step."""

    def bar(fraction: float) -> str:
        filled = round(fraction * width)
        return "█" * filled + "·" * (width - filled)

    lines = []
    where = data.workspace or "no workspace found"
    lines.append(f"Progress in {where}: {data.passed} of {data.total} self-checks passed")
    lines.append("")
    lines.append("By notebook")
    for row in data.notebooks:
        if row.total:
            count = f"{len(row.passed):>2}/{row.total:<2}"
            lines.append(f"  {row.number:02d} {row.title:<32} {bar(row.fraction)} {count}")
        else:
            lines.append(f"  {row.number:02d} {row.title:<32} (no self-checks)")
    lines.append("")
    lines.append("By skill area")
    for area in data.areas:
        lines.append(
            f"  {area.name:<35} {bar(area.fraction)} {area.passed:>2}/{area.total:<2}"
            f"  (notebooks {', '.join(f'{n:02d}' for n in area.notebooks)})"
        )
    lines.append("")
    lines.append(f"Next: {data.next['reason']}")
    return "\n".join(lines)
