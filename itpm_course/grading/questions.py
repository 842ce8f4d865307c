"""The graded questions: a registry of checkers over plain data, and the answer-to-data step.

Each assignment module (``career``, ``scheduling``, ``risk``, ``performance``, ``capstone``)
registers its questions with :func:`question`. A checker receives the learner's answer as
plain data (see :func:`to_data`) and returns a :class:`Mark`: the share of the points earned
and a message for the learner. It raises :class:`~itpm_course.exercises.core.Incorrect` for
an answer that earns nothing, the same way the notebooks' self-checks do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from itpm_course.exercises.core import Incorrect


@dataclass(frozen=True)
class Mark:
    """A checker's verdict: ``share`` of the points (0–1) and feedback for the learner."""

    share: float
    message: str


@dataclass(frozen=True)
class Question:
    key: str
    points: float
    checker: Callable[[Any], Mark]
    prompt: str


QUESTIONS: dict[str, Question] = {}
#: The graded assignments, in course order (one module here each).
ASSIGNMENTS = ("career", "scheduling", "risk", "performance", "capstone")


def _load(assignment: str) -> None:
    """Import (so register) the questions of one assignment module."""
    importlib.import_module(f"{__package__}.{assignment}")


def get(key: str) -> Question:
    """Question ``key`` (``assignment.name``), importing only that assignment's module.

    A hidden test grades one question with freshly imported modules, so importing the other
    assignments (and the rubrics they read at import) each time would only cost time.
    """
    assignment = key.split(".", 1)[0]
    if key not in QUESTIONS and assignment in ASSIGNMENTS:
        _load(assignment)
    if key not in QUESTIONS:
        raise KeyError(f"no graded question {key!r}")
    return QUESTIONS[key]


def all_questions() -> dict[str, Question]:
    """Every graded question, in assignment order (each assignment's in its module's order)."""
    for name in ASSIGNMENTS:
        _load(name)
    return {k: q for name in ASSIGNMENTS for k, q in QUESTIONS.items() if k.split(".")[0] == name}


def question(key: str, points: float, prompt: str) -> Callable:
    """Register the decorated checker as graded question ``key`` worth ``points``."""

    def register(fn: Callable[[Any], Mark]) -> Callable[[Any], Mark]:
        if key in QUESTIONS:
            raise ValueError(f"duplicate graded question {key!r}")
        QUESTIONS[key] = Question(key, float(points), fn, prompt)
        return fn

    return register


class UnsupportedAnswer(TypeError):
    """The answer holds an object grading cannot turn into plain data."""


