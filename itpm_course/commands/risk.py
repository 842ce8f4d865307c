"""``itpm-course risk REGISTER``: the scored risk register."""

from __future__ import annotations

import argparse
import sys

from itpm_course.commands import EXIT_OK, CliError, write_json


def cmd_risk(args: argparse.Namespace) -> int:
    from itpm_course.engine.risk import (
        PIMatrix,
        format_register_table,
        register_report,
        score_register,
    )  # noqa: PLC0415
    from itpm_course.plan.risks import check_register_against_plan, load_register  # noqa: PLC0415

    register = load_register(args.register)
    if args.plan:
        from itpm_course.errors import PlanError  # noqa: PLC0415
        from itpm_course.plan import load_plan  # noqa: PLC0415

        problems = check_register_against_plan(register, load_plan(args.plan))
        if problems:
            raise PlanError(problems)
    if args.ordinal:
        matrix = PIMatrix.ordinal()
    elif args.medium is not None or args.high is not None:
        defaults = PIMatrix.pmbok()
        medium = defaults.medium if args.medium is None else args.medium
        high = defaults.high if args.high is None else args.high
        if not 0 <= medium <= high:
            raise CliError(f"need 0 <= --medium <= --high, got {medium} and {high}")
        matrix = PIMatrix.pmbok(medium=medium, high=high)
    else:
        matrix = None
    if args.json:
        write_json(register_report(register, matrix), args.indent)
        return EXIT_OK
    sys.stdout.write(format_register_table(score_register(register, matrix)) + "\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    risk = sub.add_parser(
        "risk",
        help="score a risk register (probability x impact, EMV, ranking, contingency)",
        description="Score and rank a risk register (.csv, .xlsx, .yaml/.yml or .json).",
    )
    risk.add_argument("register", metavar="REGISTER", help="risk register file")
    risk.add_argument(
        "--plan", metavar="PLAN", help="check that the risks' tasks exist in this plan"
    )
    risk.add_argument("--ordinal", action="store_true", help="use the 1-5 x 1-5 = 1..25 scoring")
    risk.add_argument(
        "--medium", type=float, help="score from which a risk is medium (PMBOK scale, default 0.05)"
    )
    risk.add_argument(
        "--high", type=float, help="score from which a risk is high (PMBOK scale, default 0.18)"
    )
    risk.add_argument("--json", action="store_true", help="print JSON")
    risk.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    risk.set_defaults(func=cmd_risk)
