"""Self-check exercises: ``q.check(answer)``, ``q.hint()``, ``q.solution()``."""

from itpm_course.exercises.core import (
    Exercise,
    Feedback,
    Incorrect,
    Misconception,
    NotAnswered,
    add_recorder,
    remove_recorder,
)

__all__ = [
    "Exercise",
    "Feedback",
    "Incorrect",
    "Misconception",
    "NotAnswered",
    "add_recorder",
    "remove_recorder",
]
