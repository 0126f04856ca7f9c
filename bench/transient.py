"""Benchmark: the transient's multigrid kept per factor-2 band of the shift against one per step size.

`transient.simulate` solves (alpha C / dt + A) x = ... at every step, and the adaptive
step changes dt at almost every step. Both runs are in this process on the same
package and environment:

- ``banded`` (the default): one z-line multigrid per factor-2 band of alpha/dt
  (`reuse.ShiftedPreconditioners`);
- ``per_step`` (the baseline, as before): a new multigrid whenever alpha/dt changes.

The JSON records the machine, the load average, wall times, multigrid builds, steps and
the largest relative difference of Zth between the two (PCG runs to 1e-10).

``--mode solvers`` compares the step solvers instead (`stepping.STEP_SOLVERS`), both with
the banded hierarchies: ``zline-mg`` (the baseline, the solver before) and ``column-amg``
(the default), on ``--env`` and ``--board``; the JSON records the same fields per solver.

Run: ``PYTHONPATH=src .venv/bin/python bench/transient.py [--example pbga] [--out bench/results/transient_reuse.json]``
or ``... bench/transient.py --mode solvers --example qfn32 --resolution 1 --env still-air --board 2s2p --until 1000``
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

import semipack.thermal.transient as transient
from semipack.design import load_design
from semipack.thermal import BoardKind, Environment, EnvKind
from semipack.thermal.reuse import ShiftedPreconditioners
from semipack.thermal.setup import ThermalCache
from semipack.thermal.steady import Solver

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from jedec import machine  # the same machine record as the JEDEC benchmark

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--example", default="pbga")
    ap.add_argument("--resolution", type=float, default=0.7)
    ap.add_argument("--until", type=float, default=100.0)
    ap.add_argument("--mode", choices=("reuse", "solvers"), default="reuse")
    ap.add_argument("--env", default="cold-plate-top", help="an EnvKind value")
    ap.add_argument("--board", default="none", help="a BoardKind value")
    ap.add_argument("--out", type=Path, default=None)
    a = ap.parse_args()
    pkg = load_design(ROOT / "examples" / f"{a.example}.yaml")
    env = Environment(EnvKind(a.env), BoardKind(a.board))
    if a.mode == "solvers":
        solvers(a, pkg, env, machine())
        return
    a.out = a.out or ROOT / "bench" / "results" / "transient_reuse.json"
    made: list[ShiftedPreconditioners[Any]] = []

    def recording(build: Any, ratio: float = 2.0) -> ShiftedPreconditioners[Any]:
        p = ShiftedPreconditioners(build, ratio=ratio)
        made.append(p)
        return p

    def per_step(build: Any) -> ShiftedPreconditioners[Any]:
        return recording(build, ratio=1 + 1e-12)  # a band narrower than any step change

    cache = ThermalCache()  # both runs share the steady set-up: only the time stepping differs
    rows = {}
    for name, factory in (("per_step", per_step), ("banded", recording)):
        transient.ShiftedPreconditioners = factory  # type: ignore[assignment,misc]
        made.clear()
        transient.simulate(pkg, env, until_s=1e-3, resolution=a.resolution, cache=cache)  # warm the cache
        made.clear()
        load0 = list(os.getloadavg())
        t0 = time.perf_counter()
        r = transient.simulate(pkg, env, until_s=a.until, resolution=a.resolution, cache=cache)
        rows[name] = {
            "wall_s": time.perf_counter() - t0,
            "stepping_s": r.solve_s,
            "steps": r.steps,
            "multigrid_builds": made[0].builds,
            "load": [load0, list(os.getloadavg())],
            "zth": r.zth_k_per_w,
            "times": r.times_s,
        }
    transient.ShiftedPreconditioners = ShiftedPreconditioners  # type: ignore[misc]
    old, new = rows["per_step"], rows["banded"]
    doc = {
        "benchmark": "transient_multigrid_reuse",
        "machine": machine(),
        "example": a.example,
        "resolution": a.resolution,
        "environment": env.kind.value,
        "until_s": a.until,
        **{f"{k}_{n}": v for n, row in rows.items() for k, v in row.items() if k not in ("zth", "times")},
        "ratio_stepping_per_step_over_banded": old["stepping_s"] / new["stepping_s"],
        "max_zth_rel_diff": _zth_diff(old, new),
    }
    _write(a.out, doc)


def _zth_diff(old: dict[str, Any], new: dict[str, Any]) -> float:
    """The largest relative difference of ``new``'s Zth from ``old``'s, at ``old``'s times."""
    zth_new = np.interp(old["times"], new["times"], new["zth"])
    return float(np.max(np.abs(zth_new[1:] / old["zth"][1:] - 1)))


def _write(out: Path, doc: dict[str, Any]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(json.dumps(doc, indent=1))


def solvers(a: argparse.Namespace, pkg: Any, env: Environment, host: dict[str, Any]) -> None:
    """Both step solvers in this process on one cache (the steady set-up is shared)."""
    cache = ThermalCache()
    transient.simulate(pkg, env, until_s=1e-4, resolution=a.resolution, cache=cache)  # warm the cache
    rows: dict[str, dict[str, Any]] = {}
    for solver in (Solver.ZLINE_MG, Solver.COLUMN_AMG):
        load0 = list(os.getloadavg())
        t0 = time.perf_counter()
        r = transient.simulate(pkg, env, until_s=a.until, resolution=a.resolution, cache=cache, solver=solver)
        rows[solver.value] = {
            "wall_s": time.perf_counter() - t0,
            "stepping_s": r.solve_s,
            "steps": r.steps,
            "load": [load0, list(os.getloadavg())],
            "zth": r.zth_k_per_w,
            "times": r.times_s,
        }
    old, new = rows["zline-mg"], rows["column-amg"]
    doc = {
        "benchmark": "transient_step_solvers",
        "machine": host,
        "example": a.example,
        "resolution": a.resolution,
        "environment": env.kind.value,
        "board": env.board.value,
        "until_s": a.until,
        **{f"{k}_{n}": v for n, row in rows.items() for k, v in row.items() if k not in ("zth", "times")},
        "ratio_stepping_zline_over_column_amg": old["stepping_s"] / new["stepping_s"],
        "max_zth_rel_diff": _zth_diff(old, new),
    }
    _write(a.out or ROOT / "bench" / "results" / "transient_solvers.json", doc)


if __name__ == "__main__":
    main()
