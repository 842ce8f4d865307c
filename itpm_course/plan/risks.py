"""The risk register as data: :class:`Risk`, :class:`RiskRegister` and their readers/writers.

A register is a table with one row per risk (CSV, an Excel sheet ``risks``, a DataFrame) or a
list of mappings (YAML/JSON, either a bare list or a list under ``risks:``). Every reader funnels
rows through :func:`risk_from_record`, so a bad value gets the same specific message (file, row,
column, reason) whatever the format, and every problem in the file is reported at once.

Probability is a fraction 0–1. Readers also accept a percentage (``"30%"``) and the 1–5 ordinal
scale, either in a ``probability_rating`` column or in ``probability`` with a
``probability_scale`` column saying ``rating`` (or ``percent``/``fraction``). A rating given
without a probability takes the PMBOK value of that level (0.1, 0.3, 0.5, 0.7, 0.9), and the
rating is kept, so a register written back out reads in as the same risks.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itpm_course.errors import PlanError, Problem
from itpm_course.plan._records import (
    Register,
    check_path,
    duplicate_problems,
    load_data,
    read_sheet,
    read_utf8,
    records_by_header,
    save_kind,
    split_csv,
    write_data,
    write_sheet,
)
from itpm_course.plan.io import _blank, _bulk, _cell, _text
from itpm_course.plan.model import TASK_ID, _plain_number

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.plan.model import ProjectPlan

KINDS = ("threat", "opportunity")
THREAT_STRATEGIES = ("avoid", "mitigate", "transfer", "accept", "escalate")
OPPORTUNITY_STRATEGIES = ("exploit", "enhance", "share", "accept", "escalate")
STRATEGIES = {"threat": THREAT_STRATEGIES, "opportunity": OPPORTUNITY_STRATEGIES}
# avoid <-> exploit, transfer <-> share, mitigate <-> enhance (PMBOK 6th ed.)
MIRROR = {
    "avoid": "exploit",
    "exploit": "avoid",
    "transfer": "share",
    "share": "transfer",
    "mitigate": "enhance",
    "enhance": "mitigate",
}
STATUSES = ("open", "monitoring", "occurred", "closed")
ACTIVE_STATUSES = ("open", "monitoring")
CATEGORIES = ("technical", "external", "organisational", "project-management")  # RBS level 1
# The PMBOK probability scale (5th ed., Fig. 11-10): the value of each 1-5 rating.
PROBABILITY_SCALE = (0.1, 0.3, 0.5, 0.7, 0.9)
PROBABILITY_UNITS = ("fraction", "percent", "rating")

RISK_COLUMNS = (
    "id",
    "title",
    "kind",
    "category",
    "cause",
    "event",
    "effect",
    "probability",
    "probability_rating",
    "impact_rating",
    "impact_days",
    "impact_cost",
    "tasks",
    "owner",
    "strategy",
    "actions",
    "status",
    "trigger",
    "residual_probability",
    "residual_impact_rating",
    "response_cost",
)
INPUT_ONLY_COLUMNS = ("probability_scale",)
IMPACT_COLUMNS = ("impact_rating", "impact_days", "impact_cost")
_RATINGS = ("probability_rating", "impact_rating", "residual_impact_rating")
_AMOUNTS = ("impact_days", "impact_cost", "response_cost")
_FLOATS = ("probability", "impact_days", "impact_cost", "residual_probability", "response_cost")
_TEXTS = ("category", "cause", "event", "effect", "owner", "actions", "trigger")
_REGISTER_KEYS = {"name", "risks"}
_PERCENT = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$")


@dataclass(slots=True)
class Risk:
    """One risk: a threat (costs time or money if it occurs) or an opportunity (saves them).

    ``probability`` is a fraction 0–1; ``impact_rating`` is 1 (very low) to 5 (very high);
    ``impact_days`` are working days and ``impact_cost`` money, both the size of the effect if
    the risk occurs (>= 0; the ``kind`` gives the sign). ``tasks`` are the ids of the plan tasks
    the risk affects. ``residual_*`` describe the risk after the response; ``response_cost`` is
    the money the response costs.
    """

    id: str
    title: str
    probability: float
    kind: str = "threat"
    category: str | None = None
    cause: str | None = None
    event: str | None = None
    effect: str | None = None
    probability_rating: int | None = None
    impact_rating: int | None = None
    impact_days: float | None = None
    impact_cost: float | None = None
    tasks: list[str] = field(default_factory=list)
    owner: str | None = None
    strategy: str | None = None
    actions: str | None = None
    status: str = "open"
    trigger: str | None = None
    residual_probability: float | None = None
    residual_impact_rating: int | None = None
    response_cost: float | None = None

    @property
    def is_threat(self) -> bool:
        return self.kind == "threat"

    @property
    def is_active(self) -> bool:
        """True while the risk can still happen (status open or monitoring)."""
        return self.status in ACTIVE_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """The risk as plain data (the YAML/JSON form), omitting empty optional fields."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "kind": self.kind}
        for f in fields(self):
            name = f.name
            if name in out:
                continue
            value = getattr(self, name)
            if value is None or (name == "tasks" and not value):
                continue
            out[name] = _plain_number(value) if isinstance(value, float) else value
            if name == "tasks":
                out[name] = list(value)
        return out


