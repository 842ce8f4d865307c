"""A steering-committee status report from a plan and its status data: Markdown and HTML.

:func:`status_report` measures the plan with :func:`~itpm_course.engine.evm.evm_from_plan`
and writes one page: overall RAG, a plain-language summary, the EVM table, the forecast
finish, critical-path changes against the baseline, the tasks that drive the variances, the
top risks and the decisions asked for. The S-curve and index trend are one PNG, embedded in
the HTML as base64 (and in the Markdown too, unless saved next to it as a file).

This module draws a chart, so it imports matplotlib lazily; everything else is pure.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from itpm_course.engine.evm import (
    EAC_DESCRIPTIONS,
    EVMetrics,
    PlanEVM,
    RagThresholds,
    evm_from_plan,
    forecast_plan,
)

if TYPE_CHECKING:  # pragma: no cover
    from itpm_course.plan.model import ProjectPlan

RAG_HEX = {"green": "#2e7d32", "amber": "#b26a00", "red": "#c62828"}


@dataclass(frozen=True)
class CriticalPathChange:
    """The critical path of the baseline against the current forecast."""

    baseline: list[str]
    current: list[str]
    baseline_duration: float
    current_duration: float

    @property
    def added(self) -> list[str]:
        return [t for t in self.current if t not in self.baseline]

    @property
    def removed(self) -> list[str]:
        return [t for t in self.baseline if t not in self.current]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed) or self.current_duration != self.baseline_duration

    def describe(self) -> str:
        """One sentence for the report."""
        if not self.changed:
            return "No change: the critical path and the planned finish are as in the baseline."
        parts = []
        delta = self.current_duration - self.baseline_duration
        if delta:
            parts.append(
                f"the forecast finish moves by {delta:+g} working days "
                f"({self.baseline_duration:g} → {self.current_duration:g})"
            )
        if self.added:
            parts.append("newly critical: " + ", ".join(self.added))
        if self.removed:
            parts.append("no longer critical: " + ", ".join(self.removed))
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


@dataclass(frozen=True, eq=False)
class StatusReport:
    """A rendered status report. ``markdown`` and ``html`` are complete documents."""

    title: str
    status_date: dt.date
    metrics: EVMetrics
    evm: PlanEVM
    critical_path: CriticalPathChange
    risks: list[dict[str, Any]]
    decisions: list[str]
    png: bytes = field(repr=False)
    markdown: str = field(repr=False)
    html: str = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"<StatusReport {self.title!r}, period {self.metrics.period} "
            f"({self.status_date.isoformat()}), RAG {self.metrics.rag}>"
        )

    def _repr_html_(self) -> str:
        # A fragment for the notebook: the full document's <head> would restyle the page.
        return self.html.split("<body>", 1)[1].rsplit("</body>", 1)[0].strip()

    def to_markdown(self, image: str | None = None) -> str:
        """The Markdown document; ``image`` is a path to reference instead of embedding the PNG."""
        if image is None:
            return self.markdown
        return self.markdown.replace(_data_uri(self.png), image)

    def save(self, path: str | Path) -> Path:
        """Write ``.html`` (self-contained) or ``.md`` (with the chart as ``<stem>.png`` beside it)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm"):
            path.write_text(self.html, encoding="utf-8")
        elif suffix in (".md", ".markdown"):
            png = path.with_suffix(".png")
            png.write_bytes(self.png)
            path.write_text(self.to_markdown(image=png.name), encoding="utf-8")
        else:
            raise ValueError(f"save a status report as .html or .md, not {path.name!r}")
        return path


