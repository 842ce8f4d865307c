"""The plan rules, one small function each, grouped as in the course: structure, WBS, schedule,
resources, budget, risk, stakeholders and quality.

Thresholds follow the DCMA 14-point assessment (DCMA-EA PAM 200.1, 2012) where it has one:
logic ≤ 5%, leads 0, lags ≤ 5%, FS links ≥ 90%, high float and high duration > 44 working days,
the critical path test. The 8/80 rule for work packages is a heuristic, so a warning.
Every threshold is a module constant, so a course can see (and a test can pin) the numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np

from itpm_course.validation.core import (
    Context,
    Issue,
    Location,
    Outcome,
    ancestors,
    fmt,
    id_list,
    plural,
    rule,
)

LOGIC_MAX_SHARE = 0.05  # DCMA 1
LAG_MAX_SHARE = 0.05  # DCMA 3
EXCESSIVE_LAG_DAYS = 10.0  # a lag longer than two working weeks hides work
FS_MIN_SHARE = 0.90  # DCMA 4
HIGH_FLOAT_DAYS = 44.0  # DCMA 6
HIGH_DURATION_DAYS = 44.0  # DCMA 8
HOURS_PER_DAY = 8.0
WORK_PACKAGE_HOURS = (8.0, 80.0)  # the 8/80 heuristic
COST_TOLERANCE = 0.01  # 100% rule: children within 1% (or 1 unit) of the parent
TOP_RISKS = 5  # "top risks": the five highest ranked active risks ...
TOP_ZONES = ("high", "medium")  # ... and any active risk in these zones of the P-I matrix
MITIGATING = {
    "threat": ("avoid", "mitigate", "transfer", "escalate"),
    "opportunity": ("exploit", "enhance", "share", "escalate"),
}

MILESTONE_WORDS = re.compile(
    r"milestone|complete|completed|approved|approval|signed|sign-?off|go-?live|ready|"
    r"closed|done|achieved|accepted|start|started|finish|finished|kick-?off|baseline|gate",
    re.IGNORECASE,
)
GO_LIVE_WORDS = re.compile(
    r"go[- ]?live|cut[- ]?over|launch|switch[- ]?over|production release|release to production|"
    r"deploy(?:ment)? to production",
    re.IGNORECASE,
)
TEST_WORDS = re.compile(
    r"\btest|\btesting\b|\buat\b|\bsit\b|acceptance|\bqa\b|quality assurance|verif|validat|"
    r"rehearsal|dry[- ]?run",
    re.IGNORECASE,
)


def _label(ctx: Context, k: int) -> str:
    t = ctx.plan.tasks[k]
    return f"{t.id} ({t.name})" if t.name and t.name != t.id else t.id


# ================================================================================ structure
@rule(
    code="STR001",
    group="structure",
    severity="error",
    title="three-point estimates in order",
    hint="write optimistic <= most_likely <= pessimistic, all in working days",
)
def estimates_in_order(ctx: Context) -> Outcome:
    issues, checked = [], 0
    for k, t in enumerate(ctx.plan.tasks):
        three = (t.optimistic, t.most_likely, t.pessimistic)
        if all(v is None for v in three):
            continue
        checked += 1
        if any(v is None for v in three):
            issues.append(Issue("has only part of a three-point estimate", ctx.task_at(k)))
        elif not t.optimistic <= t.most_likely <= t.pessimistic:
            issues.append(
                Issue(
                    f"estimates out of order: {fmt(t.optimistic)} / {fmt(t.most_likely)} / "
                    f"{fmt(t.pessimistic)} (optimistic / most likely / pessimistic)",
                    ctx.task_at(k),
                )
            )
    return Outcome.of(issues, checked)


@rule(
    code="STR002",
    group="structure",
    severity="warning",
    title="duration within the three-point range",
    hint="the planned duration is usually the most likely estimate; keep it between optimistic and pessimistic",
)
def duration_in_range(ctx: Context) -> Outcome:
    issues, checked = [], 0
    for k, t in enumerate(ctx.plan.tasks):
        if not t.has_estimate or t.pessimistic is None:
            continue
        checked += 1
        if not t.optimistic <= t.duration <= t.pessimistic:
            issues.append(
                Issue(
                    f"duration {fmt(t.duration)} days lies outside its estimate range "
                    f"{fmt(t.optimistic)}-{fmt(t.pessimistic)}",
                    ctx.task_at(k),
                )
            )
    return Outcome.of(issues, checked)


@rule(
    code="STR003",
    group="structure",
    severity="warning",
    title="activities have three-point estimates",
    hint="give optimistic, most_likely and pessimistic so the Monte Carlo analysis can use the task",
)
def has_estimates(ctx: Context) -> Outcome:
    todo = [k for k in ctx.leaves if ctx.plan.tasks[k].duration > 0]
    issues = [
        Issue(
            f"has a single-point duration ({fmt(ctx.plan.tasks[k].duration)} days) and no "
            "three-point estimate",
            ctx.task_at(k),
        )
        for k in todo
        if not ctx.plan.tasks[k].has_estimate
    ]
    return Outcome.of(issues, len(todo))


@rule(
    code="STR004",
    group="structure",
    severity="warning",
    title="milestones have zero duration and a milestone name",
    hint="name a milestone as an event ('Go-live approved', 'Design signed off', '... milestone'); give work a duration",
)
def milestones_named(ctx: Context) -> Outcome:
    issues, checked = [], 0
    for k, t in enumerate(ctx.plan.tasks):
        named = "milestone" in (t.name or "").lower()
        if t.duration == 0:
            checked += 1
            if not MILESTONE_WORDS.search(t.name or t.id):
                issues.append(
                    Issue(
                        f"has zero duration (a milestone) but its name {t.name!r} reads as work, "
                        "not as an event",
                        ctx.task_at(k),
                    )
                )
        elif named:
            checked += 1
            issues.append(
                Issue(
                    f"is named as a milestone but lasts {fmt(t.duration)} days",
                    ctx.task_at(k),
                    hint="a milestone has duration 0; split the work from the event",
                )
            )
    return Outcome.of(issues, checked)


@rule(
    code="STR005",
    group="structure",
    severity="warning",
    title="a single start and a single finish",
    hint="link every first task to one start milestone and every last task to one finish milestone",
)
def single_start_finish(ctx: Context) -> Outcome:
    act = ctx.activity
    starts = np.flatnonzero(act & (ctx.n_predecessors == 0))
    finishes = np.flatnonzero(act & (ctx.n_successors == 0))
    ids = ctx.plan.network.ids
    issues = []
    for label, found in (("start", starts), ("finish", finishes)):
        if len(found) > 1:
            issues.append(
                Issue(
                    f"the plan has {len(found)} {label} tasks (without "
                    f"{'predecessors' if label == 'start' else 'successors'}): "
                    f"{id_list(ids[k] for k in found)}; a plan has exactly one {label}",
                    Location("plan", label, ctx.plan.source),
                )
            )
    return Outcome.of(issues, 2)


@rule(
    code="STR006",
    group="structure",
    severity="warning",
    title="logic: at most 5% of activities miss a predecessor or successor (DCMA 1)",
    hint="every activity but the project start needs a predecessor, and every one but the finish a successor",
)
def logic_share(ctx: Context) -> Outcome:
    act = ctx.activity
    n = int(act.sum())
    starts = act & (ctx.n_predecessors == 0)
    finishes = act & (ctx.n_successors == 0)
    # the first start and last finish are the project's own ends, not missing logic
    missing = int(starts.sum() + finishes.sum()) - int(starts.any()) - int(finishes.any())
    share = missing / n if n else 0.0
    issues = []
    if share > LOGIC_MAX_SHARE:
        issues.append(
            Issue(
                f"{share:.0%} of activities ({missing} of {n}) miss a predecessor or a successor; "
                f"DCMA allows at most {LOGIC_MAX_SHARE:.0%}",
                ctx.plan_loc(),
            )
        )
    return Outcome.of(issues, 1)


@rule(
    code="STR007",
    group="structure",
    severity="warning",
    title="no leads (negative lags) (DCMA 2)",
    hint="replace a lead by an SS link with a positive lag, or split the predecessor",
)
def no_leads(ctx: Context) -> Outcome:
    net = ctx.plan.network
    issues = [
        Issue(
            f"link {net.ids[net.pred[e]]} -> {net.ids[net.succ[e]]} has a lead of "
            f"{fmt(-net.lag[e])} days (lag {fmt(net.lag[e])})",
            ctx.task_at(int(net.succ[e])),
        )
        for e in np.flatnonzero(net.lag < 0)
    ]
    return Outcome.of(issues, len(net.lag))


@rule(
    code="STR008",
    group="structure",
    severity="warning",
    title="lags on at most 5% of links (DCMA 3)",
    hint="a lag hides waiting or work: model it as a task (e.g. 'Hypercare') instead",
)
def lag_share(ctx: Context) -> Outcome:
    net = ctx.plan.network
    n = len(net.lag)
    lagged = np.flatnonzero(net.lag > 0)
    issues = []
    if n and len(lagged) / n > LAG_MAX_SHARE:
        links = id_list(f"{net.ids[net.pred[e]]}->{net.ids[net.succ[e]]}" for e in lagged)
        issues.append(
            Issue(
                f"{len(lagged) / n:.0%} of links ({len(lagged)} of {n}) carry a lag: {links}; "
                f"DCMA allows at most {LAG_MAX_SHARE:.0%}",
                ctx.plan_loc(),
            )
        )
    return Outcome.of(issues, 1)


@rule(
    code="STR009",
    group="structure",
    severity="warning",
    title=f"no excessive lags (> {EXCESSIVE_LAG_DAYS:g} working days)",
    hint="a long lag is unplanned work or waiting: make it a task with an owner",
)
def excessive_lags(ctx: Context) -> Outcome:
    net = ctx.plan.network
    issues = [
        Issue(
            f"link {net.ids[net.pred[e]]} -> {net.ids[net.succ[e]]} has a lag of "
            f"{fmt(net.lag[e])} working days (more than {EXCESSIVE_LAG_DAYS:g})",
            ctx.task_at(int(net.succ[e])),
        )
        for e in np.flatnonzero(net.lag > EXCESSIVE_LAG_DAYS)
    ]
    return Outcome.of(issues, len(net.lag))


@rule(
    code="STR010",
    group="structure",
    severity="warning",
    title="finish-to-start links are at least 90% (DCMA 4)",
    hint="use FS links unless the overlap is real; SS/FF/SF make the critical path hard to read",
)
def fs_share(ctx: Context) -> Outcome:
    net = ctx.plan.network
    n = len(net.link_type)
    issues = []
    if n:
        share = float(np.mean(net.link_type == 0))
        if share < FS_MIN_SHARE:
            issues.append(
                Issue(
                    f"only {share:.0%} of links are finish-to-start ({int(round(share * n))} of {n}); "
                    f"DCMA expects at least {FS_MIN_SHARE:.0%}",
                    ctx.plan_loc(),
                )
            )
    return Outcome.of(issues, 1)


@rule(
    code="STR011",
    group="structure",
    severity="warning",
    title=f"no high durations (> {HIGH_DURATION_DAYS:g} working days) (DCMA 8)",
    hint="break a long activity into smaller ones that can be tracked",
)
def high_duration(ctx: Context) -> Outcome:
    issues = [
        Issue(
            f"lasts {fmt(ctx.plan.tasks[k].duration)} working days (more than {HIGH_DURATION_DAYS:g})",
            ctx.task_at(k),
        )
        for k in ctx.leaves
        if ctx.plan.tasks[k].duration > HIGH_DURATION_DAYS
    ]
    return Outcome.of(issues, len(ctx.leaves))


@rule(
    code="STR012",
    group="structure",
    severity="warning",
    title=f"no high total float (> {HIGH_FLOAT_DAYS:g} working days) (DCMA 6)",
    hint="high float usually means missing successor logic: link the task to what needs its result",
)
def high_float(ctx: Context) -> Outcome:
    tf = ctx.schedule.total_float
    act = np.flatnonzero(ctx.activity)
    issues = [
        Issue(
            f"has {fmt(tf[k])} working days of total float (more than {HIGH_FLOAT_DAYS:g})",
            ctx.task_at(int(k)),
        )
        for k in act
        if tf[k] > HIGH_FLOAT_DAYS
    ]
    return Outcome.of(issues, len(act))


# ====================================================================================== WBS
@rule(
    code="WBS001",
    group="wbs",
    severity="error",
    title="the WBS is a tree: every code's parent exists",
    hint="add the parent element (e.g. a summary or completion milestone with code 2 for 2.1)",
)
def wbs_parents_exist(ctx: Context) -> Outcome:
    codes = {t.wbs for t in ctx.plan.tasks if t.wbs}
    if not ctx.wbs_parents:
        return Outcome.of([], len(codes))  # parents only implied by the numbering: a flat WBS
    issues = []
    for k, t in enumerate(ctx.plan.tasks):
        if not t.wbs:
            continue
        missing = [a for a in ancestors(t.wbs) if a not in codes]
        if missing:
            issues.append(
                Issue(
                    f"WBS code {t.wbs} has no parent element {missing[-1]} in the plan",
                    ctx.task_at(k),
                )
            )
    return Outcome.of(issues, len(codes))


@rule(
    code="WBS002",
    group="wbs",
    severity="error",
    title="WBS codes are unique",
    hint="each WBS element has one code; number the second element differently",
)
def wbs_unique(ctx: Context) -> Outcome:
    first: dict[str, int] = {}
    issues = []
    for k, t in enumerate(ctx.plan.tasks):
        if not t.wbs:
            continue
        if t.wbs in first:
            issues.append(
                Issue(
                    f"WBS code {t.wbs} is also used by task {ctx.plan.tasks[first[t.wbs]].id}",
                    ctx.task_at(k),
                )
            )
        else:
            first[t.wbs] = k
    return Outcome.of(issues, len(first) + len(issues))


@rule(
    code="WBS003",
    group="wbs",
    severity="warning",
    title="every activity maps to a WBS element",
    hint="give the task the WBS code of the work package it delivers (e.g. 2.3)",
)
def wbs_assigned(ctx: Context) -> Outcome:
    issues = [
        Issue("has no WBS code", ctx.task_at(k)) for k, t in enumerate(ctx.plan.tasks) if not t.wbs
    ]
    return Outcome.of(issues, len(ctx.plan.tasks))


@rule(
    code="WBS004",
    group="wbs",
    severity="error",
    title="100% rule: a parent's cost equals the sum of its children",
    hint="the children of a WBS element hold exactly its scope: fix the parent or the missing/extra child",
)
def wbs_hundred_percent(ctx: Context) -> Outcome:
    plan = ctx.plan
    by_code = {t.wbs: t for t in plan.tasks if t.wbs}
    children: dict[str, list[str]] = {}
    for code in by_code:
        parts = code.split(".")
        if len(parts) > 1:
            children.setdefault(".".join(parts[:-1]), []).append(code)

    def rolled(code: str) -> float:
        kids = children.get(code)
        if not kids:
            return by_code[code].total_cost
        return sum(
            by_code[c].total_cost
            if (by_code[c].cost is not None or by_code[c].rate is not None)
            else rolled(c)
            for c in kids
        )

    issues, checked = [], 0
    for k, t in enumerate(plan.tasks):
        if not t.wbs or t.wbs not in children or (t.cost is None and t.rate is None):
            continue
        checked += 1
        total = rolled(t.wbs)
        if not math.isclose(t.total_cost, total, rel_tol=COST_TOLERANCE, abs_tol=1.0):
            kids = sorted(children[t.wbs])
            issues.append(
                Issue(
                    f"WBS {t.wbs} costs {fmt(t.total_cost)} but its children "
                    f"({id_list(kids)}) add up to {fmt(total)} (difference {fmt(t.total_cost - total)})",
                    ctx.task_at(k),
                )
            )
    return Outcome.of(issues, checked)


@rule(
    code="WBS005",
    group="wbs",
    severity="error",
    title="every work package has an owner",
    hint="name the one person accountable for delivering the work package in 'owner'",
)
def leaf_owner(ctx: Context) -> Outcome:
    issues = [
        Issue("has no owner", ctx.task_at(k))
        for k in ctx.leaves
        if not (ctx.plan.tasks[k].owner or "").strip()
    ]
    return Outcome.of(issues, len(ctx.leaves))


@rule(
    code="WBS006",
    group="wbs",
    severity="warning",
    title="work packages of 8 to 80 hours (the 8/80 heuristic)",
    hint="split a package over 80 hours (10 days) into smaller ones; merge one under a day into its neighbour",
)
def eight_eighty(ctx: Context) -> Outcome:
    low, high = WORK_PACKAGE_HOURS
    issues, checked = [], 0
    for k in ctx.leaves:
        d = ctx.plan.tasks[k].duration
        if d == 0:
            continue  # milestones are events, not work packages
        checked += 1
        hours = d * HOURS_PER_DAY
        if not low <= hours <= high:
            side = "more than 80" if hours > high else "less than 8"
            issues.append(
                Issue(
                    f"is {fmt(hours)} hours of work ({fmt(d)} days × {HOURS_PER_DAY:g} h), {side} hours",
                    ctx.task_at(k),
                )
            )
    return Outcome.of(issues, checked)


# ================================================================================= schedule
@rule(
    code="SCH001",
    group="schedule",
    severity="error",
    title="the schedule meets the deadline",
    hint="shorten the critical path (fast-track, crash) or negotiate the deadline",
)
def meets_deadline(ctx: Context) -> Outcome:
    plan = ctx.plan
    if plan.deadline is None:
        return Outcome.skip("no deadline given")
    sched = ctx.schedule
    late = sched.project_duration - plan.deadline_days
    if late <= 0:
        return Outcome.of([], 1)
    crit = np.flatnonzero(sched.critical)
    crit = crit[np.lexsort((sched.early_finish[crit], sched.early_start[crit]))]
    path = id_list((ctx.plan.network.ids[k] for k in crit), limit=12).replace(", ", " -> ")
    return Outcome.of(
        [
            Issue(
                f"the plan finishes on {sched.finish_date} after {fmt(sched.project_duration)} "
                f"working days, {fmt(late)} working days after the deadline {plan.deadline} "
                f"({fmt(plan.deadline_days)} days); critical path: {path}",
                ctx.plan_loc(),
            )
        ],
        1,
    )


@rule(
    code="SCH002",
    group="schedule",
    severity="error",
    title="the critical path is real: delaying a critical task delays the finish (DCMA 12)",
    hint="a task made critical only by an FF/SF link or a lead does not drive the finish: use FS links along the path",
)
def critical_path_test(ctx: Context) -> Outcome:
    from itpm_course.engine.schedule import cpm_arrays  # noqa: PLC0415

    sched = ctx.schedule
    net = ctx.plan.network
    d0 = net.duration
    todo = [int(k) for k in np.flatnonzero(sched.critical & (d0 > 0))]
    issues = []
    for k in todo:
        d = d0.copy()
        d[k] += 1.0
        _, _, finish = cpm_arrays(net, d)
        if finish < sched.project_duration + 1.0 - 1e-9:
            issues.append(
                Issue(
                    f"is critical (total float 0) but one more day on it moves the finish by "
                    f"{fmt(round(finish - sched.project_duration, 6))} days, not 1",
                    ctx.task_at(k),
                )
            )
    return Outcome.of(issues, len(todo))


@rule(
    code="SCH003",
    group="schedule",
    severity="warning",
    title="no dangling activities (open starts or ends)",
    hint="link the task to what it needs (a predecessor) and to what needs it (a successor)",
)
def dangling(ctx: Context) -> Outcome:
    act = ctx.activity
    n_pred, n_succ = ctx.n_predecessors, ctx.n_successors
    sched = ctx.schedule
    starts = np.flatnonzero(act & (n_pred == 0))
    finishes = np.flatnonzero(act & (n_succ == 0))
    # the project's own start (first by id order of early start) and finish are allowed
    start_ok = int(starts[np.argmin(sched.early_start[starts])]) if len(starts) else -1
    finish_ok = int(finishes[np.argmax(sched.early_finish[finishes])]) if len(finishes) else -1
    issues = []
    for k in np.flatnonzero(act):
        k = int(k)
        lacks = []
        if n_pred[k] == 0 and k != start_ok:
            lacks.append("predecessor")
        if n_succ[k] == 0 and k != finish_ok:
            lacks.append("successor")
        if lacks:
            issues.append(Issue(f"has no {' and no '.join(lacks)}", ctx.task_at(k)))
    return Outcome.of(issues, int(act.sum()))


# ================================================================================ resources
def resource_load(ctx: Context) -> tuple[list[str], np.ndarray]:
    """Units demanded per resource (rows) and working day (columns) by the CPM early schedule.

    A task assigned a resource takes one unit of it on every working day it is active:
    days ``floor(ES)`` to ``ceil(EF) - 1``; milestones take nothing.
    """
    plan = ctx.plan
    ids = [r.id for r in plan.resources]
    index = {rid: i for i, rid in enumerate(ids)}
    sched = ctx.schedule
    first = np.floor(sched.early_start + 1e-9).astype(np.int64)
    last = np.ceil(sched.early_finish - 1e-9).astype(np.int64)
    horizon = max(int(last.max()), 1) if len(last) else 1
    rows, k_idx = [], []
    for k, t in enumerate(plan.tasks):
        if t.duration > 0:
            for rid in t.resources:
                if rid in index:
                    rows.append(index[rid])
                    k_idx.append(k)
    diff = np.zeros((len(ids), horizon + 1))
    if rows:
        r = np.asarray(rows)
        kk = np.asarray(k_idx)
        np.add.at(diff, (r, first[kk]), 1.0)
        np.add.at(diff, (r, last[kk]), -1.0)
    return ids, np.cumsum(diff, axis=1)[:, :horizon]


def _day_ranges(days: np.ndarray) -> str:
    """``[3, 4, 5, 9]`` -> ``"3-5, 9"``."""
    out, start, prev = [], None, None
    for d in days.tolist() + [None]:
        if start is None:
            start = prev = d
        elif d is not None and d == prev + 1:
            prev = d
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = d
    return ", ".join(out)


@rule(
    code="RES001",
    group="resources",
    severity="error",
    title="no resource is over-allocated on any day",
    hint="level the resource: move non-critical tasks within their float, add capacity, or re-assign",
)
def over_allocation(ctx: Context) -> Outcome:
    plan = ctx.plan
    if not plan.resources:
        return Outcome.skip("the plan declares no resources")
    ids, load = resource_load(ctx)
    capacity = np.array([r.capacity for r in plan.resources], dtype=float)
    over = load > capacity[:, None] + 1e-9
    issues = []
    for i in np.flatnonzero(over.any(axis=1)):
        days = np.flatnonzero(over[i])
        peak_day = int(days[np.argmax(load[i, days])])
        dates = plan.calendar.add_workdays(plan.start, days[[0, -1]])
        when = f"{dates[0]}" if len(days) == 1 else f"{dates[0]} to {dates[1]}"
        word = "day" if len(days) == 1 else "days"
        issues.append(
            Issue(
                f"is over-allocated on {plural(len(days), 'working day')} ({word} "
                f"{_day_ranges(days)}, {when}): peak load {fmt(load[i, peak_day])} on day {peak_day} "
                f"against a capacity of {fmt(capacity[i])}",
                ctx.resource_loc(ids[i]),
            )
        )
    return Outcome.of(issues, len(ids))


@rule(
    code="RES002",
    group="resources",
    severity="warning",
    title="activities have resources assigned (DCMA 10)",
    hint="list in 'resources' who does the work (ids from the plan's resources)",
)
def resources_assigned(ctx: Context) -> Outcome:
    if not ctx.plan.resources:
        return Outcome.skip("the plan declares no resources")
    todo = [k for k in ctx.leaves if ctx.plan.tasks[k].duration > 0]
    issues = [
        Issue("has no resource assigned", ctx.task_at(k))
        for k in todo
        if not ctx.plan.tasks[k].resources
    ]
    return Outcome.of(issues, len(todo))


# =================================================================================== budget
@rule(
    code="BUD001",
    group="budget",
    severity="error",
    title="the total cost is within the budget",
    hint="cut scope, cheaper resources, or ask the sponsor for a larger budget",
)
def within_budget(ctx: Context) -> Outcome:
    plan = ctx.plan
    if plan.budget is None:
        return Outcome.skip("no budget given")
    if not ctx.has_costs:
        return Outcome.skip("no task carries a cost or rate")
    if ctx.base_cost <= plan.budget + 1e-6:
        return Outcome.of([], 1)
    return Outcome.of(
        [
            Issue(
                f"the tasks cost {fmt(ctx.base_cost)}, {fmt(ctx.base_cost - plan.budget)} over "
                f"the budget of {fmt(plan.budget)}",
                ctx.plan_loc(),
            )
        ],
        1,
    )


@rule(
    code="BUD002",
    group="budget",
    severity="warning",
    title="the budget holds a contingency reserve covering P80 cost (or the risks' EMV)",
    hint="budget = base cost + contingency; size the contingency from the Monte Carlo P80 cost or the threats' EMV",
)
def contingency_covered(ctx: Context) -> Outcome:
    plan = ctx.plan
    if plan.budget is None:
        return Outcome.skip("no budget given")
    if not ctx.has_costs:
        return Outcome.skip("no task carries a cost or rate")
    reserve = plan.budget - ctx.base_cost
    needed, basis = 0.0, ""
    sim = ctx.simulation
    if sim is not None and sim.cost is not None:
        p80 = sim.cost_percentile(80)
        needed = p80 - ctx.base_cost
        basis = (
            f"the P80 cost is {fmt(round(p80))} (Monte Carlo, {sim.iterations:,} iterations, "
            f"seed {sim.seed})"
        )
    if ctx.scored_risks is not None:
        from itpm_course.engine.risk import contingency_reserve  # noqa: PLC0415

        emv = contingency_reserve(ctx.scored_risks)
        if sim is None or sim.cost is None:
            needed, basis = emv, f"the threats' EMV is {fmt(round(emv))}"
        else:
            basis += f"; the threats' EMV is {fmt(round(emv))}"
    if not basis:
        return Outcome.skip("no three-point estimates or risks to size a reserve from")
    if reserve + 1e-6 >= needed:
        return Outcome.of([], 1)
    return Outcome.of(
        [
            Issue(
                f"the budget leaves a reserve of {fmt(round(reserve))} over the base cost "
                f"{fmt(ctx.base_cost)}, but {basis}: the reserve should be at least "
                f"{fmt(round(needed))} (short by {fmt(round(needed - reserve))})",
                ctx.plan_loc(),
            )
        ],
        1,
    )


@rule(
    code="BUD003",
    group="budget",
    severity="warning",
    title="every work package is costed",
    hint="give the task a fixed 'cost' or a 'rate' per working day",
)
def tasks_costed(ctx: Context) -> Outcome:
    if not ctx.has_costs and ctx.plan.budget is None:
        return Outcome.skip("the plan has neither a budget nor task costs")
    todo = [k for k in ctx.leaves if ctx.plan.tasks[k].duration > 0]
    issues = [
        Issue("has no cost or rate", ctx.task_at(k))
        for k in todo
        if ctx.plan.tasks[k].cost is None and ctx.plan.tasks[k].rate is None
    ]
    return Outcome.of(issues, len(todo))


# ===================================================================================== risk
def _top_risks(ctx: Context) -> list[int]:
    """Register positions of the top risks: the 5 highest ranked active ones and any in a high/medium zone."""
    scored = ctx.scored_risks
    reg = ctx.plan.risks
    if scored is None or reg is None:
        return []
    active = scored[scored["active"]]
    top = set(active.sort_values("rank").index[:TOP_RISKS]) | set(
        active.index[active["zone"].isin(TOP_ZONES)]
    )
    return [k for k, r in enumerate(reg) if r.id in top]


@rule(
    code="RSK001",
    group="risk",
    severity="error",
    title="the plan has a risk register",
    hint="add a 'risks:' list with threats and opportunities (id, title, probability, impact, owner, strategy)",
)
def has_register(ctx: Context) -> Outcome:
    if ctx.plan.risks:
        return Outcome.of([], 1)
    return Outcome.of([Issue("the plan has no risk register", ctx.plan_loc())], 1)


@rule(
    code="RSK002",
    group="risk",
    severity="error",
    title="top risks have an owner",
    hint="name the one person who watches the trigger and carries out the response",
)
def top_risk_owner(ctx: Context) -> Outcome:
    if not ctx.plan.risks:
        return Outcome.skip("no risk register")
    top = _top_risks(ctx)
    reg = ctx.plan.risks
    issues = [
        Issue(f"is a top risk ({reg[k].title}) without an owner", ctx.risk_at(k))
        for k in top
        if not (reg[k].owner or "").strip()
    ]
    return Outcome.of(issues, len(top))


@rule(
    code="RSK003",
    group="risk",
    severity="error",
    title="top risks have a response",
    hint="choose a strategy (threats: avoid, mitigate, transfer, accept, escalate; opportunities: exploit, enhance, share, accept, escalate)",
)
def top_risk_response(ctx: Context) -> Outcome:
    if not ctx.plan.risks:
        return Outcome.skip("no risk register")
    top = _top_risks(ctx)
    reg = ctx.plan.risks
    issues = [
        Issue(f"is a top risk ({reg[k].title}) without a response strategy", ctx.risk_at(k))
        for k in top
        if not reg[k].strategy
    ]
    return Outcome.of(issues, len(top))


@rule(
    code="RSK004",
    group="risk",
    severity="error",
    title="high-scoring risks have an active response with actions",
    hint="a high threat needs avoid/mitigate/transfer/escalate (an opportunity exploit/enhance/share/escalate) and concrete actions",
)
def high_risk_mitigated(ctx: Context) -> Outcome:
    scored = ctx.scored_risks
    reg = ctx.plan.risks
    if scored is None or reg is None:
        return Outcome.skip("no risk register")
    high = set(scored.index[(scored["zone"] == "high") & scored["active"]])
    issues, checked = [], 0
    for k, r in enumerate(reg):
        if r.id not in high:
            continue
        checked += 1
        lacks = []
        if r.strategy not in MITIGATING.get(r.kind, ()):
            lacks.append(
                f"strategy {r.strategy!r}, which is not an active response"
                if r.strategy
                else "no strategy"
            )
        if not (r.actions or "").strip():
            lacks.append("no actions")
        if lacks:
            issues.append(
                Issue(f"scores high ({r.title}) but has {' and '.join(lacks)}", ctx.risk_at(k))
            )
    return Outcome.of(issues, checked)


@rule(
    code="RSK005",
    group="risk",
    severity="warning",
    title="risks name the tasks they affect",
    hint="list in 'tasks' the plan tasks the risk delays, so the Monte Carlo analysis can place it",
)
def risk_tasks(ctx: Context) -> Outcome:
    reg = ctx.plan.risks
    if not reg:
        return Outcome.skip("no risk register")
    known = ctx.plan.network.index
    issues = []
    for k, r in enumerate(reg):
        unknown = [t for t in r.tasks if t not in known]
        if unknown:
            issues.append(Issue(f"names unknown task(s) {id_list(unknown)}", ctx.risk_at(k)))
        elif r.is_threat and r.impact_days and not r.tasks:
            issues.append(
                Issue(
                    f"delays the plan by {fmt(r.impact_days)} days but names no task",
                    ctx.risk_at(k),
                )
            )
    return Outcome.of(issues, len(reg))


@rule(
    code="RSK006",
    group="risk",
    severity="info",
    title="the register also looks for opportunities",
    hint="add at least one opportunity (e.g. reuse, an early licence discount) with exploit/enhance/share",
)
def has_opportunities(ctx: Context) -> Outcome:
    reg = ctx.plan.risks
    if not reg:
        return Outcome.skip("no risk register")
    if any(not r.is_threat for r in reg):
        return Outcome.of([], 1)
    return Outcome.of([Issue("the register holds threats only", ctx.plan_loc())], 1)


# ============================================================================= stakeholders
RACI_LETTERS = frozenset("RACI")


def _raci_roles(value: str) -> set[str]:
    return {c for c in str(value).upper() if c.isalpha()}


def _deliverable_loc(ctx: Context, deliverable: str) -> Location:
    if deliverable in ctx.plan.network.index:
        loc = ctx.task_loc(deliverable)
        return Location("deliverable", deliverable, loc.file, loc.row)
    return Location("deliverable", deliverable, ctx.plan.source)


def _raci(ctx: Context) -> Mapping[str, Mapping[str, str]] | None:
    """The RACI to check: the one passed to the validator, else the plan's own."""
    if ctx.raci:
        return ctx.raci
    plan_raci = getattr(ctx.plan, "raci", None)
    return plan_raci.to_mapping() if plan_raci is not None else None


