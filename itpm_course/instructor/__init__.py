"""The instructor's side of the course: nbgrader course set-up, roster, grading and analytics.

Thin faces over nbgrader's Python API (``NbGraderAPI`` and ``Gradebook``), used by
``itpm-course instructor ...``:

* :mod:`~itpm_course.instructor.course` — course directory, configuration, gradebook URL
  (SQLite by default, PostgreSQL that never silently falls back to SQLite);
* :mod:`~itpm_course.instructor.roster` — roster import with row-numbered errors;
* :mod:`~itpm_course.instructor.grading` — parallel autograding sharded by student;
* :mod:`~itpm_course.instructor.report` — grade tables, export and the analytics report.
"""

from __future__ import annotations

from itpm_course.instructor.course import (
    Course,
    InstructorError,
    init_course,
    normalize_db_url,
    open_course,
)

__all__ = ["Course", "InstructorError", "init_course", "normalize_db_url", "open_course"]
