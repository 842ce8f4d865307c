"""CPM engine: published examples, calendar dates, an independent oracle and properties."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pytest
import reference_cpm as ref
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import EXAMPLES, FIXTURES

from benchmarks.generate import random_plan_rows
from itpm_course import load_plan, schedule
from itpm_course.engine import schedule as engine
from itpm_course.plan import (
    Calendar,
    Link,
    ProjectPlan,
    Task,
    parse_links,
    plan_from_csv_text,
)

COLUMNS = ("early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float")

# Published answers (domain-facts §2.1): id -> (ES, EF, LS, LF, TF, FF)
PDM1 = {
    "A": (0, 5, 0, 5, 0, 0),
    "B": (5, 9, 5, 9, 0, 0),
    "C": (7, 15, 7, 15, 0, 0),
    "D": (8, 14, 9, 15, 1, 1),
    "E": (10, 13, 15, 18, 5, 5),
    "F": (15, 20, 15, 20, 0, 0),
    "H": (21, 23, 21, 23, 0, 0),
    "I": (18, 21, 20, 23, 2, 2),
}
PDM2 = {
    "A": (0, 2, 0, 2, 0, 0),
    "B": (0, 10, 4, 14, 4, 0),
    "C": (2, 15, 10, 23, 8, 0),
    "D": (2, 14, 2, 14, 0, 0),
    "E": (10, 22, 15, 27, 5, 1),
    "F": (10, 17, 14, 21, 4, 0),
    "G": (14, 24, 23, 33, 9, 1),
    "H": (14, 30, 14, 30, 0, 0),
    "I": (17, 23, 21, 27, 4, 0),
    "J": (15, 27, 23, 35, 8, 8),
    "K": (17, 22, 22, 27, 5, 1),
    "L": (23, 31, 27, 35, 4, 4),
    "M": (30, 35, 30, 35, 0, 0),
    "N": (35, 38, 35, 38, 0, 0),
}
# General Foundry: ES/EF/LS/LF and slack are published; FF is not, so it is left out (None).
CPM1 = {
    "A": (0, 2, 0, 2, 0, None),
    "B": (0, 3, 1, 4, 1, None),
    "C": (2, 4, 2, 4, 0, None),
    "D": (3, 7, 4, 8, 1, None),
    "E": (4, 8, 4, 8, 0, None),
    "F": (4, 7, 10, 13, 6, None),
    "G": (8, 13, 8, 13, 0, None),
    "H": (13, 15, 13, 15, 0, None),
}
# Reliable Construction: duration 44; slack D, G, H, M = 4; I = 2; K = 1; others 0.
# Free floats (domain-facts, computed): I 2, K 1, M 4; D, G, H 0.
CPM2_SLACK = dict.fromkeys("ABCEFJLN", 0) | {"D": 4, "G": 4, "H": 4, "M": 4, "I": 2, "K": 1}
CPM2_FREE = {"I": 2, "K": 1, "M": 4, "D": 0, "G": 0, "H": 0}

PUBLISHED = {
    "PDM-1": (23, ["A", "B", "C", "F", "H"], PDM1),
    "PDM-2": (38, ["A", "D", "H", "M", "N"], PDM2),
    "CPM-1": (15, ["A", "C", "E", "G", "H"], CPM1),
}


def load_example(name: str) -> ProjectPlan:
    return load_plan(FIXTURES / EXAMPLES[name], start="2025-01-06")


def plan_from_rows(rows, **kw) -> ProjectPlan:
    tasks = [Task(r["id"], float(r["duration"]), predecessors=_links(r)) for r in rows]
    return ProjectPlan(name="random", start=dt.date(2025, 1, 6), tasks=tasks, **kw)


def _links(row) -> list[Link]:
    return parse_links(row["predecessors"]) if row["predecessors"] else []


def assert_matches_reference(result, network) -> None:
    """Every time, float and flag of ``result`` equals the reference implementation's."""
    finish, expected = ref.cpm(network)
    assert result.project_duration == pytest.approx(finish, abs=1e-9)
    frame = result.to_frame(dates=False)
    for tid, times in expected.items():
        row = frame.loc[tid]
        got = tuple(float(row[c]) for c in COLUMNS)
        want = (times.es, times.ef, times.ls, times.lf, times.tf, times.ff)
        assert got == pytest.approx(want, abs=1e-9), tid
        assert bool(row["critical"]) is times.critical, tid