@rule(
    code="STK001",
    group="stakeholders",
    severity="error",
    title="RACI: each deliverable has exactly one Accountable",
    hint="one person is Accountable (answers for it); others can be Responsible, Consulted or Informed",
)
def raci_one_accountable(ctx: Context) -> Outcome:
    raci = _raci(ctx)
    if raci is None:
        return Outcome.skip("no RACI given")
    issues = []
    for deliverable, people in raci.items():
        accountable = [p for p, v in people.items() if "A" in _raci_roles(v)]
        if len(accountable) != 1:
            who = f": {', '.join(accountable)}" if accountable else ""
            issues.append(
                Issue(
                    f"has {len(accountable)} Accountable{who}; it needs exactly one",
                    _deliverable_loc(ctx, deliverable),
                )
            )
    return Outcome.of(issues, len(raci))


@rule(
    code="STK002",
    group="stakeholders",
    severity="error",
    title="RACI: each deliverable has at least one Responsible",
    hint="name who does the work (R); the Accountable may also be Responsible ('AR')",
)
def raci_responsible(ctx: Context) -> Outcome:
    raci = _raci(ctx)
    if raci is None:
        return Outcome.skip("no RACI given")
    issues = [
        Issue("has no Responsible", _deliverable_loc(ctx, d))
        for d, people in raci.items()
        if not any("R" in _raci_roles(v) for v in people.values())
    ]
    return Outcome.of(issues, len(raci))


