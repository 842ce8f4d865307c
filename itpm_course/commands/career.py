"""``itpm-course career``: your career stage and next steps from years in IT and in PM roles."""

from __future__ import annotations

import argparse
import math
import sys

from itpm_course.commands import EXIT_OK, CliError, LazyChoices, write_json
from itpm_course.commands import fmt_number as _num


def _years(text: str) -> float:
    """argparse type: a finite number of years >= 0, with a specific message otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of years, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"years must be a number >= 0, got {text!r}")
    return value


def cmd_career(args: argparse.Namespace) -> int:
    from itpm_course.engine.career import CareerProfile, career_report  # noqa: PLC0415

    title = args.title.strip() if args.title is not None else None
    if args.title is not None and not title:
        raise CliError("--title must be a job title, e.g. 'IT Project Coordinator'; got ''")
    profile = CareerProfile(
        years_it=args.years_it,
        years_pm=args.years_pm,
        current_title=title,
        background=args.background,
        relevant_degree=args.degree,
    )
    report = career_report(profile)
    if args.json:
        write_json(report, args.indent)
        return EXIT_OK
    _print_report(report)
    return EXIT_OK


def _print_report(report: dict) -> None:
    stage, nxt, tl = report["stage"], report["next"], report["timeline"]
    out = sys.stdout
    out.write(f"Stage: {stage['stage_name']} (decided by your {stage['basis']})\n")
    for reason in stage["reasons"]:
        out.write(f"  - {reason}\n")
    if nxt["next_stage"]:
        from itpm_course.content import load_stages  # noqa: PLC0415

        name = load_stages().set_index("id").loc[nxt["next_stage"], "name"]
        out.write(f"\nNext stage: {name}\n")
    else:
        out.write("\nYou are at the last stage; beyond it lie director and executive roles.\n")
    out.write("Titles to aim for: " + ", ".join(nxt["next_titles"]) + "\n")
    if nxt["actions"]:
        out.write("Next steps:\n")
        for action in nxt["actions"]:
            out.write(f"  - {action}\n")
    if tl["reached"]:
        out.write("\nFirst IT Project Manager role: reached.\n")
    else:
        out.write(
            f"\nFirst IT Project Manager role: about {_num(tl['remaining_years'])} more years "
            f"(course model: {tl['expected_years']} years from the start, the guide says "
            f"{tl['min_years']}-{tl['max_years']})\n"
        )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "career",
        help="your career stage and next steps",
        description=(
            "Place a profile on the guide's four career stages (Foundation, Entry-Level PM, "
            "Mid-Level PM, Senior PM) and list the next titles, skills and experience to aim for."
        ),
    )
    p.add_argument("--years-it", type=_years, required=True, metavar="N", help="years in IT")
    p.add_argument(
        "--years-pm",
        type=_years,
        required=True,
        metavar="N",
        help="years in project-management roles (0 if none yet)",
    )
    p.add_argument("--title", metavar="T", help="current job title, e.g. 'IT Project Coordinator'")
    p.add_argument(
        "--background",
        metavar="B",
        default="it",
        choices=LazyChoices("itpm_course.engine.career", "BACKGROUNDS"),
        help="where you come from: %(choices)s (default: %(default)s)",
    )
    p.add_argument(
        "--degree", action="store_true", help="you hold a relevant degree (IT, CS, MIS, ...)"
    )
    p.add_argument("--json", action="store_true", help="print JSON: stage, next, timeline")
    p.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    p.set_defaults(func=cmd_career)
