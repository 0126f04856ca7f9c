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

``--mode grid`` compares the grid styles instead (`semipack.thermal.grid.GridStyle`), all
in this process with the default solver and reuse: ``faces`` (the baseline: every face of
every ball and land a plane), ``physics`` (the default) and a reference, ``physics`` at
``--reference-resolution`` (2: about 8x the cells, and balls down to half the size
resolved rather than deposited), with each metric's relative error against the reference.

``--mode constriction`` measures the sub-grid constriction at the ends of smeared balls,
lands, bumps and vias (`semipack.thermal.constriction`): per example, resolution 1 with
it (the default) and without it (the baseline, `raster.CONSTRICTION` off for that run),
and the reference at ``--reference-resolution`` with it, each one's error against the
reference.

``--mode lanes`` measures the set-ups run at once (`semipack.thermal.lanes`): per
example, the default (``workers`` = one per core, at most three) against the baseline of
one lane (``workers=1``, every set-up one after the other), both in this process with the
default cache, with the ratio and the metrics' largest relative difference.

``--mode bottom`` is the mesh study of theta-JC(bottom) alone (the cold plate at the package's
bottom, no board: the set-up where balls, lands and vias carry the heat): per example, the
default resolution and ``--reference-resolution``, cells, theta, wall time and the error
against the reference; ``--label`` names the code measured (a before and an after run of
the same command, each from its own checkout; ``--without-links`` runs the code before
the traces' links, `semipack.thermal.links`; ``--whole-ends`` switches
`constriction.CONTINUE_COVERED` off, ``--resolve-cells`` and ``--fed-resolve-cells`` set
`grid.RESOLVE_CELLS` and `grid.FED_RESOLVE_CELLS`).

``--mode split`` splits the mesh error of theta-JC(bottom): per example, resolution 1, then
the z faces of ``--reference-resolution``'s grid with resolution 1's x-y faces, then the
reverse, with each one's change against resolution 1.

Run: ``PYTHONPATH=src .venv/bin/python bench/jedec.py [--examples pbga,csp] [--out bench/results/jedec.json]``
or ``... bench/jedec.py --mode grid --examples dfn8,csp --out bench/results/jedec_grid.json``
or ``... bench/jedec.py --mode constriction --examples spreader_bga,fcbga_bare --out bench/results/jedec_constriction.json``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import semipack.thermal.constriction as constriction_module
import semipack.thermal.grid as grid_module
import semipack.thermal.raster as raster_module
import semipack.thermal.setup as setup_module
from semipack.design import load_design
from semipack.thermal import jedec_metrics, solve_thermal
from semipack.thermal.environment import BoardKind, Environment, EnvKind
from semipack.thermal.lanes import default_workers
from semipack.thermal.metrics import metrics_of
from semipack.thermal.setup import ThermalCache

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
    out = jedec_metrics(pkg, cache=cache, workers=1)  # one lane: the caches, not the lanes, compared
    wall = time.perf_counter() - t0
    return wall, out, load0, list(os.getloadavg()), cache.setups_built


def styled(name: str, style: grid_module.GridStyle, resolution: float) -> dict[str, Any]:
    """One ``--jedec`` run on the grid of ``style`` (set as the default for this run only)."""
    before = grid_module.DEFAULT_STYLE
    grid_module.DEFAULT_STYLE = style
    try:
        pkg = load_design(ROOT / "examples" / f"{name}.yaml")
        load0 = list(os.getloadavg())
        t0 = time.perf_counter()
        out = jedec_metrics(pkg, resolution=resolution)
        wall = time.perf_counter() - t0
    finally:
        grid_module.DEFAULT_STYLE = before
    return {
        "style": style.value,
        "resolution": resolution,
        "cells": out["cells"],
        "wall_s": round(wall, 2),
        "load": [load0, list(os.getloadavg())],
        **{k: out[k] for k in METRICS},
    }


def with_constriction(name: str, on: bool, resolution: float) -> dict[str, Any]:
    """One ``--jedec`` run with the sub-grid constriction on or off (for this run only)."""
    before = raster_module.CONSTRICTION
    raster_module.CONSTRICTION = on
    try:
        row = styled(name, grid_module.DEFAULT_STYLE, resolution)
    finally:
        raster_module.CONSTRICTION = before
    return {"constriction": on, **row}


def constriction_row(name: str, reference_resolution: float) -> dict[str, Any]:
    """One example: resolution 1 with and without the constriction, and the reference with it."""
    on, off = with_constriction(name, True, 1.0), with_constriction(name, False, 1.0)
    ref = with_constriction(name, True, reference_resolution)
    return {
        "example": name,
        "cells": on["cells"],
        "wall_s_with": on["wall_s"],
        "wall_s_without": off["wall_s"],
        "cells_reference": ref["cells"],
        "error_with": errors(on, ref),
        "error_without": errors(off, ref),
        "runs": [on, off, ref],
    }


