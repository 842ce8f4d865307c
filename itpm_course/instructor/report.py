"""Grade tables, export and the cohort analytics report (pandas, matplotlib charts).

* :func:`grade_rows` — one row per graded cell of every submission (the raw material);
* :func:`scores_table` — one row per student and assignment, missing submissions included;
* :func:`item_analysis` — per test cell: difficulty (mean share of the points earned), pass
  rate (share with full marks), discrimination as the point-biserial correlation of passing
  with the rest of the assignment score and as the upper-lower index (27% groups);
* :func:`findings_table` — the validator findings (rule codes) printed by the hidden tests in
  the autograded notebooks, by the number of learners they fired for: what to reteach;
* :func:`at_risk` — learners with missing submissions or a low mean score.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from itpm_course.instructor.course import Course, InstructorError

#: A learner is at risk below this mean share of the points, or with any submission missing.
AT_RISK_BELOW = 0.5
_CODE = re.compile(r"\b([A-Z]{3}\d{3})\b(?! not checked)")


# ------------------------------------------------------------------------- tables
def grade_rows(course: Course) -> pd.DataFrame:
    """Every graded cell of every submission: student, assignment, notebook, cell, scores."""
    from nbgrader.api import Grade, SubmittedAssignment, SubmittedNotebook  # noqa: PLC0415

    rows = []
    with course.gradebook() as gb:
        query = (
            gb.db.query(Grade)
            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
            .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
        )
        for g in query:
            nb = g.notebook
            rows.append(
                {
                    "student": nb.student.id,
                    "assignment": nb.assignment.name,
                    "notebook": nb.name,
                    "cell": g.name,
                    "score": float(g.score or 0.0),
                    "max_score": float(g.max_score or 0.0),
                    "auto_score": g.auto_score,
                    "manual_score": g.manual_score,
                    "needs_manual_grade": bool(g.needs_manual_grade),
                }
            )
    cols = ["student", "assignment", "notebook", "cell", "score", "max_score", "auto_score",
            "manual_score", "needs_manual_grade"]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["assignment", "student", "notebook", "cell"]).reset_index(drop=True)


def scores_table(course: Course, assignment: str | None = None) -> pd.DataFrame:
    """One row per student and assignment (all students of the gradebook, missing ones too)."""
    with course.gradebook() as gb:
        assignments = [(a.name, float(a.max_score or 0.0)) for a in gb.assignments]
        students = [(s.id, s.first_name, s.last_name, s.email) for s in gb.students]
        subs = {
            (sa.assignment.name, sa.student.id): (
                sa.timestamp,
                float(sa.score or 0.0),
                bool(sa.needs_manual_grade),
            )  # fmt: skip
            for a in gb.assignments
            for sa in a.submissions
        }
    if assignment is not None:
        if assignment not in {a for a, _ in assignments}:
            raise InstructorError(f"no assignment {assignment!r} in the gradebook")
        assignments = [(a, m) for a, m in assignments if a == assignment]
    rows = []
    for sid, first, last, email in students:
        for name, max_score in assignments:
            sub = subs.get((name, sid))
            rows.append(
                {
                    "student": sid,
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "assignment": name,
                    "submitted": sub is not None,
                    "timestamp": sub[0] if sub else None,
                    "score": sub[1] if sub else 0.0,
                    "max_score": max_score,
                    "percent": round(100 * sub[1] / max_score, 1) if sub and max_score else 0.0,
                    "needs_manual_grade": sub[2] if sub else False,
                }
            )
    cols = ["student", "first_name", "last_name", "email", "assignment", "submitted",
            "timestamp", "score", "max_score", "percent", "needs_manual_grade"]  # fmt: skip
    return (
        pd.DataFrame(rows, columns=cols)
        .sort_values(["assignment", "student"])
        .reset_index(drop=True)
    )


def export_grades(course: Course, fmt: str = "csv", to: str | Path | None = None) -> Path:
    """Write :func:`scores_table` as CSV or Excel; returns the file written."""
    if fmt not in ("csv", "xlsx"):
        raise InstructorError(f"unknown export format {fmt!r}: use csv or xlsx")
    path = Path(to) if to else course.root / f"grades.{fmt}"
    df = scores_table(course)
    if fmt == "csv":
        df.to_csv(path, index=False)
    else:
        out = df.copy()
        out["timestamp"] = out["timestamp"].astype("string")
        out.to_excel(path, index=False, sheet_name="grades")
    return path


# ------------------------------------------------------------------------- analytics
def item_analysis(grades: pd.DataFrame) -> pd.DataFrame:
    """Per test cell: n, max_score, difficulty, pass_rate, point_biserial, upper_lower.

    ``difficulty`` is the classical p-value (mean share of the points; low = hard);
    ``point_biserial`` correlates passing the test (full marks) with the rest of the learner's
    assignment score (the item itself left out, so it does not correlate with itself);
    ``upper_lower`` is the mean share in the top 27% of learners by assignment score minus the
    bottom 27%. Either discrimination is NaN when it cannot be computed (e.g. all passed).
    """
    cols = ["assignment", "notebook", "cell", "n", "max_score", "difficulty", "pass_rate",
            "point_biserial", "upper_lower"]  # fmt: skip
    graded = grades[grades["max_score"] > 0]
    if graded.empty:
        return pd.DataFrame(columns=cols)
    out = []
    for assignment, rows in graded.groupby("assignment", sort=True):
        totals = rows.groupby("student")["score"].sum()
        order = totals.sort_values(kind="stable")
        k = max(1, int(round(0.27 * len(order))))
        lower, upper = set(order.index[:k]), set(order.index[-k:])
        for (notebook, cell), item in rows.groupby(["notebook", "cell"], sort=False):
            share = (item["score"] / item["max_score"]).clip(0, 1).to_numpy()
            passed = (item["score"] >= item["max_score"] - 1e-9).to_numpy(dtype=float)
            rest = (totals.loc[item["student"]].to_numpy() - item["score"].to_numpy()).astype(float)
            rpb = np.nan
            if len(item) > 2 and passed.std() > 0 and rest.std() > 0:
                rpb = float(np.corrcoef(passed, rest)[0, 1])
            by_student = pd.Series(share, index=item["student"].to_numpy())
            ul = np.nan
            if len(order) >= 4:
                ul = float(
                    by_student[by_student.index.isin(upper)].mean()
                    - by_student[by_student.index.isin(lower)].mean()
                )
            out.append(
                {
                    "assignment": assignment,
                    "notebook": notebook,
                    "cell": cell,
                    "n": len(item),
                    "max_score": float(item["max_score"].iloc[0]),
                    "difficulty": round(float(share.mean()), 3),
                    "pass_rate": round(float(passed.mean()), 3),
                    "point_biserial": round(rpb, 3) if not np.isnan(rpb) else np.nan,
                    "upper_lower": round(ul, 3) if not np.isnan(ul) else np.nan,
                }
            )
    return pd.DataFrame(out, columns=cols)


def cell_findings(nb: dict) -> set[str]:
    """Rule codes printed by the graded cells of an autograded notebook (as a dict)."""
    codes: set[str] = set()
    for cell in nb.get("cells", []):
        if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        for out in cell.get("outputs", []):
            text = out.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            text += " " + str(out.get("evalue", ""))
            codes.update(_CODE.findall(text))
    return codes


def findings_table(course: Course, assignment: str | None = None) -> pd.DataFrame:
    """Validator findings across the cohort: code, title, learners, share of graded learners."""
    from itpm_course.validation import RULES  # noqa: PLC0415

    base = course.path("autograded")
    hits: dict[tuple[str, str], set[str]] = {}
    graded: dict[str, set[str]] = {}
    if base.is_dir():
        for nb_path in sorted(base.glob("*/*/*.ipynb")):
            student, name = nb_path.parent.parent.name, nb_path.parent.name
            if assignment is not None and name != assignment:
                continue
            graded.setdefault(name, set()).add(student)
            try:
                nb = json.loads(nb_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            for code in cell_findings(nb):
                if code in RULES:
                    hits.setdefault((name, code), set()).add(student)
    rows = [
        {
            "assignment": name,
            "code": code,
            "title": RULES[code].title,
            "learners": len(who),
            "share": round(len(who) / max(len(graded.get(name, ())), 1), 3),
        }
        for (name, code), who in hits.items()
    ]
    cols = ["assignment", "code", "title", "learners", "share"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["learners", "assignment", "code"], ascending=[False, True, True]).reset_index(drop=True)  # fmt: skip


def at_risk(scores: pd.DataFrame, below: float = AT_RISK_BELOW) -> pd.DataFrame:
    """Learners with a missing submission or a mean share of the points under ``below``."""
    cols = ["student", "missing", "mean_percent", "reason"]
    if scores.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for sid, s in scores.groupby("student", sort=True):
        missing = sorted(s.loc[~s["submitted"], "assignment"])
        mean = float((s["score"].sum() / s["max_score"].sum()) if s["max_score"].sum() else 0.0)
        reasons = []
        if missing:
            reasons.append(f"missing {', '.join(missing)}")
        if mean < below:
            reasons.append(f"mean score {100 * mean:.0f}% < {100 * below:.0f}%")
        if reasons:
            rows.append({"student": sid, "missing": len(missing),
                         "mean_percent": round(100 * mean, 1), "reason": "; ".join(reasons)})  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


@dataclass
class Report:
    """The analytics of a course (or one assignment) as tables."""

    course_id: str
    assignment: str | None
    scores: pd.DataFrame
    distribution: pd.DataFrame
    items: pd.DataFrame
    findings: pd.DataFrame
    at_risk: pd.DataFrame


def build_report(course: Course, assignment: str | None = None) -> Report:
    """All the report's tables for the course, or for ``assignment`` only."""
    scores = scores_table(course, assignment)
    grades = grade_rows(course)
    if assignment is not None:
        grades = grades[grades["assignment"] == assignment]
    sub = scores[scores["submitted"]]
    distribution = (
        sub.groupby("assignment")["percent"]
        .describe(percentiles=[0.25, 0.5, 0.75])
        .rename(columns={"count": "n", "50%": "median", "25%": "q1", "75%": "q3"})
        .round(1)
    )
    counts = scores.groupby("assignment").agg(
        students=("student", "count"), submitted=("submitted", "sum")
    )
    distribution = counts.join(distribution, how="left").reset_index()
    return Report(
        course_id=course.course_id,
        assignment=assignment,
        scores=scores,
        distribution=distribution,
        items=item_analysis(grades),
        findings=findings_table(course, assignment),
        at_risk=at_risk(scores),
    )


