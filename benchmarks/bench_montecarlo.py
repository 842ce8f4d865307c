"""Benchmark: ``itpm_course.simulate`` against Monte Carlo baselines measured in the same run.

    python benchmarks/bench_montecarlo.py           # 100 tasks x 10,000 iterations, 1M memory run
    python benchmarks/bench_montecarlo.py --quick   # fewer repeats, 200,000-iteration memory run

Plans are random FS networks from ``benchmarks/generate.py``; every task gets a three-point
estimate (a = 0.6-1.0 x d, m = d, b = 1.2-2.5 x d; zero-duration milestones stay fixed).

* ours: ``itpm_course.simulate(plan, 10_000, seed=1)``: percentiles, criticality (forward and
  backward pass per iteration) and Spearman sensitivity of every task; with numba installed
  (the ``fast`` extra) its compiled kernels run, and the numpy-only line (``ITPM_NUMBA=0``,
  the same results) shows the engine without them.
* pmcontrols: ``pmcontrols.pert(...)`` 0.2.1 (percentiles and criticality, no sensitivity), when
  it is installed (``pip install pmcontrols==0.2.1``); otherwise skipped with a note.
* loop: draw all durations with numpy, then a plain dict CPM (forward and backward pass) per
  iteration; a few hundred iterations are timed and scaled to 10,000.
* numpy: a straightforward vectorised version: ``rng.beta`` per task, forward and backward pass
  task by task in topological order, criticality, percentiles and Spearman sensitivity with
  ``scipy.stats.rankdata`` (argsort ranks if scipy is missing).

Times are medians after a warm-up; ratio = baseline / ours (above 1: ours is faster).  Ours (all
threads), ours on one thread, ours numpy-only and pmcontrols take turns, round after round
(3 x repeats rounds), so slow phases of the machine fall on all of them; the pmcontrols line
also gives the ratio round by round (median and quartiles).  Nothing here asserts a time.  The
answers are compared (mean finish, criticality) so that every contender is known to compute
the same thing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import random_plan_rows  # noqa: E402

import itpm_course  # noqa: E402
from itpm_course.plan import ProjectPlan, Task, parse_links  # noqa: E402

ITERATIONS = 10_000


def median_ms(fn, repeats: int) -> float:
    fn()
    times = []
    gc.disable()
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        gc.enable()
    return statistics.median(times) * 1000


def interleaved_ms(fns: dict, rounds: int) -> dict[str, list[float]]:
    """Wall times (ms) of each function, run in turns: round after round, each once.

    Running contenders in turn (rather than all repeats of one, then the next) spreads the
    machine's slow phases over all of them, so ratios taken round by round are fair.
    """
    for fn in fns.values():
        fn()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in fns}
    gc.disable()
    try:
        for _ in range(rounds):
            for name, fn in fns.items():
                t0 = time.perf_counter()
                fn()
                times[name].append((time.perf_counter() - t0) * 1000)
    finally:
        gc.enable()
    return times


def by_round(times: dict[str, list[float]], ours: str) -> str:
    """pmcontrols' time over ``ours``, round by round: median and quartiles."""
    rounds = [p / o for p, o in zip(times["pm"], times[ours], strict=True)]
    q = statistics.quantiles(rounds, n=4)
    return f"median {statistics.median(rounds):.2f}x, quartiles {q[0]:.2f}-{q[2]:.2f}x over {len(rounds)} rounds"


def three_point_rows(n: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed + 1)
    rows = random_plan_rows(n, seed=seed)
    for r in rows:
        d = float(r["duration"])
        r["a"], r["m"], r["b"] = d * rng.uniform(0.6, 1.0), d, d * rng.uniform(1.2, 2.5)
    return rows


def plan_from_rows(rows: list[dict]) -> ProjectPlan:
    tasks = [
        Task(r["id"], r["m"], predecessors=parse_links(r["predecessors"]),
             optimistic=r["a"], most_likely=r["m"], pessimistic=r["b"])
        for r in rows
    ]  # fmt: skip
    return ProjectPlan("bench", dt.date(2026, 1, 5), tasks)


def preds_of(rows):
    return {r["id"]: [p.strip() for p in r["predecessors"].split(";") if p.strip()] for r in rows}


def sample_matrix(rows, iterations: int, seed: int) -> np.ndarray:
    """(tasks, iterations) beta-PERT draws, one rng.beta call per task."""
    rng = np.random.default_rng(seed)
    out = np.empty((len(rows), iterations))
    for k, r in enumerate(rows):
        a, m, b = r["a"], r["m"], r["b"]
        if b - a <= 1e-12:
            out[k] = a
            continue
        al = 1 + 4 * (m - a) / (b - a)
        out[k] = a + (b - a) * rng.beta(al, 6 - al, iterations)
    return out


