"""Self-checks for notebook 08, measuring performance (earned value and earned schedule).

Expected answers are computed with :mod:`itpm_course.engine.evm` from the exercise data, so
the feedback always agrees with what the engine shows the learner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from itpm_course.engine.evm import EVMetrics, evm_metrics
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough

# Worked example EVM-1 (Schwalbe, IT Project Management, ch. 7): six months, after three.
EVM1 = {"bac": 200_000, "pv": 120_000, "ev": 100_000, "ac": 90_000}
# A late project: the linear plan of ES-1 (BAC 100,000 over 10 periods), finished in period 13.
LATE = {"bac": 100_000, "pv": 100_000, "ev": 100_000, "ac": 104_000, "at": 13, "pd": 10}

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "swapped-indices",
            "mixing up CPI and SPI",
            "CPI compares earned value with actual COST (EV / AC); SPI compares it with the PLAN (EV / PV).",
        ),
        Misconception(
            "inverted-ratio",
            "dividing the wrong way round",
            "EV is always on top: CPI = EV / AC and SPI = EV / PV, so above 1 is good and below 1 is bad.",
        ),
        Misconception(
            "spi-is-cost",
            "SPI < 1 means over budget",
            "SPI says nothing about money spent: it compares work done with work planned. Only CPI "
            "(or CV) tells you about cost; a project can be behind schedule and under budget.",
        ),
        Misconception(
            "bac-over-cpi-always",
            "EAC = BAC / CPI is always right",
            "BAC / CPI assumes the cost efficiency so far continues. When the overrun was a one-off "
            "that will not recur, the rest of the work goes at the budgeted rate: EAC = AC + (BAC − EV).",
        ),
        Misconception(
            "spi-recovers",
            "SPI recovers to 1.0 at the end, so the project was on time",
            "at completion EV = PV = BAC, so SPI is 1.0 for every finished project, however late. "
            "Earned schedule measures time: SPI(t) = ES / AT stays below 1 for a late project.",
        ),
        Misconception(
            "tcpi-is-cpi",
            "TCPI is the CPI so far",
            "TCPI looks forward: the efficiency the REMAINING work needs, (BAC − EV) / (BAC − AC).",
        ),
    ]
}


def evm1_metrics() -> EVMetrics:
    """The engine's answers for worked example EVM-1."""
    return evm_metrics(EVM1["bac"], EVM1["pv"], EVM1["ev"], EVM1["ac"], pd=6)


def late_metrics() -> EVMetrics:
    """The engine's answers for the late project (linear plan, finished in period 13)."""
    baseline = [LATE["bac"] * t / LATE["pd"] for t in range(LATE["pd"] + 1)]
    return evm_metrics(
        LATE["bac"], LATE["pv"], LATE["ev"], LATE["ac"], baseline=baseline, at=LATE["at"]
    )


def migration_status() -> list[dict[str, Any]]:
    """Four weeks of task status for the sample server migration (cumulative per week).

    Procurement (PROC) runs late and a little over budget, as the hardware-delivery risk R02
    warned; its forecast duration grows from 10 to 12 working days in week 4.
    """
    rows = [
        (1, "KICK", 1_300, 100),
        (1, "INV", 5_000, 80),
        (1, "DES", 2_700, 30),
        (2, "INV", 6_400, 100),
        (2, "DES", 9_100, 100),
        (2, "BAK", 3_200, 100),
        (2, "PROC", 10_500, 20),
        (3, "PROC", 29_000, 55),
        (3, "NET", 5_900, 100),
        (4, "PROC", 46_500, 90),
    ]
    out = [
        {"period": p, "task": t, "actual_cost": ac, "percent_complete": pc} for p, t, ac, pc in rows
    ]
    out[-1]["forecast_duration"] = 12
    return out


