"""Benchmark: ``itpm-course instructor grade --workers 2`` against serial ``nbgrader autograde``.

    python benchmarks/bench_grading.py           # 40 submissions of the scheduling assignment
    python benchmarks/bench_grading.py --quick   # 8 submissions

One course directory is made with ``itpm-course instructor init`` and the assignment released;
the submissions (a mix of reference answers, stubs and partly right answers) are placed in
``submitted/``; the course is then copied, so both sides grade the same files from the same
gradebook. Serial: ``nbgrader autograde NAME`` (one process, one submission after another).
Parallel: ``itpm-course instructor grade NAME --workers 2``. Both are run as commands, so start-up
is counted on both sides. The score of every cell of every submission must be identical (the
run fails otherwise); the speed-up is serial time / parallel time, reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent


def _strip(source: str) -> str:
    return "\n".join(
        ln for ln in source.splitlines() if "BEGIN SOLUTION" not in ln and "END SOLUTION" not in ln
    )


def make_course(base: Path, name: str, n: int):
    """A released course with ``n`` submissions of ``name``; returns the Course."""
    from itpm_course.instructor.course import check_result, init_course  # noqa: PLC0415

    course = init_course(base / "parallel", course_id="bench-course")
    if name not in course.source_assignments():
        raise SystemExit(f"no assignment {name!r}; have {course.source_assignments()}")
    check_result(course.api().generate_assignment(name, force=True, create=True), "generate")
    released = nbformat.read(course.root / "release" / name / f"{name}.ipynb", as_version=4)
    source = nbformat.read(course.root / "source" / name / f"{name}.ipynb", as_version=4)
    answers = [
        (c.metadata.nbgrader["grade_id"], _strip(c.source))
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("solution")
    ]
    for k in range(n):
        # Learner k answers the first (k % (len+1)) questions: full, partial and empty work.
        solved = dict(answers[: k % (len(answers) + 1)])
        nb = nbformat.from_dict(released)
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in solved:
                cell.source = solved[gid]
        dest = course.root / "submitted" / f"learner{k:03d}" / name
        dest.mkdir(parents=True)
        nbformat.write(nb, dest / f"{name}.ipynb")
        (dest / "timestamp.txt").write_text("2026-09-01 12:00:00.000000 UTC")
    return course


def grades(course) -> list[tuple]:
    from itpm_course.instructor.report import grade_rows  # noqa: PLC0415

    df = grade_rows(course)
    return sorted(
        (r.student, r.notebook, r.cell, round(float(r.score), 6)) for r in df.itertuples()
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _loadavg() -> list[float] | None:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys of the command's whole process tree)."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:3])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8 submissions instead of 40")
    parser.add_argument("--submissions", type=int, help="how many submissions (overrides)")
    parser.add_argument("--assignment", default="scheduling", help="assignment (scheduling)")
    parser.add_argument("--workers", type=int, default=2, help="parallel workers (2)")
    parser.add_argument(
        "--json", type=Path, default=HERE / "results" / "grading.json", help="results file"
    )
    args = parser.parse_args(argv)
    n = args.submissions or (8 if args.quick else 40)
    warnings.filterwarnings("ignore")
    from itpm_course.instructor.course import open_course  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="itpm-bench-grading-") as tmp:
        base = Path(tmp)
        print(f"setting up {n} submissions of {args.assignment} ...", flush=True)
        course = make_course(base, args.assignment, n)
        shutil.copytree(course.root, base / "serial")
        serial_course = open_course(base / "serial")

        load_before = _loadavg()
        t_serial, cpu_serial = timed(
            [str(BIN / "nbgrader"), "autograde", args.assignment], serial_course.root
        )
        print(f"serial nbgrader autograde: {t_serial:.1f} s ({cpu_serial:.1f} s CPU)", flush=True)
        t_par, cpu_par = timed(
            [str(BIN / "itpm-course"), "instructor", "grade", args.assignment,
             "--workers", str(args.workers), "--no-progress"],
            course.root,
        )  # fmt: skip
        load_after = _loadavg()
        print(
            f"instructor grade --workers {args.workers}: {t_par:.1f} s ({cpu_par:.1f} s CPU)",
            flush=True,
        )

        serial_grades, par_grades = grades(serial_course), grades(course)
        identical = serial_grades == par_grades and len(par_grades) > 0
        totals = {}
        for student, _nb, _cell, score in par_grades:
            totals[student] = totals.get(student, 0.0) + score
    result = {
        "assignment": args.assignment,
        "submissions": n,
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "serial_seconds": round(t_serial, 2),
        "parallel_seconds": round(t_par, 2),
        "speedup": round(t_serial / t_par, 2),
        # user + sys of each command's process tree (kernels included): less noisy than wall
        # time on a shared machine, and what the parallel run costs over the serial one.
        "serial_cpu_seconds": round(cpu_serial, 2),
        "parallel_cpu_seconds": round(cpu_par, 2),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
        "grades_compared": len(par_grades),
        "identical": identical,
        "distinct_totals": sorted(set(totals.values())),
    }
    print(json.dumps(result, indent=2))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    if not identical:
        print("FAIL: parallel grades differ from serial nbgrader autograde", file=sys.stderr)
        return 1
    print(
        f"{n} submissions: serial {t_serial:.1f} s, --workers {args.workers} {t_par:.1f} s, "
        f"speed-up {t_serial / t_par:.2f}x; all {len(par_grades)} cell scores identical"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
