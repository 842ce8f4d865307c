"""Quality metrics, acceptance criteria, definition of done and compliance checklists.

Quality assurance (QA) asks whether the *process* will produce quality; quality control (QC)
checks the *product*. The metrics here are QC measurements that feed QA decisions:

* defect density = defects / size, per ``per`` units of size (1,000 lines of code by default;
  function points or story points work the same way);
* defect escape rate = defects found after release / all defects found;
* test pass rate = passed / executed (tests not run or blocked are not executed);
* acceptance-criteria coverage = requirements with at least one criterion / all requirements.

Compliance checklists (GDPR, HIPAA, ISO/IEC 27001, ISO 9001) come from the content data
(:mod:`itpm_course.content.control`); :func:`assess_compliance` scores answers against one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from itpm_course.content.control import load_compliance, load_definition_of_done

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

COMPLIANCE_ANSWERS = ("met", "partial", "gap", "n/a")


def _count(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if value < 0 or value != value:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return float(value)


def defect_density(defects: float, size: float, *, per: float = 1000) -> float:
    """Defects per ``per`` units of size (default: per 1,000 lines of code, KLOC)."""
    defects, size = _count(defects, "defects"), _count(size, "size")
    if size == 0:
        raise ValueError("size must be > 0 (lines of code, function points or story points)")
    return defects / size * per


def defect_escape_rate(escaped: float, found_before_release: float) -> float:
    """Share (0–1) of all defects that were found after release.

    ``escaped`` are the defects found in production; ``found_before_release`` those found by
    reviews and testing. The denominator is their sum, not the pre-release count.
    """
    escaped = _count(escaped, "escaped")
    found = _count(found_before_release, "found_before_release")
    if escaped + found == 0:
        raise ValueError("no defects at all: the escape rate is undefined (not 0)")
    return escaped / (escaped + found)


def test_pass_rate(passed: float, failed: float) -> float:
    """Share (0–1) of the executed tests that passed (executed = passed + failed)."""
    passed, failed = _count(passed, "passed"), _count(failed, "failed")
    if passed + failed == 0:
        raise ValueError("no tests were executed: the pass rate is undefined")
    return passed / (passed + failed)


test_pass_rate.__test__ = False  # a metric, not a test: keep pytest from collecting it


@dataclass(frozen=True)
class Coverage:
    """Acceptance-criteria coverage: ``covered`` of ``total`` requirements; ``uncovered`` ids."""

    covered: int
    total: int
    uncovered: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


def acceptance_coverage(
    requirements: Iterable[str], criteria: Mapping[str, Iterable[str]]
) -> Coverage:
    """How many ``requirements`` have at least one acceptance criterion in ``criteria``.

    ``criteria`` maps a requirement id to its acceptance criteria (texts or test ids).
    Criteria for a requirement that is not in ``requirements`` raise ValueError: they
    usually mean a typo in an id.
    """
    reqs = list(dict.fromkeys(str(r) for r in requirements))
    if not reqs:
        raise ValueError("requirements: give at least one requirement id")
    stray = sorted(set(map(str, criteria)) - set(reqs))
    if stray:
        raise ValueError(f"criteria for unknown requirement(s) {stray}; check the ids")
    uncovered = tuple(r for r in reqs if not [c for c in criteria.get(r, ()) if str(c).strip()])
    return Coverage(len(reqs) - len(uncovered), len(reqs), uncovered)


@dataclass(frozen=True)
class DoneCheck:
    """Result of a definition-of-done check: ``done`` only when nothing is ``missing``."""

    item: str
    missing: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    @property
    def done(self) -> bool:
        return not self.missing

    def __str__(self) -> str:
        if self.done:
            return f"{self.item}: done"
        return f"{self.item}: not done; missing {', '.join(self.missing)}"


def definition_of_done(frame: pd.DataFrame | None = None) -> dict[str, str]:
    """The definition of done as ``{id: text}`` (the course default from the content data)."""
    frame = load_definition_of_done() if frame is None else frame
    return dict(zip(frame["id"], frame["text"], strict=True))


def check_done(
    item: str, status: Mapping[str, bool], dod: Mapping[str, str] | None = None
) -> DoneCheck:
    """Check a backlog item or deliverable against a definition of done.

    ``status`` maps criterion ids to True/False; a criterion left out counts as not met.
    Ids that are not in the definition are reported in ``unknown`` (a typo is not a pass).
    """
    dod = definition_of_done() if dod is None else dict(dod)
    missing = tuple(k for k in dod if not status.get(k, False))
    unknown = tuple(sorted(set(status) - set(dod)))
    return DoneCheck(item, missing, unknown)


@dataclass(frozen=True)
class ComplianceResult:
    """A framework's checklist with answers: score and the gaps to close."""

    framework: str
    table: pd.DataFrame  # the checklist plus an ``answer`` column

    @property
    def applicable(self) -> pd.DataFrame:
        return self.table[self.table["answer"] != "n/a"]

    @property
    def score(self) -> float:
        """Share of applicable items met (a partial counts half); 0–1."""
        rows = self.applicable
        if rows.empty:
            return 1.0
        points = (rows["answer"] == "met") + 0.5 * (rows["answer"] == "partial")
        return float(points.sum() / len(rows))

    @property
    def gaps(self) -> list[str]:
        """Ids of applicable items not fully met (gap, partial or unanswered)."""
        rows = self.applicable
        return rows.loc[rows["answer"] != "met", "id"].tolist()


def assess_compliance(framework: str, answers: Mapping[str, str] | None = None) -> ComplianceResult:
    """Score a compliance checklist: ``answers`` maps item ids to met / partial / gap / n/a.

    Items without an answer count as ``gap`` (unknown is not compliant). Unknown item ids
    and answers raise ValueError naming them.
    """
    table = load_compliance(framework)
    answers = {str(k): str(v).strip().lower() for k, v in (answers or {}).items()}
    unknown = sorted(set(answers) - set(table["id"]))
    if unknown:
        raise ValueError(
            f"unknown checklist item(s) {unknown} for {framework}; items are {', '.join(table['id'])}"
        )
    bad = {k: v for k, v in answers.items() if v not in COMPLIANCE_ANSWERS}
    if bad:
        key = sorted(bad)[0]
        raise ValueError(
            f"answer for {key} must be one of {', '.join(COMPLIANCE_ANSWERS)}, got {bad[key]!r}"
        )
    table["answer"] = [answers.get(i, "gap") for i in table["id"]]
    return ComplianceResult(table["framework"].iloc[0], table)
