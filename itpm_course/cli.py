"""The ``itpm-course`` command line: thin faces over the package's engines."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from itpm_course import __version__
from itpm_course.commands import EXIT_BAD_INPUT, EXIT_OK, CliError

# Each module registers its sub-commands; add a line here for a new command family.
COMMAND_MODULES = (
    "itpm_course.commands.plan",
    "itpm_course.commands.risk",
    "itpm_course.commands.career",
    "itpm_course.commands.certs",
    "itpm_course.commands.evm",
    "itpm_course.commands.agile",
    "itpm_course.commands.change",
    "itpm_course.commands.start",
    "itpm_course.commands.instructor",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="itpm-course",
        description="IT project management course: tools for plans, schedules, risk and the course itself.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``itpm-course``; returns the exit status."""
    from itpm_course.errors import PlanError  # noqa: PLC0415

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (PlanError, CliError, ValueError) as exc:
        print(f"itpm-course: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into head: stop quietly, like other Unix tools
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python from failing at exit flush
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"itpm-course: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
