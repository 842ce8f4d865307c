"""The compiled kernels (numba) against the numpy code they replace: the same numbers, bit for bit.

Every test runs the engine twice, once with the kernels and once with ``ITPM_NUMBA=0``, and
compares the results exactly (draws, finish times, criticality, sensitivity, costs, JSON).
The numpy code is itself checked against scipy and an independent simulation in
``test_montecarlo.py`` and ``test_betapert.py``, which run with the kernels when numba is
installed; equality here carries those checks over to the other path.

numba is an optional extra (``.[fast]``); CI installs it, and under ``CI=true`` its absence is
a failure, not a skip.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_montecarlo import all_links_plan, chain, make_plan, plans

from itpm_course import simulate
from itpm_course.data import sample_plan
from itpm_course.engine import betapert
from itpm_course.engine.betapert import BLOCK, PertTables, compiled, draw_into, draw_rows
from itpm_course.engine.montecarlo import CorrelationGroup, RiskEvent, _RowPasses

if compiled(load=True) is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError(
            "numba is missing or ITPM_NUMBA is off: CI tests the compiled kernels "
            "(pip install -c constraints.txt -e '.[test,fast]')"
        )
    pytest.skip("numba is not installed (pip install -e '.[fast]')", allow_module_level=True)

_PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def both(monkeypatch, fn):
    """``fn()`` with the kernels, then with the numpy code."""
    monkeypatch.delenv("ITPM_NUMBA", raising=False)
    with_kernels = fn()
    monkeypatch.setenv("ITPM_NUMBA", "0")
    assert compiled() is None
    without = fn()
    monkeypatch.delenv("ITPM_NUMBA")
    return with_kernels, without


def assert_same_result(a, b):
    for name in ("finish", "criticality", "sensitivity", "mean_durations", "cost", "durations"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            assert x is None and y is None, name
        else:
            np.testing.assert_array_equal(x, y, err_msg=name)
    assert a.risk_occurrence == b.risk_occurrence
    as_json = [json.dumps(r.to_dict(deadline=r.percentile(50)), sort_keys=True) for r in (a, b)]
    assert as_json[0] == as_json[1]


def sfc(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.SFC64(seed))


# ------------------------------------------------------------------------ switch
def test_itpm_numba_0_turns_the_kernels_off(monkeypatch):
    assert compiled() is not None
    for value in ("0", "off", "False", " no "):
        monkeypatch.setenv("ITPM_NUMBA", value)
        assert compiled() is None
        assert compiled(load=True) is None
    monkeypatch.setenv("ITPM_NUMBA", "1")
    assert compiled() is not None


def test_kernels_load_only_when_asked_or_for_large_runs(tmp_path):
    # a fresh process: a small run leaves numba unloaded, ITPM_NUMBA=1 or a large run loads it
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from itpm_course import simulate\n"
        "from itpm_course.data import sample_plan\n"
        "from itpm_course.engine import montecarlo\n"
        "plan = sample_plan('server_migration')\n"
        "simulate(plan, 2_000, seed=1)\n"
        "print('numba' in sys.modules, end=' ')\n"
        "montecarlo._LOAD_KERNELS_SAMPLES = 2_000 * len(plan.tasks)\n"
        "simulate(plan, 2_000, seed=1)\n"
        "print('numba' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ITPM_NUMBA"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True"], out.stderr
    env["ITPM_NUMBA"] = "1"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"], out.stderr


# ------------------------------------------------------------------------ sampler
ALPHAS = np.array([1.0, 1.0001, 1.3, 2.0, 3.0, 4.4, 4.9999, 5.0])


def test_draw_into_equals_the_numpy_sampler(monkeypatch):
    tables = PertTables.build(ALPHAS, 6 - ALPHAS)

    def run():
        streams = [tables.stream(k, sfc(k), 2.0, 3.5 + k) for k in range(len(ALPHAS))]
        d = np.zeros((len(ALPHAS) + 2, 7_001))
        rows = [k + 1 for k in range(len(ALPHAS))]
        draw_into(streams, d, rows)  # one request, then more, using and refilling the spares
        more = np.zeros((len(ALPHAS), 3 * BLOCK + 5))
        draw_into(streams, more, list(range(len(ALPHAS))))
        single = [s.draw(13) for s in streams]
        return d, more, single, [s.rng.random() for s in streams]

    (d1, m1, s1, r1), (d2, m2, s2, r2) = both(monkeypatch, run)
    np.testing.assert_array_equal(d1, d2)
    np.testing.assert_array_equal(m1, m2)
    for a, b in zip(s1, s2, strict=True):
        np.testing.assert_array_equal(a, b)
    assert r1 == r2  # the generators were left in the same state
    assert np.all(d1[0] == 0) and np.all(d1[-1] == 0)  # other rows untouched


def test_draw_rows_steps_each_stream_like_the_numpy_sampler(monkeypatch):
    tables = PertTables.build([2.2, 4.0], [3.8, 2.0])

    def run():
        s = tables.stream(0, sfc(5), 1.0, 4.0)
        t = tables.stream(1, np.random.default_rng(5), 1.0, 4.0)  # PCG64: the numpy code runs
        parts = [s.draw(n) for n in (7_000, 13, 1, 2 * BLOCK)]
        other = np.empty(500)
        draw_rows([t], [other])
        return np.concatenate(parts), other

    (a1, o1), (a2, o2) = both(monkeypatch, run)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(o1, o2)


# The order kernel is checked against np.argsort by test_montecarlo.py's order tests, which
# run both paths.


# ------------------------------------------------------------------------ passes
@_PROPS
@given(plans(), st.integers(1, 700))
def test_compiled_passes_equal_the_numpy_passes(plan, m):
    net = plan.network
    passes = _RowPasses(net)
    rng = np.random.default_rng(m)
    d = net.duration[:, None] * rng.uniform(0.5, 2.0, (net.n_tasks, m))
    es, ls, finish = passes(d)
    got = np.full(m, np.nan)
    lo = m // 3
    crit = passes.compiled(compiled(), d, got, slice(lo, m))
    crit += passes.compiled(compiled(), d, got, slice(0, lo))
    np.testing.assert_array_equal(got, finish)
    np.testing.assert_array_equal(crit, (ls - es <= 1e-9).sum(axis=1))


# ------------------------------------------------------------------------ simulate
def _all_links_plan():
    return all_links_plan(60, 100.0, 50.0)


CASES = {
    "sample plan": (lambda: sample_plan("server_migration"), {}),
    "all link types": (_all_links_plan, {}),
    "two threads": (_all_links_plan, {"threads": 2}),
    "chunks": (_all_links_plan, {"chunk_size": 3_001, "threads": 2}),
    "triangular": (_all_links_plan, {"distribution": "triangular"}),
    "no sensitivity": (_all_links_plan, {"sensitivity": False}),
    "correlation": (_all_links_plan, {"correlation": 0.4}),
    "groups": (
        lambda: make_plan(*chain(6, (2, 4, 9))),
        {"correlation": [CorrelationGroup(0.6, ("T1", "T2", "T3"), "g")]},
    ),
    "risks": (
        _all_links_plan,
        {"risks": [RiskEvent("R1", 0.3, 4.0, ("T3", "T7"), 2_000.0), RiskEvent("R2", 0.1, 2.0, ("T20",))]},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_simulate_with_and_without_kernels_is_identical(monkeypatch, case):
    make, options = CASES[case]
    plan = make()
    a, b = both(
        monkeypatch, lambda: simulate(plan, 12_345, seed=11, keep_durations=True, **options)
    )
    assert_same_result(a, b)


@_PROPS
@given(plans(), st.sampled_from([None, 0.3]), st.integers(600, 2_500))
def test_simulate_random_plans_identical_with_and_without_kernels(plan, correlation, iterations):
    with pytest.MonkeyPatch.context() as mp:
        a, b = both(mp, lambda: simulate(plan, iterations, seed=3, correlation=correlation))
    assert_same_result(a, b)


def test_kernel_sensitivity_equals_scipy_spearmanr():
    from scipy import stats

    plan = _all_links_plan()
    result = simulate(plan, 20_000, seed=5, keep_durations=True)
    for k in range(0, len(result.ids), 7):
        if np.ptp(result.durations[k]) > 0:
            rho = stats.spearmanr(result.durations[k], result.finish).statistic
            assert result.sensitivity[k] == pytest.approx(rho, abs=1e-12)


def test_betapert_module_exposes_the_switch():
    assert betapert.compiled is compiled
