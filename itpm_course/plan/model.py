"""The project-plan model: links, tasks, the working-day calendar and the plan itself."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from itpm_course.errors import PlanError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.plan.network import Network
    from itpm_course.plan.risks import RiskRegister
    from itpm_course.plan.stakeholders import RaciMatrix, StakeholderRegister

LINK_TYPES = ("FS", "SS", "FF", "SF")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TASK_ID = re.compile(r"^[^\s;,]+$")
WBS_CODE = re.compile(r"^\d+(\.\d+)*$")
_SEPARATORS = re.compile(r"[;,]")
_BARE_ID = re.compile(r"^[^\s;,]+$")
_LINK = re.compile(
    r"^\s*(?P<id>[^\s;,]+?)(?:\s+(?P<type>[A-Za-z]{2})\s*(?:(?P<lag>[+-]\s*\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*d?)?)?\s*$"
)


class Link(NamedTuple):
    """A dependency on a predecessor: type FS, SS, FF or SF with a lag in working days."""

    predecessor: str
    type: str = "FS"
    lag: float = 0.0

    def __str__(self) -> str:
        if self.type == "FS" and self.lag == 0:
            return self.predecessor
        if self.lag == 0:
            return f"{self.predecessor} {self.type}"
        return f"{self.predecessor} {self.type}{_fmt_number(self.lag, signed=True)}"

    @classmethod
    def parse(cls, text: str) -> Link:
        """Parse ``ID``, ``ID TYPE`` or ``ID TYPE±LAG`` (e.g. ``B SS+2``) into a link."""
        m = _LINK.match(text)
        if not m:
            raise ValueError(
                f"cannot read link {text.strip()!r}: write ID, 'ID TYPE' or 'ID TYPE+LAG', e.g. 'B SS+2'"
            )
        kind = (m["type"] or "FS").upper()
        if kind not in LINK_TYPES:
            raise ValueError(
                f"cannot read link {text.strip()!r}: link type {m['type']!r} is not one of FS, SS, FF, SF"
            )
        lag = float(m["lag"].replace(" ", "")) if m["lag"] else 0.0
        return cls(m["id"], kind, lag)


def parse_links(text: str) -> list[Link]:
    """Parse a predecessor list such as ``"A; B SS+2, C FF-1"`` into links."""
    links = []
    for item in _SEPARATORS.split(text):
        item = item.strip()
        if not item:
            continue
        # Most links are a bare id (FS, no lag): skip the regex for them.
        links.append(Link(item) if _BARE_ID.match(item) else Link.parse(item))
    return links


def format_links(links: Iterable[Link]) -> str:
    """Format links as the CSV ``predecessors`` cell, e.g. ``"A; B SS+2"``."""
    return "; ".join(str(link) for link in links)


@dataclass(slots=True)
class Task:
    """One activity. ``duration`` is in working days (0 makes a milestone).

    Its cost is ``cost`` (fixed) plus ``rate`` (money per working day) times its duration.
    """

    id: str
    duration: float
    name: str = ""
    predecessors: list[Link] = field(default_factory=list)
    optimistic: float | None = None
    most_likely: float | None = None
    pessimistic: float | None = None
    wbs: str | None = None
    owner: str | None = None
    resources: list[str] = field(default_factory=list)
    cost: float | None = None
    rate: float | None = None

    @property
    def is_milestone(self) -> bool:
        return self.duration == 0

    @property
    def has_estimate(self) -> bool:
        """True when the task carries a three-point estimate."""
        return self.optimistic is not None

    def to_dict(self) -> dict[str, Any]:
        """The task as plain data (predecessors as strings), omitting empty optional fields."""
        out: dict[str, Any] = {"id": self.id, "name": self.name or self.id}
        out["duration"] = _plain_number(self.duration)
        for key in ("optimistic", "most_likely", "pessimistic"):
            value = getattr(self, key)
            if value is not None:
                out[key] = _plain_number(value)
        if self.predecessors:
            out["predecessors"] = [str(link) for link in self.predecessors]
        for key in ("wbs", "owner"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.resources:
            out["resources"] = list(self.resources)
        if self.cost is not None:
            out["cost"] = _plain_number(self.cost)
        if self.rate is not None:
            out["rate"] = _plain_number(self.rate)
        return out

    @property
    def total_cost(self) -> float:
        """Fixed cost plus rate times duration (0 when the task has neither)."""
        return (self.cost or 0.0) + (self.rate or 0.0) * self.duration


@dataclass(frozen=True, slots=True)
class Resource:
    """A person, team or role tasks can be assigned to; ``capacity`` is units per working day."""

    id: str
    name: str = ""
    capacity: float = 1.0
    rate: float | None = None  # cost per working day
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name or self.id,
            "capacity": _plain_number(float(self.capacity)),
        }
        if self.rate is not None:
            out["rate"] = _plain_number(float(self.rate))
        if self.role:
            out["role"] = self.role
        return out


@dataclass(frozen=True, slots=True)
class Calendar:
    """Working days: which weekdays are worked, and holidays that are not."""

    workdays: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
    holidays: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        bad = [d for d in self.workdays if d not in WEEKDAYS]
        if bad:
            raise PlanError(f"calendar: unknown weekday {bad[0]!r}; use {', '.join(WEEKDAYS)}")
        if not self.workdays:
            raise PlanError("calendar: at least one weekday must be a working day")

    @property
    def weekmask(self) -> str:
        return "".join("1" if d in self.workdays else "0" for d in WEEKDAYS)

    def _holidays(self) -> np.ndarray:
        return np.array(sorted(self.holidays), dtype="datetime64[D]")

    def first_workday(self, start: dt.date) -> np.datetime64:
        """The first working day on or after ``start``."""
        return np.busday_offset(
            np.datetime64(start, "D"),
            0,
            roll="forward",
            weekmask=self.weekmask,
            holidays=self._holidays(),
        )

    def add_workdays(self, start: dt.date, offsets: Any) -> np.ndarray:
        """Dates of working-day ``offsets`` (floored) counted from the first working day at ``start``."""
        offs = np.floor(np.asarray(offsets, dtype=float)).astype("int64")
        return np.busday_offset(
            self.first_workday(start),
            offs,
            roll="forward",
            weekmask=self.weekmask,
            holidays=self._holidays(),
        )

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days from ``start`` (inclusive) to ``end`` (exclusive)."""
        return int(
            np.busday_count(
                np.datetime64(start, "D"),
                np.datetime64(end, "D"),
                weekmask=self.weekmask,
                holidays=self._holidays(),
            )
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "workdays": list(self.workdays),
            "holidays": [d.isoformat() for d in sorted(self.holidays)],
        }


