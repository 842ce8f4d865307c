"""Risk widgets: a live risk-register editor and a probability–impact heat map explorer.

Thin by design: the controls are read, the register model (:mod:`itpm_course.plan.risks`)
checks the edit, :func:`itpm_course.engine.risk.score_register` rescores the register and the
charts of :mod:`itpm_course.charts.risk` follow: drawn once, then moved in place
(:func:`~itpm_course.charts.risk.update_risk_heatmap`,
:func:`~itpm_course.charts.risk.update_emv_waterfall`) and drawn anew only when their structure
changes. Nothing here knows how a risk is scored.

Usage in a notebook::

    from itpm_course.data import sample_register
    from itpm_course.widgets.risk import risk_register_editor
    editor = risk_register_editor(sample_register("server_migration"))
    editor              # the last expression of a cell shows the widget

For tests (no browser needed)::

    editor.risk.value = "R02"
    editor.probability.value = 0.7
    editor.totals["threats_cost"], editor.contingency["cost"], editor.message

An edit the register rejects (a strategy that does not fit the kind, a negative cost, a
probability above 1) shows why, keeps the last good register and never raises.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
from typing import Any

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from itpm_course.charts.risk import (
    _tick_texts,
    emv_waterfall,
    risk_heatmap,
    update_emv_waterfall,
    update_risk_heatmap,
)
from itpm_course.engine.risk import (
    DEFAULT_MATRIX,
    ZONES,
    PIMatrix,
    contingency_reserve,
    score_register,
    total_emv,
)
from itpm_course.errors import PlanError
from itpm_course.plan.risks import OPPORTUNITY_STRATEGIES, THREAT_STRATEGIES, RiskRegister
from itpm_course.widgets._render import FigureRenderer

__all__ = [
    "HeatmapExplorer",
    "RiskRegisterEditor",
    "heatmap_explorer",
    "register_summary",
    "risk_register_editor",
]

# every strategy of both kinds, so a learner can also pick one that does not fit and learn why
ALL_STRATEGIES = tuple(dict.fromkeys(THREAT_STRATEGIES + OPPORTUNITY_STRATEGIES))
SAME = "same"  # residual impact rating: unchanged by the response
_ERROR_STYLE = "padding:4px 8px;border-left:4px solid #D55E00;background:#FFF4EC"
_OK_STYLE = "padding:4px 8px"
_PERCENT = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$")


def _threshold_slider(matrix: PIMatrix, value: float, description: str) -> widgets.FloatSlider:
    top = float(matrix.grid.max())
    step = 1.0 if matrix.decimals == 0 else 10.0 ** -(matrix.decimals or 2)
    return widgets.FloatSlider(
        value=value,
        min=0.0,
        max=top,
        step=step,
        description=description,
        readout_format=".0f" if matrix.decimals == 0 else ".2f",
        # applied on release: a redraw takes a few hundred ms and queued drags would lag
        continuous_update=False,
        style={"description_width": "110px"},
        layout=widgets.Layout(width="380px"),
    )


def register_summary(scored: pd.DataFrame) -> str:
    """One line for people: active risks by zone, EMV totals and the contingency reserve.

    Money is in the register's currency, days are working days.
    """
    matrix: PIMatrix = scored.attrs.get("pi_matrix", DEFAULT_MATRIX)
    active = scored[scored["active"]]
    zones = ", ".join(f"{int((active['zone'] == z).sum())} {z}" for z in ZONES[::-1])
    totals = total_emv(scored)
    reserve = contingency_reserve(scored)
    reserve_days = contingency_reserve(scored, basis="days")
    after = contingency_reserve(scored, residual=True)
    after_days = contingency_reserve(scored, basis="days", residual=True)
    return (
        f"{len(active)} active risks ({zones}; {matrix.name}). "
        f"EMV: threats {totals['threats_cost']:,.0f} ({totals['threats_days']:,.1f} days), "
        f"opportunities {totals['opportunities_cost']:+,.0f} "
        f"({totals['opportunities_days']:+,.1f} days). "
        f"Contingency reserve {reserve:,.0f} and {reserve_days:,.1f} working days; "
        f"after responses {after:,.0f} and {after_days:,.1f} days."
    )


def _table_html(top: pd.DataFrame) -> str:
    rows = []
    for rid, r in top.iterrows():
        cells = [
            str(r["rank"]),
            html.escape(str(rid)),
            html.escape(str(r["title"])),
            "threat" if r["kind"] == "threat" else "opportunity",
            f"{r['probability']:.0%}",
            "-" if math.isnan(r["impact_level"]) else f"{r['impact_level']:.0f}",
            "-" if math.isnan(r["score"]) else f"{r['score']:g}",
            html.escape(str(r["zone"])),
            "-" if math.isnan(r["emv_cost"]) else f"{r['emv_cost']:,.0f}",
            "-" if math.isnan(r["emv_days"]) else f"{r['emv_days']:,.1f}",
            html.escape(r["strategy"] or "-"),
            html.escape(r["owner"] or "-"),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ["#", "id", "risk", "kind", "P", "I", "score", "zone", "EMV money", "EMV days"]
    head += ["strategy", "owner"]
    return (
        "<table style='border-collapse:collapse;font-size:90%'><thead><tr>"
        + "".join(f"<th style='text-align:left;padding:2px 6px'>{h}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _parse_probability(text: str) -> float | None:
    """A residual probability typed as ``0.1``, ``10%`` or blank (None: unchanged)."""
    text = text.strip()
    if not text:
        return None
    match = _PERCENT.match(text)
    if match:
        return float(match.group(1)) / 100
    try:
        return float(text)
    except ValueError:
        raise ValueError(
            f"residual probability {text!r} is not a number; type e.g. 0.1 or 10%, "
            "or leave it empty"
        ) from None


# ------------------------------------------------------------------------------ the editor
class RiskRegisterEditor(widgets.VBox):
    """Pick a risk, edit it; the heat map, the top-risk table and the EMV totals follow.

    Attributes for notebooks and tests:

    * ``register``: the current :class:`RiskRegister` (the original with the edits so far);
    * ``matrix``: the current :class:`PIMatrix` (its zone thresholds follow the sliders);
    * ``scored``: the scored register (:func:`score_register`), ``top``: its first ``top_n``
      rows; ``totals``: :func:`total_emv`; ``contingency``: the reserve in money and days,
      before (``cost``, ``days``) and after responses (``residual_cost``, ``residual_days``);
    * ``message``: the summary line, or a friendly error when the last edit was refused;
      ``error``: that error (None when the last edit was applied);
    * controls ``risk`` (Dropdown), ``probability`` (slider 0–1), ``impact`` (slider 1–5),
      ``days`` and ``cost`` (FloatText), ``strategy`` (Dropdown, every strategy of both
      kinds), ``owner`` (Text), ``residual_probability`` (Text: blank, 0.1 or 10%),
      ``residual_impact`` (Dropdown: ``"same"`` or 1–5), ``medium`` and ``high`` (zone
      threshold sliders), ``residual_view`` (Checkbox: heat map after responses),
      ``reset`` (Button); outputs ``summary`` and ``table`` (HTML), ``heatmap`` and
      ``waterfall`` (Image, PNG).
    """

    def __init__(
        self,
        register: RiskRegister,
        matrix: PIMatrix | None = None,
        *,
        top_n: int = 5,
        dpi: int = 72,
    ) -> None:
        if not isinstance(register, RiskRegister) or not len(register):
            raise TypeError("risk_register_editor needs a RiskRegister with at least one risk")
        self.original = register
        self.register = register
        self.original_matrix = matrix or DEFAULT_MATRIX
        self.matrix = self.original_matrix
        self.top_n = top_n
        self.dpi = dpi
        self.message = ""
        self.error: str | None = None
        self._syncing = False
        # one figure per chart for the widget's life, laid out once (again only when the
        # labels around the axes change); a redraw refills the same axes
        self._heat = FigureRenderer(
            Figure(figsize=(8.0, 5.2), layout="constrained"), dpi=dpi, freeze_layout=True
        )
        self._emv = FigureRenderer(
            Figure(figsize=(8.0, 3.6), layout="constrained"), dpi=dpi, freeze_layout=True
        )
        self._drawn: dict[str, Any] = {}
        self._score()

        wide = {"description_width": "110px"}
        first = register[0]
        self.risk = widgets.Dropdown(
            options=[(f"{r.id} – {r.title}", r.id) for r in register],
            value=first.id,
            description="Risk",
            style=wide,
            layout=widgets.Layout(width="520px"),
        )
        self.probability = widgets.FloatSlider(
            value=first.probability,
            min=0.0,
            max=1.0,
            step=0.05,
            description="Probability",
            readout_format=".0%",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="380px"),
        )
        self.impact = widgets.IntSlider(
            value=first.impact_rating or 1,
            min=1,
            max=self.matrix.n_impact,
            description="Impact rating",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="380px"),
        )
        self.days = widgets.FloatText(
            value=first.impact_days or 0.0,
            description="Impact days",
            style=wide,
            layout=widgets.Layout(width="250px"),
        )
        self.cost = widgets.FloatText(
            value=first.impact_cost or 0.0,
            description="Impact money",
            style=wide,
            layout=widgets.Layout(width="250px"),
        )
        self.strategy = widgets.Dropdown(
            options=[("(none)", None), *((s, s) for s in ALL_STRATEGIES)],
            value=first.strategy,
            description="Strategy",
            style=wide,
            layout=widgets.Layout(width="250px"),
        )
        self.owner = widgets.Text(
            value=first.owner or "",
            description="Owner",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="380px"),
        )
        self.residual_probability = widgets.Text(
            value="",
            description="Residual P",
            placeholder="blank = unchanged, e.g. 10%",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="380px"),
        )
        self.residual_impact = widgets.Dropdown(
            options=[("same", SAME), *((str(k), k) for k in range(1, self.matrix.n_impact + 1))],
            value=SAME,
            description="Residual I",
            style=wide,
            layout=widgets.Layout(width="250px"),
        )
        self.medium = _threshold_slider(self.matrix, self.matrix.medium, "Medium from")
        self.high = _threshold_slider(self.matrix, self.matrix.high, "High from")
        self.residual_view = widgets.Checkbox(value=False, description="Heat map after responses")
        self.reset = widgets.Button(
            description="Reset", icon="undo", tooltip="Back to the original register"
        )
        self.summary = widgets.HTML()
        self.table = widgets.HTML()
        self.heatmap = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.waterfall = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))

        edits = {
            self.probability: "probability",
            self.impact: "impact_rating",
            self.days: "impact_days",
            self.cost: "impact_cost",
            self.strategy: "strategy",
            self.owner: "owner",
            self.residual_probability: "residual_probability",
            self.residual_impact: "residual_impact_rating",
        }
        for control, name in edits.items():
            control.observe(self._on_edit(name), names="value")
        self.risk.observe(self._on_risk, names="value")
        self.medium.observe(self._on_threshold, names="value")
        self.high.observe(self._on_threshold, names="value")
        self.residual_view.observe(lambda _change: self._show(), names="value")
        self.reset.on_click(lambda _button: self.restore())

        super().__init__(
            [
                self.risk,
                widgets.HBox(
                    [
                        widgets.VBox(
                            [self.probability, self.impact, self.owner, self.residual_probability]
                        ),
                        widgets.VBox([self.days, self.cost, self.strategy, self.residual_impact]),
                    ]
                ),
                widgets.HBox([widgets.VBox([self.medium, self.high]), self.residual_view]),
                widgets.HBox([self.reset]),
                self.summary,
                self.heatmap,
                self.table,
                self.waterfall,
            ]
        )
        self._sync_controls()
        self._show()

    # -- actions ------------------------------------------------------------------------------
    @property
    def selected(self):
        """The selected risk, as it is now."""
        return self.register.get(self.risk.value)

    def edit(self, **changes: Any) -> bool:
        """Change fields of the selected risk (e.g. ``probability=0.5``); True when applied.

        A change the register rejects is refused with a friendly ``message``; the last good
        register stays.
        """
        risk = self.selected
        if "probability" in changes:
            # the cell follows the new probability, not a rating typed in earlier
            changes.setdefault("probability_rating", None)
        try:
            new = dataclasses.replace(risk, **changes)
            register = RiskRegister(
                [new if r.id == risk.id else r for r in self.register], name=self.register.name
            )
        except PlanError as exc:
            reasons = "; ".join(p.reason for p in exc.problems)
            self._refuse(f"{risk.id} not changed: {reasons}.")
            return False
        except (TypeError, ValueError) as exc:
            self._refuse(f"{risk.id} not changed: {exc}.")
            return False
        self.register = register
        self.error = None
        self._score()
        self._show()
        return True

    def set_thresholds(self, medium: float, high: float) -> bool:
        """Use new zone thresholds (scores from ``medium`` are medium, from ``high`` high)."""
        digits = 6 if self.matrix.decimals is None else self.matrix.decimals + 2
        try:
            matrix = dataclasses.replace(
                self.matrix, medium=round(float(medium), digits), high=round(float(high), digits)
            )
        except ValueError as exc:
            self._refuse(f"Zones not changed: {exc}.")
            return False
        self.matrix = matrix
        self.error = None
        self._score()
        self._show()
        return True

    def restore(self) -> None:
        """Back to the original register and matrix; the controls show the selected risk."""
        self.register = self.original
        self.matrix = self.original_matrix
        self.error = None
        self._syncing = True
        try:
            self.medium.value = self.matrix.medium
            self.high.value = self.matrix.high
        finally:
            self._syncing = False
        self._score()
        self._sync_controls()
        self._show()

    # -- observers ----------------------------------------------------------------------------
    def _on_edit(self, name: str):
        def handler(change) -> None:
            if self._syncing:
                return
            value = change["new"]
            if name == "owner":
                value = value.strip() or None
            elif name == "residual_impact_rating":
                value = None if value == SAME else int(value)
            elif name == "residual_probability":
                try:
                    value = _parse_probability(value)
                except ValueError as exc:
                    self._refuse(f"{self.risk.value} not changed: {exc}.")
                    return
            elif name in ("impact_days", "impact_cost"):
                value = float(value)
                original = getattr(self.selected, name)
                if value == 0 and original is None:
                    value = None  # 0 in an empty box means "no impact of this kind"
            elif name == "probability":
                value = round(float(value), 6)  # slider steps such as 0.35000000000000003
            self.edit(**{name: value})

        return handler

    def _on_risk(self, change) -> None:
        if self._syncing:
            return
        self.error = None
        self._sync_controls()
        self._show(redraw=False)

    def _on_threshold(self, change) -> None:
        if not self._syncing:
            self.set_thresholds(self.medium.value, self.high.value)

    # -- internals ----------------------------------------------------------------------------
    def _score(self) -> None:
        self.scored = score_register(self.register, self.matrix)
        self.top = self.scored.head(self.top_n)
        self.totals = total_emv(self.scored)
        self.contingency = {
            "cost": contingency_reserve(self.scored),
            "days": contingency_reserve(self.scored, basis="days"),
            "residual_cost": contingency_reserve(self.scored, residual=True),
            "residual_days": contingency_reserve(self.scored, basis="days", residual=True),
        }

    def _refuse(self, text: str) -> None:
        self.error = f"{text} Still showing the last valid register."
        self._show(redraw=False)

    def _sync_controls(self) -> None:
        """Point the controls at the selected risk, without triggering edits."""
        risk = self.selected
        self._syncing = True
        try:
            self.probability.value = risk.probability
            self.impact.value = risk.impact_rating or 1
            self.days.value = risk.impact_days or 0.0
            self.cost.value = risk.impact_cost or 0.0
            self.strategy.value = risk.strategy if risk.strategy in ALL_STRATEGIES else None
            self.owner.value = risk.owner or ""
            rp = risk.residual_probability
            self.residual_probability.value = "" if rp is None else f"{rp:g}"
            ri = risk.residual_impact_rating
            self.residual_impact.value = SAME if ri is None else ri
        finally:
            self._syncing = False

    def _show(self, redraw: bool = True) -> None:
        if self.error:
            self.message = self.error
            self.summary.value = f'<div style="{_ERROR_STYLE}">⚠ {html.escape(self.message)}</div>'
        else:
            self.message = register_summary(self.scored)
            self.summary.value = f'<div style="{_OK_STYLE}">{html.escape(self.message)}</div>'
        if redraw:
            self.table.value = (
                f"<b>Top {min(self.top_n, len(self.scored))} risks</b>" + _table_html(self.top)
            )
            self._draw()

    def _draw(self) -> None:
        """Draw a chart again only when what it shows changed."""
        residual = self.residual_view.value
        prefix = "residual_" if residual else ""
        shown = self.scored[self.scored["active"]]
        heat_key = (
            self.matrix,
            residual,
            tuple(shown.index),
            tuple(shown["kind"]),
            tuple(shown[prefix + "probability_level"].fillna(0)),
            tuple(shown[prefix + "impact_level"].fillna(0)),
        )
        if heat_key != self._drawn.get("heat"):
            self.heatmap.value = _heatmap_frame(
                self._heat, self.scored, self.matrix, residual, self._drawn.get("heat_matrix")
            )
            self._drawn["heat"] = heat_key
            self._drawn["heat_matrix"] = self.matrix
        emv_key = (residual, tuple(shown.index), tuple(shown[prefix + "emv_cost"].fillna(0)))
        if emv_key != self._drawn.get("emv"):
            self.waterfall.value = _waterfall_frame(self._emv, self.scored, residual)
            self._drawn["emv"] = emv_key


def _heatmap_frame(
    renderer: FigureRenderer,
    scored: pd.DataFrame,
    matrix: PIMatrix,
    residual: bool,
    drawn: PIMatrix | None,
) -> bytes:
    """The heat map's next frame: the drawn chart moved in place (only the ids and titles are
    drawn again while the zones stay), or drawn anew when that cannot be done."""
    axes = renderer.figure.axes
    moving = None
    if axes:
        moving = update_risk_heatmap(axes[0], scored, matrix=matrix, residual=residual)
    if moving is None:
        return renderer.redraw(
            lambda ax: risk_heatmap(scored, matrix=matrix, residual=residual, ax=ax)
        )
    # the cells are background: drawn again when the zone thresholds change their colours
    renderer.animate(moving, keep_background=matrix == drawn)
    return renderer.png()


def _waterfall_frame(renderer: FigureRenderer, scored: pd.DataFrame, residual: bool) -> bytes:
    """The waterfall's next frame: the drawn chart moved in place, or drawn anew."""
    axes = renderer.figure.axes
    moving = None
    if axes:
        ticks = _tick_texts(axes[0].xaxis)
        moving = update_emv_waterfall(axes[0], scored, residual=residual)
    if moving is None:
        return renderer.redraw(lambda ax: emv_waterfall(scored, residual=residual, ax=ax))
    # the ids under the bars are background: drawn again when their order changes
    same = _tick_texts(axes[0].xaxis) == ticks
    renderer.animate(moving, keep_background=same)
    return renderer.png()


