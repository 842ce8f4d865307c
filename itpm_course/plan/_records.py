"""Machinery the plan-layer readers and writers share: registers, YAML/JSON, CSV and Excel.

:mod:`itpm_course.plan.io` (plans), :mod:`itpm_course.plan.risks` (risk register),
:mod:`itpm_course.plan.stakeholders` (stakeholder register) and
:mod:`itpm_course.engine.change` (change requests) read the same file formats and report the
same problems in the same words. The pieces here hold that logic once; where the modules
word or order a problem differently, a keyword argument keeps each module's behaviour.

Every problem is raised as :class:`~itpm_course.errors.PlanError` naming the file (and row).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, NamedTuple, Protocol, TypeVar, overload

from itpm_course.errors import PlanError, Problem

SUFFIXES = {
    ".csv": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
}
UNSUPPORTED = "unsupported file type {!r}; use .csv, .xlsx, .yaml, .yml or .json"


def blank(value: Any) -> bool:
    """True for None, NaN and text that is empty or only white space."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


# ------------------------------------------------------------------------------------- files
def check_path(path: Path, what: str) -> str:
    """The file's kind (``csv``, ``excel``, ``yaml``, ``json``) once it is known to exist.

    ``what`` names the file in the message for a directory ("is a directory, not a plan file").
    """
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise PlanError(Problem(UNSUPPORTED.format(path.suffix), source=str(path)))
    if not path.exists():
        raise PlanError(Problem("file not found", source=str(path)))
    if path.is_dir():
        raise PlanError(Problem(f"is a directory, not a {what} file", source=str(path)))
    return kind


def save_kind(path: Path) -> str:
    """The kind to write ``path`` as; ValueError for an extension no writer knows."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ValueError(UNSUPPORTED.format(path.suffix))
    return kind


def read_utf8(path: Path, *, bom: bool = False, at_byte: bool = True) -> str:
    """The file's text; PlanError ``not UTF-8 text (reason at byte N)`` when it is not UTF-8.

    ``bom=True`` drops a leading byte order mark; ``at_byte=False`` leaves the byte out of the
    message.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        at = f" at byte {exc.start}" if at_byte else ""
        raise PlanError(Problem(f"not UTF-8 text ({exc.reason}{at})", source=str(path))) from None
    return text.removeprefix("\ufeff") if bom else text


def parse_data(
    text: str,
    kind: str,
    source: str | None,
    *,
    blank_is_empty: bool = False,
    null_is_empty: bool = True,
    value_errors: bool = True,
) -> Any:
    """The data of a YAML (``kind="yaml"``) or JSON text; PlanError saying where it is invalid.

    Blank JSON is ``the file is empty``; blank YAML too with ``blank_is_empty`` (without it,
    YAML of only white space is parsed, so a tab is reported where it stands). A YAML document
    with no data (``null``, only comments) is empty unless ``null_is_empty=False``.
    ``value_errors`` also reports what a YAML constructor refuses (an impossible date such as
    2025-13-01) as not valid YAML; without it that ValueError propagates.
    """
    if (kind == "json" or blank_is_empty) and not text.strip():
        raise PlanError(Problem("the file is empty", source=source))
    if kind == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlanError(
                Problem(
                    f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                    source=source,
                )
            ) from None
    import yaml  # noqa: PLC0415

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise PlanError(
            Problem(f"not valid YAML{where}: {getattr(exc, 'problem', exc)}", source=source)
        ) from None
    except ValueError as exc:
        if not value_errors:
            raise
        raise PlanError(Problem(f"not valid YAML: {exc}", source=source)) from None
    if data is None and null_is_empty:
        raise PlanError(Problem("the file is empty", source=source))
    return data


def load_data(
    path: Path, kind: str, *, bom: bool = False, at_byte: bool = True, **options: Any
) -> Any:
    """The data of a YAML or JSON file (see :func:`read_utf8` and :func:`parse_data`)."""
    return parse_data(read_utf8(path, bom=bom, at_byte=at_byte), kind, str(path), **options)


def write_data(data: Any, path: Path, kind: str) -> None:
    """Write plain data as YAML (``kind="yaml"``, keys in order) or indented JSON, in UTF-8."""
    if kind == "json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    import yaml  # noqa: PLC0415

    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


