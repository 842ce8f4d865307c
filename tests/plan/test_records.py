"""The shared plan-layer machinery in itpm_course.plan._records."""

from __future__ import annotations

from dataclasses import dataclass

import openpyxl
import pytest

from itpm_course.errors import PlanError, Problem
from itpm_course.plan._records import (
    Register,
    check_path,
    load_data,
    parse_data,
    read_sheet,
    read_utf8,
    save_kind,
    split_csv,
    write_sheet,
)


def reasons(exc: pytest.ExceptionInfo) -> list[str]:
    return [p.reason for p in exc.value.problems]


# ------------------------------------------------------------------------------ YAML / JSON
def test_parse_data_reports_where_yaml_and_json_are_invalid():
    with pytest.raises(PlanError) as exc:
        parse_data("a: [1, 2\n", "yaml", "f.yaml")
    assert reasons(exc)[0].startswith("not valid YAML at line 2, column 1: ")
    with pytest.raises(PlanError) as exc:
        parse_data('{"a": 1,,}', "json", "f.json")
    assert reasons(exc) == [
        "not valid JSON at line 1, column 9: Expecting property name enclosed in double quotes"
    ]
    assert exc.value.problems[0].source == "f.json"


def test_parse_data_empty_file_options():
    for kind in ("yaml", "json"):
        with pytest.raises(PlanError, match="the file is empty"):
            parse_data("  \n", kind, "f")
    with pytest.raises(PlanError, match="the file is empty"):
        parse_data("# only a comment\n", "yaml", "f")
    assert parse_data("# only a comment\n", "yaml", "f", null_is_empty=False) is None
    # a tab alone is a YAML error unless blank text counts as empty
    with pytest.raises(PlanError, match="not valid YAML at line 1, column 1"):
        parse_data("\t\n", "yaml", "f")
    with pytest.raises(PlanError, match="the file is empty"):
        parse_data("\t\n", "yaml", "f", blank_is_empty=True)


def test_parse_data_value_errors_option():
    with pytest.raises(PlanError) as exc:
        parse_data("start: 2025-13-01\n", "yaml", "f")
    assert reasons(exc)[0].startswith("not valid YAML: month must be in 1..12")
    with pytest.raises(ValueError, match="month must be in 1..12") as raw:
        parse_data("start: 2025-13-01\n", "yaml", "f", value_errors=False)
    assert not isinstance(raw.value, PlanError)


