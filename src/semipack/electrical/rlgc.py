"""The package's coupled RLC model per pin, its loop values against a return net, and S-parameters.

`extract` lays out the pins of the chosen nets (`semipack.electrical.segments`), builds
the partial-inductance matrix of their segments (`peec`) and the Maxwell capacitance
matrix of every pin of the package over the board's ground plane (`capacitance`), and
reduces both to pins: with S the signed segment-to-pin incidence, L_pin = S^T Lp S and
R_pin = S^T diag(R_seg) S (a segment two pins share adds to both and to their mutual
term). The capacitance keeps the other nets' pins as grounded conductors.

Loop values: the return net's pins are shorted to one another at both ends and carry
the return current in parallel. For any branch-impedance matrix Z over signal pins s and
return pins g this gives, exactly, Z_loop = Z_ss - Z_sg Z_gg^-1 Z_gs + b b^T / alpha,
with a = Z_gg^-1 1, alpha = 1^T a, b = Z_sg a - 1 [Paul]; one return pin reduces it to
Z_ij - Z_ig - Z_gj + Z_gg.

S-parameters: each signal pin is a lumped pi section (series Z_loop(f), half the
pin's Maxwell capacitance at each end) between a port at its die pad and a port at its
terminal; the 2N-port's nodal admittance matrix Y gives S = (I + z0 Y)^-1 (I - z0 Y).

References
----------
.. [Paul] C. R. Paul, Inductance: Loop and Partial, Wiley-IEEE 2010, ch. 5 and 6.
.. [Pozar] D. M. Pozar, Microwave Engineering, 4th ed., Wiley 2012, section 4.3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from semipack.electrical import capacitance as cap
from semipack.electrical import peec, skin
from semipack.electrical.conductors import Settings
from semipack.electrical.nets import route_node
from semipack.electrical.segments import Layout, PinPath, layout, pin_paths, select_nets
from semipack.errors import DesignError
from semipack.model import Body, Package
from semipack.model.roles import NetKind

Array = NDArray[np.float64]
CArray = NDArray[np.complex128]


@dataclass(frozen=True)
class Extraction:
    """Per-pin R (DC), partial L and Maxwell C of the chosen nets' pins, with what they came from.

    ``pins``/``nets`` name the rows; ``reference`` is the return net (None: partial values
    only); ``ref_pins`` the rows of ``layout`` that are its pins. ``ground_z_m`` is the
    height of the board's ground plane (the terminals' underside); ``c_clipped_rel`` the
    largest positive off-diagonal capacitance (collocation noise) relative to its
    diagonal terms before it was set to 0.
    """

    package: str
    pins: tuple[str, ...]
    nets: tuple[str, ...]
    r_dc_ohm: Array
    l_h: Array
    c_f: Array
    reference: str | None
    ref_pins: tuple[int, ...]
    layout: Layout
    segment_l_h: Array
    ground_z_m: float
    elements: int
    c_clipped_rel: float

    @property
    def signal_rows(self) -> list[int]:
        """Rows of the pins that are not the return net's."""
        ref = set(self.ref_pins)
        return [i for i in range(len(self.pins)) if i not in ref]


def _reference(pkg: Package, reference: str | None) -> str | None:
    if reference is not None:
        known = [n.name for n in pkg.nets]
        if reference not in known:
            raise DesignError("reference", reference, f"a net of {pkg.name}: {', '.join(known[:8])}")
        return reference
    grounds = [n.name for n in pkg.nets if n.kind is NetKind.GROUND]
    return grounds[0] if grounds else None


def extract(
    pkg: Package,
    nets: list[str] | None = None,
    reference: str | None = None,
    settings: Settings | None = None,
    element_m: float = 1e-3,
    plane_depth_m: float = 1e-4,
) -> Extraction:
    """Extract R, L and C per pin of ``nets`` (all when None), with ``reference`` (default: the ground net) as return.

    ``element_m`` is the largest charge element of the capacitance solve; ``plane_depth_m``
    how far the board's ground plane lies below the terminals' underside (0.1 mm: the
    first inner plane of a multilayer board under its top dielectric).
    """
    if plane_depth_m < 0:
        raise DesignError("plane_depth", plane_depth_m, "a depth of 0 m or more")
    if element_m <= 0:
        raise DesignError("element", element_m, "a positive length")
    s = settings or Settings()
    chosen = select_nets(pkg, nets)
    ref = _reference(pkg, reference)
    wanted = chosen + ([ref] if ref is not None and ref not in chosen else [])
    every = select_nets(pkg, None)
    all_paths = pin_paths(pkg, every, s)
    paths = [p for p in all_paths if p.net in wanted]
    if not paths:
        raise DesignError("nets", ",".join(chosen), "nets with at least one terminal (ball, pin or lead)")
    lay = layout(pkg, paths, s)
    lp = peec.partial_inductance(lay.segs)
    inc = lay.incidence
    l_pin = inc.T @ lp @ inc
    r_seg = np.array([skin.dc_resistance(g) for g in lay.segs])
    r_pin = inc.T @ (r_seg[:, None] * inc)
    c_pin, ground_z, n_el, clipped = _capacitance(pkg, all_paths, paths, s, element_m, plane_depth_m)
    ref_rows = tuple(i for i, p in enumerate(paths) if p.net == ref)
    return Extraction(
        pkg.name,
        tuple(p.pin for p in paths),
        tuple(p.net for p in paths),
        0.5 * (r_pin + r_pin.T),
        0.5 * (l_pin + l_pin.T),
        c_pin,
        ref,
        ref_rows,
        lay,
        lp,
        ground_z,
        n_el,
        clipped,
    )