# --------------------------------------------------------------------------------------- CSV
def split_csv(
    text: str,
    source: str | None,
    noun: str,
    *,
    lower: bool = True,
    check_header: Callable[[list[str]], Any] | None = None,
) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, non-blank body rows (padded to the header's width) and their row numbers.

    Rows are numbered as a spreadsheet shows them (the header is row 1). The header is
    stripped (and lower-cased with ``lower``); ``check_header`` sees it before any row is.
    ``noun`` names a row in the messages ("one row per task", "no task rows"). Every row with
    more values than the header has columns is reported at once.
    """
    if not text.strip():
        raise PlanError(
            Problem(
                f"the file is empty (expected a header row and one row per {noun})", source=source
            )
        )
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() if lower else h.strip() for h in next(reader)]
        body = list(reader)
    except csv.Error as exc:
        raise PlanError(Problem(f"not valid CSV: {exc}", source=source)) from None
    if check_header is not None:
        check_header(header)
    width = len(header)
    lines: list[list[str]] = []
    rows: list[int] = []
    problems = []
    for row, values in enumerate(body, start=2):
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) > width and any(v.strip() for v in values[width:]):
            problems.append(
                Problem(
                    f"{len(values)} values but the header has {width} columns (unquoted comma?)",
                    source=source,
                    row=row,
                )
            )
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        lines.append(values)
        rows.append(row)
    if problems:
        raise PlanError(problems)
    if not lines:
        raise PlanError(Problem(f"the file has a header but no {noun} rows", source=source))
    return header, lines, rows


# ------------------------------------------------------------------------------------- Excel
class SheetTable(NamedTuple):
    """A sheet read as a table: its header, one record per non-blank row, and their rows."""

    header: list[str]
    records: list[dict[str, Any]]
    rows: list[int]
    source: str  # "FILE [sheet NAME]", for the messages about its rows


def open_workbook(path: Path):
    """The workbook at ``path``, read-only with values; PlanError when it is not one."""
    import openpyxl  # noqa: PLC0415

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise PlanError(
            Problem(f"cannot open as an Excel workbook: {exc}", source=str(path))
        ) from None


def sheet_table(
    sheet,
    source: str,
    noun: str,
    check_header: Callable[[list[str], str], list[str] | None],
) -> SheetTable:
    """The table of a worksheet whose first row is the header (lower-cased).

    ``check_header(header, sheet_source)`` raises for bad columns and may return the header
    to use instead (e.g. with aliases resolved). Rows are numbered as the sheet shows them;
    blank rows are skipped; ``noun`` names a row in the message for a sheet without any.
    """
    sheet_source = f"{source} [sheet {sheet.title}]"
    rows_iter = sheet.iter_rows(values_only=True)
    header_row = next(rows_iter, None)
    if header_row is None or all(blank(v) for v in header_row):
        raise PlanError(Problem(f"sheet {sheet.title!r} is empty", source=source))
    header = [str(h).strip().lower() if h is not None else "" for h in header_row]
    checked = check_header(header, sheet_source)
    if checked is not None:
        header = checked
    records, rows = [], []
    for k, values in enumerate(rows_iter, start=2):
        if all(blank(v) for v in values):
            continue
        records.append({h: v for h, v in zip(header, values, strict=False) if h})
        rows.append(k)
    if not records:
        raise PlanError(Problem(f"the sheet has a header but no {noun} rows", source=sheet_source))
    return SheetTable(header, records, rows, sheet_source)


def read_sheet(
    path: Path,
    sheet_name: str,
    noun: str,
    check_header: Callable[[list[str], str], list[str] | None],
) -> SheetTable:
    """The table on sheet ``sheet_name`` (or the only sheet) of the workbook at ``path``."""
    source = str(path)
    wb = open_workbook(path)
    try:
        if sheet_name in wb.sheetnames:
            sheet = wb[sheet_name]
        elif len(wb.sheetnames) == 1:
            sheet = wb.worksheets[0]
        else:
            raise PlanError(
                Problem(
                    f"no sheet named {sheet_name!r} (sheets: {', '.join(wb.sheetnames)})",
                    source=source,
                )
            )
        return sheet_table(sheet, source, noun, check_header)
    finally:
        wb.close()


def append_row(ws, values: Sequence[Any]) -> None:
    """``ws.append(values)``, with text kept as text (``"=0"`` is not written as a formula)."""
    ws.append(list(values))
    r = ws.max_row
    for c, value in enumerate(values, start=1):
        if isinstance(value, str):
            ws.cell(row=r, column=c).data_type = "s"


def write_sheet(
    ws, header: Sequence[str], rows: Iterable[Sequence[Any]], *, exact_floats: bool = True
) -> None:
    """Write a header row and the rows into an openpyxl worksheet; None leaves a cell empty.

    Text stays text (``"=x"`` or ``"=> go-live"`` is not a formula). With ``exact_floats``,
    a float that needs 17 significant digits is written as its exact text, which the readers
    parse back to the same number (openpyxl would keep 16 digits).
    """
    ws.append(list(header))
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            if exact_floats and isinstance(value, float) and float(f"{value:.16g}") != value:
                value = repr(value)
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"


# ---------------------------------------------------------------------------------- registers
class HasId(Protocol):
    """A record of a register: an ``id`` and its YAML/JSON form."""

    id: str

    def to_dict(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=HasId)
_MISSING: Any = object()


def duplicate_problems(
    items: Iterable[HasId], rows: Iterable[int | None], source: str | None, noun: str
) -> list[Problem]:
    """``duplicate NOUN id 'X' (first used in row N)`` for each id used again."""
    first: dict[str, int | None] = {}
    out = []
    for item, row in zip(items, rows, strict=True):
        if item.id in first:
            seen = f" (first used in row {first[item.id]})" if first[item.id] is not None else ""
            out.append(
                Problem(
                    f"duplicate {noun} id {item.id!r}{seen}", source=source, row=row, column="id"
                )
            )
        else:
            first[item.id] = row
    return out


class Register(Sequence[R], Generic[R]):
    """A read-only, ordered collection of records with unique ``id``s.

    ``source`` and ``rows`` remember where the register was read from (one file row per
    record), so messages can point at the file and row of a record. The constructor checks
    every record and raises :class:`PlanError` naming every problem.

    A subclass sets ``_item_type``, ``_noun`` (``"risk"``), ``_plural`` (``"risks"``: the
    YAML/JSON key and the repr) and ``_check`` (the record's own checks), and may reword the
    KeyError of :meth:`get` in :meth:`_unknown_id`.
    """

    __slots__ = ("_index", "_items", "name", "rows", "source")

    _item_type: type
    _noun = "record"
    _plural = "records"

    @staticmethod
    def _check(item: Any, *, source: str | None, row: int | None) -> list[Problem]:
        return []

    def __init__(
        self,
        items: Iterable[R] = (),
        *,
        name: str | None = None,
        source: str | None = None,
        rows: Sequence[int | None] | None = None,
    ):
        self._items: tuple[R, ...] = tuple(items)
        self.name = name
        self.source = source
        self.rows: tuple[int | None, ...] | None = tuple(rows) if rows is not None else None
        if self.rows is not None and len(self.rows) != len(self._items):
            raise ValueError(f"rows must give one row number per {self._noun}")
        problems: list[Problem] = []
        index: dict[str, int] = {}
        for k, item in enumerate(self._items):
            if not isinstance(item, self._item_type):
                raise TypeError(
                    f"expected {self._item_type.__name__} objects, got {type(item).__name__}"
                )
            row = self.row_of(k)
            problems.extend(self._check(item, source=source, row=row))
            if item.id in index:
                first = self.row_of(index[item.id])
                seen = f" (first used in row {first})" if first is not None else ""
                problems.append(
                    Problem(
                        f"duplicate {self._noun} id {item.id!r}{seen}",
                        source=source,
                        row=row,
                        column="id",
                    )
                )
            else:
                index[item.id] = k
        if problems:
            raise PlanError(problems)
        self._index = index

    def row_of(self, k: int) -> int | None:
        """The file row of the ``k``-th record (None when not read from a file)."""
        return self.rows[k] if self.rows is not None else None

    # -- sequence ---------------------------------------------------------------------------
    @overload
    def __getitem__(self, k: int) -> R: ...
    @overload
    def __getitem__(self, k: slice) -> Register[R]: ...
    def __getitem__(self, k):
        if isinstance(k, slice):
            rows = self.rows[k] if self.rows is not None else None
            return type(self)(self._items[k], name=self.name, source=self.source, rows=rows)
        return self._items[k]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[R]:
        return iter(self._items)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._index
        return item in self._items

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self._items == other._items

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        name = f"name={self.name!r}, " if self.name else ""
        return f"{type(self).__name__}({name}{self._plural}={len(self)})"

    # -- access -----------------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return [item.id for item in self._items]

    def get(self, item_id: str, default: Any = _MISSING) -> R:
        """The record with id ``item_id``; KeyError naming the known ids unless ``default``."""
        k = self._index.get(item_id)
        if k is not None:
            return self._items[k]
        if default is not _MISSING:
            return default
        raise KeyError(self._unknown_id(item_id))

    def _unknown_id(self, item_id: str) -> str:
        return f"no {self._noun} {item_id!r}; the register has {', '.join(self.ids)}"

    def to_dict(self) -> dict[str, Any]:
        """The YAML/JSON form: ``{"name": ..., PLURAL: [...]}`` (no name when there is none)."""
        out: dict[str, Any] = {}
        if self.name:
            out["name"] = self.name
        out[self._plural] = [item.to_dict() for item in self._items]
        return out


def records_by_header(header: Sequence[str], lines: Iterable[Sequence[Any]]) -> list[dict]:
    """One ``{column: value}`` per line, leaving out columns without a name."""
    return [{h: v for h, v in zip(header, values, strict=False) if h} for values in lines]


__all__ = [
    "SUFFIXES",
    "Register",
    "SheetTable",
    "blank",
    "check_path",
    "duplicate_problems",
    "load_data",
    "open_workbook",
    "parse_data",
    "read_sheet",
    "read_utf8",
    "records_by_header",
    "save_kind",
    "sheet_table",
    "split_csv",
    "write_data",
    "write_sheet",
]