@rule(
    code="STK003",
    group="stakeholders",
    severity="warning",
    title="RACI: deliverables exist in the plan and letters are R, A, C or I",
    hint="key the RACI by task id or WBS code, and use only the letters R, A, C, I",
)
def raci_consistent(ctx: Context) -> Outcome:
    raci = _raci(ctx)
    if raci is None:
        return Outcome.skip("no RACI given")
    known = set(ctx.plan.network.index) | {t.wbs for t in ctx.plan.tasks if t.wbs}
    issues = []
    for d, people in raci.items():
        if d not in known:
            issues.append(
                Issue("is not a task id or WBS code of the plan", _deliverable_loc(ctx, d))
            )
        bad = {p: v for p, v in people.items() if not _raci_roles(v) <= RACI_LETTERS}
        if bad:
            issues.append(
                Issue(f"has letters other than R, A, C, I: {bad}", _deliverable_loc(ctx, d))
            )
    return Outcome.of(issues, len(raci))


# The rules below (STK004...) need the plan's stakeholder register (``stakeholders:``); they
# wrap the checks of :mod:`itpm_course.engine.stakeholders` (one checker for the lessons, the
# widgets and the validator).
ENGAGEMENT_GAP_OWNER = (
    2  # a stakeholder this many levels below the desired engagement needs an owner
)
SPONSOR_WORDS = re.compile(r"\bsponsor", re.IGNORECASE)


