"""Change control: change requests, their impact on the baseline, and the change log.

A :class:`ChangeRequest` says what should change in a plan: new values for existing tasks'
fields (``tasks``), new tasks in the CSV contract's fields (``add``), task ids to drop
(``remove``), new or updated risks (``risks``, in the risk register's fields) and a one-off
cost outside the schedule (``cost``, e.g. licences). In YAML::

    id: CR-7
    title: Add single sign-on
    requester: Head of IT security
    tasks: {BLD: {duration: 7}, PIL: {predecessors: "BLD; NET; BAK; SSO"}}
    add: [{id: SSO, name: Integrate SSO, duration: 5, predecessors: DES, cost: 9000}]

:func:`apply_change` gives the changed plan; :func:`analyse_change` compares it with the
baseline using the engines that exist (CPM, Monte Carlo, EVM's planned value curve) and
recommends a decision to the change control board. :class:`ChangeLog` records the decisions.

Durations are working days, money is in the plan's currency.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from itpm_course.errors import PlanError, Problem
from itpm_course.plan._records import load_data
from itpm_course.plan.io import TASK_COLUMNS, task_from_record, task_record
from itpm_course.plan.model import ProjectPlan, Task

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.engine.montecarlo import SimulationResult
    from itpm_course.engine.schedule import Schedule

CHANGE_KEYS = (
    "id",
    "title",
    "description",
    "requester",
    "tasks",
    "add",
    "remove",
    "risks",
    "cost",
)
EDITABLE_FIELDS = tuple(c for c in TASK_COLUMNS if c != "id")
RECOMMENDATIONS = ("approve", "approve with conditions", "defer", "reject")
STATUSES = (
    "submitted",
    "approved",
    "approved with conditions",
    "deferred",
    "rejected",
    "implemented",
)
# Differences smaller than these are noise, not impact (Monte Carlo P80 with 2,000+ iterations).
P80_TOLERANCE = 0.5  # working days
RESERVE_SHARE = 0.25  # a change that uses more than this share of the cost reserve needs conditions


# ------------------------------------------------------------------------------ the request
@dataclass(frozen=True)
class ChangeRequest:
    """A request to change the baseline plan (see the module docstring for the fields).

    ``tasks`` maps a task id to ``{field: new value}``; ``add`` holds task records; ``remove``
    task ids; ``risks`` risk records (a risk whose id is in the register replaces it);
    ``cost`` a one-off amount not tied to a task. ``source`` names the file it came from.
    """

    id: str
    title: str
    description: str = ""
    requester: str | None = None
    tasks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    add: tuple[Mapping[str, Any], ...] = ()
    remove: tuple[str, ...] = ()
    risks: tuple[Mapping[str, Any], ...] = ()
    cost: float = 0.0
    source: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.tasks or self.add or self.remove or self.risks or self.cost)

    def to_dict(self) -> dict[str, Any]:
        """The request as plain data (the YAML/JSON form), omitting empty parts."""
        out: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.description:
            out["description"] = self.description
        if self.requester:
            out["requester"] = self.requester
        if self.tasks:
            out["tasks"] = {tid: dict(values) for tid, values in self.tasks.items()}
        if self.add:
            out["add"] = [dict(r) for r in self.add]
        if self.remove:
            out["remove"] = list(self.remove)
        if self.risks:
            out["risks"] = [dict(r) for r in self.risks]
        if self.cost:
            out["cost"] = _plain(self.cost)
        return out


def change_from_dict(data: Any, *, source: str | None = None) -> ChangeRequest:
    """A :class:`ChangeRequest` from its YAML/JSON structure; PlanError lists every problem.

    Checks the structure and every value that can be checked without a plan (numbers,
    links, estimates, unknown fields). :func:`apply_change` checks the rest against a plan.
    """
    if not isinstance(data, Mapping):
        raise PlanError(
            Problem("expected a mapping with id, title and the changes at the top level", source)
        )
    problems: list[Problem] = []

    def bad(column: str, reason: str, task: str | None = None) -> None:
        problems.append(Problem(reason, source=source, column=column, task=task))

    unknown = sorted(set(map(str, data)) - set(CHANGE_KEYS))
    if unknown:
        bad(unknown[0], f"unknown field(s) {unknown}; expected {list(CHANGE_KEYS)}")
    cid = _text(data.get("id"))
    if not cid:
        bad("id", "a change request needs an id, e.g. CR-7")
    title = _text(data.get("title"))
    if not title:
        bad("title", "a change request needs a title saying what changes")

    tasks: dict[str, dict[str, Any]] = {}
    raw_tasks = data.get("tasks") or {}
    if not isinstance(raw_tasks, Mapping):
        bad("tasks", "'tasks' must map task ids to their new values, e.g. {BLD: {duration: 7}}")
        raw_tasks = {}
    for tid, values in raw_tasks.items():
        tid = str(tid)
        column = f"tasks.{tid}"
        if not isinstance(values, Mapping) or not values:
            bad(column, "give the new values as a mapping, e.g. {duration: 7}", tid)
            continue
        fields_ = sorted(set(map(str, values)) - set(EDITABLE_FIELDS))
        if fields_:
            reason = (
                "a task's id cannot be changed; remove it and add a new task instead"
                if fields_ == ["id"]
                else f"unknown task field(s) {fields_}; expected some of {list(EDITABLE_FIELDS)}"
            )
            bad(f"{column}.{fields_[0]}", reason, tid)
            continue
        tasks[tid] = {str(k): v for k, v in values.items()}

    add: list[dict[str, Any]] = []
    raw_add = data.get("add") or []
    if not isinstance(raw_add, list) or not all(isinstance(r, Mapping) for r in raw_add):
        bad("add", "'add' must be a list of task records (id, name, duration, predecessors, …)")
        raw_add = []
    for k, record in enumerate(raw_add):
        column = f"add[{k}]"
        fields_ = sorted(set(map(str, record)) - set(TASK_COLUMNS))
        if fields_:
            bad(
                f"{column}.{fields_[0]}",
                f"unknown task field(s) {fields_}; expected {list(TASK_COLUMNS)}",
                _text(record.get("id")),
            )
            continue
        task, found = task_from_record(record, source=source)
        for p in found:
            bad(f"{column}.{p.column}" if p.column else column, p.reason, p.task)
        if task is not None:
            add.append(dict(record))

    raw_remove = data.get("remove") or []
    if isinstance(raw_remove, str):
        raw_remove = [r.strip() for r in raw_remove.replace(",", ";").split(";") if r.strip()]
    if not isinstance(raw_remove, list) or not all(isinstance(r, str | int) for r in raw_remove):
        bad("remove", "'remove' must be a list of task ids")
        raw_remove = []
    remove = tuple(str(r).strip() for r in raw_remove)

    raw_risks = data.get("risks") or []
    if not isinstance(raw_risks, list) or not all(isinstance(r, Mapping) for r in raw_risks):
        bad("risks", "'risks' must be a list of risk records (id, title, probability, …)")
        raw_risks = []
    if raw_risks:
        from itpm_course.plan.risks import register_from_records  # noqa: PLC0415

        try:
            register_from_records(raw_risks, source=source, first_row=None)
        except PlanError as exc:
            problems.extend(
                Problem(p.reason, source=source, column=f"risks.{p.column}", task=p.task)
                for p in exc.problems
            )

    cost = data.get("cost", 0) or 0
    if isinstance(cost, bool) or not isinstance(cost, int | float) or not math.isfinite(cost):
        bad("cost", f"cost must be a number (money; negative for a saving), got {cost!r}")
        cost = 0.0

    if problems:
        raise PlanError(problems)
    return ChangeRequest(
        id=cid,
        title=title,
        description=_text(data.get("description")) or "",
        requester=_text(data.get("requester")),
        tasks=tasks,
        add=tuple(add),
        remove=remove,
        risks=tuple(dict(r) for r in raw_risks),
        cost=float(cost),
        source=source,
    )


def load_change(path: str | Path, plan: ProjectPlan | None = None) -> ChangeRequest:
    """Read a change request from a YAML or JSON file.

    With ``plan``, the request is also checked against it (unknown tasks, dangling
    predecessors, cycles), so a bad file fails here with every problem named.
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise PlanError(
            Problem(f"unsupported file type {path.suffix!r}; use .yaml, .yml or .json", source)
        )
    if not path.is_file():
        raise PlanError(Problem("file not found", source=source))
    data = load_data(
        path,
        "json" if path.suffix.lower() == ".json" else "yaml",
        at_byte=False,  # this reader's message has never named the byte
        blank_is_empty=True,
        null_is_empty=False,  # a YAML file of only comments is "expected a mapping"
    )
    change = change_from_dict(data, source=source)
    if plan is not None:
        apply_change(plan, change)
    return change


