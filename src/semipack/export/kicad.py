"""KiCad footprint (``.kicad_mod``) of a package's land pattern.

Land sizes follow IPC-7351B's guidance, as semipack reads it:
- collapsing balls (BGA, bumps) get round non-solder-mask-defined lands smaller than the
  ball: 15 % (density A, most), 20 % (B, nominal) or 25 % (C, least) below the ball
  diameter (IPC-7351B recommends 20-25 % for collapsing balls);
- pins go through plated holes 0.2 mm larger than the pin, with an annular ring of
  0.30/0.25/0.20 mm;
- no-lead (QFN) terminals get the lead's footprint extended by a toe of 0.40/0.30/0.20 mm
  beyond the body edge and a side of 0.05/0.0/-0.04 mm; the exposed pad is the paddle's size;
- the courtyard clears the body and the lands by 2.0/1.0/0.5 mm (BGA) or 0.5/0.25/0.1 mm
  (QFN), rounded up to a 0.01 mm grid.
Names follow the KiCad Library Conventions (KLC F2/F3) patterns for BGA and QFN; ball
rows use JEDEC letters (no I, O, Q, S, X, Z) with depopulated sites left out. KiCad's
y axis points down, so model y is negated. The footprint links to ``<name>.wrl`` in the
project folder (``${KIPRJMOD}``).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from enum import Enum

import numpy as np

from semipack.errors import DesignError
from semipack.geometry import Ball, Box, Cylinder
from semipack.model import Body, Package, Role

_ROWS = [c for c in "ABCDEFGHJKLMNPRTUVWY"]


def jedec_row(i: int) -> str:
    """Row letters A..Y then AA, AB, ... (JEDEC JEP95 / JESD95 ball naming)."""
    if i < len(_ROWS):
        return _ROWS[i]
    i -= len(_ROWS)
    return _ROWS[i // len(_ROWS)] + _ROWS[i % len(_ROWS)]


class Density(Enum):
    MOST = "A"
    NOMINAL = "B"
    LEAST = "C"


_BALL_REDUCTION = {Density.MOST: 0.15, Density.NOMINAL: 0.20, Density.LEAST: 0.25}
_ANNULAR = {Density.MOST: 0.30e-3, Density.NOMINAL: 0.25e-3, Density.LEAST: 0.20e-3}
_HOLE_CLEARANCE = 0.20e-3  # drill = pin diameter + 0.2 mm
_TOE = {Density.MOST: 0.40e-3, Density.NOMINAL: 0.30e-3, Density.LEAST: 0.20e-3}
_SIDE = {Density.MOST: 0.05e-3, Density.NOMINAL: 0.0, Density.LEAST: -0.04e-3}
_CRT_BGA = {Density.MOST: 2.0e-3, Density.NOMINAL: 1.0e-3, Density.LEAST: 0.5e-3}
_CRT_QFN = {Density.MOST: 0.5e-3, Density.NOMINAL: 0.25e-3, Density.LEAST: 0.1e-3}


@dataclass(frozen=True)
class Land:
    name: str
    x_mm: float
    y_mm: float  # KiCad frame (y down)
    shape: str  # circle | rect | roundrect
    w_mm: float
    h_mm: float
    drill_mm: float = 0.0  # > 0: a plated through hole (pins)


def _klc(v_mm: float) -> str:
    """A dimension as KLC writes it: at least one decimal (1.0, 0.65, 27.0)."""
    s = f"{v_mm:.2f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def _mm(v: float) -> float:
    return round(v * 1e3, 4)


def _grid_names(pts: np.ndarray) -> tuple[list[str], int, int, float] | None:
    """Alphanumeric names if the points sit on a regular grid, else None."""
    xs = np.unique(np.round(pts[:, 0], 7))
    ys = np.unique(np.round(pts[:, 1], 7))
    if len(xs) < 2 or len(ys) < 2:
        return None
    steps = np.concatenate([np.diff(xs), np.diff(ys)])
    p = float(steps.min())
    ix = np.round((pts[:, 0] - xs[0]) / p)
    iy = np.round((ys[-1] - pts[:, 1]) / p)
    if not (np.allclose(xs[0] + ix * p, pts[:, 0], atol=1e-7) and np.allclose(ys[-1] - iy * p, pts[:, 1], atol=1e-7)):
        return None
    cols = round((xs[-1] - xs[0]) / p) + 1
    rows = round((ys[-1] - ys[0]) / p) + 1
    return [f"{jedec_row(int(r))}{int(c) + 1}" for r, c in zip(iy, ix, strict=True)], cols, rows, p


def lands(pkg: Package, density: Density = Density.NOMINAL) -> tuple[list[Land], str, float]:
    """The lands, the footprint's KLC-style name and the courtyard excess (m)."""
    bb = pkg.bbox
    bx, by = bb.hi[0] - bb.lo[0], bb.hi[1] - bb.lo[1]
    balls = [b for b in pkg.bodies if b.role in (Role.BALL, Role.TERMINAL_BUMP) and isinstance(b.solid, Ball)]
    pins = [b for b in pkg.bodies if b.role is Role.PIN and isinstance(b.solid, Cylinder)]
    leads = [b for b in pkg.bodies if b.role is Role.LEAD and isinstance(b.solid, Box)]
    if balls or pins:
        terms: list[Body] = balls or pins
        centres = (
            np.array(
                [(t.solid.bbox.lo[0] + t.solid.bbox.hi[0], t.solid.bbox.lo[1] + t.solid.bbox.hi[1]) for t in terms]
            )
            / 2
        )
        named = _grid_names(centres)
        names = named[0] if named else [str(i + 1) for i in range(len(terms))]
        # A pin map names its terminals (ball_<NAME>): the footprint keeps those names.
        given = [t.name.removeprefix("ball_") for t in terms]
        if all(t.name.startswith("ball_") for t in terms) and len(set(given)) == len(given):
            names = given
        out = []
        for t, (x, y), nm in zip(terms, centres, names, strict=True):
            if isinstance(t.solid, Ball):
                d = 2 * t.solid.radius * (1 - _BALL_REDUCTION[density])
                out.append(Land(nm, _mm(x), _mm(-y), "circle", _mm(d), _mm(d)))
            else:
                assert isinstance(t.solid, Cylinder)
                hole = 2 * t.solid.radius + _HOLE_CLEARANCE
                d = hole + 2 * _ANNULAR[density]
                out.append(Land(nm, _mm(x), _mm(-y), "circle", _mm(d), _mm(d), _mm(hole)))
        kind = "BGA" if balls else "PGA"
        if named:
            _, cols, rows, p = named
            name = f"{kind}-{len(terms)}_{bx * 1e3:.1f}x{by * 1e3:.1f}mm_Layout{cols}x{rows}_P{_klc(p * 1e3)}mm"
        else:
            name = f"{kind}-{len(terms)}_{bx * 1e3:.1f}x{by * 1e3:.1f}mm"
        return sorted(out, key=_natural), name, _CRT_BGA[density]
    if leads:
        out = []
        for b in leads:
            s = b.solid
            assert isinstance(s, Box)
            x0, y0, x1, y1 = s.lo[0], s.lo[1], s.hi[0], s.hi[1]
            # Extend the toe outward past the body edge, widen the sides.
            if min(abs(x0 - bb.lo[0]), abs(x1 - bb.hi[0])) < min(abs(y0 - bb.lo[1]), abs(y1 - bb.hi[1])):
                if abs(x0 - bb.lo[0]) < abs(x1 - bb.hi[0]):
                    x0 -= _TOE[density]
                else:
                    x1 += _TOE[density]
                y0 -= _SIDE[density]
                y1 += _SIDE[density]
            else:
                if abs(y0 - bb.lo[1]) < abs(y1 - bb.hi[1]):
                    y0 -= _TOE[density]
                else:
                    y1 += _TOE[density]
                x0 -= _SIDE[density]
                x1 += _SIDE[density]
            num = re.sub(r"\D", "", b.name) or b.name
            out.append(Land(num, _mm((x0 + x1) / 2), _mm(-(y0 + y1) / 2), "roundrect", _mm(x1 - x0), _mm(y1 - y0)))
        ep = [
            b
            for b in pkg.by_role(Role.DIE_PADDLE)
            if isinstance(b.solid, Box) and abs(b.solid.bbox.lo[2] - bb.lo[2]) < 1e-9
        ]
        pitch = _lead_pitch(leads)
        name = f"{'DFN' if _two_sided(leads) else 'QFN'}-{len(leads)}"
        if ep:
            s = ep[0].solid
            assert isinstance(s, Box)
            # The exposed pad's name: a family's "pin:NAME" tag (e.g. EP), else KLC's N + 1.
            ep_name = next((t[4:] for t in sorted(ep[0].tags) if t.startswith("pin:")), str(len(leads) + 1))
            out.append(
                Land(
                    ep_name,
                    _mm((s.lo[0] + s.hi[0]) / 2),
                    _mm(-(s.lo[1] + s.hi[1]) / 2),
                    "rect",
                    _mm(s.hi[0] - s.lo[0]),
                    _mm(s.hi[1] - s.lo[1]),
                )
            )
            name += f"-1EP_{bx * 1e3:g}x{by * 1e3:g}mm_P{_klc(pitch * 1e3)}mm_EP{(s.hi[0] - s.lo[0]) * 1e3:g}x{(s.hi[1] - s.lo[1]) * 1e3:g}mm"
        else:
            name += f"_{bx * 1e3:g}x{by * 1e3:g}mm_P{_klc(pitch * 1e3)}mm"
        return sorted(out, key=_natural), name, _CRT_QFN[density]
    raise DesignError("design", pkg.name, "the package has no balls, bumps, pins or leads to make lands for")


