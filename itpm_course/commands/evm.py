"""``itpm-course evm``: earned value measures from BAC, PV, EV and AC."""

from __future__ import annotations

import argparse
import math
import sys

from itpm_course.commands import EXIT_OK, CliError, write_json


def cmd_evm(args: argparse.Namespace) -> int:
    from itpm_course.engine.evm import EAC_DESCRIPTIONS, RagThresholds, evm_metrics  # noqa: PLC0415

    for name in ("bac", "pv", "ev", "ac", "etc", "pd"):
        value = getattr(args, name)
        if value is not None and not math.isfinite(value):
            raise CliError(f"--{name} must be a finite number, got {value}")
    if args.eac_method == "bottom_up" and args.etc is None:
        raise CliError("--eac-method bottom_up needs --etc (the bottom-up estimate to complete)")
    try:
        thresholds = RagThresholds(green=args.green, amber=args.amber)
    except ValueError as exc:
        raise CliError(f"--green/--amber: {exc}") from None
    metrics = evm_metrics(
        args.bac,
        args.pv,
        args.ev,
        args.ac,
        etc=args.etc,
        pd=args.pd,
        eac_method=args.eac_method,
        thresholds=thresholds,
    )
    data = metrics.to_dict()
    if args.json:
        write_json(data, args.indent)
        return EXIT_OK
    out = sys.stdout

    def money(x):
        return "n/a" if x is None else f"{x:,.2f}".rstrip("0").rstrip(".")

    def ratio(x):
        return "n/a" if x is None else f"{x:.4f}"

    rows = [
        ("BAC", money(data["bac"]), "budget at completion"),
        ("PV", money(data["pv"]), "planned value"),
        ("EV", money(data["ev"]), "earned value"),
        ("AC", money(data["ac"]), "actual cost"),
        ("SV", money(data["sv"]), "schedule variance EV − PV"),
        ("CV", money(data["cv"]), "cost variance EV − AC"),
        ("SPI", ratio(data["spi"]), "EV / PV"),
        ("CPI", ratio(data["cpi"]), "EV / AC"),
        ("EAC", money(data["eac"]), f"estimate at completion ({data['eac_method']})"),
        ("ETC", money(data["etc"]), "estimate to complete EAC − AC"),
        ("VAC", money(data["vac"]), "variance at completion BAC − EAC"),
        ("TCPI(BAC)", ratio(data["tcpi_bac"]), "(BAC − EV) / (BAC − AC)"),
        ("TCPI(EAC)", ratio(data["tcpi_eac"]), "(BAC − EV) / (EAC − AC)"),
        ("% complete", f"{data['percent_complete']:.1%}", "EV / BAC"),
        ("% spent", f"{data['percent_spent']:.1%}", "AC / BAC"),
    ]
    if data["duration_forecast"] is not None:
        rows.append(
            (
                "Duration",
                f"{data['duration_forecast']:.2f}",
                f"forecast PD / SPI (PD {data['pd']:g})",
            )
        )
    rows.append(
        (
            "RAG",
            str(data["rag"]).upper(),
            f"cost {data['rag_cost']}, schedule {data['rag_schedule']}",
        )
    )
    for key, value, what in rows:
        out.write(f"{key:<11} {value:>14}  {what}\n")
    out.write("\nEAC variants:\n")
    for name, value in data["eac_variants"].items():
        out.write(f"  {name:<13} {money(value):>14}  {EAC_DESCRIPTIONS[name]}\n")
    out.write("\n" + data["interpretation"] + "\n")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evm",
        help="earned value measures from BAC, PV, EV and AC",
        description=(
            "Earned value management: variances, indices, EAC variants, ETC, VAC, TCPI and a "
            "RAG status from the budget at completion and cumulative PV, EV and AC (money)."
        ),
    )
    p.add_argument("--bac", type=float, required=True, help="budget at completion")
    p.add_argument("--pv", type=float, required=True, help="planned value to date")
    p.add_argument("--ev", type=float, required=True, help="earned value to date")
    p.add_argument("--ac", type=float, required=True, help="actual cost to date")
    p.add_argument(
        "--etc", type=float, help="bottom-up estimate to complete (adds the bottom_up EAC)"
    )
    p.add_argument(
        "--pd", type=float, metavar="PERIODS", help="planned duration, for the PD/SPI forecast"
    )
    p.add_argument(
        "--eac-method",
        choices=["bac_over_cpi", "budget_rate", "cpi_spi", "composite", "bottom_up"],
        default="bac_over_cpi",
        help="which EAC drives etc, vac and tcpi_eac (default bac_over_cpi = BAC/CPI)",
    )
    p.add_argument(
        "--green", type=float, default=0.95, help="index at or above which RAG is green (0.95)"
    )
    p.add_argument(
        "--amber", type=float, default=0.90, help="index at or above which RAG is amber (0.90)"
    )
    p.add_argument("--json", action="store_true", help="print every measure as JSON")
    p.add_argument("--indent", type=int, metavar="N", help="with --json: indent by N spaces")
    p.set_defaults(func=cmd_evm)
