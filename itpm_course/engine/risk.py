"""Risk scoring: the probability–impact matrix, EMV, ranking, residual risk and contingency.

The default :class:`PIMatrix` is PMBOK's (5th ed., Fig. 11-10): probability 0.1/0.3/0.5/0.7/0.9
by impact 0.05/0.10/0.20/0.40/0.80, score = P × I rounded **half-up** to 2 decimals with
:mod:`decimal`, which reproduces the published grid exactly (binary floats with Python's
``round`` give 0.03 for ``round(0.7 * 0.05, 2)`` and 0.04 for ``round(0.045, 2)``, where the
book prints 0.04 and 0.05). The low/medium/high zones are
organisation-defined, so they are parameters; :meth:`PIMatrix.ordinal` gives the common 1–25
variant.

A risk's matrix cell comes from its ratings: ``probability_rating`` when given, otherwise its
probability placed in a band (``probability_edges``, by default half-way between the PMBOK
levels, a value on an edge going up), and ``impact_rating``. A risk without an impact rating has
no score (NaN, zone ``"unrated"``) but still has an EMV when it has days or money.

EMV (expected monetary value) = probability × impact, negative for threats and positive for
opportunities; the same in working days. Totals and the contingency reserve count only active
risks (status open or monitoring): a closed risk can no longer happen and an occurred one is an
issue, paid from the budget rather than the reserve.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from itpm_course.plan.risks import ACTIVE_STATUSES, RiskRegister, register_to_frame

ZONES = ("low", "medium", "high")
UNRATED = "unrated"
PROBABILITY_LABELS = ("very low", "low", "medium", "high", "very high")
IMPACT_LABELS = ("very low", "low", "moderate", "high", "very high")


@dataclass(frozen=True)
class PIMatrix:
    """A probability–impact matrix: level values, zone thresholds and score rounding.

    ``probability`` and ``impact`` are the values of levels 1..n (increasing). A cell's score is
    ``probability[p-1] × impact[i-1]``, rounded half-up to ``decimals`` (None: not rounded).
    Its zone is ``"high"`` when score >= ``high``, ``"medium"`` when >= ``medium``, else
    ``"low"``. ``probability_edges`` are the upper bounds of levels 1..n-1 used to place a
    probability (a fraction 0–1) on the probability axis; a value on an edge goes up.
    """

    probability: tuple[float, ...] = (0.1, 0.3, 0.5, 0.7, 0.9)
    impact: tuple[float, ...] = (0.05, 0.10, 0.20, 0.40, 0.80)
    medium: float = 0.05
    high: float = 0.18
    decimals: int | None = 2
    probability_edges: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8)
    probability_labels: tuple[str, ...] = PROBABILITY_LABELS
    impact_labels: tuple[str, ...] = IMPACT_LABELS
    name: str = "PMBOK 5x5"
    _grid: np.ndarray = field(init=False, repr=False, compare=False)
    _zones: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for axis in ("probability", "impact"):
            values = tuple(float(v) for v in getattr(self, axis))
            object.__setattr__(self, axis, values)
            if len(values) < 2 or any(b <= a for a, b in zip(values, values[1:], strict=False)):
                raise ValueError(f"{axis} levels must be at least two increasing numbers")
            if values[0] < 0:
                raise ValueError(f"{axis} levels must be >= 0")
        edges = tuple(float(e) for e in self.probability_edges)
        object.__setattr__(self, "probability_edges", edges)
        if len(edges) != len(self.probability) - 1 or any(
            b <= a for a, b in zip(edges, edges[1:], strict=False)
        ):
            raise ValueError(
                f"probability_edges must be {len(self.probability) - 1} increasing numbers "
                "(the upper bound of each probability level but the last)"
            )
        if not self.medium <= self.high:
            raise ValueError(f"thresholds out of order: medium {self.medium} > high {self.high}")
        for axis, labels in (
            ("probability", self.probability_labels),
            ("impact", self.impact_labels),
        ):
            if len(labels) != len(getattr(self, axis)):
                raise ValueError(f"{axis}_labels needs one label per level")
        cells = [
            [self.cell_score(p, i) for i in range(1, self.n_impact + 1)]
            for p in range(1, self.n_probability + 1)
        ]
        medium, high = Decimal(str(self.medium)), Decimal(str(self.high))
        zones = [
            ["high" if c >= high else "medium" if c >= medium else "low" for c in row]
            for row in cells
        ]
        object.__setattr__(self, "_grid", np.array([[float(c) for c in row] for row in cells]))
        object.__setattr__(self, "_zones", np.array(zones, dtype=object))
        self._grid.flags.writeable = False

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def pmbok(cls, *, medium: float = 0.05, high: float = 0.18) -> PIMatrix:
        """PMBOK's 5×5 matrix (0.1–0.9 × 0.05–0.80, scores to 2 decimals) with the given zones."""
        return cls(medium=medium, high=high)

    @classmethod
    def ordinal(cls, *, medium: float = 5, high: float = 15) -> PIMatrix:
        """The ordinal 5×5 matrix: score = probability rating × impact rating (1–25).

        Default zones low <= 4, medium 5–12, high >= 15: a common convention, not a standard.
        """
        return cls(
            probability=(1, 2, 3, 4, 5),
            impact=(1, 2, 3, 4, 5),
            medium=medium,
            high=high,
            decimals=0,
            name="ordinal 5x5",
        )

    # -- the grid -----------------------------------------------------------------------------
    @property
    def n_probability(self) -> int:
        return len(self.probability)

    @property
    def n_impact(self) -> int:
        return len(self.impact)

    def cell_score(self, p_level: int, i_level: int) -> Decimal:
        """The exact score of one cell (levels from 1), rounded half-up to ``decimals``."""
        exact = Decimal(repr(self.probability[p_level - 1])) * Decimal(
            repr(self.impact[i_level - 1])
        )
        if self.decimals is None:
            return exact
        return exact.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    @property
    def grid(self) -> np.ndarray:
        """Scores as a float array ``[p_level - 1, i_level - 1]`` (lowest probability first)."""
        return self._grid

    @property
    def zones(self) -> np.ndarray:
        """Zone names per cell, laid out like :attr:`grid`."""
        return self._zones

    def grid_frame(self) -> pd.DataFrame:
        """The grid as published: rows from the highest probability down, columns by impact."""
        return pd.DataFrame(
            self._grid[::-1],
            index=pd.Index(self.probability[::-1], name="probability"),
            columns=pd.Index(self.impact, name="impact"),
        )

    def zone_of(self, score: Any) -> Any:
        """Zone name(s) of score(s); NaN gives ``"unrated"``. Vectorised over arrays."""
        s = np.asarray(score, dtype=float)
        out = np.where(
            np.isnan(s),
            UNRATED,
            np.where(s >= self.high, "high", np.where(s >= self.medium, "medium", "low")),
        ).astype(object)
        return out if out.ndim else str(out[()])

    def probability_level(self, probability: Any) -> np.ndarray:
        """The probability level (1..n) of each probability 0–1 (a value on an edge goes up)."""
        p = np.asarray(probability, dtype=float)
        return np.searchsorted(np.asarray(self.probability_edges), p, side="right") + 1

    def scores(self, p_level: Any, i_level: Any) -> np.ndarray:
        """Scores of cells given as arrays of levels (float NaN where a level is missing)."""
        p = np.asarray(p_level, dtype=float)
        i = np.asarray(i_level, dtype=float)
        ok = ~(np.isnan(p) | np.isnan(i))
        out = np.full(np.broadcast(p, i).shape, np.nan)
        out[ok] = self._grid[p[ok].astype(int) - 1, i[ok].astype(int) - 1]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "probability": list(self.probability),
            "impact": list(self.impact),
            "thresholds": {"medium": self.medium, "high": self.high},
            "decimals": self.decimals,
            "probability_edges": list(self.probability_edges),
        }