def check_risk(risk: Risk, *, source: str | None = None, row: int | None = None) -> list[Problem]:
    """Problems with one risk's own fields (ranges, allowed values, strategy for its kind)."""
    problems: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(reason, source=source, row=row, column=column))

    if not isinstance(risk.id, str) or not TASK_ID.match(risk.id):
        bad("id", f"risk id {risk.id!r} must be non-empty without spaces, ';' or ','")
    if not isinstance(risk.title, str) or not risk.title.strip():
        bad("title", "a risk needs a title (a short name such as 'Data loss during cut-over')")
    if risk.kind not in KINDS:
        bad("kind", f"kind {risk.kind!r} is not one of threat, opportunity")
    for name in ("probability", "residual_probability"):
        value = getattr(risk, name)
        if value is None and name == "residual_probability":
            continue
        if not _is_number(value) or not 0 <= value <= 1:
            bad(
                name,
                f"{name.replace('_', ' ')} must be between 0 and 1 (or a percentage such as "
                f"30%), got {_show(value)}",
            )
    for name in _RATINGS:
        value = getattr(risk, name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
        ):
            bad(name, f"{name.replace('_', ' ')} must be a whole number from 1 to 5, got {value!r}")
    for name in _AMOUNTS:
        value = getattr(risk, name)
        if value is not None and (not _is_number(value) or not 0 <= value < math.inf):
            unit = "working days" if name.endswith("days") else "money"
            bad(
                name, f"{name.replace('_', ' ')} must be a number >= 0 ({unit}), got {_show(value)}"
            )
    if all(getattr(risk, c) is None for c in IMPACT_COLUMNS):
        bad(
            "impact_rating",
            "a risk needs an impact: give impact_rating (1-5), impact_days or impact_cost",
        )
    if risk.strategy is not None:
        _check_strategy(risk, bad)
    if risk.status not in STATUSES:
        bad("status", f"status {risk.status!r} is not one of {', '.join(STATUSES)}")
    seen: set[str] = set()
    for tid in risk.tasks:
        if not isinstance(tid, str) or not TASK_ID.match(tid):
            bad("tasks", f"task id {tid!r} must be non-empty without spaces, ';' or ','")
        elif tid in seen:
            bad("tasks", f"task {tid!r} is listed twice")
        seen.add(tid)
    for name in _TEXTS:
        value = getattr(risk, name)
        if value is not None and not isinstance(value, str):
            bad(name, f"{name} must be text, got {value!r}")
    return problems


def _check_strategy(risk: Risk, bad) -> None:
    allowed = STRATEGIES.get(risk.kind)
    if allowed is None:
        return  # the kind itself is already reported
    if risk.strategy in allowed:
        return
    other = "opportunity" if risk.kind == "threat" else "threat"
    plural = {"threat": "threats", "opportunity": "opportunities"}
    article = {"threat": "a threat", "opportunity": "an opportunity"}
    if risk.strategy in STRATEGIES[other]:
        hint = f"'{risk.strategy}' is a strategy for {plural[other]}"
        mirror = MIRROR.get(risk.strategy)
        if mirror:
            hint += f"; its mirror for {article[risk.kind]} is '{mirror}'"
        bad(
            "strategy",
            f"{hint}. {article[risk.kind].capitalize()} takes one of {', '.join(allowed)}",
        )
    else:
        bad(
            "strategy",
            f"strategy {risk.strategy!r} is not a response strategy; {article[risk.kind]} takes one "
            f"of {', '.join(allowed)}",
        )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return str(_plain_number(value))
    return repr(value)


