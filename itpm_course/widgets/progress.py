"""The progress dashboard: bars per notebook and per skill area, and what to do next.

Usage in a notebook (``00_start_here``)::

    from itpm_course.widgets.progress import progress_dashboard
    progress_dashboard()

For tests (no browser needed)::

    dash = progress_dashboard(workspace=tmp)
    dash.summary.passed, dash.next_text.value, dash.refresh_button.click()

With no workspace or no results yet it shows empty bars and suggests ``00_start_here``.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from itpm_course.progress import Summary, summary


def _bar_row(label: str, passed: int, total: int, tooltip: str = "") -> widgets.HBox:
    bar = widgets.FloatProgress(
        value=passed,
        min=0,
        max=max(total, 1),
        bar_style="success" if total and passed == total else "info",
        layout=widgets.Layout(width="240px"),
        description_allow_html=False,
    )
    name = widgets.Label(label, layout=widgets.Layout(width="300px"), tooltip=tooltip or label)
    count = widgets.Label(f"{passed}/{total}" if total else "no self-checks")
    return widgets.HBox([name, bar, count])


class ProgressDashboard(widgets.VBox):
    """Self-check progress from the workspace's records.

    Attributes: ``summary`` (:class:`~itpm_course.progress.Summary`), ``notebook_rows`` and
    ``area_rows`` (one HBox each: label, FloatProgress, count), ``next_text`` (HTML) and
    ``refresh_button`` (Button: re-reads the records).
    """

    def __init__(self, workspace: Path | str | None = None):
        self.workspace = workspace
        self.heading = widgets.HTML()
        self.notebooks_box = widgets.VBox()
        self.areas_box = widgets.VBox()
        self.next_text = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.notebook_rows: list[widgets.HBox] = []
        self.area_rows: list[widgets.HBox] = []
        self.summary: Summary | None = None
        super().__init__(
            [
                self.heading,
                widgets.HTML("<b>By notebook</b>"),
                self.notebooks_box,
                widgets.HTML("<b>By skill area</b>"),
                self.areas_box,
                self.next_text,
                self.refresh_button,
            ]
        )
        self.add_class("itpm-progress")
        self.refresh()

    def refresh(self) -> None:
        """Re-read the recorded results and redraw."""
        try:
            self.summary = summary(self.workspace)
        except Exception as exc:  # noqa: BLE001 - a dashboard must never raise in a lesson
            self.heading.value = f"<i>Progress could not be read: {html.escape(str(exc))}</i>"
            return
        data = self.summary
        where = (
            f"recorded in <code>{html.escape(data.workspace)}</code>"
            if data.workspace
            else "not recorded: open the course with <code>itpm-course start</code> to keep it"
        )
        self.heading.value = f"<b>{data.passed} of {data.total}</b> self-checks passed ({where})."
        self.notebook_rows = [
            _bar_row(f"{row.number:02d} {row.title}", len(row.passed), row.total, row.filename)
            for row in data.notebooks
        ]
        self.notebooks_box.children = self.notebook_rows
        self.area_rows = [
            _bar_row(area.name, area.passed, area.total, area.covers) for area in data.areas
        ]
        self.areas_box.children = self.area_rows
        self.next_text.value = f"<b>Next:</b> {html.escape(data.next['reason'])}"


def progress_dashboard(workspace: Path | str | None = None) -> ProgressDashboard:
    """The progress dashboard for ``workspace`` (default: the workspace this notebook is in)."""
    return ProgressDashboard(workspace)