def status_report(
    plan: ProjectPlan,
    status: Any,
    *,
    risks: Iterable[Any] | None = None,
    current_plan: ProjectPlan | None = None,
    rule: str = "percent_complete",
    period_days: float = 5.0,
    thresholds: RagThresholds | None = None,
    eac_method: str = "bac_over_cpi",
    top_risks: int = 5,
    top_tasks: int = 5,
    title: str | None = None,
    dpi: int = 90,
) -> StatusReport:
    """Measure ``plan`` against ``status`` and write a steering-committee report.

    ``status`` is as for :func:`~itpm_course.engine.evm.evm_from_plan` (an optional
    ``forecast_duration`` column re-forecasts task durations). ``current_plan`` is the
    re-forecast plan to compare critical paths with (default: the plan with the status's
    forecast durations, or the baseline itself). ``risks``: a list of dicts or risk objects
    (``id``, ``title``, ``probability``, ``impact_cost``, ``impact_days``, ``owner``,
    ``strategy``, ``status``); the active threats with the largest expected money value
    (probability × impact cost) are listed.
    """
    from itpm_course.engine.schedule import schedule as run_cpm  # noqa: PLC0415

    result = evm_from_plan(
        plan,
        status,
        rule=rule,
        period_days=period_days,
        thresholds=thresholds,
        eac_method=eac_method,
    )
    m = result.latest
    base = result.baseline
    current = current_plan if current_plan is not None else forecast_plan(plan, status)
    now = run_cpm(current) if current is not None else base
    change = CriticalPathChange(
        base.critical_tasks, now.critical_tasks, base.project_duration, now.project_duration
    )
    period = int(m.period)
    status_date = _date_after(plan, period * period_days)
    finish_base = _date_after(plan, base.project_duration)
    finish_fc = None
    if m.ieac_t is not None:
        finish_fc = _date_after(plan, m.ieac_t * period_days)
    chosen_risks = _top_risks(risks, top_risks)
    tasks = _task_variances(result, top_tasks)
    decisions = _decisions(m, change, plan)
    png = _chart_png(result, dpi)
    title = title or f"Status report: {plan.name}"
    facts = {
        "period": period,
        "status_date": status_date,
        "finish_base": finish_base,
        "finish_fc": finish_fc,
    }
    md = _markdown(title, plan, m, facts, change, tasks, chosen_risks, decisions, png)
    page = _html(title, plan, m, facts, change, tasks, chosen_risks, decisions, png)
    return StatusReport(
        title=title,
        status_date=status_date,
        metrics=m,
        evm=result,
        critical_path=change,
        risks=chosen_risks,
        decisions=decisions,
        png=png,
        markdown=md,
        html=page,
    )


# ------------------------------------------------------------------------------ content
def _date_after(plan: ProjectPlan, days: float) -> dt.date:
    """The calendar date of the working day on which ``days`` of work from the start end."""
    day = max(math.ceil(days - 1e-9) - 1, 0)
    return np.datetime64(plan.calendar.add_workdays(plan.start, [day])[0], "D").astype(dt.date)


def _risk_dict(risk: Any) -> dict[str, Any]:
    if isinstance(risk, Mapping):
        return dict(risk)
    if hasattr(risk, "to_dict"):
        return dict(risk.to_dict())
    raise ValueError(f"a risk must be a dict or have to_dict(), got {type(risk).__name__}")


def _top_risks(risks: Iterable[Any] | None, n: int) -> list[dict[str, Any]]:
    if not risks:
        return []
    rows = []
    for order, risk in enumerate(risks):
        r = _risk_dict(risk)
        if str(r.get("status") or "open") not in ("open", "monitoring"):
            continue
        if str(r.get("kind") or "threat") != "threat":
            continue
        p = _float(r.get("probability"))
        cost = _float(r.get("impact_cost"))
        r["emv"] = p * cost if p is not None and cost is not None else None
        r["_order"] = order
        rows.append(r)
    rows.sort(key=lambda r: (-(r["emv"] if r["emv"] is not None else -1), r["_order"]))
    for r in rows:
        r.pop("_order")
    return rows[:n]


