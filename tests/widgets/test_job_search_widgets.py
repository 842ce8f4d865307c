"""Tool recommender, headline builder and interview practice, driven by setting controls."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from itpm_course.content import load_interview_categories
from itpm_course.widgets.job_search import (
    HEADLINE_MAX_CHARS,
    build_headline,
    headline_builder,
    interview_practice,
    star_feedback,
    tool_recommender,
)


def test_tool_recommender():
    rec = tool_recommender()
    assert isinstance(rec, widgets.VBox)
    assert rec.pick_ids == ["jira", "confluence"]
    rec.methodology.value = "predictive"
    rec.team_size.value = 20
    rec.budget.value = "medium"
    rec.needs.value = ("scheduling", "risk", "resource_management")
    assert 2 <= len(rec.picks) <= 3
    assert rec.pick_ids[0] == "microsoft_project"
    rec.needs.value = ()
    assert rec.picks == [] and "at least one need" in rec.message


def test_headline_builder_joins_parts_and_checks_length():
    hb = headline_builder()
    hb.role.value = "IT Project Manager"
    hb.specialty.value = "Cloud Infrastructure"
    hb.skills.value = "PMP, ITIL Certified"
    hb.accomplishment.value = "$1.2M ERP migration 3 weeks early"
    assert (
        hb.headline
        == "IT Project Manager | Cloud Infrastructure | PMP, ITIL Certified | $1.2M ERP migration 3 weeks early"
    )
    assert hb.fits and hb.tips == []
    hb.accomplishment.value = "x" * HEADLINE_MAX_CHARS
    assert not hb.fits
    assert any("Too long" in t for t in hb.tips)
    hb.specialty.value = hb.skills.value = hb.accomplishment.value = ""
    assert any("beyond the job title" in t for t in hb.tips)
    assert "Senior IT Project Manager" in hb.examples.value


def test_build_headline_skips_empty_parts():
    assert build_headline("PM", "", ["A", "B"], "") == "PM | A, B"


def test_interview_practice_is_seeded_and_covers_every_category():
    a, b = interview_practice(seed=3), interview_practice(seed=3)
    seen_a, seen_b = [], []
    for cat in load_interview_categories()["id"]:
        a.category.value = cat
        b.category.value = cat
        assert a.question, f"no question for {cat}"
        seen_a.append(a.question_id)
        seen_b.append(b.question_id)
    assert seen_a == seen_b
    before = a.question_id
    a.new_question()
    assert a.question_id != before or len(a.questions()) == 1


def test_star_check_and_rating():
    ip = interview_practice(seed=1)
    assert ip.check()  # empty answer: notes for every part
    ip.situation.value = "CRM rollout with a fixed go-live date."
    ip.task.value = "I owned the cut-over plan."
    ip.action.value = (
        "I split the migration into waves, I rehearsed each and I briefed the sponsor weekly."
    )
    ip.result.value = "Live 2 days early with zero data loss."
    ip.rating.value = 4
    assert ip.check() == []
    assert "complete STAR answer" in ip.message and "4/5" in ip.message
    ip.new_question()
    assert ip.situation.value == "" and ip.feedback == []


@pytest.mark.parametrize(
    ("action", "result", "needle"),
    [
        ("We fixed it together", "Faster", "say what *you* did"),
        ("I fixed it", "It got better", "measurable"),
    ],
)
def test_star_feedback_notes(action, result, needle):
    notes = star_feedback("s", "t", action, result)
    assert any(needle in n for n in notes)
