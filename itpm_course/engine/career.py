"""Career-stage classification, next-stage gaps and the timeline to a first IT PM role.

The stages, titles, skills and accelerators come from the career guide (``itpm_course.content``).
How they combine is the course's model, stated here so it can be taught and questioned:

* The guide's stage years (0-2, 2-4, 4-7, 7+) count a whole IT career. Someone with no
  project-management role yet is in the Foundation stage whatever their IT years; once they hold
  a PM role, the stage is the lower of the stage their IT years give and the stage their PM years
  plus two (the usual Foundation years) give, and never below Entry-Level PM.
* A recognised current title outranks years: an "IT Project Manager" is mid-level.
* The timeline to a first IT Project Manager role is 3-7 years; each of the guide's four timeline
  factors the learner has (a relevant degree, fast skill development, networking and mentoring,
  early project responsibility) takes one year off the 7.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from itpm_course.content import (
    STAGE_IDS,
    load_accelerators,
    load_skill_targets,
    load_skills_by_stage,
    load_stages,
    load_timeline,
    load_titles,
)
from itpm_course.content import _yaml as _content_yaml

__all__ = [
    "BACKGROUNDS",
    "CareerProfile",
    "NextStageGap",
    "StageAssessment",
    "TimelineEstimate",
    "career_report",
    "classify_stage",
    "estimate_timeline",
    "find_title",
    "next_stage_gap",
    "stage_from_years",
]

#: Where the learner comes from: the guide's alternative pathways, or the usual IT route.
BACKGROUNDS = (
    "it",
    "other_pm_discipline",
    "subject_matter_expert",
    "agile_roles",
    "self_directed",
)


def _years(n: float) -> str:
    return f"{n:g} year" + ("" if n == 1 else "s")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9+]+", " ", str(text).lower()).strip()


@dataclass(frozen=True)
class CareerProfile:
    """A learner's career facts: years in IT, years in PM roles, current title, skills, background."""

    years_it: float
    years_pm: float = 0.0
    current_title: str | None = None
    skills: tuple[str, ...] = field(default_factory=tuple)
    background: str = "it"
    relevant_degree: bool = False

    def __post_init__(self) -> None:
        for name in ("years_it", "years_pm"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"{name}: must be a finite number of years >= 0; got {value!r}")
            if value > 60:
                raise ValueError(f"{name}: {value} years is more than a working life (max 60)")
            object.__setattr__(self, name, float(value))
        skills = (self.skills,) if isinstance(self.skills, str) else tuple(self.skills or ())
        object.__setattr__(self, "skills", tuple(str(s) for s in skills))
        bg = (self.background or "it").strip().lower()
        if bg not in BACKGROUNDS:
            raise ValueError(f"background: must be one of {', '.join(BACKGROUNDS)}; got {bg!r}")
        object.__setattr__(self, "background", bg)
        if self.current_title is not None and not str(self.current_title).strip():
            raise ValueError("current_title: must be a job title or None; got an empty string")


@dataclass(frozen=True)
class StageAssessment:
    """The learner's stage, how it was decided (``title`` or ``experience``) and why."""

    stage: str
    stage_name: str
    basis: str
    years_min: float
    years_max: float | None
    title_level: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class NextStageGap:
    """What separates the learner from the next stage: titles, years and skills still missing."""

    current_stage: str
    next_stage: str | None
    next_titles: tuple[str, ...]
    years_to_next: float
    skills_to_build: tuple[str, ...]
    skills_in_place: tuple[str, ...]
    actions: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEstimate:
    """Years from career start to a first IT PM role (course model), and years still to go."""

    expected_years: int
    min_years: int
    max_years: int
    remaining_years: float
    reached: bool
    factors_met: tuple[str, ...]
    suggestions: tuple[str, ...]


