"""The table-rejection beta-PERT sampler: valid hat and squeeze, exact distribution, stream order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.engine.betapert import (
    BLOCK,
    CELLS,
    STRIPS,
    PertTables,
    _density,
    draw_rows,
)

stats = pytest.importorskip("scipy.stats")

# beta-PERT shapes have alpha + beta = 6 and both in [1, 5]; the ends are the hardest cases
SHAPES = [1.0, 1.0001, 1.3, 2.2, 3.0, 4.2, 4.9999, 5.0]


def sfc(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.SFC64(seed))


# --------------------------------------------------------------------- tables
@settings(max_examples=60, deadline=None)
@given(st.floats(1.0, 5.0), st.floats(0.0, 1.0))
def test_hat_bounds_the_density_from_above_and_the_squeeze_from_below(alpha, shift):
    beta = 6.0 - alpha
    t = PertTables.build([alpha], [beta])
    edges = t.edges[0]
    # a dense set of points inside every strip, plus the strip ends and the mode
    frac = np.concatenate(([0.0, 1.0, shift], np.linspace(0, 1, 33)))
    x = edges[:-1, None] + frac[None, :] * np.diff(edges)[:, None]
    f = _density(x, alpha - 1, beta - 1)
    assert np.all(f <= t.hat[0][:, None]), "hat below the density"
    assert np.all(f >= t.squeeze[0][:, None]), "squeeze above the density"
    mode = (alpha - 1) / 4
    k = min(np.searchsorted(edges, mode, side="right") - 1, STRIPS - 1)
    assert _density(mode, alpha - 1, beta - 1) <= t.hat[0, k]


@pytest.mark.parametrize("alpha", SHAPES)
def test_tables_are_efficient_and_strips_cover_the_unit_interval(alpha):
    t = PertTables.build([alpha], [6 - alpha])
    assert t.edges[0, 0] == 0.0 and t.edges[0, -1] == 1.0
    assert np.all(np.diff(t.edges[0]) >= 0)
    assert 0.95 <= t.efficiency[0] <= 1.0
    # the squeeze accepts most candidates without evaluating the density
    w = np.diff(t.edges[0])
    assert (t.squeeze[0] * w).sum() / (t.hat[0] * w).sum() > 0.93


def test_guide_and_steps_find_the_strip_of_every_u():
    alphas = np.array(SHAPES)
    t = PertTables.build(alphas, 6 - alphas)
    u = np.concatenate((np.random.default_rng(0).random(50_000), np.arange(CELLS) / CELLS))
    for k in range(len(alphas)):
        cum = np.concatenate(([0.0], t.cum_next[k][:-1]))
        expected = np.searchsorted(cum, u, side="right") - 1
        strip = t.guide[k][(u * CELLS).astype(np.intp)]
        for _ in range(int(t.steps[k])):
            strip += t.cum_next.reshape(-1)[strip] <= u
        assert np.array_equal(strip - k * STRIPS, expected)


@pytest.mark.parametrize(
    ("alpha", "beta", "message"),
    [
        ([0.5], [2.0], "alpha >= 1 and beta >= 1"),
        ([2.0], [0.9], "alpha >= 1 and beta >= 1"),
        ([2.0, 3.0], [4.0], "same length"),
    ],
)
def test_build_rejects_shapes_it_cannot_sample(alpha, beta, message):
    with pytest.raises(ValueError, match=message):
        PertTables.build(alpha, beta)


# --------------------------------------------------------------------- distribution
@pytest.mark.parametrize("alpha", SHAPES)
def test_draws_follow_the_beta_distribution(alpha):
    beta = 6 - alpha
    x = PertTables.build([alpha], [beta]).stream(0, sfc(7)).draw(400_000)
    dist = stats.beta(alpha, beta)
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert stats.kstest(x, dist.cdf).pvalue > 1e-3
    # chi-square on 200 equiprobable bins catches a strip whose hat or squeeze is wrong
    counts = np.bincount(np.minimum((dist.cdf(x) * 200).astype(int), 199), minlength=200)
    assert stats.chisquare(counts).pvalue > 1e-4
    # the tails, where the strips are narrowest and the squeeze weakest
    for q in (1e-3, 1e-2, 0.99, 0.999):
        p = np.mean(x <= dist.ppf(q))
        assert abs(p - q) <= 5 * np.sqrt(q * (1 - q) / len(x))


def test_moments_match_the_pert_formulas_when_scaled():
    low, mode, high = 3.0, 5.0, 12.0
    alpha = 1 + 4 * (mode - low) / (high - low)
    x = PertTables.build([alpha], [6 - alpha]).stream(0, sfc(3), low, high).draw(300_000)
    assert low <= x.min() and x.max() <= high
    mean = (low + 4 * mode + high) / 6
    var = (high - low) ** 2 * alpha * (6 - alpha) / (36 * 7)
    assert abs(x.mean() - mean) <= 5 * np.sqrt(var / len(x))
    assert x.var() == pytest.approx(var, rel=0.02)


# --------------------------------------------------------------------- streams
def test_draws_do_not_depend_on_how_requests_are_split():
    t = PertTables.build([2.2], [3.8])
    whole = t.stream(0, sfc(5)).draw(30_000)
    s = t.stream(0, sfc(5))
    parts = np.concatenate([s.draw(n) for n in (7_000, 13, 1, 2 * BLOCK, 22_986 - 2 * BLOCK)])
    assert np.array_equal(whole, parts)


def test_streams_drawn_together_equal_streams_drawn_alone():
    alphas = np.array([1.0, 1.7, 3.0, 4.4, 5.0, 2.5, 1.2, 3.3, 4.9, 2.0, 1.1])
    t = PertTables.build(alphas, 6 - alphas)
    alone = [t.stream(k, sfc(k), 1.0, 2.0 + k).draw(5_000) for k in range(len(alphas))]
    for size in (1, 4, 8, 11):
        together = [np.empty(5_000) for _ in alphas]
        streams = [t.stream(k, sfc(k), 1.0, 2.0 + k) for k in range(len(alphas))]
        draw_rows(streams, together, group_size=size)
        for a, b in zip(alone, together, strict=True):
            assert np.array_equal(a, b)


def test_a_stream_is_reproducible_and_streams_differ():
    t = PertTables.build([3.0], [3.0])
    a = t.stream(0, sfc(1)).draw(1_000)
    assert np.array_equal(a, t.stream(0, sfc(1)).draw(1_000))
    assert not np.array_equal(a, t.stream(0, sfc(2)).draw(1_000))
    assert len(np.unique(a)) == len(a)  # continuous draws: no ties
