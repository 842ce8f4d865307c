"""Roster import with bad rows, gradebook URLs, and the CLI's clear errors (exit 2, no traceback)."""

from __future__ import annotations

import pytest

from itpm_course.cli import main
from itpm_course.instructor.course import (
    InstructorError,
    check_engine,
    normalize_db_url,
    open_course,
)
from itpm_course.instructor.roster import read_roster

ROSTER = """id,first_name,last_name,email
ana,Ana,Silva,ana@example.org
,No,Id,noid@example.org
ben,Ben,Okoro,ben@example.org
ana,Ana,Again,ana2@example.org
bad id,Bad,Id,bad@example.org
cleo,Cleo,Ng,not-an-email
dev,Dev,Rao

eve,Eve,Li,eve@example.org
"""


def test_read_roster_reports_each_bad_row_by_number(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    good, problems = read_roster(path)
    assert [r["id"] for r in good] == ["ana", "ben", "eve"]
    assert [p.row for p in problems] == [3, 5, 6, 7, 8]
    text = [str(p) for p in problems]
    assert "empty id" in text[0]
    assert "repeats row 2" in text[1]
    assert "no spaces" in text[2]
    assert "not an address" in text[3]
    assert "3 fields where the header has 4" in text[4]


def test_roster_import_cli_imports_good_rows_and_exits_1(mini_course, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    args = ["instructor", "roster", "import", str(path), "--course", str(mini_course.root)]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "imported 3 student(s): 3 new, 0 updated" in out
    assert "row 3: empty id" in err and "row 8:" in err
    with mini_course.gradebook() as gb:
        students = {s.id: (s.first_name, s.email) for s in gb.students}
    assert students == {
        "ana": ("Ana", "ana@example.org"),
        "ben": ("Ben", "ben@example.org"),
        "eve": ("Eve", "eve@example.org"),
    }
    # Importing again updates, it does not duplicate.
    assert main(args) == 1
    assert "0 new, 3 updated" in capsys.readouterr().out


def test_roster_without_required_columns_is_refused(mini_course, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_text("id,name\nana,Ana\n")
    assert (
        main(["instructor", "roster", "import", str(path), "--course", str(mini_course.root)]) == 2
    )
    err = capsys.readouterr().err
    assert "lacks column(s) first_name, last_name, email" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/gb.db", "sqlite:////tmp/gb.db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_normalize_db_url(url, expected):
    assert normalize_db_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("gradebook.db", "has no scheme"),
        ("mysql://u@h/db", "unsupported gradebook database 'mysql'"),
        ("postgresql+asyncpg://u@h/db", "unsupported PostgreSQL driver"),
    ],
)
def test_bad_db_urls_are_refused(url, message):
    with pytest.raises(InstructorError, match=message):
        normalize_db_url(url)


def test_psycopg2_url_needs_psycopg2(monkeypatch):
    import itpm_course.instructor.course as course_mod

    monkeypatch.setattr(course_mod, "_importable", lambda m: m != "psycopg2")
    with pytest.raises(InstructorError, match="psycopg2 driver, which is not installed"):
        normalize_db_url("postgresql+psycopg2://u@h/db")
    monkeypatch.setattr(course_mod, "_importable", lambda m: m == "psycopg2")
    assert normalize_db_url("postgresql://u@h/db") == "postgresql+psycopg2://u@h/db"
    monkeypatch.setattr(course_mod, "_importable", lambda m: False)
    with pytest.raises(InstructorError, match=r"pip install 'psycopg\[binary\]'"):
        normalize_db_url("postgresql://u@h/db")


def test_an_engine_of_the_wrong_dialect_is_refused():
    class Engine:  # what a silent fallback would hand back
        class dialect:  # noqa: N801
            name = "sqlite"

    with pytest.raises(InstructorError, match="opened as sqlite, not postgresql"):
        check_engine(Engine, "postgresql+psycopg://u@h/db")


def test_unreachable_postgres_is_an_error_not_a_sqlite_gradebook(mini_course, capsys, monkeypatch):
    monkeypatch.chdir(mini_course.root.parent)
    (mini_course.root / "gradebook.db").unlink()
    url = "postgresql://nobody@127.0.0.1:9/nowhere"  # port 9: nothing listens
    code = main(["instructor", "export", "--course", str(mini_course.root), "--db-url", url])
    err = capsys.readouterr().err
    assert code == 2 and "cannot open the gradebook postgresql+psycopg://nobody@127.0.0.1:9" in err
    assert "Traceback" not in err
    assert not (mini_course.root / "gradebook.db").exists()
    assert not (mini_course.root.parent / "gradebook.db").exists()


def test_commands_outside_a_course_say_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["instructor", "grade", "mini"]) == 2
    err = capsys.readouterr().err
    assert "is not a course directory" in err and "--course DIR" in err
    assert not (tmp_path / "gradebook.db").exists()


def test_cli_errors(mini_course, tmp_path, capsys):
    c = ["--course", str(mini_course.root)]
    assert main(["instructor", "release", "nope", *c]) == 2
    assert "no assignment 'nope'" in capsys.readouterr().err
    assert main(["instructor", "grade", "mini", *c]) == 2
    assert "no submissions of 'mini'" in capsys.readouterr().err
    assert main(["instructor", "grade", "mini", "--workers", "0", *c]) == 2
    assert main(["instructor", "init", str(mini_course.root)]) == 2
    assert "already a course directory" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["instructor", "init", str(tmp_path / "x"), "--solutions", str(empty)]) == 2
    assert "no assignment folders" in capsys.readouterr().err
    assert main(["instructor", "init", str(tmp_path / "y"), "--course-id", "a b"]) == 2


def test_init_writes_a_standard_course_that_nbgrader_reads(mini_course):
    cfg = (mini_course.root / "nbgrader_config.py").read_text()
    assert "c.Execute.timeout = 60" in cfg and "ITPM_GRADEBOOK_URL" in cfg
    assert (mini_course.root / "source" / "mini" / "mini.ipynb").is_file()
    assert (mini_course.root / "exchange").is_dir()
    again = open_course(mini_course.root)
    assert again.course_id == "mini-course"
    assert again.db_url == f"sqlite:///{mini_course.root / 'gradebook.db'}"


def test_env_gradebook_url_is_read_by_the_config(mini_course, monkeypatch, tmp_path):
    monkeypatch.setenv("ITPM_GRADEBOOK_URL", "postgresql://u@db.example/gradebook")
    assert open_course(mini_course.root).db_url == "postgresql+psycopg://u@db.example/gradebook"