# ------------------------------------------------------------------------------- applying
def apply_change(plan: ProjectPlan, change: ChangeRequest) -> ProjectPlan:
    """The plan with ``change`` applied; PlanError names every problem (file, field, reason).

    Edited tasks keep their place, removed tasks go, added tasks come last (so each existing
    task keeps its random stream in the Monte Carlo simulation: common random numbers).
    A new ``duration`` given without new estimates moves the task's three-point estimate by
    the same number of days, so the added work is as uncertain as the work it joins.
    Problems found: unknown tasks, bad values, duplicate ids, removals that leave a
    successor pointing at a removed task, risks naming removed tasks, and dependency cycles.
    """
    src = change.source
    known = set(plan.network.index)
    problems: list[Problem] = []
    removed = set(change.remove)
    for tid in change.remove:
        if tid not in known:
            problems.append(_unknown(tid, "remove", plan, src))
    tasks: list[Task] = []
    for task in plan.tasks:
        if task.id in removed:
            continue
        edit = change.tasks.get(task.id)
        if edit is None:
            tasks.append(task)
            continue
        new, found = _edited(task, edit, src)
        problems.extend(found)
        tasks.append(new if new is not None else task)
    for tid in change.tasks:
        if tid not in known:
            problems.append(_unknown(tid, f"tasks.{tid}", plan, src))
        elif tid in removed:
            problems.append(
                Problem(
                    "the change both edits and removes this task",
                    source=src,
                    column=f"tasks.{tid}",
                    task=tid,
                )
            )
    ids = {t.id for t in tasks}
    for k, record in enumerate(change.add):
        task, found = task_from_record(record, source=src)
        problems.extend(
            replace(p, column=f"add[{k}].{p.column}" if p.column else f"add[{k}]") for p in found
        )
        if task is None:
            continue
        if task.id in ids or task.id in removed:
            problems.append(
                Problem(
                    f"task id {task.id!r} is already used in the plan; pick a new id",
                    source=src,
                    column=f"add[{k}].id",
                    task=task.id,
                )
            )
            continue
        ids.add(task.id)
        tasks.append(task)
    for task in tasks:
        for link in task.predecessors:
            if link.predecessor in removed:
                problems.append(
                    Problem(
                        f"predecessor {link.predecessor!r} is removed by the change, which would leave "
                        f"{task.id} dangling; give {task.id} new predecessors under 'tasks'",
                        source=src,
                        column="remove",
                        task=task.id,
                    )
                )
            elif link.predecessor not in ids:
                problems.append(
                    Problem(
                        f"unknown predecessor {link.predecessor!r} (no task has this id)",
                        source=src,
                        column="predecessors",
                        task=task.id,
                    )
                )
    risks, found = _changed_risks(plan, change, removed)
    problems.extend(found)
    if problems:
        raise PlanError(problems)
    try:
        return plan.replace(tasks=tasks, task_rows=None, risks=risks)
    except PlanError as exc:
        raise PlanError(
            [
                Problem(
                    p.reason.replace(
                        "dependency cycle", "the change introduces a dependency cycle", 1
                    ),
                    source=src,
                    column=p.column,
                    task=p.task,
                )
                for p in exc.problems
            ]
        ) from None