def _capacitance(
    pkg: Package, all_paths: list[PinPath], paths: list[PinPath], s: Settings, element_m: float, depth: float
) -> tuple[Array, float, int, float]:
    """The Maxwell matrix of ``paths``' pins with every other pin of the package as a grounded conductor.

    Drawn conductors take part in the 3D solve. Routes through a smeared laminate, whose
    layout is a guess (`segments.route_segments`), do not: each run adds its 2D
    capacitance over the board's ground plane (`capacitance.microstrip_2d`, the run's
    width at its height in the laminate's permittivity) to its pin's self term, and
    no coupling. Returns (C, ground height, elements, largest positive off-diagonal
    term relative to its diagonal before it was set to 0).
    """
    chosen = set(paths)
    others = [p for p in all_paths if p not in chosen]
    full = layout(pkg, list(paths) + others, s)
    bodies = {b.name: b for b in pkg.bodies}
    ground_z = _board_plane(pkg, [bodies[p.terminal] for p in full.pins], depth)
    drawn = [k for k, g in enumerate(full.segs) if not g.owner.startswith("route:")]
    el = cap.elements_from_segments([full.segs[k] for k in drawn], [int(full.owner_pin[k]) for k in drawn], element_m)
    el = cap.merge_overlaps(el, 1.5 * element_m)
    el = cap.Elements(el.kind, el.centre, el.u, el.hl, el.hw, el.cond, cap.host_permittivity(pkg, el))
    c = cap.maxwell_matrix(el, len(full.pins), ground_z)
    c += np.diag(_route_capacitance(pkg, full, ground_z))
    n = len(paths)
    c = c[:n, :n]
    off = c - np.diag(np.diag(c))
    rel = float(np.max(off / np.sqrt(np.outer(np.diag(c), np.diag(c))), initial=0.0))
    c = np.where(off > 0, 0.0, c)  # collocation noise: a Maxwell matrix couples with a negative sign
    return np.asarray(c, dtype=np.float64), ground_z, len(el), max(rel, 0.0)


def _board_plane(pkg: Package, terminals: list[Body], depth: float) -> float:
    """Height of the board's ground plane: ``depth`` beyond the terminals, on the side of the package they face."""
    box = pkg.bbox
    mid = 0.5 * (box.lo[2] + box.hi[2])
    zc = float(np.mean([0.5 * (t.solid.bbox.lo[2] + t.solid.bbox.hi[2]) for t in terminals]))
    if zc >= mid:  # terminals on top: the package is mounted upside down
        return max(t.solid.bbox.hi[2] for t in terminals) + depth
    return min(t.solid.bbox.lo[2] for t in terminals) - depth


def _route_capacitance(pkg: Package, full: Layout, ground_z: float) -> Array:
    """Each pin's route runs' capacitance over the ground plane (F), by the 2D cross-section solver."""
    media = {route_node(rt): rt.media for n in pkg.nets for rt in n.routes}
    cache: dict[tuple[float, float, float], float] = {}
    out = np.zeros(len(full.pins))
    for k, g in enumerate(full.segs):
        if not (g.owner.startswith("route:") and g.face):
            continue
        med = media.get(g.owner, ())
        eps = pkg.materials[pkg.body(med[0]).material].permittivity if med else None
        h = max(abs(g.a[2] - ground_z), 1e-6)
        key = (round(g.width_m, 9), round(h, 7), round(eps or 1.0, 3))
        if key not in cache:
            cache[key] = cap.microstrip_2d(key[0], key[1], key[2], panels=24)[0]
        out[int(full.owner_pin[k])] += cache[key] * g.length_m
    return out


