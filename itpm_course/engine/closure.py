"""Closing a project: plan vs actual by phase, the lessons-learned register, the post-project review.

Variances follow the EVM sign convention, so negative is always bad news:

* schedule variance of a phase = planned working days − actual working days (negative: it
  took longer); finish variance = planned finish day − actual finish day (negative: late);
* cost variance = planned cost − actual cost (negative: over budget); at closure all work is
  done, so the earned value is the planned cost and this is EVM's CV = EV − AC.

The actual schedule is the baseline network run with the actual durations (CPM), so a
phase's actual span includes waiting caused by late work in earlier phases.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from itpm_course.content.control import (
    load_lesson_categories,
    load_lesson_kinds,
    load_review_sections,
)
from itpm_course.errors import PlanError, Problem

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.engine.change import ChangeLog
    from itpm_course.plan.model import ProjectPlan


# ------------------------------------------------------------------------------ plan vs actual
def read_actuals(actuals: Any) -> pd.DataFrame:
    """Actuals as a DataFrame indexed by task: ``actual_duration`` (days), ``actual_cost``.

    ``actuals`` is a CSV path, a DataFrame, a list of records or a dict of columns, with
    columns ``task``, ``actual_duration`` and ``actual_cost``.
    """
    import pandas as pd  # noqa: PLC0415

    if isinstance(actuals, str | Path):
        frame = pd.read_csv(actuals)
    elif isinstance(actuals, pd.DataFrame):
        frame = actuals.copy()
    elif isinstance(actuals, Mapping):
        frame = pd.DataFrame(dict(actuals))
    else:
        frame = pd.DataFrame(list(actuals))
    missing = {"task", "actual_duration", "actual_cost"} - set(frame.columns)
    if missing:
        raise ValueError(f"actuals: missing column(s) {sorted(missing)}")
    frame["task"] = frame["task"].astype(str).str.strip()
    for column in ("actual_duration", "actual_cost"):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = frame.loc[values.isna() | (values < 0), "task"].tolist()
        if bad:
            raise ValueError(f"actuals: {column} must be a number >= 0 (task {bad[0]})")
        frame[column] = values.astype(float)
    dupes = frame.loc[frame["task"].duplicated(), "task"].tolist()
    if dupes:
        raise ValueError(f"actuals: task {dupes[0]!r} appears twice")
    return frame.set_index("task")[["actual_duration", "actual_cost"]]


def plan_vs_actual(
    plan: ProjectPlan,
    actuals: Any,
    *,
    phases: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Plan vs actual by phase (WBS level 1), with a final ``total`` row for the project.

    Columns: ``name``, ``planned_start``, ``planned_finish``, ``actual_start``,
    ``actual_finish`` (working-day offsets), ``planned_days``, ``actual_days``,
    ``schedule_variance`` (planned − actual days), ``finish_variance`` (planned − actual
    finish day), ``planned_cost``, ``actual_cost``, ``cost_variance`` (planned − actual),
    ``cost_variance_pct`` (of planned cost). ``phases`` maps WBS level-1 codes to names.
    Every task needs a WBS code and an actual; ValueError names the first that lacks one.
    """
    import pandas as pd  # noqa: PLC0415

    from itpm_course.engine.schedule import schedule  # noqa: PLC0415

    table = read_actuals(actuals)
    ids = plan.task_ids
    unknown = [t for t in table.index if t not in plan.network.index]
    if unknown:
        raise ValueError(f"actuals: unknown task {unknown[0]!r} (not in plan {plan.name!r})")
    missing = [t for t in ids if t not in table.index]
    if missing:
        raise ValueError(f"actuals: no actual for task {missing[0]!r}; every task needs one")
    no_wbs = [t.id for t in plan.tasks if not t.wbs]
    if no_wbs:
        raise ValueError(f"task {no_wbs[0]!r} has no WBS code, so it belongs to no phase")
    planned = schedule(plan)
    actual = schedule(plan, durations=table.loc[ids, "actual_duration"].to_numpy())
    phase = [t.wbs.split(".")[0] for t in plan.tasks]
    cost = np.array([t.total_cost for t in plan.tasks])
    frame = pd.DataFrame(
        {
            "phase": phase,
            "ps": planned.early_start,
            "pf": planned.early_finish,
            "as": actual.early_start,
            "af": actual.early_finish,
            "pc": cost,
            "ac": table.loc[ids, "actual_cost"].to_numpy(),
        }
    )
    grouped = frame.groupby("phase", sort=False).agg(
        planned_start=("ps", "min"),
        planned_finish=("pf", "max"),
        actual_start=("as", "min"),
        actual_finish=("af", "max"),
        planned_cost=("pc", "sum"),
        actual_cost=("ac", "sum"),
    )
    grouped = grouped.loc[sorted(grouped.index, key=_wbs_key)]
    total = pd.DataFrame(
        {
            "planned_start": [0.0],
            "planned_finish": [planned.project_duration],
            "actual_start": [0.0],
            "actual_finish": [actual.project_duration],
            "planned_cost": [cost.sum()],
            "actual_cost": [frame["ac"].sum()],
        },
        index=["total"],
    )
    out = pd.concat([grouped, total])
    out.index.name = "phase"
    names = dict(phases or {})
    out.insert(
        0, "name", [names.get(p, "Project" if p == "total" else f"WBS {p}") for p in out.index]
    )
    out["planned_days"] = out["planned_finish"] - out["planned_start"]
    out["actual_days"] = out["actual_finish"] - out["actual_start"]
    out["schedule_variance"] = out["planned_days"] - out["actual_days"]
    out["finish_variance"] = out["planned_finish"] - out["actual_finish"]
    out["cost_variance"] = out["planned_cost"] - out["actual_cost"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cost_variance_pct"] = np.where(
            out["planned_cost"] > 0, out["cost_variance"] / out["planned_cost"], np.nan
        )
    return out[
        [
            "name",
            "planned_start",
            "planned_finish",
            "actual_start",
            "actual_finish",
            "planned_days",
            "actual_days",
            "schedule_variance",
            "finish_variance",
            "planned_cost",
            "actual_cost",
            "cost_variance",
            "cost_variance_pct",
        ]
    ]