def _unknown(tid: str, column: str, plan: ProjectPlan, src: str | None) -> Problem:
    shown = ", ".join(plan.task_ids[:20]) + (" …" if len(plan) > 20 else "")
    return Problem(
        f"unknown task {tid!r}; the plan's tasks are {shown}", src, column=column, task=tid
    )


def _edited(
    task: Task, edit: Mapping[str, Any], src: str | None
) -> tuple[Task | None, list[Problem]]:
    record = task_record(task)
    record.update(edit)
    estimates = ("optimistic", "most_likely", "pessimistic")
    if "duration" in edit and task.has_estimate and not any(k in edit for k in estimates):
        try:
            delta = float(edit["duration"]) - task.duration
        except (TypeError, ValueError):
            delta = 0.0  # the bad duration is reported by task_from_record below
        if math.isfinite(delta):
            for key in estimates:
                record[key] = max(0.0, getattr(task, key) + delta)
    new, found = task_from_record(record, source=src)
    return new, [
        replace(p, column=f"tasks.{task.id}.{p.column}" if p.column else f"tasks.{task.id}")
        for p in found
    ]


def _changed_risks(plan: ProjectPlan, change: ChangeRequest, removed: set[str]):
    from itpm_course.plan.risks import RiskRegister, register_from_records  # noqa: PLC0415

    register = plan.risks
    problems: list[Problem] = []
    if change.risks:
        records = {r.id: r.to_dict() for r in register} if register is not None else {}
        for record in change.risks:
            records[str(record.get("id"))] = dict(record)  # replaces, or appends at the end
        try:
            register = register_from_records(
                list(records.values()), source=change.source, first_row=None
            )
        except PlanError as exc:
            return register, [replace(p, column=f"risks.{p.column}") for p in exc.problems]
    if register is not None and removed:
        for risk in register:
            gone = [t for t in risk.tasks if t in removed]
            if gone and risk.is_active:
                problems.append(
                    Problem(
                        f"risk {risk.id} names task {gone[0]!r}, which the change removes; "
                        "update the risk under 'risks'",
                        source=change.source,
                        column="risks",
                        task=gone[0],
                    )
                )
    if register is not None and not isinstance(register, RiskRegister):  # pragma: no cover
        register = RiskRegister(list(register))
    return register, problems


