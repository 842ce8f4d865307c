"""Self-checks for notebook 14, the capstone: read the validator, level a resource, size a reserve.

The expected answers come from the validator and the engines run on small plans defined here,
never typed in, so the feedback always agrees with what the checker says (one checker, three
uses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from itpm_course.errors import PlanError
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number
from itpm_course.plan.model import ProjectPlan
from itpm_course.validation import Finding, validate

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "warnings-block",
            "every finding must be fixed before the plan is OK",
            "only errors make a plan NOT OK (exit status 1 of 'itpm-course plan check'). "
            "Warnings are advice (DCMA thresholds, heuristics such as 8/80) that cost rubric "
            "points but do not block; info findings only say what was not checked.",
        ),
        Misconception(
            "errors-only-structure",
            "only broken structure is an error",
            "the validator also calls a missed deadline, a budget overrun, an over-allocated "
            "resource or a go-live without testing an error: each one makes the plan "
            "undeliverable as written, however tidy its network is.",
        ),
        Misconception(
            "cut-the-work",
            "levelling by deleting or shrinking work",
            "levelling moves work in time or to other people; it does not make the work smaller. "
            "Shortening a task to make the load fit is an estimate change, and needs a reason.",
        ),
        Misconception(
            "level-on-critical-path",
            "delaying a critical task to free a resource",
            "a task on the critical path has no float: delaying it delays the finish. Delay the "
            "task with float, or re-assign the work.",
        ),
        Misconception(
            "p80-is-reserve",
            "the P80 cost is the contingency",
            "P80 cost is the whole budget you can commit to with 80% confidence; the "
            "contingency reserve is the part above the base cost: P80 cost − base cost.",
        ),
        Misconception(
            "p50-reserve",
            "sizing the reserve at the median",
            "a reserve sized at P50 runs out in half of the simulated futures; size it at P80.",
        ),
        Misconception(
            "emv-only",
            "the threats' EMV is always enough",
            "EMV covers only the identified risk events. The Monte Carlo P80 also covers the "
            "estimate ranges, so when both are known the reserve covers the larger of the two.",
        ),
    ]
}


# ----------------------------------------------------------------------- 14.1 error or warning
FINDINGS_PLAN: dict[str, Any] = {
    "name": "Intranet relaunch",
    "start": "2026-03-02",
    "deadline": "2026-03-20",
    "tasks": [
        {"id": "START", "name": "Kick-off approved", "duration": 0, "wbs": "1", "owner": "Ana"},
        {
            "id": "DESIGN",
            "name": "Design pages",
            "duration": 6,
            "predecessors": ["START"],
            "wbs": "2",
            "owner": "Ben",
        },
        {
            "id": "BUILD",
            "name": "Build pages",
            "duration": 12,
            "optimistic": 8,
            "most_likely": 10,
            "pessimistic": 14,
            "predecessors": ["DESIGN"],
            "wbs": "3",
        },
        {
            "id": "LIVE",
            "name": "Go-live",
            "duration": 0,
            "predecessors": ["BUILD"],
            "wbs": "4",
            "owner": "Ana",
        },
    ],
}


@cache
def findings_plan() -> ProjectPlan:
    """The small plan of exercise 14.1 (the intranet relaunch)."""
    return ProjectPlan.from_dict(FINDINGS_PLAN)


FINDINGS_GROUPS = ("structure", "wbs", "schedule")


def findings_table() -> list[Finding]:
    """The validator's errors and warnings on :func:`findings_plan` in the structure, WBS and
    schedule groups (what the learner reads)."""
    return [
        f for f in validate(findings_plan()) if f.severity != "info" and f.group in FINDINGS_GROUPS
    ]


def _codes(answer: Any) -> set[str]:
    if isinstance(answer, str):
        items: Iterable[Any] = answer.replace(",", " ").split()
    elif isinstance(answer, Iterable):
        items = answer
    else:
        raise Incorrect(f"give the codes as a list of strings such as ['SCH001'], not {answer!r}.")
    return {str(x).strip().upper() for x in items if str(x).strip()}


def _check_errors(answer: Any) -> str:
    got = _codes(answer)
    found = findings_table()
    errors = {f.code for f in found if f.severity == "error"}
    warnings = {f.code for f in found if f.severity == "warning"}
    unknown = got - errors - warnings
    if unknown:
        raise Incorrect(
            f"{', '.join(sorted(unknown))} is not among the findings; the codes are "
            f"{', '.join(sorted(errors | warnings))}."
        )
    if got == errors:
        return (
            f"{', '.join(sorted(errors))} must be fixed before the plan is OK; the warnings "
            f"({', '.join(sorted(warnings))}) cost rubric points but do not block."
        )
    if got & warnings:
        raise Incorrect(
            f"{', '.join(sorted(got & warnings))} "
            f"{'is a warning' if len(got & warnings) == 1 else 'are warnings'}.",
            "warnings-block",
        )
    missing = errors - got
    raise Incorrect(
        f"you left out {len(missing)} error{'s' if len(missing) > 1 else ''}: look at the "
        "severity column again.",
        "errors-only-structure",
    )


error_or_warning = Exercise(
    id="14.1",
    prompt=(
        "`findings_table()` lists the validator's structure, WBS and schedule findings on a small "
        "intranet plan. Which codes are errors, the findings that make the plan NOT OK? Give a "
        "list of codes, e.g. ['STR001']."
    ),
    check_fn=_check_errors,
    hints=[
        "Each finding has a `.severity`: 'error', 'warning' or 'info'.",
        "`sorted({f.code for f in findings_table() if f.severity == 'error'})`.",
    ],
    solution_text=(
        "Keep the findings whose severity is 'error': the missed deadline (SCH001) and the work "
        "package without an owner (WBS005). The others are warnings: advice that costs rubric "
        "points but does not block the plan."
    ),
    var="error_codes",
    misconceptions=MISCONCEPTIONS,
)


# ---------------------------------------------------------------------- 14.2 level a resource
LEVELLING_PLAN: dict[str, Any] = {
    "name": "Laptop refresh",
    "start": "2026-03-02",
    "deadline": "2026-03-23",
    "resources": [
        {"id": "Eva", "name": "Desktop engineer", "capacity": 1, "rate": 500},
        {"id": "Tom", "name": "Service desk analyst", "capacity": 1, "rate": 400},
        {"id": "Ray", "name": "Field technician", "capacity": 1, "rate": 350},
    ],
    "tasks": [
        {"id": "START", "name": "Refresh approved", "duration": 0},
        {
            "id": "IMAGE",
            "name": "Build the standard image",
            "duration": 8,
            "predecessors": ["START"],
            "resources": ["Eva"],
        },
        {
            "id": "ORDER",
            "name": "Order and receive laptops",
            "duration": 6,
            "predecessors": ["START"],
            "resources": ["Tom"],
        },
        {
            "id": "GUIDE",
            "name": "Write the user guide",
            "duration": 3,
            "predecessors": ["START"],
            "resources": ["Eva"],
        },
        {
            "id": "ROLL",
            "name": "Roll out 120 laptops",
            "duration": 8,
            "predecessors": ["IMAGE", "ORDER"],
            "resources": ["Tom", "Ray"],
        },
        {
            "id": "DONE",
            "name": "Refresh complete",
            "duration": 0,
            "predecessors": ["ROLL", "GUIDE"],
        },
    ],
}


@cache
def levelling_plan() -> ProjectPlan:
    """The small plan of exercise 14.2 (Eva is over-allocated in the first days)."""
    return ProjectPlan.from_dict(LEVELLING_PLAN)


def apply_changes(plan: ProjectPlan, changes: Mapping[str, Mapping[str, Any]]) -> ProjectPlan:
    """``plan`` with ``{task_id: {field: value}}`` applied (as ``CapstoneWorkbook.update_tasks``)."""
    for tid, fields in changes.items():
        if not isinstance(fields, Mapping):
            raise Incorrect(f"the changes for {tid!r} should be a dict such as {{'duration': 5}}.")
        plan = plan.with_task(str(tid), **dict(fields))
    return plan


def _check_levelling(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect(
            "give the changes as a dict {task_id: {field: value}}, e.g. "
            "{'GUIDE': {'predecessors': 'IMAGE'}}."
        )
    if not answer:
        raise Incorrect("the dict is empty: change at least one task.")
    base = levelling_plan()
    try:
        plan = apply_changes(base, answer)
    except KeyError as exc:
        raise Incorrect(f"{exc.args[0]}; the tasks are {', '.join(base.task_ids)}.") from None
    except (PlanError, ValueError, TypeError) as exc:
        raise Incorrect(f"that change is not a valid plan: {exc}") from None
    for t in base.tasks:
        new = plan.task(t.id)
        if new.duration < t.duration:
            raise Incorrect(
                f"{t.id} now lasts {new.duration:g} days instead of {t.duration:g}.",
                "cut-the-work",
            )
    found = validate(plan, rules=["RES001", "SCH001"])
    over = [f for f in found if f.code == "RES001"]
    late = [f for f in found if f.code == "SCH001"]
    if over:
        raise Incorrect(f"still over-allocated: {over[0].location}: {over[0].message}")
    if late:
        raise Incorrect(
            f"the load fits now, but {late[0].message}.",
            "level-on-critical-path",
        )
    how = (
        "the work moved to someone who was free"
        if any("resources" in f for f in answer.values())
        else "the task with float waited and the critical path did not move"
    )
    return f"Eva's load fits her capacity and the refresh still meets the deadline: {how}."


fix_overallocation = Exercise(
    id="14.2",
    prompt=(
        "In `levelling_plan()` Eva builds the image (IMAGE) and writes the user guide (GUIDE) on "
        "the same days. Give the changes `{task_id: {field: value}}` that remove the "
        "over-allocation (RES001) and still meet the deadline (SCH001)."
    ),
    check_fn=_check_levelling,
    hints=[
        "`pm.schedule(levelling_plan()).to_frame()` shows each task's total float: which of "
        "Eva's two tasks can wait?",
        "Make the task with float start after the other one by giving it a predecessor, e.g. "
        "{'GUIDE': {'predecessors': '...'}}; or give the work to someone else ('resources').",
    ],
    solution_text=(
        "`{'GUIDE': {'predecessors': 'IMAGE'}}`: the guide has float (it feeds only the finish), "
        "so it can follow the image without moving the finish. Re-assigning it to Ray, who is "
        "free until the roll-out, works too: `{'GUIDE': {'resources': ['Ray']}}`. Delaying "
        "IMAGE instead pushes the roll-out and misses the deadline; shortening a task hides the "
        "problem."
    ),
    var="levelling_changes",
    misconceptions=MISCONCEPTIONS,
)


# ----------------------------------------------------------------------- 14.3 size the reserve
RESERVE_CASE = {
    "base_cost": 240_000,
    "p50_cost": 252_500,
    "p80_cost": 271_800,
    "p90_cost": 283_400,
    "threats_emv": 18_000,
}


def _check_reserve(answer: Any) -> str:
    value = as_number(answer, "the contingency reserve")
    c = RESERVE_CASE
    expected = max(c["p80_cost"] - c["base_cost"], c["threats_emv"])
    if abs(value - expected) <= 1:
        return (
            f"{expected:,.0f}: P80 cost − base cost ({c['p80_cost']:,} − {c['base_cost']:,}). "
            f"It is larger than the threats' EMV ({c['threats_emv']:,}) because it also "
            "covers the estimate ranges. The budget to ask for is base + reserve = P80 cost."
        )
    if abs(value - c["p80_cost"]) <= 1:
        raise Incorrect(f"{value:,.0f} is the whole P80 budget.", "p80-is-reserve")
    if abs(value - (c["p50_cost"] - c["base_cost"])) <= 1:
        raise Incorrect(f"{value:,.0f} is P50 − base.", "p50-reserve")
    if abs(value - c["threats_emv"]) <= 1:
        raise Incorrect(f"{value:,.0f} is the threats' EMV.", "emv-only")
    if abs(value - (c["p90_cost"] - c["base_cost"])) <= 1:
        raise Incorrect(
            f"{value:,.0f} is the P90 reserve: safe, but more than the 80% confidence the "
            "course (and the validator) asks for."
        )
    raise Incorrect(
        f"{value:,.0f} is not it. The reserve is the part of the P80 cost above the base cost."
    )


size_contingency = Exercise(
    id="14.3",
    prompt=(
        "A plan's base cost is 240,000. Its Monte Carlo run gives P50 cost 252,500, P80 cost "
        "271,800 and P90 cost 283,400; the threats' EMV is 18,000. What contingency reserve "
        "covers the P80 cost (money)?"
    ),
    check_fn=_check_reserve,
    hints=[
        "The budget = base cost + contingency reserve. Which percentile should the budget reach?",
        "Reserve = P80 cost − base cost; check it is at least the threats' EMV.",
    ],
    solution_text=(
        "271,800 − 240,000 = 31,800. It covers the threats' EMV (18,000) too, so the budget "
        "to ask for is 271,800."
    ),
    var="reserve_answer",
    misconceptions=MISCONCEPTIONS,
)

__all__ = [
    "MISCONCEPTIONS",
    "apply_changes",
    "error_or_warning",
    "findings_plan",
    "findings_table",
    "fix_overallocation",
    "levelling_plan",
    "size_contingency",
]
