"""The column-AMG solver: exact against a direct solve, robust to thin layers and stretched cells."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse.linalg as spla
from conftest import example

from semipack.thermal.assemble import ExposedSurfaces, Face, FaceCondition, Stencil, assemble, expose
from semipack.thermal.environment import Environment, with_board
from semipack.thermal.grid import make_grid
from semipack.thermal.raster import rasterize
from semipack.thermal.solvers.baselines import solve_amg
from semipack.thermal.solvers.column_amg import ColumnAMG, solve
from semipack.thermal.steady import _exterior


def _package_on_board(res: float) -> tuple[Stencil, np.ndarray]:
    """The heat-spreader BGA on a 2s2p board with fixed film coefficients (as bench/thermal.py)."""
    pkg = example("spreader_bga")
    fixture, _ = with_board(pkg, Environment())
    g = make_grid(fixture, res, focus=(pkg.bbox.lo, pkg.bbox.hi))
    f = rasterize(fixture, g)
    h = np.full(g.shape, 8.0)
    st = assemble(g, f, [FaceCondition(Face.ZMAX, 8.0), FaceCondition(Face.ZMIN, 5.0)])
    st = expose(st, g, f, ExposedSurfaces(_exterior(f, g, fixture, True), h, h * 0.6, h))
    return st, f.power


def _stretched_layers() -> tuple[Stencil, np.ndarray]:
    """Alternating copper / mold layers 10-100 um thick on cells stretched 1000:1 in x against y."""
    nx, ny, nz = 30, 24, 24
    dx = np.geomspace(5e-6, 5e-3, nx)
    dy = np.full(ny, 2e-4)
    dz = np.where(np.arange(nz) % 3 == 0, 1e-5, 1e-4)
    k = np.where(np.arange(nz) % 3 == 0, 390.0, 0.7)[None, None, :] * np.ones((nx, ny, nz))
    k[: nx // 3, : ny // 2, nz // 2 :] = 150.0  # a die-like block breaks the layering
    ax = dy[None, :, None] * dz[None, None, :]
    ay = dx[:, None, None] * dz[None, None, :]
    az = dx[:, None, None] * dy[None, :, None]
    rx, ry, rz = dx[:, None, None] / (2 * k), dy[None, :, None] / (2 * k), dz[None, None, :] / (2 * k)
    gb = np.zeros((nx, ny, nz))
    gb[:, :, 0] = (az[:, :, 0] / (rz[:, :, 0] + 1 / 1e4))[:, :]  # a cold plate under the stack
    st = Stencil(ax / (rx[:-1] + rx[1:]), ay / (ry[:, :-1] + ry[:, 1:]), az / (rz[:, :, :-1] + rz[:, :, 1:]), gb)
    b = np.zeros((nx, ny, nz))
    b[2:6, 3:8, -1] = 0.1
    return st, b


def _reference(st: Stencil, b: np.ndarray) -> np.ndarray:
    """An independent answer: sparse LU for small systems, pyamg classical AMG + CG to 1e-10 otherwise."""
    if b.size <= 30_000:
        return np.asarray(spla.spsolve(st.to_sparse().tocsc(), b.ravel())).reshape(b.shape)
    x, info = solve_amg(st, b, rtol=1e-10, maxiter=2000)
    assert info.relative_residual <= 1e-8  # pyamg's CG stalls near 1e-9 on this operator
    return x


def test_finest_matrix_equals_the_stencil() -> None:
    st, _ = _stretched_layers()
    a = ColumnAMG(st).matrix
    x = np.random.default_rng(1).random(st.shape)
    scale = float(np.abs(st.diagonal()).max())
    assert np.allclose(a @ x.ravel(), st.apply(x).ravel(), rtol=0, atol=1e-12 * scale)
    assert abs(a - st.to_sparse()).max() <= 1e-15 * scale


@pytest.mark.parametrize("case", ["package_on_board", "stretched_layers"])
def test_column_amg_matches_a_direct_solve(case: str) -> None:
    st, b = _package_on_board(0.5) if case == "package_on_board" else _stretched_layers()
    x, info = solve(st, b, rtol=1e-10)
    assert info.converged and info.relative_residual <= 1e-9, info
    # Robust to thin, high-contrast layers and stretched cells: a handful of cycles, not hundreds.
    assert info.iterations <= 30
    ref = _reference(st, b)
    assert np.abs(x - ref).max() <= 1e-7 * np.abs(ref).max()


def test_a_reused_hierarchy_solves_the_operator_it_is_given() -> None:
    """A hierarchy built for one boundary condition preconditions another: the answer is
    the new operator's (it once silently solved the preconditioner's own matrix)."""
    from dataclasses import replace

    st, b = _stretched_layers()
    other = replace(st, gb=st.gb * 10.0)  # a ten times stiffer cold plate
    x, info = solve(other, b, rtol=1e-10, precond=ColumnAMG(st))
    assert info.converged
    ref = np.asarray(spla.spsolve(other.to_sparse().tocsc(), b.ravel())).reshape(b.shape)
    assert np.abs(x - ref).max() <= 1e-7 * np.abs(ref).max()


def test_hierarchy_keeps_columns_of_tridiagonal_lines() -> None:
    st, _ = _package_on_board(0.5)
    m = ColumnAMG(st)
    assert len(m.levels) >= 3
    for lv in m.levels:
        coo = lv.a.tocoo()
        same_column = coo.row // lv.nz == coo.col // lv.nz
        # within a column only vertical neighbours couple, so the z-line solve is exact
        assert np.abs(coo.row[same_column] - coo.col[same_column]).max() <= 1
        assert abs(lv.a - lv.a.T).max() <= 1e-12 * abs(lv.a).max()  # Galerkin products stay symmetric
        if lv.p is not None:
            p = lv.p.tocoo()
            assert (p.row % lv.nz == p.col % lv.nz).all()  # layers are never mixed
            # partition of unity on the coupled cells: constants are interpolated exactly
            rows = np.flatnonzero(np.diff(lv.p.indptr) > 0)
            ones = lv.p @ np.ones(lv.p.shape[1])
            assert np.allclose(ones[rows], 1.0, atol=1e-12)


def test_unconverged_solve_says_so() -> None:
    st, b = _stretched_layers()
    _, info = solve(st, b, rtol=1e-14, maxiter=1)
    assert not info.converged and info.iterations == 1
