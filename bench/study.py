"""Benchmark: design-study throughput against worker count, and the overhead per point.

Two analyses on the exposed-sink QFN (seed 003): a cheap one (build + package summary
+ laminated-plate warpage, tens of milliseconds) and a thermal one (still air on the
2s2p board at resolution 0.3, a second or more). Each runs

- sequentially in this process (the baseline: no executor, no database),
- on the local process pool with 1 and 2 workers,
- on a local Dask cluster with 2 workers,

each into a fresh DuckDB file. For every run the JSON reports points per minute, the
speed-up over the baseline, and the overhead per point: wall time times workers,
less the analyses' own time, divided by the points. The issue's target: under 5 % of a
1-second analysis, i.e. 0.05 s per point.

Run: ``.venv/bin/python bench/study.py [--cheap 60] [--thermal 8] [--out bench/results/study.json]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from semipack.study.point import evaluate
from semipack.study.runner import DaskExecutor, Executor, PoolExecutor, run_study, tasks_for
from semipack.study.sampling import plan
from semipack.study.spec import Study, study_from_mapping

ROOT = Path(__file__).resolve().parents[1]


def make(points: int, thermal: bool) -> Study:
    return study_from_mapping(
        {
            "name": "bench",
            "base": str(ROOT / "examples" / "exposed_sink_qfn.yaml"),
            "parameters": {
                "die_size": {"range": ["2.5 mm", "4.5 mm"]},
                "sink_thickness": {"range": ["0.15 mm", "0.5 mm"]},
            },
            "sampling": {"method": "lhs", "points": points, "seed": 11},
            "analyses": {"package": {}, "thermal": {"resolution": 0.3}} if thermal else ["package", "warpage"],
            "outputs": ["theta_ja_c_per_w"] if thermal else ["warpage_abs_um"],
        }
    )


def baseline(study: Study) -> dict[str, float]:
    t0 = time.perf_counter()
    compute = 0.0
    pts = plan(study)
    for _, _, task in tasks_for(study, pts):
        compute += evaluate(task).seconds
    wall = time.perf_counter() - t0
    return {"wall_s": wall, "compute_s": compute, "points": len(pts), "points_per_min": 60 * len(pts) / wall}


def timed(study: Study, executor: Executor, label: str, base: dict[str, float]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        try:
            s = run_study(study, Path(tmp) / "b.duckdb", "", executor)
        finally:
            executor.close()
        wall = time.perf_counter() - t0
    overhead = max(0.0, wall * s.workers - s.compute_s) / s.planned
    return {
        "executor": label,
        "workers": s.workers,
        "points": s.planned,
        "failed": s.failed,
        "wall_s": round(wall, 3),
        "compute_s": round(s.compute_s, 3),
        "points_per_min": round(60 * s.planned / wall, 1),
        "speedup_vs_sequential": round(base["wall_s"] / wall, 3),
        "overhead_per_point_s": round(overhead, 4),
        "overhead_vs_1s_analysis": round(overhead / 1.0, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cheap", type=int, default=60)
    ap.add_argument("--thermal", type=int, default=8)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out: dict[str, Any] = {"benchmark": "study", "runs": []}
    for kind, n in (("cheap", args.cheap), ("thermal", args.thermal)):
        study = make(n, kind == "thermal")
        base = baseline(study)
        out["runs"].append({"analysis": kind, "executor": "sequential", **{k: round(v, 3) for k, v in base.items()}})
        for label, ex in (
            ("pool", lambda: PoolExecutor(1)),
            ("pool", lambda: PoolExecutor(2)),
            ("dask-local", lambda: DaskExecutor(workers=2)),
        ):
            out["runs"].append({"analysis": kind, **timed(study, ex(), label, base)})
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