def test_read_utf8_and_load_data(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(PlanError) as exc:
        read_utf8(bad)
    assert reasons(exc) == ["not UTF-8 text (invalid continuation byte at byte 9)"]
    with pytest.raises(PlanError) as exc:
        load_data(bad, "yaml", at_byte=False)
    assert reasons(exc) == ["not UTF-8 text (invalid continuation byte)"]
    bom = tmp_path / "bom.json"
    bom.write_text('\ufeff{"a": 1}', encoding="utf-8")
    assert load_data(bom, "json", bom=True) == {"a": 1}
    with pytest.raises(PlanError, match="not valid JSON"):
        load_data(bom, "json")


def test_check_path_and_save_kind(tmp_path):
    with pytest.raises(PlanError, match=r"unsupported file type '\.txt'; use \.csv"):
        check_path(tmp_path / "x.txt", "plan")
    with pytest.raises(PlanError, match="file not found"):
        check_path(tmp_path / "x.csv", "plan")
    folder = tmp_path / "d.yaml"
    folder.mkdir()
    with pytest.raises(PlanError, match="is a directory, not a RACI file"):
        check_path(folder, "RACI")
    assert save_kind(tmp_path / "x.YML") == "yaml"
    with pytest.raises(ValueError, match="unsupported file type '.txt'"):
        save_kind(tmp_path / "x.txt")


# ---------------------------------------------------------------------------------------- CSV
def test_split_csv_rows_padding_and_problems():
    header, lines, rows = split_csv("ID, Name\n\nA,x\nB\n", "f.csv", "task")
    assert header == ["id", "name"]
    assert lines == [["A", "x"], ["B", ""]]
    assert rows == [3, 4]
    assert split_csv("ID\nA\n", "f", "task", lower=False)[0] == ["ID"]
    with pytest.raises(PlanError) as exc:
        split_csv("id,name\nA,x,y\nB,x,z\n", "f", "task")
    assert reasons(exc) == ["3 values but the header has 2 columns (unquoted comma?)"] * 2
    assert [p.row for p in exc.value.problems] == [2, 3]
    with pytest.raises(PlanError, match=r"expected a header row and one row per risk\)"):
        split_csv(" \n", "f", "risk")
    with pytest.raises(PlanError, match="the file has a header but no risk rows"):
        split_csv("id\n\n", "f", "risk")


def test_split_csv_checks_the_header_before_the_rows():
    def check(header):
        raise PlanError(Problem(f"bad header {header}"))

    with pytest.raises(PlanError, match=r"bad header \['id'\]"):
        split_csv("id\nA,B\n", "f", "task", check_header=check)


# -------------------------------------------------------------------------------------- Excel
def test_write_sheet_then_read_sheet(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "risks"
    write_sheet(ws, ["id", "title", "p"], [["R1", "=x", 0.1 + 0.2], ["R2", None, 0.5]])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    cells = openpyxl.load_workbook(path)["risks"]
    assert cells["B2"].data_type == "s"  # text, not a formula
    assert cells["C2"].value == repr(0.1 + 0.2)  # 17 digits kept as text
    assert cells["C3"].value == 0.5
    table = read_sheet(path, "risks", "risk", lambda header, source: None)
    assert table.header == ["id", "title", "p"]
    assert table.rows == [2, 3]
    assert table.records[1] == {"id": "R2", "title": None, "p": 0.5}
    assert table.source == f"{path} [sheet risks]"


def test_read_sheet_problems(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "a"
    wb.create_sheet("b")
    path = tmp_path / "two.xlsx"
    wb.save(path)
    with pytest.raises(PlanError, match=r"no sheet named 'risks' \(sheets: a, b\)"):
        read_sheet(path, "risks", "risk", lambda h, s: None)
    wb = openpyxl.Workbook()
    wb.active.append(["id"])
    path = tmp_path / "one.xlsx"
    wb.save(path)
    with pytest.raises(PlanError, match="the sheet has a header but no risk rows"):
        read_sheet(path, "risks", "risk", lambda h, s: None)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(PlanError, match="cannot open as an Excel workbook"):
        read_sheet(broken, "risks", "risk", lambda h, s: None)


# ---------------------------------------------------------------------------------- registers
@dataclass(frozen=True)
class Item:
    id: str
    size: int = 1

    def to_dict(self):
        return {"id": self.id, "size": self.size}


def _check_item(item, *, source, row):
    return [] if item.size > 0 else [Problem("size must be > 0", source=source, row=row)]


class Items(Register[Item]):
    __slots__ = ()
    _item_type = Item
    _noun = "item"
    _plural = "items"
    _check = staticmethod(_check_item)


def test_register_sequence_access_and_forms():
    reg = Items([Item("a"), Item("b", 2)], name="n", source="f.csv", rows=[2, 4])
    assert len(reg) == 2 and reg.ids == ["a", "b"]
    assert "a" in reg and Item("b", 2) in reg and "z" not in reg
    assert reg.get("b").size == 2
    assert reg.get("z", None) is None
    with pytest.raises(KeyError, match="no item 'z'; the register has a, b"):
        reg.get("z")
    assert reg.row_of(1) == 4 and Items([Item("a")]).row_of(0) is None
    tail = reg[1:]
    assert isinstance(tail, Items) and tail.rows == (4,) and tail.name == "n"
    assert reg == Items([Item("a"), Item("b", 2)]) and reg != Items([Item("a")])
    assert repr(reg) == "Items(name='n', items=2)" and repr(Items()) == "Items(items=0)"
    assert reg.to_dict() == {"name": "n", "items": [{"id": "a", "size": 1}, {"id": "b", "size": 2}]}
    with pytest.raises(TypeError):
        hash(reg)


def test_register_checks_every_item():
    with pytest.raises(PlanError) as exc:
        Items([Item("a"), Item("a", 0), Item("a")], source="f", rows=[2, 3, None])
    assert reasons(exc) == [
        "size must be > 0",
        "duplicate item id 'a' (first used in row 2)",
        "duplicate item id 'a' (first used in row 2)",
    ]
    with pytest.raises(ValueError, match="rows must give one row number per item"):
        Items([Item("a")], rows=[1, 2])
    with pytest.raises(TypeError, match="expected Item objects, got str"):
        Items(["a"])
