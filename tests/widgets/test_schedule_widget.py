"""The schedule explorer: controls in, schedule and message out, no browser needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

from itpm_course.plan import plan_from_csv_text  # noqa: E402
from itpm_course.widgets import ScheduleExplorer, schedule_explorer  # noqa: E402

# PDM-1 from domain-facts §2.1: 8 tasks, all link types and a lead; 23 days, A-B-C-F-H.
PDM1 = """id,name,duration,predecessors
A,Requirements,5,
B,Design,4,A
C,Backend build,8,B SS+2
D,UI build,6,B FS-1
E,Test cases,3,C SS+3
F,Integration test,5,C; D; E FF+2
H,Cutover,2,F FS+1
I,Legacy support,3,H SF
"""
PNG = b"\x89PNG"


@pytest.fixture
def explorer() -> ScheduleExplorer:
    return schedule_explorer(plan_from_csv_text(PDM1, start="2025-01-06", name="PDM-1"))


def test_initial_state(explorer):
    assert isinstance(explorer, widgets.VBox)
    assert explorer.result.project_duration == 23
    assert explorer.message == (
        "Project finishes on day 23 (Wed 2025-02-05); critical path A → B → C → F → H"
    )
    assert explorer.task.value == "A"
    assert explorer.duration.value == 5
    assert explorer.duration.min == 0 and explorer.duration.max == 20
    assert explorer.duration.continuous_update
    assert bytes(explorer.chart.value).startswith(PNG)
    # every control is part of the widget tree
    tree = [explorer]
    seen = set()
    while tree:
        w = tree.pop()
        seen.add(id(w))
        tree.extend(getattr(w, "children", ()))
    for control in (
        explorer.task,
        explorer.duration,
        explorer.links,
        explorer.apply,
        explorer.reset,
    ):
        assert id(control) in seen


def test_selecting_a_task_shows_its_values(explorer):
    explorer.task.value = "C"
    assert explorer.duration.value == 8
    assert explorer.duration.max == 24  # max(3 x 8, 20)
    assert explorer.links.value == "B SS+2"
    assert explorer.result.project_duration == 23  # selecting changes nothing


def test_lengthening_a_critical_task_moves_the_finish(explorer):
    before = explorer.chart.value
    explorer.task.value = "C"
    explorer.duration.value = 10
    assert explorer.result.project_duration == 25
    assert explorer.plan.task("C").duration == 10
    assert explorer.message.startswith("Project finishes on day 25 (Fri 2025-02-07)")
    assert "+2 days against the original plan (23)" in explorer.message
    assert explorer.chart.value != before


def test_lengthening_a_task_within_its_float_does_not(explorer):
    explorer.task.value = "E"  # total float 5
    explorer.duration.value = 3 + 4
    assert explorer.result.project_duration == 23
    assert explorer.result.critical_tasks == ["A", "B", "C", "F", "H"]
    assert explorer.message.startswith("Project finishes on day 23 ")
    explorer.duration.value = 3 + 5  # all of its float used: E turns critical, same finish
    assert explorer.result.project_duration == 23
    assert "E" in explorer.result.critical_tasks
    explorer.duration.value = 3 + 6  # one day more than its float
    assert explorer.result.project_duration == 24


def test_applying_links(explorer):
    explorer.task.value = "H"
    explorer.links.value = "F FS+3"  # on submit
    assert explorer.result.project_duration == 25
    explorer.links.value = "F FS+3; D"
    explorer.apply.click()
    assert explorer.plan.task("H").predecessors[1].predecessor == "D"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("F", "dependency cycle"),  # C depends on F which depends on C
        ("B SS+2; Z", "unknown predecessor 'Z'"),
        ("B XX+2", "not one of FS, SS, FF, SF"),
    ],
)
def test_bad_links_show_an_error_and_keep_the_last_result(explorer, text, reason):
    explorer.task.value = "C"
    explorer.duration.value = 9
    good_plan, good_result, good_chart = explorer.plan, explorer.result, explorer.chart.value
    explorer.links.value = text
    explorer.apply.click()
    assert reason in explorer.message
    assert "Links for C not applied" in explorer.message
    assert "Traceback" not in explorer.message
    assert explorer.plan is good_plan and explorer.result is good_result
    assert explorer.result.project_duration == 24
    assert explorer.chart.value == good_chart
    assert reason in explorer.summary.value or "&#x27;Z&#x27;" in explorer.summary.value
    # the next good change clears the error
    explorer.duration.value = 8
    assert explorer.message.startswith("Project finishes on day 23 ")


def test_reset_restores_the_original_plan(explorer):
    explorer.task.value = "C"
    explorer.duration.value = 12
    explorer.task.value = "D"
    explorer.links.value = "A"
    assert explorer.result.project_duration != 23
    explorer.reset.click()
    assert explorer.result.project_duration == 23
    assert explorer.plan is explorer.original
    assert explorer.task.value == "D"
    assert explorer.duration.value == 6 and explorer.links.value == "B FS-1"
    assert explorer.message.startswith("Project finishes on day 23 ")


def test_fractional_durations_get_a_float_slider():
    plan = plan_from_csv_text("id,duration,predecessors\nA,1.5,\nB,2,A\n", start="2025-01-06")
    explorer = schedule_explorer(plan, dates=False)
    assert isinstance(explorer.duration, widgets.FloatSlider)
    explorer.duration.value = 2.5
    assert explorer.result.project_duration == 4.5
    assert "day 4.5" in explorer.message


def test_deadline_margin_in_the_message():
    plan = plan_from_csv_text(PDM1, start="2025-01-06", deadline="2025-02-06")
    explorer = schedule_explorer(plan)
    assert explorer.message.endswith("meets the deadline 2025-02-06 with 1 working day to spare")
    explorer.task.value = "F"
    explorer.duration.value = 8
    assert explorer.message.endswith("misses the deadline 2025-02-06 by 2 working days")


def _pixels(data: bytes):
    import io  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415
    from PIL import Image  # noqa: PLC0415

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def test_updates_redraw_in_place_and_look_like_a_fresh_chart():
    import numpy as np  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    from itpm_course.charts.gantt import _figsize, gantt_chart  # noqa: PLC0415
    from itpm_course.data import sample_plan  # noqa: PLC0415
    from itpm_course.widgets._render import FigureRenderer  # noqa: PLC0415

    explorer = schedule_explorer(sample_plan())
    figure = explorer._figure
    (axes,) = figure.axes
    frames = [bytes(explorer.chart.value)]
    other = explorer.task.options[5][1]
    for task, duration in (("KICK", 5), ("KICK", 6), ("KICK", 30), (other, 9), (other, 0)):
        explorer.task.value = task
        explorer.duration.value = duration
        assert explorer._figure is figure and figure.axes == [axes]  # no new figure or axes
        frames.append(bytes(explorer.chart.value))
        fresh = Figure(figsize=_figsize(len(explorer.plan)), layout="constrained")
        gantt_chart(explorer.result, ax=fresh.add_subplot())
        reference = _pixels(FigureRenderer(fresh, dpi=explorer.dpi).png())
        mine = _pixels(frames[-1])
        assert mine.shape == reference.shape
        assert (np.abs(mine - reference).max(axis=-1) > 8).mean() < 0.001
        assert axes.get_title() == fresh.axes[0].get_title()
    assert len(set(frames)) == len(frames)  # every change shows
    # a longer task within the deadline moved the bars only: the background was kept
    assert explorer._renderer.backgrounds < explorer._renderer.frames


def test_critical_labels_follow_the_schedule(explorer):
    from itpm_course.charts.gantt import CRITICAL  # noqa: PLC0415

    def red(ax):
        return {t.get_text().split()[0] for t in ax.get_yticklabels() if t.get_color() == CRITICAL}

    (ax,) = explorer._figure.axes
    assert red(ax) == {"A", "B", "C", "F", "H"}
    explorer.task.value = "D"
    explorer.duration.value = 15  # D becomes critical, C no longer
    assert red(ax) == set(explorer.result.critical_tasks)
    assert "D" in red(ax)
