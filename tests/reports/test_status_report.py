"""The steering-committee status report: Markdown and HTML from a plan and status."""

from __future__ import annotations

import base64

import matplotlib
import pytest

matplotlib.use("Agg")

from itpm_course.data import sample_plan, sample_register  # noqa: E402
from itpm_course.exercises.evm import migration_status  # noqa: E402
from itpm_course.reports.status import status_report  # noqa: E402

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def report():
    return status_report(sample_plan(), migration_status(), risks=sample_register())


def test_metrics_and_rag(report):
    m = report.metrics
    assert m.period == 4 and m.rag == "red" and m.rag_cost == "amber"
    assert m.cpi == pytest.approx(67_000 / 72_400)
    assert str(report.status_date) == "2026-01-30"


def test_markdown_sections(report):
    md = report.markdown
    for heading in (
        "# Status report: Server migration",
        "## Summary",
        "## Earned value",
        "## Critical path",
        "## Tasks driving the variances",
        "## Top risks",
        "## Decisions and escalations",
    ):
        assert heading in md
    assert "Over budget and behind schedule" in md
    assert "| CPI = EV / AC | 0.93 |" in md
    assert "| PROC |" in md  # the task that drives the variance


def test_critical_path_change_from_forecast(report):
    change = report.critical_path
    assert change.current_duration == change.baseline_duration + 2
    assert "moves by +2 working days" in change.describe()


def test_top_risks_ranked_by_emv(report):
    ids = [r["id"] for r in report.risks]
    assert len(ids) == 5
    emv = [r["emv"] for r in report.risks]
    assert emv == sorted(emv, reverse=True)
    assert all(r.get("kind", "threat") == "threat" for r in report.risks)


def test_html_embeds_the_chart_and_escapes(report):
    page = report.html
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    data = page.split("data:image/png;base64,")[1].split("'")[0]
    assert base64.b64decode(data).startswith(PNG)
    assert "RED" in page and "<script" not in page


def test_risks_as_dicts_and_escaping():
    risks = [
        {"id": "X1", "title": "<b>bold</b> | pipe", "probability": 0.5, "impact_cost": 1000},
        {
            "id": "X2",
            "title": "closed",
            "probability": 0.9,
            "impact_cost": 9000,
            "status": "closed",
        },
    ]
    rep = status_report(sample_plan(), migration_status()[:3], risks=risks)
    assert [r["id"] for r in rep.risks] == ["X1"]
    assert "&lt;b&gt;bold&lt;/b&gt;" in rep.html
    assert "\\| pipe" in rep.markdown
    assert rep.critical_path.changed is False


def test_no_risks_and_save(tmp_path, report):
    rep = status_report(sample_plan(), migration_status()[:3])
    assert "No risk register supplied." in rep.markdown
    html_path = report.save(tmp_path / "status.html")
    assert html_path.read_text(encoding="utf-8") == report.html
    md_path = report.save(tmp_path / "status.md")
    assert (tmp_path / "status.png").read_bytes().startswith(PNG)
    assert "](status.png)" in md_path.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=".html or .md"):
        report.save(tmp_path / "status.pdf")


def test_notebook_fragment_and_repr(report):
    fragment = report._repr_html_()
    assert fragment.startswith("<div class='itpm-status-report'>")
    assert "<body" not in fragment and "<head" not in fragment
    assert repr(report).startswith("<StatusReport 'Status report: Server migration")
