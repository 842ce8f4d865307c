"""Benchmark: one control change per widget, end to end, split into compute and render.

    python benchmarks/bench_widgets.py            # 7 changes per widget (median)
    python benchmarks/bench_widgets.py --quick    # 3 changes, fewer widgets' repeats
    python benchmarks/bench_widgets.py --cpu      # CPU time instead of wall time (shared machines)

Each widget is built with its sample data; a control's ``value`` is set as the browser would
(from Python, so the render happens at once) and the time until the handler returns is
measured. "render" is the time spent building charts and drawing/encoding PNGs (chart
functions, Figure methods and the shared renderer), "compute" the rest. Numbers only: no
assertions on time. The Monte Carlo case is the one issue 3 names: 30 tasks x 10,000 iterations.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_montecarlo import plan_from_rows, three_point_rows  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from itpm_course.widgets import _render  # noqa: E402

CLOCK = time.perf_counter
_spent = [0.0]
_depth = [0]


def _timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _depth[0]:
            return fn(*args, **kwargs)
        _depth[0] += 1
        start = CLOCK()
        try:
            return fn(*args, **kwargs)
        finally:
            _spent[0] += CLOCK() - start
            _depth[0] -= 1

    return wrapper


def _instrument(modules) -> None:
    """Count time in chart functions, Figure building and the renderer as "render"."""
    for name in ("clear", "subplots", "add_subplot", "savefig"):
        setattr(Figure, name, _timed(getattr(Figure, name)))
    for name in ("png", "redraw"):  # redraw: not in older versions (before/after runs)
        if hasattr(_render.FigureRenderer, name):
            setattr(_render.FigureRenderer, name, _timed(getattr(_render.FigureRenderer, name)))
    for module in modules:
        for name, obj in list(vars(module).items()):
            origin = getattr(obj, "__module__", "") or ""
            if callable(obj) and not isinstance(obj, type):
                if origin.startswith(("itpm_course.charts", "itpm_course.widgets._render")):
                    setattr(module, name, _timed(obj))


def measure(label, build, control, values, repeats):
    widget = build()
    ctl = control(widget)
    totals, renders = [], []
    for k in range(repeats):
        _spent[0] = 0.0
        start = CLOCK()
        ctl.value = values[k % len(values)]
        totals.append(CLOCK() - start)
        renders.append(_spent[0])
    total = statistics.median(totals) * 1000
    render = statistics.median(renders) * 1000
    print(f"{label:<40} {total:9.1f} {total - render:9.1f} {render:9.1f}", flush=True)
    return total, render


def main(argv=None) -> int:
    global CLOCK  # noqa: PLW0603
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 changes per widget")
    parser.add_argument("--cpu", action="store_true", help="process CPU time, not wall time")
    args = parser.parse_args(argv)
    if args.cpu:
        CLOCK = time.process_time
    repeats = 3 if args.quick else 7

    from itpm_course.data import sample_plan, sample_register  # noqa: PLC0415
    from itpm_course.engine.agile import read_throughput  # noqa: PLC0415
    from itpm_course.exercises.evm import migration_status  # noqa: PLC0415
    from itpm_course.plan.stakeholders import sample_raci, sample_stakeholders  # noqa: PLC0415
    from itpm_course.widgets import (  # noqa: PLC0415
        agile,
        career,
        certifications,
        change,
        evm,
        montecarlo,
        risk,
        schedule,
        stakeholders,
    )

    modules = (agile, career, certifications, change, evm, montecarlo, risk, schedule, stakeholders)
    _instrument(modules)
    plan30 = plan_from_rows(three_point_rows(30))
    skill = next(iter(career.skills_assessment().sliders))
    cases = [
        ("montecarlo 30 tasks x 10k: pessimistic",
         lambda: montecarlo.SimulationExplorer(plan30, iterations=10_000),
         lambda w: w.pessimistic, [30, 31, 32, 33]),
        ("montecarlo 30 tasks x 10k: correlation",
         lambda: montecarlo.SimulationExplorer(plan30, iterations=10_000),
         lambda w: w.correlation, [0.3, 0.4, 0.5]),
        ("montecarlo sample plan: pessimistic",
         lambda: montecarlo.simulation_explorer(sample_plan()),
         lambda w: w.pessimistic, [20, 21, 22]),
        ("schedule sample plan: duration",
         lambda: schedule.schedule_explorer(sample_plan()), lambda w: w.duration, [5, 6, 7, 8]),
        ("risk register editor: probability",
         lambda: risk.risk_register_editor(sample_register("server_migration")),
         lambda w: w.probability, [0.3, 0.5, 0.7]),
        ("risk heat map: medium threshold",
         lambda: risk.heatmap_explorer(sample_register("server_migration")),
         lambda w: w.medium, [0.06, 0.08, 0.10]),
        ("evm dashboard: earned value",
         lambda: evm.evm_dashboard(plan=sample_plan(), status=migration_status()),
         lambda w: w.ev, [40_000, 45_000, 50_000]),
        ("change impact (2,000 it.): extra days",
         lambda: change.change_impact_explorer(sample_plan("server_migration")),
         lambda w: w.extra_days, [2, 3, 4]),
        ("agile forecast: items",
         lambda: agile.forecast_explorer(read_throughput(), items=60),
         lambda w: w.items, [50, 60, 70]),
        ("career planner: years in IT",
         career.career_planner, lambda w: w.years_it, [2, 4, 6, 8]),
        ("skills assessment: one rating",
         career.skills_assessment, lambda w: w.sliders[skill], [1, 2, 3, 4]),
        ("certification chooser: PM experience",
         certifications.certification_chooser, lambda w: w.experience_months, [30, 36, 48, 60]),
        ("stakeholder grid: interest",
         lambda: stakeholders.stakeholder_grid(sample_stakeholders()),
         lambda w: w.interest, [1, 2, 3, 4]),
        ("RACI editor: cell letters",
         lambda: stakeholders.raci_editor(sample_raci(), sample_stakeholders()),
         lambda w: w.letters, ["C", "I", "R", ""]),
    ]  # fmt: skip
    unit = "CPU ms" if args.cpu else "ms"
    print(f"{'widget: control':<40} {'total ' + unit:>9} {'compute':>9} {'render':>9}")
    for case in cases:
        measure(*case, repeats=repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
