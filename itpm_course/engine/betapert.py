"""Exact beta-PERT draws by rejection from a table hat (the "table method" of Ahrens).

A beta-PERT duration is ``low + (high - low) * X`` with ``X ~ Beta(alpha, beta)``; for lambda 4
both shapes lie in [1, 5] (``alpha + beta = 6``), so X's density
``f(x) ~ x**(alpha - 1) * (1 - x)**(beta - 1)`` is bounded and unimodal (log-concave), with its
mode at ``(alpha - 1) / 4``.

numpy's ``Generator.beta`` draws two gamma variates per value (Marsaglia & Tsang), a normal
and a uniform each, plus logarithms: about 40 ns per value here, the bulk of a schedule
simulation.  This module samples the same distribution exactly, by rejection, with almost no
transcendental functions:

* **Hat and squeeze.**  [0, 1] is cut into ``STRIPS`` strips (placed near the quantiles of f,
  so each holds a similar share of it).  On each strip the hat is f's maximum there and the
  squeeze its minimum; for a unimodal f these are f at the strip's ends (or at the mode, for
  the strip that holds it) -- exact bounds, widened by 1e-12 against rounding.
* **A candidate** is a draw from the hat: a uniform ``u`` picks a strip by inverting the hat's
  cumulative areas (a guide table lands within a step of it: Chen & Asau 1974) and its
  position inside that strip; a second uniform ``v`` is the height.
* **Acceptance.**  Below the squeeze (about 96% of candidates) the candidate is accepted at
  once; otherwise f is evaluated and the usual test ``v * hat <= f(x)`` decides.  About 97% of
  candidates are accepted.

Rejection from a hat that bounds f, with squeeze bounds below f, returns draws with density
exactly f (von Neumann 1951; Devroye, *Non-Uniform Random Variate Generation*, 1986, II.3 and
VIII.2; Hormann, Leydold & Derflinger, *Automatic Nonuniform Random Variate Generation*, 2004,
section 5.1 on the table method).  The tables are built for all tasks at once with a few
array operations, and a value costs about a dozen vectorised array steps.

With numba installed, :mod:`itpm_course.engine._compiled` runs the same steps in a compiled
kernel, value by value, with the same results (see :func:`compiled`).

Each task's :class:`PertStream` consumes its generator in blocks of ``BLOCK`` candidates
(``u`` for the whole block, then ``v``) and hands accepted values out in candidate order,
keeping any surplus for the next request, so the draws do not depend on how a run is split
into requests (chunks of iterations).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np

STRIPS = 256  # strips of the hat per task
CELLS = 512  # cells of the guide table (the strip where each cell starts)
BLOCK = 2048  # candidates drawn at a time
_GRID = 257  # grid on which f is integrated to place the strips
_WIDEN = 1e-12  # relative margin: hat a little above f's maximum, squeeze below its minimum


def _density(x: np.ndarray, am1, bm1) -> np.ndarray:
    """``x**am1 * (1 - x)**bm1``: an unnormalised beta density on [0, 1] (0**0 is 1)."""
    return np.power(x, am1) * np.power(1.0 - x, bm1)


def _density_table(x: np.ndarray, am1: np.ndarray, bm1: np.ndarray) -> np.ndarray:
    """:func:`_density` for many points at once, through log and exp (numpy vectorises both)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lx, l1x = np.log(x), np.log1p(-x)
        log_f = am1 * lx
        log_f[(am1 == 0) & (lx == -np.inf)] = 0.0  # 0**0
        tail = bm1 * l1x
        tail[(bm1 == 0) & (l1x == -np.inf)] = 0.0
        log_f += tail
    return np.exp(log_f, out=log_f)


