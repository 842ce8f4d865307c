"""People widgets: the power/interest grid, a RACI editor with live checks, a difficult-conversation
explorer (Thomas–Kilmann modes) and a walk through Tuckman's team stages.

Thin by design: controls are read, :mod:`itpm_course.engine.stakeholders` computes, and
:mod:`itpm_course.charts.stakeholders` draws. Each builder returns the widget; tests set a
control's ``value`` and read attributes such as ``quadrant``, ``findings`` or ``outcome``.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from itpm_course.charts.stakeholders import (
    power_interest_chart,
    raci_chart,
    update_power_interest,
    update_raci,
)
from itpm_course.content import people
from itpm_course.engine.stakeholders import (
    HIGH_FROM,
    MAX_SHARE,
    Finding,
    check_raci,
    quadrant,
    raci_summary,
    strategy,
)
from itpm_course.plan.stakeholders import RACI_VALUES, RaciMatrix, StakeholderRegister
from itpm_course.widgets._render import FigureRenderer

__all__ = [
    "ConversationExplorer",
    "RaciEditor",
    "StakeholderGrid",
    "TeamStages",
    "conversation_explorer",
    "raci_editor",
    "stakeholder_grid",
    "team_stages",
]


def _bullets(items) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(str(i))}</li>" for i in items) + "</ul>"


# ====================================================================== power/interest grid
class StakeholderGrid(widgets.VBox):
    """Pick a stakeholder and set their power and interest: the quadrant, the strategy and the
    grid follow.

    Attributes: ``register`` (current, with the changes), ``quadrant``, ``strategy``,
    ``message``; controls ``stakeholder`` (Dropdown), ``power``, ``interest`` (IntSliders),
    ``high_from`` (IntSlider: where "high" starts), ``reset`` (Button); outputs ``summary``
    (HTML) and ``chart`` (Image).
    """

    def __init__(self, register: StakeholderRegister, *, dpi: int = 80) -> None:
        if not len(register):
            raise ValueError("the register has no stakeholders")
        self.original = register
        self.register = register
        self.dpi = dpi
        self._syncing = False
        # One figure for the widget's life: laid out once, the markers move in place and only
        # they are drawn again (the grid, ticks and corner labels are kept as a background).
        self._figure = Figure(figsize=(8, 6.2), layout="constrained")
        self._renderer = FigureRenderer(self._figure, dpi=dpi, freeze_layout=True)
        first = register[0]
        self.stakeholder = widgets.Dropdown(
            options=[(f"{s.id}: {s.name}", s.id) for s in register],
            value=first.id,
            description="Stakeholder",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="340px"),
        )
        self.power = widgets.IntSlider(value=first.power, min=1, max=5, description="Power")
        self.interest = widgets.IntSlider(
            value=first.interest, min=1, max=5, description="Interest"
        )
        self.high_from = widgets.IntSlider(
            value=HIGH_FROM,
            min=2,
            max=5,
            description="High from",
            style={"description_width": "initial"},
        )
        self.reset = widgets.Button(description="Reset", icon="undo")
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.stakeholder.observe(self._on_pick, names="value")
        for control in (self.power, self.interest):
            control.observe(self._on_rating, names="value")
        self.high_from.observe(lambda _c: self._show(), names="value")
        self.reset.on_click(lambda _b: self.restore())
        super().__init__(
            [
                widgets.HBox([self.stakeholder, self.reset]),
                widgets.HBox([self.power, self.interest, self.high_from]),
                self.summary,
                self.chart,
            ]
        )
        self._show()

    @property
    def current(self):
        return self.register.get(self.stakeholder.value)

    def restore(self) -> None:
        """Back to the original register."""
        self.register = self.original
        self._sync()
        self._show()

    def _sync(self) -> None:
        self._syncing = True
        try:
            s = self.current
            self.power.value, self.interest.value = s.power, s.interest
        finally:
            self._syncing = False

    def _on_pick(self, _change) -> None:
        self._sync()
        self._show()

    def _on_rating(self, _change) -> None:
        if self._syncing:
            return
        self.register = self.register.with_stakeholder(
            self.stakeholder.value, power=int(self.power.value), interest=int(self.interest.value)
        )
        self._show()

    def _show(self) -> None:
        s = self.current
        self.quadrant = quadrant(s.power, s.interest, high_from=self.high_from.value)
        self.strategy = strategy(self.quadrant)
        self.message = (
            f"{s.name} ({s.role or s.id}): power {s.power}, interest {s.interest} → "
            f"{self.quadrant}. {self.strategy}"
        )
        self.summary.value = (
            f"<b>{html.escape(s.name)}</b> — power {s.power}, interest {s.interest} → "
            f"<b>{html.escape(self.quadrant)}</b><br>{html.escape(self.strategy)}"
        )
        self._draw(s.id)

    def _draw(self, highlight: str) -> None:
        fig, high_from = self._figure, self.high_from.value
        moving = None
        if fig.axes:
            moving = update_power_interest(
                fig.axes[0], self.register, high_from=high_from, highlight=highlight
            )
        if moving is None:
            fig.clear()
            power_interest_chart(
                self.register, high_from=high_from, highlight=highlight, ax=fig.add_subplot()
            )
            self._renderer.animate(None)
            self._renderer.relayout()  # new axes: lay them out
        else:
            self._renderer.animate(moving, keep_background=True)
        self.chart.value = self._renderer.png()


def stakeholder_grid(register: StakeholderRegister, *, dpi: int = 80) -> StakeholderGrid:
    """The power/interest grid widget for ``register``."""
    return StakeholderGrid(register, dpi=dpi)


# ============================================================================== RACI editor
class RaciEditor(widgets.VBox):
    """Pick a deliverable and a role and set the cell (``""``, R, A, C, I, AR): the checks and
    the table update at once.

    Attributes: ``raci`` (current), ``findings`` (list of :class:`Finding`), ``message``
    (summary line); controls ``deliverable``, ``role``, ``letters`` (Dropdowns),
    ``max_share`` (FloatSlider: the overload threshold), ``reset``; outputs ``summary`` (HTML),
    ``chart`` (Image).
    """

    def __init__(
        self,
        raci: RaciMatrix,
        register: StakeholderRegister | None = None,
        *,
        max_share: float = MAX_SHARE,
        dpi: int = 70,
    ) -> None:
        if not raci.deliverables or not raci.roles:
            raise ValueError("the RACI needs at least one deliverable and one role")
        self.original = raci
        self.raci = raci
        self.stakeholders = register
        self.dpi = dpi
        self._syncing = False
        # The table keeps its rows, columns and layout; a change recolours it in place.
        nd, nr = len(raci.deliverables), len(raci.roles)
        self._figure = Figure(
            figsize=(max(6, 0.62 * nr + 3.2), 0.36 * nd + 2.0), layout="constrained"
        )
        self._renderer = FigureRenderer(self._figure, dpi=dpi, freeze_layout=True)
        self.deliverable = widgets.Dropdown(
            options=[
                (f"{d}: {raci.names[d]}" if raci.names.get(d) else d, d) for d in raci.deliverables
            ],
            description="Deliverable",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="360px"),
        )
        self.role = widgets.Dropdown(options=list(raci.roles), description="Role")
        self.letters = widgets.Dropdown(
            options=[("(empty)", "")] + [(v, v) for v in RACI_VALUES if v],
            value=raci.cell(raci.deliverables[0], raci.roles[0]),
            description="Cell",
        )
        self.max_share = widgets.FloatSlider(
            value=max_share,
            min=0.1,
            max=1.0,
            step=0.05,
            description="Overload above",
            readout_format=".0%",
            style={"description_width": "initial"},
        )
        self.reset = widgets.Button(description="Reset", icon="undo")
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.deliverable.observe(self._on_pick, names="value")
        self.role.observe(self._on_pick, names="value")
        self.letters.observe(self._on_letters, names="value")
        self.max_share.observe(lambda _c: self._show(), names="value")
        self.reset.on_click(lambda _b: self.restore())
        super().__init__(
            [
                widgets.HBox([self.deliverable, self.role, self.letters]),
                widgets.HBox([self.max_share, self.reset]),
                self.summary,
                self.chart,
            ]
        )
        self._show()

    def set_cell(self, deliverable: str, role: str, letters: str) -> None:
        """Select a cell and set its letters (the same path as using the controls)."""
        self.deliverable.value = deliverable
        self.role.value = role
        self.letters.value = letters

    def restore(self) -> None:
        """Back to the original matrix."""
        self.raci = self.original
        self._on_pick(None)
        self._show()

    def _on_pick(self, _change) -> None:
        self._syncing = True
        try:
            self.letters.value = self.raci.cell(self.deliverable.value, self.role.value)
        finally:
            self._syncing = False

    def _on_letters(self, _change) -> None:
        if self._syncing:
            return
        self.raci = self.raci.with_cell(self.deliverable.value, self.role.value, self.letters.value)
        self._show()

    def _show(self) -> None:
        self.findings: list[Finding] = check_raci(
            self.raci, self.stakeholders, max_share=self.max_share.value
        )
        self.message = raci_summary(self.findings)
        colours = {"error": "#B00020", "warning": "#E65100", "info": "#1565C0"}
        items = "".join(
            f"<li><span style='color:{colours[f.severity]}'>{f.severity}</span> "
            f"<code>{f.code}</code> {html.escape(f.reason)}</li>"
            for f in self.findings
        )
        self.summary.value = f"<b>{html.escape(self.message)}</b>" + (
            f"<ul>{items}</ul>" if items else ""
        )
        fig = self._figure
        if not (fig.axes and update_raci(fig.axes[0], self.raci, self.findings)):
            fig.clear()
            raci_chart(self.raci, self.findings, ax=fig.add_subplot())
            self._renderer.relayout()  # new axes: lay them out
        self.chart.value = self._renderer.png()


def raci_editor(
    raci: RaciMatrix,
    register: StakeholderRegister | None = None,
    *,
    max_share: float = MAX_SHARE,
    dpi: int = 70,
) -> RaciEditor:
    """The RACI editor widget; with ``register``, roles missing from it are reported too."""
    return RaciEditor(raci, register, max_share=max_share, dpi=dpi)


# ================================================================= conversation explorer
class ConversationExplorer(widgets.VBox):
    """Pick a difficult-conversation scenario and a Thomas–Kilmann mode: see what happens and
    the advice.

    Attributes: ``scenario_data`` (the scenario dict), ``outcome`` (``{mode, consequence,
    advice, best}``); controls ``scenario`` (Dropdown) and ``mode`` (ToggleButtons); output
    ``text`` (HTML).
    """

    def __init__(self) -> None:
        self._scenarios = {s["id"]: s for s in people.load_scenarios()}
        self._modes = {m["id"]: m for m in people.load_conflict_modes().to_dict("records")}
        self.scenario = widgets.Dropdown(
            options=[(s["title"], sid) for sid, s in self._scenarios.items()],
            description="Scenario",
            layout=widgets.Layout(width="520px"),
        )
        self.mode = widgets.ToggleButtons(
            options=[(m["name"], mid) for mid, m in self._modes.items()],
            value=None,
            description="Your move",
        )
        self.situation = widgets.HTML()
        self.text = widgets.HTML()
        self.scenario.observe(self._on_scenario, names="value")
        self.mode.observe(lambda _c: self._show(), names="value")
        super().__init__([self.scenario, self.situation, self.mode, self.text])
        self._on_scenario(None)

    def _on_scenario(self, _change) -> None:
        self.scenario_data = self._scenarios[self.scenario.value]
        self.situation.value = f"<p>{html.escape(self.scenario_data['situation'])}</p>"
        self.mode.value = None
        self._show()

    def _show(self) -> None:
        mode = self.mode.value
        if mode is None:
            self.outcome = None
            self.text.value = "<i>Choose how you would handle it.</i>"
            return
        m = self._modes[mode]
        result = self.scenario_data["modes"][mode]
        best = self.scenario_data["best"]
        self.outcome = {"mode": mode, **result, "best": mode in best}
        verdict = (
            "A good choice here."
            if mode in best
            else f"An experienced PM would more likely choose {' or '.join(best)}."
        )
        self.text.value = (
            f"<p><b>{html.escape(m['name'])}</b> (assertiveness {m['assertiveness']}, "
            f"cooperativeness {m['cooperativeness']}; {html.escape(m['outcome'])})</p>"
            f"<p><b>What happens:</b> {html.escape(result['consequence'])}</p>"
            f"<p><b>Advice:</b> {html.escape(result['advice'])} <i>{html.escape(verdict)}</i></p>"
            f"<p><b>{html.escape(m['name'])} fits when:</b></p>{_bullets(m['when_to_use'])}"
        )


def conversation_explorer() -> ConversationExplorer:
    """The difficult-conversation explorer widget."""
    return ConversationExplorer()


# ============================================================================ team stages
class TeamStages(widgets.VBox):
    """Walk through Tuckman's stages with Back/Next or by picking one.

    Attributes: ``current`` (the stage dict); controls ``stage`` (ToggleButtons), ``back`` and
    ``next`` (Buttons); output ``text`` (HTML).
    """

    def __init__(self) -> None:
        self._stages = people.load_tuckman_stages().to_dict("records")
        ids = [s["id"] for s in self._stages]
        self.stage = widgets.ToggleButtons(
            options=[(s["name"], s["id"]) for s in self._stages], value=ids[0]
        )
        self.back = widgets.Button(description="Back", icon="arrow-left")
        self.next = widgets.Button(description="Next", icon="arrow-right")
        self.text = widgets.HTML()
        self.stage.observe(lambda _c: self._show(), names="value")
        self.back.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))
        super().__init__([self.stage, widgets.HBox([self.back, self.next]), self.text])
        self._show()

    def step(self, delta: int) -> None:
        """Move ``delta`` stages (clamped to the first and last)."""
        ids = [s["id"] for s in self._stages]
        k = min(max(ids.index(self.stage.value) + delta, 0), len(ids) - 1)
        self.stage.value = ids[k]

    def _show(self) -> None:
        self.current = next(s for s in self._stages if s["id"] == self.stage.value)
        s = self.current
        k = s["order"]
        self.back.disabled = k == 1
        self.next.disabled = k == len(self._stages)
        self.text.value = (
            f"<h4>{k}. {html.escape(s['name'])} — leadership style: {s['leadership_style']}</h4>"
            f"<p>{html.escape(s['what_happens'])}</p>"
            f"<p><b>Signs</b></p>{_bullets(s['signs'])}"
            f"<p><b>What the PM does</b></p>{_bullets(s['pm_does'])}"
        )


def team_stages() -> TeamStages:
    """The Tuckman team-stages walk-through widget."""
    return TeamStages()
