"""Earned value management (EVM) with earned schedule, from plain numbers or a plan and status.

Two ways in:

* plain numbers: :func:`evm_metrics` for one status date (scalars) and :func:`evm_series` for
  cumulative PV/EV/AC per period (numpy arrays, vectorised over periods);
* a plan and status data: :func:`planned_value_curve` spreads each task's total cost linearly
  over its CPM baseline working days, :func:`evm_from_plan` turns per-task status (actual cost
  to date and percent complete or earned value, per period) into the same series.

Units: money is in the plan's currency; time is in *periods* (a period is ``period_days``
working days, a week by default). Period ``t`` means "at the end of period t"; period 0 is the
project start, where everything is 0. PV, EV and AC are cumulative.

Formulas (PMI *Practice Standard for Earned Value Management*; Lipke 2003 for earned schedule):

* SV = EV − PV, CV = EV − AC, SPI = EV/PV, CPI = EV/AC; % complete = EV/BAC, % spent = AC/BAC.
* EAC variants: ``bac_over_cpi`` BAC/CPI; ``budget_rate`` AC + (BAC − EV);
  ``cpi_spi`` AC + (BAC − EV)/(CPI × SPI); ``composite`` AC + (BAC − EV)/(0.8 CPI + 0.2 SPI)
  (US DoD/DAU); ``bottom_up`` AC + a bottom-up ETC (when one is given).
* ETC = EAC − AC, VAC = BAC − EAC, TCPI(BAC) = (BAC − EV)/(BAC − AC),
  TCPI(EAC) = (BAC − EV)/(EAC − AC).
* Earned schedule: ES = C + (EV − PV_C)/(PV_{C+1} − PV_C) with C the last period whose
  planned value PV_C ≤ EV; SV(t) = ES − AT, SPI(t) = ES/AT, IEAC(t) = PD/SPI(t).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from itpm_course.engine.schedule import Schedule
    from itpm_course.plan.model import ProjectPlan

EAC_VARIANTS = ("bac_over_cpi", "budget_rate", "cpi_spi", "composite", "bottom_up")
EAC_DESCRIPTIONS = {
    "bac_over_cpi": "BAC / CPI: the rest of the work goes at the cost efficiency seen so far",
    "budget_rate": "AC + (BAC − EV): the rest of the work goes at the budgeted rate",
    "cpi_spi": "AC + (BAC − EV) / (CPI × SPI): cost and schedule pressure both drive the rest",
    "composite": "AC + (BAC − EV) / (0.8·CPI + 0.2·SPI): the US DoD/DAU composite",
    "bottom_up": "AC + bottom-up ETC: the team re-estimated the remaining work",
}
CREDIT_RULES = ("percent_complete", "0/100", "50/50", "20/80")
RAG_ORDER = {"green": 0, "amber": 1, "red": 2}
_ON_TARGET = 0.005  # an index within this of 1.0 reads as "on budget" / "on schedule"


@dataclass(frozen=True)
class RagThresholds:
    """RAG bands for a performance index (CPI, SPI or SPI(t)).

    An index ``>= green`` is green, ``>= amber`` amber, anything lower red. The defaults
    (0.95 and 0.90) are common in IT steering committees; many organisations also use
    0.90/0.80. Pick yours and write them in the project's reporting plan.
    """

    green: float = 0.95
    amber: float = 0.90

    def __post_init__(self) -> None:
        if not (math.isfinite(self.green) and math.isfinite(self.amber)):
            raise ValueError("RAG thresholds must be finite numbers")
        if not 0 < self.amber <= self.green:
            raise ValueError(
                f"RAG thresholds need 0 < amber <= green, got amber {self.amber:g}, green {self.green:g}"
            )

    def classify(self, index: Any) -> np.ndarray | str | None:
        """'green', 'amber' or 'red' for an index (None/'' where the index is undefined)."""
        values = np.asarray(index, dtype=float)
        out = np.where(
            values >= self.green, "green", np.where(values >= self.amber, "amber", "red")
        )
        out = np.where(np.isnan(values), "", out)
        if out.ndim == 0:
            return str(out) or None
        return out


def worst_rag(*labels: str | None) -> str | None:
    """The worst of several RAG labels ('red' beats 'amber' beats 'green'); None if none given."""
    given = [label for label in labels if label]
    if not given:
        return None
    return max(given, key=RAG_ORDER.__getitem__)


# ------------------------------------------------------------------------------ the result
@dataclass(frozen=True)
class EVMetrics:
    """Every EVM measure at one status date.

    Money in currency units, indices as ratios, ``percent_*`` as fractions (0.5 = 50%),
    times (``at``, ``pd``, ``es``, ``sv_t``, ``ieac_t``, ``duration_forecast``) in periods.
    A measure that cannot be computed from the inputs given (earned schedule without a
    baseline curve, a TCPI once the budget is spent) is ``None``.
    """

    bac: float
    pv: float
    ev: float
    ac: float
    sv: float
    cv: float
    spi: float
    cpi: float
    eac: float
    eac_method: str
    eac_variants: dict[str, float]
    etc: float
    vac: float
    tcpi_bac: float | None
    tcpi_eac: float | None
    percent_complete: float
    percent_spent: float
    at: float | None = None
    pd: float | None = None
    es: float | None = None
    sv_t: float | None = None
    spi_t: float | None = None
    ieac_t: float | None = None
    duration_forecast: float | None = None
    rag_cost: str | None = None
    rag_schedule: str | None = None
    rag: str | None = None
    thresholds: RagThresholds = field(default_factory=RagThresholds)
    period: int | None = None

    @property
    def cost_status(self) -> str:
        return _cost_words(self.cpi)

    @property
    def schedule_status(self) -> str:
        return _schedule_words(self.spi_t if self.spi_t is not None else self.spi)

    def interpretation(self) -> str:
        """A plain-language reading of the numbers, for a status report or a sponsor."""
        return interpret(self)

    def to_dict(self) -> dict[str, Any]:
        """All measures as JSON-friendly data (keys as in the ``itpm-course evm`` CLI)."""
        out: dict[str, Any] = {}
        for key in (
            "bac",
            "pv",
            "ev",
            "ac",
            "sv",
            "cv",
            "spi",
            "cpi",
            "eac",
            "eac_method",
        ):
            out[key] = _plain(getattr(self, key))
        out["eac_variants"] = {k: _plain(v) for k, v in self.eac_variants.items()}
        for key in (
            "etc",
            "vac",
            "tcpi_bac",
            "tcpi_eac",
            "percent_complete",
            "percent_spent",
            "at",
            "pd",
            "es",
            "sv_t",
            "spi_t",
            "ieac_t",
            "duration_forecast",
            "rag_cost",
            "rag_schedule",
            "rag",
        ):
            out[key] = _plain(getattr(self, key))
        out["thresholds"] = {"green": self.thresholds.green, "amber": self.thresholds.amber}
        if self.period is not None:
            out["period"] = self.period
        out["interpretation"] = self.interpretation()
        return out


_SERIES_COLUMNS = (
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "etc",
    "vac",
    "tcpi_bac",
    "tcpi_eac",
    "percent_complete",
    "percent_spent",
    "es",
    "sv_t",
    "spi_t",
    "ieac_t",
    "duration_forecast",
)


@dataclass(frozen=True, eq=False)
class EVMSeries:
    """EVM measures per period (numpy arrays, one value per status period ``periods``).

    ``baseline`` is the cumulative planned value curve over the whole plan, at times
    ``baseline_times`` (periods, starting at 0 with PV 0), when it is known; it gives the
    S-curve its planned line beyond the status date and makes earned schedule possible.
    """

    bac: float
    periods: np.ndarray
    arrays: dict[str, np.ndarray]
    eac_variants: dict[str, np.ndarray]
    eac_method: str
    thresholds: RagThresholds
    baseline: np.ndarray | None = None
    baseline_times: np.ndarray | None = None
    pd: float | None = None
    period_days: float | None = None

    def __getattr__(self, name: str) -> np.ndarray:
        arrays = self.__dict__.get("arrays", {})
        if name in arrays:
            return arrays[name]
        raise AttributeError(name)

    def __len__(self) -> int:
        return len(self.periods)

    @property
    def rag_cost(self) -> np.ndarray:
        return self.thresholds.classify(self.arrays["cpi"])

    @property
    def rag_schedule(self) -> np.ndarray:
        spi_t = self.arrays["spi_t"]
        index = np.where(np.isnan(spi_t), self.arrays["spi"], spi_t)
        return self.thresholds.classify(index)

    @property
    def rag(self) -> np.ndarray:
        cost, sched = self.rag_cost, self.rag_schedule
        return np.array([worst_rag(c, s) or "" for c, s in zip(cost, sched, strict=True)])

    def at(self, period: int) -> EVMetrics:
        """The measures at status period ``period`` (one of ``periods``)."""
        hits = np.flatnonzero(self.periods == period)
        if not len(hits):
            raise ValueError(
                f"no status for period {period}; periods are {', '.join(map(str, self.periods.tolist()))}"
            )
        return self._metrics(int(hits[0]))

    @property
    def latest(self) -> EVMetrics:
        """The measures at the last status period."""
        return self._metrics(len(self.periods) - 1)

    def _metrics(self, i: int) -> EVMetrics:
        a = {k: _opt(v[i]) for k, v in self.arrays.items()}
        variants = {k: float(v[i]) for k, v in self.eac_variants.items() if not np.isnan(v[i])}
        rag_cost = self.thresholds.classify(a["cpi"] if a["cpi"] is not None else math.nan)
        sched = a["spi_t"] if a["spi_t"] is not None else a["spi"]
        rag_schedule = self.thresholds.classify(sched if sched is not None else math.nan)
        return EVMetrics(
            bac=self.bac,
            pv=a["pv"],
            ev=a["ev"],
            ac=a["ac"],
            sv=a["sv"],
            cv=a["cv"],
            spi=a["spi"],
            cpi=a["cpi"],
            eac=a["eac"],
            eac_method=self.eac_method,
            eac_variants=variants,
            etc=a["etc"],
            vac=a["vac"],
            tcpi_bac=a["tcpi_bac"],
            tcpi_eac=a["tcpi_eac"],
            percent_complete=a["percent_complete"],
            percent_spent=a["percent_spent"],
            at=float(self.periods[i]),
            pd=self.pd,
            es=a["es"],
            sv_t=a["sv_t"],
            spi_t=a["spi_t"],
            ieac_t=a["ieac_t"],
            duration_forecast=a["duration_forecast"],
            rag_cost=rag_cost,
            rag_schedule=rag_schedule,
            rag=worst_rag(rag_cost, rag_schedule),
            thresholds=self.thresholds,
            period=int(self.periods[i]),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per status period (index ``period``): every measure, the EAC variants and RAG."""
        import pandas as pd  # noqa: PLC0415

        data: dict[str, Any] = {k: self.arrays[k] for k in _SERIES_COLUMNS}
        for name, values in self.eac_variants.items():
            data[f"eac_{name}"] = values
        data["rag"] = self.rag
        return pd.DataFrame(data, index=pd.Index(self.periods, name="period"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: ``bac``, ``pd``, ``periods`` (a record per period) and ``latest``."""
        frame = self.to_frame()
        records = []
        for period, row in frame.iterrows():
            rec = {"period": int(period)}
            rec.update({k: _plain(v) for k, v in row.items()})
            records.append(rec)
        return {
            "bac": _plain(self.bac),
            "pd": _plain(self.pd),
            "eac_method": self.eac_method,
            "periods": records,
            "latest": self.latest.to_dict(),
        }


# ------------------------------------------------------------------------------ computation
def evm_metrics(
    bac: float,
    pv: float,
    ev: float,
    ac: float,
    *,
    etc: float | None = None,
    baseline: Sequence[float] | None = None,
    at: float | None = None,
    pd: float | None = None,
    eac_method: str = "bac_over_cpi",
    thresholds: RagThresholds | None = None,
) -> EVMetrics:
    """EVM measures at one status date from BAC, PV, EV and AC (cumulative, in money).

    ``etc``: a bottom-up estimate to complete (adds the ``bottom_up`` EAC variant).
    ``baseline``: the cumulative PV per period from period 0 (PV 0) to the planned finish;
    with ``at`` (the status period) it gives earned schedule (ES, SV(t), SPI(t), IEAC(t)).
    ``pd``: planned duration in periods (default: the baseline's length − 1); with it the
    naive duration forecast PD/SPI is given too. ``eac_method`` picks which variant is ``eac``
    (and so drives ETC, VAC and TCPI(EAC)). Raises ValueError naming the field for impossible
    input: negative money, EV or PV above BAC, AC or PV of 0 (CPI or SPI would be undefined).
    """
    if baseline is not None and at is None:
        raise ValueError("at (the status period) is needed with a baseline for earned schedule")
    series = evm_series(
        bac,
        [pv],
        [ev],
        [ac],
        etc=None if etc is None else [etc],
        baseline=baseline,
        periods=None if at is None else [at],
        pd=pd,
        eac_method=eac_method,
        thresholds=thresholds,
        _scalar=True,
    )
    metrics = series.latest
    if at is None:
        # Without a status period there is no time axis: drop the placeholder period 1.
        metrics = _replace(metrics, at=None, period=None)
    return metrics


def evm_series(
    bac: float,
    pv: Iterable[float],
    ev: Iterable[float],
    ac: Iterable[float],
    *,
    etc: Iterable[float | None] | None = None,
    baseline: Sequence[float] | None = None,
    periods: Iterable[float] | None = None,
    pd: float | None = None,
    eac_method: str = "bac_over_cpi",
    thresholds: RagThresholds | None = None,
    period_days: float | None = None,
    baseline_times: Sequence[float] | None = None,
    _scalar: bool = False,
) -> EVMSeries:
    """EVM measures for cumulative PV, EV and AC per status period, vectorised with numpy.

    ``periods`` are the status periods (default 1, 2, …). Periods where PV, EV and AC are all
    0 (nothing planned, earned or spent yet) get undefined (NaN) indices; any other zero
    denominator is a ValueError naming the field and the period. See :func:`evm_metrics` for
    ``etc``, ``baseline``, ``pd`` and ``eac_method``.
    """
    if eac_method not in EAC_VARIANTS:
        raise ValueError(f"eac_method must be one of {', '.join(EAC_VARIANTS)}, got {eac_method!r}")
    thresholds = thresholds or RagThresholds()
    bac = _check_bac(bac)
    pv_a, ev_a, ac_a = (_money(x, name) for x, name in ((pv, "pv"), (ev, "ev"), (ac, "ac")))
    n = len(pv_a)
    if not (len(ev_a) == n and len(ac_a) == n):
        raise ValueError(
            f"pv, ev and ac need one value per period; got {len(pv_a)}, {len(ev_a)} and {len(ac_a)}"
        )
    if n == 0:
        raise ValueError("pv, ev and ac are empty: give at least one status period")
    t = np.arange(1, n + 1, dtype=float) if periods is None else _float_array(periods, "periods")
    if len(t) != n:
        raise ValueError(f"periods needs one value per status period ({n}), got {len(t)}")
    if np.any(t <= 0):
        raise ValueError(f"periods must be > 0 (period 0 is the start), got {_num(t[t <= 0][0])}")
    label = (lambda i: "") if _scalar else (lambda i: f" in period {_num(t[i])}")

    for name, arr in (("pv", pv_a), ("ev", ev_a), ("ac", ac_a)):
        bad = np.flatnonzero(arr < 0)
        if len(bad):
            i = bad[0]
            raise ValueError(f"{name} must be >= 0; got {_num(arr[i])}{label(i)}")
    for name, arr in (("ev", ev_a), ("pv", pv_a)):
        bad = np.flatnonzero(arr > bac * (1 + 1e-12))
        if len(bad):
            i = bad[0]
            what = (
                "earned value cannot exceed the budget"
                if name == "ev"
                else "planned value cannot exceed the budget"
            )
            raise ValueError(
                f"{name} must be <= bac ({_num(bac)}): {what}; got {_num(arr[i])}{label(i)}"
            )

    idle = (pv_a == 0) & (ev_a == 0) & (ac_a == 0) if not _scalar else np.zeros(n, bool)
    for name, arr, ratio in (("ac", ac_a, "CPI = EV/AC"), ("pv", pv_a, "SPI = EV/PV")):
        bad = np.flatnonzero((arr == 0) & ~idle)
        if len(bad):
            i = bad[0]
            what = "actual cost" if name == "ac" else "planned value"
            raise ValueError(f"{name} is 0{label(i)}: {ratio} needs {what} > 0")

    etc_a = None
    if etc is not None:
        etc_a = np.array([np.nan if v is None else v for v in etc], dtype=float)
        if len(etc_a) != n:
            raise ValueError(f"etc needs one value per period ({n}), got {len(etc_a)}")
        bad = np.flatnonzero(etc_a < 0)
        if len(bad):
            i = bad[0]
            raise ValueError(f"etc must be >= 0; got {_num(etc_a[i])}{label(i)}")
        bad = np.flatnonzero(np.isinf(etc_a))
        if len(bad):
            raise ValueError(f"etc must be a finite number{label(bad[0])}")

    with np.errstate(divide="ignore", invalid="ignore"):
        a: dict[str, np.ndarray] = {"pv": pv_a, "ev": ev_a, "ac": ac_a}
        a["sv"] = ev_a - pv_a
        a["cv"] = ev_a - ac_a
        spi = np.where(idle, np.nan, ev_a / pv_a)
        cpi = np.where(idle, np.nan, ev_a / ac_a)
        a["spi"], a["cpi"] = spi, cpi
        remaining = bac - ev_a
        variants = {
            "bac_over_cpi": bac / cpi,
            "budget_rate": ac_a + remaining,
            "cpi_spi": ac_a + remaining / (cpi * spi),
            "composite": ac_a + remaining / (0.8 * cpi + 0.2 * spi),
        }
        # EV = 0 makes CPI (and SPI) 0: the index-based forecasts are infinite, i.e. undefined.
        for name in ("bac_over_cpi", "cpi_spi", "composite"):
            variants[name] = np.where(np.isfinite(variants[name]), variants[name], np.nan)
        if etc_a is not None:
            variants["bottom_up"] = ac_a + etc_a
        variants = {k: np.where(idle, np.nan, v) for k, v in variants.items()}
        if eac_method not in variants:
            raise ValueError("eac_method 'bottom_up' needs a bottom-up etc")
        eac = variants[eac_method]
        a["eac"] = eac
        a["etc"] = eac - ac_a
        a["vac"] = bac - eac
        left = bac - ac_a
        a["tcpi_bac"] = np.where(left > 0, remaining / left, np.nan)
        left_eac = eac - ac_a
        a["tcpi_eac"] = np.where(left_eac > 0, remaining / left_eac, np.nan)
        a["percent_complete"] = ev_a / bac
        a["percent_spent"] = ac_a / bac

    # -- time: earned schedule and the naive forecast --------------------------------------
    curve, times = None, None
    if baseline is not None:
        curve, times = _check_baseline(baseline, baseline_times, bac)
        if pd is None:
            pd = float(times[-1])
    if pd is not None and (not math.isfinite(pd) or pd <= 0):
        raise ValueError(f"pd (planned duration in periods) must be > 0, got {pd}")
    nan = np.full(n, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        if curve is not None:
            es = earned_schedule(curve, ev_a, times=times)
            a["es"] = np.where(idle, np.nan, es)
            a["sv_t"] = a["es"] - t
            a["spi_t"] = a["es"] / t
            a["ieac_t"] = np.where(a["spi_t"] > 0, pd / a["spi_t"], np.nan)
        else:
            a["es"], a["sv_t"], a["spi_t"], a["ieac_t"] = nan, nan.copy(), nan.copy(), nan.copy()
        a["duration_forecast"] = (
            np.where(spi > 0, pd / spi, np.nan) if pd is not None else nan.copy()
        )

    return EVMSeries(
        bac=bac,
        periods=t.astype(int) if np.all(t == np.round(t)) else t,
        arrays=a,
        eac_variants=variants,
        eac_method=eac_method,
        thresholds=thresholds,
        baseline=curve,
        baseline_times=times,
        pd=None if pd is None else float(pd),
        period_days=period_days,
    )


def earned_schedule(
    baseline: Sequence[float], ev: Any, *, times: Sequence[float] | None = None
) -> np.ndarray | float:
    """Earned schedule (Lipke): the time at which the baseline planned the value earned.

    ``baseline`` is the cumulative PV at times 0, 1, 2, … (or at ``times``), starting at 0.
    ES = C + (EV − PV_C)/(PV_{C+1} − PV_C), with C the last time whose PV_C ≤ EV; EV at or
    above the final planned value gives the planned finish. Vectorised over ``ev``.
    """
    curve = np.asarray(baseline, dtype=float)
    tt = np.arange(len(curve), dtype=float) if times is None else np.asarray(times, dtype=float)
    value = np.asarray(ev, dtype=float)
    c = np.searchsorted(curve, value, side="right") - 1
    c = np.clip(c, 0, len(curve) - 1)
    nxt = np.minimum(c + 1, len(curve) - 1)
    step = curve[nxt] - curve[c]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(step > 0, (value - curve[c]) / step, 0.0)
    es = tt[c] + frac * (tt[nxt] - tt[c])
    return float(es) if es.ndim == 0 else es


# ------------------------------------------------------------------------------ plan + status
def planned_value_curve(
    plan: ProjectPlan,
    *,
    period_days: float = 5.0,
    baseline: Schedule | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The baseline's cumulative PV at the end of each period: ``(times, pv)``.

    Each task's total cost is spread evenly over its working days between its CPM early
    start and early finish (a milestone's cost falls on its date). ``times`` are in periods
    of ``period_days`` working days: 0, 1, 2, … and, when the plan does not end on a period
    boundary, the planned finish itself (e.g. 9.8 for 49 days in 5-day weeks), so the curve
    ends at BAC exactly.
    """
    from itpm_course.engine.schedule import schedule as run_cpm  # noqa: PLC0415

    if not period_days > 0:
        raise ValueError(f"period_days must be > 0, got {period_days}")
    sched = baseline if baseline is not None else run_cpm(plan)
    finish = sched.project_duration / period_days
    times = np.arange(0, math.floor(finish + 1e-9) + 1, dtype=float)
    if finish - times[-1] > 1e-9:
        times = np.append(times, finish)
    pv = planned_value_at(plan, times * period_days, baseline=sched)
    return times, pv


def planned_value_at(
    plan: ProjectPlan, days: Any, *, baseline: Schedule | None = None
) -> np.ndarray:
    """Cumulative baseline PV at working-day offsets ``days`` (vectorised; tasks × times)."""
    from itpm_course.engine.schedule import schedule as run_cpm  # noqa: PLC0415

    sched = baseline if baseline is not None else run_cpm(plan)
    cost = np.array([t.total_cost for t in plan.tasks], dtype=float)
    es, ef = sched.early_start[:, None], sched.early_finish[:, None]
    d = np.asarray(days, dtype=float)[None, :]
    span = ef - es
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(span > 0, np.clip((d - es) / span, 0.0, 1.0), (d >= es).astype(float))
    return cost @ share


def earned_value_by_rule(
    budget: Any, percent_complete: Any, rule: str = "percent_complete"
) -> np.ndarray:
    """Earned value of tasks from their budgets and percent complete (0–100) by a rule of credit.

    ``percent_complete``: budget × % complete; ``0/100``: nothing until finished;
    ``50/50``: half when started, the rest when finished; ``20/80``: 20% when started.
    """
    b = np.asarray(budget, dtype=float)
    p = np.asarray(percent_complete, dtype=float)
    if rule == "percent_complete":
        return b * p / 100.0
    splits = {"0/100": 0.0, "50/50": 0.5, "20/80": 0.2}
    if rule not in splits:
        raise ValueError(f"rule of credit must be one of {', '.join(CREDIT_RULES)}, got {rule!r}")
    started = splits[rule]
    return np.where(p >= 100, b, np.where(p > 0, started * b, 0.0))


@dataclass(frozen=True, eq=False)
class PlanEVM:
    """EVM of a plan against its baseline: the series plus the task-level status behind it.

    ``tasks`` has one row per (period, task): budget, planned value, percent complete,
    earned value, actual cost and CV/SV per task, so a PM can see which tasks drive the
    variances.
    """

    plan: ProjectPlan
    series: EVMSeries
    tasks: pd.DataFrame
    rule: str
    period_days: float
    baseline: Schedule

    @property
    def latest(self) -> EVMetrics:
        return self.series.latest

    def to_frame(self) -> pd.DataFrame:
        return self.series.to_frame()

    def to_dict(self) -> dict[str, Any]:
        out = self.series.to_dict()
        out["rule"] = self.rule
        out["period_days"] = _plain(self.period_days)
        return out


def read_status(status: Any) -> pd.DataFrame:
    """Status data as a DataFrame: from a DataFrame, a list of dicts or a dict of columns."""
    import pandas as pd  # noqa: PLC0415

    if isinstance(status, pd.DataFrame):
        return status.copy()
    if isinstance(status, Mapping):
        return pd.DataFrame(dict(status))
    return pd.DataFrame(list(status))


def evm_from_plan(
    plan: ProjectPlan,
    status: Any,
    *,
    rule: str = "percent_complete",
    period_days: float = 5.0,
    eac_method: str = "bac_over_cpi",
    thresholds: RagThresholds | None = None,
    baseline: Schedule | None = None,
) -> PlanEVM:
    """EVM of ``plan`` (the baseline) from task status reported per period.

    ``status``: rows with ``period`` (1, 2, …), ``task`` (a task id), ``actual_cost``
    (cumulative to the end of the period) and either ``percent_complete`` (0–100, turned
    into EV with the ``rule`` of credit) or ``earned_value``; optionally ``etc`` (the task's
    bottom-up estimate to complete). A task not reported in a period keeps its last status
    (0 before its first report). BAC is the sum of the task costs (the performance
    measurement baseline, without the management reserve). PV comes from
    :func:`planned_value_curve`.
    """
    from itpm_course.engine.schedule import schedule as run_cpm  # noqa: PLC0415

    if rule not in CREDIT_RULES:
        raise ValueError(f"rule of credit must be one of {', '.join(CREDIT_RULES)}, got {rule!r}")
    frame = read_status(status)
    sched = baseline if baseline is not None else run_cpm(plan)
    ids = list(plan.network.ids)
    budget = np.array([t.total_cost for t in plan.tasks], dtype=float)
    bac = float(budget.sum())
    if bac <= 0:
        raise ValueError(
            f"plan {plan.name!r} has no task costs: BAC is 0, so EVM has nothing to measure"
        )
    tasks_frame, ev_mat, ac_mat, etc_mat, periods = _status_matrices(frame, ids, budget, rule)

    times, curve = planned_value_curve(plan, period_days=period_days, baseline=sched)
    pv_tasks = _task_pv(budget, sched, periods * period_days)
    pv = pv_tasks.sum(axis=1)
    ev = ev_mat.sum(axis=1)
    ac = ac_mat.sum(axis=1)
    etc = None
    if etc_mat is not None:
        # Tasks without a bottom-up figure keep their remaining budget as their ETC.
        etc = np.where(np.isnan(etc_mat), budget[None, :] - ev_mat, etc_mat).sum(axis=1)
    series = evm_series(
        bac,
        pv,
        np.minimum(ev, bac),
        ac,
        etc=etc,
        baseline=curve,
        baseline_times=times,
        periods=periods,
        eac_method=eac_method,
        thresholds=thresholds,
        period_days=period_days,
    )
    tasks_frame["pv"] = pv_tasks.reshape(-1)
    tasks_frame["ev"] = ev_mat.reshape(-1)
    tasks_frame["ac"] = ac_mat.reshape(-1)
    tasks_frame["sv"] = tasks_frame["ev"] - tasks_frame["pv"]
    tasks_frame["cv"] = tasks_frame["ev"] - tasks_frame["ac"]
    return PlanEVM(plan, series, tasks_frame, rule, float(period_days), sched)


def _status_matrices(frame, ids, budget, rule):
    """Status rows → (task frame, EV, AC, ETC matrices periods × tasks, periods)."""
    import pandas as pd  # noqa: PLC0415

    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    needed = {"period", "task", "actual_cost"}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise ValueError(
            f"status data needs columns period, task, actual_cost and percent_complete or earned_value; missing {', '.join(missing)}"
        )
    has_pc = "percent_complete" in frame.columns
    has_ev = "earned_value" in frame.columns
    if not (has_pc or has_ev):
        raise ValueError("status data needs a percent_complete or an earned_value column")
    if frame.empty:
        raise ValueError("status data is empty: give at least one row")
    index = {tid: k for k, tid in enumerate(ids)}
    rows = []
    for pos, rec in enumerate(frame.to_dict("records")):
        where = f"status row {pos + 1}"
        period = _int_cell(rec["period"], "period", where)
        if period < 1:
            raise ValueError(
                f"{where}: period must be 1 or more (period 0 is the start), got {period}"
            )
        task = str(rec["task"]).strip()
        if task not in index:
            raise ValueError(f"{where} (period {period}): no task {task!r} in the plan")
        where = f"{where} (period {period}, task {task})"
        ac = _number_cell(rec["actual_cost"], "actual_cost", where)
        k = index[task]
        pc = (
            _number_cell(rec.get("percent_complete"), "percent_complete", where, optional=True)
            if has_pc
            else None
        )
        ev = (
            _number_cell(rec.get("earned_value"), "earned_value", where, optional=True)
            if has_ev
            else None
        )
        if pc is None and ev is None:
            raise ValueError(f"{where}: give percent_complete or earned_value")
        if pc is not None:
            if not 0 <= pc <= 100:
                raise ValueError(
                    f"{where}: percent_complete must be between 0 and 100, got {_num(pc)}"
                )
            ev = float(earned_value_by_rule(budget[k], pc, rule))
        elif ev > budget[k] * (1 + 1e-12):
            raise ValueError(
                f"{where}: earned_value {_num(ev)} is more than the task's budget {_num(budget[k])}"
            )
        etc = (
            _number_cell(rec.get("etc"), "etc", where, optional=True)
            if "etc" in frame.columns
            else None
        )
        pc = pc if pc is not None else (100 * ev / budget[k] if budget[k] > 0 else 100.0)
        rows.append((period, k, ac, ev, pc, etc))
    periods = np.array(sorted({r[0] for r in rows}), dtype=int)
    last = int(periods[-1])
    periods = np.arange(1, last + 1)  # every period to the status date, gaps carried forward
    n, m = len(periods), len(ids)
    ev_mat = np.full((n, m), np.nan)
    ac_mat = np.full((n, m), np.nan)
    pc_mat = np.full((n, m), np.nan)
    etc_mat = np.full((n, m), np.nan)
    seen = set()
    for period, k, ac, ev, pc, etc in rows:
        if (period, k) in seen:
            raise ValueError(f"status for task {ids[k]!r} is given twice for period {period}")
        seen.add((period, k))
        ev_mat[period - 1, k], ac_mat[period - 1, k], pc_mat[period - 1, k] = ev, ac, pc
        if etc is not None:
            etc_mat[period - 1, k] = etc
    ev_mat, ac_mat, pc_mat = (_carry_forward(x, 0.0) for x in (ev_mat, ac_mat, pc_mat))
    has_etc = not np.all(np.isnan(etc_mat))
    etc_mat = _carry_forward(etc_mat, np.nan) if has_etc else None
    frame_out = pd.DataFrame(
        {
            "period": np.repeat(periods, m),
            "task": np.tile(ids, n),
            "budget": np.tile(budget, n),
            "percent_complete": pc_mat.reshape(-1),
        }
    )
    return frame_out, ev_mat, ac_mat, etc_mat, periods


def _carry_forward(mat: np.ndarray, fill: float) -> np.ndarray:
    """Fill each column's gaps with its last value above (``fill`` before the first)."""
    out = mat.copy()
    for i in range(1, len(out)):
        gap = np.isnan(out[i])
        out[i, gap] = out[i - 1, gap]
    if not np.isnan(fill):
        out[np.isnan(out)] = fill
    return out


def _task_pv(budget: np.ndarray, sched: Schedule, days: np.ndarray) -> np.ndarray:
    """Planned value per task at working-day offsets ``days``: periods × tasks."""
    es, ef = sched.early_start[None, :], sched.early_finish[None, :]
    d = np.asarray(days, dtype=float)[:, None]
    span = ef - es
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(span > 0, np.clip((d - es) / span, 0.0, 1.0), (d >= es).astype(float))
    return share * budget[None, :]


def forecast_plan(plan: ProjectPlan, status: Any) -> ProjectPlan | None:
    """The plan with each task's latest ``forecast_duration`` from the status (None if none given)."""
    frame = read_status(status).rename(columns=lambda c: str(c).strip().lower())
    if "forecast_duration" not in frame.columns:
        return None
    frame = frame.dropna(subset=["forecast_duration"])
    if frame.empty:
        return None
    latest = frame.sort_values("period").groupby("task")["forecast_duration"].last()
    current = plan
    for task, duration in latest.items():
        value = float(duration)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"forecast_duration of task {task!r} must be >= 0, got {duration}")
        current = current.with_task(str(task), duration=value)
    return current


# ------------------------------------------------------------------------------ reading it
def interpret(m: EVMetrics) -> str:
    """A plain-language reading: cost and schedule status, the money forecast, the TCPI."""
    cost = _cost_words(m.cpi)
    schedule_index = m.spi_t if m.spi_t is not None else m.spi
    sched = _schedule_words(schedule_index)
    parts = [f"{cost[0].upper()}{cost[1:]} and {sched}"]
    if m.cpi and math.isfinite(m.cpi):
        change = m.bac / m.cpi / m.bac - 1
        if abs(change) < _ON_TARGET:
            parts.append("at this CPI the project needs the planned budget")
        elif change > 0:
            parts.append(
                f"at this CPI the project needs {change:.0%} more money than planned "
                f"(EAC {_money_text(m.bac / m.cpi)} against a budget of {_money_text(m.bac)})"
            )
        else:
            parts.append(
                f"at this CPI the project needs {-change:.0%} less money than planned "
                f"(EAC {_money_text(m.bac / m.cpi)} against a budget of {_money_text(m.bac)})"
            )
    text = "; ".join(parts) + "."
    if m.es is not None and m.at is not None:
        lag = m.sv_t
        if abs(lag) < 0.05:
            text += f" Earned schedule: the work done is what was planned by period {m.at:g}."
        else:
            where = "behind" if lag < 0 else "ahead of"
            size = f"{abs(lag):.1f}"
            text += (
                f" Earned schedule: the work done was planned by period {m.es:.1f}, so the project is "
                f"{size} period{'' if size == '1.0' else 's'} {where} plan (SPI(t) {m.spi_t:.2f})"
            )
            if m.ieac_t is not None and m.pd is not None:
                text += f"; at this pace it takes {m.ieac_t:.1f} periods instead of {m.pd:g}"
            text += "."
    elif m.duration_forecast is not None and m.pd is not None:
        text += (
            f" At this SPI the {m.pd:g}-period plan takes {m.duration_forecast:.1f} periods"
            " (a rough forecast: SPI drifts back to 1 as the work finishes; earned schedule is better)."
        )
    if m.tcpi_bac is None:
        if m.ev < m.bac:
            text += " The budget is already spent: the remaining work cannot be done within BAC."
    elif m.tcpi_bac > 1 + _ON_TARGET:
        hard = (
            " — above about 1.10 that is rarely achieved; re-baseline or find money"
            if m.tcpi_bac > 1.1
            else ""
        )
        text += f" To finish within budget the remaining work must run at a CPI of {m.tcpi_bac:.2f}{hard}."
    if m.rag:
        text += f" RAG: {m.rag.upper()}."
    return text


def _cost_words(cpi: float | None) -> str:
    if cpi is None or not math.isfinite(cpi):
        return "cost performance unknown"
    if abs(cpi - 1) < _ON_TARGET:
        return "on budget"
    return "over budget" if cpi < 1 else "under budget"


def _schedule_words(index: float | None) -> str:
    if index is None or not math.isfinite(index):
        return "schedule performance unknown"
    if abs(index - 1) < _ON_TARGET:
        return "on schedule"
    return "behind schedule" if index < 1 else "ahead of schedule"


# ------------------------------------------------------------------------------ helpers
def _check_bac(bac: Any) -> float:
    try:
        value = float(bac)
    except (TypeError, ValueError):
        raise ValueError(f"bac must be a number, got {bac!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"bac (budget at completion) must be > 0, got {_num(value)}")
    return value


def _float_array(values: Any, name: str) -> np.ndarray:
    try:
        arr = np.atleast_1d(
            np.asarray(list(values) if not np.isscalar(values) else [values], dtype=float)
        )
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {values!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a flat series of numbers")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite numbers, got {arr[~np.isfinite(arr)][0]}")
    return arr


def _money(values: Any, name: str) -> np.ndarray:
    return _float_array(values, name)


def _check_baseline(baseline, times, bac) -> tuple[np.ndarray, np.ndarray]:
    curve = _float_array(baseline, "baseline")
    if len(curve) < 2:
        raise ValueError(
            "baseline needs the cumulative PV from period 0 to the planned finish (2+ values)"
        )
    if curve[0] != 0:
        raise ValueError(
            f"baseline must start at 0 (period 0, the project start), got {_num(curve[0])}"
        )
    if np.any(np.diff(curve) < 0):
        i = int(np.flatnonzero(np.diff(curve) < 0)[0]) + 1
        raise ValueError(f"baseline is cumulative and cannot fall; it drops in period {i}")
    if abs(curve[-1] - bac) > 1e-6 * max(bac, 1):
        raise ValueError(
            f"baseline must end at bac ({_num(bac)}), the planned value at the finish; it ends at {_num(curve[-1])}"
        )
    tt = (
        np.arange(len(curve), dtype=float)
        if times is None
        else _float_array(times, "baseline_times")
    )
    if len(tt) != len(curve) or np.any(np.diff(tt) <= 0):
        raise ValueError("baseline_times must rise and have one time per baseline value")
    return curve, tt


def _int_cell(value: Any, column: str, where: str) -> int:
    number = _number_cell(value, column, where)
    if not float(number).is_integer():
        raise ValueError(f"{where}: {column} must be a whole number, got {value!r}")
    return int(number)


def _number_cell(value: Any, column: str, where: str, optional: bool = False) -> float | None:
    if (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    ):
        if optional:
            return None
        raise ValueError(f"{where}: {column} is empty")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: {column} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{where}: {column} must be a finite number, got {value!r}")
    if number < 0:
        raise ValueError(f"{where}: {column} must be >= 0, got {_num(number)}")
    return number


def _opt(value: Any) -> float | None:
    v = float(value)
    return None if math.isnan(v) else v


def _plain(value: Any) -> Any:
    """JSON-friendly: numpy scalars to Python, NaN/inf to None, integral floats to int."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (np.str_,)):
        return str(value) or None
    v = float(value)
    if not math.isfinite(v):
        return None
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def _num(x: float) -> str:
    x = float(x)
    return f"{int(x):,}" if x.is_integer() else f"{x:,.6g}"


def _money_text(x: float) -> str:
    return f"{x:,.0f}"


def _replace(m: EVMetrics, **changes: Any) -> EVMetrics:
    from dataclasses import replace  # noqa: PLC0415

    return replace(m, **changes)
