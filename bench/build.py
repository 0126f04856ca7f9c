"""Benchmark: time to load, build and validate every example design.

Target (issue 2): every example builds in under a second on the CI machine. The
baseline, run in the same process, is the same build with validation switched off,
so the JSON also shows what validation costs (ratio = validated / unvalidated).

Run: ``.venv/bin/python bench/build.py [--repeat 3] [--out bench/build.json]``
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import semipack.model.package as package_module
from semipack.design.loader import build_design, read_yaml
from semipack.model import Package

ROOT = Path(__file__).resolve().parents[1]


def _time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    rows = []
    original = package_module.Package.__post_init__
    for f in sorted((ROOT / "examples").glob("*.yaml")):
        data = read_yaml(f)
        full = _time(partial(build_design, data, str(f)), args.repeat)
        package_module.Package.__post_init__ = lambda self: None  # type: ignore[method-assign]
        try:
            bare = _time(partial(build_design, data, str(f)), args.repeat)
        finally:
            package_module.Package.__post_init__ = original  # type: ignore[method-assign]
        pkg: Package = build_design(data, str(f))
        rows.append(
            {
                "example": f.stem,
                "bodies": len(pkg.bodies),
                "build_s": round(full, 4),
                "unvalidated_s": round(bare, 4),
                "ratio_vs_unvalidated": round(full / bare, 2),
            }
        )
    worst = max(r["build_s"] for r in rows)
    doc = {"benchmark": "build", "target_s": 1.0, "max_build_s": worst, "meets_target": worst < 1.0, "examples": rows}
    text = json.dumps(doc, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