# ------------------------------------------------------------------------ published examples
@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_published_example(name):
    duration, critical, table = PUBLISHED[name]
    result = schedule(load_example(name))
    assert result.project_duration == duration
    assert result.critical_tasks == critical
    frame = result.to_frame()
    for tid, expected in table.items():
        for column, value in zip(COLUMNS, expected, strict=True):
            if value is not None:
                assert frame.loc[tid, column] == value, (tid, column)
        assert frame.loc[tid, "critical"] == (expected[4] == 0), tid


def test_general_foundry_d_after_a_and_b_is_unchanged():
    """Heizer & Render's Milwaukee Paper variant (D after A and B) has the same results."""
    plan = load_example("CPM-1").with_task("D", predecessors="A; B")
    result = schedule(plan)
    assert result.project_duration == 15
    frame = result.to_frame()
    for tid, expected in CPM1.items():
        assert tuple(frame.loc[tid, list(COLUMNS[:5])]) == expected[:5]


def test_reliable_construction_published_answers():
    result = schedule(load_example("CPM-2"))
    assert result.project_duration == 44
    assert result.critical_tasks == ["A", "B", "C", "E", "F", "J", "L", "N"]
    frame = result.to_frame()
    assert frame["total_float"].to_dict() == CPM2_SLACK
    for tid, ff in CPM2_FREE.items():
        assert frame.loc[tid, "free_float"] == ff, tid


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_published_examples_match_reference(name):
    plan = load_example(name)
    assert_matches_reference(schedule(plan), ref.from_plan(plan))


def test_yaml_and_csv_versions_of_pdm1_agree():
    a = schedule(load_example("PDM-1")).to_dict()
    b = schedule(load_plan(FIXTURES / "pdm1.yaml")).to_dict()
    assert a == b


def test_to_dict_structure_for_pdm1():
    out = schedule(load_example("PDM-1")).to_dict()
    assert list(out) == ["project_duration", "critical_tasks", "tasks"]
    assert out["project_duration"] == 23 and isinstance(out["project_duration"], int)
    assert out["tasks"][3] == {
        "id": "D",
        "early_start": 8,
        "early_finish": 14,
        "late_start": 9,
        "late_finish": 15,
        "total_float": 1,
        "free_float": 1,
        "critical": False,
    }


# ---------------------------------------------------------------------------- calendar dates
def _dates(result, tid):
    frame = result.to_frame()
    return (
        frame.loc[tid, "start_date"].date(),
        frame.loc[tid, "finish_date"].date(),
    )


def test_pdm1_dates_on_mon_to_fri_calendar():
    result = schedule(load_example("PDM-1"))
    assert _dates(result, "A") == (dt.date(2025, 1, 6), dt.date(2025, 1, 10))
    assert _dates(result, "F")[1] == dt.date(2025, 1, 31)  # Fri
    assert _dates(result, "H")[0] == dt.date(2025, 2, 4)  # Tue: the 1-day lag uses Mon 02-03
    assert result.finish_date == np.datetime64("2025-02-05")
    late = result.late_finish_dates()[result.plan.network.index["I"]]
    assert late == np.datetime64("2025-02-05")


def test_holiday_moves_later_dates_but_not_working_day_times():
    plain = schedule(load_example("PDM-1"))
    plan = load_example("PDM-1").replace(calendar=Calendar(holidays=(dt.date(2025, 1, 20),)))
    result = schedule(plan)
    assert result.to_dict() == plain.to_dict()  # times are in working days
    assert _dates(result, "A") == (dt.date(2025, 1, 6), dt.date(2025, 1, 10))
    assert _dates(result, "C")[0] == dt.date(2025, 1, 15)  # before the holiday: unchanged
    assert _dates(result, "F")[1] == dt.date(2025, 2, 3)  # Mon instead of Fri 01-31
    assert _dates(result, "H")[0] == dt.date(2025, 2, 5)
    assert result.finish_date == np.datetime64("2025-02-06")


