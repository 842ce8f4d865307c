"""The self-check framework: exercises declared as data plus a small check function.

A notebook does ``from itpm_course.exercises.planning import q1`` and then ``q1.check(answer)``,
``q1.hint()`` and ``q1.solution()``.  A check function receives the learner's answer and
either returns (correct) or raises :class:`Incorrect` with a specific, friendly message and,
where one applies, the id of the *misconception* the answer reveals.  Any other error in the
learner's answer is turned into feedback too: a learner never sees a traceback.

The same :meth:`Exercise.evaluate` is pure (no display, no recording), so nbgrader's hidden
tests and the CLI can grade with exactly the checker learners use.
"""

from __future__ import annotations

import html
import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MISSING = object()


@dataclass(frozen=True)
class Misconception:
    """A named wrong idea, with what is actually true."""

    id: str
    name: str
    explanation: str


class Incorrect(Exception):
    """Raised by a check function: the answer is wrong, ``message`` says how specifically."""

    def __init__(self, message: str, misconception: str | None = None, score: float = 0.0):
        super().__init__(message)
        self.message = message
        self.misconception = misconception
        self.score = score


class NotAnswered(Exception):
    """Raised by a check function when the learner has not attempted the exercise yet."""


@dataclass(frozen=True)
class Feedback:
    """The outcome of checking one answer; renders as a coloured box in Jupyter."""

    exercise: str
    status: str  # "correct", "incorrect", "unanswered" or "error"
    message: str
    misconception: Misconception | None = None
    score: float = 0.0
    hints_used: int = 0

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = {
            "correct": "✔",
            "incorrect": "✘ Not yet:",
            "unanswered": "… Not answered yet:",
            "error": "⚠ Check failed:",
        }
        text = f"{head[self.status]} {self.message}"
        if self.misconception:
            text += f"\nThis looks like the misconception '{self.misconception.name}': {self.misconception.explanation}"
        return text

    def _repr_html_(self) -> str:
        colours = {
            "correct": ("#e8f5e9", "#2e7d32", "✔"),
            "incorrect": ("#fff3e0", "#e65100", "✘ Not yet"),
            "unanswered": ("#e3f2fd", "#1565c0", "… Not answered yet"),
            "error": ("#ffebee", "#c62828", "⚠ Your answer could not be checked"),
        }
        bg, fg, head = colours[self.status]
        sep = " " if self.status == "correct" else " — "
        body = f"<b style='color:{fg}'>{head}</b>{sep}{html.escape(self.message)}"
        if self.misconception:
            body += (
                f"<br><span style='color:{fg}'>This looks like the misconception "
                f"<i>{html.escape(self.misconception.name)}</i>:</span> {html.escape(self.misconception.explanation)}"
            )
        return (
            f"<div class='itpm-feedback itpm-{self.status}' style='background:{bg};border-left:4px solid {fg};"
            f"padding:6px 10px;margin:4px 0'>{body}</div>"
        )

    def __repr__(self) -> str:
        return str(self)


class Note(str):
    """A hint or solution text that renders as Markdown in Jupyter and as plain text elsewhere."""

    def _repr_markdown_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return str(self)


Recorder = Callable[[str, Feedback, float], None]
_recorders: list[Recorder] = []


def add_recorder(recorder: Recorder) -> None:
    """Register a callback ``recorder(exercise_id, feedback, seconds)`` called after every check."""
    _recorders.append(recorder)


def remove_recorder(recorder: Recorder) -> None:
    """Unregister a callback added with :func:`add_recorder`."""
    if recorder in _recorders:
        _recorders.remove(recorder)


