"""Assignment 3, risk: score the server migration's register, write your own, commit at P80."""

from __future__ import annotations

import math
from typing import Any

from itpm_course.exercises.core import Incorrect
from itpm_course.grading.questions import (
    Mark,
    combine,
    id_list,
    mapping,
    near,
    number,
    plan_from_answer,
    question,
    register_from_answer,
)

SEED = 42
ITERATIONS = 10_000
MIN_RISKS = 6
#: A budget above this multiple of the base cost is padding, not a sized reserve.
MAX_BUDGET_FACTOR = 1.5


def case_plan():
    from itpm_course.data import sample_plan  # noqa: PLC0415

    return sample_plan("server_migration")


def case_register():
    from itpm_course.data import sample_register  # noqa: PLC0415

    return sample_register("server_migration")


def _scored():
    from itpm_course.engine.risk import score_register  # noqa: PLC0415

    return score_register(case_register())


def _simulations():
    from itpm_course.engine.montecarlo import risk_events, simulate  # noqa: PLC0415

    plan = case_plan()
    plain = simulate(plan, iterations=ITERATIONS, seed=SEED)
    with_risks = simulate(
        plan, iterations=ITERATIONS, seed=SEED, risks=risk_events(case_register())
    )
    return plain, with_risks


@question("risk.scores", 3, "Set `scores` to each risk's probability x impact score.")
def check_scores(data: Any) -> Mark:
    got = mapping(data, "`scores`")
    expected = _scored()["score"]
    right, notes = 0, []
    for rid, value in expected.items():
        if rid not in got:
            notes.append(f"{rid} missing.")
        elif near(number(got[rid], f"scores[{rid!r}]"), float(value), abs_=0.005):
            right += 1
    wrong = len(expected) - right - len(notes)
    if wrong:
        notes.append(
            f"{wrong} score(s) are off: map each probability to the matrix's level first, "
            "then multiply the two matrix values (not the 1-5 ratings)."
        )
    if right == 0:
        raise Incorrect(" ".join(notes))
    return Mark(right / len(expected), " ".join(notes) or "Every score is right.")


@question("risk.top3", 2, "Set `top3` to the ids of the three highest-priority risks, in order.")
def check_top3(data: Any) -> Mark:
    got = id_list(data, "`top3`")
    expected = list(_scored().index[:3])
    if got == expected:
        return Mark(1.0, "Right: score first, then the size of the EMV breaks ties.")
    hits = len(set(got[:3]) & set(expected))
    if hits == 0:
        raise Incorrect("None of these is among the top three: rank by score first.")
    return Mark(
        hits / 3 * (0.8 if set(got) == set(expected) else 1.0),
        f"{hits} of your three are in the top three; ties in score go to the larger EMV.",
    )


@question("risk.emv", 2, "Set `threat_emv` to the threats' total expected monetary value.")
def check_emv(data: Any) -> Mark:
    from itpm_course.engine.risk import contingency_reserve  # noqa: PLC0415

    value = number(data, "`threat_emv`")
    expected = contingency_reserve(_scored())
    if near(abs(value), expected, abs_=1):
        return Mark(1.0, "Right: probability x cost impact, summed over the open threats.")
    if near(abs(value), contingency_reserve(_scored(), include_opportunities=True), abs_=1):
        raise Incorrect("The opportunities were netted off: size the threats' reserve alone.")
    raise Incorrect("Sum probability x impact cost over the open threats only.")


