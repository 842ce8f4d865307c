"""The career guide's facts as data: small loaders that return pandas DataFrames or plain dicts.

The facts live in YAML/CSV files under ``itpm_course/content/data``; edit those files, not this
module, to add a title, a tool or a certification. Every loader returns a fresh copy, so callers
may change what they get without affecting later calls.
"""

from __future__ import annotations

import copy
import io
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

__all__ = [
    "DATA_FILES",
    "STAGE_IDS",
    "TITLE_LEVELS",
    "data_file_text",
    "get_certification",
    "load_accelerators",
    "load_advancement",
    "load_alternative_pathways",
    "load_beyond_project_management",
    "load_certification_guidance",
    "load_certification_roadmap",
    "load_certifications",
    "load_common_interview_questions",
    "load_core_competencies",
    "load_core_responsibilities",
    "load_daily_responsibilities",
    "load_development_goals",
    "load_education",
    "load_goals_by_stage",
    "load_interview_categories",
    "load_interview_guide",
    "load_linkedin_guidance",
    "load_related_careers",
    "load_salary_factors",
    "load_skill_targets",
    "load_skills_by_stage",
    "load_soft_skills",
    "load_specialised_roles",
    "load_stages",
    "load_technical_skills",
    "load_timeline",
    "load_titles",
    "load_tool_notes",
    "load_tools",
    "load_ways_to_demonstrate_skills",
    "load_work_life",
]

DATA_FILES = (
    "role.yaml",
    "career_path.yaml",
    "skills.yaml",
    "skill_targets.csv",
    "skill_targets.yaml",
    "tools.csv",
    "tools.yaml",
    "titles.csv",
    "growth.yaml",
    "job_search.yaml",
    "certifications.yaml",
)
STAGE_IDS = ("foundation", "entry", "mid", "senior")
TITLE_LEVELS = ("entry", "mid", "senior", "director", "executive")


def data_file_text(name: str) -> str:
    """Return the text of one shipped data file (a name from ``DATA_FILES``)."""
    if name not in DATA_FILES:
        raise ValueError(
            f"name: unknown data file {name!r}; expected one of {', '.join(DATA_FILES)}"
        )
    return _text(name)


@lru_cache(maxsize=32)
def _text(name: str) -> str:
    return resources.files(__name__).joinpath("data", name).read_text(encoding="utf-8")


@lru_cache(maxsize=32)
def _yaml(name: str) -> Any:
    return yaml.safe_load(_text(name))


@lru_cache(maxsize=32)
def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(_text(name)), keep_default_na=False, na_values=[""])


def _section(name: str, *keys: str) -> Any:
    node = _yaml(name)
    for key in keys:
        node = node[key]
    return copy.deepcopy(node)


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(copy.deepcopy(records))


# --- the role ---------------------------------------------------------------------------------


def load_core_responsibilities() -> pd.DataFrame:
    """Return the core responsibilities: columns ``id``, ``area``, ``text``."""
    return _frame(_yaml("role.yaml")["core_responsibilities"])


def load_daily_responsibilities() -> pd.DataFrame:
    """Return daily responsibilities by level: columns ``level``, ``level_summary``, ``text``."""
    rows = [
        {"level": level, "level_summary": block["summary"], "text": item}
        for level, block in _yaml("role.yaml")["daily_responsibilities"].items()
        for item in block["items"]
    ]
    return pd.DataFrame(rows)


def load_specialised_roles() -> pd.DataFrame:
    """Return the six specialised roles: ``id``, ``name``, ``focus``, ``typical_work`` (list)."""
    return _frame(_yaml("role.yaml")["specialised_roles"])


# --- career path ------------------------------------------------------------------------------


def load_education() -> dict[str, Any]:
    """Return the education path as a dict (degree fields, further options, degree_mandatory)."""
    return _section("career_path.yaml", "education")


def load_stages() -> pd.DataFrame:
    """Return the four experience stages ordered by ``order``; ``years_max`` is NaN for 7+."""
    df = _frame(_yaml("career_path.yaml")["stages"])
    df["years_max"] = df["years_max"].astype("float64")
    df["years_min"] = df["years_min"].astype("float64")
    return df.sort_values("order").reset_index(drop=True)


