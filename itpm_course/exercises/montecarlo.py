"""Self-checks for notebook 07, schedule risk with Monte Carlo.

Expected answers come from the engine run on the exercise data with a fixed seed, never typed
in, so the feedback always agrees with what the learner sees in the notebook.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from itpm_course.data import sample_plan
from itpm_course.engine.montecarlo import SimulationResult, simulate
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number

SEED = 7
ITERATIONS = 10_000

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "p50-commitment",
            "the median is a safe commitment",
            "P50 is a coin flip: half of the simulated futures finish later. P80 means 8 in 10 "
            "finish on or before it, which is why it is the usual internal commitment.",
        ),
        Misconception(
            "percentile-as-probability",
            "reading the percentile as a probability of being late",
            "P80 is a duration (working days): 80% of iterations finish by then, 20% later.",
        ),
        Misconception(
            "most-likely-plan",
            "the most likely plan is the likely finish",
            "the CPM plan on most likely durations finishes in only a small share of the "
            "simulated futures: long right tails and merges push the finish later.",
        ),
        Misconception(
            "longest-task-first",
            "attack the longest or most uncertain task",
            "a task only matters if its uncertainty reaches the finish. The tornado ranks "
            "tasks by how strongly their duration moves the project's duration.",
        ),
        Misconception(
            "off-critical-path",
            "attacking a task that is rarely critical",
            "a task with low criticality and sensitivity near 0 has float: shortening it "
            "does not move the finish.",
        ),
        Misconception(
            "sampling-noise",
            "the difference is just random noise",
            "with 10,000 iterations the standard error of the mean is a few hundredths of a "
            "day; the gap to the PERT sum is systematic.",
        ),
        Misconception(
            "pert-sum-exact",
            "the PERT critical-path sum is the expected finish",
            "E[max of paths] >= max of E[paths]: where paths merge, whichever runs late "
            "decides the finish, so the expected finish exceeds the PERT sum (merge bias).",
        ),
    ]
}


@cache
def exercise_result() -> SimulationResult:
    """The sample server-migration plan simulated with the exercises' seed."""
    return simulate(sample_plan("server_migration"), ITERATIONS, seed=SEED)


# --------------------------------------------------------------------------- read P80
def _check_p80(answer: Any) -> str:
    value = as_number(answer, "P80")
    r = exercise_result()
    expected = r.percentile(80)
    if abs(value - expected) <= 0.15:
        return (
            f"P80 = {expected:.1f} working days: 80% of the simulated futures finish by then. "
            f"That is {expected - r.deterministic_duration:.1f} days more than the most-likely plan."
        )
    if abs(value - r.percentile(50)) <= 0.15:
        raise Incorrect(
            f"{value:.1f} is P50, the median.", "p50-commitment"
        )  # a coin flip, not P80
    if 0 < value <= 1 or abs(value - 80) < 1e-9:
        raise Incorrect(
            "the question asks for a duration in working days, not a probability.",
            "percentile-as-probability",
        )
    if abs(value - r.deterministic_duration) <= 0.15:
        raise Incorrect(
            f"{value:g} days is the CPM duration on most likely estimates; only "
            f"{r.probability_on_time(value):.0%} of iterations finish by then.",
            "most-likely-plan",
        )
    raise Incorrect(
        f"{value:.1f} is not P80. Use result.percentile(80) or the 'P80' entry of "
        "result.percentiles (rounded to one decimal)."
    )


