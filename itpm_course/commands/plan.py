"""``itpm-course plan ...``: schedule and simulate project plans."""

from __future__ import annotations

import argparse
import sys

from itpm_course.commands import EXIT_OK, CliError, write_json
from itpm_course.commands import fmt_number as _num


def _plan_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "plan", metavar="PLAN", help="plan file: .csv task table, .xlsx, .yaml/.yml or .json"
    )
    p.add_argument(
        "--start", metavar="DATE", help="project start date for a CSV task table (YYYY-MM-DD)"
    )


def _load(args: argparse.Namespace):
    from itpm_course.plan import load_plan  # noqa: PLC0415

    options = {}
    if getattr(args, "start", None):
        if not args.plan.lower().endswith(".csv"):
            raise CliError(
                "--start only applies to a CSV task table; YAML, JSON and Excel plans carry their own start"
            )
        options["start"] = args.start
    return load_plan(args.plan, **options)


def cmd_plan_schedule(args: argparse.Namespace) -> int:
    from itpm_course.engine.schedule import schedule  # noqa: PLC0415

    result = schedule(_load(args))
    if args.json:
        if args.indent is None:
            sys.stdout.write(result.to_json() + "\n")
        else:
            write_json(result.to_dict(), args.indent)
        return EXIT_OK
    _print_schedule(result, limit=args.limit or None)
    return EXIT_OK


def _print_schedule(result, limit: int | None) -> None:
    plan = result.plan
    frame = result.to_frame()
    shown = frame if limit is None else frame.head(limit)
    out = sys.stdout
    out.write(f"{plan.name}: {len(plan)} tasks, starts {plan.start.isoformat()}\n")
    out.write(
        f"Project duration: {_num(result.project_duration)} working days, finishing {result.finish_date}\n"
    )
    if plan.deadline is not None:
        slack = plan.deadline_days - result.project_duration
        verdict = "meets" if slack >= 0 else "misses"
        out.write(
            f"Deadline {plan.deadline.isoformat()}: {verdict} it by {_num(abs(slack))} working days\n"
        )
    crit = result.critical_tasks
    path = " -> ".join(crit[:30]) + (" ..." if len(crit) > 30 else "")
    out.write(f"Critical tasks ({len(crit)}): {path}\n\n")
    header = f"{'id':<12} {'name':<28} {'dur':>6} {'ES':>7} {'EF':>7} {'LS':>7} {'LF':>7} {'TF':>6} {'FF':>6}  {'start':<10} {'finish':<10} crit"
    out.write(header + "\n" + "-" * len(header) + "\n")
    for tid, row in shown.iterrows():
        out.write(
            f"{str(tid)[:12]:<12} {str(row['name'])[:28]:<28} {_num(row['duration']):>6} "
            f"{_num(row['early_start']):>7} {_num(row['early_finish']):>7} {_num(row['late_start']):>7} "
            f"{_num(row['late_finish']):>7} {_num(row['total_float']):>6} {_num(row['free_float']):>6}  "
            f"{str(row['start_date'])[:10]:<10} {str(row['finish_date'])[:10]:<10} {'*' if row['critical'] else ''}\n"
        )
    if len(shown) < len(frame):
        out.write(f"... {len(frame) - len(shown)} more tasks (use --limit 0 for all, or --json)\n")


def cmd_plan_simulate(args: argparse.Namespace) -> int:
    from itpm_course.engine.montecarlo import risk_events, simulate  # noqa: PLC0415

    if args.iterations < 2:
        raise CliError(f"--iterations must be at least 2, got {args.iterations}")
    if args.correlation is not None and not -1 <= args.correlation <= 1:
        raise CliError(f"--correlation must be between -1 and 1, got {args.correlation}")
    plan = _load(args)
    deadline = args.deadline
    if deadline is None:
        deadline = plan.deadline_days
    result = simulate(
        plan,
        iterations=args.iterations,
        seed=args.seed,
        distribution=args.distribution,
        correlation=args.correlation,
        risks=risk_events(plan.risks) if plan.risks else None,
    )
    data = result.to_dict(deadline=deadline)
    if args.json:
        write_json(data, args.indent)
        return EXIT_OK
    out = sys.stdout
    uncertain = sum(t.has_estimate for t in plan.tasks)
    out.write(
        f"{plan.name}: {len(plan)} tasks ({uncertain} with three-point estimates), "
        f"{result.iterations:,} iterations, {result.distribution}, seed {result.seed}\n"
    )
    out.write(
        f"Deterministic (most likely) duration: {_num(result.deterministic_duration)} working days\n"
    )
    out.write(
        f"Mean {data['mean']:.1f}, std {data['std']:.1f} (merge bias {data['merge_bias']:+.1f} days)\n"
    )
    out.write(
        "Percentiles: " + ", ".join(f"{k} {v:.1f}" for k, v in data["percentiles"].items()) + "\n"
    )
    if deadline is not None:
        out.write(
            f"Probability of finishing within {_num(deadline)} working days: {data['probability_on_time']:.0%}\n"
        )
    frame = result.to_frame().sort_values("criticality", ascending=False)
    out.write("\nMost critical tasks (criticality index, sensitivity rho):\n")
    for tid, row in frame.head(args.top).iterrows():
        out.write(
            f"  {str(tid):<12} {row['criticality']:6.0%}   rho {row['sensitivity']:+.2f}  {row['name']}\n"
        )
    if "cost" in data:
        c = data["cost"]
        out.write(
            f"\nCost: base {c['base']:,.0f}, P50 {c['P50']:,.0f}, P80 {c['P80']:,.0f}; contingency for P80 {c['contingency_P80']:,.0f}\n"
        )
    return EXIT_OK