def load_accelerators() -> pd.DataFrame:
    """Return the ways to accelerate: ``id``, ``text``, ``speeds_up`` (a timeline factor id)."""
    return _frame(_yaml("career_path.yaml")["accelerators"])


def load_alternative_pathways() -> pd.DataFrame:
    """Return alternative pathways into IT PM: ``id``, ``from``, ``examples`` (list), ``how``."""
    return _frame(_yaml("career_path.yaml")["alternative_pathways"])


def load_timeline() -> dict[str, Any]:
    """Return the 3-7 year timeline to a first IT PM role and the factors that change it."""
    return _section("career_path.yaml", "timeline")


def load_advancement() -> list[str]:
    """Return the ways to advance an IT project manager's title."""
    return _section("career_path.yaml", "advancement")


def load_related_careers() -> pd.DataFrame:
    """Return related career paths: ``id``, ``name``, ``summary``, ``versus_itpm``."""
    return _frame(_yaml("career_path.yaml")["related_careers"])


def load_beyond_project_management() -> pd.DataFrame:
    """Return the roles IT PM experience leads to: ``level``, ``options`` (list)."""
    return _frame(_yaml("career_path.yaml")["beyond_project_management"])


def load_titles() -> pd.DataFrame:
    """Return every job title: ``id``, ``title``, ``level`` (entry..executive), ``stage``, ``description``."""
    df = _csv("titles.csv").copy()
    df["level"] = pd.Categorical(df["level"], categories=list(TITLE_LEVELS), ordered=True)
    return df


# --- skills -----------------------------------------------------------------------------------


def load_technical_skills() -> pd.DataFrame:
    """Return the technical and methodological skills: ``id``, ``name``, ``detail``, ``examples``."""
    return _frame(_yaml("skills.yaml")["technical"])


def load_core_competencies() -> pd.DataFrame:
    """Return the core-competency table: ``id``, ``category``, ``key_skills`` (list), ``why_it_matters``."""
    return _frame(_yaml("skills.yaml")["core_competencies"])


def load_soft_skills() -> pd.DataFrame:
    """Return the soft skills: ``id``, ``name``, ``detail``."""
    return _frame(_yaml("skills.yaml")["soft"])


def load_skills_by_stage() -> pd.DataFrame:
    """Return the skills each stage focuses on: ``stage``, ``label``, ``skill`` (one row per skill)."""
    rows = [
        {"stage": stage, "label": block["label"], "skill": skill}
        for stage, block in _yaml("skills.yaml")["by_stage"].items()
        for skill in block["focus"]
    ]
    return pd.DataFrame(rows)


def load_ways_to_demonstrate_skills() -> list[str]:
    """Return the guide's ways to demonstrate and advance your skills."""
    return _section("skills.yaml", "demonstrating")


def load_skill_targets() -> pd.DataFrame:
    """Return the course's self-assessment model: target rating (0-5) per skill and stage."""
    return _csv("skill_targets.csv").copy()


# --- tools ------------------------------------------------------------------------------------


def load_tools() -> pd.DataFrame:
    """Return every tool the guide names: ``id``, ``name``, ``category``, ``purpose`` and recommender scores."""
    return _csv("tools.csv").copy()


def load_tool_notes() -> dict[str, Any]:
    """Return the guide's tool advice (2-3 core tools) and the meaning of the tools.csv columns."""
    return copy.deepcopy(_yaml("tools.yaml"))


# --- pay, balance, goals ----------------------------------------------------------------------


def load_salary_factors() -> dict[str, Any]:
    """Return what drives pay: ``factors`` (list of dicts), ``premium`` roles/specialisations, ``note``."""
    return _section("growth.yaml", "salary")


def load_work_life() -> dict[str, Any]:
    """Return work-life ``challenges``, ``strategies`` and ``by_stage`` advice."""
    return _section("growth.yaml", "work_life")


