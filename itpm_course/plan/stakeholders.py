"""Stakeholders and the RACI matrix as data: :class:`Stakeholder`, :class:`StakeholderRegister`,
:class:`RaciMatrix` and their readers/writers.

A stakeholder register is a table with one row per stakeholder (CSV, an Excel sheet
``stakeholders``, a DataFrame) or a list of mappings (YAML/JSON, a bare list or a list under
``stakeholders:``). Every reader funnels rows through :func:`stakeholder_from_record`, so a bad
value gets the same message (file, row, column, reason) whatever the format, and every problem
in the file is reported at once.

Interest and power (influence) are ratings from 1 (very low) to 5 (very high). Engagement uses
the five levels of PMBOK's stakeholder engagement assessment matrix, from ``unaware`` to
``leading``; ``current_engagement`` is where the stakeholder is today and
``desired_engagement`` where the project needs them.

A RACI matrix is a grid: one row per deliverable (a task id or WBS code of the plan), one column
per role, and in each cell R (Responsible: does the work), A (Accountable: answers for it),
C (Consulted: asked before) or I (Informed: told after), or ``AR`` when the Accountable also does
the work. Checks of the *content* (one Accountable per deliverable...) live in
:mod:`itpm_course.engine.stakeholders`; this module only refuses what cannot be a RACI at all.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itpm_course.errors import PlanError, Problem
from itpm_course.plan._records import (
    SUFFIXES,
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
from itpm_course.plan.io import _blank, _text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.plan.model import ProjectPlan

ATTITUDES = ("champion", "supporter", "neutral", "critic", "blocker")
# PMBOK's stakeholder engagement assessment matrix, lowest to highest engagement.
ENGAGEMENT_LEVELS = ("unaware", "resistant", "neutral", "supportive", "leading")
FREQUENCIES = ("daily", "weekly", "fortnightly", "monthly", "per milestone", "as needed")
# The guide's collaboration tools plus the classic formal channels. Spellings accepted on input
# map to one canonical name.
CHANNELS = (
    "Slack",
    "Microsoft Teams",
    "Confluence",
    "SharePoint",
    "email",
    "steering committee",
    "meeting",
)
_CHANNEL_ALIASES = {c.lower(): c for c in CHANNELS} | {
    "teams": "Microsoft Teams",
    "ms teams": "Microsoft Teams",
    "e-mail": "email",
    "mail": "email",
    "steerco": "steering committee",
    "steering committee meeting": "steering committee",
    "face to face": "meeting",
    "1:1": "meeting",
}
STAKEHOLDER_ID = re.compile(r"^[^;,]*[^\s;,][^;,]*$")

STAKEHOLDER_COLUMNS = (
    "id",
    "name",
    "role",
    "organisation",
    "interest",
    "power",
    "attitude",
    "current_engagement",
    "desired_engagement",
    "information",
    "frequency",
    "channel",
    "owner",
    "notes",
)
REQUIRED_COLUMNS = (
    "id",
    "name",
    "interest",
    "power",
    "current_engagement",
    "desired_engagement",
)
# Other spellings readers accept for a column (PMBOK says influence, many templates power).
COLUMN_ALIASES = {
    "influence": "power",
    "organization": "organisation",
    "engagement_current": "current_engagement",
    "engagement_desired": "desired_engagement",
    "current": "current_engagement",
    "desired": "desired_engagement",
    "what": "information",
    "how_often": "frequency",
}
_RATINGS = ("interest", "power")
_TEXTS = ("role", "organisation", "information", "owner", "notes")
_REGISTER_KEYS = {"name", "stakeholders"}


@dataclass(frozen=True, slots=True)
class Stakeholder:
    """One person or group with a stake in the project.

    ``interest`` and ``power`` are 1 (very low) to 5 (very high); ``attitude`` is one of
    ``ATTITUDES``; the engagements are levels of ``ENGAGEMENT_LEVELS``. The communication needs
    are ``information`` (what they need to hear), ``frequency`` (one of ``FREQUENCIES``) and
    ``channel`` (one of ``CHANNELS``); ``owner`` is who on the project team keeps the
    relationship.
    """

    id: str
    name: str
    interest: int
    power: int
    current_engagement: str
    desired_engagement: str
    role: str | None = None
    organisation: str | None = None
    attitude: str = "neutral"
    information: str | None = None
    frequency: str | None = None
    channel: str | None = None
    owner: str | None = None
    notes: str | None = None

    @property
    def engagement_gap(self) -> int:
        """Levels between current and desired engagement (> 0: must move up)."""
        return ENGAGEMENT_LEVELS.index(self.desired_engagement) - ENGAGEMENT_LEVELS.index(
            self.current_engagement
        )

    def to_dict(self) -> dict[str, Any]:
        """The stakeholder as plain data (the YAML/JSON form), omitting empty optional fields."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value
        return out


