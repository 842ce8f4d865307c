"""The capstone workbook: build a project plan step by step and watch the capstone score rise.

A thin layer over the plan model and the validator, for notebook 14::

    wb = CapstoneWorkbook("Replace the help-desk tool", start="2026-09-07",
                          deadline="2027-01-29", budget_cap=200_000)
    wb.add_tasks([...])          # step 1: the WBS
    wb.check("wbs")              # that step's findings + "score rose from 0/72 to 31.7/72"
    wb.set_estimates({...}); wb.link({...}); wb.check("schedule")
    ...

Every check runs :func:`itpm_course.validation.check_plan` once on the ``capstone`` rubric, with
the same seed and iterations as ``itpm-course plan check``, so the notebook, the graded
assignment and the command line agree (one checker, three uses). As in the graded assignment,
the stakeholder item earns nothing until a RACI is given.

The workbook keeps the plan in its plain-data (YAML) form and rebuilds the
:class:`~itpm_course.plan.model.ProjectPlan` after every change, so a bad change is refused
with the plan's own error message and the last good plan is kept.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itpm_course.validation import DEFAULT_ITERATIONS, CheckReport, check_plan
from itpm_course.validation.core import SEVERITIES, Context, Finding
from itpm_course.validation.rubrics import Rubric, RubricLine, get_rubric

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.engine.change import ChangeRequest
    from itpm_course.engine.montecarlo import SimulationResult
    from itpm_course.engine.schedule import Schedule
    from itpm_course.plan.model import ProjectPlan
    from itpm_course.plan.stakeholders import RaciMatrix, StakeholderRegister

__all__ = [
    "STEPS",
    "CapstoneWorkbook",
    "Step",
    "StepCheck",
    "capstone_rubric",
    "over_cap",
    "progress_bar_html",
    "report_html",
    "round_up",
]


@dataclass(frozen=True)
class Step:
    """One step of the capstone: the validator's rule groups it answers and its rubric items."""

    id: str
    number: int
    title: str
    groups: tuple[str, ...]
    items: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "wbs",
        1,
        "WBS and the 100% rule",
        ("wbs",),
        ("wbs-tree", "hundred-percent", "owners", "eight-eighty"),
    ),  # fmt: skip
    Step(
        "schedule",
        2,
        "Estimates and schedule",
        ("structure", "schedule"),
        ("estimates", "milestones", "network", "links", "durations", "deadline", "critical-path"),
    ),
    Step("resources", 3, "Resources", ("resources",), ("resources",)),
    Step("budget", 4, "Budget and contingency", ("budget",), ("budget", "contingency")),
    Step("risk", 5, "Risk register and responses", ("risk",), ("risk-register", "risk-responses")),
    Step("stakeholders", 6, "Stakeholders and RACI", ("stakeholders",), ("stakeholders",)),
    Step("quality", 7, "Change control and quality gates", ("quality",), ("quality",)),
)
_STEP = {s.id: s for s in STEPS}
_ALIASES = {str(s.number): s.id for s in STEPS} | {"risks": "risk", "raci": "stakeholders"}


def capstone_rubric() -> Rubric:
    """The ``capstone`` rubric as the graded assignment applies it: no RACI, no stakeholder points."""
    rub = get_rubric("capstone")
    items = tuple(
        dataclasses.replace(i, if_not_applicable="zero") if i.id == "stakeholders" else i
        for i in rub.items
    )
    return Rubric(rub.name, rub.title, items)


def _num(x: float) -> str:
    return f"{round(float(x), 2):g}"


# ------------------------------------------------------------------------------------ HTML
_COLOURS = {"error": "#c62828", "warning": "#e65100", "info": "#1565c0"}
_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def progress_bar_html(score: float, max_score: float, before: float | None = None) -> str:
    """A horizontal bar: the score as a share of ``max_score`` (a lighter part shows the gain)."""
    share = 0.0 if max_score <= 0 else max(0.0, min(1.0, score / max_score))
    old = share if before is None else max(0.0, min(share, before / max_score))
    return (
        "<div style='background:#eceff1;border-radius:4px;height:14px;width:100%;"
        "max-width:520px;position:relative;overflow:hidden'>"
        f"<div style='position:absolute;left:0;top:0;height:100%;width:{share:.1%};"
        "background:#81c784'></div>"
        f"<div style='position:absolute;left:0;top:0;height:100%;width:{old:.1%};"
        "background:#2e7d32'></div></div>"
    )


