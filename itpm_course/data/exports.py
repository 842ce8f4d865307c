"""Readers for files that project tools export: a Jira issues CSV and a Gantt-tool task list.

    from itpm_course.data.exports import read_jira_csv, read_gantt_export, gantt_export_to_plan
    issues = read_jira_csv()            # the shipped sample, jira_issues.csv
    tasks = read_gantt_export()         # the shipped sample, gantt_export.csv
    plan = gantt_export_to_plan(tasks)  # an itpm_course ProjectPlan

Both samples are synthetic (a CRM rollout), made for teaching: no real company's data.

Jira's issue-navigator export repeats a column for every value of a multi-value field
(``Sprint``, ``Labels``) and writes dates in the user's locale (``23/Jan/25 10:15 AM``).
:func:`read_jira_csv` reads the dates with that explicit format, merges repeated columns into
one list column and renames columns to ``snake_case`` (``Issue key`` -> ``issue_key``,
``Custom field (Story Points)`` -> ``story_points``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pandas as pd

from itpm_course.plan import Link, ProjectPlan, Task

__all__ = [
    "GANTT_COLUMNS",
    "GANTT_DATE_FORMAT",
    "JIRA_DATE_FORMAT",
    "JIRA_DATE_EXAMPLE",
    "gantt_export_to_plan",
    "parse_gantt_duration",
    "parse_gantt_predecessors",
    "read_gantt_export",
    "read_jira_csv",
    "sample_export_path",
]

#: Jira's default UI export date format (English month names, 12-hour clock).
JIRA_DATE_FORMAT = "%d/%b/%y %I:%M %p"
JIRA_DATE_EXAMPLE = "23/Jan/25 10:15 AM"
JIRA_DATE_COLUMNS = ("Created", "Updated", "Resolved", "Due Date", "Last Viewed")
#: Columns that Jira repeats once per value; merged into one list column each.
JIRA_LIST_COLUMNS = {"Sprint": "sprints", "Labels": "labels", "Components": "components"}
_JIRA_RENAMES = {
    "Custom field (Story Points)": "story_points",
    "Custom field (Story point estimate)": "story_points",  # team-managed projects
    "Custom field (Epic Link)": "epic_link",
}

#: Microsoft Project's US "Save as CSV" style, e.g. ``Mon 1/6/25``.
GANTT_DATE_FORMAT = "%a %m/%d/%y"
GANTT_COLUMNS = (
    "ID",
    "Task Name",
    "Duration",
    "Start",
    "Finish",
    "Predecessors",
    "Resource Names",
    "% Complete",
)
HOURS_PER_DAY = 8  # MS Project's default: 1 day = 8 hours, 1 week = 5 days
_DURATION = re.compile(
    r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>days?|d|wks?|weeks?|w|hrs?|hours?|h)?\??\s*$",
    re.IGNORECASE,
)
_PRED = re.compile(
    r"^\s*(?P<id>\d+)\s*(?P<type>FS|SS|FF|SF)?\s*"
    r"(?:(?P<lag>[+-]\s*\d+(?:\.\d+)?)\s*(?P<unit>days?|d|wks?|weeks?|w|hrs?|hours?|h)?)?\s*$",
    re.IGNORECASE,
)


def sample_export_path(name: str) -> Path:
    """Return the path of a shipped export sample (``jira_issues.csv`` or ``gantt_export.csv``)."""
    entry = resources.files("itpm_course.data") / name
    if not entry.is_file():
        raise FileNotFoundError(
            f"no sample export {name!r}; available: jira_issues.csv, gantt_export.csv"
        )
    return Path(str(entry))


def _read_text(path: str | Path | None, default: str) -> tuple[str, str]:
    """Return (text, display name) for ``path`` or the shipped sample ``default``."""
    p = sample_export_path(default) if path is None else Path(path)
    try:
        return p.read_text(encoding="utf-8-sig"), str(p)  # Excel-saved CSVs start with a BOM
    except FileNotFoundError:
        raise FileNotFoundError(f"{p}: no such file") from None


def _snake(name: str) -> str:
    inner = re.fullmatch(r"Custom field \((.+)\)", name.strip())
    base = inner.group(1) if inner else name
    return re.sub(r"[^0-9a-z]+", "_", base.strip().lower()).strip("_")


def _parse_dates(
    values: pd.Series,
    fmt: str,
    example: str,
    where: str,
    column: str,
    keys: Sequence[str],
    noun: str = "issue",
) -> pd.Series:
    """Dates in ``fmt``; a ValueError naming file, row, column and the value for the first bad one."""
    text = values.fillna("").astype(str).str.strip()
    parsed = pd.to_datetime(text.where(text != ""), format=fmt, errors="coerce")
    bad = (text != "") & parsed.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        key = f" ({noun} {keys[i]})" if keys and keys[i] else ""
        raise ValueError(
            f"{where}: row {i + 1}{key}, column {column!r}: cannot read the date {text.iloc[i]!r}; "
            f"expected the format {fmt!r}, e.g. {example!r}"
        )
    return parsed


def read_jira_csv(path: str | Path | None = None) -> pd.DataFrame:
    """Return a Jira issues export as a DataFrame: one row per issue, snake_case columns.

    Dates (``created``, ``updated``, ``resolved``) are datetimes (NaT when empty); repeated
    ``Sprint`` columns become ``sprints`` (a list, oldest first) plus ``sprint``, the last one
    (the sprint the issue finished in, or is in now; missing if it was never in a sprint);
    ``story_points`` is a float (NaN when not estimated). ``path`` defaults to the shipped
    sample. Rows are numbered from 1, the first issue after the header.
    """
    text, where = _read_text(path, "jira_issues.csv")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ValueError(f"{where}: the file is empty; expected a Jira CSV export with a header")
    header = [h.strip() for h in rows[0]]
    required = ("Issue key", "Summary", "Status", "Created")
    absent = [c for c in required if c not in header]
    if absent:
        raise ValueError(
            f"{where}: no {absent[0]!r} column; a Jira issues export has columns such as "
            f"{', '.join(required)} (found: {', '.join(header[:8])})"
        )
    data = rows[1:]
    for n, row in enumerate(data, start=1):
        if len(row) != len(header):
            raise ValueError(
                f"{where}: row {n} has {len(row)} fields but the header has {len(header)}; "
                "is a comma inside an unquoted summary?"
            )
    columns: dict[str, list] = {}
    key_pos = header.index("Issue key")
    keys = [r[key_pos].strip() for r in data]
    for name in dict.fromkeys(header):  # each distinct name once, in order
        positions = [j for j, h in enumerate(header) if h == name]
        if name in JIRA_LIST_COLUMNS:
            columns[JIRA_LIST_COLUMNS[name]] = [
                [r[j].strip() for j in positions if r[j].strip()] for r in data
            ]
            continue
        target = _JIRA_RENAMES.get(name, _snake(name))
        columns[target] = [r[positions[0]].strip() for r in data]
    df = pd.DataFrame(columns)
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, str)).all():
            df[col] = df[col].replace("", None)
    for name in JIRA_DATE_COLUMNS:
        col = _snake(name)
        if col in df:
            df[col] = _parse_dates(df[col], JIRA_DATE_FORMAT, JIRA_DATE_EXAMPLE, where, name, keys)
    if "story_points" in df:
        points = pd.to_numeric(df["story_points"], errors="coerce")
        bad = df["story_points"].notna() & points.isna()
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(
                f"{where}: row {i + 1} (issue {keys[i]}), column 'Custom field (Story Points)': "
                f"{df['story_points'].iloc[i]!r} is not a number"
            )
        df["story_points"] = points.astype("float64")
    if "issue_id" in df:
        df["issue_id"] = pd.to_numeric(df["issue_id"], errors="coerce").astype("Int64")
    if "sprints" in df:
        df["sprint"] = df["sprints"].map(lambda s: s[-1] if s else None)
    return df


# --- Gantt tool export --------------------------------------------------------------------------


def _to_days(n: float, unit: str | None) -> float:
    unit = (unit or "d").lower()
    if unit.startswith("w"):
        return n * 5
    if unit.startswith("h"):
        return n / HOURS_PER_DAY
    return n


def parse_gantt_duration(text: str) -> float:
    """Return working days for an MS Project duration such as ``5 days``, ``1 wk`` or ``4 hrs``."""
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(
            f"cannot read the duration {text!r}; write a number and a unit, e.g. '5 days', '1 wk', '4 hrs'"
        )
    return _to_days(float(m["n"]), m["unit"])


def parse_gantt_predecessors(text: str) -> list[Link]:
    """Return links for an MS Project predecessor cell such as ``3FS+2 days,4SS``."""
    links = []
    for item in str(text or "").split(","):
        if not item.strip():
            continue
        m = _PRED.match(item)
        if not m:
            raise ValueError(
                f"cannot read the predecessor {item.strip()!r}; write ID, ID+TYPE and an optional lag, "
                "e.g. '3', '4SS' or '3FS+2 days'"
            )
        lag = _to_days(float(m["lag"].replace(" ", "")), m["unit"]) if m["lag"] else 0.0
        links.append(Link(m["id"], (m["type"] or "FS").upper(), lag))
    return links


def read_gantt_export(path: str | Path | None = None) -> pd.DataFrame:
    """Return a Gantt-tool task export (MS Project / Smartsheet CSV style) as a DataFrame.

    Columns: ``id`` (str), ``name``, ``duration_days`` (working days), ``duration`` (the text as
    exported), ``start`` and ``finish`` (datetimes), ``predecessors`` (the text), ``links`` (a list
    of :class:`~itpm_course.plan.Link`), ``resources`` (a list of names) and ``percent_complete``
    (0-100). ``path`` defaults to the shipped sample. Rows are numbered from 1 after the header.
    """
    text, where = _read_text(path, "gantt_export.csv")
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    absent = [c for c in ("ID", "Task Name", "Duration") if c not in raw.columns]
    if absent:
        raise ValueError(
            f"{where}: no {absent[0]!r} column; expected Gantt export columns such as "
            f"{', '.join(GANTT_COLUMNS)} (found: {', '.join(raw.columns[:8])})"
        )
    ids = raw["ID"].str.strip().tolist()
    out = pd.DataFrame({"id": ids, "name": raw["Task Name"].str.strip()})
    durations, links, resources_ = [], [], []
    for i, row in raw.iterrows():
        n = int(i) + 1
        try:
            durations.append(parse_gantt_duration(row["Duration"]))
        except ValueError as exc:
            raise ValueError(
                f"{where}: row {n} (task {ids[n - 1]}), column 'Duration': {exc}"
            ) from None
        try:
            links.append(parse_gantt_predecessors(row.get("Predecessors", "")))
        except ValueError as exc:
            raise ValueError(
                f"{where}: row {n} (task {ids[n - 1]}), column 'Predecessors': {exc}"
            ) from None
        names = [
            re.sub(r"\[.*?\]", "", r).strip() for r in str(row.get("Resource Names", "")).split(",")
        ]
        resources_.append([r for r in names if r])
    out["duration"] = raw["Duration"].str.strip()
    out["duration_days"] = pd.Series(durations, dtype="float64")
    for column in ("Start", "Finish"):
        if column in raw:
            out[column.lower()] = _parse_dates(
                raw[column], GANTT_DATE_FORMAT, "Mon 1/6/25", where, column, ids, "task"
            )
    out["predecessors"] = raw["Predecessors"].str.strip() if "Predecessors" in raw else ""
    out["links"] = links
    out["resources"] = resources_
    if "% Complete" in raw:
        pct = pd.to_numeric(raw["% Complete"].str.strip().str.rstrip("%"), errors="coerce")
        bad = raw["% Complete"].str.strip().ne("") & pct.isna()
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise ValueError(
                f"{where}: row {i + 1} (task {ids[i]}), column '% Complete': "
                f"{raw['% Complete'].iloc[i]!r} is not a percentage"
            )
        out["percent_complete"] = pct.astype("float64")
    return out


def gantt_export_to_plan(
    export: pd.DataFrame | str | Path | None = None,
    *,
    name: str = "CRM rollout",
    start: dt.date | str | None = None,
) -> ProjectPlan:
    """Return an ``itpm_course`` ProjectPlan built from a Gantt export (a frame or a file path).

    Task ids are the export's ``ID`` column; durations and lags are in working days. The plan
    starts on ``start`` or, by default, on the earliest exported ``Start`` date.
    """
    frame = export if isinstance(export, pd.DataFrame) else read_gantt_export(export)
    if start is None:
        if "start" not in frame or frame["start"].isna().all():
            raise ValueError("start: the export has no Start dates; pass start='YYYY-MM-DD'")
        start = frame["start"].min().date()
    elif isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            raise ValueError(f"start: {start!r} is not an ISO date (YYYY-MM-DD)") from None
    tasks = [
        Task(
            id=str(row.id),
            name=str(row.name),
            duration=float(row.duration_days),
            predecessors=list(row.links),
            resources=list(row.resources),
        )
        for row in frame.itertuples(index=False)
    ]
    return ProjectPlan(name=name, start=start, tasks=tasks, source="Gantt export")
