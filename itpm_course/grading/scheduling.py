"""Assignment 2, scheduling: the service desk tool rollout - plan, CPM and what it means."""

from __future__ import annotations

from typing import Any

from itpm_course.exercises.core import Incorrect
from itpm_course.grading.questions import (
    Mark,
    id_list,
    mapping,
    number,
    plan_from_answer,
    question,
)

START = "2026-09-07"
DEADLINE = "2026-11-06"
#: The case's activities: id -> (name, duration in working days, predecessors).
TASKS: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "START": ("Project approved", 0, ()),
    "REQ": ("Requirements workshops", 5, ("START",)),
    "VENDOR": ("Select the tool vendor", 8, ("REQ",)),
    "DESIGN": ("Design incident and request processes", 6, ("REQ",)),
    "CONFIG": ("Configure the tool", 10, ("VENDOR", "DESIGN")),
    "DATA": ("Migrate open tickets and the CMDB", 6, ("VENDOR",)),
    "INTEG": ("E-mail and single sign-on integration", 5, ("CONFIG",)),
    "TEST": ("System and acceptance testing", 5, ("INTEG", "DATA")),
    "TRAIN": ("Train 40 service desk agents", 4, ("DESIGN",)),
    "GOLIVE": ("Go-live", 0, ("TEST", "TRAIN")),
    "HYPER": ("Hypercare", 5, ("GOLIVE",)),
    "FINISH": ("Project closed", 0, ("HYPER",)),
}
#: Tasks whose total float the learner reports.
FLOAT_TASKS = ("DESIGN", "DATA", "TRAIN")
CRASH_DAYS = 3
MILESTONE = "GOLIVE"


def case_plan():
    """The case as a fresh ProjectPlan (the reference for the CPM questions)."""
    from itpm_course.plan.io import plan_from_dict  # noqa: PLC0415

    return plan_from_dict(
        {
            "name": "Service desk tool rollout",
            "start": START,
            "deadline": DEADLINE,
            "tasks": [
                {"id": k, "name": n, "duration": d, "predecessors": list(p)}
                for k, (n, d, p) in TASKS.items()
            ],
        }
    )


def _cpm():
    from itpm_course.engine.schedule import schedule  # noqa: PLC0415

    return schedule(case_plan())


@question("scheduling.plan", 5, "Build `plan` with every activity, duration and dependency.")
def check_plan(data: Any) -> Mark:
    plan = plan_from_answer(data, "plan")
    got = {t.id: t for t in plan.tasks}
    right, notes = 0, []
    for tid, (_, duration, preds) in TASKS.items():
        task = got.get(tid)
        if task is None:
            notes.append(f"{tid} is missing.")
            continue
        links = {link.predecessor for link in task.predecessors}
        ok_links = links == set(preds) and all(
            link.type == "FS" and link.lag == 0 for link in task.predecessors
        )
        if task.duration != duration:
            notes.append(f"{tid}: check its duration against the case.")
        elif not ok_links:
            notes.append(f"{tid}: check its predecessors (finish-to-start, no lag).")
        else:
            right += 1
    extra = sorted(set(got) - set(TASKS))
    if extra:
        notes.append(f"Activities not in the case: {extra}.")
    share = right / len(TASKS) - 0.5 * len(extra) / len(TASKS)
    if share <= 0:
        raise Incorrect(" ".join(notes) or "No activity matches the case.")
    return Mark(share, " ".join(notes) or "Every activity and dependency matches the case.")


@question("scheduling.finish", 2, "Set `finish_day` to the project duration in working days.")
def check_finish(data: Any) -> Mark:
    value = number(data, "`finish_day`")
    expected = _cpm().project_duration
    if abs(value - expected) > 1e-6:
        hint = (
            "That is the sum of every duration: parallel paths overlap."
            if value == sum(d for _, d, _ in TASKS.values())
            else "Redo the forward pass: a task starts when its latest predecessor finishes."
        )
        raise Incorrect(hint)
    return Mark(1.0, "Right: the forward pass gives the project duration.")


