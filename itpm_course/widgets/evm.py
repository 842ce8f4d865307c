"""An EVM dashboard: change the status data and watch the indices, S-curve and RAG move.

Thin by design: the controls are read, :func:`itpm_course.engine.evm.evm_series` recomputes
(microseconds) and the S-curve and index trend of :mod:`itpm_course.charts.evm` are drawn once
into the widget's one figure (the layout of :func:`~itpm_course.charts.evm.evm_dashboard_figure`)
and then moved in place (:func:`~itpm_course.charts.evm.update_s_curve`,
:func:`~itpm_course.charts.evm.update_index_trend`): only the lines, legend and titles are
drawn again while the limits stay, the whole figure when they move.

Usage in a notebook::

    from itpm_course.widgets.evm import evm_dashboard
    dash = evm_dashboard(bac=129_800, baseline=pv_curve, ev=[...], ac=[...])
    dash = evm_dashboard(plan=plan, status=status)   # or from a plan and task status
    dash

For tests (no browser needed)::

    dash.period.value = 4
    dash.ev.value = 70_000
    dash.result.latest.cpi, dash.rag, dash.message
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from itpm_course.charts.evm import (
    RAG_COLOURS,
    index_trend,
    s_curve,
    update_index_trend,
    update_s_curve,
)
from itpm_course.engine.evm import EVMSeries, RagThresholds, evm_from_plan, evm_series
from itpm_course.widgets._render import FigureRenderer


class EVMDashboard(widgets.VBox):
    """Status period, EV and AC sliders and RAG thresholds in; indices, RAG and charts out.

    Attributes for notebooks and tests:

    * ``ev_values``, ``ac_values``: the current cumulative EV and AC per period (lists);
    * ``result``: the current :class:`~itpm_course.engine.evm.EVMSeries` (periods up to the
      status period); ``metrics``: its latest :class:`~itpm_course.engine.evm.EVMetrics`;
    * ``rag`` and ``message`` (the plain-language reading, or why the last change was refused);
    * controls ``period`` (the status period, also the period the sliders edit), ``ev``,
      ``ac`` (FloatSliders), ``green`` and ``amber`` (RAG thresholds), ``reset`` (Button);
    * outputs ``indices`` (HTML table), ``summary`` (HTML) and ``chart`` (Image, PNG).

    A change the engine refuses (e.g. AC of 0 with work earned) shows why, keeps the last
    valid result and never raises.
    """

    def __init__(
        self,
        bac: float,
        baseline: Sequence[float],
        ev: Sequence[float],
        ac: Sequence[float],
        *,
        baseline_times: Sequence[float] | None = None,
        pv: Sequence[float] | None = None,
        thresholds: RagThresholds | None = None,
        dpi: int = 80,
    ) -> None:
        self.bac = float(bac)
        self.baseline = np.asarray(baseline, dtype=float)
        self.baseline_times = (
            np.arange(len(self.baseline), dtype=float)
            if baseline_times is None
            else np.asarray(baseline_times, dtype=float)
        )
        self.original = (list(map(float, ev)), list(map(float, ac)))
        self.ev_values = list(self.original[0])
        self.ac_values = list(self.original[1])
        n = len(self.ev_values)
        if n == 0 or len(self.ac_values) != n:
            raise ValueError("ev and ac need one value per status period (at least one)")
        periods = np.arange(1, n + 1, dtype=float)
        self.pv_values = (
            list(map(float, pv))
            if pv is not None
            else np.interp(periods, self.baseline_times, self.baseline).tolist()
        )
        th = thresholds or RagThresholds()
        self.dpi = dpi
        self._renderer: FigureRenderer | None = None
        self._drawn_thresholds: RagThresholds | None = None  # of the kept bands
        self.error: str | None = None
        self.message = ""
        self._syncing = False

        self.period = widgets.IntSlider(
            value=n,
            min=1,
            max=n,
            description="Status period",
            style={"description_width": "initial"},
        )
        slider = {
            "min": 0.0,
            "max": self.bac,
            "step": max(round(self.bac / 200, -1), 1.0),
            "continuous_update": False,
            "readout_format": ",.0f",
            "layout": widgets.Layout(width="430px"),
            "style": {"description_width": "initial"},
        }
        self.ev = widgets.FloatSlider(
            value=self.ev_values[-1], description="Earned value (EV)", **slider
        )
        self.ac = widgets.FloatSlider(
            value=self.ac_values[-1],
            description="Actual cost (AC)",
            **{**slider, "max": 2 * self.bac},
        )
        self.green = widgets.FloatSlider(
            value=th.green,
            min=0.5,
            max=1.0,
            step=0.01,
            description="Green ≥",
            continuous_update=False,
        )
        self.amber = widgets.FloatSlider(
            value=th.amber,
            min=0.5,
            max=1.0,
            step=0.01,
            description="Amber ≥",
            continuous_update=False,
        )
        self.reset = widgets.Button(
            description="Reset", icon="undo", tooltip="Back to the reported status"
        )
        self.indices = widgets.HTML()
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

        self.period.observe(self._on_period, names="value")
        self.ev.observe(self._on_value, names="value")
        self.ac.observe(self._on_value, names="value")
        self.green.observe(self._on_thresholds, names="value")
        self.amber.observe(self._on_thresholds, names="value")
        self.reset.on_click(lambda _b: self.restore())

        self.result: EVMSeries = self._compute(self.ev_values, self.ac_values, th)
        super().__init__(
            [
                widgets.HBox([self.period, self.reset]),
                widgets.HBox([self.ev, self.ac]),
                widgets.HBox([self.green, self.amber]),
                widgets.HBox([self.indices, self.summary]),
                self.chart,
            ]
        )
        self._show()

    # -- public -------------------------------------------------------------------------------
    @property
    def metrics(self):
        return self.result.latest

    @property
    def rag(self) -> str | None:
        return self.metrics.rag

    @property
    def thresholds(self) -> RagThresholds:
        return self.result.thresholds

    def set_status(self, period: int, ev: float | None = None, ac: float | None = None) -> None:
        """Set EV and/or AC of ``period`` (cumulative) and make it the status period."""
        self._syncing = True
        try:
            self.period.value = period
        finally:
            self._syncing = False
        ev_values, ac_values = list(self.ev_values), list(self.ac_values)
        if ev is not None:
            ev_values[period - 1] = float(ev)
        if ac is not None:
            ac_values[period - 1] = float(ac)
        self._try(ev_values, ac_values, self.thresholds)
        self._sync_sliders()

    def restore(self) -> None:
        """Back to the status data the dashboard was built with."""
        self.ev_values, self.ac_values = list(self.original[0]), list(self.original[1])
        self._try(self.ev_values, self.ac_values, self.thresholds)
        self._sync_sliders()

    # -- observers ----------------------------------------------------------------------------
    def _on_period(self, change) -> None:
        if self._syncing:
            return
        self._try(self.ev_values, self.ac_values, self.thresholds)
        self._sync_sliders()

    def _on_value(self, change) -> None:
        if self._syncing:
            return
        k = self.period.value - 1
        ev_values, ac_values = list(self.ev_values), list(self.ac_values)
        ev_values[k], ac_values[k] = float(self.ev.value), float(self.ac.value)
        self._try(ev_values, ac_values, self.thresholds)

    def _on_thresholds(self, change) -> None:
        if self._syncing:
            return
        try:
            th = RagThresholds(green=self.green.value, amber=self.amber.value)
        except ValueError as exc:
            self._refuse(f"Thresholds not applied: {exc}.")
            return
        self._try(self.ev_values, self.ac_values, th)

    # -- internals ----------------------------------------------------------------------------
    def _compute(self, ev_values, ac_values, th) -> EVMSeries:
        k = self.period.value
        return evm_series(
            self.bac,
            self.pv_values[:k],
            ev_values[:k],
            ac_values[:k],
            baseline=self.baseline,
            baseline_times=self.baseline_times,
            thresholds=th,
        )

    def _try(self, ev_values, ac_values, th) -> None:
        try:
            result = self._compute(ev_values, ac_values, th)
        except ValueError as exc:
            self._refuse(f"Not applied: {exc}.")
            return
        self.ev_values, self.ac_values, self.result = list(ev_values), list(ac_values), result
        self.error = None
        self._show()

    def _refuse(self, text: str) -> None:
        self.error = f"{text} Still showing the last valid status."
        self._show(redraw=False)

    def _sync_sliders(self) -> None:
        k = self.period.value - 1
        self._syncing = True
        try:
            self.ev.value = self.ev_values[k]
            self.ac.value = self.ac_values[k]
        finally:
            self._syncing = False

    def _show(self, redraw: bool = True) -> None:
        m = self.metrics
        rows = [
            ("PV", f"{m.pv:,.0f}"),
            ("EV", f"{m.ev:,.0f}"),
            ("AC", f"{m.ac:,.0f}"),
            ("CPI", _fmt(m.cpi)),
            ("SPI", _fmt(m.spi)),
            ("SPI(t)", _fmt(m.spi_t)),
            ("EAC", _money(m.eac)),
            ("TCPI(BAC)", _fmt(m.tcpi_bac)),
        ]
        colour = RAG_COLOURS.get(m.rag or "", "#777777")
        table = "".join(
            f"<tr><td style='padding:0 8px'>{k}</td><td style='text-align:right;padding:0 8px'>{v}</td></tr>"
            for k, v in rows
        )
        self.indices.value = (
            f"<div style='border-left:6px solid {colour};padding:2px 8px'>"
            f"<b style='color:{colour}'>RAG {html.escape((m.rag or 'n/a').upper())}</b>"
            f"<table>{table}</table></div>"
        )
        if self.error:
            self.message = self.error
            self.summary.value = (
                '<div style="padding:4px 8px;border-left:4px solid #D55E00;background:#FFF4EC;max-width:520px">'
                f"⚠ {html.escape(self.message)}</div>"
            )
        else:
            self.message = m.interpretation()
            self.summary.value = (
                f'<div style="padding:4px 8px;max-width:520px">{html.escape(self.message)}</div>'
            )
        if redraw:
            self._draw()

    def _draw(self) -> None:
        result = self.result
        renderer = self._renderer
        if renderer is None:  # evm_dashboard_figure's layout, in a figure kept for redraws
            fig = Figure(figsize=(11.0, 3.8), layout="constrained")
            fig.subplots(1, 2, width_ratios=[1.35, 1])
            renderer = self._renderer = FigureRenderer(fig, dpi=self.dpi, freeze_layout=True)
        else:  # move the drawn lines, labels and limits
            left, right = renderer.figure.axes[:2]
            moving = update_s_curve(left, result)
            trend = None if moving is None else update_index_trend(right, result)
            if trend is not None:
                # the bands are background: drawn again when the limits or thresholds change
                same = result.thresholds == self._drawn_thresholds
                renderer.animate(moving + trend, keep_background=same)
                self._drawn_thresholds = result.thresholds
                self.chart.value = renderer.png()
                return
        # first frame, or a line appeared or went: draw both charts anew into the same axes
        self.chart.value = renderer.redraw(
            lambda left, right: (s_curve(result, ax=left), index_trend(result, ax=right))
        )
        self._drawn_thresholds = None  # the next update draws the background first


def evm_dashboard(
    *,
    plan: Any = None,
    status: Any = None,
    bac: float | None = None,
    baseline: Sequence[float] | None = None,
    ev: Sequence[float] | None = None,
    ac: Sequence[float] | None = None,
    period_days: float = 5.0,
    rule: str = "percent_complete",
    thresholds: RagThresholds | None = None,
) -> EVMDashboard:
    """An EVM dashboard from a plan and task status, or from BAC, a PV baseline, EV and AC.

    ``baseline`` is the cumulative PV per period from period 0 (0) to the planned finish;
    ``ev`` and ``ac`` are cumulative per status period 1, 2, ….
    """
    if plan is not None:
        if status is None:
            raise ValueError("evm_dashboard(plan=...) needs status= too")
        result = evm_from_plan(plan, status, period_days=period_days, rule=rule)
        s = result.series
        return EVMDashboard(
            s.bac,
            s.baseline,
            s.ev,
            s.ac,
            baseline_times=s.baseline_times,
            pv=s.pv,
            thresholds=thresholds,
        )
    if bac is None or baseline is None or ev is None or ac is None:
        raise ValueError("give plan= and status=, or bac=, baseline=, ev= and ac=")
    return EVMDashboard(bac, baseline, ev, ac, thresholds=thresholds)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def _money(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"