def _float(value: Any) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _task_variances(result: PlanEVM, n: int):
    frame = result.tasks
    latest = frame[frame["period"] == frame["period"].max()].copy()
    latest["worst"] = np.minimum(latest["cv"], latest["sv"])
    latest = latest[latest["worst"] < 0].sort_values("worst")
    names = {t.id: t.name for t in result.plan.tasks}
    latest["name"] = latest["task"].map(names)
    return latest.head(n)


def _decisions(m: EVMetrics, change: CriticalPathChange, plan: ProjectPlan) -> list[str]:
    out = []
    if m.rag == "red":
        out.append(
            "Escalation: performance is outside the agreed tolerance (RAG red). The steering "
            "committee is asked to choose a recovery option below."
        )
    if m.cpi is not None and m.cpi < 1 and m.vac is not None:
        out.append(
            f"Cost: at the current CPI the forecast overrun is {-m.vac:,.0f} "
            f"({-m.vac / m.bac:.0%} of BAC). Options: approve extra funding, reduce scope, or "
            "accept a lower-cost approach for the remaining work."
        )
    if m.tcpi_bac is not None and m.tcpi_bac > 1.1:
        out.append(
            f"TCPI(BAC) is {m.tcpi_bac:.2f}: finishing within the budget needs a cost efficiency "
            "rarely achieved. A realistic EAC should be approved as the new cost target."
        )
    schedule_index = m.spi_t if m.spi_t is not None else m.spi
    if (
        schedule_index is not None
        and schedule_index < 1
        and m.ieac_t is not None
        and m.pd is not None
    ):
        out.append(
            f"Schedule: at the current pace the project needs {m.ieac_t:.1f} periods instead of "
            f"{m.pd:g}. Options: add people to critical tasks (crashing), overlap work "
            "(fast-tracking), or move the date."
        )
    if change.added:
        out.append(
            "New critical tasks ("
            + ", ".join(change.added)
            + ") need owners' attention and daily follow-up."
        )
    if plan.budget is not None and m.eac is not None and m.eac > plan.budget:
        out.append(
            f"The EAC ({m.eac:,.0f}) is above the approved budget including reserve "
            f"({plan.budget:,.0f}): the contingency will not cover the overrun."
        )
    if not out:
        out.append("No decision needed: the project is within tolerance. For information only.")
    return out


