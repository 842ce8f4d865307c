"""Compiled kernels for the Monte Carlo engine, built with numba when it is installed.

Optional: ``pip install "itpm-course[fast]"`` adds numba; without it (or with ``ITPM_NUMBA=0``)
the engine runs its numpy code, and the results are the same either way (the tests compare the
two bit for bit).  Why kernels at all: the numpy steps are fast on their own, but each is a
separate call of ten to fifty microseconds, and every call hands the GIL over between threads.
On the two-CPU virtual machines this was measured on, a hand-over costs several microseconds,
so two threads ran the numpy sampler only 1.05-1.2x faster than one, while two processes ran
it 2x.  A kernel does a task's whole row in one call without the GIL: the same work, and
threads scale (1.6-1.9x measured).

* :func:`draw_tasks` (through :func:`draw_stream`) -- the table sampler of
  :mod:`itpm_course.engine.betapert`, stream after stream in one call: numpy's SFC64
  generator stepped in the kernel (the same numbers as ``Generator.random``), each block's
  ``BLOCK`` positions then ``BLOCK`` heights, and the same strip lookup, squeeze and density
  test, value by value.
* :func:`stable_order` -- exactly ``np.argsort(x, kind="stable")``: three 11-bit radix passes
  over a 32-bit key monotone in ``x``, then values sharing a key put in order.

This module imports numba at the top; :func:`itpm_course.engine.betapert.compiled` loads it
only when numba is present.  ``cache=True`` keeps the machine code beside this file (or in
numba's cache directory), so only the first use on a machine compiles (about a second).
"""

from __future__ import annotations

import numpy as np
from numba import njit, uint64

_DOUBLE = 1.0 / 9007199254740992.0  # 2**-53: numpy turns a 64-bit word into a double this way


@njit(nogil=True, cache=True, inline="always")
def _sfc64_next(s):  # pragma: no cover - compiled
    # numpy/random/src/sfc64/sfc64.h: sfc64_next
    tmp = s[0] + s[1] + s[3]
    s[3] += uint64(1)
    s[0] = s[1] ^ (s[1] >> uint64(11))
    s[1] = s[2] + (s[2] << uint64(3))
    s[2] = ((s[2] << uint64(24)) | (s[2] >> uint64(40))) + tmp
    return tmp


@njit(nogil=True, cache=True)
def draw_stream(
    state, blocks, block, cells, guide, steps, cum_next, slope, intercept, ratio, hat, am1, bm1,
    uv, out,
):  # fmt: skip  # pragma: no cover - compiled
    """Accepted standard beta values from ``blocks`` blocks of candidates; returns their count.

    ``state`` is the SFC64 state (4 words, advanced in place); ``guide`` is the task's row of
    the guide table (strips numbered across rows, as the flat ``cum_next`` ... ``hat``);
    ``uv`` holds one block's uniforms; ``out`` receives the values, in candidate order.
    """
    count = 0
    for _ in range(blocks):
        for p in range(2 * block):
            uv[p] = np.float64(_sfc64_next(state) >> uint64(11)) * _DOUBLE
        for p in range(block):
            u = uv[p]
            v = uv[block + p]
            k = guide[int(u * cells)]
            for _ in range(steps):
                k += np.int64(cum_next[k] <= u)  # no branch: this one is unpredictable
            x = u * slope[k]
            x = x + intercept[k]
            if v > ratio[k]:
                xc = min(max(x, 0.0), 1.0)
                if v * hat[k] > xc**am1 * (1.0 - xc) ** bm1:
                    continue
            out[count] = min(max(x, 0.0), 1.0)
            count += 1
    return count


