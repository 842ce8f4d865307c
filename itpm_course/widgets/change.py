"""A change-impact explorer: shape a change request and watch finish, P80, cost and EVM move.

Thin by design: the controls are turned into a
:class:`~itpm_course.engine.change.ChangeRequest`, :func:`~itpm_course.engine.change.analyse_change`
does the work (CPM, a seeded Monte Carlo on common random numbers, cost, planned value) and
:func:`~itpm_course.charts.change.finish_shift_chart` draws the result. The baseline is
simulated once; each move simulates only the changed plan (2,000 iterations by default).

For tests (no browser needed)::

    explorer = change_impact_explorer(plan)
    explorer.task.value = "BLD"
    explorer.extra_days.value = 4
    explorer.impact.recommendation, explorer.message
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from itpm_course.charts.change import finish_shift_chart
from itpm_course.engine.change import ChangeImpact, ChangeRequest, analyse_change
from itpm_course.errors import PlanError
from itpm_course.plan.model import ProjectPlan, format_links, parse_links
from itpm_course.widgets._render import FigureRenderer

NEW_ID = "NEW"
_COLOURS = {
    "approve": "#2e7d32",
    "approve with conditions": "#E69F00",
    "defer": "#D55E00",
    "reject": "#c62828",
}


class ChangeImpactExplorer(widgets.VBox):
    """Adjust a change request; the impact analysis and recommendation follow.

    Controls: ``task`` (Dropdown) and ``extra_days`` (slider: days added to that task),
    ``extra_cost`` (one-off cost of the change), ``add_task`` (Checkbox) with
    ``add_duration``, ``add_after`` (its predecessors) and ``add_before`` (tasks that must wait
    for it), and ``reset``. Read ``change``, ``impact`` and ``message``; ``error`` holds the
    reason when the last change was refused (a cycle, an unknown id): the explorer then keeps
    the last valid analysis and never raises.
    """

    def __init__(
        self, plan: ProjectPlan, *, iterations: int = 2000, seed: int = 0, dpi: int = 80
    ) -> None:
        self.original = plan
        self.iterations = iterations
        self.seed = seed
        self.dpi = dpi
        self.error: str | None = None
        self.message = ""
        self._syncing = False
        self._renderer = FigureRenderer(
            Figure(figsize=(9, 4), layout="constrained"), dpi=dpi, freeze_layout=True
        )
        empty = ChangeRequest(id="CR", title="Proposed change")
        self.change = empty
        self.impact: ChangeImpact = analyse_change(plan, empty, iterations=iterations, seed=seed)
        self._baseline_sim = self.impact.simulation_before

        self.task = widgets.Dropdown(
            options=[(f"{t.id} – {t.name}" if t.name != t.id else t.id, t.id) for t in plan.tasks],
            value=plan.tasks[0].id,
            description="Task",
            layout=widgets.Layout(width="340px"),
        )
        self.extra_days = widgets.IntSlider(
            value=0, min=0, max=20, description="+ days", continuous_update=False
        )
        self.extra_cost = widgets.IntSlider(
            value=0,
            min=0,
            max=50_000,
            step=500,
            description="+ cost",
            continuous_update=False,
        )
        self.add_task = widgets.Checkbox(value=False, description="Add a new task", indent=False)
        self.add_duration = widgets.IntSlider(
            value=3, min=0, max=20, description="duration", continuous_update=False
        )
        self.add_after = widgets.Text(
            value="",
            description="after",
            placeholder="predecessors, e.g. BLD",
            continuous_update=False,
        )
        self.add_before = widgets.Text(
            value="",
            description="before",
            placeholder="successors, e.g. PIL",
            continuous_update=False,
        )
        self.reset = widgets.Button(description="Reset", icon="undo")
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

        for control in (
            self.task,
            self.extra_days,
            self.extra_cost,
            self.add_task,
            self.add_duration,
            self.add_after,
            self.add_before,
        ):
            control.observe(self._on_change, names="value")
        self.reset.on_click(lambda _button: self.restore())
        super().__init__(
            [
                widgets.HBox([self.task, self.extra_days]),
                widgets.HBox([self.extra_cost, self.reset]),
                widgets.HBox([self.add_task, self.add_duration]),
                widgets.HBox([self.add_after, self.add_before]),
                self.summary,
                self.chart,
            ]
        )
        self._show()

    # -- building the request -----------------------------------------------------------------
    def build_change(self) -> ChangeRequest:
        """The change request the controls describe."""
        plan = self.original
        tasks: dict[str, dict] = {}
        if self.extra_days.value:
            task = plan.task(self.task.value)
            tasks[task.id] = {"duration": task.duration + self.extra_days.value}
        add = ()
        if self.add_task.value:
            add = (
                {
                    "id": NEW_ID,
                    "name": "Added work",
                    "duration": self.add_duration.value,
                    "predecessors": self.add_after.value,
                },
            )
            for succ in _ids(self.add_before.value):
                if succ not in plan.network.index:
                    tasks.setdefault(succ, {})["duration"] = None  # reported as unknown
                    continue
                links = [*plan.task(succ).predecessors, *parse_links(NEW_ID)]
                tasks.setdefault(succ, {})["predecessors"] = format_links(links)
        title = "Proposed change"
        return ChangeRequest(
            id="CR",
            title=title,
            tasks=tasks,
            add=add,
            cost=float(self.extra_cost.value),
            source="change explorer",
        )

    def restore(self) -> None:
        """Back to no change at all."""
        self._syncing = True
        try:
            self.extra_days.value = 0
            self.extra_cost.value = 0
            self.add_task.value = False
            self.add_duration.value = 3
            self.add_after.value = ""
            self.add_before.value = ""
        finally:
            self._syncing = False
        self._update()

    # -- internals ----------------------------------------------------------------------------
    def _on_change(self, _change) -> None:
        if not self._syncing:
            self._update()

    def _update(self) -> None:
        try:
            change = self.build_change()
            impact = analyse_change(
                self.original,
                change,
                iterations=self.iterations,
                seed=self.seed,
                baseline_simulation=self._baseline_sim,
            )
        except PlanError as exc:
            reasons = "; ".join(p.reason for p in exc.problems)
            self.error = f"Change not analysed: {reasons}. Still showing the last valid analysis."
            self._show(redraw=False)
            return
        except ValueError as exc:
            self.error = f"Change not analysed: {exc}. Still showing the last valid analysis."
            self._show(redraw=False)
            return
        self.change, self.impact, self.error = change, impact, None
        self._show()

    def _show(self, redraw: bool = True) -> None:
        if self.error:
            self.message = self.error
            self.summary.value = (
                '<div style="padding:4px 8px;border-left:4px solid #D55E00;'
                f'background:#FFF4EC">⚠ {html.escape(self.message)}</div>'
            )
            return
        i = self.impact
        self.message = summary_line(i)
        colour = _COLOURS[i.recommendation]
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in i.reasons)
        self.summary.value = (
            f'<div style="padding:4px 8px;border-left:4px solid {colour}">'
            f"{html.escape(self.message)}<br><b style='color:{colour}'>"
            f"{html.escape(i.recommendation.upper())}</b><ul style='margin:2px 0'>{reasons}</ul></div>"
        )
        if redraw:
            self.chart.value = self._renderer.redraw(lambda ax: finish_shift_chart(i, ax=ax))


def summary_line(impact: ChangeImpact) -> str:
    """``Finish 49 → 52 days (+3); P80 53.9 → 57.3; cost 129,800 → 135,200; BAC …``."""
    i = impact
    return (
        f"Finish {i.baseline_duration:g} → {i.new_duration:g} days ({i.delta_duration:+g}); "
        f"P80 {i.p80_before:.1f} → {i.p80_after:.1f}; "
        f"cost {i.cost_before:,.0f} → {i.cost_after:,.0f} ({i.delta_cost:+,.0f}); "
        f"PV reaches BAC in week {i.pv_end_before:g} → {i.pv_end_after:g}"
    )


def change_impact_explorer(
    plan: ProjectPlan, *, iterations: int = 2000, seed: int = 0
) -> ChangeImpactExplorer:
    """A live change-impact explorer for ``plan`` (see :class:`ChangeImpactExplorer`)."""
    return ChangeImpactExplorer(plan, iterations=iterations, seed=seed)


def _ids(text: str) -> list[str]:
    return [t.strip() for t in text.replace(",", ";").split(";") if t.strip()]