# ------------------------------------------------------------------------------- analysing
@dataclass(frozen=True, eq=False)
class ChangeImpact:
    """The impact of a change request on the baseline, and the recommended decision.

    Durations in working days, money in the plan's currency. ``cost_*`` are the sum of the
    task costs (plus the request's one-off ``cost`` after the change); ``cost_p80_*`` the
    Monte Carlo P80 cost including risk events (None without task costs). ``bac_*`` and
    ``pv_end_*`` come from the planned value curve (BAC and the period in which PV reaches it).
    """

    change: ChangeRequest
    baseline: ProjectPlan
    plan: ProjectPlan
    schedule_before: Schedule
    schedule_after: Schedule
    simulation_before: SimulationResult
    simulation_after: SimulationResult
    cost_before: float
    cost_after: float
    pv_before: tuple[np.ndarray, np.ndarray]
    pv_after: tuple[np.ndarray, np.ndarray]
    recommendation: str
    reasons: tuple[str, ...]
    period_days: float = 5.0

    @property
    def baseline_duration(self) -> float:
        return self.schedule_before.project_duration

    @property
    def new_duration(self) -> float:
        return self.schedule_after.project_duration

    @property
    def delta_duration(self) -> float:
        return round(self.new_duration - self.baseline_duration, 9)

    @property
    def critical_tasks_before(self) -> list[str]:
        return self.schedule_before.critical_tasks

    @property
    def critical_tasks_after(self) -> list[str]:
        return self.schedule_after.critical_tasks

    @property
    def p80_before(self) -> float:
        return self.simulation_before.percentile(80)

    @property
    def p80_after(self) -> float:
        return self.simulation_after.percentile(80)

    @property
    def delta_cost(self) -> float:
        return self.cost_after - self.cost_before

    @property
    def cost_p80_before(self) -> float | None:
        sim = self.simulation_before
        return sim.cost_percentile(80) if sim.cost is not None else None

    @property
    def cost_p80_after(self) -> float | None:
        sim = self.simulation_after
        if sim.cost is None:
            return None
        return sim.cost_percentile(80) + self.change.cost

    @property
    def deadline_days(self) -> float | None:
        return self.baseline.deadline_days

    @property
    def budget(self) -> float | None:
        return self.baseline.budget

    @property
    def bac_before(self) -> float:
        return float(self.pv_before[1][-1])

    @property
    def bac_after(self) -> float:
        return float(self.pv_after[1][-1]) + self.change.cost

    @property
    def pv_end_before(self) -> float:
        """The period in which the baseline's planned value reaches BAC (the planned finish)."""
        return float(self.pv_before[0][-1])

    @property
    def pv_end_after(self) -> float:
        return float(self.pv_after[0][-1])

    def probability_on_time(self, after: bool = True) -> float | None:
        """Share of simulated finishes within the deadline (None without a deadline)."""
        if self.deadline_days is None:
            return None
        sim = self.simulation_after if after else self.simulation_before
        return sim.probability_on_time(self.deadline_days)

    def to_dict(self, digits: int = 2) -> dict[str, Any]:
        """JSON-ready summary; the CLI's ``--json`` output."""

        def r(x: float | None) -> float | int | None:
            return None if x is None else _plain(round(float(x), digits))

        return {
            "change": self.change.id,
            "title": self.change.title,
            "baseline_duration": r(self.baseline_duration),
            "new_duration": r(self.new_duration),
            "delta_duration": r(self.delta_duration),
            "deadline_days": r(self.deadline_days),
            "critical_tasks_before": self.critical_tasks_before,
            "critical_tasks_after": self.critical_tasks_after,
            "p80_before": r(self.p80_before),
            "p80_after": r(self.p80_after),
            "probability_on_time_before": r(self.probability_on_time(after=False)),
            "probability_on_time_after": r(self.probability_on_time(after=True)),
            "cost_before": r(self.cost_before),
            "cost_after": r(self.cost_after),
            "delta_cost": r(self.delta_cost),
            "cost_p80_before": r(self.cost_p80_before),
            "cost_p80_after": r(self.cost_p80_after),
            "budget": r(self.budget),
            "bac_before": r(self.bac_before),
            "bac_after": r(self.bac_after),
            "pv_end_before": r(self.pv_end_before),
            "pv_end_after": r(self.pv_end_after),
            "period_days": r(self.period_days),
            "iterations": self.simulation_after.iterations,
            "seed": self.simulation_after.seed,
            "recommendation": self.recommendation,
            "reasons": list(self.reasons),
        }

    def describe(self) -> str:
        """A plain-text impact analysis for the change control board."""
        c = self.change
        lines = [f"{c.id}: {c.title}"]
        if c.requester:
            lines.append(f"Requested by {c.requester}")
        lines.append("")
        lines.append(f"{'':22}{'baseline':>12}{'with change':>14}{'change':>10}")

        def row(label: str, a: float | None, b: float | None, fmt: str) -> None:
            if a is None or b is None:
                return
            lines.append(f"{label:22}{a:>12{fmt}}{b:>14{fmt}}{b - a:>+10{fmt}}")

        row("CPM finish (days)", self.baseline_duration, self.new_duration, ",.1f")
        row("P80 finish (days)", self.p80_before, self.p80_after, ",.1f")
        pb, pa = self.probability_on_time(False), self.probability_on_time(True)
        if pb is not None:
            lines.append(
                f"{'P(on time)':22}{pb:>12.0%}{pa:>14.0%}{round(pa * 100) - round(pb * 100):>+7d} pp"
            )
        row("Cost", self.cost_before, self.cost_after, ",.0f")
        row("P80 cost", self.cost_p80_before, self.cost_p80_after, ",.0f")
        row("BAC", self.bac_before, self.bac_after, ",.0f")
        row("PV reaches BAC (wk)", self.pv_end_before, self.pv_end_after, ",.1f")
        if self.deadline_days is not None:
            lines.append(f"Deadline: day {self.deadline_days:g}")
        if self.budget is not None:
            lines.append(f"Budget: {self.budget:,.0f}")
        before, after = self.critical_tasks_before, self.critical_tasks_after
        lines.append("Critical path before: " + " → ".join(before))
        if after != before:
            lines.append("Critical path after:  " + " → ".join(after))
        else:
            lines.append("Critical path unchanged")
        lines.append("")
        lines.append(f"Recommendation: {self.recommendation.upper()}")
        lines.extend(f"  - {reason}" for reason in self.reasons)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