@njit(nogil=True, cache=True)
def draw_tasks(
    states, rows, tables, start, size, efficiency, block, cells, guide, steps,
    cum_next, slope, intercept, ratio, hat, am1, bm1, low, span, d, got, uv, spare, spare_at,
):  # fmt: skip  # pragma: no cover - compiled
    """Several streams in one call (one per thread): fill ``d[rows[i], start[i]:size]``.

    Stream i draws from ``states[i]`` with table row ``tables[i]``, request after request with
    the block counts of :func:`itpm_course.engine.betapert.draw_rows`, then scales the whole
    row by ``span[i]`` and ``low[i]``.  The values its last request drew beyond the row go to
    ``spare[spare_at[i]:spare_at[i + 1]]``; ``got`` holds one request's values.
    """
    at = 0
    for i in range(rows.shape[0]):
        k = tables[i]
        row = d[rows[i]]
        filled = start[i]
        spare_at[i] = at
        while filled < size:
            blocks = -(-int((size - filled) / efficiency[k] * 1.01 + 64) // block)
            count = draw_stream(
                states[i], blocks, block, cells, guide[k], steps[k], cum_next, slope,
                intercept, ratio, hat, am1[i], bm1[i], uv, got,
            )  # fmt: skip
            take = min(count, size - filled)
            row[filled : filled + take] = got[:take]
            filled += take
            if filled == size:
                spare[at : at + count - take] = got[take:count]
                at += count - take
        for j in range(size):
            x = row[j] * span[i]
            row[j] = x + low[i]
    spare_at[rows.shape[0]] = at


@njit(nogil=True, cache=True)
def stable_order(x, order, tmp, key, key2):  # pragma: no cover - compiled
    """Fill ``order`` with ``np.argsort(x, kind="stable")``; False if x's range is unusable.

    The key scales each value by the row's range to [0, 2**32 - 256] and is monotone in it;
    LSD radix passes (stable) order by the key, and runs of values sharing a key (closer than
    range / 2**32, or equal) are put in order by insertion, which keeps equal values in
    position order.  ``tmp``, ``key`` and ``key2`` are work arrays as long as ``x``.
    """
    m = x.shape[0]
    lo = x[0]
    hi = x[0]
    for i in range(m):
        if x[i] < lo:
            lo = x[i]
        if x[i] > hi:
            hi = x[i]
    span = hi - lo
    if not span > 0:
        if span == 0:
            for i in range(m):
                order[i] = i
            return True
        return False  # NaN
    scale = 4294967040.0 / span
    if not np.isfinite(scale):
        return False  # a subnormal range
    c0 = np.zeros(2048, np.int64)
    c1 = np.zeros(2048, np.int64)
    c2 = np.zeros(2048, np.int64)
    for i in range(m):
        k = np.uint32((x[i] - lo) * scale)
        key[i] = k
        c0[k & 2047] += 1
        c1[(k >> 11) & 2047] += 1
        c2[k >> 22] += 1
    a0 = 0
    a1 = 0
    a2 = 0
    for b in range(2048):
        t = c0[b]
        c0[b] = a0
        a0 += t
        t = c1[b]
        c1[b] = a1
        a1 += t
        t = c2[b]
        c2[b] = a2
        a2 += t
    for i in range(m):
        k = key[i]
        d = k & 2047
        tmp[c0[d]] = i
        key2[c0[d]] = k
        c0[d] += 1
    for i in range(m):
        k = key2[i]
        d = (k >> 11) & 2047
        order[c1[d]] = tmp[i]
        key[c1[d]] = k
        c1[d] += 1
    for i in range(m):
        k = key[i]
        d = k >> 22
        tmp[c2[d]] = order[i]
        key2[c2[d]] = k
        c2[d] += 1
    i = 0
    while i < m:
        j = i + 1
        while j < m and key2[j] == key2[i]:
            j += 1
        for a in range(i + 1, j):  # a run sharing a key: insertion sort by value (stable)
            e = tmp[a]
            xe = x[e]
            b = a - 1
            while b >= i and x[tmp[b]] > xe:
                tmp[b + 1] = tmp[b]
                b -= 1
            tmp[b + 1] = e
        i = j
    for i in range(m):
        order[i] = tmp[i]
    return True


@njit(nogil=True, cache=True)
def order_rows(x, rows, orders, tmp, key, key2, ok):  # pragma: no cover - compiled
    """:func:`stable_order` of ``x[rows[i]]`` into ``orders[rows[i]]``; ``ok[i]`` its result."""
    for i in range(rows.shape[0]):
        r = rows[i]
        ok[i] = stable_order(x[r], orders[r], tmp, key, key2)


@njit(nogil=True, cache=True)
def row_passes(
    d, lo, hi, width, order, into_start, into_finish, out_finish, out_start, eps,
    es, ef, lf, ls, finish, crit,
):  # fmt: skip  # pragma: no cover - compiled
    """The forward and backward pass of ``montecarlo._RowPasses`` on columns ``lo:hi`` of ``d``.

    Links are CSR tables ``(ptr, other, finish_end, lag)``: ``into_start`` holds the links that
    bound a task's start, ``into_finish`` its finish, ``out_finish`` / ``out_start`` the links
    leaving its finish / start.  Columns go ``width`` at a time through the work arrays
    ``es`` ... ``ls`` (tasks x width, kept in cache), with the operations of the numpy passes
    (max and min are exact, so their order does not matter).  Writes ``finish[lo:hi]`` and
    adds to ``crit`` the iterations in which each task's float is at most ``eps``.
    """
    n = d.shape[0]
    for c0 in range(lo, hi, width):
        w = min(width, hi - c0)
        dur = d[:, c0 : c0 + w]
        for j in order:
            row = es[j, :w]
            row[:] = 0.0
            for e in range(into_start[0][j], into_start[0][j + 1]):
                i = into_start[1][e]
                lag = into_start[3][e]
                src = ef[i, :w] if into_start[2][e] else es[i, :w]
                if lag != 0.0:
                    for c in range(w):
                        v = src[c] + lag
                        row[c] = v if v > row[c] else row[c]
                else:
                    for c in range(w):
                        v = src[c]
                        row[c] = v if v > row[c] else row[c]
            if into_finish[0][j] < into_finish[0][j + 1]:
                best = lf[j, :w]  # scratch: the late pass has not reached this row yet
                best[:] = -np.inf
                for e in range(into_finish[0][j], into_finish[0][j + 1]):
                    i = into_finish[1][e]
                    lag = into_finish[3][e]
                    src = ef[i, :w] if into_finish[2][e] else es[i, :w]
                    for c in range(w):
                        v = src[c] + lag
                        best[c] = v if v > best[c] else best[c]
                for c in range(w):
                    v = best[c] - dur[j, c]
                    row[c] = v if v > row[c] else row[c]
            for c in range(w):
                ef[j, c] = row[c] + dur[j, c]
        t = finish[c0 : c0 + w]
        t[:] = ef[0, :w]
        for j in range(1, n):
            for c in range(w):
                v = ef[j, c]
                t[c] = v if v > t[c] else t[c]
        for idx in range(len(order) - 1, -1, -1):
            i = order[idx]
            row = lf[i, :w]
            row[:] = t
            for e in range(out_finish[0][i], out_finish[0][i + 1]):
                j = out_finish[1][e]
                lag = out_finish[3][e]
                src = lf[j, :w] if out_finish[2][e] else ls[j, :w]
                if lag != 0.0:
                    for c in range(w):
                        v = src[c] - lag
                        row[c] = v if v < row[c] else row[c]
                else:
                    for c in range(w):
                        v = src[c]
                        row[c] = v if v < row[c] else row[c]
            if out_start[0][i] < out_start[0][i + 1]:
                best = ls[i, :w]  # scratch until this row's late start is written below
                best[:] = np.inf
                for e in range(out_start[0][i], out_start[0][i + 1]):
                    j = out_start[1][e]
                    lag = out_start[3][e]
                    src = lf[j, :w] if out_start[2][e] else ls[j, :w]
                    for c in range(w):
                        v = src[c] - lag
                        best[c] = v if v < best[c] else best[c]
                for c in range(w):
                    v = best[c] + dur[i, c]
                    row[c] = v if v < row[c] else row[c]
            count = 0
            for c in range(w):
                late = row[c] - dur[i, c]
                ls[i, c] = late
                count += late - es[i, c] <= eps
            crit[i] += count


@njit(nogil=True, cache=True)
def rank_dots(
    x, rows, ranks2, tmp, key, key2, order, dots, spans, ok
):  # fmt: skip  # pragma: no cover - compiled
    """Spearman sums of rows ``rows`` of ``x`` against ranks ``ranks2``, exactly, in integers.

    For row i: its stable order, ``dots[i] = sum_j ranks2[order[j]] * (2 j - (m - 1))``
    (``ranks2`` are twice the other variable's average ranks, so this is four times the
    covariance sum) and ``spans[i]`` its range.  ``ok[i]`` is False where the row could not
    be ordered (NaN, or a subnormal range).
    """
    m = x.shape[1]
    for i in range(rows.shape[0]):
        row = x[rows[i]]
        ok[i] = stable_order(row, order, tmp, key, key2)
        if not ok[i]:
            continue
        s = 0
        for j in range(m):
            s += ranks2[order[j]] * (2 * j - (m - 1))
        dots[i] = s
        spans[i] = row[order[m - 1]] - row[order[0]]
