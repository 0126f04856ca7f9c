"""Benchmark: ``thermal --jedec`` (all four JEDEC environments) end to end, per example.

Each example runs twice in this process at the default resolution:

- ``kept``: the default, one `ThermalCache` for the four set-ups: the grid, raster,
  exterior and column-AMG hierarchy of a fixture are built once and serve both set-ups
  on it (still air and the ring cold plate on the 2s2p board; the top and bottom cold
  plates without a board), the hierarchy rebuilt when the operator's diagonal moves
  more than 1.5x or CG needs more than twice its first solve's iterations, and each
  solve warm-started (Ritz-scaled) from the last field where that beats zero;
- ``fresh`` (the baseline, the path before the cache): every set-up built from nothing
  (``ThermalCache(max_setups=0)``); its film iterations still share one hierarchy.

The JSON records the machine (CPU model, cores), the load average before and after each
run, the wall time of each, their ratio, the set-ups built, the cell count of the
theta_JA run and the largest relative difference of the metrics between the two (the
solver tolerance is 1e-8 on the residual, so they must agree far below 1e-6).

Run: ``PYTHONPATH=src .venv/bin/python bench/jedec.py [--examples pbga,csp] [--out bench/results/jedec.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from semipack.design import load_design
from semipack.thermal import jedec_metrics
from semipack.thermal.steady import ThermalCache

ROOT = Path(__file__).resolve().parents[1]
METRICS = ("tj_max_c", "theta_ja_c_per_w", "theta_jc_top_c_per_w", "theta_jc_bottom_c_per_w", "theta_jb_c_per_w")


def machine() -> dict[str, Any]:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


def timed(name: str, reuse: bool) -> tuple[float, dict[str, Any], list[float], list[float], int]:
    cache = ThermalCache() if reuse else ThermalCache(max_setups=0)
    pkg = load_design(ROOT / "examples" / f"{name}.yaml")
    load0 = list(os.getloadavg())
    t0 = time.perf_counter()
    out = jedec_metrics(pkg, cache=cache)
    wall = time.perf_counter() - t0
    return wall, out, load0, list(os.getloadavg()), cache.setups_built


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", default="dfn8,pbga,spreader_bga")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "jedec.json")
    args = ap.parse_args()
    rows = []
    for name in args.examples.split(","):
        wall_fresh, fresh, load_f0, load_f1, built_f = timed(name, reuse=False)
        wall_kept, kept, load_k0, load_k1, built_k = timed(name, reuse=True)
        diff = max(
            abs(kept[k] / fresh[k] - 1) for k in METRICS if kept.get(k) is not None and fresh.get(k) not in (None, 0)
        )
        row = {
            "example": name,
            "cells": kept["cells"],
            "wall_s_kept": round(wall_kept, 2),
            "wall_s_fresh": round(wall_fresh, 2),
            "ratio_fresh_over_kept": round(wall_fresh / wall_kept, 3),
            "setups_built_kept": built_k,
            "setups_built_fresh": built_f,
            "max_metric_rel_diff": diff,
            "load_kept": [load_k0, load_k1],
            "load_fresh": [load_f0, load_f1],
            **{k: kept[k] for k in METRICS},
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        # Written after every example (temp file, then rename): a long run stopped early keeps what it has.
        doc = {
            "machine": machine(),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
            "resolution": 1.0,
            "solver": "column-amg",
            "runs": rows,
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n")
        tmp.replace(args.out)


if __name__ == "__main__":
    main()