def analyse_change(
    plan: ProjectPlan,
    change: ChangeRequest,
    *,
    iterations: int = 5000,
    seed: int = 0,
    period_days: float = 5.0,
    baseline_simulation: SimulationResult | None = None,
) -> ChangeImpact:
    """Compare ``plan`` with ``plan`` + ``change``: CPM, Monte Carlo P80, cost, EVM and a decision.

    Both simulations use the same ``seed`` and each task keeps its own random stream, so the
    difference between them is the change, not sampling noise (common random numbers).
    ``baseline_simulation`` reuses a simulation of ``plan`` made with the same settings
    (widgets pass it to halve the work on every move).

    The recommendation follows these rules, the first that applies wins (D = the plan's
    deadline in working days, B = its approved budget; a rule needing D or B is skipped when
    the plan has none):

    1. **approve** when nothing gets worse: CPM finish, P80 finish (within 0.5 day) and cost
       do not rise.
    2. **reject** when the changed plan itself breaks a constraint: its CPM finish is after D,
       or its cost is above B. That cannot be absorbed; it needs re-planning with the sponsor
       (a new baseline), not a change approval.
    3. **defer** when the change pushes a constraint out of reach at 80% confidence: it moves
       P80 later and the new P80 finish is after D, or it adds cost and the new P80 cost
       (with risk events) is above B. Park it for a later release, or come back with a
       response that brings P80 inside. (A change that does not move P80 is not deferred
       for the baseline's own troubles; those are for escalation, not change control.)
    4. **approve with conditions** when it fits but consumes reserve: the CPM finish or P80
       moves later, the critical path changes, or the cost uses more than a quarter of the
       remaining cost reserve (B minus the baseline cost). The conditions are the reasons.
    5. **approve** otherwise: the change is absorbed by float and reserve.
    """
    from itpm_course.engine.evm import planned_value_curve  # noqa: PLC0415
    from itpm_course.engine.montecarlo import risk_events, simulate  # noqa: PLC0415
    from itpm_course.engine.schedule import schedule  # noqa: PLC0415

    new_plan = apply_change(plan, change)
    before, after = schedule(plan), schedule(new_plan)

    def sim(p: ProjectPlan) -> SimulationResult:
        events = risk_events(p.risks) if p.risks is not None else None
        return simulate(p, iterations=iterations, seed=seed, risks=events)

    sim_before = baseline_simulation if baseline_simulation is not None else sim(plan)
    sim_after = sim(new_plan)
    cost_before = float(sum(t.total_cost for t in plan.tasks))
    cost_after = float(sum(t.total_cost for t in new_plan.tasks)) + change.cost
    impact = ChangeImpact(
        change=change,
        baseline=plan,
        plan=new_plan,
        schedule_before=before,
        schedule_after=after,
        simulation_before=sim_before,
        simulation_after=sim_after,
        cost_before=cost_before,
        cost_after=cost_after,
        pv_before=planned_value_curve(plan, period_days=period_days, baseline=before),
        pv_after=planned_value_curve(new_plan, period_days=period_days, baseline=after),
        recommendation="approve",
        reasons=(),
        period_days=float(period_days),
    )
    decision, reasons = recommend(impact)
    return replace(impact, recommendation=decision, reasons=tuple(reasons))