DEFAULT_MATRIX = PIMatrix()


# ---------------------------------------------------------------------------------- scoring
SCORED_COLUMNS = (
    "rank",
    "title",
    "kind",
    "category",
    "status",
    "active",
    "owner",
    "strategy",
    "tasks",
    "probability",
    "probability_level",
    "impact_level",
    "score",
    "ordinal_score",
    "zone",
    "impact_days",
    "impact_cost",
    "emv_days",
    "emv_cost",
    "residual_probability",
    "residual_probability_level",
    "residual_impact_level",
    "residual_score",
    "residual_zone",
    "residual_emv_days",
    "residual_emv_cost",
    "response_cost",
    "response_value",
)


def score_register(
    register: RiskRegister | Iterable, matrix: PIMatrix | None = None
) -> pd.DataFrame:
    """Score every risk and rank them; a DataFrame indexed by risk id, in rank order.

    Columns (see :data:`SCORED_COLUMNS`): the matrix cell (``probability_level``,
    ``impact_level``), ``score`` and ``zone`` from ``matrix``, ``ordinal_score`` (rating ×
    rating, 1–25), ``emv_cost`` (money) and ``emv_days`` (working days), negative for
    threats; the same after the response (``residual_*``: the residual probability and impact
    rating where given, else the original ones; a lower residual impact rating scales the
    money and days by the ratio of the matrix's impact values); ``response_value`` = EMV saved
    (or gained) by the response minus its cost; ``rank`` (1 = most important: active risks
    first, then by score, then by the size of the money EMV, then of the days EMV).
    The matrix is kept in ``frame.attrs["pi_matrix"]`` for the charts.
    """
    matrix = matrix or DEFAULT_MATRIX
    frame = register_to_frame(register)
    n = len(frame)
    sign = np.where(frame["kind"].to_numpy() == "opportunity", 1.0, -1.0)
    p = frame["probability"].to_numpy(float)
    given_level = frame["probability_rating"].to_numpy(float)
    in_range = given_level <= matrix.n_probability
    p_level = np.where(
        np.isnan(given_level) | ~in_range, matrix.probability_level(p), given_level
    ).astype(float)
    i_level = frame["impact_rating"].to_numpy(float)
    i_level = np.where(i_level <= matrix.n_impact, i_level, np.nan)
    score = matrix.scores(p_level, i_level)
    days = frame["impact_days"].to_numpy(float)
    cost = frame["impact_cost"].to_numpy(float)

    res_p_given = frame["residual_probability"].to_numpy(float)
    res_p = np.where(np.isnan(res_p_given), p, res_p_given)
    res_p_level = np.where(np.isnan(res_p_given), p_level, matrix.probability_level(res_p_given))
    res_i_given = frame["residual_impact_rating"].to_numpy(float)
    res_i_given = np.where(res_i_given <= matrix.n_impact, res_i_given, np.nan)
    res_i_level = np.where(np.isnan(res_i_given), i_level, res_i_given)
    impact_values = np.asarray(matrix.impact)
    ratio = np.ones(n)
    both = ~(np.isnan(i_level) | np.isnan(res_i_level))
    ratio[both] = (
        impact_values[res_i_level[both].astype(int) - 1]
        / impact_values[i_level[both].astype(int) - 1]
    )
    # "+ 0.0" turns the -0.0 of a threat with no impact into 0.0
    emv_cost = sign * p * cost + 0.0
    emv_days = sign * p * days + 0.0
    res_emv_cost = sign * res_p * cost * ratio + 0.0
    res_emv_days = sign * res_p * days * ratio + 0.0
    response_cost = frame["response_cost"].to_numpy(float)
    response_value = np.nan_to_num(res_emv_cost - emv_cost) - np.nan_to_num(response_cost)
    active = frame["status"].isin(ACTIVE_STATUSES).to_numpy()

    # rank: active first, then score (desc), |EMV money| (desc), |EMV days| (desc), input order
    order = np.lexsort(
        (
            np.arange(n),
            -np.nan_to_num(np.abs(emv_days), nan=-1.0),
            -np.nan_to_num(np.abs(emv_cost), nan=-1.0),
            -np.nan_to_num(score, nan=-np.inf),
            ~active,
        )
    )
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(1, n + 1)

    out = pd.DataFrame(
        {
            "rank": rank,
            "title": frame["title"].to_numpy(),
            "kind": frame["kind"].to_numpy(),
            "category": frame["category"].to_numpy(),
            "status": frame["status"].to_numpy(),
            "active": active,
            "owner": frame["owner"].to_numpy(),
            "strategy": frame["strategy"].to_numpy(),
            "tasks": frame["tasks"].to_numpy(),
            "probability": p,
            "probability_level": p_level,
            "impact_level": i_level,
            "score": score,
            "ordinal_score": p_level * i_level,
            "zone": matrix.zone_of(score),
            "impact_days": days,
            "impact_cost": cost,
            "emv_days": emv_days,
            "emv_cost": emv_cost,
            "residual_probability": res_p,
            "residual_probability_level": res_p_level.astype(float),
            "residual_impact_level": res_i_level,
            "residual_score": matrix.scores(res_p_level, res_i_level),
            "residual_zone": None,
            "residual_emv_days": res_emv_days,
            "residual_emv_cost": res_emv_cost,
            "response_cost": response_cost,
            "response_value": response_value,
        },
        index=pd.Index(frame["id"].to_numpy(), name="id"),
        columns=list(SCORED_COLUMNS),
    )
    out["residual_zone"] = matrix.zone_of(out["residual_score"].to_numpy())
    out = out.iloc[order]
    out.attrs["pi_matrix"] = matrix
    return out


