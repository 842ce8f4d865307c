"""People content as data: leadership skills, Tuckman's stages, the Thomas–Kilmann modes,
conversation scenarios (``leadership.yaml``) and stakeholder-analysis tables: grid quadrants,
engagement levels, channels, frequencies, the default escalation path and the steering
committee (``stakeholders.yaml``).

Edit the YAML files, not this module, to change the content. Every loader returns a fresh copy.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

__all__ = [
    "PEOPLE_FILES",
    "TK_MODES",
    "TUCKMAN_STAGES",
    "get_scenario",
    "load_channels",
    "load_conflict_modes",
    "load_engagement_levels",
    "load_escalation_path",
    "load_frequencies",
    "load_guide_facts",
    "load_leadership_references",
    "load_leadership_skills",
    "load_quadrants",
    "load_scenarios",
    "load_steering_committee",
    "load_tuckman_notes",
    "load_tuckman_stages",
]

PEOPLE_FILES = ("leadership.yaml", "stakeholders.yaml")
TUCKMAN_STAGES = ("forming", "storming", "norming", "performing", "adjourning")
TK_MODES = ("competing", "collaborating", "compromising", "avoiding", "accommodating")


@lru_cache(maxsize=4)
def _yaml(name: str) -> Any:
    text = resources.files("itpm_course.content").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _section(name: str, key: str) -> Any:
    return copy.deepcopy(_yaml(name)[key])


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(copy.deepcopy(records))


# --- leadership -------------------------------------------------------------------------------
def load_leadership_references() -> dict[str, str]:
    """The references as ``{id: citation}`` (Tuckman 1965, Thomas & Kilmann 1974, PMBOK...)."""
    return {r["id"]: r["text"] for r in _yaml("leadership.yaml")["references"]}


def load_guide_facts() -> pd.DataFrame:
    """What the career guide says about leading people: columns ``id``, ``text``."""
    return _frame(_yaml("leadership.yaml")["guide_facts"])


def load_leadership_skills() -> pd.DataFrame:
    """The five people skills: ``id``, ``name``, ``guide``, ``summary``, ``practices`` (list),
    ``references`` (list of reference ids)."""
    return _frame(_yaml("leadership.yaml")["skills"])


def load_tuckman_stages() -> pd.DataFrame:
    """Tuckman's five stages in order: ``id``, ``name``, ``order``, ``what_happens``, ``signs``,
    ``pm_does`` (lists), ``leadership_style``, ``reference``."""
    df = _frame(_yaml("leadership.yaml")["tuckman"])
    return df.sort_values("order").reset_index(drop=True)


def load_tuckman_notes() -> list[str]:
    """Notes on using the stages (teams can move back; storming is normal)."""
    return _section("leadership.yaml", "tuckman_notes")


def load_conflict_modes() -> pd.DataFrame:
    """The Thomas–Kilmann modes: ``id``, ``name``, ``assertiveness``, ``cooperativeness``
    (low/medium/high), ``outcome``, ``when_to_use`` (list), ``overuse``, ``reference``."""
    return _frame(_yaml("leadership.yaml")["thomas_kilmann"])


def load_scenarios() -> list[dict[str, Any]]:
    """Difficult-conversation scenarios: ``id``, ``title``, ``situation``, ``best`` (mode ids)
    and ``modes`` ``{mode: {consequence, advice}}``."""
    return _section("leadership.yaml", "scenarios")


def get_scenario(scenario_id: str) -> dict[str, Any]:
    """One scenario by id; ValueError naming the known ids."""
    for scenario in load_scenarios():
        if scenario["id"] == scenario_id:
            return scenario
    known = ", ".join(s["id"] for s in load_scenarios())
    raise ValueError(f"scenario_id: unknown scenario {scenario_id!r}; expected one of {known}")


# --- stakeholder analysis ---------------------------------------------------------------------
def load_quadrants() -> pd.DataFrame:
    """The power/interest grid's quadrants: ``id``, ``power``, ``interest`` (high/low),
    ``strategy`` and the default ``frequency``, ``channel``, ``information``."""
    return _frame(_yaml("stakeholders.yaml")["quadrants"])


def load_engagement_levels() -> pd.DataFrame:
    """PMBOK's engagement levels, lowest first: ``id``, ``order``, ``meaning``."""
    df = _frame(_yaml("stakeholders.yaml")["engagement_levels"])
    return df.sort_values("order").reset_index(drop=True)


def load_channels() -> pd.DataFrame:
    """Communication channels: ``id``, ``kind`` (push/pull/interactive), ``good_for``, ``guide``."""
    return _frame(_yaml("stakeholders.yaml")["channels"])


def load_frequencies() -> dict[str, float]:
    """``{frequency: messages or meetings per month}`` (about 20 working days a month)."""
    return {f["id"]: float(f["per_month"]) for f in _yaml("stakeholders.yaml")["frequencies"]}


def load_escalation_path() -> list[dict[str, Any]]:
    """The default escalation levels, lowest first (``max_delay_days``/``max_cost`` None = no limit)."""
    return _section("stakeholders.yaml", "escalation")


def load_steering_committee() -> dict[str, Any]:
    """How to run a steering committee: purpose, members, cadence, agenda, practices."""
    return _section("stakeholders.yaml", "steering_committee")
