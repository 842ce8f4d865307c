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
