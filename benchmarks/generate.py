"""Random project plans for benchmarks and tests: reproducible from a seed."""

from __future__ import annotations

import numpy as np

LINK_TYPES = ("FS", "SS", "FF", "SF")


def random_plan_rows(
    n: int, *, seed: int = 0, max_preds: int = 3, window: int | None = None, all_links: bool = False
) -> list[dict]:
    """Rows of a random acyclic plan: each task links to up to ``max_preds`` earlier tasks.

    ``window`` limits predecessors to the previous ``window`` tasks (deep, narrow networks);
    ``all_links`` draws FS/SS/FF/SF links with lags in [-2, 3].
    """
    rng = np.random.default_rng(seed)
    durations = rng.integers(0, 15, size=n)
    rows = []
    for j in range(n):
        lo = 0 if window is None else max(0, j - window)
        k = 0 if j == 0 else int(rng.integers(0, min(max_preds, j - lo) + 1))
        preds = sorted(set(rng.integers(lo, j, size=k).tolist())) if k else []
        items = []
        for i in preds:
            if all_links:
                kind = LINK_TYPES[int(rng.integers(0, 4))]
                lag = int(rng.integers(-2, 4))
                items.append(f"T{i} {kind}{lag:+d}" if lag else f"T{i} {kind}")
            else:
                items.append(f"T{i}")
        rows.append(
            {"id": f"T{j}", "duration": int(durations[j]), "predecessors": "; ".join(items)}
        )
    return rows


def write_csv(rows: list[dict], path) -> None:
    """Write generated rows as a CSV task table."""
    import csv

    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "duration", "predecessors"])
        writer.writeheader()
        writer.writerows(rows)
