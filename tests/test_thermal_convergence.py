"""Mesh convergence: Richardson extrapolation verified on exact data, then applied to a real package."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import build, example

from semipack.design import build_design
from semipack.errors import SemipackError
from semipack.thermal import Environment, EnvKind
from semipack.thermal.analytic import rect_source_mean_rise
from semipack.thermal.assemble import Face, FaceCondition, assemble
from semipack.thermal.convergence import grid_convergence, mesh_study
from semipack.thermal.grid import Grid, make_grid, refine
from semipack.thermal.raster import rasterize
from semipack.thermal.solvers.column_amg import solve


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
    # Splitting every cell twice per level: 8x the cells per level, fine grid first (the cells
    # above); the three thetas agree to the mesh tolerance (0.3 % on this grid).
    thetas = doc["convergence_theta_c_per_w"]
    assert max(thetas) < 1.01 * min(thetas)
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


def _thin_source_on_a_plate(res: float) -> tuple[float, float, Grid]:
    """Mean rise of a 0.6 x 0.6 mm, 1 um thick source on a 2 x 2 x 0.2 mm plate, and Muzychka's.

    The plate's film (h = k2 / t2 = 1000 W/m^2/K) is a 3 mm layer that conducts only
    through its thickness (in-plane 1e-9 W/m/K) on an isothermal plate: each column of it
    is exactly the film resistance, and it makes the plate and the source thin layers
    of the z grid, as a die's active layer is.
    """
    a, c, t, t_src, k, t2, k2 = 2e-3, 0.6e-3, 0.2e-3, 1e-6, 20.0, 3e-3, 3.0
    pkg = build_design(
        {
            "family": "stack",
            "name": "thin_source",
            "materials": {
                "plate": {"base": "si", "k": [f"{k} W/m/K", "test value"]},
                "film": {
                    "base": "si",
                    "k_inplane": ["1e-9 W/m/K", "test value"],
                    "k_through": [f"{k2} W/m/K", "test value"],
                },
            },
            "parameters": {
                "footprint_x": "2 mm",
                "footprint_y": "2 mm",
                "layers": [
                    {"name": "film", "material": "film", "thickness": "3 mm"},
                    {"name": "plate", "material": "plate", "thickness": "0.2 mm"},
                    {"name": "die", "material": "plate", "thickness": "1 um"},
                ],
                "hotspots": [
                    {"layer": "die", "power": "1 W", "x0": "-0.3 mm", "y0": "-0.3 mm", "x1": "0.3 mm", "y1": "0.3 mm"}
                ],
            },
        }
    )
    grid = make_grid(pkg, res)
    f = rasterize(pkg, grid)
    x, info = solve(assemble(grid, f, [FaceCondition(Face.ZMIN, 1e12)]), f.power, rtol=1e-11, maxiter=2000)
    assert info.converged
    m = f.power > 0
    mean = float((x[m] * f.power[m]).sum() / f.power[m].sum())
    return mean, rect_source_mean_rise(1.0, a, a, t + t_src, k, k2 / t2, c, c), grid


def _hot_spot_stack() -> Any:
    """A die with a 1 um active layer carrying a hot spot, on a 25 um attach and a copper base."""
    return build(
        "stack",
        footprint_x="5 mm",
        footprint_y="5 mm",
        layers=[
            {"name": "base", "material": "cu_rolled", "thickness": "0.5 mm"},
            {"name": "attach", "material": "silver_epoxy", "thickness": "25 um", "size_x": "3 mm", "size_y": "3 mm"},
            {"name": "bulk", "material": "si", "thickness": "0.2 mm", "size_x": "3 mm", "size_y": "3 mm"},
            {"name": "die", "material": "si", "thickness": "1 um", "size_x": "3 mm", "size_y": "3 mm"},
        ],
        hotspots=[
            {"layer": "die", "power": "2 W", "x0": "-0.25 mm", "y0": "-0.25 mm", "x1": "0.25 mm", "y1": "0.25 mm"}
        ],
    )


def test_thin_layers_and_sources_refine_in_z_with_resolution() -> None:
    """Above resolution 1 the z cells inside thin layers and next to them shrink as 1 / resolution.

    They used to stay as at resolution 1 (two cells across a 1 um source, grading by 1.4
    from there) while everything else refined.
    """
    pkg = _hot_spot_stack()
    src = next(b for b in pkg.bodies if b.name == "die").solid.bbox
    attach = next(b for b in pkg.bodies if b.name == "attach").solid.bbox
    below: dict[float, float] = {}
    for res, n in ((0.5, 2), (1.0, 2), (2.0, 4), (4.0, 8)):
        z = np.asarray(make_grid(pkg, res).z)
        for bb in (src, attach):
            assert int(((z > bb.lo[2] + 1e-12) & (z < bb.hi[2] - 1e-12)).sum()) + 1 == n
        # The largest cell within 0.1 mm under the source (its spreading zone).
        zc, dz = (z[:-1] + z[1:]) / 2, np.diff(z)
        below[res] = float(dz[(zc < src.lo[2]) & (zc > src.lo[2] - 0.1e-3)].max())
    assert below[2.0] < 0.6 * below[1.0]
    assert below[4.0] < 0.6 * below[2.0]


def test_resolution_refines_a_thin_source_at_second_order() -> None:
    """Against Muzychka's series, the error falls as 1 / resolution^2 from resolution 1 to 1.4.

    With the z cells at the thin source frozen it fell as resolution^-1.4 (0.263 % to
    0.165 %), and as resolution^-1.2 from 1 to 2: refining moved less and less of the grid.
    """
    (m1, ref, _), (m2, _, _) = _thin_source_on_a_plate(1.0), _thin_source_on_a_plate(1.4)
    e1, e2 = abs(m1 - ref) / ref, abs(m2 - ref) / ref
    assert e1 < 5e-3
    order = math.log(e1 / e2) / math.log(1.4)
    assert 1.8 < order < 3.0
