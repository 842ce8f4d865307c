"""Sample project plans shipped with the package, for the notebooks and exercises.

    from itpm_course.data import sample_plan, sample_path
    plan = sample_plan()                         # server_migration.yaml: the whole plan
    table = sample_path("server_migration.csv")  # the task table alone

Files live next to this module and are found with :mod:`importlib.resources`, so they work
from a clone and from an installed wheel alike.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from itpm_course.plan import ProjectPlan, load_plan

__all__ = ["SAMPLE_PLANS", "sample_names", "sample_path", "sample_plan", "sample_register"]

# The sample plans (other files here are registers and tool exports). A plan NAME may come
# with a risk register in ``risks_NAME.csv``.
SAMPLE_PLANS = ("server_migration",)

# Without an extension, a name means the first of these that exists: the whole-plan formats
# (with start date, deadline and calendar) come before the bare task table.
_PREFERRED = (".yaml", ".yml", ".json", ".xlsx", ".csv")
_SUFFIXES = frozenset(_PREFERRED)


def _files():
    return resources.files(__name__)


def sample_names() -> list[str]:
    """The sample plans available, by name without extension (e.g. ``server_migration``)."""
    present = {
        Path(entry.name).stem
        for entry in _files().iterdir()
        if Path(entry.name).suffix in _SUFFIXES
    }
    return sorted(name for name in SAMPLE_PLANS if name in present)


def sample_path(name: str = "server_migration") -> Path:
    """The path of a sample plan file.

    ``name`` is a file name (``"server_migration.csv"``) or a plan name without extension,
    which picks the whole-plan YAML over the CSV task table. Raises :class:`FileNotFoundError`
    naming the available samples if there is no such file.
    """
    root = _files()
    candidates = [name] if Path(name).suffix else [name + suffix for suffix in _PREFERRED]
    for candidate in candidates:
        entry = root / candidate
        if entry.is_file():
            return Path(str(entry))
    raise FileNotFoundError(
        f"no sample plan {name!r}; available: {', '.join(sample_names()) or 'none'}"
    )


def sample_plan(
    name: str = "server_migration", *, risks: bool = False, **options: Any
) -> ProjectPlan:
    """Load a sample plan (see :func:`sample_path` for ``name``); ``risks=True`` attaches its register.

    ``options`` go to :func:`itpm_course.load_plan` (for a CSV task table: ``start``,
    ``name``, ``deadline``, ``budget``).
    """
    with resources.as_file(_files() / sample_path(name).name) as path:
        plan = load_plan(path, **options)
    if risks:
        plan = plan.replace(risks=sample_register(Path(name).stem))
    return plan


def sample_register(name: str = "server_migration"):
    """The sample risk register of plan ``name`` (file ``risks_NAME.csv``)."""
    from itpm_course.plan.risks import load_register  # noqa: PLC0415

    with resources.as_file(_files() / sample_path(f"risks_{name}.csv").name) as path:
        return load_register(path)
