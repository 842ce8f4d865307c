"""Stakeholder register and RACI matrix: readers, writers and every kind of bad input."""

from __future__ import annotations

import json

import pytest

from itpm_course.errors import PlanError
from itpm_course.plan.stakeholders import (
    RaciMatrix,
    Stakeholder,
    StakeholderRegister,
    check_raci_against_plan,
    load_raci,
    load_stakeholders,
    normalise_raci,
    raci_from_csv_text,
    raci_from_dict,
    raci_from_mapping,
    raci_to_csv_text,
    sample_raci,
    sample_stakeholders,
    save_raci,
    save_stakeholders,
    stakeholders_from_csv_text,
    stakeholders_from_dict,
    stakeholders_from_frame,
)

HEADER = "id,name,interest,power,current_engagement,desired_engagement"
GOOD = HEADER + "\nSponsor,Dana,5,5,supportive,leading\nCFO,Martin,2,5,neutral,supportive\n"


def _problems(exc_info):
    return [(p.row, p.column, p.reason) for p in exc_info.value.problems]


def test_csv_reads_with_defaults_and_aliases():
    text = (
        "ID,Name,Interest,Influence,Engagement_Current,Engagement_Desired,Channel,Attitude\n"
        "S,Dana,5,4,Supportive,LEADING,teams,Champion\n"
    )
    register = stakeholders_from_csv_text(text)
    s = register.get("S")
    assert (s.power, s.interest, s.channel, s.attitude) == (4, 5, "Microsoft Teams", "champion")
    assert s.desired_engagement == "leading" and s.engagement_gap == 1
    assert register.rows == (2,)


def test_every_bad_cell_is_reported_with_row_and_column():
    text = (
        HEADER + ",attitude,frequency,channel\n"
        "A,Ann,7,2,neutral,supportive,neutral,weekly,Slack\n"
        "B,,3,2.5,keen,supportive,angry,hourly,pigeon\n"
        ",Cy,3,3,neutral,neutral,neutral,,\n"
        "A,Dup,3,3,neutral,neutral,neutral,,\n"
    )
    with pytest.raises(PlanError) as exc:
        stakeholders_from_csv_text(text, source="s.csv")
    found = _problems(exc)
    cols = {(row, col) for row, col, _ in found}
    assert (2, "interest") in cols
    assert (3, "name") in cols and (3, "power") in cols
    assert (4, "id") in cols
    assert any("must be a whole number from 1" in r for *_, r in found)
    assert all(p.source == "s.csv" for p in exc.value.problems)


def test_bad_choices_name_allowed_values():
    text = HEADER + ",attitude,frequency,channel\nA,Ann,3,3,keen,neutral,angry,hourly,pigeon\n"
    with pytest.raises(PlanError) as exc:
        stakeholders_from_csv_text(text)
    reasons = {col: r for _, col, r in _problems(exc)}
    assert "unaware, resistant, neutral, supportive, leading" in reasons["current_engagement"]
    assert "champion" in reasons["attitude"]
    assert "daily" in reasons["frequency"] and "Slack" in reasons["channel"]


def test_duplicate_ids_and_missing_columns_and_unknown_columns():
    with pytest.raises(PlanError, match="duplicate stakeholder id 'A' \\(first used in row 2\\)"):
        stakeholders_from_csv_text(HEADER + "\nA,x,3,3,neutral,neutral\nA,y,3,3,neutral,neutral\n")
    with pytest.raises(PlanError, match="missing column 'power'"):
        stakeholders_from_csv_text(
            "id,name,interest,current_engagement,desired_engagement\nA,x,3,n,n\n"
        )
    with pytest.raises(PlanError, match="unknown column 'mood'"):
        stakeholders_from_csv_text(HEADER + ",mood\nA,x,3,3,neutral,neutral,happy\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        (HEADER + "\n", "no stakeholder rows"),
        (HEADER + "\nA,x,3,3,neutral,neutral,extra\n", "unquoted comma"),
    ],
)
def test_bad_files(text, message):
    with pytest.raises(PlanError, match=message):
        stakeholders_from_csv_text(text)


