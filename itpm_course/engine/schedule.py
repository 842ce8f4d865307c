"""Critical-path scheduling (CPM / precedence diagramming) for FS, SS, FF and SF links with lags.

Conventions (times are working days from the project start, day 0):

* No task starts before the project start: ``ES >= 0``.
* Every task must finish by the project finish ``T = max(EF)``; a task without successors may
  finish as late as ``T`` (the Microsoft Project default, also used by MPXJ).
* Total float ``TF = LS - ES``.  Free float is the least slack to any successor's link
  constraint, and never more than ``T - EF`` (so for a task without successors it is ``T - EF``).
* A task is critical when its total float is 0.

Link constraints for a link i -> j with lag L (negative L is a lead):
FS ``ES_j >= EF_i + L``; SS ``ES_j >= ES_i + L``; FF ``EF_j >= EF_i + L``; SF ``EF_j >= ES_i + L``.

References: Kelley & Walker (1959); Hendrickson, *Project Management for Construction*, §10.6;
PMI, *Practice Standard for Scheduling*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from itpm_course.plan.network import Network

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.plan.model import ProjectPlan

# Results are rounded to this many decimals so that float noise (0.1 + 0.2) never turns a
# critical task into one with 1e-17 days of float.
_DECIMALS = 9


@dataclass(frozen=True, eq=False)
class Schedule:
    """CPM results: per-task arrays in plan order, the project duration and calendar dates."""

    plan: ProjectPlan
    early_start: np.ndarray
    early_finish: np.ndarray
    late_start: np.ndarray
    late_finish: np.ndarray
    total_float: np.ndarray
    free_float: np.ndarray
    project_duration: float

    @property
    def ids(self) -> tuple[str, ...]:
        return self.plan.network.ids

    @property
    def critical(self) -> np.ndarray:
        """Boolean mask of critical tasks (total float 0)."""
        return self.total_float <= 0

    @property
    def critical_tasks(self) -> list[str]:
        """Ids of the critical tasks, ordered by early start, then id."""
        idx = np.flatnonzero(self.critical)
        ids = self.ids
        return [ids[i] for i in sorted(idx.tolist(), key=lambda i: (self.early_start[i], ids[i]))]

    @property
    def finish_date(self) -> np.datetime64:
        """The calendar date of the project's last working day."""
        return self._on_calendar(_finish_days(np.array([self.project_duration])))[0]

    def _on_calendar(self, days: np.ndarray) -> np.ndarray:
        return self.plan.calendar.add_workdays(self.plan.start, days)

    def _start_days(self, starts: np.ndarray) -> np.ndarray:
        # A milestone at offset t marks the end of day t - 1, as Microsoft Project shows it.
        milestone = self.plan.network.duration == 0
        return np.where(milestone, _finish_days(starts), starts)

    def start_dates(self) -> np.ndarray:
        """Early start dates (numpy datetime64[D]) on the plan's working-day calendar."""
        return self._on_calendar(self._start_days(self.early_start))

    def finish_dates(self) -> np.ndarray:
        """Early finish dates (numpy datetime64[D]): the last working day of each task."""
        return self._on_calendar(_finish_days(self.early_finish))

    def late_start_dates(self) -> np.ndarray:
        """Late start dates (numpy datetime64[D])."""
        return self._on_calendar(self._start_days(self.late_start))

    def late_finish_dates(self) -> np.ndarray:
        """Late finish dates (numpy datetime64[D])."""
        return self._on_calendar(_finish_days(self.late_finish))

    def to_frame(self, dates: bool = True) -> pd.DataFrame:
        """One row per task (index ``id``): name, duration, ES, EF, LS, LF, floats, critical, dates."""
        import pandas as pd  # noqa: PLC0415

        plan = self.plan
        frame = pd.DataFrame(
            {
                "name": [t.name for t in plan.tasks],
                "duration": plan.network.duration,
                "early_start": self.early_start,
                "early_finish": self.early_finish,
                "late_start": self.late_start,
                "late_finish": self.late_finish,
                "total_float": self.total_float,
                "free_float": self.free_float,
                "critical": self.critical,
            },
            index=pd.Index(self.ids, name="id"),
        )
        if dates:
            frame["start_date"] = self.start_dates()
            frame["finish_date"] = self.finish_dates()
        return frame

    _TIME_FIELDS = (
        "early_start",
        "early_finish",
        "late_start",
        "late_finish",
        "total_float",
        "free_float",
    )

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON structure: project_duration, critical_tasks and a record per task."""
        names = ["id", *self._TIME_FIELDS, "critical"]
        columns = (
            [list(self.ids)]
            + [_plain_list(getattr(self, name)) for name in self._TIME_FIELDS]
            + [self.critical.tolist()]
        )
        tasks = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
        return {
            "project_duration": _plain_list(np.array([self.project_duration]))[0],
            "critical_tasks": self.critical_tasks,
            "tasks": tasks,
        }

    def to_json(self) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False)``, written directly.

        Formatting each record from columns skips building 100,000 dicts and encoding them
        again: about three times faster for the CLI on large plans (a test checks equality).
        """
        import json  # noqa: PLC0415
        from json.encoder import encode_basestring  # noqa: PLC0415

        ids = map(encode_basestring, self.ids)
        numbers = [map(repr, _plain_list(getattr(self, name))) for name in self._TIME_FIELDS]
        flags = ("true" if c else "false" for c in self.critical.tolist())
        record = "{" + ", ".join(f'"{n}": %s' for n in ("id", *self._TIME_FIELDS, "critical")) + "}"
        tasks = ", ".join([record % row for row in zip(ids, *numbers, flags, strict=True)])
        head = json.dumps(
            {
                "project_duration": _plain_list(np.array([self.project_duration]))[0],
                "critical_tasks": self.critical_tasks,
            },
            ensure_ascii=False,
        )
        return f'{head[:-1]}, "tasks": [{tasks}]}}'


