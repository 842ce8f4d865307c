"""People widgets driven by their controls, as a learner would."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from itpm_course.plan.stakeholders import sample_raci, sample_stakeholders  # noqa: E402
from itpm_course.widgets.stakeholders import (  # noqa: E402
    conversation_explorer,
    raci_editor,
    stakeholder_grid,
    team_stages,
)

PNG = b"\x89PNG"


def test_grid_moves_a_stakeholder_between_quadrants():
    grid = stakeholder_grid(sample_stakeholders())
    assert grid.quadrant == "manage closely" and bytes(grid.chart.value).startswith(PNG)
    grid.stakeholder.value = "CFO"
    assert (grid.power.value, grid.interest.value) == (5, 2)
    assert grid.quadrant == "keep satisfied" and "overloading" in grid.strategy
    grid.interest.value = 4
    assert grid.quadrant == "manage closely" and grid.register.get("CFO").interest == 4
    grid.stakeholder.value = "Vendor"
    assert grid.quadrant == "monitor"
    grid.high_from.value = 3
    assert grid.quadrant == "manage closely" and "Hardware vendor" in grid.message
    grid.restore()
    assert grid.register.get("CFO").interest == 2
    with pytest.raises(ValueError):
        stakeholder_grid(sample_stakeholders()[:0])


def test_raci_editor_updates_checks_live():
    editor = raci_editor(sample_raci(), sample_stakeholders())
    assert editor.findings == [] and editor.message == "The RACI passes every check."
    editor.deliverable.value = "UAT"
    editor.role.value = "QA"
    assert editor.letters.value == "R"  # the control shows the selected cell
    editor.letters.value = "A"
    assert [f.code for f in editor.findings] == ["RACI-MANY-A"]
    assert "RACI-MANY-A" in editor.summary.value
    editor.set_cell("DAT", "DBA", "A")
    assert {f.code for f in editor.findings} == {"RACI-MANY-A", "RACI-NO-R"}
    editor.max_share.value = 0.4
    assert "RACI-OVERLOAD" in {f.code for f in editor.findings}
    editor.restore()
    editor.max_share.value = 0.5
    assert editor.findings == [] and editor.letters.value == editor.raci.cell(
        editor.deliverable.value, editor.role.value
    )


def test_conversation_explorer_gives_consequence_and_verdict():
    explorer = conversation_explorer()
    assert explorer.outcome is None
    explorer.scenario.value = "naming-convention"
    explorer.mode.value = "avoiding"
    assert explorer.outcome["best"] is True and "cool" not in explorer.outcome["mode"]
    explorer.mode.value = "collaborating"
    assert explorer.outcome["best"] is False and "experienced PM" in explorer.text.value
    explorer.scenario.value = "early-cutover"
    assert explorer.outcome is None and explorer.mode.value is None
    explorer.mode.value = "collaborating"
    assert explorer.outcome["best"] is True and "critical path" in explorer.outcome["consequence"]


def test_team_stages_walks_forward_and_back():
    stages = team_stages()
    assert stages.current["id"] == "forming" and stages.back.disabled
    stages.next.click()
    assert stages.current["id"] == "storming" and "Coach" in stages.text.value
    stages.step(10)
    assert stages.current["id"] == "adjourning" and stages.next.disabled
    stages.back.click()
    assert stages.current["id"] == "performing"
    stages.stage.value = "norming"
    assert "Norming" in stages.text.value


def test_grid_and_raci_redraw_in_place_like_a_fresh_chart():
    from widget_frames import fresh_frame, same_picture  # noqa: PLC0415

    from itpm_course.charts.stakeholders import power_interest_chart, raci_chart  # noqa: PLC0415

    grid = stakeholder_grid(sample_stakeholders())
    axes = list(grid._figure.axes)
    frames = {bytes(grid.chart.value)}
    for control, value in ((grid.interest, 1), (grid.high_from, 3), (grid.stakeholder, "CFO")):
        control.value = value
        frames.add(bytes(grid.chart.value))
        assert grid._figure.axes == axes
        reference = fresh_frame(
            (8, 6.2),
            lambda ax: power_interest_chart(
                grid.register, high_from=grid.high_from.value, highlight=grid.current.id, ax=ax
            ),
            grid.dpi,
        )
        assert same_picture(grid.chart.value, reference)
    assert len(frames) == 4
    assert grid._renderer.backgrounds < grid._renderer.frames  # only the markers redrawn

    editor = raci_editor(sample_raci(), sample_stakeholders())
    axes = list(editor._figure.axes)
    size = tuple(editor._figure.get_size_inches())
    frames = {bytes(editor.chart.value)}
    for letters in ("A", "", "C"):
        editor.letters.value = letters
        frames.add(bytes(editor.chart.value))
        assert editor._figure.axes == axes
        reference = fresh_frame(
            size, lambda ax: raci_chart(editor.raci, editor.findings, ax=ax), editor.dpi
        )
        assert same_picture(editor.chart.value, reference)
    assert len(frames) == 4
