"""Refactoring guard: the flex_csp, exposed_sink, spreader_bga, thinfilm_metal and cavity_buildup builders
and the build-up wiring they share (buildup) build every
case (examples, variants, refused inputs) exactly as the original, pre-refactor builders did.

The cases are in tests/identity_<family>.py, the fingerprint and the reference files in
tests/package_identity.py and tests/data/identity/.
"""

from __future__ import annotations

import identity_buildup
import identity_cavity_buildup
import identity_exposed_sink
import identity_flex_csp
import identity_spreader_bga
import identity_thinfilm_metal
import pytest
from conftest import example
from package_identity import assert_as_reference, assert_covers

from semipack.geometry import BentSheet
from semipack.model import FlexLayer, FlexPiece, Role

_CASES = {
    m.FAMILY: dict(m.cases())
    for m in (
        identity_flex_csp,
        identity_exposed_sink,
        identity_spreader_bga,
        identity_thinfilm_metal,
        identity_cavity_buildup,
        identity_buildup,
    )
}


@pytest.mark.parametrize(("family", "name"), [(f, n) for f, cases in _CASES.items() for n in sorted(cases)])
def test_builds_as_the_original(family: str, name: str) -> None:
    assert_as_reference(family, _CASES[family], name)


@pytest.mark.parametrize("family", sorted(_CASES))
def test_reference_covers_every_case(family: str) -> None:
    assert_covers(family, _CASES[family])


@pytest.mark.parametrize("fig", range(1, 8))
def test_flex_sheets_carry_their_place(fig: int) -> None:
    """Every flex sheet is marked with its segment or bend and layer (the marks the process reads),
    consistent with the names the original builder gave them (``flex_L<k>_<layer>``, ``flex_bend<k>_<layer>``)."""
    pkg = example(f"flex_csp_fig{fig}")
    sheets = [b for b in pkg.bodies if b.role in (Role.FLEX, Role.FLEX_CONDUCTOR)]
    assert sheets and all(b.flex is not None for b in sheets)
    assert all(b.flex is None for b in pkg.bodies if b.role not in (Role.FLEX, Role.FLEX_CONDUCTOR))
    for b in sheets:
        assert b.flex is not None
        prefix = "L" if b.flex.piece is FlexPiece.SEGMENT else "bend"
        assert b.name == f"flex_{prefix}{b.flex.index}_{b.flex.layer.value}"
        assert (b.flex.layer is FlexLayer.CONDUCTOR) == (b.role is Role.FLEX_CONDUCTOR)
        assert isinstance(b.solid, BentSheet) == (b.flex.piece is FlexPiece.BEND)
    bends = {b.flex.index for b in sheets if b.flex is not None and b.flex.piece is FlexPiece.BEND}
    assert bends == set(range(1, pkg.features["bends"] + 1))
