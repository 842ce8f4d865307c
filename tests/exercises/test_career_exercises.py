"""Notebooks 01-03 self-checks: right answers pass, each named misconception fires."""

from __future__ import annotations

import pytest

from itpm_course.exercises import career as ex

RIGHT = {
    "pm_duties": ["a", "c", "e"],
    "levels": {"w": "entry", "x": "mid", "y": "senior", "z": "senior"},
    "specialisms": {"p1": "infrastructure", "p2": "itsm", "p3": "erp", "p4": "cybersecurity"},
    "stage_priya": "foundation",
    "stage_sam": "mid",
    "stage_alex": "foundation",
    "timeline": 4,
    "competencies": {
        "status reporting": "Communication",
        "mitigation planning": "Risk Management",
        "delegation": "Leadership",
        "standards compliance": "Quality Assurance",
    },
    "mid_level_focus": [
        "advanced risk management",
        "stakeholder engagement",
        "technical depth in your specialisation",
        "team leadership",
    ],
    "gap_total": 3,
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_right_answers_pass(name):
    feedback = getattr(ex, name).evaluate(RIGHT[name])
    assert feedback.passed, str(feedback)


def test_every_exercise_is_listed_with_hints_solution_and_variable():
    assert len(ex.ALL_01) >= 3 and len(ex.ALL_02) >= 3 and len(ex.ALL_03) >= 3
    assert {e.id for e in ex.ALL} == {getattr(ex, n).id for n in RIGHT}
    for exercise in ex.ALL:
        assert exercise.hints and exercise.solution_text and exercise.var
        assert exercise.evaluate(...).status == "unanswered"
        assert exercise.evaluate(None).status == "unanswered"


def test_answers_are_derived_from_the_content():
    assert ex.level_activities()["x"] == "Lead cross-functional project teams"
    assert ex.specialism_projects()["p1"] == "cloud services"
    assert "team leadership" in ex.mid_focus()


def test_lenient_forms_are_accepted():
    assert ex.pm_duties.evaluate("a, c, e").passed
    assert ex.stage_sam.evaluate("Mid-Level PM").passed
    assert ex.specialisms.evaluate(
        {"p1": "Infrastructure Project Manager", "p2": "itsm", "p3": "ERP", "p4": "cybersecurity"}
    ).passed
    assert ex.competencies.evaluate({k: v.lower() for k, v in RIGHT["competencies"].items()}).passed


@pytest.mark.parametrize(
    ("name", "answer", "misconception", "fragment"),
    [
        ("pm_duties", ["a", "b", "c", "e"], "pm-is-product-owner", "(b)"),
        (
            "levels",
            {"w": "entry", "x": "entry", "y": "senior", "z": "senior"},
            "entry-leads",
            "(x)",
        ),
        (
            "levels",
            {"w": "entry", "x": "mid", "y": "mid", "z": "senior"},
            "senior-is-more-of-the-same",
            "portfolio",
        ),
        (
            "specialisms",
            {"p1": "digital_transformation", "p2": "itsm", "p3": "erp", "p4": "cybersecurity"},
            "tech-change-is-transformation",
            "cloud services",
        ),
        ("stage_priya", "mid", "stages-by-years-alone", "6 years in IT alone"),
        ("stage_sam", "entry", "stages-by-years-alone", "mid-level role"),
        ("stage_alex", "entry", "certs-replace-experience", "certificate"),
        ("timeline", 7, "timeline-is-fixed", "3 of the four factors"),
        ("timeline", 3, "timeline-is-fixed", "end of the range"),
        (
            "competencies",
            {**RIGHT["competencies"], "status reporting": "Planning & Execution"},
            "reporting-is-admin",
            "belongs to Communication",
        ),
        (
            "mid_level_focus",
            ["portfolio management", "team leadership"],
            "senior-skills-early",
            "portfolio",
        ),
        ("gap_total", 1, "strengths-offset-gaps", "cancel out"),
    ],
)
def test_misconceptions_are_named(name, answer, misconception, fragment):
    feedback = getattr(ex, name).evaluate(answer)
    assert feedback.status == "incorrect"
    assert feedback.misconception is not None and feedback.misconception.id == misconception
    assert fragment in feedback.message


@pytest.mark.parametrize(
    ("name", "answer", "fragment"),
    [
        ("pm_duties", ["a", "c"], "(e)"),
        ("pm_duties", ["a", "q"], "no statement 'q'"),
        ("levels", 5, "give a dict"),
        ("levels", {"w": "entry"}, "no level for activity 'x'"),
        (
            "levels",
            {"w": "junior", "x": "mid", "y": "senior", "z": "senior"},
            "'entry', 'mid' or 'senior'",
        ),
        ("specialisms", {"p1": "cloud"}, "not a role id"),
        ("stage_priya", 3, "stage id as text"),
        ("stage_priya", "expert", "not a stage"),
        ("timeline", 10, "outside"),
        ("timeline", 5, "take one year off 7"),
        ("timeline", "four", "should be a number"),
        ("competencies", {"status reporting": "Talking"}, "not a category"),
        ("mid_level_focus", ["team leadership"], "left out"),
        ("mid_level_focus", ["documentation", "team leadership"], "entry-level fundamental"),
        ("mid_level_focus", ["agility"], "not one of"),
        ("gap_total", 15, "sum of the targets"),
        ("gap_total", 7, "max(0, target − rating)"),
    ],
)
def test_specific_feedback_without_traceback(name, answer, fragment):
    feedback = getattr(ex, name).evaluate(answer)
    assert feedback.status == "incorrect", str(feedback)
    assert fragment in feedback.message
