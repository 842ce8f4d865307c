"""Tool recommender: a short list of 2-3 core tools for a methodology, team size, budget and needs.

Follows the guide's advice to learn two or three core tools deeply. Capability, fit and cost
scores come from ``content/data/tools.csv`` (course estimates, see ``tools.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from itpm_course.content import load_tools

__all__ = ["BUDGETS", "METHODOLOGIES", "NEEDS", "ToolPick", "recommend_tools"]

METHODOLOGIES = ("predictive", "agile", "hybrid")
#: Methodology aliases a learner may type.
_METHOD_ALIASES = {"waterfall": "predictive", "traditional": "predictive", "scrum": "agile"}
BUDGETS = ("free", "low", "medium", "high")
NEEDS = (
    "scheduling",
    "agile_boards",
    "resource_management",
    "documentation",
    "risk",
    "collaboration",
)


@dataclass(frozen=True)
class ToolPick:
    """One recommended tool with its score and the reasons it was chosen."""

    id: str
    name: str
    category: str
    score: float
    covers: tuple[str, ...]
    reasons: tuple[str, ...]


def recommend_tools(
    methodology: str,
    team_size: int,
    budget: str,
    needs: Iterable[str],
    max_tools: int = 3,
) -> list[ToolPick]:
    """Return 2-3 complementary core tools (fewer only if fewer fit) ranked by how well they cover ``needs``."""
    method = str(methodology).strip().lower()
    method = _METHOD_ALIASES.get(method, method)
    if method not in METHODOLOGIES:
        raise ValueError(
            f"methodology: must be one of {', '.join(METHODOLOGIES)} (or waterfall/scrum); "
            f"got {methodology!r}"
        )
    if isinstance(team_size, bool) or not isinstance(team_size, int | np.integer) or team_size < 1:
        raise ValueError(f"team_size: must be a whole number of people >= 1; got {team_size!r}")
    if budget not in BUDGETS:
        raise ValueError(f"budget: must be one of {', '.join(BUDGETS)}; got {budget!r}")
    needs = [needs] if isinstance(needs, str) else list(needs)
    if not needs:
        raise ValueError(f"needs: name at least one of {', '.join(NEEDS)}")
    for need in needs:
        if need not in NEEDS:
            raise ValueError(f"needs: unknown need {need!r}; expected any of {', '.join(NEEDS)}")
    needs = list(dict.fromkeys(needs))
    if isinstance(max_tools, bool) or not isinstance(max_tools, int) or not 2 <= max_tools <= 3:
        raise ValueError(f"max_tools: must be 2 or 3 (the guide's advice); got {max_tools!r}")

    tools = load_tools()
    tools = tools[tools["cost_tier"] <= BUDGETS.index(budget)].reset_index(drop=True)
    if tools.empty:  # pragma: no cover - the catalogue always has free tools
        return []
    caps = tools[needs].to_numpy(dtype=float) / 3.0  # 0..1 per need
    if method == "hybrid":
        fit = (tools["predictive"] + tools["agile"]).to_numpy(dtype=float) / 6.0
    else:
        fit = tools[method].to_numpy(dtype=float) / 3.0
    in_range = (tools["team_min"] <= team_size) & (team_size <= tools["team_max"])
    size_fit = np.where(in_range.to_numpy(), 1.0, 0.0)
    base = 0.5 * fit + 0.5 * size_fit  # 0..1, used to break ties between equal coverage

    covered = np.zeros(len(needs))
    picks: list[ToolPick] = []
    used: set[int] = set()
    used_categories: set[str] = set()
    for _ in range(max_tools):
        gain = np.clip(caps - covered, 0.0, None).sum(axis=1)
        score = gain + 0.25 * base
        for i in used:
            score[i] = -np.inf
        # Prefer a second tool from another category: deep knowledge of complementary tools.
        for i in range(len(tools)):
            if i not in used and tools.loc[i, "category"] in used_categories:
                score[i] -= 0.2
        best = int(np.argmax(score))
        if not np.isfinite(score[best]) or (len(picks) >= 2 and gain[best] <= 0):
            break
        row = tools.loc[best]
        newly = [n for j, n in enumerate(needs) if caps[best, j] > covered[j] and caps[best, j] > 0]
        reasons = []
        if newly:
            reasons.append("covers " + ", ".join(n.replace("_", " ") for n in newly))
        reasons.append(f"{'fits' if fit[best] >= 2 / 3 else 'usable for'} {method} work")
        reasons.append(
            f"suits a team of {team_size}"
            if in_range[best]
            else f"best for teams of {row['team_min']}-{row['team_max']}"
        )
        reasons.append(f"within a {budget} budget")
        picks.append(
            ToolPick(
                id=str(row["id"]),
                name=str(row["name"]),
                category=str(row["category"]),
                score=round(float(score[best]), 3),
                covers=tuple(newly),
                reasons=tuple(reasons),
            )
        )
        used.add(best)
        used_categories.add(str(row["category"]))
        covered = np.maximum(covered, caps[best])
    return picks
