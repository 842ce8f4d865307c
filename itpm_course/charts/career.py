"""Career charts: the stage timeline (with the learner placed on it) and the skills-gap bars.

* :func:`career_timeline_chart`: the guide's four experience stages as bands on a years axis,
  their typical roles, the 3-7 year window to a first IT Project Manager role and, given a
  :func:`~itpm_course.engine.career.career_report`, where the learner stands and the expected
  year of a first IT PM role.
* :func:`skills_gap_chart`: one row per skill from
  :func:`~itpm_course.engine.skills.assess_skills`: the rating as a blue bar, the gap up to the
  target as a segment coloured by priority, the target as a tick.

Both return a :class:`matplotlib.figure.Figure` (made through pyplot and closed at once, so a
notebook shows it exactly once) or draw into ``ax`` when given. Artists carry a ``gid``:
timeline ``"stage-bands"``, ``"timeline-window"``, ``"you"``, ``"first-pm-role"``;
gap chart ``"rating-bars"``, ``"gap-bars"``, ``"targets"``.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from itpm_course.content import load_stages, load_timeline

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe-Ito palette (colour-blind friendly), light tints for the stage bands.
STAGE_COLOURS = {
    "foundation": "#CFE3F1",
    "entry": "#D9EFE4",
    "mid": "#FBE8C2",
    "senior": "#F3D3C4",
}
YOU = "#D55E00"
WINDOW = "#0072B2"
PRIORITY_COLOURS = {"high": "#D55E00", "medium": "#E69F00", "low": "#F0E442"}
RATING = "#0072B2"
_OPEN_END = 3.0  # how far the open-ended "7+" band is drawn beyond its start, in years


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    plt.close(fig)
    return fig, ax


def career_timeline_chart(
    report: dict[str, Any] | None = None,
    *,
    years_it: float | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The four stages as bands over years of IT career, optionally with the learner placed on it.

    ``report`` is the dict from ``career_report`` (stage, next, timeline); ``years_it`` places the
    learner's marker (years in IT) — without it the marker sits at the start of their stage.
    """
    stages = load_stages()
    timeline = load_timeline()
    last_start = float(stages["years_min"].iloc[-1])
    right = last_start + _OPEN_END
    if years_it is not None:
        right = max(right, float(years_it) + 1.0)
    fig, ax = _new_axes(ax, (9.5, 3.6))

    bands = []
    for row in stages.itertuples():
        x0 = float(row.years_min)
        x1 = right if math.isnan(row.years_max) else float(row.years_max)
        current = report is not None and report["stage"]["stage"] == row.id
        bands.append(
            ax.barh(
                1.0,
                x1 - x0,
                left=x0,
                height=0.9,
                color=STAGE_COLOURS.get(row.id, "#EEEEEE"),
                edgecolor=YOU if current else "white",
                linewidth=2.5 if current else 1.0,
                zorder=1,
            )
        )
        span = f"{x0:g}-{x1:g} yrs" if not math.isnan(row.years_max) else f"{x0:g}+ yrs"
        roles = "\n".join(textwrap.fill(r, 18) for r in row.typical_roles)
        ax.text(
            (x0 + x1) / 2,
            1.38,
            f"{row.name}\n{span}",
            ha="center",
            va="top",
            fontsize=9,
            fontweight="bold",
            zorder=3,
        )
        ax.text((x0 + x1) / 2, 0.98, roles, ha="center", va="top", fontsize=7.5, zorder=3)
    for container in bands:
        for patch in container.patches:
            patch.set_gid("stage-bands")

    lo, hi = float(timeline["years_min"]), float(timeline["years_max"])
    window = ax.barh(
        0.25, hi - lo, left=lo, height=0.22, color=WINDOW, alpha=0.35, zorder=2, label=None
    )
    for patch in window.patches:
        patch.set_gid("timeline-window")
    ax.text(
        lo - 0.1,
        0.25,
        f"first {timeline['target_role']} role: {lo:g}-{hi:g} years",
        ha="right",
        va="center",
        fontsize=8,
        color=WINDOW,
    )

    handles = [Patch(color=WINDOW, alpha=0.35, label="guide's 3-7 year window")]
    if report is not None:
        t = report["timeline"]
        expected = float(t["expected_years"])
        (first,) = ax.plot(
            [expected],
            [0.25],
            marker="D",
            markersize=9,
            color=WINDOW,
            linestyle="none",
            zorder=4,
            gid="first-pm-role",
        )
        handles.append(first)
        first.set_label(f"expected first IT PM role (year {expected:g}, course model)")
        stage = report["stage"]
        x = float(years_it) if years_it is not None else float(stage["years_min"])
        (you,) = ax.plot(
            [x, x],
            [0.05, 1.45],
            color=YOU,
            linewidth=2.5,
            zorder=5,
            gid="you",
            label=f"you: {stage['stage_name']}",
        )
        handles.append(you)
    ax.set_xlim(0, right)
    ax.set_ylim(0.0, 1.5)
    ax.set_yticks([])
    ax.set_xlabel("years of IT career")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8)
    ax.set_title(title or "Career stages of an IT project manager", loc="left", fontsize=11)
    return fig


