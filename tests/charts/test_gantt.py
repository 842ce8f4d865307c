"""The Gantt chart: one bar per task, critical path highlighted, milestones, one arrow per link."""

from __future__ import annotations

import datetime as dt
import io
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import itpm_course  # noqa: E402
from itpm_course.charts import gantt_chart  # noqa: E402
from itpm_course.charts.gantt import CRITICAL, NORMAL  # noqa: E402
from itpm_course.plan import Link, ProjectPlan, Task, plan_from_csv_text  # noqa: E402

# PDM-1 (domain-facts §2.1) plus a milestone G after F: duration 23, critical A-B-C-F-H.
PDM1 = """id,name,duration,predecessors
A,Requirements,5,
B,Design,4,A
C,Backend build,8,B SS+2
D,UI build,6,B FS-1
E,Test cases,3,C SS+3
F,Integration test,5,C; D; E FF+2
G,Go-live approved,0,F
H,Cutover,2,F FS+1
I,Legacy support,3,H SF
"""


@pytest.fixture
def pdm1():
    return itpm_course.schedule(plan_from_csv_text(PDM1, start="2025-01-06", name="PDM-1"))


def artist(fig: Figure, gid: str) -> list:
    """The artists of the chart's axes tagged ``gid``."""
    return [a for a in fig.axes[0].get_children() if a.get_gid() == gid]


def count(fig: Figure, gid: str) -> int:
    """Number of markers in the scatter collections ``gid`` (milestones, arrow heads)."""
    return sum(len(a.get_offsets()) for a in artist(fig, gid))


def bar_rows(fig: Figure, gid: str) -> list[float]:
    """Row (y centre) of every bar in the collection ``gid``."""
    rows = []
    for coll in artist(fig, gid):
        rows += [float(p.vertices[:4, 1].mean()) for p in coll.get_paths()]
    return rows


def test_pdm1_is_the_published_example(pdm1):
    assert pdm1.project_duration == 23
    assert pdm1.critical_tasks == ["A", "B", "C", "F", "H"]


def test_one_bar_per_task_and_critical_bars_coloured_differently(pdm1):
    fig = gantt_chart(pdm1)
    assert isinstance(fig, Figure)
    normal, critical = bar_rows(fig, "bars"), bar_rows(fig, "critical-bars")
    # 8 tasks with a duration get a bar, the milestone G a diamond: one mark per task.
    assert len(normal) + len(critical) + count(fig, "milestones") == 9
    ids = pdm1.ids
    assert sorted(ids[round(y)] for y in critical) == ["A", "B", "C", "F", "H"]
    assert sorted(ids[round(y)] for y in normal) == ["D", "E", "I"]
    (crit_coll,) = artist(fig, "critical-bars")
    (norm_coll,) = artist(fig, "bars")
    assert matplotlib.colors.same_color(crit_coll.get_facecolor()[0], CRITICAL)
    assert matplotlib.colors.same_color(norm_coll.get_facecolor()[0], NORMAL)
    assert not matplotlib.colors.same_color(CRITICAL, NORMAL)
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Critical task" in labels and "Milestone" in labels


def test_tasks_top_to_bottom_in_plan_order(pdm1):
    fig = gantt_chart(pdm1)
    ax = fig.axes[0]
    bottom, top = ax.get_ylim()
    assert bottom > top  # y axis inverted: row 0 (task A) at the top
    labels = [t.get_text().split()[0] for t in ax.get_yticklabels()]
    assert labels == list(pdm1.ids)


def test_milestone_is_a_diamond(pdm1):
    fig = gantt_chart(pdm1)
    (diamonds,) = artist(fig, "milestones")
    assert len(diamonds.get_offsets()) == 1
    assert diamonds.get_offsets()[0][1] == pdm1.ids.index("G")


def test_one_arrow_per_link(pdm1):
    fig = gantt_chart(pdm1)
    n_links = len(pdm1.plan.network.pred)
    assert n_links == 10
    (lines,) = artist(fig, "links")
    assert len(lines.get_segments()) == n_links
    assert count(fig, "link-heads") == n_links


def test_links_attach_by_link_type(pdm1):
    """FS finish->start, SS start->start, FF finish->finish, SF start->finish (offsets axis)."""
    fig = gantt_chart(pdm1, dates=False)
    (lines,) = artist(fig, "links")
    net = pdm1.plan.network
    ids = pdm1.ids
    es, ef = pdm1.early_start, pdm1.early_finish
    for seg, i, j, kind in zip(
        lines.get_segments(), net.pred, net.succ, net.link_type, strict=True
    ):
        x_from = ef[i] if kind in (0, 2) else es[i]
        assert seg[0][0] == pytest.approx(x_from), (ids[i], ids[j])
        assert seg[0][1] == i and seg[-1][1] == pytest.approx(j, abs=0.5)
        x_to = ef[j] if kind in (2, 3) else es[j]
        if abs(seg[-1][1] - j) < 1e-9:  # enters the bar from the side
            assert seg[-1][0] == pytest.approx(x_to), (ids[i], ids[j])


def test_dates_false_uses_working_day_offsets(pdm1):
    fig = gantt_chart(pdm1, dates=False)
    ax = fig.axes[0]
    assert "working days" in ax.get_xlabel()
    lo, hi = ax.get_xlim()
    assert lo < 0 < 23 < hi < 30
    (crit,) = artist(fig, "critical-bars")
    lefts = sorted(float(p.vertices[:, 0].min()) for p in crit.get_paths())
    assert lefts == [0, 5, 7, 15, 21]  # ES of A, B, C, F, H


