"""Reuse across solves on one grid: the kept path gives the fresh path's answers, and every device keeps its promise.

- JEDEC: the four set-ups with the set-up and hierarchy kept per fixture against four
  set-ups built from nothing (`ThermalCache(max_setups=0)`), metrics within 1e-7.
- DELPHI: the training solves in the nearest-neighbour walk with Galerkin starting
  guesses against one fresh solve per condition.
- Transient: the Zth curve with one multigrid per factor-2 band of the shift against one
  multigrid per step.
- A hierarchy built for another operator converges to the operator's own solution (the
  direct solution of that operator, which differs from the hierarchy's operator's).
- The Galerkin guess is exact when the solution lies in the basis, and never worse than
  zero in the energy norm; the Ritz warm start refuses a guess that does not beat zero.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import pytest
import scipy.sparse.linalg as spla
from conftest import LID, example, slab

import semipack.thermal.transient as transient
from semipack.model import Package
from semipack.thermal import BoardKind, Environment, EnvKind, jedec_metrics
from semipack.thermal.compact.bcs import BoundaryCondition, delphi_38
from semipack.thermal.compact.delphi import solve_set, walk
from semipack.thermal.compact.detailed import DetailedModel, build_detailed
from semipack.thermal.reuse import (
    HierarchyReuse,
    ShiftedPreconditioners,
    SnapshotBasis,
    equivalent,
    solve_reusing,
    warm_start,
)
from semipack.thermal.setup import FixtureKey, ThermalCache
from semipack.thermal.solvers.column_amg import ColumnAMG
from semipack.thermal.solvers.column_amg import solve as column_amg_solve
from semipack.thermal.steady import solve_thermal

METRICS = ("tj_max_c", "theta_ja_c_per_w", "theta_jc_top_c_per_w", "theta_jc_bottom_c_per_w", "theta_jb_c_per_w")


def _slab() -> Package:
    return slab(LID)


@cache
def _pbga_model() -> DetailedModel:
    return build_detailed(example("pbga"), resolution=0.3)


def test_jedec_with_kept_setups_gives_the_fresh_metrics() -> None:
    pkg = example("dfn8")
    kept_cache = ThermalCache()
    kept = jedec_metrics(pkg, resolution=0.3, cache=kept_cache, workers=1)
    fresh_cache = ThermalCache(max_setups=0)
    fresh = jedec_metrics(pkg, resolution=0.3, cache=fresh_cache, workers=1)
    # Two fixtures (2s2p board; no board), each built once and used twice.
    assert (kept_cache.setups_built, kept_cache.setups_reused) == (2, 2)
    assert (fresh_cache.setups_built, fresh_cache.setups_reused) == (4, 0)
    for k in METRICS:
        assert kept[k] == pytest.approx(fresh[k], rel=1e-7), k
    # The merged order is the standard one whatever order the set-ups ran in.
    assert [b["environment"] for b in kept["bench"]] == [b["environment"] for b in fresh["bench"]]
    assert kept["bench"][0]["environment"] == EnvKind.STILL_AIR.value


def test_a_kept_setup_is_used_only_for_its_own_package_and_fixture() -> None:
    pkg, other = _slab(), _slab()  # equal designs, different objects: identity is the key
    c = ThermalCache(max_setups=2)
    a = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_TOP), resolution=0.2, cache=c)
    solve_thermal(other, Environment(EnvKind.COLD_PLATE_TOP), resolution=0.2, cache=c)
    assert (c.setups_built, c.setups_reused) == (2, 0)
    b = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_BOTTOM), resolution=0.2, cache=c)
    assert (c.setups_built, c.setups_reused) == (2, 1)
    assert b.grid is a.grid
    solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_BOTTOM), resolution=0.25, cache=c)  # another grid
    assert c.setups_built == 3
    # What is not a boundary term is in the key; what is, is not.
    still = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
    key = FixtureKey.of(still, 1.0, 1, None, None)
    assert key == FixtureKey.of(replace(still, kind=EnvKind.RING_COLD_PLATE, ambient_k=350.0), 1.0, 1, None, None)
    assert key != FixtureKey.of(replace(still, trace_coverage=0.3), 1.0, 1, None, None)
    assert key != FixtureKey.of(still, 1.0, 1, 2.0, None)


def test_delphi_walk_gives_the_fresh_solutions() -> None:
    m = _pbga_model()
    bcs = delphi_38()[::3]
    kept = solve_set(m, bcs)
    for bc, s in zip(bcs, kept, strict=True):
        f = m.solve(bc)
        assert s.condition is bc
        assert s.tj_rise_k == pytest.approx(f.tj_rise_k, rel=1e-7)
        for c in f.q_w:
            assert s.q_w[c] == pytest.approx(f.q_w[c], rel=1e-7, abs=1e-9 * f.power_w)
    order = walk(bcs)
    assert sorted(order) == list(range(len(bcs))) and order[0] == 0


def test_delphi_walk_with_a_shared_hierarchy_gives_the_fresh_solutions() -> None:
    m = _pbga_model()
    bcs = delphi_38()[:8]
    r = HierarchyReuse()
    kept = solve_set(m, bcs, r)
    assert r.solves == len(bcs)
    for bc, s in zip(bcs, kept, strict=True):
        assert s.tj_rise_k == pytest.approx(m.solve(bc).tj_rise_k, rel=1e-7)


def test_a_hierarchy_for_another_operator_converges_to_the_operators_own_solution() -> None:
    m = _pbga_model()
    a0 = m.stencil(BoundaryCondition.of("a0", all=10.0))
    a1 = m.stencil(BoundaryCondition.of("a1", all=10.0, bottom=300.0))
    b = m.fields.power
    exact1 = spla.spsolve(a1.to_sparse().tocsc(), b.ravel()).reshape(b.shape)
    exact0 = spla.spsolve(a0.to_sparse().tocsc(), b.ravel()).reshape(b.shape)
    assert np.abs(exact0 - exact1).max() > 0.1 * np.abs(exact1).max()  # the two answers differ
    x, info = column_amg_solve(a1, b, rtol=1e-10, maxiter=500, precond=ColumnAMG(a0))
    assert info.converged
    assert np.abs(x - exact1).max() <= 1e-7 * np.abs(exact1).max()
    # Through the reuse policy too: kept or rebuilt, the answer is a1's.
    r = HierarchyReuse()
    solve_reusing(a0, b, r, rtol=1e-10, maxiter=500)
    y, _ = solve_reusing(a1, b, r, rtol=1e-10, maxiter=500)
    assert np.abs(y - exact1).max() <= 1e-7 * np.abs(exact1).max()


def test_the_diagonal_probe_sends_a_cold_plate_to_a_new_hierarchy() -> None:
    m = _pbga_model()
    film = m.stencil(BoundaryCondition.of("film", all=10.0))
    near = m.stencil(BoundaryCondition.of("near", all=11.0))
    plate = m.stencil(BoundaryCondition.of("plate", all=10.0, top=1e6))
    assert equivalent(film, near, 1.5) and equivalent(film, film, 1.0)
    assert not equivalent(film, plate, 1.5) and not equivalent(plate, film, 1.5)
    r = HierarchyReuse()
    b = m.fields.power
    solve_reusing(film, b, r, rtol=1e-9, maxiter=500)
    solve_reusing(near, b, r, rtol=1e-9, maxiter=500)
    assert r.builds == 1
    solve_reusing(plate, b, r, rtol=1e-9, maxiter=500)
    assert r.builds == 2 and r.hierarchy.source is plate


def test_galerkin_guess_is_exact_in_the_span_and_never_worse_than_zero() -> None:
    m = _pbga_model()
    b = m.fields.power
    bcs = [BoundaryCondition.of(f"c{i}", all=h, top=10 * h) for i, h in enumerate((5.0, 20.0, 80.0))]
    sts = [m.stencil(bc) for bc in bcs]
    xs = [np.asarray(spla.spsolve(st.to_sparse().tocsc(), b.ravel())).reshape(b.shape) for st in sts]
    basis = SnapshotBasis(m.interior, size=2)
    assert basis.guess(sts[0], b) is None
    basis.add(xs[0])
    basis.add(xs[2])
    g = basis.guess(sts[2], b)
    assert g is not None and np.abs(g - xs[2]).max() <= 1e-8 * np.abs(xs[2]).max()

    def energy_error(st: Any, x: np.ndarray, exact: np.ndarray) -> float:
        e = x - exact
        return float(np.vdot(e, st.apply(e)))

    g1 = basis.guess(sts[1], b)
    assert g1 is not None
    assert energy_error(sts[1], g1, xs[1]) < 0.01 * energy_error(sts[1], np.zeros_like(b), xs[1])
    basis.add(xs[1])  # the oldest (xs[0]) makes room
    assert basis.count == 2
    with pytest.raises(ValueError):
        basis.guess(replace(sts[1], gx=sts[1].gx.copy()), b)


def test_warm_start_refuses_a_guess_that_does_not_beat_zero() -> None:
    m = _pbga_model()
    st = m.stencil(BoundaryCondition.of("f", all=10.0))
    b = m.fields.power
    exact = np.asarray(spla.spsolve(st.to_sparse().tocsc(), b.ravel())).reshape(b.shape)
    assert warm_start(st, b, -exact) is None
    assert warm_start(st, b, None) is None
    g = warm_start(st, b, 3.0 * exact)  # the Ritz step undoes a wrong amplitude
    assert g is not None and np.abs(g - exact).max() <= 1e-9 * np.abs(exact).max()


def test_shifted_preconditioners_share_a_factor_2_band() -> None:
    built: list[float] = []
    p = ShiftedPreconditioners(lambda st: built.append(float(st.gb.sum())) or len(built), size=2)
    m = _pbga_model()
    st = m.interior
    assert p.get(st, 1.0) == p.get(st, 1.9) == 1
    assert p.get(st, 2.0) == 2 and p.get(st, 3.9) == 2
    assert p.get(st, 0.6) == 3  # a third band: the oldest (shift 1) is dropped
    assert p.get(st, 1.5) == 4 and p.builds == 4


def test_transient_with_banded_multigrids_gives_the_per_step_curve(monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = _slab()
    env = Environment(board=BoardKind.NONE)
    kept = transient.simulate(pkg, env, until_s=5.0, resolution=0.2)
    built = []

    def per_step(build: Any) -> ShiftedPreconditioners[Any]:
        # A band far narrower than any step change: one multigrid per step size, as before.
        p = ShiftedPreconditioners(build, ratio=1 + 1e-12, size=1)
        built.append(p)
        return p

    monkeypatch.setattr(transient, "ShiftedPreconditioners", per_step)
    fresh = transient.simulate(pkg, env, until_s=5.0, resolution=0.2)
    assert built and built[0].builds > 3
    assert len(kept.times_s) == len(fresh.times_s)
    # The step controller reads Tj, which the solver gives to its tolerance: the steps agree to it too.
    np.testing.assert_allclose(kept.times_s, fresh.times_s, rtol=1e-7)
    np.testing.assert_allclose(kept.zth_k_per_w[1:], fresh.zth_k_per_w[1:], rtol=1e-7)


def test_column_amg_operator_of_a_diagonal_shift_is_the_assembled_matrix() -> None:
    """`ColumnAMG.operator` of a stencil that differs from the hierarchy's only in ``gb`` (the
    conductances shared) adds the difference to the diagonal: the matrix it returns is the
    one assembled and renumbered from scratch, entry for entry."""
    from semipack.thermal.solvers.column_amg import _permute, stencil_matrix

    st = _pbga_model().interior
    m = ColumnAMG(st)
    rng = np.random.default_rng(3)
    shifted = replace(st, gb=st.gb + rng.uniform(0.0, 2.0, st.gb.shape) * float(st.gx.mean()))
    fast = m.operator(shifted)
    slow = _permute(stencil_matrix(shifted), m._perm, m._inv)
    assert fast.shape == slow.shape
    assert abs(fast - slow).max() <= 1e-12 * abs(slow).max()
    # A stencil with other conductances takes the full assembly, and the hierarchy's own is its level 0.
    other = replace(st, gx=st.gx * 2.0)
    assert abs(m.operator(other) - _permute(stencil_matrix(other), m._perm, m._inv)).max() == 0.0
    assert m.operator(st) is m.levels[0].a


@pytest.mark.parametrize("env", [Environment(board=BoardKind.NONE), Environment(EnvKind.COLD_PLATE_BOTTOM)])
def test_transient_on_column_amg_gives_the_zline_curve(env: Environment) -> None:
    """Each step's CG runs to 1e-10 whichever multigrid preconditions it, so the step
    controller sees the same Tj and the curves agree to the solver tolerance, not the step's."""
    from semipack.thermal.steady import Solver

    pkg = _slab()
    col = transient.simulate(pkg, env, until_s=5.0, resolution=0.3, solver=Solver.COLUMN_AMG)
    zl = transient.simulate(pkg, env, until_s=5.0, resolution=0.3, solver=Solver.ZLINE_MG)
    assert col.steps == zl.steps > 5
    # The controller's error estimate is a difference of nearly equal Tj (cancellation):
    # it magnifies the 1e-10 solve residual a thousandfold, far below the step tolerance 3e-4.
    np.testing.assert_allclose(col.times_s, zl.times_s, rtol=1e-6)
    np.testing.assert_allclose(col.zth_k_per_w[1:], zl.zth_k_per_w[1:], rtol=1e-6)


