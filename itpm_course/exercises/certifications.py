"""Self-checks for notebook 10, certifications: eligibility at the boundaries.

Every expected answer is computed with :mod:`itpm_course.engine.certifications`, so the feedback
always agrees with the chooser widget and ``itpm-course certs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from itpm_course.engine.certifications import (
    CertProfile,
    check_all,
    check_eligibility,
    experience_months,
)
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough

AS_OF = dt.date(2026, 11, 26)

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "overlap-counts-twice",
            "overlapping projects count twice toward PMP months",
            "PMI counts calendar months of experience, not project-months: two projects running in "
            "the same month give one month.",
        ),
        Misconception(
            "associate-is-a-degree",
            "an associate degree earns the 36-month path",
            "PMP's 36-month path needs a four-year degree; a secondary diploma or an associate "
            "degree needs 60 months.",
        ),
        Misconception(
            "capm-no-substitute",
            "the 35 hours are always needed",
            "an active CAPM replaces PMP's 35 contact hours of education.",
        ),
        Misconception(
            "almost-is-enough",
            "close to the threshold is enough",
            "the rules are thresholds: 35 contact hours means 35, and 34 is not enough.",
        ),
        Misconception(
            "csm-exam-only",
            "CSM has an exam-only path",
            "Scrum Alliance's CSM needs a 16-hour live course with a Certified Scrum Trainer before the "
            "exam; PSM I (Scrum.org) is the Scrum certificate you can sit with no course.",
        ),
        Misconception(
            "capm-needs-nothing",
            "CAPM is open to anyone",
            "CAPM needs no experience, but it does need 23 contact hours of PM education first.",
        ),
    ]
}


# ----------------------------------------------------------------------------- PMP boundaries
PMP_CASES = {
    "A": dict(education="bachelor", pm_experience=36, pm_training_hours=35),
    "B": dict(education="bachelor", pm_experience=36, pm_training_hours=34),
    "C": dict(education="associate", pm_experience=48, pm_training_hours=35),
    "D": dict(education="secondary", pm_experience=60, pm_training_hours=0, active_certs={"capm"}),
    "E": dict(education="master", pm_experience=35, pm_training_hours=40),
}
PMP_CASE_TEXT = {
    "A": "a bachelor's degree, exactly 36 months leading projects, exactly 35 contact hours",
    "B": "a bachelor's degree, 36 months, 34 contact hours",
    "C": "an associate degree, 48 months, 35 contact hours",
    "D": "a secondary diploma, 60 months, no training course but an active CAPM",
    "E": "a master's degree, 35 months, 40 contact hours",
}


def pmp_case_results() -> dict[str, Any]:
    """The engine's PMP eligibility result for each case letter."""
    return {
        k: check_eligibility("pmp", CertProfile(as_of=AS_OF, **v)) for k, v in PMP_CASES.items()
    }


def _letters(answer: Any, valid: Iterable[str]) -> set[str]:
    if isinstance(answer, str):
        answer = [a for a in answer.replace(",", " ").split() if a]
    try:
        letters = {str(a).strip().upper() for a in answer}
    except TypeError:
        raise Incorrect(
            f"give the letters as a list or set, e.g. ['A', 'C'], not {answer!r}."
        ) from None
    bad = sorted(letters - set(valid))
    if bad:
        raise Incorrect(f"{bad[0]!r} is not one of the cases ({', '.join(sorted(valid))}).")
    return letters


def _check_pmp(answer: Any) -> str:
    got = _letters(answer, PMP_CASES)
    results = pmp_case_results()
    expected = {k for k, r in results.items() if r.eligible}
    if got == expected:
        return "A and D sit right on the line: exactly 36 months and 35 hours are enough, and a CAPM replaces the hours."
    if "C" in got:
        raise Incorrect(
            f"C cannot sit PMP yet: {results['C'].missing[0]}.", "associate-is-a-degree"
        )
    if "B" in got:
        raise Incorrect(f"B cannot sit PMP yet: {results['B'].missing[0]}.", "almost-is-enough")
    if "E" in got:
        raise Incorrect(f"E cannot sit PMP yet: {results['E'].missing[0]}.", "almost-is-enough")
    if "D" not in got:
        raise Incorrect("D can sit PMP: 60 months fits a secondary diploma.", "capm-no-substitute")
    raise Incorrect(
        "A can sit PMP: 36 months with a four-year degree and 35 hours meet the rule exactly."
    )


