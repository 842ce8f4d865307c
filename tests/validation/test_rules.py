"""Each rule fires on a minimal bad plan and stays silent on a good one; codes are stable."""

from __future__ import annotations

import pytest
from validation_helpers import (
    GOOD_CHANGE,
    GOOD_RACI,
    bypass,
    change_log,
    good,
    plan_of,
    risk,
    task,
    with_stakeholders,
)

from itpm_course.validation import RULES, rules_table, validate
from itpm_course.validation.core import GROUPS, SEVERITIES

# The published rule codes: a code never changes meaning, so this list only grows.
CODES = [
    "BUD001", "BUD002", "BUD003",
    "CHG001", "CHG002", "CHG003", "CHG004", "CHG005", "CHG006", "CHG007", "CHG008",
    "CHG009", "CHG010", "CHG011",
    "QUA001",
    "RES001", "RES002",
    "RSK001", "RSK002", "RSK003", "RSK004", "RSK005", "RSK006",
    "SCH001", "SCH002", "SCH003",
    "STK001", "STK002", "STK003", "STK004", "STK005", "STK006", "STK007", "STK008",
    "STR001", "STR002", "STR003", "STR004", "STR005", "STR006", "STR007", "STR008",
    "STR009", "STR010", "STR011", "STR012",
    "WBS001", "WBS002", "WBS003", "WBS004", "WBS005", "WBS006",
]  # fmt: skip


def test_codes_are_the_published_snapshot():
    assert sorted(RULES) == CODES
    assert [r["code"] for r in rules_table()] == CODES


def test_rule_metadata_is_complete():
    for r in rules_table():
        assert set(r) == {"code", "group", "severity", "title", "hint"}
        assert r["group"] in GROUPS and r["severity"] in SEVERITIES
        assert r["title"] and r["hint"]
        assert (
            r["code"][:3]
            == {
                "structure": "STR",
                "wbs": "WBS",
                "schedule": "SCH",
                "resources": "RES",
                "budget": "BUD",
                "risk": "RSK",
                "stakeholders": "STK",
                "quality": "QUA",
                "change": "CHG",
            }[r["group"]]
        )


def test_good_plan_passes_every_rule():
    findings = validate(
        plan_of(with_stakeholders(good())),
        raci=GOOD_RACI,
        change=GOOD_CHANGE,
        change_log=change_log(),
        iterations=500,
    )
    assert findings == []


# ------------------------------------------------------------------- a bad plan per rule
def _set(tid, **fields):
    def change(d):
        task(d, tid).update(fields)

    return change


def _drop(tid, key):
    def change(d):
        del task(d, tid)[key]

    return change


def _second_start(d):
    d["tasks"].insert(
        3,
        {"id": "X", "name": "Prepare docs", "duration": 2, "optimistic": 1, "most_likely": 2,
         "pessimistic": 3, "wbs": "1.5", "owner": "Bo", "resources": ["QA"], "rate": 400},
    )  # fmt: skip
    task(d, "G")["predecessors"] = ["T", "X"]


def _dangling_end(d):
    d["tasks"].append(
        {"id": "X", "name": "Write docs", "duration": 2, "optimistic": 1, "most_likely": 2,
         "pessimistic": 3, "predecessors": ["S"], "wbs": "1.5", "owner": "Bo",
         "resources": ["QA"], "rate": 400},
    )  # fmt: skip


def _long_parallel(d):
    d["tasks"].insert(
        3,
        {"id": "L", "name": "Migrate archive", "duration": 9, "optimistic": 8, "most_likely": 9,
         "pessimistic": 10, "predecessors": ["S FS+52"], "wbs": "1.5", "owner": "Bo",
         "resources": ["QA"], "rate": 10},
    )  # fmt: skip
    task(d, "G")["predecessors"] = ["T", "L"]
    d["deadline"] = "2026-06-30"


def _costed_parent(cost):
    def change(d):
        task(d, "S")["wbs"] = "0"
        for t in d["tasks"][1:]:
            t["wbs"] = "1" + t["wbs"][1:]
        d["tasks"].insert(
            3,
            {"id": "P", "name": "Delivery complete (milestone)", "duration": 0,
             "predecessors": ["T"], "wbs": "1", "owner": "Ann", "cost": cost},
        )  # fmt: skip
        task(d, "G")["predecessors"] = ["P"]
        task(d, "G")["wbs"] = "1.4"

    return change


def _parallel_dev(d):
    task(d, "T").update(predecessors=["S"], resources=["Dev"], rate=500)
    task(d, "G")["predecessors"] = ["B", "T"]


def _risk(rid, **fields):
    def change(d):
        r = risk(d, rid)
        for k, v in fields.items():
            if v is None:
                r.pop(k, None)
            else:
                r[k] = v

    return change


def _no_risks(d):
    del d["risks"]


def _threats_only(d):
    d["risks"] = [r for r in d["risks"] if r["kind"] == "threat"]


def _plan(key, value):
    def change(d):
        d[key] = value

    return change


