"""3D linear thermoelastic finite elements on the package's rectilinear grid.

The mesh is the thermal engine's grid (every body face a grid plane, thin layers given
cells of their own) over the package without its balls, wires and lands: the free
package body as shadow moire sees it. Each cell takes the elastic constants and the
thermal strain of the body that owns it; elements are incompatible-mode bricks
(`hex8`), assembled into a sparse stiffness, held only against rigid motion (3-2-1
supports on the bottom face) and solved by sparse LU (SuperLU without pivoting, in
a nested-dissection order of the nodes: `ordering`) up to about 120 000 unknowns,
beyond that by smoothed-aggregation AMG (pyamg, near null space = the six rigid-body
modes) with CG.

References
----------
O. C. Zienkiewicz, R. L. Taylor, J. Z. Zhu, The Finite Element Method: Its Basis and
Fundamentals, 7th ed., Elsevier 2013, ch. 6 (linear elasticity, initial strain loads).
P. Vanek, J. Mandel, M. Brezina, "Algebraic multigrid by smoothed aggregation for
second and fourth order elliptic problems", Computing 56, 179-196 (1996).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from enum import Enum

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from semipack.errors import DesignError, check_converged
from semipack.geometry import Box
from semipack.mechanics.hex8 import centre_strain, d_matrices, element_matrices
from semipack.mechanics.laminate import initial_strain, thermal_strain
from semipack.mechanics.ordering import nested_dissection
from semipack.mechanics.stackup import NON_STRUCTURAL
from semipack.model import Body, Package, Role
from semipack.thermal.grid import Grid, GridStyle, make_grid
from semipack.thermal.raster import rasterize

Array = NDArray[np.float64]


@dataclass(frozen=True)
class MechMesh:
    """Cells of the grid that carry material, and which body owns each."""

    grid: Grid
    owner: NDArray[np.int32]  # body index in ``pkg`` per cell, -1 = empty
    package: Package


# Small conductors embedded in a dielectric or mould carry little of the bending; leaving
# them out keeps the mesh to the layers (each still a grid plane of its own).
_EMBEDDED = frozenset({Role.VIA, Role.COLUMN, Role.TRACE, Role.PLANE, Role.PASSIVE, Role.BUMP})
MAX_FE_CELLS = 1_000_000
"""Most cells of one FE mesh (the largest example at the finest resolution, 2, has 0.38 M)."""


def mesh_package(pkg: Package, resolution: float = 0.5) -> MechMesh:
    """The package body on a thermal-style grid with one cell per thin layer at least.

    Terminals, wires, lands and the small conductors inside dielectrics are left out.
    """
    kept = [_without_pinholes(b) for b in pkg.bodies if b.role not in NON_STRUCTURAL | _EMBEDDED]
    body = replace(pkg, bodies=tuple(kept), validate=False)
    grid = make_grid(body, resolution, min_cells=1, style=GridStyle.FACES, layer_rules=False)
    if grid.cells > MAX_FE_CELLS:  # counted from the grid planes, before any array is made
        raise DesignError("resolution", f"{grid.cells} cells", f"an FE mesh of at most {MAX_FE_CELLS} cells; lower the resolution")
    fields = rasterize(body, grid, s=1, constriction=False, round_sub_points=1)
    return MechMesh(grid, fields.owner.astype(np.int32), body)


def _without_pinholes(b: Body) -> Body:
    """Drop openings under 1 % of a box's footprint (pad openings, vias): they would each
    add grid planes and hardly change the stack's stiffness."""
    s = b.solid
    if not isinstance(s, Box) or not s.cutouts:
        return b
    area = (s.hi[0] - s.lo[0]) * (s.hi[1] - s.lo[1])
    keep = tuple(c for c in s.cutouts if (c.hi[0] - c.lo[0]) * (c.hi[1] - c.lo[1]) >= 0.01 * area)
    return b if keep == s.cutouts else replace(b, solid=Box(s.lo, s.hi, keep))


