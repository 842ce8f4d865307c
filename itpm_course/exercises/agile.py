"""Self-checks for notebook 09, agile delivery: velocity, forecasts, flow and their traps.

Expected answers come from :mod:`itpm_course.engine.agile` and the data below, never typed in,
so the feedback always agrees with what the engine shows the learner.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import pandas as pd

from itpm_course.engine.agile import WhenForecast, forecast_when, littles_law, velocity
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "average-is-safe",
            "average velocity gives a safe commitment",
            "backlog / average throughput is roughly the P50: the team misses that date about half "
            "the time. A commitment needs a high-confidence answer such as P85 from the spread of "
            "past throughput.",
        ),
        Misconception(
            "committed-is-velocity",
            "velocity is what the team committed to",
            "velocity is the story points of items actually DONE in the sprint; the commitment "
            "is a plan, not a measurement.",
        ),
        Misconception(
            "velocity-compares-teams",
            "velocity compares teams",
            "story points are a team's own relative scale; 40 points in one team and 25 in "
            "another say nothing about which delivers more. Compare a team only with itself.",
        ),
        Misconception(
            "littles-law-upside-down",
            "multiplying WIP by throughput",
            "Little's law divides: average cycle time = average WIP / average throughput. More "
            "WIP at the same throughput means each item waits LONGER.",
        ),
        Misconception(
            "exclusive-days",
            "counting days exclusively",
            "this course counts lead and cycle time inclusively, as Vacanti does: created and "
            "resolved the same day is 1 day, so (end - start) + 1.",
        ),
        Misconception(
            "lower-percentile",
            "reading the lower percentile",
            "P85 is the number of weeks that 85% of the simulated futures needed AT MOST: it is "
            "further out than P50, not sooner.",
        ),
    ]
}

# --------------------------------------------------------------------------- velocity
SPRINT_TABLE = pd.DataFrame(
    {
        "sprint": ["Sprint 1", "Sprint 2", "Sprint 3", "Sprint 4", "Sprint 5", "Sprint 6"],
        "committed": [30, 32, 30, 34, 30, 32],
        "completed": [24, 29, 21, 30, 26, 28],
    }
)


def _check_velocity(answer: Any) -> str:
    value = as_number(answer, "The velocity")
    want = velocity(SPRINT_TABLE, last=3).mean
    if close_enough(value, want, 0.05):
        return (
            f"{want:g} points per sprint over the last three sprints. Keep the range "
            f"({velocity(SPRINT_TABLE, last=3).minimum:g}–{velocity(SPRINT_TABLE, last=3).maximum:g}) "
            "next to it: one number hides how much it moves."
        )
    if close_enough(value, SPRINT_TABLE["committed"].tail(3).mean(), 0.05):
        raise Incorrect(f"{value:g} is the average of what was COMMITTED.", "committed-is-velocity")
    if close_enough(value, velocity(SPRINT_TABLE).mean, 0.05):
        raise Incorrect(
            f"{value:g} averages all six sprints; the question asks for the last three."
        )
    if close_enough(value, SPRINT_TABLE["completed"].tail(3).sum(), 0.05):
        raise Incorrect(f"{value:g} is the total of the three sprints; velocity is per sprint.")
    raise Incorrect(f"{value:g} is not the mean completed points of Sprints 4, 5 and 6.")


velocity_mean = Exercise(
    id="09.velocity",
    var="velocity_last3",
    prompt=(
        "`SPRINT_TABLE` shows six sprints of a team (committed and completed story points). "
        "What is the team's velocity over the LAST THREE sprints (the mean)? "
        "Store it in `velocity_last3`."
    ),
    check_fn=_check_velocity,
    hints=[
        "Velocity counts what was DONE: the `completed` column.",
        "Take Sprints 4, 5 and 6 only: `SPRINT_TABLE['completed'].tail(3).mean()`.",
    ],
    solution_text="`velocity_last3 = SPRINT_TABLE['completed'].tail(3).mean()`, which is **28.0**.",
    misconceptions=MISCONCEPTIONS,
)

# --------------------------------------------------------------------------- commitment at P85
WEEKLY_THROUGHPUT = [2, 0, 3, 1, 4, 0, 2, 5, 3, 1, 2, 4]
BACKLOG = 40
SEED = 2025


@cache
def sponsor_forecast() -> WhenForecast:
    """The forecast the sponsor exercise is about (seeded: the same for every learner)."""
    return forecast_when(WEEKLY_THROUGHPUT, BACKLOG, iterations=10_000, seed=SEED)


def _check_commitment(answer: Any) -> str:
    value = as_number(answer, "The number of weeks")
    f = sponsor_forecast()
    p = f.percentiles
    naive = BACKLOG / (sum(WEEKLY_THROUGHPUT) / len(WEEKLY_THROUGHPUT))
    if value == p["P85"]:
        return (
            f"{p['P85']} weeks: {f.probability_by(p['P85']):.0%} of the simulated futures finish "
            f"by then. The average alone ({naive:.1f}) would have been met only "
            f"{f.probability_by(math.ceil(naive)):.0%} of the time."
        )
    if value in (math.floor(naive), math.ceil(naive), round(naive, 1)):
        raise Incorrect(
            f"{value:g} weeks is the backlog divided by the average throughput; the simulation "
            f"finishes by then only {f.probability_by(int(math.ceil(value))):.0%} of the time.",
            "average-is-safe",
        )
    if value == p["P50"]:
        raise Incorrect(f"{value:g} is the P50: a coin flip, not a commitment.", "average-is-safe")
    if value == p["P95"]:
        raise Incorrect(f"{value:g} is the P95; the sponsor asked for 85% confidence.")
    if value < p["P50"]:
        raise Incorrect(
            f"fewer than half the futures finish within {value:g} weeks.", "lower-percentile"
        )
    raise Incorrect(
        f"by week {value:g}, {f.probability_by(int(value)):.0%} of the iterations are done; "
        "find the first week where the cumulative share reaches 85%."
    )


commitment_p85 = Exercise(
    id="09.commitment_p85",
    var="weeks_p85",
    prompt=(
        f"The team finished {WEEKLY_THROUGHPUT} items in the last {len(WEEKLY_THROUGHPUT)} weeks. "
        f"The sponsor wants the {BACKLOG} remaining items with 85% confidence. Use the forecast "
        "table printed above (`sponsor_forecast()`) and store the number of weeks to commit to "
        "in `weeks_p85`."
    ),
    check_fn=_check_commitment,
    hints=[
        "85% confidence: the first week by which at least 85% of the simulated futures are done.",
        "That is the forecast's P85: `sponsor_forecast().percentiles['P85']`.",
    ],
    solution_text=(
        "`weeks_p85 = sponsor_forecast().percentiles['P85']`: "
        f"**{sponsor_forecast().percentiles['P85']} weeks**, several weeks more than "
        "the 17.8 the average suggests."
    ),
    misconceptions=MISCONCEPTIONS,
)

# --------------------------------------------------------------------------- Little's law
LITTLE_WIP, LITTLE_THROUGHPUT = 12, 4  # items in progress on average; items finished per week


def _check_little(answer: Any) -> str:
    value = as_number(answer, "The average cycle time")
    want = littles_law(wip=LITTLE_WIP, throughput=LITTLE_THROUGHPUT)
    if close_enough(value, want, 0.01):
        return (
            f"{want:g} weeks. Halve the WIP at the same throughput and items take half as long: "
            "that is why Kanban limits WIP."
        )
    if close_enough(value, LITTLE_WIP * LITTLE_THROUGHPUT, 0.01):
        raise Incorrect(f"{value:g} multiplies the two.", "littles-law-upside-down")
    if close_enough(value, LITTLE_THROUGHPUT / LITTLE_WIP, 0.01):
        raise Incorrect(f"{value:g} is throughput / WIP, upside down.", "littles-law-upside-down")
    if close_enough(value, want * 7, 0.01):
        raise Incorrect(f"{value:g} is in days; the question asks for weeks.")
    raise Incorrect(f"{value:g} is not WIP / throughput for these numbers.")


littles_law_cycle = Exercise(
    id="09.littles_law",
    var="cycle_weeks",
    prompt=(
        f"A service-desk team has on average {LITTLE_WIP} tickets in progress and finishes "
        f"{LITTLE_THROUGHPUT} tickets a week; the flow is stable. By Little's law, what is the "
        "average cycle time in WEEKS? Store it in `cycle_weeks`."
    ),
    check_fn=_check_little,
    hints=[
        "Little's law: average cycle time = average WIP / average throughput.",
        f"{LITTLE_WIP} / {LITTLE_THROUGHPUT}.",
    ],
    solution_text="`cycle_weeks = 12 / 4`, which is **3 weeks**.",
    misconceptions=MISCONCEPTIONS,
)

# --------------------------------------------------------------------------- lead time
LEAD_CREATED, LEAD_RESOLVED = "2025-03-03", "2025-03-05"  # Monday, Wednesday


def _check_lead(answer: Any) -> str:
    value = as_number(answer, "The lead time")
    from itpm_course.engine.agile import lead_times  # noqa: PLC0415

    issues = pd.DataFrame(
        {
            "key": ["X-1"],
            "created": pd.to_datetime([LEAD_CREATED]),
            "resolved": pd.to_datetime([LEAD_RESOLVED]),
        }
    )
    want = int(lead_times(issues).iloc[0])
    if value == want:
        return "Monday, Tuesday and Wednesday: 3 days, counting both ends."
    if value == want - 1:
        raise Incorrect(
            f"{value:g} subtracts the dates without counting the last day.", "exclusive-days"
        )
    raise Incorrect(f"{value:g} is not the number of calendar days from Monday to Wednesday.")


lead_time_days = Exercise(
    id="09.lead_time",
    var="lead_days",
    prompt=(
        "A ticket is created on Monday 3 March 2025 and resolved on Wednesday 5 March 2025. "
        "What is its lead time in days, with this course's (Vacanti's) inclusive convention? "
        "Store it in `lead_days`."
    ),
    check_fn=_check_lead,
    hints=["Inclusive: (resolved date − created date) + 1."],
    solution_text="`lead_days = 3`: (5 − 3) + 1.",
    misconceptions=MISCONCEPTIONS,
)

# --------------------------------------------------------------------------- comparing teams
TEAMS_CHOICES = {
    "a": "Team Atlas (velocity 40) delivers about 60% more than Team Borealis (velocity 25).",
    "b": "Team Borealis should be asked to reach 40 points, like Atlas.",
    "c": "The numbers cannot say which team delivers more: each team sizes points on its own scale.",
    "d": "Atlas is more productive only if both teams have the same number of people.",
}


def _check_teams(answer: Any) -> str:
    choice = str(answer).strip().lower().strip("()")
    if choice not in TEAMS_CHOICES:
        raise Incorrect(f"answer with one letter, a to d, not {answer!r}.")
    if choice == "c":
        return (
            "Points are relative to a team's own reference stories. Asking teams to match each "
            "other's velocity only inflates the points (Goodhart's law)."
        )
    if choice == "d":
        raise Incorrect(
            "even with equal headcount, 40 of Atlas's points and 25 of Borealis's are different units.",
            "velocity-compares-teams",
        )
    raise Incorrect(
        f"({choice}) treats the two teams' points as the same unit.", "velocity-compares-teams"
    )


compare_teams = Exercise(
    id="09.compare_teams",
    var="teams_answer",
    prompt=(
        "Two teams work on the same product. Atlas has a velocity of 40 points per sprint, "
        "Borealis 25. Which statement is right? Store the letter in `teams_answer`:\n"
        + "\n".join(f"({k}) {v}" for k, v in TEAMS_CHOICES.items())
    ),
    check_fn=_check_teams,
    hints=[
        "Who decides what a '3-point story' is? Is it the same in both teams?",
        "Velocity is a planning aid for one team, not a productivity score.",
    ],
    solution_text="`teams_answer = 'c'`.",
    misconceptions=MISCONCEPTIONS,
)

ALL = [velocity_mean, commitment_p85, littles_law_cycle, lead_time_days, compare_teams]
