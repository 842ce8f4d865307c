"""Stakeholder and communication rules (STK004-008) and change-control rules (CHG001-011):
each fires on a minimal bad plan, change or log and stays silent on the good ones."""

from __future__ import annotations

import datetime as dt

import pytest
from paths import FIXTURES
from validation_helpers import (
    GOOD_CHANGE,
    GOOD_LOG_CSV,
    GOOD_RACI,
    change_log,
    good,
    plan_of,
    stakeholder,
    with_stakeholders,
)

from itpm_course.engine.change import ChangeLogEntry
from itpm_course.errors import PlanError
from itpm_course.plan import load_plan
from itpm_course.validation import RULES, check_plan, run_rules, score, validate
from itpm_course.validation.changes import read_change_log

CAPSTONE = FIXTURES / "plans" / "capstone_crm_cloud.yaml"
NEW_STK = ["STK004", "STK005", "STK006", "STK007", "STK008"]
CHANGE_RULES = [f"CHG{n:03d}" for n in range(1, 10)]
LOG_RULES = ["CHG010", "CHG011"]


def _stk(sid, **fields):
    def change(d):
        stakeholder(d, sid).update(fields)

    return change


def _drop_field(sid, key):
    def change(d):
        del stakeholder(d, sid)[key]

    return change


def _log(*rows):
    header = "id,title,requester,submitted,status,recommendation,decision,decided_by,decided\n"
    return change_log(header + "".join(r + "\n" for r in rows))


_ADD_X = {
    "id": "X", "name": "Prepare test data", "duration": 7, "optimistic": 6, "most_likely": 7,
    "pessimistic": 9, "predecessors": "S", "wbs": "1.5", "owner": "Bo", "resources": "QA",
    "rate": 400,
}  # fmt: skip

STK_CASES = [
    # code, change to the register, RACI
    ("STK004", None, {"T": {"Zed": "AR", "Ann": "I"}}),
    ("STK005", _stk("Ann", frequency="monthly"), None),
    ("STK005", _drop_field("Ann", "channel"), None),
    ("STK006", _stk("Cy", current_engagement="unaware"), None),
    ("STK007", _stk("Ann", role="Head of sales", name="Ann Lee"), None),
    ("STK008", None, {"T": {"Cy": "AR"}, "1.2": {"Cy": "R", "Ann": "A"}}),
]

CHANGE_CASES = [
    ("CHG001", {"id": "CR-9", "title": "x", "tasks": {"NOPE": {"duration": 2}}}),
    ("CHG001", {"id": "CR-9", "title": "x", "tasks": {"T": {"colour": "red"}}}),
    ("CHG002", {"id": "CR-9", "title": "x", "remove": ["B"]}),
    ("CHG002", {"id": "CR-9", "title": "x", "add": [{**_ADD_X, "predecessors": "B"}]}),
    ("CHG003", {"id": "CR-9", "title": "x", "tasks": {"B": {"predecessors": "S; T"}}}),
    ("CHG004", {"id": "CR-9", "title": "x", "tasks": {"B": {"duration": 30}}}),
    ("CHG005", {"id": "CR-9", "title": "x", "cost": 20000}),
    ("CHG006", {"id": "CR-9", "title": "x", "tasks": {"B": {"pessimistic": 60}}}),
    ("CHG007", {"id": "CR-9", "title": "x", "cost": 16000}),
    ("CHG008", {"id": "CR-9", "title": "x", "cost": 5000}),
    ("CHG009", {"id": "CR-9", "title": "x", "add": [_ADD_X], "tasks": {"T": {"predecessors": "B; X"}}}),
]  # fmt: skip

LOG_CASES = [
    ("CHG010", "CR-1,A,Cy,2026-01-06,approved,approve,approve,,2026-01-07"),
    ("CHG010", "CR-1,A,Cy,2026-01-06,rejected,reject,reject,Ann,"),
    ("CHG010", "CR-1,A,Cy,2026-01-06,deferred,defer,,,"),
    ("CHG011", "CR-1,A,Cy,2026-01-06,approved,approve,approve,Ann,2026-01-07"),
]


def _check_fires(code, bad, silent):
    assert bad, f"{code} did not fire"
    assert {f.code for f in bad} == {code}
    assert all(f.severity == RULES[code].severity for f in bad)
    assert all(not f.message.startswith("not checked") and f.hint for f in bad)
    assert silent == []


