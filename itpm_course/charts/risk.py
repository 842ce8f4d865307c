"""Risk charts from a scored register (:func:`itpm_course.engine.risk.score_register`).

* :func:`risk_heatmap`: the probability–impact grid coloured by zone, with each risk's id in its
  cell (opportunities in blue, threats in black).
* :func:`emv_waterfall`: each risk's EMV as a step from zero to the net total.

Both return a :class:`matplotlib.figure.Figure` that is not registered with pyplot, or draw
into ``ax`` when given; :func:`update_risk_heatmap` and :func:`update_emv_waterfall` move a
drawn chart to a new scored register in place (for live widgets), so that it looks as the
chart function would draw it. Artists carry a ``gid`` so tests and callers can find them:
heat map ``"cells"``, ``"cell-scores"``, ``"risk-ids"``; waterfall ``"threat-bars"``,
``"opportunity-bars"``, ``"total-bar"``, ``"connectors"``, ``"total-label"`` (the net EMV).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from itpm_course.engine.risk import DEFAULT_MATRIX, PIMatrix, total_emv

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

ZONE_COLOURS = {"low": "#B7DFC0", "medium": "#FBD58A", "high": "#F29A84"}
THREAT = "#D55E00"  # Okabe-Ito vermilion
OPPORTUNITY = "#0072B2"  # Okabe-Ito blue
TOTAL = "#4D4D4D"
_MAX_IDS_PER_CELL = 9


def _matrix(scored: pd.DataFrame, matrix: PIMatrix | None) -> PIMatrix:
    return matrix or scored.attrs.get("pi_matrix") or DEFAULT_MATRIX


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def risk_heatmap(
    scored: pd.DataFrame,
    *,
    matrix: PIMatrix | None = None,
    residual: bool = False,
    active_only: bool = True,
    show_scores: bool = True,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The probability–impact matrix with each risk's id placed in its cell.

    Cells are coloured by zone (low / medium / high per the matrix thresholds) and show their
    score in the corner. ``residual=True`` places risks by their residual ratings (after the
    response). Risks without an impact rating are listed under the grid as unrated; closed and
    occurred risks are left out unless ``active_only=False``.
    """
    matrix = _matrix(scored, matrix)
    rows = scored[scored["active"]] if active_only else scored
    fig, ax = _new_axes(ax, (9.0, 6.0))
    n_p, n_i = matrix.n_probability, matrix.n_impact

    # -- cells: one polygon per cell, x = impact level - 1, y = probability level - 1 --------
    ii, pp = np.meshgrid(np.arange(n_i), np.arange(n_p))
    x0, y0 = ii.ravel() - 0.5, pp.ravel() - 0.5
    verts = np.stack(
        [
            np.stack([x0, y0], -1),
            np.stack([x0 + 1, y0], -1),
            np.stack([x0 + 1, y0 + 1], -1),
            np.stack([x0, y0 + 1], -1),
        ],
        axis=1,
    )
    colours = [ZONE_COLOURS[z] for z in matrix.zones.ravel()]
    ax.add_collection(
        PolyCollection(verts, facecolors=colours, edgecolors="white", linewidths=2, gid="cells"),
        autolim=False,
    )
    if show_scores:
        spec = f"{{:.{matrix.decimals}f}}" if matrix.decimals is not None else "{:g}"
        for p in range(n_p):
            for i in range(n_i):
                ax.text(
                    i - 0.44,
                    p + 0.44,
                    spec.format(matrix.grid[p, i]),
                    ha="left",
                    va="top",
                    fontsize=7,
                    color="#555555",
                    gid="cell-scores",
                )

    # -- risk ids per cell --------------------------------------------------------------------
    labels, unrated, kinds = _heatmap_labels(rows, n_i, residual)
    for label in labels:
        _risk_id_text(ax, *label)
    if len(unrated):
        ax.text(
            0.0,
            -0.12,
            _unrated_text(unrated),
            transform=ax.transAxes,
            fontsize=8,
            va="top",
            gid="unrated",
        )

    # -- axes ---------------------------------------------------------------------------------
    ax.set_xlim(-0.5, n_i - 0.5)
    ax.set_ylim(-0.5, n_p - 0.5)
    xticks, yticks = _heatmap_ticks(matrix)
    ax.set_xticks(range(n_i), xticks, fontsize=8)
    ax.set_yticks(range(n_p), yticks, fontsize=8)
    ax.set_xlabel("impact")
    ax.set_ylabel("probability")
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_aspect("equal")
    handles = [Patch(facecolor=ZONE_COLOURS[z], label=z) for z in ("high", "medium", "low")]
    if (kinds == "opportunity").any():
        handles.append(
            Patch(facecolor="white", edgecolor=OPPORTUNITY, label="opportunity (blue, or id*)")
        )
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.set_title(
        title if title is not None else _heatmap_title(matrix, residual), loc="left", fontsize=11
    )
    return fig


