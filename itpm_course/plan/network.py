"""The task network as numpy arrays: indices, edges, topological order and levels.

Edge weights make every link type one formula.  For a link i -> j of type T with lag L,
the successor's early start must satisfy ``ES_j >= ES_i + w`` with

    w = d_i * [T starts at i's finish] + L - d_j * [T ends at j's finish]

(FS: d_i + L, SS: L, FF: d_i + L - d_j, SF: L - d_j).  The backward pass uses the same
weight: ``LS_i <= LS_j - w``.  Forward and backward passes are then longest paths
over these weights, which is what lets the engine run level by level on whole arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter

import numpy as np

from itpm_course.errors import PlanError, Problem

LINK_CODE = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}
# Does the link start at the predecessor's finish / end at the successor's finish?
FROM_FINISH = np.array([True, False, True, False])
TO_FINISH = np.array([False, False, True, True])

# Vectorised Kahn rounds cost ~15 us each; past this many rounds a deep, narrow network is
# faster to order in plain Python.
_MAX_VECTOR_ROUNDS = 2048


@dataclass(frozen=True, eq=False)
class Network:
    """Arrays describing a checked, acyclic task network.

    ``pred``/``succ``/``link_type``/``lag`` are edge arrays; ``order`` is a topological order
    and ``level`` each task's depth (0 for tasks without predecessors).
    """

    ids: tuple[str, ...]
    index: dict[str, int]
    duration: np.ndarray
    pred: np.ndarray
    succ: np.ndarray
    link_type: np.ndarray
    lag: np.ndarray
    order: np.ndarray
    level: np.ndarray

    @property
    def n_tasks(self) -> int:
        return len(self.ids)

    @property
    def n_levels(self) -> int:
        return int(self.level.max()) + 1 if len(self.level) else 0

    def edge_weights(self, duration: np.ndarray | None = None) -> np.ndarray:
        """The forward-pass weight of every edge; ``duration`` may be (n,) or (iterations, n)."""
        d = self.duration if duration is None else duration
        from_finish = FROM_FINISH[self.link_type]
        to_finish = TO_FINISH[self.link_type]
        return d[..., self.pred] * from_finish + self.lag - d[..., self.succ] * to_finish


def build_network(
    tasks: Sequence, *, source: str | None = None, rows: Sequence[int] | None = None
) -> Network:
    """Check ids and links of ``tasks`` and return their :class:`Network`.

    Raises :class:`PlanError` listing duplicate ids, unknown predecessors and a cycle if any.
    """
    n = len(tasks)
    if n == 0:
        raise PlanError("the plan has no tasks", source=source)
    # map() with C-level getters keeps this fast for 100,000 tasks (no bytecode per item)
    ids = list(map(attrgetter("id"), tasks))
    index = {tid: i for i, tid in enumerate(ids)}
    link_lists = list(map(attrgetter("predecessors"), tasks))
    links = [link for group in link_lists for link in group]
    try:
        pred = list(map(index.__getitem__, map(itemgetter(0), links)))
    except KeyError:
        pred = None
    if len(index) < n or pred is None:
        _raise_id_problems(tasks, source, rows)
    succ = np.repeat(np.arange(n, dtype=np.int64), list(map(len, link_lists)))
    kind = list(map(LINK_CODE.__getitem__, map(itemgetter(1), links)))
    lag = np.fromiter(map(itemgetter(2), links), dtype=float, count=len(links))
    pred_a = np.asarray(pred, dtype=np.int64)
    succ_a = succ
    order, level = topological_levels(n, pred_a, succ_a)
    if order is None:
        cycle = find_cycle(n, pred_a, succ_a, remaining=level)
        names = " -> ".join(ids[k] for k in cycle + cycle[:1])
        where = Problem(
            f"dependency cycle: {names}; a task cannot (indirectly) depend on itself",
            source=source,
            row=rows[cycle[0]] if rows is not None else None,
            column="predecessors",
            task=ids[cycle[0]],
        )
        raise PlanError(where)
    return Network(
        ids=tuple(ids),
        index=index,
        duration=np.fromiter(map(attrgetter("duration"), tasks), dtype=float, count=n),
        pred=pred_a,
        succ=succ_a,
        link_type=np.asarray(kind, dtype=np.int8),
        lag=np.asarray(lag, dtype=float),
        order=order,
        level=level,
    )


def _raise_id_problems(tasks: Sequence, source: str | None, rows: Sequence[int] | None) -> None:
    """Raise a PlanError naming every duplicate id and unknown predecessor, with rows."""

    def row_of(i: int) -> int | None:
        return rows[i] if rows is not None else None

    index: dict[str, int] = {}
    problems: list[Problem] = []
    for i, task in enumerate(tasks):
        first = index.setdefault(task.id, i)
        if first != i:
            where = f"row {row_of(first)}" if rows is not None else f"position {first + 1}"
            problems.append(
                Problem(
                    f"duplicate task id {task.id!r} (first used at {where})",
                    source=source,
                    row=row_of(i),
                    column="id",
                )
            )
    for j, task in enumerate(tasks):
        for link in task.predecessors:
            if link.predecessor not in index:
                problems.append(
                    Problem(
                        f"unknown predecessor {link.predecessor!r} (no task has this id)",
                        source=source,
                        row=row_of(j),
                        column="predecessors",
                        task=task.id,
                    )
                )
    raise PlanError(problems)


def topological_levels(
    n: int, pred: np.ndarray, succ: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray]:
    """Kahn's algorithm.  Returns ``(order, level)``; on a cycle ``(None, mask of unresolved tasks)``."""
    result = _levels_vectorised(n, pred, succ)
    if result is None:
        result = _levels_python(n, pred, succ)
    return result


