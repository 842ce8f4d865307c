"""A live Monte Carlo explorer: move a task's three-point estimate and watch P80 move.

Thin by design: the controls are read, :func:`itpm_course.engine.montecarlo.simulate` reruns
the simulation (tens of milliseconds for 30 tasks x 10,000 iterations) and the chart functions
of :mod:`itpm_course.charts.montecarlo` redraw into one reused figure.  The seed stays fixed,
and the engine gives every task its own random stream, so when one slider moves only that
task's draws change: what you see is the effect of your change, not fresh sampling noise.

Usage in a notebook::

    from itpm_course.widgets.montecarlo import simulation_explorer
    explorer = simulation_explorer(plan)
    explorer

For tests (no browser needed)::

    explorer.task.value = "PROC"
    explorer.pessimistic.value = 25
    explorer.result.percentile(80), explorer.message
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from itpm_course.charts.montecarlo import MARKERS, _bins, finish_histogram, s_curve
from itpm_course.engine.montecarlo import SimulationResult, simulate
from itpm_course.errors import PlanError
from itpm_course.plan.model import ProjectPlan
from itpm_course.widgets._render import Coalescer, FigureRenderer

ITERATION_CHOICES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
_FILL = 0.65  # an axis keeps its x limits while the data span at least this share of them


class SimulationExplorer(widgets.VBox):
    """Sliders for one task's optimistic / most likely / pessimistic estimate, the number of
    iterations, one correlation between all uncertain tasks and the distribution; a histogram,
    an S-curve and the P50/P80/P90 summary follow every change.

    Attributes for notebooks and tests:

    * ``plan``: the current plan (the original with the estimate changes applied so far);
    * ``result``: the current :class:`~itpm_course.engine.montecarlo.SimulationResult`;
    * ``message``: the summary line (or why the last change was refused);
    * ``seconds``: how long the last simulation took (the computation only);
    * controls ``task`` (Dropdown), ``optimistic``, ``most_likely``, ``pessimistic``
      (FloatSliders), ``iterations`` (SelectionSlider), ``correlation`` (FloatSlider),
      ``distribution`` (ToggleButtons), ``reset`` (Button); outputs ``summary`` (HTML) and
      ``chart`` (Image, PNG).

    The three estimate sliders keep ``optimistic <= most likely <= pessimistic``: dragging one
    past another pushes the other along.
    """

    def __init__(
        self,
        plan: ProjectPlan,
        *,
        iterations: int = 10_000,
        seed: int = 2026,
        deadline: float | None = None,
        dpi: int = 80,
    ) -> None:
        uncertain = [t for t in plan.tasks if t.has_estimate]
        if not uncertain:
            raise ValueError(
                "this plan has no three-point estimates (optimistic, most_likely, pessimistic), "
                "so there is nothing to simulate"
            )
        self.original = plan
        self.plan = plan
        self.seed = seed
        self.deadline = plan.deadline_days if deadline is None else deadline
        self.dpi = dpi
        self.message = ""
        self.seconds = 0.0
        self._syncing = False
        self._figure = Figure(figsize=(11, 3.6), layout="constrained")
        self._axes = self._figure.subplots(1, 2)
        # Lay the figure out once; re-solving the constrained layout on every slider step
        # would roughly double the drawing time.
        self._renderer = FigureRenderer(self._figure, dpi=dpi, freeze_layout=True)
        self._frames = Coalescer(self._paint)  # a dragged slider renders its latest state
        self._moving: dict | None = None  # the artists an update moves (after the first frame)
        self.result: SimulationResult = self._simulate(
            plan, iterations, "pert", 0.0, sensitivity=True
        )
        self.baseline_p80 = self.result.percentile(80)

        # start on the task that drives the finish most: the one worth experimenting with
        sens = dict(zip(self.result.ids, self.result.sensitivity, strict=True))
        first = max(uncertain, key=lambda t: sens[t.id])
        self.task = widgets.Dropdown(
            options=[(_task_label(t), t.id) for t in uncertain],
            value=first.id,
            description="Task",
            layout=widgets.Layout(width="360px"),
        )
        top = _slider_max(first.pessimistic)
        self.optimistic, self.most_likely, self.pessimistic = (
            widgets.FloatSlider(
                value=v,
                min=0,
                max=top,
                step=0.5,
                description=label,
                continuous_update=True,
                readout_format=".1f",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="360px"),
            )
            for v, label in (
                (first.optimistic, "Optimistic"),
                (first.most_likely, "Most likely"),
                (first.pessimistic, "Pessimistic"),
            )
        )
        self.iterations = widgets.SelectionSlider(
            options=_iteration_options(iterations),
            value=int(iterations),
            description="Iterations",
            continuous_update=True,
            layout=widgets.Layout(width="360px"),
        )
        self.correlation = widgets.FloatSlider(
            value=0.0,
            min=0.0,
            max=0.9,
            step=0.1,
            description="Correlation",
            continuous_update=True,
            readout_format=".1f",
            layout=widgets.Layout(width="360px"),
        )
        self.distribution = widgets.ToggleButtons(
            options=[("beta-PERT", "pert"), ("triangular", "triangular")],
            value="pert",
            description="Distribution",
            style={"button_width": "90px"},
        )
        self.reset = widgets.Button(description="Reset", icon="undo", tooltip="Original plan")
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

        self.task.observe(self._on_task, names="value")
        for slider in (self.optimistic, self.most_likely, self.pessimistic):
            slider.observe(self._on_estimate, names="value")
        for control in (self.iterations, self.correlation, self.distribution):
            control.observe(lambda _change: self._rerun(), names="value")
        self.reset.on_click(lambda _button: self.restore())

        super().__init__(
            [
                widgets.HBox(
                    [
                        widgets.VBox(
                            [self.task, self.optimistic, self.most_likely, self.pessimistic]
                        ),
                        widgets.VBox(
                            [self.iterations, self.correlation, self.distribution, self.reset]
                        ),
                    ]
                ),
                self.summary,
                self.chart,
            ]
        )
        self._show()

    # -- actions ------------------------------------------------------------------------------
    def set_estimate(self, optimistic: float, most_likely: float, pessimistic: float) -> None:
        """Give the selected task a new three-point estimate and rerun the simulation."""
        try:
            plan = self.plan.with_task(
                self.task.value,
                duration=float(most_likely),
                optimistic=float(optimistic),
                most_likely=float(most_likely),
                pessimistic=float(pessimistic),
            )
        except (PlanError, ValueError) as exc:
            reasons = "; ".join(p.reason for p in exc.problems) if isinstance(exc, PlanError) else str(exc)  # fmt: skip
            self.message = f"Estimate not applied: {reasons}. Still showing the last simulation."
            self._show(redraw=False)
            return
        self.plan = plan
        self._rerun()

    def restore(self) -> None:
        """Back to the original plan, 0 correlation and beta-PERT (iterations are kept)."""
        self.plan = self.original
        self._syncing = True
        try:
            self.correlation.value = 0.0
            self.distribution.value = "pert"
        finally:
            self._syncing = False
        self._sync_sliders()
        self._rerun()

    # -- observers ----------------------------------------------------------------------------
    def _on_task(self, _change) -> None:
        if not self._syncing:
            self._sync_sliders()
            self._show(redraw=False)

    def _on_estimate(self, change) -> None:
        if self._syncing:
            return
        o, m, p = self.optimistic.value, self.most_likely.value, self.pessimistic.value
        # keep o <= m <= p by pushing the neighbours of the slider that moved
        if change["owner"] is self.optimistic:
            m, p = max(m, o), max(p, o)
        elif change["owner"] is self.pessimistic:
            o, m = min(o, p), min(m, p)
        else:
            o, p = min(o, m), max(p, m)
        self._set_sliders(o, m, p)
        self.set_estimate(o, m, p)

    # -- internals ----------------------------------------------------------------------------
    def _simulate(
        self, plan, iterations, distribution, correlation, sensitivity=False
    ) -> SimulationResult:
        # Updates skip the rank correlations (not shown while the slider moves): about half the time.
        start = time.perf_counter()
        result = simulate(
            plan,
            iterations=int(iterations),
            seed=self.seed,
            distribution=distribution,
            correlation=float(correlation) or None,
            sensitivity=sensitivity,
        )
        self.seconds = time.perf_counter() - start
        return result

    def _rerun(self) -> None:
        if self._syncing:
            return
        self.result = self._simulate(
            self.plan, self.iterations.value, self.distribution.value, self.correlation.value
        )
        self.message = summary_line(self.result, self.deadline, self.baseline_p80)
        self._show()

    def _set_sliders(self, o: float, m: float, p: float) -> None:
        self._syncing = True
        try:
            top = max(self.pessimistic.max, _slider_max(p))
            for slider, v in ((self.optimistic, o), (self.most_likely, m), (self.pessimistic, p)):
                slider.max = top
                slider.value = v
        finally:
            self._syncing = False

    def _sync_sliders(self) -> None:
        task = self.plan.task(self.task.value)
        self._syncing = True
        try:
            top = _slider_max(max(task.pessimistic, self.original.task(task.id).pessimistic))
            for slider in (self.optimistic, self.most_likely, self.pessimistic):
                slider.max = max(top, slider.value)
            self.optimistic.value = task.optimistic
            self.most_likely.value = task.most_likely
            self.pessimistic.value = task.pessimistic
            for slider in (self.optimistic, self.most_likely, self.pessimistic):
                slider.max = top
        finally:
            self._syncing = False

    def _show(self, redraw: bool = True) -> None:
        if not self.message:
            self.message = summary_line(self.result, self.deadline, self.baseline_p80)
        self.summary.value = f'<div style="padding:4px 8px">{html.escape(self.message)}</div>'
        if redraw:
            self._draw()

    def _draw(self) -> None:
        self._frames.request()

    def _paint(self) -> None:
        if not (self._moving and self._update_in_place()):
            self._build_chart()
        self.chart.value = self._renderer.png()

    def _build_chart(self) -> None:
        """Draw both charts from scratch with the chart functions and keep their artists."""
        left, right = self._axes
        left.clear()
        right.clear()
        finish_histogram(self.result, self.deadline, ax=left)
        s_curve(self.result, self.deadline, ax=right)
        # Grid and ticks behind the bars, so they belong to the background the renderer keeps.
        left.set_axisbelow(True)
        gids = [{a.get_gid(): a for a in ax.get_children() if a.get_gid()} for ax in self._axes]
        hist, curve = gids
        lines = right.get_lines()
        self._moving = {
            "hist": hist,
            "curve": curve,
            "guides": [lines[lines.index(curve[f"P{q}"]) + 1] for q in MARKERS],
            "notes": list(right.texts),
        }
        moving = [hist["histogram"], left.title, right.title]
        for ax, g in ((left, hist), (right, curve)):
            moving += [g[key] for key in g if key != "deadline"]
            moving.append(ax.get_legend())
        moving += self._moving["guides"] + self._moving["notes"]
        self._renderer.animate(moving)

    def _update_in_place(self) -> bool:
        """Move the kept artists to the new result: the same data, labels and limits as
        :func:`finish_histogram` and :func:`s_curve` draw, except that an axis keeps its limits
        while the new data fit them well (so its ticks, drawn once, stay valid); False when
        the chart must be drawn from scratch."""
        r, deadline = self.result, self.deadline
        left, right = self._axes
        hist, curve = self._moving["hist"], self._moving["curve"]
        det = r.deterministic_duration
        counts, edges = np.histogram(r.finish, bins=_bins(r.finish))
        share = counts / len(r.finish)
        hist["histogram"].set_data(share, edges)
        x = np.sort(r.finish)
        y = np.arange(1, len(x) + 1) / len(x)
        if len(x) > 2000:
            keep = np.unique(np.linspace(0, len(x) - 1, 2000).astype(int))
            x, y = x[keep], y[keep]
        curve["s-curve"].set_data(x, y)
        pct = {q: r.percentile(q) for q in MARKERS}
        for q, guide, note in zip(
            MARKERS, self._moving["guides"], self._moving["notes"], strict=True
        ):
            v = pct[q]
            hist[f"P{q}"].set_xdata([v, v])
            hist[f"P{q}"].set_label(f"P{q} = {v:.1f}")
            curve[f"P{q}"].set_data([v, v], [0, q / 100])
            guide.set_data([x[0], v], [q / 100, q / 100])
            note.set_text(f"P{q} = {v:.1f} days")
            note.xy = (x[0], q / 100)
        for g in (hist, curve):
            g["deterministic"].set_xdata([det, det])
        hist["deterministic"].set_label(f"most likely plan (CPM) = {det:g}")
        curve["deterministic"].set_label(
            f"most likely plan = {det:g} ({r.probability_on_time(det):.0%})"
        )
        if deadline is not None:
            p = r.probability_on_time(deadline)
            hist["deadline"].set_label(f"deadline {deadline:g}: {p:.0%} on time")
            curve["deadline"].set_label(f"deadline {deadline:g}: {p:.0%}")
        for ax in self._axes:
            legend = ax.get_legend()
            _handles, labels = ax.get_legend_handles_labels()
            if legend is None or len(legend.texts) != len(labels):
                return False
            for text, label in zip(legend.texts, labels, strict=True):
                text.set_text(label)
        # x limits: what autoscaling gives, unless the current ones still fit the data well
        span = [float(x[0]), float(x[-1]), det, *pct.values()]
        if deadline is not None:
            span.append(float(deadline))
        lo, hi = min(span), max(span)
        for ax in self._axes:
            x0, x1 = ax.get_xlim()
            if not (x0 <= lo and hi <= x1 and hi - lo >= _FILL * (x1 - x0)):
                ax.relim()
                ax.autoscale_view(scaley=False)
        top = float(share.max()) if len(share) else 1.0
        if not (1.05 * top <= left.get_ylim()[1] <= 1.4 * top):
            left.set_ylim(0, top * 1.15)
        left.set_title(f"Finish distribution ({r.iterations:,} iterations)")
        return True


def simulation_explorer(
    plan: ProjectPlan,
    iterations: int = 10_000,
    seed: int = 2026,
    *,
    deadline: float | None = None,
) -> SimulationExplorer:
    """A live Monte Carlo explorer for ``plan`` (see :class:`SimulationExplorer`)."""
    return SimulationExplorer(plan, iterations=iterations, seed=seed, deadline=deadline)


def summary_line(
    result: SimulationResult, deadline: float | None = None, baseline_p80: float | None = None
) -> str:
    """``P50 51.8 · P80 53.9 · P90 55.1 working days (most likely plan: 49) …``."""
    p = result.percentiles
    text = (
        f"P50 {p['P50']:.1f} · P80 {p['P80']:.1f} · P90 {p['P90']:.1f} working days "
        f"(most likely plan: {result.deterministic_duration:g}; mean {result.mean:.1f}, "
        f"std {result.std:.1f})"
    )
    if baseline_p80 is not None and abs(p["P80"] - baseline_p80) >= 0.05:
        text += f"; P80 {p['P80'] - baseline_p80:+.1f} days against the original plan"
    if deadline is not None:
        text += f"; {result.probability_on_time(deadline):.0%} chance to finish by day {deadline:g}"
    return text


def _iteration_options(iterations: int) -> list[int]:
    return sorted({*ITERATION_CHOICES, int(iterations)})


def _slider_max(pessimistic: float) -> float:
    return float(max(np.ceil(2 * pessimistic), 10))


def _task_label(task) -> str:
    name = task.name if task.name and task.name != task.id else ""
    return f"{task.id} – {name}" if name else task.id