def recommend(impact: ChangeImpact) -> tuple[str, list[str]]:
    """The decision for the change control board and its reasons (rules in :func:`analyse_change`)."""
    d, b = impact.deadline_days, impact.budget
    dt_cpm = impact.delta_duration
    dt_p80 = impact.p80_after - impact.p80_before
    dcost = impact.delta_cost
    if dt_cpm <= 0 and dt_p80 <= P80_TOLERANCE and dcost <= 0:
        reasons = ["the change makes neither the finish nor the cost worse"]
        if dt_cpm < 0 or dcost < 0:
            reasons = [
                f"the change moves the CPM finish by {dt_cpm:+g} days and the cost by {dcost:+,.0f}"
            ]
        return "approve", reasons
    reject: list[str] = []
    if d is not None and impact.new_duration > d:
        reject.append(
            f"the changed plan finishes on day {impact.new_duration:g}, after the deadline "
            f"(day {d:g}), even if nothing else goes wrong"
        )
    if b is not None and impact.cost_after > b:
        reject.append(
            f"the changed plan costs {impact.cost_after:,.0f}, above the budget of {b:,.0f}"
        )
    if reject:
        return "reject", [*reject, "this needs re-planning with the sponsor (a new baseline)"]
    defer: list[str] = []
    if d is not None and impact.p80_after > d and dt_p80 > P80_TOLERANCE:
        text = (
            f"P80 finish moves to day {impact.p80_after:.1f}, after the deadline (day {d:g}): "
            f"on-time probability {impact.probability_on_time(True):.0%}"
        )
        if impact.p80_before > d:
            text += f"; P80 was already after it (day {impact.p80_before:.1f}) before the change"
        defer.append(text)
    cost80, cost80_before = impact.cost_p80_after, impact.cost_p80_before
    if b is not None and cost80 is not None and cost80 > b and dcost > 0:
        text = f"P80 cost {cost80:,.0f} is above the budget of {b:,.0f}"
        if cost80_before is not None and cost80_before > b:
            text += f" (it was {cost80_before:,.0f} before the change)"
        defer.append(text)
    if defer:
        return "defer", [
            *defer,
            "park it for a later release, or bring a response that keeps P80 inside the limits",
        ]
    conditions: list[str] = []
    if dt_cpm > 0:
        conditions.append(f"the CPM finish moves {_days(dt_cpm)} later")
    if dt_p80 > P80_TOLERANCE:
        conditions.append(f"P80 moves {_days(dt_p80)} later")
        if d is not None:
            conditions[-1] += f", leaving {_days(d - impact.p80_after)} to the deadline"
    if impact.critical_tasks_after != impact.critical_tasks_before:
        conditions.append("the critical path changes: brief the owners of the new critical tasks")
    if b is not None and dcost > 0:
        reserve = b - impact.cost_before
        if reserve <= 0 or dcost > RESERVE_SHARE * reserve:
            share = dcost / reserve if reserve > 0 else math.inf
            conditions.append(
                f"it uses {dcost:,.0f} of the {max(reserve, 0):,.0f} cost reserve"
                + (f" ({share:.0%})" if math.isfinite(share) else "")
            )
    if conditions:
        return "approve with conditions", conditions
    reasons = []
    if dt_cpm <= 0 and dcost > 0:
        reasons.append("the added work fits in the float: the finish does not move")
    if dcost > 0:
        reasons.append(f"the extra cost {dcost:,.0f} fits the reserve")
    return "approve", reasons or ["the change is absorbed by float and reserve"]