def _findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return "<p style='color:#2e7d32'>✔ No findings.</p>"
    out = []
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        rows = "".join(
            "<tr>"
            f"<td><code>{f.code}</code></td><td>{html.escape(str(f.location))}</td>"
            f"<td>{html.escape(f.message)}"
            + (
                f"<br><i style='color:#555'>hint: {html.escape(f.hint)}</i>"
                if f.hint and severity != "info"
                else ""
            )
            + "</td></tr>"
            for f in group
        )
        out.append(
            f"<div style='color:{_COLOURS[severity]};font-weight:bold;margin-top:6px'>"
            f"{_HEADINGS[severity]} ({len(group)})</div>"
            f"<table style='font-size:90%;text-align:left'>{rows}</table>"
        )
    return "".join(out)


def _lines_html(lines: Iterable[RubricLine]) -> str:
    rows = []
    for line in lines:
        mark, colour = (
            ("✔", "#2e7d32")
            if line.passed
            else (("✘", "#c62828") if line.points == 0 else ("~", "#e65100"))
        )
        rows.append(
            f"<tr><td style='color:{colour}'>{mark}</td>"
            f"<td style='text-align:right'>{_num(line.points)}/{_num(line.item.points)}</td>"
            f"<td>{html.escape(line.item.text)}</td>"
            f"<td style='color:#555'>{html.escape(line.feedback)}</td></tr>"
        )
    return f"<table style='font-size:90%;text-align:left'>{''.join(rows)}</table>"


def report_html(
    report: CheckReport,
    *,
    title: str | None = None,
    findings: Sequence[Finding] | None = None,
    lines: Iterable[RubricLine] | None = None,
    before: float | None = None,
) -> str:
    """A check report as HTML: score line and bar, findings by severity, a line per rubric item.

    ``findings`` and ``lines`` narrow what is listed (default: all); ``before`` is the
    previous score, shown as the darker part of the bar.
    """
    res = report.result
    found = report.findings if findings is None else findings
    counts = {s: sum(f.severity == s for f in found) for s in SEVERITIES}
    head = html.escape(title or res.title)
    score_line = f"{_num(res.score)} / {_num(res.max_score)}"
    if before is not None:
        score_line = _change(before, res.score, res.max_score)
    status = "OK: no errors" if report.ok else "NOT OK: the plan has errors"
    return (
        "<div class='itpm-plan-check' style='border-left:4px solid #546e7a;padding:6px 10px'>"
        f"<b>{head}</b> — {html.escape(score_line)}"
        f"{progress_bar_html(res.score, res.max_score, before)}"
        f"<div style='margin:4px 0'>{counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['info']} info · {status}</div>"
        f"{_findings_html(found)}"
        "<details open><summary>Rubric</summary>"
        f"{_lines_html(res.lines if lines is None else lines)}</details></div>"
    )


def _change(before: float | None, after: float, max_score: float) -> str:
    top = _num(max_score)
    if before is None:
        return f"score {_num(after)}/{top}"
    if after > before + 1e-9:
        return f"score rose from {_num(before)}/{top} to {_num(after)}/{top}"
    if after < before - 1e-9:
        return f"score fell from {_num(before)}/{top} to {_num(after)}/{top}"
    return f"score stays at {_num(after)}/{top}"


