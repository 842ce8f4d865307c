"""Gantt chart of a CPM :class:`~itpm_course.engine.schedule.Schedule`.

Everything is drawn with a handful of vectorised artists (one ``PolyCollection`` per bar kind, one
``LineCollection`` for all dependency lines, one scatter per arrow-head direction), so a plan
of a few thousand tasks renders as fast as one of ten.

Time axis. With ``dates=True`` the x axis is the calendar: a task occupies its working days
from the start of its first day to the end of its last day, so a bar runs straight through
the weekends and holidays inside it (they are shaded in the background). A milestone at
offset ``t`` sits at the end of working day ``t - 1``, as Microsoft Project shows it. With
``dates=False`` the x axis is working days from the project start (day 0).

Artists carry a ``gid`` so tests and callers can find them: ``"bars"``, ``"critical-bars"``,
``"float"``, ``"milestones"``, ``"critical-milestones"``, ``"links"`` (one polyline per
dependency), ``"link-heads"``, ``"deadline"``, ``"nonworking"``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from itpm_course.charts._axes import axes_or_new

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from itpm_course.engine.schedule import Schedule

# Colours (colour-blind friendly: vermilion vs. blue, from the Okabe-Ito palette).
CRITICAL = "#D55E00"
NORMAL = "#0072B2"
FLOAT = "#9AA5B1"
LINK = "#5F6B76"
DEADLINE = "#7B2D8E"
NONWORKING = "#EEF0F2"

_LABELLED_ROWS = 80  # beyond this many tasks the y axis shows no task names
_SHADE_DAYS = 400  # shade non-working days only when the chart spans at most this many days
_BAR_HEIGHT = 0.56
_FLOAT_HEIGHT = 0.16


def gantt_chart(
    schedule: Schedule,
    *,
    ax: Axes | None = None,
    dates: bool = True,
    show_float: bool = True,
    show_links: bool = True,
    title: str | None = None,
) -> Figure:
    """Draw ``schedule`` as a Gantt chart and return the figure.

    * one bar per task, top to bottom in plan order; critical tasks in a distinct colour;
    * milestones (duration 0) as diamonds;
    * total float as a thin grey bar trailing each task up to its late finish;
    * each dependency as an arrow from the predecessor's start or finish to the successor's
      start or finish, as the link type says (FS finish->start, SS start->start,
      FF finish->finish, SF start->finish);
    * the plan's deadline as a vertical line (at the end of the deadline day).

    ``ax``: draw into these axes (the caller owns the figure); otherwise a new figure is made
    and closed in pyplot at once, so a notebook shows it once (as the cell's value) and
    nothing stays in pyplot's state.
    ``dates=False`` draws working-day offsets instead of calendar dates.
    """
    fig, ax = axes_or_new(ax, _figsize(schedule.plan.network.n_tasks))
    # The legend goes below the chart when the axes fill a constrained-layout figure (which
    # then makes room for it); inside the axes when the caller composes several axes.
    own = len(fig.axes) == 1 and type(fig.get_layout_engine()).__name__ == "ConstrainedLayoutEngine"
    _draw(ax, schedule, dates, show_float, show_links, title, own)
    return fig


def update_gantt(
    ax: Axes,
    schedule: Schedule,
    *,
    dates: bool = True,
    show_float: bool = True,
    show_links: bool = True,
    title: str | None = None,
) -> None:
    """Redraw the Gantt chart that :func:`gantt_chart` drew into ``ax`` for a new ``schedule``.

    For live widgets: the axes, their ticks and the figure's layout are kept; the bars, links,
    markers, calendar shading, limits, task labels, title and legend are replaced, so the
    result looks as :func:`gantt_chart` would draw it. The legend stays where it was (below
    the axes or inside them), even when the figure's layout has been frozen since.
    """
    fig = ax.figure
    for artist in [a for a in ax.get_children() if a.get_gid() in _DATA_GIDS]:
        artist.remove()
    own = False
    for legend in [lg for lg in fig.legends if lg.get_gid() == _LEGEND_GID]:
        legend.remove()
        own = True
    _draw(ax, schedule, dates, show_float, show_links, title, own, redraw=True)


_DATA_GIDS = frozenset(
    {"float", "bars", "critical-bars", "milestones", "critical-milestones", "links",
     "link-heads", "deadline", "nonworking"}
)  # fmt: skip
_LEGEND_GID = "gantt-legend"


def _draw(ax, schedule, dates, show_float, show_links, title, own, redraw=False) -> None:
    plan = schedule.plan
    net = plan.network
    n = net.n_tasks

    es, ef = schedule.early_start, schedule.early_finish
    lf = schedule.late_finish
    crit = schedule.critical
    milestone = net.duration == 0
    y = np.arange(n, dtype=float)

    xs, xe = _to_x(schedule, es, end=False, dates=dates), _to_x(schedule, ef, end=True, dates=dates)
    # A milestone is a point in time: the end of the previous working day (day 0 for t = 0).
    xm = np.where(es > 0, _to_x(schedule, es, end=True, dates=dates), xs)
    xs = np.where(milestone, xm, xs)
    xe = np.where(milestone, xm, xe)

    # -- float (behind the bars) ------------------------------------------------------------
    has_float = schedule.total_float > 0
    if show_float and has_float.any():
        xl = _to_x(schedule, lf, end=True, dates=dates)
        k = has_float
        _bars(ax, xe[k], xl[k], y[k], _FLOAT_HEIGHT, facecolors=FLOAT, zorder=2, gid="float")

    # -- task bars --------------------------------------------------------------------------
    for mask, colour, gid in ((~crit, NORMAL, "bars"), (crit, CRITICAL, "critical-bars")):
        k = mask & ~milestone
        _bars(
            ax,
            xs[k],
            xe[k],
            y[k],
            _BAR_HEIGHT,
            facecolors=colour,
            edgecolors="white",
            linewidths=0.5 if n <= _LABELLED_ROWS else 0,
            zorder=3,
            gid=gid,
        )

    # -- milestones -------------------------------------------------------------------------
    msize = 90 if n <= _LABELLED_ROWS else (30 if n <= 300 else 8)
    for mask, colour, gid in (
        (~crit, NORMAL, "milestones"),
        (crit, CRITICAL, "critical-milestones"),
    ):
        k = mask & milestone
        if k.any():
            ax.scatter(
                xm[k],
                y[k],
                marker="D",
                s=msize,
                color=colour,
                edgecolor="white",
                linewidth=0.8,
                zorder=5,
                gid=gid,
            )

    # -- dependencies -----------------------------------------------------------------------
    span = float(np.nanmax(np.r_[xe, xs]) - np.nanmin(np.r_[xs, xe])) if n else 1.0
    if show_links and len(net.pred):
        _draw_links(ax, net, xs, xe, y, stub=min(max(span * 0.012, 0.15), 1.0), dense=n > 200)

    # -- axes, calendar, deadline -----------------------------------------------------------
    x0 = float(np.min(xs)) if n else 0.0
    x1 = float(np.max(xe)) if n else 1.0
    if show_float and has_float.any():
        x1 = max(x1, float(np.max(_to_x(schedule, lf, end=True, dates=dates))))
    deadline_x = _deadline_x(schedule, dates)
    if deadline_x is not None:
        x1 = max(x1, deadline_x)
    pad = max((x1 - x0) * 0.02, 0.5)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(n - 0.5, -0.5)  # plan order top to bottom

    if dates:
        _date_axis(ax, x1 - x0)
        if x1 - x0 <= _SHADE_DAYS:
            _shade_nonworking(ax, schedule, x0 - pad, x1 + pad)
    else:
        ax.set_xlabel("working days from the project start")
    if deadline_x is not None:
        ax.axvline(
            deadline_x, color=DEADLINE, linestyle="--", linewidth=1.4, zorder=4, gid="deadline"
        )

    _task_labels(ax, schedule, n)
    if not redraw:  # a redraw keeps these
        ax.grid(axis="x", color="#D9DDE1", linewidth=0.6, zorder=0)
        ax.set_axisbelow(True)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)

    ax.set_title(title if title is not None else _default_title(schedule), loc="left", fontsize=12)
    _legend(ax, schedule, milestone, show_float and has_float.any(), show_links, deadline_x, own)


def _bars(ax, x0, x1, y, height, **style) -> PolyCollection:
    """Horizontal bars from ``x0`` to ``x1`` centred on rows ``y``, as one PolyCollection.

    ``ax.barh`` makes one Rectangle artist per bar (about 1 ms each to add and draw); a single
    collection draws thousands of bars in milliseconds. One polygon per bar, in row order.
    """
    top, bottom = y - height / 2, y + height / 2
    verts = np.stack(
        [
            np.stack([x0, top], -1),
            np.stack([x1, top], -1),
            np.stack([x1, bottom], -1),
            np.stack([x0, bottom], -1),
        ],
        axis=1,
    )
    bars = PolyCollection(verts, **style)
    ax.add_collection(bars, autolim=False)
    return bars


# ------------------------------------------------------------------------------ time mapping
def _to_x(schedule: Schedule, t: np.ndarray, *, end: bool, dates: bool) -> np.ndarray:
    """x positions of times ``t`` (working days from day 0).

    Offsets mode: ``t`` itself. Dates mode (matplotlib date numbers, in days): a start at
    integral ``t`` is the beginning of working day ``t``; an end at integral ``t`` is the end
    of working day ``t - 1`` (so a bar never stretches over the weekend after it). Fractional
    times fall inside working day ``floor(t)``.
    """
    t = np.asarray(t, dtype=float)
    if not dates:
        return t
    whole = np.floor(t)
    frac = t - whole
    day = np.where(end & (frac == 0) & (t > 0), whole - 1, whole)
    shift = np.where(end & (frac == 0) & (t > 0), 1.0, frac)
    plan = schedule.plan
    days = plan.calendar.add_workdays(plan.start, day)
    return _date_num(days) + shift


def _date_num(days: np.ndarray) -> np.ndarray:
    """numpy datetime64[D] -> matplotlib date numbers (days since matplotlib's epoch)."""
    from matplotlib import dates as mdates  # noqa: PLC0415

    epoch = np.datetime64(mdates.get_epoch(), "D")
    return (np.asarray(days, dtype="datetime64[D]") - epoch).astype(float)


def _deadline_x(schedule: Schedule, dates: bool) -> float | None:
    plan = schedule.plan
    if plan.deadline is None:
        return None
    end_of_day = plan.deadline + dt.timedelta(days=1)
    if dates:
        return float(_date_num(np.array([end_of_day], dtype="datetime64[D]"))[0])
    return plan.deadline_days


# ----------------------------------------------------------------------------- dependencies
def _draw_links(ax, net, xs, xe, y, *, stub: float, dense: bool) -> None:
    """All dependencies as one LineCollection of elbow connectors plus arrow-head markers.

    A connector leaves the predecessor at its start (SS, SF: to the left) or finish (FS, FF:
    to the right) and then, whichever reads best:

    * drops straight onto the successor bar when it is right above (or below) it, as
      Microsoft Project draws a finish-to-start link onto the next task;
    * turns into the successor's row and enters from the left at its start (FS, SS) or from
      the right at its finish (FF, SF);
    * or, when that side is behind it, jogs along the gap between the rows first.
    """
    from itpm_course.plan.network import FROM_FINISH, TO_FINISH  # noqa: PLC0415

    p, s, kind = net.pred, net.succ, net.link_type
    from_finish = FROM_FINISH[kind]
    to_finish = TO_FINISH[kind]
    x0 = np.where(from_finish, xe[p], xs[p])
    x1 = np.where(to_finish, xe[s], xs[s])
    y0, y1 = y[p], y[s]
    down = np.sign(y1 - y0)  # +1: successor is lower on the chart
    a = x0 + np.where(from_finish, stub, -stub)  # leave the predecessor sideways
    b = x1 + np.where(to_finish, stub, -stub)  # approach point beside the successor
    drop = (a >= xs[s]) & (a <= xe[s]) & (xe[s] - xs[s] > stub)
    direct = ~drop & np.where(to_finish, a >= b, a <= b)
    jog = ~drop & ~direct
    y_land = y1 - down * _BAR_HEIGHT / 2
    ym = np.where(jog, y1 - 0.5 * down, np.where(drop, y_land, y1))
    b = np.where(jog, b, a)
    y_end = np.where(drop, y_land, y1)
    x_end = np.where(drop, a, x1)
    pts = np.stack(
        [
            np.stack([x0, y0], axis=-1),
            np.stack([a, y0], axis=-1),
            np.stack([a, ym], axis=-1),
            np.stack([b, ym], axis=-1),
            np.stack([b, y_end], axis=-1),
            np.stack([x_end, y_end], axis=-1),
        ],
        axis=1,
    )
    lines = LineCollection(
        pts,
        colors=LINK,
        linewidths=0.5 if dense else 0.9,
        alpha=0.5 if dense else 0.9,
        zorder=2.5,
        gid="links",
    )
    ax.add_collection(lines, autolim=False)
    size = 4 if dense else 22
    side = ~drop
    heads = (
        (side & ~to_finish, ">", x1 - stub * 0.35, y1),
        (side & to_finish, "<", x1 + stub * 0.35, y1),
        (drop & (down > 0), "v", a, y_land - 0.08),
        (drop & (down < 0), "^", a, y_land + 0.08),
    )
    for mask, marker, hx, hy in heads:
        if mask.any():
            ax.scatter(
                hx[mask],
                hy[mask],
                marker=marker,
                s=size,
                color=LINK,
                linewidth=0,
                zorder=4,
                gid="link-heads",
            )


# ------------------------------------------------------------------------------ decorations


def _figsize(n: int) -> tuple[float, float]:
    if n <= _LABELLED_ROWS:
        return (11.0, max(3.2, 0.36 * n + 1.8))
    return (11.0, 9.0)


def _date_axis(ax, span_days: float) -> None:
    """Weekly ticks on Mondays for short plans, automatic concise dates for long ones."""
    from matplotlib import dates as mdates  # noqa: PLC0415

    if span_days <= 16 * 7:
        step = 1 if span_days <= 10 * 7 else 2
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%a\n%d %b"))
        if not isinstance(ax.xaxis.get_minor_locator(), mdates.DayLocator):  # not a redraw
            ax.xaxis.set_minor_locator(mdates.DayLocator())
            ax.tick_params(axis="x", which="minor", length=2, color="#B0B7BE")
    else:
        locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if isinstance(ax.xaxis.get_minor_locator(), mdates.DayLocator):  # a redraw
            from matplotlib.ticker import NullLocator  # noqa: PLC0415

            ax.xaxis.set_minor_locator(NullLocator())


def _shade_nonworking(ax, schedule: Schedule, lo: float, hi: float) -> None:
    """Grey background bands over weekends and holidays (one PolyCollection)."""
    from matplotlib import dates as mdates  # noqa: PLC0415

    cal = schedule.plan.calendar
    epoch = np.datetime64(mdates.get_epoch(), "D")
    first = epoch + int(np.floor(lo))
    days = first + np.arange(int(np.ceil(hi) - np.floor(lo)) + 1)
    off = ~np.is_busday(days, weekmask=cal.weekmask, holidays=cal._holidays())
    if not off.any():
        return
    # Runs of consecutive non-working days become one band each.
    idx = np.flatnonzero(off)
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = idx[np.r_[0, breaks + 1]]
    ends = idx[np.r_[breaks, len(idx) - 1]] + 1
    x0 = _date_num(days[starts])
    x1 = _date_num(days[starts]) + (ends - starts)
    verts = np.stack(
        [
            np.stack([x0, np.zeros_like(x0)], -1),
            np.stack([x1, np.zeros_like(x0)], -1),
            np.stack([x1, np.ones_like(x0)], -1),
            np.stack([x0, np.ones_like(x0)], -1),
        ],
        axis=1,
    )
    bands = PolyCollection(
        verts,
        transform=ax.get_xaxis_transform(),
        facecolors=NONWORKING,
        edgecolors="none",
        zorder=0.5,
        gid="nonworking",
    )
    ax.add_collection(bands, autolim=False)


def _task_labels(ax, schedule: Schedule, n: int) -> None:
    if n > _LABELLED_ROWS:
        ax.set_yticks([])
        ax.set_ylabel(f"{n:,} tasks in plan order")
        return
    tasks = schedule.plan.tasks
    labels = []
    for t in tasks:
        name = t.name if t.name and t.name != t.id else ""
        if len(name) > 40:
            name = name[:39] + "…"
        labels.append(f"{t.id}  {name}".rstrip())
    ax.set_yticks(np.arange(n), labels, fontsize=9 if n <= 40 else 7)
    default = mpl.rcParams["ytick.labelcolor"]
    if default == "inherit":
        default = mpl.rcParams["ytick.color"]
    # every label gets its colour, so a redraw (update_gantt) resets the ones no longer critical
    for tick, is_crit in zip(ax.get_yticklabels(), schedule.critical.tolist(), strict=True):
        tick.set_color(CRITICAL if is_crit else default)


def _default_title(schedule: Schedule) -> str:
    plan = schedule.plan
    days = _fmt(schedule.project_duration)
    finish = np.datetime64(schedule.finish_date, "D").astype(dt.date)
    return f"{plan.name}: {days} working days, finishes {finish:%a %d %b %Y}"


def _fmt(x: float) -> str:
    return f"{x:g}"


def _legend(ax, schedule, milestone, with_float, with_links, deadline_x, own_figure) -> None:
    crit = schedule.critical
    handles = []
    if (~crit & ~milestone).any():
        handles.append(Patch(color=NORMAL, label="Task"))
    if (crit & ~milestone).any():
        handles.append(Patch(color=CRITICAL, label="Critical task"))
    if milestone.any():
        handles.append(Line2D([], [], marker="D", linestyle="", color="#444444", label="Milestone"))
    if with_float:
        handles.append(Patch(color=FLOAT, label="Total float"))
    if with_links and len(schedule.plan.network.pred):
        handles.append(Line2D([], [], color=LINK, marker=">", markersize=4, label="Dependency"))
    if deadline_x is not None:
        label = f"Deadline {schedule.plan.deadline:%d %b %Y}"
        handles.append(Line2D([], [], color=DEADLINE, linestyle="--", label=label))
    if own_figure:
        # Below the axes and their tick labels: constrained layout makes room for it.
        ax.figure.legend(
            handles=handles,
            loc="outside lower center",
            ncol=len(handles),
            frameon=False,
            fontsize=9,
        ).set_gid(_LEGEND_GID)
    else:
        # "best" scans every artist's data: fine for a readable chart, slow for thousands.
        loc = "best" if len(schedule.ids) <= _LABELLED_ROWS else "upper right"
        ax.legend(handles=handles, loc=loc, fontsize=8, framealpha=0.9)