def check_stakeholder(
    s: Stakeholder, *, source: str | None = None, row: int | None = None
) -> list[Problem]:
    """Problems with one stakeholder's own fields (ranges and allowed values)."""
    problems: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(reason, source=source, row=row, column=column))

    if not isinstance(s.id, str) or not STAKEHOLDER_ID.match(s.id):
        bad("id", f"stakeholder id {s.id!r} must be non-empty text without ';' or ','")
    if not isinstance(s.name, str) or not s.name.strip():
        bad("name", "a stakeholder needs a name (a person, e.g. 'Dana Reyes', or a group)")
    for column in _RATINGS:
        value = getattr(s, column)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            bad(column, f"{column} must be a whole number from 1 (very low) to 5, got {value!r}")
    if s.attitude not in ATTITUDES:
        bad("attitude", f"attitude {s.attitude!r} is not one of {', '.join(ATTITUDES)}")
    for column in ("current_engagement", "desired_engagement"):
        value = getattr(s, column)
        if value not in ENGAGEMENT_LEVELS:
            bad(
                column,
                f"{column.replace('_', ' ')} {value!r} is not one of {', '.join(ENGAGEMENT_LEVELS)}",
            )
    if s.frequency is not None and s.frequency not in FREQUENCIES:
        bad("frequency", f"frequency {s.frequency!r} is not one of {', '.join(FREQUENCIES)}")
    if s.channel is not None and s.channel not in CHANNELS:
        bad("channel", f"channel {s.channel!r} is not one of {', '.join(CHANNELS)}")
    for column in _TEXTS:
        value = getattr(s, column)
        if value is not None and not isinstance(value, str):
            bad(column, f"{column} must be text, got {value!r}")
    return problems


# ------------------------------------------------------------------------------- the register
class StakeholderRegister(Register[Stakeholder]):
    """An ordered collection of stakeholders with unique ids.

    ``source`` and ``rows`` remember where the register was read from. The constructor checks
    every stakeholder and raises :class:`PlanError` naming every problem.
    """

    __slots__ = ()
    _item_type = Stakeholder
    _noun = "stakeholder"
    _plural = "stakeholders"
    _check = staticmethod(check_stakeholder)

    def with_stakeholder(self, stakeholder_id: str, **changes: Any) -> StakeholderRegister:
        """A copy with one stakeholder's fields changed (checked like any register)."""
        k = self._index.get(stakeholder_id)
        if k is None:
            self.get(stakeholder_id)  # raises the KeyError with the known ids
        items = list(self._items)
        items[k] = replace(items[k], **changes)
        return StakeholderRegister(items, name=self.name, source=self.source, rows=self.rows)

    def to_frame(self) -> pd.DataFrame:
        """The register as a DataFrame with the CSV columns (None where empty)."""
        return register_to_frame(self)


# ------------------------------------------------------------------------------------ readers
def _rating(value: Any, column: str, bad) -> int | None:
    if _blank(value):
        bad(column, f"{column} is missing (a whole number from 1 to 5)")
        return None
    if isinstance(value, bool):
        bad(column, f"{column} must be a whole number from 1 to 5, got {value!r}")
        return None
    if isinstance(value, int):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        bad(column, f"{column} must be a whole number from 1 to 5, got {value!r}")
        return None
    if not number.is_integer():
        bad(column, f"{column} must be a whole number from 1 to 5, got {value!r}")
        return None
    return int(number)


