"""Monte Carlo schedule risk: against an independent simulation, analytic anchors and properties.

The independent simulation samples with ``scipy.stats`` and runs the plain dict CPM of
``tests/reference_cpm.py`` once per iteration; it shares no code with the engine.  Analytic
anchors are from domain-facts §2.2-2.3 (PERT and triangular moments, merge-bias constants,
serial Triangular(1,4,7) sums under rank correlation, degenerate estimates).
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
import reference_cpm as ref
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from benchmarks.generate import random_plan_rows
from itpm_course import simulate
from itpm_course.data import sample_plan
from itpm_course.engine.montecarlo import (
    CorrelationGroup,
    RiskEvent,
    pert_shape,
    sample_pert,
    sample_triangular,
)
from itpm_course.engine.schedule import schedule
from itpm_course.plan import ProjectPlan, Task, parse_links

START = dt.date(2026, 1, 5)


def make_plan(*specs, name: str = "test") -> ProjectPlan:
    """Plan from ``(id, estimate, predecessors[, cost, rate])``; estimate is (a, m, b) or a duration."""
    tasks = []
    for spec in specs:
        tid, est, preds, *money = spec
        cost, rate = (money + [None, None])[:2]
        if isinstance(est, tuple):
            a, m, b = est
            task = Task(tid, m, optimistic=a, most_likely=m, pessimistic=b)
        else:
            task = Task(tid, est)
        task.predecessors = parse_links(preds)
        task.cost, task.rate = cost, rate
        tasks.append(task)
    return ProjectPlan(name=name, start=START, tasks=tasks)


def chain(n: int, est, prefix: str = "T", after: str = "") -> list[tuple]:
    return [(f"{prefix}{k}", est, after if k == 0 else f"{prefix}{k - 1}") for k in range(n)]


def pert_var(a, m, b) -> float:
    al, be = pert_shape(np.array([a]), np.array([m]), np.array([b]))
    al, be = float(al[0]), float(be[0])
    return (b - a) ** 2 * al * be / ((al + be) ** 2 * (al + be + 1))


def tri_var(a, m, b) -> float:
    return (a * a + b * b + m * m - a * b - a * m - b * m) / 18


# --------------------------------------------------------------------- independent simulation
def independent_simulation(plan: ProjectPlan, iterations: int, seed: int, distribution="pert"):
    """Per-iteration loop: scipy.stats sampling + the plain dict CPM. Returns finish, criticality."""
    rng = np.random.default_rng(seed)
    base = ref.from_plan(plan)
    draws = {}
    for t in plan.tasks:
        if t.optimistic is None or t.pessimistic - t.optimistic <= 0:
            draws[t.id] = np.full(iterations, float(t.duration))
            continue
        a, m, b = t.optimistic, t.most_likely, t.pessimistic
        if distribution == "pert":
            al = 1 + 4 * (m - a) / (b - a)
            be = 1 + 4 * (b - m) / (b - a)
            dist = stats.beta(al, be, loc=a, scale=b - a)
        else:
            dist = stats.triang((m - a) / (b - a), loc=a, scale=b - a)
        draws[t.id] = dist.rvs(size=iterations, random_state=rng)
    finish = np.empty(iterations)
    crit = dict.fromkeys(base, 0)
    for i in range(iterations):
        net = {tid: (draws[tid][i], links) for tid, (_, links) in base.items()}
        finish[i], times = ref.cpm(net, eps=1e-7)
        for tid, tm in times.items():
            crit[tid] += tm.critical
    return finish, {tid: c / iterations for tid, c in crit.items()}


def assert_same_distribution(ours, result_crit, ids, theirs, their_crit):
    n1, n2 = len(ours), len(theirs)
    se = math.sqrt(ours.var() / n1 + theirs.var() / n2)
    assert abs(ours.mean() - theirs.mean()) <= 4.5 * se + 1e-9
    assert stats.ks_2samp(ours, theirs).pvalue > 1e-4
    for q in (10, 50, 80, 90):
        spread = np.percentile(theirs, 95) - np.percentile(theirs, 5) + 1e-9
        assert abs(np.percentile(ours, q) - np.percentile(theirs, q)) <= 0.05 * spread + 1e-9
    for tid, c in zip(ids, result_crit, strict=True):
        p = their_crit[tid]
        se = math.sqrt(max(p * (1 - p), 0.002) * (1 / n1 + 1 / n2))
        assert abs(c - p) <= 4.5 * se, (tid, c, p)


@pytest.mark.parametrize("distribution", ["pert", "triangular"])
def test_sample_plan_agrees_with_independent_simulation(distribution):
    plan = sample_plan("server_migration")  # FS, SS, FS-2 (lead), FF+1 links
    result = simulate(plan, 20_000, seed=11, distribution=distribution)
    finish, crit = independent_simulation(plan, 3_000, seed=5, distribution=distribution)
    assert_same_distribution(result.finish, result.criticality, result.ids, finish, crit)


def all_links_plan(n: int, *cost_and_rate: float) -> ProjectPlan:
    """A random ``n``-task plan with FS/SS/FF/SF links and lags, three-point estimates on
    every task with a duration (and ``cost, rate`` on every task, when given)."""
    rows = random_plan_rows(n, seed=3, all_links=True)
    rng = np.random.default_rng(0)
    specs = []
    for r in rows:
        m = float(r["duration"])
        a, b = m * rng.uniform(0.5, 1.0), m * rng.uniform(1.0, 2.0) + 1
        specs.append((r["id"], (a, m, b) if m > 0 else 0.0, r["predecessors"], *cost_and_rate))
    return make_plan(*specs)


def test_random_all_link_types_plan_agrees_with_independent_simulation():
    plan = all_links_plan(25)
    result = simulate(plan, 20_000, seed=2)
    finish, crit = independent_simulation(plan, 2_000, seed=9)
    assert_same_distribution(result.finish, result.criticality, result.ids, finish, crit)


# --------------------------------------------------------------------- sampling
@pytest.mark.parametrize("abm", [(1, 2, 9), (2, 4, 6), (3, 4, 11), (0, 0, 5), (1, 7, 7)])
def test_pert_sampling_moments_and_ks_against_scipy_beta(abm):
    a, m, b = abm
    x = sample_pert(np.array([a], float), np.array([m], float), np.array([b], float), 200_000,
                    np.random.default_rng(1))[0]  # fmt: skip
    assert x.min() >= a and x.max() <= b
    n = len(x)
    assert abs(x.mean() - (a + 4 * m + b) / 6) <= 5 * math.sqrt(pert_var(a, m, b) / n)
    assert x.var() == pytest.approx(pert_var(a, m, b), rel=0.02)
    al, be = pert_shape(np.array([a]), np.array([m]), np.array([b]))
    ks = stats.kstest(x[:20_000], stats.beta(al[0], be[0], loc=a, scale=b - a).cdf)
    assert ks.pvalue > 1e-3


@pytest.mark.parametrize("abm", [(1, 4, 7), (1, 2, 9), (0, 0, 4), (2, 5, 5)])
def test_triangular_sampling_moments_and_ks_against_scipy_triang(abm):
    a, m, b = abm
    x = sample_triangular(np.array([a], float), np.array([m], float), np.array([b], float),
                          200_000, np.random.default_rng(2))[0]  # fmt: skip
    assert x.min() >= a and x.max() <= b
    assert abs(x.mean() - (a + m + b) / 3) <= 5 * math.sqrt(tri_var(a, m, b) / len(x))
    assert x.var() == pytest.approx(tri_var(a, m, b), rel=0.02)
    ks = stats.kstest(x[:20_000], stats.triang((m - a) / (b - a), loc=a, scale=b - a).cdf)
    assert ks.pvalue > 1e-3


@pytest.mark.parametrize("distribution", ["pert", "triangular"])
def test_one_task_plan_finish_is_the_task_distribution(distribution):
    a, m, b = 2.0, 4.0, 11.0
    result = simulate(make_plan(("G", (a, m, b), "")), 20_000, seed=4, distribution=distribution)
    if distribution == "pert":
        al, be = pert_shape(np.array([a]), np.array([m]), np.array([b]))
        dist = stats.beta(al[0], be[0], loc=a, scale=b - a)
    else:
        dist = stats.triang((m - a) / (b - a), loc=a, scale=b - a)
    assert stats.kstest(result.finish, dist.cdf).pvalue > 1e-3
    assert result.criticality.tolist() == [1.0]


# --------------------------------------------------------------------- analytic anchors
@pytest.mark.parametrize("distribution", ["pert", "triangular"])
def test_serial_chain_mean_is_sum_of_means(distribution):
    ests = [(1, 2, 3), (2, 3, 4), (1, 2, 9), (3, 4, 11), (1, 4, 7), (2, 4, 6)]
    specs = [(f"T{k}", e, f"T{k - 1}" if k else "") for k, e in enumerate(ests)]
    result = simulate(make_plan(*specs), 40_000, seed=8, distribution=distribution)
    if distribution == "pert":
        means = [(a + 4 * m + b) / 6 for a, m, b in ests]
        var = sum(pert_var(*e) for e in ests)
    else:
        means = [(a + m + b) / 3 for a, m, b in ests]
        var = sum(tri_var(*e) for e in ests)
    assert abs(result.mean - sum(means)) <= 4.5 * math.sqrt(var / result.iterations)
    assert result.std == pytest.approx(math.sqrt(var), rel=0.02)
    assert result.expected_path_duration == pytest.approx(sum(means))
    assert result.deterministic_duration == sum(m for _, m, _ in ests)
    assert abs(result.merge_bias) <= 4.5 * math.sqrt(var / result.iterations)  # no merges
    assert np.all(result.criticality == 1.0)
    assert result.mean_durations == pytest.approx(means, rel=0.01)


def test_two_identical_parallel_paths_are_each_critical_half_the_time():
    plan = make_plan(
        ("S", 0.0, ""), *chain(3, (2, 4, 8), "A", "S"), *chain(3, (2, 4, 8), "B", "S"),
        ("E", 0.0, "A2; B2"),
    )  # fmt: skip
    result = simulate(plan, 40_000, seed=3)
    crit = dict(zip(result.ids, result.criticality, strict=True))
    se = math.sqrt(0.25 / result.iterations)
    for tid in ("A0", "A1", "A2", "B0", "B1", "B2"):
        assert abs(crit[tid] - 0.5) <= 4.5 * se
    assert crit["A0"] + crit["B0"] == pytest.approx(1.0)  # ties have probability zero
    assert crit["S"] == crit["E"] == 1.0


@pytest.mark.parametrize(("k", "c_k"), [(2, 1 / math.sqrt(math.pi)), (3, 3 / (2 * math.sqrt(math.pi))), (4, 1.0294)])  # fmt: skip
def test_merge_bias_of_k_parallel_near_normal_paths(k, c_k):
    # each path: 12 symmetric PERT(0, 5, 10) tasks in series -> close to N(60, sigma)
    est = (0.0, 5.0, 10.0)
    sigma = math.sqrt(12 * pert_var(*est))
    specs = [("S", 0.0, "")]
    for p in range(k):
        specs += chain(12, est, f"P{p}_", "S")
    specs.append(("E", 0.0, "; ".join(f"P{p}_11" for p in range(k))))
    result = simulate(make_plan(*specs), 40_000, seed=k)
    assert result.expected_path_duration == pytest.approx(60.0)
    assert result.mean == pytest.approx(60 + c_k * sigma, abs=0.03 * sigma + 0.1)
    assert result.merge_bias == pytest.approx(c_k * sigma, abs=0.03 * sigma + 0.1)


def test_pert1_milwaukee_paper_three_point_data():
    # domain-facts §2.2 PERT-1: te on the critical path A-C-E-G-H is 15, variance 3.11
    plan = make_plan(
        ("A", (1, 2, 3), ""), ("B", (2, 3, 4), ""), ("C", (1, 2, 3), "A"),
        ("D", (2, 4, 6), "A; B"), ("E", (1, 4, 7), "C"), ("F", (1, 2, 9), "C"),
        ("G", (3, 4, 11), "D; E"), ("H", (1, 2, 3), "F; G"),
    )  # fmt: skip
    result = simulate(plan, 40_000, seed=16)
    assert result.expected_path_duration == pytest.approx(15.0)
    assert result.deterministic_duration == 14.0
    # merge bias: the simulated mean is above PERT's 15, and P(T <= 16) below PERT's 0.7146
    assert result.mean > 15.05
    assert result.probability_on_time(16) < 0.7146
    finish, crit = independent_simulation(plan, 3_000, seed=1)
    assert_same_distribution(result.finish, result.criticality, result.ids, finish, crit)


def test_degenerate_estimates_give_the_cpm_duration_everywhere():
    plan = sample_plan("server_migration")
    tasks = [
        Task(t.id, t.duration, predecessors=t.predecessors, optimistic=t.duration,
             most_likely=t.duration, pessimistic=t.duration)
        for t in plan.tasks
    ]  # fmt: skip
    flat = plan.replace(tasks=tasks)
    cpm = schedule(flat)
    for distribution in ("pert", "triangular"):
        result = simulate(flat, 500, seed=1, distribution=distribution)
        assert set(result.percentiles.values()) == {cpm.project_duration}
        assert result.std == 0.0
        assert set(np.unique(result.criticality)) <= {0.0, 1.0}
        assert result.criticality.astype(bool).tolist() == cpm.critical.tolist()
        assert np.all(result.sensitivity == 0.0)
        assert result.probability_on_time(cpm.project_duration) == 1.0
        assert result.probability_on_time(cpm.project_duration - 0.5) == 0.0


# --------------------------------------------------------------------- sensitivity
def _spearman(durations, finish):
    return np.array(
        [0.0 if np.ptp(row) == 0 else stats.spearmanr(row, finish).statistic for row in durations]
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"distribution": "triangular"},
        {"correlation": 0.6},
        {"risks": [RiskEvent("R1", 0.3, 4.0, ("MIG",)), RiskEvent("R2", 0.5, 2.0, ("NET",))]},
    ],
    ids=["pert", "triangular", "correlated", "risks"],
)
def test_sensitivity_equals_scipy_spearmanr_on_the_same_samples(options):
    result = simulate(sample_plan(), 5_000, seed=21, keep_durations=True, **options)
    expected = _spearman(result.durations, result.finish)
    np.testing.assert_allclose(result.sensitivity, expected, atol=1e-9)


def test_chunked_sensitivity_is_the_weighted_mean_of_chunk_spearmans():
    result = simulate(sample_plan(), 5_000, seed=21, keep_durations=True, chunk_size=2_000)
    parts = [(0, 2_000), (2_000, 4_000), (4_000, 5_000)]
    expected = (
        sum(
            (hi - lo) * _spearman(result.durations[:, lo:hi], result.finish[lo:hi])
            for lo, hi in parts
        )
        / 5_000
    )
    np.testing.assert_allclose(result.sensitivity, expected, atol=1e-9)


def test_tornado_order_follows_the_widest_critical_tasks():
    plan = make_plan(("A", (5, 6, 30), ""), ("B", (5, 6, 8), "A"), ("C", (1, 2, 3), ""))
    result = simulate(plan, 10_000, seed=1)
    s = dict(zip(result.ids, result.sensitivity, strict=True))
    assert s["A"] > 0.9 > s["B"] > 0.1
    assert abs(s["C"]) < 0.05  # off the critical path, independent of the finish


# --------------------------------------------------------------------- correlation
def test_sampled_rank_correlation_matches_targets():
    specs = [(f"T{k}", (1.0, 3.0, 9.0), "") for k in range(6)]
    groups = [CorrelationGroup(0.8, ("T0", "T1", "T2"), "infra"), CorrelationGroup(-0.4, ("T3", "T4"), "x")]  # fmt: skip
    result = simulate(make_plan(*specs), 20_000, seed=5, correlation=groups, keep_durations=True)
    rho = stats.spearmanr(result.durations.T).statistic
    target = np.eye(6)
    target[:3, :3] = 0.8
    target[3, 4] = target[4, 3] = -0.4
    np.fill_diagonal(target, 1.0)
    np.testing.assert_allclose(rho, target, atol=0.03)
    # marginals stay exact: each task is still PERT(1, 3, 9)
    al, be = pert_shape(np.array([1.0]), np.array([3.0]), np.array([9.0]))
    dist = stats.beta(al[0], be[0], loc=1, scale=8)
    for row in result.durations:
        assert stats.kstest(row[:5_000], dist.cdf).pvalue > 1e-4


@pytest.mark.parametrize(
    ("rho", "sigma", "p90"), [(0.0, 1.732, 10.26), (0.5, 2.129, 10.83), (0.9, 2.388, 11.21)]
)
def test_correlation_widens_serial_triangular_sum(rho, sigma, p90):
    # domain-facts §2.3: two Triangular(1, 4, 7) in series
    plan = make_plan(("A", (1, 4, 7), ""), ("B", (1, 4, 7), "A"))
    result = simulate(plan, 100_000, seed=12, distribution="triangular", correlation=rho)
    assert result.mean == pytest.approx(8.0, abs=0.03)
    assert result.std == pytest.approx(sigma, abs=0.03)
    assert result.percentile(90) == pytest.approx(p90, abs=0.06)


# --------------------------------------------------------------------- risk events and cost
def test_risk_events_occur_at_their_probability_and_shift_the_finish():
    plan = make_plan(*chain(4, (2, 4, 9)))
    base = simulate(plan, 20_000, seed=7)
    risky = simulate(plan, 20_000, seed=7, risks=[RiskEvent("R", 0.3, 5.0, ("T2",), 1000.0)])
    shift = risky.finish - base.finish  # same task draws (common random numbers)
    assert set(np.round(np.unique(shift), 9)) <= {0.0, 5.0}
    hit = shift > 2.5
    assert hit.mean() == pytest.approx(risky.risk_occurrence["R"])
    assert abs(risky.risk_occurrence["R"] - 0.3) <= 4.5 * math.sqrt(0.21 / 20_000)
    assert risky.mean - base.mean == pytest.approx(5.0 * hit.mean())
    # the risk's cost is the only cost: 1000 in the iterations where it occurs
    np.testing.assert_allclose(risky.cost, 1000.0 * hit)
    assert risky.base_cost == 0.0


def test_risk_event_off_the_critical_path_shifts_little():
    plan = make_plan(("A", (10, 12, 14), ""), ("B", (1, 2, 3), ""))
    result = simulate(plan, 10_000, seed=1, risks=[RiskEvent("R", 1.0, 3.0, ("B",))])
    assert result.percentile(50) == pytest.approx(simulate(plan, 10_000, seed=1).percentile(50))


def test_cost_base_p80_and_contingency():
    plan = make_plan(
        ("A", (2, 4, 9), "", 1000.0, 500.0), ("B", (1, 3, 5), "A", None, 200.0),
        ("C", 2.0, "B", 300.0),
    )  # fmt: skip
    result = simulate(plan, 20_000, seed=3, keep_durations=True)
    assert result.base_cost == 1000 + 500 * 4 + 200 * 3 + 300
    expected = 1300 + 500 * result.durations[0] + 200 * result.durations[1]
    np.testing.assert_allclose(result.cost, expected)
    assert result.cost_percentile(80) == pytest.approx(np.percentile(expected, 80))
    assert result.contingency == pytest.approx(np.percentile(expected, 80) - result.base_cost)
    assert result.contingency > 0
    mean_cost = 1300 + 500 * (2 + 16 + 9) / 6 + 200 * 3
    assert result.cost.mean() == pytest.approx(mean_cost, rel=0.005)
    out = result.to_dict()["cost"]
    assert out["P80"] == round(result.cost_percentile(80), 4)
    assert out["contingency_P80"] == round(result.contingency, 4)


def test_no_cost_means_no_cost_distribution():
    result = simulate(make_plan(("A", (1, 2, 3), "")), 100, seed=1)
    assert result.cost is None and result.contingency is None
    assert "cost" not in result.to_dict()
    with pytest.raises(ValueError, match="no task costs or rates"):
        result.cost_percentile(80)


# --------------------------------------------------------------------- chunks, seeds, CRN
def test_chunking_without_correlation_gives_the_same_draws():
    plan = sample_plan()
    whole = simulate(plan, 20_000, seed=9)
    parts = simulate(plan, 20_000, seed=9, chunk_size=3_000)
    np.testing.assert_allclose(parts.finish, whole.finish)
    np.testing.assert_allclose(parts.criticality, whole.criticality)
    np.testing.assert_allclose(parts.sensitivity, whole.sensitivity, atol=0.02)


def test_chunking_with_correlation_is_statistically_equal():
    plan = sample_plan()
    whole = simulate(plan, 20_000, seed=9, correlation=0.5)
    parts = simulate(plan, 20_000, seed=9, correlation=0.5, chunk_size=2_500)
    assert stats.ks_2samp(whole.finish, parts.finish).pvalue > 1e-4
    se = math.sqrt(2 * whole.finish.var() / 20_000)
    assert abs(whole.mean - parts.mean) <= 4.5 * se
    np.testing.assert_allclose(parts.criticality, whole.criticality, atol=0.03)
    np.testing.assert_allclose(parts.sensitivity, whole.sensitivity, atol=0.03)


@pytest.mark.parametrize("options", [{}, {"correlation": 0.4, "distribution": "triangular"}])
def test_same_seed_gives_identical_json(options):
    plan = sample_plan()
    one = json.dumps(simulate(plan, 3_000, seed=42, **options).to_dict(deadline=55))
    two = json.dumps(simulate(plan, 3_000, seed=42, **options).to_dict(deadline=55))
    assert one == two
    other = json.dumps(simulate(plan, 3_000, seed=43, **options).to_dict(deadline=55))
    assert other != one


def test_seed_is_reported_when_not_given():
    result = simulate(make_plan(("A", (1, 2, 3), "")), 100)
    again = simulate(make_plan(("A", (1, 2, 3), "")), 100, seed=result.seed)
    np.testing.assert_array_equal(result.finish, again.finish)


@pytest.mark.parametrize("correlation", [None, 0.5])
def test_common_random_numbers_changing_one_task_leaves_the_others(correlation):
    plan = sample_plan()
    before = simulate(plan, 5_000, seed=1, correlation=correlation)
    after = simulate(
        plan.with_task("PROC", optimistic=9, most_likely=12, pessimistic=25), 5_000, seed=1,
        correlation=correlation,
    )  # fmt: skip
    k = plan.network.index["PROC"]
    others = np.arange(len(plan)) != k
    np.testing.assert_array_equal(after.mean_durations[others], before.mean_durations[others])
    assert after.mean_durations[k] > before.mean_durations[k]
    assert after.percentile(80) > before.percentile(80)


# --------------------------------------------------------------------- properties
@st.composite
def plans(draw, links=("FS", "SS", "FF", "SF")):
    n = draw(st.integers(1, 10))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    specs = []
    for j in range(n):
        preds = sorted(set(rng.integers(0, j, size=int(rng.integers(0, min(j, 3) + 1))).tolist())) if j else []  # fmt: skip
        items = []
        for i in preds:
            kind = links[int(rng.integers(len(links)))]
            lag = int(rng.integers(-2, 4)) if kind != "FS" or len(links) > 1 else 0
            items.append(f"X{i} {kind}{lag:+d}")
        m = float(rng.integers(0, 10))
        a = m - float(rng.integers(0, 3)) if m >= 2 else m
        b = m + float(rng.integers(0, 6))
        specs.append((f"X{j}", (a, m, b), "; ".join(items)))
    return make_plan(*specs)


_PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPS
@given(plans(), st.sampled_from(["pert", "triangular"]), st.sampled_from([None, 0.3]))
def test_percentiles_monotone_and_criticality_in_range(plan, distribution, correlation):
    result = simulate(plan, 300, seed=1, distribution=distribution, correlation=correlation)
    values = list(result.percentiles.values())
    assert values == sorted(values)
    assert np.all((result.criticality >= 0) & (result.criticality <= 1))
    assert result.criticality.sum() >= 1 - 1e-9  # in every iteration some task is critical
    assert np.all(np.abs(result.sensitivity) <= 1 + 1e-9)
    assert result.std >= 0


@_PROPS
@given(plans(), st.lists(st.floats(0, 60), min_size=2, max_size=6))
def test_probability_on_time_is_monotone_in_the_deadline(plan, deadlines):
    result = simulate(plan, 300, seed=2)
    probs = [result.probability_on_time(d) for d in sorted(deadlines)]
    assert probs == sorted(probs)
    assert result.probability_on_time(result.finish.max()) == 1.0


@_PROPS
@given(plans(links=("FS", "SS")), st.sampled_from(["pert", "triangular"]))
def test_finish_between_all_optimistic_and_all_pessimistic_cpm(plan, distribution):
    # With FS and SS links the finish grows with every duration. (FF and SF links can make
    # a longer task finish the project earlier -- "reverse criticality" -- so no such bound.)
    result = simulate(plan, 300, seed=3, distribution=distribution)
    low = schedule(plan, durations=[t.optimistic for t in plan.tasks]).project_duration
    high = schedule(plan, durations=[t.pessimistic for t in plan.tasks]).project_duration
    assert result.finish.min() >= low - 1e-9
    assert result.finish.max() <= high + 1e-9


def test_reverse_criticality_longer_task_can_finish_earlier():
    # A FF-> B SS-> C: a longer B starts earlier, and so does C (domain-facts §2.1 caveat)
    plan = make_plan(("A", 10.0, ""), ("B", (1, 1, 9), "A FF"), ("C", 20.0, "B SS"))
    result = simulate(plan, 2_000, seed=1)
    assert result.percentile(50) < schedule(plan).project_duration
    assert result.sensitivity[1] < -0.9


# --------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distribution": "normal"}, "distribution must be one of pert, triangular"),
        ({"iterations": 1}, "iterations must be at least 2, got 1"),
        ({"chunk_size": 1}, "chunk_size must be at least 2"),
        ({"correlation": 1.5}, "rho must be between -1 and 1, got 1.5"),
        ({"correlation": [CorrelationGroup(0.5, ("A", "Z"), "g")]}, "unknown task 'Z'"),
        (
            {"correlation": [CorrelationGroup(0.5, ("A", "B"), "g"), CorrelationGroup(0.3, ("B", "C"), "h")]},
            "task 'B' is in two correlation groups",
        ),
        ({"correlation": -0.8}, "not positive semi-definite"),
        ({"risks": [RiskEvent("R", 0.5, 1.0, ("Q",))]}, "risk 'R' names unknown task 'Q'"),
    ],
)  # fmt: skip
def test_bad_input_raises_value_error_with_a_clear_message(kwargs, message):
    plan = make_plan(("A", (1, 2, 3), ""), ("B", (1, 2, 3), ""), ("C", (1, 2, 3), ""))
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        simulate(plan, **{"iterations": 100, "seed": 1, **kwargs})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("R", 1.5), "probability must be between 0 and 1"),
        (("R", 0.5, -1.0, ("A",)), "days and cost must be >= 0"),
        (("R", 0.5, 2.0), "adds 2 days but names no task"),
    ],
)
def test_bad_risk_event(args, message):
    with pytest.raises(ValueError, match=message):
        RiskEvent(*args)


def test_to_frame_and_to_dict_shape():
    result = simulate(sample_plan(), 1_000, seed=1)
    frame = result.to_frame()
    assert list(frame.columns) == ["name", "mean_duration", "criticality", "sensitivity"]
    assert list(frame.index) == list(result.ids)
    out = result.to_dict(deadline=55)
    assert list(out["percentiles"]) == ["P10", "P20", "P50", "P80", "P90", "P95"]
    assert set(out["criticality"]) == set(result.ids) == set(out["sensitivity"])
    assert 0 <= out["probability_on_time"] <= 1


@pytest.mark.parametrize("seed", [-1, 2.5])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match="seed must be a whole number >= 0"):
        simulate(make_plan(("A", (1, 2, 3), "")), 100, seed=seed)


# --------------------------------------------------------------------- threads and orders
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"distribution": "triangular"},
        {"correlation": 0.4},
        {"risks": [RiskEvent("R1", 0.3, 4.0, ("MIG",)), RiskEvent("R2", 0.5, 2.0, ("NET",))]},
        {"chunk_size": 700},
    ],
    ids=["pert", "triangular", "correlated", "risks", "chunked"],
)
def test_results_are_identical_for_any_number_of_threads(options):
    plan = sample_plan()
    one = simulate(plan, 3_000, seed=5, threads=1, **options)
    for threads in (2, 3):
        other = simulate(plan, 3_000, seed=5, threads=threads, **options)
        np.testing.assert_array_equal(other.finish, one.finish)
        np.testing.assert_array_equal(other.criticality, one.criticality)
        np.testing.assert_array_equal(other.sensitivity, one.sensitivity)
        np.testing.assert_array_equal(other.mean_durations, one.mean_durations)


def test_threads_on_a_large_network_split_the_passes_by_iterations():
    rows = random_plan_rows(2_500, seed=3)
    tasks = [
        Task(r["id"], float(r["duration"]), predecessors=parse_links(r["predecessors"]),
             optimistic=0.8 * float(r["duration"]), most_likely=float(r["duration"]),
             pessimistic=1.6 * float(r["duration"]))
        for r in rows
    ]  # fmt: skip
    plan = ProjectPlan("big", START, tasks)
    one = simulate(plan, 200, seed=2, threads=1)
    two = simulate(plan, 200, seed=2, threads=2)
    np.testing.assert_array_equal(two.finish, one.finish)
    np.testing.assert_array_equal(two.criticality, one.criticality)
    np.testing.assert_array_equal(two.sensitivity, one.sensitivity)


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_bad_itpm_threads_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("ITPM_THREADS", value)
    with pytest.raises(ValueError, match="ITPM_THREADS must be a whole number >= 1"):
        simulate(sample_plan(), 100, seed=1)


@pytest.mark.parametrize("threads", [0, -1, 1.5])
def test_bad_threads_argument(threads):
    with pytest.raises(ValueError, match="threads must be a whole number >= 1"):
        simulate(sample_plan(), 100, seed=1, threads=threads)


def test_itpm_threads_sets_the_default(monkeypatch):
    from itpm_course.engine.montecarlo import default_threads

    monkeypatch.setenv("ITPM_THREADS", "3")
    assert default_threads() == 3
    monkeypatch.setenv("ITPM_THREADS", "64")
    assert default_threads() == 8


def test_a_forked_child_simulates_after_the_parent_used_threads():
    import multiprocessing as mp

    plan = sample_plan()
    expected = simulate(plan, 2_000, seed=4, threads=2).percentile(80)
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply_async(_p80_with_threads, (plan,)).get(timeout=60)
    assert got == expected


def _p80_with_threads(plan):
    return simulate(plan, 2_000, seed=4, threads=2).percentile(80)


def _orders_agree(x):
    """``_order(x)`` is ``np.argsort(x, kind="stable")``, from numpy and from the compiled kernel."""
    from itpm_course.engine.betapert import compiled
    from itpm_course.engine.montecarlo import _order

    expected = np.argsort(x, kind="stable")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ITPM_NUMBA", "0")
        np.testing.assert_array_equal(_order(x), expected)
    if compiled(load=True) is not None:  # numba installed (CI: test_compiled.py insists)
        np.testing.assert_array_equal(_order(x), expected)


@pytest.mark.parametrize("m", [1, 5, 511, 512, 10_000])
def test_order_is_a_stable_argsort(m):
    rng = np.random.default_rng(m)
    _orders_agree(rng.beta(2.0, 4.0, m) * 7 + 3)
    _orders_agree(np.full(m, 2.5))
    _orders_agree(rng.integers(0, 4, m).astype(float))  # many exact ties


@pytest.mark.filterwarnings("error")
def test_order_of_a_subnormal_range_nan_and_tiny_values():
    _orders_agree(np.array([5e-324, 0.0, 1e-323] * 300))  # argsort: the key would overflow
    rng = np.random.default_rng(0)
    _orders_agree(np.where(rng.random(1_000) < 0.01, np.nan, rng.random(1_000)))
    _orders_agree(rng.beta(2, 4, 25_000) * 1e-300)


def test_order_falls_back_when_values_share_a_key():
    rng = np.random.default_rng(0)
    x = rng.random(4_000) * 10
    x[17] = np.nextafter(x[900], np.inf)  # one ulp apart: same 32-bit key
    x[2_000] = x[900]  # and an exact tie
    _orders_agree(x)


@pytest.mark.filterwarnings("error")
@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=40),
    st.integers(0, 2**32 - 1),
    st.integers(0, 3),
)
def test_order_property_against_argsort(values, seed, ulps):
    # rows long enough for the radix path, built from few values (exact ties) nudged by a few
    # ulps (values sharing a key), in random order
    rng = np.random.default_rng(seed)
    x = rng.choice(np.asarray(values), size=int(rng.integers(512, 3_000)))
    for _ in range(ulps):
        nudge = rng.random(len(x)) < 0.3
        x[nudge] = np.nextafter(x[nudge], np.inf)
    _orders_agree(x)


def test_order_puts_pairs_sharing_a_key_in_order_without_a_full_sort(monkeypatch):
    from itpm_course.engine import montecarlo as mc

    rng = np.random.default_rng(1)
    x = rng.random(3_000) * 10
    x[10] = np.nextafter(x[2_500], np.inf)  # above its partner, but earlier: must swap
    x[2_000] = np.nextafter(x[100], np.inf)  # above its partner and later: stays
    real_argsort = np.argsort

    def no_float_argsort(a, *args, **kwargs):
        assert a.dtype != np.float64, "fell back to a full argsort"
        return real_argsort(a, *args, **kwargs)

    monkeypatch.setattr(mc.np, "argsort", no_float_argsort)
    got = mc._order(x)
    monkeypatch.setattr(mc.np, "argsort", real_argsort)
    np.testing.assert_array_equal(got, np.argsort(x, kind="stable"))
