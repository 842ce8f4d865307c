"""Assignment 4, performance: EVM from the CRM rollout's week-6 status, RAG and a decision."""

from __future__ import annotations

import re
from typing import Any

from itpm_course.exercises.core import Incorrect
from itpm_course.grading.questions import Mark, combine, mapping, near, number, question

BAC = 120_000.0
PV = 66_000.0  # planned value at the end of week 6, from the baseline
#: The status table: task -> (budget, percent complete, actual cost to date).
STATUS = {
    "ANALYSE": (15_000, 100, 16_500),
    "DESIGN": (20_000, 100, 23_000),
    "BUILD": (40_000, 50, 26_000),
    "DATA": (15_000, 40, 7_000),
    "TEST": (15_000, 0, 0),
    "TRAIN": (10_000, 0, 0),
    "DEPLOY": (5_000, 0, 0),
}
MANAGEMENT_RESERVE = 0.10  # of BAC, held by the sponsor
GREEN, AMBER = 0.95, 0.90  # the RAG thresholds of the reporting plan
RECOMMENDATIONS = ("continue", "corrective action", "escalate")


def status_frame():
    """The status table as a DataFrame (what the notebook shows the learner)."""
    import pandas as pd  # noqa: PLC0415

    return pd.DataFrame(
        [
            {"task": k, "budget": b, "percent_complete": p, "actual_cost": a}
            for k, (b, p, a) in STATUS.items()
        ]
    ).set_index("task")


def earned_value() -> float:
    return float(sum(b * p / 100 for b, p, _ in STATUS.values()))


def actual_cost() -> float:
    return float(sum(a for _, _, a in STATUS.values()))


def metrics():
    from itpm_course.engine.evm import RagThresholds, evm_metrics  # noqa: PLC0415

    return evm_metrics(
        BAC, PV, earned_value(), actual_cost(), thresholds=RagThresholds(GREEN, AMBER)
    )


def expected_recommendation() -> str:
    m = metrics()
    if m.rag == "green":
        return "continue"
    if m.eac > BAC * (1 + MANAGEMENT_RESERVE):
        return "escalate"
    return "corrective action"


def _money_part(got: dict, key: str, expected: float, hint: str) -> tuple[float, bool, str]:
    if key not in got:
        return (1, False, f"{key} is missing.")
    return (1, near(number(got[key], key), expected, abs_=1), hint)


def _index_part(got: dict, key: str, expected: float, hint: str) -> tuple[float, bool, str]:
    if key not in got:
        return (1, False, f"{key} is missing.")
    return (1, near(number(got[key], key), expected, abs_=0.005), hint)


@question("performance.ev_ac", 3, "Set `status` to {'ev': ..., 'ac': ...} from the table.")
def check_ev_ac(data: Any) -> Mark:
    got = mapping(data, "`status`")
    ev_part = _money_part(got, "ev", earned_value(), "ev: budget x percent complete, summed.")
    if "ev" in got and near(number(got["ev"], "ev"), actual_cost(), abs_=1):
        ev_part = (2, False, "ev: that is what was spent; EV is the budgeted value of work done.")
    else:
        ev_part = (2, *ev_part[1:])
    return combine(
        [ev_part, _money_part(got, "ac", actual_cost(), "ac: the actual costs, summed.")],
        "EV and AC are right.",
    )


@question("performance.indices", 4, "Set `indices` to sv, cv, spi and cpi.")
def check_indices(data: Any) -> Mark:
    got = mapping(data, "`indices`")
    m = metrics()
    return combine(
        [
            _money_part(got, "sv", m.sv, "sv = EV - PV (negative: behind schedule)."),
            _money_part(got, "cv", m.cv, "cv = EV - AC (negative: over budget)."),
            _index_part(got, "spi", m.spi, "spi = EV / PV."),
            _index_part(got, "cpi", m.cpi, "cpi = EV / AC."),
        ],
        "All four variances and indices are right.",
    )


@question("performance.forecast", 3, "Set `forecast` to eac (BAC/CPI), etc and vac.")
def check_forecast(data: Any) -> Mark:
    got = mapping(data, "`forecast`")
    m = metrics()
    parts = [
        _money_part(got, "eac", m.eac, "eac = BAC / CPI: the rest goes at today's efficiency."),
        _money_part(got, "etc", m.etc, "etc = EAC - AC."),
        _money_part(got, "vac", m.vac, "vac = BAC - EAC (negative: an overrun)."),
    ]
    if "eac" in got and near(number(got["eac"], "eac"), m.eac_variants["budget_rate"], abs_=1):
        parts[0] = (
            1,
            False,
            "eac: that assumes the rest goes at the budgeted rate; use BAC / CPI.",
        )
    return combine(parts, "The forecast is right.")


@question("performance.tcpi", 2, "Set `tcpi` to the TCPI needed to finish within BAC.")
def check_tcpi(data: Any) -> Mark:
    value = number(data, "`tcpi`")
    m = metrics()
    if near(value, m.tcpi_bac, abs_=0.005):
        return Mark(1.0, "Right: every remaining unit of budget must now buy this much work.")
    if near(value, 1 / m.cpi, abs_=0.005):
        raise Incorrect("That is 1 / CPI; TCPI is the remaining work over the remaining budget.")
    raise Incorrect("TCPI(BAC) = (BAC - EV) / (BAC - AC).")


@question("performance.rag", 3, "Set `rag` to the cost, schedule and overall RAG.")
def check_rag(data: Any) -> Mark:
    got = mapping(data, "`rag`")
    m = metrics()
    expected = {"cost": m.rag_cost, "schedule": m.rag_schedule, "overall": m.rag}
    parts = []
    for key, want in expected.items():
        value = str(got.get(key, "")).strip().lower()
        hint = f"{key}: compare the index with the thresholds {GREEN} (green) and {AMBER} (amber)."
        if key == "overall":
            hint = "overall: the worst of cost and schedule."
        parts.append((1, value == want, hint))
    return combine(parts, "The RAG status is right.")


@question("performance.report", 4, "Write `report`: rag, headline, recommendation and reason.")
def check_report(data: Any) -> Mark:
    got = mapping(data, "`report`")
    m = metrics()
    headline = str(got.get("headline") or "")
    reason = str(got.get("reason") or "")
    words = len(re.findall(r"[A-Za-z0-9']+", headline))
    figures = bool(re.search(r"\d", headline)) and bool(
        re.search(r"cpi|spi|eac|budget|cost", headline, re.I)
    )
    rec = str(got.get("recommendation") or "").strip().lower()
    if rec not in RECOMMENDATIONS:
        rec_part = (2, False, f"recommendation: choose one of {list(RECOMMENDATIONS)}.")
    else:
        rec_part = (
            2,
            rec == expected_recommendation(),
            "recommendation: compare the EAC with BAC plus the management reserve the "
            "sponsor holds; that decides between corrective action and escalation.",
        )
    return combine(
        [
            (0.5, str(got.get("rag") or "").strip().lower() == m.rag, "rag: the overall RAG."),
            (1, words >= 8 and figures,
             "headline: one sentence of 8+ words with the figures that matter (CPI, SPI or EAC)."),
            rec_part,
            (0.5, len(reason.split()) >= 10, "reason: say why, in 10 words or more."),
        ],
        "A clear status report with the right call.",
    )  # fmt: skip