def _wbs_key(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in str(code).split("."))


# ------------------------------------------------------------------------- lessons learned
LESSON_COLUMNS = (
    "id",
    "title",
    "category",
    "kind",
    "phase",
    "description",
    "impact",
    "recommendation",
    "owner",
    "recorded",
)


@dataclass(frozen=True)
class Lesson:
    """One lesson: what happened, its impact, and what to do next time.

    ``category`` is a lesson category id (content data), ``kind`` ``went well`` or
    ``improve``; ``phase`` the WBS level-1 code it belongs to (optional); ``recorded`` the
    date it was written down (lessons are captured during the project, not only at the end).
    """

    id: str
    title: str
    category: str
    kind: str
    recommendation: str
    description: str = ""
    impact: str = ""
    phase: str | None = None
    owner: str | None = None
    recorded: dt.date | None = None

    def to_record(self) -> dict[str, Any]:
        out = asdict(self)
        if self.recorded is not None:
            out["recorded"] = self.recorded.isoformat()
        return {k: out[k] for k in LESSON_COLUMNS}


def lesson_categories() -> dict[str, str]:
    """Lesson category ids and names."""
    frame = load_lesson_categories()
    return dict(zip(frame["id"], frame["name"], strict=True))


class LessonsRegister(Sequence[Lesson]):
    """The lessons-learned register; the constructor checks ids, categories and kinds."""

    def __init__(self, lessons: Iterable[Lesson] = (), *, source: str | None = None):
        self._lessons = list(lessons)
        self.source = source
        categories, kinds = lesson_categories(), load_lesson_kinds()
        problems = []
        seen: set[str] = set()
        for row, lesson in enumerate(self._lessons, start=1):

            def bad(column: str, reason: str, row: int = row) -> None:
                problems.append(Problem(reason, source=source, row=row, column=column))

            if not lesson.id:
                bad("id", "a lesson needs an id")
            elif lesson.id in seen:
                bad("id", f"duplicate lesson id {lesson.id!r}")
            seen.add(lesson.id)
            if lesson.category not in categories:
                bad(
                    "category",
                    f"unknown category {lesson.category!r}; expected one of {', '.join(categories)}",
                )
            if lesson.kind not in kinds:
                bad("kind", f"kind must be one of {', '.join(kinds)}, got {lesson.kind!r}")
            if not lesson.recommendation.strip():
                bad(
                    "recommendation",
                    "a lesson without a recommendation is only a story: say what to do next time",
                )
        if problems:
            raise PlanError(problems)

    def __getitem__(self, k):
        return self._lessons[k]

    def __len__(self) -> int:
        return len(self._lessons)

    def __repr__(self) -> str:
        return f"LessonsRegister({len(self)} lessons)"

    def add(self, lesson: Lesson) -> LessonsRegister:
        """A new register with ``lesson`` added."""
        return LessonsRegister([*self._lessons, lesson], source=self.source)

    def by_kind(self, kind: str) -> list[Lesson]:
        return [lesson for lesson in self._lessons if lesson.kind == kind]

    def counts(self) -> pd.DataFrame:
        """Lessons per category and kind (categories without lessons left out)."""
        import pandas as pd  # noqa: PLC0415

        frame = self.to_frame()
        if frame.empty:
            return pd.DataFrame()
        return pd.crosstab(frame["category"], frame["kind"])

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame(
            [lesson.to_record() for lesson in self._lessons], columns=list(LESSON_COLUMNS)
        )

    def to_csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(LESSON_COLUMNS)
        for lesson in self._lessons:
            record = lesson.to_record()
            writer.writerow(["" if record[c] is None else record[c] for c in LESSON_COLUMNS])
        return buffer.getvalue()

    def to_markdown(self) -> str:
        """The register as Markdown, grouped into what went well and what to improve."""
        names = lesson_categories()
        lines = []
        for kind, heading in (("went well", "What went well"), ("improve", "What to improve")):
            lines.append(f"### {heading}")
            lines.append("")
            items = self.by_kind(kind)
            if not items:
                lines.append("_None recorded._")
            for lesson in items:
                lines.append(
                    f"- **{lesson.title}** ({names[lesson.category]}). {_sentence(lesson.description)}"
                    + (f" Impact: {_sentence(lesson.impact)}" if lesson.impact else "")
                    + f" **Next time:** {_sentence(lesson.recommendation)}"
                    + (f" _(owner: {lesson.owner})_" if lesson.owner else "")
                )
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, Any]], *, source: str | None = None
    ) -> LessonsRegister:
        lessons, problems = [], []
        names = {f.name for f in fields(Lesson)}
        for row, record in enumerate(records, start=1):
            clean = {k: _cell(v) for k, v in record.items()}
            unknown = sorted(set(clean) - names)
            if unknown:
                problems.append(Problem(f"unknown column(s) {unknown}", source=source, row=row))
                continue
            missing = [k for k in ("id", "title", "category", "kind") if not clean.get(k)]
            if missing:
                problems.append(
                    Problem("required field is empty", source=source, row=row, column=missing[0])
                )
                continue
            recorded = clean.get("recorded")
            if recorded and not isinstance(recorded, dt.date):
                try:
                    recorded = dt.date.fromisoformat(str(recorded))
                except ValueError:
                    problems.append(
                        Problem(
                            f"expected a date like 2026-03-13, got {recorded!r}",
                            source=source,
                            row=row,
                            column="recorded",
                        )
                    )
                    continue
            clean["recorded"] = recorded or None
            for key in ("description", "impact", "recommendation"):
                clean[key] = clean.get(key) or ""
            lessons.append(Lesson(**clean))
        if problems:
            raise PlanError(problems)
        return cls(lessons, source=source)

    @classmethod
    def from_csv_text(cls, text: str, *, source: str = "<csv>") -> LessonsRegister:
        return cls.from_records(list(csv.DictReader(io.StringIO(text))), source=source)

    @classmethod
    def load(cls, path: str | Path) -> LessonsRegister:
        """Read a register from a CSV file with :data:`LESSON_COLUMNS`."""
        path = Path(path)
        return cls.from_csv_text(path.read_text(encoding="utf-8-sig"), source=str(path))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_csv_text(), encoding="utf-8")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return str(value) if not isinstance(value, dt.date) else value


