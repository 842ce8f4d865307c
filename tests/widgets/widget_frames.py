"""Helpers for the widgets' in-place redraw tests: a frame's pixels and a fresh chart's."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from itpm_course.widgets._render import FigureRenderer


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(bytes(data))).convert("RGB")).astype(int)


def fresh_frame(size, draw, dpi, **subplots) -> np.ndarray:
    """Pixels of a new figure of ``size`` that ``draw(ax)`` fills, through the same renderer.

    With ``subplots`` (e.g. ``ncols=2, width_ratios=[...]``) the figure gets those axes and
    ``draw(*axes)`` fills them."""
    fig = Figure(figsize=size, layout="constrained")
    if subplots:
        draw(*np.ravel(fig.subplots(**subplots)))
    else:
        draw(fig.add_subplot())
    return pixels(FigureRenderer(fig, dpi=dpi).png())


def same_picture(frame: bytes, reference: np.ndarray) -> bool:
    mine = pixels(frame)
    if mine.shape != reference.shape:
        return False
    return bool((np.abs(mine - reference).max(axis=-1) > 8).mean() < 0.001)
