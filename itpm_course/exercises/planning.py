"""Self-checks for notebook 05, planning and scheduling.

Expected answers are computed with the engine from the exercise data, never typed in, so
the feedback always agrees with what ``itpm_course.schedule`` shows the learner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from itpm_course.engine.schedule import Schedule, schedule
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough
from itpm_course.plan import Link, ProjectPlan, plan_from_csv_text

# A small server migration, small enough to schedule by hand.
MINI_PLAN_CSV = """\
id,name,duration,predecessors
A,Inventory the old servers,3,
B,Order and receive hardware,5,A
C,Build the new servers,4,B
D,Write migration scripts,6,A
G,Document the runbook,2,D
E,Rehearse the migration,2,"C; D"
F,Cut over to the new servers,1,"E; G"
"""

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "triangular-mean",
            "averaging the three estimates",
            "(a + m + b) / 3 is the triangular mean; PERT weights the most likely value four times: (a + 4m + b) / 6.",
        ),
        Misconception(
            "most-likely-is-expected",
            "the most likely value is the expected value",
            "when the pessimistic tail is long, the expected duration is above the most likely one.",
        ),
        Misconception(
            "midpoint",
            "the midpoint of the range",
            "(a + b) / 2 ignores the most likely value; PERT uses (a + 4m + b) / 6.",
        ),
        Misconception(
            "earliest-predecessor",
            "a task can start when its first predecessor finishes",
            "with finish-to-start links a task waits for ALL of its predecessors: its early start is the LATEST predecessor finish.",
        ),
        Misconception(
            "one-based-days",
            "counting the first day as day 1",
            "in CPM tables day 0 is the project start; a task that starts on day 3 starts right after three full days of work.",
        ),
        Misconception(
            "longest-tasks",
            "the critical path is made of the longest tasks",
            "the critical path is the longest CHAIN of dependent tasks; a long task with float is not critical.",
        ),
        Misconception(
            "free-equals-total",
            "free float and total float are the same",
            "total float is how long a task can slip without delaying the PROJECT; free float is how long it can slip "
            "without delaying ANY successor. Using free float never hurts anyone; using total float eats a successor's float.",
        ),
        Misconception(
            "fs-for-overlap",
            "using finish-to-start with a lag to express overlap",
            "'C FS+2' waits for C to FINISH, then two more days; overlapping work that starts after C starts is start-to-start: 'C SS+2'.",
        ),
        Misconception(
            "lead-lag-sign",
            "the sign of a lag",
            "a positive lag is a wait (+2 = two days later); a negative lag is a lead (work starts earlier).",
        ),
        Misconception(
            "children-exceed-parent",
            "a WBS can hold work outside its parent",
            "the 100% rule: the children of a WBS element add up to exactly 100% of the parent, no more and no less.",
        ),
    ]
}


@cache
def mini_plan() -> ProjectPlan:
    """The small server-migration plan used by the by-hand exercises."""
    return plan_from_csv_text(
        MINI_PLAN_CSV,
        source="mini server migration",
        name="Mini server migration",
        start="2026-01-05",
    )


def mini_schedule() -> Schedule:
    """CPM results of :func:`mini_plan`."""
    return schedule(mini_plan())


# --------------------------------------------------------------------------- WBS roll-up
WBS_PARENT_COST = 48_000
WBS_CHILDREN = {"1.1 Hardware": 21_000, "1.2 Licences": 9_500, "1.3 Migration services": None}


def _check_wbs(answer: Any) -> str:
    value = as_number(answer, "The cost of 1.3")
    known = sum(v for v in WBS_CHILDREN.values() if v is not None)
    expected = WBS_PARENT_COST - known
    if close_enough(value, expected):
        return "The three children now add up to exactly the parent: nothing is missing and nothing is extra."
    if value + known > WBS_PARENT_COST:
        raise Incorrect(
            f"with 1.3 = {value:,.0f} the children add up to {value + known:,.0f}, more than the parent's {WBS_PARENT_COST:,}.",
            "children-exceed-parent",
        )
    raise Incorrect(
        f"with 1.3 = {value:,.0f} the children add up to {value + known:,.0f}; {WBS_PARENT_COST - known - value:,.0f} "
        "of the parent's scope would belong to no work package.",
        "children-exceed-parent",
    )


wbs_rollup = Exercise(
    id="05.wbs_rollup",
    var="cost_13",
    prompt=(
        f"WBS element 1 'Infrastructure' is budgeted at {WBS_PARENT_COST:,}. Its children are 1.1 Hardware (21,000), "
        "1.2 Licences (9,500) and 1.3 Migration services. Under the 100% rule, what must 1.3 cost? Store it in `cost_13`."
    ),
    check_fn=_check_wbs,
    hints=[
        "The 100% rule says the children of an element together are exactly the parent.",
        "Subtract the known children from the parent: 48,000 − 21,000 − 9,500.",
    ],
    solution_text="`cost_13 = 48_000 - 21_000 - 9_500`, which is **17,500**.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- PERT estimate
PERT_A, PERT_M, PERT_B = 4, 6, 14


def _check_pert(answer: Any) -> str:
    value = as_number(answer, "The expected duration")
    expected = (PERT_A + 4 * PERT_M + PERT_B) / 6
    if close_enough(value, expected, 1e-3):
        return f"The PERT mean {expected:g} sits above the most likely {PERT_M} because the pessimistic tail is long."
    if close_enough(value, (PERT_A + PERT_M + PERT_B) / 3, 1e-3):
        raise Incorrect(f"{value:g} is the plain average of the three numbers.", "triangular-mean")
    if close_enough(value, PERT_M):
        raise Incorrect(f"{value:g} is the most likely estimate itself.", "most-likely-is-expected")
    if close_enough(value, (PERT_A + PERT_B) / 2):
        raise Incorrect(f"{value:g} is halfway between optimistic and pessimistic.", "midpoint")
    raise Incorrect(
        f"{value:g} is not the PERT expected duration; recompute (a + 4m + b) / 6 with a=4, m=6, b=14."
    )


pert_mean = Exercise(
    id="05.pert_mean",
    var="expected_days",
    prompt=(
        "The database team estimates the data copy at 4 days at best, 6 days most likely and 14 days at worst. "
        "What is the PERT expected duration? Store it in `expected_days`."
    ),
    check_fn=_check_pert,
    hints=[
        "PERT weights the most likely value four times as much as each extreme.",
        "te = (a + 4m + b) / 6.",
        "(4 + 4×6 + 14) / 6 = 42 / 6.",
    ],
    solution_text="`expected_days = (4 + 4 * 6 + 14) / 6`, which is **7.0** days.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- forward pass
def _check_forward(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect(
            f"give a dict from task id to early start, e.g. {{'A': 0, 'B': 3, ...}}, not a {type(answer).__name__}."
        )
    result = mini_schedule()
    plan = mini_plan()
    ids = list(result.ids)
    missing = [t for t in ids if t not in answer]
    if missing:
        raise Incorrect(f"your dict has no early start for task(s) {', '.join(missing)}.")
    extra = [str(k) for k in answer if k not in ids]
    if extra:
        raise Incorrect(
            f"there is no task {extra[0]!r} in this plan; the tasks are {', '.join(ids)}."
        )
    ef = dict(zip(ids, result.early_finish.tolist(), strict=True))
    offsets = [
        as_number(answer[t], f"The early start of {t}") - result.early_start[k]
        for k, t in enumerate(ids)
    ]
    if all(o == 1 for o in offsets):
        raise Incorrect(
            "every one of your early starts is one more than the engine's.", "one-based-days"
        )
    for k, tid in enumerate(ids):
        got = as_number(answer[tid], f"The early start of {tid}")
        want = result.early_start[k]
        if got == want:
            continue
        preds = [link.predecessor for link in plan.task(tid).predecessors]
        if not preds:
            raise Incorrect(
                f"task {tid} has no predecessors, so it starts at the project start, day 0 — not day {got:g}."
            )
        latest = max(preds, key=lambda p: ef[p])
        if got < want:
            earliest = min(preds, key=lambda p: ef[p])
            misc = "earliest-predecessor" if len(preds) > 1 and got == ef[earliest] else None
            raise Incorrect(
                f"task {tid} starts on day {got:g} but its predecessor {latest} finishes on day {ef[latest]:g}.",
                misc,
            )
        raise Incorrect(
            f"task {tid} could start on day {want:g}: its last predecessor, {latest}, finishes on day {ef[latest]:g} "
            f"— you have it waiting until day {got:g}."
        )
    return "That is the forward pass: each task starts when its last predecessor finishes."


forward_pass = Exercise(
    id="05.forward_pass",
    var="early_starts",
    prompt=(
        "Do the forward pass by hand on the mini migration plan (`mini_plan()`): store a dict of every task's "
        "early start (day 0 = project start) in `early_starts`, e.g. `{'A': 0, 'B': 3, ...}`."
    ),
    check_fn=_check_forward,
    hints=[
        "Tasks with no predecessors start on day 0. Early finish = early start + duration.",
        "With finish-to-start links, a task's early start is the LATEST early finish among its predecessors.",
        "E waits for both C and D; F waits for both E and G.",
    ],
    solution_text="A 0, B 3, D 3, C 8, G 9, E 12, F 14 — so the project takes 15 days.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- critical path
def _check_critical(answer: Any) -> str:
    if isinstance(answer, str):
        answer = [
            a for a in answer.replace("→", " ").replace("-", " ").replace(",", " ").split() if a
        ]
    if not isinstance(answer, Sequence):
        raise Incorrect(
            f"give the critical tasks as a list of ids in order, e.g. ['A', 'B'], not a {type(answer).__name__}."
        )
    result = mini_schedule()
    want = result.critical_tasks
    got = [str(a).strip() for a in answer]
    unknown = [g for g in got if g not in result.ids]
    if unknown:
        raise Incorrect(f"there is no task {unknown[0]!r} in this plan.")
    tf = dict(zip(result.ids, result.total_float.tolist(), strict=True))
    with_float = [g for g in got if tf[g] > 0]
    if with_float:
        t = with_float[0]
        dur = mini_plan().task(t).duration
        longest = max(mini_plan().tasks, key=lambda x: x.duration).id
        misc = "longest-tasks" if t == longest else None
        raise Incorrect(
            f"task {t} ({dur:g} days) has {tf[t]:g} days of total float, so it is not critical.",
            misc,
        )
    missing = [w for w in want if w not in got]
    if missing:
        raise Incorrect(
            f"task {missing[0]} has zero total float: it is critical and belongs in your list."
        )
    if got != want:
        raise Incorrect(f"right tasks, but list them in the order they happen: {' → '.join(want)}.")
    return f"{' → '.join(want)}: delay any of them and the cut-over moves."


critical_path = Exercise(
    id="05.critical_path",
    var="critical",
    prompt="Which tasks of the mini migration are critical? Store their ids, in order, in `critical` (a list).",
    check_fn=_check_critical,
    hints=[
        "Do the backward pass too: late finish of the last task = project finish, then work backwards.",
        "Critical tasks have total float LS − ES = 0.",
        "The chain through the hardware order is longer than the chain through the scripts.",
    ],
    solution_text="`critical = ['A', 'B', 'C', 'E', 'F']` — the hardware chain (3 + 5 + 4 + 2 + 1 = 15 days).",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- floats
def _check_floats(answer: Any) -> str:
    if not isinstance(answer, Sequence) or isinstance(answer, str) or len(answer) != 2:
        raise Incorrect("give a pair (total_float, free_float), e.g. (4, 1).")
    tf, ff = (
        as_number(v, name) for v, name in zip(answer, ("Total float", "Free float"), strict=True)
    )
    result = mini_schedule()
    k = result.plan.network.index["D"]
    want_tf, want_ff = result.total_float[k], result.free_float[k]
    if tf == want_tf and ff == want_ff:
        return (
            f"D can slip {want_tf:g} days without moving the cut-over, but any slip at all delays G's start, "
            "so slipping D uses up G's float."
        )
    if tf == want_tf and ff == want_tf:
        raise Incorrect(
            f"the total float of {want_tf:g} is right, but D's successor G starts right when D finishes.",
            "free-equals-total",
        )
    if tf != want_tf:
        raise Incorrect(
            f"D's total float is its late start minus its early start; you gave {tf:g}. "
            "Work backwards from F's late start to G, then to D."
        )
    raise Incorrect(
        f"free float is the gap between D's early finish and its successor's early start; you gave {ff:g}."
    )


floats = Exercise(
    id="05.floats",
    var="d_floats",
    prompt="What are the total float and the free float of task D (write migration scripts)? Store `d_floats = (total, free)`.",
    check_fn=_check_floats,
    hints=[
        "Total float = LS − ES. Free float = (earliest early start among D's successors) − D's early finish.",
        "D has two successors, E and G. Compare D's early finish with each of their early starts.",
    ],
    solution_text="`d_floats = (3, 0)`: D has 3 days of total float but no free float — G starts the moment D finishes.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- link types
def _check_link(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect(
            f"give the predecessor entry as text, like 'C SS+2', not a {type(answer).__name__}."
        )
    try:
        link = Link.parse(answer)
    except ValueError as exc:
        raise Incorrect(str(exc)) from None
    if link.predecessor != "C":
        raise Incorrect(
            f"the link should point at C (build the new servers), not {link.predecessor!r}."
        )
    if link == Link("C", "SS", 2.0):
        return "Start-to-start with a 2-day lag: testing overlaps the build."
    if link.type == "FS":
        raise Incorrect(f"{answer!r} makes testing wait for the build to finish.", "fs-for-overlap")
    if link.type == "SS" and link.lag == -2:
        raise Incorrect(
            f"{answer!r} would let testing start 2 days BEFORE the build starts.", "lead-lag-sign"
        )
    if link.type == "SS":
        raise Incorrect(f"the type is right; the lag should be 2 working days, not {link.lag:g}.")
    raise Incorrect(
        f"{link.type} ties a finish to the other task; the statement is about two starts."
    )


link_entry = Exercise(
    id="05.link_entry",
    var="test_link",
    prompt=(
        "Smoke tests may begin 2 working days after the build of the new servers (task C) STARTS. "
        "Write the predecessor entry for the smoke-test task in `test_link`, in the plan's link syntax."
    ),
    check_fn=_check_link,
    hints=[
        "Two starts are tied together: that is a start-to-start (SS) link.",
        "The syntax is `ID TYPE+LAG`, e.g. `B FF+1`.",
    ],
    solution_text="`test_link = 'C SS+2'`.",
    misconceptions=MISCONCEPTIONS,
)

ALL = [wbs_rollup, pert_mean, forward_pass, critical_path, floats, link_entry]
