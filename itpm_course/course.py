"""The course map: the teaching sequence as data, and where the notebooks are.

Notebook 00 and the README show this map; a test keeps it in step with ``notebooks/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course."""

    number: int
    slug: str
    title: str
    teaches: str
    part: str

    @property
    def filename(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"


COURSE: tuple[Lesson, ...] = (
    Lesson(
        0,
        "start_here",
        "Start here",
        "How the course works: JupyterLab, widgets, self-checks",
        "start",
    ),
    Lesson(
        1,
        "the_it_pm_role",
        "The IT PM role",
        "What an IT project manager does, day to day at each level, and the specialised roles",
        "career",
    ),
    Lesson(
        2,
        "career_path",
        "Career path",
        "The stages and a realistic timeline, job titles by level, education and other routes in",
        "career",
    ),
    Lesson(
        3,
        "skills",
        "Skills",
        "Technical skills, core competencies and soft skills; a self-assessment and your gaps",
        "career",
    ),
    Lesson(
        4,
        "tools",
        "Tools",
        "The tool landscape, choosing two or three core tools, reading tool exports with pandas",
        "career",
    ),
    Lesson(
        5,
        "planning_and_scheduling",
        "Planning and scheduling",
        "Scope and the WBS, estimates, dependencies, the critical path, float, Gantt charts",
        "delivery",
    ),
    Lesson(
        6,
        "risk_management",
        "Risk management",
        "The risk register, probability × impact, expected monetary value, risk responses",
        "delivery",
    ),
    Lesson(
        7,
        "schedule_risk_monte_carlo",
        "Schedule risk with Monte Carlo",
        "PERT, simulation, P50/P80 dates, which tasks really drive the finish",
        "delivery",
    ),
    Lesson(
        8,
        "measuring_performance",
        "Measuring performance",
        "Earned value, earned schedule, status reports and RAG ratings",
        "delivery",
    ),
    Lesson(
        9,
        "agile_delivery",
        "Agile delivery",
        "Scrum, Kanban, waterfall and hybrids; velocity, burndown, flow and forecasting",
        "delivery",
    ),
    Lesson(
        10,
        "certifications",
        "Certifications",
        "PMP, CAPM, PRINCE2, CSM, ITIL and others; who is eligible; a roadmap",
        "career",
    ),
    Lesson(
        11,
        "job_search",
        "Job search",
        "Your LinkedIn profile, interview preparation, growth goals, work-life balance",
        "career",
    ),
    Lesson(
        12,
        "stakeholders_and_communication",
        "Stakeholders and communication",
        "Stakeholder analysis, RACI, the communication plan, escalation, leading people",
        "delivery",
    ),
    Lesson(
        13,
        "change_quality_and_closure",
        "Change, quality and closure",
        "Change control and impact analysis, quality and compliance, closing a project and lessons learned",
        "delivery",
    ),
    Lesson(
        14,
        "capstone",
        "Capstone",
        "A complete project plan for a case study, checked step by step",
        "capstone",
    ),
)


def notebooks_dir() -> Path:
    """The course notebooks: ``notebooks/`` of a clone, else the copy shipped in the package."""
    package = Path(__file__).resolve().parent
    clone = package.parent / "notebooks"
    if clone.is_dir() and any(clone.glob("00_*.ipynb")):
        return clone
    return package / "_course" / "notebooks"


def available(lesson: Lesson, directory: Path | None = None) -> bool:
    """True when the lesson's notebook exists."""
    return ((directory or notebooks_dir()) / lesson.filename).is_file()


def course_map(directory: Path | None = None) -> pd.DataFrame:
    """The course map as a table: number, title, what it teaches, file and whether it is available."""
    import pandas as pd  # noqa: PLC0415

    directory = directory or notebooks_dir()
    return pd.DataFrame(
        [
            {
                "#": f"{lesson.number:02d}",
                "notebook": lesson.title,
                "what you learn": lesson.teaches,
                "file": lesson.filename,
                "status": "available" if available(lesson, directory) else "coming soon",
            }
            for lesson in COURSE
        ]
    ).set_index("#")
