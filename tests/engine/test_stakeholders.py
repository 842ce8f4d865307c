"""Stakeholder engine: hand-worked grid, gaps, RACI checks, communication plan and escalation."""

from __future__ import annotations

import pytest

from itpm_course.engine.stakeholders import (
    Finding,
    check_raci,
    communication_load,
    communication_plan,
    engagement_gaps,
    engagement_matrix,
    escalate,
    escalation_path,
    power_interest_grid,
    quadrant,
    raci_load,
    raci_summary,
    strategy,
)
from itpm_course.errors import PlanError, Problem
from itpm_course.plan.stakeholders import (
    Stakeholder,
    StakeholderRegister,
    raci_from_dict,
    sample_raci,
    sample_stakeholders,
)


def _s(sid, power, interest, cur="neutral", des="supportive", **kw):
    return Stakeholder(sid, sid, interest, power, cur, des, **kw)


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5, 5, "manage closely"),
        (4, 4, "manage closely"),
        (5, 1, "keep satisfied"),
        (3, 4, "keep informed"),
        (3, 3, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant_hand_worked(power, interest, expected):
    assert quadrant(power, interest) == expected


def test_quadrant_threshold_is_configurable_and_checked():
    assert quadrant(3, 3, high_from=3) == "manage closely"
    assert quadrant(4, 4, high_from=5) == "monitor"
    for bad in (0, 6, True, "3", None):
        with pytest.raises(ValueError):
            quadrant(bad, 3)
    for bad in (1, 6, "4", True):
        with pytest.raises(ValueError, match="high_from"):
            quadrant(3, 3, high_from=bad)
    assert "Engage fully" in strategy("manage closely")
    with pytest.raises(ValueError, match="unknown quadrant"):
        strategy("ignore")


def test_grid_table():
    reg = StakeholderRegister([_s("A", 5, 2), _s("B", 2, 5)])
    grid = power_interest_grid(reg)
    assert list(grid["quadrant"]) == ["keep satisfied", "keep informed"]
    assert grid["strategy"].str.len().min() > 20


def test_engagement_gaps_and_matrix():
    reg = StakeholderRegister(
        [
            _s("A", 3, 3, "supportive", "supportive"),
            _s("B", 3, 3, "unaware", "leading"),
            _s("C", 3, 3, "leading", "neutral"),
        ]
    )
    gaps = engagement_gaps(reg)
    assert list(gaps["id"]) == ["B", "A", "C"]
    assert list(gaps["gap"]) == [4, 0, -2]
    assert list(gaps["direction"]) == ["raise", "hold", "lower"]
    matrix = engagement_matrix(reg)
    assert matrix.loc["A", "supportive"] == "CD"
    assert matrix.loc["B", "unaware"] == "C" and matrix.loc["B", "leading"] == "D"
    assert matrix.loc["C"].tolist() == ["", "", "D", "", "C"]


# --------------------------------------------------------------------------------- RACI
def _codes(findings):
    return [(f.code, f.task, f.column) for f in findings]


def test_sample_raci_passes():
    assert check_raci(sample_raci(), sample_stakeholders()) == []
    assert raci_summary([]) == "The RACI passes every check."


def test_raci_hand_worked_findings():
    raci = raci_from_dict(
        {
            "D1": {"PM": "A", "Dev": "A", "QA": "R"},  # two A
            "D2": {"PM": "I", "Dev": "R"},  # no A
            "D3": {"PM": "A", "Dev": "C"},  # no R
            "D4": {"PM": "AR"},  # fine
        }
    )
    findings = check_raci(raci, ["PM", "Dev"])
    assert _codes(findings) == [
        ("RACI-MANY-A", "D1", None),
        ("RACI-NO-A", "D2", None),
        ("RACI-NO-R", "D3", None),
        ("RACI-OVERLOAD", None, "PM"),  # PM: A, A, AR on 3 of 4 > 2
        ("RACI-UNKNOWN-ROLE", None, "QA"),
    ]
    assert all(isinstance(f, Problem) for f in findings)
    assert [f.severity for f in findings] == ["error", "error", "error", "warning", "warning"]
    assert findings[0].row == 1 and findings[0].deliverable == "D1"
    assert "2 Accountables (PM, Dev)" in findings[0].reason
    assert str(findings[3]).startswith("[RACI-OVERLOAD] role 'PM': PM is R or A on 3 of 4")
    assert raci_summary(findings) == "3 errors, 2 warnings."
    with pytest.raises(PlanError):  # findings are Problems, so they fit a PlanError
        raise PlanError(findings)


def test_overload_threshold_boundary():
    raci = raci_from_dict(
        {"D1": {"X": "AR"}, "D2": {"X": "R", "Y": "A"}, "D3": {"Y": "AR"}, "D4": {"Z": "AR"}}
    )
    load = raci_load(raci).set_index("role")
    assert load.loc["X", "load"] == 2 and load.loc["X", "share"] == 0.5
    assert load.loc["X", "R"] == 2 and load.loc["X", "A"] == 1
    assert check_raci(raci) == []  # 2 of 4 is not above 50%
    over = check_raci(raci, max_share=0.4)
    assert {f.column for f in over} == {"X", "Y"}
    for bad in (0, 1.5, -1, True, "half"):
        with pytest.raises(ValueError, match="max_share"):
            check_raci(raci, max_share=bad)
    with pytest.raises(TypeError):
        check_raci({"D1": {"X": "A"}})


def test_idle_role_and_unknown_deliverable():
    from itpm_course.data import sample_plan

    raci = raci_from_dict(
        {
            "roles": ["PM", "Idle"],
            "deliverables": [
                {"id": "KICK", "roles": {"PM": "AR"}},
                {"id": "ZZZ", "roles": {"PM": "AR"}},
            ],
        }
    )
    findings = check_raci(raci, plan=sample_plan(), max_share=1)
    assert _codes(findings) == [
        ("RACI-UNKNOWN-DELIVERABLE", "ZZZ", None),
        ("RACI-IDLE-ROLE", None, "Idle"),
    ]
    assert raci_summary(findings) == "1 error, 1 note."


# ------------------------------------------------------------------------ communication
def test_communication_plan_uses_register_then_quadrant_defaults():
    reg = StakeholderRegister(
        [
            _s("Low", 1, 1, owner="PM"),
            _s(
                "Boss",
                5,
                5,
                frequency="fortnightly",
                channel="steering committee",
                owner="PM",
                information="All",
            ),
            _s("CFO", 5, 1, owner="Sponsor"),
        ]
    )
    plan = communication_plan(reg)
    assert list(plan["stakeholder"]) == ["Boss", "CFO", "Low"]  # manage closely first
    row = plan.set_index("stakeholder")
    assert (row.loc["Boss", "frequency"], row.loc["Boss", "channel"]) == (
        "fortnightly",
        "steering committee",
    )
    assert row.loc["Boss", "from_register"]
    assert (row.loc["CFO", "frequency"], row.loc["CFO", "channel"]) == ("monthly", "email")
    assert (row.loc["Low", "channel"], row.loc["Low", "from_register"]) == ("SharePoint", False)
    load = communication_load(plan)
    assert load.to_dict("records") == [
        {"owner": "PM", "per_month": 3.0, "stakeholders": 2},
        {"owner": "Sponsor", "per_month": 1.0, "stakeholders": 1},
    ]
    assert set(communication_load(plan, by="channel")["channel"]) == {
        "steering committee",
        "email",
        "SharePoint",
    }
    with pytest.raises(ValueError, match="by must be"):
        communication_load(plan, by="colour")
    with pytest.raises(ValueError, match="no column"):
        communication_load(plan.drop(columns="per_month"))


def test_sample_communication_plan_covers_everyone():
    plan = communication_plan(sample_stakeholders())
    assert len(plan) == 17 and plan["channel"].notna().all()
    assert (~plan["from_register"]).sum() == 2  # Facilities and End users take defaults


# ---------------------------------------------------------------------------- escalation
def test_default_escalation_hand_worked():
    path = escalation_path()
    assert [lv.level for lv in path] == [1, 2, 3, 4]
    assert escalate(0, 1000).level == 1
    assert escalate(0, 1001).level == 2  # cost alone moves it up
    assert escalate(3, 0).level == 2
    assert escalate(2, 8000).level == 3  # within the PM's delay, not the PM's cost
    assert escalate(10, 20000).level == 3
    assert escalate(10.5, 0).level == 4
    assert escalate(0, 1e9).who == "Steering committee"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([], "at least one level"),
        ([{"level": 1, "who": "PM", "role": "PM", "max_delay_days": 1}], "must have no limits"),
        ([{"level": 2, "who": "PM", "role": "PM"}], "numbered 1, 2, 3"),
        ([{"level": 1, "who": "PM"}], "missing role"),
        (
            [
                {"level": 1, "who": "A", "role": "A", "max_cost": 5},
                {"level": 2, "who": "B", "role": "B", "max_cost": 2},
                {"level": 3, "who": "C", "role": "C"},
            ],
            "below level 1's 5",
        ),
        (
            [
                {"level": 1, "who": "A", "role": "A", "max_cost": -1},
                {"level": 2, "who": "B", "role": "B"},
            ],
            ">= 0",
        ),
        ([{"level": 1, "who": "A", "role": "A", "channel": "fax"}], "channel 'fax'"),
        (["PM"], "expected a mapping"),
        (
            [
                {"level": 1, "who": "A", "role": "A"},
                {"level": 2, "who": "B", "role": "B", "max_cost": 5},
            ],
            "below level 1's \\(no limit\\)",
        ),
    ],
)
def test_escalation_path_refuses(levels, message):
    with pytest.raises(ValueError, match=message):
        escalation_path(levels)


@pytest.mark.parametrize(
    ("delay", "cost"), [(-1, 0), (0, -5), (float("nan"), 0), ("2", 0), (True, 0)]
)
def test_escalate_refuses_bad_issues(delay, cost):
    with pytest.raises(ValueError, match="must be a number >= 0"):
        escalate(delay, cost)


def test_finding_is_a_problem_with_code():
    f = Finding("x", code="RACI-NO-A", task="D1", row=3, source="r.csv")
    assert str(f) == "[RACI-NO-A] r.csv, row 3, deliverable 'D1': x"
    assert f.severity == "error" and f.role is None
