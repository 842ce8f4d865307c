"""Benchmark: the vectorised Monte Carlo delivery forecast against a per-iteration Python loop.

    python benchmarks/bench_agile.py           # 100,000 iterations (loop: 100,000 as well)
    python benchmarks/bench_agile.py --quick   # 20,000 iterations, fewer repeats

Both answer "when will 100 items be done?" from Mike Bowler's 12 weeks of throughput
(domain-facts §2.6). The loop is the textbook form: for each iteration, draw a week at a time
with ``random.choice`` until the backlog is done. Times are medians, measured in the same run;
ratio = loop / ours. The percentiles of both are printed so the answers can be compared.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from itpm_course.engine.agile import forecast_when

HISTORY = [1, 3, 5, 3, 7, 8, 0, 5, 3, 1, 8, 2]
ITEMS = 100


def loop_forecast(iterations: int, seed: int) -> list[int]:
    rnd = random.Random(seed)
    out = []
    for _ in range(iterations):
        total = weeks = 0
        while total < ITEMS:
            total += rnd.choice(HISTORY)
            weeks += 1
        out.append(weeks)
    return out


def timed(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 iterations, 3 repeats")
    args = parser.parse_args()
    iterations, repeats = (20_000, 3) if args.quick else (100_000, 5)
    forecast_when(HISTORY, ITEMS, iterations=1_000, seed=0)  # warm-up
    ours_s, ours = timed(
        lambda: forecast_when(HISTORY, ITEMS, iterations=iterations, seed=0), repeats
    )
    loop_s, loop = timed(lambda: loop_forecast(iterations, seed=0), max(1, repeats // 2))
    ref = {f"P{p}": int(np.quantile(loop, p / 100, method="inverted_cdf")) for p in (50, 85, 95)}
    print(f"forecast of {ITEMS} items from {len(HISTORY)} weeks, {iterations:,} iterations")
    print(f"  vectorised (itpm_course): {ours_s * 1000:8.1f} ms   {ours.percentiles}")
    print(f"  per-iteration loop:       {loop_s * 1000:8.1f} ms   {ref}")
    print(f"  ratio loop / ours: {loop_s / ours_s:.1f}x")
    if args.quick:
        return
    big = 1_000_000
    big_s, big_f = timed(lambda: forecast_when(HISTORY, ITEMS, iterations=big, seed=0), 1)
    print(f"  vectorised, {big:,} iterations: {big_s * 1000:.0f} ms   {big_f.percentiles}")


if __name__ == "__main__":
    main()
