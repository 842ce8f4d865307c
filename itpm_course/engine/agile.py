"""Agile delivery metrics and Monte Carlo delivery forecasts.

Three groups of functions, all pure (tables and numbers in, tables and numbers out):

* **Sprints** (a table with ``sprint``, ``committed``, ``completed`` and optionally ``start``,
  ``end``, ``scope``): :func:`velocity` (mean, median, range of the last N sprints),
  :func:`commitment_reliability` (completed / committed), :func:`release_burnup` (cumulative
  done against the scope line) and :func:`sprint_burndown` (remaining points per working day
  of one sprint, from an issue export).
* **Flow**, from an issue-tracker export (:func:`read_issues`: Jira's CSV or a simple table
  with ``key, type, status, created, resolved, story_points, sprint``): :func:`lead_times`,
  :func:`cycle_times` (only when the file has a start column), :func:`weekly_throughput`
  (weeks with nothing finished count as zero), :func:`wip_over_time` and
  :func:`cumulative_flow`.
* **Forecasts** by resampling historical throughput (Magennis; Vacanti, *When Will It Be
  Done?*): :func:`forecast_when` ("when will N items be done?") and :func:`forecast_how_many`
  ("how many items in K periods / by a date?"), each with P50/P85/P95 answers.

Conventions
-----------
* **Days are counted inclusively**, as Vacanti does: an item created and resolved on the same
  day has a lead time of 1 day; ``lead time = (resolved date - created date) + 1`` calendar
  days. Cycle time likewise from the start date. An item counts as work in progress on every
  day from its start day to its finish day, both included, so Little's law (average WIP =
  throughput x average cycle time) holds exactly for items that start and finish inside the
  window.
* **Weeks start on Monday**; a week is labelled by its Monday.
* **Forecast dates**: with ``start`` (the first day of period 1), "done in k periods" means
  done by the *last day* of period k: ``start + k * period_days - 1`` days.
* **Forecast percentiles** are read from the simulated distribution without interpolation:
  P85 of "when" is the smallest number of periods that 85% of the iterations needed at most;
  P85 of "how many" is the largest number of items that 85% of the iterations reached at least.
* **Rows** in error messages are numbered as a spreadsheet shows them: the header is row 1.
  (Errors from :func:`itpm_course.data.exports.read_jira_csv`, used for Jira's own export,
  number issues from 1 after the header; they say so by naming the issue key.)

What a Jira CSV cannot tell: the export has ``Created`` and ``Resolved`` but no status-transition
history, so cycle time and the "in progress" band of a cumulative flow diagram exist only when
the file has a start column (``started``, ``start date``...). Without one, the diagram shows
the honest two bands the data supports, *open* and *done*, and WIP means *open* items.

Memory: the simulation draws throughput in blocks of at most ``_CELL_BUDGET`` numbers and keeps
only a histogram of the outcomes, so 10 million iterations take the memory of a few thousand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from itpm_course.errors import PlanError, Problem

__all__ = [
    "CONFIDENCES",
    "MIN_PERIODS",
    "HowManyForecast",
    "Reliability",
    "Velocity",
    "WhenForecast",
    "agile_sample_path",
    "as_history",
    "commitment_reliability",
    "cumulative_flow",
    "cycle_times",
    "forecast_how_many",
    "forecast_when",
    "lead_times",
    "littles_law",
    "load_history",
    "read_issues",
    "read_sprints",
    "read_throughput",
    "release_burnup",
    "sprint_burndown",
    "summary",
    "has_start_dates",
    "velocity",
    "weekly_throughput",
    "wip_over_time",
]

#: The confidence levels every forecast reports.
CONFIDENCES = (50, 85, 95)
#: Fewer periods of history than this gives a warning in the forecast (not an error).
MIN_PERIODS = 4
DEFAULT_ITERATIONS = 10_000
_CELL_BUDGET = 1_000_000  # numbers drawn per block: ~8 MB per array, a few arrays at a time
_CHUNK = 50_000  # iterations simulated together
_MAX_PERIODS = (
    1_000_000  # "when" gives up beyond this many periods (a history of almost only zeros)
)

_JIRA_DATE_FORMAT = "%d/%b/%y %I:%M %p"  # as itpm_course.data.exports.JIRA_DATE_FORMAT
_DATE_FORMATS = (_JIRA_DATE_FORMAT, "%d/%b/%y")
_DATE_EXAMPLES = "'2025-01-23', '2025-01-23 10:15' or '23/Jan/25 10:15 AM'"

# Header spellings accepted for each normalised column (compared in lower case, stripped).
_ISSUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("key", "issue key", "issue_key", "issue"),
    "type": ("type", "issue type", "issue_type", "issuetype"),
    "status": ("status",),
    "created": ("created", "created date"),
    "resolved": ("resolved", "resolution date", "resolutiondate", "resolved date", "done date"),
    "story_points": (
        "story_points",
        "story points",
        "points",
        "story point estimate",
        "custom field (story points)",
        "custom field (story point estimate)",
    ),
    "started": (
        "started",
        "start",
        "start date",
        "start_date",
        "in progress",
        "in_progress",
        "custom field (start date)",
        "custom field (started)",
    ),
}
_SPRINT_COLUMNS: dict[str, tuple[str, ...]] = {
    "sprint": ("sprint", "name", "iteration"),
    "start": ("start", "start date", "start_date"),
    "end": ("end", "end date", "end_date", "finish"),
    "committed": ("committed", "commitment", "planned"),
    "completed": ("completed", "done", "velocity", "completed points"),
    "scope": ("scope", "release scope", "total scope", "backlog"),
}


# =========================================================================== reading files
def agile_sample_path(name: str) -> Path:
    """Path of a shipped agile sample: ``throughput_history.csv`` or ``sprints.csv``."""
    entry = resources.files("itpm_course.data") / "agile" / name
    if not entry.is_file():
        raise FileNotFoundError(
            f"no agile sample {name!r}; available: throughput_history.csv, sprints.csv"
        )
    return Path(str(entry))


def _read_rows(path: str | Path) -> tuple[list[str], list[list[str]], str]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileNotFoundError(f"{p}: no such file") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        raise PlanError("the file is empty; expected a header row", source=str(p))
    header = [h.strip() for h in rows[0]]
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise PlanError(
                Problem(
                    f"{len(row)} fields but the header has {len(header)}",
                    source=str(p),
                    row=n,
                )
            )
    return header, rows[1:], str(p)


def _find(header: Sequence[str], names: Iterable[str]) -> list[int]:
    wanted = set(names)
    return [j for j, h in enumerate(header) if h.strip().lower() in wanted]


def _numbers(
    values: Sequence[str],
    *,
    source: str,
    column: str,
    whole: bool = False,
    allow_empty: bool = False,
    first_row: int = 2,
) -> np.ndarray:
    """Non-negative numbers, or a PlanError naming the first bad cell."""
    out = np.empty(len(values), dtype=float)
    for k, text in enumerate(values):
        text = text.strip()
        where = {"source": source, "row": first_row + k, "column": column}
        if text == "":
            if allow_empty:
                out[k] = np.nan
                continue
            raise PlanError(Problem("the cell is empty; write a number", **where))
        try:
            x = float(text)
        except ValueError:
            raise PlanError(Problem(f"{text!r} is not a number", **where)) from None
        if not math.isfinite(x):
            raise PlanError(Problem(f"{text!r} is not a finite number", **where))
        if x < 0:
            raise PlanError(Problem(f"{text} is negative; counts and points are >= 0", **where))
        if whole and not x.is_integer():
            raise PlanError(
                Problem(f"{text} is not a whole number; throughput counts items", **where)
            )
        out[k] = x
    return out


def read_throughput(path: str | Path | None = None) -> pd.DataFrame:
    """A throughput table (``period``, ``throughput``: whole items finished per period).

    Returns a frame with ``period`` (text, as written) and ``throughput`` (int). ``path``
    defaults to the shipped ``throughput_history.csv`` (20 weeks). Raises PlanError naming
    the file, row and column of a missing, non-numeric, fractional or negative value.
    """
    header, rows, where = _read_rows(path or agile_sample_path("throughput_history.csv"))
    tp = _find(header, ("throughput", "items", "count"))
    if not tp:
        raise PlanError(
            f"no 'throughput' column; expected columns period,throughput (found: {', '.join(header)})",
            source=where,
        )
    pcol = _find(header, ("period", "week", "sprint", "date"))
    column = header[tp[0]]
    values = _numbers([r[tp[0]] for r in rows], source=where, column=column, whole=True)
    periods = [r[pcol[0]].strip() for r in rows] if pcol else [str(k + 1) for k in range(len(rows))]
    return pd.DataFrame({"period": periods, "throughput": values.astype(np.int64)})


def read_sprints(path: str | Path | None = None) -> pd.DataFrame:
    """A sprint history: ``sprint``, ``committed``, ``completed`` (story points) and optionally
    ``start``, ``end`` (dates) and ``scope`` (release backlog size at the sprint's end).

    ``path`` defaults to the shipped ``sprints.csv`` (10 two-week sprints).
    """
    header, rows, where = _read_rows(path or agile_sample_path("sprints.csv"))
    found = {name: _find(header, spellings) for name, spellings in _SPRINT_COLUMNS.items()}
    for name in ("sprint", "committed", "completed"):
        if not found[name]:
            raise PlanError(
                f"no {name!r} column; a sprint history has columns sprint, committed, completed "
                f"(optional: start, end, scope); found: {', '.join(header)}",
                source=where,
            )
    out = pd.DataFrame({"sprint": [r[found["sprint"][0]].strip() for r in rows]})
    for name in ("committed", "completed", "scope"):
        if found[name]:
            j = found[name][0]
            out[name] = _numbers(
                [r[j] for r in rows], source=where, column=header[j], allow_empty=name == "scope"
            )
    for name in ("start", "end"):
        if found[name]:
            j = found[name][0]
            out[name] = _dates([r[j] for r in rows], source=where, column=header[j])
    return out


def _dates(
    values: Sequence[str], *, source: str, column: str, keys: Sequence[str] | None = None
) -> pd.Series:
    """Dates in ISO 8601 or Jira's UI format; a PlanError naming the first unreadable cell."""
    text = pd.Series([v.strip() for v in values], dtype=object)
    blank = text == ""
    parsed = pd.to_datetime(text.where(~blank), format="ISO8601", errors="coerce")
    for fmt in _DATE_FORMATS:
        todo = ~blank & parsed.isna()
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    bad = ~blank & parsed.isna()
    if bad.any():
        k = int(np.flatnonzero(bad.to_numpy())[0])
        raise PlanError(
            Problem(
                f"cannot read the date {text.iloc[k]!r}; write e.g. {_DATE_EXAMPLES}",
                source=source,
                row=k + 2,
                column=column,
                task=keys[k] if keys else None,
            )
        )
    return parsed.astype("datetime64[ns]")


def read_issues(path: str | Path | None = None) -> pd.DataFrame:
    """An issue-tracker export as one row per issue, with normalised columns.

    Columns: ``key``, ``type``, ``status`` (text), ``created``, ``resolved`` (datetimes; NaT
    when not resolved), ``story_points`` (float, NaN when not estimated), ``sprints`` (list,
    oldest first; Jira repeats the ``Sprint`` column once per sprint), ``sprint`` (the last
    one) and, when the file has a start column, ``started``.

    Accepts Jira's issue-navigator CSV (``Issue key``, ``Created`` as ``23/Jan/25 10:15 AM``,
    ``Custom field (Story Points)`` or ``(Story point estimate)``: read with
    :func:`itpm_course.data.exports.read_jira_csv`) and simple tables with lower-case names
    and ISO dates. ``path`` defaults to the shipped synthetic Jira export.
    """
    from itpm_course.data.exports import read_jira_csv, sample_export_path  # noqa: PLC0415

    path = Path(path) if path is not None else sample_export_path("jira_issues.csv")
    header, rows, where = _read_rows(path)
    lower = [h.lower() for h in header]
    if "issue key" in lower and "Issue key" in header:
        frame = _from_jira(read_jira_csv(path), header, rows, where)
    else:
        frame = _from_simple(header, rows, where)
    _check_order(frame, where)
    return frame


def _from_jira(df: pd.DataFrame, header, rows, where) -> pd.DataFrame:
    if "resolved" not in df:
        raise PlanError("no 'Resolved' column; throughput and lead time need it", source=where)
    out = pd.DataFrame(
        {
            "key": df["issue_key"],
            "type": df.get("issue_type"),
            "status": df.get("status"),
            "created": df["created"].astype("datetime64[ns]"),
            "resolved": df["resolved"].astype("datetime64[ns]"),
        }
    )
    out["story_points"] = df["story_points"] if "story_points" in df else np.nan
    out["sprints"] = df["sprints"] if "sprints" in df else [[] for _ in range(len(df))]
    out["sprint"] = out["sprints"].map(lambda s: s[-1] if s else None)
    start = _find(header, _ISSUE_COLUMNS["started"])
    if start:
        j = start[0]
        out["started"] = _dates(
            [r[j] for r in rows], source=where, column=header[j], keys=list(out["key"])
        ).to_numpy()
    return out


def _from_simple(header, rows, where) -> pd.DataFrame:
    found = {name: _find(header, spellings) for name, spellings in _ISSUE_COLUMNS.items()}
    for name in ("key", "created", "resolved"):
        if not found[name]:
            raise PlanError(
                f"no {name!r} column; an issue export needs key, created and resolved "
                f"(optional: type, status, story_points, sprint, started); found: {', '.join(header)}",
                source=where,
            )
    keys = [r[found["key"][0]].strip() for r in rows]
    out = pd.DataFrame({"key": keys})
    for name in ("type", "status"):
        out[name] = [r[found[name][0]].strip() or None for r in rows] if found[name] else None
    for name in ("created", "resolved", "started"):
        if found[name]:
            j = found[name][0]
            out[name] = _dates(
                [r[j] for r in rows], source=where, column=header[j], keys=keys
            ).to_numpy()
    blank = out["created"].isna()
    if blank.any():
        k = int(np.flatnonzero(blank.to_numpy())[0])
        raise PlanError(
            Problem(
                "no created date; every issue has one",
                source=where,
                row=k + 2,
                column=header[found["created"][0]],
                task=keys[k],
            )
        )
    if found["story_points"]:
        j = found["story_points"][0]
        out["story_points"] = _numbers(
            [r[j] for r in rows], source=where, column=header[j], allow_empty=True
        )
    else:
        out["story_points"] = np.nan
    sprint_cols = _find(header, ("sprint",))
    out["sprints"] = [[r[j].strip() for j in sprint_cols if r[j].strip()] for r in rows]
    out["sprint"] = out["sprints"].map(lambda s: s[-1] if s else None)
    return out


def _check_order(frame: pd.DataFrame, where: str) -> None:
    """Resolved before created (or started after resolved) is a data error: say where."""
    checks = [("resolved", "created", "is before the created date")]
    if "started" in frame:
        checks.append(("resolved", "started", "is before the start date"))
    for late, early, reason in checks:
        bad = (frame[late] < frame[early]).to_numpy()
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise PlanError(
                Problem(
                    f"{late} {frame[late].iloc[k]:%Y-%m-%d %H:%M} {reason} "
                    f"{frame[early].iloc[k]:%Y-%m-%d %H:%M}",
                    source=where,
                    row=k + 2,
                    column=late,
                    task=str(frame["key"].iloc[k]),
                )
            )


# =========================================================================== sprints
@dataclass(frozen=True)
class Velocity:
    """Velocity (story points completed per sprint) over the sprints used."""

    values: tuple[float, ...]
    sprints: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def median(self) -> float:
        return float(np.median(self.values))

    @property
    def minimum(self) -> float:
        return float(np.min(self.values))

    @property
    def maximum(self) -> float:
        return float(np.max(self.values))

    @property
    def range(self) -> tuple[float, float]:
        return self.minimum, self.maximum

    def to_dict(self) -> dict[str, Any]:
        return {
            "sprints": list(self.sprints),
            "n": self.n,
            "mean": self.mean,
            "median": self.median,
            "min": self.minimum,
            "max": self.maximum,
        }


def _sprint_frame(sprints: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    if sprints is None or isinstance(sprints, str | Path):
        return read_sprints(sprints)
    return sprints


def velocity(
    sprints: pd.DataFrame | Sequence[float] | str | Path | None = None,
    *,
    last: int | None = None,
) -> Velocity:
    """Velocity statistics of a sprint history (its ``completed`` column) or of plain numbers.

    ``last``: use only the last N sprints (the usual forecasting window is 3 to 6).
    """
    if isinstance(sprints, pd.DataFrame) or sprints is None or isinstance(sprints, str | Path):
        frame = _sprint_frame(sprints)
        values = frame["completed"].to_numpy(dtype=float)
        names = [str(s) for s in frame["sprint"]]
    else:
        values = np.asarray(list(sprints), dtype=float)
        names = [f"Sprint {k + 1}" for k in range(len(values))]
    if values.size == 0:
        raise ValueError("velocity needs at least one sprint")
    if (values < 0).any() or not np.isfinite(values).all():
        raise ValueError("velocity: completed points must be finite and >= 0")
    if last is not None:
        if last < 1:
            raise ValueError(f"last must be at least 1, got {last}")
        values, names = values[-last:], names[-last:]
    return Velocity(tuple(values.tolist()), tuple(names))


@dataclass(frozen=True)
class Reliability:
    """Commitment reliability: completed / committed per sprint and overall."""

    per_sprint: pd.Series  # ratio per sprint (NaN when nothing was committed)
    overall: float  # total completed / total committed

    @property
    def mean(self) -> float:
        return float(self.per_sprint.mean())


def commitment_reliability(
    sprints: pd.DataFrame | str | Path | None = None, *, last: int | None = None
) -> Reliability:
    """Completed / committed per sprint and over all the sprints used (``last`` N, or all)."""
    frame = _sprint_frame(sprints)
    if last is not None:
        frame = frame.tail(last)
    committed = frame["committed"].to_numpy(dtype=float)
    completed = frame["completed"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(committed > 0, completed / committed, np.nan)
    total = committed.sum()
    if total <= 0:
        raise ValueError("commitment reliability: no sprint committed any points")
    per = pd.Series(ratio, index=pd.Index(frame["sprint"], name="sprint"), name="reliability")
    return Reliability(per, float(completed.sum() / total))


def release_burnup(
    sprints: pd.DataFrame | str | Path | None = None, *, scope: float | None = None
) -> pd.DataFrame:
    """Release burnup data: one row per sprint end, after a ``start`` row.

    Columns ``sprint``, ``done`` (cumulative completed points), ``scope`` (the release scope at
    that point: the table's ``scope`` column, or the constant ``scope``) and ``remaining``.
    """
    frame = _sprint_frame(sprints)
    if scope is not None:
        scopes = np.full(len(frame), float(scope))
    elif "scope" in frame and frame["scope"].notna().any():
        scopes = frame["scope"].ffill().bfill().to_numpy(dtype=float)
    else:
        raise ValueError(
            "release burnup needs the release scope: a 'scope' column or scope=<points>"
        )
    done = np.concatenate([[0.0], np.cumsum(frame["completed"].to_numpy(dtype=float))])
    scopes = np.concatenate([[scopes[0]], scopes])
    return pd.DataFrame(
        {
            "sprint": ["start", *map(str, frame["sprint"])],
            "done": done,
            "scope": scopes,
            "remaining": scopes - done,
        }
    )


def _to_day(value: Any) -> np.datetime64:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    return np.datetime64(pd.Timestamp(value).date(), "D")


def sprint_burndown(
    issues: pd.DataFrame,
    sprint: str,
    start: Any,
    end: Any,
    *,
    as_of: Any = None,
) -> pd.DataFrame:
    """Remaining story points at the end of each working day (Mon-Fri) of one sprint.

    Rows: ``day`` 0 (the sprint's start, before any work) to n (the last working day), with
    ``date``, ``ideal`` (a straight line from the committed points to 0) and ``remaining``
    (committed minus the points of the sprint's issues resolved by that day; NaN after
    ``as_of``, by default the export's last date). Committed points are those of every issue
    that was in the sprint, as the export shows it at the end (the CSV keeps no history of
    issues added or removed mid-sprint). ``frame.attrs`` holds ``committed`` and
    ``unestimated`` (issues in the sprint without story points, counted as 0).
    """
    first, last = _to_day(start), _to_day(end)
    if last < first:
        raise ValueError(f"the sprint ends ({last}) before it starts ({first})")
    days = np.arange(first, last + 1)
    days = days[np.is_busday(days)]
    if days.size == 0:
        raise ValueError(f"sprint {sprint!r} has no working day between {first} and {last}")
    in_sprint = issues["sprints"].map(lambda s: sprint in s).to_numpy(dtype=bool)
    if not in_sprint.any():
        known = sorted({s for lst in issues["sprints"] for s in lst})
        raise ValueError(f"no issue is in sprint {sprint!r}; sprints in the export: {known}")
    chosen = issues[in_sprint]
    points = chosen["story_points"].fillna(0).to_numpy(dtype=float)
    committed = float(points.sum())
    finished = chosen["resolved"].dt.floor("D").to_numpy().astype("datetime64[D]")
    done_by = np.array(
        [points[(~np.isnat(finished)) & (finished <= d)].sum() for d in days], dtype=float
    )
    if as_of is None:
        stamps = [issues[c].max() for c in ("created", "resolved") if c in issues]
        as_of = max(s for s in stamps if pd.notna(s))
    cutoff = _to_day(as_of)
    remaining = committed - done_by
    remaining[days > cutoff] = np.nan
    n = days.size
    frame = pd.DataFrame(
        {
            "day": np.arange(n + 1),
            "date": pd.to_datetime(np.concatenate([[first], days])),
            "ideal": committed * (1 - np.arange(n + 1) / n),
            "remaining": np.concatenate([[committed], remaining]),
        }
    )
    frame.attrs.update(
        sprint=sprint,
        committed=committed,
        unestimated=int(chosen["story_points"].isna().sum()),
    )
    return frame


# =========================================================================== flow
def _day(series: pd.Series) -> np.ndarray:
    return series.dt.floor("D").to_numpy().astype("datetime64[D]")


def lead_times(issues: pd.DataFrame) -> pd.Series:
    """Lead time of every resolved issue in calendar days, counted inclusively.

    ``(resolved date - created date) + 1``: created and resolved on the same day = 1 day.
    Indexed by issue key; unresolved issues are left out.
    """
    done = issues[issues["resolved"].notna()]
    days = (_day(done["resolved"]) - _day(done["created"])).astype(int) + 1
    return pd.Series(days, index=pd.Index(done["key"], name="key"), name="lead_time_days")


def has_start_dates(issues: pd.DataFrame) -> bool:
    """True when the export has a start column with at least one date (cycle time is possible)."""
    return "started" in issues and bool(issues["started"].notna().any())


def cycle_times(issues: pd.DataFrame) -> pd.Series:
    """Cycle time of every resolved issue with a start date, in calendar days, inclusive.

    Raises ValueError when the export has no start dates: a Jira CSV export has only
    ``Created`` and ``Resolved``; cycle time needs when work *started*, which lives in the
    status-transition history (the REST changelog), not in the CSV.
    """
    if not has_start_dates(issues):
        raise ValueError(
            "the export has no start dates, so cycle time cannot be computed: a Jira CSV has "
            "Created and Resolved only; add a 'started' column (from the changelog) or use "
            "lead time"
        )
    done = issues[issues["resolved"].notna() & issues["started"].notna()]
    days = (_day(done["resolved"]) - _day(done["started"])).astype(int) + 1
    return pd.Series(days, index=pd.Index(done["key"], name="key"), name="cycle_time_days")


def _monday(days: np.ndarray) -> np.ndarray:
    # 1970-01-01 was a Thursday: shift so that Monday is weekday 0
    weekday = (days.astype(np.int64) + 3) % 7
    return days - weekday.astype("timedelta64[D]")


def weekly_throughput(issues: pd.DataFrame, *, start: Any = None, end: Any = None) -> pd.Series:
    """Items resolved per week (weeks start on Monday), weeks with none included as 0.

    The range runs from the week of ``start`` (default: the first resolution) to the week of
    ``end`` (default: the last resolution). Indexed by each week's Monday.
    """
    finished = _day(issues.loc[issues["resolved"].notna(), "resolved"])
    if finished.size == 0 and (start is None or end is None):
        raise ValueError("no issue is resolved, so there is no throughput to count")
    weeks = _monday(finished)
    first = _monday(np.array([_to_day(start)]))[0] if start is not None else weeks.min()
    last = _monday(np.array([_to_day(end)]))[0] if end is not None else weeks.max()
    if last < first:
        raise ValueError(f"end ({last}) is before start ({first})")
    index = np.arange(first, last + 1, 7)
    counts = np.bincount(
        ((weeks[(weeks >= first) & (weeks <= last)] - first).astype(int) // 7),
        minlength=index.size,
    )
    return pd.Series(
        counts.astype(np.int64), index=pd.DatetimeIndex(index, name="week"), name="throughput"
    )


def _flow_days(issues: pd.DataFrame, start: Any, end: Any) -> np.ndarray:
    created = _day(issues["created"])
    if start is None:
        start = created.min()
    if end is None:
        resolved = _day(issues["resolved"].dropna())
        end = max(created.max(), resolved.max() if resolved.size else created.max())
    first, last = _to_day(start), _to_day(end)
    if last < first:
        raise ValueError(f"end ({last}) is before start ({first})")
    return np.arange(first, last + 1)


def _arrivals(issues: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """Day each issue was created, started (None without a start column) and finished (NaT)."""
    created = _day(issues["created"])
    finished = _day(issues["resolved"])
    if not has_start_dates(issues):
        return created, None, finished
    started = _day(issues["started"])
    # an issue resolved without a recorded start went straight through: start = finish;
    # a start before creation is clipped to creation so the bands of the CFD never cross
    started = np.where(np.isnat(started), finished, started)
    started = np.where(~np.isnat(started) & (started < created), created, started)
    return created, started, finished


def _count_by(days: np.ndarray, events: np.ndarray, *, strictly_before: bool = False) -> np.ndarray:
    known = np.sort(events[~np.isnat(events)])
    side = "left" if strictly_before else "right"
    return np.searchsorted(known, days, side=side)


def wip_over_time(issues: pd.DataFrame, *, start: Any = None, end: Any = None) -> pd.Series:
    """Work in progress per calendar day: items started by that day and not finished before it.

    An item counts on its start day and on its finish day (the inclusive convention). Without
    a start column the export cannot tell started from waiting, so the series counts *open*
    items (created, not yet resolved) and is named ``open`` instead of ``wip``.
    """
    days = _flow_days(issues, start, end)
    created, started, finished = _arrivals(issues)
    begun = created if started is None else started
    value = _count_by(days, begun) - _count_by(days, finished, strictly_before=True)
    return pd.Series(
        value, index=pd.DatetimeIndex(days, name="date"), name="open" if started is None else "wip"
    )


def cumulative_flow(issues: pd.DataFrame, *, start: Any = None, end: Any = None) -> pd.DataFrame:
    """Cumulative flow data per calendar day: how many items have reached each state by then.

    Columns, in workflow order: ``created``, ``started`` (only when the export has start
    dates) and ``done``. Band widths: to do = created - started, in progress = started - done
    (the WIP), done = done. The CSV has no transition history, so these are the only states
    the dates can place in time; the current ``status`` ("In Review"...) is known only today.
    """
    days = _flow_days(issues, start, end)
    created, started, finished = _arrivals(issues)
    data = {"created": _count_by(days, created)}
    if started is not None:
        data["started"] = _count_by(days, started)
    data["done"] = _count_by(days, finished)
    return pd.DataFrame(data, index=pd.DatetimeIndex(days, name="date"))


def littles_law(
    *, wip: float | None = None, throughput: float | None = None, cycle_time: float | None = None
) -> float:
    """Little's law, average cycle time = average WIP / average throughput: give two, get the third.

    Units must agree (e.g. throughput in items per day and cycle time in days). It holds for
    averages over a period in which the system is stable (Vacanti, *Actionable Agile Metrics*).
    """
    given = {"wip": wip, "throughput": throughput, "cycle_time": cycle_time}
    missing = [k for k, v in given.items() if v is None]
    if len(missing) != 1:
        raise ValueError("give exactly two of wip, throughput and cycle_time")
    for k, v in given.items():
        if v is not None and (not math.isfinite(v) or v < 0):
            raise ValueError(f"{k} must be a finite number >= 0, got {v}")
    if missing == ["wip"]:
        return float(throughput * cycle_time)
    if missing == ["throughput"]:
        if cycle_time == 0:
            raise ValueError("cycle_time must be > 0 to solve for throughput")
        return float(wip / cycle_time)
    if throughput == 0:
        raise ValueError("throughput must be > 0 to solve for cycle time")
    return float(wip / throughput)


# =========================================================================== forecasts
def as_history(history: Any) -> tuple[np.ndarray, tuple[str, ...]]:
    """Throughput history as a float array plus warnings; ValueError for unusable history.

    Accepts numbers, a pandas Series, or a frame with a ``throughput`` column.
    """
    if isinstance(history, pd.DataFrame):
        if "throughput" not in history:
            raise ValueError("the history frame has no 'throughput' column")
        history = history["throughput"]
    try:
        values = np.asarray(history, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(
            "the throughput history must be numbers (items finished per period)"
        ) from None
    if values.size == 0:
        raise ValueError("the throughput history is empty; a forecast needs past throughput")
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        k = int(bad[0])
        raise ValueError(
            f"throughput of period {k + 1} is {values[k]:g}; throughput counts finished items, "
            "so it must be a finite number >= 0"
        )
    if not values.any():
        raise ValueError(
            f"all {values.size} periods of history have zero throughput: nothing was ever "
            "finished, so no forecast is possible"
        )
    warnings = []
    if values.size < MIN_PERIODS:
        warnings.append(
            f"only {values.size} period{'s' if values.size != 1 else ''} of history: the "
            f"forecast is fragile; use at least {MIN_PERIODS} sprints or about 10 weeks"
        )
    return values, tuple(warnings)


def _rng(seed: int | None) -> tuple[np.random.Generator, int]:
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    return np.random.default_rng(seed), int(seed)


def _check_iterations(iterations: int) -> int:
    if isinstance(iterations, bool) or int(iterations) != iterations or iterations < 1:
        raise ValueError(f"iterations must be a whole number >= 1, got {iterations!r}")
    return int(iterations)


def _ranked(counts: np.ndarray, n: int, p: float) -> int:
    """Smallest value v with at least p% of the n outcomes <= v (inverted empirical CDF)."""
    return int(np.searchsorted(np.cumsum(counts) * 100, p * n, side="left"))


def _as_date(start: Any) -> dt.date | None:
    if start is None:
        return None
    if isinstance(start, str):
        try:
            return dt.date.fromisoformat(start)
        except ValueError:
            raise ValueError(f"start {start!r} is not an ISO date (YYYY-MM-DD)") from None
    return pd.Timestamp(start).date()


@dataclass(frozen=True, eq=False)
class WhenForecast:
    """Outcome of :func:`forecast_when`: how many periods the ``items`` took per iteration.

    ``counts[k]`` is the number of iterations that finished in exactly ``k`` periods.
    """

    items: int
    iterations: int
    seed: int
    counts: np.ndarray
    history: tuple[float, ...]
    start: dt.date | None = None
    period_days: int = 7
    warnings: tuple[str, ...] = field(default=())

    def percentile(self, p: float) -> int:
        """Periods needed with ``p`` percent confidence (e.g. 85)."""
        return _ranked(self.counts, self.iterations, p)

    @property
    def percentiles(self) -> dict[str, int]:
        """``{"P50": n, "P85": n, "P95": n}``: periods needed at each confidence."""
        return {f"P{p}": self.percentile(p) for p in CONFIDENCES}

    def probability_by(self, periods: int) -> float:
        """Share of iterations that finished within ``periods`` periods."""
        if periods < 0:
            return 0.0
        return float(self.counts[: int(periods) + 1].sum() / self.iterations)

    def date_after(self, periods: int) -> dt.date:
        """The last day of period ``periods`` counted from ``start``."""
        if self.start is None:
            raise ValueError("this forecast has no start date; pass start=... to forecast_when")
        return self.start + dt.timedelta(days=int(periods) * self.period_days - 1)

    @property
    def dates(self) -> dict[str, str] | None:
        """``{"P50": "YYYY-MM-DD", ...}`` when the forecast has a start date, else None."""
        if self.start is None:
            return None
        return {k: self.date_after(v).isoformat() for k, v in self.percentiles.items()}

    @property
    def mean(self) -> float:
        k = np.arange(self.counts.size)
        return float((k * self.counts).sum() / self.iterations)

    @property
    def periods(self) -> np.ndarray:
        """The periods taken, as one sorted value per iteration (memory: one int per iteration)."""
        return np.repeat(np.arange(self.counts.size), self.counts)

    def to_dict(self) -> dict[str, Any]:
        """``{"items", "iterations", "periods": {"P50"...}}`` plus ``"dates"`` with a start."""
        out: dict[str, Any] = {
            "items": self.items,
            "iterations": self.iterations,
            "periods": self.percentiles,
        }
        if self.start is not None:
            out["dates"] = self.dates
        return out


@dataclass(frozen=True, eq=False)
class HowManyForecast:
    """Outcome of :func:`forecast_how_many`: items finished in ``periods`` periods.

    ``counts[x]`` is the number of iterations that finished exactly ``x`` items.
    """

    periods: int
    iterations: int
    seed: int
    counts: np.ndarray
    history: tuple[float, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    warnings: tuple[str, ...] = field(default=())

    def at_least(self, p: float) -> int:
        """The largest number of items reached in at least ``p`` percent of the iterations."""
        survival = self.iterations - np.concatenate([[0], np.cumsum(self.counts)[:-1]])
        return int(np.count_nonzero(survival * 100 >= p * self.iterations) - 1)

    @property
    def percentiles(self) -> dict[str, int]:
        """``{"P50": x, "P85": x, "P95": x}``: items done with at least that confidence."""
        return {f"P{p}": self.at_least(p) for p in CONFIDENCES}

    def probability_at_least(self, items: int) -> float:
        """Share of iterations that finished ``items`` or more."""
        return float(self.counts[max(int(items), 0) :].sum() / self.iterations)

    @property
    def mean(self) -> float:
        x = np.arange(self.counts.size)
        return float((x * self.counts).sum() / self.iterations)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "periods": self.periods,
            "iterations": self.iterations,
            "items": self.percentiles,
        }
        if self.end is not None:
            out["by"] = self.end.isoformat()
        return out


def _grow(counts: np.ndarray, new: np.ndarray) -> np.ndarray:
    if new.size > counts.size:
        counts = np.concatenate([counts, np.zeros(new.size - counts.size, dtype=np.int64)])
    counts[: new.size] += new
    return counts


def forecast_when(
    history: Any,
    items: int,
    *,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int | None = None,
    start: Any = None,
    period_days: int = 7,
    chunk_size: int = _CHUNK,
) -> WhenForecast:
    """How many periods will ``items`` take? Monte Carlo over resampled throughput.

    Each iteration draws past periods' throughput at random (with replacement, zero periods
    included) and counts the periods until the total reaches ``items``. All iterations of a
    chunk run together as numpy arrays; only a histogram of the outcomes is kept, so memory
    does not grow with ``iterations``. The same ``seed`` (and ``chunk_size``) gives identical
    results. ``start`` (a date) adds calendar answers; ``period_days`` is 7 for weekly history,
    14 for two-week sprints.
    """
    values, warnings = as_history(history)
    iterations = _check_iterations(iterations)
    if isinstance(items, bool) or int(items) != items or items < 1:
        raise ValueError(f"items must be a whole number >= 1, got {items!r}")
    if period_days < 1:
        raise ValueError(f"period_days must be >= 1, got {period_days}")
    items = int(items)
    rng, used_seed = _rng(seed)
    chunk_size = max(1, int(chunk_size))
    guess = int(math.ceil(items / values.mean() * 1.25)) + 4
    counts = np.zeros(0, dtype=np.int64)
    for first in range(0, iterations, chunk_size):
        m = min(chunk_size, iterations - first)
        total = np.zeros(m)
        left = np.arange(m)
        taken = np.empty(m, dtype=np.int64)
        elapsed = 0
        while left.size:
            k = left.size
            seg = max(1, min(_CELL_BUDGET // k, max(guess, elapsed)))
            cum = np.cumsum(values[rng.integers(0, values.size, size=(k, seg))], axis=1)
            cum += total[:, None]
            reached = cum[:, -1] >= items
            first_hit = np.argmax(cum[reached] >= items, axis=1)
            taken[left[reached]] = elapsed + first_hit + 1
            total = cum[~reached, -1]
            left = left[~reached]
            elapsed += seg
            if left.size and elapsed > _MAX_PERIODS:
                raise ValueError(
                    f"some iterations were not done after {_MAX_PERIODS:,} periods: the history "
                    "has too little throughput for this many items"
                )
        counts = _grow(counts, np.bincount(taken))
    return WhenForecast(
        items,
        iterations,
        used_seed,
        counts,
        tuple(values.tolist()),
        _as_date(start),
        int(period_days),
        warnings,
    )


def forecast_how_many(
    history: Any,
    periods: int | None = None,
    *,
    by: Any = None,
    start: Any = None,
    period_days: int = 7,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int | None = None,
    chunk_size: int = _CHUNK,
) -> HowManyForecast:
    """How many items will be done in ``periods`` periods (or by the date ``by``)?

    With ``by``, ``start`` is the first day of period 1 and only whole periods up to ``by``
    (inclusive) count: from Monday 6 to Sunday 19 January is 2 weeks, to Friday 17 is 1.
    Throughput history must be whole items here. Same seed, same answer.
    """
    values, warnings = as_history(history)
    if not np.all(values == np.round(values)):
        raise ValueError("forecast_how_many needs whole item counts as throughput history")
    iterations = _check_iterations(iterations)
    begin, end = _as_date(start), None
    if by is not None:
        if periods is not None:
            raise ValueError("give periods or by (a date), not both")
        if begin is None:
            raise ValueError("by=<date> needs start=<date>, the first day of the forecast")
        end = _as_date(by)
        periods = ((end - begin).days + 1) // int(period_days)
        if periods < 1:
            raise ValueError(
                f"{end} is less than one {period_days}-day period after the start {begin}"
            )
    if periods is None or isinstance(periods, bool) or int(periods) != periods or periods < 1:
        raise ValueError(f"periods must be a whole number >= 1, got {periods!r}")
    periods = int(periods)
    ints = values.astype(np.int64)
    rng, used_seed = _rng(seed)
    chunk_size = max(1, int(chunk_size))
    counts = np.zeros(0, dtype=np.int64)
    for first in range(0, iterations, chunk_size):
        m = min(chunk_size, iterations - first)
        seg = max(1, _CELL_BUDGET // m)
        total = np.zeros(m, dtype=np.int64)
        for done in range(0, periods, seg):
            width = min(seg, periods - done)
            total += ints[rng.integers(0, ints.size, size=(m, width))].sum(axis=1)
        counts = _grow(counts, np.bincount(total))
    return HowManyForecast(
        periods, iterations, used_seed, counts, tuple(values.tolist()), begin, end, warnings
    )


# =========================================================================== CLI input
def load_history(path: str | Path) -> tuple[pd.Series, str]:
    """Weekly (or per-period) throughput from a file, and what kind of file it was.

    A table with a ``throughput`` column is read as is (kind ``"throughput"``); an issue export
    (a ``key``/``Issue key`` and a ``resolved`` column) becomes weekly throughput from the
    resolved dates, zero weeks included (kind ``"issues"``).
    """
    header, _rows, where = _read_rows(path)
    lower = {h.lower() for h in header}
    if lower & {"throughput", "items", "count"}:
        table = read_throughput(path)
        return pd.Series(
            table["throughput"].to_numpy(), index=table["period"], name="throughput"
        ), "throughput"
    key_names = set(_ISSUE_COLUMNS["key"])
    if lower & key_names:
        issues = read_issues(path)
        return weekly_throughput(issues), "issues"
    raise PlanError(
        "cannot tell what this file is: expected a throughput table (columns period,throughput) "
        f"or an issue export (columns such as key, created, resolved); found: {', '.join(header)}",
        source=where,
    )


def summary(forecast: WhenForecast) -> str:
    """One line: ``100 items: P50 27, P85 30, P95 33 weeks`` (with dates when known)."""
    unit = "weeks" if forecast.period_days == 7 else "periods"
    parts = [f"{k} {v}" for k, v in forecast.percentiles.items()]
    text = f"{forecast.items} items: " + ", ".join(parts) + f" {unit}"
    if forecast.start is not None:
        text += " (" + ", ".join(f"{k} {v}" for k, v in forecast.dates.items()) + ")"
    return text
