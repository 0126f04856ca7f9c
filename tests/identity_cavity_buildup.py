"""Cases of the refactoring guard (tests/test_builder_identity.py) for the cavity build-up builder (seed 004).

Every example, blind cavity or through-opening, recessed and proud dies (refused), stacked
and staggered columns, each trace level, terminals, solder mask on and off, other
dimensions, and the inputs the builder refuses, compared with fingerprints written by the
original (pre-refactor) builder: see tests/package_identity.py.

The reference was made from the original code with ``--write COMMIT`` (see `package_identity.main`);
it refuses to overwrite one.
"""

from __future__ import annotations

import sys

from package_identity import Case, examples, main, variant

FAMILY = "cavity_buildup"

# A second dimension set: a larger body, more layers, other column and terminal sizes.
_ALT = {
    "body_size": "12 mm",
    "carrier_thickness": "0.8 mm",
    "cavity_clearance": "80 um",
    "die_size": "6 mm",
    "die_thickness": "0.4 mm",
    "attach_thickness": "30 um",
    "pads_per_side": 9,
    "layers": 4,
    "dielectric_thickness": "25 um",
    "metal_thickness": "12 um",
    "column_diameter": "50 um",
    "capture_diameter": "90 um",
    "trace_width": "30 um",
    "mask_thickness": "15 um",
    "terminal_pitch": "0.8 mm",
    "terminal_diameter": "0.45 mm",
    "land_diameter": "0.35 mm",
    "die_power": "3 W",
}

# Inputs the builder refuses (one per check).
_BAD = {
    "bad_trace_level": {"trace_level": 4},
    "bad_die_size": {"die_size": "9 mm"},
    "bad_floor": {"carrier_thickness": "0.4 mm"},
    "bad_through_recess": {"covers_back_and_sides": False, "recess_offset": "0.4 mm"},
    "bad_pads_per_side": {"pads_per_side": 40},
    "bad_carrier_material": {"carrier_material": "unobtainium"},
    "bad_mask_material": {"mask_material": "unobtainium"},
}


def cases() -> list[Case]:
    out = examples(FAMILY)
    for blind in (True, False):
        for stacked in (True, False):
            params = {"covers_back_and_sides": blind, "stacked_columns": stacked}
            out.append((f"blind={blind}:stacked={stacked}", variant(FAMILY, **params)))
    # A die recessed below or standing above the carrier surface: the package check refuses both.
    for recess in ("20 um", "-20 um"):
        out.append((f"recess={recess}", variant(FAMILY, recess_offset=recess)))
    for level in (1, 2, 3):
        for stacked in (True, False):
            params = {"trace_level": level, "stacked_columns": stacked}
            out.append((f"level={level}:stacked={stacked}", variant(FAMILY, **params)))
    for terminal in ("balls", "bumps", "pins"):
        out.append((f"terminal:{terminal}", variant(FAMILY, terminal=terminal, solder_mask=False)))
    out.append(("one_layer", variant(FAMILY, layers=1)))
    out.append(("alt", variant(FAMILY, **_ALT)))
    out.append(("alt:staggered:level2", variant(FAMILY, **_ALT, stacked_columns=False, trace_level=2)))
    out += [(name, variant(FAMILY, **params)) for name, params in _BAD.items()]
    return out


if __name__ == "__main__":
    main(FAMILY, cases(), sys.argv[1:])