@dataclass
class Exercise:
    """One self-check: a prompt, a check function, a ladder of hints and a solution.

    ``var`` names the notebook variable that holds the answer, so ``check()`` without an
    argument reads it from the notebook; ``check(value)`` checks ``value`` directly.
    """

    id: str
    prompt: str
    check_fn: Callable[[Any], str | None]
    hints: Sequence[str] = ()
    solution_text: str = ""
    var: str | None = None
    misconceptions: Mapping[str, Misconception] = field(default_factory=dict)
    _hints_shown: int = field(default=0, init=False, repr=False)
    _solution_shown: bool = field(default=False, init=False, repr=False)
    _created: float = field(default_factory=time.monotonic, init=False, repr=False)

    def evaluate(self, answer: Any) -> Feedback:
        """Check ``answer`` and return :class:`Feedback`; never raises for a wrong or broken answer."""
        if answer is MISSING or answer is None or answer is Ellipsis:
            return Feedback(
                self.id, "unanswered", self._unanswered_message(), hints_used=self._hints_shown
            )
        try:
            note = self.check_fn(answer)
        except NotAnswered as exc:
            return Feedback(
                self.id,
                "unanswered",
                str(exc) or self._unanswered_message(),
                hints_used=self._hints_shown,
            )
        except Incorrect as exc:
            misc = self.misconceptions.get(exc.misconception) if exc.misconception else None
            return Feedback(self.id, "incorrect", exc.message, misc, exc.score, self._hints_shown)
        except Exception as exc:  # noqa: BLE001 - any error in a learner's answer becomes feedback
            return Feedback(
                self.id,
                "error",
                f"checking your answer raised {type(exc).__name__}: {exc}. "
                "Look at the type and shape the question asks for.",
                hints_used=self._hints_shown,
            )
        if self._solution_shown:
            praise = "Correct (after viewing the solution — try the next one without it)."
        elif self._hints_shown == 0:
            praise = "Correct, and without hints — well done!"
        else:
            praise = (
                f"Correct, with {self._hints_shown} hint{'s' if self._hints_shown > 1 else ''}."
            )
        message = praise + (f" {note}" if note else "")
        return Feedback(self.id, "correct", message, score=1.0, hints_used=self._hints_shown)

    def check(self, answer: Any = MISSING) -> Feedback:
        """Check the answer (or the notebook variable ``var``), record the result and return feedback."""
        if answer is MISSING and self.var:
            answer = _lookup(self.var)
        feedback = self.evaluate(answer)
        elapsed = time.monotonic() - self._created
        for recorder in list(_recorders):
            try:
                recorder(self.id, feedback, elapsed)
            except Exception:  # noqa: BLE001, S110 - progress recording must never break a lesson
                pass
        return feedback

    def hint(self, n: int | None = None) -> Note:
        """The next hint in the ladder (or hint number ``n``, counting from 1)."""
        if not self.hints:
            return Note(
                "There is no hint for this one: re-read the explanation above the exercise."
            )
        if n is None:
            self._hints_shown = min(self._hints_shown + 1, len(self.hints))
            n = self._hints_shown
        else:
            n = max(1, min(n, len(self.hints)))
            self._hints_shown = max(self._hints_shown, n)
        more = (
            f" (call `.hint()` again for hint {n + 1} of {len(self.hints)})"
            if n < len(self.hints)
            else ""
        )
        return Note(f"**Hint {n} of {len(self.hints)}:** {self.hints[n - 1]}{more}")

    def solution(self) -> Note:
        """The worked solution."""
        self._solution_shown = True
        return Note(f"**Solution:** {self.solution_text}")

    def _unanswered_message(self) -> str:
        target = (
            f"set `{self.var}` and run the check again"
            if self.var
            else "pass your answer to `.check(...)`"
        )
        return f"{target[0].upper()}{target[1:]}. {self.prompt}"

    def __repr__(self) -> str:
        return f"<Exercise {self.id}: {self.prompt}>"

    def _repr_markdown_(self) -> str:
        return (
            f"**Exercise {self.id}.** {self.prompt}\n\nUse `.check()`, `.hint()` and `.solution()`."
        )


def _lookup(name: str) -> Any:
    """The value of ``name`` in the notebook (IPython user namespace) or the calling module."""
    try:
        from IPython import get_ipython  # noqa: PLC0415

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        shell = None
    if shell is not None and name in shell.user_ns:
        return shell.user_ns[name]
    frame = inspect.currentframe()
    try:
        while frame is not None:
            if frame.f_globals.get("__name__") not in (__name__,) and name in frame.f_globals:
                return frame.f_globals[name]
            frame = frame.f_back
    finally:
        del frame
    return MISSING


def close_enough(value: Any, expected: float, tol: float = 1e-6) -> bool:
    """True when ``value`` is a number within ``tol`` of ``expected``."""
    try:
        return abs(float(value) - expected) <= tol
    except (TypeError, ValueError):
        return False


def as_number(value: Any, what: str) -> float:
    """``value`` as a float, or :class:`Incorrect` explaining that a number was expected."""
    if isinstance(value, bool):
        raise Incorrect(f"{what} should be a number, not {value!r}.")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Incorrect(
            f"{what} should be a number, but you gave {value!r} ({type(value).__name__})."
        ) from None