def update_risk_heatmap(
    ax: Axes,
    scored: pd.DataFrame,
    *,
    matrix: PIMatrix | None = None,
    residual: bool = False,
    active_only: bool = True,
    title: str | None = None,
) -> list[Artist] | None:
    """Move the heat map that :func:`risk_heatmap` drew into ``ax`` to a new scored register
    (or new zone thresholds), in place: the risk ids per cell, the cell colours, the unrated
    line and the title become what :func:`risk_heatmap` would draw.

    Returns the artists that changed (ids, unrated line, title; the cells' colours change
    only with the thresholds, so a caller that keeps the background draws it again when
    those change), or None when the chart cannot be updated in place (another matrix, the
    opportunity legend entry or the unrated line appears or goes); then draw it again.
    """
    matrix = _matrix(scored, matrix)
    rows = scored[scored["active"]] if active_only else scored
    n_p, n_i = matrix.n_probability, matrix.n_impact
    found: dict[str, list] = {}
    for artist in ax.get_children():
        found.setdefault(artist.get_gid(), []).append(artist)
    cells = found.get("cells", [])
    legend = ax.get_legend()
    labels, unrated, kinds = _heatmap_labels(rows, n_i, residual)
    ticks = _tick_texts(ax.xaxis), _tick_texts(ax.yaxis)
    if (
        len(cells) != 1
        or len(cells[0].get_paths()) != n_p * n_i
        or ticks != _heatmap_ticks(matrix)
        or legend is None
        or len(legend.texts) != 3 + bool((kinds == "opportunity").any())
        or len(found.get("unrated", [])) != bool(len(unrated))
    ):
        return None
    scores = found.get("cell-scores", [])
    if scores:
        spec = f"{{:.{matrix.decimals}f}}" if matrix.decimals is not None else "{:g}"
        if [t.get_text() for t in scores] != [spec.format(v) for v in matrix.grid.ravel()]:
            return None
    cells[0].set_facecolor([ZONE_COLOURS[z] for z in matrix.zones.ravel()])
    texts = found.get("risk-ids", [])
    for text in texts[len(labels) :]:
        text.remove()
    for text, (i, p, label, colour, fontsize) in zip(texts, labels, strict=False):
        text.set_position((i, p - 0.05))
        text.set_text(label)
        text.set_color(colour)
        text.set_fontsize(fontsize)
    texts = texts[: len(labels)] + [_risk_id_text(ax, *label) for label in labels[len(texts) :]]
    moving = [*texts]
    if len(unrated):
        (note,) = found["unrated"]
        note.set_text(_unrated_text(unrated))
        moving.append(note)
    ax.set_title(
        title if title is not None else _heatmap_title(matrix, residual), loc="left", fontsize=11
    )
    return [*moving, ax.title]


def _tick_texts(axis) -> list[str]:
    """The labels of an axis' major ticks, as they are drawn."""
    return list(axis.get_major_formatter().format_ticks(axis.get_majorticklocs()))


def _heatmap_title(matrix: PIMatrix, residual: bool) -> str:
    which = "residual risk (after responses)" if residual else "risk"
    return f"Probability–impact matrix: {which} ({matrix.name})"


def _heatmap_ticks(matrix: PIMatrix) -> tuple[list[str], list[str]]:
    """The impact (x) and probability (y) tick labels of a heat map."""
    return (
        [f"{lab}\n{v:g}" for lab, v in zip(matrix.impact_labels, matrix.impact, strict=True)],
        [
            f"{lab}\n{v:g}"
            for lab, v in zip(matrix.probability_labels, matrix.probability, strict=True)
        ],
    )


