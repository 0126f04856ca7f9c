"""Design rules for package wiring: widths, spaces, vias, stacks, ball pitch; violations located.

Default rules are a thin-film / build-up class (10 um lines and spaces, 10 um vias with 5
um enclosure, at most 3 stacked vias) and a BGA ball rule (ball diameter at most 0.65 of
the pitch, after the JEDEC JEP95 BGA outlines: 0.60 mm balls at 1.0 mm, 0.50 mm at 0.8
mm). Every rule is settable in a rules file.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticError

from semipack.errors import DesignError
from semipack.geometry import Ball, Cylinder, Trace
from semipack.model import Package, Role
from semipack.process.parts import Part, classify
from semipack.units import Dimension, parse_quantity


@dataclass(frozen=True)
class Rules:
    min_trace_width_m: float = 10e-6
    min_trace_space_m: float = 10e-6
    min_via_diameter_m: float = 10e-6
    min_via_enclosure_m: float = 5e-6
    max_stacked_vias: int = 3
    max_ball_to_pitch: float = 0.65
    die_trace_width_m: float = 1e-6
    die_trace_thickness_m: float = 1e-6
    die_trace_length_m: float = 0.5e-3


@dataclass(frozen=True)
class Violation:
    rule: str
    bodies: tuple[str, ...]
    value: float
    limit: float
    at_m: tuple[float, float, float]
    unit: str = "m"

    def text(self) -> str:
        x, y, z = (v * 1e3 for v in self.at_m)
        if self.unit == "m":
            what = f"{self.value * 1e6:.3g} um vs {self.limit * 1e6:.3g} um"
        else:
            what = f"{self.value:g} vs at most {self.limit:g} {self.unit}"
        return f"{self.rule}: {', '.join(self.bodies)} {what} at ({x:.3f}, {y:.3f}, {z:.3f}) mm"


@dataclass(frozen=True)
class DrcReport:
    violations: tuple[Violation, ...]
    checked: dict[str, int]
    claim4: tuple[bool, str] | None


class _RulesModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_trace_width: str | None = None
    min_trace_space: str | None = None
    min_via_diameter: str | None = None
    min_via_enclosure: str | None = None
    max_stacked_vias: int | None = None
    max_ball_to_pitch: float | None = None
    die_trace_width: str | None = None
    die_trace_thickness: str | None = None
    die_trace_length: str | None = None


def rules_from_mapping(data: Any, where: str = "rules") -> Rules:
    try:
        m = _RulesModel.model_validate(data or {})
    except PydanticError as exc:
        err = exc.errors()[0]
        raise DesignError(f"{where}." + ".".join(str(p) for p in err["loc"]), err.get("input"), err["msg"]) from None
    r = Rules()
    kw: dict[str, Any] = {}
    for f in (
        "min_trace_width",
        "min_trace_space",
        "min_via_diameter",
        "min_via_enclosure",
        "die_trace_width",
        "die_trace_thickness",
        "die_trace_length",
    ):
        v = getattr(m, f)
        if v is not None:
            kw[f + "_m"] = parse_quantity(v, Dimension.LENGTH, f"{where}.{f}")
    if m.max_stacked_vias is not None:
        if m.max_stacked_vias < 1:
            raise DesignError(f"{where}.max_stacked_vias", m.max_stacked_vias, "at least 1")
        kw["max_stacked_vias"] = m.max_stacked_vias
    if m.max_ball_to_pitch is not None:
        if not 0 < m.max_ball_to_pitch <= 1:
            raise DesignError(f"{where}.max_ball_to_pitch", m.max_ball_to_pitch, "between 0 and 1")
        kw["max_ball_to_pitch"] = m.max_ball_to_pitch
    from dataclasses import replace

    return replace(r, **kw)


def load_rules(path: Path) -> Rules:
    from semipack.design.loader import read_yaml

    return rules_from_mapping(read_yaml(Path(path)), Path(path).name)


def _seg_dist(
    p: tuple[float, float], q: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
) -> tuple[float, tuple[float, float]]:
    """Distance between segments pq and ab in the plane, and a midpoint of the closest pair."""

    def point_seg(
        x: tuple[float, float], s0: tuple[float, float], s1: tuple[float, float]
    ) -> tuple[float, tuple[float, float]]:
        dx, dy = s1[0] - s0[0], s1[1] - s0[1]
        ll = dx * dx + dy * dy
        t = 0.0 if ll == 0 else max(0.0, min(1.0, ((x[0] - s0[0]) * dx + (x[1] - s0[1]) * dy) / ll))
        c = (s0[0] + t * dx, s0[1] + t * dy)
        return math.dist(x, c), c

    best = (math.inf, p)
    for x, s0, s1 in ((p, a, b), (q, a, b), (a, p, q), (b, p, q)):
        d, c = point_seg(x, s0, s1)
        if d < best[0]:
            best = (d, ((x[0] + c[0]) / 2, (x[1] + c[1]) / 2))
    return best


def check_rules(pkg: Package, rules: Rules | None = None) -> DrcReport:
    """Every violation of ``rules`` in ``pkg``, with where it is."""
    r = rules or Rules()
    out: list[Violation] = []
    traces = [
        b
        for b in pkg.bodies
        if isinstance(b.solid, Trace) and b.role in (Role.TRACE, Role.PLANE, Role.PASSIVE, Role.LAND)
    ]
    for b in traces:
        s = b.solid
        assert isinstance(s, Trace)
        if s.width < r.min_trace_width_m - 1e-12:
            out.append(Violation("trace width", (b.name,), s.width, r.min_trace_width_m, (*s.points[0], s.z0)))
    # Spaces between traces of different nets on one level.
    for i, a in enumerate(traces):
        sa = a.solid
        assert isinstance(sa, Trace)
        ba = sa.bbox
        for b in traces[i + 1 :]:
            sb = b.solid
            assert isinstance(sb, Trace)
            if a.net == b.net or sb.z0 >= sa.z1 or sa.z0 >= sb.z1:
                continue
            bb = sb.bbox
            reach = (sa.width + sb.width) / 2 + r.min_trace_space_m
            if (
                bb.lo[0] > ba.hi[0] + reach
                or ba.lo[0] > bb.hi[0] + reach
                or bb.lo[1] > ba.hi[1] + reach
                or ba.lo[1] > bb.hi[1] + reach
            ):
                continue
            best = (math.inf, (0.0, 0.0))
            for p, q in zip(sa.points[:-1], sa.points[1:], strict=True):
                for c, d in zip(sb.points[:-1], sb.points[1:], strict=True):
                    best = min(best, _seg_dist(p, q, c, d), key=lambda t: t[0])
            gap = best[0] - (sa.width + sb.width) / 2
            if gap < r.min_trace_space_m - 1e-12:
                out.append(
                    Violation("trace space", (a.name, b.name), max(gap, 0.0), r.min_trace_space_m, (*best[1], sa.z0))
                )
    parts = classify(pkg)
    vias = [b for b in pkg.bodies if b.role in (Role.VIA, Role.COLUMN) and isinstance(b.solid, Cylinder)]
    lands = [b for b in pkg.bodies if b.role is Role.LAND and isinstance(b.solid, Cylinder)]
    for v in vias:
        s = v.solid
        assert isinstance(s, Cylinder)
        if 2 * s.radius < r.min_via_diameter_m - 1e-12:
            out.append(Violation("via diameter", (v.name,), 2 * s.radius, r.min_via_diameter_m, (*s.center, s.z0)))
        caps = [la for la in lands if abs(la.solid.z0 - s.z1) < 1e-9 and math.dist(la.solid.center, s.center) < 1e-9]  # type: ignore[union-attr]
        if caps:
            cap = caps[0].solid
            assert isinstance(cap, Cylinder)
            enc = cap.radius - s.radius
            if enc < r.min_via_enclosure_m - 1e-12:
                out.append(
                    Violation("via enclosure", (v.name, caps[0].name), enc, r.min_via_enclosure_m, (*s.center, s.z1))
                )
    # Stacks: vias of consecutive levels on one centre.
    by_xy: dict[tuple[float, float], list[int]] = {}
    for v in vias:
        vs = v.solid
        assert isinstance(vs, Cylinder)
        key = (round(vs.center[0], 7), round(vs.center[1], 7))
        layer = parts[v.name].layer if parts[v.name].part is Part.VIAS else None
        if layer is not None:
            by_xy.setdefault(key, []).append(layer)
    stacks = 0
    for where, levels in by_xy.items():
        ls = sorted(set(levels))
        run = best_run = 1
        for lo_level, hi_level in itertools.pairwise(ls):
            run = run + 1 if hi_level == lo_level + 1 else 1
            best_run = max(best_run, run)
        if best_run > 1:
            stacks += 1
        if best_run > r.max_stacked_vias:
            out.append(
                Violation(
                    "stacked vias",
                    (f"column stack at ({where[0] * 1e3:.3f}, {where[1] * 1e3:.3f}) mm",),
                    float(best_run),
                    float(r.max_stacked_vias),
                    (*where, 0.0),
                    "levels",
                )
            )
    # Ball pitch against ball size.
    balls = [b for b in pkg.by_role(Role.BALL) if isinstance(b.solid, Ball)]
    spheres = [b.solid for b in balls if isinstance(b.solid, Ball)]
    if len(balls) > 1:
        import numpy as np
        from scipy.spatial import cKDTree

        centres = np.array([sp.center[:2] for sp in spheres])
        d, j = cKDTree(centres).query(centres, k=2)
        for i, (b, sp) in enumerate(zip(balls, spheres, strict=True)):
            pitch = float(d[i, 1])
            dia = 2 * sp.radius
            if dia > r.max_ball_to_pitch * pitch + 1e-12:
                out.append(
                    Violation(
                        "ball size vs pitch",
                        (b.name, balls[int(j[i, 1])].name),
                        dia,
                        r.max_ball_to_pitch * pitch,
                        (sp.center[0], sp.center[1], 0.0),
                    )
                )
    claim4 = _claim4(pkg, r)
    checked = {"traces": len(traces), "vias": len(vias), "stacks": stacks, "balls": len(balls)}
    return DrcReport(tuple(out), checked, claim4)


def _claim4(pkg: Package, r: Rules) -> tuple[bool, str] | None:
    """002 claim 4: external traces wider, longer and thicker than the die's internal ones."""
    ext = [b.solid for b in pkg.by_role(Role.TRACE) if isinstance(b.solid, Trace)]
    if not ext or not pkg.by_role(Role.DIELECTRIC):
        return None
    ws = [t.width for t in ext]
    ts = [t.z1 - t.z0 for t in ext]
    ls = [sum(math.dist(a, c) for a, c in itertools.pairwise(t.points)) for t in ext]
    # "Corresponding traces": the typical (median) external trace against the internal one.
    med = sorted(ls)[len(ls) // 2]
    ok = min(ws) > r.die_trace_width_m and min(ts) > r.die_trace_thickness_m and med > r.die_trace_length_m
    text = (
        f"external traces {min(ws) * 1e6:.3g}-{max(ws) * 1e6:.3g} um wide, {min(ts) * 1e6:.3g} um thick, "
        f"{min(ls) * 1e3:.3g}-{max(ls) * 1e3:.3g} mm long (median {med * 1e3:.3g}) vs internal {r.die_trace_width_m * 1e6:.3g} um x "
        f"{r.die_trace_thickness_m * 1e6:.3g} um x {r.die_trace_length_m * 1e3:.3g} mm"
    )
    return ok, text
