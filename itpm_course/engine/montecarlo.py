"""Monte Carlo schedule and cost risk analysis over the CPM network.

Every iteration samples a duration for each uncertain task and runs the forward and backward
pass of :mod:`itpm_course.engine.schedule` — but all iterations at once: durations form a
``(tasks, iterations)`` matrix and each pass is one numpy reduction per level of the network,
so there is no Python loop per iteration.

Distributions (three-point estimate a <= m <= b):

* ``"pert"``: beta-PERT with lambda 4, ``a + (b - a) * Beta(alpha, beta)`` with
  ``alpha = 1 + 4 (m - a) / (b - a)``, ``beta = 1 + 4 (b - m) / (b - a)``; mean ``(a + 4m + b) / 6``
  (Vose, *Risk Analysis*; the @RISK ``RiskPert``).  Drawn exactly by rejection from a table
  hat (:mod:`itpm_course.engine.betapert`), in roughly half the time of ``Generator.beta``.
* ``"triangular"``: ``Triangular(a, m, b)``, mean ``(a + m + b) / 3``, sampled by inverse CDF.

A task with only a duration (or ``a == b``) is fixed.  Correlation between durations uses
rank-order correlation (Iman & Conover 1982, the method of @RISK and Crystal Ball): samples
are drawn exactly from their own distributions and then reordered to follow correlated normal
scores (a Gaussian copula), so every marginal stays exact.  Discrete risk events ("risk
drivers", Hulett 2009) add days and cost to named tasks in the iterations where they occur.

Speed: with numba installed (``pip install "itpm-course[fast]"``), the sampler, the passes
and the rank sums of the sensitivities can run as compiled kernels
(:mod:`itpm_course.engine._compiled`), one call per thread, which lets threads share the
work.  Loading them costs about a second per process, so they are used once loaded: by a run
of 50 million samples or more, by ``ITPM_NUMBA=1``, or by
:func:`itpm_course.engine.betapert.compiled` ``(load=True)``; otherwise (and with
``ITPM_NUMBA=0``) the numpy code runs.  The results are the same either way, bit for bit
(``tests/engine/test_compiled.py``).

References: AACE RP 57R-09; GAO Schedule Assessment Guide (GAO-16-89G), best practice 8;
Hulett, *Practical Schedule Risk Analysis* (2009); Vanhoucke, *Measuring Time* (2010).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from itpm_course.engine.betapert import GROUP, THREADED_GROUP, PertTables, compiled, draw_into
from itpm_course.engine.schedule import schedule
from itpm_course.plan.network import Network

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.plan.model import ProjectPlan

DISTRIBUTIONS = ("pert", "triangular")
PERCENTILES = (10, 20, 50, 80, 90, 95)
_EPS = 1e-9


@dataclass(frozen=True)
class RiskEvent:
    """A discrete risk: with ``probability`` it occurs, delays ``tasks`` by ``days`` and adds ``cost``.

    The days are shared among the named tasks in proportion to their most likely durations,
    so a risk on a chain of tasks delays that chain by ``days`` in total.
    """

    id: str
    probability: float
    days: float = 0.0
    tasks: tuple[str, ...] = ()
    cost: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.probability <= 1:
            raise ValueError(
                f"risk {self.id!r}: probability must be between 0 and 1, got {self.probability}"
            )
        if self.days < 0 or self.cost < 0:
            raise ValueError(f"risk {self.id!r}: days and cost must be >= 0")
        if self.days > 0 and not self.tasks:
            raise ValueError(f"risk {self.id!r}: adds {self.days:g} days but names no task")


def risk_events(register: Iterable) -> list[RiskEvent]:
    """Simulation events from a risk register: its active threats with their days, tasks and cost.

    Opportunities and closed risks are left out; a threat with neither days nor cost adds nothing.
    """
    return [
        RiskEvent(r.id, r.probability, r.impact_days or 0.0, tuple(r.tasks), r.impact_cost or 0.0)
        for r in register
        if r.is_threat and r.is_active and (r.impact_days or r.impact_cost)
    ]


@dataclass(frozen=True)
class CorrelationGroup:
    """Tasks whose durations move together with rank correlation ``rho`` (Spearman, -1..1)."""

    rho: float
    tasks: tuple[str, ...]
    name: str = ""


@dataclass(eq=False)
class SimulationResult:
    """Outcome of :func:`simulate`: the finish distribution, criticality, sensitivity and cost."""

    plan: ProjectPlan
    iterations: int
    seed: int
    distribution: str
    finish: np.ndarray  # project duration per iteration, working days
    criticality: np.ndarray  # share of iterations in which each task is critical
    sensitivity: np.ndarray  # Spearman rank correlation of each task's duration with the finish
    mean_durations: np.ndarray
    deterministic_duration: float  # CPM with the most likely durations
    expected_path_duration: float  # CPM with each task's mean duration (what PERT would say)
    cost: np.ndarray | None = None  # total cost per iteration
    base_cost: float | None = None  # cost at the most likely durations, no risk events
    risk_occurrence: dict[str, float] = field(default_factory=dict)
    # sampled durations (tasks x iterations, risk days included), kept only on request
    durations: np.ndarray | None = field(default=None, repr=False)

    @property
    def ids(self) -> tuple[str, ...]:
        return self.plan.network.ids

    @property
    def mean(self) -> float:
        return float(self.finish.mean())

    @property
    def std(self) -> float:
        return float(self.finish.std(ddof=1)) if self.iterations > 1 else 0.0

    def percentile(self, q: float) -> float:
        """The q-th percentile of the project duration (working days)."""
        return float(np.percentile(self.finish, q))

    @property
    def percentiles(self) -> dict[str, float]:
        values = np.percentile(self.finish, PERCENTILES)
        return {f"P{q}": float(v) for q, v in zip(PERCENTILES, values, strict=True)}

    @property
    def merge_bias(self) -> float:
        """Mean simulated duration minus the CPM duration at mean task durations (>= 0 in expectation)."""
        return self.mean - self.expected_path_duration

    def probability_on_time(self, deadline: float) -> float:
        """Share of iterations finishing within ``deadline`` working days."""
        return float(np.mean(self.finish <= deadline + _EPS))

    def cost_percentile(self, q: float) -> float:
        """The q-th percentile of total cost (needs task costs or rates)."""
        if self.cost is None:
            raise ValueError(
                "this plan has no task costs or rates, so there is no cost distribution"
            )
        return float(np.percentile(self.cost, q))

    @property
    def contingency(self) -> float | None:
        """Contingency reserve implied by a P80 budget: P80 cost minus the base cost."""
        if self.cost is None or self.base_cost is None:
            return None
        return self.cost_percentile(80) - self.base_cost

    def to_frame(self) -> pd.DataFrame:
        """Per-task table: mean simulated duration, criticality index and sensitivity."""
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame(
            {
                "name": [t.name for t in self.plan.tasks],
                "mean_duration": self.mean_durations,
                "criticality": self.criticality,
                "sensitivity": self.sensitivity,
            },
            index=pd.Index(self.ids, name="id"),
        )

    def to_dict(self, deadline: float | None = None, digits: int = 4) -> dict[str, Any]:
        """JSON-ready summary (durations in working days)."""

        def r(x: float) -> float:
            return round(float(x), digits)

        out: dict[str, Any] = {
            "iterations": self.iterations,
            "seed": self.seed,
            "distribution": self.distribution,
            "deterministic_duration": r(self.deterministic_duration),
            "expected_path_duration": r(self.expected_path_duration),
            "mean": r(self.mean),
            "std": r(self.std),
            "percentiles": {k: r(v) for k, v in self.percentiles.items()},
            "merge_bias": r(self.merge_bias),
        }
        if deadline is not None:
            out["deadline"] = deadline
            out["probability_on_time"] = r(self.probability_on_time(deadline))
        out["criticality"] = {tid: r(v) for tid, v in zip(self.ids, self.criticality, strict=True)}
        out["sensitivity"] = {tid: r(v) for tid, v in zip(self.ids, self.sensitivity, strict=True)}
        if self.cost is not None:
            out["cost"] = {
                "base": r(self.base_cost),
                "mean": r(self.cost.mean()),
                "P50": r(self.cost_percentile(50)),
                "P80": r(self.cost_percentile(80)),
                "P90": r(self.cost_percentile(90)),
                "contingency_P80": r(self.contingency),
            }
        if self.risk_occurrence:
            out["risk_occurrence"] = {k: r(v) for k, v in self.risk_occurrence.items()}
        return out


# --------------------------------------------------------------------------------- sampling
@dataclass(frozen=True)
class _Estimates:
    """Per-task three-point estimates as arrays; ``uncertain`` marks tasks with a range."""

    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray
    uncertain: np.ndarray

    @classmethod
    def from_plan(cls, plan: ProjectPlan) -> _Estimates:
        n = len(plan.tasks)
        low, mode, high = (np.empty(n) for _ in range(3))
        for k, t in enumerate(plan.tasks):
            if t.optimistic is None:
                low[k] = mode[k] = high[k] = t.duration
            else:
                low[k], mode[k], high[k] = t.optimistic, t.most_likely, t.pessimistic
        return cls(low, mode, high, high - low > _EPS)

    @cached_property
    def alpha(self) -> np.ndarray:
        return pert_shape(self.low, self.mode, self.high)[0]

    @cached_property
    def beta(self) -> np.ndarray:
        return pert_shape(self.low, self.mode, self.high)[1]

    def means(self, distribution: str) -> np.ndarray:
        if distribution == "pert":
            return (self.low + 4 * self.mode + self.high) / 6
        return (self.low + self.mode + self.high) / 3


def pert_shape(low, mode, high) -> tuple[np.ndarray, np.ndarray]:
    """Beta shape parameters (alpha, beta) of beta-PERT with lambda 4."""
    span = np.asarray(high, dtype=float) - np.asarray(low, dtype=float)
    rel = np.divide(np.asarray(mode) - low, span, out=np.full(np.shape(span), 0.5), where=span > 0)
    return 1 + 4 * rel, 1 + 4 * (1 - rel)


def sample_pert(low, mode, high, size: int, rng: np.random.Generator) -> np.ndarray:
    """``(len(low), size)`` exact beta-PERT draws, one row per task (as :func:`simulate` draws).

    Sampled by :mod:`itpm_course.engine.betapert` (rejection from a table hat), task after task
    from ``rng``.
    """
    low, mode, high = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (low, mode, high))
    alpha, beta = pert_shape(low, mode, high)
    tables = PertTables.build(alpha, beta)
    out = np.empty((len(low), size))
    for k in range(len(low)):
        out[k] = tables.stream(k, rng, low[k], high[k]).draw(size)
    return out


def triangular_ppf(u: np.ndarray, low, mode, high) -> np.ndarray:
    """Inverse CDF of Triangular(low, mode, high), broadcasting row-wise over ``u``."""
    low, mode, high = (np.asarray(v, dtype=float)[:, None] for v in (low, mode, high))
    span = high - low
    cut = np.divide(mode - low, span, out=np.full(span.shape, 0.5), where=span > 0)
    left = low + np.sqrt(u * span * (mode - low))
    right = high - np.sqrt((1 - u) * span * (high - mode))
    return np.where(u < cut, left, right)


def sample_triangular(low, mode, high, size: int, rng: np.random.Generator) -> np.ndarray:
    """``(len(low), size)`` exact triangular draws, one row per task."""
    return triangular_ppf(rng.random((len(low), size)), low, mode, high)


def _triangular_row(rng: np.random.Generator, est: _Estimates, k: int, size: int) -> np.ndarray:
    return triangular_ppf(
        rng.random((1, size)), est.low[k : k + 1], est.mode[k : k + 1], est.high[k : k + 1]
    )[0]


def correlation_matrix(
    n: int, groups: Sequence[CorrelationGroup], index: Mapping[str, int]
) -> np.ndarray:
    """Target rank-correlation matrix over ``n`` tasks from correlation groups (checked PSD)."""
    c = np.eye(n)
    seen: dict[int, str] = {}
    for g in groups:
        if not -1 <= g.rho <= 1:
            raise ValueError(
                f"correlation {g.name or ''} rho must be between -1 and 1, got {g.rho}"
            )
        idx = []
        for tid in g.tasks:
            if tid not in index:
                raise ValueError(f"correlation group {g.name!r}: unknown task {tid!r}")
            k = index[tid]
            if k in seen:
                raise ValueError(
                    f"task {tid!r} is in two correlation groups ({seen[k]!r} and {g.name!r})"
                )
            seen[k] = g.name
            idx.append(k)
        ix = np.asarray(idx)
        c[np.ix_(ix, ix)] = g.rho
        c[ix, ix] = 1.0
    eig = np.linalg.eigvalsh(c)
    if eig.min() < -1e-10:
        raise ValueError(
            f"the correlations are inconsistent (matrix not positive semi-definite, smallest eigenvalue {eig.min():.3g}); "
            "with k tasks in a group, rho must be at least -1/(k-1)"
        )
    return c


def _normal_scores(rank_corr: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Correlated standard normals whose Spearman correlation matches ``rank_corr``."""
    pearson = 2 * np.sin(np.pi * rank_corr / 6)  # Spearman -> Pearson for a Gaussian copula
    np.fill_diagonal(pearson, 1.0)
    w, v = np.linalg.eigh(pearson)
    root = v * np.sqrt(np.clip(w, 0, None))  # works for semi-definite matrices too
    return _matmul(root, rng.standard_normal((len(pearson), size)))