def errors(run: dict[str, Any], ref: dict[str, Any]) -> dict[str, float]:
    """Relative error of each theta against the reference run (tj_max as a rise is in theta_ja)."""
    return {k: run[k] / ref[k] - 1 for k in METRICS[1:] if run.get(k) is not None and ref.get(k) not in (None, 0)}


def grid_row(name: str, reference_resolution: float, baseline: bool = True) -> dict[str, Any]:
    """One example: the FACES baseline (unless ``baseline`` is False), PHYSICS, and the reference."""
    physics = styled(name, grid_module.GridStyle.PHYSICS, 1.0)
    row: dict[str, Any] = {"example": name, "cells_physics": physics["cells"], "wall_s_physics": physics["wall_s"]}
    runs = [physics]
    faces = styled(name, grid_module.GridStyle.FACES, 1.0) if baseline else None
    if faces is not None:
        runs.append(faces)
        row.update(
            cells_faces=faces["cells"],
            wall_s_faces=faces["wall_s"],
            ratio_faces_over_physics=round(faces["wall_s"] / physics["wall_s"], 3),
        )
    if reference_resolution > 0:
        ref = styled(name, grid_module.GridStyle.PHYSICS, reference_resolution)
        runs.append(ref)
        row["cells_reference"] = ref["cells"]
        for label, run in (("physics", physics), ("faces", faces)):
            if run is not None:
                row[f"error_{label}"] = errors(run, ref)
                row[f"max_abs_error_{label}"] = max(abs(v) for v in row[f"error_{label}"].values())
    row["runs"] = runs
    return row


def lanes_row(name: str) -> dict[str, Any]:
    """One example: one lane (the baseline) and the default lanes, timed in this process."""
    pkg = load_design(ROOT / "examples" / f"{name}.yaml")
    runs = {}
    for label, workers in (("one_lane", 1), ("default", None)):
        load0 = list(os.getloadavg())
        t0 = time.perf_counter()
        out = jedec_metrics(pkg, workers=workers)
        runs[label] = (time.perf_counter() - t0, out, [load0, list(os.getloadavg())])
    (w1, one, l1), (wd, dflt, ld) = runs["one_lane"], runs["default"]
    return {
        "example": name,
        "cells": dflt["cells"],
        "workers": default_workers(),
        "wall_s": round(wd, 2),
        "wall_s_one_lane": round(w1, 2),
        "ratio_one_lane_over_default": round(w1 / wd, 3),
        "max_metric_rel_diff": max(
            abs(dflt[k] / one[k] - 1) for k in METRICS if dflt.get(k) is not None and one.get(k) not in (None, 0)
        ),
        "load": ld,
        "load_one_lane": l1,
        **{k: dflt[k] for k in METRICS},
    }


def bottom_row(name: str, reference_resolution: float) -> dict[str, Any]:
    """One example's theta-JC(bottom) at resolution 1 and at the reference resolution."""
    pkg = load_design(ROOT / "examples" / f"{name}.yaml")
    env = Environment(kind=EnvKind.COLD_PLATE_BOTTOM, board=BoardKind.NONE)
    runs = []
    for res in (1.0, reference_resolution):
        t0 = time.perf_counter()
        r = solve_thermal(pkg, env, resolution=res, max_cells=30_000_000, max_memory=20e9)
        theta = metrics_of(r)["theta_jc_bottom_c_per_w"]
        runs.append({"resolution": res, "cells": r.grid.cells, "theta_jc_bottom_c_per_w": theta})
        runs[-1]["wall_s"] = round(time.perf_counter() - t0, 2)
    return {"example": name, "runs": runs, "error": runs[0]["theta_jc_bottom_c_per_w"] / theta - 1}


def split_row(name: str, reference_resolution: float) -> dict[str, Any]:
    """theta-JC(bottom) at resolution 1 and with one axis group refined: the z faces of the
    reference resolution's grid with resolution 1's x-y, then the reverse (which part of the
    mesh error is whose)."""
    pkg = load_design(ROOT / "examples" / f"{name}.yaml")
    env = Environment(kind=EnvKind.COLD_PLATE_BOTTOM, board=BoardKind.NONE)
    make = setup_module.make_grid
    out: dict[str, Any] = {"example": name}
    try:
        for key, xy_res, z_res in (
            ("base", 1.0, 1.0),
            ("z", 1.0, reference_resolution),
            ("xy", reference_resolution, 1.0),
        ):

            def mixed(p: Any, resolution: float = 1.0, _xy: float = xy_res, _z: float = z_res, **kw: Any) -> Any:
                return replace(make(p, _xy, **kw), z=make(p, _z, **kw).z)

            setup_module.make_grid = mixed
            r = solve_thermal(pkg, env, resolution=1.0, max_cells=30_000_000, max_memory=20e9)
            out[key] = {"cells": r.grid.cells, "theta_jc_bottom_c_per_w": metrics_of(r)["theta_jc_bottom_c_per_w"]}
    finally:
        setup_module.make_grid = make
    base = out["base"]["theta_jc_bottom_c_per_w"]
    out["z_refined_change"] = out["z"]["theta_jc_bottom_c_per_w"] / base - 1
    out["xy_refined_change"] = out["xy"]["theta_jc_bottom_c_per_w"] / base - 1
    return out


