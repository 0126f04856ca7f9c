"""Cases of the refactoring guard (tests/test_builder_identity.py) for the shared build-up wiring
(families/buildup.py), through the two builders that use it (seeds 002 and 004).

Every passive alone and all together, the bus with the fan-out level at the top and below it,
one to four layers, stacked and staggered vias, each terminal, with and without passivation,
compared with fingerprints written by the original (pre-refactor) wiring: see
tests/package_identity.py. The builders' own cases are in identity_thinfilm_metal.py and
identity_cavity_buildup.py.

The reference was made from the original code with ``--write COMMIT`` (see `package_identity.main`);
it refuses to overwrite one.
"""

from __future__ import annotations

import sys

from package_identity import Case, main, variant

FAMILY = "buildup"
_THIN = "thinfilm_metal"
_PASSIVES = ("resistor", "inductor", "capacitor", "waveguide", "filter", "mems")
_ROOMY = {"die_size": "5 mm", "layers": 3, "fanout_level": 2}


def cases() -> list[Case]:
    out: list[Case] = []
    for kind in _PASSIVES:
        out.append((f"passive:{kind}", variant(_THIN, **_ROOMY, passives=[kind])))
    out.append(("passive:all:staggered", variant(_THIN, **_ROOMY, passives=list(_PASSIVES), stacked_vias=False)))
    out.append(("passive:all:small_die", variant(_THIN, die_size="1 mm", pads_per_side=3, passives=list(_PASSIVES))))
    for layers in (1, 2, 3, 4):
        for level in range(1, layers + 1):
            for stacked in (True, False):
                params = {"layers": layers, "fanout_level": level, "stacked_vias": stacked, "bus": True}
                out.append((f"layers={layers}:level={level}:stacked={stacked}", variant(_THIN, **params)))
    for terminal in ("balls", "bumps", "pins"):
        for passivation in (True, False):
            params = {"terminal": terminal, "passivation": passivation, "stacked_vias": False, "layers": 3}
            out.append((f"terminal={terminal}:passivation={passivation}", variant(_THIN, **params)))
    out.append(("group:bus:staggered", variant(_THIN, die_count=2, die_function="same", stacked_vias=False, layers=3)))
    out.append(("too_many_pads", variant(_THIN, pads_per_side=25)))
    out.append(("cavity:staggered:level1", variant("cavity_buildup", stacked_columns=False, trace_level=1, layers=4)))
    return out


if __name__ == "__main__":
    main(FAMILY, cases(), sys.argv[1:])