def _register(ctx: Context):
    return getattr(ctx.plan, "stakeholders", None)


def _stakeholder_loc(ctx: Context, k: int) -> Location:
    reg = _register(ctx)
    return Location("stakeholder", reg[k].id, reg.source or ctx.plan.source, reg.row_of(k))


def _role_loc(ctx: Context, role: str) -> Location:
    return Location("role", role, ctx.plan.source)


def _raci_matrix(ctx: Context):
    """The RACI to check as a RaciMatrix, or the reason it cannot be one (for a skip)."""
    from itpm_course.errors import PlanError  # noqa: PLC0415
    from itpm_course.plan.stakeholders import raci_from_mapping  # noqa: PLC0415

    if ctx.raci:
        try:
            return raci_from_mapping(ctx.raci), None
        except PlanError:
            return None, "the RACI has cells other than R, A, C, I (see STK003)"
    plan_raci = getattr(ctx.plan, "raci", None)
    if plan_raci is None:
        return None, "no RACI given"
    return plan_raci, None


def _known_roles(ctx: Context) -> set[str]:
    """Who a RACI role may name: stakeholder ids and names, resource ids and names."""
    known = set()
    for s in _register(ctx) or ():
        known |= {s.id, s.name}
    for r in ctx.plan.resources or ():
        known |= {r.id, r.name}
    return {k for k in known if k}


