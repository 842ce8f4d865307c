"""Charts of a Monte Carlo :class:`~itpm_course.engine.montecarlo.SimulationResult`.

* :func:`finish_histogram`: the distribution of the project duration with P50/P80/P90 markers
  and the deterministic (most likely) CPM finish;
* :func:`s_curve`: cumulative probability of finishing by each duration;
* :func:`tornado_chart`: the tasks whose durations drive the finish (Spearman sensitivity);
* :func:`criticality_chart`: how often each task is on the critical path.

Each function draws into ``ax`` when given (the caller owns the figure, as a widget does) or
makes a new figure through pyplot and closes it at once, so a notebook shows it exactly once.
Artists carry a ``gid`` for tests and callers: ``"histogram"``, ``"P50"``/``"P80"``/``"P90"``,
``"deterministic"``, ``"deadline"``, ``"s-curve"``, ``"tornado"``, ``"criticality"``.
All durations are working days.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from itpm_course.charts._axes import axes_or_new

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from itpm_course.engine.montecarlo import SimulationResult

# Okabe-Ito colours, as in the Gantt chart
BARS = "#56B4E9"
CURVE = "#0072B2"
DETERMINISTIC = "#000000"
DEADLINE = "#7B2D8E"
MARKERS = {50: "#009E73", 80: "#E69F00", 90: "#D55E00"}
POSITIVE = "#D55E00"
NEGATIVE = "#0072B2"


def _bins(finish: np.ndarray) -> np.ndarray:
    lo, hi = float(finish.min()), float(finish.max())
    if hi - lo < 1e-9:  # every iteration finished on the same day
        return np.array([lo - 0.5, lo + 0.5])
    return np.linspace(lo, hi, int(np.clip(np.sqrt(len(finish)), 10, 60)) + 1)


def finish_histogram(
    result: SimulationResult,
    deadline: float | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Histogram of the simulated project duration with P50/P80/P90 and the CPM finish marked."""
    fig, ax = axes_or_new(ax, (8, 4))
    counts, edges = np.histogram(result.finish, bins=_bins(result.finish))
    share = counts / len(result.finish)
    ax.stairs(share, edges, fill=True, color=BARS, alpha=0.85, gid="histogram", label="iterations")
    top = float(share.max()) if len(share) else 1.0
    for q, colour in MARKERS.items():
        x = result.percentile(q)
        ax.axvline(x, color=colour, lw=2, gid=f"P{q}", label=f"P{q} = {x:.1f}")
    det = result.deterministic_duration
    ax.axvline(
        det, color=DETERMINISTIC, lw=1.5, ls="--", gid="deterministic",
        label=f"most likely plan (CPM) = {det:g}",
    )  # fmt: skip
    if deadline is not None:
        p = result.probability_on_time(deadline)
        ax.axvline(
            deadline, color=DEADLINE, lw=2, ls=":", gid="deadline",
            label=f"deadline {deadline:g}: {p:.0%} on time",
        )  # fmt: skip
    ax.set_ylim(0, top * 1.15)
    ax.set_xlabel("project duration (working days)")
    ax.set_ylabel("share of iterations")
    ax.set_title(title or f"Finish distribution ({result.iterations:,} iterations)")
    ax.legend(loc="upper right", fontsize="small", framealpha=0.9)
    ax.grid(axis="y", alpha=0.3)
    return fig