# --------------------------------------------------------------------------- CPI and SPI
def _check_indices(answer: Any) -> str:
    if not isinstance(answer, Sequence) or isinstance(answer, str) or len(answer) != 2:
        raise Incorrect("give a pair (cpi, spi), e.g. (1.05, 0.9).")
    cpi, spi = (as_number(v, n) for v, n in zip(answer, ("CPI", "SPI"), strict=True))
    m = evm1_metrics()
    tol = 0.006
    if close_enough(cpi, m.cpi, tol) and close_enough(spi, m.spi, tol):
        return (
            f"CPI {m.cpi:.3f}: each 1.00 spent earned {m.cpi:.2f} of planned work (under budget). "
            f"SPI {m.spi:.3f}: only {m.spi:.0%} of the work planned by now is done (behind schedule)."
        )
    if close_enough(cpi, m.spi, tol) and close_enough(spi, m.cpi, tol):
        raise Incorrect("you have the two numbers the wrong way round.", "swapped-indices")
    if close_enough(cpi, 1 / m.cpi, tol) or close_enough(spi, 1 / m.spi, tol):
        raise Incorrect(
            "one of your indices is upside down: EV goes on top in both.", "inverted-ratio"
        )
    if not close_enough(cpi, m.cpi, tol):
        raise Incorrect(
            f"CPI = EV / AC = {EVM1['ev']:,} / {EVM1['ac']:,}; you gave {cpi:g}.", "swapped-indices"
        )
    raise Incorrect(f"SPI = EV / PV = {EVM1['ev']:,} / {EVM1['pv']:,}; you gave {spi:g}.")


