"""The forecast explorer: controls in, forecast and message out, no browser needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from itpm_course.engine.agile import forecast_when, read_throughput  # noqa: E402
from itpm_course.widgets.agile import ForecastExplorer, forecast_explorer  # noqa: E402

PNG = b"\x89PNG"


@pytest.fixture
def explorer() -> ForecastExplorer:
    return forecast_explorer(read_throughput(), items=60, start="2025-05-26")


def test_initial_state(explorer):
    assert isinstance(explorer, widgets.VBox)
    assert explorer.window.value == explorer.window.max == 20
    expected = forecast_when(read_throughput(), 60, seed=1, start="2025-05-26").percentiles
    assert explorer.result.percentiles == expected
    assert explorer.answer == expected["P85"]
    assert explorer.message.startswith(f"60 items: 85% confident within {expected['P85']} weeks")
    assert "by Sun" in explorer.message
    assert bytes(explorer.chart.value).startswith(PNG)


def test_controls_update_the_forecast(explorer):
    explorer.items.value = 30
    assert explorer.result.items == 30
    explorer.window.value = 6
    assert len(explorer.result.history) == 6
    explorer.confidence.value = 95
    assert explorer.answer == explorer.result.percentiles["P95"]
    explorer.iterations.value = 1_000
    assert explorer.result.iterations == 1_000
    explorer.seed.value = 7
    assert explorer.result.seed == 7


def test_bad_window_is_a_message_not_an_error():
    ex = forecast_explorer([4, 3, 0, 0], items=10)
    good = ex.result
    ex.window.value = 2  # the last two weeks finished nothing
    assert "Cannot forecast" in ex.message and "zero throughput" in ex.message
    assert ex.result is good
    ex.window.value = 3
    assert ex.result is not good and ex.error is None
    assert "too few" in ex.summary.value


def test_forecast_chart_updates_in_place_like_a_fresh_chart(explorer):
    from widget_frames import fresh_frame, same_picture  # noqa: PLC0415

    from itpm_course.charts.agile import forecast_chart  # noqa: PLC0415

    figure = explorer._renderer.figure
    axes = list(figure.axes)
    frames = {bytes(explorer.chart.value)}
    kept = None
    steps = [
        (explorer.items, 61),
        (explorer.items, 62),  # the second update: the same artists move
        (explorer.items, 90),
        (explorer.window, 10),
        (explorer.iterations, 1_000),
        (explorer.confidence, 90),  # another percentile line: drawn anew
        (explorer.confidence, 70),  # a line in another place in the legend: drawn anew
        (explorer.items, 30),
        (explorer.seed, 3),
    ]
    for k, (control, value) in enumerate(steps):
        control.value = value
        frames.add(bytes(explorer.chart.value))
        assert explorer._renderer.figure is figure
        if k < 5:
            assert figure.axes == axes  # the same axes and twin
        if k == 0:
            kept = [*axes[0].get_lines(), *axes[1].get_lines(), axes[0].get_legend()]
        elif k == 1:
            assert [*axes[0].get_lines(), *axes[1].get_lines(), axes[0].get_legend()] == kept
        reference = fresh_frame(
            (8, 3.6),
            lambda ax: forecast_chart(explorer.result, confidence=explorer.confidence.value, ax=ax),
            explorer.dpi,
        )
        assert same_picture(explorer.chart.value, reference), (k, control.description)
    assert len(frames) == len(steps) + 1  # every change shows