def finish_shift(plan: ProjectPlan, task_id: str, delta: float) -> float:
    """How many days the CPM finish moves when ``task_id`` takes ``delta`` days longer.

    For finish-to-start networks this is ``max(0, delta - total float)``; with other link
    types it is what CPM says.
    """
    from itpm_course.engine.schedule import schedule  # noqa: PLC0415

    task = plan.task(task_id)
    changed = plan.with_task(task_id, duration=task.duration + delta)
    return schedule(changed).project_duration - schedule(plan).project_duration


# ------------------------------------------------------------------------------- change log
LOG_COLUMNS = (
    "id",
    "title",
    "requester",
    "submitted",
    "status",
    "recommendation",
    "decision",
    "decided_by",
    "decided",
    "delta_duration",
    "delta_cost",
)


@dataclass(frozen=True)
class ChangeLogEntry:
    """One change request in the log: its impact in brief and the board's decision.

    ``status`` is one of :data:`STATUSES`; ``submitted``/``decided`` are dates;
    ``delta_duration`` working days, ``delta_cost`` money.
    """

    id: str
    title: str
    status: str = "submitted"
    requester: str | None = None
    submitted: dt.date | None = None
    recommendation: str | None = None
    decision: str | None = None
    decided_by: str | None = None
    decided: dt.date | None = None
    delta_duration: float | None = None
    delta_cost: float | None = None

    def to_record(self) -> dict[str, Any]:
        out = {}
        for key in LOG_COLUMNS:
            value = getattr(self, key)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, float):
                value = _plain(value)
            out[key] = value
        return out