# ------------------------------------------------------------------------------- the register
class RiskRegister(Register[Risk]):
    """An ordered collection of risks with unique ids.

    ``source`` and ``rows`` remember where the register was read from, so later checks (e.g.
    :func:`check_register_against_plan`) can point at the file and row of a risk.
    The constructor checks every risk and raises :class:`PlanError` naming every problem.
    """

    __slots__ = ()
    _item_type = Risk
    _noun = "risk"
    _plural = "risks"
    _check = staticmethod(check_risk)

    def _unknown_id(self, item_id: str) -> str:
        known = ", ".join(self.ids[:10]) + (" ..." if len(self) > 10 else "")
        return f"no risk {item_id!r} in the register (risks: {known or 'none'})"

    @property
    def threats(self) -> list[Risk]:
        return [r for r in self._items if r.kind == "threat"]

    @property
    def opportunities(self) -> list[Risk]:
        return [r for r in self._items if r.kind == "opportunity"]

    # -- conversions ------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The register as a DataFrame with the CSV columns (tasks as ``"A; B"`` text)."""
        return register_to_frame(self)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per risk with every column (None where empty)."""
        return [risk_record(r) for r in self._items]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str | None = None) -> RiskRegister:
        return register_from_frame(frame, source=source)

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, source: str | None = None
    ) -> RiskRegister:
        return register_from_records(records, source=source)


# ----------------------------------------------------------------------------------- parsing
def _where(source: str | None, row: int | None, column: str) -> dict[str, Any]:
    return {"source": source, "row": row, "column": column}


def _float_cell(value: Any, column: str, where: dict) -> float | None:
    """A plain number (no percent); PlanError naming the cell if it is not one."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise PlanError(Problem(f"expected a number, got {value!r}", **where))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise PlanError(Problem(f"expected a number, got {text!r}", **where)) from None
    if not math.isfinite(number):
        raise PlanError(Problem(f"expected a finite number, got {_show(number)}", **where))
    return number


def _probability_cell(value: Any, where: dict, unit: str | None) -> tuple[float | None, int | None]:
    """Probability from a cell in the given unit; returns (probability, rating or None)."""
    if _blank(value):
        return None, None
    column = where["column"]
    if isinstance(value, str):
        m = _PERCENT.match(value)
        if m:
            if unit not in (None, "percent"):
                raise PlanError(
                    Problem(
                        f"{value.strip()!r} is a percentage but probability_scale is {unit!r}",
                        **where,
                    )
                )
            pct = Decimal(m.group(1))
            if not 0 <= pct <= 100:
                raise PlanError(
                    Problem(
                        f"a percentage must be between 0% and 100%, got {value.strip()!r}", **where
                    )
                )
            return float(pct / 100), None
        if value.strip().endswith("%"):
            raise PlanError(Problem(f"cannot read {value.strip()!r} as a percentage", **where))
    number = _float_cell(value, column, where)
    if unit == "percent":
        if not 0 <= number <= 100:
            raise PlanError(
                Problem(f"a percentage must be between 0 and 100, got {_show(number)}", **where)
            )
        return float(Decimal(repr(number)) / 100), None
    if unit == "rating":
        rating = _rating_value(number, where)
        return PROBABILITY_SCALE[rating - 1], rating
    if not 0 <= number <= 1:
        hint = f" (write {_show(number)}% for a percentage)" if 1 < number <= 100 else ""
        raise PlanError(
            Problem(
                f"{column.replace('_', ' ')} must be between 0 and 1{hint}, got {_show(number)}",
                **where,
            )
        )
    return number, None


def _rating_value(number: float, where: dict) -> int:
    if not float(number).is_integer() or not 1 <= number <= 5:
        raise PlanError(
            Problem(
                f"{where['column'].replace('_', ' ')} must be a whole number from 1 to 5, got {_show(number)}",
                **where,
            )
        )
    return int(number)


def _rating_cell(value: Any, where: dict) -> int | None:
    number = _float_cell(value, where["column"], where)
    return None if number is None else _rating_value(number, where)


def _choice(value: Any, allowed: Sequence[str], where: dict, what: str) -> str | None:
    text = _text(value)
    if text is None:
        return None
    key = text.lower()
    if key not in allowed:
        raise PlanError(Problem(f"{what} {text!r} is not one of {', '.join(allowed)}", **where))
    return key