def test_dict_forms_and_errors():
    data = {
        "name": "reg",
        "stakeholders": [
            dict(
                id="A",
                name="Ann",
                interest=3,
                power=4,
                current_engagement="neutral",
                desired_engagement="supportive",
            )
        ],
    }
    assert stakeholders_from_dict(data).name == "reg"
    assert len(stakeholders_from_dict(data["stakeholders"])) == 1
    with pytest.raises(PlanError, match="unknown top-level"):
        stakeholders_from_dict({"people": []})
    with pytest.raises(PlanError, match="no stakeholders"):
        stakeholders_from_dict([])
    with pytest.raises(PlanError, match="unknown field 'mood'"):
        stakeholders_from_dict([{**data["stakeholders"][0], "mood": "x"}])
    with pytest.raises(PlanError, match="expected a mapping"):
        stakeholders_from_dict(["A"])
    with pytest.raises(PlanError, match="expected a list"):
        stakeholders_from_dict("A")


@pytest.mark.parametrize("suffix", [".csv", ".yaml", ".json", ".xlsx"])
def test_round_trip_every_format(tmp_path, suffix):
    register = sample_stakeholders()
    path = tmp_path / f"reg{suffix}"
    save_stakeholders(register, path)
    assert load_stakeholders(path) == register


def test_load_errors(tmp_path):
    with pytest.raises(PlanError, match="unsupported file type"):
        load_stakeholders(tmp_path / "x.txt")
    with pytest.raises(PlanError, match="file not found"):
        load_stakeholders(tmp_path / "x.csv")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid JSON at line 1"):
        load_stakeholders(tmp_path / "bad.json")
    (tmp_path / "bad.yaml").write_text("a: [", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_stakeholders(tmp_path / "bad.yaml")
    with pytest.raises(ValueError, match="unsupported"):
        save_stakeholders(sample_stakeholders(), tmp_path / "x.txt")


def test_frame_and_constructor_checks():
    register = sample_stakeholders()
    assert stakeholders_from_frame(register.to_frame()) == register
    with pytest.raises(TypeError):
        stakeholders_from_frame([1])
    bad = Stakeholder("X", "X", 0, 6, "neutral", "bored")
    with pytest.raises(PlanError) as exc:
        StakeholderRegister([bad])
    assert {p.column for p in exc.value.problems} == {"interest", "power", "desired_engagement"}
    with pytest.raises(KeyError, match="the register has"):
        register.get("Nobody")
    changed = register.with_stakeholder("CFO", interest=4)
    assert changed.get("CFO").interest == 4 and register.get("CFO").interest == 2
    with pytest.raises(PlanError):
        register.with_stakeholder("CFO", power=9)


def test_sample_register_matches_the_plan_resources():
    from itpm_course.data import sample_plan

    ids = set(sample_stakeholders().ids)
    assert {r.id for r in sample_plan().resources} <= ids
    assert sample_stakeholders().source == "stakeholders_server_migration.csv"


# ------------------------------------------------------------------------------------ RACI
GRID = "deliverable,name,PM,Dev,QA\nD1,Design,A,R,C\nD2,Build,I,AR,\n"


def test_raci_grid_reads_cells_names_and_rows():
    raci = raci_from_csv_text(GRID)
    assert raci.deliverables == ("D1", "D2") and raci.roles == ("PM", "Dev", "QA")
    assert raci.cell("D1", "PM") == "A" and raci.cell("D2", "QA") == ""
    assert raci.names == {"D1": "Design", "D2": "Build"}
    assert raci.rows == {"D1": 2, "D2": 3}
    assert raci.to_mapping() == {
        "D1": {"PM": "A", "Dev": "R", "QA": "C"},
        "D2": {"PM": "I", "Dev": "AR"},
    }
    assert raci.column("Dev") == {"D1": "R", "D2": "AR"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("r", "R"), (" A/R ", "AR"), ("RA", "AR"), ("a, r", "AR"), ("", ""), (None, "")],
)
def test_normalise_accepts(value, expected):
    assert normalise_raci(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [("X", "'X'"), ("RR", "repeats"), ("CI", "contradict"), ("RC", "contradict"), (3, "letters")],
)
def test_normalise_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        normalise_raci(value)


