"""itpm-course: a hands-on Jupyter course for IT project managers.

The public API for notebooks and scripts::

    import itpm_course as pm
    plan = pm.load_plan("plan.csv")
    result = pm.schedule(plan)
    result.to_frame()
    pm.simulate(plan, iterations=10_000, seed=1).percentiles

Names are imported on first use, so ``import itpm_course`` (and the command line) starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Calendar": "itpm_course.plan.model",
    "Link": "itpm_course.plan.model",
    "ProjectPlan": "itpm_course.plan.model",
    "Task": "itpm_course.plan.model",
    "PlanError": "itpm_course.errors",
    "Problem": "itpm_course.errors",
    "load_plan": "itpm_course.plan.io",
    "save_plan": "itpm_course.plan.io",
    "Risk": "itpm_course.plan.risks",
    "RiskRegister": "itpm_course.plan.risks",
    "load_register": "itpm_course.plan.risks",
    "save_register": "itpm_course.plan.risks",
    "Schedule": "itpm_course.engine.schedule",
    "schedule": "itpm_course.engine.schedule",
    "SimulationResult": "itpm_course.engine.montecarlo",
    "simulate": "itpm_course.engine.montecarlo",
    "PIMatrix": "itpm_course.engine.risk",
    "register_report": "itpm_course.engine.risk",
    "score_register": "itpm_course.engine.risk",
    "gantt_chart": "itpm_course.charts.gantt",
    "sample_plan": "itpm_course.data",
}

__all__ = [
    "Calendar",
    "Link",
    "PIMatrix",
    "PlanError",
    "Problem",
    "ProjectPlan",
    "Risk",
    "RiskRegister",
    "Schedule",
    "SimulationResult",
    "Task",
    "__version__",
    "gantt_chart",
    "load_plan",
    "load_register",
    "register_report",
    "sample_plan",
    "save_plan",
    "save_register",
    "schedule",
    "score_register",
    "simulate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'itpm_course' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from itpm_course.charts.gantt import gantt_chart
    from itpm_course.data import sample_plan
    from itpm_course.engine.montecarlo import SimulationResult, simulate
    from itpm_course.engine.risk import PIMatrix, register_report, score_register
    from itpm_course.engine.schedule import Schedule, schedule
    from itpm_course.errors import PlanError, Problem
    from itpm_course.plan.io import load_plan, save_plan
    from itpm_course.plan.model import Calendar, Link, ProjectPlan, Task
    from itpm_course.plan.risks import Risk, RiskRegister, load_register, save_register
