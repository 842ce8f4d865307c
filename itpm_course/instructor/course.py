"""An nbgrader course directory: its configuration, gradebook URL and NbGraderAPI.

Two nbgrader habits this module guards against:

* nbgrader reads ``nbgrader_config.py`` only when run as an app from the course directory, and
  run elsewhere it quietly creates an empty ``gradebook.db`` in the working directory. Here the
  configuration is loaded from the course directory and ``CourseDirectory.root`` and
  ``db_url`` are always set explicitly, whatever the working directory.
* A PostgreSQL URL that ends up opening SQLite (nbgrader#1661). Every gradebook opened here is
  checked after nbgrader opened it: the engine's dialect (and, for SQLite, the file) must be
  the one asked for, or the command stops with an error.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_FILE = "nbgrader_config.py"
DEFAULT_COURSE_ID = "itpm-course"
#: Environment variables the generated ``nbgrader_config.py`` reads first (e.g. from a secret).
ENV_DB_URL = "ITPM_GRADEBOOK_URL"
ENV_EXCHANGE = "ITPM_EXCHANGE_ROOT"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")
# Python modules behind SQLAlchemy's PostgreSQL drivers.
_PG_DRIVERS = {"psycopg": "psycopg", "psycopg2": "psycopg2", "pg8000": "pg8000"}


class InstructorError(ValueError):
    """Bad input or state for an instructor command; the CLI prints it and exits with 2."""


# ------------------------------------------------------------------------- gradebook URLs
def mask_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        from sqlalchemy.engine import make_url  # noqa: PLC0415

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a message helper must not fail
        return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def normalize_db_url(url: str) -> str:
    """A gradebook URL SQLAlchemy 2.1 opens with an installed driver, or InstructorError.

    ``sqlite:///path`` stays as it is. ``postgresql://`` (or ``postgres://``) gets an explicit
    driver: psycopg 3 when installed, else psycopg2; ``postgresql+DRIVER://`` is kept and its
    driver checked. Anything else is refused: nothing here falls back to SQLite.
    """
    url = (url or "").strip()
    if "://" not in url:
        raise InstructorError(
            f"gradebook URL {url!r} has no scheme: use sqlite:////path/gradebook.db "
            "or postgresql://user:password@host:5432/database"
        )
    scheme, rest = url.split("://", 1)
    dialect, _, driver = scheme.lower().partition("+")
    if dialect == "postgres":
        dialect = "postgresql"
    if dialect == "sqlite":
        return url
    if dialect != "postgresql":
        raise InstructorError(
            f"unsupported gradebook database {dialect!r} in {mask_url(url)}: use sqlite or postgresql"
        )
    if not driver:
        driver = next((d for d in ("psycopg", "psycopg2") if _importable(d)), "")
        if not driver:
            raise InstructorError(
                f"the PostgreSQL gradebook {mask_url(url)} needs a driver: "
                "pip install 'psycopg[binary]' (psycopg 3), or install psycopg2"
            )
    module = _PG_DRIVERS.get(driver)
    if module is None:
        raise InstructorError(
            f"unsupported PostgreSQL driver {driver!r}: use postgresql+psycopg:// or postgresql+psycopg2://"
        )
    if not _importable(module):
        hint = "pip install 'psycopg[binary]'" if module == "psycopg" else f"pip install {module}"
        raise InstructorError(
            f"the gradebook URL asks for the {driver} driver, which is not installed ({hint})"
        )
    return f"postgresql+{driver}://{rest}"


def url_dialect(url: str) -> str:
    """``"sqlite"`` or ``"postgresql"`` for a normalised gradebook URL."""
    return url.split("://", 1)[0].partition("+")[0]


def check_engine(engine: Any, url: str) -> None:
    """Raise InstructorError unless ``engine`` is the database ``url`` names (no fallback)."""
    wanted = url_dialect(url)
    got = engine.dialect.name
    if got != wanted:
        raise InstructorError(
            f"the gradebook {mask_url(url)} was opened as {got}, not {wanted}: refusing to "
            "grade into the wrong database"
        )
    if wanted == "sqlite":
        from sqlalchemy.engine import make_url  # noqa: PLC0415

        want_db, got_db = make_url(url).database, engine.url.database
        if want_db and got_db and os.path.abspath(want_db) != os.path.abspath(got_db):
            raise InstructorError(f"the gradebook opened {got_db}, not {want_db}")


def ensure_tools_on_path() -> None:
    """Put this interpreter's ``bin/`` on PATH: creating a gradebook runs ``alembic``."""
    bindir = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bindir not in parts:
        os.environ["PATH"] = os.pathsep.join([bindir, *[p for p in parts if p]])