def _finish_days(offsets: np.ndarray) -> np.ndarray:
    """Working-day index on which work ending at ``offsets`` is finished (day t - 1 for t > 0)."""
    return np.maximum(np.ceil(np.asarray(offsets, dtype=float) - 1 - 1e-9), 0)


def _plain_list(values: np.ndarray) -> list:
    """Floats as JSON-friendly numbers: integral values become ints."""
    if values.size and np.all(values == np.round(values)):
        return values.astype(np.int64).tolist()
    return values.tolist()


def schedule(plan: ProjectPlan, durations: Any = None) -> Schedule:
    """Run CPM on ``plan`` and return a :class:`Schedule` (times in working days from day 0).

    ``durations`` optionally overrides the task durations (an array in plan order), which is
    how widgets ask "what if this task took longer?" without building a new plan.
    """
    net = plan.network
    d = net.duration if durations is None else np.asarray(durations, dtype=float)
    if d.shape != (net.n_tasks,):
        raise ValueError(
            f"durations must have one value per task ({net.n_tasks}), got shape {d.shape}"
        )
    if np.any(~np.isfinite(d)) or np.any(d < 0):
        raise ValueError("durations must be finite numbers >= 0")
    es, ls, finish = cpm_arrays(net, d)
    ef = es + d
    lf = ls + d
    tf = np.round(ls - es, _DECIMALS)
    ff = np.round(free_float(net, d, es, finish), _DECIMALS)
    # Clamp rounding noise: floats are never negative by construction.
    return Schedule(
        plan=plan,
        early_start=np.round(es, _DECIMALS),
        early_finish=np.round(ef, _DECIMALS),
        late_start=np.round(ls, _DECIMALS),
        late_finish=np.round(lf, _DECIMALS),
        total_float=np.maximum(tf, 0.0),
        free_float=np.maximum(ff, 0.0),
        project_duration=float(np.round(finish, _DECIMALS)),
    )


def cpm_arrays(net: Network, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Forward and backward pass: ``(early_start, late_start, project_duration)``."""
    w = net.edge_weights(d)
    n = net.n_tasks
    edges_per_level = (len(w) + n) / max(net.n_levels, 1)
    if edges_per_level >= 24:
        es = _forward_levels(net, w)
        finish = float((es + d).max())
        ls = _backward_levels(net, w, finish - d)
    else:
        es = _forward_loop(net, w)
        finish = float((es + d).max())
        ls = _backward_loop(net, w, finish - d)
    return es, ls, finish


# -- level-wise passes: one numpy reduction per level of the network --------------------------
def _level_groups(keys_level: np.ndarray, keys: np.ndarray):
    """Sort edges by (level, key) and yield per level: edge slice, key nodes, segment starts."""
    order = np.lexsort((keys, keys_level))
    lv = keys_level[order]
    k = keys[order]
    bounds = np.flatnonzero(np.diff(lv)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(order)]))
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        seg = np.flatnonzero(np.diff(k[s:e])) + 1
        seg = np.concatenate(([0], seg))
        yield order[s:e], k[s:e][seg], seg


def _forward_levels(net: Network, w: np.ndarray) -> np.ndarray:
    es = np.zeros(net.n_tasks)
    if len(w) == 0:
        return es
    for edges, nodes, seg in _level_groups(net.level[net.succ], net.succ):
        cand = es[net.pred[edges]] + w[edges]
        es[nodes] = np.maximum(np.maximum.reduceat(cand, seg), 0.0)
    return es


def _backward_levels(net: Network, w: np.ndarray, ls_bound: np.ndarray) -> np.ndarray:
    ls = ls_bound.copy()
    if len(w) == 0:
        return ls
    groups = list(_level_groups(net.level[net.pred], net.pred))
    for edges, nodes, seg in reversed(groups):
        cand = ls[net.succ[edges]] - w[edges]
        ls[nodes] = np.minimum(np.minimum.reduceat(cand, seg), ls[nodes])
    return ls


# -- plain loops in topological order, for deep and narrow networks ---------------------------
def _forward_loop(net: Network, w: np.ndarray) -> np.ndarray:
    n = net.n_tasks
    into: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i, j, wt in zip(net.pred.tolist(), net.succ.tolist(), w.tolist(), strict=True):
        into[j].append((i, wt))
    es = [0.0] * n
    for j in net.order.tolist():
        best = 0.0
        for i, wt in into[j]:
            v = es[i] + wt
            if v > best:
                best = v
        es[j] = best
    return np.asarray(es)


def _backward_loop(net: Network, w: np.ndarray, ls_bound: np.ndarray) -> np.ndarray:
    n = net.n_tasks
    out: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i, j, wt in zip(net.pred.tolist(), net.succ.tolist(), w.tolist(), strict=True):
        out[i].append((j, wt))
    ls = ls_bound.tolist()
    for i in reversed(net.order.tolist()):
        best = ls[i]
        for j, wt in out[i]:
            v = ls[j] - wt
            if v < best:
                best = v
        ls[i] = best
    return np.asarray(ls)


def free_float(net: Network, d: np.ndarray, es: np.ndarray, finish: float) -> np.ndarray:
    """Free float per task: least link slack to a successor, capped by ``finish - EF``."""
    ff = finish - (es + d)
    if len(net.pred):
        slack = es[net.succ] - net.edge_weights(d) - es[net.pred]
        np.minimum.at(ff, net.pred, slack)
    return ff