def test_raci_grid_errors_point_at_row_and_role():
    with pytest.raises(PlanError) as exc:
        raci_from_csv_text("deliverable,PM,Dev\nD1,X,R\nD2,A,CI\n,A,R\nD1,A,R\n", source="r.csv")
    found = _problems(exc)
    assert (2, "PM") in {(r, c) for r, c, _ in found}
    assert (3, "Dev") in {(r, c) for r, c, _ in found}
    assert any(r == 4 and "empty" in m for r, _, m in found)
    assert any(r == 5 and "listed twice" in m for r, _, m in found)
    assert exc.value.problems[0].task == "D1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("task,PM\nD1,A\n", "first column must be 'deliverable'"),
        ("deliverable\nD1\n", "no role columns"),
        ("deliverable,PM,PM\nD1,A,R\n", "appears twice"),
        ("deliverable,PM,id\nD1,A,R\n", "reserved"),
        ("", "empty"),
    ],
)
def test_raci_grid_bad_headers(text, message):
    with pytest.raises(PlanError, match=message):
        raci_from_csv_text(text)


def test_raci_dict_forms():
    short = raci_from_dict({"D1": {"PM": "A", "Dev": "R"}, "D2": {"QA": "AR"}})
    assert short.roles == ("PM", "Dev", "QA") and short.rows == {"D1": 1, "D2": 2}
    full = raci_from_dict(
        {
            "roles": ["PM", "Dev", "Ops"],
            "deliverables": [{"id": "D1", "name": "Design", "roles": {"PM": "A", "Dev": "R"}}],
        }
    )
    assert full.roles == ("PM", "Dev", "Ops") and full.names == {"D1": "Design"}
    assert raci_from_dict(full.to_dict()) == full
    with pytest.raises(PlanError, match="not in the 'roles' list"):
        raci_from_dict({"roles": ["PM"], "deliverables": [{"id": "D1", "roles": {"Dev": "R"}}]})
    with pytest.raises(PlanError, match="listed twice"):
        raci_from_dict({"deliverables": [{"id": "D1"}, {"id": "D1"}]})
    with pytest.raises(PlanError, match="unknown top-level"):
        raci_from_dict({"deliverables": [{"id": "D1"}], "extra": 1})
    with pytest.raises(PlanError, match="expected a RACI"):
        raci_from_dict([])
    with pytest.raises(PlanError, match="expected a mapping"):
        raci_from_mapping({"D1": "A"})


def test_raci_constructor_and_with_cell():
    with pytest.raises(PlanError, match="listed twice"):
        RaciMatrix(["D1", "D1"], ["PM"])
    with pytest.raises(PlanError, match="unknown role"):
        RaciMatrix(["D1"], ["PM"], {("D1", "QA"): "R"})
    raci = raci_from_csv_text(GRID)
    changed = raci.with_cell("D2", "QA", "r")
    assert changed.cell("D2", "QA") == "R" and raci.cell("D2", "QA") == ""
    assert changed.with_cell("D2", "QA", "").cell("D2", "QA") == ""
    with pytest.raises(KeyError, match="no role"):
        raci.with_cell("D1", "Boss", "A")
    with pytest.raises(KeyError, match="no deliverable"):
        raci.row("D9")
    with pytest.raises(ValueError, match="contradict"):
        raci.with_cell("D1", "PM", "CI")


@pytest.mark.parametrize("suffix", [".csv", ".yaml", ".json"])
def test_raci_round_trip(tmp_path, suffix):
    raci = sample_raci()
    path = tmp_path / f"raci{suffix}"
    save_raci(raci, path)
    back = load_raci(path)
    assert back == raci and back.names == raci.names


def test_raci_load_errors(tmp_path):
    with pytest.raises(PlanError, match="save the sheet as CSV"):
        (tmp_path / "r.xlsx").write_bytes(b"x")
        load_raci(tmp_path / "r.xlsx")
    with pytest.raises(ValueError, match="unsupported"):
        save_raci(sample_raci(), tmp_path / "r.xlsx")
    assert (
        raci_to_csv_text(raci_from_csv_text(GRID)).splitlines()[0] == "deliverable,name,PM,Dev,QA"
    )
    (tmp_path / "r.json").write_text(json.dumps({"D1": {"PM": "Q"}}), encoding="utf-8")
    with pytest.raises(PlanError, match="'Q'"):
        load_raci(tmp_path / "r.json")


def test_sample_raci_matches_the_plan():
    from itpm_course.data import sample_plan

    plan = sample_plan()
    raci = sample_raci()
    assert check_raci_against_plan(raci, plan) == []
    assert list(raci.deliverables) == [t.id for t in plan.tasks]
    assert {r.id for r in plan.resources} <= set(raci.roles)
    bad = raci_from_dict({"NOPE": {"PM": "A"}})
    (problem,) = check_raci_against_plan(bad, plan)
    assert "not a task id or WBS code" in problem.reason
