"""Stakeholder charts: the right artists, highlighted rows, no pyplot state left behind."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from itpm_course.charts.stakeholders import (  # noqa: E402
    engagement_chart,
    power_interest_chart,
    raci_chart,
)
from itpm_course.engine.stakeholders import check_raci  # noqa: E402
from itpm_course.plan.stakeholders import sample_raci, sample_stakeholders  # noqa: E402


def _by_gid(fig, gid):
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid() == gid]


def test_grid_places_every_stakeholder_and_leaves_no_figure_open():
    before = plt.get_fignums()
    register = sample_stakeholders()
    fig = power_interest_chart(register, highlight="CISO")
    assert plt.get_fignums() == before
    (points,) = _by_gid(fig, "stakeholders")
    assert len(points.get_offsets()) == len(register)
    (ring,) = _by_gid(fig, "highlight")
    assert tuple(ring.get_offsets()[0]) == (4.0, 4.0)  # CISO sits alone on (4, 4)
    assert _by_gid(fig, "quadrant-lines")[0].get_xdata()[0] == 3.5
    with pytest.raises(KeyError):
        power_interest_chart(register, highlight="Nobody")


def test_shared_cells_are_spread_so_markers_do_not_overlap():
    fig = power_interest_chart(sample_stakeholders())
    offsets = [tuple(p) for p in _by_gid(fig, "stakeholders")[0].get_offsets()]
    assert len(set(offsets)) == len(offsets)


def test_engagement_chart_marks_current_desired_and_gaps():
    register = sample_stakeholders()
    fig = engagement_chart(register)
    (current,) = _by_gid(fig, "current")
    assert len(current.get_offsets()) == len(register)
    gaps = sum(s.engagement_gap != 0 for s in register)
    assert len(_by_gid(fig, "gap-arrows")) == gaps


def test_raci_chart_frames_error_rows(tmp_path):
    raci = sample_raci().with_cell("UAT", "QA", "A")
    fig = raci_chart(raci, check_raci(raci))
    (frames,) = _by_gid(fig, "raci-problems")
    assert len(frames.get_paths()) == 1
    labels = fig.axes[0].get_yticklabels()
    uat = list(raci.deliverables).index("UAT")
    assert labels[uat].get_color() != labels[0].get_color()
    assert not _by_gid(raci_chart(sample_raci()), "raci-problems")
    fig.savefig(tmp_path / "raci.png")
    assert (tmp_path / "raci.png").stat().st_size > 1000
