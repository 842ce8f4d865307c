"""Risk scoring: the published PMBOK grid, zones, EMV, ranking, residual risk, reports."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest
from paths import ROOT

from itpm_course.engine.risk import (
    PIMatrix,
    best_decision,
    contingency_reserve,
    decision_emv,
    format_register_table,
    rank_risks,
    register_report,
    score_register,
    total_emv,
)
from itpm_course.plan.risks import Risk, RiskRegister, load_register

SAMPLE = ROOT / "itpm_course" / "data" / "risks_server_migration.csv"

# PMBOK 5th ed., Fig. 11-10: rows P = 0.9 down to 0.1, columns I = 0.05 .. 0.80
PUBLISHED = {
    0.9: [0.05, 0.09, 0.18, 0.36, 0.72],
    0.7: [0.04, 0.07, 0.14, 0.28, 0.56],
    0.5: [0.03, 0.05, 0.10, 0.20, 0.40],
    0.3: [0.02, 0.03, 0.06, 0.12, 0.24],
    0.1: [0.01, 0.01, 0.02, 0.04, 0.08],
}


# --------------------------------------------------------------------------------- the matrix
def test_published_pmbok_grid_is_reproduced_cell_for_cell():
    grid = PIMatrix().grid_frame()
    assert list(grid.index) == [0.9, 0.7, 0.5, 0.3, 0.1]
    assert list(grid.columns) == [0.05, 0.10, 0.20, 0.40, 0.80]
    for p, row in PUBLISHED.items():
        assert grid.loc[p].tolist() == row, p  # exact equality, all 25 cells


def test_rounding_trap_first_column_rounds_half_up():
    m = PIMatrix()
    # exact products 0.045, 0.035, 0.025, 0.015, 0.005 are printed 0.05 .. 0.01
    assert [m.cell_score(p, 1) for p in (5, 4, 3, 2, 1)] == [
        Decimal("0.05"),
        Decimal("0.04"),
        Decimal("0.03"),
        Decimal("0.02"),
        Decimal("0.01"),
    ]
    # binary floats with round() do not reproduce the book; that is why Decimal is used
    naive = [round(p * 0.05, 2) for p in (0.9, 0.7, 0.5, 0.3, 0.1)]
    assert naive != [0.05, 0.04, 0.03, 0.02, 0.01]


def test_unrounded_matrix_gives_exact_products():
    m = PIMatrix(decimals=None)
    assert m.cell_score(5, 1) == Decimal("0.045")


def test_default_zones_and_thresholds_are_parameters():
    m = PIMatrix()
    assert m.zone_of(0.18) == "high" and m.zone_of(0.17) == "medium"
    assert m.zone_of(0.05) == "medium" and m.zone_of(0.04) == "low"
    assert m.zone_of(np.nan) == "unrated"
    # rounding decides the zone: 0.9 x 0.05 = 0.045 is shown and zoned as 0.05 (medium)
    assert m.zones[4, 0] == "medium"
    strict = PIMatrix.pmbok(medium=0.1, high=0.3)
    assert strict.zones[4, 0] == "low" and strict.zones[4, 3] == "high"
    assert (strict.zones == "high").sum() < (m.zones == "high").sum()
    with pytest.raises(ValueError, match="thresholds out of order"):
        PIMatrix(medium=0.5, high=0.1)
    with pytest.raises(ValueError, match="increasing"):
        PIMatrix(probability=(0.5, 0.3, 0.1, 0.7, 0.9))


def test_ordinal_variant_1_to_25():
    m = PIMatrix.ordinal()
    assert m.grid[4, 4] == 25 and m.grid[0, 0] == 1 and m.grid[2, 3] == 12
    assert sorted({int(v) for v in m.grid.ravel()}) == [
        1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25,
    ]  # fmt: skip
    assert m.zone_of(4) == "low" and m.zone_of(5) == "medium"
    assert m.zone_of(12) == "medium" and m.zone_of(15) == "high"


def test_probability_bands_place_values_on_edges_upward():
    m = PIMatrix()
    levels = m.probability_level([0.0, 0.1, 0.19, 0.2, 0.35, 0.4, 0.6, 0.79, 0.8, 1.0])
    assert levels.tolist() == [1, 1, 1, 2, 2, 3, 4, 4, 5, 5]


# ---------------------------------------------------------------------------------- scoring
def reg(*risks: Risk) -> RiskRegister:
    return RiskRegister(risks)


def test_scores_use_the_rating_or_the_probability_band():
    scored = score_register(
        reg(
            Risk("A", "a", 0.35, impact_rating=4),
            Risk("B", "b", 0.35, probability_rating=5, impact_rating=4),
            Risk("C", "c", 0.9, impact_rating=1),
            Risk("D", "d", 0.5, impact_cost=100.0),
        )
    )
    assert scored.loc["A", "score"] == 0.12 and scored.loc["A", "zone"] == "medium"
    assert scored.loc["B", "score"] == 0.36 and scored.loc["B", "zone"] == "high"
    assert scored.loc["C", "score"] == 0.05
    assert np.isnan(scored.loc["D", "score"]) and scored.loc["D", "zone"] == "unrated"
    assert scored.loc["A", "ordinal_score"] == 8
    ordinal = score_register(reg(Risk("A", "a", 0.35, impact_rating=4)), PIMatrix.ordinal())
    assert ordinal.loc["A", "score"] == 8 and ordinal.loc["A", "zone"] == "medium"


def test_emv_signs_in_money_and_days():
    scored = score_register(
        reg(
            Risk("T", "t", 0.2, impact_cost=25_000.0, impact_days=5.0),
            Risk("O", "o", 0.3, kind="opportunity", impact_cost=3_000.0, impact_days=4.0),
            Risk("Z", "z", 0.5, impact_rating=2),
        )
    )
    assert scored.loc["T", "emv_cost"] == pytest.approx(-5_000)
    assert scored.loc["T", "emv_days"] == pytest.approx(-1.0)
    assert scored.loc["O", "emv_cost"] == pytest.approx(900)
    assert scored.loc["O", "emv_days"] == pytest.approx(1.2)
    assert np.isnan(scored.loc["Z", "emv_cost"])
    totals = total_emv(scored)
    assert totals["cost"] == pytest.approx(-4_100)
    assert totals["threats_cost"] == pytest.approx(-5_000)
    assert totals["opportunities_cost"] == pytest.approx(900)
    assert totals["days"] == pytest.approx(0.2)


def test_emv_sum_matches_hand_computation_on_the_sample():
    register = load_register(SAMPLE)
    scored = score_register(register)
    expected = sum(
        (1 if r.kind == "opportunity" else -1) * r.probability * (r.impact_cost or 0)
        for r in register
        if r.status in ("open", "monitoring")
    )
    assert total_emv(scored)["cost"] == pytest.approx(expected)
    threats = sum(
        r.probability * (r.impact_cost or 0) for r in register if r.kind == "threat" and r.is_active
    )
    assert contingency_reserve(scored) == pytest.approx(threats)


def test_closed_risks_are_left_out_of_totals_and_ranked_last():
    scored = score_register(
        reg(
            Risk("C", "closed", 0.9, impact_rating=5, impact_cost=100.0, status="closed"),
            Risk("A", "open", 0.1, impact_rating=1, impact_cost=10.0),
        )
    )
    assert rank_risks(scored) == ["A", "C"]
    assert total_emv(scored)["cost"] == pytest.approx(-1.0)
    assert total_emv(scored, active_only=False)["cost"] == pytest.approx(-91.0)


def test_ranking_by_score_then_emv_then_input_order():
    scored = score_register(
        reg(
            Risk("low", "l", 0.1, impact_rating=1, impact_cost=1e6),
            Risk("tie-small", "s", 0.5, impact_rating=3, impact_cost=100.0),
            Risk("tie-big", "b", 0.5, impact_rating=3, impact_cost=1000.0),
            Risk("tie-opp", "o", 0.5, impact_rating=3, impact_cost=500.0, kind="opportunity"),
            Risk("tie-none", "n", 0.5, impact_rating=3),
            Risk("top", "t", 0.9, impact_rating=5),
            Risk("unrated", "u", 0.9, impact_cost=1e7),
        )
    )
    assert rank_risks(scored) == [
        "top",
        "tie-big",
        "tie-opp",
        "tie-small",
        "tie-none",
        "low",
        "unrated",
    ]
    assert scored["rank"].tolist() == list(range(1, 8))
    assert scored.index.tolist() == rank_risks(scored)  # the frame is in rank order


def test_residual_risk_after_response():
    scored = score_register(
        reg(
            Risk(
                "M",
                "mitigated",
                0.5,
                impact_rating=4,
                impact_cost=10_000.0,
                impact_days=10.0,
                strategy="mitigate",
                residual_probability=0.1,
                residual_impact_rating=2,
                response_cost=1_000.0,
            ),
            Risk("A", "accepted", 0.5, impact_rating=3, impact_cost=2_000.0, strategy="accept"),
            Risk(
                "E",
                "enhanced",
                0.3,
                kind="opportunity",
                impact_rating=2,
                impact_cost=3_000.0,
                strategy="enhance",
                residual_probability=0.5,
                response_cost=500.0,
            ),
        )
    )
    m = scored.loc["M"]
    assert m["residual_score"] == 0.01 and m["residual_zone"] == "low"  # 0.1 x 0.10
    # impact rating 4 -> 2 scales the money by 0.10 / 0.40
    assert m["residual_emv_cost"] == pytest.approx(-0.1 * 10_000 * 0.25)
    assert m["residual_emv_days"] == pytest.approx(-0.1 * 10 * 0.25)
    assert m["response_value"] == pytest.approx(-250 + 5_000 - 1_000)
    a = scored.loc["A"]
    assert a["residual_score"] == a["score"] and a["residual_emv_cost"] == a["emv_cost"]
    assert a["response_value"] == 0
    e = scored.loc["E"]
    assert e["residual_emv_cost"] == pytest.approx(1_500)
    assert e["response_value"] == pytest.approx(600 - 500)
    assert contingency_reserve(scored) == pytest.approx(6_000)
    assert contingency_reserve(scored, residual=True) == pytest.approx(1_250)
    assert contingency_reserve(scored, include_opportunities=True) == pytest.approx(5_100)
    assert contingency_reserve(scored, basis="days") == pytest.approx(5)
    with pytest.raises(ValueError, match="basis"):
        contingency_reserve(scored, basis="weeks")


def test_scoring_is_vectorised_for_large_registers():
    risks = [
        Risk(f"R{k}", "r", (k % 100) / 100, impact_rating=k % 5 + 1, impact_cost=float(k))
        for k in range(20_000)
    ]
    scored = score_register(RiskRegister(risks))
    assert len(scored) == 20_000
    assert scored["rank"].is_monotonic_increasing


# ---------------------------------------------------------------------------- decision trees
def test_emv1_decision_tree_build_vs_upgrade():
    build = decision_emv([(0.6, 200), (0.4, 90)], investment=120)
    upgrade = decision_emv([(0.6, 120), (0.4, 60)], investment=50)
    assert build == 36 and upgrade == 46  # exact, computed in decimal
    best, emvs = best_decision(
        {
            "build new plant": {"investment": 120, "outcomes": [(0.6, 200), (0.4, 90)]},
            "upgrade": {"investment": 50, "outcomes": [(0.6, 120), (0.4, 60)]},
        }
    )
    assert best == "upgrade" and emvs == {"build new plant": 36, "upgrade": 46}
    with pytest.raises(ValueError, match="sum to 1"):
        decision_emv([(0.6, 1), (0.3, 2)])
    with pytest.raises(ValueError, match="at least one"):
        decision_emv([])


# ------------------------------------------------------------------------- reports for the CLI
def test_register_report_is_json_ready_and_consistent():
    register = load_register(SAMPLE)
    report = register_report(register)
    again = json.loads(json.dumps(report, allow_nan=False))
    assert again == report
    assert [row["id"] for row in report["risks"]] == rank_risks(score_register(register))
    assert report["totals"]["risks"] == len(register)
    assert report["totals"]["active"] == sum(r.is_active for r in register)
    scored = score_register(register)
    assert report["contingency"]["cost"] == pytest.approx(contingency_reserve(scored))
    assert report["totals"]["emv"]["cost"] == pytest.approx(total_emv(scored)["cost"])
    first = report["risks"][0]
    assert first["id"] == "R01" and first["zone"] == "high" and first["score"] == 0.24
    assert first["tasks"] == ["BAK", "DAT", "CUT"]
    assert report["matrix"]["thresholds"] == {"medium": 0.05, "high": 0.18}


def test_format_register_table_for_people():
    scored = score_register(load_register(SAMPLE))
    text = format_register_table(scored)
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["#", "id", "kind", "P"]
    assert lines[2].split()[1] == "R01" and "0.24" in lines[2] and "high" in lines[2]
    assert "[closed]" in text
    assert "Contingency reserve" in text and "19,900" in text
    assert "-0.0" not in text