def loop_reduce(z: NDArray[Any], sig: list[int], ref: list[int]) -> NDArray[Any]:
    """Loop matrix of the ``sig`` rows with the ``ref`` rows in parallel as their common return (see module)."""
    zs = z[np.ix_(sig, sig)]
    if not ref:
        return zs
    zsg = z[np.ix_(sig, ref)]
    zgg = z[np.ix_(ref, ref)]
    sol = np.linalg.solve(zgg, np.column_stack([np.ones(len(ref)), zsg.T]))  # one factorisation
    a, zgg_zgs = sol[:, 0], sol[:, 1:]
    alpha = a.sum()
    b = zsg @ a - 1.0
    out = zs - zsg @ zgg_zgs + np.outer(b, b) / alpha
    return np.asarray(0.5 * (out + out.T))


def loop_inductance(ext: Extraction) -> Array:
    """Loop inductance matrix (H) of the signal pins with the reference net as return."""
    return np.asarray(loop_reduce(ext.l_h, ext.signal_rows, list(ext.ref_pins)).real, dtype=np.float64)


def check_frequencies(freqs: Array) -> Array:
    """A frequency list that is positive and strictly increasing, or a one-line error."""
    f = np.asarray(freqs, dtype=float)
    if f.ndim != 1 or len(f) == 0 or not np.all(np.isfinite(f)):
        raise DesignError("frequencies", list(f.ravel()[:5]), "at least one finite frequency")
    if f[0] <= 0:
        raise DesignError("frequencies", float(f[0]), "frequencies above 0 Hz")
    bad = np.flatnonzero(np.diff(f) <= 0)
    if len(bad):
        k = int(bad[0])
        raise DesignError("frequencies", [float(f[k]), float(f[k + 1])], "a strictly increasing list")
    return f


def series_impedance(ext: Extraction, freqs: Array) -> CArray:
    """Loop series impedance Z(f) of the signal pins, shape (n_f, n_sig, n_sig), with skin effect."""
    f = check_frequencies(freqs)
    segs = ext.layout.segs
    zint, lint = skin.segment_impedances(segs, f)
    inductive = np.array([g.inductive for g in segs])
    inc = ext.layout.incidence
    used = np.flatnonzero(np.any(inc != 0, axis=1))
    inc_u = inc[used]
    out = []
    for k, fk in enumerate(f):
        w = 2 * math.pi * fk
        zi = np.where(inductive, zint[k] - 1j * w * lint, zint[k].real)[used]
        # S^T (j w Lp + diag(zi)) S, with S^T Lp S already reduced to L_pin
        zpin = 1j * w * ext.l_h + (inc_u.T * zi) @ inc_u
        out.append(loop_reduce(zpin, ext.signal_rows, list(ext.ref_pins)))
    return np.asarray(out, dtype=np.complex128)


def s_parameters(ext: Extraction, freqs: Array, z0_ohm: float = 50.0) -> CArray:
    """S-matrix (n_f, 2N, 2N) of the signal pins: ports 1..N at the die pads, N+1..2N at the terminals."""
    f = check_frequencies(freqs)
    zser = series_impedance(ext, f)
    sig = ext.signal_rows
    c = ext.c_f[np.ix_(sig, sig)]
    n = len(sig)
    eye = np.eye(2 * n)
    out = np.empty((len(f), 2 * n, 2 * n), dtype=np.complex128)
    for k, fk in enumerate(f):
        ys = np.linalg.inv(zser[k])
        yc = 1j * 2 * math.pi * fk * c / 2
        y = np.block([[ys + yc, -ys], [-ys, ys + yc]])
        out[k] = np.linalg.solve(eye + z0_ohm * y, eye - z0_ohm * y)
    return out


def worst_neighbours(ext: Extraction, count: int = 5) -> list[tuple[str, str, float, float]]:
    """The pin pairs of different nets with the strongest coupling: (pin, pin, k_L = M/sqrt(L1 L2), C coupling / C_self).

    Pins of one net share parts of their paths, so their coupling says little; they are left out.
    """
    n = len(ext.pins)
    ll = ext.l_h
    d = np.sqrt(np.maximum(np.diag(ll), 0.0))
    dd = np.outer(d, d)
    k = np.divide(ll, dd, out=np.zeros_like(ll), where=dd > 0)
    cd = np.diag(ext.c_f)[:, None]
    cc = np.divide(-ext.c_f, cd, out=np.zeros_like(ext.c_f), where=cd > 0)
    score = np.abs(k) + np.abs(cc)
    nets = np.array(ext.nets)
    score[nets[:, None] == nets[None, :]] = -1
    iu = np.triu_indices(n, 1)
    order = [o for o in np.argsort(score[iu])[::-1][:count] if score[iu][o] >= 0]
    return [
        (ext.pins[iu[0][o]], ext.pins[iu[1][o]], float(k[iu[0][o], iu[1][o]]), float(cc[iu[0][o], iu[1][o]]))
        for o in order
    ]