def test_start_on_a_holiday_or_weekend_rolls_to_the_next_working_day():
    holiday = Calendar(holidays=(dt.date(2025, 1, 1),))
    plan = load_example("PDM-1").replace(start=dt.date(2025, 1, 1), calendar=holiday)
    assert _dates(schedule(plan), "A") == (dt.date(2025, 1, 2), dt.date(2025, 1, 8))
    weekend = load_example("PDM-1").replace(start=dt.date(2025, 1, 4))  # a Saturday
    assert (
        schedule(weekend).to_frame()["start_date"].tolist()
        == schedule(load_example("PDM-1")).to_frame()["start_date"].tolist()
    )


def test_custom_workweek():
    # Sun-Thu week: from Sun 2025-01-05, five days end on Thu 2025-01-09
    plan = plan_from_csv_text("id,duration\nA,5\nB,1\n", start="2025-01-05").replace(
        calendar=Calendar(workdays=("Sun", "Mon", "Tue", "Wed", "Thu"))
    )
    assert _dates(schedule(plan), "A") == (dt.date(2025, 1, 5), dt.date(2025, 1, 9))


# ---------------------------------------------------------------------------------- milestones
def test_milestones():
    text = (
        "id,duration,predecessors\n"
        "K,0,\n"  # kick-off milestone at the start
        "A,3,K\n"
        "B,2,A\n"
        "G,0,B\n"  # go-live milestone at the end
        "X,1,K\n"
    )
    result = schedule(plan_from_csv_text(text, start="2025-01-06"))
    frame = result.to_frame()
    assert result.project_duration == 5
    assert tuple(frame.loc["K", list(COLUMNS)]) == (0, 0, 0, 0, 0, 0)
    assert tuple(frame.loc["G", list(COLUMNS)]) == (5, 5, 5, 5, 0, 0)
    assert result.critical_tasks == ["A", "K", "B", "G"]  # ties on early start: by id
    # A milestone is shown on the day its predecessor finishes (the MS Project convention).
    assert _dates(result, "K") == (dt.date(2025, 1, 6), dt.date(2025, 1, 6))
    assert _dates(result, "B")[1] == dt.date(2025, 1, 10)
    assert _dates(result, "G") == (dt.date(2025, 1, 10), dt.date(2025, 1, 10))
    assert result.plan.task("G").is_milestone


def test_single_milestone_plan():
    result = schedule(plan_from_csv_text("id,duration\nM,0\n"))
    assert result.project_duration == 0
    assert result.critical_tasks == ["M"]


# ------------------------------------------------------------------------- fractional durations
def test_fractional_durations_and_lags():
    text = "id,duration,predecessors\nA,1.5,\nB,2.25,A\nC,0.5,A SS+0.75\nD,1,B; C FF-0.5\n"
    plan = plan_from_csv_text(text)
    result = schedule(plan)
    assert result.project_duration == 4.75
    frame = result.to_frame()
    assert tuple(frame.loc["C", list(COLUMNS)]) == (0.75, 1.25, 4.25, 4.75, 3.5, 3.5)
    assert_matches_reference(result, ref.from_plan(plan))
    out = result.to_dict()
    assert out["project_duration"] == 4.75
    assert out["tasks"][0]["early_finish"] == 1.5


def test_float_noise_does_not_hide_a_critical_task():
    # 0.1 + 0.2 != 0.3 in binary floating point; C must still count as critical.
    plan = plan_from_csv_text("id,duration,predecessors\nA,0.1,\nB,0.2,A\nC,0.3,\n")
    result = schedule(plan)
    assert result.project_duration == 0.3
    assert result.critical_tasks == ["A", "C", "B"]
    assert (result.total_float == 0).all()


def test_fractional_dates_floor_to_the_working_day():
    plan = plan_from_csv_text("id,duration,predecessors\nA,1.5,\nB,1,A\n", start="2025-01-06")
    result = schedule(plan)
    assert _dates(result, "A") == (dt.date(2025, 1, 6), dt.date(2025, 1, 7))
    assert _dates(result, "B") == (dt.date(2025, 1, 7), dt.date(2025, 1, 8))


# ---------------------------------------------------------------------- conventions and inputs
def test_leads_never_start_before_day_zero():
    plan = plan_from_csv_text("id,duration,predecessors\nA,2,\nB,3,A FS-5\nC,1,B SF-4\n")
    result = schedule(plan)
    assert result.early_start.min() == 0
    assert_matches_reference(result, ref.from_plan(plan))