@dataclass(frozen=True)
class FeResult:
    mesh: MechMesh
    temperature_k: float
    t_ref_k: float
    displacement: Array  # (nx+1, ny+1, nz+1, 3), NaN at unused nodes
    stress: Array  # (nx, ny, nz, 6) at cell centres, NaN in empty cells
    dofs: int
    iterations: int
    solve_s: float

    def von_mises(self) -> Array:
        s = self.stress
        vm: Array = np.sqrt(
            0.5 * ((s[..., 0] - s[..., 1]) ** 2 + (s[..., 1] - s[..., 2]) ** 2 + (s[..., 2] - s[..., 0]) ** 2)
            + 3 * (s[..., 3] ** 2 + s[..., 4] ** 2 + s[..., 5] ** 2)
        )
        return vm

    def max_principal(self) -> Array:
        s = self.stress
        t = np.zeros((*s.shape[:-1], 3, 3))
        t[..., 0, 0], t[..., 1, 1], t[..., 2, 2] = s[..., 0], s[..., 1], s[..., 2]
        t[..., 1, 2] = t[..., 2, 1] = s[..., 3]
        t[..., 0, 2] = t[..., 2, 0] = s[..., 4]
        t[..., 0, 1] = t[..., 1, 0] = s[..., 5]
        ok = np.isfinite(s[..., 0])
        out = np.full(s.shape[:-1], np.nan)
        out[ok] = np.linalg.eigvalsh(t[ok])[:, -1]
        return out

    def cells_of(self, name: str) -> NDArray[np.bool_]:
        names = [b.name for b in self.mesh.package.bodies]
        if name not in names:
            return np.zeros(self.mesh.owner.shape, dtype=bool)
        mask: NDArray[np.bool_] = self.mesh.owner == names.index(name)
        return mask

    def bottom_surface(self) -> tuple[Array, Array, Array]:
        """x, y and z-displacement of the lowest node of every column of the package (the ball side)."""
        g = self.mesh.grid
        used = np.isfinite(self.displacement[..., 2])
        nx1, ny1, _ = used.shape
        xs, ys, ws = [], [], []
        for i in range(nx1):
            for j in range(ny1):
                ks = np.flatnonzero(used[i, j])
                if ks.size:
                    xs.append(g.x[i])
                    ys.append(g.y[j])
                    ws.append(self.displacement[i, j, ks[0], 2])
        return np.array(xs), np.array(ys), np.array(ws)

    def warpage(self) -> tuple[float, float, tuple[Array, Array, Array]]:
        """(signed warpage, coplanarity, (x, y, residual)) of the ball-side face, measured
        as JESD22-B112 does (`warpage_sign.surface_warpage`: + = convex, - = concave)."""
        from semipack.mechanics.warpage_sign import surface_warpage

        x, y, w = self.bottom_surface()
        signed, cop, rel = surface_warpage(x, y, w)
        return signed, cop, (x, y, rel)


class LuOrder(Enum):
    """Fill-reducing order for the direct solve."""

    NESTED_DISSECTION = "nested-dissection"  # geometric, on the grid's nodes; no pivoting
    COLAMD = "colamd"  # SuperLU's own column order with partial pivoting (the earlier default)


