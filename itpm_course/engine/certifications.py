"""Certification eligibility, recommendation and roadmap, driven by ``content/certifications.yaml``.

Experience may be given as a number of months or as a list of ``(start, end)`` date ranges
(inclusive). Ranges are merged first, so months in which projects ran in parallel count once
(PMI's "non-overlapping" rule), and only the part inside the certification's window (8 years
for PMP, 5 for PMI-ACP, 15 for PgMP) counts. A number of months is taken as lying inside every
window, capped at the window's length.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from itpm_course.content import (
    STAGE_IDS,
    get_certification,
    load_certification_roadmap,
    load_certifications,
)

__all__ = [
    "AGILE_ROLES",
    "COURSES",
    "EDUCATION_LEVELS",
    "GOALS",
    "CertProfile",
    "EligibilityResult",
    "PathStep",
    "Recommendation",
    "certification_ids",
    "certification_path",
    "certification_report",
    "check_all",
    "check_eligibility",
    "experience_months",
    "merge_date_ranges",
    "recommend_certifications",
    "roadmap_by_stage",
    "stage_certifications",
]

EDUCATION_LEVELS = ("none", "secondary", "associate", "bachelor", "master", "doctorate")
GOALS = ("traditional", "agile", "itsm", "government")
AGILE_ROLES = ("none", "scrum-master", "product-owner", "team-member", "agile-coach")
COURSES = ("csm-course", "leading-safe")
#: Certificates that are not in the course's catalogue but count as prerequisites somewhere.
EXTERNAL_CERTS = ("ipma",)
#: Months the roadmap allows for finishing a required course or training hours.
TRAINING_MONTHS = 1

DateLike = date | datetime | str
Experience = float | int | Sequence[tuple[DateLike, DateLike]]


def certification_ids() -> list[str]:
    """Return the ids of every certification in the catalogue, in catalogue order."""
    return load_certifications()["id"].tolist()


# --- experience arithmetic ---------------------------------------------------------------------


def _to_date(value: Any, field_name: str, index: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"{field_name}: range {index + 1} has {value!r}, which is not an ISO date (YYYY-MM-DD)"
            ) from None
    raise ValueError(
        f"{field_name}: range {index + 1} has {value!r}; expected a date or an ISO date string"
    )


def merge_date_ranges(
    ranges: Iterable[tuple[DateLike, DateLike]], field_name: str = "ranges"
) -> list[tuple[date, date]]:
    """Return the union of inclusive date ranges as sorted, non-overlapping ``(start, end)`` pairs."""
    parsed: list[tuple[date, date]] = []
    for i, pair in enumerate(ranges):
        try:
            start_raw, end_raw = pair
        except (TypeError, ValueError):
            raise ValueError(
                f"{field_name}: range {i + 1} must be a (start, end) pair; got {pair!r}"
            ) from None
        start, end = _to_date(start_raw, field_name, i), _to_date(end_raw, field_name, i)
        if start > end:
            raise ValueError(
                f"{field_name}: range {i + 1} starts after it ends ({start.isoformat()} > {end.isoformat()})"
            )
        parsed.append((start, end))
    parsed.sort()
    merged: list[tuple[date, date]] = []
    for start, end in parsed:
        if merged and start <= merged[-1][1] + timedelta(days=1):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year - years, day=28)


def _month_fractions(start: date, end: date) -> float:
    """Months covered by one inclusive range, each calendar month counted as covered days / its days."""
    total = 0.0
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        days_in = calendar.monthrange(year, month)[1]
        first = start.day if (year, month) == (start.year, start.month) else 1
        last = end.day if (year, month) == (end.year, end.month) else days_in
        total += (last - first + 1) / days_in
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return total


def experience_months(
    experience: Experience,
    window_years: int | None = None,
    as_of: date | None = None,
    field_name: str = "experience",
) -> float:
    """Return non-overlapping months of experience inside the last ``window_years`` before ``as_of``."""
    cap = None if window_years is None else window_years * 12
    if isinstance(experience, bool):
        raise ValueError(f"{field_name}: expected months or a list of date ranges, got a bool")
    if isinstance(experience, int | float):
        if not math.isfinite(experience) or experience < 0:
            raise ValueError(
                f"{field_name}: months must be a finite number >= 0; got {experience!r}"
            )
        return float(experience if cap is None else min(experience, cap))
    if isinstance(experience, str | bytes) or not isinstance(experience, Iterable):
        raise ValueError(
            f"{field_name}: expected months or a list of (start, end) date ranges; got {experience!r}"
        )
    if window_years is not None and window_years <= 0:
        raise ValueError(f"window_years: must be a positive number of years; got {window_years!r}")
    today = as_of or date.today()
    merged = merge_date_ranges(experience, field_name)
    # The window is (as_of - N years, as_of]: exactly N years of days.
    window_start = (
        date.min if window_years is None else _years_before(today, window_years) + timedelta(days=1)
    )
    total = 0.0
    for start, end in merged:
        lo, hi = max(start, window_start), min(end, today)
        if lo <= hi:
            total += _month_fractions(lo, hi)
    total = round(total, 6)
    return total if cap is None else min(total, float(cap))


# --- the profile --------------------------------------------------------------------------------


def _as_frozenset(value: Any, field_name: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    try:
        return frozenset(str(v).strip().lower() for v in value)
    except TypeError:
        raise ValueError(f"{field_name}: expected a list of names; got {value!r}") from None


@dataclass(frozen=True)
class CertProfile:
    """A learner's certification-relevant facts; experience as months or (start, end) date ranges."""

    education: str = "secondary"
    gac_accredited: bool = False
    pm_experience: Experience = 0
    agile_experience: Experience = 0
    program_experience: Experience = 0
    pm_training_hours: float = 0
    agile_training_hours: float = 0
    completed_courses: frozenset[str] = field(default_factory=frozenset)
    active_certs: frozenset[str] = field(default_factory=frozenset)
    agile_role: str = "none"
    goals: tuple[str, ...] = ()
    as_of: date | None = None

    def __post_init__(self) -> None:
        edu = str(self.education).strip().lower() if self.education is not None else ""
        if edu not in EDUCATION_LEVELS:
            raise ValueError(
                f"education: must be one of {', '.join(EDUCATION_LEVELS)}; got {self.education!r}"
            )
        object.__setattr__(self, "education", edu)
        if self.gac_accredited and EDUCATION_LEVELS.index(edu) < EDUCATION_LEVELS.index("bachelor"):
            raise ValueError(
                "gac_accredited: only a bachelor's or higher degree can be GAC-accredited; "
                f"education is {edu!r}"
            )
        for name in ("pm_experience", "agile_experience", "program_experience"):
            experience_months(getattr(self, name), None, self.as_of or date.today(), name)
        for name in ("pm_training_hours", "agile_training_hours"):
            hours = getattr(self, name)
            if (
                isinstance(hours, bool)
                or not isinstance(hours, int | float)
                or not math.isfinite(hours)
                or hours < 0
            ):
                raise ValueError(f"{name}: must be a finite number of hours >= 0; got {hours!r}")
        courses = _as_frozenset(self.completed_courses, "completed_courses")
        unknown = sorted(courses - set(COURSES))
        if unknown:
            raise ValueError(
                f"completed_courses: unknown course {unknown[0]!r}; expected any of {', '.join(COURSES)}"
            )
        object.__setattr__(self, "completed_courses", courses)
        certs = _as_frozenset(self.active_certs, "active_certs")
        known = set(certification_ids()) | set(EXTERNAL_CERTS)
        unknown = sorted(certs - known)
        if unknown:
            raise ValueError(
                f"active_certs: unknown certification {unknown[0]!r}; expected ids such as "
                f"{', '.join(sorted(known))}"
            )
        object.__setattr__(self, "active_certs", certs)
        role = (self.agile_role or "none").strip().lower().replace("_", "-").replace(" ", "-")
        if role not in AGILE_ROLES:
            raise ValueError(
                f"agile_role: must be one of {', '.join(AGILE_ROLES)}; got {self.agile_role!r}"
            )
        object.__setattr__(self, "agile_role", role)
        goals = (self.goals,) if isinstance(self.goals, str) else tuple(self.goals or ())
        goals = tuple(str(g).strip().lower() for g in goals)
        bad = [g for g in goals if g not in GOALS]
        if bad:
            raise ValueError(f"goals: unknown goal {bad[0]!r}; expected any of {', '.join(GOALS)}")
        object.__setattr__(self, "goals", goals)
        if self.as_of is not None and not isinstance(self.as_of, date):
            raise ValueError(f"as_of: expected a date; got {self.as_of!r}")

    def months(self, kind: str, window_years: int | None) -> float:
        """Return this profile's months of ``kind`` (pm, agile, program) experience in the window."""
        value = getattr(self, f"{kind}_experience")
        return experience_months(
            value, window_years, self.as_of or date.today(), f"{kind}_experience"
        )


