"""Error types that carry the file, row, column and reason of every problem found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and why it is wrong."""

    reason: str
    source: str | None = None
    row: int | None = None
    column: str | None = None
    task: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.task is not None:
            where.append(f"task {self.task!r}")
        if self.column:
            where.append(f"column {self.column!r}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class PlanError(ValueError):
    """A project plan could not be read or is invalid; ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem] | Problem | str, source: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, source=source)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [str(p) for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"... and {len(self.problems) - 20} more problems")
        if len(self.problems) > 1:
            return f"{len(self.problems)} problems found:\n  " + "\n  ".join(lines)
        return lines[0] if lines else "invalid plan"
