"""An independent, deliberately simple CPM implementation used as a test oracle.

Written straight from the formulas of domain-facts §2.1 with dicts and
:class:`graphlib.TopologicalSorter`; it shares no code with ``itpm_course.engine``.

Conventions (the same as the package's):

* ES >= 0 (no task starts before the project start, day 0);
* every task must finish by the project finish ``T = max EF`` (LF <= T);
* TF = LS - ES; free float = min(T - EF, least relationship free float to a successor);
* critical means TF == 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from graphlib import TopologicalSorter

_ITEM = re.compile(r"^(?P<id>\S+)(?:\s+(?P<type>FS|SS|FF|SF)(?P<lag>[+-]\d+(?:\.\d+)?)?)?$")


@dataclass
class Times:
    es: float
    ef: float
    ls: float
    lf: float
    tf: float
    ff: float
    critical: bool


def parse_predecessors(text: str) -> list[tuple[str, str, float]]:
    """``"A; B SS+2"`` -> ``[("A", "FS", 0.0), ("B", "SS", 2.0)]`` (the generator's format)."""
    links = []
    for item in re.split(r"[;,]", text or ""):
        item = item.strip()
        if not item:
            continue
        m = _ITEM.match(item)
        if m is None:
            raise ValueError(f"reference parser cannot read {item!r}")
        links.append((m["id"], m["type"] or "FS", float(m["lag"] or 0)))
    return links


def from_rows(rows) -> dict[str, tuple[float, list[tuple[str, str, float]]]]:
    """Network from rows with id, duration and predecessors text (``benchmarks/generate.py``)."""
    return {
        r["id"]: (float(r["duration"]), parse_predecessors(r.get("predecessors", ""))) for r in rows
    }


def from_plan(plan) -> dict[str, tuple[float, list[tuple[str, str, float]]]]:
    """Network from a ``ProjectPlan``'s task list (model objects only, no engine code)."""
    return {
        t.id: (
            float(t.duration),
            [(ln.predecessor, ln.type, float(ln.lag)) for ln in t.predecessors],
        )
        for t in plan.tasks
    }


def cpm(network: dict[str, tuple[float, list[tuple[str, str, float]]]], eps: float = 1e-9):
    """Forward and backward pass.  Returns ``(T, {id: Times})``."""
    d = {tid: dur for tid, (dur, _) in network.items()}
    links_in = {tid: links for tid, (_, links) in network.items()}
    links_out: dict[str, list[tuple[str, str, float]]] = {tid: [] for tid in network}
    for j, links in links_in.items():
        for i, kind, lag in links:
            links_out[i].append((j, kind, lag))
    order = list(
        TopologicalSorter({j: {i for i, _, _ in links_in[j]} for j in network}).static_order()
    )

    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for j in order:
        start = 0.0  # ES >= project start
        for i, kind, lag in links_in[j]:
            if kind == "FS":  # ES_j >= EF_i + L
                bound = ef[i] + lag
            elif kind == "SS":  # ES_j >= ES_i + L
                bound = es[i] + lag
            elif kind == "FF":  # EF_j >= EF_i + L
                bound = ef[i] + lag - d[j]
            elif kind == "SF":  # EF_j >= ES_i + L
                bound = es[i] + lag - d[j]
            else:
                raise ValueError(kind)
            start = max(start, bound)
        es[j] = start
        ef[j] = start + d[j]
    finish = max(ef.values())

    ls: dict[str, float] = {}
    lf: dict[str, float] = {}
    for i in reversed(order):
        late = finish  # LF <= T
        for j, kind, lag in links_out[i]:
            if kind == "FS":  # LF_i <= LS_j - L
                bound = ls[j] - lag
            elif kind == "SS":  # LS_i <= LS_j - L
                bound = ls[j] - lag + d[i]
            elif kind == "FF":  # LF_i <= LF_j - L
                bound = lf[j] - lag
            else:  # SF: LS_i <= LF_j - L
                bound = lf[j] - lag + d[i]
            late = min(late, bound)
        lf[i] = late
        ls[i] = late - d[i]

    out = {}
    for i in network:
        free = finish - ef[i]
        for j, kind, lag in links_out[i]:
            rel = {
                "FS": es[j] - lag - ef[i],
                "SS": es[j] - lag - es[i],
                "FF": ef[j] - lag - ef[i],
                "SF": ef[j] - lag - es[i],
            }[kind]
            free = min(free, rel)
        tf = ls[i] - es[i]
        out[i] = Times(es[i], ef[i], ls[i], lf[i], tf, free, abs(tf) <= eps)
    return finish, out