@dataclass(slots=True, eq=False)
class ProjectPlan:
    """A project: name, start, optional deadline and budget, calendar, tasks, resources, risks,
    stakeholders and a RACI matrix.

    ``source`` and ``task_rows`` remember where the plan was read from, so later checks can
    point at the file and row of a task.

    The constructor checks the task network (unique ids, known predecessors, no cycles)
    and raises :class:`~itpm_course.errors.PlanError` naming every problem.
    """

    name: str
    start: dt.date
    tasks: list[Task]
    deadline: dt.date | None = None
    budget: float | None = None
    calendar: Calendar = field(default_factory=Calendar)
    risks: RiskRegister | None = None
    resources: tuple[Resource, ...] = ()
    stakeholders: StakeholderRegister | None = None
    raci: RaciMatrix | None = None
    source: str | None = None
    task_rows: list[int] | None = field(default=None, repr=False)
    tasks_checked: InitVar[bool] = False
    _network: Network | None = field(default=None, init=False, repr=False)

    def __post_init__(self, tasks_checked: bool) -> None:
        from itpm_course.plan.network import build_network  # noqa: PLC0415 (avoids an import cycle)

        if not tasks_checked:
            problems = [p for t in self.tasks for p in check_task(t, source=self.source)]
            if problems:
                raise PlanError(problems)
        self._network = build_network(self.tasks, source=self.source, rows=self.task_rows)
        if self.resources:
            problems = check_resources(self)
            if problems:
                raise PlanError(problems)
        if self.risks is not None:
            from itpm_course.plan.risks import check_register_against_plan  # noqa: PLC0415

            problems = check_register_against_plan(self.risks, self)
            if problems:
                raise PlanError(problems)
        if self.raci is not None:
            from itpm_course.plan.stakeholders import check_raci_against_plan  # noqa: PLC0415

            problems = check_raci_against_plan(self.raci, self)
            if problems:
                raise PlanError(problems)

    # -- access ---------------------------------------------------------------------------
    @property
    def network(self) -> Network:
        """The dependency network as numpy arrays (built and checked once)."""
        assert self._network is not None
        return self._network

    def task(self, task_id: str) -> Task:
        """The task with id ``task_id`` (KeyError with the known ids if absent)."""
        idx = self.network.index.get(task_id)
        if idx is None:
            raise KeyError(f"no task {task_id!r} in plan {self.name!r}")
        return self.tasks[idx]

    @property
    def deadline_days(self) -> float | None:
        """Working days from the start through the deadline day (None without a deadline).

        A project whose duration is at most this finishes on or before the deadline date.
        """
        if self.deadline is None:
            return None
        return float(
            self.calendar.workdays_between(self.start, self.deadline + dt.timedelta(days=1))
        )

    @property
    def task_ids(self) -> list[str]:
        return list(self.network.ids)

    def __len__(self) -> int:
        return len(self.tasks)

    def __repr__(self) -> str:
        return f"ProjectPlan(name={self.name!r}, start={self.start.isoformat()}, tasks={len(self.tasks)})"

    # -- derived plans ----------------------------------------------------------------------
    def with_task(self, task_id: str, **changes: Any) -> ProjectPlan:
        """A copy of the plan with one task's fields changed (e.g. ``duration=7``)."""
        tasks = list(self.tasks)
        idx = self.network.index.get(task_id)
        if idx is None:
            raise KeyError(f"no task {task_id!r} in plan {self.name!r}")
        if "predecessors" in changes and isinstance(changes["predecessors"], str):
            changes["predecessors"] = parse_links(changes["predecessors"])
        new = replace(tasks[idx], **changes)
        problems = check_task(new)
        if problems:
            raise PlanError(problems)
        tasks[idx] = new
        return self.replace(tasks=tasks)

    def replace(self, **changes: Any) -> ProjectPlan:
        """A copy of the plan with plan-level fields changed."""
        fields = {
            "name": self.name,
            "start": self.start,
            "tasks": self.tasks,
            "deadline": self.deadline,
            "budget": self.budget,
            "calendar": self.calendar,
            "risks": self.risks,
            "resources": self.resources,
            "stakeholders": self.stakeholders,
            "raci": self.raci,
            "source": self.source,
            "task_rows": self.task_rows,
        }
        fields.update(changes)
        return ProjectPlan(**fields)

    # -- conversions ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The whole plan as plain data (the YAML/JSON form)."""
        out: dict[str, Any] = {"name": self.name, "start": self.start.isoformat()}
        if self.deadline is not None:
            out["deadline"] = self.deadline.isoformat()
        if self.budget is not None:
            out["budget"] = _plain_number(self.budget)
        out["calendar"] = self.calendar.to_dict()
        if self.resources:
            out["resources"] = [r.to_dict() for r in self.resources]
        out["tasks"] = [t.to_dict() for t in self.tasks]
        if self.risks is not None:
            out["risks"] = self.risks.to_dict()["risks"]
        if self.stakeholders is not None:
            out["stakeholders"] = self.stakeholders.to_dict()["stakeholders"]
        if self.raci is not None:
            out["raci"] = self.raci.to_dict()
        return out

    def to_frame(self) -> pd.DataFrame:
        """The task table as a DataFrame with the CSV columns."""
        from itpm_course.plan.io import tasks_to_frame  # noqa: PLC0415

        return tasks_to_frame(self.tasks)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str = "Project",
        start: dt.date | str | None = None,
        **kwargs: Any,
    ) -> ProjectPlan:
        """Build a plan from a task table DataFrame (columns as in the CSV contract)."""
        from itpm_course.plan.io import plan_from_frame  # noqa: PLC0415

        return plan_from_frame(frame, name=name, start=start, **kwargs)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str | None = None) -> ProjectPlan:
        """Build a plan from its plain-data form (the YAML/JSON structure)."""
        from itpm_course.plan.io import plan_from_dict  # noqa: PLC0415

        return plan_from_dict(data, source=source)


