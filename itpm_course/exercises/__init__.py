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

# Inside a learner workspace (set up by `itpm-course start`), record self-check results for
# `itpm-course progress`. Outside one this does nothing; recording can never break a lesson.
from itpm_course.progress import install as _install_progress  # noqa: E402

_install_progress()