def load_development_goals() -> pd.DataFrame:
    """Return the five kinds of development goal: ``kind``, ``kind_name``, ``goal`` (one row per goal)."""
    rows = [
        {"kind": k["id"], "kind_name": k["name"], "goal": goal}
        for k in _yaml("growth.yaml")["development_goals"]["kinds"]
        for goal in k["examples"]
    ]
    return pd.DataFrame(rows)


def load_goals_by_stage() -> pd.DataFrame:
    """Return development goals by career stage: ``stage``, ``goal``."""
    rows = [
        {"stage": stage, "goal": goal}
        for stage, goals in _yaml("growth.yaml")["development_goals"]["by_stage"].items()
        for goal in goals
    ]
    return pd.DataFrame(rows)


# --- job search -------------------------------------------------------------------------------


def load_linkedin_guidance() -> dict[str, Any]:
    """Return LinkedIn guidance: ``headline`` (with examples), ``summary``, ``experience``, ``credibility``, ``engagement``."""
    return _section("job_search.yaml", "linkedin")


def load_interview_guide() -> dict[str, Any]:
    """Return the interview guide: ``categories``, ``common_questions``, ``preparation``, ``answer_structure``."""
    return _section("job_search.yaml", "interview")


def load_interview_categories() -> pd.DataFrame:
    """Return the interview question categories: ``id``, ``name``, ``assesses``."""
    return _frame(_yaml("job_search.yaml")["interview"]["categories"])


def load_common_interview_questions() -> pd.DataFrame:
    """Return the common interview questions: ``id``, ``category``, ``question``."""
    return _frame(_yaml("job_search.yaml")["interview"]["common_questions"])


# --- certifications ---------------------------------------------------------------------------


def _cert_records() -> list[dict[str, Any]]:
    return _yaml("certifications.yaml")["certifications"]


def load_certifications() -> pd.DataFrame:
    """Return one row per certification with its headline facts (exam, cost in USD, renewal, confidence)."""
    rows = []
    for c in _cert_records():
        exam, cost, renewal, rules = c["exam"], c["cost_usd"], c["renewal"], c["rules"]
        rows.append(
            {
                "id": c["id"],
                "short_name": c["short_name"],
                "name": c["name"],
                "body": c["body"],
                "in_guide": bool(c["in_guide"]),
                "stage": c["stage"],
                "goals": list(c["goals"]),
                "methodology_focus": c["methodology_focus"],
                "prerequisites": c["prerequisites_text"],
                "exam_questions": exam.get("questions"),
                "exam_minutes": exam.get("minutes"),
                "pass_mark": exam.get("pass_mark"),
                "cost_min_usd": cost.get("min"),
                "cost_max_usd": cost.get("max"),
                "renewal": renewal["requirement"],
                "lifetime": bool(renewal["lifetime"]),
                "renewal_years": renewal.get("cycle_years"),
                "sectors": list(c["valued_in"]["sectors"]),
                "regions": list(c["valued_in"]["regions"]),
                "eligibility_confidence": rules["confidence"],
                "exam_confidence": exam["confidence"],
                "cost_confidence": cost["confidence"],
                "checked": rules["checked"],
            }
        )
    df = pd.DataFrame(rows)
    for col in ("exam_questions", "exam_minutes", "cost_min_usd", "cost_max_usd", "renewal_years"):
        df[col] = df[col].astype("float64")
    return df


def get_certification(cert_id: str) -> dict[str, Any]:
    """Return the full record of one certification (rules, exam, cost, renewal, sources) as a dict."""
    for c in _cert_records():
        if c["id"] == cert_id:
            return copy.deepcopy(c)
    known = ", ".join(c["id"] for c in _cert_records())
    raise ValueError(f"cert_id: unknown certification {cert_id!r}; expected one of {known}")


def load_certification_guidance() -> dict[str, Any]:
    """Return the guide's certification advice: ``benefits``, ``selection_criteria``, ``named``."""
    return _section("certifications.yaml", "guide")


def load_certification_roadmap() -> dict[str, list[str]]:
    """Return the default certification ids per career stage (foundation, entry, mid, senior)."""
    node = _yaml("certifications.yaml")["roadmap_by_stage"]
    return {stage: list(node[stage]) for stage in STAGE_IDS}
