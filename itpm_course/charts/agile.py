"""Agile charts from :mod:`itpm_course.engine.agile` results.

* :func:`velocity_chart`: completed (and committed) points per sprint with the mean and range;
* :func:`burndown_chart`: remaining points per working day of a sprint against the ideal line;
* :func:`burnup_chart`: cumulative done against the release scope line (scope change visible);
* :func:`cfd_chart`: the cumulative flow diagram (stacked bands: to do / in progress / done);
* :func:`throughput_histogram`: how often each weekly throughput occurred;
* :func:`forecast_chart`: the Monte Carlo forecast distribution with P50/P85/P95 marked.

Each returns a :class:`matplotlib.figure.Figure` not kept by pyplot (shown once as a notebook
cell's value), or draws into ``ax`` when given. Artists carry a ``gid`` for tests and callers:
``"completed"``, ``"committed"``, ``"mean"``, ``"ideal"``, ``"remaining"``, ``"done"``,
``"scope"``, ``"band-<name>"``, ``"bars"``, ``"P50"``/``"P85"``/``"P95"``.

:func:`update_forecast_chart` moves a drawn forecast chart to a new forecast in place (for live
widgets), so that it looks as :func:`forecast_chart` would draw it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from itpm_course.charts._axes import axes_or_new
from itpm_course.engine.agile import CONFIDENCES, HowManyForecast, Velocity, WhenForecast

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

# Okabe-Ito, as the other charts
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILION = "#D55E00"
GREEN = "#009E73"
SKY = "#56B4E9"
GREY = "#8C8C8C"
CONFIDENCE_COLOURS = {50: GREEN, 85: ORANGE, 95: VERMILION}
BAND_COLOURS = {"to do": "#D9D9D9", "open": "#D9D9D9", "in progress": SKY, "done": GREEN}


def velocity_chart(
    sprints: pd.DataFrame,
    *,
    velocity: Velocity | None = None,
    ax: Axes | None = None,
    title: str | None = "Velocity per sprint",
) -> Figure:
    """Bars of completed points per sprint, committed points as outlines, and the mean and
    range of ``velocity`` (by default over all sprints) as a line and a shaded band."""
    fig, ax = axes_or_new(ax, (8, 3.6))
    names = [str(s) for s in sprints["sprint"]]
    x = np.arange(len(names))
    if "committed" in sprints:
        ax.bar(
            x,
            sprints["committed"],
            width=0.75,
            fill=False,
            edgecolor=GREY,
            linestyle="--",
            label="committed",
            gid="committed",
        )
    ax.bar(x, sprints["completed"], width=0.55, color=BLUE, label="completed", gid="completed")
    if velocity is None:
        from itpm_course.engine.agile import velocity as _velocity  # noqa: PLC0415

        velocity = _velocity(sprints)
    used = [k for k, n in enumerate(names) if n in velocity.sprints]
    lo, hi = (min(used) - 0.4, max(used) + 0.4) if used else (x[0] - 0.4, x[-1] + 0.4)
    ax.fill_between(
        [lo, hi],
        velocity.minimum,
        velocity.maximum,
        color=ORANGE,
        alpha=0.15,
        label=f"range of last {velocity.n}: {velocity.minimum:g}–{velocity.maximum:g}",
    )
    ax.hlines(
        velocity.mean,
        lo,
        hi,
        colors=ORANGE,
        linewidth=2,
        label=f"mean of last {velocity.n}: {velocity.mean:.1f}",
        gid="mean",
    )
    ax.set_xticks(
        x, names, rotation=45 if len(names) > 8 else 0, ha="right" if len(names) > 8 else "center"
    )
    ax.set_ylabel("story points")
    top = float(
        max(sprints["completed"].max(), sprints.get("committed", sprints["completed"]).max())
    )
    ax.set_ylim(0, top * 1.35 if top > 0 else 1)  # headroom for the legend
    ax.legend(loc="upper left", fontsize=8, ncols=4)
    if title:
        ax.set_title(title)
    return fig


def burndown_chart(
    burndown: pd.DataFrame, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Remaining points at the end of each working day against the ideal straight line."""
    fig, ax = axes_or_new(ax, (7, 3.6))
    day = burndown["day"].to_numpy()
    ax.plot(day, burndown["ideal"], color=GREY, linestyle="--", label="ideal", gid="ideal")
    ax.plot(
        day,
        burndown["remaining"],
        color=VERMILION,
        marker="o",
        markersize=4,
        label="remaining",
        gid="remaining",
    )
    labels = ["start"] + [f"{d:%a}\n{d:%d %b}" for d in burndown["date"].iloc[1:]]
    step = max(1, len(day) // 12)
    ax.set_xticks(day[::step], labels[::step], fontsize=8)
    ax.set_ylabel("story points remaining")
    ax.set_ylim(0, None)
    ax.legend(fontsize=8)
    sprint = burndown.attrs.get("sprint")
    ax.set_title(title or (f"Sprint burndown: {sprint}" if sprint else "Sprint burndown"))
    return fig


def burnup_chart(
    burnup: pd.DataFrame,
    *,
    velocity: Velocity | None = None,
    ax: Axes | None = None,
    title: str | None = "Release burnup",
) -> Figure:
    """Cumulative done points and the scope line; with ``velocity``, dotted projections of the
    remaining work at its slowest, mean and fastest rate to the latest scope."""
    fig, ax = axes_or_new(ax, (8, 3.8))
    x = np.arange(len(burnup))
    ax.plot(x, burnup["done"], color=BLUE, marker="o", markersize=4, label="done", gid="done")
    ax.step(x, burnup["scope"], where="pre", color=VERMILION, label="scope", gid="scope")
    if velocity is not None and velocity.mean > 0:
        done, scope = float(burnup["done"].iloc[-1]), float(burnup["scope"].iloc[-1])
        for rate, style, name in (
            (velocity.minimum, ":", "slowest"),
            (velocity.mean, "--", "mean"),
            (velocity.maximum, ":", "fastest"),
        ):
            if rate <= 0:
                continue
            more = max(0.0, (scope - done) / rate)
            ax.plot(
                [x[-1], x[-1] + more],
                [done, scope],
                color=BLUE,
                linestyle=style,
                linewidth=1,
                label=f"at the {name} velocity ({rate:.1f}): {more:.1f} more sprints",
                gid=f"projection-{name}",
            )
        ax.hlines(
            scope,
            x[-1],
            x[-1] + (scope - done) / velocity.minimum if velocity.minimum > 0 else x[-1] + 1,
            color=VERMILION,
            linestyle=":",
            linewidth=1,
        )
    ax.set_xticks(x, burnup["sprint"], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("story points")
    ax.set_ylim(0, None)
    ax.legend(fontsize=8, loc="lower right")
    if title:
        ax.set_title(title)
    return fig


def cfd_chart(
    flow: pd.DataFrame, *, ax: Axes | None = None, title: str | None = "Cumulative flow"
) -> Figure:
    """The cumulative flow diagram: stacked bands of done, in progress and to do per day.

    Without a ``started`` column the two bands the data supports are drawn: done and open.
    """
    fig, ax = axes_or_new(ax, (8, 3.8))
    dates = flow.index
    done = flow["done"].to_numpy()
    if "started" in flow:
        bands = {
            "done": done,
            "in progress": flow["started"].to_numpy() - done,
            "to do": flow["created"].to_numpy() - flow["started"].to_numpy(),
        }
    else:
        bands = {"done": done, "open": flow["created"].to_numpy() - done}
    ax.stackplot(
        dates,
        *bands.values(),
        labels=list(bands),
        colors=[BAND_COLOURS[b] for b in bands],
        alpha=0.9,
    )
    for artist, name in zip(ax.collections, bands, strict=False):
        artist.set_gid(f"band-{name.replace(' ', '-')}")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", fontsize=8)
    ax.set_ylabel("items (cumulative)")
    ax.set_xlim(dates[0], dates[-1])
    ax.tick_params(axis="x", labelsize=8)
    if title:
        ax.set_title(title)
    return fig


def throughput_histogram(
    throughput, *, ax: Axes | None = None, title: str | None = "How often each throughput occurred"
) -> Figure:
    """A bar per throughput value (items per period), zero periods included."""
    fig, ax = axes_or_new(ax, (6, 3.2))
    values = np.asarray(throughput, dtype=int)
    counts = np.bincount(values)
    x = np.arange(counts.size)
    ax.bar(x, counts, color=BLUE, width=0.8, gid="bars")
    ax.axvline(values.mean(), color=ORANGE, linewidth=2, label=f"mean {values.mean():.2f}")
    ax.set_xlabel("items finished in a period")
    ax.set_ylabel("periods")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def forecast_chart(
    forecast: WhenForecast | HowManyForecast,
    *,
    confidence: int | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Histogram of a forecast's outcomes with P50/P85/P95 (and ``confidence``) marked.

    For "when" forecasts the bars are periods needed and the line the share of iterations done
    by then; for "how many" forecasts the bars are items done and the line the share of
    iterations that reached at least that many.
    """
    fig, ax = axes_or_new(ax, (8, 3.6))
    shape = _forecast_shape(forecast, confidence)
    x, share, line = shape["x"], shape["share"], shape["line"]
    ax.bar(x, share, color=BLUE, alpha=0.75, width=0.85, gid="bars")
    twin = ax.twinx()
    twin.plot(x, line, color=GREY, linewidth=1.5, label=shape["line_label"], gid="cumulative")
    twin.set_ylim(0, 1.02)
    twin.yaxis.set_major_formatter(PercentFormatter(1.0))
    for p, value in shape["levels"]:
        ax.axvline(
            value,
            color=CONFIDENCE_COLOURS.get(p, "#7B2D8E"),
            linestyle="--" if p not in CONFIDENCES else "-",
            linewidth=2,
            label=f"P{p}: {value} {shape['unit']}",
            gid=f"P{p}",
        )
    ax.set_xlabel(shape["xlabel"])
    ax.set_ylabel("share of iterations")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = twin.get_legend_handles_labels()
    ax.legend(
        handles + h2,
        labels + l2,
        fontsize=8,
        loc="center right" if shape["when"] else "center left",
    )
    ax.set_title(title or shape["title"])
    return fig


def update_forecast_chart(
    ax: Axes,
    forecast: WhenForecast | HowManyForecast,
    *,
    confidence: int | None = None,
    title: str | None = None,
) -> list[Artist] | None:
    """Move the chart that :func:`forecast_chart` drew into ``ax`` to a new ``forecast``, in
    place: the bars, the cumulative line, the percentile lines, the legend, the limits, the
    x label and the title become what :func:`forecast_chart` would draw.

    Returns the artists that changed (the x label is drawn with the axis: a caller that keeps
    the axes' background draws it again when the label changes), or None when the chart
    cannot be updated in place (the other kind of forecast, or other percentile lines than
    when it was drawn); then draw it again.
    """
    twins = [a for a in ax._twinned_axes.get_siblings(ax) if a is not ax]
    legend = ax.get_legend()
    if len(twins) != 1 or legend is None:
        return None
    (twin,) = twins
    (curve,) = [line for line in twin.get_lines() if line.get_gid() == "cumulative"] or [None]
    shape = _forecast_shape(forecast, confidence)
    marks = [line for line in ax.get_lines() if str(line.get_gid()).startswith("P")]
    styles = [
        (CONFIDENCE_COLOURS.get(p, "#7B2D8E"), "--" if p not in CONFIDENCES else "-")
        for p, _value in shape["levels"]
    ]
    if (
        curve is None
        or len(marks) != len(styles)
        or [(m.get_color(), m.get_linestyle()) for m in marks] != styles
        or legend.get_texts()[-1].get_text() != shape["line_label"]
    ):
        return None
    x, share = shape["x"], shape["share"]
    bars = [p for p in ax.patches if p.get_gid() == "bars"]
    if len(bars) == len(x):  # the same number of bars: move them (as ax.bar places them)
        for bar, left, height in zip(bars, x - 0.85 / 2, share, strict=True):
            bar.set_x(left)
            bar.set_height(height)
    else:
        for container in [c for c in ax.containers if c.patches and c.patches[0] in bars]:
            container.remove()
        ax.bar(x, share, color=BLUE, alpha=0.75, width=0.85, gid="bars")
        bars = [p for p in ax.patches if p.get_gid() == "bars"]
    curve.set_data(x, shape["line"])
    for mark, (p, value) in zip(marks, shape["levels"], strict=True):
        mark.set_xdata([value, value])
        mark.set_gid(f"P{p}")
        mark.set_label(f"P{p}: {value} {shape['unit']}")
    handles, labels = ax.get_legend_handles_labels()
    labels += twin.get_legend_handles_labels()[1]
    if len(labels) != len(legend.texts):
        return None
    for text, label in zip(legend.texts, labels, strict=True):
        if text.get_text() != label:
            text.set_text(label)
    # the limits forecast_chart gets: autoscaled (x shared with the twin), the twin's y fixed
    for axes in (ax, twin):
        axes.relim()
    ax.autoscale_view()
    if ax.get_xlabel() != shape["xlabel"]:
        ax.set_xlabel(shape["xlabel"])
    ax.set_title(title or shape["title"])
    return [*bars, curve, *marks, legend, ax.title]


def _forecast_shape(forecast: WhenForecast | HowManyForecast, confidence: int | None) -> dict:
    """What :func:`forecast_chart` draws: bars, cumulative line, percentile lines, texts."""
    counts = forecast.counts
    n = forecast.iterations
    nonzero = np.flatnonzero(counts)
    lo, hi = int(nonzero.min()), int(nonzero.max())
    x = np.arange(lo, hi + 1)
    share = counts[lo : hi + 1] / n
    when = isinstance(forecast, WhenForecast)
    if when:
        line = np.cumsum(counts)[lo : hi + 1] / n
        line_label = "done by then (cumulative)"
        unit = "weeks" if forecast.period_days == 7 else "periods"
        xlabel = f"{unit} to finish {forecast.items} items"
    else:
        line = (n - np.concatenate([[0], np.cumsum(counts)[:-1]]))[lo : hi + 1] / n
        line_label = "at least this many (cumulative)"
        unit = "items"
        xlabel = f"items finished in {forecast.periods} periods"
    levels = sorted({*CONFIDENCES, *([int(confidence)] if confidence else [])})
    return {
        "x": x,
        "share": share,
        "line": line,
        "line_label": line_label,
        "when": when,
        "unit": unit,
        "xlabel": xlabel,
        "levels": [(p, forecast.percentile(p) if when else forecast.at_least(p)) for p in levels],
        "title": (
            f"Monte Carlo forecast: {n:,} iterations resampling {len(forecast.history)} periods"
        ),
    }
