"""The validator's building blocks: findings, locations, the rule registry and the check context.

A rule is a small function of a :class:`Context` that returns an :class:`Outcome`: the issues it
found, how many items it looked at (tasks, links, risks... — the denominator of partial credit)
or why it did not apply. Its metadata (code, group, severity, title, hint) is declared as data
in the :func:`rule` decorator, so the registry can be listed, documented and snapshot-tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.engine.montecarlo import SimulationResult
    from itpm_course.engine.schedule import Schedule
    from itpm_course.plan.model import ProjectPlan
    from itpm_course.validation.changes import ChangeInput, ChangeLogInput

SEVERITIES = ("error", "warning", "info")
GROUPS = (
    "structure",
    "wbs",
    "schedule",
    "resources",
    "budget",
    "risk",
    "stakeholders",
    "quality",
    "change",
)
_CODE = re.compile(r"^[A-Z]{3}\d{3}$")


@dataclass(frozen=True)
class Location:
    """Where a finding points: a task, risk, resource, WBS code or deliverable, or the plan."""

    kind: str = "plan"  # task | risk | resource | wbs | link | deliverable | role | stakeholder | change | plan
    id: str | None = None
    file: str | None = None
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "kind": self.kind, "id": self.id}

    def prefix(self) -> str:
        """``file:row`` (or ``file`` or ``plan``) for linter-style output."""
        if self.file and self.row is not None:
            return f"{self.file}:{self.row}"
        return self.file or "plan"

    def __str__(self) -> str:
        return f"{self.kind} {self.id}" if self.id is not None else self.kind


@dataclass(frozen=True)
class Finding:
    """One thing the validator noticed about a plan, with its rule's code and a hint."""

    code: str
    severity: str
    message: str
    location: Location = field(default_factory=Location)
    hint: str = ""
    group: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: exactly code, severity, message, location, hint."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "location": self.location.to_dict(),
            "hint": self.hint,
        }

    def __str__(self) -> str:
        return (
            f"{self.location.prefix()}: {self.code} {self.severity} {self.location}: {self.message}"
        )


@dataclass(frozen=True)
class Issue:
    """What a rule function reports; :func:`validate` turns it into a :class:`Finding`."""

    message: str
    location: Location = field(default_factory=Location)
    severity: str | None = None  # None: the rule's declared severity
    hint: str | None = None  # None: the rule's declared hint


@dataclass(frozen=True)
class Outcome:
    """A rule's result: its issues, the number of items checked, or why it was skipped."""

    issues: tuple[Issue, ...] = ()
    checked: int = 1
    skipped: str | None = None

    @classmethod
    def of(cls, issues: Iterable[Issue], checked: int) -> Outcome:
        return cls(tuple(issues), max(int(checked), 0))

    @classmethod
    def skip(cls, reason: str) -> Outcome:
        return cls((), 0, reason)


@dataclass(frozen=True)
class Rule:
    """A plan rule: stable code, group, default severity, title, hint and its check function."""

    code: str
    group: str
    severity: str
    title: str
    hint: str
    check: Callable[[Context], Outcome] = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "group": self.group,
            "severity": self.severity,
            "title": self.title,
            "hint": self.hint,
        }


RULES: dict[str, Rule] = {}