def _heatmap_labels(
    rows: pd.DataFrame, n_i: int, residual: bool
) -> tuple[list, np.ndarray, np.ndarray]:
    """Per occupied cell ``(impact index, probability index, text, colour, font size)``, the
    ids of unrated risks and the kinds of all rows."""
    p_col = "residual_probability_level" if residual else "probability_level"
    i_col = "residual_impact_level" if residual else "impact_level"
    p_level = rows[p_col].to_numpy(float)
    i_level = rows[i_col].to_numpy(float)
    rated = ~(np.isnan(p_level) | np.isnan(i_level))
    ids = rows.index.to_numpy().astype(str)
    kinds = rows["kind"].to_numpy()
    cell = np.where(rated, (np.nan_to_num(p_level) - 1) * n_i + np.nan_to_num(i_level) - 1, -1)
    labels = []
    for key in np.unique(cell[rated]).astype(int):
        p, i = divmod(key, n_i)
        members = np.flatnonzero(cell == key)
        text, colour = _cell_text(ids[members], kinds[members])
        labels.append((i, p, text, colour, 8 if len(members) <= 4 else 7))
    return labels, ids[~rated], kinds


def _risk_id_text(ax: Axes, i: int, p: int, text: str, colour: str, fontsize: int):
    return ax.text(
        i,
        p - 0.05,
        text,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=colour,
        fontweight="bold",
        gid="risk-ids",
        wrap=False,
    )


def _unrated_text(unrated) -> str:
    return "unrated (no impact rating): " + ", ".join(unrated)


def _cell_text(ids: np.ndarray, kinds: np.ndarray) -> tuple[str, str]:
    """The label of one cell (ids wrapped, at most a few) and its colour."""
    shown = list(ids[:_MAX_IDS_PER_CELL])
    if len(ids) > _MAX_IDS_PER_CELL:
        shown.append(f"+{len(ids) - _MAX_IDS_PER_CELL}")
    text = "\n".join(textwrap.wrap(" ".join(shown), width=12)) or ""
    if (kinds == "opportunity").all():
        return text, OPPORTUNITY
    if (kinds == "opportunity").any():
        opp = set(ids[kinds == "opportunity"])
        shown = [f"{s}*" if s in opp else s for s in shown]
        text = "\n".join(textwrap.wrap(" ".join(shown), width=12))
    return text, "black"


