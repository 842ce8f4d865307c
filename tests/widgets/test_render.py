"""The shared widget renderer: valid PNGs, the same pixels as matplotlib, coalesced bursts."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import asyncio  # noqa: E402
import io  # noqa: E402

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from itpm_course.widgets import _render  # noqa: E402
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


def _full_draw(renderer) -> np.ndarray:
    """The renderer's figure drawn whole (no blitting), as pixels; blitting is restored."""
    layers = renderer._layers
    for artist in layers:
        artist.set_animated(False)
    renderer.canvas.draw()
    pixels = _pixels(_render._encode(renderer.canvas))
    for artist in layers:
        artist.set_animated(True)
    return pixels


def test_blitted_frames_have_the_pixels_of_a_full_draw():
    fig = Figure(figsize=(4, 2.5))
    ax = fig.add_subplot()
    ax.set_axisbelow(True)
    ax.grid()
    (line,) = ax.plot([0, 1, 2], [0, 1, 0], lw=3, label="moving")
    ax.axhline(0.5, color="k", lw=4, zorder=5)  # static, but over the moving line
    legend = ax.legend(loc="upper right")
    renderer = FigureRenderer(fig, dpi=50)
    renderer.animate([line, legend])
    renderer.png()
    for k, top in enumerate((0.8, 0.6, 0.9)):
        line.set_ydata([0, top, 0])
        legend.texts[0].set_text(f"moving {k}")
        frame = _pixels(renderer.png())
        assert np.array_equal(frame, _full_draw(renderer))
    assert renderer.backgrounds == 1  # drawn for the first frame only
    ax.set_xlim(0, 3)  # new limits: the background (ticks) is drawn again
    frame = _pixels(renderer.png())
    assert renderer.backgrounds == 2 and np.array_equal(frame, _full_draw(renderer))
    renderer.animate(None)
    assert not line.get_animated() and renderer.png().startswith(PNG)


def _explorer(**kwargs):
    from itpm_course.data import sample_plan  # noqa: PLC0415
    from itpm_course.widgets.montecarlo import SimulationExplorer  # noqa: PLC0415

    return SimulationExplorer(sample_plan(), iterations=2_000, seed=3, dpi=40, **kwargs)


def _texts(ax) -> dict:
    """What a chart says: legend labels, annotations, title, marker positions by gid."""
    lines = {a.get_gid(): np.round(np.asarray(a.get_xdata(), float), 9).tolist()
             for a in ax.get_lines() if a.get_gid()}  # fmt: skip
    return {
        "legend": [t.get_text() for t in ax.get_legend().texts],
        "notes": [(t.get_text(), tuple(np.round(t.xy, 9))) for t in ax.texts],
        "title": ax.get_title(),
        "lines": lines,
    }


def test_monte_carlo_in_place_update_draws_what_the_chart_functions_draw():
    from itpm_course.charts.montecarlo import finish_histogram, s_curve  # noqa: PLC0415

    explorer = _explorer()
    for control, value in (
        (explorer.pessimistic, explorer.pessimistic.value + 10),
        (explorer.correlation, 0.6),
        (explorer.iterations, 1_000),
        (explorer.most_likely, explorer.most_likely.value + 1),
    ):
        control.value = value
        in_place = _pixels(bytes(explorer.chart.value))
        # the blitted frame is the full draw of the same artists ...
        assert np.array_equal(in_place, _full_draw(explorer._renderer))
        # ... and they say what a fresh chart says
        fresh = Figure(figsize=(11, 3.6))
        left, right = fresh.subplots(1, 2)
        finish_histogram(explorer.result, explorer.deadline, ax=left)
        s_curve(explorer.result, explorer.deadline, ax=right)
        for mine, theirs in zip(explorer._axes, (left, right), strict=True):
            assert _texts(mine) == _texts(theirs)
            lo, hi = mine.get_xlim()
            x0, x1 = theirs.dataLim.intervalx
            assert lo <= x0 and x1 <= hi  # limits kept only while the data fit them
        hist = explorer._axes[0].patches[0]
        assert np.allclose(hist.get_data().values, left.patches[0].get_data().values)
        assert np.allclose(hist.get_data().edges, left.patches[0].get_data().edges)


def _bars(labels):
    def draw(ax):
        ax.barh(range(len(labels)), range(1, len(labels) + 1))
        ax.set_yticks(range(len(labels)), labels)
        ax.set_title("bars")

    return draw


def _fresh(draw, size=(4, 2.5), dpi=50) -> np.ndarray:
    fig = Figure(figsize=size, layout="constrained")
    draw(fig.add_subplot())
    return _pixels(FigureRenderer(fig, dpi=dpi).png())


def test_redraw_refills_the_same_axes_and_lays_out_again_when_labels_need_room():
    fig = Figure(figsize=(4, 2.5), layout="constrained")
    renderer = FigureRenderer(fig, dpi=50, freeze_layout=True)
    renderer.redraw(_bars(["a", "b"]))
    (axes,) = fig.axes
    for labels in (["b", "a"], ["a much longer label", "b"], ["x", "y"]):
        frame = _pixels(renderer.redraw(_bars(labels)))
        assert fig.axes == [axes]
        assert np.array_equal(frame, _fresh(_bars(labels)))  # never clipped, never stale
    assert renderer.backgrounds == 4


def test_redraw_places_twin_axes_like_a_new_figure():
    from itpm_course.charts.agile import forecast_chart  # noqa: PLC0415
    from itpm_course.engine.agile import read_throughput  # noqa: PLC0415
    from itpm_course.widgets.agile import forecast_explorer  # noqa: PLC0415

    explorer = forecast_explorer(read_throughput(), items=60)
    for items in (50, 70):
        explorer.items.value = items
        assert len(explorer._renderer.figure.axes) == 2  # the axes and one twin, not more
        reference = _fresh(
            lambda ax: forecast_chart(explorer.result, confidence=explorer.confidence.value, ax=ax),
            size=(8, 3.6),
            dpi=explorer.dpi,
        )
        frame = _pixels(bytes(explorer.chart.value))
        assert frame.shape == reference.shape
        assert (np.abs(frame - reference).max(axis=-1) > 8).mean() < 0.001


def test_cached_font_metrics_give_matplotlibs_pixels_for_multiline_text():
    fig = _figure()
    fig.axes[0].set_ylabel("two\nlines", fontsize=13)
    fig.axes[0].text(0.5, 2.5, "one\ntwo\nthree", fontsize=7, linespacing=1.6)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)  # matplotlib's own renderer reads the font
    assert np.array_equal(_pixels(FigureRenderer(fig, dpi=60).png()), _pixels(buffer.getvalue()))


def test_a_tick_label_reaching_past_the_axes_end_is_laid_out_again():
    """Limits that put a tick label at the axes' end (it sticks out by half its width) need
    more room than limits that keep it inside: a frozen layout is solved again for them."""

    def line(right):
        def draw(ax):
            ax.plot([0, right], [0, 1])
            ax.set_xlim(0, right)

        return draw

    fig = Figure(figsize=(4, 2.5), layout="constrained")
    renderer = FigureRenderer(fig, dpi=50, freeze_layout=True)
    renderer.redraw(line(13.4))
    for right in (14.0, 13.4, 12.0, 12.6):  # "14" and "12" at the right end, then inside
        frame = _pixels(renderer.redraw(line(right)))
        assert np.array_equal(frame, _fresh(line(right))), right
