"""Certification roadmap chart: when each recommended certification can be sat, on a month axis.

:func:`certification_roadmap_chart` takes the steps of
:func:`itpm_course.engine.certifications.certification_path` (or the ``recommended_path`` dicts
of :func:`~itpm_course.engine.certifications.certification_report`) and draws one row per
certification: a diamond at the month it can be sat and a bar for the study and exam time after
it. Artists carry a ``gid`` for tests: ``"eligible-markers"``, ``"prep-bars"``, ``"labels"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from itpm_course.charts.gantt import _new_figure
from itpm_course.content import get_certification

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

NOW_COLOUR = "#009E73"  # can be sat now
LATER_COLOUR = "#0072B2"  # later
PREP_COLOUR = "#BBBBBB"


def _step(step: Any) -> dict[str, Any]:
    if isinstance(step, Mapping):
        data = dict(step)
    else:
        data = {
            "id": step.id,
            "name": getattr(step, "name", step.id),
            "when_months": step.when_months,
        }
    if "id" not in data or "when_months" not in data:
        raise ValueError(f"steps: each step needs 'id' and 'when_months'; got {step!r}")
    return data


def certification_roadmap_chart(
    steps: Sequence[Any], *, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """Return a roadmap figure: months from now on x, one row per certification, in path order."""
    rows = [_step(s) for s in steps]
    if ax is None:
        fig, ax = _new_figure((9.0, max(2.2, 0.6 * len(rows) + 1.4)))
    else:
        fig = ax.figure
    if not rows:
        ax.text(0.5, 0.5, "No certification to plan yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    labels, prep = [], []
    for r in rows:
        cert = get_certification(r["id"])
        labels.append(cert["short_name"])
        prep.append(float(cert.get("prep_months") or 1))
    y = list(range(len(rows)))
    when = [float(r["when_months"]) for r in rows]
    bars = ax.barh(y, prep, left=when, height=0.35, color=PREP_COLOUR, label="study and exam")
    for patch in bars:
        patch.set_gid("prep-bars")
    colours = [NOW_COLOUR if w == 0 else LATER_COLOUR for w in when]
    markers = ax.scatter(when, y, marker="D", s=70, c=colours, zorder=3)
    markers.set_gid("eligible-markers")
    texts = []
    for yi, w, p, label in zip(y, when, prep, labels, strict=True):
        timing = "now" if w == 0 else f"month {w:g}"
        texts.append(ax.text(w + p + 0.3, yi, f"{label} ({timing})", va="center", fontsize=9))
    for t in texts:
        t.set_gid("labels")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    right = max(w + p for w, p in zip(when, prep, strict=True))
    ax.set_xlim(-1, right + max(6.0, 0.35 * right))
    ax.set_xlabel("months from now (assuming steady project-management work)")
    ax.axvline(0, color="#444444", linewidth=0.8, linestyle=":")
    ax.scatter([], [], marker="D", c=NOW_COLOUR, label="can sit it now")
    ax.scatter([], [], marker="D", c=LATER_COLOUR, label="can sit it from this month")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    ax.set_title(title or "Your certification roadmap")
    ax.spines[["top", "right"]].set_visible(False)
    return fig