def _tasks_cell(value: Any, where: dict) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str):
        return [t.strip() for t in re.split(r"[;,]", value) if t.strip()]
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            if _blank(item):
                continue
            if not isinstance(item, str | int):
                raise PlanError(Problem(f"task ids must be text, got {item!r}", **where))
            out.append(str(item).strip())
        return out
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [_text(value)]  # a bare numeric task id from Excel
    raise PlanError(Problem(f"cannot read task list {value!r}; write 'A; B'", **where))


def risk_from_record(
    record: Mapping[str, Any], *, source: str | None = None, row: int | None = None
) -> tuple[Risk | None, list[Problem]]:
    """Build a :class:`Risk` from one row of the register; return it or the problems found."""
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def cell(column: str, parse) -> Any:
        where = _where(source, row, column)
        try:
            return parse(record.get(column), where)
        except PlanError as exc:
            problems.extend(exc.problems)
            return _FAILED

    for column in ("id", "title"):
        values[column] = _text(record.get(column))
    for column in ("id", "title"):
        if values[column] is None:
            problems.append(Problem(f"{column} is required", source=source, row=row, column=column))
    values["kind"] = cell("kind", lambda v, w: _choice(v, KINDS, w, "kind")) or "threat"
    values["status"] = cell("status", lambda v, w: _choice(v, STATUSES, w, "status")) or "open"
    unit = cell(
        "probability_scale", lambda v, w: _choice(v, PROBABILITY_UNITS, w, "probability scale")
    )
    prob = cell("probability", lambda v, w: _probability_cell(v, w, unit or None))
    rating = cell("probability_rating", _rating_cell)
    if prob is not _FAILED and rating is not _FAILED:
        p, p_rating = prob
        if p_rating is not None and rating is not None and rating != p_rating:
            problems.append(
                Problem(
                    f"probability rating {rating} disagrees with the probability given as "
                    f"rating {p_rating}",
                    source=source,
                    row=row,
                    column="probability_rating",
                )
            )
        rating = rating if rating is not None else p_rating
        if p is None and rating is not None:
            p = PROBABILITY_SCALE[rating - 1]
        if p is None:
            problems.append(
                Problem(
                    "probability is required (a fraction such as 0.3, a percentage such as "
                    "30%, or probability_rating 1-5)",
                    source=source,
                    row=row,
                    column="probability",
                )
            )
        values["probability"], values["probability_rating"] = p, rating
    residual = cell("residual_probability", lambda v, w: _probability_cell(v, w, None))
    values["residual_probability"] = residual[0] if residual is not _FAILED else None
    for column in ("impact_rating", "residual_impact_rating"):
        values[column] = cell(column, _rating_cell)
    for column in _AMOUNTS:
        amount = cell(column, lambda v, w, c=column: _float_cell(v, c, w))
        if amount is not _FAILED and amount is not None and amount < 0:
            unit_text = "working days" if column.endswith("days") else "money"
            problems.append(
                Problem(
                    f"{column.replace('_', ' ')} must be >= 0 ({unit_text}); the kind "
                    f"(threat/opportunity) gives the direction, got {_show(amount)}",
                    **_where(source, row, column),
                )
            )
            amount = _FAILED
        values[column] = amount
    values["tasks"] = cell("tasks", _tasks_cell)
    for column in _TEXTS:
        values[column] = _text(record.get(column))
    values["strategy"] = _text(record.get("strategy"))
    if values["strategy"] is not None:
        values["strategy"] = values["strategy"].lower()
        if values["kind"] in KINDS:  # report a strategy that does not fit the kind with the rest
            probe = Risk("x", "x", 0.0, kind=values["kind"], strategy=values["strategy"])
            _check_strategy(
                probe,
                lambda column, reason: problems.append(
                    Problem(reason, source=source, row=row, column=column)
                ),
            )
    if problems:
        return None, problems
    risk = Risk(**values)
    problems = check_risk(risk, source=source, row=row)
    return (None, problems) if problems else (risk, [])


_FAILED: Any = object()


