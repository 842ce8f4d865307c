"""Change control, quality, compliance and closure facts as data (``content/data/control.yaml``).

Loaders return fresh DataFrames or lists, so callers may change what they get. Edit the YAML
file, not this module, to add a compliance item or a lesson category.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

__all__ = [
    "CONTROL_FILE",
    "compliance_disclaimer",
    "compliance_frameworks",
    "load_ccb_roles",
    "load_change_decisions",
    "load_change_process",
    "load_compliance",
    "load_definition_of_done",
    "load_lesson_categories",
    "load_lesson_kinds",
    "load_qa_vs_qc",
    "load_quality_metrics",
    "load_review_sections",
    "load_scope_creep_causes",
]

CONTROL_FILE = "control.yaml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("itpm_course.content").joinpath("data", CONTROL_FILE)
    return yaml.safe_load(text.read_text(encoding="utf-8"))


def _get(*keys: str) -> Any:
    node = _data()
    for key in keys:
        node = node[key]
    return copy.deepcopy(node)


def _frame(*keys: str) -> pd.DataFrame:
    return pd.DataFrame.from_records(_get(*keys))


# --- change control ---------------------------------------------------------------------------
def load_change_process() -> pd.DataFrame:
    """The change control steps in order: columns ``id``, ``name``, ``text``."""
    return _frame("change_control", "steps")


def load_change_decisions() -> pd.DataFrame:
    """The decisions a change control board can take: columns ``id``, ``text``."""
    return _frame("change_control", "decisions")


def load_ccb_roles() -> pd.DataFrame:
    """Typical members of a change control board: columns ``role``, ``duty``."""
    return _frame("change_control", "board")


def load_scope_creep_causes() -> list[str]:
    """Common causes of scope creep, one sentence each."""
    return _get("change_control", "scope_creep_causes")


# --- quality ----------------------------------------------------------------------------------
def load_qa_vs_qc() -> pd.DataFrame:
    """Quality assurance vs quality control, aspect by aspect: columns ``aspect``, ``qa``, ``qc``."""
    return _frame("quality", "qa_vs_qc")


def load_quality_metrics() -> pd.DataFrame:
    """Quality metrics: columns ``id``, ``name``, ``formula``, ``good`` (``lower``/``higher``)."""
    return _frame("quality", "metrics")


def load_definition_of_done() -> pd.DataFrame:
    """A default definition of done: columns ``id``, ``text``."""
    return _frame("quality", "definition_of_done")


# --- compliance -------------------------------------------------------------------------------
def compliance_frameworks() -> pd.DataFrame:
    """The compliance frameworks covered: columns ``id``, ``name``, ``applies``."""
    return _frame("compliance", "frameworks")


def compliance_disclaimer() -> str:
    """What the checklists are (and are not)."""
    return _get("compliance", "disclaimer")


def load_compliance(framework: str | None = None) -> pd.DataFrame:
    """Compliance checklist items: ``id``, ``framework``, ``area``, ``reference``, ``requirement``.

    ``framework`` (``GDPR``, ``HIPAA``, ``ISO27001``, ``ISO9001``; case and spaces ignored)
    keeps one framework; ``None`` returns all of them.
    """
    items = _frame("compliance", "items")
    if framework is None:
        return items
    known = [f["id"] for f in _get("compliance", "frameworks")]
    key = framework.replace(" ", "").replace("/", "").replace("IEC", "").upper()
    if key not in known:
        raise ValueError(
            f"framework: unknown compliance framework {framework!r}; expected one of {', '.join(known)}"
        )
    return items[items["framework"] == key].reset_index(drop=True)


# --- closure ----------------------------------------------------------------------------------
def load_lesson_categories() -> pd.DataFrame:
    """Categories for the lessons-learned register: columns ``id``, ``name``."""
    return _frame("closure", "lesson_categories")


def load_lesson_kinds() -> list[str]:
    """The kinds of lesson: ``went well`` and ``improve``."""
    return _get("closure", "lesson_kinds")


def load_review_sections() -> pd.DataFrame:
    """Sections of the post-project review: columns ``id``, ``title``, ``prompt``."""
    return _frame("closure", "review_sections")