@dataclass(frozen=True)
class PertTables:
    """Hat, squeeze and guide tables for a set of Beta(alpha, beta) shapes, one row per shape."""

    alpha: np.ndarray
    beta: np.ndarray
    edges: np.ndarray  # (n, STRIPS + 1) strip boundaries on [0, 1]
    hat: np.ndarray  # (n, STRIPS) hat height on each strip (f's maximum there)
    squeeze: np.ndarray  # (n, STRIPS) squeeze height (f's minimum there)
    cum_next: np.ndarray  # (n, STRIPS) hat area up to each strip's end, as a share; last is 2
    slope: np.ndarray  # (n, STRIPS): x = u * slope + intercept inside the chosen strip
    intercept: np.ndarray
    line: np.ndarray  # slope + 1j * intercept, flattened: one gather fetches both
    ratio: np.ndarray  # (n, STRIPS) squeeze / hat: a height v below it is accepted at once
    # (n, CELLS) the strip (numbered across rows: row * STRIPS + strip) where cell
    # c = floor(u * CELLS) starts; u's own strip is at most `steps` further on
    guide: np.ndarray
    steps: np.ndarray  # (n,) steps from the guide's strip to u's strip, at most
    efficiency: np.ndarray  # (n,) area under f / area under the hat: accepted share (about)

    @classmethod
    def build(cls, alpha, beta) -> PertTables:
        """Tables for the shapes ``Beta(alpha[k], beta[k])``, both at least 1."""
        alpha = np.atleast_1d(np.asarray(alpha, dtype=float))
        beta = np.atleast_1d(np.asarray(beta, dtype=float))
        if alpha.shape != beta.shape or alpha.ndim != 1:
            raise ValueError("alpha and beta must be 1-d arrays of the same length")
        if len(alpha) and not (np.all(alpha >= 1.0) and np.all(beta >= 1.0)):
            raise ValueError("the table sampler needs alpha >= 1 and beta >= 1 (beta-PERT shapes)")
        n = len(alpha)
        am1, bm1 = (alpha - 1.0)[:, None], (beta - 1.0)[:, None]

        # 1. strip edges near f's quantiles: invert a trapezoid integral of f on a fine grid
        grid = np.linspace(0.0, 1.0, _GRID)
        fg = _density_table(grid, am1, bm1)
        cdf = np.zeros((n, _GRID))
        np.cumsum((fg[:, 1:] + fg[:, :-1]) * 0.5, axis=1, out=cdf[:, 1:])
        integral = cdf[:, -1] / (_GRID - 1)  # of f over [0, 1], closely enough to plan blocks
        cdf /= cdf[:, -1:]
        edges = _invert_rows(cdf, grid, STRIPS)
        edges[:, 0], edges[:, -1] = 0.0, 1.0
        np.maximum.accumulate(edges, axis=1, out=edges)

        # 2. hat = f's maximum on each strip, squeeze = its minimum (f is unimodal)
        fe = _density_table(edges, am1, bm1)
        left, right = fe[:, :-1], fe[:, 1:]
        shape = am1 + bm1  # the mode is (alpha - 1) / (alpha + beta - 2); Beta(1, 1) is flat
        mode = np.divide(am1, shape, out=np.full_like(am1, 0.5), where=shape > 0)
        holds_mode = (edges[:, :-1] <= mode) & (mode <= edges[:, 1:])
        hat = np.where(holds_mode, _density(mode, am1, bm1), np.maximum(left, right))
        hat *= 1.0 + _WIDEN
        squeeze = np.minimum(left, right) * (1.0 - _WIDEN)
        width = np.diff(edges, axis=1)
        area = hat * width
        total = area.sum(axis=1, keepdims=True)

        # 3. cumulative hat shares; u in [cum[i], cum[i + 1]) picks strip i
        cum = np.zeros((n, STRIPS + 1))
        np.cumsum(area, axis=1, out=cum[:, 1:])
        cum /= total
        cum_next = cum[:, 1:].copy()
        cum_next[:, -1] = 2.0  # no u reaches past the last strip, whatever the rounding
        share = np.diff(cum, axis=1)
        slope = np.divide(width, share, out=np.zeros_like(width), where=share > 0)
        intercept = edges[:, :-1] - cum[:, :-1] * slope
        ratio = np.divide(squeeze, hat, out=np.zeros_like(hat), where=hat > 0)

        # 4. guide table: the strip holding each cell's left end; u's own strip is at most
        #    `steps` strips further on
        guide = _last_at_or_below(cum[:, :-1], CELLS)
        steps = (guide[:, 1:] - guide[:, :-1]).max(axis=1) if n else np.zeros(0, dtype=np.intp)

        guide = guide[:, :-1] + STRIPS * np.arange(n)[:, None]  # strips numbered across rows
        return cls(
            alpha, beta, edges, hat, squeeze, cum_next,
            slope, intercept, (slope + 1j * intercept).reshape(-1), ratio, guide, steps,
            np.minimum(integral / total[:, 0], 1.0),
        )  # fmt: skip

    def flat(self) -> tuple[np.ndarray, ...]:
        """cum_next, slope, intercept, ratio and hat as flat arrays (strips numbered across rows)."""
        return tuple(
            a.reshape(-1) for a in (self.cum_next, self.slope, self.intercept, self.ratio, self.hat)
        )

    def stream(self, k: int, rng: np.random.Generator, low: float = 0.0, high: float = 1.0):
        """A :class:`PertStream` of ``low + (high - low) * Beta`` for row ``k``, drawing from ``rng``."""
        return PertStream(self, k, rng, low, high)