def test_duration_override_and_validation():
    plan = load_example("PDM-1")
    longer = plan.network.duration.copy()
    longer[plan.network.index["F"]] += 2
    assert schedule(plan, durations=longer).project_duration == 25
    assert schedule(plan).project_duration == 23  # the plan itself is unchanged
    with pytest.raises(ValueError, match="one value per task"):
        schedule(plan, durations=[1, 2])
    with pytest.raises(ValueError, match=">= 0"):
        schedule(plan, durations=-longer)
    with pytest.raises(ValueError, match="finite"):
        schedule(plan, durations=np.full(len(plan), np.nan))


def test_duplicate_links_between_the_same_tasks():
    plan = plan_from_csv_text("id,duration,predecessors\nA,4,\nB,3,A; A SS+2; A FF+1\n")
    result = schedule(plan)
    assert result.project_duration == 7
    assert_matches_reference(result, ref.from_plan(plan))


# ------------------------------------------------------------------------ agreement on random
def deep_rows(n: int, seed: int, window: int = 3) -> list[dict]:
    """A deep, narrow network: every task links to 1-2 of the previous ``window`` tasks."""
    rows = random_plan_rows(n, seed=seed, max_preds=2, window=window, all_links=True)
    for j, r in enumerate(rows[1:], start=1):
        if not r["predecessors"]:
            r["predecessors"] = f"T{j - 1}"  # keep the chain unbroken
    return rows


def _branch(plan) -> str:
    net = plan.network
    per_level = (len(net.pred) + net.n_tasks) / max(net.n_levels, 1)
    return "levels" if per_level >= 24 else "loop"


@pytest.fixture
def spy_passes(monkeypatch):
    """Record which implementation of the passes ``cpm_arrays`` chose."""
    calls: list[str] = []
    for name, tag in [
        ("_forward_levels", "levels"),
        ("_backward_levels", "levels"),
        ("_forward_loop", "loop"),
        ("_backward_loop", "loop"),
    ]:
        original = getattr(engine, name)

        def wrapper(*args, _f=original, _tag=tag):
            calls.append(_tag)
            return _f(*args)

        monkeypatch.setattr(engine, name, wrapper)
    return calls


@pytest.mark.parametrize("seed", range(12))
def test_wide_random_plans_use_level_path_and_match_reference(seed, spy_passes):
    rows = random_plan_rows(1500, seed=seed, max_preds=4, all_links=True)
    plan = plan_from_rows(rows)
    assert _branch(plan) == "levels"
    result = schedule(plan)
    assert set(spy_passes) == {"levels"}
    assert_matches_reference(result, ref.from_rows(rows))


@pytest.mark.parametrize("seed", range(12))
def test_deep_random_plans_use_loop_path_and_match_reference(seed, spy_passes):
    rows = deep_rows(600, seed=100 + seed)
    plan = plan_from_rows(rows)
    assert _branch(plan) == "loop"
    result = schedule(plan)
    assert set(spy_passes) == {"loop"}
    assert_matches_reference(result, ref.from_rows(rows))


def test_very_deep_chain_orders_without_vector_rounds():
    """Past 2048 Kahn rounds the network falls back to the Python ordering; CPM still agrees."""
    rows = deep_rows(3000, seed=7, window=1)
    plan = plan_from_rows(rows)
    assert plan.network.n_levels > 2048
    assert_matches_reference(schedule(plan), ref.from_rows(rows))


@pytest.mark.parametrize("seed", range(6))
def test_both_passes_agree_on_the_same_network(seed):
    """Force both branches on the same plans (wide and deep) and compare them directly."""
    for rows in (
        random_plan_rows(400, seed=seed, max_preds=4, all_links=True),
        deep_rows(400, seed=seed),
    ):
        net = plan_from_rows(rows).network
        d = net.duration
        w = net.edge_weights(d)
        es_lv = engine._forward_levels(net, w)
        es_lp = engine._forward_loop(net, w)
        np.testing.assert_array_equal(es_lv, es_lp)
        finish = float((es_lv + d).max())
        np.testing.assert_array_equal(
            engine._backward_levels(net, w, finish - d), engine._backward_loop(net, w, finish - d)
        )


