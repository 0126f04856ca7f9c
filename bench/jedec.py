"""Benchmark: ``thermal --jedec`` (all four JEDEC environments) end to end, per example.

Each example runs twice in this process at the default resolution:

- ``kept``: the default, one column-AMG hierarchy kept across the film-coefficient
  iterations (rebuilt when CG needs more than twice the first solve's iterations),
  each solve warm-started from the last field;
- ``fresh`` (the baseline): a new hierarchy for every film-coefficient iteration, as
  before the reuse (forced by a rebuild limit of zero).

The JSON records the machine (CPU model, cores), the load average before and after each
run, the wall time of each, their ratio, the cell count of the theta_JA run and the
largest relative difference of the metrics between the two (the solver tolerance is
1e-8 on the residual, so they must agree far below 1e-6).

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

import semipack.thermal.steady as steady
from semipack.design import load_design
from semipack.thermal import jedec_metrics

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


def timed(name: str, reuse: bool) -> tuple[float, dict[str, Any], list[float], list[float]]:
    factor, floor = steady.REBUILD_FACTOR, steady.REBUILD_MIN_ITERATIONS
    if not reuse:
        steady.REBUILD_FACTOR, steady.REBUILD_MIN_ITERATIONS = 0.0, 0
    try:
        pkg = load_design(ROOT / "examples" / f"{name}.yaml")
        load0 = list(os.getloadavg())
        t0 = time.perf_counter()
        out = jedec_metrics(pkg)
        wall = time.perf_counter() - t0
        return wall, out, load0, list(os.getloadavg())
    finally:
        steady.REBUILD_FACTOR, steady.REBUILD_MIN_ITERATIONS = factor, floor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", default="csp,dfn8,pbga")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "jedec.json")
    args = ap.parse_args()
    rows = []
    for name in args.examples.split(","):
        wall_kept, kept, load_k0, load_k1 = timed(name, reuse=True)
        wall_fresh, fresh, load_f0, load_f1 = timed(name, reuse=False)
        diff = max(
            abs(kept[k] / fresh[k] - 1) for k in METRICS if kept.get(k) is not None and fresh.get(k) not in (None, 0)
        )
        row = {
            "example": name,
            "cells": kept["cells"],
            "wall_s_kept": round(wall_kept, 2),
            "wall_s_fresh": round(wall_fresh, 2),
            "ratio_fresh_over_kept": round(wall_fresh / wall_kept, 3),
            "max_metric_rel_diff": diff,
            "load_kept": [load_k0, load_k1],
            "load_fresh": [load_f0, load_f1],
            **{k: kept[k] for k in METRICS},
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        # Written after every example (temp file, then rename): a long run stopped early keeps what it has.
        doc = {"machine": machine(), "resolution": 1.0, "solver": "column-amg", "runs": rows}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n")
        tmp.replace(args.out)


if __name__ == "__main__":
    main()