class ChangeLog(Sequence[ChangeLogEntry]):
    """The change log: every change request and what was decided, in the order raised."""

    def __init__(self, entries: Iterable[ChangeLogEntry] = (), *, source: str | None = None):
        self._entries = list(entries)
        self.source = source
        problems = []
        seen: set[str] = set()
        for k, e in enumerate(self._entries, start=1):
            problems.extend(_check_entry(e, source=source, row=k))
            if e.id in seen:
                problems.append(
                    Problem(f"duplicate change id {e.id!r}", source=source, row=k, column="id")
                )
            seen.add(e.id)
        if problems:
            raise PlanError(problems)

    def __getitem__(self, k):
        return self._entries[k]

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"ChangeLog({len(self)} changes)"

    def get(self, change_id: str) -> ChangeLogEntry:
        for e in self._entries:
            if e.id == change_id:
                return e
        raise KeyError(f"no change {change_id!r} in the log")

    def record(
        self,
        impact: ChangeImpact,
        *,
        status: str | None = None,
        decision: str | None = None,
        decided_by: str | None = None,
        submitted: dt.date | None = None,
        decided: dt.date | None = None,
    ) -> ChangeLog:
        """A new log with ``impact``'s change added (or updated when its id is logged).

        ``status`` defaults to the status matching the recommendation (``approve`` →
        ``approved``, ``defer`` → ``deferred`` …) once a ``decision`` is given, else
        ``submitted``.
        """
        if status is None:
            status = _STATUS_OF[impact.recommendation] if decision else "submitted"
        entry = ChangeLogEntry(
            id=impact.change.id,
            title=impact.change.title,
            requester=impact.change.requester,
            status=status,
            submitted=submitted,
            recommendation=impact.recommendation,
            decision=decision,
            decided_by=decided_by,
            decided=decided,
            delta_duration=float(impact.delta_duration),
            delta_cost=float(impact.delta_cost),
        )
        return self.with_entry(entry)

    def with_entry(self, entry: ChangeLogEntry) -> ChangeLog:
        """A new log with ``entry`` added, or replacing the entry with its id."""
        entries = [e for e in self._entries if e.id != entry.id]
        if len(entries) == len(self._entries):
            entries.append(entry)
        else:
            entries = [entry if e.id == entry.id else e for e in self._entries]
        return ChangeLog(entries, source=self.source)

    def counts(self) -> dict[str, int]:
        """How many changes have each status."""
        return {s: sum(e.status == s for e in self._entries) for s in STATUSES}

    def to_records(self) -> list[dict[str, Any]]:
        return [e.to_record() for e in self._entries]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame(self.to_records(), columns=list(LOG_COLUMNS))

    def to_csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(LOG_COLUMNS)
        for record in self.to_records():
            writer.writerow(["" if record[c] is None else record[c] for c in LOG_COLUMNS])
        return buffer.getvalue()

    def to_yaml_text(self) -> str:
        import yaml  # noqa: PLC0415

        records = [{k: v for k, v in r.items() if v is not None} for r in self.to_records()]
        return yaml.safe_dump({"changes": records}, sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> None:
        """Write the log as CSV or YAML, chosen by the extension."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            path.write_text(self.to_csv_text(), encoding="utf-8")
        elif suffix in (".yaml", ".yml"):
            path.write_text(self.to_yaml_text(), encoding="utf-8")
        else:
            raise ValueError(f"unsupported file type {path.suffix!r}; use .csv, .yaml or .yml")

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, source: str | None = None
    ) -> ChangeLog:
        """A log from rows keyed by :data:`LOG_COLUMNS`; PlanError names each bad cell."""
        entries, problems = [], []
        for k, record in enumerate(records, start=1):
            entry, found = _entry_from_record(record, source=source, row=k)
            problems.extend(found)
            if entry is not None:
                entries.append(entry)
        if problems:
            raise PlanError(problems)
        return cls(entries, source=source)

    @classmethod
    def from_csv_text(cls, text: str, *, source: str = "<csv>") -> ChangeLog:
        reader = csv.DictReader(io.StringIO(text))
        missing = {"id", "title", "status"} - set(reader.fieldnames or [])
        if missing:
            raise PlanError(Problem(f"missing column(s) {sorted(missing)}", source=source, row=1))
        return cls.from_records(list(reader), source=source)

    @classmethod
    def from_yaml_text(cls, text: str, *, source: str = "<yaml>") -> ChangeLog:
        import yaml  # noqa: PLC0415

        data = yaml.safe_load(text) or {}
        records = data.get("changes") if isinstance(data, Mapping) else data
        if not isinstance(records, list):
            raise PlanError(Problem("expected a list of changes under 'changes:'", source=source))
        return cls.from_records(records, source=source)

    @classmethod
    def load(cls, path: str | Path) -> ChangeLog:
        """Read a log written by :meth:`save` (CSV or YAML)."""
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".csv":
            return cls.from_csv_text(text, source=str(path))
        if path.suffix.lower() in (".yaml", ".yml"):
            return cls.from_yaml_text(text, source=str(path))
        raise PlanError(Problem(f"unsupported file type {path.suffix!r}", source=str(path)))


_STATUS_OF = {
    "approve": "approved",
    "approve with conditions": "approved with conditions",
    "defer": "deferred",
    "reject": "rejected",
}


def _check_entry(e: ChangeLogEntry, *, source: str | None, row: int) -> list[Problem]:
    out = []
    if not e.id:
        out.append(Problem("a change needs an id", source=source, row=row, column="id"))
    if e.status not in STATUSES:
        out.append(
            Problem(
                f"unknown status {e.status!r}; expected one of {', '.join(STATUSES)}",
                source=source,
                row=row,
                column="status",
            )
        )
    if e.recommendation is not None and e.recommendation not in RECOMMENDATIONS:
        out.append(
            Problem(
                f"unknown recommendation {e.recommendation!r}; expected one of {', '.join(RECOMMENDATIONS)}",
                source=source,
                row=row,
                column="recommendation",
            )
        )
    if e.status not in ("submitted",) and not e.decision:
        out.append(
            Problem(
                f"a change with status {e.status!r} needs the decision recorded",
                source=source,
                row=row,
                column="decision",
            )
        )
    return out


def _entry_from_record(record: Mapping[str, Any], *, source: str | None, row: int):
    problems: list[Problem] = []
    unknown = sorted(set(map(str, record)) - set(LOG_COLUMNS))
    if unknown:
        problems.append(Problem(f"unknown column(s) {unknown}", source=source, row=row))
    values: dict[str, Any] = {}
    for key in LOG_COLUMNS:
        raw = record.get(key)
        text = _text(raw)
        if key in ("submitted", "decided"):
            if isinstance(raw, dt.date):
                values[key] = raw
            elif text:
                try:
                    values[key] = dt.date.fromisoformat(text)
                except ValueError:
                    problems.append(
                        Problem(f"expected a date like 2026-02-03, got {text!r}", source, row, key)
                    )
            else:
                values[key] = None
        elif key in ("delta_duration", "delta_cost"):
            if text:
                try:
                    values[key] = float(text)
                except ValueError:
                    problems.append(Problem(f"expected a number, got {text!r}", source, row, key))
            else:
                values[key] = None
        else:
            values[key] = text
    if problems:
        return None, problems
    values["id"] = values["id"] or ""
    values["title"] = values["title"] or ""
    values["status"] = values["status"] or "submitted"
    entry = ChangeLogEntry(**values)
    found = _check_entry(entry, source=source, row=row)
    return (None, found) if found else (entry, [])


# ------------------------------------------------------------------------------- helpers
def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = str(value).strip()
    return text or None


def _plain(x: float) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() else x


def _days(n: float) -> str:
    n = round(float(n), 1)
    return f"{abs(n):g} working day" + ("" if abs(n) == 1 else "s")
