"""IR drop: a DC nodal solve of one net, with its planes and buses as 2D resistive sheets.

Every conductor body of the net is a node; each touching pair is joined through half
of each body's end-to-end resistance; a route through a laminate adds its own. Plane
and bus bodies (role ``plane``) are not lumped: they are rasterised into square cells
of sheet resistance R_s = rho/t, neighbouring cells joined by 1/R_s (finite volumes on
a uniform grid, exact for uniform current along a strip), and a body touching the
plane connects to the cells under its footprint. Terminals are held at 0 V (an ideal
board); each die pad of the net draws its share of the total current. The drop at a
pad is its voltage below the terminals.

References
----------
Finite-volume discretisation of the 2D Laplace equation for a resistive sheet:
e.g. S. V. Patankar, Numerical Heat Transfer and Fluid Flow, Hemisphere 1980, ch. 4
(the same five-point conductance stencil as heat conduction in a plate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from semipack.electrical import formulas as fm
from semipack.electrical.conductors import Settings, resistance_or_zero, route_resistance
from semipack.errors import DesignError
from semipack.geometry import Trace
from semipack.model import Body, NetKind, Package, Role
from semipack.model.roles import CONDUCTOR_ROLES, TERMINAL_ROLES


@dataclass(frozen=True)
class Sheet:
    """A rasterised plane: cell mask on a uniform grid of pitch h, origin (x0, y0)."""

    body: str
    mask: np.ndarray
    h: float
    x0: float
    y0: float
    r_sheet: float


@dataclass(frozen=True)
class IrDropResult:
    net: str
    current_a: float
    pad_drop_v: dict[str, float]
    terminal_current_a: dict[str, float]
    sheets: tuple[Sheet, ...]
    sheet_voltage_v: tuple[np.ndarray, ...]
    pad_xy: dict[str, tuple[float, float]]

    @property
    def max_drop_v(self) -> float:
        return max(self.pad_drop_v.values()) if self.pad_drop_v else 0.0

    @property
    def worst_pad(self) -> str:
        return max(self.pad_drop_v, key=lambda k: self.pad_drop_v[k])


def rasterise(b: Body, h: float) -> Sheet:
    """Cells of pitch ``h`` whose centres lie inside the plane body (a box or a wide trace)."""
    bb = b.solid.bbox
    x0, y0 = bb.lo[0], bb.lo[1]
    nx = max(math.ceil((bb.hi[0] - x0) / h), 1)
    ny = max(math.ceil((bb.hi[1] - y0) / h), 1)
    xs = x0 + (np.arange(nx) + 0.5) * h
    ys = y0 + (np.arange(ny) + 0.5) * h
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    zmid = 0.5 * (bb.lo[2] + bb.hi[2])
    pts = np.column_stack([gx.ravel(), gy.ravel(), np.full(gx.size, zmid)])
    mask = b.solid.contains(pts).reshape(nx, ny)
    t = bb.hi[2] - bb.lo[2]
    return Sheet(b.name, mask, h, x0, y0, 0.0 * t)


def sheet_matrix(mask: np.ndarray, r_sheet: float) -> sp.csr_matrix:
    """Conductance matrix of a sheet on square cells: 1/R_s between edge-sharing cells."""
    idx = -np.ones(mask.shape, dtype=np.int64)
    idx[mask] = np.arange(int(mask.sum()))
    g = 1.0 / r_sheet
    rows, cols = [], []
    for dx, dy in ((1, 0), (0, 1)):
        a = idx[: mask.shape[0] - dx, : mask.shape[1] - dy]
        b = idx[dx:, dy:]
        ok = (a >= 0) & (b >= 0)
        rows.append(a[ok])
        cols.append(b[ok])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    n = int(mask.sum())
    off = sp.coo_matrix((np.full(r.size, -g), (r, c)), shape=(n, n))
    m = (off + off.T).tocsr()
    diag = -np.asarray(m.sum(axis=1)).ravel()
    return (m + sp.diags(diag)).tocsr()


def solve_irdrop(
    pkg: Package, current_a: float, net: str | None = None, settings: Settings | None = None
) -> IrDropResult:
    """Drop at every die pad of ``net`` (default: the first power net) for ``current_a`` in total."""
    s = settings or Settings()
    if not current_a > 0 or not math.isfinite(current_a):
        raise DesignError("current_a", current_a, "a positive current, e.g. 1A")
    nets = {n.name: n for n in pkg.nets}
    if net is None:
        power = [n.name for n in pkg.nets if n.kind is NetKind.POWER] or [
            n.name for n in pkg.nets if n.kind is NetKind.GROUND
        ]
        if not power:
            raise DesignError("net", None, "the design has no power or ground net; name a net")
        net = power[0]
    if net not in nets:
        raise DesignError("net", net, "allowed: " + ", ".join(sorted(nets)[:20]))
    the = nets[net]
    bodies = {b.name: b for b in pkg.bodies}
    nodes: dict[str, int] = {}
    cond: list[tuple[int, int, float]] = []

    def node(name: str) -> int:
        if name not in nodes:
            nodes[name] = len(nodes)
        return nodes[name]

    r_half: dict[str, float] = {}
    for name in the.nodes:
        part = bodies.get(name)
        if part is not None and part.role in CONDUCTOR_ROLES and part.role is not Role.PLANE:
            r_half[name] = resistance_or_zero(part, pkg, s.temperature_of(name)) / 2
    sheets: list[Sheet] = []
    sheet_base: list[int] = []
    planes = [bodies[x] for x in the.nodes if x in bodies and bodies[x].role is Role.PLANE]
    for pb in planes:
        width = (
            pb.solid.width
            if isinstance(pb.solid, Trace)
            else min(pb.solid.bbox.hi[i] - pb.solid.bbox.lo[i] for i in (0, 1))
        )
        h = width / 3 if isinstance(pb.solid, Trace) else width / 40
        sh = rasterise(pb, h)
        rho = pkg.materials[pb.material].resistivity_ohm_m or 0.0
        t = pb.solid.bbox.hi[2] - pb.solid.bbox.lo[2]
        sh = Sheet(
            sh.body,
            sh.mask,
            sh.h,
            sh.x0,
            sh.y0,
            fm.r_at(fm.r_sheet(rho, t), pkg.materials[pb.material].tcr_per_k, s.temperature_k),
        )
        base = len(nodes)
        for k in range(int(sh.mask.sum())):
            nodes[f"{pb.name}#{k}"] = base + k
        m = sheet_matrix(sh.mask, sh.r_sheet).tocoo()
        for i, j, v in zip(m.row, m.col, m.data, strict=True):
            if i < j:
                cond.append((base + int(i), base + int(j), -float(v)))
        sheets.append(sh)
        sheet_base.append(base)
    plane_names = {p.name: k for k, p in enumerate(planes)}

    def cells_under(k: int, other: Body) -> list[int]:
        sh = sheets[k]
        bb = other.solid.bbox
        idx = -np.ones(sh.mask.shape, dtype=np.int64)
        idx[sh.mask] = np.arange(int(sh.mask.sum()))
        i0 = max(int((bb.lo[0] - sh.x0) / sh.h), 0)
        i1 = min(math.ceil((bb.hi[0] - sh.x0) / sh.h), sh.mask.shape[0])
        j0 = max(int((bb.lo[1] - sh.y0) / sh.h), 0)
        j1 = min(math.ceil((bb.hi[1] - sh.y0) / sh.h), sh.mask.shape[1])
        sel = idx[i0:i1, j0:j1]
        out = [int(v) for v in sel.ravel() if v >= 0]
        if not out:  # nearest cell
            cx, cy = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
            ii, jj = np.nonzero(sh.mask)
            d = (sh.x0 + (ii + 0.5) * sh.h - cx) ** 2 + (sh.y0 + (jj + 0.5) * sh.h - cy) ** 2
            out = [int(idx[ii[np.argmin(d)], jj[np.argmin(d)]])]
        return [sheet_base[k] + v for v in out]

    def join(a: str, b: str, r_extra: float = 0.0) -> None:
        for x, y in ((a, b), (b, a)):
            if x in plane_names and y not in plane_names:
                cells = cells_under(plane_names[x], bodies[y])
                r = r_half.get(y, 0.0) + r_extra
                g = 1.0 / max(r, 1e-9) / len(cells)
                for c in cells:
                    cond.append((c, node(y), g))
                return
        if a in plane_names and b in plane_names:
            return
        r = r_half.get(a, 0.0) + r_half.get(b, 0.0) + r_extra
        cond.append((node(a), node(b), 1.0 / max(r, 1e-9)))

    present = set(bodies) | {p.name for p in pkg.pads}
    for ea, eb in the.edges:
        if ea in present and eb in present:
            join(ea, eb)
    for rt in the.routes:
        if rt.a not in present or rt.b not in present:
            continue
        join(rt.a, rt.b, route_resistance(rt.length_m, s))
    pads = [p for p in pkg.pads if p.net == net and p.name in nodes]
    terms = [x for x in the.nodes if x in bodies and bodies[x].role in TERMINAL_ROLES and x in nodes]
    if not pads or not terms:
        raise DesignError("net", net, "the net needs die pads and terminals")
    # Each terminal ties to the ideal board through its own lower half resistance.
    size = len(nodes)
    ground = size
    for term in terms:
        cond.append((nodes[term], ground, 1.0 / max(r_half.get(term, 0.0), 1e-9)))
    i_idx = np.array([c[0] for c in cond] + [c[1] for c in cond])
    j_idx = np.array([c[1] for c in cond] + [c[0] for c in cond])
    v = np.array([-c[2] for c in cond] * 2)
    g = sp.coo_matrix((v, (i_idx, j_idx)), shape=(size + 1, size + 1)).tocsr()
    g = g + sp.diags(-np.asarray(g.sum(axis=1)).ravel())
    g = g[:size, :size].tocsc()
    rhs = np.zeros(size)
    share = current_a / len(pads)
    for p in pads:
        rhs[nodes[p.name]] -= share  # the die draws current out of the net at each pad
    volts = spla.spsolve(g, rhs)
    drop = {p.name: float(-volts[nodes[p.name]]) for p in pads}
    t_cur = {term: float(-volts[nodes[term]] / max(r_half.get(term, 0.0), 1e-9)) for term in terms}
    maps = []
    for k, sh in enumerate(sheets):
        field = np.full(sh.mask.shape, np.nan)
        field[sh.mask] = -volts[sheet_base[k] : sheet_base[k] + int(sh.mask.sum())]
        maps.append(field)
    return IrDropResult(net, current_a, drop, t_cur, tuple(sheets), tuple(maps), {p.name: p.xy for p in pads})


def strip_drop(length: float, width: float, r_sheet: float, current_a: float, h: float) -> float:
    """Drop along a uniform strip fed at one end and grounded at the other, solved on the sheet grid.

    The first column of cells is tied to 0 V through half a cell, the current enters the
    last column spread evenly: the analytic answer is I R_s L / W.
    """
    nx, ny = round(length / h), round(width / h)
    mask = np.ones((nx, ny), dtype=bool)
    g = sheet_matrix(mask, r_sheet).tolil()
    idx = np.arange(nx * ny).reshape(nx, ny)
    for j in range(ny):
        g[idx[0, j], idx[0, j]] += 2.0 / r_sheet  # half a cell to the grounded edge
    rhs = np.zeros(nx * ny)
    rhs[idx[-1, :]] = current_a / ny
    v = spla.spsolve(g.tocsc(), rhs)
    # Voltage at the far edge: last cell centre plus half a cell of the uniform gradient.
    return float(v[idx[-1, :]].mean() + current_a * r_sheet * 0.5 * h / width)


__all__ = ["IrDropResult", "Sheet", "rasterise", "sheet_matrix", "solve_irdrop", "strip_drop"]
