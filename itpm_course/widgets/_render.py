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

Updating in place, the way matplotlib's animations do. A widget lays its figure out once,
keeps the artists and, on a control change, only moves their data (``set_data``,
``set_text``, ...). :meth:`FigureRenderer.animate` then names the artists that move: the
renderer draws the rest of the figure (axes, ticks, labels, grid: the "background") once,
keeps those pixels, and each frame restores them and draws only the moving artists and
whatever the full draw would paint over them, in the same order, so a frame has the same
pixels as a full draw. The background is drawn again when an axes' limits change (its ticks
change with them) or after :meth:`FigureRenderer.invalidate`. :func:`same_structure` helps a
widget decide whether its artists can be reused.
"""

from __future__ import annotations

import asyncio
import math
import struct
import time
import zlib
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure

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
_heights: dict[tuple, tuple] = {}


def _font_height_metrics(prop, dpi: float) -> tuple:
    """A font's ascent, descent and line gap in pixels, as :class:`matplotlib.text.Text`
    computes them for every text it lays out (from the font's OS/2 or hhea table)."""
    from matplotlib.font_manager import fontManager, get_font  # noqa: PLC0415

    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points()
        scale *= dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class _CachingRendererAgg(RendererAgg):
    """Agg renderer that remembers text layouts and glyph bitmaps between draws.

    Plain (non-math) text only; mathtext and anything unexpected go to matplotlib's own code.
    A glyph is rasterised with only the sub-pixel part of its position and then placed at
    the whole-pixel part, which gives FreeType's exact bitmap, so the image is unchanged.
    """

    def _get_font_height_metrics(self, prop):
        """The font metrics every text layout looks up, remembered (matplotlib asks a
        renderer that has this method first; it reads the font's tables otherwise)."""
        key = (prop, self.dpi)
        found = _heights.get(key)
        if found is None:
            found = _font_height_metrics(prop, self.dpi)
            if len(_heights) >= _LAYOUT_CACHE_SIZE:
                _heights.clear()
            _heights[(prop.copy(), self.dpi)] = found
        return found

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


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _encode(canvas: FigureCanvasAgg) -> bytes:
    """PNG bytes of the canvas: RGB when fully opaque (else RGBA), no row filter, zlib level 1.

    Written directly (IHDR, one IDAT, IEND): about twice as fast as PIL for a widget-sized
    image, and as small, since a chart's flat colours compress well without filtering.
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    opaque = bool(rgba[..., 3].min() == 255)
    channels = 3 if opaque else 4
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0 (none) for every row
    rows[:, 1:].reshape(height, width, channels)[...] = rgba[..., :channels]
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(rows.data, 1)),
            _chunk(b"IEND", b""),
        )
    )


class FigureRenderer:
    """One figure and one Agg canvas, reused for every frame of a widget's chart.

    ``png()`` draws the figure and returns PNG bytes. With ``freeze_layout`` the figure's
    layout engine (e.g. constrained layout) is solved on the first frame and then switched
    off, which halves the drawing time when only the data change; use it when the labels
    around the axes stay the same from frame to frame. ``seconds`` is how long the last
    ``png()`` took; ``backgrounds`` counts full draws, ``frames`` all frames.

    :meth:`animate` switches to blitting (see the module docstring): only the named artists
    (and what lies over them) are drawn per frame while the axes limits stay put.
    """

    def __init__(
        self, figure: Figure, *, dpi: float = DEFAULT_DPI, freeze_layout: bool = False
    ) -> None:
        self.figure = figure
        self.dpi = dpi
        self.freeze_layout = freeze_layout
        self._layout = figure.get_layout_engine()
        self._relayout = False
        self._laid_out: tuple = ()  # the labels around the axes when the layout was solved
        self._base_axes: list | None = None  # the axes redraw() keeps
        self.canvas = _FastCanvas(figure)
        figure.set_dpi(dpi)
        self.frames = 0
        self.backgrounds = 0
        self.seconds = 0.0
        self._moving: list[Artist] | None = None
        self._layers: list[Artist] = []  # drawn every frame, in the full draw's order
        self._background = None
        self._signature: tuple = ()

    # -- blitting -----------------------------------------------------------------------------
    def animate(self, artists: Iterable[Artist] | None, *, keep_background: bool = False) -> None:
        """Blit from now on: ``artists`` (children of the figure or of its axes) change between
        frames, everything else only when an axes' limits change or after :meth:`invalidate`.
        ``None`` goes back to drawing the whole figure every frame. Call it again whenever
        the widget replaces artists (e.g. after rebuilding a chart); ``keep_background`` when
        the new artists only replace moving ones and the rest of the figure is unchanged."""
        for artist in self._layers:
            artist.set_animated(False)
        self._layers = []
        self._moving = None if artists is None else list(artists)
        if keep_background and self._moving is not None and self._background is not None:
            self._layers = self._split_layers()
            for artist in self._layers:
                artist.set_animated(True)
        else:
            self._background = None

    def relayout(self) -> None:
        """With ``freeze_layout``: solve the layout once more on the next frame (the labels
        around the axes changed size), then freeze it again."""
        if self.freeze_layout and self._layout is not None:
            self.figure.set_layout_engine(self._layout)
            # start from the grid positions, as for a new figure: the layout engine's few
            # passes then give the same positions as a new figure's first draw would
            for ax in self.figure.axes:
                spec = ax.get_subplotspec()
                if spec is not None:
                    ax._set_position(spec.get_position(self.figure), which="both")
            self._relayout = True
            self._background = None

    def invalidate(self) -> None:
        """Something outside the moving artists changed: draw the whole figure next frame."""
        self._background = None

    def _current_signature(self) -> tuple:
        figure = self.figure
        return (
            figure.dpi,
            tuple(figure.get_size_inches()),
            tuple((ax.viewLim.bounds, ax.get_position().bounds) for ax in figure.axes),
        )

    def _split_layers(self) -> list[Artist]:
        """The artists each frame draws: per axes, everything from its first moving artist
        on, in the order :meth:`~matplotlib.axes.Axes.draw` uses (zorder, then insertion)."""
        moving = {id(a) for a in self._moving or ()}
        layers: list[Artist] = []
        for ax in self.figure.axes:
            children = ax.get_children()
            children.remove(ax.patch)
            if not (ax.axison and ax.get_frame_on()):
                children = [c for c in children if c not in ax.spines.values()]
            if not ax.axison:
                children = [c for c in children if c not in ax._axis_map.values()]
            children = sorted(children, key=attrgetter("zorder"))
            first = next((k for k, c in enumerate(children) if id(c) in moving), None)
            if first is not None:
                layers.extend(c for c in children[first:] if c.get_visible())
        # figure-level artists (a legend below the axes): drawn after the axes, as in a full
        # draw, from the first moving one on
        figure = self.figure
        children = [c for c in figure.get_children() if c is not figure.patch]
        children = [c for c in sorted(children, key=attrgetter("zorder")) if c not in figure.axes]
        first = next((k for k, c in enumerate(children) if id(c) in moving), None)
        if first is not None:
            layers.extend(c for c in children[first:] if c.get_visible())
        return layers

    def _draw_background(self) -> None:
        for artist in self._layers:
            artist.set_animated(False)
        self._layers = self._split_layers()
        for artist in self._layers:
            artist.set_animated(True)  # the full draw below leaves them out
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._signature = self._current_signature()
        self.backgrounds += 1

    def _blit(self) -> None:
        if self._background is None or self._current_signature() != self._signature:
            self._draw_background()
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self._layers:
            artist.draw(renderer)

    # -- frames -------------------------------------------------------------------------------
    def redraw(self, draw: Callable[..., Any]) -> bytes:
        """Clear the figure's axes (they keep their place in the layout) and let
        ``draw(*axes)`` fill them again, e.g. with a chart function's ``ax=``; return the PNG.

        Cheaper than a new figure: no new axes, no layout solve unless the labels around the
        axes changed (see :meth:`png`), and the canvas and its text caches are kept.
        """
        self.animate(None)
        figure = self.figure
        if self._base_axes is None:
            self._base_axes = list(figure.axes) or [figure.add_subplot()]
        for ax in figure.axes:
            if ax not in self._base_axes:  # made by the last draw (a twin axes): drawn anew
                ax.remove()
        for ax in self._base_axes:
            ax.clear()
        draw(*self._base_axes)
        # Axes the draw added in a base axes' place (twinx) take that axes' solved position.
        specs = {id(ax): ax for ax in self._base_axes}
        for ax in figure.axes:
            spec = ax.get_subplotspec()
            if ax not in self._base_axes and spec is not None:
                for base in specs.values():
                    if base.get_subplotspec() == spec:
                        ax._set_position(base.get_position(original=True), which="both")
        return self.png()

    def png(self) -> bytes:
        """Draw the figure and return PNG bytes.

        With ``freeze_layout`` the layout is solved again on its own when the texts around
        an axes (tick labels, axis labels, titles, legends) differ from those it was solved
        for, so a frozen layout never clips a longer label.
        """
        start = time.perf_counter()
        if self.figure.dpi != self.dpi:  # savefig(dpi=...) elsewhere may have changed it
            self.figure.set_dpi(self.dpi)
        if self.freeze_layout and self.frames and not self._relayout:
            if _label_signature(self.figure) != self._laid_out:
                self.relayout()
        laying_out = self.freeze_layout and (self.frames == 0 or self._relayout)
        if self._moving is None:
            self.canvas.draw()
            self.backgrounds += 1
        else:  # the layout engine, if it runs, also sees the moving artists left out here
            self._blit()
        data = _encode(self.canvas)
        if laying_out:
            self.figure.set_layout_engine("none")
            self._relayout = False
            self._laid_out = _label_signature(self.figure)
        self.frames += 1
        self.seconds = time.perf_counter() - start
        return data


def _extent(texts) -> tuple[int, int]:
    """How much room some texts need, roughly: their most lines and longest line."""
    lines = [line for text in texts for line in str(text).split("\n")]
    return (
        max((str(t).count("\n") + 1 for t in texts), default=0),
        max(map(len, lines), default=0),
    )


def _text_size(renderer, text: str, prop, dpi: float) -> tuple[float, float]:
    """Width and height in pixels of a plain (possibly multi-line) text, roughly as laid out."""
    from matplotlib.cbook import is_math_text  # noqa: PLC0415
    from matplotlib.text import _get_text_metrics_with_cache  # noqa: PLC0415

    sizes = [
        _get_text_metrics_with_cache(renderer, line or " ", prop, is_math_text(line), dpi)[:2]
        for line in str(text).split("\n")
    ]
    return max(w for w, _h in sizes), sum(h for _w, h in sizes)


def _tick_labels(axis) -> tuple[list, list]:
    """The major tick locations inside the view and their labels."""
    lo, hi = sorted(axis.get_view_interval())
    eps = (hi - lo) * 1e-9
    locs = [v for v in axis.get_majorticklocs() if lo - eps <= v <= hi + eps]
    return locs, axis.get_major_formatter().format_ticks(locs)


def _overhangs(figure: Figure) -> tuple:
    """How far (in pixels, rounded) the outermost tick labels reach past the ends of the axes
    and beyond what else sits on that side (the other axis' tick labels, a title), per grid
    cell: a label at or near an end of an axis sticks out by up to half its width (x) or
    height (y), and the layout makes room for that. Labels are taken as centred on their
    tick (the default; a chart that turns its tick labels keeps them fixed); what else sits
    on a side is underestimated (only the labels' own size), so a change is never missed."""
    renderer = figure.canvas.get_renderer()
    dpi = figure.dpi
    cells: dict = {}
    for ax in figure.axes:
        if not ax.axison:
            continue
        spec = ax.get_subplotspec()
        key = id(ax) if spec is None else (id(spec.get_gridspec()), spec.num1, spec.num2)
        cell = cells.setdefault(key, {"over": [0.0] * 4, "room": [0.0] * 4})
        box = ax.bbox
        for axis, x in ((ax.xaxis, True), (ax.yaxis, False)):
            if axis.get_ticks_position() == "none" or not axis.get_visible():
                continue
            locs, labels = _tick_labels(axis)
            if not locs:
                continue
            prop = axis.majorTicks[0].label1.get_fontproperties()
            sizes = [_text_size(renderer, t, prop, dpi) if t else (0.0, 0.0) for t in labels]
            # sides: 0 left, 1 right, 2 bottom, 3 top
            if x:
                side = 3 if axis.get_ticks_position() == "top" else 2
                cell["room"][side] = max(cell["room"][side], max(h for _w, h in sizes))
            else:
                side = 1 if axis.get_ticks_position() == "right" else 0
                cell["room"][side] = max(cell["room"][side], max(w for w, _h in sizes))
            lo, hi = (box.x0, box.x1) if x else (box.y0, box.y1)
            # the other coordinate inside the view, so that a log scale maps it
            other = min((ax.yaxis if x else ax.xaxis).get_view_interval())
            for k, end in ((0, 0), (len(locs) - 1, 1)):
                size = sizes[k][0 if x else 1]
                point = (locs[k], other) if x else (other, locs[k])
                at = float(ax.transData.transform(point)[0 if x else 1])
                if not math.isfinite(at):
                    continue
                reach = lo - (at - size / 2) if end == 0 else at + size / 2 - hi
                side = end if x else 2 + end
                cell["over"][side] = max(cell["over"][side], reach)
        titles = [t for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
        for title in titles:
            height = _text_size(renderer, title.get_text(), title.get_fontproperties(), dpi)[1]
            cell["room"][3] = max(cell["room"][3], height)
    return tuple(
        tuple(
            round(max(over - room, 0.0), 1) for over, room in zip(c["over"], c["room"], strict=True)
        )
        for c in cells.values()
    )


def _label_signature(figure: Figure) -> tuple:
    """What decides the layout, roughly and cheaply: the room each axes' visible tick labels,
    axis labels and titles need (and how far the outermost tick labels reach past the axes'
    ends), and the texts of legends outside an axes (a legend inside it takes no room).
    Equal signatures: the layout solved for one fits the other."""
    out: list = []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            _locs, formatted = _tick_labels(axis)
            lines, longest = _extent(formatted)
            label = _extent([axis.get_label().get_text()])[0]
            # a row of tick labels needs their height, a column their width (turned tick
            # labels are not told apart: a chart that turns them keeps them fixed)
            room = (lines, label) if axis is ax.xaxis else (longest, label)
            out.append((room, axis.get_ticks_position()))
        titles = (ax.get_title("left"), ax.get_title(), ax.get_title("right"))
        out.append((tuple(_extent([t]) for t in titles), ax.axison))
        legend = ax.get_legend()
        if legend is not None and legend.get_bbox_to_anchor().bounds != ax.bbox.bounds:
            out.append(tuple(t.get_text() for t in legend.texts))
    out.extend(tuple(t.get_text() for t in legend.texts) for legend in figure.legends)
    try:
        out.append(_overhangs(figure))
    except Exception:  # noqa: BLE001 - matplotlib internals changed: the rough signature only
        pass
    return tuple(out)


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