def _vertical(b: Body) -> bool:
    """A lead on the bottom or top side (longer in y than in x)."""
    return abs(b.solid.bbox.hi[1] - b.solid.bbox.lo[1]) > abs(b.solid.bbox.hi[0] - b.solid.bbox.lo[0])


def _two_sided(leads: list[Body]) -> bool:
    """Leads on two opposite sides only (a DFN)."""
    return len({_vertical(b) for b in leads}) == 1


def _lead_pitch(leads: list[Body]) -> float:
    # Along x on the bottom/top rows; a DFN has only left/right rows, so along y there.
    axis = 0 if any(_vertical(b) for b in leads) else 1
    c = sorted((b.solid.bbox.lo[axis] + b.solid.bbox.hi[axis]) / 2 for b in leads if _vertical(b) == (axis == 0))
    d = [round(b - a, 7) for a, b in itertools.pairwise(c) if b - a > 1e-7]
    return min(d) if d else 0.0


def _natural(land: Land) -> tuple[int, str, int]:
    m = re.match(r"([A-Z]*)(\d+)$", land.name)
    if not m:
        return (0, land.name, 0)
    letters, num = m.groups()
    return (len(letters), letters, int(num))


def _f(v: float) -> str:
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def footprint(pkg: Package, density: Density = Density.NOMINAL) -> tuple[str, str]:
    """(footprint name, ``.kicad_mod`` text) for ``pkg``'s land pattern."""
    pads, name, excess = lands(pkg, density)
    bb = pkg.bbox
    hx, hy = (bb.hi[0] - bb.lo[0]) * 500, (bb.hi[1] - bb.lo[1]) * 500  # half sizes in mm
    cx = min(p.x_mm - p.w_mm / 2 for p in pads)
    cx1 = max(p.x_mm + p.w_mm / 2 for p in pads)
    cy = min(p.y_mm - p.h_mm / 2 for p in pads)
    cy1 = max(p.y_mm + p.h_mm / 2 for p in pads)
    ex = excess * 1e3
    crt = [math.floor((min(-hx, cx) - ex) * 100) / 100, math.floor((min(-hy, cy) - ex) * 100) / 100]
    crt += [math.ceil((max(hx, cx1) + ex) * 100) / 100, math.ceil((max(hy, cy1) + ex) * 100) / 100]
    chamfer = min(1.0, hx / 4, hy / 4)
    # Pin-1 marks go to the body corner nearest pad 1 (A1 or 1).
    first = next((p for p in pads if p.name in ("A1", "1")), pads[0])
    sx = -1.0 if first.x_mm <= 0 else 1.0
    sy = -1.0 if first.y_mm <= 0 else 1.0
    tht = any(p.drill_mm > 0 for p in pads)
    lines = [
        f'(footprint "{name}"',
        "  (version 20211014) (generator semipack)",
        '  (layer "F.Cu")',
        f'  (descr "{pkg.family} package {pkg.name}, land pattern after IPC-7351B density {density.value}, generated by semipack")',
        f'  (tags "{name.split("-")[0]} semipack")',
        "  (attr through_hole)" if tht else "  (attr smd)",
        f'  (fp_text reference "REF**" (at 0 {_f(-hy - 1.0)}) (layer "F.SilkS") (effects (font (size 1 1) (thickness 0.15))))',
        f'  (fp_text value "{name}" (at 0 {_f(hy + 1.0)}) (layer "F.Fab") (effects (font (size 1 1) (thickness 0.15))))',
        '  (fp_text user "${REFERENCE}" (at 0 0) (layer "F.Fab") (effects (font (size 1 1) (thickness 0.15))))',
    ]
    # Fab outline with the pin-1 corner chamfered (KLC F5.2).
    fab = [(-hx + chamfer, -hy), (hx, -hy), (hx, hy), (-hx, hy), (-hx, -hy + chamfer), (-hx + chamfer, -hy)]
    fab = [(x * -sx, y * -sy) for x, y in fab]  # the chamfer sits at pad 1's corner
    for (x0, y0), (x1, y1) in itertools.pairwise(fab):
        lines.append(f'  (fp_line (start {_f(x0)} {_f(y0)}) (end {_f(x1)} {_f(y1)}) (width 0.1) (layer "F.Fab"))')
    # Silkscreen 0.11 mm outside the body, with a pin-1 mark at the top-left corner.
    s = 0.11
    lines.append(
        f'  (fp_rect (start {_f(-hx - s)} {_f(-hy - s)}) (end {_f(hx + s)} {_f(hy + s)}) (width 0.12) (fill none) (layer "F.SilkS"))'
    )
    mx, my = sx * (hx + s), sy * (hy + s)
    lines.append(
        f'  (fp_line (start {_f(mx + sx * 0.5)} {_f(my)}) (end {_f(mx)} {_f(my)}) (width 0.12) (layer "F.SilkS"))'
    )
    lines.append(
        f'  (fp_rect (start {_f(crt[0])} {_f(crt[1])}) (end {_f(crt[2])} {_f(crt[3])}) (width 0.05) (fill none) (layer "F.CrtYd"))'
    )
    for p in pads:
        shape = p.shape
        extra = " (roundrect_rratio 0.25)" if shape == "roundrect" else ""
        if p.drill_mm > 0:
            lines.append(
                f'  (pad "{p.name}" thru_hole {shape} (at {_f(p.x_mm)} {_f(p.y_mm)}) (size {_f(p.w_mm)} {_f(p.h_mm)}) (drill {_f(p.drill_mm)}) (layers "*.Cu" "*.Mask"))'
            )
        else:
            lines.append(
                f'  (pad "{p.name}" smd {shape} (at {_f(p.x_mm)} {_f(p.y_mm)}) (size {_f(p.w_mm)} {_f(p.h_mm)}) (layers "F.Cu" "F.Paste" "F.Mask"){extra})'
            )
    lines.append(f'  (model "${{KIPRJMOD}}/{name}.wrl" (offset (xyz 0 0 0)) (scale (xyz 1 1 1)) (rotate (xyz 0 0 0)))')
    lines.append(")")
    return name, "\n".join(lines) + "\n"
