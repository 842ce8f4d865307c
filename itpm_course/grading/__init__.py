"""Hidden-test entry points for the nbgrader assignments: ``check(key, answer)`` → points.

A hidden test cell in ``solutions/`` is only a call::

    from importlib import reload
    import itpm_course.grading as grading
    reload(grading).check("scheduling.critical_path", critical_path)

``check`` returns the points earned (a float: nbgrader reads it as partial credit) and prints a
line of feedback, or raises :class:`AssertionError` with a message for the learner when the
answer earns nothing. The expected answers live here, never in a notebook, so neither the
released notebook nor the feedback shows them.

Tampering: a submission runs in the same kernel as its hidden tests, so grading trusts nothing
the notebook may have changed.

* ``reload(grading)`` re-executes this file, so a notebook that replaced ``check`` (or anything
  else defined here) gets the original back; one that swapped the module for a fake makes
  ``reload`` fail, and the test with it.
* :func:`check` grades with *fresh copies* of every ``itpm_course`` module, imported from disk
  while the notebook's copies (patched or not) are set aside, and puts the notebook's copies
  back afterwards. Redefining ``pm.schedule``, ``validation.score`` or a checker in the
  notebook does not change what grading computes.
* The answer is turned into plain data first (numbers, strings, lists, dicts; a plan as its
  YAML structure) and parsed again by the fresh code, so an object that claims to equal
  everything is just an unsupported answer.

What this cannot stop: code that patches the standard library or the interpreter, or rewrites
the installed package files on disk. Run autograding in an environment where the package
directory is read-only to the kernel (nbgrader's usual advice) if that matters.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__all__ = ["all_points", "check", "max_points"]

_PKG = "itpm_course"


def _ours(name: str) -> bool:
    return name == _PKG or name.startswith(_PKG + ".")


def _with_fresh_package(run: Any) -> Any:
    """Call ``run(questions_module)`` with fresh ``itpm_course`` modules in ``sys.modules``.

    The notebook's module objects are set aside for the duration (so lazy imports inside the
    grading code also get fresh copies) and restored afterwards, untouched.
    """
    saved = {name: module for name, module in list(sys.modules.items()) if _ours(name)}
    for name in saved:
        del sys.modules[name]
    try:
        importlib.invalidate_caches()
        return run(importlib.import_module(f"{_PKG}.grading.questions"))
    finally:
        for name in [n for n in list(sys.modules) if _ours(n)]:
            del sys.modules[name]
        sys.modules.update(saved)


def check(key: str, answer: Any) -> float:
    """Grade ``answer`` for question ``key``; return the points earned, or raise AssertionError.

    Full or partial credit returns the points (and prints what was right and what was not);
    no credit raises :class:`AssertionError` whose message says what to look at.
    """
    outcome = _with_fresh_package(lambda q: q.grade(key, answer))
    points, max_pts, message = outcome
    if points <= 0:
        raise AssertionError(message) from None
    status = "Full marks" if points >= max_pts - 1e-9 else "Partial credit"
    print(f"{status}: {points:g} / {max_pts:g}. {message}")
    return float(points)


def max_points(key: str) -> float:
    """The points question ``key`` is worth (what its nbgrader cell's ``points`` must say)."""
    return _with_fresh_package(lambda q: q.get(key).points)


def all_points() -> dict[str, float]:
    """Every graded question's key and points, in assignment order (a name unlike the
    ``questions`` submodule, which an import would set as this package's attribute)."""
    return _with_fresh_package(lambda q: {k: v.points for k, v in q.all_questions().items()})
