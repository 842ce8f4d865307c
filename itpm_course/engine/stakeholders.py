"""Stakeholder analysis: the power/interest grid, engagement gaps, RACI checks, the
communication plan and the escalation path. Pure functions: registers in, tables and findings out.

The grid splits power and interest (1–5) at ``high_from`` (default 4: ratings 4 and 5 are
high, 1–3 low) into four quadrants with a recommended strategy each: *manage closely* (high
power, high interest), *keep satisfied* (high power, low interest), *keep informed* (low power,
high interest) and *monitor* (both low). The strategies, default communication, channels and
escalation levels are data in ``itpm_course/content/data/stakeholders.yaml``.

RACI checks return :class:`Finding` objects: a :class:`~itpm_course.errors.Problem` with a stable
``code`` and a ``severity`` (error, warning, info), so a finding prints with its place (file,
row, deliverable, role) and the plan validator can wrap it in its own rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from itpm_course.content import people
from itpm_course.errors import Problem
from itpm_course.plan.stakeholders import (
    CHANNELS,
    ENGAGEMENT_LEVELS,
    RaciMatrix,
    StakeholderRegister,
)

if TYPE_CHECKING:  # pragma: no cover
    from itpm_course.plan.model import ProjectPlan

__all__ = [
    "HIGH_FROM",
    "MAX_SHARE",
    "QUADRANTS",
    "EscalationLevel",
    "Finding",
    "check_raci",
    "communication_load",
    "communication_plan",
    "engagement_gaps",
    "engagement_matrix",
    "escalate",
    "escalation_path",
    "power_interest_grid",
    "quadrant",
    "raci_load",
    "raci_summary",
    "strategy",
]

HIGH_FROM = 4
MAX_SHARE = 0.5  # a role carrying R or A on more than half the deliverables is overloaded
QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")
SEVERITIES = ("error", "warning", "info")


# ================================================================================== the grid
def _check_rating(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 5:
        raise ValueError(f"{what} must be a rating from 1 to 5, got {value!r}")
    return value


def _check_high_from(high_from: Any) -> None:
    if isinstance(high_from, bool) or not isinstance(high_from, int | float):
        raise ValueError(f"high_from must be a number from 1 to 5, got {high_from!r}")
    if not 1 < high_from <= 5:
        raise ValueError(
            f"high_from must be above 1 and at most 5 (ratings from it up count as high), got "
            f"{high_from!r}"
        )


def quadrant(power: float, interest: float, *, high_from: float = HIGH_FROM) -> str:
    """The grid quadrant of a stakeholder: power and interest at or above ``high_from`` are high."""
    _check_rating(power, "power")
    _check_rating(interest, "interest")
    _check_high_from(high_from)
    high_power, high_interest = power >= high_from, interest >= high_from
    if high_power:
        return "manage closely" if high_interest else "keep satisfied"
    return "keep informed" if high_interest else "monitor"


def _quadrant_table() -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in people.load_quadrants().to_dict("records")}


def strategy(quadrant_name: str) -> str:
    """The recommended engagement strategy for a quadrant (ValueError for an unknown name)."""
    table = _quadrant_table()
    if quadrant_name not in table:
        raise ValueError(
            f"unknown quadrant {quadrant_name!r}; expected one of {', '.join(QUADRANTS)}"
        )
    return table[quadrant_name]["strategy"]


def power_interest_grid(
    register: StakeholderRegister, *, high_from: float = HIGH_FROM
) -> pd.DataFrame:
    """One row per stakeholder: ``id``, ``name``, ``role``, ``power``, ``interest``,
    ``quadrant`` and ``strategy``, in register order."""
    _check_high_from(high_from)
    table = _quadrant_table()
    rows = []
    for s in register:
        q = quadrant(s.power, s.interest, high_from=high_from)
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "role": s.role,
                "power": s.power,
                "interest": s.interest,
                "quadrant": q,
                "strategy": table[q]["strategy"],
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "name", "role", "power", "interest", "quadrant", "strategy"]
    )


# =========================================================================== engagement gaps
_ACTIONS = {
    "raise": "move from {current} to {desired}: {how}",
    "hold": "keep at {current}",
    "lower": "{desired} is enough: less involvement than today ({current}); agree a smaller role",
}
_HOW = {
    "unaware": "tell them the project exists and what it changes for them",
    "resistant": "listen to their concerns and show how the plan addresses them",
    "neutral": "show the benefits for them and ask for their input",
    "supportive": "give them a visible role (a decision, a demo, a sign-off)",
}


def engagement_gaps(register: StakeholderRegister) -> pd.DataFrame:
    """Current vs desired engagement per stakeholder: ``id``, ``name``, ``current``,
    ``desired``, ``gap`` (levels; > 0 must rise), ``direction`` (raise/hold/lower), ``action``.

    Rows are ordered by gap, largest first (register order among equals).
    """
    rows = []
    for s in register:
        gap = s.engagement_gap
        direction = "raise" if gap > 0 else "lower" if gap < 0 else "hold"
        action = _ACTIONS[direction].format(
            current=s.current_engagement,
            desired=s.desired_engagement,
            how=_HOW.get(s.current_engagement, ""),
        )
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "current": s.current_engagement,
                "desired": s.desired_engagement,
                "gap": gap,
                "direction": direction,
                "action": action,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["id", "name", "current", "desired", "gap", "direction", "action"]
    )
    return frame.sort_values("gap", ascending=False, kind="stable").reset_index(drop=True)


def engagement_matrix(register: StakeholderRegister) -> pd.DataFrame:
    """PMBOK's engagement assessment matrix: one row per stakeholder, one column per level,
    ``"C"`` (current), ``"D"`` (desired), ``"CD"`` (both) or ``""``."""
    data = []
    for s in register:
        row = []
        for level in ENGAGEMENT_LEVELS:
            mark = ("C" if s.current_engagement == level else "") + (
                "D" if s.desired_engagement == level else ""
            )
            row.append(mark)
        data.append(row)
    return pd.DataFrame(
        data,
        index=pd.Index([s.id for s in register], name="stakeholder"),
        columns=list(ENGAGEMENT_LEVELS),
    )


# ===================================================================================== RACI
@dataclass(frozen=True)
class Finding(Problem):
    """A RACI finding: a :class:`Problem` (``task`` is the deliverable, ``column`` the role)
    with a stable ``code`` and a ``severity`` (error, warning or info)."""

    code: str = ""
    severity: str = "error"

    @property
    def deliverable(self) -> str | None:
        return self.task

    @property
    def role(self) -> str | None:
        return self.column

    def __str__(self) -> str:
        where = [str(self.source)] if self.source else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.task is not None:
            where.append(f"deliverable {self.task!r}")
        if self.column is not None:
            where.append(f"role {self.column!r}")
        prefix = f"{', '.join(where)}: " if where else ""
        return f"[{self.code}] {prefix}{self.reason}"


def _check_share(max_share: Any) -> None:
    if (
        isinstance(max_share, bool)
        or not isinstance(max_share, int | float)
        or not (0 < max_share <= 1)
    ):
        raise ValueError(
            f"max_share must be a fraction above 0 and at most 1 (e.g. 0.5 for half the "
            f"deliverables), got {max_share!r}"
        )


def raci_load(raci: RaciMatrix) -> pd.DataFrame:
    """Per role: counts of ``R``, ``A``, ``C``, ``I`` cells, ``load`` (deliverables where the role
    is R or A, an ``AR`` cell counting once) and ``share`` of all deliverables."""
    rows = []
    n = len(raci.deliverables)
    for role in raci.roles:
        column = raci.column(role)
        counts = {letter: sum(letter in v for v in column.values()) for letter in "RACI"}
        load = sum(("R" in v) or ("A" in v) for v in column.values())
        rows.append({"role": role, **counts, "load": load, "share": load / n if n else 0.0})
    return pd.DataFrame(rows, columns=["role", "R", "A", "C", "I", "load", "share"])


def check_raci(
    raci: RaciMatrix,
    register: StakeholderRegister | Iterable[str] | None = None,
    *,
    max_share: float = MAX_SHARE,
    plan: ProjectPlan | None = None,
) -> list[Finding]:
    """Everything wrong with a RACI matrix, in deliverable order, then role order.

    * ``RACI-NO-A`` (error): a deliverable has no Accountable;
    * ``RACI-MANY-A`` (error): more than one Accountable: when two people answer for a result,
      neither does;
    * ``RACI-NO-R`` (error): nobody does the work;
    * ``RACI-OVERLOAD`` (warning): a role is R or A on more than ``max_share`` of the deliverables;
    * ``RACI-UNKNOWN-ROLE`` (warning): a role is not in ``register`` (a register or a list of ids);
    * ``RACI-IDLE-ROLE`` (info): a role column with no letters at all;
    * ``RACI-UNKNOWN-DELIVERABLE`` (error, only with ``plan``): not a task id or WBS code.
    """
    _check_share(max_share)
    if not isinstance(raci, RaciMatrix):
        raise TypeError(f"expected a RaciMatrix, got {type(raci).__name__}")
    src = raci.source
    findings: list[Finding] = []

    def add(code: str, severity: str, reason: str, deliverable=None, role=None) -> None:
        row = raci.rows.get(deliverable) if deliverable is not None else None
        findings.append(
            Finding(
                reason,
                source=src,
                row=row,
                column=role,
                task=deliverable,
                code=code,
                severity=severity,
            )
        )

    known_tasks = None
    if plan is not None:
        known_tasks = set(plan.network.index) | {t.wbs for t in plan.tasks if t.wbs}
    for d in raci.deliverables:
        row = raci.row(d)
        label = f"{d} ({raci.names[d]})" if raci.names.get(d) else d
        if known_tasks is not None and d not in known_tasks:
            add(
                "RACI-UNKNOWN-DELIVERABLE",
                "error",
                f"{label} is not a task id or WBS code of plan {plan.name!r}",
                d,
            )
        accountable = [r for r, v in row.items() if "A" in v]
        if not accountable:
            add(
                "RACI-NO-A", "error", f"{label} has no Accountable: name exactly one role with A", d
            )
        elif len(accountable) > 1:
            add(
                "RACI-MANY-A",
                "error",
                f"{label} has {len(accountable)} Accountables ({', '.join(accountable)}): "
                "keep one A and make the others R or C",
                d,
            )
        if not any("R" in v for v in row.values()):
            add("RACI-NO-R", "error", f"{label} has no Responsible: nobody does the work", d)
    n = len(raci.deliverables)
    load = raci_load(raci)
    for rec in load.itertuples(index=False):
        if n and rec.load > max_share * n:
            add(
                "RACI-OVERLOAD",
                "warning",
                f"{rec.role} is R or A on {rec.load} of {n} deliverables "
                f"({rec.load / n:.0%}, above {max_share:.0%}): delegate or share the work",
                role=rec.role,
            )
    if register is not None:
        known = set(register.ids) if isinstance(register, StakeholderRegister) else set(register)
        for role in raci.roles:
            if role not in known:
                add(
                    "RACI-UNKNOWN-ROLE",
                    "warning",
                    f"role {role!r} is not in the stakeholder register",
                    role=role,
                )
    for rec in load.itertuples(index=False):
        if rec.R + rec.A + rec.C + rec.I == 0:
            add("RACI-IDLE-ROLE", "info", f"role {rec.role!r} has no letters at all", role=rec.role)
    return findings


def raci_summary(findings: Sequence[Finding]) -> str:
    """One line: how many errors, warnings and notes (or that the RACI passes every check)."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    if not findings:
        return "The RACI passes every check."
    parts = []
    for severity, word in (("error", "error"), ("warning", "warning"), ("info", "note")):
        k = counts[severity]
        if k:
            parts.append(f"{k} {word}{'s' if k != 1 else ''}")
    return ", ".join(parts) + "."


