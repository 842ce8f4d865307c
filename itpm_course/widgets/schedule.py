"""A live schedule explorer: change a task's duration or links and watch the finish move.

Thin by design: the controls are read, :func:`itpm_course.engine.schedule.schedule` recomputes
the plan (milliseconds, even for thousands of tasks), and :func:`itpm_course.charts.gantt_chart`
redraws the chart. Nothing here knows how CPM works.

Usage in a notebook::

    from itpm_course.widgets import schedule_explorer
    explorer = schedule_explorer(plan)
    explorer            # the last expression of a cell shows the widget

For tests (no browser needed)::

    explorer.task.value = "C"
    explorer.duration.value = 10
    explorer.result.project_duration, explorer.message
"""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from itpm_course.charts.gantt import _figsize, gantt_chart, update_gantt
from itpm_course.engine.schedule import Schedule, schedule
from itpm_course.errors import PlanError
from itpm_course.plan.model import ProjectPlan, format_links
from itpm_course.widgets._render import Coalescer, FigureRenderer

_PATH_SHOWN = 14  # critical paths longer than this are shortened in the summary
_MOVING = frozenset(
    {"float", "bars", "critical-bars", "milestones", "critical-milestones", "links",
     "link-heads", "deadline"}
)  # fmt: skip


class ScheduleExplorer(widgets.VBox):
    """Pick a task, change its duration or predecessors; the schedule and Gantt chart follow.

    Attributes for notebooks and tests:

    * ``plan``: the current plan (the original with the changes applied so far);
    * ``result``: the current :class:`~itpm_course.engine.schedule.Schedule`;
    * ``message``: the summary line, or a friendly error when the last change was refused;
    * controls ``task`` (Dropdown), ``duration`` (slider), ``links`` (Text), ``apply`` and
      ``reset`` (Buttons); outputs ``summary`` (HTML) and ``chart`` (Image, PNG).

    A change that the plan rejects (a dependency cycle, an unknown task id, a link that cannot
    be read) shows why, keeps the last good plan and schedule, and never raises.
    """

    def __init__(self, plan: ProjectPlan, *, dates: bool = True, dpi: int = 90) -> None:
        self.original = plan
        self.plan = plan
        self.result: Schedule = schedule(plan)
        self.baseline = self.result.project_duration
        self.message = ""
        self.error: str | None = None
        self.dates = dates
        self.dpi = dpi
        self._syncing = False
        self._figure = Figure(figsize=_figsize(len(plan)), layout="constrained")
        # Laid out once: the task labels on the left and the date ticks below keep their size
        # (the layout is solved again when the date axis changes its style).
        self._renderer = FigureRenderer(self._figure, dpi=dpi, freeze_layout=True)
        self._axes_style: tuple | None = None
        self._critical: bytes | None = None
        self._frames = Coalescer(self._paint)  # a dragged slider renders its latest state

        first = plan.tasks[0]
        whole = bool(np.all(plan.network.duration == np.round(plan.network.duration)))
        slider = widgets.IntSlider if whole else widgets.FloatSlider
        self.task = widgets.Dropdown(
            options=[(_task_label(t), t.id) for t in plan.tasks],
            value=first.id,
            description="Task",
            layout=widgets.Layout(width="320px"),
        )
        self.duration = slider(
            value=first.duration,
            min=0,
            max=_slider_max(first.duration),
            step=1 if whole else 0.5,
            description="Duration",
            continuous_update=True,
            readout=True,
            layout=widgets.Layout(width="420px"),
        )
        self.links = widgets.Text(
            value=format_links(first.predecessors),
            description="Predecessors",
            placeholder="e.g. A; B SS+2; C FF-1",
            continuous_update=False,  # applied on Enter (or when the box loses focus)
            layout=widgets.Layout(width="420px"),
            style={"description_width": "initial"},
        )
        self.apply = widgets.Button(
            description="Apply links", icon="check", tooltip="Use these predecessors"
        )
        self.reset = widgets.Button(
            description="Reset", icon="undo", tooltip="Back to the original plan"
        )
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

        self.task.observe(self._on_task, names="value")
        self.duration.observe(self._on_duration, names="value")
        self.links.observe(self._on_links, names="value")
        self.apply.on_click(lambda _button: self.apply_links())
        self.reset.on_click(lambda _button: self.restore())

        super().__init__(
            [
                widgets.HBox([self.task, self.duration]),
                widgets.HBox([self.links, self.apply, self.reset]),
                self.summary,
                self.chart,
            ]
        )
        self._show()

    # -- actions ------------------------------------------------------------------------------
    def set_duration(self, value: float) -> None:
        """Give the selected task a new duration and recompute."""
        self._update(self.plan.with_task(self.task.value, duration=float(value)))

    def apply_links(self, text: str | None = None) -> None:
        """Give the selected task the predecessors in ``text`` (default: the text box)."""
        text = self.links.value if text is None else text
        try:
            plan = self.plan.with_task(self.task.value, predecessors=text)
        except PlanError as exc:
            reasons = "; ".join(p.reason for p in exc.problems)
            self._refuse(f"Links for {self.task.value} not applied: {reasons}.")
            return
        except ValueError as exc:  # a link that cannot be read
            self._refuse(f"Links for {self.task.value} not applied: {exc}.")
            return
        self._update(plan)

    def restore(self) -> None:
        """Back to the original plan; the controls show the selected task's original values."""
        self.plan = self.original
        self.result = schedule(self.original)
        self.error = None
        self._sync_controls()
        self._show()

    # -- observers ----------------------------------------------------------------------------
    def _on_task(self, change) -> None:
        if self._syncing:
            return
        self.error = None
        self._sync_controls()
        self._show(redraw=False)

    def _on_duration(self, change) -> None:
        if not self._syncing:
            self.set_duration(change["new"])

    def _on_links(self, change) -> None:
        if not self._syncing:
            self.apply_links(change["new"])

    # -- internals ----------------------------------------------------------------------------
    def _update(self, plan: ProjectPlan) -> None:
        self.plan = plan
        self.result = schedule(plan)
        self.error = None
        self._show()

    def _refuse(self, text: str) -> None:
        self.error = f"{text} Still showing the last valid schedule."
        self._show(redraw=False)

    def _sync_controls(self) -> None:
        """Point the slider and text box at the selected task, without triggering updates."""
        tid = self.task.value
        task = self.plan.task(tid)
        self._syncing = True
        try:
            top = max(_slider_max(self.original.task(tid).duration), task.duration)
            if top > self.duration.max:
                self.duration.max = top
                self.duration.value = task.duration
            else:
                self.duration.value = task.duration
                self.duration.max = top
            self.links.value = format_links(task.predecessors)
        finally:
            self._syncing = False

    def _show(self, redraw: bool = True) -> None:
        if self.error:
            self.message = self.error
            self.summary.value = (
                '<div style="padding:4px 8px;border-left:4px solid #D55E00;'
                f'background:#FFF4EC">⚠ {html.escape(self.message)}</div>'
            )
        else:
            self.message = summary_line(self.result, self.baseline)
            self.summary.value = f'<div style="padding:4px 8px">{html.escape(self.message)}</div>'
        if redraw:
            self._draw()

    def _draw(self) -> None:
        self._frames.request()

    def _paint(self) -> None:
        fig = self._figure
        first = not fig.axes
        if first:
            gantt_chart(self.result, ax=fig.add_subplot(), dates=self.dates)
        else:  # the same axes, ticks and layout; new bars, links, limits and labels
            update_gantt(fig.axes[0], self.result, dates=self.dates)
        ax = fig.axes[0]
        # Blit: the bars, links, markers, title and legend move; the calendar, ticks and task
        # labels are drawn again only when the limits or the critical tasks (red labels) change.
        moving = [a for a in ax.get_children() if a.get_gid() in _MOVING]
        moving += [ax.title, *fig.legends, *([ax.legend_] if ax.legend_ else [])]
        critical = self.result.critical.tobytes()
        self._renderer.animate(moving, keep_background=critical == self._critical)
        self._critical = critical
        style = _axes_style(ax)
        if not first and style != self._axes_style:
            self._renderer.relayout()
        self._axes_style = style
        self.chart.value = self._renderer.png()