# Rows shorter than this are ordered with a plain argsort (the radix passes pay off above it).
_RADIX_MIN = 512
# Keys span [0, 2**32 - 256]: a little under 2**32, so rounding in the scaling never overflows.
_KEY_MAX = float(2**32 - 256)


_sort_work = threading.local()  # per-thread work arrays of the compiled sort


def _order(x: np.ndarray) -> np.ndarray:
    """Indices that sort the 1-d float array ``x``: exactly ``np.argsort(x, kind="stable")``.

    Two stable radix passes over 16-bit halves of a 32-bit key (numpy sorts 16-bit integers by
    radix, several times faster than a comparison argsort of floats; ``np.lexsort`` chains the
    passes in C, a third faster than chaining them here).  The key scales each
    value by the row's range and is monotone in it, so distinct keys order the values exactly;
    two values sharing a key (closer than range / 2**32) are put in order afterwards, and a
    row where three share one is argsorted instead.  With numba, a compiled radix sort
    (:func:`itpm_course.engine._compiled.stable_order`) gives the same order.
    """
    m = len(x)
    if m < _RADIX_MIN:
        return np.argsort(x, kind="stable")
    kernels = compiled()
    if kernels is not None:  # the same order from a compiled radix sort (one call, no GIL)
        x = np.ascontiguousarray(x, dtype=np.float64)
        order = np.empty(m, dtype=np.intp)
        if kernels.stable_order(x, order, *_sort_arrays(m)):
            return order
        return np.argsort(x, kind="stable")  # NaN, or a subnormal range
    lo = x.min()
    span = x.max() - lo
    if not span > 0:  # all equal: already in order; NaN: leave it to argsort
        return np.arange(m) if span == 0 else np.argsort(x, kind="stable")
    with np.errstate(over="ignore"):
        scale = _KEY_MAX / span
    if not np.isfinite(scale):  # a subnormal range: leave it to argsort
        return np.argsort(x, kind="stable")
    key = np.subtract(x, lo)
    key *= scale
    key = key.astype(np.uint32)
    # np.lexsort runs the two stable passes (low half, then high half) within numpy
    order = np.lexsort((key.astype(np.uint16), (key >> 16).astype(np.uint16)))
    ordered = key.take(order)
    tied = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(tied):
        if np.any(np.diff(tied) == 1):  # three or more values share a key: rare, sort it all
            return np.argsort(x, kind="stable")
        # pairs sharing a key sit side by side in position order (the passes are stable):
        # swap those whose values are the other way round
        first, second = order[tied], order[tied + 1]
        swap = x[first] > x[second]
        order[tied[swap]] = second[swap]
        order[tied[swap] + 1] = first[swap]
    return order


