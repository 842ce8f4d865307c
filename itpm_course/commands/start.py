"""``itpm-course start`` (sync the workspace, open JupyterLab there) and ``itpm-course progress``."""

from __future__ import annotations

import argparse
import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path

from itpm_course.commands import EXIT_OK, CliError, write_json

# Tests (and the browser suite, if it wants) replace the server with a stub: a command line,
# split like a shell would, run instead of ``python -m jupyterlab`` with the same arguments.
ENV_JUPYTERLAB = "ITPM_COURSE_JUPYTERLAB"
PREVIOUS_STARTUP = "ITPM_COURSE_PREVIOUS_PYTHONSTARTUP"
KERNEL_STARTUP = "kernel_startup.py"

_STARTUP_CODE = """\
# Written by `itpm-course start`; run by every kernel it starts (PYTHONSTARTUP): it records
# self-check results in this workspace (itpm_course.progress). Safe to delete.
def _itpm_course_startup():
    import os

    try:
        from itpm_course.progress import install

        install()
    except Exception:
        pass
    previous = os.environ.get("{previous}")
    if previous and os.path.isfile(previous):
        with open(previous, encoding="utf-8") as handle:
            exec(compile(handle.read(), previous, "exec"), globals())


_itpm_course_startup()
del _itpm_course_startup
""".replace("{previous}", PREVIOUS_STARTUP)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(
    workspace: Path,
    *,
    no_browser: bool = False,
    port: int | None = None,
    extra: list[str] | None = None,
) -> list[str]:
    """The JupyterLab command line: the server runs from this interpreter (``sys.executable``),
    the environment of the kernel, so widgets render."""
    override = os.environ.get(ENV_JUPYTERLAB)
    base = shlex.split(override) if override else [sys.executable, "-m", "jupyterlab"]
    extra = list(extra or [])
    argv = [*base, f"--ServerApp.root_dir={workspace}"]
    if no_browser:
        argv.append("--no-browser")
    if port is not None:
        argv.append(f"--port={port}")
    if _is_root() and "--allow-root" not in extra:
        argv.append("--allow-root")  # JupyterLab refuses root without it (containers, CI)
    return argv + extra  # last: the learner's own options win


def lab_environment(workspace: Path) -> dict[str, str]:
    """The server's environment, inherited by its kernels: where the workspace is, and a
    startup file that turns progress recording on."""
    env = dict(os.environ)
    env["ITPM_COURSE_WORKSPACE"] = str(workspace)
    startup = workspace / ".itpm-course" / KERNEL_STARTUP
    previous = env.get("PYTHONSTARTUP")
    if previous and Path(previous).resolve() != startup.resolve():
        env[PREVIOUS_STARTUP] = previous
    env["PYTHONSTARTUP"] = str(startup)
    return env


def _exec(argv: list[str], env: dict[str, str], cwd: Path) -> int:
    """Replace this process with the server (POSIX); elsewhere run it and wait."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.chdir(cwd)
        try:
            os.execvpe(argv[0], argv, env)
        except OSError as exc:
            raise CliError(
                f"could not start JupyterLab ({argv[0]}): {exc.strerror or exc}"
            ) from None
    try:  # pragma: no cover - Windows
        return subprocess.call(argv, env=env, cwd=cwd)
    except KeyboardInterrupt:  # pragma: no cover
        return EXIT_OK


def cmd_start(args: argparse.Namespace) -> int:
    from itpm_course.workspace import WorkspaceError, atomic_write, sync  # noqa: PLC0415

    if args.port is not None and not 0 <= args.port <= 65535:
        raise CliError(f"--port must be between 0 and 65535, got {args.port}")
    try:
        report = sync(args.workspace)
        workspace = report.workspace
        atomic_write(workspace / ".itpm-course" / KERNEL_STARTUP, _STARTUP_CODE.encode())
    except WorkspaceError as exc:
        raise CliError(str(exc)) from None
    for line in report.lines():
        print(line)
    if args.sync_only:
        return EXIT_OK
    if not os.environ.get(ENV_JUPYTERLAB) and importlib.util.find_spec("jupyterlab") is None:
        raise CliError(
            f"JupyterLab is not installed for {sys.executable}; "
            "install the course with `pip install itpm-course` (it depends on jupyterlab)."
        )
    extra = list(args.lab_args or [])
    if extra[:1] == ["--"]:
        extra = extra[1:]
    argv = lab_command(workspace, no_browser=args.no_browser, port=args.port, extra=extra)
    print(f"Starting JupyterLab in {workspace} (Ctrl-C to stop)", flush=True)
    return _exec(argv, lab_environment(workspace), workspace)


def cmd_progress(args: argparse.Namespace) -> int:
    from itpm_course.progress import format_summary, summary  # noqa: PLC0415
    from itpm_course.workspace import default_workspace, find_workspace, is_workspace  # noqa: PLC0415

    if args.workspace:
        workspace = Path(args.workspace).expanduser()
        if not is_workspace(workspace):
            raise CliError(
                f"{workspace} is not a course workspace; run `itpm-course start --workspace "
                f"{args.workspace}` first."
            )
    else:
        workspace = find_workspace() or (
            default_workspace() if is_workspace(default_workspace()) else None
        )
        if workspace is None:
            raise CliError(
                f"no course workspace here or at {default_workspace()}; run `itpm-course start` "
                "first, or pass --workspace DIR."
            )
    data = summary(workspace.resolve())
    if args.json:
        write_json(data.to_dict(), args.indent)
    else:
        print(format_summary(data))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "start",
        usage=(
            "itpm-course start [--workspace DIR] [--no-browser] [--port N] [--sync-only] "
            "[-- JUPYTERLAB ARGS...]"
        ),
        help="copy the course into your workspace (never over your work) and open JupyterLab",
        description=(
            "Copy the course notebooks, sample data and assignments into your workspace, then "
            "start JupyterLab there. Files you changed are never overwritten: when the course "
            "has a new version of one, it is saved beside yours (NAME.course-vX.Y.Z.ipynb). "
            "Delete a file to get a fresh copy at the next start. Arguments after -- go to "
            "JupyterLab unchanged, e.g. `itpm-course start -- --ServerApp.token=`."
        ),
    )
    p.add_argument(
        "--workspace",
        metavar="DIR",
        help="where your copy of the course lives (default: $ITPM_COURSE_WORKSPACE or ~/itpm-course)",
    )
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("--port", type=int, metavar="N", help="port for JupyterLab")
    p.add_argument(
        "--sync-only", action="store_true", help="update the workspace, do not start JupyterLab"
    )
    p.add_argument("lab_args", nargs="*", metavar="-- JUPYTERLAB ARGS", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_start)

    q = sub.add_parser(
        "progress",
        help="your self-check progress per notebook and skill area, and what to do next",
        description="Show the self-check results recorded in your workspace.",
    )
    q.add_argument("--workspace", metavar="DIR", help="the workspace (default: found as for start)")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.add_argument("--indent", type=int, metavar="N", help="indent the JSON")
    q.set_defaults(func=cmd_progress)