def check_resources(plan: ProjectPlan) -> list[Problem]:
    """Problems with the plan's resources: ids, capacities, and task assignments to unknown ones."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for k, r in enumerate(plan.resources, start=1):
        where = {"source": plan.source, "column": "resources"}
        if not r.id.strip() or ";" in r.id or "," in r.id:
            problems.append(
                Problem(
                    f"resource {k}: id {r.id!r} must be non-empty without ';' or ','",
                    **where,
                )
            )
        elif r.id in seen:
            problems.append(Problem(f"resource {k}: duplicate resource id {r.id!r}", **where))
        seen.add(r.id)
        if not (
            isinstance(r.capacity, int | float) and r.capacity > 0 and math.isfinite(r.capacity)
        ):
            problems.append(
                Problem(
                    f"resource {r.id!r}: capacity must be a number > 0 (units per day), got {r.capacity!r}",
                    **where,
                )
            )
        if r.rate is not None and not (isinstance(r.rate, int | float) and r.rate >= 0):
            problems.append(
                Problem(f"resource {r.id!r}: rate must be a number >= 0, got {r.rate!r}", **where)
            )
    for k, task in enumerate(plan.tasks):
        for name in task.resources:
            if name not in seen:
                row = plan.task_rows[k] if plan.task_rows else None
                problems.append(
                    Problem(
                        f"resource {name!r} is not among the plan's resources ({', '.join(sorted(seen))})",
                        source=plan.source,
                        row=row,
                        column="resources",
                        task=task.id,
                    )
                )
    return problems


def check_task(task: Task, *, source: str | None = None, row: int | None = None) -> list[Problem]:
    """Problems with one task's own fields (not its links to other tasks)."""
    if (
        task.optimistic is None
        and task.most_likely is None
        and task.pessimistic is None
        and task.wbs is None
        and task.cost is None
        and task.rate is None
        and task.duration >= 0
        and task.duration != math.inf
        and TASK_ID.match(task.id)
        and all(
            link.predecessor != task.id and link.type in LINK_TYPES for link in task.predecessors
        )
    ):
        return []  # the common case, checked without building messages
    problems: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(
            Problem(reason, source=source, row=row, column=column, task=task.id or None)
        )

    if not task.id or not TASK_ID.match(task.id):
        bad("id", f"task id {task.id!r} must be non-empty without spaces, ';' or ','")
    if not np.isfinite(task.duration) or task.duration < 0:
        bad(
            "duration",
            f"duration must be a number of working days >= 0, got {_plain_number(task.duration)}",
        )
    three = (task.optimistic, task.most_likely, task.pessimistic)
    given = [v is not None for v in three]
    if any(given) and not all(given):
        missing = [
            n
            for n, g in zip(("optimistic", "most_likely", "pessimistic"), given, strict=True)
            if not g
        ]
        bad(
            missing[0],
            "a three-point estimate needs optimistic, most_likely and pessimistic; missing "
            + ", ".join(missing),
        )
    elif all(given):
        a, m, b = three
        if min(a, m, b) < 0:
            bad(
                "optimistic",
                f"estimates must be >= 0, got {_plain_number(a)}/{_plain_number(m)}/{_plain_number(b)}",
            )
        elif not a <= m <= b:
            column = "most_likely" if a > m else "pessimistic"
            bad(
                column,
                f"estimates out of order: need optimistic <= most_likely <= pessimistic, got "
                f"{_plain_number(a)} / {_plain_number(m)} / {_plain_number(b)}",
            )
    if task.wbs is not None and not WBS_CODE.match(task.wbs):
        bad("wbs", f"WBS code {task.wbs!r} must look like 1, 1.2 or 1.2.3")
    if task.cost is not None and (not np.isfinite(task.cost) or task.cost < 0):
        bad("cost", f"cost must be a number >= 0, got {_plain_number(task.cost)}")
    if task.rate is not None and (not np.isfinite(task.rate) or task.rate < 0):
        bad(
            "rate",
            f"rate (cost per working day) must be a number >= 0, got {_plain_number(task.rate)}",
        )
    for link in task.predecessors:
        if link.type not in LINK_TYPES:
            bad("predecessors", f"link type {link.type!r} is not one of FS, SS, FF, SF")
        if link.predecessor == task.id:
            bad("predecessors", "a task cannot be its own predecessor")
    return problems


def _plain_number(x: float) -> float | int:
    """An integral float as int (5.0 -> 5) so outputs read naturally."""
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _fmt_number(x: float, signed: bool = False) -> str:
    value = _plain_number(float(x))
    return f"{value:+}" if signed else f"{value}"
