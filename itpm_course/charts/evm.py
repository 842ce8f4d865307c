"""Earned value charts: the S-curve (PV, EV, AC with the EAC projection) and the index trend.

Both take an :class:`~itpm_course.engine.evm.EVMSeries` and return a matplotlib Figure.
:func:`update_s_curve` and :func:`update_index_trend` move a drawn chart to a new series in
place (for live widgets) and look as the chart functions would draw it.
Artists carry a ``gid`` so tests and callers can find them: ``"pv"``, ``"pv-baseline"``,
``"ev"``, ``"ac"``, ``"eac-projection"``, ``"bac"``, ``"status-date"`` on the S-curve;
``"cpi"``, ``"spi"``, ``"spi_t"``, ``"target"``, ``"band-green"``, ``"band-amber"``,
``"band-red"`` on the trend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator

from itpm_course.charts._axes import axes_or_new

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from itpm_course.engine.evm import EVMSeries, RagThresholds

# Okabe-Ito colours: PV blue, EV bluish green, AC vermilion; the forecast in reddish purple.
PV = "#0072B2"
EV = "#009E73"
AC = "#D55E00"
FORECAST = "#CC79A7"
BAC = "#5F6B76"
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00"}


def s_curve(
    series: EVMSeries,
    *,
    ax: Axes | None = None,
    projection: bool = True,
    title: str | None = None,
) -> Figure:
    """The S-curve: cumulative PV (the whole baseline when known), EV and AC to the status date.

    With ``projection``, a dashed line runs from today's AC to the EAC at the forecast finish
    (IEAC(t) from earned schedule when available, else PD/SPI, else the planned finish), and
    the BAC is a horizontal reference line. Time is in periods; money in the plan's currency.
    """
    fig, ax = axes_or_new(ax, (9.0, 4.6))
    t = np.asarray(series.periods, dtype=float)
    t0 = np.r_[0.0, t]
    if series.baseline is not None:
        ax.plot(
            series.baseline_times,
            series.baseline,
            color=PV,
            linewidth=2,
            label="Planned value (PV, baseline)",
            gid="pv-baseline",
        )
    else:
        ax.plot(
            t0, np.r_[0.0, series.pv], color=PV, linewidth=2, label="Planned value (PV)", gid="pv"
        )
    ax.plot(
        t0,
        np.r_[0.0, series.ev],
        color=EV,
        linewidth=2.2,
        marker="o",
        markersize=4,
        label="Earned value (EV)",
        gid="ev",
    )
    ax.plot(
        t0,
        np.r_[0.0, series.ac],
        color=AC,
        linewidth=2.2,
        marker="s",
        markersize=4,
        label="Actual cost (AC)",
        gid="ac",
    )
    now = float(t[-1])
    ax.axvline(now, color="#999999", linestyle=":", linewidth=1, gid="status-date")
    ax.axhline(
        series.bac,
        color=BAC,
        linestyle="--",
        linewidth=1,
        label=f"BAC {series.bac:,.0f}",
        gid="bac",
    )
    latest = series.latest
    finish = _projection_finish(series, now) if projection else None
    if finish is not None:
        ax.plot(
            [now, finish],
            [latest.ac, latest.eac],
            color=FORECAST,
            linestyle="--",
            linewidth=2,
            label=f"Forecast to EAC {latest.eac:,.0f}",
            gid="eac-projection",
        )
        ax.plot([finish], [latest.eac], marker="D", color=FORECAST, gid="eac-point")
    ax.set_xlabel("periods from the project start")
    ax.set_ylabel("cumulative cost")
    ax.yaxis.set_major_formatter(_thousands())
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(color="#D9DDE1", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    ax.set_title(title if title is not None else _s_curve_title(series), loc="left", fontsize=11)
    return fig


def update_s_curve(
    ax: Axes,
    series: EVMSeries,
    *,
    projection: bool = True,
    title: str | None = None,
) -> list[Artist] | None:
    """Move the S-curve that :func:`s_curve` drew into ``ax`` to a new ``series``, in place.

    The lines, labels, limits and title become what :func:`s_curve` would draw. Returns the
    artists that changed, or None when the chart cannot be updated in place (a baseline or
    a projection line appears or goes); then draw it again.
    """
    lines = {line.get_gid(): line for line in ax.get_lines()}
    legend = ax.get_legend()
    pv_gid = "pv" if series.baseline is None else "pv-baseline"
    t = np.asarray(series.periods, dtype=float)
    now = float(t[-1])
    latest = series.latest
    finish = _projection_finish(series, now) if projection else None
    wanted = {pv_gid, "ev", "ac", "status-date", "bac"}
    if finish is not None:
        wanted |= {"eac-projection", "eac-point"}
    if set(lines) != wanted or legend is None or len(ax.get_lines()) != len(wanted):
        return None
    t0 = np.r_[0.0, t]
    if series.baseline is not None:
        lines[pv_gid].set_data(series.baseline_times, series.baseline)
    else:
        lines[pv_gid].set_data(t0, np.r_[0.0, series.pv])
    lines["ev"].set_data(t0, np.r_[0.0, series.ev])
    lines["ac"].set_data(t0, np.r_[0.0, series.ac])
    lines["status-date"].set_xdata([now, now])
    lines["bac"].set_ydata([series.bac, series.bac])
    lines["bac"].set_label(f"BAC {series.bac:,.0f}")
    if finish is not None:
        lines["eac-projection"].set_data([now, finish], [latest.ac, latest.eac])
        lines["eac-projection"].set_label(f"Forecast to EAC {latest.eac:,.0f}")
        lines["eac-point"].set_data([finish], [latest.eac])
    if not _relabel(ax, legend):
        return None
    # the limits s_curve gets: autoscaled to the data, then from 0
    ax.set_autoscale_on(True)
    ax.relim()
    ax.autoscale_view()
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_title(title if title is not None else _s_curve_title(series), loc="left", fontsize=11)
    return [*lines.values(), legend, ax.title]


def _s_curve_title(series: EVMSeries) -> str:
    latest = series.latest
    now = float(series.periods[-1])
    return f"S-curve at period {now:g}: CPI {_fmt(latest.cpi)}, SPI {_fmt(latest.spi)}" + (
        f", SPI(t) {_fmt(latest.spi_t)}" if latest.spi_t is not None else ""
    )


def _projection_finish(series: EVMSeries, now: float) -> float | None:
    """Where the EAC projection ends, or None when s_curve draws none."""
    if series.latest.eac is None:
        return None
    finish = _forecast_finish(series)
    return finish if finish is not None and finish > now else None


def _relabel(ax: Axes, legend) -> bool:
    """Give the legend its handles' current labels; False when their number changed."""
    _handles, labels = ax.get_legend_handles_labels()
    if len(legend.texts) != len(labels):
        return False
    for text, label in zip(legend.texts, labels, strict=True):
        if text.get_text() != label:
            text.set_text(label)
    return True