def to_data(value: Any, _depth: int = 0) -> Any:
    """The answer as plain JSON-able data, built without trusting the answer's own methods.

    Numbers, strings, booleans and None stay; numpy scalars and arrays, tuples and sets become
    numbers and lists (sets sorted); mappings and pandas Series become dicts with string keys;
    DataFrames become lists of records; dates become ISO strings. Course objects become their
    plain-data form: a plan is its YAML structure, a risk register a list of risks, any other
    dataclass (CareerProfile, CertProfile, EVMetrics...) a dict of its fields.
    """
    if _depth > 50:
        raise UnsupportedAnswer("the answer is nested too deeply")
    if value is None or isinstance(value, bool):
        return value if value is None else value is True
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, dt.datetime | dt.date):
        return dt.date(value.year, value.month, value.day).isoformat()
    kind = type(value).__name__
    module = type(value).__module__ or ""
    if module.startswith("numpy"):
        import numpy as np  # noqa: PLC0415

        if isinstance(value, np.generic):
            return to_data(value.item(), _depth + 1)
        if isinstance(value, np.ndarray):
            return [to_data(v, _depth + 1) for v in value.tolist()]
    if module.startswith("pandas"):
        import pandas as pd  # noqa: PLC0415

        if isinstance(value, pd.Series):
            return {str(k): to_data(v, _depth + 1) for k, v in value.items()}
        if isinstance(value, pd.DataFrame):
            frame = value.reset_index() if value.index.name else value
            return [to_data(dict(r), _depth + 1) for r in frame.to_dict("records")]
    if module.startswith("itpm_course") and kind == "ProjectPlan":
        from itpm_course.plan.model import ProjectPlan  # noqa: PLC0415 (the fresh copy)

        return {"__type__": "ProjectPlan", "plan": to_data(ProjectPlan.to_dict(value), _depth + 1)}
    if module.startswith("itpm_course") and kind == "RiskRegister":
        from itpm_course.plan.risks import Risk  # noqa: PLC0415

        return {"__type__": "RiskRegister", "risks": [to_data(Risk.to_dict(r)) for r in value]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {
            f.name: to_data(getattr(value, f.name), _depth + 1) for f in dataclasses.fields(value)
        }
        return {"__type__": kind, **out}
    if isinstance(value, Mapping):
        return {str(to_data(k, _depth + 1)): to_data(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v, _depth + 1) for v in value]
    if isinstance(value, set | frozenset):
        items = [to_data(v, _depth + 1) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    raise UnsupportedAnswer(
        f"grading cannot read an answer of type {kind}; give plain numbers, strings, lists "
        "and dicts (or the course object the question asks for)"
    )


def grade(key: str, answer: Any) -> tuple[float, float, str]:
    """Points earned, points possible and the message for question ``key``."""
    q = get(key)
    if answer is None or answer is Ellipsis:
        return 0.0, q.points, f"Not answered yet: {q.prompt}"
    try:
        data = json.loads(json.dumps(to_data(answer), allow_nan=True))
    except (UnsupportedAnswer, ValueError, TypeError, RecursionError) as exc:
        return 0.0, q.points, f"Your answer could not be read: {exc}. {q.prompt}"
    try:
        mark = q.checker(data)
    except Incorrect as exc:
        share = exc.score if 0 < exc.score < 1 else 0.0
        return round(q.points * share, 2), q.points, exc.message
    except Exception as exc:  # noqa: BLE001 - a malformed answer is feedback, not a crash
        return (
            0.0,
            q.points,
            f"Checking your answer failed with {type(exc).__name__}: {exc}. {q.prompt}",
        )
    share = min(1.0, max(0.0, float(mark.share)))
    return round(q.points * share, 2), q.points, mark.message


# ------------------------------------------------------------------ helpers for the checkers
def number(value: Any, what: str) -> float:
    """``value`` as a finite float, or Incorrect saying a number was expected."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Incorrect(f"{what} should be a number, but it is {value!r}.")
    if not math.isfinite(value):
        raise Incorrect(f"{what} should be a finite number, not {value!r}.")
    return float(value)


def mapping(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict) and value.get("__type__") is None:
        return value
    raise Incorrect(f"{what} should be a dict, but it is a {type(value).__name__}.")


def id_list(value: Any, what: str) -> list[str]:
    """A list of ids (strings), or Incorrect."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Incorrect(f"{what} should be a list of ids such as ['A', 'B'], got {value!r}.")
    return [v.strip() for v in value]


def near(value: float, expected: float, rel: float = 0.0, abs_: float = 0.0) -> bool:
    return abs(value - expected) <= max(abs_, rel * abs(expected))


def combine(parts: list[tuple[float, bool, str]], ok_text: str) -> Mark:
    """A Mark from weighted parts ``(weight, passed, message if not)``."""
    total = sum(w for w, _, _ in parts)
    earned = sum(w for w, ok, _ in parts if ok)
    problems = [msg for _, ok, msg in parts if not ok]
    if not problems:
        return Mark(1.0, ok_text)
    if earned == 0:
        raise Incorrect(" ".join(problems))
    return Mark(earned / total, " ".join(problems))


def plan_from_answer(data: Any, what: str = "plan"):
    """A fresh ProjectPlan from the answer data (a plan object or its YAML structure)."""
    from itpm_course.errors import PlanError  # noqa: PLC0415
    from itpm_course.plan.io import plan_from_dict  # noqa: PLC0415

    if isinstance(data, dict) and data.get("__type__") == "ProjectPlan":
        data = data["plan"]
    if not isinstance(data, dict) or "tasks" not in data:
        raise Incorrect(f"`{what}` should be a ProjectPlan (or its YAML structure as a dict).")
    try:
        return plan_from_dict(data, source=what)
    except PlanError as exc:
        raise Incorrect(f"`{what}` is not a valid plan: {exc}") from None


def register_from_answer(data: Any, what: str = "register"):
    """A fresh RiskRegister from the answer data (a register or a list of risk dicts)."""
    from itpm_course.errors import PlanError  # noqa: PLC0415
    from itpm_course.plan.risks import register_from_dict  # noqa: PLC0415

    if isinstance(data, dict) and data.get("__type__") == "RiskRegister":
        data = data["risks"]
    if not isinstance(data, list):
        raise Incorrect(f"`{what}` should be a RiskRegister (or a list of risk dicts).")
    try:
        return register_from_dict(data, source=what)
    except PlanError as exc:
        raise Incorrect(f"`{what}` is not a valid risk register: {exc}") from None
