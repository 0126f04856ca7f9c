"""One error family for a solver that falls short: every iterative solver raises
`semipack.errors.ConvergenceError` naming itself and the residual it reached, under the one
definition of converged (relative residual ||b - A x|| / ||b|| at most the solver's rtol)."""

from __future__ import annotations

import numpy as np
import pytest
from test_mechanics import THREE, _clt, _plate

import semipack.thermal
import semipack.thermal.steady
from semipack.errors import ConvergenceError, SemipackError, check_converged
from semipack.mechanics.fe import solve_thermoelastic
from semipack.moisture.solver import RTOL, _pcg
from semipack.thermal.assemble import Stencil


def test_one_class_everywhere() -> None:
    assert semipack.thermal.ConvergenceError is ConvergenceError
    assert semipack.thermal.steady.ConvergenceError is ConvergenceError
    assert issubclass(ConvergenceError, SemipackError)


def test_check_converged_definition() -> None:
    check_converged("x", 1e-9, 1e-9)  # at the tolerance: converged
    for bad in (2e-9, float("nan"), float("inf")):
        with pytest.raises(ConvergenceError) as info:
            check_converged("x", bad, 1e-9, 3)
        assert info.value.solver == "x" and info.value.rtol == 1e-9 and "after 3 iterations" in str(info.value)


def test_mechanics_amg_path_converges_to_plate_theory_and_a_starved_one_raises() -> None:
    mesh = _plate(THREE, 12, 2)
    lu = solve_thermoelastic(mesh, 398.15, 298.15)
    amg = solve_thermoelastic(mesh, 398.15, 298.15, direct_limit=0)
    assert amg.iterations > 0 and lu.iterations == 0
    assert amg.warpage()[0] == pytest.approx(lu.warpage()[0], rel=1e-6)
    assert amg.warpage()[0] == pytest.approx(_clt(THREE, 398.15, 298.15), rel=0.05)
    with pytest.raises(ConvergenceError) as info:
        solve_thermoelastic(mesh, 398.15, 298.15, direct_limit=0, maxiter=1)
    e = info.value
    assert e.solver == "mechanics AMG-CG" and e.residual is not None and e.residual > 1e-9
    assert "mechanics AMG-CG" in str(e) and f"{e.residual:.2e}" in str(e)


def test_moisture_pcg_starved_raises() -> None:
    rng = np.random.default_rng(1)
    n = (6, 5, 8)
    st = Stencil(
        rng.uniform(1, 10, (n[0] - 1, n[1], n[2])),
        rng.uniform(1, 10, (n[0], n[1] - 1, n[2])),
        rng.uniform(1, 1000, (n[0], n[1], n[2] - 1)),
        rng.uniform(0.01, 0.1, n),
    )
    b = rng.uniform(0, 1, n)
    x = _pcg(st, b, np.zeros(n))
    assert np.linalg.norm(st.apply(x) - b) <= 1.01 * RTOL * np.linalg.norm(b)
    with pytest.raises(ConvergenceError) as info:
        _pcg(st, b, np.zeros(n), maxiter=1)
    assert info.value.solver == "moisture z-line MG-CG" and info.value.residual is not None
    assert info.value.residual > RTOL
