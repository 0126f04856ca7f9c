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
from semipack.thermal.setup import exterior_air
from semipack.thermal.solvers.baselines import solve_amg
from semipack.thermal.solvers.column_amg import ColumnAMG, solve
from semipack.thermal.solvers.device_kernels import LINE_KERNELS, Kernel


def _package_on_board(res: float) -> tuple[Stencil, np.ndarray]:
    """The heat-spreader BGA on a 2s2p board with fixed film coefficients (as bench/thermal.py)."""
    pkg = example("spreader_bga")
    fixture, _ = with_board(pkg, Environment())
    g = make_grid(fixture, res, focus=(pkg.bbox.lo, pkg.bbox.hi))
    f = rasterize(fixture, g)
    h = np.full(g.shape, 8.0)
    st = assemble(g, f, [FaceCondition(Face.ZMAX, 8.0), FaceCondition(Face.ZMIN, 5.0)])
    st = expose(st, g, f, ExposedSurfaces(exterior_air(f, g, fixture, True), h, h * 0.6, h))
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


def test_forward_sweep_residual_is_the_upper_part() -> None:
    """After the forward z-line sweep from zero the residual is ``-B_upper x`` row for row
    (the identity the cycle uses instead of forming ``r - A x``), and zero on the last colour."""
    from semipack.thermal.solvers.column_amg import _matvec_add

    st, _ = _package_on_board(0.5)
    m = ColumnAMG(st)
    rng = np.random.default_rng(3)
    for lv in m.levels[:-1]:
        r = rng.standard_normal(lv.a.shape[0])
        x = np.full_like(r, np.nan)  # the sweep must not read what it has not written
        m._smooth(lv, x, r, reverse=False)
        full = r - lv.a @ x
        fused = np.zeros_like(r)
        _matvec_add(lv.upper, x, fused)
        assert np.isfinite(x).all()
        assert np.abs(full - fused).max() <= 1e-10 * np.abs(r).max()


@pytest.mark.parametrize("case", ["package_on_board", "stretched_layers"])
def test_device_path_on_numpy_gives_the_cpu_answer(case: str) -> None:
    """The device cycle (layer-major colours, int32 CSR products, K-cycle and FCG in xp) with
    xp=numpy and the kernels' numpy references: the CPU solver's answer to 1e-8 relative, in as
    many iterations (+-1)."""
    from semipack.thermal.solvers.column_amg_device import solve as device_solve

    st, b = _package_on_board(0.5) if case == "package_on_board" else _stretched_layers()
    x_cpu, info_cpu = solve(st, b, rtol=1e-10)
    x_dev, info_dev = device_solve(st, b, rtol=1e-10, xp=np)
    assert info_dev.converged
    assert abs(info_dev.iterations - info_cpu.iterations) <= 1
    assert np.abs(x_dev - x_cpu).max() <= 1e-8 * np.abs(x_cpu).max()


@pytest.fixture(scope="module")
def emulated_kernels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Kernel]:
    from cuda_emulation import compile_kernels

    from semipack.thermal.solvers.device_kernels import CUDA_SOURCE

    kernels = compile_kernels(CUDA_SOURCE, tmp_path_factory.mktemp("cuda"))
    if kernels is None:
        pytest.skip("no C++ compiler to run the CUDA source on the CPU")
    return kernels