def _invert_rows(cdf: np.ndarray, grid: np.ndarray, parts: int) -> np.ndarray:
    """Row-wise linear inverse interpolation: x where each row's cdf meets 0, 1/parts, ..., 1.

    ``cdf`` rows are non-decreasing from 0 to 1 over ``grid``.
    """
    n, g = cdf.shape
    targets = np.arange(parts + 1) / parts
    pos = np.clip(_last_at_or_below(cdf, parts), 0, g - 2)
    c0 = np.take_along_axis(cdf, pos, axis=1)
    c1 = np.take_along_axis(cdf, pos + 1, axis=1)
    gap = c1 - c0
    frac = np.divide(targets - c0, gap, out=np.zeros_like(gap), where=gap > 0)
    return grid[pos] + np.clip(frac, 0.0, 1.0) * (grid[pos + 1] - grid[pos])


def _last_at_or_below(cum: np.ndarray, parts: int) -> np.ndarray:
    """Per row, for each point c / parts (c = 0..parts), the largest i with ``cum[row, i] <= c / parts``.

    ``cum`` rows are non-decreasing and start at 0.  ``parts`` is a power of two, so
    ``cum * parts`` and the comparison are exact: value i is at or below point c exactly when
    ``c >= ceil(cum[i] * parts)``, and counting those is a histogram and a cumulative sum.
    """
    n, k = cum.shape
    first = np.minimum(np.ceil(cum * parts), parts + 1).astype(np.intp)  # parts + 1: never
    first += (parts + 2) * np.arange(n)[:, None]
    counts = np.bincount(first.ravel(), minlength=n * (parts + 2)).reshape(n, parts + 2)
    return np.cumsum(counts[:, : parts + 1], axis=1) - 1


class PertStream:
    """Exact ``low + (high - low) * Beta(alpha, beta)`` draws for row ``k`` of :class:`PertTables`.

    Draws come from ``rng`` in blocks of :data:`BLOCK` candidates; values accepted beyond a
    request wait for the next one, so ``draw(a)`` then ``draw(b)`` gives the same values as
    ``draw(a + b)``.  One stream belongs to one thread at a time.
    """

    def __init__(
        self, tables: PertTables, k: int, rng: np.random.Generator, low: float, high: float
    ) -> None:
        self.tables = tables
        self.k = int(k)
        self.rng = rng
        self.low = float(low)
        self.span = float(high) - float(low)
        self.spare = np.empty(0)  # accepted standard beta values not handed out yet

    def draw(self, size: int) -> np.ndarray:
        out = np.empty(size)
        draw_rows([self], [out])
        return out


# Streams drawn together in one set of array operations: enough that each operation is long,
# few enough to stay in cache.  Threads drawing side by side do better with larger groups:
# every numpy call hands the GIL over, and on the virtual machines measured a hand-over costs
# several microseconds, so calls of ~10 microseconds scaled 1.15x on two threads, ~50 1.8x.
GROUP = 4
THREADED_GROUP = 8


_NO = {"0", "no", "false", "off"}
_YES = {"1", "yes", "true", "on"}
_compiled: ModuleType | bool | None = None  # None: not loaded yet; False: numba is missing


