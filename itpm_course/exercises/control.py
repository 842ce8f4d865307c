"""Self-checks for notebook 13: change control, quality and closure.

Expected answers come from the engine (CPM on the mini plan of notebook 05, the change
analysis of the SSO request) or from the metric definitions, never typed in twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from itpm_course.engine.quality import defect_escape_rate
from itpm_course.engine.schedule import schedule
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough
from itpm_course.exercises.planning import mini_plan

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "every-change-moves-finish",
            "every extra day moves the finish",
            "a task with total float can slip by its float before the project finish moves: "
            "the finish moves by max(0, Δ − total float).",
        ),
        Misconception(
            "float-absorbs-everything",
            "float absorbs any change",
            "float is a limited buffer; once a change is larger than the task's total float, "
            "the rest goes straight onto the finish date.",
        ),
        Misconception(
            "qa-equals-qc",
            "QA and QC are the same",
            "quality assurance checks the PROCESS (prevention: plans, standards, audits); "
            "quality control checks the PRODUCT (detection: tests, inspections).",
        ),
        Misconception(
            "escape-wrong-denominator",
            "dividing escaped defects by the defects found before release",
            "the escape rate is escaped / ALL defects found (before plus after release).",
        ),
        Misconception(
            "small-changes-free",
            "small changes need no change control",
            "small changes add up (scope creep), and a small change on the critical path or "
            "against a thin reserve can cost the deadline; every change is logged and analysed, "
            "even if a small one is decided quickly.",
        ),
        Misconception(
            "any-delay-rejects",
            "any delay means rejecting the change",
            "a change that still fits the deadline and the budget can be approved with "
            "conditions: the board accepts it and decides how the reserve is used.",
        ),
        Misconception(
            "lessons-at-the-end",
            "lessons learned are written at the very end only",
            "lessons are captured throughout the project (retrospectives, phase reviews) and "
            "consolidated at closure; by the end, people have forgotten or moved on.",
        ),
    ]
}


# --------------------------------------------------------------------------- float vs critical
FLOAT_TASK, FLOAT_DELTA = "D", 5


def _check_float(answer: Any) -> str:
    value = as_number(answer, "The move of the finish")
    result = schedule(mini_plan())
    tf = float(result.total_float[result.plan.network.index[FLOAT_TASK]])
    want = max(0.0, FLOAT_DELTA - tf)
    if close_enough(value, want):
        return (
            f"D has {tf:g} days of total float: the first {tf:g} of the {FLOAT_DELTA} extra days are "
            f"absorbed, the other {want:g} move the cut-over."
        )
    if close_enough(value, FLOAT_DELTA):
        raise Incorrect(
            f"{value:g} days assumes D is critical. Is it? Look at its total float.",
            "every-change-moves-finish",
        )
    if close_enough(value, 0):
        raise Incorrect(
            f"D has float, but not {FLOAT_DELTA} days of it.", "float-absorbs-everything"
        )
    raise Incorrect(f"the finish moves by max(0, Δ − total float) with Δ = {FLOAT_DELTA}.")


float_impact = Exercise(
    id="13.float_impact",
    var="finish_moves",
    prompt=(
        f"A change request adds {FLOAT_DELTA} working days to task D (write migration scripts) of "
        "the mini migration plan (`mini_plan()`, 15 days, critical path A → B → C → E → F). By how "
        "many days does the project finish move? Store the number in `finish_moves`."
    ),
    check_fn=_check_float,
    hints=[
        "Only the part of a delay that exceeds the task's total float reaches the finish.",
        "D's total float is its late start minus its early start: `schedule(mini_plan()).to_frame()`.",
        "D has 3 days of total float.",
    ],
    solution_text="D has 3 days of total float, so the finish moves by max(0, 5 − 3) = **2** days.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- QA vs QC
QA_QC_ACTIVITIES = {
    "a": ("Running the regression test suite on the release candidate", "QC"),
    "b": ("Auditing whether the teams follow the agreed code-review process", "QA"),
    "c": ("Writing the quality management plan and the definition of done", "QA"),
    "d": ("Checking migrated databases with checksums against the source", "QC"),
    "e": ("Training the team in the secure coding standard", "QA"),
}


def _check_qa_qc(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect(
            "give a dict from letter to 'QA' or 'QC', e.g. {'a': 'QC', 'b': 'QA', ...}."
        )
    got = {str(k).strip().lower(): str(v).strip().upper() for k, v in answer.items()}
    missing = [k for k in QA_QC_ACTIVITIES if k not in got]
    if missing:
        raise Incorrect(f"classify every activity; {', '.join(missing)} is missing.")
    bad = {k: v for k, v in got.items() if v not in ("QA", "QC")}
    if bad:
        raise Incorrect(f"answer 'QA' or 'QC' for each letter, not {next(iter(bad.values()))!r}.")
    if len(set(got.values())) == 1:
        raise Incorrect("you put every activity in the same group.", "qa-equals-qc")
    wrong = [k for k, (_, want) in QA_QC_ACTIVITIES.items() if got[k] != want]
    if wrong:
        k = wrong[0]
        text, want = QA_QC_ACTIVITIES[k]
        why = (
            "it inspects a product that exists (detection)"
            if want == "QC"
            else "it shapes the process so that quality is built in (prevention)"
        )
        raise Incorrect(f"({k}) '{text}' is {want}: {why}.", "qa-equals-qc")
    return "QA prevents by improving the process; QC detects by checking the product."


qa_vs_qc = Exercise(
    id="13.qa_vs_qc",
    var="qa_or_qc",
    prompt=(
        "Classify each activity as quality assurance ('QA') or quality control ('QC'): "
        + "; ".join(f"({k}) {text}" for k, (text, _) in QA_QC_ACTIVITIES.items())
        + ". Store a dict such as {'a': 'QC', ...} in `qa_or_qc`."
    ),
    check_fn=_check_qa_qc,
    hints=[
        "Ask: does the activity look at a deliverable (product) or at the way work is done (process)?",
        "Tests and inspections are QC; plans, standards, audits of the process and training are QA.",
    ],
    solution_text="a QC, b QA, c QA, d QC, e QA.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- escape rate
ESCAPE_BEFORE, ESCAPE_AFTER = 46, 4


def _check_escape(answer: Any) -> str:
    value = as_number(answer, "The escape rate")
    if value > 1:
        value /= 100  # a percentage
    want = defect_escape_rate(ESCAPE_AFTER, ESCAPE_BEFORE)
    if close_enough(value, want, 5e-4):
        return f"{ESCAPE_AFTER} of {ESCAPE_AFTER + ESCAPE_BEFORE} defects escaped: {want:.0%}."
    if close_enough(value, ESCAPE_AFTER / ESCAPE_BEFORE, 5e-4):
        raise Incorrect(
            f"{value:.3f} divides by the {ESCAPE_BEFORE} found before release only.",
            "escape-wrong-denominator",
        )
    if close_enough(value, 1 - want, 5e-4):
        raise Incorrect(f"{value:.2f} is the share caught BEFORE release (the containment rate).")
    raise Incorrect("escape rate = defects found after release / all defects found.")


escape_rate = Exercise(
    id="13.escape_rate",
    var="escape",
    prompt=(
        f"Testing of the migrated applications found {ESCAPE_BEFORE} defects; users reported "
        f"{ESCAPE_AFTER} more in the first month in production. What is the defect escape rate? "
        "Store it in `escape` as a fraction (e.g. 0.12)."
    ),
    check_fn=_check_escape,
    hints=[
        "Escaped defects are those found after release.",
        f"Divide by ALL defects: {ESCAPE_BEFORE} + {ESCAPE_AFTER}.",
    ],
    solution_text=f"`escape = {ESCAPE_AFTER} / ({ESCAPE_BEFORE} + {ESCAPE_AFTER})`, which is **0.08** (8%).",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- recommendation
@cache
def sso_impact():
    """The SSO change (CR-7) analysed against the migration plan without its risk register."""
    from itpm_course.data import sample_path, sample_plan  # noqa: PLC0415
    from itpm_course.engine.change import analyse_change, load_change  # noqa: PLC0415

    plan = sample_plan("server_migration")
    change = load_change(sample_path("change_sso.yaml"), plan)
    return analyse_change(plan, change, iterations=5000, seed=0)


_DECISIONS = ("approve", "approve with conditions", "defer", "reject")


def _check_recommendation(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect(f"answer with one of {', '.join(repr(d) for d in _DECISIONS)}.")
    got = " ".join(answer.strip().lower().replace("_", " ").split())
    if got not in _DECISIONS:
        raise Incorrect(f"{answer!r} is not a decision; pick one of {', '.join(_DECISIONS)}.")
    impact = sso_impact()
    want = impact.recommendation
    if got == want:
        return "The change fits the deadline and budget but uses float and reserve: " + "; ".join(
            impact.reasons
        )
    if got == "approve":
        raise Incorrect(
            "it fits, but it moves the finish, changes the critical path and uses a third of "
            "the reserve; the board should say how that is paid for.",
            "small-changes-free",
        )
    if got == "reject":
        raise Incorrect(
            f"the changed plan still finishes on day {impact.new_duration:g}, before the deadline "
            f"(day {impact.deadline_days:g}), and within the budget.",
            "any-delay-rejects",
        )
    raise Incorrect(
        f"defer is for changes that push P80 past the deadline; P80 is {impact.p80_after:.1f}, "
        f"inside day {impact.deadline_days:g}.",
        "any-delay-rejects",
    )


recommendation = Exercise(
    id="13.recommendation",
    var="decision",
    prompt=(
        "CR-7 (single sign-on) moves the migration's CPM finish from day 49 to day 52 and its P80 "
        "from about 54 to about 57 days; the deadline is day 59. It adds 5,400 to a plan that "
        "costs 129,800 against a budget of 145,000, and SSO becomes critical. Using the rules of "
        "`analyse_change`, what should the change control board decide? Store 'approve', "
        "'approve with conditions', 'defer' or 'reject' in `decision`."
    ),
    check_fn=_check_recommendation,
    hints=[
        "Does the changed plan still meet the deadline and budget (CPM and P80)? If not, reject or defer.",
        "If it fits, does it consume float, change the critical path or use a big share of the reserve?",
    ],
    solution_text=(
        "**'approve with conditions'**: it fits (P80 57.3 ≤ 59, cost 135,200 ≤ 145,000), but it "
        "moves the finish 3 days, changes the critical path and uses 36% of the 15,200 reserve."
    ),
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- myths
MYTHS = {
    "a": ("Small changes need no change control.", False, "small-changes-free"),
    "b": ("QA and QC are the same thing.", False, "qa-equals-qc"),
    "c": (
        "Lessons learned are written at the very end of the project only.",
        False,
        "lessons-at-the-end",
    ),
    "d": ("An approved change updates the baseline it was measured against.", True, None),
}


def _check_myths(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect("give a dict from letter to True or False, e.g. {'a': True, ...}.")
    got = {str(k).strip().lower(): v for k, v in answer.items()}
    missing = [k for k in MYTHS if k not in got]
    if missing:
        raise Incorrect(f"say True or False for every statement; {', '.join(missing)} is missing.")
    for k, (text, truth, misc) in MYTHS.items():
        if not isinstance(got[k], bool):
            raise Incorrect(f"({k}): answer True or False, not {got[k]!r}.")
        if got[k] != truth:
            if truth:
                raise Incorrect(
                    f"({k}) '{text}' is true: once approved, the change becomes part of the plan "
                    "that progress is measured against; otherwise variances measure the wrong thing."
                )
            raise Incorrect(f"({k}) '{text}' is false.", misc)
    return "Three myths busted, one practice kept."


myths = Exercise(
    id="13.myths",
    var="true_or_false",
    prompt=(
        "True or false? "
        + " ".join(f"({k}) {text}" for k, (text, _, _) in MYTHS.items())
        + " Store a dict such as {'a': True, ...} in `true_or_false`."
    ),
    check_fn=_check_myths,
    hints=[
        "Three of the four are common myths.",
        "Think of scope creep, of process vs product, and of retrospectives during the project.",
    ],
    solution_text="`{'a': False, 'b': False, 'c': False, 'd': True}`.",
    misconceptions=MISCONCEPTIONS,
)

ALL = [float_impact, qa_vs_qc, escape_rate, recommendation, myths]
