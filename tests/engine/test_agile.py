"""Agile engine: analytic forecast anchors, an independent simulation, seeds, chunking, Jira
parsing (repeated Sprint columns, locale dates), the inclusive day count and error paths."""

from __future__ import annotations

import math
import random
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from itpm_course.engine import agile as ag
from itpm_course.errors import PlanError

BOWLER = [1, 3, 5, 3, 7, 8, 0, 5, 3, 1, 8, 2]  # domain-facts §2.6, backlog 100

JIRA = """\
Summary,Issue key,Issue id,Issue Type,Status,Created,Resolved,Sprint,Sprint,Custom field (Story point estimate)
Login page,T-1,1,Story,Done,06/Jan/25 09:00 AM,08/Jan/25 04:30 PM,T Sprint 1,,3
Carry-over,T-2,2,Story,Done,06/Jan/25 10:00 AM,21/Jan/25 11:00 AM,T Sprint 1,T Sprint 2,5
Same day bug,T-3,3,Bug,Done,13/Jan/25 08:00 AM,13/Jan/25 05:00 PM,T Sprint 1,,1
Open story,T-4,4,Story,In Progress,14/Jan/25 01:15 PM,,T Sprint 2,,
"""


@pytest.fixture
def jira(write):
    return ag.read_issues(write("jira.csv", JIRA))


# ----------------------------------------------------------------------- forecast anchors
@pytest.mark.parametrize(("c", "n"), [(1, 1), (3, 10), (4, 12), (7, 100), (5, 5)])
def test_constant_throughput_is_exactly_ceil(c, n):
    f = ag.forecast_when([c, c, c, c], n, iterations=2_000, seed=1)
    assert f.percentiles == {
        "P50": math.ceil(n / c),
        "P85": math.ceil(n / c),
        "P95": math.ceil(n / c),
    }
    assert f.counts.sum() == 2_000 and f.counts[math.ceil(n / c)] == 2_000
    h = ag.forecast_how_many([c] * 5, 6, iterations=500, seed=1)
    assert h.percentiles == {"P50": 6 * c, "P85": 6 * c, "P95": 6 * c}


def test_zero_or_n_is_geometric():
    n, iters = 7, 200_000
    f = ag.forecast_when([0, n], n, iterations=iters, seed=11)
    for k in range(1, 9):
        p = 1 - 0.5**k
        sigma = math.sqrt(p * (1 - p) / iters)
        assert abs(f.probability_by(k) - p) < 4 * sigma, k
    # percentiles of the geometric law: P50 = 1, P85 = 3 (0.875), P95 = 5 (0.96875)
    assert f.percentiles == {"P50": 1, "P85": 3, "P95": 5}


def _loop_forecast(history, items, iterations, seed):
    rnd = random.Random(seed)
    out = []
    for _ in range(iterations):
        total = periods = 0
        while total < items:
            total += rnd.choice(history)
            periods += 1
        out.append(periods)
    return np.array(out)


def test_agrees_with_an_independent_per_iteration_simulation():
    iters = 20_000
    ours = ag.forecast_when(BOWLER, 100, iterations=iters, seed=3)
    ref = _loop_forecast(BOWLER, 100, iters, seed=4)
    assert abs(ours.mean - ref.mean()) < 4 * math.sqrt(2 * ref.var() / iters)
    for k in range(22, 34):
        p = (ref <= k).mean()
        sigma = math.sqrt(max(p * (1 - p), 1e-4) * 2 / iters)
        assert abs(ours.probability_by(k) - p) < 4.5 * sigma, k
    for q in (50, 85, 95):
        assert abs(ours.percentile(q) - np.quantile(ref, q / 100, method="inverted_cdf")) <= 1


def test_bowler_example_close_to_the_reference_run():
    f = ag.forecast_when(BOWLER, 100, iterations=10_000, seed=0)
    ref = {"P50": 27, "P85": 30, "P95": 33}  # domain-facts §2.6, numpy run, seed 0
    for key, value in f.percentiles.items():
        assert abs(value - ref[key]) <= 1
    assert 26 <= f.mean <= 27.2  # naive mean-rate estimate 26.1


