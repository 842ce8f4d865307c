"""Benchmark: ``itpm_course.schedule`` against simple CPM baselines measured in the same run.

    python benchmarks/bench_cpm.py           # 1k, 10k and 100k tasks
    python benchmarks/bench_cpm.py --quick   # 1k and 10k, fewer repeats (part of `make test`)

Plans are random FS networks from ``benchmarks/generate.py``: "wide" (predecessors drawn from all
earlier tasks, few levels) and "deep" (predecessors among the previous 10 tasks, many levels).
Baselines, both on prebuilt plain structures:

* dict-loop: plain Python CPM over dicts: topological order (Kahn), forward and backward pass.
* networkx: ``dag_longest_path_length`` on the FS graph (forward pass only, no floats).

"ours" is ``itpm_course.schedule(plan)`` on a built plan (forward, backward, free float, critical
flags); building the plan (parsing, checks, topological levels) is timed separately.  Times are
medians of the repeats; ratio = baseline / ours, so above 1 means ours is faster.  Nothing here
asserts a time: the answers are checked against each other, the timings are only reported.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import networkx as nx
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import random_plan_rows, write_csv  # noqa: E402

import itpm_course  # noqa: E402
from itpm_course.plan import plan_from_csv_text  # noqa: E402

SHAPES = {"wide": None, "deep": 10}  # shape -> window passed to random_plan_rows
FULL = {1_000: 15, 10_000: 7, 100_000: 3}  # tasks -> repeats
QUICK = {1_000: 5, 10_000: 3}


def median_ms(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` in milliseconds, after one untimed warm-up call."""
    fn()
    times = []
    gc_was_enabled = gc.isenabled()
    gc.disable()  # collections triggered by earlier allocations would land on a random run
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(times) * 1000


def csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["id", "duration", "predecessors"])
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def plain_structures(rows: list[dict]) -> tuple[dict[str, float], dict[str, list[str]]]:
    durations = {r["id"]: float(r["duration"]) for r in rows}
    preds = {r["id"]: [p.strip() for p in r["predecessors"].split(";") if p.strip()] for r in rows}
    return durations, preds


def dict_loop_cpm(durations: dict[str, float], preds: dict[str, list[str]]):
    """Textbook CPM in plain Python (FS links, no lags): ES, LS and the project duration."""
    succs: dict[str, list[str]] = {t: [] for t in durations}
    indegree = dict.fromkeys(durations, 0)
    for t, ps in preds.items():
        for p in ps:
            succs[p].append(t)
            indegree[t] += 1
    queue = deque(t for t, k in indegree.items() if k == 0)
    order = []
    while queue:
        t = queue.popleft()
        order.append(t)
        for s in succs[t]:
            indegree[s] -= 1
            if indegree[s] == 0:
                queue.append(s)
    es: dict[str, float] = {}
    for t in order:
        es[t] = max((es[p] + durations[p] for p in preds[t]), default=0.0)
    finish = max(es[t] + durations[t] for t in order)
    ls: dict[str, float] = {}
    for t in reversed(order):
        lf = min((ls[s] for s in succs[t]), default=finish)
        ls[t] = lf - durations[t]
    return es, ls, finish


def networkx_graph(durations: dict[str, float], preds: dict[str, list[str]]) -> nx.DiGraph:
    """FS graph with each edge weighted by its tail's duration and a sink after every task."""
    g = nx.DiGraph()
    g.add_nodes_from(durations)
    g.add_weighted_edges_from((p, t, durations[p]) for t, ps in preds.items() for p in ps)
    g.add_weighted_edges_from((t, "__finish__", d) for t, d in durations.items())
    return g


def networkx_duration(g: nx.DiGraph) -> float:
    return nx.dag_longest_path_length(g, weight="weight")


def check_agreement(plan, result, durations, preds, g) -> None:
    """The baselines must give the same answers; a fast wrong answer is worth nothing."""
    es, ls, finish = dict_loop_cpm(durations, preds)
    ids = plan.network.ids
    assert result.project_duration == finish == networkx_duration(g)
    assert np.array_equal(result.early_start, np.array([es[i] for i in ids]))
    assert np.array_equal(result.late_start, np.array([ls[i] for i in ids]))


