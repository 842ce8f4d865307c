"""Change requests: reading with specific errors, applying, impact analysis, recommendation, log."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itpm_course.data import sample_path, sample_plan
from itpm_course.engine.change import (
    ChangeLog,
    ChangeRequest,
    analyse_change,
    apply_change,
    change_from_dict,
    finish_shift,
    load_change,
)
from itpm_course.engine.schedule import schedule
from itpm_course.errors import PlanError
from itpm_course.plan import plan_from_csv_text

MINI = """\
id,duration,predecessors
A,3,
B,5,A
C,4,B
D,6,A
G,2,D
E,2,C; D
F,1,E; G
"""


@pytest.fixture(scope="module")
def mini():
    return plan_from_csv_text(MINI, name="mini", start="2026-01-05")


@pytest.fixture(scope="module")
def migration():
    return sample_plan("server_migration")


def cr(**kw) -> ChangeRequest:
    return change_from_dict({"id": "CR-1", "title": "t", **kw}, source="cr.yaml")


# -- acceptance: finish moves by max(0, delta - total float) in FS-only plans ----------------
@st.composite
def fs_plans(draw):
    n = draw(st.integers(2, 12))
    rows = ["id,duration,predecessors"]
    for k in range(n):
        preds = draw(st.lists(st.integers(0, k - 1), unique=True, max_size=3)) if k else []
        d = draw(st.integers(0, 9))
        rows.append(f'T{k},{d},"{"; ".join(f"T{p}" for p in preds)}"')
    return plan_from_csv_text("\n".join(rows) + "\n", start="2026-01-05")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=fs_plans(), data=st.data())
def test_lengthening_a_task_moves_finish_by_delta_minus_total_float(plan, data):
    k = data.draw(st.integers(0, len(plan) - 1))
    delta = data.draw(st.integers(0, 15))
    task = plan.tasks[k]
    base = schedule(plan)
    tf = float(base.total_float[k])
    change = cr(tasks={task.id: {"duration": task.duration + delta}})
    new = schedule(apply_change(plan, change))
    assert new.project_duration - base.project_duration == pytest.approx(max(0.0, delta - tf))
    assert finish_shift(plan, task.id, delta) == pytest.approx(max(0.0, delta - tf))


def test_hand_worked_mini_examples(mini):
    # D has 3 days of total float; B is critical.
    assert finish_shift(mini, "D", 2) == 0
    assert finish_shift(mini, "D", 5) == 2
    assert finish_shift(mini, "B", 4) == 4


# -- reading --------------------------------------------------------------------------------
def test_sample_change_loads_and_applies(migration):
    change = load_change(sample_path("change_sso.yaml"), migration)
    assert change.id == "CR-7" and change.add[0]["id"] == "SSO"
    new = apply_change(migration, change)
    assert new.task_ids[-1] == "SSO"  # added tasks come last (common random numbers)
    assert "SSO" in [link.predecessor for link in new.task("PIL").predecessors]


@pytest.mark.parametrize(
    ("data", "column", "reason"),
    [
        ({"tasks": {"BLD": {"durations": 2}}}, "tasks.BLD.durations", "unknown task field"),
        ({"tasks": {"BLD": {"id": "X"}}}, "tasks.BLD.id", "cannot be changed"),
        ({"add": [{"id": "N", "duration": "soon"}]}, "add[0].duration", "expected a number"),
        ({"add": [{"id": "N", "duration": 1, "colour": "red"}]}, "add[0].colour", "unknown task"),
        ({"cost": "lots"}, "cost", "cost must be a number"),
        ({"scope": 1}, "scope", "unknown field"),
        ({"risks": [{"id": "R9", "title": "x", "probability": 2}]}, "risks.probability", ""),
    ],
)
def test_structural_errors_name_field_and_reason(data, column, reason):
    with pytest.raises(PlanError) as info:
        cr(**data)
    problem = info.value.problems[0]
    assert problem.column == column
    assert reason in problem.reason
    assert problem.source == "cr.yaml"


def test_missing_id_and_title():
    with pytest.raises(PlanError, match="needs an id"):
        change_from_dict({"title": "x"})
    with pytest.raises(PlanError, match="needs a title"):
        change_from_dict({"id": "CR-1"})


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"tasks": {"NOPE": {"duration": 3}}}, "unknown task 'NOPE'"),
        ({"tasks": {"B": {"duration": -1}}}, "duration must be a number of working days >= 0"),
        ({"remove": ["ZZ"]}, "unknown task 'ZZ'"),
        ({"remove": ["D"]}, "predecessor 'D' is removed by the change"),
        ({"tasks": {"A": {"predecessors": "F"}}}, "the change introduces a dependency cycle"),
        ({"add": [{"id": "B", "duration": 1}]}, "already used"),
        ({"add": [{"id": "N", "duration": 1, "predecessors": "Q"}]}, "unknown predecessor 'Q'"),
        ({"tasks": {"G": {"duration": 1}}, "remove": ["G"]}, "both edits and removes"),
    ],
)
def test_errors_against_the_plan(mini, data, fragment):
    with pytest.raises(PlanError) as info:
        apply_change(mini, cr(**data))
    assert fragment in str(info.value)
    assert all(p.source == "cr.yaml" for p in info.value.problems)


def test_removal_with_rewired_successors(mini):
    change = cr(remove=["G"], tasks={"F": {"predecessors": "E"}})
    assert schedule(apply_change(mini, change)).project_duration == 15
    with pytest.raises(PlanError, match="dangling"):
        apply_change(mini, cr(remove=["G"]))


def test_risk_naming_a_removed_task_is_reported():
    plan = sample_plan("server_migration", risks=True)
    change = cr(remove=["DAT"], tasks={"CUT": {"predecessors": "MIG"}})
    with pytest.raises(PlanError, match="risk R01 names task 'DAT'"):
        apply_change(plan, change)


def test_new_duration_shifts_the_three_point_estimate(migration):
    new = apply_change(migration, cr(tasks={"BLD": {"duration": 8}}))
    t = new.task("BLD")
    assert (t.optimistic, t.most_likely, t.pessimistic) == (7, 8, 11)


def test_load_change_file_errors(tmp_path, migration):
    bad = tmp_path / "c.yaml"
    bad.write_text("id: CR-1\ntitle: [unclosed\n")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_change(bad)
    bad.write_text("")
    with pytest.raises(PlanError, match="empty"):
        load_change(bad)
    with pytest.raises(PlanError, match="unsupported"):
        load_change(tmp_path / "c.txt")
    js = tmp_path / "c.json"
    js.write_text('{"id": "CR-2", "title": "t", "tasks": {"NOPE": {"duration": 1}}}')
    with pytest.raises(PlanError, match=r"c\.json.*unknown task 'NOPE'"):
        load_change(js, migration)


# -- analysis and recommendation --------------------------------------------------------------
def test_sso_analysis_without_risks_is_approve_with_conditions(migration):
    impact = analyse_change(migration, load_change(sample_path("change_sso.yaml")), iterations=2000)
    assert (impact.baseline_duration, impact.new_duration, impact.delta_duration) == (49, 52, 3)
    assert impact.cost_before == 129_800 and impact.cost_after == 135_200
    assert "SSO" in impact.critical_tasks_after and "SSO" not in impact.critical_tasks_before
    assert impact.p80_after > impact.p80_before
    assert impact.bac_after - impact.bac_before == 5_400
    assert impact.pv_end_after == pytest.approx(52 / 5)
    assert impact.recommendation == "approve with conditions"
    data = impact.to_dict()
    for key in ("baseline_duration", "critical_tasks_after", "p80_after", "recommendation"):
        assert key in data


def test_common_random_numbers_change_within_float_leaves_p80(migration):
    impact = analyse_change(migration, cr(tasks={"NET": {"duration": 6}}), iterations=2000)
    assert impact.delta_duration == 0
    assert impact.recommendation == "approve"


def test_rules(migration):
    # finish past the deadline (59) -> reject
    late = analyse_change(migration, cr(tasks={"MIG": {"duration": 20}}), iterations=500)
    assert late.recommendation == "reject"
    # cost above the budget -> reject
    dear = analyse_change(migration, cr(cost=20_000), iterations=500)
    assert dear.recommendation == "reject"
    # P80 past the deadline but CPM inside -> defer
    risky = analyse_change(migration, cr(tasks={"MIG": {"duration": 14}}), iterations=2000)
    assert risky.new_duration <= 59 < risky.p80_after
    assert risky.recommendation == "defer"
    # a saving -> approve
    saving = analyse_change(migration, cr(tasks={"UAT": {"duration": 3}}), iterations=500)
    assert saving.recommendation == "approve"
    # small cost inside the reserve, off the critical path -> approve
    small = analyse_change(migration, cr(cost=1_000), iterations=500)
    assert small.recommendation == "approve"


def test_baseline_simulation_can_be_reused(migration):
    first = analyse_change(migration, cr(cost=1), iterations=500)
    again = analyse_change(
        migration, cr(cost=1), iterations=500, baseline_simulation=first.simulation_before
    )
    assert again.simulation_before is first.simulation_before
    assert again.p80_after == first.p80_after


# -- change log -------------------------------------------------------------------------------
def test_change_log_round_trip(tmp_path, migration):
    impact = analyse_change(migration, cr(cost=1_000), iterations=500)
    log = ChangeLog().record(
        impact,
        decision="Approved by the CCB",
        decided_by="Sponsor",
        submitted=dt.date(2026, 2, 2),
        decided=dt.date(2026, 2, 4),
    )
    assert log[0].status == "approved"
    log = log.with_entry(log[0].__class__(id="CR-2", title="Later", status="submitted"))
    for name in ("log.csv", "log.yaml"):
        log.save(tmp_path / name)
        back = ChangeLog.load(tmp_path / name)
        assert back.to_records() == log.to_records()
    assert log.counts()["approved"] == 1


def test_change_log_errors():
    with pytest.raises(PlanError, match="unknown status 'maybe'"):
        ChangeLog.from_records([{"id": "CR-1", "title": "t", "status": "maybe"}])
    with pytest.raises(PlanError, match="needs the decision recorded"):
        ChangeLog.from_records([{"id": "CR-1", "title": "t", "status": "rejected"}])
    with pytest.raises(PlanError, match="expected a date"):
        ChangeLog.from_records(
            [{"id": "CR-1", "title": "t", "status": "submitted", "submitted": "soon"}]
        )
    with pytest.raises(PlanError, match="duplicate change id"):
        ChangeLog.from_csv_text("id,title,status\nCR-1,a,submitted\nCR-1,b,submitted\n")