def rank_risks(scored: pd.DataFrame) -> list[str]:
    """Risk ids from most to least important (the ``rank`` column of :func:`score_register`)."""
    return scored.sort_values("rank").index.tolist()


def _active(scored: pd.DataFrame, active_only: bool) -> pd.DataFrame:
    return scored[scored["active"]] if active_only else scored


def total_emv(
    scored: pd.DataFrame, *, residual: bool = False, active_only: bool = True
) -> dict[str, float]:
    """EMV totals in money (``*_cost``) and working days (``*_days``): net, threats, opportunities.

    Threat totals are negative, opportunity totals positive; risks without a money (or days)
    impact add nothing. ``residual=True`` totals the EMV after the responses.
    """
    rows = _active(scored, active_only)
    prefix = "residual_emv_" if residual else "emv_"
    threat = (rows["kind"] == "threat").to_numpy()
    out: dict[str, float] = {}
    for basis in ("cost", "days"):
        values = np.nan_to_num(rows[prefix + basis].to_numpy(float))
        out[basis] = float(values.sum())
        out[f"threats_{basis}"] = float(values[threat].sum())
        out[f"opportunities_{basis}"] = float(values[~threat].sum())
    return out


def contingency_reserve(
    scored: pd.DataFrame,
    *,
    basis: str = "cost",
    residual: bool = False,
    include_opportunities: bool = False,
) -> float:
    """The contingency reserve implied by the threats' EMV: money (``basis="cost"``) or days.

    The reserve is the sum of the active threats' expected losses (a positive number);
    ``residual=True`` uses the EMV after the responses; ``include_opportunities=True`` lets
    the opportunities' expected gains offset it (never below 0). It covers *identified*
    risks; the management reserve for unknown ones is set apart by the organisation.
    """
    if basis not in ("cost", "days"):
        raise ValueError(f"basis must be 'cost' or 'days', got {basis!r}")
    totals = total_emv(scored, residual=residual)
    reserve = -totals[f"threats_{basis}"]
    if include_opportunities:
        reserve -= totals[f"opportunities_{basis}"]
    return max(0.0, reserve)