# ------------------------------------------------------------------------------- step check
@dataclass(frozen=True)
class StepCheck:
    """The result of :meth:`CapstoneWorkbook.check`: one step's findings and the whole score."""

    step: Step | None
    report: CheckReport
    before: float | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The findings of this step's rule groups (all findings when no step was named)."""
        if self.step is None:
            return self.report.findings
        return tuple(f for f in self.report.findings if f.group in self.step.groups)

    @property
    def lines(self) -> tuple[RubricLine, ...]:
        """The rubric lines of this step's items (all lines when no step was named)."""
        if self.step is None:
            return self.report.result.lines
        return tuple(x for x in self.report.result.lines if x.item.id in self.step.items)

    @property
    def score(self) -> float:
        return self.report.result.score

    @property
    def max_score(self) -> float:
        return self.report.result.max_score

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def step_score(self) -> tuple[float, float]:
        """Points earned and available on this step's rubric items."""
        return (
            round(sum(x.points for x in self.lines), 2),
            float(sum(x.item.points for x in self.lines)),
        )

    def summary(self) -> str:
        """One line: the step, its errors and warnings, and how the capstone score moved."""
        label = f"Step {self.step.number} · {self.step.title}" if self.step else "Whole plan"
        got, top = self.step_score
        return (
            f"{label}: {self.errors} errors, {self.warnings} warnings; "
            f"this step's items {_num(got)}/{_num(top)}; "
            f"{_change(self.before, self.score, self.max_score)}"
        )

    def __str__(self) -> str:
        from itpm_course.validation.report import format_finding  # noqa: PLC0415

        out = [self.summary()]
        out += ["  " + format_finding(f).replace("\n", "\n  ") for f in self.findings]
        out += [f"  {line}" for line in self.lines]
        return "\n".join(out)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        title = f"Step {self.step.number} · {self.step.title}" if self.step else "Whole plan"
        return report_html(
            self.report, title=title, findings=self.findings, lines=self.lines, before=self.before
        )


