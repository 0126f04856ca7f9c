"""The thermal comparisons the seeds promise, as a Markdown table (README "What the seeds promise").

Each row builds two designs that differ in one claimed feature and reports the JEDEC
metric that feature should move. Variants without the feature are made with design-file
overrides (a spreader or sink of mould compound is "no spreader / no exposed sink").

Run: ``.venv/bin/python bench/seed_comparisons.py [--resolution 0.7]``
"""

from __future__ import annotations

import argparse
from typing import Any

from semipack.design import build_design
from semipack.thermal import BoardKind, Environment, EnvKind, solve_thermal

STILL = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
TOP = Environment(EnvKind.COLD_PLATE_TOP, BoardKind.NONE)


def _d(family: str, params: dict[str, Any] | None = None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"family": family, "name": family, "parameters": params or {}, "overrides": overrides or {}}


MOLD = {"material": "mold_compound"}
CASES = [
    (
        "000 spreader vs mould cap",
        STILL,
        "theta_JA",
        _d("spreader_bga"),
        _d("spreader_bga", overrides={"spreader*": MOLD}),
    ),
    ("000 concave + bump vs flat", STILL, "theta_JA", _d("spreader_bga", {"concave": True}), _d("spreader_bga")),
    # Without glue the spreader rests on the cured sealant: model the dry contact as a 10 um air gap.
    (
        "000 thermal glue vs dry contact",
        STILL,
        "theta_JA",
        _d("spreader_bga"),
        _d("spreader_bga", {"glue_thickness": "10 um"}, overrides={"glue*": {"material": "air"}}),
    ),
    (
        "003 exposed sink vs fully moulded",
        STILL,
        "theta_JA",
        _d("exposed_sink"),
        _d("exposed_sink", overrides={"sink": MOLD, "connecting_portion": MOLD, "interface_layer": MOLD}),
    ),
    (
        "003 buffer pad vs direct (flip chip)",
        TOP,
        "theta_JC(top)",
        _d(
            "exposed_sink",
            {
                "carrier": "substrate_flip_chip",
                "attachment": "buffer_pad",
                "portion_inset": "0.3 mm",
                "buffer_thickness": "0.1 mm",
            },
        ),
        _d("exposed_sink", {"carrier": "substrate_flip_chip", "attachment": "direct"}),
    ),
    (
        "002 Cu substrate vs organic (FR-4)",
        STILL,
        "theta_JA",
        _d("thinfilm_metal"),
        _d("thinfilm_metal", overrides={"metal_substrate": {"material": "fr4"}}),
    ),
    (
        "004 Cu carrier vs organic (FR-4)",
        STILL,
        "theta_JA",
        _d("cavity_buildup"),
        _d("cavity_buildup", overrides={"carrier": {"material": "fr4"}}),
    ),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resolution", type=float, default=0.7)
    ap.add_argument("--only", default="", help="run the rows whose label contains this text")
    args = ap.parse_args()
    print("| comparison | metric | with the feature (C/W) | without (C/W) | change |")
    print("|---|---|---|---|---|")
    for label, env, metric, a, b in CASES:
        if args.only not in label:
            continue
        vals = []
        for design in (a, b):
            r = solve_thermal(build_design(design), env, resolution=args.resolution)
            vals.append((r.tj_max_k - env.ambient_k) / r.power_w)
        change = (vals[0] - vals[1]) / vals[1]
        print(f"| {label} | {metric} | {vals[0]:.2f} | {vals[1]:.2f} | {change:+.0%} |")


if __name__ == "__main__":
    main()