# ----------------------------------------------------------------------- decision trees (EMV)
def decision_emv(outcomes: Iterable[tuple[float, float]], *, investment: float = 0.0) -> float:
    """EMV of one decision branch: Σ probability × (payoff − investment), in the payoff's units.

    ``outcomes`` are (probability, payoff) pairs whose probabilities sum to 1. Computed in
    decimal so that textbook figures come out exact (0.6 × 80 + 0.4 × (−30) = 36).
    """
    pairs = [(Decimal(repr(float(p))), Decimal(repr(float(v)))) for p, v in outcomes]
    if not pairs:
        raise ValueError("a decision branch needs at least one outcome")
    if any(not 0 <= p <= 1 for p, _ in pairs):
        raise ValueError("outcome probabilities must be between 0 and 1")
    total = sum(p for p, _ in pairs)
    if abs(total - 1) > Decimal("1e-9"):
        raise ValueError(f"outcome probabilities must sum to 1, got {float(total)}")
    cost = Decimal(repr(float(investment)))
    return float(sum(p * (v - cost) for p, v in pairs))


def best_decision(options: Mapping[str, Mapping[str, Any]]) -> tuple[str, dict[str, float]]:
    """The option with the highest EMV, and every option's EMV.

    ``options`` maps a name to ``{"investment": amount, "outcomes": [(p, payoff), ...]}``.
    """
    if not options:
        raise ValueError("no options to choose from")
    emvs = {
        name: decision_emv(spec["outcomes"], investment=spec.get("investment", 0.0))
        for name, spec in options.items()
    }
    best = max(emvs, key=emvs.__getitem__)
    return best, emvs


# ---------------------------------------------------------------------------- reports (CLI)
def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return value


