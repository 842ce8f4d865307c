"""Risk heat map and EMV waterfall: cells, zone colours, ids in the right cells, bar heights."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from paths import ROOT

from itpm_course.charts.risk import ZONE_COLOURS, emv_waterfall, risk_heatmap
from itpm_course.engine.risk import PIMatrix, score_register, total_emv
from itpm_course.plan.risks import Risk, RiskRegister, load_register

SAMPLE = ROOT / "itpm_course" / "data" / "risks_server_migration.csv"


@pytest.fixture
def scored():
    return score_register(load_register(SAMPLE))


def by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_heatmap_cells_are_coloured_by_zone(scored):
    fig = risk_heatmap(scored)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    (cells,) = by_gid(ax, "cells")
    colours = cells.get_facecolors()
    zones = PIMatrix().zones.ravel()  # row-major: probability level, then impact level
    assert len(colours) == 25
    for colour, zone in zip(colours, zones, strict=True):
        assert tuple(colour) == pytest.approx(to_rgba(ZONE_COLOURS[zone]))
    scores = [t.get_text() for t in by_gid(ax, "cell-scores")]
    assert len(scores) == 25 and "0.05" in scores and "0.72" in scores


def test_heatmap_places_each_active_risk_id_in_its_cell(scored):
    ax = risk_heatmap(scored).axes[0]
    placed = {}
    for text in by_gid(ax, "risk-ids"):
        x, y = text.get_position()
        for rid in text.get_text().replace("\n", " ").split():
            placed[rid.rstrip("*")] = (round(x), round(y))
    active = scored[scored["active"]]
    assert set(placed) == set(active.index)
    for rid, (x, y) in placed.items():
        assert x == active.loc[rid, "impact_level"] - 1
        assert y == active.loc[rid, "probability_level"] - 1
    assert "R11" not in placed  # closed
    everything = risk_heatmap(scored, active_only=False).axes[0]
    assert any("R11" in t.get_text() for t in by_gid(everything, "risk-ids"))


def test_heatmap_residual_moves_mitigated_risks(scored):
    ax = risk_heatmap(scored, residual=True).axes[0]
    where = {
        rid.rstrip("*"): tuple(round(v) for v in t.get_position())
        for t in by_gid(ax, "risk-ids")
        for rid in t.get_text().split()
    }
    r01 = scored.loc["R01"]
    assert where["R01"] == (
        r01["residual_impact_level"] - 1,
        r01["residual_probability_level"] - 1,
    )
    assert where["R01"] != (r01["impact_level"] - 1, r01["probability_level"] - 1)


def test_heatmap_marks_opportunities_and_lists_unrated():
    scored = score_register(
        RiskRegister(
            [
                Risk("T1", "t", 0.5, impact_rating=3),
                Risk("O1", "o", 0.5, impact_rating=3, kind="opportunity"),
                Risk("O2", "o", 0.9, impact_rating=5, kind="opportunity"),
                Risk("U1", "u", 0.5, impact_cost=10.0),
            ]
        )
    )
    ax = risk_heatmap(scored).axes[0]
    texts = {t.get_text(): t for t in by_gid(ax, "risk-ids")}
    assert "T1 O1*" in texts and texts["T1 O1*"].get_color() == "black"
    assert to_rgba(texts["O2"].get_color()) != to_rgba("black")
    (unrated,) = by_gid(ax, "unrated")
    assert "U1" in unrated.get_text()


def test_heatmap_ordinal_matrix_and_own_axes(scored):
    fig = Figure()
    ax = fig.add_subplot()
    out = risk_heatmap(scored, matrix=PIMatrix.ordinal(), ax=ax, title="ordinal")
    assert out is fig and ax.get_title(loc="left") == "ordinal"
    assert "25" in [t.get_text() for t in by_gid(ax, "cell-scores")]


@pytest.mark.parametrize("basis", ["cost", "days"])
def test_waterfall_steps_sum_to_the_net_emv(scored, basis):
    ax = emv_waterfall(scored, basis=basis).axes[0]
    threat = by_gid(ax, "threat-bars")
    opp = by_gid(ax, "opportunity-bars")
    (total,) = by_gid(ax, "total-bar")
    net = total_emv(scored)[basis]
    assert total.get_height() == pytest.approx(net)
    steps = [p.get_height() for p in threat + opp]
    assert sum(steps) == pytest.approx(net)
    assert all(h < 0 for h in (p.get_height() for p in threat))
    assert all(h > 0 for h in (p.get_height() for p in opp))
    # each step starts where the previous one ended
    bars = sorted(threat + opp, key=lambda p: p.get_x())
    ends = np.cumsum([p.get_height() for p in bars])
    starts = [p.get_y() for p in bars]
    assert starts == pytest.approx(np.r_[0, ends[:-1]])
    # threats first, largest first
    heights = [p.get_height() for p in bars]
    n_threats = len(threat)
    assert heights[:n_threats] == sorted(heights[:n_threats])


def test_waterfall_residual_and_bad_basis(scored):
    ax = emv_waterfall(scored, residual=True).axes[0]
    (total,) = by_gid(ax, "total-bar")
    assert total.get_height() == pytest.approx(total_emv(scored, residual=True)["cost"])
    with pytest.raises(ValueError, match="basis"):
        emv_waterfall(scored, basis="weeks")


def test_charts_do_not_touch_pyplot_state(scored):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    risk_heatmap(scored)
    emv_waterfall(scored)
    assert plt.get_fignums() == before


def test_updates_move_the_drawn_heatmap_and_waterfall_in_place():
    import dataclasses  # noqa: PLC0415

    from itpm_course.charts.risk import (  # noqa: PLC0415
        update_emv_waterfall,
        update_risk_heatmap,
    )

    register = load_register(SAMPLE)
    heat = risk_heatmap(score_register(register)).axes[0]
    emv = emv_waterfall(score_register(register)).axes[0]
    bars = list(emv.patches)
    first = register[0]
    edited = RiskRegister(
        [dataclasses.replace(first, probability=0.9, probability_rating=None), *register[1:]]
    )
    matrix = dataclasses.replace(PIMatrix(), high=0.1)
    later = score_register(edited, matrix)
    assert update_risk_heatmap(heat, later) is not None
    assert update_emv_waterfall(emv, later) is not None
    assert list(emv.patches) == bars  # the same bars, moved
    fresh_heat, fresh_emv = risk_heatmap(later).axes[0], emv_waterfall(later).axes[0]
    ids = sorted((t.get_position(), t.get_text()) for t in by_gid(heat, "risk-ids"))
    assert ids == sorted((t.get_position(), t.get_text()) for t in by_gid(fresh_heat, "risk-ids"))
    (cells,) = by_gid(heat, "cells")
    (fresh_cells,) = by_gid(fresh_heat, "cells")
    assert np.array_equal(cells.get_facecolors(), fresh_cells.get_facecolors())
    assert [(p.get_y(), p.get_height()) for p in emv.patches] == [
        (p.get_y(), p.get_height()) for p in fresh_emv.patches
    ]
    assert emv.get_ylim() == fresh_emv.get_ylim() and emv.get_title() == fresh_emv.get_title()
    # another matrix or another basis: drawn anew
    assert update_risk_heatmap(heat, score_register(register, PIMatrix.ordinal())) is None
    assert update_emv_waterfall(emv, later, basis="days") is None