def write(out: Path, doc: dict[str, Any]) -> None:
    """Written after every example (temp file, then rename): a long run stopped early keeps what it has."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    tmp.replace(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", default="dfn8,pbga,spreader_bga")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "jedec.json")
    ap.add_argument("--mode", choices=("reuse", "grid", "constriction", "lanes", "bottom", "split"), default="reuse")
    ap.add_argument("--label", default="", help="bottom mode: the code measured (recorded as given)")
    ap.add_argument(
        "--reference-resolution",
        type=float,
        default=2.0,
        help="grid, constriction and bottom modes; grid mode: 0 for no reference run",
    )
    ap.add_argument(
        "--no-baseline", action="store_true", help="grid mode: skip the FACES run (examples it takes minutes on)"
    )
    ap.add_argument(
        "--without-links",
        action="store_true",
        help="oblique traces as conductivities along their direction (raster.LINKS off: the code before the links)",
    )
    ap.add_argument(
        "--whole-ends",
        action="store_true",
        help="an end a narrower conductor covers in part is constricted whole into the medium "
        "(constriction.CONTINUE_COVERED off: the code before 2026-11-29's twelfth session)",
    )
    ap.add_argument(
        "--resolve-cells",
        type=float,
        default=grid_module.RESOLVE_CELLS,
        help="target cells a ball or cylinder must span to be resolved (grid.RESOLVE_CELLS)",
    )
    ap.add_argument(
        "--fed-resolve-cells",
        type=float,
        default=grid_module.FED_RESOLVE_CELLS,
        help="the same for pads fed at a point (grid.FED_RESOLVE_CELLS; 0.75 for the grids before them)",
    )
    args = ap.parse_args()
    raster_module.LINKS = not args.without_links
    grid_module.FED_RESOLVE_CELLS = args.fed_resolve_cells
    constriction_module.CONTINUE_COVERED = not args.whole_ends
    grid_module.RESOLVE_CELLS = args.resolve_cells
    rows = []
    if args.mode == "bottom":
        for name in args.examples.split(","):
            rows.append(bottom_row(name, args.reference_resolution))
            print(json.dumps(rows[-1]), flush=True)
            doc = {
                "machine": machine(),
                "mode": "bottom",
                "label": args.label,
                "solver": "column-amg",
                "continue_covered": not args.whole_ends,
                "resolve_cells": args.resolve_cells,
                "fed_resolve_cells": args.fed_resolve_cells,
                "rows": rows,
            }
            write(args.out, doc)
        return
    if args.mode == "split":
        for name in args.examples.split(","):
            rows.append(split_row(name, args.reference_resolution))
            print(json.dumps(rows[-1]), flush=True)
            write(args.out, {"machine": machine(), "mode": "split", "label": args.label, "rows": rows})
        return
    if args.mode == "lanes":
        jedec_metrics(load_design(ROOT / "examples" / "stack_user.yaml"), resolution=0.3)
        for name in args.examples.split(","):
            rows.append(lanes_row(name))
            print(json.dumps(rows[-1]), flush=True)
            write(args.out, {"machine": machine(), "mode": "lanes", "solver": "column-amg", "rows": rows})
        return
    if args.mode == "constriction":
        jedec_metrics(load_design(ROOT / "examples" / "stack_user.yaml"), resolution=0.3)
        for name in args.examples.split(","):
            rows.append(constriction_row(name, args.reference_resolution))
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "runs"}), flush=True)
            write(args.out, {"machine": machine(), "mode": "constriction", "solver": "column-amg", "rows": rows})
        return
    if args.mode == "grid":
        # One untimed run first, so that the first timed one does not pay the imports and caches.
        jedec_metrics(load_design(ROOT / "examples" / "stack_user.yaml"), resolution=0.3)
        for name in args.examples.split(","):
            rows.append(grid_row(name, args.reference_resolution, baseline=not args.no_baseline))
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "runs"}), flush=True)
            write(args.out, {"machine": machine(), "mode": "grid", "solver": "column-amg", "rows": rows})
        return
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
        write(
            args.out,
            {
                "machine": machine(),
                "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
                "resolution": 1.0,
                "solver": "column-amg",
                "runs": rows,
            },
        )


if __name__ == "__main__":
    main()
