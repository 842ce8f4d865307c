"""Skills self-assessment: ratings (0-5) per skill against a target stage, and a development plan.

Targets come from ``content/data/skill_targets.csv`` (the course's model built on the guide's
skills-by-stage focus). A skill the learner did not rate counts as 0 ("no experience").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from itpm_course.content import STAGE_IDS, load_development_goals, load_skill_targets

__all__ = ["RATING_MAX", "RATING_MIN", "assess_skills", "development_plan", "skill_ids"]

RATING_MIN, RATING_MAX = 0, 5


def skill_ids() -> list[str]:
    """Return the ids of every skill a learner can rate."""
    return load_skill_targets()["skill_id"].tolist()


def assess_skills(ratings: Mapping[str, float], target_stage: str) -> pd.DataFrame:
    """Return one row per skill: rating, target, gap (target - rating, >= 0) and priority, worst first."""
    if target_stage not in STAGE_IDS:
        raise ValueError(
            f"target_stage: must be one of {', '.join(STAGE_IDS)}; got {target_stage!r}"
        )
    if not isinstance(ratings, Mapping):
        raise ValueError(
            f"ratings: expected a mapping of skill id to rating; got {type(ratings).__name__}"
        )
    targets = load_skill_targets()
    known = set(targets["skill_id"])
    for skill, value in ratings.items():
        if skill not in known:
            raise ValueError(f"ratings: unknown skill {skill!r}; see skill_ids() for valid ids")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not RATING_MIN <= value <= RATING_MAX
        ):
            raise ValueError(
                f"ratings: {skill!r} must be a number from {RATING_MIN} to {RATING_MAX}; got {value!r}"
            )
    df = targets[["skill_id", "name", "group", "emphasised_at", "goal_kind", "practice"]].copy()
    df["rating"] = df["skill_id"].map(lambda s: float(ratings.get(s, 0))).astype("float64")
    df["target"] = targets[target_stage].astype("float64")
    df["gap"] = (df["target"] - df["rating"]).clip(lower=0.0)
    df["stage_focus"] = df["emphasised_at"] == target_stage
    df["priority"] = "none"
    has_gap = df["gap"] > 0
    df.loc[has_gap, "priority"] = "medium"
    df.loc[has_gap & ((df["gap"] >= 2) | df["stage_focus"]), "priority"] = "high"
    df.loc[has_gap & (df["gap"] < 1) & ~df["stage_focus"], "priority"] = "low"
    rank = df["priority"].map({"high": 0, "medium": 1, "low": 2, "none": 3})
    df = (
        df.assign(_rank=rank)
        .sort_values(["_rank", "gap", "stage_focus"], ascending=[True, False, False], kind="stable")
        .drop(columns=["_rank", "emphasised_at"])
        .reset_index(drop=True)
    )
    return df[
        [
            "skill_id",
            "name",
            "group",
            "rating",
            "target",
            "gap",
            "stage_focus",
            "priority",
            "goal_kind",
            "practice",
        ]
    ]


def development_plan(assessment: pd.DataFrame, max_items: int = 5) -> list[dict[str, object]]:
    """Return up to ``max_items`` plan items (skill, gap, priority, goal kind, action) from ``assess_skills``."""
    if not isinstance(max_items, int) or isinstance(max_items, bool) or max_items < 1:
        raise ValueError(f"max_items: must be a positive integer; got {max_items!r}")
    required = {"skill_id", "name", "gap", "priority", "goal_kind", "practice"}
    if not isinstance(assessment, pd.DataFrame) or not required <= set(assessment.columns):
        raise ValueError(
            "assessment: expected the DataFrame returned by assess_skills() with columns "
            + ", ".join(sorted(required))
        )
    kinds = load_development_goals().drop_duplicates("kind").set_index("kind")["kind_name"]
    plan = []
    for row in assessment[assessment["gap"] > 0].head(max_items).itertuples():
        plan.append(
            {
                "skill_id": row.skill_id,
                "skill": row.name,
                "gap": float(row.gap),
                "priority": row.priority,
                "goal_kind": row.goal_kind,
                "goal_kind_name": str(kinds.get(row.goal_kind, row.goal_kind)),
                "action": row.practice,
            }
        )
    return plan
