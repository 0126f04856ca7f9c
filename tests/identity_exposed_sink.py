"""Cases of the refactoring guard (tests/test_builder_identity.py) for the exposed-heat-sink builder (seed 003).

Every example, every carrier with every attachment with and without an interface layer,
other dimensions per carrier, and the inputs the builder refuses, compared with fingerprints
written by the original (pre-refactor) builder: see tests/package_identity.py.

The reference was made from the original code with ``--write COMMIT`` (see `package_identity.main`);
it refuses to overwrite one.
"""

from __future__ import annotations

import sys

from package_identity import Case, examples, main, variant

FAMILY = "exposed_sink"
CARRIERS = ("substrate_wire_bond", "substrate_flip_chip", "qfn_lead_frame")
ATTACHMENTS = ("direct", "connecting_portion", "buffer_pad")
_QFN = {"body_size": "7 mm", "die_size": "3.5 mm", "pads_per_side": 12, "loop_height": "0.12 mm"}

# Second dimension sets, one per carrier.
_ALT = {
    "substrate_wire_bond": {
        "body_size": "10 mm",
        "die_size": "5 mm",
        "die_thickness": "0.2 mm",
        "pads_per_side": 12,
        "ball_rows": 2,
        "thermal_balls": 0,
        "ball_pitch": "1 mm",
        "portion_height": "0.35 mm",
        "portion_inset": "0.6 mm",
        "sink_thickness": "0.5 mm",
        "finger_offset": "0.6 mm",
        "first_surface_roughened": True,
        "interface_material": "cr",
    },
    "substrate_flip_chip": {
        "die_size": "4.4 mm",
        "bump_pitch": "0.5 mm",
        "bump_diameter": "0.15 mm",
        "ball_pitch": "1 mm",
        "adhesive_thickness": "50 um",
        "sink_thickness": "0.4 mm",
        "die_power": "5 W",
    },
    "qfn_lead_frame": {
        **_QFN,
        "lead_pitch": "0.4 mm",
        "lead_length": "0.3 mm",
        "lead_width": "0.2 mm",
        "paddle_margin": "0.3 mm",
        "portion_inset": "0.5 mm",
        "buffer_thickness": "0.4 mm",
    },
}

# Inputs the builder refuses (one per check).
_BAD = {
    "bad_die_size": {"die_size": "11.5 mm"},
    "bad_direct_on_wires": {"attachment": "direct"},
    "bad_portion_inset": {"portion_inset": "2.8 mm"},
    "bad_buffer_inset": {"attachment": "buffer_pad", "portion_inset": "2.8 mm"},
    "bad_portion_height": {"portion_height": "0.1 mm"},
    "bad_buffer_thickness": {"attachment": "buffer_pad", "buffer_thickness": "0.1 mm"},
    "bad_pad_pitch": {"pads_per_side": 100},
    "bad_ball_rows": {"ball_rows": 1, "pads_per_side": 30},
    "bad_qfn_lead_pitch": {**_QFN, "carrier": "qfn_lead_frame", "lead_pitch": "8 mm"},
    "bad_qfn_lead_length": {**_QFN, "carrier": "qfn_lead_frame", "lead_length": "1.3 mm"},
    "bad_qfn_pads": {**_QFN, "carrier": "qfn_lead_frame", "pads_per_side": 14},
    "bad_sink_material": {"sink_material": "unobtainium"},
    "bad_interface_material": {"interface_material": "unobtainium"},
}


def cases() -> list[Case]:
    out = examples(FAMILY)
    for carrier in CARRIERS:
        size = _QFN if carrier == "qfn_lead_frame" else {}
        for attachment in ATTACHMENTS:
            for iface in ("au", None):
                params = {**size, "carrier": carrier, "attachment": attachment, "interface_material": iface}
                if iface is None:
                    params["first_surface_roughened"] = True
                out.append((f"{carrier}:{attachment}:{iface}", variant(FAMILY, **params)))
        attachment = "direct" if carrier == "substrate_flip_chip" else "buffer_pad"
        out.append((f"{carrier}:alt", variant(FAMILY, carrier=carrier, attachment=attachment, **_ALT[carrier])))
    out += [(name, variant(FAMILY, **params)) for name, params in _BAD.items()]
    return out


if __name__ == "__main__":
    main(FAMILY, cases(), sys.argv[1:])
