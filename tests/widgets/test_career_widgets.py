"""Career widgets: set control values, read results and messages, no browser needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from itpm_course.charts.career import career_timeline_chart, skills_gap_chart  # noqa: E402
from itpm_course.content import load_daily_responsibilities, load_titles  # noqa: E402
from itpm_course.engine.career import CareerProfile, career_report  # noqa: E402
from itpm_course.engine.skills import assess_skills, skill_ids  # noqa: E402
from itpm_course.widgets import career as career_widgets  # noqa: E402
from itpm_course.widgets.career import (  # noqa: E402
    career_planner,
    role_explorer,
    skills_assessment,
)

PNG = b"\x89PNG"


def _tree(widget) -> set[int]:
    seen, todo = set(), [widget]
    while todo:
        w = todo.pop()
        seen.add(id(w))
        todo.extend(getattr(w, "children", ()))
    return seen


# -- role explorer ----------------------------------------------------------------------------
def test_role_explorer_levels_show_daily_work_and_titles():
    explorer = role_explorer()
    assert isinstance(explorer, widgets.VBox)
    assert id(explorer.role) in _tree(explorer)
    daily = load_daily_responsibilities()
    titles = load_titles()
    for level in ("entry", "mid", "senior"):
        explorer.role.value = f"level:{level}"
        r = explorer.result
        assert r["kind"] == "level"
        assert r["responsibilities"] == daily.loc[daily["level"] == level, "text"].tolist()
        assert r["titles"] == titles.loc[titles["level"] == level, "title"].tolist()
        assert r["focus_skills"]
        assert r["responsibilities"][0] in explorer.details.value


def test_role_explorer_specialised_roles():
    explorer = role_explorer()
    keys = [v for _, v in explorer.role.options if v.startswith("role:")]
    assert len(keys) == 6
    explorer.role.value = "role:infrastructure"
    assert explorer.result["name"] == "Infrastructure Project Manager"
    assert "cloud services" in explorer.result["responsibilities"]
    assert "Infrastructure Project Manager" in explorer.details.value


# -- career planner ---------------------------------------------------------------------------
def test_planner_starts_at_foundation_and_follows_the_controls():
    planner = career_planner()
    assert planner.report["stage"]["stage"] == "foundation"
    assert planner.message.startswith("Stage: Foundation")
    assert bytes(planner.chart.value).startswith(PNG)
    for control in (
        planner.years_it,
        planner.years_pm,
        planner.title,
        planner.background,
        planner.degree,
    ):
        assert id(control) in _tree(planner)

    planner.years_it.value = 5
    planner.years_pm.value = 3
    assert planner.report["stage"]["stage"] == "mid"
    assert "Next stage: Senior PM" in planner.message
    assert "First IT Project Manager role: reached" in planner.message


def test_planner_title_outranks_years_and_unknown_title_is_explained():
    planner = career_planner()
    planner.years_it.value = 3
    planner.years_pm.value = 1
    planner.title.value = "IT Project Manager"
    assert planner.report["stage"]["basis"] == "title"
    assert planner.report["stage"]["stage"] == "mid"
    planner.title.value = "Chief Wizard"
    assert planner.report["stage"]["stage"] == "entry"
    assert any("not in the guide" in r for r in planner.report["stage"]["reasons"])
    planner.title.value = "   "
    assert planner.profile.current_title is None


def test_planner_degree_shortens_the_timeline_and_notes_odd_years():
    planner = career_planner()
    before = planner.report["timeline"]["expected_years"]
    planner.degree.value = True
    assert planner.report["timeline"]["expected_years"] == before - 1
    planner.years_pm.value = 4
    assert planner.note and "PM in another field" in planner.message
    planner.background.value = "other_pm_discipline"
    assert planner.note is None


def test_planner_refuses_bad_input_politely(monkeypatch):
    planner = career_planner()
    good = planner.report

    def broken(profile):
        raise ValueError("years_it: something is off")

    monkeypatch.setattr(career_widgets, "career_report", broken)
    planner.years_it.value = 4
    assert planner.error and planner.message.startswith("Could not plan")
    assert "Still showing the last valid plan" in planner.message
    assert planner.report is good
    assert "⚠" in planner.summary.value


# -- skills assessment ------------------------------------------------------------------------
def test_skills_assessment_sliders_drive_gaps_plan_and_chart():
    sa = skills_assessment()
    assert set(sa.sliders) == set(skill_ids())
    assert len(sa.assessment) == len(skill_ids())
    assert (sa.assessment["gap"] > 0).all()  # all zero ratings: every entry target is a gap
    assert len(sa.plan) == 5
    assert bytes(sa.chart.value).startswith(PNG)

    sa.sliders["planning_execution"].value = 5
    row = sa.assessment.set_index("skill_id").loc["planning_execution"]
    assert row["gap"] == 0 and row["priority"] == "none"
    assert "planning_execution" not in [p["skill_id"] for p in sa.plan]

    sa.plan_size.value = 3
    assert len(sa.plan) == 3
    assert sa.message.count("\n") == 3


def test_skills_assessment_target_and_set_ratings():
    every_four = dict.fromkeys(skill_ids(), 4)
    sa = skills_assessment(every_four, target="mid")
    assert sa.ratings == every_four
    assert sa.plan == []
    assert "No gaps" in sa.message
    sa.target.value = "senior"
    assert sa.plan and all(p["gap"] == 1 for p in sa.plan)
    sa.set_ratings({"mentoring": 9, "no_such_skill": 3})
    assert sa.sliders["mentoring"].value == 5  # clamped to the scale
    assert "Ignored unknown skill(s) 'no_such_skill'" in sa.message


def test_skills_assessment_rejects_unknown_target():
    with pytest.raises(ValueError, match="target: must be one of"):
        skills_assessment(target="guru")


# -- charts -----------------------------------------------------------------------------------
def _gids(fig) -> set[str]:
    return {a.get_gid() for ax in fig.axes for a in ax.get_children() if a.get_gid()}


def test_timeline_chart_with_and_without_a_learner():
    fig = career_timeline_chart()
    assert {"stage-bands", "timeline-window"} <= _gids(fig)
    assert "you" not in _gids(fig)
    report = career_report(CareerProfile(years_it=3, years_pm=1))
    fig = career_timeline_chart(report, years_it=3)
    assert {"you", "first-pm-role"} <= _gids(fig)


def test_skills_gap_chart_rows_and_bad_input():
    assessment = assess_skills({"communication": 3}, "entry")
    fig = skills_gap_chart(assessment, top=6)
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 6
    assert {"rating-bars", "gap-bars", "targets"} <= _gids(fig)
    with pytest.raises(ValueError, match="assess_skills"):
        skills_gap_chart(assessment[["name"]])


def test_planner_moves_the_learner_in_place():
    from widget_frames import fresh_frame, same_picture  # noqa: PLC0415

    planner = career_planner()
    figure, axes = planner._figure, list(planner._figure.axes)
    you = next(a for a in axes[0].get_lines() if a.get_gid() == "you")
    frames = {bytes(planner.chart.value)}
    for years in (2, 4, 6, 12, 3):
        planner.years_it.value = years
        frames.add(bytes(planner.chart.value))
        assert planner._figure is figure
        reference = fresh_frame(
            (9.5, 3.6),
            lambda ax, years=years: career_timeline_chart(planner.report, years_it=years, ax=ax),
            planner.dpi,
        )
        assert same_picture(planner.chart.value, reference)
        if years in (2, 4, 6):  # the years axis stays 0-10: the same axes and artists move
            assert planner._figure.axes == axes and you.get_xdata()[0] == years
        else:  # 12 widens the axis, 3 narrows it again: drawn anew
            assert planner._figure.axes != axes
    assert len(frames) == 6  # every change shows


def test_skills_chart_updates_in_place_and_matches_a_fresh_chart():
    from widget_frames import fresh_frame, same_picture  # noqa: PLC0415

    widget = skills_assessment()
    axes = widget._figure.axes[0]
    sliders = list(widget.sliders.values())
    frames = {bytes(widget.chart.value)}
    for k, rating in ((0, 3), (1, 4), (0, 1), (2, 5)):
        sliders[k].value = rating
        frames.add(bytes(widget.chart.value))
        assert widget._figure.axes == [axes]  # same rows: the bars move in place
        shown = int(widget.top.value)
        reference = fresh_frame(
            (8.5, max(2.6, 0.3 * shown + 1.6)),
            lambda ax, shown=shown: skills_gap_chart(
                widget.assessment,
                top=shown,
                ax=ax,
                title=f"Your skills against the {widget.target.label} target (largest gaps first)",
            ),
            widget.dpi,
        )
        assert same_picture(widget.chart.value, reference)
    assert len(frames) >= 4  # a rating past the target may leave the rows shown unchanged
    widget.top.value = 8  # fewer rows: a new, shorter chart
    assert len([p for p in widget._figure.axes[0].patches if p.get_gid() == "rating-bars"]) == 8