def test_transient_refuses_a_solver_it_has_no_step_for() -> None:
    from semipack.errors import DesignError
    from semipack.thermal.steady import Solver

    with pytest.raises(DesignError, match=r"solver.*direct.*column-amg, zline-mg"):
        transient.simulate(_slab(), until_s=1.0, solver=Solver.DIRECT)


def test_gpu_jedec_keeps_device_hierarchies_and_gives_the_cpu_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--solver column-amg-gpu`` through the kept path, its device cycle run on numpy (the
    CuPy module swapped for numpy): device hierarchies are kept across film iterations and
    set-ups as the CPU's are, and the metrics equal the CPU run's within the solver tolerance."""
    from semipack.thermal.solvers import column_amg_device
    from semipack.thermal.steady import Solver

    monkeypatch.setattr(column_amg_device, "cupy_or_error", lambda: np)
    pkg = example("dfn8")
    cpu = jedec_metrics(pkg, resolution=0.3)
    built, solved = [], []
    original, original_solve = column_amg_device.DeviceColumnAMG.__init__, column_amg_device.solve

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        original(self, *args, **kwargs)

    def counting_solve(*args: Any, **kwargs: Any) -> Any:
        solved.append(kwargs["precond"])
        return original_solve(*args, **kwargs)

    monkeypatch.setattr(column_amg_device.DeviceColumnAMG, "__init__", counting)
    monkeypatch.setattr(column_amg_device, "solve", counting_solve)
    gpu = jedec_metrics(pkg, resolution=0.3, solver=Solver.COLUMN_AMG_GPU)
    for k in METRICS:
        assert gpu[k] == pytest.approx(cpu[k], rel=1e-7), k
    assert all(isinstance(m, column_amg_device.DeviceColumnAMG) for m in solved)
    assert 2 <= len(built) < len(solved)  # one per fixture at least, and kept across solves


def test_a_kept_hierarchy_follows_the_processor_the_solve_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CPU hierarchy is not handed to the GPU solve nor the other way round: switching
    rebuilds, and each answer is the operator's own (the device cycle run on numpy)."""
    from semipack.thermal.solvers import column_amg_device

    monkeypatch.setattr(column_amg_device, "cupy_or_error", lambda: np)
    m = _pbga_model()
    film = m.stencil(BoundaryCondition.of("film", all=10.0))
    b = m.fields.power
    exact = spla.spsolve(film.to_sparse().tocsc(), b.ravel()).reshape(b.shape)
    r = HierarchyReuse()
    kinds = []
    for device in (False, True, True, False):
        x, info = solve_reusing(film, b, r, rtol=1e-10, maxiter=500, device=device)
        kinds.append(type(r.hierarchy))
        assert info.converged and np.abs(x - exact).max() <= 1e-7 * np.abs(exact).max()
    assert kinds == [ColumnAMG, column_amg_device.DeviceColumnAMG, column_amg_device.DeviceColumnAMG, ColumnAMG]
    assert r.builds == 3  # the second GPU solve kept its hierarchy