# ------------------------------------------------------------------------ post-project review
def review_template() -> str:
    """A blank post-project review as Markdown: each section with the question it answers."""
    lines = ["# Post-project review: <project>", ""]
    for _, section in load_review_sections().iterrows():
        lines += [f"## {section['title']}", "", f"_{section['prompt']}_", ""]
    return "\n".join(lines).rstrip() + "\n"


def post_project_review(
    plan: ProjectPlan,
    *,
    actuals: Any = None,
    lessons: LessonsRegister | None = None,
    changes: ChangeLog | None = None,
    phases: Mapping[str, str] | None = None,
    quality: Mapping[str, str] | None = None,
) -> str:
    """A post-project review in Markdown, filled from what is known; the rest keeps its prompt.

    ``actuals`` fills the plan-vs-actual table, ``lessons`` what went well / what to improve
    and the recommendations, ``changes`` the change summary, ``quality`` free lines such as
    ``{"Defect escape rate": "6%"}``.
    """
    sections = load_review_sections()
    filled: dict[str, list[str]] = {}
    if actuals is not None:
        table = plan_vs_actual(plan, actuals, phases=phases)
        total = table.loc["total"]
        filled["summary"] = [
            f"{plan.name}: planned {total['planned_days']:g} working days and "
            f"{total['planned_cost']:,.0f}; took {total['actual_days']:g} working days and cost "
            f"{total['actual_cost']:,.0f} (schedule variance {total['schedule_variance']:+g} days, "
            f"cost variance {total['cost_variance']:+,.0f})."
        ]
        if plan.budget is not None:
            filled["summary"].append(
                f"Approved budget with reserve: {plan.budget:,.0f}; "
                f"{'within' if total['actual_cost'] <= plan.budget else 'over'} budget."
            )
        rows = [
            "| phase | planned days | actual days | SV (days) | planned cost | actual cost | CV | CV % |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for code, r in table.iterrows():
            label = (
                r["name"]
                if code == "total" or r["name"] == f"WBS {code}"
                else f"{code} {r['name']}"
            )
            rows.append(
                f"| {label} | {r['planned_days']:g} | {r['actual_days']:g} | "
                f"{r['schedule_variance']:+g} | {r['planned_cost']:,.0f} | {r['actual_cost']:,.0f} | "
                f"{r['cost_variance']:+,.0f} | {r['cost_variance_pct']:+.1%} |"
            )
        filled["performance"] = [
            *rows,
            "",
            "Negative variances are overruns (EVM sign convention).",
        ]
    if quality:
        filled["quality"] = [f"- {k}: {v}" for k, v in quality.items()]
    if changes is not None:
        counts = {k: v for k, v in changes.counts().items() if v}
        filled["changes"] = [
            f"{len(changes)} change request(s): "
            + ", ".join(f"{v} {k}" for k, v in counts.items())
            + "."
        ]
        filled["changes"] += [
            f"- {e.id} {e.title}: {e.status}"
            + (
                f" ({e.delta_duration:+g} days, {e.delta_cost:+,.0f})"
                if e.delta_cost is not None
                else ""
            )
            for e in changes
        ]
    if lessons is not None:
        md = lessons.to_markdown().split("### What to improve")
        filled["went_well"] = [md[0].replace("### What went well", "").strip()]
        filled["improve"] = [md[1].strip()] if len(md) > 1 else []
        filled["recommendations"] = [
            f"- {lesson.recommendation}" + (f" (owner: {lesson.owner})" if lesson.owner else "")
            for lesson in lessons.by_kind("improve")
        ]
    lines = [f"# Post-project review: {plan.name}", ""]
    for _, section in sections.iterrows():
        lines += [f"## {section['title']}", ""]
        body = filled.get(section["id"])
        lines += [*body, ""] if body else [f"_{section['prompt']}_", ""]
    return "\n".join(lines).rstrip() + "\n"
