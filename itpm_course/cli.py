"""The ``itpm-course`` command line: thin faces over the package's engines."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from itpm_course import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """An error to show the user on stderr, with exit status 2 and no traceback."""


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
        # Without indent the C encoder runs: 100,000 tasks serialise in ~0.1 s instead of ~2 s.
        sys.stdout.write(json.dumps(result.to_dict(), indent=args.indent) + "\n")
        return EXIT_OK
    _print_schedule(result, limit=args.limit)
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
        slack = plan.calendar.workdays_between(plan.start, plan.deadline) - result.project_duration
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


def _num(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="itpm-course",
        description="IT project management course: tools for plans, schedules and the course itself.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``itpm-course``; returns the exit status."""
    from itpm_course.errors import PlanError  # noqa: PLC0415

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "limit", None) == 0:
        args.limit = None
    try:
        return args.func(args)
    except (PlanError, CliError) as exc:
        print(f"itpm-course: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"itpm-course: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