def _choice(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text is not None else None


def normalise_channel(value: Any) -> str | None:
    """The canonical channel name for an accepted spelling (``"teams"`` -> ``Microsoft Teams``)."""
    text = _text(value)
    if text is None:
        return None
    return _CHANNEL_ALIASES.get(text.lower(), text)


def stakeholder_from_record(
    record: Mapping[str, Any], *, source: str | None = None, row: int | None = None
) -> tuple[Stakeholder | None, list[Problem]]:
    """Build a :class:`Stakeholder` from one row; return it or the problems found."""
    problems: list[Problem] = []

    def bad(column: str, reason: str) -> None:
        problems.append(Problem(reason, source=source, row=row, column=column))

    rec = {
        COLUMN_ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): v
        for k, v in record.items()
    }
    sid = _text(rec.get("id"))
    name = _text(rec.get("name"))
    if sid is None:
        bad("id", "a stakeholder needs an id (e.g. 'Sponsor')")
    if name is None:
        bad("name", "a stakeholder needs a name (a person, e.g. 'Dana Reyes', or a group)")
    interest = _rating(rec.get("interest"), "interest", bad)
    power = _rating(rec.get("power"), "power", bad)
    current = _choice(rec.get("current_engagement"))
    desired = _choice(rec.get("desired_engagement"))
    for column, value in (("current_engagement", current), ("desired_engagement", desired)):
        if value is None:
            bad(
                column,
                f"{column.replace('_', ' ')} is missing: one of {', '.join(ENGAGEMENT_LEVELS)}",
            )
    if problems:
        return None, problems
    s = Stakeholder(
        id=sid,
        name=name,
        interest=interest,
        power=power,
        current_engagement=current,
        desired_engagement=desired,
        role=_text(rec.get("role")),
        organisation=_text(rec.get("organisation")),
        attitude=_choice(rec.get("attitude")) or "neutral",
        information=_text(rec.get("information")),
        frequency=_choice(rec.get("frequency")),
        channel=normalise_channel(rec.get("channel")),
        owner=_text(rec.get("owner")),
        notes=_text(rec.get("notes")),
    )
    problems = check_stakeholder(s, source=source, row=row)
    return (None, problems) if problems else (s, [])