def test_threshold_switches_at_24_edges_per_level(spy_passes):
    # A chain of 2 tasks has (1 edge + 2 tasks) / 2 levels = 1.5 -> loop.
    schedule(plan_from_csv_text("id,duration,predecessors\nA,1,\nB,1,A\n"))
    assert set(spy_passes) == {"loop"}
    spy_passes.clear()
    # 24 independent tasks: (0 edges + 24 tasks) / 1 level = 24 -> levels.
    schedule(plan_from_csv_text("id,duration\n" + "".join(f"T{k},{k}\n" for k in range(24))))
    assert set(spy_passes) == {"levels"}
    spy_passes.clear()
    schedule(plan_from_csv_text("id,duration\n" + "".join(f"T{k},{k}\n" for k in range(23))))
    assert set(spy_passes) == {"loop"}


# -------------------------------------------------------------------------- networkx cross-check
@pytest.mark.parametrize("seed", range(5))
def test_fs_only_plans_match_networkx_longest_paths(seed):
    rng = np.random.default_rng(seed)
    rows = random_plan_rows(250, seed=200 + seed, max_preds=3)
    for r in rows:  # give the FS links random lags and leads
        items = [p for p in r["predecessors"].split("; ") if p]
        r["predecessors"] = "; ".join(f"{p} FS{int(rng.integers(-3, 4)):+d}" for p in items)
    plan = plan_from_rows(rows)
    result = schedule(plan)

    graph = nx.DiGraph()
    dur = {r["id"]: r["duration"] for r in rows}
    for r in rows:
        graph.add_edge("start", r["id"], weight=0)  # ES >= 0
        graph.add_edge(r["id"], "finish", weight=dur[r["id"]])
        for item in ref.parse_predecessors(r["predecessors"]):
            pred, _, lag = item
            graph.add_edge(pred, r["id"], weight=dur[pred] + lag)
    # networkx has no longest path for negative weights, so negate and take shortest paths.
    negated = nx.DiGraph()
    negated.add_weighted_edges_from((u, v, -w) for u, v, w in graph.edges(data="weight"))
    to = nx.single_source_bellman_ford_path_length(negated, "start")
    from_ = nx.single_source_bellman_ford_path_length(negated.reverse(), "finish")
    finish = -to["finish"]
    assert result.project_duration == finish
    ids = result.ids
    assert result.early_start.tolist() == [-to[t] for t in ids]
    assert result.late_start.tolist() == [finish + from_[t] for t in ids]
    if all(lag >= 0 for _, (_, links) in ref.from_rows(rows).items() for *_, lag in links):
        assert finish == nx.dag_longest_path_length(graph)


def test_networkx_dag_longest_path_on_zero_lag_plan():
    rows = random_plan_rows(2000, seed=11, max_preds=3)
    graph = nx.DiGraph()
    for r in rows:
        graph.add_edge("start", r["id"], weight=0)
        graph.add_edge(r["id"], "finish", weight=r["duration"])
        for pred in filter(None, r["predecessors"].split("; ")):
            graph.add_edge(pred, r["id"], weight=next(x["duration"] for x in [rows[int(pred[1:])]]))
    result = schedule(plan_from_rows(rows))
    assert result.project_duration == nx.dag_longest_path_length(graph)
    path = [t for t in nx.dag_longest_path(graph) if t not in ("start", "finish")]
    assert set(path) <= set(result.critical_tasks)


# --------------------------------------------------------------------------- hypothesis plans
@st.composite
def plans(draw, *, fs_only: bool = False, min_lag: int = -3, max_size: int = 25):
    n = draw(st.integers(1, max_size))
    durations = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    tasks = []
    for j in range(n):
        preds = draw(st.lists(st.integers(0, j - 1), max_size=3, unique=True)) if j else []
        links = []
        for i in preds:
            kind = "FS" if fs_only else draw(st.sampled_from(["FS", "SS", "FF", "SF"]))
            links.append(Link(f"T{i}", kind, float(draw(st.integers(min_lag, 4)))))
        tasks.append(Task(f"T{j}", float(durations[j]), predecessors=links))
    # shuffle so plan order is not a topological order
    tasks = draw(st.permutations(tasks))
    return ProjectPlan(name="h", start=dt.date(2025, 1, 6), tasks=list(tasks))


PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(plans())
def test_property_matches_reference(plan):
    assert_matches_reference(schedule(plan), ref.from_plan(plan))


@PROPS
@given(plans())
def test_property_floats_and_bounds(plan):
    r = schedule(plan)
    T = r.project_duration
    assert (r.total_float >= 0).all()
    assert (r.free_float >= 0).all()
    assert (r.free_float <= r.total_float).all()
    assert (r.early_start >= 0).all()
    assert (r.early_finish <= T).all()
    assert (r.late_finish <= T).all()
    assert T == r.early_finish.max()
    np.testing.assert_array_equal(r.critical, r.total_float == 0)
    assert r.critical.any()
    es = dict(zip(r.ids, r.early_start, strict=True))
    assert r.critical_tasks == sorted(r.critical_tasks, key=lambda t: (es[t], t))


def _driving(r, i, j, lag):
    """Is the FS link i -> j with ``lag`` driving (zero relationship float)?"""
    k = r.plan.network.index
    return r.early_finish[k[i]] + lag == r.early_start[k[j]]


@PROPS
@given(plans(fs_only=True, min_lag=0))
def test_property_fs_critical_tasks_chain_from_start_to_finish(plan):
    r = schedule(plan)
    k = plan.network.index
    crit = set(r.critical_tasks)
    succs: dict[str, list[tuple[str, float]]] = {t: [] for t in r.ids}
    for t in plan.tasks:
        for link in t.predecessors:
            succs[link.predecessor].append((t.id, link.lag))
    for tid in crit:
        task = plan.task(tid)
        # backwards: a start task, or a critical predecessor drives it
        assert not task.predecessors or any(
            ln.predecessor in crit and _driving(r, ln.predecessor, tid, ln.lag)
            for ln in task.predecessors
        )
        # forwards: a finish task ending at T, or it drives a critical successor
        if succs[tid]:
            assert any(j in crit and _driving(r, tid, j, lag) for j, lag in succs[tid])
        else:
            assert r.early_finish[k[tid]] == r.project_duration
    # hence at least one complete chain exists: walk it from a critical start task
    node = next(t for t in r.critical_tasks if not plan.task(t).predecessors)
    while succs[node]:
        node = next(j for j, lag in succs[node] if j in crit and _driving(r, node, j, lag))
    assert r.early_finish[k[node]] == r.project_duration


@PROPS
@given(plans(fs_only=True), st.data())
def test_property_fs_lengthening_a_task_never_shortens_the_project(plan, data):
    base = schedule(plan).project_duration
    idx = data.draw(st.integers(0, len(plan) - 1))
    extra = data.draw(st.integers(1, 10))
    d = plan.network.duration.copy()
    d[idx] += extra
    assert schedule(plan, durations=d).project_duration >= base


def test_reverse_critical_activity_with_ff_and_ss_links():
    """A documented fact of PDM: with FF-in / SS-out links, lengthening a task can shorten the
    project ("reverse-critical" activity; domain-facts §2.1 caveats).

    A (10 days); B (2 days) must finish with A (A FF B); C (5 days) starts with B (B SS C).
    B starts at 8, so C ends at 13.  Make B 4 days and it starts at 6: C ends at 11.
    """
    text = "id,duration,predecessors\nA,10,\nB,2,A FF\nC,5,B SS\n"
    plan = plan_from_csv_text(text)
    before = schedule(plan)
    assert before.project_duration == 13
    assert "B" in before.critical_tasks
    after = schedule(plan.with_task("B", duration=4))
    assert after.project_duration == 11  # longer task, shorter project
    assert after.project_duration < before.project_duration
    assert_matches_reference(after, ref.from_plan(plan.with_task("B", duration=4)))


def test_to_json_is_the_json_of_to_dict():
    import json

    from itpm_course.plan import plan_from_csv_text

    text = 'id,name,duration,predecessors\nA,Bürø "x",1.5,\nB,b,2,A SS+0.25\nC,c,0,B\n'
    result = schedule(plan_from_csv_text(text, start="2026-01-05"))
    assert result.to_json() == json.dumps(result.to_dict(), ensure_ascii=False)
    assert json.loads(result.to_json()) == result.to_dict()