@rule(
    code="STK004",
    group="stakeholders",
    severity="error",
    title="RACI: every Accountable and Responsible is a stakeholder or a resource of the plan",
    hint="add the person or team to the stakeholder register (or the resources), or use their id there",
)
def raci_roles_known(ctx: Context) -> Outcome:
    if _register(ctx) is None:
        return Outcome.skip("the plan has no stakeholder register")
    raci, why = _raci_matrix(ctx)
    if raci is None:
        return Outcome.skip(why)
    from itpm_course.engine.stakeholders import check_raci  # noqa: PLC0415

    doing = [r for r in raci.roles if any(set(v) & {"R", "A"} for v in raci.column(r).values())]
    unknown = {
        f.role for f in check_raci(raci, sorted(_known_roles(ctx))) if f.code == "RACI-UNKNOWN-ROLE"
    }
    issues = []
    for role in doing:
        if role in unknown:
            column = raci.column(role)
            letters = sorted({c for v in column.values() for c in v if c in "AR"})
            issues.append(
                Issue(
                    f"is {'/'.join(letters)} on {id_list(column)} but is neither a stakeholder "
                    "nor a resource of the plan",
                    _role_loc(ctx, role),
                )
            )
    return Outcome.of(issues, len(doing))


@rule(
    code="STK005",
    group="stakeholders",
    severity="warning",
    title="stakeholders to manage closely have a communication plan entry at least as often as recommended",
    hint="record how often (frequency) and how (channel) you communicate with them, at least as often as the grid recommends",
)
def manage_closely_communication(ctx: Context) -> Outcome:
    reg = _register(ctx)
    if reg is None:
        return Outcome.skip("the plan has no stakeholder register")
    from itpm_course.content import people  # noqa: PLC0415
    from itpm_course.engine.stakeholders import power_interest_grid  # noqa: PLC0415

    grid = power_interest_grid(reg)
    defaults = {q["id"]: q for q in people.load_quadrants().to_dict("records")}
    per_month = people.load_frequencies()
    recommended = defaults["manage closely"]["frequency"]
    issues, checked = [], 0
    for k, (s, q) in enumerate(zip(reg, grid["quadrant"], strict=True)):
        if q != "manage closely":
            continue
        checked += 1
        who = f"{s.name} (power {s.power}, interest {s.interest}: manage closely)"
        missing = [f for f in ("frequency", "channel") if getattr(s, f) is None]
        if missing:
            issues.append(
                Issue(
                    f"{who} has no {' and no '.join(missing)} in the communication plan; "
                    f"the grid recommends {recommended} through {defaults['manage closely']['channel']}",
                    _stakeholder_loc(ctx, k),
                )
            )
        elif per_month[s.frequency] < per_month[recommended]:
            issues.append(
                Issue(
                    f"{who} hears from the project {s.frequency} "
                    f"(~{fmt(per_month[s.frequency])} a month); the grid recommends at least "
                    f"{recommended} (~{fmt(per_month[recommended])} a month)",
                    _stakeholder_loc(ctx, k),
                )
            )
    return Outcome.of(issues, checked)


