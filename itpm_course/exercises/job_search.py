"""Self-checks for notebook 11, job search: STAR answers, measurable accomplishments, headlines.

The checks reuse the widgets' rules (:func:`itpm_course.widgets.job_search.star_feedback`,
:func:`~itpm_course.widgets.job_search.headline_tips`) so the exercise and the widget agree.
"""

from __future__ import annotations

import re
from typing import Any

from itpm_course.content import load_goals_by_stage, load_interview_guide
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, NotAnswered
from itpm_course.widgets.job_search import HEADLINE_MAX_CHARS

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "result-first",
            "jumping to the action or result",
            "an interviewer needs the situation and your task first; without them the action has no meaning.",
        ),
        Misconception(
            "duties-not-results",
            "listing duties instead of results",
            "'Responsible for ...' says what you were meant to do; an accomplishment says what you did "
            "and what changed, with numbers.",
        ),
        Misconception(
            "title-only-headline",
            "the headline is just the job title",
            "the guide says to go beyond the title: add expertise, methods, certifications and scale.",
        ),
    ]
}

STAR_SENTENCES = {
    "a": "I split the cut-over into three waves and ran a rehearsal for each.",
    "b": "Our payroll system had to move to a new data centre before its lease ran out in six weeks.",
    "c": "All three waves went live with no payroll errors and we finished four days early.",
    "d": "As project manager I had to plan the move so that no pay run was missed.",
}


def expected_star_order() -> list[str]:
    """The letters of :data:`STAR_SENTENCES` in Situation, Task, Action, Result order."""
    return ["b", "d", "a", "c"]


def _check_star(answer: Any) -> str:
    if isinstance(answer, str):
        answer = list(answer.replace(",", "").replace(" ", ""))
    try:
        got = [str(a).strip().lower() for a in answer]
    except TypeError:
        raise Incorrect(
            f"give a list of four letters, e.g. ['a', 'b', 'c', 'd'], not {answer!r}."
        ) from None
    if sorted(got) != sorted(STAR_SENTENCES):
        raise Incorrect("use each of the letters a, b, c and d exactly once.")
    steps = load_interview_guide()["answer_structure"]["steps"]
    expected = expected_star_order()
    if got == expected:
        return "Situation, Task, Action, Result: context first, then what you did, then the measurable outcome."
    first_wrong = next(i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e)
    misc = "result-first" if got[0] in ("a", "c") else None
    raise Incorrect(
        f"position {first_wrong + 1} should be the {steps[first_wrong]}; sentence {got[first_wrong]!r} is not.",
        misc,
    )


star_order = Exercise(
    id="11.star_order",
    var="star",
    prompt=(
        "The four sentences in `STAR_SENTENCES` answer 'Tell me about a project under time pressure'. "
        "Put their letters in STAR order and store the list in `star`."
    ),
    check_fn=_check_star,
    hints=[
        "S = where and when, T = what you were responsible for, A = what you did, R = what changed.",
        "The sentence with the numbers about the outcome comes last.",
    ],
    solution_text="`star = ['b', 'd', 'a', 'c']`",
    misconceptions=MISCONCEPTIONS,
)

_NUMBER = re.compile(r"\d")
_DUTY = re.compile(
    r"^\s*(responsible for|duties|in charge of|tasked with|worked on)", re.IGNORECASE
)