# --------------------------------------------------------------------------------- workbook
def _date(value: dt.date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(repr=False)
class CapstoneWorkbook:
    """A project plan under construction, with the charter it answers and a score history.

    Money is in the plan's currency; durations and estimates in working days. ``budget_cap``
    is the most the sponsor will approve; the plan's budget is set with :meth:`set_budget`.
    """

    name: str
    start: dt.date | str
    deadline: dt.date | str | None = None
    budget_cap: float | None = None
    goal: str = ""
    in_scope: Sequence[str] = ()
    out_of_scope: Sequence[str] = ()
    calendar: Mapping[str, Any] | None = None
    seed: int = 0
    iterations: int = DEFAULT_ITERATIONS
    history: list[tuple[str, float]] = field(default_factory=list, init=False)
    _data: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    _plan: ProjectPlan | None = field(default=None, init=False, repr=False)
    _raci: RaciMatrix | None = field(default=None, init=False, repr=False)
    _stakeholders: StakeholderRegister | None = field(default=None, init=False, repr=False)
    _report: CheckReport | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        data: dict[str, Any] = {"name": self.name, "start": _date(self.start)}
        if self.deadline is not None:
            data["deadline"] = _date(self.deadline)
        if self.calendar is not None:
            data["calendar"] = dict(self.calendar)
        data["tasks"] = []
        self._data = data

    # -- state ------------------------------------------------------------------------------
    @property
    def plan(self) -> ProjectPlan | None:
        """The plan so far (None before the first task)."""
        return self._plan

    @property
    def raci(self) -> RaciMatrix | None:
        return self._raci

    @property
    def stakeholders(self) -> StakeholderRegister | None:
        return self._stakeholders

    def _require_plan(self) -> ProjectPlan:
        if self._plan is None:
            raise ValueError("the plan has no tasks yet: start with add_tasks([...]) (step 1)")
        return self._plan

    def _task_ids(self) -> list[str]:
        return [t["id"] for t in self._data["tasks"]]

    def _commit(self, data: dict[str, Any]) -> CapstoneWorkbook:
        """Rebuild the plan from ``data``; on a PlanError keep the last good plan and re-raise."""
        from itpm_course.plan.model import ProjectPlan  # noqa: PLC0415

        plan = ProjectPlan.from_dict(data) if data["tasks"] else None
        self._data = data
        self._plan = plan
        self._report = None
        return self

    def _edit(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)

    def _tasks_by_id(self, data: dict[str, Any], ids: Iterable[str]) -> dict[str, dict]:
        index = {t["id"]: t for t in data["tasks"]}
        unknown = [i for i in ids if i not in index]
        if unknown:
            raise KeyError(
                f"no task {', '.join(map(repr, unknown))} in the plan; known: "
                f"{', '.join(index) or '(none yet)'}"
            )
        return index

    # -- step 1: WBS ---------------------------------------------------------------------------
    def add_tasks(self, records: Iterable[Mapping[str, Any]]) -> CapstoneWorkbook:
        """Add tasks (dicts with the plan's task fields: id, name, wbs, owner, duration...)."""
        data = self._edit()
        for r in records:
            rec = dict(r)
            if "predecessors" in rec and isinstance(rec["predecessors"], str):
                rec["predecessors"] = [p.strip() for p in rec["predecessors"].split(";") if p.strip()]  # fmt: skip
            data["tasks"].append(rec)
        return self._commit(data)

    def update_tasks(self, changes: Mapping[str, Mapping[str, Any]]) -> CapstoneWorkbook:
        """Change fields of existing tasks: ``{task_id: {field: value}}`` (None removes a field)."""
        data = self._edit()
        index = self._tasks_by_id(data, changes)
        for tid, fields_ in changes.items():
            for key, value in fields_.items():
                if value is None:
                    index[tid].pop(key, None)
                elif key == "predecessors" and isinstance(value, str):
                    index[tid][key] = [p.strip() for p in value.split(";") if p.strip()]
                else:
                    index[tid][key] = value
        return self._commit(data)

    def remove_tasks(self, ids: Iterable[str]) -> CapstoneWorkbook:
        """Remove tasks (and the links other tasks have to them)."""
        ids = list(ids)
        data = self._edit()
        self._tasks_by_id(data, ids)
        gone = set(ids)
        data["tasks"] = [t for t in data["tasks"] if t["id"] not in gone]
        for t in data["tasks"]:
            if t.get("predecessors"):
                t["predecessors"] = [p for p in t["predecessors"] if p.split()[0] not in gone]
        return self._commit(data)

    # -- step 2: estimates and logic ------------------------------------------------------------
    def set_estimates(
        self, estimates: Mapping[str, tuple[float, float, float]]
    ) -> CapstoneWorkbook:
        """Three-point estimates ``{task_id: (optimistic, most_likely, pessimistic)}`` in working
        days; the planned duration becomes the most likely value."""
        changes = {}
        for tid, three in estimates.items():
            o, m, p = three
            changes[tid] = {"optimistic": o, "most_likely": m, "pessimistic": p, "duration": m}
        return self.update_tasks(changes)

    def link(self, predecessors: Mapping[str, str | Sequence[str]]) -> CapstoneWorkbook:
        """Set tasks' predecessors: ``{task_id: "A; B SS+2"}`` or ``{task_id: ["A", "B"]}``."""
        return self.update_tasks(
            {
                tid: {"predecessors": list(p) if not isinstance(p, str) else p}
                for tid, p in predecessors.items()
            }
        )

    def schedule(self) -> Schedule:
        """The CPM schedule of the plan so far (working days from the start)."""
        from itpm_course.engine.schedule import schedule  # noqa: PLC0415

        return schedule(self._require_plan())

    # -- step 3: resources ----------------------------------------------------------------------
    def add_resources(self, records: Iterable[Mapping[str, Any]]) -> CapstoneWorkbook:
        """Add resources: dicts with id, name, capacity (units per day), rate (per day), role."""
        data = self._edit()
        data.setdefault("resources", []).extend(dict(r) for r in records)
        return self._commit(data)

    def assign(
        self, assignments: Mapping[str, Sequence[str]], *, rates: bool = True
    ) -> CapstoneWorkbook:
        """Assign resources to tasks ``{task_id: [resource_id, ...]}``.

        With ``rates=True`` each task's day ``rate`` becomes the sum of its resources' rates
        (a task's fixed ``cost``, such as licences, is kept).
        """
        rate_of = {r["id"]: r.get("rate") for r in self._data.get("resources", [])}
        changes: dict[str, dict[str, Any]] = {}
        for tid, res in assignments.items():
            res = [res] if isinstance(res, str) else list(res)
            change: dict[str, Any] = {"resources": res}
            if rates:
                unknown = [r for r in res if r not in rate_of]
                if unknown:
                    raise KeyError(
                        f"task {tid}: no resource {', '.join(map(repr, unknown))}; known: "
                        f"{', '.join(rate_of) or '(none yet: add_resources first)'}"
                    )
                change["rate"] = float(sum(rate_of[r] or 0 for r in res))
            changes[tid] = change
        return self.update_tasks(changes)

    def resource_load(self) -> pd.DataFrame:
        """Units of each resource (rows) needed per working day (columns) on the early schedule."""
        import pandas as pd  # noqa: PLC0415

        from itpm_course.validation import resource_load  # noqa: PLC0415

        ids, load = resource_load(Context(self._require_plan()))
        return pd.DataFrame(load, index=ids).rename_axis(index="resource", columns="day")

    # -- step 4: budget ---------------------------------------------------------------------------
    @property
    def base_cost(self) -> float:
        """The cost of the work packages at their planned durations (money)."""
        return Context(self._require_plan()).base_cost

    def simulate(self) -> SimulationResult | None:
        """The Monte Carlo run the validator's contingency rule uses (same seed, iterations and
        risk events from the register); None when nothing in the plan is uncertain."""
        plan = self._require_plan()
        return Context(plan, seed=self.seed, iterations=self.iterations).simulation

    def set_budget(
        self, budget: float | None = None, *, contingency: float | None = None
    ) -> CapstoneWorkbook:
        """Set the plan's budget: ``budget`` directly, or base cost + ``contingency``."""
        if (budget is None) == (contingency is None):
            raise ValueError("give either budget=... or contingency=...")
        if budget is None:
            budget = self.base_cost + float(contingency)
        data = self._edit()
        data["budget"] = float(budget)
        return self._commit(data)

    def budget_summary(self) -> dict[str, float | None]:
        """Base cost, budget, contingency (budget − base) and the sponsor's cap, in money."""
        base = self.base_cost
        budget = self._data.get("budget")
        return {
            "base_cost": base,
            "budget": budget,
            "contingency": None if budget is None else budget - base,
            "budget_cap": self.budget_cap,
        }

    # -- step 5: risks ----------------------------------------------------------------------------
    def add_risks(self, records: Iterable[Mapping[str, Any]]) -> CapstoneWorkbook:
        """Add risks to the register (dicts with the register's fields: id, title, kind,
        probability, impact_rating, impact_days, impact_cost, tasks, owner, strategy, actions)."""
        data = self._edit()
        data.setdefault("risks", []).extend(dict(r) for r in records)
        return self._commit(data)

    def update_risks(self, changes: Mapping[str, Mapping[str, Any]]) -> CapstoneWorkbook:
        """Change fields of existing risks: ``{risk_id: {field: value}}``."""
        data = self._edit()
        index = {r["id"]: r for r in data.get("risks", [])}
        unknown = [i for i in changes if i not in index]
        if unknown:
            raise KeyError(f"no risk {', '.join(map(repr, unknown))}; known: {', '.join(index)}")
        for rid, fields_ in changes.items():
            index[rid].update(fields_)
        return self._commit(data)

    # -- step 7: change control ------------------------------------------------------------------
    def apply_change(self, change: Mapping[str, Any] | ChangeRequest) -> CapstoneWorkbook:
        """Apply an approved change request (see :mod:`itpm_course.engine.change`) to the plan.

        Its one-off ``cost`` (outside the schedule) is not a task, so it is not added here.
        """
        from itpm_course.engine.change import (  # noqa: PLC0415
            ChangeRequest,
            apply_change,
            change_from_dict,
        )

        request = change if isinstance(change, ChangeRequest) else change_from_dict(change)
        new = apply_change(self._require_plan(), request).to_dict()
        data = self._edit()
        data.update(new)
        return self._commit(data)

    # -- step 6: stakeholders and RACI --------------------------------------------------------
    def add_stakeholders(self, records: Iterable[Mapping[str, Any]]) -> CapstoneWorkbook:
        """Set the stakeholder register (dicts: id, name, role, power, interest, engagement...)."""
        from itpm_course.plan.stakeholders import stakeholders_from_dict  # noqa: PLC0415

        old = [s.to_dict() for s in self._stakeholders] if self._stakeholders else []
        self._stakeholders = stakeholders_from_dict(old + [dict(r) for r in records])
        return self

    def set_raci(self, raci: Mapping[str, Mapping[str, str]] | RaciMatrix) -> CapstoneWorkbook:
        """The RACI: ``{deliverable (task id or WBS code): {role: "R"/"A"/"C"/"I"/"AR"}}``."""
        from itpm_course.plan.stakeholders import RaciMatrix, raci_from_mapping  # noqa: PLC0415

        # Deliverables unknown to the plan are the validator's finding (STK003), not refused here.
        self._raci = raci if isinstance(raci, RaciMatrix) else raci_from_mapping(raci)
        self._report = None
        return self

    def communication_plan(self) -> pd.DataFrame:
        """Who hears what, how often and through which channel (from the stakeholder register)."""
        from itpm_course.engine.stakeholders import communication_plan  # noqa: PLC0415

        if self._stakeholders is None:
            raise ValueError("no stakeholders yet: add_stakeholders([...]) first")
        return communication_plan(self._stakeholders)

    # -- checking ---------------------------------------------------------------------------------
    def report(self) -> CheckReport:
        """Every finding and the capstone score (cached until the plan changes)."""
        if self._report is None:
            self._report = check_plan(
                self._require_plan(),
                capstone_rubric(),
                raci=self._raci.to_mapping() if self._raci is not None else None,
                seed=self.seed,
                iterations=self.iterations,
            )
        return self._report

    @property
    def score(self) -> float:
        """The current capstone score (0 before the first task)."""
        return self.report().result.score if self._plan is not None else 0.0

    @property
    def max_score(self) -> float:
        return capstone_rubric().max_score

    def check(self, step: str | int | None = None) -> StepCheck:
        """Check the plan: the findings of ``step``'s rule groups (all when None) and the
        capstone score compared with the previous check. Steps: wbs, schedule, resources,
        budget, risk, stakeholders, quality (or their numbers 1-7)."""
        chosen = None
        if step is not None:
            key = _ALIASES.get(str(step).strip().lower(), str(step).strip().lower())
            if key not in _STEP:
                raise ValueError(
                    f"unknown step {step!r}; choose one of {', '.join(s.id for s in STEPS)}"
                )
            chosen = _STEP[key]
        report = self.report()
        before = self.history[-1][1] if self.history else (0.0 if chosen else None)
        self.history.append((chosen.id if chosen else "all", report.result.score))
        return StepCheck(chosen, report, before)

    def progress(self) -> pd.DataFrame:
        """The score after each check so far (step, score, max_score)."""
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame(
            [(s, v, self.max_score) for s, v in self.history],
            columns=["step", "score", "max_score"],
        )

    # -- output -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The plan in its YAML/JSON form (the RACI and stakeholders are kept apart)."""
        return self._require_plan().to_dict()

    def to_yaml(self) -> str:
        import yaml  # noqa: PLC0415

        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> Path:
        """Write the plan (YAML, JSON, CSV or Excel by extension) for ``itpm-course plan check``."""
        from itpm_course.plan.io import save_plan  # noqa: PLC0415

        path = Path(path)
        save_plan(self._require_plan(), path)
        return path

    def charter(self) -> str:
        """The charter as Markdown: goal, scope in and out, constraints."""
        lines = [f"**{self.name}**", ""]
        if self.goal:
            lines += [f"*Goal:* {self.goal}", ""]
        if self.in_scope:
            lines += ["*In scope:*", *(f"- {s}" for s in self.in_scope), ""]
        if self.out_of_scope:
            lines += ["*Out of scope:*", *(f"- {s}" for s in self.out_of_scope), ""]
        cons = [f"start {_date(self.start)}"]
        if self.deadline is not None:
            cons.append(f"deadline {_date(self.deadline)}")
        if self.budget_cap is not None:
            cons.append(f"budget at most {self.budget_cap:,.0f}")
        lines.append("*Constraints:* " + ", ".join(cons))
        return "\n".join(lines)

    def __repr__(self) -> str:
        n = len(self._plan.tasks) if self._plan is not None else 0
        return f"CapstoneWorkbook({self.name!r}, {n} tasks, score {_num(self.score)}/{_num(self.max_score)})"

    def _repr_markdown_(self) -> str:
        text = self.charter()
        if self._plan is not None:
            text += (
                f"\n\n{len(self._plan.tasks)} tasks, {len(self._plan.resources)} resources, "
                f"{len(self._plan.risks or [])} risks; capstone score "
                f"{_num(self.score)}/{_num(self.max_score)}"
            )
        return text


def over_cap(workbook: CapstoneWorkbook) -> float:
    """How far the plan's budget exceeds the sponsor's cap (0 when within it or unset)."""
    budget = workbook._data.get("budget")
    if budget is None or workbook.budget_cap is None:
        return 0.0
    return max(0.0, float(budget) - float(workbook.budget_cap))


def round_up(value: float, step: float = 1000.0) -> float:
    """``value`` rounded up to a multiple of ``step`` (a reserve is never rounded down)."""
    return float(math.ceil(value / step) * step)