def risk_register_editor(
    register: RiskRegister, matrix: PIMatrix | None = None, *, top_n: int = 5
) -> RiskRegisterEditor:
    """A live register editor for ``register`` scored on ``matrix`` (PMBOK's by default)."""
    return RiskRegisterEditor(register, matrix, top_n=top_n)


# --------------------------------------------------------------------- the heat map explorer
MATRICES = {"pmbok": PIMatrix.pmbok, "ordinal": PIMatrix.ordinal}


class HeatmapExplorer(widgets.VBox):
    """Switch between the PMBOK and the ordinal matrix and move the zone thresholds.

    Shows how the same register lands in different zones when only the organisation's
    conventions change. Attributes: controls ``matrix_kind`` (Dropdown ``"pmbok"`` /
    ``"ordinal"``), ``medium``, ``high`` (sliders), ``residual_view`` (Checkbox); results
    ``matrix``, ``scored``, ``zone_counts`` (active risks per zone), ``message``, ``error``;
    outputs ``summary`` (HTML) and ``heatmap`` (Image, PNG).
    """

    def __init__(self, register: RiskRegister, *, dpi: int = 72) -> None:
        if not isinstance(register, RiskRegister) or not len(register):
            raise TypeError("heatmap_explorer needs a RiskRegister with at least one risk")
        self.register = register
        self.dpi = dpi
        self.error: str | None = None
        self.message = ""
        self._syncing = False
        self._renderer = FigureRenderer(
            Figure(figsize=(8.0, 5.2), layout="constrained"), dpi=dpi, freeze_layout=True
        )
        self._drawn: PIMatrix | None = None  # the matrix of the drawn heat map's cells
        self.matrix = PIMatrix.pmbok()
        self.matrix_kind = widgets.Dropdown(
            options=[("PMBOK 0.1–0.9 × 0.05–0.80", "pmbok"), ("ordinal 1–5 × 1–5", "ordinal")],
            value="pmbok",
            description="Matrix",
            layout=widgets.Layout(width="380px"),
        )
        self.medium = _threshold_slider(self.matrix, self.matrix.medium, "Medium from")
        self.high = _threshold_slider(self.matrix, self.matrix.high, "High from")
        self.residual_view = widgets.Checkbox(value=False, description="After responses")
        self.summary = widgets.HTML()
        self.heatmap = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.matrix_kind.observe(self._on_kind, names="value")
        for control in (self.medium, self.high, self.residual_view):
            control.observe(self._on_change, names="value")
        super().__init__(
            [
                widgets.HBox([self.matrix_kind, self.residual_view]),
                widgets.HBox([self.medium, self.high]),
                self.summary,
                self.heatmap,
            ]
        )
        self._update()

    def _on_kind(self, change) -> None:
        matrix = MATRICES[change["new"]]()
        self._syncing = True
        try:
            for slider, value in ((self.medium, matrix.medium), (self.high, matrix.high)):
                fresh = _threshold_slider(matrix, value, slider.description)
                # widen first so the new value always fits, then narrow
                slider.max = max(slider.max, fresh.max)
                slider.step = fresh.step
                slider.readout_format = fresh.readout_format
                slider.value = value
                slider.max = fresh.max
        finally:
            self._syncing = False
        self.matrix = matrix
        self.error = None
        self._update()

    def _on_change(self, change) -> None:
        if self._syncing:
            return
        try:
            self.matrix = dataclasses.replace(
                self.matrix,
                medium=round(float(self.medium.value), 6),
                high=round(float(self.high.value), 6),
            )
        except ValueError as exc:
            self.error = f"Zones not changed: {exc}. Still showing the last valid zones."
            self._show(redraw=False)
            return
        self.error = None
        self._update()

    def _update(self) -> None:
        self.scored = score_register(self.register, self.matrix)
        active = self.scored[self.scored["active"]]
        column = "residual_zone" if self.residual_view.value else "zone"
        self.zone_counts = {z: int((active[column] == z).sum()) for z in ZONES[::-1]}
        self._show()

    def _show(self, redraw: bool = True) -> None:
        if self.error:
            self.message = self.error
            self.summary.value = f'<div style="{_ERROR_STYLE}">⚠ {html.escape(self.message)}</div>'
            return
        counts = ", ".join(f"{n} {z}" for z, n in self.zone_counts.items())
        fmt = "{:g}"
        self.message = (
            f"{self.matrix.name}: medium from {fmt.format(self.matrix.medium)}, high from "
            f"{fmt.format(self.matrix.high)} → active risks: {counts}"
        )
        self.summary.value = f'<div style="{_OK_STYLE}">{html.escape(self.message)}</div>'
        if redraw:
            self.heatmap.value = _heatmap_frame(
                self._renderer, self.scored, self.matrix, self.residual_view.value, self._drawn
            )
            self._drawn = self.matrix


def heatmap_explorer(register: RiskRegister) -> HeatmapExplorer:
    """A heat map explorer for ``register`` (see :class:`HeatmapExplorer`)."""
    return HeatmapExplorer(register)