def stage_from_years(years: float) -> str:
    """Return the stage id whose year band (from the guide's table) contains ``years``."""
    if isinstance(years, bool) or not isinstance(years, int | float) or not math.isfinite(years):
        raise ValueError(f"years: must be a finite number; got {years!r}")
    if years < 0:
        raise ValueError(f"years: must be >= 0; got {years!r}")
    stages = load_stages()
    for row in stages.itertuples():
        if math.isnan(row.years_max) or years < row.years_max:
            return str(row.id)
    return str(stages["id"].iloc[-1])  # pragma: no cover - the last stage is open-ended


def find_title(title: str) -> dict[str, Any] | None:
    """Return ``{"title", "level", "stage", "description"}`` for a known title or typical role, else None."""
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title: must be a non-empty string; got {title!r}")
    key = _norm(title)
    titles = load_titles()
    for row in titles.itertuples():
        if key in (_norm(row.title), _norm(row.id)):
            return {
                "title": row.title,
                "level": str(row.level),
                "stage": row.stage,
                "description": row.description,
            }
    for row in load_stages().itertuples():
        for role in row.typical_roles:
            if key == _norm(role):
                return {
                    "title": role,
                    "level": row.id,
                    "stage": row.id,
                    "description": f"A typical {row.name} role in the guide's progression table.",
                }
    return None


def classify_stage(profile: CareerProfile) -> StageAssessment:
    """Return the learner's career stage (foundation/entry/mid/senior) with the reasons for it."""
    if not isinstance(profile, CareerProfile):
        raise ValueError(f"profile: expected a CareerProfile; got {type(profile).__name__}")
    order = {s: i for i, s in enumerate(STAGE_IDS)}
    reasons: list[str] = []
    if profile.years_pm <= 0:
        exp_stage = "foundation"
        reasons.append("no years in a project-management role yet, so Foundation by experience")
        if profile.years_it >= 2:
            reasons.append(
                f"{profile.years_it:g} years in IT: the subject-matter-expert pathway can move you into PM"
            )
    else:
        by_it = stage_from_years(profile.years_it)
        by_pm = stage_from_years(profile.years_pm + 2)
        exp_stage = min(by_it, by_pm, key=order.__getitem__)
        if order[exp_stage] < order["entry"]:
            exp_stage = "entry"
            reasons.append("PM experience from any discipline puts you at least at Entry-Level PM")
        reasons.append(
            f"{_years(profile.years_it)} in IT point to {by_it}; {_years(profile.years_pm)} in PM "
            f"roles point to {by_pm}; the lower one counts"
        )
    stage, basis, level = exp_stage, "experience", None
    if profile.current_title:
        found = find_title(profile.current_title)
        if found is None:
            reasons.append(f"title {profile.current_title!r} is not in the guide; years decide")
        else:
            stage, basis, level = found["stage"], "title", found["level"]
            reasons.insert(0, f"your title {found['title']!r} is a {found['level']}-level role")
            if stage != exp_stage:
                reasons.append(f"by years alone you would be at {exp_stage}; the title decides")
    row = load_stages().set_index("id").loc[stage]
    years_max = None if math.isnan(row["years_max"]) else float(row["years_max"])
    return StageAssessment(
        stage=stage,
        stage_name=str(row["name"]),
        basis=basis,
        years_min=float(row["years_min"]),
        years_max=years_max,
        title_level=level,
        reasons=tuple(reasons),
    )


def _stage_focus_ids(stage: str) -> list[str]:
    mapping = _content_yaml("skill_targets.yaml")["stage_focus_map"].get(stage, {})
    focus = load_skills_by_stage()
    ids: list[str] = []
    for skill in focus.loc[focus["stage"] == stage, "skill"]:
        sid = mapping.get(skill)
        if sid and sid not in ids:
            ids.append(sid)
    return ids


def _profile_skill_ids(skills: Iterable[str]) -> set[str]:
    targets = load_skill_targets()
    lookup = {_norm(r.skill_id): r.skill_id for r in targets.itertuples()}
    lookup.update({_norm(r.name): r.skill_id for r in targets.itertuples()})
    yaml_map = _content_yaml("skill_targets.yaml")["stage_focus_map"]
    for mapping in yaml_map.values():
        lookup.update({_norm(k): v for k, v in mapping.items()})
    return {lookup[_norm(s)] for s in skills if _norm(s) in lookup}


