"""Self-checks for notebook 04, tools: reading a Jira export with pandas.

Expected answers are computed from the shipped sample (:func:`itpm_course.data.exports.read_jira_csv`)
with the same pandas steps the notebook teaches, never typed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import pandas as pd

from itpm_course.data.exports import read_jira_csv
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "carry-over-counted-twice",
            "an issue counts in every sprint it appeared in",
            "a carried-over issue is listed under two sprints but finished once; throughput counts it "
            "in the sprint where it was finished (the last one in its list).",
        ),
        Misconception(
            "open-issues-in-lead-time",
            "open issues have a lead time",
            "lead time runs from creation to resolution; an issue that is not resolved has no lead "
            "time yet, so leave it out (it has NaT in 'resolved').",
        ),
        Misconception(
            "mean-for-skewed",
            "the mean is the typical lead time",
            "lead times are skewed by a few slow issues; the median is the usual summary because "
            "half the issues finish faster than it.",
        ),
        Misconception(
            "backlog-is-wip",
            "the backlog is work in progress",
            "WIP is work that has started and not finished; 'To Do' issues have not started.",
        ),
    ]
}
WIP_STATUSES = ("In Progress", "In Review")


@cache
def _issues() -> pd.DataFrame:
    return read_jira_csv()


def expected_throughput() -> dict[str, int]:
    """Done issues per sprint, each counted in the sprint it finished in."""
    done = _issues()[_issues()["status"] == "Done"]
    return {str(k): int(v) for k, v in done.groupby("sprint").size().items()}


def expected_lead_time() -> float:
    """Median lead time of resolved issues, in calendar days."""
    done = _issues().dropna(subset=["resolved"])
    return float(((done["resolved"] - done["created"]).dt.total_seconds() / 86400).median())


def expected_wip() -> int:
    """Issues started and not finished (In Progress or In Review)."""
    return int(_issues()["status"].isin(WIP_STATUSES).sum())


def _check_throughput(answer: Any) -> str:
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, Mapping):
        raise Incorrect(
            f"give a pandas Series or a dict from sprint name to a count, not a {type(answer).__name__}."
        )
    expected = expected_throughput()
    got = {str(k): as_number(v, f"The count for {k}") for k, v in answer.items()}
    missing = [s for s in expected if s not in got]
    if missing:
        raise Incorrect(f"no count for {missing[0]!r}; there should be one per sprint.")
    extra = [s for s in got if s not in expected]
    if extra:
        raise Incorrect(f"{extra[0]!r} is not a sprint in which issues were finished.")
    exploded = _issues().explode("sprints")
    twice = exploded[exploded["status"] == "Done"].groupby("sprints").size()
    if all(close_enough(got[s], twice.get(s, 0)) for s in expected) and any(
        twice.get(s, 0) != expected[s] for s in expected
    ):
        raise Incorrect(
            "your counts are too high for the sprints that had carry-over work.",
            "carry-over-counted-twice",
        )
    wrong = [s for s in expected if not close_enough(got[s], expected[s])]
    if wrong:
        s = wrong[0]
        raise Incorrect(
            f"{s}: you have {got[s]:g}; count only issues with status 'Done' whose last sprint is {s}."
        )
    best = max(expected, key=expected.get)
    return f"The team's throughput is steady at {min(expected.values())}-{max(expected.values())} issues a sprint; {best} was the best."


throughput_per_sprint = Exercise(
    id="04.throughput",
    var="throughput",
    prompt=(
        "Using `issues`, count the issues finished (status 'Done') in each sprint, counting an issue "
        "in the sprint it finished in (the `sprint` column). Store a Series or dict in `throughput`."
    ),
    check_fn=_check_throughput,
    hints=[
        "Filter first: `issues[issues['status'] == 'Done']`.",
        "Then group by the sprint the issue finished in and count rows: `.groupby('sprint').size()`.",
    ],
    solution_text="`throughput = issues[issues['status'] == 'Done'].groupby('sprint').size()`",
    misconceptions=MISCONCEPTIONS,
)


def _check_lead_time(answer: Any) -> str:
    value = as_number(answer, "The median lead time")
    expected = expected_lead_time()
    if close_enough(value, expected, 0.01):
        return f"Half the issues were finished within {expected:.1f} days of being created."
    done = _issues().dropna(subset=["resolved"])
    days = (done["resolved"] - done["created"]).dt.total_seconds() / 86400
    if close_enough(value, float(days.mean()), 0.01):
        raise Incorrect(f"{value:.2f} is the mean, not the median.", "mean-for-skewed")
    if close_enough(value, expected, 1.0):
        raise Incorrect(
            f"{value:.2f} is close; compute in fractional days (total_seconds() / 86400), not whole days."
        )
    raise Incorrect(
        f"{value:.2f} days is not the median lead time of the resolved issues; "
        "use only rows with a 'resolved' date.",
        "open-issues-in-lead-time" if value > expected else None,
    )


median_lead_time = Exercise(
    id="04.lead_time",
    var="lead_time_days",
    prompt=(
        "Lead time is the time from an issue's creation to its resolution. What is the median lead "
        "time, in days (with fractions), of the resolved issues? Store it in `lead_time_days`."
    ),
    check_fn=_check_lead_time,
    hints=[
        "Subtracting two datetime columns gives a timedelta column; `.dt.total_seconds() / 86400` turns it into days.",
        "Rows without a resolution have NaT in `resolved`; `.dropna(subset=['resolved'])` removes them.",
        "Finish with `.median()`.",
    ],
    solution_text=(
        "```python\ndone = issues.dropna(subset=['resolved'])\n"
        "lead_time_days = ((done['resolved'] - done['created']).dt.total_seconds() / 86400).median()\n```"
    ),
    misconceptions=MISCONCEPTIONS,
)


def _check_wip(answer: Any) -> str:
    value = as_number(answer, "The open WIP")
    expected = expected_wip()
    if close_enough(value, expected):
        return "Little's law links this to lead time: WIP = throughput × time in progress."
    issues = _issues()
    not_done = int((issues["status"] != "Done").sum())
    if close_enough(value, not_done):
        raise Incorrect(
            f"{value:g} counts every issue that is not Done, including the 'To Do' ones.",
            "backlog-is-wip",
        )
    raise Incorrect(
        f"{value:g} is not right; count issues whose status is one of {', '.join(WIP_STATUSES)}."
    )


open_wip = Exercise(
    id="04.open_wip",
    var="wip",
    prompt=(
        "How many issues are work in progress at export time: started but not finished? "
        "Store the number in `wip`."
    ),
    check_fn=_check_wip,
    hints=[
        "Look at `issues['status'].value_counts()` first.",
        "Started-but-not-finished statuses are 'In Progress' and 'In Review'; `.isin([...]).sum()` counts them.",
    ],
    solution_text="`wip = issues['status'].isin(['In Progress', 'In Review']).sum()`",
    misconceptions=MISCONCEPTIONS,
)

EXERCISES = (throughput_per_sprint, median_lead_time, open_wip)