CASES = [
    # code, change to the good plan (or a plan-level callable), RACI
    ("STR002", _set("B", duration=9), None),
    ("STR003", lambda d: [task(d, "B").pop(k) for k in ("optimistic", "most_likely", "pessimistic")], None),
    ("STR004", _set("G", name="Deploy the system"), None),
    ("STR004", _set("B", name="Build milestone"), None),
    ("STR005", _second_start, None),
    ("STR006", _second_start, None),
    ("STR007", _set("T", predecessors=["B FS-1"]), None),
    ("STR008", _set("T", predecessors=["B FS+1"]), None),
    ("STR009", _set("T", predecessors=["B FS+11"]), None),
    ("STR010", _set("T", predecessors=["B SS+1"]), None),
    ("STR011", _set("B", duration=45, optimistic=40, most_likely=45, pessimistic=50), None),
    ("STR012", _long_parallel, None),
    ("WBS001", lambda d: (_set("S", wbs="1")(d), _set("T", wbs="2.1")(d)), None),
    ("WBS002", _set("T", wbs="1.2"), None),
    ("WBS003", _drop("T", "wbs"), None),
    ("WBS004", _costed_parent(9999), None),
    ("WBS005", _drop("B", "owner"), None),
    ("WBS006", _set("B", duration=0.5, optimistic=0.5, most_likely=0.5, pessimistic=1), None),
    ("SCH001", _plan("deadline", "2026-01-08"), None),
    ("SCH002", _set("T", predecessors=["B FF+5"]), None),
    ("SCH003", _dangling_end, None),
    ("RES001", _parallel_dev, None),
    ("RES002", _drop("B", "resources"), None),
    ("BUD001", _plan("budget", 3000), None),
    ("BUD002", _plan("budget", 3800), None),
    ("BUD003", _drop("B", "rate"), None),
    ("RSK001", _no_risks, None),
    ("RSK002", _risk("R1", owner=None), None),
    ("RSK003", _risk("R1", strategy=None), None),
    ("RSK004", _risk("R1", strategy="accept"), None),
    ("RSK004", _risk("R1", actions=None), None),
    ("RSK005", _risk("R1", tasks=[]), None),
    ("RSK006", _threats_only, None),
    ("STK001", None, {"T": {"Cy": "R", "Ann": "A", "Bo": "A"}}),
    ("STK001", None, {"T": {"Cy": "R"}}),
    ("STK002", None, {"T": {"Ann": "A"}}),
    ("STK003", None, {"ZZ": {"Ann": "AR"}}),
    ("STK003", None, {"T": {"Ann": "AX"}}),
    ("QUA001", _set("T", name="Write release notes"), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "change", "raci"), CASES, ids=[f"{c}-{k}" for k, (c, *_) in enumerate(CASES)]
)
def test_rule_fires_on_bad_plan_and_not_on_good(code, change, raci):
    data = good()
    if change is not None:
        change(data)
    bad = validate(plan_of(data), rules=[code], raci=raci or GOOD_RACI, iterations=500)
    assert bad, f"{code} did not fire"
    assert {f.code for f in bad} == {code}
    rule = RULES[code]
    assert all(f.severity == rule.severity for f in bad)
    assert all(not f.message.startswith("not checked") for f in bad)
    assert all(f.hint for f in bad)
    silent = validate(plan_of(good()), rules=[code], raci=GOOD_RACI, iterations=500)
    assert silent == []


def test_wbs004_silent_when_parent_cost_adds_up():
    data = good()
    _costed_parent(3700)(data)  # B 5 x 500 + T 3 x 400
    assert validate(plan_of(data), rules=["WBS004", "WBS001"]) == []
    # the parent's cost is a roll-up: it is not counted again in the total
    data["budget"] = 3700
    assert validate(plan_of(data), rules=["BUD001"]) == []


def test_str001_estimates_out_of_order_when_the_model_was_bypassed():
    plan = bypass(plan_of(good()), "B", optimistic=9, most_likely=5, pessimistic=8)
    (f,) = validate(plan, rules=["STR001"])
    assert f.code == "STR001" and f.severity == "error"
    assert f.location.kind == "task" and f.location.id == "B" and f.location.row == 2
    assert "9 / 5 / 8" in f.message


def test_skipped_rules_say_why_with_info():
    data = good()
    del data["deadline"], data["budget"], data["resources"]
    for t in data["tasks"]:
        t.pop("resources", None)
    codes = ["SCH001", "BUD001", "RES001", "STK001"]
    found = {f.code: f for f in validate(plan_of(data), rules=codes)}
    assert set(found) == set(codes)
    assert all(
        f.severity == "info" and f.message.startswith("not checked:") for f in found.values()
    )
    assert "no RACI given" in found["STK001"].message


def test_findings_are_sorted_errors_first_and_locate_the_file_row():
    data = good()
    task(data, "B").pop("owner")
    task(data, "T")["predecessors"] = ["B FS-1"]
    findings = validate(plan_of(data), raci=GOOD_RACI, iterations=500)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    owner = next(f for f in findings if f.code == "WBS005")
    assert owner.location.to_dict() == {"file": "mini.yaml", "row": 2, "kind": "task", "id": "B"}
    assert set(owner.to_dict()) == {"code", "severity", "message", "location", "hint"}


def test_unknown_rule_code_is_refused():
    with pytest.raises(ValueError, match="unknown rule code"):
        validate(plan_of(good()), rules=["XYZ999"])


def test_validation_is_deterministic_for_a_seed():
    data = good()
    data["budget"] = 3800
    a = validate(plan_of(data), rules=["BUD002"], seed=3, iterations=300)
    b = validate(plan_of(data), rules=["BUD002"], seed=3, iterations=300)
    assert a == b
