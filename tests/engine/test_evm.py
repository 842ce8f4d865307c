"""Earned value and earned schedule: the published worked examples (domain-facts §2.5) and more."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itpm_course.engine.evm import (
    RagThresholds,
    earned_schedule,
    earned_value_by_rule,
    evm_from_plan,
    evm_metrics,
    evm_series,
    forecast_plan,
    planned_value_curve,
    worst_rag,
)
from itpm_course.plan import plan_from_csv_text

LINEAR = [10_000 * t for t in range(11)]  # ES-1: BAC 100,000 over PD = 10 periods


# ------------------------------------------------------------------ published worked examples
def test_evm1_schwalbe_wellness_intranet():
    m = evm_metrics(200_000, 120_000, 100_000, 90_000, pd=6)
    assert m.cv == 10_000 and m.sv == -20_000
    assert m.cpi == pytest.approx(1.111, abs=5e-4)
    assert m.spi == pytest.approx(0.833, abs=5e-4)
    assert m.eac == pytest.approx(180_000)
    assert m.duration_forecast == pytest.approx(7.2)
    v = m.eac_variants
    assert v["bac_over_cpi"] == pytest.approx(180_000)
    assert v["budget_rate"] == pytest.approx(190_000)
    assert v["cpi_spi"] == pytest.approx(198_000)
    assert v["composite"] == pytest.approx(184_736.84, abs=0.01)
    assert m.etc == pytest.approx(90_000) and m.vac == pytest.approx(20_000)
    assert m.tcpi_bac == pytest.approx(0.9091, abs=5e-5)
    assert m.percent_complete == 0.5 and m.percent_spent == 0.45


def test_evm1_published_rounding_of_cpi():
    # The student answer shows 180,090 because it rounded CPI to 1.11 first.
    m = evm_metrics(200_000, 120_000, 100_000, 90_000)
    assert 200_000 / round(m.cpi, 2) == pytest.approx(180_180, abs=100)
    assert m.eac == pytest.approx(180_000)


def test_evm2_schwalbe_exercise_1():
    m = evm_metrics(120_000, 23_000, 20_000, 25_000, pd=12)
    assert (m.cv, m.sv) == (-5_000, -3_000)
    assert m.cpi == pytest.approx(0.80)
    assert m.spi == pytest.approx(0.8696, abs=5e-5)
    assert m.eac == pytest.approx(150_000)
    assert m.duration_forecast == pytest.approx(13.8, abs=0.05)
    assert m.eac_variants["budget_rate"] == pytest.approx(125_000)
    assert m.eac_variants["cpi_spi"] == pytest.approx(168_750)
    assert m.vac == pytest.approx(-30_000)
    assert m.tcpi_bac == pytest.approx(1.0526, abs=5e-5)


def test_evm3_projectengineer_set_up_database():
    m = evm_metrics(10_000, 3_000, 2_000, 4_500)
    assert (m.cv, m.sv) == (-2_500, -1_000)
    assert round(m.cpi, 2) == 0.44 and round(m.spi, 2) == 0.67
    assert m.eac_variants["budget_rate"] == pytest.approx(12_500)


def test_es1_linear_plan_at_period_4():
    m = evm_metrics(100_000, 40_000, 30_000, 35_000, baseline=LINEAR, at=4)
    assert m.pv == 40_000 and m.cv == -5_000 and m.sv == -10_000
    assert m.cpi == pytest.approx(0.857143, abs=1e-6)
    assert m.spi == pytest.approx(0.75)
    assert m.eac == pytest.approx(116_666.67, abs=0.01)
    assert m.eac_variants["budget_rate"] == pytest.approx(105_000)
    assert m.etc == pytest.approx(81_666.67, abs=0.01)
    assert m.vac == pytest.approx(-16_666.67, abs=0.01)
    assert m.tcpi_bac == pytest.approx(1.076923, abs=1e-6)
    assert m.es == pytest.approx(3) and m.sv_t == pytest.approx(-1)
    assert m.spi_t == pytest.approx(0.75) and m.ieac_t == pytest.approx(13.333, abs=1e-3)


def test_es1_interpolation_and_nonlinear_plans():
    assert earned_schedule(LINEAR, 34_000) == pytest.approx(3.4)
    assert earned_schedule([0, 20, 50, 90, 140, 200], 70) == pytest.approx(2.5)
    assert earned_schedule([0, 30, 70, 120, 180, 250], 100) == pytest.approx(2.6)
    # vectorised over EV
    np.testing.assert_allclose(
        earned_schedule([0, 20, 50, 90, 140, 200], [0, 20, 70, 200]), [0, 1, 2.5, 5]
    )


def test_es1_boundary_finished_on_time():
    m = evm_metrics(100_000, 100_000, 100_000, 110_000, baseline=LINEAR, at=10)
    assert m.spi == 1 and m.spi_t == pytest.approx(1)
    assert m.cpi == pytest.approx(0.9091, abs=5e-5)


def test_late_finish_spi_recovers_but_spi_t_does_not():
    m = evm_metrics(100_000, 100_000, 100_000, 100_000, baseline=LINEAR, at=13)
    assert m.spi == 1
    assert m.es == 10 and m.spi_t == pytest.approx(10 / 13) and m.sv_t == -3
    assert "behind schedule" in m.interpretation()


def test_earned_schedule_flat_stretch_takes_the_last_period():
    # Lipke: C is the LAST period with PV_C <= EV.
    assert earned_schedule([0, 10, 10, 20], 10) == 2
    assert earned_schedule([0, 10, 10, 20], 15) == pytest.approx(2.5)


# ------------------------------------------------------------------ invariants and properties
@settings(max_examples=150, deadline=None)
@given(
    bac=st.floats(1_000, 1e7),
    pv_f=st.floats(0.01, 1),
    ev_f=st.floats(0.01, 0.99),
    ac_f=st.floats(0.01, 3),
)
def test_properties(bac, pv_f, ev_f, ac_f):
    pv, ev, ac = bac * pv_f, bac * ev_f, bac * ev_f * ac_f
    m = evm_metrics(bac, pv, ev, ac)
    assert m.sv == pytest.approx(ev - pv) and m.cv == pytest.approx(ev - ac)
    assert m.etc == pytest.approx(m.eac - ac, rel=1e-9, abs=1e-6)
    assert m.vac == pytest.approx(bac - m.eac, rel=1e-9, abs=1e-6)
    # The invariant: with EAC = BAC/CPI, TCPI(EAC) equals the CPI.
    assert m.tcpi_eac == pytest.approx(m.cpi, rel=1e-9)
    # CPI < 1 <=> BAC/CPI above BAC; the budget-rate EAC lies between AC and the CPI one when CPI < 1.
    if m.cpi < 1:
        assert m.eac > bac and ac <= m.eac_variants["budget_rate"] <= m.eac + 1e-6
    assert (m.rag_cost == "green") == (m.cpi >= 0.95)


@settings(max_examples=100, deadline=None)
@given(
    steps=st.lists(st.floats(0, 1_000), min_size=2, max_size=15),
    frac=st.floats(0, 1),
)
def test_earned_schedule_inverts_the_baseline(steps, frac):
    curve = np.r_[0.0, np.cumsum(steps)]
    if curve[-1] == 0:
        return
    ev = frac * curve[-1]
    es = earned_schedule(curve, ev)
    assert 0 <= es <= len(curve) - 1
    # Following the baseline to ES gives back the value earned.
    assert np.interp(es, np.arange(len(curve)), curve) == pytest.approx(
        ev, abs=1e-6 * curve[-1] + 1e-9
    )


def test_series_is_vectorised_and_matches_scalars():
    ev, ac, pv = [5_000, 14_000, 30_000], [6_000, 15_000, 35_000], [10_000, 20_000, 40_000]
    s = evm_series(100_000, pv, ev, ac, baseline=LINEAR, periods=[2, 3, 4])
    frame = s.to_frame()
    assert list(frame.index) == [2, 3, 4]
    for i, period in enumerate([2, 3, 4]):
        one = evm_metrics(100_000, pv[i], ev[i], ac[i], baseline=LINEAR, at=period)
        assert frame.loc[period, "cpi"] == pytest.approx(one.cpi)
        assert frame.loc[period, "es"] == pytest.approx(one.es)
        assert s.at(period).spi_t == pytest.approx(one.spi_t)
    assert {"eac_bac_over_cpi", "eac_budget_rate", "eac_cpi_spi", "eac_composite", "rag"} <= set(
        frame.columns
    )
    data = s.to_dict()
    assert data["latest"]["period"] == 4 and len(data["periods"]) == 3


def test_idle_leading_periods_are_undefined_not_errors():
    s = evm_series(1_000, [0, 100], [0, 80], [0, 90])
    assert math.isnan(s.cpi[0]) and s.cpi[1] == pytest.approx(80 / 90)
    assert s.to_dict()["periods"][0]["cpi"] is None


def test_bottom_up_variant_and_method():
    m = evm_metrics(10_000, 3_000, 2_000, 4_500, etc=8_000, eac_method="bottom_up")
    assert m.eac_variants["bottom_up"] == 12_500 and m.eac == 12_500
    assert m.etc == 8_000 and m.tcpi_eac == pytest.approx(8_000 / 8_000)


def test_to_dict_keys_and_json_safety():
    import json

    m = evm_metrics(1_000, 500, 500, 1_200)  # AC > BAC: TCPI(BAC) undefined
    d = m.to_dict()
    for key in (
        "sv",
        "cv",
        "spi",
        "cpi",
        "eac",
        "eac_variants",
        "etc",
        "vac",
        "tcpi_bac",
        "tcpi_eac",
    ):
        assert key in d
    assert d["tcpi_bac"] is None
    json.dumps(d, allow_nan=False)
    assert "budget is already spent" in m.interpretation()


def test_interpretation_wording():
    m = evm_metrics(100_000, 60_000, 50_000, 56_000)
    text = m.interpretation()
    assert text.startswith(
        "Over budget and behind schedule; at this CPI the project needs 12% more money"
    )
    assert (
        evm_metrics(200_000, 120_000, 100_000, 90_000)
        .interpretation()
        .startswith("Under budget and behind schedule")
    )


# ------------------------------------------------------------------ RAG
def test_rag_thresholds_configurable():
    th = RagThresholds(green=0.95, amber=0.9)
    assert list(th.classify([1.0, 0.95, 0.92, 0.9, 0.89])) == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
    ]
    assert th.classify(float("nan")) is None
    m = evm_metrics(100, 50, 46, 50, thresholds=RagThresholds(green=0.9, amber=0.8))
    assert m.rag_cost == "green" and m.rag_schedule == "green" and m.rag == "green"
    assert worst_rag("green", "red", None) == "red" and worst_rag(None) is None
    with pytest.raises(ValueError, match="amber <= green"):
        RagThresholds(green=0.8, amber=0.9)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((100, 50, 50, -1), "ac must be >= 0; got -1"),
        ((100, -5, 50, 10), "pv must be >= 0"),
        ((100, 50, 150, 10), "ev must be <= bac"),
        ((100, 150, 50, 10), "pv must be <= bac"),
        ((100, 50, 50, 0), "ac is 0: CPI = EV/AC"),
        ((100, 0, 50, 10), "pv is 0: SPI = EV/PV"),
        ((0, 50, 50, 10), "bac .* must be > 0"),
        ((float("nan"), 50, 50, 10), "bac"),
    ],
)
def test_scalar_errors_name_the_field(args, message):
    with pytest.raises(ValueError, match=message):
        evm_metrics(*args)


def test_series_errors_name_the_period():
    with pytest.raises(ValueError, match="ac is 0 in period 2"):
        evm_series(1_000, [100, 200], [100, 150], [90, 0])
    with pytest.raises(ValueError, match="ev must be <= bac .* in period 3"):
        evm_series(1_000, [100, 200, 300], [100, 150, 1_200], [90, 100, 300])
    with pytest.raises(ValueError, match="one value per period"):
        evm_series(1_000, [100, 200], [100], [90, 100])
    with pytest.raises(ValueError, match="baseline must end at bac"):
        evm_metrics(1_000, 100, 100, 100, baseline=[0, 500, 900], at=1)
    with pytest.raises(ValueError, match="cannot fall"):
        evm_metrics(1_000, 100, 100, 100, baseline=[0, 600, 500, 1_000], at=1)
    with pytest.raises(ValueError, match="at .* is needed"):
        evm_metrics(1_000, 100, 100, 100, baseline=[0, 1_000])
    with pytest.raises(ValueError, match="eac_method"):
        evm_metrics(1_000, 100, 100, 100, eac_method="magic")
    with pytest.raises(ValueError, match="needs a bottom-up etc"):
        evm_metrics(1_000, 100, 100, 100, eac_method="bottom_up")


# ------------------------------------------------------------------ rules of credit
def test_rules_of_credit():
    budget = [1_000, 1_000, 1_000]
    pc = [0, 40, 100]
    assert list(earned_value_by_rule(budget, pc, "percent_complete")) == [0, 400, 1_000]
    assert list(earned_value_by_rule(budget, pc, "0/100")) == [0, 0, 1_000]
    assert list(earned_value_by_rule(budget, pc, "50/50")) == [0, 500, 1_000]
    assert list(earned_value_by_rule(budget, pc, "20/80")) == [0, 200, 1_000]
    with pytest.raises(ValueError, match="rule of credit"):
        earned_value_by_rule(budget, pc, "30/70")


# ------------------------------------------------------------------ plan + status
PLAN = """id,name,duration,predecessors,cost
A,Design,5,,5000
B,Build,10,A,20000
C,Test,5,B,5000
M,Go-live,0,C,
"""


@pytest.fixture
def plan():
    return plan_from_csv_text(PLAN, start="2026-01-05", name="Tiny")


def test_planned_value_curve_spreads_cost_linearly(plan):
    times, pv = planned_value_curve(plan, period_days=5)
    np.testing.assert_allclose(times, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(pv, [0, 5_000, 15_000, 25_000, 30_000])
    times, pv = planned_value_curve(plan, period_days=3)  # 20 days in 3-day periods: ends at 6.67
    assert times[-1] == pytest.approx(20 / 3) and pv[-1] == pytest.approx(30_000)
    assert pv[1] == pytest.approx(3_000)


def test_evm_from_plan(plan):
    status = [
        {"period": 1, "task": "A", "actual_cost": 6_000, "percent_complete": 100},
        {"period": 2, "task": "B", "actual_cost": 8_000, "percent_complete": 30},
        {
            "period": 3,
            "task": "B",
            "actual_cost": 16_000,
            "earned_value": 14_000,
            "percent_complete": None,
        },
    ]
    r = evm_from_plan(plan, status)
    s = r.series
    np.testing.assert_allclose(s.pv, [5_000, 15_000, 25_000])
    np.testing.assert_allclose(s.ev, [5_000, 11_000, 19_000])
    np.testing.assert_allclose(s.ac, [6_000, 14_000, 22_000])  # A's cost carried forward
    assert s.bac == 30_000 and r.latest.period == 3
    assert r.latest.es == pytest.approx(1 + 14_000 / 20_000 * 2)  # 2.4 periods
    task = r.tasks.set_index(["period", "task"])
    assert task.loc[(3, "B"), "cv"] == -2_000 and task.loc[(3, "A"), "ac"] == 6_000
    # 0/100: B earns nothing until finished
    r0 = evm_from_plan(plan, status[:2], rule="0/100")
    np.testing.assert_allclose(r0.series.ev, [5_000, 5_000])


def test_evm_from_plan_bottom_up_etc(plan):
    status = [
        {"period": 1, "task": "A", "actual_cost": 6_000, "percent_complete": 100, "etc": 0},
        {"period": 2, "task": "B", "actual_cost": 8_000, "percent_complete": 30, "etc": 16_000},
    ]
    r = evm_from_plan(plan, status, eac_method="bottom_up")
    # ETC: A 0, B 16,000 (bottom-up), C its remaining budget 5,000
    assert r.latest.eac == pytest.approx(14_000 + 16_000 + 5_000)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"period": 1, "task": "Z", "actual_cost": 1, "percent_complete": 5}, "no task 'Z'"),
        (
            {"period": 1, "task": "A", "actual_cost": -1, "percent_complete": 5},
            r"task A\): actual_cost must be >= 0",
        ),
        (
            {"period": 1, "task": "A", "actual_cost": 1, "percent_complete": 120},
            "between 0 and 100",
        ),
        (
            {"period": 0, "task": "A", "actual_cost": 1, "percent_complete": 5},
            "period must be 1 or more",
        ),
        (
            {"period": 1, "task": "A", "actual_cost": 1, "earned_value": 9_000},
            "more than the task's budget",
        ),
        ({"period": 1, "task": "A", "percent_complete": 5}, "missing actual_cost"),
    ],
)
def test_status_errors(plan, row, message):
    with pytest.raises(ValueError, match=message):
        evm_from_plan(plan, [row])


def test_status_twice_and_no_cost(plan):
    row = {"period": 1, "task": "A", "actual_cost": 1, "percent_complete": 5}
    with pytest.raises(ValueError, match="given twice"):
        evm_from_plan(plan, [row, row])
    free = plan_from_csv_text("id,name,duration,predecessors\nA,x,2,\n", start="2026-01-05")
    with pytest.raises(ValueError, match="BAC is 0"):
        evm_from_plan(free, [row])


def test_forecast_plan(plan):
    assert (
        forecast_plan(plan, [{"period": 1, "task": "A", "actual_cost": 1, "percent_complete": 5}])
        is None
    )
    new = forecast_plan(
        plan,
        [
            {"period": 1, "task": "B", "forecast_duration": 11},
            {"period": 2, "task": "B", "forecast_duration": 12},
        ],
    )
    assert new.task("B").duration == 12