def _order_rows(x: np.ndarray, rows: np.ndarray, orders: np.ndarray) -> None:
    """``orders[r] = _order(x[r])`` for each row ``r`` in ``rows`` (one compiled call if it can)."""
    kernels = compiled()
    m = x.shape[1]
    if kernels is None or m < _RADIX_MIN or x.dtype != np.float64 or not x.flags.c_contiguous:
        for r in rows.tolist():
            orders[r] = _order(x[r])
        return
    rows = np.asarray(rows, dtype=np.intp)
    ok = np.empty(len(rows), dtype=np.bool_)
    kernels.order_rows(x, rows, orders, *_sort_arrays(m), ok)
    for r in rows[~ok].tolist():  # NaN, or a subnormal range
        orders[r] = np.argsort(x[r], kind="stable")


def _order_array(m: int) -> np.ndarray:
    """This thread's array for one row's order, at least ``m`` long."""
    a = getattr(_sort_work, "order", None)
    if a is None or len(a) < m:
        a = _sort_work.order = np.empty(m, dtype=np.intp)
    return a[:m]


def _sort_arrays(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This thread's work arrays for the compiled sort, at least ``m`` long."""
    work = getattr(_sort_work, "arrays", None)
    if work is None or len(work[0]) < m:
        work = _sort_work.arrays = (
            np.empty(m, np.intp), np.empty(m, np.uint32), np.empty(m, np.uint32),
        )  # fmt: skip
    return tuple(a[:m] for a in work)


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks of a 1-d array with ties given their average rank (as scipy.stats.rankdata)."""
    return _doubled_ranks(x) / 2.0


def _doubled_ranks(x: np.ndarray) -> np.ndarray:
    """Twice the (0-based) average ranks of a 1-d array: whole numbers, as int64."""
    order = _order(x)  # the stable argsort, by radix passes
    xs = x[order]
    starts = np.flatnonzero(np.concatenate(([True], xs[1:] != xs[:-1])))
    ends = np.concatenate((starts[1:], [len(xs)]))
    ranks = np.empty(len(x), dtype=np.int64)
    ranks[order] = np.repeat(starts + ends - 1, ends - starts)
    return ranks


# --------------------------------------------------------------------------------- passes
def _edge_weight_matrix(net: Network, d: np.ndarray) -> np.ndarray:
    """Edge weights (see :mod:`itpm_course.plan.network`) for a ``(tasks, iterations)`` matrix."""
    from itpm_course.plan.network import FROM_FINISH, TO_FINISH  # noqa: PLC0415

    w = np.repeat(net.lag[:, None], d.shape[1], axis=1)
    ff = FROM_FINISH[net.link_type]
    tf = TO_FINISH[net.link_type]
    w[ff] += d[net.pred[ff]]
    w[tf] -= d[net.succ[tf]]
    return w


def _level_groups(net: Network, forward: bool):
    """Cached edge groups per level: (edges, nodes, segment starts)."""
    from itpm_course.engine.schedule import _level_groups as groups  # noqa: PLC0415

    if len(net.pred) == 0:  # no links: nothing to propagate (and nothing to group)
        return []
    if forward:
        return list(groups(net.level[net.succ], net.succ))
    return list(reversed(list(groups(net.level[net.pred], net.pred))))


def _passes(
    net: Network, d: np.ndarray, fwd_groups, bwd_groups
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward and backward pass over a ``(tasks, iterations)`` duration matrix: ES, LS, finish."""
    w = _edge_weight_matrix(net, d)
    es = np.zeros_like(d)
    for edges, nodes, seg in fwd_groups:
        cand = es[net.pred[edges]] + w[edges]
        es[nodes] = np.maximum(np.maximum.reduceat(cand, seg, axis=0), 0.0)
    finish = (es + d).max(axis=0)
    ls = finish[None, :] - d
    for edges, nodes, seg in bwd_groups:
        cand = ls[net.succ[edges]] - w[edges]
        ls[nodes] = np.minimum(np.minimum.reduceat(cand, seg, axis=0), ls[nodes])
    return es, ls, finish


# Iterations per forward-and-backward pass: the pass matrices' rows then stay in the cache.
_PASS_COLUMNS = 2500
# Up to this many tasks the passes run task by task on rows of iterations (a few numpy calls
# per link); larger networks run level by level on whole matrices (fewer, bigger calls).
_ROW_PASS_MAX_TASKS = 2000


# Iterations per step of the compiled passes: four tasks x columns work arrays stay in cache.
_KERNEL_COLUMNS = 256
_pass_work = threading.local()


class _RowPasses:
    """Forward and backward pass task by task, each task a row of iterations.

    For a hundred tasks this beats the level-wise matrix pass several times over: it touches
    each link once with two vector operations and allocates almost nothing.
    """

    def __init__(self, net: Network) -> None:
        self.order = net.order.tolist()
        n = net.n_tasks
        # per task: links into it that constrain its start / its finish; links out of it
        self.into_start: list[list[tuple[int, bool, float]]] = [[] for _ in range(n)]
        self.into_finish: list[list[tuple[int, bool, float]]] = [[] for _ in range(n)]
        self.out_start: list[list[tuple[int, bool, float]]] = [[] for _ in range(n)]
        self.out_finish: list[list[tuple[int, bool, float]]] = [[] for _ in range(n)]
        from itpm_course.plan.network import FROM_FINISH, TO_FINISH  # noqa: PLC0415

        for i, j, code, lag in zip(
            net.pred.tolist(),
            net.succ.tolist(),
            net.link_type.tolist(),
            net.lag.tolist(),
            strict=True,
        ):
            from_finish, to_finish = bool(FROM_FINISH[code]), bool(TO_FINISH[code])
            (self.into_finish if to_finish else self.into_start)[j].append((i, from_finish, lag))
            (self.out_finish if from_finish else self.out_start)[i].append((j, to_finish, lag))

    @functools.cached_property
    def tables(self) -> tuple:
        """The link lists as CSR tables ``(ptr, other, finish_end, lag)`` for the kernel."""

        def csr(lists):
            ptr = np.zeros(len(lists) + 1, dtype=np.int64)
            ptr[1:] = np.cumsum([len(x) for x in lists])
            flat = [link for x in lists for link in x]
            return (
                ptr,
                np.array([o for o, _, _ in flat], dtype=np.int64),
                np.array([e for _, e, _ in flat], dtype=np.bool_),
                np.array([lag for _, _, lag in flat], dtype=np.float64),
            )

        return (
            np.array(self.order, dtype=np.int64),
            csr(self.into_start),
            csr(self.into_finish),
            csr(self.out_finish),
            csr(self.out_start),
        )

    def compiled(self, kernels, d: np.ndarray, finish: np.ndarray, cols: slice) -> np.ndarray:
        """The passes on columns ``cols`` by the compiled kernel: fills ``finish`` (the chunk's
        finish times) there and returns each task's count of critical iterations."""
        n = d.shape[0]
        width = _KERNEL_COLUMNS
        work = getattr(_pass_work, "arrays", None)
        if work is None or work.shape[1] < n:
            work = _pass_work.arrays = np.empty((4, n, width))
        crit = np.zeros(n, dtype=np.int64)
        lo, hi, _ = cols.indices(d.shape[1])
        kernels.row_passes(
            d, lo, hi, width, *self.tables, _EPS, *(w[:n] for w in work), finish, crit
        )
        return crit

    def __call__(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n, m = d.shape
        es = np.zeros_like(d)  # a task starts no earlier than the project (ES >= 0)
        ef = np.empty_like(d)
        tmp = np.empty(m)
        for j in self.order:
            row = es[j]
            for i, from_finish, lag in self.into_start[j]:
                src = ef[i] if from_finish else es[i]
                if lag:
                    src = np.add(src, lag, out=tmp)
                np.maximum(row, src, out=row)
            if self.into_finish[j]:
                best = np.full(m, -np.inf)
                for i, from_finish, lag in self.into_finish[j]:
                    np.add(ef[i] if from_finish else es[i], lag, out=tmp)
                    np.maximum(best, tmp, out=best)
                best -= d[j]
                np.maximum(row, best, out=row)
            np.add(row, d[j], out=ef[j])
        finish = ef.max(axis=0)
        lf = np.empty_like(d)
        ls = np.empty_like(d)
        for i in reversed(self.order):
            row = lf[i]
            # links from i's finish bound its late finish; links from its start bound its late
            # start; the project finish bounds every late finish
            bound = finish
            for j, to_finish, lag in self.out_finish[i]:
                src = lf[j] if to_finish else ls[j]
                if lag:
                    src = np.subtract(src, lag, out=tmp)
                np.minimum(bound, src, out=row)
                bound = row
            if bound is finish:
                row[:] = finish
            if self.out_start[i]:
                best = np.full(m, np.inf)
                for j, to_finish, lag in self.out_start[i]:
                    np.subtract(lf[j] if to_finish else ls[j], lag, out=tmp)
                    np.minimum(best, tmp, out=best)
                best += d[i]
                np.minimum(row, best, out=row)
            np.subtract(row, d[i], out=ls[i])
        return es, ls, finish


# --------------------------------------------------------------------------------- simulate
def simulate(
    plan: ProjectPlan,
    iterations: int = 10_000,
    seed: int | None = None,
    distribution: str = "pert",
    correlation: float | Iterable[CorrelationGroup] | None = None,
    risks: Iterable[RiskEvent] | None = None,
    chunk_size: int = 25_000,
    keep_durations: bool = False,
    sensitivity: bool = True,
    threads: int | None = None,
) -> SimulationResult:
    """Monte Carlo simulation of ``plan``'s schedule (and cost, when tasks carry cost or rates).

    ``correlation`` is one rank correlation for all uncertain tasks, or a list of
    :class:`CorrelationGroup`.  ``risks`` are discrete :class:`RiskEvent`s.  Iterations are
    processed in chunks of ``chunk_size`` so memory stays bounded; sensitivity is then the
    iteration-weighted mean of each chunk's rank correlation.  ``keep_durations=True`` keeps
    the sampled ``(tasks, iterations)`` duration matrix as ``result.durations`` (to show or
    check the draws; costs memory).  ``sensitivity=False`` skips the rank correlations
    (``result.sensitivity`` is then NaN), which live widgets use to update faster.
    ``threads`` caps the worker threads (default: the CPUs this process may use, at most 8;
    ``ITPM_THREADS`` overrides); the results are the same for any number of threads.
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(
            f"distribution must be one of {', '.join(DISTRIBUTIONS)}, got {distribution!r}"
        )
    iterations = int(iterations)
    if iterations < 2:
        raise ValueError(f"iterations must be at least 2, got {iterations}")
    if chunk_size < 2:
        raise ValueError("chunk_size must be at least 2")
    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    elif int(seed) != seed or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed}")
    seed = int(seed)
    # One random stream per task (plus one for correlation scores and one per risk), so a
    # change to one task's estimate leaves every other task's draws as they were: widgets
    # then show the effect of the change, not fresh sampling noise (common random numbers).
    root = np.random.SeedSequence(seed)
    net = plan.network
    n = net.n_tasks
    est = _Estimates.from_plan(plan)
    unc = np.flatnonzero(est.uncertain)
    fixed = np.flatnonzero(~est.uncertain)
    workers = _workers(threads, n * min(chunk_size, iterations))

    groups: list[CorrelationGroup] = []
    if isinstance(correlation, int | float):
        if correlation != 0 and len(unc) >= 2:
            groups = [CorrelationGroup(float(correlation), tuple(net.ids[k] for k in unc), "all")]
    elif correlation is not None:
        groups = list(correlation)
    rank_corr = correlation_matrix(n, groups, net.index)[np.ix_(unc, unc)] if groups else None
    task_seeds, corr_seed, risk_seeds = root.spawn(3)
    task_rngs = [_generator(s) for s in task_seeds.spawn(n)]
    corr_rng = _generator(corr_seed)

    events = list(risks or [])
    risk_rngs = [_generator(s) for s in risk_seeds.spawn(len(events))]
    event_rows = []
    event_days = []  # days each named task gets when the risk occurs
    for ev in events:
        rows = []
        for tid in ev.tasks:
            if tid not in net.index:
                raise ValueError(f"risk {ev.id!r} names unknown task {tid!r}")
            rows.append(net.index[tid])
        rows_a = np.asarray(rows, dtype=np.int64)
        event_rows.append(rows_a)
        event_days.append(_split_days(ev.days, net.duration[rows_a]))
    touched = np.unique(np.concatenate(event_rows)) if event_rows else np.empty(0, dtype=np.int64)

    fixed_cost, rate = _cost_terms(plan)
    has_cost = fixed_cost is not None or any(ev.cost for ev in events)

    kernels = compiled(load=n * iterations >= _LOAD_KERNELS_SAMPLES)
    if n <= _ROW_PASS_MAX_TASKS:
        passes = _RowPasses(net)
    else:
        fwd, bwd = _level_groups(net, True), _level_groups(net, False)

        def passes(d):
            return _passes(net, d, fwd, bwd)

    finish = np.empty(iterations)
    cost = np.empty(iterations) if has_cost else None
    crit_count = np.zeros(n)
    dur_sum = np.zeros(n)
    sens_sum = np.zeros(n)
    occurred = np.zeros(len(events))
    kept = np.empty((n, iterations)) if keep_durations else None
    # Tasks are shared out round-robin (each thread draws from its tasks' own streams, so
    # the draws do not depend on the number of threads); iterations are split into blocks.
    task_parts = [unc[w::workers] for w in range(workers)] if len(unc) else []
    unc_pos = {int(k): j for j, k in enumerate(unc)}  # row of each uncertain task in the scores
    pass_blocks = workers if n > _ROW_PASS_MAX_TASKS else 1
    if distribution == "pert":
        tables = PertTables.build(est.alpha[unc], est.beta[unc])
        streams = {
            k: tables.stream(j, task_rngs[k], est.low[k], est.high[k])
            for j, k in enumerate(unc.tolist())
        }

    for start in range(0, iterations, chunk_size):
        m = min(chunk_size, iterations - start)
        d = np.empty((n, m))  # uncertain rows are filled by their draws
        d[fixed] = net.duration[fixed, None]

        # with the compiled kernels (and no correlation) the draws are ordered later, along
        # with the rank sums, so no matrix of orders is kept
        fast = kernels is not None and isinstance(passes, _RowPasses) and rank_corr is None
        fast = fast and m <= _EXACT_SUM_MAX
        need_orders = sensitivity and m >= 3 and not fast
        orders = np.empty((n, m), dtype=np.intp) if need_orders else None
        # Correlation (Iman & Conover): each task's draws are sorted and laid out in the
        # order of its correlated normal score, so the argsort of the scores sorts them too.
        scores = _normal_scores(rank_corr, m, corr_rng) if rank_corr is not None else None

        def draw(tasks, d=d, m=m, orders=orders, scores=scores):
            ks = tasks.tolist()
            if distribution == "pert":
                draw_into([streams[k] for k in ks], d, ks, THREADED_GROUP if workers > 1 else GROUP)
            else:
                for k in ks:
                    d[k] = _triangular_row(task_rngs[k], est, k, m)
            if scores is None:
                return
            for k in ks:
                x = np.sort(d[k])
                order = _order(scores[unc_pos[k]])
                d[k, order] = x
                if orders is not None:
                    orders[k] = order

        _parallel(draw, task_parts, workers)
        extra_cost = np.zeros(m)
        for k, (ev, rows) in enumerate(zip(events, event_rows, strict=True)):
            hit = risk_rngs[k].random(m) < ev.probability
            occurred[k] += hit.sum()
            if ev.days and len(rows):
                d[rows] += hit[None, :] * event_days[k][:, None]
            extra_cost += hit * ev.cost
        t = finish[start : start + m]

        def run_passes(cols, d=d, t=t, m=m):
            # a few thousand iterations at a time: each pass then works within the cache
            # (twice as fast as whole rows for a hundred tasks); iterations are independent
            crit = np.zeros(n, dtype=np.int64)
            lo, hi, _ = cols.indices(m)
            for c in range(lo, hi, _PASS_COLUMNS):
                sub = slice(c, min(c + _PASS_COLUMNS, hi))
                es, ls, t[sub] = passes(d[:, sub])
                crit += (ls - es <= _EPS).sum(axis=1)
            return crit

        def sort_draws(tasks, d=d, orders=orders):
            # Sorting orders rather than reordered draws: the draws then stay the same
            # whether or not sensitivity is asked for and however iterations are chunked.
            _order_rows(d, tasks, orders)

        # The passes and the sorting of the draws (for the rank correlations) are independent:
        # one thread runs the passes while the others sort; a large network's passes are
        # split by iterations instead.
        if fast:
            # compiled passes, split by iterations; the rank correlations follow (they need
            # the finish times), each task's draws ordered and summed in one compiled pass
            jobs = [
                functools.partial(passes.compiled, kernels, d, t, c)
                for c in _column_blocks(m, workers)
            ]
        else:
            jobs = [functools.partial(run_passes, c) for c in _column_blocks(m, pass_blocks)]
        if orders is not None and rank_corr is None:
            to_sort = np.setdiff1d(unc, touched)
            jobs += [
                functools.partial(sort_draws, part)
                for part in np.array_split(to_sort, 4 * workers if workers > 1 else 1)
                if len(part)
            ]
        for result in _parallel(_call, jobs, workers):
            if result is not None:
                crit_count += result
        dur_sum += d.sum(axis=1)
        if kept is not None:
            kept[:, start : start + m] = d
        if cost is not None:
            cost[start : start + m] = (
                (fixed_cost if fixed_cost is not None else 0.0) + _dot(rate, d) + extra_cost
            )
        if sensitivity:
            sens_sum += m * _spearman_rows(
                d, t, orders, unc, touched, task_parts, kernels if fast else None
            )

    es0 = schedule(plan)
    mean_plan = schedule(
        plan, durations=np.where(est.uncertain, est.means(distribution), net.duration)
    )
    base_cost = None
    if fixed_cost is not None:
        base_cost = float(fixed_cost + rate @ net.duration)
    elif has_cost:
        base_cost = 0.0
    return SimulationResult(
        plan=plan,
        iterations=iterations,
        seed=seed,
        distribution=distribution,
        finish=finish,
        criticality=crit_count / iterations,
        sensitivity=sens_sum / iterations if sensitivity else np.full(n, np.nan),
        mean_durations=dur_sum / iterations,
        deterministic_duration=es0.project_duration,
        expected_path_duration=mean_plan.project_duration,
        cost=cost,
        base_cost=base_cost,
        risk_occurrence={ev.id: occurred[k] / iterations for k, ev in enumerate(events)},
        durations=kept,
    )


def _generator(seed: np.random.SeedSequence) -> np.random.Generator:
    """A random stream: numpy's SFC64 bit generator (Doty-Humphrey's Small Fast Chaotic PRNG).

    It passes the same statistical test batteries as numpy's default PCG64 and gives uniforms
    about twice as fast, which matters because sampling is most of a simulation's time.
    """
    return np.random.Generator(np.random.SFC64(seed))


def _split_days(days: float, durations: np.ndarray) -> np.ndarray:
    """Share a risk's delay among its tasks in proportion to their durations (equally if all are 0).

    The register states a risk's impact as days for the whole risk; splitting it keeps a chain
    of named tasks delayed by exactly that many days when the risk occurs.
    """
    total = durations.sum()
    if total > 0:
        return days * durations / total
    return np.full(len(durations), days / max(len(durations), 1))


def _cost_terms(plan: ProjectPlan) -> tuple[float | None, np.ndarray]:
    """Fixed cost total and per-task rate (money per working day); (None, zeros) without costs."""
    n = len(plan.tasks)
    rate = np.zeros(n)
    fixed = 0.0
    any_cost = False
    for k, t in enumerate(plan.tasks):
        if t.cost is not None:
            fixed += t.cost
            any_cost = True
        r = t.rate
        if r is not None:
            rate[k] = r
            any_cost = True
    return (fixed if any_cost else None), rate


# Runs of at least this many samples (tasks x iterations) load the compiled kernels if they
# are not loaded yet: about a second once per process, won back from about this size on.
_LOAD_KERNELS_SAMPLES = 50_000_000
# Up to this many iterations per chunk the Spearman sums are exact in int64 (at most 2 m**3).
_EXACT_SUM_MAX = 1_500_000


def _spearman_rows(
    d: np.ndarray,
    finish: np.ndarray,
    orders: np.ndarray | None,
    unc: np.ndarray,
    touched: np.ndarray,
    parts: Sequence[np.ndarray] = (),
    kernels=None,
) -> np.ndarray:
    """Spearman rank correlation of each task's sampled duration with the project finish.

    ``orders`` holds, for the uncertain tasks, the argsort of their draws (distinct draws:
    rank j at position ``orders[k, j]``), so a task's coefficient is a dot product of the
    finish ranks gathered in that order with the centred ranks 0..m-1.  The dot product is
    taken in integers, on doubled ranks, so it is exact (and the same however it is summed);
    with ``kernels`` (and no ``orders``) the compiled :func:`~itpm_course.engine._compiled.rank_dots`
    orders the draws and sums in one pass.  Tasks that risk events (``touched``) change are
    re-ranked with ties averaged, as scipy.stats.spearmanr does.
    """
    n, m = d.shape
    out = np.zeros(n)
    if m < 3 or (orders is None and kernels is None):
        return out
    ranks2 = _doubled_ranks(finish)
    rt = ranks2 / 2.0
    rt -= rt.mean()
    norm_t = np.sqrt(_dot(rt, rt))
    if norm_t == 0:
        return out
    norm_rank = np.sqrt(m * (m * m - 1) / 12.0)  # of any permutation of 0..m-1
    scale = 4.0 * norm_rank * norm_t
    exact = m <= _EXACT_SUM_MAX
    twice_centred = 2 * np.arange(m, dtype=np.int64) - (m - 1)
    centred = twice_centred / 2.0

    touched_set = set(touched.tolist())

    def coefficient(row: np.ndarray, k: int) -> None:
        if d[k, row[-1]] - d[k, row[0]] > _EPS:
            if exact:
                out[k] = int(_dot(ranks2.take(row), twice_centred)) / scale
            else:
                out[k] = _dot(rt.take(row), centred) / (norm_rank * norm_t)

    def ordered(tasks):
        for k in tasks.tolist():
            if k not in touched_set:
                coefficient(orders[k], k)

    def compiled_sums(tasks):
        rows = np.array([k for k in tasks.tolist() if k not in touched_set], dtype=np.intp)
        dots = np.empty(len(rows), dtype=np.int64)
        spans = np.empty(len(rows))
        ok = np.empty(len(rows), dtype=np.bool_)
        kernels.rank_dots(d, rows, ranks2, *_sort_arrays(m), _order_array(m), dots, spans, ok)
        for i, k in enumerate(rows.tolist()):
            if not ok[i]:  # NaN, or a subnormal range
                coefficient(np.argsort(d[k], kind="stable"), k)
            elif spans[i] > _EPS:
                out[k] = int(dots[i]) / scale

    # (simulate passes kernels only for chunks short enough for exact sums)
    _parallel(ordered if orders is not None else compiled_sums, parts or [unc], len(parts))
    for k in touched.tolist():
        if np.ptp(d[k]) > _EPS:
            rk = _average_ranks(d[k])
            rk -= rk.mean()
            out[k] = _dot(rk, rt) / (np.sqrt(_dot(rk, rk)) * norm_t)
    return out


# --------------------------------------------------------------------------------- threads
_pools: dict[int, ThreadPoolExecutor] = {}
_pool_lock = threading.Lock()
_MAX_THREADS = 8
# Below this many samples per chunk, threads cost more than they save.
_MIN_PARALLEL_SAMPLES = 200_000


def default_threads() -> int:
    """Worker threads :func:`simulate` uses: ``ITPM_THREADS`` or the CPUs this process may use."""
    env = os.environ.get("ITPM_THREADS", "").strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            raise ValueError(f"ITPM_THREADS must be a whole number >= 1, got {env!r}") from None
        if value < 1:
            raise ValueError(f"ITPM_THREADS must be a whole number >= 1, got {env!r}")
        return min(value, _MAX_THREADS)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, _MAX_THREADS))


def _workers(threads: int | None, samples: int) -> int:
    if threads is None:
        threads = default_threads()  # read (and checked) even when a small run stays serial
        return threads if samples >= _MIN_PARALLEL_SAMPLES else 1
    if int(threads) != threads or threads < 1:
        raise ValueError(f"threads must be a whole number >= 1, got {threads}")
    return min(int(threads), _MAX_THREADS)


def _parallel(fn, parts: Sequence, workers: int) -> list:
    """``[fn(p) for p in parts]``, on up to ``workers`` threads of a shared pool.

    numpy releases the GIL inside its sampling, sorting and element-wise loops, which is
    where the time goes, so threads share the work across cores.
    """
    if workers <= 1 or len(parts) <= 1:
        return [fn(p) for p in parts]
    with _pool_lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = ThreadPoolExecutor(workers, thread_name_prefix="itpm-mc")
    return list(pool.map(fn, parts))


def _forget_pools() -> None:
    # A forked child has the pools' objects but not their threads: start afresh.
    global _pool_lock
    _pools.clear()
    _pool_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def _dot(a: np.ndarray, b: np.ndarray):
    """``a @ b`` for a vector ``a``, without BLAS.

    OpenBLAS starts its own threads for long vectors; beside this module's threads (or any
    other load) that made a 25,000-long dot product 8x slower than numpy's own loop.
    """
    return np.einsum("i,i..." if b.ndim > 1 else "i,i", a, b)


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b``; for a small ``a`` without BLAS (see :func:`_dot`).

    OpenBLAS's threads keep spinning after a product and took half the CPU of a correlated
    30-task run; numpy's own loop is as quick up to a few dozen rows, BLAS beyond.
    """
    if len(a) <= 48:
        return np.einsum("ij,jk->ik", a, b)
    return a @ b


def _call(fn):
    return fn()


def _column_blocks(m: int, workers: int) -> list[slice]:
    step = -(-m // workers)
    return [slice(lo, min(lo + step, m)) for lo in range(0, m, step)]
