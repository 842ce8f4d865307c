"""Assignment 5, capstone: a complete plan to move a 200-user CRM to the cloud.

The plan is graded by the validator's ``capstone`` rubric, split into five graded cells whose
points are the rubric items' points, each with a line of feedback per rubric item; a sixth cell
grades the stakeholder register. The case fixes the budget and the deadline: a plan that moves
them earns nothing, whatever else it does well.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from itpm_course.exercises.core import Incorrect
from itpm_course.grading.questions import Mark, mapping, plan_from_answer, question

START = "2026-03-02"
DEADLINE = "2026-07-17"
BUDGET = 215_000
MIN_TASKS = 15
MIN_DELIVERABLES = 5
MIN_STAKEHOLDERS = 5
#: The rubric items each graded cell covers (ids from the ``capstone`` rubric).
GROUPS = {
    "capstone.schedule": (
        "estimates",
        "milestones",
        "network",
        "links",
        "durations",
        "deadline",
        "critical-path",
    ),
    "capstone.wbs": ("wbs-tree", "hundred-percent", "owners", "eight-eighty"),
    "capstone.budget": ("resources", "budget", "contingency"),
    "capstone.risks": ("risk-register", "risk-responses"),
    "capstone.governance": ("stakeholders", "quality"),
}
#: Power/interest grid: (power, interest) -> the engagement strategy.
GRID = {
    ("high", "high"): "manage closely",
    ("high", "low"): "keep satisfied",
    ("low", "high"): "keep informed",
    ("low", "low"): "monitor",
}


def _group_points(key: str) -> float:
    from itpm_course.validation.rubrics import get_rubric  # noqa: PLC0415

    items = {i.id: i for i in get_rubric("capstone").items}
    return sum(items[i].points for i in GROUPS[key])


def _gate(plan) -> None:
    """The case's fixed constraints; Incorrect when the plan moves them."""
    problems = []
    if plan.budget is None or plan.budget > BUDGET:
        problems.append(f"the budget must be at most {BUDGET:,} (the case fixes it)")
    if plan.deadline is None or plan.deadline.isoformat() > DEADLINE:
        problems.append(f"the deadline must be {DEADLINE} or earlier")
    if plan.start.isoformat() < START:
        problems.append(f"the project cannot start before {START}")
    if len(plan.tasks) < MIN_TASKS:
        problems.append(
            f"a complete plan has at least {MIN_TASKS} activities, not {len(plan.tasks)}"
        )
    if problems:
        raise Incorrect("Your plan does not answer the case: " + "; ".join(problems) + ".")


def _answer(data: Any) -> tuple[Any, dict | None]:
    """The plan and the RACI from ``{"plan": plan, "raci": raci}``."""
    got = mapping(data, "the capstone answer")
    plan = plan_from_answer(got.get("plan"), "plan")
    raci = got.get("raci")
    if raci is not None and not isinstance(raci, dict):
        raise Incorrect("`raci` should be a dict: deliverable -> {person: 'R'/'A'/'C'/'I'}.")
    return plan, raci


def _grade_group(key: str, data: Any) -> Mark:
    from itpm_course.validation import score  # noqa: PLC0415
    from itpm_course.validation.rubrics import Rubric, get_rubric  # noqa: PLC0415

    plan, raci = _answer(data)
    _gate(plan)
    rubric = get_rubric("capstone")
    items = tuple(
        # The capstone asks for a RACI: without one the stakeholder item earns nothing.
        dataclasses.replace(i, if_not_applicable="zero") if i.id == "stakeholders" else i
        for i in rubric.items
        if i.id in GROUPS[key]
    )
    result = score(plan, Rubric(rubric.name, rubric.title, items), raci=raci or None)
    share = result.score / result.max_score
    text = result.feedback()
    if "stakeholders" in GROUPS[key] and raci and len(raci) < MIN_DELIVERABLES:
        line = next(x for x in result.lines if x.item.id == "stakeholders")
        cut = line.points * (1 - len(raci) / MIN_DELIVERABLES)
        share -= cut / result.max_score
        text += f"\n  The RACI covers {len(raci)} deliverables; cover at least {MIN_DELIVERABLES}."
    if share <= 0:
        raise Incorrect(text)
    return Mark(share, "\n" + text)


def _register(key: str, prompt: str) -> None:
    question(key, _group_points(key), prompt)(lambda data: _grade_group(key, data))


_register("capstone.schedule", "Estimates, network logic, durations, deadline, critical path.")
_register("capstone.wbs", "A WBS tree, the 100% rule, owners, 8-80 hour work packages.")
_register("capstone.budget", "Resources, costs within budget, a sized contingency.")
_register("capstone.risks", "A risk register with owners, responses and mitigation.")
_register("capstone.governance", "A RACI per deliverable; testing before every go-live.")


@question("capstone.stakeholders", 4, "Set `stakeholders`: a power/interest register.")
def check_stakeholders(data: Any) -> Mark:
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise Incorrect("`stakeholders` should be a list of dicts, one per stakeholder.")
    if not data:
        raise Incorrect("`stakeholders` is empty.")
    good, notes = 0, []
    for k, s in enumerate(data, start=1):
        name = str(s.get("name") or f"stakeholder {k}")
        power = str(s.get("power", "")).strip().lower()
        interest = str(s.get("interest", "")).strip().lower()
        strategy = str(s.get("strategy", "")).strip().lower()
        channel = str(s.get("channel") or "").strip()
        frequency = str(s.get("frequency") or "").strip()
        if (power, interest) not in GRID:
            notes.append(f"{name}: power and interest are 'high' or 'low'.")
        elif strategy != GRID[(power, interest)]:
            notes.append(f"{name}: the strategy does not match the power/interest grid.")
        elif not channel or not frequency:
            notes.append(f"{name}: say how (channel) and how often (frequency) you inform them.")
        else:
            good += 1
    share = good / max(len(data), MIN_STAKEHOLDERS)
    if len(data) < MIN_STAKEHOLDERS:
        notes.append(f"List at least {MIN_STAKEHOLDERS} stakeholders, not {len(data)}.")
    if share == 0:
        raise Incorrect(" ".join(notes))
    return Mark(share, " ".join(notes) or "A complete stakeholder register.")
