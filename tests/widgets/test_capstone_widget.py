"""The plan checker widget, driven by its controls."""

from __future__ import annotations

import yaml

from itpm_course.data import sample_plan
from itpm_course.widgets.capstone import PlanChecker, plan_checker
from tests.test_capstone import RACI, build


def test_checker_shows_score_and_findings_for_a_workbook():
    wb = build("stakeholders")
    checker = plan_checker(wb)
    assert isinstance(checker, PlanChecker)
    assert checker.raci == RACI
    assert checker.report.result.score == wb.check().score
    assert checker.message.startswith("Capstone project plan: 72/72")
    assert "Rubric" in checker.output.value


def test_editing_the_yaml_updates_findings_live():
    checker = plan_checker(build("stakeholders"))
    data = yaml.safe_load(checker.text.value)
    data["tasks"][1].pop("owner")
    checker.text.value = yaml.safe_dump(data, sort_keys=False)
    assert any(f.code == "WBS005" for f in checker.report.findings)
    assert "1 errors" in checker.message
    assert "WBS005" in checker.output.value


def test_switching_rubric_rescores_the_same_plan():
    checker = plan_checker(sample_plan("server_migration"), rubric="capstone")
    capstone = checker.report.result.max_score
    checker.rubric.value = "scheduling"
    assert checker.report.result.rubric == "scheduling"
    assert checker.report.result.max_score != capstone


def test_unreadable_text_keeps_the_last_report_and_says_why():
    checker = plan_checker(build("schedule"))
    good = checker.report
    checker.text.value = "name: x\ntasks: [oops"
    assert checker.error and checker.report is good
    assert "could not be read" in checker.output.value
    checker.text.value = "just text"
    assert "mapping" in checker.error
    checker.text.value = "name: x\nstart: '2026-01-05'\ntasks: [{id: A, duration: 2}]\nraci: [1]"
    assert "raci" in checker.error


def test_check_button_and_raci_key_in_yaml():
    text = (
        "name: x\nstart: '2026-01-05'\ntasks: [{id: A, duration: 2, wbs: '1', owner: Ann}]\n"
        "raci: {A: {Ann: A, Bob: A}}\n"
    )
    checker = plan_checker(text)
    assert any(f.code == "STK001" for f in checker.report.findings)
    checker.check_button.click()
    assert checker.report is not None
