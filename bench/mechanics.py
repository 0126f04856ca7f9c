"""Benchmark: 3D warpage of the default heat-spreader BGA at the default and a fine mesh.

For each mesh resolution the package (stress-free at 175 C) is cooled to 25 C and solved
with the incompatible-mode hex FE and sparse LU in nested-dissection order; the same
system solved in SuperLU's COLAMD order (the earlier default) and the laminated-plate
estimate run in the same process as baselines. The JSON reports cells, unknowns,
assembly+solve seconds, peak resident memory, the warpage, and the ratios against the
baselines and against the default mesh. ``seconds``/``warpage_um`` time one solve from
the stress-free state (the solver benchmark); ``history_*``: the same state reached as
`semipack warpage` reaches it, one solve per interval between the glass transitions.

Target (issue 5): at most 60 s at the default mesh on the 2-core CI machine.

Run: ``.venv/bin/python bench/mechanics.py [--resolutions 0.5,0.8] [--out bench/results/mechanics.json]``
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from semipack.design import load_design
from semipack.mechanics.fe import LuOrder, mesh_package, solve_thermoelastic
from semipack.mechanics.history import fe_history, glass_transitions, intervals
from semipack.mechanics.stackup import clt_warpage

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resolutions", default="0.5,0.8")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    pkg = load_design(ROOT / "examples" / "spreader_bga.yaml")
    t0 = time.perf_counter()
    clt = clt_warpage(pkg, 448.15, 298.15)
    clt_s = time.perf_counter() - t0
    runs = []
    meshes = []
    for res in (float(r) for r in args.resolutions.split(",")):
        t0 = time.perf_counter()
        mesh = mesh_package(pkg, res)
        fe = solve_thermoelastic(mesh, 448.15, 298.15)
        dt = time.perf_counter() - t0
        w, cop, _ = fe.warpage()
        meshes.append((mesh, fe.solve_s, w))
        # What `semipack warpage` does at 25 C: one solve per interval between glass transitions.
        t1 = time.perf_counter()
        hist = fe_history(mesh, 448.15, 298.15)
        hist_s = time.perf_counter() - t1
        runs.append(
            {
                "resolution": res,
                "cells": int((mesh.owner >= 0).sum()),
                "unknowns": fe.dofs,
                "seconds": round(dt, 3),
                "solve_seconds": round(fe.solve_s, 3),
                # ru_maxrss only grows: the baselines run after every mesh has been measured.
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "warpage_um": round(w * 1e6, 3),
                "coplanarity_um": round(cop * 1e6, 3),
                "ratio_vs_clt_time": round(dt / max(clt_s, 1e-9), 1),
                "history_seconds": round(hist_s, 3),
                "history_intervals": len(intervals(448.15, 298.15, glass_transitions(pkg))),
                "history_warpage_um": round(hist.warpage()[0] * 1e6, 3),
            }
        )
    for run, (mesh, solve_s, w) in zip(runs, meshes, strict=True):
        base_fe = solve_thermoelastic(mesh, 448.15, 298.15, lu_order=LuOrder.COLAMD)
        w_base, _, _ = base_fe.warpage()
        run["colamd_solve_seconds"] = round(base_fe.solve_s, 3)
        run["colamd_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        run["solve_speedup_vs_colamd"] = round(base_fe.solve_s / max(solve_s, 1e-9), 2)
        run["warpage_rel_diff_vs_colamd"] = float(f"{abs(w - w_base) / abs(w_base):.2e}")
    base = runs[0]["seconds"]
    for r in runs:
        r["ratio_vs_default_mesh_time"] = round(float(r["seconds"]) / float(base), 2)
    out = {
        "package": "examples/spreader_bga.yaml",
        "load": "stress-free 175 C -> 25 C",
        "clt_baseline": {"seconds": round(clt_s, 4), "warpage_um": round(clt.warpage_m * 1e6, 3)},
        "fe": runs,
        "target": "default mesh (resolution 0.5) <= 60 s on the 2-core CI machine",
    }
    text = json.dumps(out, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
