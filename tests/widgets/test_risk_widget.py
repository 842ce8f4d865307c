"""The risk register editor and heat map explorer: controls in, scores and messages out."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from itpm_course.data import sample_register  # noqa: E402
from itpm_course.engine.risk import PIMatrix, contingency_reserve, score_register  # noqa: E402
from itpm_course.widgets.risk import (  # noqa: E402
    HeatmapExplorer,
    RiskRegisterEditor,
    heatmap_explorer,
    register_summary,
    risk_register_editor,
)

PNG = b"\x89PNG"
START = (
    "10 active risks (1 high, 6 medium, 3 low; PMBOK 5x5). EMV: threats -19,900 (-11.5 days), "
    "opportunities +3,400 (+2.7 days). Contingency reserve 19,900 and 11.5 working days; "
    "after responses 5,825 and 6.3 days."
)


@pytest.fixture(scope="module")
def register():
    return sample_register("server_migration")


@pytest.fixture
def editor(register) -> RiskRegisterEditor:
    return risk_register_editor(register)


def _tree(widget):
    seen, todo = set(), [widget]
    while todo:
        w = todo.pop()
        seen.add(id(w))
        todo.extend(getattr(w, "children", ()))
    return seen


def test_initial_state(editor, register):
    assert isinstance(editor, widgets.VBox)
    assert editor.message == START
    assert editor.error is None
    assert editor.risk.value == "R01"
    assert editor.probability.value == 0.2 and editor.impact.value == 5
    assert editor.cost.value == 25_000 and editor.days.value == 5
    assert editor.strategy.value == "mitigate" and editor.owner.value == "Lena Fischer"
    assert editor.residual_probability.value == "0.05" and editor.residual_impact.value == 4
    assert editor.contingency == {
        "cost": 19_900,
        "days": 11.5,
        "residual_cost": 5_825,
        "residual_days": pytest.approx(6.325),
    }
    assert editor.totals["opportunities_cost"] == 3_400
    assert editor.top.index.tolist() == ["R01", "R05", "R10", "R02", "R06"]
    assert "Data loss or corruption during migration" in editor.table.value
    assert bytes(editor.heatmap.value).startswith(PNG)
    assert bytes(editor.waterfall.value).startswith(PNG)
    shown = _tree(editor)
    for control in (
        editor.risk, editor.probability, editor.impact, editor.days, editor.cost,
        editor.strategy, editor.owner, editor.residual_probability, editor.residual_impact,
        editor.medium, editor.high, editor.residual_view, editor.reset,
        editor.summary, editor.table, editor.heatmap, editor.waterfall,
    ):  # fmt: skip
        assert id(control) in shown


def test_selecting_a_risk_shows_its_values_and_changes_nothing(editor):
    before = editor.register
    editor.risk.value = "R02"
    assert editor.probability.value == 0.4
    assert editor.impact.value == 3
    assert editor.strategy.value == "transfer"
    assert editor.residual_probability.value == ""
    assert editor.residual_impact.value == 2
    assert editor.register is before
    assert editor.message == START


def test_probability_edit_rescores_and_updates_totals(editor):
    heat = editor.heatmap.value
    editor.risk.value = "R02"
    editor.probability.value = 0.7  # 0.7 x 0.20 (moderate) = 0.14: still medium
    risk = editor.register.get("R02")
    assert risk.probability == 0.7
    assert editor.scored.loc["R02", "score"] == 0.14
    assert editor.scored.loc["R02", "emv_cost"] == pytest.approx(-4_200)
    assert editor.contingency["cost"] == pytest.approx(21_700)
    assert "threats -21,700 (-14.5 days)" in editor.message
    assert editor.heatmap.value != heat  # R02 moved a row up


def test_impact_and_money_edits(editor):
    editor.risk.value = "R03"
    editor.impact.value = 5  # 0.1 x 0.80 = 0.08: medium
    assert editor.scored.loc["R03", "zone"] == "medium"
    editor.cost.value = 50_000
    assert editor.scored.loc["R03", "emv_cost"] == pytest.approx(-5_000)
    editor.days.value = 20
    assert editor.scored.loc["R03", "emv_days"] == pytest.approx(-2.0)
    assert editor.contingency == pytest.approx(
        {
            "cost": 19_900 + 3_800,
            "days": 11.5 + 1.2,
            "residual_cost": contingency_reserve(editor.scored, residual=True),
            "residual_days": contingency_reserve(editor.scored, basis="days", residual=True),
        }
    )


def test_strategy_owner_and_residual_edits(editor):
    editor.risk.value = "R08"
    editor.strategy.value = "mitigate"
    editor.owner.value = "  Kim Lee "
    risk = editor.register.get("R08")
    assert (risk.strategy, risk.owner) == ("mitigate", "Kim Lee")
    editor.residual_probability.value = "10%"
    editor.residual_impact.value = 1
    risk = editor.register.get("R08")
    assert risk.residual_probability == pytest.approx(0.1)
    assert risk.residual_impact_rating == 1
    # residual EMV: 0.1 x 2,400 x (0.05 / 0.10)
    assert editor.scored.loc["R08", "residual_emv_cost"] == pytest.approx(-120)
    editor.residual_impact.value = "same"
    editor.residual_probability.value = ""
    assert editor.register.get("R08").residual_probability is None
    assert editor.register.get("R08").residual_impact_rating is None
    editor.owner.value = ""
    assert editor.register.get("R08").owner is None


def test_strategy_not_valid_for_the_kind_is_refused_with_the_mirror(editor):
    editor.risk.value = "R02"
    good = editor.register
    editor.strategy.value = "exploit"
    assert editor.register is good
    assert editor.register.get("R02").strategy == "transfer"
    assert editor.error is not None
    assert editor.message.startswith("R02 not changed: 'exploit' is a strategy for opportunities")
    assert "its mirror for a threat is 'avoid'" in editor.message
    assert editor.message.endswith("Still showing the last valid register.")
    assert "⚠" in editor.summary.value
    # the next good edit clears the message
    editor.strategy.value = "mitigate"
    assert editor.error is None and editor.message.startswith("10 active risks")


def test_opportunity_refuses_a_threat_strategy(editor):
    editor.risk.value = "R10"
    editor.strategy.value = "mitigate"
    assert "its mirror for an opportunity is 'enhance'" in editor.message
    assert editor.register.get("R10").strategy == "exploit"


@pytest.mark.parametrize(
    ("control", "value", "fragment"),
    [
        ("cost", -5.0, "impact cost must be a number >= 0 (money), got -5"),
        ("days", -1.0, "impact days must be a number >= 0 (working days), got -1"),
        ("residual_probability", "abc", "residual probability 'abc' is not a number"),
        ("residual_probability", "150%", "residual probability must be between 0 and 1"),
    ],
)
def test_bad_values_are_refused_without_raising(editor, control, value, fragment):
    good = editor.register
    getattr(editor, control).value = value
    assert editor.register is good
    assert fragment in editor.message
    assert editor.contingency["cost"] == 19_900


def test_edit_method_and_probability_overrides_a_rating(register):
    rated = register.get("R01")
    from dataclasses import replace

    from itpm_course.plan.risks import RiskRegister

    reg = RiskRegister([replace(rated, probability_rating=5), *register[1:]])
    editor = RiskRegisterEditor(reg)
    assert editor.scored.loc["R01", "probability_level"] == 5
    assert editor.edit(probability=0.1) is True
    assert editor.scored.loc["R01", "probability_level"] == 1
    assert editor.edit(kind="unknown") is False
    assert "kind 'unknown' is not one of threat, opportunity" in editor.message


def test_threshold_sliders_move_zones_and_refuse_a_crossing(editor):
    editor.high.value = 0.10
    assert editor.matrix.high == 0.10
    assert editor.message.startswith("10 active risks (5 high, 2 medium, 3 low")
    editor.medium.value = 0.2  # above high: refused
    assert "thresholds out of order" in editor.message
    assert editor.matrix.medium == 0.05
    editor.medium.value = 0.05
    assert editor.error is None


def test_residual_view_redraws_the_heat_map(editor):
    before = editor.heatmap.value
    editor.residual_view.value = True
    assert editor.heatmap.value != before


def test_reset_restores_register_matrix_and_controls(editor, register):
    editor.risk.value = "R02"
    editor.probability.value = 0.9
    editor.high.value = 0.1
    editor.reset.click()
    assert editor.register is register
    assert editor.matrix == PIMatrix.pmbok()
    assert editor.probability.value == 0.4 and editor.high.value == 0.18
    assert editor.message == START


def test_ordinal_matrix_and_top_n(register):
    editor = risk_register_editor(register, PIMatrix.ordinal(), top_n=3)
    assert len(editor.top) == 3
    assert editor.high.max == 25 and editor.high.value == 15
    assert "ordinal 5x5" in editor.message


def test_not_a_register_is_a_clear_type_error():
    with pytest.raises(TypeError, match="needs a RiskRegister"):
        risk_register_editor([])


def test_register_summary_matches_the_engine(register):
    assert register_summary(score_register(register)) == START


# --------------------------------------------------------------------------- heat map explorer
def test_heatmap_explorer_switches_matrix_and_thresholds(register):
    explorer = heatmap_explorer(register)
    assert isinstance(explorer, HeatmapExplorer)
    assert explorer.zone_counts == {"high": 1, "medium": 6, "low": 3}
    assert bytes(explorer.heatmap.value).startswith(PNG)
    explorer.matrix_kind.value = "ordinal"
    assert explorer.matrix.name == "ordinal 5x5"
    assert (explorer.medium.value, explorer.high.value, explorer.high.max) == (5, 15, 25)
    assert explorer.zone_counts == {"high": 0, "medium": 7, "low": 3}
    explorer.high.value = 8
    assert explorer.zone_counts == {"high": 5, "medium": 2, "low": 3}
    assert explorer.message.endswith("active risks: 5 high, 2 medium, 3 low")
    explorer.medium.value = 10  # above high: refused, last zones kept
    assert "thresholds out of order" in explorer.message
    assert explorer.matrix.medium == 5
    explorer.matrix_kind.value = "pmbok"
    assert explorer.error is None
    assert (explorer.medium.value, explorer.high.value) == (0.05, 0.18)
    explorer.residual_view.value = True
    assert sum(explorer.zone_counts.values()) == 10


# ------------------------------------------------------------------------ in-place updates
def _same_as_fresh(frame, size, draw, dpi):
    from widget_frames import fresh_frame, same_picture  # noqa: PLC0415

    return same_picture(frame, fresh_frame(size, draw, dpi))


def test_editor_charts_update_in_place_like_fresh_charts(register):
    from itpm_course.charts.risk import emv_waterfall, risk_heatmap  # noqa: PLC0415

    editor = risk_register_editor(register)
    heat_axes, emv_axes = list(editor._heat.figure.axes), list(editor._emv.figure.axes)
    heat_frames, emv_frames = {bytes(editor.heatmap.value)}, {bytes(editor.waterfall.value)}
    kept = None
    steps = [
        (editor.probability, 0.3),
        (editor.probability, 0.5),  # the second update: the same artists move
        (editor.probability, 0.9),
        (editor.risk, "R02"),
        (editor.probability, 0.1),  # R02 joins another cell: fewer occupied cells
        (editor.impact, 5),
        (editor.cost, 90_000),  # R02 becomes the largest threat: the bars change order
        (editor.high, 0.1),  # zones change colour
        (editor.residual_view, True),
        (editor.medium, 0.04),
    ]
    for k, (control, value) in enumerate(steps):
        control.value = value
        assert editor.error is None, editor.message
        heat_frames.add(bytes(editor.heatmap.value))
        emv_frames.add(bytes(editor.waterfall.value))
        assert editor._heat.figure.axes == heat_axes and editor._emv.figure.axes == emv_axes
        residual = editor.residual_view.value
        if k == 0:
            kept = [*heat_axes[0].texts, *emv_axes[0].patches]
        elif k == 1:
            assert [*heat_axes[0].texts, *emv_axes[0].patches] == kept  # moved, not redrawn
        assert _same_as_fresh(
            editor.heatmap.value,
            (8.0, 5.2),
            lambda ax, residual=residual: risk_heatmap(
                editor.scored, matrix=editor.matrix, residual=residual, ax=ax
            ),
            editor.dpi,
        ), (k, control.description)
        assert _same_as_fresh(
            editor.waterfall.value,
            (8.0, 3.6),
            lambda ax, residual=residual: emv_waterfall(editor.scored, residual=residual, ax=ax),
            editor.dpi,
        ), (k, control.description)
    assert len(heat_frames) >= 8 and len(emv_frames) >= 8  # the pictures follow the controls
    assert editor._heat.backgrounds < editor._heat.frames  # only the ids were drawn again


def test_heatmap_explorer_updates_in_place_like_a_fresh_chart(register):
    from itpm_course.charts.risk import risk_heatmap  # noqa: PLC0415

    explorer = heatmap_explorer(register)
    axes = list(explorer._renderer.figure.axes)
    cells = next(c for c in axes[0].collections if c.get_gid() == "cells")
    frames = {bytes(explorer.heatmap.value)}
    for k, (control, value) in enumerate(
        [
            (explorer.medium, 0.04),
            (explorer.high, 0.1),
            (explorer.residual_view, True),
            (explorer.matrix_kind, "ordinal"),  # another grid: drawn anew
            (explorer.high, 8),
        ]
    ):
        control.value = value
        frames.add(bytes(explorer.heatmap.value))
        if k < 3:  # the same cells change colour
            assert explorer._renderer.figure.axes == axes and cells in axes[0].collections
        assert _same_as_fresh(
            explorer.heatmap.value,
            (8.0, 5.2),
            lambda ax: risk_heatmap(
                explorer.scored,
                matrix=explorer.matrix,
                residual=explorer.residual_view.value,
                ax=ax,
            ),
            explorer.dpi,
        ), (k, control.description)
    assert len(frames) == 6
