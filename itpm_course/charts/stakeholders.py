"""Stakeholder charts: the power/interest grid, the engagement assessment matrix and a RACI table.

Each function returns a :class:`~matplotlib.figure.Figure` that is closed in pyplot at once, so a
notebook shows it once (as the cell's value) and nothing stays in pyplot's state. Artists carry
a ``gid`` so tests can find them: ``"stakeholders"``, ``"stakeholder-labels"``, ``"highlight"``,
``"quadrant-lines"`` (vertical, then horizontal), ``"current"``, ``"desired"``, ``"gap-arrows"``,
``"raci-cells"``, ``"raci-letters"``, ``"raci-problems"``. :func:`update_power_interest` and
:func:`update_raci` redraw a chart in place for live widgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from itpm_course.charts._axes import axes_or_new
from itpm_course.engine.stakeholders import HIGH_FROM, QUADRANTS, Finding, quadrant
from itpm_course.plan.stakeholders import ENGAGEMENT_LEVELS, RaciMatrix, StakeholderRegister

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

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


def _grid_points(register: StakeholderRegister, high_from: float, highlight: str | None):
    """Marker positions (spread within shared cells), quadrant colours, highlighted index."""
    pts = _spread([(float(s.interest), float(s.power)) for s in register])
    colours = [
        QUADRANT_COLOURS[quadrant(s.power, s.interest, high_from=high_from)] for s in register
    ]
    k = None
    if highlight is not None:
        ids = [s.id for s in register]
        if highlight not in ids:
            raise KeyError(f"no stakeholder {highlight!r}; the register has {', '.join(ids)}")
        k = ids.index(highlight)
    return pts, colours, k


def power_interest_chart(
    register: StakeholderRegister,
    *,
    high_from: float = HIGH_FROM,
    highlight: str | None = None,
    labels: bool = True,
    title: str | None = "Power/interest grid",
    ax: Axes | None = None,
) -> Figure:
    """The power/interest grid: interest on x, power on y (1–5), quadrant lines at
    ``high_from``, each stakeholder a dot coloured by quadrant; ``highlight`` rings one id.
    ``ax``: draw into these axes (the caller owns the figure)."""
    pts, colours, k = _grid_points(register, high_from, highlight)
    fig, ax = axes_or_new(ax, (8, 6.2))
    cut = high_from - 0.5
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.axvline(cut, color="#555555", lw=1.2, gid="quadrant-lines")
    ax.axhline(cut, color="#555555", lw=1.2, gid="quadrant-lines")
    corners = {
        "manage closely": (5.45, 5.45, "right", "top"),
        "keep satisfied": (0.55, 5.45, "left", "top"),
        "keep informed": (5.45, 0.55, "right", "bottom"),
        "monitor": (0.55, 0.55, "left", "bottom"),
    }
    for q, (x, y, ha, va) in corners.items():
        ax.text(x, y, q.upper(), ha=ha, va=va, fontsize=9, color=QUADRANT_COLOURS[q], weight="bold")
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
                gid="stakeholder-labels",
            )
    if k is not None:
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


def update_power_interest(
    ax: Axes,
    register: StakeholderRegister,
    *,
    high_from: float = HIGH_FROM,
    highlight: str | None = None,
) -> list[Artist] | None:
    """Move the grid that :func:`power_interest_chart` drew into ``ax`` to new ratings, a new
    ``high_from`` or another highlighted stakeholder, in place (for live widgets).

    Returns the artists that changed, or None when the grid cannot be updated in place (a
    different number of stakeholders, labels or highlight than when it was drawn); then
    draw it again.
    """
    pts, colours, k = _grid_points(register, high_from, highlight)
    found: dict[str, list] = {}
    for artist in ax.get_children():
        found.setdefault(artist.get_gid(), []).append(artist)
    (points,) = found.get("stakeholders", [None])
    rings = found.get("highlight", [])
    notes = [t for t in ax.texts if t.get_gid() == "stakeholder-labels"]
    lines = found.get("quadrant-lines", [])
    if (
        points is None
        or len(points.get_offsets()) != len(pts)
        or len(rings) != (k is not None)
        or len(notes) not in (0, len(pts))
        or len(lines) != 2
    ):
        return None
    points.set_offsets(pts)
    points.set_facecolors(colours)
    for note, xy, s in zip(notes, pts, register, strict=False):
        note.xy = xy
        note.set_text(s.id)
    if rings:
        rings[0].set_offsets([pts[k]])
    cut = high_from - 0.5
    lines[0].set_xdata([cut, cut])
    lines[1].set_ydata([cut, cut])
    return [points, *notes, *rings, *lines]


def engagement_chart(
    register: StakeholderRegister, *, title: str | None = "Engagement assessment matrix"
) -> Figure:
    """PMBOK's engagement assessment matrix: one row per stakeholder, C (current, hollow) and
    D (desired, filled) on the five levels, an arrow where they differ."""
    n = len(register)
    fig, ax = axes_or_new(None, (8, 0.38 * n + 1.6))
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
    ax: Axes | None = None,
) -> Figure:
    """The RACI as a coloured table (A dark orange, R blue, C light blue, I grey); rows of
    deliverables with an error finding get a red frame and a red label. ``ax``: draw into
    these axes (the caller owns the figure)."""
    nd, nr = len(raci.deliverables), len(raci.roles)
    fig, ax = axes_or_new(ax, (max(6, 0.62 * nr + 3.2), 0.36 * nd + 2.0))
    image = ax.imshow(_raci_rgb(raci), aspect="auto", interpolation="nearest")
    image.set_gid("raci-cells")
    _raci_letters(ax, raci)
    bad_rows = _raci_problems(ax, raci, findings)
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


def update_raci(ax: Axes, raci: RaciMatrix, findings: Iterable[Finding] = ()) -> bool:
    """Show new cells and findings in the table :func:`raci_chart` drew into ``ax``, in place
    (for live widgets). False when the deliverables or roles differ from the drawn ones
    (then draw it again)."""
    images = [a for a in ax.get_images() if a.get_gid() == "raci-cells"]
    labels = ax.get_yticklabels()
    nd, nr = len(raci.deliverables), len(raci.roles)
    if len(images) != 1 or images[0].get_array().shape[:2] != (nd, nr) or len(labels) != nd:
        return False
    images[0].set_data(_raci_rgb(raci))
    # letters: change the texts of changed cells only (a table has a hundred of them)
    texts = {t.get_position(): t for t in ax.texts if t.get_gid() == "raci-letters"}
    for i, d in enumerate(raci.deliverables):
        for j, r in enumerate(raci.roles):
            letters = raci.cell(d, r)
            text = texts.pop((j, i), None)
            if text is not None and not letters:
                text.remove()
            elif text is None and letters:
                _raci_letter(ax, i, j, letters)
            elif text is not None and text.get_text() != letters:
                text.set_text(letters)
                text.set_color(_letter_colour(letters))
    for artist in [a for a in ax.get_children() if a.get_gid() == "raci-problems"]:
        artist.remove()
    bad = set(_raci_problems(ax, raci, findings))
    default = plt.rcParams["ytick.labelcolor"]
    if default == "inherit":
        default = plt.rcParams["ytick.color"]
    for i, label in enumerate(labels):
        label.set_color(PROBLEM if i in bad else default)
    return True


def _raci_rgb(raci: RaciMatrix) -> np.ndarray:
    from matplotlib.colors import to_rgb  # noqa: PLC0415

    if not (raci.deliverables and raci.roles):
        return np.zeros((0, 0, 3))
    return np.array(
        [[to_rgb(RACI_COLOURS[raci.cell(d, r)]) for r in raci.roles] for d in raci.deliverables]
    )


def _raci_letters(ax: Axes, raci: RaciMatrix) -> None:
    for i, d in enumerate(raci.deliverables):
        for j, r in enumerate(raci.roles):
            letters = raci.cell(d, r)
            if letters:
                _raci_letter(ax, i, j, letters)


def _letter_colour(letters: str) -> str:
    return "white" if letters in ("A", "AR", "R") else "#222222"


def _raci_letter(ax: Axes, i: int, j: int, letters: str) -> None:
    ax.text(
        j,
        i,
        letters,
        ha="center",
        va="center",
        fontsize=8,
        weight="bold",
        color=_letter_colour(letters),
        gid="raci-letters",
    )


def _raci_problems(ax: Axes, raci: RaciMatrix, findings: Iterable[Finding]) -> list[int]:
    """Red frames around the rows of deliverables with an error finding; their indices."""
    nr = len(raci.roles)
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
    return bad_rows


__all__ = [
    "QUADRANTS",
    "QUADRANT_COLOURS",
    "RACI_COLOURS",
    "engagement_chart",
    "power_interest_chart",
    "raci_chart",
    "update_power_interest",
    "update_raci",
]