def schedule_explorer(plan: ProjectPlan, *, dates: bool = True) -> ScheduleExplorer:
    """A live schedule explorer for ``plan`` (see :class:`ScheduleExplorer`)."""
    return ScheduleExplorer(plan, dates=dates)


def summary_line(result: Schedule, baseline: float | None = None) -> str:
    """``Project finishes on day 23 (Wed 2025-02-05); critical path A → B → C → F → H``.

    Adds the change against a ``baseline`` project duration (when it differs) and the margin
    to the plan's deadline, if it has one.
    """
    days = result.project_duration
    finish = np.datetime64(result.finish_date, "D").astype(dt.date)
    ids = result.critical_tasks
    if len(ids) > _PATH_SHOWN:
        path = " → ".join([*ids[:8], "…", *ids[-4:]]) + f" ({len(ids)} critical tasks)"
    else:
        path = " → ".join(ids)
    text = f"Project finishes on day {days:g} ({finish:%a %Y-%m-%d}); critical path {path}"
    if baseline is not None and days != baseline:
        change = days - baseline
        unit = "day" if abs(change) == 1 else "days"
        text += f"; {change:+g} {unit} against the original plan ({baseline:g})"
    plan = result.plan
    if plan.deadline is not None:
        margin = plan.deadline_days - days
        if margin >= 0:
            text += f"; meets the deadline {plan.deadline:%Y-%m-%d} with {_days(margin)} to spare"
        else:
            text += f"; misses the deadline {plan.deadline:%Y-%m-%d} by {_days(-margin)}"
    return text


def _days(n: float) -> str:
    return f"{n:g} working day" + ("" if n == 1 else "s")


def _axes_style(ax) -> tuple:
    """What decides the size of the labels around the Gantt axes (and so the layout)."""
    return (
        type(ax.xaxis.get_major_formatter()).__name__,
        len(ax.figure.legends[0].texts) if ax.figure.legends else 0,
    )


def _slider_max(duration: float) -> float:
    return float(max(3 * duration, 20))


def _task_label(task) -> str:
    name = task.name if task.name and task.name != task.id else ""
    return f"{task.id} – {name}" if name else task.id