# ------------------------------------------------------------------------- baselines
def loop_baseline(rows, iterations: int, seed: int = 1):
    """Per-iteration plain dict CPM (forward + backward pass) on pre-drawn durations."""
    ids = [r["id"] for r in rows]
    preds = preds_of(rows)  # generated ids are in topological order already
    succs = {i: [] for i in ids}
    for j, ps in preds.items():
        for p in ps:
            succs[p].append(j)
    d = sample_matrix(rows, iterations, seed)
    finish = np.empty(iterations)
    crit = dict.fromkeys(ids, 0)
    for it in range(iterations):
        dur = dict(zip(ids, d[:, it].tolist(), strict=True))
        ef = {}
        es = {}
        for j in ids:
            es[j] = max((ef[p] for p in preds[j]), default=0.0)
            ef[j] = es[j] + dur[j]
        t = max(ef.values())
        ls = {}
        for i in reversed(ids):
            lf = min((ls[s] for s in succs[i]), default=t)
            ls[i] = lf - dur[i]
            crit[i] += ls[i] - es[i] <= 1e-9
        finish[it] = t
    return finish, {k: v / iterations for k, v in crit.items()}


def numpy_baseline(rows, iterations: int, seed: int = 1):
    """Straightforward vectorised Monte Carlo with Spearman sensitivity."""
    try:
        from scipy.stats import rankdata
    except ImportError:  # pragma: no cover - scipy is a test/benchmark extra

        def rankdata(x, axis=-1):
            return np.argsort(np.argsort(x, axis=axis), axis=axis) + 1.0

    ids = [r["id"] for r in rows]
    index = {tid: k for k, tid in enumerate(ids)}
    preds = [[index[p] for p in ps] for ps in preds_of(rows).values()]
    succs = [[] for _ in ids]
    for j, ps in enumerate(preds):
        for p in ps:
            succs[p].append(j)
    d = sample_matrix(rows, iterations, seed)
    ef = np.empty_like(d)
    es = np.empty_like(d)
    for j in range(len(ids)):
        es[j] = np.max(ef[preds[j]], axis=0) if preds[j] else 0.0
        ef[j] = es[j] + d[j]
    finish = ef.max(axis=0)
    ls = np.empty_like(d)
    for i in reversed(range(len(ids))):
        lf = np.min(ls[succs[i]], axis=0) if succs[i] else finish
        ls[i] = lf - d[i]
    crit = (ls - es <= 1e-9).mean(axis=1)
    pct = np.percentile(finish, [10, 50, 80, 90, 95])
    rt = rankdata(finish)
    rt = rt - rt.mean()
    rd = rankdata(d, axis=1)
    rd = rd - rd.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        sens = (rd @ rt) / np.sqrt((rd * rd).sum(axis=1) * (rt @ rt))
    return finish, dict(zip(ids, crit, strict=True)), pct, np.nan_to_num(sens)


def pmcontrols_activities(rows):
    return [
        {"id": r["id"], "predecessors": preds_of([r])[r["id"]], "a": r["a"], "m": r["m"], "b": r["b"]}
        for r in rows
    ]  # fmt: skip