def test_cuda_kernels_equal_their_numpy_references(
    emulated_kernels: dict[str, Kernel], tmp_path: pytest.TempPathFactory
) -> None:
    """The CUDA text itself (compiled as C++, thread by thread, in ascending and in descending
    order) against the numpy references on every level: a sparse product with and without
    accumulation, and a z-line sweep of each colour, forward and backward, with each line kernel."""
    from cuda_emulation import compile_kernels

    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg_device import DeviceColumnAMG
    from semipack.thermal.solvers.device_kernels import CUDA_SOURCE

    backwards = compile_kernels(CUDA_SOURCE, tmp_path, reverse=True)  # type: ignore[arg-type]
    assert backwards is not None
    st, _ = _stretched_layers()
    ref = DeviceColumnAMG(ColumnAMG(st), np, dense_up_to=0)  # every level, none cut
    emus = [
        DeviceColumnAMG(ref.host, np, kernels=k, dense_up_to=0, line_kernel=line)
        for k in (emulated_kernels, backwards)
        for line in LINE_KERNELS
    ]
    assert ref.levels[0].nz % 16  # lines that end inside a chunk of the chunked kernel
    assert len(ref.levels) == len(ref.host.levels) >= 3
    rng = np.random.default_rng(7)
    for i, lv in enumerate(ref.levels[:-1]):
        x, y0, r = rng.standard_normal(lv.n), rng.standard_normal(lv.n), rng.standard_normal(lv.n)
        for acc in (False, True):
            y_ref = y0.copy()
            ref.spmv(lv.a, x, y_ref, acc)
            for emu in emus:
                y_emu = y0.copy()
                emu.spmv(emu.levels[i].a, x, y_emu, acc)
                assert np.abs(y_emu - y_ref).max() <= 1e-12 * np.abs(y_ref).max()
        for c_index, c in enumerate(lv.colours):
            block = slice(c.start, c.start + c.lines * lv.nz)
            outside = np.ones(lv.n, dtype=bool)
            outside[block] = False
            for upper in (False, True):
                x_ref = x.copy()
                ref._sweep(lv, c, x_ref, r, upper)
                assert not np.allclose(x_ref[block], x[block])  # the sweep wrote its colour
                for emu in emus:
                    x_emu = x.copy()
                    emu._sweep(emu.levels[i], emu.levels[i].colours[c_index], x_emu, r, upper)
                    assert np.abs(x_emu - x_ref).max() <= 1e-12 * np.abs(x_ref).max()
                    assert np.array_equal(x_emu[outside], x[outside])  # and nothing else


@pytest.mark.parametrize("line", LINE_KERNELS)
def test_device_solver_with_the_cuda_kernels_gives_the_cpu_answer(
    emulated_kernels: dict[str, Kernel], line: str
) -> None:
    """The whole device solve with the CUDA kernels run on the CPU: the CPU solver's answer."""
    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg_device import DeviceColumnAMG
    from semipack.thermal.solvers.column_amg_device import solve as device_solve

    st, b = _package_on_board(0.5)
    x_cpu, info_cpu = solve(st, b, rtol=1e-10)
    m = DeviceColumnAMG(ColumnAMG(st), np, kernels=emulated_kernels, line_kernel=line)
    x_dev, info_dev = device_solve(st, b, rtol=1e-10, precond=m)
    assert info_dev.converged and abs(info_dev.iterations - info_cpu.iterations) <= 1
    assert np.abs(x_dev - x_cpu).max() <= 1e-8 * np.abs(x_cpu).max()


def test_device_hierarchy_cut_at_a_dense_level_gives_the_cpu_answer(emulated_kernels: dict[str, Kernel]) -> None:
    """A GPU hierarchy stops at the first level small enough for a dense inverse (the levels
    below it are never visited): the answer is still the CPU solver's, in no more iterations."""
    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg_device import DeviceColumnAMG
    from semipack.thermal.solvers.column_amg_device import solve as device_solve

    st, b = _package_on_board(0.5)
    host = ColumnAMG(st)
    sizes = [lv.a.shape[0] for lv in host.levels]
    assert len(sizes) >= 4
    m = DeviceColumnAMG(host, np, kernels=emulated_kernels, dense_up_to=sizes[2])
    assert [lv.n for lv in m.levels] == sizes[:3] and m.levels[-1].p is None
    x_cpu, info_cpu = solve(st, b, rtol=1e-10)
    x_dev, info_dev = device_solve(st, b, rtol=1e-10, precond=m)
    assert info_dev.converged and info_dev.iterations <= info_cpu.iterations + 1
    assert np.abs(x_dev - x_cpu).max() <= 1e-8 * np.abs(x_cpu).max()


def test_the_dense_coarsest_level_fits_the_gpus_free_memory() -> None:
    from semipack.thermal.solvers.column_amg_device import DENSE_COARSEST, DENSE_COARSEST_GPU, dense_limit

    assert dense_limit(140 * 2**30) == DENSE_COARSEST_GPU  # an H200: the full 12 k
    n = dense_limit(4 * 2**30)  # a 4 GiB card: three n x n matrices within a quarter of it
    assert DENSE_COARSEST <= n < DENSE_COARSEST_GPU and 3 * 8 * n * n <= 2**30
    assert dense_limit(0) == DENSE_COARSEST


def test_an_unknown_line_kernel_is_one_line_naming_it() -> None:
    from semipack.thermal.solvers.column_amg_device import DeviceColumnAMG

    st, _ = _stretched_layers()
    with pytest.raises(ValueError, match=r"^line_kernel: got 'pcr'; allowed: thomas_lines, thomas_lines_chunked$"):
        DeviceColumnAMG(ColumnAMG(st), np, line_kernel="pcr")