@question("scheduling.critical_path", 3, "Set `critical_path` to the critical task ids in order.")
def check_critical(data: Any) -> Mark:
    got = id_list(data, "`critical_path`")
    sched = _cpm()
    frame = sched.to_frame()
    expected = [
        i
        for i in frame.sort_values(["early_start", "early_finish"]).index
        if frame.loc[i, "critical"]
    ]
    wrong = [t for t in got if t not in expected]
    missed = [t for t in expected if t not in got]
    share = max(0.0, (len(expected) - len(missed) - len(wrong)) / len(expected))
    in_order = [t for t in got if t in expected] == [t for t in expected if t in got]
    if not wrong and not missed and in_order:
        return Mark(1.0, "The critical path is right: zero total float from start to finish.")
    notes = []
    if missed:
        notes.append(f"{len(missed)} critical task(s) missing.")
    if wrong:
        notes.append(f"{len(wrong)} listed task(s) have float, so they are not critical.")
    if not in_order:
        notes.append("List the tasks in the order they run.")
        share *= 0.8
    if share == 0:
        raise Incorrect(" ".join(notes))
    return Mark(share, " ".join(notes))  # fmt: skip


@question("scheduling.floats", 3, "Set `floats` to the total float of DESIGN, DATA and TRAIN.")
def check_floats(data: Any) -> Mark:
    got = mapping(data, "`floats`")
    frame = _cpm().to_frame()
    right, notes = 0, []
    for tid in FLOAT_TASKS:
        if tid not in got:
            notes.append(f"{tid} is missing.")
            continue
        value = number(got[tid], f"floats[{tid!r}]")
        if abs(value - float(frame.loc[tid, "total_float"])) < 1e-6:
            right += 1
        elif abs(value - float(frame.loc[tid, "free_float"])) < 1e-6:
            notes.append(f"{tid}: that is its free float; total float is late start - early start.")
        else:
            notes.append(f"{tid}: total float is late start - early start (backward pass).")
    if right == 0:
        raise Incorrect(" ".join(notes))
    return Mark(right / len(FLOAT_TASKS), " ".join(notes) or "All three floats are right.")


def crash_candidates() -> set[str]:
    """Tasks that, shortened by CRASH_DAYS alone, bring the milestone forward by CRASH_DAYS."""
    import numpy as np  # noqa: PLC0415

    from itpm_course.engine.schedule import schedule  # noqa: PLC0415

    plan = case_plan()
    base = _milestone_day(schedule(plan))
    ids = [t.id for t in plan.tasks]
    out = set()
    for k, task in enumerate(plan.tasks):
        if task.duration < CRASH_DAYS:
            continue
        durations = np.array([t.duration for t in plan.tasks], dtype=float)
        durations[k] -= CRASH_DAYS
        if base - _milestone_day(schedule(plan, durations)) >= CRASH_DAYS - 1e-9:
            out.add(ids[k])
    return out


def _milestone_day(sched) -> float:
    return float(sched.to_frame().loc[MILESTONE, "early_finish"])


@question("scheduling.crash", 3, "Set `crash_options` to the tasks that move go-live 3 days.")
def check_crash(data: Any) -> Mark:
    got = set(id_list(data, "`crash_options`"))
    expected = crash_candidates()
    if got == expected:
        return Mark(1.0, "Right: only critical work before go-live moves it, and all of it.")
    right = len(got & expected) - len(got - expected)
    notes = []
    if got - expected:
        notes.append(
            f"{len(got - expected)} of your tasks would not move go-live by the full 3 days: "
            "check their float, and whether a parallel path becomes critical."
        )
    if expected - got:
        notes.append(f"{len(expected - got)} task(s) that would are missing.")
    if right <= 0:
        raise Incorrect(" ".join(notes))
    return Mark(right / len(expected), " ".join(notes))


@question("scheduling.rubric", 6, "Complete `full_plan` (WBS, owners, estimates, deadline).")
def check_rubric(data: Any) -> Mark:
    from itpm_course.validation import score  # noqa: PLC0415

    plan = plan_from_answer(data, "full_plan")
    missing = set(TASKS) - {t.id for t in plan.tasks}
    if missing:
        raise Incorrect(
            f"`full_plan` should hold every activity of the case; missing {sorted(missing)}."
        )
    if plan.deadline is None or plan.deadline.isoformat() > DEADLINE:
        raise Incorrect(f"`full_plan` needs the case's deadline ({DEADLINE}), not a later one.")
    result = score(plan, "scheduling")
    return Mark(result.score / result.max_score, "\n" + result.feedback())