@question("risk.register", 6, "Write `my_register`: at least six new risks with responses.")
def check_register(data: Any) -> Mark:
    from itpm_course.plan.io import plan_from_dict  # noqa: PLC0415
    from itpm_course.validation import score  # noqa: PLC0415
    from itpm_course.validation.rubrics import Rubric, get_rubric  # noqa: PLC0415

    register = register_from_answer(data, "my_register")
    sample_titles = {r.title.strip().lower() for r in case_register()}
    own = [r for r in register if r.title.strip().lower() not in sample_titles]
    if len(own) < len(register) / 2:
        raise Incorrect("Most of these risks are copied from the sample register: write your own.")
    base = case_plan().to_dict()
    base["risks"] = [r.to_dict() for r in register]
    plan = plan_from_dict(base, source="my_register")
    rubric = get_rubric("risk")
    without_budget = Rubric(
        rubric.name, rubric.title, tuple(i for i in rubric.items if i.id != "contingency")
    )
    result = score(plan, without_budget)
    share = result.score / result.max_score * min(1.0, len(own) / MIN_RISKS)
    head = "" if len(own) >= MIN_RISKS else f"Only {len(own)} of {MIN_RISKS} risks of your own. "
    return Mark(share, head + "\n" + result.feedback())


@question("risk.p80", 4, "Set `p80_days` to the P80 duration without and with the risk events.")
def check_p80(data: Any) -> Mark:
    got = mapping(data, "`p80_days`")
    plain, with_risks = _simulations()
    parts = []
    for key, sim in (("without_risks", plain), ("with_risks", with_risks)):
        if key not in got:
            parts.append((1, False, f"{key} is missing."))
            continue
        value = number(got[key], f"p80_days[{key!r}]")
        ok = near(value, sim.percentile(80), abs_=0.05)
        msg = f"{key}: run simulate with seed={SEED}, {ITERATIONS} iterations and read .percentile(80)."
        if not ok and near(value, sim.percentile(50), abs_=0.05):
            msg = f"{key}: that is the P50; a commitment at P80 is the 80th percentile."
        parts.append((1, ok, msg))
    return combine(parts, "Both P80 durations are right.")


@question("risk.commitment", 2, "Set `commit_date` to the P80 finish date (with risks), ISO.")
def check_commitment(data: Any) -> Mark:
    import datetime as dt  # noqa: PLC0415

    if not isinstance(data, str):
        raise Incorrect("`commit_date` should be a date string such as '2026-04-01'.")
    try:
        got = dt.date.fromisoformat(data.strip())
    except ValueError:
        raise Incorrect("`commit_date` should be an ISO date such as '2026-04-01'.") from None
    plan = case_plan()
    _, with_risks = _simulations()
    days = math.ceil(with_risks.percentile(80) - 1e-9)
    expected = plan.calendar.add_workdays(plan.start, [days - 1])[0].astype(object)
    if got == expected:
        return Mark(1.0, "Right: whole working days, counted on the plan's calendar.")
    near_miss = plan.calendar.add_workdays(plan.start, [days - 2, days])
    if got in {d.astype(object) for d in near_miss}:
        return Mark(0.5, "Off by one working day: day 1 is the start date; round the P80 up.")
    raise Incorrect(
        "Round the P80 (with risks) up to whole working days and count them on the plan's "
        "calendar from the start date (weekends and holidays do not count)."
    )


@question("risk.final_plan", 3, "Set `final_plan`: the plan with your register and a budget.")
def check_final(data: Any) -> Mark:
    from itpm_course.validation import score  # noqa: PLC0415
    from itpm_course.validation.rubrics import Rubric, get_rubric  # noqa: PLC0415

    plan = plan_from_answer(data, "final_plan")
    case = case_plan()
    if {t.id for t in plan.tasks} != {t.id for t in case.tasks}:
        raise Incorrect("`final_plan` should keep the case's tasks; change only budget and risks.")
    if plan.risks is None or len(plan.risks) == 0:
        raise Incorrect("`final_plan` carries no risk register: attach `my_register`.")
    base = sum(t.total_cost for t in plan.tasks)
    if plan.budget is None or plan.budget > MAX_BUDGET_FACTOR * base:
        raise Incorrect("Size the budget from the analysis: base cost plus a reserve, not a guess.")
    rubric = get_rubric("risk")
    only = Rubric(
        rubric.name, rubric.title, tuple(i for i in rubric.items if i.id == "contingency")
    )
    result = score(plan, only)
    if result.score < result.max_score:
        raise Incorrect(result.feedback())
    return Mark(1.0, "The budget holds a reserve that covers the P80 cost and the threats' EMV.")