def test_device_layer_order_is_a_permutation_keeping_each_colour() -> None:
    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg_device import layer_order

    st, _ = _stretched_layers()
    for lv in ColumnAMG(st).levels:
        order = layer_order(lv)
        assert np.array_equal(np.sort(order), np.arange(lv.a.shape[0]))
        for c in lv.colours:
            lines = (c.stop - c.start) // lv.nz
            # device cell k * L + i of a colour is host cell i * nz + k: layer k of line i
            k, i = np.meshgrid(np.arange(lv.nz), np.arange(lines), indexing="ij")
            assert np.array_equal(order[c.start + k * lines + i], c.start + i * lv.nz + k)


def test_gpu_solver_without_cupy_is_one_line_naming_the_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from semipack.cli.flags import in_cli_terms
    from semipack.errors import DesignError
    from semipack.thermal.solvers.column_amg_device import solve as device_solve

    monkeypatch.setitem(sys.modules, "cupy", None)  # import cupy raises ImportError
    st, b = _stretched_layers()
    with pytest.raises(DesignError) as err:
        device_solve(st, b)
    text = str(in_cli_terms(err.value))
    assert text.startswith("--solver: got 'column-amg-gpu'") and "CuPy" in text and "\n" not in text


def test_gpu_solver_on_a_gpu_gives_the_cpu_answer() -> None:
    """Runs only where CuPy and an NVIDIA GPU are present."""
    cupy = pytest.importorskip("cupy")
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            pytest.skip("no GPU")
    except cupy.cuda.runtime.CUDARuntimeError:
        pytest.skip("no GPU")
    from semipack.thermal.solvers.column_amg_device import solve as device_solve

    st, b = _package_on_board(0.5)
    x_cpu, info_cpu = solve(st, b, rtol=1e-10)
    x_gpu, info_gpu = device_solve(st, b, rtol=1e-10)
    # The GPU hierarchy may end at a larger dense level (exact there): never more iterations.
    assert info_gpu.converged and info_gpu.iterations <= info_cpu.iterations + 1
    assert np.abs(x_gpu - x_cpu).max() <= 1e-8 * np.abs(x_cpu).max()


def test_prolongator_stays_bounded_where_a_coarse_rows_couplings_cancel() -> None:
    """A solder column in a near-insulating layer between copper plates (tests of the sub-grid
    constriction), resolution 3: a Galerkin level had in-plane couplings of both signs whose
    sum cancelled; a Jacobi weight from that sum put 1e15 into a smoothed prolongator and the
    next level's z-lines had negative diagonals (the factorisation refused). The finest level's
    couplings are all conductances, so its smoothed weights lie in [0, 1]; the Galerkin levels'
    transfers are piecewise constant. The solve agrees with pyamg."""
    from test_thermal_constriction import _column

    pkg = _column("mold_compound")
    g = make_grid(pkg, 3.0)
    f = rasterize(pkg, g)
    st = assemble(g, f, [FaceCondition(Face.ZMIN, 1e6)])
    m = ColumnAMG(st)
    transfers = [lv.p for lv in m.levels if lv.p is not None]
    assert len(transfers) >= 3
    finest = transfers[0].copy()
    finest.sum_duplicates()  # a cell with two neighbours in one other aggregate stores that column twice
    assert finest.data.min() >= 0.0 and finest.data.max() <= 1.0 + 1e-12
    assert all((p.data == 1.0).all() for p in transfers[1:])
    x, info = solve(st, f.power, rtol=1e-10, precond=m)
    assert info.converged
    ref = _reference(st, f.power)
    assert np.abs(x - ref).max() <= 1e-6 * np.abs(ref).max()


def test_finest_level_is_the_same_built_one_column_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of columns are only a memory bound: one column per block gives the same level to the bit."""
    from semipack.thermal.solvers import finest_rows

    st, _ = _package_on_board(0.5)
    whole = ColumnAMG(st).levels[0]
    monkeypatch.setattr(finest_rows, "BLOCK_CELLS", 1)
    blocks = ColumnAMG(st).levels[0]
    assert whole.p is not None and blocks.p is not None
    for m1, m2 in ((whole.a, blocks.a), (whole.lower, blocks.lower), (whole.upper, blocks.upper), (whole.p, blocks.p)):
        assert np.array_equal(m1.indptr, m2.indptr) and np.array_equal(m1.indices, m2.indices)
        assert np.array_equal(m1.data, m2.data)
    assert all(np.array_equal(c1.d, c2.d) for c1, c2 in zip(whole.colours, blocks.colours, strict=True))
