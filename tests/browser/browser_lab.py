"""A real JupyterLab server started by ``itpm-course start``, and what a learner does in it.

Only the standard library and Playwright's sync API; no pixels are compared, only text and
attributes. Everything here is bounded by a timeout and names what it was waiting for.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("ITPM_BROWSER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SERVER_START_TIMEOUT = 90  # s; measured 4-8 s
KERNEL_IDLE_TIMEOUT = 90  # s; page to idle kernel, measured 6-10 s
RUN_ALL_TIMEOUT = 180  # s; run-all, measured 7-13 s
WIDGET_TIMEOUT = 30  # s; every widget view rendered / an output updated

# A widget view is a top-level output without a data-mime-type (ipywidgets' renderer sets
# none); outputs nested in a widget (widgets.Output, interact) are deeper.
WIDGET_VIEW = (
    ".jp-Notebook .jp-Cell-outputArea > .jp-OutputArea-child > "
    ".jp-OutputArea-output:not([data-mime-type])"
)
STDERR_MIME = "application/vnd.jupyter.stderr"
# The text/plain repr a widget falls back to when the browser cannot render it.
WIDGET_REPR = re.compile(r"^\s*(?:[A-Z]\w*|interactive)\((?:children|value|options|description)=")

# User settings for the server: no autosave (the copies must not change under the test), no
# news or update checks, and no notebook windowing (every cell stays in the DOM).
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
# Page config: no "build recommended" check.
PAGE_CONFIG = {"buildCheck": False, "buildAvailable": False}


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the server gets SIGTERM when pytest dies (killed, timed out), so no orphan."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """``itpm-course start --no-browser --workspace WS -- …`` on a free port, with its own
    Jupyter config, data, runtime and settings directories under ``home``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.workspace = home / "workspace"
        self.token = secrets.token_hex(16)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = home / "jupyterlab.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- process ------------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        config = self.home / "config"
        settings = self.home / "settings"
        for name, value in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value), encoding="utf-8")
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        (config / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(config),
            JUPYTER_DATA_DIR=str(self.home / "data"),
            JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.home / "lab-workspaces"),
            IPYTHONDIR=str(self.home / "ipython"),
            MPLBACKEND="module://matplotlib_inline.backend_inline",
            PYTHONUNBUFFERED="1",
        )
        env.pop("ITPM_COURSE_JUPYTERLAB", None)  # the real server, never a stub
        env.pop("ITPM_COURSE_WORKSPACE", None)
        return env

    def _command(self) -> list[str]:
        script = Path(sys.executable).with_name("itpm-course")  # the installed entry point
        start = [str(script)] if script.is_file() else [sys.executable, "-m", "itpm_course.cli"]
        start.append("start")
        return [
            *start,
            "--no-browser",
            "--workspace",
            str(self.workspace),
            "--port",
            str(self.port),
            "--",
            f"--ServerApp.token={self.token}",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--MappingKernelManager.cull_idle_timeout=0",
        ]

    def start(self, attempts: int = 3) -> None:
        env = self._environment()
        last = ""
        for _ in range(attempts):
            self.port = free_port()
            log = self.log_path.open("ab")
            self.proc = subprocess.Popen(
                self._command(),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
            log.close()
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    self.api("GET", "/api/status", timeout=2)
                    return
                except (OSError, urllib.error.URLError):
                    time.sleep(0.25)
            last = self.log_tail()
            self.stop()
        raise RuntimeError(f"JupyterLab did not start in {attempts} attempts; log:\n{last}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            self.url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def delete_sessions(self) -> None:
        """Shut down every kernel a test left (the page is closed; its kernel is not)."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass

    def kernel_pids(self) -> list[int]:
        """Processes whose command line names a connection file in this server's runtime dir:
        its kernels, found even after the server is gone."""
        runtime = str(self.home / "runtime")
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if runtime in cmdline and "kernel" in cmdline:
                pids.append(int(entry.name))
        return pids

    def stop(self) -> list[int]:
        """Stop the server cleanly (kernels first, then /api/shutdown), else by signal; return
        the kernel processes that had to be killed (expected: none)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return []
        if proc.poll() is None:
            try:
                self.delete_sessions()
                self.api("POST", "/api/shutdown", timeout=10)
            except (OSError, urllib.error.URLError, ValueError):
                pass
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)
        leftovers = self.kernel_pids() if Path("/proc").is_dir() else []
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return leftovers


def find_chromium() -> str | None:
    path = CHROMIUM if os.path.isabs(CHROMIUM) else shutil.which(CHROMIUM)
    return path if path and os.access(path, os.X_OK) else None


# --------------------------------------------------------------------------- in the page


class KernelMessages:
    """Errors and stderr the kernel sends over the page's websocket: what run-all and widget
    callbacks report, including callback tracebacks JupyterLab shows only in its log console."""

    _ERROR = re.compile(rb'"msg_type":\s?"error"')
    _STDERR = re.compile(rb'"msg_type":\s?"stream".*"name":\s?"stderr"', re.S)
    _DETAIL = re.compile(r'"(?:ename|evalue|text)":\s?"((?:[^"\\]|\\.)*)"')

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.stderr: list[str] = []

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        data = payload.encode() if isinstance(payload, str) else bytes(payload)
        if b'"msg_type"' not in data:
            return
        header = data[:4000]  # the header comes first in both websocket protocols
        if self._ERROR.search(header):
            self.errors.append(self._describe(data))
        elif self._STDERR.search(data):
            self.stderr.append(self._describe(data))

    def _describe(self, data: bytes) -> str:
        text = data.decode("utf-8", errors="replace")
        parts = [json.loads(f'"{m}"') for m in self._DETAIL.findall(text)[:2]]
        return ": ".join(p.strip() for p in parts)[:500] or text[:500]


def goto_notebook(page, server: LabServer, name: str) -> None:
    page.goto(f"{server.url}/lab/tree/{name}?reset&token={server.token}")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(
        timeout=KERNEL_IDLE_TIMEOUT * 1000
    )
    wait_idle(page, KERNEL_IDLE_TIMEOUT, what=f"the kernel of {name} to start")


_STATE_JS = """() => {
  const items = [...document.querySelectorAll('.jp-StatusBar-TextItem')];
  const idle = items.some(e => /\\|\\s*Idle\\s*$/.test(e.textContent.trim()));
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')].map(cell => ({
    prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
    empty: !((cell.querySelector('.cm-content') || {}).textContent || '').trim(),
  }));
  return {
    idle,
    status: items.map(e => e.textContent.trim()).join(' / '),
    running: prompts.filter(p => p.prompt.includes('*')).length,
    unrun: prompts.filter(p => !p.empty && !/\\[\\d+\\]/.test(p.prompt)).length,
    cells: prompts.length,
  };
}"""


def notebook_state(page) -> dict:
    return page.evaluate(_STATE_JS)


def wait_idle(page, timeout: float, what: str, settle: int = 3) -> dict:
    """Wait until the status bar says "| Idle" and no cell shows [*], ``settle`` polls in a row."""
    deadline = time.monotonic() + timeout
    streak = 0
    state: dict = {}
    while time.monotonic() < deadline:
        state = notebook_state(page)
        streak = streak + 1 if state["idle"] and not state["running"] else 0
        if streak >= settle:
            return state
        page.wait_for_timeout(250)
    raise TimeoutError(f"waited {timeout:g} s for {what}; last state {state}")


def run_all(page, timeout: float = RUN_ALL_TIMEOUT) -> dict:
    """Run → Run All Cells from the menu bar, then wait for every cell and an idle kernel."""
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # run-all has begun: a cell ran or is queued
        state = notebook_state(page)
        if state["running"] or state["unrun"] < state["cells"]:
            break
        page.wait_for_timeout(100)
    return wait_idle(page, timeout, what="Run All Cells to finish")


def error_outputs(page) -> list[str]:
    """Texts of the error and stderr outputs shown in the notebook."""
    return page.locator(
        f'.jp-Notebook .jp-OutputArea-output[data-mime-type="{STDERR_MIME}"]'
    ).all_inner_texts()


def widget_views(page):
    return page.locator(WIDGET_VIEW)


def widget_problems(page, timeout: float = WIDGET_TIMEOUT) -> list[str]:
    """Why the notebook's widgets did not render as widgets ([] when all did): a view without
    widget DOM, still "Loading widget...", an "Error displaying widget", or a text repr."""
    deadline = time.monotonic() + timeout
    problems: list[str] = []
    while True:
        problems = page.evaluate(
            """([view, repr]) => {
              const out = [];
              const re = new RegExp(repr);
              document.querySelectorAll(view).forEach((o, i) => {
                const text = o.innerText || '';
                if (!o.querySelector('.jupyter-widgets')) out.push(`view ${i}: no widget DOM`);
                if (/Loading widget|Error displaying widget/.test(text))
                  out.push(`view ${i}: ${text.slice(0, 200)}`);
              });
              document.querySelectorAll(
                '.jp-Notebook .jp-OutputArea-output[data-mime-type="text/plain"]'
              ).forEach(o => {
                if (re.test(o.innerText || '')) out.push(`text fallback: ${o.innerText.slice(0, 200)}`);
              });
              return out;
            }""",
            [WIDGET_VIEW, WIDGET_REPR.pattern],
        )
        if not problems or time.monotonic() > deadline:
            return problems
        page.wait_for_timeout(250)


# -- interactions ---------------------------------------------------------------------------

_CONTROL = {
    "slider": '.widget-slider:has(.widget-label:text-is("{label}")) .noUi-handle[role=slider]',
    "select": '.widget-dropdown:has(.widget-label:text-is("{label}")) select',
    "type": (
        ':is(.widget-text, .widget-textarea):has(.widget-label:text-is("{label}")) '
        ":is(input, textarea)"
    ),
    "check": '.widget-checkbox:has-text("{label}") input[type=checkbox]',
    "toggle": '.widget-toggle-buttons:has(.widget-label:text-is("{label}")) button',
    "click": 'button.jupyter-button:has-text("{label}")',
}


def control(page, action: str, label: str):
    return page.locator(".jp-Notebook " + _CONTROL[action].format(label=label))


def widget_of(page, action: str, label: str):
    """The top-level widget view (output) that holds the control."""
    inner = page.locator(_CONTROL[action].format(label=label))  # relative to the view
    return widget_views(page).filter(has=inner).first


def snapshot(widget, watch: str) -> list[str]:
    selector, _, attr = watch.partition("@")
    items = widget.locator(selector)
    if attr:
        return [items.nth(i).get_attribute(attr) or "" for i in range(items.count())]
    return items.all_inner_texts()


def act(page, spec) -> str:
    """Do what ``spec`` (a browser_specs.Interaction) says; return what was done."""
    target = control(page, spec.action, spec.label).first
    target.scroll_into_view_if_needed(timeout=WIDGET_TIMEOUT * 1000)
    if spec.action == "slider":
        before = target.get_attribute("aria-valuenow")
        target.focus()
        key = "ArrowRight" if spec.value > 0 else "ArrowLeft"
        for _ in range(abs(spec.value)):
            target.press(key)
        after = target.get_attribute("aria-valuenow")
        if after == before:
            raise AssertionError(
                f"slider {spec.label!r} did not move from {before} with {spec.value} x {key}"
            )
        return f"slider {spec.label!r} {before} -> {after}"
    if spec.action == "select":
        if isinstance(spec.value, int):
            target.select_option(index=spec.value)
        else:
            target.select_option(label=spec.value)
        return f"dropdown {spec.label!r} -> {spec.value!r}"
    if spec.action == "type":
        target.fill(str(spec.value))
        target.press("Tab")  # commit (continuous_update=False widgets update on change)
        return f"typed {spec.value!r} into {spec.label!r}"
    if spec.action == "check":
        target.click()
        return f"ticked {spec.label!r}"
    if spec.action == "toggle":
        buttons = control(page, "toggle", spec.label)
        if isinstance(spec.value, int):
            buttons.nth(spec.value).click()
        else:
            buttons.filter(has_text=str(spec.value)).first.click()
        return f"toggle {spec.label!r} -> {spec.value!r}"
    if spec.action == "click":
        target.click()
        return f"clicked {spec.label!r}"
    raise ValueError(f"unknown action {spec.action!r}")


def wait_changed(widget, watch: str, before: list[str], timeout: float = WIDGET_TIMEOUT):
    deadline = time.monotonic() + timeout
    after = before
    while time.monotonic() < deadline:
        after = snapshot(widget, watch)
        if after and after != before:
            return after
        widget.page.wait_for_timeout(200)
    raise AssertionError(
        f"{watch!r} did not change within {timeout:g} s; still {[a[:120] for a in after]}"
    )