def test_same_seed_same_result_and_other_seed_differs():
    a = ag.forecast_when(BOWLER, 60, iterations=5_000, seed=42)
    b = ag.forecast_when(BOWLER, 60, iterations=5_000, seed=42)
    c = ag.forecast_when(BOWLER, 60, iterations=5_000, seed=43)
    assert np.array_equal(a.counts, b.counts) and a.seed == 42
    assert not np.array_equal(a.counts, c.counts)
    h1 = ag.forecast_how_many(BOWLER, 8, iterations=5_000, seed=9)
    h2 = ag.forecast_how_many(BOWLER, 8, iterations=5_000, seed=9)
    assert np.array_equal(h1.counts, h2.counts)
    fresh = ag.forecast_when(BOWLER, 60, iterations=100)
    again = ag.forecast_when(BOWLER, 60, iterations=100, seed=fresh.seed)
    assert np.array_equal(fresh.counts, again.counts)  # the reported seed reproduces it


def test_chunking_keeps_the_distribution_and_bounds_memory():
    small = ag.forecast_when(BOWLER, 100, iterations=30_000, seed=5, chunk_size=777)
    large = ag.forecast_when(BOWLER, 100, iterations=30_000, seed=5)
    assert small.counts.sum() == large.counts.sum() == 30_000
    for k in (24, 27, 30):
        p = large.probability_by(k)
        assert abs(small.probability_by(k) - p) < 5 * math.sqrt(2 * p * (1 - p) / 30_000)
    tracemalloc.start()
    big = ag.forecast_when([0, 1, 2], 50, iterations=1_000_000, seed=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert big.iterations == 1_000_000 and big.counts.sum() == 1_000_000
    # one int per iteration would be 8 MB; blocks of draws stay well below 100 MB
    assert peak < 100e6, peak


def test_how_many_reads_the_lower_tail():
    h = ag.forecast_how_many([0, 10], 1, iterations=10_000, seed=2)
    # half the futures finish 0, half 10: "at least 10" holds with ~50% confidence, no more
    assert h.at_least(40) == 10 and h.at_least(60) == 0
    assert h.percentiles["P85"] == h.percentiles["P95"] == 0
    assert h.probability_at_least(10) == pytest.approx(0.5, abs=0.02)
    hm = ag.forecast_how_many(BOWLER, 10, iterations=20_000, seed=1)
    assert hm.percentiles["P95"] <= hm.percentiles["P85"] <= hm.percentiles["P50"]
    assert hm.mean == pytest.approx(10 * np.mean(BOWLER), rel=0.02)


def test_calendar_answers():
    f = ag.forecast_when([2], 5, iterations=10, seed=1, start="2025-01-06")  # 3 weeks
    assert f.percentiles["P85"] == 3
    assert f.dates == {"P50": "2025-01-26", "P85": "2025-01-26", "P95": "2025-01-26"}
    assert f.to_dict() == {
        "items": 5,
        "iterations": 10,
        "periods": {"P50": 3, "P85": 3, "P95": 3},
        "dates": {"P50": "2025-01-26", "P85": "2025-01-26", "P95": "2025-01-26"},
    }
    # whole weeks only: Monday 6 to Sunday 19 January is 2 weeks, to Friday 17 is 1
    assert ag.forecast_how_many([3], by="2025-01-19", start="2025-01-06").periods == 2
    assert ag.forecast_how_many([3], by="2025-01-17", start="2025-01-06").periods == 1


def test_forecast_errors_and_warnings():
    with pytest.raises(ValueError, match="zero throughput"):
        ag.forecast_when([0, 0, 0, 0], 5)
    with pytest.raises(ValueError, match="period 2 is -1"):
        ag.forecast_when([3, -1, 2], 5)
    with pytest.raises(ValueError, match="empty"):
        ag.forecast_when([], 5)
    with pytest.raises(ValueError, match="items"):
        ag.forecast_when([1, 2], 0)
    with pytest.raises(ValueError, match="iterations"):
        ag.forecast_when([1, 2], 3, iterations=0)
    with pytest.raises(ValueError, match="not an ISO date"):
        ag.forecast_when([1, 2], 3, start="next monday")
    few = ag.forecast_when([3, 4, 5], 10, iterations=100, seed=1)
    assert few.warnings and "only 3 periods" in few.warnings[0]
    assert not ag.forecast_when([3, 4, 5, 6], 10, iterations=100, seed=1).warnings


# ----------------------------------------------------------------------- reading files
def test_read_throughput_and_errors(write):
    t = ag.read_throughput()
    assert len(t) == 20 and t["throughput"].dtype == np.int64 and (t["throughput"] == 0).sum() == 2
    with pytest.raises(PlanError, match=r"bad\.csv, row 3, column 'throughput': -2 is negative"):
        ag.read_throughput(write("bad.csv", "period,throughput\nw1,3\nw2,-2\n"))
    with pytest.raises(PlanError, match=r"row 2, column 'throughput': 'lots' is not a number"):
        ag.read_throughput(write("bad.csv", "period,throughput\nw1,lots\n"))
    with pytest.raises(PlanError, match="not a whole number"):
        ag.read_throughput(write("bad.csv", "period,throughput\nw1,2.5\n"))
    with pytest.raises(PlanError, match="no 'throughput' column"):
        ag.read_throughput(write("bad.csv", "period,done\nw1,2\n"))


def test_jira_export_repeated_sprints_locale_dates_and_points(jira):
    assert list(jira["key"]) == ["T-1", "T-2", "T-3", "T-4"]
    assert jira.loc[1, "sprints"] == ["T Sprint 1", "T Sprint 2"]
    assert jira.loc[1, "sprint"] == "T Sprint 2"
    assert jira.loc[0, "created"] == pd.Timestamp("2025-01-06 09:00")
    assert jira.loc[0, "resolved"] == pd.Timestamp("2025-01-08 16:30")
    assert pd.isna(jira.loc[3, "resolved"])
    assert jira["story_points"].tolist()[:3] == [3.0, 5.0, 1.0] and pd.isna(
        jira.loc[3, "story_points"]
    )


def test_simple_lower_case_export_is_the_same(write):
    simple = """key,type,status,created,resolved,story_points,sprint,sprint
T-1,Story,Done,2025-01-06 09:00,2025-01-08 16:30,3,T Sprint 1,
T-2,Story,Done,2025-01-06,2025-01-21,5,T Sprint 1,T Sprint 2
"""
    issues = ag.read_issues(write("simple.csv", simple))
    assert issues.loc[1, "sprints"] == ["T Sprint 1", "T Sprint 2"]
    assert ag.lead_times(issues).tolist() == [3, 16]


def test_shipped_sample_export():
    issues = ag.read_issues()
    assert len(issues) == 86 and issues["resolved"].notna().sum() == 74
    weekly = ag.weekly_throughput(issues)
    assert weekly.sum() == 74 and weekly.index[0] == pd.Timestamp("2025-01-06")


def test_lead_time_is_inclusive(jira):
    lt = ag.lead_times(jira)
    assert lt.to_dict() == {"T-1": 3, "T-2": 16, "T-3": 1}  # same day = 1 day


def test_cycle_time_needs_start_dates(jira, write):
    with pytest.raises(ValueError, match="no start dates"):
        ag.cycle_times(jira)
    text = "key,created,started,resolved\nA,2025-01-01,2025-01-06,2025-01-08\nB,2025-01-02,,\n"
    issues = ag.read_issues(write("s.csv", text))
    assert ag.cycle_times(issues).to_dict() == {"A": 3}


def test_weekly_throughput_counts_zero_weeks(write):
    text = "key,created,resolved\nA,2025-01-01,2025-01-07\nB,2025-01-01,2025-01-12\nC,2025-01-01,2025-01-27\n"
    issues = ag.read_issues(write("w.csv", text))
    weekly = ag.weekly_throughput(issues)
    assert weekly.tolist() == [2, 0, 0, 1]  # weeks of Mon 6, 13, 20, 27 January
    assert list(weekly.index.strftime("%Y-%m-%d")) == [
        "2025-01-06",
        "2025-01-13",
        "2025-01-20",
        "2025-01-27",
    ]
    assert ag.weekly_throughput(issues, start="2024-12-30").tolist() == [0, 2, 0, 0, 1]


def test_wip_cfd_and_littles_law(write):
    text = """key,created,started,resolved
A,2025-01-01,2025-01-02,2025-01-03
B,2025-01-01,2025-01-03,2025-01-03
C,2025-01-02,2025-01-04,
D,2025-01-02,,
"""
    issues = ag.read_issues(write("f.csv", text))
    wip = ag.wip_over_time(issues, end="2025-01-05")
    assert wip.name == "wip" and wip.tolist() == [0, 1, 2, 1, 1]
    cfd = ag.cumulative_flow(issues, end="2025-01-05")
    assert list(cfd.columns) == ["created", "started", "done"]
    assert cfd["created"].tolist() == [2, 4, 4, 4, 4]
    assert cfd["started"].tolist() == [0, 1, 2, 3, 3]
    assert cfd["done"].tolist() == [0, 0, 2, 2, 2]
    # Little's law holds exactly over items that start and finish inside the window (inclusive days)
    done = issues[issues["resolved"].notna()]
    window = ag.wip_over_time(done, start="2025-01-02", end="2025-01-03")
    tp = len(done) / len(window)
    assert ag.littles_law(wip=window.mean(), throughput=tp) == pytest.approx(
        ag.cycle_times(done).mean()
    )
    # without start dates: honest "open" band
    plain = ag.read_issues(write("p.csv", "key,created,resolved\nA,2025-01-01,2025-01-02\n"))
    assert ag.wip_over_time(plain).name == "open"
    assert list(ag.cumulative_flow(plain).columns) == ["created", "done"]


def test_littles_law_solves_any_one():
    assert ag.littles_law(wip=12, throughput=4) == 3
    assert ag.littles_law(throughput=4, cycle_time=3) == 12
    assert ag.littles_law(wip=12, cycle_time=3) == 4
    with pytest.raises(ValueError, match="exactly two"):
        ag.littles_law(wip=1)


def test_issue_errors_name_file_row_column(write):
    with pytest.raises(
        PlanError, match=r"row 3, task 'B', column 'resolved': cannot read the date '5/1/25'"
    ):
        ag.read_issues(write("e.csv", "key,created,resolved\nA,2025-01-01,\nB,2025-01-01,5/1/25\n"))
    with pytest.raises(
        PlanError, match=r"row 2, task 'A', column 'resolved'.*before the created date"
    ):
        ag.read_issues(write("e.csv", "key,created,resolved\nA,2025-01-05,2025-01-01\n"))
    with pytest.raises(PlanError, match="no 'resolved' column"):
        ag.read_issues(write("e.csv", "key,created\nA,2025-01-05\n"))
    bad_jira = JIRA.replace("08/Jan/25 04:30 PM", "2025-13-45")
    with pytest.raises(ValueError, match=r"row 1 \(issue T-1\), column 'Resolved'"):
        ag.read_issues(write("j.csv", bad_jira))
    with pytest.raises(PlanError, match="cannot tell what this file is"):
        ag.load_history(write("x.csv", "a,b\n1,2\n"))


# ----------------------------------------------------------------------- sprints
def test_velocity_and_reliability():
    sprints = ag.read_sprints()
    v = ag.velocity(sprints)
    assert v.n == 10 and v.mean == pytest.approx(25.6) and v.median == 26.5 and v.range == (18, 31)
    last = ag.velocity(sprints, last=3)
    assert last.sprints == ("Sprint 8", "Sprint 9", "Sprint 10") and last.mean == pytest.approx(27)
    assert ag.velocity([10, 20]).to_dict()["mean"] == 15
    r = ag.commitment_reliability(sprints)
    assert r.overall == pytest.approx(256 / 302)
    assert r.per_sprint["Sprint 9"] == pytest.approx(31 / 30)
    with pytest.raises(ValueError, match="last"):
        ag.velocity(sprints, last=0)


def test_release_burnup():
    b = ag.release_burnup()
    assert b["sprint"].iloc[0] == "start" and b["done"].iloc[0] == 0
    assert (
        b["done"].iloc[-1] == 256 and b["scope"].iloc[-1] == 324 and b["remaining"].iloc[-1] == 68
    )
    flat = ag.release_burnup(
        pd.DataFrame({"sprint": ["a"], "committed": [5], "completed": [4]}), scope=10
    )
    assert flat["scope"].tolist() == [10, 10]
    with pytest.raises(ValueError, match="scope"):
        ag.release_burnup(pd.DataFrame({"sprint": ["a"], "committed": [5], "completed": [4]}))


def test_sprint_burndown(jira):
    bd = ag.sprint_burndown(jira, "T Sprint 1", "2025-01-06", "2025-01-17")
    assert bd.attrs["committed"] == 9  # T-1 (3) + T-2 (5, carried over) + T-3 (1)
    assert len(bd) == 11 and bd["ideal"].iloc[0] == 9 and bd["ideal"].iloc[-1] == 0
    remaining = bd.set_index("day")["remaining"]
    assert remaining[0] == 9 and remaining[2] == 9 and remaining[3] == 6  # T-1 done Wed 8th
    assert remaining[6] == 5 and remaining[10] == 5  # T-3 done Mon 13th; T-2 carried over
    with pytest.raises(ValueError, match="no issue is in sprint"):
        ag.sprint_burndown(jira, "Nope", "2025-01-06", "2025-01-17")


def test_read_sprints_errors(write):
    with pytest.raises(PlanError, match=r"row 2, column 'completed': 'x' is not a number"):
        ag.read_sprints(write("s.csv", "sprint,committed,completed\nS1,10,x\n"))
    with pytest.raises(PlanError, match="no 'committed' column"):
        ag.read_sprints(write("s.csv", "sprint,completed\nS1,10\n"))