pmp_boundaries = Exercise(
    id="10.pmp_boundaries",
    var="can_sit_pmp",
    prompt="Which of the five candidates A-E can sit the PMP exam today? Store the letters in `can_sit_pmp`, e.g. `['A', 'C']`.",
    check_fn=_check_pmp,
    hints=[
        "Check three things for each: the months for their education level, the 35 hours, and whether an active CAPM replaces the hours.",
        "Four-year degree: 36 months. Secondary diploma or associate degree: 60 months. Both are minimums: equal is enough.",
    ],
    solution_text=(
        "`can_sit_pmp = ['A', 'D']`. B has 34 hours (needs 35), C has an associate degree (needs 60 months), "
        "E has 35 months (needs 36). D's CAPM replaces the hours."
    ),
    misconceptions=MISCONCEPTIONS,
)


# ----------------------------------------------------------------------------- overlapping projects
OVERLAP_PROJECTS = [
    ("Data-centre move", "2022-01-01", "2023-12-31"),
    ("ERP upgrade", "2023-07-01", "2024-06-30"),
]


def expected_overlap_months() -> float:
    """Non-overlapping months of the two projects inside PMP's 8-year window."""
    return experience_months([(s, e) for _, s, e in OVERLAP_PROJECTS], 8, AS_OF)


def _check_overlap(answer: Any) -> str:
    value = as_number(answer, "The months of experience")
    expected = expected_overlap_months()
    if close_enough(value, expected, 0.01):
        return f"{expected:g} months: July-December 2023 counts once although both projects ran."
    total = sum(experience_months([(s, e)], 8, AS_OF) for _, s, e in OVERLAP_PROJECTS)
    if close_enough(value, total, 0.01):
        raise Incorrect(
            f"{value:g} adds both projects in full, so July-December 2023 is counted twice.",
            "overlap-counts-twice",
        )
    raise Incorrect(
        f"{value:g} months is not it: count the calendar months from the first start to the last end, once each."
    )


overlapping_experience = Exercise(
    id="10.overlap",
    var="pmp_months",
    prompt=(
        "You led a data-centre move from January 2022 to December 2023 and, alongside it, an ERP upgrade "
        "from July 2023 to June 2024 (both inclusive). How many months count toward PMP? Store the number in `pmp_months`."
    ),
    check_fn=_check_overlap,
    hints=[
        "Draw the two projects on a timeline. Which months are covered by at least one project?",
        "From January 2022 to June 2024 with no gap: count those months once.",
    ],
    solution_text="`pmp_months = 30`: January 2022 to June 2024 is 30 calendar months; the 6 overlapping months count once.",
    misconceptions=MISCONCEPTIONS,
)


# ----------------------------------------------------------------------------- sit with nothing
def expected_open_certs() -> set[str]:
    """Certifications a school leaver with no course, training or experience can sit today."""
    profile = CertProfile(education="secondary", as_of=AS_OF)
    return {r.id for r in check_all(profile) if r.eligible}


def _check_open(answer: Any) -> str:
    if isinstance(answer, str):
        answer = [a for a in answer.replace(",", " ").split() if a]
    try:
        got = {str(a).strip().lower() for a in answer}
    except TypeError:
        raise Incorrect(f"give a list of certification ids, not {answer!r}.") from None
    expected = expected_open_certs()
    if got == expected:
        return "These five test knowledge only; the others also ask for a course, training hours or experience."
    if "csm" in got:
        raise Incorrect(
            "CSM is not open yet: "
            + check_eligibility("csm", CertProfile(as_of=AS_OF)).missing[0]
            + ".",
            "csm-exam-only",
        )
    if "capm" in got:
        raise Incorrect(
            "CAPM is not open yet: "
            + check_eligibility("capm", CertProfile(as_of=AS_OF)).missing[0]
            + ".",
            "capm-needs-nothing",
        )
    wrong = sorted(got - expected)
    if wrong:
        raise Incorrect(f"{wrong[0]} has a prerequisite this person does not meet.")
    raise Incorrect(
        f"{len(expected - got)} more can be sat with no course and no experience; check the table's prerequisites column."
    )


open_certifications = Exercise(
    id="10.open_certs",
    var="open_now",
    prompt=(
        "Sam has a secondary diploma, no PM training, no courses and no project experience. Which certifications "
        "can Sam sit today? Store their ids in `open_now` (ids as in the table, e.g. 'psm-i')."
    ),
    check_fn=_check_open,
    hints=[
        "Look at the prerequisites column of the table: which say 'none'?",
        "Scrum has two certificates: one needs a course with a trainer, the other does not.",
    ],
    solution_text=(
        "`open_now = ['psm-i', 'prince2-foundation', 'itil4-foundation', 'comptia-project-plus', 'google-pm']`. "
        "CSM and SAFe need a course, CAPM 23 contact hours, the rest experience or another certificate."
    ),
    misconceptions=MISCONCEPTIONS,
)

EXERCISES = (pmp_boundaries, overlapping_experience, open_certifications)
