"""Fast chart rendering for the widgets: a reused Agg canvas, cached text, and coalescing.

A widget redraws its chart on every control change, and a slider with
``continuous_update=True`` sends many changes per second. Three things keep that live:

* :class:`FigureRenderer` owns one :class:`~matplotlib.figure.Figure` and one Agg canvas for
  the widget's lifetime and turns it into PNG bytes at a modest DPI, without
  ``bbox_inches="tight"`` (the figure size is the image size). Its renderer caches text
  layouts and glyph bitmaps, which are most of the drawing time of a small chart (tick
  labels, legends and titles hardly change between two frames); the pixels are the same as
  matplotlib's own Agg renderer. The PNG is encoded quickly (zlib level 1, RGB).
* :func:`png_bytes` does the same for a one-off figure.
* :class:`Coalescer` runs a widget's redraw at most every ``interval`` seconds while changes
  arrive from the browser and always finishes with the latest state: a burst of slider
  events renders the first and the last state, not every one in between. Changes made from
  Python (a notebook cell, a test) render at once, so ``widget.chart.value`` is current right
  after ``widget.control.value = ...``; :meth:`Coalescer.flush` renders a pending update now.

Helpers for updating artists in place (:func:`same_structure`) let a widget skip rebuilding
a chart when only its data changed.
"""

from __future__ import annotations

import asyncio
import io
import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["Coalescer", "FigureRenderer", "png_bytes"]

DEFAULT_DPI = 80
DEFAULT_INTERVAL = 0.06  # seconds between two renders while a slider is dragged
_LAYOUT_CACHE_SIZE = 4_000
_GLYPH_CACHE_SIZE = 40_000


# ------------------------------------------------------------------------------ text caching
def _can_cache_text() -> bool:
    """The glyph cache relies on matplotlib's Agg text internals (3.11); check they exist."""
    try:
        from matplotlib.ft2font import FT2Font, RenderMode  # noqa: PLC0415, F401
    except ImportError:
        return False
    needed = ("_layout", "_set_transform", "_render_glyph", "set_size")
    return all(hasattr(FT2Font, name) for name in needed) and hasattr(
        RendererAgg, "_draw_text_glyphs_and_boxes"
    )


_TEXT_CACHE = _can_cache_text()
_layouts: dict[tuple, list[tuple]] = {}
_glyphs: dict[tuple, tuple[np.ndarray, int, int]] = {}


class _CachingRendererAgg(RendererAgg):
    """Agg renderer that remembers text layouts and glyph bitmaps between draws.

    Plain (non-math) text only; mathtext and anything unexpected go to matplotlib's own code.
    A glyph is rasterised with only the sub-pixel part of its position and then placed at
    the whole-pixel part, which gives FreeType's exact bitmap, so the image is unchanged.
    """

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        global _TEXT_CACHE  # noqa: PLW0603
        if ismath or not _TEXT_CACHE:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        try:
            self._draw_cached_text(gc, x, y, s, prop, angle, mtext)
        except (AttributeError, TypeError):  # matplotlib internals changed: stop caching
            _TEXT_CACHE = False
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        return None

    def _draw_cached_text(self, gc, x, y, s, prop, angle, mtext) -> None:
        from matplotlib.ft2font import RenderMode  # noqa: PLC0415

        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        size = prop.get_size_in_points()
        key = (prop, size, self.dpi, s, flags, repr(features), repr(language))
        items = _layouts.get(key)
        if items is None:
            font = self._prepare_font(prop)
            laid_out = font._layout(s, flags=flags, features=features, language=language)
            items = [(item.ft_object, item.glyph_index, item.x, item.y) for item in laid_out]
            if len(_layouts) >= _LAYOUT_CACHE_SIZE:
                _layouts.clear()
            _layouts[key] = items
        antialiased = bool(gc.get_antialiased())
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        matrix = (
            (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        )  # no slant, no extend for plain text
        mkey = tuple(matrix.ravel().tolist())
        height = self.height
        for font, glyph_index, dx, dy in items:
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            ix, fx = divmod(px, 0x40)
            iy, fy = divmod(py, 0x40)
            gkey = (font, size, self.dpi, glyph_index, mkey, fx, fy, flags, antialiased)
            glyph = _glyphs.get(gkey)
            if glyph is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [fx, fy])
                bitmap = font._render_glyph(glyph_index, flags, mode)
                buffer = np.array(bitmap.buffer, copy=True)
                if not antialiased:
                    buffer *= 0xFF
                glyph = (buffer, bitmap.left, bitmap.top)
                if len(_glyphs) >= _GLYPH_CACHE_SIZE:
                    _glyphs.clear()
                _glyphs[gkey] = glyph
            buffer, left, top = glyph
            self._renderer.draw_text_image(
                buffer, left + ix, int(height) - (top + iy) + buffer.shape[0], 0, gc
            )


