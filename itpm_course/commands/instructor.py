"""``itpm-course instructor``: run the course with nbgrader without nbgrader expertise."""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from itpm_course.commands import EXIT_FINDINGS, EXIT_OK, CliError


def _quiet() -> None:
    # nbgrader's models make SQLAlchemy warn on every autograde; harmless, and noise here.
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", module="sqlalchemy")
    try:
        from sqlalchemy.exc import SAWarning  # noqa: PLC0415

        warnings.filterwarnings("ignore", category=SAWarning)
    except ImportError:  # pragma: no cover
        pass


def _course(args: argparse.Namespace):
    from itpm_course.instructor.course import open_course  # noqa: PLC0415

    _quiet()
    return open_course(args.course, db_url=args.db_url)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_init(args: argparse.Namespace) -> int:
    from itpm_course.instructor.course import init_course, mask_url  # noqa: PLC0415

    _quiet()
    course = init_course(
        args.dir,
        course_id=args.course_id,
        db_url=args.db_url,
        exchange=args.exchange,
        solutions=args.solutions,
    )
    _say(f"course {course.course_id!r} in {course.root}")
    _say(f"  assignments in source/: {', '.join(course.source_assignments())}")
    _say(f"  gradebook: {mask_url(course.db_url)}")
    _say(f"  exchange:  {course.exchange_root}")
    _say(f"next: cd {course.root} && itpm-course instructor roster import ROSTER.csv")
    return EXIT_OK


def cmd_roster_import(args: argparse.Namespace) -> int:
    from itpm_course.instructor.roster import import_roster  # noqa: PLC0415

    result = import_roster(_course(args), args.roster)
    _say(
        f"imported {len(result.imported)} student(s): {len(result.added)} new, "
        f"{len(result.updated)} updated"
    )
    if result.problems:
        sys.stderr.write(f"{len(result.problems)} row(s) not imported:\n")
        for p in result.problems:
            sys.stderr.write(f"  {args.roster}: {p}\n")
        return EXIT_FINDINGS
    return EXIT_OK


def _assignment(course, name: str) -> str:
    known = course.source_assignments()
    if name not in known:
        raise CliError(
            f"no assignment {name!r} in {course.root / 'source'}; known: {', '.join(known) or 'none'}"
        )
    return name


def cmd_release(args: argparse.Namespace) -> int:
    from itpm_course.instructor.course import check_result  # noqa: PLC0415

    course = _course(args)
    name = _assignment(course, args.name)
    api = course.api()
    check_result(api.generate_assignment(name, force=True, create=True), f"generating {name}")
    check_result(api.release_assignment(name), f"releasing {name}")
    _say(f"released {name} to {course.exchange_root} (course {course.course_id})")
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    from itpm_course.instructor.course import check_result  # noqa: PLC0415

    course = _course(args)
    name = _assignment(course, args.name)
    check_result(course.api().collect(name, update=True), f"collecting {name}")
    students = course.submitted_students(name)
    _say(f"collected {name}: {len(students)} submission(s) in {course.path('submitted')}")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    from itpm_course.instructor.grading import grade_assignment  # noqa: PLC0415

    course = _course(args)
    name = _assignment(course, args.name)
    summary = grade_assignment(
        course,
        name,
        workers=args.workers,
        timeout=args.timeout,
        force=args.force,
        progress=not args.no_progress,
    )
    _say(
        f"{name}: {len(summary.graded)} graded, {len(summary.skipped)} already graded (skipped), "
        f"{len(summary.failed)} failed, {summary.workers} worker(s), {summary.seconds:.1f} s"
    )
    for o in summary.failed:
        sys.stderr.write(f"  failed: {o.student}: {o.error}\n")
    if summary.interrupted:
        sys.stderr.write("interrupted: grades merged so far are kept; run grade again to finish\n")
        return 130
    return EXIT_OK if summary.ok else EXIT_FINDINGS


