"""Benchmark: steady solve of a package-on-board problem at several sizes.

For each size the same stencil (the default heat-spreader BGA on a JESD51-7 2s2p board,
still air with fixed film coefficients) is solved to a relative residual of 1e-8 by

- semipack's column AMG (``column-amg``, the default: z-line Gauss-Seidel, smoothed
  aggregation of cell columns, K-cycle, flexible CG),
- semipack's earlier z-line multigrid PCG with plain 2 x 2 aggregation (``zline-mg``),
- pyamg classical AMG (``ruge_stuben_solver``) as a CG preconditioner (the baseline),
- Jacobi-preconditioned CG,

all in this process; the JSON reports setup+solve seconds, iterations, seconds per
million cells, peak resident memory, and the ratios against the baselines.

Targets (issue 20): column AMG <= 3 s per million cells at 1-8 M cells (flat within +-30 %),
>= 10x pyamg RS at 1.6 and 3 M cells, at most 1 kB per cell; on a GPU 10 M cells in <= 0.5 s;
the earlier targets (issue 4: >= 5x pyamg RS and >= 15x Jacobi-CG at 1 M cells) stay met.

``--against REV`` also runs column AMG as it was at git revision ``REV`` (its module loaded
from ``git show``) in the same process: a before/after pair on the same load. ``--gpu`` runs
the CuPy solvers (column AMG and the z-line multigrid) when a GPU is present and names the
card. Wall seconds and the process's CPU seconds are both recorded: on a shared machine the
CPU seconds are the steadier measure, and the load average is in the JSON.

Run: ``.venv/bin/python bench/thermal.py [--sizes 0.25,1,2,4,8] [--out bench/results/thermal.json]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

from semipack.design import load_design
from semipack.thermal.assemble import ExposedSurfaces, Face, FaceCondition, Stencil, assemble, expose
from semipack.thermal.environment import Environment, with_board
from semipack.thermal.grid import make_grid, refine
from semipack.thermal.raster import rasterize
from semipack.thermal.setup import exterior_air
from semipack.thermal.solvers.baselines import solve_amg, solve_jacobi_cg
from semipack.thermal.solvers.column_amg import solve as column_amg
from semipack.thermal.solvers.zline_mg import pcg

ROOT = Path(__file__).resolve().parents[1]


def problem(target_cells: float, split: int | None = None) -> tuple[Stencil, np.ndarray, int]:
    """The stencil nearest ``target_cells``: a generated grid, every cell split 2 or 3 times above 2 M cells.

    The resolution knob alone cannot reach every size (the cell count jumps where the
    balls become resolved), so large problems refine a quarter-size grid systematically.
    """
    pkg = load_design(ROOT / "examples" / "spreader_bga.yaml")
    fixture, _ = with_board(pkg, Environment())
    if split is None:
        split = 1 if target_cells <= 2e6 else (2 if target_cells <= 5e6 else 3)
    target_cells /= split**3
    bb = pkg.bbox
    lo, hi = 0.2, 40.0
    res = 1.0
    best = (float("inf"), res)
    for _ in range(40):  # bisection on the resolution knob for the requested size
        res = (lo * hi) ** 0.5
        g = make_grid(fixture, res, focus=(bb.lo, bb.hi))
        best = min(best, (abs(g.cells / target_cells - 1), res))
        if g.cells > target_cells:
            hi = res
        else:
            lo = res
        if best[0] < 0.1:
            break
    res = best[1]
    g = refine(make_grid(fixture, res, focus=(bb.lo, bb.hi)), split)
    f = rasterize(fixture, g)
    ext = exterior_air(f, g, fixture, True)
    h = np.full(g.shape, 8.0)
    st = assemble(g, f, [FaceCondition(Face.ZMAX, 8.0), FaceCondition(Face.ZMIN, 5.0)])
    st = expose(st, g, f, ExposedSurfaces(ext, h, h * 0.6, h))
    return st, f.power, g.cells


def module_at(rev: str) -> object:
    """``semipack.thermal.solvers.column_amg`` as it was at git revision ``rev`` (a fresh module)."""
    text = subprocess.run(
        ["git", "show", f"{rev}:src/semipack/thermal/solvers/column_amg.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    spec = importlib.util.spec_from_loader(f"column_amg_at_{rev}", loader=None)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up by name
    exec(compile(text, f"column_amg.py@{rev}", "exec"), mod.__dict__)
    return mod


def gpu_name() -> str | None:
    """The first CUDA device's name, or None without CuPy or a GPU."""
    try:
        import cupy

        if cupy.cuda.runtime.getDeviceCount() < 1:
            return None
        name = cupy.cuda.runtime.getDeviceProperties(0)["name"]
    except Exception:  # no CuPy, no driver, no device: the GPU rows are left out
        return None
    return name.decode() if isinstance(name, bytes) else str(name)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0.25,1", help="millions of cells, comma separated")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--skip-jacobi-above", type=float, default=2.0, help="M cells")
    ap.add_argument("--skip-zline-above", type=float, default=2.0, help="M cells: its iterations grow with size")
    ap.add_argument("--skip-baselines-above", type=float, default=2.5, help="M cells: pyamg setup grows too")
    ap.add_argument("--split", type=int, default=None, help="split every cell of a generated grid this many times")
    ap.add_argument("--gpu", action="store_true", help="also run the CuPy solvers when a GPU is present")
    ap.add_argument("--against", default=None, help="git revision whose column AMG runs as a same-process baseline")
    args = ap.parse_args()
    card = gpu_name() if args.gpu else None
    before = module_at(args.against) if args.against else None
    load0 = os.getloadavg()
    rows = []
    for size in (float(s) for s in args.sizes.split(",")):
        st, b, cells = problem(size * 1e6, args.split)
        row: dict[str, object] = {"target_mcells": size, "cells": cells}
        solvers = [
            ("column_amg", column_amg),
            ("zline_mg", pcg),
            ("pyamg_rs", solve_amg),
            ("jacobi_cg", solve_jacobi_cg),
        ]
        if before is not None:
            solvers.insert(1, ("column_amg_before", before.solve))  # type: ignore[attr-defined]
        if card is not None:
            from semipack.thermal.solvers.column_amg_device import solve as column_amg_gpu
            from semipack.thermal.solvers.zline_mg import pcg_gpu

            pcg_gpu(st, b, rtol=1e-2)  # warm-up: CUDA context and kernel compilation
            column_amg_gpu(st, b, rtol=1e-2)
            solvers[1:1] = [("column_amg_gpu", column_amg_gpu), ("zline_mg_gpu", pcg_gpu)]
        for name, fn in solvers:
            if name == "jacobi_cg" and cells > args.skip_jacobi_above * 1e6:
                continue
            if name == "pyamg_rs" and cells > args.skip_baselines_above * 1e6:
                continue
            if name == "zline_mg" and cells > args.skip_zline_above * 1e6:
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            _, info = fn(st, b, rtol=1e-8)  # type: ignore[operator]
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            row[name] = {
                "seconds": round(dt, 3),
                "cpu_seconds": round(cpu, 3),
                "cpu_s_per_mcell": round(cpu / (cells / 1e6), 3),
                "iterations": info.iterations,
                "converged": info.converged,
                "s_per_mcell": round(dt / (cells / 1e6), 3),
            }
        ca = row["column_amg"]["seconds"]  # type: ignore[index]
        if "pyamg_rs" in row:
            row["speedup_vs_pyamg_rs"] = round(row["pyamg_rs"]["seconds"] / ca, 2)  # type: ignore[index]
        if "zline_mg" in row:
            row["speedup_vs_zline_mg"] = round(row["zline_mg"]["seconds"] / ca, 2)  # type: ignore[index]
        if "column_amg_before" in row:
            for key in ("seconds", "cpu_seconds"):
                ratio = row["column_amg_before"][key] / row["column_amg"][key]  # type: ignore[index]
                row[f"speedup_vs_before_{key}"] = round(ratio, 2)
        if "pyamg_rs" in row:
            ratio = row["pyamg_rs"]["cpu_seconds"] / row["column_amg"]["cpu_seconds"]  # type: ignore[index]
            row["speedup_vs_pyamg_rs_cpu_seconds"] = round(ratio, 2)
        if "column_amg_gpu" in row:
            row["gpu_column_amg_speedup_vs_cpu_column_amg"] = round(ca / row["column_amg_gpu"]["seconds"], 2)  # type: ignore[index]
        if "zline_mg_gpu" in row:
            row["gpu_zline_speedup_vs_cpu_column_amg"] = round(ca / row["zline_mg_gpu"]["seconds"], 2)  # type: ignore[index]
        if "jacobi_cg" in row:
            row["speedup_vs_jacobi_cg"] = round(row["jacobi_cg"]["seconds"] / ca, 2)  # type: ignore[index]
        # The solver's own peak: numpy/scipy allocations while column AMG sets up and solves.
        tracemalloc.start()
        column_amg(st, b, rtol=1e-8)
        row["column_amg_peak_alloc_bytes_per_cell"] = round(tracemalloc.get_traced_memory()[1] / cells, 1)
        tracemalloc.stop()
        row["stencil_bytes_per_cell"] = round(sum(a.nbytes for a in (st.gx, st.gy, st.gz, st.gb, b)) / cells, 1)
        row["peak_rss_bytes_per_cell"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / cells, 1)
        rows.append(row)
    doc = {
        "benchmark": "thermal_steady",
        "problem": "spreader_bga on 2s2p board, fixed film coefficients",
        "solver": "column_amg",
        "targets": {
            "cpu_s_per_mcell": 3,
            "speedup_vs_pyamg_rs_at_1.6M_and_3M": 10,
            "gpu_10M_cells_solve_s": 0.5,
            "bytes_per_cell": 1000,
        },
        "machine": {
            "node": platform.node(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "gpu": card,
            "loadavg_start": [round(v, 2) for v in load0],
            "loadavg_end": [round(v, 2) for v in os.getloadavg()],
        },
        "args": {k: v for k, v in vars(args).items() if k != "out"},
        "runs": rows,
    }
    text = json.dumps(doc, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