def _check_columns(header: Iterable[str], source: str | None) -> list[str]:
    header = [COLUMN_ALIASES.get(h, h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    problems = [Problem(f"missing column {c!r}", source=source, column=c) for c in missing]
    known = set(STAKEHOLDER_COLUMNS)
    for h in header:
        if h and h not in known:
            problems.append(
                Problem(
                    f"unknown column {h!r}; the register's columns are {', '.join(STAKEHOLDER_COLUMNS)}",
                    source=source,
                    column=h,
                )
            )
    seen = set()
    for h in header:
        if h and h in seen:
            problems.append(Problem(f"column {h!r} appears twice", source=source, column=h))
        seen.add(h)
    if problems:
        raise PlanError(problems)
    return header


def stakeholders_from_records(
    records: Iterable[Mapping[str, Any]],
    *,
    source: str | None = None,
    rows: Sequence[int] | None = None,
    first_row: int = 1,
    name: str | None = None,
) -> StakeholderRegister:
    """A register from row mappings; :class:`PlanError` lists every bad cell and duplicate id."""
    items: list[Stakeholder] = []
    kept: list[int | None] = []
    problems: list[Problem] = []
    for k, record in enumerate(records):
        row = rows[k] if rows is not None else first_row + k
        s, found = stakeholder_from_record(record, source=source, row=row)
        problems.extend(found)
        if s is not None:
            items.append(s)
            kept.append(row)
    if problems:
        problems.extend(duplicate_problems(items, kept, source, "stakeholder"))
        raise PlanError(problems)
    return StakeholderRegister(items, name=name, source=source, rows=kept)


def stakeholders_from_dict(data: Any, *, source: str | None = None) -> StakeholderRegister:
    """A register from YAML/JSON data: a bare list or ``{name, stakeholders: [...]}``.

    This is also the form a plan file's ``stakeholders:`` key holds.
    """
    name = None
    if isinstance(data, Mapping):
        unknown = set(data) - _REGISTER_KEYS
        if unknown:
            raise PlanError(
                Problem(
                    f"unknown top-level field(s) {sorted(map(str, unknown))}; expected "
                    "'stakeholders' (and 'name')",
                    source=source,
                )
            )
        name = _text(data.get("name"))
        data = data.get("stakeholders")
        if data is None:
            raise PlanError(Problem("the register has no 'stakeholders' list", source=source))
    if not isinstance(data, list):
        raise PlanError(
            Problem(
                "expected a list of stakeholders (a bare list, or a list under 'stakeholders:')",
                source=source,
            )
        )
    if not data:
        raise PlanError(Problem("the register has no stakeholders", source=source))
    problems = []
    known = set(STAKEHOLDER_COLUMNS) | set(COLUMN_ALIASES)
    for k, record in enumerate(data, start=1):
        if not isinstance(record, Mapping):
            problems.append(
                Problem(f"expected a mapping of fields, got {record!r}", source=source, row=k)
            )
            continue
        for key in record:
            if str(key).lower() not in known:
                problems.append(
                    Problem(
                        f"unknown field {key!r}; the register's fields are "
                        f"{', '.join(STAKEHOLDER_COLUMNS)}",
                        source=source,
                        row=k,
                        column=str(key),
                    )
                )
    if problems:
        raise PlanError(problems)
    return stakeholders_from_records(data, source=source, first_row=1, name=name)


def stakeholders_from_csv_text(text: str, *, source: str = "<csv>") -> StakeholderRegister:
    """A register from the text of a CSV table (header row, one row per stakeholder)."""
    header, body, rows = split_csv(text.removeprefix("\ufeff"), source, "stakeholder", lower=False)
    header = _check_columns([h.lower() for h in header], source)
    return stakeholders_from_records(records_by_header(header, body), source=source, rows=rows)


def _load_yaml_or_json(path: Path, kind: str) -> Any:
    return load_data(path, kind, bom=True, blank_is_empty=True)


def read_stakeholders_excel(path: str | Path) -> StakeholderRegister:
    """A register from an .xlsx workbook: the sheet ``stakeholders`` (or the only sheet)."""
    path = Path(path)
    table = read_sheet(path, "stakeholders", "stakeholder", _check_columns)
    return stakeholders_from_records(
        table.records, source=table.source, rows=table.rows, name=path.stem
    )


def stakeholders_from_frame(
    frame: pd.DataFrame, *, source: str | None = None
) -> StakeholderRegister:
    """A register from a DataFrame with the register's columns (rows numbered from 2)."""
    import pandas as pd  # noqa: PLC0415

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    _check_columns(list(frame.columns), source)
    if frame.empty:
        raise PlanError(Problem("the table has no stakeholder rows", source=source))
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return stakeholders_from_records(records, source=source, first_row=2)


def load_stakeholders(path: str | Path) -> StakeholderRegister:
    """Load a stakeholder register from CSV, Excel (.xlsx), YAML or JSON (by extension)."""
    path = Path(path)
    kind = check_path(path, "stakeholder register")
    if kind == "csv":
        register = stakeholders_from_csv_text(read_utf8(path), source=str(path))
        register.name = path.stem
        return register
    if kind == "excel":
        return read_stakeholders_excel(path)
    register = stakeholders_from_dict(_load_yaml_or_json(path, kind), source=str(path))
    register.name = register.name or path.stem
    return register


# ------------------------------------------------------------------------------------ writers
def register_to_frame(register: Iterable[Stakeholder]) -> pd.DataFrame:
    """The register as a DataFrame with the CSV columns (ratings as int, None where empty)."""
    import pandas as pd  # noqa: PLC0415

    frame = pd.DataFrame(
        [{c: getattr(s, c) for c in STAKEHOLDER_COLUMNS} for s in register],
        columns=list(STAKEHOLDER_COLUMNS),
    )
    for column in frame.columns:
        if column in _RATINGS:
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def stakeholders_to_csv_text(register: Iterable[Stakeholder]) -> str:
    """The register as CSV text (header and one row per stakeholder)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(STAKEHOLDER_COLUMNS)
    for s in register:
        writer.writerow(
            ["" if getattr(s, c) is None else getattr(s, c) for c in STAKEHOLDER_COLUMNS]
        )
    return buf.getvalue()


def save_stakeholders(register: StakeholderRegister, path: str | Path) -> None:
    """Save a register as CSV, Excel, YAML or JSON, chosen by the file's extension."""
    path = Path(path)
    kind = save_kind(path)
    if kind == "csv":
        path.write_text(stakeholders_to_csv_text(register), encoding="utf-8")
    elif kind in ("json", "yaml"):
        write_data(register.to_dict(), path, kind)
    else:
        import openpyxl  # noqa: PLC0415

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "stakeholders"
        rows = ([getattr(s, c) for c in STAKEHOLDER_COLUMNS] for s in register)
        write_sheet(ws, STAKEHOLDER_COLUMNS, rows)
        wb.save(path)


# ======================================================================================== RACI
RACI_LETTERS = "RACI"
RACI_MEANINGS = {
    "R": "Responsible: does the work",
    "A": "Accountable: answers for the result and signs it off",
    "C": "Consulted: asked for input before (two-way)",
    "I": "Informed: told after (one-way)",
}
# What a cell may hold. A and R together is common (the owner also does the work); any other
# pair says two things at once (C already includes being told, R already includes knowing).
RACI_VALUES = ("", "R", "A", "C", "I", "AR")
_RACI_KEYS = {"name", "roles", "deliverables"}
_RESERVED = {"deliverable", "id", "name"}


def normalise_raci(value: Any) -> str:
    """A cell's letters in canonical form (``"r/a"`` -> ``"AR"``, blank -> ``""``).

    Raises ValueError with a learner-friendly reason for anything else.
    """
    if _blank(value):
        return ""
    if not isinstance(value, str):
        raise ValueError(f"a RACI cell holds letters R, A, C or I, got {value!r}")
    letters = [c for c in value.upper() if not c.isspace() and c not in "/,;+-&"]
    unknown = sorted({c for c in letters if c not in RACI_LETTERS})
    if unknown:
        raise ValueError(
            f"{value!r} has {', '.join(repr(c) for c in unknown)}; a RACI cell holds R, A, C or I "
            "(or AR)"
        )
    if len(set(letters)) != len(letters):
        raise ValueError(f"{value!r} repeats a letter")
    canon = "".join(c for c in "ARCI" if c in letters)
    if canon not in RACI_VALUES:
        raise ValueError(
            f"{value!r} combines letters that contradict each other; use one letter, or AR when "
            "the Accountable also does the work"
        )
    return canon


class RaciMatrix:
    """Deliverables × roles, each cell ``""``, ``R``, ``A``, ``C``, ``I`` or ``AR``.

    ``deliverables`` are task ids or WBS codes of a plan, ``roles`` usually the ids of the
    stakeholder register (or the plan's resources). ``names`` gives a readable name per
    deliverable; ``rows`` the file row of each deliverable. The constructor refuses unknown
    letters and duplicate ids; whether the matrix is *good* (one Accountable...) is
    :func:`itpm_course.engine.stakeholders.check_raci`'s job.
    """

    __slots__ = ("_cells", "deliverables", "name", "names", "roles", "rows", "source")

    def __init__(
        self,
        deliverables: Sequence[str],
        roles: Sequence[str],
        cells: Mapping[tuple[str, str], str] | None = None,
        *,
        names: Mapping[str, str] | None = None,
        name: str | None = None,
        source: str | None = None,
        rows: Mapping[str, int] | None = None,
    ):
        self.deliverables: tuple[str, ...] = tuple(deliverables)
        self.roles: tuple[str, ...] = tuple(roles)
        self.names = dict(names or {})
        self.name = name
        self.source = source
        self.rows = dict(rows or {})
        problems: list[Problem] = []
        for what, ids in (("deliverable", self.deliverables), ("role", self.roles)):
            seen: set[str] = set()
            for x in ids:
                if not isinstance(x, str) or not STAKEHOLDER_ID.match(x):
                    problems.append(
                        Problem(
                            f"{what} {x!r} must be non-empty text without ';' or ','", source=source
                        )
                    )
                elif x in seen:
                    problems.append(
                        Problem(
                            f"{what} {x!r} is listed twice",
                            source=source,
                            row=self.rows.get(x) if what == "deliverable" else None,
                        )
                    )
                seen.add(x)
        self._cells: dict[tuple[str, str], str] = {}
        for (d, r), value in (cells or {}).items():
            where = {"source": source, "row": self.rows.get(d), "column": r}
            if d not in self.deliverables:
                problems.append(Problem(f"cell for unknown deliverable {d!r}", **where))
                continue
            if r not in self.roles:
                problems.append(Problem(f"cell for unknown role {r!r}", task=d, **where))
                continue
            try:
                letters = normalise_raci(value)
            except ValueError as exc:
                problems.append(Problem(str(exc), task=d, **where))
                continue
            if letters:
                self._cells[(d, r)] = letters
        if problems:
            raise PlanError(problems)

    # -- access -------------------------------------------------------------------------------
    def cell(self, deliverable: str, role: str) -> str:
        """The letters in one cell (``""`` when empty); KeyError for an unknown id."""
        if deliverable not in self.deliverables:
            raise KeyError(
                f"no deliverable {deliverable!r}; the RACI has {', '.join(self.deliverables)}"
            )
        if role not in self.roles:
            raise KeyError(f"no role {role!r}; the RACI has {', '.join(self.roles)}")
        return self._cells.get((deliverable, role), "")

    def row(self, deliverable: str) -> dict[str, str]:
        """``{role: letters}`` for one deliverable, non-empty cells only."""
        if deliverable not in self.deliverables:
            raise KeyError(
                f"no deliverable {deliverable!r}; the RACI has {', '.join(self.deliverables)}"
            )
        return {
            r: self._cells[(deliverable, r)] for r in self.roles if (deliverable, r) in self._cells
        }

    def column(self, role: str) -> dict[str, str]:
        """``{deliverable: letters}`` for one role, non-empty cells only."""
        if role not in self.roles:
            raise KeyError(f"no role {role!r}; the RACI has {', '.join(self.roles)}")
        return {d: self._cells[(d, role)] for d in self.deliverables if (d, role) in self._cells}

    @property
    def cells(self) -> dict[tuple[str, str], str]:
        """A copy of the non-empty cells, keyed by (deliverable, role)."""
        return dict(self._cells)

    def with_cell(self, deliverable: str, role: str, letters: str) -> RaciMatrix:
        """A copy with one cell set (``""`` clears it); ValueError/KeyError for bad input."""
        self.cell(deliverable, role)
        value = normalise_raci(letters)
        cells = dict(self._cells)
        if value:
            cells[(deliverable, role)] = value
        else:
            cells.pop((deliverable, role), None)
        return RaciMatrix(
            self.deliverables,
            self.roles,
            cells,
            names=self.names,
            name=self.name,
            source=self.source,
            rows=self.rows,
        )

    def to_mapping(self) -> dict[str, dict[str, str]]:
        """``{deliverable: {role: letters}}``: the form the plan validator's RACI rules take."""
        return {d: self.row(d) for d in self.deliverables}

    def to_dict(self) -> dict[str, Any]:
        """The YAML/JSON form: ``{name, roles, deliverables: [{id, name, roles: {...}}]}``."""
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name
        out["roles"] = list(self.roles)
        out["deliverables"] = []
        for d in self.deliverables:
            item: dict[str, Any] = {"id": d}
            if self.names.get(d):
                item["name"] = self.names[d]
            item["roles"] = self.row(d)
            out["deliverables"].append(item)
        return out

    def to_frame(self) -> pd.DataFrame:
        """The grid as a DataFrame: index ``deliverable``, one column per role ("" when empty)."""
        import pandas as pd  # noqa: PLC0415

        frame = pd.DataFrame(
            [[self._cells.get((d, r), "") for r in self.roles] for d in self.deliverables],
            index=pd.Index(self.deliverables, name="deliverable"),
            columns=list(self.roles),
        )
        return frame

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RaciMatrix):
            return NotImplemented
        return (
            self.deliverables == other.deliverables
            and self.roles == other.roles
            and self._cells == other._cells
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RaciMatrix(deliverables={len(self.deliverables)}, roles={len(self.roles)})"


def raci_from_mapping(
    mapping: Mapping[str, Mapping[str, Any]],
    *,
    roles: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
    source: str | None = None,
) -> RaciMatrix:
    """A matrix from ``{deliverable: {role: letters}}``; roles in order of first appearance."""
    if not isinstance(mapping, Mapping):
        raise PlanError(Problem("expected a mapping {deliverable: {role: letters}}", source=source))
    order = list(roles or [])
    cells: dict[tuple[str, str], Any] = {}
    problems = []
    for k, (d, row) in enumerate(mapping.items(), start=1):
        if not isinstance(row, Mapping):
            problems.append(
                Problem(
                    f"deliverable {d!r}: expected a mapping {{role: letters}}, got {row!r}",
                    source=source,
                    row=k,
                )
            )
            continue
        for r, value in row.items():
            r = str(r)
            if r not in order:
                if roles is not None:
                    problems.append(
                        Problem(
                            f"role {r!r} is not in the 'roles' list ({', '.join(order)})",
                            source=source,
                            row=k,
                            task=str(d),
                            column=r,
                        )
                    )
                    continue
                order.append(r)
            cells[(str(d), r)] = value
    if problems:
        raise PlanError(problems)
    return RaciMatrix([str(d) for d in mapping], order, cells, names=names, source=source)


def raci_from_dict(data: Any, *, source: str | None = None) -> RaciMatrix:
    """A matrix from YAML/JSON data; this is also the form of a plan file's ``raci:`` key.

    Two forms are accepted:

    * the full form ``{name, roles: [...], deliverables: [{id, name, roles: {role: letters}}]}``
      (``roles`` fixes the column order and may list a role with no letters yet);
    * the short form ``{deliverable: {role: letters}, ...}``.
    """
    if isinstance(data, Mapping) and "deliverables" in data:
        unknown = set(data) - _RACI_KEYS
        if unknown:
            raise PlanError(
                Problem(
                    f"unknown top-level field(s) {sorted(map(str, unknown))}; expected "
                    "'deliverables' (and 'roles', 'name')",
                    source=source,
                )
            )
        items = data["deliverables"]
        roles = data.get("roles")
        if roles is not None and (not isinstance(roles, list) or not roles):
            raise PlanError(Problem("'roles' must be a non-empty list of role ids", source=source))
        if not isinstance(items, list) or not items:
            raise PlanError(Problem("'deliverables' must be a non-empty list", source=source))
        mapping: dict[str, Any] = {}
        names: dict[str, str] = {}
        problems = []
        for k, item in enumerate(items, start=1):
            if not isinstance(item, Mapping) or _blank(item.get("id")):
                problems.append(
                    Problem(
                        f"expected a mapping with an 'id' (and 'name', 'roles'), got {item!r}",
                        source=source,
                        row=k,
                    )
                )
                continue
            extra = set(item) - {"id", "name", "roles"}
            if extra:
                problems.append(
                    Problem(
                        f"unknown field(s) {sorted(map(str, extra))}; a deliverable has id, name, roles",
                        source=source,
                        row=k,
                    )
                )
            d = _text(item["id"])
            if d in mapping:
                problems.append(Problem(f"deliverable {d!r} is listed twice", source=source, row=k))
                continue
            mapping[d] = item.get("roles") or {}
            if item.get("name"):
                names[d] = str(item["name"])
        if problems:
            raise PlanError(problems)
        raci = raci_from_mapping(
            mapping, roles=[str(r) for r in roles] if roles else None, names=names, source=source
        )
        raci.name = _text(data.get("name"))
        raci.rows = {d: k for k, d in enumerate(raci.deliverables, start=1)}
        return raci
    if isinstance(data, Mapping) and data:
        raci = raci_from_mapping(data, source=source)
        raci.rows = {d: k for k, d in enumerate(raci.deliverables, start=1)}
        return raci
    raise PlanError(
        Problem(
            "expected a RACI: {deliverables: [{id, roles: {role: letters}}]} or "
            "{deliverable: {role: letters}}",
            source=source,
        )
    )


def raci_from_csv_text(text: str, *, source: str = "<csv>") -> RaciMatrix:
    """A matrix from a CSV grid: ``deliverable[,name],ROLE1,ROLE2,...``, one row per deliverable."""
    header, body, rows = split_csv(text.removeprefix("\ufeff"), source, "deliverable", lower=False)
    first = header[0].lower() if header else ""
    if first not in ("deliverable", "id"):
        raise PlanError(
            Problem(
                f"the first column must be 'deliverable' (task id or WBS code), got {header[0]!r}",
                source=source,
                column=header[0] if header else None,
            )
        )
    has_name = len(header) > 1 and header[1].lower() == "name"
    role_cols = header[2:] if has_name else header[1:]
    problems = []
    for r in role_cols:
        if not r:
            problems.append(Problem("a role column has no name in the header", source=source))
        elif r.lower() in _RESERVED:
            problems.append(
                Problem(f"column {r!r} is reserved; put it first", source=source, column=r)
            )
    if not role_cols:
        problems.append(Problem("the header names no role columns", source=source))
    dupes = sorted({r for r in role_cols if r and role_cols.count(r) > 1})
    for r in dupes:
        problems.append(Problem(f"role column {r!r} appears twice", source=source, column=r))
    if problems:
        raise PlanError(problems)
    offset = 2 if has_name else 1
    deliverables, names, cells, row_of = [], {}, {}, {}
    for row, values in zip(rows, body, strict=True):
        d = values[0].strip()
        if not d:
            problems.append(
                Problem("the deliverable id is empty", source=source, row=row, column=header[0])
            )
            continue
        if d in row_of:
            problems.append(
                Problem(
                    f"deliverable {d!r} is listed twice (first in row {row_of[d]})",
                    source=source,
                    row=row,
                    column=header[0],
                )
            )
            continue
        deliverables.append(d)
        row_of[d] = row
        if has_name and values[1].strip():
            names[d] = values[1].strip()
        for r, value in zip(role_cols, values[offset:], strict=False):
            try:
                letters = normalise_raci(value)
            except ValueError as exc:
                problems.append(Problem(str(exc), source=source, row=row, task=d, column=r))
                continue
            if letters:
                cells[(d, r)] = letters
    if problems:
        raise PlanError(problems)
    return RaciMatrix(deliverables, role_cols, cells, names=names, source=source, rows=row_of)


def load_raci(path: str | Path) -> RaciMatrix:
    """Load a RACI matrix from a CSV grid, YAML or JSON file (by extension)."""
    path = Path(path)
    kind = check_path(path, "RACI")
    if kind == "excel":
        raise PlanError(
            Problem(
                "a RACI is read from .csv, .yaml or .json; save the sheet as CSV", source=str(path)
            )
        )
    if kind == "csv":
        raci = raci_from_csv_text(read_utf8(path), source=str(path))
    else:
        raci = raci_from_dict(_load_yaml_or_json(path, kind), source=str(path))
    raci.name = raci.name or path.stem
    return raci


def raci_to_csv_text(raci: RaciMatrix) -> str:
    """The matrix as a CSV grid (``deliverable,name,ROLE...``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["deliverable", "name", *raci.roles])
    for d in raci.deliverables:
        writer.writerow([d, raci.names.get(d, ""), *(raci.cell(d, r) for r in raci.roles)])
    return buf.getvalue()


def save_raci(raci: RaciMatrix, path: str | Path) -> None:
    """Save a matrix as a CSV grid, YAML or JSON (by extension)."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind not in ("csv", "yaml", "json"):
        raise ValueError(f"unsupported file type {path.suffix!r}; use .csv, .yaml, .yml or .json")
    if kind == "csv":
        path.write_text(raci_to_csv_text(raci), encoding="utf-8")
    else:
        write_data(raci.to_dict(), path, kind)


# ------------------------------------------------------------------------ checks with a plan
def check_raci_against_plan(raci: RaciMatrix, plan: ProjectPlan) -> list[Problem]:
    """Problems where a deliverable is neither a task id nor a WBS code of ``plan``."""
    known = set(plan.network.index) | {t.wbs for t in plan.tasks if t.wbs}
    return [
        Problem(
            f"deliverable {d!r} is not a task id or WBS code of plan {plan.name!r}",
            source=raci.source,
            row=raci.rows.get(d),
            column="deliverable",
        )
        for d in raci.deliverables
        if d not in known
    ]


# ----------------------------------------------------------------------------- sample files
def sample_stakeholders(name: str = "server_migration") -> StakeholderRegister:
    """The sample stakeholder register of plan ``name`` (file ``stakeholders_NAME.csv``)."""
    from importlib import resources  # noqa: PLC0415

    entry = resources.files("itpm_course.data") / f"stakeholders_{name}.csv"
    with resources.as_file(entry) as path:
        register = load_stakeholders(path)
    register.source = entry.name  # messages name the file, not this machine's path
    return register


def sample_raci(name: str = "server_migration") -> RaciMatrix:
    """The sample RACI matrix of plan ``name`` (file ``raci_NAME.csv``)."""
    from importlib import resources  # noqa: PLC0415

    entry = resources.files("itpm_course.data") / f"raci_{name}.csv"
    with resources.as_file(entry) as path:
        raci = load_raci(path)
    raci.source = entry.name
    return raci
