"""The certification chooser: your profile in, what you can sit now, what is missing, a roadmap out.

Thin by design: the controls build a :class:`~itpm_course.engine.certifications.CertProfile`,
:func:`~itpm_course.engine.certifications.certification_report` decides, and
:func:`~itpm_course.charts.certifications.certification_roadmap_chart` draws the roadmap.

Usage in a notebook::

    from itpm_course.widgets.certifications import certification_chooser
    certification_chooser()

For tests (no browser needed)::

    chooser = certification_chooser()
    chooser.education.value = "bachelor"
    chooser.experience_months.value = 36
    chooser.training_hours.value = 35
    chooser.eligible_ids, chooser.missing["pmi-acp"], chooser.path_ids, chooser.message
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from itpm_course.charts.certifications import certification_roadmap_chart, update_roadmap
from itpm_course.content import load_certifications
from itpm_course.engine.certifications import (
    EDUCATION_LEVELS,
    GOALS,
    CertProfile,
    certification_report,
)
from itpm_course.widgets._render import FigureRenderer

_NO_GOAL = "(no preference)"


class CertificationChooser(widgets.VBox):
    """Education, PM experience, training hours, a goal and held certificates in; the verdict out.

    Controls: ``education`` (Dropdown), ``experience_months`` (IntSlider, months leading projects,
    non-overlapping), ``training_hours`` (BoundedFloatText, contact hours of PM education),
    ``goal`` (Dropdown), ``active_certs`` (SelectMultiple of certification ids).
    Results: ``report`` (the engine's dict), ``eligible_ids``, ``missing`` (id -> reasons),
    ``path`` (the recommended steps), ``path_ids``, ``message`` and the outputs ``results``
    (HTML) and ``chart`` (PNG Image). A profile the engine refuses shows why and never raises.
    """

    def __init__(self, *, as_of: dt.date | None = None, dpi: int = 90) -> None:
        self.as_of = as_of
        self.dpi = dpi
        self.report: dict[str, Any] = {"eligible": [], "not_yet": [], "recommended_path": []}
        self.message = ""
        self.error: str | None = None
        catalogue = load_certifications()
        self._names = dict(zip(catalogue["id"], catalogue["short_name"], strict=True))
        style = {"description_width": "150px"}
        wide = widgets.Layout(width="420px")
        self.education = widgets.Dropdown(
            options=[lvl for lvl in EDUCATION_LEVELS if lvl != "none"] + ["none"],
            value="bachelor",
            description="Education",
            style=style,
            layout=wide,
        )
        self.experience_months = widgets.IntSlider(
            value=24,
            min=0,
            max=180,
            description="PM experience (months)",
            style=style,
            layout=wide,
            continuous_update=False,
        )
        self.training_hours = widgets.BoundedFloatText(
            value=0, min=0, max=500, step=1, description="PM training (hours)", style=style
        )
        self.goal = widgets.Dropdown(
            options=[_NO_GOAL, *GOALS], value=_NO_GOAL, description="Goal", style=style
        )
        self.active_certs = widgets.SelectMultiple(
            options=[(name, cid) for cid, name in self._names.items()],
            value=(),
            description="Certificates held",
            rows=6,
            style=style,
        )
        self.results = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self._figure = Figure(layout="constrained")
        self._renderer = FigureRenderer(self._figure, dpi=dpi, freeze_layout=True)
        self._drawn: list[tuple[str, int]] | None = None
        for control in (
            self.education,
            self.experience_months,
            self.training_hours,
            self.goal,
            self.active_certs,
        ):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [
                widgets.HBox(
                    [
                        widgets.VBox(
                            [self.education, self.experience_months, self.training_hours, self.goal]
                        ),
                        self.active_certs,
                    ]
                ),
                self.results,
                self.chart,
            ]
        )
        self.update()

    # -- derived results ---------------------------------------------------------------------
    @property
    def eligible_ids(self) -> list[str]:
        return [c["id"] for c in self.report["eligible"]]

    @property
    def missing(self) -> dict[str, list[str]]:
        return {c["id"]: list(c["missing"]) for c in self.report["not_yet"]}

    @property
    def path(self) -> list[dict[str, Any]]:
        return list(self.report["recommended_path"])

    @property
    def path_ids(self) -> list[str]:
        return [s["id"] for s in self.report["recommended_path"]]

    def profile(self) -> CertProfile:
        """Return the profile the controls describe (raises ValueError if the engine refuses it)."""
        goal = self.goal.value
        return CertProfile(
            education=self.education.value,
            pm_experience=int(self.experience_months.value),
            pm_training_hours=float(self.training_hours.value),
            goals=() if goal == _NO_GOAL else (goal,),
            active_certs=frozenset(self.active_certs.value),
            as_of=self.as_of,
        )

    def update(self) -> None:
        """Recompute the report from the controls and redraw."""
        try:
            self.report = certification_report(self.profile())
            self.error = None
        except ValueError as exc:
            self.error = f"Cannot check this profile: {exc}"
            self.message = self.error
            self.results.value = (
                '<div style="padding:4px 8px;border-left:4px solid #D55E00;background:#FFF4EC">'
                f"⚠ {html.escape(self.error)}</div>"
            )
            return
        self.message = summary_line(self.report, self._names)
        self.results.value = _report_html(self.report, self._names)
        self._draw()

    def _draw(self) -> None:
        """The same roadmap draws nothing; new months move the drawn one in place; other
        certifications redraw it (the figure's height follows the number of rows)."""
        path = self.path
        drawn = [(s["id"], s["when_months"]) for s in path]
        if drawn == self._drawn:
            return
        fig = self._figure
        if not (fig.axes and update_roadmap(fig.axes[0], path)):
            fig.clear()
            fig.set_size_inches(9.0, max(2.2, 0.6 * len(path) + 1.4))
            certification_roadmap_chart(path, ax=fig.add_subplot())
            self._renderer.relayout()
        self._drawn = drawn
        self.chart.value = self._renderer.png()


def certification_chooser(*, as_of: dt.date | None = None) -> CertificationChooser:
    """Return a certification chooser widget (see :class:`CertificationChooser`)."""
    return CertificationChooser(as_of=as_of)


def summary_line(report: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """Return one line: how many can be sat now, how many not yet, and the path."""
    names = names or {}
    now = [names.get(c["id"], c["id"]) for c in report["eligible"]]
    path = " → ".join(
        f"{names.get(s['id'], s['id'])} ({'now' if s['when_months'] == 0 else 'month ' + str(s['when_months'])})"
        for s in report["recommended_path"]
    )
    text = f"Eligible now: {', '.join(now) if now else 'none'}. Not yet: {len(report['not_yet'])}."
    if path:
        text += f" Suggested path: {path}."
    return text


def _report_html(report: dict[str, Any], names: dict[str, str]) -> str:
    esc = html.escape
    now = "".join(
        f"<li><b>{esc(names.get(c['id'], c['id']))}</b> — {esc(c['name'])}</li>"
        for c in report["eligible"]
    )
    later = "".join(
        f"<li><b>{esc(names.get(c['id'], c['id']))}</b>: "
        + "; ".join(esc(m) for m in c["missing"])
        + "</li>"
        for c in report["not_yet"]
    )
    path = "".join(
        f"<li>{esc(names.get(s['id'], s['id']))}: "
        f"{'now' if s['when_months'] == 0 else 'in about ' + str(s['when_months']) + ' months'}"
        f" <span style='color:#666'>({esc(s['reason'])})</span></li>"
        for s in report["recommended_path"]
    )
    return (
        "<div style='display:flex;gap:24px;flex-wrap:wrap'>"
        f"<div style='flex:1;min-width:260px'><h4>✔ You can sit now</h4><ul>{now or '<li>none yet</li>'}</ul>"
        f"<h4>➜ Recommended path</h4><ol>{path or '<li>nothing to add</li>'}</ol></div>"
        f"<div style='flex:1;min-width:320px'><h4>… Not yet, and what is missing</h4><ul>{later or '<li>nothing</li>'}</ul></div>"
        "</div>"
    )
