"""The exposed-sink package (seed 003) is a QFN, wire-bond BGA or flip-chip BGA plus its claimed features.

Its chip on the die attach, the die paddle, leads and wires of the QFN carrier, the flip-chip
die and bumps, and the sink, interface layer and encapsulant come from the generic families'
part functions (families/parts.py): with the same dimensions the shared parts are the same
solids as `qfn`'s. The claimed features (interface layer, connecting portion, buffer pad)
and their numerals appear only when the design has them.
"""

from __future__ import annotations

from typing import Any

import pytest

from semipack.design import build_design
from semipack.families import exposed_sink_params as exposed_sink
from semipack.families import fcbga
from semipack.families import qfn as qfn_family
from semipack.model import Package, Role


def build(family: str, **params: Any) -> Package:
    return build_design({"family": family, "name": "t", "parameters": params})


def test_qfn_carrier_shares_qfns_parts() -> None:
    """A 7 mm QFN with a 3.5 mm die on a 4 mm paddle, and the exposed-sink QFN carrier of the same stack."""
    qfn = build(
        "qfn",
        body_x="7 mm",
        body_y="7 mm",
        body_height="1.5 mm",
        lead_frame_thickness="0.2 mm",
        die_x="3.5 mm",
        die_y="3.5 mm",
        die_thickness="0.3 mm",
        pad_x="4 mm",
        pad_y="4 mm",
        leads_per_side_x=12,
        leads_per_side_y=12,
    )
    sink = build("exposed_sink", carrier="qfn_lead_frame", body_size="7 mm", die_size="3.5 mm", pads_per_side=12)
    for role in (Role.DIE, Role.DIE_ATTACH):
        (a,) = [b for b in qfn.bodies if b.role is role]
        (b,) = [b for b in sink.bodies if b.role is role]
        assert a.solid == b.solid, role
        assert a.material == b.material
    # The paddle: 3.5 mm + 2 x 0.25 mm margin against qfn's 4 mm (equal up to round-off).
    pa, pb = qfn.body("paddle").solid.bbox, sink.body("die_paddle").solid.bbox
    assert pa.lo == pytest.approx(pb.lo, abs=1e-15) and pa.hi == pytest.approx(pb.hi, abs=1e-15)
    # A lead of each is the same kind of part: full frame thickness from the bottom.
    leads = [b for b in (*qfn.bodies, *sink.bodies) if b.role is Role.LEAD]
    assert {(b.solid.bbox.lo[2], b.solid.bbox.hi[2]) for b in leads} == {(0.0, 0.2e-3)}
    # Each family keeps its own numerals on the shared parts.
    assert qfn.body("die").numeral == qfn_family.Numeral.DIE
    assert sink.body("die").numeral == exposed_sink.Numeral.CHIP


def test_flip_chip_carrier_shares_fcbgas_die_and_bump_parts() -> None:
    """The flip-chip die and bumps: fcbga's part functions, so the same kind of solid, with each family's callouts."""
    fc = build("fcbga", lid=None, capacitors=[])
    sink = build("exposed_sink", carrier="substrate_flip_chip", attachment="direct")
    for pkg, die, bump in ((fc, fcbga.DIE, fcbga.BUMP), (sink, exposed_sink.CHIP, exposed_sink.BUMP)):
        bumps = [b for b in pkg.bodies if b.role is Role.BUMP]
        assert bumps and {(b.numeral, b.label) for b in bumps} == {(bump.numeral, bump.label)}
        assert (pkg.body("die").numeral, pkg.body("die").label) == (die.numeral, die.label)
        # Each bump is cut by the land below and the die face above.
        face = pkg.body("die").solid.bbox.lo[2]
        assert all(b.solid.bbox.hi[2] == pytest.approx(face, abs=1e-12) for b in bumps)


def _numerals(pkg: Package) -> set[object]:
    return {b.numeral for b in pkg.bodies} | {m.numeral for m in pkg.markers}


@pytest.mark.parametrize("carrier", ["substrate_wire_bond", "qfn_lead_frame"])
@pytest.mark.parametrize("attachment", ["connecting_portion", "buffer_pad"])
@pytest.mark.parametrize("interface", ["au", None])
def test_claimed_features_and_numerals_only_when_present(carrier: str, attachment: str, interface: str | None) -> None:
    size = {"body_size": "7 mm", "die_size": "3.5 mm", "pads_per_side": 12} if carrier == "qfn_lead_frame" else {}
    pkg = build("exposed_sink", carrier=carrier, attachment=attachment, interface_material=interface, **size)
    nums = _numerals(pkg)
    n = exposed_sink.Numeral
    assert (n.INTERFACE in nums) == (interface is not None)
    assert (n.CONNECTING_PORTION in nums) == (attachment == "connecting_portion")
    assert (n.BUFFER_PAD in nums) == (attachment == "buffer_pad")
    assert (n.PADDLE in nums) == (n.LEAD in nums) == (carrier == "qfn_lead_frame")
    assert (n.BALL in nums) == (n.SUBSTRATE in nums) == (carrier != "qfn_lead_frame")
    assert {n.SINK, n.CHIP, n.ENCAPSULANT} <= nums  # the sink and the chip are the claimed package itself
