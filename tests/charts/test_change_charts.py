"""Change and closure charts: the artists exist and carry the numbers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from itpm_course.charts.change import change_gantt, finish_shift_chart, plan_vs_actual_chart  # noqa: E402
from itpm_course.data import sample_path, sample_plan  # noqa: E402
from itpm_course.engine.change import analyse_change, load_change  # noqa: E402
from itpm_course.engine.closure import plan_vs_actual  # noqa: E402


@pytest.fixture(scope="module")
def impact():
    plan = sample_plan("server_migration")
    return analyse_change(plan, load_change(sample_path("change_sso.yaml")), iterations=500)


def _gid(fig, gid):
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]


def test_finish_shift(impact):
    fig = finish_shift_chart(impact)
    for gid in ("finish-before", "finish-after", "p80-before", "p80-after", "deadline"):
        assert _gid(fig, gid), gid
    (line,) = _gid(fig, "p80-after")
    assert line.get_xdata()[0] == pytest.approx(impact.p80_after)


def test_change_gantt_has_two_panels(impact):
    fig = change_gantt(impact)
    titles = [ax.get_title(loc="left") or ax.get_title() for ax in fig.axes]
    assert len([t for t in titles if t]) == 2
    assert "+3 days" in titles[1]


def test_plan_vs_actual_chart():
    table = plan_vs_actual(
        sample_plan("server_migration"), sample_path("actuals_server_migration.csv")
    )
    fig = plan_vs_actual_chart(table)
    bars = _gid(fig, "actual")
    assert len(bars) == 2 * 4  # four phases, two panels
