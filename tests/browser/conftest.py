"""Session fixtures of the browser suite: one JupyterLab server (started by ``itpm-course start``
in a temporary workspace) and one headless Chromium, shared by every test; a fresh page per test.

Needs the ``playwright`` package (the ``test`` extra) and Debian's ``/usr/bin/chromium``
(``ITPM_BROWSER_CHROMIUM`` to use another). Without them the suite is skipped with the reason,
except under ``CI=true``, where that is a failure. Screenshots go to ``ITPM_BROWSER_ARTIFACTS``
(default: a directory under pytest's temporary base, printed at the end of the run).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from browser_lab import CHROMIUM_FLAGS, KernelMessages, LabServer, find_chromium

_ARTIFACTS: list[Path] = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless Chromium (tests/browser)"
    )


def pytest_terminal_summary(terminalreporter):
    if _ARTIFACTS:
        terminalreporter.write_line(f"browser screenshots: {_ARTIFACTS[0]}")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Chromium and Playwright, or a skip (locally) / failure (CI) that says what is missing."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append(
            "the `playwright` package (pip install -c constraints.txt -e '.[test,fast]')"
        )
    path = find_chromium()
    if path is None:
        missing.append(
            f"Chromium at {os.environ.get('ITPM_BROWSER_CHROMIUM', '/usr/bin/chromium')}"
            " (apt-get install -y chromium, or set ITPM_BROWSER_CHROMIUM)"
        )
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if _in_ci():
            pytest.fail(f"{reason}; CI=true, so this is a failure, not a skip", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    env = os.environ.get("ITPM_BROWSER_ARTIFACTS")
    path = Path(env) if env else tmp_path_factory.mktemp("browser-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    _ARTIFACTS.append(path)
    return path


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    """A real server, stopped at the end with its kernels; a leftover kernel is an error."""
    server = LabServer(tmp_path_factory.mktemp("lab"))
    server.start()
    try:
        yield server
    finally:
        leftovers = server.stop()
    assert not leftovers, f"kernel processes left running after shutdown: {leftovers}"


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Each launch gets a fresh temporary profile (user-data-dir), removed on close.
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, lab_server):
    """A new browser context and page; its kernel messages are watched; on teardown the page
    closes and the server's sessions are deleted, so no kernel outlives its test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
        lab_server.delete_sessions()


@pytest.fixture
def kernel_messages(page) -> KernelMessages:
    """Errors and stderr the page's kernels send (request before navigating)."""
    messages = KernelMessages()
    messages.attach(page)
    return messages