# ======================================================================= communication plan
PLAN_COLUMNS = [
    "stakeholder",
    "name",
    "quadrant",
    "information",
    "frequency",
    "channel",
    "owner",
    "per_month",
    "from_register",
]


def communication_plan(
    register: StakeholderRegister, *, high_from: float = HIGH_FROM
) -> pd.DataFrame:
    """Who gets what, how often and through which channel, one row per stakeholder.

    Each stakeholder's own needs (``information``, ``frequency``, ``channel``) are used where the
    register gives them; missing ones come from the quadrant's default, and ``from_register`` is
    False on rows where any default was used. ``per_month`` is the approximate number of
    messages or meetings a month. Rows are ordered by quadrant (manage closely first), then by
    register order.
    """
    _check_high_from(high_from)
    table = _quadrant_table()
    per_month = people.load_frequencies()
    rows = []
    for k, s in enumerate(register):
        q = quadrant(s.power, s.interest, high_from=high_from)
        default = table[q]
        own = (s.information, s.frequency, s.channel)
        information = s.information or default["information"]
        frequency = s.frequency or default["frequency"]
        channel = s.channel or default["channel"]
        rows.append(
            {
                "stakeholder": s.id,
                "name": s.name,
                "quadrant": q,
                "information": information,
                "frequency": frequency,
                "channel": channel,
                "owner": s.owner,
                "per_month": per_month[frequency],
                "from_register": all(v is not None for v in own),
                "_order": (QUADRANTS.index(q), k),
            }
        )
    rows.sort(key=lambda r: r.pop("_order"))
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def communication_load(plan: pd.DataFrame, by: str = "owner") -> pd.DataFrame:
    """Messages or meetings a month in a communication plan, summed by ``owner`` or ``channel``
    (column ``per_month``, largest first; ``stakeholders`` counts the rows)."""
    if by not in ("owner", "channel", "quadrant"):
        raise ValueError(f"by must be 'owner', 'channel' or 'quadrant', got {by!r}")
    missing = {by, "per_month", "stakeholder"} - set(plan.columns)
    if missing:
        raise ValueError(f"the communication plan has no column(s) {sorted(missing)}")
    grouped = plan.fillna({by: "(nobody)"}).groupby(by, sort=False)
    out = pd.DataFrame(
        {"per_month": grouped["per_month"].sum(), "stakeholders": grouped["stakeholder"].count()}
    )
    return out.sort_values("per_month", ascending=False, kind="stable").reset_index()