def cmd_feedback(args: argparse.Namespace) -> int:
    from itpm_course.instructor.course import check_result  # noqa: PLC0415

    course = _course(args)
    name = _assignment(course, args.name)
    api = course.api()
    check_result(api.generate_feedback(name, force=True), f"generating feedback for {name}")
    # Feedback goes back through the exchange only for submissions that came through it
    # (collect leaves nbgrader's submission_secret.txt); others stay in feedback/.
    students = course.submitted_students(name)
    via_exchange = [
        s
        for s in students
        if (course.path("submitted", s, name) / "submission_secret.txt").is_file()
    ]
    if via_exchange and len(via_exchange) == len(students):
        check_result(api.release_feedback(name), f"releasing feedback for {name}")
    else:
        for s in via_exchange:
            check_result(api.release_feedback(name, s), f"releasing feedback for {name} to {s}")
    _say(
        f"feedback for {name} generated in {course.path('feedback')}; released to "
        f"{len(via_exchange)} of {len(students)} learner(s) through the exchange"
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from itpm_course.instructor.report import export_grades  # noqa: PLC0415

    path = export_grades(_course(args), fmt=args.format, to=args.to)
    _say(f"grades written to {path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from itpm_course.instructor.report import build_report, report_html, report_text  # noqa: PLC0415

    rep = build_report(_course(args), args.name)
    _say(report_text(rep))
    if args.html:
        with open(args.html, "w", encoding="utf-8") as fh:
            fh.write(report_html(rep))
        _say(f"HTML report written to {args.html}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "instructor",
        help="run the course with nbgrader: init, roster, release, collect, grade, report",
        description=(
            "Thin commands over nbgrader for instructors. Every command but init runs in the "
            "course directory or names it with --course DIR. --db-url (or the "
            "ITPM_GRADEBOOK_URL environment variable read by nbgrader_config.py) chooses the "
            "gradebook: sqlite:////path/gradebook.db or postgresql://user:pw@host/db "
            "(psycopg 3; postgresql+psycopg2:// for psycopg2). A PostgreSQL URL never falls "
            "back to SQLite."
        ),
    )
    isub = p.add_subparsers(dest="instructor_command", metavar="COMMAND")
    isub.required = True

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course", metavar="DIR", help="the course directory (default: here)")
    common.add_argument("--db-url", metavar="URL", help="the gradebook database URL")

    q = isub.add_parser("init", help="create an nbgrader course directory from solutions/")
    q.add_argument("dir", help="the new course directory")
    q.add_argument("--course-id", default="itpm-course", help="the course id (itpm-course)")
    q.add_argument("--db-url", metavar="URL", help="gradebook URL (default: SQLite in DIR)")
    q.add_argument(
        "--exchange", metavar="DIR", help="nbgrader exchange root (default: DIR/exchange)"
    )
    q.add_argument("--solutions", metavar="DIR", help="instructor versions (default: the course's)")
    q.set_defaults(func=cmd_init)

    roster = isub.add_parser("roster", help="students in the gradebook")
    rsub = roster.add_subparsers(dest="roster_command", metavar="COMMAND")
    rsub.required = True
    q = rsub.add_parser(
        "import",
        parents=[common],
        help="import ROSTER.csv (id, first_name, last_name, email); bad rows reported, exit 1",
    )
    q.add_argument("roster", help="CSV with the columns id, first_name, last_name, email")
    q.set_defaults(func=cmd_roster_import)

    for name, func, text in (
        ("release", cmd_release, "generate the student version and release it to the exchange"),
        ("collect", cmd_collect, "collect submissions from the exchange into submitted/"),
        ("feedback", cmd_feedback, "generate feedback (no hidden tests) and release it"),
    ):
        q = isub.add_parser(name, parents=[common], help=text)
        q.add_argument("name", help="the assignment")
        q.set_defaults(func=func)

    q = isub.add_parser(
        "grade", parents=[common], help="autograde every submission in parallel (by student)"
    )
    q.add_argument("name", help="the assignment")
    q.add_argument(
        "--workers", type=int, default=min(4, os.cpu_count() or 1),
        help="worker processes (default: CPUs, at most 4)",
    )  # fmt: skip
    q.add_argument(
        "--timeout", type=float, default=600.0, help="seconds allowed per submission (600)"
    )
    q.add_argument("--force", action="store_true", help="regrade submissions already graded")
    q.add_argument("--no-progress", action="store_true", help="no progress bar")
    q.set_defaults(func=cmd_grade)

    q = isub.add_parser("export", parents=[common], help="grades per student and assignment")
    q.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="csv (default) or xlsx")
    q.add_argument("--to", metavar="FILE", help="output file (default: grades.csv in the course)")
    q.set_defaults(func=cmd_export)

    q = isub.add_parser(
        "report", parents=[common], help="score distributions, test difficulty, findings, at risk"
    )
    q.add_argument("name", nargs="?", help="one assignment (default: all)")
    q.add_argument("--html", metavar="FILE", help="also write an HTML report with charts")
    q.set_defaults(func=cmd_report)
