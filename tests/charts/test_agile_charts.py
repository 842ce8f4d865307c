"""Agile charts: each returns a Figure with the expected artists and values."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from itpm_course.charts import agile as ch  # noqa: E402
from itpm_course.engine import agile as ag  # noqa: E402


def by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


@pytest.fixture(scope="module")
def sprints():
    return ag.read_sprints()


@pytest.fixture(scope="module")
def issues():
    return ag.read_issues()


def test_velocity_chart(sprints):
    v = ag.velocity(sprints, last=4)
    fig = ch.velocity_chart(sprints, velocity=v)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_gid() == "completed"]
    assert [b.get_height() for b in bars] == sprints["completed"].tolist()
    (mean,) = by_gid(ax, "mean")
    assert mean.get_segments()[0][0][1] == pytest.approx(v.mean)
    assert "mean of last 4: 27.5" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_burndown_chart(issues):
    bd = ag.sprint_burndown(issues, "CRM Sprint 4", "2025-02-17", "2025-02-28")
    ax = ch.burndown_chart(bd).axes[0]
    (ideal,) = by_gid(ax, "ideal")
    (remaining,) = by_gid(ax, "remaining")
    assert ideal.get_ydata()[0] == bd.attrs["committed"] and ideal.get_ydata()[-1] == 0
    assert np.array_equal(remaining.get_ydata(), bd["remaining"].to_numpy())
    assert "CRM Sprint 4" in ax.get_title()


def test_burnup_chart_has_scope_line_and_projections(sprints):
    b = ag.release_burnup(sprints)
    ax = ch.burnup_chart(b, velocity=ag.velocity(sprints, last=6)).axes[0]
    (scope,) = by_gid(ax, "scope")
    assert scope.get_ydata()[-1] == 324
    (done,) = by_gid(ax, "done")
    assert done.get_ydata()[-1] == 256
    assert {a.get_gid() for a in ax.lines} >= {
        "projection-slowest",
        "projection-mean",
        "projection-fastest",
    }


def test_cfd_bands(issues, write):
    ax = ch.cfd_chart(ag.cumulative_flow(issues)).axes[0]
    assert {a.get_gid() for a in ax.collections} == {"band-done", "band-open"}
    text = "key,created,started,resolved\nA,2025-01-01,2025-01-02,2025-01-03\nB,2025-01-01,2025-01-02,\n"
    flow = ag.cumulative_flow(ag.read_issues(write("f.csv", text)))
    ax = ch.cfd_chart(flow).axes[0]
    assert {a.get_gid() for a in ax.collections} == {"band-done", "band-in-progress", "band-to-do"}


def test_throughput_histogram_includes_zero():
    ax = ch.throughput_histogram([0, 0, 2, 3, 3]).axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [2, 0, 1, 2]


def test_forecast_chart_marks_percentiles():
    f = ag.forecast_when([1, 3, 5, 3, 7, 8, 0, 5, 3, 1, 8, 2], 100, seed=0)
    ax = ch.forecast_chart(f, confidence=70).axes[0]
    for p in (50, 70, 85, 95):
        (line,) = by_gid(ax, f"P{p}")
        assert line.get_xdata()[0] == f.percentile(p)
    heights = np.array([p.get_height() for p in ax.patches])
    assert heights.sum() == pytest.approx(1.0)
    h = ag.forecast_how_many([1, 2, 3, 4], 5, seed=0)
    ax = ch.forecast_chart(h).axes[0]
    (p85,) = by_gid(ax, "P85")
    assert p85.get_xdata()[0] == h.at_least(85)


def test_draws_into_given_axes(sprints):
    fig = Figure()
    ax = fig.add_subplot()
    assert ch.velocity_chart(sprints, ax=ax) is fig


def test_forecast_chart_update_moves_bars_and_lines_in_place():
    history = [1, 3, 5, 3, 7, 8, 0, 5, 3, 1, 8, 2]
    fig = ch.forecast_chart(ag.forecast_when(history, 100, seed=0))
    ax = fig.axes[0]
    lines = list(ax.lines)
    later = ag.forecast_when(history, 60, seed=0)
    moving = ch.update_forecast_chart(ax, later)
    assert moving is not None and list(ax.lines) == lines
    fresh = ch.forecast_chart(later).axes[0]
    assert ax.get_xlim() == fresh.get_xlim() and ax.get_ylim() == fresh.get_ylim()
    assert [t.get_text() for t in ax.get_legend().texts] == [
        t.get_text() for t in fresh.get_legend().texts
    ]
    assert ax.get_xlabel() == fresh.get_xlabel() == "weeks to finish 60 items"
    heights = [p.get_height() for p in ax.patches if p.get_gid() == "bars"]
    assert heights == [p.get_height() for p in fresh.patches if p.get_gid() == "bars"]
    # another percentile line, or the other kind of forecast: drawn anew
    assert ch.update_forecast_chart(ax, later, confidence=70) is None
    assert ch.update_forecast_chart(ax, ag.forecast_how_many(history, 5, seed=0)) is None
