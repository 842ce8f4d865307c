"""Certification roadmap chart: when each recommended certification can be sat, on a month axis.

:func:`certification_roadmap_chart` takes the steps of
:func:`itpm_course.engine.certifications.certification_path` (or the ``recommended_path`` dicts
of :func:`~itpm_course.engine.certifications.certification_report`) and draws one row per
certification: a diamond at the month it can be sat and a bar for the study and exam time after
it. Artists carry a ``gid`` for tests: ``"eligible-markers"``, ``"prep-bars"``, ``"labels"``.
:func:`update_roadmap` moves a drawn roadmap to new months in place (for live widgets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure

from itpm_course.charts._axes import axes_or_new
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
    fig, ax = axes_or_new(ax, (9.0, max(2.2, 0.6 * len(rows) + 1.4)))
    if not rows:
        ax.text(0.5, 0.5, "No certification to plan yet", ha="center", va="center")
        ax.set_axis_off()
        return fig
    labels, prep, when = _rows(rows)
    y = list(range(len(rows)))
    bars = ax.barh(y, prep, left=when, height=0.35, color=PREP_COLOUR, label="study and exam")
    for patch in bars:
        patch.set_gid("prep-bars")
    colours = [NOW_COLOUR if w == 0 else LATER_COLOUR for w in when]
    markers = ax.scatter(when, y, marker="D", s=70, c=colours, zorder=3)
    markers.set_gid("eligible-markers")
    texts = []
    for yi, w, p, label in zip(y, when, prep, labels, strict=True):
        texts.append(ax.text(w + p + 0.3, yi, _label(label, w), va="center", fontsize=9))
    for t in texts:
        t.set_gid("labels")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(-1, _right(when, prep))
    ax.set_xlabel("months from now (assuming steady project-management work)")
    ax.axvline(0, color="#444444", linewidth=0.8, linestyle=":")
    ax.scatter([], [], marker="D", c=NOW_COLOUR, label="can sit it now")
    ax.scatter([], [], marker="D", c=LATER_COLOUR, label="can sit it from this month")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8, frameon=False)
    ax.set_title(title or "Your certification roadmap")
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def update_roadmap(ax: Axes, steps: Sequence[Any]) -> bool:
    """Move the roadmap :func:`certification_roadmap_chart` drew into ``ax`` to new months, in
    place (for live widgets). False when the certifications (or their order) differ from the
    drawn ones: then draw it again."""
    rows = [_step(s) for s in steps]
    bars = [p for p in ax.patches if p.get_gid() == "prep-bars"]
    markers = [c for c in ax.collections if c.get_gid() == "eligible-markers"]
    texts = [t for t in ax.texts if t.get_gid() == "labels"]
    labels, prep, when = _rows(rows)
    if not rows or len(markers) != 1 or [t.get_text() for t in ax.get_yticklabels()] != labels:
        return False
    for bar, w in zip(bars, when, strict=True):
        bar.set_x(w)
    markers[0].set_offsets([(w, yi) for yi, w in enumerate(when)])
    markers[0].set_facecolors([NOW_COLOUR if w == 0 else LATER_COLOUR for w in when])
    for text, w, p, label in zip(texts, when, prep, labels, strict=True):
        text.set_x(w + p + 0.3)
        text.set_text(_label(label, w))
    ax.set_xlim(-1, _right(when, prep))
    return True


def _rows(rows: list[dict[str, Any]]) -> tuple[list[str], list[float], list[float]]:
    labels, prep = [], []
    for r in rows:
        cert = get_certification(r["id"])
        labels.append(cert["short_name"])
        prep.append(float(cert.get("prep_months") or 1))
    return labels, prep, [float(r["when_months"]) for r in rows]


def _label(name: str, when: float) -> str:
    return f"{name} ({'now' if when == 0 else f'month {when:g}'})"


def _right(when: list[float], prep: list[float]) -> float:
    right = max(w + p for w, p in zip(when, prep, strict=True))
    return right + max(6.0, 0.35 * right)
