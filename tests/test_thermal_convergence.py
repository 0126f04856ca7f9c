"""Mesh convergence: Richardson extrapolation verified on exact data, then applied to a real package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import example

from semipack.errors import SemipackError
from semipack.thermal import Environment, EnvKind
from semipack.thermal.convergence import grid_convergence, mesh_study
from semipack.thermal.grid import make_grid, refine


@pytest.mark.parametrize("cells", [(8000, 1000, 125), (27000, 4096, 1000)])
def test_richardson_recovers_order_and_limit_of_exact_data(cells: tuple[int, int, int]) -> None:
    # phi(h) = phi0 + C h^p on three grids, equal or unequal ratios (Celik et al. 2008).
    phi0, c, p = 3.5, 0.8, 1.7
    h = [n ** (-1 / 3) for n in cells]
    gc = grid_convergence([phi0 + c * hi**p for hi in h], cells)
    assert gc.order == pytest.approx(p, rel=1e-6)
    assert gc.extrapolated == pytest.approx(phi0, rel=1e-9)
    assert not gc.oscillatory
    assert gc.relative_error_fine == pytest.approx(c * h[0] ** p / phi0, rel=1e-6)


def test_oscillating_values_are_flagged() -> None:
    gc = grid_convergence([1.00, 1.02, 0.97], [8000, 1000, 125])
    assert gc.oscillatory


def test_grids_must_go_from_fine_to_coarse() -> None:
    with pytest.raises(SemipackError, match="fine to coarse"):
        grid_convergence([1.0, 1.1, 1.2], [100, 800, 6400])


def test_refine_splits_every_cell_and_keeps_every_plane() -> None:
    g = make_grid(example("spreader_bga"), 0.5)
    r = refine(g, 3)
    assert r.shape == tuple(3 * n for n in g.shape)
    for a, b in ((g.x, r.x), (g.y, r.y), (g.z, r.z)):
        assert np.allclose(b[::3], a, rtol=0, atol=1e-15)
        assert float(np.ptp(np.diff(b).reshape(-1, 3), axis=1).max()) <= 1e-15  # equal parts
    assert refine(g, 1) is g


def test_theta_jc_of_a_real_package_converges_at_second_order() -> None:
    """The heat-spreader BGA against a top cold plate, every cell split 1, 2 and 4 times."""
    gc, results = mesh_study(example("spreader_bga"), Environment(EnvKind.COLD_PLATE_TOP), resolution=0.5)
    assert gc.ratios == pytest.approx((2.0, 2.0))
    assert not gc.oscillatory
    # Second-order finite volumes; interfaces and hot-spot edges keep it near 2.
    assert 1.5 < gc.order < 3.0
    # The finest grid is within its grid-convergence index of the extrapolated value,
    # and the extrapolation moves beyond the finest value, not back towards the coarse ones.
    assert gc.gci_fine < 0.01
    assert abs(gc.extrapolated - gc.values[0]) < abs(gc.values[0] - gc.values[1])
    assert (gc.values[0] - gc.extrapolated) * (gc.values[1] - gc.values[0]) > 0
    for r in results:
        assert abs(r.energy_balance_rel) < 1e-8


def test_cli_reports_the_mesh_study(examples_dir: Path) -> None:
    stack = str(examples_dir / "stack.yaml")
    cmd = [sys.executable, "-m", "semipack.cli.main", "thermal", stack, "--env", "cold-plate-top"]
    proc = subprocess.run([*cmd, "--resolution", "0.5", "--convergence", "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["convergence_theta_c_per_w"]) == 3
    assert doc["convergence_cells"][0] == 64 * doc["convergence_cells"][2]
    # Splitting every cell twice per level: 8x the cells per level, fine grid first.
    assert doc["convergence_theta_c_per_w"][0] < doc["convergence_theta_c_per_w"][2]
    assert doc["gci_fine_rel"] >= 0 and doc["richardson_theta_c_per_w"] > 0
    bad = subprocess.run([*cmd, "--convergence", "--jedec"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--convergence" in bad.stderr and "Traceback" not in bad.stderr


def test_smeared_conductors_leave_no_cell_empty_however_thin() -> None:
    """A ball smeared into cells thinner than the old uniform sample spacing keeps every layer.

    An empty layer cuts the conductor in series: it made on-board theta-JA drift by 10 %
    when the cells were split three times (the ball layer's conductance fell tenfold).
    """
    from semipack.geometry import Ball
    from semipack.thermal.grid import Grid
    from semipack.thermal.raster import _fiber_samples

    ball = Ball(center=(0.0, 0.0, 0.0), radius=3e-4, z0=-2e-4, z1=2e-4)
    z = tuple(float(v) for v in np.unique(np.concatenate([np.linspace(-3e-4, 3e-4, 121), [1e-6, 3e-6]])))
    xy = tuple(float(v) for v in np.linspace(-4e-4, 4e-4, 9))
    grid = Grid(xy, xy, z)
    pts, dv, _ = _fiber_samples(ball, grid=grid)
    assert dv.sum() == pytest.approx(ball.volume, rel=1e-12)
    zf = np.asarray(z)
    spanned = np.flatnonzero((zf[:-1] >= ball.z0 - 1e-12) & (zf[1:] <= ball.z1 + 1e-12))
    hit = np.unique(np.searchsorted(zf, pts[:, 2], side="right") - 1)
    assert set(spanned) <= set(hit.tolist())
