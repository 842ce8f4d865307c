"""``itpm-course certs``: which certifications a profile can sit now, what is missing, and a path."""

from __future__ import annotations

import argparse
import math
import sys

from itpm_course.commands import EXIT_OK, CliError, write_json

EDUCATION_CHOICES = ("secondary", "associate", "bachelor", "master", "doctorate")
GOAL_CHOICES = ("traditional", "agile", "itsm", "government")


def _non_negative(kind: str, integer: bool):
    def parse(text: str):
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{kind} must be a {'whole number' if integer else 'number'} >= 0, got {text!r}"
            ) from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{kind} must be >= 0, got {text!r}")
        return value

    return parse


def cmd_certs(args: argparse.Namespace) -> int:
    from itpm_course.engine.certifications import CertProfile, certification_report  # noqa: PLC0415

    try:
        profile = CertProfile(
            education=args.education,
            pm_experience=args.experience_months,
            pm_training_hours=args.training_hours,
            goals=(args.goal,) if args.goal else (),
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    report = certification_report(profile)
    if args.json:
        write_json(report, args.indent)
        return EXIT_OK
    out = sys.stdout
    out.write(
        f"Profile: {args.education}, {args.experience_months} months of PM experience, "
        f"{args.training_hours:g} training hours"
        + (f", goal {args.goal}" if args.goal else "")
        + "\n\nEligible now:\n"
    )
    for c in report["eligible"] or [{"id": "-", "name": "none"}]:
        out.write(f"  {c['id']:<22} {c['name']}\n")
    out.write("\nNot yet:\n")
    for c in report["not_yet"]:
        out.write(f"  {c['id']:<22} {c['name']}\n")
        for m in c["missing"]:
            out.write(f"  {'':<22}   - {m}\n")
    out.write("\nRecommended path:\n")
    for s in report["recommended_path"]:
        n = s["when_months"]
        when = "now" if n == 0 else f"in about {n} month{'' if n == 1 else 's'}"
        out.write(f"  {s['id']:<22} {when}\n")
    out.write("\nFees and rules change: check the certifying body's site before you pay.\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "certs",
        help="certification eligibility and a recommended path",
        description=(
            "Which certifications you can sit now, what is missing for the others, and a "
            "recommended sequence with months from now. Experience is months leading projects, "
            "counted once when projects overlap."
        ),
    )
    p.add_argument(
        "--experience-months",
        required=True,
        type=_non_negative("--experience-months", integer=False),
        metavar="N",
        help="months of non-overlapping project-management experience",
    )
    p.add_argument("--education", required=True, choices=EDUCATION_CHOICES)
    p.add_argument(
        "--training-hours",
        type=_non_negative("--training-hours", integer=False),
        default=0.0,
        metavar="H",
        help="contact hours of project-management education (default 0)",
    )
    p.add_argument("--goal", choices=GOAL_CHOICES, help="career direction")
    p.add_argument(
        "--json", action="store_true", help="print JSON: eligible, not_yet, recommended_path"
    )
    p.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    p.set_defaults(func=cmd_certs)