def compiled(load: bool = False) -> ModuleType | None:
    """The compiled kernels (:mod:`itpm_course.engine._compiled`) once loaded, or None.

    Loading them costs about a second once per process (numba's import and its cached machine
    code; the very first use on a machine compiles them, a few seconds more), which a short
    run would not win back: they are loaded when ``load`` is true (``simulate`` asks for them
    on runs of 50 million samples or more) or when the environment variable ``ITPM_NUMBA`` is
    1/yes/true/on, and used by every run after that.  ``ITPM_NUMBA`` 0/no/false/off turns
    them off, as does numba missing (or failing to load); the numpy code then runs, with the
    same results.
    """
    global _compiled
    switch = os.environ.get("ITPM_NUMBA", "").strip().lower()
    if switch in _NO:
        return None
    if _compiled is None and (load or switch in _YES):
        try:
            from itpm_course.engine import _compiled as module  # noqa: PLC0415
        except ImportError:
            module = False
        _compiled = module
    return _compiled or None


def draw_rows(
    streams: Sequence[PertStream], out: Sequence[np.ndarray], group_size: int = GROUP
) -> None:
    """Fill each 1-d array ``out[i]`` with the next draws of ``streams[i]`` (all of one table).

    With the compiled kernels, stream by stream.  Otherwise the streams are handled in groups
    of ``group_size``: their candidates go through the table steps together, each stream still
    drawing only from its own generator, in its own order.  The draws are the same either way.
    """
    if compiled() is not None:
        rest = []
        for s, row in zip(streams, out, strict=True):
            if _compilable([s], row):
                draw_into([s], row[None, :], [0])
            else:
                rest.append((s, row))
        if not rest:
            return
        streams, out = [s for s, _ in rest], [row for _, row in rest]
    size = len(out[0]) if len(out) else 0
    for start in range(0, len(streams), group_size):
        group = streams[start : start + group_size]
        rows = out[start : start + group_size]
        filled = []
        for s, row in zip(group, rows, strict=True):
            take = min(len(s.spare), size)
            row[:take] = s.spare[:take]
            s.spare = s.spare[take:]
            filled.append(take)
        pending = [i for i, f in enumerate(filled) if f < size]
        while pending:
            blocks = [_blocks(group[i], size - filled[i]) for i in pending]
            values, counts = _accepted([group[i] for i in pending], blocks)
            ends = np.cumsum(counts)
            for i, end, count in zip(pending, ends.tolist(), counts.tolist(), strict=True):
                s, got = group[i], values[end - count : end]
                take = min(count, size - filled[i])
                rows[i][filled[i] : filled[i] + take] = got[:take]
                s.spare = got[take:].copy()
                filled[i] += take
            pending = [i for i in pending if filled[i] < size]
        for s, row in zip(group, rows, strict=True):
            row *= s.span
            row += s.low


def draw_into(
    streams: Sequence[PertStream], d: np.ndarray, rows: Sequence[int], group_size: int = GROUP
) -> None:
    """:func:`draw_rows` into rows ``rows`` of the 2-d array ``d`` (all streams of one table).

    With the compiled kernels, all the streams are drawn in one call
    (:func:`itpm_course.engine._compiled.draw_tasks`), so a thread hands the GIL over once.
    """
    kernels = compiled()
    if kernels is None or not len(streams) or not _compilable(streams, d):
        draw_rows(streams, [d[r] for r in rows], group_size)
        return
    size = d.shape[1]
    t = streams[0].tables
    start = np.empty(len(streams), dtype=np.intp)
    for i, (s, r) in enumerate(zip(streams, rows, strict=True)):
        start[i] = take = min(len(s.spare), size)
        d[r, :take] = s.spare[:take]
        s.spare = s.spare[take:]
    bitgen = [s.rng.bit_generator for s in streams]
    states = [g.state for g in bitgen]
    words = np.array([st["state"]["state"] for st in states], dtype=np.uint64)
    ks = np.array([s.k for s in streams], dtype=np.intp)
    width = max(_blocks(s, size - int(a)) for s, a in zip(streams, start, strict=True)) * BLOCK
    buf = _scratch(width)
    spare = getattr(_local, "spare", None)
    if spare is None or len(spare) < len(streams) * width:
        spare = _local.spare = np.empty(len(streams) * width)
    spare_at = np.empty(len(streams) + 1, dtype=np.intp)
    kernels.draw_tasks(
        words, np.asarray(rows, dtype=np.intp), ks, start, size, t.efficiency, BLOCK, CELLS,
        t.guide, t.steps, *t.flat(), t.alpha[ks] - 1.0, t.beta[ks] - 1.0,
        np.array([s.low for s in streams]), np.array([s.span for s in streams]),
        d, buf.x, buf.uniforms, spare, spare_at,
    )  # fmt: skip
    for i, s in enumerate(streams):
        if start[i] < size:  # the old spare is used up; the last request's surplus is the new
            s.spare = spare[spare_at[i] : spare_at[i + 1]].copy()
            states[i]["state"]["state"] = words[i]
            bitgen[i].state = states[i]


