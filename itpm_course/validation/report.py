"""Linter-style text for a check report: findings grouped by severity, then the rubric score."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from itpm_course.validation.core import SEVERITIES

if TYPE_CHECKING:  # pragma: no cover
    from itpm_course.validation import CheckReport
    from itpm_course.validation.core import Finding

_HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def format_finding(finding: Finding, *, hint: bool = True) -> str:
    """``file:row: CODE severity kind id: message`` and an indented hint line."""
    loc = finding.location
    where = Path(loc.file).name if loc.file else "plan"
    if loc.row is not None:
        where += f":{loc.row}"
    line = f"{where}: {finding.code} {finding.severity} {loc}: {finding.message}"
    if hint and finding.hint:
        line += f"\n    hint: {finding.hint}"
    return line


def format_report(report: CheckReport) -> str:
    """The whole report as text (ends with a newline)."""
    out: list[str] = []
    for severity in SEVERITIES:
        found = [f for f in report.findings if f.severity == severity]
        if not found:
            continue
        out.append(f"{_HEADINGS[severity]} ({len(found)}):")
        out.extend(
            "  " + format_finding(f, hint=severity != "info").replace("\n", "\n  ") for f in found
        )
        out.append("")
    counts = {s: sum(f.severity == s for f in report.findings) for s in SEVERITIES}
    out.append(
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info: "
        + ("OK" if report.ok else "NOT OK")
    )
    out.append("")
    out.append(report.result.feedback())
    return "\n".join(out) + "\n"
