"""What the change-control rules (CHG...) check: a change request and a change log, read once.

The validator takes a change request as a :class:`~itpm_course.engine.change.ChangeRequest`,
its YAML/JSON data (a mapping) or a file path, and a change log as a
:class:`~itpm_course.engine.change.ChangeLog`, a list of entries or a file (CSV or YAML).

A file that cannot be read at all (missing, not YAML, no columns) raises
:class:`~itpm_course.errors.PlanError` — ``plan check`` exits 2. A file that reads but says
something wrong (an unknown field, a bad value; a decided change without its decision) is what
the rules report as findings, so it is kept here rather than refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itpm_course.errors import PlanError, Problem

if TYPE_CHECKING:  # pragma: no cover
    from itpm_course.engine.change import ChangeLogEntry, ChangeRequest


@dataclass(frozen=True)
class ChangeInput:
    """A change request as read: the request, or the problems that kept it from being read."""

    request: ChangeRequest | None
    problems: tuple[Problem, ...] = ()
    source: str | None = None

    @property
    def label(self) -> str:
        if self.request is not None:
            return self.request.id
        return Path(self.source).name if self.source else "the change request"


@dataclass(frozen=True)
class ChangeLogInput:
    """Change-log entries and where each sits in its file (row None when unknown)."""

    entries: tuple[ChangeLogEntry, ...]
    rows: tuple[int | None, ...]
    source: str | None = None


def read_change(change: Any) -> ChangeInput | None:
    """The change request behind ``change`` (None, a ChangeRequest, a mapping or a path)."""
    from itpm_course.engine.change import (  # noqa: PLC0415
        ChangeRequest,
        change_from_dict,
        load_change,
    )

    if change is None or isinstance(change, ChangeInput):
        return change
    if isinstance(change, ChangeRequest):
        return ChangeInput(change, (), change.source)
    if isinstance(change, Mapping):
        try:
            return ChangeInput(change_from_dict(change))
        except PlanError as exc:
            return ChangeInput(None, tuple(exc.problems))
    if isinstance(change, str | Path):
        source = str(change)
        try:
            return ChangeInput(load_change(change), (), source)
        except PlanError as exc:
            # problems without a field are the file's own (missing, not YAML, empty...)
            if all(p.column is None for p in exc.problems):
                raise
            return ChangeInput(None, tuple(exc.problems), source)
    raise TypeError(
        f"change must be a ChangeRequest, its data (a mapping) or a file path, got "
        f"{type(change).__name__}"
    )


def read_change_log(log: Any) -> ChangeLogInput | None:
    """The entries of ``log`` (None, a ChangeLog, a list of entries or a CSV/YAML path).

    Unlike :meth:`ChangeLog.load`, a decided entry without its decision is kept (with
    ``decision=None``): reporting it is rule CHG010's job. Other bad cells raise PlanError.
    """
    from itpm_course.engine.change import ChangeLog, ChangeLogEntry  # noqa: PLC0415

    if log is None or isinstance(log, ChangeLogInput):
        return log
    if isinstance(log, ChangeLog):
        return ChangeLogInput(tuple(log), (None,) * len(log), log.source)
    if isinstance(log, str | Path):
        return _load_log(Path(log))
    if isinstance(log, Sequence) and all(isinstance(e, ChangeLogEntry) for e in log):
        return ChangeLogInput(tuple(log), (None,) * len(log))
    raise TypeError(
        f"change_log must be a ChangeLog, a list of ChangeLogEntry or a file path, got "
        f"{type(log).__name__}"
    )


def _load_log(path: Path) -> ChangeLogInput:
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise PlanError(
            Problem(f"unsupported file type {path.suffix!r}; use .csv, .yaml or .yml", source)
        )
    if not path.is_file():
        raise PlanError(Problem("file not found", source=source))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(Problem(f"not UTF-8 text ({exc.reason})", source=source)) from None
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = {"id", "title", "status"} - set(reader.fieldnames or [])
        if missing:
            raise PlanError(Problem(f"missing column(s) {sorted(missing)}", source=source, row=1))
        records = list(reader)
        rows: list[int | None] = [k + 2 for k in range(len(records))]  # row 1 is the header
    else:
        import yaml  # noqa: PLC0415

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise PlanError(Problem(f"not valid YAML: {exc}", source=source)) from None
        records = data.get("changes") if isinstance(data, Mapping) else data
        if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
            raise PlanError(Problem("expected a list of changes under 'changes:'", source=source))
        rows = [None] * len(records)
    return ChangeLogInput(_lenient_entries(records, source, rows), tuple(rows), source)


def _lenient_entries(
    records: list[Mapping[str, Any]], source: str, rows: list[int | None]
) -> tuple[ChangeLogEntry, ...]:
    from itpm_course.engine.change import ChangeLog  # noqa: PLC0415

    entries, problems = [], []
    for k, record in enumerate(records):
        rec = dict(record)
        undecided = not str(rec.get("decision") or "").strip()
        if undecided:
            rec["decision"] = "-"  # let the log read the rest; CHG010 reports the gap
        try:
            (entry,) = ChangeLog.from_records([rec], source=source)
        except PlanError as exc:
            problems.extend(replace(p, row=rows[k] or k + 1) for p in exc.problems)
            continue
        entries.append(replace(entry, decision=None) if undecided else entry)
    if problems:
        raise PlanError(problems)
    return tuple(entries)
