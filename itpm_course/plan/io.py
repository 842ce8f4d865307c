"""Readers and writers for project plans: CSV (task table), Excel, YAML, JSON and DataFrames.

Every reader funnels rows through :func:`task_from_record`, so a bad value gets the same
specific message (file, row, column, reason) whatever the format.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from itpm_course.errors import PlanError, Problem
from itpm_course.plan._records import (
    SUFFIXES,  # noqa: F401 (re-exported: the extensions the readers know)
    append_row,
    check_path,
    load_data,
    open_workbook,
    save_kind,
    sheet_table,
    split_csv,
    write_data,
    write_sheet,
)
from itpm_course.plan._records import blank as _blank
from itpm_course.plan.model import (
    TASK_ID,
    Calendar,
    Link,
    ProjectPlan,
    Resource,
    Task,
    check_task,
    format_links,
    parse_links,
)

TASK_COLUMNS = (
    "id",
    "name",
    "duration",
    "predecessors",
    "optimistic",
    "most_likely",
    "pessimistic",
    "wbs",
    "owner",
    "resources",
    "cost",
    "rate",
)
_NUMERIC = ("duration", "optimistic", "most_likely", "pessimistic", "cost", "rate")
_PLAN_KEYS = {
    "name",
    "start",
    "deadline",
    "budget",
    "calendar",
    "tasks",
    "risks",
    "resources",
    "stakeholders",
    "raci",
}
# The columns a task of the fast CSV path has; any other column sends its row the full way.
_SIMPLE_COLUMNS = ("id", "name", "duration", "predecessors")
_RICH_COLUMNS = tuple(c for c in TASK_COLUMNS if c not in _SIMPLE_COLUMNS)


# --------------------------------------------------------------------------------------- rows
@contextlib.contextmanager
def _bulk():
    """Pause the cyclic garbage collector while building many small objects.

    Reading 100,000 tasks creates ~400,000 objects and no reference cycles; the collector
    would otherwise rescan them all repeatedly (about a third of the reading time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _number(value: Any, column: str, where: dict) -> float | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise PlanError(Problem(f"expected a number, got {value!r}", column=column, **where))
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise PlanError(
            Problem(f"expected a number, got {str(value).strip()!r}", column=column, **where)
        ) from None


def _text(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel gives WBS "1" back as 1.0
    return str(value).strip()


def task_from_record(
    record: Mapping[str, Any], *, source: str | None = None, row: int | None = None
) -> tuple[Task | None, list[Problem]]:
    """Build a :class:`Task` from one row of the task table; return it or the problems found."""
    problems: list[Problem] = []
    tid = _text(record.get("id")) or ""
    where = {"source": source, "row": row, "task": tid or None}
    values: dict[str, float | None] = {}
    for column in _NUMERIC:
        try:
            values[column] = _number(record.get(column), column, where)
        except PlanError as exc:
            problems.extend(exc.problems)
            values[column] = math.nan
    links: list[Link] = []
    raw_links = record.get("predecessors")
    if not _blank(raw_links):
        try:
            if isinstance(raw_links, str):
                links = parse_links(raw_links)
            else:
                links = [_link_from_item(item) for item in raw_links]
        except (ValueError, TypeError) as exc:
            problems.append(Problem(str(exc), column="predecessors", **where))
    duration = values["duration"]
    if duration is None:
        if values["most_likely"] is not None:
            duration = values["most_likely"]
        else:
            problems.append(
                Problem(
                    "duration is required (or give optimistic, most_likely and pessimistic)",
                    column="duration",
                    **where,
                )
            )
            duration = math.nan
    resources = record.get("resources")
    if _blank(resources):
        resources = []
    elif isinstance(resources, str):
        resources = [r.strip() for r in resources.replace(",", ";").split(";") if r.strip()]
    else:
        resources = [str(r).strip() for r in resources]
    if problems:
        return None, problems
    task = Task(
        id=tid,
        name=_text(record.get("name")) or tid,
        duration=duration,
        predecessors=links,
        optimistic=values["optimistic"],
        most_likely=values["most_likely"],
        pessimistic=values["pessimistic"],
        wbs=_text(record.get("wbs")),
        owner=_text(record.get("owner")),
        resources=resources,
        cost=values["cost"],
        rate=values["rate"],
    )
    problems = check_task(task, source=source, row=row)
    return (None, problems) if problems else (task, [])


def _link_from_item(item: Any) -> Link:
    if isinstance(item, str):
        return Link.parse(item)
    if isinstance(item, Mapping):
        unknown = set(item) - {"id", "predecessor", "type", "lag"}
        if unknown:
            raise ValueError(f"unknown link field(s) {sorted(unknown)}; use id, type, lag")
        pid = item.get("id", item.get("predecessor"))
        if _blank(pid):
            raise ValueError(f"link {dict(item)!r} has no predecessor id")
        kind = str(item.get("type", "FS")).upper()
        if kind not in ("FS", "SS", "FF", "SF"):
            raise ValueError(f"link type {item.get('type')!r} is not one of FS, SS, FF, SF")
        lag = item.get("lag", 0)
        if isinstance(lag, bool) or not isinstance(lag, int | float):
            try:
                lag = float(str(lag))
            except ValueError:
                raise ValueError(f"link lag {lag!r} is not a number") from None
        return Link(str(pid), kind, float(lag))
    raise TypeError(
        f"cannot read link {item!r}: give 'ID TYPE+LAG' or a mapping with id, type, lag"
    )


def tasks_from_records(
    records: Iterable[Mapping[str, Any]], *, source: str | None = None, first_row: int | None = 2
) -> tuple[list[Task], list[int]]:
    """Tasks from rows of the task table; raises one PlanError listing every bad row."""
    tasks: list[Task] = []
    rows: list[int] = []
    problems: list[Problem] = []
    for k, record in enumerate(records):
        row = None if first_row is None else first_row + k
        task, found = task_from_record(record, source=source, row=row)
        if found:
            problems.extend(found)
        else:
            tasks.append(task)
            rows.append(row)
    if problems:
        raise PlanError(problems)
    return tasks, rows


def _build(
    tasks: list[Task], rows: list[int | None], source: str | None, **meta: Any
) -> ProjectPlan:
    task_rows = rows if rows and rows[0] is not None else None
    # Every task was checked row by row above; the constructor only checks the network.
    return ProjectPlan(tasks=tasks, source=source, task_rows=task_rows, tasks_checked=True, **meta)


def _check_columns(columns: Iterable[str], source: str | None) -> None:
    cols = set(columns)
    if "id" not in cols:
        raise PlanError(Problem("missing required column 'id'", source=source, row=1))
    three = {"optimistic", "most_likely", "pessimistic"}
    if "duration" not in cols and not three <= cols:
        raise PlanError(
            Problem(
                "missing required column 'duration' (or all of optimistic, most_likely, pessimistic)",
                source=source,
                row=1,
            )
        )


def _date(value: Any, field: str, source: str | None) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PlanError(
            Problem(f"{field}: expected a date like 2025-01-06, got {value!r}", source=source)
        ) from None


def _calendar(data: Any, source: str | None) -> Calendar:
    if data is None:
        return Calendar()
    if not isinstance(data, Mapping):
        raise PlanError(
            Problem("calendar: expected a mapping with workdays and holidays", source=source)
        )
    unknown = set(data) - {"workdays", "holidays"}
    if unknown:
        raise PlanError(Problem(f"calendar: unknown field(s) {sorted(unknown)}", source=source))
    workdays = data.get("workdays", Calendar().workdays)
    if isinstance(workdays, str):
        workdays = [w.strip() for w in workdays.replace(",", " ").split()]
    holidays = data.get("holidays") or []
    if isinstance(holidays, str):
        holidays = [h.strip() for h in holidays.replace(",", " ").split()]
    try:
        return Calendar(
            workdays=tuple(str(w).strip().title()[:3] for w in workdays),
            holidays=tuple(_date(h, "calendar.holidays", source) for h in holidays),
        )
    except PlanError as exc:
        raise PlanError([Problem(p.reason, source=source) for p in exc.problems]) from None


def _resources(data: Any, source: str | None) -> tuple[Resource, ...]:
    """Plan resources from a list of mappings (id, name, capacity, rate, role)."""
    if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
        raise PlanError(
            Problem("'resources' must be a list of mappings with id, name, capacity", source=source)
        )
    out = []
    problems = []
    for k, item in enumerate(data, start=1):
        unknown = set(item) - {"id", "name", "capacity", "rate", "role"}
        if unknown:
            problems.append(
                Problem(
                    f"resource {k}: unknown field(s) {sorted(unknown)}",
                    source=source,
                    column="resources",
                )
            )
            continue
        where = {"source": source, "row": None, "task": None}
        try:
            capacity = _number(item.get("capacity"), "resources", where)
            rate = _number(item.get("rate"), "resources", where)
        except PlanError as exc:
            problems.extend(
                Problem(f"resource {k}: {p.reason}", source=source, column="resources")
                for p in exc.problems
            )
            continue
        rid = _text(item.get("id")) or ""
        out.append(
            Resource(
                id=rid,
                name=_text(item.get("name")) or rid,
                capacity=1.0 if capacity is None else capacity,
                rate=rate,
                role=_text(item.get("role")),
            )
        )
    if problems:
        raise PlanError(problems)
    return tuple(out)


def _plan_meta(data: Mapping[str, Any], source: str | None, default_name: str) -> dict[str, Any]:
    budget = data.get("budget")
    if not _blank(budget):
        budget = _number(budget, "budget", {"source": source, "row": None, "task": None})
        if budget < 0:
            raise PlanError(Problem("budget must be >= 0", source=source, column="budget"))
    else:
        budget = None
    start = _date(data.get("start"), "start", source) or dt.date.today()
    deadline = _date(data.get("deadline"), "deadline", source)
    if deadline is not None and deadline < start:
        raise PlanError(Problem(f"deadline {deadline} is before the start {start}", source=source))
    return {
        "name": str(data.get("name") or default_name),
        "start": start,
        "deadline": deadline,
        "budget": budget,
        "calendar": _calendar(data.get("calendar"), source),
    }


# ------------------------------------------------------------------------------------ readers
def plan_from_dict(data: Mapping[str, Any], *, source: str | None = None) -> ProjectPlan:
    """A plan from the YAML/JSON structure (name, start, deadline, budget, calendar, tasks)."""
    if not isinstance(data, Mapping):
        raise PlanError(
            Problem("expected a mapping with name, start and tasks at the top level", source=source)
        )
    unknown = set(data) - _PLAN_KEYS
    if unknown:
        raise PlanError(
            Problem(
                f"unknown top-level field(s) {sorted(unknown)}; expected {sorted(_PLAN_KEYS)}",
                source=source,
            )
        )
    raw_tasks = data.get("tasks")
    if not raw_tasks:
        raise PlanError(Problem("the plan has no tasks (expected a 'tasks' list)", source=source))
    if not isinstance(raw_tasks, list) or not all(isinstance(t, Mapping) for t in raw_tasks):
        raise PlanError(Problem("'tasks' must be a list of mappings, one per task", source=source))
    for k, record in enumerate(raw_tasks):
        unknown = set(record) - set(TASK_COLUMNS)
        if unknown:
            raise PlanError(
                Problem(
                    f"unknown field(s) {sorted(unknown)}; expected {list(TASK_COLUMNS)}",
                    source=source,
                    row=k + 1,
                )
            )
    meta = _plan_meta(data, source, default_name="Project")
    tasks, rows = tasks_from_records(raw_tasks, source=source, first_row=1)
    if data.get("resources") is not None:
        meta["resources"] = _resources(data["resources"], source)
    if data.get("risks") is not None:
        from itpm_course.plan.risks import register_from_dict  # noqa: PLC0415 (risks imports io)

        where = f"{source} [risks]" if source else "[risks]"
        meta["risks"] = register_from_dict(data["risks"], source=where)
    if data.get("stakeholders") is not None or data.get("raci") is not None:
        from itpm_course.plan.stakeholders import raci_from_dict, stakeholders_from_dict  # noqa: PLC0415

        if data.get("stakeholders") is not None:
            where = f"{source} [stakeholders]" if source else "[stakeholders]"
            meta["stakeholders"] = stakeholders_from_dict(data["stakeholders"], source=where)
        if data.get("raci") is not None:
            where = f"{source} [raci]" if source else "[raci]"
            meta["raci"] = raci_from_dict(data["raci"], source=where)
    return _build(tasks, rows, source, **meta)


def read_csv(
    path: str | Path, *, name: str | None = None, start: dt.date | str | None = None, **meta: Any
) -> ProjectPlan:
    """A plan from a CSV task table (header row; columns per the CSV contract)."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(
            Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=source)
        ) from None
    return plan_from_csv_text(text, source=source, name=name or path.stem, start=start, **meta)


def plan_from_csv_text(
    text: str,
    *,
    source: str = "<csv>",
    name: str = "Project",
    start: dt.date | str | None = None,
    **meta: Any,
) -> ProjectPlan:
    """A plan from the text of a CSV task table."""

    def check_header(header: list[str]) -> None:
        _check_columns(header, source)
        dupes = sorted({h for h in header if h and header.count(h) > 1})
        if dupes:
            raise PlanError(
                Problem(
                    f"column {dupes[0]!r} appears more than once in the header",
                    source=source,
                    row=1,
                )
            )

    header, lines, rows = split_csv(text, source, "task", check_header=check_header)
    meta = {k: v for k, v in meta.items() if v is not None}
    plan_meta = _plan_meta({"name": name, "start": start, **meta}, source, default_name=name)
    with _bulk():
        tasks = _tasks_from_text_rows(header, lines, rows, source)
        return _build(tasks, rows, source, **plan_meta)


def _tasks_from_text_rows(
    header: list[str], lines: list[list[str]], rows: list[int], source: str
) -> list[Task]:
    """Tasks from CSV rows of text.

    Rows that only use id, name, duration and predecessors take a fast path (large generated
    plans); any other row, and any row the fast path cannot read, goes through
    :func:`task_from_record`, which builds the same task or explains exactly what is wrong.
    """
    col = {h: i for i, h in enumerate(header) if h}
    simple = _simple_tasks(col, lines)
    if simple is not None:
        return simple
    rich = [col[c] for c in _RICH_COLUMNS if c in col]
    i_id, i_dur = col["id"], col.get("duration")
    i_name, i_pred = col.get("name"), col.get("predecessors")
    tasks: list[Task] = []
    problems: list[Problem] = []
    for values, row in zip(lines, rows, strict=True):
        task = None
        if i_dur is not None and not any(values[i].strip() for i in rich):
            try:
                tid = values[i_id].strip()
                links_text = values[i_pred] if i_pred is not None else ""
                duration = float(values[i_dur])
                links = parse_links(links_text) if links_text.strip() else []
                # the checks of check_task() for a task with only these fields, inlined for speed
                if (
                    0 <= duration < math.inf
                    and TASK_ID.match(tid)
                    and all(lk.predecessor != tid for lk in links)
                ):
                    name = (values[i_name].strip() if i_name is not None else "") or tid
                    task = Task(tid, duration, name, links)
            except ValueError:
                task = None
        if task is None:
            record = {h: values[i] for h, i in col.items()}
            task, found = task_from_record(record, source=source, row=row)
            problems.extend(found)
        if task is not None:
            tasks.append(task)
    if problems:
        raise PlanError(problems)
    return tasks


_NOT_IN_ID = re.compile(r"[\s;,]")
_LINK_TEXT = re.compile(r"[^;,\s][^;,]*")


def _simple_tasks(col: dict[str, int], lines: list[list[str]]) -> list[Task] | None:
    """Column-at-a-time reading of a task table that has only id, name, duration, predecessors.

    Returns None when the table has other columns or anything the checks below do not pass;
    the row-by-row reader then builds the tasks or explains exactly what is wrong.
    """
    if set(col) - set(_SIMPLE_COLUMNS) or "duration" not in col:
        return None
    columns = list(zip(*lines, strict=True))
    ids = list(map(str.strip, columns[col["id"]]))
    try:
        durations = list(map(float, columns[col["duration"]]))
    except ValueError:
        return None
    low, high = min(durations), max(durations)
    if not (0 <= low and high < math.inf) or any(d != d for d in durations):  # d != d: NaN
        return None
    if "" in ids or _NOT_IN_ID.search("\x00".join(ids)):
        return None
    if "name" in col:
        names = [
            name or tid for name, tid in zip(map(str.strip, columns[col["name"]]), ids, strict=True)
        ]
    else:
        names = ids
    if "predecessors" in col:
        links = []
        for tid, text in zip(ids, columns[col["predecessors"]], strict=True):
            if not text or text.isspace():
                links.append([])
                continue
            items = _LINK_TEXT.findall(text)
            if any(" " in item.strip() or "\t" in item for item in items):
                try:
                    parsed = parse_links(text)  # typed links or lags: the full parser
                except ValueError:
                    return None
            else:
                parsed = list(map(Link, map(str.strip, items)))
            if any(link.predecessor == tid for link in parsed):
                return None
            links.append(parsed)
    else:
        links = [[] for _ in ids]
    return list(map(Task, ids, durations, names, links))


def plan_from_frame(
    frame,
    *,
    name: str = "Project",
    start: dt.date | str | None = None,
    source: str | None = None,
    **meta,
):
    """A plan from a task-table DataFrame (columns as in the CSV contract)."""
    import pandas as pd  # noqa: PLC0415

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    if frame.index.name == "id" and "id" not in frame.columns:
        frame = frame.reset_index()
    _check_columns(frame.columns, source)
    if frame.empty:
        raise PlanError(Problem("the table has no task rows", source=source))
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    tasks, rows = tasks_from_records(records, source=source, first_row=2)
    meta = {k: v for k, v in meta.items() if v is not None}
    plan_meta = _plan_meta({"name": name, "start": start, **meta}, source, default_name=name)
    return _build(tasks, rows, source, **plan_meta)


def read_yaml(path: str | Path) -> ProjectPlan:
    """A plan from a YAML file (the whole plan)."""
    path = Path(path)
    return plan_from_dict(load_data(path, "yaml"), source=str(path))


def read_json(path: str | Path) -> ProjectPlan:
    """A plan from a JSON file (the whole plan)."""
    path = Path(path)
    return plan_from_dict(load_data(path, "json"), source=str(path))


def read_excel(path: str | Path) -> ProjectPlan:
    """A plan from an .xlsx workbook: a ``tasks`` sheet (or the first sheet) and an optional ``project`` sheet."""
    path = Path(path)
    source = str(path)
    wb = open_workbook(path)
    sheet = wb["tasks"] if "tasks" in wb.sheetnames else wb.worksheets[0]
    table = sheet_table(sheet, source, "task", _check_columns)
    records, rows, sheet_source = table.records, table.rows, table.source
    meta: dict[str, Any] = {"name": path.stem}
    if "project" in wb.sheetnames:
        for key, value, *_ in wb["project"].iter_rows(values_only=True):
            if key is not None:
                meta[str(key).strip().lower()] = value
        cal = {k: meta.pop(k) for k in ("workdays", "holidays") if k in meta}
        if cal:
            meta["calendar"] = cal
    has_risks = "risks" in wb.sheetnames
    resource_rows = []
    if "resources" in wb.sheetnames:
        rows_iter = wb["resources"].iter_rows(values_only=True)
        head = [str(h).strip().lower() if h is not None else "" for h in next(rows_iter, ())]
        resource_rows = [
            {h: v for h, v in zip(head, values, strict=False) if h and not _blank(v)}
            for values in rows_iter
            if not all(_blank(v) for v in values)
        ]
    wb.close()
    tasks: list[Task] = []
    problems: list[Problem] = []
    for record, row in zip(records, rows, strict=True):
        task, found = task_from_record(record, source=sheet_source, row=row)
        problems.extend(found)
        if task is not None:
            tasks.append(task)
    if problems:
        raise PlanError(problems)
    unknown = set(meta) - _PLAN_KEYS
    if unknown:
        raise PlanError(
            Problem(f"sheet 'project': unknown field(s) {sorted(unknown)}", source=source)
        )
    plan_meta = _plan_meta(meta, source, default_name=path.stem)
    if resource_rows:
        plan_meta["resources"] = _resources(resource_rows, f"{source} [sheet resources]")
    if has_risks:
        from itpm_course.plan.risks import read_register_excel  # noqa: PLC0415 (risks imports io)

        plan_meta["risks"] = read_register_excel(path)
    return _build(tasks, rows, sheet_source, **plan_meta)


def load_plan(path: str | Path, **options: Any) -> ProjectPlan:
    """Load a plan from CSV, Excel (.xlsx), YAML or JSON, chosen by the file's extension.

    For a CSV task table, ``name``, ``start``, ``deadline`` and ``budget`` may be given as options.
    """
    path = Path(path)
    kind = check_path(path, "plan")
    if kind == "csv":
        return read_csv(path, **options)
    if options:
        raise TypeError(f"options {sorted(options)} only apply to CSV task tables")
    return {"excel": read_excel, "yaml": read_yaml, "json": read_json}[kind](path)


# ------------------------------------------------------------------------------------ writers
def task_record(task: Task) -> dict[str, Any]:
    """One task as a flat CSV/Excel row (predecessors and resources as text)."""
    return {
        "id": task.id,
        "name": task.name,
        "duration": task.duration,
        "predecessors": format_links(task.predecessors),
        "optimistic": task.optimistic,
        "most_likely": task.most_likely,
        "pessimistic": task.pessimistic,
        "wbs": task.wbs,
        "owner": task.owner,
        "resources": "; ".join(task.resources),
        "cost": task.cost,
        "rate": task.rate,
    }


def tasks_to_frame(tasks: Iterable[Task]):
    """The task table as a DataFrame with the CSV columns."""
    import pandas as pd  # noqa: PLC0415

    frame = pd.DataFrame([task_record(t) for t in tasks], columns=list(TASK_COLUMNS))
    for column in _NUMERIC:
        frame[column] = frame[column].astype(float)
    return frame


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def write_csv(plan: ProjectPlan, path: str | Path) -> None:
    """Write the task table as CSV (plan-level fields are not part of the CSV contract)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(TASK_COLUMNS)
        for task in plan.tasks:
            record = task_record(task)
            writer.writerow([_cell(record[c]) for c in TASK_COLUMNS])


def write_yaml(plan: ProjectPlan, path: str | Path) -> None:
    """Write the whole plan as YAML."""
    write_data(plan.to_dict(), Path(path), "yaml")


def write_json(plan: ProjectPlan, path: str | Path) -> None:
    """Write the whole plan as JSON."""
    write_data(plan.to_dict(), Path(path), "json")


def write_excel(plan: ProjectPlan, path: str | Path) -> None:
    """Write the plan as .xlsx: a ``tasks`` sheet and a ``project`` sheet of plan-level fields."""
    import openpyxl  # noqa: PLC0415

    if plan.stakeholders is not None or plan.raci is not None:
        # Refuse rather than silently drop part of the plan.
        raise ValueError(
            "Excel plans do not hold stakeholders or a RACI matrix yet; save this plan as .yaml or .json"
        )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "tasks"
    records = (task_record(task) for task in plan.tasks)
    rows = ([record[c] if record[c] != "" else None for c in TASK_COLUMNS] for record in records)
    write_sheet(ws, TASK_COLUMNS, rows, exact_floats=False)
    meta = wb.create_sheet("project")  # text stays text: a name like "=0" is not a formula
    append_row(meta, ["name", plan.name])
    append_row(meta, ["start", plan.start.isoformat()])
    if plan.deadline:
        append_row(meta, ["deadline", plan.deadline.isoformat()])
    if plan.budget is not None:
        append_row(meta, ["budget", plan.budget])
    append_row(meta, ["workdays", " ".join(plan.calendar.workdays)])
    append_row(meta, ["holidays", " ".join(d.isoformat() for d in sorted(plan.calendar.holidays))])
    if plan.resources:
        sheet = wb.create_sheet("resources")
        append_row(sheet, ["id", "name", "capacity", "rate", "role"])
        for r in plan.resources:
            append_row(sheet, [r.id, r.name, r.capacity, r.rate, r.role])
    if plan.risks is not None:
        from itpm_course.plan.risks import fill_register_sheet  # noqa: PLC0415

        fill_register_sheet(wb.create_sheet("risks"), plan.risks)
    wb.save(path)


def save_plan(plan: ProjectPlan, path: str | Path) -> None:
    """Save a plan in the format given by the file's extension."""
    path = Path(path)
    kind = save_kind(path)
    {"csv": write_csv, "excel": write_excel, "yaml": write_yaml, "json": write_json}[kind](
        plan, path
    )
