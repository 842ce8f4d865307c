"""Rubrics: named selections of rules with points, scored with partial credit.

Rubrics are data (``rubrics.yaml`` next to this module). Each item names rules, points and
how credit is given:

* ``credit: partial`` (default): the share of checked items that pass — e.g. 9 of 10 tasks
  with an owner earn 90% of the points. A rule's share is ``1 - failing / checked`` where
  ``failing`` counts the distinct tasks, risks, resources... with an error or warning; an
  item with several rules takes the mean of their shares.
* ``credit: all``: full points only when every rule of the item passes.
* ``if_not_applicable``: what an item earns when all its rules were skipped (e.g. no RACI
  given): ``full`` or ``zero`` (default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from itpm_course.validation.core import RULES, Finding, Outcome

if TYPE_CHECKING:  # pragma: no cover
    from itpm_course.plan.model import ProjectPlan

CREDIT = ("partial", "all")
NOT_APPLICABLE = ("zero", "full")


@dataclass(frozen=True)
class RubricItem:
    """One line of a rubric: a text, the rules it rests on, its points and credit mode."""

    id: str
    text: str
    rules: tuple[str, ...]
    points: float
    credit: str = "partial"
    if_not_applicable: str = "zero"


@dataclass(frozen=True)
class Rubric:
    name: str
    title: str
    items: tuple[RubricItem, ...]

    @property
    def max_score(self) -> float:
        return float(sum(i.points for i in self.items))

    @property
    def codes(self) -> list[str]:
        """The rule codes this rubric uses, each once, in item order."""
        return list(dict.fromkeys(c for i in self.items for c in i.rules))


@dataclass(frozen=True)
class RubricLine:
    """The result of one rubric item: points earned and a line of feedback."""

    item: RubricItem
    points: float
    share: float | None  # None: not applicable (every rule skipped)
    feedback: str

    @property
    def passed(self) -> bool:
        return self.points >= self.item.points - 1e-9

    def __str__(self) -> str:
        mark = "ok " if self.passed else ("-- " if self.points == 0 else "~  ")
        return (
            f"{mark}{_num(self.points)}/{_num(self.item.points)}  {self.item.text}: {self.feedback}"
        )


@dataclass(frozen=True)
class RubricResult:
    """A plan's score on a rubric: a line per item, the total and the findings behind it."""

    rubric: str
    title: str
    lines: tuple[RubricLine, ...]
    findings: tuple[Finding, ...] = field(default=(), repr=False)

    @property
    def score(self) -> float:
        return round(sum(line.points for line in self.lines), 2)

    @property
    def max_score(self) -> float:
        return float(sum(line.item.points for line in self.lines))

    @property
    def full_marks(self) -> bool:
        return all(line.passed for line in self.lines)

    def feedback(self) -> str:
        """The score and one line per rubric item, for a learner."""
        head = f"{self.title}: {_num(self.score)} / {_num(self.max_score)}"
        return "\n".join([head, *(f"  {line}" for line in self.lines)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "score": self.score,
            "max_score": self.max_score,
            "items": [
                {
                    "id": line.item.id,
                    "text": line.item.text,
                    "points": line.points,
                    "max_points": line.item.points,
                    "feedback": line.feedback,
                }
                for line in self.lines
            ],
        }


def _num(x: float) -> str:
    return f"{x:g}"


# -------------------------------------------------------------------------------- loading
def parse_rubrics(data: Mapping[str, Any]) -> dict[str, Rubric]:
    """Rubrics from their plain-data form; raises ValueError naming what is wrong."""
    out: dict[str, Rubric] = {}
    for name, spec in data.items():
        items = []
        seen: set[str] = set()
        for k, raw in enumerate(spec.get("items") or [], start=1):
            where = f"rubric {name!r}, item {k}"
            item = RubricItem(
                id=str(raw.get("id") or k),
                text=str(raw["text"]),
                rules=tuple(raw.get("rules") or ()),
                points=float(raw.get("points", 1)),
                credit=raw.get("credit", "partial"),
                if_not_applicable=raw.get("if_not_applicable", "zero"),
            )
            unknown = [c for c in item.rules if c not in RULES]
            if not item.rules or unknown:
                raise ValueError(f"{where}: unknown or missing rule codes {unknown or []}")
            if item.points <= 0:
                raise ValueError(f"{where}: points must be > 0")
            if item.credit not in CREDIT or item.if_not_applicable not in NOT_APPLICABLE:
                raise ValueError(
                    f"{where}: credit is one of {CREDIT}, if_not_applicable of {NOT_APPLICABLE}"
                )
            if item.id in seen:
                raise ValueError(f"{where}: duplicate item id {item.id!r}")
            seen.add(item.id)
            items.append(item)
        if not items:
            raise ValueError(f"rubric {name!r} has no items")
        out[name] = Rubric(name, str(spec.get("title") or name), tuple(items))
    return out


@cache
def load_rubrics() -> dict[str, Rubric]:
    """The course's rubrics from ``rubrics.yaml``, by name."""
    import yaml  # noqa: PLC0415

    text = resources.files(__package__).joinpath("rubrics.yaml").read_text(encoding="utf-8")
    return parse_rubrics(yaml.safe_load(text))


def get_rubric(rubric: str | Rubric) -> Rubric:
    if isinstance(rubric, Rubric):
        return rubric
    rubrics = load_rubrics()
    if rubric not in rubrics:
        raise ValueError(f"unknown rubric {rubric!r}; choose one of {', '.join(sorted(rubrics))}")
    return rubrics[rubric]


# -------------------------------------------------------------------------------- scoring
def score_outcomes(rubric: Rubric, outcomes: Mapping[str, tuple[Any, Outcome]]) -> list[RubricLine]:
    """Rubric lines from rule outcomes (as returned by :func:`~itpm_course.validation.run_rules`)."""
    lines = []
    for item in rubric.items:
        shares, notes, skipped = [], [], []
        for code in item.rules:
            rule, outcome = outcomes[code]
            share = rule_share(rule, outcome)
            if share is None:
                skipped.append((code, outcome.skipped))
                continue
            shares.append(share)
            bad = [i for i in outcome.issues if (i.severity or rule.severity) != "info"]
            if bad:
                more = f" (+{len(bad) - 2} more)" if len(bad) > 2 else ""
                notes.append(
                    f"{code} {'; '.join(f'{i.location}: {i.message}' for i in bad[:2])}{more}"
                )
        skipped = _skipped_notes(skipped)
        if not shares:
            share = 1.0 if item.if_not_applicable == "full" else 0.0
            points = item.points * share
            feedback = "not assessed: " + "; ".join(skipped)
            lines.append(RubricLine(item, round(points, 2), None, feedback))
            continue
        share = sum(shares) / len(shares)
        if item.credit == "all" and share < 1.0:
            share = 0.0
        checked = sum(outcomes[c][1].checked for c in item.rules)
        feedback = " | ".join(notes) if notes else "all checks pass"
        if not notes and checked == 0:
            feedback = "passes: nothing of this kind in the plan to check"
        if skipped:
            feedback += " (" + "; ".join(skipped) + ")"
        lines.append(RubricLine(item, round(item.points * share, 2), share, feedback))
    return lines


def _skipped_notes(skipped: list[tuple[str, str]]) -> list[str]:
    """``CODE not checked (reason)`` notes, one per reason: ``CHG001-CHG009 not checked (...)``."""
    by_reason: dict[str, list[str]] = {}
    for code, reason in skipped:
        by_reason.setdefault(reason, []).append(code)
    notes = []
    for reason, codes in by_reason.items():
        numbers = [int(c[3:]) for c in codes]
        run = len({c[:3] for c in codes}) == 1 and numbers == list(
            range(numbers[0], numbers[0] + len(codes))
        )
        label = f"{codes[0]}-{codes[-1]}" if run and len(codes) > 2 else ", ".join(codes)
        notes.append(f"{label} not checked ({reason})")
    return notes


def rule_share(rule: Any, outcome: Outcome) -> float | None:
    """The passing share of one rule's outcome (None when the rule was skipped)."""
    if outcome.skipped is not None:
        return None
    failing = {
        (i.location.kind, i.location.id)
        for i in outcome.issues
        if (i.severity or rule.severity) != "info"
    }
    if not failing:
        return 1.0
    if outcome.checked <= 0:
        return 0.0
    return max(0.0, 1.0 - len(failing) / outcome.checked)


def score(
    plan: ProjectPlan,
    rubric: str | Rubric = "basic",
    *,
    raci: Mapping[str, Mapping[str, str]] | None = None,
    seed: int = 0,
    iterations: int | None = None,
    change: Any = None,
    change_log: Any = None,
) -> RubricResult:
    """Score ``plan`` on a rubric (a name from ``rubrics.yaml`` or a :class:`Rubric`)."""
    from itpm_course.validation import (  # noqa: PLC0415
        DEFAULT_ITERATIONS,
        findings_of,
        run_rules,
        sort_findings,
    )

    rub = get_rubric(rubric)
    outcomes = run_rules(
        plan,
        rules=rub.codes,
        raci=raci,
        seed=seed,
        iterations=iterations or DEFAULT_ITERATIONS,
        change=change,
        change_log=change_log,
    )
    lines = score_outcomes(rub, outcomes)
    found = sort_findings(f for r, o in outcomes.values() for f in findings_of(r, o, plan.source))
    return RubricResult(rub.name, rub.title, tuple(lines), tuple(found))