@rule(
    code="STK006",
    group="stakeholders",
    severity="warning",
    title=f"stakeholders {ENGAGEMENT_GAP_OWNER}+ engagement levels below the desired one have an owner",
    hint="name who on the team keeps the relationship ('owner') and moves them to the desired engagement",
)
def engagement_gap_owner(ctx: Context) -> Outcome:
    reg = _register(ctx)
    if reg is None:
        return Outcome.skip("the plan has no stakeholder register")
    from itpm_course.engine.stakeholders import engagement_gaps  # noqa: PLC0415

    gaps = engagement_gaps(reg)
    wide = gaps[gaps["gap"] >= ENGAGEMENT_GAP_OWNER]
    position = {sid: k for k, sid in enumerate(reg.ids)}
    issues = []
    for row in wide.itertuples(index=False):
        k = position[row.id]
        if not (reg[k].owner or "").strip():
            issues.append(
                Issue(
                    f"{row.name} is {row.gap} engagement levels below the desired one "
                    f"({row.current} -> {row.desired}) and nobody owns the relationship",
                    _stakeholder_loc(ctx, k),
                    hint=f"name an owner who will {row.action}",
                )
            )
    return Outcome.of(issues, len(wide))


@rule(
    code="STK007",
    group="stakeholders",
    severity="error",
    title="the stakeholder register names the sponsor",
    hint="add the sponsor (who funds the project and decides what the PM cannot) with role 'sponsor'",
)
def has_sponsor(ctx: Context) -> Outcome:
    reg = _register(ctx)
    if reg is None:
        return Outcome.skip("the plan has no stakeholder register")
    if any(SPONSOR_WORDS.search(f"{s.id} {s.role or ''} {s.name}") for s in reg):
        return Outcome.of([], 1)
    return Outcome.of(
        [Issue("the stakeholder register has no sponsor (by id, role or name)", ctx.plan_loc())], 1
    )