def _check_accomplishment(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect(
            f"write your accomplishment as a text string, not a {type(answer).__name__}."
        )
    text = answer.strip()
    if not text:
        raise NotAnswered("write one sentence about something you achieved, then check again.")
    if _DUTY.search(text):
        raise Incorrect(
            "your sentence starts with a duty, not an achievement.", "duties-not-results"
        )
    numbers = re.findall(r"\d[\d,.]*\s*(?:%|[kKmM]\b|weeks?|days?|months?|people|users)?", text)
    if len(numbers) < 2:
        raise Incorrect(
            f"found {len(numbers)} number(s); give at least two (e.g. team size and money, time or quality).",
            "duties-not-results",
        )
    if len(text) > 400:
        raise Incorrect(
            f"{len(text)} characters is long for one accomplishment; keep it under 400."
        )
    return "Specific and measurable, like the guide's ERP example. Reuse it in your CV and LinkedIn experience."


measurable_accomplishment = Exercise(
    id="11.accomplishment",
    var="accomplishment",
    prompt=(
        "Write one accomplishment from your own work (or an invented one) as a sentence with at least two "
        "numbers, e.g. team size, budget, time saved or quality. Store it in `accomplishment`."
    ),
    check_fn=_check_accomplishment,
    hints=[
        "Start with a verb in the past tense: Led, Delivered, Cut, Migrated...",
        "Add scale (team size, budget) and an outcome (weeks early, % fewer incidents).",
    ],
    solution_text=(
        'For example: `accomplishment = "Led a team of 8 to move 40 servers to the cloud, cutting hosting '
        'costs by 25% and finishing 2 weeks early."`'
    ),
    misconceptions=MISCONCEPTIONS,
)


def _check_headline(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect(f"a headline is a text string, not a {type(answer).__name__}.")
    text = answer.strip()
    if not text:
        raise NotAnswered("write your headline as a string, then check again.")
    if len(text) > HEADLINE_MAX_CHARS:
        raise Incorrect(
            f"{len(text)} characters; LinkedIn cuts headlines at {HEADLINE_MAX_CHARS}. Remove {len(text) - HEADLINE_MAX_CHARS}."
        )
    parts = [p for p in re.split(r"\s*[|•·]\s*", text) if p]
    if len(parts) < 3:
        raise Incorrect(
            f"your headline has {len(parts)} part(s); use at least three, separated by ' | '.",
            "title-only-headline",
        )
    if not _NUMBER.search(text) and not re.search(
        r"PMP|CAPM|PRINCE2|CSM|PSM|ITIL|ACP|certified", text, re.IGNORECASE
    ):
        raise Incorrect("add scale (a number such as $2M+) or a certification to make it concrete.")
    return f"{len(text)} of {HEADLINE_MAX_CHARS} characters, {len(parts)} parts. Check the keywords against your target job ads."


headline = Exercise(
    id="11.headline",
    var="my_headline",
    prompt=(
        f"Write your LinkedIn headline: at least three parts separated by ' | ', at most {HEADLINE_MAX_CHARS} "
        "characters, with a number or a certification. Store it in `my_headline`."
    ),
    check_fn=_check_headline,
    hints=[
        "Role | specialty | methods or certifications | scale or impact.",
        "Copy the pattern of 'IT Project Manager | Cloud Infrastructure Specialist | PMP, ITIL Certified'.",
    ],
    solution_text='For example: `my_headline = "IT Project Manager | Cloud Migrations | PMP, CSM | $1M+ Budgets"`',
    misconceptions=MISCONCEPTIONS,
)


def _check_goal_stage(answer: Any) -> str:
    if not isinstance(answer, str):
        raise Incorrect(f"answer with a stage name ('entry', 'mid' or 'senior'), not {answer!r}.")
    goals = load_goals_by_stage()
    target = "Mentor several project managers"
    expected = goals.loc[goals["goal"] == target, "stage"].iloc[0]
    if answer.strip().lower() == expected:
        return "Mentoring one junior is a mid-level goal; mentoring several PMs is senior work."
    raise Incorrect(
        f"{answer!r} is not it; in the guide, mid-level PMs mentor junior staff, while '{target}' is a goal one stage later."
    )


goal_stage = Exercise(
    id="11.goal_stage",
    var="stage",
    prompt="At which stage does the guide set the goal 'mentor several project managers'? Store 'entry', 'mid' or 'senior' in `stage`.",
    check_fn=_check_goal_stage,
    hints=[
        "Look at the goals-by-stage table above: which stage has goals about other PMs and the organisation?"
    ],
    solution_text="`stage = 'senior'`",
    misconceptions=MISCONCEPTIONS,
)

EXERCISES = (star_order, measurable_accomplishment, headline, goal_stage)
