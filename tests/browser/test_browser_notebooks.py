"""Every course notebook in JupyterLab in headless Chromium, as a learner uses it.

For each notebook in ``notebooks/`` (copied into a fresh workspace by ``itpm-course start``):
open it, Run → Run All Cells, wait for "| Idle", then no error output (in the page or sent by
the kernel), every widget rendered as a widget, and each interaction of
:data:`browser_specs.INTERACTIONS` changes the widget's visible output. Element screenshots of
every widget are kept; on failure the notebook panel is saved too and the path is in the message.

Run: ``pytest -m browser tests/browser`` (serially, one process; see conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_lab import (
    RUN_ALL_TIMEOUT,
    act,
    control,
    error_outputs,
    goto_notebook,
    run_all,
    snapshot,
    wait_changed,
    wait_idle,
    widget_of,
    widget_problems,
    widget_views,
)
from browser_specs import CHART, HTML, INTERACTIONS, Interaction

from itpm_course.course import notebooks_dir

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in notebooks_dir().glob("*.ipynb"))
NO_NOTEBOOKS = f"no notebooks found in {notebooks_dir()}: the browser suite has nothing to prove"


def _params():
    if not NOTEBOOKS:  # never pass silently with nothing to test
        return [pytest.param(None, id="no-notebooks")]
    return [pytest.param(name, id=Path(name).stem) for name in NOTEBOOKS]


def _generic(page) -> tuple[Interaction, ...]:
    """For a notebook without an entry in INTERACTIONS: its first slider or dropdown."""
    first = widget_views(page).first
    for action, css in (("slider", ".widget-slider"), ("select", ".widget-dropdown")):
        found = first.locator(f"{css} .widget-label")
        if found.count():
            label = found.first.inner_text().strip()
            value = 1  # one step right / the second option
            if action == "slider":
                handle = first.locator(f"{css} .noUi-handle").first
                at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                    "aria-valuemax"
                )
                value = -1 if at_max else 1
            watch = CHART if first.locator("img.widget-image").count() else HTML
            return (Interaction(action, label, watch, value=value),)
    return ()


class Failure(AssertionError):
    pass


def _screenshot(page, artifacts: Path, stem: str) -> str:
    path = artifacts / f"{stem}-FAILED.png"
    try:
        panel = page.locator(".jp-NotebookPanel").first
        if panel.count():
            panel.screenshot(path=path, timeout=10_000)
        else:
            page.screenshot(path=path, timeout=10_000)
    except Exception as exc:  # the screenshot must not hide the real failure
        return f"(no screenshot: {exc})"
    return str(path)


def _check_notebook(server, page, kernel_messages, name: str, artifacts: Path) -> list[str]:
    stem = Path(name).stem
    done: list[str] = []
    goto_notebook(page, server, name)
    state = run_all(page)
    assert state["unrun"] == 0, f"{state['unrun']} code cells did not run (a cell failed?)"

    errors = [t for t in error_outputs(page) if t.strip()]
    assert not errors, "error output in the notebook:\n" + "\n---\n".join(e[-1500:] for e in errors)
    assert not kernel_messages.errors, f"kernel errors: {kernel_messages.errors}"

    views = widget_views(page)
    specs = INTERACTIONS.get(stem) or _generic(page)
    assert views.count() >= max(1, len(specs)), (
        f"{views.count()} widget views; expected at least {max(1, len(specs))}"
    )
    problems = widget_problems(page)
    assert not problems, f"widgets did not render: {problems}"
    assert page.locator(".jp-Notebook .jupyter-widgets").count() > 0
    assert specs, f"no slider or dropdown found; add an entry for {stem!r} to INTERACTIONS"

    for i, spec in enumerate(specs):
        target = control(page, spec.action, spec.label)
        assert target.count(), f"no {spec.action} control labelled {spec.label!r}"
        widget = widget_of(page, spec.action, spec.label)
        before = snapshot(widget, spec.watch)
        assert before, f"nothing matches {spec.watch!r} in the widget of {spec.label!r}"
        what = act(page, spec)
        if spec.click:
            widget.locator("button.jupyter-button", has_text=spec.click).first.click()
            what += f", clicked {spec.click!r}"
        try:
            wait_changed(widget, spec.watch, before)
        except AssertionError as exc:
            raise AssertionError(f"after {what}: {exc}") from None
        done.append(what)
        # Later updates (one per arrow key) finish before the screenshot and the next step.
        wait_idle(page, RUN_ALL_TIMEOUT, what=f"the kernel to settle after {what}")
        widget.screenshot(path=artifacts / f"{stem}-widget{i + 1}.png", timeout=15_000)

    page.wait_for_timeout(300)  # let a callback's late error reach the page
    assert not kernel_messages.errors, f"kernel errors after interacting: {kernel_messages.errors}"
    tracebacks = [t for t in kernel_messages.stderr if "Traceback" in t]
    assert not tracebacks, f"tracebacks on the kernel's stderr: {tracebacks}"
    errors = [t for t in error_outputs(page) if t.strip()]
    assert not errors, "error output after interacting:\n" + "\n---\n".join(errors)
    return done


@pytest.mark.parametrize("name", _params())
def test_notebook_runs_and_widgets_respond(name, lab_server, page, kernel_messages, artifacts):
    assert name is not None, NO_NOTEBOOKS
    try:
        _check_notebook(lab_server, page, kernel_messages, name, artifacts)
    except Exception as exc:
        shot = _screenshot(page, artifacts, Path(name).stem)
        raise Failure(
            f"{name}: {exc}\nscreenshot: {shot}\nserver log: {lab_server.log_path}"
        ) from exc


def test_start_opens_the_workspace(lab_server, page):
    """`itpm-course start` synced the course into its workspace and JupyterLab shows it."""
    assert NOTEBOOKS, NO_NOTEBOOKS
    assert (lab_server.workspace / ".itpm-course" / "manifest.json").is_file()
    page.goto(f"{lab_server.url}/lab?reset&token={lab_server.token}")
    listing = page.locator(".jp-DirListing-content .jp-DirListing-itemText")
    listing.first.wait_for(timeout=60_000)
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-DirListing-content .jp-DirListing-item').length >= n",
        arg=len(NOTEBOOKS),
        timeout=30_000,
    )
    shown = {t.strip() for t in listing.all_inner_texts()}
    missing = [n for n in NOTEBOOKS if n not in shown]
    assert not missing, f"not in the file browser: {missing}; shown: {sorted(shown)}"
    assert "data" in shown
