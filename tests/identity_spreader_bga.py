"""Cases of the refactoring guard (tests/test_builder_identity.py) for the heat-spreader BGA builder (seed 000).

Every example, wires or tapes with and without concave and glue, strips, other dimensions,
and the inputs the builder refuses, compared with fingerprints written by the original
(pre-refactor) builder: see tests/package_identity.py.

The reference was made from the original code with ``--write COMMIT`` (see `package_identity.main`);
it refuses to overwrite one.
"""

from __future__ import annotations

import sys

from package_identity import Case, examples, main, variant

FAMILY = "spreader_bga"
_SMALL = {"body_size": "17 mm", "die_size": "7 mm", "pads_per_side": 24, "ball_rows": 3, "thermal_balls": 4}

# A second dimension set: a smaller body, other stack heights, no thermal balls.
_ALT = {
    **_SMALL,
    "thermal_balls": 0,
    "substrate_thickness": "0.4 mm",
    "die_thickness": "0.2 mm",
    "attach_thickness": "30 um",
    "loop_height": "0.15 mm",
    "finger_offset": "1 mm",
    "sealant_thickness": "0.6 mm",
    "concave_size": "5 mm",
    "concave_depth": "0.1 mm",
    "bump_clearance": "0.1 mm",
    "glue_thickness": "40 um",
    "spreader_thickness": "0.5 mm",
    "ball_pitch": "0.8 mm",
    "ball_diameter": "0.5 mm",
    "land_diameter": "0.4 mm",
    "die_power": "1.5 W",
}

# Inputs the builder refuses (one per check).
_BAD = {
    "bad_die_size": {"die_size": "25 mm"},
    "bad_ball_pitch": {"ball_pitch": "20 mm", "ball_diameter": "0.6 mm"},
    "bad_ball_diameter": {"ball_diameter": "1 mm"},
    "bad_land_diameter": {"land_diameter": "0.6 mm"},
    "bad_ball_rows": {"ball_rows": 14},
    "bad_thermal_balls": {"thermal_balls": 17},
    "bad_sealant": {"sealant_thickness": "0.5 mm"},
    "bad_concave_size": {"concave": True, "concave_size": "26.5 mm"},
    "bad_concave_depth": {"concave": True, "concave_depth": "0.5 mm"},
    "bad_bump_clearance": {"concave": True, "bump_clearance": "4 mm"},
    "bad_pads_wires": {"pads_per_side": 200},
    "bad_pads_tape": {"signal_transfer": "adhesive_tape", "pads_per_side": 50},
    "bad_ball_count": {"ball_rows": 1, "pads_per_side": 60},
    "bad_glue_material": {"glue_material": "unobtainium"},
}


def cases() -> list[Case]:
    out = examples(FAMILY)
    for transfer in ("wire_bond", "adhesive_tape"):
        for concave in (False, True):
            for glue in (False, True):
                params = {**_SMALL, "signal_transfer": transfer, "concave": concave, "glue": glue}
                out.append((f"{transfer}:concave={concave}:glue={glue}", variant(FAMILY, **params)))
    out.append(("strip2:concave", variant(FAMILY, **_SMALL, strip_units=2, concave=True, saw_street="0.2 mm")))
    out.append(("alt:concave", variant(FAMILY, **_ALT, concave=True)))
    out.append(("alt:tape", variant(FAMILY, **{**_ALT, "signal_transfer": "adhesive_tape", "pads_per_side": 16})))
    out += [(name, variant(FAMILY, **params)) for name, params in _BAD.items()]
    return out


if __name__ == "__main__":
    main(FAMILY, cases(), sys.argv[1:])
