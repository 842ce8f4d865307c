"""ipywidgets UIs, thin: read controls -> call the engine -> draw a chart.

Every widget is built by a function that returns it, so tests can set a control's value and
read the result without a browser.
"""

from itpm_course.widgets.schedule import ScheduleExplorer, schedule_explorer, summary_line

__all__ = ["ScheduleExplorer", "schedule_explorer", "summary_line"]