def open_gradebook(url: str, course_id: str) -> Any:
    """nbgrader's ``Gradebook`` for ``url``, checked to be that database; use it in ``with``."""
    from nbgrader.api import Gradebook  # noqa: PLC0415
    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

    ensure_tools_on_path()
    try:
        gb = Gradebook(url, course_id)
    except SQLAlchemyError as exc:
        first = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()
        raise InstructorError(
            f"cannot open the gradebook {mask_url(url)}: {first[0] if first else exc}"
        ) from None
    close = gb.close

    def close_and_dispose() -> None:  # nbgrader's close() leaves the connection pool open
        close()
        gb.engine.dispose()

    gb.close = close_and_dispose
    try:
        check_engine(gb.engine, url)
    except InstructorError:
        gb.close()
        raise
    return gb


# ------------------------------------------------------------------------- nbgrader results
def check_result(result: dict | None, what: str) -> dict:
    """Raise InstructorError with nbgrader's own error line when ``result["success"]`` is false."""
    if result is None:
        raise InstructorError(f"{what}: nbgrader's exchange is not available on this platform")
    if result.get("success"):
        return result
    raise InstructorError(f"{what} failed: {nbgrader_error(result)}")


def nbgrader_error(result: dict) -> str:
    """The most telling line of a failed nbgrader call (its [ERROR] log line or exception)."""
    log = result.get("log") or ""
    errors = [ln.split("]", 1)[-1].strip() for ln in log.splitlines() if "[ERROR]" in ln]
    errors = [e for e in errors if e and not e.startswith("nbgrader ")]
    if errors:
        return "; ".join(dict.fromkeys(errors))
    tb = [ln.strip() for ln in (result.get("error") or "").splitlines() if ln.strip()]
    return tb[-1] if tb else "unknown error (no log)"


# ------------------------------------------------------------------------- the course
@dataclass
class Course:
    """An nbgrader course directory with its loaded configuration and gradebook URL."""

    root: Path
    course_id: str
    db_url: str
    config: Any  # traitlets Config, with root and db_url set

    @property
    def exchange_root(self) -> str | None:
        root = self.config.get("Exchange", {}).get("root")
        return str(root) if root else None

    def path(self, kind: str, student: str = ".", assignment: str = "") -> Path:
        """``source``/``release``/``submitted``/``autograded``/``feedback`` paths of the course."""
        p = self.root / kind
        if student != ".":
            p = p / student
        return p / assignment if assignment else p

    def gradebook(self, url: str | None = None) -> Any:
        """The course gradebook (``Gradebook``), checked to be the database asked for."""
        return open_gradebook(url or self.db_url, self.course_id)

    def api(self, db_url: str | None = None, log_level: str = "WARN") -> Any:
        """An ``NbGraderAPI`` on this course (optionally on another gradebook, for workers)."""
        from nbgrader.apps import NbGraderAPI  # noqa: PLC0415
        from nbgrader.coursedir import CourseDirectory  # noqa: PLC0415

        ensure_tools_on_path()
        url = db_url or self.db_url
        cfg = copy.deepcopy(self.config)
        cfg.CourseDirectory.db_url = url
        cfg.CourseDirectory.root = str(self.root)
        cfg.NbGraderAPI.log_level = log_level
        coursedir = CourseDirectory(config=cfg)
        if coursedir.db_url != url or os.path.abspath(coursedir.root) != str(self.root):
            raise InstructorError(
                f"nbgrader chose the gradebook {mask_url(coursedir.db_url)} instead of "
                f"{mask_url(url)}: refusing to continue"
            )
        api = NbGraderAPI(coursedir=coursedir, config=cfg)
        # The URL nbgrader will really open, checked once nbgrader has opened it.
        with open_gradebook(api.coursedir.db_url, self.course_id):
            pass
        return api

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a submission of ``assignment`` in ``submitted/``, sorted."""
        base = self.root / "submitted"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir())

    def source_assignments(self) -> list[str]:
        base = self.root / "source"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def load_config(root: Path) -> Any:
    """The course's ``nbgrader_config.py`` as a traitlets Config (errors as InstructorError)."""
    from traitlets.config.loader import PyFileConfigLoader  # noqa: PLC0415

    try:
        return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    except Exception as exc:  # noqa: BLE001 - any error in the user's config file
        raise InstructorError(f"{root / CONFIG_FILE}: cannot load it: {exc}") from None


def open_course(course_dir: str | os.PathLike | None = None, db_url: str | None = None) -> Course:
    """The course in ``course_dir`` (default: the working directory); ``db_url`` overrides."""
    root = Path(course_dir or os.getcwd()).expanduser().resolve()
    if not (root / CONFIG_FILE).is_file():
        raise InstructorError(
            f"{root} is not a course directory (no {CONFIG_FILE}): run "
            "'itpm-course instructor init DIR' first, or pass --course DIR"
        )
    cfg = load_config(root)
    course_id = str(cfg.get("CourseDirectory", {}).get("course_id") or "")
    if not course_id:
        raise InstructorError(f"{root / CONFIG_FILE}: set c.CourseDirectory.course_id")
    url = db_url or cfg.get("CourseDirectory", {}).get("db_url") or ""
    url = str(url) or f"sqlite:///{root / 'gradebook.db'}"
    url = normalize_db_url(url)
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.db_url = url
    return Course(root=root, course_id=course_id, db_url=url, config=cfg)