def _check_columns(columns: Iterable[str], source: str | None, row: int | None = 1) -> None:
    cols = [c for c in columns if c]
    known = set(RISK_COLUMNS) | set(INPUT_ONLY_COLUMNS)
    problems = []
    unknown = [c for c in cols if c not in known]
    for c in unknown:
        problems.append(
            Problem(
                f"unknown column {c!r}; the register's columns are {', '.join(RISK_COLUMNS)}",
                source=source,
                row=row,
                column=c,
            )
        )
    dupes = sorted({c for c in cols if cols.count(c) > 1})
    for c in dupes:
        problems.append(
            Problem("column appears more than once in the header", source=source, row=row, column=c)
        )
    missing = [c for c in ("id", "title") if c not in cols]
    if "probability" not in cols and "probability_rating" not in cols:
        missing.append("probability")
    for c in missing:
        problems.append(Problem(f"missing required column {c!r}", source=source, row=row, column=c))
    if not any(c in cols for c in IMPACT_COLUMNS):
        problems.append(
            Problem(
                "missing an impact column: give impact_rating, impact_days or impact_cost",
                source=source,
                row=row,
                column="impact_rating",
            )
        )
    if problems:
        raise PlanError(problems)


def register_from_records(
    records: Iterable[Mapping[str, Any]],
    *,
    source: str | None = None,
    first_row: int | None = 2,
    rows: Sequence[int] | None = None,
    name: str | None = None,
) -> RiskRegister:
    """A register from rows (dicts keyed by column); one PlanError lists every bad row."""
    risks: list[Risk] = []
    kept_rows: list[int | None] = []
    problems: list[Problem] = []
    with _bulk():
        for k, record in enumerate(records):
            if rows is not None:
                row = rows[k]
            else:
                row = None if first_row is None else first_row + k
            risk, found = risk_from_record(record, source=source, row=row)
            problems.extend(found)
            if risk is not None:
                risks.append(risk)
                kept_rows.append(row)
    if problems:
        # duplicates among the good rows are reported too, so one run shows everything
        problems.extend(duplicate_problems(risks, kept_rows, source, "risk"))
        raise PlanError(problems)
    return RiskRegister(risks, name=name, source=source, rows=kept_rows)


def register_from_dict(data: Any, *, source: str | None = None) -> RiskRegister:
    """A register from the YAML/JSON structure: a bare list of risks or ``{name, risks: [...]}``."""
    name = None
    if isinstance(data, Mapping):
        unknown = set(data) - _REGISTER_KEYS
        if unknown:
            raise PlanError(
                Problem(
                    f"unknown top-level field(s) {sorted(unknown)}; expected 'risks' (and 'name')",
                    source=source,
                )
            )
        name = _text(data.get("name"))
        data = data.get("risks")
        if data is None:
            raise PlanError(Problem("the register has no 'risks' list", source=source))
    if not isinstance(data, list):
        raise PlanError(
            Problem(
                "expected a list of risks (a bare list, or a list under 'risks:')", source=source
            )
        )
    if not data:
        raise PlanError(Problem("the register has no risks", source=source))
    problems = []
    for k, record in enumerate(data, start=1):
        if not isinstance(record, Mapping):
            problems.append(
                Problem(f"expected a mapping of fields, got {record!r}", source=source, row=k)
            )
            continue
        known = set(RISK_COLUMNS) | set(INPUT_ONLY_COLUMNS)
        for key in record:
            if key not in known:
                problems.append(
                    Problem(
                        f"unknown field {key!r}; the register's fields are {', '.join(RISK_COLUMNS)}",
                        source=source,
                        row=k,
                        column=str(key),
                    )
                )
    if problems:
        raise PlanError(problems)
    return register_from_records(data, source=source, first_row=1, name=name)


def register_from_csv_text(text: str, *, source: str = "<csv>") -> RiskRegister:
    """A register from the text of a CSV table (header row, one row per risk)."""
    header, lines, rows = split_csv(
        text, source, "risk", check_header=lambda header: _check_columns(header, source)
    )
    return register_from_records(records_by_header(header, lines), source=source, rows=rows)


def read_register_csv(path: str | Path) -> RiskRegister:
    """A register from a CSV file."""
    path = Path(path)
    text = read_utf8(path, bom=True)
    register = register_from_csv_text(text, source=str(path))
    register.name = path.stem
    return register


def read_register_yaml(path: str | Path) -> RiskRegister:
    """A register from a YAML file (a list of risks, or a mapping with ``risks:``)."""
    path = Path(path)
    register = register_from_dict(load_data(path, "yaml"), source=str(path))
    register.name = register.name or path.stem
    return register


def read_register_json(path: str | Path) -> RiskRegister:
    """A register from a JSON file (a list of risks, or an object with ``risks``)."""
    path = Path(path)
    register = register_from_dict(load_data(path, "json"), source=str(path))
    register.name = register.name or path.stem
    return register


