"""The axes a chart draws into: the caller's, or those of a new figure the caller owns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def axes_or_new(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    """``ax`` and its figure, or a new constrained-layout figure of ``size`` inches.

    A new figure is made through pyplot (so a notebook's inline backend is active and knows
    how to show a Figure) and closed at once, so pyplot neither keeps it nor shows it a second
    time at the end of the cell: the caller owns it, and a notebook shows it once, as the
    cell's value.
    """
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=size, layout="constrained")
    plt.close(fig)
    return fig, ax
