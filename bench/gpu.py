"""Benchmark: column AMG on an NVIDIA GPU (CuPy) against the CPU solver, in one process.

Three parts, each recorded in the JSON even when another fails (its error is kept):

1. ``agreement``: the default heat-spreader BGA bench problem (as ``bench/thermal.py``) at
   about 2 M cells solved to a relative residual of 1e-10 by the CPU column AMG and by the
   GPU one; the largest difference of the fields relative to the largest temperature rise
   (issue 20: the same answer to 1e-8 relative) and both iteration counts.
2. ``sizes``: the same problem at each ``--sizes`` (millions of cells): host set-up of the
   hierarchy, its move to the device, then the GPU solve to 1e-8 timed ``--repeats`` times
   (synchronised; the solve alone, the issue's "10 M cells in <= 0.5 s"), the same with
   each experimental z-line kernel (``device_kernels.LINE_KERNELS``), and the CPU
   column AMG's set-up + solve on this machine's processor up to ``--cpu-up-to`` M cells.
3. ``jedec``: ``semipack thermal EXAMPLE --jedec --resolution R --json`` end to end as a
   user runs it (a fresh Python process: import, grid, raster, four set-ups, film
   iterations) with ``--solver column-amg-gpu`` twice (the first compiles the kernels
   unless CuPy's cache has them) and with the CPU default once; the metrics of the two
   must agree within the solver tolerance.

Run (on a machine with a GPU and CuPy):
``PYTHONPATH=src python bench/gpu.py [--sizes 1,3,10] [--out bench/results/gpu.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from thermal import gpu_name, problem  # noqa: E402  (bench/thermal.py: the shared problem)

from semipack.thermal.solvers.column_amg import ColumnAMG  # noqa: E402
from semipack.thermal.solvers.column_amg import solve as cpu_solve  # noqa: E402
from semipack.thermal.solvers.column_amg_device import DeviceColumnAMG, cupy_or_error  # noqa: E402
from semipack.thermal.solvers.column_amg_device import solve as gpu_solve  # noqa: E402
from semipack.thermal.solvers.device_kernels import LINE_KERNELS  # noqa: E402

METRICS = ("theta_ja_c_per_w", "theta_jc_top_c_per_w", "theta_jc_bottom_c_per_w", "theta_jb_c_per_w", "tj_max_c")


def _timed(fn: Any, sync: Any) -> tuple[Any, float]:
    sync()
    t0 = time.perf_counter()
    out = fn()
    sync()
    return out, time.perf_counter() - t0


def agreement(cp: Any, size: float) -> dict[str, Any]:
    st, b, cells = problem(size * 1e6)
    x_cpu, i_cpu = cpu_solve(st, b, rtol=1e-10)
    x_gpu, i_gpu = gpu_solve(st, b, rtol=1e-10, xp=cp)
    rel = float(np.abs(x_gpu - x_cpu).max() / np.abs(x_cpu).max())
    return {
        "cells": cells,
        "cpu_iterations": i_cpu.iterations,
        "gpu_iterations": i_gpu.iterations,
        "gpu_true_relative_residual": i_gpu.relative_residual,
        "max_field_difference_rel": rel,
        "within_1e-8": rel <= 1e-8,
    }


def one_size(cp: Any, size: float, repeats: int, cpu_up_to: float) -> dict[str, Any]:
    sync = cp.cuda.Device().synchronize
    cp.get_default_memory_pool().free_all_blocks()  # the last size's hierarchy
    t0 = time.perf_counter()
    st, b, cells = problem(size * 1e6)
    row: dict[str, Any] = {"target_mcells": size, "cells": cells, "problem_s": round(time.perf_counter() - t0, 2)}
    host, dt = _timed(lambda: ColumnAMG(st), sync)
    row["host_setup_s"] = round(dt, 3)
    row["levels"] = [lv.a.shape[0] for lv in host.levels]
    dev, dt = _timed(lambda: DeviceColumnAMG(host, cp), sync)
    row["to_device_s"] = round(dt, 3)
    times, info = [], None
    for _ in range(repeats):
        (_, info), dt = _timed(lambda: gpu_solve(st, b, rtol=1e-8, precond=dev), sync)
        times.append(round(dt, 4))
    assert info is not None
    row["gpu_solve_s"] = times
    row["gpu_solve_best_s"] = min(times)
    row["gpu_iterations"] = info.iterations
    row["gpu_true_relative_residual"] = info.relative_residual
    row["gpu_converged"] = info.converged
    row["gpu_solve_s_per_mcell"] = round(min(times) / (cells / 1e6), 4)
    row["gpu_memory_used_bytes"] = int(cp.get_default_memory_pool().used_bytes())
    row.update(breakdown(cp, dev, sync))
    for line in LINE_KERNELS[1:]:  # experimental z-line kernels on the same hierarchy
        dev.line_kernel = line
        gpu_solve(st, b, rtol=1e-6, precond=dev)  # warm-up: the variant's first launch
        (_, info_var), dt = _timed(lambda: gpu_solve(st, b, rtol=1e-8, precond=dev), sync)
        row[f"{line}_solve_s"] = round(dt, 4)
        row[f"{line}_iterations"] = info_var.iterations
        row[f"{line}_converged"] = info_var.converged
        row[f"{line}_cycle_ms"] = breakdown(cp, dev, sync)["cycle_ms"]
    dev.line_kernel = LINE_KERNELS[0]
    if cells <= cpu_up_to * 1e6:
        (_, ci), dt = _timed(lambda: cpu_solve(st, b, rtol=1e-8), lambda: None)
        row["cpu_setup_plus_solve_s"] = round(dt, 3)
        row["cpu_iterations"] = ci.iterations
        row["gpu_setup_plus_solve_s"] = round(row["host_setup_s"] + row["to_device_s"] + min(times), 3)
        row["speedup_setup_plus_solve_vs_cpu"] = round(dt / row["gpu_setup_plus_solve_s"], 2)
    return row


def breakdown(cp: Any, dev: DeviceColumnAMG, sync: Any, n: int = 5) -> dict[str, Any]:
    """Where a cycle's time goes: one whole K-cycle, the finest level's two sweeps, one finest product."""
    lv = dev.levels[0]
    r = cp.asarray(np.random.default_rng(1).standard_normal(lv.n))
    x = cp.zeros_like(r)

    def sweeps() -> None:
        for c in lv.colours:
            dev._sweep(lv, c, x, r, False)
        for c in reversed(lv.colours):
            dev._sweep(lv, c, x, r, True)

    out = {}
    for name, fn in (
        ("cycle", lambda: dev.cycle(r)),
        ("finest_two_sweeps", sweeps),
        ("finest_spmv", lambda: dev.spmv(lv.a, r, x)),
    ):
        fn()
        _, dt = _timed(lambda fn=fn: [fn() for _ in range(n)], sync)
        out[f"{name}_ms"] = round(1e3 * dt / n, 3)
    # One visit of each level with everything below it (the K-cycle visits level i up to 2^i times).
    visits = []
    for i, level in enumerate(dev.levels):
        ri = cp.asarray(np.random.default_rng(2).standard_normal(level.n))
        dev._solve_level(i, ri)
        _, dt = _timed(lambda i=i, ri=ri: [dev._solve_level(i, ri) for _ in range(n)], sync)
        visits.append(round(1e3 * dt / n, 3))
    out["level_visit_ms"] = visits
    out["device_levels"] = [level.n for level in dev.levels]
    out["colours"] = [len(level.colours) for level in dev.levels]
    return out


def jedec_in_process(cp: Any, example: str, resolution: float) -> dict[str, Any]:
    """The GPU ``--jedec`` run in this process, its time split into hierarchy builds on the host,
    moves to the device and device solves (the rest: grid, raster, assembly, film updates)."""
    import semipack.thermal.solvers.column_amg_device as device
    from semipack.design import load_design
    from semipack.thermal import jedec_metrics
    from semipack.thermal.steady import Solver

    sync = cp.cuda.Device().synchronize
    spent = {"host_setup_s": 0.0, "to_device_s": 0.0, "gpu_solve_s": 0.0}
    calls = {"host_setups": 0, "to_device": 0, "gpu_solves": 0, "gpu_iterations": 0}
    host_init, device_init, device_solve = ColumnAMG.__init__, device.DeviceColumnAMG.__init__, device.solve

    def timed_host(self: Any, *a: Any, **k: Any) -> None:
        t0 = time.perf_counter()
        host_init(self, *a, **k)
        spent["host_setup_s"] += time.perf_counter() - t0
        calls["host_setups"] += 1

    def timed_device(self: Any, *a: Any, **k: Any) -> None:
        t0 = time.perf_counter()
        device_init(self, *a, **k)
        sync()
        spent["to_device_s"] += time.perf_counter() - t0
        calls["to_device"] += 1

    def timed_solve(*a: Any, **k: Any) -> Any:
        t0 = time.perf_counter()
        out = device_solve(*a, **k)
        spent["gpu_solve_s"] += time.perf_counter() - t0
        calls["gpu_solves"] += 1
        calls["gpu_iterations"] += out[1].iterations
        return out

    ColumnAMG.__init__ = timed_host  # type: ignore[method-assign]
    device.DeviceColumnAMG.__init__ = timed_device  # type: ignore[method-assign]
    device.solve = timed_solve
    try:
        pkg = load_design(ROOT / "examples" / f"{example}.yaml")
        t0 = time.perf_counter()
        out = jedec_metrics(pkg, resolution=resolution, solver=Solver.COLUMN_AMG_GPU)
        total = time.perf_counter() - t0
    finally:
        ColumnAMG.__init__ = host_init  # type: ignore[method-assign]
        device.DeviceColumnAMG.__init__ = device_init  # type: ignore[method-assign]
        device.solve = device_solve
    rest = total - sum(spent.values())
    return {
        "total_s": round(total, 2),
        **{k: round(v, 2) for k, v in spent.items()},
        "rest_s": round(rest, 2),
        **calls,
        "cells": out.get("cells"),
    }


def jedec_cli(example: str, resolution: float, solver: str) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "semipack.cli.main", "thermal", f"examples/{example}.yaml", "--jedec"]
    cmd += ["--resolution", str(resolution), "--json", "--solver", solver]
    t0 = time.perf_counter()
    out = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    )
    dt = time.perf_counter() - t0
    if out.returncode != 0:
        return {"solver": solver, "error": out.stderr[-2000:], "seconds": round(dt, 2)}
    doc = json.loads(out.stdout)
    return {
        "solver": solver,
        "seconds": round(dt, 2),
        "cells": doc.get("cells"),
        "solve_s": doc.get("solve_s"),
        **{k: doc.get(k) for k in METRICS},
    }


def _part(doc: dict[str, Any], name: str, fn: Any, out: Path | None) -> None:
    t0 = time.perf_counter()
    try:
        doc[name] = fn()
    except Exception:  # a failed part is recorded and the next one still runs
        doc[name] = {"error": traceback.format_exc()[-3000:]}
    print(f"[{name}] {time.perf_counter() - t0:.1f} s: {json.dumps(doc[name])[:1500]}", flush=True)
    if out is not None:
        out.write_text(json.dumps(doc, indent=1) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,3,10", help="millions of cells, comma separated")
    ap.add_argument("--agreement-size", type=float, default=2.0, help="M cells")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cpu-up-to", type=float, default=3.5, help="M cells: the CPU solver runs up to this size")
    ap.add_argument("--example", default="pbga")
    ap.add_argument("--resolution", type=float, default=1.5, help="the JEDEC run's (1.5: 2.0 M cells for pbga)")
    ap.add_argument("--skip", default="", help="parts to skip: agreement,sizes,jedec_in_process,jedec")
    ap.add_argument(
        "--jedec-solvers", default="column-amg-gpu,column-amg-gpu,column-amg", help="the JEDEC runs, in order"
    )
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    cp = cupy_or_error()
    doc: dict[str, Any] = {
        "benchmark": "column_amg_gpu",
        "targets": {"gpu_10M_cells_solve_s": 0.5, "jedec_pbga_2M_cells_end_to_end_s": 5.0, "agreement_rel": 1e-8},
        "machine": {
            "gpu": gpu_name(),
            "cupy": cp.__version__,
            "cuda_runtime": cp.cuda.runtime.runtimeGetVersion(),
            "numpy": np.__version__,
            "node": platform.node(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "args": {k: str(v) for k, v in vars(args).items()},
    }
    skip = set(args.skip.split(","))
    # Warm-up: CUDA context, kernel compilation, memory pool (not part of any timing).
    st, b, _ = problem(0.05e6)
    gpu_solve(st, b, rtol=1e-6, xp=cp)
    if "agreement" not in skip:
        _part(doc, "agreement", lambda: agreement(cp, args.agreement_size), args.out)
    if "sizes" not in skip:
        for size in (float(s) for s in args.sizes.split(",")):
            _part(doc, f"size_{size:g}M", lambda size=size: one_size(cp, size, args.repeats, args.cpu_up_to), args.out)
    if "jedec_in_process" not in skip:
        _part(doc, "jedec_in_process", lambda: jedec_in_process(cp, args.example, args.resolution), args.out)
    if "jedec" not in skip:
        runs = []
        for solver in args.jedec_solvers.split(","):
            _part(doc, "jedec_run", lambda solver=solver: jedec_cli(args.example, args.resolution, solver), None)
            runs.append(doc.pop("jedec_run"))
        gpu = [r for r in runs if r.get("solver", "column-amg") != "column-amg" and "error" not in r]
        cpu = [r for r in runs if r.get("solver") == "column-amg" and "error" not in r]
        diff = {}
        if gpu and cpu:
            diff = {
                k: abs(gpu[-1][k] - cpu[-1][k]) / abs(cpu[-1][k])
                for k in METRICS
                if isinstance(gpu[-1].get(k), float) and isinstance(cpu[-1].get(k), float)
            }
        doc["jedec"] = {"example": args.example, "resolution": args.resolution, "runs": runs, "metric_rel_diff": diff}
        print(json.dumps(doc["jedec"]), flush=True)
    text = json.dumps(doc, indent=1)
    if args.out is not None:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