def solve_thermoelastic(
    mesh: MechMesh,
    t_ref_k: float,
    t_k: float,
    direct_limit: int = 120_000,
    rtol: float = 1e-9,
    cure_shrinkage: float = 0.0,
    lu_order: LuOrder = LuOrder.NESTED_DISSECTION,
    props_k: float | None = None,
    initial: bool = False,
    maxiter: int = 500,
) -> FeResult:
    """Displacements and stresses of the free package taken from ``t_ref_k`` (stress-free) to ``t_k``.

    ``initial``: instead, the response at ``t_ref_k`` to the materials' own stress-free
    offsets and cure shrinkage (`initial_strain`), moduli at ``props_k``.

    ``cure_shrinkage`` (a fraction, e.g. 0.002) is a linear shrinkage of the mould bodies
    (sealant, encapsulant) frozen in after the stress-free state, added to their free strain.
    ``props_k``: the temperature the moduli are taken at (default ``t_k``); `history`
    solves one step per interval between glass transitions with the interval's own
    moduli and sums them.

    Up to ``direct_limit`` free unknowns the system is solved by sparse LU, above it by
    AMG-preconditioned CG to a relative residual ``rtol`` in at most ``maxiter`` iterations
    (`semipack.errors.ConvergenceError` if it falls short).
    """
    pkg, g = mesh.package, mesh.grid
    nx, ny, nz = g.shape
    cells = np.argwhere(mesh.owner >= 0)
    bodies = pkg.bodies
    mats = [pkg.materials[b.material] for b in bodies]
    owner = mesh.owner[cells[:, 0], cells[:, 1], cells[:, 2]]
    uniq = np.unique(owner)
    mould = {Role.SEALANT, Role.ENCAPSULANT}
    e_tab = {
        int(o): (
            mats[o].youngs_at(t_k if props_k is None else props_k),
            mats[o].poisson,
            (initial_strain(mats[o], t_ref_k) if initial else thermal_strain(mats[o], t_ref_k, t_k))
            - (cure_shrinkage if bodies[o].role in mould else 0.0),
        )
        for o in uniq
    }
    youngs = np.array([e_tab[int(o)][0] for o in owner])
    nu = np.array([e_tab[int(o)][1] for o in owner])
    eth = np.array([e_tab[int(o)][2] for o in owner])
    h = np.column_stack([g.dx[cells[:, 0]], g.dy[cells[:, 1]], g.dz[cells[:, 2]]])
    d = d_matrices(youngs, nu)
    # Node numbers of each cell's 8 corners (a = i + 2 j + 4 k).
    nn = (nx + 1, ny + 1, nz + 1)

    def nid(i: NDArray[np.int64], j: NDArray[np.int64], k: NDArray[np.int64]) -> NDArray[np.int64]:
        out: NDArray[np.int64] = i + nn[0] * (j + nn[1] * k)
        return out

    corners = np.stack(
        [nid(cells[:, 0] + (a & 1), cells[:, 1] + ((a >> 1) & 1), cells[:, 2] + ((a >> 2) & 1)) for a in range(8)],
        axis=1,
    )
    used, inv = np.unique(corners, return_inverse=True)
    local = inv.reshape(corners.shape)
    edofs = (3 * local[:, :, None] + np.arange(3)[None, None, :]).reshape(len(cells), 24)
    ndof = 3 * used.size
    rows, cols, vals = [], [], []
    f = np.zeros(ndof)
    chunk = 4000
    for s0 in range(0, len(cells), chunk):
        sl = slice(s0, s0 + chunk)
        ke, fe = element_matrices(h[sl], d[sl], eth[sl])
        ed = edofs[sl]
        rows.append(np.repeat(ed, 24, axis=1).ravel())
        cols.append(np.tile(ed, (1, 24)).ravel())
        vals.append(ke.ravel())
        np.add.at(f, ed.ravel(), fe.ravel())
    k = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(ndof, ndof)).tocsr()
    # Node coordinates of the used nodes.
    ii = used % nn[0]
    jj = (used // nn[0]) % nn[1]
    kk = used // (nn[0] * nn[1])
    xyz = np.column_stack([np.asarray(g.x)[ii], np.asarray(g.y)[jj], np.asarray(g.z)[kk]])
    fixed = _supports(xyz)
    free = np.setdiff1d(np.arange(ndof), fixed)
    kf = k[free][:, free].tocsr()
    ff = f[free]
    t0 = time.perf_counter()
    uf, iterations = _solve_free(kf, ff, xyz, free, np.column_stack([ii, jj, kk]), direct_limit, lu_order, rtol, maxiter)
    solve_s = time.perf_counter() - t0
    u = np.zeros(ndof)
    u[free] = uf
    disp = np.full((nn[0] * nn[1] * nn[2], 3), np.nan)
    disp[used] = u.reshape(-1, 3)
    # Stresses at the cell centres: D (eps - eps_th).
    eps = centre_strain(h, u[edofs])
    eps[:, :3] -= eth[:, None]
    sig = np.einsum("nij,nj->ni", d, eps)
    stress = np.full((nx, ny, nz, 6), np.nan)
    stress[cells[:, 0], cells[:, 1], cells[:, 2]] = sig
    return FeResult(
        mesh,
        t_k,
        t_ref_k,
        disp.reshape(nn[2], nn[1], nn[0], 3).transpose(2, 1, 0, 3),
        stress,
        int(free.size),
        iterations,
        solve_s,
    )


def _solve_free(
    kf: sp.csr_matrix,
    ff: Array,
    xyz: Array,
    free: NDArray[np.int64],
    ijk: NDArray[np.int64],
    direct_limit: int,
    lu_order: LuOrder,
    rtol: float,
    maxiter: int,
) -> tuple[Array, int]:
    """The free displacements: sparse LU up to ``direct_limit`` unknowns, AMG-preconditioned CG
    above it (checked: its relative residual must reach ``rtol``); and the CG iterations (0 for LU)."""
    ndof = 3 * len(xyz)
    if free.size <= direct_limit and lu_order is LuOrder.COLAMD:
        return spla.splu(kf.tocsc(), permc_spec="COLAMD").solve(ff), 0
    if free.size <= direct_limit:
        # Sparse LU: robust where AMG is not (compliant glue and 70:1 cells make a hard,
        # anisotropic system; pyamg's smoothed aggregation needed hundreds of iterations).
        # The matrix is symmetric positive definite once the supports are removed, so the
        # LU needs no pivoting and can follow a nested-dissection order of the nodes.
        order = nested_dissection(ijk)
        pos = np.full(ndof, -1, dtype=np.int64)
        pos[free] = np.arange(free.size)
        perm = pos[(3 * order[:, None] + np.arange(3)).ravel()]
        perm = perm[perm >= 0]
        lu = spla.splu(
            kf[perm][:, perm].tocsc(),
            permc_spec="NATURAL",
            diag_pivot_thresh=0.0,
            options={"SymmetricMode": True},
        )
        uf = np.empty_like(ff)
        uf[perm] = lu.solve(ff[perm])
        return uf, 0
    import pyamg

    b = _rigid_modes(xyz)[free]
    ml = pyamg.smoothed_aggregation_solver(
        kf, B=b, symmetry="symmetric", strength=("symmetric", {"theta": 0.0}), max_coarse=2000
    )
    res: list[float] = []
    uf = ml.solve(ff, tol=rtol, accel="cg", maxiter=maxiter, residuals=res)
    # Converged as every iterative solver of semipack defines it: the true relative residual.
    bnorm = float(np.linalg.norm(ff))
    rel = float(np.linalg.norm(ff - kf @ uf)) / bnorm if bnorm else 0.0
    check_converged("mechanics AMG-CG", rel, rtol, len(res) - 1)
    return uf, len(res) - 1


def _supports(xyz: Array) -> NDArray[np.int64]:
    """3-2-1 supports on the bottom face: they stop rigid motion and nothing else."""
    zmin = xyz[:, 2].min()
    bottom = np.flatnonzero(np.abs(xyz[:, 2] - zmin) < 1e-12)
    p = xyz[bottom]
    lo = p.min(axis=0)
    hi = p.max(axis=0)

    def near(target: tuple[float, float]) -> int:
        d = (p[:, 0] - target[0]) ** 2 + (p[:, 1] - target[1]) ** 2
        return int(bottom[np.argmin(d)])

    a = near((lo[0], lo[1]))
    b = near((hi[0], lo[1]))
    c = near((lo[0], hi[1]))
    return np.array([3 * a, 3 * a + 1, 3 * a + 2, 3 * b + 1, 3 * b + 2, 3 * c + 2], dtype=np.int64)


def _rigid_modes(xyz: Array) -> Array:
    n = xyz.shape[0]
    c = xyz - xyz.mean(axis=0)
    b = np.zeros((3 * n, 6))
    for d in range(3):
        b[d::3, d] = 1.0
    x, y, z = c[:, 0], c[:, 1], c[:, 2]
    b[0::3, 3], b[1::3, 3] = -y, x
    b[1::3, 4], b[2::3, 4] = -z, y
    b[0::3, 5], b[2::3, 5] = z, -x
    return b
