"""Matplotlib figures built from engine results (no pyplot state; each returns a Figure)."""

from itpm_course.charts.gantt import gantt_chart

__all__ = ["gantt_chart"]
