"""Sub-commands of ``itpm-course``: each module has ``register(subparsers)``.

A command function takes the parsed ``argparse.Namespace`` and returns the exit status.
Raise :class:`CliError` (or :class:`~itpm_course.errors.PlanError`) for bad input: the CLI
prints it on stderr and exits with status 2, never with a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """An error to show the user on stderr, with exit status 2 and no traceback."""


def write_json(data: Any, indent: int | None = None) -> None:
    """Print ``data`` as JSON on stdout (one line unless ``indent``)."""
    # Without indent the C encoder runs: 100,000 tasks serialise in ~0.1 s instead of ~2 s.
    sys.stdout.write(json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


def fmt_number(x: float) -> str:
    """A number for people: integers without decimals, others with up to 6 significant digits."""
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


class LazyChoices:
    """argparse ``choices`` read from a module constant only when needed.

    Building the parser then imports no engine (keeping ``itpm-course plan schedule`` free of
    pandas); the constant is loaded when an argument is checked or help is printed.
    """

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def _values(self) -> tuple[str, ...]:
        import importlib  # noqa: PLC0415

        return tuple(getattr(importlib.import_module(self.module), self.name))

    def __contains__(self, item: object) -> bool:
        return item in self._values()

    def __iter__(self):
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())
