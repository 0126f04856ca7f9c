"""Benchmark: `semipack extract` of every net of the default heat-spreader BGA (456 balls, 160 wires).

Times the whole extraction (pins' paths, PEEC partial inductance of every segment,
the 3D capacitance of every pin, the reduction to pins) and its parts, the peak
resident memory, and, as the baseline run in the same process, the series R/L per
pad path that `semipack parasitics` computes (`electrical.analyse`). Coupling is kept
dense (no cut-off distance): the matrices fit.

Target (issue 23): <= 60 s and <= 4 GiB on the 2-core machine.

Run: ``.venv/bin/python bench/extract.py [--out bench/results/extract.json]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np

from semipack.design import load_design
from semipack.electrical import analyse, peec
from semipack.electrical import capacitance as cap
from semipack.electrical.conductors import Settings
from semipack.electrical.rlgc import extract, loop_inductance, s_parameters
from semipack.electrical.segments import layout, pin_paths, select_nets

ROOT = Path(__file__).resolve().parents[1]


def _timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "extract.json")
    args = ap.parse_args()
    pkg = load_design(ROOT / "examples" / "spreader_bga.yaml")
    _, base_s = _timed(analyse, pkg)
    ext, total_s = _timed(extract, pkg)
    # the parts, again, one by one
    s = Settings()
    paths, paths_s = _timed(pin_paths, pkg, select_nets(pkg, None), s)
    lay, lay_s = _timed(layout, pkg, paths, s)
    _, l_s = _timed(peec.partial_inductance, lay.segs)
    el = cap.elements_from_segments(
        [g for g in lay.segs if not g.owner.startswith("route:")],
        [int(lay.owner_pin[k]) for k, g in enumerate(lay.segs) if not g.owner.startswith("route:")],
        1e-3,
    )
    _, c_s = _timed(cap.maxwell_matrix, cap.merge_overlaps(el, 1.5e-3), len(paths), ext.ground_z_m)
    sub = extract(pkg, ["S2", "S3", "S4"])
    f = np.geomspace(1e7, 1e10, 41)
    _, sp_s = _timed(s_parameters, sub, f)
    rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    loop = loop_inductance(ext)
    sig = ext.signal_rows
    result = {
        "benchmark": "extract every net of examples/spreader_bga.yaml",
        "machine": {
            "node": platform.node(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "note": "2-core sandbox shared with other jobs",
        },
        "pins": len(ext.pins),
        "segments": len(ext.layout.segs),
        "charge_elements": ext.elements,
        "seconds_total": round(total_s, 2),
        "seconds_parts": {
            "pin_paths": round(paths_s, 2),
            "layout": round(lay_s, 2),
            "partial_inductance": round(l_s, 2),
            "capacitance": round(c_s, 2),
            "s_parameters_3_signals_41_freqs": round(sp_s, 2),
        },
        "peak_rss_gib": round(rss_gib, 3),
        "baseline_series_rl_seconds": round(base_s, 3),
        "ratio_to_baseline": round(total_s / base_s, 1),
        "coupling": "dense (no cut-off distance)",
        "target": "<= 60 s and <= 4 GiB on the 2-core machine",
        "met": bool(total_s <= 60 and rss_gib <= 4),
        "values": {
            "l_partial_nh_range": [
                round(float(np.diag(ext.l_h).min()) * 1e9, 3),
                round(float(np.diag(ext.l_h).max()) * 1e9, 3),
            ],
            "l_loop_signal_nh_median": round(float(np.median(np.diag(loop))) * 1e9, 3),
            "c_pf_range": [
                round(float(np.diag(ext.c_f).min()) * 1e12, 4),
                round(float(np.diag(ext.c_f).max()) * 1e12, 4),
            ],
            "r_dc_mohm_median": round(float(np.median(np.diag(ext.r_dc_ohm)[sig])) * 1e3, 2),
            "reference": ext.reference,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
