"""The terminals of the generic QFN and DFN: lead sites in pin order and the pin-out.

Pins are numbered counter-clockwise seen from the top, pin 1 at the top of the left side;
the exposed pad is terminal ``EP``. The pin-out is the default one (a supply pair every
eight pins) or the ``pin_map`` table, checked against the leads.
"""

from __future__ import annotations

from collections.abc import Sequence

from semipack.families.bga import pad_kind
from semipack.families.common import require
from semipack.families.pinmap import PinEntry, PinRole, net_kind
from semipack.families.qfn_params import EP, LeadSite, Pin, QfnParams, Side
from semipack.model import NetKind
from semipack.units import mm


def lead_sites(p: QfnParams) -> list[LeadSite]:
    """Every lead in pin order: counter-clockwise from the top of the left side (top view)."""
    hx, hy = p.body_x / 2, p.body_y / 2
    ny, nx = p.leads_per_side_y, p.leads_per_side_x
    edge_x = hx - p.pull_back - p.lead_length / 2  # lead centre distance from the body centre
    edge_y = hy - p.pull_back - p.lead_length / 2
    w, ln = p.lead_width, p.lead_length

    def offsets(n: int) -> list[float]:
        return [(i - (n - 1) / 2) * p.lead_pitch for i in range(n)]

    rows = [
        [(Side.LEFT, -edge_x, -s, ln, w) for s in offsets(ny)],  # top to bottom
        [(Side.BOTTOM, s, -edge_y, w, ln) for s in offsets(nx)],  # left to right
        [(Side.RIGHT, edge_x, s, ln, w) for s in offsets(ny)],  # bottom to top
        [(Side.TOP, -s, edge_y, w, ln) for s in offsets(nx)],  # right to left
    ]
    flat = [r for row in rows for r in row]
    return [LeadSite(k, side, x, y, sx, sy) for k, (side, x, y, sx, sy) in enumerate(flat, start=1)]


def default_pin_out(sites: Sequence[LeadSite]) -> dict[str, Pin]:
    """Signals with a supply pair every eight pins (VDD on pins 1, 9, ..., VSS on 5, 13, ...); EP on VSS.

    Real pin-outs come from a table; this one gives each signal a supply within four pins.
    ``EP`` is the paddle's net also when the paddle is not exposed (down-bonds tie to it).
    """
    out: dict[str, Pin] = {}
    for s in sites:
        kind = pad_kind(s.pin)
        if kind is NetKind.POWER:
            out[s.name] = Pin("VDD", PinRole.POWER)
        elif kind is NetKind.GROUND:
            out[s.name] = Pin("VSS", PinRole.GROUND)
        else:
            out[s.name] = Pin(f"S{s.pin}", PinRole.SIGNAL)
    out[EP] = Pin("VSS", PinRole.THERMAL)
    return out


def pin_out(p: QfnParams, sites: Sequence[LeadSite]) -> dict[str, Pin]:
    """Every terminal's net and role: the default pin-out, or the ``pin_map`` table.

    With a table, leads it does not name are not connected (no wire), and so is a lead
    whose role is ``nc``; the paddle (``EP``) defaults to VSS (thermal) unless an exposed
    pad is named ``EP``.
    An entry at (0, 0) gives no position; any other position must lie on its lead.
    """
    if not p.pin_map:
        return default_pin_out(sites)
    by_name = {s.name: s for s in sites}
    out: dict[str, Pin] = {s.name: Pin(None, PinRole.NC) for s in sites}
    out[EP] = Pin("VSS", PinRole.THERMAL)
    seen: dict[str, int] = {}
    roles: dict[str, tuple[PinRole, int]] = {}
    for i, e in enumerate(p.pin_map):
        where = f"pin_map.{i}"
        require(e.name not in seen, f"{where}.name", e.name, f"duplicate pin name (also entry {seen.get(e.name)})")
        seen[e.name] = i
        known = e.name in by_name or (e.name == EP and p.exposed_pad)
        names = f"1..{len(sites)}" + (f" and {EP}" if p.exposed_pad else " (no exposed pad)")
        require(known, f"{where}.name", e.name, f"no such terminal; this package has pins {names}")
        _check_entry_position(e, by_name.get(e.name), p, where)
        if e.role is PinRole.NC:
            require(e.name != EP, f"{where}.role", e.role.value, "the exposed pad cannot be nc")
            continue
        require(bool(e.net_name.strip()), f"{where}.net", e.net, "a net name")
        kind = net_kind(e.role)
        first = roles.setdefault(e.net_name, (e.role, i))
        require(
            net_kind(first[0]) is kind,
            f"{where}.role",
            e.role.value,
            f"net {e.net_name} is {net_kind(first[0]).value} (entry {first[1]}); one net has one kind",
        )
        out[e.name] = Pin(e.net_name, e.role)
    require(
        any(v.net is not None for k, v in out.items() if k != EP),
        "pin_map",
        f"<{len(p.pin_map)} entries>",
        "connects no lead; name at least one lead with a net",
    )
    return out


def _check_entry_position(e: PinEntry, site: LeadSite | None, p: QfnParams, where: str) -> None:
    if e.x == 0.0 and e.y == 0.0:
        return  # no position given (the centre is never on a lead)
    if site is None:  # the exposed pad
        cx, cy, sx, sy = 0.0, 0.0, p.pad_x, p.pad_y
    else:
        cx, cy, sx, sy = site.x, site.y, site.size_x, site.size_y
    require(
        abs(e.x - cx) <= sx / 2 + 1e-9 and abs(e.y - cy) <= sy / 2 + 1e-9,
        where,
        f"{e.name} at ({mm(e.x)}, {mm(e.y)})",
        f"{e.name} is at ({mm(cx)}, {mm(cy)}), {mm(sx)} x {mm(sy)}; give its position or (0, 0)",
    )


def pin_entries(p: QfnParams) -> tuple[PinEntry, ...]:
    """The package's pin map as a table (lead centres, nets, roles), the input ``pin_map`` takes.

    Not-connected leads are listed with role ``nc``; the exposed pad, when there is one, last.
    """
    sites = lead_sites(p)
    pins = pin_out(p, sites)
    out = [PinEntry(s.name, s.x, s.y, pins[s.name].net or "", pins[s.name].role) for s in sites]
    if p.exposed_pad:
        out.append(PinEntry(EP, 0.0, 0.0, pins[EP].net or "", pins[EP].role))
    return tuple(out)
