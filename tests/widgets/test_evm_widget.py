"""The EVM dashboard: status data in, indices, RAG and chart out, no browser needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from itpm_course.data import sample_plan  # noqa: E402
from itpm_course.exercises.evm import migration_status  # noqa: E402
from itpm_course.widgets.evm import EVMDashboard, evm_dashboard  # noqa: E402

LINEAR = [10_000 * t for t in range(11)]
PNG = b"\x89PNG"


@pytest.fixture
def dash() -> EVMDashboard:
    return evm_dashboard(
        bac=100_000, baseline=LINEAR, ev=[8_000, 16_000, 30_000], ac=[9_000, 18_000, 33_000]
    )


def test_initial_state(dash):
    assert isinstance(dash, widgets.VBox)
    assert dash.period.value == 3 and dash.ev.value == 30_000 and dash.ac.value == 33_000
    assert dash.metrics.spi == pytest.approx(1.0) and dash.metrics.cpi == pytest.approx(30 / 33)
    assert dash.rag == "amber"
    assert dash.message.startswith("Over budget and on schedule")
    assert dash.chart.value[:4] == PNG
    assert "RAG AMBER" in dash.indices.value


def test_moving_sliders_moves_indices_and_rag(dash):
    dash.ev.value = 24_000
    assert dash.metrics.spi == pytest.approx(0.8) and dash.rag == "red"
    assert dash.metrics.es == pytest.approx(2.4)
    dash.ac.value = 20_000
    assert dash.metrics.cpi == pytest.approx(1.2)
    assert dash.ev_values[-1] == 24_000


def test_period_selects_status_date(dash):
    dash.period.value = 1
    assert len(dash.result) == 1 and dash.ev.value == 8_000
    dash.ev.value = 10_000
    assert dash.metrics.spi == pytest.approx(1.0) and dash.ev_values[0] == 10_000


def test_thresholds_are_configurable(dash):
    dash.amber.value = 0.8
    dash.green.value = 0.9
    assert dash.rag == "green" and dash.thresholds.green == 0.9
    dash.green.value = 0.7  # below amber: refused, never raises
    assert "Thresholds not applied" in dash.message and dash.thresholds.green == 0.9


def test_bad_input_is_refused_not_raised(dash):
    dash.ac.value = 0
    assert "ac is 0 in period 3" in dash.message
    assert dash.metrics.ac == 33_000
    dash.restore()
    assert dash.ac.value == 33_000 and dash.error is None


def test_set_status_and_from_plan():
    dash = evm_dashboard(plan=sample_plan(), status=migration_status())
    assert dash.period.max == 4 and dash.metrics.ev == 67_000 and dash.rag == "red"
    dash.set_status(4, ev=76_600, ac=76_600)
    assert dash.rag == "green" and dash.ev.value == 76_600
    with pytest.raises(ValueError, match="status"):
        evm_dashboard(plan=sample_plan())


def _evm_reference(dash):
    from widget_frames import fresh_frame  # noqa: PLC0415

    from itpm_course.charts.evm import index_trend, s_curve  # noqa: PLC0415

    return fresh_frame(
        (11.0, 3.8),
        lambda left, right: (s_curve(dash.result, ax=left), index_trend(dash.result, ax=right)),
        dash.dpi,
        ncols=2,
        width_ratios=[1.35, 1],
    )


@pytest.mark.parametrize("source", ["plan", "linear"])
def test_dashboard_updates_in_place_like_a_fresh_chart(source):
    from widget_frames import same_picture  # noqa: PLC0415

    if source == "plan":
        dash = evm_dashboard(plan=sample_plan(), status=migration_status())
    else:
        dash = evm_dashboard(
            bac=100_000, baseline=LINEAR, ev=[8_000, 16_000, 30_000], ac=[9_000, 18_000, 33_000]
        )
    figure = dash._renderer.figure
    axes = list(figure.axes)
    frames = {bytes(dash.chart.value)}
    steps = [
        (dash.ev, dash.ev.value * 0.8),
        (dash.ev, dash.ev.value * 0.9),  # the second update: the same artists move
        (dash.ac, dash.ac.value * 1.1),
        (dash.amber, 0.8),
        (dash.green, 0.97),
        (dash.period, dash.period.value - 1),
        (dash.ev, dash.ev.value * 0.5),
    ]
    lines = None
    for k, (control, value) in enumerate(steps):
        control.value = value
        frames.add(bytes(dash.chart.value))
        assert dash._renderer.figure is figure and figure.axes == axes
        if k == 1:
            lines = [list(ax.get_lines()) for ax in axes]
        elif lines is not None and k == 2:
            assert [list(ax.get_lines()) for ax in axes] == lines  # moved, not drawn anew
        assert same_picture(dash.chart.value, _evm_reference(dash)), (k, control.description)
    assert len(frames) == len(steps) + 1  # every change shows
