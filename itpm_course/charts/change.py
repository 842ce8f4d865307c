"""Charts for change control and closure: before/after Gantt, finish shift, plan vs actual.

Each function returns a matplotlib Figure (closed in pyplot, shown once as a cell's value) or
draws into the axes it is given. Artists carry a ``gid`` for tests: ``"finish-before"``,
``"finish-after"``, ``"p80-before"``, ``"p80-after"``, ``"deadline"``, ``"planned"``,
``"actual"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.ticker import FuncFormatter, PercentFormatter

from itpm_course.charts._axes import axes_or_new
from itpm_course.charts.gantt import gantt_chart

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from itpm_course.engine.change import ChangeImpact

BEFORE = "#0072B2"  # Okabe-Ito blue
AFTER = "#D55E00"  # vermilion
DEADLINE = "#7B2D8E"


def change_gantt(impact: ChangeImpact, *, dates: bool = False) -> Figure:
    """Two Gantt charts on one time axis: the baseline above, the plan with the change below."""
    import matplotlib.pyplot as plt  # noqa: PLC0415

    n = max(len(impact.baseline), len(impact.plan))
    height = max(3.0, 0.3 * n + 1.4)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(11, 2 * height), sharex=True, layout="constrained"
    )
    plt.close(fig)
    gantt_chart(
        impact.schedule_before,
        ax=top,
        dates=dates,
        title=f"Baseline: finish day {impact.baseline_duration:g}",
    )
    gantt_chart(
        impact.schedule_after,
        ax=bottom,
        dates=dates,
        title=(
            f"With {impact.change.id}: finish day {impact.new_duration:g} "
            f"({impact.delta_duration:+g} days)"
        ),
    )
    return fig


def finish_shift_chart(impact: ChangeImpact, *, ax: Axes | None = None) -> Figure:
    """The simulated finish before and after the change as S-curves, with P80s and deadline."""
    fig, ax = axes_or_new(ax, (9.0, 4.2))
    for sim, colour, label, gid in (
        (impact.simulation_before, BEFORE, "baseline", "before"),
        (impact.simulation_after, AFTER, f"with {impact.change.id}", "after"),
    ):
        x = np.sort(sim.finish)
        y = np.arange(1, len(x) + 1) / len(x)
        ax.step(x, y, where="post", color=colour, lw=2, label=label, gid=f"finish-{gid}")
        p80 = sim.percentile(80)
        ax.plot([p80, p80], [0, 0.8], color=colour, ls=":", lw=1.5, gid=f"p80-{gid}")
        ax.annotate(
            f"P80 {p80:.1f}",
            (p80, 0.8),
            textcoords="offset points",
            xytext=(4, 4 if gid == "before" else -14),
            color=colour,
            fontsize=9,
        )
    ax.axhline(0.8, color="#9AA5B1", lw=0.8, ls="--")
    if impact.deadline_days is not None:
        ax.axvline(impact.deadline_days, color=DEADLINE, lw=1.5, gid="deadline", label="deadline")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("project duration (working days)")
    ax.set_ylabel("probability of finishing by then")
    ax.set_title(f"{impact.change.id}: how the finish distribution shifts")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return fig


def plan_vs_actual_chart(table: pd.DataFrame, *, include_total: bool = False) -> Figure:
    """Planned vs actual working days and cost per phase (a table from ``plan_vs_actual``)."""
    import matplotlib.pyplot as plt  # noqa: PLC0415

    rows = table if include_total else table.drop(index="total", errors="ignore")
    labels = [
        name if name.startswith("WBS") or code == "total" else f"{code} {name}"
        for code, name in zip(rows.index, rows["name"], strict=True)
    ]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    plt.close(fig)
    y = np.arange(len(rows))
    h = 0.38
    for ax, planned, actual, title, money in (
        (left, "planned_days", "actual_days", "Duration (working days)", False),
        (right, "planned_cost", "actual_cost", "Cost", True),
    ):
        ax.barh(y - h / 2, rows[planned], h, color=BEFORE, label="planned", gid="planned")
        ax.barh(y + h / 2, rows[actual], h, color=AFTER, label="actual", gid="actual")
        for k, (p, a) in enumerate(zip(rows[planned], rows[actual], strict=True)):
            diff = p - a
            text = f"{diff:+,.0f}" if money else f"{diff:+g} d"
            colour = "#2e7d32" if diff >= 0 else "#c62828"
            ax.annotate(
                text,
                (max(p, a), k),
                textcoords="offset points",
                xytext=(4, -4),
                color=colour,
                fontsize=9,
            )
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_title(title)
        ax.grid(axis="x", alpha=0.3)
        ax.margins(x=0.18)
        if money:
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / 1000:,.0f}k"))
    left.legend(loc="lower right")
    fig.suptitle("Plan vs actual by phase (labels: planned − actual; negative is an overrun)")
    return fig