class _FastCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer caches text (see :class:`_CachingRendererAgg`)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _CachingRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def _encode(canvas: FigureCanvasAgg) -> bytes:
    rgba = np.asarray(canvas.buffer_rgba())
    pixels = rgba[..., :3] if rgba[..., 3].min() == 255 else rgba
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class FigureRenderer:
    """One figure and one Agg canvas, reused for every frame of a widget's chart.

    ``png()`` draws the figure and returns PNG bytes. With ``freeze_layout`` the figure's
    layout engine (e.g. constrained layout) is solved on the first frame and then switched
    off, which halves the drawing time when only the data change; use it when the labels
    around the axes stay the same from frame to frame. ``seconds`` is how long the last
    ``png()`` took.
    """

    def __init__(
        self, figure: Figure, *, dpi: float = DEFAULT_DPI, freeze_layout: bool = False
    ) -> None:
        self.figure = figure
        self.dpi = dpi
        self.freeze_layout = freeze_layout
        self.canvas = _FastCanvas(figure)
        figure.set_dpi(dpi)
        self.frames = 0
        self.seconds = 0.0

    def png(self) -> bytes:
        start = time.perf_counter()
        if self.figure.dpi != self.dpi:  # savefig(dpi=...) elsewhere may have changed it
            self.figure.set_dpi(self.dpi)
        self.canvas.draw()
        data = _encode(self.canvas)
        if self.freeze_layout and self.frames == 0:
            self.figure.set_layout_engine("none")
        self.frames += 1
        self.seconds = time.perf_counter() - start
        return data


def png_bytes(figure: Figure, dpi: float = DEFAULT_DPI) -> bytes:
    """PNG bytes of a one-off figure, drawn with the caching Agg canvas at ``dpi``."""
    old = figure.canvas
    canvas = _FastCanvas(figure)
    try:
        figure.set_dpi(dpi)
        canvas.draw()
        return _encode(canvas)
    finally:
        if not isinstance(old, _FastCanvas):
            figure.set_canvas(old)


def same_structure(*pairs: tuple[Any, Any]) -> bool:
    """True when every ``(old, new)`` pair of artist lists has the same length and types."""
    return all(
        len(old) == len(new) and all(type(a) is type(b) for a, b in zip(old, new, strict=True))
        for old, new in pairs
    )


# ------------------------------------------------------------------------------ coalescing
def _handling_browser_message() -> bool:
    """True while the kernel handles a message from the browser (a widget comm message)."""
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return False
    try:
        parent = kernel.get_parent()
    except Exception:  # noqa: BLE001 - any kernel without get_parent: render at once
        return False
    header = (parent or {}).get("header") or {}
    return header.get("msg_type") == "comm_msg"


class Coalescer:
    """Run ``callback`` for the latest state, at most once every ``interval`` seconds.

    ``request()`` asks for a render. In synchronous mode it renders at once. Otherwise the
    first request after a quiet spell renders at once (a click feels instant) and requests
    within ``interval`` of the last render are merged into one render at the end of the
    interval, which reads the widget's state as it is then, so the last state is always
    drawn. ``flush()`` renders a pending request now.

    ``synchronous=None`` (the default) decides per request: deferred only while the kernel
    handles a browser message and an asyncio loop runs; a notebook cell or a test that sets
    a control renders at once, so the chart is current right after the assignment.
    """

    def __init__(
        self,
        callback: Callable[[], Any],
        interval: float = DEFAULT_INTERVAL,
        *,
        synchronous: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.callback = callback
        self.interval = interval
        self.synchronous = synchronous
        self.clock = clock
        self.renders = 0
        self.requests = 0
        self._last = -math.inf
        self._handle: asyncio.TimerHandle | None = None
        self._pending = False

    @property
    def pending(self) -> bool:
        return self._pending

    def _loop(self) -> asyncio.AbstractEventLoop | None:
        sync = self.synchronous
        if sync is None:
            sync = not _handling_browser_message()
        if sync:
            return None
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    def request(self) -> None:
        self.requests += 1
        loop = self._loop()
        if loop is None:
            self._cancel()
            self._run()
            return
        if self._pending:
            return  # the scheduled render will read the latest state
        wait = self._last + self.interval - self.clock()
        if wait <= 0:
            self._run()
            return
        self._pending = True
        self._handle = loop.call_later(wait, self._fire)

    def flush(self) -> None:
        """Render now if a render is pending."""
        if self._pending:
            self._cancel()
            self._run()

    def _fire(self) -> None:
        self._handle = None
        if self._pending:
            self._run()

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._pending = False

    def _run(self) -> None:
        self._pending = False
        try:
            self.callback()
        finally:
            self._last = self.clock()
            self.renders += 1
