"""The exposed-sink package's QFN lead frame (seed 003, claims 7-8): perimeter leads and their wires.

Leads flush with the body edge on every side, paired with the chip's pads by angle so the
wires fan out without crossing; each lead and wire is `qfn`'s part (families/parts.py)
under this family's numerals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from semipack.families.bga import EdgePad
from semipack.families.common import require
from semipack.families.exposed_sink_params import (
    LEAD,
    LEAD_CORNER_KEEPOUT_M,
    LEAD_PADDLE_GAP_M,
    STITCH_INSET_M,
    WIRE,
    ExposedSinkParams,
)
from semipack.families.parts import bond_wire, lead
from semipack.model import Body, Net, NetKind
from semipack.units import mm


@dataclass(frozen=True)
class _Lead:
    cx: float
    cy: float
    sx: float
    sy: float
    nx: int  # outward normal
    ny: int

    @property
    def angle(self) -> float:
        return math.atan2(self.cy, self.cx)


def _lead_sites(p: ExposedSinkParams) -> list[_Lead]:
    """Perimeter leads flush with the body edge, counter-clockwise from the -y side."""
    half = p.body_size / 2
    per_side = math.floor((p.body_size - 2 * LEAD_CORNER_KEEPOUT_M) / p.lead_pitch)
    require(per_side >= 1, "lead_pitch", mm(p.lead_pitch), "no lead fits on a side")
    require(
        p.lead_width < p.lead_pitch,
        "lead_width",
        mm(p.lead_width),
        f"must be below lead_pitch {mm(p.lead_pitch)} (adjacent leads would touch)",
    )
    c = half - p.lead_length / 2
    leads = []
    for side in range(4):
        for i in range(per_side):
            s = (i - (per_side - 1) / 2) * p.lead_pitch
            cx, cy, nx, ny = [(s, -c, 0, -1), (c, s, 1, 0), (-s, c, 0, 1), (-c, -s, -1, 0)][side]
            sx, sy = (p.lead_width, p.lead_length) if nx == 0 else (p.lead_length, p.lead_width)
            leads.append(_Lead(cx, cy, sx, sy, nx, ny))
    require(
        half - p.lead_length > p.die_size / 2 + p.paddle_margin + LEAD_PADDLE_GAP_M,
        "lead_length",
        mm(p.lead_length),
        "leads would touch the die paddle",
    )
    return leads


def _pair_leads(leads: list[_Lead], pads: list[EdgePad]) -> list[tuple[EdgePad, int]]:
    """Pair pads and leads by angle around the centre so wires fan out without crossing."""
    lead_order = sorted(range(len(leads)), key=lambda i: leads[i].angle)
    pad_order = sorted(pads, key=lambda e: math.atan2(e.y, e.x))
    a0 = math.atan2(pad_order[0].y, pad_order[0].x)
    start = min(range(len(lead_order)), key=lambda j: abs(leads[lead_order[j]].angle - a0))
    used: set[int] = set()
    out = []
    for j, pd in enumerate(pad_order):
        idx = (start + round(j * len(lead_order) / len(pad_order))) % len(lead_order)
        while idx in used:
            idx = (idx + 1) % len(lead_order)
        used.add(idx)
        out.append((pd, lead_order[idx]))
    return out


def _lead(p: ExposedSinkParams, li: int, ld: _Lead, net: str | None) -> Body:
    size, at = (ld.sx, ld.sy), (ld.cx, ld.cy)
    return lead(f"lead{li + 1}", p.lead_frame_material, size, at, p.lead_frame_thickness, LEAD, net=net)


def qfn_leads(p: ExposedSinkParams, epads: list[EdgePad], z_die1: float) -> tuple[list[Body], list[Net]]:
    """Perimeter leads flush with the body edge, exposed at the bottom, one wire per pad."""
    leads = _lead_sites(p)
    require(
        len(leads) >= len(epads), "pads_per_side", p.pads_per_side, f"only {len(leads)} leads fit; reduce pads_per_side"
    )
    bodies: list[Body] = []
    nets: dict[str, tuple[NetKind, list[tuple[str, str]]]] = {}
    pairs = _pair_leads(leads, epads)
    for j, (pd, li) in enumerate(pairs):
        ld = leads[li]
        # Stitch on the inner end of the lead.
        back = p.lead_length / 2 - STITCH_INSET_M
        tx, ty = ld.cx - ld.nx * back, ld.cy - ld.ny * back
        ends = ((pd.x, pd.y, z_die1), (tx, ty, p.lead_frame_thickness))
        wname = f"wire{j + 1}"
        bodies += [
            _lead(p, li, ld, pd.net),
            bond_wire(wname, ends, p.loop_height, p.wire_diameter, p.wire_material, WIRE, pd.net),
        ]
        nets.setdefault(pd.net, (pd.kind, []))[1].extend([(pd.name, wname), (wname, f"lead{li + 1}")])
    wired = {li for _, li in pairs}
    bodies += [_lead(p, li, ld, None) for li, ld in enumerate(leads) if li not in wired]
    return bodies, [Net(n, k, tuple(e)) for n, (k, e) in nets.items()]
