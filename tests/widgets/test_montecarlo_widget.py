"""The Monte Carlo explorer: set controls as a learner would, read the result (no browser)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import datetime as dt  # noqa: E402

import pytest  # noqa: E402

from itpm_course.data import sample_plan  # noqa: E402
from itpm_course.plan import ProjectPlan, Task  # noqa: E402
from itpm_course.widgets.montecarlo import SimulationExplorer, simulation_explorer  # noqa: E402


@pytest.fixture
def explorer() -> SimulationExplorer:
    widget = SimulationExplorer(sample_plan(), iterations=5_000, seed=3, dpi=20)
    widget.task.value = "PROC"
    return widget


def test_starts_on_the_most_sensitive_task():
    widget = simulation_explorer(sample_plan(), iterations=2_000, seed=3)
    sens = widget.result.to_frame()["sensitivity"]
    assert widget.task.value == sens.idxmax()


def test_shows_the_selected_tasks_estimate(explorer):
    assert (explorer.optimistic.value, explorer.most_likely.value, explorer.pessimistic.value) == (
        8, 10, 15,
    )  # fmt: skip
    assert explorer.result.iterations == 5_000
    assert "P80" in explorer.message and bytes(explorer.chart.value).startswith(b"\x89PNG")
    assert "chance to finish by day 59" in explorer.message


def test_widening_pessimistic_raises_p80(explorer):
    before = explorer.result.percentile(80)
    explorer.pessimistic.value = 30
    after = explorer.result.percentile(80)
    assert after > before + 1
    assert explorer.plan.task("PROC").pessimistic == 30
    assert "against the original plan" in explorer.message
    assert f"P80 {after:.1f}" in explorer.message


def test_other_tasks_draws_stay_put(explorer):
    before = explorer.result.mean_durations.copy()
    explorer.most_likely.value = 12
    after = explorer.result.mean_durations
    k = explorer.plan.network.index["PROC"]
    assert (after[:k] == before[:k]).all() and (after[k + 1 :] == before[k + 1 :]).all()
    assert after[k] > before[k]
    assert explorer.result.deterministic_duration == 49 + 2  # most likely is the CPM duration


def test_correlation_widens_the_spread(explorer):
    std0 = explorer.result.std
    explorer.correlation.value = 0.8
    assert explorer.result.std > 1.5 * std0
    spread = explorer.result.percentile(90) - explorer.result.percentile(10)
    explorer.correlation.value = 0.0
    assert explorer.result.percentile(90) - explorer.result.percentile(10) < spread


def test_distribution_and_iterations(explorer):
    mean_pert = explorer.result.mean
    explorer.distribution.value = "triangular"
    assert explorer.result.distribution == "triangular"
    assert explorer.result.mean > mean_pert  # triangular means weigh the long tails more
    explorer.iterations.value = 20_000
    assert explorer.result.iterations == 20_000


def test_sliders_keep_the_estimate_in_order(explorer):
    explorer.optimistic.value = 12  # past the most likely 10
    assert explorer.most_likely.value == 12 and explorer.pessimistic.value == 15
    explorer.pessimistic.value = 9  # below both
    assert (explorer.optimistic.value, explorer.most_likely.value) == (9, 9)
    task = explorer.plan.task("PROC")
    assert (task.optimistic, task.most_likely, task.pessimistic) == (9, 9, 9)


def test_switching_task_shows_its_estimate_and_reset_restores(explorer):
    explorer.pessimistic.value = 30
    explorer.task.value = "MIG"
    assert (explorer.optimistic.value, explorer.most_likely.value, explorer.pessimistic.value) == (
        6, 8, 14,
    )  # fmt: skip
    explorer.task.value = "PROC"
    assert explorer.pessimistic.value == 30  # the change is remembered
    explorer.correlation.value = 0.5
    explorer.reset.click()
    assert explorer.pessimistic.value == 15 and explorer.correlation.value == 0.0
    assert explorer.result.percentile(80) == pytest.approx(explorer.baseline_p80)


def test_plan_without_estimates_is_refused_with_a_reason():
    plan = ProjectPlan("fixed", dt.date(2026, 1, 5), [Task("A", 3.0)])
    with pytest.raises(ValueError, match="no three-point estimates"):
        simulation_explorer(plan)


def test_update_is_fast_enough_to_feel_live(explorer):
    explorer.iterations.value = 10_000
    explorer.pessimistic.value = 20
    assert explorer.seconds < 0.5  # generous; the benchmark reports the real figure


def test_updates_move_the_artists_and_keep_the_figure(explorer):
    figure, axes = explorer._figure, list(explorer._figure.axes)
    histogram = explorer._axes[0].patches[0]
    counts = [(len(ax.texts), len(ax.get_lines())) for ax in explorer._axes]
    first = bytes(explorer.chart.value)
    backgrounds = explorer._renderer.backgrounds
    explorer.pessimistic.value = 16
    explorer.pessimistic.value = 16.5
    assert explorer._figure is figure and explorer._figure.axes == axes
    assert explorer._axes[0].patches[0] is histogram  # the same artist, new data
    assert [(len(ax.texts), len(ax.get_lines())) for ax in explorer._axes] == counts
    assert bytes(explorer.chart.value) != first  # the picture follows the slider
    assert explorer._renderer.backgrounds <= backgrounds + 2  # limits kept while data fit


def test_labels_show_the_new_percentiles(explorer):
    explorer.pessimistic.value = 30
    p80 = explorer.result.percentile(80)
    left, right = explorer._axes
    assert f"P80 = {p80:.1f}" in [t.get_text() for t in left.get_legend().texts]
    assert f"P80 = {p80:.1f} days" in [t.get_text() for t in right.texts]
    marker = next(line for line in left.get_lines() if line.get_gid() == "P80")
    assert marker.get_xdata()[0] == p80
    lo, hi = left.get_xlim()
    assert lo <= explorer.result.finish.min() and explorer.result.finish.max() <= hi