def emv_waterfall(
    scored: pd.DataFrame,
    *,
    basis: str = "cost",
    residual: bool = False,
    active_only: bool = True,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """Each risk's EMV as a step of a waterfall from 0 to the net EMV (money or working days).

    Threats (negative, vermilion) come first, largest first, then opportunities (positive,
    blue), then the net total bar. Risks without a money (or days) impact are left out.
    """
    if basis not in ("cost", "days"):
        raise ValueError(f"basis must be 'cost' or 'days', got {basis!r}")
    ids, values, threat, starts, ends, total = _waterfall_steps(
        scored, basis, residual, active_only
    )
    fig, ax = _new_axes(ax, (max(6.0, 0.55 * (len(ids) + 2) + 2), 4.5))
    x = np.arange(len(ids))
    ax.bar(
        x[threat],
        values[threat],
        bottom=starts[threat],
        color=THREAT,
        width=0.7,
        gid="threat-bars",
        label="threat",
    )
    ax.bar(
        x[~threat],
        values[~threat],
        bottom=starts[~threat],
        color=OPPORTUNITY,
        width=0.7,
        gid="opportunity-bars",
        label="opportunity",
    )
    ax.bar([len(ids)], [total], color=TOTAL, width=0.7, gid="total-bar", label="net EMV")
    if len(ids):
        ax.add_collection(
            LineCollection(
                _connectors(x, ends), colors="#888888", linewidths=0.8, gid="connectors"
            ),
        )
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(list(x) + [len(ids)], list(ids) + ["net"], fontsize=8)
    unit = "money" if basis == "cost" else "working days"
    ax.set_ylabel(f"EMV ({unit})")
    spec = "{:,.0f}" if basis == "cost" else "{:,.1f}"
    ax.annotate(
        spec.format(total),
        (len(ids), total),
        xytext=(0, -10 if total < 0 else 3),
        textcoords="offset points",
        ha="center",
        va="top" if total < 0 else "bottom",
        fontsize=8,
        gid="total-label",
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}" if basis == "cost" else "{x:,.1f}"))
    ax.set_title(
        title if title is not None else _waterfall_title(basis, residual, total),
        loc="left",
        fontsize=11,
    )
    return fig


def update_emv_waterfall(
    ax: Axes,
    scored: pd.DataFrame,
    *,
    basis: str = "cost",
    residual: bool = False,
    active_only: bool = True,
    title: str | None = None,
) -> list[Artist] | None:
    """Move the waterfall that :func:`emv_waterfall` drew into ``ax`` to a new scored register,
    in place: the bars, connectors, the net label, the risk ids under the bars, the limits
    and the title become what :func:`emv_waterfall` would draw.

    Returns the artists that changed (the ids under the bars are drawn with the axis: a
    caller that keeps the background draws it again when they change), or None when the
    chart cannot be updated in place (a risk's EMV appears, goes or changes sign, or the
    basis differs); then draw it again.
    """
    if basis not in ("cost", "days"):
        raise ValueError(f"basis must be 'cost' or 'days', got {basis!r}")
    ids, values, threat, starts, ends, total = _waterfall_steps(
        scored, basis, residual, active_only
    )
    found: dict[str, list] = {}
    for artist in ax.get_children():
        found.setdefault(artist.get_gid(), []).append(artist)
    threats = found.get("threat-bars", [])
    opportunities = found.get("opportunity-bars", [])
    totals = found.get("total-bar", [])
    connectors = found.get("connectors", [])
    notes = found.get("total-label", [])
    unit = "money" if basis == "cost" else "working days"
    if (
        len(threats) != int(threat.sum())
        or len(opportunities) != int((~threat).sum())
        or len(totals) != 1
        or len(connectors) != bool(len(ids))
        or len(notes) != 1
        or ax.get_ylabel() != f"EMV ({unit})"
    ):
        return None
    for bar, start, value in zip(
        threats + opportunities,
        np.r_[starts[threat], starts[~threat]],
        np.r_[values[threat], values[~threat]],
        strict=True,
    ):
        bar.set_y(start)
        bar.set_height(value)
        bar.sticky_edges.y[:] = [start]  # as ax.bar leaves it: the bottom is sticky
    totals[0].set_height(total)
    x = np.arange(len(ids))
    if len(ids):
        connectors[0].set_segments(_connectors(x, ends))
    labels = [*ids, "net"]
    if _tick_texts(ax.xaxis) != labels:
        ax.set_xticks(list(x) + [len(ids)], labels, fontsize=8)
    spec = "{:,.0f}" if basis == "cost" else "{:,.1f}"
    (note,) = notes
    note.set_text(spec.format(total))
    note.xy = (len(ids), total)
    note.xyann = (0, -10 if total < 0 else 3)
    note.set_verticalalignment("top" if total < 0 else "bottom")
    ax.relim()
    ax.autoscale_view()
    ax.set_title(
        title if title is not None else _waterfall_title(basis, residual, total),
        loc="left",
        fontsize=11,
    )
    return [*threats, *opportunities, *totals, *connectors, note, ax.title]


def _waterfall_steps(scored: pd.DataFrame, basis: str, residual: bool, active_only: bool):
    """The waterfall's risk ids, values, threat flags, bar starts and ends, and the net."""
    column = ("residual_emv_" if residual else "emv_") + basis
    rows = scored[scored["active"]] if active_only else scored
    values = rows[column].to_numpy(float)
    keep = ~np.isnan(values) & (values != 0)
    ids = rows.index.to_numpy().astype(str)[keep]
    values = values[keep]
    threat = values < 0
    # threats by size (most negative first), then opportunities by size
    order = np.lexsort((-np.abs(values), ~threat))
    ids, values, threat = ids[order], values[order], threat[order]
    ends = np.cumsum(values)
    starts = ends - values
    total = float(total_emv(scored, residual=residual, active_only=active_only)[basis])
    return ids, values, threat, starts, ends, total


def _connectors(x: np.ndarray, ends: np.ndarray) -> np.ndarray:
    return np.stack([np.stack([x + 0.35, ends], -1), np.stack([x + 0.65, ends], -1)], axis=1)


def _waterfall_title(basis: str, residual: bool, total: float) -> str:
    which = "residual EMV" if residual else "EMV"
    unit = "money" if basis == "cost" else "working days"
    spec = "{:,.0f}" if basis == "cost" else "{:,.1f}"
    return f"{which} by risk ({unit}): net {spec.format(total)}"
