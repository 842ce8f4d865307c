"""itpm-course: a hands-on Jupyter course for IT project managers.

The public API for notebooks and scripts::

    import itpm_course as pm
    plan = pm.load_plan("plan.csv")
    result = pm.schedule(plan)
    result.to_frame()
"""

from itpm_course.engine.montecarlo import SimulationResult, simulate
from itpm_course.engine.schedule import Schedule, schedule
from itpm_course.errors import PlanError, Problem
from itpm_course.plan import Calendar, Link, ProjectPlan, Task, load_plan, save_plan

__version__ = "0.1.0"

__all__ = [
    "Calendar",
    "Link",
    "PlanError",
    "Problem",
    "ProjectPlan",
    "Schedule",
    "SimulationResult",
    "Task",
    "__version__",
    "load_plan",
    "save_plan",
    "schedule",
    "simulate",
]