# ------------------------------------------------------------------------- init
def find_solutions() -> Path:
    """The course's ``solutions/``: shipped in the wheel, or beside the package in a clone."""
    pkg = Path(__file__).resolve().parent.parent
    for candidate in (pkg / "_course" / "solutions", pkg.parent / "solutions"):
        if candidate.is_dir():
            return candidate
    raise InstructorError(
        "the course's solutions/ folder was not found (neither in the installed package nor "
        "beside it); pass --solutions DIR"
    )


CONFIG_TEMPLATE = '''"""nbgrader configuration of the course {course_id!r}, written by `itpm-course instructor init`.

Run nbgrader (or `itpm-course instructor ...`) from this directory. The gradebook URL and the
exchange come from the environment first ({env_db}, {env_ex}), so a hub can
pass a PostgreSQL URL from a secret without writing a password here.
"""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file
_here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = os.environ.get({env_db!r}) or {db_url}
c.Exchange.root = os.environ.get({env_ex!r}) or {exchange}
c.Exchange.path_includes_course = True
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Per cell: the Monte Carlo cells take a few seconds; 60 s stops a runaway loop without
# cutting off a slow but honest answer. `itpm-course instructor grade --timeout` bounds a
# whole submission.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

c.ClearSolutions.code_stub = {{
    "python": "# YOUR CODE HERE: replace this line and the next with your answer\\n"
    "raise NotImplementedError()"
}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# A learner who deletes or edits a locked cell gets the instructor's version back.
c.OverwriteCells.add_missing_cells = True
# Feedback shows each test's call and message, never the hidden test code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    # A failing test's traceback quotes the cell's source, hidden tests included (nbgrader#917):
    # keep only the error line.
    "itpm_course.instructor.feedback.ShortTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
'''


def init_course(
    dest: str | os.PathLike,
    course_id: str = DEFAULT_COURSE_ID,
    db_url: str | None = None,
    exchange: str | os.PathLike | None = None,
    solutions: str | os.PathLike | None = None,
) -> Course:
    """Create an nbgrader course directory at ``dest`` with ``source/`` from ``solutions/``.

    Writes ``nbgrader_config.py`` (course id, gradebook URL, exchange, timeouts), copies each
    assignment folder of ``solutions`` into ``source/``, creates the exchange folder when it is
    local and missing, and creates (or checks) the gradebook. Returns the opened course.
    """
    root = Path(dest).expanduser().resolve()
    if not _ID.match(course_id or ""):
        raise InstructorError(
            f"course id {course_id!r}: use letters, digits and . _ - (no spaces or slashes)"
        )
    if (root / CONFIG_FILE).exists():
        raise InstructorError(f"{root} is already a course directory ({CONFIG_FILE} exists)")
    if db_url:
        db_url = normalize_db_url(db_url)
    src = Path(solutions).expanduser().resolve() if solutions else find_solutions()
    assignments = (
        sorted(p for p in src.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
        if src.is_dir()
        else []
    )
    if not assignments:
        raise InstructorError(f"{src}: no assignment folders with notebooks to copy into source/")
    root.mkdir(parents=True, exist_ok=True)
    (root / "source").mkdir(exist_ok=True)
    for folder in assignments:
        shutil.copytree(
            folder,
            root / "source" / folder.name,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc"),
            dirs_exist_ok=True,
        )
    db_expr = repr(db_url) if db_url else '"sqlite:///" + os.path.join(_here, "gradebook.db")'
    if exchange:
        exchange_path = Path(exchange).expanduser().resolve()
        ex_expr = repr(str(exchange_path))
    else:
        exchange_path = root / "exchange"
        ex_expr = 'os.path.join(_here, "exchange")'
    (root / CONFIG_FILE).write_text(
        CONFIG_TEMPLATE.format(
            course_id=course_id,
            db_url=db_expr,
            exchange=ex_expr,
            env_db=ENV_DB_URL,
            env_ex=ENV_EXCHANGE,
        ),
        encoding="utf-8",
    )
    if not exchange_path.exists():
        exchange_path.mkdir(parents=True)
        exchange_path.chmod(0o777)  # students write their submissions into it
    course = open_course(root, db_url=db_url)
    with course.gradebook():  # creates the tables; a bad URL fails here, not at grading time
        pass
    return course