def next_stage_gap(profile: CareerProfile) -> NextStageGap:
    """Return the next stage's titles, the years still needed and the focus skills not yet claimed."""
    current = classify_stage(profile)
    order = list(STAGE_IDS)
    idx = order.index(current.stage)
    titles = load_titles()
    names = load_skill_targets().set_index("skill_id")["name"]
    have = _profile_skill_ids(profile.skills)
    if idx + 1 < len(order):
        nxt = order[idx + 1]
        next_row = load_stages().set_index("id").loc[nxt]
        next_titles = tuple(titles.loc[titles["level"] == nxt, "title"]) or tuple(
            next_row["typical_roles"]
        )
        years_needed = max(0.0, float(next_row["years_min"]) - profile.years_it)
        if nxt != "entry":
            years_needed = max(years_needed, float(next_row["years_min"]) - 2 - profile.years_pm)
        focus = _stage_focus_ids(nxt)
    else:
        nxt = None
        next_titles = tuple(titles.loc[titles["level"].isin(["director", "executive"]), "title"])
        years_needed = 0.0
        focus = _stage_focus_ids("senior")
    missing = tuple(names[s] for s in focus if s not in have)
    in_place = tuple(names[s] for s in focus if s in have)
    actions: list[str] = []
    if years_needed > 0:
        actions.append(
            f"gain about {years_needed:g} more {_years(years_needed).split()[1]} of experience"
        )
    actions.extend(f"build {m.lower()}" for m in missing)
    if nxt == "entry" and profile.years_pm <= 0:
        actions.append("volunteer for project-coordination work to get a first PM role")
    return NextStageGap(
        current_stage=current.stage,
        next_stage=nxt,
        next_titles=next_titles,
        years_to_next=round(years_needed, 2),
        skills_to_build=missing,
        skills_in_place=in_place,
        actions=tuple(actions),
    )


def estimate_timeline(profile: CareerProfile, accelerators: Iterable[str] = ()) -> TimelineEstimate:
    """Return the expected years (3-7) to a first IT PM role and the years remaining for this profile."""
    if isinstance(accelerators, str):
        accelerators = [accelerators]
    acc = load_accelerators().set_index("id")
    chosen = []
    for a in accelerators:
        if a not in acc.index:
            raise ValueError(
                f"accelerators: unknown accelerator {a!r}; expected any of {', '.join(acc.index)}"
            )
        chosen.append(a)
    timeline = load_timeline()
    lo, hi = int(timeline["years_min"]), int(timeline["years_max"])
    factor_ids = [f["id"] for f in timeline["factors"]]
    met = {acc.loc[a, "speeds_up"] for a in chosen}
    if profile.relevant_degree:
        met.add("relevant_degree")
    factors_met = tuple(f for f in factor_ids if f in met)
    expected = max(lo, hi - len(factors_met))
    stage = classify_stage(profile).stage
    reached = STAGE_IDS.index(stage) >= STAGE_IDS.index("mid")
    if reached:
        remaining = 0.0
    else:
        remaining = max(0.0, expected - profile.years_it, 2.0 - profile.years_pm)
    unused = [a for a in acc.index if a not in chosen]
    suggestions = tuple(str(acc.loc[a, "text"]) for a in unused)
    return TimelineEstimate(
        expected_years=expected,
        min_years=lo,
        max_years=hi,
        remaining_years=round(remaining, 2),
        reached=reached,
        factors_met=factors_met,
        suggestions=suggestions,
    )


def career_report(profile: CareerProfile, accelerators: Iterable[str] = ()) -> dict[str, Any]:
    """Return stage, next-stage gap and timeline as one JSON-ready dict."""
    stage = classify_stage(profile)
    gap = next_stage_gap(profile)
    timeline = estimate_timeline(profile, accelerators)

    def plain(obj: Any) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(obj).items()}

    return {"stage": plain(stage), "next": plain(gap), "timeline": plain(timeline)}