# ------------------------------------------------------------------------- main
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller memory run")
    parser.add_argument("--tasks", type=int, default=100)
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    loop_iters = 200 if args.quick else 500

    rows = three_point_rows(args.tasks)
    plan = plan_from_rows(rows)
    print(f"Monte Carlo benchmark: {args.tasks} tasks x {ITERATIONS:,} iterations "
          f"(numpy {np.__version__}, python {sys.version.split()[0]})")  # fmt: skip

    from itpm_course.engine.montecarlo import default_threads

    threads = default_threads()
    print(f"threads: {threads} (of {os.cpu_count()} CPUs); load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    try:
        import pmcontrols
    except ImportError:
        pmcontrols = None
        print("note: pmcontrols is not installed; skipping that baseline "
              "(pip install pmcontrols==0.2.1 to include it)")  # fmt: skip
    from itpm_course.engine.betapert import compiled

    t0 = time.perf_counter()
    kernels = compiled(load=True) is not None  # a 10,000-iteration run would not load them
    itpm_course.simulate(plan_from_rows(three_point_rows(3)), 600, seed=1)  # first calls
    load_s = time.perf_counter() - t0
    print("compiled kernels (numba): " + (f"on (loaded in {load_s:.1f} s, once per process)"
          if kernels else "off (numba not installed, or ITPM_NUMBA=0): the numpy code runs"))  # fmt: skip
    acts = pmcontrols_activities(rows)

    def numpy_only():
        os.environ["ITPM_NUMBA"] = "0"
        try:
            return itpm_course.simulate(plan, ITERATIONS, seed=1)
        finally:
            del os.environ["ITPM_NUMBA"]

    contenders = {
        "ours": lambda: itpm_course.simulate(plan, ITERATIONS, seed=1),
        "one": lambda: itpm_course.simulate(plan, ITERATIONS, seed=1, threads=1),
    }
    if kernels:
        contenders["numpy"] = numpy_only
    if pmcontrols is not None:
        contenders["pm"] = lambda: pmcontrols.pert(acts, n_sim=ITERATIONS, seed=1)
    # ours, ours on one thread and pmcontrols take turns, round after round
    times = interleaved_ms(contenders, 3 * repeats)
    ours_ms = statistics.median(times["ours"])
    ours = itpm_course.simulate(plan, ITERATIONS, seed=1)
    table = [
        (f"itpm_course.simulate, {threads} threads (percentiles, criticality, sensitivity)",
         ours_ms, None)
    ]  # fmt: skip
    one_ms = statistics.median(times["one"])
    same = np.array_equal(
        itpm_course.simulate(plan, ITERATIONS, seed=1, threads=1).finish, ours.finish
    )
    table.append(
        ("itpm_course.simulate, 1 thread", one_ms, f"identical results: {same}")
    )  # fmt: skip

    if kernels:
        same = np.array_equal(numpy_only().sensitivity, ours.sensitivity)
        vs = (
            f"; pmcontrols / this, round by round: {by_round(times, 'numpy')}" if pmcontrols else ""
        )
        table.append(
            (f"itpm_course.simulate, {threads} threads, numpy only (ITPM_NUMBA=0)",
             statistics.median(times["numpy"]), f"identical results: {same}{vs}")
        )  # fmt: skip
    if pmcontrols is not None:
        pm_ms = statistics.median(times["pm"])
        res = pmcontrols.pert(acts, n_sim=ITERATIONS, seed=1)
        crit = dict(zip(res.table["activity"], res.table["criticality_index"], strict=True))
        diff = max(abs(crit[t] - c) for t, c in zip(ours.ids, ours.criticality, strict=True))
        table.append(
            (f"pmcontrols {pmcontrols.__version__} pert() (percentiles, criticality)", pm_ms,
             f"mean {res.stats['mc_mean']:.2f} vs {ours.mean:.2f}; max |criticality diff| "
             f"{diff:.3f}; ratio round by round: {by_round(times, 'ours')}")
        )  # fmt: skip

    t0 = time.perf_counter()
    lf, lcrit = loop_baseline(rows, loop_iters)
    loop_ms = (time.perf_counter() - t0) * 1000 * ITERATIONS / loop_iters
    diff = max(abs(lcrit[t] - c) for t, c in zip(ours.ids, ours.criticality, strict=True))
    table.append(
        (f"per-iteration dict CPM loop ({loop_iters} iterations, scaled)", loop_ms,
         f"mean {lf.mean():.2f}; max |criticality diff| {diff:.3f} (n={loop_iters})")
    )  # fmt: skip

    np_ms = median_ms(lambda: numpy_baseline(rows, ITERATIONS), repeats)
    nf, ncrit, _, nsens = numpy_baseline(rows, ITERATIONS)
    diff = max(abs(ncrit[t] - c) for t, c in zip(ours.ids, ours.criticality, strict=True))
    sdiff = float(np.max(np.abs(nsens - ours.sensitivity)))
    table.append(
        ("straightforward numpy (rankdata Spearman)", np_ms,
         f"mean {nf.mean():.2f}; max |crit diff| {diff:.3f}; max |rho diff| {sdiff:.3f}")
    )  # fmt: skip

    print(f"\n{'contender':<66} {'ms':>9} {'ratio':>8}")
    for name, ms, note in table:
        print(f"{name:<66} {ms:9.1f} {ms / ours_ms:7.1f}x" + (f"   ({note})" if note else ""))
    print("ratio = contender time / itpm_course time (above 1: itpm_course is faster)")

    # the widget's case: 30 tasks x 10,000 iterations per slider step
    small = plan_from_rows(three_point_rows(30, seed=5))
    widget_ms = median_ms(lambda: itpm_course.simulate(small, ITERATIONS, seed=1), repeats)
    print(f"\nwidget update computation (30 tasks x {ITERATIONS:,}): {widget_ms:.1f} ms")

    # memory stays bounded: chunks of 25,000 iterations
    big = 200_000 if args.quick else 1_000_000
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    res = itpm_course.simulate(plan, big, seed=1)
    secs = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    full = args.tasks * big * 8 / 2**20
    print(f"{big:,} iterations x {args.tasks} tasks (chunks of 25,000): {secs:.1f} s, "
          f"peak traced memory {peak / 2**20:.0f} MiB "
          f"(one unchunked duration matrix alone would be {full:.0f} MiB); "
          f"P80 {res.percentile(80):.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
