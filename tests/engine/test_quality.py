"""Quality metrics, definition of done and compliance scoring: hand-worked values and bad input."""

from __future__ import annotations

import pytest

from itpm_course.engine.quality import (
    acceptance_coverage,
    assess_compliance,
    check_done,
    defect_density,
    defect_escape_rate,
    definition_of_done,
    test_pass_rate,
)


def test_metrics_hand_worked():
    assert defect_density(30, 12_000) == pytest.approx(2.5)  # per KLOC
    assert defect_density(6, 120, per=100) == pytest.approx(5.0)  # per 100 function points
    assert defect_escape_rate(4, 46) == pytest.approx(0.08)
    assert test_pass_rate(188, 12) == pytest.approx(0.94)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: defect_density(3, 0), "size must be > 0"),
        (lambda: defect_density(-1, 10), "defects must be >= 0"),
        (lambda: defect_escape_rate(0, 0), "undefined"),
        (lambda: test_pass_rate(0, 0), "no tests were executed"),
        (lambda: test_pass_rate("10", 1), "must be a number"),
    ],
)
def test_metric_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_acceptance_coverage():
    cov = acceptance_coverage(
        ["R1", "R2", "R3", "R4"], {"R1": ["login works"], "R2": ["", " "], "R3": ["T-7"]}
    )
    assert (cov.covered, cov.total, cov.uncovered) == (2, 4, ("R2", "R4"))
    assert cov.share == 0.5
    with pytest.raises(ValueError, match="unknown requirement"):
        acceptance_coverage(["R1"], {"R9": ["x"]})


def test_definition_of_done():
    dod = definition_of_done()
    assert "tests_pass" in dod
    done = check_done("Story 12", dict.fromkeys(dod, True))
    assert done.done and str(done) == "Story 12: done"
    partial = check_done("Story 13", {"tests_pass": True, "code_reviewd": True})
    assert not partial.done
    assert "code_reviewed" in partial.missing and partial.unknown == ("code_reviewd",)


def test_compliance_scoring():
    result = assess_compliance("GDPR", {"GDPR-1": "met", "GDPR-2": "partial", "GDPR-10": "n/a"})
    # 9 applicable items: 1 met + 0.5 partial
    assert result.score == pytest.approx(1.5 / 9)
    assert "GDPR-2" in result.gaps and "GDPR-1" not in result.gaps and "GDPR-10" not in result.gaps
    with pytest.raises(ValueError, match="unknown checklist item"):
        assess_compliance("HIPAA", {"GDPR-1": "met"})
    with pytest.raises(ValueError, match="must be one of"):
        assess_compliance("HIPAA", {"HIPAA-1": "yes"})
    with pytest.raises(ValueError, match="unknown compliance framework"):
        assess_compliance("SOX")