# ========================================================================== escalation path
@dataclass(frozen=True)
class EscalationLevel:
    """One level of the escalation path. An issue stays at this level when its delay to the
    finish (working days) and its cost (money) are within ``max_delay_days`` and ``max_cost``;
    None means no limit."""

    level: int
    who: str
    role: str
    max_delay_days: float | None
    max_cost: float | None
    decides: str = ""
    respond_within: str = ""
    channel: str = "email"

    def covers(self, delay_days: float, cost: float) -> bool:
        """True when an issue of this size may be decided at this level."""
        within_delay = self.max_delay_days is None or delay_days <= self.max_delay_days
        within_cost = self.max_cost is None or cost <= self.max_cost
        return within_delay and within_cost


def _limit(value: Any, what: str, level: Any) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise ValueError(
            f"escalation level {level}: {what} must be a number >= 0 or null, got {value!r}"
        )
    return float(value)


def escalation_path(
    levels: Iterable[Mapping[str, Any]] | None = None,
) -> tuple[EscalationLevel, ...]:
    """The escalation path as levels, lowest first (default: ``stakeholders.yaml``).

    Each record needs ``level``, ``who``, ``role``, ``max_delay_days``, ``max_cost`` (None for
    no limit); ``decides``, ``respond_within``, ``channel`` are optional. ValueError when
    levels are not 1, 2, 3..., when a limit shrinks from one level to the next, or when the
    last level has a limit (then some issues could not be escalated anywhere).
    """
    records = list(people.load_escalation_path() if levels is None else levels)
    if not records:
        raise ValueError("an escalation path needs at least one level")
    out = []
    for k, rec in enumerate(records, start=1):
        if not isinstance(rec, Mapping):
            raise ValueError(f"escalation level {k}: expected a mapping, got {rec!r}")
        missing = [f for f in ("level", "who", "role") if not rec.get(f)]
        if missing:
            raise ValueError(f"escalation level {k}: missing {', '.join(missing)}")
        if rec["level"] != k:
            raise ValueError(
                f"escalation levels must be numbered 1, 2, 3...; got {rec['level']!r} at position {k}"
            )
        channel = rec.get("channel") or "email"
        if channel not in CHANNELS:
            raise ValueError(
                f"escalation level {k}: channel {channel!r} is not one of {', '.join(CHANNELS)}"
            )
        out.append(
            EscalationLevel(
                level=k,
                who=str(rec["who"]),
                role=str(rec["role"]),
                max_delay_days=_limit(rec.get("max_delay_days"), "max_delay_days", k),
                max_cost=_limit(rec.get("max_cost"), "max_cost", k),
                decides=str(rec.get("decides") or ""),
                respond_within=str(rec.get("respond_within") or ""),
                channel=channel,
            )
        )
    for lower, higher in zip(out, out[1:], strict=False):
        for what in ("max_delay_days", "max_cost"):
            a, b = getattr(lower, what), getattr(higher, what)
            if a is None and b is not None:
                raise ValueError(
                    f"escalation level {higher.level}: {what} {b:g} is below level {lower.level}'s (no limit)"
                )
            if a is not None and b is not None and b < a:
                raise ValueError(
                    f"escalation level {higher.level}: {what} {b:g} is below level {lower.level}'s {a:g}; "
                    "each level must be allowed at least what the one below it is"
                )
    last = out[-1]
    if last.max_delay_days is not None or last.max_cost is not None:
        raise ValueError(
            f"the last escalation level ({last.who}) must have no limits (null), or bigger issues "
            "have nowhere to go"
        )
    return tuple(out)


def escalate(
    delay_days: float, cost: float = 0.0, path: Sequence[EscalationLevel] | None = None
) -> EscalationLevel:
    """The lowest level allowed to decide an issue that delays the finish by ``delay_days``
    working days and costs ``cost`` money beyond the approved budget line."""
    for value, what in ((delay_days, "delay_days"), (cost, "cost")):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise ValueError(f"{what} must be a number >= 0, got {value!r}")
    levels = escalation_path() if path is None else tuple(path)
    for level in levels:
        if level.covers(delay_days, cost):
            return level
    raise ValueError(
        "no level of this escalation path covers the issue (the last level needs no limits)"
    )
