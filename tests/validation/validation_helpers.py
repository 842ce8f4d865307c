"""A minimal plan that passes every rule, and ways to break it one rule at a time."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from itpm_course.plan import ProjectPlan

GOOD: dict[str, Any] = {
    "name": "Mini release",
    "start": "2026-01-05",
    "deadline": "2026-01-30",
    "budget": 20000,
    "resources": [
        {"id": "Dev", "capacity": 1, "rate": 500},
        {"id": "QA", "capacity": 1, "rate": 400},
    ],
    "tasks": [
        {"id": "S", "name": "Project start approved", "duration": 0, "wbs": "1.1", "owner": "Ann"},
        {
            "id": "B",
            "name": "Build the feature",
            "duration": 5,
            "optimistic": 4,
            "most_likely": 5,
            "pessimistic": 8,
            "predecessors": ["S"],
            "wbs": "1.2",
            "owner": "Bo",
            "resources": ["Dev"],
            "rate": 500,
        },
        {
            "id": "T",
            "name": "User acceptance testing",
            "duration": 3,
            "optimistic": 2,
            "most_likely": 3,
            "pessimistic": 5,
            "predecessors": ["B"],
            "wbs": "1.3",
            "owner": "Cy",
            "resources": ["QA"],
            "rate": 400,
        },
        {
            "id": "G",
            "name": "Go-live",
            "duration": 0,
            "predecessors": ["T"],
            "wbs": "1.4",
            "owner": "Ann",
        },
    ],
    "risks": [
        {
            "id": "R1",
            "title": "Build slips",
            "kind": "threat",
            "probability": 0.5,
            "impact_rating": 4,
            "impact_days": 2,
            "impact_cost": 1000,
            "tasks": ["B"],
            "owner": "Bo",
            "strategy": "mitigate",
            "actions": "Pair programming and a daily build",
        },
        {
            "id": "O1",
            "title": "Reuse a component",
            "kind": "opportunity",
            "probability": 0.3,
            "impact_rating": 2,
            "impact_cost": 500,
            "owner": "Bo",
            "strategy": "exploit",
            "actions": "Check the shared library first",
        },
    ],
}
GOOD_RACI = {"T": {"Cy": "AR", "Ann": "I"}, "1.2": {"Bo": "R", "Ann": "A", "Cy": "C"}}


def plan_of(data: dict[str, Any]) -> ProjectPlan:
    return ProjectPlan.from_dict(data, source="mini.yaml")


def good() -> dict[str, Any]:
    return copy.deepcopy(GOOD)


def task(data: dict[str, Any], tid: str) -> dict[str, Any]:
    return next(t for t in data["tasks"] if t["id"] == tid)


def risk(data: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(r for r in data["risks"] if r["id"] == rid)


def bypass(plan: ProjectPlan, tid: str, **changes: Any) -> ProjectPlan:
    """A plan whose task ``tid`` is changed without the model's own task checks."""
    tasks = [replace(t, **changes) if t.id == tid else t for t in plan.tasks]
    return ProjectPlan(
        name=plan.name,
        start=plan.start,
        tasks=tasks,
        deadline=plan.deadline,
        budget=plan.budget,
        risks=plan.risks,
        resources=plan.resources,
        source=plan.source,
        task_rows=plan.task_rows,
        tasks_checked=True,
    )


# A stakeholder register for GOOD (the RACI roles Ann, Bo and Cy are its ids): the sponsor is
# managed closely at the recommended weekly rhythm; nobody is two engagement levels short.
GOOD_STAKEHOLDERS: list[dict[str, Any]] = [
    {"id": "Ann", "name": "Ann Lee", "role": "Project sponsor", "interest": 5, "power": 5,
     "current_engagement": "supportive", "desired_engagement": "leading",
     "frequency": "weekly", "channel": "meeting", "owner": "Bo"},
    {"id": "Bo", "name": "Bo Chen", "role": "Developer", "interest": 4, "power": 2,
     "current_engagement": "supportive", "desired_engagement": "supportive"},
    {"id": "Cy", "name": "Cy Diaz", "role": "Tester", "interest": 3, "power": 2,
     "current_engagement": "neutral", "desired_engagement": "supportive"},
]  # fmt: skip
# A change request every change rule accepts: one more day of testing (finish +1 day, +400).
GOOD_CHANGE: dict[str, Any] = {
    "id": "CR-1",
    "title": "One more day of acceptance testing",
    "tasks": {"T": {"duration": 4}},
}
GOOD_LOG_CSV = (
    "id,title,requester,submitted,status,recommendation,decision,decided_by,decided\n"
    "CR-1,One more day of testing,Cy,2026-01-06,implemented,approve with conditions,"
    "approve with conditions,Ann,2026-01-07\n"
    "CR-2,Dark mode,Bo,2026-01-08,submitted,,,,\n"
)


def with_stakeholders(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with GOOD_STAKEHOLDERS as its register (a copy)."""
    out = copy.deepcopy(data)
    out["stakeholders"] = copy.deepcopy(GOOD_STAKEHOLDERS)
    return out


def stakeholder(data: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in data["stakeholders"] if s["id"] == sid)


def change_log(text: str = GOOD_LOG_CSV):
    from itpm_course.engine.change import ChangeLog

    return ChangeLog.from_csv_text(text, source="log.csv")
