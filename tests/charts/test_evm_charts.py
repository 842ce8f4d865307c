"""S-curve and index-trend charts of an EVM series."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from itpm_course.charts.evm import evm_dashboard_figure, index_trend, s_curve  # noqa: E402
from itpm_course.engine.evm import evm_series  # noqa: E402

LINEAR = [10_000 * t for t in range(11)]


def _series(**kw):
    return evm_series(
        100_000,
        [10_000, 20_000, 30_000, 40_000],
        [8_000, 16_000, 25_000, 30_000],
        [9_000, 18_000, 29_000, 35_000],
        **kw,
    )


def _gids(ax):
    return {a.get_gid() for a in ax.get_children() if a.get_gid()}


def test_s_curve_with_baseline_and_projection():
    s = _series(baseline=LINEAR)
    fig = s_curve(s)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert {"pv-baseline", "ev", "ac", "bac", "status-date", "eac-projection"} <= _gids(ax)
    line = next(a for a in ax.lines if a.get_gid() == "eac-projection")
    x, y = line.get_data()
    assert x[0] == 4 and y[0] == 35_000
    assert x[1] == s.latest.ieac_t and y[1] == s.latest.eac
    ev = next(a for a in ax.lines if a.get_gid() == "ev")
    np.testing.assert_allclose(ev.get_ydata(), [0, 8_000, 16_000, 25_000, 30_000])


def test_s_curve_without_baseline_uses_pv_to_date():
    fig = s_curve(_series(pd=10))
    gids = _gids(fig.axes[0])
    assert "pv" in gids and "pv-baseline" not in gids and "eac-projection" in gids


def test_index_trend_and_bands():
    s = _series(baseline=LINEAR)
    fig = index_trend(s)
    gids = _gids(fig.axes[0])
    assert {"cpi", "spi", "spi_t", "target", "band-green", "band-amber", "band-red"} <= gids
    cpi = next(a for a in fig.axes[0].lines if a.get_gid() == "cpi")
    np.testing.assert_allclose(cpi.get_ydata(), s.cpi)
    assert "spi_t" not in _gids(index_trend(_series()).axes[0])


def test_dashboard_figure_and_png(tmp_path):
    fig = evm_dashboard_figure(_series(baseline=LINEAR))
    assert len(fig.axes) == 2
    fig.savefig(tmp_path / "d.png", dpi=50)
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"


def test_into_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert s_curve(_series(), ax=ax) is fig


def test_updates_move_the_drawn_lines_or_ask_for_a_new_chart():
    from itpm_course.charts.evm import update_index_trend, update_s_curve  # noqa: PLC0415

    fig = evm_dashboard_figure(_series(baseline=LINEAR))
    left, right = fig.axes
    lines = list(left.lines) + list(right.lines)
    later = evm_series(
        100_000, [10_000, 20_000], [12_000, 22_000], [10_000, 20_000], baseline=LINEAR
    )
    assert update_s_curve(left, later) is not None
    assert update_index_trend(right, later) is not None
    assert list(left.lines) + list(right.lines) == lines  # the same artists, moved
    ev = next(a for a in left.lines if a.get_gid() == "ev")
    np.testing.assert_allclose(ev.get_ydata(), [0, 12_000, 22_000])
    assert left.get_title() == s_curve(later).axes[0].get_title()
    assert left.get_xlim() == s_curve(later).axes[0].get_xlim()
    assert right.get_ylim() == index_trend(later).axes[0].get_ylim()
    # no baseline: no SPI(t) and no baseline line; the charts must be drawn anew
    assert update_s_curve(left, _series(pd=10)) is None
    assert update_index_trend(right, _series()) is None
