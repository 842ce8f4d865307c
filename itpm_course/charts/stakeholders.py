"""Stakeholder charts: the power/interest grid, the engagement assessment matrix and a RACI table.

Each function returns a :class:`~matplotlib.figure.Figure` that is closed in pyplot at once, so a
notebook shows it once (as the cell's value) and nothing stays in pyplot's state. Artists carry
a ``gid`` so tests can find them: ``"stakeholders"``, ``"highlight"``, ``"quadrant-lines"``,
``"current"``, ``"desired"``, ``"gap-arrows"``, ``"raci-cells"``, ``"raci-problems"``.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from itpm_course.engine.stakeholders import HIGH_FROM, QUADRANTS, Finding, quadrant
from itpm_course.plan.stakeholders import ENGAGEMENT_LEVELS, RaciMatrix, StakeholderRegister

# Okabe-Ito colours, one per quadrant, and one per RACI letter.
QUADRANT_COLOURS = {
    "manage closely": "#D55E00",
    "keep satisfied": "#E69F00",
    "keep informed": "#0072B2",
    "monitor": "#999999",
}
RACI_COLOURS = {
    "A": "#D55E00",
    "AR": "#CC79A7",
    "R": "#0072B2",
    "C": "#56B4E9",
    "I": "#E5E5E5",
    "": "#FFFFFF",
}
PROBLEM = "#B00020"


def _spread(points: list[tuple[float, float]], step: float = 0.2) -> list[tuple[float, float]]:
    """Offset stakeholders that share a cell around it, so every marker stays visible."""
    seen: dict[tuple[float, float], int] = {}
    groups: dict[tuple[float, float], int] = {}
    for p in points:
        groups[p] = groups.get(p, 0) + 1
    out = []
    for p in points:
        k = seen.get(p, 0)
        seen[p] = k + 1
        n = groups[p]
        if n == 1:
            out.append(p)
            continue
        angle = 2 * np.pi * k / n
        radius = step * (1 if n <= 6 else 1.5)
        out.append((p[0] + radius * np.cos(angle), p[1] + radius * np.sin(angle)))
    return out


def _short(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def power_interest_chart(
    register: StakeholderRegister,
    *,
    high_from: float = HIGH_FROM,
    highlight: str | None = None,
    labels: bool = True,
    title: str | None = "Power/interest grid",
) -> Figure:
    """The power/interest grid: interest on x, power on y (1–5), quadrant lines at
    ``high_from``, each stakeholder a dot coloured by quadrant; ``highlight`` rings one id."""
    fig, ax = plt.subplots(figsize=(8, 6.2), layout="constrained")
    plt.close(fig)
    cut = high_from - 0.5
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.axvline(cut, color="#555555", lw=1.2, gid="quadrant-lines")
    ax.axhline(cut, color="#555555", lw=1.2)
    corners = {
        "manage closely": (5.45, 5.45, "right", "top"),
        "keep satisfied": (0.55, 5.45, "left", "top"),
        "keep informed": (5.45, 0.55, "right", "bottom"),
        "monitor": (0.55, 0.55, "left", "bottom"),
    }
    for q, (x, y, ha, va) in corners.items():
        ax.text(x, y, q.upper(), ha=ha, va=va, fontsize=9, color=QUADRANT_COLOURS[q], weight="bold")
    base = [(float(s.interest), float(s.power)) for s in register]
    pts = _spread(base)
    colours = [
        QUADRANT_COLOURS[quadrant(s.power, s.interest, high_from=high_from)] for s in register
    ]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    ax.scatter(
        xs, ys, s=70, c=colours, edgecolors="white", linewidths=0.8, zorder=3, gid="stakeholders"
    )
    if labels:
        for s, (x, y) in zip(register, pts, strict=True):
            ax.annotate(
                s.id,
                (x, y),
                xytext=(5, 3),
                textcoords="offset points",
                fontsize=7.5,
                color="#333333",
                zorder=4,
            )
    if highlight is not None:
        ids = [s.id for s in register]
        if highlight not in ids:
            raise KeyError(f"no stakeholder {highlight!r}; the register has {', '.join(ids)}")
        k = ids.index(highlight)
        ax.scatter(
            [xs[k]],
            [ys[k]],
            s=260,
            facecolors="none",
            edgecolors="black",
            linewidths=2,
            zorder=5,
            gid="highlight",
        )
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel("Interest (1 = very low, 5 = very high)")
    ax.set_ylabel("Power / influence (1 = very low, 5 = very high)")
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.2)
    return fig


def engagement_chart(
    register: StakeholderRegister, *, title: str | None = "Engagement assessment matrix"
) -> Figure:
    """PMBOK's engagement assessment matrix: one row per stakeholder, C (current, hollow) and
    D (desired, filled) on the five levels, an arrow where they differ."""
    n = len(register)
    fig, ax = plt.subplots(figsize=(8, 0.38 * n + 1.6), layout="constrained")
    plt.close(fig)
    y = np.arange(n)[::-1]
    cur = [ENGAGEMENT_LEVELS.index(s.current_engagement) for s in register]
    des = [ENGAGEMENT_LEVELS.index(s.desired_engagement) for s in register]
    for k in range(n):
        if cur[k] != des[k]:
            ax.annotate(
                "",
                xy=(des[k], y[k]),
                xytext=(cur[k], y[k]),
                arrowprops={
                    "arrowstyle": "->",
                    "color": "#0072B2",
                    "lw": 1.4,
                    "shrinkA": 6,
                    "shrinkB": 7,
                },
                gid="gap-arrows",
            )
    ax.scatter(
        cur,
        y,
        s=90,
        facecolors="white",
        edgecolors="#D55E00",
        linewidths=2,
        zorder=3,
        label="C: current",
        gid="current",
    )
    ax.scatter(des, y, s=60, c="#0072B2", zorder=4, label="D: desired", gid="desired")
    ax.set_yticks(y, [s.id for s in register])
    ax.set_xticks(range(len(ENGAGEMENT_LEVELS)), list(ENGAGEMENT_LEVELS))
    ax.set_xlim(-0.5, len(ENGAGEMENT_LEVELS) - 0.5)
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.5, -0.06 if n > 8 else -0.12), ncols=2, frameon=False
    )
    if title:
        ax.set_title(title)
    return fig


def raci_chart(
    raci: RaciMatrix,
    findings: Iterable[Finding] = (),
    *,
    title: str | None = "RACI matrix",
) -> Figure:
    """The RACI as a coloured table (A dark orange, R blue, C light blue, I grey); rows of
    deliverables with an error finding get a red frame and a red label."""
    nd, nr = len(raci.deliverables), len(raci.roles)
    fig, ax = plt.subplots(figsize=(max(6, 0.62 * nr + 3.2), 0.36 * nd + 2.0), layout="constrained")
    plt.close(fig)
    colours = np.array(
        [[RACI_COLOURS[raci.cell(d, r)] for r in raci.roles] for d in raci.deliverables],
        dtype=object,
    )
    from matplotlib.colors import to_rgb  # noqa: PLC0415

    rgb = (
        np.array([[to_rgb(c) for c in row] for row in colours])
        if nd and nr
        else np.zeros((0, 0, 3))
    )
    image = ax.imshow(rgb, aspect="auto", interpolation="nearest")
    image.set_gid("raci-cells")
    for i, d in enumerate(raci.deliverables):
        for j, r in enumerate(raci.roles):
            letters = raci.cell(d, r)
            if letters:
                dark = letters in ("A", "AR", "R")
                ax.text(
                    j,
                    i,
                    letters,
                    ha="center",
                    va="center",
                    fontsize=8,
                    weight="bold",
                    color="white" if dark else "#222222",
                )
    bad_rows = sorted(
        {
            raci.deliverables.index(f.task)
            for f in findings
            if f.severity == "error" and f.task in raci.deliverables
        }
    )
    if bad_rows:
        from matplotlib.collections import PatchCollection  # noqa: PLC0415
        from matplotlib.patches import Rectangle  # noqa: PLC0415

        boxes = [Rectangle((-0.5, i - 0.5), nr, 1) for i in bad_rows]
        ax.add_collection(
            PatchCollection(
                boxes,
                facecolor="none",
                edgecolor=PROBLEM,
                linewidth=2.5,
                zorder=5,
                gid="raci-problems",
            )
        )
    ax.set_xticks(range(nr), list(raci.roles), rotation=40, ha="right")
    ax.xaxis.tick_top()
    plt.setp(ax.get_xticklabels(), rotation=40, ha="left")
    labels = [_short(f"{d} {raci.names[d]}") if raci.names.get(d) else d for d in raci.deliverables]
    ax.set_yticks(range(nd), labels)
    for i in bad_rows:
        ax.get_yticklabels()[i].set_color(PROBLEM)
    ax.set_xticks(np.arange(-0.5, nr, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, nd, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    if title:
        ax.set_title(title)
    return fig


__all__ = [
    "QUADRANTS",
    "QUADRANT_COLOURS",
    "RACI_COLOURS",
    "engagement_chart",
    "power_interest_chart",
    "raci_chart",
]
