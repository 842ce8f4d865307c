"""The plan checker: edit a plan's YAML or pick a rubric, and the findings and score follow.

Thin by design: the text is read with the plan reader, :func:`itpm_course.validation.check_plan`
checks it (the checker behind ``itpm-course plan check`` and the graded assignments), and
:func:`itpm_course.capstone.report_html` shows the result.

For tests (no browser needed)::

    checker = plan_checker(plan)
    checker.rubric.value = "scheduling"
    checker.text.value = new_yaml
    checker.report.result.score, checker.message
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import yaml

from itpm_course.capstone import CapstoneWorkbook, capstone_rubric, report_html
from itpm_course.errors import PlanError
from itpm_course.plan.model import ProjectPlan
from itpm_course.validation import CheckReport, check_plan, load_rubrics

__all__ = ["PlanChecker", "plan_checker"]


class PlanChecker(widgets.VBox):
    """A YAML editor and a rubric picker over the plan validator.

    Attributes: ``plan`` (the last plan that could be read), ``report`` (its
    :class:`~itpm_course.validation.CheckReport`), ``message`` (the score line, or why the
    text could not be read), ``error`` (None or that reason); controls ``text`` (Textarea,
    applied when it loses focus), ``rubric`` (Dropdown), ``check_button``; output ``output``
    (HTML). A ``raci:`` key in the YAML (``{deliverable: {role: letters}}``) is passed to the
    RACI rules. On ``capstone`` a plan without a RACI earns no stakeholder points, as in the
    graded assignment.
    """

    def __init__(
        self,
        plan: ProjectPlan | CapstoneWorkbook | Mapping[str, Any] | str,
        *,
        rubric: str = "capstone",
        raci: Mapping[str, Mapping[str, str]] | None = None,
        seed: int = 0,
        iterations: int = 2000,
    ) -> None:
        if isinstance(plan, CapstoneWorkbook):
            raci = raci or (plan.raci.to_mapping() if plan.raci is not None else None)
            plan = plan.to_dict()
        elif isinstance(plan, ProjectPlan):
            plan = plan.to_dict()
        if isinstance(plan, Mapping):
            data = dict(plan)
            if raci is not None:
                data["raci"] = {d: dict(r) for d, r in raci.items()}
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        else:
            text = str(plan)
        self.seed = seed
        self.iterations = iterations
        self.plan: ProjectPlan | None = None
        self.raci: dict[str, dict[str, str]] | None = None
        self.report: CheckReport | None = None
        self.error: str | None = None
        self.message = ""
        names = list(load_rubrics())
        if rubric not in names:
            raise ValueError(f"unknown rubric {rubric!r}; choose one of {', '.join(names)}")
        self.text = widgets.Textarea(
            value=text,
            continuous_update=False,
            layout=widgets.Layout(width="100%", height="260px"),
        )
        self.rubric = widgets.Dropdown(options=names, value=rubric, description="Rubric")
        self.check_button = widgets.Button(description="Check", icon="check")
        self.output = widgets.HTML()
        self.text.observe(lambda _change: self.run(), names="value")
        self.rubric.observe(lambda _change: self.run(), names="value")
        self.check_button.on_click(lambda _button: self.run())
        super().__init__([widgets.HBox([self.rubric, self.check_button]), self.text, self.output])
        self.run()

    def run(self) -> CheckReport | None:
        """Read the text, check it on the chosen rubric and show the result."""
        try:
            plan, raci = _read(self.text.value)
        except (PlanError, ValueError, yaml.YAMLError) as exc:
            self.error = f"The plan could not be read: {exc}"
            self.message = self.error
            self.output.value = (
                "<div style='padding:4px 8px;border-left:4px solid #c62828;"
                f"background:#ffebee;white-space:pre-wrap'>⚠ {html.escape(self.error)}"
                + (" (still showing the last plan that could be read)" if self.report else "")
                + "</div>"
                + (self._html() if self.report else "")
            )
            return None
        rubric = capstone_rubric() if self.rubric.value == "capstone" else self.rubric.value
        self.plan, self.raci, self.error = plan, raci, None
        self.report = check_plan(
            plan, rubric, raci=raci, seed=self.seed, iterations=self.iterations
        )
        res = self.report.result
        errors = sum(f.severity == "error" for f in self.report.findings)
        warnings = sum(f.severity == "warning" for f in self.report.findings)
        self.message = (
            f"{res.title}: {res.score:g}/{res.max_score:g}; {errors} errors, {warnings} warnings"
        )
        self.output.value = self._html()
        return self.report

    def _html(self) -> str:
        assert self.report is not None
        return report_html(self.report)


def _read(text: str) -> tuple[ProjectPlan, dict[str, dict[str, str]] | None]:
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping):
        raise ValueError("expected a YAML mapping with name, start and tasks at the top level")
    data = dict(data)
    raci = data.pop("raci", None)
    if raci is not None and (
        not isinstance(raci, Mapping) or not all(isinstance(r, Mapping) for r in raci.values())
    ):
        raise ValueError("'raci' must map each deliverable to {role: letters}")
    plan = ProjectPlan.from_dict(data)
    return plan, (
        {str(d): {str(k): str(v) for k, v in r.items()} for d, r in raci.items()} if raci else None
    )


def plan_checker(
    plan: ProjectPlan | CapstoneWorkbook | Mapping[str, Any] | str,
    *,
    rubric: str = "capstone",
    raci: Mapping[str, Mapping[str, str]] | None = None,
) -> PlanChecker:
    """A live plan checker for ``plan`` (see :class:`PlanChecker`)."""
    return PlanChecker(plan, rubric=rubric, raci=raci)