def _compilable(streams: Sequence[PertStream], d: np.ndarray) -> bool:
    """Whether the kernel can draw ``streams`` into ``d``: SFC64 generators (the one it steps)
    and a C-contiguous float64 array."""
    return (
        all(type(s.rng.bit_generator) is np.random.SFC64 for s in streams)
        and d.dtype == np.float64
        and d.flags.c_contiguous
    )


def _blocks(stream: PertStream, wanted: int) -> int:
    """Blocks of candidates to draw for ``wanted`` more values (a few percent to spare)."""
    return -(-int(wanted / stream.tables.efficiency[stream.k] * 1.01 + 64) // BLOCK)


def _accepted(
    streams: Sequence[PertStream], blocks: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Standard beta values accepted from the next ``blocks[i]`` blocks of each stream.

    Returns the values (stream after stream, each in candidate order) and the count per stream.
    """
    tables = streams[0].tables
    total = sum(blocks)
    n = total * BLOCK
    buf = _scratch(n)
    uv = buf.uniforms[: 2 * n].reshape(total, 2, BLOCK)
    at = 0
    for s, b in zip(streams, blocks, strict=True):
        s.rng.random(out=uv[at : at + b])  # per block: BLOCK positions u, then BLOCK heights v
        at += b
    # contiguous copies (one generator call per stream, rather than two per block, keeps
    # threads from queueing for the GIL between short calls)
    u, v = buf.u[:n].reshape(total, BLOCK), buf.v[:n].reshape(total, BLOCK)
    u[...] = uv[:, 0, :]
    v[...] = uv[:, 1, :]
    u, v = u.reshape(-1), v.reshape(-1)
    row = np.repeat(np.array([s.k for s in streams], dtype=np.intp), blocks)  # per block
    x = buf.x[:n]
    cell = np.multiply(u, CELLS, out=x).astype(np.intp).reshape(total, BLOCK)
    cell += (row * CELLS)[:, None]
    strip = tables.guide.take(cell.reshape(-1))
    for _ in range(int(tables.steps[row].max())):  # extra steps leave a strip as it is
        strip += tables.cum_next.reshape(-1).take(strip) <= u
    line = tables.line.take(strip)  # slope and intercept in one gather
    np.multiply(u, line.real, out=x)
    x += line.imag
    reject = np.greater(v, tables.ratio.reshape(-1).take(strip), out=buf.reject[:n])
    rest = np.flatnonzero(reject)
    if len(rest):  # above the squeeze: compare with f itself
        k = row[rest // BLOCK]
        f = _density(np.clip(x[rest], 0.0, 1.0), tables.alpha[k] - 1.0, tables.beta[k] - 1.0)
        reject[rest] = v[rest] * tables.hat.reshape(-1).take(strip[rest]) > f
    keep = np.logical_not(reject, out=reject)
    values = x[keep]
    np.clip(values, 0.0, 1.0, out=values)  # rounding in u * slope + intercept, ~1e-16
    ends = np.cumsum(blocks) * BLOCK
    counts = [
        np.count_nonzero(keep[end - b * BLOCK : end])
        for b, end in zip(blocks, ends.tolist(), strict=True)
    ]
    return values, np.array(counts, dtype=np.intp)


_local = threading.local()


@dataclass
class _Scratch:
    uniforms: np.ndarray
    u: np.ndarray
    v: np.ndarray
    x: np.ndarray
    reject: np.ndarray


def _scratch(n: int) -> _Scratch:
    """Per-thread work arrays, grown as needed.

    Reusing them matters: fresh arrays of this size are newly mapped pages, and page faults
    from several threads queue on the process's memory-map lock.
    """
    buf = getattr(_local, "pert", None)
    if buf is None or len(buf.x) < n:
        size = max(n, 8 * BLOCK)
        buf = _local.pert = _Scratch(
            np.empty(2 * size), np.empty(size), np.empty(size), np.empty(size), np.empty(size, bool)
        )
    return buf
