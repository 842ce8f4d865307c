"""The analytics report on a simulated cohort: difficulty, discrimination, findings, at risk."""

from __future__ import annotations

import math

import nbformat
import numpy as np
import pytest
from instructor_helpers import released_notebook

from itpm_course.cli import main
from itpm_course.instructor.report import build_report, item_analysis, report_html

# A cohort of 12: q1 (2 pts) is easy, q2 (3 pts) is hard and separates strong from weak
# learners, q3 (1 pt) is passed by everyone who submitted. Two learners hand in nothing.
STRONG = [f"s{i:02d}" for i in range(6)]
WEAK = [f"w{i:02d}" for i in range(4)]
ABSENT = ["x00", "x01"]


def _scores(student: str) -> dict[str, float]:
    if student in STRONG:
        return {"q1_test": 2.0, "q2_test": 3.0 if student < "s04" else 1.5, "q3_test": 1.0}
    return {"q1_test": 2.0 if student < "w02" else 0.0, "q2_test": 0.0, "q3_test": 1.0}


def _simulate(course) -> None:
    """Gradebook rows and autograded notebooks as a graded cohort would leave them."""
    nb_template = released_notebook(course.root)
    with course.gradebook() as gb:
        for sid in STRONG + WEAK + ABSENT:
            gb.update_or_create_student(sid, first_name=sid.upper(), last_name="L")
        for sid in STRONG + WEAK:
            gb.update_or_create_submission("mini", sid)
            for cell, score in _scores(sid).items():
                grade = gb.find_grade(cell, "mini", "mini", sid)
                grade.auto_score = score
                grade.needs_manual_grade = False
            gb.db.commit()
            # The hidden tests print validator findings: SCH001 for learners short on q2,
            # WBS005 for the weakest two as well.
            nb = nbformat.from_dict(nb_template)
            for cell in nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                text = ""
                if gid == "q2_test" and _scores(sid)["q2_test"] < 3:
                    text += "SCH001 plan: the plan finishes after the deadline\n"
                if gid == "q1_test" and _scores(sid)["q1_test"] == 0:
                    text += "WBS005 task A: has no owner\nSTR003 not checked (no estimates)\n"
                if text:
                    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
            dest = course.root / "autograded" / sid / "mini"
            dest.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, dest / "mini.ipynb")


def test_item_analysis_by_hand():
    import pandas as pd

    rows = []
    for sid in STRONG + WEAK:
        for cell, score in _scores(sid).items():
            mx = {"q1_test": 2.0, "q2_test": 3.0, "q3_test": 1.0}[cell]
            rows.append(dict(student=sid, assignment="mini", notebook="mini", cell=cell,
                             score=score, max_score=mx))  # fmt: skip
    items = item_analysis(pd.DataFrame(rows)).set_index("cell")
    # difficulty = mean share of points
    assert items.loc["q1_test", "difficulty"] == pytest.approx(8 / 10)
    assert items.loc["q2_test", "difficulty"] == pytest.approx((4 * 1 + 2 * 0.5) / 10, abs=1e-3)
    assert items.loc["q3_test", "difficulty"] == 1.0
    assert items.loc["q2_test", "pass_rate"] == pytest.approx(0.4)
    # point-biserial of passing q2 against the rest score, by hand
    students = STRONG + WEAK
    passed = np.array([_scores(s)["q2_test"] >= 3 for s in students], dtype=float)
    rest = np.array([_scores(s)["q1_test"] + _scores(s)["q3_test"] for s in students])
    assert items.loc["q2_test", "point_biserial"] == pytest.approx(
        np.corrcoef(passed, rest)[0, 1], abs=1e-3
    )
    # everyone passes q3: no discrimination to compute, and upper-lower is 0
    assert math.isnan(items.loc["q3_test", "point_biserial"])
    assert items.loc["q3_test", "upper_lower"] == 0
    # top 27% (3 learners) all full on q2, bottom 3 all zero
    assert items.loc["q2_test", "upper_lower"] == pytest.approx(1.0)


def test_report_on_a_simulated_cohort(mini_course, tmp_path, capsys):
    _simulate(mini_course)
    rep = build_report(mini_course, "mini")
    items = rep.items.set_index("cell")
    assert items.loc["q2_test", "difficulty"] < items.loc["q1_test", "difficulty"]
    assert items.loc["q2_test", "point_biserial"] > 0.3  # hard and discriminating
    top = rep.findings.iloc[0]
    assert (top["code"], top["learners"]) == ("SCH001", 6)  # 2 strong at 1.5 + 4 weak
    assert top["share"] == pytest.approx(0.6)
    assert list(rep.findings["code"]) == ["SCH001", "WBS005"]  # "not checked" does not count
    risk = rep.at_risk.set_index("student")
    assert set(risk.index) == {"w02", "w03", *ABSENT}  # w00, w01 have exactly 50%
    assert "missing mini" in risk.loc["x00", "reason"]
    dist = rep.distribution.set_index("assignment")
    assert dist.loc["mini", "submitted"] == 10 and dist.loc["mini", "students"] == 12

    html_path = tmp_path / "report.html"
    args = [
        "instructor",
        "report",
        "mini",
        "--html",
        str(html_path),
        "--course",
        str(mini_course.root),
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Tests by difficulty" in out and "SCH001" in out and "Learners at risk (4)" in out
    html = html_path.read_text()
    assert html.count("data:image/png;base64,") == 3
    assert "point_biserial" in html and "upper_lower" in html and "SCH001" in html
    assert report_html(rep).startswith("<!DOCTYPE html>")

    # Export in both formats
    xlsx = tmp_path / "grades.xlsx"
    assert main(["instructor", "export", "--format", "xlsx", "--to", str(xlsx),
                 "--course", str(mini_course.root)]) == 0  # fmt: skip
    import pandas as pd

    df = pd.read_excel(xlsx)
    assert len(df) == 12 and df["submitted"].sum() == 10
