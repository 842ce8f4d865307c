"""The risk register model and its readers/writers: values, errors with file/row/column, round trips."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import FIXTURES, ROOT

from itpm_course.errors import PlanError
from itpm_course.plan import load_plan
from itpm_course.plan.risks import (
    OPPORTUNITY_STRATEGIES,
    RISK_COLUMNS,
    STATUSES,
    THREAT_STRATEGIES,
    Risk,
    RiskRegister,
    check_register_against_plan,
    load_register,
    register_from_csv_text,
    register_from_dict,
    register_from_frame,
    register_to_csv_text,
    save_register,
)

RISKS = FIXTURES / "risks"
SAMPLE = ROOT / "itpm_course" / "data" / "risks_server_migration.csv"
HEADER = "id,title,kind,probability,impact_rating,strategy"


def csv_register(*lines: str, header: str = HEADER, source: str = "r.csv") -> RiskRegister:
    return register_from_csv_text("\n".join([header, *lines]) + "\n", source=source)


def one_problem(exc: pytest.ExceptionInfo) -> object:
    assert len(exc.value.problems) == 1, exc.value
    return exc.value.problems[0]


# ------------------------------------------------------------------------------ reading values
def test_sample_register_loads_and_names_only_plan_tasks():
    register = load_register(SAMPLE)
    assert len(register) >= 10
    assert {r.kind for r in register} == {"threat", "opportunity"}
    plan = load_plan(ROOT / "itpm_course" / "data" / "server_migration.csv")
    assert check_register_against_plan(register, plan) == []
    assert all(r.tasks for r in register)


def test_probability_forms_fraction_percent_and_ratings():
    header = "id,title,probability,probability_scale,probability_rating,impact_rating"
    reg = csv_register(
        "A,a,0.25,,,3",
        "B,b,30%,,,3",
        "C,c,45,percent,,3",
        "D,d,4,rating,,3",
        "E,e,,,2,3",
        "F,f,0.35,,2,3",
        header=header,
    )
    assert [r.probability for r in reg] == [0.25, 0.3, 0.45, 0.7, 0.3, 0.35]
    assert [r.probability_rating for r in reg] == [None, None, None, 4, 2, 2]


def test_defaults_and_text_normalisation():
    reg = csv_register(" R1 , Data loss ,THREAT,0.2,5, Mitigate ")
    risk = reg.get("R1")
    assert (risk.title, risk.kind, risk.strategy, risk.status) == (
        "Data loss",
        "threat",
        "mitigate",
        "open",
    )
    assert reg.get("nope", None) is None
    with pytest.raises(KeyError, match="R1"):
        reg.get("nope")


def test_tasks_cell_accepts_semicolons_commas_and_lists():
    reg = csv_register('R1,x,threat,0.2,5,,"A; B, C"', header=HEADER + ",tasks")
    assert reg[0].tasks == ["A", "B", "C"]
    reg = register_from_dict(
        [{"id": "R1", "title": "x", "probability": 0.1, "impact_days": 2, "tasks": ["A", "B"]}]
    )
    assert reg[0].tasks == ["A", "B"]


def test_yaml_and_json_forms(tmp_path):
    reg = load_register(RISKS / "register.yaml")
    assert reg.name == "Sample"
    assert reg.get("R1").probability == 0.3
    assert reg.get("O1").probability == 0.3 and reg.get("O1").probability_rating == 2
    bare = load_register(RISKS / "bare_list.json")
    assert bare.ids == ["R1"] and bare.name == "bare_list"


@pytest.mark.parametrize("strategy", THREAT_STRATEGIES)
def test_every_threat_strategy_is_accepted(strategy):
    assert csv_register(f"R1,x,threat,0.2,3,{strategy}")[0].strategy == strategy


@pytest.mark.parametrize("strategy", OPPORTUNITY_STRATEGIES)
def test_every_opportunity_strategy_is_accepted(strategy):
    assert csv_register(f"O1,x,opportunity,0.2,3,{strategy}")[0].strategy == strategy


@pytest.mark.parametrize(
    ("kind", "strategy", "hint"),
    [
        ("threat", "exploit", "mirror for a threat is 'avoid'"),
        ("threat", "enhance", "mirror for a threat is 'mitigate'"),
        ("opportunity", "transfer", "mirror for an opportunity is 'share'"),
        ("opportunity", "avoid", "exploit"),
        ("threat", "ignore", "not a response strategy"),
    ],
)
def test_strategy_must_fit_the_kind(kind, strategy, hint):
    with pytest.raises(PlanError) as exc:
        csv_register(f"R1,x,{kind},0.2,3,{strategy}")
    problem = one_problem(exc)
    assert (problem.source, problem.row, problem.column) == ("r.csv", 2, "strategy")
    assert hint in problem.reason


# ------------------------------------------------------------------------------- error paths
def test_every_bad_row_is_reported_with_file_row_and_column():
    path = RISKS / "bad_values.csv"
    with pytest.raises(PlanError) as exc:
        load_register(path)
    found = {(p.row, p.column): p for p in exc.value.problems}
    assert all(p.source == str(path) for p in exc.value.problems)
    assert "between 0 and 1" in found[(3, "probability")].reason
    assert "1.5% for a percentage" in found[(3, "probability")].reason
    assert "between 0% and 100%" in found[(4, "probability")].reason
    assert "1 to 5" in found[(5, "impact_rating")].reason
    assert "'exploit' is a strategy for opportunities" in found[(6, "strategy")].reason
    assert "expected a number, got 'two'" in found[(7, "impact_days")].reason
    assert "'pending' is not one of" in found[(8, "status")].reason
    assert "duplicate risk id 'R1' (first used in row 2)" in found[(9, "id")].reason
    assert ">= 0" in found[(10, "impact_cost")].reason
    assert len(exc.value.problems) == 8
    assert f"{path}, row 9, column 'id'" in str(exc.value)


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("R1,x,threat,,3,", "probability", "probability is required"),
        ("R1,x,threat,abc,3,", "probability", "expected a number, got 'abc'"),
        ("R1,x,threat,-0.1,3,", "probability", "between 0 and 1"),
        ("R1,x,threat,3x%,3,", "probability", "cannot read '3x%' as a percentage"),
        ("R1,x,threat,0.2,2.5,", "impact_rating", "whole number from 1 to 5, got 2.5"),
        ("R1,x,threat,0.2,0,", "impact_rating", "whole number from 1 to 5, got 0"),
        ("R1,x,risk,0.2,3,", "kind", "'risk' is not one of threat, opportunity"),
        ("R1,,threat,0.2,3,", "title", "title is required"),
        (",x,threat,0.2,3,", "id", "id is required"),
        ("R 1,x,threat,0.2,3,", "id", "without spaces"),
        ("R1,x,threat,0.2,,", "impact_rating", "needs an impact"),
        ("R1,x,threat,inf,3,", "probability", "finite"),
    ],
)
def test_single_bad_value(line, column, reason):
    with pytest.raises(PlanError) as exc:
        csv_register(line)
    problem = one_problem(exc)
    assert (problem.source, problem.row, problem.column) == ("r.csv", 2, column)
    assert reason in problem.reason


def test_probability_scale_errors():
    header = "id,title,probability,probability_scale,probability_rating,impact_rating"
    cases = [
        ("R1,x,7,rating,,3", "probability", "1 to 5"),
        ("R1,x,150,percent,,3", "probability", "between 0 and 100"),
        ("R1,x,0.3,odds,,3", "probability_scale", "'odds' is not one of fraction, percent, rating"),
        ("R1,x,2,rating,3,3", "probability_rating", "disagrees"),
        ("R1,x,30%,rating,,3", "probability", "is a percentage but probability_scale is 'rating'"),
        ("R1,x,,,9,3", "probability_rating", "1 to 5"),
    ]
    for line, column, reason in cases:
        with pytest.raises(PlanError) as exc:
            csv_register(line, header=header)
        problem = one_problem(exc)
        assert (problem.row, problem.column) == (2, column), line
        assert reason in problem.reason, line


@pytest.mark.parametrize(
    ("header", "column", "reason"),
    [
        ("title,probability,impact_rating", "id", "missing required column 'id'"),
        ("id,probability,impact_rating", "title", "missing required column 'title'"),
        ("id,title,impact_rating", "probability", "missing required column 'probability'"),
        ("id,title,probability", "impact_rating", "missing an impact column"),
        ("id,title,probability,impact_rating,probabilty", "probabilty", "unknown column"),
        ("id,title,probability,impact_rating,id", "id", "more than once"),
    ],
)
def test_header_problems(header, column, reason):
    with pytest.raises(PlanError) as exc:
        register_from_csv_text(header + "\nR1,x,0.2,3\n", source="h.csv")
    problem = next(p for p in exc.value.problems if p.column == column)
    assert (problem.source, problem.row) == ("h.csv", 1)
    assert reason in problem.reason


def test_empty_and_headless_files(write):
    for content, reason in [
        ("", "the file is empty"),
        ("   \n", "the file is empty"),
        (HEADER + "\n", "header but no risk rows"),
    ]:
        path = write("empty.csv", content)
        with pytest.raises(PlanError, match=reason) as exc:
            load_register(path)
        assert exc.value.problems[0].source == str(path)
    with pytest.raises(PlanError, match="the file is empty"):
        load_register(write("empty.yaml", ""))
    with pytest.raises(PlanError, match="the file is empty"):
        load_register(write("empty.json", " "))
    with pytest.raises(PlanError, match="no risks"):
        load_register(write("none.yaml", "risks: []\n"))


def test_too_many_values_in_a_row():
    with pytest.raises(PlanError) as exc:
        csv_register("R1,x,threat,0.2,3,mitigate,extra")
    problem = one_problem(exc)
    assert problem.row == 2 and "unquoted comma" in problem.reason


def test_yaml_and_json_structure_errors(write):
    cases = [
        (
            "bad.yaml",
            "risks:\n  - id: R1\n    title: x\n    probability: 0.2\n    impact: 3\n",
            "unknown field 'impact'",
            1,
            "impact",
        ),
        ("bad2.yaml", "owner: me\nrisks: []\n", "unknown top-level field", None, None),
        ("bad3.yaml", "- just text\n", "expected a mapping", 1, None),
        ("bad4.yaml", "risks: [\n", "not valid YAML at line", None, None),
        ("bad5.json", '{"risks": 3}', "expected a list of risks", None, None),
        ("bad6.json", "{", "not valid JSON at line 1", None, None),
        (
            "bad7.json",
            '[{"id": "R1", "title": "x", "probability": "lots", "impact_rating": 3}]',
            "expected a number, got 'lots'",
            1,
            "probability",
        ),
    ]
    for name, text, reason, row, column in cases:
        path = write(name, text)
        with pytest.raises(PlanError) as exc:
            load_register(path)
        problem = exc.value.problems[0]
        assert reason in problem.reason, name
        assert (problem.source, problem.row, problem.column) == (str(path), row, column), name


def test_load_register_file_problems(tmp_path, write):
    with pytest.raises(PlanError, match="unsupported file type '.txt'"):
        load_register(write("r.txt", "x"))
    with pytest.raises(PlanError, match="file not found"):
        load_register(tmp_path / "missing.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(PlanError, match="is a directory"):
        load_register(tmp_path / "dir.csv")
    with pytest.raises(PlanError, match="not UTF-8"):
        load_register(
            write("latin.csv", (HEADER + "\nR1,Caf\xe9,threat,0.2,3,\n").encode("latin-1"))
        )
    with pytest.raises(PlanError, match="cannot open as an Excel workbook"):
        load_register(write("broken.xlsx", b"not a zip"))


def test_excel_errors_name_the_sheet_and_row(tmp_path):
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "risks"
    ws.append(["id", "title", "probability", "impact_rating"])
    ws.append(["R1", "ok", 0.2, 3])
    ws.append(["R2", "bad", 0.2, 9])
    wb.create_sheet("notes")
    wb.save(path)
    with pytest.raises(PlanError) as exc:
        load_register(path)
    problem = one_problem(exc)
    assert (problem.source, problem.row, problem.column) == (
        f"{path} [sheet risks]",
        3,
        "impact_rating",
    )

    other = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "a"
    wb.create_sheet("b")
    wb.save(other)
    with pytest.raises(PlanError, match="no sheet named 'risks'"):
        load_register(other)


def test_frame_errors_and_index_id():
    frame = pd.DataFrame(
        {"id": ["A", "A"], "title": ["x", "y"], "probability": [0.2, 0.3], "impact_rating": [3, 4]}
    )
    with pytest.raises(PlanError) as exc:
        register_from_frame(frame, source="frame")
    problem = one_problem(exc)
    assert (problem.source, problem.row, problem.column) == ("frame", 3, "id")
    ok = register_from_frame(frame.assign(id=["A", "B"]).set_index("id"))
    assert ok.ids == ["A", "B"]
    with pytest.raises(PlanError, match="no risk rows"):
        register_from_frame(frame.iloc[:0])
    with pytest.raises(TypeError):
        register_from_frame([1, 2])


def test_constructor_checks_risks_built_in_code():
    with pytest.raises(PlanError, match="duplicate risk id 'A'"):
        RiskRegister([Risk("A", "x", 0.1, impact_days=1), Risk("A", "y", 0.1, impact_days=1)])
    with pytest.raises(PlanError) as exc:
        RiskRegister([Risk("A", "x", 0.1, impact_days=1, kind="opportunity", strategy="mitigate")])
    assert one_problem(exc).column == "strategy"


# ------------------------------------------------------------------------ checks with the plan
def test_unknown_task_ids_are_problems_with_row_and_column():
    plan = load_plan(ROOT / "itpm_course" / "data" / "server_migration.csv")
    reg = csv_register(
        "R1,x,threat,0.2,3,",
        'R2,y,threat,0.2,3,,"MIG; NOPE"',
        header=HEADER + ",tasks",
        source="risks.csv",
    )
    problems = check_register_against_plan(reg, plan)
    assert len(problems) == 1
    p = problems[0]
    assert (p.source, p.row, p.column) == ("risks.csv", 3, "tasks")
    assert "'R2'" in p.reason and "'NOPE'" in p.reason


# -------------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".yaml", ".json"])
def test_sample_round_trips_through_every_format(tmp_path, suffix):
    register = load_register(SAMPLE)
    path = tmp_path / f"out{suffix}"
    save_register(register, path)
    again = load_register(path)
    assert list(again) == list(register)
    assert again.to_frame().equals(register.to_frame())


def test_frame_round_trip_and_columns():
    register = load_register(SAMPLE)
    frame = register.to_frame()
    assert tuple(frame.columns) == RISK_COLUMNS
    assert list(RiskRegister.from_frame(frame)) == list(register)


def test_csv_writer_is_stable():
    text = SAMPLE.read_text(encoding="utf-8")
    assert register_to_csv_text(load_register(SAMPLE)).replace("\r\n", "\n") == text.replace(
        "\r\n", "\n"
    )


_text = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_ident = st.from_regex(r"[A-Za-z][A-Za-z0-9_.-]{0,7}", fullmatch=True)
_amount = st.one_of(st.none(), st.floats(0, 1e9, allow_nan=False), st.integers(0, 10**6).map(float))


@st.composite
def risks(draw, rid: str) -> Risk:
    kind = draw(st.sampled_from(["threat", "opportunity"]))
    strategies = THREAT_STRATEGIES if kind == "threat" else OPPORTUNITY_STRATEGIES
    impact = {
        "impact_rating": draw(st.one_of(st.none(), st.integers(1, 5))),
        "impact_days": draw(_amount),
        "impact_cost": draw(_amount),
    }
    if all(v is None for v in impact.values()):
        impact["impact_rating"] = 3
    opt = lambda s: draw(st.one_of(st.none(), s))  # noqa: E731
    return Risk(
        id=rid,
        title=draw(_text),
        probability=draw(st.floats(0, 1, allow_nan=False)),
        kind=kind,
        category=opt(_text),
        cause=opt(_text),
        event=opt(_text),
        effect=opt(_text),
        probability_rating=opt(st.integers(1, 5)),
        tasks=draw(st.lists(_ident, max_size=3, unique=True)),
        owner=opt(_text),
        strategy=opt(st.sampled_from(strategies)),
        actions=opt(_text),
        status=draw(st.sampled_from(STATUSES)),
        trigger=opt(_text),
        residual_probability=opt(st.floats(0, 1, allow_nan=False)),
        residual_impact_rating=opt(st.integers(1, 5)),
        response_cost=draw(_amount),
        **impact,
    )


@st.composite
def registers(draw) -> RiskRegister:
    ids = draw(st.lists(_ident, min_size=1, max_size=6, unique=True))
    return RiskRegister([draw(risks(rid)) for rid in ids])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(register=registers())
def test_round_trips_lose_nothing(tmp_path, register):
    for suffix in (".csv", ".xlsx", ".yaml", ".json"):
        path = tmp_path / f"r{suffix}"
        save_register(register, path)
        again = load_register(path)
        assert list(again) == list(register), suffix
    assert list(RiskRegister.from_frame(register.to_frame())) == list(register)
    assert list(register_from_dict(register.to_dict())) == list(register)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    register = RiskRegister([Risk("R1", "=SUM(A1)", 0.5, impact_cost=1.0, owner="-1")])
    path = tmp_path / "f.xlsx"
    save_register(register, path)
    assert list(load_register(path)) == list(register)


def test_register_sequence_behaviour():
    register = load_register(SAMPLE)
    assert "R01" in register and register[0] in register
    assert isinstance(register[:2], RiskRegister) and len(register[:2]) == 2
    assert len(register.threats) + len(register.opportunities) == len(register)
    assert register.to_records()[0]["id"] == "R01"
    assert not math.isnan(register.to_frame()["probability"].sum())
    assert repr(register).startswith("RiskRegister(")
