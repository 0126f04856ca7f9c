"""Package validation catches interpenetration, shorts, opens, missing contacts and stray pads."""

from __future__ import annotations

import pytest

from semipack.errors import ValidationError
from semipack.geometry import Ball, Box, Cylinder
from semipack.materials import default_library
from semipack.model import Body, Net, NetKind, Package, Pad, Role, check

LIB = default_library()


def _box(x0: float, z0: float, x1: float, z1: float) -> Box:
    return Box((x0, -1e-3, z0), (x1, 1e-3, z1))


def _valid_parts() -> dict[str, Body]:
    return {
        "sub": Body("sub", Role.SUBSTRATE, "bt_laminate", _box(-3e-3, 0, 3e-3, 0.3e-3)),
        "die": Body("die", Role.DIE, "si", _box(-1e-3, 0.3e-3, 1e-3, 0.6e-3)),
        "mold": Body("mold", Role.SEALANT, "mold_compound", _box(-3e-3, 0.3e-3, 3e-3, 1e-3)),
        "via": Body("via", Role.VIA, "cu_plated", Cylinder((2e-3, 0.0), 0.1e-3, 0.3e-3, 1e-3), net="A"),
        "ball": Body("ball", Role.BALL, "sac305", Ball((2e-3, 0.0, 1.2e-3), 0.25e-3, 1e-3, 1.4e-3), net="A"),
    }


def _pkg(parts: dict[str, Body], **kw: object) -> Package:
    nets = kw.pop("nets", (Net("A", NetKind.SIGNAL, (("die.p1", "via"), ("via", "ball"))),))
    pads = kw.pop("pads", (Pad("die.p1", "die", (0.5e-3, 0.0), 50e-6, "A"),))
    return Package("t", "test", tuple(parts.values()), LIB, pads=pads, nets=nets, validate=False, **kw)  # type: ignore[arg-type]


def test_valid_package_has_no_problems() -> None:
    assert check(_pkg(_valid_parts())) == []


def test_construction_validates() -> None:
    parts = _valid_parts()
    parts["die2"] = Body("die2", Role.DIE, "si", _box(0.5e-3, 0.3e-3, 1.5e-3, 0.6e-3))
    with pytest.raises(ValidationError, match="interpenetrate"):
        Package("t", "test", tuple(parts.values()), LIB)


def test_interpenetration_found_but_fillers_yield() -> None:
    parts = _valid_parts()
    parts["lid"] = Body("lid", Role.HEAT_SPREADER, "cu_rolled", _box(-2e-3, 0.5e-3, 2e-3, 0.9e-3))
    problems = check(_pkg(parts))
    assert any("'die'" in p and "'lid'" in p and "interpenetrate" in p for p in problems)
    assert not any("mold" in p for p in problems)  # the sealant fills around the die


def test_short_between_nets() -> None:
    parts = _valid_parts()
    parts["via2"] = Body("via2", Role.VIA, "cu_plated", Cylinder((2.1e-3, 0.0), 0.1e-3, 0.3e-3, 1e-3), net="B")
    assert any(p.startswith("short:") for p in check(_pkg(parts)))


def test_open_net_when_parts_do_not_touch() -> None:
    parts = _valid_parts()
    parts["ball"] = Body("ball", Role.BALL, "sac305", Ball((2e-3, 0.0, 1.5e-3), 0.25e-3, 1.3e-3, 1.7e-3), net="A")
    assert any("apart (open)" in p for p in check(_pkg(parts)))


def test_pad_must_reach_a_terminal() -> None:
    parts = _valid_parts()
    nets = (Net("A", NetKind.SIGNAL, (("die.p1", "via"),)),)
    assert any("does not reach an external terminal" in p for p in check(_pkg(parts, nets=nets)))


def test_pad_on_no_net_and_unknown_parts() -> None:
    parts = _valid_parts()
    pads = (Pad("die.p1", "die", (0.5e-3, 0.0), 50e-6, "A"), Pad("die.p2", "die", (-0.5e-3, 0.0), 50e-6, "Z"))
    nets = (Net("A", NetKind.SIGNAL, (("die.p1", "via"), ("via", "ball"), ("ball", "ghost"))),)
    problems = check(_pkg(parts, pads=pads, nets=nets))
    assert any("'die.p2' is on no net" in p for p in problems)
    assert any("unknown part 'ghost'" in p for p in problems)


def test_non_conductor_in_a_net() -> None:
    parts = _valid_parts()
    parts["via"] = Body("via", Role.VIA, "epoxy", Cylinder((2e-3, 0.0), 0.1e-3, 0.3e-3, 1e-3), net="A")
    assert any("does not conduct" in p for p in check(_pkg(parts)))


def test_required_contact() -> None:
    parts = _valid_parts()
    parts["lid"] = Body("lid", Role.HEAT_SPREADER, "cu_rolled", _box(-3e-3, 1.2e-3, 3e-3, 1.5e-3))
    problems = check(_pkg(parts, contacts=(("lid", "mold"), ("die", "sub"))))
    assert any("'lid' must touch 'mold'" in p for p in problems)
    assert not any("'die' must touch" in p for p in problems)


def test_unknown_material_and_duplicate_names() -> None:
    parts = list(_valid_parts().values())
    parts.append(Body("die", Role.DIE, "unobtainium", _box(-1e-3, 2e-3, 1e-3, 3e-3)))
    pkg = Package("t", "test", tuple(parts), LIB, validate=False)
    problems = check(pkg)
    assert any("used twice" in p for p in problems)
    assert any("unknown material" in p for p in problems)