def cmd_plan_check(args: argparse.Namespace) -> int:
    from itpm_course.commands import EXIT_FINDINGS  # noqa: PLC0415
    from itpm_course.validation import check_plan  # noqa: PLC0415
    from itpm_course.validation.report import format_report  # noqa: PLC0415

    plan = _load(args)
    try:
        report = check_plan(
            plan,
            args.rubric,
            seed=args.seed,
            iterations=args.iterations,
            change=args.change,
            change_log=args.change_log,
        )
    except ValueError as exc:  # an unknown rubric name; a change or log file that cannot be read
        raise CliError(str(exc)) from None
    if args.json:
        write_json(report.to_dict(), args.indent)
    else:
        sys.stdout.write(format_report(report))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def register(sub: argparse._SubParsersAction) -> None:
    plan = sub.add_parser("plan", help="work with project plans")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    plan_sub.required = True
    sched = plan_sub.add_parser(
        "schedule",
        help="critical-path schedule of a plan",
        description="Compute the critical-path schedule (CPM) of a plan. Times are working days from the start (day 0).",
    )
    _plan_options(sched)
    sched.add_argument(
        "--json", action="store_true", help="print JSON: project_duration, critical_tasks, tasks"
    )
    sched.add_argument(
        "--indent",
        type=int,
        metavar="N",
        help="with --json: indent by N spaces (default: one line)",
    )
    sched.add_argument(
        "--limit", type=int, default=50, help="rows in the table (0 = all; default 50)"
    )
    sched.set_defaults(func=cmd_plan_schedule)

    sim = plan_sub.add_parser(
        "simulate",
        help="Monte Carlo schedule (and cost) risk of a plan",
        description=(
            "Simulate the plan's schedule with three-point estimates (beta-PERT or triangular). "
            "Durations are in working days from the start."
        ),
    )
    _plan_options(sim)
    sim.add_argument(
        "--iterations", "-n", type=int, default=10_000, help="iterations (default 10000)"
    )
    sim.add_argument(
        "--seed", type=int, help="random seed (default: fresh; the seed used is reported)"
    )
    sim.add_argument("--distribution", choices=["pert", "triangular"], default="pert")
    sim.add_argument(
        "--deadline", type=float, metavar="DAYS", help="deadline in working days from the start"
    )
    sim.add_argument(
        "--correlation",
        type=float,
        metavar="RHO",
        help="rank correlation between all uncertain tasks",
    )
    sim.add_argument("--top", type=int, default=10, help="tasks listed in the table (default 10)")
    sim.add_argument("--json", action="store_true", help="print JSON")
    sim.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    sim.set_defaults(func=cmd_plan_simulate)

    check = plan_sub.add_parser(
        "check",
        help="validate a plan: findings with rule codes and a rubric score",
        description=(
            "Check a plan against the validator's rules (structure, WBS, schedule, resources, "
            "budget, risk, stakeholders, quality; with --change and --change-log also change "
            "control) and score it on a rubric. Exit status: 0 no errors, 1 errors found, 2 a "
            "file cannot be read."
        ),
    )
    _plan_options(check)
    check.add_argument(
        "--rubric", default="basic", help="rubric to score (basic, scheduling, risk, capstone)"
    )
    check.add_argument("--seed", type=int, default=0, help="Monte Carlo seed (default 0)")
    check.add_argument(
        "--iterations", type=int, default=2000, help="Monte Carlo iterations (default 2000)"
    )
    check.add_argument(
        "--json", action="store_true", help="print JSON: ok, score, max_score, findings"
    )
    check.add_argument(
        "--change",
        metavar="CHANGE.yaml",
        help="also apply this change request and check the changed plan (rules CHG001-009)",
    )
    check.add_argument(
        "--change-log",
        metavar="FILE",
        help="also check this change log, .csv or .yaml (rules CHG010-011)",
    )
    check.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    check.set_defaults(func=cmd_plan_check)