def s_curve(
    result: SimulationResult,
    deadline: float | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Cumulative probability of finishing within each duration (the "S-curve")."""
    fig, ax = axes_or_new(ax, (8, 4))
    x = np.sort(result.finish)
    y = np.arange(1, len(x) + 1) / len(x)
    if len(x) > 2000:  # thin the line: the eye cannot see more points, and drawing is faster
        keep = np.unique(np.linspace(0, len(x) - 1, 2000).astype(int))
        x, y = x[keep], y[keep]
    ax.plot(x, y, color=CURVE, lw=2, gid="s-curve", label="P(finish ≤ duration)")
    for q, colour in MARKERS.items():
        v = result.percentile(q)
        ax.plot([v, v], [0, q / 100], color=colour, lw=1.2, ls="--", gid=f"P{q}")
        ax.plot([x[0], v], [q / 100, q / 100], color=colour, lw=1.2, ls="--")
        ax.annotate(f"P{q} = {v:.1f} days", (x[0], q / 100), xytext=(2, 3),
                    textcoords="offset points", color=colour, fontsize="small")  # fmt: skip
    det = result.deterministic_duration
    ax.axvline(det, color=DETERMINISTIC, lw=1.5, ls="--", gid="deterministic",
               label=f"most likely plan = {det:g} ({result.probability_on_time(det):.0%})")  # fmt: skip
    if deadline is not None:
        p = result.probability_on_time(deadline)
        ax.axvline(deadline, color=DEADLINE, lw=2, ls=":", gid="deadline",
                   label=f"deadline {deadline:g}: {p:.0%}")  # fmt: skip
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_xlabel("project duration (working days)")
    ax.set_ylabel("probability of finishing by then")
    ax.set_title(title or "S-curve: confidence for each finish")
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    ax.grid(alpha=0.3)
    return fig


def _labels(result: SimulationResult, idx: np.ndarray) -> list[str]:
    tasks = result.plan.tasks
    out = []
    for k in idx:
        t = tasks[k]
        name = t.name if t.name and t.name != t.id else ""
        if len(name) > 28:
            name = name[:27] + "…"
        out.append(f"{t.id} {name}".strip())
    return out


def tornado_chart(
    result: SimulationResult, top: int = 10, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Tasks ranked by |Spearman rank correlation| of their duration with the finish."""
    sens = np.asarray(result.sensitivity)
    idx = np.argsort(-np.abs(sens), kind="stable")[:top]
    idx = idx[np.abs(sens[idx]) > 0] if np.any(np.abs(sens[idx]) > 0) else idx[:0]
    fig, ax = axes_or_new(ax, (8, 0.8 + 0.38 * max(len(idx), 1)))
    y = np.arange(len(idx))
    values = sens[idx]
    colours = [POSITIVE if v >= 0 else NEGATIVE for v in values]
    ax.barh(y, values, color=colours, height=0.6, gid="tornado")
    for yi, v in zip(y, values, strict=True):
        ax.annotate(f"{v:+.2f}", (v, yi), xytext=(4 if v >= 0 else -4, 0),
                    textcoords="offset points", va="center", ha="left" if v >= 0 else "right",
                    fontsize="small")  # fmt: skip
    ax.set_yticks(y, _labels(result, idx))
    ax.invert_yaxis()
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlim(-1.05 if np.any(values < 0) else 0, 1.05)
    ax.set_xlabel("rank correlation with the project duration (Spearman)")
    ax.set_title(title or "Tornado: which task durations drive the finish")
    ax.grid(axis="x", alpha=0.3)
    if not len(idx):
        ax.text(0.5, 0.5, "no task duration varies", transform=ax.transAxes, ha="center")
    return fig


def criticality_chart(
    result: SimulationResult, top: int = 15, *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Criticality index: share of iterations in which each task is on the critical path."""
    crit = np.asarray(result.criticality)
    idx = np.argsort(-crit, kind="stable")[:top]
    fig, ax = axes_or_new(ax, (8, 0.8 + 0.38 * max(len(idx), 1)))
    y = np.arange(len(idx))
    ax.barh(y, crit[idx], color=POSITIVE, height=0.6, gid="criticality")
    for yi, v in zip(y, crit[idx], strict=True):
        ax.annotate(f"{v:.0%}", (v, yi), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize="small")  # fmt: skip
    ax.set_yticks(y, _labels(result, idx))
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.set_xlabel("share of iterations in which the task is critical")
    ax.set_title(title or "Criticality index")
    ax.grid(axis="x", alpha=0.3)
    return fig