def _levels_vectorised(n: int, pred: np.ndarray, succ: np.ndarray):
    indeg = np.bincount(succ, minlength=n)
    by_pred = np.argsort(pred, kind="stable")
    succ_sorted = succ[by_pred]
    starts = np.searchsorted(pred[by_pred], np.arange(n + 1))
    level = np.full(n, -1, dtype=np.int64)
    frontier = np.flatnonzero(indeg == 0)
    depth = 0
    done = 0
    while frontier.size:
        if depth >= _MAX_VECTOR_ROUNDS:
            return None
        level[frontier] = depth
        done += frontier.size
        # every out-edge of the frontier, gathered with one repeat/arange
        lo, hi = starts[frontier], starts[frontier + 1]
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            break
        offsets = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(total)
        targets = succ_sorted[offsets]
        indeg -= np.bincount(targets, minlength=n)
        touched = np.unique(targets)
        frontier = touched[indeg[touched] == 0]
        depth += 1
    if done < n:
        return None, level < 0
    order = np.argsort(level, kind="stable")
    return order, level


def _levels_python(n: int, pred: np.ndarray, succ: np.ndarray):
    out: list[list[int]] = [[] for _ in range(n)]
    for i, j in zip(pred.tolist(), succ.tolist(), strict=True):
        out[i].append(j)
    indeg = np.bincount(succ, minlength=n).tolist()
    level = [0] * n
    stack = [i for i in range(n) if indeg[i] == 0]
    order: list[int] = []
    while stack:
        i = stack.pop()
        order.append(i)
        li = level[i] + 1
        for j in out[i]:
            if level[j] < li:
                level[j] = li
            indeg[j] -= 1
            if indeg[j] == 0:
                stack.append(j)
    if len(order) < n:
        mask = np.ones(n, dtype=bool)
        mask[order] = False
        return None, mask
    return np.asarray(order, dtype=np.int64), np.asarray(level, dtype=np.int64)


def find_cycle(n: int, pred: np.ndarray, succ: np.ndarray, remaining: np.ndarray) -> list[int]:
    """One dependency cycle among the ``remaining`` tasks, as task indices in link order."""
    into: dict[int, list[int]] = {}
    for i, j in zip(pred.tolist(), succ.tolist(), strict=True):
        if remaining[i] and remaining[j]:
            into.setdefault(j, []).append(i)
    # Kahn leaves only tasks with an unresolved predecessor, so walking predecessors must repeat.
    seen: dict[int, int] = {}
    path: list[int] = []
    node = int(np.flatnonzero(remaining)[0])
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = into[node][0]
    cycle = path[seen[node] :]
    cycle.reverse()
    return cycle