read_p80 = Exercise(
    id="07.1",
    prompt=(
        "Simulate the sample plan with `pm.simulate(plan, 10_000, seed=7)`. What is P80, the "
        "duration (working days) you could commit to with 80% confidence? One decimal is enough."
    ),
    check_fn=_check_p80,
    hints=[
        "P80 is the 80th percentile of `result.finish`, the simulated project durations.",
        "`result.percentile(80)` returns it; `round(..., 1)` rounds it to one decimal.",
    ],
    solution_text=(
        "`result = pm.simulate(plan, 10_000, seed=7)` then `round(result.percentile(80), 1)`. "
        "80% of the iterations finish on or before this many working days."
    ),
    var="p80_answer",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- tornado
def _check_attack(answer: Any) -> str:
    r = exercise_result()
    if not isinstance(answer, str):
        raise Incorrect(f"give a task id as a string, e.g. 'KICK', not {answer!r}.")
    tid = answer.strip().upper()
    if tid not in r.ids:
        raise Incorrect(f"there is no task {answer!r}; the ids are {', '.join(r.ids)}.")
    k = r.ids.index(tid)
    best = int(abs(r.sensitivity).argmax())
    if k != best and abs(r.sensitivity[best]) - abs(r.sensitivity[k]) <= 0.05:
        return (
            f"{tid} (rho = {r.sensitivity[k]:+.2f}) is practically tied with {r.ids[best]} "
            f"({r.sensitivity[best]:+.2f}) at the top of the tornado; either is a good first target."
        )
    if k == best:
        return (
            f"{tid} has the largest rank correlation with the finish "
            f"(rho = {r.sensitivity[k]:+.2f}) and is critical in {r.criticality[k]:.0%} of "
            "iterations: narrowing its range moves the finish most."
        )
    if r.criticality[k] < 0.5 and abs(r.sensitivity[k]) < 0.1:
        raise Incorrect(
            f"{tid} is critical in only {r.criticality[k]:.0%} of iterations "
            f"(rho = {r.sensitivity[k]:+.2f}).",
            "off-critical-path",
        )
    task = r.plan.task(tid)
    widest = max((t for t in r.plan.tasks if t.has_estimate), key=lambda t: t.pessimistic - t.optimistic)  # fmt: skip
    if tid == widest.id or (task.has_estimate and task.duration >= 8):
        raise Incorrect(
            f"{tid} is long or uncertain, but its rho is {r.sensitivity[k]:+.2f}; the top bar "
            f"of the tornado is {r.ids[best]} ({r.sensitivity[best]:+.2f}).",
            "longest-task-first",
        )
    raise Incorrect(
        f"{tid} has rho = {r.sensitivity[k]:+.2f}; look for the bar at the top of the tornado."
    )


attack_first = Exercise(
    id="07.2",
    prompt=(
        "Using the tornado chart of the same simulation, which task (id) would you work on "
        "first to reduce schedule risk?"
    ),
    check_fn=_check_attack,
    hints=[
        "The tornado sorts tasks by the absolute Spearman rank correlation of their duration "
        "with the project duration.",
        "`result.to_frame().sort_values('sensitivity', ascending=False).head(3)` shows the top.",
    ],
    solution_text=(
        "The task at the top of the tornado: its duration moves the project finish most, and it "
        "is critical in (nearly) every iteration. A long task with float, or with a narrow range, "
        "is a worse target."
    ),
    var="attack_answer",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- merge bias
MERGE_CHOICES = {
    "a": "random sampling error; with more iterations the gap disappears",
    "b": "where paths merge, the finish waits for whichever path runs late, so the expected "
    "finish is above the longest expected path (merge bias)",
    "c": "beta-PERT's mean is higher than (a + 4m + b)/6",
    "d": "the PERT critical-path sum is the exact expected finish; the simulation is wrong",
}


def _check_merge(answer: Any) -> str:
    if not isinstance(answer, str) or answer.strip().lower() not in MERGE_CHOICES:
        raise Incorrect(f"answer with one letter: {', '.join(MERGE_CHOICES)}.")
    choice = answer.strip().lower()
    if choice == "b":
        return (
            "E[max(X, Y)] >= max(E[X], E[Y]). Each merge point adds a little, which is why a "
            "plan built on expected durations is still optimistic."
        )
    if choice == "a":
        raise Incorrect("the gap does not shrink with more iterations.", "sampling-noise")
    if choice == "c":
        raise Incorrect(
            "the engine's beta-PERT has exactly the mean (a + 4m + b)/6 (the tests check it); "
            "the gap comes from the network, not from the task distributions."
        )
    raise Incorrect("the simulation agrees with independent checks.", "pert-sum-exact")


merge_bias = Exercise(
    id="07.3",
    prompt=(
        "The simulated mean finish is above the PERT critical-path sum "
        "(`result.expected_path_duration`). Why? Answer with a letter: "
        + "; ".join(f"({k}) {v}" for k, v in MERGE_CHOICES.items())
    ),
    check_fn=_check_merge,
    hints=[
        "Think of two parallel paths with the same expected length feeding one task.",
        "The successor starts when the LATER of the two paths finishes.",
    ],
    solution_text=(
        "(b) Merge bias: the expected value of a maximum is at least the maximum of the "
        "expected values. For two identical independent normal paths the mean finish is "
        "0.56 standard deviations above either path's mean."
    ),
    var="merge_answer",
    misconceptions=MISCONCEPTIONS,
)

EXERCISES = (read_p80, attack_first, merge_bias)
