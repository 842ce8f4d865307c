"""The plan validator: rules with stable codes give findings; rubrics turn them into scores.

    from itpm_course.validation import validate, score
    findings = validate(plan)                 # every rule: list[Finding]
    result = score(plan, "capstone")          # RubricResult: score, max_score, a line per item

One checker, three uses: a notebook's ``check()``, the nbgrader hidden tests (through
:mod:`itpm_course.grading`) and ``itpm-course plan check`` all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itpm_course.validation import rules as _rules  # noqa: F401  (registers the rules)
from itpm_course.validation.changes import read_change, read_change_log
from itpm_course.validation.core import (
    GROUPS,
    RULES,
    SEVERITIES,
    Context,
    Finding,
    Issue,
    Location,
    Outcome,
    Rule,
)
from itpm_course.validation.rubrics import Rubric, RubricResult, load_rubrics, score
from itpm_course.validation.rules import resource_load

if TYPE_CHECKING:  # pragma: no cover
    from itpm_course.plan.model import ProjectPlan

__all__ = [
    "CheckReport",
    "Context",
    "Issue",
    "Outcome",
    "check_plan",
    "findings_of",
    "GROUPS",
    "RULES",
    "SEVERITIES",
    "Finding",
    "Location",
    "Rubric",
    "Rule",
    "RubricResult",
    "load_rubrics",
    "overall_ok",
    "resource_load",
    "rules_table",
    "run_rules",
    "score",
    "validate",
]

DEFAULT_ITERATIONS = 2000
_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def run_rules(
    plan: ProjectPlan,
    *,
    rules: Iterable[str] | None = None,
    raci: Mapping[str, Mapping[str, str]] | None = None,
    seed: int = 0,
    iterations: int = DEFAULT_ITERATIONS,
    change: Any = None,
    change_log: Any = None,
) -> dict[str, tuple[Rule, Outcome]]:
    """Run the rules (all, or the codes in ``rules``) and return each rule's raw outcome.

    ``change`` (a ChangeRequest, its data or a file) and ``change_log`` (a ChangeLog, entries or
    a file) feed the change-control rules; a file that cannot be read raises PlanError.
    """
    codes = list(RULES) if rules is None else list(rules)
    unknown = [c for c in codes if c not in RULES]
    if unknown:
        raise ValueError(f"unknown rule code(s) {unknown}; known: {', '.join(RULES)}")
    ctx = Context(
        plan,
        raci=raci,
        seed=seed,
        iterations=iterations,
        change=read_change(change),
        change_log=read_change_log(change_log),
    )
    return {code: (RULES[code], RULES[code].check(ctx)) for code in codes}


def findings_of(rule: Rule, outcome: Outcome, source: str | None = None) -> list[Finding]:
    """The findings of one rule's outcome (a skipped rule gives one ``info`` finding)."""
    if outcome.skipped is not None:
        return [
            Finding(
                rule.code,
                "info",
                f"not checked: {outcome.skipped}",
                Location("plan", None, source),
                rule.hint,
                rule.group,
            )
        ]
    return [
        Finding(
            rule.code,
            issue.severity or rule.severity,
            issue.message,
            issue.location,
            rule.hint if issue.hint is None else issue.hint,
            rule.group,
        )
        for issue in outcome.issues
    ]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within a severity by code and file row."""
    return sorted(
        findings,
        key=lambda f: (
            _ORDER[f.severity],
            f.code,
            f.location.row if f.location.row is not None else -1,
            str(f.location.id),
        ),
    )


def validate(
    plan: ProjectPlan,
    *,
    rules: Iterable[str] | None = None,
    raci: Mapping[str, Mapping[str, str]] | None = None,
    seed: int = 0,
    iterations: int = DEFAULT_ITERATIONS,
    change: Any = None,
    change_log: Any = None,
) -> list[Finding]:
    """Check ``plan`` against the rules (all by default) and return the findings, errors first.

    ``raci`` maps a deliverable (task id or WBS code) to ``{person: letters}`` such as
    ``{"UAT": {"Maria": "A", "QA team": "R"}}``; without it (and without the plan's own
    ``raci:``) the RACI rules report ``info``.
    ``seed`` and ``iterations`` drive the Monte Carlo runs (contingency, a change's P80).
    ``change`` is a change request (a ChangeRequest, its YAML data or a file path) the change
    rules apply and check; ``change_log`` a change log (ChangeLog, entries or a CSV/YAML path).
    Without them those rules report ``info``.
    """
    outcomes = run_rules(
        plan,
        rules=rules,
        raci=raci,
        seed=seed,
        iterations=iterations,
        change=change,
        change_log=change_log,
    )
    found = [
        f for rule, outcome in outcomes.values() for f in findings_of(rule, outcome, plan.source)
    ]
    return sort_findings(found)


@dataclass(frozen=True)
class CheckReport:
    """What ``itpm-course plan check`` reports: every finding and the score on one rubric."""

    findings: tuple[Finding, ...]
    result: RubricResult

    @property
    def ok(self) -> bool:
        return overall_ok(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON: exactly ok, score, max_score and findings."""
        return {
            "ok": self.ok,
            "score": self.result.score,
            "max_score": self.result.max_score,
            "findings": [f.to_dict() for f in self.findings],
        }


def check_plan(
    plan: ProjectPlan,
    rubric: str = "basic",
    *,
    raci: Mapping[str, Mapping[str, str]] | None = None,
    seed: int = 0,
    iterations: int = DEFAULT_ITERATIONS,
    change: Any = None,
    change_log: Any = None,
) -> CheckReport:
    """Run every rule once: all the findings, and the score on ``rubric`` from the same run.

    ``change`` and ``change_log`` as in :func:`validate`.
    """
    from itpm_course.validation.rubrics import get_rubric, score_outcomes  # noqa: PLC0415

    rub = get_rubric(rubric)
    outcomes = run_rules(
        plan,
        raci=raci,
        seed=seed,
        iterations=iterations,
        change=change,
        change_log=change_log,
    )
    found = sort_findings(
        f for rule, outcome in outcomes.values() for f in findings_of(rule, outcome, plan.source)
    )
    lines = score_outcomes(rub, outcomes)
    result = RubricResult(rub.name, rub.title, tuple(lines), tuple(found))
    return CheckReport(tuple(found), result)


def overall_ok(findings: Iterable[Finding]) -> bool:
    """True when no finding is an error."""
    return not any(f.severity == "error" for f in findings)


def rules_table() -> list[dict[str, str]]:
    """Every rule's code, group, severity, title and hint, in code order (for docs and tests)."""
    return [RULES[c].to_dict() for c in sorted(RULES)]
