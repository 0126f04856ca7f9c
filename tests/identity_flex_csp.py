"""Cases of the refactoring guard (tests/test_builder_identity.py) for the folded-flex CSP builder (seed 001).

Every example, every figure with a CCD sensor and an IR-cut glass and with a second set of
dimensions, and the inputs the builder refuses, compared with fingerprints written by the
original (pre-refactor) builder: see tests/package_identity.py.

The reference was made from the original code with ``--write COMMIT`` (see `package_identity.main`);
it refuses to overwrite one.
"""

from __future__ import annotations

import sys

from package_identity import Case, examples, main, variant

FAMILY = "flex_csp"

# A second set of dimensions: odd ball rows (a row on the axis), fewer pads, other stack heights.
_ALT = {
    "die_x": "6 mm",
    "die_y": "4.6 mm",
    "die_thickness": "0.25 mm",
    "ground_thickness": "0.12 mm",
    "window_x": "4 mm",
    "window_y": "3 mm",
    "sensor_pads_per_side": 5,
    "memory_x": "5.2 mm",
    "memory_y": "4.1 mm",
    "memory_thickness": "0.08 mm",
    "third_memory_x": "3.4 mm",
    "third_memory_y": "2.2 mm",
    "memory_pads_per_side": 3,
    "bump_standoff": "0.05 mm",
    "film_thickness": "0.02 mm",
    "conductor_thickness": "0.018 mm",
    "adhesive_thickness": "0.03 mm",
    "edge_protrusion": "0.2 mm",
    "glass_thickness": "0.3 mm",
    "ball_pitch": "0.4 mm",
    "ball_diameter": "0.25 mm",
    "land_diameter": "0.2 mm",
    "die_power": "0.3 W",
    "memory_power": "0.02 W",
}

# Inputs the builder refuses (one per check), and one edge it accepts.
_BAD = {
    "bad_window": {"window_x": "4.6 mm"},
    "bad_protrusion": {"edge_protrusion": "0.45 mm"},
    "bad_memory_fig2": {"embodiment": "fig2", "memory_x": "5.2 mm"},
    "bad_ground_fig7": {"embodiment": "fig7", "ground_thickness": "0.35 mm"},
    "bad_third_fig6": {"embodiment": "fig6", "third_memory_x": "4.2 mm"},
    "bad_pitch": {"ball_pitch": "1.5 mm"},
    "bad_pitch_fig6": {"embodiment": "fig6", "ball_pitch": "0.8 mm"},
    "bad_glass_material": {"glass_material": "unobtainium"},
    "bad_film_material": {"embodiment": "fig4", "film_material": "unobtainium"},
    # Not refused: the thinnest stack still bends (the bend check cannot fail with the stack in it).
    "thin_stack_fig1": {"bump_standoff": "1 um", "film_thickness": "0.1 mm", "adhesive_thickness": "1 um"},
}


def cases() -> list[Case]:
    out = examples(FAMILY)
    # The examples are FIG. 1 to 7 with a CMOS sensor and a plain glass (and FIG. 1 with both others).
    for fig in range(1, 8):
        params = {"embodiment": f"fig{fig}", "sensor_type": "ccd", "glass_material": "ircut_glass"}
        out.append((f"fig{fig}:ccd:ircut_glass", variant(FAMILY, **params)))
        out.append((f"fig{fig}:alt", variant(FAMILY, embodiment=f"fig{fig}", **_ALT)))
    out += [(name, variant(FAMILY, **params)) for name, params in _BAD.items()]
    return out


if __name__ == "__main__":
    main(FAMILY, cases(), sys.argv[1:])
