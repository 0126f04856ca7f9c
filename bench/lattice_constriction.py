"""Diagnostic: the constriction a finite-volume lattice gives a disc drawn on a few cells.

A disc of radius ``a`` drawn on cells ``h`` wide (each cell holding its covered fraction of
the conductor) hands its heat to the first layer of medium cells (``dz`` thick) over its
patch; beyond it the medium is the lattice of the grid. On an infinite lattice the answer
is exact: with the lattice Green's function G and an image for the adiabatic plane of the
end, the fluxes q of the patch cells solve (G_half + diag(r)) q = 1 for an isothermal
conductor, r being each cell's two half cells (conductor and medium) in series, and the
patch's resistance is 1 / sum(q). Against the continuum's (the isothermal disc on a
half-space, 1 / (4 k a), plus the conductor's own half cell) this is the error the grid
makes at a sampled end, which `bench/jedec.py --mode split` found in the x-y cells of the
ball, bump and land families (docs/benchmarks.md, "Where the rest of the mesh error sits").

G is the random-walk integral of the lattice (Watson 1939; Maradudin et al. 1960):

    G(l, m, n) = int_0^inf prod_axes exp(-2 c t) I_l(2 c t) dt,

c being each axis' conductance between neighbouring cells (W/K), integrated on a
logarithmic t grid with its t^(-1/2) tail in closed form. Checked against Watson's value
for the cubic lattice, G(0, 0, 0) = 0.252731 / c, and G(1, 0, 0) = G(0, 0, 0) - 1/6.

Run: ``.venv/bin/python bench/lattice_constriction.py [--out bench/results/lattice_constriction.json]``

References
----------
Watson, "Three triple integrals", Q. J. Math. 10 (1939) 266-276.
Maradudin, Montroll, Weiss, Herman and Milnes, "Green's functions for monatomic simple
cubic lattices", Acad. R. Belg. Mem. Cl. Sci. 14 (1960).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy import special

Array = NDArray[np.float64]
POINTS = 6000  # samples of ln t
SUB = 32  # sub-points per cell side for a cell's covered fraction


def lattice_green(offsets: NDArray[np.int64], c: tuple[float, float, float]) -> Array:
    """G (K/W per W) of the infinite lattice at integer ``offsets`` (n, 3), conductances ``c``."""
    off = np.abs(offsets)
    t_end = 4000.0 * (1 + float(off.max()) ** 2) / min(c)
    u = np.linspace(math.log(1e-6 / max(c)), math.log(t_end), POINTS)
    t = np.exp(u)
    f = t * np.prod([special.ive(off[:, ax, None], 2 * c[ax] * t) for ax in range(3)], axis=0)
    tail = 2 / math.sqrt(t_end) / ((4 * math.pi) ** 1.5 * math.sqrt(c[0] * c[1] * c[2]))
    out: Array = np.trapezoid(f, u, axis=1) + tail
    return out


def patch_resistance(a: float, h: float, dz: float, k: float, k_c: float) -> tuple[float, int]:
    """Resistance (K/W) from an isothermal conductor of radius ``a`` (conductivity ``k_c``,
    centred on a cell corner, cells ``h`` square and ``dz`` tall on both sides of the end)
    into a half-space lattice of conductivity ``k``, and the number of cells it covers."""
    n = math.ceil(a / h)
    cells = []
    sub = (np.arange(SUB) + 0.5) / SUB
    for i in range(-n, n):
        for j in range(-n, n):
            x, y = np.meshgrid((i + sub) * h, (j + sub) * h, indexing="ij")
            frac = float(np.mean(x**2 + y**2 <= a * a))
            if frac > 0:
                cells.append((i, j, frac))
    ij = np.array([(i, j) for i, j, _ in cells])
    d = np.abs(ij[:, None, :] - ij[None, :, :]).reshape(-1, 2)
    cond = (k * dz, k * dz, k * h * h / dz)
    # The image of the first medium layer in the end's adiabatic plane is the layer below it.
    g = sum(lattice_green(np.column_stack((d, np.full(len(d), layer))), cond) for layer in (0, 1))
    area = h * h
    r = np.array([dz / 2 / (k * area) + dz / 2 / (k_c * f * area) for _, _, f in cells])
    q = np.linalg.solve(np.asarray(g).reshape(len(cells), len(cells)) + np.diag(r), np.ones(len(cells)))
    return 1.0 / float(q.sum()), len(cells)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    cubic = lattice_green(np.array([[0, 0, 0], [1, 0, 0]]), (1.0, 1.0, 1.0))
    rows: list[dict[str, float]] = [{"watson_g000": float(cubic[0]), "g100": float(cubic[1])}]
    # The column of tests/test_thermal_constriction.py: 0.2 mm SAC305 (58 W/mK) into mould (0.9 W/mK).
    a, k, k_c = 100e-6, 0.9, 58.0
    for h, dz in ((100e-6, 8.8e-6), (100e-6, 18.3e-6), (100e-6, 40e-6), (100e-6, 75.7e-6), (25e-6, 75.7e-6)):
        r_lat, cells = patch_resistance(a, h, dz, k, k_c)
        r_cont = 1 / (4 * k * a) + dz / 2 / (k_c * math.pi * a * a)
        rows.append({"h_m": h, "dz_m": dz, "cells": cells, "lattice_k_per_w": r_lat, "continuum_k_per_w": r_cont})
        print(
            f"h {h * 1e6:5.1f} um dz {dz * 1e6:5.1f} um: {cells} cells, lattice {r_lat:7.1f} K/W, "
            f"continuum {r_cont:7.1f} K/W, {100 * (r_lat / r_cont - 1):+5.1f} %"
        )
    if args.out is not None:
        args.out.write_text(json.dumps({"rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