def register_report(register: RiskRegister, matrix: PIMatrix | None = None) -> dict[str, Any]:
    """The scored register as JSON-ready data: rows in rank order, totals and contingency.

    Money is in the register's currency, days are working days; NaN becomes ``None``.
    """
    matrix = matrix or DEFAULT_MATRIX
    scored = score_register(register, matrix)
    rows = []
    for rid, values in zip(scored.index, scored.to_dict("records"), strict=True):
        row = {"id": rid}
        row.update({k: _jsonable(v) for k, v in values.items()})
        tasks = row["tasks"]
        row["tasks"] = [t.strip() for t in tasks.split(";")] if isinstance(tasks, str) else []
        rows.append(row)
    active = scored[scored["active"]]
    totals: dict[str, Any] = {
        "risks": len(scored),
        "active": len(active),
        "threats": int((active["kind"] == "threat").sum()),
        "opportunities": int((active["kind"] == "opportunity").sum()),
        "by_zone": {zone: int((active["zone"] == zone).sum()) for zone in (*ZONES[::-1], UNRATED)},
        "emv": {k: _jsonable(v) for k, v in total_emv(scored).items()},
        "residual_emv": {k: _jsonable(v) for k, v in total_emv(scored, residual=True).items()},
        "response_cost": _jsonable(float(np.nansum(active["response_cost"].to_numpy(float)))),
    }
    contingency = {
        "cost": _jsonable(contingency_reserve(scored)),
        "days": _jsonable(contingency_reserve(scored, basis="days")),
        "residual_cost": _jsonable(contingency_reserve(scored, residual=True)),
        "residual_days": _jsonable(contingency_reserve(scored, basis="days", residual=True)),
    }
    return {
        "name": register.name,
        "source": register.source,
        "matrix": matrix.to_dict(),
        "risks": rows,
        "totals": totals,
        "contingency": contingency,
    }


def _fmt(value: float, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format(value, spec)


def _label(value: Any) -> str:
    return value if isinstance(value, str) and value else "-"


def format_register_table(scored: pd.DataFrame, *, width: int = 40) -> str:
    """The scored register as a plain-text table for people, with totals and contingency.

    ``width`` limits the title column. EMV money has no decimals, EMV days one.
    """
    matrix: PIMatrix = scored.attrs.get("pi_matrix", DEFAULT_MATRIX)
    score_spec = f".{matrix.decimals}f" if matrix.decimals is not None else "g"
    header = (
        "#",
        "id",
        "kind",
        "P",
        "I",
        "score",
        "zone",
        "EMV cost",
        "EMV days",
        "strategy",
        "owner",
        "title",
    )
    body = []
    for rid, r in zip(scored.index, scored.itertuples(index=False), strict=True):
        title = str(r.title)
        if len(title) > width:
            title = title[: width - 1] + "…"
        status = "" if r.active else f" [{r.status}]"
        body.append(
            (
                str(r.rank),
                str(rid),
                "threat" if r.kind == "threat" else "opp.",
                _fmt(r.probability, ".0%"),
                _fmt(r.impact_level, ".0f"),
                _fmt(r.score, score_spec),
                str(r.zone),
                _fmt(r.emv_cost, ",.0f"),
                _fmt(r.emv_days, ",.1f"),
                _label(r.strategy),
                _label(r.owner),
                title + status,
            )
        )
    right = {0, 3, 4, 5, 7, 8}
    widths = [
        max(len(h), *(len(row[k]) for row in body)) if body else len(h)
        for k, h in enumerate(header)
    ]

    def line(cells: Iterable[str]) -> str:
        parts = [
            c.rjust(w) if k in right else c.ljust(w)
            for k, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    lines = [line(header), line("-" * w for w in widths)]
    lines.extend(line(row) for row in body)
    totals = total_emv(scored)
    active = scored[scored["active"]]
    zones = ", ".join(f"{(active['zone'] == z).sum()} {z}" for z in ZONES[::-1])
    lines += [
        "",
        f"{len(active)} active risks of {len(scored)} ({zones}); matrix {matrix.name}",
        f"EMV: threats {totals['threats_cost']:,.0f} / {totals['threats_days']:,.1f} days, "
        f"opportunities {totals['opportunities_cost']:+,.0f} / {totals['opportunities_days']:+,.1f} days, "
        f"net {totals['cost']:,.0f} / {totals['days']:,.1f} days",
        f"Contingency reserve (threat EMV): {contingency_reserve(scored):,.0f}"
        f" and {contingency_reserve(scored, basis='days'):,.1f} working days"
        f"; after responses {contingency_reserve(scored, residual=True):,.0f}"
        f" and {contingency_reserve(scored, basis='days', residual=True):,.1f} days",
    ]
    return "\n".join(lines)
