"""Cases of the refactoring guard (tests/test_builder_identity.py) for the thin-film-on-metal builder (seed 002).

Every example, every substrate style with and without filling for one die and a group,
terminals, other dimensions, and the inputs the builder refuses, compared with fingerprints
written by the original (pre-refactor) builder: see tests/package_identity.py.

The reference was made from the original code with ``--write COMMIT`` (see `package_identity.main`);
it refuses to overwrite one.
"""

from __future__ import annotations

import sys

from package_identity import Case, examples, main, variant

FAMILY = "thinfilm_metal"
_MACHINED = {"substrate_thickness": "0.6 mm"}

# A second dimension set.
_ALT = {
    "die_size": "3.5 mm",
    "die_thickness": "0.2 mm",
    "alt_die_size": "2.5 mm",
    "pads_per_side": 9,
    "cell_size": "7 mm",
    "substrate_thickness": "0.45 mm",
    "cavity_clearance": "80 um",
    "attach_thickness": "30 um",
    "dielectric_thickness": "10 um",
    "metal_thickness": "5 um",
    "terminal_pitch": "0.4 mm",
    "terminal_diameter": "0.25 mm",
    "land_diameter": "0.2 mm",
    "die_power": "2 W",
    "alt_die_power": "0.7 W",
}

# Inputs the builder refuses (one per check).
_BAD = {
    "bad_fanout_level": {"fanout_level": 3},
    "bad_die_size": {"die_size": "7.5 mm"},
    "bad_alt_die_size": {"die_count": 2, "die_function": "different", "alt_die_size": "7.2 mm"},
    "bad_land_diameter": {"land_diameter": "0.5 mm"},
    "bad_via_diameter": {"via_diameter": "70 um"},
    "bad_machined_thickness": {"substrate_style": "machined", "substrate_thickness": "0.4 mm"},
    "bad_filling_material": {"filling_material": "unobtainium"},
}


def cases() -> list[Case]:
    out = examples(FAMILY)
    for style in ("plain", "machined", "punched"):
        for filling in (True, False):
            params = {**_MACHINED, "substrate_style": style, "filling": filling}
            out.append((f"{style}:filling={filling}", variant(FAMILY, **params)))
        group = {**_MACHINED, "substrate_style": style, "die_count": 2, "die_function": "different"}
        out.append((f"{style}:group", variant(FAMILY, **group)))
        out.append(
            (f"{style}:alt", variant(FAMILY, **_ALT, substrate_style=style, die_count=3, die_function="different"))
        )
    for terminal in ("bumps", "pins"):
        params = {
            "terminal": terminal,
            "terminal_diameter": "0.2 mm",
            "land_diameter": "0.15 mm",
            "stacked_vias": False,
        }
        out.append((f"terminal:{terminal}", variant(FAMILY, **params)))
    out.append(("no_bus_no_passivation", variant(FAMILY, bus=False, passivation=False, layers=3, fanout_level=3)))
    out += [(name, variant(FAMILY, **params)) for name, params in _BAD.items()]
    return out


if __name__ == "__main__":
    main(FAMILY, cases(), sys.argv[1:])
