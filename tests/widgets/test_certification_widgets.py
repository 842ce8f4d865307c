"""The certification chooser and roadmap chart: controls in, report and PNG out."""

from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from itpm_course.charts.certifications import certification_roadmap_chart  # noqa: E402
from itpm_course.widgets.certifications import certification_chooser  # noqa: E402

PNG = b"\x89PNG"


@pytest.fixture
def chooser():
    return certification_chooser(as_of=dt.date(2026, 11, 26))


def test_initial_state(chooser):
    assert isinstance(chooser, widgets.VBox)
    assert bytes(chooser.chart.value).startswith(PNG)
    assert "Eligible now:" in chooser.message
    assert chooser.error is None


def test_pmp_boundary_by_setting_controls(chooser):
    chooser.education.value = "bachelor"
    chooser.training_hours.value = 35
    chooser.experience_months.value = 35
    assert "pmp" not in chooser.eligible_ids
    assert any("you have 35" in m for m in chooser.missing["pmp"])
    chooser.experience_months.value = 36
    assert "pmp" in chooser.eligible_ids
    chooser.education.value = "associate"
    assert any("60 months" in m for m in chooser.missing["pmp"])


def test_capm_replaces_hours_and_held_certs_are_left_out(chooser):
    chooser.experience_months.value = 40
    chooser.training_hours.value = 0
    assert "pmp" in chooser.missing
    chooser.active_certs.value = ("capm",)
    assert "pmp" in chooser.eligible_ids
    assert "capm" not in chooser.eligible_ids and "capm" not in chooser.missing


def test_goal_changes_path(chooser):
    chooser.experience_months.value = 12
    chooser.goal.value = "traditional"
    assert "capm" in chooser.path_ids
    chooser.goal.value = "agile"
    assert set(chooser.path_ids) & {"psm-i", "csm", "pmi-acp"}
    assert "Suggested path" in chooser.message
    assert chooser.results.value.count("<li>") >= len(chooser.path_ids)


def test_chart_accepts_steps_and_dicts():
    fig = certification_roadmap_chart(
        [{"id": "capm", "when_months": 0}, {"id": "pmp", "when_months": 18}]
    )
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["CAPM", "PMP"]
    assert sum(1 for p in ax.patches if p.get_gid() == "prep-bars") == 2
    empty = certification_roadmap_chart([])
    assert "No certification" in empty.axes[0].texts[0].get_text()
    with pytest.raises(ValueError, match="when_months"):
        certification_roadmap_chart([{"id": "pmp"}])


def test_roadmap_moves_in_place_and_matches_a_fresh_chart(chooser):
    from widget_frames import fresh_frame, same_picture  # noqa: PLC0415

    from itpm_course.charts.certifications import certification_roadmap_chart  # noqa: PLC0415

    frames = {bytes(chooser.chart.value)}
    for months in (30, 36, 48, 0, 120):
        before = list(chooser._figure.axes)
        ids_before = chooser.path_ids
        chooser.experience_months.value = months
        frames.add(bytes(chooser.chart.value))
        if chooser.path_ids == ids_before:  # the same certifications: moved in place
            assert chooser._figure.axes == before
        size = (9.0, max(2.2, 0.6 * len(chooser.path) + 1.4))
        reference = fresh_frame(
            size, lambda ax: certification_roadmap_chart(chooser.path, ax=ax), chooser.dpi
        )
        assert same_picture(chooser.chart.value, reference)
    assert len(frames) >= 4
    value = chooser.chart.value
    chooser.goal.value = chooser.goal.value  # no change: nothing drawn
    assert chooser.chart.value is value
