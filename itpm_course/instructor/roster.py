"""Roster import: a CSV of students into the gradebook, every bad row named by its row number."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from itpm_course.instructor.course import Course, InstructorError

COLUMNS = ("id", "first_name", "last_name", "email")
# A student id becomes a directory name in submitted/ and the exchange.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RosterProblem:
    """A row that was not imported: its row number in the file (header = row 1) and why."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass
class RosterResult:
    """What an import did: student ids added and updated, and the rows left out."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    problems: list[RosterProblem] = field(default_factory=list)

    @property
    def imported(self) -> list[str]:
        return self.added + self.updated


def read_roster(path: str | os.PathLike) -> tuple[list[dict[str, str]], list[RosterProblem]]:
    """The good rows of a roster CSV (dicts of the four columns) and a problem per bad row."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InstructorError(f"{path}: not UTF-8 text; save the roster as CSV (UTF-8)") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InstructorError(f"{path}: the file is empty; expected columns {', '.join(COLUMNS)}")
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise InstructorError(
            f"{path}: row 1 (header) lacks column(s) {', '.join(missing)}; "
            f"expected {', '.join(COLUMNS)}"
        )
    index = {c: names.index(c) for c in COLUMNS}
    good: list[dict[str, str]] = []
    problems: list[RosterProblem] = []
    seen: dict[str, int] = {}
    for rownum, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line
        if len(cells) != len(header):
            problems.append(
                RosterProblem(rownum, f"{len(cells)} fields where the header has {len(header)}")
            )
            continue
        row = {c: cells[i].strip() for c, i in index.items()}
        sid = row["id"]
        why = []
        if not sid:
            why.append("empty id")
        elif not _ID.match(sid):
            why.append(f"id {sid!r} may only hold letters, digits and . _ @ + - (no spaces)")
        elif sid in seen:
            why.append(f"id {sid!r} repeats row {seen[sid]}")
        if row["email"] and not _EMAIL.match(row["email"]):
            why.append(f"email {row['email']!r} is not an address")
        if why:
            problems.append(RosterProblem(rownum, "; ".join(why)))
            continue
        seen[sid] = rownum
        good.append(row)
    return good, problems


def import_roster(course: Course, path: str | os.PathLike) -> RosterResult:
    """Add or update every good row's student in the gradebook; bad rows are reported, not lost.

    Existing students keep their grades; their names and email are updated from the file.
    """
    rows, problems = read_roster(path)
    result = RosterResult(problems=problems)
    with course.gradebook() as gb:
        known = {s.id for s in gb.students}
        for row in rows:
            sid = row["id"]
            gb.update_or_create_student(
                sid,
                first_name=row["first_name"] or None,
                last_name=row["last_name"] or None,
                email=row["email"] or None,
            )
            (result.updated if sid in known else result.added).append(sid)
    return result
