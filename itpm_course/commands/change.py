"""``itpm-course change``: impact analysis of a change request against a plan."""

from __future__ import annotations

import argparse
import sys

from itpm_course.commands import EXIT_OK, CliError, write_json


def cmd_change(args: argparse.Namespace) -> int:
    from itpm_course.engine.change import analyse_change, load_change  # noqa: PLC0415
    from itpm_course.plan import load_plan  # noqa: PLC0415

    if args.iterations < 2:
        raise CliError(f"--iterations must be at least 2, got {args.iterations}")
    if args.seed < 0:
        raise CliError(f"--seed must be a whole number >= 0, got {args.seed}")
    plan = load_plan(args.plan)
    if args.risks:
        from itpm_course.plan.risks import load_register  # noqa: PLC0415

        plan = plan.replace(risks=load_register(args.risks))
    change = load_change(args.change, plan)
    impact = analyse_change(plan, change, iterations=args.iterations, seed=args.seed)
    if args.json:
        write_json(impact.to_dict(), args.indent)
    else:
        sys.stdout.write(impact.describe() + "\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "change",
        help="impact analysis of a change request (CPM, P80, cost, EVM, recommendation)",
        description=(
            "Analyse a change request (YAML/JSON: id, title, tasks, add, remove, risks, cost) "
            "against a plan: CPM finish and critical path, Monte Carlo P80 (same seed before "
            "and after), cost and BAC, and a recommendation for the change control board."
        ),
    )
    p.add_argument("plan", help="the baseline plan (.yaml, .json, .csv or .xlsx)")
    p.add_argument("change", help="the change request (.yaml, .yml or .json)")
    p.add_argument(
        "--risks", metavar="REGISTER", help="attach a risk register (CSV/YAML/JSON/Excel)"
    )
    p.add_argument("--iterations", type=int, default=5000, help="Monte Carlo iterations (5000)")
    p.add_argument("--seed", type=int, default=0, help="random seed, used on both sides (0)")
    p.add_argument("--json", action="store_true", help="print the analysis as JSON")
    p.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    p.set_defaults(func=cmd_change)