def read_register_excel(path: str | Path) -> RiskRegister:
    """A register from an .xlsx workbook: the sheet ``risks`` (or the only sheet)."""
    path = Path(path)
    table = read_sheet(path, "risks", "risk", _check_columns)
    return register_from_records(
        table.records, source=table.source, rows=table.rows, name=path.stem
    )


def register_from_frame(frame: pd.DataFrame, *, source: str | None = None) -> RiskRegister:
    """A register from a DataFrame with the register's columns (rows numbered from 2, as in a sheet)."""
    import pandas as pd  # noqa: PLC0415

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    if frame.index.name == "id" and "id" not in frame.columns:
        frame = frame.reset_index()
    _check_columns(frame.columns, source)
    if frame.empty:
        raise PlanError(Problem("the table has no risk rows", source=source))
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return register_from_records(records, source=source, first_row=2)


def load_register(path: str | Path) -> RiskRegister:
    """Load a risk register from CSV, Excel (.xlsx), YAML or JSON, chosen by the file's extension."""
    path = Path(path)
    kind = check_path(path, "register")
    reader = {
        "csv": read_register_csv,
        "excel": read_register_excel,
        "yaml": read_register_yaml,
        "json": read_register_json,
    }[kind]
    return reader(path)


# ------------------------------------------------------------------------------------ writers
def risk_record(risk: Risk) -> dict[str, Any]:
    """One risk as a flat CSV/Excel row (tasks as ``"A; B"``; None where empty)."""
    record = {c: getattr(risk, c) for c in RISK_COLUMNS}
    record["tasks"] = "; ".join(risk.tasks) if risk.tasks else None
    return record


def register_to_frame(register: Iterable[Risk]) -> pd.DataFrame:
    """The register as a DataFrame: the CSV columns, numbers as float (NaN where empty)."""
    import pandas as pd  # noqa: PLC0415

    frame = pd.DataFrame([risk_record(r) for r in register], columns=list(RISK_COLUMNS))
    numeric = _FLOATS + _RATINGS
    for column in frame.columns:
        if column in numeric:
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype(float)
        else:  # one marker for "empty" in text columns, whatever pandas inferred
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def write_register_csv(register: RiskRegister, path: str | Path) -> None:
    """Write the register as a CSV table with every column."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write(register_to_csv_text(register))


def register_to_csv_text(register: Iterable[Risk]) -> str:
    """The register as CSV text (header and one row per risk)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(RISK_COLUMNS)
    for risk in register:
        record = risk_record(risk)
        writer.writerow([_cell(record[c]) for c in RISK_COLUMNS])
    return buf.getvalue()


def write_register_yaml(register: RiskRegister, path: str | Path) -> None:
    """Write the register as YAML (``name`` and a ``risks`` list)."""
    write_data(register.to_dict(), Path(path), "yaml")


def write_register_json(register: RiskRegister, path: str | Path) -> None:
    """Write the register as JSON (``name`` and a ``risks`` list)."""
    write_data(register.to_dict(), Path(path), "json")


def write_register_excel(register: RiskRegister, path: str | Path) -> None:
    """Write the register as .xlsx with one sheet ``risks``."""
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "risks"
    fill_register_sheet(ws, register)
    wb.save(path)


def fill_register_sheet(ws, register: RiskRegister) -> None:
    """Write the register's header and rows into an openpyxl worksheet."""
    records = (risk_record(risk) for risk in register)
    write_sheet(ws, RISK_COLUMNS, ([record[c] for c in RISK_COLUMNS] for record in records))


def save_register(register: RiskRegister, path: str | Path) -> None:
    """Save a register in the format given by the file's extension."""
    path = Path(path)
    kind = save_kind(path)
    writer = {
        "csv": write_register_csv,
        "excel": write_register_excel,
        "yaml": write_register_yaml,
        "json": write_register_json,
    }[kind]
    writer(register, path)


# ------------------------------------------------------------------------ checks with a plan
def check_register_against_plan(register: RiskRegister, plan: ProjectPlan) -> list[Problem]:
    """Problems where a risk names a task id that is not in ``plan`` (empty list when none)."""
    known = plan.network.index
    problems = []
    for k, risk in enumerate(register):
        unknown = [t for t in risk.tasks if t not in known]
        for tid in unknown:
            problems.append(
                Problem(
                    f"risk {risk.id!r} names task {tid!r}, which is not in plan {plan.name!r}",
                    source=register.source,
                    row=register.row_of(k),
                    column="tasks",
                )
            )
    return problems
