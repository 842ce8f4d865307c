"""Career widgets: a role explorer, a career-path planner and a skills self-assessment.

Thin by design: each reads its controls, calls the career or skills engine and draws a chart
from :mod:`itpm_course.charts.career`. Each is built by a function that returns the widget, with
its controls and results as attributes, so tests drive it without a browser::

    planner = career_planner()
    planner.years_it.value = 5
    planner.years_pm.value = 2
    planner.report["stage"]["stage"], planner.message

Bad input never raises: the widget shows a friendly message and keeps its last good result.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from itpm_course.charts.career import (
    career_timeline_chart,
    skills_gap_chart,
    update_career_timeline,
    update_skills_gap,
)
from itpm_course.content import (
    STAGE_IDS,
    load_daily_responsibilities,
    load_skill_targets,
    load_skills_by_stage,
    load_specialised_roles,
    load_stages,
    load_titles,
)
from itpm_course.engine.career import BACKGROUNDS, CareerProfile, career_report
from itpm_course.engine.skills import RATING_MAX, RATING_MIN, assess_skills, development_plan
from itpm_course.widgets._render import FigureRenderer

__all__ = [
    "CareerPlanner",
    "RoleExplorer",
    "SkillsAssessment",
    "career_planner",
    "role_explorer",
    "skills_assessment",
]

BACKGROUND_LABELS = {
    "it": "IT (support, analyst, developer)",
    "other_pm_discipline": "PM in another field",
    "subject_matter_expert": "Technical specialist",
    "agile_roles": "Scrum Master / Product Owner",
    "self_directed": "Self-taught (courses, bootcamps)",
}
LEVEL_NAMES = {"entry": "Entry-level", "mid": "Mid-level", "senior": "Senior"}
_ERROR_STYLE = "padding:4px 8px;border-left:4px solid #D55E00;background:#FFF4EC"


def _ul(items) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(str(i))}</li>" for i in items) + "</ul>"


# --------------------------------------------------------------------------- role explorer
class RoleExplorer(widgets.VBox):
    """Pick a career level or a specialised role; see its focus, daily work and typical titles.

    Attributes: ``role`` (Dropdown; values ``level:entry`` … ``role:erp``), ``details`` (HTML)
    and ``result``: a dict with ``kind`` (level/specialised), ``name``, ``summary``,
    ``responsibilities``, ``titles`` and ``focus_skills`` (lists of text).
    """

    def __init__(self) -> None:
        daily = load_daily_responsibilities()
        roles = load_specialised_roles()
        options = [(f"{LEVEL_NAMES[lv]} IT PM", f"level:{lv}") for lv in daily["level"].unique()]
        options += [
            (name, f"role:{rid}") for rid, name in zip(roles["id"], roles["name"], strict=True)
        ]
        self.role = widgets.Dropdown(
            options=options,
            value=options[0][1],
            description="Role",
            layout=widgets.Layout(width="420px"),
        )
        self.details = widgets.HTML()
        self.result: dict[str, Any] = {}
        self.role.observe(lambda _change: self._show(), names="value")
        super().__init__([self.role, self.details])
        self._show()

    def describe(self, key: str) -> dict[str, Any]:
        """The facts shown for ``key`` (``level:<entry|mid|senior>`` or ``role:<id>``)."""
        kind, _, ident = key.partition(":")
        if kind == "level":
            daily = load_daily_responsibilities()
            rows = daily[daily["level"] == ident]
            titles = load_titles()
            focus = load_skills_by_stage()
            return {
                "kind": "level",
                "name": f"{LEVEL_NAMES[ident]} IT project manager",
                "summary": str(rows["level_summary"].iloc[0]),
                "responsibilities": rows["text"].tolist(),
                "titles": titles.loc[titles["level"] == ident, "title"].tolist(),
                "focus_skills": focus.loc[focus["stage"] == ident, "skill"].tolist(),
            }
        roles = load_specialised_roles().set_index("id")
        row = roles.loc[ident]
        return {
            "kind": "specialised",
            "name": str(row["name"]),
            "summary": str(row["focus"]),
            "responsibilities": list(row["typical_work"]),
            "titles": [str(row["name"])],
            "focus_skills": [],
        }

    def _show(self) -> None:
        self.result = self.describe(self.role.value)
        r = self.result
        if r["kind"] == "level":
            body = (
                f"<h4>{html.escape(r['name'])}: {html.escape(r['summary'].lower())}</h4>"
                f"<b>Day-to-day work</b>{_ul(r['responsibilities'])}"
                f"<b>Typical titles</b>{_ul(r['titles'])}"
                f"<b>Skills to focus on at this level</b>{_ul(r['focus_skills'])}"
            )
        else:
            body = (
                f"<h4>{html.escape(r['name'])}</h4>"
                f"<p><b>Focus:</b> {html.escape(r['summary'])}</p>"
                f"<b>Typical work</b>{_ul(r['responsibilities'])}"
                "<p>A specialisation sits on top of the general role: the core responsibilities "
                "stay the same; the domain changes.</p>"
            )
        self.details.value = body


def role_explorer() -> RoleExplorer:
    """A role explorer (see :class:`RoleExplorer`)."""
    return RoleExplorer()


# --------------------------------------------------------------------------- career planner
class CareerPlanner(widgets.VBox):
    """Years in IT and in PM, current title and background in; stage, next titles, gaps and a chart out.

    Controls: ``years_it``, ``years_pm`` (BoundedFloatText), ``title`` (Combobox, free text
    allowed, empty = no title), ``background`` (Dropdown), ``degree`` (Checkbox: a relevant
    degree). Results: ``profile``, ``report`` (the dict from ``career_report``), ``message`` (a
    plain-text summary, or the reason the input was refused), ``error``, ``summary`` (HTML) and
    ``chart`` (Image, PNG).
    """

    def __init__(self, *, dpi: int = 80) -> None:
        self.dpi = dpi
        self.profile: CareerProfile | None = None
        self.report: dict[str, Any] = {}
        self.message = ""
        self.error: str | None = None
        self.note: str | None = None
        style = {"description_width": "140px"}
        self.years_it = widgets.BoundedFloatText(
            value=1.0, min=0, max=60, step=0.5, description="Years in IT", style=style
        )
        self.years_pm = widgets.BoundedFloatText(
            value=0.0, min=0, max=60, step=0.5, description="Years in PM roles", style=style
        )
        titles = load_titles()["title"].tolist()
        roles = [r for rs in load_stages()["typical_roles"] for r in rs if r not in titles]
        self.title = widgets.Combobox(
            value="",
            options=roles + titles,
            placeholder="e.g. IT Project Coordinator (optional)",
            description="Current title",
            ensure_option=False,
            continuous_update=False,
            style=style,
            layout=widgets.Layout(width="460px"),
        )
        self.background = widgets.Dropdown(
            options=[(BACKGROUND_LABELS[b], b) for b in BACKGROUNDS],
            value="it",
            description="Background",
            style=style,
            layout=widgets.Layout(width="460px"),
        )
        self.degree = widgets.Checkbox(value=False, description="Relevant degree (IT, CS, MIS)")
        self.summary = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        # One figure, laid out once; an update moves the markers and frames in place.
        self._figure = Figure(figsize=(9.5, 3.6), layout="constrained")
        self._renderer = FigureRenderer(self._figure, dpi=dpi, freeze_layout=True)
        self._stage: str | None = None
        for control in (self.years_it, self.years_pm, self.title, self.background, self.degree):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [
                widgets.HBox([self.years_it, self.years_pm]),
                self.title,
                widgets.HBox([self.background, self.degree]),
                self.summary,
                self.chart,
            ]
        )
        self.update()

    def update(self) -> None:
        """Read the controls, recompute the report and redraw; refuse bad input politely."""
        title = (self.title.value or "").strip() or None
        try:
            profile = CareerProfile(
                years_it=float(self.years_it.value),
                years_pm=float(self.years_pm.value),
                current_title=title,
                background=self.background.value,
                relevant_degree=bool(self.degree.value),
            )
            report = career_report(profile)
        except ValueError as exc:
            self.error = f"Could not plan with these inputs: {exc}."
            if self.report:
                self.error += " Still showing the last valid plan."
            self.message = self.error
            self.summary.value = f'<div style="{_ERROR_STYLE}">⚠ {html.escape(self.error)}</div>'
            return
        self.profile, self.report, self.error = profile, report, None
        self.note = None
        if profile.years_pm > profile.years_it and profile.background == "it":
            self.note = (
                "You have more years in PM roles than in IT. If that PM work was outside IT, "
                "choose the background 'PM in another field'."
            )
        self.message = plan_summary(report) + (f"\nNote: {self.note}" if self.note else "")
        self.summary.value = _planner_html(report) + (
            f"<p><i>Note: {html.escape(self.note)}</i></p>" if self.note else ""
        )
        self._draw(report, profile.years_it)

    def _draw(self, report: dict[str, Any], years_it: float) -> None:
        fig = self._figure
        moving = None
        if fig.axes:
            moving = update_career_timeline(fig.axes[0], report, years_it=years_it)
        if moving is None:  # first frame, or the years axis grows: draw it again
            fig.clear()
            career_timeline_chart(report, years_it=years_it, ax=fig.add_subplot())
            self._renderer.animate(None)
            self._renderer.relayout()  # new axes: lay them out
        else:  # the markers and legend move; the stages are redrawn when the stage changes
            stage = report["stage"]["stage"]
            self._renderer.animate(moving, keep_background=stage == self._stage)
        self._stage = report["stage"]["stage"]
        self.chart.value = self._renderer.png()


def plan_summary(report: Mapping[str, Any]) -> str:
    """A plain-text summary of a ``career_report``: stage, next titles, gaps, time to the first PM role."""
    stage, nxt, tl = report["stage"], report["next"], report["timeline"]
    lines = [f"Stage: {stage['stage_name']} (decided by your {stage['basis']})"]
    if nxt["next_stage"]:
        names = load_stages().set_index("id")["name"]
        lines.append(f"Next stage: {names[nxt['next_stage']]}")
    lines.append("Next titles: " + ", ".join(nxt["next_titles"]))
    if nxt["skills_to_build"]:
        lines.append("Skills to build: " + ", ".join(nxt["skills_to_build"]))
    if nxt["years_to_next"] > 0:
        lines.append(f"Experience still needed: about {_years(nxt['years_to_next'])}")
    if tl["reached"]:
        lines.append("First IT Project Manager role: reached")
    else:
        lines.append(
            f"First IT Project Manager role: about {_years(tl['remaining_years'])} more "
            f"(course model: {tl['expected_years']} years from the start of an IT career)"
        )
    return "\n".join(lines)


def _years(n: float) -> str:
    return f"{n:g} year" + ("" if n == 1 else "s")


def _planner_html(report: Mapping[str, Any]) -> str:
    stage, nxt, tl = report["stage"], report["next"], report["timeline"]
    parts = [
        f"<h4>You are at the <b>{html.escape(stage['stage_name'])}</b> stage</h4>",
        "<b>Why</b>" + _ul(stage["reasons"]),
        "<b>Titles to aim for next</b>" + _ul(nxt["next_titles"]),
    ]
    if nxt["actions"]:
        parts.append("<b>What separates you from the next stage</b>" + _ul(nxt["actions"]))
    if not tl["reached"] and tl["suggestions"]:
        parts.append("<b>Ways to get there faster</b>" + _ul(tl["suggestions"][:3]))
    return "".join(parts)


def career_planner() -> CareerPlanner:
    """A career-path planner (see :class:`CareerPlanner`)."""
    return CareerPlanner()


# --------------------------------------------------------------------------- skills
class SkillsAssessment(widgets.VBox):
    """Rate yourself 0-5 on each skill, pick a target stage; see your gaps and a development plan.

    Controls: ``target`` (Dropdown of stages), ``sliders`` (dict skill id → IntSlider), ``top``
    (IntSlider: rows in the chart), ``plan_size`` (IntSlider: items in the plan). Results:
    ``assessment`` (DataFrame from ``assess_skills``), ``plan`` (list from ``development_plan``),
    ``message``, ``summary`` and ``plan_view`` (HTML), ``chart`` (Image, PNG).
    Use :meth:`set_ratings` to set many sliders at once (one recomputation).
    """

    def __init__(
        self, ratings: Mapping[str, int] | None = None, *, target: str = "entry", dpi: int = 80
    ):
        self.dpi = dpi
        self.message = ""
        self.error: str | None = None
        self.plan: list[dict[str, object]] = []
        self._batch = False
        skills = load_skill_targets()
        stages = load_stages().set_index("id")["name"]
        if target not in STAGE_IDS:
            raise ValueError(f"target: must be one of {', '.join(STAGE_IDS)}; got {target!r}")
        self.target = widgets.Dropdown(
            options=[(str(stages[s]), s) for s in STAGE_IDS],
            value=target,
            description="Target stage",
            style={"description_width": "initial"},
        )
        self.top = widgets.IntSlider(
            value=12, min=5, max=len(skills), description="Skills shown", continuous_update=False
        )
        self.plan_size = widgets.IntSlider(
            value=5, min=1, max=10, description="Plan items", continuous_update=False
        )
        self.sliders: dict[str, widgets.IntSlider] = {}
        groups = []
        group_names = {
            "technical": "Technical",
            "competency": "Core competencies",
            "soft": "Soft skills",
            "stage": "Stage skills",
        }
        for group, rows in skills.groupby("group", sort=False):
            boxes = []
            for row in rows.itertuples():
                slider = widgets.IntSlider(
                    value=0,
                    min=RATING_MIN,
                    max=RATING_MAX,
                    description=row.name,
                    continuous_update=False,
                    style={"description_width": "300px"},
                    layout=widgets.Layout(width="520px"),
                )
                self.sliders[row.skill_id] = slider
                boxes.append(slider)
            groups.append((group_names.get(group, str(group)), widgets.VBox(boxes)))
        self.ratings_panel = widgets.Accordion(children=[box for _, box in groups])
        for k, (name, _) in enumerate(groups):
            self.ratings_panel.set_title(k, name)
        self.summary = widgets.HTML()
        self.plan_view = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        for control in (self.target, self.top, self.plan_size, *self.sliders.values()):
            control.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [
                widgets.HTML(
                    "<i>0 none · 1 aware of it · 2 can do it with help · 3 on my own · "
                    "4 can lead and coach it · 5 recognised expert</i>"
                ),
                self.ratings_panel,
                widgets.HBox([self.target, self.top, self.plan_size]),
                self.summary,
                self.chart,
                self.plan_view,
            ]
        )
        self.assessment = None
        self._figure = Figure(layout="constrained")
        self._renderer: FigureRenderer | None = None
        self._shown: int | None = None
        self._names: list[str] = []
        if ratings:
            self.set_ratings(ratings)
        else:
            self.update()

    @property
    def ratings(self) -> dict[str, int]:
        """The current rating of every skill (skill id → 0-5)."""
        return {sid: int(s.value) for sid, s in self.sliders.items()}

    def set_ratings(self, ratings: Mapping[str, int]) -> None:
        """Set several sliders at once and recompute once; unknown skills are reported, not raised."""
        unknown = [k for k in ratings if k not in self.sliders]
        self._batch = True
        try:
            for sid, value in ratings.items():
                if sid in self.sliders:
                    self.sliders[sid].value = int(min(RATING_MAX, max(RATING_MIN, value)))
        finally:
            self._batch = False
        self.update()
        if unknown:
            self.error = (
                f"Ignored unknown skill(s) {', '.join(map(repr, unknown))}; "
                f"the skills are: {', '.join(self.sliders)}."
            )
            self.message = self.error + "\n" + self.message
            self.summary.value = (
                f'<div style="{_ERROR_STYLE}">⚠ {html.escape(self.error)}</div>'
                + self.summary.value
            )

    def update(self) -> None:
        """Recompute the assessment, the plan and the chart from the controls."""
        if self._batch:
            return
        try:
            assessment = assess_skills(self.ratings, self.target.value)
            plan = development_plan(assessment, max_items=int(self.plan_size.value))
        except ValueError as exc:  # pragma: no cover - sliders only produce valid ratings
            self.error = f"Could not assess these ratings: {exc}."
            self.message = self.error
            self.summary.value = f'<div style="{_ERROR_STYLE}">⚠ {html.escape(self.error)}</div>'
            return
        self.assessment, self.plan, self.error = assessment, plan, None
        self.message = assessment_summary(assessment, plan, self.target.label)
        gaps = assessment[assessment["gap"] > 0]
        self.summary.value = (
            f"<p><b>{len(gaps)}</b> of {len(assessment)} skills are below the "
            f"{html.escape(self.target.label)} target "
            f"({int((gaps['priority'] == 'high').sum())} high priority).</p>"
        )
        self.plan_view.value = _plan_html(plan)
        self._draw(assessment)

    def _draw(self, assessment) -> None:
        """Bars, targets and labels move in place; the figure is laid out again only when the
        skill names on the left change, and rebuilt when the number of rows changes."""
        fig = self._figure
        shown = min(int(self.top.value), len(assessment))
        title = f"Your skills against the {self.target.label} target (largest gaps first)"
        moving = None
        if fig.axes and shown == self._shown:
            moving = update_skills_gap(fig.axes[0], assessment, top=shown, title=title)
        if moving is None:
            fig.clear()
            fig.set_layout_engine("constrained")
            fig.set_size_inches(8.5, max(2.6, 0.3 * shown + 1.6))
            skills_gap_chart(assessment, top=shown, ax=fig.add_subplot(), title=title)
            self._renderer = FigureRenderer(fig, dpi=self.dpi, freeze_layout=True)
            self._shown = shown
        else:
            names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
            self._renderer.animate(moving, keep_background=names == self._names)
            if names != self._names:
                self._renderer.relayout()  # longer names may need a wider margin
        self._names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        self.chart.value = self._renderer.png()


def assessment_summary(assessment, plan, target_name: str) -> str:
    """Plain-text summary of an assessment and its development plan."""
    gaps = assessment[assessment["gap"] > 0]
    lines = [f"{len(gaps)} of {len(assessment)} skills below the {target_name} target"]
    if not plan:
        lines.append("No gaps: you meet the target on every skill.")
    for k, item in enumerate(plan, start=1):
        lines.append(
            f"{k}. {item['skill']} (gap {item['gap']:g}, {item['priority']}): {item['action']}"
        )
    return "\n".join(lines)


def _plan_html(plan) -> str:
    if not plan:
        return "<p>✔ No gaps against this target. Try the next stage up.</p>"
    rows = "".join(
        f"<tr><td>{k}</td><td>{html.escape(str(p['skill']))}</td><td>{p['gap']:g}</td>"
        f"<td>{html.escape(str(p['priority']))}</td><td>{html.escape(str(p['goal_kind_name']))}</td>"
        f"<td>{html.escape(str(p['action']))}</td></tr>"
        for k, p in enumerate(plan, start=1)
    )
    return (
        "<b>Your development plan</b><table><tr><th>#</th><th>skill</th><th>gap</th>"
        f"<th>priority</th><th>kind of goal</th><th>what to do</th></tr>{rows}</table>"
    )


def skills_assessment(
    ratings: Mapping[str, int] | None = None, *, target: str = "entry"
) -> SkillsAssessment:
    """A skills self-assessment (see :class:`SkillsAssessment`), optionally pre-filled."""
    return SkillsAssessment(ratings, target=target)
