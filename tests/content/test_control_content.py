"""Change, quality, compliance and closure content: complete, referenced, loadable."""

from __future__ import annotations

import pytest

from itpm_course.content import control


def test_change_process_and_decisions():
    steps = control.load_change_process()
    assert list(steps["id"]) == ["submit", "log", "analyse", "decide", "implement", "verify"]
    assert set(control.load_change_decisions()["id"]) == {
        "approve",
        "approve with conditions",
        "defer",
        "reject",
    }
    assert any("Sponsor" in r for r in control.load_ccb_roles()["role"])
    assert control.load_scope_creep_causes()


def test_compliance_items_are_referenced_and_short():
    items = control.load_compliance()
    assert set(items["framework"]) == {"GDPR", "HIPAA", "ISO27001", "ISO9001"}
    assert items["id"].is_unique
    assert items["reference"].str.len().gt(0).all()
    assert items["requirement"].str.len().lt(160).all()
    assert control.load_compliance("iso 9001")["id"].str.startswith("ISO9001").all()
    assert "Art. 33" in set(control.load_compliance("GDPR")["reference"])
    assert "not legal advice" in control.compliance_disclaimer()
    with pytest.raises(ValueError, match="unknown compliance framework"):
        control.load_compliance("PCI")


def test_quality_and_closure_tables():
    assert set(control.load_qa_vs_qc().columns) == {"aspect", "qa", "qc"}
    assert {"defect_density", "defect_escape_rate", "test_pass_rate"} <= set(
        control.load_quality_metrics()["id"]
    )
    assert len(control.load_definition_of_done()) >= 5
    assert control.load_lesson_kinds() == ["went well", "improve"]
    assert "lessons" not in control.load_lesson_categories()["id"].tolist()
    assert control.load_review_sections()["id"].iloc[-1] == "signoff"


def test_loaders_return_copies():
    causes = control.load_scope_creep_causes()
    causes.clear()
    assert control.load_scope_creep_causes()
