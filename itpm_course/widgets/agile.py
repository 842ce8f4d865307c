"""A live delivery-forecast explorer: backlog size, history window and confidence in, answer out.

Thin by design: the controls are read, :func:`itpm_course.engine.agile.forecast_when` resamples
the chosen weeks of throughput (vectorised: ~10 ms for 10,000 iterations);
:func:`itpm_course.charts.agile.forecast_chart` draws the distribution once and
:func:`~itpm_course.charts.agile.update_forecast_chart` moves it in place after that.

Usage in a notebook::

    from itpm_course.widgets.agile import forecast_explorer
    explorer = forecast_explorer(weekly_throughput)
    explorer

For tests (no browser needed)::

    explorer.items.value = 80
    explorer.window.value = 8
    explorer.result.percentiles, explorer.answer, explorer.message
"""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from itpm_course.charts.agile import forecast_chart, update_forecast_chart
from itpm_course.engine.agile import MIN_PERIODS, WhenForecast, as_history, forecast_when
from itpm_course.widgets._render import FigureRenderer


class ForecastExplorer(widgets.VBox):
    """Pick the backlog size, iterations, history window and confidence; the forecast follows.

    Attributes for notebooks and tests:

    * controls ``items`` (IntSlider), ``iterations`` (Dropdown), ``window`` (IntSlider: use the
      last N periods of history), ``confidence`` (IntSlider, percent), ``seed`` (IntText);
    * ``result``: the current :class:`~itpm_course.engine.agile.WhenForecast`;
    * ``answer``: periods needed at the chosen confidence; ``message``: the summary line;
    * outputs ``summary`` (HTML) and ``chart`` (Image, PNG).

    A window whose weeks all had zero throughput cannot be forecast: the explorer says so,
    keeps the last good forecast and never raises.
    """

    def __init__(
        self,
        history,
        *,
        items: int = 50,
        start: dt.date | str | None = None,
        seed: int = 1,
        period_days: int = 7,
        dpi: int = 80,
    ) -> None:
        values, _ = as_history(history)
        self.history = values
        self.start = start
        self.period_days = period_days
        self.dpi = dpi
        self.error: str | None = None
        self.message = ""
        self.result: WhenForecast | None = None
        self._renderer = FigureRenderer(
            Figure(figsize=(8, 3.6), layout="constrained"), dpi=dpi, freeze_layout=True
        )
        n = values.size
        top = max(20, int(values.sum() * 2))
        self.items = widgets.IntSlider(
            value=min(items, top), min=1, max=top, description="Items", continuous_update=False
        )
        self.iterations = widgets.Dropdown(
            options=[("1,000", 1_000), ("10,000", 10_000), ("100,000", 100_000)],
            value=10_000,
            description="Iterations",
        )
        self.window = widgets.IntSlider(
            value=n,
            min=1,
            max=n,
            description="Last weeks" if period_days == 7 else "Last periods",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.confidence = widgets.IntSlider(
            value=85,
            min=50,
            max=99,
            description="Confidence %",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.seed = widgets.IntText(value=seed, description="Seed", layout={"width": "160px"})
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        for control in (self.items, self.iterations, self.window, self.confidence, self.seed):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [
                widgets.HBox([self.items, self.iterations]),
                widgets.HBox([self.window, self.confidence, self.seed]),
                self.summary,
                self.chart,
            ]
        )
        self.update()

    @property
    def used(self) -> np.ndarray:
        """The history the forecast uses: the last ``window`` periods."""
        return self.history[-int(self.window.value) :]

    @property
    def answer(self) -> int | None:
        """Periods needed at the chosen confidence (None before a first valid forecast)."""
        return None if self.result is None else self.result.percentile(self.confidence.value)

    def update(self) -> None:
        """Re-run the forecast from the controls and redraw; a bad window becomes a message."""
        try:
            result = forecast_when(
                self.used,
                int(self.items.value),
                iterations=int(self.iterations.value),
                seed=int(self.seed.value),
                start=self.start,
                period_days=self.period_days,
            )
        except ValueError as exc:
            self.error = f"Cannot forecast from the last {self.window.value} periods: {exc}."
            if self.result is not None:
                self.error += " Still showing the last valid forecast."
            self._show(redraw=False)
            return
        self.error = None
        self.result = result
        self._show()

    def _show(self, redraw: bool = True) -> None:
        if self.error:
            self.message = self.error
            self.summary.value = (
                '<div style="padding:4px 8px;border-left:4px solid #D55E00;'
                f'background:#FFF4EC">⚠ {html.escape(self.message)}</div>'
            )
            return
        self.message = summary_line(self.result, self.confidence.value)
        note = ""
        if self.window.value < MIN_PERIODS:
            note = (
                f"<br><i>Only {self.window.value} periods of history: too few to trust "
                f"(use {MIN_PERIODS}+ sprints or about 10 weeks).</i>"
            )
        self.summary.value = f'<div style="padding:4px 8px">{html.escape(self.message)}{note}</div>'
        if redraw:
            self._draw()

    def _draw(self) -> None:
        result, confidence = self.result, self.confidence.value
        renderer = self._renderer
        axes = renderer.figure.axes
        if axes:  # move the bars, lines, legend, limits and title of the drawn chart
            label = axes[0].get_xlabel()
            moving = update_forecast_chart(axes[0], result, confidence=confidence)
            if moving is not None:
                # the x label belongs to the background: drawn again when it changes
                renderer.animate(moving, keep_background=axes[0].get_xlabel() == label)
                self.chart.value = renderer.png()
                return
        # the first frame, or other percentile lines: draw the chart anew into the same axes
        self.chart.value = renderer.redraw(
            lambda ax: forecast_chart(result, confidence=confidence, ax=ax)
        )


def summary_line(result: WhenForecast, confidence: int = 85) -> str:
    """``60 items: 85% confident within 18 weeks (P50 16, P85 18, P95 20), from 20 weeks of history``."""
    unit = "weeks" if result.period_days == 7 else "periods"
    k = result.percentile(confidence)
    p = result.percentiles
    text = (
        f"{result.items} items: {confidence}% confident within {k} {unit}"
        f" (P50 {p['P50']}, P85 {p['P85']}, P95 {p['P95']})"
    )
    if result.start is not None:
        text += f", i.e. by {result.date_after(k):%a %Y-%m-%d}"
    mean = float(np.mean(result.history))
    return text + (
        f"; from {len(result.history)} {unit if len(result.history) != 1 else unit[:-1]}"
        f" of history averaging {mean:.2f} items"
        f" (the average alone says {result.items / mean:.1f})"
    )


def forecast_explorer(
    history: pd.Series | pd.DataFrame | np.ndarray | list,
    *,
    items: int = 50,
    start: dt.date | str | None = None,
    seed: int = 1,
) -> ForecastExplorer:
    """A live forecast explorer over ``history`` (throughput per week; see :class:`ForecastExplorer`)."""
    return ForecastExplorer(history, items=items, start=start, seed=seed)
