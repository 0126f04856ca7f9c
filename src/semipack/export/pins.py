"""The package's pin table (CSV): every terminal's name, centre, net and role.

The same format a design's ``pin_map`` reads (`semipack.families.pinmap`), so a table
exported from one design builds the same ball map in another, and a design built from
a table gives that table back. Names are those of the KiCad footprint's pads.
"""

from __future__ import annotations

from semipack.families.pinmap import PinEntry, PinRole, format_pin_csv
from semipack.model import TERMINAL_ROLES, Body, NetKind, Package, Role

_ROLE_OF_KIND = {NetKind.POWER: PinRole.POWER, NetKind.GROUND: PinRole.GROUND}
THERMAL_TAG = "thermal"
PIN_TAG = "pin:"


def terminal_name(b: Body) -> str:
    """A terminal's pin name: its ``pin:NAME`` tag, else its body name less ``ball_`` or ``lead``."""
    tagged = sorted(t.removeprefix(PIN_TAG) for t in b.tags if t.startswith(PIN_TAG))
    if tagged:
        return tagged[0]
    if b.role is Role.LEAD:
        return b.name.removeprefix("lead")
    return b.name.removeprefix("ball_")


def pin_table(pkg: Package) -> tuple[PinEntry, ...]:
    """Terminals (balls, joints, pins, leads, a named exposed pad) as pin-map entries, in the model's order."""
    kinds = {n.name: n.kind for n in pkg.nets}
    out = []
    for b in pkg.bodies:
        named_pad = b.role is Role.DIE_PADDLE and any(t.startswith(PIN_TAG) for t in b.tags)
        if b.role not in TERMINAL_ROLES and not named_pad:
            continue
        bb = b.solid.bbox
        if b.net is None:
            role = PinRole.NC
        elif THERMAL_TAG in b.tags:
            role = PinRole.THERMAL
        else:
            role = _ROLE_OF_KIND.get(kinds.get(b.net, NetKind.SIGNAL), PinRole.SIGNAL)
        x, y = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
        out.append(PinEntry(terminal_name(b), x, y, b.net or "", role))
    return tuple(out)


def pin_csv(pkg: Package) -> bytes:
    """The pin table as CSV bytes (lengths in mm)."""
    return format_pin_csv(pin_table(pkg)).encode("utf-8")