def test_bars_span_weekends_on_the_date_axis(pdm1):
    """C runs Wed 15 Jan to Fri 24 Jan 2025 (8 working days): one bar over the weekend."""
    from matplotlib import dates as mdates

    fig = gantt_chart(pdm1)
    (crit,) = artist(fig, "critical-bars")
    c_row = pdm1.ids.index("C")
    (c_bar,) = [p for p in crit.get_paths() if round(p.vertices[:4, 1].mean()) == c_row]
    left, right = c_bar.vertices[:4, 0].min(), c_bar.vertices[:4, 0].max()
    assert mdates.num2date(left).date() == dt.date(2025, 1, 15)
    assert mdates.num2date(right).date() == dt.date(2025, 1, 25)  # end of Fri 24 Jan
    assert artist(fig, "nonworking")  # weekends shaded


def test_float_bars_and_switches(pdm1):
    fig = gantt_chart(pdm1, dates=False)
    (flt,) = artist(fig, "float")
    widths = sorted(float(np.ptp(p.vertices[:4, 0])) for p in flt.get_paths())
    # D 1, E 5, I 2 and the milestone G (F finishes at 20, G may wait until 23): 3
    assert widths == [1, 2, 3, 5]
    bare = gantt_chart(pdm1, show_float=False, show_links=False, title="Bare")
    assert not artist(bare, "float") and not artist(bare, "links")
    assert bare.axes[0].get_title(loc="left") == "Bare"


def test_deadline_line(pdm1):
    plan = pdm1.plan.replace(deadline=dt.date(2025, 2, 10))
    fig = gantt_chart(itpm_course.schedule(plan), dates=False)
    (line,) = artist(fig, "deadline")
    # Mon 10 Feb 2025 is working day 25 (0-based), so its end is offset 26.
    assert line.get_xdata()[0] == 26
    assert not artist(gantt_chart(pdm1), "deadline")


def test_draws_into_given_axes_without_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    result = itpm_course.schedule(plan_from_csv_text(PDM1, start="2025-01-06"))
    assert gantt_chart(result, ax=ax2) is fig
    assert ax2.get_legend() is not None and not fig.legends
    gantt_chart(result)
    assert plt.get_fignums() == before  # nothing registered with pyplot


def random_plan(n: int, seed: int = 7) -> ProjectPlan:
    rng = np.random.default_rng(seed)
    kinds = ["FS", "SS", "FF", "SF"]
    tasks = []
    for j in range(n):
        links = []
        if j:
            for i in sorted(set(rng.integers(max(0, j - 25), j, size=2).tolist())):
                links.append(
                    Link(f"T{i}", kinds[int(rng.integers(0, 4))], float(rng.integers(-1, 3)))
                )
        tasks.append(Task(f"T{j}", float(rng.integers(0, 12)), predecessors=links))
    return ProjectPlan("Large", dt.date(2025, 1, 6), tasks, deadline=dt.date(2030, 1, 1))


def test_two_thousand_tasks_render_quickly():
    result = itpm_course.schedule(random_plan(2000))
    start = time.perf_counter()
    fig = gantt_chart(result)
    fig.savefig(io.BytesIO(), format="png", dpi=60)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"2,000-task Gantt took {elapsed:.1f} s"
    marks = len(bar_rows(fig, "bars")) + len(bar_rows(fig, "critical-bars"))
    marks += count(fig, "milestones") + count(fig, "critical-milestones")
    assert marks == 2000
    (lines,) = artist(fig, "links")
    assert len(lines.get_segments()) == len(result.plan.network.pred)


def _summary(fig):
    ax = fig.axes[0]
    by_gid = {}
    for artist in ax.get_children():
        if artist.get_gid():
            by_gid.setdefault(artist.get_gid(), []).append(artist)
    paths = {
        gid: sorted(np.round(p.vertices, 6).tobytes() for a in arts for p in a.get_paths())
        for gid, arts in by_gid.items()
        if hasattr(arts[0], "get_paths")
    }
    return {
        "paths": paths,
        "xlim": np.round(ax.get_xlim(), 9).tolist(),
        "title": ax.get_title(loc="left"),
        "labels": [(t.get_text(), t.get_color()) for t in ax.get_yticklabels()],
        "legend": [t.get_text() for lg in fig.legends for t in lg.texts],
        "locator": type(ax.xaxis.get_minor_locator()).__name__,
    }


def test_update_gantt_redraws_into_the_same_axes_as_a_fresh_chart(pdm1):
    from itpm_course.charts.gantt import update_gantt  # noqa: PLC0415

    fig = Figure(figsize=(11, 5), layout="constrained")
    ax = fig.add_subplot()
    gantt_chart(pdm1, ax=ax)
    longer = pdm1.plan.with_task("D", duration=15).with_task("G", duration=2)  # D critical
    for plan in (longer, pdm1.plan.with_task("C", duration=200), pdm1.plan):
        result = itpm_course.schedule(plan)
        update_gantt(ax, result)
        fresh = Figure(figsize=(11, 5), layout="constrained")
        gantt_chart(result, ax=fresh.add_subplot())
        assert fig.axes == [ax] and len(fig.legends) == 1
        assert _summary(fig) == _summary(fresh)