# --- eligibility --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EligibilityResult:
    """Whether a profile can sit one certification now, what it meets and exactly what is missing."""

    id: str
    name: str
    short_name: str
    eligible: bool
    met: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    already_held: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of this result."""
        d = asdict(self)
        for key in ("met", "missing", "notes"):
            d[key] = list(d[key])
        return d


_EDU_PHRASE = {
    "secondary": "a secondary diploma or associate degree",
    "associate": "a secondary diploma or associate degree",
    "bachelor": "a four-year degree",
    "master": "a four-year degree",
    "doctorate": "a four-year degree",
}
_TRAINING_LABEL = {
    "pm": "contact hours of project-management education",
    "agile": "hours of agile training",
}


def _fmt(x: float) -> str:
    if abs(x - round(x)) < 1e-6:
        return str(int(round(x)))
    return f"{x:.1f}"


def _cert_label(cert_id: str) -> str:
    if cert_id == "ipma":
        return "IPMA level A-D"
    return get_certification(cert_id)["short_name"]


def _check(
    cert: Mapping[str, Any],
    profile: CertProfile,
    assume_certs: frozenset[str] = frozenset(),
    extra_months: float = 0.0,
    assume_training: bool = False,
) -> EligibilityResult:
    rules = cert["rules"]
    short = cert["short_name"]
    held = profile.active_certs | assume_certs
    met: list[str] = []
    missing: list[str] = []
    notes: list[str] = []
    edu = profile.education

    min_edu = rules.get("min_education") or "none"
    if EDUCATION_LEVELS.index(edu) < EDUCATION_LEVELS.index(min_edu):
        missing.append(
            f"{short} needs at least a {min_edu} diploma; your education level is {edu!r}"
        )
    elif min_edu != "none":
        met.append(f"education: {edu} meets the minimum ({min_edu})")

    for req in rules.get("experience") or []:
        kind, window = req["kind"], req["window_years"]
        by_edu = req["months_by_education"]
        if edu not in by_edu:
            continue  # already reported by the education check
        needed = float(by_edu[edu])
        phrase = _EDU_PHRASE[edu]
        if profile.gac_accredited and req.get("months_gac") is not None:
            if req["months_gac"] < needed:
                needed, phrase = float(req["months_gac"]), "a GAC-accredited degree"
        substitutes = [c for c in req.get("satisfied_by") or [] if c in held]
        if substitutes:
            met.append(
                f"an active {_cert_label(substitutes[0])} replaces the {_fmt(needed)} {req['label']}"
            )
            continue
        have = min(profile.months(kind, window) + extra_months, window * 12.0)
        varies = len(set(by_edu.values())) > 1 or req.get("months_gac") is not None
        with_edu = f" with {phrase}" if varies else ""
        if have + 1e-9 >= needed:
            met.append(
                f"{_fmt(have)} {req['label']} in the last {window} years (needs {_fmt(needed)})"
            )
        else:
            missing.append(
                f"{short} needs {_fmt(needed)} {req['label']} in the last {window} years"
                f"{with_edu}; you have {_fmt(have)}"
            )

    training = rules.get("training")
    if training:
        hours = (
            profile.pm_training_hours if training["kind"] == "pm" else profile.agile_training_hours
        )
        label = _TRAINING_LABEL[training["kind"]]
        subs = [c for c in training.get("substitutes") or [] if c in held]
        if subs:
            met.append(f"an active {_cert_label(subs[0])} replaces the {training['hours']} {label}")
        elif assume_training or hours >= training["hours"]:
            met.append(f"{_fmt(hours)} {label} (needs {training['hours']})")
        else:
            alt = ""
            if training.get("substitutes"):
                alt = (
                    " (or an active "
                    + " or ".join(_cert_label(c) for c in training["substitutes"])
                    + ")"
                )
            missing.append(
                f"{short} needs {training['hours']} {label}{alt}; you have {_fmt(hours)}"
            )

    course = rules.get("required_course")
    if course:
        if assume_training or course["id"] in profile.completed_courses:
            met.append(f"completed the {course['name']}")
        else:
            missing.append(
                f"{short} needs the {course['hours']}-hour {course['name']}; not completed yet"
            )

    any_of = rules.get("required_certs_any")
    if any_of:
        have_certs = [c for c in any_of if c in held]
        if have_certs:
            met.append(f"holds {_cert_label(have_certs[0])}")
        else:
            missing.append(
                f"{short} needs one of: {', '.join(_cert_label(c) for c in any_of)}; you hold none"
            )

    for conflict in rules.get("conflicts") or []:
        notes.append(f"unconfirmed ({conflict['confidence']}): {conflict['value']}")
    if rules.get("confidence") == "L":
        notes.append("these rules are low-confidence in the course data; check the body's site")
    already = cert["id"] in profile.active_certs
    if already:
        notes.append(f"you already hold {short}")
    return EligibilityResult(
        id=cert["id"],
        name=cert["name"],
        short_name=short,
        eligible=not missing,
        met=tuple(met),
        missing=tuple(missing),
        notes=tuple(notes),
        already_held=already,
    )


def check_eligibility(cert_id: str, profile: CertProfile) -> EligibilityResult:
    """Return whether ``profile`` can sit ``cert_id`` now and, if not, every missing requirement."""
    if not isinstance(profile, CertProfile):
        raise ValueError(f"profile: expected a CertProfile; got {type(profile).__name__}")
    return _check(get_certification(cert_id), profile)


def check_all(profile: CertProfile) -> list[EligibilityResult]:
    """Return an eligibility result for every certification, in catalogue order."""
    return [check_eligibility(cid, profile) for cid in certification_ids()]


# --- recommendation and roadmap ----------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """A certification ranked for a profile, with the reasons behind its score."""

    id: str
    name: str
    score: float
    eligible: bool
    reasons: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class PathStep:
    """One step of a certification roadmap: sit ``id`` about ``when_months`` from now."""

    id: str
    name: str
    when_months: int
    reason: str


def _profile_stage(profile: CertProfile) -> str:
    months = profile.months("pm", None)
    if months < 12:
        return "foundation"
    if months < 36:
        return "entry"
    if months < 84:
        return "mid"
    return "senior"


_AGILE_ROLE_CERTS = {
    "scrum-master": {"csm", "psm-i", "pmi-acp"},
    "product-owner": {"csm", "psm-i", "pmi-acp"},
    "team-member": {"psm-i", "pmi-acp"},
    "agile-coach": {"pmi-acp", "safe-agilist"},
}


def _months_until_eligible(
    cert: Mapping[str, Any],
    profile: CertProfile,
    assume_certs: Mapping[str, int],
    horizon: int,
) -> int | None:
    """First month (0..horizon) in which ``cert`` becomes sittable, assuming steady PM work."""
    for m in range(horizon + 1):
        certs = frozenset(c for c, when in assume_certs.items() if when <= m)
        res = _check(
            cert,
            profile,
            assume_certs=certs,
            extra_months=float(m),
            assume_training=m >= TRAINING_MONTHS,
        )
        if res.eligible:
            return m
    return None


def recommend_certifications(
    profile: CertProfile, stage: str | None = None, limit: int | None = None
) -> list[Recommendation]:
    """Return certifications ranked best-first for ``profile`` (held ones left out), with reasons."""
    if stage is not None and stage not in STAGE_IDS:
        raise ValueError(f"stage: must be one of {', '.join(STAGE_IDS)}; got {stage!r}")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit: must be a positive integer or None; got {limit!r}")
    stage = stage or _profile_stage(profile)
    order = {s: i for i, s in enumerate(STAGE_IDS)}
    pmp_ok = check_eligibility("pmp", profile).eligible or "pmp" in profile.active_certs
    catalogue = load_certifications().set_index("id")
    recs = []
    for cid in catalogue.index:
        if cid in profile.active_certs:
            continue
        cert = get_certification(cid)
        res = _check(cert, profile)
        score, reasons = 0.0, []
        cert_goals = list(cert["goals"])
        for goal in profile.goals:
            if goal in cert_goals:
                main = cert_goals.index(goal) == 0
                score += 4 if main else 1.5
                reasons.append(f"{'built for' if main else 'also fits'} your goal: {goal}")
        gap = order[cert["stage"]] - order[stage]
        if gap == 0:
            score += 2
            reasons.append(f"suits your career stage ({stage})")
        elif gap == 1:
            score += 2
            reasons.append(f"the next milestone after your stage ({cert['stage']})")
        elif gap < 0:
            score -= 1
            reasons.append(f"aimed at an earlier stage ({cert['stage']})")
        else:
            score -= 2
            reasons.append(f"aimed at a later stage ({cert['stage']})")
        if res.eligible:
            score += 1
            reasons.append("you can sit it now")
        else:
            when = _months_until_eligible(cert, profile, {}, 24)
            if when is not None:
                score += 0.5
                reasons.append(f"within reach in about {when} months")
        if cid in _AGILE_ROLE_CERTS.get(profile.agile_role, set()):
            score += 1
            reasons.append(f"fits your agile role ({profile.agile_role})")
        if cid == "capm" and pmp_ok:
            score -= 3
            reasons.append("you already qualify for PMP, the certification CAPM leads to")
        score += 0.5 * cert.get("recognition", 1)
        if cert.get("recognition", 1) >= 3:
            reasons.append("the most widely recognised PM certification")
        elif cert["in_guide"]:
            reasons.append("named in the career guide")
        recs.append(
            Recommendation(
                id=cid,
                name=cert["name"],
                score=score,
                eligible=res.eligible,
                reasons=tuple(reasons),
                missing=res.missing,
            )
        )
    cost = catalogue["cost_min_usd"].fillna(0.0).to_dict()
    recs.sort(key=lambda r: (-r.score, cost[r.id], r.id))
    return recs[:limit] if limit else recs


def certification_path(
    profile: CertProfile, max_steps: int = 4, horizon_months: int = 120
) -> list[PathStep]:
    """Return a recommended sequence of certifications with months from now (steady PM work assumed)."""
    if not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps: must be a positive integer; got {max_steps!r}")
    if not isinstance(horizon_months, int) or horizon_months < 0:
        raise ValueError(f"horizon_months: must be an integer >= 0; got {horizon_months!r}")
    recs = [r for r in recommend_certifications(profile) if r.score > 0]
    chosen = [r.id for r in recs[:max_steps]]
    prereqs: set[str] = set()
    # A prerequisite the learner lacks goes in front of the certification that needs it.
    for cid in list(chosen):
        any_of = get_certification(cid)["rules"].get("required_certs_any") or []
        if any_of and not any(c in profile.active_certs or c in chosen for c in any_of):
            chosen.insert(chosen.index(cid), any_of[0])
            prereqs.add(any_of[0])
    # CAPM is the guide's stepping stone to PMP when PMP cannot be sat yet.
    if (
        "pmp" in chosen
        and "capm" not in chosen
        and "capm" not in profile.active_certs
        and not check_eligibility("pmp", profile).eligible
    ):
        chosen.insert(chosen.index("pmp"), "capm")
        prereqs.add("capm")
    # Keep to max_steps by dropping the lowest-ranked optional choices, never a prerequisite.
    while len(chosen) > max_steps:
        optional = [c for c in chosen if c not in prereqs]
        chosen.remove(optional[-1])
    assumed: dict[str, int] = {}
    steps: list[PathStep] = []
    for cid in chosen:
        cert = get_certification(cid)
        when = _months_until_eligible(cert, profile, assumed, horizon_months)
        if when is None:
            continue
        # A certificate counts as held once it has been studied for and passed.
        assumed[cid] = when + int(cert.get("prep_months") or 0)
        res = _check(cert, profile)
        reason = "eligible now" if res.eligible else "after: " + "; ".join(res.missing)
        steps.append(PathStep(id=cid, name=cert["name"], when_months=when, reason=reason))
    order = {c: i for i, c in enumerate(chosen)}
    steps.sort(key=lambda s: (s.when_months, order[s.id]))
    return steps[:max_steps]


def certification_report(profile: CertProfile) -> dict[str, Any]:
    """Return ``{"eligible": [...], "not_yet": [...], "recommended_path": [...]}`` as plain dicts."""
    eligible, not_yet = [], []
    for res in check_all(profile):
        if res.already_held:
            continue
        if res.eligible:
            eligible.append(
                {"id": res.id, "name": res.name, "met": list(res.met), "notes": list(res.notes)}
            )
        else:
            not_yet.append(
                {
                    "id": res.id,
                    "name": res.name,
                    "missing": list(res.missing),
                    "notes": list(res.notes),
                }
            )
    path = [
        {"id": s.id, "name": s.name, "when_months": s.when_months, "reason": s.reason}
        for s in certification_path(profile)
    ]
    return {"eligible": eligible, "not_yet": not_yet, "recommended_path": path}


def roadmap_by_stage() -> dict[str, list[str]]:
    """Return the default certification ids for each career stage (foundation to senior)."""
    return load_certification_roadmap()


def stage_certifications(stage: str) -> list[str]:
    """Return the default certification ids for one career ``stage``."""
    roadmap = load_certification_roadmap()
    if stage not in roadmap:
        raise ValueError(f"stage: must be one of {', '.join(STAGE_IDS)}; got {stage!r}")
    return roadmap[stage]