@rule(
    code="STK008",
    group="stakeholders",
    severity="warning",
    title="RACI: no role is Responsible or Accountable for more than half the deliverables",
    hint="delegate: make someone else Responsible for some of the deliverables, or share the work",
)
def raci_no_overload(ctx: Context) -> Outcome:
    if _register(ctx) is None:
        return Outcome.skip("the plan has no stakeholder register")
    raci, why = _raci_matrix(ctx)
    if raci is None:
        return Outcome.skip(why)
    from itpm_course.engine.stakeholders import check_raci  # noqa: PLC0415

    issues = [
        Issue(f.reason.removeprefix(f"{f.role} "), _role_loc(ctx, f.role))
        for f in check_raci(raci)
        if f.code == "RACI-OVERLOAD"
    ]
    return Outcome.of(issues, len(raci.roles))


# ================================================================================== quality
def _upstream(ctx: Context, k: int) -> set[int]:
    """All tasks that (transitively) precede task ``k``."""
    net = ctx.plan.network
    preds: dict[int, list[int]] = {}
    for p, s in zip(net.pred.tolist(), net.succ.tolist(), strict=True):
        preds.setdefault(s, []).append(p)
    seen: set[int] = set()
    stack = [k]
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def _text(ctx: Context, k: int) -> str:
    t = ctx.plan.tasks[k]
    return f"{t.id} {t.name}"


@rule(
    code="QUA001",
    group="quality",
    severity="error",
    title="a test/acceptance task precedes each go-live or cut-over",
    hint="add a test or user-acceptance task and link it (directly or through other tasks) before the go-live",
)
def test_before_go_live(ctx: Context) -> Outcome:
    go_lives = [k for k in range(len(ctx.plan.tasks)) if GO_LIVE_WORDS.search(_text(ctx, k))]
    if not go_lives:
        return Outcome.skip("no go-live or cut-over task found (by name)")
    tests = {k for k in range(len(ctx.plan.tasks)) if TEST_WORDS.search(_text(ctx, k))}
    issues = []
    for k in go_lives:
        if not _upstream(ctx, k) & tests:
            later = sorted(ctx.plan.tasks[j].id for j in tests)
            extra = f" (test tasks {id_list(later)} do not precede it)" if later else ""
            issues.append(
                Issue(
                    f"goes live without a test or acceptance task before it{extra}", ctx.task_at(k)
                )
            )
    return Outcome.of(issues, len(go_lives))


# =================================================================================== change
# A change request (``validate(plan, change=...)``, ``plan check --change``) is applied with
# :func:`itpm_course.engine.change.apply_change`; the changed plan is checked with the same
# engines as the baseline (CPM, the validator's seeded Monte Carlo run, its cost).
def _change_loc(ctx: Context, problem) -> Location:
    source = problem.source or ctx.change.source
    if problem.task:
        return Location("task", problem.task, source, problem.row)
    return Location("change", ctx.change.label, source, problem.row)


def _signed(x: float) -> str:
    return ("+" if x >= 0 else "-") + fmt(abs(x))


def _problem_text(problem) -> str:
    return f"{problem.column}: {problem.reason}" if problem.column else problem.reason


def _is_cycle(problem) -> bool:
    return "dependency cycle" in problem.reason


def _is_dangling(problem) -> bool:
    return "dangling" in problem.reason or "which the change removes" in problem.reason


def _open_ends(ctx: Context, key: str) -> set[str]:
    """Ids of activities without predecessors (``n_predecessors``) or successors."""
    ends = ctx.activity & (getattr(ctx, key) == 0)
    return {ctx.plan.network.ids[k] for k in np.flatnonzero(ends)}


def _change_problems(ctx: Context, keep) -> Outcome:
    if ctx.change is None:
        return Outcome.skip("no change request given")
    problems = [p for p in ctx.applied[1] if keep(p)]
    return Outcome.of(
        [Issue(_problem_text(p), _change_loc(ctx, p)) for p in problems],
        max(len(problems), 1),
    )


def _change_applied(ctx: Context) -> Outcome | None:
    """A skip when there is no change or it does not apply; None when the changed plan exists."""
    if ctx.change is None:
        return Outcome.skip("no change request given")
    if ctx.changed is None:
        return Outcome.skip(
            f"the change {ctx.change.label} does not apply to the plan (CHG001-003)"
        )
    return None


@rule(
    code="CHG001",
    group="change",
    severity="error",
    title="the change request names existing tasks and known fields with valid values",
    hint="edit tasks by their ids in the plan under 'tasks', with the plan's task fields; add new tasks under 'add'",
)
def change_applies(ctx: Context) -> Outcome:
    return _change_problems(ctx, lambda p: not (_is_cycle(p) or _is_dangling(p)))


@rule(
    code="CHG002",
    group="change",
    severity="error",
    title="the change leaves no task dangling",
    hint="give the successors of a removed task new predecessors, and link an added task to what needs its result",
)
def change_no_dangling(ctx: Context) -> Outcome:
    out = _change_problems(ctx, _is_dangling)
    if out.skipped is not None or ctx.changed is None:
        return out
    # open ends the change adds to the network: more activities without a successor (or a
    # predecessor) than the baseline has; a new finish that replaces the old one is fine
    issues = []
    for lacks, key in (("predecessor", "n_predecessors"), ("successor", "n_successors")):
        before, after = _open_ends(ctx, key), _open_ends(ctx.changed, key)
        if len(after) > len(before):
            issues.extend(
                Issue(
                    f"has no {lacks} once the change {ctx.change.label} is applied",
                    Location("task", tid, ctx.change.source),
                )
                for tid in sorted(after - before)
            )
    return Outcome.of(issues, max(len(ctx.changed.plan.tasks), 1))


@rule(
    code="CHG003",
    group="change",
    severity="error",
    title="the change introduces no dependency cycle",
    hint="a task cannot (indirectly) wait for itself: remove one of the links of the loop",
)
def change_no_cycle(ctx: Context) -> Outcome:
    return _change_problems(ctx, _is_cycle)


@rule(
    code="CHG004",
    group="change",
    severity="error",
    title="the changed plan's CPM finish meets the deadline",
    hint="a change that breaks the deadline needs re-planning with the sponsor: shorten it, move other work, or reject it",
)
def change_meets_deadline(ctx: Context) -> Outcome:
    skip = _change_applied(ctx)
    if skip is not None:
        return skip
    if ctx.plan.deadline is None:
        return Outcome.skip("no deadline given")
    before, after = ctx.schedule.project_duration, ctx.changed.schedule.project_duration
    late = after - ctx.plan.deadline_days
    if late <= 0:
        return Outcome.of([], 1)
    return Outcome.of(
        [
            Issue(
                f"with the change {ctx.change.label} the plan finishes on "
                f"{ctx.changed.schedule.finish_date} after {fmt(after)} working days "
                f"({_signed(after - before)} days), {fmt(late)} working days after the deadline "
                f"{ctx.plan.deadline}",
                Location("change", ctx.change.label, ctx.change.source),
            )
        ],
        1,
    )


def _changed_cost(ctx: Context) -> float:
    """The changed plan's cost: its work packages plus the request's one-off cost."""
    return ctx.changed.base_cost + ctx.change.request.cost


