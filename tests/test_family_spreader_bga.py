"""The heat-spreader BGA (seed 000) is a generic PBGA plus its claimed features.

Its die, adhesive layer, sealant (mould cap), spreader, ball lands and balls come from the
same part functions as `pbga`'s (families/parts.py): with the same dimensions they are the
same solids. Its claimed features (glue, concave with the spreader's bump) and their
numerals appear only when the design has them; so does `pbga`'s optional spreader.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from semipack.design import build_design
from semipack.families import pbga as pbga_family
from semipack.families import spreader_bga
from semipack.families.laminate import Stackup, thickness
from semipack.model import Package, Role

T_SUB = thickness(Stackup())  # pbga's default 4-layer substrate; the spreader BGA gets the same height


def build(family: str, **params: Any) -> Package:
    return build_design({"family": family, "name": "t", "parameters": params})


def _pair() -> tuple[Package, Package]:
    """A 27 mm PBGA with a 10 mm die and a flat copper spreader, and the spreader BGA with none of its claims' options."""
    pbga = build(
        "pbga",
        body_x="27 mm",
        body_y="27 mm",
        dies=[{"size_x": "10 mm", "size_y": "10 mm", "thickness": "0.3 mm"}],
        mold_thickness="0.8 mm",
        ball_rows=5,
        spreader={"thickness": "0.3 mm", "material": "cu_rolled"},
    )
    bare = build("spreader_bga", substrate_thickness=f"{T_SUB!r} m", glue=False, concave=False)
    return pbga, bare


def _solids(pkg: Package, role: Role) -> list[object]:
    return [b.solid for b in pkg.bodies if b.role is role]


def test_shared_parts_are_the_same_solids() -> None:
    pbga, bare = _pair()
    for role in (Role.DIE, Role.DIE_ATTACH, Role.SEALANT, Role.HEAT_SPREADER):
        assert _solids(pbga, role) == _solids(bare, role), role
        assert len(_solids(bare, role)) == 1
    # The ball lands and balls on the sites both grids have (pbga's pin-out is its own).
    balls = {b.name: b.solid for b in pbga.bodies if b.name.startswith(("ball_", "land_"))}
    other = {b.name: b.solid for b in bare.bodies if b.name.startswith(("ball_", "land_"))}
    common = set(balls) & set(other)
    assert len(common) >= 2 * 400
    # pbga's lands fill its bottom solder mask's openings up to the copper; the spreader
    # BGA's smeared laminate has no mask, so its lands stop at the substrate's face.
    mask = Stackup().solder_mask_thickness or 0.0
    assert mask > 0
    lifted = {n: replace(s, z1=s.z1 - mask) if n.startswith("land_") else s for n, s in balls.items()}
    assert all(lifted[n] == other[n] for n in common)


def test_the_shared_parts_carry_each_familys_numerals() -> None:
    pbga, bare = _pair()
    assert pbga.body("die").numeral == pbga_family.Numeral.DIE
    assert bare.body("die").numeral == spreader_bga.Numeral.DIE
    assert bare.body("die_attach").label == "adhesive layer"
    assert pbga.body("spreader").numeral == pbga_family.Numeral.SPREADER
    assert bare.body("spreader").numeral == spreader_bga.Numeral.SPREADER
    assert bare.body("spreader").label == "heat-spreading device"


def _numerals(pkg: Package) -> set[object]:
    return {b.numeral for b in pkg.bodies} | {m.numeral for m in pkg.markers}


def test_pbga_spreader_numeral_only_with_a_spreader() -> None:
    assert pbga_family.Numeral.SPREADER not in _numerals(build("pbga"))
    assert pbga_family.Numeral.SPREADER in _numerals(build("pbga", spreader={}))


@pytest.mark.parametrize(("glue", "concave"), [(False, False), (True, False), (False, True), (True, True)])
def test_claimed_features_and_numerals_only_when_present(glue: bool, concave: bool) -> None:
    pkg = build("spreader_bga", glue=glue, concave=concave)
    nums = _numerals(pkg)
    n = spreader_bga.Numeral
    assert (n.GLUE in nums) == glue
    assert (n.CONCAVE in nums) == concave
    assert (n.BUMP in nums) == concave
    assert n.SPREADER in nums  # the spreader is the claimed device itself: always there
    assert pkg.features["glue"] is glue and pkg.features["concave"] is concave