cpi_spi = Exercise(
    id="08.cpi_spi",
    var="indices",
    prompt=(
        "Schwalbe's intranet project (BAC 200,000) is three months into six. Planned value is "
        "120,000, earned value 100,000, actual cost 90,000. Store `indices = (cpi, spi)`."
    ),
    check_fn=_check_indices,
    hints=[
        "Both indices have earned value on top.",
        "CPI = EV / AC and SPI = EV / PV.",
        "100,000 / 90,000 and 100,000 / 120,000.",
    ],
    solution_text="`indices = (100_000 / 90_000, 100_000 / 120_000)`, about **(1.111, 0.833)**.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- reading the indices
STATEMENTS = {
    "a": "The project is over budget and behind schedule.",
    "b": "The project is under budget and behind schedule.",
    "c": "The project is over budget and ahead of schedule.",
    "d": "The project is under budget and ahead of schedule.",
}


def _check_reading(answer: Any) -> str:
    if not isinstance(answer, str) or answer.strip().lower() not in STATEMENTS:
        raise Incorrect("answer with one letter: 'a', 'b', 'c' or 'd'.")
    got = answer.strip().lower()
    m = evm1_metrics()
    over = m.cpi < 1
    behind = m.spi < 1
    want = {(True, True): "a", (False, True): "b", (True, False): "c", (False, False): "d"}[
        (over, behind)
    ]
    if got == want:
        return "CPI above 1 means under budget; SPI below 1 means behind schedule. They are independent."
    if got == "a":
        raise Incorrect(
            f"the SPI of {m.spi:.2f} is below 1, but the CPI of {m.cpi:.2f} is above 1.",
            "spi-is-cost",
        )
    raise Incorrect(
        f"look again at which index is above 1 and which below: CPI {m.cpi:.2f}, SPI {m.spi:.2f}."
    )


reading = Exercise(
    id="08.reading",
    var="statement",
    prompt=(
        "For the same intranet project (CPI 1.11, SPI 0.83), which statement is true? "
        + " ".join(f"({k}) {v}" for k, v in STATEMENTS.items())
        + " Store the letter in `statement`."
    ),
    check_fn=_check_reading,
    hints=[
        "Read each index on its own: CPI is about money, SPI about progress against the plan.",
        "An index above 1 is good news, below 1 bad news.",
    ],
    solution_text="`statement = 'b'`: under budget (CPI > 1) and behind schedule (SPI < 1).",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- choosing an EAC
EAC_SITUATION = (
    "A migration project (BAC 120,000) has EV 20,000 and AC 25,000, so CPI is 0.80 and SPI 0.87. "
    "The whole overrun came from one emergency licence purchase after a vendor audit; the "
    "licence is now paid, and the team expects the remaining work to cost what was planned."
)
EAC_FACTS = {"bac": 120_000, "pv": 23_000, "ev": 20_000, "ac": 25_000}


def _check_eac(answer: Any) -> str:
    m = evm_metrics(**EAC_FACTS)
    variants = m.eac_variants
    if isinstance(answer, str):
        name = answer.strip().lower()
        if name not in variants:
            raise Incorrect(f"name one of the variants: {', '.join(variants)}.")
        value = variants[name]
    else:
        value = as_number(answer, "The EAC")
        matches = [k for k, v in variants.items() if close_enough(value, v, 1.0)]
        name = matches[0] if matches else None
    if name == "budget_rate":
        return (
            f"EAC = AC + (BAC − EV) = {variants['budget_rate']:,.0f}: the one-off overrun stays, "
            "the rest of the work goes at its budget. This is the 'atypical' variance case."
        )
    if name == "bac_over_cpi":
        raise Incorrect(
            f"BAC / CPI = {variants['bac_over_cpi']:,.0f} assumes every remaining task overruns by the same 25%.",
            "bac-over-cpi-always",
        )
    if name in ("cpi_spi", "composite"):
        raise Incorrect(
            f"{name} ({variants[name]:,.0f}) lets today's indices drive the remaining work, but the "
            "cause of the overrun is gone.",
            "bac-over-cpi-always",
        )
    raise Incorrect(
        f"{value:,.0f} is none of the EAC variants; compute AC + (BAC − EV) with the numbers given."
    )


eac_choice = Exercise(
    id="08.eac_choice",
    var="eac_answer",
    prompt=(
        EAC_SITUATION
        + " Which EAC fits? Store the variant name ('bac_over_cpi', 'budget_rate', 'cpi_spi' or "
        "'composite') or its value in `eac_answer`."
    ),
    check_fn=_check_eac,
    hints=[
        "Ask: will the cause of the overrun so far continue into the remaining work?",
        "If not, the remaining work (BAC − EV) costs its budget: add it to what has been spent.",
    ],
    solution_text="`eac_answer = 'budget_rate'`: EAC = 25,000 + (120,000 − 20,000) = **125,000**.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- SPI(t) after the finish
def _check_spi_t(answer: Any) -> str:
    value = as_number(answer, "SPI(t)")
    m = late_metrics()
    if close_enough(value, m.spi_t, 0.006):
        return (
            f"ES = {m.es:g} (all the planned work was earned), AT = {LATE['at']}: SPI(t) = {m.spi_t:.3f}. "
            f"Classic SPI says {m.spi:.2f}, as if the project had been on time."
        )
    if close_enough(value, 1.0):
        raise Incorrect(
            "1.0 is the classic SPI, EV / PV, which every finished project reaches.", "spi-recovers"
        )
    if close_enough(value, LATE["at"] / LATE["pd"], 0.006):
        raise Incorrect("upside down: SPI(t) = ES / AT, earned schedule on top.", "inverted-ratio")
    raise Incorrect(
        f"SPI(t) = ES / AT; here ES = {m.es:g} and AT = {LATE['at']}. You gave {value:g}."
    )


spi_t_late = Exercise(
    id="08.spi_t_late",
    var="spi_t",
    prompt=(
        "A 10-period project with a linear plan (BAC 100,000, PV 10,000 per period) finished all its "
        "work at the end of period 13 (EV = PV = BAC = 100,000). What is its SPI(t)? Store it in `spi_t`."
    ),
    check_fn=_check_spi_t,
    hints=[
        "Earned schedule is the time at which the plan had the value now earned.",
        "All the planned value (100,000) was planned by period 10, so ES = 10.",
        "SPI(t) = ES / AT = 10 / 13.",
    ],
    solution_text="`spi_t = 10 / 13`, about **0.769**: three periods late, while classic SPI shows 1.0.",
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------------- TCPI
def _check_tcpi(answer: Any) -> str:
    value = as_number(answer, "TCPI")
    m = evm_metrics(**EAC_FACTS)
    if close_enough(value, m.tcpi_bac, 0.0006):
        return (
            f"TCPI(BAC) = (120,000 − 20,000) / (120,000 − 25,000) = {m.tcpi_bac:.4f}: every remaining "
            f"1.00 must earn {m.tcpi_bac:.2f}, while the team has managed {m.cpi:.2f} so far."
        )
    if close_enough(value, m.cpi, 0.0006):
        raise Incorrect(f"{value:g} is the CPI achieved so far.", "tcpi-is-cpi")
    if close_enough(value, 1 / m.tcpi_bac, 0.0006):
        raise Incorrect("upside down: remaining WORK over remaining MONEY.", "inverted-ratio")
    raise Incorrect(f"TCPI(BAC) = (BAC − EV) / (BAC − AC); you gave {value:g}.")


tcpi = Exercise(
    id="08.tcpi",
    var="tcpi_bac",
    prompt=(
        "Same project: BAC 120,000, EV 20,000, AC 25,000. What cost efficiency must the remaining work "
        "achieve to finish within BAC? Store TCPI(BAC) in `tcpi_bac`."
    ),
    check_fn=_check_tcpi,
    hints=[
        "Remaining work is BAC − EV; remaining money is BAC − AC.",
        "TCPI(BAC) = (BAC − EV) / (BAC − AC).",
    ],
    solution_text="`tcpi_bac = (120_000 - 20_000) / (120_000 - 25_000)`, about **1.0526**.",
    misconceptions=MISCONCEPTIONS,
)

ALL = [cpi_spi, reading, eac_choice, spi_t_late, tcpi]
