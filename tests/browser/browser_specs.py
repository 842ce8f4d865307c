"""What the browser suite does with each notebook's widgets: data, not code.

``INTERACTIONS`` maps a notebook (file name without ``.ipynb``) to one interaction per widget the
notebook shows. An interaction names a control by its ``description`` (the label the learner
reads), what to do with it, and which part of the same widget must change as a result:

* ``action`` — ``slider`` (``value`` = arrow-key presses, negative for left), ``select`` (``value``
  = the option's visible label, or its index), ``type`` (``value`` = text typed into a
  Text/Textarea), ``check`` (tick a checkbox), ``toggle`` (``value`` = the toggle button's text
  or index) or ``click`` (a button; ``label`` is its text);
* ``click`` — a button of the same widget to press afterwards (e.g. "Check my answer");
* ``watch`` — a CSS selector inside the widget whose text must change, or ``selector@attr``
  for an attribute (``img.widget-image@src``: the chart was redrawn).

A notebook without an entry still runs every check, with a generic interaction (the first
slider or dropdown of its first widget, watching all of that widget's text and images); the
test fails if that finds nothing to change, asking for an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass

HTML = ".widget-html-content"  # widgets.HTML: summaries, tables, feedback
CHART = "img.widget-image@src"  # widgets.Image: a new PNG gets a new blob: URL
OUTPUT = ".widget-output"  # widgets.Output / interact(): printed text


@dataclass(frozen=True)
class Interaction:
    action: str
    label: str
    watch: str
    value: str | int | None = None
    click: str | None = None


INTERACTIONS: dict[str, tuple[Interaction, ...]] = {
    "00_start_here": (Interaction("slider", "Delivery", OUTPUT, value=4),),
    "01_the_it_pm_role": (Interaction("select", "Role", HTML, value="Senior IT PM"),),
    "02_career_path": (Interaction("type", "Years in IT", HTML, value="9"),),
    "03_skills": (Interaction("select", "Target stage", CHART, value="Senior PM"),),
    "04_tools": (Interaction("slider", "Team size", HTML, value=60),),
    "05_planning_and_scheduling": (Interaction("slider", "Duration", CHART, value=5),),
    "06_risk_management": (
        Interaction("check", "After responses", CHART),  # heatmap_explorer
        Interaction("slider", "Probability", HTML, value=8),  # risk_register_editor
    ),
    "07_schedule_risk_monte_carlo": (Interaction("slider", "Correlation", HTML, value=5),),
    "08_measuring_performance": (Interaction("slider", "Status period", HTML, value=-2),),
    "09_agile_delivery": (Interaction("slider", "Items", HTML, value=-10),),
    "10_certifications": (Interaction("slider", "PM experience (months)", HTML, value=40),),
    "11_job_search": (
        Interaction("type", "Specialty", HTML, value="Cloud migrations"),  # headline_builder
        Interaction(  # interview_practice
            "type",
            "Result",
            HTML,
            value="Cut-over finished 2 days early; 0 incidents in the first 30 days.",
            click="Check my answer",
        ),
    ),
    "12_stakeholders_and_communication": (
        Interaction("slider", "Power", CHART, value=-2),  # stakeholder_grid
        Interaction("select", "Cell", HTML, value="A"),  # raci_editor
        Interaction("toggle", "Your move", HTML, value=1),  # conversation_explorer
        Interaction("click", "Next", HTML),  # team_stages
    ),
    "13_change_quality_and_closure": (Interaction("slider", "+ days", HTML, value=5),),
    "14_capstone": (Interaction("select", "Rubric", HTML, value=0),),
}
