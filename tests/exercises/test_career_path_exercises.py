"""Exercises of notebooks 04 (tools), 10 (certifications) and 11 (job search)."""

from __future__ import annotations

import pytest

from itpm_course.data.exports import read_jira_csv
from itpm_course.exercises import certifications as certs
from itpm_course.exercises import job_search as js
from itpm_course.exercises import tools

ALL = [*tools.EXERCISES, *certs.EXERCISES, *js.EXERCISES]


@pytest.mark.parametrize("ex", ALL, ids=lambda e: e.id)
def test_unanswered_and_broken_answers_never_raise(ex):
    assert ex.evaluate(...).status == "unanswered"
    assert ex.evaluate(object()).status in ("incorrect", "error")
    assert ex.hint().startswith("**Hint 1")
    assert ex.solution_text
    assert ex.id.split(".")[0] in ("04", "10", "11")


# --- 04 ------------------------------------------------------------------------------------------
def test_throughput():
    issues = read_jira_csv()
    right = issues[issues["status"] == "Done"].groupby("sprint").size()
    assert tools.throughput_per_sprint.evaluate(right).passed
    assert tools.throughput_per_sprint.evaluate(right.to_dict()).passed
    twice = issues.explode("sprints").query("status == 'Done'").groupby("sprints").size()
    fb = tools.throughput_per_sprint.evaluate(twice)
    assert fb.misconception.id == "carry-over-counted-twice"
    assert (
        "CRM Sprint 6" in tools.throughput_per_sprint.evaluate(right.drop("CRM Sprint 6")).message
    )


def test_lead_time_and_wip():
    issues = read_jira_csv()
    done = issues.dropna(subset=["resolved"])
    days = (done["resolved"] - done["created"]).dt.total_seconds() / 86400
    assert tools.median_lead_time.evaluate(days.median()).passed
    assert tools.median_lead_time.evaluate(days.mean()).misconception.id == "mean-for-skewed"
    assert tools.open_wip.evaluate(4).passed
    assert (
        tools.open_wip.evaluate(int((issues["status"] != "Done").sum())).misconception.id
        == "backlog-is-wip"
    )


# --- 10 ------------------------------------------------------------------------------------------
def test_pmp_boundaries_exercise():
    assert certs.pmp_boundaries.evaluate(["A", "D"]).passed
    assert certs.pmp_boundaries.evaluate("a, d").passed
    assert (
        certs.pmp_boundaries.evaluate(["A", "C", "D"]).misconception.id == "associate-is-a-degree"
    )
    assert certs.pmp_boundaries.evaluate(["A", "B", "D"]).misconception.id == "almost-is-enough"
    assert certs.pmp_boundaries.evaluate(["A"]).misconception.id == "capm-no-substitute"
    assert "not one of the cases" in certs.pmp_boundaries.evaluate(["Z"]).message


def test_overlap_exercise():
    assert certs.expected_overlap_months() == 30
    assert certs.overlapping_experience.evaluate(30).passed
    assert certs.overlapping_experience.evaluate(36).misconception.id == "overlap-counts-twice"


def test_open_certifications_exercise():
    expected = {
        "psm-i",
        "prince2-foundation",
        "itil4-foundation",
        "comptia-project-plus",
        "google-pm",
    }
    assert certs.expected_open_certs() == expected
    assert certs.open_certifications.evaluate(sorted(expected)).passed
    assert (
        certs.open_certifications.evaluate([*expected, "csm"]).misconception.id == "csm-exam-only"
    )
    assert (
        certs.open_certifications.evaluate([*expected, "capm"]).misconception.id
        == "capm-needs-nothing"
    )


# --- 11 ------------------------------------------------------------------------------------------
def test_star_order():
    assert js.star_order.evaluate(["b", "d", "a", "c"]).passed
    assert js.star_order.evaluate("bdac").passed
    assert js.star_order.evaluate(["a", "b", "c", "d"]).misconception.id == "result-first"
    assert "exactly once" in js.star_order.evaluate(["b", "b", "a", "c"]).message


def test_accomplishment_and_headline():
    good = "Led a team of 12 to migrate the ERP to SAP, managing $1.2M and finishing 3 weeks early."
    assert js.measurable_accomplishment.evaluate(good).passed
    assert (
        js.measurable_accomplishment.evaluate("Responsible for projects").misconception.id
        == "duties-not-results"
    )
    assert js.measurable_accomplishment.evaluate("").status == "unanswered"
    assert js.headline.evaluate("IT Project Manager | Cloud | PMP").passed
    assert js.headline.evaluate("IT Project Manager").misconception.id == "title-only-headline"
    assert "LinkedIn" in js.headline.evaluate("A | B | 1 " + "x" * 230).message
    assert js.goal_stage.evaluate("senior").passed
    assert not js.goal_stage.evaluate("mid").passed
