"""``itpm-course start`` and ``itpm-course progress``, run as the real console script.

JupyterLab is replaced by a stub (``ITPM_COURSE_JUPYTERLAB``) that writes down how it was
started; one slow test starts the real server and waits for ``/api/status``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from itpm_course.commands import start as start_cmd

_SCRIPT = shutil.which("itpm-course", path=str(Path(sys.executable).parent))
COMMAND = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "itpm_course.cli"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

STUB = textwrap.dedent(
    """\
    import json, os, sys
    with open(os.environ["STUB_OUT"], "w", encoding="utf-8") as f:
        json.dump({
            "argv": sys.argv[1:],
            "cwd": os.getcwd(),
            "workspace": os.environ.get("ITPM_COURSE_WORKSPACE"),
            "pythonstartup": os.environ.get("PYTHONSTARTUP"),
            "previous": os.environ.get("ITPM_COURSE_PREVIOUS_PYTHONSTARTUP"),
        }, f)
    sys.exit(int(os.environ.get("STUB_EXIT", "0")))
    """
)


@pytest.fixture
def stub(tmp_path):
    script = tmp_path / "fake_jupyterlab.py"
    script.write_text(STUB, encoding="utf-8")
    out = tmp_path / "stub_out.json"
    env = dict(os.environ)
    env.pop("ITPM_COURSE_WORKSPACE", None)
    env.pop("PYTHONSTARTUP", None)
    env.update(
        ITPM_COURSE_JUPYTERLAB=f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}",
        STUB_OUT=str(out),
        HOME=str(tmp_path / "home"),
    )
    return env, out


def run(*args: str, env=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd
    )


def test_start_syncs_then_runs_jupyterlab_in_the_workspace(stub, tmp_path):
    env, out = stub
    ws = tmp_path / "my course"
    proc = run(
        "start",
        "--workspace",
        str(ws),
        "--no-browser",
        "--port",
        "8899",
        "--",
        "--ServerApp.token=",
        "--LabApp.news_url=",
        "a b",
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "set up in" in proc.stdout and "00_start_here.ipynb" in proc.stdout
    assert "Starting JupyterLab in" in proc.stdout
    assert (ws / "00_start_here.ipynb").is_file() and (ws / "data").is_dir()
    seen = json.loads(out.read_text())
    resolved = str(ws.resolve())
    assert seen["cwd"] == resolved
    assert seen["workspace"] == resolved
    assert seen["argv"][0] == f"--ServerApp.root_dir={resolved}"
    assert "--no-browser" in seen["argv"] and "--port=8899" in seen["argv"]
    assert ("--allow-root" in seen["argv"]) == IS_ROOT
    # Arguments after -- reach JupyterLab unchanged, in order, last (so they win).
    assert seen["argv"][-3:] == ["--ServerApp.token=", "--LabApp.news_url=", "a b"]
    startup = Path(seen["pythonstartup"])
    assert startup == ws.resolve() / ".itpm-course" / "kernel_startup.py" and startup.is_file()
    assert seen["previous"] is None


def test_second_start_reports_nothing_changed_and_exit_status_passes_through(stub, tmp_path):
    env, out = stub
    ws = tmp_path / "ws"
    assert run("start", "--workspace", str(ws), env=env).returncode == 0
    env["STUB_EXIT"] = "3"
    proc = run("start", "--workspace", str(ws), env=env)
    assert proc.returncode == 3
    assert "everything is up to date" in proc.stdout
    seen = json.loads(out.read_text())
    assert "--no-browser" not in seen["argv"] and not any(
        a.startswith("--port") for a in seen["argv"]
    )


def test_learner_edit_survives_start_and_message_names_the_new_copy(stub, tmp_path):
    env, _ = stub
    ws = tmp_path / "ws"
    assert run("start", "--workspace", str(ws), "--sync-only", env=env).returncode == 0
    nb = ws / "05_planning_and_scheduling.ipynb"
    mine = nb.read_text(encoding="utf-8").replace("Planning", "My planning", 1)
    nb.write_text(mine, encoding="utf-8")
    manifest = ws / ".itpm-course" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["files"]["05_planning_and_scheduling.ipynb"]["sha256"] = "0" * 64  # "an older course"
    data["files"]["05_planning_and_scheduling.ipynb"]["content"] = "raw:old"
    data["course_version"] = "0.0.9"
    manifest.write_text(json.dumps(data))
    proc = run("start", "--workspace", str(ws), "--sync-only", env=env)
    assert proc.returncode == 0, proc.stderr
    assert nb.read_text(encoding="utf-8") == mine
    from itpm_course import __version__

    beside = f"05_planning_and_scheduling.course-v{__version__}.ipynb"
    assert (ws / beside).is_file()
    assert f"05_planning_and_scheduling.ipynb  ->  new version in {beside}" in proc.stdout


def test_default_workspace_is_home_itpm_course(stub, tmp_path):
    env, out = stub
    proc = run("start", "--no-browser", env=env)
    assert proc.returncode == 0, proc.stderr
    ws = tmp_path / "home" / "itpm-course"
    assert (ws / "00_start_here.ipynb").is_file()
    assert json.loads(out.read_text())["workspace"] == str(ws.resolve())


def test_previous_pythonstartup_is_chained(stub, tmp_path):
    env, out = stub
    mine = tmp_path / "my_startup.py"
    mine.write_text("MY_STARTUP = 1\n")
    env["PYTHONSTARTUP"] = str(mine)
    assert run("start", "--workspace", str(tmp_path / "ws"), env=env).returncode == 0
    assert json.loads(out.read_text())["previous"] == str(mine)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--workspace", "{file}"], "is a file, not a directory"),
    ],
)
def test_errors_are_one_line_without_traceback(stub, tmp_path, args, message):
    env, out = stub
    afile = tmp_path / "afile"
    afile.write_text("x")
    args = [a.replace("{file}", str(afile)) for a in args]
    proc = run("start", *args, env=env)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_lab_command_uses_this_interpreter_and_root_flag(monkeypatch, tmp_path):
    monkeypatch.delenv(start_cmd.ENV_JUPYTERLAB, raising=False)
    monkeypatch.setattr(start_cmd, "_is_root", lambda: True)
    argv = start_cmd.lab_command(tmp_path, port=0, extra=["--ServerApp.token="])
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--allow-root" in argv and "--port=0" in argv and argv[-1] == "--ServerApp.token="
    assert start_cmd.lab_command(tmp_path, extra=["--allow-root"]).count("--allow-root") == 1
    monkeypatch.setattr(start_cmd, "_is_root", lambda: False)
    assert "--allow-root" not in start_cmd.lab_command(tmp_path)


def test_start_in_process_with_exec_replaced(monkeypatch, tmp_path, capsys):
    from itpm_course.cli import main

    calls = []
    monkeypatch.setattr(
        start_cmd, "_exec", lambda argv, env, cwd: calls.append((argv, env, cwd)) or 0
    )
    monkeypatch.delenv(start_cmd.ENV_JUPYTERLAB, raising=False)
    assert main(["start", "--workspace", str(tmp_path / "ws"), "--", "--foo=1"]) == 0
    ((argv, env, cwd),) = calls
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"] and argv[-1] == "--foo=1"
    assert env["ITPM_COURSE_WORKSPACE"] == str(cwd) == str((tmp_path / "ws").resolve())
    assert "Starting JupyterLab" in capsys.readouterr().out


# --------------------------------------------------------------------------- progress


def test_progress_json_and_text(stub, tmp_path):
    env, _ = stub
    ws = tmp_path / "ws"
    assert run("start", "--workspace", str(ws), "--sync-only", env=env).returncode == 0
    lines = [
        {"exercise": "05.pert_mean", "notebook": 5, "status": "correct", "passed": True,
         "score": 1.0, "hints_used": 1, "seconds": 12.0},
        {"exercise": "06.pi_score", "notebook": 6, "status": "incorrect", "passed": False,
         "score": 0.0, "hints_used": 0, "seconds": 5.0},
    ]  # fmt: skip
    (ws / ".itpm-course" / "progress.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines)
    )
    proc = run("progress", "--workspace", str(ws), "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {
        "workspace",
        "attempts",
        "passed",
        "total",
        "notebooks",
        "skill_areas",
        "next",
    }
    assert data["passed"] == 1 and data["attempts"] == 2 and data["total"] >= 40
    row5 = data["notebooks"][5]
    assert row5["passed"] == ["05.pert_mean"] and row5["hints_used"] == 1
    assert data["next"]["notebook"] == 5  # finish what you started
    assert {a["id"] for a in data["skill_areas"]} >= {
        "technical",
        "core_competencies",
        "soft_skills",
    }
    # Found from the current directory, as text.
    text = run("progress", env=env, cwd=ws / "data")
    assert text.returncode == 0, text.stderr
    assert (
        "1 of" in text.stdout and "By skill area" in text.stdout and "Next: Finish" in text.stdout
    )


def test_progress_without_a_workspace(stub, tmp_path):
    env, _ = stub
    proc = run("progress", env=env, cwd=tmp_path)
    assert proc.returncode == 2 and "run `itpm-course start`" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run("progress", "--workspace", str(tmp_path), env=env)
    assert proc.returncode == 2 and "is not a course workspace" in proc.stderr


# --------------------------------------------------------------------------- the real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_real_jupyterlab_serves_the_workspace(tmp_path):
    ws = tmp_path / "ws"
    port = _free_port()
    token = "itpm-test-token"
    env = dict(os.environ)
    for name in ("ITPM_COURSE_JUPYTERLAB", "ITPM_COURSE_WORKSPACE", "PYTHONSTARTUP"):
        env.pop(name, None)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "jconfig"),
        JUPYTER_DATA_DIR=str(tmp_path / "jdata"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "jruntime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
    )
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [
            *COMMAND,
            "start",
            "--workspace",
            str(ws),
            "--no-browser",
            "--port",
            str(port),
            "--",
            f"--IdentityProvider.token={token}",
            "--ServerApp.ip=127.0.0.1",
            "--LabApp.news_url=",
            "--ServerApp.port_retries=0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        status = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    status = json.loads(r.read())
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        log.flush()
        assert status is not None, (tmp_path / "server.log").read_text()[-3000:]
        assert "started" in status
        # The server's root is the workspace: the course notebooks are listed.
        with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=10) as r:
            names = {item["name"] for item in json.loads(r.read())["content"]}
        assert "00_start_here.ipynb" in names and "data" in names
        # The page JupyterLab serves is there too.
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as r:
            assert r.status == 200
    finally:
        try:
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=5).close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
    assert proc.returncode is not None


@pytest.mark.slow
def test_start_works_from_the_wheel(tmp_path):
    """Installed from a wheel (no clone next to the package), start finds the shipped course."""
    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", out, root],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = out.glob("itpm_course-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    env = dict(os.environ, PYTHONPATH=str(site))
    for name in ("ITPM_COURSE_JUPYTERLAB", "ITPM_COURSE_WORKSPACE"):
        env.pop(name, None)
    ws = tmp_path / "ws"
    code = (
        "import sys, itpm_course; from itpm_course.cli import main; "
        "print(itpm_course.__file__); sys.exit(main(sys.argv[1:]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "start", "--workspace", str(ws), "--sync-only"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(str(site))  # the wheel's copy, not the clone
    shipped = sorted(p.name for p in (site / "itpm_course/_course/notebooks").glob("*.ipynb"))
    assert shipped and sorted(p.name for p in ws.glob("*.ipynb")) == shipped
    assert (ws / "data" / "server_migration.csv").is_file()