def skills_gap_chart(
    assessment: pd.DataFrame,
    *,
    top: int | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Horizontal bars per skill: rating, then the gap to the target coloured by priority; worst first.

    ``assessment`` is the DataFrame from ``assess_skills``; ``top`` keeps only its first rows
    (the engine sorts them by priority, then gap). Ratings use the 0-5 scale.
    """
    required = {"name", "rating", "target", "gap", "priority"}
    if not required <= set(assessment.columns):
        raise ValueError(
            "assessment: expected the DataFrame from assess_skills() with columns "
            + ", ".join(sorted(required))
        )
    rows = assessment if top is None else assessment.head(top)
    n = len(rows)
    fig, ax = _new_axes(ax, (8.5, max(2.6, 0.3 * n + 1.6)))
    y = list(range(n))[::-1]  # first row at the top
    rating, target, gap = rows["rating"], rows["target"], rows["gap"]
    ratings = ax.barh(y, rating, height=0.6, color=RATING, zorder=2)
    for patch in ratings.patches:
        patch.set_gid("rating-bars")
    colours = [PRIORITY_COLOURS.get(p, "#999999") for p in rows["priority"]]
    gaps = ax.barh(y, gap, left=rating, height=0.6, color=colours, alpha=0.85, zorder=2)
    for patch in gaps.patches:
        patch.set_gid("gap-bars")
    ax.scatter(target, y, marker="|", s=260, color="#222222", linewidths=2, zorder=3, gid="targets")
    for yi, g, t in zip(y, gap, target, strict=True):
        if g > 0:
            ax.text(t + 0.1, yi, f"gap {g:g}", va="center", fontsize=7.5, color="#444444")
    ax.set_yticks(y, [textwrap.shorten(str(s), 42, placeholder="…") for s in rows["name"]])
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(0, 5.9)
    ax.set_xticks(range(6))
    ax.set_xlabel("0 none · 1 aware · 2 with help · 3 on my own · 4 lead and coach · 5 expert")
    ax.grid(axis="x", color="#EEEEEE", zorder=0)
    ax.set_axisbelow(True)
    present = [p for p in ("high", "medium", "low") if p in set(rows["priority"])]
    handles = [
        Patch(color=RATING, label="your rating"),
        Line2D(
            [], [], marker="|", markersize=12, color="#222222", linestyle="none", label="target"
        ),
    ] + [Patch(color=PRIORITY_COLOURS[p], alpha=0.85, label=f"gap, {p} priority") for p in present]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.4, -0.9 / max(n, 4) - 0.04),
        ncol=len(handles),
        fontsize=7.5,
        frameon=False,
    )
    ax.set_title(title or "Your skills against the target", loc="left", fontsize=11)
    return fig
