"""The project-plan model and its readers and writers."""

from itpm_course.errors import PlanError, Problem
from itpm_course.plan.io import load_plan, plan_from_csv_text, save_plan
from itpm_course.plan.model import Calendar, Link, ProjectPlan, Resource, Task, parse_links
from itpm_course.plan.network import Network
from itpm_course.plan.risks import (
    Risk,
    RiskRegister,
    check_register_against_plan,
    load_register,
    save_register,
)

__all__ = [
    "Calendar",
    "Link",
    "Network",
    "PlanError",
    "Problem",
    "ProjectPlan",
    "Resource",
    "Risk",
    "RiskRegister",
    "check_register_against_plan",
    "load_register",
    "save_register",
    "Task",
    "load_plan",
    "parse_links",
    "plan_from_csv_text",
    "save_plan",
]
