"""Self-checks for notebook 12, stakeholders and communication.

Expected answers come from the engine (:mod:`itpm_course.engine.stakeholders`) and the sample
register and RACI of the server migration, never typed in twice, so the feedback agrees with
what the notebook shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itpm_course.content.people import TK_MODES, TUCKMAN_STAGES
from itpm_course.engine.stakeholders import (
    QUADRANTS,
    check_raci,
    engagement_gaps,
    escalate,
    escalation_path,
    quadrant,
)
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number
from itpm_course.plan.stakeholders import sample_raci, sample_stakeholders

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "ignore-high-power",
            "high-power, low-interest stakeholders can be ignored",
            "they can stop or redirect the project at any time; low interest today means 'keep "
            "satisfied' (short summaries, no surprises, consulted on what touches them), and "
            "their interest can jump the moment something affects them.",
        ),
        Misconception(
            "axes-swapped",
            "reading power as interest",
            "the grid's two questions are different: how much can they affect the project "
            "(power) and how much does it affect or concern them (interest).",
        ),
        Misconception(
            "shared-accountability",
            "two Accountables share the load",
            "when two people answer for a result, each assumes the other will; exactly one A "
            "per deliverable. Share the work with several R's instead.",
        ),
        Misconception(
            "a-without-r",
            "the Accountable does the work automatically",
            "A answers for the result; somebody must be R (do the work). Write AR when the "
            "Accountable also does it.",
        ),
        Misconception(
            "avoiding-always-wrong",
            "avoiding is always wrong",
            "avoiding is a legitimate mode when the issue is trivial, emotions need to cool, or "
            "someone else is better placed to decide. It is wrong when it lets an important "
            "issue decide itself.",
        ),
        Misconception(
            "more-communication-better",
            "more communication is always better",
            "each message costs the receiver attention; the right amount fits the stakeholder's "
            "power and interest. Daily detail to a busy executive gets ignored, and the one "
            "message that matters gets lost with it.",
        ),
        Misconception(
            "one-threshold",
            "escalating on one threshold only",
            "an issue stays at a level only if it fits ALL of that level's limits: delay and cost.",
        ),
        Misconception(
            "escalate-everything",
            "escalating everything to the top",
            "each level decides what fits its limits; sending small issues up wastes the "
            "sponsor's and committee's time and teaches them to ignore escalations.",
        ),
        Misconception(
            "storming-is-failure",
            "conflict means the team is failing",
            "storming is a normal stage of team development; the PM coaches the team through it.",
        ),
        Misconception(
            "attitude-is-gap",
            "the most critical stakeholder has the biggest gap",
            "the engagement gap is the distance between the current and desired levels; a critic "
            "can be close to where you need them, and an unaware stakeholder far away.",
        ),
    ]
}


def _norm(text: Any) -> str:
    return " ".join(str(text).strip().lower().replace("_", " ").replace("-", " ").split())


# ------------------------------------------------------------------------ 1. grid quadrant
def _cfo():
    return sample_stakeholders().get("CFO")


def _check_quadrant(answer: Any) -> str:
    cfo = _cfo()
    expected = quadrant(cfo.power, cfo.interest)
    given = _norm(answer)
    if given not in QUADRANTS:
        raise Incorrect(f"{answer!r} is not a quadrant; use one of {', '.join(QUADRANTS)}.")
    if given == expected:
        return f"Power {cfo.power}, interest {cfo.interest}: {expected}."
    if given == "monitor":
        raise Incorrect(
            f"the CFO's power is {cfo.power} of 5: the CFO can stop the spend.", "ignore-high-power"
        )
    if given == quadrant(cfo.interest, cfo.power):
        raise Incorrect(
            f"'{given}' would be right for power {cfo.interest}, interest {cfo.power}.",
            "axes-swapped",
        )
    raise Incorrect(f"with interest {cfo.interest} (below 4) the CFO is not in '{given}'.")


grid_quadrant = Exercise(
    id="12.grid_quadrant",
    var="cfo_quadrant",
    prompt=(
        "Where does the CFO of the sample register (power 5, interest 2) sit on the "
        "power/interest grid? Store the quadrant's name (e.g. 'monitor') in `cfo_quadrant`."
    ),
    check_fn=_check_quadrant,
    hints=[
        "Ratings of 4 and 5 count as high, 1 to 3 as low.",
        "High power with low interest is the top-left quadrant.",
    ],
    solution_text="`cfo_quadrant = 'keep satisfied'`: high power (5), low interest (2).",
    misconceptions=MISCONCEPTIONS,
)


# ------------------------------------------------------------------------- 2. fix a RACI row
UAT_ROW = {"PM": "I", "Sponsor": "I", "QA": "A", "App owners": "A", "Business users": "R"}


def _check_uat_row(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect("give a dict from role to letters, e.g. {'QA': 'R', ...}.")
    raci = sample_raci()
    for role in raci.roles:
        raci = raci.with_cell("UAT", role, "")
    unknown = [r for r in answer if r not in raci.roles]
    if unknown:
        raise Incorrect(
            f"{', '.join(map(repr, unknown))} is not a role of the RACI: {', '.join(raci.roles)}."
        )
    for role, letters in answer.items():
        try:
            raci = raci.with_cell("UAT", role, letters)
        except ValueError as exc:
            raise Incorrect(f"{role}: {exc}.") from None
    codes = {f.code for f in check_raci(raci) if f.task == "UAT"}
    accountable = [r for r, v in raci.row("UAT").items() if "A" in v]
    if "RACI-MANY-A" in codes:
        raise Incorrect(
            f"UAT still has {len(accountable)} Accountables ({', '.join(accountable)}).",
            "shared-accountability",
        )
    if "RACI-NO-A" in codes:
        raise Incorrect("now UAT has no Accountable at all; keep exactly one A.")
    if "RACI-NO-R" in codes:
        raise Incorrect("nobody is Responsible for running the tests.", "a-without-r")
    return (
        f"One Accountable ({accountable[0]}) and somebody doing the work. Either QA or the "
        "application owners can be A: pick who signs off acceptance and make the other R or C."
    )


raci_fix = Exercise(
    id="12.raci_fix",
    var="uat_row",
    prompt=(
        "The UAT row `UAT_ROW` has two Accountables (QA and App owners). Store a corrected row, "
        "a dict from role to letters, in `uat_row`."
    ),
    check_fn=_check_uat_row,
    hints=[
        "Exactly one role keeps the A. Who signs off that the business accepts the system?",
        "The other role still works on UAT: give it R (or C).",
    ],
    solution_text=(
        "`uat_row = {'PM': 'I', 'Sponsor': 'I', 'QA': 'R', 'App owners': 'A', "
        "'Business users': 'R'}`: the application owners accept; QA and key users do the testing."
    ),
    misconceptions=MISCONCEPTIONS,
)


# ---------------------------------------------------------------------- 3. conflict modes
MODE_CASES = {
    "a": (
        "A production database is being corrupted by a migration script during cut-over; the "
        "team is debating what to do.",
        "competing",
    ),
    "b": (
        "Two engineers argue about server names late on a Friday; either scheme works and the "
        "architect decides naming on Monday.",
        "avoiding",
    ),
    "c": (
        "Security needs full hardening and the business needs go-live this month; both concerns "
        "are essential and you have a week to find a solution together.",
        "collaborating",
    ),
    "d": (
        "The test lead shows that your test schedule double-books the UAT room; she is right.",
        "accommodating",
    ),
    "e": (
        "Two department heads of equal standing both want the same DBA for the next two weeks; "
        "you need a quick, temporary settlement.",
        "compromising",
    ),
}


def mode_cases() -> dict[str, str]:
    """The situations of the conflict-mode exercise, by letter."""
    return {k: text for k, (text, _) in MODE_CASES.items()}


def _check_modes(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect("give a dict from letter to mode, e.g. {'a': 'competing', ...}.")
    given = {_norm(k): _norm(v) for k, v in answer.items()}
    missing = [k for k in MODE_CASES if k not in given]
    if missing:
        raise Incorrect(f"your dict has no mode for {', '.join(missing)}.")
    for letter, (_, right) in MODE_CASES.items():
        chosen = given[letter]
        if chosen not in TK_MODES:
            raise Incorrect(f"'{chosen}' for ({letter}) is not one of {', '.join(TK_MODES)}.")
        if chosen == right:
            continue
        if right == "avoiding":
            raise Incorrect(
                f"({letter}) is trivial, heated and someone else decides on Monday.",
                "avoiding-always-wrong",
            )
        raise Incorrect(f"({letter}) is not '{chosen}'. Ask how much each side's concern matters.")
    return "Five for five: every mode has situations where it is the right one."


conflict_modes = Exercise(
    id="12.conflict_modes",
    var="modes",
    prompt=(
        "Name the Thomas–Kilmann mode that fits each situation in `mode_cases()` (competing, "
        "collaborating, compromising, avoiding, accommodating). Store a dict such as "
        "`{'a': 'competing', ...}` in `modes`."
    ),
    check_fn=_check_modes,
    hints=[
        "An emergency calls for a quick decision; a point where you are wrong calls for giving way.",
        "When the issue is trivial and emotions are high, postponing is a choice, not a failure.",
    ],
    solution_text=(
        "`modes = {'a': 'competing', 'b': 'avoiding', 'c': 'collaborating', "
        "'d': 'accommodating', 'e': 'compromising'}`."
    ),
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------- 4. communicating with the CFO
CFO_OPTIONS = {
    "a": "Add the CFO to the team's Slack channel and send a daily status update.",
    "b": "Invite the CFO to the weekly two-hour technical status meeting.",
    "c": "A one-page executive summary by email each month, and a call before any decision "
    "that touches the budget.",
    "d": "Nothing until the closing report; the CFO is not interested in servers.",
}
_CFO_RIGHT = "c"


def _check_cfo_comms(answer: Any) -> str:
    given = _norm(answer).strip("()")
    if given not in CFO_OPTIONS:
        raise Incorrect(f"answer with one letter of {', '.join(CFO_OPTIONS)}.")
    if given == _CFO_RIGHT:
        return "Keep satisfied: little, short and at the right moments, and never a surprise."
    if given in ("a", "b"):
        raise Incorrect(
            "that much detail goes to someone with interest 2; it will be ignored.",
            "more-communication-better",
        )
    raise Incorrect("the CFO has power 5 and signs off spend above 40k.", "ignore-high-power")


cfo_comms = Exercise(
    id="12.cfo_comms",
    var="cfo_plan",
    prompt=(
        "Which communication suits the CFO (keep satisfied)? Pick a letter from `CFO_OPTIONS` "
        "and store it in `cfo_plan`."
    ),
    check_fn=_check_cfo_comms,
    hints=[
        "Keep satisfied: meet their needs without overloading them.",
        "What does a busy executive with a veto over spend need, and how often?",
    ],
    solution_text="`cfo_plan = 'c'`: a monthly one-page summary, and a call before budget decisions.",
    misconceptions=MISCONCEPTIONS,
)


# -------------------------------------------------------------------------- 5. escalation
ISSUE_DELAY, ISSUE_COST = 2, 8000


def _check_escalation(answer: Any) -> str:
    path = escalation_path()
    expected = escalate(ISSUE_DELAY, ISSUE_COST, path)
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        level = int(as_number(answer, "The level"))
    else:
        text = _norm(answer)
        matches = [lv.level for lv in path if text in (_norm(lv.who), _norm(lv.role))]
        if not matches:
            names = ", ".join(f"{lv.level} ({lv.who})" for lv in path)
            raise Incorrect(f"{answer!r} is not a level of the path: {names}.")
        level = matches[0]
    if level == expected.level:
        return (
            f"Level {expected.level}, {expected.who}: the delay ({ISSUE_DELAY} days) fits the "
            f"PM's limit but the cost ({ISSUE_COST:,}) does not."
        )
    by_delay = next(
        lv for lv in path if lv.max_delay_days is None or ISSUE_DELAY <= lv.max_delay_days
    )
    if level == by_delay.level:
        raise Incorrect(f"level {level} can absorb the delay, but not the cost.", "one-threshold")
    if level > expected.level:
        raise Incorrect(f"level {level} is higher than needed.", "escalate-everything")
    raise Incorrect(f"level {level}'s limits are too small for this issue.")


escalation_level = Exercise(
    id="12.escalation_level",
    var="escalate_to",
    prompt=(
        f"With the default escalation path, who decides an issue that delays the finish by "
        f"{ISSUE_DELAY} working days and costs {ISSUE_COST:,}? Store the level number (or who, "
        "e.g. 'Project manager') in `escalate_to`."
    ),
    check_fn=_check_escalation,
    hints=[
        "Go up the path and stop at the first level whose limits the issue fits.",
        "Both the delay and the cost must be within a level's limits.",
    ],
    solution_text="`escalate_to = 3`: the project sponsor (the PM's cost limit is 5,000).",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- 6. team stages
STAGE_CASES = {
    "a": (
        "The team has just met at kick-off; people ask about roles and wait for direction.",
        "forming",
    ),
    "b": (
        "Two weeks in, engineers argue about the runbook and push back on estimates.",
        "storming",
    ),
    "c": (
        "The team agrees a working agreement on Confluence and starts helping each other.",
        "norming",
    ),
    "d": ("The team fixes a failed wave overnight without involving the PM.", "performing"),
    "e": (
        "After go-live the team hands over to operations and records lessons learned.",
        "adjourning",
    ),
}


def stage_cases() -> dict[str, str]:
    """The situations of the team-stage exercise, by letter."""
    return {k: text for k, (text, _) in STAGE_CASES.items()}


def _check_stages(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect("give a dict from letter to stage, e.g. {'a': 'forming', ...}.")
    given = {_norm(k): _norm(v) for k, v in answer.items()}
    missing = [k for k in STAGE_CASES if k not in given]
    if missing:
        raise Incorrect(f"your dict has no stage for {', '.join(missing)}.")
    for letter, (_, right) in STAGE_CASES.items():
        chosen = given[letter]
        if chosen not in TUCKMAN_STAGES:
            if right == "storming" and chosen in ("failing", "failure", "dysfunctional"):
                raise Incorrect(f"({letter}) is a stage, not a failure.", "storming-is-failure")
            raise Incorrect(f"'{chosen}' is not one of {', '.join(TUCKMAN_STAGES)}.")
        if chosen != right:
            raise Incorrect(f"({letter}) is not '{chosen}'.")
    return "Forming, storming, norming, performing, adjourning: and teams can move back."


team_stage = Exercise(
    id="12.team_stage",
    var="stages",
    prompt=(
        "Name Tuckman's stage for each situation in `stage_cases()`. Store a dict such as "
        "`{'a': 'forming', ...}` in `stages`."
    ),
    check_fn=_check_stages,
    hints=["Arguments about approach are normal in the second stage."],
    solution_text=(
        "`stages = {'a': 'forming', 'b': 'storming', 'c': 'norming', 'd': 'performing', "
        "'e': 'adjourning'}`."
    ),
    misconceptions=MISCONCEPTIONS,
)


# -------------------------------------------------------------------------- 7. biggest gap
def _check_gap(answer: Any) -> str:
    register = sample_stakeholders()
    gaps = engagement_gaps(register)
    top = gaps.iloc[0]
    given = str(answer).strip()
    ids = {s.id.lower(): s.id for s in register}
    names = {s.name.lower(): s.id for s in register}
    sid = ids.get(given.lower()) or names.get(given.lower())
    if sid is None:
        raise Incorrect(f"{answer!r} is not a stakeholder id or name of the sample register.")
    if sid == top["id"]:
        return f"{top['id']}: {top['current']} → {top['desired']}, {top['gap']} levels."
    s = register.get(sid)
    if s.attitude in ("critic", "blocker"):
        raise Incorrect(
            f"{sid} is a {s.attitude}, but {s.current_engagement} → {s.desired_engagement} is "
            f"{s.engagement_gap} levels.",
            "attitude-is-gap",
        )
    raise Incorrect(f"{sid}'s gap is {s.engagement_gap} level(s); one stakeholder's is larger.")


biggest_gap = Exercise(
    id="12.biggest_gap",
    var="biggest_gap_id",
    prompt=(
        "Which stakeholder of the sample register has the largest engagement gap (levels "
        "between current and desired)? Store their id in `biggest_gap_id`."
    ),
    check_fn=_check_gap,
    hints=[
        "The levels in order: unaware, resistant, neutral, supportive, leading.",
        "`engagement_gaps(register)` sorts the gaps, largest first.",
    ],
    solution_text="`biggest_gap_id = 'Business users'`: unaware → supportive, three levels.",
    misconceptions=MISCONCEPTIONS,
)

ALL = [
    grid_quadrant,
    raci_fix,
    conflict_modes,
    cfo_comms,
    escalation_level,
    team_stage,
    biggest_gap,
]

__all__ = [
    "ALL",
    "CFO_OPTIONS",
    "MISCONCEPTIONS",
    "UAT_ROW",
    "biggest_gap",
    "cfo_comms",
    "conflict_modes",
    "escalation_level",
    "grid_quadrant",
    "mode_cases",
    "raci_fix",
    "stage_cases",
    "team_stage",
]
