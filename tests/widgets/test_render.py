"""The shared widget renderer: valid PNGs, the same pixels as matplotlib, coalesced bursts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import asyncio  # noqa: E402
import io  # noqa: E402

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from itpm_course.widgets._render import Coalescer, FigureRenderer, png_bytes  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def _figure() -> Figure:
    fig = Figure(figsize=(4, 2.5), layout="constrained")
    ax = fig.add_subplot()
    ax.stairs([1, 3, 2], [0, 1, 2, 3], fill=True, label="bars")
    ax.plot([0, 3], [0, 3], label="line")
    ax.set_title("Title – ünïcode")
    ax.set_xlabel("x label")
    ax.text(1, 1, "rotated", rotation=33)
    ax.legend()
    return fig


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def test_png_bytes_are_a_valid_png_of_the_figure_size():
    data = FigureRenderer(_figure(), dpi=50).png()
    assert data.startswith(PNG)
    assert Image.open(io.BytesIO(data)).size == (200, 125)
    assert png_bytes(_figure(), dpi=40).startswith(PNG)


def test_same_pixels_as_matplotlib_savefig_frame_after_frame():
    fig = _figure()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    reference = _pixels(buffer.getvalue())
    renderer = FigureRenderer(fig, dpi=60)
    for _ in range(2):  # the second frame comes from the text caches
        assert np.array_equal(_pixels(renderer.png()), reference)


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_synchronous_mode_renders_every_request():
    seen = []
    state = {"v": 0}
    frames = Coalescer(lambda: seen.append(state["v"]), synchronous=True)
    for v in range(3):
        state["v"] = v
        frames.request()
    assert seen == [0, 1, 2] and not frames.pending


def test_outside_a_kernel_requests_render_at_once():
    seen = []
    frames = Coalescer(lambda: seen.append(1))
    frames.request()
    assert seen == [1]


def test_a_burst_renders_the_first_and_the_last_state():
    async def burst():
        clock = _Clock()
        state = {"v": 0}
        seen = []
        frames = Coalescer(lambda: seen.append(state["v"]), 0.05, synchronous=False, clock=clock)
        for v in range(1, 11):  # ten slider events 5 ms apart
            state["v"] = v
            frames.request()
            clock.now += 0.005
        assert seen == [1] and frames.pending  # the first at once, the rest merged
        await asyncio.sleep(0.1)  # the trailing render fires on the event loop
        assert seen == [1, 10] and not frames.pending
        state["v"] = 11
        clock.now += 0.01  # within the interval again: deferred ...
        frames.request()
        assert frames.pending
        frames.flush()  # ... unless flushed (tests, "show me now")
        assert seen == [1, 10, 11] and not frames.pending
        await asyncio.sleep(0.1)
        assert seen == [1, 10, 11]  # a flushed render does not fire again
        return frames.renders, frames.requests

    assert asyncio.run(burst()) == (3, 11)


def test_monte_carlo_in_place_update_matches_a_full_redraw():
    from itpm_course.charts.montecarlo import finish_histogram, s_curve  # noqa: PLC0415
    from itpm_course.data import sample_plan  # noqa: PLC0415
    from itpm_course.widgets.montecarlo import SimulationExplorer  # noqa: PLC0415

    explorer = SimulationExplorer(sample_plan(), iterations=2_000, seed=3, dpi=40)
    for control, value in (
        (explorer.pessimistic, explorer.pessimistic.value + 10),
        (explorer.correlation, 0.6),
        (explorer.iterations, 1_000),
    ):
        control.value = value
        in_place = _pixels(bytes(explorer.chart.value))
        left, right = explorer._axes
        left.clear()
        right.clear()
        finish_histogram(explorer.result, explorer.deadline, ax=left)
        s_curve(explorer.result, explorer.deadline, ax=right)
        full = _pixels(explorer._renderer.png())
        assert in_place.shape == full.shape
        assert (np.abs(in_place - full).max(axis=-1) > 8).mean() < 0.001
