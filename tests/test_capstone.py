"""The capstone workbook: each step's check, the score rising, refused changes, outputs."""

from __future__ import annotations

import pytest

from itpm_course.capstone import STEPS, CapstoneWorkbook, capstone_rubric, over_cap, round_up
from itpm_course.errors import PlanError
from itpm_course.validation import check_plan


def _tasks():
    t = lambda id, name, wbs, d=0, **kw: {  # noqa: E731
        "id": id,
        "name": name,
        "wbs": wbs,
        "duration": d,
        "owner": "Ann",
        **kw,
    }
    return [
        t("START", "Charter approved", "1.1"),
        t("REQ", "Requirements", "1.2", 5),
        t("M1", "Planning complete (milestone)", "1"),
        t("BUILD", "Configure the tool", "2.1", 8),
        t("UAT", "User acceptance testing", "2.2", 4),
        t("LIVE", "Go-live of the tool", "2.3"),
        t("M2", "Project closed (milestone)", "2"),
    ]


LINKS = {"REQ": "START", "M1": "REQ", "BUILD": "M1", "UAT": "BUILD", "LIVE": "UAT", "M2": "LIVE"}
ESTIMATES = {"REQ": (4, 5, 8), "BUILD": (6, 8, 12), "UAT": (3, 4, 6)}
RESOURCES = [
    {"id": "Dev", "capacity": 1, "rate": 600},
    {"id": "QA", "capacity": 1, "rate": 500},
    {"id": "BA", "capacity": 1, "rate": 400},
]
ASSIGN = {"REQ": ["BA"], "BUILD": ["Dev"], "UAT": ["QA", "BA"]}
RISKS = [
    {
        "id": "R1",
        "title": "Vendor late",
        "kind": "threat",
        "probability": 0.3,
        "impact_rating": 3,
        "impact_days": 3,
        "impact_cost": 2000,
        "tasks": ["BUILD"],
        "owner": "Ann",
        "strategy": "mitigate",
        "actions": "Weekly vendor call",
    },
    {
        "id": "O1",
        "title": "Reuse of templates",
        "kind": "opportunity",
        "probability": 0.5,
        "impact_rating": 2,
        "impact_days": 1,
        "tasks": ["BUILD"],
        "owner": "Ann",
        "strategy": "exploit",
        "actions": "Ask the vendor",
    },
]
RACI = {"1": {"Ann": "A", "BA": "R"}, "2": {"Ann": "A", "Dev": "R", "QA": "C"}}


def workbook() -> CapstoneWorkbook:
    return CapstoneWorkbook(
        "Tool swap", start="2026-03-02", deadline="2026-04-30", budget_cap=20_000
    )


def build(upto: str) -> CapstoneWorkbook:
    """A workbook built through step ``upto`` without checks."""
    wb = workbook()
    order = [s.id for s in STEPS]
    wb.add_tasks(_tasks())
    if order.index(upto) >= 1:
        wb.set_estimates(ESTIMATES).link(LINKS)
    if order.index(upto) >= 2:
        wb.add_resources(RESOURCES).assign(ASSIGN)
    if order.index(upto) >= 3:
        wb.set_budget(contingency=round_up(wb.simulate().cost_percentile(80) - wb.base_cost))
    if order.index(upto) >= 4:
        wb.add_risks(RISKS)
        wb.set_budget(contingency=round_up(wb.simulate().cost_percentile(80) - wb.base_cost))
    if order.index(upto) >= 5:
        wb.set_raci(RACI)
    return wb


def test_empty_workbook_scores_zero_and_refuses_checks():
    wb = workbook()
    assert wb.plan is None and wb.score == 0
    with pytest.raises(ValueError, match="add_tasks"):
        wb.check("wbs")


def test_scores_rise_step_by_step_and_each_check_reports_its_step():
    wb = workbook()
    scores = []
    wb.add_tasks(_tasks())
    c = wb.check("wbs")
    assert c.step.id == "wbs" and c.before == 0 and c.errors == 0
    assert all(f.group == "wbs" for f in c.findings)
    assert {x.item.id for x in c.lines} == set(STEPS[0].items)
    scores.append(c.score)
    wb.set_estimates(ESTIMATES).link(LINKS)
    c = wb.check("schedule")
    assert all(f.group in ("structure", "schedule") for f in c.findings)
    assert c.step_score == (27.0, 27.0)
    scores.append(c.score)
    wb.add_resources(RESOURCES).assign(ASSIGN)
    c = wb.check("resources")
    assert c.step_score == (5.0, 5.0)
    scores.append(c.score)
    wb.set_budget(contingency=round_up(wb.simulate().cost_percentile(80) - wb.base_cost))
    c = wb.check("budget")
    assert c.step_score == (9.0, 9.0)
    scores.append(c.score)
    wb.add_risks(RISKS)
    wb.set_budget(contingency=round_up(wb.simulate().cost_percentile(80) - wb.base_cost))
    c = wb.check("risk")
    assert c.step_score == (10.0, 10.0)
    scores.append(c.score)
    wb.set_raci(RACI)
    c = wb.check("stakeholders")
    assert c.step_score == (4.0, 4.0)
    scores.append(c.score)
    c = wb.check("quality")
    assert c.step_score == (5.0, 5.0)
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    assert c.score == c.max_score == 72
    assert wb.check(1).step.id == "wbs"  # steps by number too
    assert list(wb.progress()["step"])[:3] == ["wbs", "schedule", "resources"]


