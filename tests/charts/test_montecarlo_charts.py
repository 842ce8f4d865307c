"""Monte Carlo charts: the right artists, at the right places, shown once in a notebook."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from itpm_course import simulate  # noqa: E402
from itpm_course.charts.montecarlo import (  # noqa: E402
    criticality_chart,
    finish_histogram,
    s_curve,
    tornado_chart,
)
from itpm_course.data import sample_plan  # noqa: E402
from itpm_course.plan import ProjectPlan, Task  # noqa: E402


@pytest.fixture(scope="module")
def result():
    return simulate(sample_plan(), 5_000, seed=7)


def by_gid(fig: Figure, gid: str) -> list:
    return [a for a in fig.findobj() if getattr(a, "get_gid", lambda: None)() == gid]


def vline_x(artist) -> float:
    return float(np.asarray(artist.get_xdata())[0])


@pytest.mark.parametrize("chart", [finish_histogram, s_curve, tornado_chart, criticality_chart])
def test_new_figure_is_not_left_in_pyplot(chart, result):
    before = plt.get_fignums()
    fig = chart(result)
    assert isinstance(fig, Figure)
    assert plt.get_fignums() == before
    fig.savefig(__import__("io").BytesIO(), format="png", dpi=40)  # renders without error


def test_histogram_markers(result):
    fig = finish_histogram(result, deadline=52)
    for q in (50, 80, 90):
        (line,) = by_gid(fig, f"P{q}")
        assert vline_x(line) == pytest.approx(result.percentile(q))
    (det,) = by_gid(fig, "deterministic")
    assert vline_x(det) == result.deterministic_duration == 49
    (dl,) = by_gid(fig, "deadline")
    assert vline_x(dl) == 52
    (bars,) = by_gid(fig, "histogram")
    assert sum(bars.get_data().values) == pytest.approx(1.0)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert f"P80 = {result.percentile(80):.1f}" in legend
    assert any(f"{result.probability_on_time(52):.0%} on time" in t for t in legend)
    assert by_gid(finish_histogram(result), "deadline") == []


def test_s_curve_is_the_empirical_cdf(result):
    fig = s_curve(result, deadline=52)
    (curve,) = by_gid(fig, "s-curve")
    x, y = curve.get_xdata(), curve.get_ydata()
    assert np.all(np.diff(x) >= 0) and np.all(np.diff(y) > 0)
    assert y[-1] == 1.0
    k = np.searchsorted(x, result.percentile(80))
    assert y[k] == pytest.approx(0.8, abs=0.01)
    p80 = [a for a in by_gid(fig, "P80") if len(a.get_xdata()) == 2]
    assert p80 and p80[0].get_xdata()[0] == pytest.approx(result.percentile(80))


def test_tornado_sorted_by_absolute_sensitivity(result):
    fig = tornado_chart(result, top=5)
    ax = fig.axes[0]
    labels = [t.get_text().split()[0] for t in ax.get_yticklabels()]
    expected = [result.ids[k] for k in np.argsort(-np.abs(result.sensitivity))[:5]]
    assert labels == expected
    widths = [p.get_width() for p in by_gid(fig, "tornado")]
    assert np.all(np.diff(np.abs(widths)) <= 1e-12)


def test_criticality_chart_top_and_values(result):
    fig = criticality_chart(result, top=4)
    widths = [p.get_width() for p in by_gid(fig, "criticality")]
    assert len(widths) == 4
    assert widths == sorted(result.criticality, reverse=True)[:4]


def test_charts_draw_into_given_axes(result):
    fig, (a, b) = plt.subplots(1, 2)
    plt.close(fig)
    assert finish_histogram(result, ax=a) is fig
    assert s_curve(result, ax=b) is fig
    assert len(fig.axes) == 2


def test_fixed_plan_does_not_break_the_charts():
    plan = ProjectPlan("fixed", sample_plan().start, [Task("A", 3.0), Task("B", 2.0)])
    result = simulate(plan, 100, seed=1)
    for chart in (finish_histogram, s_curve, tornado_chart, criticality_chart):
        chart(result).savefig(__import__("io").BytesIO(), format="png", dpi=30)
    assert by_gid(tornado_chart(result), "tornado") == []