def report_text(rep: Report, top: int = 10) -> str:
    """The report as plain text for a terminal."""
    title = f"Course {rep.course_id}" + (f", assignment {rep.assignment}" if rep.assignment else "")
    parts = [title, "=" * len(title), ""]

    def table(df: pd.DataFrame) -> str:
        return df.to_string(index=False) if not df.empty else "(none)"

    parts += ["Score distribution (% of points, submitted work)", table(rep.distribution), ""]
    hardest = rep.items.sort_values(["difficulty", "pass_rate"]).head(top)
    parts += [f"Tests by difficulty (hardest {len(hardest)} first)", table(hardest), ""]
    parts += ["Most common validator findings", table(rep.findings.head(top)), ""]
    parts += [f"Learners at risk ({len(rep.at_risk)})", table(rep.at_risk), ""]
    return "\n".join(parts)


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def report_charts(rep: Report) -> dict[str, str]:
    """Base64 PNGs: score distribution per assignment, test difficulty, top findings."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt  # noqa: PLC0415

    charts = {}
    sub = rep.scores[rep.scores["submitted"]]
    names = sorted(sub["assignment"].unique())
    if names:
        fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 2.6), squeeze=False)
        for ax, name in zip(axes[0], names, strict=True):
            ax.hist(sub.loc[sub["assignment"] == name, "percent"], bins=range(0, 101, 10),
                    color="#4C78A8", edgecolor="white")  # fmt: skip
            ax.set_title(name, fontsize=9)
            ax.set_xlabel("% of points")
        axes[0][0].set_ylabel("learners")
        charts["distribution"] = _png(fig)
    if not rep.items.empty:
        items = rep.items.sort_values("difficulty")
        fig, ax = plt.subplots(figsize=(7, 0.28 * len(items) + 1))
        labels = items["assignment"] + " · " + items["cell"]
        ax.barh(labels, items["difficulty"], color="#F58518")
        ax.set_xlim(0, 1)
        ax.set_xlabel("difficulty (mean share of points; low = hard)")
        ax.invert_yaxis()
        charts["difficulty"] = _png(fig)
    if not rep.findings.empty:
        top = rep.findings.head(10)
        fig, ax = plt.subplots(figsize=(7, 0.35 * len(top) + 1))
        ax.barh(top["code"] + " " + top["title"].str.slice(0, 45), top["learners"], color="#E45756")
        ax.set_xlabel("learners")
        ax.invert_yaxis()
        charts["findings"] = _png(fig)
    return charts


def report_html(rep: Report) -> str:
    """The report as one self-contained HTML page (tables and embedded PNG charts)."""
    charts = report_charts(rep)
    title = f"Course {rep.course_id}" + (f" — {rep.assignment}" if rep.assignment else "")

    def section(head: str, df: pd.DataFrame, chart: str | None = None) -> str:
        body = (
            df.to_html(index=False, na_rep="–", border=0, classes="t")
            if not df.empty
            else "<p>(none)</p>"
        )
        img = f'<img alt="{html.escape(head)}" src="data:image/png;base64,{charts[chart]}">' if chart in charts else ""  # fmt: skip
        return f"<h2>{html.escape(head)}</h2>{img}{body}"

    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table.t{border-collapse:collapse}table.t td,table.t th{padding:2px 8px;"
        "border-bottom:1px solid #ddd;text-align:right}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + section("Score distribution per assignment", rep.distribution, "distribution")
        + section("Per-test difficulty and discrimination", rep.items.sort_values("difficulty"), "difficulty")
        + section("Most common validator findings (what to reteach)", rep.findings, "findings")
        + section("Learners at risk", rep.at_risk)
        + "</body></html>"
    )  # fmt: skip