@pytest.mark.parametrize(
    ("code", "change", "raci"), STK_CASES, ids=[f"{c}-{k}" for k, (c, *_) in enumerate(STK_CASES)]
)
def test_stakeholder_rule_fires_on_bad_register_and_not_on_good(code, change, raci):
    data = with_stakeholders(good())
    if change is not None:
        change(data)
    bad = validate(plan_of(data), rules=[code], raci=raci or GOOD_RACI)
    silent = validate(plan_of(with_stakeholders(good())), rules=[code], raci=GOOD_RACI)
    _check_fires(code, bad, silent)


@pytest.mark.parametrize(
    ("code", "change"), CHANGE_CASES, ids=[f"{c}-{k}" for k, (c, _) in enumerate(CHANGE_CASES)]
)
def test_change_rule_fires_on_bad_change_and_not_on_good(code, change):
    plan = plan_of(good())
    bad = validate(plan, rules=[code], change=change, iterations=500)
    silent = validate(plan, rules=[code], change=GOOD_CHANGE, iterations=500)
    _check_fires(code, bad, silent)


@pytest.mark.parametrize(
    ("code", "row"), LOG_CASES, ids=[f"{c}-{k}" for k, (c, _) in enumerate(LOG_CASES)]
)
def test_change_log_rule_fires_on_bad_log_and_not_on_good(code, row, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(GOOD_LOG_CSV.splitlines()[0] + "\n" + row + "\n")
    plan = plan_of(good())
    bad = validate(plan, rules=[code], change_log=path)
    silent = validate(plan, rules=[code], change_log=change_log())
    _check_fires(code, bad, silent)
    assert all(f.location.kind == "change" and f.location.id == "CR-1" for f in bad)
    assert all(f.location.row == 2 and f.location.file == str(path) for f in bad)


def test_new_rules_say_not_checked_without_register_change_or_log():
    found = validate(plan_of(good()), rules=NEW_STK + CHANGE_RULES + LOG_RULES, raci=GOOD_RACI)
    assert len(found) == len(NEW_STK) + len(CHANGE_RULES) + len(LOG_RULES)
    assert all(f.severity == "info" and f.message.startswith("not checked:") for f in found)
    reasons = {f.code: f.message for f in found}
    assert "no stakeholder register" in reasons["STK005"]
    assert "no change request given" in reasons["CHG004"]
    assert "no change log given" in reasons["CHG010"]


def test_register_without_raci_checks_the_register_only():
    found = {f.code: f for f in validate(plan_of(with_stakeholders(good())), rules=NEW_STK)}
    assert set(found) == {"STK004", "STK008"}
    assert all(f.message == "not checked: no RACI given" for f in found.values())


def test_stakeholder_findings_point_at_the_register_row():
    data = with_stakeholders(good())
    stakeholder(data, "Cy").update(current_engagement="unaware", owner=None)
    stakeholder(data, "Ann").update(frequency="fortnightly")
    found = {f.code: f for f in validate(plan_of(data), rules=["STK005", "STK006"])}
    assert found["STK005"].location.to_dict() == {
        "file": "mini.yaml [stakeholders]", "row": 1, "kind": "stakeholder", "id": "Ann"
    }  # fmt: skip
    assert "fortnightly" in found["STK005"].message and "weekly" in found["STK005"].message
    assert found["STK006"].location.id == "Cy" and found["STK006"].location.row == 3
    assert "3 engagement levels" in found["STK006"].message
    # the hint is the engine's own action for the gap (engine.stakeholders.engagement_gaps)
    assert found["STK006"].hint.startswith("name an owner who will move from unaware to supportive")


def test_raci_roles_may_be_names_or_resources():
    data = with_stakeholders(good())
    raci = {"T": {"Cy Diaz": "AR", "Ann": "I"}, "1.2": {"Dev": "R", "Ann Lee": "A", "Zed": "C"}}
    # names of stakeholders and resource ids count; a Consulted outsider is not an error
    assert validate(plan_of(data), rules=["STK004"], raci=raci) == []
    (f,) = validate(plan_of(data), rules=["STK004"], raci={**raci, "T": {"Zed": "AR"}})
    assert f.location.kind == "role" and f.location.id == "Zed"
    assert "A/R on T" in f.message


def test_change_problems_carry_their_location(tmp_path):
    path = tmp_path / "cr.yaml"
    path.write_text("id: CR-8\ntitle: Loop\ntasks: {B: {predecessors: 'S; T'}}\n")
    (f,) = validate(plan_of(good()), rules=["CHG003"], change=path)
    assert f.location.file == str(path) and f.location.kind == "task"
    assert "introduces a dependency cycle" in f.message
    (f,) = validate(plan_of(good()), rules=["CHG001"], change=CHANGE_CASES[0][1])
    assert f.location.id == "NOPE" and f.message.startswith("tasks.NOPE: unknown task 'NOPE'")
    # when the change does not apply, the rules about the changed plan say why they did not run
    (skip,) = validate(plan_of(good()), rules=["CHG004"], change=CHANGE_CASES[0][1])
    assert skip.severity == "info" and "does not apply" in skip.message


def test_added_task_without_successor_is_dangling():
    found = validate(plan_of(good()), rules=["CHG002"], change=CHANGE_CASES[3][1])
    (f,) = found
    assert f.location.id == "X" and "no successor" in f.message and "CR-9" in f.message
    # a new finish milestone after the old one is not an open end
    finish = {"id": "F", "name": "Project closed", "duration": 0, "predecessors": "G"}
    new_finish = {"id": "CR-9", "title": "x", "add": [finish]}
    assert validate(plan_of(good()), rules=["CHG002"], change=new_finish) == []


def test_unreadable_change_or_log_raises():
    with pytest.raises(PlanError, match="file not found"):
        validate(plan_of(good()), change="/nonexistent/cr.yaml")
    with pytest.raises(PlanError, match="file not found"):
        validate(plan_of(good()), change_log="/nonexistent/log.csv")


def test_change_log_reader_keeps_undecided_entries(tmp_path):
    path = tmp_path / "log.yaml"
    path.write_text(
        "changes:\n"
        "  - {id: CR-1, title: A, status: approved}\n"
        "  - {id: CR-2, title: B, status: implemented, decision: approve, decided_by: Ann,"
        " decided: 2026-01-07}\n"
    )
    log = read_change_log(path)
    assert [e.decision for e in log.entries] == [None, "approve"]
    assert log.entries[1].decided == dt.date(2026, 1, 7)
    entries = [ChangeLogEntry("CR-1", "A", status="approved", decision="approve")]
    (f,) = validate(plan_of(good()), rules=["CHG010"], change_log=entries)
    assert "who decided and the date" in f.message


def test_one_change_run_feeds_every_change_rule():
    outcomes = run_rules(plan_of(good()), rules=CHANGE_RULES, change=GOOD_CHANGE, iterations=300)
    assert all(o.skipped is None for _, o in outcomes.values())


def test_reference_plan_earns_its_stakeholder_points_through_real_checks():
    plan = load_plan(CAPSTONE)
    assert plan.stakeholders is not None and plan.raci is not None
    outcomes = run_rules(plan, rules=["STK001", "STK002", "STK003", *NEW_STK])
    for code, (_, outcome) in outcomes.items():
        assert outcome.skipped is None, code
        assert outcome.issues == (), code
    roles = {s.role or "" for s in plan.stakeholders}
    assert any("sponsor" in r.lower() for r in roles)
    assert all(
        list(plan.raci.row(d).values()).count("A") + list(plan.raci.row(d).values()).count("AR")
        == 1
        for d in plan.raci.deliverables
    )


def test_capstone_change_rules_move_the_quality_item():
    plan = load_plan(CAPSTONE)
    good_change = {"id": "CR-1", "title": "Longer hypercare", "tasks": {"HYPER": {"duration": 11}}}
    result = score(plan, "capstone", change=good_change, iterations=500)
    assert result.score == result.max_score == 72
    bad_change = {"id": "CR-2", "title": "Loop", "tasks": {"TENANT": {"predecessors": "M1; SSO"}}}
    report = check_plan(plan, "capstone", change=bad_change, iterations=500)
    quality = {line.item.id: line for line in report.result.lines}["quality"]
    assert 0 < quality.points < 5 and "CHG003" in quality.feedback
    assert not report.ok
    # skipped rules of one reason share one note
    assert "CHG004-CHG009 not checked (the change CR-2 does not apply" in quality.feedback
