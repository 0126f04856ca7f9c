"""Benchmark: generating the DELPHI compact model of the default PBGA (examples/pbga.yaml).

Measures, in one process: building the detailed model once (grid, rasterisation,
exterior, interior operator), the 38 training solves that share it, the fit, the 2R
model, and the JEDEC held-out conditions; and, as the baseline, the same solves with the
detailed model rebuilt for every condition (measured on the first ``--baseline-rows``
conditions and reported per condition); and the training solves as they were before the
walk and the Galerkin starting guesses (``--old-path``: one solve per condition from
zero, in the set's order), timed in the same process and compared condition by
condition (junction rise, relative). The JSON names the machine and its load.

Target (JESD15-4 generation): 38 detailed solves plus the fit in <= 180 s on the
2-core machine; DELPHI within 5 % (training) and 10 % (held-out) on junction rise.

Run: ``PYTHONPATH=src .venv/bin/python bench/compact.py [--resolution 1] [--out bench/results/compact_<machine>.json]``
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # BLAS threads fight the 2 shared cores (measured 5x slower)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import time
from pathlib import Path

from semipack.design import load_design
from semipack.thermal.compact.bcs import standard_set
from semipack.thermal.compact.delphi import error_report, fit_delphi, solve_set
from semipack.thermal.compact.detailed import Junction, build_detailed
from semipack.thermal.compact.heldout import jedec_conditions
from semipack.thermal.compact.two_resistor import two_resistor

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resolution", type=float, default=1.0)
    ap.add_argument("--bcs", type=int, default=38)
    ap.add_argument("--baseline-rows", type=int, default=3)
    ap.add_argument("--no-held-out", action="store_true")
    ap.add_argument("--junction", choices=("max", "mean"), default="max")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--old-path", action="store_true", help="also time the training solves as before (baseline)")
    a = ap.parse_args()
    pkg = load_design(ROOT / "examples" / "pbga.yaml")
    bcs = standard_set(a.bcs)
    load0 = os.getloadavg()
    t_all = time.perf_counter()
    t0 = time.perf_counter()
    det = build_detailed(pkg, resolution=a.resolution, junction=Junction(a.junction))
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sols = solve_set(det, bcs)
    solves_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    net = fit_delphi(det, sols)
    fit_s = time.perf_counter() - t0
    generation_s = time.perf_counter() - t_all
    t0 = time.perf_counter()
    two = two_resistor(det)
    two_s = time.perf_counter() - t0
    held = ()
    held_s = 0.0
    if not a.no_held_out:
        t0 = time.perf_counter()
        held = solve_set(det, jedec_conditions(pkg, resolution=a.resolution))
        held_s = time.perf_counter() - t0
    rep = error_report(net, two, sols, held)
    old: dict[str, object] = {}
    if a.old_path:
        t0 = time.perf_counter()
        before = tuple(det.solve(bc) for bc in bcs)  # one fresh hierarchy and a zero start each
        old_s = time.perf_counter() - t0
        old = {
            "old_path_training_solves_s": old_s,
            "old_path_iterations": sum(s.iterations for s in before),
            "iterations": sum(s.iterations for s in sols),
            "ratio_old_over_new_training_solves": old_s / solves_s,
            "max_tj_rise_rel_diff_old_new": max(
                abs(s.tj_rise_k / o.tj_rise_k - 1) for s, o in zip(sols, before, strict=True)
            ),
        }
    # Baseline: rebuild grid, fields and operator for every condition.
    t0 = time.perf_counter()
    for bc in bcs[: a.baseline_rows]:
        build_detailed(pkg, resolution=a.resolution).solve(bc)
    rebuild_per_bc = (time.perf_counter() - t0) / max(a.baseline_rows, 1)
    shared_per_bc = solves_s / len(bcs)
    doc = {
        "benchmark": "compact_delphi_pbga",
        "machine": {
            "node": platform.node(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "loadavg_start": load0,
            "loadavg_end": os.getloadavg(),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
            "python": platform.python_version(),
        },
        "resolution": a.resolution,
        "junction": a.junction,
        "cells": det.grid.cells,
        "conditions": len(bcs),
        "build_s": build_s,
        "training_solves_s": solves_s,
        "solve_s_per_condition": [s.solve_s for s in sols],
        "iterations_per_condition": [s.iterations for s in sols],
        "fit_s": fit_s,
        "generation_s": generation_s,
        "target_generation_s": 180.0,
        "two_resistor_s": two_s,
        "held_out_s": held_s,
        "baseline_rebuild_s_per_condition": rebuild_per_bc,
        "shared_s_per_condition": shared_per_bc,
        "ratio_rebuild_vs_shared": rebuild_per_bc / shared_per_bc,
        **old,
        "links_k_w": [[ln.a, ln.b, ln.r_k_w] for ln in net.links],
        "training": rep.summary("training"),
        "held_out": rep.summary("held-out"),
        "rows": [
            {
                "name": r.name,
                "group": r.group,
                "tj_rise_detailed_k": r.tj_rise_detailed_k,
                "delphi_error_pct": r.delphi_error_pct,
                "two_r_error_pct": r.two_r_error_pct,
            }
            for r in rep.rows
        ],
    }
    out = a.out or ROOT / "bench" / "results" / f"compact_{platform.node() or 'machine'}_res{a.resolution:g}_{a.junction}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(
        json.dumps(
            {k: doc[k] for k in ("cells", "generation_s", "training", "held_out", "ratio_rebuild_vs_shared", *old)},
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