def rule(*, code: str, group: str, severity: str, title: str, hint: str):
    """Register the decorated function as the rule ``code`` (metadata as data, checked here)."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must look like ABC123")
    if code in RULES:
        raise ValueError(f"rule code {code!r} is registered twice")
    if group not in GROUPS:
        raise ValueError(f"rule {code}: unknown group {group!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {code}: unknown severity {severity!r}")

    def register(fn: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        RULES[code] = Rule(code, group, severity, title, hint, fn)
        return fn

    return register


# ----------------------------------------------------------------------------------- context
@dataclass(eq=False)
class Context:
    """The plan under check plus everything rules share, each computed once on first use."""

    plan: ProjectPlan
    raci: Mapping[str, Mapping[str, str]] | None = None
    seed: int = 0
    iterations: int = 2000
    options: dict[str, Any] = field(default_factory=dict)
    change: ChangeInput | None = None  # a change request for the CHG rules
    change_log: ChangeLogInput | None = None

    # -- locations --------------------------------------------------------------------------
    def task_at(self, k: int) -> Location:
        plan = self.plan
        row = plan.task_rows[k] if plan.task_rows else None
        return Location("task", plan.tasks[k].id, plan.source, row)

    def task_loc(self, task_id: str) -> Location:
        return self.task_at(self.plan.network.index[task_id])

    def risk_at(self, k: int) -> Location:
        reg = self.plan.risks
        row = reg.row_of(k) if reg is not None else None
        return Location("risk", reg[k].id if reg is not None else None, self.plan.source, row)

    def resource_loc(self, resource_id: str) -> Location:
        return Location("resource", resource_id, self.plan.source)

    def plan_loc(self) -> Location:
        return Location("plan", None, self.plan.source)

    # -- network facts ----------------------------------------------------------------------
    @cached_property
    def n_successors(self) -> np.ndarray:
        net = self.plan.network
        return (
            np.bincount(net.pred, minlength=net.n_tasks)
            if len(net.pred)
            else np.zeros(net.n_tasks, dtype=int)
        )

    @cached_property
    def n_predecessors(self) -> np.ndarray:
        net = self.plan.network
        return (
            np.bincount(net.succ, minlength=net.n_tasks)
            if len(net.succ)
            else np.zeros(net.n_tasks, dtype=int)
        )

    @cached_property
    def wbs_parents(self) -> set[str]:
        """WBS codes that are an ancestor of another task's code (summary elements)."""
        codes = {t.wbs for t in self.plan.tasks if t.wbs}
        return {a for c in codes for a in ancestors(c)} & codes

    def is_summary(self, k: int) -> bool:
        """True for a task whose WBS code is the parent of other tasks' codes (a roll-up)."""
        code = self.plan.tasks[k].wbs
        return bool(code) and code in self.wbs_parents

    @cached_property
    def activity(self) -> np.ndarray:
        """Mask of the network's activities: all tasks but summary headers with no links."""
        isolated = (self.n_predecessors == 0) & (self.n_successors == 0)
        summary = np.array([self.is_summary(k) for k in range(len(self.plan.tasks))], dtype=bool)
        return ~(summary & isolated)

    @cached_property
    def leaves(self) -> list[int]:
        """Indices of work packages: tasks that are not WBS summary elements."""
        return [k for k in range(len(self.plan.tasks)) if not self.is_summary(k)]

    # -- engines ----------------------------------------------------------------------------
    @cached_property
    def schedule(self) -> Schedule:
        from itpm_course.engine.schedule import schedule  # noqa: PLC0415

        return schedule(self.plan)

    @cached_property
    def base_cost(self) -> float:
        """The plan's cost at the planned durations: work packages only (summaries roll up)."""
        return float(sum(self.plan.tasks[k].total_cost for k in self.leaves))

    @cached_property
    def has_costs(self) -> bool:
        return any(
            self.plan.tasks[k].cost is not None or self.plan.tasks[k].rate is not None
            for k in self.leaves
        )

    @cached_property
    def scored_risks(self) -> pd.DataFrame | None:
        if not self.plan.risks:
            return None
        from itpm_course.engine.risk import score_register  # noqa: PLC0415

        return score_register(self.plan.risks)

    @cached_property
    def simulation(self) -> SimulationResult | None:
        """A seeded Monte Carlo run with the register's threats (summary costs left out)."""
        from itpm_course.engine.montecarlo import risk_events, simulate  # noqa: PLC0415

        plan = self.plan
        if self.wbs_parents:
            tasks = [
                replace(t, cost=None, rate=None) if self.is_summary(k) else t
                for k, t in enumerate(plan.tasks)
            ]
            plan = plan.replace(tasks=tasks)
        events = []
        if plan.risks:
            # a threat adding days to no task cannot be placed in the network (RSK005 says so)
            events = risk_events(r for r in plan.risks if r.tasks or not r.impact_days)
        uncertain = any(t.has_estimate for t in plan.tasks)
        if not uncertain and not events:
            return None
        return simulate(plan, iterations=self.iterations, seed=self.seed, risks=events or None)

    # -- change control ---------------------------------------------------------------------
    @cached_property
    def applied(self) -> tuple[ProjectPlan | None, tuple[Any, ...]]:
        """The plan with the change request applied, or None and the problems that stop it."""
        from itpm_course.engine.change import apply_change  # noqa: PLC0415
        from itpm_course.errors import PlanError  # noqa: PLC0415

        if self.change is None:
            return None, ()
        if self.change.request is None:
            return None, self.change.problems
        try:
            return apply_change(self.plan, self.change.request), ()
        except PlanError as exc:
            return None, tuple(exc.problems)

    @cached_property
    def changed(self) -> Context | None:
        """The context of the changed plan (same seed and iterations), None if it does not apply."""
        plan = self.applied[0]
        if plan is None:
            return None
        return Context(plan, seed=self.seed, iterations=self.iterations)


def ancestors(code: str) -> list[str]:
    """The WBS codes above ``code``: ``"1.2.3"`` -> ``["1", "1.2"]``."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def fmt(x: float) -> str:
    """A number for messages: integers without decimals, others to 2 decimals."""
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else f"{x:,.2f}"


def id_list(ids: Iterable[str], limit: int = 8) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
