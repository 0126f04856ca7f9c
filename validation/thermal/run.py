"""Compare semipack's JEDEC thermal metrics with the published packages in published.yaml.

For every package with a design file: build it, run the JEDEC set (`jedec_metrics`:
still air on the 2s2p board, top and bottom cold plates, ring cold plate) at the given
resolution and 1 W, plus a still-air run on the 1s board when a 1s theta-JA is
published, and print one Markdown table: package, metric, published, computed, error %.
Then the median |error| over every compared metric, the worst theta-JA error, and the
NEC 21 mm FCBGA trend (theta-JA at the 3.03 mm die over the 8.15 mm die, computed
against published). A design that does not build is listed with its error.

    .venv/bin/python validation/thermal/run.py                     # resolution 1
    .venv/bin/python validation/thermal/run.py --resolution 0.5 --json out.json
    .venv/bin/python validation/thermal/run.py --only nec_fcbga21 --skip-1s
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from semipack.design import load_design
from semipack.thermal.environment import BoardKind, Environment, EnvKind
from semipack.thermal.metrics import jedec_metrics, metrics_of
from semipack.thermal.steady import solve_thermal

HERE = Path(__file__).resolve().parent
POWER_W = 1.0  # defaults.md D1

# published key -> (run, key in semipack's metric dict)
METRICS: dict[str, tuple[str, str]] = {
    "theta_ja_2s2p_c_per_w": ("jedec", "theta_ja_c_per_w"),
    "theta_ja_1s_c_per_w": ("1s", "theta_ja_c_per_w"),
    "theta_jc_top_c_per_w": ("jedec", "theta_jc_top_c_per_w"),
    "theta_jc_bottom_c_per_w": ("jedec", "theta_jc_bottom_c_per_w"),
    "theta_jb_c_per_w": ("jedec", "theta_jb_c_per_w"),
    "psi_jt_c_per_w": ("jedec", "psi_jt_c_per_w"),
    "psi_jb_c_per_w": ("jedec", "psi_jb_c_per_w"),
}
LABEL = {
    "theta_ja_2s2p_c_per_w": "theta-JA 2s2p",
    "theta_ja_1s_c_per_w": "theta-JA 1s",
    "theta_jc_top_c_per_w": "theta-JC top",
    "theta_jc_bottom_c_per_w": "theta-JC bottom",
    "theta_jb_c_per_w": "theta-JB",
    "psi_jt_c_per_w": "Psi-JT",
    "psi_jb_c_per_w": "Psi-JB",
}


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and math.isfinite(float(v)) else None


def run_package(entry: dict[str, Any], resolution: float, skip_1s: bool) -> dict[str, Any]:
    """Solve one package; returns its rows and timings (or the build/solve error)."""
    out: dict[str, Any] = {"id": entry["id"], "family": entry["family"], "design": entry["design"], "rows": []}
    t0 = time.perf_counter()
    try:
        pkg = load_design(HERE / entry["design"])
    except Exception as exc:  # a design that semipack refuses is a finding, not a crash
        out["error"] = f"build: {exc}"
        return out
    published = {k: _num(v) for k, v in (entry.get("metrics") or {}).items()}
    runs: dict[str, dict[str, Any]] = {}
    try:
        runs["jedec"] = jedec_metrics(pkg, resolution=resolution, power_w=POWER_W)
        if published.get("theta_ja_1s_c_per_w") is not None and not skip_1s:
            r1 = solve_thermal(
                pkg, Environment(EnvKind.STILL_AIR, BoardKind.ONE_S), resolution=resolution, power_w=POWER_W
            )
            runs["1s"] = metrics_of(r1)
    except Exception as exc:
        out["error"] = f"solve: {exc}"
        return out
    out["seconds"] = time.perf_counter() - t0
    out["cells"] = runs["jedec"].get("cells")
    out["computed"] = {k: _num(v) for k, v in runs["jedec"].items() if k in {m for _, m in METRICS.values()}}
    for key, pub in published.items():
        if key not in METRICS or pub is None:
            continue
        run, ckey = METRICS[key]
        comp = _num(runs[run].get(ckey)) if run in runs else None
        err = None if comp is None or pub == 0 else 100.0 * (comp - pub) / pub
        out["rows"].append(
            {
                "metric": key,
                "published": pub,
                "computed": comp,
                "error_pct": err,
                "note": "1s run skipped" if run == "1s" and run not in runs else "",
            }
        )
    return out


def _fmt(v: float | None, nd: int = 2) -> str:
    return "-" if v is None else f"{v:.{nd}f}"


def report(
    results: list[dict[str, Any]], trends: list[dict[str, Any]], resolution: float, wall_s: float
) -> dict[str, Any]:
    """Print the Markdown table and summary; return the summary for the JSON file."""
    print(f"## semipack vs published JEDEC metrics (resolution {resolution}, {POWER_W:g} W, wall {wall_s:.0f} s)\n")
    print("| package | metric | published (C/W) | computed (C/W) | error % |")
    print("|---|---|---|---|---|")
    errs: list[float] = []
    ja: list[tuple[float, str]] = []
    for r in results:
        if "error" in r:
            print(f"| {r['id']} | (not computed) | | | {r['error'].splitlines()[0]} |")
            continue
        for row in r["rows"]:
            e = row["error_pct"]
            print(
                f"| {r['id']} | {LABEL[row['metric']]} | {_fmt(row['published'])} | {_fmt(row['computed'])} | "
                f"{'-' if e is None else f'{e:+.1f}'}{' ' + row['note'] if row['note'] else ''} |"
            )
            if e is not None:
                errs.append(abs(e))
                if row["metric"].startswith("theta_ja"):
                    ja.append((e, f"{r['id']} {LABEL[row['metric']]}"))
    summary: dict[str, Any] = {
        "resolution": resolution,
        "power_w": POWER_W,
        "wall_s": wall_s,
        "metrics_compared": len(errs),
    }
    print()
    if errs:
        summary["median_abs_error_pct"] = statistics.median(errs)
        print(f"- median |error| over {len(errs)} metrics: {summary['median_abs_error_pct']:.1f} %")
        ja_only = [abs(e) for e, _ in ja]
        summary["median_abs_theta_ja_error_pct"] = statistics.median(ja_only) if ja_only else None
        if ja:
            worst = max(ja, key=lambda t: abs(t[0]))
            summary["worst_theta_ja"] = {"error_pct": worst[0], "where": worst[1]}
            print(
                f"- median |error| of theta-JA: {summary['median_abs_theta_ja_error_pct']:.1f} %; "
                f"worst theta-JA error: {worst[0]:+.1f} % ({worst[1]})"
            )
    by_id = {r["id"]: r for r in results}
    summary["trends"] = []
    for t in trends:
        ratio = t.get("ratio") or {}
        num, den = by_id.get(ratio.get("numerator", "")), by_id.get(ratio.get("denominator", ""))
        pts = []
        for p in t["points"]:
            pid = Path(p["design"]).stem
            c = (by_id.get(pid) or {}).get("computed", {}).get("theta_ja_c_per_w")
            pts.append({"die_mm": p["die_mm"], "published": p["theta_ja_2s2p_c_per_w"], "computed": c})
        comp_ratio = None
        if num and den and "computed" in num and "computed" in den:
            a, b = num["computed"].get("theta_ja_c_per_w"), den["computed"].get("theta_ja_c_per_w")
            comp_ratio = a / b if a and b else None
        summary["trends"].append(
            {"id": t["id"], "points": pts, "published_ratio": ratio.get("published"), "computed_ratio": comp_ratio}
        )
        print(
            f"- {t['id']}: theta-JA vs die "
            + ", ".join(f"{p['die_mm']} mm {p['published']:g}/{_fmt(p['computed'], 1)}" for p in pts)
            + " (published/computed C/W); "
            f"ratio {ratio.get('numerator')}/{ratio.get('denominator')}: published {ratio.get('published')}, "
            f"computed {_fmt(comp_ratio, 3)}"
        )
    failed = [r["id"] for r in results if "error" in r]
    if failed:
        print(f"- not computed: {', '.join(failed)}")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resolution", type=float, default=1.0, help="semipack grid resolution (default 1)")
    ap.add_argument("--json", type=Path, help="write results and summary to this JSON file")
    ap.add_argument("--only", default="", help="comma-separated id prefixes to run")
    ap.add_argument("--skip-1s", action="store_true", help="skip the extra still-air run on the 1s board")
    ap.add_argument("--published", type=Path, default=HERE / "published.yaml")
    a = ap.parse_args(argv)
    data = yaml.safe_load(a.published.read_text())
    prefixes = [s for s in a.only.split(",") if s]
    entries = [
        p
        for p in data["packages"]
        if p.get("design") and (not prefixes or any(p["id"].startswith(s) for s in prefixes))
    ]
    t0 = time.perf_counter()
    results = []
    for e in entries:
        r = run_package(e, a.resolution, a.skip_1s)
        status = "ERROR " + r["error"].splitlines()[0] if "error" in r else f"{r['seconds']:.1f} s, {r['cells']} cells"
        print(f"{e['id']}: {status}", file=sys.stderr, flush=True)
        results.append(r)
    wall = time.perf_counter() - t0
    summary = report(results, data.get("trends", []), a.resolution, wall)
    if a.json:
        a.json.write_text(json.dumps({"summary": summary, "packages": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