def index_trend(
    series: EVMSeries,
    *,
    ax: Axes | None = None,
    thresholds: RagThresholds | None = None,
    title: str | None = None,
) -> Figure:
    """CPI, SPI and (with a baseline) SPI(t) per period over green/amber/red bands."""
    fig, ax = axes_or_new(ax, (9.0, 4.6))
    th = thresholds or series.thresholds
    t = np.asarray(series.periods, dtype=float)
    lo, hi = _trend_limits(series, th)
    ax.axhspan(th.green, hi, color=RAG_COLOURS["green"], alpha=0.08, gid="band-green")
    ax.axhspan(th.amber, th.green, color=RAG_COLOURS["amber"], alpha=0.12, gid="band-amber")
    ax.axhspan(lo, th.amber, color=RAG_COLOURS["red"], alpha=0.08, gid="band-red")
    ax.axhline(1.0, color="#444444", linewidth=1, gid="target")
    ax.plot(t, series.cpi, color=AC, marker="s", linewidth=2, label="CPI (cost)", gid="cpi")
    ax.plot(
        t, series.spi, color=PV, marker="o", linewidth=2, label="SPI (schedule, money)", gid="spi"
    )
    if not np.all(np.isnan(series.spi_t)):
        ax.plot(
            t,
            series.spi_t,
            color=PV,
            linestyle="--",
            marker="^",
            linewidth=1.6,
            label="SPI(t) (schedule, time)",
            gid="spi_t",
        )
    ax.set_ylim(lo, hi)
    ax.set_xlim(0.5, max(float(t[-1]) + 0.5, 1.5))
    ax.set_xticks(t if len(t) <= 20 else ax.get_xticks())
    ax.set_xlabel("status period")
    ax.set_ylabel("index (1.0 = on plan)")
    ax.grid(axis="y", color="#D9DDE1", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title(title if title is not None else _trend_title(th), loc="left", fontsize=11)
    return fig


def update_index_trend(
    ax: Axes,
    series: EVMSeries,
    *,
    thresholds: RagThresholds | None = None,
    title: str | None = None,
) -> list[Artist] | None:
    """Move the index trend that :func:`index_trend` drew into ``ax`` to a new ``series`` (or
    thresholds), in place: the lines, bands, limits, ticks and title become what
    :func:`index_trend` would draw. Returns the lines and title that changed (the bands
    change with the limits or ``thresholds``, so they belong to what a caller redraws when
    those change), or None when the chart cannot be updated in place (SPI(t) appears or
    goes); then draw it again."""
    th = thresholds or series.thresholds
    found = {a.get_gid(): a for a in [*ax.get_lines(), *ax.patches]}
    with_spi_t = not np.all(np.isnan(series.spi_t))
    wanted = {"band-green", "band-amber", "band-red", "target", "cpi", "spi"}
    if with_spi_t:
        wanted.add("spi_t")
    if set(found) != wanted or len(ax.get_lines()) + len(ax.patches) != len(wanted):
        return None
    t = np.asarray(series.periods, dtype=float)
    lo, hi = _trend_limits(series, th)
    for gid, bottom, top in (
        ("band-green", th.green, hi),
        ("band-amber", th.amber, th.green),
        ("band-red", lo, th.amber),
    ):
        found[gid].set_y(bottom)
        found[gid].set_height(top - bottom)
    found["cpi"].set_data(t, series.cpi)
    found["spi"].set_data(t, series.spi)
    if with_spi_t:
        found["spi_t"].set_data(t, series.spi_t)
    ax.set_ylim(lo, hi)
    xlim = (0.5, max(float(t[-1]) + 0.5, 1.5))
    moved = ax.get_xlim() != xlim
    if moved:
        ax.set_xlim(*xlim)
    if len(t) <= 20:
        if not np.array_equal(ax.get_xticks(), t):
            ax.set_xticks(t)
    elif moved:  # the automatic ticks for these limits, fixed, as index_trend takes them
        ax.xaxis.set_major_locator(AutoLocator())
        ax.set_xticks(ax.get_xticks())
    ax.set_title(title if title is not None else _trend_title(th), loc="left", fontsize=11)
    return [found[gid] for gid in ("cpi", "spi", "spi_t") if gid in found] + [ax.title]


def _trend_limits(series: EVMSeries, th: RagThresholds) -> tuple[float, float]:
    values = [series.cpi, series.spi]
    if not np.all(np.isnan(series.spi_t)):
        values.append(series.spi_t)
    finite = np.concatenate([v[np.isfinite(v)] for v in values] + [np.array([1.0])])
    lo = min(float(finite.min()) - 0.05, th.amber - 0.08)
    hi = max(float(finite.max()) + 0.05, 1.15)
    return lo, hi


def _trend_title(th: RagThresholds) -> str:
    return f"Performance indices (green ≥ {th.green:g}, amber ≥ {th.amber:g})"


def evm_dashboard_figure(
    series: EVMSeries, *, figsize: tuple[float, float] = (12.0, 4.2)
) -> Figure:
    """S-curve and index trend side by side in one figure (for the widget and reports)."""
    fig = Figure(figsize=figsize, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[1.35, 1])
    s_curve(series, ax=left)
    index_trend(series, ax=right)
    return fig


def _forecast_finish(series: EVMSeries) -> float | None:
    latest = series.latest
    for value in (latest.ieac_t, latest.duration_forecast, series.pd):
        if value is not None and np.isfinite(value):
            return float(value)
    return None


def _thousands():
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    return FuncFormatter(lambda x, _pos: f"{x:,.0f}")


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"
