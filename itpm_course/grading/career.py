"""Assignment 1, career and certification plan: Jordan's profile, stage and certifications."""

from __future__ import annotations

import re
from typing import Any

from itpm_course.exercises.core import Incorrect
from itpm_course.grading.questions import Mark, combine, mapping, near, number, question

#: The case in the notebook, as the engine's profiles.
JORDAN = {
    "years_it": 5.0,
    "years_pm": 1.5,
    "current_title": "Project Coordinator",
    "background": "it",
}
JORDAN_CERTS = {
    "education": "bachelor",
    "pm_experience": 18,
    "pm_training_hours": 35,
    "goals": ("traditional", "itsm"),
}
#: A pick must be among this many best recommendations for Jordan.
TOP_N = 6
MIN_REASON_WORDS = 12


def _career_profile():
    from itpm_course.engine.career import CareerProfile  # noqa: PLC0415

    return CareerProfile(**JORDAN)


def _cert_profile():
    from itpm_course.engine.certifications import CertProfile  # noqa: PLC0415

    return CertProfile(**JORDAN_CERTS)


def _fields(data: Any, kind: str, var: str) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("__type__") != kind:
        raise Incorrect(f"`{var}` should be a {kind}(...) built from Jordan's facts.")
    return data


@question("career.profile", 3, "Build `jordan` as a CareerProfile from the case.")
def check_profile(data: Any) -> Mark:
    got = _fields(data, "CareerProfile", "jordan")
    title = str(got.get("current_title") or "").strip().lower()
    return combine(
        [
            (1, near(number(got["years_it"], "years_it"), JORDAN["years_it"], abs_=1e-9),
             "years_it: count every year Jordan has worked in IT, service desk included."),
            (1, near(number(got["years_pm"], "years_pm"), JORDAN["years_pm"], abs_=1e-9),
             "years_pm: only the time in a project role counts, in years (months / 12)."),
            (0.5, title == JORDAN["current_title"].lower(), "current_title: use Jordan's title as written."),
            (0.5, got.get("background") == JORDAN["background"],
             "background: which of the engine's BACKGROUNDS describes Jordan's route into PM?"),
        ],
        "The profile matches the case.",
    )  # fmt: skip


@question("career.stage", 2, "Set `jordan_stage` to the stage id classify_stage gives Jordan.")
def check_stage(data: Any) -> Mark:
    from itpm_course.engine.career import classify_stage  # noqa: PLC0415

    if not isinstance(data, str):
        raise Incorrect("`jordan_stage` should be a stage id string such as 'foundation'.")
    expected = classify_stage(_career_profile())
    if data.strip().lower() != expected.stage:
        raise Incorrect(
            "Not the stage the guide gives Jordan: compare the stage Jordan's years in IT point "
            "to with the one the years in PM roles point to - the lower one counts."
        )
    return Mark(1.0, f"Jordan is at {expected.stage_name} ({expected.basis} decides).")


@question("career.cert_profile", 3, "Build `jordan_certs` as a CertProfile from the case.")
def check_cert_profile(data: Any) -> Mark:
    got = _fields(data, "CertProfile", "jordan_certs")
    goals = set(got.get("goals") or [])
    return combine(
        [
            (0.75, got.get("education") == JORDAN_CERTS["education"],
             "education: which EDUCATION_LEVELS entry is a bachelor's degree?"),
            (0.75, near(_months(got.get("pm_experience")), JORDAN_CERTS["pm_experience"], abs_=0.5),
             "pm_experience: months leading projects (Jordan's coordinator months)."),
            (0.75, near(number(got.get("pm_training_hours") or 0, "pm_training_hours"),
                        JORDAN_CERTS["pm_training_hours"], abs_=1e-9),
             "pm_training_hours: the hours of the online PM course."),
            (0.75, goals == set(JORDAN_CERTS["goals"]), "goals: both of Jordan's goals, from GOALS."),
        ],
        "The certification profile matches the case.",
    )  # fmt: skip


def _months(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return -1.0  # date ranges are not what the case gives


@question("career.eligible_now", 4, "Set `eligible_now` to the ids Jordan can sit today.")
def check_eligible(data: Any) -> Mark:
    from itpm_course.engine.certifications import certification_ids, check_all  # noqa: PLC0415

    if isinstance(data, str) or not isinstance(data, list):
        raise Incorrect("`eligible_now` should be a set (or list) of certification ids.")
    got = {str(x).strip().lower() for x in data}
    unknown = got - set(certification_ids())
    if unknown:
        raise Incorrect(f"Unknown certification ids {sorted(unknown)}: use certification_ids().")
    expected = {r.id for r in check_all(_cert_profile()) if r.eligible}
    overlap = len(got & expected) / len(got | expected)
    if overlap == 1:
        return Mark(1.0, f"All {len(expected)} certifications Jordan can sit now.")
    missing, extra = len(expected - got), len(got - expected)
    msg = (
        f"{missing} certification(s) Jordan can already sit are missing and {extra} listed "
        "one(s) have a requirement Jordan does not meet yet: read check_eligibility's `missing`."
    )
    if overlap == 0:
        raise Incorrect(msg)
    return Mark(overlap, msg)


@question("career.picks", 4, "Set `picks` to 2 or 3 certification ids, each with a reason.")
def check_picks(data: Any) -> Mark:
    from itpm_course.engine.certifications import recommend_certifications  # noqa: PLC0415

    picks = mapping(data, "`picks`")
    if not 2 <= len(picks) <= 3:
        raise Incorrect(f"Pick 2 or 3 certifications, not {len(picks)}: a plan needs focus.")
    ranked = recommend_certifications(_cert_profile())
    good = {r.id: r for r in ranked[:TOP_N]}
    known = {r.id for r in ranked}
    shares, notes = [], []
    for cid, reason in picks.items():
        cid = cid.strip().lower()
        words = len(re.findall(r"[A-Za-z0-9']+", str(reason)))
        ok_pick = cid in good
        ok_reason = isinstance(reason, str) and words >= MIN_REASON_WORDS
        shares.append(0.6 * ok_pick + 0.4 * ok_reason)
        if cid not in known:
            notes.append(f"{cid}: not a certification id.")
        elif not ok_pick:
            notes.append(
                f"{cid}: a weak fit for Jordan now - check its stage and goals against Jordan's."
            )
        if not ok_reason:
            notes.append(
                f"{cid}: give a reason of at least {MIN_REASON_WORDS} words "
                "(goal, stage, eligibility or timing)."
            )
    share = sum(shares) / len(shares)
    if share == 0:
        raise Incorrect(" ".join(notes))
    return Mark(share, " ".join(notes) or "Well-chosen certifications with reasons.")
