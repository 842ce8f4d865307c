"""``itpm-course agile ...``: Monte Carlo delivery forecasts from throughput history."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from itpm_course.commands import EXIT_OK, CliError, write_json


def cmd_agile_forecast(args: argparse.Namespace) -> int:
    from itpm_course.engine.agile import forecast_when, load_history  # noqa: PLC0415

    if args.items < 1:
        raise CliError(f"--items must be at least 1, got {args.items}")
    if args.iterations < 1:
        raise CliError(f"--iterations must be at least 1, got {args.iterations}")
    start = None
    if args.date:
        try:
            start = dt.date.fromisoformat(args.date)
        except ValueError:
            raise CliError(f"--date: {args.date!r} is not a date; write YYYY-MM-DD") from None
    history, kind = load_history(args.history)
    try:
        result = forecast_when(
            history.to_numpy(), args.items, iterations=args.iterations, seed=args.seed, start=start
        )
    except ValueError as exc:
        raise CliError(f"{args.history}: {exc}") from None
    if args.json:
        write_json(result.to_dict(), args.indent)
        return EXIT_OK
    out = sys.stdout
    source = (
        "weekly throughput table"
        if kind == "throughput"
        else "issue export (weekly throughput from resolved dates)"
    )
    values = history.to_numpy()
    out.write(
        f"{args.history}: {source}, {len(values)} weeks, {int(values.sum())} items, "
        f"mean {values.mean():.2f} per week ({int((values == 0).sum())} weeks with none)\n"
    )
    out.write(
        f"Forecast for {result.items} items: {result.iterations:,} iterations, seed {result.seed}\n"
    )
    for label, weeks in result.percentiles.items():
        line = f"  {label}: {weeks:>4} weeks"
        if start is not None:
            line += f"  (by {result.date_after(weeks):%a %Y-%m-%d})"
        out.write(line + "\n")
    naive = result.items / values.mean()
    out.write(
        f"The average rate alone says {naive:.1f} weeks: about a coin flip, not a commitment.\n"
    )
    for warning in result.warnings:
        out.write(f"Warning: {warning}\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    agile = sub.add_parser("agile", help="agile delivery metrics and forecasts")
    agile_sub = agile.add_subparsers(dest="agile_command", metavar="ACTION")
    agile_sub.required = True
    fc = agile_sub.add_parser(
        "forecast",
        help="when will N items be done? (Monte Carlo over weekly throughput)",
        description=(
            "Resample past weekly throughput (zero weeks included) to forecast how many weeks "
            "N items take, with 50/85/95%% confidence. HISTORY.csv is a throughput table "
            "(columns period,throughput; a row per week) or an issue-tracker export (Jira CSV "
            "or key,created,resolved,...; weekly throughput from the resolved dates)."
        ),
    )
    fc.add_argument("history", metavar="HISTORY.csv", help="throughput table or issue export")
    fc.add_argument("--items", "-N", type=int, required=True, help="items left to finish")
    fc.add_argument(
        "--iterations", "-n", type=int, default=10_000, help="iterations (default 10000)"
    )
    fc.add_argument(
        "--seed", type=int, help="random seed (default: fresh; the seed used is reported)"
    )
    fc.add_argument(
        "--date",
        metavar="START",
        help="first day of the forecast (YYYY-MM-DD): adds the calendar date of each answer "
        "(the last day of the P50/P85/P95 week)",
    )
    fc.add_argument(
        "--json",
        action="store_true",
        help='print {"items", "iterations", "periods": {"P50", "P85", "P95"}} (+ "dates")',
    )
    fc.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    fc.set_defaults(func=cmd_agile_forecast)