def _chart_png(result: PlanEVM, dpi: int) -> bytes:
    from itpm_course.charts.evm import evm_dashboard_figure  # noqa: PLC0415

    fig = evm_dashboard_figure(result.series)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _metric_rows(m: EVMetrics, facts: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, value, what it means) rows shared by both formats."""

    def money(x):
        return "n/a" if x is None else f"{x:,.0f}"

    def idx(x):
        return "n/a" if x is None else f"{x:.2f}"

    rows = [
        ("Budget at completion (BAC)", money(m.bac), "the approved cost of all the work"),
        ("Planned value (PV)", money(m.pv), "the work planned to be done by now"),
        ("Earned value (EV)", money(m.ev), "the budgeted value of the work done"),
        ("Actual cost (AC)", money(m.ac), "what the work done has cost"),
        ("Cost variance (CV = EV − AC)", money(m.cv), "negative: over budget"),
        ("Schedule variance (SV = EV − PV)", money(m.sv), "negative: behind schedule (in money)"),
        ("CPI = EV / AC", idx(m.cpi), "value earned per unit of money spent"),
        ("SPI = EV / PV", idx(m.spi), "share of the planned work done"),
        ("SPI(t) = ES / AT", idx(m.spi_t), "schedule efficiency in time (earned schedule)"),
        (
            "Earned schedule (ES)",
            "n/a" if m.es is None else f"{m.es:.2f} periods",
            f"the work done was planned by then; status period is {facts['period']}",
        ),
        (f"EAC ({m.eac_method})", money(m.eac), EAC_DESCRIPTIONS[m.eac_method]),
        ("Estimate to complete (ETC)", money(m.etc), "money still needed"),
        ("Variance at completion (VAC)", money(m.vac), "negative: forecast overrun"),
        ("TCPI to BAC", idx(m.tcpi_bac), "cost efficiency needed to finish within BAC"),
        ("Percent complete (EV / BAC)", f"{m.percent_complete:.0%}", ""),
        ("Percent spent (AC / BAC)", f"{m.percent_spent:.0%}", ""),
    ]
    for name, value in m.eac_variants.items():
        if name != m.eac_method:
            rows.append((f"EAC variant {name}", money(value), EAC_DESCRIPTIONS[name]))
    return rows


def _markdown(title, plan, m, facts, change, tasks, risks, decisions, png) -> str:
    lines = [f"# {title}", ""]
    lines.append(
        f"**Status date:** end of period {facts['period']} ({facts['status_date']:%a %d %b %Y}) · "
        f"**Overall status:** {(m.rag or 'n/a').upper()} "
        f"(cost {(m.rag_cost or 'n/a').upper()}, schedule {(m.rag_schedule or 'n/a').upper()})"
    )
    lines += ["", "## Summary", "", m.interpretation(), ""]
    finish = f"Baseline finish: {facts['finish_base']:%a %d %b %Y}"
    if facts["finish_fc"] is not None:
        finish += (
            f"; forecast finish at the current pace (IEAC(t)): {facts['finish_fc']:%a %d %b %Y}"
        )
    lines += [
        finish + ".",
        "",
        "## Earned value",
        "",
        "| Measure | Value | Meaning |",
        "|---|---:|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in _metric_rows(m, facts)]
    lines += ["", f"![S-curve and performance indices]({_data_uri(png)})", ""]
    lines += ["## Critical path", "", change.describe(), ""]
    lines.append(
        f"- Baseline: {' → '.join(change.baseline)} ({change.baseline_duration:g} working days)"
    )
    lines.append(
        f"- Current: {' → '.join(change.current)} ({change.current_duration:g} working days)"
    )
    lines += ["", "## Tasks driving the variances", ""]
    if len(tasks):
        lines += ["| Task | Name | % complete | CV | SV |", "|---|---|---:|---:|---:|"]
        for _, r in tasks.iterrows():
            lines.append(
                f"| {r['task']} | {r['name']} | {r['percent_complete']:.0f}% | {r['cv']:,.0f} | {r['sv']:,.0f} |"
            )
    else:
        lines.append("No task is behind or over budget.")
    lines += ["", "## Top risks", ""]
    if risks:
        lines += [
            "| Id | Risk | Probability | Impact | EMV | Owner | Response |",
            "|---|---|---:|---:|---:|---|---|",
        ]
        for r in risks:
            lines.append(
                f"| {r.get('id', '')} | {_md_cell(r.get('title', ''))} | {_pct(r.get('probability'))} | "
                f"{_money_or(r.get('impact_cost'))} | {_money_or(r.get('emv'))} | {_md_cell(r.get('owner') or '')} | "
                f"{_md_cell(r.get('strategy') or '')} |"
            )
    else:
        lines.append("No risk register supplied.")
    lines += ["", "## Decisions and escalations", ""]
    lines += [f"{k}. {d}" for k, d in enumerate(decisions, 1)]
    lines.append("")
    return "\n".join(lines)


def _html(title, plan, m, facts, change, tasks, risks, decisions, png) -> str:
    e = html.escape

    def badge(rag):
        colour = RAG_HEX.get(rag or "", "#555555")
        return (
            f"<span style='background:{colour};color:white;padding:2px 10px;border-radius:10px;"
            f"font-weight:bold'>{e((rag or 'n/a').upper())}</span>"
        )

    parts = [
        "<!DOCTYPE html>",
        "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title>",
        "<style>body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1000px;"
        "margin:1.5em auto;color:#222;line-height:1.4}</style></head><body>",
        "<div class='itpm-status-report'>",
        # Scoped to the report, so it also renders safely inside a notebook.
        "<style>.itpm-status-report table{border-collapse:collapse;margin:.5em 0}"
        ".itpm-status-report td,.itpm-status-report th{border:1px solid #d0d4d8;padding:3px 8px;"
        "text-align:left}.itpm-status-report td.num{text-align:right}"
        ".itpm-status-report th{background:#f2f4f6}.itpm-status-report img{max-width:100%}</style>",
        f"<h1>{e(title)}</h1>",
        f"<p><b>Status date:</b> end of period {facts['period']} ({facts['status_date']:%a %d %b %Y}) · "
        f"<b>Overall:</b> {badge(m.rag)} &nbsp; cost {badge(m.rag_cost)} &nbsp; schedule {badge(m.rag_schedule)}</p>",
        "<h2>Summary</h2>",
        f"<p>{e(m.interpretation())}</p>",
    ]
    finish = f"Baseline finish: {facts['finish_base']:%a %d %b %Y}"
    if facts["finish_fc"] is not None:
        finish += (
            f"; forecast finish at the current pace (IEAC(t)): {facts['finish_fc']:%a %d %b %Y}"
        )
    parts.append(f"<p>{e(finish)}.</p>")
    parts.append(
        "<h2>Earned value</h2><table><tr><th>Measure</th><th>Value</th><th>Meaning</th></tr>"
    )
    for a, b, c in _metric_rows(m, facts):
        parts.append(f"<tr><td>{e(a)}</td><td class='num'>{e(b)}</td><td>{e(c)}</td></tr>")
    parts.append("</table>")
    parts.append(f"<img alt='S-curve and performance indices' src='{_data_uri(png)}'>")
    parts.append(f"<h2>Critical path</h2><p>{e(change.describe())}</p><ul>")
    parts.append(
        f"<li>Baseline: {e(' → '.join(change.baseline))} ({change.baseline_duration:g} working days)</li>"
    )
    parts.append(
        f"<li>Current: {e(' → '.join(change.current))} ({change.current_duration:g} working days)</li></ul>"
    )
    parts.append("<h2>Tasks driving the variances</h2>")
    if len(tasks):
        parts.append(
            "<table><tr><th>Task</th><th>Name</th><th>% complete</th><th>CV</th><th>SV</th></tr>"
        )
        for _, r in tasks.iterrows():
            parts.append(
                f"<tr><td>{e(str(r['task']))}</td><td>{e(str(r['name']))}</td>"
                f"<td class='num'>{r['percent_complete']:.0f}%</td><td class='num'>{r['cv']:,.0f}</td>"
                f"<td class='num'>{r['sv']:,.0f}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No task is behind or over budget.</p>")
    parts.append("<h2>Top risks</h2>")
    if risks:
        parts.append(
            "<table><tr><th>Id</th><th>Risk</th><th>Probability</th><th>Impact</th><th>EMV</th>"
            "<th>Owner</th><th>Response</th></tr>"
        )
        for r in risks:
            parts.append(
                f"<tr><td>{e(str(r.get('id', '')))}</td><td>{e(str(r.get('title', '')))}</td>"
                f"<td class='num'>{e(_pct(r.get('probability')))}</td>"
                f"<td class='num'>{e(_money_or(r.get('impact_cost')))}</td>"
                f"<td class='num'>{e(_money_or(r.get('emv')))}</td>"
                f"<td>{e(str(r.get('owner') or ''))}</td><td>{e(str(r.get('strategy') or ''))}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>No risk register supplied.</p>")
    parts.append("<h2>Decisions and escalations</h2><ol>")
    parts += [f"<li>{e(d)}</li>" for d in decisions]
    parts.append("</ol></div></body></html>")
    return "\n".join(parts) + "\n"


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _pct(value: Any) -> str:
    v = _float(value)
    return "" if v is None else f"{v:.0%}"


def _money_or(value: Any) -> str:
    v = _float(value)
    return "" if v is None else f"{v:,.0f}"
