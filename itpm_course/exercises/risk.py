"""Self-checks for notebook 06, risk management.

Expected answers are computed with the risk engine (:mod:`itpm_course.engine.risk`) from the
exercise data, never typed in, so the feedback always agrees with what the notebook shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from itpm_course.engine.risk import (
    DEFAULT_MATRIX,
    best_decision,
    contingency_reserve,
    decision_emv,
    score_register,
)
from itpm_course.exercises.core import Exercise, Incorrect, Misconception, as_number, close_enough
from itpm_course.plan.risks import MIRROR, STRATEGIES, Risk, RiskRegister

MISCONCEPTIONS = {
    m.id: m
    for m in [
        Misconception(
            "pi-add",
            "adding probability and impact",
            "a risk's score on the matrix is probability × impact, not their sum: a likely but "
            "harmless risk must not look as serious as a likely and damaging one.",
        ),
        Misconception(
            "ordinal-on-pmbok",
            "using the 1–5 ratings on the PMBOK matrix",
            "the PMBOK matrix multiplies the VALUES of the levels (probability 0.1–0.9, impact "
            "0.05–0.80); rating × rating (1–25) is a different, ordinal matrix.",
        ),
        Misconception(
            "python-round",
            "Python round() reproduces the PMBOK grid",
            "the book rounds half UP; round() works on binary floats (0.7 × 0.05 is stored as "
            "0.034999…) and rounds ties to even, so it prints 0.03 where the book prints 0.04. "
            "Use decimal.Decimal with ROUND_HALF_UP.",
        ),
        Misconception(
            "high-probability-first",
            "a high-probability low-impact risk is always top priority",
            "priority comes from probability AND impact: 0.9 × 0.05 = 0.05 is far below "
            "0.3 × 0.80 = 0.24. A near-certain nuisance is often just a cost of doing business.",
        ),
        Misconception(
            "opportunity-negative",
            "the EMV of an opportunity is negative",
            "EMV carries the sign of the effect: threats are negative (expected loss), "
            "opportunities positive (expected gain).",
        ),
        Misconception(
            "threat-positive",
            "the EMV of a threat is positive",
            "a threat's EMV is an expected LOSS, so it is negative; only its reserve is stated as "
            "a positive amount.",
        ),
        Misconception(
            "emv-without-probability",
            "EMV is the impact",
            "EMV weighs each impact by its probability: EMV = probability × impact.",
        ),
        Misconception(
            "decision-ignores-investment",
            "comparing payoffs without the investment",
            "each branch's EMV is Σ probability × (payoff − investment): a branch that pays more "
            "but costs much more can be the worse choice.",
        ),
        Misconception(
            "decision-best-case",
            "choosing by the best case",
            "a decision tree weighs every outcome by its probability; picking the branch with the "
            "best single outcome ignores how likely the bad outcome is.",
        ),
        Misconception(
            "mirror-strategy",
            "using a threat strategy for an opportunity (or the reverse)",
            "threats take avoid, mitigate, transfer, accept, escalate; opportunities take their "
            "mirrors exploit, enhance, share, plus accept and escalate "
            "(avoid↔exploit, mitigate↔enhance, transfer↔share).",
        ),
        Misconception(
            "exploit-vs-enhance",
            "exploit and enhance are the same",
            "enhance RAISES the probability or impact of an opportunity; exploit makes sure it "
            "happens (probability to 100%). Avoid and mitigate differ the same way for threats.",
        ),
        Misconception(
            "accept-no-reserve",
            "accept means do nothing and no reserve",
            "active acceptance keeps a contingency reserve (time, money) for the risk; an "
            "accepted threat still belongs in the reserve.",
        ),
        Misconception(
            "opportunities-offset",
            "opportunities shrink the contingency reserve",
            "the reserve is sized on the threats' EMV; an opportunity may not happen and is not "
            "money in the bank. (Some organisations net them off, but only as a stated policy.)",
        ),
        Misconception(
            "closed-risks-count",
            "closed risks still need reserve",
            "a closed risk can no longer happen; only active risks (open, monitoring) count.",
        ),
    ]
}


def _norm(text: Any) -> str:
    return str(text).strip().lower()


# ------------------------------------------------------------------- 1. score on the matrix
SCORE_P, SCORE_I = 4, 4  # levels: probability 0.7 (high), impact 0.40 (high)


def _check_pi_score(answer: Any) -> str:
    if not isinstance(answer, Sequence) or isinstance(answer, str) or len(answer) != 2:
        raise Incorrect("give a pair (score, zone), e.g. (0.12, 'medium').")
    score = as_number(answer[0], "The score")
    zone = _norm(answer[1])
    m = DEFAULT_MATRIX
    p, i = m.probability[SCORE_P - 1], m.impact[SCORE_I - 1]
    expected = float(m.cell_score(SCORE_P, SCORE_I))
    expected_zone = str(m.zone_of(expected))
    if close_enough(score, p + i, 1e-6):
        raise Incorrect(f"{score:g} is probability + impact.", "pi-add")
    if close_enough(score, SCORE_P * SCORE_I):
        raise Incorrect(f"{score:g} is rating × rating (4 × 4).", "ordinal-on-pmbok")
    if not close_enough(score, expected, 1e-9):
        raise Incorrect(f"{score:g} is not {p:g} × {i:g}; multiply the two level values.")
    if zone != expected_zone:
        raise Incorrect(
            f"the score {expected:g} is right, but with zones medium from {m.medium:g} and high "
            f"from {m.high:g} it is not '{zone}'."
        )
    return (
        f"{p:g} × {i:g} = {expected:g}, in the {expected_zone} zone: a risk for the top of "
        "the register, with an owner and a response."
    )


pi_score = Exercise(
    id="06.pi_score",
    var="score_and_zone",
    prompt=(
        "A cloud migration risk has probability 'high' (0.7) and impact 'high' (0.40) on the PMBOK "
        "matrix, whose zones are: medium from 0.05, high from 0.18. What is its score and its "
        "zone? Store a pair in `score_and_zone`, e.g. `(0.12, 'medium')`."
    ),
    check_fn=_check_pi_score,
    hints=[
        "On the PMBOK matrix the score is probability × impact, using the level values.",
        "0.7 × 0.40 = ?; then compare it with the thresholds 0.05 and 0.18.",
    ],
    solution_text="`score_and_zone = (0.28, 'high')`: 0.7 × 0.40 = **0.28**, at least 0.18, so **high**.",
    misconceptions=MISCONCEPTIONS,
)


# -------------------------------------------------------------------- 2. the rounding trap
ROUND_P, ROUND_I = 4, 1  # 0.7 x 0.05 = 0.035 exactly


def _check_rounding(answer: Any) -> str:
    value = as_number(answer, "The printed score")
    m = DEFAULT_MATRIX
    p, i = m.probability[ROUND_P - 1], m.impact[ROUND_I - 1]
    expected = float(m.cell_score(ROUND_P, ROUND_I))
    if close_enough(value, expected, 1e-9):
        return (
            f"The exact product is 0.035 and the book rounds half up to {expected:g}; "
            f"round({p:g} * {i:g}, 2) would give {round(p * i, 2):g}."
        )
    if close_enough(value, round(p * i, 2), 1e-9):
        raise Incorrect(f"{value:g} is what round({p:g} * {i:g}, 2) prints.", "python-round")
    if close_enough(value, 0.035, 1e-9):
        raise Incorrect("0.035 is the exact product; the grid shows two decimals.")
    raise Incorrect(f"{value:g} is not {p:g} × {i:g} rounded to two decimals.")


grid_rounding = Exercise(
    id="06.grid_rounding",
    var="printed_score",
    prompt=(
        "The PMBOK grid prints every score to two decimals, rounding half up. What does it print "
        "for probability 0.7 and impact 0.05? Store the number in `printed_score`."
    ),
    check_fn=_check_rounding,
    hints=[
        "Work out 0.7 × 0.05 exactly, on paper: the last digit is a 5.",
        "Half up means a final 5 always rounds away from zero: 0.035 → ?",
    ],
    solution_text=(
        "`printed_score = 0.04`: 0.7 × 0.05 = 0.035 exactly, which rounds half up to **0.04**. "
        "`round(0.7 * 0.05, 2)` gives 0.03 because the float is 0.034999…"
    ),
    misconceptions=MISCONCEPTIONS,
)


# ---------------------------------------------------------------------------- 3. priority
PRIORITY_RISKS = {
    # id: (title, probability level, impact level)
    "A": ("Password resets flood the service desk after go-live", 5, 1),
    "B": ("Ransomware encrypts the backup server", 2, 5),
    "C": ("ERP data conversion needs a second run", 3, 3),
}


@cache
def priority_register() -> RiskRegister:
    """The three risks of the priority exercise as a register."""
    m = DEFAULT_MATRIX
    return RiskRegister(
        [
            Risk(rid, title, m.probability[p - 1], impact_rating=i)
            for rid, (title, p, i) in PRIORITY_RISKS.items()
        ],
        name="priority exercise",
    )


def _check_priority(answer: Any) -> str:
    if isinstance(answer, str):
        answer = [c for c in answer.replace(",", " ").split() if c]
    if not isinstance(answer, Sequence):
        raise Incorrect("give the ids in order, most important first, e.g. ['C', 'A', 'B'].")
    ranked = [_norm(a).upper() for a in answer]
    scored = score_register(priority_register())
    expected = scored.index.tolist()
    if sorted(ranked) != sorted(expected):
        raise Incorrect(f"rank exactly the three risks {', '.join(sorted(expected))}.")
    if ranked == expected:
        scores = ", ".join(f"{rid} {scored.loc[rid, 'score']:g}" for rid in expected)
        return f"Scores {scores}: the rare but severe risk comes first."
    top = ranked[0]
    if PRIORITY_RISKS[top][1] == max(p for _, p, _ in PRIORITY_RISKS.values()):
        raise Incorrect(
            f"{top} is the most likely risk, but its score is only {scored.loc[top, 'score']:g}.",
            "high-probability-first",
        )
    raise Incorrect(
        "compare the scores probability × impact: "
        + ", ".join(f"{rid} = {scored.loc[rid, 'score']:g}" for rid in sorted(expected))
        + "."
    )


prioritise = Exercise(
    id="06.prioritise",
    var="priority_order",
    prompt=(
        "Rank three risks of an IT project by their PMBOK score, most important first: "
        "A 'password resets flood the service desk' (probability 0.9, impact 0.05), "
        "B 'ransomware encrypts the backup server' (0.3, 0.80), "
        "C 'ERP data conversion needs a second run' (0.5, 0.20). "
        "Store a list of ids in `priority_order`."
    ),
    check_fn=_check_priority,
    hints=[
        "Compute probability × impact for each risk.",
        "A: 0.9 × 0.05, B: 0.3 × 0.80, C: 0.5 × 0.20. Largest first.",
    ],
    solution_text=(
        "`priority_order = ['B', 'C', 'A']`: B 0.24, C 0.10, A 0.05 (0.045 rounded half up)."
    ),
    misconceptions=MISCONCEPTIONS,
)


# ------------------------------------------------------------------------------- 4. EMV signs
EMV_THREAT = Risk(
    "T1",
    "Cloud egress charges exceed the estimate",
    0.25,
    impact_cost=40_000,
    impact_rating=3,
)
EMV_OPPORTUNITY = Risk(
    "O1",
    "Vendor grants a volume licence discount",
    0.4,
    kind="opportunity",
    impact_cost=15_000,
    impact_rating=2,
)


def _check_emv(answer: Any) -> str:
    if not isinstance(answer, Sequence) or isinstance(answer, str) or len(answer) != 2:
        raise Incorrect("give a pair (threat EMV, opportunity EMV), e.g. (-1000, 500).")
    threat = as_number(answer[0], "The threat's EMV")
    opportunity = as_number(answer[1], "The opportunity's EMV")
    scored = score_register(RiskRegister([EMV_THREAT, EMV_OPPORTUNITY]))
    t, o = float(scored.loc["T1", "emv_cost"]), float(scored.loc["O1", "emv_cost"])
    raw = (EMV_THREAT.impact_cost, EMV_OPPORTUNITY.impact_cost)
    if close_enough(abs(threat), raw[0]) or close_enough(abs(opportunity), raw[1]):
        raise Incorrect(
            "an EMV equal to the impact leaves out the probability.", "emv-without-probability"
        )
    if close_enough(threat, t) and close_enough(opportunity, o):
        return f"Threat {t:+,.0f}, opportunity {o:+,.0f}: net {t + o:+,.0f}."
    if close_enough(opportunity, -o) and close_enough(abs(threat), -t):
        raise Incorrect(f"the opportunity's EMV is {opportunity:+,.0f}.", "opportunity-negative")
    if close_enough(threat, -t) and close_enough(abs(opportunity), o):
        raise Incorrect(f"the threat's EMV is {threat:+,.0f}.", "threat-positive")
    raise Incorrect(
        "recompute probability × impact for each, then give the threat a minus sign "
        "and the opportunity a plus sign."
    )


emv_signs = Exercise(
    id="06.emv_signs",
    var="emvs",
    prompt=(
        "Threat: a 25% chance that cloud egress charges exceed the estimate by 40,000. "
        "Opportunity: a 40% chance that the vendor's volume discount saves 15,000. "
        "What is the EMV of each? Store a pair `(threat_emv, opportunity_emv)` in `emvs`."
    ),
    check_fn=_check_emv,
    hints=[
        "EMV = probability × impact for each risk.",
        "The sign says which way the money goes: a threat costs (−), an opportunity saves (+).",
    ],
    solution_text="`emvs = (-10_000, 6_000)`: −0.25 × 40,000 = **−10,000**; +0.4 × 15,000 = **+6,000**.",
    misconceptions=MISCONCEPTIONS,
)


# ---------------------------------------------------------------------- 5. decision tree EMV-1
DECISION = {
    "build": {"investment": 120, "outcomes": [(0.6, 200), (0.4, 90)]},
    "upgrade": {"investment": 50, "outcomes": [(0.6, 120), (0.4, 60)]},
}


def _check_decision(answer: Any) -> str:
    if not isinstance(answer, Sequence) or isinstance(answer, str) or len(answer) != 2:
        raise Incorrect("give a pair (choice, EMV in $M), e.g. ('build', 10).")
    choice, emv = _norm(answer[0]), as_number(answer[1], "The EMV")
    best, emvs = best_decision(DECISION)
    if choice not in emvs:
        raise Incorrect(f"choose one of {', '.join(repr(k) for k in emvs)}.")
    gross = {k: decision_emv(v["outcomes"]) for k, v in DECISION.items()}
    if choice == best and close_enough(emv, emvs[best]):
        other = next(k for k in emvs if k != best)
        return f"{best} {emvs[best]:g} beats {other} {emvs[other]:g} ($M)."
    if close_enough(emv, gross[choice]):
        raise Incorrect(
            f"{emv:g} is the expected payoff of '{choice}' before its investment of "
            f"{DECISION[choice]['investment']}.",
            "decision-ignores-investment",
        )
    best_case = {
        k: max(v for _, v in spec["outcomes"]) - spec["investment"] for k, spec in DECISION.items()
    }
    if choice == max(best_case, key=best_case.__getitem__) and choice != best:
        raise Incorrect(
            f"'{choice}' has the best single outcome, but its EMV is {emvs[choice]:g}.",
            "decision-best-case",
        )
    if choice != best:
        raise Incorrect(
            f"compare the two EMVs: {', '.join(f'{k} {v:g}' for k, v in emvs.items())}."
        )
    raise Incorrect(f"'{choice}' is right, but its EMV is not {emv:g}: weigh each net payoff.")


decision_tree = Exercise(
    id="06.decision_tree",
    var="decision",
    prompt=(
        "Build a new data centre for $120M, or upgrade the old one for $50M? Demand is strong "
        "with probability 0.6 and weak with 0.4. Build pays $200M (strong) or $90M (weak); "
        "upgrade pays $120M or $60M. Which option has the higher EMV, and what is it? "
        "Store a pair such as `('build', 10)` in `decision` (EMV in $M)."
    ),
    check_fn=_check_decision,
    hints=[
        "Each outcome is worth payoff − investment: build strong 200 − 120 = 80.",
        "EMV(build) = 0.6 × 80 + 0.4 × (90 − 120); do the same for upgrade.",
    ],
    solution_text=(
        "`decision = ('upgrade', 46)`: build 0.6 × 80 + 0.4 × (−30) = 36; "
        "upgrade 0.6 × 70 + 0.4 × 10 = **46**, so **upgrade**."
    ),
    misconceptions=MISCONCEPTIONS,
)


# ---------------------------------------------------------------------- 6. response strategy
RESPONSE_CASES = {
    "a": (
        "threat",
        "A new database version may corrupt data; you stay on the supported version instead.",
        "avoid",
    ),
    "b": (
        "threat",
        "A data-centre fire would halt operations; you buy insurance and sign a fixed-price "
        "recovery contract.",
        "transfer",
    ),
    "c": (
        "threat",
        "Legacy servers may fail during the copy; you add checksums and a rehearsal to make "
        "failure less likely and less harmful.",
        "mitigate",
    ),
    "d": (
        "opportunity",
        "The pilot's scripts could be reused for every wave; you assign a developer full time "
        "so that they certainly will be.",
        "exploit",
    ),
    "e": (
        "opportunity",
        "A partner could co-develop the migration tool; you agree to split the savings.",
        "share",
    ),
    "f": (
        "threat",
        "Testers may be busy at month-end; you keep three days of contingency and act only "
        "if it happens.",
        "accept",
    ),
}


def response_cases() -> dict[str, str]:
    """The situations of the response exercise, by letter."""
    return {k: f"({kind}) {text}" for k, (kind, text, _) in RESPONSE_CASES.items()}


def _check_response(answer: Any) -> str:
    if not isinstance(answer, Mapping):
        raise Incorrect("give a dict from letter to strategy, e.g. {'a': 'avoid', ...}.")
    given = {_norm(k): _norm(v) for k, v in answer.items()}
    missing = [k for k in RESPONSE_CASES if k not in given]
    if missing:
        raise Incorrect(f"your dict has no strategy for {', '.join(missing)}.")
    for letter, (kind, _, right) in RESPONSE_CASES.items():
        chosen = given[letter]
        if chosen == right:
            continue
        allowed = STRATEGIES[kind]
        if chosen not in allowed:
            other = "opportunity" if kind == "threat" else "threat"
            if chosen in STRATEGIES[other]:
                raise Incorrect(
                    f"({letter}) is {'a threat' if kind == 'threat' else 'an opportunity'}, "
                    f"and '{chosen}' is a strategy for {other}s; its mirror is "
                    f"'{MIRROR.get(chosen, chosen)}'.",
                    "mirror-strategy",
                )
            raise Incorrect(f"'{chosen}' for ({letter}) is not one of {', '.join(allowed)}.")
        if {chosen, right} in ({"exploit", "enhance"}, {"avoid", "mitigate"}):
            raise Incorrect(
                f"({letter}) is not '{chosen}': read whether the response removes the "
                "uncertainty or only changes its odds.",
                "exploit-vs-enhance",
            )
        raise Incorrect(f"({letter}) is not '{chosen}'. Re-read who carries the risk afterwards.")
    return "Six for six. Note the mirror pairs: avoid↔exploit, transfer↔share, mitigate↔enhance."


response_strategy = Exercise(
    id="06.response_strategy",
    var="responses",
    prompt=(
        "Name the response strategy of each situation in `response_cases()` (threats: avoid, "
        "mitigate, transfer, accept, escalate; opportunities: exploit, enhance, share, accept, "
        "escalate). Store a dict such as `{'a': 'avoid', ...}` in `responses`."
    ),
    check_fn=_check_response,
    hints=[
        "Avoid and exploit remove the uncertainty; mitigate and enhance change its odds or size; "
        "transfer and share hand (part of) it to someone else.",
        "Keeping a reserve and acting only if the risk occurs is active acceptance.",
    ],
    solution_text=(
        "`responses = {'a': 'avoid', 'b': 'transfer', 'c': 'mitigate', 'd': 'exploit', "
        "'e': 'share', 'f': 'accept'}`."
    ),
    misconceptions=MISCONCEPTIONS,
)


# --------------------------------------------------------------------- 7. contingency reserve
def _check_contingency(answer: Any) -> str:
    from itpm_course.data import sample_register  # noqa: PLC0415

    value = as_number(answer, "The contingency reserve")
    register = sample_register("server_migration")
    scored = score_register(register)
    expected = contingency_reserve(scored)
    if close_enough(value, expected, 0.5):
        return f"The active threats' expected loss is {expected:,.0f}."
    if close_enough(value, -expected, 0.5):
        raise Incorrect(
            f"{value:,.0f} is the threats' EMV; the reserve is the amount you set aside: "
            f"{-value:,.0f} as a positive number."
        )
    active = scored[scored["active"]]
    threats = active[active["kind"] == "threat"]
    accepted = float(-threats.loc[threats["strategy"] == "accept", "emv_cost"].sum())
    if close_enough(value, expected - accepted, 0.5):
        raise Incorrect(f"{value:,.0f} leaves out the accepted threat(s).", "accept-no-reserve")
    if close_enough(value, contingency_reserve(scored, include_opportunities=True), 0.5):
        raise Incorrect(f"{value:,.0f} subtracts the opportunities.", "opportunities-offset")
    everything = float(-scored.loc[scored["kind"] == "threat", "emv_cost"].sum())
    if close_enough(value, everything, 0.5):
        raise Incorrect(f"{value:,.0f} includes the closed risk R11.", "closed-risks-count")
    if close_enough(value, float(threats["impact_cost"].sum()), 0.5):
        raise Incorrect(f"{value:,.0f} is the sum of the impacts.", "emv-without-probability")
    if close_enough(value, contingency_reserve(scored, residual=True), 0.5):
        raise Incorrect(
            f"{value:,.0f} is the reserve after the responses; the question asks about the "
            "register as it stands."
        )
    raise Incorrect(
        f"{value:,.0f} is not the sum of the active threats' EMV; add −probability × cost for "
        "each open or monitoring threat."
    )


contingency = Exercise(
    id="06.contingency",
    var="reserve",
    prompt=(
        "Size the contingency reserve (money) for the sample server-migration register, "
        "`sample_register('server_migration')`, as it stands (before responses): the expected "
        "loss of its active threats. Store the amount in `reserve`."
    ),
    check_fn=_check_contingency,
    hints=[
        "Take the threats that are still open or monitoring, every strategy included.",
        "For each: probability × impact_cost. Add them up and state the total as a positive amount.",
    ],
    solution_text=(
        "`reserve = 19_900`: the eight active threats (R01–R08)' probability × cost add up to 19,900 "
        "(R11 is closed; the opportunities do not reduce it)."
    ),
    misconceptions=MISCONCEPTIONS,
)


ALL = [
    pi_score,
    grid_rounding,
    prioritise,
    emv_signs,
    decision_tree,
    response_strategy,
    contingency,
]