@rule(
    code="CHG005",
    group="change",
    severity="error",
    title="the changed plan's cost is within the budget",
    hint="a change the budget cannot hold needs re-planning with the sponsor: cut it down, fund it, or reject it",
)
def change_within_budget(ctx: Context) -> Outcome:
    skip = _change_applied(ctx)
    if skip is not None:
        return skip
    budget = ctx.plan.budget
    if budget is None:
        return Outcome.skip("no budget given")
    cost = _changed_cost(ctx)
    if cost <= budget + 1e-6:
        return Outcome.of([], 1)
    return Outcome.of(
        [
            Issue(
                f"with the change {ctx.change.label} the tasks cost {fmt(cost)} "
                f"({_signed(cost - ctx.base_cost)}), {fmt(cost - budget)} over the budget of "
                f"{fmt(budget)}",
                Location("change", ctx.change.label, ctx.change.source),
            )
        ],
        1,
    )


@rule(
    code="CHG006",
    group="change",
    severity="warning",
    title="the changed plan's P80 finish meets the deadline (Monte Carlo, seeded)",
    hint="at 80% confidence the change does not fit: defer it, or bring a response that keeps P80 inside the deadline",
)
def change_p80_deadline(ctx: Context) -> Outcome:
    skip = _change_applied(ctx)
    if skip is not None:
        return skip
    if ctx.plan.deadline is None:
        return Outcome.skip("no deadline given")
    sim = ctx.changed.simulation
    if sim is None:
        return Outcome.skip("no three-point estimates or risks to simulate")
    p80, deadline = sim.percentile(80), ctx.plan.deadline_days
    if p80 <= deadline + 1e-9:
        return Outcome.of([], 1)
    was = ctx.simulation.percentile(80) if ctx.simulation is not None else None
    before = f"; it was day {was:.1f} before the change" if was is not None else ""
    return Outcome.of(
        [
            Issue(
                f"with the change {ctx.change.label} the P80 finish is day {p80:.1f}, after the "
                f"deadline (day {fmt(deadline)}){before} (Monte Carlo, {sim.iterations:,} "
                f"iterations, seed {sim.seed})",
                Location("change", ctx.change.label, ctx.change.source),
            )
        ],
        1,
    )


@rule(
    code="CHG007",
    group="change",
    severity="warning",
    title="the changed plan's P80 cost is within the budget (Monte Carlo, seeded)",
    hint="at 80% confidence the change does not fit the budget: defer it, or fund it",
)
def change_p80_budget(ctx: Context) -> Outcome:
    skip = _change_applied(ctx)
    if skip is not None:
        return skip
    budget = ctx.plan.budget
    if budget is None:
        return Outcome.skip("no budget given")
    sim = ctx.changed.simulation
    if sim is None or sim.cost is None:
        return Outcome.skip("no task costs and estimates or risks to simulate")
    p80 = sim.cost_percentile(80) + ctx.change.request.cost
    if p80 <= budget + 1e-6:
        return Outcome.of([], 1)
    return Outcome.of(
        [
            Issue(
                f"with the change {ctx.change.label} the P80 cost is {fmt(round(p80))}, "
                f"{fmt(round(p80 - budget))} over the budget of {fmt(budget)} (Monte Carlo, "
                f"{sim.iterations:,} iterations, seed {sim.seed})",
                Location("change", ctx.change.label, ctx.change.source),
            )
        ],
        1,
    )


@rule(
    code="CHG008",
    group="change",
    severity="warning",
    title="the change uses at most 25% of the cost reserve",
    hint="approve only with conditions: the sponsor agrees to spend the reserve, or the change is cut down",
)
def change_reserve_share(ctx: Context) -> Outcome:
    from itpm_course.engine.change import RESERVE_SHARE  # noqa: PLC0415

    skip = _change_applied(ctx)
    if skip is not None:
        return skip
    budget = ctx.plan.budget
    if budget is None:
        return Outcome.skip("no budget given")
    extra = _changed_cost(ctx) - ctx.base_cost
    reserve = budget - ctx.base_cost
    if extra <= 0 or (reserve > 0 and extra <= RESERVE_SHARE * reserve + 1e-6):
        return Outcome.of([], 1)
    share = f" ({extra / reserve:.0%})" if reserve > 0 else ""
    return Outcome.of(
        [
            Issue(
                f"the change {ctx.change.label} costs {fmt(extra)}, using {fmt(extra)} of the "
                f"{fmt(max(reserve, 0))} cost reserve{share}; more than {RESERVE_SHARE:.0%} needs "
                "the sponsor's approval",
                Location("change", ctx.change.label, ctx.change.source),
            )
        ],
        1,
    )


@rule(
    code="CHG009",
    group="change",
    severity="warning",
    title="the change keeps the critical path",
    hint="brief the owners of the tasks that become critical, and re-check the float of those that leave the path",
)
def change_critical_path(ctx: Context) -> Outcome:
    skip = _change_applied(ctx)
    if skip is not None:
        return skip
    before = ctx.schedule.critical_tasks
    after = ctx.changed.schedule.critical_tasks
    if after == before:
        return Outcome.of([], 1)
    joined = [t for t in after if t not in before]
    left = [t for t in before if t not in after]
    parts = []
    if joined:
        parts.append(f"{id_list(joined)} become critical")
    if left:
        parts.append(f"{id_list(left)} leave the critical path")
    return Outcome.of(
        [
            Issue(
                f"the change {ctx.change.label} changes the critical path: "
                + ("; ".join(parts) or "its order changes"),
                Location("change", ctx.change.label, ctx.change.source),
            )
        ],
        1,
    )


def _log_loc(ctx: Context, k: int) -> Location:
    log = ctx.change_log
    return Location("change", log.entries[k].id, log.source, log.rows[k])


@rule(
    code="CHG010",
    group="change",
    severity="error",
    title="decided changes in the change log record the decision, who decided and when",
    hint="fill in 'decision', 'decided_by' and 'decided' (a date) for every change the board decided",
)
def log_decisions_recorded(ctx: Context) -> Outcome:
    log = ctx.change_log
    if log is None:
        return Outcome.skip("no change log given")
    issues, checked = [], 0
    for k, e in enumerate(log.entries):
        if e.status == "submitted":
            continue
        checked += 1
        missing = [
            label
            for label, value in (
                ("the decision", e.decision),
                ("who decided", e.decided_by),
                ("the date", e.decided),
            )
            if not value
        ]
        if missing:
            issues.append(
                Issue(
                    f"is {e.status} but the log does not record "
                    + " and ".join(filter(None, [", ".join(missing[:-1]), missing[-1]])),
                    _log_loc(ctx, k),
                )
            )
    return Outcome.of(issues, checked)


@rule(
    code="CHG011",
    group="change",
    severity="warning",
    title="approved changes are implemented",
    hint="implement the change and re-baseline the plan (status 'implemented'), or record why it waits",
)
def log_approved_implemented(ctx: Context) -> Outcome:
    log = ctx.change_log
    if log is None:
        return Outcome.skip("no change log given")
    approved = [k for k, e in enumerate(log.entries) if e.status.startswith("approved")]
    issues = [
        Issue(
            f"is {log.entries[k].status} but not implemented ({log.entries[k].title})",
            _log_loc(ctx, k),
        )
        for k in approved
    ]
    return Outcome.of(issues, len(approved) + sum(e.status == "implemented" for e in log.entries))