def test_summary_says_rose_fell_or_stays():
    wb = build("resources")
    first = wb.check("resources")
    assert "score rose from 0/72 to" in first.summary()
    assert "score stays at" in wb.check("resources").summary()
    wb.update_tasks({"BUILD": {"owner": None}})
    assert "score fell from" in wb.check("wbs").summary()


def test_check_matches_the_validator_and_the_graded_rubric():
    wb = build("stakeholders")
    report = check_plan(wb.plan, capstone_rubric(), raci=RACI)
    assert wb.check().score == report.result.score
    # as in the graded assignment, no RACI means no stakeholder points
    no_raci = build("risk")
    line = next(x for x in no_raci.check().lines if x.item.id == "stakeholders")
    assert line.points == 0


def test_over_allocation_found_and_fixed_by_reassigning():
    wb = build("resources")
    wb.assign({"UAT": ["QA", "Dev"], "BUILD": ["Dev", "QA"]})
    wb.link({"UAT": "M1"})  # UAT now runs beside BUILD
    c = wb.check("resources")
    assert {(f.code, f.location.id) for f in c.findings if f.severity == "error"} == {
        ("RES001", "Dev"),
        ("RES001", "QA"),
    }
    assert wb.resource_load().loc["Dev"].max() == 2
    wb.link({"UAT": "BUILD"})
    assert wb.check("resources").errors == 0


def test_budget_summary_cap_and_contingency_short_after_risks():
    wb = build("budget")
    summary = wb.budget_summary()
    assert summary["budget"] == pytest.approx(summary["base_cost"] + summary["contingency"])
    assert over_cap(wb) == 0
    wb.add_risks(RISKS)
    codes = {f.code for f in wb.check("budget").findings}
    assert "BUD002" in codes  # risk events raised P80 cost above the old reserve
    wb.set_budget(50_000)
    assert over_cap(wb) == 30_000
    with pytest.raises(ValueError, match="either"):
        wb.set_budget(1, contingency=2)


def test_quality_step_and_change_request():
    wb = build("stakeholders")
    wb.link({"LIVE": "BUILD", "UAT": "LIVE", "M2": "UAT"})  # go-live before testing
    c = wb.check("quality")
    assert [f.code for f in c.findings] == ["QUA001"]
    wb.apply_change(
        {
            "id": "CR-1",
            "title": "Test before go-live",
            "tasks": {"LIVE": {"predecessors": "UAT"}, "UAT": {"predecessors": "BUILD"}},
        }
    )
    assert wb.check("quality").errors == 0
    assert wb.raci is not None and wb.plan.risks is not None  # kept across the change


def test_bad_changes_are_refused_and_the_last_plan_kept():
    wb = build("schedule")
    before = wb.plan
    with pytest.raises(PlanError):
        wb.link({"START": "M2"})  # a cycle
    assert wb.plan is before
    with pytest.raises(KeyError, match="no task 'NOPE'"):
        wb.update_tasks({"NOPE": {"duration": 1}})
    with pytest.raises(KeyError, match="add_resources first"):
        wb.assign({"REQ": ["BA"]})
    with pytest.raises(ValueError, match="unknown step"):
        wb.check("marketing")
    with pytest.raises(KeyError, match="no risk"):
        wb.update_risks({"R9": {"owner": "x"}})


def test_remove_tasks_drops_links_to_them():
    wb = build("schedule")
    wb.remove_tasks(["UAT"])
    assert "UAT" not in wb.plan.task_ids
    assert [link.predecessor for link in wb.plan.task("LIVE").predecessors] == []


def test_outputs_html_text_yaml_and_save(tmp_path):
    wb = build("stakeholders")
    c = wb.check("risk")
    html = c._repr_html_()
    assert "Step 5 · Risk register and responses" in html and "score rose from 0/72" in html
    assert "Rubric" in html and "width:" in html  # the rubric lines and the progress bar
    assert str(c).splitlines()[0] == c.summary()
    assert "Tool swap" in wb._repr_markdown_() and "tasks" in repr(wb)
    assert "tasks:" in wb.to_yaml()
    path = wb.save(tmp_path / "plan.yaml")
    from itpm_course.plan.io import load_plan

    assert load_plan(path).task_ids == wb.plan.task_ids
    assert "*Out of scope:*" not in wb.charter()


def test_stakeholders_and_communication_plan():
    wb = build("stakeholders")
    with pytest.raises(ValueError, match="add_stakeholders"):
        wb.communication_plan()
    wb.add_stakeholders(
        [
            {
                "id": "SP",
                "name": "Sponsor",
                "power": 5,
                "interest": 5,
                "current_engagement": "supportive",
                "desired_engagement": "leading",
            }
        ]
    )
    plan = wb.communication_plan()
    assert plan.loc[0, "quadrant"] == "manage closely"
