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
gap chart ``"rating-bars"``, ``"gap-bars"``, ``"targets"``, ``"gap-labels"``.
:func:`update_career_timeline` and :func:`update_skills_gap` redraw a chart in place for live
widgets.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from itpm_course.charts._axes import axes_or_new
from itpm_course.content import load_stages, load_timeline

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.artist import Artist
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
    right = _timeline_right(stages, years_it)
    fig, ax = axes_or_new(ax, (9.5, 3.6))

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
        expected = float(report["timeline"]["expected_years"])
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
        first.set_label(_first_label(expected))
        stage = report["stage"]
        x = _you_x(report, years_it)
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


def update_career_timeline(
    ax: Axes, report: dict[str, Any], *, years_it: float | None = None
) -> list[Artist] | None:
    """Place the learner anew on the timeline :func:`career_timeline_chart` drew into ``ax``
    with a report, in place (for live widgets): the current stage's frame, the "you" line,
    the expected first IT PM role and the legend.

    Returns the marker artists and the legend (what moves), or None when the chart cannot be
    updated in place (it was drawn without a report, or the years axis would change).
    """
    stages = load_stages()
    found: dict[str, list] = {}
    for artist in ax.get_children():
        found.setdefault(artist.get_gid(), []).append(artist)
    bands = found.get("stage-bands", [])
    legend = ax.get_legend()
    if (
        len(found.get("you", [])) != 1
        or len(found.get("first-pm-role", [])) != 1
        or len(bands) != len(stages)
        or legend is None
        or len(legend.texts) != 3
        or ax.get_xlim()[1] != _timeline_right(stages, years_it)
    ):
        return None
    current = report["stage"]["stage"]
    for band, stage_id in zip(bands, stages["id"], strict=True):
        band.set_edgecolor(YOU if stage_id == current else "white")
        band.set_linewidth(2.5 if stage_id == current else 1.0)
    expected = float(report["timeline"]["expected_years"])
    (first,) = found["first-pm-role"]
    first.set_xdata([expected])
    first.set_label(_first_label(expected))
    (you,) = found["you"]
    x = _you_x(report, years_it)
    you.set_xdata([x, x])
    you.set_label(f"you: {report['stage']['stage_name']}")
    legend.texts[1].set_text(first.get_label())
    legend.texts[2].set_text(you.get_label())
    return [first, you, legend]


def _timeline_right(stages, years_it: float | None) -> float:
    right = float(stages["years_min"].iloc[-1]) + _OPEN_END
    if years_it is not None:
        right = max(right, float(years_it) + 1.0)
    return right


def _first_label(expected: float) -> str:
    return f"expected first IT PM role (year {expected:g}, course model)"


def _you_x(report: dict[str, Any], years_it: float | None) -> float:
    return float(years_it) if years_it is not None else float(report["stage"]["years_min"])


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
    fig, ax = axes_or_new(ax, (8.5, max(2.6, 0.3 * n + 1.6)))
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
    _gap_labels(ax, rows, y)
    ax.set_yticks(y, _skill_labels(rows))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(0, 5.9)
    ax.set_xticks(range(6))
    ax.set_xlabel("0 none · 1 aware · 2 with help · 3 on my own · 4 lead and coach · 5 expert")
    ax.grid(axis="x", color="#EEEEEE", zorder=0)
    ax.set_axisbelow(True)
    _gap_legend(ax, rows)
    ax.set_title(title or "Your skills against the target", loc="left", fontsize=11)
    return fig


def update_skills_gap(
    ax: Axes, assessment: pd.DataFrame, *, top: int | None = None, title: str | None = None
) -> list[Artist] | None:
    """Show a new assessment in the chart :func:`skills_gap_chart` drew into ``ax``, in place
    (for live widgets): bar lengths, priority colours, targets, gap labels, skill names,
    legend and title. Returns the artists that moved (bars, targets, gap labels, legend,
    title; the skill names are tick labels), or None when the number of rows differs (then
    draw it again)."""
    rows = assessment if top is None else assessment.head(top)
    n = len(rows)
    ratings = [p for p in ax.patches if p.get_gid() == "rating-bars"]
    gaps = [p for p in ax.patches if p.get_gid() == "gap-bars"]
    targets = [c for c in ax.collections if c.get_gid() == "targets"]
    if len(ratings) != n or len(gaps) != n or len(targets) != 1:
        return None
    y = list(range(n))[::-1]
    rating, target, gap = rows["rating"], rows["target"], rows["gap"]
    for bar, g, r, p in zip(gaps, gap, rating, rows["priority"], strict=True):
        bar.set_x(r)
        bar.set_width(g)
        bar.set_facecolor(PRIORITY_COLOURS.get(p, "#999999"))
    for bar, r in zip(ratings, rating, strict=True):
        bar.set_width(r)
    targets[0].set_offsets(list(zip(target, y, strict=True)))
    for text in [t for t in ax.texts if t.get_gid() == "gap-labels"]:
        text.remove()
    labels = _gap_labels(ax, rows, y)
    names = _skill_labels(rows)
    if [t.get_text() for t in ax.get_yticklabels()] != names:
        ax.set_yticks(y, names)
    legend = _gap_legend(ax, rows)
    ax.set_title(title or "Your skills against the target", loc="left", fontsize=11)
    return [*ratings, *gaps, *targets, *labels, legend, ax.title]


def _skill_labels(rows) -> list[str]:
    return [textwrap.shorten(str(s), 42, placeholder="…") for s in rows["name"]]


def _gap_labels(ax: Axes, rows, y) -> list:
    return [
        ax.text(t + 0.1, yi, f"gap {g:g}", va="center", fontsize=7.5, color="#444444",
                gid="gap-labels")
        for yi, g, t in zip(y, rows["gap"], rows["target"], strict=True)
        if g > 0
    ]  # fmt: skip


def _gap_legend(ax: Axes, rows):
    n = len(rows)
    present = [p for p in ("high", "medium", "low") if p in set(rows["priority"])]
    handles = [
        Patch(color=RATING, label="your rating"),
        Line2D(
            [], [], marker="|", markersize=12, color="#222222", linestyle="none", label="target"
        ),
    ] + [Patch(color=PRIORITY_COLOURS[p], alpha=0.85, label=f"gap, {p} priority") for p in present]
    return ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.4, -0.9 / max(n, 4) - 0.04),
        ncol=len(handles),
        fontsize=7.5,
        frameon=False,
    )