def cli_command() -> list[str]:
    exe = Path(sys.executable).parent / "itpm-course"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("itpm-course")
    return [found] if found else [sys.executable, "-m", "itpm_course.cli"]


def time_cli(rows: list[dict], repeats: int, expected_duration: float) -> dict[str, float]:
    """Wall time of whole `itpm-course plan schedule PLAN.csv --json` processes (median, s)."""
    cmd = cli_command()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.csv"
        write_csv(rows, path)
        startup, total = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([*cmd, "--version"], check=True, capture_output=True)
            startup.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            proc = subprocess.run(
                [*cmd, "plan", "schedule", str(path), "--json"], check=True, capture_output=True
            )
            total.append(time.perf_counter() - t0)
        out = json.loads(proc.stdout)
        assert out["project_duration"] == expected_duration
        assert len(out["tasks"]) == len(rows)
    return {
        "startup_s": statistics.median(startup),
        "total_s": statistics.median(total),
        "bytes": len(proc.stdout),
    }


def run(sizes: dict[int, int], cli_repeats: int) -> str:
    lines = [
        f"# CPM benchmark ({'quick' if sizes is QUICK else 'full'})",
        "",
        f"{dt.datetime.now().isoformat(timespec='seconds')} · Python {platform.python_version()}"
        f" · numpy {np.__version__} · networkx {nx.__version__}"
        f" · itpm_course {itpm_course.__version__} · {platform.machine()}, {os.cpu_count()} CPUs",
        "",
        "| tasks | shape | links | levels | build plan ms | ours ms | dict-loop ms | loop/ours"
        " | networkx fwd ms | nx/ours |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    largest_rows, largest_duration = None, None
    for n, repeats in sizes.items():
        for shape, window in SHAPES.items():
            rows = random_plan_rows(n, seed=n, window=window)
            text = csv_text(rows)
            build_ms = median_ms(lambda text=text: plan_from_csv_text(text), max(1, repeats // 3))
            plan = plan_from_csv_text(text)
            durations, preds = plain_structures(rows)
            g = networkx_graph(durations, preds)
            result = itpm_course.schedule(plan)
            check_agreement(plan, result, durations, preds, g)

            ours = median_ms(lambda plan=plan: itpm_course.schedule(plan), repeats)
            loop = median_ms(lambda d=durations, p=preds: dict_loop_cpm(d, p), repeats)
            nxs = median_ms(lambda g=g: networkx_duration(g), repeats)
            net = plan.network
            line = (
                f"| {n:,} | {shape} | {len(net.pred):,} | {net.n_levels:,} | {build_ms:.1f}"
                f" | {ours:.2f} | {loop:.2f} | {loop / ours:.1f}x | {nxs:.2f} | {nxs / ours:.1f}x |"
            )
            lines.append(line)
            print(line, flush=True)
            if shape == "wide":
                largest_rows, largest_duration = rows, result.project_duration

    n = len(largest_rows)
    cli = time_cli(largest_rows, cli_repeats, largest_duration)
    tail = [
        "",
        f"Whole process, `itpm-course plan schedule PLAN.csv --json` on {n:,} tasks (wide):"
        f" {cli['total_s']:.2f} s wall (median of {cli_repeats}; {cli['bytes'] / 1e6:.1f} MB of"
        f" JSON), of which interpreter start-up and imports (`itpm-course --version`)"
        f" {cli['startup_s']:.2f} s.",
    ]
    lines += tail
    print("\n".join(tail), flush=True)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k tasks, fewer repeats")
    parser.add_argument(
        "--output",
        type=Path,
        default=HERE / "results" / "latest.md",
        help="where to write the markdown report (default: benchmarks/results/latest.md)",
    )
    args = parser.parse_args(argv)
    report = run(QUICK if args.quick else FULL, cli_repeats=1 if args.quick else 3)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report)
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
